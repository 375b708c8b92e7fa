/* test_bus.c - the access paths: CPU loads, stores and fetches through window, MMU
 * and caches (write-back and read-only, two levels on P4, per-CPU on ESP32), SPI1
 * and DMA bypassing the caches, cache maintenance, and the cycles they cost. */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "hal/cache_hal.h"
#include "hal_ctx.h"
#include "sim_fixture.h"
#include "timing.h"

/* The machine of the running test, freed by the teardown. */
static machine_t *m;

static void teardown(void)
{
    machine_free(m);
    m = NULL;
}

START_TEST(s3_reads_flash_through_data_and_instruction_windows)
{
    m = build("esp32s3", NULL, 0);
    uint8_t img[64];
    for (int i = 0; i < 64; i++)
        img[i] = (uint8_t)(i * 3 + 1);
    ck_assert_int_eq(store_write(m->flash, 0x130000 + 0x1230, img, sizeof img), 0);
    map_page(m, 0x3C020000, CHIPDEF_TARGET_FLASH, 0x130000);
    map_page(m, 0x42020000, CHIPDEF_TARGET_FLASH, 0x130000);
    uint8_t d[64], i[64];
    /* 64 bytes from an odd address: three pieces over three 32-byte lines. */
    bus_cpu_access(m, 0, BUS_READ, 0x3C021230, d, 64);
    bus_cpu_access(m, 1, BUS_FETCH, 0x42021230, i, 64);
    ck_assert_mem_eq(d, img, 64);
    ck_assert_mem_eq(i, img, 64);
    ck_assert_uint_eq(m->hazards.total, 0);
    cache_t *dc = m->caches[cache_index(m, "dcache")][0], *ic = m->caches[cache_index(m, "icache")][0];
    ck_assert_uint_eq(dc->stats.fills, 3);
    ck_assert_uint_eq(ic->stats.fills, 3);
}
END_TEST

START_TEST(access_crossing_a_page_uses_both_entries)
{
    m = build("esp32s3", NULL, 0);
    uint32_t a = 0x11223344, b = 0x55667788;
    store_write(m->psram, 0x10000 - 4, &a, 4);
    store_write(m->psram, 0x50000, &b, 4);
    map_page(m, 0x3C000000, CHIPDEF_TARGET_PSRAM, 0x00000);
    map_page(m, 0x3C010000, CHIPDEF_TARGET_PSRAM, 0x50000);
    uint8_t got[8];
    bus_cpu_access(m, 0, BUS_READ, 0x3C010000 - 4, got, 8);
    ck_assert_mem_eq(got, &a, 4);
    ck_assert_mem_eq(got + 4, &b, 4);
}
END_TEST

START_TEST(write_back_cache_keeps_stores_until_written_back)
{
    m = build("esp32s3", NULL, 0);
    map_page(m, 0x3C100000, CHIPDEF_TARGET_PSRAM, 0x200000);
    wr32(m, 0, 0x3C100040, 0xCAFEF00D);
    ck_assert_uint_eq(rd32(m, 1, 0x3C100040), 0xCAFEF00D); /* shared DCache: core 1 sees it */
    ck_assert_uint_eq(store32(m->psram, 0x200040), 0);     /* memory does not, yet */
    ck_assert_uint_eq(bus_cache_writeback_range(m, 1, 0x3C100040, 4), 1);
    ck_assert_uint_eq(store32(m->psram, 0x200040), 0xCAFEF00D);
    ck_assert_uint_eq(m->hazards.total, 0);
}
END_TEST

START_TEST(lru_eviction_writes_back_the_oldest_dirty_line)
{
    m = build("esp32s3", NULL, 0);
    cache_t *dc = m->caches[cache_index(m, "dcache")][0];
    uint32_t way_stride = dc->sets * dc->def.line_size; /* same set, next tag */
    /* Map enough pages that ways+1 lines of one set are reachable. */
    for (uint32_t p = 0; p < 8; p++)
        map_page(m, 0x3C000000 + p * 0x10000, CHIPDEF_TARGET_PSRAM, p * 0x10000);
    for (uint32_t w = 0; w < dc->def.ways; w++)
        wr32(m, 0, 0x3C000000 + w * way_stride, 0xA0 + w);
    ck_assert_uint_eq(dc->stats.evictions, 0);
    rd32(m, 0, 0x3C000000 + 1 * way_stride); /* touch way 1: way 0 stays the oldest */
    rd32(m, 0, 0x3C000000 + dc->def.ways * way_stride);
    ck_assert_uint_eq(dc->stats.evictions, 1);
    ck_assert_uint_eq(dc->stats.writebacks, 1);
    ck_assert_uint_eq(store32(m->psram, 0), 0xA0);          /* way 0 went to memory */
    ck_assert_uint_eq(store32(m->psram, way_stride), 0);    /* way 1 is still only cached */
    ck_assert_uint_eq(rd32(m, 0, 0x3C000000 + way_stride), 0xA1);
}
END_TEST

