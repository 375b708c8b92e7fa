/* chipdef_load.c - the chip-definition schema (libcyaml), its conversion into the
 * plain chipdef_t, board overrides, and the validation rules beyond the schema.
 *
 * The YAML is loaded by libcyaml into "raw" structs that mirror the file (sizes and
 * addresses stay strings, because libcyaml 1.3.1 reads "64K" as 64); conversion to
 * chipdef_t parses them strictly and reports errors at the node in the ydoc tree. */
#include "chipdef_load.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---------------- raw structs (mirror the YAML) ---------------- */

typedef struct {
    char *name;
    uint32_t entries;
    uint32_t targets;
    char *value_mask;
    uint32_t valid_bit;
    bool valid_when_set;
    int target_from;
    int32_t flash_bit, psram_bit, sensitive_bit;
    uint32_t max_paddr_pages_flash, max_paddr_pages_psram;
} raw_mmu_t;

typedef struct {
    char **page_sizes;
    unsigned page_sizes_count;
    bool auto_page_size;
    char *linear_mask;
    uint32_t linear_pages;
    int scope;
    raw_mmu_t *tables;
    unsigned tables_count;
} raw_mmu_section_t;

typedef struct {
    char *name;
    char *vaddr;
    char *size;
    uint32_t pages;
    uint32_t types;
    uint32_t bus;
    char *mmu;
    uint32_t entry_base;
    char *page_size;
    uint32_t targets;
    uint32_t access;
    char **caches;
    unsigned caches_count;
} raw_window_t;

typedef struct {
    char *name;
    char *start;
    char *end;
    uint32_t pages;
    uint32_t bus;
    uint32_t targets;
    uint32_t caps;
} raw_region_t;

typedef struct {
    char *name;
    uint32_t level;
    int kind;
    bool per_core;
    char *size;
    uint32_t ways;
    uint32_t line_size;
    bool write_back;
    bool physically_tagged;
    char *next;
    uint32_t hit_cycles;
} raw_cache_t;

typedef struct {
    char *start;
    char *end;
    uint32_t pages;
    uint32_t level;
} raw_msync_window_t;

typedef struct {
    uint32_t level_int;
    uint32_t level_ext;
    uint32_t ext_line_size;
    bool writeback;
    bool freeze;
    raw_msync_window_t *msync_windows;
    unsigned msync_windows_count;
} raw_cache_hal_t;

typedef struct {
    bool spiram_supported;
    bool mmu_map_psram;
} raw_soc_t;

typedef struct {
    char *max_size;
    uint32_t clock_mhz;
    uint32_t lines;
    bool ddr;
    uint32_t cmd_clocks, addr_clocks, dummy_clocks;
    uint32_t overhead_ns;
    uint32_t page_program_us, sector_erase_us, block_erase_us;
} raw_spi_t;

typedef struct {
    char *window_vaddr;
    uint32_t window_pages;
    char *page_size;
    uint32_t reserve_min, reserve_max;
} raw_himem_t;

typedef struct {
    char *invalid_entry;
    char *no_window;
} raw_fill_t;

typedef struct {
    char *flash_size;
    char *psram_size;
    char *mmu_page_size;
    char *spiram_bankswitch_reserve;
    char *app_irom_size;
    char *app_drom_size;
    char *idf_version;
    char *psram_mode;
} raw_config_t;

typedef struct {
    char *name;
    char *description;
    uint32_t cores;
    uint32_t cpu_mhz;
    raw_mmu_section_t mmu;
    raw_window_t *windows;
    unsigned windows_count;
    raw_region_t *regions;
    unsigned regions_count;
    raw_cache_t *caches;
    unsigned caches_count;
    raw_cache_hal_t cache_hal;
    raw_soc_t soc;
    raw_spi_t flash;
    raw_spi_t *psram;
    raw_himem_t *himem;
    raw_fill_t fill;
    raw_config_t *config;
} raw_chip_t;

/* ---------------- the schema ---------------- */

static const cyaml_strval_t target_names[] = {{"flash", CHIPDEF_TARGET_FLASH},
                                              {"psram", CHIPDEF_TARGET_PSRAM}};
static const cyaml_strval_t type_names[] = {{"data", CHIPDEF_VADDR_DATA},
                                            {"instruction", CHIPDEF_VADDR_INSTRUCTION}};
static const cyaml_strval_t bus_names[] = {
    {"ibus0", CHIPDEF_BUS_IBUS0}, {"ibus1", CHIPDEF_BUS_IBUS1}, {"ibus2", CHIPDEF_BUS_IBUS2},
    {"dbus0", CHIPDEF_BUS_DBUS0}, {"dbus1", CHIPDEF_BUS_DBUS1}, {"dbus2", CHIPDEF_BUS_DBUS2}};
static const cyaml_strval_t cap_names[] = {{"exec", CHIPDEF_CAP_EXEC},
                                           {"read", CHIPDEF_CAP_READ},
                                           {"write", CHIPDEF_CAP_WRITE},
                                           {"32bit", CHIPDEF_CAP_32BIT},
                                           {"8bit", CHIPDEF_CAP_8BIT}};
static const cyaml_strval_t scope_names[] = {{"shared", CHIPDEF_MMU_SHARED},
                                             {"per_cpu", CHIPDEF_MMU_PER_CPU},
                                             {"per_target", CHIPDEF_MMU_PER_TARGET}};
static const cyaml_strval_t target_from_names[] = {{"bit", CHIPDEF_TARGET_FROM_BIT},
                                                   {"window", CHIPDEF_TARGET_FROM_WINDOW},
                                                   {"mmu", CHIPDEF_TARGET_FROM_MMU}};
static const cyaml_strval_t kind_names[] = {{"unified", CHIPDEF_CACHE_UNIFIED},
                                            {"instruction", CHIPDEF_CACHE_INSTRUCTION},
                                            {"data", CHIPDEF_CACHE_DATA}};

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define STR(flags) CYAML_VALUE_STRING(CYAML_FLAG_POINTER | (flags), char, 1, 200)
#define OPT CYAML_FLAG_OPTIONAL

static const cyaml_schema_value_t string_entry = {STR(0)};

static const cyaml_schema_field_t mmu_table_fields[] = {
    CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, raw_mmu_t, name, 1, CHIPDEF_NAME_MAX - 1),
    CYAML_FIELD_UINT("entries", CYAML_FLAG_DEFAULT, raw_mmu_t, entries),
    CYAML_FIELD_FLAGS("targets", CYAML_FLAG_DEFAULT, raw_mmu_t, targets, target_names, N(target_names)),
    CYAML_FIELD_STRING_PTR("value_mask", CYAML_FLAG_POINTER, raw_mmu_t, value_mask, 1, 40),
    CYAML_FIELD_UINT("valid_bit", CYAML_FLAG_DEFAULT, raw_mmu_t, valid_bit),
    CYAML_FIELD_BOOL("valid_when_set", CYAML_FLAG_DEFAULT, raw_mmu_t, valid_when_set),
    CYAML_FIELD_ENUM("target_from", CYAML_FLAG_DEFAULT, raw_mmu_t, target_from, target_from_names,
                     N(target_from_names)),
    CYAML_FIELD_INT("flash_bit", OPT, raw_mmu_t, flash_bit),
    CYAML_FIELD_INT("psram_bit", OPT, raw_mmu_t, psram_bit),
    CYAML_FIELD_INT("sensitive_bit", OPT, raw_mmu_t, sensitive_bit),
    CYAML_FIELD_UINT("max_paddr_pages_flash", OPT, raw_mmu_t, max_paddr_pages_flash),
    CYAML_FIELD_UINT("max_paddr_pages_psram", OPT, raw_mmu_t, max_paddr_pages_psram),
    CYAML_FIELD_END};
