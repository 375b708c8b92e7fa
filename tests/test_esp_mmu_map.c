/* test_esp_mmu_map.c - the map driver through its public API on simulated chips:
 * placement, relation rules, errors and their log lines, conversions, the dump.
 *
 * Tests are grouped by the section of esp-idf-behaviour.md they check (§1.x the driver,
 * §6 Espressif's own test cases); the loop tests run once per chip of CHIPS.  Unless a
 * test says otherwise a chip is booted with the app at 256 KB IROM + 128 KB DROM and
 * without PSRAM (open_bare), so its regions are those of §5.2 less the app: the per-chip
 * numbers in CHIPS follow from §5.2 by hand, not from the driver.  Besides the public API
 * the tests use the driver's private boot calls (§1.12, the private dump) and, for set-up
 * only, the HAL's cache bus switch. */
#include <check.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "esp_log.h"
#include "esp_mmu_map.h"
#include "hal/mmu_hal.h"
#include "esp_private/esp_mmu_map_private.h"
#include "hal/cache_ll.h"
#include "mmsim.h"

/* ---- helpers ------------------------------------------------------------------------ */

#define KB(n) ((uint32_t)(n) * 1024u)
#define MB(n) ((uint32_t)(n) * 1024u * 1024u)
#define PG 0x10000u /* the 64 KB MMU page of every chip at its default flash size */
#define FLASH MMU_TARGET_FLASH0
#define PSRAM MMU_TARGET_PSRAM0
#define R MMU_MEM_CAP_READ
#define W MMU_MEM_CAP_WRITE
#define X MMU_MEM_CAP_EXEC
#define B8 MMU_MEM_CAP_8BIT
#define B32 MMU_MEM_CAP_32BIT
#define SHARED ESP_MMU_MMAP_FLAG_PADDR_SHARED

#define assert_hex(a, b)                                                                                 \
    do {                                                                                                 \
        uint32_t a_ = (uint32_t)(a), b_ = (uint32_t)(b);                                                 \
        ck_assert_msg(a_ == b_, "%s is 0x%x, expected 0x%x (%s)", #a, (unsigned)a_, (unsigned)b_, #b);   \
    } while (0)

#define assert_err(call, want)                                                                           \
    do {                                                                                                 \
        esp_err_t got_ = (call), want_ = (want);                                                         \
        ck_assert_msg(got_ == want_, "%s returned %s (0x%x), expected %s", #call, esp_err_to_name(got_),  \
                      (unsigned)got_, esp_err_to_name(want_));                                           \
    } while (0)

static uint32_t U(const void *p) { return (uint32_t)(uintptr_t)p; }
static void *V(uint32_t v) { return (void *)(uintptr_t)v; }

/* The machines a test opened; the fixture closes what a failing test left open. */
static mmsim_t *opened[16];
static size_t nopened;
static int invariant_failures; /* found by the fixture, after a test; fails the run */

/* A machine the test opens or closes must still be consistent, driver state included. */
static void assert_invariants(mmsim_t *m)
{
    char why[256];
    ck_assert_msg(mmsim_check_invariants(m, why, sizeof why) == 0, "%s: %s", mmsim_chip_name(m), why);
}

static mmsim_t *open_cfg(const mmsim_config_t *cfg)
{
    mmsim_t *m = NULL;
    ck_assert_msg(mmsim_open(cfg, &m) == 0, "%s", mmsim_last_error());
    ck_assert_uint_lt(nopened, sizeof opened / sizeof opened[0]);
    opened[nopened++] = m;
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
    assert_invariants(m);
    return m;
}

static void close_chip(mmsim_t *m)
{
    assert_invariants(m);
    for (size_t i = 0; i < nopened; i++)
        if (opened[i] == m) {
            opened[i] = opened[--nopened];
            break;
        }
    mmsim_close(m);
}

static mmsim_t *open_chip(const char *name, const char *const *sets, size_t nsets, uint32_t irom, uint32_t drom)
{
    mmsim_config_t cfg = mmsim_config_default(name);
    cfg.sets = sets;
    cfg.nsets = nsets;
    cfg.app_irom_size = irom;
    cfg.app_drom_size = drom;
    return open_cfg(&cfg);
}

static const char *const NO_PSRAM[] = {"psram_size=0"};

/* Logging state is process-wide and tests run in one process (CK_FORK=no). */
static void teardown(void)
{
    esp_log_capture_end();
    esp_log_level_set("*", ESP_LOG_INFO);
    /* Every test leaves consistent machines; a breach fails the run (a teardown
     * cannot fail its test). */
    while (nopened) {
        mmsim_t *m = opened[--nopened];
        char why[256];
        if (mmsim_check_invariants(m, why, sizeof why)) {
            fprintf(stderr, "%s: invariant broken at the end of a test: %s\n", mmsim_chip_name(m), why);
            invariant_failures++;
        }
        mmsim_close(m);
    }
}

/* Start collecting the driver's log lines at `level` (VERBOSE shows the DEBUG ones). */
static void log_begin(esp_log_level_t level)
{
    esp_log_level_set("*", level);
    esp_log_capture_begin();
}

/* The lines collected so far with the parts that vary removed: "E (12) mmap: f(345): m"
 * becomes "E mmap: f(): m".  Restarts the collection.  Caller frees. */
static char *log_take(void)
{
    const char *in = esp_log_capture_text();
    char *out = malloc(strlen(in) + 1), *o = out;
    ck_assert_ptr_nonnull(out);
    const char *p = in;
    while (*p) {
        const char *eol = strchr(p, '\n');
        if (!eol)
            eol = p + strlen(p);
        const char *q = p;
        *o++ = *q++; /* the level letter */
        if (q[0] == ' ' && q[1] == '(') {
            const char *close = memchr(q, ')', (size_t)(eol - q));
            if (close)
                q = close + 1;
        }
        while (q < eol) {
            if (q[0] == '(' && isdigit((unsigned char)q[1])) {
                const char *r = q + 1;
                while (isdigit((unsigned char)*r))
                    r++;
                if (r[0] == ')' && r[1] == ':') {
                    *o++ = '(';
                    q = r;
                    continue;
                }
            }
            *o++ = *q++;
        }
        if (*eol == '\n')
            *o++ = '\n', eol++;
        p = eol;
    }
    *o = '\0';
    esp_log_capture_begin();
    return out;
}

#define assert_log(want)                                                                                 \
    do {                                                                                                 \
        char *got_log_ = log_take();                                                                     \
        const char *want_log_ = (want);                                                                  \
        ck_assert_str_eq(got_log_, want_log_);                                                           \
        free(got_log_);                                                                                  \
    } while (0)

/* The text esp_mmu_map_dump_mapped_blocks writes. */
static char *dump_text(void)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(esp_mmu_map_dump_mapped_blocks(f), ESP_OK);
    fclose(f);
    return text;
}

#define assert_dump(want)                                                                                \
    do {                                                                                                 \
        char *got_dump_ = dump_text();                                                                   \
        const char *want_dump_ = (want);                                                                 \
        ck_assert_str_eq(got_dump_, want_dump_);                                                         \
        free(got_dump_);                                                                                 \
    } while (0)

/* One region of the dump: its value line and how many block lines follow. */
typedef struct {
    unsigned bus, start, free_head, end, caps, max_slot;
    int blocks;
} region_t;

static int dump_regions(region_t *out, int max)
{
    char *text = dump_text();
    int n = 0;
    char *p = text;
    while (n < max && (p = strstr(p, "region ")) != NULL) {
        char *values = strchr(strchr(p, '\n') + 1, '\n') + 1;
        region_t r = {0};
        ck_assert_int_eq(sscanf(values, "%x %x %x %x %x %x", &r.bus, &r.start, &r.free_head, &r.end, &r.caps,
                                &r.max_slot),
                         6);
        char *q = strchr(strchr(strchr(values, '\n') + 1, '\n') + 1, '\n') + 1; /* first block line */
        while (*q && *q != '\n') {
            r.blocks++;
            q = strchr(q, '\n') + 1;
        }
        out[n++] = r;
        p = q;
    }
    free(text);
    return n;
}

static region_t region(int i)
{
    region_t r[8];
    int n = dump_regions(r, 8);
    ck_assert_int_lt(i, n);
    return r[i];
}

static int region_count(void)
{
    region_t r[8];
    return dump_regions(r, 8);
}

static void *map_ok(esp_paddr_t paddr, size_t size, mmu_target_t target, mmu_mem_caps_t caps, int flags)
{
    void *p = NULL;
    esp_err_t e = esp_mmu_map(paddr, size, target, caps, flags, &p);
    ck_assert_msg(e == ESP_OK, "esp_mmu_map(0x%x, 0x%zx, %d, 0x%x, %d) returned %s", (unsigned)paddr, size,
                  (int)target, (unsigned)caps, flags, esp_err_to_name(e));
    ck_assert_uint_eq(U(p) % mmsim_page_size(mmsim_current()), 0);
    return p;
}

static size_t max_slot(mmu_mem_caps_t caps, mmu_target_t target)
{
    size_t len = 0x5a5a5a5a;
    assert_err(esp_mmu_map_get_max_consecutive_free_block_size(caps, target, &len), ESP_OK);
    return len;
}

static uint32_t read32(mmsim_t *m, uint32_t vaddr)
{
    uint32_t w = 0;
    ck_assert_int_eq(mmsim_cpu_read(m, 0, vaddr, &w, 4), 0);
    return w;
}

static uint32_t fetch32(mmsim_t *m, uint32_t vaddr)
{
    uint32_t w = 0;
    ck_assert_int_eq(mmsim_cpu_fetch(m, 0, vaddr, &w, 4), 0);
    return w;
}

static void flash_put32(mmsim_t *m, uint32_t paddr, uint32_t value)
{
    ck_assert_int_eq(mmsim_flash_write(m, paddr, &value, 4), 0);
}

static void assert_no_hazards(mmsim_t *m)
{
    if (mmsim_hazard_count(m)) {
        char line[400];
        ck_abort_msg("%zu hazard(s), first: %s", mmsim_hazard_count(m),
                     mmsim_hazard_format(mmsim_hazard_get(m, 0), line, sizeof line));
    }
}

static void assert_paddr(void *vaddr, esp_paddr_t want_paddr, mmu_target_t want_target)
{
    esp_paddr_t p = 0;
    mmu_target_t t = 0;
    assert_err(esp_mmu_vaddr_to_paddr(vaddr, &p, &t), ESP_OK);
    assert_hex(p, want_paddr);
    ck_assert_int_eq(t, want_target);
}

static uint32_t p2v(esp_paddr_t paddr, mmu_target_t target, mmu_vaddr_t type)
{
    void *v = NULL;
    assert_err(esp_mmu_paddr_to_vaddr(paddr, target, type, &v), ESP_OK);
    return U(v);
}

static mmu_mem_caps_t find_caps(esp_paddr_t paddr)
{
    mmu_mem_caps_t caps = 0;
    assert_err(esp_mmu_paddr_find_caps(paddr, &caps), ESP_OK);
    return caps;
}

/* The text of a file (NULL-terminated, caller frees). */
static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
    long len = ftell(f);
    ck_assert_int_gt(len, 0);
    rewind(f);
    char *text = malloc((size_t)len + 1);
    ck_assert_ptr_nonnull(text);
    ck_assert_uint_eq(fread(text, 1, (size_t)len, f), (size_t)len);
    text[len] = '\0';
    fclose(f);
    return text;
}

/* ESP32-S2's chip file with IRAM0 split into two regions on the same bus, written to
 * <dir>/esp32s2-split.yaml in a new temporary directory (the caller removes both): no
 * shipped table has two regions on one bus. */
static void write_split_s2(char *dir, char *path, size_t size)
{
    char src[600];
    snprintf(src, sizeof src, "%s/chipdefs/esp32s2.yaml", MMSIM_SOURCE_DIR);
    char *text = read_text(src);
    const char *old = "  - {name: IRAM0, start: 0x00080000, end: 0x00400000, bus: [ibus0], targets: [flash, psram],\n"
                      "     caps: [exec, 32bit]}";
    const char *new = "  - {name: IRAM0a, start: 0x00080000, end: 0x00300000, bus: [ibus0], targets: [flash, psram],\n"
                      "     caps: [exec, 32bit]}\n"
                      "  - {name: IRAM0b, start: 0x00300000, end: 0x00400000, bus: [ibus0], targets: [flash, psram],\n"
                      "     caps: [exec, 32bit]}";
    char *at = strstr(text, old);
    ck_assert_ptr_nonnull(at);
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, size, "%s/esp32s2-split.yaml", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fwrite(text, 1, (size_t)(at - text), f);
    fputs(new, f);
    fputs(at + strlen(old), f);
    fclose(f);
    free(text);
}

/* ---- the chips (§5.2, app 256 KB + 128 KB, no PSRAM) ---------------------------------- */

enum {
    ALIAS_SPLIT, /* ESP32/S2: I and D buses have their own linear ranges */
    ALIAS_TWO,   /* S3/C2/C3: one linear range, an IBUS and a DBUS address for it */
    ALIAS_ONE,   /* C6/H2/P4: one address for both */
};

typedef struct {
    const char *name;
    int alias;
    int read_region, exec_region;     /* dump index where READ / EXEC flash maps go first */
    uint32_t read_vaddr, exec_vaddr;  /* the first READ / EXEC map on a fresh chip */
    uint32_t mid_vaddr;               /* a DBUS address in the middle of the READ region */
    uint32_t stray_vaddr;             /* in no window of the region, but masked into it */
    uint32_t irom_vaddr, drom_vaddr;  /* the app's code and rodata, mapped by the bootloader */
    uint32_t read_max, exec_max, any_max; /* get_max for READ, EXEC, and caps 0 / target 0 */
    uint32_t read_pages, exec_pages;  /* free pages that READ / EXEC maps can take */
    uint32_t flash_size;              /* enough for read_pages distinct pages */
    bool psram;                       /* esp_mmu_map takes MMU_TARGET_PSRAM0 (§1.7 #1) */
} chip_t;

static const chip_t CHIPS[] = {
    {"esp32", ALIAS_SPLIT, 1, 0, 0x3F420000, 0x40110000, 0x3F600000, 0, 0x400D0000, 0x3F400000, 0x3E0000,
     0x2F0000, 0x400000, 62, 47, MB(4), false},
    {"esp32s2", ALIAS_SPLIT, 1, 0, 0x3F020000, 0x400C0000, 0x3F200000, 0, 0x40080000, 0x3F000000, 0x780000,
     0x340000, 0x780000, 62 + 48 + 120, 52, MB(16), true},
    {"esp32s3", ALIAS_TWO, 0, 0, 0x3C060000, 0x42060000, 0x3D000000, 0x3E400000, 0x42000000, 0x3C040000,
     0x1FA0000, 0x1FA0000, 0x1FA0000, 506, 506, MB(32), true},
    {"esp32c2", ALIAS_TWO, 0, 0, 0x3C060000, 0x42060000, 0x3C200000, 0x3C600000, 0x42000000, 0x3C040000,
     0x3A0000, 0x3A0000, 0x3A0000, 58, 58, MB(4), false},
    {"esp32c3", ALIAS_TWO, 0, 0, 0x3C060000, 0x42060000, 0x3C400000, 0x3CC00000, 0x42000000, 0x3C040000,
     0x7A0000, 0x7A0000, 0x7A0000, 122, 122, MB(16), false},
    {"esp32c6", ALIAS_ONE, 0, 0, 0x42060000, 0x42060000, 0x42400000, 0x42C00000, 0x42000000, 0x42040000,
     0x7A0000, 0x7A0000, 0x7A0000, 122, 122, MB(16), false},
    {"esp32h2", ALIAS_ONE, 0, 0, 0x42060000, 0x42060000, 0x42400000, 0x42C00000, 0x42000000, 0x42040000,
     0x7A0000, 0x7A0000, 0x7A0000, 122, 122, MB(16), false},
    {"esp32p4", ALIAS_ONE, 0, 0, 0x40060000, 0x40060000, 0x42000000, 0x50400000, 0x40000000, 0x40040000,
     0x3FA0000, 0x3FA0000, 0x4000000, 1018, 1018, MB(64), true},
};
#define NCHIPS ((int)(sizeof CHIPS / sizeof CHIPS[0]))

static const chip_t *chip_named(const char *name)
{
    for (int i = 0; i < NCHIPS; i++)
        if (!strcmp(CHIPS[i].name, name))
            return &CHIPS[i];
    ck_abort_msg("no chip %s", name);
    return NULL;
}

/* The chip with the app of 256 KB + 128 KB, no PSRAM, and flash for read_pages pages. */
static mmsim_t *open_bare(const chip_t *c)
{
    mmsim_config_t cfg = mmsim_config_default(c->name);
    cfg.flash_size = c->flash_size;
    cfg.app_irom_size = KB(256);
    cfg.app_drom_size = KB(128);
    cfg.sets = NO_PSRAM;
    cfg.nsets = 1;
    return open_cfg(&cfg);
}