START_TEST(flash_lines_are_read_only)
{
    m = build("esp32c3", NULL, 0);
    map_page(m, 0x3C000000, CHIPDEF_TARGET_FLASH, 0x10000);
    ck_assert_uint_eq(rd32(m, 0, 0x3C000000), 0xFFFFFFFF);
    wr32(m, 0, 0x3C000000, 0);
    ck_assert_uint_eq(rd32(m, 0, 0x3C000000), 0xFFFFFFFF);
    ck_assert_uint_eq(store32(m->flash, 0x10000), 0xFFFFFFFF);
    ck_assert_uint_eq(m->hazards.per_kind[MMSIM_HAZARD_WRITE_READ_ONLY], 1);
}
END_TEST

START_TEST(p4_fills_l1_from_l2_and_l1_victims_go_to_l2)
{
    m = build("esp32p4", NULL, 0);
    int l1d = cache_index(m, "l1d"), l2 = cache_index(m, "l2");
    cache_t *c1 = m->caches[l1d][0], *c2 = m->caches[l2][0];
    for (uint32_t p = 0; p < 4; p++)
        map_page(m, 0x48000000 + p * 0x10000, CHIPDEF_TARGET_PSRAM, 0x100000 + p * 0x10000);
    wr32(m, 0, 0x48000000, 0x12345678);
    ck_assert_uint_eq(c1->stats.fills, 1);
    ck_assert_uint_eq(c2->stats.fills, 1);
    /* Evict the L1 line: ways+1 lines of its set. L2 has more sets, so it keeps it. */
    uint32_t stride = c1->sets * c1->def.line_size;
    for (uint32_t w = 1; w <= c1->def.ways; w++)
        rd32(m, 0, 0x48000000 + w * stride);
    ck_assert_uint_eq(c1->stats.writebacks, 1);
    ck_assert_uint_eq(store32(m->psram, 0x100000), 0); /* went to L2, not memory */
    cache_line_t *l = cache_lookup(c2, 0x48000000, false);
    ck_assert_ptr_nonnull(l);
    ck_assert(l->dirty);
    /* A miss in L1 that hits L2 costs no SPI transfer. */
    uint64_t before = m->cycles[0];
    ck_assert_uint_eq(rd32(m, 0, 0x48000000), 0x12345678);
    ck_assert_uint_eq(m->cycles[0] - before, m->chip.caches[l2].hit_cycles + m->chip.caches[l1d].hit_cycles);
    /* Write-back at level 2 reaches memory. */
    bus_cache_writeback_range(m, 2, 0x48000000, 64);
    ck_assert_uint_eq(store32(m->psram, 0x100000), 0x12345678);
    ck_assert_uint_eq(m->hazards.total, 0);
}
END_TEST

START_TEST(p4_invalidate_at_level_2_drops_l1_and_l2)
{
    m = build("esp32p4", NULL, 0);
    map_page(m, 0x40000000, CHIPDEF_TARGET_FLASH, 0);
    rd32(m, 0, 0x40000000);
    uint32_t buf;
    bus_cpu_access(m, 0, BUS_FETCH, 0x40000040, (uint8_t *)&buf, 4);
    ck_assert_uint_eq(bus_cache_invalidate_range(m, 2, 0x40000000, 128), 4); /* L1 D, L1 I, 2 x L2 */
    for (uint32_t i = 0; i < m->chip.cache_count; i++)
        ck_assert_ptr_null(cache_lookup(m->caches[i][0], 0x40000000, false));
}
END_TEST

