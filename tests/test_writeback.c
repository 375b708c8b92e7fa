/* test_writeback.c - where a write-back goes, and what DMA does under the caches
 * (issue 17, first two sections), through the embedding API and the driver, as a user's
 * test would: for each case the bytes each physical page ends up holding and the
 * hazard records, in order, with their addresses.
 *
 * The caches hold virtual tags, so a dirty line is written back through the mapping in
 * force when it is written back: ESP32 himem (a store after unmap lands in the bank
 * mapped next), ESP32-S3 and ESP32-P4 (a remap that skips the cache maintenance, an
 * unmap that leaves a dirty line, and what esp_mmu_map's own invalidate does instead).
 * Then the DMA hazards: a write under a dirty line, a write-back over DMA's bytes, a
 * transfer covering part of a line the CPU wrote. */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check_main.h"

#include "esp32/himem.h"
#include "esp_cache.h"
#include "esp_log.h"
#include "esp_mmu_map.h"
#include "hal/cache_hal.h"
#include "hal/cache_ll.h"
#include "hal/mmu_hal.h"
#include "mmsim.h"

#define PSRAM MMSIM_TARGET_PSRAM
#define BLK ESP_HIMEM_BLKSZ
#define V(ptr) ((uint32_t)(uintptr_t)(ptr))
#define P(addr) ((void *)(uintptr_t)(addr))

static mmsim_t *m;
static int invariant_failures; /* found after a test; fails the run */

static void teardown(void)
{
    char why[256];
    if (m && mmsim_check_invariants(m, why, sizeof why)) {
        fprintf(stderr, "invariant broken at the end of a test: %s\n", why);
        invariant_failures++;
    }
    mmsim_close(m);
    m = NULL;
    esp_log_capture_end();
}

static void open_chip(const char *chip)
{
    mmsim_config_t cfg = mmsim_config_default(chip);
    ck_assert_msg(mmsim_open(&cfg, &m) == 0, "%s", mmsim_last_error());
    esp_log_capture_begin();
    esp_log_capture_quiet(true);
}

static void cpu_wr(uint32_t vaddr, const void *b, uint32_t n) { ck_assert_int_eq(mmsim_cpu_write(m, 0, vaddr, b, n), 0); }
static void cpu_rd(uint32_t vaddr, void *b, uint32_t n) { ck_assert_int_eq(mmsim_cpu_read(m, 0, vaddr, b, n), 0); }
static void dma_wr(uint32_t paddr, const void *b, uint32_t n)
{
    ck_assert_int_eq(mmsim_dma_write(m, PSRAM, paddr, b, n), 0);
}

/* PSRAM at `paddr` holds `n` bytes of `want` (read behind every cache). */
static void expect_psram(uint32_t paddr, const void *want, uint32_t n)
{
    uint8_t got[256];
    ck_assert_int_eq(mmsim_dma_read(m, PSRAM, paddr, got, n), 0);
    for (uint32_t i = 0; i < n; i++)
        ck_assert_msg(got[i] == ((const uint8_t *)want)[i], "psram 0x%08x: byte %u is 0x%02x, expected 0x%02x",
                      paddr, i, got[i], ((const uint8_t *)want)[i]);
}

/* The CPU reads `want` at vaddr. */
static void expect_cpu(uint32_t vaddr, const void *want, uint32_t n)
{
    uint8_t got[256];
    cpu_rd(vaddr, got, n);
    ck_assert_msg(!memcmp(got, want, n), "cpu read at 0x%08x differs", vaddr);
}

/* The log holds exactly the kinds listed (in order, `n` of them); else it is printed. */
static void expect_kinds(size_t n, const mmsim_hazard_kind_t *kinds)
{
    bool same = mmsim_hazard_count(m) == n;
    for (size_t i = 0; same && i < n; i++)
        same = mmsim_hazard_get(m, i)->kind == kinds[i];
    if (same)
        return;
    char line[400];
    for (size_t i = 0; i < mmsim_hazard_count(m); i++)
        printf("  %s\n", mmsim_hazard_format(mmsim_hazard_get(m, i), line, sizeof line));
    ck_abort_msg("%zu records (printed above), expected %zu%s%s", mmsim_hazard_count(m), n, n ? ", the first " : "",
                 n ? mmsim_hazard_name(kinds[0]) : "");
}
#define EXPECT_KINDS(...)                                                           \
    do {                                                                            \
        const mmsim_hazard_kind_t k_[] = {__VA_ARGS__};                             \
        expect_kinds(sizeof k_ / sizeof k_[0], k_);                                 \
    } while (0)
