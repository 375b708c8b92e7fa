/* test_esp_mmu_map_errors.c - the map driver on simulated chips: the errors of esp_mmu_map
 * / esp_mmu_map_virt in check order with their log lines (§1.7), the invariant check
 * catching MMU writes behind the driver's back, esp_mmu_unmap (§1.8), and what differs by
 * ESP-IDF version: the INVALID_STATE pointer, its log level, the function named in the
 * error lines (§1.16).
 *
 * The sections are those of esp-idf-behaviour.md; the loop tests run once per chip of
 * CHIPS. The chips, open_bare and the log and dump readers are in mmu_map_fixture.h. */
#include "esp_private/esp_mm_inspect.h"
#include "mmu_map_fixture.h"

/* ======================================================================================
 * §1.7 errors of esp_mmu_map / esp_mmu_map_virt, in check order, with their log lines
 * ====================================================================================== */

START_TEST(map_errors_come_in_check_order_with_their_messages)
{
    const chip_t *c = &CHIPS[_i];
    mmsim_t *m = open_bare(c);
    char *before = dump_text();
    void *out = V(0x1234);
    log_begin(ESP_LOG_VERBOSE);
    /* The NULL check of esp_mmu_map comes before everything else. */
    assert_err(esp_mmu_map(0x1001, 1, PSRAM, X | W, 0, NULL), ESP_ERR_INVALID_ARG);
    assert_log("E mmap: esp_mmu_map(): null pointer\n");
    /* #1 PSRAM target (any set PSRAM bit) on chips whose driver cannot map it. */
    if (!c->psram) {
        assert_err(esp_mmu_map_virt(0x1001, 0x1001, 1, PSRAM, X | W, 0, &out), ESP_ERR_NOT_SUPPORTED);
        assert_err(esp_mmu_map(0x1001, 1, FLASH | PSRAM, X | W, 0, &out), ESP_ERR_NOT_SUPPORTED);
        assert_log("E mmap: esp_mmu_map_virt(): PSRAM is not supported\n"
                   "E mmap: esp_mmu_map_virt(): PSRAM is not supported\n");
    } else {
        assert_err(esp_mmu_map_virt(0x1001, 0x1001, 1, PSRAM, X | W, 0, &out), ESP_ERR_INVALID_ARG);
        assert_log("E mmap: esp_mmu_map_virt(): paddr must be rounded up to the nearest multiple of "
                   "CONFIG_MMU_PAGE_SIZE\n");
    }
    /* #2 paddr alignment, #3 vaddr alignment, #4 caps. */
    assert_err(esp_mmu_map_virt(0x1001, 0x1001, 1, FLASH, X | W, 0, &out), ESP_ERR_INVALID_ARG);
    assert_err(esp_mmu_map(0x100, PG, FLASH, R, 0, &out), ESP_ERR_INVALID_ARG);
    assert_err(esp_mmu_map_virt(0x1001, 0, 1, FLASH, X | W, 0, &out), ESP_ERR_INVALID_ARG);
    assert_err(esp_mmu_map_virt(c->mid_vaddr + 0x1000, 0, PG, FLASH, R, 0, &out), ESP_ERR_INVALID_ARG);
    assert_err(esp_mmu_map_virt(0, 0, 0x10000000, FLASH, X | W, 0, &out), ESP_ERR_INVALID_ARG);
    assert_err(esp_mmu_map(0, 0x10000000, FLASH, X | B8, 0, &out), ESP_ERR_INVALID_ARG);
    assert_err(esp_mmu_map(0, PG, FLASH, X | R | W | B8 | B32, 0, &out), ESP_ERR_INVALID_ARG);
    /* #5 nothing big enough: NOT_FOUND. */
    assert_err(esp_mmu_map(0, 0x10000000, FLASH, R, 0, &out), ESP_ERR_NOT_FOUND);
    assert_err(esp_mmu_map(0, c->read_max + 1, FLASH, R, 0, &out), ESP_ERR_NOT_FOUND);
    const char *paddr = "E mmap: esp_mmu_map_virt(): paddr must be rounded up to the nearest multiple of "
                        "CONFIG_MMU_PAGE_SIZE\n";
    const char *vaddr = "E mmap: esp_mmu_map_virt(): vaddr must be rounded up to the nearest multiple of "
                        "CONFIG_MMU_PAGE_SIZE\n";
    const char *caps = "E mmap: esp_mmu_map_virt(): invalid caps\n";
    const char *none = "E mmap: esp_mmu_map_virt(): no such vaddr range\n";
    char want[1024];
    snprintf(want, sizeof want, "%s%s%s%s%s%s%s%s%s", paddr, paddr, vaddr, vaddr, caps, caps, caps, none, none);
    assert_log(want);
    /* The largest free range itself is fine. */
    void *big = map_ok(0, c->read_max, FLASH, R, 0);
    assert_err(esp_mmu_unmap(big), ESP_OK);
    assert_log("");
    /* No error wrote out_ptr or left anything behind. */
    assert_hex(U(out), 0x1234);
    assert_dump(before);
    free(before);
    assert_no_hazards(m);
}
END_TEST

