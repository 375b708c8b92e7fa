/* esp_flash.c - the flash write path ESP-IDF layers on the map driver: SPI1 operations
 * under the cache guard, then invalidation of the mapped pages they touched
 * (components/spi_flash: esp_flash_api.c, memspi_host_driver.c; the invalidation is
 * spi_flash_check_and_flush_cache, spi_flash_flush.c), and ESP32's cache_sync.
 * Compiled into the ESP-IDF driver libraries too (idf/), where the invalidation is
 * upstream's own (flash_mmap.c). */
#include "esp_flash.h"

#include <stdint.h>

#include "esp_check.h"
#include "esp_private/cache_utils.h"
#include "esp_private/esp_cache_esp32_private.h"
#include "esp_private/esp_psram_extram.h"
#include "esp_private/flash_mmap.h"
#include "esp32/rom/cache.h"
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

static bool s_range_ok(esp_flash_t *chip, uint32_t address, uint32_t length)
{
    uint32_t size = spi1_flash_size();
    return (!chip || chip == esp_flash_default_chip) && length <= size && address <= size - length;
}

esp_err_t esp_flash_get_size(esp_flash_t *chip, uint32_t *out_size)
{
    ESP_RETURN_ON_FALSE(out_size, ESP_ERR_INVALID_ARG, TAG, "null size");
    ESP_RETURN_ON_FALSE(!chip || chip == esp_flash_default_chip, ESP_ERR_INVALID_ARG, TAG, "not the main flash");
    *out_size = spi1_flash_size();
    return ESP_OK;
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

/* A write or erase takes master's mmap lock first (spi_flash_os_func_app.c's spi1_start
 * with ESP_FLASH_START_FLAG_NO_READ).  Weak: in the ESP-IDF driver libraries the lock is
 * flash_mmap.c's, and a release's flash_mmap.c has none. */
#pragma weak flash_mmap_lock_freeze
#pragma weak flash_mmap_lock_unfreeze

static bool s_mmap_lock_freeze(void)
{
    if (CONFIG_IDF_TARGET_ESP32 || MMSIM_IDF_VERSION < MMSIM_IDF_VER(6, 1, 0) || !flash_mmap_lock_freeze)
        return false;
    flash_mmap_lock_freeze();
    return true;
}

static void s_mmap_lock_unfreeze(bool frozen)
{
    if (frozen && flash_mmap_lock_unfreeze)
        flash_mmap_lock_unfreeze();
}

esp_err_t esp_flash_write(esp_flash_t *chip, const void *buffer, uint32_t address, uint32_t length)
{
    ESP_RETURN_ON_FALSE(buffer, ESP_ERR_INVALID_ARG, TAG, "null buffer");
    ESP_RETURN_ON_FALSE(s_range_ok(chip, address, length), ESP_ERR_INVALID_ARG, TAG, "range outside the flash");
    bool frozen = s_mmap_lock_freeze();
    spi_flash_disable_interrupts_caches_and_other_cpu();
    bool ok = spi1_flash_program(address, buffer, length);
    spi_flash_enable_interrupts_caches_and_other_cpu();
    s_mmap_lock_unfreeze(frozen);
    if (ok && length)
        spi_flash_check_and_flush_cache(address, length);
    return ok ? ESP_OK : ESP_FAIL;
}

esp_err_t esp_flash_erase_region(esp_flash_t *chip, uint32_t start, uint32_t len)
{
    ESP_RETURN_ON_FALSE(s_range_ok(chip, start, len) && start % 4096 == 0 && len % 4096 == 0, ESP_ERR_INVALID_ARG,
                        TAG, "erase range must be 4 KB aligned and inside the flash");
    bool frozen = s_mmap_lock_freeze();
    spi_flash_disable_interrupts_caches_and_other_cpu();
    bool ok = spi1_flash_erase(start, len);
    spi_flash_enable_interrupts_caches_and_other_cpu();
    s_mmap_lock_unfreeze(frozen);
    if (ok && len)
        spi_flash_check_and_flush_cache(start, len);
    return ok ? ESP_OK : ESP_FAIL;
}
