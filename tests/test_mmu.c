/* test_mmu.c - entry encodings per chip, the decode of every window, and
 * translation through per-CPU and per-target tables. */
#include <check.h>

#include "check_main.h"

#include "chipdef_load.h"
#include "mmu.h"

static chipdef_t chip;

static void load(const char *name, const char *set)
{
    ydoc_err_t err;
    const char *sets[] = {set};
    ck_assert_msg(chipdef_load(name, sets, set ? 1 : 0, &chip, &err) == 0, "%s", err.msg);
}

START_TEST(encodings_match_the_registers)
{
    load("esp32s3", NULL);
    ck_assert_uint_eq(mmu_encode(&chip.mmus[0], CHIPDEF_TARGET_FLASH, 5), 0x0005);
    ck_assert_uint_eq(mmu_encode(&chip.mmus[0], CHIPDEF_TARGET_PSRAM, 5), 0x8005);
    ck_assert_uint_eq(mmu_invalid_value(&chip.mmus[0]), 0x4000);
    ck_assert_uint_eq(mmu_entry_target(&chip.mmus[0], NULL, 0x8005), CHIPDEF_TARGET_PSRAM);
    ck_assert_uint_eq(mmu_entry_target(&chip.mmus[0], NULL, 0x0005), CHIPDEF_TARGET_FLASH);
    load("esp32s2", NULL);
    ck_assert_uint_eq(mmu_encode(&chip.mmus[0], CHIPDEF_TARGET_FLASH, 5), 0x8005);
    ck_assert_uint_eq(mmu_encode(&chip.mmus[0], CHIPDEF_TARGET_PSRAM, 5), 0x10005);
    ck_assert_uint_eq(mmu_entry_target(&chip.mmus[0], NULL, 0x10005), CHIPDEF_TARGET_PSRAM);
    load("esp32", NULL);
    ck_assert_uint_eq(mmu_invalid_value(&chip.mmus[0]), 0x100);
    ck_assert_uint_eq(mmu_encode(&chip.mmus[0], CHIPDEF_TARGET_PSRAM, 0x7F), 0x7F);
    ck_assert(!mmu_entry_is_valid(&chip.mmus[0], 0x100));
    load("esp32c6", NULL);
    ck_assert_uint_eq(mmu_encode(&chip.mmus[0], CHIPDEF_TARGET_FLASH, 5), 0x205);
    ck_assert_uint_eq(mmu_invalid_value(&chip.mmus[0]), 0);
    load("esp32c2", NULL);
    ck_assert_uint_eq(mmu_invalid_value(&chip.mmus[0]), 0x40);
    load("esp32p4", NULL);
    ck_assert_uint_eq(mmu_encode(&chip.mmus[0], CHIPDEF_TARGET_FLASH, 5), 0x1005);
    ck_assert_uint_eq(mmu_encode(&chip.mmus[1], CHIPDEF_TARGET_PSRAM, 5), 0xC05);
    ck_assert_uint_eq(mmu_entry_page(&chip.mmus[1], 0xC05), 0x005);
}
END_TEST

static void expect_decode(uint32_t vaddr, uint32_t mmu, uint32_t entry, uint32_t page)
{
    mmu_decode_t d;
    ck_assert_msg(mmu_decode(&chip, vaddr, &d), "%s: 0x%08x not decoded", chip.name, vaddr);
    ck_assert_uint_eq(d.mmu, mmu);
    ck_assert_uint_eq(d.entry, entry);
    ck_assert_uint_eq(d.page_size, page);
}

START_TEST(entry_ids_follow_the_reference)
{
    load("esp32", NULL);
    expect_decode(0x3F400000, 0, 0, 0x10000);
    expect_decode(0x3F800000, 0, 1152, 0x8000);
    expect_decode(0x3FBF8000, 0, 1279, 0x8000);
    expect_decode(0x400D0000, 0, 77, 0x10000);
    expect_decode(0x40400000, 0, 128, 0x10000);
    expect_decode(0x40800000, 0, 192, 0x10000);
    load("esp32s2", NULL);
    expect_decode(0x3F500000, 0, 336, 0x10000);
    expect_decode(0x3F000000, 0, 128, 0x10000);
    load("esp32s3", NULL);
    expect_decode(0x3C010000, 0, 1, 0x10000);
    expect_decode(0x42010000, 0, 1, 0x10000);
    expect_decode(0x43FF0000, 0, 511, 0x10000);
    load("esp32c6", "flash_size=2M");
    expect_decode(0x42008000, 0, 1, 0x8000);
    load("esp32p4", NULL);
    expect_decode(0x48000000, 1, 0, 0x10000);
    expect_decode(0x43FF0000, 0, 1023, 0x10000);
}
END_TEST

