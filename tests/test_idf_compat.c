/* test_idf_compat.c - the compatibility layer ESP-IDF's driver sources are built with
 * (idf/compat) and the generator of their compile-time configuration (idf/gen): log
 * routing, lock and critical-section semantics, heap_caps on the host allocator, the
 * app image bounds, assert(), and sdkconfig.h / SOC constants per chip.  Needs no
 * ESP-IDF checkout: the layer is compiled here for the ESP32 configuration. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"

#include "esp_check.h"
#include "esp_heap_caps.h"
#include "esp_log.h"
#include "esp_mmu_map.h"
#include "esp_private/critical_section.h"
#include "esp_private/image_layout.h"
#include "esp_private/mmsim_hint.h"
#include "freertos/semphr.h"
#include "idf_gen.h"
#include "mmsim.h"
#include "mmsim_idf_compat.h"
#include "mmsim_idf_compat_private.h"
#include "mmsim_idf_prelude.h"
#include "sys/lock.h"

/* libmmsim's log capture (core/include/esp_log.h; that header's level enum would clash
 * with the compat esp_log.h under test, so only these are declared). */
void esp_log_capture_begin(void);
const char *esp_log_capture_text(void);
void esp_log_capture_end(void);
void esp_log_capture_quiet(bool quiet);
void esp_log_level_set(const char *tag, esp_log_level_t level);

static mmsim_t *m;

static void setup(void)
{
    mmsim_config_t cfg = mmsim_config_default("esp32");
    ck_assert_int_eq(mmsim_open(&cfg, &m), 0);
    esp_log_capture_begin();
    esp_log_capture_quiet(true);
}

static void teardown(void)
{
    esp_log_capture_end();
    mmsim_close(m);
    m = NULL;
}

static size_t aborts(void)
{
    size_t n = 0;
    for (size_t i = 0; i < mmsim_hazard_count(m); i++)
        n += mmsim_hazard_get(m, i)->kind == MMSIM_HAZARD_ABORT;
    return n;
}

/* ---- log routing ---- */

static esp_err_t checked(int arg)
{
    ESP_RETURN_ON_FALSE(arg > 0, ESP_ERR_INVALID_ARG, "mmap", "arg must be positive, got %d", arg);
    return ESP_OK;
}

START_TEST(log_lines_reach_libmmsims_capture_in_the_chip_shape)
{
    ESP_LOGE("mmap", "no mem %d", 7);
    ESP_EARLY_LOGI("esp_himem", "Initialized.");
    const char *t = esp_log_capture_text();
    ck_assert_ptr_nonnull(strstr(t, "E (0) mmap: no mem 7\n"));
    ck_assert_ptr_nonnull(strstr(t, "I (0) esp_himem: Initialized.\n"));
}
END_TEST

START_TEST(check_macros_log_function_and_line_then_return)
{
    ck_assert_int_eq(checked(1), ESP_OK);
    ck_assert_str_eq(esp_log_capture_text(), "");
    ck_assert_int_eq(checked(-2), ESP_ERR_INVALID_ARG);
    ck_assert_ptr_nonnull(strstr(esp_log_capture_text(), "E (0) mmap: checked("));
    ck_assert_ptr_nonnull(strstr(esp_log_capture_text(), "): arg must be positive, got -2\n"));
}
END_TEST

/* ---- locks and critical sections ---- */

START_TEST(lock_is_exclusive_and_a_second_acquire_is_a_reported_deadlock)
{
    _lock_t l;
    _lock_init(&l);
    ck_assert_int_eq(_lock_try_acquire(&l), 0);
    ck_assert_int_eq(_lock_try_acquire(&l), -1);
    ck_assert_uint_eq(aborts(), 0);
    _lock_acquire(&l); /* the same task again: hangs on the chip */
    ck_assert_uint_eq(aborts(), 1);
    _lock_release(&l);
    ck_assert_int_eq(_lock_try_acquire(&l), 0);
    _lock_release(&l);
    _lock_release(&l); /* not held */
    ck_assert_uint_eq(aborts(), 2);
}
END_TEST

