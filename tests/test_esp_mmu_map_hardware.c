/* test_esp_mmu_map_hardware.c - the map driver on simulated chips: what a map does to the
 * hardware (§1.6): the MMU table of every CPU, the cache buses it enables, stale lines
 * dropped on map but not on unmap, no write-back on unmap.
 *
 * The sections are those of esp-idf-behaviour.md; the loop tests run once per chip of
 * CHIPS. The chips, open_bare and the log and dump readers are in mmu_map_fixture.h. */
#include "mmu_map_fixture.h"

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

/* ---- suite ---------------------------------------------------------------------------- */

int main(void)
{
    Suite *s = suite_create("esp_mmu_map hardware");
    TCase *t = tc(s, "1.6 hardware");
    tcase_add_loop_test(t, map_programs_the_mmu_of_every_cpu_and_unmap_clears_it, 0, NCHIPS);
    tcase_add_loop_test(t, map_enables_the_cache_bus_on_every_core, 0, NCHIPS);
    tcase_add_loop_test(t, remap_drops_stale_lines_and_unmap_leaves_the_cache, 0, NCHIPS);
    tcase_add_loop_test(t, unmap_does_not_write_back_dirty_lines, 0, 3);
    return mmu_map_run(s);
}
