/* test_esp_mmu_map_espressif.c - the map driver on simulated chips: Espressif's own test
 * apps in our words: every readable and executable vaddr mapped until none is left,
 * interleaved map and unmap (§6.1/§6.2), and the spi_flash consumer tests (§6.4).
 *
 * The sections are those of esp-idf-behaviour.md; the loop tests run once per chip of
 * CHIPS. The chips, open_bare and the log and dump readers are in mmu_map_fixture.h. */
#include "mmu_map_fixture.h"

/* ======================================================================================
 * §6.1 / §6.2 Espressif's test apps, in our words
 * ====================================================================================== */

/* §6.2 #12/#13: map page after page until NOT_FOUND; every free page of every compatible
 * region is used; every mapping reads its own page.  (mmap_hw maps one page over and
 * over with the relation checks compiled out; here each mapping gets its own page, so the
 * checks stay on and every read proves the right page was mapped.) */
typedef struct {
    const char *chip;
    uint32_t flash, page;
    bool psram; /* keep the chip's default PSRAM (heap reserved at boot) */
    uint32_t read_pages, exec_pages;
} exhaust_case_t;

static const exhaust_case_t EXHAUST[] = {
    {"esp32", MB(4), 0, false, 62, 47},
    {"esp32", MB(4), 0, true, 62, 47},
    {"esp32s2", MB(16), 0, false, 62 + 48 + 120, 52},
    {"esp32s2", MB(16), 0, true, 62 + 48 + 120 - 32, 52}, /* 2 MB heap in DRAM */
    {"esp32s3", MB(32), 0, false, 506, 506},
    {"esp32s3", MB(32), 0, true, 506 - 128, 506 - 128}, /* 8 MB heap */
    {"esp32c2", MB(4), 0, false, 58, 58},
    {"esp32c2", MB(1), 0x4000, false, 64 - 24, 64 - 24},
    {"esp32c3", MB(16), 0, false, 122, 122},
    {"esp32c6", MB(16), 0, false, 122, 122},
    {"esp32c6", MB(4), 0x4000, false, 128 - 24, 128 - 24},
    {"esp32h2", MB(16), 0, false, 122, 122},
    {"esp32h2", MB(4), 0x8000, false, 128 - 12, 128 - 12},
    {"esp32p4", MB(64), 0, false, 1018, 1018},
    {"esp32p4", MB(64), 0, true, 1018, 1018},
};
#define NEXHAUST ((int)(sizeof EXHAUST / sizeof EXHAUST[0]))

static void exhaust(const exhaust_case_t *x, mmu_mem_caps_t caps, uint32_t expect)
{
    mmsim_config_t cfg = mmsim_config_default(x->chip);
    cfg.flash_size = x->flash;
    cfg.mmu_page_size = x->page;
    cfg.app_irom_size = KB(256);
    cfg.app_drom_size = KB(128);
    if (!x->psram) {
        cfg.sets = NO_PSRAM;
        cfg.nsets = 1;
    }
    mmsim_t *m = open_cfg(&cfg);
    const uint32_t page = mmsim_page_size(m);
    const bool exec = caps & X;
    char *fresh = dump_text();
    size_t free_before = max_slot(caps, FLASH);
    /* The free space of the compatible flash regions, from the dump (PSRAM-only regions:
     * ESP32 DRAM1 and P4's second region, are left out by index). */
    region_t rs[8];
    int n = dump_regions(rs, 8);
    uint64_t free_bytes = 0;
    for (int i = 0; i < n; i++) {
        bool psram_only = (!strcmp(x->chip, "esp32") && i == 2) || (!strcmp(x->chip, "esp32p4") && i == 1);
        if ((rs[i].caps & caps) == caps && !psram_only)
            free_bytes += rs[i].max_slot;
    }
    ck_assert_uint_eq(free_bytes, (uint64_t)expect * page);
    /* The boot wrote the default partition table at 0x8000, the start of a page on
     * chips with 16 or 32 KB pages: erase it so the marker programs as written. */
    ck_assert_int_eq(mmsim_flash_erase(m, 0x8000, 0x1000), 0);
    for (uint32_t i = 0; i <= expect; i++)
        flash_put32(m, i * page, 0xA5000000u | i);
    void **v = calloc(expect + 2, sizeof *v);
    ck_assert_ptr_nonnull(v);
    uint32_t count = 0;
    log_begin(ESP_LOG_VERBOSE);
    for (;;) {
        ck_assert_msg(count <= expect, "%s: more than %u mappings", x->chip, expect);
        esp_err_t e = esp_mmu_map(count * page, page, FLASH, caps, 0, &v[count]);
        if (e == ESP_ERR_NOT_FOUND)
            break;
        ck_assert_msg(e == ESP_OK, "%s: mapping %u returned %s", x->chip, count, esp_err_to_name(e));
        count++;
    }
    assert_log("E mmap: esp_mmu_map_virt(): no such vaddr range\n");
    ck_assert_uint_eq(count, expect);
    ck_assert_uint_eq(max_slot(caps, FLASH), 0);
    for (uint32_t i = 0; i < count; i++) {
        uint32_t va = U(v[i]);
        ck_assert_uint_eq(exec ? fetch32(m, va) : read32(m, va), 0xA5000000u | i);
        if (exec) /* §6.2 #13: the conversion at every 0x100 of the page */
            for (uint32_t off = 0; off < page; off += 0x100) {
                esp_paddr_t pa = 0;
                mmu_target_t t = 0;
                assert_err(esp_mmu_vaddr_to_paddr(V(va + off), &pa, &t), ESP_OK);
                ck_assert_uint_eq(pa, i * page + off);
            }
    }
    assert_no_hazards(m);
    for (uint32_t i = 0; i < count; i++)
        assert_err(esp_mmu_unmap(v[i]), ESP_OK);
    ck_assert_uint_eq(max_slot(caps, FLASH), free_before);
    assert_dump(fresh);
    free(v);
    free(fresh);
}

