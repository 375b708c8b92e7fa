/* mmsim_build.c - booting a user's build (mmsim_config_t.build): the build read by
 * firmware/ at the edge (DESIGN.md rule 6), its sdkconfig checked against the chip and
 * the config through one table of Kconfig options, the chip loaded with the build's
 * values under the caller's, and the bootloader's choice of app handed to boot.c. */
#include "mmsim_build.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fw_image.h"

#define BUILD_VALUE_MAX 32
#define BUILD_TEXT_MAX 48

/* One value the build gives a config key, in the key's canonical text. */
typedef struct {
    chipdef_key_t key;
    char text[BUILD_TEXT_MAX];           /* "0x400000", "lowhigh", "true" */
    char set[BUILD_TEXT_MAX + 32];       /* "flash_size=0x400000", for the chip loader */
    char source[FW_FLASH_PATH_MAX + 96]; /* "build/sdkconfig:12 CONFIG_ESPTOOLPY_FLASHSIZE=\"4MB\"" */
} build_value_t;

/* A row's reader: the canonical value of its key from the sdkconfig, or false when the
 * build does not constrain the key.  *from gets the line it read. */
typedef bool (*row_value_fn)(const fw_kvlist_t *kv, const char *chip, const fw_kv_t **from, char *out, size_t n);

typedef struct {
    const char *kconfig; /* the option the row reads (messages) */
    chipdef_key_t key;
    row_value_fn value;
} build_row_t;

static bool parse_u32(const char *s, uint32_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s || *end || v > UINT32_MAX || s[0] == '-')
        return false;
    *out = (uint32_t)v;
    return true;
}

static bool number_of(const fw_kvlist_t *kv, const char *name, const fw_kv_t **from, char *out, size_t n)
{
    const fw_kv_t *e = fw_kv_get(kv, name);
    uint32_t v;
    if (!e || !e->set || !parse_u32(e->value, &v))
        return false;
    *from = e;
    snprintf(out, n, "0x%x", v);
    return true;
}

static bool flash_size_value(const fw_kvlist_t *kv, const char *chip, const fw_kv_t **from, char *out, size_t n)
{
    (void)chip;
    const fw_kv_t *e = fw_kv_get(kv, "CONFIG_ESPTOOLPY_FLASHSIZE");
    uint64_t bytes = e && e->set ? fw_flash_size_bytes(e->value) : 0;
    if (!bytes || bytes > UINT32_MAX)
        return false;
    *from = e;
    snprintf(out, n, "0x%x", (uint32_t)bytes);
    return true;
}

static bool page_size_value(const fw_kvlist_t *kv, const char *chip, const fw_kv_t **from, char *out, size_t n)
{
    (void)chip;
    return number_of(kv, "CONFIG_MMU_PAGE_SIZE", from, out, n);
}

/* "# CONFIG_SPIRAM is not set": a board without PSRAM; set, the size row decides. */
static bool psram_present_value(const fw_kvlist_t *kv, const char *chip, const fw_kv_t **from, char *out, size_t n)
{
    (void)chip;
    const fw_kv_t *e = fw_kv_get(kv, "CONFIG_SPIRAM");
    if (!e || e->set)
        return false;
    *from = e;
    snprintf(out, n, "0x0");
    return true;
}

/* CONFIG_SPIRAM_SIZE -1 is "detect": no constraint. */
static bool psram_size_value(const fw_kvlist_t *kv, const char *chip, const fw_kv_t **from, char *out, size_t n)
{
    (void)chip;
    const fw_kv_t *on = fw_kv_get(kv, "CONFIG_SPIRAM");
    return on && on->set && number_of(kv, "CONFIG_SPIRAM_SIZE", from, out, n);
}

static bool bankswitch_value(const fw_kvlist_t *kv, const char *chip, const fw_kv_t **from, char *out, size_t n)
{
    (void)chip;
    const fw_kv_t *on = fw_kv_get(kv, "CONFIG_SPIRAM_BANKSWITCH_ENABLE");
    return on && on->set && number_of(kv, "CONFIG_SPIRAM_BANKSWITCH_RESERVE", from, out, n);
}

/* ESP32 with PSRAM: one core runs the PSRAM cache in normal mode, two in low/high. */
static bool unicore_value(const fw_kvlist_t *kv, const char *chip, const fw_kv_t **from, char *out, size_t n)
{
    const fw_kv_t *psram = fw_kv_get(kv, "CONFIG_SPIRAM");
    const fw_kv_t *e = fw_kv_get(kv, "CONFIG_FREERTOS_UNICORE");
    if (strcmp(chip, "esp32") || !psram || !psram->set || !e)
        return false;
    *from = e;
    snprintf(out, n, "%s", e->set ? "normal" : "lowhigh");
    return true;
}