START_TEST(recursive_lock_nests)
{
    _lock_t l;
    _lock_init_recursive(&l);
    _lock_acquire_recursive(&l);
    _lock_acquire_recursive(&l);
    _lock_release_recursive(&l);
    _lock_release_recursive(&l);
    ck_assert_uint_eq(aborts(), 0);
    _lock_release_recursive(&l);
    ck_assert_uint_eq(aborts(), 1);
}
END_TEST

DEFINE_CRIT_SECTION_LOCK_STATIC(s_spin);

START_TEST(critical_sections_nest_and_an_unmatched_exit_is_reported)
{
    esp_os_enter_critical(&s_spin);
    esp_os_enter_critical_safe(&s_spin);
    ck_assert_uint_eq(s_spin.count, 2);
    esp_os_exit_critical_safe(&s_spin);
    esp_os_exit_critical(&s_spin);
    ck_assert_uint_eq(s_spin.count, 0);
    ck_assert_uint_eq(s_spin.owner, portMUX_FREE_VAL);
    ck_assert_uint_eq(aborts(), 0);
    esp_os_exit_critical(&s_spin);
    ck_assert_uint_eq(aborts(), 1);
}
END_TEST

/* ---- heap_caps on the host allocator ---- */

START_TEST(internal_requests_get_tracked_host_memory_and_psram_ones_null)
{
    size_t live = mmsim_idf_alloc_live();
    unsigned char *p = heap_caps_malloc(64, MALLOC_CAP_INTERNAL | MALLOC_CAP_8BIT);
    ck_assert_ptr_nonnull(p);
    memset(p, 0xA5, 64);
    unsigned *z = heap_caps_calloc(8, sizeof *z, MALLOC_CAP_INTERNAL);
    ck_assert_ptr_nonnull(z);
    for (int i = 0; i < 8; i++)
        ck_assert_uint_eq(z[i], 0);
    ck_assert_uint_eq(mmsim_idf_alloc_live(), live + 2);
    ck_assert_ptr_null(heap_caps_malloc(64, MALLOC_CAP_SPIRAM));
    ck_assert_ptr_null(heap_caps_malloc(0, MALLOC_CAP_INTERNAL)); /* as ESP-IDF's heap */
    p = heap_caps_realloc(p, 128, MALLOC_CAP_INTERNAL);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq(p[63], 0xA5);
    heap_caps_free(p);
    heap_caps_free(z);
    heap_caps_free(NULL);
    ck_assert_uint_eq(mmsim_idf_alloc_live(), live);
}
END_TEST

START_TEST(release_all_frees_what_the_driver_still_holds)
{
    for (int i = 0; i < 10; i++)
        ck_assert_ptr_nonnull(heap_caps_calloc(1, 48, MALLOC_CAP_INTERNAL));
    ck_assert_uint_ge(mmsim_idf_alloc_live(), 10);
    mmsim_idf_alloc_release_all(); /* the sanitizer build checks nothing leaks */
    ck_assert_uint_eq(mmsim_idf_alloc_live(), 0);
}
END_TEST

START_TEST(an_injected_failure_hits_exactly_the_nth_allocation)
{
    mmsim_idf_alloc_fail_at(2);
    void *a = heap_caps_malloc(8, MALLOC_CAP_INTERNAL);
    void *b = heap_caps_malloc(8, MALLOC_CAP_INTERNAL);
    void *c = heap_caps_malloc(8, MALLOC_CAP_INTERNAL);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_null(b);
    ck_assert_ptr_nonnull(c);
    heap_caps_free(a);
    heap_caps_free(c);
}
END_TEST

START_TEST(heap_blocks_fit_in_32_bits_and_lie_outside_every_window)
{
    /* flash_mmap.c keeps its block in a uint32_t handle and takes it back. */
    void *p = heap_caps_calloc(1, 24, MALLOC_CAP_INTERNAL);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_le((uintptr_t)p, UINT32_MAX);
    uint32_t handle = (uint32_t)(uintptr_t)p;
    ck_assert_ptr_eq((void *)(uintptr_t)handle, p);
    ck_assert(mmsim_idf_alloc_is_host(p, 24));
    ck_assert(!mmsim_hint_is_chip_range((uintptr_t)p, 24));
    int local;
    ck_assert(!mmsim_idf_alloc_is_host(&local, sizeof local));
    heap_caps_free(p);
}
END_TEST

