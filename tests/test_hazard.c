/* test_hazard.c - one test per cause of every hazard of the hazard table
 * (reference/hardware-and-hazards.md §2): each shows the bytes the simulated chip
 * returns, as the hardware would, and the record the bus raises (kind, core,
 * addresses, target, cache and line), and that nothing else was raised. */
#include <check.h>
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

/* Index of the valid line tagged with `vaddr` in the instance of cache `ci` that
 * `core` uses; fails the test if there is none. */
static int32_t line_of(machine_t *m, int ci, uint32_t core, uint32_t vaddr)
{
    cache_t *c = m->caches[ci][core];
    cache_line_t *l = cache_lookup(c, vaddr, false);
    ck_assert_msg(l != NULL, "no line for 0x%08x in %s", vaddr, m->chip.caches[ci].name);
    return (int32_t)cache_line_index(c, l);
}

/* The log holds exactly `n` records, all kept. */
static void expect_total(const machine_t *m, size_t n)
{
    ck_assert_uint_eq(m->hazards.total, n);
    ck_assert_uint_eq(m->hazards.kept, n);
}

/* Record `i` is `kind` at exactly this site. */
static const mmsim_hazard_t *expect_rec(const machine_t *m, size_t i, mmsim_hazard_kind_t kind,
                                        int32_t core, uint32_t vaddr, uint32_t paddr, uint32_t target,
                                        int32_t cache, int32_t line)
{
    ck_assert_uint_lt(i, m->hazards.kept);
    const mmsim_hazard_t *h = &m->hazards.recs[i];
    ck_assert_msg(h->kind == kind, "record %zu is %s, expected %s (%s)", i, mmsim_hazard_name(h->kind),
                  mmsim_hazard_name(kind), h->detail);
    ck_assert_int_eq(h->core, core);
    ck_assert_uint_eq(h->vaddr, vaddr);
    ck_assert_uint_eq(h->paddr, paddr);
    ck_assert_uint_eq(h->target, target);
    ck_assert_int_eq(h->cache, cache);
    ck_assert_int_eq(h->line, line);
    ck_assert_msg(h->detail[0] != '\0', "record %zu has no detail", i);
    return h;
}

/* `n` bytes of a fill pattern as the bus returns them at `vaddr` (little-endian by
 * address & 3). */
static void pattern_bytes(uint8_t *out, uint32_t vaddr, uint32_t n, uint32_t pattern)
{
    for (uint32_t i = 0; i < n; i++)
        out[i] = (uint8_t)(pattern >> (8u * ((vaddr + i) & 3u)));
}

static const uint8_t ERASED[4] = {0xFF, 0xFF, 0xFF, 0xFF};
static const uint8_t NEW4[4] = {0x12, 0x34, 0x56, 0x78};

/* ---- stale_read --------------------------------------------------------------- */

START_TEST(stale_read_after_spi1_program_s3)
{
    machine_t *m = build_normal("esp32s3");
    int dc = cache_index(m, "dcache");
    const uint32_t v = 0x3C010040, pa = 0x110000 + 0x40;
    map_page(m, 0x3C010000, FLASH, 0x110000);
    uint8_t b[4];
    rd(m, 0, v, b, 4);
    ck_assert_mem_eq(b, ERASED, 4);
    expect_total(m, 0);

    ck_assert_int_eq(bus_spi1_program(m, pa, NEW4, 4), 0);
    expect_total(m, 0); /* the write itself is legal; the read of the stale line is not */
    uint8_t f[4];
    ck_assert_int_eq(store_read(m->flash, pa, f, 4), 0);
    ck_assert_mem_eq(f, NEW4, 4);

    int32_t line = line_of(m, dc, 0, v);
    rd(m, 0, v, b, 4);
    ck_assert_mem_eq(b, ERASED, 4); /* the chip serves the stale line */
    expect_total(m, 1);
    const mmsim_hazard_t *h = expect_rec(m, 0, MMSIM_HAZARD_STALE_READ, 0, v, pa, FLASH, dc, line);
    ck_assert_str_eq(h->cause, "cpu read");

    ck_assert_uint_eq(bus_cache_invalidate_range(m, 1, v, 4), 1);
    rd(m, 0, v, b, 4);
    ck_assert_mem_eq(b, NEW4, 4);
    expect_total(m, 1);
    machine_free(m);
}
END_TEST

/* The scenario of DESIGN.md: C6, one read-only unified cache over one I/D window. */
START_TEST(stale_read_after_spi1_program_c6)
{
    machine_t *m = build_normal("esp32c6");
    ck_assert_uint_eq(chipdef_page_size(&m->chip), 0x10000);
    const uint32_t v = 0x42010000, pa = 0x110000;
    ck_assert_int_eq(bus_spi1_erase(m, pa, 4096), 0);
    map_page(m, v, FLASH, pa);
    uint8_t b[4];
    rd(m, 0, v, b, 4);
    ck_assert_mem_eq(b, ERASED, 4);
    ck_assert_int_eq(bus_spi1_program(m, pa, NEW4, 4), 0);
    int32_t line = line_of(m, 0, 0, v);
    rd(m, 0, v, b, 4);
    ck_assert_mem_eq(b, ERASED, 4);
    expect_total(m, 1);
    expect_rec(m, 0, MMSIM_HAZARD_STALE_READ, 0, v, pa, FLASH, 0, line);

    /* msync M2C over the whole 64 KB mapping */
    ck_assert_uint_eq(bus_cache_invalidate_range(m, 1, v, 0x10000), 1);
    rd(m, 0, v, b, 4);
    ck_assert_mem_eq(b, NEW4, 4);
    expect_total(m, 1);
    machine_free(m);
}
END_TEST

