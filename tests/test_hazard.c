/* test_hazard.c - one test per cause of every hazard of the hazard table
 * (reference/hardware-and-hazards.md §2): each shows the bytes the simulated chip
 * returns, as the hardware would, and the record the bus raises (kind, core,
 * addresses, target, cache and line), and that nothing else was raised.
 *
 * Causes that run the same script on other chips, addresses or bytes are rows of a
 * table run by one loop test (_i is the row); a failure message starts with the row's
 * name. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "check_main.h"
#include "sim_fixture.h"
#include "timing.h"

#define FLASH CHIPDEF_TARGET_FLASH
#define PSRAM CHIPDEF_TARGET_PSRAM

/* ESP32 in normal PSRAM mode: each CPU's cache covers the whole window, so one address
 * can sit in both (the per-CPU cases below); low/high mode has its tests. */
static machine_t *build_normal(const char *name)
{
    static const char *const normal[] = {"psram_mode=normal"};
    bool esp32 = strcmp(name, "esp32") == 0;
    return build(name, esp32 ? normal : NULL, esp32 ? 1 : 0);
}

/* The machine of the running test, freed by the teardown. */
static machine_t *m;

/* "name: " of the table row running, "" outside tables: every message below starts
 * with it. */
static char row[96];

static void no_row(void) { row[0] = '\0'; }

static void in_row(const char *name) { snprintf(row, sizeof row, "%s: ", name); }

static void teardown(void)
{
    machine_free(m);
    m = NULL;
}

static store_t *store_of(const machine_t *m, uint32_t target) { return target == FLASH ? m->flash : m->psram; }

/* Index of the valid line tagged with `vaddr` in the instance of cache `ci` that
 * `core` uses; fails the test if there is none. */
static int32_t line_of(machine_t *m, int ci, uint32_t core, uint32_t vaddr)
{
    cache_t *c = m->caches[ci][core];
    cache_line_t *l = cache_lookup(c, vaddr, false);
    ck_assert_msg(l != NULL, "%sno line for 0x%08x in %s", row, vaddr, m->chip.caches[ci].name);
    return (int32_t)cache_line_index(c, l);
}

/* The log holds exactly `n` records, all kept. */
static void expect_total(const machine_t *m, size_t n)
{
    ck_assert_msg(m->hazards.total == n && m->hazards.kept == n, "%s%zu hazard(s) raised, %zu kept, expected %zu",
                  row, m->hazards.total, m->hazards.kept, n);
}