#define EXPECT_NO_HAZARD() expect_kinds(0, NULL)

/* Record `i` is at this site; its sentence mentions `text`. */
static const mmsim_hazard_t *expect_site(size_t i, uint32_t vaddr, uint32_t paddr, const char *cache,
                                         const char *text)
{
    const mmsim_hazard_t *h = mmsim_hazard_get(m, i);
    ck_assert_ptr_nonnull(h);
    ck_assert_msg(h->vaddr == vaddr, "record %zu: vaddr 0x%08x, expected 0x%08x", i, h->vaddr, vaddr);
    ck_assert_msg(h->paddr == paddr, "record %zu: paddr 0x%08x, expected 0x%08x", i, h->paddr, paddr);
    ck_assert_uint_eq(h->target, PSRAM);
    if (cache) {
        mmsim_cache_info_t ci;
        ck_assert_int_eq(mmsim_cache_info(m, (uint32_t)h->cache, &ci), 0);
        ck_assert_str_eq(ci.name, cache);
    }
    ck_assert_msg(strstr(h->detail, text), "record %zu: \"%s\" lacks \"%s\"", i, h->detail, text);
    return h;
}

static uint32_t cache_named(const char *name)
{
    for (uint32_t i = 0; i < mmsim_cache_count(m); i++) {
        mmsim_cache_info_t ci;
        if (mmsim_cache_info(m, i, &ci) == 0 && !strcmp(ci.name, name))
            return i;
    }
    ck_abort_msg("no cache %s", name);
    return 0;
}

static const uint8_t STORE[4] = {0xde, 0xad, 0xbe, 0xef}, ZERO[64];

/* ---- ESP32 himem: the sweep writes a late store into the bank mapped next ---------- */

START_TEST(himem_store_after_unmap_lands_in_the_next_bank)
{
    open_chip("esp32");
    esp_himem_handle_t h;
    esp_himem_rangehandle_t r;
    ck_assert_int_eq(esp_himem_alloc(2 * BLK, &h), ESP_OK);
    ck_assert_int_eq(esp_himem_alloc_map_range(BLK, &r), ESP_OK);
    void *p, *q;
    ck_assert_int_eq(esp_himem_map(h, r, 0, 0, BLK, 0, &p), ESP_OK);
    uint32_t a = 0, t = 0;
    ck_assert_int_eq(mmsim_translate(m, 0, V(p), &a, &t), 0); /* bank 0 */
    ck_assert_int_eq(esp_himem_unmap(r, p, BLK), ESP_OK);
    EXPECT_NO_HAZARD();

    /* A store through the page after the unmap: its entry still reaches bank 0, the line
     * is filled from there and sits dirty in the cache. */
    cpu_wr(V(p) + 64, STORE, 4);
    EXPECT_KINDS(MMSIM_HAZARD_USE_AFTER_UNMAP);
    mmsim_hazard_clear(m);
    /* Bank 1 at the same page: map writes both CPUs' entries and touches no cache. */
    ck_assert_int_eq(esp_himem_map(h, r, BLK, 0, BLK, 0, &q), ESP_OK);
    ck_assert_ptr_eq(q, p);
    uint32_t b = 0;
    ck_assert_int_eq(mmsim_translate(m, 0, V(p), &b, &t), 0);
    ck_assert_uint_eq(b, a + BLK);
    EXPECT_NO_HAZARD();
    /* The next unmap's sweep evicts the dirty line: through today's entry, into bank 1. */
    mmsim_set_step(m, 5);
    ck_assert_int_eq(esp_himem_unmap(r, p, BLK), ESP_OK);
    EXPECT_KINDS(MMSIM_HAZARD_WRITEBACK_REMAPPED);
    const mmsim_hazard_t *rec = expect_site(0, V(p) + 64, b + 64, "cache", "where the MMU maps it now");
    ck_assert_uint_eq(rec->step, 5);
    char fill[16];
    snprintf(fill, sizeof fill, "0x%08x", a + 64);
    ck_assert_msg(strstr(rec->detail, fill), "the record names the fill address too: %s", rec->detail);
    expect_psram(b + 64, STORE, 4); /* bank 1 got the store... */
    expect_psram(a + 64, ZERO, 4);  /* ...and bank 0 never did */

    /* Through the API: bank 1 shows the store, bank 0 does not. */
    mmsim_hazard_clear(m);
    ck_assert_int_eq(esp_himem_map(h, r, BLK, 0, BLK, 0, &q), ESP_OK);
    expect_cpu(V(q) + 64, STORE, 4);
    ck_assert_int_eq(esp_himem_unmap(r, q, BLK), ESP_OK);
    ck_assert_int_eq(esp_himem_map(h, r, 0, 0, BLK, 0, &q), ESP_OK);
    expect_cpu(V(q) + 64, ZERO, 4);
    ck_assert_int_eq(esp_himem_unmap(r, q, BLK), ESP_OK);
    EXPECT_NO_HAZARD();
}
END_TEST

