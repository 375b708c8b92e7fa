/* esp32p4/rom/cache.h - the ESP32-P4 ROM cache routines that drivers and libraries call
 * directly instead of esp_cache_msync (components/esp_rom/esp32p4/include/esp32p4/rom/
 * cache.h: these names, arguments, CACHE_MAP_* values and return values), on the
 * simulated chip bound to this thread (sim/hal_rom_cache.c).  Only the routines below
 * are provided.  Called on another chip, a routine records an MMSIM_HAZARD_HAL_ASSERT
 * hazard and does nothing (returning ESP_ROM_ERR_INVALID_ARG or 0); with no machine
 * bound, nothing.
 *
 * The P4 routines take a cache map naming the caches they act on, and act on those
 * only: CACHE_MAP_L1_DCACHE alone writes the L1 lines into L2 and leaves L2 dirty, so
 * DMA does not see the data until L2 is written back too (CACHE_MAP_L1_DCACHE |
 * CACHE_MAP_L2_CACHE).  Ranges are widened outward to the largest line size of the
 * caches in the map.
 *
 * Link names.  ESP32-S2/S3 and the C chips have routines of the same names with other
 * arguments (Cache_WriteBack_Addr(addr, size)), and one library serves every chip, so
 * the P4 routines that take a map are linked as esp32p4_rom_<name>; this header maps
 * ESP-IDF's names onto them, so code written for the P4 calls them by ESP-IDF's names
 * (include one chip's rom/cache.h per source file, as in ESP-IDF).  Define
 * MMSIM_ESP32P4_ROM_LINK_NAMES_ONLY before including it to keep the plain names free
 * (a file that calls both chips' routines). */
#ifndef MMSIM_ESP32P4_ROM_CACHE_H
#define MMSIM_ESP32P4_ROM_CACHE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What the routines return for an invalid argument (ESP-IDF's value). */
#define ESP_ROM_ERR_INVALID_ARG 1

/* The caches a map names (ESP-IDF's values). */
#define CACHE_MAP_L1_ICACHE_0 (1UL << 0)
#define CACHE_MAP_L1_ICACHE_1 (1UL << 1)
#define CACHE_MAP_L1_DCACHE (1UL << 4)
#define CACHE_MAP_L2_CACHE (1UL << 5)

#define CACHE_MAP_L1_ICACHE_MASK (CACHE_MAP_L1_ICACHE_0 | CACHE_MAP_L1_ICACHE_1)
#define CACHE_MAP_L1_CACHE_MASK (CACHE_MAP_L1_ICACHE_MASK | CACHE_MAP_L1_DCACHE)
#define CACHE_MAP_MASK (CACHE_MAP_L1_ICACHE_MASK | CACHE_MAP_L1_DCACHE | CACHE_MAP_L2_CACHE)
#define CACHE_MAP_DCACHE_MASK (CACHE_MAP_L1_DCACHE | CACHE_MAP_L2_CACHE)

/* Invalidate the lines of [addr, addr+size) in the caches of `map` (upper level first).
 * A dirty line is dropped with its writes (a lost_write hazard).  Returns 0, or
 * ESP_ROM_ERR_INVALID_ARG for a map naming no cache.  A zero size does nothing
 * (Cache_Clean_Addr likewise). */
int esp32p4_rom_Cache_Invalidate_Addr(uint32_t map, uint32_t addr, uint32_t size);

/* Clear the dirty bit of the lines of [addr, addr+size) in the data caches of `map`
 * without writing them back (a lost_write hazard per dirty line).  Returns 0, or
 * ESP_ROM_ERR_INVALID_ARG for a map naming an L1 I-cache or no data cache. */
int esp32p4_rom_Cache_Clean_Addr(uint32_t map, uint32_t addr, uint32_t size);

/* Write the dirty lines of [addr, addr+size) in the caches of `map` down one level, L1
 * first: an L1 line into L2 where L2 holds its address (else to memory), an L2 line to
 * memory where the MMU maps it now.  Returns 0, or ESP_ROM_ERR_INVALID_ARG for a map
 * naming an L1 I-cache or no data cache.  An aligned address with size 0 writes back
 * the whole of the mapped caches (ESP-IDF's version hands the sync engine the request
 * its whole-cache write-back uses; not run on a chip). */
int esp32p4_rom_Cache_WriteBack_Addr(uint32_t map, uint32_t addr, uint32_t size);

/* Cache_WriteBack_Addr, then the lines are invalidated. */
int esp32p4_rom_Cache_WriteBack_Invalidate_Addr(uint32_t map, uint32_t addr, uint32_t size);

/* The whole-cache versions of the four above, on every line of the caches of `map`;
 * the same return values. */
int esp32p4_rom_Cache_Invalidate_All(uint32_t map);
int esp32p4_rom_Cache_Clean_All(uint32_t map);
int esp32p4_rom_Cache_WriteBack_All(uint32_t map);
int esp32p4_rom_Cache_WriteBack_Invalidate_All(uint32_t map);

/* The L1 I-cache, L1 D-cache and L2 line sizes in bytes, from the chip definition.
 * (ESP-IDF's header also declares Cache_Get_DCache_Line_Size, which the P4 ROM does not
 * export: it is not provided here either.) */
uint32_t Cache_Get_L1_ICache_Line_Size(void);
uint32_t Cache_Get_L1_DCache_Line_Size(void);
uint32_t Cache_Get_L2_Cache_Line_Size(void);

#ifndef MMSIM_ESP32P4_ROM_LINK_NAMES_ONLY
#define Cache_Invalidate_Addr esp32p4_rom_Cache_Invalidate_Addr
#define Cache_Clean_Addr esp32p4_rom_Cache_Clean_Addr
#define Cache_WriteBack_Addr esp32p4_rom_Cache_WriteBack_Addr
#define Cache_WriteBack_Invalidate_Addr esp32p4_rom_Cache_WriteBack_Invalidate_Addr
#define Cache_Invalidate_All esp32p4_rom_Cache_Invalidate_All
#define Cache_Clean_All esp32p4_rom_Cache_Clean_All
#define Cache_WriteBack_All esp32p4_rom_Cache_WriteBack_All
#define Cache_WriteBack_Invalidate_All esp32p4_rom_Cache_WriteBack_Invalidate_All
#endif

#ifdef __cplusplus
}
#endif

#endif
