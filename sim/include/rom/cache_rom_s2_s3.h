/* rom/cache_rom_s2_s3.h - the ROM cache routines ESP32-S2 and ESP32-S3 share (separate
 * instruction and write-back data caches): the declarations their <chip>/rom/cache.h
 * headers include, implemented on the simulated chip bound to this thread by
 * sim/hal_rom_cache.c. */
#ifndef MMSIM_ROM_CACHE_S2_S3_H
#define MMSIM_ROM_CACHE_S2_S3_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What the by-address routines return for an invalid argument (ESP-IDF's value). */
#define ESP_ROM_ERR_INVALID_ARG 1

/* Invalidate the I- and D-cache lines of [addr, addr+size), rounded outward to whole
 * lines: the next access refills from memory.  A dirty line is dropped with its writes
 * (a lost_write hazard), neighbours' bytes in an unaligned end line included.  A range
 * outside the cacheable windows does nothing.  Returns 0. */
int Cache_Invalidate_Addr(uint32_t addr, uint32_t size);

/* Clear the dirty bit of the D-cache lines of [addr, addr+size) (rounded outward)
 * WITHOUT writing them back: the CPU still reads its bytes until the line leaves the
 * cache, memory never gets them (a lost_write hazard per dirty line).  Returns 0. */
int Cache_Clean_Addr(uint32_t addr, uint32_t size);

/* Write the dirty D-cache lines of [addr, addr+size) (rounded outward) back to memory,
 * where the MMU maps them now; they stay valid and clean, so DMA then reads the CPU's
 * bytes.  Returns 0 (a zero size does nothing).  ESP-IDF's own version of this routine
 * (the ROM's mishandles unaligned ends on S3) is the one modelled. */
int Cache_WriteBack_Addr(uint32_t addr, uint32_t size);

/* Invalidate every line of the ICache. */
void Cache_Invalidate_ICache_All(void);

/* Invalidate every line of the DCache, dirty ones with their writes (lost_write). */
void Cache_Invalidate_DCache_All(void);

/* Clear the dirty bit of every DCache line without writing it back (lost_write). */
void Cache_Clean_All(void);

/* Write every dirty DCache line back; the lines stay valid and clean. */
void Cache_WriteBack_All(void);

/* The ICache and DCache line sizes in bytes, from the chip definition. */
uint32_t Cache_Get_ICache_Line_Size(void);
uint32_t Cache_Get_DCache_Line_Size(void);

/* Suspend the ICache / DCache: until the matching Resume, every access through it is
 * a cache_disabled hazard.  Returns the autoload setting for Resume; autoload is not
 * modelled, so 0, and Resume ignores its argument. */
uint32_t Cache_Suspend_ICache(void);
void Cache_Resume_ICache(uint32_t autoload);
uint32_t Cache_Suspend_DCache(void);
void Cache_Resume_DCache(uint32_t autoload);

#ifdef __cplusplus
}
#endif

#endif