#define expect_field(i, got, want)                                                                       \
    ck_assert_msg((int64_t)(got) == (int64_t)(want), "%srecord %zu: %s is 0x%llx, expected 0x%llx", row, \
                  (size_t)(i), #got, (unsigned long long)(got), (unsigned long long)(want))

/* Record `i` is `kind` at exactly this site. */
static const mmsim_hazard_t *expect_rec(const machine_t *m, size_t i, mmsim_hazard_kind_t kind,
                                        int32_t core, uint32_t vaddr, uint32_t paddr, uint32_t target,
                                        int32_t cache, int32_t line)
{
    ck_assert_msg(i < m->hazards.kept, "%sno record %zu (%zu kept)", row, i, m->hazards.kept);
    const mmsim_hazard_t *h = &m->hazards.recs[i];
    ck_assert_msg(h->kind == kind, "%srecord %zu is %s, expected %s (%s)", row, i, mmsim_hazard_name(h->kind),
                  mmsim_hazard_name(kind), h->detail);
    expect_field(i, h->core, core);
    expect_field(i, h->vaddr, vaddr);
    expect_field(i, h->paddr, paddr);
    expect_field(i, h->target, target);
    expect_field(i, h->cache, cache);
    expect_field(i, h->line, line);
    ck_assert_msg(h->detail[0] != '\0', "%srecord %zu has no detail", row, i);
    return h;
}

/* The log holds exactly `n` records, the last of them `kind` at this site. */
static const mmsim_hazard_t *expect_last(const machine_t *m, size_t n, mmsim_hazard_kind_t kind, int32_t core,
                                         uint32_t vaddr, uint32_t paddr, uint32_t target, int32_t cache,
                                         int32_t line)
{
    expect_total(m, n);
    return expect_rec(m, n - 1, kind, core, vaddr, paddr, target, cache, line);
}

/* `got` holds the `n` bytes of `want`; `what` says where they came from. */
static void expect_bytes(const uint8_t *got, const uint8_t *want, uint32_t n, const char *what, uint32_t addr)
{
    for (uint32_t i = 0; i < n; i++)
        ck_assert_msg(got[i] == want[i], "%s%s 0x%08x: byte %u of %u is 0x%02x, expected 0x%02x", row, what, addr,
                      i, n, got[i], want[i]);
}

/* A CPU load of `n` bytes on `core` returns `want`. */
static void expect_read(machine_t *m, uint32_t core, uint32_t vaddr, const uint8_t *want, uint32_t n)
{
    uint8_t b[256];
    ck_assert_uint_le(n, sizeof b);
    rd(m, core, vaddr, b, n);
    expect_bytes(b, want, n, core ? "load on core 1 at" : "load at", vaddr);
}

/* The store of `target` holds `want` at `paddr`. */
static void expect_store(const machine_t *m, uint32_t target, uint32_t paddr, const uint8_t *want, uint32_t n)
{
    uint8_t b[256];
    ck_assert_uint_le(n, sizeof b);
    ck_assert_int_eq(store_read(store_of(m, target), paddr, b, n), 0);
    expect_bytes(b, want, n, target == FLASH ? "flash at" : "PSRAM at", paddr);
}

/* A DMA read of `n` bytes returns `want`. */
static void expect_dma(machine_t *m, uint32_t target, uint32_t paddr, const uint8_t *want, uint32_t n)
{
    uint8_t b[256];
    ck_assert_uint_le(n, sizeof b);
    ck_assert_int_eq(bus_dma_read(m, target, paddr, b, n), 0);
    expect_bytes(b, want, n, "DMA read at", paddr);
}

/* `n` bytes of a fill pattern as the bus returns them at `vaddr` (little-endian by
 * address & 3). */
static void pattern_bytes(uint8_t *out, uint32_t vaddr, uint32_t n, uint32_t pattern)
{
    for (uint32_t i = 0; i < n; i++)
        out[i] = (uint8_t)(pattern >> (8u * ((vaddr + i) & 3u)));
}

/* Line fills of every cache instance of every core. */
static uint64_t all_fills(const machine_t *m)
{
    uint64_t n = 0;
    for (uint32_t i = 0; i < m->chip.cache_count; i++)
        for (uint32_t core = 0; core < m->chip.cores; core++)
            n += m->caches[i][core]->stats.fills;
    return n;
}

static const uint8_t ERASED[4] = {0xFF, 0xFF, 0xFF, 0xFF};
static const uint8_t NEW4[4] = {0x12, 0x34, 0x56, 0x78};
static const uint8_t ZERO[16];

/* Two virtual pages of an S3 onto one PSRAM page: `a` and `b` are aliases of `pa`. */
#define ALIAS_PA 0x50000u
#define ALIAS_A 0x3C030000u
#define ALIAS_B 0x3C040000u

static machine_t *build_s3_aliases(void)
{
    machine_t *s3 = build_normal("esp32s3");
    map_page(s3, ALIAS_A, PSRAM, ALIAS_PA);
    map_page(s3, ALIAS_B, PSRAM, ALIAS_PA);
    return s3;
}

/* ---- stale_read --------------------------------------------------------------- */

typedef enum { BEFORE_NOTHING, BEFORE_SPI1_ERASE, BEFORE_SPI1_PROGRAM, BEFORE_STORE_WRITE } before_t;
typedef enum { CHANGE_SPI1_PROGRAM, CHANGE_SPI1_ERASE, CHANGE_DMA_WRITE, CHANGE_RETARGET } change_t;

/* A clean line is filled from `pa`; then the memory beneath it changes behind the
 * cache's back (or the page is pointed elsewhere, valid -> valid, which is not an
 * unmap): the next load hits the stale line (the chip serves it) and is reported;
 * after msync M2C (an invalidate of `m2c` bytes at `v`) the load sees the new bytes. */
typedef struct {
    const char *name, *chip, *cache; /* the cache whose line goes stale */
    uint32_t page;                   /* the chip's MMU page size */
    uint32_t target, v, pa;          /* `v` reaches `pa` */
    before_t before;                 /* how `old` gets to pa before the fill */
    uint8_t old[4], neu[4];
    change_t change;                 /* what puts `neu` at new_pa */
    uint32_t new_pa;                 /* where `v` finds `neu` after M2C */
    uint32_t core;                   /* the core that reads the stale line */
    uint32_t m2c;
} stale_case_t;

static const stale_case_t STALE[] = {
    {"stale_read_after_spi1_program_s3", "esp32s3", "dcache", 0x10000, FLASH, 0x3C010040, 0x110040,
     BEFORE_NOTHING, {0xFF, 0xFF, 0xFF, 0xFF}, {0x12, 0x34, 0x56, 0x78}, CHANGE_SPI1_PROGRAM, 0x110040, 0, 4},
    /* The scenario of DESIGN.md: C6, one read-only unified cache over one I/D window,
     * M2C over the whole 64 KB mapping. */
    {"stale_read_after_spi1_program_c6", "esp32c6", "cache", 0x10000, FLASH, 0x42010000, 0x110000,
     BEFORE_SPI1_ERASE, {0xFF, 0xFF, 0xFF, 0xFF}, {0x12, 0x34, 0x56, 0x78}, CHANGE_SPI1_PROGRAM, 0x110000, 0,
     0x10000},
    {"stale_read_after_spi1_erase", "esp32s3", "dcache", 0x10000, FLASH, 0x3C0A0000, 0x1A0000, BEFORE_SPI1_PROGRAM,
     {0, 0, 0, 0}, {0xFF, 0xFF, 0xFF, 0xFF}, CHANGE_SPI1_ERASE, 0x1A0000, 0, 4},
    /* The S3 DCache is shared: core 1 hits core 0's fill. */
    {"stale_read_after_dma_write_s3", "esp32s3", "dcache", 0x10000, PSRAM, 0x3C020040, 0x30040, BEFORE_STORE_WRITE,
     {0xA0, 0xA1, 0xA2, 0xA3}, {0xD0, 0xD1, 0xD2, 0xD3}, CHANGE_DMA_WRITE, 0x30040, 1, 4},
    /* The virtually tagged hit never asks the MMU. */
    {"stale_read_after_retarget_without_invalidate", "esp32s3", "dcache", 0x10000, PSRAM, 0x3C050020, 0x60020,
     BEFORE_STORE_WRITE, {6, 6, 6, 6}, {7, 7, 7, 7}, CHANGE_RETARGET, 0x70020, 0, 4},
};

START_TEST(stale_read_when_the_memory_under_a_clean_line_changes)
{
    const stale_case_t *c = &STALE[_i];
    in_row(c->name);
    m = build_normal(c->chip);
    int ci = cache_index(m, c->cache);
    ck_assert_uint_eq(chipdef_page_size(&m->chip), c->page);
    if (c->before == BEFORE_SPI1_ERASE)
        ck_assert_int_eq(bus_spi1_erase(m, c->pa, 4096), 0);
    else if (c->before == BEFORE_SPI1_PROGRAM)
        ck_assert_int_eq(bus_spi1_program(m, c->pa, c->old, 4), 0);
    else if (c->before == BEFORE_STORE_WRITE)
        ck_assert_int_eq(store_write(store_of(m, c->target), c->pa, c->old, 4), 0);
    if (c->change == CHANGE_RETARGET)
        ck_assert_int_eq(store_write(store_of(m, c->target), c->new_pa, c->neu, 4), 0);
    map_addr(m, c->v, c->target, c->pa);
    expect_read(m, 0, c->v, c->old, 4);
    expect_total(m, 0);

    switch (c->change) {
    case CHANGE_SPI1_PROGRAM:
        ck_assert_int_eq(bus_spi1_program(m, c->pa, c->neu, 4), 0);
        break;
    case CHANGE_SPI1_ERASE:
        ck_assert_int_eq(bus_spi1_erase(m, c->pa, 4096), 0);
        break;
    case CHANGE_DMA_WRITE:
        ck_assert_int_eq(bus_dma_write(m, c->target, c->pa, c->neu, 4), 0);
        break;
    case CHANGE_RETARGET:
        map_addr(m, c->v, c->target, c->new_pa);
        break;
    }
    expect_total(m, 0); /* the change itself is legal; the read of the stale line is not */
    expect_store(m, c->target, c->new_pa, c->neu, 4);

    int32_t line = line_of(m, ci, 0, c->v);
    expect_read(m, c->core, c->v, c->old, 4); /* the chip serves the stale line */
    const mmsim_hazard_t *h = expect_last(m, 1, MMSIM_HAZARD_STALE_READ, (int32_t)c->core, c->v, c->pa, c->target,
                                          ci, line);
    ck_assert_str_eq(h->cause, "cpu read");
    if (c->change == CHANGE_RETARGET) {
        char old_line[16], new_line[16];
        snprintf(old_line, sizeof old_line, "0x%08x", c->pa);
        snprintf(new_line, sizeof new_line, "0x%08x", c->new_pa);
        ck_assert_msg(strstr(h->detail, old_line) && strstr(h->detail, new_line),
                      "%sdetail names both physical lines: %s", row, h->detail);
    }

    ck_assert_uint_eq(bus_cache_invalidate_range(m, 1, c->v, c->m2c), 1);
    expect_read(m, c->core, c->v, c->neu, 4);
    expect_total(m, 1);
}
END_TEST

/* A program that leaves the line's bytes as they were (0xFF AND 0xFF) changes
 * nothing beneath the line: no stale read. */
START_TEST(spi1_program_of_identical_bytes_is_not_stale)
{
    m = build_normal("esp32s3");
    const uint32_t v = 0x3C010000;
    map_page(m, v, FLASH, 0x110000);
    uint8_t b[4];
    rd(m, 0, v, b, 4);
    ck_assert_int_eq(bus_spi1_program(m, 0x110000, ERASED, 4), 0);
    expect_read(m, 0, v, ERASED, 4);
    expect_total(m, 0);
}
END_TEST

/* Alias A written and written back; alias B, filled before, still holds the old
 * bytes.  The store through A already makes two lines of one physical line with
 * one dirty (an alias conflict); the read through B is the stale read. */
START_TEST(stale_read_through_another_alias)
{
    m = build_s3_aliases();
    int dc = cache_index(m, "dcache");
    const uint8_t old[4] = {1, 2, 3, 4}, neu[4] = {0xE1, 0xE2, 0xE3, 0xE4};
    ck_assert_int_eq(store_write(m->psram, ALIAS_PA, old, 4), 0);
    expect_read(m, 0, ALIAS_B, old, 4);
    int32_t lb = line_of(m, dc, 0, ALIAS_B);

    wr(m, 0, ALIAS_A, neu, 4);
    int32_t la = line_of(m, dc, 0, ALIAS_A);
    ck_assert_int_ne(la, lb);
    expect_last(m, 1, MMSIM_HAZARD_ALIAS_CONFLICT, 0, ALIAS_A, ALIAS_PA, PSRAM, dc, la);

    ck_assert_uint_eq(bus_cache_writeback_range(m, 1, ALIAS_A, 4), 1);
    expect_store(m, PSRAM, ALIAS_PA, neu, 4);
    expect_total(m, 1);

    expect_read(m, 0, ALIAS_B, old, 4);
    expect_last(m, 2, MMSIM_HAZARD_STALE_READ, 0, ALIAS_B, ALIAS_PA, PSRAM, dc, lb);
    expect_read(m, 0, ALIAS_A, neu, 4); /* A is the line that wrote: it is current */
    expect_total(m, 2);
}
END_TEST

/* ---- lost_write --------------------------------------------------------------- */

/* An S3 line made dirty by a store of `n` bytes at `v` is invalidated (msync M2C of
 * [inv, inv + inv_n) rounds outward to whole lines) without a write-back: the bytes
 * are lost, memory and the next load keep `old`. */
typedef struct {
    const char *name;
    uint32_t v, pa, n;
    uint8_t old[16], neu[16];
    uint32_t inv, inv_n;
} lost_case_t;

static const lost_case_t LOST[] = {
    {"lost_write_on_range_invalidate_of_a_dirty_line", 0x3C020080, 0x20080, 4, {0x0A, 0x0B, 0x0C, 0x0D},
     {0x12, 0x34, 0x56, 0x78}, 0x3C020080, 4},
    /* M2C of buffer X = [v+16, v+32) shares its 32-byte line with a neighbour's dirty
     * bytes [v, v+16): the invalidate rounds outward and destroys them. */
    {"lost_write_on_unaligned_invalidate_of_a_neighbour", 0x3C020200, 0x20200, 16, {0},
     {0x5A, 0x5A, 0x5A, 0x5A, 0x5A, 0x5A, 0x5A, 0x5A, 0x5A, 0x5A, 0x5A, 0x5A, 0x5A, 0x5A, 0x5A, 0x5A}, 0x3C020210,
     16},
};

START_TEST(lost_write_when_a_dirty_line_is_invalidated)
{
    const lost_case_t *c = &LOST[_i];
    in_row(c->name);
    m = build_normal("esp32s3");
    int dc = cache_index(m, "dcache");
    ck_assert_int_eq(store_write(m->psram, c->pa, c->old, c->n), 0);
    map_addr(m, c->v, PSRAM, c->pa);
    wr(m, 0, c->v, c->neu, c->n);
    expect_read(m, 0, c->v, c->neu, c->n);
    int32_t line = line_of(m, dc, 0, c->v);
    ck_assert(m->caches[dc][0]->lines[line].dirty);
    expect_total(m, 0);

    ck_assert_uint_eq(bus_cache_invalidate_range(m, 1, c->inv, c->inv_n), 1);
    expect_last(m, 1, MMSIM_HAZARD_LOST_WRITE, 0, c->v, c->pa, PSRAM, dc, line);
    expect_store(m, PSRAM, c->pa, c->old, c->n);
    expect_read(m, 0, c->v, c->old, c->n);
    expect_total(m, 1);
}
END_TEST

/* ESP32 Cache_Flush(0): CPU 0's dirty DRAM1 line is dropped, CPU 1's is not. */
START_TEST(lost_write_on_esp32_cache_flush)
{
    m = build_normal("esp32");
    ck_assert(!m->chip.config.psram_lowhigh);
    mmu_decode_t d;
    ck_assert(mmu_decode(&m->chip, 0x3F800000, &d));
    ck_assert_uint_eq(d.entry, 1152);
    ck_assert_uint_eq(d.page_size, 0x8000);
    const uint32_t v0 = 0x3F800100, v1 = 0x3F808100, pa0 = 0x18100, pa1 = 0x20100;
    map_page(m, 0x3F800000, PSRAM, 0x18000); /* entry 1152, both tables */
    map_page(m, 0x3F808000, PSRAM, 0x20000); /* entry 1153 */
    ck_assert_uint_eq(mmu_read_entry(&m->mmu, 0, 1, 1153), mmu_encode(&m->chip.mmus[0], PSRAM, 4));
    const uint8_t c1[4] = {0xC1, 0xC1, 0xC1, 0xC1};
    wr(m, 0, v0, NEW4, 4);
    wr(m, 1, v1, c1, 4);
    int32_t line = line_of(m, 0, 0, v0);
    expect_total(m, 0);

    ck_assert_uint_eq(bus_cache_invalidate_all(m, 0, 0), 1);
    expect_last(m, 1, MMSIM_HAZARD_LOST_WRITE, 0, v0, pa0, PSRAM, 0, line);
    expect_store(m, PSRAM, pa0, ZERO, 4); /* PSRAM starts zero */
    expect_read(m, 0, v0, ZERO, 4);

    /* CPU 1's cache was not flushed: its line is still there and dirty. */
    ck_assert(m->caches[0][1]->lines[line_of(m, 0, 1, v1)].dirty);
    ck_assert_uint_eq(bus_cache_writeback_all(m, 1, 0), 1);
    expect_store(m, PSRAM, pa1, c1, 4);
    expect_total(m, 1);
}
END_TEST

/* Invalidating clean lines, or after a write-back, loses nothing. */
START_TEST(invalidate_after_writeback_is_not_a_lost_write)
{
    m = build_normal("esp32s3");
    const uint32_t v = 0x3C020000;
    map_page(m, v, PSRAM, 0x20000);
    wr(m, 0, v, NEW4, 4);
    ck_assert_uint_eq(bus_cache_writeback_range(m, 1, v, 4), 1);
    ck_assert_uint_eq(bus_cache_invalidate_range(m, 1, v, 4), 1);
    expect_read(m, 0, v, NEW4, 4);
    expect_total(m, 0);
}
END_TEST

/* ---- dma_stale ---------------------------------------------------------------- */

/* A store leaves a dirty line over `pa`; a DMA read of `pa` reads memory, not the
 * line, and is reported; beside the line it is fine; after a write-back (msync C2M)
 * it sees the stored bytes. */
typedef struct {
    const char *name, *chip, *cache;
    uint32_t v, pa, n;
    uint8_t old[8], neu[8];
    uint32_t core;      /* the core that stores */
    int32_t rec_core;   /* the core the record names: -1 for a cache no core owns */
} dma_case_t;

static const dma_case_t DMA[] = {
    /* The S3 DCache is shared: no core owns the line. */
    {"dma_read_under_a_dirty_line_s3", "esp32s3", "dcache", 0x3C020100, 0x20100, 8, {1, 1, 1, 1, 1, 1, 1, 1},
     {9, 8, 7, 6, 5, 4, 3, 2}, 0, -1},
    {"dma_read_under_a_dirty_line_of_esp32_cpu1", "esp32", "cache", 0x3F810040, 0x40040, 4, {0},
     {0x12, 0x34, 0x56, 0x78}, 1, 1},
};

START_TEST(dma_read_under_a_dirty_line)
{
    const dma_case_t *c = &DMA[_i];
    in_row(c->name);
    m = build_normal(c->chip);
    int ci = cache_index(m, c->cache);
    ck_assert_int_eq(store_write(m->psram, c->pa, c->old, c->n), 0);
    map_addr(m, c->v, PSRAM, c->pa);
    wr(m, c->core, c->v, c->neu, c->n);
    int32_t line = line_of(m, ci, c->core, c->v);
    expect_total(m, 0);

    expect_dma(m, PSRAM, c->pa, c->old, c->n); /* DMA reads the store, not the cache */
    const mmsim_hazard_t *h = expect_rec(m, 0, MMSIM_HAZARD_DMA_STALE, c->rec_core, c->v, c->pa, PSRAM, ci, line);
    ck_assert_str_eq(h->cause, "dma read");
    /* The few bytes read share their line with the rest the CPU holds dirty. */
    expect_last(m, 2, MMSIM_HAZARD_DMA_UNALIGNED, c->rec_core, c->v, c->pa, PSRAM, ci, line);

    /* A DMA read beside the dirty line is fine. */
    uint8_t b[8];
    ck_assert_int_eq(bus_dma_read(m, PSRAM, c->pa + 32, b, c->n), 0);
    expect_total(m, 2);

    ck_assert_uint_eq(bus_cache_writeback_range(m, 1, c->v, c->n), 1);
    expect_dma(m, PSRAM, c->pa, c->neu, c->n); /* a clean line shares nothing at risk */
    expect_total(m, 2);
}
END_TEST

/* ---- alias_conflict ----------------------------------------------------------- */

/* A clean copy of `pa` sits in the line of `a` (core `a_core`); a store through `b`
 * on `b_core` (a second vaddr, or the other CPU's cache) makes a second line of the
 * same physical line, dirty: the conflict is reported and the two lines disagree, as
 * on the chip. */
typedef struct {
    const char *name, *chip, *cache;
    uint32_t pa, a, b;
    uint32_t a_core, b_core;
    bool b_filled; /* b holds a clean copy too before the store */
    uint8_t old[4];
} alias_case_t;

static const alias_case_t ALIAS[] = {
    {"alias_conflict_two_vaddrs_one_dirty", "esp32s3", "dcache", 0x90000, 0x3C090000, 0x3C0B0000, 0, 0, true,
     {0x33, 0x33, 0x33, 0x33}},
    {"alias_conflict_across_esp32_cpu_caches", "esp32", "cache", 0x10040, 0x3F800040, 0x3F800040, 0, 1, false,
     {0x44, 0x45, 0x46, 0x47}},
};

START_TEST(alias_conflict_when_a_second_copy_is_written)
{
    const alias_case_t *c = &ALIAS[_i];
    in_row(c->name);
    m = build_normal(c->chip);
    int ci = cache_index(m, c->cache);
    if (c->a_core != c->b_core)
        ck_assert_ptr_ne(m->caches[ci][c->a_core], m->caches[ci][c->b_core]);
    ck_assert_int_eq(store_write(m->psram, c->pa, c->old, 4), 0);
    map_addr(m, c->a, PSRAM, c->pa);
    if (c->b != c->a)
        map_addr(m, c->b, PSRAM, c->pa);
    expect_read(m, c->a_core, c->a, c->old, 4);
    if (c->b_filled)
        expect_read(m, c->b_core, c->b, c->old, 4);
    expect_total(m, 0); /* clean copies agree */

    wr(m, c->b_core, c->b, NEW4, 4);
    expect_last(m, 1, MMSIM_HAZARD_ALIAS_CONFLICT, (int32_t)c->b_core, c->b, c->pa, PSRAM, ci,
                line_of(m, ci, c->b_core, c->b));
    expect_read(m, c->a_core, c->a, c->old, 4); /* a keeps its copy */
    expect_read(m, c->b_core, c->b, NEW4, 4);
    expect_total(m, 1);
}
END_TEST

/* The reference's alias bug: a write through alias A is undone by a later
 * write-back of alias B, which still holds A's bytes as they were before.  Both
 * stores make two lines of one physical line with one (then each) dirty. */
START_TEST(alias_write_back_undoes_the_other_alias)
{
    m = build_s3_aliases();
    int dc = cache_index(m, "dcache");
    const uint8_t wa[4] = {0xAA, 0xAA, 0xAA, 0xAA}, wb[4] = {0xBB, 0xBB, 0xBB, 0xBB};
    uint8_t b[8];
    rd(m, 0, ALIAS_A, b, 8);
    rd(m, 0, ALIAS_B, b, 8);
    int32_t la = line_of(m, dc, 0, ALIAS_A), lb = line_of(m, dc, 0, ALIAS_B);
    expect_total(m, 0);

    wr(m, 0, ALIAS_A, wa, 4);     /* bytes 0-3 through A */
    expect_last(m, 1, MMSIM_HAZARD_ALIAS_CONFLICT, 0, ALIAS_A, ALIAS_PA, PSRAM, dc, la);
    wr(m, 0, ALIAS_B + 4, wb, 4); /* bytes 4-7 through B */
    expect_last(m, 2, MMSIM_HAZARD_ALIAS_CONFLICT, 0, ALIAS_B, ALIAS_PA, PSRAM, dc, lb);

    ck_assert_uint_eq(bus_cache_writeback_range(m, 1, ALIAS_A, 4), 1);
    ck_assert_uint_eq(bus_cache_writeback_range(m, 1, ALIAS_B, 4), 1);
    const uint8_t undone[8] = {0, 0, 0, 0, 0xBB, 0xBB, 0xBB, 0xBB};
    expect_store(m, PSRAM, ALIAS_PA, undone, 8); /* A's write is gone from memory */
    expect_total(m, 2);

    /* A still holds its own bytes, but memory beneath it changed: stale. */
    const uint8_t seen_a[8] = {0xAA, 0xAA, 0xAA, 0xAA, 0, 0, 0, 0};
    expect_read(m, 0, ALIAS_A, seen_a, 8);
    expect_last(m, 3, MMSIM_HAZARD_STALE_READ, 0, ALIAS_A, ALIAS_PA, PSRAM, dc, la);
    /* B wrote last: it matches memory. */
    expect_read(m, 0, ALIAS_B, undone, 8);
    expect_total(m, 3);
}
END_TEST

/* One store, one conflict, one record: a store to B that misses while alias A is
 * dirty fills B (the conflict begins) and dirties it (the same pair of lines). */
START_TEST(alias_conflict_reported_once_per_store)
{
    m = build_s3_aliases();
    int dc = cache_index(m, "dcache");
    wr(m, 0, ALIAS_A, NEW4, 4); /* B not cached: no conflict yet */
    expect_total(m, 0);
    wr(m, 0, ALIAS_B + 4, NEW4, 4);
    ck_assert_uint_eq(m->hazards.per_kind[MMSIM_HAZARD_ALIAS_CONFLICT], 1);
    expect_last(m, 1, MMSIM_HAZARD_ALIAS_CONFLICT, 0, ALIAS_B, ALIAS_PA, PSRAM, dc, line_of(m, dc, 0, ALIAS_B));
}
END_TEST

/* ---- unmapped_access ---------------------------------------------------------- */

/* A load of `n` bytes where nothing is mapped: outside every window, or through an
 * entry never written.  The bus returns the chip's fill pattern (`fill`; from
 * v + split on, `fill2`), caches nothing and raises one record for the whole access;
 * a second access raises a second. */
typedef struct {
    const char *name, *chip;
    uint32_t core, v, n;
    bool in_window; /* v is in a window, behind an invalid entry */
    uint32_t fill, split, fill2;
} unmapped_case_t;

static const unmapped_case_t UNMAPPED[] = {
    {"unmapped_access_outside_every_window (esp32s3)", "esp32s3", 0, 0x30000001, 4, false, 0xdeadbeef, 4, 0},
    {"unmapped_access_outside_every_window (esp32)", "esp32", 1, 0x3F000000, 4, false, 0xbad00bad, 4, 0},
    {"unmapped_access_invalid_entry_never_mapped (esp32)", "esp32", 0, 0x3F400000, 4, true, 0xbaadbaad, 4, 0},
    {"unmapped_access_invalid_entry_never_mapped (esp32s3)", "esp32s3", 0, 0x3C100002, 2, true, 0xdeadbeef, 2, 0},
    /* eight lines, all unmapped */
    {"unmapped_bulk_read_raises_one_record (esp32s3)", "esp32s3", 0, 0x3C200000, 256, true, 0xdeadbeef, 256, 0},
    /* 16 bytes in no window, then 16 of DROM0's invalid entry 0, each with its own
     * pattern, still one record */
    {"unmapped_bulk_read_raises_one_record (esp32)", "esp32", 0, 0x3F3FFFF0, 32, false, 0xbad00bad, 16, 0xbaadbaad},
};

START_TEST(unmapped_access_reads_the_fill_pattern)
{
    const unmapped_case_t *c = &UNMAPPED[_i];
    in_row(c->name);
    m = build_normal(c->chip);
    ck_assert_msg((mmu_window_of(&m->chip, c->v) != NULL) == c->in_window, "%s0x%08x in a window: %d", row, c->v,
                  !c->in_window);
    uint8_t want[256];
    pattern_bytes(want, c->v, c->split, c->fill);
    pattern_bytes(want + c->split, c->v + c->split, c->n - c->split, c->fill2);
    expect_read(m, c->core, c->v, want, c->n);
    ck_assert_uint_eq(m->hazards.per_kind[MMSIM_HAZARD_UNMAPPED_ACCESS], 1);
    expect_last(m, 1, MMSIM_HAZARD_UNMAPPED_ACCESS, (int32_t)c->core, c->v, 0, 0, -1, -1);
    ck_assert_uint_eq(all_fills(m), 0); /* nothing was cached */
    /* a second access is a second record */
    uint8_t b[4];
    rd(m, c->core, c->v, b, 4);
    expect_last(m, 2, MMSIM_HAZARD_UNMAPPED_ACCESS, (int32_t)c->core, c->v, 0, 0, -1, -1);
}
END_TEST

/* A store to an invalid entry is dropped: nothing cached, nothing written. */
START_TEST(unmapped_store_is_dropped)
{
    m = build_normal("esp32s3");
    int dc = cache_index(m, "dcache");
    const uint32_t v = 0x3C100000;
    size_t ps = store_resident_bytes(m->psram), fs = store_resident_bytes(m->flash);
    wr(m, 0, v, NEW4, 4);
    expect_last(m, 1, MMSIM_HAZARD_UNMAPPED_ACCESS, 0, v, 0, 0, -1, -1);
    ck_assert_ptr_null(cache_lookup(m->caches[dc][0], v, false));
    ck_assert_uint_eq(store_resident_bytes(m->psram), ps); /* no chunk was written */
    ck_assert_uint_eq(store_resident_bytes(m->flash), fs);
}
END_TEST

/* After a reset of the tables (every entry invalid, none "unmapped") a line left in
 * the cache still hits: the old bytes come back, reported as an invalid-entry access. */
START_TEST(unmapped_access_hits_a_line_left_in_the_cache)
{
    m = build_normal("esp32s3");
    int dc = cache_index(m, "dcache");
    const uint32_t v = 0x3C010004, pa = 0x110004;
    ck_assert_int_eq(store_write(m->flash, pa, NEW4, 4), 0);
    map_addr(m, v, FLASH, pa);
    uint8_t b[4];
    rd(m, 0, v, b, 4);
    mmu_unmap_all(&m->mmu);
    int32_t line = line_of(m, dc, 0, v);
    expect_read(m, 0, v, NEW4, 4);
    ck_assert_uint_eq(m->hazards.per_kind[MMSIM_HAZARD_USE_AFTER_UNMAP], 0);
    expect_last(m, 1, MMSIM_HAZARD_UNMAPPED_ACCESS, 0, v, 0x110000, FLASH, dc, line);
}
END_TEST

/* ---- use_after_unmap ---------------------------------------------------------- */

START_TEST(use_after_unmap_hits_the_old_line)
{
    m = build_normal("esp32s3");
    int dc = cache_index(m, "dcache");
    const uint32_t v = 0x3C060010, pa = 0x80010;
    const uint8_t old[4] = {0x61, 0x62, 0x63, 0x64};
    ck_assert_int_eq(store_write(m->psram, pa, old, 4), 0);
    map_addr(m, v, PSRAM, pa);
    uint8_t b[4];
    rd(m, 0, v, b, 4);
    unmap_page(m, 0x3C060000);
    int32_t line = line_of(m, dc, 0, v);
    expect_read(m, 0, v, old, 4); /* the stale line still hits */
    expect_last(m, 1, MMSIM_HAZARD_USE_AFTER_UNMAP, 0, v, pa & ~31u, PSRAM, dc, line);

    /* Another line of the unmapped page was never cached: fill pattern. */
    uint8_t want[4];
    pattern_bytes(want, 0x3C060400, 4, m->chip.fill_invalid_entry);
    expect_read(m, 0, 0x3C060400, want, 4);
    expect_last(m, 2, MMSIM_HAZARD_USE_AFTER_UNMAP, 0, 0x3C060400, 0, 0, -1, -1);
}
END_TEST

START_TEST(use_after_unmap_never_cached)
{
    m = build_normal("esp32s3");
    const uint32_t v = 0x3C070000;
    map_page(m, v, FLASH, 0x120000);
    unmap_page(m, v);
    const uint8_t want[4] = {0xEF, 0xBE, 0xAD, 0xDE};
    expect_read(m, 0, v, want, 4);
    ck_assert_uint_eq(m->hazards.per_kind[MMSIM_HAZARD_UNMAPPED_ACCESS], 0);
    expect_last(m, 1, MMSIM_HAZARD_USE_AFTER_UNMAP, 0, v, 0, 0, -1, -1);
    /* Mapping it again makes it an ordinary page. */
    map_page(m, v, FLASH, 0x120000);
    expect_read(m, 0, v, ERASED, 4);
    expect_total(m, 1);
}
END_TEST

/* ---- write_read_only ---------------------------------------------------------- */

/* A store through a window without write access: flash through S3's DBUS, ESP32's
 * DROM0, and S2's DROM0, which reaches PSRAM too (the window drops the store even
 * though the memory behind it is writable).  Line not cached: no fill, nothing
 * written.  Line cached: the store does not reach the line either. */
typedef struct {
    const char *name, *chip, *cache;
    uint32_t v, target, pa;
    bool by_spi1; /* the image is programmed over SPI1 (else written into the store) */
    uint8_t img[4], w[4];
} read_only_case_t;

static const read_only_case_t READ_ONLY[] = {
    {"write_to_flash_through_s3_dbus_is_dropped", "esp32s3", "dcache", 0x3C070100, FLASH, 0x120100, true,
     {0xF1, 0xF2, 0xF3, 0xF4}, {0, 0, 0, 0}},
    {"write_through_esp32_drom0_is_dropped", "esp32", "cache", 0x3F400020, FLASH, 0x30020, false,
     {0xD1, 0xD2, 0xD3, 0xD4}, {0, 0, 0, 0}},
    {"write_through_esp32s2_drom0_to_psram_is_dropped", "esp32s2", "icache", 0x3F000040, PSRAM, 0x10040, false,
     {0x21, 0x22, 0x23, 0x24}, {0x12, 0x34, 0x56, 0x78}}, /* S2 reads DROM0 through its ICache */
};

START_TEST(write_through_a_read_only_window_is_dropped)
{
    const read_only_case_t *c = &READ_ONLY[_i];
    in_row(c->name);
    m = build_normal(c->chip);
    int ci = cache_index(m, c->cache);
    if (c->by_spi1)
        ck_assert_int_eq(bus_spi1_program(m, c->pa, c->img, 4), 0);
    else
        ck_assert_int_eq(store_write(store_of(m, c->target), c->pa, c->img, 4), 0);
    map_addr(m, c->v, c->target, c->pa);

    /* Line not cached: no fill, nothing written. */
    wr(m, 0, c->v, c->w, 4);
    expect_last(m, 1, MMSIM_HAZARD_WRITE_READ_ONLY, 0, c->v, c->pa, c->target, -1, -1);
    ck_assert_ptr_null(cache_lookup(m->caches[ci][0], c->v, false));
    expect_store(m, c->target, c->pa, c->img, 4);
    expect_read(m, 0, c->v, c->img, 4);
    expect_total(m, 1);

    /* Line cached: the store does not reach the line either. */
    wr(m, 0, c->v, c->w, 4);
    expect_total(m, 2);
    expect_field(1, m->hazards.recs[1].kind, MMSIM_HAZARD_WRITE_READ_ONLY);
    expect_field(1, m->hazards.recs[1].vaddr, c->v);
    expect_field(1, m->hazards.recs[1].paddr, c->pa);
    expect_field(1, m->hazards.recs[1].target, c->target);
    ck_assert(!m->caches[ci][0]->lines[line_of(m, ci, 0, c->v)].dirty);
    expect_read(m, 0, c->v, c->img, 4);
    expect_store(m, c->target, c->pa, c->img, 4);
    expect_total(m, 2);
}
END_TEST

/* ---- capability --------------------------------------------------------------- */

START_TEST(byte_access_to_esp32s2_dport_window)
{
    m = build_normal("esp32s2");
    mmu_decode_t d;
    ck_assert(mmu_decode(&m->chip, 0x3F500000, &d));
    ck_assert_uint_eq(d.entry, 336);
    const uint32_t pa = 0x10000;
    const uint8_t img[4] = {0x11, 0x22, 0x33, 0x44};
    ck_assert_int_eq(store_write(m->psram, pa, img, 4), 0);
    map_page(m, 0x3F500000, PSRAM, pa);

    const uint8_t byte1[1] = {0xBE}; /* 0xdeadbeef, byte 1 */
    expect_read(m, 0, 0x3F500001, byte1, 1);
    expect_last(m, 1, MMSIM_HAZARD_CAPABILITY, 0, 0x3F500001, pa + 1, PSRAM, -1, -1);

    const uint8_t half[2] = {0xAD, 0xDE};
    expect_read(m, 0, 0x3F500002, half, 2); /* halfword: also not allowed */
    expect_total(m, 2);
    ck_assert_int_eq(m->hazards.recs[1].kind, MMSIM_HAZARD_CAPABILITY);

    expect_read(m, 0, 0x3F500000, img, 4);
    expect_total(m, 2);
}
END_TEST

START_TEST(fetch_through_s3_dbus_has_no_exec)
{
    m = build_normal("esp32s3");
    const uint32_t pa = 0x140000;
    const uint8_t code[4] = {0x36, 0x41, 0x00, 0x1D};
    ck_assert_int_eq(store_write(m->flash, pa, code, 4), 0);
    map_page(m, 0x3C140000, FLASH, pa); /* entry 20 serves DBUS0 and IBUS0 alike */
    uint8_t b[4], want[4] = {0xEF, 0xBE, 0xAD, 0xDE};
    bus_cpu_access(m, 0, BUS_FETCH, 0x3C140000, b, 4);
    expect_bytes(b, want, 4, "fetch at", 0x3C140000);
    expect_last(m, 1, MMSIM_HAZARD_CAPABILITY, 0, 0x3C140000, pa, FLASH, -1, -1);

    bus_cpu_access(m, 0, BUS_FETCH, 0x42140000, b, 4);
    expect_bytes(b, code, 4, "fetch at", 0x42140000);
    expect_read(m, 0, 0x3C140000, code, 4);
    expect_total(m, 1);
}
END_TEST

/* ---- unmapped_access and cache_disabled: a bus or a cache switched off ----------- */

/* A load on `core` with its bus (unmapped_access) or its instance of the cache
 * (cache_disabled) switched off: the chip's no-window pattern, one record, no fill;
 * switched on again, the load reads memory. */
typedef struct {
    const char *name, *chip, *cache;
    bool bus; /* the core's bus is off, else its cache */
    uint32_t core, v, target, pa;
    uint8_t bytes[4]; /* in memory at pa */
    bool other_core_first; /* the other core loads first, with everything on */
    mmsim_hazard_kind_t kind;
    uint32_t fill;
} off_case_t;

static const off_case_t OFF[] = {
    {"unmapped_access_with_the_bus_disabled", "esp32s3", "dcache", true, 0, 0x3C010000, FLASH, 0x110000,
     {0x12, 0x34, 0x56, 0x78}, false, MMSIM_HAZARD_UNMAPPED_ACCESS, 0xdeadbeef},
    {"access_with_the_cache_disabled", "esp32s3", "dcache", false, 0, 0x3C010000, FLASH, 0x110000,
     {0x12, 0x34, 0x56, 0x78}, false, MMSIM_HAZARD_CACHE_DISABLED, 0xdeadbeef},
    /* CPU 0's cache stays on. */
    {"esp32_cpu1_cache_disabled", "esp32", "cache", false, 1, 0x3F800000, PSRAM, 0, {0, 0, 0, 0}, true,
     MMSIM_HAZARD_CACHE_DISABLED, 0xbad00bad},
};

START_TEST(access_with_the_bus_or_the_cache_switched_off)
{
    const off_case_t *c = &OFF[_i];
    in_row(c->name);
    m = build_normal(c->chip);
    int ci = cache_index(m, c->cache);
    ck_assert_uint_eq(m->chip.fill_no_window, c->fill);
    ck_assert_int_eq(store_write(store_of(m, c->target), c->pa, c->bytes, 4), 0);
    map_addr(m, c->v, c->target, c->pa);
    if (c->bus)
        m->bus_enabled[c->core] &= ~CHIPDEF_BUS_DBUS0;
    else
        m->cache_off[ci][c->core] = true;
    if (c->other_core_first) {
        expect_read(m, 1 - c->core, c->v, c->bytes, 4);
        expect_total(m, 0);
    }
    uint8_t want[4];
    pattern_bytes(want, c->v, 4, c->fill);
    expect_read(m, c->core, c->v, want, 4);
    expect_last(m, 1, c->kind, (int32_t)c->core, c->v, c->pa, c->target, -1, -1);
    ck_assert_uint_eq(m->caches[ci][c->core]->stats.fills, 0);

    if (c->bus)
        m->bus_enabled[c->core] |= CHIPDEF_BUS_DBUS0;
    else
        m->cache_off[ci][c->core] = false;
    expect_read(m, c->core, c->v, c->bytes, 4);
    expect_total(m, 1);
}
END_TEST

/* ---- data-path details -------------------------------------------------------- */

START_TEST(hit_after_fill_costs_fewer_cycles)
{
    m = build_normal("esp32s3");
    int dc = cache_index(m, "dcache");
    map_page(m, 0x3C020000, PSRAM, 0x20000);
    uint8_t b[4];
    uint64_t c0 = m->cycles[0];
    rd(m, 0, 0x3C020000, b, 4);
    uint64_t fill = m->cycles[0] - c0;
    c0 = m->cycles[0];
    rd(m, 0, 0x3C020004, b, 4);
    uint64_t hit = m->cycles[0] - c0;
    ck_assert_uint_lt(hit, fill);
    uint64_t access = m->chip.caches[dc].hit_cycles + m->chip.cpu_access_cycles;
    ck_assert_uint_eq(hit, access);
    /* The DCache streams the critical word first: the miss waits for 4 bytes, not 32. */
    ck_assert_uint_eq(fill, timing_transaction_cycles(&m->chip.psram, m->chip.cpu_mhz, 4) + access);
    ck_assert_uint_eq(m->cycles[1], 0);
    ck_assert_uint_eq(m->caches[dc][0]->stats.misses, 1);
    ck_assert_uint_eq(m->caches[dc][0]->stats.hits, 1);
    /* A stale hit costs what any hit costs: hazards do not change timing. */
    const uint8_t x[4] = {1, 2, 3, 4};
    ck_assert_int_eq(bus_dma_write(m, PSRAM, 0x20000, x, 4), 0);
    c0 = m->cycles[0];
    rd(m, 0, 0x3C020000, b, 4);
    ck_assert_uint_eq(m->cycles[0] - c0, hit);
    expect_total(m, 1);
    ck_assert_int_eq(m->hazards.recs[0].kind, MMSIM_HAZARD_STALE_READ);
}
END_TEST

#define N(table) (int)(sizeof table / sizeof table[0])

static TCase *kind_case(Suite *s, const char *name)
{
    TCase *t = tcase_create(name);
    tcase_add_checked_fixture(t, no_row, teardown);
    suite_add_tcase(s, t);
    return t;
}

int main(void)
{
    Suite *s = suite_create("hazard");
    TCase *t = kind_case(s, "stale_read");
    tcase_add_loop_test(t, stale_read_when_the_memory_under_a_clean_line_changes, 0, N(STALE));
    tcase_add_test(t, spi1_program_of_identical_bytes_is_not_stale);
    tcase_add_test(t, stale_read_through_another_alias);

    t = kind_case(s, "lost_write");
    tcase_add_loop_test(t, lost_write_when_a_dirty_line_is_invalidated, 0, N(LOST));
    tcase_add_test(t, lost_write_on_esp32_cache_flush);
    tcase_add_test(t, invalidate_after_writeback_is_not_a_lost_write);

    t = kind_case(s, "dma_stale");
    tcase_add_loop_test(t, dma_read_under_a_dirty_line, 0, N(DMA));

    t = kind_case(s, "alias_conflict");
    tcase_add_loop_test(t, alias_conflict_when_a_second_copy_is_written, 0, N(ALIAS));
    tcase_add_test(t, alias_write_back_undoes_the_other_alias);
    tcase_add_test(t, alias_conflict_reported_once_per_store);

    t = kind_case(s, "unmapped_access");
    tcase_add_loop_test(t, unmapped_access_reads_the_fill_pattern, 0, N(UNMAPPED));
    tcase_add_test(t, unmapped_store_is_dropped);
    tcase_add_test(t, unmapped_access_hits_a_line_left_in_the_cache);

    t = kind_case(s, "use_after_unmap");
    tcase_add_test(t, use_after_unmap_hits_the_old_line);
    tcase_add_test(t, use_after_unmap_never_cached);

    t = kind_case(s, "write_read_only");
    tcase_add_loop_test(t, write_through_a_read_only_window_is_dropped, 0, N(READ_ONLY));

    t = kind_case(s, "capability");
    tcase_add_test(t, byte_access_to_esp32s2_dport_window);
    tcase_add_test(t, fetch_through_s3_dbus_has_no_exec);

    t = kind_case(s, "bus_or_cache_off");
    tcase_add_loop_test(t, access_with_the_bus_or_the_cache_switched_off, 0, N(OFF));

    t = kind_case(s, "data_path");
    tcase_add_test(t, hit_after_fill_costs_fewer_cycles);
    return mmsim_check_run(s);
}
