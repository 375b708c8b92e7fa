/* test_esp_himem.c - the ESP32 himem API on a simulated ESP32 (esp-idf-behaviour.md §3):
 * start-up sizes and log, every check of §3.3 in order with its return code and log
 * line, the RAM-block and window-page bookkeeping, what map and unmap do to the MMU and
 * the caches (and what they cost), the hazards a misuse leaves, the PSRAM heap stopping
 * short of the bank window, and Espressif's himem tests (§6.3 cases 14 and 15) and the
 * examples/system/himem memory test (§3.5), in our own words. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"

#include "esp32/himem.h"
#include "esp32/rom/cache.h"
#include "esp_heap_caps.h"
#include "esp_log.h"
#include "mmsim.h"

#define BLK ESP_HIMEM_BLKSZ
#define WINDOW 0x3F800000u
/* The bank window with the default reserve of 8 pages. */
#define BANK8 (WINDOW + 120u * BLK)
#define P(addr) ((void *)(uintptr_t)(addr))
#define V(ptr) ((uint32_t)(uintptr_t)(ptr))

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

/* Open an ESP32 with `psram` bytes of PSRAM (0: the default 8 MB), reserve `r` (0:
 * default 8) and any extra key=value settings, and capture the driver's log quietly. */
static void open_esp32_with(uint32_t psram, uint32_t r, const char *set)
{
    teardown();
    mmsim_config_t cfg = mmsim_config_default("esp32");
    cfg.psram_size = psram;
    cfg.spiram_bankswitch_reserve = r;
    const char *sets[] = {set};
    if (set) {
        cfg.sets = sets;
        cfg.nsets = 1;
    }
    ck_assert_msg(mmsim_open(&cfg, &m) == 0, "%s", mmsim_last_error());
    esp_log_capture_begin();
    esp_log_capture_quiet(true);
}

static void open_esp32(void) { open_esp32_with(0, 0, NULL); }

static const char *log_text(void) { return esp_log_capture_text(); }

static void log_clear(void)
{
    esp_log_capture_begin();
    esp_log_capture_quiet(true);
}

/* The log must hold `msg` (and, with NULL, be empty). */
static void expect_log(const char *msg)
{
    if (!msg)
        ck_assert_msg(log_text()[0] == '\0', "unexpected log: %s", log_text());
    else
        ck_assert_msg(strstr(log_text(), msg), "log lacks \"%s\": %s", msg, log_text());
    log_clear();
}

static uint32_t read32(uint32_t core, uint32_t vaddr)
{
    uint32_t w = 0;
    ck_assert_int_eq(mmsim_cpu_read(m, core, vaddr, &w, 4), 0);
    return w;
}

static void write32(uint32_t core, uint32_t vaddr, uint32_t w)
{
    ck_assert_int_eq(mmsim_cpu_write(m, core, vaddr, &w, 4), 0);
}

static uint32_t psram_word(uint32_t paddr)
{
    uint32_t w = 0;
    ck_assert_int_eq(mmsim_dma_read(m, MMSIM_TARGET_PSRAM, paddr, &w, 4), 0);
    return w;
}

static uint32_t paddr_of(uint32_t core, uint32_t vaddr)
{
    uint32_t p = 0, t = 0;
    ck_assert_int_eq(mmsim_translate(m, core, vaddr, &p, &t), 0);
    ck_assert_uint_eq(t, MMSIM_TARGET_PSRAM);
    return p;
}

/* esp_himem_alloc of `bytes` into *h and esp_himem_alloc_map_range of `range_bytes`
 * into *r, both ESP_OK. */
static void alloc_ram_and_range(size_t bytes, esp_himem_handle_t *h, size_t range_bytes, esp_himem_rangehandle_t *r)
{
    esp_err_t e = esp_himem_alloc(bytes, h);
    ck_assert_msg(e == ESP_OK, "esp_himem_alloc(0x%zx) returned %s", bytes, esp_err_to_name(e));
    e = esp_himem_alloc_map_range(range_bytes, r);
    ck_assert_msg(e == ESP_OK, "esp_himem_alloc_map_range(0x%zx) returned %s", range_bytes, esp_err_to_name(e));
}

/* Physical address of RAM block `b` with reserve r: the blocks start at page 128 - r. */
static uint32_t block_paddr(uint32_t r, uint32_t b) { return (128u - r + b) * BLK; }

/* ---- start-up and sizes ---- */

START_TEST(init_logs_and_sizes_8m_r8)
{
    open_esp32();
    ck_assert_str_eq(mmsim_boot_log(m), "I (0) esp_himem: Initialized. Using last 8 32KB address blocks for bank "
                                        "switching on 4352 KB of physical memory.\n");
    ck_assert_uint_eq(esp_himem_get_phys_size(), 4456448u);
    ck_assert_uint_eq(esp_himem_get_free_size(), 4456448u);
    ck_assert_uint_eq(esp_himem_reserved_area_size(), 8u * BLK);
}
END_TEST

START_TEST(init_sizes_follow_reserve_and_psram)
{
    open_esp32_with(0, 4, NULL);
    ck_assert_ptr_nonnull(strstr(mmsim_boot_log(m), "Using last 4 32KB address blocks for bank switching on 4224 KB"));
    ck_assert_uint_eq(esp_himem_get_phys_size(), 4325376u);
    ck_assert_uint_eq(esp_himem_reserved_area_size(), 4u * BLK);
    /* A 4 MB chip: himem is the reserved pages' own backing. */
    open_esp32_with(4u << 20, 8, NULL);
    ck_assert_uint_eq(esp_himem_get_phys_size(), 8u * BLK);
    ck_assert_uint_eq(esp_himem_get_free_size(), 8u * BLK);
    open_esp32_with(4u << 20, 62, NULL);
    ck_assert_uint_eq(esp_himem_get_phys_size(), 62u * BLK);
}
END_TEST

