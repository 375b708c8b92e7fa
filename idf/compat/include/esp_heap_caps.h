/* esp_heap_caps.h (compat) - ESP-IDF's capability allocator for the upstream driver
 * sources, on the host heap.  The drivers only ask for internal RAM (their own
 * bookkeeping), which the simulator does not model, so any request without
 * MALLOC_CAP_SPIRAM is served by the host allocator; a PSRAM request gets NULL (the
 * simulated PSRAM heap belongs to libmmsim's heap_caps).  Every block is tracked so
 * that unloading the driver frees what it still holds (see mmsim_idf_compat.h). */
#ifndef MMSIM_IDF_COMPAT_ESP_HEAP_CAPS_H
#define MMSIM_IDF_COMPAT_ESP_HEAP_CAPS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MALLOC_CAP_EXEC (1 << 0)
#define MALLOC_CAP_32BIT (1 << 1)
#define MALLOC_CAP_8BIT (1 << 2)
#define MALLOC_CAP_DMA (1 << 3)
#define MALLOC_CAP_SPIRAM (1 << 10)
#define MALLOC_CAP_INTERNAL (1 << 11)
#define MALLOC_CAP_DEFAULT (1 << 12)
#define MALLOC_CAP_IRAM_8BIT (1 << 13)
#define MALLOC_CAP_RETENTION (1 << 14)
#define MALLOC_CAP_RTCRAM (1 << 15)
#define MALLOC_CAP_DMA_DESC_AHB (1 << 17)
#define MALLOC_CAP_DMA_DESC_AXI (1 << 18)
#define MALLOC_CAP_CACHE_ALIGNED (1 << 19)
#define MALLOC_CAP_INVALID (1u << 31)

void *heap_caps_malloc(size_t size, uint32_t caps);
void *heap_caps_calloc(size_t n, size_t size, uint32_t caps);
void *heap_caps_realloc(void *ptr, size_t size, uint32_t caps);
void *heap_caps_aligned_alloc(size_t alignment, size_t size, uint32_t caps);
void *heap_caps_aligned_calloc(size_t alignment, size_t n, size_t size, uint32_t caps);
void heap_caps_free(void *ptr);
void heap_caps_aligned_free(void *ptr);

#ifdef __cplusplus
}
#endif

#endif
