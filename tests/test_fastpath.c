/* test_fastpath.c - the CPU path's fast path (per-core TLB, short cut for plain hits)
 * against the plain path: two machines of the same chip, one with machine_t.fast_path
 * on and one with it off, run the same random stream of CPU loads, stores and fetches
 * (any size and alignment, across lines, pages and window ends, on every core) mixed
 * with MMU rewrites and invalidations, cache maintenance by range and whole cache, DMA,
 * SPI1 flash program and erase, bus and cache disables.  After every operation the
 * bytes read, the cycles and the hazard counts must be the same; every 64 operations
 * and at the end, every cache line (tags, bits, LRU stamps, bytes), every cache's
 * statistics, every hazard record and the stores' bytes must be too.
 *
 * Chips: esp32 (per-CPU tables and caches) in normal and low/high PSRAM mode, esp32s2,
 * esp32s3, esp32c3 (write-through), esp32p4 (L1 + L2, an MMU per target).
 * MMSIM_FASTPATH_OPS sets the operations per chip (default 20000). */
#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "sim_fixture.h"

#define DEFAULT_OPS 20000u
#define FULL_COMPARE_EVERY 64u
#define HOT_PAGES 6     /* per window: the first three, two at the half, the last */
#define PHYS_PAGES 4    /* physical pages the hot ones point at: aliases are common */
#define MAX_ACCESS 300u /* bytes: crosses lines, and pages near their ends */

typedef struct {
    const char *chip;
    const char *set; /* one config override, or NULL */
} fp_case_t;

static const fp_case_t CASES[] = {
    {"esp32", NULL}, {"esp32", "psram_mode=lowhigh"}, {"esp32s2", NULL},
    {"esp32s3", NULL}, {"esp32c3", NULL}, {"esp32p4", NULL},
};

/* xorshift64*: a fixed seed per chip, so a failure reproduces. */
static uint64_t fp_rng = 1;
static uint32_t fp_rand(void)
{
    fp_rng ^= fp_rng >> 12, fp_rng ^= fp_rng << 25, fp_rng ^= fp_rng >> 27;
    return (uint32_t)((fp_rng * 0x2545F4914F6CDD1Dull) >> 32);
}
static uint32_t fp_below(uint32_t n) { return n ? fp_rand() % n : 0; }

static machine_t *fp_build(const fp_case_t *c, bool fast)
{
    machine_t *m = build(c->chip, &c->set, c->set ? 1 : 0);
    m->fast_path = fast;
    return m;
}

/* ---- the random stream ----------------------------------------------------------- */

static uint32_t fp_page_size(const chipdef_window_t *w) { return w->page_size; }

/* A virtual page of window `w` the stream uses. */
static uint32_t fp_hot_page(const chipdef_window_t *w, uint32_t k)
{
    uint32_t pages = w->size / fp_page_size(w);
    uint32_t pick[HOT_PAGES] = {0, 1, 2, pages / 2 - 1, pages / 2, pages - 1};
    return w->vaddr + pick[k % HOT_PAGES] % pages * fp_page_size(w);
}

/* A CPU address: mostly near the start or the end of a hot page, sometimes just
 * outside a window. */
static uint32_t fp_vaddr(const machine_t *m)
{
    const chipdef_window_t *w = &m->chip.windows[fp_below(m->chip.window_count)];
    uint32_t r = fp_below(16);
    if (r == 0)
        return w->vaddr - 1u - fp_below(8);
    if (r == 1)
        return w->vaddr + w->size - fp_below(8) - 1u;
    uint32_t page = fp_hot_page(w, fp_below(HOT_PAGES)), size = fp_page_size(w);
    uint32_t off = fp_below(2) ? fp_below(512) : size - 1u - fp_below(512);
    return page + (fp_below(2) ? off & ~3u : off);
}