static const cyaml_schema_value_t mmu_table_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_mmu_t, mmu_table_fields)};

static const cyaml_schema_field_t mmu_fields[] = {
    CYAML_FIELD_SEQUENCE("page_sizes", CYAML_FLAG_POINTER, raw_mmu_section_t, page_sizes,
                         &string_entry, 1, 8),
    CYAML_FIELD_BOOL("auto_page_size", OPT, raw_mmu_section_t, auto_page_size),
    CYAML_FIELD_STRING_PTR("linear_mask", CYAML_FLAG_POINTER | OPT, raw_mmu_section_t, linear_mask, 1, 40),
    CYAML_FIELD_UINT("linear_pages", OPT, raw_mmu_section_t, linear_pages),
    CYAML_FIELD_ENUM("scope", CYAML_FLAG_DEFAULT, raw_mmu_section_t, scope, scope_names, N(scope_names)),
    CYAML_FIELD_SEQUENCE("tables", CYAML_FLAG_POINTER, raw_mmu_section_t, tables, &mmu_table_entry, 1,
                         CHIPDEF_MAX_MMUS),
    CYAML_FIELD_END};

static const cyaml_schema_field_t window_fields[] = {
    CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, raw_window_t, name, 1, CHIPDEF_NAME_MAX - 1),
    CYAML_FIELD_STRING_PTR("vaddr", CYAML_FLAG_POINTER, raw_window_t, vaddr, 1, 40),
    CYAML_FIELD_STRING_PTR("size", CYAML_FLAG_POINTER | OPT, raw_window_t, size, 1, 40),
    CYAML_FIELD_UINT("pages", OPT, raw_window_t, pages),
    CYAML_FIELD_FLAGS("types", CYAML_FLAG_DEFAULT, raw_window_t, types, type_names, N(type_names)),
    CYAML_FIELD_FLAGS("bus", CYAML_FLAG_DEFAULT, raw_window_t, bus, bus_names, N(bus_names)),
    CYAML_FIELD_STRING_PTR("mmu", CYAML_FLAG_POINTER, raw_window_t, mmu, 1, CHIPDEF_NAME_MAX - 1),
    CYAML_FIELD_UINT("entry_base", CYAML_FLAG_DEFAULT, raw_window_t, entry_base),
    CYAML_FIELD_STRING_PTR("page_size", CYAML_FLAG_POINTER | OPT, raw_window_t, page_size, 1, 40),
    CYAML_FIELD_FLAGS("targets", CYAML_FLAG_DEFAULT, raw_window_t, targets, target_names, N(target_names)),
    CYAML_FIELD_FLAGS("access", CYAML_FLAG_DEFAULT, raw_window_t, access, cap_names, N(cap_names)),
    CYAML_FIELD_SEQUENCE("caches", CYAML_FLAG_POINTER, raw_window_t, caches, &string_entry, 0,
                         CHIPDEF_MAX_CACHES),
    CYAML_FIELD_END};
static const cyaml_schema_value_t window_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_window_t, window_fields)};

static const cyaml_schema_field_t region_fields[] = {
    CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, raw_region_t, name, 1, CHIPDEF_NAME_MAX - 1),
    CYAML_FIELD_STRING_PTR("start", CYAML_FLAG_POINTER, raw_region_t, start, 1, 40),
    CYAML_FIELD_STRING_PTR("end", CYAML_FLAG_POINTER | OPT, raw_region_t, end, 1, 40),
    CYAML_FIELD_UINT("pages", OPT, raw_region_t, pages),
    CYAML_FIELD_FLAGS("bus", CYAML_FLAG_DEFAULT, raw_region_t, bus, bus_names, N(bus_names)),
    CYAML_FIELD_FLAGS("targets", CYAML_FLAG_DEFAULT, raw_region_t, targets, target_names, N(target_names)),
    CYAML_FIELD_FLAGS("caps", CYAML_FLAG_DEFAULT, raw_region_t, caps, cap_names, N(cap_names)),
    CYAML_FIELD_END};
static const cyaml_schema_value_t region_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_region_t, region_fields)};

static const cyaml_schema_field_t cache_fields[] = {
    CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, raw_cache_t, name, 1, CHIPDEF_NAME_MAX - 1),
    CYAML_FIELD_UINT("level", CYAML_FLAG_DEFAULT, raw_cache_t, level),
    CYAML_FIELD_ENUM("kind", CYAML_FLAG_DEFAULT, raw_cache_t, kind, kind_names, N(kind_names)),
    CYAML_FIELD_BOOL("per_core", OPT, raw_cache_t, per_core),
    CYAML_FIELD_STRING_PTR("size", CYAML_FLAG_POINTER, raw_cache_t, size, 1, 40),
    CYAML_FIELD_UINT("ways", CYAML_FLAG_DEFAULT, raw_cache_t, ways),
    CYAML_FIELD_UINT("line_size", CYAML_FLAG_DEFAULT, raw_cache_t, line_size),
    CYAML_FIELD_BOOL("write_back", CYAML_FLAG_DEFAULT, raw_cache_t, write_back),
    CYAML_FIELD_BOOL("physically_tagged", OPT, raw_cache_t, physically_tagged),
    CYAML_FIELD_STRING_PTR("next", CYAML_FLAG_POINTER | OPT, raw_cache_t, next, 1, CHIPDEF_NAME_MAX - 1),
    CYAML_FIELD_UINT("hit_cycles", OPT, raw_cache_t, hit_cycles),
    CYAML_FIELD_END};
static const cyaml_schema_value_t cache_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_cache_t, cache_fields)};

static const cyaml_schema_field_t msync_window_fields[] = {
    CYAML_FIELD_STRING_PTR("start", CYAML_FLAG_POINTER, raw_msync_window_t, start, 1, 40),
    CYAML_FIELD_STRING_PTR("end", CYAML_FLAG_POINTER | OPT, raw_msync_window_t, end, 1, 40),
    CYAML_FIELD_UINT("pages", OPT, raw_msync_window_t, pages),
    CYAML_FIELD_UINT("level", CYAML_FLAG_DEFAULT, raw_msync_window_t, level),
    CYAML_FIELD_END};
static const cyaml_schema_value_t msync_window_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_msync_window_t, msync_window_fields)};

static const cyaml_schema_field_t cache_hal_fields[] = {
    CYAML_FIELD_UINT("level_int", CYAML_FLAG_DEFAULT, raw_cache_hal_t, level_int),
    CYAML_FIELD_UINT("level_ext", CYAML_FLAG_DEFAULT, raw_cache_hal_t, level_ext),
    CYAML_FIELD_UINT("ext_line_size", OPT, raw_cache_hal_t, ext_line_size),
    CYAML_FIELD_BOOL("writeback", CYAML_FLAG_DEFAULT, raw_cache_hal_t, writeback),
    CYAML_FIELD_BOOL("freeze", CYAML_FLAG_DEFAULT, raw_cache_hal_t, freeze),
    CYAML_FIELD_SEQUENCE("msync_windows", CYAML_FLAG_POINTER, raw_cache_hal_t, msync_windows,
                         &msync_window_entry, 1, CHIPDEF_MAX_MSYNC_WINDOWS),
    CYAML_FIELD_END};

