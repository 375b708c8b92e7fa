/* esp_psram_boot.c - ESP-IDF's PSRAM start-up (components/esp_psram/system_layer/
 * esp_psram.c) as far as mappings go: with CONFIG_SPIRAM_RODATA / _FETCH_INSTRUCTIONS
 * the app's rodata and code pages copied to the start of PSRAM and their vaddrs remapped
 * there (xip_impl/mmu_psram_flash.c here; mmu_psram_flash_v2.c's CPU copy is
 * esp_psram_xip_v2.c); then the PSRAM heap after those pages: its
 * virtual range reserved in the map driver's regions and mapped (esp-idf-behaviour.md
 * §1.3 "Other boot-time consumers"), handed to the capability heap, short of the himem
 * bank window (§3.1). */
#include <stdint.h>
#include <string.h>

#include "esp32/himem.h"
#include "esp_heap_caps.h"
#include "esp_mmu_map.h"
#include "esp_private/esp_mmu_map_private.h"
#include "esp_private/esp_psram_boot.h"
#include "esp_private/esp_psram_impl.h"
#include "esp_private/image_layout.h"
#include "esp_log.h"
#include "hal/cache_hal.h"
#include "hal/cpu_mem.h"
#include "esp32/rom/cache.h"
#include "hal/cache_ll.h"
#include "hal/mmu_hal.h"
#include "sdkconfig.h"
#include "soc/soc_caps.h"

/* ESP32-S2/S3 (xip_impl/mmu_psram_flash.c): copy the app's pages holding [vstart, vend)
 * from flash to PSRAM from paddr `*psram_at` on, and point their MMU entries there,
 * advancing `*psram_at`.  The chip's start-up has the ROM copy them
 * (Cache_Flash_To_SPIRAM_Copy, through the cache); here the scratch is the first two
 * pages of the heap's range, reserved but not yet mapped, so the map driver never sees
 * them and the heap mapping overwrites them.  The app's vaddrs stay reserved in the map
 * driver: only their entries' target changes. */
static esp_err_t s_move_to_psram(const char *what, uint32_t vstart, uint32_t vend, uint32_t scratch,
                                 uint32_t *psram_at)
{
    const uint32_t page = CONFIG_MMU_PAGE_SIZE, flash_view = scratch, psram_view = scratch + page;
    const uint32_t first = vstart / page * page, end = first + esp_psram_xip_pages_len(vstart, vend, page);
    for (uint32_t v = first; v < end; v += page) {
        uint32_t flash_paddr = 0, out_len = 0;
        mmu_target_t target = MMU_TARGET_FLASH0;
        if (!mmu_hal_vaddr_to_paddr(0, v, &flash_paddr, &target) || target != MMU_TARGET_FLASH0)
            return ESP_ERR_INVALID_STATE;
        if (v == vstart / page * page)
            image_layout_set_xip(strcmp(what, "text") == 0, flash_paddr, *psram_at);
        mmu_hal_map_region(0, MMU_TARGET_FLASH0, flash_view, flash_paddr, page, &out_len);
        mmu_hal_map_region(0, MMU_TARGET_PSRAM0, psram_view, *psram_at, page, &out_len);
        cache_hal_invalidate_addr(scratch, 2 * page);
        if (!cpu_mem_copy(psram_view, flash_view, page))
            return ESP_ERR_NO_MEM;
        /* The bytes must be in PSRAM before the app reads them through its own vaddr. */
        if (SOC_CACHE_WRITEBACK_SUPPORTED)
            cache_hal_writeback_addr(psram_view, page);
        mmu_hal_map_region(0, MMU_TARGET_PSRAM0, v, *psram_at, page, &out_len);
        cache_hal_invalidate_addr(v, page);
        *psram_at += page;
    }
    /* No line of the scratch views may outlive them into the heap's mapping. */
    cache_hal_invalidate_addr(scratch, 2 * page);
    ESP_EARLY_LOGI("mmu_psram", "%s copied and mapped to SPIRAM",
                   strcmp(what, "text") == 0 ? "Instructions" : "Read only data");
    return ESP_OK;
}

/* Reserve and map `len` bytes of PSRAM from `paddr` in the first region with `caps`,
 * and give it, less the last `keep_out` bytes, to the heap with `heap_caps`.  With
 * `xip`, the XIP copies to PSRAM from paddr 0 are made first, through the range just
 * reserved (s_move_to_psram). */