/* ---- ESP32-S3 and ESP32-P4: esp_mmu_unmap / esp_mmu_map and a remap by the HAL ------ */

#define PA_A 0x100000u
#define PA_B 0x200000u

/* esp_mmu_map of 64 KB of PSRAM at PA_A, the store, and the cache's line of it dirty. */
static uint32_t map_and_store(void)
{
    void *p;
    ck_assert_int_eq(esp_mmu_map(PA_A, 0x10000, MMU_TARGET_PSRAM0, MMU_MEM_CAP_READ | MMU_MEM_CAP_WRITE | MMU_MEM_CAP_8BIT,
                                 0, &p),
                     ESP_OK);
    cpu_wr(V(p), STORE, 4);
    EXPECT_NO_HAZARD();
    return V(p);
}

/* Remap the page of p from A to B as code that bypasses esp_mmu_map would: MMU entries
 * only, no cache maintenance.  The driver still thinks A is there: unmap_remapped puts
 * its bookkeeping and the MMU back in agreement before the end-of-test invariants. */
static void remap_by_hal(uint32_t p)
{
    uint32_t id = mmu_hal_get_id_from_vaddr(p), out = 0;
    mmu_hal_unmap_region(id, p, 0x10000);
    mmu_hal_map_region(id, MMU_TARGET_PSRAM0, p, PA_B, 0x10000, &out);
    ck_assert_uint_eq(out, 0x10000);
    EXPECT_NO_HAZARD();
}

static void unmap_remapped(uint32_t p) { ck_assert_int_eq(esp_mmu_unmap(P(p)), ESP_OK); }

START_TEST(esp_mmu_map_at_the_same_vaddr_drops_the_dirty_line)
{
    /* What ESP-IDF's driver does: esp_mmu_unmap does no cache maintenance, and the next
     * esp_mmu_map of the range invalidates it (cache_hal_invalidate_addr), so the dirty
     * line never reaches the new page: its write is lost, and said so. */
    open_chip(_i ? "esp32p4" : "esp32s3");
    uint32_t p = map_and_store();
    ck_assert_int_eq(esp_mmu_unmap(P(p)), ESP_OK);
    void *q;
    ck_assert_int_eq(esp_mmu_map(PA_B, 0x10000, MMU_TARGET_PSRAM0, MMU_MEM_CAP_READ | MMU_MEM_CAP_WRITE | MMU_MEM_CAP_8BIT,
                                 0, &q),
                     ESP_OK);
    ck_assert_uint_eq(V(q), p);
    EXPECT_KINDS(MMSIM_HAZARD_LOST_WRITE);
    ck_assert_int_eq(esp_cache_msync(q, 64, ESP_CACHE_MSYNC_FLAG_DIR_C2M), ESP_OK);
    EXPECT_KINDS(MMSIM_HAZARD_LOST_WRITE);
    expect_psram(PA_B, ZERO, 4);
    expect_psram(PA_A, ZERO, 4);
}
END_TEST

