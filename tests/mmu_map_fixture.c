/* mmu_map_fixture.c - the shared part of the test_esp_mmu_map_*.c files (see
 * mmu_map_fixture.h): machines closed and checked by the teardown, the log capture, the
 * dump reader, checked driver calls, and the chips of §5.2 with their expected numbers. */
#include "mmu_map_fixture.h"

#include <ctype.h>

/* The machines a test opened; the fixture closes what a failing test left open. */
static mmsim_t *opened[16];
static size_t nopened;
static int invariant_failures; /* found by the fixture, after a test; fails the run */

/* A machine the test opens or closes must still be consistent, driver state included. */
void assert_invariants(mmsim_t *m)
{
    char why[256];
    ck_assert_msg(mmsim_check_invariants(m, why, sizeof why) == 0, "%s: %s", mmsim_chip_name(m), why);
}

mmsim_t *open_cfg(const mmsim_config_t *cfg)
{
    mmsim_t *m = NULL;
    ck_assert_msg(mmsim_open(cfg, &m) == 0, "%s", mmsim_last_error());
    ck_assert_uint_lt(nopened, sizeof opened / sizeof opened[0]);
    opened[nopened++] = m;
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
    assert_invariants(m);
    return m;
}

void close_chip(mmsim_t *m)
{
    assert_invariants(m);
    for (size_t i = 0; i < nopened; i++)
        if (opened[i] == m) {
            opened[i] = opened[--nopened];
            break;
        }
    mmsim_close(m);
}

mmsim_t *open_chip(const char *name, const char *const *sets, size_t nsets, uint32_t irom, uint32_t drom)
{
    mmsim_config_t cfg = mmsim_config_default(name);
    cfg.sets = sets;
    cfg.nsets = nsets;
    cfg.app_irom_size = irom;
    cfg.app_drom_size = drom;
    return open_cfg(&cfg);
}

const char *const NO_PSRAM[1] = {"psram_size=0"};

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
void log_begin(esp_log_level_t level)
{
    esp_log_level_set("*", level);
    esp_log_capture_begin();
}

/* The lines collected so far with the parts that vary removed: "E (12) mmap: f(345): m"
 * becomes "E mmap: f(): m".  Restarts the collection.  Caller frees. */
char *log_take(void)
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


/* The text esp_mmu_map_dump_mapped_blocks writes. */
char *dump_text(void)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(esp_mmu_map_dump_mapped_blocks(f), ESP_OK);
    fclose(f);
    return text;
}



int dump_regions(region_t *out, int max)
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

region_t region(int i)
{
    region_t r[8];
    int n = dump_regions(r, 8);
    ck_assert_int_lt(i, n);
    return r[i];
}

int region_count(void)
{
    region_t r[8];
    return dump_regions(r, 8);
}

void *map_ok(esp_paddr_t paddr, size_t size, mmu_target_t target, mmu_mem_caps_t caps, int flags)
{
    void *p = NULL;
    esp_err_t e = esp_mmu_map(paddr, size, target, caps, flags, &p);
    ck_assert_msg(e == ESP_OK, "esp_mmu_map(0x%x, 0x%zx, %d, 0x%x, %d) returned %s", (unsigned)paddr, size,
                  (int)target, (unsigned)caps, flags, esp_err_to_name(e));
    ck_assert_uint_eq(U(p) % mmsim_page_size(mmsim_current()), 0);
    return p;
}

size_t max_slot(mmu_mem_caps_t caps, mmu_target_t target)
{
    size_t len = 0x5a5a5a5a;
    assert_err(esp_mmu_map_get_max_consecutive_free_block_size(caps, target, &len), ESP_OK);
    return len;
}

uint32_t read32(mmsim_t *m, uint32_t vaddr)
{
    uint32_t w = 0;
    ck_assert_int_eq(mmsim_cpu_read(m, 0, vaddr, &w, 4), 0);
    return w;
}

uint32_t fetch32(mmsim_t *m, uint32_t vaddr)
{
    uint32_t w = 0;
    ck_assert_int_eq(mmsim_cpu_fetch(m, 0, vaddr, &w, 4), 0);
    return w;
}

void flash_put32(mmsim_t *m, uint32_t paddr, uint32_t value)
{
    ck_assert_int_eq(mmsim_flash_write(m, paddr, &value, 4), 0);
}

void assert_no_hazards(mmsim_t *m)
{
    if (mmsim_hazard_count(m)) {
        char line[400];
        ck_abort_msg("%zu hazard(s), first: %s", mmsim_hazard_count(m),
                     mmsim_hazard_format(mmsim_hazard_get(m, 0), line, sizeof line));
    }
}