START_TEST(esp32_cpus_have_their_own_tables_and_caches)
{
    m = build("esp32", NULL, 0);
    /* DROM0 page 0 in CPU 0's table only. */
    uint32_t v = 0x5A5A1234;
    store_write(m->flash, 0x20000, &v, 4);
    map_page_in(m, 0, 0x3F400000, CHIPDEF_TARGET_FLASH, 0x20000);
    ck_assert_uint_eq(rd32(m, 0, 0x3F400000), v);
    ck_assert_uint_eq(rd32(m, 1, 0x3F400000), m->chip.fill_invalid_entry);
    ck_assert_uint_eq(m->caches[0][0]->stats.fills, 1);
    ck_assert_uint_eq(m->caches[0][1]->stats.fills, 0);
}
END_TEST

START_TEST(esp32_low_high_mode_splits_the_psram_window_between_caches)
{
    const char *sets[] = {"psram_mode=lowhigh"};
    m = build("esp32", sets, 1);
    map_page(m, 0x3F800000, CHIPDEF_TARGET_PSRAM, 0);
    map_page(m, 0x3FA00000, CHIPDEF_TARGET_PSRAM, 0x8000);
    rd32(m, 0, 0x3FA00000); /* CPU 0 reading the high half goes through CPU 1's cache */
    rd32(m, 1, 0x3F800000);
    ck_assert_uint_eq(m->caches[0][0]->stats.fills, 1);
    ck_assert_uint_eq(m->caches[0][1]->stats.fills, 1);
    ck_assert_ptr_nonnull(cache_lookup(m->caches[0][1], 0x3FA00000, false));
    ck_assert_ptr_nonnull(cache_lookup(m->caches[0][0], 0x3F800000, false));
}
END_TEST

START_TEST(spi1_and_dma_bypass_the_caches)
{
    m = build("esp32s3", NULL, 0);
    map_page(m, 0x3C000000, CHIPDEF_TARGET_PSRAM, 0);
    wr32(m, 0, 0x3C000000, 0x01020304);
    uint8_t z[4] = {9, 9, 9, 9}, got[4];
    ck_assert_int_eq(bus_dma_read(m, CHIPDEF_TARGET_PSRAM, 0, got, 4), 0);
    ck_assert_uint_eq(got[0], 0); /* memory still has the old bytes */
    ck_assert_int_eq(bus_dma_write(m, CHIPDEF_TARGET_PSRAM, 0x40, z, 4), 0);
    ck_assert_uint_eq(rd32(m, 0, 0x3C000000), 0x01020304); /* the cached line is untouched */
    ck_assert_int_eq(bus_spi1_program(m, 0x1000, (const uint8_t *)"\x0F\xF0", 2), 0);
    ck_assert_int_eq(bus_spi1_program(m, 0x1000, (const uint8_t *)"\x3C\x3C", 2), 0);
    ck_assert_int_eq(bus_spi1_read(m, 0x1000, got, 2), 0);
    ck_assert_uint_eq(got[0], 0x0C); /* NOR: old AND new */
    ck_assert_uint_eq(got[1], 0x30);
    ck_assert_int_eq(bus_spi1_erase(m, 0x1000, 4096), 0);
    ck_assert_int_eq(bus_spi1_read(m, 0x1000, got, 2), 0);
    ck_assert_uint_eq(got[0], 0xFF);
    ck_assert_int_eq(bus_spi1_erase(m, 0x1800, 4096), -1);
    ck_assert_int_eq(bus_dma_read(m, CHIPDEF_TARGET_PSRAM, store_size(m->psram) - 2, got, 4), -1);
}
END_TEST

START_TEST(line_fill_costs_the_spi_formula_and_a_hit_one_cycle)
{
    static const char *const oct80[] = {"spiram_mode=oct", "spiram_speed=80"};
    m = build("esp32s3", oct80, 2);
    map_page(m, 0x3C000000, CHIPDEF_TARGET_PSRAM, 0);
    const chipdef_cache_t *dc = &m->chip.caches[cache_index(m, "dcache")];
    uint64_t access = dc->hit_cycles + m->chip.cpu_access_cycles; /* one 4-byte load */
    uint64_t fill = timing_transaction_cycles(&m->chip.psram, m->chip.cpu_mhz, dc->line_size);
    /* Critical word first: the load waits for the fixed phases and its own 4 bytes. */
    uint64_t first = timing_transaction_cycles(&m->chip.psram, m->chip.cpu_mhz, 4);
    rd32(m, 1, 0x3C000000);
    ck_assert_uint_eq(m->cycles[1], first + access);
    rd32(m, 1, 0x3C000004);
    ck_assert_uint_eq(m->cycles[1], first + 2 * access);
    ck_assert_uint_eq(m->cycles[0], 0); /* per-core counters */
    /* The S3 fit: about 330 ns + 6.8 ns/byte per fill; a 32-byte line about 550 ns. */
    uint64_t ns = timing_cycles_to_ns(fill, m->chip.cpu_mhz);
    ck_assert_uint_ge(ns, 500);
    ck_assert_uint_le(ns, 600);
}
END_TEST

