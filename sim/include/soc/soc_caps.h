/* soc/soc_caps.h - the SOC_* capabilities the external-memory drivers test, for the chip
 * bound to this thread (see mmsim_select).
 *
 * On ESP-IDF these are per-target compile-time constants.  The simulator picks the chip
 * at run time, so here each one is a RUNTIME EXPRESSION of the bound chip: test and
 * compare them with `if`, `==`, `>`; never in `#if`, and never as an array size (use
 * the *_MAX bounds below).  With no chip bound every value is 0 / false.  Values equal
 * ESP-IDF's for the listed chips (esp-idf-behaviour.md §5).  The hal_soc_* functions
 * behind them are the simulator's; this header needs nothing but libc. */
#ifndef MMSIM_SOC_CAPS_H
#define MMSIM_SOC_CAPS_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

uint32_t hal_soc_cpu_cores_num(void);
uint32_t hal_soc_mmu_periph_num(void);
uint32_t hal_soc_mmu_linear_address_region_num(void);
bool hal_soc_mmu_per_ext_mem_target(void);
bool hal_soc_mmu_di_vaddr_shared(void);
bool hal_soc_mmu_page_size_configurable(void);
bool hal_soc_cache_writeback_supported(void);
bool hal_soc_cache_freeze_supported(void);
bool hal_soc_cache_internal_mem_via_l1cache(void);
bool hal_soc_spiram_supported(void);
uint32_t hal_soc_extram_data_low(void);
uint32_t hal_soc_extram_data_high(void);
uint32_t hal_soc_dma_low(void);
uint32_t hal_soc_dma_high(void);

#define SOC_CPU_CORES_NUM (hal_soc_cpu_cores_num())

/* MMU peripherals (ESP32: two per-CPU tables; P4: flash and PSRAM MMUs; others 1). */
#define SOC_MMU_PERIPH_NUM (hal_soc_mmu_periph_num())
/* Rows of the esp_mmu_map region table before coalescing (ESP32 3, S2 5, P4 2, others 1). */
#define SOC_MMU_LINEAR_ADDRESS_REGION_NUM (hal_soc_mmu_linear_address_region_num())
/* Simulator only: a compile-time bound of SOC_MMU_LINEAR_ADDRESS_REGION_NUM for arrays. */
#define SOC_MMU_LINEAR_ADDRESS_REGION_NUM_MAX 8
/* ESP32-P4: one MMU per target (flash MMU 0, PSRAM MMU 1). */
#define SOC_MMU_PER_EXT_MEM_TARGET (hal_soc_mmu_per_ext_mem_target())
/* C6/H2/P4: instruction and data views share one virtual range. */
#define SOC_MMU_DI_VADDR_SHARED (hal_soc_mmu_di_vaddr_shared())
/* C2/C6/H2: more than one page size allowed. */
#define SOC_MMU_PAGE_SIZE_CONFIGURABLE (hal_soc_mmu_page_size_configurable())

#define SOC_CACHE_WRITEBACK_SUPPORTED (hal_soc_cache_writeback_supported())
#define SOC_CACHE_FREEZE_SUPPORTED (hal_soc_cache_freeze_supported())
/* P4: internal RAM is cached by L1 (CACHE_LL_LEVEL_INT_MEM is then a real level). */
#define SOC_CACHE_INTERNAL_MEM_VIA_L1CACHE (hal_soc_cache_internal_mem_via_l1cache())
#define SOC_SPIRAM_SUPPORTED (hal_soc_spiram_supported())

/* The data window(s) PSRAM is reached through: the lowest and the end of the highest
 * writable data window that can map PSRAM (ESP32 0x3F800000-0x3FC00000, S2
 * 0x3F500000-0x3FF80000, S3 0x3C000000-0x3E000000, P4 0x48000000-0x4C000000; 0 on
 * chips without PSRAM).  ESP-IDF defines these in soc/soc.h. */
#define SOC_EXTRAM_DATA_LOW (hal_soc_extram_data_low())
#define SOC_EXTRAM_DATA_HIGH (hal_soc_extram_data_high())

/* The DMA-capable internal RAM (the chip definition's internal_ram; 0 and 0 without
 * one).  ESP-IDF defines these in soc/soc.h. */
#define SOC_DMA_LOW (hal_soc_dma_low())
#define SOC_DMA_HIGH (hal_soc_dma_high())

#ifdef __cplusplus
}
#endif

#endif
