/* esp_private/cache_utils.h - the spi_flash guard ESP-IDF's drivers bracket MMU writes
 * with on chips without cache freeze: caches disabled, the other CPU stalled,
 * interrupts off.  On the simulated chip: the external-memory caches of every core
 * are disabled until the matching enable (an access meanwhile is a cache_disabled
 * hazard, as it would be a cache error on the chip). */
#ifndef MMSIM_ESP_PRIVATE_CACHE_UTILS_H
#define MMSIM_ESP_PRIVATE_CACHE_UTILS_H

#ifdef __cplusplus
extern "C" {
#endif

void spi_flash_disable_interrupts_caches_and_other_cpu(void);
void spi_flash_enable_interrupts_caches_and_other_cpu(void);

#ifdef __cplusplus
}
#endif

#endif