START_TEST(stale_read_after_spi1_erase)
{
    machine_t *m = build_normal("esp32s3");
    int dc = cache_index(m, "dcache");
    const uint32_t v = 0x3C0A0000, pa = 0x1A0000;
    const uint8_t zero[4] = {0, 0, 0, 0};
    ck_assert_int_eq(bus_spi1_program(m, pa, zero, 4), 0);
    map_page(m, v, FLASH, pa);
    uint8_t b[4];
    rd(m, 0, v, b, 4);
    ck_assert_mem_eq(b, zero, 4);
    ck_assert_int_eq(bus_spi1_erase(m, pa, 4096), 0);
    int32_t line = line_of(m, dc, 0, v);
    rd(m, 0, v, b, 4);
    ck_assert_mem_eq(b, zero, 4);
    expect_total(m, 1);
    expect_rec(m, 0, MMSIM_HAZARD_STALE_READ, 0, v, pa, FLASH, dc, line);
    bus_cache_invalidate_range(m, 1, v, 4);
    rd(m, 0, v, b, 4);
    ck_assert_mem_eq(b, ERASED, 4);
    expect_total(m, 1);
    machine_free(m);
}
END_TEST

/* A program that leaves the line's bytes as they were (0xFF AND 0xFF) changes
 * nothing beneath the line: no stale read. */
START_TEST(spi1_program_of_identical_bytes_is_not_stale)
{
    machine_t *m = build_normal("esp32s3");
    const uint32_t v = 0x3C010000;
    map_page(m, v, FLASH, 0x110000);
    uint8_t b[4];
    rd(m, 0, v, b, 4);
    ck_assert_int_eq(bus_spi1_program(m, 0x110000, ERASED, 4), 0);
    rd(m, 0, v, b, 4);
    ck_assert_mem_eq(b, ERASED, 4);
    expect_total(m, 0);
    machine_free(m);
}
END_TEST

START_TEST(stale_read_after_dma_write_s3)
{
    machine_t *m = build_normal("esp32s3");
    int dc = cache_index(m, "dcache");
    const uint32_t v = 0x3C020040, pa = 0x30000 + 0x40;
    const uint8_t old[4] = {0xA0, 0xA1, 0xA2, 0xA3}, dma[4] = {0xD0, 0xD1, 0xD2, 0xD3};
    ck_assert_int_eq(store_write(m->psram, pa, old, 4), 0);
    map_page(m, 0x3C020000, PSRAM, 0x30000);
    uint8_t b[4];
    rd(m, 0, v, b, 4);
    ck_assert_mem_eq(b, old, 4);

    ck_assert_int_eq(bus_dma_write(m, PSRAM, pa, dma, 4), 0);
    expect_total(m, 0);
    int32_t line = line_of(m, dc, 0, v);
    rd(m, 1, v, b, 4); /* the S3 DCache is shared: core 1 hits core 0's fill */
    ck_assert_mem_eq(b, old, 4);
    expect_total(m, 1);
    expect_rec(m, 0, MMSIM_HAZARD_STALE_READ, 1, v, pa, PSRAM, dc, line);

    bus_cache_invalidate_range(m, 1, v, 4);
    rd(m, 1, v, b, 4);
    ck_assert_mem_eq(b, dma, 4);
    expect_total(m, 1);
    machine_free(m);
}
END_TEST

/* Alias A written and written back; alias B, filled before, still holds the old
 * bytes.  The store through A already makes two lines of one physical line with
 * one dirty (an alias conflict); the read through B is the stale read. */
START_TEST(stale_read_through_another_alias)
{
    machine_t *m = build_normal("esp32s3");
    int dc = cache_index(m, "dcache");
    const uint32_t pa = 0x50000, a = 0x3C030000, bv = 0x3C040000;
    const uint8_t old[4] = {1, 2, 3, 4}, neu[4] = {0xE1, 0xE2, 0xE3, 0xE4};
    ck_assert_int_eq(store_write(m->psram, pa, old, 4), 0);
    map_page(m, a, PSRAM, pa);
    map_page(m, bv, PSRAM, pa);
    uint8_t b[4];
    rd(m, 0, bv, b, 4);
    ck_assert_mem_eq(b, old, 4);
    int32_t lb = line_of(m, dc, 0, bv);

    wr(m, 0, a, neu, 4);
    int32_t la = line_of(m, dc, 0, a);
    ck_assert_int_ne(la, lb);
    expect_total(m, 1);
    expect_rec(m, 0, MMSIM_HAZARD_ALIAS_CONFLICT, 0, a, pa, PSRAM, dc, la);

    ck_assert_uint_eq(bus_cache_writeback_range(m, 1, a, 4), 1);
    uint8_t s[4];
    ck_assert_int_eq(store_read(m->psram, pa, s, 4), 0);
    ck_assert_mem_eq(s, neu, 4);
    expect_total(m, 1);

    rd(m, 0, bv, b, 4);
    ck_assert_mem_eq(b, old, 4);
    expect_total(m, 2);
    expect_rec(m, 1, MMSIM_HAZARD_STALE_READ, 0, bv, pa, PSRAM, dc, lb);
    rd(m, 0, a, b, 4); /* A is the line that wrote: it is current */
    ck_assert_mem_eq(b, neu, 4);
    expect_total(m, 2);
    machine_free(m);
}
END_TEST

START_TEST(stale_read_after_retarget_without_invalidate)
{
    machine_t *m = build_normal("esp32s3");
    int dc = cache_index(m, "dcache");
    const uint32_t v = 0x3C050020, p6 = 0x60000, p7 = 0x70000;
    const uint8_t six[4] = {6, 6, 6, 6}, seven[4] = {7, 7, 7, 7};
    ck_assert_int_eq(store_write(m->psram, p6 + 0x20, six, 4), 0);
    ck_assert_int_eq(store_write(m->psram, p7 + 0x20, seven, 4), 0);
    map_page(m, 0x3C050000, PSRAM, p6);
    uint8_t b[4];
    rd(m, 0, v, b, 4);
    ck_assert_mem_eq(b, six, 4);
    map_page(m, 0x3C050000, PSRAM, p7); /* valid -> valid: not an unmap */
    int32_t line = line_of(m, dc, 0, v);
    rd(m, 0, v, b, 4);
    ck_assert_mem_eq(b, six, 4); /* the virtually tagged hit never asks the MMU */
    expect_total(m, 1);
    const mmsim_hazard_t *h = expect_rec(m, 0, MMSIM_HAZARD_STALE_READ, 0, v, p6 + 0x20, PSRAM, dc, line);
    ck_assert_msg(strstr(h->detail, "0x00060020") && strstr(h->detail, "0x00070020"),
                  "detail names both physical lines: %s", h->detail);

    bus_cache_invalidate_range(m, 1, v, 4);
    rd(m, 0, v, b, 4);
    ck_assert_mem_eq(b, seven, 4);
    expect_total(m, 1);
    machine_free(m);
}
END_TEST

