/* test_hal_page_codes.c - MMUs with a page-size register of their own (ESP32-S31): the
 * page each MMU runs at for every configured size, the register codes (flash and PSRAM
 * in opposite orders, a size without a code falling to code 0), the windows and regions
 * that follow, and the HAL helpers that cannot decode the 128/256 KB flash pages
 * (mmu_hal_pages_to_bytes 16-64 KB, the LL's entry -> address helpers 8-64 KB), each
 * recorded as the HAL_ASSERT upstream would hit. */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "sim_fixture.h"

#include "hal/mmu_hal.h"
#include "hal/mmu_ll.h"
#include "hal_ctx.h"
#include "soc/ext_mem_defs.h"

static machine_t *m;

static void teardown(void)
{
    hal_bind(NULL);
    machine_free(m);
    m = NULL;
}

/* Build ESP32-S31 with up to two key=value overrides and bind it to this thread. */
static void open_s31(const char *set1, const char *set2)
{
    const char *sets[] = {set1, set2};
    teardown();
    m = build("esp32s31", sets, set2 ? 2 : set1 ? 1 : 0);
    hal_bind(m);
}

static size_t asserts(void) { return m->hazards.per_kind[MMSIM_HAZARD_HAL_ASSERT]; }

/* The text of the last hazard recorded. */
static const char *last_hazard(void)
{
    ck_assert_uint_gt(m->hazards.kept, 0);
    return m->hazards.recs[m->hazards.kept - 1].detail;
}

typedef struct {
    const char *set;        /* the configured size (as the flash size or mmu_page_size) */
    uint32_t config;        /* CONFIG_MMU_PAGE_SIZE */
    uint32_t flash, psram;  /* the page each MMU runs at */
    uint32_t flash_code, psram_code;
} page_case_t;

static const page_case_t page_cases[] = {
    /* Kconfig.mmu's 16 KB for a 1 MB flash has no flash code: code 0, 256 KB. */
    {"flash_size=1M", 0x4000, 0x40000, 0x4000, 0, 2},
    {"flash_size=2M", 0x8000, 0x8000, 0x8000, 3, 1},
    {"flash_size=4M", 0x10000, 0x10000, 0x10000, 2, 0},
    /* 128/256 KB have no PSRAM code: the PSRAM MMU is left at code 0, 64 KB. */
    {"mmu_page_size=128K", 0x20000, 0x20000, 0x10000, 1, 0},
    {"mmu_page_size=256K", 0x40000, 0x40000, 0x10000, 0, 0},
};

START_TEST(each_mmu_runs_at_the_page_its_code_gives)
{
    const page_case_t *c = &page_cases[_i];
    /* app_offset on the largest page, as a 128/256 KB build needs it. */
    open_s31(c->set, "app_offset=0x40000");
    ck_assert_uint_eq(SOC_MMU_PAGE_SIZE, c->config);
    ck_assert_uint_eq(chipdef_page_code(&m->chip.mmus[0], c->config), c->flash_code);
    ck_assert_uint_eq(chipdef_page_code(&m->chip.mmus[1], c->config), c->psram_code);
    ck_assert_uint_eq(m->chip.mmus[0].page_size, c->flash);
    ck_assert_uint_eq(m->chip.mmus[1].page_size, c->psram);
    ck_assert_uint_eq(mmu_ll_get_page_size(MMU_LL_FLASH_MMU_ID), c->flash);
    ck_assert_uint_eq(mmu_ll_get_page_size(MMU_LL_PSRAM_MMU_ID), c->psram);
    /* Each window holds its MMU's 1024 entries at its own page. */
    ck_assert_uint_eq(m->chip.windows[0].page_size, c->flash);
    ck_assert_uint_eq(m->chip.windows[0].size, 1024u * c->flash);
    ck_assert_uint_eq(m->chip.windows[1].size, 1024u * c->psram);
    ck_assert_uint_eq(mmu_ll_get_entry_id(MMU_LL_FLASH_MMU_ID, 0x40000000 + 5 * c->flash + 4), 5);
    ck_assert_uint_eq(mmu_ll_get_entry_id(MMU_LL_PSRAM_MMU_ID, 0x50000000 + 7 * c->psram), 7);
    /* What start-up programs is what each MMU already runs at; nothing asserts. */
    mmu_ll_set_page_size(MMU_LL_FLASH_MMU_ID, c->config);
    mmu_ll_set_page_size(MMU_LL_PSRAM_MMU_ID, c->config);
    ck_assert_uint_eq(asserts(), 0);
    /* Another size would need other windows: refused. */
    mmu_ll_set_page_size(MMU_LL_FLASH_MMU_ID, c->flash == 0x8000 ? 0x10000 : 0x8000);
    ck_assert_uint_eq(asserts(), 1);
}
END_TEST