START_TEST(a_freed_block_keeps_its_bytes_until_it_is_reused)
{
    unsigned *a = heap_caps_malloc(16, MALLOC_CAP_INTERNAL);
    a[0] = 0x12345678;
    heap_caps_free(a);
    ck_assert_uint_eq(a[0], 0x12345678); /* as the chip's heap leaves it */
    unsigned *b = heap_caps_malloc(8, MALLOC_CAP_INTERNAL);
    ck_assert_ptr_eq(b, a); /* first fit */
    heap_caps_free(b);
    ck_assert_uint_eq(aborts(), 0);
}
END_TEST

START_TEST(a_double_free_is_one_abort_and_frees_nothing)
{
    size_t live = mmsim_idf_alloc_live();
    void *keep = heap_caps_malloc(8, MALLOC_CAP_INTERNAL);
    void *p = heap_caps_malloc(8, MALLOC_CAP_INTERNAL);
    heap_caps_free(p);
    ck_assert_uint_eq(aborts(), 0);
    heap_caps_free(p);
    ck_assert_uint_eq(aborts(), 1);
    ck_assert_ptr_nonnull(strstr(mmsim_hazard_format(mmsim_hazard_get(m, 0), (char[400]){0}, 400), "double free"));
    ck_assert_uint_eq(mmsim_idf_alloc_live(), live + 1);
    int local;
    heap_caps_free(&local); /* after the first stop: not reported again */
    ck_assert_uint_eq(aborts(), 1);
    heap_caps_free(keep);
    ck_assert_uint_eq(mmsim_idf_alloc_live(), live);
}
END_TEST

START_TEST(a_pointer_the_heap_never_gave_is_refused)
{
    int local;
    heap_caps_free(&local);
    ck_assert_uint_eq(aborts(), 1);
    ck_assert_ptr_null(heap_caps_realloc(&local, 8, MALLOC_CAP_INTERNAL));
}
END_TEST

/* ---- binary semaphores ---- */

START_TEST(a_binary_semaphore_is_created_taken_and_an_endless_wait_is_reported)
{
    SemaphoreHandle_t sem = xSemaphoreCreateBinary();
    ck_assert_ptr_nonnull(sem);
    ck_assert_int_eq(xSemaphoreTake(sem, 0), pdFALSE); /* created taken; no wait: no hang */
    ck_assert_uint_eq(aborts(), 0);
    ck_assert_int_eq(xSemaphoreGive(sem), pdTRUE);
    ck_assert_int_eq(xSemaphoreGive(sem), pdFALSE);
    ck_assert_int_eq(xSemaphoreTake(sem, portMAX_DELAY), pdTRUE);
    ck_assert_int_eq(xSemaphoreTake(sem, portMAX_DELAY), pdFALSE); /* no other task gives it */
    ck_assert_uint_eq(aborts(), 1);
    vSemaphoreDelete(sem);
}
END_TEST

/* ---- reading through a mapping ---- */

/* Flash 0..64K mapped for reading on the ESP32 of the fixture: the table at 0x8000. */
static uint32_t map_table_page(void)
{
    void *p = NULL;
    ck_assert_int_eq(esp_mmu_map(0, 0x10000, MMU_TARGET_FLASH0, MMU_MEM_CAP_READ | MMU_MEM_CAP_8BIT, 0, &p), ESP_OK);
    return (uint32_t)(uintptr_t)p;
}

START_TEST(memcpy_from_a_chip_address_loads_through_the_mmu_and_cache)
{
    uint32_t v = map_table_page();
    ck_assert(mmsim_hint_is_chip_range(v + 0x8000, 32));
    unsigned char e[4] = {0};
    ck_assert_ptr_eq(mmsim_idf_memcpy(e, (const void *)(uintptr_t)(v + 0x8000), 4), e);
    ck_assert_uint_eq(e[0], 0xaa);
    ck_assert_uint_eq(e[1], 0x50);
    ck_assert_int_eq(mmsim_idf_memcmp((const void *)(uintptr_t)(v + 0x8000), "\xaa\x50", 2), 0);
    ck_assert_int_ne(mmsim_idf_memcmp("\xaa\x51", (const void *)(uintptr_t)(v + 0x8000), 2), 0);
    /* The line is cached now: a raw SPI1 write under it is not seen, as on the chip. */
    ck_assert_int_eq(mmsim_flash_write(m, 0x8000, "\x00", 1), 0);
    ck_assert_ptr_eq(mmsim_idf_memcpy(e, (const void *)(uintptr_t)(v + 0x8000), 1), e);
    ck_assert_uint_eq(e[0], 0xaa);
    ck_assert_uint_ge(mmsim_hazard_count(m), 1);
    ck_assert_int_eq(mmsim_hazard_get(m, 0)->kind, MMSIM_HAZARD_STALE_READ);
    /* Host memory is copied as it is. */
    char host[3] = "ab";
    ck_assert_ptr_eq(mmsim_idf_memcpy(e, host, 2), e);
    ck_assert_int_eq(mmsim_idf_memcmp(e, "ab", 2), 0);
}
END_TEST

