/* compat_xip.c - what flash_mmap.c asks of esp_psram's XIP code (the "Part 2" helpers of
 * esp_private/mmu_psram_flash.h) in a driver build with XIP from PSRAM whose checkout
 * has no such code to compile in, written from the header's contracts: S2/S3, whose
 * mmu_psram_flash.c copies with the ROM, and a release without mmu_psram_flash_v2.c
 * (where it exists, it is compiled in with compat_xip_v2.c instead of this file).  The
 * copies are then our start-up glue's (core/esp_psram_boot.c, esp_psram_xip_v2.c), which
 * records in the machine where each segment went (image_layout.h); these answer from
 * that record, as upstream's answer from the statics its copy set:
 *  - CONFIG_SPIRAM_FLASH_LOAD_TO_PSRAM (C5, C61, H4, P4, S31):
 *    mmu_xip_psram_flash_vaddr_to_paddr, the flash offset of a vaddr of the moved text or
 *    rodata (their whole pages), read through the MMU that maps PSRAM; UINT32_MAX
 *    elsewhere;
 *  - S2/S3: the first and last flash page of each moved segment and its flash-to-PSRAM
 *    distance in pages (instruction_flash_start_page_get, ..._flash2spiram_offset). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "esp_private/image_layout.h"
#include "esp_system.h"
#include "hal/mmu_hal.h"
#include "mmsim_idf_prelude.h"
#include "sdkconfig.h"
#include "soc/soc_caps.h"

#if defined(CONFIG_SPIRAM_FLASH_LOAD_TO_PSRAM)
size_t mmu_xip_psram_flash_vaddr_to_paddr(const void *ptr);
size_t mmu_xip_psram_flash_vaddr_to_paddr(const void *ptr)
{
    if (!ptr)
        return UINT32_MAX;
    const uint32_t v = (uint32_t)(uintptr_t)ptr;
    for (int text = 1; text >= 0; text--) {
        uint32_t start = 0, pages = 0, flash = 0, psram = 0;
        if (!image_layout_xip_pages(text, &start, &pages, &flash, &psram) || v < start ||
            v - start >= pages * (uint32_t)CONFIG_MMU_PAGE_SIZE)
            continue;
#if SOC_MMU_PER_EXT_MEM_TARGET
        const uint32_t id = 1; /* MMU_LL_PSRAM_MMU_ID */
#else
        const uint32_t id = 0;
#endif
        uint32_t paddr = 0;
        mmu_target_t target = MMU_TARGET_FLASH0;
        if (!mmu_hal_vaddr_to_paddr(id, v, &paddr, &target) || target != MMU_TARGET_PSRAM0)
            esp_system_abort("assert failed: mmu_xip_psram_flash_vaddr_to_paddr mmu_psram_flash_v2.c (is_mapped)");
        return paddr - psram + flash;
    }
    return UINT32_MAX;
}
#else
/* One segment's page info: start and end page in flash, flash-to-PSRAM distance. */
static void page_info(int text, uint32_t *first, uint32_t *last, int *offset)
{
    const uint32_t page = CONFIG_MMU_PAGE_SIZE;
    uint32_t start = 0, pages = 0, flash = 0, psram = 0;
    *first = *last = 0;
    *offset = 0;
    if (!image_layout_xip_pages(text, &start, &pages, &flash, &psram))
        return;
#if defined(CONFIG_IDF_TARGET_ESP32S2)
    /* S2 counts the segment's bytes, not the pages they touch. */
    uint32_t bytes = text ? image_layout_irom_end() - image_layout_irom_start()
                          : image_layout_drom_end() - image_layout_drom_start();
    pages = (bytes + page - 1u) / page;
#endif
    *first = flash / page;
    *last = *first + pages - 1u;
    *offset = (int)(flash / page) - (int)(psram / page);
}

uint32_t instruction_flash_start_page_get(void);
uint32_t instruction_flash_end_page_get(void);
int instruction_flash2spiram_offset(void);
uint32_t rodata_flash_start_page_get(void);
uint32_t rodata_flash_end_page_get(void);
int rodata_flash2spiram_offset(void);

uint32_t instruction_flash_start_page_get(void)
{
    uint32_t first, last;
    int offset;
    page_info(1, &first, &last, &offset);
    return first;
}
uint32_t instruction_flash_end_page_get(void)
{
    uint32_t first, last;
    int offset;
    page_info(1, &first, &last, &offset);
    return last;
}
int instruction_flash2spiram_offset(void)
{
    uint32_t first, last;
    int offset;
    page_info(1, &first, &last, &offset);
    return offset;
}
uint32_t rodata_flash_start_page_get(void)
{
    uint32_t first, last;
    int offset;
    page_info(0, &first, &last, &offset);
    return first;
}
uint32_t rodata_flash_end_page_get(void)
{
    uint32_t first, last;
    int offset;
    page_info(0, &first, &last, &offset);
    return last;
}
int rodata_flash2spiram_offset(void)
{
    uint32_t first, last;
    int offset;
    page_info(0, &first, &last, &offset);
    return offset;
}
#endif
