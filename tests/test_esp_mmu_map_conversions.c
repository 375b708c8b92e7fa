/* test_esp_mmu_map_conversions.c - the map driver on simulated chips: the address
 * conversions (§1.9: vaddr_to_paddr, paddr_to_vaddr, the bus aliases),
 * esp_mmu_paddr_find_caps (§1.10) and esp_mmu_map_get_max_consecutive_free_block_size
 * (§1.11).
 *
 * The sections are those of esp-idf-behaviour.md; the loop tests run once per chip of
 * CHIPS. The chips, open_bare and the log and dump readers are in mmu_map_fixture.h. */
#include "mmu_map_fixture.h"

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
    /* Boot mappings: the app's rodata from flash 0x10000 (128 KB), its code right after. */
    assert_paddr(V(c->irom_vaddr + 0x1234), 0x10000 + KB(128) + 0x1234, FLASH);
    assert_paddr(V(c->drom_vaddr + 0x10), 0x10000 + 0x10, FLASH);
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
    assert_hex(p2v(0x10000 + KB(128) + 0x40, FLASH, MMU_VADDR_INSTRUCTION), c->irom_vaddr + 0x40);
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
    /* The app's first code page (flash 0x30000, after its 128 KB of rodata) is mapped by
     * the boot at entry 0 and again by the driver. */
    void *again = map_ok(0x30000, PG, FLASH, R, 0);
    ck_assert_uint_ne(U(again), 0x3C000000);
    assert_hex(p2v(0x30000, FLASH, MMU_VADDR_DATA), 0x3C000000);
    assert_hex(p2v(0x30000, FLASH, MMU_VADDR_INSTRUCTION), 0x42000000);
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
    if (c->alias != ALIAS_SPLIT && !c->psram)
        assert_hex(max_slot(W, FLASH), 0); /* flash-only chips: no WRITE */
    else if (c->alias != ALIAS_SPLIT)
        assert_hex(max_slot(W, FLASH), c->read_max); /* one region for flash and PSRAM, or P4's flash one */
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

/* ---- suite ---------------------------------------------------------------------------- */

int main(void)
{
    Suite *s = suite_create("esp_mmu_map conversions");
    TCase *t = tc(s, "1.9 conversions");
    tcase_add_loop_test(t, vaddr_to_paddr_errors_and_results, 0, NCHIPS);
    tcase_add_loop_test(t, paddr_to_vaddr_errors_and_results, 0, NCHIPS);
    tcase_add_test(t, esp32_psram_vaddr_conversion_trips_the_hal);
    tcase_add_loop_test(t, conversions_follow_the_bus_aliases, 0, NCHIPS);
    tcase_add_test(t, paddr_to_vaddr_takes_the_first_matching_entry);
    tcase_add_loop_test(t, esp32_s2_paddr_to_vaddr_uses_the_first_entry_only, 0, 2);
    t = tc(s, "1.10 find caps");
    tcase_add_loop_test(t, find_caps_at_any_offset_of_a_block, 0, NCHIPS);
    tcase_add_test(t, find_caps_reports_the_last_region_with_a_match);
    tcase_add_test(t, find_caps_takes_the_first_block_by_address_of_any_target);
    t = tc(s, "1.11 free size");
    tcase_add_loop_test(t, get_max_errors_and_region_filter, 0, NCHIPS);
    tcase_add_loop_test(t, get_max_size_can_be_mapped_and_no_more, 0, NCHIPS);
    return mmu_map_run(s);
}
