/* mmsim_idf_prelude.h (compat) - force-included (-include) before every upstream
 * source.  esp_mmu_map_init reads the app image's bounds as the addresses of linker
 * symbols (`extern char _instruction_reserved_start;` ... `(uint32_t)&symbol`; `int`
 * instead of `char` before v5.4).  On the simulator the bounds are the booted machine's
 * (esp_private/image_layout.h) and change per boot, so each symbol names a function
 * returning that address as a pointer, which upstream only converts back to an integer,
 * never dereferences.  The per-release adapters follow (mmsim_idf_release.h). */
#ifndef MMSIM_IDF_PRELUDE_H
#define MMSIM_IDF_PRELUDE_H

char *mmsim_idf_irom_start(void);
char *mmsim_idf_irom_end(void);
char *mmsim_idf_drom_start(void);
char *mmsim_idf_drom_end(void);

#include "mmsim_idf_release.h"

/* newlib's <stdio.h> and <stdlib.h> bring _lock_t (sys/reent.h includes sys/lock.h);
 * flash_mmap.c relies on it. */
#include "sys/lock.h"

/* newlib has strlcpy (partition.c calls it); glibc only from 2.38: compat_mem.c
 * provides it on older hosts. */
#include <string.h>
#if defined(__GLIBC__) && !(__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 38))
#define MMSIM_IDF_NEED_STRLCPY 1
size_t strlcpy(char *dst, const char *src, size_t size);
#else
#define MMSIM_IDF_NEED_STRLCPY 0
#endif

#if MMSIM_IDF_IMAGE_SYMBOLS_ARE_INT
/* Upstream's own `extern int X;` redeclares these with the element type it expects;
 * internal linkage carries over to that declaration (C11 6.2.2p4). */
static inline int *mmsim_idf_irom_start_int(void) { return (int *)(void *)mmsim_idf_irom_start(); }
static inline int *mmsim_idf_irom_end_int(void) { return (int *)(void *)mmsim_idf_irom_end(); }
static inline int *mmsim_idf_drom_start_int(void) { return (int *)(void *)mmsim_idf_drom_start(); }
static inline int *mmsim_idf_drom_end_int(void) { return (int *)(void *)mmsim_idf_drom_end(); }
#define _instruction_reserved_start (*mmsim_idf_irom_start_int())
#define _instruction_reserved_end (*mmsim_idf_irom_end_int())
#define _rodata_reserved_start (*mmsim_idf_drom_start_int())
#define _rodata_reserved_end (*mmsim_idf_drom_end_int())
#else
#define _instruction_reserved_start (*mmsim_idf_irom_start())
#define _instruction_reserved_end (*mmsim_idf_irom_end())
#define _rodata_reserved_start (*mmsim_idf_drom_start())
#define _rodata_reserved_end (*mmsim_idf_drom_end())
#endif

#endif