static bool table_offset_value(const fw_kvlist_t *kv, const char *chip, const fw_kv_t **from, char *out, size_t n)
{
    (void)chip;
    return number_of(kv, "CONFIG_PARTITION_TABLE_OFFSET", from, out, n);
}

/* Either spelling (quad or octal flash) of the 32-bit address option. */
static bool addr32_value(const fw_kvlist_t *kv, const char *chip, const fw_kv_t **from, char *out, size_t n)
{
    (void)chip;
    const fw_kv_t *q = fw_kv_get(kv, "CONFIG_BOOTLOADER_CACHE_32BIT_ADDR_QUAD_FLASH");
    const fw_kv_t *o = fw_kv_get(kv, "CONFIG_BOOTLOADER_CACHE_32BIT_ADDR_OCTAL_FLASH");
    if (!q && !o)
        return false;
    *from = q && q->set ? q : o && o->set ? o : q ? q : o;
    snprintf(out, n, "%s", (*from)->set ? "true" : "false");
    return true;
}

/* The first of `opts` (bool options of one Kconfig choice) set to y gives its word. */
static bool choice_of(const fw_kvlist_t *kv, const char *const opts[][2], const fw_kv_t **from, char *out, size_t n)
{
    for (size_t i = 0; opts[i][0]; i++) {
        const fw_kv_t *e = fw_kv_get(kv, opts[i][0]);
        if (e && e->set) {
            *from = e;
            snprintf(out, n, "%s", opts[i][1]);
            return true;
        }
    }
    return false;
}

static bool spiram_mode_value(const fw_kvlist_t *kv, const char *chip, const fw_kv_t **from, char *out, size_t n)
{
    (void)chip;
    static const char *const opts[][2] = {
        {"CONFIG_SPIRAM_MODE_QUAD", "quad"}, {"CONFIG_SPIRAM_MODE_OCT", "oct"}, {"CONFIG_SPIRAM_MODE_HEX", "hex"}, {NULL, NULL}};
    const fw_kv_t *on = fw_kv_get(kv, "CONFIG_SPIRAM");
    return on && on->set && choice_of(kv, opts, from, out, n);
}

static bool spiram_speed_value(const fw_kvlist_t *kv, const char *chip, const fw_kv_t **from, char *out, size_t n)
{
    (void)chip;
    const fw_kv_t *on = fw_kv_get(kv, "CONFIG_SPIRAM");
    return on && on->set && number_of(kv, "CONFIG_SPIRAM_SPEED", from, out, n);
}

/* The CPU clock under its pre-v5.0 per-chip name (CONFIG_ESP32S3_DEFAULT_CPU_FREQ_MHZ),
 * which ESP-IDF still writes beside CONFIG_ESP_DEFAULT_CPU_FREQ_MHZ among the deprecated
 * options (esp_system/sdkconfig.rename.<chip>) and an old build's sdkconfig holds alone. */
static bool old_cpu_freq_value(const fw_kvlist_t *kv, const char *chip, const fw_kv_t **from, char *out, size_t n)
{
    char name[64] = "CONFIG_";
    size_t at = strlen(name);
    for (const char *p = chip; *p && at + 1 < sizeof name; p++)
        name[at++] = (char)toupper((unsigned char)*p);
    name[at] = '\0';
    snprintf(name + at, sizeof name - at, "_DEFAULT_CPU_FREQ_MHZ");
    return number_of(kv, name, from, out, n);
}

static bool flash_mode_value(const fw_kvlist_t *kv, const char *chip, const fw_kv_t **from, char *out, size_t n)
{
    (void)chip;
    static const char *const opts[][2] = {{"CONFIG_ESPTOOLPY_FLASHMODE_QIO", "qio"},   {"CONFIG_ESPTOOLPY_FLASHMODE_QOUT", "qout"},
                                          {"CONFIG_ESPTOOLPY_FLASHMODE_DIO", "dio"},   {"CONFIG_ESPTOOLPY_FLASHMODE_DOUT", "dout"},
                                          {NULL, NULL}};
    /* An octal flash on S3 reads CONFIG_ESPTOOLPY_OCT_FLASH first: its mode option then
     * still names DIO (the download mode), the chip runs OPI. */
    const fw_kv_t *oct = fw_kv_get(kv, "CONFIG_ESPTOOLPY_OCT_FLASH");
    if (oct && oct->set) {
        *from = oct;
        snprintf(out, n, "opi");
        return true;
    }
    return choice_of(kv, opts, from, out, n);
}

