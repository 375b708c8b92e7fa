/* chipdef_load.h - the chip loader: chip definitions from YAML (the built-in set or a
 * user's file) into chipdef_t, with board overrides (typed, or `key=value` text),
 * validation, and writing a definition back as YAML.  libmmsim holds and exports it;
 * the mmsim command and the scenarios use it through this header.
 *
 * Every function that can fail returns 0 on success or -1 with a message
 * "file:line:column: what is wrong" in *err; on failure *out is left zeroed. */
#ifndef MMSIM_CHIPDEF_LOAD_H
#define MMSIM_CHIPDEF_LOAD_H

#include <stddef.h>
#include <stdio.h>

#include "chipdef.h"
#include "ydoc.h"

/* The keys of a definition's config section: what overrides may change. */
typedef enum {
    CHIPDEF_KEY_FLASH_SIZE,
    CHIPDEF_KEY_PSRAM_SIZE,
    CHIPDEF_KEY_MMU_PAGE_SIZE,
    CHIPDEF_KEY_SPIRAM_BANKSWITCH_RESERVE,
    CHIPDEF_KEY_APP_IROM_SIZE,
    CHIPDEF_KEY_APP_DROM_SIZE,
    CHIPDEF_KEY_PARTITION_TABLE_OFFSET,
    CHIPDEF_KEY_APP_OFFSET,
    /* The cache geometry and SPI clocks a board is built with (sdkconfig), checked
     * against what the chip offers; 0 in a typed override: the chip's default. */
    CHIPDEF_KEY_DCACHE_SIZE,
    CHIPDEF_KEY_DCACHE_WAYS,
    CHIPDEF_KEY_DCACHE_LINE_SIZE,
    CHIPDEF_KEY_ICACHE_SIZE,
    CHIPDEF_KEY_ICACHE_WAYS,
    CHIPDEF_KEY_ICACHE_LINE_SIZE,
    CHIPDEF_KEY_L2_CACHE_SIZE,
    CHIPDEF_KEY_L2_CACHE_LINE_SIZE,
    CHIPDEF_KEY_SPIRAM_SPEED,
    CHIPDEF_KEY_FLASH_FREQ,
    CHIPDEF_KEY_CPU_FREQ_MHZ,
    CHIPDEF_KEY_IDF_VERSION,
    CHIPDEF_KEY_PSRAM_MODE,
    CHIPDEF_KEY_PARTITION_TABLE,
    CHIPDEF_KEY_BOOTLOADER_CACHE_32BIT_ADDR,
    CHIPDEF_KEY_SECURE_ENABLE_TEE,
    CHIPDEF_KEY_SPIRAM_MODE,
    CHIPDEF_KEY_FLASH_MODE,
    /* ESP-IDF's XIP from PSRAM (esp_psram/<chip>/Kconfig.spiram). */
    CHIPDEF_KEY_SPIRAM_FETCH_INSTRUCTIONS,
    CHIPDEF_KEY_SPIRAM_RODATA,
    CHIPDEF_KEY_SPIRAM_XIP_FROM_PSRAM,
    /* CONFIG_PARTITION_TABLE_MD5 (partition_table/Kconfig.projbuild; default true). */
    CHIPDEF_KEY_PARTITION_TABLE_MD5,
    CHIPDEF_KEY_COUNT
} chipdef_key_t;
#define CHIPDEF_KEY_BIT(k) (UINT64_C(1) << (k))
_Static_assert(CHIPDEF_KEY_COUNT <= 64, "chipdef_overrides_t.given has a bit per key");

/* The name of key `i` ("flash_size", as `--set` and the YAML write it); NULL from
 * CHIPDEF_KEY_COUNT on. */
const char *chipdef_config_key(size_t i);

/* Typed overrides of the config section.  A field counts only when `given` holds its
 * key's bit, so zero is a value (psram_size 0: a board without PSRAM).  The `--set`
 * text is parsed into this same struct; either way the loader applies them in one
 * place, and an error in an overridden value names "<source>.<key>" (or the --set
 * argument) instead of a position in the file. */