START_TEST(s3_write_back_by_address_after_a_remap_writes_the_new_page)
{
    open_chip("esp32s3");
    uint32_t p = map_and_store();
    remap_by_hal(p);
    /* The write-back esp_cache_msync's C2M does, called as the HAL (the driver's own
     * bookkeeping, which the remap went around, is not consulted). */
    ck_assert(cache_hal_writeback_addr(p, 32));
    EXPECT_KINDS(MMSIM_HAZARD_WRITEBACK_REMAPPED);
    expect_site(0, p, PA_B, "dcache", "where the MMU maps it now");
    expect_psram(PA_B, STORE, 4);
    expect_psram(PA_A, ZERO, 4);
    /* The line is clean now but still says it holds A: a read of it is reported stale. */
    mmsim_hazard_clear(m);
    expect_cpu(p, STORE, 4);
    EXPECT_KINDS(MMSIM_HAZARD_STALE_READ);
    unmap_remapped(p);
}
END_TEST

START_TEST(s3_eviction_after_a_remap_writes_the_new_page)
{
    open_chip("esp32s3");
    uint32_t p = map_and_store();
    remap_by_hal(p);
    /* Loads of the lines that share p's set (the cache's size over its ways apart) evict
     * it, the oldest; its write-back goes through the new mapping. */
    mmsim_cache_info_t ci;
    ck_assert_int_eq(mmsim_cache_info(m, cache_named("dcache"), &ci), 0);
    uint32_t stride = ci.size / ci.ways;
    uint8_t b[4];
    for (uint32_t w = 1; w <= ci.ways; w++)
        cpu_rd(p + w * stride, b, 4);
    EXPECT_KINDS(MMSIM_HAZARD_WRITEBACK_REMAPPED);
    ck_assert_str_eq(mmsim_hazard_get(m, 0)->cause, "cpu read");
    expect_site(0, p, PA_B, "dcache", "where the MMU maps it now");
    expect_psram(PA_B, STORE, 4);
    expect_psram(PA_A, ZERO, 4);    unmap_remapped(p);
}
END_TEST

START_TEST(write_back_after_esp_mmu_unmap_meets_an_invalid_entry)
{
    /* esp_mmu_unmap leaves the dirty line; a write-back of the whole cache before the
     * range is mapped again meets the invalid entry: the chip takes an MMU entry fault
     * and the bytes go nowhere (before, the model wrote them to the old page). */
    open_chip(_i ? "esp32p4" : "esp32s3");
    uint32_t p = map_and_store();
    ck_assert_int_eq(esp_mmu_unmap(P(p)), ESP_OK);
    cache_ll_writeback_all(CACHE_LL_LEVEL_EXT_MEM, CACHE_TYPE_ALL, CACHE_LL_ID_ALL);
    /* P4: the L1 line goes into L2 (same vaddr, no MMU), then L2's meets the entry. */
    EXPECT_KINDS(MMSIM_HAZARD_WRITEBACK_UNMAPPED);
    expect_site(0, p, PA_A, _i ? "l2" : "dcache", "invalid MMU entry");
    expect_psram(PA_A, ZERO, 4);
    /* The line is clean: nothing more is written back later. */
    mmsim_hazard_clear(m);
    cache_ll_writeback_all(CACHE_LL_LEVEL_EXT_MEM, CACHE_TYPE_ALL, CACHE_LL_ID_ALL);
    EXPECT_NO_HAZARD();
}
END_TEST

START_TEST(p4_l2_write_back_after_a_remap_writes_the_new_page)
{
    /* P4: L1 and L2 are tagged with the same virtual address and the MMU sits below L2.
     * The write-back writes the L1 line into L2's line of that vaddr (both filled from A: no
     * hazard there), then L2's line to where the MMU maps the vaddr now. */
    open_chip("esp32p4");
    uint32_t p = map_and_store();
    remap_by_hal(p);
    ck_assert(cache_hal_writeback_addr(p, 64));
    EXPECT_KINDS(MMSIM_HAZARD_WRITEBACK_REMAPPED);
    expect_site(0, p, PA_B, "l2", "where the MMU maps it now");
    expect_psram(PA_B, STORE, 4);
    expect_psram(PA_A, ZERO, 4);    unmap_remapped(p);
}
END_TEST

/* ---- DMA under the caches ------------------------------------------------------------- */

#define PA_DMA 0x40000u