/* The IBUS address of a DBUS address on ALIAS_TWO chips (0x3C.. -> 0x42..). */
static uint32_t to_ibus(uint32_t dbus_vaddr) { return dbus_vaddr - 0x3C000000u + 0x42000000u; }

/* ======================================================================================
 * §1.1 public types and constants
 * ====================================================================================== */

START_TEST(public_constants_have_the_idf_values)
{
    ck_assert_int_eq(ESP_MMU_MMAP_FLAG_PADDR_SHARED, 1);
    ck_assert_int_eq(MMU_MEM_CAP_EXEC, 0x01);
    ck_assert_int_eq(MMU_MEM_CAP_READ, 0x02);
    ck_assert_int_eq(MMU_MEM_CAP_WRITE, 0x04);
    ck_assert_int_eq(MMU_MEM_CAP_32BIT, 0x08);
    ck_assert_int_eq(MMU_MEM_CAP_8BIT, 0x10);
    ck_assert_int_eq(MMU_TARGET_FLASH0, 0x1);
    ck_assert_int_eq(MMU_TARGET_PSRAM0, 0x2);
    ck_assert_int_eq(MMU_VADDR_DATA, 0x1);
    ck_assert_int_eq(MMU_VADDR_INSTRUCTION, 0x2);
    ck_assert_uint_eq(sizeof(esp_paddr_t), 4);
    ck_assert_uint_eq(sizeof(esp_vaddr_t), 4);
}
END_TEST

/* Only bit 0 of flags means anything. */
START_TEST(only_flag_bit_0_counts)
{
    mmsim_t *m = open_bare(chip_named("esp32s3"));
    void *a = map_ok(0x200000, 2 * PG, FLASH, R, 0), *p = NULL;
    assert_err(esp_mmu_map(0x210000, 2 * PG, FLASH, R, 0xFE, &p), ESP_ERR_INVALID_ARG);
    assert_err(esp_mmu_map(0x210000, PG, FLASH, R, ~1, &p), ESP_ERR_INVALID_STATE);
    assert_hex(U(p), U(a) + PG);
    assert_hex(U(map_ok(0x210000, 2 * PG, FLASH, R, 0x7)), U(a) + 2 * PG);
    assert_no_hazards(m);
}
END_TEST

/* ======================================================================================
 * §1.3 start-up: the app's reservation, coalescing, PSRAM heap (seen through the dump)
 * ====================================================================================== */

/* App sizes that are not page multiples: 0x11000 -> 2 pages, 0x9000 -> 1 page. */
START_TEST(boot_reserves_the_app_from_each_region_start)
{
    const chip_t *c = &CHIPS[_i];
    mmsim_t *m = open_chip(c->name, NO_PSRAM, 1, 0x11000, 0x9000);
    (void)m;
    if (c->alias == ALIAS_SPLIT) {
        /* IROM reserved in the instruction region, DROM in the first data region. */
        region_t i = region(0), d = region(1);
        assert_hex(i.free_head, i.start + 0x20000);
        assert_hex(i.max_slot, i.end - i.free_head);
        assert_hex(d.free_head, d.start + 0x10000);
        assert_hex(d.max_slot, d.end - d.free_head);
        for (int k = 2; k < region_count(); k++)
            assert_hex(region(k).free_head, region(k).start);
    } else {
        /* I and D share the region: the app occupies [start, start + irom + drom). */
        region_t r = region(0);
        assert_hex(r.start, 0);
        assert_hex(r.free_head, 0x30000);
        assert_hex(r.max_slot, r.end - 0x30000);
        if (region_count() > 1) /* P4's PSRAM region: untouched without PSRAM */
            assert_hex(region(1).free_head, region(1).start);
    }
    /* The first data mapping lands right at the free head. */
    void *p = map_ok(0x200000, 1, FLASH, R, 0);
    region_t r = region(c->read_region);
    assert_hex(U(p), c->read_vaddr - (c->alias == ALIAS_SPLIT ? 0x10000 : 0x30000));
    assert_paddr(p, 0x200000, FLASH);
    ck_assert_int_eq(r.blocks, 1);
}
END_TEST

/* C2/C6/H2 page size by flash size: the app and blocks round to the 16/32 KB page. */
START_TEST(boot_reservation_rounds_to_the_configured_page_size)
{
    static const struct {
        const char *chip;
        uint32_t flash, page, region_end;
    } cases[] = {
        {"esp32c2", MB(1), 0x4000, 64 * 0x4000},  {"esp32c2", MB(2), 0x8000, 64 * 0x8000},
        {"esp32c6", MB(1), 0x4000, 128 * 0x4000}, {"esp32c6", MB(2), 0x8000, 128 * 0x8000},
        {"esp32h2", MB(1), 0x4000, 128 * 0x4000}, {"esp32h2", MB(2), 0x8000, 128 * 0x8000},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        mmsim_config_t cfg = mmsim_config_default(cases[k].chip);
        cfg.flash_size = cases[k].flash;
        cfg.app_irom_size = 0x11000;
        cfg.app_drom_size = 0x9000;
        mmsim_t *m = open_cfg(&cfg);
        uint32_t pg = cases[k].page;
        ck_assert_uint_eq(mmsim_page_size(m), pg);
        uint32_t app = (0x11000 + pg - 1) / pg * pg + (0x9000 + pg - 1) / pg * pg;
        region_t r = region(0);
        assert_hex(r.free_head, app);
        assert_hex(r.end, cases[k].region_end);
        assert_hex(r.max_slot, cases[k].region_end - app);
        /* A page-aligned paddr at the small page is accepted; one byte becomes a page. */
        void *p = map_ok(pg, 1, FLASH, R, 0);
        assert_hex(region(0).max_slot, cases[k].region_end - app - pg);
        assert_paddr((char *)p + 5, pg + 5, FLASH);
        assert_err(esp_mmu_map(pg / 2, 1, FLASH, R, 0, &p), ESP_ERR_INVALID_ARG);
        close_chip(m);
    }
}
END_TEST

/* An app whose code is as large as ESP32's IRAM0 consumes that region entirely. */
START_TEST(esp32_app_as_large_as_iram0_consumes_the_region)
{
    mmsim_t *m = open_chip("esp32", NO_PSRAM, 1, 0x330000, KB(128));
    (void)m;
    region_t r = region(0);
    assert_hex(r.free_head, r.end);
    assert_hex(r.max_slot, 0);
    ck_assert_uint_eq(max_slot(X, FLASH), 0);
    void *p = NULL;
    assert_err(esp_mmu_map(0x400000, PG, FLASH, X, 0, &p), ESP_ERR_NOT_FOUND);
    assert_hex(U(map_ok(0x400000, PG, FLASH, R, 0)), 0x3F420000);
}
END_TEST

/* S2: DRAM1 and DRAM0 (equal caps and targets, adjacent) become one 7.5 MB region; a
 * block may then run from the DRAM1 window into the DRAM0 window. */
START_TEST(s2_coalesces_dram1_and_dram0)
{
    mmsim_t *m = open_bare(chip_named("esp32s2"));
    ck_assert_int_eq(region_count(), 4);
    region_t r = region(3);
    assert_hex(r.bus, 0x18);
    assert_hex(r.start, 0x1800000);
    assert_hex(r.free_head, 0x1800000);
    assert_hex(r.end, 0x1F80000);
    assert_hex(r.caps, 0x1E);
    assert_hex(r.max_slot, 0x780000);
    assert_hex(region(2).start, 0x1500000); /* DPORT stays alone: its caps differ */
    void *p = map_ok(0, 0x780000, FLASH, R | W | B8, 0);
    assert_hex(U(p), 0x3F800000);
    assert_paddr(V(0x3FC00000 + 0x44), 0x400000 + 0x44, FLASH); /* inside the DRAM0 window */
    assert_hex(region(3).max_slot, 0);
    assert_err(esp_mmu_unmap(p), ESP_OK);
    assert_hex(region(3).max_slot, 0x780000);
    assert_no_hazards(m);
}
END_TEST

/* The PSRAM heap is reserved from the first region taking READ|WRITE|8BIT|32BIT PSRAM
 * (ESP32-S2: the rest from the word-only DPORT region); it is no block. */
START_TEST(psram_heap_takes_its_region_at_boot)
{
    static const struct {
        const char *chip;
        uint32_t psram;
        int region;
        uint32_t free_head, max_slot;
        int region2;                 /* ESP32-S2 spill-over region, or -1 */
        uint32_t free_head2, max_slot2;
        uint32_t heap_vaddr;         /* where the heap starts (0: not convertible, ESP32) */
    } cases[] = {
        {"esp32", MB(8), 2, 0x1C00000, 0, -1, 0, 0, 0},
        {"esp32", MB(2), 2, 0x1A00000, 0x200000, -1, 0, 0, 0},
        {"esp32s2", MB(2), 3, 0x1A00000, 0x580000, -1, 0, 0, 0x3F800000},
        {"esp32s2", MB(9), 3, 0x1F80000, 0, 2, 0x1680000, 0x180000, 0x3F800000},
        {"esp32s2", MB(16), 3, 0x1F80000, 0, 2, 0x1800000, 0, 0x3F800000},
        {"esp32s3", MB(8), 0, 0x860000, 0x17A0000, -1, 0, 0, 0x3C060000},
        {"esp32s3", MB(32), 0, 0x2000000, 0, -1, 0, 0, 0x3C060000},
        {"esp32p4", MB(32), 1, 0xA000000, 0x2000000, -1, 0, 0, 0x48000000},
        {"esp32p4", MB(64), 1, 0xC000000, 0, -1, 0, 0, 0x48000000},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        mmsim_config_t cfg = mmsim_config_default(cases[k].chip);
        cfg.psram_size = cases[k].psram;
        cfg.app_irom_size = KB(256);
        cfg.app_drom_size = KB(128);
        mmsim_t *m = open_cfg(&cfg);
        region_t r = region(cases[k].region);
        ck_assert_msg(r.free_head == cases[k].free_head && r.max_slot == cases[k].max_slot,
                      "%s with 0x%x PSRAM: region %d free head 0x%x max slot 0x%x", cases[k].chip, cases[k].psram,
                      cases[k].region, r.free_head, r.max_slot);
        ck_assert_int_eq(r.blocks, 0);
        if (cases[k].region2 >= 0) {
            region_t r2 = region(cases[k].region2);
            assert_hex(r2.free_head, cases[k].free_head2);
            assert_hex(r2.max_slot, cases[k].max_slot2);
        }
        if (cases[k].heap_vaddr) { /* §6.1 #6: a heap address converts to PSRAM0 */
            assert_paddr(V(cases[k].heap_vaddr + 0x10), 0x10, PSRAM);
            /* It is no block: unmapping it is "outside", find_caps does not see it. */
            assert_err(esp_mmu_unmap(V(cases[k].heap_vaddr)), ESP_ERR_NOT_FOUND);
            mmu_mem_caps_t caps;
            assert_err(esp_mmu_paddr_find_caps(0x10, &caps), ESP_ERR_NOT_FOUND);
        }
        assert_no_hazards(m);
        close_chip(m);
    }
}
END_TEST

/* §1.3 quirk: after a partial reservation the length is neither cleared nor is the loop
 * stopped, so a second region on the app's bus loses the same length again -- and then
 * no longer coalesces with the first.  Without an app both merge into one region. */
START_TEST(boot_reservation_shortens_every_region_on_the_bus)
{
    char dir[] = "/tmp/mmsim-test-XXXXXX", path[64];
    write_split_s2(dir, path, sizeof path);
    mmsim_config_t cfg = mmsim_config_default(path);
    const char *sets[] = {"psram_size=0", "app_irom_size=256K"};
    cfg.sets = sets;
    cfg.nsets = 2;
    mmsim_t *m = NULL;
    int rc = mmsim_open(&cfg, &m);
    if (rc == 0) {
        ck_assert_int_eq(region_count(), 5);
        region_t a = region(0), b = region(1);
        assert_hex(a.start, 0x80000);
        assert_hex(a.free_head, 0xC0000);
        assert_hex(a.end, 0x300000);
        assert_hex(b.start, 0x300000);
        assert_hex(b.free_head, 0x340000); /* shortened by the IROM length again */
        assert_hex(b.max_slot, 0xC0000);
        /* EXEC maps fill the first region, then the second from its (moved) free head. */
        assert_hex(U(map_ok(0x200000, 0x240000, FLASH, X, 0)), 0x400C0000);
        assert_hex(U(map_ok(0x500000, PG, FLASH, X, 0)), 0x40340000);
        mmsim_close(m);
        sets[1] = "app_irom_size=0";
        rc = mmsim_open(&cfg, &m);
        if (rc == 0) {
            ck_assert_int_eq(region_count(), 4);
            region_t r = region(0);
            assert_hex(r.bus, 0x1);
            assert_hex(r.start, 0x80000);
            assert_hex(r.free_head, 0x80000);
            assert_hex(r.end, 0x400000);
            assert_hex(r.max_slot, 0x380000);
            mmsim_close(m);
        }
    }
    remove(path);
    remove(dir);
    ck_assert_msg(rc == 0, "%s", mmsim_last_error());
}
END_TEST

/* §1.12 (private, boot only): takes space from the free head without a block or MMU write. */
START_TEST(reserve_block_advances_the_free_head)
{
    mmsim_t *m = open_bare(chip_named("esp32s3"));
    const void *out = V(0x1234);
    assert_err(esp_mmu_map_reserve_block_with_caps(PG, R, FLASH, NULL), ESP_ERR_INVALID_ARG);
    assert_err(esp_mmu_map_reserve_block_with_caps(PG, X | W, FLASH, &out), ESP_ERR_INVALID_ARG);
    log_begin(ESP_LOG_VERBOSE);
    assert_err(esp_mmu_map_reserve_block_with_caps(0x2000000, R, FLASH, &out), ESP_ERR_NOT_FOUND);
    assert_log("E mmap: no such vaddr range\n"); /* logged early, without function(line) */
    assert_hex(U(out), 0x1234);
    assert_err(esp_mmu_map_reserve_block_with_caps(0x18000, R, FLASH, &out), ESP_OK);
    assert_hex(U(out), 0x3C060000); /* DBUS alias of the free head */
    assert_err(esp_mmu_map_reserve_block_with_caps(1, X, FLASH, &out), ESP_OK);
    assert_hex(U(out), 0x42080000); /* IBUS alias for EXEC */
    region_t r = region(0);
    assert_hex(r.free_head, 0x90000);
    assert_hex(r.max_slot, 0x2000000 - 0x90000);
    ck_assert_int_eq(r.blocks, 0);
    esp_paddr_t pa;
    mmu_target_t t;
    assert_err(esp_mmu_vaddr_to_paddr(V(0x3C060000), &pa, &t), ESP_ERR_NOT_FOUND);
    assert_err(esp_mmu_unmap(V(0x3C060000)), ESP_ERR_NOT_FOUND); /* reserved now */
    assert_hex(U(map_ok(0x200000, PG, FLASH, R, 0)), 0x3C090000);
    assert_no_hazards(m);
}
END_TEST

/* ======================================================================================
 * §1.4 placement: region in table order, first fit, max_slot, dummies, fixed vaddr
 * ====================================================================================== */

START_TEST(first_map_lands_at_the_free_head_on_the_caps_bus)
{
    const chip_t *c = &CHIPS[_i];
    mmsim_t *m = open_bare(c);
    void *r = map_ok(0x200000, 0x100, FLASH, R, 0);
    assert_hex(U(r), c->read_vaddr);
    void *x = map_ok(0x300000, PG + 1, FLASH, X, 0);
    /* Where I and D share a region the code block follows the data block. */
    assert_hex(U(x), c->exec_vaddr + (c->alias == ALIAS_SPLIT ? 0 : PG));
    assert_paddr(r, 0x200000, FLASH);
    assert_paddr((char *)x + PG + 8, 0x300000 + PG + 8, FLASH);
    ck_assert_uint_eq(fetch32(m, U(x)), 0xFFFFFFFF); /* erased flash */
    assert_no_hazards(m);
}
END_TEST

/* ESP32-S2: the first region (table order) whose caps include the request wins, so
 * READ|WRITE without 8BIT lands in the word-only DPORT region before DRAM. */
START_TEST(s2_takes_the_first_region_in_table_order)
{
    mmsim_t *m = open_bare(chip_named("esp32s2"));
    assert_hex(U(map_ok(0x100000, PG, FLASH, R, 0)), 0x3F020000);           /* DROM0 */
    assert_hex(U(map_ok(0x110000, PG, FLASH, R | B8, 0)), 0x3F030000);      /* DROM0 */
    assert_hex(U(map_ok(0x120000, PG, FLASH, R | W, 0)), 0x3F500000);       /* DPORT */
    assert_hex(U(map_ok(0x130000, PG, FLASH, R | W | B32, 0)), 0x3F510000); /* DPORT */
    assert_hex(U(map_ok(0x140000, PG, FLASH, R | W | B8, 0)), 0x3F800000);  /* DRAM1+0 */
    assert_hex(U(map_ok(0x150000, PG, FLASH, W, 0)), 0x3F520000);           /* DPORT */
    assert_hex(U(map_ok(0x160000, PG, FLASH, X, 0)), 0x400C0000);           /* IRAM0 */
    assert_hex(U(map_ok(0x170000, PG, FLASH, X | B32, 0)), 0x400D0000);     /* IRAM0 */
    void *p = NULL;
    /* No region has EXEC together with READ. */
    assert_err(esp_mmu_map(0x180000, PG, FLASH, X | R, 0, &p), ESP_ERR_NOT_FOUND);
    /* The PSRAM target is served by the same regions. */
    assert_hex(U(map_ok(0x0, PG, PSRAM, R | W, 0)), 0x3F530000);
    /* A request larger than DPORT's room goes on to the next compatible region. */
    assert_hex(U(map_ok(0x200000, 0x300000, FLASH, R | W, 0)), 0x3F810000);
    assert_no_hazards(m);
}
END_TEST

