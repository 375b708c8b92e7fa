/* test_mmsim.c - the embedding API: open/close, argument checking, the access
 * entry points, hazard listing, inspection and saving flash. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "hal/mmu_hal.h"
#include "mmsim.h"

static mmsim_t *open_chip(const char *name)
{
    mmsim_config_t cfg = mmsim_config_default(name);
    mmsim_t *m = NULL;
    ck_assert_msg(mmsim_open(&cfg, &m) == 0, "%s", mmsim_last_error());
    return m;
}

START_TEST(open_close_many_times_and_select)
{
    for (int i = 0; i < 200; i++) {
        mmsim_t *m = open_chip(i % 2 ? "esp32p4" : "esp32");
        ck_assert_ptr_eq(mmsim_current(), m);
        mmsim_close(m);
        ck_assert_ptr_null(mmsim_current());
    }
    mmsim_t *a = open_chip("esp32s3"), *b = open_chip("esp32c3");
    ck_assert_ptr_eq(mmsim_select(a), b);
    ck_assert_ptr_eq(mmsim_current(), a);
    mmsim_close(b); /* not current: a stays selected */
    ck_assert_ptr_eq(mmsim_current(), a);
    mmsim_close(a);
    mmsim_close(NULL);
}
END_TEST

START_TEST(bad_open_leaves_out_untouched)
{
    mmsim_config_t cfg = mmsim_config_default("esp9000");
    mmsim_t *m = (mmsim_t *)&cfg;
    ck_assert_int_lt(mmsim_open(&cfg, &m), 0);
    ck_assert_ptr_eq(m, (mmsim_t *)&cfg);
    ck_assert_ptr_nonnull(strstr(mmsim_last_error(), "esp9000"));
    cfg = mmsim_config_default("esp32s3");
    cfg.flash_image = "/nonexistent/image.bin";
    ck_assert_int_lt(mmsim_open(&cfg, &m), 0);
    ck_assert_ptr_nonnull(strstr(mmsim_last_error(), "/nonexistent/image.bin"));
}
END_TEST

START_TEST(access_arguments_are_checked)
{
    mmsim_t *m = open_chip("esp32c3");
    uint8_t b[8];
    ck_assert_int_lt(mmsim_cpu_read(m, 1, 0x3C000000, b, 4), 0); /* C3 has one core */
    ck_assert_ptr_nonnull(strstr(mmsim_last_error(), "core 1"));
    ck_assert_int_lt(mmsim_cpu_read(m, 0, 0x3C000000, NULL, 4), 0);
    ck_assert_int_lt(mmsim_cpu_read(m, 0, 0xFFFFFFFC, b, 8), 0);
    ck_assert_int_eq(mmsim_cpu_read(m, 0, 0xFFFFFFFC, b, 4), 0);
    ck_assert_int_lt(mmsim_flash_write(m, 4u << 20, b, 1), 0);
    ck_assert_ptr_nonnull(strstr(mmsim_last_error(), "outside"));
    ck_assert_int_lt(mmsim_flash_erase(m, 0x800, 4096), 0);
    ck_assert_ptr_nonnull(strstr(mmsim_last_error(), "aligned"));
    ck_assert_int_lt(mmsim_dma_read(m, MMSIM_TARGET_PSRAM, 0, b, 4), 0);
    ck_assert_ptr_nonnull(strstr(mmsim_last_error(), "no PSRAM"));
    ck_assert_int_lt(mmsim_dma_read(m, 7, 0, b, 4), 0);
    mmsim_close(m);
}
END_TEST

