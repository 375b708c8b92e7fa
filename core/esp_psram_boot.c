/* esp_psram_boot.c - the PSRAM heap of ESP-IDF's PSRAM start-up
 * (components/esp_psram/system_layer/esp_psram.c): its virtual range reserved in the map
 * driver's regions and mapped (esp-idf-behaviour.md §1.3 "Other boot-time consumers"),
 * then handed to the capability heap, short of the himem bank window (§3.1). */
#include <stdint.h>

#include "esp32/himem.h"
#include "esp_heap_caps.h"
#include "esp_mmu_map.h"
#include "esp_private/esp_mmu_map_private.h"
#include "esp_private/esp_psram_boot.h"
#include "esp_private/esp_psram_impl.h"
#include "esp32/rom/cache.h"
#include "hal/cache_ll.h"
#include "hal/mmu_hal.h"
#include "sdkconfig.h"
#include "soc/soc_caps.h"

/* Reserve and map `len` bytes of PSRAM from `paddr` in the first region with `caps`,
 * and give it, less the last `keep_out` bytes, to the heap with `heap_caps`. */
static esp_err_t s_map_heap_part(uint32_t paddr, size_t len, mmu_mem_caps_t caps, uint32_t heap_caps,
                                 size_t keep_out)
{
    const void *v = NULL;
    esp_err_t ret = esp_mmu_map_reserve_block_with_caps(len, caps, MMU_TARGET_PSRAM0, &v);
    if (ret != ESP_OK)
        return ret;
    uint32_t vaddr = (uint32_t)(uintptr_t)v, out_len = 0;
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
    const mmu_mem_caps_t caps = MMU_MEM_CAP_READ | MMU_MEM_CAP_WRITE | MMU_MEM_CAP_8BIT | MMU_MEM_CAP_32BIT;
    size_t room = 0;
    esp_mmu_map_get_max_consecutive_free_block_size(caps, MMU_TARGET_PSRAM0, &room);
    size_t len = room < psram ? room : psram;
    if (len) {
        /* ESP32: the heap ends below the himem bank window (upstream pulls the end down
         * by exactly the reserved size). */
        esp_err_t ret = s_map_heap_part(0, len, caps, MALLOC_CAP_8BIT | MALLOC_CAP_32BIT,
                                        esp_himem_reserved_area_size());
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
            return s_map_heap_part((uint32_t)len, rest, word_caps, MALLOC_CAP_32BIT, 0);
    }
    return ESP_OK;
}
