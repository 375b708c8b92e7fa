/* test_esp_cache_msync.c - esp_cache_msync, esp_cache_get_alignment and
 * esp_cache_get_line_size_by_addr through the public API on simulated chips: every
 * check of esp-idf-behaviour.md §2.2 in order with its return code and log line, the
 * line sizes per chip, what each direction does to caches and memory (seen by DMA and
 * CPU accesses and by the hazards raised), and the older releases' behaviour (§2.6).
 *
 * Pages are mapped with mmu_hal_map_region: this test is about msync, not the map
 * driver. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"

#include "esp_cache.h"
#include "esp_heap_caps.h"
#include "esp_log.h"
#include "esp_private/esp_cache_private.h"
#include "hal/mmu_hal.h"
#include "mmsim.h"

#define C2M ESP_CACHE_MSYNC_FLAG_DIR_C2M
#define M2C ESP_CACHE_MSYNC_FLAG_DIR_M2C
#define INVALIDATE ESP_CACHE_MSYNC_FLAG_INVALIDATE
#define UNALIGNED ESP_CACHE_MSYNC_FLAG_UNALIGNED
#define TYPE_DATA ESP_CACHE_MSYNC_FLAG_TYPE_DATA
#define TYPE_INST ESP_CACHE_MSYNC_FLAG_TYPE_INST

#define P(addr) ((void *)(uintptr_t)(addr))

/* The ESP32-S3 PSRAM page every data test maps, and the physical page behind it. */
#define S3_V 0x3C100000u
#define S3_P 0x20000u

static mmsim_t *m;

static void teardown(void)
{
    mmsim_close(m);
    m = NULL;
    esp_log_capture_end();
    esp_log_level_set("cache", ESP_LOG_INFO);
}

/* Open `chip` mimicking ESP-IDF `version` (NULL: master) and make it current. */
static void open_chip(const char *chip, const char *version)
{
    teardown();
    mmsim_config_t cfg = mmsim_config_default(chip);
    cfg.idf_version = version;
    ck_assert_msg(mmsim_open(&cfg, &m) == 0, "%s", mmsim_last_error());
}

static size_t hazards_of(mmsim_hazard_kind_t kind) { return mmsim_hazard_count_kind(m, kind); }

/* Map one 64 KB page of `target` at `vaddr` through MMU `mmu_id`. */
static void map_page(uint32_t mmu_id, mmu_target_t target, uint32_t vaddr, uint32_t paddr)
{
    uint32_t out = 0;
    mmu_hal_map_region(mmu_id, target, vaddr, paddr, 0x10000, &out);
    ck_assert_uint_eq(out, 0x10000);
}

/* Map one 64 KB PSRAM page (S3_P) at S3_V on an S3. */
static void open_s3_with_psram_page(void)
{
    open_chip("esp32s3", NULL);
    map_page(0, MMU_TARGET_PSRAM0, S3_V, S3_P);
}

/* CPU stores and loads on core 0, DMA reads and writes of PSRAM; each must succeed. */
static void cpu_write(uint32_t vaddr, const uint8_t *buf, size_t n)
{
    ck_assert_int_eq(mmsim_cpu_write(m, 0, vaddr, buf, n), 0);
}

static void expect_cpu_read(uint32_t vaddr, const uint8_t *want, size_t n)
{
    uint8_t r[256];
    ck_assert_uint_le(n, sizeof r);
    ck_assert_int_eq(mmsim_cpu_read(m, 0, vaddr, r, n), 0);
    ck_assert_mem_eq(r, want, n);
}

static void dma_write(uint32_t paddr, const uint8_t *buf, size_t n)
{
    ck_assert_int_eq(mmsim_dma_write(m, MMSIM_TARGET_PSRAM, paddr, buf, n), 0);
}

static void expect_dma_read(uint32_t paddr, const uint8_t *want, size_t n)
{
    uint8_t r[256];
    ck_assert_uint_le(n, sizeof r);
    ck_assert_int_eq(mmsim_dma_read(m, MMSIM_TARGET_PSRAM, paddr, r, n), 0);
    ck_assert_mem_eq(r, want, n);
}

static const uint8_t ZERO[32];

/* The message of the alignment check (step 5). */
static const char *misaligned(uint32_t addr, size_t size, unsigned line)
{
    static char msg[160];
    snprintf(msg, sizeof msg,
             "start address: 0x%x, or the size: 0x%zx is(are) not aligned with cache line size (0x%x)B",
             (unsigned)addr, size, line);
    return msg;
}

