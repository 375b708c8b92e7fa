/* esp_heap_caps_alloc.h - the allocator under ESP-IDF's heap API (esp_heap_caps.c),
 * private to core/: blocks by address, no in-band headers. */
#ifndef MMSIM_ESP_HEAP_CAPS_ALLOC_H
#define MMSIM_ESP_HEAP_CAPS_ALLOC_H

#include <stdbool.h>
#include <stdint.h>

#include "esp_heap_caps.h"

#define HEAP_MIN_ALIGN 4u /* every block: ESP-IDF's UNALIGNED_MEM_ALIGNMENT_BYTES */

/* `size` bytes at an `align` (power of two, >= 4) boundary from the first heap, in
 * ESP-IDF's priority order, that has every bit of `caps`; NULL if none has room. */
void *heap_alloc(uint32_t align, uint32_t size, uint32_t caps);
/* The used block starting at `addr`: its size and its heap's caps.  False if none. */
bool heap_block(uint32_t addr, uint32_t *size, uint32_t *all_caps);
/* Grow or shrink the block at `addr` where it stands; false if it cannot. */
bool heap_resize_in_place(uint32_t addr, uint32_t size);
/* Free the block at `addr`; false (nothing freed) if no block starts there. */
bool heap_release(uint32_t addr);
/* The hook heap_caps_register_failed_alloc_callback set, or NULL. */
esp_alloc_failed_hook_t heap_alloc_failed_hook(void);

#endif
