/* sdkconfig.h - the Kconfig values the memory drivers read, for the chip bound to this
 * thread.  On ESP-IDF these are compile-time constants of one build; the simulator
 * picks chip and board at run time, so each is a RUNTIME EXPRESSION: test them with
 * `if`, never in `#if` (the same rule as soc/soc_caps.h). */
#ifndef MMSIM_SDKCONFIG_H
#define MMSIM_SDKCONFIG_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

uint32_t hal_sdk_mmu_page_size(void);
bool hal_sdk_target_is(const char *chip);
uint32_t hal_sdk_idf_version(void);
uint32_t hal_sdk_spiram_bankswitch_reserve(void);
uint32_t hal_sdk_partition_table_offset(void);
bool hal_sdk_partition_table_md5(void);
bool hal_sdk_cache_32bit_addr(bool octal);
bool hal_sdk_spiram_fetch_instructions(void);
bool hal_sdk_spiram_rodata(void);
bool hal_sdk_spiram_flash_load_to_psram(void);

#define CONFIG_MMU_PAGE_SIZE (hal_sdk_mmu_page_size())
/* The app runs from flash (its IROM/DROM mapped by the bootloader). */
#define CONFIG_APP_BUILD_USE_FLASH_SECTIONS 1
#define CONFIG_ESP_SYSTEM_SINGLE_CORE_MODE (hal_soc_cpu_cores_num() == 1)
#define CONFIG_IDF_TARGET_ESP32 (hal_sdk_target_is("esp32"))
#define CONFIG_IDF_TARGET_ESP32S2 (hal_sdk_target_is("esp32s2"))
#define CONFIG_IDF_TARGET_ESP32P4 (hal_sdk_target_is("esp32p4"))
#define CONFIG_SPIRAM_BANKSWITCH_RESERVE (hal_sdk_spiram_bankswitch_reserve())
/* The chip config's bootloader_cache_32bit_addr (default false: the bootloader leaves
 * the flash cache in 24-bit address mode and spi_flash_mmap refuses offsets at or past
 * 16 MB); QUAD or OCTAL by the flash's lines. */
#define CONFIG_BOOTLOADER_CACHE_32BIT_ADDR_QUAD_FLASH (hal_sdk_cache_32bit_addr(false))
#define CONFIG_BOOTLOADER_CACHE_32BIT_ADDR_OCTAL_FLASH (hal_sdk_cache_32bit_addr(true))
/* The chip config's spiram_fetch_instructions / spiram_rodata (spiram_xip_from_psram
 * sets both): the PSRAM start-up copies the app's IROM / DROM to PSRAM and maps it there. */
#define CONFIG_SPIRAM_FETCH_INSTRUCTIONS (hal_sdk_spiram_fetch_instructions())
#define CONFIG_SPIRAM_RODATA (hal_sdk_spiram_rodata())
/* Kconfig's hidden helper: SPIRAM_XIP_FROM_PSRAM on the chips whose start-up copies with
 * the CPU (C5, C61, H4, P4, S31: xip_impl/mmu_psram_flash_v2.c), not S2/S3's ROM copy.
 * It runs image_process and leaves spi_flash_phys2cache unpatched. */
#define CONFIG_SPIRAM_FLASH_LOAD_TO_PSRAM (hal_sdk_spiram_flash_load_to_psram())
#define CONFIG_PARTITION_TABLE_OFFSET (hal_sdk_partition_table_offset())
/* The chip config's partition_table_md5 (default true, ESP-IDF's): the app's load of
 * the table requires and checks its MD5 record. */
#define CONFIG_PARTITION_TABLE_MD5 (hal_sdk_partition_table_md5())

/* Simulator only: the ESP-IDF release whose behaviour the drivers mimic, as
 * major*10000 + minor*100 + patch (master = 60100). */
#define MMSIM_IDF_VERSION (hal_sdk_idf_version())
#define MMSIM_IDF_VER(major, minor, patch) ((major) * 10000u + (minor) * 100u + (patch))

uint32_t hal_soc_cpu_cores_num(void);

#ifdef __cplusplus
}
#endif

#endif