static uint32_t fp_len(void)
{
    static const uint32_t lens[] = {4, 4, 4, 4, 4, 1, 2, 3, 8, 16, 32, 64, 100, MAX_ACCESS};
    return lens[fp_below(sizeof lens / sizeof lens[0])];
}

/* One operation: who does what, drawn once and applied to both machines. */
typedef enum {
    FP_READ, FP_WRITE, FP_FETCH, FP_MAP, FP_UNMAP, FP_INV_RANGE, FP_WB_RANGE, FP_INV_ALL,
    FP_WB_ALL, FP_DMA_READ, FP_DMA_WRITE, FP_FLASH_PROGRAM, FP_FLASH_ERASE, FP_BUS_OFF,
    FP_CACHE_OFF, FP_ALL_ON, FP_KINDS
} fp_kind_t;

typedef struct {
    fp_kind_t kind;
    uint32_t core, vaddr, len, level;
    uint32_t mmu, inst, entry, raw;  /* FP_MAP / FP_UNMAP */
    uint32_t target, paddr;          /* DMA, flash */
    uint32_t which;                  /* FP_BUS_OFF: bus bit; FP_CACHE_OFF: cache index */
    uint8_t data[MAX_ACCESS];
} fp_op_t;

static uint32_t fp_max_level(const machine_t *m)
{
    uint32_t lv = 1;
    for (uint32_t i = 0; i < m->chip.cache_count; i++)
        if (m->chip.caches[i].level > lv)
            lv = m->chip.caches[i].level;
    return lv;
}

static void fp_draw(const machine_t *m, fp_op_t *op)
{
    static const uint8_t weights[FP_KINDS] = {[FP_READ] = 30, [FP_WRITE] = 24, [FP_FETCH] = 6,
                                              [FP_MAP] = 3, [FP_UNMAP] = 1, [FP_INV_RANGE] = 3,
                                              [FP_WB_RANGE] = 3, [FP_INV_ALL] = 1, [FP_WB_ALL] = 1,
                                              [FP_DMA_READ] = 2, [FP_DMA_WRITE] = 2,
                                              [FP_FLASH_PROGRAM] = 2, [FP_FLASH_ERASE] = 1,
                                              [FP_BUS_OFF] = 1, [FP_CACHE_OFF] = 1, [FP_ALL_ON] = 4};
    uint32_t total = 0, r;
    for (int k = 0; k < FP_KINDS; k++)
        total += weights[k];
    r = fp_below(total);
    memset(op, 0, sizeof *op);
    while (r >= weights[op->kind])
        r -= weights[op->kind++];
    op->core = fp_below(m->chip.cores);
    op->vaddr = fp_vaddr(m);
    op->len = fp_len();
    if ((uint64_t)op->vaddr + op->len > UINT32_MAX)
        op->vaddr -= op->len;
    op->level = 1u + fp_below(fp_max_level(m));
    for (uint32_t i = 0; i < op->len; i++)
        op->data[i] = (uint8_t)fp_rand();
    const chipdef_window_t *w = &m->chip.windows[fp_below(m->chip.window_count)];
    mmu_decode_t d;
    mmu_decode(&m->chip, fp_hot_page(w, fp_below(HOT_PAGES)), &d);
    const chipdef_mmu_t *u = &m->chip.mmus[d.mmu];
    op->mmu = d.mmu;
    op->inst = fp_below(u->tables);
    op->entry = d.entry;
    uint32_t target = w->targets & CHIPDEF_TARGET_PSRAM && (!(w->targets & CHIPDEF_TARGET_FLASH) || fp_below(2))
                          ? CHIPDEF_TARGET_PSRAM
                          : CHIPDEF_TARGET_FLASH;
    op->raw = op->kind == FP_UNMAP ? mmu_invalid_value(u) : mmu_encode(u, target, fp_below(PHYS_PAGES));
    op->target = m->psram && fp_below(2) ? CHIPDEF_TARGET_PSRAM : CHIPDEF_TARGET_FLASH;
    op->paddr = fp_below(PHYS_PAGES) * chipdef_page_size(&m->chip) + fp_below(2048) * 4u;
    if (op->kind == FP_FLASH_ERASE)
        op->paddr &= ~(STORE_SECTOR_SIZE - 1u);
    op->which = op->kind == FP_BUS_OFF ? w->bus : fp_below(m->chip.cache_count);
}

