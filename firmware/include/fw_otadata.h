/* fw_otadata.h - the OTA data partition (data, ota: two flash sectors, each starting with
 * an esp_ota_select_entry_t) and the second-stage bootloader's choice of app from it and
 * the partition table, as plain structs.
 *
 * Part of firmware/ (DESIGN.md rule 6).  The rules are bootloader_support's:
 * bootloader_common_ota_select_crc/_valid/_invalid and bootloader_common_select_otadata
 * (bootloader_common_loader.c, bootloader_common.c), bootloader_common_read_otadata,
 * bootloader_utility_load_partition_table, bootloader_utility_get_selected_boot_partition
 * and bootloader_utility_load_boot_image (bootloader_utility.c), without the rollback and
 * anti-rollback options (CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE and _ANTI_ROLLBACK off, their
 * defaults).  The CRC is the ROM's crc32_le as ESP-IDF calls it,
 * esp_rom_crc32_le(UINT32_MAX, &ota_seq, 4), computed here on its own. */
#ifndef MMSIM_FW_OTADATA_H
#define MMSIM_FW_OTADATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fw_error.h"
#include "fw_partition.h"

#define FW_OTA_ENTRY_SIZE 32u          /* sizeof(esp_ota_select_entry_t) */
#define FW_OTA_SECTOR_SIZE 0x1000u     /* the second copy starts one sector in */
#define FW_OTADATA_SIZE 0x2000u        /* the two sectors the bootloader needs */
#define FW_OTA_LABEL_LEN 20u
#define FW_OTA_MAX_SLOTS 16u           /* MAX_OTA_SLOTS: ota_0 .. ota_15 */

/* esp_ota_img_states_t */
enum {
    FW_OTA_IMG_NEW = 0x0,
    FW_OTA_IMG_PENDING_VERIFY = 0x1,
    FW_OTA_IMG_VALID = 0x2,
    FW_OTA_IMG_INVALID = 0x3,
    FW_OTA_IMG_ABORTED = 0x4,
    FW_OTA_IMG_UNDEFINED = 0xFFFFFFFF,
};

typedef struct {
    uint32_t ota_seq;
    uint8_t seq_label[FW_OTA_LABEL_LEN];
    uint32_t ota_state;
    uint32_t crc;                  /* as stored */
    bool crc_ok;                   /* crc == fw_ota_seq_crc(ota_seq) */
    bool invalid;                  /* bootloader_common_ota_select_invalid: seq 0xFFFFFFFF, or
                                      state INVALID or ABORTED */
    bool valid;                    /* !invalid && crc_ok (bootloader_common_ota_select_valid) */
} fw_ota_entry_t;

typedef struct {
    fw_ota_entry_t entry[2];       /* sector 0, sector 1 */
    int active;                    /* the valid entry with the higher sequence (the first on a
                                      tie), or -1 (bootloader_common_get_active_otadata) */
} fw_otadata_t;

/* The ROM's crc32_le(crc, buf, len): reflected CRC-32 (polynomial 0xEDB88320) that inverts
 * `crc` on the way in and the result on the way out. */
uint32_t fw_crc32_le(uint32_t crc, const uint8_t *buf, size_t len);
/* The CRC of an entry: fw_crc32_le(0xFFFFFFFF, the 4 little-endian bytes of seq, 4). */
uint32_t fw_ota_seq_crc(uint32_t ota_seq);

/* Read the two entries of an otadata partition held in `len` bytes (at least 0x1020: the
 * first entry of each sector; a partition is 0x2000).  Errors "file: byte offset N: ..."
 * ("otadata" when file is NULL): FW_ERR_TRUNCATED.  Entries that are erased or broken are
 * not errors: their flags say so. */
int fw_otadata_read(const char *file, const uint8_t *data, size_t len, fw_otadata_t *out,
                    fw_error_t *err);

/* Write one entry (32 bytes) as esp_ota_set_boot_partition does: seq, the label all 0xFF,
 * state, and the CRC of seq. */
void fw_ota_entry_write(uint8_t out[FW_OTA_ENTRY_SIZE], uint32_t ota_seq, uint32_t ota_state);

/* What bootloader_utility_load_partition_table keeps of a table. */
typedef struct {
    int factory, test, otadata;    /* entry indexes in the table, or -1 */
    int ota[FW_OTA_MAX_SLOTS];     /* ota_N's entry index, or -1 */
    unsigned app_count;            /* OTA app partitions (the modulus of the sequence) */
} fw_boot_parts_t;

#define FW_BOOT_FACTORY (-1)       /* FACTORY_INDEX */
#define FW_BOOT_TEST (-2)          /* TEST_APP_INDEX */
#define FW_BOOT_MAX_CANDIDATES (FW_OTA_MAX_SLOTS + 2)
#define FW_BOOT_LOG_MAX 1024

typedef struct {
    fw_boot_parts_t parts;
    bool has_otadata;              /* the table has one and it was read */
    fw_otadata_t otadata;
    int start_index;               /* bootloader_utility_get_selected_boot_partition's answer:
                                      FW_BOOT_FACTORY, or an OTA slot 0..15 */
    /* The partitions bootloader_utility_load_boot_image tries, in order (slot index
     * -> table entry): from start_index down to the factory app, then up through the OTA
     * slots, then the test app; slots with no partition are left out.  The first whose
     * image loads is booted. */
    size_t candidate_count;
    int candidate_slot[FW_BOOT_MAX_CANDIDATES];
    int candidate_entry[FW_BOOT_MAX_CANDIDATES];
    char reason[256];              /* one line: why start_index */
    char log[FW_BOOT_LOG_MAX];     /* ESP-IDF's I/E log lines of the choice, '\n'-separated */
} fw_boot_choice_t;

/* Sort a table's app and otadata partitions as bootloader_utility_load_partition_table. */
void fw_boot_parts(const fw_ptable_t *table, fw_boot_parts_t *out);

/* The bootloader's choice: `otadata` is the content of the table's otadata partition
 * (NULL or len 0 when there is none or it was not flashed: read as erased flash, all
 * 0xFF, as the chip would).  An otadata partition under 0x2000 bytes is refused as the
 * bootloader refuses it ("ota_info partition size N is too small (minimum 8192 bytes)",
 * FW_ERR_RULE); no app partition at all is FW_ERR_RULE ("No bootable app partitions in
 * the partition table").  `file` names the otadata in messages. */
int fw_boot_select(const char *file, const fw_ptable_t *table, const uint8_t *otadata, size_t len,
                   fw_boot_choice_t *out, fw_error_t *err);

#endif
