/* test_rom_cache.c - the ROM cache routines code calls instead of esp_cache_msync
 * (sim/hal_rom_cache.c; issue 17), through the embedding API as a user's test would:
 * a store into PSRAM through the cache, then what each routine makes DMA (or the CPU)
 * see, with the hazard records; the line sizes against the chip definitions; whole-
 * cache routines; and every routine called on a chip whose ROM lacks it.
 *
 * The ESP32-S2/S3 and C-chip routines are called by their ESP-IDF names from the
 * S3 and C3 headers.  The P4 routines take a cache map and are called, as on a P4, by
 * the same ESP-IDF names once esp32p4/rom/cache.h is included (half-way down: from
 * there on those names mean the P4 routines). */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check_main.h"

#include "esp32/rom/cache.h"
#include "esp32c3/rom/cache.h"
#include "esp32s3/rom/cache.h"
#include "esp_log.h"
#include "hal/cache_hal.h"
#include "esp_mmu_map.h"
#include "mmsim.h"

#define PSRAM MMSIM_TARGET_PSRAM
#define FLASH MMSIM_TARGET_FLASH
#define V(ptr) ((uint32_t)(uintptr_t)(ptr))

static mmsim_t *m;
static int invariant_failures;

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

static void open_chip_at(const char *chip, const char *idf_version)
{
    mmsim_config_t cfg = mmsim_config_default(chip);
    cfg.idf_version = idf_version;
    ck_assert_msg(mmsim_open(&cfg, &m) == 0, "%s", mmsim_last_error());
    esp_log_capture_begin();
    esp_log_capture_quiet(true);
}

static void open_chip(const char *chip) { open_chip_at(chip, NULL); }

/* The data vaddr at which the PSRAM heap mapping of boot reaches PSRAM `paddr`. */
static uint32_t psram_vaddr(uint32_t paddr)
{
    void *v = NULL;
    ck_assert_int_eq(esp_mmu_paddr_to_vaddr(paddr, MMU_TARGET_PSRAM0, MMU_VADDR_DATA, &v), ESP_OK);
    return V(v);
}

static void cpu_wr(uint32_t vaddr, const void *b, uint32_t n) { ck_assert_int_eq(mmsim_cpu_write(m, 0, vaddr, b, n), 0); }
static void cpu_rd(uint32_t vaddr, void *b, uint32_t n) { ck_assert_int_eq(mmsim_cpu_read(m, 0, vaddr, b, n), 0); }

/* What DMA reads at PSRAM `paddr` is `want` (behind every cache). */
static void expect_dma(uint32_t paddr, const void *want, uint32_t n)
{
    uint8_t got[256];
    ck_assert_int_eq(mmsim_dma_read(m, PSRAM, paddr, got, n), 0);
    for (uint32_t i = 0; i < n; i++)
        ck_assert_msg(got[i] == ((const uint8_t *)want)[i], "DMA at psram 0x%08x: byte %u is 0x%02x, expected 0x%02x",
                      paddr, i, got[i], ((const uint8_t *)want)[i]);
}

/* What the CPU reads at vaddr is `want`. */
static void expect_cpu(uint32_t vaddr, const void *want, uint32_t n)
{
    uint8_t got[256];
    cpu_rd(vaddr, got, n);
    for (uint32_t i = 0; i < n; i++)
        ck_assert_msg(got[i] == ((const uint8_t *)want)[i], "CPU at 0x%08x: byte %u is 0x%02x, expected 0x%02x", vaddr,
                      i, got[i], ((const uint8_t *)want)[i]);
}

/* The log holds exactly the kinds listed, in order; else it is printed. */
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
/* A DMA read of part of a line a cache holds dirty (the 4-byte reads here). */
#define DMA_STALE_PART MMSIM_HAZARD_DMA_STALE, MMSIM_HAZARD_DMA_UNALIGNED

/* Record `i` was raised by `cause`, at (vaddr, paddr) when paddr is not ~0, and its
 * sentence holds `text`. */
