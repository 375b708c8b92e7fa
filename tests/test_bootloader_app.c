/* test_bootloader_app.c - the bootloader's mapping of a user's app and the app's boot
 * page (core/bootloader_app.c), and booting a build through mmsim_config_t.build
 * (sim/mmsim_build.c: the chip from the build, the refusals; mmsim_build_sdkconfig.c:
 * the sdkconfig table). */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "check_main.h"
#include "esp_log.h"
#include "esp_mmu_map.h"
#include "esp_partition.h"
#include "esp_private/bootloader_app.h"
#include "hal/mmu_hal.h"
#include "invariant_wrap.h"
#include "mmsim.h"

#define BUILDS MMSIM_SOURCE_DIR "/scenarios/suites/firmware/builds"

static mmsim_t *boot_build(const char *chip, const char *build)
{
    mmsim_config_t cfg = mmsim_config_default(chip);
    cfg.build = build;
    mmsim_t *m = NULL;
    ck_assert_msg(mmsim_open(&cfg, &m) == 0, "%s", mmsim_last_error());
    return m;
}

static int refuse(const char *chip, const char *build, const char *set, const char *words)
{
    mmsim_config_t cfg = mmsim_config_default(chip);
    cfg.build = build;
    cfg.sets = &set;
    cfg.nsets = set ? 1 : 0;
    mmsim_t *m = NULL;
    int rc = mmsim_open(&cfg, &m);
    ck_assert_ptr_null(m);
    ck_assert_msg(strstr(mmsim_last_error(), words), "wanted '%s' in: %s", words, mmsim_last_error());
    return rc;
}

START_TEST(build_boots_with_the_chip_it_names)
{
    mmsim_t *m = boot_build(NULL, BUILDS "/factory-s3");
    ck_assert_str_eq(mmsim_chip_name(m), "esp32s3");
    const char *log = mmsim_boot_log(m);
    ck_assert_msg(strstr(log, "I (0) esp_image: segment 0: paddr=00010020 vaddr=3c010020 size=00600h (  1536) map\n"),
                  "%s", log);
    ck_assert_msg(strstr(log, "esp_image: segment 1: paddr=00010628 vaddr=3fc88000 size=00040h (    64) load\n"), "%s",
                  log);
    ck_assert_msg(strstr(log, "boot: Loaded app from partition at offset 0x10000\n"), "%s", log);
    uint8_t b[4];
    ck_assert_int_eq(mmsim_cpu_read(m, 0, 0x3c010120, b, 4), 0);
    ck_assert(!memcmp(b, "DROM", 4));
    ck_assert_int_eq(mmsim_cpu_fetch(m, 0, 0x42000670, b, 4), 0);
    ck_assert(!memcmp(b, "IROM", 4));
    uint32_t paddr, target;
    ck_assert_int_eq(mmsim_translate(m, 0, 0x42000000, &paddr, &target), 0);
    ck_assert_uint_eq(paddr, 0x10000);
    /* The boot page stays: image_process only runs with CONFIG_SPIRAM_FLASH_LOAD_TO_PSRAM. */
    ck_assert_int_eq(mmsim_translate(m, 0, 0x3dff0000, &paddr, &target), 0);
    ck_assert_uint_eq(paddr, 0x10000);
    ck_assert_int_eq(mmsim_check_invariants(m, NULL, 0), 0);
    /* esp_mmu_map_init reserved the two pages: the first free block follows them. */
    void *p = NULL;
    ck_assert_int_eq(esp_mmu_map(0x100000, 0x10000, MMU_TARGET_FLASH0, MMU_MEM_CAP_READ, 0, &p), ESP_OK);
    ck_assert_uint_eq((uint32_t)(uintptr_t)p, 0x3c020000);
    mmsim_close(m);
}
END_TEST

START_TEST(psram_load_build_invalidates_the_boot_page)
{
    mmsim_t *m = boot_build(NULL, BUILDS "/psram-load-s3");
    uint32_t paddr, target;
    ck_assert_int_eq(mmsim_translate(m, 0, 0x3dff0000, &paddr, &target), MMSIM_ERR_UNMAPPED);
    ck_assert_int_eq(mmsim_translate(m, 0, 0x3c010020, &paddr, &target), 0);
    mmsim_close(m);
}
END_TEST