/* Apply `op` to `m`; the bytes a read returned go to `out`. */
static void fp_apply(machine_t *m, const fp_op_t *op, uint8_t *out)
{
    uint8_t buf[MAX_ACCESS];
    memcpy(buf, op->data, op->len);
    m->hal_core = op->core;
    switch (op->kind) {
    case FP_READ:
    case FP_FETCH:
        bus_cpu_access(m, op->core, op->kind == FP_READ ? BUS_READ : BUS_FETCH, op->vaddr, out, op->len);
        break;
    case FP_WRITE:
        bus_cpu_access(m, op->core, BUS_WRITE, op->vaddr, buf, op->len);
        break;
    case FP_MAP:
    case FP_UNMAP:
        mmu_write_entry(&m->mmu, op->mmu, op->inst, op->entry, op->raw);
        break;
    case FP_INV_RANGE:
        bus_cache_invalidate_range(m, op->level, op->vaddr & ~31u, op->len);
        break;
    case FP_WB_RANGE:
        bus_cache_writeback_range(m, op->level, op->vaddr & ~31u, op->len);
        break;
    case FP_INV_ALL:
        bus_cache_invalidate_all(m, op->core, op->level);
        break;
    case FP_WB_ALL:
        bus_cache_writeback_all(m, op->core, op->level);
        break;
    case FP_DMA_READ:
        bus_dma_read(m, op->target, op->paddr, out, op->len);
        break;
    case FP_DMA_WRITE:
        bus_dma_write(m, op->target, op->paddr, buf, op->len);
        break;
    case FP_FLASH_PROGRAM:
        bus_spi1_program(m, op->paddr, buf, op->len);
        break;
    case FP_FLASH_ERASE:
        bus_spi1_erase(m, op->paddr, STORE_SECTOR_SIZE);
        break;
    case FP_BUS_OFF:
        m->bus_enabled[op->core] &= ~op->which;
        break;
    case FP_CACHE_OFF:
        m->cache_off[op->which][op->core] = true;
        break;
    case FP_ALL_ON:
        for (uint32_t k = 0; k < m->chip.cores; k++) {
            m->bus_enabled[k] = ~0u;
            for (uint32_t i = 0; i < m->chip.cache_count; i++)
                m->cache_off[i][k] = false;
        }
        break;
    case FP_KINDS:
        break;
    }
}

/* ---- comparing the two machines --------------------------------------------------- */

/* A check that costs nothing while it holds (Check logs every ck_assert it passes, and
 * these run millions of times). */
#define FP_CHECK(cond, ...)                  \
    do {                                     \
        if (!(cond))                         \
            ck_abort_msg(__VA_ARGS__);       \
    } while (0)

static void fp_compare_quick(const machine_t *f, const machine_t *p, const char *where)
{
    for (uint32_t k = 0; k < f->chip.cores; k++)
        FP_CHECK(f->cycles[k] == p->cycles[k], "%s: core %u cycles %" PRIu64 " (fast) vs %" PRIu64, where, k,
                      f->cycles[k], p->cycles[k]);
    FP_CHECK(f->hazards.total == p->hazards.total, "%s: %zu hazards (fast) vs %zu", where, f->hazards.total,
                  p->hazards.total);
    FP_CHECK(!memcmp(f->hazards.per_kind, p->hazards.per_kind, sizeof f->hazards.per_kind),
             "%s: hazard counts by kind differ", where);
}