/* msync with the log captured; the return code. */
static esp_err_t msync(uint32_t addr, size_t size, int flags)
{
    esp_log_capture_begin();
    return esp_cache_msync(P(addr), size, flags);
}

/* The capture is exactly "E (<ms>) cache: esp_cache_msync(<line>): <message>\n". */
static void expect_error_line(const char *message)
{
    const char *t = esp_log_capture_text(), *p = t;
    ck_assert_msg(!strncmp(p, "E (", 3), "capture: \"%s\"", t);
    p += 3;
    while (*p >= '0' && *p <= '9')
        p++;
    const char *head = ") cache: esp_cache_msync(";
    ck_assert_msg(p > t + 3 && !strncmp(p, head, strlen(head)), "capture: \"%s\"", t);
    p += strlen(head);
    const char *digits = p;
    while (*p >= '0' && *p <= '9')
        p++;
    ck_assert_msg(p > digits, "no line number: \"%s\"", t);
    char want[512];
    snprintf(want, sizeof want, "): %s\n", message);
    ck_assert_str_eq(p, want);
}

/* The call fails with `rc` and logs `message` (NULL: logs nothing at INFO). */
static void expect_fail(uint32_t addr, size_t size, int flags, esp_err_t rc, const char *message)
{
    ck_assert_int_eq(msync(addr, size, flags), rc);
    if (message)
        expect_error_line(message);
    else
        ck_assert_str_eq(esp_log_capture_text(), "");
}

static void expect_ok(uint32_t addr, size_t size, int flags)
{
    ck_assert_int_eq(msync(addr, size, flags), ESP_OK);
    ck_assert_str_eq(esp_log_capture_text(), "");
}

static void fill(uint8_t *buf, size_t n, uint8_t seed)
{
    for (size_t i = 0; i < n; i++)
        buf[i] = (uint8_t)(seed + i * 7u);
}

/* Index of the chip's cache called `name`. */
static uint32_t cache_named(const char *name)
{
    mmsim_cache_info_t info;
    for (uint32_t i = 0; i < mmsim_cache_count(m); i++)
        if (mmsim_cache_info(m, i, &info) == 0 && !strcmp(info.name, name))
            return i;
    ck_abort_msg("no cache %s", name);
    return 0;
}

/* Whether core 0's instance of `cache` holds the line of `vaddr`; its dirty bit. */
static bool holds_line(const char *cache, uint32_t vaddr, bool *dirty)
{
    uint32_t ci = cache_named(cache);
    mmsim_cache_info_t info;
    ck_assert_int_eq(mmsim_cache_info(m, ci, &info), 0);
    uint32_t key = vaddr & ~(info.line_size - 1u);
    for (uint32_t i = 0; i < info.sets * info.ways; i++) {
        mmsim_cache_line_t l;
        ck_assert_int_eq(mmsim_cache_line(m, ci, 0, i, &l), 0);
        if (l.valid && l.key == key) {
            if (dirty)
                *dirty = l.dirty;
            return true;
        }
    }
    return false;
}

/* ---- the checks of §2.2, in order ----------------------------------------------- */

static const char both_msg[] = "both C2M and M2C directions, or both data and instruction type are selected, "
                               "you should only select one direction or one type";

START_TEST(null_pointer_is_checked_first)
{
    open_chip("esp32s3", NULL);
    /* Every later check would fail too: the NULL one wins. */
    ck_assert_int_eq(msync(0, 0x11, C2M | M2C | TYPE_DATA | TYPE_INST), ESP_ERR_INVALID_ARG);
    expect_error_line("null pointer");
    expect_fail(0, 0x20, C2M, ESP_ERR_INVALID_ARG, "null pointer");
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
}
END_TEST

START_TEST(overflow_is_checked_before_the_flags)
{
    open_chip("esp32s3", NULL);
    const char *msg = "wrong size, total size overflow";
    /* A sum of exactly 2^32 counts as overflow. */
    expect_fail(0x3C000000, 0x100000000ull - 0x3C000000u, C2M, ESP_ERR_INVALID_ARG, msg);
    expect_fail(0x3C000000, 0x100000000ull - 0x3C000000u, C2M | M2C, ESP_ERR_INVALID_ARG, msg);
    expect_fail(0xFFFFFFE0, 0x40, C2M, ESP_ERR_INVALID_ARG, msg);
    expect_fail(0x3C000000, SIZE_MAX, C2M, ESP_ERR_INVALID_ARG, msg); /* a 64-bit host size */
    /* One byte less ends at 0xFFFFFFFF: no overflow, and outside every window. */
    expect_fail(0x3C000000, 0xFFFFFFFFu - 0x3C000000u, C2M, ESP_ERR_NOT_SUPPORTED, NULL);
}
END_TEST