START_TEST(esp32_maps_both_cpus_and_no_boot_page)
{
    mmsim_t *m = boot_build("esp32", BUILDS "/factory-esp32");
    uint32_t paddr, target;
    for (uint32_t core = 0; core < 2; core++) {
        ck_assert_int_eq(mmsim_translate(m, core, 0x3f400020, &paddr, &target), 0);
        ck_assert_uint_eq(paddr, 0x10020);
        ck_assert_int_eq(mmsim_translate(m, core, 0x400d0670, &paddr, &target), 0);
        ck_assert_uint_eq(paddr, 0x10670);
    }
    ck_assert_int_eq(mmsim_translate(m, 0, 0x3f7f0000, &paddr, &target), MMSIM_ERR_UNMAPPED);
    mmsim_close(m);
}
END_TEST

/* bootloader_app_map on its own: a hand-made segment table on an ESP32-C3 whose
 * synthetic boot mapped nothing (app sizes 0). */
START_TEST(map_aligns_and_keeps_a_boot_page)
{
    mmsim_config_t cfg = mmsim_config_default("esp32c3");
    const char *sets[] = {"app_irom_size=0", "app_drom_size=0"};
    cfg.sets = sets;
    cfg.nsets = 2;
    mmsim_t *m;
    ck_assert_msg(mmsim_open(&cfg, &m) == 0, "%s", mmsim_last_error());
    bootloader_app_image_t app = {.image_offset = 0x50000, .segment_count = 2, .drom_index = 0, .irom_index = 1,
                                  .mmu_page_size = 0x10000};
    app.segments[0] = (bootloader_segment_t){0x3c030020, 0x18000, 0x50020, BOOTLOADER_SEG_MAP};
    app.segments[1] = (bootloader_segment_t){0x42000040, 0x100, 0x68040, BOOTLOADER_SEG_MAP};
    bootloader_app_spans_t spans;
    esp_log_capture_begin();
    esp_log_capture_quiet(true);
    bootloader_app_log_segments(&app);
    ck_assert_int_eq(bootloader_app_map(&app, &spans), ESP_OK);
    ck_assert_msg(strstr(esp_log_capture_text(), "segment 1: paddr=00068040 vaddr=42000040 size=00100h (   256) map"),
                  "%s", esp_log_capture_text());
    esp_log_capture_end();
    ck_assert_uint_eq(spans.drom_start, 0x3c030020);
    ck_assert_uint_eq(spans.drom_end, 0x3c048020);
    ck_assert_uint_eq(spans.boot_page_vaddr, 0x3c7f0000);
    uint32_t paddr;
    mmu_target_t t;
    /* 0x20 + 0x18000 bytes from 0x3c030000: two pages. */
    ck_assert(mmu_hal_vaddr_to_paddr(0, 0x3c040000, &paddr, &t) && paddr == 0x60000);
    ck_assert(!mmu_hal_vaddr_to_paddr(0, 0x3c050000, &paddr, &t));
    ck_assert(mmu_hal_vaddr_to_paddr(0, 0x42000000, &paddr, &t) && paddr == 0x60000);
    ck_assert(mmu_hal_vaddr_to_paddr(0, 0x3c7f0000, &paddr, &t) && paddr == 0x50000);
    uint32_t part = 0;
    ck_assert_int_eq(bootloader_app_image_process(&part), ESP_OK);
    ck_assert_uint_eq(part, 0x50000);
    ck_assert(!mmu_hal_vaddr_to_paddr(0, 0x3c7f0000, &paddr, &t));
    ck_assert_int_eq(bootloader_app_image_process(&part), ESP_ERR_NOT_FOUND);
    ck_assert_int_eq(bootloader_app_map(NULL, &spans), ESP_ERR_INVALID_ARG);
    app.drom_index = 5;
    ck_assert_int_eq(bootloader_app_map(&app, &spans), ESP_ERR_INVALID_ARG);
    mmsim_close(m);
}
END_TEST