static const cyaml_schema_field_t soc_fields[] = {
    CYAML_FIELD_BOOL("spiram_supported", CYAML_FLAG_DEFAULT, raw_soc_t, spiram_supported),
    CYAML_FIELD_BOOL("mmu_map_psram", CYAML_FLAG_DEFAULT, raw_soc_t, mmu_map_psram),
    CYAML_FIELD_END};

static const cyaml_schema_field_t spi_fields[] = {
    CYAML_FIELD_STRING_PTR("max_size", CYAML_FLAG_POINTER, raw_spi_t, max_size, 1, 40),
    CYAML_FIELD_UINT("clock_mhz", CYAML_FLAG_DEFAULT, raw_spi_t, clock_mhz),
    CYAML_FIELD_UINT("lines", CYAML_FLAG_DEFAULT, raw_spi_t, lines),
    CYAML_FIELD_BOOL("ddr", CYAML_FLAG_DEFAULT, raw_spi_t, ddr),
    CYAML_FIELD_UINT("cmd_clocks", CYAML_FLAG_DEFAULT, raw_spi_t, cmd_clocks),
    CYAML_FIELD_UINT("addr_clocks", CYAML_FLAG_DEFAULT, raw_spi_t, addr_clocks),
    CYAML_FIELD_UINT("dummy_clocks", CYAML_FLAG_DEFAULT, raw_spi_t, dummy_clocks),
    CYAML_FIELD_UINT("overhead_ns", OPT, raw_spi_t, overhead_ns),
    CYAML_FIELD_UINT("page_program_us", OPT, raw_spi_t, page_program_us),
    CYAML_FIELD_UINT("sector_erase_us", OPT, raw_spi_t, sector_erase_us),
    CYAML_FIELD_UINT("block_erase_us", OPT, raw_spi_t, block_erase_us),
    CYAML_FIELD_END};

static const cyaml_schema_field_t himem_fields[] = {
    CYAML_FIELD_STRING_PTR("window_vaddr", CYAML_FLAG_POINTER, raw_himem_t, window_vaddr, 1, 40),
    CYAML_FIELD_UINT("window_pages", CYAML_FLAG_DEFAULT, raw_himem_t, window_pages),
    CYAML_FIELD_STRING_PTR("page_size", CYAML_FLAG_POINTER, raw_himem_t, page_size, 1, 40),
    CYAML_FIELD_UINT("reserve_min", CYAML_FLAG_DEFAULT, raw_himem_t, reserve_min),
    CYAML_FIELD_UINT("reserve_max", CYAML_FLAG_DEFAULT, raw_himem_t, reserve_max),
    CYAML_FIELD_END};

static const cyaml_schema_field_t fill_fields[] = {
    CYAML_FIELD_STRING_PTR("invalid_entry", CYAML_FLAG_POINTER, raw_fill_t, invalid_entry, 1, 40),
    CYAML_FIELD_STRING_PTR("no_window", CYAML_FLAG_POINTER, raw_fill_t, no_window, 1, 40),
    CYAML_FIELD_END};

#define CFG_STR(key, member)                                                                       \
    CYAML_FIELD_STRING_PTR(key, CYAML_FLAG_POINTER | OPT, raw_config_t, member, 1, 40)
static const cyaml_schema_field_t config_fields[] = {
    CFG_STR("flash_size", flash_size),
    CFG_STR("psram_size", psram_size),
    CFG_STR("mmu_page_size", mmu_page_size),
    CFG_STR("spiram_bankswitch_reserve", spiram_bankswitch_reserve),
    CFG_STR("app_irom_size", app_irom_size),
    CFG_STR("app_drom_size", app_drom_size),
    CFG_STR("idf_version", idf_version),
    CFG_STR("psram_mode", psram_mode),
    CYAML_FIELD_END};

const char *const chipdef_config_keys[] = {"flash_size",    "psram_size",    "mmu_page_size",
                                           "spiram_bankswitch_reserve", "app_irom_size",
                                           "app_drom_size", "idf_version",   "psram_mode",
                                           NULL};

static const cyaml_schema_field_t chip_fields[] = {
    CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, raw_chip_t, name, 1, CHIPDEF_NAME_MAX - 1),
    CYAML_FIELD_STRING_PTR("description", CYAML_FLAG_POINTER | OPT, raw_chip_t, description, 0,
                           CHIPDEF_TEXT_MAX - 1),
    CYAML_FIELD_UINT("cores", CYAML_FLAG_DEFAULT, raw_chip_t, cores),
    CYAML_FIELD_UINT("cpu_mhz", CYAML_FLAG_DEFAULT, raw_chip_t, cpu_mhz),
    CYAML_FIELD_MAPPING("mmu", CYAML_FLAG_DEFAULT, raw_chip_t, mmu, mmu_fields),
    CYAML_FIELD_SEQUENCE("windows", CYAML_FLAG_POINTER, raw_chip_t, windows, &window_entry, 1,
                         CHIPDEF_MAX_WINDOWS),
    CYAML_FIELD_SEQUENCE("regions", CYAML_FLAG_POINTER, raw_chip_t, regions, &region_entry, 1,
                         CHIPDEF_MAX_REGIONS),
    CYAML_FIELD_SEQUENCE("caches", CYAML_FLAG_POINTER, raw_chip_t, caches, &cache_entry, 1,
                         CHIPDEF_MAX_CACHES),
    CYAML_FIELD_MAPPING("cache_hal", CYAML_FLAG_DEFAULT, raw_chip_t, cache_hal, cache_hal_fields),
    CYAML_FIELD_MAPPING("soc", CYAML_FLAG_DEFAULT, raw_chip_t, soc, soc_fields),
    CYAML_FIELD_MAPPING("flash", CYAML_FLAG_DEFAULT, raw_chip_t, flash, spi_fields),
    CYAML_FIELD_MAPPING_PTR("psram", CYAML_FLAG_POINTER | OPT, raw_chip_t, psram, spi_fields),
    CYAML_FIELD_MAPPING_PTR("himem", CYAML_FLAG_POINTER | OPT, raw_chip_t, himem, himem_fields),
    CYAML_FIELD_MAPPING("fill", CYAML_FLAG_DEFAULT, raw_chip_t, fill, fill_fields),
    CYAML_FIELD_MAPPING_PTR("config", CYAML_FLAG_POINTER, raw_chip_t, config, config_fields),
    CYAML_FIELD_END};

static const cyaml_schema_value_t chip_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, raw_chip_t, chip_fields)};

/* ---------------- conversion and validation ---------------- */

typedef struct {
    const ydoc_t *doc;
    ydoc_err_t *err;
    const char *const *sets;
    size_t nsets;
} ctx_t;

/* Node lookups by a short path; fall back to the nearest existing parent so an
 * error always has a position. */
static const ydoc_node_t *at(const ydoc_node_t *n, const char *key)
{
    const ydoc_node_t *v = ydoc_get(n, key);
    return v ? v : n;
}
static const ydoc_node_t *at_item(const ydoc_node_t *n, const char *seq, size_t i)
{
    const ydoc_node_t *s = ydoc_get(n, seq);
    const ydoc_node_t *v = ydoc_item(s, i);
    return v ? v : s ? s : n;
}

