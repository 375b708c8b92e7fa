/* mmsim_idf_compat_private.h - the compatibility layer's own functions, shared by its
 * C files (idf/compat/) and its unit tests.  Not an ESP-IDF header, and not part of
 * the contract with libmmsim's loader (that is mmsim_idf_compat.h). */
#ifndef MMSIM_IDF_COMPAT_PRIVATE_H
#define MMSIM_IDF_COMPAT_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Record an abort hazard saying `why`, unless one is already on record for the bound
 * machine: the chip stops at its first abort, the simulator goes on, and what goes
 * wrong only because it went on (a failed assert after the aborting call, a double
 * free in the same release) is not a second stop. */
void mmsim_idf_abort_once(const char *why);
/* Binary semaphores created from now on report a wait for ever as `why` (NULL: the
 * generic words), so a hang names the lock it is in (the mmap lock, spi_flash). */
void mmsim_idf_semaphores_hang_as(const char *why);

/* Does [p, p + len) lie in the driver heap's arena (compat_heap.c)?  A host block the
 * driver was given; such memory is never a chip address. */
bool mmsim_idf_alloc_is_host(const void *p, size_t len);

/* memcpy and memcmp where either side may be a chip address (compat_mem.c): a chip
 * address is read with CPU loads by the driver's core, through the MMU and cache, as
 * upstream's code reads through a mapping on the chip; host memory is read directly.
 * Writing to a chip address is not something the drivers built here do: it is
 * reported (an abort hazard, nothing written). */
void *mmsim_idf_memcpy(void *dst, const void *src, size_t n);
int mmsim_idf_memcmp(const void *a, const void *b, size_t n);

/* The simulated bootloader's check of the partition table in flash (ours,
 * core/esp_flash_partitions.c, compiled into the library as glue; its contract is in
 * core/include/esp_flash_partitions.h).  Returns an esp_err_t. */
int esp_partition_table_boot_check(void);

#ifdef __cplusplus
}
#endif

#endif
