/* esp_flash_partitions.h - the binary partition table's layout and the start-up's
 * check of it (ESP-IDF's bootloader_support/include/esp_flash_partitions.h: same names,
 * values and types). */
#ifndef MMSIM_ESP_FLASH_PARTITIONS_H
#define MMSIM_ESP_FLASH_PARTITIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "esp_err.h"
#include "sdkconfig.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ESP_PARTITION_MAGIC 0x50AA
#define ESP_PARTITION_MAGIC_MD5 0xEBEB

#define PART_TYPE_APP 0x00
#define PART_SUBTYPE_FACTORY 0x00
#define PART_SUBTYPE_OTA_FLAG 0x10
#define PART_SUBTYPE_OTA_MASK 0x0f
#define PART_SUBTYPE_TEST 0x20
#define PART_TYPE_DATA 0x01
#define PART_SUBTYPE_DATA_OTA 0x00
#define PART_TYPE_BOOTLOADER 0x02
#define PART_TYPE_PARTITION_TABLE 0x03
#define PART_TYPE_END 0xff
#define PART_SUBTYPE_END 0xff

#define PART_FLAG_ENCRYPTED (1 << 0)
#define PART_FLAG_READONLY (1 << 1)

/* The MD5 digest sits this many bytes into the MD5 record. */
#define ESP_PARTITION_MD5_OFFSET 16

/* A run-time value here (see sdkconfig.h): test it with `if`, never in `#if`. */
#define ESP_PARTITION_TABLE_OFFSET CONFIG_PARTITION_TABLE_OFFSET
#define ESP_PRIMARY_PARTITION_TABLE_OFFSET CONFIG_PARTITION_TABLE_OFFSET
#define ESP_PARTITION_TABLE_SIZE (0x1000)
#define ESP_PARTITION_TABLE_MAX_LEN 0xC00
#define ESP_PARTITION_TABLE_MAX_ENTRIES (ESP_PARTITION_TABLE_MAX_LEN / sizeof(esp_partition_info_t))

typedef struct {
    uint32_t offset;
    uint32_t size;
} esp_partition_pos_t;

/* One 32-byte record of the table, little-endian as the chip reads it. */
typedef struct {
    uint16_t magic;
    uint8_t type;
    uint8_t subtype;
    esp_partition_pos_t pos;
    uint8_t label[16];
    uint32_t flags;
} esp_partition_info_t;

/* The bootloader's check of the table at `partition_table` (ESP_PARTITION_TABLE_MAX_LEN
 * bytes): each record an entry within the flash, at most one MD5 record whose digest
 * covers the entries before it, then the end marker (not first).  With log_errors the
 * failure is logged ("flash_parts" tag, ESP-IDF's lines).  ESP_OK and *num_partitions
 * the entries (MD5 record not counted); ESP_ERR_INVALID_SIZE for an entry past the
 * flash; ESP_ERR_INVALID_STATE for anything else. */
esp_err_t esp_partition_table_verify(const esp_partition_info_t *partition_table, bool log_errors,
                                     int *num_partitions);

/* The simulated bootloader's check of the table: esp_partition_table_verify, with its
 * log lines, of the ESP_PARTITION_TABLE_MAX_LEN bytes the boot read at
 * ESP_PARTITION_TABLE_OFFSET (esp_private/boot_ptable.h).  On the chip the bootloader
 * makes it before the app starts, and a refused table stops the boot there; the
 * simulated chip starts the app whatever the table holds, so that a bad table can be
 * shown, and the partition calls make this check, of the table as it was at boot,
 * before their first reading of the table, returning its error while it fails.  What
 * the app wrote to the table's sector since boot is the app's own load's business, as
 * on the chip.  ESP_OK, esp_partition_table_verify's error, or ESP_ERR_INVALID_STATE
 * with no chip bound. */
esp_err_t esp_partition_table_boot_check(void);

#ifdef __cplusplus
}
#endif

#endif
