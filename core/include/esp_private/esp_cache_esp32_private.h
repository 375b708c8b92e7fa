/* esp_private/esp_cache_esp32_private.h - ESP32's whole-cache synchronisation (ESP-IDF
 * name): it has no per-address cache operation. */
#ifndef MMSIM_ESP_CACHE_ESP32_PRIVATE_H
#define MMSIM_ESP_CACHE_ESP32_PRIVATE_H

#ifdef __cplusplus
extern "C" {
#endif

/* Push dirty PSRAM data out (esp_psram_extram_writeback_cache), then Cache_Flush
 * both CPUs (one in single-core mode). */
void cache_sync(void);

#ifdef __cplusplus
}
#endif

#endif