START_TEST(sdkconfig_sets_what_the_caller_does_not)
{
    mmsim_t *m = boot_build("esp32c6", BUILDS "/page32k-c6");
    ck_assert_uint_eq(mmsim_page_size(m), 0x8000);      /* CONFIG_MMU_PAGE_SIZE=0x8000 */
    ck_assert_uint_eq(mmsim_psram_size(m), 0);          /* # CONFIG_SPIRAM is not set */
    ck_assert_uint_eq(mmsim_flash_size(m), 4u << 20);   /* CONFIG_ESPTOOLPY_FLASHSIZE="4MB" */
    mmsim_close(m);
    /* The same value given by the caller is no disagreement. */
    mmsim_config_t cfg = mmsim_config_default("esp32c6");
    cfg.build = BUILDS "/page32k-c6";
    cfg.mmu_page_size = 0x8000;
    ck_assert_msg(mmsim_open(&cfg, &m) == 0, "%s", mmsim_last_error());
    mmsim_close(m);
}
END_TEST

/* A lone image with no sdkconfig beside it: the app descriptor's page size is taken,
 * as the bootloader maps with it; a page size given must agree. */
START_TEST(lone_image_brings_its_page_size)
{
    FILE *in = fopen(BUILDS "/page32k-c6/mmsim-app.bin", "rb"), *out = fopen("lone-app.tmp", "wb");
    ck_assert(in && out);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        ck_assert_uint_eq(fwrite(buf, 1, n, out), n);
    fclose(in);
    ck_assert_int_eq(fclose(out), 0);
    mmsim_t *m = boot_build(NULL, "lone-app.tmp");
    ck_assert_str_eq(mmsim_chip_name(m), "esp32c6");
    ck_assert_uint_eq(mmsim_page_size(m), 0x8000);
    ck_assert_msg(strstr(mmsim_boot_log(m), "segment 0: paddr=00010020 vaddr=42008020"), "%s", mmsim_boot_log(m));
    mmsim_close(m);
    ck_assert_int_eq(refuse(NULL, "lone-app.tmp", "mmu_page_size=64K", "byte 180 of the app descriptor"),
                     MMSIM_ERR_CHIP);
    remove("lone-app.tmp");
}
END_TEST

START_TEST(disagreements_name_both_values)
{
    ck_assert_int_eq(refuse("esp32s3", BUILDS "/factory-s3", "flash_size=8M",
                            "flash_size: 0x800000 (flash_size=8M) but the build says 0x400000 ("),
                     MMSIM_ERR_CHIP);
    ck_assert_int_eq(refuse("esp32c6", BUILDS "/page32k-c6", "mmu_page_size=0x10000",
                            "sdkconfig:6 CONFIG_MMU_PAGE_SIZE=0x8000"),
                     MMSIM_ERR_CHIP);
    ck_assert_int_eq(refuse("esp32c3", BUILDS "/factory-s3", NULL, "but the build is for esp32s3"), MMSIM_ERR_CHIP);
    ck_assert_int_eq(refuse("esp32c3", BUILDS "/bad-hash", NULL, "Image hash failed - image is corrupt"),
                     MMSIM_ERR_BOOT);
    ck_assert_int_eq(refuse("esp32c3", BUILDS "/missing-app", NULL, "mmsim-app.bin: cannot open"), MMSIM_ERR_IO);
    mmsim_config_t cfg = mmsim_config_default("esp32c3");
    cfg.build = BUILDS "/factory-s3";
    cfg.flash_image = BUILDS "/factory-s3/mmsim-app.bin";
    mmsim_t *m = NULL;
    ck_assert_int_eq(mmsim_open(&cfg, &m), MMSIM_ERR_ARG);
}
END_TEST

/* The sdkconfig's cache geometry, SPI choices and CPU clock reach the machine; a value the caller
 * also gives must agree, and the refusal names both. */
START_TEST(sdkconfig_cache_and_spi_choices)
{
    mmsim_t *m = boot_build(NULL, BUILDS "/cache64-s3");
    mmsim_cache_info_t ci = {0};
    bool seen = false;
    for (uint32_t i = 0; i < mmsim_cache_count(m); i++) {
        ck_assert_int_eq(mmsim_cache_info(m, i, &ci), 0);
        if (ci.kind == 2) {
            ck_assert_uint_eq(ci.size, 0x10000);
            ck_assert_uint_eq(ci.line_size, 64);
            seen = true;
        }
    }
    ck_assert(seen);
    ck_assert_uint_eq(mmsim_cpu_mhz(m), 240); /* CONFIG_ESP_DEFAULT_CPU_FREQ_MHZ, not the default 160 */
    mmsim_close(m);
    ck_assert_int_eq(refuse("esp32s3", BUILDS "/cache64-s3", "cpu_freq_mhz=160",
                            "cpu_freq_mhz: 0xa0 (cpu_freq_mhz=160) but the build says 0xf0 ("),
                     MMSIM_ERR_CHIP);
    ck_assert_int_eq(refuse("esp32s3", BUILDS "/cache64-s3", "dcache_line_size=32",
                            "dcache_line_size: 0x20 (dcache_line_size=32) but the build says 0x40 ("),
                     MMSIM_ERR_CHIP);
    ck_assert_int_eq(refuse("esp32s3", BUILDS "/cache64-s3", "flash_mode=dio",
                            "sdkconfig:8 CONFIG_ESPTOOLPY_FLASHMODE_QIO=y"),
                     MMSIM_ERR_CHIP);
}
END_TEST

