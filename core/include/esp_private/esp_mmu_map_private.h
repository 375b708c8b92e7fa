/* esp_private/esp_mmu_map_private.h - the start-up side of the map driver (ESP-IDF
 * names), and the host port's per-chip driver state.
 *
 * On the chip the driver's state is static.  The simulator can hold several chips in
 * one process, so the state lives in a context per chip: esp_mmu_map_init creates one
 * and makes it current, and the embedding layer switches contexts when it switches
 * machines (esp_mmu_map_ctx_*).  Driver code never sees the difference. */
#ifndef MMSIM_ESP_MMU_MAP_PRIVATE_H
#define MMSIM_ESP_MMU_MAP_PRIVATE_H

#include <stddef.h>

#include "esp_err.h"
#include "hal/mmu_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Boot: build the regions from the chip's table, reserve the app's IROM/DROM, coalesce
 * neighbours.  Makes a fresh context current. */
void esp_mmu_map_init(void);

/* Boot: take `size` (rounded to pages) from the free head of the first region fitting
 * caps/target, without mapping anything; *out_ptr = its virtual address. */
esp_err_t esp_mmu_map_reserve_block_with_caps(size_t size, mmu_mem_caps_t caps, mmu_target_t target,
                                              const void **out_ptr);

/* The same information as esp_mmu_map_dump_mapped_blocks, as INFO log lines. */
esp_err_t esp_mmu_map_dump_mapped_blocks_private(void);

/* Host port: the current context, switching to another (NULL: none; the driver then
 * behaves as before esp_mmu_map_init), and freeing one with its blocks. */
typedef struct esp_mmu_map_ctx esp_mmu_map_ctx_t;
esp_mmu_map_ctx_t *esp_mmu_map_ctx_current(void);
void esp_mmu_map_ctx_switch(esp_mmu_map_ctx_t *ctx);
void esp_mmu_map_ctx_free(esp_mmu_map_ctx_t *ctx);

/* Host port: check the driver's state against itself and the MMU: per region, blocks in
 * address order, disjoint and above the free head; max_slot_size the true largest free
 * slot; every block page mapped to its physical range in each table the driver writes;
 * every free page invalid (ESP32: flash regions only).  ESP_OK, or ESP_FAIL with the
 * first broken rule in why.  Reads the MMU through the HAL; changes nothing. */
esp_err_t esp_mmu_map_check_invariants(char *why, size_t why_len);

#ifdef __cplusplus
}
#endif

#endif