/* ---- lost_write --------------------------------------------------------------- */

START_TEST(lost_write_on_range_invalidate_of_a_dirty_line)
{
    machine_t *m = build_normal("esp32s3");
    int dc = cache_index(m, "dcache");
    const uint32_t v = 0x3C020080, pa = 0x20080;
    const uint8_t old[4] = {0x0A, 0x0B, 0x0C, 0x0D};
    ck_assert_int_eq(store_write(m->psram, pa, old, 4), 0);
    map_page(m, 0x3C020000, PSRAM, 0x20000);
    wr(m, 0, v, NEW4, 4);
    uint8_t b[4];
    rd(m, 0, v, b, 4);
    ck_assert_mem_eq(b, NEW4, 4);
    int32_t line = line_of(m, dc, 0, v);
    ck_assert(m->caches[dc][0]->lines[line].dirty);
    expect_total(m, 0);

    ck_assert_uint_eq(bus_cache_invalidate_range(m, 1, v, 4), 1);
    expect_total(m, 1);
    expect_rec(m, 0, MMSIM_HAZARD_LOST_WRITE, 0, v, pa, PSRAM, dc, line);
    ck_assert_int_eq(store_read(m->psram, pa, b, 4), 0);
    ck_assert_mem_eq(b, old, 4);
    rd(m, 0, v, b, 4);
    ck_assert_mem_eq(b, old, 4);
    expect_total(m, 1);
    machine_free(m);
}
END_TEST

/* ESP32 Cache_Flush(0): CPU 0's dirty DRAM1 line is dropped, CPU 1's is not. */
START_TEST(lost_write_on_esp32_cache_flush)
{
    machine_t *m = build_normal("esp32");
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
    expect_total(m, 1);
    expect_rec(m, 0, MMSIM_HAZARD_LOST_WRITE, 0, v0, pa0, PSRAM, 0, line);
    uint8_t b[4];
    ck_assert_int_eq(store_read(m->psram, pa0, b, 4), 0);
    ck_assert_uint_eq(b[0] | b[1] | b[2] | b[3], 0); /* PSRAM starts zero */
    rd(m, 0, v0, b, 4);
    ck_assert_uint_eq(b[0] | b[1] | b[2] | b[3], 0);

    /* CPU 1's cache was not flushed: its line is still there and dirty. */
    ck_assert(m->caches[0][1]->lines[line_of(m, 0, 1, v1)].dirty);
    ck_assert_uint_eq(bus_cache_writeback_all(m, 1, 0), 1);
    ck_assert_int_eq(store_read(m->psram, pa1, b, 4), 0);
    ck_assert_mem_eq(b, c1, 4);
    expect_total(m, 1);
    machine_free(m);
}
END_TEST

/* M2C of buffer X = [v+16, v+32) shares its 32-byte line with a neighbour's dirty
 * bytes [v, v+16): the invalidate rounds outward and destroys them. */
START_TEST(lost_write_on_unaligned_invalidate_of_a_neighbour)
{
    machine_t *m = build_normal("esp32s3");
    int dc = cache_index(m, "dcache");
    const uint32_t v = 0x3C020200, pa = 0x20200;
    map_page(m, 0x3C020000, PSRAM, 0x20000);
    uint8_t nb[16];
    memset(nb, 0x5A, sizeof nb);
    wr(m, 0, v, nb, 16);
    int32_t line = line_of(m, dc, 0, v);
    expect_total(m, 0);

    ck_assert_uint_eq(bus_cache_invalidate_range(m, 1, v + 16, 16), 1);
    expect_total(m, 1);
    expect_rec(m, 0, MMSIM_HAZARD_LOST_WRITE, 0, v, pa, PSRAM, dc, line);
    uint8_t b[16], zero[16] = {0};
    ck_assert_int_eq(store_read(m->psram, pa, b, 16), 0);
    ck_assert_mem_eq(b, zero, 16);
    rd(m, 0, v, b, 16);
    ck_assert_mem_eq(b, zero, 16);
    expect_total(m, 1);
    machine_free(m);
}
END_TEST

/* Invalidating clean lines, or after a write-back, loses nothing. */
START_TEST(invalidate_after_writeback_is_not_a_lost_write)
{
    machine_t *m = build_normal("esp32s3");
    const uint32_t v = 0x3C020000;
    map_page(m, v, PSRAM, 0x20000);
    wr(m, 0, v, NEW4, 4);
    ck_assert_uint_eq(bus_cache_writeback_range(m, 1, v, 4), 1);
    ck_assert_uint_eq(bus_cache_invalidate_range(m, 1, v, 4), 1);
    uint8_t b[4];
    rd(m, 0, v, b, 4);
    ck_assert_mem_eq(b, NEW4, 4);
    expect_total(m, 0);
    machine_free(m);
}
END_TEST

/* ---- dma_stale ---------------------------------------------------------------- */