typedef struct {
    uint64_t given;                    /* CHIPDEF_KEY_BIT(k) for each key given below */
    uint32_t flash_size;
    uint32_t psram_size;
    uint32_t mmu_page_size;
    uint32_t spiram_bankswitch_reserve;
    uint32_t app_irom_size;
    uint32_t app_drom_size;
    uint32_t partition_table_offset;
    uint32_t app_offset;
    uint32_t dcache_size, dcache_ways, dcache_line_size;       /* the level-1 data cache(s) */
    uint32_t icache_size, icache_ways, icache_line_size;       /* the level-1 instruction cache(s) */
    uint32_t l2_cache_size, l2_cache_line_size;                /* the level-2 cache (ESP32-P4) */
    uint32_t spiram_speed;                                     /* MHz (CONFIG_SPIRAM_SPEED) */
    uint32_t flash_freq;                                       /* MHz (CONFIG_ESPTOOLPY_FLASHFREQ_*M) */
    uint32_t cpu_freq_mhz;                                     /* MHz (CONFIG_ESP_DEFAULT_CPU_FREQ_MHZ) */
    /* The names, checked as the file's are; NULL: not given.  Read during the load only. */
    const char *idf_version;           /* "master", "v5.3", "v5.3.1", ... */
    const char *psram_mode;            /* "normal" or "lowhigh" */
    const char *partition_table;       /* a path as given (not resolved); "" = none */
    const char *bootloader_cache_32bit_addr; /* "true" or "false" */
    const char *secure_enable_tee;     /* "true" or "false" */
    const char *spiram_mode;           /* "quad", "oct", "hex" (CONFIG_SPIRAM_MODE_*) */
    const char *flash_mode;            /* "qio", "qout", "dio", "dout", "opi" (CONFIG_ESPTOOLPY_FLASHMODE_*) */
    const char *spiram_fetch_instructions; /* "true" or "false" */
    const char *spiram_rodata;             /* "true" or "false" */
    const char *spiram_xip_from_psram;     /* "true" or "false" */
    const char *partition_table_md5;       /* "true" or "false" */
    const char *source;                /* what messages call these values ("mmsim_config_t") */
} chipdef_overrides_t;

/* The bits of the keys whose field is non-zero (non-NULL): the overrides of an API
 * where zero means "the chip's default". */
uint64_t chipdef_overrides_nonzero(const chipdef_overrides_t *ov);

/* Load a built-in chip by name ("esp32s3") or, if `name_or_path` is not a built-in
 * name, a YAML file at that path.  `sets` are "key=value" overrides of the config
 * section (keys: chipdef_config_key); a later one wins; errors in them name the
 * argument. */
int chipdef_load(const char *name_or_path, const char *const *sets, size_t nsets, chipdef_t *out,
                 ydoc_err_t *err);

/* chipdef_load with typed overrides `ov` (NULL: none) under the `sets`, which win. */
int chipdef_load_with(const char *name_or_path, const chipdef_overrides_t *ov, const char *const *sets,
                      size_t nsets, chipdef_t *out, ydoc_err_t *err);

/* Load from text already in memory; `file` is the name used in messages. */
int chipdef_load_text(const char *file, const char *text, size_t len, const char *const *sets,
                      size_t nsets, chipdef_t *out, ydoc_err_t *err);

/* The built-in definitions, compiled into the binary (chipdef_builtin.c, generated). */
size_t chipdef_builtin_count(void);
const char *chipdef_builtin_name(size_t i);              /* NULL when out of range */
const char *chipdef_builtin_text(size_t i, size_t *len); /* NULL when out of range */
const char *chipdef_builtin_find(const char *name, size_t *len); /* NULL: not built in */

/* Write the resolved definition as YAML that loads back to an identical chipdef_t. */
void chipdef_write_yaml(const chipdef_t *c, FILE *f);

/* One-line summary for `mmsim chips`. */
void chipdef_summary(const chipdef_t *c, char *buf, size_t n);

/* The code of an idf_version string: CHIPDEF_IDF_MASTER for "master", else
 * major*10000 + minor*100 + patch for "vX.Y" or "vX.Y.Z" from v5.1 to v6.1; 0 if it is
 * not a version the driver knows. */
uint32_t chipdef_idf_version_code(const char *version);

#endif