START_TEST(both_directions_or_both_types_are_rejected_before_the_window_check)
{
    open_chip("esp32s3", NULL);
    expect_fail(S3_V, 0x20, C2M | M2C, ESP_ERR_INVALID_ARG, both_msg);
    expect_fail(S3_V, 0x20, TYPE_DATA | TYPE_INST, ESP_ERR_INVALID_ARG, both_msg);
    expect_fail(S3_V, 0x20, M2C | TYPE_DATA | TYPE_INST, ESP_ERR_INVALID_ARG, both_msg);
    /* A non-cacheable address does not change the verdict: step 3 comes before step 4. */
    expect_fail(0x1000, 0x20, C2M | M2C, ESP_ERR_INVALID_ARG, both_msg);
    /* One of each is fine. */
    expect_ok(S3_V, 0x20, M2C | TYPE_INST);
    expect_ok(S3_V, 0x20, C2M | TYPE_DATA);
}
END_TEST

START_TEST(non_cacheable_is_not_supported_with_only_a_verbose_log)
{
    open_chip("esp32s3", NULL);
    /* Outside every window, straddling a window's end, or misaligned (step 4 comes
     * before step 5): NOT_SUPPORTED and no ERROR line. */
    expect_fail(0x1000, 0x20, C2M, ESP_ERR_NOT_SUPPORTED, NULL);
    expect_fail(0x3DFFFFE0, 0x40, M2C, ESP_ERR_NOT_SUPPORTED, NULL);
    expect_fail(0x3E000000, 0x20, C2M, ESP_ERR_NOT_SUPPORTED, NULL);
    expect_fail(0x3FC88003, 0x5, M2C | UNALIGNED, ESP_ERR_NOT_SUPPORTED, NULL);
    /* The last byte of a window is still inside it. */
    expect_ok(0x3DFFFFE0, 0x20, C2M);
    /* A host pointer beyond 32 bits is no chip address, even if its low half is one. */
    if (UINTPTR_MAX > UINT32_MAX) {
        esp_log_capture_begin();
        ck_assert_int_eq(esp_cache_msync((void *)(uintptr_t)(0x100000000ull + S3_V), 0x20, C2M),
                         ESP_ERR_NOT_SUPPORTED);
        ck_assert_str_eq(esp_log_capture_text(), "");
    }

    esp_log_level_set("cache", ESP_LOG_VERBOSE);
    ck_assert_int_eq(msync(0x1000, 0x20, C2M), ESP_ERR_NOT_SUPPORTED);
    const char *t = esp_log_capture_text();
    ck_assert_msg(!strncmp(t, "V (", 3), "capture: \"%s\"", t);
    ck_assert_ptr_nonnull(strstr(t, ") cache: vaddr is not in cacheable range, do nothing\n"));
    ck_assert_ptr_null(strstr(t, "E ("));
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
}
END_TEST

START_TEST(misaligned_address_or_size_quotes_address_size_and_line)
{
    open_chip("esp32s3", NULL);
    expect_fail(S3_V + 0x10, 0x20, C2M, ESP_ERR_INVALID_ARG, misaligned(0x3c100010, 0x20, 0x20));
    expect_fail(S3_V, 0x30, M2C, ESP_ERR_INVALID_ARG, misaligned(0x3c100000, 0x30, 0x20));
    /* TYPE_INST picks the ICache line (32 on the S3 too) and still checks. */
    expect_fail(0x42000004, 0x20, M2C | TYPE_INST, ESP_ERR_INVALID_ARG, misaligned(0x42000004, 0x20, 0x20));
    /* UNALIGNED skips the check for C2M. */
    expect_ok(S3_V + 0x10, 0x7, C2M | UNALIGNED);

    open_chip("esp32p4", NULL); /* level 2 (external) uses the L2 line, 64 */
    expect_fail(0x48000020, 0x40, C2M, ESP_ERR_INVALID_ARG, misaligned(0x48000020, 0x40, 0x40));
    expect_ok(0x48000040, 0x40, C2M);
    expect_ok(0x4FF00040, 0x40, C2M); /* internal L2MEM, level 1: the L1 D line, 64 */

    open_chip("esp32", NULL); /* ESP32's HAL reports 4 */
    expect_fail(0x3F800002, 0x8, C2M, ESP_ERR_INVALID_ARG, misaligned(0x3f800002, 0x8, 0x4));
    expect_ok(0x3F800004, 0x8, C2M);

    open_chip("esp32c3", NULL); /* alignment is enforced on a non-write-back chip too */
    expect_fail(0x3C000000, 0x10, C2M, ESP_ERR_INVALID_ARG, misaligned(0x3c000000, 0x10, 0x20));
}
END_TEST

