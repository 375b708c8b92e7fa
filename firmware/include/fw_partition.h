/* fw_partition.h - ESP-IDF partition tables as plain structs: the binary table a build
 * flashes at CONFIG_PARTITION_TABLE_OFFSET, and the partitions.csv it is made from.
 *
 * Part of firmware/, the edge where a user's build output becomes plain data (DESIGN.md
 * rule 6): nothing here knows the simulator.  The rules are ESP-IDF's, read from
 * components/partition_table/gen_esp32part.py (CSV syntax, offset placement, the checks
 * it makes before writing, the exact binary it writes) and from bootloader_support's
 * esp_partition_table_verify and esp_partition's load_partitions (what a chip accepts
 * at start-up).  Where the two disagree the comments on each function say which wins.
 *
 * Errors: every call that can fail returns 0 or a negative FW_ERR_* code and fills an
 * fw_error_t with one line:
 *     file:line:column: message      (a CSV; 1-based, columns count characters)
 *     file: entry N: message         (a binary table; N counts from 0, as ESP-IDF's
 *                                     "partition N" log lines do)
 *     file: message                  (the file as a whole)
 * On failure the output table is left empty (count 0). */
#ifndef MMSIM_FW_PARTITION_H
#define MMSIM_FW_PARTITION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fw_error.h"

#define FW_PTABLE_OFFSET_DEFAULT 0x8000u /* CONFIG_PARTITION_TABLE_OFFSET's default */
#define FW_PTABLE_SECTOR_SIZE 0x1000u    /* the flash sector the table occupies */
#define FW_PTABLE_MAX_LEN 0xC00u         /* entries, MD5 record and end marker; the rest
                                            of the sector is left for a signature */
#define FW_PTABLE_ENTRY_SIZE 32u
#define FW_PTABLE_SLOTS (FW_PTABLE_MAX_LEN / FW_PTABLE_ENTRY_SIZE) /* 96 records */
#define FW_PTABLE_MAX_ENTRIES (FW_PTABLE_SLOTS - 1) /* 95 partitions + end; 94 with MD5 */
#define FW_PART_LABEL_MAX 16             /* bytes, not NUL-terminated when full */
#define FW_PART_MAGIC 0x50AAu            /* bytes AA 50 */
#define FW_PART_MAGIC_MD5 0xEBEBu        /* EB EB, 14 x FF, then the 16-byte MD5 */

/* Types and the subtypes gen_esp32part.py knows by name (esp_partition.h's enum). */
enum {
    FW_PART_TYPE_APP = 0x00,
    FW_PART_TYPE_DATA = 0x01,
    FW_PART_TYPE_BOOTLOADER = 0x02,
    FW_PART_TYPE_PARTITION_TABLE = 0x03,
};
enum {
    FW_PART_SUBTYPE_APP_FACTORY = 0x00,
    FW_PART_SUBTYPE_APP_OTA_0 = 0x10, /* ota_0 .. ota_15 = 0x10 .. 0x1F */
    FW_PART_SUBTYPE_APP_TEST = 0x20,
    FW_PART_SUBTYPE_APP_TEE_0 = 0x30, /* tee_0, tee_1 = 0x30, 0x31 */
    FW_PART_SUBTYPE_DATA_OTA = 0x00,
    FW_PART_SUBTYPE_DATA_PHY = 0x01,
    FW_PART_SUBTYPE_DATA_NVS = 0x02,
    FW_PART_SUBTYPE_DATA_COREDUMP = 0x03,
    FW_PART_SUBTYPE_DATA_NVS_KEYS = 0x04,
    FW_PART_SUBTYPE_DATA_EFUSE = 0x05,
    FW_PART_SUBTYPE_DATA_UNDEFINED = 0x06, /* also what a blank data subtype means */
    FW_PART_SUBTYPE_DATA_ESPHTTPD = 0x80,
    FW_PART_SUBTYPE_DATA_FAT = 0x81,
    FW_PART_SUBTYPE_DATA_SPIFFS = 0x82,
    FW_PART_SUBTYPE_DATA_LITTLEFS = 0x83,
    FW_PART_SUBTYPE_DATA_TEE_OTA = 0x90,
    FW_PART_SUBTYPE_BOOTLOADER_PRIMARY = 0x00,
    FW_PART_SUBTYPE_BOOTLOADER_OTA = 0x01,
    FW_PART_SUBTYPE_BOOTLOADER_RECOVERY = 0x02,
    FW_PART_SUBTYPE_PARTITION_TABLE_PRIMARY = 0x00,
    FW_PART_SUBTYPE_PARTITION_TABLE_OTA = 0x01,
};