START_TEST(all_readable_vaddr_maps_flash)
{
    exhaust(&EXHAUST[_i], R, EXHAUST[_i].read_pages);
}
END_TEST

START_TEST(all_executable_vaddr_maps_flash)
{
    exhaust(&EXHAUST[_i], X, EXHAUST[_i].exec_pages);
}
END_TEST

/* §6.1 #5 "Test mmap concurrency", single-threaded: two interleaved tasks map random
 * pages of storage1 (READ|8BIT, PADDR_SHARED, size 1 + offset in page) and unmap. */
START_TEST(interleaved_map_unmap_keeps_the_books)
{
    const chip_t *c = &CHIPS[_i];
    mmsim_t *m = open_bare(c);
    const uint32_t storage = 0x110000, storage_size = KB(512);
    for (uint32_t pa = storage; pa < storage + storage_size; pa += PG)
        flash_put32(m, pa, 0x5A000000u | pa >> 16);
    char *fresh = dump_text();
    uint32_t seed = 12345;
    struct {
        void *ptr;
        bool own;     /* esp_mmu_map returned OK: the task unmaps it */
        uint32_t page;
    } task[2] = {{0}};
    for (int it = 0; it < 20000; it++) {
        int t = it & 1;
        if (task[t].ptr) {
            if (task[t].own)
                assert_err(esp_mmu_unmap(task[t].ptr), ESP_OK);
            task[t].ptr = NULL;
            continue;
        }
        seed = seed * 1103515245u + 12345u;
        uint32_t pa = storage + (seed >> 8) % storage_size;
        uint32_t page = pa & ~(PG - 1);
        void *p = NULL;
        esp_err_t e = esp_mmu_map(page, 1 + (pa - page), FLASH, R | B8, SHARED, &p);
        const int o = !t;
        if (task[o].ptr && task[o].own && task[o].page == page) {
            assert_err(e, ESP_ERR_INVALID_STATE); /* the other task holds this page */
            ck_assert_ptr_eq(p, task[o].ptr);
        } else {
            assert_err(e, ESP_OK);
        }
        ck_assert_uint_eq(read32(m, U(p)), 0x5A000000u | page >> 16);
        task[t].ptr = p;
        task[t].own = e == ESP_OK;
        task[t].page = page;
    }
    for (int t = 0; t < 2; t++)
        if (task[t].ptr && task[t].own)
            assert_err(esp_mmu_unmap(task[t].ptr), ESP_OK);
    assert_dump(fresh);
    free(fresh);
    assert_no_hazards(m);
}
END_TEST

/* ======================================================================================
 * §6.4 spi_flash consumer tests, in our words
 * ====================================================================================== */