START_TEST(small_psram_leaves_himem_unavailable)
{
    open_esp32_with(2u << 20, 0, NULL);
    ck_assert_ptr_nonnull(strstr(mmsim_boot_log(m), "E (0) esp_himem: Cannot allocate memory for meta info. Not initializing!"));
    /* Upstream subtracts in 32-bit unsigned arithmetic: a 2 MB PSRAM wraps. */
    ck_assert_uint_eq(esp_himem_get_phys_size(), (size_t)(uint32_t)((2u << 20) - ((4u << 20) - 8u * BLK)));
    ck_assert_uint_eq(esp_himem_get_free_size(), 0);
    esp_himem_handle_t h = NULL;
    esp_himem_rangehandle_t r = NULL;
    ck_assert_int_eq(esp_himem_alloc(BLK, &h), ESP_ERR_NO_MEM);
    ck_assert_int_eq(esp_himem_alloc_map_range(BLK, &r), ESP_ERR_INVALID_STATE);
    expect_log("esp_himem_alloc_map_range(");
    void *p = NULL;
    ck_assert_int_eq(esp_himem_map(h, r, 0, 0, BLK, 0, &p), ESP_ERR_INVALID_STATE);
    expect_log("Himem not available!");
    ck_assert_ptr_null(h);
    ck_assert_ptr_null(r);
}
END_TEST

START_TEST(other_chips_and_no_psram_have_no_himem)
{
    const char *chips[] = {"esp32s3", "esp32s2", "esp32p4", "esp32c3"};
    for (size_t i = 0; i < sizeof chips / sizeof chips[0]; i++) {
        teardown();
        mmsim_config_t cfg = mmsim_config_default(chips[i]);
        ck_assert_msg(mmsim_open(&cfg, &m) == 0, "%s", mmsim_last_error());
        ck_assert_str_eq(mmsim_boot_log(m), "");
        ck_assert_uint_eq(esp_himem_get_phys_size(), 0);
        ck_assert_uint_eq(esp_himem_get_free_size(), 0);
        ck_assert_uint_eq(esp_himem_reserved_area_size(), 0);
        esp_himem_rangehandle_t r = NULL;
        ck_assert_int_eq(esp_himem_alloc_map_range(BLK, &r), ESP_ERR_INVALID_STATE);
        esp_himem_handle_t h = NULL;
        ck_assert_int_eq(esp_himem_alloc(BLK, &h), ESP_ERR_NO_MEM);
    }
    open_esp32_with(0, 0, "psram_size=0");
    ck_assert_str_eq(mmsim_boot_log(m), "");
    ck_assert_uint_eq(esp_himem_get_free_size(), 0);
}
END_TEST

START_TEST(psram_heap_ends_below_the_bank_window)
{
    open_esp32();
    ck_assert_uint_eq(heap_caps_get_total_size(MALLOC_CAP_SPIRAM), (4u << 20) - 8u * BLK);
    ck_assert_uint_eq(heap_caps_get_largest_free_block(MALLOC_CAP_SPIRAM | MALLOC_CAP_8BIT), (4u << 20) - 8u * BLK);
    open_esp32_with(0, 4, NULL);
    ck_assert_uint_eq(heap_caps_get_free_size(MALLOC_CAP_SPIRAM), (4u << 20) - 4u * BLK);
    /* The whole window is still mapped 1:1 at boot, the bank window included. */
    for (uint32_t page = 0; page < 128; page++)
        ck_assert_uint_eq(paddr_of(1, WINDOW + page * BLK), page * BLK);
}
END_TEST

/* ---- esp_himem_alloc / esp_himem_free ---- */

START_TEST(alloc_checks)
{
    open_esp32();
    esp_himem_handle_t h = NULL;
    ck_assert_int_eq(esp_himem_alloc(BLK + 4, &h), ESP_ERR_INVALID_SIZE);
    expect_log(NULL); /* no log line for this one */
    ck_assert_int_eq(esp_himem_alloc(0, &h), ESP_ERR_NO_MEM);
    ck_assert_int_eq(esp_himem_alloc(137u * BLK, &h), ESP_ERR_NO_MEM); /* 136 blocks exist */
    ck_assert_ptr_null(h);
    ck_assert_uint_eq(esp_himem_get_free_size(), 136u * BLK); /* all or nothing */
    ck_assert_int_eq(esp_himem_alloc(136u * BLK, &h), ESP_OK);
    ck_assert_uint_eq(esp_himem_get_free_size(), 0);
    esp_himem_handle_t h2 = NULL;
    ck_assert_int_eq(esp_himem_alloc(BLK, &h2), ESP_ERR_NO_MEM);
    ck_assert_int_eq(esp_himem_free(h), ESP_OK);
    ck_assert_uint_eq(esp_himem_get_free_size(), 136u * BLK);
}
END_TEST

/* Map `blocks` pages of `h` from RAM offset 0 at the start of `r`; the pointer. */
static uint32_t map_all(esp_himem_handle_t h, esp_himem_rangehandle_t r, uint32_t blocks)
{
    void *p = NULL;
    ck_assert_int_eq(esp_himem_map(h, r, 0, 0, blocks * BLK, 0, &p), ESP_OK);
    return V(p);
}