static esp_err_t s_map_heap_part(uint32_t paddr, size_t len, mmu_mem_caps_t caps, uint32_t heap_caps,
                                 size_t keep_out, bool xip)
{
    const void *v = NULL;
    esp_err_t ret = esp_mmu_map_reserve_block_with_caps(len, caps, MMU_TARGET_PSRAM0, &v);
    if (ret != ESP_OK)
        return ret;
    uint32_t vaddr = (uint32_t)(uintptr_t)v, out_len = 0;
    if (xip) {
        /* Rodata first, then text, from PSRAM page 0 (s_xip_psram_placement's order). */
        uint32_t at = 0;
        if (CONFIG_SPIRAM_RODATA)
            ret = s_move_to_psram("rodata", image_layout_drom_start(), image_layout_drom_end(), vaddr, &at);
        if (ret == ESP_OK && CONFIG_SPIRAM_FETCH_INSTRUCTIONS)
            ret = s_move_to_psram("text", image_layout_irom_start(), image_layout_irom_end(), vaddr, &at);
        if (ret != ESP_OK)
            return ret;
    }
    if (CONFIG_IDF_TARGET_ESP32) {
        /* The DRAM1 window in 32 KB pages, in both CPUs' tables. */
        int pages = (int)(len / 0x8000);
        cache_sram_mmu_set(0, 0, vaddr, paddr, 32, pages);
        if (!CONFIG_ESP_SYSTEM_SINGLE_CORE_MODE)
            cache_sram_mmu_set(1, 0, vaddr, paddr, 32, pages);
    } else {
        uint32_t id = SOC_MMU_PER_EXT_MEM_TARGET ? mmu_hal_get_id_from_target(MMU_TARGET_PSRAM0) : 0;
        mmu_hal_map_region(id, MMU_TARGET_PSRAM0, vaddr, paddr, (uint32_t)len, &out_len);
        for (uint32_t core = 0; core < SOC_CPU_CORES_NUM; core++)
            cache_ll_l1_enable_bus(core, cache_ll_l1_get_bus(core, vaddr, (uint32_t)len));
    }
    if (len <= keep_out)
        return ESP_OK;
    const uint32_t heap_caps_prio[3] = {MALLOC_CAP_SPIRAM | MALLOC_CAP_DEFAULT, 0, heap_caps};
    return heap_caps_add_region_with_caps(heap_caps_prio, (intptr_t)vaddr, (intptr_t)(vaddr + len - keep_out));
}

esp_err_t esp_psram_heap_map(void)
{
    uint32_t psram = 0;
    if (esp_psram_impl_get_available_size(&psram) != ESP_OK || !psram)
        return ESP_OK;
    /* XIP from PSRAM takes the first PSRAM pages; the heap gets the rest. */
    uint32_t copied = 0;
    if (CONFIG_SPIRAM_RODATA)
        copied += esp_psram_xip_pages_len(image_layout_drom_start(), image_layout_drom_end(), CONFIG_MMU_PAGE_SIZE);
    if (CONFIG_SPIRAM_FETCH_INSTRUCTIONS)
        copied += esp_psram_xip_pages_len(image_layout_irom_start(), image_layout_irom_end(), CONFIG_MMU_PAGE_SIZE);
    if (copied > psram) {
        ESP_EARLY_LOGE("esp_psram", "No enough psram memory for the app's %u bytes of rodata and text (%u B)",
                       (unsigned)copied, (unsigned)psram);
        return ESP_ERR_NO_MEM;
    }
    psram -= copied;
    /* The CPU copy (v2) needs no scratch of the heap's: it comes first, rodata then text
     * (s_xip_psram_placement), each from where image_process found it. */
    const bool v2 = copied && CONFIG_SPIRAM_FLASH_LOAD_TO_PSRAM;
    if (v2) {
        uint32_t used = 0;
        esp_err_t ret = esp_psram_xip_flash_load(psram + copied, &used);
        if (ret != ESP_OK)
            return ret;
    }
    const mmu_mem_caps_t caps = MMU_MEM_CAP_READ | MMU_MEM_CAP_WRITE | MMU_MEM_CAP_8BIT | MMU_MEM_CAP_32BIT;
    size_t room = 0;
    esp_mmu_map_get_max_consecutive_free_block_size(caps, MMU_TARGET_PSRAM0, &room);
    size_t len = room < psram ? room : psram;
    /* The copies go through two pages of the heap's range: a heap of fewer pages (an app
     * filling the PSRAM but for a page) is refused rather than copied elsewhere. */
    if (copied && !v2 && len < 2u * CONFIG_MMU_PAGE_SIZE) {
        ESP_EARLY_LOGE("esp_psram", "XIP from PSRAM: no two free PSRAM pages left to copy through");
        return ESP_ERR_NO_MEM;
    }
    if (len) {
        /* ESP32: the heap ends below the himem bank window (upstream pulls the end down
         * by exactly the reserved size). */
        esp_err_t ret = s_map_heap_part(copied, len, caps, MALLOC_CAP_8BIT | MALLOC_CAP_32BIT,
                                        esp_himem_reserved_area_size(), copied && !v2);
        if (ret != ESP_OK)
            return ret;
    }
    if (CONFIG_IDF_TARGET_ESP32S2 && psram > len) {
        /* The rest of the PSRAM goes to the word-only DPORT region. */
        const mmu_mem_caps_t word_caps = MMU_MEM_CAP_READ | MMU_MEM_CAP_WRITE | MMU_MEM_CAP_32BIT;
        size_t rest = 0;
        esp_mmu_map_get_max_consecutive_free_block_size(word_caps, MMU_TARGET_PSRAM0, &rest);
        if (rest > psram - len)
            rest = psram - len;
        if (rest)
            return s_map_heap_part(copied + (uint32_t)len, rest, word_caps, MALLOC_CAP_32BIT, 0, false);
    }
    return ESP_OK;
}