START_TEST(unaligned_m2c_and_instruction_c2m_are_rejected)
{
    open_chip("esp32s3", NULL);
    expect_fail(S3_V, 0x20, M2C | UNALIGNED, ESP_ERR_INVALID_ARG,
                "M2C direction doesn't allow ESP_CACHE_MSYNC_FLAG_UNALIGNED");
    expect_fail(S3_V + 4, 0x3, M2C | UNALIGNED, ESP_ERR_INVALID_ARG,
                "M2C direction doesn't allow ESP_CACHE_MSYNC_FLAG_UNALIGNED");
    expect_fail(0x42000000, 0x20, C2M | TYPE_INST, ESP_ERR_INVALID_ARG,
                "C2M direction doesn't support instruction type");
    /* No direction given means C2M. */
    expect_fail(0x42000000, 0x20, TYPE_INST, ESP_ERR_INVALID_ARG, "C2M direction doesn't support instruction type");
    /* The alignment check (step 5) comes first. */
    expect_fail(0x42000010, 0x20, TYPE_INST, ESP_ERR_INVALID_ARG, misaligned(0x42000010, 0x20, 0x20));
    /* Also on a chip without write-back, where C2M would do nothing anyway. */
    open_chip("esp32c3", NULL);
    expect_fail(0x42000000, 0x20, TYPE_INST, ESP_ERR_INVALID_ARG, "C2M direction doesn't support instruction type");
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
}
END_TEST

START_TEST(the_type_flag_picks_the_line_size_checked)
{
    /* An S3 built with 64-byte DCache lines (a Kconfig choice, §5.3) and 32-byte
     * ICache lines: the same range passes as INST and fails as DATA. */
    FILE *in = fopen(MMSIM_SOURCE_DIR "/chipdefs/esp32s3.yaml", "r");
    ck_assert_ptr_nonnull(in);
    static char text[16384];
    size_t n = fread(text, 1, sizeof text - 1, in);
    fclose(in);
    text[n] = '\0';
    const char *from = "kind: data, size: 32K, ways: 8, line_size: 32";
    char *at = strstr(text, from);
    ck_assert_ptr_nonnull(at);
    memcpy(at + strlen(from) - 2, "64", 2);
    char path[] = "/tmp/mmsim-test-s3-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, text, n), (ssize_t)n);
    close(fd);
    open_chip(path, NULL);
    unlink(path);

    expect_ok(S3_V + 0x20, 0x20, M2C | TYPE_INST);
    expect_fail(S3_V + 0x20, 0x20, M2C, ESP_ERR_INVALID_ARG, misaligned(0x3c100020, 0x20, 0x40));
    expect_fail(S3_V + 0x20, 0x20, M2C | TYPE_DATA, ESP_ERR_INVALID_ARG, misaligned(0x3c100020, 0x20, 0x40));
    size_t align = 0;
    ck_assert_int_eq(esp_cache_get_alignment(MALLOC_CAP_SPIRAM, &align), ESP_OK);
    ck_assert_uint_eq(align, 64);
    ck_assert_uint_eq(esp_cache_get_line_size_by_addr(P(S3_V)), 64);
}
END_TEST

/* ---- line sizes ---------------------------------------------------------------------- */

typedef struct {
    const char *chip;
    size_t spiram, internal;           /* esp_cache_get_alignment */
    uint32_t psram_addr;               /* a PSRAM data address (0: none) */
    size_t psram_line;                 /* esp_cache_get_line_size_by_addr there */
    uint32_t flash_addr;               /* a cacheable flash address: not external RAM */
    uint32_t internal_addr;            /* an internal RAM address */
    size_t internal_line;
} line_case_t;

static const line_case_t line_cases[] = {
    {"esp32s3", 32, 0, 0x3C000000, 32, 0x42000000, 0x3FC88000, 0},
    {"esp32p4", 64, 64, 0x48000000, 64, 0x40000000, 0x4FF00000, 64},
    {"esp32", 4, 0, 0x3F800000, 4, 0x3F400000, 0x3FFB0000, 0},
    {"esp32c3", 32, 0, 0, 0, 0x3C000000, 0x3FC88000, 0},
    {"esp32c6", 32, 0, 0, 0, 0x42000000, 0x40800000, 0},
    {"esp32s2", 32, 0, 0x3F800000, 32, 0x40080000, 0x3FFB0000, 0},
};

