/* hal/mmu_hal.h - ESP-IDF's MMU HAL (components/hal/include/hal/mmu_hal.h) on the
 * simulated chip bound to this thread.
 *
 * Same names, signatures and contracts as ESP-IDF (esp-idf-behaviour.md §4.1).  Where
 * the chip would HAL_ASSERT, the simulator records an MMSIM_HAZARD_HAL_ASSERT hazard
 * and returns without changing anything (false/0 from functions with a result).  With
 * no machine bound every function does nothing and returns false/0.
 *
 * mmu_id: ESP32 0/1 = the PRO/APP CPU's table; ESP32-P4 0 = flash MMU, 1 = PSRAM MMU;
 * other chips 0 only.  Unlike ESP-IDF, where some functions exist only on some targets
 * (#if SOC_...), all are declared on every chip; see each contract for its behaviour
 * elsewhere. */
#ifndef MMSIM_HAL_MMU_HAL_H
#define MMSIM_HAL_MMU_HAL_H

#include <stdbool.h>
#include <stdint.h>

#include "hal/mmu_types.h"
#include "soc/soc_caps.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    uint8_t core_nums;      /* CPU cores: how many per-CPU tables mmu_hal_unmap_all clears */
    uint32_t mmu_page_size; /* page size the bootloader programs */
} mmu_hal_config_t;

/* Context init, then set the page size (must be the chip's configured one) and unmap all. */
void mmu_hal_init(const mmu_hal_config_t *config);

/* Store config->core_nums only. */
void mmu_hal_ctx_init(const mmu_hal_config_t *config);

/* Invalidate every entry: both P4 MMUs; else the tables of MMU ids 0..core_nums-1 (ESP32:
 * entries below SOC_MMU_ENTRY_NUM = 384 only, so its PSRAM entries 1152-1279 stay). */
void mmu_hal_unmap_all(void);

/* page_num pages of MMU mmu_id in bytes; 0 and a HAL_ASSERT if the page size is not 16/32/64 KB. */
uint32_t mmu_hal_pages_to_bytes(uint32_t mmu_id, uint32_t page_num);

/* bytes in whole pages (rounded down); 0 and a HAL_ASSERT if the page size is not 16/32/64 KB. */
uint32_t mmu_hal_bytes_to_pages(uint32_t mmu_id, uint32_t bytes);

/* Map ceil(len/page) pages of mem_type at paddr to vaddr on MMU mmu_id; *out_len = pages x page.
 * Asserts: vaddr and paddr page-aligned, paddr range valid, vaddr range in one (data or
 * instruction) window; flash-only MMUs also assert mem_type == MMU_TARGET_FLASH0.  Steps
 * by the MMU page size even through ESP32's 32 KB-page PSRAM window, as upstream (ESP32
 * PSRAM is mapped with cache_sram_mmu_set instead). */
void mmu_hal_map_region(uint32_t mmu_id, mmu_target_t mem_type, uint32_t vaddr, uint32_t paddr, uint32_t len,
                        uint32_t *out_len);

/* P4 only: map PSRAM pages on the PSRAM MMU without the encryption bit, data vaddr only
 * (HAL_ASSERT on other chips). */
void mmu_hal_map_region_no_enc(uint32_t vaddr, uint32_t paddr, uint32_t len);

/* Invalidate the ceil(len/page) entries of [vaddr, vaddr+len) on MMU mmu_id.  Asserts:
 * vaddr page-aligned and the range in one window. */
void mmu_hal_unmap_region(uint32_t mmu_id, uint32_t vaddr, uint32_t len);

/* The physical address and target vaddr is mapped to on MMU mmu_id; false if its entry is
 * invalid (outputs untouched).  Asserts: vaddr in a window. */
bool mmu_hal_vaddr_to_paddr(uint32_t mmu_id, uint32_t vaddr, uint32_t *out_paddr, mmu_target_t *out_target);

/* The vaddr (view `type`) of the lowest valid entry of MMU mmu_id holding paddr's page of
 * target; false if none, or if that entry's window does not serve `type`.  Asserts: paddr
 * in the MMU's physical range. */
bool mmu_hal_paddr_to_vaddr(uint32_t mmu_id, uint32_t paddr, mmu_target_t target, mmu_vaddr_t type,
                            uint32_t *out_vaddr);

/* True if vaddr_start and vaddr_start+len-1 lie in one window serving `type` (a bit set). */
bool mmu_hal_check_valid_ext_vaddr_region(uint32_t mmu_id, uint32_t vaddr_start, uint32_t len, mmu_vaddr_t type);

/* True if paddr_start, len and paddr_start+len-1 are all below the MMU's physical reach. */
bool mmu_hal_check_valid_paddr_region(uint32_t mmu_id, uint32_t paddr_start, uint32_t len);

/* P4: the MMU for a target (flash 0, PSRAM 1); 0 on every other chip. */
uint32_t mmu_hal_get_id_from_target(mmu_target_t target);

/* P4: the MMU whose window holds vaddr (HAL_ASSERT and 0 if none); 0 on every other chip. */
uint32_t mmu_hal_get_id_from_vaddr(uint32_t vaddr);

#ifdef __cplusplus
}
#endif

#endif