START_TEST(alloc_takes_the_first_free_blocks_in_index_order)
{
    open_esp32();
    esp_himem_handle_t a, b, c;
    esp_himem_rangehandle_t r;
    ck_assert_int_eq(esp_himem_alloc(2 * BLK, &a), ESP_OK); /* blocks 0, 1 */
    ck_assert_int_eq(esp_himem_alloc(BLK, &b), ESP_OK);     /* block 2 */
    ck_assert_int_eq(esp_himem_free(a), ESP_OK);
    ck_assert_int_eq(esp_himem_alloc(3 * BLK, &c), ESP_OK); /* 0, 1 and then 3 */
    ck_assert_int_eq(esp_himem_alloc_map_range(3 * BLK, &r), ESP_OK);
    uint32_t p = map_all(c, r, 3);
    ck_assert_uint_eq(p, BANK8);
    const uint32_t expect[] = {0, 1, 3};
    for (uint32_t i = 0; i < 3; i++)
        for (uint32_t core = 0; core < 2; core++)
            ck_assert_uint_eq(paddr_of(core, p + i * BLK), block_paddr(8, expect[i]));
    ck_assert_uint_eq(esp_himem_get_free_size(), (136u - 4u) * BLK);
}
END_TEST

START_TEST(free_refuses_a_mapped_block_and_changes_nothing)
{
    open_esp32();
    esp_himem_handle_t h;
    esp_himem_rangehandle_t r;
    alloc_ram_and_range(2 * BLK, &h, BLK, &r);
    void *p;
    ck_assert_int_eq(esp_himem_map(h, r, BLK, 0, BLK, 0, &p), ESP_OK); /* the second block only */
    log_clear();
    ck_assert_int_eq(esp_himem_free(h), ESP_ERR_INVALID_ARG);
    expect_log("E (0) esp_himem: esp_himem_free(");
    ck_assert_uint_eq(esp_himem_get_free_size(), 134u * BLK);
    ck_assert_int_eq(esp_himem_unmap(r, p, BLK), ESP_OK);
    ck_assert_int_eq(esp_himem_free(h), ESP_OK);
    ck_assert_uint_eq(esp_himem_get_free_size(), 136u * BLK);
    ck_assert_int_eq(esp_himem_free_map_range(r), ESP_OK);
}
END_TEST