START_TEST(line_sizes_per_chip)
{
    const line_case_t *c = &line_cases[_i];
    open_chip(c->chip, NULL);
    size_t align = 12345;
    ck_assert_int_eq(esp_cache_get_alignment(MALLOC_CAP_SPIRAM | MALLOC_CAP_8BIT, &align), ESP_OK);
    ck_assert_uint_eq(align, c->spiram);
    align = 12345;
    ck_assert_int_eq(esp_cache_get_alignment(MALLOC_CAP_INTERNAL | MALLOC_CAP_DMA, &align), ESP_OK);
    ck_assert_uint_eq(align, c->internal);
    esp_log_capture_begin();
    ck_assert_int_eq(esp_cache_get_alignment(MALLOC_CAP_SPIRAM, NULL), ESP_ERR_INVALID_ARG);
    ck_assert_ptr_nonnull(strstr(esp_log_capture_text(), "cache: esp_cache_get_alignment("));
    ck_assert_ptr_nonnull(strstr(esp_log_capture_text(), "): null pointer\n"));

    ck_assert_uint_eq(esp_cache_get_line_size_by_addr(NULL), 0);
    if (c->psram_addr) {
        ck_assert_uint_eq(esp_cache_get_line_size_by_addr(P(c->psram_addr)), c->psram_line);
        ck_assert_uint_eq(esp_cache_get_line_size_by_addr(P(c->psram_addr + 0x1234)), c->psram_line);
    }
    ck_assert_uint_eq(esp_cache_get_line_size_by_addr(P(c->flash_addr)), 0);
    ck_assert_uint_eq(esp_cache_get_line_size_by_addr(P(c->internal_addr)), c->internal_line);
    ck_assert_uint_eq(esp_cache_get_line_size_by_addr(P(0x600C0000)), 0); /* peripherals */
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
}
END_TEST

/* ---- what the directions do ------------------------------------------------------ */

typedef enum { HELD_DIRTY, HELD_CLEAN, GONE } line_after_t;

/* New bytes reach one side of the S3's PSRAM page: a CPU store (a dirty line; a DMA
 * read comes after) or a DMA write under a line the CPU has cached (a CPU load comes
 * after).  An msync in between, or none, decides what the reader sees and what the
 * DCache holds after; without the right one the reader gets the old bytes and a
 * hazard is raised. */
typedef struct {
    const char *name;
    bool cpu_stores; /* else the DMA writes */
    int flags;       /* of the msync in between; -1: no msync */
    line_after_t line;
    bool sees_new;
    int hazard; /* the kind raised, once; NO_HAZARD: none at all */
    size_t n;
    uint8_t seed; /* of the new bytes */
} direction_case_t;

#define NO_HAZARD (-1)

static const direction_case_t DIRECTIONS[] = {
    {"c2m_makes_cpu_writes_visible_to_dma", true, C2M, HELD_CLEAN, true, NO_HAZARD, 64, 0x11},
    {"without_c2m_dma_reads_stale_memory", true, -1, HELD_DIRTY, false, MMSIM_HAZARD_DMA_STALE, 32, 0x22},
    /* M2C invalidates only: CPU writes not written back first are lost, as on the chip. */
    {"m2c_discards_dirty_lines", true, M2C | TYPE_DATA, GONE, false, MMSIM_HAZARD_LOST_WRITE, 32, 0x66},
    {"m2c_makes_dma_writes_visible_to_the_cpu", false, M2C, GONE, true, NO_HAZARD, 32, 0x44},
    {"without_m2c_the_cpu_reads_the_stale_line", false, -1, HELD_CLEAN, false, MMSIM_HAZARD_STALE_READ, 32, 0x55},
};

START_TEST(msync_direction_decides_what_the_other_side_sees)
{
    const direction_case_t *c = &DIRECTIONS[_i];
    open_s3_with_psram_page();
    uint8_t w[64];
    fill(w, sizeof w, c->seed);
    bool dirty = false;
    if (c->cpu_stores) {
        cpu_write(S3_V, w, c->n);
        ck_assert_msg(holds_line("dcache", S3_V, &dirty) && dirty, "%s: no dirty line after the store", c->name);
    } else {
        expect_cpu_read(S3_V, ZERO, c->n); /* the line is cached */
        dma_write(S3_P, w, c->n);
    }
    if (c->flags >= 0)
        expect_ok(S3_V, c->n, c->flags);
    bool held = holds_line("dcache", S3_V, &dirty);
    ck_assert_msg(c->line == GONE ? !held : held && dirty == (c->line == HELD_DIRTY), "%s: line held %d, dirty %d",
                  c->name, held, dirty);
    if (c->cpu_stores)
        expect_dma_read(S3_P, c->sees_new ? w : ZERO, c->n);
    else
        expect_cpu_read(S3_V, c->sees_new ? w : ZERO, c->n);
    if (c->hazard == NO_HAZARD)
        ck_assert_msg(mmsim_hazard_count(m) == 0, "%s: %zu hazard(s)", c->name, mmsim_hazard_count(m));
    else
        ck_assert_msg(hazards_of((mmsim_hazard_kind_t)c->hazard) == 1, "%s: %zu %s hazard(s), expected 1", c->name,
                      hazards_of((mmsim_hazard_kind_t)c->hazard), mmsim_hazard_name((mmsim_hazard_kind_t)c->hazard));
}
END_TEST