START_TEST(memcpy_to_a_chip_address_is_reported_and_writes_nothing)
{
    uint32_t v = map_table_page();
    mmsim_idf_memcpy((void *)(uintptr_t)(v + 0x8000), "xy", 2);
    ck_assert_uint_eq(aborts(), 1);
    unsigned char b[2];
    ck_assert_int_eq(mmsim_flash_read(m, 0x8000, b, 2), 0);
    ck_assert_uint_eq(b[0], 0xaa);
}
END_TEST

/* Chip address to chip address (upstream's XIP copy, flash view to PSRAM page): CPU
 * loads through one mapping and stores through the other, no abort. */
START_TEST(memcpy_between_chip_addresses_is_cpu_loads_and_stores)
{
    uint32_t v = map_table_page();
    /* The PSRAM heap's first page, which the boot mapped at the DRAM1 window's start. */
    uint32_t paddr = 0, target = 0;
    ck_assert_int_eq(mmsim_translate(m, 0, 0x3F800000u, &paddr, &target), 0);
    ck_assert_uint_eq(target, MMSIM_TARGET_PSRAM);
    void *psram = (void *)(uintptr_t)0x3F800000u;
    ck_assert(mmsim_hint_is_chip_range((uintptr_t)psram, 64));
    ck_assert_ptr_eq(mmsim_idf_memcpy(psram, (const void *)(uintptr_t)(v + 0x8000), 2), psram);
    ck_assert_uint_eq(aborts(), 0);
    unsigned char b[2] = {0};
    ck_assert_int_eq(mmsim_cpu_read(m, 0, (uint32_t)(uintptr_t)psram, b, 2), 0);
    ck_assert_uint_eq(b[0], 0xaa);
    ck_assert_uint_eq(b[1], 0x50);
}
END_TEST

START_TEST(a_hexdump_reads_only_when_the_tag_logs_at_its_level)
{
    uint32_t v = map_table_page();
    const void *table = (const void *)(uintptr_t)(v + 0x8000);
    uint64_t before = mmsim_cycles(m, 0);
    ESP_LOG_BUFFER_HEXDUMP("stored md5", table, 16, ESP_LOG_VERBOSE);
    ck_assert_uint_eq(mmsim_cycles(m, 0), before); /* nothing read */
    ck_assert_str_eq(esp_log_capture_text(), "");
    esp_log_level_set("stored md5", ESP_LOG_VERBOSE);
    ESP_LOG_BUFFER_HEXDUMP("stored md5", table, 20, ESP_LOG_VERBOSE);
    esp_log_level_set("stored md5", ESP_LOG_INFO);
    const char *log = esp_log_capture_text();
    ck_assert_ptr_nonnull(strstr(log, "stored md5: 0x3f"));
    ck_assert_ptr_nonnull(strstr(log, "  aa 50 01 02 00 90 00 00  00 60 00 00 6e 76 73 00  |.P.......`..nvs.|\n"));
    ck_assert_ptr_nonnull(strstr(log, "  00 00 00 00                                       |....|\n"));
    ck_assert_uint_gt(mmsim_cycles(m, 0), before);
}
END_TEST

/* ---- the image bounds and assert() ---- */

START_TEST(linker_symbols_give_the_booted_images_bounds)
{
    extern char _instruction_reserved_start, _rodata_reserved_end;
    ck_assert_uint_eq((uint32_t)(uintptr_t)&_instruction_reserved_start, image_layout_irom_start());
    ck_assert_uint_eq((uint32_t)(uintptr_t)&_rodata_reserved_end, image_layout_drom_end());
    ck_assert_uint_ne(image_layout_irom_start(), 0);
}
END_TEST

