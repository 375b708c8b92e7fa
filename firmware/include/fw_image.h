/* fw_image.h - ESP-IDF app and bootloader images (the .bin files `idf.py build` and
 * `esptool elf2image` write) as plain structs: the header, the segments with where each
 * sits in the file and in flash and what memory its load address falls in, the XOR
 * checksum, the appended SHA-256 and the app descriptor.
 *
 * Part of firmware/ (DESIGN.md rule 6): nothing here knows the simulator.  The format is
 * components/bootloader_support/include/esp_app_format.h and esp_app_desc.h; the checks
 * are those of bootloader_support/src/esp_image_format.c (image_load, verify_image_header,
 * verify_segment_header, process_checksum, verify_simple_hash,
 * process_appended_hash_and_sig) and bootloader_common_loader.c
 * (bootloader_common_check_chip_validity), made in the same order and reported with the
 * same words as ESP-IDF's log lines, prefixed by where in the file:
 *     app.bin: byte offset 0x18: Segment 0: length 0x10 is too short for app description
 * The address ranges per chip are the SOC_*_LOW/HIGH of ESP-IDF's soc/<chip>/soc.h. */
#ifndef MMSIM_FW_IMAGE_H
#define MMSIM_FW_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fw_error.h"

#define FW_IMAGE_MAGIC 0xE9u
#define FW_IMAGE_HEADER_SIZE 24u          /* esp_image_header_t */
#define FW_IMAGE_SEGMENT_HEADER_SIZE 8u   /* esp_image_segment_header_t */
#define FW_IMAGE_MAX_SEGMENTS 16u         /* ESP_IMAGE_MAX_SEGMENTS */
#define FW_IMAGE_HASH_LEN 32u             /* the appended SHA-256 */
#define FW_IMAGE_CHECKSUM_SEED 0xEFu      /* ESP_ROM_CHECKSUM_INITIAL */
#define FW_APP_DESC_MAGIC 0xABCD5432u     /* ESP_APP_DESC_MAGIC_WORD */
#define FW_APP_DESC_SIZE 256u             /* sizeof(esp_app_desc_t) */
#define FW_IMAGE_MAX_FILE (64u << 20)     /* fw_image_load_file reads at most this much */

/* esp_chip_id_t (esp_app_format.h). */
enum {
    FW_CHIP_ESP32 = 0x0000,
    FW_CHIP_ESP32S2 = 0x0002,
    FW_CHIP_ESP32C3 = 0x0005,
    FW_CHIP_ESP32S3 = 0x0009,
    FW_CHIP_ESP32C2 = 0x000C,
    FW_CHIP_ESP32C6 = 0x000D,
    FW_CHIP_ESP32H2 = 0x0010,
    FW_CHIP_ESP32P4 = 0x0012,
    FW_CHIP_ESP32C61 = 0x0014,
    FW_CHIP_ESP32C5 = 0x0017,
    FW_CHIP_ESP32H21 = 0x0019,
    FW_CHIP_ESP32H4 = 0x001C,
    FW_CHIP_ESP32S31 = 0x0020,
    FW_CHIP_INVALID = 0xFFFF,
};

/* What a load address is, as the bootloader sees it. */
typedef enum {
    FW_SEG_PADDING,   /* load address 0: a padding segment esptool inserts (not loaded) */
    FW_SEG_RESERVED,  /* another address below 0x10000000 (0x4 is reserved for MD5): not loaded */
    FW_SEG_DROM,      /* mapped from flash, data (rodata) */
    FW_SEG_IROM,      /* mapped from flash, instructions (text) */
    FW_SEG_EXTRAM,    /* mapped from PSRAM (P4, S31: SOC_EXTRAM_LOW..HIGH) */
    FW_SEG_DRAM,      /* loaded into internal data RAM */
    FW_SEG_IRAM,      /* loaded into internal instruction RAM */
    FW_SEG_DIRAM,     /* loaded into internal RAM on chips where one range is both
                         (C5, C6, C61, H2, H21, H4, P4, S31) */
    FW_SEG_RTC_FAST,  /* loaded into RTC fast memory (RTC IRAM/DRAM) */
    FW_SEG_RTC_SLOW,  /* loaded into RTC slow memory (RTC data) */
    FW_SEG_UNKNOWN,   /* none of the chip's ranges: the bootloader refuses to load it */
} fw_seg_class_t;

/* A half-open address range [low, high) of one class. */
typedef struct {
    uint32_t low, high;
    fw_seg_class_t cls;
} fw_mem_range_t;

#define FW_CHIP_MAX_RANGES 12