/* The clock choice, not CONFIG_ESPTOOLPY_FLASHFREQ: that string is esptool's argument,
 * which names 80m for a 120 MHz flash and 48m for a 64 MHz one. */
static bool flash_freq_value(const fw_kvlist_t *kv, const char *chip, const fw_kv_t **from, char *out, size_t n)
{
    (void)chip;
    static const char *const opts[][2] = {
        {"CONFIG_ESPTOOLPY_FLASHFREQ_120M", "0x78"}, {"CONFIG_ESPTOOLPY_FLASHFREQ_80M", "0x50"},
        {"CONFIG_ESPTOOLPY_FLASHFREQ_64M", "0x40"},  {"CONFIG_ESPTOOLPY_FLASHFREQ_60M", "0x3c"},
        {"CONFIG_ESPTOOLPY_FLASHFREQ_48M", "0x30"},  {"CONFIG_ESPTOOLPY_FLASHFREQ_40M", "0x28"},
        {"CONFIG_ESPTOOLPY_FLASHFREQ_32M", "0x20"},  {"CONFIG_ESPTOOLPY_FLASHFREQ_30M", "0x1e"},
        {"CONFIG_ESPTOOLPY_FLASHFREQ_26M", "0x1a"},  {"CONFIG_ESPTOOLPY_FLASHFREQ_20M", "0x14"},
        {"CONFIG_ESPTOOLPY_FLASHFREQ_16M", "0x10"},  {"CONFIG_ESPTOOLPY_FLASHFREQ_15M", "0xf"},
        {NULL, NULL}};
    return choice_of(kv, opts, from, out, n);
}

/* The size choice, not CONFIG_ESP32S3_DATA_CACHE_SIZE, which ESP-IDF sets to 0x8000 for
 * the 16 KB choice too. */
static bool s3_dcache_size_value(const fw_kvlist_t *kv, const char *chip, const fw_kv_t **from, char *out, size_t n)
{
    (void)chip;
    static const char *const opts[][2] = {{"CONFIG_ESP32S3_DATA_CACHE_16KB", "0x4000"},
                                          {"CONFIG_ESP32S3_DATA_CACHE_32KB", "0x8000"},
                                          {"CONFIG_ESP32S3_DATA_CACHE_64KB", "0x10000"},
                                          {NULL, NULL}};
    return choice_of(kv, opts, from, out, n);
}

static bool s2_dline_value(const fw_kvlist_t *kv, const char *chip, const fw_kv_t **from, char *out, size_t n)
{
    (void)chip;
    static const char *const opts[][2] = {
        {"CONFIG_ESP32S2_DATA_CACHE_LINE_16B", "0x10"}, {"CONFIG_ESP32S2_DATA_CACHE_LINE_32B", "0x20"}, {NULL, NULL}};
    return choice_of(kv, opts, from, out, n);
}

static bool s2_iline_value(const fw_kvlist_t *kv, const char *chip, const fw_kv_t **from, char *out, size_t n)
{
    (void)chip;
    static const char *const opts[][2] = {{"CONFIG_ESP32S2_INSTRUCTION_CACHE_LINE_16B", "0x10"},
                                          {"CONFIG_ESP32S2_INSTRUCTION_CACHE_LINE_32B", "0x20"},
                                          {NULL, NULL}};
    return choice_of(kv, opts, from, out, n);
}

/* XIP from PSRAM: ESP32-S2 and S3 prompt SPIRAM_FETCH_INSTRUCTIONS and SPIRAM_RODATA
 * themselves (SPIRAM_XIP_FROM_PSRAM only selects them); the other chips have the one
 * prompt, and their sdkconfig's FETCH/RODATA lines are its hidden selections.  Read only
 * with CONFIG_SPIRAM set: a board without PSRAM keeps no stale choice. */
static bool xip_split_chip(const char *chip) { return !strcmp(chip, "esp32s2") || !strcmp(chip, "esp32s3"); }

static bool xip_bool(const fw_kvlist_t *kv, const char *kconfig, const fw_kv_t **from, char *out, size_t n)
{
    const fw_kv_t *on = fw_kv_get(kv, "CONFIG_SPIRAM"), *e = fw_kv_get(kv, kconfig);
    if (!on || !on->set || !e)
        return false;
    *from = e;
    snprintf(out, n, "%s", e->set ? "true" : "false");
    return true;
}

static bool xip_fetch_value(const fw_kvlist_t *kv, const char *chip, const fw_kv_t **from, char *out, size_t n)
{
    return xip_split_chip(chip) && xip_bool(kv, "CONFIG_SPIRAM_FETCH_INSTRUCTIONS", from, out, n);
}