START_TEST(map_with_the_hal_then_read_write_and_inspect)
{
    mmsim_t *m = open_chip("esp32s3");
    uint32_t out_len = 0;
    mmu_hal_map_region(0, MMU_TARGET_PSRAM0, 0x3C100000, 0x20000, 0x10000, &out_len);
    ck_assert_uint_eq(out_len, 0x10000);
    uint32_t paddr = 0, target = 0;
    ck_assert_int_eq(mmsim_translate(m, 0, 0x3C100010, &paddr, &target), 0);
    ck_assert_uint_eq(paddr, 0x20010);
    ck_assert_uint_eq(target, MMSIM_TARGET_PSRAM);
    uint32_t w = 0x600DF00D, r = 0;
    ck_assert_int_eq(mmsim_cpu_write(m, 1, 0x3C100010, &w, 4), 0);
    ck_assert_int_eq(mmsim_cpu_read(m, 0, 0x3C100010, &r, 4), 0);
    ck_assert_uint_eq(r, w);
    ck_assert_uint_gt(mmsim_cycles(m, 1), 0);
    ck_assert_uint_gt(mmsim_time_ns(m, 1), 0);
    /* HAL work is charged to the driver core. */
    uint64_t c0 = mmsim_cycles(m, 0), c1 = mmsim_cycles(m, 1);
    ck_assert_int_eq(mmsim_set_driver_core(m, 1), 0);
    mmu_hal_unmap_region(0, 0x3C200000, 0x10000);
    ck_assert_uint_eq(mmsim_cycles(m, 0), c0);
    ck_assert_uint_gt(mmsim_cycles(m, 1), c1);
    ck_assert_int_lt(mmsim_set_driver_core(m, 2), 0);

    /* The D-cache holds one dirty line with the bytes. */
    uint32_t dc = 0;
    mmsim_cache_info_t info;
    for (uint32_t i = 0; i < mmsim_cache_count(m); i++) {
        ck_assert_int_eq(mmsim_cache_info(m, i, &info), 0);
        if (!strcmp(info.name, "dcache"))
            dc = i;
    }
    ck_assert_int_eq(mmsim_cache_info(m, dc, &info), 0);
    mmsim_cache_stats_t st;
    ck_assert_int_eq(mmsim_cache_stats(m, dc, 0, &st), 0);
    ck_assert_uint_eq(st.fills, 1);
    ck_assert_uint_eq(st.hits, 1);
    int found = 0;
    for (uint32_t i = 0; i < info.sets * info.ways; i++) {
        mmsim_cache_line_t l;
        ck_assert_int_eq(mmsim_cache_line(m, dc, 0, i, &l), 0);
        if (l.valid) {
            found++;
            ck_assert(l.dirty);
            ck_assert_uint_eq(l.key, 0x3C100000);
            ck_assert_uint_eq(l.paddr, 0x20000);
            ck_assert_mem_eq(l.data + 0x10, &w, 4);
        }
    }
    ck_assert_int_eq(found, 1);
    ck_assert_int_lt(mmsim_cache_line(m, dc, 0, info.sets * info.ways, &(mmsim_cache_line_t){0}), 0);

    /* The MMU entry reads like the register: S3 PSRAM bit 15, page 2. */
    mmsim_mmu_entry_t e;
    ck_assert_int_eq(mmsim_mmu_entry(m, 0, 0, 0x10, &e), 0);
    ck_assert_uint_eq(e.raw, 0x8002);
    ck_assert(e.valid);
    ck_assert_uint_eq(e.paddr, 0x20000);
    ck_assert_int_lt(mmsim_mmu_entry(m, 0, 1, 0, &e), 0); /* one shared table */
    mmsim_close(m);
}
END_TEST

