/* esp_mmu_map.h - ESP-IDF's external-memory mapping API (same names, signatures,
 * types and flag values as ESP-IDF master), implemented by core/esp_mmu_map.c.
 *
 * Pointers in and out are chip addresses (on the simulator: read and write them with
 * mmsim_cpu_read/write, never dereference them on the host). */
#ifndef MMSIM_ESP_MMU_MAP_H
#define MMSIM_ESP_MMU_MAP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "esp_err.h"
#include "hal/mmu_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Map even if the physical range overlaps (not encloses) an existing mapping. */
#define ESP_MMU_MMAP_FLAG_PADDR_SHARED BIT(0)

typedef uint32_t esp_paddr_t;
typedef uint32_t esp_vaddr_t;

/* Map [paddr_start, paddr_start + size) of `target` at a free virtual range with `caps`
 * (size rounded up to pages; paddr_start page aligned).  *out_ptr = the block's start.
 * ESP_ERR_INVALID_ARG (NULL out_ptr, unaligned paddr, EXEC with WRITE or 8BIT, a
 * physical range overlapping a mapped one without PADDR_SHARED), ESP_ERR_NOT_SUPPORTED
 * (PSRAM where the driver cannot map it), ESP_ERR_NOT_FOUND (no room),
 * ESP_ERR_INVALID_STATE (the range is inside a mapped one: *out_ptr = its address),
 * ESP_ERR_NO_MEM. */
esp_err_t esp_mmu_map(esp_paddr_t paddr_start, size_t size, mmu_target_t target, mmu_mem_caps_t caps,
                      int flags, void **out_ptr);

/* As esp_mmu_map, at the page-aligned virtual address `vaddr_start` (0: anywhere);
 * out_ptr may be NULL. */
esp_err_t esp_mmu_map_virt(esp_vaddr_t vaddr_start, esp_paddr_t paddr_start, size_t size,
                           mmu_target_t target, mmu_mem_caps_t caps, int flags, void **out_ptr);

/* Unmap the block starting at `ptr` (either bus alias).  ESP_ERR_INVALID_ARG for NULL,
 * ESP_ERR_NOT_FOUND if no block starts there.  No cache maintenance. */
esp_err_t esp_mmu_unmap(void *ptr);

/* *out_len = the largest free range a map with `caps`/`target` could get. */
esp_err_t esp_mmu_map_get_max_consecutive_free_block_size(mmu_mem_caps_t caps, mmu_target_t target,
                                                          size_t *out_len);

/* Print the regions and blocks to `stream`, in ESP-IDF's exact format. */
esp_err_t esp_mmu_map_dump_mapped_blocks(FILE *stream);

/* The physical address and target the MMU maps `vaddr` to. */
esp_err_t esp_mmu_vaddr_to_paddr(void *vaddr, esp_paddr_t *out_paddr, mmu_target_t *out_target);

/* The first virtual address (of view `type`) the MMU maps `paddr` of `target` at. */
esp_err_t esp_mmu_paddr_to_vaddr(esp_paddr_t paddr, mmu_target_t target, mmu_vaddr_t type, void **out_vaddr);

/* The caps of the driver block holding `paddr` (ESP_ERR_NOT_FOUND if none). */
esp_err_t esp_mmu_paddr_find_caps(const esp_paddr_t paddr, mmu_mem_caps_t *out_caps);

#ifdef __cplusplus
}
#endif

#endif
