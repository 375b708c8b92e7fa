/* rom/cache_rom_icache_only.h - the ROM cache routines of the chips whose one cache the
 * ROM calls the ICache and which has no write-back (ESP32-C2, C3, C6, H2): the
 * declarations their <chip>/rom/cache.h headers share, implemented on the simulated
 * chip bound to this thread by sim/hal_rom_cache.c. */
#ifndef MMSIM_ROM_CACHE_ICACHE_ONLY_H
#define MMSIM_ROM_CACHE_ICACHE_ONLY_H

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
