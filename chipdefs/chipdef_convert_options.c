/* chipdef_convert_options.c - the sdkconfig choices a board is built with that change
 * the memories' timing or shape: the geometry of the caches ESP-IDF lets a project size
 * (ESP32-S2/S3 L1, ESP32-P4 L2), the SPI mode and clock of flash and PSRAM, and the CPU
 * clock.  Each chip definition lists what its Kconfig offers (allowed_sizes,
 * allowed_ways, allowed_line_sizes and max_lines of a cache; modes and speeds_mhz of a
 * device; cpu_speeds_mhz); the config keys choose among them, and a value the chip does
 * not offer is refused where it came from.  The SPI
 * modes' phases are the standard protocols', in one table here. */
#include "chipdef_convert.h"

/* A mode's phases in device clocks.  Flash: ESP-IDF's spi_flash_defs.h (8-bit command
 * on one line; SPI_FLASH_*_ADDR_BITLEN address bits on the mode's address lines;
 * SPI_FLASH_*_DUMMY_BITLEN dummy clocks, mode bits included).  PSRAM: quad is the
 * ESP-PSRAM QPI read of hardware-and-hazards.md §3 (command and 24-bit address on four
 * lines, 6 dummy clocks); oct and hex keep the phases esp32s3.yaml and esp32p4.yaml
 * had (16-bit command and 32-bit address on 8 lines DDR; read latency 16 and 14). */
typedef struct {
    const char *name;
    bool psram;
    uint8_t lines, cmd, addr, dummy;
    bool ddr;
} spi_mode_t;

static const spi_mode_t modes[] = {
    {"qio", false, 4, 8, 6, 6, false},   {"qout", false, 4, 8, 24, 8, false},
    {"dio", false, 2, 8, 12, 4, false},  {"dout", false, 2, 8, 24, 8, false},
    /* SPI_FLASH_OPIDTR: 16-bit command, 32-bit address, DDR; [ASSUMPTION] its dummy
     * bit length of 40 counts edges, 20 clocks. */
    {"opi", false, 8, 1, 2, 20, true},
    {"quad", true, 4, 2, 6, 6, false},   {"oct", true, 8, 1, 2, 16, true},
    {"hex", true, 16, 1, 2, 14, true},
};
#define MODE_COUNT (sizeof modes / sizeof modes[0])

const char *chipdef_spi_mode_name(uint32_t i) { return i < MODE_COUNT ? modes[i].name : NULL; }

/* The index of mode `name` for flash or PSRAM, or -1. */
static int mode_index(const char *name, bool psram)
{
    for (uint32_t i = 0; i < MODE_COUNT; i++)
        if (modes[i].psram == psram && !strcmp(modes[i].name, name))
            return (int)i;
    return -1;
}

static void mode_names(bool psram, uint32_t set, char *buf, size_t n)
{
    buf[0] = 0;
    for (uint32_t i = 0; i < MODE_COUNT; i++)
        if (modes[i].psram == psram && (set >> i & 1))
            ydoc_list_add(buf, n, modes[i].name);
}

static bool has_speed(const chipdef_spi_mem_t *o, uint32_t mhz)
{
    for (size_t i = 0; i < sizeof o->speeds_mhz / sizeof o->speeds_mhz[0] && o->speeds_mhz[i]; i++)
        if (o->speeds_mhz[i] == mhz)
            return true;
    return false;
}

