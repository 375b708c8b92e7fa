/* esp_cache.h - ESP-IDF's public cache API: esp_cache_msync and its flags,
 * esp_cache_get_line_size_by_addr (same names, values and contracts as ESP-IDF
 * master; idf_version selects older behaviour, see esp_cache_msync.c). */
#ifndef MMSIM_ESP_CACHE_H
#define MMSIM_ESP_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "esp_err.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ESP_CACHE_MSYNC_FLAG_INVALIDATE (1 << 0) /* C2M: invalidate after the write-back */
#define ESP_CACHE_MSYNC_FLAG_UNALIGNED (1 << 1)  /* skip the alignment check (not for M2C) */
#define ESP_CACHE_MSYNC_FLAG_DIR_C2M (1 << 2)    /* cache to memory (the default direction) */
#define ESP_CACHE_MSYNC_FLAG_DIR_M2C (1 << 3)    /* memory to cache */
#define ESP_CACHE_MSYNC_FLAG_TYPE_DATA (1 << 4)  /* data (the default type) */
#define ESP_CACHE_MSYNC_FLAG_TYPE_INST (1 << 5)  /* instruction */

/* Synchronise the cache and memory for [addr, addr+size).  ESP_OK;
 * ESP_ERR_INVALID_ARG for a NULL addr, an overflowing range, both directions or both
 * types, misalignment to the cache line (unless UNALIGNED), UNALIGNED with M2C, or
 * INST with C2M; ESP_ERR_NOT_SUPPORTED when the range is not in one cacheable window. */
esp_err_t esp_cache_msync(void *addr, size_t size, int flags);

/* The data cache line size serving `addr` (external RAM or internal), 0 if none. */
size_t esp_cache_get_line_size_by_addr(const void *addr);

#ifdef __cplusplus
}
#endif

#endif