/* What the image format needs to know of a chip. */
typedef struct {
    const char *name;                 /* "esp32s3" (CONFIG_IDF_TARGET) */
    uint16_t chip_id;                 /* FW_CHIP_* */
    uint32_t bootloader_offset;       /* ESP_ROM_BOOTLOADER_OFFSET_FLASH: 0x0, 0x1000, 0x2000 */
    uint32_t page_size;               /* the default CONFIG_MMU_PAGE_SIZE (64 KB everywhere) */
    bool page_size_configurable;      /* SOC_MMU_PAGE_SIZE_CONFIGURABLE: the app descriptor's
                                         page size byte is read */
    bool rom_high_by_page;            /* SOC_IROM_HIGH = SOC_IROM_LOW + page size * 256
                                         (C6, H2): the mapped range follows the page size */
    bool shared_rom_vaddr;            /* SOC_MMU_DI_VADDR_SHARED: DROM and IROM are one range,
                                         the first mapped segment is "DROM", the second "IROM" */
    bool addr32;                      /* SOC_SPI_MEM_SUPPORT_CACHE_32BIT_ADDR_MAP: segments may
                                         reach 4 GB instead of 16 MB */
    size_t range_count;
    fw_mem_range_t ranges[FW_CHIP_MAX_RANGES]; /* searched in order: mapped ranges first */
} fw_chip_mem_t;

/* The built-in table (13 chips, ESP-IDF master's soc.h), by chip id or name; NULL if none. */
const fw_chip_mem_t *fw_chip_by_id(uint16_t chip_id);
const fw_chip_mem_t *fw_chip_by_name(const char *name);
const fw_chip_mem_t *fw_chip_at(size_t i);     /* i-th chip of the table, NULL past the end */

/* The class of a load address on `chip` with a page size of `page_size` (0: the chip's
 * default).  On chips with a shared ROM range this says FW_SEG_DROM for any mapped
 * address; fw_image_parse tells DROM from IROM by order. */
fw_seg_class_t fw_seg_classify(const fw_chip_mem_t *chip, uint32_t page_size, uint32_t load_addr);
const char *fw_seg_class_name(fw_seg_class_t c);   /* "DROM", "IRAM", "padding" ... */
bool fw_seg_class_mapped(fw_seg_class_t c);         /* DROM, IROM, EXTRAM */

/* esp_app_desc_t, the first 256 bytes of segment 0 of an app. */
typedef struct {
    bool present;                     /* segment 0 starts with FW_APP_DESC_MAGIC */
    uint32_t secure_version;
    char version[33];                 /* NUL-terminated copies of the fixed fields */
    char project_name[33];
    char time[17];
    char date[17];
    char idf_ver[33];
    uint8_t app_elf_sha256[32];
    uint16_t min_efuse_blk_rev_full, max_efuse_blk_rev_full;
    uint8_t mmu_page_size_log2;       /* 0 in images older than the field */
    uint8_t spi_flash_mode;
} fw_app_desc_t;

typedef struct {
    uint32_t load_addr;
    uint32_t data_len;
    uint32_t header_offset;           /* of its 8-byte header, from the image's start */
    uint32_t data_offset;             /* of its data, from the image's start */
    uint64_t flash_offset;            /* of its data in flash: image offset + data_offset */
    fw_seg_class_t cls;
} fw_segment_t;

/* What is checked: ESP-IDF checks apps and bootloaders differently. */
typedef enum {
    FW_IMAGE_APP,         /* an app the second-stage bootloader loads: segment 0 holds the
                             app descriptor, the SHA-256 is checked when appended, the
                             revision's maximum too */
    FW_IMAGE_BOOTLOADER,  /* the second-stage bootloader itself (no descriptor; its hash is
                             not checked by ESP-IDF, which relies on esptool for it) */
    FW_IMAGE_RAW,         /* any image (a RAM-loaded app, esptool's test images): the format
                             only; checksum and hash are reported, not enforced, and load
                             addresses are classified but not refused */
} fw_image_kind_t;

typedef struct {
    fw_image_kind_t kind;             /* FW_IMAGE_APP */
    const fw_chip_mem_t *chip;        /* the chip it must be for (the bootloader's
                                         CONFIG_IDF_FIRMWARE_CHIP_ID); NULL: the header's chip
                                         id chooses, and an unknown id is refused */
    uint64_t offset;                  /* where the image sits in flash (0x10000) */
    uint32_t page_size;               /* the bootloader's CONFIG_MMU_PAGE_SIZE; 0: the chip's */
    uint64_t partition_size;          /* the partition it must fit, 0: no check */
    int chip_revision;                /* major*100+minor of the chip it boots on, checked
                                         against min/max_chip_rev_full; -1: no check (-1) */
    bool verify;                      /* checksum and hash, as image_load's do_verify (true) */
} fw_image_opts_t;

