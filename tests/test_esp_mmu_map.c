/* test_esp_mmu_map.c - the map driver through its public API on simulated chips:
 * placement, relation rules, errors and their log lines, conversions, the dump. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "esp_log.h"
#include "esp_mmu_map.h"
#include "mmsim.h"

static mmsim_t *open_chip(const char *name, const char *const *sets, size_t nsets, uint32_t irom, uint32_t drom)
{
    mmsim_config_t cfg = mmsim_config_default(name);
    cfg.sets = sets;
    cfg.nsets = nsets;
    cfg.app_irom_size = irom;
    cfg.app_drom_size = drom;
    mmsim_t *m = NULL;
    ck_assert_msg(mmsim_open(&cfg, &m) == 0, "%s", mmsim_last_error());
    return m;
}

/* The text esp_mmu_map_dump_mapped_blocks writes. */
static char *dump_text(void)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(esp_mmu_map_dump_mapped_blocks(f), ESP_OK);
    fclose(f);
    return text;
}

START_TEST(s3_dump_matches_the_reference_example_byte_for_byte)
{
    const char *no_psram[] = {"psram_size=0"};
    mmsim_t *m = open_chip("esp32s3", no_psram, 1, 0x40000, 0x20000);
    void *a, *b, *c;
    ck_assert_int_eq(esp_mmu_map(0x110000, 0x10000, MMU_TARGET_FLASH0, MMU_MEM_CAP_READ, 0, &a), ESP_OK);
    ck_assert_int_eq(esp_mmu_map(0x120000, 0x10000, MMU_TARGET_FLASH0, MMU_MEM_CAP_EXEC, 0, &b), ESP_OK);
    ck_assert_int_eq(esp_mmu_map(0x130000, 0x10000, MMU_TARGET_FLASH0, MMU_MEM_CAP_READ, 0, &c), ESP_OK);
    ck_assert_ptr_eq(a, (void *)0x3c060000);
    ck_assert_ptr_eq(b, (void *)0x42070000);
    ck_assert_ptr_eq(c, (void *)0x3c080000);
    char *text = dump_text();
    const char *want = "region 0:\n"
                       "Bus ID          Start          Free Head      End          Caps         Max Slot Size\n"
                       "0x9             0x0            0x60000        0x2000000    0x1f         0x1f70000 \n"
                       "mapped blocks:\n"
                       "ID   Vaddr Start   Vaddr End    Block Size   Caps   Paddr Start   Paddr End  \n"
                       "0    0x3c060000    0x3c070000   0x10000      0x2    0x110000      0x120000  \n"
                       "1    0x42070000    0x42080000   0x10000      0x1    0x120000      0x130000  \n"
                       "2    0x3c080000    0x3c090000   0x10000      0x2    0x130000      0x140000  \n"
                       "\n";
    ck_assert_str_eq(text, want);
    free(text);
    mmsim_close(m);
}
END_TEST

START_TEST(mapped_flash_reads_through_the_cache_and_errors_log)
{
    mmsim_t *m = open_chip("esp32c6", NULL, 0, 0, 0);
    ck_assert_int_eq(mmsim_flash_write(m, 0x200000, "\x11\x22\x33\x44", 4), 0);
    void *p = NULL;
    ck_assert_int_eq(esp_mmu_map(0x200000, 100, MMU_TARGET_FLASH0, MMU_MEM_CAP_READ | MMU_MEM_CAP_8BIT, 0, &p), ESP_OK);
    uint32_t w = 0;
    ck_assert_int_eq(mmsim_cpu_read(m, 0, (uint32_t)(uintptr_t)p, &w, 4), 0);
    ck_assert_uint_eq(w, 0x44332211);
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
    esp_log_capture_begin();
    void *q = NULL;
    ck_assert_int_eq(esp_mmu_map(0x200001, 100, MMU_TARGET_FLASH0, MMU_MEM_CAP_READ, 0, &q), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(esp_mmu_map(0x200000, 100, MMU_TARGET_FLASH0, MMU_MEM_CAP_READ, 0, NULL), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(esp_mmu_map(0x210000, 100, MMU_TARGET_PSRAM0, MMU_MEM_CAP_READ, 0, &q), ESP_ERR_NOT_SUPPORTED);
    const char *log = esp_log_capture_text();
    ck_assert_ptr_nonnull(strstr(log, "mmap: esp_mmu_map_virt("));
    ck_assert_ptr_nonnull(strstr(log, "): paddr must be rounded up to the nearest multiple of CONFIG_MMU_PAGE_SIZE\n"));
    ck_assert_ptr_nonnull(strstr(log, "mmap: esp_mmu_map("));
    ck_assert_ptr_nonnull(strstr(log, "): PSRAM is not supported\n"));
    esp_log_capture_end();
    ck_assert_int_eq(esp_mmu_unmap(p), ESP_OK);
    ck_assert_int_eq(esp_mmu_unmap(p), ESP_ERR_NOT_FOUND);
    mmsim_close(m);
}
END_TEST

static Suite *map_suite(void)
{
    Suite *s = suite_create("esp_mmu_map");
    TCase *t = tcase_create("api");
    tcase_add_test(t, s3_dump_matches_the_reference_example_byte_for_byte);
    tcase_add_test(t, mapped_flash_reads_through_the_cache_and_errors_log);
    suite_add_tcase(s, t);
    return s;
}

int main(void) { return mmsim_check_run(map_suite()); }
