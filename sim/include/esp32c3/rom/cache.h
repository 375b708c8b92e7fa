/* esp32c3/rom/cache.h - the ESP32-C3 ROM cache routines that drivers and libraries
 * call directly (components/esp_rom/esp32c3/include/esp32c3/rom/cache.h: these names,
 * arguments and return values), on the simulated chip bound to this thread
 * (sim/hal_rom_cache.c).  The chip's one cache is read-only, so its ROM has no
 * write-back or clean routine.  Only the routines below are provided.  Called on a
 * chip whose ROM lacks one, a routine records an MMSIM_HAZARD_HAL_ASSERT hazard and
 * does nothing (returning ESP_ROM_ERR_INVALID_ARG or 0); with no machine bound,
 * nothing.  ESP32-C2, C3, C6 and H2 have the same routines (and ESP32-S2/S3 these
 * among theirs). */
#ifndef MMSIM_ESP32C3_ROM_CACHE_H
#define MMSIM_ESP32C3_ROM_CACHE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What the by-address routine returns for an invalid argument (ESP-IDF's value). */
#define ESP_ROM_ERR_INVALID_ARG 1

/* Invalidate the cache lines of [addr, addr+size), rounded outward to whole lines:
 * the next access refills from flash (after a raw SPI1 write, the new bytes).  A
 * range outside the cacheable windows does nothing.  Returns 0. */
int Cache_Invalidate_Addr(uint32_t addr, uint32_t size);

/* Invalidate every line of the cache (the ROM calls the chip's one cache the ICache). */
void Cache_Invalidate_ICache_All(void);

/* The cache's line size in bytes, from the chip definition. */
uint32_t Cache_Get_ICache_Line_Size(void);

/* Suspend the cache: until Cache_Resume_ICache every access through it is a
 * cache_disabled hazard.  Returns the autoload setting for Resume; autoload is not
 * modelled, so 0, and Resume ignores its argument. */
uint32_t Cache_Suspend_ICache(void);
void Cache_Resume_ICache(uint32_t autoload);

#ifdef __cplusplus
}
#endif

#endif