START_TEST(esp32_cache_flush_drops_lines_without_write_back)
{
    m = build("esp32", NULL, 0);
    map_page(m, 0x3F800000, CHIPDEF_TARGET_PSRAM, 0);
    wr32(m, 0, 0x3F800000, 0xDEAD0001);
    ck_assert_uint_eq(bus_cache_invalidate_all(m, 0, 0), 1);
    ck_assert_uint_eq(rd32(m, 0, 0x3F800000), 0); /* the store never saw the write */
    ck_assert_uint_eq(m->hazards.per_kind[MMSIM_HAZARD_LOST_WRITE], 1);
    /* Write-back of everything first keeps it. */
    wr32(m, 0, 0x3F800000, 0xDEAD0002);
    bus_cache_writeback_all(m, 0, 0);
    bus_cache_invalidate_all(m, 0, 0);
    ck_assert_uint_eq(rd32(m, 0, 0x3F800000), 0xDEAD0002);
    ck_assert_uint_eq(m->hazards.per_kind[MMSIM_HAZARD_LOST_WRITE], 1);
}
END_TEST

START_TEST(disabled_bus_faults_until_enabled)
{
    m = build("esp32s3", NULL, 0);
    map_page(m, 0x3C000000, CHIPDEF_TARGET_PSRAM, 0);
    m->bus_enabled[0] &= ~CHIPDEF_BUS_DBUS0;
    ck_assert_uint_eq(rd32(m, 0, 0x3C000000), m->chip.fill_no_window);
    ck_assert_uint_eq(m->hazards.per_kind[MMSIM_HAZARD_UNMAPPED_ACCESS], 1);
    ck_assert_uint_eq(rd32(m, 1, 0x3C000000), 0);
}
END_TEST

START_TEST(holder_filters_count_exactly_the_valid_lines)
{
    machine_t *m = build("esp32", NULL, 0);
    for (uint32_t p = 0; p < 8; p++)
        map_page(m, 0x3F800000 + p * 0x8000, CHIPDEF_TARGET_PSRAM, (p % 4) * 0x8000); /* aliases */
    for (uint32_t i = 0; i < 20000; i++) {
        uint32_t v = 0x3F800000 + (i * 2654435761u) % 0x40000;
        if (i % 3)
            rd32(m, i & 1, v & ~3u);
        else
            wr32(m, i & 1, v & ~3u, i);
    }
    uint64_t valid = 0, counted = 0, dirty = 0, counted_dirty = 0;
    for (uint32_t k = 0; k < 2; k++)
        for (uint32_t j = 0; j < cache_line_count(m->caches[0][k]); j++) {
            valid += m->caches[0][k]->lines[j].valid;
            dirty += m->caches[0][k]->lines[j].valid && m->caches[0][k]->lines[j].dirty;
        }
    for (uint32_t s = 0; s <= m->holders_mask[1]; s++) {
        counted += m->holders[1][s];
        counted_dirty += m->dirty_holders[1][s];
    }
    ck_assert_uint_gt(dirty, 0);
    ck_assert_uint_gt(valid, dirty);
    ck_assert_uint_eq(counted, valid);
    ck_assert_uint_eq(counted_dirty, dirty);
    bus_cache_writeback_all(m, 0, 0); /* cleans core 0's lines */
    counted_dirty = 0;
    for (uint32_t s = 0; s <= m->holders_mask[1]; s++)
        counted_dirty += m->dirty_holders[1][s];
    dirty = 0;
    for (uint32_t j = 0; j < cache_line_count(m->caches[0][1]); j++)
        dirty += m->caches[0][1]->lines[j].valid && m->caches[0][1]->lines[j].dirty;
    ck_assert_uint_eq(counted_dirty, dirty);
    bus_cache_invalidate_all(m, 0, 0);
    bus_cache_invalidate_all(m, 1, 0);
    for (uint32_t s = 0; s <= m->holders_mask[1]; s++) {
        ck_assert_uint_eq(m->holders[1][s], 0);
        ck_assert_uint_eq(m->dirty_holders[1][s], 0);
    }
    machine_free(m);
}
END_TEST

