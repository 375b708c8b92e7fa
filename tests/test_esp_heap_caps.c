/* test_esp_heap_caps.c - the capability heap: what boot registers per chip, first fit,
 * alignment, splitting and coalescing, the size queries, bad frees (an abort hazard,
 * never a host crash), region registration errors, and one heap per simulated chip. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check_main.h"

#include "esp_cache.h"
#include "esp_dma_utils.h"
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
    /* The internal RAM is the other heap, and the DMA-capable one. */
    ck_assert_uint_eq(heap_caps_get_total_size(MALLOC_CAP_INTERNAL), 480u << 10);
    ck_assert_uint_eq(heap_caps_get_total_size(MALLOC_CAP_DMA), 480u << 10);
    ck_assert_uint_eq(V(heap_caps_malloc(16, MALLOC_CAP_DMA)), 0x3FC88000u);
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
    ck_assert_uint_eq(V(heap_caps_malloc(4, MALLOC_CAP_8BIT)), 0x3FC80000u); /* SOC_DMA_LOW */
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

static void open_version(const char *chip, const char *version)
{
    teardown();
    mmsim_config_t cfg = mmsim_config_default(chip);
    cfg.idf_version = version;
    ck_assert_msg(mmsim_open(&cfg, &m) == 0, "%s", mmsim_last_error());
}

/* ESP-IDF's rule for DMA buffers: the data cache line of where they come from, for the
 * address and the size; a PSRAM one is served by the PSRAM heap without the DMA bit.
 * Before v5.3 nothing adjusts and no heap is SPIRAM | DMA. */
START_TEST(dma_buffers_take_the_cache_line)
{
    open_chip("esp32s3"); /* D-cache lines of 32 bytes; internal RAM uncached */
    void *pad = heap_caps_malloc(4, SPIRAM);  /* so that the next block would be unaligned */
    void *p = heap_caps_malloc(100, SPIRAM | MALLOC_CAP_DMA);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq(V(p) % 32, 0);
    ck_assert_uint_eq(heap_caps_get_allocated_size(p), 128);
    uint32_t paddr, target;
    ck_assert_int_eq(mmsim_translate(m, 0, V(p), &paddr, &target), 0);
    ck_assert_uint_eq(target, MMSIM_TARGET_PSRAM);
    void *q = heap_caps_malloc(100, MALLOC_CAP_DMA); /* internal: no line to follow */
    ck_assert_uint_eq(heap_caps_get_allocated_size(q), 100);
    void *r = heap_caps_malloc(10, MALLOC_CAP_CACHE_ALIGNED | SPIRAM);
    ck_assert_uint_eq(V(r) % 32, 0);
    ck_assert_uint_eq(heap_caps_get_allocated_size(r), 32);
    heap_caps_free(pad);
    open_chip("esp32p4"); /* L2 lines of 64 bytes in front of PSRAM */
    ck_assert_uint_eq(heap_caps_get_allocated_size(heap_caps_malloc(1, SPIRAM | MALLOC_CAP_DMA)), 64);
    open_version("esp32s3", "v5.2.0");
    ck_assert_ptr_null(heap_caps_malloc(100, SPIRAM | MALLOC_CAP_DMA));
    ck_assert_uint_eq(heap_caps_get_allocated_size(heap_caps_malloc(5, MALLOC_CAP_DMA)), 8);
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
}
END_TEST

/* calloc zeroes by CPU stores: on a write-back cache the zeroes sit dirty in the cache,
 * and a DMA reading the buffer sees what PSRAM held (ESP-IDF issue 13293). */
START_TEST(calloc_zeroes_sit_in_the_cache)
{
    open_chip("esp32s3");
    uint8_t junk[64], got[64], zero[64] = {0};
    memset(junk, 0xA5, sizeof junk);
    uint32_t paddr, target;
    void *probe = heap_caps_malloc(64, SPIRAM | MALLOC_CAP_DMA);
    ck_assert_int_eq(mmsim_translate(m, 0, V(probe), &paddr, &target), 0);
    heap_caps_free(probe);
    ck_assert_int_eq(mmsim_dma_write(m, MMSIM_TARGET_PSRAM, paddr, junk, 64), 0);
    void *p = heap_caps_calloc(16, 4, SPIRAM | MALLOC_CAP_DMA);
    ck_assert_ptr_eq(p, probe);
    ck_assert_int_eq(mmsim_cpu_read(m, 0, V(p), got, 64), 0);
    ck_assert_mem_eq(got, zero, 64); /* the CPU sees its zeroes */
    ck_assert_int_eq(mmsim_dma_read(m, MMSIM_TARGET_PSRAM, paddr, got, 64), 0);
    ck_assert_mem_eq(got, junk, 64); /* DMA does not */
    ck_assert_uint_eq(mmsim_hazard_count_kind(m, MMSIM_HAZARD_DMA_STALE), 2); /* one per dirty line */
    ck_assert_int_eq(esp_cache_msync(p, 64, ESP_CACHE_MSYNC_FLAG_DIR_C2M), ESP_OK);
    ck_assert_int_eq(mmsim_dma_read(m, MMSIM_TARGET_PSRAM, paddr, got, 64), 0);
    ck_assert_mem_eq(got, zero, 64);
    ck_assert_ptr_null(heap_caps_calloc(SIZE_MAX / 2, 4, SPIRAM)); /* n * size overflows */
}
END_TEST

