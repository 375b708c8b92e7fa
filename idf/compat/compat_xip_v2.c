/* compat_xip_v2.c - in a driver library built with ESP-IDF's own XIP copy
 * (components/esp_psram/xip_impl/mmu_psram_flash_v2.c, the _xip variants of C5, C61,
 * H4, P4 and S31): the start-up glue's placement (esp_psram_xip_flash_load, core's
 * esp_psram_xip_v2.c in libmmsim) calls upstream's mmu_config_psram_rodata_segment and
 * mmu_config_psram_text_segment in s_xip_psram_placement's order, and records in the
 * machine what they did (image_layout.h), as ours records it.  Also the one thing
 * upstream's copy asks of the app's image_process: where the segments lie in flash. */
#include <stdint.h>

#include "esp_err.h"
#include "esp_private/image_layout.h"
#include "esp_private/mmu_psram_flash.h"
#include "mmsim_idf_prelude.h"
#include "sdkconfig.h"
#include "soc/ext_mem_defs.h"

void image_process_get_flash_segments_info(uint32_t *out_drom_paddr_start, uint32_t *out_irom_paddr_start);
esp_err_t esp_psram_xip_flash_load(uint32_t psram_size, uint32_t *used_bytes);

/* image_process reads these from the image header; the machine's boot recorded them. */
void image_process_get_flash_segments_info(uint32_t *out_drom_paddr_start, uint32_t *out_irom_paddr_start)
{
    image_layout_flash_segments(out_drom_paddr_start, out_irom_paddr_start);
}

esp_err_t esp_psram_xip_flash_load(uint32_t psram_size, uint32_t *used_bytes)
{
    const uint32_t page = CONFIG_MMU_PAGE_SIZE;
    uint32_t drom_flash = 0, irom_flash = 0, start_page = 0, used = 0;
    image_layout_flash_segments(&drom_flash, &irom_flash);
    esp_err_t ret = mmu_config_psram_rodata_segment(start_page, psram_size, &used);
    if (ret != ESP_OK)
        return ret;
    image_layout_set_xip(0, drom_flash / page * page, start_page * page);
    start_page += used;
    ret = mmu_config_psram_text_segment(start_page, psram_size, &used);
    if (ret != ESP_OK)
        return ret;
    image_layout_set_xip(1, irom_flash / page * page, start_page * page);
    start_page += used;
    /* Upstream's copy read flash through the last DROM entry and left it mapped. */
    image_layout_set_boot_page(SOC_DRAM_FLASH_ADDRESS_HIGH - page);
    if (used_bytes)
        *used_bytes = start_page * page;
    return ESP_OK;
}