#define FW_PART_FLAG_ENCRYPTED 0x1u
#define FW_PART_FLAG_READONLY 0x2u

/* The CSV columns, in file order (indexes into fw_partition_t.column). */
enum { FW_CSV_NAME, FW_CSV_TYPE, FW_CSV_SUBTYPE, FW_CSV_OFFSET, FW_CSV_SIZE, FW_CSV_FLAGS,
       FW_CSV_FIELDS };

typedef struct {
    uint8_t type;
    uint8_t subtype;
    uint32_t offset;                     /* in flash, bytes */
    uint32_t size;                       /* bytes */
    char label[FW_PART_LABEL_MAX + 1];   /* NUL-terminated copy of the 16-byte field */
    uint32_t flags;                      /* FW_PART_FLAG_*; other bits kept as read */
    /* Where the entry came from, for messages: its CSV line and the 1-based column of
     * each field; line 0 for an entry read from a binary table or built by hand. */
    uint32_t line;
    uint32_t column[FW_CSV_FIELDS];
} fw_partition_t;

typedef struct {
    size_t count;                        /* entries in use, in table order */
    fw_partition_t entries[FW_PTABLE_MAX_ENTRIES];
    bool has_md5;                        /* read from a binary table with an MD5 record */
} fw_ptable_t;

/* --secure of gen_esp32part.py: app sizes align to 64 KB for v1, 4 KB otherwise. */
typedef enum { FW_SECURE_NONE, FW_SECURE_V1, FW_SECURE_V2 } fw_secure_t;

#define FW_OFFSET_UNSET (-1)

/* What gen_esp32part.py takes on its command line, plus how much of ESP-IDF to obey. */
typedef struct {
    uint32_t table_offset;               /* --offset (0x8000) */
    bool md5;                            /* write the MD5 record; require one when reading a
                                            binary table, as the app does with
                                            CONFIG_PARTITION_TABLE_MD5 (true; false is
                                            --disable-md5sum) */
    bool verify;                         /* gen_esp32part.py's checks after parsing (true;
                                            false is --no-verify) */
    fw_secure_t secure;                  /* --secure (none) */
    int64_t primary_bootloader_offset;   /* --primary-bootloader-offset, or FW_OFFSET_UNSET */
    int64_t recovery_bootloader_offset;  /* --recovery-bootloader-offset, or FW_OFFSET_UNSET */
    uint64_t flash_size;                 /* bytes; every partition must end within it, as the
                                            bootloader checks against the chip size
                                            (--flash-size); 0 = no check */
    bool expand_env;                     /* $NAME and ${NAME} in a CSV line are replaced by
                                            the environment, as gen_esp32part.py does (true) */
} fw_ptable_opts_t;


/* gen_esp32part.py's defaults (see fw_ptable_opts_t). */
void fw_ptable_opts_default(fw_ptable_opts_t *opts);

/* Parse a partitions.csv held in `len` bytes of `text` (need not be NUL-terminated) as
 * gen_esp32part.py does: '#' comments and blank lines skipped; fields Name, Type, SubType,
 * Offset, Size, Flags (missing trailing fields are blank, fields after the sixth are
 * ignored); names or numbers for type and subtype (case-insensitive names); numbers in
 * Python's int() syntax (decimal, 0x, 0o, 0b, '_' between digits, a sign) with any
 * number of K (x1024) and M (x1048576) suffixes; a negative size meaning "up to that
 * address"; flags encrypted and readonly joined by ':'.  Blank offsets are placed after
 * the previous partition, aligned to 64 KB for apps and 4 KB otherwise, the first one at
 * the table offset + 0x1000.  With opts->verify the table is then checked as
 * fw_ptable_verify does.  Unlike gen_esp32part.py, a name over 16 bytes is an error (it
 * truncates it silently), as are a NUL character (it writes it into the label), a
 * UTF-16 or UTF-32 file (it decodes one with a byte-order mark), and text that is not
 * UTF-8 or a number that does not fit its field (it stops with a Python exception).
 * `file` names the input in messages (NULL: "partitions.csv"); opts NULL = defaults.
 * Returns 0 and fills *out, or a FW_ERR_* code with *err filled and *out empty. */