START_TEST(a_failed_assert_is_one_abort_hazard)
{
    int one = 1;
    assert(one == 1);
    ck_assert_uint_eq(aborts(), 0);
    assert(one == 2);
    ck_assert_uint_eq(aborts(), 1);
    /* ESP-IDF's panic line without the line number */
    ck_assert_ptr_nonnull(strstr(mmsim_hazard_format(mmsim_hazard_get(m, 0), (char[400]){0}, 400),
                                 "assert failed: a_failed_assert_is_one_abort_hazard_fn test_idf_compat.c (one == 2)"));
    assert(one == 3); /* the chip stopped at the first: not reported again */
    ck_assert_uint_eq(aborts(), 1);
}
END_TEST

/* ---- sdkconfig.h and the SOC constants per chip ---- */

static char *sdk_text, *soc_text;

static int generate(const char *chip, const char *set)
{
    size_t l1, l2;
    free(sdk_text);
    free(soc_text);
    FILE *sdk = open_memstream(&sdk_text, &l1), *soc = open_memstream(&soc_text, &l2);
    mmsim_config_t cfg = mmsim_config_default(chip);
    cfg.sets = (const char *[]){set};
    cfg.nsets = set ? 1 : 0;
    char err[300];
    int rc = idf_gen_write(&cfg, sdk, soc, err, sizeof err);
    fclose(sdk);
    fclose(soc);
    return rc;
}

static void has(const char *text, const char *line)
{
    ck_assert_msg(strstr(text, line), "missing \"%s\" in:\n%s", line, text);
}

