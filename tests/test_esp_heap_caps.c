/* test_esp_heap_caps.c - the capability heap: what boot registers per chip, first fit,
 * alignment, splitting and coalescing, the size queries, bad frees (an abort hazard,
 * never a host crash), region registration errors, and one heap per simulated chip. */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "check_main.h"

#include "esp_heap_caps.h"
#include "mmsim.h"

#define V(ptr) ((uint32_t)(uintptr_t)(ptr))
#define SPIRAM MALLOC_CAP_SPIRAM

static mmsim_t *m;

static void teardown(void)
{
    mmsim_close(m);
    m = NULL;
}

static void open_chip(const char *chip)
{
    teardown();
    mmsim_config_t cfg = mmsim_config_default(chip);
    ck_assert_msg(mmsim_open(&cfg, &m) == 0, "%s", mmsim_last_error());
}

START_TEST(boot_registers_the_psram_heap)
{
    open_chip("esp32s3"); /* 8 MB of PSRAM, all of it mapped at boot */
    size_t total = heap_caps_get_total_size(SPIRAM);
    ck_assert_uint_gt(total, 0);
    ck_assert_uint_eq(heap_caps_get_free_size(SPIRAM | MALLOC_CAP_8BIT | MALLOC_CAP_32BIT), total);
    ck_assert_uint_eq(heap_caps_get_total_size(MALLOC_CAP_INTERNAL), 0); /* not simulated */
    ck_assert_ptr_null(heap_caps_malloc(16, MALLOC_CAP_INTERNAL));
    ck_assert_ptr_null(heap_caps_malloc(16, MALLOC_CAP_DMA));
    /* A block is mapped PSRAM the CPU reads and writes. */
    void *p = heap_caps_malloc(100, SPIRAM);
    ck_assert_ptr_nonnull(p);
    uint32_t w = 0x12345678u, back = 0, paddr = 0, target = 0;
    ck_assert_int_eq(mmsim_cpu_write(m, 0, V(p), &w, 4), 0);
    ck_assert_int_eq(mmsim_cpu_read(m, 1, V(p), &back, 4), 0);
    ck_assert_uint_eq(back, w);
    ck_assert_int_eq(mmsim_translate(m, 0, V(p), &paddr, &target), 0);
    ck_assert_uint_eq(target, MMSIM_TARGET_PSRAM);
    heap_caps_free(p);
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
    /* ESP32-S2: the word-only region is a heap without MALLOC_CAP_8BIT. */
    open_chip("esp32s2");
    size_t any = heap_caps_get_total_size(SPIRAM), bytes = heap_caps_get_total_size(SPIRAM | MALLOC_CAP_8BIT);
    ck_assert_uint_gt(bytes, 0);
    ck_assert_uint_ge(any, bytes);
    /* No PSRAM, no heap. */
    teardown();
    mmsim_config_t cfg = mmsim_config_default("esp32c3");
    ck_assert_int_eq(mmsim_open(&cfg, &m), 0);
    ck_assert_uint_eq(heap_caps_get_total_size(SPIRAM), 0);
    ck_assert_ptr_null(heap_caps_malloc(4, SPIRAM));
}
END_TEST

START_TEST(first_fit_alignment_split_and_coalesce)
{
    open_chip("esp32");
    size_t total = heap_caps_get_free_size(SPIRAM);
    ck_assert_ptr_null(heap_caps_malloc(0, SPIRAM));
    void *a = heap_caps_malloc(5, SPIRAM), *b = heap_caps_malloc(8, SPIRAM), *c = heap_caps_malloc(64, SPIRAM);
    ck_assert_uint_eq(V(a), 0x3F800000u); /* the heap starts at the window */
    ck_assert_uint_eq(V(b), V(a) + 8);    /* 5 bytes take 8: blocks are 4-byte aligned */
    ck_assert_uint_eq(V(c), V(b) + 8);
    ck_assert_uint_eq(heap_caps_get_free_size(SPIRAM), total - 80);
    heap_caps_free(a);
    void *d = heap_caps_malloc(4, SPIRAM); /* first fit: a's old place */
    ck_assert_uint_eq(V(d), V(a));
    void *e = heap_caps_malloc(8, SPIRAM); /* does not fit the 4 bytes left there */
    ck_assert_uint_eq(V(e), V(c) + 64);
    heap_caps_free(d);
    heap_caps_free(c);
    ck_assert_uint_lt(heap_caps_get_largest_free_block(SPIRAM), total);
    heap_caps_free(b); /* merges with both neighbours */
    heap_caps_free(e);
    ck_assert_uint_eq(heap_caps_get_largest_free_block(SPIRAM), total);
    ck_assert_uint_eq(heap_caps_get_free_size(SPIRAM), total);
    ck_assert_ptr_null(heap_caps_malloc(total + 1, SPIRAM));
    void *all = heap_caps_malloc(total, SPIRAM);
    ck_assert_ptr_nonnull(all);
    ck_assert_uint_eq(heap_caps_get_free_size(SPIRAM), 0);
    ck_assert_ptr_null(heap_caps_malloc(1, SPIRAM));
    heap_caps_free(NULL); /* nothing */
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
}
END_TEST