START_TEST(esp32_regions_follow_caps_and_target)
{
    mmsim_t *m = open_bare(chip_named("esp32"));
    assert_hex(U(map_ok(0x100000, PG, FLASH, R, 0)), 0x3F420000);
    assert_hex(U(map_ok(0x110000, PG, FLASH, R | B8 | B32, 0)), 0x3F430000);
    assert_hex(U(map_ok(0x120000, PG, FLASH, X, 0)), 0x40110000);
    void *p = NULL;
    assert_err(esp_mmu_map(0x130000, PG, FLASH, X | R, 0, &p), ESP_ERR_NOT_FOUND);
    /* DRAM1 has WRITE but takes PSRAM only, and PSRAM cannot be mapped on ESP32. */
    assert_err(esp_mmu_map(0x130000, PG, FLASH, R | W, 0, &p), ESP_ERR_NOT_FOUND);
    assert_err(esp_mmu_map(0x130000, PG, PSRAM, R | W, 0, &p), ESP_ERR_NOT_SUPPORTED);
    assert_no_hazards(m);
}
END_TEST

/* P4: the target picks the region (flash 0x40.., PSRAM 0x48..); caps 0 matches any. */
START_TEST(p4_target_selects_the_region_and_caps_zero_matches_any)
{
    mmsim_t *m = open_chip("esp32p4", NULL, 0, KB(256), KB(128)); /* 32 MB PSRAM heap */
    assert_hex(U(map_ok(0x100000, PG, FLASH, R, 0)), 0x40060000);
    assert_hex(U(map_ok(0x1F00000, PG, PSRAM, R, 0)), 0x4A000000);
    assert_hex(U(map_ok(0x1F10000, PG, PSRAM, 0, 0)), 0x4A010000);
    assert_hex(U(map_ok(0x110000, PG, FLASH, 0, 0)), 0x40070000);
    assert_paddr(V(0x4A000004), 0x1F00004, PSRAM);
    ck_assert_uint_eq(find_caps(0x110000), 0); /* stored as passed */
    assert_no_hazards(m);
}
END_TEST

START_TEST(s3_caps_zero_and_target_zero_match_the_region)
{
    mmsim_t *m = open_bare(chip_named("esp32s3"));
    assert_hex(U(map_ok(0x100000, PG, FLASH, 0, 0)), 0x3C060000); /* DBUS: no EXEC */
    ck_assert_uint_eq(max_slot(0, 0), 0x1FA0000 - PG);
    ck_assert_uint_eq(find_caps(0x100000), 0);
    /* Target 0 matches too; its block is a target of its own for the relation check. */
    void *t0 = map_ok(0x100000, PG, 0, R, 0);
    assert_hex(U(t0), 0x3C070000);
    assert_paddr(t0, 0x100000, FLASH); /* the S3 MMU writes any non-PSRAM target as flash */
    void *p = NULL;
    assert_err(esp_mmu_map(0x100000, PG, 0, R, 0, &p), ESP_ERR_INVALID_STATE);
    assert_hex(U(p), U(t0));
    assert_no_hazards(m);
}
END_TEST

/* First fit by address, and max_slot exact after every map and unmap (through the dump
 * and get_max).  Uses EXEC, whose region is the only compatible one on every chip. */
START_TEST(first_fit_and_max_slot_after_every_operation)
{
    const chip_t *c = &CHIPS[_i];
    mmsim_t *m = open_bare(c);
    const int ri = c->exec_region;
    const uint32_t base = c->exec_vaddr, free0 = c->exec_max;
#define SLOT(want)                                                                                       \
    do {                                                                                                 \
        assert_hex(region(ri).max_slot, (want));                                                         \
        assert_hex(max_slot(X, FLASH), (want));                                                          \
    } while (0)
    /* Physical pages: the big block D from 0, the small ones above it (all inside the
     * 4 MB that ESP32-C2's MMU reaches). */
    const uint32_t small = free0 - 4 * PG;
    SLOT(free0);
    void *a = map_ok(small, PG, FLASH, X, 0);
    SLOT(free0 - PG);
    void *b = map_ok(small + PG, 2 * PG, FLASH, X, 0);
    SLOT(free0 - 3 * PG);
    void *cc = map_ok(small + 3 * PG, PG, FLASH, X, 0);
    SLOT(free0 - 4 * PG);
    void *d = map_ok(0, free0 - 4 * PG, FLASH, X, 0); /* the rest of the region */
    SLOT(0);
    assert_hex(U(a), base);
    assert_hex(U(b), base + PG);
    assert_hex(U(cc), base + 3 * PG);
    assert_hex(U(d), base + 4 * PG);
    void *e = NULL;
    assert_err(esp_mmu_map(small + 4 * PG, PG, FLASH, X, 0, &e), ESP_ERR_NOT_FOUND);
    assert_err(esp_mmu_unmap(b), ESP_OK);
    SLOT(2 * PG);
    assert_err(esp_mmu_unmap(a), ESP_OK);
    SLOT(3 * PG); /* A's and B's gaps are one slot */
    e = map_ok(small + 4 * PG, PG, FLASH, X, 0);
    assert_hex(U(e), base); /* the lowest address of the first slot that fits */
    SLOT(2 * PG);
    assert_err(esp_mmu_map(small + 5 * PG, 3 * PG, FLASH, X, 0, &b), ESP_ERR_NOT_FOUND);
    assert_err(esp_mmu_unmap(cc), ESP_OK);
    SLOT(3 * PG);
    void *f = map_ok(small + 5 * PG, 3 * PG, FLASH, X, 0);
    assert_hex(U(f), base + PG);
    SLOT(0);
    assert_err(esp_mmu_unmap(d), ESP_OK);
    SLOT(free0 - 4 * PG);
    assert_err(esp_mmu_unmap(e), ESP_OK);
    SLOT(free0 - 4 * PG);
    assert_err(esp_mmu_unmap(f), ESP_OK);
    SLOT(free0);
    ck_assert_int_eq(region(ri).blocks, 0);
#undef SLOT
    assert_no_hazards(m);
}
END_TEST

/* §1.2 dummies: zero-size sentinels at the free head and the end, never listed, never
 * freed; an error in the call that created them takes them out again. */
START_TEST(dummy_blocks_never_show)
{
    const chip_t *c = &CHIPS[_i];
    mmsim_t *m = open_bare(c);
    char *fresh = dump_text();
    /* A fixed map into the reserved app space fails after the dummies were made. */
    assert_err(esp_mmu_map_virt(c->drom_vaddr, 0x100000, PG, FLASH, R, 0, NULL), ESP_ERR_INVALID_ARG);
    assert_dump(fresh);
    void *p = map_ok(0x100000, PG, FLASH, R, 0);
    assert_hex(U(p), c->read_vaddr);
    region_t r = region(c->read_region);
    ck_assert_int_eq(r.blocks, 1);
    assert_err(esp_mmu_unmap(p), ESP_OK);
    /* Back to the boot picture: the remaining dummies take no space and never print. */
    assert_dump(fresh);
    assert_hex(region(c->read_region).max_slot, r.end - r.free_head);
    assert_hex(U(map_ok(0x110000, PG, FLASH, R, 0)), c->read_vaddr);
    free(fresh);
    assert_no_hazards(m);
}
END_TEST

/* §6.1 #2 "Can map partition to a given virtual address". */
START_TEST(map_virt_places_the_block_at_the_requested_vaddr)
{
    const chip_t *c = &CHIPS[_i];
    mmsim_t *m = open_bare(c);
    flash_put32(m, 0x110000, 0xC0DE0001);
    region_t r0 = region(c->read_region);
    uint32_t mid_l = r0.start + (c->mid_vaddr - (c->read_vaddr - (r0.free_head - r0.start)));
    void *p = NULL;
    assert_err(esp_mmu_map_virt(c->mid_vaddr, 0x110000, PG, FLASH, R, 0, &p), ESP_OK);
    assert_hex(U(p), c->mid_vaddr);
    ck_assert_uint_eq(read32(m, c->mid_vaddr), 0xC0DE0001);
    region_t r = region(c->read_region);
    ck_assert_int_eq(r.blocks, 1);
    /* The new max_slot is the larger gap beside the block. */
    uint32_t below = mid_l - r.free_head, above = r.end - (mid_l + PG);
    assert_hex(r.max_slot, below > above ? below : above);
    /* out_ptr may be NULL for map_virt. */
    assert_err(esp_mmu_map_virt(c->mid_vaddr + 2 * PG, 0x130000, PG, FLASH, R, 0, NULL), ESP_OK);
    assert_paddr(V(c->mid_vaddr + 2 * PG), 0x130000, FLASH);
    /* Auto placement still fills from the free head up. */
    assert_hex(U(map_ok(0x150000, PG, FLASH, R, 0)), c->read_vaddr);
    /* The gap between the two fixed blocks is exactly one page: a fixed map fits it. */
    assert_err(esp_mmu_map_virt(c->mid_vaddr + PG, 0x170000, PG, FLASH, R, 0, &p), ESP_OK);
    assert_err(esp_mmu_unmap(V(c->mid_vaddr)), ESP_OK);
    assert_err(esp_mmu_unmap(V(c->mid_vaddr + PG)), ESP_OK);
    assert_err(esp_mmu_unmap(V(c->mid_vaddr + 2 * PG)), ESP_OK);
    assert_err(esp_mmu_unmap(V(c->read_vaddr)), ESP_OK);
    assert_hex(region(c->read_region).max_slot, r.end - r.free_head);
    assert_no_hazards(m);
}
END_TEST

/* §6.1 #3 "Cannot map partition to a reserved address", and the other refusals. */
START_TEST(map_virt_refuses_taken_reserved_and_foreign_ranges)
{
    const chip_t *c = &CHIPS[_i];
    mmsim_t *m = open_bare(c);
    assert_err(esp_mmu_map_virt(c->mid_vaddr, 0x110000, 2 * PG, FLASH, R, 0, NULL), ESP_OK);
    char *before = dump_text();
    region_t r = region(c->read_region);
    uint32_t region_end_vaddr = c->read_vaddr + (r.end - r.free_head);
    log_begin(ESP_LOG_VERBOSE);
    void *p = V(0x1234);
    /* The same range, and ranges overlapping it: the region search says NOT_FOUND. */
    assert_err(esp_mmu_map_virt(c->mid_vaddr, 0x200000, 2 * PG, FLASH, R, 0, &p), ESP_ERR_NOT_FOUND);
    assert_err(esp_mmu_map_virt(c->mid_vaddr + PG, 0x200000, 2 * PG, FLASH, R, 0, &p), ESP_ERR_NOT_FOUND);
    assert_err(esp_mmu_map_virt(c->mid_vaddr - PG, 0x200000, 2 * PG, FLASH, R, 0, &p), ESP_ERR_NOT_FOUND);
    /* Running past the end of the region. */
    assert_err(esp_mmu_map_virt(region_end_vaddr - PG, 0x200000, 2 * PG, FLASH, R, 0, &p), ESP_ERR_NOT_FOUND);
    assert_log("E mmap: esp_mmu_map_virt(): no such vaddr range\n"
               "E mmap: esp_mmu_map_virt(): no such vaddr range\n"
               "E mmap: esp_mmu_map_virt(): no such vaddr range\n"
               "E mmap: esp_mmu_map_virt(): no such vaddr range\n");
    /* The page of the app's rodata, and a range starting below the free head. */
    assert_err(esp_mmu_map_virt(c->drom_vaddr, 0x200000, PG, FLASH, R, 0, &p), ESP_ERR_INVALID_ARG);
    assert_err(esp_mmu_map_virt(c->read_vaddr - PG, 0x200000, 2 * PG, FLASH, R, 0, &p), ESP_ERR_INVALID_ARG);
    assert_log("E mmap: esp_mmu_map_virt(): virtual address range is referencing reserved memory\n"
               "E mmap: esp_mmu_map_virt(): virtual address range is referencing reserved memory\n");
    assert_hex(U(p), 0x1234);
    assert_dump(before);
    /* The last page of the region is fine. */
    assert_err(esp_mmu_map_virt(region_end_vaddr - PG, 0x200000, PG, FLASH, R, 0, &p), ESP_OK);
    assert_hex(U(p), region_end_vaddr - PG);
    assert_log("");
    free(before);
    assert_no_hazards(m);
}
END_TEST

/* A vaddr that is not the region's bus address for the caps: INVALID_ARG where I and D
 * share linear space (the region search only masks), NOT_FOUND on ESP32/S2. */
START_TEST(map_virt_needs_the_bus_address_of_the_caps)
{
    const chip_t *c = &CHIPS[_i];
    mmsim_t *m = open_bare(c);
    char *before = dump_text();
    log_begin(ESP_LOG_VERBOSE);
    const char *alias_msg = "E mmap: esp_mmu_map_virt(): invalid virtual address for target and caps\n";
    if (c->alias == ALIAS_SPLIT) {
        /* A data-window address with EXEC, a code-window address with READ. */
        assert_err(esp_mmu_map_virt(c->mid_vaddr, 0x100000, PG, FLASH, X, 0, NULL), ESP_ERR_NOT_FOUND);
        assert_err(esp_mmu_map_virt(0x40200000, 0x100000, PG, FLASH, R, 0, NULL), ESP_ERR_NOT_FOUND);
        /* ESP32 IRAM1 / ESP32-S2 IBUS1: valid code windows, but in no region. */
        assert_err(esp_mmu_map_virt(0x40500000, 0x100000, PG, FLASH, X, 0, NULL), ESP_ERR_NOT_FOUND);
        assert_log("E mmap: esp_mmu_map_virt(): no such vaddr range\n"
                   "E mmap: esp_mmu_map_virt(): no such vaddr range\n"
                   "E mmap: esp_mmu_map_virt(): no such vaddr range\n");
    } else {
        if (c->alias == ALIAS_TWO) {
            assert_err(esp_mmu_map_virt(c->mid_vaddr, 0x100000, PG, FLASH, X, 0, NULL), ESP_ERR_INVALID_ARG);
            assert_err(esp_mmu_map_virt(to_ibus(c->mid_vaddr), 0x100000, PG, FLASH, R, 0, NULL),
                       ESP_ERR_INVALID_ARG);
            char two[256];
            snprintf(two, sizeof two, "%s%s", alias_msg, alias_msg);
            assert_log(two);
        }
        /* An address outside the region's windows whose masked bits fall inside it (on
         * C6/H2 the upper half of the window, which the driver does not manage). */
        assert_err(esp_mmu_map_virt(c->stray_vaddr, 0x100000, PG, FLASH, R, 0, NULL), ESP_ERR_INVALID_ARG);
        assert_log(alias_msg);
    }
    assert_dump(before);
    /* The right alias works; the wrong alias of a taken range is then NOT_FOUND (the
     * region search sees the overlap before the alias check). */
    if (c->alias == ALIAS_TWO) {
        void *p = NULL;
        assert_err(esp_mmu_map_virt(to_ibus(c->mid_vaddr), 0x100000, PG, FLASH, X, 0, &p), ESP_OK);
        assert_hex(U(p), to_ibus(c->mid_vaddr));
        assert_err(esp_mmu_map_virt(c->mid_vaddr, 0x200000, PG, FLASH, X, 0, &p), ESP_ERR_NOT_FOUND);
        assert_log("E mmap: esp_mmu_map_virt(): no such vaddr range\n");
    }
    free(before);
    assert_no_hazards(m);
}
END_TEST

START_TEST(map_virt_on_p4_needs_the_window_of_the_target)
{
    mmsim_t *m = open_chip("esp32p4", NULL, 0, KB(256), KB(128));
    /* A flash address with PSRAM, a PSRAM address with flash: no region contains them. */
    assert_err(esp_mmu_map_virt(0x40400000, 0x1F00000, PG, PSRAM, R, 0, NULL), ESP_ERR_NOT_FOUND);
    assert_err(esp_mmu_map_virt(0x4A100000, 0x100000, PG, FLASH, R, 0, NULL), ESP_ERR_NOT_FOUND);
    assert_err(esp_mmu_map_virt(0x4A100000, 0x1F00000, PG, PSRAM, R | W, 0, NULL), ESP_OK);
    assert_paddr(V(0x4A100000), 0x1F00000, PSRAM);
    /* Inside the PSRAM heap: reserved. */
    assert_err(esp_mmu_map_virt(0x48000000, 0x1F10000, PG, PSRAM, R | W, 0, NULL), ESP_ERR_INVALID_ARG);
    assert_no_hazards(m);
}
END_TEST

