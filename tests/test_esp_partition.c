/* test_esp_partition.c - partition tables on the simulated chip: the table written at
 * boot (default, CSV, binary, at another offset, a flash image's own), the app partition
 * the bootloader maps (app_offset), the first-use checks with ESP-IDF's log lines (the
 * simulated bootloader's, then the app's load through a temporary mapping), every
 * call's argument checks and return codes, the
 * data path through the flash driver, and per-machine state. */
#define _GNU_SOURCE /* mkstemps */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "esp_flash.h"
#include "esp_flash_partitions.h"
#include "esp_log.h"
#include "esp_mmu_map.h"
#include "esp_partition.h"
#include "esp_private/image_layout.h"
#include "invariant_wrap.h"
#include "mmsim.h"
#include "spi_flash_mmap.h"

#define DATA MMSIM_TEST_DATA "/partitions/"

static mmsim_t *open_with(const char *chip, const char *table, uint32_t offset, const char *image)
{
    mmsim_config_t cfg = mmsim_config_default(chip);
    cfg.partition_table = table;
    cfg.partition_table_offset = offset;
    cfg.flash_image = image;
    mmsim_t *m = NULL;
    ck_assert_msg(mmsim_open(&cfg, &m) == 0, "%s", mmsim_last_error());
    return m;
}

/* A scratch file holding `len` bytes of `text`; the caller unlinks it. */
static void scratch(char path[64], const char *suffix, const void *text, size_t len)
{
    snprintf(path, 64, "/tmp/mmsim-part-XXXXXX%s", suffix);
    int fd = mkstemps(path, (int)strlen(suffix));
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
    close(fd);
}

static void expect_part(const esp_partition_t *p, const char *label, int type, int subtype, uint32_t address,
                        uint32_t size)
{
    ck_assert_ptr_nonnull(p);
    ck_assert_str_eq(p->label, label);
    ck_assert_int_eq(p->type, type);
    ck_assert_int_eq(p->subtype, subtype);
    ck_assert_uint_eq(p->address, address);
    ck_assert_uint_eq(p->size, size);
    ck_assert_uint_eq(p->erase_size, 0x1000);
    ck_assert_ptr_eq(p->flash_chip, esp_flash_default_chip);
}

START_TEST(default_table_is_espidf_single_app)
{
    mmsim_t *m = open_with("esp32c6", NULL, 0, NULL);
    uint8_t magic[2];
    ck_assert_int_eq(mmsim_flash_read(m, 0x8000, magic, 2), 0);
    ck_assert_uint_eq(magic[0], 0xAA);
    ck_assert_uint_eq(magic[1], 0x50);
    esp_partition_iterator_t it = esp_partition_find(ESP_PARTITION_TYPE_ANY, ESP_PARTITION_SUBTYPE_ANY, NULL);
    expect_part(esp_partition_get(it), "nvs", 1, 2, 0x9000, 0x6000);
    it = esp_partition_next(it);
    expect_part(esp_partition_get(it), "phy_init", 1, 1, 0xf000, 0x1000);
    it = esp_partition_next(it);
    expect_part(esp_partition_get(it), "factory", 0, 0, 0x10000, 0x100000);
    ck_assert_ptr_null(esp_partition_next(it)); /* released at the end */
    mmsim_close(m);
}
END_TEST

START_TEST(csv_table_find_by_type_subtype_label)
{
    mmsim_t *m = open_with("esp32s3", DATA "two-ota.csv", 0, NULL);
    expect_part(esp_partition_find_first(ESP_PARTITION_TYPE_APP, ESP_PARTITION_SUBTYPE_APP_OTA_1, NULL), "ota_1", 0,
                0x11, 0x210000, 0x100000);
    expect_part(esp_partition_find_first(ESP_PARTITION_TYPE_DATA, ESP_PARTITION_SUBTYPE_ANY, "otadata"), "otadata",
                1, 0, 0xd000, 0x2000);
    ck_assert_ptr_null(esp_partition_find_first(ESP_PARTITION_TYPE_DATA, ESP_PARTITION_SUBTYPE_ANY, "ota_0"));
    /* Apps in table order. */
    const char *want[] = {"factory", "ota_0", "ota_1"};
    int n = 0;
    for (esp_partition_iterator_t it = esp_partition_find(ESP_PARTITION_TYPE_APP, ESP_PARTITION_SUBTYPE_ANY, NULL);
         it; it = esp_partition_next(it))
        ck_assert_str_eq(esp_partition_get(it)->label, want[n++]);
    ck_assert_int_eq(n, 3);
    esp_partition_iterator_t it = (esp_partition_iterator_t)1;
    ck_assert_int_eq(esp_partition_find_err(ESP_PARTITION_TYPE_ANY, ESP_PARTITION_SUBTYPE_DATA_NVS, NULL, &it),
                     ESP_ERR_INVALID_ARG);
    ck_assert_ptr_null(it);
    ck_assert_int_eq(esp_partition_find_err(ESP_PARTITION_TYPE_APP, ESP_PARTITION_SUBTYPE_APP_TEST, NULL, &it),
                     ESP_ERR_NOT_FOUND);
    ck_assert_int_eq(esp_partition_find_err(ESP_PARTITION_TYPE_APP, ESP_PARTITION_SUBTYPE_ANY, NULL, NULL),
                     ESP_ERR_INVALID_ARG);
    const esp_partition_t *p = (const esp_partition_t *)1;
    ck_assert_int_eq(esp_partition_find_first_err(ESP_PARTITION_TYPE_BOOTLOADER, ESP_PARTITION_SUBTYPE_ANY, NULL, &p),
                     ESP_ERR_NOT_FOUND);
    ck_assert_ptr_null(p);
    ck_assert_int_eq(esp_partition_find_first_err(ESP_PARTITION_TYPE_APP, ESP_PARTITION_SUBTYPE_ANY, NULL, NULL),
                     ESP_ERR_INVALID_ARG);
    /* An open iterator the program forgets is freed with the machine. */
    ck_assert_ptr_nonnull(esp_partition_find(ESP_PARTITION_TYPE_ANY, ESP_PARTITION_SUBTYPE_ANY, NULL));
    mmsim_close(m);
}
END_TEST