static void fp_compare_full(const machine_t *f, const machine_t *p, const char *where)
{
    fp_compare_quick(f, p, where);
    for (uint32_t i = 0; i < f->chip.cache_count; i++)
        for (uint32_t k = 0; k < f->chip.cores; k++) {
            const cache_t *a = f->caches[i][k], *b = p->caches[i][k];
            FP_CHECK(!memcmp(&a->stats, &b->stats, sizeof a->stats), "%s: statistics of %s (core %u) differ",
                          where, f->chip.caches[i].name, k);
            FP_CHECK(a->clock == b->clock, "%s: LRU clocks of %s differ", where, f->chip.caches[i].name);
            for (uint32_t j = 0; j < cache_line_count(a); j++) {
                const cache_line_t *x = &a->lines[j], *y = &b->lines[j];
                FP_CHECK(x->valid == y->valid && x->dirty == y->dirty && x->stale == y->stale &&
                                  (!x->valid || (x->key == y->key && x->paddr == y->paddr &&
                                                 x->target == y->target && x->lru == y->lru)),
                              "%s: %s (core %u) line %u differs", where, f->chip.caches[i].name, k, j);
                FP_CHECK(!x->valid || !memcmp(a->data + ((size_t)j << a->line_shift),
                                              b->data + ((size_t)j << b->line_shift), a->def.line_size),
                         "%s: %s (core %u) line %u holds other bytes", where, f->chip.caches[i].name, k, j);
            }
        }
    FP_CHECK(f->hazards.kept == p->hazards.kept, "%s: kept hazard records differ", where);
    for (size_t i = 0; i < f->hazards.kept; i++) {
        const mmsim_hazard_t *x = &f->hazards.recs[i], *y = &p->hazards.recs[i];
        FP_CHECK(x->kind == y->kind && x->core == y->core && x->vaddr == y->vaddr && x->paddr == y->paddr &&
                          x->target == y->target && x->cache == y->cache && x->line == y->line &&
                          !strcmp(x->cause, y->cause) && !strcmp(x->detail, y->detail),
                      "%s: hazard %zu differs:\n  fast:  %s\n  plain: %s", where, i, x->detail, y->detail);
    }
    uint8_t x[4096], y[4096];
    const store_t *stores[2][2] = {{f->flash, p->flash}, {f->psram, p->psram}};
    for (int s = 0; s < 2; s++) {
        if (!stores[s][0])
            continue;
        for (uint32_t a = 0; a < PHYS_PAGES * chipdef_page_size(&f->chip) && a < store_size(stores[s][0]);
             a += sizeof x) {
            store_read(stores[s][0], a, x, sizeof x);
            store_read(stores[s][1], a, y, sizeof y);
            FP_CHECK(!memcmp(x, y, sizeof x), "%s: %s bytes at 0x%x differ", where, s ? "PSRAM" : "flash", a);
        }
    }
}

static uint32_t fp_ops(void)
{
    const char *s = getenv("MMSIM_FASTPATH_OPS");
    return s && *s ? (uint32_t)strtoul(s, NULL, 0) : DEFAULT_OPS;
}