static bool xip_rodata_value(const fw_kvlist_t *kv, const char *chip, const fw_kv_t **from, char *out, size_t n)
{
    return xip_split_chip(chip) && xip_bool(kv, "CONFIG_SPIRAM_RODATA", from, out, n);
}

static bool xip_both_value(const fw_kvlist_t *kv, const char *chip, const fw_kv_t **from, char *out, size_t n)
{
    return !xip_split_chip(chip) && xip_bool(kv, "CONFIG_SPIRAM_XIP_FROM_PSRAM", from, out, n);
}

/* "# CONFIG_PARTITION_TABLE_MD5 is not set": the build's table was written without its
 * MD5 record (gen_esp32part.py --disable-md5sum) and its app does not ask for one. */
static bool table_md5_value(const fw_kvlist_t *kv, const char *chip, const fw_kv_t **from, char *out, size_t n)
{
    (void)chip;
    const fw_kv_t *e = fw_kv_get(kv, "CONFIG_PARTITION_TABLE_MD5");
    if (!e)
        return false;
    *from = e;
    snprintf(out, n, "%s", e->set ? "true" : "false");
    return true;
}

/* The Kconfig options a build's sdkconfig sets that the chip definition or the config
 * also sets: one row each (a NULL value: a plain number under the row's own name).
 * CONFIG_IDF_TARGET is checked on its own (the chip itself). */
static const build_row_t build_rows[] = {
    {"CONFIG_ESPTOOLPY_FLASHSIZE", CHIPDEF_KEY_FLASH_SIZE, flash_size_value},
    {"CONFIG_MMU_PAGE_SIZE", CHIPDEF_KEY_MMU_PAGE_SIZE, page_size_value},
    {"CONFIG_SPIRAM", CHIPDEF_KEY_PSRAM_SIZE, psram_present_value},
    {"CONFIG_SPIRAM_SIZE", CHIPDEF_KEY_PSRAM_SIZE, psram_size_value},
    {"CONFIG_SPIRAM_BANKSWITCH_RESERVE", CHIPDEF_KEY_SPIRAM_BANKSWITCH_RESERVE, bankswitch_value},
    {"CONFIG_FREERTOS_UNICORE", CHIPDEF_KEY_PSRAM_MODE, unicore_value},
    {"CONFIG_PARTITION_TABLE_OFFSET", CHIPDEF_KEY_PARTITION_TABLE_OFFSET, table_offset_value},
    {"CONFIG_PARTITION_TABLE_MD5", CHIPDEF_KEY_PARTITION_TABLE_MD5, table_md5_value},
    {"CONFIG_BOOTLOADER_CACHE_32BIT_ADDR_*", CHIPDEF_KEY_BOOTLOADER_CACHE_32BIT_ADDR, addr32_value},
    {"CONFIG_ESP32S3_DATA_CACHE_*KB", CHIPDEF_KEY_DCACHE_SIZE, s3_dcache_size_value},
    {"CONFIG_ESP32S2_DATA_CACHE_SIZE", CHIPDEF_KEY_DCACHE_SIZE, NULL},
    {"CONFIG_ESP32S3_DCACHE_ASSOCIATED_WAYS", CHIPDEF_KEY_DCACHE_WAYS, NULL},
    {"CONFIG_ESP32S3_DATA_CACHE_LINE_SIZE", CHIPDEF_KEY_DCACHE_LINE_SIZE, NULL},
    {"CONFIG_ESP32S2_DATA_CACHE_LINE_*", CHIPDEF_KEY_DCACHE_LINE_SIZE, s2_dline_value},
    {"CONFIG_ESP32S3_INSTRUCTION_CACHE_SIZE", CHIPDEF_KEY_ICACHE_SIZE, NULL},
    {"CONFIG_ESP32S2_INSTRUCTION_CACHE_SIZE", CHIPDEF_KEY_ICACHE_SIZE, NULL},
    {"CONFIG_ESP32S3_ICACHE_ASSOCIATED_WAYS", CHIPDEF_KEY_ICACHE_WAYS, NULL},
    {"CONFIG_ESP32S3_INSTRUCTION_CACHE_LINE_SIZE", CHIPDEF_KEY_ICACHE_LINE_SIZE, NULL},
    {"CONFIG_ESP32S2_INSTRUCTION_CACHE_LINE_*", CHIPDEF_KEY_ICACHE_LINE_SIZE, s2_iline_value},
    {"CONFIG_CACHE_L2_CACHE_SIZE", CHIPDEF_KEY_L2_CACHE_SIZE, NULL},
    {"CONFIG_CACHE_L2_CACHE_LINE_SIZE", CHIPDEF_KEY_L2_CACHE_LINE_SIZE, NULL},
    {"CONFIG_SPIRAM_MODE_*", CHIPDEF_KEY_SPIRAM_MODE, spiram_mode_value},
    {"CONFIG_SPIRAM_SPEED", CHIPDEF_KEY_SPIRAM_SPEED, spiram_speed_value},
    {"CONFIG_ESPTOOLPY_FLASHMODE_*", CHIPDEF_KEY_FLASH_MODE, flash_mode_value},
    {"CONFIG_ESPTOOLPY_FLASHFREQ_*M", CHIPDEF_KEY_FLASH_FREQ, flash_freq_value},
    {"CONFIG_ESP_DEFAULT_CPU_FREQ_MHZ", CHIPDEF_KEY_CPU_FREQ_MHZ, NULL},
    {"CONFIG_<CHIP>_DEFAULT_CPU_FREQ_MHZ", CHIPDEF_KEY_CPU_FREQ_MHZ, old_cpu_freq_value},
    {"CONFIG_SPIRAM_FETCH_INSTRUCTIONS", CHIPDEF_KEY_SPIRAM_FETCH_INSTRUCTIONS, xip_fetch_value},
    {"CONFIG_SPIRAM_RODATA", CHIPDEF_KEY_SPIRAM_RODATA, xip_rodata_value},
    {"CONFIG_SPIRAM_XIP_FROM_PSRAM", CHIPDEF_KEY_SPIRAM_XIP_FROM_PSRAM, xip_both_value},
};
/* Every row, flasher_args' flash size and the app descriptor's page size fit vals[]. */
_Static_assert(sizeof build_rows / sizeof build_rows[0] + 2 <= BUILD_VALUE_MAX, "BUILD_VALUE_MAX holds every value");

