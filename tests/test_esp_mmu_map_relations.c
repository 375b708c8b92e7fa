/* test_esp_mmu_map_relations.c - the map driver on simulated chips: the physical-range
 * relations (§1.5): enclosed, identical, overlapped and adjacent ranges,
 * ESP_MMU_MMAP_FLAG_PADDR_SHARED, the INVALID_STATE pointer, and which blocks (target,
 * region, order) the check looks at.
 *
 * The sections are those of esp-idf-behaviour.md; the loop tests run once per chip of
 * CHIPS. The chips, open_bare and the log and dump readers are in mmu_map_fixture.h. */
#include "mmu_map_fixture.h"

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

/* ---- suite ---------------------------------------------------------------------------- */

int main(void)
{
    Suite *s = suite_create("esp_mmu_map relations");
    TCase *t = tc(s, "1.5 relations");
    tcase_add_loop_test(t, paddr_relations_enclosed_identical_overlapped_adjacent, 0, NCHIPS);
    tcase_add_loop_test(t, invalid_state_pointer_unmaps_only_the_original_block_start, 0, NCHIPS);
    tcase_add_loop_test(t, paddr_relation_is_per_target, 0, 2);
    tcase_add_loop_test(t, paddr_relation_is_per_region, 0, 2);
    tcase_add_test(t, s3_code_and_data_of_one_paddr_share_the_region);
    tcase_add_test(t, enclosed_range_goes_to_the_next_region_when_its_region_is_full);
    tcase_add_test(t, first_related_block_by_address_decides);
    tcase_add_loop_test(t, app_flash_can_be_mapped_again, 0, NCHIPS);
    return mmu_map_run(s);
}