START_TEST(regions_count_in_the_smaller_page)
{
    /* The flash region is the configured 1024 pages (upstream's SOC_MMU_PAGE_SIZE); the
     * PSRAM region 1024 of the PSRAM MMU's pages where those are smaller. */
    open_s31("flash_size=1M", NULL);
    ck_assert_uint_eq(m->chip.regions[0].end, 1024u * 0x4000);
    ck_assert_uint_eq(m->chip.regions[1].start, 0x10000000);
    ck_assert_uint_eq(m->chip.regions[1].end, 0x10000000 + 1024u * 0x4000);
    open_s31("mmu_page_size=128K", "app_offset=0x20000");
    ck_assert_uint_eq(m->chip.regions[0].end, 1024u * 0x20000);
    ck_assert_uint_eq(m->chip.regions[1].end, 0x10000000 + 1024u * 0x10000);
}
END_TEST

START_TEST(helpers_that_cannot_decode_big_flash_pages)
{
    open_s31("mmu_page_size=128K", "app_offset=0x20000");
    /* mmu_ll_get_entry_id and mmu_ll_format_paddr switch over 8-256 KB: fine. */
    ck_assert_uint_eq(mmu_ll_get_entry_id(0, 0x40000000 + 3 * 0x20000), 3);
    ck_assert_uint_eq(mmu_ll_format_paddr(0, 0x60000, MMU_TARGET_FLASH0), 3);
    mmu_ll_write_entry(0, 3, 3, MMU_TARGET_FLASH0);
    ck_assert_uint_eq(mmu_ll_read_entry(0, 3), 0x1003);
    ck_assert_uint_eq(asserts(), 0);
    /* mmu_hal_pages_to_bytes / bytes_to_pages know 16-64 KB. */
    ck_assert_uint_eq(mmu_hal_pages_to_bytes(0, 1), 0);
    ck_assert_uint_eq(asserts(), 1);
    ck_assert_ptr_nonnull(strstr(last_hazard(), "HAL_ASSERT(shift_code)"));
    ck_assert_uint_eq(mmu_hal_bytes_to_pages(0, 0x40000), 0);
    ck_assert_uint_eq(asserts(), 2);
    /* The LL's entry -> address helpers know 8-64 KB. */
    ck_assert_uint_eq(mmu_ll_entry_id_to_paddr_base(0, 3), 0);
    ck_assert_uint_eq(asserts(), 3);
    ck_assert_uint_eq(mmu_ll_entry_id_to_vaddr_base(0, 3, MMU_VADDR_DATA), 0);
    ck_assert_uint_eq(asserts(), 4);
    /* So does every HAL call built on them: map, unmap and both conversions. */
    uint32_t out = 0, paddr = 0, vaddr = 0;
    mmu_target_t target = 0;
    mmu_hal_map_region(0, MMU_TARGET_FLASH0, 0x40080000, 0x80000, 0x20000, &out);
    ck_assert_uint_eq(asserts(), 5);
    ck_assert_ptr_nonnull(strstr(last_hazard(), "mmu_hal_pages_to_bytes"));
    ck_assert_uint_eq(mmu_ll_read_entry(0, 4), 0); /* nothing written */
    mmu_hal_unmap_region(0, 0x40060000, 0x20000);
    ck_assert_uint_eq(asserts(), 6);
    ck_assert_uint_eq(mmu_ll_read_entry(0, 3), 0x1003); /* still mapped */
    ck_assert(!mmu_hal_vaddr_to_paddr(0, 0x40060010, &paddr, &target));
    ck_assert_uint_eq(asserts(), 7);
    /* An invalid entry answers false before the page size is asked. */
    ck_assert(!mmu_hal_vaddr_to_paddr(0, 0x40100000, &paddr, &target));
    ck_assert_uint_eq(asserts(), 7);
    ck_assert(!mmu_hal_paddr_to_vaddr(0, 0x60000, MMU_TARGET_FLASH0, MMU_VADDR_DATA, &vaddr));
    ck_assert_uint_eq(asserts(), 8);
    /* The PSRAM MMU, left at 64 KB, converts as usual. */
    mmu_hal_map_region(1, MMU_TARGET_PSRAM0, 0x50010000, 0x30000, 0x10000, &out);
    ck_assert_uint_eq(out, 0x10000);
    ck_assert(mmu_hal_vaddr_to_paddr(1, 0x50010004, &paddr, &target));
    ck_assert_uint_eq(paddr, 0x30004);
    ck_assert_uint_eq(target, MMU_TARGET_PSRAM0);
    ck_assert_uint_eq(asserts(), 8);
}
END_TEST