START_TEST(dma_read_under_a_dirty_line_s3)
{
    machine_t *m = build_normal("esp32s3");
    int dc = cache_index(m, "dcache");
    const uint32_t v = 0x3C020100, pa = 0x20100;
    const uint8_t old[8] = {1, 1, 1, 1, 1, 1, 1, 1}, neu[8] = {9, 8, 7, 6, 5, 4, 3, 2};
    ck_assert_int_eq(store_write(m->psram, pa, old, 8), 0);
    map_page(m, 0x3C020000, PSRAM, 0x20000);
    wr(m, 0, v, neu, 8);
    int32_t line = line_of(m, dc, 0, v);
    expect_total(m, 0);

    uint8_t b[8];
    ck_assert_int_eq(bus_dma_read(m, PSRAM, pa, b, 8), 0);
    ck_assert_mem_eq(b, old, 8); /* DMA reads the store, not the cache */
    expect_total(m, 1);
    /* the S3 DCache is shared: no core owns the line */
    const mmsim_hazard_t *h = expect_rec(m, 0, MMSIM_HAZARD_DMA_STALE, -1, v, pa, PSRAM, dc, line);
    ck_assert_str_eq(h->cause, "dma read");

    /* A DMA read beside the dirty line is fine. */
    ck_assert_int_eq(bus_dma_read(m, PSRAM, pa + 32, b, 8), 0);
    expect_total(m, 1);

    ck_assert_uint_eq(bus_cache_writeback_range(m, 1, v, 8), 1);
    ck_assert_int_eq(bus_dma_read(m, PSRAM, pa, b, 8), 0);
    ck_assert_mem_eq(b, neu, 8);
    expect_total(m, 1);
    machine_free(m);
}
END_TEST

START_TEST(dma_read_under_a_dirty_line_of_esp32_cpu1)
{
    machine_t *m = build_normal("esp32");
    const uint32_t v = 0x3F810040, pa = 0x40040;
    map_page(m, 0x3F810000, PSRAM, 0x40000);
    wr(m, 1, v, NEW4, 4);
    int32_t line = line_of(m, 0, 1, v);
    uint8_t b[4];
    ck_assert_int_eq(bus_dma_read(m, PSRAM, pa, b, 4), 0);
    ck_assert_uint_eq(b[0] | b[1] | b[2] | b[3], 0);
    expect_total(m, 1);
    expect_rec(m, 0, MMSIM_HAZARD_DMA_STALE, 1, v, pa, PSRAM, 0, line);
    machine_free(m);
}
END_TEST

/* ---- alias_conflict ----------------------------------------------------------- */

START_TEST(alias_conflict_two_vaddrs_one_dirty)
{
    machine_t *m = build_normal("esp32s3");
    int dc = cache_index(m, "dcache");
    const uint32_t pa = 0x90000, a = 0x3C090000, bv = 0x3C0B0000;
    const uint8_t old[4] = {0x33, 0x33, 0x33, 0x33};
    ck_assert_int_eq(store_write(m->psram, pa, old, 4), 0);
    map_page(m, a, PSRAM, pa);
    map_page(m, bv, PSRAM, pa);
    uint8_t b[4];
    rd(m, 0, a, b, 4);
    rd(m, 0, bv, b, 4);
    expect_total(m, 0); /* two clean copies agree */

    wr(m, 0, bv, NEW4, 4);
    expect_total(m, 1);
    expect_rec(m, 0, MMSIM_HAZARD_ALIAS_CONFLICT, 0, bv, pa, PSRAM, dc, line_of(m, dc, 0, bv));
    rd(m, 0, a, b, 4); /* the two lines disagree, as on the chip */
    ck_assert_mem_eq(b, old, 4);
    rd(m, 0, bv, b, 4);
    ck_assert_mem_eq(b, NEW4, 4);
    expect_total(m, 1);
    machine_free(m);
}
END_TEST

START_TEST(alias_conflict_across_esp32_cpu_caches)
{
    machine_t *m = build_normal("esp32");
    ck_assert_ptr_ne(m->caches[0][0], m->caches[0][1]);
    const uint32_t v = 0x3F800040, pa = 0x10040;
    const uint8_t old[4] = {0x44, 0x45, 0x46, 0x47};
    ck_assert_int_eq(store_write(m->psram, pa, old, 4), 0);
    map_page(m, 0x3F800000, PSRAM, 0x10000);
    uint8_t b[4];
    rd(m, 0, v, b, 4);
    ck_assert_mem_eq(b, old, 4);
    expect_total(m, 0);

    wr(m, 1, v, NEW4, 4);
    expect_total(m, 1);
    expect_rec(m, 0, MMSIM_HAZARD_ALIAS_CONFLICT, 1, v, pa, PSRAM, 0, line_of(m, 0, 1, v));
    rd(m, 0, v, b, 4); /* CPU 0 keeps its copy */
    ck_assert_mem_eq(b, old, 4);
    rd(m, 1, v, b, 4);
    ck_assert_mem_eq(b, NEW4, 4);
    expect_total(m, 1);
    machine_free(m);
}
END_TEST

/* The reference's alias bug: a write through alias A is undone by a later
 * write-back of alias B, which still holds A's bytes as they were before.  Both
 * stores make two lines of one physical line with one (then each) dirty. */
START_TEST(alias_write_back_undoes_the_other_alias)
{
    machine_t *m = build_normal("esp32s3");
    int dc = cache_index(m, "dcache");
    const uint32_t pa = 0x50000, a = 0x3C030000, bv = 0x3C040000;
    const uint8_t wa[4] = {0xAA, 0xAA, 0xAA, 0xAA}, wb[4] = {0xBB, 0xBB, 0xBB, 0xBB};
    map_page(m, a, PSRAM, pa);
    map_page(m, bv, PSRAM, pa);
    uint8_t b[8];
    rd(m, 0, a, b, 8);
    rd(m, 0, bv, b, 8);
    int32_t la = line_of(m, dc, 0, a), lb = line_of(m, dc, 0, bv);
    expect_total(m, 0);

    wr(m, 0, a, wa, 4);     /* bytes 0-3 through A */
    expect_total(m, 1);
    expect_rec(m, 0, MMSIM_HAZARD_ALIAS_CONFLICT, 0, a, pa, PSRAM, dc, la);
    wr(m, 0, bv + 4, wb, 4); /* bytes 4-7 through B */
    expect_total(m, 2);
    expect_rec(m, 1, MMSIM_HAZARD_ALIAS_CONFLICT, 0, bv, pa, PSRAM, dc, lb);

    ck_assert_uint_eq(bus_cache_writeback_range(m, 1, a, 4), 1);
    ck_assert_uint_eq(bus_cache_writeback_range(m, 1, bv, 4), 1);
    const uint8_t undone[8] = {0, 0, 0, 0, 0xBB, 0xBB, 0xBB, 0xBB};
    ck_assert_int_eq(store_read(m->psram, pa, b, 8), 0);
    ck_assert_mem_eq(b, undone, 8); /* A's write is gone from memory */
    expect_total(m, 2);

    /* A still holds its own bytes, but memory beneath it changed: stale. */
    const uint8_t seen_a[8] = {0xAA, 0xAA, 0xAA, 0xAA, 0, 0, 0, 0};
    rd(m, 0, a, b, 8);
    ck_assert_mem_eq(b, seen_a, 8);
    expect_total(m, 3);
    expect_rec(m, 2, MMSIM_HAZARD_STALE_READ, 0, a, pa, PSRAM, dc, la);
    /* B wrote last: it matches memory. */
    rd(m, 0, bv, b, 8);
    ck_assert_mem_eq(b, undone, 8);
    expect_total(m, 3);
    machine_free(m);
}
END_TEST