START_TEST(fast_and_plain_paths_agree_on_random_streams)
{
    const fp_case_t *c = &CASES[_i];
    machine_t *f = fp_build(c, true), *p = fp_build(c, false);
    fp_rng = 0x66617374ull + (uint64_t)_i; /* "fast" */
    /* Start with every hot page mapped somewhere. */
    for (uint32_t w = 0; w < f->chip.window_count; w++)
        for (uint32_t k = 0; k < HOT_PAGES; k++) {
            const chipdef_window_t *win = &f->chip.windows[w];
            mmu_decode_t d;
            mmu_decode(&f->chip, fp_hot_page(win, k), &d);
            const chipdef_mmu_t *u = &f->chip.mmus[d.mmu];
            uint32_t t = win->targets & CHIPDEF_TARGET_FLASH ? CHIPDEF_TARGET_FLASH : CHIPDEF_TARGET_PSRAM;
            for (uint32_t inst = 0; inst < u->tables; inst++) {
                uint32_t raw = mmu_encode(u, t, fp_below(PHYS_PAGES));
                mmu_write_entry(&f->mmu, d.mmu, inst, d.entry, raw);
                mmu_write_entry(&p->mmu, d.mmu, inst, d.entry, raw);
            }
        }
    uint32_t n = fp_ops();
    uint64_t kinds = 0;
    for (uint32_t i = 0; i < n; i++) {
        fp_op_t op;
        fp_draw(f, &op);
        uint8_t got_f[MAX_ACCESS] = {0}, got_p[MAX_ACCESS] = {0};
        fp_apply(f, &op, got_f);
        fp_apply(p, &op, got_p);
        char where[160];
        snprintf(where, sizeof where, "%s%s%s op %u (kind %d, core %u, vaddr 0x%08x, len %u)", c->chip,
                 c->set ? " " : "", c->set ? c->set : "", i, (int)op.kind, op.core, op.vaddr, op.len);
        FP_CHECK(!memcmp(got_f, got_p, op.len), "%s: the bytes read differ", where);
        fp_compare_quick(f, p, where);
        if (i % FULL_COMPARE_EVERY == 0 || i + 1 == n)
            fp_compare_full(f, p, where);
        kinds |= 1ull << op.kind;
    }
    for (uint32_t k = 0; k < MMSIM_HAZARD_KIND_COUNT; k++)
        if (f->hazards.per_kind[k])
            kinds |= 1ull << (32 + k);
    printf("%s%s%s: %u ops, TLB hits %" PRIu64 " misses %" PRIu64 ", hazards", c->chip, c->set ? " " : "",
           c->set ? c->set : "", n, f->tlb[0].hits, f->tlb[0].misses);
    for (uint32_t k = 0; k < MMSIM_HAZARD_KIND_COUNT; k++)
        printf(" %s %zu", mmsim_hazard_name((mmsim_hazard_kind_t)k), f->hazards.per_kind[k]);
    printf("\n");
    /* The stream did what it is meant to: every kind of operation, hits served by the
     * TLB, and hazards of the kinds every chip can have. */
    ck_assert_uint_eq(kinds & ((1ull << FP_KINDS) - 1u), (1ull << FP_KINDS) - 1u);
    ck_assert_uint_gt(f->tlb[0].hits, n / 10u);
    ck_assert_uint_eq(p->tlb[0].hits + p->tlb[0].misses, 0);
    ck_assert(kinds >> 32 & 1u << MMSIM_HAZARD_STALE_READ);
    ck_assert(kinds >> 32 & 1u << MMSIM_HAZARD_UNMAPPED_ACCESS);
    ck_assert(kinds >> 32 & 1u << MMSIM_HAZARD_USE_AFTER_UNMAP);
    ck_assert(kinds >> 32 & 1u << MMSIM_HAZARD_CACHE_DISABLED);
    machine_free(f);
    machine_free(p);
}
END_TEST

