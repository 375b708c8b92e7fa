/* esp_flash_partitions.c - the bootloader's side of the partition table: the check of
 * its records (bootloader_support's flash_partitions.c, esp_partition_table_verify,
 * written from its behaviour: the same checks in the same order and its log lines),
 * and the simulated bootloader's verdict on the table it read at boot.
 *
 * Both drivers' partition calls make that reading before their first load of the
 * table (our esp_partition.c; ESP-IDF's partition.c through the compatibility layer
 * of idf/, into whose libraries this file is compiled), so the bootloader's verdict is
 * the same whichever driver runs the app. */
#include "esp_flash_partitions.h"

#include <inttypes.h>
#include <string.h>

#include "esp_log.h"
#include "esp_private/boot_ptable.h"
#include "esp_rom_md5.h"
#include "hal/spi1_flash.h"
#include "sdkconfig.h"

static const char *TAG_VERIFY = "flash_parts";

esp_err_t esp_partition_table_verify(const esp_partition_info_t *partition_table, bool log_errors,
                                     int *num_partitions)
{
    bool md5_found = false;
    uint32_t chip_size = spi1_flash_size();
    *num_partitions = 0;
    for (int n = 0; n < (int)ESP_PARTITION_TABLE_MAX_ENTRIES; n++) {
        const esp_partition_info_t *part = &partition_table[n];
        if (part->magic == ESP_PARTITION_MAGIC) {
            if (part->pos.offset > chip_size || part->pos.size > chip_size - part->pos.offset) {
                if (log_errors)
                    ESP_LOGE(TAG_VERIFY,
                             "partition %d invalid - offset 0x%" PRIx32 " size 0x%" PRIx32
                             " exceeds flash chip size 0x%" PRIx32,
                             n, part->pos.offset, part->pos.size, chip_size);
                return ESP_ERR_INVALID_SIZE;
            }
        } else if (part->magic == ESP_PARTITION_MAGIC_MD5) {
            if (md5_found) {
                if (log_errors)
                    ESP_LOGE(TAG_VERIFY, "Only one MD5 checksum is allowed");
                return ESP_ERR_INVALID_STATE;
            }
            md5_context_t md5;
            uint8_t digest[ESP_ROM_MD5_DIGEST_LEN];
            esp_rom_md5_init(&md5);
            esp_rom_md5_update(&md5, partition_table, (uint32_t)(n * sizeof(esp_partition_info_t)));
            esp_rom_md5_final(digest, &md5);
            if (memcmp((const uint8_t *)part + ESP_PARTITION_MD5_OFFSET, digest, sizeof digest)) {
                if (log_errors)
                    ESP_LOGE(TAG_VERIFY, "Incorrect MD5 checksum");
                return ESP_ERR_INVALID_STATE;
            }
            md5_found = true;
        } else if (n != 0 && part->magic == 0xFFFF && part->type == PART_TYPE_END &&
                   part->subtype == PART_SUBTYPE_END) {
            ESP_LOGD(TAG_VERIFY, "partition table verified, %d entries", n);
            *num_partitions = n - (md5_found ? 1 : 0);
            return ESP_OK;
        } else {
            if (log_errors)
                ESP_LOGE(TAG_VERIFY, "partition %d invalid magic number 0x%x", n, part->magic);
            return ESP_ERR_INVALID_STATE;
        }
    }
    if (log_errors)
        ESP_LOGE(TAG_VERIFY, "partition table has no terminating entry, not valid");
    return ESP_ERR_INVALID_STATE;
}

esp_err_t esp_partition_table_boot_check(void)
{
    const uint8_t *at_boot = boot_ptable();
    if (!at_boot)
        return ESP_ERR_INVALID_STATE;
    esp_partition_info_t table[ESP_PARTITION_TABLE_MAX_ENTRIES];
    memcpy(table, at_boot, sizeof table);
    int count;
    return esp_partition_table_verify(table, true, &count);
}
