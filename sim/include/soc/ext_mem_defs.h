/* soc/ext_mem_defs.h - the external-memory address constants the MMU LL and the map driver
 * use, for the chip bound to this thread.  RUNTIME EXPRESSIONS, as in soc/soc_caps.h:
 * compare with ==, do not use in #if.  0 with no chip bound. */
#ifndef MMSIM_SOC_EXT_MEM_DEFS_H
#define MMSIM_SOC_EXT_MEM_DEFS_H

#include "soc/soc_caps.h"

#ifdef __cplusplus
extern "C" {
#endif

uint32_t hal_soc_mmu_linear_addr_mask(void);
uint32_t hal_soc_mmu_page_size(void);
uint32_t hal_soc_mmu_entry_num(void);

/* vaddr & mask = linear address; the esp_mmu_map regions are ranges of it. */
#define SOC_MMU_LINEAR_ADDR_MASK (hal_soc_mmu_linear_addr_mask())
/* The MMU page size in force (CONFIG_MMU_PAGE_SIZE). */
#define SOC_MMU_PAGE_SIZE (hal_soc_mmu_page_size())
/* Entries the LL's range checks allow (ESP32: 384 although PSRAM uses 1152-1279). */
#define SOC_MMU_ENTRY_NUM (hal_soc_mmu_entry_num())

#ifdef __cplusplus
}
#endif

#endif