int fw_ptable_parse_csv(const char *file, const char *text, size_t len,
                        const fw_ptable_opts_t *opts, fw_ptable_t *out, fw_error_t *err);

/* Read a binary partition table (at least up to its end marker; at most one 0x1000-byte
 * sector) as the chip's start-up does: 32-byte records of magic 0x50AA, then an MD5
 * record whose digest covers every entry before it, then the end marker (magic 0xFFFF,
 * type and subtype 0xFF), all within the first 0xC00 bytes; an empty table (end marker
 * first) is refused as the bootloader refuses it.  A missing MD5 record is an error when
 * opts->md5 (the app's CONFIG_PARTITION_TABLE_MD5 check).  With opts->verify the entries
 * are then checked as fw_ptable_verify does.  Arguments and returns as for
 * fw_ptable_parse_csv ("file" NULL: "partition table"). */
int fw_ptable_read_bin(const char *file, const uint8_t *data, size_t len,
                       const fw_ptable_opts_t *opts, fw_ptable_t *out, fw_error_t *err);

/* gen_esp32part.py's checks, in its order: per entry the offset alignment (app 64 KB,
 * others 4 KB), app size alignment (4 KB, 64 KB with secure boot v1), otadata and
 * coredump never readonly, a read/write NVS at least 0x3000 bytes; then unique names;
 * then, by offset, nothing below the table's end but the primary bootloader and
 * partition table, no overlaps; one otadata and one TEE otadata at most, 0x2000 bytes
 * each; and with opts->flash_size, every partition within the flash.  An entry with a
 * CSV line is named by file:line:column, others by "entry N".  0 or a FW_ERR_* code. */
int fw_ptable_verify(const char *file, const fw_ptable_t *table, const fw_ptable_opts_t *opts,
                     fw_error_t *err);

/* Write the binary table exactly as gen_esp32part.py does: the entries in table order,
 * the MD5 record when opts->md5, then 0xFF up to FW_PTABLE_MAX_LEN bytes (the all-0xFF
 * end marker included).  Flags are written as held.  No checks beyond what the binary
 * format needs: room for the entries (94 with the MD5 record, 95 without) and labels of
 * at most 16 bytes.  0 or a FW_ERR_* code; `out` is fully written only on success. */
int fw_ptable_write_bin(const fw_ptable_t *table, const fw_ptable_opts_t *opts,
                        uint8_t out[FW_PTABLE_MAX_LEN], fw_error_t *err);

/* Read a table from a file: a name ending in .bin is a binary table, .csv a CSV, and
 * anything else binary when it starts with a record's magic (AA 50, EB EB, FF FF; no
 * UTF-8 text can) and CSV otherwise.  Messages name `path` as given. */
int fw_ptable_load_file(const char *path, const fw_ptable_opts_t *opts, fw_ptable_t *out,
                        fw_error_t *err);

/* ESP-IDF's default table (components/partition_table/partitions_singleapp.csv: nvs
 * 0x6000, phy_init 0x1000, factory 1 MB, offsets placed after a table at
 * `table_offset`), as CSV text and parsed.  0, or a FW_ERR_* code when table_offset is
 * so high that the table does not fit in 32 bits. */
extern const char fw_ptable_singleapp_csv[];
int fw_ptable_default(uint32_t table_offset, fw_ptable_t *out, fw_error_t *err);

/* The first entry labelled `label`, or NULL. */
const fw_partition_t *fw_ptable_find(const fw_ptable_t *table, const char *label);

/* gen_esp32part.py's name of a type ("app") or of a subtype of that type ("ota_3"),
 * or NULL when it has none. */
const char *fw_part_type_name(uint8_t type);
const char *fw_part_subtype_name(uint8_t type, uint8_t subtype);

#endif