/* The app's partitions as "label@address " in table order; the find's result. */
static esp_err_t app_partitions(char *out, size_t n)
{
    esp_log_capture_begin();
    esp_log_capture_quiet(true);
    esp_partition_iterator_t it = NULL;
    esp_err_t err = esp_partition_find_err(ESP_PARTITION_TYPE_ANY, ESP_PARTITION_SUBTYPE_ANY, NULL, &it);
    out[0] = '\0';
    for (; it; it = esp_partition_next(it))
        snprintf(out + strlen(out), n - strlen(out), "%s@0x%x ", esp_partition_get(it)->label,
                 (unsigned)esp_partition_get(it)->address);
    esp_log_capture_end();
    return err;
}

/* "# CONFIG_PARTITION_TABLE_MD5 is not set" (a build made with the option off, its table
 * written without the MD5 record): the bootloader accepts the table and the app finds
 * its partitions.  A caller's partition_table_md5 must agree with the row. */
START_TEST(sdkconfig_md5_off_boots_a_table_without_the_record)
{
    char found[256];
    mmsim_t *m = boot_build(NULL, BUILDS "/nomd5-c3");
    ck_assert_int_eq(app_partitions(found, sizeof found), ESP_OK);
    ck_assert_str_eq(found, "nvs@0x9000 phy_init@0xf000 factory@0x10000 ");
    mmsim_close(m);
    mmsim_config_t cfg = mmsim_config_default(NULL);
    cfg.build = BUILDS "/nomd5-c3";
    cfg.partition_table_no_md5 = true; /* the same value: no disagreement */
    ck_assert_msg(mmsim_open(&cfg, &m) == 0, "%s", mmsim_last_error());
    mmsim_close(m);
    ck_assert_int_eq(refuse(NULL, BUILDS "/nomd5-c3", "partition_table_md5=true",
                            "partition_table_md5: true (partition_table_md5=true) but the build says false ("
                            MMSIM_SOURCE_DIR "/scenarios/suites/firmware/builds/nomd5-c3/sdkconfig:5 "
                            "CONFIG_PARTITION_TABLE_MD5 is not set)"),
                     MMSIM_ERR_CHIP);
    /* A build whose sdkconfig does not name the option (ESP-IDF's default, on) with
     * the option turned off by the caller: its table's MD5 record ends the entries. */
    cfg = mmsim_config_default(NULL);
    cfg.build = BUILDS "/factory-s3";
    cfg.partition_table_no_md5 = true;
    ck_assert_msg(mmsim_open(&cfg, &m) == 0, "%s", mmsim_last_error());
    ck_assert_int_eq(app_partitions(found, sizeof found), ESP_OK);
    ck_assert_str_eq(found, "nvs@0x9000 phy_init@0xf000 factory@0x10000 ");
    mmsim_close(m);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("bootloader_app");
    TCase *t = tcase_create("boot");
    tcase_add_test(t, build_boots_with_the_chip_it_names);
    tcase_add_test(t, psram_load_build_invalidates_the_boot_page);
    tcase_add_test(t, esp32_maps_both_cpus_and_no_boot_page);
    tcase_add_test(t, map_aligns_and_keeps_a_boot_page);
    tcase_add_test(t, sdkconfig_sets_what_the_caller_does_not);
    tcase_add_test(t, lone_image_brings_its_page_size);
    tcase_add_test(t, disagreements_name_both_values);
    tcase_add_test(t, sdkconfig_cache_and_spi_choices);
    tcase_add_test(t, sdkconfig_md5_off_boots_a_table_without_the_record);
    suite_add_tcase(s, t);
    return s;
}

int main(void) { return mmsim_check_run(suite()); }