/* The vaddr the boot's PSRAM mapping gives PA_DMA, and its data cache's line size. */
static uint32_t dma_setup(const char *chip, const char *dcache, uint32_t *line)
{
    open_chip(chip);
    void *v;
    ck_assert_int_eq(esp_mmu_paddr_to_vaddr(PA_DMA, MMU_TARGET_PSRAM0, MMU_VADDR_DATA, &v), ESP_OK);
    mmsim_cache_info_t ci;
    ck_assert_int_eq(mmsim_cache_info(m, cache_named(dcache), &ci), 0);
    *line = ci.line_size;
    return V(v);
}

START_TEST(dma_write_under_a_dirty_line_then_its_write_back_overwrites_it)
{
    /* The CPU fills a whole line (dirty), DMA writes the whole line beneath it: the
     * store has DMA's bytes, the CPU still reads its own, and the C2M that follows puts
     * the CPU's back over DMA's (both reported). */
    uint32_t ls;
    uint32_t v = dma_setup(_i ? "esp32p4" : "esp32s3", _i ? "l1d" : "dcache", &ls);
    uint8_t cpu[64], dma[64];
    memset(cpu, 0x11, sizeof cpu);
    memset(dma, 0xd0, sizeof dma);
    cpu_wr(v, cpu, ls);
    dma_wr(PA_DMA, dma, ls);
    EXPECT_KINDS(MMSIM_HAZARD_DMA_WRITE_DIRTY);
    expect_site(0, v, PA_DMA, _i ? "l1d" : "dcache", "its write-back will overwrite the new bytes");
    ck_assert_str_eq(mmsim_hazard_get(m, 0)->cause, "dma write");
    expect_psram(PA_DMA, dma, ls);
    mmsim_hazard_clear(m);
    expect_cpu(v, cpu, 4); /* the CPU's own old bytes: the line went stale under it */
    EXPECT_KINDS(MMSIM_HAZARD_STALE_READ);
    mmsim_hazard_clear(m);
    ck_assert_int_eq(esp_cache_msync(P(v), ls, ESP_CACHE_MSYNC_FLAG_DIR_C2M), ESP_OK);
    EXPECT_KINDS(MMSIM_HAZARD_WRITEBACK_OVER_DMA);
    expect_site(0, v, PA_DMA, _i ? "l2" : "dcache", "the received bytes are lost");
    expect_psram(PA_DMA, cpu, ls);
}
END_TEST

START_TEST(camera_frame_overwritten_by_a_neighbour_write_back)
{
    /* esp32-camera's second failure mode: the CPU read the frame buffer earlier (a clean
     * line), DMA brings a new frame in, the CPU stores one byte of its own in that line
     * (no M2C in between) and the line's write-back puts the old frame back. */
    uint32_t ls;
    uint32_t v = dma_setup("esp32s3", "dcache", &ls);
    uint8_t b[64], frame[64], after[64];
    cpu_rd(v, b, 4);
    memset(frame, 0xca, sizeof frame);
    dma_wr(PA_DMA, frame, ls); /* a whole line under a clean one: legal, no record */
    EXPECT_NO_HAZARD();
    const uint8_t mark = 0x5a;
    cpu_wr(v + ls - 1, &mark, 1);
    EXPECT_NO_HAZARD();
    ck_assert_int_eq(esp_cache_msync(P(v), ls, ESP_CACHE_MSYNC_FLAG_DIR_C2M), ESP_OK);
    EXPECT_KINDS(MMSIM_HAZARD_WRITEBACK_OVER_DMA);
    char where[32];
    snprintf(where, sizeof where, "0x%08x+%u", PA_DMA, ls);
    expect_site(0, v, PA_DMA, "dcache", where);
    memset(after, 0, sizeof after); /* what the CPU's line held: zeroes, and its byte */
    after[ls - 1] = mark;
    expect_psram(PA_DMA, after, ls);
}
END_TEST