int chipdef_convert_spi_options(chipdef_ctx_t *c, const raw_spi_t *s, chipdef_spi_mem_t *o, const ydoc_node_t *sn,
                                bool psram)
{
    const char *what = psram ? "psram" : "flash";
    for (unsigned i = 0; i < s->modes_count; i++) {
        int m = mode_index(s->modes[i], psram);
        if (m < 0) {
            char names[80];
            mode_names(psram, ~0u, names, sizeof names);
            return ydoc_fail(c->err, c->doc, at_item(sn, "modes", i), "%s: unknown mode '%s' (expected %s)", what,
                             s->modes[i], names);
        }
        o->modes |= 1u << m;
    }
    if (s->mode) {
        int m = mode_index(s->mode, psram);
        if (m < 0) {
            char names[80];
            mode_names(psram, ~0u, names, sizeof names);
            return ydoc_fail(c->err, c->doc, at(sn, "mode"), "%s: unknown mode '%s' (expected %s)", what, s->mode,
                             names);
        }
        const spi_mode_t *p = &modes[m];
        /* The phases written beside the mode must be the mode's, so that choosing it
         * again by config changes nothing. */
        if (o->lines != p->lines || o->ddr != p->ddr || o->cmd_clocks != p->cmd || o->addr_clocks != p->addr ||
            o->dummy_clocks != p->dummy)
            return ydoc_fail(c->err, c->doc, at(sn, "mode"),
                             "%s: mode %s has %u lines%s, %u command, %u address and %u dummy clocks; the phases "
                             "here differ", what, p->name, p->lines, p->ddr ? " DDR" : "", p->cmd, p->addr, p->dummy);
        copy_name(o->mode, sizeof o->mode, p->name);
        o->modes |= 1u << m;
    } else if (s->modes_count) {
        return ydoc_fail(c->err, c->doc, at(sn, "modes"), "%s: modes needs mode, the one the phases describe", what);
    }
    size_t n = 0;
    for (unsigned i = 0; i < s->speeds_mhz_count; i++) {
        uint32_t mhz = 0;
        if (size_of(c, at_item(sn, "speeds_mhz", i), s->speeds_mhz[i], 1000, &mhz))
            return -1;
        if (!mhz)
            return ydoc_fail(c->err, c->doc, at_item(sn, "speeds_mhz", i), "%s: a clock of 0 MHz", what);
        if (!has_speed(o, mhz))
            o->speeds_mhz[n++] = (uint16_t)mhz;
    }
    if (!has_speed(o, o->clock_mhz)) {
        if (n == sizeof o->speeds_mhz / sizeof o->speeds_mhz[0])
            return ydoc_fail(c->err, c->doc, at(sn, "speeds_mhz"), "%s: at most 7 speeds besides clock_mhz", what);
        o->speeds_mhz[n++] = (uint16_t)o->clock_mhz;
    }

    /* The config's choices. */
    const chipdef_config_t *k = c->cfg;
    const char *want = psram ? k->spiram_mode : k->flash_mode;
    chipdef_key_t mode_key = psram ? CHIPDEF_KEY_SPIRAM_MODE : CHIPDEF_KEY_FLASH_MODE;
    if (want[0]) {
        int m = mode_index(want, psram);
        char names[80];
        mode_names(psram, o->modes, names, sizeof names);
        if (m < 0 || !(o->modes >> m & 1))
            return chipdef_config_fail(c, mode_key, "%s_mode '%s' is not one this chip offers (%s)",
                                       psram ? "spiram" : "flash", want, o->modes ? names : "it names no modes");
        const spi_mode_t *p = &modes[m];
        o->lines = p->lines, o->ddr = p->ddr, o->cmd_clocks = p->cmd, o->addr_clocks = p->addr;
        o->dummy_clocks = p->dummy;
        copy_name(o->mode, sizeof o->mode, p->name);
    }
    uint32_t speed = psram ? k->spiram_speed : k->flash_freq;
    if (speed) {
        if (!has_speed(o, speed)) {
            char list[80] = "", one[8];
            for (size_t i = 0; i < sizeof o->speeds_mhz / sizeof o->speeds_mhz[0] && o->speeds_mhz[i]; i++) {
                snprintf(one, sizeof one, "%u", o->speeds_mhz[i]);
                ydoc_list_add(list, sizeof list, one);
            }
            return chipdef_config_fail(c, psram ? CHIPDEF_KEY_SPIRAM_SPEED : CHIPDEF_KEY_FLASH_FREQ,
                                       "%s %u MHz is not a clock this chip offers (%s MHz)",
                                       psram ? "spiram_speed" : "flash_freq", speed, list);
        }
        o->clock_mhz = speed;
    }
    return 0;
}

/* The CPU clock: cpu_mhz (ESP-IDF's default) and the others cpu_speeds_mhz lists, then
 * the config's cpu_freq_mhz among them.  Every cycle count of the timing model is at
 * this clock (an SPI transfer's nanoseconds become more cycles at a faster CPU). */
