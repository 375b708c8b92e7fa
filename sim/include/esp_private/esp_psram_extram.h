/* esp_private/esp_psram_extram.h - the ESP32 PSRAM cache write-back routine of ESP-IDF's
 * esp_psram component, on the simulated chip bound to this thread (the rest of that
 * upstream header is not provided). */
#ifndef MMSIM_ESP_PRIVATE_ESP_PSRAM_EXTRAM_H
#define MMSIM_ESP_PRIVATE_ESP_PSRAM_EXTRAM_H

#ifdef __cplusplus
extern "C" {
#endif

/* ESP32: push dirty PSRAM data out of the CPU caches and leave no PSRAM-window line
 * cached, by reading 64 KB at a 32-byte stride from SOC_EXTRAM_DATA_LOW (low/high mode:
 * also from +2 MB) so that every line is evicted.  Disabled caches are enabled for the
 * sweep and disabled again.  No-op without PSRAM; a HAL_ASSERT on other chips. */
void esp_psram_extram_writeback_cache(void);

#ifdef __cplusplus
}
#endif

#endif
