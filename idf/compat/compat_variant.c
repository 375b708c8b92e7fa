/* compat_variant.c - the description of this ESP-IDF driver build that the loader
 * checks against the machine it is to drive (mmsim_idf_compat.h).  Compiled per
 * variant, from the generated sdkconfig.h and mmsim_idf_soc.h. */
#include "mmsim_idf_compat.h"
#include "sdkconfig.h"
#include "soc/soc_caps.h"

#ifndef MMSIM_IDF_RELEASE
#error "MMSIM_IDF_RELEASE (the checkout's version) must be defined by the build"
#endif
#ifndef CONFIG_SPIRAM_BANKSWITCH_RESERVE
#define CONFIG_SPIRAM_BANKSWITCH_RESERVE 0
#endif
#ifndef SOC_CACHE_WRITEBACK_SUPPORTED
#define SOC_CACHE_WRITEBACK_SUPPORTED 0
#endif
#ifndef SOC_CACHE_FREEZE_SUPPORTED
#define SOC_CACHE_FREEZE_SUPPORTED 0
#endif
#ifndef SOC_SPIRAM_SUPPORTED
#define SOC_SPIRAM_SUPPORTED 0
#endif
#ifndef SOC_MMU_PER_EXT_MEM_TARGET
#define SOC_MMU_PER_EXT_MEM_TARGET 0
#endif
#if defined(CONFIG_BOOTLOADER_CACHE_32BIT_ADDR_QUAD_FLASH) || defined(CONFIG_BOOTLOADER_CACHE_32BIT_ADDR_OCTAL_FLASH)
#define MMSIM_IDF_CACHE_32BIT_ADDR 1
#else
#define MMSIM_IDF_CACHE_32BIT_ADDR 0
#endif

#ifdef CONFIG_SECURE_ENABLE_TEE
#define MMSIM_IDF_TEE 1
#else
#define MMSIM_IDF_TEE 0
#endif
#ifdef CONFIG_SPIRAM_FETCH_INSTRUCTIONS
#define MMSIM_IDF_XIP_TEXT 2
#else
#define MMSIM_IDF_XIP_TEXT 0
#endif
#ifdef CONFIG_PARTITION_TABLE_MD5
#define MMSIM_IDF_TABLE_MD5 1
#else
#define MMSIM_IDF_TABLE_MD5 0
#endif
#ifdef CONFIG_SPIRAM_RODATA
#define MMSIM_IDF_XIP_RODATA 1
#else
#define MMSIM_IDF_XIP_RODATA 0
#endif

const mmsim_idf_variant_t mmsim_idf_variant = {
    .chip = CONFIG_IDF_TARGET,
    .idf_version = MMSIM_IDF_RELEASE,
    .mmu_page_size = CONFIG_MMU_PAGE_SIZE,
    .cores = SOC_CPU_CORES_NUM,
    .region_num = SOC_MMU_LINEAR_ADDRESS_REGION_NUM,
    .linear_addr_mask = SOC_MMU_LINEAR_ADDR_MASK,
    .bankswitch_reserve = CONFIG_SPIRAM_BANKSWITCH_RESERVE,
    .cache_writeback = SOC_CACHE_WRITEBACK_SUPPORTED,
    .cache_freeze = SOC_CACHE_FREEZE_SUPPORTED,
    .spiram_supported = SOC_SPIRAM_SUPPORTED,
    .per_ext_mem_target = SOC_MMU_PER_EXT_MEM_TARGET,
    .extram_data_low = SOC_EXTRAM_DATA_LOW,
    .extram_data_high = SOC_EXTRAM_DATA_HIGH,
    .cache_level_int = MMSIM_IDF_CACHE_LL_LEVEL_INT_MEM,
    .cache_level_ext = MMSIM_IDF_CACHE_LL_LEVEL_EXT_MEM,
    .cache_32bit_addr = MMSIM_IDF_CACHE_32BIT_ADDR,
    .secure_enable_tee = MMSIM_IDF_TEE,
    .spiram_xip = MMSIM_IDF_XIP_TEXT | MMSIM_IDF_XIP_RODATA,
    .partition_table_md5 = MMSIM_IDF_TABLE_MD5,
};
