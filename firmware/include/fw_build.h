/* fw_build.h - one thing a user points at, read as a whole: a build/ folder (its
 * flasher_args.json or flash_args, with project_description.json and the sdkconfig
 * beside it), one of those list files, a merged flash file (`idf.py merge-bin`,
 * QEMU's qemu_flash.bin) or a single app .bin, turned into the flash contents that
 * flashing leaves, the build's configuration, and (fw_build_boot) the app the
 * second-stage bootloader boots from that flash.
 *
 * Part of firmware/ (DESIGN.md rule 6): plain structs, no simulator.  Messages name the
 * file and the line:column or byte offset, as the readers underneath do. */
#ifndef MMSIM_FW_BUILD_H
#define MMSIM_FW_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fw_error.h"
#include "fw_flash_args.h"
#include "fw_image.h"
#include "fw_merged.h"

#define FW_BUILD_MAX_FLASH (128u << 20) /* the largest flash an image header can name */
#define FW_BUILD_APP_OFFSET 0x10000u    /* where a lone app .bin goes: the factory app */

typedef enum {
    FW_BUILD_FLASHER_ARGS, /* build/flasher_args.json */
    FW_BUILD_FLASH_ARGS,   /* build/flash_args */
    FW_BUILD_MERGED,       /* a whole flash in one file */
    FW_BUILD_APP_IMAGE,    /* one app image, placed at FW_BUILD_APP_OFFSET */
} fw_build_kind_t;

typedef struct {
    fw_build_kind_t kind;
    char path[FW_FLASH_PATH_MAX];        /* the file read (the list, or the .bin) */
    char dir[FW_FLASH_PATH_MAX];         /* the folder the list's paths are relative to */
    fw_flash_args_t args;                /* the list (FLASHER_ARGS, FLASH_ARGS) */
    uint8_t *flash;                      /* the flash from 0 to the end of the last image,
                                            0xFF where nothing is written */
    size_t flash_len;
    bool has_sdkconfig;
    char sdkconfig_path[FW_FLASH_PATH_MAX + 64];
    fw_kvlist_t sdkconfig;
    bool has_project;
    char project_path[FW_FLASH_PATH_MAX + 64];
    fw_project_desc_t project;
    char target[32];                     /* the chip the build names ("" if none does) */
    char target_source[FW_FLASH_PATH_MAX + 128]; /* where: "build/project_description.json" */
} fw_build_t;

/* Read what `path` names (a folder: its flasher_args.json, else its flash_args).  Each
 * image the list names must exist, no two may overlap, none may pass the list's own
 * flash size.  A file is told by its first bytes: JSON is flasher_args.json, an
 * image (0xE9, or erased 0xFF) with a partition table at 0x8000 a merged flash, else an
 * app image; anything else is read as flash_args.  The sdkconfig is the first of <dir>/config/sdkconfig.json,
 * <dir>/sdkconfig, <dir>/../sdkconfig that exists; project_description.json is
 * <dir>'s.  0 or a FW_ERR_* code with the message in *err; on failure *out holds
 * nothing to free. */
int fw_build_load(const char *path, fw_build_t *out, fw_error_t *err);
void fw_build_free(fw_build_t *b);

/* What the bootloader boots from the build's flash. */
typedef struct {
    fw_merged_t *merged;                 /* the layout read (NULL for a lone app image) */
    fw_image_t image;                    /* the app booted */
    uint32_t app_offset;                 /* its partition's offset */
    char app_label[20];                  /* its partition's label ("" for a lone image) */
    char log[4096];                      /* the bootloader's lines before it loads the
                                            image: the partition table and the OTA choice,
                                            ESP-IDF's words, one per '\n' */
} fw_build_boot_t;

/* Run the second-stage bootloader's choice over the build's flash for `chip`, with the
 * partition table at `table_offset` (its MD5 record required when `table_md5`, the
 * app's CONFIG_PARTITION_TABLE_MD5): the table, the otadata, the first candidate whose
 * image checks.  When none does, the first candidate's refusal is returned (ESP-IDF's
 * words, with the file, partition and byte offset).  A lone app image is checked at
 * FW_BUILD_APP_OFFSET.  Free with fw_build_boot_free. */
int fw_build_boot(const fw_build_t *b, const fw_chip_mem_t *chip, uint32_t table_offset, bool table_md5,
                  fw_build_boot_t *out, fw_error_t *err);
void fw_build_boot_free(fw_build_boot_t *boot);

#endif