/* S2: any compatible region containing the range is used, not only the auto choice. */
START_TEST(s2_map_virt_uses_the_compatible_region_holding_the_range)
{
    mmsim_t *m = open_bare(chip_named("esp32s2"));
    void *p = NULL;
    assert_err(esp_mmu_map_virt(0x3F600000, 0x100000, PG, FLASH, R, 0, &p), ESP_OK); /* DPORT */
    ck_assert_int_eq(region(2).blocks, 1);
    /* DPORT lacks 8BIT and DRAM does not hold the range. */
    assert_err(esp_mmu_map_virt(0x3F610000, 0x110000, PG, FLASH, R | B8, 0, &p), ESP_ERR_NOT_FOUND);
    assert_err(esp_mmu_map_virt(0x3F900000, 0x110000, PG, FLASH, R | B8, 0, &p), ESP_OK); /* DRAM */
    ck_assert_int_eq(region(3).blocks, 1);
    assert_no_hazards(m);
}
END_TEST

/* §1.7 order: the paddr relation (#7, #8) is checked before the fixed vaddr (#10). */
START_TEST(map_virt_checks_the_paddr_before_the_vaddr)
{
    mmsim_t *m = open_bare(chip_named("esp32s3"));
    void *a = map_ok(0x200000, 2 * PG, FLASH, R, 0);
    void *p = NULL;
    log_begin(ESP_LOG_VERBOSE);
    /* Enclosed paddr at a wrong-alias vaddr: INVALID_STATE wins. */
    assert_err(esp_mmu_map_virt(0x3D000000, 0x210000, PG, FLASH, X, 0, &p), ESP_ERR_INVALID_STATE);
    assert_hex(U(p), U(a) + PG);
    /* Overlapped paddr at a reserved vaddr: the overlap message wins. */
    assert_err(esp_mmu_map_virt(0x3C040000, 0x1F0000, 2 * PG, FLASH, R, 0, &p), ESP_ERR_INVALID_ARG);
    assert_log("D mmap: paddr block is mapped already, vaddr_start: 0x3c060000, size: 0x20000\n"
               "E mmap: esp_mmu_map_virt(): paddr block is overlapped with an already mapped paddr block\n");
    ck_assert_int_eq(region(0).blocks, 1);
    assert_no_hazards(m);
}
END_TEST

/* ======================================================================================
 * §1.5 physical-range relations and ESP_MMU_MMAP_FLAG_PADDR_SHARED
 * ====================================================================================== */

START_TEST(paddr_relations_enclosed_identical_overlapped_adjacent)
{
    const chip_t *c = &CHIPS[_i];
    mmsim_t *m = open_bare(c);
    const uint32_t P = 0x200000;
    char *fresh = dump_text();
    void *a = map_ok(P, 2 * PG, FLASH, R, 0);
    const uint32_t va = U(a);
    assert_hex(va, c->read_vaddr);
    char *one = dump_text();
    char mapped_line[128];
    snprintf(mapped_line, sizeof mapped_line,
             "D mmap: paddr block is mapped already, vaddr_start: 0x%x, size: 0x20000\n", (unsigned)va);
    log_begin(ESP_LOG_VERBOSE);
    void *p = NULL;
    /* Identical and enclosed: INVALID_STATE and the address of the paddr inside A, with
     * or without the flag; nothing is created. */
    assert_err(esp_mmu_map(P, 2 * PG, FLASH, R, 0, &p), ESP_ERR_INVALID_STATE);
    assert_hex(U(p), va);
    assert_err(esp_mmu_map(P + PG, PG, FLASH, R, 0, &p), ESP_ERR_INVALID_STATE);
    assert_hex(U(p), va + PG);
    assert_err(esp_mmu_map(P + PG, 1, FLASH, R, 0, &p), ESP_ERR_INVALID_STATE);
    assert_hex(U(p), va + PG);
    assert_err(esp_mmu_map(P, 2 * PG, FLASH, R, SHARED, &p), ESP_ERR_INVALID_STATE);
    assert_hex(U(p), va);
    assert_err(esp_mmu_map(P + PG, PG, FLASH, R | B8, SHARED, &p), ESP_ERR_INVALID_STATE);
    assert_hex(U(p), va + PG);
    /* map_virt accepts a NULL out_ptr here too. */
    assert_err(esp_mmu_map_virt(0, P, PG, FLASH, R, 0, NULL), ESP_ERR_INVALID_STATE);
    char want[6 * 128] = "";
    for (int k = 0; k < 6; k++)
        strcat(want, mapped_line);
    assert_log(want);
    assert_dump(one);
    /* Overlapped (either end, or enclosing A) without the flag: INVALID_ARG. */
    const char *overlap = "E mmap: esp_mmu_map_virt(): paddr block is overlapped with an already mapped paddr block\n";
    p = V(0x1234);
    assert_err(esp_mmu_map(P + PG, 2 * PG, FLASH, R, 0, &p), ESP_ERR_INVALID_ARG);
    assert_err(esp_mmu_map(P - PG, 2 * PG, FLASH, R, 0, &p), ESP_ERR_INVALID_ARG);
    assert_err(esp_mmu_map(P - PG, 4 * PG, FLASH, R, 0, &p), ESP_ERR_INVALID_ARG);
    assert_err(esp_mmu_map(P + PG, PG + 1, FLASH, R, 0, &p), ESP_ERR_INVALID_ARG); /* rounds to 2 pages */
    assert_hex(U(p), 0x1234);
    char want_ov[512] = "";
    for (int k = 0; k < 4; k++)
        strcat(want_ov, overlap);
    assert_log(want_ov);
    assert_dump(one);
    /* Adjacent on either side: a new block. */
    assert_hex(U(map_ok(P + 2 * PG, PG, FLASH, R, 0)), va + 2 * PG);
    assert_hex(U(map_ok(P - PG, PG, FLASH, R, 0)), va + 3 * PG);
    /* Overlapped with the flag: a new block each time. */
    assert_hex(U(map_ok(P + PG, 2 * PG, FLASH, R, SHARED)), va + 4 * PG);
    assert_hex(U(map_ok(P - PG, 2 * PG, FLASH, R, SHARED)), va + 6 * PG);
    assert_hex(U(map_ok(P - PG, 4 * PG, FLASH, R, SHARED)), va + 8 * PG);
    assert_log("");
    ck_assert_int_eq(region(c->read_region).blocks, 6);
    for (int k = 0; k < 6; k++) {
        static const uint32_t at[] = {0, 2, 3, 4, 6, 8};
        assert_err(esp_mmu_unmap(V(va + at[k] * PG)), ESP_OK);
    }
    assert_dump(fresh);
    free(fresh);
    free(one);
    assert_no_hazards(m);
}
END_TEST

/* INVALID_STATE returns a pointer, not a handle: unmapping it works only at offset 0. */
START_TEST(invalid_state_pointer_unmaps_only_the_original_block_start)
{
    const chip_t *c = &CHIPS[_i];
    mmsim_t *m = open_bare(c);
    void *a = map_ok(0x200000, 2 * PG, FLASH, R, 0), *p = NULL;
    assert_err(esp_mmu_map(0x210000, PG, FLASH, R, 0, &p), ESP_ERR_INVALID_STATE);
    log_begin(ESP_LOG_VERBOSE);
    assert_err(esp_mmu_unmap(p), ESP_ERR_NOT_FOUND);
    assert_log("E mmap: esp_mmu_unmap(): munmap target pointer isn't mapped yet\n");
    assert_err(esp_mmu_map(0x200000, PG, FLASH, R, 0, &p), ESP_ERR_INVALID_STATE);
    assert_hex(U(p), U(a));
    assert_err(esp_mmu_unmap(p), ESP_OK); /* this is A itself */
    assert_err(esp_mmu_unmap(a), ESP_ERR_NOT_FOUND);
    ck_assert_int_eq(region(c->read_region).blocks, 0);
    assert_no_hazards(m);
}
END_TEST

/* The check sees only blocks of the same target. */
START_TEST(paddr_relation_is_per_target)
{
    static const char *const chips[] = {"esp32s2", "esp32s3"};
    mmsim_t *m = open_chip(chips[_i], NULL, 0, KB(256), KB(128));
    void *f = map_ok(0x100000, 2 * PG, FLASH, R | W, 0);
    void *s = map_ok(0x100000, 2 * PG, PSRAM, R | W, 0); /* same paddr, other target */
    ck_assert_ptr_ne(f, s);
    ck_assert_int_eq(region(!strcmp(chips[_i], "esp32s3") ? 0 : 2).blocks, 2);
    void *p = NULL;
    assert_err(esp_mmu_map(0x110000, PG, PSRAM, R | W, 0, &p), ESP_ERR_INVALID_STATE);
    assert_hex(U(p), U(s) + PG);
    assert_err(esp_mmu_map(0x110000, PG, FLASH, R | W, 0, &p), ESP_ERR_INVALID_STATE);
    assert_hex(U(p), U(f) + PG);
    assert_paddr(s, 0x100000, PSRAM);
    assert_paddr(f, 0x100000, FLASH);
    assert_no_hazards(m);
}
END_TEST

/* The check sees only blocks of the chosen region: ESP32/S2 map one flash page as code
 * and as data independently; on S3 code and data share the region, so the second map
 * gets INVALID_STATE with the data block's (DBUS) address. */
START_TEST(paddr_relation_is_per_region)
{
    const char *name = _i == 0 ? "esp32" : "esp32s2";
    const chip_t *c = chip_named(name);
    mmsim_t *m = open_bare(c);
    void *x = map_ok(0x200000, 2 * PG, FLASH, X, 0);
    void *r = map_ok(0x200000, 2 * PG, FLASH, R, 0);
    assert_hex(U(x), c->exec_vaddr);
    assert_hex(U(r), c->read_vaddr);
    void *p = NULL;
    assert_err(esp_mmu_map(0x210000, PG, FLASH, X, 0, &p), ESP_ERR_INVALID_STATE);
    assert_hex(U(p), c->exec_vaddr + PG);
    assert_err(esp_mmu_map(0x210000, PG, FLASH, R, 0, &p), ESP_ERR_INVALID_STATE);
    assert_hex(U(p), c->read_vaddr + PG);
    if (!strcmp(name, "esp32s2")) { /* READ|WRITE goes to DPORT: a third, independent block */
        assert_hex(U(map_ok(0x200000, 2 * PG, FLASH, R | W, 0)), 0x3F500000);
    }
    assert_no_hazards(m);
}
END_TEST

START_TEST(s3_code_and_data_of_one_paddr_share_the_region)
{
    mmsim_t *m = open_bare(chip_named("esp32s3"));
    void *r = map_ok(0x200000, 2 * PG, FLASH, R, 0), *p = NULL;
    assert_err(esp_mmu_map(0x200000, PG, FLASH, X, 0, &p), ESP_ERR_INVALID_STATE);
    assert_hex(U(p), U(r)); /* the data block's own address, not an IBUS one */
    assert_hex(U(r), 0x3C060000);
    assert_no_hazards(m);
}
END_TEST

/* When the region holding the enclosing block has no room, the next compatible region
 * gets an independent block (S2); with no other region the result is NOT_FOUND (ESP32). */
START_TEST(enclosed_range_goes_to_the_next_region_when_its_region_is_full)
{
    mmsim_t *m = open_bare(chip_named("esp32s2"));
    void *a = map_ok(0x200000, PG, FLASH, R, 0);
    assert_hex(U(a), 0x3F020000);
    map_ok(0x400000, 0x3E0000 - PG, FLASH, R, 0); /* fills DROM0 */
    assert_hex(region(1).max_slot, 0);
    void *b = map_ok(0x200000, PG, FLASH, R, 0);
    assert_hex(U(b), 0x3F500000); /* DPORT: READ fits its caps, and it precedes DRAM */
    close_chip(m);

    m = open_bare(chip_named("esp32"));
    a = map_ok(0x200000, PG, FLASH, R, 0);
    map_ok(0x400000, 0x3E0000 - PG, FLASH, R, 0);
    void *p = V(0x1234);
    assert_err(esp_mmu_map(0x200000, PG, FLASH, R, 0, &p), ESP_ERR_NOT_FOUND);
    assert_hex(U(p), 0x1234);
    assert_no_hazards(m);
}
END_TEST

/* The scan stops at the first block (by address) that encloses or overlaps: an earlier
 * overlapping block hides a later enclosing one. */
START_TEST(first_related_block_by_address_decides)
{
    const uint32_t P = 0x200000;
    mmsim_t *m = open_bare(chip_named("esp32s3"));
    void *lo = map_ok(P, 2 * PG, FLASH, R, 0);                   /* [P, P+2) */
    void *hi = map_ok(P + PG, 3 * PG, FLASH, R, SHARED);         /* [P+1, P+4), above */
    ck_assert_uint_lt(U(lo), U(hi));
    void *p = V(0x1234);
    /* [P+1, P+3) overlaps `lo` (first) and is enclosed by `hi`. */
    assert_err(esp_mmu_map(P + PG, 2 * PG, FLASH, R, 0, &p), ESP_ERR_INVALID_ARG);
    assert_hex(U(p), 0x1234);
    assert_hex(U(map_ok(P + PG, 2 * PG, FLASH, R, SHARED)), U(hi) + 3 * PG);
    close_chip(m);

    /* The same blocks in the other address order: the enclosing one is met first. */
    m = open_bare(chip_named("esp32s3"));
    hi = map_ok(P + PG, 3 * PG, FLASH, R, 0);
    lo = map_ok(P, 2 * PG, FLASH, R, SHARED);
    ck_assert_uint_lt(U(hi), U(lo));
    assert_err(esp_mmu_map(P + PG, 2 * PG, FLASH, R, 0, &p), ESP_ERR_INVALID_STATE);
    assert_hex(U(p), U(hi));
    assert_no_hazards(m);
}
END_TEST

/* Boot mappings are no blocks: the app's own flash can be mapped again. */
START_TEST(app_flash_can_be_mapped_again)
{
    const chip_t *c = &CHIPS[_i];
    mmsim_t *m = open_bare(c);
    uint32_t app_code = read32(m, c->irom_vaddr + 0x40);
    void *p = map_ok(0x10000, 0x60000, FLASH, R, 0);
    assert_hex(U(p), c->read_vaddr);
    ck_assert_uint_eq(read32(m, U(p) + 0x40), app_code);
    assert_no_hazards(m);
}
END_TEST

/* ======================================================================================
 * §1.6 what a map does to the hardware: every MMU table, cache invalidation on map only
 * ====================================================================================== */

START_TEST(map_programs_the_mmu_of_every_cpu_and_unmap_clears_it)
{
    const chip_t *c = &CHIPS[_i];
    mmsim_t *m = open_bare(c);
    void *r = map_ok(0x300000, 3 * PG, FLASH, R, 0);
    void *x = map_ok(0x380000, PG, FLASH, X, 0);
    for (uint32_t core = 0; core < mmsim_cores(m); core++) {
        for (uint32_t k = 0; k < 3; k++) {
            uint32_t pa = 0, t = 0;
            ck_assert_int_eq(mmsim_translate(m, core, U(r) + k * PG + 0x20, &pa, &t), 0);
            assert_hex(pa, 0x300000 + k * PG + 0x20);
            ck_assert_uint_eq(t, MMSIM_TARGET_FLASH);
        }
        uint32_t pa = 0;
        ck_assert_int_eq(mmsim_translate(m, core, U(x), &pa, NULL), 0);
        assert_hex(pa, 0x380000);
    }
    assert_err(esp_mmu_unmap(r), ESP_OK);
    for (uint32_t core = 0; core < mmsim_cores(m); core++) {
        for (uint32_t k = 0; k < 3; k++)
            ck_assert_int_eq(mmsim_translate(m, core, U(r) + k * PG, NULL, NULL), MMSIM_ERR_UNMAPPED);
        ck_assert_int_eq(mmsim_translate(m, core, U(x), NULL, NULL), 0);
    }
    assert_no_hazards(m);
}
END_TEST

/* Step 3: the map enables the cache buses of its range on every core.  The chip boots
 * with all buses on, so the test first turns them off (the HAL is used for set-up only).
 * Not on P4, whose external memory is behind L2 and whose L1 bus switch is unused. */
START_TEST(map_enables_the_cache_bus_on_every_core)
{
    const chip_t *c = &CHIPS[_i];
    if (!strcmp(c->name, "esp32p4"))
        return;
    mmsim_t *m = open_bare(c);
    for (uint32_t core = 0; core < mmsim_cores(m); core++)
        cache_ll_l1_disable_bus(core, cache_ll_l1_get_enabled_bus(core));
    for (uint32_t core = 0; core < mmsim_cores(m); core++)
        ck_assert_uint_eq(cache_ll_l1_get_enabled_bus(core), 0);
    void *r = map_ok(0x300000, PG, FLASH, R, 0);
    void *x = map_ok(0x380000, PG, FLASH, X, 0);
    for (uint32_t core = 0; core < mmsim_cores(m); core++) {
        uint32_t w = 0;
        ck_assert_int_eq(mmsim_cpu_read(m, core, U(r), &w, 4), 0);
        ck_assert_int_eq(mmsim_cpu_fetch(m, core, U(x), &w, 4), 0);
        ck_assert_uint_ne(cache_ll_l1_get_enabled_bus(core), 0);
    }
    if (!strcmp(c->name, "esp32s3")) /* exactly the buses of the two ranges */
        for (uint32_t core = 0; core < 2; core++)
            assert_hex(cache_ll_l1_get_enabled_bus(core), 0x9);
    assert_no_hazards(m);
}
END_TEST

