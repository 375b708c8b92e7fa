/* esp_private/esp_psram_boot.h - the part of ESP-IDF's PSRAM start-up the map driver
 * sees: the PSRAM heap's virtual range reserved and mapped at boot, after the app's XIP
 * copies to PSRAM. */
#ifndef MMSIM_ESP_PSRAM_BOOT_H
#define MMSIM_ESP_PSRAM_BOOT_H

#include <stdint.h>

#include "esp_err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Map the PSRAM heap as the chip's start-up does (after esp_mmu_map_init): as much of
 * the available PSRAM as the largest free READ|WRITE|8BIT|32BIT PSRAM range holds,
 * reserved with esp_mmu_map_reserve_block_with_caps and programmed directly (ESP32:
 * cache_sram_mmu_set); on ESP32-S2 the rest from the 32-bit-only region.  ESP_OK
 * without PSRAM.  Each part is then added to the capability heap (MALLOC_CAP_SPIRAM),
 * on ESP32 short of the himem bank window (esp_himem_reserved_area_size()).
 * With CONFIG_SPIRAM_RODATA / CONFIG_SPIRAM_FETCH_INSTRUCTIONS the app's rodata and text
 * pages are first copied to the start of PSRAM and their entries pointed there; the heap
 * then takes the PSRAM after them.  ESP_ERR_NO_MEM if the copies do not fit. */
esp_err_t esp_psram_heap_map(void);

/* CONFIG_SPIRAM_FLASH_LOAD_TO_PSRAM's placement (s_xip_psram_placement with
 * mmu_psram_flash_v2.c): the app's rodata, then its text, copied to PSRAM from page 0
 * and mapped there, of `psram_size` bytes available; *used_bytes: the PSRAM they took.
 * Records each segment's move (image_layout_set_xip) and the flash view it leaves
 * mapped at the last DROM entry (image_layout_set_boot_page).  ESP_ERR_NO_MEM if they
 * do not fit or the model ran out of host memory. */
esp_err_t esp_psram_xip_flash_load(uint32_t psram_size, uint32_t *used_bytes);

/* The bytes of the pages of `page` bytes holding [vstart, vend): what an XIP copy moves. */
static inline uint32_t esp_psram_xip_pages_len(uint32_t vstart, uint32_t vend, uint32_t page)
{
    if (vend <= vstart)
        return 0;
    return (uint32_t)(((uint64_t)vend + page - 1u) / page * page) - vstart / page * page;
}

#ifdef __cplusplus
}
#endif

#endif
