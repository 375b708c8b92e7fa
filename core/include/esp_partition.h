/* esp_partition.h - ESP-IDF's partition API (components/esp_partition/include/
 * esp_partition.h: same names, enum values, types and return codes) over the binary
 * partition table the simulated flash holds at CONFIG_PARTITION_TABLE_OFFSET.
 *
 * The table is read through the flash driver and checked on first use, per machine
 * (the bootloader's esp_partition_table_verify, then the app's MD5 check), with
 * ESP-IDF's log lines.  Flash encryption is not simulated: as on a chip whose eFuse
 * has it off, every partition reads `encrypted == false`, whatever its flag.  Calls
 * given a NULL partition, where ESP-IDF asserts, record an abort hazard and return
 * ESP_ERR_INVALID_ARG (NULL, false). */
#ifndef MMSIM_ESP_PARTITION_H
#define MMSIM_ESP_PARTITION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "esp_err.h"
#include "esp_flash.h"

#ifdef __cplusplus
extern "C" {
#endif

/* esp_partition_mmap's flags, the values of spi_flash_mmap's. */
typedef enum {
    ESP_PARTITION_MMAP_DATA = 0,
    ESP_PARTITION_MMAP_INST = 1 << 0,
    ESP_PARTITION_MMAP_BLOCKS_WRITE = 1 << 1,
} esp_partition_mmap_flag_t;
#define esp_partition_mmap_memory_t                                                                     \
    _Pragma("GCC warning \"'esp_partition_mmap_memory_t' enum is deprecated.\"") esp_partition_mmap_flag_t

typedef uint32_t esp_partition_mmap_handle_t;

typedef enum {
    ESP_PARTITION_TYPE_APP = 0x00,
    ESP_PARTITION_TYPE_DATA = 0x01,
    ESP_PARTITION_TYPE_BOOTLOADER = 0x02,
    ESP_PARTITION_TYPE_PARTITION_TABLE = 0x03,
    ESP_PARTITION_TYPE_ANY = 0xff,
} esp_partition_type_t;

typedef enum {
    ESP_PARTITION_SUBTYPE_BOOTLOADER_PRIMARY = 0x00,
    ESP_PARTITION_SUBTYPE_BOOTLOADER_OTA = 0x01,
    ESP_PARTITION_SUBTYPE_BOOTLOADER_RECOVERY = 0x02,
    ESP_PARTITION_SUBTYPE_PARTITION_TABLE_PRIMARY = 0x00,
    ESP_PARTITION_SUBTYPE_PARTITION_TABLE_OTA = 0x01,
    ESP_PARTITION_SUBTYPE_APP_FACTORY = 0x00,
    ESP_PARTITION_SUBTYPE_APP_OTA_MIN = 0x10,
    ESP_PARTITION_SUBTYPE_APP_OTA_0 = 0x10,
    ESP_PARTITION_SUBTYPE_APP_OTA_1 = 0x11,
    ESP_PARTITION_SUBTYPE_APP_OTA_2 = 0x12,
    ESP_PARTITION_SUBTYPE_APP_OTA_3 = 0x13,
    ESP_PARTITION_SUBTYPE_APP_OTA_4 = 0x14,
    ESP_PARTITION_SUBTYPE_APP_OTA_5 = 0x15,
    ESP_PARTITION_SUBTYPE_APP_OTA_6 = 0x16,
    ESP_PARTITION_SUBTYPE_APP_OTA_7 = 0x17,
    ESP_PARTITION_SUBTYPE_APP_OTA_8 = 0x18,
    ESP_PARTITION_SUBTYPE_APP_OTA_9 = 0x19,
    ESP_PARTITION_SUBTYPE_APP_OTA_10 = 0x1a,
    ESP_PARTITION_SUBTYPE_APP_OTA_11 = 0x1b,
    ESP_PARTITION_SUBTYPE_APP_OTA_12 = 0x1c,
    ESP_PARTITION_SUBTYPE_APP_OTA_13 = 0x1d,
    ESP_PARTITION_SUBTYPE_APP_OTA_14 = 0x1e,
    ESP_PARTITION_SUBTYPE_APP_OTA_15 = 0x1f,
    ESP_PARTITION_SUBTYPE_APP_OTA_MAX = 0x20,
    ESP_PARTITION_SUBTYPE_APP_TEST = 0x20,
    ESP_PARTITION_SUBTYPE_APP_TEE_MIN = 0x30,
    ESP_PARTITION_SUBTYPE_APP_TEE_0 = 0x30,
    ESP_PARTITION_SUBTYPE_APP_TEE_1 = 0x31,
    ESP_PARTITION_SUBTYPE_APP_TEE_MAX = 0x31,
    ESP_PARTITION_SUBTYPE_DATA_OTA = 0x00,
    ESP_PARTITION_SUBTYPE_DATA_PHY = 0x01,
    ESP_PARTITION_SUBTYPE_DATA_NVS = 0x02,
    ESP_PARTITION_SUBTYPE_DATA_COREDUMP = 0x03,
    ESP_PARTITION_SUBTYPE_DATA_NVS_KEYS = 0x04,
    ESP_PARTITION_SUBTYPE_DATA_EFUSE_EM = 0x05,
    ESP_PARTITION_SUBTYPE_DATA_UNDEFINED = 0x06,
    ESP_PARTITION_SUBTYPE_DATA_ESPHTTPD = 0x80,
    ESP_PARTITION_SUBTYPE_DATA_FAT = 0x81,
    ESP_PARTITION_SUBTYPE_DATA_SPIFFS = 0x82,
    ESP_PARTITION_SUBTYPE_DATA_LITTLEFS = 0x83,
    ESP_PARTITION_SUBTYPE_DATA_TEE_OTA = 0x90,
    ESP_PARTITION_SUBTYPE_ANY = 0xff,
} esp_partition_subtype_t;

#define ESP_PARTITION_SUBTYPE_OTA(i) ((esp_partition_subtype_t)(ESP_PARTITION_SUBTYPE_APP_OTA_MIN + ((i) & 0xf)))

typedef struct esp_partition_iterator_opaque_ *esp_partition_iterator_t;

/* A partition.  The pointers the find calls return stay valid while the machine is
 * open (until esp_partition_unload_all). */
typedef struct {
    esp_flash_t *flash_chip;
    esp_partition_type_t type;
    esp_partition_subtype_t subtype;
    uint32_t address;
    uint32_t size;
    uint32_t erase_size;   /* 4 KB, SPI_FLASH_SEC_SIZE */
    char label[17];
    bool encrypted;
    bool readonly;
} esp_partition_t;

/* Find partitions by type (ESP_PARTITION_TYPE_ANY: any), subtype (_ANY: any; a subtype
 * with type ANY is ESP_ERR_INVALID_ARG) and label (NULL: any), in table order.  The
 * table is loaded on the first call; a table that fails its checks makes every find
 * return its error (logged) until it is fixed.  _err: ESP_OK with *it; ESP_ERR_NOT_FOUND;
 * ESP_ERR_INVALID_ARG; ESP_ERR_NO_MEM; the load's error.  The others return NULL. */
esp_partition_iterator_t esp_partition_find(esp_partition_type_t type, esp_partition_subtype_t subtype,
                                            const char *label);
esp_err_t esp_partition_find_err(esp_partition_type_t type, esp_partition_subtype_t subtype, const char *label,
                                 esp_partition_iterator_t *it);
const esp_partition_t *esp_partition_find_first(esp_partition_type_t type, esp_partition_subtype_t subtype,
                                                const char *label);
esp_err_t esp_partition_find_first_err(esp_partition_type_t type, esp_partition_subtype_t subtype,
                                       const char *label, const esp_partition_t **partition);
const esp_partition_t *esp_partition_get(esp_partition_iterator_t iterator);
/* The next match, or NULL with the iterator released. */
esp_partition_iterator_t esp_partition_next(esp_partition_iterator_t iterator);
void esp_partition_iterator_release(esp_partition_iterator_t iterator);

/* The table's own partition equal to `partition` (chip, address, size, encrypted; by
 * type, subtype and label when it has one), or NULL / ESP_ERR_NOT_FOUND. */
const esp_partition_t *esp_partition_verify(const esp_partition_t *partition);
esp_err_t esp_partition_verify_err(const esp_partition_t *partition, const esp_partition_t **out_partition);

/* Read, write (NOR program: bits only clear; erase first) and erase inside a partition,
 * through esp_flash_*, so writes and erases invalidate the first mapping of each
 * touched page as ESP-IDF does.  ESP_ERR_INVALID_ARG for an offset past the partition
 * (erase: not 4 KB aligned), ESP_ERR_INVALID_SIZE for a size past its end (erase: not
 * 4 KB aligned), ESP_ERR_NOT_ALLOWED for writing a readonly partition; else
 * esp_flash_*'s result.  _raw: the same, never decrypting (no difference here). */
esp_err_t esp_partition_read(const esp_partition_t *partition, size_t src_offset, void *dst, size_t size);
esp_err_t esp_partition_write(const esp_partition_t *partition, size_t dst_offset, const void *src, size_t size);
esp_err_t esp_partition_read_raw(const esp_partition_t *partition, size_t src_offset, void *dst, size_t size);
esp_err_t esp_partition_write_raw(const esp_partition_t *partition, size_t dst_offset, const void *src,
                                  size_t size);
esp_err_t esp_partition_erase_range(const esp_partition_t *partition, size_t offset, size_t size);

/* Map part of a partition into the data or instruction address space (spi_flash_mmap
 * of the page-aligned range; the pointer is advanced by the in-page offset).
 * Declared as ESP-IDF does; provided with the spi_flash mmap family. */
esp_err_t esp_partition_mmap(const esp_partition_t *partition, size_t offset, size_t size,
                             esp_partition_mmap_flag_t flags, const void **out_ptr,
                             esp_partition_mmap_handle_t *out_handle);
void esp_partition_munmap(esp_partition_mmap_handle_t handle);

/* SHA-256 of a data partition's whole contents, read through the flash driver.  App
 * and bootloader partitions: ESP-IDF hashes the image inside; images are not parsed
 * here, so they get ESP_ERR_NOT_SUPPORTED.  ESP_ERR_INVALID_ARG for a NULL output or
 * an empty partition. */
esp_err_t esp_partition_get_sha256(const esp_partition_t *partition, uint8_t *sha_256);
/* Both SHA-256s computed and equal. */
bool esp_partition_check_identity(const esp_partition_t *partition_1, const esp_partition_t *partition_2);

/* Add a partition to the list (after the table's), not overlapping another on the same
 * chip: ESP_ERR_INVALID_SIZE past the flash, ESP_ERR_INVALID_ARG on an overlap. */
esp_err_t esp_partition_register_external(esp_flash_t *flash_chip, size_t offset, size_t size, const char *label,
                                          esp_partition_type_t type, esp_partition_subtype_t subtype,
                                          const esp_partition_t **out_partition);
/* Remove one: ESP_ERR_NOT_FOUND if unknown, ESP_ERR_INVALID_ARG if from the table. */
esp_err_t esp_partition_deregister_external(const esp_partition_t *partition);
/* Forget the list (the next find reads the table again); earlier pointers are freed. */
void esp_partition_unload_all(void);
uint32_t esp_partition_get_main_flash_sector_size(void);
/* False if [addr, addr+size) touches a readonly partition. */
bool esp_partition_is_flash_region_writable(size_t addr, size_t size);

#ifdef __cplusplus
}
#endif

#endif