/* "Can mmap unordered pages into contiguous memory": fixed placement page by page. */
START_TEST(unordered_pages_map_into_contiguous_vaddr)
{
    const chip_t *c = &CHIPS[_i];
    mmsim_t *m = open_bare(c);
    static const uint32_t pages[] = {0x35, 0x32, 0x39, 0x30};
    for (size_t k = 0; k < 4; k++) {
        flash_put32(m, pages[k] * PG, 0xB0000000u | pages[k]);
        flash_put32(m, pages[k] * PG + PG - 4, 0xE0000000u | pages[k]);
    }
    for (size_t k = 0; k < 4; k++)
        assert_err(esp_mmu_map_virt(c->mid_vaddr + (uint32_t)k * PG, pages[k] * PG, PG, FLASH, R, 0, NULL), ESP_OK);
    for (size_t k = 0; k < 3; k++) {
        uint32_t two[2];
        ck_assert_int_eq(mmsim_cpu_read(m, 0, c->mid_vaddr + (uint32_t)(k + 1) * PG - 4, two, 8), 0);
        ck_assert_uint_eq(two[0], 0xE0000000u | pages[k]);
        ck_assert_uint_eq(two[1], 0xB0000000u | pages[k + 1]);
    }
    assert_no_hazards(m);
}
END_TEST

/* "Can get correct data in existing mapped region": spi_flash_mmap takes INVALID_STATE
 * as success and reads through the pointer into the existing block. */
START_TEST(existing_mapping_serves_an_enclosed_request)
{
    const chip_t *c = &CHIPS[_i];
    mmsim_t *m = open_bare(c);
    const uint32_t P = 0x200000;
    for (uint32_t k = 0; k < 3; k++)
        flash_put32(m, P + k * PG + 0x80, 0xD0000000u | k);
    void *a = map_ok(P, 3 * PG, FLASH, R | B8, SHARED), *p = NULL;
    assert_err(esp_mmu_map(P + 2 * PG, 0x100, FLASH, R | B8, SHARED, &p), ESP_ERR_INVALID_STATE);
    assert_hex(U(p), U(a) + 2 * PG);
    ck_assert_uint_eq(read32(m, U(p) + 0x80), 0xD0000002u);
    assert_no_hazards(m);
}
END_TEST

/* "mapped region unaffected by erase of another region", and consistent conversions
 * ("mmap consistent with phys2cache/cache2phys"). */
START_TEST(erase_elsewhere_leaves_a_mapping_alone_and_conversions_agree)
{
    const chip_t *c = &CHIPS[_i];
    mmsim_t *m = open_bare(c);
    const uint32_t P = 0x200000, Q = 0x280000;
    flash_put32(m, P + 0x40, 0xFACE0001);
    void *p = map_ok(P, PG, FLASH, R, 0);
    ck_assert_uint_eq(read32(m, U(p) + 0x40), 0xFACE0001);
    ck_assert_int_eq(mmsim_flash_erase(m, Q, PG), 0);
    ck_assert_uint_eq(read32(m, U(p) + 0x40), 0xFACE0001);
    assert_paddr((char *)p + 0x40, P + 0x40, FLASH);
    assert_hex(p2v(P + 0x40, FLASH, MMU_VADDR_DATA), U(p) + 0x40);
    assert_err(esp_mmu_unmap(p), ESP_OK);
    esp_paddr_t pa;
    mmu_target_t t;
    void *v;
    assert_err(esp_mmu_vaddr_to_paddr((char *)p + 0x40, &pa, &t), ESP_ERR_NOT_FOUND);
    assert_err(esp_mmu_paddr_to_vaddr(P + 0x40, FLASH, MMU_VADDR_DATA, &v), ESP_ERR_NOT_FOUND);
    assert_no_hazards(m);
}
END_TEST

/* ---- suite ---------------------------------------------------------------------------- */

int main(void)
{
    Suite *s = suite_create("esp_mmu_map espressif");
    TCase *t = tc(s, "6.1/6.2 Espressif's test apps");
    tcase_add_loop_test(t, all_readable_vaddr_maps_flash, 0, NEXHAUST);
    tcase_add_loop_test(t, all_executable_vaddr_maps_flash, 0, NEXHAUST);
    tcase_add_loop_test(t, interleaved_map_unmap_keeps_the_books, 0, NCHIPS);
    t = tc(s, "6.4 spi_flash consumer tests");
    tcase_add_loop_test(t, unordered_pages_map_into_contiguous_vaddr, 0, NCHIPS);
    tcase_add_loop_test(t, existing_mapping_serves_an_enclosed_request, 0, NCHIPS);
    tcase_add_loop_test(t, erase_elsewhere_leaves_a_mapping_alone_and_conversions_agree, 0, NCHIPS);
    return mmu_map_run(s);
}
