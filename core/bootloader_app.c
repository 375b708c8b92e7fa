/* bootloader_app.c - the bootloader's mapping of the app it chose and the app's reading
 * of its boot page (esp_private/bootloader_app.h), through the HAL as on the chip. */
#include "esp_private/bootloader_app.h"

#include <stdbool.h>

#include "esp_log.h"
#include "hal/cache_ll.h"
#include "hal/mmu_hal.h"
#include "hal/mmu_ll.h"
#include "sdkconfig.h"
#include "soc/ext_mem_defs.h"
#include "soc/soc_caps.h"

static const char *TAG = "esp_image";

void bootloader_app_log_segments(const bootloader_app_image_t *app)
{
    if (!app)
        return;
    for (uint32_t i = 0; i < app->segment_count && i < BOOTLOADER_APP_MAX_SEGMENTS; i++) {
        const bootloader_segment_t *s = &app->segments[i];
        const char *use = s->use == BOOTLOADER_SEG_LOAD ? "load" : s->use == BOOTLOADER_SEG_MAP ? "map" : "";
        ESP_LOGI(TAG, "segment %u: paddr=%08x vaddr=%08x size=%05xh (%6u) %s", (unsigned)i, (unsigned)s->data_addr,
                 (unsigned)s->load_addr, (unsigned)s->data_len, (unsigned)s->data_len, use);
    }
}

/* s_flash_seg_needs_map: on chips with an MMU per memory (P4) a segment in the PSRAM
 * window is the app's to map, not the bootloader's. */
static bool seg_needs_map(uint32_t vaddr)
{
    if (!SOC_MMU_PER_EXT_MEM_TARGET)
        return true;
    return !(vaddr >= SOC_EXTRAM_DATA_LOW && vaddr < SOC_EXTRAM_DATA_HIGH);
}

/* Map [vaddr, vaddr+len) to flash from paddr: in both CPUs' tables on ESP32, as its
 * bootloader's two cache_flash_mmu_set calls do; in MMU 0 elsewhere. */
static bool map_span(uint32_t vaddr, uint32_t paddr, uint32_t len)
{
    uint32_t out = 0;
    uint32_t tables = CONFIG_IDF_TARGET_ESP32 ? SOC_MMU_PERIPH_NUM : 1u;
    for (uint32_t id = 0; id < tables; id++) {
        mmu_hal_map_region(id, MMU_TARGET_FLASH0, vaddr, paddr, len, &out);
        if (len && !out)
            return false;
    }
    return true;
}

static void enable_buses(uint32_t vaddr, uint32_t len)
{
    if (!len)
        return;
    cache_ll_l1_enable_bus(0, cache_ll_l1_get_bus(0, vaddr, len));
    if (!CONFIG_ESP_SYSTEM_SINGLE_CORE_MODE)
        cache_ll_l1_enable_bus(1, cache_ll_l1_get_bus(1, vaddr, len));
}

esp_err_t bootloader_app_map(const bootloader_app_image_t *app, bootloader_app_spans_t *spans)
{
    if (!app || !spans || app->segment_count > BOOTLOADER_APP_MAX_SEGMENTS ||
        app->drom_index >= (int)app->segment_count || app->irom_index >= (int)app->segment_count)
        return ESP_ERR_INVALID_ARG;
    const uint32_t page = app->mmu_page_size ? app->mmu_page_size : CONFIG_MMU_PAGE_SIZE;
    const uint32_t mask = ~(page - 1u);
    const bootloader_segment_t none = {0};
    const bootloader_segment_t *d = app->drom_index >= 0 ? &app->segments[app->drom_index] : &none;
    const bootloader_segment_t *i = app->irom_index >= 0 ? &app->segments[app->irom_index] : &none;
    *spans = (bootloader_app_spans_t){.drom_start = d->load_addr, .drom_end = d->load_addr + d->data_len,
                                      .irom_start = i->load_addr, .irom_end = i->load_addr + i->data_len};

    if (SOC_MMU_PAGE_SIZE_CONFIGURABLE)
        mmu_ll_set_page_size(0, page);
    mmu_hal_unmap_all();

    /* The size grows by the in-page offset so the last page and the buses are covered. */
    uint32_t drom_vaddr = d->load_addr & mask, drom_paddr = d->data_addr & mask;
    uint32_t drom_size = d->load_addr - drom_vaddr + d->data_len;
    uint32_t irom_vaddr = i->load_addr & mask, irom_paddr = i->data_addr & mask;
    uint32_t irom_size = i->load_addr - irom_vaddr + i->data_len;
    if (d->data_len && seg_needs_map(drom_vaddr) && !map_span(drom_vaddr, drom_paddr, drom_size))
        return ESP_ERR_INVALID_ARG;
    if (!CONFIG_IDF_TARGET_ESP32 && app->drom_index >= 0) {
        /* "for app to find the boot partition": the DROM's first flash page, at the
         * last entry of the DROM window. */
        uint32_t at = SOC_DRAM_FLASH_ADDRESS_HIGH - page;
        if (!map_span(at, drom_paddr, page))
            return ESP_ERR_INVALID_ARG;
        spans->boot_page_vaddr = at;
    }
    if (i->data_len && seg_needs_map(irom_vaddr) && !map_span(irom_vaddr, irom_paddr, irom_size))
        return ESP_ERR_INVALID_ARG;
    enable_buses(drom_vaddr, d->data_len ? drom_size : 0);
    enable_buses(irom_vaddr, i->data_len ? irom_size : 0);
    return ESP_OK;
}

esp_err_t bootloader_app_image_process(uint32_t *part_offset)
{
    if (CONFIG_IDF_TARGET_ESP32)
        return ESP_ERR_NOT_FOUND;
    uint32_t vaddr = SOC_DRAM_FLASH_ADDRESS_HIGH - CONFIG_MMU_PAGE_SIZE;
    uint32_t id = mmu_ll_get_entry_id(0, vaddr);
    if (!mmu_ll_check_entry_valid(0, id))
        return ESP_ERR_NOT_FOUND;
    /* The page holds the image's start (its header is in the first page of the DROM,
     * segment 0 starting right after it). */
    if (part_offset)
        *part_offset = mmu_ll_entry_id_to_paddr_base(0, id);
    mmu_ll_set_entry_invalid(0, id);
    return ESP_OK;
}