START_TEST(every_window_decodes_inside_its_mmu)
{
    for (size_t i = 0; i < chipdef_builtin_count(); i++) {
        load(chipdef_builtin_name(i), NULL);
        for (uint32_t w = 0; w < chip.window_count; w++) {
            const chipdef_window_t *win = &chip.windows[w];
            uint32_t last = win->vaddr + win->size - 1;
            mmu_decode_t a, b;
            ck_assert(mmu_decode(&chip, win->vaddr, &a) && a.window == win);
            ck_assert(mmu_decode(&chip, last, &b) && b.window == win);
            ck_assert_uint_eq(a.entry, win->entry_base);
            ck_assert_uint_eq(b.entry, win->entry_base + win->size / win->page_size - 1);
            ck_assert_uint_lt(b.entry, chip.mmus[win->mmu].entries);
            ck_assert_uint_eq(b.offset, win->page_size - 1);
            ck_assert(!mmu_decode(&chip, win->vaddr - 1, &a) || a.window != win);
        }
        ck_assert_ptr_null(mmu_window_of(&chip, 0x00000000));
    }
}
END_TEST

START_TEST(translation_per_cpu_and_per_target)
{
    mmu_t u;
    uint32_t paddr, target;
    load("esp32", NULL);
    ck_assert_int_eq(mmu_init(&u, &chip), 0);
    ck_assert_int_eq(mmu_translate(&u, 0, 0x3F400000, &paddr, &target), MMU_XLATE_INVALID_ENTRY);
    ck_assert_int_eq(mmu_translate(&u, 0, 0x10000000, &paddr, &target), MMU_XLATE_NO_WINDOW);
    mmu_write_entry(&u, 0, 0, 1152 + 3, mmu_encode(&chip.mmus[0], CHIPDEF_TARGET_PSRAM, 0x90));
    ck_assert_int_eq(mmu_translate(&u, 0, 0x3F818004, &paddr, &target), MMU_XLATE_OK);
    ck_assert_uint_eq(paddr, 0x90 * 0x8000 + 4);
    ck_assert_uint_eq(target, CHIPDEF_TARGET_PSRAM);
    /* The APP CPU has its own table: not written, still invalid. */
    ck_assert_int_eq(mmu_translate(&u, 1, 0x3F818004, &paddr, &target), MMU_XLATE_INVALID_ENTRY);
    ck_assert_uint_eq(u.entry_writes, 1);
    mmu_fini(&u);

    load("esp32p4", NULL);
    ck_assert_int_eq(mmu_init(&u, &chip), 0);
    mmu_write_entry(&u, 1, 0, 2, mmu_encode(&chip.mmus[1], CHIPDEF_TARGET_PSRAM, 7));
    ck_assert_int_eq(mmu_translate(&u, 1, 0x48020010, &paddr, &target), MMU_XLATE_OK);
    ck_assert_uint_eq(paddr, 0x70010);
    ck_assert_uint_eq(target, CHIPDEF_TARGET_PSRAM);
    ck_assert_int_eq(mmu_translate(&u, 0, 0x40020010, &paddr, &target), MMU_XLATE_INVALID_ENTRY);
    mmu_unmap_all(&u);
    ck_assert_int_eq(mmu_translate(&u, 1, 0x48020010, &paddr, &target), MMU_XLATE_INVALID_ENTRY);
    mmu_fini(&u);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("mmu");
    TCase *t = tcase_create("mmu");
    tcase_add_test(t, encodings_match_the_registers);
    tcase_add_test(t, entry_ids_follow_the_reference);
    tcase_add_test(t, every_window_decodes_inside_its_mmu);
    tcase_add_test(t, translation_per_cpu_and_per_target);
    suite_add_tcase(s, t);
    return mmsim_check_run(s);
}
