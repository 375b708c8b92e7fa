/* esp_heap_caps.h - ESP-IDF's capability heap API (same names and MALLOC_CAP_* values),
 * for the heaps the simulated chip has: the PSRAM heap the start-up code registers
 * (MALLOC_CAP_SPIRAM | 8BIT | 32BIT | DEFAULT).  Internal RAM is not simulated, so a
 * request for capabilities no registered heap has returns NULL.
 *
 * Pointers are simulated chip addresses, read and written through the CPU path
 * (mmsim_cpu_read/write), never dereferenced on the host.  The allocator keeps its
 * bookkeeping on the host: blocks are 4-byte aligned and have no in-band header, so the
 * heap's own traffic does not show in the caches. */
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

/* First fit in the first heap that has every bit of `caps`.  NULL for size 0, when no
 * heap has the capabilities or none has room. */
void *heap_caps_malloc(size_t size, uint32_t caps);

/* Free a block heap_caps_malloc returned; NULL does nothing.  Any other pointer is heap
 * corruption: the chip aborts (recorded as an abort hazard; nothing is freed). */
void heap_caps_free(void *ptr);

/* Bytes free in, the largest free block of, and the size of the heaps with `caps`. */
size_t heap_caps_get_free_size(uint32_t caps);
size_t heap_caps_get_largest_free_block(uint32_t caps);
size_t heap_caps_get_total_size(uint32_t caps);

/* Add [start, end) as a heap with the union of caps[0..2] (ESP-IDF's priority levels).
 * ESP_ERR_INVALID_ARG: caps NULL or start >= end; ESP_FAIL: it overlaps a heap;
 * ESP_ERR_NO_MEM: no room for the bookkeeping. */
esp_err_t heap_caps_add_region_with_caps(const uint32_t caps[], intptr_t start, intptr_t end);

#ifdef __cplusplus
}
#endif

#endif