int chipdef_convert_cpu_clock(chipdef_ctx_t *c, const raw_chip_t *r, chipdef_t *d)
{
    const size_t max = sizeof d->cpu_speeds_mhz / sizeof d->cpu_speeds_mhz[0];
    size_t n = 0;
    bool listed = false;
    for (unsigned i = 0; i < r->cpu_speeds_mhz_count; i++) {
        uint32_t mhz = 0;
        if (size_of(c, at_item(c->root, "cpu_speeds_mhz", i), r->cpu_speeds_mhz[i], 2000, &mhz))
            return -1;
        if (!mhz)
            return ydoc_fail(c->err, c->doc, at_item(c->root, "cpu_speeds_mhz", i), "cpu_speeds_mhz: a clock of 0 MHz");
        bool seen = false;
        for (size_t j = 0; j < n; j++)
            seen |= d->cpu_speeds_mhz[j] == mhz;
        if (!seen)
            d->cpu_speeds_mhz[n++] = (uint16_t)mhz;
        listed |= mhz == d->cpu_mhz;
    }
    if (!listed) {
        if (n == max)
            return ydoc_fail(c->err, c->doc, at(c->root, "cpu_speeds_mhz"), "at most 7 CPU clocks besides cpu_mhz");
        d->cpu_speeds_mhz[n++] = (uint16_t)d->cpu_mhz;
    }
    uint32_t want = d->config.cpu_freq_mhz;
    if (!want)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (d->cpu_speeds_mhz[i] == want) {
            d->cpu_mhz = want;
            return 0;
        }
    char list[80] = "", one[8];
    for (size_t i = 0; i < n; i++) {
        snprintf(one, sizeof one, "%u", d->cpu_speeds_mhz[i]);
        ydoc_list_add(list, sizeof list, one);
    }
    return chipdef_config_fail(c, CHIPDEF_KEY_CPU_FREQ_MHZ, "cpu_freq_mhz %u MHz is not a CPU clock this chip offers (%s MHz)",
                               want, list);
}

/* Which config keys size a cache: the level-1 data (or unified) cache, the level-1
 * instruction cache, or the level-2 cache. */
typedef struct {
    chipdef_key_t size, ways, line;
    const char *name; /* "dcache" */
} cache_keys_t;

static const cache_keys_t dkeys = {CHIPDEF_KEY_DCACHE_SIZE, CHIPDEF_KEY_DCACHE_WAYS, CHIPDEF_KEY_DCACHE_LINE_SIZE, "dcache"};
static const cache_keys_t ikeys = {CHIPDEF_KEY_ICACHE_SIZE, CHIPDEF_KEY_ICACHE_WAYS, CHIPDEF_KEY_ICACHE_LINE_SIZE, "icache"};
static const cache_keys_t l2keys = {CHIPDEF_KEY_L2_CACHE_SIZE, CHIPDEF_KEY_COUNT, CHIPDEF_KEY_L2_CACHE_LINE_SIZE,
                                    "l2_cache"};

static const cache_keys_t *keys_of(const chipdef_cache_t *o)
{
    if (o->level == 2)
        return &l2keys;
    return o->kind == CHIPDEF_CACHE_INSTRUCTION ? &ikeys : &dkeys;
}

static uint32_t cfg_value(const chipdef_config_t *k, chipdef_key_t key)
{
    switch (key) {
        case CHIPDEF_KEY_DCACHE_SIZE: return k->dcache_size;
        case CHIPDEF_KEY_DCACHE_WAYS: return k->dcache_ways;
        case CHIPDEF_KEY_DCACHE_LINE_SIZE: return k->dcache_line_size;
        case CHIPDEF_KEY_ICACHE_SIZE: return k->icache_size;
        case CHIPDEF_KEY_ICACHE_WAYS: return k->icache_ways;
        case CHIPDEF_KEY_ICACHE_LINE_SIZE: return k->icache_line_size;
        case CHIPDEF_KEY_L2_CACHE_SIZE: return k->l2_cache_size;
        case CHIPDEF_KEY_L2_CACHE_LINE_SIZE: return k->l2_cache_line_size;
        default: return 0;
    }
}

/* A list of sizes (or counts) from the file into a bit set: bit log2(v), or with
 * `counts` bit v. */
static int allowed_of(chipdef_ctx_t *c, const ydoc_node_t *kn, const char *key, char **items, unsigned count,
                      bool counts, uint64_t *set)
{
    for (unsigned i = 0; i < count; i++) {
        uint32_t v = 0;
        if (size_of(c, at_item(kn, key, i), items[i], counts ? 64 : (1u << 31), &v))
            return -1;
        if (!v || (!counts && !is_pow2(v)))
            return ydoc_fail(c->err, c->doc, at_item(kn, key, i), "%s: %u is not %s", key, v,
                             counts ? "a count of ways (1..64)" : "a power of two");
        *set |= counts ? 1ull << v : 1ull << __builtin_ctz(v);
    }
    return 0;
}