/* Write-back chips also reach the dirty-line hazards. */
START_TEST(write_back_chips_reach_the_dirty_line_hazards)
{
    static const fp_case_t wb[] = {{"esp32", NULL}, {"esp32s3", NULL}, {"esp32p4", NULL}};
    const fp_case_t *c = &wb[_i];
    machine_t *f = fp_build(c, true), *p = fp_build(c, false);
    /* Two aliases of one PSRAM page, written through both: an alias conflict; then a
     * DMA read of it (stale memory) and an invalidate (lost writes). */
    const chipdef_window_t *w = NULL;
    for (uint32_t i = 0; i < f->chip.window_count && !w; i++)
        if (f->chip.windows[i].targets & CHIPDEF_TARGET_PSRAM && f->chip.windows[i].access & CHIPDEF_CAP_WRITE)
            w = &f->chip.windows[i];
    ck_assert_ptr_nonnull(w);
    machine_t *ms[2] = {f, p};
    for (int s = 0; s < 2; s++) {
        machine_t *m = ms[s];
        for (uint32_t k = 0; k < 2; k++) {
            mmu_decode_t d;
            mmu_decode(&m->chip, w->vaddr + k * w->page_size, &d);
            const chipdef_mmu_t *u = &m->chip.mmus[d.mmu];
            for (uint32_t inst = 0; inst < u->tables; inst++)
                mmu_write_entry(&m->mmu, d.mmu, inst, d.entry, mmu_encode(u, CHIPDEF_TARGET_PSRAM, 0));
        }
        uint32_t v = 0x12345678, got;
        for (int r = 0; r < 3; r++) { /* repeated: the second and third go the short way */
            bus_cpu_access(m, 0, BUS_WRITE, w->vaddr + 0x40, (uint8_t *)&v, 4);
            bus_cpu_access(m, 0, BUS_WRITE, w->vaddr + w->page_size + 0x40, (uint8_t *)&v, 4);
            bus_cpu_access(m, 0, BUS_READ, w->vaddr + 0x40, (uint8_t *)&got, 4);
        }
        bus_dma_read(m, CHIPDEF_TARGET_PSRAM, 0x40, (uint8_t *)&got, 4);
        bus_cache_invalidate_all(m, 0, 0);
    }
    fp_compare_full(f, p, c->chip);
    ck_assert_uint_gt(f->hazards.per_kind[MMSIM_HAZARD_ALIAS_CONFLICT], 0);
    ck_assert_uint_gt(f->hazards.per_kind[MMSIM_HAZARD_DMA_STALE], 0);
    ck_assert_uint_gt(f->hazards.per_kind[MMSIM_HAZARD_LOST_WRITE], 0);
    machine_free(f);
    machine_free(p);
}
END_TEST

/* Every MMU write reaches the TLB: a page remapped between two reads reads the new
 * page (and the line left over is reported), on the fast path as on the plain one. */
START_TEST(an_mmu_write_invalidates_the_tlb)
{
    fp_case_t c = {"esp32s3", NULL};
    machine_t *m = fp_build(&c, true);
    uint32_t a = 0xAAAA5555, b = 0x0F0F0F0F, got;
    store_write(m->psram, 0x0, &a, 4);
    store_write(m->psram, 0x10000, &b, 4);
    map_page_in(m, 0, 0x3C000000, CHIPDEF_TARGET_PSRAM, 0);
    bus_cpu_access(m, 0, BUS_READ, 0x3C000000, (uint8_t *)&got, 4);
    ck_assert_uint_eq(got, a);
    map_page_in(m, 0, 0x3C000000, CHIPDEF_TARGET_PSRAM, 0x10000);
    bus_cache_invalidate_range(m, 1, 0x3C000000, 32);
    bus_cpu_access(m, 0, BUS_READ, 0x3C000000, (uint8_t *)&got, 4);
    ck_assert_uint_eq(got, b);
    ck_assert_uint_eq(m->hazards.total, 0);
    map_page_in(m, 0, 0x3C000000, CHIPDEF_TARGET_PSRAM, 0);
    bus_cpu_access(m, 0, BUS_READ, 0x3C000000, (uint8_t *)&got, 4); /* the old line still hits */
    ck_assert_uint_eq(got, b);
    ck_assert_uint_eq(m->hazards.per_kind[MMSIM_HAZARD_STALE_READ], 1);
    machine_free(m);
}
END_TEST

static Suite *fastpath_suite(void)
{
    Suite *s = suite_create("fastpath");
    TCase *t = tcase_create("equivalence");
    tcase_set_timeout(t, 120);
    tcase_add_loop_test(t, fast_and_plain_paths_agree_on_random_streams, 0, sizeof CASES / sizeof CASES[0]);
    tcase_add_loop_test(t, write_back_chips_reach_the_dirty_line_hazards, 0, 3);
    tcase_add_test(t, an_mmu_write_invalidates_the_tlb);
    suite_add_tcase(s, t);
    return s;
}

int main(void) { return mmsim_check_run(fastpath_suite()); }