/* One store, one conflict, one record: a store to B that misses while alias A is
 * dirty fills B (the conflict begins) and dirties it (the same pair of lines). */
START_TEST(alias_conflict_reported_once_per_store)
{
    machine_t *m = build_normal("esp32s3");
    int dc = cache_index(m, "dcache");
    const uint32_t pa = 0x50000, a = 0x3C030000, bv = 0x3C040000;
    map_page(m, a, PSRAM, pa);
    map_page(m, bv, PSRAM, pa);
    wr(m, 0, a, NEW4, 4); /* B not cached: no conflict yet */
    expect_total(m, 0);
    wr(m, 0, bv + 4, NEW4, 4);
    ck_assert_uint_eq(m->hazards.per_kind[MMSIM_HAZARD_ALIAS_CONFLICT], 1);
    expect_total(m, 1);
    expect_rec(m, 0, MMSIM_HAZARD_ALIAS_CONFLICT, 0, bv, pa, PSRAM, dc, line_of(m, dc, 0, bv));
    machine_free(m);
}
END_TEST

/* ---- unmapped_access ---------------------------------------------------------- */

START_TEST(unmapped_access_outside_every_window)
{
    machine_t *m = build_normal("esp32s3");
    const uint32_t v = 0x30000001;
    ck_assert_ptr_null(mmu_window_of(&m->chip, v));
    uint8_t b[4], want[4] = {0xBE, 0xAD, 0xDE, 0xEF};
    rd(m, 0, v, b, 4);
    ck_assert_mem_eq(b, want, 4);
    expect_total(m, 1);
    expect_rec(m, 0, MMSIM_HAZARD_UNMAPPED_ACCESS, 0, v, 0, 0, -1, -1);
    machine_free(m);

    m = build_normal("esp32");
    const uint32_t e = 0x3F000000;
    ck_assert_ptr_null(mmu_window_of(&m->chip, e));
    uint8_t w32[4] = {0xAD, 0x0B, 0xD0, 0xBA}; /* 0xbad00bad */
    rd(m, 1, e, b, 4);
    ck_assert_mem_eq(b, w32, 4);
    expect_total(m, 1);
    expect_rec(m, 0, MMSIM_HAZARD_UNMAPPED_ACCESS, 1, e, 0, 0, -1, -1);
    machine_free(m);
}
END_TEST

START_TEST(unmapped_access_invalid_entry_never_mapped)
{
    machine_t *m = build_normal("esp32");
    const uint32_t v = 0x3F400000;
    uint8_t b[4], want[4] = {0xAD, 0xBA, 0xAD, 0xBA}; /* 0xbaadbaad */
    rd(m, 0, v, b, 4);
    ck_assert_mem_eq(b, want, 4);
    expect_total(m, 1);
    expect_rec(m, 0, MMSIM_HAZARD_UNMAPPED_ACCESS, 0, v, 0, 0, -1, -1);
    ck_assert_uint_eq(m->caches[0][0]->stats.fills, 0); /* nothing was cached */
    machine_free(m);

    m = build_normal("esp32s3");
    const uint32_t s = 0x3C100002;
    uint8_t w3[2] = {0xAD, 0xDE};
    rd(m, 0, s, b, 2);
    ck_assert_mem_eq(b, w3, 2);
    expect_total(m, 1);
    expect_rec(m, 0, MMSIM_HAZARD_UNMAPPED_ACCESS, 0, s, 0, 0, -1, -1);
    machine_free(m);
}
END_TEST

START_TEST(unmapped_bulk_read_raises_one_record)
{
    machine_t *m = build_normal("esp32s3");
    const uint32_t v = 0x3C200000;
    uint8_t b[256], want[256];
    rd(m, 0, v, b, 256); /* eight lines, all unmapped */
    pattern_bytes(want, v, 256, 0xdeadbeef);
    ck_assert_mem_eq(b, want, 256);
    expect_total(m, 1);
    ck_assert_uint_eq(m->hazards.per_kind[MMSIM_HAZARD_UNMAPPED_ACCESS], 1);
    expect_rec(m, 0, MMSIM_HAZARD_UNMAPPED_ACCESS, 0, v, 0, 0, -1, -1);
    machine_free(m);

    /* ESP32: 16 bytes in no window, then 16 of DROM0's invalid entry 0, each with
     * its own pattern, still one record. */
    m = build_normal("esp32");
    const uint32_t e = 0x3F3FFFF0;
    rd(m, 0, e, b, 32);
    pattern_bytes(want, e, 16, 0xbad00bad);
    pattern_bytes(want + 16, e + 16, 16, 0xbaadbaad);
    ck_assert_mem_eq(b, want, 32);
    expect_total(m, 1);
    expect_rec(m, 0, MMSIM_HAZARD_UNMAPPED_ACCESS, 0, e, 0, 0, -1, -1);
    /* a second access is a second record */
    rd(m, 0, e, b, 4);
    expect_total(m, 2);
    machine_free(m);
}
END_TEST