/* The invariant check sees what changed behind the driver's back. */
START_TEST(invariants_catch_mmu_writes_behind_the_drivers_back)
{
    mmsim_t *m = open_chip("esp32c6", NULL, 0, 0, 0);
    void *p = map_ok(0x200000, 2 * PG, FLASH, R, 0);
    char why[256];
    ck_assert_int_eq(mmsim_check_invariants(m, why, sizeof why), 0);
    mmu_hal_unmap_region(0, U(p) + PG, PG); /* the block's second page */
    ck_assert_int_eq(mmsim_check_invariants(m, why, sizeof why), MMSIM_ERR_INVARIANT);
    ck_assert_msg(strstr(why, "should map flash 0x00210000") && strstr(why, "but is invalid"), "%s", why);
    uint32_t len = 0;
    mmu_hal_map_region(0, FLASH, U(p) + PG, 0x210000, PG, &len); /* put it back */
    ck_assert_int_eq(mmsim_check_invariants(m, why, sizeof why), 0);
    mmu_hal_map_region(0, FLASH, U(p) + 4 * PG, 0x300000, PG, &len); /* a free page */
    ck_assert_int_eq(mmsim_check_invariants(m, why, sizeof why), MMSIM_ERR_INVARIANT);
    ck_assert_msg(strstr(why, "free page"), "%s", why);
    mmu_hal_unmap_region(0, U(p) + 4 * PG, PG);
    assert_err(esp_mmu_unmap(p), ESP_OK);
}
END_TEST

/* The driver does not check the paddr's upper bound: the HAL's assertion fires instead. */
START_TEST(paddr_beyond_the_mmu_reach_is_left_to_the_hal)
{
    static const struct {
        const char *chip;
        uint32_t reach;  /* pages x page size (§5.1) */
        size_t asserts;  /* one per MMU table written: ESP32 writes both CPUs' (§1.6) */
    } cases[] = {{"esp32c3", MB(16), 1}, {"esp32c2", MB(4), 1}, {"esp32", MB(16), 2}};
    mmsim_t *m = open_bare(chip_named(cases[_i].chip));
    void *p = NULL;
    assert_err(esp_mmu_map(cases[_i].reach, PG, FLASH, R, 0, &p), ESP_OK);
    ck_assert_uint_eq(mmsim_hazard_count_kind(m, MMSIM_HAZARD_HAL_ASSERT), cases[_i].asserts);
    ck_assert_uint_eq(mmsim_hazard_count(m), cases[_i].asserts);
    /* The driver now holds a block the MMU never got: the invariant check says so. */
    char why[256];
    ck_assert_int_eq(mmsim_check_invariants(m, why, sizeof why), MMSIM_ERR_INVARIANT);
    ck_assert_msg(strstr(why, "but is invalid"), "%s", why);
    assert_err(esp_mmu_unmap(p), ESP_OK);
    ck_assert_int_eq(mmsim_check_invariants(m, why, sizeof why), 0);
}
END_TEST


/* P4's PSRAM MMU passes paddrs up to 1 GB but its entry holds a 10-bit page number: page
 * 1024 (64 MB) keeps its low bits and lands on page 0, silently, as on the chip.  The
 * driver's bookkeeping is still consistent with what the MMU can hold. */
START_TEST(p4_page_number_wider_than_the_entry_keeps_its_low_bits)
{
    mmsim_t *m = open_chip("esp32p4", NULL, 0, KB(256), KB(128));
    void *p = map_ok(MB(64), PG, PSRAM, R | W, 0);
    assert_paddr(p, 0, PSRAM);
    char why[256];
    ck_assert_msg(mmsim_check_invariants(m, why, sizeof why) == 0, "%s", why);
    assert_no_hazards(m);
    assert_err(esp_mmu_unmap(p), ESP_OK);
}
END_TEST

