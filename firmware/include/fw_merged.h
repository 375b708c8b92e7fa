/* fw_merged.h - a whole flash in one file (`idf.py merge-bin` -> build/merged-binary.bin,
 * or QEMU's build/qemu_flash.bin padded to the flash size) read as the chip would boot it:
 * the second-stage bootloader where the ROM looks for it (0x0, 0x1000 or 0x2000 by chip),
 * the partition table at its offset, the app image in every app partition, the otadata
 * and the bootloader's choice of app.  Part of firmware/ (DESIGN.md rule 6). */
#ifndef MMSIM_FW_MERGED_H
#define MMSIM_FW_MERGED_H

#include "fw_error.h"
#include "fw_image.h"
#include "fw_otadata.h"
#include "fw_partition.h"

#define FW_MERGED_MAX_APPS 24   /* factory, test, ota_0..15, TEE and some to spare */

typedef struct {
    int entry;                  /* the app partition's index in the table */
    bool flashed;               /* its first byte is not 0xFF (erased) */
    int rc;                     /* 0 when its image checks, else the FW_ERR_* of the refusal */
    char error[FW_ERR_MAX];     /* that refusal's message */
    fw_image_t image;
} fw_merged_app_t;

typedef struct {
    const fw_chip_mem_t *chip;  /* NULL: found from the bootloader's header */
    uint32_t table_offset;      /* CONFIG_PARTITION_TABLE_OFFSET (0x8000) */
    int chip_revision;          /* as fw_image_opts_t (-1: no check) */
    bool table_md5;             /* the table must hold an MD5 record, as the app's load
                                   requires with CONFIG_PARTITION_TABLE_MD5 (true); false:
                                   one is checked only if present, as the bootloader does */
} fw_merged_opts_t;

typedef struct {
    const fw_chip_mem_t *chip;
    uint64_t size;              /* of the file */
    uint64_t flash_size;        /* from the bootloader header's size code */
    uint32_t bootloader_offset;
    fw_image_t bootloader;
    uint32_t table_offset;
    fw_ptable_t table;
    size_t app_count;
    fw_merged_app_t apps[FW_MERGED_MAX_APPS];
    fw_boot_choice_t boot;
    int boot_entry;             /* the table entry booted: the first candidate of boot whose
                                   image checks; -1 when none does */
} fw_merged_t;

void fw_merged_opts_default(fw_merged_opts_t *opts);

/* Read the layout.  The bootloader (FW_IMAGE_BOOTLOADER checks) and the partition table
 * (the start-up's checks, the MD5 record required unless opts->table_md5 is false) must
 * be good: their refusals are returned, named "file: bootloader at 0x1000: byte offset
 * N: ..." and "file: partition table at 0x8000: entry N: ...".  An app partition whose
 * image is refused is kept with its message (the bootloader would try the next one).
 * *out is large (~60 KB): allocate it. */
int fw_merged_read(const char *file, const uint8_t *data, size_t len, const fw_merged_opts_t *opts,
                   fw_merged_t *out, fw_error_t *err);

/* The same from a file of at most 256 MB. */
int fw_merged_load_file(const char *path, const fw_merged_opts_t *opts, fw_merged_t *out,
                        fw_error_t *err);

#endif
