/* test_fw_build.c - a build read as one thing (firmware/fw_build.c): each kind of path
 * a user points at, the flash it leaves, its configuration files, the bootloader's
 * choice over it, and the refusals.  The builds are the committed ones of
 * scenarios/suites/firmware/builds (written by tests/fw_make_build). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "fw_build.h"

#define BUILDS MMSIM_SOURCE_DIR "/scenarios/suites/firmware/builds"

static fw_build_t B;
static fw_build_boot_t O;
static fw_error_t E;

static void load_ok(const char *path)
{
    ck_assert_msg(fw_build_load(path, &B, &E) == 0, "%s", E.msg);
}

static void boot_ok(const char *chip)
{
    ck_assert_msg(fw_build_boot(&B, fw_chip_by_name(chip), 0x8000, true, &O, &E) == 0, "%s", E.msg);
}

static void done(void)
{
    fw_build_boot_free(&O);
    fw_build_free(&B);
}

START_TEST(folder_reads_flasher_args_and_config)
{
    load_ok(BUILDS "/factory-s3/");
    ck_assert_int_eq(B.kind, FW_BUILD_FLASHER_ARGS);
    ck_assert_str_eq(B.path, BUILDS "/factory-s3/flasher_args.json");
    ck_assert_str_eq(B.target, "esp32s3");
    ck_assert_msg(strstr(B.target_source, "project_description.json"), "%s", B.target_source);
    ck_assert(B.has_sdkconfig && B.has_project);
    ck_assert_str_eq(fw_kv_get(&B.sdkconfig, "CONFIG_ESPTOOLPY_FLASHSIZE")->value, "4MB");
    /* The bootloader at 0x0 (S3), the table at 0x8000, the app at 0x10000. */
    ck_assert_uint_eq(B.flash[0x0], 0xE9);
    ck_assert_uint_eq(B.flash[0x8000], 0xAA);
    ck_assert_uint_eq(B.flash[0x10000], 0xE9);
    ck_assert_uint_eq(B.flash[0x7000], 0xFF); /* nothing written there */
    boot_ok("esp32s3");
    ck_assert_uint_eq(O.app_offset, 0x10000);
    ck_assert_str_eq(O.app_label, "factory");
    ck_assert_int_eq(O.image.drom_segment, 0);
    ck_assert_int_eq(O.image.irom_segment, 2);
    ck_assert_msg(strstr(O.log, " 2 factory          factory app      00 00 00010000 00100000\n"), "%s", O.log);
    done();
}
END_TEST

START_TEST(flash_args_file_gives_the_same_flash)
{
    load_ok(BUILDS "/factory-s3/flasher_args.json");
    size_t len = B.flash_len;
    uint8_t *copy = malloc(len);
    memcpy(copy, B.flash, len);
    fw_build_free(&B);
    load_ok(BUILDS "/factory-s3/flash_args");
    ck_assert_int_eq(B.kind, FW_BUILD_FLASH_ARGS);
    ck_assert_uint_eq(B.flash_len, len);
    ck_assert(memcmp(copy, B.flash, len) == 0);
    free(copy);
    done();
}
END_TEST

START_TEST(merged_flash_boots_what_otadata_selects)
{
    load_ok(BUILDS "/ota1-c6");
    const char *merged = "test_fw_build_merged.tmp"; /* no .bin: told by its bytes */
    FILE *f = fopen(merged, "wb");
    ck_assert(f && fwrite(B.flash, 1, B.flash_len, f) == B.flash_len && fclose(f) == 0);
    fw_build_free(&B);
    load_ok(merged);
    ck_assert_int_eq(B.kind, FW_BUILD_MERGED);
    ck_assert_str_eq(B.target, "esp32c6"); /* the bootloader's chip id at 0x0 + 12 */
    ck_assert_msg(strstr(B.target_source, "byte offset 0xc (the bootloader's chip id)"), "%s", B.target_source);
    boot_ok("esp32c6");
    ck_assert_uint_eq(O.app_offset, 0x210000);
    ck_assert_str_eq(O.app_label, "ota_1");
    ck_assert_msg(strstr(O.log, "OTA data"), "%s", O.log);
    done();
    remove(merged);
}
END_TEST

START_TEST(lone_app_image_names_its_chip)
{
    load_ok(BUILDS "/factory-esp32/mmsim-app.bin");
    ck_assert_int_eq(B.kind, FW_BUILD_APP_IMAGE);
    ck_assert_str_eq(B.target, "esp32"); /* sdkconfig beside it says so too */
    ck_assert_uint_eq(B.flash_len, FW_BUILD_APP_OFFSET + 0xAA0);
    boot_ok("esp32");
    ck_assert_uint_eq(O.app_offset, FW_BUILD_APP_OFFSET);
    ck_assert_uint_eq(O.image.segments[0].flash_offset, 0x10020);
    ck_assert_str_eq(O.log, "");
    done();
}
END_TEST