START_TEST(the_flash_mmu_at_256k_for_a_1m_flash)
{
    /* 16 KB configured, 256 KB in the flash MMU: the CPU still translates through it (the
     * hardware knows its page), but the HAL's conversions stop. */
    open_s31("flash_size=1M", NULL);
    mmu_ll_write_entry(0, 2, 1, MMU_TARGET_FLASH0);
    uint32_t paddr = 0, target = 0;
    ck_assert_int_eq(mmu_translate(&m->mmu, 0, 0x40080000 + 0x1234, &paddr, &target), MMU_XLATE_OK);
    ck_assert_uint_eq(paddr, 0x40000 + 0x1234);
    ck_assert_uint_eq(mmu_hal_pages_to_bytes(0, 1), 0);
    ck_assert_uint_eq(asserts(), 1);
    /* The PSRAM MMU runs at the configured 16 KB. */
    ck_assert_uint_eq(mmu_hal_pages_to_bytes(1, 3), 3 * 0x4000);
    ck_assert_uint_eq(asserts(), 1);
}
END_TEST

START_TEST(chips_without_codes_keep_one_page_size)
{
    /* P4's two MMUs have no codes: both run at the configured size, and set_page_size
     * asks for exactly it. */
    teardown();
    m = build("esp32p4", NULL, 0);
    hal_bind(m);
    ck_assert_uint_eq(m->chip.mmus[0].page_size_code_count, 0);
    ck_assert_uint_eq(m->chip.mmus[1].page_size, 0x10000);
    ck_assert_uint_eq(mmu_ll_get_page_size(1), 0x10000);
    mmu_ll_set_page_size(1, 0x10000);
    ck_assert_uint_eq(asserts(), 0);
    mmu_ll_set_page_size(1, 0x8000);
    ck_assert_uint_eq(asserts(), 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("hal_page_codes");
    TCase *t = tcase_create("core");
    tcase_add_checked_fixture(t, NULL, teardown);
    tcase_add_loop_test(t, each_mmu_runs_at_the_page_its_code_gives, 0,
                        (int)(sizeof page_cases / sizeof page_cases[0]));
    tcase_add_test(t, regions_count_in_the_smaller_page);
    tcase_add_test(t, helpers_that_cannot_decode_big_flash_pages);
    tcase_add_test(t, the_flash_mmu_at_256k_for_a_1m_flash);
    tcase_add_test(t, chips_without_codes_keep_one_page_size);
    suite_add_tcase(s, t);
    return mmsim_check_run(s);
}