START_TEST(bad_free_is_an_abort_and_frees_nothing)
{
    open_chip("esp32s3");
    void *a = heap_caps_malloc(64, SPIRAM);
    size_t free_before = heap_caps_get_free_size(SPIRAM);
    heap_caps_free((char *)a + 4);         /* inside a block */
    heap_caps_free((void *)(uintptr_t)16); /* outside every heap */
    ck_assert_uint_eq(mmsim_hazard_count_kind(m, MMSIM_HAZARD_ABORT), 2);
    ck_assert_ptr_nonnull(strstr(mmsim_hazard_get(m, 0)->detail, "is not an allocated block"));
    ck_assert_uint_eq(heap_caps_get_free_size(SPIRAM), free_before);
    heap_caps_free(a);
    heap_caps_free(a); /* double free */
    ck_assert_uint_eq(mmsim_hazard_count_kind(m, MMSIM_HAZARD_ABORT), 3);
}
END_TEST

START_TEST(region_registration_errors)
{
    open_chip("esp32s3");
    const uint32_t caps[3] = {SPIRAM, 0, MALLOC_CAP_8BIT};
    size_t total = heap_caps_get_total_size(SPIRAM);
    ck_assert_int_eq(heap_caps_add_region_with_caps(NULL, 0x1000, 0x2000), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(heap_caps_add_region_with_caps(caps, 0x2000, 0x2000), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(heap_caps_add_region_with_caps(caps, 0x1001, 0x1003), ESP_ERR_INVALID_ARG); /* no aligned word */
    void *p = heap_caps_malloc(4, SPIRAM);
    ck_assert_int_eq(heap_caps_add_region_with_caps(caps, (intptr_t)V(p), (intptr_t)V(p) + 64), ESP_FAIL);
    ck_assert_int_eq(heap_caps_add_region_with_caps(caps, 0x1000, 0x2000), ESP_OK);
    ck_assert_uint_eq(heap_caps_get_total_size(SPIRAM), total + 0x1000);
}
END_TEST

START_TEST(each_chip_has_its_own_heap)
{
    mmsim_config_t cfg = mmsim_config_default("esp32s3");
    mmsim_t *a, *b;
    ck_assert_int_eq(mmsim_open(&cfg, &a), 0);
    ck_assert_int_eq(mmsim_open(&cfg, &b), 0); /* b current */
    size_t total = heap_caps_get_free_size(SPIRAM);
    void *pb = heap_caps_malloc(1024, SPIRAM);
    mmsim_select(a);
    ck_assert_uint_eq(heap_caps_get_free_size(SPIRAM), total);
    void *pa = heap_caps_malloc(1024, SPIRAM);
    ck_assert_ptr_eq(pa, pb); /* the same first block, in another chip */
    mmsim_select(b);
    ck_assert_uint_eq(heap_caps_get_free_size(SPIRAM), total - 1024);
    mmsim_close(a);
    mmsim_close(b);
    ck_assert_uint_eq(heap_caps_get_total_size(SPIRAM), 0); /* none current */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("esp_heap_caps");
    TCase *t = tcase_create("heap");
    tcase_add_checked_fixture(t, NULL, teardown);
    tcase_add_test(t, boot_registers_the_psram_heap);
    tcase_add_test(t, first_fit_alignment_split_and_coalesce);
    tcase_add_test(t, bad_free_is_an_abort_and_frees_nothing);
    tcase_add_test(t, region_registration_errors);
    tcase_add_test(t, each_chip_has_its_own_heap);
    suite_add_tcase(s, t);
    return mmsim_check_run(s);
}
