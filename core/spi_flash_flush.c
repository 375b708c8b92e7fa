/* spi_flash_flush.c - what the flash write path does after SPI1 changed the flash:
 * spi_flash_check_and_flush_cache (ESP-IDF keeps it in components/spi_flash/
 * flash_mmap.c, next to the mmap family): for each MMU page of the range that a driver
 * block maps, invalidate the cache at the first virtual address the MMU maps it at
 * (ESP32: write back PSRAM and flush both caches).  Its own file, so that an ESP-IDF
 * driver build without upstream's flash_mmap.c can take it as glue (idf/). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "esp_flash.h"
#include "esp_mmu_map.h"
#include "esp_private/esp_cache_esp32_private.h"
#include "esp_private/esp_cache_private.h"
#include "hal/cache_hal.h"
#include "hal/mmu_hal.h"
#include "hal/spi1_flash.h"
#include "sdkconfig.h"

/* Is the flash page at `paddr` inside a driver block; if so, where does the MMU map
 * it first (the view chosen by the block's caps)? */
static bool s_page_mapped(uint32_t paddr, uint32_t *vaddr)
{
    mmu_mem_caps_t caps = 0;
    *vaddr = 0;
    if (esp_mmu_paddr_find_caps(paddr, &caps) != ESP_OK)
        return false;
    if (!CONFIG_IDF_TARGET_ESP32)
        mmu_hal_paddr_to_vaddr(0, paddr, MMU_TARGET_FLASH0,
                               (caps & MMU_MEM_CAP_EXEC) ? MMU_VADDR_INSTRUCTION : MMU_VADDR_DATA, vaddr);
    return true;
}

bool spi_flash_check_and_flush_cache(size_t start_addr, size_t length)
{
    const uint32_t page = CONFIG_MMU_PAGE_SIZE;
    bool flushed = false;
    uint32_t first = (uint32_t)start_addr & ~(page - 1u);
    length += start_addr - first;
    length = (length + page - 1u) & ~(size_t)(page - 1u);
    for (uint64_t addr = first; addr < (uint64_t)first + length; addr += page) {
        if (addr >= spi1_flash_size())
            return false;
        uint32_t vaddr;
        if (!s_page_mapped((uint32_t)addr, &vaddr))
            continue;
        if (CONFIG_IDF_TARGET_ESP32) {
            cache_sync();
            return true;
        }
        if (vaddr) {
            esp_cache_sync_ops_enter_critical_section();
            cache_hal_invalidate_addr(vaddr, page);
            esp_cache_sync_ops_exit_critical_section();
            flushed = true;
        }
    }
    return flushed;
}
