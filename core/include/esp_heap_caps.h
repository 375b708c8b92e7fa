/* esp_heap_caps.h - ESP-IDF's capability heap API (same names, MALLOC_CAP_* values and
 * results), over the heaps the simulated chip has: its internal RAM (MALLOC_CAP_INTERNAL
 * | DMA | 8BIT | 32BIT | DEFAULT, registered by heap_caps_init at boot) and the PSRAM
 * heap the PSRAM start-up registers (MALLOC_CAP_SPIRAM | DEFAULT, then 8BIT | 32BIT).
 *
 * Pointers are simulated chip addresses, read and written through the CPU path
 * (mmsim_cpu_read/write), never dereferenced on the host.  The allocator keeps its
 * bookkeeping on the host (no in-band headers), so the heap's own traffic does not
 * show in the caches; what the chip's code does to a buffer does: calloc's zeroes and
 * realloc's copy are CPU stores through the cache, as on the chip.
 *
 * DMA buffers (MALLOC_CAP_DMA, _CACHE_ALIGNED, _DMA_DESC_*), from ESP-IDF v5.3 on:
 * address and size are rounded up to the data cache line of the memory they come
 * from (the external level's for MALLOC_CAP_SPIRAM, the internal level's otherwise,
 * 0 = none but on P4), and with MALLOC_CAP_SPIRAM the DMA bit is dropped, as ESP-IDF's
 * esp_heap_adjust_alignment_to_hw does (no heap is registered SPIRAM | DMA).  Before
 * v5.3 no such adjustment exists and MALLOC_CAP_SPIRAM | MALLOC_CAP_DMA finds no heap. */
#ifndef MMSIM_ESP_HEAP_CAPS_H
#define MMSIM_ESP_HEAP_CAPS_H

#include <stddef.h>
#include <stdint.h>

#include "esp_err.h"

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
#define MALLOC_CAP_DMA_DESC_AHB (1 << 17)
#define MALLOC_CAP_DMA_DESC_AXI (1 << 18)
#define MALLOC_CAP_CACHE_ALIGNED (1 << 19)
#define MALLOC_CAP_SIMD (1 << 20)
#define MALLOC_CAP_INVALID (1u << 31)

/* Called with (size, caps, function name) when an allocation returns NULL for size > 0. */
typedef void (*esp_alloc_failed_hook_t)(size_t size, uint32_t caps, const char *function_name);
/* ESP_ERR_INVALID_ARG for NULL. */
esp_err_t heap_caps_register_failed_alloc_callback(esp_alloc_failed_hook_t callback);

/* First fit, heap priority level by level, in the first heap that has every bit of
 * `caps`; 4-byte aligned (DMA buffers: see above).  NULL for size 0, when no heap has
 * the capabilities or none has room. */
void *heap_caps_malloc(size_t size, uint32_t caps);
/* n * size bytes, zeroed by CPU stores (on a write-back cache the zeroes sit dirty in
 * the cache until written back); NULL on overflow. */
void *heap_caps_calloc(size_t n, size_t size, uint32_t caps);
/* NULL ptr: malloc.  Size 0: free, NULL.  Else the block grows or shrinks where it
 * stands when its heap has `caps` and no DMA alignment applies, or moves: a new block,
 * the bytes copied by the CPU, the old one freed; NULL (ptr untouched) if no room. */
void *heap_caps_realloc(void *ptr, size_t size, uint32_t caps);
/* Aligned to `alignment` (a power of two; NULL otherwise, or for size 0). */
void *heap_caps_aligned_alloc(size_t alignment, size_t size, uint32_t caps);
void *heap_caps_aligned_calloc(size_t alignment, size_t n, size_t size, uint32_t caps);
/* Try each of the `num` caps words that follow, in order. */
void *heap_caps_malloc_prefer(size_t size, size_t num, ...);
void *heap_caps_calloc_prefer(size_t n, size_t size, size_t num, ...);
void *heap_caps_realloc_prefer(void *ptr, size_t size, size_t num, ...);

/* Free a block these returned; NULL does nothing.  Any other pointer is heap
 * corruption: the chip aborts (recorded as an abort hazard; nothing is freed). */
void heap_caps_free(void *ptr);
void heap_caps_aligned_free(void *ptr);

/* Bytes free in, the largest free block of, the size of, and the lowest free bytes
 * ever of the heaps with `caps`; the size of an allocated block (0 for another pointer). */
size_t heap_caps_get_free_size(uint32_t caps);
size_t heap_caps_get_largest_free_block(uint32_t caps);
size_t heap_caps_get_total_size(uint32_t caps);
size_t heap_caps_get_minimum_free_size(uint32_t caps);
size_t heap_caps_get_allocated_size(void *ptr);

/* Add [start, end) as a heap with caps[0..2], ESP-IDF's priority levels.
 * ESP_ERR_INVALID_ARG: caps NULL or start >= end; ESP_FAIL: it overlaps a heap;
 * ESP_ERR_NO_MEM: no room for the bookkeeping. */
esp_err_t heap_caps_add_region_with_caps(const uint32_t caps[], intptr_t start, intptr_t end);

/* Start-up: the internal RAM's heap (SOC_DMA_LOW..SOC_DMA_HIGH), as ESP-IDF's
 * heap_caps_init registers it. */
void heap_caps_init(void);

#ifdef __cplusplus
}
#endif

#endif