/* ---- out of host memory: a store that cannot take a write-back ---------------------- */

/* What the machine passed to its failure sink last (machine_t.on_failure). */
static char oom_reported[MACHINE_FAILURE_MAX];
static void oom_sink(const char *msg) { snprintf(oom_reported, sizeof oom_reported, "%s", msg); }

static machine_t *oom_machine(const char *chip)
{
    machine_t *m = build(chip, NULL, 0);
    oom_reported[0] = '\0';
    m->on_failure = oom_sink;
    return m;
}

START_TEST(a_write_back_the_store_cannot_take_fails_and_leaves_the_line_dirty)
{
    machine_t *m = oom_machine("esp32s3");
    map_page(m, 0x3C100000, CHIPDEF_TARGET_PSRAM, 0x200000);
    wr32(m, 0, 0x3C100040, 0xCAFEF00D); /* the PSRAM chunk beneath is not allocated yet */
    store_limit_allocs(m->psram, 0);
    ck_assert_uint_eq(bus_cache_writeback_range(m, 1, 0x3C100040, 4), 0);
    ck_assert_uint_eq(m->failures, 1);
    ck_assert_str_eq(m->failure, "out of host memory writing back dcache line 0x3c100040 to psram 0x00200040 "
                                 "(it stays dirty)");
    ck_assert_str_eq(oom_reported, m->failure);
    cache_t *dc = m->caches[cache_index(m, "dcache")][0];
    cache_line_t *l = cache_lookup(dc, 0x3C100040, false);
    ck_assert(l && l->dirty);
    ck_assert_uint_eq(dc->stats.writebacks, 0);
    ck_assert_uint_eq(store32(m->psram, 0x200040), 0);
    store_limit_allocs(m->psram, UINT32_MAX); /* memory again: the write-back goes through */
    ck_assert_uint_eq(bus_cache_writeback_range(m, 1, 0x3C100040, 4), 1);
    ck_assert_uint_eq(store32(m->psram, 0x200040), 0xCAFEF00D);
    ck_assert_uint_eq(m->failures, 1);
    machine_free(m);
}
END_TEST

/* A load whose victim is a dirty line that cannot be written back: the access fails,
 * nothing is filled, the victim keeps its bytes. */
START_TEST(an_access_whose_dirty_victim_cannot_be_written_back_fails)
{
    machine_t *m = oom_machine("esp32s3");
    cache_t *dc = m->caches[cache_index(m, "dcache")][0];
    uint32_t way_stride = dc->sets * dc->def.line_size;
    for (uint32_t p = 0; p < 8; p++)
        map_page(m, 0x3C000000 + p * 0x10000, CHIPDEF_TARGET_PSRAM, p * 0x10000);
    wr32(m, 0, 0x3C000000, 0xA0); /* the oldest line of its set, dirty */
    for (uint32_t w = 1; w < dc->def.ways; w++)
        rd32(m, 0, 0x3C000000 + w * way_stride);
    store_limit_allocs(m->psram, 0);
    uint32_t v = 0x12345678, fills = dc->stats.fills;
    ck_assert_int_eq(bus_cpu_access(m, 0, BUS_READ, 0x3C000000 + dc->def.ways * way_stride, (uint8_t *)&v, 4), -1);
    ck_assert_uint_eq(v, 0x12345678);
    ck_assert_uint_eq(dc->stats.fills, fills);
    ck_assert_str_eq(m->failure, "cpu read: out of host memory writing back dcache line 0x3c000000 to psram "
                                 "0x00000000 (it stays dirty)");
    ck_assert_str_eq(oom_reported, m->failure);
    cache_line_t *l = cache_lookup(dc, 0x3C000000, false); /* still cached, still dirty */
    ck_assert(l && l->dirty && !memcmp(cache_line_data(dc, l), &(uint32_t){0xA0}, 4));
    store_limit_allocs(m->psram, UINT32_MAX);
    ck_assert_int_eq(bus_cpu_access(m, 0, BUS_READ, 0x3C000000 + dc->def.ways * way_stride, (uint8_t *)&v, 4), 0);
    ck_assert_uint_eq(store32(m->psram, 0), 0xA0);
    ck_assert_uint_eq(m->failures, 1);
    ck_assert_uint_eq(m->hazards.total, 0);
    machine_free(m);
}
END_TEST