START_TEST(null_handles_are_an_abort_not_a_crash)
{
    open_esp32();
    ck_assert_int_eq(esp_himem_free(NULL), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(esp_himem_free_map_range(NULL), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(esp_himem_unmap(NULL, P(BANK8), BLK), ESP_ERR_INVALID_ARG);
    void *p;
    ck_assert_int_eq(esp_himem_map(NULL, NULL, 0, 0, BLK, 0, &p), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(esp_himem_alloc(BLK, NULL), ESP_ERR_INVALID_ARG);
    ck_assert_uint_eq(mmsim_hazard_count_kind(m, MMSIM_HAZARD_ABORT), 5);
    ck_assert_ptr_nonnull(strstr(mmsim_hazard_get(m, 0)->detail, "esp_himem_free: NULL handle"));
}
END_TEST

/* ---- esp_himem_alloc_map_range / esp_himem_free_map_range ---- */

START_TEST(alloc_map_range_checks_and_first_fit)
{
    open_esp32();
    esp_himem_rangehandle_t a = NULL, b, c, d, e;
    ck_assert_int_eq(esp_himem_alloc_map_range(BLK / 2, &a), ESP_ERR_INVALID_SIZE);
    expect_log("requested size not aligned to blocksize");
    ck_assert_int_eq(esp_himem_alloc_map_range(0, &a), ESP_ERR_NO_MEM);
    ck_assert_int_eq(esp_himem_alloc_map_range(9 * BLK, &a), ESP_ERR_NO_MEM);
    expect_log(NULL);
    ck_assert_ptr_null(a);
    ck_assert_int_eq(esp_himem_alloc_map_range(2 * BLK, &a), ESP_OK); /* pages 0-1 */
    ck_assert_int_eq(esp_himem_alloc_map_range(3 * BLK, &b), ESP_OK); /* 2-4 */
    ck_assert_int_eq(esp_himem_alloc_map_range(3 * BLK, &c), ESP_OK); /* 5-7 */
    ck_assert_int_eq(esp_himem_alloc_map_range(BLK, &d), ESP_ERR_NO_MEM);
    ck_assert_int_eq(esp_himem_free_map_range(b), ESP_OK);
    ck_assert_int_eq(esp_himem_alloc_map_range(BLK, &d), ESP_OK); /* first fit: page 2 */
    ck_assert_int_eq(esp_himem_alloc_map_range(3 * BLK, &e), ESP_ERR_NO_MEM); /* 3-4 free only */
    ck_assert_int_eq(esp_himem_alloc_map_range(2 * BLK, &e), ESP_OK);         /* 3-4 */
    esp_himem_handle_t h;
    ck_assert_int_eq(esp_himem_alloc(BLK, &h), ESP_OK);
    void *p;
    ck_assert_int_eq(esp_himem_map(h, d, 0, 0, BLK, 0, &p), ESP_OK);
    ck_assert_uint_eq(V(p), BANK8 + 2u * BLK);
    ck_assert_int_eq(esp_himem_unmap(d, p, BLK), ESP_OK);
    ck_assert_int_eq(esp_himem_map(h, e, 0, BLK, BLK, 0, &p), ESP_OK);
    ck_assert_uint_eq(V(p), BANK8 + 4u * BLK);
    log_clear();
    ck_assert_int_eq(esp_himem_free_map_range(e), ESP_ERR_INVALID_ARG);
    expect_log("memory still mapped to range");
}
END_TEST

/* ---- esp_himem_map: the checks in order ---- */

START_TEST(map_checks_in_order)
{
    open_esp32();
    esp_himem_handle_t h, h2;
    esp_himem_rangehandle_t r, r2;
    ck_assert_int_eq(esp_himem_alloc(2 * BLK, &h), ESP_OK);
    alloc_ram_and_range(BLK, &h2, 2 * BLK, &r);
    ck_assert_int_eq(esp_himem_alloc_map_range(BLK, &r2), ESP_OK);
    void *p = P(0x1234);
    /* 2-4: alignment, each before the next (all three wrong: the first wins). */
    ck_assert_int_eq(esp_himem_map(h, r, 4, 4, 4, 0, &p), ESP_ERR_INVALID_ARG);
    expect_log("ram offset not aligned to blocksize");
    ck_assert_int_eq(esp_himem_map(h, r, 0, 4, 4, 0, &p), ESP_ERR_INVALID_ARG);
    expect_log("range not aligned to blocksize");
    ck_assert_int_eq(esp_himem_map(h, r, 0, 0, 4, 0, &p), ESP_ERR_INVALID_ARG);
    expect_log("length not aligned to blocksize");
    /* 5-6: bounds of the RAM handle, then of the range. */
    ck_assert_int_eq(esp_himem_map(h, r, BLK, BLK, 2 * BLK, 0, &p), ESP_ERR_INVALID_SIZE);
    expect_log("args not in range of phys ram handle");
    ck_assert_int_eq(esp_himem_map(h, r, 0, BLK, 2 * BLK, 0, &p), ESP_ERR_INVALID_SIZE);
    expect_log("args not in range of range handle");
    ck_assert_ptr_eq(p, P(0x1234)); /* untouched on failure */
    /* 7: per page, the RAM block is checked before the window page. */
    void *q;
    ck_assert_int_eq(esp_himem_map(h, r, 0, 0, BLK, 0, &q), ESP_OK); /* block h[0] at r page 0 */
    ck_assert_int_eq(esp_himem_map(h, r, 0, 0, BLK, 0, &p), ESP_ERR_INVALID_STATE);
    expect_log("ram already mapped");
    ck_assert_int_eq(esp_himem_map(h2, r, 0, 0, BLK, 0, &p), ESP_ERR_INVALID_STATE);
    expect_log("range already mapped");
    ck_assert_int_eq(esp_himem_map(h, r2, 0, 0, BLK, 0, &p), ESP_ERR_INVALID_STATE);
    expect_log("ram already mapped");
    /* Nothing was marked by the failed calls: the free pieces still map. */
    ck_assert_int_eq(esp_himem_map(h, r, BLK, BLK, BLK, ESP_HIMEM_MAPFLAG_RO, &p), ESP_OK);
    ck_assert_uint_eq(V(p), V(q) + BLK);
    ck_assert_int_eq(esp_himem_map(h2, r2, 0, 0, BLK, 0, &p), ESP_OK);
    ck_assert_uint_eq(V(p), BANK8 + 2u * BLK);
    /* len 0: nothing mapped, a pointer all the same. */
    p = NULL;
    esp_himem_rangehandle_t r3;
    ck_assert_int_eq(esp_himem_alloc_map_range(BLK, &r3), ESP_OK);
    ck_assert_int_eq(esp_himem_map(h, r3, 0, 0, 0, 0, &p), ESP_OK);
    ck_assert_uint_eq(V(p), BANK8 + 3u * BLK);
    ck_assert_uint_eq(paddr_of(0, V(p)), V(p) - WINDOW); /* still the boot's 1:1 mapping */
}
END_TEST

START_TEST(map_retargets_both_cpus_and_returns_the_offset_page)
{
    open_esp32_with(0, 4, NULL);
    esp_himem_handle_t h;
    esp_himem_rangehandle_t r;
    alloc_ram_and_range(4 * BLK, &h, 4 * BLK, &r);
    void *p;
    ck_assert_int_eq(esp_himem_map(h, r, 2 * BLK, BLK, 2 * BLK, 0, &p), ESP_OK);
    const uint32_t bank4 = WINDOW + 124u * BLK;
    ck_assert_uint_eq(V(p), bank4 + BLK);
    for (uint32_t core = 0; core < 2; core++) {
        ck_assert_uint_eq(paddr_of(core, V(p)), block_paddr(4, 2));
        ck_assert_uint_eq(paddr_of(core, V(p) + BLK), block_paddr(4, 3));
        ck_assert_uint_eq(paddr_of(core, bank4), 124u * BLK); /* untouched pages keep 1:1 */
    }
    ck_assert_uint_eq(paddr_of(1, V(p) + BLK + 1000), block_paddr(4, 3) + 1000);
}
END_TEST

/* ---- esp_himem_unmap ---- */

START_TEST(unmap_checks_in_order)
{
    open_esp32();
    esp_himem_handle_t h;
    esp_himem_rangehandle_t r;
    alloc_ram_and_range(2 * BLK, &h, 2 * BLK, &r);
    uint32_t p = map_all(h, r, 2);
    log_clear();
    ck_assert_int_eq(esp_himem_unmap(r, P(p + 4), 3), ESP_ERR_INVALID_ARG);
    expect_log("range offset not block-aligned");
    ck_assert_int_eq(esp_himem_unmap(r, P(p), 3), ESP_ERR_INVALID_ARG);
    expect_log("map length not block-aligned");
    ck_assert_int_eq(esp_himem_unmap(r, P(p + BLK), 2 * BLK), ESP_ERR_INVALID_ARG);
    expect_log("range out of bounds for handle");
    ck_assert_int_eq(esp_himem_unmap(r, P(p), 0), ESP_OK); /* len 0: nothing unmapped */
    ck_assert_int_eq(esp_himem_free(h), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(esp_himem_unmap(r, P(p), 2 * BLK), ESP_OK);
    ck_assert_int_eq(esp_himem_free(h), ESP_OK);
    ck_assert_int_eq(esp_himem_free_map_range(r), ESP_OK);
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
}
END_TEST

START_TEST(unmap_has_no_lower_bound_and_clears_what_pages_recorded)
{
    open_esp32();
    esp_himem_handle_t h;
    esp_himem_rangehandle_t first, second;
    ck_assert_int_eq(esp_himem_alloc(2 * BLK, &h), ESP_OK);
    ck_assert_int_eq(esp_himem_alloc_map_range(BLK, &first), ESP_OK);  /* page 0 */
    ck_assert_int_eq(esp_himem_alloc_map_range(BLK, &second), ESP_OK); /* page 1 */
    uint32_t p0 = map_all(h, first, 1);
    /* Unmapping through `second` a page before its own: accepted, and page 0 of
     * `first` is now marked unmapped. */
    ck_assert_int_eq(esp_himem_unmap(second, P(p0), BLK), ESP_OK);
    ck_assert_int_eq(esp_himem_free_map_range(first), ESP_OK);
    ck_assert_int_eq(esp_himem_free(h), ESP_OK);
}
END_TEST

START_TEST(unmap_leaves_the_mmu_and_evicts_the_window_from_both_caches)
{
    /* Dual-core low/high mode: both CPUs' stores to the bank window go through CPU 1's
     * cache; normal mode: each CPU caches all of it, so each writes its own page here
     * (two dirty copies of one line would be an alias). */
    open_esp32_with(0, 0, _i ? "psram_mode=normal" : "psram_mode=lowhigh");
    esp_himem_handle_t h;
    esp_himem_rangehandle_t r;
    alloc_ram_and_range(BLK, &h, BLK, &r);
    uint32_t p = map_all(h, r, 1);
    for (uint32_t off = 0; off < BLK; off += 32) { /* a dirty line in every set */
        write32(0, p + off, 0xC0DE0000u | off);
        if (!_i)
            write32(1, p + off + 4, 0xC1DE0000u | off);
        else
            write32(0, p + off + 4, 0xC1DE0000u | off);
    }
    ck_assert_uint_eq(psram_word(block_paddr(8, 0)), 0); /* still only in the caches... */
    ck_assert_uint_eq(mmsim_hazard_count_kind(m, MMSIM_HAZARD_DMA_STALE), 1); /* ...as DMA is told */
    mmsim_hazard_clear(m);
    ck_assert_int_eq(esp_himem_unmap(r, P(p), BLK), ESP_OK);
    for (uint32_t off = 0; off < BLK; off += 32) {
        ck_assert_uint_eq(psram_word(block_paddr(8, 0) + off), 0xC0DE0000u | off);
        ck_assert_uint_eq(psram_word(block_paddr(8, 0) + off + 4), 0xC1DE0000u | off);
    }
    mmsim_cache_info_t ci;
    ck_assert_int_eq(mmsim_cache_info(m, 0, &ci), 0);
    for (uint32_t core = 0; core < 2; core++)
        for (uint32_t i = 0; i < ci.sets * ci.ways; i++) {
            mmsim_cache_line_t l;
            ck_assert_int_eq(mmsim_cache_line(m, 0, core, i, &l), 0);
            ck_assert_msg(!l.valid || l.key < BANK8, "core %u line 0x%08x survived the sweep", core, l.key);
        }
    for (uint32_t core = 0; core < 2; core++)
        ck_assert_uint_eq(paddr_of(core, p), block_paddr(8, 0)); /* the entry stays */
    if (mmsim_hazard_count(m)) {
        char line[400];
        ck_abort_msg("%s", mmsim_hazard_format(mmsim_hazard_get(m, 0), line, sizeof line));
    }
}
END_TEST

/* Cycles a line fill of a cold PSRAM line takes: the second of two reads of cold
 * lines in a row, which waits for the first fill to stream in (ESP32's cache hands the
 * CPU its word first, so a lone read costs less than the fill). */
static uint64_t cold_fill_cycles(void)
{
    read32(0, WINDOW + (1u << 20));
    uint64_t before = mmsim_cycles(m, 0);
    read32(0, WINDOW + (1u << 20) + 32);
    return mmsim_cycles(m, 0) - before;
}

START_TEST(map_is_cheap_and_unmap_costs_the_sweep)
{
    const char *modes[] = {"psram_mode=normal", "psram_mode=lowhigh"};
    for (int lowhigh = 0; lowhigh < 2; lowhigh++) {
        open_esp32_with(0, 0, modes[lowhigh]);
        uint64_t fill = cold_fill_cycles();
        ck_assert_uint_gt(fill, 100); /* ~670 cycles: a 32-byte quad-PSRAM fill at 40 MHz */
        esp_himem_handle_t h;
        esp_himem_rangehandle_t r;
        alloc_ram_and_range(2 * BLK, &h, 2 * BLK, &r);
        uint64_t c0 = mmsim_cycles(m, 0), c1 = mmsim_cycles(m, 1);
        uint32_t p = map_all(h, r, 2);
        uint64_t map_cost = mmsim_cycles(m, 0) - c0;
        ck_assert_uint_gt(map_cost, 0);
        ck_assert_uint_lt(map_cost, fill); /* 4 MMU entry writes, no cache operation */
        c0 = mmsim_cycles(m, 0);
        ck_assert_int_eq(esp_himem_unmap(r, P(p), 2 * BLK), ESP_OK);
        uint64_t own = mmsim_cycles(m, 0) - c0, other = mmsim_cycles(m, 1) - c1;
        /* Normal mode: each CPU reads 64 KB through its own cache (2048 fills each).
         * Low/high: the calling CPU reads 64 KB from each half (4096 fills). */
        uint64_t lines = lowhigh ? 4096 : 2048;
        /* Each fill waits for the one before it but the first. */
        ck_assert_uint_ge(own, (lines - 1) * fill);
        ck_assert_uint_le(own, lines * fill + lines * 16);
        if (lowhigh)
            ck_assert_uint_eq(other, 0);
        else
            ck_assert_uint_ge(other, 2047 * fill);
    }
}
END_TEST

/* ---- hazards ---- */

START_TEST(reading_after_unmap_sees_the_old_bank_and_is_reported)
{
    open_esp32();
    esp_himem_handle_t h;
    esp_himem_rangehandle_t r;
    alloc_ram_and_range(2 * BLK, &h, BLK, &r);
    void *p;
    ck_assert_int_eq(esp_himem_map(h, r, BLK, 0, BLK, 0, &p), ESP_OK);
    write32(0, V(p) + 64, 0xB0B0B0B0u);
    ck_assert_int_eq(esp_himem_unmap(r, p, BLK), ESP_OK);
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
    mmsim_set_step(m, 7);
    ck_assert_uint_eq(read32(0, V(p) + 64), 0xB0B0B0B0u); /* the old bank, as on the chip */
    ck_assert_uint_eq(mmsim_hazard_count_kind(m, MMSIM_HAZARD_USE_AFTER_UNMAP), 1);
    const mmsim_hazard_t *z = mmsim_hazard_get(m, 0);
    ck_assert_uint_eq(z->step, 7);
    ck_assert_uint_eq(z->vaddr, V(p) + 64);
    ck_assert_uint_eq(z->paddr, block_paddr(8, 1) + 64);
    ck_assert_ptr_nonnull(strstr(z->detail, "unmapped this page but left its MMU entry"));
    /* That late read brought the old bank's line back into the cache, and map does no
     * cache operation: after mapping block 0 there, the page still shows block 1. */
    mmsim_hazard_clear(m);
    ck_assert_int_eq(esp_himem_map(h, r, 0, 0, BLK, 0, &p), ESP_OK);
    ck_assert_uint_eq(read32(0, V(p) + 64), 0xB0B0B0B0u);
    ck_assert_uint_eq(psram_word(block_paddr(8, 0) + 64), 0);
    ck_assert_uint_eq(mmsim_hazard_count(m), 1);
    ck_assert_uint_eq(mmsim_hazard_count_kind(m, MMSIM_HAZARD_STALE_READ), 1);
    /* Lines not touched after the unmap are fresh: no hazard there. */
    read32(0, V(p) + 4096);
    ck_assert_uint_eq(mmsim_hazard_count(m), 1);
}
END_TEST

START_TEST(write_then_map_without_unmap_is_an_alias)
{
    /* Through the driver: the unmap quirk (a page that is not mapped clears the flag of
     * the block it recorded) lets one block be mapped at two pages while a write through
     * the first sits dirty in the cache. */
    open_esp32();
    esp_himem_handle_t h;
    esp_himem_rangehandle_t r;
    alloc_ram_and_range(BLK, &h, 2 * BLK, &r);
    void *p0, *p1;
    ck_assert_int_eq(esp_himem_map(h, r, 0, BLK, BLK, 0, &p1), ESP_OK); /* page 1 records block 0 */
    ck_assert_int_eq(esp_himem_unmap(r, p1, BLK), ESP_OK);
    ck_assert_int_eq(esp_himem_map(h, r, 0, 0, BLK, 0, &p0), ESP_OK); /* block 0 at page 0 */
    ck_assert_int_eq(esp_himem_unmap(r, p1, BLK), ESP_OK);             /* page 1 again: quirk */
    ck_assert_int_eq(esp_himem_map(h, r, 0, BLK, BLK, 0, &p1), ESP_OK); /* block 0 twice */
    mmsim_hazard_clear(m);
    write32(0, V(p0), 0x11111111u);              /* dirty through page 0 */
    ck_assert_uint_eq(read32(0, V(p1)), 0);      /* page 1 fills from memory: old bytes */
    ck_assert_uint_eq(mmsim_hazard_count_kind(m, MMSIM_HAZARD_ALIAS_CONFLICT), 1);
    ck_assert_uint_eq(mmsim_hazard_get(m, 0)->paddr, block_paddr(8, 0));

    /* By hand, the way code that switches banks itself gets it wrong: a dirty line of
     * bank A stays tagged with the window address when the page is pointed at bank B. */
    open_esp32();
    const uint32_t page = BANK8, bank_a = block_paddr(8, 0), bank_b = block_paddr(8, 1);
    for (int cpu = 0; cpu < 2; cpu++)
        ck_assert_uint_eq(cache_sram_mmu_set(cpu, 0, page, bank_a, 32, 1), 0);
    write32(0, page, 0xAAAAAAAAu);
    for (int cpu = 0; cpu < 2; cpu++)
        ck_assert_uint_eq(cache_sram_mmu_set(cpu, 0, page, bank_b, 32, 1), 0);
    ck_assert_uint_eq(read32(0, page), 0xAAAAAAAAu); /* bank A's byte through bank B's page */
    ck_assert_uint_eq(mmsim_hazard_count_kind(m, MMSIM_HAZARD_STALE_READ), 1);
    ck_assert_uint_eq(psram_word(bank_b), 0);
}
END_TEST

/* ---- Espressif's tests and the example ---- */

/* A seeded pseudo-random word stream (a 32-bit LCG). */
static uint32_t prng_next(uint32_t *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s ^ (*s >> 16);
}

static void fill_words(uint32_t *buf, uint32_t seed)
{
    for (uint32_t i = 0; i < BLK / 4; i++)
        buf[i] = prng_next(&seed);
}

/* One step of the examples' himem memory test, on `core`: map RAM block `b` at range
 * offset 0, fill it (or verify it) with words seeded by (b's offset ^ seed) ^ 0xa5a5a5a5,
 * unmap.  false on a mismatch. */
static bool test_block(uint32_t core, esp_himem_handle_t h, esp_himem_rangehandle_t r, uint32_t b, uint32_t seed,
                       bool verify)
{
    static uint32_t want[BLK / 4], got[BLK / 4];
    mmsim_set_driver_core(m, core);
    void *p = NULL;
    ck_assert_int_eq(esp_himem_map(h, r, b * BLK, 0, BLK, 0, &p), ESP_OK);
    fill_words(want, ((b * BLK) ^ seed) ^ 0xa5a5a5a5u);
    bool ok = true;
    if (verify) {
        ck_assert_int_eq(mmsim_cpu_read(m, core, V(p), got, BLK), 0);
        ok = memcmp(want, got, BLK) == 0;
    } else {
        ck_assert_int_eq(mmsim_cpu_write(m, core, V(p), want, BLK), 0);
    }
    ck_assert_int_eq(esp_himem_unmap(r, p, BLK), ESP_OK);
    return ok;
}

/* The whole memory test over `bytes` of himem through a window of `range_pages`. */
static bool himem_memory_test(uint32_t core, size_t bytes, uint32_t range_pages, uint32_t seed)
{
    esp_himem_handle_t h;
    esp_himem_rangehandle_t r;
    alloc_ram_and_range(bytes, &h, range_pages * BLK, &r);
    bool ok = true;
    for (uint32_t b = 0; b < bytes / BLK; b++)
        test_block(core, h, r, b, seed, false);
    for (uint32_t b = 0; b < bytes / BLK && ok; b++)
        ok = test_block(core, h, r, b, seed, true);
    ck_assert_int_eq(esp_himem_free(h), ESP_OK);
    ck_assert_int_eq(esp_himem_free_map_range(r), ESP_OK);
    return ok;
}

START_TEST(example_memory_test_over_all_free_himem)
{
    const uint32_t reserves[] = {4, 8}; /* the example's sdkconfig, and the default */
    const char *expect[] = {"Himem has 4224KiB of memory, 4224KiB of which is free.",
                            "Himem has 4352KiB of memory, 4352KiB of which is free."};
    for (int i = 0; i < 2; i++) {
        open_esp32_with(8u << 20, reserves[i], NULL);
        ck_assert_ptr_nonnull(strstr(mmsim_boot_log(m), "Initialized. Using last"));
        char line[96];
        snprintf(line, sizeof line, "Himem has %zuKiB of memory, %zuKiB of which is free.",
                 esp_himem_get_phys_size() / 1024, esp_himem_get_free_size() / 1024);
        ck_assert_str_eq(line, expect[i]);
        ck_assert(himem_memory_test(0, esp_himem_get_free_size(), 1, 0x5eed));
        ck_assert_uint_eq(esp_himem_get_free_size(), esp_himem_get_phys_size());
        ck_assert_uint_eq(mmsim_hazard_count(m), 0);
    }
}
END_TEST

START_TEST(memory_test_catches_a_corrupted_bank)
{
    /* The test can fail: a word changed behind the driver's back is found. */
    open_esp32_with(0, 8, NULL);
    esp_himem_handle_t h;
    esp_himem_rangehandle_t r;
    alloc_ram_and_range(4 * BLK, &h, BLK, &r);
    for (uint32_t b = 0; b < 4; b++)
        test_block(0, h, r, b, 1, false);
    uint32_t junk = 0xFFFFFFFFu;
    ck_assert_int_eq(mmsim_dma_write(m, MMSIM_TARGET_PSRAM, block_paddr(8, 2) + 100, &junk, 4), 0);
    ck_assert(test_block(0, h, r, 1, 1, true));
    ck_assert(!test_block(0, h, r, 2, 1, true));
}
END_TEST

START_TEST(espressif_high_psram_memory_test)
{
    open_esp32();
    /* Single-core phase: 4 MB through a 2-page range. */
    ck_assert(himem_memory_test(0, 4u << 20, 2, 0));
    /* Dual-core phase: a task per CPU, each 2 MB through its own 2-page range, four
     * rounds with different seeds, interleaved block by block. */
    esp_himem_handle_t h[2];
    esp_himem_rangehandle_t r[2];
    for (int t = 0; t < 2; t++) {
        alloc_ram_and_range(2u << 20, &h[t], 2 * BLK, &r[t]);
    }
    const uint32_t blocks = (2u << 20) / BLK;
    for (uint32_t round = 0; round < 4; round++)
        for (int verify = 0; verify < 2; verify++)
            for (uint32_t b = 0; b < blocks; b++)
                for (uint32_t t = 0; t < 2; t++)
                    ck_assert_msg(test_block(t, h[t], r[t], b, round * 2 + t, verify), "task %u round %u block %u", t,
                                  round, b);
    for (int t = 0; t < 2; t++) {
        ck_assert_int_eq(esp_himem_free(h[t]), ESP_OK);
        ck_assert_int_eq(esp_himem_free_map_range(r[t]), ESP_OK);
    }
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
}
END_TEST

START_TEST(espressif_psram_heap_does_not_affect_himem)
{
    open_esp32();
    esp_himem_handle_t h;
    esp_himem_rangehandle_t r;
    alloc_ram_and_range(BLK, &h, BLK, &r);
    void *p;
    ck_assert_int_eq(esp_himem_map(h, r, 0, 0, BLK, 0, &p), ESP_OK);
    static uint8_t page[BLK], chunk[16 * 1024];
    memset(page, 0x42, sizeof page);
    ck_assert_int_eq(mmsim_cpu_write(m, 0, V(p), page, BLK), 0);
    memset(chunk, 0xAB, sizeof chunk);
    void *chunks[512];
    int n = 0;
    while (n < 512 && (chunks[n] = heap_caps_malloc(sizeof chunk, MALLOC_CAP_SPIRAM))) {
        ck_assert_uint_lt(V(chunks[n]) + sizeof chunk - 1, BANK8);
        ck_assert_int_eq(mmsim_cpu_write(m, 0, V(chunks[n]), chunk, sizeof chunk), 0);
        n++;
    }
    ck_assert_int_gt(n, 127);
    ck_assert_int_eq(n, 240); /* (4 MB - 256 KB) / 16 KB: no in-band headers */
    static uint8_t back[BLK];
    ck_assert_int_eq(mmsim_cpu_read(m, 0, V(p), back, BLK), 0);
    ck_assert_mem_eq(back, page, BLK);
    ck_assert_int_eq(esp_himem_unmap(r, p, BLK), ESP_OK);
    ck_assert_int_eq(esp_himem_free(h), ESP_OK);
    ck_assert_int_eq(esp_himem_free_map_range(r), ESP_OK);
    for (int i = 0; i < n; i++)
        heap_caps_free(chunks[i]);
    ck_assert_uint_eq(heap_caps_get_largest_free_block(MALLOC_CAP_SPIRAM), (4u << 20) - 8u * BLK);
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
}
END_TEST

START_TEST(handles_left_at_close_are_freed)
{
    /* The leak check of the sanitizer build fails this if close leaks them. */
    open_esp32();
    esp_himem_handle_t h;
    esp_himem_rangehandle_t r;
    alloc_ram_and_range(3 * BLK, &h, 2 * BLK, &r);
    map_all(h, r, 2);
    teardown();
    ck_assert_ptr_null(mmsim_current());
}
END_TEST

int main(void)
{
    Suite *s = suite_create("esp_himem");
    TCase *t = tcase_create("himem");
    tcase_set_timeout(t, 120);
    tcase_add_checked_fixture(t, NULL, teardown);
    tcase_add_test(t, init_logs_and_sizes_8m_r8);
    tcase_add_test(t, init_sizes_follow_reserve_and_psram);
    tcase_add_test(t, small_psram_leaves_himem_unavailable);
    tcase_add_test(t, other_chips_and_no_psram_have_no_himem);
    tcase_add_test(t, psram_heap_ends_below_the_bank_window);
    tcase_add_test(t, alloc_checks);
    tcase_add_test(t, alloc_takes_the_first_free_blocks_in_index_order);
    tcase_add_test(t, free_refuses_a_mapped_block_and_changes_nothing);
    tcase_add_test(t, null_handles_are_an_abort_not_a_crash);
    tcase_add_test(t, alloc_map_range_checks_and_first_fit);
    tcase_add_test(t, map_checks_in_order);
    tcase_add_test(t, map_retargets_both_cpus_and_returns_the_offset_page);
    tcase_add_test(t, unmap_checks_in_order);
    tcase_add_test(t, unmap_has_no_lower_bound_and_clears_what_pages_recorded);
    tcase_add_loop_test(t, unmap_leaves_the_mmu_and_evicts_the_window_from_both_caches, 0, 2);
    tcase_add_test(t, map_is_cheap_and_unmap_costs_the_sweep);
    tcase_add_test(t, reading_after_unmap_sees_the_old_bank_and_is_reported);
    tcase_add_test(t, write_then_map_without_unmap_is_an_alias);
    tcase_add_test(t, example_memory_test_over_all_free_himem);
    tcase_add_test(t, memory_test_catches_a_corrupted_bank);
    tcase_add_test(t, espressif_high_psram_memory_test);
    tcase_add_test(t, espressif_psram_heap_does_not_affect_himem);
    tcase_add_test(t, handles_left_at_close_are_freed);
    suite_add_tcase(s, t);
    int rc = mmsim_check_run(s);
    return rc || invariant_failures ? 1 : 0;
}