/* realloc: in place while the next chunk is free, else a move whose copy the CPU does;
 * NULL is malloc, size 0 is free. */
START_TEST(realloc_in_place_or_by_copy)
{
    open_chip("esp32s3");
    uint8_t *a = heap_caps_realloc(NULL, 8, SPIRAM);
    ck_assert_ptr_nonnull(a);
    const uint8_t bytes[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    ck_assert_int_eq(mmsim_cpu_write(m, 0, V(a), bytes, 8), 0);
    ck_assert_ptr_eq(heap_caps_realloc(a, 64, SPIRAM), a); /* grows into the free rest */
    ck_assert_uint_eq(heap_caps_get_allocated_size(a), 64);
    void *wall = heap_caps_malloc(4, SPIRAM);
    ck_assert_uint_eq(V(wall), V(a) + 64);
    uint64_t before = mmsim_cycles(m, 0);
    uint8_t *b = heap_caps_realloc(a, 128, SPIRAM);
    ck_assert_uint_eq(V(b), V(wall) + 4); /* moved past the wall */
    ck_assert_uint_gt(mmsim_cycles(m, 0), before); /* the copy ran on the CPU */
    uint8_t got[8];
    ck_assert_int_eq(mmsim_cpu_read(m, 1, V(b), got, 8), 0);
    ck_assert_mem_eq(got, bytes, 8);
    ck_assert_ptr_eq(heap_caps_malloc(4, SPIRAM), a); /* the old block was freed */
    ck_assert_ptr_eq(heap_caps_realloc(b, 16, SPIRAM), b); /* shrinks in place */
    ck_assert_ptr_null(heap_caps_realloc(b, 0, SPIRAM));
    ck_assert_uint_eq(heap_caps_get_allocated_size(b), 0);
    ck_assert_ptr_null(heap_caps_realloc(wall, 1u << 30, SPIRAM)); /* no room: untouched */
    ck_assert_uint_eq(heap_caps_get_allocated_size(wall), 4);
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
}
END_TEST

static size_t failed_size;
static uint32_t failed_caps;
static char failed_in[48];

static void on_failed(size_t size, uint32_t caps, const char *function)
{
    failed_size = size, failed_caps = caps;
    snprintf(failed_in, sizeof failed_in, "%s", function);
}

/* Aligned, prefer, the failed-allocation hook and the low-water mark. */
START_TEST(aligned_prefer_hook_and_minimum)
{
    open_chip("esp32s3");
    ck_assert_ptr_null(heap_caps_aligned_alloc(3, 16, SPIRAM));
    ck_assert_ptr_null(heap_caps_aligned_alloc(0, 16, SPIRAM));
    ck_assert_ptr_null(heap_caps_aligned_alloc(256, 0, SPIRAM));
    heap_caps_malloc(4, SPIRAM);
    void *a = heap_caps_aligned_alloc(256, 16, SPIRAM);
    ck_assert_uint_eq(V(a) % 256, 0);
    void *z = heap_caps_aligned_calloc(64, 4, 4, MALLOC_CAP_INTERNAL);
    ck_assert_uint_eq(V(z) % 64, 0);
    heap_caps_free(a);
    heap_caps_aligned_free(z);
    /* No heap is SPIRAM and INTERNAL: the second choice serves. */
    void *p = heap_caps_malloc_prefer(32, 2, SPIRAM | MALLOC_CAP_INTERNAL, MALLOC_CAP_INTERNAL);
    ck_assert_uint_ge(V(p), 0x3FC88000u);
    ck_assert_uint_lt(V(p), 0x3FD00000u);
    void *c = heap_caps_calloc_prefer(2, 8, 1, SPIRAM);
    ck_assert_uint_eq(heap_caps_get_allocated_size(c), 16);
    ck_assert_int_eq(heap_caps_register_failed_alloc_callback(NULL), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(heap_caps_register_failed_alloc_callback(on_failed), ESP_OK);
    ck_assert_ptr_null(heap_caps_malloc(1u << 30, SPIRAM));
    ck_assert_uint_eq(failed_size, 1u << 30);
    ck_assert_uint_eq(failed_caps, SPIRAM);
    ck_assert_str_eq(failed_in, "heap_caps_malloc");
    ck_assert_ptr_null(heap_caps_malloc_prefer(1u << 30, 2, SPIRAM, MALLOC_CAP_INTERNAL));
    ck_assert_uint_eq(failed_caps, MALLOC_CAP_INTERNAL); /* the last one tried */
    ck_assert_str_eq(failed_in, "heap_caps_malloc_prefer");
    size_t min = heap_caps_get_minimum_free_size(MALLOC_CAP_INTERNAL);
    void *big = heap_caps_malloc(100000, MALLOC_CAP_INTERNAL);
    heap_caps_free(big);
    ck_assert_uint_eq(heap_caps_get_minimum_free_size(MALLOC_CAP_INTERNAL), min - 100000);
    ck_assert_uint_gt(heap_caps_get_free_size(MALLOC_CAP_INTERNAL), min - 100000);
}
END_TEST

/* ESP-IDF v5.3-v5.5's helper: the larger of the DMA's and the cache's alignment. */
START_TEST(esp_dma_capable_malloc_aligns_to_both)
{
    open_chip("esp32s3");
    esp_dma_mem_info_t psram = {.extra_heap_caps = SPIRAM, .dma_alignment_bytes = 64};
    void *p = NULL;
    size_t actual = 0;
    ck_assert_int_eq(esp_dma_capable_malloc(100, &psram, &p, &actual), ESP_OK);
    ck_assert_uint_eq(V(p) % 64, 0);
    ck_assert_uint_eq(actual, 128);
    uint32_t paddr, target;
    ck_assert_int_eq(mmsim_translate(m, 0, V(p), &paddr, &target), 0);
    ck_assert_uint_eq(target, MMSIM_TARGET_PSRAM);
    esp_dma_mem_info_t internal = {.dma_alignment_bytes = 4};
    ck_assert_int_eq(esp_dma_capable_calloc(3, 10, &internal, &p, &actual), ESP_OK);
    ck_assert_uint_eq(actual, 32);
    ck_assert_uint_lt(V(p) - 0x3FC88000u, 480u << 10);
    ck_assert_int_eq(esp_dma_capable_malloc(4, NULL, &p, NULL), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(esp_dma_capable_malloc(4, &internal, NULL, NULL), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(esp_dma_capable_calloc(SIZE_MAX, 2, &internal, &p, NULL), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(esp_dma_capable_malloc(1u << 30, &internal, &p, NULL), ESP_ERR_NO_MEM);
}
END_TEST

/* Random sequences of every allocating call keep the bookkeeping whole (checked by the
 * invariant check after each call) and every live block's bytes its own. */
START_TEST(random_sequences_keep_the_heap_whole)
{
    open_chip("esp32p4");
    enum { LIVE = 32 };
    void *live[LIVE] = {0};
    uint8_t tag[LIVE] = {0};
    const uint32_t caps[] = {SPIRAM, SPIRAM | MALLOC_CAP_DMA, MALLOC_CAP_INTERNAL, MALLOC_CAP_DMA, MALLOC_CAP_8BIT};
    uint32_t seed = 12345;
    char why[256];
    for (int step = 0; step < 3000; step++) {
        seed = seed * 1103515245u + 12345u;
        uint32_t k = (seed >> 8) % LIVE, c = caps[(seed >> 16) % 5], size = 1 + (seed >> 20) % 3000;
        uint32_t op = (seed >> 4) % 5;
        if (op == 4) {
            heap_caps_free(live[k]);
            live[k] = NULL;
        } else if (op == 3 && live[k]) {
            void *q = heap_caps_realloc(live[k], size, c);
            live[k] = q ? q : live[k]; /* a failed realloc leaves the block */
        } else if (!live[k]) {
            live[k] = op == 0   ? heap_caps_malloc(size, c)
                      : op == 1 ? heap_caps_calloc(1, size, c)
                                : heap_caps_aligned_alloc(1u << ((seed >> 12) % 9), size, c);
        }
        if (live[k]) { /* mark the block: a later overlap would change it */
            tag[k] = (uint8_t)step;
            ck_assert_int_eq(mmsim_cpu_write(m, 0, V(live[k]), &tag[k], 1), 0);
        }
        ck_assert_msg(mmsim_check_invariants(m, why, sizeof why) == 0, "step %d: %s", step, why);
    }
    for (int k = 0; k < LIVE; k++)
        if (live[k]) {
            uint8_t b;
            ck_assert_int_eq(mmsim_cpu_read(m, 1, V(live[k]), &b, 1), 0);
            ck_assert_uint_eq(b, tag[k]);
            heap_caps_free(live[k]);
        }
    ck_assert_uint_eq(heap_caps_get_free_size(0), heap_caps_get_total_size(0));
    ck_assert_uint_eq(mmsim_hazard_count_kind(m, MMSIM_HAZARD_ABORT), 0);
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
    tcase_add_test(t, dma_buffers_take_the_cache_line);
    tcase_add_test(t, calloc_zeroes_sit_in_the_cache);
    tcase_add_test(t, realloc_in_place_or_by_copy);
    tcase_add_test(t, aligned_prefer_hook_and_minimum);
    tcase_add_test(t, esp_dma_capable_malloc_aligns_to_both);
    tcase_add_test(t, random_sequences_keep_the_heap_whole);
    tcase_add_test(t, bad_free_is_an_abort_and_frees_nothing);
    tcase_add_test(t, region_registration_errors);
    tcase_add_test(t, each_chip_has_its_own_heap);
    suite_add_tcase(s, t);
    return mmsim_check_run(s);
}