/* Found by fuzz_api in CI: target 0 picks the first compatible region (P4's flash
 * region) but takes its vaddr from the target-0 bus, the PSRAM window, so the block
 * lies over the PSRAM region's free pages, as upstream's driver places it. */
START_TEST(p4_target_0_block_over_the_psram_regions_pages)
{
    mmsim_t *m = open_chip("esp32p4", NULL, 0, 0, 0);
    void *flash = map_ok(0, MB(16), FLASH, 0, 0);
    void *first = map_ok(0x3690000, 0x6a0000, 0, W | B32 | B8, 0);
    ck_assert_uint_eq(U(first) >> 28, 0x4); /* a flash region block ... */
    esp_mmu_map_region_info_t psram;
    ck_assert_int_eq(esp_mmu_map_region_info(1, &psram), ESP_OK);
    uint32_t psram_free = psram.vaddr_start + (psram.free_head - psram.start);
    ck_assert_uint_ge(U(first), psram.vaddr_start); /* ... in the PSRAM window */
    void *across = map_ok(0, MB(16), 0, W | B32 | B8, 0);
    ck_assert_uint_lt(U(across), psram_free);
    ck_assert_uint_gt(U(across) + MB(16), psram_free); /* across the PSRAM region's free head */
    char why[256];
    ck_assert_msg(mmsim_check_invariants(m, why, sizeof why) == 0, "%s", why);
    void *p = map_ok(0, PG, PSRAM, R | W, 0); /* the PSRAM region's own first free page */
    ck_assert_uint_eq(U(p), psram_free);
    ck_assert_msg(mmsim_check_invariants(m, why, sizeof why) == 0, "%s", why);
    assert_err(esp_mmu_unmap(p), ESP_OK);
    /* Unmap looks the block up in the region of the vaddr's own laddr, the PSRAM region:
     * a target-0 block there cannot be unmapped (mmsim_close frees it). */
    assert_err(esp_mmu_unmap(across), ESP_ERR_NOT_FOUND);
    assert_err(esp_mmu_unmap(first), ESP_ERR_NOT_FOUND);
    assert_err(esp_mmu_unmap(flash), ESP_OK);
}
END_TEST