/* A resolved config value in the rows' canonical text; false for keys no row reads. */
static bool config_text(const chipdef_config_t *k, chipdef_key_t key, char *out, size_t n)
{
    switch (key) {
    case CHIPDEF_KEY_FLASH_SIZE: snprintf(out, n, "0x%x", k->flash_size); return true;
    case CHIPDEF_KEY_PSRAM_SIZE: snprintf(out, n, "0x%x", k->psram_size); return true;
    case CHIPDEF_KEY_MMU_PAGE_SIZE: snprintf(out, n, "0x%x", k->mmu_page_size); return true;
    case CHIPDEF_KEY_SPIRAM_BANKSWITCH_RESERVE: snprintf(out, n, "0x%x", k->spiram_bankswitch_reserve); return true;
    case CHIPDEF_KEY_PARTITION_TABLE_OFFSET: snprintf(out, n, "0x%x", k->partition_table_offset); return true;
    case CHIPDEF_KEY_PSRAM_MODE: snprintf(out, n, "%s", k->psram_lowhigh ? "lowhigh" : "normal"); return true;
    case CHIPDEF_KEY_BOOTLOADER_CACHE_32BIT_ADDR: snprintf(out, n, "%s", k->cache_32bit_addr ? "true" : "false"); return true;
    case CHIPDEF_KEY_PARTITION_TABLE_MD5: snprintf(out, n, "%s", k->partition_table_md5 ? "true" : "false"); return true;
    case CHIPDEF_KEY_DCACHE_SIZE: snprintf(out, n, "0x%x", k->dcache_size); return true;
    case CHIPDEF_KEY_DCACHE_WAYS: snprintf(out, n, "0x%x", k->dcache_ways); return true;
    case CHIPDEF_KEY_DCACHE_LINE_SIZE: snprintf(out, n, "0x%x", k->dcache_line_size); return true;
    case CHIPDEF_KEY_ICACHE_SIZE: snprintf(out, n, "0x%x", k->icache_size); return true;
    case CHIPDEF_KEY_ICACHE_WAYS: snprintf(out, n, "0x%x", k->icache_ways); return true;
    case CHIPDEF_KEY_ICACHE_LINE_SIZE: snprintf(out, n, "0x%x", k->icache_line_size); return true;
    case CHIPDEF_KEY_L2_CACHE_SIZE: snprintf(out, n, "0x%x", k->l2_cache_size); return true;
    case CHIPDEF_KEY_L2_CACHE_LINE_SIZE: snprintf(out, n, "0x%x", k->l2_cache_line_size); return true;
    case CHIPDEF_KEY_SPIRAM_SPEED: snprintf(out, n, "0x%x", k->spiram_speed); return true;
    case CHIPDEF_KEY_FLASH_FREQ: snprintf(out, n, "0x%x", k->flash_freq); return true;
    case CHIPDEF_KEY_CPU_FREQ_MHZ: snprintf(out, n, "0x%x", k->cpu_freq_mhz); return true;
    case CHIPDEF_KEY_SPIRAM_MODE: snprintf(out, n, "%s", k->spiram_mode); return true;
    case CHIPDEF_KEY_FLASH_MODE: snprintf(out, n, "%s", k->flash_mode); return true;
    case CHIPDEF_KEY_SPIRAM_FETCH_INSTRUCTIONS: snprintf(out, n, "%s", k->spiram_fetch_instructions ? "true" : "false"); return true;
    case CHIPDEF_KEY_SPIRAM_RODATA: snprintf(out, n, "%s", k->spiram_rodata ? "true" : "false"); return true;
    case CHIPDEF_KEY_SPIRAM_XIP_FROM_PSRAM:
        snprintf(out, n, "%s", k->spiram_fetch_instructions && k->spiram_rodata ? "true" : "false");
        return true;
    default: return false;
    }
}

