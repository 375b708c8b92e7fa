/* esp_psram_xip_v2.c - XIP from PSRAM as CONFIG_SPIRAM_FLASH_LOAD_TO_PSRAM's start-up
 * does it (components/esp_psram/xip_impl/mmu_psram_flash_v2.c, placed by esp_psram.c's
 * s_xip_psram_placement): the app's rodata, then its text, copied page by page by the
 * CPU from flash (where the app's image_process found them) to the first PSRAM pages,
 * and mapped there.  ESP32-C5, C61, H4, P4 and S31.  Its own file because a driver
 * library built from ESP-IDF with mmu_psram_flash_v2.c compiled in runs upstream's copy
 * in its place (idf/compat/compat_xip_v2.c). */
#include <stdint.h>
#include <string.h>

#include "esp_log.h"
#include "esp_private/esp_psram_boot.h"
#include "esp_private/image_layout.h"
#include "hal/cache_hal.h"
#include "hal/cpu_mem.h"
#include "hal/mmu_hal.h"
#include "hal/mmu_ll.h"
#include "sdkconfig.h"
#include "soc/ext_mem_defs.h"

/* CONFIG_SPIRAM_FLASH_LOAD_TO_PSRAM (C5, C61, H4, P4, S31: xip_impl/mmu_psram_flash_v2.c):
 * page by page, the PSRAM page at the app's own vaddr, the segment's flash page at the
 * last DROM entry, both invalidated, a CPU copy; the segment written back at the end.
 * On P4 and S31 (an MMU per memory) the app was linked at the PSRAM window and the
 * bootloader mapped none of it; elsewhere the app's vaddrs mapped flash until now.
 * `flash_start` is where image_process found the segment's data.  The flash view stays
 * mapped to the last page copied, as upstream leaves it: a page of the flash region
 * mapped outside the map driver's books, like the boot page before it. */
static esp_err_t s_load_to_psram(const char *what, uint32_t vstart, uint32_t vend, uint32_t flash_start,
                                 uint32_t *psram_at)
{
    const uint32_t page = CONFIG_MMU_PAGE_SIZE, len = esp_psram_xip_pages_len(vstart, vend, page);
    const uint32_t v0 = vstart / page * page, flash0 = flash_start / page * page;
    const uint32_t flash_view = SOC_DRAM_FLASH_ADDRESS_HIGH - page;
    image_layout_set_xip(strcmp(what, "text") == 0, flash0, *psram_at);
    for (uint32_t off = 0; off < len; off += page) {
        uint32_t out = 0;
        mmu_hal_map_region(MMU_LL_PSRAM_MMU_ID, MMU_TARGET_PSRAM0, v0 + off, *psram_at + off, page, &out);
        mmu_hal_map_region(MMU_LL_FLASH_MMU_ID, MMU_TARGET_FLASH0, flash_view, flash0 + off, page, &out);
        cache_hal_invalidate_addr(v0 + off, page);
        cache_hal_invalidate_addr(flash_view, page);
        if (!cpu_mem_copy(v0 + off, flash_view, page))
            return ESP_ERR_NO_MEM;
    }
    if (len) {
        cache_hal_writeback_addr(v0, len);
        image_layout_set_boot_page(flash_view);
    }
    *psram_at += len;
    ESP_EARLY_LOGI("mmu_psram", ".%s xip on psram", what);
    return ESP_OK;
}

esp_err_t esp_psram_xip_flash_load(uint32_t psram_size, uint32_t *used_bytes)
{
    uint32_t drom_flash = 0, irom_flash = 0, at = 0;
    image_layout_flash_segments(&drom_flash, &irom_flash);
    esp_err_t ret = ESP_OK;
    if (CONFIG_SPIRAM_RODATA)
        ret = s_load_to_psram("rodata", image_layout_drom_start(), image_layout_drom_end(), drom_flash, &at);
    if (ret == ESP_OK && CONFIG_SPIRAM_FETCH_INSTRUCTIONS)
        ret = s_load_to_psram("text", image_layout_irom_start(), image_layout_irom_end(), irom_flash, &at);
    if (used_bytes)
        *used_bytes = at;
    (void)psram_size; /* the caller checked the copies fit, before any was made */
    return ret;
}
