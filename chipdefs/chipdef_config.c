/* chipdef_config.c - the config section of a chip definition (board sizes and
 * Kconfig-like options) and what overrides it: typed values (chipdef_overrides_t, the
 * embedding API's fields) and `key=value` text (`--set`, a scenario's config), which is
 * parsed into the same typed struct first.  Resolving file and overrides into
 * chipdef_config_t, and the one error path for a bad config value, which names where the
 * value came from: the --set argument, the typed field, or the file's node. */
#include <stdarg.h>
#include <stddef.h>

#include "chipdef_convert.h"

#define BIT(k) CHIPDEF_KEY_BIT(k)

/* The keys by chipdef_key_t.  The sizes (all keys before idf_version) live at `ov` in
 * chipdef_overrides_t and at `cfg` in chipdef_config_t; `max` bounds their text. */
#define SIZE_KEY(key, max) {#key, max, offsetof(chipdef_overrides_t, key), offsetof(chipdef_config_t, key)}
static const struct {
    const char *name;
    uint64_t max;
    size_t ov, cfg;
} keys[CHIPDEF_KEY_COUNT] = {
    SIZE_KEY(flash_size, UINT32_MAX),    SIZE_KEY(psram_size, UINT32_MAX),
    SIZE_KEY(mmu_page_size, 1u << 20),   SIZE_KEY(spiram_bankswitch_reserve, 1024),
    SIZE_KEY(app_irom_size, UINT32_MAX), SIZE_KEY(app_drom_size, UINT32_MAX),
    SIZE_KEY(partition_table_offset, UINT32_MAX), SIZE_KEY(app_offset, UINT32_MAX),
    SIZE_KEY(dcache_size, 64u << 20),    SIZE_KEY(dcache_ways, 64),   SIZE_KEY(dcache_line_size, 256),
    SIZE_KEY(icache_size, 64u << 20),    SIZE_KEY(icache_ways, 64),   SIZE_KEY(icache_line_size, 256),
    SIZE_KEY(l2_cache_size, 64u << 20),  SIZE_KEY(l2_cache_line_size, 256),
    SIZE_KEY(spiram_speed, 1000),        SIZE_KEY(flash_freq, 1000),
    SIZE_KEY(cpu_freq_mhz, 2000),
    {"idf_version", 0, 0, 0},            {"psram_mode", 0, 0, 0},
    {"partition_table", 0, 0, 0},        {"bootloader_cache_32bit_addr", 0, 0, 0},
    {"secure_enable_tee", 0, 0, 0},
    {"spiram_mode", 0, 0, 0},            {"flash_mode", 0, 0, 0},
    {"spiram_fetch_instructions", 0, 0, 0}, {"spiram_rodata", 0, 0, 0},
    {"spiram_xip_from_psram", 0, 0, 0},  {"partition_table_md5", 0, 0, 0},
};

static bool is_size_key(chipdef_key_t k) { return k < CHIPDEF_KEY_IDF_VERSION; }
static uint32_t *ov_size(chipdef_overrides_t *ov, chipdef_key_t k) { return (uint32_t *)((char *)ov + keys[k].ov); }
static uint32_t *cfg_size(chipdef_config_t *cfg, chipdef_key_t k) { return (uint32_t *)((char *)cfg + keys[k].cfg); }

const char *chipdef_config_key(size_t i) { return i < CHIPDEF_KEY_COUNT ? keys[i].name : NULL; }

