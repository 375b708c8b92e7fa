/* fw_flash_args.h - what `idf.py build` leaves in build/ besides the images, as plain
 * structs: the list of images and where they go (build/flasher_args.json or
 * build/flash_args), the project's description (build/project_description.json) and
 * its configuration (sdkconfig, or build/config/sdkconfig.json).
 *
 * Part of firmware/ (DESIGN.md rule 6).  The formats are what ESP-IDF writes:
 * components/esptool_py/flasher_args.json.in and project_include.cmake
 * (esptool_py_flash_target_image: "flash_files" {offset: file}, one entry per image
 * {offset, file, encrypted}; flash_args: a line of --flash-mode/--flash-freq/--flash-size,
 * then "offset file" lines), tools/cmake's project_description.json, and the
 * `CONFIG_NAME=value` / `# CONFIG_NAME is not set` lines kconfgen writes.
 *
 * Errors: file:line:column: for JSON and flash_args, file:line: for sdkconfig, and
 * "file: 'name': path: cannot open: ..." for an image a list names that is not there. */
#ifndef MMSIM_FW_FLASH_ARGS_H
#define MMSIM_FW_FLASH_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fw_error.h"

#define FW_FLASH_MAX_IMAGES 64
#define FW_FLASH_PATH_MAX 512
#define FW_FLASH_NAME_MAX 64

typedef struct {
    uint64_t offset;                     /* in flash */
    char file[FW_FLASH_PATH_MAX];        /* as written: relative to the build directory */
    char name[FW_FLASH_NAME_MAX];        /* flasher_args.json's entry name ("bootloader",
                                            "partition-table", "app", "otadata", ...); for
                                            flash_args and unnamed files, "" */
    bool encrypted;                      /* the entry's "encrypted": "true" */
    uint64_t size;                       /* bytes, once fw_flash_args_check has seen the file */
    uint32_t line, column;               /* where it is written */
} fw_flash_image_t;

typedef struct {
    char flash_mode[16];                 /* "dio"; "" when not given */
    char flash_freq[16];                 /* "80m" */
    char flash_size[16];                 /* "4MB", or "detect"/"keep" */
    char chip[32];                       /* extra_esptool_args.chip: "esp32s3"; "" in flash_args */
    char before[32], after[32];
    int stub;                            /* extra_esptool_args.stub: 1, 0, or -1 when absent */
    size_t count;                        /* images, by offset */
    fw_flash_image_t images[FW_FLASH_MAX_IMAGES];
} fw_flash_args_t;

/* Read build/flasher_args.json: a JSON object with "flash_files" (required: an object of
 * offset strings to file strings), "flash_settings" (object of strings), "extra_esptool_args"
 * (after, before, chip strings; stub true/false), "write_flash_args" (array of strings),
 * and one object per named image ({"offset", "file", "encrypted"}) which must match its
 * line of flash_files.  Keys of other kinds are ignored.  `file` NULL: "flasher_args.json".
 * 0, or FW_ERR_SYNTAX (not JSON), FW_ERR_SHAPE (JSON of the wrong shape), FW_ERR_RANGE
 * (an offset beyond 32 bits), FW_ERR_OVERSIZED (more than 64 images); *out is then empty. */
int fw_flash_args_parse_json(const char *file, const char *text, size_t len, fw_flash_args_t *out,
                             fw_error_t *err);

/* Read build/flash_args: an optional first line of options (--flash-mode M, --flash-freq F,
 * --flash-size S; "--flash_mode" and "--opt=value" spellings too), then "OFFSET PATH" lines
 * (the path is the rest of the line); blank lines are skipped.  `file` NULL: "flash_args". */
int fw_flash_args_parse_text(const char *file, const char *text, size_t len, fw_flash_args_t *out,
                             fw_error_t *err);

/* Read a file of either kind (JSON when its first non-blank character is '{'). */
int fw_flash_args_load(const char *path, fw_flash_args_t *out, fw_error_t *err);

/* The image of that name, or NULL. */
const fw_flash_image_t *fw_flash_args_find(const fw_flash_args_t *args, const char *name);

/* esptool's flash size ("4MB", "256KB") in bytes; 0 for "detect", "keep" or anything else. */
uint64_t fw_flash_size_bytes(const char *size);

/* Check what the images need from the disk and the flash: each file exists under
 * `build_dir` (NULL: the current directory) and is read for its size, no two images share
 * bytes, and every image ends within `flash_size` (0: the list's own flash_size when it
 * is a size, else no check).  Messages name `file`, then the image's line:column. */
int fw_flash_args_check(const char *file, fw_flash_args_t *args, const char *build_dir,
                        uint64_t flash_size, fw_error_t *err);

/* ---- key/value files ---- */

typedef struct {
    char *key;                           /* "CONFIG_IDF_TARGET", "target" */
    char *value;                         /* strings unquoted and unescaped, numbers as written,
                                            true/false as "y"/"n" (sdkconfig.json) or
                                            "true"/"false" (project_description.json); "" when
                                            not set */
    bool set;                            /* false for "# CONFIG_X is not set" (and false) */
    uint32_t line;
} fw_kv_t;

typedef struct {
    size_t count;
    fw_kv_t *items;                      /* in file order; fw_kvlist_free releases them */
} fw_kvlist_t;

void fw_kvlist_free(fw_kvlist_t *list);
/* The last item with this key (a later line wins, as in Kconfig), or NULL. */
const fw_kv_t *fw_kv_get(const fw_kvlist_t *list, const char *key);

/* Read an sdkconfig: blank lines and '#' comments skipped, "# CONFIG_X is not set" an
 * unset item, every other line CONFIG_NAME=VALUE with VALUE a "double-quoted string"
 * (escapes \" and \\) or a word without spaces (y, m, 123, 0x8000, -1).  Anything else is
 * FW_ERR_SYNTAX "sdkconfig:12: ...".  `file` NULL: "sdkconfig". */
int fw_sdkconfig_parse(const char *file, const char *text, size_t len, fw_kvlist_t *out,
                       fw_error_t *err);
/* Read config/sdkconfig.json (an object of NAME: value, without the CONFIG_ prefix, which
 * the keys of *out get): strings, numbers, true ("y") and false (not set). */
int fw_sdkconfig_parse_json(const char *file, const char *text, size_t len, fw_kvlist_t *out,
                            fw_error_t *err);
/* Either, from a file (JSON when the name ends in .json). */
int fw_sdkconfig_load(const char *path, fw_kvlist_t *out, fw_error_t *err);

/* build/project_description.json: the fields mmsim uses, and every top-level string,
 * number and true/false member in `all`.  "target" is required (FW_ERR_SHAPE). */
typedef struct {
    char target[32];                     /* "esp32s3" */
    char idf_ver[64];                    /* "git_revision": "v5.3.1" */
    char project_name[64];
    char app_elf[FW_FLASH_PATH_MAX];
    char app_bin[FW_FLASH_PATH_MAX];
    char build_dir[FW_FLASH_PATH_MAX];
    char config_file[FW_FLASH_PATH_MAX];
    fw_kvlist_t all;                     /* fw_project_desc_free releases it */
} fw_project_desc_t;

int fw_project_desc_parse(const char *file, const char *text, size_t len, fw_project_desc_t *out,
                          fw_error_t *err);
int fw_project_desc_load(const char *path, fw_project_desc_t *out, fw_error_t *err);
void fw_project_desc_free(fw_project_desc_t *desc);

#endif