static void set_text(uint64_t set, bool counts, char *buf, size_t n)
{
    buf[0] = 0;
    for (unsigned b = 0; b < 64; b++)
        if (set >> b & 1) {
            char one[16];
            if (counts)
                snprintf(one, sizeof one, "%u", b);
            else if (b >= 10)
                snprintf(one, sizeof one, "%uK", 1u << (b - 10));
            else
                snprintf(one, sizeof one, "%u", 1u << b);
            ydoc_list_add(buf, n, one);
        }
}

/* One of size, ways or line: the config's value if it gives one the cache allows. */
static int choose(chipdef_ctx_t *c, const chipdef_cache_t *o, chipdef_key_t key, const char *what, uint64_t allowed,
                  bool counts, uint32_t *field)
{
    uint32_t v = key < CHIPDEF_KEY_COUNT ? cfg_value(c->cfg, key) : 0;
    if (!v)
        return 0;
    uint64_t bit = counts ? (v < 64 ? 1ull << v : 0) : (is_pow2(v) ? 1ull << __builtin_ctz(v) : 0);
    uint64_t own = counts ? (*field < 64 ? 1ull << *field : 0) : 1ull << __builtin_ctz(*field);
    if (!(bit & (allowed | own))) {
        char list[120];
        set_text(allowed | own, counts, list, sizeof list);
        return chipdef_config_fail(c, key, "%s %u is not a %s cache '%s' offers (%s)", chipdef_config_key(key), v,
                                   what, o->name, list);
    }
    *field = v;
    return 0;
}

int chipdef_convert_cache_options(chipdef_ctx_t *c, const raw_cache_t *k, chipdef_cache_t *o, const ydoc_node_t *kn)
{
    uint64_t sizes = 0, ways = 0, lines = 0;
    if (allowed_of(c, kn, "allowed_sizes", k->allowed_sizes, k->allowed_sizes_count, false, &sizes) ||
        allowed_of(c, kn, "allowed_ways", k->allowed_ways, k->allowed_ways_count, true, &ways) ||
        allowed_of(c, kn, "allowed_line_sizes", k->allowed_line_sizes, k->allowed_line_sizes_count, false, &lines))
        return -1;
    o->allowed_sizes = (uint32_t)sizes;
    o->allowed_lines = (uint32_t)lines;
    o->allowed_ways = ways;
    o->max_lines = k->max_lines;
    const cache_keys_t *ks = keys_of(o);
    if (choose(c, o, ks->size, "size", sizes, false, &o->size) || choose(c, o, ks->ways, "way count", ways, true, &o->ways) ||
        choose(c, o, ks->line, "line size", lines, false, &o->line_size))
        return -1;
    /* The tag memory holds so many lines: ESP-IDF offers the small lines only with the
     * small sizes (Kconfig's depends on). */
    if (o->max_lines && o->size / o->line_size > o->max_lines) {
        chipdef_key_t key = cfg_value(c->cfg, ks->line) ? ks->line : ks->size;
        return chipdef_config_fail(c, key,
                                   "cache %s: %u bytes in %u-byte lines is %u lines, more than the %u it can tag "
                                   "(choose a larger line or a smaller cache)",
                                   o->name, o->size, o->line_size, o->size / o->line_size, o->max_lines);
    }
    return 0;
}

int chipdef_check_cache_options_used(chipdef_ctx_t *c, const chipdef_t *d)
{
    const cache_keys_t *all[] = {&dkeys, &ikeys, &l2keys};
    for (size_t i = 0; i < 3; i++) {
        bool found = false;
        for (unsigned j = 0; j < d->cache_count; j++)
            found |= keys_of(&d->caches[j]) == all[i];
        chipdef_key_t given[] = {all[i]->size, all[i]->ways, all[i]->line};
        for (size_t g = 0; !found && g < 3; g++)
            if (given[g] < CHIPDEF_KEY_COUNT && cfg_value(&d->config, given[g]))
                return chipdef_config_fail(c, given[g], "%s: this chip has no %s", chipdef_config_key(given[g]),
                                           all[i] == &l2keys ? "level-2 cache"
                                           : all[i] == &ikeys ? "level-1 instruction cache"
                                                              : "level-1 data cache");
    }
    return 0;
}