void assert_paddr(void *vaddr, esp_paddr_t want_paddr, mmu_target_t want_target)
{
    esp_paddr_t p = 0;
    mmu_target_t t = 0;
    assert_err(esp_mmu_vaddr_to_paddr(vaddr, &p, &t), ESP_OK);
    assert_hex(p, want_paddr);
    ck_assert_int_eq(t, want_target);
}

uint32_t p2v(esp_paddr_t paddr, mmu_target_t target, mmu_vaddr_t type)
{
    void *v = NULL;
    assert_err(esp_mmu_paddr_to_vaddr(paddr, target, type, &v), ESP_OK);
    return U(v);
}

mmu_mem_caps_t find_caps(esp_paddr_t paddr)
{
    mmu_mem_caps_t caps = 0;
    assert_err(esp_mmu_paddr_find_caps(paddr, &caps), ESP_OK);
    return caps;
}

/* The text of a file (NULL-terminated, caller frees). */
char *read_text(const char *path)
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
void write_split_s2(char *dir, char *path, size_t size)
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


const chip_t CHIPS[] = {
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
    {"esp32c5", ALIAS_ONE, 0, 0, 0x42060000, 0x42060000, 0x43000000, 0x44400000, 0x42000000, 0x42040000,
     0x1FA0000, 0x1FA0000, 0x1FA0000, 506, 506, MB(32), true},
    {"esp32c6", ALIAS_ONE, 0, 0, 0x42060000, 0x42060000, 0x42400000, 0x42C00000, 0x42000000, 0x42040000,
     0x7A0000, 0x7A0000, 0x7A0000, 122, 122, MB(16), false},
    {"esp32h2", ALIAS_ONE, 0, 0, 0x42060000, 0x42060000, 0x42400000, 0x42C00000, 0x42000000, 0x42040000,
     0x7A0000, 0x7A0000, 0x7A0000, 122, 122, MB(16), false},
    {"esp32c61", ALIAS_ONE, 0, 0, 0x42060000, 0x42060000, 0x43000000, 0x44400000, 0x42000000, 0x42040000,
     0x1FA0000, 0x1FA0000, 0x1FA0000, 506, 506, MB(32), true},
    {"esp32h21", ALIAS_ONE, 0, 0, 0x42060000, 0x42060000, 0x42800000, 0x43400000, 0x42000000, 0x42040000,
     0xFA0000, 0xFA0000, 0xFA0000, 250, 250, MB(16), false},
    {"esp32h4", ALIAS_ONE, 0, 0, 0x42060000, 0x42060000, 0x43000000, 0x44400000, 0x42000000, 0x42040000,
     0x1FA0000, 0x1FA0000, 0x1FA0000, 506, 506, MB(32), true},
    {"esp32p4", ALIAS_ONE, 0, 0, 0x40060000, 0x40060000, 0x42000000, 0x50400000, 0x40000000, 0x40040000,
     0x3FA0000, 0x3FA0000, 0x4000000, 1018, 1018, MB(64), true},
    {"esp32s31", ALIAS_ONE, 0, 0, 0x40060000, 0x40060000, 0x42000000, 0x60400000, 0x40000000, 0x40040000,
     0x3FA0000, 0x3FA0000, 0x4000000, 1018, 1018, MB(64), true},
};
_Static_assert(sizeof CHIPS / sizeof CHIPS[0] == NCHIPS, "NCHIPS counts CHIPS");

const chip_t *chip_named(const char *name)
{
    for (int i = 0; i < NCHIPS; i++)
        if (!strcmp(CHIPS[i].name, name))
            return &CHIPS[i];
    ck_abort_msg("no chip %s", name);
    return NULL;
}

/* The chip with the app of 256 KB + 128 KB, no PSRAM, and flash for read_pages pages. */
mmsim_t *open_bare(const chip_t *c)
{
    mmsim_config_t cfg = mmsim_config_default(c->name);
    cfg.flash_size = c->flash_size;
    cfg.app_irom_size = KB(256);
    cfg.app_drom_size = KB(128);
    cfg.sets = NO_PSRAM;
    cfg.nsets = 1;
    return open_cfg(&cfg);
}


TCase *tc(Suite *s, const char *name)
{
    TCase *t = tcase_create(name);
    tcase_add_checked_fixture(t, NULL, teardown);
    tcase_set_timeout(t, 120);
    suite_add_tcase(s, t);
    return t;
}

int mmu_map_run(Suite *s)
{
    int rc = mmsim_check_run(s);
    return rc || invariant_failures ? 1 : 0;
}
