/* esp32/himem.h - ESP32 himem: PSRAM beyond the 4 MB data window, reached by switching
 * 32 KB banks into the last CONFIG_SPIRAM_BANKSWITCH_RESERVE pages of the window
 * (ESP-IDF's names, values and return codes; esp-idf-behaviour.md §3).
 *
 * ESP-IDF refuses to compile this header for other targets.  The simulator picks the
 * chip at run time, so here the functions exist everywhere and, on a chip without
 * himem, behave as an ESP32 whose himem did not initialise (INVALID_STATE, or NO_MEM
 * from the allocators, sizes 0). */
#ifndef MMSIM_ESP32_HIMEM_H
#define MMSIM_ESP32_HIMEM_H

#include <stddef.h>

#include "esp_err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Opaque handles: a set of physical 32 KB RAM blocks, and a run of window pages. */
typedef struct esp_himem_ramdata_t *esp_himem_handle_t;
typedef struct esp_himem_rangedata_t *esp_himem_rangehandle_t;

/* The ESP32 PSRAM MMU page: the unit of every himem size and offset. */
#define ESP_HIMEM_BLKSZ (0x8000)

/* Map for reading only.  Accepted and ignored, as upstream. */
#define ESP_HIMEM_MAPFLAG_RO 1

/* Allocate `size` bytes (a multiple of ESP_HIMEM_BLKSZ) of physical himem: the first
 * size/32K free blocks in index order, not necessarily contiguous.
 * ESP_ERR_INVALID_SIZE: size not a multiple of 32 KB; ESP_ERR_NO_MEM: not enough free
 * blocks (also for size 0 and when himem is not available).  *handle_out is written
 * only on success. */
esp_err_t esp_himem_alloc(size_t size, esp_himem_handle_t *handle_out);

/* Allocate `size` bytes of window pages: the first run of size/32K contiguous free pages.
 * ESP_ERR_INVALID_STATE: himem not available; ESP_ERR_INVALID_SIZE: size not a multiple
 * of 32 KB; ESP_ERR_NO_MEM: no such run (also for size 0).  *handle_out is written only
 * on success. */
esp_err_t esp_himem_alloc_map_range(size_t size, esp_himem_rangehandle_t *handle_out);

/* Point `len` bytes of window pages of `range` (from `range_offset`) at the RAM blocks of
 * `handle` (from `ram_offset`), on both CPUs' MMUs, with no cache operation.  *out_ptr
 * is the virtual address of the first page.  Offsets and len are multiples of 32 KB.
 * ESP_ERR_INVALID_STATE: himem not available, or a block or page already mapped;
 * ESP_ERR_INVALID_ARG: misalignment; ESP_ERR_INVALID_SIZE: past the end of a handle.
 * `flags` is ignored.  len 0 maps nothing and returns a pointer. */
esp_err_t esp_himem_map(esp_himem_handle_t handle, esp_himem_rangehandle_t range, size_t ram_offset,
                        size_t range_offset, size_t len, int flags, void **out_ptr);

/* Free the RAM blocks of `handle`.  ESP_ERR_INVALID_ARG if any of them is still mapped
 * (nothing changes then). */
esp_err_t esp_himem_free(esp_himem_handle_t handle);

/* Free the window pages of `handle`.  ESP_ERR_INVALID_ARG if any is still mapped. */
esp_err_t esp_himem_free_map_range(esp_himem_rangehandle_t handle);

/* Mark `len` bytes of window pages from `ptr` unmapped, then write back and evict the
 * PSRAM cache(s) by a read sweep.  The MMU entries stay as they were: until the next
 * map the old bank is still visible through `ptr`.  ESP_ERR_INVALID_ARG: ptr or len not
 * block-aligned, or the pages run past the end of `range`. */
esp_err_t esp_himem_unmap(esp_himem_rangehandle_t range, void *ptr, size_t len);

/* Bytes of physical himem (PSRAM above the part the window maps directly). */
size_t esp_himem_get_phys_size(void);

/* Bytes of physical himem not allocated. */
size_t esp_himem_get_free_size(void);

/* Bytes of the window reserved for bank switching (CONFIG_SPIRAM_BANKSWITCH_RESERVE x
 * 32 KB); the PSRAM heap ends below them. */
size_t esp_himem_reserved_area_size(void);

#ifdef __cplusplus
}
#endif

#endif