/* The keys the caller gave: typed fields and "key=value" sets. */
static uint64_t given_keys(const mmsim_config_t *cfg, const chipdef_overrides_t *ov)
{
    uint64_t given = ov ? ov->given : 0;
    for (size_t i = 0; i < cfg->nsets; i++)
        for (size_t k = 0; k < CHIPDEF_KEY_COUNT; k++) {
            const char *name = chipdef_config_key(k);
            size_t len = strlen(name);
            if (!strncmp(cfg->sets[i], name, len) && cfg->sets[i][len] == '=')
                given |= CHIPDEF_KEY_BIT(k);
        }
    return given;
}

/* Where the caller's value of a key came from, for messages. */
static const char *given_source(const mmsim_config_t *cfg, chipdef_key_t key)
{
    const char *name = chipdef_config_key(key);
    for (size_t i = cfg->nsets; i-- > 0;)
        if (!strncmp(cfg->sets[i], name, strlen(name)) && cfg->sets[i][strlen(name)] == '=')
            return cfg->sets[i];
    return "mmsim_config_t";
}

/* The build's values: the sdkconfig rows, then flasher_args' flash size.  Two build
 * files that disagree are an error naming both. */
static int collect_values(const fw_build_t *b, const char *chip, build_value_t *vals, size_t *count)
{
    *count = 0;
    for (size_t r = 0; b->has_sdkconfig && r < sizeof build_rows / sizeof build_rows[0]; r++) {
        build_value_t *v = &vals[*count];
        const fw_kv_t *from = NULL;
        const build_row_t *row = &build_rows[r];
        if (!(row->value ? row->value(&b->sdkconfig, chip, &from, v->text, sizeof v->text)
                         : number_of(&b->sdkconfig, row->kconfig, &from, v->text, sizeof v->text)))
            continue;
        v->key = build_rows[r].key;
        if (from->set)
            snprintf(v->source, sizeof v->source, "%s:%u %s=%s", b->sdkconfig_path, from->line, from->key, from->value);
        else
            snprintf(v->source, sizeof v->source, "%s:%u %s is not set", b->sdkconfig_path, from->line, from->key);
        (*count)++;
    }
    uint64_t fs = fw_flash_size_bytes(b->args.flash_size);
    if (fs && fs <= UINT32_MAX) {
        build_value_t *v = &vals[*count];
        v->key = CHIPDEF_KEY_FLASH_SIZE;
        snprintf(v->text, sizeof v->text, "0x%x", (uint32_t)fs);
        snprintf(v->source, sizeof v->source, "%s flash size \"%s\"", b->path, b->args.flash_size);
        (*count)++;
    }
    for (size_t i = 0; i < *count; i++) {
        snprintf(vals[i].set, sizeof vals[i].set, "%s=%s", chipdef_config_key(vals[i].key), vals[i].text);
        for (size_t j = 0; j < i; j++)
            if (vals[j].key == vals[i].key && strcmp(vals[j].text, vals[i].text))
                return error_set(MMSIM_ERR_CHIP, "%s: the build disagrees with itself: %s (%s) but %s (%s)",
                                 chipdef_config_key(vals[i].key), vals[j].text, vals[j].source, vals[i].text,
                                 vals[i].source);
    }
    return MMSIM_OK;
}

/* The chip with the build's values under the caller's (cfg's sets come last: they win;
 * a typed field the build also sets was checked equal before). */
