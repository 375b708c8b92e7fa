/* test_esp_mmu_map_startup.c - the map driver on simulated chips: the public constants
 * (§1.1), and start-up (§1.3): the app's reservation from each region start, rounding to
 * the configured page size, coalescing of adjacent regions and the PSRAM heap's region, all
 * seen through the dump.
 *
 * The sections are those of esp-idf-behaviour.md; the loop tests run once per chip of
 * CHIPS. The chips, open_bare and the log and dump readers are in mmu_map_fixture.h. */
#include "mmu_map_fixture.h"

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

/* ---- suite ---------------------------------------------------------------------------- */

int main(void)
{
    Suite *s = suite_create("esp_mmu_map startup");
    TCase *t = tc(s, "1.1 constants");
    tcase_add_test(t, public_constants_have_the_idf_values);
    tcase_add_test(t, only_flag_bit_0_counts);
    t = tc(s, "1.3 start-up");
    tcase_add_loop_test(t, boot_reserves_the_app_from_each_region_start, 0, NCHIPS);
    tcase_add_test(t, boot_reservation_rounds_to_the_configured_page_size);
    tcase_add_test(t, esp32_app_as_large_as_iram0_consumes_the_region);
    tcase_add_test(t, s2_coalesces_dram1_and_dram0);
    tcase_add_test(t, psram_heap_takes_its_region_at_boot);
    tcase_add_test(t, boot_reservation_shortens_every_region_on_the_bus);
    tcase_add_test(t, reserve_block_advances_the_free_head);
    return mmu_map_run(s);
}