START_TEST(every_chip_gets_its_target_page_size_and_region_rows)
{
    static const struct {
        const char *chip, *target, *page, *regions, *row;
    } want[] = {
        {"esp32", "CONFIG_IDF_TARGET_ESP32 1", "0x10000", "0x3U", "SOC_MMU_DRAM1_LINEAR_ADDRESS_LOW 0x1800000U"},
        {"esp32s2", "CONFIG_IDF_TARGET_ESP32S2 1", "0x10000", "0x5U", "SOC_MMU_DPORT_LINEAR_ADDRESS_HIGH 0x1800000U"},
        {"esp32s3", "CONFIG_IDF_TARGET_ESP32S3 1", "0x10000", "0x1U", "SOC_MMU_IRAM0_LINEAR_ADDRESS_HIGH 0x2000000U"},
        {"esp32c2", "CONFIG_IDF_TARGET_ESP32C2 1", "0x10000", "0x1U", "SOC_MMU_IRAM0_LINEAR_ADDRESS_LOW 0x0U"},
        {"esp32c3", "CONFIG_IDF_TARGET_ESP32C3 1", "0x10000", "0x1U", "SOC_MMU_IRAM0_LINEAR_ADDRESS_HIGH 0x800000U"},
        {"esp32c6", "CONFIG_IDF_TARGET_ESP32C6 1", "0x10000", "0x1U", "SOC_MMU_IRAM0_LINEAR_ADDRESS_HIGH 0x800000U"},
        {"esp32h2", "CONFIG_IDF_TARGET_ESP32H2 1", "0x10000", "0x1U", "SOC_MMU_IRAM0_LINEAR_ADDRESS_LOW 0x0U"},
        {"esp32p4", "CONFIG_IDF_TARGET_ESP32P4 1", "0x10000", "0x2U", "SOC_MMU_PSRAM_LINEAR_ADDRESS_LOW 0x8000000U"},
        {"esp32c5", "CONFIG_IDF_TARGET_ESP32C5 1", "0x10000", "0x1U", "SOC_MMU_IRAM0_LINEAR_ADDRESS_HIGH 0x2000000U"},
        {"esp32c61", "CONFIG_IDF_TARGET_ESP32C61 1", "0x10000", "0x1U", "SOC_MMU_IRAM0_LINEAR_ADDRESS_HIGH 0x2000000U"},
        {"esp32h21", "CONFIG_IDF_TARGET_ESP32H21 1", "0x10000", "0x1U", "SOC_MMU_IRAM0_LINEAR_ADDRESS_HIGH 0x1000000U"},
        {"esp32h4", "CONFIG_IDF_TARGET_ESP32H4 1", "0x10000", "0x1U", "SOC_MMU_LINEAR_ADDR_MASK 0x1FFFFFFU"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        ck_assert_int_eq(generate(want[i].chip, NULL), 0);
        char line[128];
        has(sdk_text, want[i].target);
        snprintf(line, sizeof line, "CONFIG_MMU_PAGE_SIZE %s\n", want[i].page);
        has(sdk_text, line);
        snprintf(line, sizeof line, "SOC_MMU_LINEAR_ADDRESS_REGION_NUM %s\n", want[i].regions);
        has(soc_text, line);
        has(soc_text, want[i].row);
    }
}
END_TEST

START_TEST(capabilities_follow_the_chip_definition)
{
    ck_assert_int_eq(generate("esp32", NULL), 0);
    has(sdk_text, "CONFIG_SPIRAM_BANKSWITCH_RESERVE 8\n");
    has(soc_text, "SOC_EXTRAM_DATA_LOW 0x3F800000U");
    ck_assert_ptr_null(strstr(sdk_text, "SINGLE_CORE_MODE"));
    ck_assert_ptr_null(strstr(soc_text, "SOC_CACHE_WRITEBACK_SUPPORTED"));
    ck_assert_int_eq(generate("esp32", "spiram_bankswitch_reserve=4"), 0);
    has(sdk_text, "CONFIG_SPIRAM_BANKSWITCH_RESERVE 4\n");
    ck_assert_int_eq(generate("esp32c3", NULL), 0);
    has(sdk_text, "CONFIG_ESP_SYSTEM_SINGLE_CORE_MODE 1\n");
    has(soc_text, "SOC_CACHE_FREEZE_SUPPORTED 0x1U");
    ck_assert_ptr_null(strstr(sdk_text, "CONFIG_SPIRAM "));
    ck_assert_int_eq(generate("esp32p4", NULL), 0);
    has(soc_text, "SOC_MMU_PER_EXT_MEM_TARGET 0x1U");
    has(soc_text, "MMSIM_IDF_CACHE_LL_EXT_MEM_VIA_L2CACHE 0x1U");
    has(soc_text, "MMSIM_IDF_CACHE_LL_LEVEL_EXT_MEM 0x2U");
    ck_assert_int_eq(generate("esp32s3", NULL), 0);
    has(soc_text, "SOC_CACHE_WRITEBACK_SUPPORTED 0x1U");
}
END_TEST

START_TEST(the_page_size_follows_the_flash_size_where_configurable)
{
    ck_assert_int_eq(generate("esp32c6", "flash_size=2M"), 0);
    has(sdk_text, "CONFIG_MMU_PAGE_SIZE 0x8000\n");
    has(soc_text, "SOC_MMU_PAGE_SIZE_CONFIGURABLE 0x1U");
    ck_assert_int_eq(generate("esp32c2", "flash_size=1M"), 0);
    has(sdk_text, "CONFIG_MMU_PAGE_SIZE 0x4000\n");
}
END_TEST

/* CONFIG_PARTITION_TABLE_MD5, which partition.c tests in #if: on by default, left out
 * (as Kconfig leaves out an unset bool) with partition_table_md5 false. */
START_TEST(partition_table_md5_line_follows_the_config)
{
    ck_assert_int_eq(generate("esp32c3", NULL), 0);
    has(sdk_text, "#define CONFIG_PARTITION_TABLE_MD5 1\n");
    ck_assert_int_eq(generate("esp32c3", "partition_table_md5=false"), 0);
    ck_assert_ptr_null(strstr(sdk_text, "CONFIG_PARTITION_TABLE_MD5"));
    has(sdk_text, "CONFIG_PARTITION_TABLE_OFFSET");
}
END_TEST

/* XIP from PSRAM: the Kconfig lines flash_mmap.c tests in #if, with the hidden
 * FLASH_LOAD_TO_PSRAM only where the CPU copies (not S2/S3), and SOC_SPIRAM_XIP_SUPPORTED
 * wherever the chip offers it. */
START_TEST(xip_from_psram_writes_its_kconfig_lines_per_chip)
{
    ck_assert_int_eq(generate("esp32p4", "spiram_xip_from_psram=true"), 0);
    has(sdk_text, "CONFIG_SPIRAM_FETCH_INSTRUCTIONS 1\n");
    has(sdk_text, "CONFIG_SPIRAM_RODATA 1\n");
    has(sdk_text, "CONFIG_SPIRAM_XIP_FROM_PSRAM 1\n");
    has(sdk_text, "CONFIG_SPIRAM_FLASH_LOAD_TO_PSRAM 1\n");
    has(soc_text, "SOC_SPIRAM_XIP_SUPPORTED 0x1U");
    ck_assert_int_eq(generate("esp32s3", "spiram_rodata=true"), 0);
    has(sdk_text, "CONFIG_SPIRAM_RODATA 1\n");
    ck_assert_ptr_null(strstr(sdk_text, "CONFIG_SPIRAM_FETCH_INSTRUCTIONS"));
    ck_assert_ptr_null(strstr(sdk_text, "CONFIG_SPIRAM_XIP_FROM_PSRAM"));
    ck_assert_ptr_null(strstr(sdk_text, "FLASH_LOAD_TO_PSRAM"));
    ck_assert_int_eq(generate("esp32c5", NULL), 0);
    ck_assert_ptr_null(strstr(sdk_text, "CONFIG_SPIRAM_RODATA"));
    has(soc_text, "SOC_SPIRAM_XIP_SUPPORTED 0x1U");
    ck_assert_int_eq(generate("esp32", NULL), 0);
    ck_assert_ptr_null(strstr(soc_text, "SOC_SPIRAM_XIP_SUPPORTED"));
}
END_TEST

START_TEST(an_unknown_chip_is_refused_and_nothing_written)
{
    ck_assert_int_eq(generate("esp8266", NULL), -1);
    ck_assert_str_eq(sdk_text, "");
    ck_assert_str_eq(soc_text, "");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("idf_compat");
    TCase *t = tcase_create("compat");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, log_lines_reach_libmmsims_capture_in_the_chip_shape);
    tcase_add_test(t, check_macros_log_function_and_line_then_return);
    tcase_add_test(t, lock_is_exclusive_and_a_second_acquire_is_a_reported_deadlock);
    tcase_add_test(t, recursive_lock_nests);
    tcase_add_test(t, critical_sections_nest_and_an_unmatched_exit_is_reported);
    tcase_add_test(t, internal_requests_get_tracked_host_memory_and_psram_ones_null);
    tcase_add_test(t, release_all_frees_what_the_driver_still_holds);
    tcase_add_test(t, an_injected_failure_hits_exactly_the_nth_allocation);
    tcase_add_test(t, heap_blocks_fit_in_32_bits_and_lie_outside_every_window);
    tcase_add_test(t, a_freed_block_keeps_its_bytes_until_it_is_reused);
    tcase_add_test(t, a_double_free_is_one_abort_and_frees_nothing);
    tcase_add_test(t, a_pointer_the_heap_never_gave_is_refused);
    tcase_add_test(t, a_binary_semaphore_is_created_taken_and_an_endless_wait_is_reported);
    tcase_add_test(t, memcpy_from_a_chip_address_loads_through_the_mmu_and_cache);
    tcase_add_test(t, memcpy_to_a_chip_address_is_reported_and_writes_nothing);
    tcase_add_test(t, memcpy_between_chip_addresses_is_cpu_loads_and_stores);
    tcase_add_test(t, a_hexdump_reads_only_when_the_tag_logs_at_its_level);
    tcase_add_test(t, linker_symbols_give_the_booted_images_bounds);
    tcase_add_test(t, a_failed_assert_is_one_abort_hazard);
    suite_add_tcase(s, t);
    TCase *g = tcase_create("generate");
    tcase_add_test(g, every_chip_gets_its_target_page_size_and_region_rows);
    tcase_add_test(g, capabilities_follow_the_chip_definition);
    tcase_add_test(g, the_page_size_follows_the_flash_size_where_configurable);
    tcase_add_test(g, xip_from_psram_writes_its_kconfig_lines_per_chip);
    tcase_add_test(g, partition_table_md5_line_follows_the_config);
    tcase_add_test(g, an_unknown_chip_is_refused_and_nothing_written);
    suite_add_tcase(s, g);
    int rc = mmsim_check_run(s);
    free(sdk_text);
    free(soc_text);
    return rc;
}