static void expect_record(size_t i, const char *cause, uint32_t vaddr, uint32_t paddr, const char *text)
{
    const mmsim_hazard_t *h = mmsim_hazard_get(m, i);
    ck_assert_ptr_nonnull(h);
    ck_assert_str_eq(h->cause, cause);
    if (paddr != UINT32_MAX) {
        ck_assert_msg(h->vaddr == vaddr, "record %zu: vaddr 0x%08x, expected 0x%08x", i, h->vaddr, vaddr);
        ck_assert_msg(h->paddr == paddr, "record %zu: paddr 0x%08x, expected 0x%08x", i, h->paddr, paddr);
    }
    ck_assert_msg(strstr(h->detail, text), "record %zu: \"%s\" lacks \"%s\"", i, h->detail, text);
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

static uint32_t line_size_of(const char *cache)
{
    mmsim_cache_info_t ci;
    ck_assert_int_eq(mmsim_cache_info(m, cache_named(cache), &ci), 0);
    return ci.line_size;
}

static mmsim_cache_stats_t stats_of(const char *cache)
{
    mmsim_cache_stats_t s;
    ck_assert_int_eq(mmsim_cache_stats(m, cache_named(cache), 0, &s), 0);
    return s;
}

static const uint8_t OLD[4] = {0x00, 0x11, 0x22, 0x33}, NEW[4] = {0xca, 0xfe, 0xf0, 0x0d};

/* PSRAM at paddr holds OLD, and the CPU has stored NEW at its vaddr: a dirty line. */
static uint32_t dirty_psram_word(uint32_t paddr)
{
    ck_assert_int_eq(mmsim_dma_write(m, PSRAM, paddr, OLD, 4), 0);
    uint32_t v = psram_vaddr(paddr);
    cpu_wr(v, NEW, 4);
    mmsim_hazard_clear(m);
    return v;
}

/* ---- ESP32-S2 and ESP32-S3 ------------------------------------------------------- */

static const char *const s_chips[] = {"esp32s2", "esp32s3"};
#define S_CHIPS (int)(sizeof s_chips / sizeof s_chips[0])

START_TEST(s_writeback_addr_makes_dma_see_the_store)
{
    open_chip(s_chips[_i]);
    uint32_t v = dirty_psram_word(0x10000);
    expect_dma(0x10000, OLD, 4); /* still in the D-cache */
    EXPECT_KINDS(DMA_STALE_PART);
    mmsim_hazard_clear(m);

    uint64_t wb = stats_of("dcache").writebacks;
    ck_assert_int_eq(Cache_WriteBack_Addr(v, 4), 0);
    ck_assert_uint_eq(stats_of("dcache").writebacks, wb + 1);
    expect_dma(0x10000, NEW, 4);
    expect_cpu(v, NEW, 4); /* the line stays valid and clean: a hit */
    EXPECT_NO_HAZARD();
}
END_TEST

START_TEST(s_writeback_addr_takes_whole_lines)
{
    open_chip(s_chips[_i]);
    uint32_t ls = Cache_Get_DCache_Line_Size();
    uint32_t v = dirty_psram_word(0x20000);
    /* One byte at the end of the line: the whole line goes down, the word at its start too. */
    ck_assert_int_eq(Cache_WriteBack_Addr(v + ls - 1, 1), 0);
    expect_dma(0x20000, NEW, 4);
    EXPECT_NO_HAZARD();
    /* A zero size does nothing. */
    cpu_wr(v, OLD, 4);
    ck_assert_int_eq(Cache_WriteBack_Addr(v, 0), 0);
    expect_dma(0x20000, NEW, 4);
    EXPECT_KINDS(DMA_STALE_PART);
}
END_TEST

/* ESP_ROM_HAS_CACHE_WRITEBACK_BUG: on v5.1 an unaligned range goes to the S3 ROM's own
 * routine (a rom_errata record), from v5.1.1 to ESP-IDF's replacement; never on S2.
 * The bytes are the same in every case. */
START_TEST(s3_rom_writeback_erratum_by_release)
{
    static const struct {
        const char *chip, *version;
        bool erratum;
    } rows[] = {{"esp32s3", "v5.1", true}, {"esp32s3", "v5.1.1", false}, {"esp32s3", "master", false},
                {"esp32s2", "v5.1", false}};
    open_chip_at(rows[_i].chip, rows[_i].version);
    uint32_t ls = Cache_Get_DCache_Line_Size();
    uint32_t v = dirty_psram_word(0x30000);
    ck_assert_int_eq(Cache_WriteBack_Addr(v, ls), 0); /* aligned: never the erratum */
    EXPECT_NO_HAZARD();
    cpu_wr(v, OLD, 4);
    ck_assert_int_eq(Cache_WriteBack_Addr(v + 2, 1), 0);
    expect_dma(0x30000, OLD, 4);
    if (rows[_i].erratum) {
        EXPECT_KINDS(MMSIM_HAZARD_ROM_ERRATA);
        expect_record(0, "Cache_WriteBack_Addr", v + 2, ~0u, "ESP_ROM_HAS_CACHE_WRITEBACK_BUG");
        mmsim_hazard_clear(m);
        ck_assert(cache_hal_writeback_addr(v + 2, 1)); /* cache_ll calls the same ROM routine */
        EXPECT_KINDS(MMSIM_HAZARD_ROM_ERRATA);
    } else {
        EXPECT_NO_HAZARD();
    }
}
END_TEST

START_TEST(s_invalidate_addr_loses_a_dirty_line)
{
    open_chip(s_chips[_i]);
    uint32_t ls = Cache_Get_DCache_Line_Size();
    uint32_t v = dirty_psram_word(0x30000);
    /* Four bytes in the middle of the line: the whole line is dropped, the CPU's word
     * at its start with it. */
    ck_assert_int_eq(Cache_Invalidate_Addr(v + 8, 4), 0);
    EXPECT_KINDS(MMSIM_HAZARD_LOST_WRITE);
    expect_record(0, "Cache_Invalidate_Addr", v & ~(ls - 1), 0x30000, "invalidated while dirty");
    mmsim_hazard_clear(m);
    expect_cpu(v, OLD, 4); /* refilled from PSRAM */
    expect_dma(0x30000, OLD, 4);
    EXPECT_NO_HAZARD();
}
END_TEST

START_TEST(s_clean_addr_keeps_the_bytes_in_the_cache_only)
{
    open_chip(s_chips[_i]);
    uint32_t v = dirty_psram_word(0x40000);
    ck_assert_int_eq(Cache_Clean_Addr(v, 4), 0);
    EXPECT_KINDS(MMSIM_HAZARD_LOST_WRITE);
    expect_record(0, "Cache_Clean_Addr", v, 0x40000, "cleaned while dirty");
    mmsim_hazard_clear(m);
    expect_cpu(v, NEW, 4); /* the CPU still sees its store ... */
    expect_dma(0x40000, OLD, 4); /* ... memory never gets it, and DMA is not warned: the line is clean */
    EXPECT_NO_HAZARD();
    ck_assert_int_eq(Cache_WriteBack_Addr(v, 4), 0); /* nothing dirty left to write */
    expect_dma(0x40000, OLD, 4);
    ck_assert_int_eq(Cache_Invalidate_Addr(v, 4), 0); /* and dropping it now loses nothing more */
    EXPECT_NO_HAZARD();
    expect_cpu(v, OLD, 4);
}
END_TEST

START_TEST(s_whole_cache_routines)
{
    open_chip(s_chips[_i]);
    uint32_t a = dirty_psram_word(0x50000);
    cpu_wr(psram_vaddr(0x60000), NEW, 4);
    mmsim_hazard_clear(m);

    /* The I-cache holds none of it: the D-cache's dirty lines survive. */
    Cache_Invalidate_ICache_All();
    EXPECT_NO_HAZARD();
    Cache_WriteBack_All();
    expect_dma(0x50000, NEW, 4);
    expect_dma(0x60000, NEW, 4);
    EXPECT_NO_HAZARD();

    cpu_wr(a, OLD, 4);
    Cache_Clean_All();
    EXPECT_KINDS(MMSIM_HAZARD_LOST_WRITE);
    expect_record(0, "Cache_Clean_All", a, 0x50000, "cleaned while dirty");
    mmsim_hazard_clear(m);
    expect_dma(0x50000, NEW, 4);

    cpu_wr(a + 4, OLD, 4);
    Cache_Invalidate_DCache_All();
    EXPECT_KINDS(MMSIM_HAZARD_LOST_WRITE);
    expect_record(0, "Cache_Invalidate_DCache_All", a, 0x50000, "invalidated while dirty");
    mmsim_hazard_clear(m);
    const uint8_t zero[4] = {0};
    expect_cpu(a, NEW, 4); /* written back before */
    expect_cpu(a + 4, zero, 4);
    EXPECT_NO_HAZARD();
}
END_TEST

START_TEST(s_line_sizes_are_the_chip_definitions)
{
    open_chip(s_chips[_i]);
    ck_assert_uint_eq(Cache_Get_ICache_Line_Size(), line_size_of("icache"));
    ck_assert_uint_eq(Cache_Get_DCache_Line_Size(), line_size_of("dcache"));
    ck_assert_uint_eq(Cache_Get_ICache_Line_Size(), 32); /* Kconfig defaults, §5.3 */
    ck_assert_uint_eq(Cache_Get_DCache_Line_Size(), 32);
    EXPECT_NO_HAZARD();
}
END_TEST

START_TEST(s_suspend_dcache_until_resume)
{
    open_chip(s_chips[_i]);
    uint32_t v = dirty_psram_word(0x70000);
    ck_assert_uint_eq(Cache_Suspend_DCache(), 0);
    uint8_t b[4];
    cpu_rd(v, b, 4);
    EXPECT_KINDS(MMSIM_HAZARD_CACHE_DISABLED);
    mmsim_hazard_clear(m);
    Cache_Resume_DCache(0);
    expect_cpu(v, NEW, 4); /* the dirty line was kept */
    EXPECT_NO_HAZARD();
    /* The ICache's pair leaves data alone. */
    ck_assert_uint_eq(Cache_Suspend_ICache(), 0);
    expect_cpu(v, NEW, 4);
    Cache_Resume_ICache(0);
    EXPECT_NO_HAZARD();
}
END_TEST

/* ---- ESP32-C2, C3, C6, H2: one read-only cache in front of flash ------------------- */

static const char *const c_chips[] = {"esp32c2", "esp32c3", "esp32c6", "esp32h2"};
#define C_CHIPS (int)(sizeof c_chips / sizeof c_chips[0])

/* Flash at 0x110000 mapped for data, read once (cached), then programmed behind the
 * cache by SPI1: the cached line is stale. */
static uint32_t stale_flash_word(void)
{
    void *p = NULL;
    ck_assert_int_eq(esp_mmu_map(0x110000, 0x10000, MMU_TARGET_FLASH0, MMU_MEM_CAP_READ | MMU_MEM_CAP_8BIT, 0, &p),
                     ESP_OK);
    uint32_t v = V(p);
    const uint8_t erased[4] = {0xff, 0xff, 0xff, 0xff};
    expect_cpu(v, erased, 4);
    ck_assert_int_eq(mmsim_flash_write(m, 0x110000, NEW, 4), 0);
    expect_cpu(v, erased, 4);
    EXPECT_KINDS(MMSIM_HAZARD_STALE_READ);
    mmsim_hazard_clear(m);
    return v;
}

START_TEST(c_invalidate_addr_refetches_flash)
{
    open_chip(c_chips[_i]);
    uint32_t v = stale_flash_word();
    ck_assert_int_eq(Cache_Invalidate_Addr(v + 1, 1), 0); /* the line holding it, whole */
    expect_cpu(v, NEW, 4);
    EXPECT_NO_HAZARD();
}
END_TEST

START_TEST(c_invalidate_icache_all_refetches_flash)
{
    open_chip(c_chips[_i]);
    uint32_t v = stale_flash_word();
    uint64_t inv = stats_of("cache").invalidations;
    Cache_Invalidate_ICache_All();
    ck_assert_uint_gt(stats_of("cache").invalidations, inv);
    expect_cpu(v, NEW, 4);
    EXPECT_NO_HAZARD();
}
END_TEST

START_TEST(c_line_size_and_suspend)
{
    open_chip(c_chips[_i]);
    ck_assert_uint_eq(Cache_Get_ICache_Line_Size(), line_size_of("cache"));
    ck_assert_uint_eq(Cache_Get_ICache_Line_Size(), 32);
    uint32_t v = stale_flash_word();
    ck_assert_uint_eq(Cache_Suspend_ICache(), 0);
    uint8_t b[4];
    cpu_rd(v, b, 4);
    EXPECT_KINDS(MMSIM_HAZARD_CACHE_DISABLED);
    mmsim_hazard_clear(m);
    Cache_Resume_ICache(0);
    cpu_rd(v, b, 4);
    EXPECT_KINDS(MMSIM_HAZARD_STALE_READ); /* suspending kept the stale line */
}
END_TEST

/* ---- a routine the chip's ROM lacks ----------------------------------------------- */

/* One HAL_ASSERT record by `name`, naming the chip and the chips that have it. */
static void expect_refused(const char *name, const char *chip, const char *have)
{
    EXPECT_KINDS(MMSIM_HAZARD_HAL_ASSERT);
    expect_record(0, name, 0, UINT32_MAX, "HAL_ASSERT failed");
    char ours[64];
    snprintf(ours, sizeof ours, "the %s ROM has no %s", chip, name);
    expect_record(0, name, 0, UINT32_MAX, ours);
    expect_record(0, name, 0, UINT32_MAX, have);
    mmsim_hazard_clear(m);
}

START_TEST(c_chip_has_no_writeback_routines)
{
    open_chip("esp32c3");
    uint64_t cycles = mmsim_cycles(m, 0);
    ck_assert_int_eq(Cache_WriteBack_Addr(0x3C000000, 4), ESP_ROM_ERR_INVALID_ARG);
    expect_refused("Cache_WriteBack_Addr", "esp32c3", "ESP32-S2 and ESP32-S3");
    ck_assert_int_eq(Cache_Clean_Addr(0x3C000000, 4), ESP_ROM_ERR_INVALID_ARG);
    expect_refused("Cache_Clean_Addr", "esp32c3", "ESP32-S2 and ESP32-S3");
    Cache_WriteBack_All();
    expect_refused("Cache_WriteBack_All", "esp32c3", "ESP32-S2 and ESP32-S3");
    Cache_Invalidate_DCache_All();
    expect_refused("Cache_Invalidate_DCache_All", "esp32c3", "ESP32-S2 and ESP32-S3");
    ck_assert_uint_eq(Cache_Get_DCache_Line_Size(), 0);
    expect_refused("Cache_Get_DCache_Line_Size", "esp32c3", "ESP32-S2 and ESP32-S3");
    ck_assert_uint_eq(Cache_Suspend_DCache(), 0);
    expect_refused("Cache_Suspend_DCache", "esp32c3", "ESP32-S2 and ESP32-S3");
    ck_assert_uint_eq(mmsim_cycles(m, 0), cycles); /* nothing was done */
}
END_TEST

START_TEST(esp32_has_none_of_them)
{
    open_chip("esp32");
    ck_assert_int_eq(Cache_Invalidate_Addr(0x3F800000, 32), ESP_ROM_ERR_INVALID_ARG);
    expect_refused("Cache_Invalidate_Addr", "esp32", "ESP32-S2, S3, C2, C3, C6 and H2");
    ck_assert_uint_eq(Cache_Get_ICache_Line_Size(), 0);
    expect_refused("Cache_Get_ICache_Line_Size", "esp32", "ESP32-S2, S3, C2, C3, C6 and H2");
    /* Its own routine is still there. */
    Cache_Flush(0);
    EXPECT_NO_HAZARD();
}
END_TEST

START_TEST(p4_has_the_map_forms_only)
{
    open_chip("esp32p4");
    uint32_t v = dirty_psram_word(0x10000);
    ck_assert_int_eq(Cache_WriteBack_Addr(v, 4), ESP_ROM_ERR_INVALID_ARG);
    expect_refused("Cache_WriteBack_Addr", "esp32p4", "ESP32-S2 and ESP32-S3");
    Cache_WriteBack_All();
    expect_refused("Cache_WriteBack_All", "esp32p4", "ESP32-S2 and ESP32-S3");
    ck_assert_int_eq(Cache_Invalidate_Addr(v, 4), ESP_ROM_ERR_INVALID_ARG);
    expect_refused("Cache_Invalidate_Addr", "esp32p4", "ESP32-S2, S3, C2, C3, C6 and H2");
    ck_assert_uint_eq(Cache_Get_DCache_Line_Size(), 0);
    expect_refused("Cache_Get_DCache_Line_Size", "esp32p4", "ESP32-S2 and ESP32-S3");
    expect_cpu(v, NEW, 4);       /* the line is still dirty in L1 */
    expect_dma(0x10000, OLD, 4); /* and PSRAM without the store */
    EXPECT_KINDS(DMA_STALE_PART);
}
END_TEST

/* From here on the ESP-IDF names are the P4 routines, as in code built for a P4. */
#include "esp32p4/rom/cache.h"

START_TEST(s_chip_has_no_map_forms)
{
    open_chip("esp32s3");
    uint32_t v = dirty_psram_word(0x10000);
    ck_assert_int_eq(Cache_WriteBack_Addr(CACHE_MAP_L1_DCACHE, v, 4), ESP_ROM_ERR_INVALID_ARG);
    expect_refused("Cache_WriteBack_Addr", "esp32s3", "ESP32-P4");
    ck_assert_int_eq(Cache_Invalidate_All(CACHE_MAP_L1_DCACHE), ESP_ROM_ERR_INVALID_ARG);
    expect_refused("Cache_Invalidate_All", "esp32s3", "ESP32-P4");
    ck_assert_uint_eq(Cache_Get_L2_Cache_Line_Size(), 0);
    expect_refused("Cache_Get_L2_Cache_Line_Size", "esp32s3", "ESP32-P4");
    expect_dma(0x10000, OLD, 4); /* nothing written back, nothing dropped */
    EXPECT_KINDS(DMA_STALE_PART);
}
END_TEST

/* ---- ESP32-P4: the cache map says which caches ------------------------------------ */

START_TEST(p4_writeback_l1_alone_stops_in_l2)
{
    open_chip("esp32p4");
    uint32_t v = dirty_psram_word(0x10000);
    uint64_t l1 = stats_of("l1d").writebacks, l2 = stats_of("l2").writebacks;

    ck_assert_int_eq(Cache_WriteBack_Addr(CACHE_MAP_L1_DCACHE, v, 4), 0);
    ck_assert_uint_eq(stats_of("l1d").writebacks, l1 + 1);
    ck_assert_uint_eq(stats_of("l2").writebacks, l2);
    expect_dma(0x10000, OLD, 4); /* the store is dirty in L2 now */
    EXPECT_KINDS(DMA_STALE_PART);
    mmsim_hazard_clear(m);

    ck_assert_int_eq(Cache_WriteBack_Addr(CACHE_MAP_L2_CACHE, v, 4), 0);
    ck_assert_uint_eq(stats_of("l2").writebacks, l2 + 1);
    expect_dma(0x10000, NEW, 4);
    EXPECT_NO_HAZARD();
}
END_TEST

START_TEST(p4_writeback_both_levels_makes_dma_see_the_store)
{
    open_chip("esp32p4");
    uint32_t v = dirty_psram_word(0x20000);
    ck_assert_int_eq(Cache_WriteBack_Addr(CACHE_MAP_L1_DCACHE | CACHE_MAP_L2_CACHE, v + 2, 1), 0);
    expect_dma(0x20000, NEW, 4);
    expect_cpu(v, NEW, 4);
    EXPECT_NO_HAZARD();
}
END_TEST

START_TEST(p4_writeback_refuses_instruction_or_no_data_cache)
{
    open_chip("esp32p4");
    uint32_t v = dirty_psram_word(0x30000);
    ck_assert_int_eq(Cache_WriteBack_Addr(CACHE_MAP_L1_ICACHE_0 | CACHE_MAP_L1_DCACHE | CACHE_MAP_L2_CACHE, v, 4),
                     ESP_ROM_ERR_INVALID_ARG);
    ck_assert_int_eq(Cache_WriteBack_Addr(0, v, 4), ESP_ROM_ERR_INVALID_ARG);
    ck_assert_int_eq(Cache_WriteBack_All(CACHE_MAP_L1_ICACHE_1), ESP_ROM_ERR_INVALID_ARG);
    ck_assert_int_eq(Cache_Clean_Addr(CACHE_MAP_L1_ICACHE_MASK, v, 4), ESP_ROM_ERR_INVALID_ARG);
    ck_assert_int_eq(Cache_Invalidate_Addr(0, v, 4), ESP_ROM_ERR_INVALID_ARG);
    EXPECT_NO_HAZARD(); /* a return code, not a broken contract */
    expect_dma(0x30000, OLD, 4);
    EXPECT_KINDS(DMA_STALE_PART); /* nothing was written back */
}
END_TEST

START_TEST(p4_invalidate_loses_the_dirty_line_of_each_mapped_cache)
{
    open_chip("esp32p4");
    uint32_t v = dirty_psram_word(0x40000);
    /* L1's line goes into L2; then invalidating L2 alone drops the dirty L2 line. */
    ck_assert_int_eq(Cache_WriteBack_Addr(CACHE_MAP_L1_DCACHE, v, 4), 0);
    ck_assert_int_eq(Cache_Invalidate_Addr(CACHE_MAP_L2_CACHE, v, 4), 0);
    EXPECT_KINDS(MMSIM_HAZARD_LOST_WRITE);
    expect_record(0, "Cache_Invalidate_Addr", v, 0x40000, "l2 line");
    mmsim_hazard_clear(m);
    expect_cpu(v, NEW, 4);       /* L1 still holds the bytes (clean) */
    expect_dma(0x40000, OLD, 4); /* memory never got them */
    EXPECT_NO_HAZARD();

    /* A dirty L1 line dropped from both levels. */
    cpu_wr(v, OLD, 4);
    ck_assert_int_eq(Cache_Invalidate_Addr(CACHE_MAP_L1_DCACHE | CACHE_MAP_L2_CACHE, v, 64), 0);
    EXPECT_KINDS(MMSIM_HAZARD_LOST_WRITE);
    expect_record(0, "Cache_Invalidate_Addr", v, 0x40000, "l1d line");
    mmsim_hazard_clear(m);
    ck_assert_int_eq(Cache_Invalidate_Addr(CACHE_MAP_L1_DCACHE, v, 0), 0); /* a zero size: nothing */
    EXPECT_NO_HAZARD();
}
END_TEST

START_TEST(p4_clean_and_writeback_invalidate)
{
    open_chip("esp32p4");
    uint32_t v = dirty_psram_word(0x50000);
    ck_assert_int_eq(Cache_Clean_Addr(CACHE_MAP_L1_DCACHE, v, 4), 0);
    EXPECT_KINDS(MMSIM_HAZARD_LOST_WRITE);
    expect_record(0, "Cache_Clean_Addr", v, 0x50000, "cleaned while dirty");
    mmsim_hazard_clear(m);
    expect_cpu(v, NEW, 4);

    uint32_t w = dirty_psram_word(0x60000);
    uint64_t misses = stats_of("l1d").misses;
    ck_assert_int_eq(Cache_WriteBack_Invalidate_Addr(CACHE_MAP_L1_DCACHE | CACHE_MAP_L2_CACHE, w, 4), 0);
    expect_dma(0x60000, NEW, 4);
    expect_cpu(w, NEW, 4);
    ck_assert_uint_eq(stats_of("l1d").misses, misses + 1); /* the line had left L1 */
    EXPECT_NO_HAZARD();
}
END_TEST

START_TEST(p4_whole_cache_routines)
{
    open_chip("esp32p4");
    uint32_t a = dirty_psram_word(0x70000), b = dirty_psram_word(0x80000);
    ck_assert_int_eq(Cache_WriteBack_All(CACHE_MAP_L1_DCACHE | CACHE_MAP_L2_CACHE), 0);
    expect_dma(0x70000, NEW, 4);
    expect_dma(0x80000, NEW, 4);
    EXPECT_NO_HAZARD();

    cpu_wr(a, OLD, 4);
    ck_assert_int_eq(Cache_Clean_All(CACHE_MAP_L1_DCACHE), 0);
    EXPECT_KINDS(MMSIM_HAZARD_LOST_WRITE);
    mmsim_hazard_clear(m);

    cpu_wr(b, OLD, 4);
    ck_assert_int_eq(Cache_Invalidate_All(CACHE_MAP_L1_DCACHE | CACHE_MAP_L2_CACHE), 0);
    EXPECT_KINDS(MMSIM_HAZARD_LOST_WRITE);
    expect_record(0, "Cache_Invalidate_All", b, 0x80000, "invalidated while dirty");
    mmsim_hazard_clear(m);
    expect_cpu(a, NEW, 4);
    expect_cpu(b, NEW, 4);

    cpu_wr(a, OLD, 4);
    ck_assert_int_eq(Cache_WriteBack_Invalidate_All(CACHE_MAP_L1_DCACHE | CACHE_MAP_L2_CACHE), 0);
    expect_dma(0x70000, OLD, 4);
    EXPECT_NO_HAZARD();
}
END_TEST

/* [UNSURE] ESP-IDF's P4 write-back hands the sync engine an aligned size of 0 exactly
 * as its whole-cache write-back does: modelled as the whole of the mapped caches. */
START_TEST(p4_writeback_of_size_zero_is_the_whole_cache)
{
    open_chip("esp32p4");
    uint32_t a = dirty_psram_word(0x90000);
    dirty_psram_word(0xA0000);
    ck_assert_int_eq(Cache_WriteBack_Addr(CACHE_MAP_L1_DCACHE | CACHE_MAP_L2_CACHE, a, 0), 0);
    expect_dma(0x90000, NEW, 4);
    expect_dma(0xA0000, NEW, 4);
    EXPECT_NO_HAZARD();
    /* Unaligned, the rounding makes it one line. */
    cpu_wr(a, OLD, 4);
    cpu_wr(psram_vaddr(0xA0000), OLD, 4);
    ck_assert_int_eq(Cache_WriteBack_Addr(CACHE_MAP_L1_DCACHE | CACHE_MAP_L2_CACHE, a + 1, 0), 0);
    expect_dma(0x90000, OLD, 4);
    expect_dma(0xA0000, NEW, 4);
    EXPECT_KINDS(DMA_STALE_PART);
}
END_TEST

START_TEST(p4_line_sizes_are_the_chip_definitions)
{
    open_chip("esp32p4");
    ck_assert_uint_eq(Cache_Get_L1_ICache_Line_Size(), line_size_of("l1i"));
    ck_assert_uint_eq(Cache_Get_L1_DCache_Line_Size(), line_size_of("l1d"));
    ck_assert_uint_eq(Cache_Get_L2_Cache_Line_Size(), line_size_of("l2"));
    ck_assert_uint_eq(Cache_Get_L1_DCache_Line_Size(), 64);
    ck_assert_uint_eq(Cache_Get_L2_Cache_Line_Size(), 64);
    EXPECT_NO_HAZARD();
}
END_TEST

/* No machine bound: nothing happens, the neutral values come back. */
START_TEST(no_machine_does_nothing)
{
    ck_assert_int_eq(Cache_WriteBack_Addr(CACHE_MAP_L1_DCACHE, 0x48000000, 4), ESP_ROM_ERR_INVALID_ARG);
    ck_assert_uint_eq(Cache_Get_L2_Cache_Line_Size(), 0);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("rom_cache");
    TCase *t = tcase_create("s2_s3");
    tcase_add_checked_fixture(t, NULL, teardown);
    tcase_add_loop_test(t, s_writeback_addr_makes_dma_see_the_store, 0, S_CHIPS);
    tcase_add_loop_test(t, s_writeback_addr_takes_whole_lines, 0, S_CHIPS);
    tcase_add_loop_test(t, s3_rom_writeback_erratum_by_release, 0, 4);
    tcase_add_loop_test(t, s_invalidate_addr_loses_a_dirty_line, 0, S_CHIPS);
    tcase_add_loop_test(t, s_clean_addr_keeps_the_bytes_in_the_cache_only, 0, S_CHIPS);
    tcase_add_loop_test(t, s_whole_cache_routines, 0, S_CHIPS);
    tcase_add_loop_test(t, s_line_sizes_are_the_chip_definitions, 0, S_CHIPS);
    tcase_add_loop_test(t, s_suspend_dcache_until_resume, 0, S_CHIPS);
    suite_add_tcase(s, t);

    t = tcase_create("c_chips");
    tcase_add_checked_fixture(t, NULL, teardown);
    tcase_add_loop_test(t, c_invalidate_addr_refetches_flash, 0, C_CHIPS);
    tcase_add_loop_test(t, c_invalidate_icache_all_refetches_flash, 0, C_CHIPS);
    tcase_add_loop_test(t, c_line_size_and_suspend, 0, C_CHIPS);
    suite_add_tcase(s, t);

    t = tcase_create("wrong_chip");
    tcase_add_checked_fixture(t, NULL, teardown);
    tcase_add_test(t, c_chip_has_no_writeback_routines);
    tcase_add_test(t, esp32_has_none_of_them);
    tcase_add_test(t, p4_has_the_map_forms_only);
    tcase_add_test(t, s_chip_has_no_map_forms);
    tcase_add_test(t, no_machine_does_nothing);
    suite_add_tcase(s, t);

    t = tcase_create("p4");
    tcase_add_checked_fixture(t, NULL, teardown);
    tcase_add_test(t, p4_writeback_l1_alone_stops_in_l2);
    tcase_add_test(t, p4_writeback_both_levels_makes_dma_see_the_store);
    tcase_add_test(t, p4_writeback_refuses_instruction_or_no_data_cache);
    tcase_add_test(t, p4_invalidate_loses_the_dirty_line_of_each_mapped_cache);
    tcase_add_test(t, p4_clean_and_writeback_invalidate);
    tcase_add_test(t, p4_whole_cache_routines);
    tcase_add_test(t, p4_writeback_of_size_zero_is_the_whole_cache);
    tcase_add_test(t, p4_line_sizes_are_the_chip_definitions);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    int failed = mmsim_check_run(suite());
    return failed || invariant_failures ? 1 : 0;
}