static int load_with_build(const mmsim_config_t *cfg, const chipdef_overrides_t *ov, const char *name,
                           const build_value_t *vals, size_t count, chipdef_t *chip)
{
    const char *sets[BUILD_VALUE_MAX + 16];
    size_t n = 0;
    for (size_t i = 0; i < count; i++)
        sets[n++] = vals[i].set;
    for (size_t i = 0; i < cfg->nsets; i++)
        sets[n++] = cfg->sets[i];
    ydoc_err_t err;
    errno = 0;
    if (!chipdef_load_with(name, ov, sets, n, chip, &err))
        return MMSIM_OK;
    if (errno == ENOMEM)
        return error_set(MMSIM_ERR_NOMEM, "%s", err.msg);
    /* Name the build line whose value the chip refuses. */
    for (size_t i = 0; i < count; i++) {
        const char *one[1] = {vals[i].set};
        ydoc_err_t e1;
        if (chipdef_load_with(name, NULL, one, 1, chip, &e1))
            return error_set(MMSIM_ERR_CHIP, "%s: %s", vals[i].source, e1.msg);
    }
    return error_set(MMSIM_ERR_CHIP, "%s", err.msg);
}

static bootloader_seg_use_t seg_use(fw_seg_class_t c)
{
    if (fw_seg_class_mapped(c))
        return BOOTLOADER_SEG_MAP;
    if (c == FW_SEG_PADDING || c == FW_SEG_RESERVED || c == FW_SEG_UNKNOWN)
        return BOOTLOADER_SEG_SKIP;
    return BOOTLOADER_SEG_LOAD;
}