typedef struct {
    /* The header (esp_image_header_t). */
    uint8_t magic;
    uint8_t segment_count;
    uint8_t spi_mode;                 /* 0 QIO, 1 QOUT, 2 DIO, 3 DOUT, 4 FAST_READ, 5 SLOW_READ */
    uint8_t spi_speed;                /* low nibble of byte 3: 0 div2, 1 div3, 2 div4, 0xF div1 */
    uint8_t spi_size;                 /* high nibble: 0 = 1 MB ... 7 = 128 MB */
    uint32_t entry_addr;
    uint8_t wp_pin;
    uint8_t spi_pin_drv[3];
    uint16_t chip_id;
    uint8_t min_chip_rev;             /* the legacy byte */
    uint16_t min_chip_rev_full, max_chip_rev_full;
    bool hash_appended;

    const fw_chip_mem_t *chip;        /* the chip it was checked against */
    uint32_t page_size;               /* the page size mapped segments were checked with */
    size_t segment_count_read;        /* = segment_count once parsed */
    fw_segment_t segments[FW_IMAGE_MAX_SEGMENTS];
    int drom_segment, irom_segment;   /* the segment the bootloader maps as each, or -1 */

    uint8_t checksum;                 /* the byte in the image */
    uint8_t checksum_calc;            /* XOR of all segment data, seeded 0xEF */
    uint32_t checksum_offset;         /* of the checksum byte, from the image's start */
    uint8_t hash[FW_IMAGE_HASH_LEN];  /* appended, when hash_appended */
    uint8_t hash_calc[FW_IMAGE_HASH_LEN]; /* SHA-256 of every byte before the hash */
    bool checksum_ok, hash_ok;        /* hash_ok is false without an appended hash */
    uint32_t image_len;               /* header, segments, padding, checksum and hash */
    fw_app_desc_t app_desc;           /* from segment 0, when it starts with the magic */
} fw_image_t;

void fw_image_opts_default(fw_image_opts_t *opts);

/* Parse and check an image held in `len` bytes of `data` (more may follow it, as in a
 * partition or a merged flash file).  The order and words of the checks are ESP-IDF's
 * image_load: magic ("image at 0x10000 has invalid magic byte (nothing flashed here?)"),
 * chip id ("mismatch chip ID, expected 9, found 5") and revision, segment count
 * ("segment count 17 exceeds max 16"); per segment its length ("invalid segment length
 * 0x3"), the app descriptor's room and magic, the page size byte, a mapped segment's
 * address against its flash offset ("Segment 1 load address 0x3c020020, doesn't match
 * data 0x00010038"), a loaded segment's address ("Segment 2 0x...-0x... invalid: bad load
 * address range", apps only); then the checksum ("Checksum failed. Calculated 0x12 read 0x34"), the
 * partition length and the hash ("Image hash failed - image is corrupt").  Data that
 * ends early is FW_ERR_TRUNCATED naming what was cut.  Messages are
 * "file: byte offset N: ..." with N counted from the start of `data`; `file` NULL is
 * "image".  On failure *out holds what was read before the failing check.
 * Two things ESP-IDF checks are not: that a loaded segment avoids the bootloader's own
 * stack and data (their addresses come from the bootloader's link), and eFuse block
 * revisions.  Returns 0 or a FW_ERR_* code. */
int fw_image_parse(const char *file, const uint8_t *data, size_t len, const fw_image_opts_t *opts,
                   fw_image_t *out, fw_error_t *err);

/* Read the file (at most FW_IMAGE_MAX_FILE bytes) and parse it; messages name `path`. */
int fw_image_load_file(const char *path, const fw_image_opts_t *opts, fw_image_t *out,
                       fw_error_t *err);

/* The two segments the bootloader maps (bootloader_utility.c, unpack_load_app): on chips
 * with separate ranges the last segment in each of DROM and IROM (more than one is logged
 * "Image contains multiple DROM segments. Only the last one will be mapped." and
 * returned as a note in `note`, which may be NULL); on chips with a shared range the first
 * and second mapped segment, and any other count is refused as the bootloader's assert
 * is.  *drom and *irom are segment indexes or -1.  0 or FW_ERR_SEGMENT. */
int fw_image_rom_segments(const char *file, const fw_image_t *img, int *drom, int *irom,
                          char *note, size_t note_size, fw_error_t *err);

/* Write an image for tests and tools: the header fields of `img` (magic, segment count,
 * SPI fields, entry, WP pin, drive, chip id, revisions, hash flag) and the segments'
 * load addresses and lengths with `seg_data[i]` (data_len bytes each), then the padding,
 * checksum and hash as esptool writes them.  Returns the bytes needed; writes only when
 * they fit in `cap`. */
size_t fw_image_build(const fw_image_t *img, const uint8_t *const *seg_data, uint8_t *out,
                      size_t cap);

/* esptool's names: "dio", "80m" (of the chip's clock), "4MB"; "?" when out of range. */
const char *fw_image_spi_mode_name(uint8_t mode);
const char *fw_image_flash_size_name(uint8_t size_code);
uint64_t fw_image_flash_size_bytes(uint8_t size_code);   /* 0 when out of range */

#endif
