/* test_esp_mmu_map_placement.c - the map driver on simulated chips: placement (§1.4): the
 * region a map lands in (table order, caps, target), first fit and max_slot after every
 * operation, dummy blocks, and esp_mmu_map_virt at a requested vaddr.
 *
 * The sections are those of esp-idf-behaviour.md; the loop tests run once per chip of
 * CHIPS. The chips, open_bare and the log and dump readers are in mmu_map_fixture.h. */
#include "mmu_map_fixture.h"

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

/* ---- suite ---------------------------------------------------------------------------- */

int main(void)
{
    Suite *s = suite_create("esp_mmu_map placement");
    TCase *t = tc(s, "1.4 placement");
    tcase_add_loop_test(t, first_map_lands_at_the_free_head_on_the_caps_bus, 0, NCHIPS);
    tcase_add_test(t, s2_takes_the_first_region_in_table_order);
    tcase_add_test(t, esp32_regions_follow_caps_and_target);
    tcase_add_test(t, p4_target_selects_the_region_and_caps_zero_matches_any);
    tcase_add_test(t, s3_caps_zero_and_target_zero_match_the_region);
    tcase_add_loop_test(t, first_fit_and_max_slot_after_every_operation, 0, NCHIPS);
    tcase_add_loop_test(t, dummy_blocks_never_show, 0, NCHIPS);
    tcase_add_loop_test(t, map_virt_places_the_block_at_the_requested_vaddr, 0, NCHIPS);
    tcase_add_loop_test(t, map_virt_refuses_taken_reserved_and_foreign_ranges, 0, NCHIPS);
    tcase_add_loop_test(t, map_virt_needs_the_bus_address_of_the_caps, 0, NCHIPS);
    tcase_add_test(t, map_virt_on_p4_needs_the_window_of_the_target);
    tcase_add_test(t, s2_map_virt_uses_the_compatible_region_holding_the_range);
    tcase_add_test(t, map_virt_checks_the_paddr_before_the_vaddr);
    return mmu_map_run(s);
}