static int size_of(ctx_t *c, const ydoc_node_t *node, const char *text, uint64_t max, uint32_t *out)
{
    uint64_t v;
    const char *why;
    if (!ydoc_parse_size(text, max, &v, &why))
        return ydoc_fail(c->err, c->doc, node, "bad size or address '%s': %s", text, why);
    *out = (uint32_t)v;
    return 0;
}

static bool is_pow2(uint64_t v) { return v && !(v & (v - 1)); }

static int find_name(const char *name, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return (int)i;
    return -1;
}

static void copy_name(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

/* An error in a --set argument.  It names the definition too: with several files
 * checked at once (or a built-in chip under the embedding API's sizes) the same
 * override is valid for one chip and not for another. */
static int set_fail(ctx_t *c, const char *arg, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int set_fail(ctx_t *c, const char *arg, const char *fmt, ...)
{
    char body[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    snprintf(c->err->msg, sizeof c->err->msg, "%.100s: --set %.60s: %s", c->doc->file, arg, body);
    return -1;
}

/* Apply one `key=value` override to the raw config (which owns its strings). */
static int apply_set(ctx_t *c, raw_config_t *cfg, const char *arg)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg)
        return set_fail(c, arg, "expected key=value");
    size_t klen = (size_t)(eq - arg);
    char **slot = NULL;
    char *const *fields[] = {&cfg->flash_size,    &cfg->psram_size,    &cfg->mmu_page_size,
                             &cfg->spiram_bankswitch_reserve, &cfg->app_irom_size,
                             &cfg->app_drom_size, &cfg->idf_version,   &cfg->psram_mode};
    for (size_t i = 0; chipdef_config_keys[i]; i++)
        if (strlen(chipdef_config_keys[i]) == klen && memcmp(chipdef_config_keys[i], arg, klen) == 0)
            slot = (char **)fields[i];
    if (!slot) {
        char keys[300] = "";
        for (size_t i = 0; chipdef_config_keys[i]; i++) {
            strncat(keys, i ? ", " : "", sizeof keys - strlen(keys) - 1);
            strncat(keys, chipdef_config_keys[i], sizeof keys - strlen(keys) - 1);
        }
        return set_fail(c, arg, "unknown key '%.*s' (expected one of: %s)", (int)klen, arg, keys);
    }
    char *v = strdup(eq + 1);
    if (!v)
        return set_fail(c, arg, "out of memory");
    free(*slot);
    *slot = v;
    return 0;
}

/* A config value: from --set (error names the argument) or the file (error at the node). */
static int config_size(ctx_t *c, const ydoc_node_t *cfg_node, const char *key, const char *text,
                       uint64_t max, uint32_t *out)
{
    if (!text)
        return 0;
    for (size_t i = c->nsets; i-- > 0;) {
        size_t kl = strlen(key);
        if (strncmp(c->sets[i], key, kl) == 0 && c->sets[i][kl] == '=') {
            uint64_t v;
            const char *why;
            if (!ydoc_parse_size(text, max, &v, &why))
                return set_fail(c, c->sets[i], "%s", why);
            *out = (uint32_t)v;
            return 0;
        }
    }
    return size_of(c, at(cfg_node, key), text, max, out);
}

/* Where a config value came from, for validation messages. */
uint32_t chipdef_idf_version_code(const char *v)
{
    if (!strcmp(v, "master"))
        return CHIPDEF_IDF_MASTER;
    unsigned major, minor, patch = 0;
    int n = 0;
    if (sscanf(v, "v%u.%u%n", &major, &minor, &n) != 2)
        return 0;
    if (v[n] == '.') {
        int m = 0;
        if (sscanf(v + n, ".%u%n", &patch, &m) != 1)
            return 0;
        n += m;
    }
    uint32_t code = major * 10000u + minor * 100u + patch;
    if (v[n] || minor > 99 || patch > 99 || code < 50100 || code > CHIPDEF_IDF_MASTER + 99)
        return 0;
    return code;
}

static int config_fail(ctx_t *c, const ydoc_node_t *cfg_node, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int config_fail(ctx_t *c, const ydoc_node_t *cfg_node, const char *key, const char *fmt, ...)
{
    char body[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    size_t kl = strlen(key);
    for (size_t i = c->nsets; i-- > 0;)
        if (strncmp(c->sets[i], key, kl) == 0 && c->sets[i][kl] == '=')
            return set_fail(c, c->sets[i], "%s", body);
    return ydoc_fail(c->err, c->doc, at(cfg_node, key), "%s", body);
}

static int convert_mmus(ctx_t *c, const raw_chip_t *r, chipdef_t *d, const ydoc_node_t *root)
{
    const ydoc_node_t *mn = ydoc_get(root, "mmu");
    d->mmu_scope = (chipdef_mmu_scope_t)r->mmu.scope;
    d->linear_pages = r->mmu.linear_pages;
    if (r->mmu.linear_mask && r->mmu.linear_pages)
        return ydoc_fail(c->err, c->doc, at(mn, "linear_pages"),
                         "give linear_mask or linear_pages, not both");
    if (!r->mmu.linear_mask && !r->mmu.linear_pages)
        return ydoc_fail(c->err, c->doc, mn, "missing required key 'linear_mask' (or 'linear_pages')");
    if (r->mmu.linear_mask) {
        if (size_of(c, at(mn, "linear_mask"), r->mmu.linear_mask, UINT32_MAX, &d->linear_mask))
            return -1;
        if (!is_pow2((uint64_t)d->linear_mask + 1))
            return ydoc_fail(c->err, c->doc, at(mn, "linear_mask"),
                             "linear_mask 0x%x is not one less than a power of two", d->linear_mask);
    }
    for (unsigned i = 0; i < r->mmu.page_sizes_count; i++) {
        uint32_t ps = 0;
        const ydoc_node_t *pn = at_item(mn, "page_sizes", i);
        if (size_of(c, pn, r->mmu.page_sizes[i], 1u << 20, &ps))
            return -1;
        if (!is_pow2(ps) || ps < 4096)
            return ydoc_fail(c->err, c->doc, pn, "page size %u is not a power of two of at least 4K", ps);
        d->page_sizes |= ps;
    }
    d->mmu_count = r->mmu.tables_count;
    const char *names[CHIPDEF_MAX_MMUS];
    for (unsigned i = 0; i < r->mmu.tables_count; i++) {
        const raw_mmu_t *t = &r->mmu.tables[i];
        chipdef_mmu_t *m = &d->mmus[i];
        const ydoc_node_t *tn = ydoc_item(ydoc_get(mn, "tables"), i);
        names[i] = t->name;
        if (find_name(t->name, names, i) >= 0)
            return ydoc_fail(c->err, c->doc, at(tn, "name"), "duplicate MMU name '%s'", t->name);
        copy_name(m->name, sizeof m->name, t->name);
        if (t->entries == 0 || t->entries > 4096)
            return ydoc_fail(c->err, c->doc, at(tn, "entries"), "entries must be 1..4096, not %u", t->entries);
        m->entries = t->entries;
        m->tables = d->mmu_scope == CHIPDEF_MMU_PER_CPU ? r->cores : 1;
        if (!t->targets)
            return ydoc_fail(c->err, c->doc, at(tn, "targets"), "an MMU needs at least one target");
        m->targets = t->targets;
        if (size_of(c, at(tn, "value_mask"), t->value_mask, UINT32_MAX, &m->value_mask))
            return -1;
        if (!m->value_mask)
            return ydoc_fail(c->err, c->doc, at(tn, "value_mask"), "value_mask must not be 0");
        m->valid_bit = t->valid_bit;
        m->valid_when_set = t->valid_when_set;
        m->target_from = (chipdef_target_from_t)t->target_from;
        m->flash_bit = ydoc_get(tn, "flash_bit") ? t->flash_bit : -1;
        m->psram_bit = ydoc_get(tn, "psram_bit") ? t->psram_bit : -1;
        m->sensitive_bit = ydoc_get(tn, "sensitive_bit") ? t->sensitive_bit : -1;
        struct { const char *key; int32_t bit; } bits[] = {{"valid_bit", (int32_t)t->valid_bit},
                                                          {"flash_bit", m->flash_bit},
                                                          {"psram_bit", m->psram_bit},
                                                          {"sensitive_bit", m->sensitive_bit}};
        for (size_t b = 0; b < N(bits); b++)
            if (bits[b].bit < -1 || bits[b].bit > 31 || (b == 0 && bits[b].bit < 0))
                return ydoc_fail(c->err, c->doc, at(tn, bits[b].key), "%s must be a bit index 0..31",
                                 bits[b].key);
        if (m->target_from == CHIPDEF_TARGET_FROM_BIT && m->flash_bit < 0 && m->psram_bit < 0)
            return ydoc_fail(c->err, c->doc, at(tn, "target_from"),
                             "target_from: bit needs flash_bit or psram_bit");
        m->max_paddr_pages_flash = t->max_paddr_pages_flash;
        m->max_paddr_pages_psram = t->max_paddr_pages_psram;
        if ((m->targets & CHIPDEF_TARGET_FLASH) && !m->max_paddr_pages_flash)
            return ydoc_fail(c->err, c->doc, tn, "missing required key 'max_paddr_pages_flash'");
        if ((m->targets & CHIPDEF_TARGET_PSRAM) && !m->max_paddr_pages_psram)
            return ydoc_fail(c->err, c->doc, tn, "missing required key 'max_paddr_pages_psram'");
    }
    if (d->mmu_scope == CHIPDEF_MMU_PER_TARGET && d->mmu_count < 2)
        return ydoc_fail(c->err, c->doc, at(mn, "scope"), "scope per_target needs one table per target");
    return 0;
}

static int convert_config(ctx_t *c, raw_chip_t *r, chipdef_t *d, const ydoc_node_t *root)
{
    const ydoc_node_t *cn = ydoc_get(root, "config");
    const ydoc_node_t *mn = ydoc_get(root, "mmu");
    raw_config_t *rc = r->config;
    for (size_t i = 0; i < c->nsets; i++)
        if (apply_set(c, rc, c->sets[i]))
            return -1;
    chipdef_config_t *k = &d->config;
    if (!rc->flash_size)
        return ydoc_fail(c->err, c->doc, cn, "missing required key 'flash_size'");
    if (config_size(c, cn, "flash_size", rc->flash_size, UINT32_MAX, &k->flash_size) ||
        config_size(c, cn, "psram_size", rc->psram_size, UINT32_MAX, &k->psram_size) ||
        config_size(c, cn, "mmu_page_size", rc->mmu_page_size, 1u << 20, &k->mmu_page_size) ||
        config_size(c, cn, "spiram_bankswitch_reserve", rc->spiram_bankswitch_reserve, 1024,
                    &k->spiram_bankswitch_reserve) ||
        config_size(c, cn, "app_irom_size", rc->app_irom_size, UINT32_MAX, &k->app_irom_size) ||
        config_size(c, cn, "app_drom_size", rc->app_drom_size, UINT32_MAX, &k->app_drom_size))
        return -1;
    copy_name(k->idf_version, sizeof k->idf_version, rc->idf_version ? rc->idf_version : "master");
    k->idf_version_code = chipdef_idf_version_code(k->idf_version);
    if (!k->idf_version_code)
        return config_fail(c, cn, "idf_version",
                           "bad idf_version '%s' (expected master, or vX.Y or vX.Y.Z from v5.1 to v6.1)",
                           k->idf_version);
    if (rc->psram_mode && strcmp(rc->psram_mode, "normal") != 0 && strcmp(rc->psram_mode, "lowhigh") != 0)
        return config_fail(c, cn, "psram_mode", "bad psram_mode '%s' (expected one of: normal, lowhigh)",
                           rc->psram_mode);
    k->psram_lowhigh = rc->psram_mode && strcmp(rc->psram_mode, "lowhigh") == 0;
    if (!k->mmu_page_size) {
        if (r->mmu.auto_page_size) /* the bootloader's choice on C2/C6/H2 */
            k->mmu_page_size = k->flash_size <= (1u << 20) ? 0x4000 : k->flash_size <= (2u << 20) ? 0x8000 : 0x10000;
        else
            k->mmu_page_size = 1u << __builtin_ctz(d->page_sizes);
        if (!(d->page_sizes & k->mmu_page_size))
            return ydoc_fail(c->err, c->doc, at(mn, "page_sizes"),
                             "the page size chosen for %u bytes of flash (0x%x) is not in page_sizes",
                             k->flash_size, k->mmu_page_size);
    }
    if (!is_pow2(k->mmu_page_size) || !(d->page_sizes & k->mmu_page_size))
        return config_fail(c, cn, "mmu_page_size", "mmu_page_size 0x%x is not a page size this chip allows",
                           k->mmu_page_size);
    if (d->linear_pages)
        d->linear_mask = d->linear_pages * k->mmu_page_size - 1;
    return 0;
}

static int convert_windows(ctx_t *c, const raw_chip_t *r, chipdef_t *d, const ydoc_node_t *root)
{
    const char *mmu_names[CHIPDEF_MAX_MMUS], *cache_names[CHIPDEF_MAX_CACHES], *names[CHIPDEF_MAX_WINDOWS];
    for (unsigned i = 0; i < r->mmu.tables_count; i++)
        mmu_names[i] = r->mmu.tables[i].name;
    for (unsigned i = 0; i < r->caches_count; i++)
        cache_names[i] = r->caches[i].name;
    d->window_count = r->windows_count;
    for (unsigned i = 0; i < r->windows_count; i++) {
        const raw_window_t *w = &r->windows[i];
        chipdef_window_t *o = &d->windows[i];
        const ydoc_node_t *wn = ydoc_item(ydoc_get(root, "windows"), i);
        names[i] = w->name;
        if (find_name(w->name, names, i) >= 0)
            return ydoc_fail(c->err, c->doc, at(wn, "name"), "duplicate window name '%s'", w->name);
        copy_name(o->name, sizeof o->name, w->name);
        int mi = find_name(w->mmu, mmu_names, r->mmu.tables_count);
        if (mi < 0)
            return ydoc_fail(c->err, c->doc, at(wn, "mmu"), "window '%s' names unknown MMU '%s'", w->name, w->mmu);
        o->mmu = (uint32_t)mi;
        o->page_size = d->config.mmu_page_size;
        if (w->page_size && size_of(c, at(wn, "page_size"), w->page_size, 1u << 20, &o->page_size))
            return -1;
        if (!is_pow2(o->page_size) || o->page_size < 4096)
            return ydoc_fail(c->err, c->doc, at(wn, "page_size"), "page size %u is not a power of two of at least 4K",
                             o->page_size);
        if (size_of(c, at(wn, "vaddr"), w->vaddr, UINT32_MAX, &o->vaddr))
            return -1;
        if ((w->size != NULL) == (w->pages != 0))
            return ydoc_fail(c->err, c->doc, wn, "window '%s' needs exactly one of 'size' or 'pages'", w->name);
        uint64_t size = (uint64_t)w->pages * o->page_size;
        if (w->size) {
            uint32_t s32 = 0;
            if (size_of(c, at(wn, "size"), w->size, UINT32_MAX, &s32))
                return -1;
            size = s32;
        }
        if (size == 0)
            return ydoc_fail(c->err, c->doc, at(wn, "size"), "window '%s' has size 0", w->name);
        if ((uint64_t)o->vaddr + size > 0x100000000ull)
            return ydoc_fail(c->err, c->doc, at(wn, w->size ? "size" : "pages"),
                             "window '%s' [0x%x, 0x%llx) runs past the 4 GB address space", w->name,
                             o->vaddr, (unsigned long long)(o->vaddr + size));
        o->size = (uint32_t)size;
        if (o->vaddr % o->page_size || o->size % o->page_size)
            return ydoc_fail(c->err, c->doc, at(wn, "vaddr"),
                             "window '%s' is not aligned to its page size 0x%x", w->name, o->page_size);
        o->types = w->types;
        o->bus = w->bus;
        o->entry_base = w->entry_base;
        o->targets = w->targets;
        o->access = w->access;
        if (!o->types || !o->targets || !o->bus)
            return ydoc_fail(c->err, c->doc, wn, "window '%s' needs non-empty types, bus and targets", w->name);
        if (o->targets & ~d->mmus[mi].targets)
            return ydoc_fail(c->err, c->doc, at(wn, "targets"),
                             "window '%s' reaches a target its MMU '%s' cannot map", w->name, w->mmu);
        uint64_t last_entry = (uint64_t)o->entry_base + o->size / o->page_size;
        if (last_entry > d->mmus[mi].entries)
            return ydoc_fail(c->err, c->doc, at(wn, "entry_base"),
                             "window '%s' needs entries up to %llu but MMU '%s' has %u", w->name,
                             (unsigned long long)last_entry, w->mmu, d->mmus[mi].entries);
        for (unsigned k = 0; k < w->caches_count; k++) {
            int ci = find_name(w->caches[k], cache_names, r->caches_count);
            if (ci < 0)
                return ydoc_fail(c->err, c->doc, ydoc_item(ydoc_get(wn, "caches"), k),
                                 "window '%s' names unknown cache '%s'", w->name, w->caches[k]);
            o->cache |= 1u << ci;
        }
        for (unsigned k = 0; k < i; k++) {
            const chipdef_window_t *p = &d->windows[k];
            if (o->vaddr < p->vaddr + (uint64_t)p->size && p->vaddr < o->vaddr + (uint64_t)o->size)
                return ydoc_fail(c->err, c->doc, at(wn, "vaddr"), "window '%s' overlaps window '%s'",
                                 o->name, p->name);
        }
    }
    return 0;
}

static int convert_regions(ctx_t *c, const raw_chip_t *r, chipdef_t *d, const ydoc_node_t *root)
{
    uint32_t page = d->config.mmu_page_size;
    d->region_count = r->regions_count;
    for (unsigned i = 0; i < r->regions_count; i++) {
        const raw_region_t *g = &r->regions[i];
        chipdef_region_t *o = &d->regions[i];
        const ydoc_node_t *gn = ydoc_item(ydoc_get(root, "regions"), i);
        copy_name(o->name, sizeof o->name, g->name);
        if (size_of(c, at(gn, "start"), g->start, UINT32_MAX, &o->start))
            return -1;
        if ((g->end != NULL) == (g->pages != 0))
            return ydoc_fail(c->err, c->doc, gn, "region '%s' needs exactly one of 'end' or 'pages'", g->name);
        uint64_t end = (uint64_t)o->start + (uint64_t)g->pages * page;
        if (g->end) {
            uint32_t e32 = 0;
            if (size_of(c, at(gn, "end"), g->end, UINT32_MAX, &e32))
                return -1;
            end = e32;
        }
        if (end <= o->start || end > (uint64_t)d->linear_mask + 1)
            return ydoc_fail(c->err, c->doc, at(gn, g->end ? "end" : "pages"),
                             "region '%s' must end after its start and within the linear space (mask 0x%x)",
                             g->name, d->linear_mask);
        o->end = (uint32_t)end;
        if (o->start % page || o->end % page)
            return ydoc_fail(c->err, c->doc, at(gn, "start"),
                             "region '%s' is not aligned to the MMU page size 0x%x", g->name, page);
        o->bus = g->bus;
        o->targets = g->targets;
        o->caps = g->caps;
        if (!o->bus || !o->targets || !o->caps)
            return ydoc_fail(c->err, c->doc, gn, "region '%s' needs non-empty bus, targets and caps", g->name);
        /* Inside its windows: every bus of the region must reach the whole range. */
        for (uint32_t bit = 1; bit <= CHIPDEF_BUS_DBUS2; bit <<= 1) {
            if (!(o->bus & bit))
                continue;
            bool inside = false;
            for (unsigned k = 0; k < d->window_count && !inside; k++) {
                const chipdef_window_t *w = &d->windows[k];
                uint32_t lstart = w->vaddr & d->linear_mask;
                if ((w->bus & bit) && o->start >= lstart && (uint64_t)o->end <= (uint64_t)lstart + w->size)
                    inside = true;
            }
            if (!inside)
                return ydoc_fail(c->err, c->doc, at(gn, "bus"),
                                 "region '%s' [0x%x, 0x%x) is not inside a window of each of its buses",
                                 g->name, o->start, o->end);
        }
        for (unsigned k = 0; k < i; k++) {
            const chipdef_region_t *p = &d->regions[k];
            if (o->start < p->end && p->start < o->end)
                return ydoc_fail(c->err, c->doc, at(gn, "start"),
                                 "region '%s' [0x%x, 0x%x) overlaps region '%s' [0x%x, 0x%x)", g->name,
                                 o->start, o->end, p->name, p->start, p->end);
        }
    }
    return 0;
}

static int convert_caches(ctx_t *c, const raw_chip_t *r, chipdef_t *d, const ydoc_node_t *root)
{
    const char *names[CHIPDEF_MAX_CACHES];
    for (unsigned i = 0; i < r->caches_count; i++)
        names[i] = r->caches[i].name;
    d->cache_count = r->caches_count;
    for (unsigned i = 0; i < r->caches_count; i++) {
        const raw_cache_t *k = &r->caches[i];
        chipdef_cache_t *o = &d->caches[i];
        const ydoc_node_t *kn = ydoc_item(ydoc_get(root, "caches"), i);
        if (find_name(k->name, names, i) >= 0)
            return ydoc_fail(c->err, c->doc, at(kn, "name"), "duplicate cache name '%s'", k->name);
        copy_name(o->name, sizeof o->name, k->name);
        o->level = k->level;
        o->kind = (chipdef_cache_kind_t)k->kind;
        o->per_core = k->per_core;
        if (size_of(c, at(kn, "size"), k->size, 64u << 20, &o->size))
            return -1;
        o->ways = k->ways;
        o->line_size = k->line_size;
        o->write_back = k->write_back;
        o->physically_tagged = k->physically_tagged;
        o->hit_cycles = ydoc_get(kn, "hit_cycles") ? k->hit_cycles : 1;
        /* ESP-IDF numbers its cache levels 1 (L1) and 2 (L2, P4); the HAL answers by level. */
        if (o->level < 1 || o->level > 2)
            return ydoc_fail(c->err, c->doc, at(kn, "level"), "cache level must be 1 or 2, not %u", o->level);
        /* Espressif caches use 16..128-byte lines; 256 bounds what the machine compares
         * per line when a store write lands beneath it. */
        if (!is_pow2(o->line_size) || o->line_size < 4 || o->line_size > CHIPDEF_MAX_LINE_SIZE)
            return ydoc_fail(c->err, c->doc, at(kn, "line_size"),
                             "line_size must be a power of two from 4 to 256, not %u", o->line_size);
        if (o->ways == 0 || o->ways > 64)
            return ydoc_fail(c->err, c->doc, at(kn, "ways"), "ways must be 1..64, not %u", o->ways);
        uint64_t way_bytes = (uint64_t)o->ways * o->line_size;
        if (o->size % way_bytes || !is_pow2(o->size / way_bytes))
            return ydoc_fail(c->err, c->doc, at(kn, "size"),
                             "impossible cache geometry: size %u is not sets x ways (%u) x line (%u) "
                             "with a power-of-two number of sets",
                             o->size, o->ways, o->line_size);
        if (k->next) {
            int ni = find_name(k->next, names, r->caches_count);
            if (ni < 0)
                return ydoc_fail(c->err, c->doc, at(kn, "next"), "cache '%s' names unknown next cache '%s'",
                                 k->name, k->next);
            if ((unsigned)ni <= i)
                return ydoc_fail(c->err, c->doc, at(kn, "next"),
                                 "cache '%s': the next level '%s' must be listed after it", k->name, k->next);
            if (r->caches[ni].level <= k->level)
                return ydoc_fail(c->err, c->doc, at(kn, "next"),
                                 "cache '%s' (level %u): the next cache '%s' must be at a deeper level, not %u",
                                 k->name, k->level, k->next, r->caches[ni].level);
            o->next = (uint32_t)ni + 1;
        }
    }
    return 0;
}

static int convert_spi(ctx_t *c, const raw_spi_t *s, chipdef_spi_mem_t *o, const ydoc_node_t *sn,
                       const char *what)
{
    if (size_of(c, at(sn, "max_size"), s->max_size, UINT32_MAX, &o->max_size))
        return -1;
    if (s->lines != 1 && s->lines != 2 && s->lines != 4 && s->lines != 8 && s->lines != 16)
        return ydoc_fail(c->err, c->doc, at(sn, "lines"), "%s lines must be 1, 2, 4, 8 or 16, not %u", what, s->lines);
    if (s->clock_mhz == 0 || s->clock_mhz > 1000)
        return ydoc_fail(c->err, c->doc, at(sn, "clock_mhz"), "%s clock_mhz must be 1..1000", what);
    o->clock_mhz = s->clock_mhz;
    o->lines = s->lines;
    o->ddr = s->ddr;
    o->cmd_clocks = s->cmd_clocks;
    o->addr_clocks = s->addr_clocks;
    o->dummy_clocks = s->dummy_clocks;
    o->overhead_ns = s->overhead_ns;
    o->page_program_us = s->page_program_us;
    o->sector_erase_us = s->sector_erase_us;
    o->block_erase_us = s->block_erase_us;
    return 0;
}

static int convert(ctx_t *c, raw_chip_t *r, chipdef_t *d)
{
    const ydoc_node_t *root = c->doc->root;
    copy_name(d->name, sizeof d->name, r->name);
    copy_name(d->description, sizeof d->description, r->description);
    if (r->cores < 1 || r->cores > CHIPDEF_MAX_CORES)
        return ydoc_fail(c->err, c->doc, at(root, "cores"), "cores must be 1 or 2, not %u", r->cores);
    d->cores = r->cores;
    if (r->cpu_mhz == 0 || r->cpu_mhz > 2000)
        return ydoc_fail(c->err, c->doc, at(root, "cpu_mhz"), "cpu_mhz must be 1..2000");
    d->cpu_mhz = r->cpu_mhz;
    if (convert_mmus(c, r, d, root) || convert_config(c, r, d, root) || convert_caches(c, r, d, root) ||
        convert_windows(c, r, d, root) || convert_regions(c, r, d, root))
        return -1;

    const ydoc_node_t *hn = ydoc_get(root, "cache_hal");
    uint32_t levels = 0; /* bit n: some cache is at level n */
    for (unsigned i = 0; i < d->cache_count; i++)
        levels |= 1u << d->caches[i].level;
    /* level_int 0 means internal memory is not cached (all but P4). */
    if (r->cache_hal.level_int > 31 || (r->cache_hal.level_int && !(levels >> r->cache_hal.level_int & 1)))
        return ydoc_fail(c->err, c->doc, at(hn, "level_int"), "level_int %u: no cache at that level",
                         r->cache_hal.level_int);
    if (r->cache_hal.level_ext > 31 || !(levels >> r->cache_hal.level_ext & 1))
        return ydoc_fail(c->err, c->doc, at(hn, "level_ext"), "level_ext %u: no cache at that level",
                         r->cache_hal.level_ext);
    d->cache_level_int = r->cache_hal.level_int;
    d->cache_level_ext = r->cache_hal.level_ext;
    d->hal_ext_line_size = r->cache_hal.ext_line_size;
    d->cache_writeback_supported = r->cache_hal.writeback;
    d->cache_freeze_supported = r->cache_hal.freeze;
    d->msync_window_count = r->cache_hal.msync_windows_count;
    for (unsigned i = 0; i < r->cache_hal.msync_windows_count; i++) {
        const ydoc_node_t *wn = ydoc_item(ydoc_get(hn, "msync_windows"), i);
        chipdef_msync_window_t *o = &d->msync_windows[i];
        if (size_of(c, at(wn, "start"), r->cache_hal.msync_windows[i].start, UINT32_MAX, &o->start))
            return -1;
        const raw_msync_window_t *rw = &r->cache_hal.msync_windows[i];
        if ((rw->end != NULL) == (rw->pages != 0))
            return ydoc_fail(c->err, c->doc, wn, "msync window needs exactly one of 'end' or 'pages'");
        /* `pages` follows the page size in force (C2/C6/H2 windows scale with it). */
        uint64_t end = (uint64_t)o->start + (uint64_t)rw->pages * d->config.mmu_page_size;
        if (rw->end) {
            if (size_of(c, at(wn, "end"), rw->end, UINT32_MAX, &o->end))
                return -1;
            end = o->end;
        }
        if (end <= o->start || end > UINT32_MAX)
            return ydoc_fail(c->err, c->doc, at(wn, rw->end ? "end" : "pages"),
                             "msync window must end after its start and below 4 GB");
        o->end = (uint32_t)end;
        o->level = r->cache_hal.msync_windows[i].level;
        if (o->level > 31 || !(levels >> o->level & 1))
            return ydoc_fail(c->err, c->doc, at(wn, "level"), "msync window level %u: no cache at that level",
                             o->level);
    }
    d->spiram_supported = r->soc.spiram_supported;
    d->mmu_map_psram = r->soc.mmu_map_psram;

    const ydoc_node_t *cn = ydoc_get(root, "config");
    if (convert_spi(c, &r->flash, &d->flash, ydoc_get(root, "flash"), "flash"))
        return -1;
    d->flash.size = d->config.flash_size;
    if (d->flash.size == 0 || d->flash.size > d->flash.max_size)
        return config_fail(c, cn, "flash_size", "flash_size %u is not in 1..max_size (%u)",
                           d->flash.size, d->flash.max_size);
    if (d->flash.size % 65536)
        return config_fail(c, cn, "flash_size", "flash_size %u is not a multiple of 64K", d->flash.size);
    if (r->psram) {
        if (convert_spi(c, r->psram, &d->psram, ydoc_get(root, "psram"), "psram"))
            return -1;
        d->psram.size = d->config.psram_size;
        if (d->psram.size > d->psram.max_size)
            return config_fail(c, cn, "psram_size", "psram_size %u exceeds the chip's max_size %u",
                               d->psram.size, d->psram.max_size);
        if (d->psram.size % 65536)
            return config_fail(c, cn, "psram_size", "psram_size %u is not a multiple of 64K", d->psram.size);
    } else if (d->config.psram_size) {
        return config_fail(c, cn, "psram_size", "this chip has no PSRAM interface");
    }
    /* The MMU must reach every byte of the stores. */
    for (unsigned i = 0; i < d->mmu_count; i++) {
        const chipdef_mmu_t *m = &d->mmus[i];
        uint64_t page = d->config.mmu_page_size;
        if ((m->targets & CHIPDEF_TARGET_FLASH) && d->flash.size > m->max_paddr_pages_flash * page)
            return config_fail(c, cn, "flash_size", "flash_size %u is beyond the reach of MMU '%s' (%llu bytes)",
                               d->flash.size, m->name, (unsigned long long)(m->max_paddr_pages_flash * page));
        if ((m->targets & CHIPDEF_TARGET_PSRAM) && d->psram.size > m->max_paddr_pages_psram * page)
            return config_fail(c, cn, "psram_size", "psram_size %u is beyond the reach of MMU '%s' (%llu bytes)",
                               d->psram.size, m->name, (unsigned long long)(m->max_paddr_pages_psram * page));
    }
    if (r->himem) {
        const ydoc_node_t *hm = ydoc_get(root, "himem");
        chipdef_himem_t *h = &d->himem;
        h->enabled = true;
        if (size_of(c, at(hm, "window_vaddr"), r->himem->window_vaddr, UINT32_MAX, &h->window_vaddr) ||
            size_of(c, at(hm, "page_size"), r->himem->page_size, 1u << 20, &h->page_size))
            return -1;
        h->window_pages = r->himem->window_pages;
        h->reserve_min = r->himem->reserve_min;
        h->reserve_max = r->himem->reserve_max;
        if (h->reserve_min < 1)
            return ydoc_fail(c->err, c->doc, at(hm, "reserve_min"), "himem reserve_min must be at least 1");
        if (h->reserve_min > h->reserve_max)
            return ydoc_fail(c->err, c->doc, at(hm, "reserve_min"),
                             "himem reserve_min %u is above reserve_max %u", h->reserve_min, h->reserve_max);
        if (h->reserve_max >= h->window_pages)
            return ydoc_fail(c->err, c->doc, at(hm, "reserve_max"),
                             "himem reserve_max %u must be below window_pages %u",
                             h->reserve_max, h->window_pages);
        if (!ydoc_get(cn, "spiram_bankswitch_reserve") && !d->config.spiram_bankswitch_reserve)
            d->config.spiram_bankswitch_reserve = 8;
        uint32_t rsv = d->config.spiram_bankswitch_reserve;
        if (rsv < h->reserve_min || rsv > h->reserve_max)
            return config_fail(c, cn, "spiram_bankswitch_reserve",
                               "spiram_bankswitch_reserve %u is outside %u..%u", rsv, h->reserve_min, h->reserve_max);
    } else if (d->config.spiram_bankswitch_reserve) {
        return config_fail(c, cn, "spiram_bankswitch_reserve", "this chip has no himem bank switching");
    }
    const ydoc_node_t *fn = ydoc_get(root, "fill");
    if (size_of(c, at(fn, "invalid_entry"), r->fill.invalid_entry, UINT32_MAX, &d->fill_invalid_entry) ||
        size_of(c, at(fn, "no_window"), r->fill.no_window, UINT32_MAX, &d->fill_no_window))
        return -1;
    /* The app's IROM/DROM must fit in the space the boot reservation takes it from. */
    uint64_t linear = (uint64_t)d->linear_mask + 1;
    if ((uint64_t)d->config.app_irom_size + d->config.app_drom_size > linear)
        return config_fail(c, cn, "app_irom_size", "app_irom_size + app_drom_size exceed the linear space");
    return 0;
}

int chipdef_load_text(const char *file, const char *text, size_t len, const char *const *sets,
                      size_t nsets, chipdef_t *out, ydoc_err_t *err)
{
    memset(out, 0, sizeof *out);
    ydoc_t doc;
    if (ydoc_parse(file, text, len, &doc, err))
        return -1;
    int rc = -1;
    raw_chip_t *raw = NULL;
    if (!doc.root) {
        ydoc_fail(err, &doc, NULL, "empty file: a chip definition is a mapping with name, cores, mmu, ...");
        goto out;
    }
    if (doc.root->kind != YDOC_MAPPING) {
        ydoc_fail(err, &doc, doc.root, "a chip definition must be a mapping, not %s",
                  doc.root->kind == YDOC_SCALAR ? "a scalar" : "a sequence");
        goto out;
    }
    if (ydoc_load(&doc, &chip_schema, (void **)&raw, err))
        goto out;
    ctx_t c = {.doc = &doc, .err = err, .sets = sets, .nsets = nsets};
    rc = convert(&c, raw, out);
out:
    ydoc_load_free(&chip_schema, raw);
    ydoc_free(&doc);
    if (rc)
        memset(out, 0, sizeof *out);
    return rc;
}

int chipdef_load(const char *name_or_path, const char *const *sets, size_t nsets, chipdef_t *out,
                 ydoc_err_t *err)
{
    size_t len;
    const char *text = chipdef_builtin_find(name_or_path, &len);
    if (text) {
        char file[64];
        snprintf(file, sizeof file, "<builtin>/%s.yaml", name_or_path);
        return chipdef_load_text(file, text, len, sets, nsets, out, err);
    }
    memset(out, 0, sizeof *out);
    ydoc_t doc;
    if (!strchr(name_or_path, '/') && !strstr(name_or_path, ".yaml") && !strstr(name_or_path, ".yml")) {
        char names[200] = "";
        for (size_t i = 0; i < chipdef_builtin_count(); i++) {
            strncat(names, i ? ", " : "", sizeof names - strlen(names) - 1);
            strncat(names, chipdef_builtin_name(i), sizeof names - strlen(names) - 1);
        }
        snprintf(err->msg, sizeof err->msg, "unknown chip '%s' (built-in chips: %s; or give a path to a YAML file)",
                 name_or_path, names);
        return -1;
    }
    if (ydoc_parse_file(name_or_path, &doc, err))
        return -1;
    int rc = chipdef_load_text(name_or_path, doc.text, doc.text_len, sets, nsets, out, err);
    ydoc_free(&doc);
    return rc;
}

const char *chipdef_builtin_find(const char *name, size_t *len)
{
    for (size_t i = 0; i < chipdef_builtin_count(); i++)
        if (strcmp(chipdef_builtin_name(i), name) == 0)
            return chipdef_builtin_text(i, len);
    return NULL;
}