START_TEST(hazards_are_listed_formatted_and_cleared)
{
    mmsim_t *m = open_chip("esp32s3");
    uint32_t v;
    mmsim_set_step(m, 7);
    ck_assert_int_eq(mmsim_cpu_read(m, 0, 0x3D000000, &v, 4), 0); /* past the app and the PSRAM heap */
    ck_assert_uint_eq(v, 0xdeadbeef);
    ck_assert_uint_eq(mmsim_hazard_count(m), 1);
    ck_assert_uint_eq(mmsim_hazard_count_kind(m, MMSIM_HAZARD_UNMAPPED_ACCESS), 1);
    const mmsim_hazard_t *h = mmsim_hazard_get(m, 0);
    ck_assert_ptr_nonnull(h);
    ck_assert_int_eq(h->kind, MMSIM_HAZARD_UNMAPPED_ACCESS);
    ck_assert_uint_eq(h->step, 7);
    ck_assert_str_eq(h->cause, "cpu read");
    char line[400];
    mmsim_hazard_format(h, line, sizeof line);
    ck_assert_ptr_nonnull(strstr(line, "step 7: unmapped_access"));
    ck_assert_ptr_nonnull(strstr(line, "0x3d000000"));
    ck_assert_ptr_null(mmsim_hazard_get(m, 1));
    mmsim_hazard_clear(m);
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
    for (int k = 0; k < MMSIM_HAZARD_KIND_COUNT; k++)
        ck_assert_int_eq(mmsim_hazard_from_name(mmsim_hazard_name((mmsim_hazard_kind_t)k)), k);
    ck_assert_int_eq(mmsim_hazard_from_name("nope"), MMSIM_ERR_ARG);
    mmsim_close(m);
}
END_TEST

START_TEST(flash_save_writes_only_the_named_file)
{
    char dir[] = "/tmp/mmsim-test-XXXXXX", img[64], out[64];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(img, sizeof img, "%s/in.bin", dir);
    snprintf(out, sizeof out, "%s/out.bin", dir);
    FILE *f = fopen(img, "wb");
    ck_assert_ptr_nonnull(f);
    fputs("ABCD", f);
    fclose(f);
    mmsim_config_t cfg = mmsim_config_default("esp32c3");
    cfg.flash_image = img;
    cfg.flash_size = 1u << 20;
    mmsim_t *m;
    ck_assert_int_eq(mmsim_open(&cfg, &m), 0);
    ck_assert_int_eq(mmsim_flash_write(m, 0, "\x01", 1), 0);
    ck_assert_int_eq(mmsim_flash_save(m, out), 0);
    mmsim_close(m);
    char b[5] = {0};
    f = fopen(img, "rb"); /* the input image is untouched */
    ck_assert_uint_eq(fread(b, 1, 4, f), 4);
    fclose(f);
    ck_assert_str_eq(b, "ABCD");
    f = fopen(out, "rb");
    ck_assert_uint_eq(fread(b, 1, 4, f), 4);
    fseek(f, 0, SEEK_END);
    ck_assert_int_eq(ftell(f), 1 << 20);
    fclose(f);
    ck_assert_uint_eq((uint8_t)b[0], 'A' & 0x01);
    unlink(img);
    unlink(out);
    rmdir(dir);
}
END_TEST

START_TEST(largest_configuration_is_cheap_until_used)
{
    mmsim_config_t cfg = mmsim_config_default("esp32p4");
    cfg.psram_size = 32u << 20;
    cfg.flash_size = 16u << 20;
    mmsim_t *m;
    ck_assert_int_eq(mmsim_open(&cfg, &m), 0);
    ck_assert_uint_lt(mmsim_resident_bytes(m), 1u << 20);
    mmsim_close(m);
}
END_TEST

static Suite *mmsim_suite(void)
{
    Suite *s = suite_create("mmsim");
    TCase *t = tcase_create("api");
    tcase_add_test(t, open_close_many_times_and_select);
    tcase_add_test(t, bad_open_leaves_out_untouched);
    tcase_add_test(t, access_arguments_are_checked);
    tcase_add_test(t, map_with_the_hal_then_read_write_and_inspect);
    tcase_add_test(t, hazards_are_listed_formatted_and_cleared);
    tcase_add_test(t, flash_save_writes_only_the_named_file);
    tcase_add_test(t, largest_configuration_is_cheap_until_used);
    suite_add_tcase(s, t);
    return s;
}

int main(void) { return mmsim_check_run(mmsim_suite()); }