START_TEST(c2m_on_p4_writes_back_through_l1_and_l2)
{
    open_chip("esp32p4", NULL);
    map_page(1, MMU_TARGET_PSRAM0, 0x48000000, 0x30000);
    uint8_t w[128];
    fill(w, sizeof w, 0x33);
    cpu_write(0x48000000, w, sizeof w);
    expect_ok(0x48000000, sizeof w, C2M | TYPE_DATA);
    expect_dma_read(0x30000, w, sizeof w);
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
}
END_TEST

START_TEST(c2m_invalidate_writes_back_then_drops_the_line)
{
    open_s3_with_psram_page();
    uint8_t w[32];
    fill(w, sizeof w, 0x77);
    cpu_write(S3_V, w, sizeof w);
    expect_ok(S3_V, sizeof w, C2M | INVALIDATE);
    ck_assert(!holds_line("dcache", S3_V, NULL));
    expect_dma_read(S3_P, w, sizeof w);
    /* A later DMA write is then seen by the CPU without an M2C. */
    fill(w, sizeof w, 0x78);
    dma_write(S3_P, w, sizeof w);
    expect_cpu_read(S3_V, w, sizeof w);
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
}
END_TEST

START_TEST(unaligned_c2m_writes_back_whole_lines)
{
    open_s3_with_psram_page();
    uint8_t w[64];
    fill(w, sizeof w, 0x88);
    cpu_write(S3_V, w, sizeof w); /* two dirty lines */
    /* 8 bytes in the middle of the first line: the whole first line goes to memory. */
    expect_ok(S3_V + 0x10, 8, C2M | UNALIGNED);
    expect_dma_read(S3_P, w, 32);
    ck_assert_uint_eq(hazards_of(MMSIM_HAZARD_DMA_STALE), 0);
    /* The second line was not in the range: still dirty. */
    bool dirty = false;
    ck_assert(holds_line("dcache", S3_V + 32, &dirty) && dirty);
    uint8_t r[32];
    ck_assert_int_eq(mmsim_dma_read(m, MMSIM_TARGET_PSRAM, S3_P + 32, r, 32), 0);
    ck_assert_uint_eq(hazards_of(MMSIM_HAZARD_DMA_STALE), 1);
}
END_TEST

/* C2, C3, C6, H2: no write-back, C2M is OK and does nothing, INVALIDATE included. */
static void c2m_does_nothing_on(const char *chip, uint32_t vaddr)
{
    open_chip(chip, NULL);
    map_page(0, MMU_TARGET_FLASH0, vaddr, 0x10000);
    uint8_t r[32];
    ck_assert_int_eq(mmsim_cpu_read(m, 0, vaddr, r, sizeof r), 0);
    ck_assert(holds_line("cache", vaddr, NULL));
    uint64_t cycles = mmsim_cycles(m, 0);
    mmsim_cache_stats_t before, after;
    ck_assert_int_eq(mmsim_cache_stats(m, cache_named("cache"), 0, &before), 0);
    expect_ok(vaddr, 32, C2M);
    expect_ok(vaddr, 32, C2M | INVALIDATE);
    expect_ok(vaddr + 4, 3, UNALIGNED | INVALIDATE); /* default direction: C2M */
    ck_assert_int_eq(mmsim_cache_stats(m, cache_named("cache"), 0, &after), 0);
    ck_assert_uint_eq(after.invalidations, before.invalidations);
    ck_assert_uint_eq(after.writebacks, before.writebacks);
    ck_assert_uint_eq(mmsim_cycles(m, 0), cycles);
    ck_assert(holds_line("cache", vaddr, NULL));
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
}

START_TEST(c2m_on_chips_without_write_back_is_a_no_op)
{
    c2m_does_nothing_on("esp32c3", 0x3C010000);
    c2m_does_nothing_on("esp32c6", 0x42010000);
}
END_TEST

