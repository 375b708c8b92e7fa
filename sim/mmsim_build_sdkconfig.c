/* mmsim_build_sdkconfig.c - the table of Kconfig options a user's build sets that the
 * chip definition or the config also sets (one row each, with its reader of the
 * sdkconfig), the values a build gives through them, and a resolved config value in the
 * same canonical text, so mmsim_build.c can compare the two. */
#include "mmsim_build_sdkconfig.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "mmsim.h"

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
_Static_assert(sizeof build_rows / sizeof build_rows[0] + 2 <= MMSIM_BUILD_VALUE_MAX,
               "MMSIM_BUILD_VALUE_MAX holds every value");

/* mmsim_build_sdkconfig.h */
bool mmsim_build_sdkconfig_text(const chipdef_config_t *k, chipdef_key_t key, char *out, size_t n)
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

/* mmsim_build_sdkconfig.h */
int mmsim_build_sdkconfig_values(const fw_build_t *b, const char *chip, mmsim_build_value_t *vals, size_t *count)
{
    *count = 0;
    for (size_t r = 0; b->has_sdkconfig && r < sizeof build_rows / sizeof build_rows[0]; r++) {
        mmsim_build_value_t *v = &vals[*count];
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
        mmsim_build_value_t *v = &vals[*count];
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
