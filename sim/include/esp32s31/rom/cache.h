/* esp32s31/rom/cache.h - the ESP32-S31 ROM cache routines that drivers and libraries call
 * directly instead of esp_cache_msync (components/esp_rom/esp32s31/include/esp32s31/rom/
 * cache.h: these names, arguments, CACHE_MAP_* values and return values), on the
 * simulated chip bound to this thread (sim/hal_rom_cache.c).  Only the routines below
 * are provided.  Called on a chip whose ROM lacks one, a routine records an
 * MMSIM_HAZARD_HAL_ASSERT hazard and does nothing (returning ESP_ROM_ERR_INVALID_ARG or
 * 0); with no machine bound, nothing.
 *
 * The S31's routines are ESP32-P4's over one cache level: they take a cache map naming
 * the L1 caches they act on (CACHE_MAP_L1_ICACHE_0/1, CACHE_MAP_L1_DCACHE; there is no
 * L2), and act on those only.  They share the P4's link names (esp32p4_rom_<name>: the
 * by-address routines of the S2/S3 and C chips hold the plain names in the one library)
 * and this header maps ESP-IDF's names onto them, so S31 code calls them as written
 * (include one chip's rom/cache.h per source file, as in ESP-IDF).  Per-core ICaches:
 * either ICACHE bit names the ICache of both cores. */
#ifndef MMSIM_ESP32S31_ROM_CACHE_H
#define MMSIM_ESP32S31_ROM_CACHE_H

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

#define CACHE_MAP_L1_ICACHE_MASK (CACHE_MAP_L1_ICACHE_0 | CACHE_MAP_L1_ICACHE_1)
#define CACHE_MAP_MASK (CACHE_MAP_L1_ICACHE_MASK | CACHE_MAP_L1_DCACHE)
#define CACHE_MAP_DCACHE_MASK (CACHE_MAP_L1_DCACHE)

/* Invalidate the lines of [addr, addr+size) in the caches of `map`; a dirty line is
 * dropped with its writes (a lost_write hazard).  0, or ESP_ROM_ERR_INVALID_ARG for a
 * map naming no cache.  A zero size does nothing (Cache_Clean_Addr likewise). */
int esp32p4_rom_Cache_Invalidate_Addr(uint32_t map, uint32_t addr, uint32_t size);
/* Clear the dirty bit of the DCache lines of [addr, addr+size) without writing them
 * back (a lost_write hazard per dirty line).  ESP_ROM_ERR_INVALID_ARG for a map naming
 * an ICache or not the DCache. */
int esp32p4_rom_Cache_Clean_Addr(uint32_t map, uint32_t addr, uint32_t size);
/* Write the dirty DCache lines of [addr, addr+size) to memory, where the MMU maps them
 * now, widened to whole lines; the same refusals as Clean.  An aligned address with size
 * 0 writes back the whole DCache (as on the P4). */
int esp32p4_rom_Cache_WriteBack_Addr(uint32_t map, uint32_t addr, uint32_t size);
/* Cache_WriteBack_Addr, then the lines are invalidated. */
int esp32p4_rom_Cache_WriteBack_Invalidate_Addr(uint32_t map, uint32_t addr, uint32_t size);
/* The whole-cache versions, on every line of the caches of `map`. */
int esp32p4_rom_Cache_Invalidate_All(uint32_t map);
int esp32p4_rom_Cache_Clean_All(uint32_t map);
int esp32p4_rom_Cache_WriteBack_All(uint32_t map);
int esp32p4_rom_Cache_WriteBack_Invalidate_All(uint32_t map);

/* The L1 ICache and DCache line sizes in bytes, from the chip definition (64). */
uint32_t Cache_Get_L1_ICache_Line_Size(void);
uint32_t Cache_Get_L1_DCache_Line_Size(void);

#define Cache_Invalidate_Addr esp32p4_rom_Cache_Invalidate_Addr
#define Cache_Clean_Addr esp32p4_rom_Cache_Clean_Addr
#define Cache_WriteBack_Addr esp32p4_rom_Cache_WriteBack_Addr
#define Cache_WriteBack_Invalidate_Addr esp32p4_rom_Cache_WriteBack_Invalidate_Addr
#define Cache_Invalidate_All esp32p4_rom_Cache_Invalidate_All
#define Cache_Clean_All esp32p4_rom_Cache_Clean_All
#define Cache_WriteBack_All esp32p4_rom_Cache_WriteBack_All
#define Cache_WriteBack_Invalidate_All esp32p4_rom_Cache_WriteBack_Invalidate_All

#ifdef __cplusplus
}
#endif

#endif
