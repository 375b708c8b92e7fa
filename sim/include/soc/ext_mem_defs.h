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
uint32_t hal_soc_mmu_valid_val_mask(uint32_t mmu_id);
uint32_t hal_soc_dram_flash_address_low(void);
uint32_t hal_soc_dram_flash_address_high(void);

/* vaddr & mask = linear address; the esp_mmu_map regions are ranges of it. */
#define SOC_MMU_LINEAR_ADDR_MASK (hal_soc_mmu_linear_addr_mask())
/* The MMU page size in force (CONFIG_MMU_PAGE_SIZE). */
#define SOC_MMU_PAGE_SIZE (hal_soc_mmu_page_size())
/* Entries the LL's range checks allow (ESP32: 384 although PSRAM uses 1152-1279). */
#define SOC_MMU_ENTRY_NUM (hal_soc_mmu_entry_num())
/* The page-number field of an entry: a page number beyond it loses its high bits (P4's
 * paddr range check allows more pages than the field holds). */
#define SOC_MMU_VALID_VAL_MASK (hal_soc_mmu_valid_val_mask(0))
#define SOC_MMU_FLASH_VALID_VAL_MASK (hal_soc_mmu_valid_val_mask(0))
#define SOC_MMU_PSRAM_VALID_VAL_MASK (hal_soc_mmu_valid_val_mask(1))
/* The data window the bootloader maps the app's rodata (DROM) into: the lowest data
 * window that reaches flash (ESP32 DROM0, S2 DROM0, S3/C2/C3 DBUS, the shared window of
 * C5/C6/H2/..., P4's flash window).  Its last page is MMU_DROM_END_ENTRY_VADDR's. */
#define SOC_DRAM_FLASH_ADDRESS_LOW (hal_soc_dram_flash_address_low())
#define SOC_DRAM_FLASH_ADDRESS_HIGH (hal_soc_dram_flash_address_high())

#ifdef __cplusplus
}
#endif

#endif
