/* hal/mmu_ll.h - ESP-IDF's MMU low-level layer (components/hal/<chip>/include/hal/mmu_ll.h)
 * on the simulated chip bound to this thread.
 *
 * In ESP-IDF these are `static inline` per chip; here they are ordinary functions that
 * act on the bound machine, whose chip is chosen at run time.  The address decode comes
 * from the chip definition's windows, not from per-chip constants, except for the LL
 * quirks the reference documents (ESP32 DRAM1 entry ids, ESP32's 384-entry checks).
 * Broken LL asserts are recorded as MMSIM_HAZARD_HAL_ASSERT and the function returns
 * 0/false/-1 without changing anything; with no machine bound it does nothing.
 * Per esp-idf-behaviour.md §4.2. */
#ifndef MMSIM_HAL_MMU_LL_H
#define MMSIM_HAL_MMU_LL_H

#include <stdbool.h>
#include <stdint.h>

#include "hal/mmu_types.h"
#include "soc/ext_mem_defs.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The MMU that maps flash, and the one that maps PSRAM: 0 and 1 on ESP32-P4 and S31
 * (SOC_MMU_PER_EXT_MEM_TARGET), 0 and 0 on the chips whose one MMU maps both (C5, C61,
 * H4 define both ids 0), as each chip's mmu_ll.h does. */
#define MMU_LL_FLASH_MMU_ID 0
#define MMU_LL_PSRAM_MMU_ID (mmu_ll_psram_mmu_id())
uint32_t mmu_ll_psram_mmu_id(void);

/* The linear address of vaddr: vaddr & SOC_MMU_LINEAR_ADDR_MASK. */
uint32_t mmu_ll_vaddr_to_laddr(uint32_t vaddr);

/* The vaddr of linear address laddr: bus base | laddr, the base of the DATA view for
 * MMU_VADDR_DATA and of the INSTRUCTION view otherwise (one base on C6/H2); on P4 the
 * base is the window of `target` and vaddr_type is ignored. */
uint32_t mmu_ll_laddr_to_vaddr(uint32_t laddr, mmu_vaddr_t vaddr_type, mmu_target_t target);

/* The target of the window holding vaddr (P4: flash or PSRAM window).  On chips whose
 * windows reach both targets: the target of the entry mapped there, FLASH0 if none.
 * HAL_ASSERT (and FLASH0) if no window holds vaddr. */
mmu_target_t mmu_ll_vaddr_to_target(uint32_t vaddr);

/* P4: the MMU id of the window holding vaddr (HAL_ASSERT and 0 if none); 0 elsewhere. */
uint32_t mmu_ll_vaddr_to_id(uint32_t vaddr);

/* The MMU page size in force (chip configuration; ESP32/S2/S3/C3/P4 always 64 KB). */
mmu_page_size_t mmu_ll_get_page_size(uint32_t mmu_id);

/* The page size is fixed when the machine is built (config mmu_page_size): setting the
 * size already in force is accepted, any other is a HAL_ASSERT. */
void mmu_ll_set_page_size(uint32_t mmu_id, uint32_t size);

/* True if vaddr_start and vaddr_start+len-1 lie in one window serving `type` (on S2, in
 * adjacent windows of that type, as its LL checks whole bus ranges). */
bool mmu_ll_check_valid_ext_vaddr_region(uint32_t mmu_id, uint32_t vaddr_start, uint32_t len, mmu_vaddr_t type);

/* True if paddr_start, len and paddr_start+len-1 are all below page size x the MMU's
 * SOC_MMU_*MAX_PADDR_PAGE_NUM (the larger of its flash and PSRAM reach). */
bool mmu_ll_check_valid_paddr_region(uint32_t mmu_id, uint32_t paddr_start, uint32_t len);

/* The entry id of vaddr's page (HAL_ASSERT and 0 if no window holds it). */
uint32_t mmu_ll_get_entry_id(uint32_t mmu_id, uint32_t vaddr);

/* paddr in the page-number format of the MMU's entries for `target` (paddr >> page
 * shift; ESP32 PSRAM: >> 15). */
uint32_t mmu_ll_format_paddr(uint32_t mmu_id, uint32_t paddr, mmu_target_t target);

/* Write mmu_val (from mmu_ll_format_paddr) as a valid entry for `target` at entry_id,
 * unmasked as upstream (a value beyond the page field runs into the flag bits); on P4
 * and flash-only chips the MMU, not `target`, decides the target bits. */
void mmu_ll_write_entry(uint32_t mmu_id, uint32_t entry_id, uint32_t mmu_val, mmu_target_t target);

/* The raw register value of entry_id. */
uint32_t mmu_ll_read_entry(uint32_t mmu_id, uint32_t entry_id);

/* Write the invalid value to entry_id. */
void mmu_ll_set_entry_invalid(uint32_t mmu_id, uint32_t entry_id);

/* Invalidate entries 0..SOC_MMU_ENTRY_NUM-1 of MMU mmu_id. */
void mmu_ll_unmap_all(uint32_t mmu_id);

/* True if entry_id holds a valid mapping. */
bool mmu_ll_check_entry_valid(uint32_t mmu_id, uint32_t entry_id);

/* The target of valid entry entry_id (HAL_ASSERT if it is invalid). */
mmu_target_t mmu_ll_get_entry_target(uint32_t mmu_id, uint32_t entry_id);

/* The physical base of entry_id's page (page number x that entry's page size). */
uint32_t mmu_ll_entry_id_to_paddr_base(uint32_t mmu_id, uint32_t entry_id);

/* The lowest valid entry holding page mmu_val of `target`, or -1. */
int mmu_ll_find_entry_id_based_on_map_value(uint32_t mmu_id, uint32_t mmu_val, mmu_target_t target);

/* The vaddr of entry_id's page in the window serving `type`, or 0 if none does. */
uint32_t mmu_ll_entry_id_to_vaddr_base(uint32_t mmu_id, uint32_t entry_id, mmu_vaddr_t type);

#ifdef __cplusplus
}
#endif

#endif
