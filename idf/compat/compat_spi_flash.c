/* compat_spi_flash.c - what flash_mmap.c, partition.c and partition_target.c need
 * from outside them, besides the flash write path (core/esp_flash.c, compiled in as
 * glue): the ROM's flash size, the eFuse's "flash encryption off", the encrypted flash
 * calls that state never reaches, bootloader_support's partition hash, app_update's
 * running partition, the spi_flash start-up step that creates the mmap lock, and the
 * entry points the loader hands out for the partition finds, which make the simulated
 * bootloader's check of the table first, as our driver does. */
#include <stdint.h>
#include <string.h>

#include "bootloader_common.h"
#include "bootloader_sha.h"
#include "esp_efuse.h"
#include "esp_flash.h"
#include "esp_ota_ops.h"
#include "esp_partition.h"
#if __has_include("esp_private/flash_mmap.h")
#include "esp_private/flash_mmap.h" /* the mmap lock: master (v6.1-dev) on */
#define MMSIM_IDF_HAS_MMAP_LOCK 1
#else
#define MMSIM_IDF_HAS_MMAP_LOCK 0
#endif
#include "esp_private/image_layout.h"
#include "esp_rom_spiflash.h"
#include "hal/efuse_hal.h"
#include "hal/spi1_flash.h"
#include "mmsim_idf_compat_private.h"
#include "sdkconfig.h"

/* ---- esp_rom_spiflash.h ---- */

const esp_rom_spiflash_chip_t *mmsim_idf_rom_flashchip(void)
{
    static esp_rom_spiflash_chip_t chip;
    chip = (esp_rom_spiflash_chip_t){.chip_size = spi1_flash_size(), .block_size = 0x10000, .sector_size = 0x1000,
                                     .page_size = 0x100, .status_mask = 0xffff};
    return &chip;
}

/* ---- eFuse: flash encryption off ---- */

bool esp_efuse_is_flash_encryption_enabled(void) { return false; }
bool efuse_hal_flash_encryption_enabled(void) { return false; }

esp_err_t esp_flash_read_encrypted(esp_flash_t *chip, uint32_t address, void *out_buffer, uint32_t length)
{
    (void)chip, (void)address, (void)out_buffer, (void)length;
    mmsim_idf_abort_once("esp_flash_read_encrypted: flash encryption is not simulated (it is off in eFuse)");
    return ESP_ERR_NOT_SUPPORTED;
}

esp_err_t esp_flash_write_encrypted(esp_flash_t *chip, uint32_t address, const void *buffer, uint32_t length)
{
    (void)chip, (void)address, (void)buffer, (void)length;
    mmsim_idf_abort_once("esp_flash_write_encrypted: flash encryption is not simulated (it is off in eFuse)");
    return ESP_ERR_NOT_SUPPORTED;
}

/* ---- bootloader_common.h ---- */

esp_err_t bootloader_common_get_sha256_of_partition(uint32_t address, uint32_t size, int type, uint8_t *out_sha_256)
{
    if (!out_sha_256 || size == 0)
        return ESP_ERR_INVALID_ARG;
    if (type == ESP_PARTITION_TYPE_APP || type == ESP_PARTITION_TYPE_BOOTLOADER)
        return ESP_ERR_NOT_SUPPORTED;
    bootloader_sha256_handle_t sha = bootloader_sha256_start();
    if (!sha)
        return ESP_ERR_NO_MEM;
    uint8_t buf[0x1000];
    for (uint32_t done = 0; done < size;) {
        uint32_t n = size - done < sizeof buf ? size - done : (uint32_t)sizeof buf;
        esp_err_t err = esp_flash_read(NULL, buf, address + done, n);
        if (err != ESP_OK) {
            bootloader_sha256_finish(sha, NULL);
            return err;
        }
        bootloader_sha256_data(sha, buf, n);
        done += n;
    }
    bootloader_sha256_finish(sha, out_sha_256);
    return ESP_OK;
}

/* ---- esp_ota_ops.h ---- */