static uint64_t invalidations(mmsim_t *m)
{
    uint64_t n = 0;
    for (uint32_t i = 0; i < mmsim_cache_count(m); i++)
        for (uint32_t core = 0; core < mmsim_cores(m); core++) {
            mmsim_cache_stats_t s;
            if (mmsim_cache_stats(m, i, core, &s) == 0)
                n += s.invalidations;
        }
    return n;
}

/* Unmap leaves the cache alone; the next map of the range drops the stale lines, so new
 * flash contents read correctly (§6.4 "munmap followed by mmap flushes cache",
 * "flash_mmap invalidates just-written data"). */
START_TEST(remap_drops_stale_lines_and_unmap_leaves_the_cache)
{
    const chip_t *c = &CHIPS[_i];
    mmsim_t *m = open_bare(c);
    const uint32_t P = 0x300000;
    ck_assert_int_eq(mmsim_flash_erase(m, P, 0x1000), 0);
    flash_put32(m, P, 0x11111111);
    flash_put32(m, P + PG, 0x22222222);
    void *p = map_ok(P, PG, FLASH, R, 0);
    ck_assert_uint_eq(read32(m, U(p)), 0x11111111);
    uint64_t inv = invalidations(m);
    assert_err(esp_mmu_unmap(p), ESP_OK);
    ck_assert_uint_eq(invalidations(m), inv);
    /* Another page at the same vaddr. */
    void *q = map_ok(P + PG, PG, FLASH, R, 0);
    ck_assert_ptr_eq(q, p);
    ck_assert_uint_gt(invalidations(m), inv);
    ck_assert_uint_eq(read32(m, U(q)), 0x22222222);
    assert_err(esp_mmu_unmap(q), ESP_OK);
    /* The first page rewritten while unmapped, then mapped again. */
    ck_assert_int_eq(mmsim_flash_erase(m, P, 0x1000), 0);
    flash_put32(m, P, 0x33333333);
    p = map_ok(P, PG, FLASH, R, 0);
    ck_assert_uint_eq(read32(m, U(p)), 0x33333333);
    assert_no_hazards(m);
}
END_TEST

/* No write-back on unmap: a dirty PSRAM line outlives the unmap and is lost when the
 * next map of the range invalidates it (S2, S3, P4). */
START_TEST(unmap_does_not_write_back_dirty_lines)
{
    static const char *const chips[] = {"esp32s2", "esp32s3", "esp32p4"};
    mmsim_t *m = open_chip(chips[_i], NULL, 0, KB(256), KB(128));
    const uint32_t P = 0x100000;
    void *p = map_ok(P, PG, PSRAM, R | W | B8, 0);
    uint32_t v = 0x11223344, mem = 0;
    ck_assert_int_eq(mmsim_cpu_write(m, 0, U(p), &v, 4), 0);
    assert_err(esp_mmu_unmap(p), ESP_OK);
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
    /* Memory still has the old bytes; the DMA read meets the dirty line. */
    ck_assert_int_eq(mmsim_dma_read(m, MMSIM_TARGET_PSRAM, P, &mem, 4), 0);
    ck_assert_uint_ne(mem, 0x11223344);
    ck_assert_uint_eq(mmsim_hazard_count_kind(m, MMSIM_HAZARD_DMA_STALE), 1);
    void *q = map_ok(P, PG, PSRAM, R | W | B8, 0);
    ck_assert_ptr_eq(q, p);
    ck_assert_uint_ge(mmsim_hazard_count_kind(m, MMSIM_HAZARD_LOST_WRITE), 1);
}
END_TEST

/* ======================================================================================
 * §1.7 errors of esp_mmu_map / esp_mmu_map_virt, in check order, with their log lines
 * ====================================================================================== */

START_TEST(map_errors_come_in_check_order_with_their_messages)
{
    const chip_t *c = &CHIPS[_i];
    mmsim_t *m = open_bare(c);
    char *before = dump_text();
    void *out = V(0x1234);
    log_begin(ESP_LOG_VERBOSE);
    /* The NULL check of esp_mmu_map comes before everything else. */
    assert_err(esp_mmu_map(0x1001, 1, PSRAM, X | W, 0, NULL), ESP_ERR_INVALID_ARG);
    assert_log("E mmap: esp_mmu_map(): null pointer\n");
    /* #1 PSRAM target (any set PSRAM bit) on chips whose driver cannot map it. */
    if (!c->psram) {
        assert_err(esp_mmu_map_virt(0x1001, 0x1001, 1, PSRAM, X | W, 0, &out), ESP_ERR_NOT_SUPPORTED);
        assert_err(esp_mmu_map(0x1001, 1, FLASH | PSRAM, X | W, 0, &out), ESP_ERR_NOT_SUPPORTED);
        assert_log("E mmap: esp_mmu_map_virt(): PSRAM is not supported\n"
                   "E mmap: esp_mmu_map_virt(): PSRAM is not supported\n");
    } else {
        assert_err(esp_mmu_map_virt(0x1001, 0x1001, 1, PSRAM, X | W, 0, &out), ESP_ERR_INVALID_ARG);
        assert_log("E mmap: esp_mmu_map_virt(): paddr must be rounded up to the nearest multiple of "
                   "CONFIG_MMU_PAGE_SIZE\n");
    }
    /* #2 paddr alignment, #3 vaddr alignment, #4 caps. */
    assert_err(esp_mmu_map_virt(0x1001, 0x1001, 1, FLASH, X | W, 0, &out), ESP_ERR_INVALID_ARG);
    assert_err(esp_mmu_map(0x100, PG, FLASH, R, 0, &out), ESP_ERR_INVALID_ARG);
    assert_err(esp_mmu_map_virt(0x1001, 0, 1, FLASH, X | W, 0, &out), ESP_ERR_INVALID_ARG);
    assert_err(esp_mmu_map_virt(c->mid_vaddr + 0x1000, 0, PG, FLASH, R, 0, &out), ESP_ERR_INVALID_ARG);
    assert_err(esp_mmu_map_virt(0, 0, 0x10000000, FLASH, X | W, 0, &out), ESP_ERR_INVALID_ARG);
    assert_err(esp_mmu_map(0, 0x10000000, FLASH, X | B8, 0, &out), ESP_ERR_INVALID_ARG);
    assert_err(esp_mmu_map(0, PG, FLASH, X | R | W | B8 | B32, 0, &out), ESP_ERR_INVALID_ARG);
    /* #5 nothing big enough: NOT_FOUND. */
    assert_err(esp_mmu_map(0, 0x10000000, FLASH, R, 0, &out), ESP_ERR_NOT_FOUND);
    assert_err(esp_mmu_map(0, c->read_max + 1, FLASH, R, 0, &out), ESP_ERR_NOT_FOUND);
    const char *paddr = "E mmap: esp_mmu_map_virt(): paddr must be rounded up to the nearest multiple of "
                        "CONFIG_MMU_PAGE_SIZE\n";
    const char *vaddr = "E mmap: esp_mmu_map_virt(): vaddr must be rounded up to the nearest multiple of "
                        "CONFIG_MMU_PAGE_SIZE\n";
    const char *caps = "E mmap: esp_mmu_map_virt(): invalid caps\n";
    const char *none = "E mmap: esp_mmu_map_virt(): no such vaddr range\n";
    char want[1024];
    snprintf(want, sizeof want, "%s%s%s%s%s%s%s%s%s", paddr, paddr, vaddr, vaddr, caps, caps, caps, none, none);
    assert_log(want);
    /* The largest free range itself is fine. */
    void *big = map_ok(0, c->read_max, FLASH, R, 0);
    assert_err(esp_mmu_unmap(big), ESP_OK);
    assert_log("");
    /* No error wrote out_ptr or left anything behind. */
    assert_hex(U(out), 0x1234);
    assert_dump(before);
    free(before);
    assert_no_hazards(m);
}
END_TEST

/* The invariant check sees what changed behind the driver's back. */
START_TEST(invariants_catch_mmu_writes_behind_the_drivers_back)
{
    mmsim_t *m = open_chip("esp32c6", NULL, 0, 0, 0);
    void *p = map_ok(0x200000, 2 * PG, FLASH, R, 0);
    char why[256];
    ck_assert_int_eq(mmsim_check_invariants(m, why, sizeof why), 0);
    mmu_hal_unmap_region(0, U(p) + PG, PG); /* the block's second page */
    ck_assert_int_eq(mmsim_check_invariants(m, why, sizeof why), MMSIM_ERR_INVARIANT);
    ck_assert_msg(strstr(why, "should map flash 0x00210000") && strstr(why, "but is invalid"), "%s", why);
    uint32_t len = 0;
    mmu_hal_map_region(0, FLASH, U(p) + PG, 0x210000, PG, &len); /* put it back */
    ck_assert_int_eq(mmsim_check_invariants(m, why, sizeof why), 0);
    mmu_hal_map_region(0, FLASH, U(p) + 4 * PG, 0x300000, PG, &len); /* a free page */
    ck_assert_int_eq(mmsim_check_invariants(m, why, sizeof why), MMSIM_ERR_INVARIANT);
    ck_assert_msg(strstr(why, "free page"), "%s", why);
    mmu_hal_unmap_region(0, U(p) + 4 * PG, PG);
    assert_err(esp_mmu_unmap(p), ESP_OK);
}
END_TEST

/* The driver does not check the paddr's upper bound: the HAL's assertion fires instead. */
START_TEST(paddr_beyond_the_mmu_reach_is_left_to_the_hal)
{
    static const struct {
        const char *chip;
        uint32_t reach;  /* pages x page size (§5.1) */
        size_t asserts;  /* one per MMU table written: ESP32 writes both CPUs' (§1.6) */
    } cases[] = {{"esp32c3", MB(16), 1}, {"esp32c2", MB(4), 1}, {"esp32", MB(16), 2}};
    mmsim_t *m = open_bare(chip_named(cases[_i].chip));
    void *p = NULL;
    assert_err(esp_mmu_map(cases[_i].reach, PG, FLASH, R, 0, &p), ESP_OK);
    ck_assert_uint_eq(mmsim_hazard_count_kind(m, MMSIM_HAZARD_HAL_ASSERT), cases[_i].asserts);
    ck_assert_uint_eq(mmsim_hazard_count(m), cases[_i].asserts);
    /* The driver now holds a block the MMU never got: the invariant check says so. */
    char why[256];
    ck_assert_int_eq(mmsim_check_invariants(m, why, sizeof why), MMSIM_ERR_INVARIANT);
    ck_assert_msg(strstr(why, "but is invalid"), "%s", why);
    assert_err(esp_mmu_unmap(p), ESP_OK);
    ck_assert_int_eq(mmsim_check_invariants(m, why, sizeof why), 0);
}
END_TEST


/* P4's PSRAM MMU passes paddrs up to 1 GB but its entry holds a 10-bit page number: page
 * 1024 (64 MB) keeps its low bits and lands on page 0, silently, as on the chip.  The
 * driver's bookkeeping is still consistent with what the MMU can hold. */
START_TEST(p4_page_number_wider_than_the_entry_keeps_its_low_bits)
{
    mmsim_t *m = open_chip("esp32p4", NULL, 0, KB(256), KB(128));
    void *p = map_ok(MB(64), PG, PSRAM, R | W, 0);
    assert_paddr(p, 0, PSRAM);
    char why[256];
    ck_assert_msg(mmsim_check_invariants(m, why, sizeof why) == 0, "%s", why);
    assert_no_hazards(m);
    assert_err(esp_mmu_unmap(p), ESP_OK);
}
END_TEST