START_TEST(dma_write_into_part_of_a_line_the_cpu_wrote)
{
    /* The buffer is the first half of a line; the CPU wrote the other half (a
     * neighbour's variable).  DMA fills the buffer: dma_write_dirty and dma_unaligned.
     * Neither msync saves both: M2C (of the whole line: esp_cache_msync refuses an
     * unaligned M2C) drops the CPU's half, a write-back would put the old buffer bytes
     * over DMA's. */
    uint32_t ls;
    uint32_t v = dma_setup(_i ? "esp32p4" : "esp32s3", _i ? "l1d" : "dcache", &ls);
    uint32_t half = ls / 2;
    uint8_t mine[64], dma[64], want[64];
    memset(mine, 0x77, sizeof mine);
    memset(dma, 0xd1, sizeof dma);
    cpu_wr(v + half, mine, half);
    EXPECT_NO_HAZARD();
    dma_wr(PA_DMA, dma, half);
    EXPECT_KINDS(MMSIM_HAZARD_DMA_WRITE_DIRTY, MMSIM_HAZARD_DMA_UNALIGNED);
    expect_site(1, v, PA_DMA, _i ? "l1d" : "dcache", "shares a cache line with bytes the CPU wrote");
    memcpy(want, dma, half);
    memset(want + half, 0, half);
    expect_psram(PA_DMA, want, ls); /* DMA's half in memory, the CPU's half still in the cache */
    mmsim_hazard_clear(m);
    ck_assert_int_eq(esp_cache_msync(P(v), ls, ESP_CACHE_MSYNC_FLAG_DIR_M2C), ESP_OK);
    EXPECT_KINDS(MMSIM_HAZARD_LOST_WRITE);
    expect_cpu(v, want, ls);
}
END_TEST

START_TEST(dma_read_of_part_of_a_line_the_cpu_wrote)
{
    uint32_t ls;
    uint32_t v = dma_setup("esp32s3", "dcache", &ls);
    uint8_t mine[64], got[64];
    memset(mine, 0x66, sizeof mine);
    cpu_wr(v + 8, mine, 8); /* bytes 8..15 of the line */
    /* DMA reads bytes 16..47: the head of the range shares the first line. */
    ck_assert_int_eq(mmsim_dma_read(m, PSRAM, PA_DMA + 16, got, 32), 0);
    EXPECT_KINDS(MMSIM_HAZARD_DMA_STALE, MMSIM_HAZARD_DMA_UNALIGNED);
    expect_site(1, v, PA_DMA, "dcache", "DMA read of psram 0x00040010+32");
    /* After the write-back the line is clean: an unaligned read of it shares nothing at
     * risk and is not reported. */
    mmsim_hazard_clear(m);
    ck_assert_int_eq(esp_cache_msync(P(v), ls, ESP_CACHE_MSYNC_FLAG_DIR_C2M), ESP_OK);
    ck_assert_int_eq(mmsim_dma_read(m, PSRAM, PA_DMA + 8, got, 8), 0);
    ck_assert_mem_eq(got, mine, 8);
    EXPECT_NO_HAZARD();
}
END_TEST

static Suite *writeback_suite(void)
{
    Suite *s = suite_create("writeback");
    TCase *t = tcase_create("where a write-back goes");
    tcase_add_checked_fixture(t, NULL, teardown);
    tcase_add_test(t, himem_store_after_unmap_lands_in_the_next_bank);
    tcase_add_loop_test(t, esp_mmu_map_at_the_same_vaddr_drops_the_dirty_line, 0, 2);
    tcase_add_test(t, s3_write_back_by_address_after_a_remap_writes_the_new_page);
    tcase_add_test(t, s3_eviction_after_a_remap_writes_the_new_page);
    tcase_add_loop_test(t, write_back_after_esp_mmu_unmap_meets_an_invalid_entry, 0, 2);
    tcase_add_test(t, p4_l2_write_back_after_a_remap_writes_the_new_page);
    suite_add_tcase(s, t);
    t = tcase_create("dma");
    tcase_add_checked_fixture(t, NULL, teardown);
    tcase_add_loop_test(t, dma_write_under_a_dirty_line_then_its_write_back_overwrites_it, 0, 2);
    tcase_add_test(t, camera_frame_overwritten_by_a_neighbour_write_back);
    tcase_add_loop_test(t, dma_write_into_part_of_a_line_the_cpu_wrote, 0, 2);
    tcase_add_test(t, dma_read_of_part_of_a_line_the_cpu_wrote);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    int rc = mmsim_check_run(writeback_suite());
    return rc || invariant_failures ? 1 : 0;
}