START_TEST(refusals_name_the_file_and_place)
{
    ck_assert_int_eq(fw_build_load(BUILDS, &B, &E), FW_ERR_IO);
    ck_assert_msg(strstr(E.msg, "neither"), "%s", E.msg);
    ck_assert_int_eq(fw_build_load(BUILDS "/missing-app", &B, &E), FW_ERR_IO);
    ck_assert_msg(strstr(E.msg, "flasher_args.json:13:9: image 'app' at 0x10000"), "%s", E.msg);
    ck_assert_int_eq(fw_build_load(BUILDS "/overlap", &B, &E), FW_ERR_OVERLAP);
    ck_assert_int_eq(fw_build_load(BUILDS "/past-flash", &B, &E), FW_ERR_RANGE);
    ck_assert_int_eq(fw_build_load(BUILDS "/BUILDS", &B, &E), FW_ERR_SYNTAX); /* text, not a list */
    ck_assert_msg(strstr(E.msg, "BUILDS:"), "%s", E.msg);
    ck_assert_int_eq(fw_build_load(BUILDS "/nothing-here", &B, &E), FW_ERR_IO);
    ck_assert_msg(strstr(E.msg, "nothing-here: cannot open"), "%s", E.msg);
    load_ok(BUILDS "/bad-checksum");
    ck_assert_int_eq(fw_build_boot(&B, fw_chip_by_name("esp32c3"), 0x8000, true, &O, &E), FW_ERR_CHECKSUM);
    ck_assert_msg(strstr(E.msg, "partition 'factory' at 0x10000: byte offset 0xa7f: Checksum failed"), "%s", E.msg);
    done();
    load_ok(BUILDS "/bad-chip");
    ck_assert_int_eq(fw_build_boot(&B, fw_chip_by_name("esp32c3"), 0x8000, true, &O, &E), FW_ERR_CHIP);
    done();
}
END_TEST

/* A build made with CONFIG_PARTITION_TABLE_MD5 off: its sdkconfig says so and its table
 * has no MD5 record.  The bootloader's choice reads it when the record is not required,
 * and names the option when it is. */
START_TEST(table_without_md5_boots_when_not_required)
{
    load_ok(BUILDS "/nomd5-c3");
    const fw_kv_t *e = fw_kv_get(&B.sdkconfig, "CONFIG_PARTITION_TABLE_MD5");
    ck_assert(e && !e->set);
    ck_assert_uint_eq(e->line, 5);
    ck_assert_uint_eq(B.flash[0x8060], 0xFF); /* the end marker where the record would be */
    ck_assert_int_eq(fw_build_boot(&B, fw_chip_by_name("esp32c3"), 0x8000, true, &O, &E), FW_ERR_MD5);
    ck_assert_msg(strstr(E.msg, "flasher_args.json: partition table at 0x8000: entry 3: no MD5 record before the end "
                                "marker (the app refuses such a table unless CONFIG_PARTITION_TABLE_MD5 is off)"),
                  "%s", E.msg);
    fw_build_boot_free(&O);
    ck_assert_msg(fw_build_boot(&B, fw_chip_by_name("esp32c3"), 0x8000, false, &O, &E) == 0, "%s", E.msg);
    ck_assert_str_eq(O.app_label, "factory");
    ck_assert(!O.merged->table.has_md5);
    ck_assert_uint_eq(O.merged->table.count, 3);
    done();
    /* A table with its record reads the same either way. */
    load_ok(BUILDS "/factory-s3");
    ck_assert_ptr_null(fw_kv_get(&B.sdkconfig, "CONFIG_PARTITION_TABLE_MD5"));
    ck_assert_msg(fw_build_boot(&B, fw_chip_by_name("esp32s3"), 0x8000, false, &O, &E) == 0, "%s", E.msg);
    ck_assert(O.merged->table.has_md5);
    done();
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("fw_build");
    TCase *t = tcase_create("build");
    tcase_add_test(t, folder_reads_flasher_args_and_config);
    tcase_add_test(t, table_without_md5_boots_when_not_required);
    tcase_add_test(t, flash_args_file_gives_the_same_flash);
    tcase_add_test(t, merged_flash_boots_what_otadata_selects);
    tcase_add_test(t, lone_app_image_names_its_chip);
    tcase_add_test(t, refusals_name_the_file_and_place);
    suite_add_tcase(s, t);
    return s;
}

int main(void) { return mmsim_check_run(suite()); }