START_TEST(m2c_on_non_write_back_chip_invalidates)
{
    open_chip("esp32c3", NULL);
    map_page(0, MMU_TARGET_FLASH0, 0x3C010000, 0x10000);
    uint8_t r[32];
    ck_assert_int_eq(mmsim_cpu_read(m, 0, 0x3C010000, r, sizeof r), 0);
    ck_assert(holds_line("cache", 0x3C010000, NULL));
    expect_ok(0x3C010000, 32, M2C);
    ck_assert(!holds_line("cache", 0x3C010000, NULL));
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
}
END_TEST

START_TEST(esp32_m2c_aborts_and_c2m_is_a_no_op)
{
    open_chip("esp32", NULL);
    expect_ok(0x3F800000, 32, C2M | INVALIDATE);
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
    /* The chip abort()s in cache_hal_invalidate_addr; the simulator records that and
     * msync goes on to return OK. */
    expect_ok(0x3F800000, 32, M2C);
    ck_assert_uint_eq(hazards_of(MMSIM_HAZARD_ABORT), 1);
    const mmsim_hazard_t *h = mmsim_hazard_get(m, 0);
    ck_assert_ptr_nonnull(h);
    ck_assert_str_eq(h->cause, "cache_hal_invalidate_addr");
}
END_TEST

START_TEST(log_level_none_silences_the_errors_but_not_the_checks)
{
    open_chip("esp32s3", NULL);
    esp_log_level_set("cache", ESP_LOG_NONE);
    expect_fail(0, 0x20, C2M, ESP_ERR_INVALID_ARG, NULL);
    expect_fail(S3_V + 1, 0x20, C2M, ESP_ERR_INVALID_ARG, NULL);
    esp_log_level_set("cache", ESP_LOG_ERROR);
    expect_fail(0, 0x20, C2M, ESP_ERR_INVALID_ARG, "null pointer");
    expect_fail(0x1000, 0x20, C2M, ESP_ERR_NOT_SUPPORTED, NULL);
}
END_TEST

START_TEST(freeze_helpers_reach_the_hal)
{
    open_chip("esp32s3", NULL);
    esp_cache_freeze_caches_disable_interrupts();
    esp_cache_unfreeze_caches_enable_interrupts();
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
    /* An unfreeze with none in force breaks the HAL's contract: the call got there. */
    esp_cache_unfreeze_caches_enable_interrupts();
    ck_assert_uint_eq(hazards_of(MMSIM_HAZARD_HAL_ASSERT), 1);

    /* ESP-IDF has no freeze helpers on ESP32; calling them here is reported. */
    open_chip("esp32", NULL);
    esp_cache_freeze_caches_disable_interrupts();
    ck_assert_uint_eq(hazards_of(MMSIM_HAZARD_HAL_ASSERT), 1);
    esp_cache_unfreeze_caches_enable_interrupts();
    ck_assert_uint_eq(hazards_of(MMSIM_HAZARD_HAL_ASSERT), 2);
}
END_TEST

/* ---- older releases (§2.6) ---------------------------------------------------------- */

START_TEST(v5_2_to_v5_5_non_cacheable_is_invalid_arg)
{
    static const char *const versions[] = {"v5.2", "v5.3.0", "v5.5.5"};
    for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++) {
        open_chip("esp32s3", versions[i]);
        expect_fail(0x1000, 0x20, C2M, ESP_ERR_INVALID_ARG, "invalid addr or null pointer");
        expect_fail(0x3DFFFFE0, 0x40, M2C, ESP_ERR_INVALID_ARG, "invalid addr or null pointer");
        /* NULL keeps its own check and message. */
        expect_fail(0, 0x20, C2M, ESP_ERR_INVALID_ARG, "null pointer");
        expect_fail(0x3C000000, 0x100000000ull - 0x3C000000u, C2M, ESP_ERR_INVALID_ARG,
                    "wrong size, total size overflow");
        expect_ok(S3_V, 0x20, C2M);
    }
    open_chip("esp32s3", "v6.0");
    expect_fail(0x1000, 0x20, C2M, ESP_ERR_NOT_SUPPORTED, NULL);
}
END_TEST

START_TEST(v5_2_1_accepts_unaligned_m2c)
{
    open_chip("esp32s3", "v5.2.1");
    map_page(0, MMU_TARGET_PSRAM0, S3_V, S3_P);
    uint8_t w[32];
    fill(w, sizeof w, 0x99);
    expect_cpu_read(S3_V, ZERO, sizeof w);
    dma_write(S3_P, w, sizeof w);
    expect_ok(S3_V + 4, 3, M2C | UNALIGNED);
    expect_cpu_read(S3_V, w, sizeof w); /* the whole line was invalidated */
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);

    open_chip("esp32s3", "v5.2.2");
    expect_fail(S3_V + 4, 3, M2C | UNALIGNED, ESP_ERR_INVALID_ARG,
                "M2C direction doesn't allow ESP_CACHE_MSYNC_FLAG_UNALIGNED");
}
END_TEST