const esp_partition_t *esp_ota_get_running_partition(void)
{
    const esp_partition_t *first = NULL;
    esp_partition_iterator_t it = esp_partition_find(ESP_PARTITION_TYPE_APP, ESP_PARTITION_SUBTYPE_ANY, NULL);
    for (; it; it = esp_partition_next(it)) {
        const esp_partition_t *p = esp_partition_get(it);
        if (!first)
            first = p;
        if (IMAGE_LAYOUT_FLASH_OFFSET >= p->address && IMAGE_LAYOUT_FLASH_OFFSET - p->address < p->size) {
            esp_partition_iterator_release(it);
            return p;
        }
    }
    return first;
}

/* ---- start-up ---- */

/* esp_flash_app_init's part for the mmap family: the mmap lock (there is none on ESP32,
 * nor in releases before it). */
esp_err_t mmsim_idf_spi_flash_init(void);
esp_err_t mmsim_idf_spi_flash_init(void)
{
#if MMSIM_IDF_HAS_MMAP_LOCK && !CONFIG_IDF_TARGET_ESP32
    /* The words of our driver's hang (core/spi_flash_mmap.c), so that both report it alike. */
    mmsim_idf_semaphores_hang_as("flash write or erase: waits for the mmap lock, which a spi_flash_mmap with "
                                 "SPI_FLASH_MMAP_FLAG_BLOCKS_WRITE holds until its munmap (the task hangs)");
    esp_err_t err = flash_mmap_lock_init();
    mmsim_idf_semaphores_hang_as(NULL);
    return err;
#else
    return ESP_OK;
#endif
}

/* ---- the simulated bootloader's check, before the first load of the table ---- */

/* The chip's bootloader checks the table before the app runs; the simulated chip runs
 * the app whatever the table holds and makes the check where the app first reads the
 * table (core/include/esp_flash_partitions.h).  Upstream's partition.c reads the
 * table in its finds (ensure_partitions_loaded); these entry points make the check
 * first, until it passes once, then call upstream's function unchanged.  Arguments
 * upstream refuses before reading the table (NULL out pointers) go straight to it. */
static bool s_boot_checked;

static esp_err_t boot_check(void)
{
    if (s_boot_checked)
        return ESP_OK;
    esp_err_t err = esp_partition_table_boot_check();
    s_boot_checked = err == ESP_OK;
    return err;
}

esp_err_t mmsim_idf_partition_find_err(esp_partition_type_t type, esp_partition_subtype_t subtype,
                                       const char *label, esp_partition_iterator_t *it);
esp_err_t mmsim_idf_partition_find_first_err(esp_partition_type_t type, esp_partition_subtype_t subtype,
                                             const char *label, const esp_partition_t **partition);
esp_err_t mmsim_idf_partition_verify_err(const esp_partition_t *partition, const esp_partition_t **out_partition);

esp_err_t mmsim_idf_partition_find_err(esp_partition_type_t type, esp_partition_subtype_t subtype,
                                       const char *label, esp_partition_iterator_t *it)
{
    esp_err_t err = it ? boot_check() : ESP_OK;
    if (err != ESP_OK) {
        *it = NULL;
        return err;
    }
    return esp_partition_find_err(type, subtype, label, it);
}

esp_err_t mmsim_idf_partition_find_first_err(esp_partition_type_t type, esp_partition_subtype_t subtype,
                                             const char *label, const esp_partition_t **partition)
{
    esp_err_t err = partition ? boot_check() : ESP_OK;
    if (err != ESP_OK) {
        *partition = NULL;
        return err;
    }
    return esp_partition_find_first_err(type, subtype, label, partition);
}

esp_err_t mmsim_idf_partition_verify_err(const esp_partition_t *partition, const esp_partition_t **out_partition)
{
    esp_err_t err = partition && out_partition ? boot_check() : ESP_OK;
    if (err != ESP_OK) {
        *out_partition = NULL;
        return err;
    }
    return esp_partition_verify_err(partition, out_partition);
}
