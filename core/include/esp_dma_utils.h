/* esp_dma_utils.h - ESP-IDF v5.3-v5.5's DMA buffer helpers (removed in v6.0), on
 * heap_caps: a buffer aligned to both the DMA's and the cache line's alignment, its
 * size rounded up to that. */
#ifndef MMSIM_ESP_DMA_UTILS_H
#define MMSIM_ESP_DMA_UTILS_H

#include <stddef.h>
#include <stdint.h>

#include "esp_err.h"
#include "esp_heap_caps.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    int extra_heap_caps;        /* caps besides MALLOC_CAP_DMA (MALLOC_CAP_SPIRAM: a PSRAM buffer) */
    size_t dma_alignment_bytes; /* the peripheral's own alignment (0 or a power of two) */
} esp_dma_mem_info_t;

/* ESP_ERR_INVALID_ARG: NULL info or out_ptr (or, calloc, n * size overflows);
 * ESP_ERR_NO_MEM: no room.  actual_size (may be NULL) gets the rounded size.  calloc
 * zeroes by CPU stores. */
esp_err_t esp_dma_capable_malloc(size_t size, const esp_dma_mem_info_t *dma_mem_info, void **out_ptr,
                                 size_t *actual_size);
esp_err_t esp_dma_capable_calloc(size_t calloc_num, size_t size, const esp_dma_mem_info_t *dma_mem_info,
                                 void **out_ptr, size_t *actual_size);

#ifdef __cplusplus
}
#endif

#endif