START_TEST(unmapped_access_with_the_bus_disabled)
{
    machine_t *m = build_normal("esp32s3");
    const uint32_t v = 0x3C010000;
    map_page(m, v, FLASH, 0x110000);
    ck_assert_int_eq(store_write(m->flash, 0x110000, NEW4, 4), 0);
    m->bus_enabled[0] &= ~CHIPDEF_BUS_DBUS0;
    uint8_t b[4], want[4];
    rd(m, 0, v, b, 4);
    pattern_bytes(want, v, 4, m->chip.fill_no_window);
    ck_assert_mem_eq(b, want, 4);
    expect_total(m, 1);
    expect_rec(m, 0, MMSIM_HAZARD_UNMAPPED_ACCESS, 0, v, 0x110000, FLASH, -1, -1);
    m->bus_enabled[0] |= CHIPDEF_BUS_DBUS0;
    rd(m, 0, v, b, 4);
    ck_assert_mem_eq(b, NEW4, 4);
    expect_total(m, 1);
    machine_free(m);
}
END_TEST

/* A store to an invalid entry is dropped: nothing cached, nothing written. */
START_TEST(unmapped_store_is_dropped)
{
    machine_t *m = build_normal("esp32s3");
    int dc = cache_index(m, "dcache");
    const uint32_t v = 0x3C100000;
    size_t ps = store_resident_bytes(m->psram), fs = store_resident_bytes(m->flash);
    wr(m, 0, v, NEW4, 4);
    expect_total(m, 1);
    expect_rec(m, 0, MMSIM_HAZARD_UNMAPPED_ACCESS, 0, v, 0, 0, -1, -1);
    ck_assert_ptr_null(cache_lookup(m->caches[dc][0], v, false));
    ck_assert_uint_eq(store_resident_bytes(m->psram), ps); /* no chunk was written */
    ck_assert_uint_eq(store_resident_bytes(m->flash), fs);
    machine_free(m);
}
END_TEST

/* After a reset of the tables (every entry invalid, none "unmapped") a line left in
 * the cache still hits: the old bytes come back, reported as an invalid-entry access. */
START_TEST(unmapped_access_hits_a_line_left_in_the_cache)
{
    machine_t *m = build_normal("esp32s3");
    int dc = cache_index(m, "dcache");
    const uint32_t v = 0x3C010004, pa = 0x110004;
    ck_assert_int_eq(store_write(m->flash, pa, NEW4, 4), 0);
    map_page(m, 0x3C010000, FLASH, 0x110000);
    uint8_t b[4];
    rd(m, 0, v, b, 4);
    mmu_unmap_all(&m->mmu);
    int32_t line = line_of(m, dc, 0, v);
    rd(m, 0, v, b, 4);
    ck_assert_mem_eq(b, NEW4, 4);
    expect_total(m, 1);
    ck_assert_uint_eq(m->hazards.per_kind[MMSIM_HAZARD_USE_AFTER_UNMAP], 0);
    expect_rec(m, 0, MMSIM_HAZARD_UNMAPPED_ACCESS, 0, v, 0x110000, FLASH, dc, line);
    machine_free(m);
}
END_TEST

/* ---- use_after_unmap ---------------------------------------------------------- */

START_TEST(use_after_unmap_hits_the_old_line)
{
    machine_t *m = build_normal("esp32s3");
    int dc = cache_index(m, "dcache");
    const uint32_t v = 0x3C060010, pa = 0x80010;
    const uint8_t old[4] = {0x61, 0x62, 0x63, 0x64};
    ck_assert_int_eq(store_write(m->psram, pa, old, 4), 0);
    map_page(m, 0x3C060000, PSRAM, 0x80000);
    uint8_t b[4];
    rd(m, 0, v, b, 4);
    unmap_page(m, 0x3C060000);
    int32_t line = line_of(m, dc, 0, v);
    rd(m, 0, v, b, 4);
    ck_assert_mem_eq(b, old, 4); /* the stale line still hits */
    expect_total(m, 1);
    expect_rec(m, 0, MMSIM_HAZARD_USE_AFTER_UNMAP, 0, v, pa & ~31u, PSRAM, dc, line);

    /* Another line of the unmapped page was never cached: fill pattern. */
    uint8_t want[4];
    rd(m, 0, 0x3C060400, b, 4);
    pattern_bytes(want, 0x3C060400, 4, m->chip.fill_invalid_entry);
    ck_assert_mem_eq(b, want, 4);
    expect_total(m, 2);
    expect_rec(m, 1, MMSIM_HAZARD_USE_AFTER_UNMAP, 0, 0x3C060400, 0, 0, -1, -1);
    machine_free(m);
}
END_TEST

START_TEST(use_after_unmap_never_cached)
{
    machine_t *m = build_normal("esp32s3");
    const uint32_t v = 0x3C070000;
    map_page(m, v, FLASH, 0x120000);
    unmap_page(m, v);
    uint8_t b[4], want[4] = {0xEF, 0xBE, 0xAD, 0xDE};
    rd(m, 0, v, b, 4);
    ck_assert_mem_eq(b, want, 4);
    expect_total(m, 1);
    ck_assert_uint_eq(m->hazards.per_kind[MMSIM_HAZARD_UNMAPPED_ACCESS], 0);
    expect_rec(m, 0, MMSIM_HAZARD_USE_AFTER_UNMAP, 0, v, 0, 0, -1, -1);
    /* Mapping it again makes it an ordinary page. */
    map_page(m, v, FLASH, 0x120000);
    rd(m, 0, v, b, 4);
    ck_assert_mem_eq(b, ERASED, 4);
    expect_total(m, 1);
    machine_free(m);
}
END_TEST

/* ---- write_read_only ---------------------------------------------------------- */