START_TEST(verify_finds_the_tables_own_copy)
{
    mmsim_t *m = open_with("esp32c3", DATA "two-ota.csv", 0, NULL);
    const esp_partition_t *own = esp_partition_find_first(ESP_PARTITION_TYPE_APP, ESP_PARTITION_SUBTYPE_APP_OTA_0, NULL);
    esp_partition_t copy = *own, *out = NULL;
    ck_assert_ptr_eq(esp_partition_verify(&copy), own);
    copy.label[0] = '\0'; /* no label: found by type and subtype */
    ck_assert_ptr_eq(esp_partition_verify(&copy), own);
    copy.size -= 0x1000;
    ck_assert_ptr_null(esp_partition_verify(&copy));
    ck_assert_int_eq(esp_partition_verify_err(&copy, (const esp_partition_t **)&out), ESP_ERR_NOT_FOUND);
    ck_assert_int_eq(esp_partition_verify_err(NULL, (const esp_partition_t **)&out), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(esp_partition_verify_err(own, NULL), ESP_ERR_INVALID_ARG);
    mmsim_close(m);
}
END_TEST

START_TEST(read_write_erase_checks_and_codes)
{
    mmsim_t *m = open_with("esp32c6", NULL, 0, NULL);
    const esp_partition_t *nvs = esp_partition_find_first(ESP_PARTITION_TYPE_DATA, ESP_PARTITION_SUBTYPE_DATA_NVS, NULL);
    uint8_t b[16] = {0};
    ck_assert_int_eq(esp_partition_read(nvs, 0x6001, b, 0), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(esp_partition_read(nvs, 0x6000, b, 0), ESP_OK);
    ck_assert_int_eq(esp_partition_read(nvs, 0x5ff8, b, 16), ESP_ERR_INVALID_SIZE);
    ck_assert_int_eq(esp_partition_read_raw(nvs, 0x7000, b, 1), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(esp_partition_read_raw(nvs, 0, b, 0x6001), ESP_ERR_INVALID_SIZE);
    ck_assert_int_eq(esp_partition_write(nvs, 0x6001, b, 0), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(esp_partition_write(nvs, 0x5fff, b, 2), ESP_ERR_INVALID_SIZE);
    ck_assert_int_eq(esp_partition_write_raw(nvs, 0x6001, b, 0), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(esp_partition_write_raw(nvs, 0x5fff, b, 2), ESP_ERR_INVALID_SIZE);
    /* Erase: bounds first, then size alignment (INVALID_SIZE), then offset (INVALID_ARG). */
    ck_assert_int_eq(esp_partition_erase_range(nvs, 0x7000, 0), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(esp_partition_erase_range(nvs, 0x1000, 0x6000), ESP_ERR_INVALID_SIZE);
    ck_assert_int_eq(esp_partition_erase_range(nvs, 0x800, 0x800), ESP_ERR_INVALID_SIZE);
    ck_assert_int_eq(esp_partition_erase_range(nvs, 0x800, 0x1000), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(esp_partition_erase_range(nvs, 0x1000, 0x1000), ESP_OK);
    /* NULL partition: ESP-IDF asserts; here an abort hazard and INVALID_ARG. */
    ck_assert_int_eq(esp_partition_read(NULL, 0, b, 1), ESP_ERR_INVALID_ARG);
    ck_assert_uint_eq(mmsim_hazard_count_kind(m, MMSIM_HAZARD_ABORT), 1);
    ck_assert_uint_eq(esp_partition_get_main_flash_sector_size(), 0x1000);
    mmsim_close(m);
}
END_TEST

START_TEST(written_data_reads_back_both_ways)
{
    mmsim_t *m = open_with("esp32s3", DATA "two-ota.csv", 0, NULL);
    const esp_partition_t *p = esp_partition_find_first(ESP_PARTITION_TYPE_APP, ESP_PARTITION_SUBTYPE_APP_OTA_0, NULL);
    ck_assert_int_eq(esp_partition_erase_range(p, 0x2000, 0x1000), ESP_OK);
    ck_assert_int_eq(esp_partition_write(p, 0x2010, "\x12\x34\x56\x78", 4), ESP_OK);
    ck_assert_int_eq(esp_partition_write_raw(p, 0x2014, "\x9a\xbc", 2), ESP_OK);
    uint8_t b[8], raw[8];
    ck_assert_int_eq(esp_partition_read(p, 0x2010, b, 8), ESP_OK);
    ck_assert_mem_eq(b, "\x12\x34\x56\x78\x9a\xbc\xff\xff", 8);
    ck_assert_int_eq(esp_partition_read_raw(p, 0x2010, raw, 8), ESP_OK);
    ck_assert_mem_eq(raw, b, 8);
    ck_assert_int_eq(mmsim_flash_read(m, 0x110000 + 0x2010, raw, 8), 0);
    ck_assert_mem_eq(raw, b, 8);
    /* NOR: a second write only clears bits. */
    ck_assert_int_eq(esp_partition_write(p, 0x2010, "\xf0", 1), ESP_OK);
    ck_assert_int_eq(esp_partition_read(p, 0x2010, b, 1), ESP_OK);
    ck_assert_uint_eq(b[0], 0x10);
    mmsim_close(m);
}
END_TEST

/* esp_partition_mmap: bounds in upstream's order, the mapping from the page the range
 * starts in, the pointer at the byte asked for, the partition's bytes through it, and
 * the handle back to spi_flash_munmap. */
START_TEST(mmap_points_at_the_requested_byte)
{
    mmsim_t *m = open_with("esp32s3", DATA "two-ota.csv", 0, NULL);
    const esp_partition_t *p = esp_partition_find_first(ESP_PARTITION_TYPE_APP, ESP_PARTITION_SUBTYPE_APP_OTA_0, NULL);
    ck_assert_ptr_nonnull(p);
    const void *ptr = (const void *)1;
    esp_partition_mmap_handle_t h = 7;
    ck_assert_int_eq(esp_partition_mmap(p, p->size + 1, 1, ESP_PARTITION_MMAP_DATA, &ptr, &h), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(esp_partition_mmap(p, 0x1000, p->size, ESP_PARTITION_MMAP_DATA, &ptr, &h), ESP_ERR_INVALID_SIZE);
    ck_assert_ptr_eq(ptr, (const void *)1); /* untouched on failure */
    ck_assert_int_eq(esp_partition_write(p, 0x12345, "\xa5\x5a", 2), ESP_OK);
    ck_assert_int_eq(esp_partition_mmap(p, 0x12345, 2, ESP_PARTITION_MMAP_DATA, &ptr, &h), ESP_OK);
    uint32_t v = (uint32_t)(uintptr_t)ptr;
    ck_assert_uint_eq(v % mmsim_page_size(m), (p->address + 0x12345) % mmsim_page_size(m));
    uint8_t b[2];
    ck_assert_int_eq(mmsim_cpu_read(m, 0, v, b, 2), 0);
    ck_assert_mem_eq(b, "\xa5\x5a", 2);
    uint32_t paddr = 0, target = 0;
    ck_assert_int_eq(mmsim_translate(m, 0, v, &paddr, &target), 0);
    ck_assert_uint_eq(paddr, p->address + 0x12345);
    esp_partition_munmap(h);
    ck_assert_int_eq(mmsim_translate(m, 0, v, &paddr, &target), MMSIM_ERR_UNMAPPED);
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
    mmsim_close(m);
}
END_TEST

START_TEST(readonly_partitions_refuse_writes)
{
    const char csv[] = "nvs, data, nvs, , 0x6000,\nro, data, spiffs, , 0x10000, readonly\n";
    char path[64];
    scratch(path, ".csv", csv, sizeof csv - 1);
    mmsim_t *m = open_with("esp32c3", path, 0, NULL);
    unlink(path);
    const esp_partition_t *ro = esp_partition_find_first(ESP_PARTITION_TYPE_DATA, ESP_PARTITION_SUBTYPE_ANY, "ro");
    ck_assert(ro->readonly);
    ck_assert(!ro->encrypted);
    ck_assert_int_eq(esp_partition_write(ro, 0, "x", 1), ESP_ERR_NOT_ALLOWED);
    ck_assert_int_eq(esp_partition_write_raw(ro, 0, "x", 1), ESP_ERR_NOT_ALLOWED);
    ck_assert_int_eq(esp_partition_erase_range(ro, 0, 0x1000), ESP_ERR_NOT_ALLOWED);
    /* readonly is tested before the bounds, as upstream does */
    ck_assert_int_eq(esp_partition_write(ro, 0x20000, "x", 1), ESP_ERR_NOT_ALLOWED);
    uint8_t b;
    ck_assert_int_eq(esp_partition_read(ro, 0, &b, 1), ESP_OK);
    ck_assert(!esp_partition_is_flash_region_writable(ro->address + 0x100, 4));
    ck_assert(esp_partition_is_flash_region_writable(0x9000, 4));
    mmsim_close(m);
}
END_TEST

/* Corrupt the table in flash, reboot from that flash, and read the lines a find logs. */
static const char *find_after(const char *chip, uint32_t at, const void *bytes, size_t n, bool erase_first,
                              esp_err_t want)
{
    static char log[2048];
    mmsim_t *m = open_with(chip, NULL, 0, NULL);
    if (erase_first)
        ck_assert_int_eq(mmsim_flash_erase(m, 0x8000, 0x1000), 0);
    if (n)
        ck_assert_int_eq(mmsim_flash_write(m, at, bytes, (uint32_t)n), 0);
    char img[64];
    scratch(img, ".bin", "", 0);
    ck_assert_int_eq(mmsim_flash_save(m, img), 0);
    mmsim_close(m);
    m = open_with(chip, NULL, 0, img); /* a flash image keeps its own table */
    unlink(img);
    esp_log_capture_begin();
    esp_log_capture_quiet(true);
    esp_partition_iterator_t it = (esp_partition_iterator_t)1;
    ck_assert_int_eq(esp_partition_find_err(ESP_PARTITION_TYPE_ANY, ESP_PARTITION_SUBTYPE_ANY, NULL, &it), want);
    snprintf(log, sizeof log, "%s", esp_log_capture_text());
    esp_log_capture_end();
    if (it)
        esp_partition_iterator_release(it);
    mmsim_close(m);
    return log;
}

START_TEST(bad_magic_is_logged_and_refused)
{
    const char *log = find_after("esp32c6", 0x8020, "\x00", 1, false, ESP_ERR_INVALID_STATE);
    ck_assert_msg(strstr(log, "flash_parts: partition 1 invalid magic number 0x5000\n"), "%s", log);
    /* The bootloader refused it: the app's load never ran. */
    ck_assert_msg(!strstr(log, "load_partitions returned"), "%s", log);
}
END_TEST

START_TEST(bad_md5_is_logged_and_refused)
{
    /* 3 entries, then the MD5 record at 0x8060: its digest from 0x8070 */
    const char *log = find_after("esp32c6", 0x8070, "\x00\x00", 2, false, ESP_ERR_INVALID_STATE);
    ck_assert_msg(strstr(log, "E (0) flash_parts: Incorrect MD5 checksum\n"), "%s", log);
}
END_TEST

START_TEST(truncated_and_empty_tables)
{
    /* No end marker within 0xC00: every record an entry with a bad magic after the
     * first; an erased sector is an empty table (the first record cannot be the end). */
    const char *log = find_after("esp32c3", 0, NULL, 0, true, ESP_ERR_INVALID_STATE);
    ck_assert_msg(strstr(log, "flash_parts: partition 0 invalid magic number 0xffff\n"), "%s", log);
    /* An entry past the flash. */
    uint32_t big = 0x7fff0000;
    log = find_after("esp32c3", 0x8008, &big, 4, false, ESP_ERR_INVALID_STATE);
    ck_assert_msg(strstr(log, "partition 0 invalid - offset 0x9000 size 0x") || strstr(log, "Incorrect MD5"), "%s",
                  log);
}
END_TEST

START_TEST(table_without_md5_passes_boot_but_not_the_app)
{
    /* The entries of the default table, then the end marker where the MD5 record was
     * (an erased sector): the bootloader's check passes, the app's
     * CONFIG_PARTITION_TABLE_MD5 check does not. */
    uint8_t entries[3 * 32];
    mmsim_t *m = open_with("esp32s3", NULL, 0, NULL);
    ck_assert_int_eq(mmsim_flash_read(m, 0x8000, entries, sizeof entries), 0);
    mmsim_close(m);
    const char *log = find_after("esp32s3", 0x8000, entries, sizeof entries, true, ESP_ERR_NOT_FOUND);
    ck_assert_msg(!strstr(log, "flash_parts"), "%s", log);
    ck_assert_msg(strstr(log, "E (0) partition: No MD5 found in partition table\n"), "%s", log);
    ck_assert_msg(strstr(log, "E (0) partition: load_partitions returned 0x105\n"), "%s", log);
}
END_TEST

START_TEST(a_table_corrupted_after_boot_is_the_apps_to_refuse)
{
    /* The bootloader read a good table at boot; the app's load meets the damage. */
    mmsim_t *m = open_with("esp32c6", NULL, 0, NULL);
    ck_assert_int_eq(mmsim_flash_write(m, 0x8020, "\x00", 1), 0);
    esp_log_capture_begin();
    esp_log_capture_quiet(true);
    esp_partition_iterator_t it = (esp_partition_iterator_t)1;
    ck_assert_int_eq(esp_partition_find_err(ESP_PARTITION_TYPE_ANY, ESP_PARTITION_SUBTYPE_ANY, NULL, &it),
                     ESP_ERR_NOT_FOUND);
    ck_assert_ptr_null(it);
    const char *log = esp_log_capture_text();
    ck_assert_msg(!strstr(log, "flash_parts"), "%s", log);
    ck_assert_msg(strstr(log, "partition: No MD5 found in partition table\n"), "%s", log);
    esp_log_capture_end();
    mmsim_close(m);
}
END_TEST

/* A machine with CONFIG_PARTITION_TABLE_MD5 on or off and the table file `table`
 * (NULL: the default table). */
static mmsim_t *open_md5(const char *chip, bool md5, const char *table)
{
    mmsim_config_t cfg = mmsim_config_default(chip);
    cfg.partition_table_no_md5 = !md5;
    cfg.partition_table = table;
    mmsim_t *m = NULL;
    ck_assert_msg(mmsim_open(&cfg, &m) == 0, "%s", mmsim_last_error());
    return m;
}

/* Every partition the app's load finds, as "label@address " in table order, and the
 * find's result. */
static esp_err_t list_partitions(char *out, size_t n, const char **log)
{
    static char text[2048];
    esp_log_capture_begin();
    esp_log_capture_quiet(true);
    esp_partition_iterator_t it = NULL;
    esp_err_t err = esp_partition_find_err(ESP_PARTITION_TYPE_ANY, ESP_PARTITION_SUBTYPE_ANY, NULL, &it);
    out[0] = '\0';
    for (; it; it = esp_partition_next(it)) {
        const esp_partition_t *p = esp_partition_get(it);
        snprintf(out + strlen(out), n - strlen(out), "%s@0x%x ", p->label, (unsigned)p->address);
    }
    snprintf(text, sizeof text, "%s", esp_log_capture_text());
    esp_log_capture_end();
    *log = text;
    return err;
}

START_TEST(md5_off_table_written_without_the_record_and_loaded)
{
    /* gen_esp32part.py --disable-md5sum: the three entries, then the end marker. */
    char found[256];
    const char *log;
    for (int md5 = 0; md5 < 2; md5++) {
        mmsim_t *m = open_md5("esp32s3", md5, NULL);
        uint8_t after[2];
        ck_assert_int_eq(mmsim_flash_read(m, 0x8060, after, 2), 0);
        ck_assert_uint_eq(after[0], md5 ? 0xEB : 0xFF);
        ck_assert_uint_eq(after[1], md5 ? 0xEB : 0xFF);
        ck_assert_int_eq(list_partitions(found, sizeof found, &log), ESP_OK);
        ck_assert_str_eq(found, "nvs@0x9000 phy_init@0xf000 factory@0x10000 ");
        ck_assert_msg(!strstr(log, "partition:"), "%s", log);
        mmsim_close(m);
    }
}
END_TEST

/* The table a machine of `chip` writes at boot (with or without its MD5 record), as a
 * scratch .bin file named in bin[64]. */
static void booted_table_file(const char *chip, bool md5, char *bin)
{
    mmsim_t *m = open_md5(chip, md5, NULL);
    uint8_t table[0xC00];
    ck_assert_int_eq(mmsim_flash_read(m, 0x8000, table, sizeof table), 0);
    mmsim_close(m);
    scratch(bin, ".bin", table, sizeof table);
}

START_TEST(md5_off_the_app_reads_a_record_as_the_end_and_checks_no_digest)
{
    /* partition.c with CONFIG_PARTITION_TABLE_MD5 off: the MD5 record is not an entry,
     * so it ends the list; its digest is never computed.  A binary table keeps its
     * record under either setting; its digest damaged after the bootloader's check
     * stops only the app built with the option on. */
    char bin[64], found[256];
    booted_table_file("esp32c6", true, bin);
    const char *log;
    for (int md5 = 0; md5 < 2; md5++) {
        mmsim_t *m = open_md5("esp32c6", md5, bin);
        uint8_t rec[2];
        ck_assert_int_eq(mmsim_flash_read(m, 0x8060, rec, 2), 0);
        ck_assert_uint_eq(rec[0], 0xEB); /* kept with the option off too */
        ck_assert_int_eq(mmsim_flash_write(m, 0x8070, "\x00\x00", 2), 0);
        esp_err_t err = list_partitions(found, sizeof found, &log);
        if (md5) {
            ck_assert_int_eq(err, ESP_ERR_INVALID_STATE);
            ck_assert_msg(strstr(log, "E (0) partition: Partition table MD5 mismatch\n"), "%s", log);
        } else {
            ck_assert_int_eq(err, ESP_OK);
            ck_assert_str_eq(found, "nvs@0x9000 phy_init@0xf000 factory@0x10000 ");
            ck_assert_msg(!strstr(log, "MD5"), "%s", log);
        }
        mmsim_close(m);
    }
    unlink(bin);
}
END_TEST

START_TEST(md5_off_a_binary_table_without_the_record_loads)
{
    /* With the option on such a file is refused when the machine opens (the app would
     * refuse it); off, it is written as it is and the app reads it. */
    char bin[64], found[256];
    booted_table_file("esp32c3", false, bin);
    mmsim_config_t cfg = mmsim_config_default("esp32c3");
    cfg.partition_table = bin;
    mmsim_t *m = NULL;
    ck_assert_int_eq(mmsim_open(&cfg, &m), MMSIM_ERR_IO);
    ck_assert_msg(strstr(mmsim_last_error(), "no MD5 record before the end marker"), "%s", mmsim_last_error());
    m = open_md5("esp32c3", false, bin);
    const char *log;
    ck_assert_int_eq(list_partitions(found, sizeof found, &log), ESP_OK);
    ck_assert_str_eq(found, "nvs@0x9000 phy_init@0xf000 factory@0x10000 ");
    mmsim_close(m);
    unlink(bin);
}
END_TEST

START_TEST(the_first_find_maps_the_table_and_needs_a_free_page)
{
    /* ESP-IDF's app reads the table through a temporary spi_flash_mmap of its sector. */
    mmsim_t *m = open_with("esp32", NULL, 0, NULL);
    size_t before = 0, after = 0;
    ck_assert_int_eq(esp_mmu_map_get_max_consecutive_free_block_size(MMU_MEM_CAP_READ | MMU_MEM_CAP_8BIT,
                                                                    MMU_TARGET_FLASH0, &before),
                     ESP_OK);
    void *all = NULL;
    ck_assert_int_eq(esp_mmu_map(0x100000, before, MMU_TARGET_FLASH0, MMU_MEM_CAP_READ | MMU_MEM_CAP_8BIT, 0, &all),
                     ESP_OK);
    esp_log_capture_begin();
    esp_log_capture_quiet(true);
    const esp_partition_t *p = NULL;
    ck_assert_int_eq(esp_partition_find_first_err(ESP_PARTITION_TYPE_ANY, ESP_PARTITION_SUBTYPE_ANY, "nvs", &p),
                     ESP_ERR_NOT_FOUND);
    ck_assert_ptr_null(p);
    ck_assert_msg(strstr(esp_log_capture_text(), "partition: load_partitions returned 0x105\n"), "%s",
                  esp_log_capture_text());
    esp_log_capture_end();
    ck_assert_int_eq(esp_mmu_unmap(all), ESP_OK);
    ck_assert_int_eq(esp_partition_find_first_err(ESP_PARTITION_TYPE_ANY, ESP_PARTITION_SUBTYPE_ANY, "nvs", &p),
                     ESP_OK);
    ck_assert_uint_eq(p->address, 0x9000);
    /* The mapping was released: the whole space is free again. */
    ck_assert_int_eq(esp_mmu_map_get_max_consecutive_free_block_size(MMU_MEM_CAP_READ | MMU_MEM_CAP_8BIT,
                                                                    MMU_TARGET_FLASH0, &after),
                     ESP_OK);
    ck_assert_uint_eq(after, before);
    mmsim_close(m);
}
END_TEST

START_TEST(table_verify_directly)
{
    mmsim_t *m = open_with("esp32c6", DATA "two-ota.csv", 0, NULL);
    esp_partition_info_t t[ESP_PARTITION_TABLE_MAX_ENTRIES];
    ck_assert_int_eq(esp_flash_read(NULL, t, 0x8000, sizeof t), ESP_OK);
    int n = -1;
    ck_assert_int_eq(esp_partition_table_verify(t, true, &n), ESP_OK);
    ck_assert_int_eq(n, 6);
    t[2].pos.size = 0x10000000;
    esp_log_capture_begin();
    esp_log_capture_quiet(true);
    ck_assert_int_eq(esp_partition_table_verify(t, true, &n), ESP_ERR_INVALID_SIZE);
    ck_assert_int_eq(n, 0);
    ck_assert_msg(strstr(esp_log_capture_text(), "flash_parts: partition 2 invalid - offset 0xf000 size 0x10000000 "
                                                 "exceeds flash chip size 0x400000\n"),
                  "%s", esp_log_capture_text());
    esp_log_capture_end();
    mmsim_close(m);
}
END_TEST

START_TEST(table_at_another_offset)
{
    mmsim_t *m = open_with("esp32c6", DATA "table-offset-9000.csv", 0x9000, NULL);
    const esp_partition_t *p = esp_partition_find_first(ESP_PARTITION_TYPE_ANY, ESP_PARTITION_SUBTYPE_ANY, NULL);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_ge(p->address, 0xa000);
    uint8_t b[2];
    ck_assert_int_eq(mmsim_flash_read(m, 0x8000, b, 2), 0);
    ck_assert_uint_eq(b[0], 0xff); /* nothing at the default offset */
    mmsim_close(m);
}
END_TEST

/* The partition esp_ota_get_running_partition finds: the app one holding the flash
 * address of running code (spi_flash_cache2phys of an address in the app's IROM). */
static const esp_partition_t *running_partition(void)
{
    const void *code = (const void *)(uintptr_t)(image_layout_irom_start() + 0x100);
    size_t paddr = spi_flash_cache2phys(code);
    ck_assert_uint_ne(paddr, SPI_FLASH_CACHE2PHYS_FAIL);
    esp_partition_iterator_t it = esp_partition_find(ESP_PARTITION_TYPE_APP, ESP_PARTITION_SUBTYPE_ANY, NULL);
    const esp_partition_t *found = NULL;
    for (; it; it = esp_partition_next(it)) {
        const esp_partition_t *p = esp_partition_get(it);
        if (paddr >= p->address && paddr - p->address < p->size)
            found = p;
    }
    esp_partition_iterator_release(it);
    ck_assert_ptr_nonnull(found);
    return found;
}

START_TEST(app_offset_boots_another_app_partition)
{
    /* Default: the factory app at 0x10000. */
    mmsim_t *m = open_with("esp32", DATA "two-ota.csv", 0, NULL);
    ck_assert_str_eq(running_partition()->label, "factory");
    mmsim_close(m);

    /* app_offset: the bootloader mapped ota_0 (0x110000): rodata there, code after it. */
    mmsim_config_t cfg = mmsim_config_default("esp32");
    cfg.partition_table = DATA "two-ota.csv";
    cfg.app_offset = 0x110000;
    ck_assert_msg(mmsim_open(&cfg, &m) == 0, "%s", mmsim_last_error());
    ck_assert_str_eq(running_partition()->label, "ota_0");
    esp_log_level_set("mmap", ESP_LOG_NONE);
    ck_assert_ptr_null(spi_flash_phys2cache(0x10000, SPI_FLASH_MMAP_INST)); /* the factory app is not mapped */
    esp_log_level_set("mmap", ESP_LOG_INFO);
    const void *rodata = spi_flash_phys2cache(0x110000, SPI_FLASH_MMAP_DATA);
    ck_assert_ptr_nonnull(rodata);
    ck_assert_uint_eq(spi_flash_cache2phys((const char *)rodata + 0x20), 0x110020);
    mmsim_close(m);

    /* An app that would end past the flash does not boot; one off the page is refused. */
    cfg.app_offset = 0x3f0000;
    ck_assert_int_eq(mmsim_open(&cfg, &m), MMSIM_ERR_BOOT);
    ck_assert_ptr_nonnull(strstr(mmsim_last_error(), "at app_offset 0x3f0000) does not fit"));
    cfg.app_offset = 0x118000;
    ck_assert_int_eq(mmsim_open(&cfg, &m), MMSIM_ERR_CHIP);
    ck_assert_ptr_nonnull(strstr(mmsim_last_error(), "mmsim_config_t.app_offset: app_offset 0x118000 must be a "
                                                     "multiple of the MMU page (0x10000)"));
}
END_TEST

START_TEST(binary_table_file)
{
    /* The binary the CSV path wrote, read back from flash, as a .bin file. */
    mmsim_t *m = open_with("esp32c6", DATA "two-ota.csv", 0, NULL);
    uint8_t bin[0xC00];
    ck_assert_int_eq(mmsim_flash_read(m, 0x8000, bin, sizeof bin), 0);
    mmsim_close(m);
    char path[64];
    scratch(path, ".bin", bin, sizeof bin);
    m = open_with("esp32c6", path, 0, NULL);
    unlink(path);
    expect_part(esp_partition_find_first(ESP_PARTITION_TYPE_APP, ESP_PARTITION_SUBTYPE_APP_OTA_1, NULL), "ota_1", 0,
                0x11, 0x210000, 0x100000);
    mmsim_close(m);
}
END_TEST

START_TEST(bad_files_are_mmsim_err_io)
{
    mmsim_config_t cfg = mmsim_config_default("esp32c6");
    mmsim_t *m = NULL;
    cfg.partition_table = "/nonexistent/partitions.csv";
    ck_assert_int_eq(mmsim_open(&cfg, &m), MMSIM_ERR_IO);
    ck_assert_ptr_nonnull(strstr(mmsim_last_error(), "/nonexistent/partitions.csv"));
    const char csv[] = "nvs, data, nvs, , 0x6000,\nbad, dta, nvs, , 0x6000,\n";
    char path[64];
    scratch(path, ".csv", csv, sizeof csv - 1);
    cfg.partition_table = path;
    ck_assert_int_eq(mmsim_open(&cfg, &m), MMSIM_ERR_IO);
    char want[100];
    snprintf(want, sizeof want, "%s:2:", path);
    ck_assert_msg(strstr(mmsim_last_error(), want), "%s", mmsim_last_error());
    unlink(path);
    uint8_t bin[64];
    memset(bin, 0xFF, sizeof bin);
    bin[0] = 0xAA;
    bin[1] = 0x50;
    bin[32] = 0x12; /* entry 1: neither entry, MD5 record nor end marker */
    scratch(path, ".bin", bin, sizeof bin);
    cfg.partition_table = path;
    ck_assert_int_eq(mmsim_open(&cfg, &m), MMSIM_ERR_IO);
    snprintf(want, sizeof want, "%s: entry 1:", path);
    ck_assert_msg(strstr(mmsim_last_error(), want), "%s", mmsim_last_error());
    unlink(path);
    /* A table offset off its sector. */
    cfg.partition_table = NULL;
    cfg.partition_table_offset = 0x8800;
    ck_assert_int_eq(mmsim_open(&cfg, &m), MMSIM_ERR_CHIP);
    ck_assert_ptr_nonnull(strstr(mmsim_last_error(), "mmsim_config_t.partition_table_offset"));
    ck_assert_ptr_null(m);
}
END_TEST

START_TEST(two_machines_keep_their_own_tables)
{
    mmsim_t *a = open_with("esp32c6", NULL, 0, NULL);
    const esp_partition_t *fa = esp_partition_find_first(ESP_PARTITION_TYPE_APP, ESP_PARTITION_SUBTYPE_ANY, NULL);
    mmsim_t *b = open_with("esp32c6", DATA "two-ota.csv", 0, NULL); /* now current */
    ck_assert_ptr_nonnull(esp_partition_find_first(ESP_PARTITION_TYPE_APP, ESP_PARTITION_SUBTYPE_APP_OTA_0, NULL));
    ck_assert_int_eq(esp_partition_write(esp_partition_find_first(ESP_PARTITION_TYPE_DATA,
                                                                  ESP_PARTITION_SUBTYPE_DATA_OTA, NULL),
                                         0, "\x00", 1),
                     ESP_OK);
    mmsim_select(a);
    ck_assert_ptr_eq(esp_partition_find_first(ESP_PARTITION_TYPE_APP, ESP_PARTITION_SUBTYPE_ANY, NULL), fa);
    ck_assert_ptr_null(esp_partition_find_first(ESP_PARTITION_TYPE_APP, ESP_PARTITION_SUBTYPE_APP_OTA_0, NULL));
    uint8_t byte;
    ck_assert_int_eq(mmsim_flash_read(a, 0xd000, &byte, 1), 0);
    ck_assert_uint_eq(byte, 0xff); /* b's write went to b's flash */
    mmsim_close(b);
    mmsim_close(a);
}
END_TEST

START_TEST(write_invalidates_the_first_mapping_only)
{
    mmsim_t *m = open_with("esp32c6", DATA "two-ota.csv", 0, NULL);
    const esp_partition_t *p = esp_partition_find_first(ESP_PARTITION_TYPE_APP, ESP_PARTITION_SUBTYPE_APP_OTA_1, NULL);
    void *v1 = NULL, *v2 = NULL;
    ck_assert_int_eq(esp_mmu_map(p->address, 0x10000, MMU_TARGET_FLASH0, MMU_MEM_CAP_READ | MMU_MEM_CAP_8BIT,
                                 ESP_MMU_MMAP_FLAG_PADDR_SHARED, &v1), ESP_OK);
    /* The same range twice is INVALID_STATE; a larger one sharing its pages is a second view. */
    ck_assert_int_eq(esp_mmu_map(p->address, 0x20000, MMU_TARGET_FLASH0, MMU_MEM_CAP_READ | MMU_MEM_CAP_8BIT,
                                 ESP_MMU_MMAP_FLAG_PADDR_SHARED, &v2), ESP_OK);
    uint32_t w = 0;
    ck_assert_int_eq(mmsim_cpu_read(m, 0, (uint32_t)(uintptr_t)v1, &w, 4), 0);
    ck_assert_int_eq(mmsim_cpu_read(m, 0, (uint32_t)(uintptr_t)v2, &w, 4), 0);
    ck_assert_int_eq(esp_partition_write(p, 0, "\x12\x34\x56\x78", 4), ESP_OK);
    ck_assert_int_eq(mmsim_cpu_read(m, 0, (uint32_t)(uintptr_t)v1, &w, 4), 0);
    ck_assert_uint_eq(w, 0x78563412);
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
    ck_assert_int_eq(mmsim_cpu_read(m, 0, (uint32_t)(uintptr_t)v2, &w, 4), 0);
    ck_assert_uint_eq(w, 0xffffffff);
    ck_assert_uint_eq(mmsim_hazard_count_kind(m, MMSIM_HAZARD_STALE_READ), 1);
    mmsim_close(m);
}
END_TEST

START_TEST(sha256_and_identity)
{
    mmsim_t *m = open_with("esp32c6", DATA "two-ota.csv", 0, NULL);
    const esp_partition_t *phy = esp_partition_find_first(ESP_PARTITION_TYPE_DATA, ESP_PARTITION_SUBTYPE_DATA_PHY, NULL);
    uint8_t sha[32];
    ck_assert_int_eq(esp_partition_get_sha256(phy, sha), ESP_OK);
    /* phy_init is erased: the digest of 4 KB of 0xFF (Python's hashlib.sha256) */
    static const uint8_t ff4k[32] = {0xf4, 0x7a, 0x8e, 0xc3, 0xe9, 0xaf, 0xf2, 0x31, 0x8d, 0x89, 0x69,
                                     0x42, 0x28, 0x2a, 0xd4, 0xfe, 0x37, 0xd6, 0x39, 0x1c, 0x82, 0x91,
                                     0x4f, 0x54, 0xa5, 0xda, 0x8a, 0x37, 0xde, 0x13, 0x00, 0xc6};
    ck_assert_mem_eq(sha, ff4k, 32);
    ck_assert_int_eq(esp_partition_get_sha256(phy, NULL), ESP_ERR_INVALID_ARG);
    const esp_partition_t *f = esp_partition_find_first(ESP_PARTITION_TYPE_APP, ESP_PARTITION_SUBTYPE_ANY, NULL);
    ck_assert_int_eq(esp_partition_get_sha256(f, sha), ESP_ERR_NOT_SUPPORTED);
    const esp_partition_t *nvs = esp_partition_find_first(ESP_PARTITION_TYPE_DATA, ESP_PARTITION_SUBTYPE_DATA_NVS, NULL);
    const esp_partition_t *ota = esp_partition_find_first(ESP_PARTITION_TYPE_DATA, ESP_PARTITION_SUBTYPE_DATA_OTA, NULL);
    ck_assert(!esp_partition_check_identity(nvs, ota)); /* sizes differ */
    const esp_partition_t *ext = NULL;
    ck_assert_int_eq(esp_partition_register_external(NULL, 0x310000, 0x1000, "ext", ESP_PARTITION_TYPE_DATA,
                                                     ESP_PARTITION_SUBTYPE_DATA_PHY, &ext), ESP_OK);
    ck_assert(esp_partition_check_identity(phy, ext)); /* both erased */
    ck_assert_int_eq(esp_partition_write(ext, 0, "\x00", 1), ESP_OK);
    ck_assert(!esp_partition_check_identity(phy, ext));
    ck_assert_int_eq(esp_partition_register_external(NULL, 0x310800, 0x1000, "x", ESP_PARTITION_TYPE_DATA,
                                                     ESP_PARTITION_SUBTYPE_DATA_PHY, NULL), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(esp_partition_register_external(NULL, 0x3ff000, 0x2000, "x", ESP_PARTITION_TYPE_DATA,
                                                     ESP_PARTITION_SUBTYPE_DATA_PHY, NULL), ESP_ERR_INVALID_SIZE);
    ck_assert_int_eq(esp_partition_deregister_external(phy), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(esp_partition_deregister_external(ext), ESP_OK);
    ck_assert_int_eq(esp_partition_deregister_external(ext), ESP_ERR_NOT_FOUND);
    mmsim_close(m);
}
END_TEST

static Suite *partition_suite(void)
{
    Suite *s = suite_create("esp_partition");
    TCase *t = tcase_create("table");
    tcase_add_test(t, default_table_is_espidf_single_app);
    tcase_add_test(t, csv_table_find_by_type_subtype_label);
    tcase_add_test(t, verify_finds_the_tables_own_copy);
    tcase_add_test(t, table_at_another_offset);
    tcase_add_test(t, app_offset_boots_another_app_partition);
    tcase_add_test(t, binary_table_file);
    tcase_add_test(t, bad_files_are_mmsim_err_io);
    tcase_add_test(t, two_machines_keep_their_own_tables);
    suite_add_tcase(s, t);
    t = tcase_create("first-use checks");
    tcase_add_test(t, bad_magic_is_logged_and_refused);
    tcase_add_test(t, bad_md5_is_logged_and_refused);
    tcase_add_test(t, truncated_and_empty_tables);
    tcase_add_test(t, table_without_md5_passes_boot_but_not_the_app);
    tcase_add_test(t, a_table_corrupted_after_boot_is_the_apps_to_refuse);
    tcase_add_test(t, md5_off_table_written_without_the_record_and_loaded);
    tcase_add_test(t, md5_off_the_app_reads_a_record_as_the_end_and_checks_no_digest);
    tcase_add_test(t, md5_off_a_binary_table_without_the_record_loads);
    tcase_add_test(t, the_first_find_maps_the_table_and_needs_a_free_page);
    tcase_add_test(t, table_verify_directly);
    suite_add_tcase(s, t);
    t = tcase_create("data");
    tcase_add_test(t, read_write_erase_checks_and_codes);
    tcase_add_test(t, written_data_reads_back_both_ways);
    tcase_add_test(t, readonly_partitions_refuse_writes);
    tcase_add_test(t, write_invalidates_the_first_mapping_only);
    tcase_add_test(t, mmap_points_at_the_requested_byte);
    tcase_add_test(t, sha256_and_identity);
    suite_add_tcase(s, t);
    return s;
}

int main(void) { return mmsim_check_run(partition_suite()); }