/* The HAL's per-address write-back answers false, and names itself in the message. */
START_TEST(a_hal_write_back_that_runs_out_of_memory_answers_false)
{
    machine_t *m = oom_machine("esp32s3");
    map_page(m, 0x3C100000, CHIPDEF_TARGET_PSRAM, 0x200000);
    wr32(m, 0, 0x3C100040, 0xCAFEF00D);
    store_limit_allocs(m->psram, 0);
    hal_bind(m);
    ck_assert(!cache_hal_writeback_addr(0x3C100040, 4));
    ck_assert_str_eq(oom_reported, "cache_hal_writeback_addr: out of host memory writing back dcache line "
                                   "0x3c100040 to psram 0x00200040 (it stays dirty)");
    store_limit_allocs(m->psram, UINT32_MAX);
    ck_assert(cache_hal_writeback_addr(0x3C100040, 4));
    hal_bind(NULL);
    ck_assert_uint_eq(store32(m->psram, 0x200040), 0xCAFEF00D);
    machine_free(m);
}
END_TEST

/* DMA and SPI1 writes to a store that cannot take them fail, named by their cause. */
START_TEST(dma_and_spi1_writes_that_run_out_of_memory_fail_with_their_cause)
{
    machine_t *m = oom_machine("esp32s3");
    uint8_t b[4] = {1, 2, 3, 4};
    store_limit_allocs(m->psram, 0);
    store_limit_allocs(m->flash, 0);
    ck_assert_int_eq(bus_dma_write(m, CHIPDEF_TARGET_PSRAM, 0x1000, b, 4), -1);
    ck_assert_str_eq(m->failure, "dma write: out of host memory writing psram 0x00001000+4");
    ck_assert_int_eq(bus_spi1_program(m, 0x1000, b, 4), -1);
    ck_assert_str_eq(m->failure, "spi1 write: out of host memory programming flash 0x00001000+4");
    ck_assert_int_eq(bus_spi1_erase(m, 0x1000, 0x1000), 0); /* flash erase frees, needs nothing */
    ck_assert_int_eq(bus_spi1_erase(m, 0x1000, 0x800), -1); /* not a sector: no failure of the model */
    ck_assert_uint_eq(m->failures, 2);
    ck_assert_ptr_null(m->hazards.cause);
    machine_free(m);
}
END_TEST

static Suite *bus_suite(void)
{
    Suite *s = suite_create("bus");
    TCase *t = tcase_create("paths");
    tcase_add_checked_fixture(t, NULL, teardown);
    tcase_add_test(t, s3_reads_flash_through_data_and_instruction_windows);
    tcase_add_test(t, access_crossing_a_page_uses_both_entries);
    tcase_add_test(t, write_back_cache_keeps_stores_until_written_back);
    tcase_add_test(t, lru_eviction_writes_back_the_oldest_dirty_line);
    tcase_add_test(t, flash_lines_are_read_only);
    tcase_add_test(t, p4_fills_l1_from_l2_and_l1_victims_go_to_l2);
    tcase_add_test(t, p4_invalidate_at_level_2_drops_l1_and_l2);
    tcase_add_test(t, esp32_cpus_have_their_own_tables_and_caches);
    tcase_add_test(t, esp32_low_high_mode_splits_the_psram_window_between_caches);
    tcase_add_test(t, spi1_and_dma_bypass_the_caches);
    tcase_add_test(t, line_fill_costs_the_spi_formula_and_a_hit_one_cycle);
    tcase_add_test(t, esp32_cache_flush_drops_lines_without_write_back);
    tcase_add_test(t, disabled_bus_faults_until_enabled);
    tcase_add_test(t, holder_filters_count_exactly_the_valid_lines);
    suite_add_tcase(s, t);
    TCase *oom = tcase_create("out of memory");
    tcase_add_test(oom, a_write_back_the_store_cannot_take_fails_and_leaves_the_line_dirty);
    tcase_add_test(oom, an_access_whose_dirty_victim_cannot_be_written_back_fails);
    tcase_add_test(oom, a_hal_write_back_that_runs_out_of_memory_answers_false);
    tcase_add_test(oom, dma_and_spi1_writes_that_run_out_of_memory_fail_with_their_cause);
    suite_add_tcase(s, oom);
    return s;
}

int main(void) { return mmsim_check_run(bus_suite()); }