START_TEST(write_to_flash_through_s3_dbus_is_dropped)
{
    machine_t *m = build_normal("esp32s3");
    int dc = cache_index(m, "dcache");
    const uint32_t v = 0x3C070100, pa = 0x120100;
    const uint8_t img[4] = {0xF1, 0xF2, 0xF3, 0xF4}, w[4] = {0, 0, 0, 0};
    ck_assert_int_eq(bus_spi1_program(m, pa, img, 4), 0);
    map_page(m, 0x3C070000, FLASH, 0x120000);

    /* Line not cached: no fill, nothing written. */
    wr(m, 0, v, w, 4);
    expect_total(m, 1);
    expect_rec(m, 0, MMSIM_HAZARD_WRITE_READ_ONLY, 0, v, pa, FLASH, -1, -1);
    ck_assert_ptr_null(cache_lookup(m->caches[dc][0], v, false));
    uint8_t b[4];
    ck_assert_int_eq(store_read(m->flash, pa, b, 4), 0);
    ck_assert_mem_eq(b, img, 4);
    rd(m, 0, v, b, 4);
    ck_assert_mem_eq(b, img, 4);
    expect_total(m, 1);

    /* Line cached: the store does not reach the line either. */
    wr(m, 0, v, w, 4);
    expect_total(m, 2);
    ck_assert_int_eq(m->hazards.recs[1].kind, MMSIM_HAZARD_WRITE_READ_ONLY);
    ck_assert_uint_eq(m->hazards.recs[1].vaddr, v);
    ck_assert_uint_eq(m->hazards.recs[1].paddr, pa);
    ck_assert_uint_eq(m->hazards.recs[1].target, FLASH);
    ck_assert(!m->caches[dc][0]->lines[line_of(m, dc, 0, v)].dirty);
    rd(m, 0, v, b, 4);
    ck_assert_mem_eq(b, img, 4);
    ck_assert_int_eq(store_read(m->flash, pa, b, 4), 0);
    ck_assert_mem_eq(b, img, 4);
    expect_total(m, 2);
    machine_free(m);
}
END_TEST

START_TEST(write_through_esp32_drom0_is_dropped)
{
    machine_t *m = build_normal("esp32");
    const uint32_t v = 0x3F400020, pa = 0x30020;
    const uint8_t img[4] = {0xD1, 0xD2, 0xD3, 0xD4}, w[4] = {0, 0, 0, 0};
    ck_assert_int_eq(store_write(m->flash, pa, img, 4), 0);
    map_page(m, 0x3F400000, FLASH, 0x30000);
    wr(m, 0, v, w, 4);
    expect_total(m, 1);
    expect_rec(m, 0, MMSIM_HAZARD_WRITE_READ_ONLY, 0, v, pa, FLASH, -1, -1);
    uint8_t b[4];
    ck_assert_int_eq(store_read(m->flash, pa, b, 4), 0);
    ck_assert_mem_eq(b, img, 4);
    rd(m, 0, v, b, 4);
    ck_assert_mem_eq(b, img, 4);
    expect_total(m, 1);
    machine_free(m);
}
END_TEST

/* ESP32-S2 DROM0 reaches PSRAM too but has no write access: the window drops the
 * store even though the memory behind it is writable. */
START_TEST(write_through_esp32s2_drom0_to_psram_is_dropped)
{
    machine_t *m = build_normal("esp32s2");
    const uint32_t v = 0x3F000040, pa = 0x10040;
    const uint8_t img[4] = {0x21, 0x22, 0x23, 0x24};
    ck_assert_int_eq(store_write(m->psram, pa, img, 4), 0);
    map_page(m, 0x3F000000, PSRAM, 0x10000);
    wr(m, 0, v, NEW4, 4);
    expect_total(m, 1);
    expect_rec(m, 0, MMSIM_HAZARD_WRITE_READ_ONLY, 0, v, pa, PSRAM, -1, -1);
    uint8_t b[4];
    ck_assert_int_eq(store_read(m->psram, pa, b, 4), 0);
    ck_assert_mem_eq(b, img, 4);
    rd(m, 0, v, b, 4);
    ck_assert_mem_eq(b, img, 4);
    expect_total(m, 1);
    machine_free(m);
}
END_TEST

/* ---- capability --------------------------------------------------------------- */

START_TEST(byte_access_to_esp32s2_dport_window)
{
    machine_t *m = build_normal("esp32s2");
    mmu_decode_t d;
    ck_assert(mmu_decode(&m->chip, 0x3F500000, &d));
    ck_assert_uint_eq(d.entry, 336);
    const uint32_t pa = 0x10000;
    const uint8_t img[4] = {0x11, 0x22, 0x33, 0x44};
    ck_assert_int_eq(store_write(m->psram, pa, img, 4), 0);
    map_page(m, 0x3F500000, PSRAM, pa);

    uint8_t b[4];
    rd(m, 0, 0x3F500001, b, 1);
    ck_assert_uint_eq(b[0], 0xBE); /* 0xdeadbeef, byte 1 */
    expect_total(m, 1);
    expect_rec(m, 0, MMSIM_HAZARD_CAPABILITY, 0, 0x3F500001, pa + 1, PSRAM, -1, -1);

    rd(m, 0, 0x3F500002, b, 2); /* halfword: also not allowed */
    ck_assert_uint_eq(b[0], 0xAD);
    ck_assert_uint_eq(b[1], 0xDE);
    expect_total(m, 2);
    ck_assert_int_eq(m->hazards.recs[1].kind, MMSIM_HAZARD_CAPABILITY);

    rd(m, 0, 0x3F500000, b, 4);
    ck_assert_mem_eq(b, img, 4);
    expect_total(m, 2);
    machine_free(m);
}
END_TEST

START_TEST(fetch_through_s3_dbus_has_no_exec)
{
    machine_t *m = build_normal("esp32s3");
    const uint32_t pa = 0x140000;
    const uint8_t code[4] = {0x36, 0x41, 0x00, 0x1D};
    ck_assert_int_eq(store_write(m->flash, pa, code, 4), 0);
    map_page(m, 0x3C140000, FLASH, pa); /* entry 20 serves DBUS0 and IBUS0 alike */
    uint8_t b[4], want[4] = {0xEF, 0xBE, 0xAD, 0xDE};
    bus_cpu_access(m, 0, BUS_FETCH, 0x3C140000, b, 4);
    ck_assert_mem_eq(b, want, 4);
    expect_total(m, 1);
    expect_rec(m, 0, MMSIM_HAZARD_CAPABILITY, 0, 0x3C140000, pa, FLASH, -1, -1);

    bus_cpu_access(m, 0, BUS_FETCH, 0x42140000, b, 4);
    ck_assert_mem_eq(b, code, 4);
    rd(m, 0, 0x3C140000, b, 4);
    ck_assert_mem_eq(b, code, 4);
    expect_total(m, 1);
    machine_free(m);
}
END_TEST