START_TEST(v5_1_is_c2m_only_with_its_own_checks)
{
    open_chip("esp32s3", "v5.1");
    map_page(0, MMU_TARGET_PSRAM0, S3_V, S3_P);
    expect_fail(0, 0x20, C2M, ESP_ERR_INVALID_ARG, "null pointer");
    expect_fail(0x1000, 0x20, C2M, ESP_ERR_INVALID_ARG, "invalid address");
    expect_fail(0x3C000000, 0x100000000ull - 0x3C000000u, C2M, ESP_ERR_INVALID_ARG, "invalid address");
    expect_fail(S3_V + 0x10, 0x20, 0, ESP_ERR_INVALID_ARG,
                "start address isn't aligned with the data cache line size (32)B");
    expect_fail(S3_V, 0x30, 0, ESP_ERR_INVALID_ARG, "size isn't aligned with the data cache line size (32)B");

    /* The direction and type bits do not exist yet: an "M2C" is a write-back, and
     * "both directions" is not an error. */
    uint8_t w[32];
    fill(w, sizeof w, 0xAA);
    cpu_write(S3_V, w, sizeof w);
    expect_ok(S3_V, sizeof w, M2C | C2M | TYPE_DATA | TYPE_INST);
    expect_dma_read(S3_P, w, sizeof w);
    ck_assert(holds_line("dcache", S3_V, NULL));
    expect_ok(S3_V, sizeof w, INVALIDATE);
    ck_assert(!holds_line("dcache", S3_V, NULL));
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);

    /* Non-write-back chips: only the address is checked. */
    open_chip("esp32c3", "v5.1");
    expect_ok(0x3C000010, 0x7, 0);
    expect_fail(0x1000, 0x20, 0, ESP_ERR_INVALID_ARG, "invalid address");
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
}
END_TEST

int main(void)
{
    /* The tests read the driver's lines from the capture; keep them off stderr. */
    FILE *quiet = fopen("/dev/null", "w");
    esp_log_set_stream(quiet);
    Suite *s = suite_create("esp_cache_msync");
    TCase *t = tcase_create("esp_cache_msync");
    tcase_add_checked_fixture(t, NULL, teardown);
    tcase_set_timeout(t, 60);
    tcase_add_test(t, null_pointer_is_checked_first);
    tcase_add_test(t, overflow_is_checked_before_the_flags);
    tcase_add_test(t, both_directions_or_both_types_are_rejected_before_the_window_check);
    tcase_add_test(t, non_cacheable_is_not_supported_with_only_a_verbose_log);
    tcase_add_test(t, misaligned_address_or_size_quotes_address_size_and_line);
    tcase_add_test(t, unaligned_m2c_and_instruction_c2m_are_rejected);
    tcase_add_test(t, the_type_flag_picks_the_line_size_checked);
    tcase_add_loop_test(t, line_sizes_per_chip, 0, (int)(sizeof line_cases / sizeof line_cases[0]));
    tcase_add_loop_test(t, msync_direction_decides_what_the_other_side_sees, 0,
                        (int)(sizeof DIRECTIONS / sizeof DIRECTIONS[0]));
    tcase_add_test(t, c2m_on_p4_writes_back_through_l1_and_l2);
    tcase_add_test(t, c2m_invalidate_writes_back_then_drops_the_line);
    tcase_add_test(t, unaligned_c2m_writes_back_whole_lines);
    tcase_add_test(t, c2m_on_chips_without_write_back_is_a_no_op);
    tcase_add_test(t, m2c_on_non_write_back_chip_invalidates);
    tcase_add_test(t, esp32_m2c_aborts_and_c2m_is_a_no_op);
    tcase_add_test(t, log_level_none_silences_the_errors_but_not_the_checks);
    tcase_add_test(t, freeze_helpers_reach_the_hal);
    tcase_add_test(t, v5_2_to_v5_5_non_cacheable_is_invalid_arg);
    tcase_add_test(t, v5_2_1_accepts_unaligned_m2c);
    tcase_add_test(t, v5_1_is_c2m_only_with_its_own_checks);
    suite_add_tcase(s, t);
    int rc = mmsim_check_run(s);
    esp_log_set_stream(NULL);
    if (quiet)
        fclose(quiet);
    return rc;
}
