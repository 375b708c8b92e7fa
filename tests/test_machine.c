/* test_machine.c - building every chip's machine: cache instances per core,
 * stores sized from the config, and sparse memory before any access. */
#include <check.h>

#include "check_main.h"
#include "sim_fixture.h"

START_TEST(every_chip_builds_and_frees)
{
    for (size_t i = 0; i < chipdef_builtin_count(); i++) {
        machine_t *m = build(chipdef_builtin_name(i), NULL, 0);
        ck_assert_uint_eq(store_size(m->flash), m->chip.config.flash_size);
        ck_assert((m->psram != NULL) == (m->chip.config.psram_size != 0));
        machine_free(m);
    }
}
END_TEST

START_TEST(esp32_has_a_cache_per_cpu_and_s3_shares)
{
    machine_t *m = build("esp32", NULL, 0);
    ck_assert_ptr_nonnull(m->caches[0][0]);
    ck_assert_ptr_nonnull(m->caches[0][1]);
    ck_assert_ptr_ne(m->caches[0][0], m->caches[0][1]);
    machine_free(m);
    m = build("esp32s3", NULL, 0);
    ck_assert_ptr_eq(m->caches[1][0], m->caches[1][1]);
    machine_free(m);
}
END_TEST

START_TEST(largest_chip_stays_small_before_any_access)
{
    /* 16 MB flash and 32 MB PSRAM: well under 1 MB of host memory until used. */
    const char *sets[] = {"flash_size=16M", "psram_size=32M"};
    machine_t *m = build("esp32s3", sets, 2);
    ck_assert_uint_eq(store_size(m->psram), 32u << 20);
    ck_assert_uint_lt(machine_resident_bytes(m), 1u << 20);
    machine_free(m);
    const char *p4[] = {"flash_size=64M", "psram_size=64M"};
    m = build("esp32p4", p4, 2);
    ck_assert_uint_lt(machine_resident_bytes(m), 1u << 20);
    machine_free(m);
}
END_TEST

START_TEST(flash_starts_erased)
{
    machine_t *m = build("esp32c3", NULL, 0);
    uint8_t b[4];
    ck_assert_int_eq(store_read(m->flash, 0x110000, b, 4), 0);
    ck_assert_uint_eq(b[0] & b[1] & b[2] & b[3], 0xFF);
    machine_free(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("machine");
    TCase *t = tcase_create("machine");
    tcase_add_test(t, every_chip_builds_and_frees);
    tcase_add_test(t, esp32_has_a_cache_per_cpu_and_s3_shares);
    tcase_add_test(t, largest_chip_stays_small_before_any_access);
    tcase_add_test(t, flash_starts_erased);
    suite_add_tcase(s, t);
    return mmsim_check_run(s);
}