/* ---- cache_disabled ----------------------------------------------------------- */

START_TEST(access_with_the_cache_disabled)
{
    machine_t *m = build_normal("esp32s3");
    int dc = cache_index(m, "dcache");
    const uint32_t v = 0x3C010000, pa = 0x110000;
    ck_assert_int_eq(store_write(m->flash, pa, NEW4, 4), 0);
    map_page(m, v, FLASH, pa);
    m->cache_off[dc][0] = true;
    uint8_t b[4], want[4];
    rd(m, 0, v, b, 4);
    pattern_bytes(want, v, 4, m->chip.fill_no_window);
    ck_assert_mem_eq(b, want, 4);
    expect_total(m, 1);
    expect_rec(m, 0, MMSIM_HAZARD_CACHE_DISABLED, 0, v, pa, FLASH, -1, -1);
    ck_assert_uint_eq(m->caches[dc][0]->stats.fills, 0);

    m->cache_off[dc][0] = false;
    rd(m, 0, v, b, 4);
    ck_assert_mem_eq(b, NEW4, 4);
    expect_total(m, 1);
    machine_free(m);
}
END_TEST

START_TEST(esp32_cpu1_cache_disabled)
{
    machine_t *m = build_normal("esp32");
    const uint32_t v = 0x3F800000;
    map_page(m, v, PSRAM, 0);
    m->cache_off[0][1] = true;
    uint8_t b[4], want[4] = {0xAD, 0x0B, 0xD0, 0xBA};
    rd(m, 0, v, b, 4); /* CPU 0's cache is on */
    ck_assert_uint_eq(b[0] | b[1] | b[2] | b[3], 0);
    expect_total(m, 0);
    rd(m, 1, v, b, 4);
    ck_assert_mem_eq(b, want, 4);
    expect_total(m, 1);
    expect_rec(m, 0, MMSIM_HAZARD_CACHE_DISABLED, 1, v, 0, PSRAM, -1, -1);
    machine_free(m);
}
END_TEST

/* ---- data-path details -------------------------------------------------------- */

START_TEST(hit_after_fill_costs_fewer_cycles)
{
    machine_t *m = build_normal("esp32s3");
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
    ck_assert_uint_eq(hit, m->chip.caches[dc].hit_cycles);
    ck_assert_uint_eq(fill, timing_transaction_cycles(&m->chip.psram, m->chip.cpu_mhz, 32) +
                                m->chip.caches[dc].hit_cycles);
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
    machine_free(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("hazard");
    TCase *t = tcase_create("stale_read");
    tcase_add_test(t, stale_read_after_spi1_program_s3);
    tcase_add_test(t, stale_read_after_spi1_program_c6);
    tcase_add_test(t, stale_read_after_spi1_erase);
    tcase_add_test(t, spi1_program_of_identical_bytes_is_not_stale);
    tcase_add_test(t, stale_read_after_dma_write_s3);
    tcase_add_test(t, stale_read_through_another_alias);
    tcase_add_test(t, stale_read_after_retarget_without_invalidate);
    suite_add_tcase(s, t);

    t = tcase_create("lost_write");
    tcase_add_test(t, lost_write_on_range_invalidate_of_a_dirty_line);
    tcase_add_test(t, lost_write_on_esp32_cache_flush);
    tcase_add_test(t, lost_write_on_unaligned_invalidate_of_a_neighbour);
    tcase_add_test(t, invalidate_after_writeback_is_not_a_lost_write);
    suite_add_tcase(s, t);

    t = tcase_create("dma_stale");
    tcase_add_test(t, dma_read_under_a_dirty_line_s3);
    tcase_add_test(t, dma_read_under_a_dirty_line_of_esp32_cpu1);
    suite_add_tcase(s, t);

    t = tcase_create("alias_conflict");
    tcase_add_test(t, alias_conflict_two_vaddrs_one_dirty);
    tcase_add_test(t, alias_conflict_across_esp32_cpu_caches);
    tcase_add_test(t, alias_write_back_undoes_the_other_alias);
    tcase_add_test(t, alias_conflict_reported_once_per_store);
    suite_add_tcase(s, t);

    t = tcase_create("unmapped_access");
    tcase_add_test(t, unmapped_access_outside_every_window);
    tcase_add_test(t, unmapped_access_invalid_entry_never_mapped);
    tcase_add_test(t, unmapped_bulk_read_raises_one_record);
    tcase_add_test(t, unmapped_access_with_the_bus_disabled);
    tcase_add_test(t, unmapped_store_is_dropped);
    tcase_add_test(t, unmapped_access_hits_a_line_left_in_the_cache);
    suite_add_tcase(s, t);

    t = tcase_create("use_after_unmap");
    tcase_add_test(t, use_after_unmap_hits_the_old_line);
    tcase_add_test(t, use_after_unmap_never_cached);
    suite_add_tcase(s, t);

    t = tcase_create("write_read_only");
    tcase_add_test(t, write_to_flash_through_s3_dbus_is_dropped);
    tcase_add_test(t, write_through_esp32_drom0_is_dropped);
    tcase_add_test(t, write_through_esp32s2_drom0_to_psram_is_dropped);
    suite_add_tcase(s, t);

    t = tcase_create("capability");
    tcase_add_test(t, byte_access_to_esp32s2_dport_window);
    tcase_add_test(t, fetch_through_s3_dbus_has_no_exec);
    suite_add_tcase(s, t);

    t = tcase_create("cache_disabled");
    tcase_add_test(t, access_with_the_cache_disabled);
    tcase_add_test(t, esp32_cpu1_cache_disabled);
    suite_add_tcase(s, t);

    t = tcase_create("data_path");
    tcase_add_test(t, hit_after_fill_costs_fewer_cycles);
    suite_add_tcase(s, t);
    return mmsim_check_run(s);
}