uint64_t chipdef_overrides_nonzero(const chipdef_overrides_t *ov)
{
    chipdef_overrides_t o = *ov;
    uint64_t given = 0;
    for (chipdef_key_t k = 0; is_size_key(k); k++)
        if (*ov_size(&o, k))
            given |= BIT(k);
    if (ov->idf_version)
        given |= BIT(CHIPDEF_KEY_IDF_VERSION);
    if (ov->psram_mode)
        given |= BIT(CHIPDEF_KEY_PSRAM_MODE);
    if (ov->partition_table)
        given |= BIT(CHIPDEF_KEY_PARTITION_TABLE);
    if (ov->bootloader_cache_32bit_addr)
        given |= BIT(CHIPDEF_KEY_BOOTLOADER_CACHE_32BIT_ADDR);
    if (ov->secure_enable_tee)
        given |= BIT(CHIPDEF_KEY_SECURE_ENABLE_TEE);
    if (ov->spiram_mode)
        given |= BIT(CHIPDEF_KEY_SPIRAM_MODE);
    if (ov->flash_mode)
        given |= BIT(CHIPDEF_KEY_FLASH_MODE);
    if (ov->spiram_fetch_instructions)
        given |= BIT(CHIPDEF_KEY_SPIRAM_FETCH_INSTRUCTIONS);
    if (ov->spiram_rodata)
        given |= BIT(CHIPDEF_KEY_SPIRAM_RODATA);
    if (ov->spiram_xip_from_psram)
        given |= BIT(CHIPDEF_KEY_SPIRAM_XIP_FROM_PSRAM);
    if (ov->partition_table_md5)
        given |= BIT(CHIPDEF_KEY_PARTITION_TABLE_MD5);
    return given;
}

/* The code of an idf_version string: CHIPDEF_IDF_MASTER for "master", else
 * major*10000 + minor*100 + patch for "vX.Y" or "vX.Y.Z" from v5.1 to v6.1; 0 if it is
 * not a version the driver knows. */
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

/* A boolean key's two words; false for anything else. */
static bool bool_of(const char *text, bool *on)
{
    *on = strcmp(text, "true") == 0;
    return *on || strcmp(text, "false") == 0;
}

/* psram_mode's two names; false for anything else. */
static bool psram_mode_of(const char *text, bool *lowhigh)
{
    *lowhigh = strcmp(text, "lowhigh") == 0;
    return *lowhigh || strcmp(text, "normal") == 0;
}

/* An error in a --set argument.  It names the definition too: with several files
 * checked at once (or a built-in chip under the embedding API's sizes) the same
 * override is valid for one chip and not for another. */
static int set_fail(chipdef_ctx_t *c, const char *arg, const char *why)
{
    snprintf(c->err->msg, sizeof c->err->msg, "%.100s: --set %.60s: %.700s", c->doc->file, arg, why);
    return -1;
}