START_TEST(mapped_flash_reads_through_the_cache_and_errors_log)
{
    mmsim_t *m = open_chip("esp32c6", NULL, 0, 0, 0);
    ck_assert_int_eq(mmsim_flash_write(m, 0x200000, "\x11\x22\x33\x44", 4), 0);
    void *p = NULL;
    ck_assert_int_eq(esp_mmu_map(0x200000, 100, MMU_TARGET_FLASH0, MMU_MEM_CAP_READ | MMU_MEM_CAP_8BIT, 0, &p), ESP_OK);
    uint32_t w = 0;
    ck_assert_int_eq(mmsim_cpu_read(m, 0, (uint32_t)(uintptr_t)p, &w, 4), 0);
    ck_assert_uint_eq(w, 0x44332211);
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
    esp_log_capture_begin();
    void *q = NULL;
    ck_assert_int_eq(esp_mmu_map(0x200001, 100, MMU_TARGET_FLASH0, MMU_MEM_CAP_READ, 0, &q), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(esp_mmu_map(0x200000, 100, MMU_TARGET_FLASH0, MMU_MEM_CAP_READ, 0, NULL), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(esp_mmu_map(0x210000, 100, MMU_TARGET_PSRAM0, MMU_MEM_CAP_READ, 0, &q), ESP_ERR_NOT_SUPPORTED);
    const char *log = esp_log_capture_text();
    ck_assert_ptr_nonnull(strstr(log, "mmap: esp_mmu_map_virt("));
    ck_assert_ptr_nonnull(strstr(log, "): paddr must be rounded up to the nearest multiple of CONFIG_MMU_PAGE_SIZE\n"));
    ck_assert_ptr_nonnull(strstr(log, "mmap: esp_mmu_map("));
    ck_assert_ptr_nonnull(strstr(log, "): PSRAM is not supported\n"));
    esp_log_capture_end();
    ck_assert_int_eq(esp_mmu_unmap(p), ESP_OK);
    ck_assert_int_eq(esp_mmu_unmap(p), ESP_ERR_NOT_FOUND);
    close_chip(m);
}
END_TEST

/* ======================================================================================
 * §1.8 esp_mmu_unmap
 * ====================================================================================== */

START_TEST(unmap_needs_a_block_start_in_a_region)
{
    const chip_t *c = &CHIPS[_i];
    mmsim_t *m = open_bare(c);
    void *a = map_ok(0x200000, 2 * PG, FLASH, R, 0);
    log_begin(ESP_LOG_VERBOSE);
    assert_err(esp_mmu_unmap(NULL), ESP_ERR_INVALID_ARG);
    assert_err(esp_mmu_unmap((char *)a + PG), ESP_ERR_NOT_FOUND);
    assert_err(esp_mmu_unmap((char *)a + 0x100), ESP_ERR_NOT_FOUND);
    assert_err(esp_mmu_unmap((char *)a + 2 * PG), ESP_ERR_NOT_FOUND); /* free region space */
    assert_err(esp_mmu_unmap(V(c->drom_vaddr)), ESP_ERR_NOT_FOUND);   /* the app: reserved */
    assert_err(esp_mmu_unmap(V(c->irom_vaddr)), ESP_ERR_NOT_FOUND);
    assert_log("E mmap: esp_mmu_unmap(): null pointer\n"
               "E mmap: esp_mmu_unmap(): munmap target pointer isn't mapped yet\n"
               "E mmap: esp_mmu_unmap(): munmap target pointer isn't mapped yet\n"
               "E mmap: esp_mmu_unmap(): munmap target pointer isn't mapped yet\n"
               "E mmap: esp_mmu_unmap(): munmap target pointer is outside external memory regions\n"
               "E mmap: esp_mmu_unmap(): munmap target pointer is outside external memory regions\n");
    ck_assert_int_eq(region(c->read_region).blocks, 1);
    /* Only the linear address counts: the IBUS alias of a data block unmaps it. */
    void *alias = c->alias == ALIAS_TWO ? V(to_ibus(U(a))) : a;
    assert_err(esp_mmu_unmap(alias), ESP_OK);
    assert_err(esp_mmu_unmap(a), ESP_ERR_NOT_FOUND);
    assert_log("E mmap: esp_mmu_unmap(): munmap target pointer isn't mapped yet\n");
    esp_paddr_t pa;
    mmu_target_t t;
    assert_err(esp_mmu_vaddr_to_paddr(a, &pa, &t), ESP_ERR_NOT_FOUND);
    ck_assert_int_eq(region(c->read_region).blocks, 0);
    if (c->alias == ALIAS_TWO) { /* and the DBUS alias of a code block */
        void *x = map_ok(0x200000, PG, FLASH, X, 0);
        assert_err(esp_mmu_unmap(V(U(x) - 0x42000000u + 0x3C000000u)), ESP_OK);
    }
    assert_no_hazards(m);
}
END_TEST

START_TEST(esp32_unmap_outside_every_region)
{
    mmsim_t *m = open_bare(chip_named("esp32"));
    (void)m;
    log_begin(ESP_LOG_VERBOSE);
    /* 0x3F000000 masks to 0x1000000 and 0x40500000 (IRAM1) to 0x500000: in no region. */
    assert_err(esp_mmu_unmap(V(0x3F000000)), ESP_ERR_NOT_FOUND);
    assert_err(esp_mmu_unmap(V(0x40500000)), ESP_ERR_NOT_FOUND);
    assert_log("E mmap: esp_mmu_unmap(): munmap target pointer is outside external memory regions\n"
               "E mmap: esp_mmu_unmap(): munmap target pointer is outside external memory regions\n");
}
END_TEST

/* ======================================================================================
 * §1.16 version differences: INVALID_STATE pointer, its log level, the logging function
 * ====================================================================================== */

static const struct {
    const char *version;
    bool offset; /* the INVALID_STATE pointer includes the offset into the block */
    char level;  /* the "mapped already" line */
} VERSIONS[] = {
    {"v5.1", false, 'W'},   {"v5.1.4", false, 'W'}, {"v5.1.5", true, 'W'},  {"v5.1.6", true, 'W'},
    {"v5.1.7", true, 'E'},  {"v5.2.0", false, 'W'}, {"v5.2.2", false, 'W'}, {"v5.2.3", true, 'W'},
    {"v5.2.5", true, 'W'},  {"v5.2.6", true, 'D'},  {"v5.2.7", true, 'D'},  {"v5.3.0", false, 'W'},
    {"v5.3.1", true, 'W'},  {"v5.3.3", true, 'W'},  {"v5.3.4", true, 'D'},  {"v5.3.5", true, 'D'},
    {"v5.4", true, 'W'},    {"v5.4.1", true, 'W'},  {"v5.4.2", true, 'E'},  {"v5.4.3", true, 'D'},
    {"v5.5.0", true, 'E'},  {"v5.5.1", true, 'D'},  {"v5.5.3", true, 'D'},  {"v5.5.5", true, 'D'},
    {"v6.0", true, 'D'},    {"v6.0.2", true, 'D'},  {"v6.1", true, 'D'},    {"master", true, 'D'},
};
#define NVERSIONS ((int)(sizeof VERSIONS / sizeof VERSIONS[0]))

START_TEST(invalid_state_pointer_and_log_level_by_version)
{
    mmsim_config_t cfg = mmsim_config_default("esp32s3");
    cfg.idf_version = VERSIONS[_i].version;
    cfg.sets = NO_PSRAM;
    cfg.nsets = 1;
    cfg.app_irom_size = KB(256);
    cfg.app_drom_size = KB(128);
    mmsim_t *m = open_cfg(&cfg);
    void *a = map_ok(0x200000, 2 * PG, FLASH, R, 0), *p = NULL;
    assert_hex(U(a), 0x3C060000);
    log_begin(ESP_LOG_VERBOSE);
    assert_err(esp_mmu_map(0x210000, PG, FLASH, R, 0, &p), ESP_ERR_INVALID_STATE);
    assert_hex(U(p), VERSIONS[_i].offset ? 0x3C070000 : 0x3C060000);
    char want[400];
    snprintf(want, sizeof want, "%c mmap: paddr block is mapped already, vaddr_start: 0x3c060000, size: 0x20000\n",
             VERSIONS[_i].level);
    assert_log(want);
    /* Identical range: the block start in every version. */
    assert_err(esp_mmu_map(0x200000, 2 * PG, FLASH, R, 0, &p), ESP_ERR_INVALID_STATE);
    assert_hex(U(p), 0x3C060000);
    assert_log(want);
    /* At the default INFO level only the WARNING and ERROR variants show. */
    esp_log_level_set("*", ESP_LOG_INFO);
    assert_err(esp_mmu_map(0x210000, PG, FLASH, R, 0, &p), ESP_ERR_INVALID_STATE);
    assert_log(VERSIONS[_i].level == 'D' ? "" : want);
    /* esp_mmu_map_virt exists since v6.1-beta1 (§1.1); before, the checks were in
     * esp_mmu_map itself and its error lines name it. */
    const char *func = strcmp(VERSIONS[_i].version, "v6.1") && strcmp(VERSIONS[_i].version, "master")
                           ? "esp_mmu_map" : "esp_mmu_map_virt";
    assert_err(esp_mmu_map(0x1001, PG, FLASH, R, 0, &p), ESP_ERR_INVALID_ARG);
    assert_err(esp_mmu_map(0, PG, FLASH, X | W, 0, &p), ESP_ERR_INVALID_ARG);
    assert_err(esp_mmu_map(0, 0x10000000, FLASH, R, 0, &p), ESP_ERR_NOT_FOUND);
    snprintf(want, sizeof want, "E mmap: %s(): paddr must be rounded up to the nearest multiple of CONFIG_MMU_PAGE_SIZE\n"
             "E mmap: %s(): invalid caps\n"
             "E mmap: %s(): no such vaddr range\n", func, func, func);
    assert_log(want);
    assert_no_hazards(m);
}
END_TEST

/* ---- suite ---------------------------------------------------------------------------- */

int main(void)
{
    Suite *s = suite_create("esp_mmu_map errors");
    TCase *t = tc(s, "1.7 errors");
    tcase_add_loop_test(t, map_errors_come_in_check_order_with_their_messages, 0, NCHIPS);
    tcase_add_test(t, invariants_catch_mmu_writes_behind_the_drivers_back);
    tcase_add_loop_test(t, paddr_beyond_the_mmu_reach_is_left_to_the_hal, 0, 3);
    tcase_add_test(t, p4_page_number_wider_than_the_entry_keeps_its_low_bits);
    tcase_add_test(t, p4_target_0_block_over_the_psram_regions_pages);
    tcase_add_test(t, mapped_flash_reads_through_the_cache_and_errors_log);
    t = tc(s, "1.8 unmap");
    tcase_add_loop_test(t, unmap_needs_a_block_start_in_a_region, 0, NCHIPS);
    tcase_add_test(t, esp32_unmap_outside_every_region);
    t = tc(s, "1.16 versions");
    tcase_add_loop_test(t, invalid_state_pointer_and_log_level_by_version, 0, NVERSIONS);
    return mmu_map_run(s);
}