START_TEST(mapped_flash_reads_through_the_cache_and_errors_log)
{
    mmsim_t *m = open_chip("esp32c6", NULL, 0, 0, 0);
    ck_assert_int_eq(mmsim_flash_write(m, 0x200000, "\x11\x22\x33\x44", 4), 0);
    void *p = NULL;
    ck_assert_int_eq(esp_mmu_map(0x200000, 100, MMU_TARGET_FLASH0, MMU_MEM_CAP_READ | MMU_MEM_CAP_8BIT, 0, &p), ESP_OK);
    uint32_t w = 0;
    ck_assert_int_eq(mmsim_cpu_read(m, 0, (uint32_t)(uintptr_t)p, &w, 4), 0);
    ck_assert_uint_eq(w, 0x44332211);
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
    esp_log_capture_begin();
    void *q = NULL;
    ck_assert_int_eq(esp_mmu_map(0x200001, 100, MMU_TARGET_FLASH0, MMU_MEM_CAP_READ, 0, &q), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(esp_mmu_map(0x200000, 100, MMU_TARGET_FLASH0, MMU_MEM_CAP_READ, 0, NULL), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(esp_mmu_map(0x210000, 100, MMU_TARGET_PSRAM0, MMU_MEM_CAP_READ, 0, &q), ESP_ERR_NOT_SUPPORTED);
    const char *log = esp_log_capture_text();
    ck_assert_ptr_nonnull(strstr(log, "mmap: esp_mmu_map_virt("));
    ck_assert_ptr_nonnull(strstr(log, "): paddr must be rounded up to the nearest multiple of CONFIG_MMU_PAGE_SIZE\n"));
    ck_assert_ptr_nonnull(strstr(log, "mmap: esp_mmu_map("));
    ck_assert_ptr_nonnull(strstr(log, "): PSRAM is not supported\n"));
    esp_log_capture_end();
    ck_assert_int_eq(esp_mmu_unmap(p), ESP_OK);
    ck_assert_int_eq(esp_mmu_unmap(p), ESP_ERR_NOT_FOUND);
    close_chip(m);
}
END_TEST

/* ======================================================================================
 * §1.8 esp_mmu_unmap
 * ====================================================================================== */

START_TEST(unmap_needs_a_block_start_in_a_region)
{
    const chip_t *c = &CHIPS[_i];
    mmsim_t *m = open_bare(c);
    void *a = map_ok(0x200000, 2 * PG, FLASH, R, 0);
    log_begin(ESP_LOG_VERBOSE);
    assert_err(esp_mmu_unmap(NULL), ESP_ERR_INVALID_ARG);
    assert_err(esp_mmu_unmap((char *)a + PG), ESP_ERR_NOT_FOUND);
    assert_err(esp_mmu_unmap((char *)a + 0x100), ESP_ERR_NOT_FOUND);
    assert_err(esp_mmu_unmap((char *)a + 2 * PG), ESP_ERR_NOT_FOUND); /* free region space */
    assert_err(esp_mmu_unmap(V(c->drom_vaddr)), ESP_ERR_NOT_FOUND);   /* the app: reserved */
    assert_err(esp_mmu_unmap(V(c->irom_vaddr)), ESP_ERR_NOT_FOUND);
    assert_log("E mmap: esp_mmu_unmap(): null pointer\n"
               "E mmap: esp_mmu_unmap(): munmap target pointer isn't mapped yet\n"
               "E mmap: esp_mmu_unmap(): munmap target pointer isn't mapped yet\n"
               "E mmap: esp_mmu_unmap(): munmap target pointer isn't mapped yet\n"
               "E mmap: esp_mmu_unmap(): munmap target pointer is outside external memory regions\n"
               "E mmap: esp_mmu_unmap(): munmap target pointer is outside external memory regions\n");
    ck_assert_int_eq(region(c->read_region).blocks, 1);
    /* Only the linear address counts: the IBUS alias of a data block unmaps it. */
    void *alias = c->alias == ALIAS_TWO ? V(to_ibus(U(a))) : a;
    assert_err(esp_mmu_unmap(alias), ESP_OK);
    assert_err(esp_mmu_unmap(a), ESP_ERR_NOT_FOUND);
    assert_log("E mmap: esp_mmu_unmap(): munmap target pointer isn't mapped yet\n");
    esp_paddr_t pa;
    mmu_target_t t;
    assert_err(esp_mmu_vaddr_to_paddr(a, &pa, &t), ESP_ERR_NOT_FOUND);
    ck_assert_int_eq(region(c->read_region).blocks, 0);
    if (c->alias == ALIAS_TWO) { /* and the DBUS alias of a code block */
        void *x = map_ok(0x200000, PG, FLASH, X, 0);
        assert_err(esp_mmu_unmap(V(U(x) - 0x42000000u + 0x3C000000u)), ESP_OK);
    }
    assert_no_hazards(m);
}
END_TEST

START_TEST(esp32_unmap_outside_every_region)
{
    mmsim_t *m = open_bare(chip_named("esp32"));
    (void)m;
    log_begin(ESP_LOG_VERBOSE);
    /* 0x3F000000 masks to 0x1000000 and 0x40500000 (IRAM1) to 0x500000: in no region. */
    assert_err(esp_mmu_unmap(V(0x3F000000)), ESP_ERR_NOT_FOUND);
    assert_err(esp_mmu_unmap(V(0x40500000)), ESP_ERR_NOT_FOUND);
    assert_log("E mmap: esp_mmu_unmap(): munmap target pointer is outside external memory regions\n"
               "E mmap: esp_mmu_unmap(): munmap target pointer is outside external memory regions\n");
}
END_TEST

/* ======================================================================================
 * §1.9 address conversion
 * ====================================================================================== */

START_TEST(vaddr_to_paddr_errors_and_results)
{
    const chip_t *c = &CHIPS[_i];
    mmsim_t *m = open_bare(c);
    esp_paddr_t pa = 0x1234;
    mmu_target_t t = 0;
    log_begin(ESP_LOG_VERBOSE);
    assert_err(esp_mmu_vaddr_to_paddr(NULL, &pa, &t), ESP_ERR_INVALID_ARG);
    assert_err(esp_mmu_vaddr_to_paddr(V(c->read_vaddr), NULL, &t), ESP_ERR_INVALID_ARG);
    assert_err(esp_mmu_vaddr_to_paddr(V(0x60000000), &pa, &t), ESP_ERR_INVALID_ARG);
    assert_err(esp_mmu_vaddr_to_paddr(V(c->read_vaddr + 4 * PG), &pa, &t), ESP_ERR_NOT_FOUND);
    assert_log("E mmap: esp_mmu_vaddr_to_paddr(): null pointer\n"
               "E mmap: esp_mmu_vaddr_to_paddr(): null pointer\n"
               "E mmap: esp_mmu_vaddr_to_paddr(): not a valid external virtual address\n"
               "E mmap: esp_mmu_vaddr_to_paddr(): vaddr isn't mapped\n");
    assert_hex(pa, 0x1234);
    /* Boot mappings: the app's code from flash 0x10000, its rodata right after. */
    assert_paddr(V(c->irom_vaddr + 0x1234), 0x10000 + 0x1234, FLASH);
    assert_paddr(V(c->drom_vaddr + 0x10), 0x10000 + KB(256) + 0x10, FLASH);
    void *p = map_ok(0x300000, 2 * PG, FLASH, R, 0);
    assert_paddr((char *)p + PG + 0x4, 0x300000 + PG + 0x4, FLASH);
    assert_paddr((char *)p + 2 * PG - 1, 0x300000 + 2 * PG - 1, FLASH);
    assert_log("");
    assert_no_hazards(m);
}
END_TEST

START_TEST(paddr_to_vaddr_errors_and_results)
{
    const chip_t *c = &CHIPS[_i];
    mmsim_t *m = open_bare(c);
    void *v = V(0x1234);
    log_begin(ESP_LOG_VERBOSE);
    assert_err(esp_mmu_paddr_to_vaddr(0x300000, FLASH, MMU_VADDR_DATA, NULL), ESP_ERR_INVALID_ARG);
    assert_err(esp_mmu_paddr_to_vaddr(0x300000, FLASH, MMU_VADDR_DATA, &v), ESP_ERR_NOT_FOUND);
    assert_log("E mmap: esp_mmu_paddr_to_vaddr(): null pointer\n"
               "E mmap: esp_mmu_paddr_to_vaddr(): paddr isn't mapped\n");
    assert_hex(U(v), 0x1234);
    void *p = map_ok(0x300000, 2 * PG, FLASH, R, 0);
    assert_hex(p2v(0x300000 + PG + 0x1234, FLASH, MMU_VADDR_DATA), U(p) + PG + 0x1234);
    if (c->psram) /* a flash page is no PSRAM page */
        assert_err(esp_mmu_paddr_to_vaddr(0x300000, PSRAM, MMU_VADDR_DATA, &v), ESP_ERR_NOT_FOUND);
    /* Boot mappings convert too. */
    assert_hex(p2v(0x10000 + 0x40, FLASH, MMU_VADDR_INSTRUCTION), c->irom_vaddr + 0x40);
    assert_err(esp_mmu_unmap(p), ESP_OK);
    assert_err(esp_mmu_paddr_to_vaddr(0x300000, FLASH, MMU_VADDR_DATA, &v), ESP_ERR_NOT_FOUND);
    assert_no_hazards(m);
}
END_TEST

/* ESP32: a DRAM1 (PSRAM) address computes an entry id past the 384 the LL checks, so the
 * conversion trips a HAL assertion: PSRAM conversion is unsupported on ESP32. */
START_TEST(esp32_psram_vaddr_conversion_trips_the_hal)
{
    mmsim_t *m = open_chip("esp32", NULL, 0, KB(256), KB(128)); /* 8 MB PSRAM, heap in DRAM1 */
    esp_paddr_t pa = 0x1234;
    mmu_target_t t = 0;
    ck_assert_int_ne(esp_mmu_vaddr_to_paddr(V(0x3F800000), &pa, &t), ESP_OK);
    assert_hex(pa, 0x1234);
    ck_assert_uint_eq(mmsim_hazard_count_kind(m, MMSIM_HAZARD_HAL_ASSERT), 1);
}
END_TEST

/* S3/C2/C3: one entry, two addresses; the type picks the bus.  C6/H2/P4: type ignored. */
START_TEST(conversions_follow_the_bus_aliases)
{
    const chip_t *c = &CHIPS[_i];
    mmsim_t *m = open_bare(c);
    if (c->alias == ALIAS_SPLIT)
        return; /* separate entries per bus: see esp32_s2_paddr_to_vaddr_uses_the_first_entry_only */
    void *d = map_ok(0x300000, PG, FLASH, R, 0);
    void *i = map_ok(0x380000, PG, FLASH, X, 0);
    if (c->alias == ALIAS_TWO) {
        assert_paddr(V(to_ibus(U(d)) + 0x44), 0x300044, FLASH);
        assert_paddr(V(U(i) - 0x42000000u + 0x3C000000u + 0x44), 0x380044, FLASH);
        assert_hex(p2v(0x300044, FLASH, MMU_VADDR_DATA), U(d) + 0x44);
        assert_hex(p2v(0x300044, FLASH, MMU_VADDR_INSTRUCTION), to_ibus(U(d)) + 0x44);
        assert_hex(p2v(0x380044, FLASH, MMU_VADDR_DATA), U(i) - 0x42000000u + 0x3C000000u + 0x44);
        assert_hex(p2v(0x380044, FLASH, MMU_VADDR_INSTRUCTION), U(i) + 0x44);
    } else {
        assert_hex(U(i), U(d) + PG);
        assert_hex(p2v(0x300044, FLASH, MMU_VADDR_DATA), U(d) + 0x44);
        assert_hex(p2v(0x300044, FLASH, MMU_VADDR_INSTRUCTION), U(d) + 0x44);
        assert_hex(p2v(0x380044, FLASH, MMU_VADDR_DATA), U(i) + 0x44);
        assert_hex(p2v(0x380044, FLASH, MMU_VADDR_INSTRUCTION), U(i) + 0x44);
    }
    assert_no_hazards(m);
}
END_TEST

/* paddr_to_vaddr takes the lowest valid entry holding the page, whatever was mapped first. */
START_TEST(paddr_to_vaddr_takes_the_first_matching_entry)
{
    const uint32_t P = 0x300000;
    mmsim_t *m = open_bare(chip_named("esp32s3"));
    void *a = map_ok(P, 2 * PG, FLASH, R, 0);
    void *b = map_ok(P + PG, 2 * PG, FLASH, R, SHARED);
    assert_hex(p2v(P + PG + 8, FLASH, MMU_VADDR_DATA), U(a) + PG + 8);
    assert_err(esp_mmu_unmap(a), ESP_OK);
    assert_hex(p2v(P + PG + 8, FLASH, MMU_VADDR_DATA), U(b) + 8);
    close_chip(m);

    /* Mapped high first, then low: the low entry answers. */
    m = open_bare(chip_named("esp32s3"));
    assert_err(esp_mmu_map_virt(0x3D000000, P, PG, FLASH, R, 0, NULL), ESP_OK);
    void *low = map_ok(P - PG, 2 * PG, FLASH, R, SHARED);
    assert_hex(U(low), 0x3C060000);
    assert_hex(p2v(P, FLASH, MMU_VADDR_DATA), 0x3C070000);
    /* The app's code page is mapped by the boot at entry 0 and again by the driver. */
    void *again = map_ok(0x10000, PG, FLASH, R, 0);
    ck_assert_uint_ne(U(again), 0x3C000000);
    assert_hex(p2v(0x10000, FLASH, MMU_VADDR_DATA), 0x3C000000);
    assert_hex(p2v(0x10000, FLASH, MMU_VADDR_INSTRUCTION), 0x42000000);
    assert_no_hazards(m);
}
END_TEST

/* ESP32/S2 have an entry per bus: the first matching entry decides, and when its bus
 * does not serve the requested type the answer is NOT_FOUND even though another entry
 * would.  ESP32: DROM0 entries (0-63) precede IRAM0's; S2: IBUS0's precede DROM0's. */
START_TEST(esp32_s2_paddr_to_vaddr_uses_the_first_entry_only)
{
    const char *name = _i == 0 ? "esp32" : "esp32s2";
    const chip_t *c = chip_named(name);
    mmsim_t *m = open_bare(c);
    const uint32_t P = 0x300000;
    void *v = NULL;
    void *first = map_ok(P, PG, FLASH, _i == 0 ? X : R, 0);
    mmu_vaddr_t first_type = _i == 0 ? MMU_VADDR_INSTRUCTION : MMU_VADDR_DATA;
    mmu_vaddr_t other_type = _i == 0 ? MMU_VADDR_DATA : MMU_VADDR_INSTRUCTION;
    assert_hex(p2v(P + 4, FLASH, first_type), U(first) + 4);
    assert_err(esp_mmu_paddr_to_vaddr(P, FLASH, other_type, &v), ESP_ERR_NOT_FOUND);
    /* Now map it on the bus whose entries come first. */
    void *second = map_ok(P, PG, FLASH, _i == 0 ? R : X, 0);
    assert_hex(U(second), _i == 0 ? c->read_vaddr : c->exec_vaddr);
    assert_hex(p2v(P + 4, FLASH, other_type), U(second) + 4);
    assert_err(esp_mmu_paddr_to_vaddr(P, FLASH, first_type, &v), ESP_ERR_NOT_FOUND);
    assert_no_hazards(m);
}
END_TEST

/* ======================================================================================
 * §1.10 esp_mmu_paddr_find_caps
 * ====================================================================================== */

/* §6.1 #4 "Can find paddr caps by any paddr offset". */
START_TEST(find_caps_at_any_offset_of_a_block)
{
    const chip_t *c = &CHIPS[_i];
    mmsim_t *m = open_bare(c);
    const uint32_t P = 0x300000;
    mmu_mem_caps_t caps = 0x55;
    log_begin(ESP_LOG_VERBOSE);
    assert_err(esp_mmu_paddr_find_caps(P, NULL), ESP_ERR_INVALID_ARG);
    assert_err(esp_mmu_paddr_find_caps(P, &caps), ESP_ERR_NOT_FOUND);
    assert_err(esp_mmu_paddr_find_caps(0x10000, &caps), ESP_ERR_NOT_FOUND); /* boot mapping */
    ck_assert_uint_eq(caps, 0x55);
    void *p = map_ok(P, 2 * PG, FLASH, R, 0);
    ck_assert_uint_eq(find_caps(P), R);
    ck_assert_uint_eq(find_caps(P + 0x100), R);
    ck_assert_uint_eq(find_caps(P + 2 * PG - 1), R);
    assert_err(esp_mmu_paddr_find_caps(P + 2 * PG, &caps), ESP_ERR_NOT_FOUND);
    assert_err(esp_mmu_paddr_find_caps(P - 1, &caps), ESP_ERR_NOT_FOUND);
    /* Caps are stored exactly as passed (§1.15): no 32BIT added to EXEC. */
    map_ok(0x380000, PG, FLASH, X, 0);
    ck_assert_uint_eq(find_caps(0x380010), X);
    map_ok(0x3A0000, PG, FLASH, R | B8, 0);
    ck_assert_uint_eq(find_caps(0x3A0010), R | B8);
    assert_err(esp_mmu_unmap(p), ESP_OK);
    assert_err(esp_mmu_paddr_find_caps(P + 0x100, &caps), ESP_ERR_NOT_FOUND);
    assert_log(""); /* find_caps never logs */
    assert_no_hazards(m);
}
END_TEST

/* A match in a later region overwrites one in an earlier region, whatever the order of
 * mapping (ESP32: code in IRAM0 and data in DROM0 report the data caps). */
START_TEST(find_caps_reports_the_last_region_with_a_match)
{
    const uint32_t P = 0x300000;
    mmsim_t *m = open_bare(chip_named("esp32"));
    void *r = map_ok(P, PG, FLASH, R, 0);
    map_ok(P, PG, FLASH, X, 0);
    ck_assert_uint_eq(find_caps(P + 0x100), R);
    assert_err(esp_mmu_unmap(r), ESP_OK);
    ck_assert_uint_eq(find_caps(P + 0x100), X);
    close_chip(m);

    m = open_bare(chip_named("esp32s2"));
    map_ok(P, PG, FLASH, X, 0);                      /* region 0 */
    void *dport = map_ok(P, PG, FLASH, R | W, 0);     /* region 2 */
    map_ok(P, PG, FLASH, R, 0);                      /* region 1 */
    ck_assert_uint_eq(find_caps(P), R | W);
    void *dram = map_ok(P, PG, FLASH, R | W | B8, 0); /* region 3 */
    ck_assert_uint_eq(find_caps(P), R | W | B8);
    assert_err(esp_mmu_unmap(dram), ESP_OK);
    assert_err(esp_mmu_unmap(dport), ESP_OK);
    ck_assert_uint_eq(find_caps(P), R);
    assert_no_hazards(m);
}
END_TEST

/* Inside a region the first block by address wins; the target is not looked at. */
START_TEST(find_caps_takes_the_first_block_by_address_of_any_target)
{
    const uint32_t P = 0x300000;
    mmsim_t *m = open_chip("esp32s3", NULL, 0, KB(256), KB(128));
    void *a = map_ok(P, 2 * PG, FLASH, R, 0);
    void *b = map_ok(P + PG, 2 * PG, FLASH, R | B8, SHARED);
    ck_assert_uint_lt(U(a), U(b));
    ck_assert_uint_eq(find_caps(P + PG), R);
    ck_assert_uint_eq(find_caps(P + 2 * PG), R | B8);
    assert_err(esp_mmu_unmap(a), ESP_OK);
    void *c = map_ok(P, 2 * PG, FLASH, R | W, SHARED); /* first fit: below b */
    assert_hex(U(c), U(a));
    ck_assert_uint_eq(find_caps(P + PG), R | W);
    /* A PSRAM block answers for its paddr though only the flash paddr was asked about. */
    map_ok(0x700000, PG, PSRAM, R | W | B8 | B32, 0);
    ck_assert_uint_eq(find_caps(0x700000), R | W | B8 | B32);
    assert_no_hazards(m);
}
END_TEST

/* ======================================================================================
 * §1.11 esp_mmu_map_get_max_consecutive_free_block_size
 * ====================================================================================== */

START_TEST(get_max_errors_and_region_filter)
{
    const chip_t *c = &CHIPS[_i];
    mmsim_t *m = open_bare(c);
    size_t len = 0x1234;
    log_begin(ESP_LOG_VERBOSE);
    assert_err(esp_mmu_map_get_max_consecutive_free_block_size(R, FLASH, NULL), ESP_ERR_INVALID_ARG);
    assert_err(esp_mmu_map_get_max_consecutive_free_block_size(X | W, FLASH, &len), ESP_ERR_INVALID_ARG);
    assert_err(esp_mmu_map_get_max_consecutive_free_block_size(X | B8, FLASH, &len), ESP_ERR_INVALID_ARG);
    assert_log("E mmap: esp_mmu_map_get_max_consecutive_free_block_size(): null pointer\n"
               "E mmap: esp_mmu_map_get_max_consecutive_free_block_size(): invalid caps\n"
               "E mmap: esp_mmu_map_get_max_consecutive_free_block_size(): invalid caps\n");
    ck_assert_uint_eq(len, 0x1234);
    assert_hex(max_slot(R, FLASH), c->read_max);
    assert_hex(max_slot(X, FLASH), c->exec_max);
    assert_hex(max_slot(0, 0), c->any_max);
    /* Filters that match no region give 0. */
    if (c->alias == ALIAS_SPLIT)
        assert_hex(max_slot(X | R, FLASH), 0);
    if (!c->psram && strcmp(c->name, "esp32") != 0)
        assert_hex(max_slot(R, PSRAM), 0);
    if (!strcmp(c->name, "esp32")) {
        assert_hex(max_slot(R | W, FLASH), 0);     /* DRAM1 is PSRAM only */
        assert_hex(max_slot(R | W, PSRAM), 0x400000);
    }
    if (c->alias != ALIAS_SPLIT && c->read_max == c->any_max && strcmp(c->name, "esp32s3") != 0)
        assert_hex(max_slot(W, FLASH), 0); /* flash-only chips: no WRITE */
    /* Always a page multiple. */
    map_ok(0x300000, 1, FLASH, R, 0);
    ck_assert_uint_eq(max_slot(R, FLASH) % PG, 0);
    assert_log("");
    assert_no_hazards(m);
}
END_TEST

/* §6.4 "flash_mmap can mmap after get enough free MMU pages". */
START_TEST(get_max_size_can_be_mapped_and_no_more)
{
    const chip_t *c = &CHIPS[_i];
    mmsim_t *m = open_bare(c);
    size_t n = max_slot(R | B8, FLASH);
    void *p = NULL;
    assert_err(esp_mmu_map(0, n + PG, FLASH, R | B8, 0, &p), ESP_ERR_NOT_FOUND);
    p = map_ok(0, n, FLASH, R | B8, 0);
    ck_assert_uint_lt(max_slot(R | B8, FLASH), n);
    assert_err(esp_mmu_unmap(p), ESP_OK);
    ck_assert_uint_eq(max_slot(R | B8, FLASH), n);
    assert_no_hazards(m);
}
END_TEST

/* ======================================================================================
 * §1.13 the dump, byte for byte (widths from the reference, not from the driver)
 * ====================================================================================== */

/* §6.1 #1 "Can dump mapped block stats". */
START_TEST(s3_dump_matches_the_reference_example_byte_for_byte)
{
    const char *no_psram[] = {"psram_size=0"};
    mmsim_t *m = open_chip("esp32s3", no_psram, 1, 0x40000, 0x20000);
    void *a, *b, *c;
    ck_assert_int_eq(esp_mmu_map(0x110000, 0x10000, MMU_TARGET_FLASH0, MMU_MEM_CAP_READ, 0, &a), ESP_OK);
    ck_assert_int_eq(esp_mmu_map(0x120000, 0x10000, MMU_TARGET_FLASH0, MMU_MEM_CAP_EXEC, 0, &b), ESP_OK);
    ck_assert_int_eq(esp_mmu_map(0x130000, 0x10000, MMU_TARGET_FLASH0, MMU_MEM_CAP_READ, 0, &c), ESP_OK);
    ck_assert_ptr_eq(a, (void *)0x3c060000);
    ck_assert_ptr_eq(b, (void *)0x42070000);
    ck_assert_ptr_eq(c, (void *)0x3c080000);
    char *text = dump_text();
    const char *want = "region 0:\n"
                       "Bus ID          Start          Free Head      End          Caps         Max Slot Size\n"
                       "0x9             0x0            0x60000        0x2000000    0x1f         0x1f70000 \n"
                       "mapped blocks:\n"
                       "ID   Vaddr Start   Vaddr End    Block Size   Caps   Paddr Start   Paddr End  \n"
                       "0    0x3c060000    0x3c070000   0x10000      0x2    0x110000      0x120000  \n"
                       "1    0x42070000    0x42080000   0x10000      0x1    0x120000      0x130000  \n"
                       "2    0x3c080000    0x3c090000   0x10000      0x2    0x130000      0x140000  \n"
                       "\n";
    ck_assert_str_eq(text, want);
    free(text);
    ck_assert_int_eq(esp_mmu_unmap(a), ESP_OK);
    ck_assert_int_eq(esp_mmu_unmap(b), ESP_OK);
    ck_assert_int_eq(esp_mmu_unmap(c), ESP_OK);
    close_chip(m);
}
END_TEST

/* ESP32 with its default 8 MB PSRAM: DRAM1 consumed by the heap, code and data of one
 * paddr in two regions, a block rounded up to two pages. */
START_TEST(esp32_dump_byte_for_byte)
{
    mmsim_t *m = open_chip("esp32", NULL, 0, KB(256), KB(128));
    (void)m;
    assert_hex(U(map_ok(0x100000, PG, FLASH, X, 0)), 0x40110000);
    assert_hex(U(map_ok(0x100000, PG, FLASH, R, 0)), 0x3F420000);
    assert_hex(U(map_ok(0x110000, PG + 1, FLASH, R | B8, 0)), 0x3F430000);
    assert_dump("region 0:\n"
                "Bus ID          Start          Free Head      End          Caps         Max Slot Size\n"
                "0x1             0xd0000        0x110000       0x400000     0x9          0x2e0000  \n"
                "mapped blocks:\n"
                "ID   Vaddr Start   Vaddr End    Block Size   Caps   Paddr Start   Paddr End  \n"
                "0    0x40110000    0x40120000   0x10000      0x1    0x100000      0x110000  \n"
                "\n"
                "region 1:\n"
                "Bus ID          Start          Free Head      End          Caps         Max Slot Size\n"
                "0x8             0x1400000      0x1420000      0x1800000    0x1a         0x3b0000  \n"
                "mapped blocks:\n"
                "ID   Vaddr Start   Vaddr End    Block Size   Caps   Paddr Start   Paddr End  \n"
                "0    0x3f420000    0x3f430000   0x10000      0x2    0x100000      0x110000  \n"
                "1    0x3f430000    0x3f450000   0x20000      0x12   0x110000      0x130000  \n"
                "\n"
                "region 2:\n"
                "Bus ID          Start          Free Head      End          Caps         Max Slot Size\n"
                "0x10            0x1800000      0x1c00000      0x1c00000    0x1e         0x0       \n"
                "mapped blocks:\n"
                "ID   Vaddr Start   Vaddr End    Block Size   Caps   Paddr Start   Paddr End  \n"
                "\n");
}
END_TEST

/* ESP32-S2 with its default 2 MB PSRAM: four regions after coalescing, block ids
 * restart per region and follow addresses, not mapping order. */
START_TEST(s2_dump_byte_for_byte)
{
    mmsim_t *m = open_chip("esp32s2", NULL, 0, KB(256), KB(128));
    (void)m;
    assert_err(esp_mmu_map_virt(0x3F030000, 0x120000, 0x18000, FLASH, R | B8, 0, NULL), ESP_OK);
    assert_hex(U(map_ok(0x100000, PG, FLASH, R, 0)), 0x3F020000);
    assert_hex(U(map_ok(0x100000, PG, FLASH, R | W, 0)), 0x3F500000);
    assert_hex(U(map_ok(0x200000, PG, FLASH, R | W | B8, 0)), 0x3FA00000);
    assert_hex(U(map_ok(0x300000, PG, FLASH, X, 0)), 0x400C0000);
    assert_dump("region 0:\n"
                "Bus ID          Start          Free Head      End          Caps         Max Slot Size\n"
                "0x1             0x80000        0xc0000        0x400000     0x9          0x330000  \n"
                "mapped blocks:\n"
                "ID   Vaddr Start   Vaddr End    Block Size   Caps   Paddr Start   Paddr End  \n"
                "0    0x400c0000    0x400d0000   0x10000      0x1    0x300000      0x310000  \n"
                "\n"
                "region 1:\n"
                "Bus ID          Start          Free Head      End          Caps         Max Slot Size\n"
                "0x4             0x1000000      0x1020000      0x1400000    0x1a         0x3b0000  \n"
                "mapped blocks:\n"
                "ID   Vaddr Start   Vaddr End    Block Size   Caps   Paddr Start   Paddr End  \n"
                "0    0x3f020000    0x3f030000   0x10000      0x2    0x100000      0x110000  \n"
                "1    0x3f030000    0x3f050000   0x20000      0x12   0x120000      0x140000  \n"
                "\n"
                "region 2:\n"
                "Bus ID          Start          Free Head      End          Caps         Max Slot Size\n"
                "0x20            0x1500000      0x1500000      0x1800000    0xe          0x2f0000  \n"
                "mapped blocks:\n"
                "ID   Vaddr Start   Vaddr End    Block Size   Caps   Paddr Start   Paddr End  \n"
                "0    0x3f500000    0x3f510000   0x10000      0x6    0x100000      0x110000  \n"
                "\n"
                "region 3:\n"
                "Bus ID          Start          Free Head      End          Caps         Max Slot Size\n"
                "0x18            0x1800000      0x1a00000      0x1f80000    0x1e         0x570000  \n"
                "mapped blocks:\n"
                "ID   Vaddr Start   Vaddr End    Block Size   Caps   Paddr Start   Paddr End  \n"
                "0    0x3fa00000    0x3fa10000   0x10000      0x16   0x200000      0x210000  \n"
                "\n");
}
END_TEST

/* ESP32-P4 with its default 32 MB PSRAM: flash and PSRAM regions, PSRAM block after the heap. */
START_TEST(p4_dump_byte_for_byte)
{
    mmsim_t *m = open_chip("esp32p4", NULL, 0, KB(256), KB(128));
    (void)m;
    assert_hex(U(map_ok(0x100000, PG, FLASH, R, 0)), 0x40060000);
    assert_hex(U(map_ok(0x200000, PG, FLASH, X, 0)), 0x40070000);
    assert_hex(U(map_ok(0x1F00000, 2 * PG, PSRAM, R | W, 0)), 0x4A000000);
    assert_dump("region 0:\n"
                "Bus ID          Start          Free Head      End          Caps         Max Slot Size\n"
                "0x9             0x0            0x60000        0x4000000    0x1f         0x3f80000 \n"
                "mapped blocks:\n"
                "ID   Vaddr Start   Vaddr End    Block Size   Caps   Paddr Start   Paddr End  \n"
                "0    0x40060000    0x40070000   0x10000      0x2    0x100000      0x110000  \n"
                "1    0x40070000    0x40080000   0x10000      0x1    0x200000      0x210000  \n"
                "\n"
                "region 1:\n"
                "Bus ID          Start          Free Head      End          Caps         Max Slot Size\n"
                "0x12            0x8000000      0xa000000      0xc000000    0x1f         0x1fe0000 \n"
                "mapped blocks:\n"
                "ID   Vaddr Start   Vaddr End    Block Size   Caps   Paddr Start   Paddr End  \n"
                "0    0x4a000000    0x4a020000   0x20000      0x6    0x1f00000     0x1f20000 \n"
                "\n");
}
END_TEST

/* The private IRAM variant: per region, each block's fields as INFO lines, then the
 * region's bus id, start, end and caps. */
START_TEST(private_dump_logs_blocks_then_the_region)
{
    mmsim_t *m = open_bare(chip_named("esp32s3"));
    (void)m;
    map_ok(0x100000, PG, FLASH, R, 0);
    log_begin(ESP_LOG_INFO);
    assert_err(esp_mmu_map_dump_mapped_blocks_private(), ESP_OK);
    char *log = log_take();
    const char *vs = strstr(log, "I mmap: block vaddr_start: 0x3c060000\n");
    const char *bus = strstr(log, "I mmap: region bus_id: 0x9\n");
    ck_assert_ptr_eq(vs, log);
    ck_assert_ptr_nonnull(bus);
    ck_assert_ptr_nonnull(strstr(log, "block paddr_start: 0x100000\n"));
    ck_assert_ptr_nonnull(strstr(log, "region start: 0x0\n"));
    ck_assert_ptr_nonnull(strstr(log, "region end: 0x2000000\n"));
    ck_assert_ptr_nonnull(strstr(log, "region caps: 0x1f\n"));
    for (const char *l = log; *l; l = strchr(l, '\n') + 1)
        ck_assert_int_eq(l[0], 'I');
    free(log);
}
END_TEST

/* ======================================================================================
 * §1.16 version differences: INVALID_STATE pointer, its log level, the logging function
 * ====================================================================================== */

static const struct {
    const char *version;
    bool offset; /* the INVALID_STATE pointer includes the offset into the block */
    char level;  /* the "mapped already" line */
} VERSIONS[] = {
    {"v5.1", false, 'W'},   {"v5.1.4", false, 'W'}, {"v5.1.5", true, 'W'},  {"v5.1.6", true, 'W'},
    {"v5.1.7", true, 'E'},  {"v5.2.0", false, 'W'}, {"v5.2.2", false, 'W'}, {"v5.2.3", true, 'W'},
    {"v5.2.5", true, 'W'},  {"v5.2.6", true, 'D'},  {"v5.2.7", true, 'D'},  {"v5.3.0", false, 'W'},
    {"v5.3.1", true, 'W'},  {"v5.3.3", true, 'W'},  {"v5.3.4", true, 'D'},  {"v5.3.5", true, 'D'},
    {"v5.4", true, 'W'},    {"v5.4.1", true, 'W'},  {"v5.4.2", true, 'E'},  {"v5.4.3", true, 'D'},
    {"v5.5.0", true, 'E'},  {"v5.5.1", true, 'D'},  {"v5.5.3", true, 'D'},  {"v5.5.5", true, 'D'},
    {"v6.0", true, 'D'},    {"v6.0.2", true, 'D'},  {"v6.1", true, 'D'},    {"master", true, 'D'},
};
#define NVERSIONS ((int)(sizeof VERSIONS / sizeof VERSIONS[0]))

START_TEST(invalid_state_pointer_and_log_level_by_version)
{
    mmsim_config_t cfg = mmsim_config_default("esp32s3");
    cfg.idf_version = VERSIONS[_i].version;
    cfg.sets = NO_PSRAM;
    cfg.nsets = 1;
    cfg.app_irom_size = KB(256);
    cfg.app_drom_size = KB(128);
    mmsim_t *m = open_cfg(&cfg);
    void *a = map_ok(0x200000, 2 * PG, FLASH, R, 0), *p = NULL;
    assert_hex(U(a), 0x3C060000);
    log_begin(ESP_LOG_VERBOSE);
    assert_err(esp_mmu_map(0x210000, PG, FLASH, R, 0, &p), ESP_ERR_INVALID_STATE);
    assert_hex(U(p), VERSIONS[_i].offset ? 0x3C070000 : 0x3C060000);
    char want[400];
    snprintf(want, sizeof want, "%c mmap: paddr block is mapped already, vaddr_start: 0x3c060000, size: 0x20000\n",
             VERSIONS[_i].level);
    assert_log(want);
    /* Identical range: the block start in every version. */
    assert_err(esp_mmu_map(0x200000, 2 * PG, FLASH, R, 0, &p), ESP_ERR_INVALID_STATE);
    assert_hex(U(p), 0x3C060000);
    assert_log(want);
    /* At the default INFO level only the WARNING and ERROR variants show. */
    esp_log_level_set("*", ESP_LOG_INFO);
    assert_err(esp_mmu_map(0x210000, PG, FLASH, R, 0, &p), ESP_ERR_INVALID_STATE);
    assert_log(VERSIONS[_i].level == 'D' ? "" : want);
    /* esp_mmu_map_virt exists since v6.1-beta1 (§1.1); before, the checks were in
     * esp_mmu_map itself and its error lines name it. */
    const char *func = strcmp(VERSIONS[_i].version, "v6.1") && strcmp(VERSIONS[_i].version, "master")
                           ? "esp_mmu_map" : "esp_mmu_map_virt";
    assert_err(esp_mmu_map(0x1001, PG, FLASH, R, 0, &p), ESP_ERR_INVALID_ARG);
    assert_err(esp_mmu_map(0, PG, FLASH, X | W, 0, &p), ESP_ERR_INVALID_ARG);
    assert_err(esp_mmu_map(0, 0x10000000, FLASH, R, 0, &p), ESP_ERR_NOT_FOUND);
    snprintf(want, sizeof want, "E mmap: %s(): paddr must be rounded up to the nearest multiple of CONFIG_MMU_PAGE_SIZE\n"
             "E mmap: %s(): invalid caps\n"
             "E mmap: %s(): no such vaddr range\n", func, func, func);
    assert_log(want);
    assert_no_hazards(m);
}
END_TEST

/* ======================================================================================
 * §6.1 / §6.2 Espressif's test apps, in our words
 * ====================================================================================== */

/* §6.2 #12/#13: map page after page until NOT_FOUND; every free page of every compatible
 * region is used; every mapping reads its own page.  (mmap_hw maps one page over and
 * over with the relation checks compiled out; here each mapping gets its own page, so the
 * checks stay on and every read proves the right page was mapped.) */
typedef struct {
    const char *chip;
    uint32_t flash, page;
    bool psram; /* keep the chip's default PSRAM (heap reserved at boot) */
    uint32_t read_pages, exec_pages;
} exhaust_case_t;

static const exhaust_case_t EXHAUST[] = {
    {"esp32", MB(4), 0, false, 62, 47},
    {"esp32", MB(4), 0, true, 62, 47},
    {"esp32s2", MB(16), 0, false, 62 + 48 + 120, 52},
    {"esp32s2", MB(16), 0, true, 62 + 48 + 120 - 32, 52}, /* 2 MB heap in DRAM */
    {"esp32s3", MB(32), 0, false, 506, 506},
    {"esp32s3", MB(32), 0, true, 506 - 128, 506 - 128}, /* 8 MB heap */
    {"esp32c2", MB(4), 0, false, 58, 58},
    {"esp32c2", MB(1), 0x4000, false, 64 - 24, 64 - 24},
    {"esp32c3", MB(16), 0, false, 122, 122},
    {"esp32c6", MB(16), 0, false, 122, 122},
    {"esp32c6", MB(4), 0x4000, false, 128 - 24, 128 - 24},
    {"esp32h2", MB(16), 0, false, 122, 122},
    {"esp32h2", MB(4), 0x8000, false, 128 - 12, 128 - 12},
    {"esp32p4", MB(64), 0, false, 1018, 1018},
    {"esp32p4", MB(64), 0, true, 1018, 1018},
};
#define NEXHAUST ((int)(sizeof EXHAUST / sizeof EXHAUST[0]))

static void exhaust(const exhaust_case_t *x, mmu_mem_caps_t caps, uint32_t expect)
{
    mmsim_config_t cfg = mmsim_config_default(x->chip);
    cfg.flash_size = x->flash;
    cfg.mmu_page_size = x->page;
    cfg.app_irom_size = KB(256);
    cfg.app_drom_size = KB(128);
    if (!x->psram) {
        cfg.sets = NO_PSRAM;
        cfg.nsets = 1;
    }
    mmsim_t *m = open_cfg(&cfg);
    const uint32_t page = mmsim_page_size(m);
    const bool exec = caps & X;
    char *fresh = dump_text();
    size_t free_before = max_slot(caps, FLASH);
    /* The free space of the compatible flash regions, from the dump (PSRAM-only regions:
     * ESP32 DRAM1 and P4's second region, are left out by index). */
    region_t rs[8];
    int n = dump_regions(rs, 8);
    uint64_t free_bytes = 0;
    for (int i = 0; i < n; i++) {
        bool psram_only = (!strcmp(x->chip, "esp32") && i == 2) || (!strcmp(x->chip, "esp32p4") && i == 1);
        if ((rs[i].caps & caps) == caps && !psram_only)
            free_bytes += rs[i].max_slot;
    }
    ck_assert_uint_eq(free_bytes, (uint64_t)expect * page);
    for (uint32_t i = 0; i <= expect; i++)
        flash_put32(m, i * page, 0xA5000000u | i);
    void **v = calloc(expect + 2, sizeof *v);
    ck_assert_ptr_nonnull(v);
    uint32_t count = 0;
    log_begin(ESP_LOG_VERBOSE);
    for (;;) {
        ck_assert_msg(count <= expect, "%s: more than %u mappings", x->chip, expect);
        esp_err_t e = esp_mmu_map(count * page, page, FLASH, caps, 0, &v[count]);
        if (e == ESP_ERR_NOT_FOUND)
            break;
        ck_assert_msg(e == ESP_OK, "%s: mapping %u returned %s", x->chip, count, esp_err_to_name(e));
        count++;
    }
    assert_log("E mmap: esp_mmu_map_virt(): no such vaddr range\n");
    ck_assert_uint_eq(count, expect);
    ck_assert_uint_eq(max_slot(caps, FLASH), 0);
    for (uint32_t i = 0; i < count; i++) {
        uint32_t va = U(v[i]);
        ck_assert_uint_eq(exec ? fetch32(m, va) : read32(m, va), 0xA5000000u | i);
        if (exec) /* §6.2 #13: the conversion at every 0x100 of the page */
            for (uint32_t off = 0; off < page; off += 0x100) {
                esp_paddr_t pa = 0;
                mmu_target_t t = 0;
                assert_err(esp_mmu_vaddr_to_paddr(V(va + off), &pa, &t), ESP_OK);
                ck_assert_uint_eq(pa, i * page + off);
            }
    }
    assert_no_hazards(m);
    for (uint32_t i = 0; i < count; i++)
        assert_err(esp_mmu_unmap(v[i]), ESP_OK);
    ck_assert_uint_eq(max_slot(caps, FLASH), free_before);
    assert_dump(fresh);
    free(v);
    free(fresh);
}

START_TEST(all_readable_vaddr_maps_flash)
{
    exhaust(&EXHAUST[_i], R, EXHAUST[_i].read_pages);
}
END_TEST

START_TEST(all_executable_vaddr_maps_flash)
{
    exhaust(&EXHAUST[_i], X, EXHAUST[_i].exec_pages);
}
END_TEST

/* §6.1 #5 "Test mmap concurrency", single-threaded: two interleaved tasks map random
 * pages of storage1 (READ|8BIT, PADDR_SHARED, size 1 + offset in page) and unmap. */
START_TEST(interleaved_map_unmap_keeps_the_books)
{
    const chip_t *c = &CHIPS[_i];
    mmsim_t *m = open_bare(c);
    const uint32_t storage = 0x110000, storage_size = KB(512);
    for (uint32_t pa = storage; pa < storage + storage_size; pa += PG)
        flash_put32(m, pa, 0x5A000000u | pa >> 16);
    char *fresh = dump_text();
    uint32_t seed = 12345;
    struct {
        void *ptr;
        bool own;     /* esp_mmu_map returned OK: the task unmaps it */
        uint32_t page;
    } task[2] = {{0}};
    for (int it = 0; it < 20000; it++) {
        int t = it & 1;
        if (task[t].ptr) {
            if (task[t].own)
                assert_err(esp_mmu_unmap(task[t].ptr), ESP_OK);
            task[t].ptr = NULL;
            continue;
        }
        seed = seed * 1103515245u + 12345u;
        uint32_t pa = storage + (seed >> 8) % storage_size;
        uint32_t page = pa & ~(PG - 1);
        void *p = NULL;
        esp_err_t e = esp_mmu_map(page, 1 + (pa - page), FLASH, R | B8, SHARED, &p);
        const int o = !t;
        if (task[o].ptr && task[o].own && task[o].page == page) {
            assert_err(e, ESP_ERR_INVALID_STATE); /* the other task holds this page */
            ck_assert_ptr_eq(p, task[o].ptr);
        } else {
            assert_err(e, ESP_OK);
        }
        ck_assert_uint_eq(read32(m, U(p)), 0x5A000000u | page >> 16);
        task[t].ptr = p;
        task[t].own = e == ESP_OK;
        task[t].page = page;
    }
    for (int t = 0; t < 2; t++)
        if (task[t].ptr && task[t].own)
            assert_err(esp_mmu_unmap(task[t].ptr), ESP_OK);
    assert_dump(fresh);
    free(fresh);
    assert_no_hazards(m);
}
END_TEST

/* ======================================================================================
 * §6.4 spi_flash consumer tests, in our words
 * ====================================================================================== */

/* "Can mmap unordered pages into contiguous memory": fixed placement page by page. */
START_TEST(unordered_pages_map_into_contiguous_vaddr)
{
    const chip_t *c = &CHIPS[_i];
    mmsim_t *m = open_bare(c);
    static const uint32_t pages[] = {0x35, 0x32, 0x39, 0x30};
    for (size_t k = 0; k < 4; k++) {
        flash_put32(m, pages[k] * PG, 0xB0000000u | pages[k]);
        flash_put32(m, pages[k] * PG + PG - 4, 0xE0000000u | pages[k]);
    }
    for (size_t k = 0; k < 4; k++)
        assert_err(esp_mmu_map_virt(c->mid_vaddr + (uint32_t)k * PG, pages[k] * PG, PG, FLASH, R, 0, NULL), ESP_OK);
    for (size_t k = 0; k < 3; k++) {
        uint32_t two[2];
        ck_assert_int_eq(mmsim_cpu_read(m, 0, c->mid_vaddr + (uint32_t)(k + 1) * PG - 4, two, 8), 0);
        ck_assert_uint_eq(two[0], 0xE0000000u | pages[k]);
        ck_assert_uint_eq(two[1], 0xB0000000u | pages[k + 1]);
    }
    assert_no_hazards(m);
}
END_TEST

/* "Can get correct data in existing mapped region": spi_flash_mmap takes INVALID_STATE
 * as success and reads through the pointer into the existing block. */
START_TEST(existing_mapping_serves_an_enclosed_request)
{
    const chip_t *c = &CHIPS[_i];
    mmsim_t *m = open_bare(c);
    const uint32_t P = 0x200000;
    for (uint32_t k = 0; k < 3; k++)
        flash_put32(m, P + k * PG + 0x80, 0xD0000000u | k);
    void *a = map_ok(P, 3 * PG, FLASH, R | B8, SHARED), *p = NULL;
    assert_err(esp_mmu_map(P + 2 * PG, 0x100, FLASH, R | B8, SHARED, &p), ESP_ERR_INVALID_STATE);
    assert_hex(U(p), U(a) + 2 * PG);
    ck_assert_uint_eq(read32(m, U(p) + 0x80), 0xD0000002u);
    assert_no_hazards(m);
}
END_TEST

/* "mapped region unaffected by erase of another region", and consistent conversions
 * ("mmap consistent with phys2cache/cache2phys"). */
START_TEST(erase_elsewhere_leaves_a_mapping_alone_and_conversions_agree)
{
    const chip_t *c = &CHIPS[_i];
    mmsim_t *m = open_bare(c);
    const uint32_t P = 0x200000, Q = 0x280000;
    flash_put32(m, P + 0x40, 0xFACE0001);
    void *p = map_ok(P, PG, FLASH, R, 0);
    ck_assert_uint_eq(read32(m, U(p) + 0x40), 0xFACE0001);
    ck_assert_int_eq(mmsim_flash_erase(m, Q, PG), 0);
    ck_assert_uint_eq(read32(m, U(p) + 0x40), 0xFACE0001);
    assert_paddr((char *)p + 0x40, P + 0x40, FLASH);
    assert_hex(p2v(P + 0x40, FLASH, MMU_VADDR_DATA), U(p) + 0x40);
    assert_err(esp_mmu_unmap(p), ESP_OK);
    esp_paddr_t pa;
    mmu_target_t t;
    void *v;
    assert_err(esp_mmu_vaddr_to_paddr((char *)p + 0x40, &pa, &t), ESP_ERR_NOT_FOUND);
    assert_err(esp_mmu_paddr_to_vaddr(P + 0x40, FLASH, MMU_VADDR_DATA, &v), ESP_ERR_NOT_FOUND);
    assert_no_hazards(m);
}
END_TEST

/* ---- suite ---------------------------------------------------------------------------- */

static TCase *tc(Suite *s, const char *name)
{
    TCase *t = tcase_create(name);
    tcase_add_checked_fixture(t, NULL, teardown);
    tcase_set_timeout(t, 120);
    suite_add_tcase(s, t);
    return t;
}

static Suite *map_suite(void)
{
    Suite *s = suite_create("esp_mmu_map");
    TCase *t = tc(s, "1.1 constants");
    tcase_add_test(t, public_constants_have_the_idf_values);
    tcase_add_test(t, only_flag_bit_0_counts);

    t = tc(s, "1.3 start-up");
    tcase_add_loop_test(t, boot_reserves_the_app_from_each_region_start, 0, NCHIPS);
    tcase_add_test(t, boot_reservation_rounds_to_the_configured_page_size);
    tcase_add_test(t, esp32_app_as_large_as_iram0_consumes_the_region);
    tcase_add_test(t, boot_reservation_shortens_every_region_on_the_bus);
    tcase_add_test(t, s2_coalesces_dram1_and_dram0);
    tcase_add_test(t, psram_heap_takes_its_region_at_boot);
    tcase_add_test(t, reserve_block_advances_the_free_head);

    t = tc(s, "1.4 placement");
    tcase_add_loop_test(t, first_map_lands_at_the_free_head_on_the_caps_bus, 0, NCHIPS);
    tcase_add_test(t, s2_takes_the_first_region_in_table_order);
    tcase_add_test(t, esp32_regions_follow_caps_and_target);
    tcase_add_test(t, p4_target_selects_the_region_and_caps_zero_matches_any);
    tcase_add_test(t, s3_caps_zero_and_target_zero_match_the_region);
    tcase_add_test(t, invariants_catch_mmu_writes_behind_the_drivers_back);
    tcase_add_loop_test(t, first_fit_and_max_slot_after_every_operation, 0, NCHIPS);
    tcase_add_loop_test(t, dummy_blocks_never_show, 0, NCHIPS);
    tcase_add_loop_test(t, map_virt_places_the_block_at_the_requested_vaddr, 0, NCHIPS);
    tcase_add_loop_test(t, map_virt_refuses_taken_reserved_and_foreign_ranges, 0, NCHIPS);
    tcase_add_loop_test(t, map_virt_needs_the_bus_address_of_the_caps, 0, NCHIPS);
    tcase_add_test(t, map_virt_on_p4_needs_the_window_of_the_target);
    tcase_add_test(t, s2_map_virt_uses_the_compatible_region_holding_the_range);
    tcase_add_test(t, map_virt_checks_the_paddr_before_the_vaddr);

    t = tc(s, "1.5 relations");
    tcase_add_loop_test(t, paddr_relations_enclosed_identical_overlapped_adjacent, 0, NCHIPS);
    tcase_add_loop_test(t, invalid_state_pointer_unmaps_only_the_original_block_start, 0, NCHIPS);
    tcase_add_loop_test(t, paddr_relation_is_per_target, 0, 2);
    tcase_add_loop_test(t, paddr_relation_is_per_region, 0, 2);
    tcase_add_test(t, s3_code_and_data_of_one_paddr_share_the_region);
    tcase_add_test(t, enclosed_range_goes_to_the_next_region_when_its_region_is_full);
    tcase_add_test(t, first_related_block_by_address_decides);
    tcase_add_loop_test(t, app_flash_can_be_mapped_again, 0, NCHIPS);

    t = tc(s, "1.6-1.8 hardware, errors, unmap");
    tcase_add_loop_test(t, map_programs_the_mmu_of_every_cpu_and_unmap_clears_it, 0, NCHIPS);
    tcase_add_loop_test(t, map_enables_the_cache_bus_on_every_core, 0, NCHIPS);
    tcase_add_loop_test(t, remap_drops_stale_lines_and_unmap_leaves_the_cache, 0, NCHIPS);
    tcase_add_loop_test(t, unmap_does_not_write_back_dirty_lines, 0, 3);
    tcase_add_loop_test(t, map_errors_come_in_check_order_with_their_messages, 0, NCHIPS);
    tcase_add_test(t, p4_page_number_wider_than_the_entry_keeps_its_low_bits);
    tcase_add_loop_test(t, paddr_beyond_the_mmu_reach_is_left_to_the_hal, 0, 3);
    tcase_add_test(t, mapped_flash_reads_through_the_cache_and_errors_log);
    tcase_add_loop_test(t, unmap_needs_a_block_start_in_a_region, 0, NCHIPS);
    tcase_add_test(t, esp32_unmap_outside_every_region);

    t = tc(s, "1.9-1.11 conversions, caps, free size");
    tcase_add_loop_test(t, vaddr_to_paddr_errors_and_results, 0, NCHIPS);
    tcase_add_loop_test(t, paddr_to_vaddr_errors_and_results, 0, NCHIPS);
    tcase_add_loop_test(t, conversions_follow_the_bus_aliases, 0, NCHIPS);
    tcase_add_test(t, esp32_psram_vaddr_conversion_trips_the_hal);
    tcase_add_test(t, paddr_to_vaddr_takes_the_first_matching_entry);
    tcase_add_loop_test(t, esp32_s2_paddr_to_vaddr_uses_the_first_entry_only, 0, 2);
    tcase_add_loop_test(t, find_caps_at_any_offset_of_a_block, 0, NCHIPS);
    tcase_add_test(t, find_caps_reports_the_last_region_with_a_match);
    tcase_add_test(t, find_caps_takes_the_first_block_by_address_of_any_target);
    tcase_add_loop_test(t, get_max_errors_and_region_filter, 0, NCHIPS);
    tcase_add_loop_test(t, get_max_size_can_be_mapped_and_no_more, 0, NCHIPS);

    t = tc(s, "1.13 dump");
    tcase_add_test(t, s3_dump_matches_the_reference_example_byte_for_byte);
    tcase_add_test(t, esp32_dump_byte_for_byte);
    tcase_add_test(t, s2_dump_byte_for_byte);
    tcase_add_test(t, p4_dump_byte_for_byte);
    tcase_add_test(t, private_dump_logs_blocks_then_the_region);

    t = tc(s, "1.16 versions");
    tcase_add_loop_test(t, invalid_state_pointer_and_log_level_by_version, 0, NVERSIONS);

    t = tc(s, "6 Espressif's tests");
    tcase_add_loop_test(t, all_readable_vaddr_maps_flash, 0, NEXHAUST);
    tcase_add_loop_test(t, all_executable_vaddr_maps_flash, 0, NEXHAUST);
    tcase_add_loop_test(t, interleaved_map_unmap_keeps_the_books, 0, NCHIPS);
    tcase_add_loop_test(t, unordered_pages_map_into_contiguous_vaddr, 0, NCHIPS);
    tcase_add_loop_test(t, existing_mapping_serves_an_enclosed_request, 0, NCHIPS);
    tcase_add_loop_test(t, erase_elsewhere_leaves_a_mapping_alone_and_conversions_agree, 0, NCHIPS);
    return s;
}

int main(void)
{
    int rc = mmsim_check_run(map_suite());
    return rc || invariant_failures ? 1 : 0;
}