int chipdef_config_fail(chipdef_ctx_t *c, chipdef_key_t key, const char *fmt, ...)
{
    char body[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    if (c->set_arg[key])
        return set_fail(c, c->set_arg[key], body);
    if (c->ov.given & BIT(key)) {
        snprintf(c->err->msg, sizeof c->err->msg, "%.100s: %.40s.%s: %s", c->doc->file,
                 c->ov.source ? c->ov.source : "override", keys[key].name, body);
        return -1;
    }
    return ydoc_fail(c->err, c->doc, at(ydoc_get(c->root, "config"), keys[key].name), "%s", body);
}

/* The --set text over the typed overrides: first every argument's shape and key, in
 * order; then the value of the last argument naming each key (a later --set wins, and
 * the value it replaces is never read). */
static int parse_sets(chipdef_ctx_t *c)
{
    const char *last[CHIPDEF_KEY_COUNT] = {0};
    for (size_t i = 0; i < c->nsets; i++) {
        const char *arg = c->sets[i], *eq = strchr(arg, '=');
        if (!eq || eq == arg)
            return set_fail(c, arg, "expected key=value");
        size_t klen = (size_t)(eq - arg), k = 0;
        while (k < CHIPDEF_KEY_COUNT && !(strlen(keys[k].name) == klen && memcmp(keys[k].name, arg, klen) == 0))
            k++;
        if (k == CHIPDEF_KEY_COUNT) {
            char names[640] = "", body[700];
            for (k = 0; k < CHIPDEF_KEY_COUNT; k++)
                ydoc_list_add(names, sizeof names, keys[k].name);
            snprintf(body, sizeof body, "unknown key '%.*s' (expected one of: %s)", (int)klen, arg, names);
            return set_fail(c, arg, body);
        }
        last[k] = arg;
    }
    for (chipdef_key_t k = 0; k < CHIPDEF_KEY_COUNT; k++) {
        if (!last[k])
            continue;
        const char *text = strchr(last[k], '=') + 1;
        c->set_arg[k] = last[k];
        c->ov.given |= BIT(k);
        uint64_t v;
        const char *why;
        if (k == CHIPDEF_KEY_IDF_VERSION) /* the names are checked with the file's values */
            c->ov.idf_version = text;
        else if (k == CHIPDEF_KEY_PSRAM_MODE)
            c->ov.psram_mode = text;
        else if (k == CHIPDEF_KEY_PARTITION_TABLE) /* "" (partition_table=) means none */
            c->ov.partition_table = text;
        else if (k == CHIPDEF_KEY_BOOTLOADER_CACHE_32BIT_ADDR)
            c->ov.bootloader_cache_32bit_addr = text;
        else if (k == CHIPDEF_KEY_SECURE_ENABLE_TEE)
            c->ov.secure_enable_tee = text;
        else if (k == CHIPDEF_KEY_SPIRAM_MODE)
            c->ov.spiram_mode = text;
        else if (k == CHIPDEF_KEY_FLASH_MODE)
            c->ov.flash_mode = text;
        else if (k == CHIPDEF_KEY_SPIRAM_FETCH_INSTRUCTIONS)
            c->ov.spiram_fetch_instructions = text;
        else if (k == CHIPDEF_KEY_SPIRAM_RODATA)
            c->ov.spiram_rodata = text;
        else if (k == CHIPDEF_KEY_SPIRAM_XIP_FROM_PSRAM)
            c->ov.spiram_xip_from_psram = text;
        else if (k == CHIPDEF_KEY_PARTITION_TABLE_MD5)
            c->ov.partition_table_md5 = text;
        else if (!ydoc_parse_size(text, keys[k].max, &v, &why))
            return set_fail(c, last[k], why);
        else
            *ov_size(&c->ov, k) = (uint32_t)v;
    }
    return 0;
}

/* partition_table and partition_table_offset: the path (the file's relative to the
 * file's folder, an override's as given), and an offset where the table's sector fits
 * the flash on a sector boundary, as gen_esp32part.py's --offset must. */
static int partition_table_of(chipdef_ctx_t *c, const raw_config_t *rc, chipdef_config_t *k)
{
    if (!(c->ov.given & BIT(CHIPDEF_KEY_PARTITION_TABLE_OFFSET)) && !rc->partition_table_offset)
        k->partition_table_offset = 0x8000; /* CONFIG_PARTITION_TABLE_OFFSET's default */
    if (k->partition_table_offset % 0x1000u || (uint64_t)k->partition_table_offset + 0x1000u > k->flash_size)
        return chipdef_config_fail(c, CHIPDEF_KEY_PARTITION_TABLE_OFFSET,
                                   "partition_table_offset 0x%x must be a multiple of 0x1000 with its 4 KB sector "
                                   "inside the %u-byte flash", k->partition_table_offset, k->flash_size);
    const char *path = c->ov.given & BIT(CHIPDEF_KEY_PARTITION_TABLE) ? c->ov.partition_table : rc->partition_table;
    const char *dir = "";
    int dirlen = 0;
    if (path && !(c->ov.given & BIT(CHIPDEF_KEY_PARTITION_TABLE)) && path[0] && path[0] != '/') {
        const char *slash = strrchr(c->doc->file, '/');
        if (slash && strncmp(c->doc->file, "<builtin>", 9)) {
            dir = c->doc->file;
            dirlen = (int)(slash - dir + 1);
        }
    }
    if (path && (size_t)snprintf(k->partition_table, sizeof k->partition_table, "%.*s%s", dirlen, dir, path) >=
                    sizeof k->partition_table)
        return chipdef_config_fail(c, CHIPDEF_KEY_PARTITION_TABLE, "partition_table: path longer than %d bytes",
                                   CHIPDEF_PATH_MAX - 1);
    return 0;
}

/* app_offset: where the app image the bootloader maps starts in flash (the partition it
 * boots; 0x10000, the factory app, unless given): on an MMU page, as the bootloader
 * needs the flash offset and the load address to agree within the page. */
static int app_offset_of(chipdef_ctx_t *c, const raw_config_t *rc, chipdef_config_t *k)
{
    if (!(c->ov.given & BIT(CHIPDEF_KEY_APP_OFFSET)) && !rc->app_offset)
        k->app_offset = 0x10000;
    if (k->app_offset % k->mmu_page_size) /* whether the app fits the flash, the boot says */
        return chipdef_config_fail(c, CHIPDEF_KEY_APP_OFFSET, "app_offset 0x%x must be a multiple of the MMU page (0x%x)",
                                   k->app_offset, k->mmu_page_size);
    return 0;
}

/* bootloader_cache_32bit_addr: ESP-IDF's CONFIG_BOOTLOADER_CACHE_32BIT_ADDR_QUAD_FLASH
 * (and its _OCTAL_FLASH twin), offered only where the SoC's cache maps 32-bit flash
 * addresses and the flash is over 16 MB (Kconfig: BOOTLOADER_FLASH_32BIT_ADDR). */
static int cache_32bit_addr_of(chipdef_ctx_t *c, const raw_chip_t *r, chipdef_config_t *k)
{
    const char *text = c->ov.given & BIT(CHIPDEF_KEY_BOOTLOADER_CACHE_32BIT_ADDR) ? c->ov.bootloader_cache_32bit_addr
                                                                                 : r->config->bootloader_cache_32bit_addr;
    if (!text)
        return 0;
    if (!bool_of(text, &k->cache_32bit_addr))
        return chipdef_config_fail(c, CHIPDEF_KEY_BOOTLOADER_CACHE_32BIT_ADDR,
                                   "bad bootloader_cache_32bit_addr '%s' (expected true or false)", text);
    if (k->cache_32bit_addr && !r->soc.cache_32bit_addr_map)
        return chipdef_config_fail(c, CHIPDEF_KEY_BOOTLOADER_CACHE_32BIT_ADDR,
                                   "bootloader_cache_32bit_addr: this chip's cache cannot map 32-bit flash addresses "
                                   "(soc.cache_32bit_addr_map, SOC_SPI_MEM_SUPPORT_CACHE_32BIT_ADDR_MAP, is false)");
    if (k->cache_32bit_addr && k->flash_size <= (16u << 20))
        return chipdef_config_fail(c, CHIPDEF_KEY_BOOTLOADER_CACHE_32BIT_ADDR,
                                   "bootloader_cache_32bit_addr needs a flash over 16 MB (flash_size is %u bytes)",
                                   k->flash_size);
    return 0;
}

/* secure_enable_tee: ESP-IDF's CONFIG_SECURE_ENABLE_TEE, offered where esp_tee's Kconfig
 * offers it (soc.tee_supported: ESP32-C5, C6, C61, H2), from the release soc.tee_since
 * names (v5.5 on C6 and H2, v5.5.2 on C5, v6.0 on C61).  Its trims of the esp_mmu_map
 * region are the regions' (chipdef_convert_regions). */
static int tee_of(chipdef_ctx_t *c, const raw_chip_t *r, chipdef_t *d)
{
    chipdef_config_t *k = &d->config;
    if (r->soc.tee_since && !(d->tee_since = chipdef_idf_version_code(r->soc.tee_since)))
        return ydoc_fail(c->err, c->doc, at(ydoc_get(c->root, "soc"), "tee_since"),
                         "bad tee_since '%s' (expected vX.Y or vX.Y.Z from v5.1 to v6.1)", r->soc.tee_since);
    const char *text = c->ov.given & BIT(CHIPDEF_KEY_SECURE_ENABLE_TEE) ? c->ov.secure_enable_tee
                                                                       : r->config->secure_enable_tee;
    if (!text)
        return 0;
    if (!bool_of(text, &k->secure_enable_tee))
        return chipdef_config_fail(c, CHIPDEF_KEY_SECURE_ENABLE_TEE, "bad secure_enable_tee '%s' (expected true or false)",
                                   text);
    if (k->secure_enable_tee && !r->soc.tee_supported)
        return chipdef_config_fail(c, CHIPDEF_KEY_SECURE_ENABLE_TEE,
                                   "secure_enable_tee: ESP-IDF offers ESP-TEE only on ESP32-C5, C6, C61 and H2 "
                                   "(soc.tee_supported is false)");
    if (k->secure_enable_tee && k->idf_version_code < d->tee_since)
        return chipdef_config_fail(c, CHIPDEF_KEY_SECURE_ENABLE_TEE,
                                   "secure_enable_tee: ESP-IDF offers ESP-TEE on this chip from %s (soc.tee_since); "
                                   "idf_version is %s",
                                   r->soc.tee_since, k->idf_version);
    if (k->secure_enable_tee && (CHIPDEF_TEE_IROM_SIZE + CHIPDEF_TEE_DROM_SIZE) % k->mmu_page_size)
        return chipdef_config_fail(c, CHIPDEF_KEY_SECURE_ENABLE_TEE,
                                   "secure_enable_tee: ESP-TEE's 0x%x bytes of IROM and DROM are not whole pages of 0x%x",
                                   CHIPDEF_TEE_IROM_SIZE + CHIPDEF_TEE_DROM_SIZE, k->mmu_page_size);
    return 0;
}

/* One of the XIP-from-PSRAM booleans (file or override): -1 bad word or not offered,
 * 0 not given or false, 1 true.  `split` says whether the key is one of the two with
 * their own Kconfig prompt (ESP32-S2, S3) or the combined SPIRAM_XIP_FROM_PSRAM. */
static int xip_key_of(chipdef_ctx_t *c, const raw_chip_t *r, chipdef_key_t key, const char *ov, const char *file,
                      bool split)
{
    const char *text = c->ov.given & BIT(key) ? ov : file;
    bool on = false;
    if (!text)
        return 0;
    if (!bool_of(text, &on))
        return chipdef_config_fail(c, key, "bad %s '%s' (expected true or false)", keys[key].name, text);
    if (!on)
        return 0;
    if (!r->soc.spiram_xip_supported)
        return chipdef_config_fail(c, key,
                                   "%s: this chip cannot execute from PSRAM (soc.spiram_xip_supported, "
                                   "SOC_SPIRAM_XIP_SUPPORTED, is false; ESP-IDF's Kconfig has no CONFIG_%s here)",
                                   keys[key].name, key == CHIPDEF_KEY_SPIRAM_RODATA ? "SPIRAM_RODATA"
                                                   : key == CHIPDEF_KEY_SPIRAM_FETCH_INSTRUCTIONS
                                                       ? "SPIRAM_FETCH_INSTRUCTIONS"
                                                       : "SPIRAM_XIP_FROM_PSRAM");
    if (split && !r->soc.spiram_xip_split_options)
        return chipdef_config_fail(c, key,
                                   "%s: this chip's Kconfig.spiram has no prompt for it; spiram_xip_from_psram "
                                   "selects both it and its twin", keys[key].name);
    if (!c->cfg->psram_size)
        return chipdef_config_fail(c, key, "%s needs PSRAM (psram_size is 0)", keys[key].name);
    return 1;
}

/* spiram_fetch_instructions, spiram_rodata and spiram_xip_from_psram, which selects
 * both (esp_psram/<chip>/Kconfig.spiram). */
static int xip_of(chipdef_ctx_t *c, const raw_chip_t *r, chipdef_t *d)
{
    chipdef_config_t *k = &d->config;
    const raw_config_t *rc = r->config;
    int text = xip_key_of(c, r, CHIPDEF_KEY_SPIRAM_FETCH_INSTRUCTIONS, c->ov.spiram_fetch_instructions,
                          rc->spiram_fetch_instructions, true);
    int ro = xip_key_of(c, r, CHIPDEF_KEY_SPIRAM_RODATA, c->ov.spiram_rodata, rc->spiram_rodata, true);
    int both = xip_key_of(c, r, CHIPDEF_KEY_SPIRAM_XIP_FROM_PSRAM, c->ov.spiram_xip_from_psram,
                          rc->spiram_xip_from_psram, false);
    if (text < 0 || ro < 0 || both < 0)
        return -1;
    k->spiram_fetch_instructions = text || both;
    k->spiram_rodata = ro || both;
    return 0;
}

/* partition_table_md5: ESP-IDF's CONFIG_PARTITION_TABLE_MD5, on unless the config turns
 * it off (Kconfig's default; gen_esp32part.py's --disable-md5sum when off).  Every chip
 * offers it: Kconfig hides it only for the Linux target and pre-v3.1 bootloaders. */
static int md5_of(chipdef_ctx_t *c, const raw_config_t *rc, chipdef_config_t *k)
{
    const char *text = c->ov.given & BIT(CHIPDEF_KEY_PARTITION_TABLE_MD5) ? c->ov.partition_table_md5
                                                                         : rc->partition_table_md5;
    k->partition_table_md5 = true;
    if (text && !bool_of(text, &k->partition_table_md5))
        return chipdef_config_fail(c, CHIPDEF_KEY_PARTITION_TABLE_MD5,
                                   "bad partition_table_md5 '%s' (expected true or false)", text);
    return 0;
}

/* The config in force: each key from its override if there is one, else from the file,
 * else its default; then the rules every value must meet. */
int chipdef_convert_config(chipdef_ctx_t *c, const raw_chip_t *r, chipdef_t *d)
{
    const ydoc_node_t *cn = ydoc_get(c->root, "config");
    const raw_config_t *rc = r->config;
    c->ov = c->typed ? *c->typed : (chipdef_overrides_t){0};
    if (!c->ov.idf_version) /* a name given as NULL is not given */
        c->ov.given &= ~BIT(CHIPDEF_KEY_IDF_VERSION);
    if (!c->ov.psram_mode)
        c->ov.given &= ~BIT(CHIPDEF_KEY_PSRAM_MODE);
    if (!c->ov.partition_table)
        c->ov.given &= ~BIT(CHIPDEF_KEY_PARTITION_TABLE);
    if (!c->ov.bootloader_cache_32bit_addr)
        c->ov.given &= ~BIT(CHIPDEF_KEY_BOOTLOADER_CACHE_32BIT_ADDR);
    if (!c->ov.secure_enable_tee)
        c->ov.given &= ~BIT(CHIPDEF_KEY_SECURE_ENABLE_TEE);
    if (!c->ov.spiram_mode)
        c->ov.given &= ~BIT(CHIPDEF_KEY_SPIRAM_MODE);
    if (!c->ov.flash_mode)
        c->ov.given &= ~BIT(CHIPDEF_KEY_FLASH_MODE);
    if (!c->ov.spiram_fetch_instructions)
        c->ov.given &= ~BIT(CHIPDEF_KEY_SPIRAM_FETCH_INSTRUCTIONS);
    if (!c->ov.spiram_rodata)
        c->ov.given &= ~BIT(CHIPDEF_KEY_SPIRAM_RODATA);
    if (!c->ov.spiram_xip_from_psram)
        c->ov.given &= ~BIT(CHIPDEF_KEY_SPIRAM_XIP_FROM_PSRAM);
    if (!c->ov.partition_table_md5)
        c->ov.given &= ~BIT(CHIPDEF_KEY_PARTITION_TABLE_MD5);
    if (parse_sets(c))
        return -1;
    const uint64_t given = c->ov.given;
    chipdef_config_t *k = &d->config;
    c->cfg = k;
    if (!(given & BIT(CHIPDEF_KEY_FLASH_SIZE)) && !rc->flash_size)
        return ydoc_fail(c->err, c->doc, cn, "missing required key 'flash_size'");
    const char *file_size[] = {rc->flash_size,    rc->psram_size,    rc->mmu_page_size,
                               rc->spiram_bankswitch_reserve, rc->app_irom_size, rc->app_drom_size,
                               rc->partition_table_offset, rc->app_offset,
                               rc->dcache_size, rc->dcache_ways, rc->dcache_line_size,
                               rc->icache_size, rc->icache_ways, rc->icache_line_size,
                               rc->l2_cache_size, rc->l2_cache_line_size, rc->spiram_speed, rc->flash_freq,
                               rc->cpu_freq_mhz};
    for (chipdef_key_t key = 0; is_size_key(key); key++) {
        uint32_t *v = cfg_size(k, key);
        if (given & BIT(key)) {
            *v = *ov_size(&c->ov, key);
            if (*v > keys[key].max)
                return chipdef_config_fail(c, key, "%s %u is above the largest allowed, %llu", keys[key].name, *v,
                                           (unsigned long long)keys[key].max);
        } else if (file_size[key] && size_of(c, at(cn, keys[key].name), file_size[key], keys[key].max, v)) {
            return -1;
        }
    }
    const char *version = rc->idf_version ? rc->idf_version : "master";
    if (given & BIT(CHIPDEF_KEY_IDF_VERSION))
        version = c->ov.idf_version;
    copy_name(k->idf_version, sizeof k->idf_version, version);
    k->idf_version_code = chipdef_idf_version_code(k->idf_version);
    if (!k->idf_version_code)
        return chipdef_config_fail(c, CHIPDEF_KEY_IDF_VERSION,
                                   "bad idf_version '%s' (expected master, or vX.Y or vX.Y.Z from v5.1 to v6.1)",
                                   k->idf_version);
    if (partition_table_of(c, rc, k))
        return -1;
    /* The SPI modes' names are checked against the device's modes when the stores convert. */
    const char *spi_mode = given & BIT(CHIPDEF_KEY_SPIRAM_MODE) ? c->ov.spiram_mode : rc->spiram_mode;
    if (spi_mode && snprintf(k->spiram_mode, sizeof k->spiram_mode, "%s", spi_mode) >= (int)sizeof k->spiram_mode)
        return chipdef_config_fail(c, CHIPDEF_KEY_SPIRAM_MODE, "bad spiram_mode '%s' (expected quad, oct or hex)",
                                   spi_mode);
    spi_mode = given & BIT(CHIPDEF_KEY_FLASH_MODE) ? c->ov.flash_mode : rc->flash_mode;
    if (spi_mode && snprintf(k->flash_mode, sizeof k->flash_mode, "%s", spi_mode) >= (int)sizeof k->flash_mode)
        return chipdef_config_fail(c, CHIPDEF_KEY_FLASH_MODE,
                                   "bad flash_mode '%s' (expected qio, qout, dio, dout or opi)", spi_mode);
    const char *mode = given & BIT(CHIPDEF_KEY_PSRAM_MODE) ? c->ov.psram_mode : rc->psram_mode;
    if (mode && !psram_mode_of(mode, &k->psram_lowhigh))
        return chipdef_config_fail(c, CHIPDEF_KEY_PSRAM_MODE, "bad psram_mode '%s' (expected one of: normal, lowhigh)",
                                   mode);
    if (!k->mmu_page_size) {
        if (r->mmu.auto_page_size) /* the bootloader's choice on C2/C6/H2 */
            k->mmu_page_size = k->flash_size <= (1u << 20) ? 0x4000 : k->flash_size <= (2u << 20) ? 0x8000 : 0x10000;
        else
            k->mmu_page_size = 1u << __builtin_ctz(d->page_sizes);
        if (!(d->page_sizes & k->mmu_page_size))
            return ydoc_fail(c->err, c->doc, at(ydoc_get(c->root, "mmu"), "page_sizes"),
                             "the page size chosen for %u bytes of flash (0x%x) is not in page_sizes",
                             k->flash_size, k->mmu_page_size);
    }
    if (!is_pow2(k->mmu_page_size) || !(d->page_sizes & k->mmu_page_size)) {
        char allowed[80] = "";
        for (uint32_t bit = 12; bit < 21; bit++)
            if (d->page_sizes & (1u << bit)) {
                char one[8];
                snprintf(one, sizeof one, "%uK", (1u << bit) / 1024u);
                ydoc_list_add(allowed, sizeof allowed, one);
            }
        return chipdef_config_fail(c, CHIPDEF_KEY_MMU_PAGE_SIZE,
                                   "mmu_page_size 0x%x is not a page size this chip allows (allowed: %s)",
                                   k->mmu_page_size, allowed);
    }
    if (d->linear_pages)
        d->linear_mask = d->linear_pages * k->mmu_page_size - 1;
    return app_offset_of(c, rc, k) || cache_32bit_addr_of(c, r, k) || tee_of(c, r, d) || xip_of(c, r, d) ||
           md5_of(c, rc, k);
}