int mmsim_build_open(const mmsim_config_t *cfg, const chipdef_overrides_t *ov, chipdef_t *chip, mmsim_build_t *b)
{
    memset(b, 0, sizeof *b);
    fw_error_t fe;
    int rc = fw_build_load(cfg->build, &b->build, &fe);
    if (rc)
        return error_set(rc == FW_ERR_NOMEM ? MMSIM_ERR_NOMEM : MMSIM_ERR_IO, "%s", fe.msg);
    const fw_build_t *fb = &b->build;
    const char *name = cfg->chip ? cfg->chip : fb->target;
    if (!name[0]) {
        rc = error_set(MMSIM_ERR_CHIP, "%s: the build names no target chip mmsim knows (in project_description.json, "
                                       "sdkconfig, flasher_args.json or an image's chip id): give the chip", fb->path);
        goto fail;
    }
    build_value_t vals[BUILD_VALUE_MAX];
    size_t count;
    if ((rc = collect_values(fb, fw_chip_by_name(name) ? name : fb->target, vals, &count)) != 0)
        goto fail;
    /* The caller's own values first, to compare -- a chip loaded only when a value to
     * compare or a chip file's name needs it: a load parses YAML, a boot's largest
     * cost after reading the flash. */
    uint64_t given = given_keys(cfg, ov);
    bool compare = false;
    for (size_t i = 0; i < count; i++)
        compare = compare || (given & CHIPDEF_KEY_BIT(vals[i].key));
    size_t builtin_len;
    const char *chip_name = name;
    if (compare || !chipdef_builtin_find(name, &builtin_len)) {
        ydoc_err_t err;
        errno = 0;
        if (chipdef_load_with(name, ov, cfg->sets, cfg->nsets, chip, &err)) {
            rc = error_set(errno == ENOMEM ? MMSIM_ERR_NOMEM : MMSIM_ERR_CHIP, "%s", err.msg);
            goto fail;
        }
        chip_name = chip->name;
    }
    if (fb->target[0] && strcmp(chip_name, fb->target)) {
        rc = error_set(MMSIM_ERR_CHIP, "chip: %s (%s) but the build is for %s (%s)", chip_name,
                       cfg->chip ? "mmsim_config_t" : "?", fb->target, fb->target_source);
        goto fail;
    }
    for (size_t i = 0; i < count && compare; i++) {
        char mine[BUILD_TEXT_MAX];
        if ((given & CHIPDEF_KEY_BIT(vals[i].key)) && config_text(&chip->config, vals[i].key, mine, sizeof mine) &&
            strcmp(mine, vals[i].text)) {
            rc = error_set(MMSIM_ERR_CHIP, "%s: %s (%s) but the build says %s (%s)", chipdef_config_key(vals[i].key),
                           mine, given_source(cfg, vals[i].key), vals[i].text, vals[i].source);
            goto fail;
        }
    }
    if ((rc = load_with_build(cfg, ov, name, vals, count, chip)) != 0)
        goto fail;
    if (fb->flash_len > chip->config.flash_size) {
        rc = error_set(MMSIM_ERR_IO, "%s: the images end at 0x%zx, past the end of the flash (0x%x bytes)", fb->path,
                       fb->flash_len, chip->config.flash_size);
        goto fail;
    }

    /* The bootloader. */
    const fw_chip_mem_t *mem = fw_chip_by_name(chip->name);
    if (!mem) {
        rc = error_set(MMSIM_ERR_CHIP, "%s: the image reader knows no chip '%s'", fb->path, chip->name);
        goto fail;
    }
    if ((rc = fw_build_boot(fb, mem, chip->config.partition_table_offset, chip->config.partition_table_md5, &b->boot,
                            &fe)) != 0) {
        rc = error_set(rc == FW_ERR_NOMEM ? MMSIM_ERR_NOMEM : MMSIM_ERR_BOOT, "%s", fe.msg);
        goto fail;
    }
    const fw_image_t *img = &b->boot.image;
    /* The bootloader maps with the app's page size.  The machine's is fixed when built:
     * when nobody else named one, the app's is taken (a lone .bin without sdkconfig);
     * a page size given or in the sdkconfig must agree with it. */
    uint32_t log2 = img->app_desc.present ? img->app_desc.mmu_page_size_log2 : 0;
    if (mem->page_size_configurable && log2 >= 13 && log2 <= 16 && (1u << log2) != chip->config.mmu_page_size) {
        bool named = given & CHIPDEF_KEY_BIT(CHIPDEF_KEY_MMU_PAGE_SIZE);
        for (size_t i = 0; i < count; i++)
            named = named || vals[i].key == CHIPDEF_KEY_MMU_PAGE_SIZE;
        if (named || count == BUILD_VALUE_MAX) {
            rc = error_set(MMSIM_ERR_CHIP, "mmu_page_size: 0x%x (byte 180 of the app descriptor of the image at 0x%x "
                           "in %s) but 0x%x (the config)", 1u << log2, b->boot.app_offset, fb->path,
                           chip->config.mmu_page_size);
            goto fail;
        }
        build_value_t *v = &vals[count++];
        v->key = CHIPDEF_KEY_MMU_PAGE_SIZE;
        snprintf(v->text, sizeof v->text, "0x%x", 1u << log2);
        snprintf(v->set, sizeof v->set, "mmu_page_size=0x%x", 1u << log2);
        snprintf(v->source, sizeof v->source, "%s: the app descriptor of the image at 0x%x", fb->path,
                 b->boot.app_offset);
        if ((rc = load_with_build(cfg, ov, name, vals, count, chip)) != 0)
            goto fail;
    }
    bootloader_app_image_t *a = &b->app.image;
    a->image_offset = b->boot.app_offset;
    a->segment_count = (uint32_t)img->segment_count_read;
    for (uint32_t i = 0; i < a->segment_count && i < BOOTLOADER_APP_MAX_SEGMENTS; i++)
        a->segments[i] = (bootloader_segment_t){.load_addr = img->segments[i].load_addr,
                                                .data_len = img->segments[i].data_len,
                                                .data_addr = (uint32_t)img->segments[i].flash_offset,
                                                .use = seg_use(img->segments[i].cls)};
    a->drom_index = img->drom_segment;
    a->irom_index = img->irom_segment;
    a->mmu_page_size = chip->config.mmu_page_size;
    b->app.choice_log = b->boot.log;
    const fw_kv_t *psram_load = fb->has_sdkconfig ? fw_kv_get(&fb->sdkconfig, "CONFIG_SPIRAM_FLASH_LOAD_TO_PSRAM") : NULL;
    b->app.image_process = psram_load && psram_load->set;
    b->own_table = fb->kind != FW_BUILD_APP_IMAGE;
    return MMSIM_OK;
fail:
    mmsim_build_free(b);
    return rc;
}

int mmsim_build_write_flash(const mmsim_build_t *b, store_t *flash, char *msg, size_t len)
{
    /* Sectors that are all 0xFF are skipped: the store starts erased (and a padded
     * qemu_flash.bin is mostly such sectors).  memcmp, not a byte loop: this scan is
     * most of a 4 MB boot. */
    static uint8_t erased[4096];
    if (!erased[0])
        memset(erased, 0xFF, sizeof erased);
    const uint8_t *p = b->build.flash;
    for (size_t at = 0; at < b->build.flash_len; at += 4096) {
        size_t n = b->build.flash_len - at < 4096 ? b->build.flash_len - at : 4096;
        if (!memcmp(p + at, erased, n))
            continue;
        if (store_write(flash, (uint32_t)at, p + at, (uint32_t)n)) {
            snprintf(msg, len, "%s: out of memory writing flash at 0x%zx", b->build.path, at);
            return -1;
        }
    }
    return 0;
}

void mmsim_build_free(mmsim_build_t *b)
{
    fw_build_free(&b->build);
    fw_build_boot_free(&b->boot);
    memset(b, 0, sizeof *b);
}
