/* esp_flash.c - the flash write path ESP-IDF layers on the map driver: SPI1 operations
 * under the cache guard, then invalidation of the mapped pages they touched
 * (components/spi_flash: esp_flash_api.c, memspi_host_driver.c, flash_mmap.c's
 * spi_flash_check_and_flush_cache), and ESP32's cache_sync. */
#include "esp_flash.h"

#include <stdint.h>

#include "esp_check.h"
#include "esp_mmu_map.h"
#include "esp_private/cache_utils.h"
#include "esp_private/esp_cache_esp32_private.h"
#include "esp_private/esp_cache_private.h"
#include "esp_private/esp_psram_extram.h"
#include "esp32/rom/cache.h"
#include "hal/cache_hal.h"
#include "hal/mmu_hal.h"
#include "hal/spi1_flash.h"
#include "sdkconfig.h"

static const char *TAG = "spi_flash";

/* The one chip; its address only identifies it. */
struct esp_flash_t {
    int unused;
};
static esp_flash_t s_main_chip;
esp_flash_t *esp_flash_default_chip = &s_main_chip;

void cache_sync(void)
{
    esp_psram_extram_writeback_cache();
    Cache_Flush(0);
    if (!CONFIG_ESP_SYSTEM_SINGLE_CORE_MODE)
        Cache_Flush(1);
}

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

static bool s_range_ok(esp_flash_t *chip, uint32_t address, uint32_t length)
{
    uint32_t size = spi1_flash_size();
    return (!chip || chip == esp_flash_default_chip) && length <= size && address <= size - length;
}

esp_err_t esp_flash_read(esp_flash_t *chip, void *buffer, uint32_t address, uint32_t length)
{
    ESP_RETURN_ON_FALSE(buffer, ESP_ERR_INVALID_ARG, TAG, "null buffer");
    ESP_RETURN_ON_FALSE(s_range_ok(chip, address, length), ESP_ERR_INVALID_ARG, TAG, "range outside the flash");
    spi_flash_disable_interrupts_caches_and_other_cpu();
    bool ok = spi1_flash_read(address, buffer, length);
    spi_flash_enable_interrupts_caches_and_other_cpu();
    return ok ? ESP_OK : ESP_FAIL;
}

esp_err_t esp_flash_write(esp_flash_t *chip, const void *buffer, uint32_t address, uint32_t length)
{
    ESP_RETURN_ON_FALSE(buffer, ESP_ERR_INVALID_ARG, TAG, "null buffer");
    ESP_RETURN_ON_FALSE(s_range_ok(chip, address, length), ESP_ERR_INVALID_ARG, TAG, "range outside the flash");
    spi_flash_disable_interrupts_caches_and_other_cpu();
    bool ok = spi1_flash_program(address, buffer, length);
    spi_flash_enable_interrupts_caches_and_other_cpu();
    if (ok && length)
        spi_flash_check_and_flush_cache(address, length);
    return ok ? ESP_OK : ESP_FAIL;
}

esp_err_t esp_flash_erase_region(esp_flash_t *chip, uint32_t start, uint32_t len)
{
    ESP_RETURN_ON_FALSE(s_range_ok(chip, start, len) && start % 4096 == 0 && len % 4096 == 0, ESP_ERR_INVALID_ARG,
                        TAG, "erase range must be 4 KB aligned and inside the flash");
    spi_flash_disable_interrupts_caches_and_other_cpu();
    bool ok = spi1_flash_erase(start, len);
    spi_flash_enable_interrupts_caches_and_other_cpu();
    if (ok && len)
        spi_flash_check_and_flush_cache(start, len);
    return ok ? ESP_OK : ESP_FAIL;
}
