/* test_fw_otadata.c - the OTA data partition, the bootloader's choice of app
 * (firmware/fw_otadata.c) and a merged flash read as the chip boots it (fw_merged.c). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "fw_merged.h"
#include "fw_otadata.h"

static fw_error_t E;
static fw_ptable_t T;
static fw_boot_choice_t C;
static uint8_t OD[FW_OTADATA_SIZE];

static const char TWO_OTA[] = "nvs, data, nvs, 0x9000, 0x4000\n"
                              "otadata, data, ota, 0xd000, 0x2000\n"
                              "phy_init, data, phy, 0xf000, 0x1000\n"
                              "factory, app, factory, 0x10000, 1M\n"
                              "ota_0, app, ota_0, 0x110000, 1M\n"
                              "ota_1, app, ota_1, 0x210000, 1M\n";

static void table(const char *csv)
{
    ck_assert_msg(fw_ptable_parse_csv("t.csv", csv, strlen(csv), NULL, &T, &E) == 0, "%s", E.msg);
}

static void otadata(uint32_t seq0, uint32_t state0, uint32_t seq1, uint32_t state1)
{
    memset(OD, 0xFF, sizeof OD);
    if (seq0 != UINT32_MAX)
        fw_ota_entry_write(OD, seq0, state0);
    if (seq1 != UINT32_MAX)
        fw_ota_entry_write(OD + FW_OTA_SECTOR_SIZE, seq1, state1);
}

START_TEST(crc_is_the_roms)
{
    static const uint8_t check[] = "123456789";
    /* The ROM's crc32_le(0, ...) is the usual CRC-32 (check value 0xcbf43926). */
    ck_assert_uint_eq(fw_crc32_le(0, check, 9), 0xCBF43926u);
    /* ESP-IDF's esp_rom_crc32_le(UINT32_MAX, &seq, 4), as zlib.crc32(seq, 0xffffffff). */
    ck_assert_uint_eq(fw_ota_seq_crc(1), 0x4743989Au);
    ck_assert_uint_eq(fw_ota_seq_crc(2), 0x55F63774u);
    ck_assert_uint_eq(fw_ota_seq_crc(5), 0xC8210FCDu);
    uint8_t e[32];
    fw_ota_entry_write(e, 1, FW_OTA_IMG_VALID);
    ck_assert_uint_eq(e[0], 1);
    ck_assert_uint_eq(e[4], 0xFF); /* the label stays erased */
    ck_assert_uint_eq(e[24], 2);
    ck_assert_uint_eq(e[28], 0x9A);
    ck_assert_uint_eq(e[31], 0x47);
}
END_TEST

START_TEST(entries_and_the_active_one)
{
    fw_otadata_t o;
    otadata(3, FW_OTA_IMG_VALID, 4, FW_OTA_IMG_UNDEFINED);
    ck_assert_int_eq(fw_otadata_read("od", OD, sizeof OD, &o, &E), 0);
    ck_assert(o.entry[0].valid && o.entry[1].valid);
    ck_assert_int_eq(o.active, 1);
    otadata(4, FW_OTA_IMG_VALID, 4, FW_OTA_IMG_VALID);
    ck_assert_int_eq(fw_otadata_read("od", OD, sizeof OD, &o, &E), 0);
    ck_assert_int_eq(o.active, 0); /* a tie: the first */
    otadata(3, FW_OTA_IMG_VALID, 4, FW_OTA_IMG_ABORTED);
    ck_assert_int_eq(fw_otadata_read("od", OD, sizeof OD, &o, &E), 0);
    ck_assert(o.entry[1].invalid && o.entry[1].crc_ok);
    ck_assert_int_eq(o.active, 0);
    otadata(3, FW_OTA_IMG_VALID, 4, FW_OTA_IMG_NEW);
    OD[FW_OTA_SECTOR_SIZE + 28] ^= 1; /* a broken CRC */
    ck_assert_int_eq(fw_otadata_read("od", OD, sizeof OD, &o, &E), 0);
    ck_assert(!o.entry[1].crc_ok && !o.entry[1].valid && !o.entry[1].invalid);
    ck_assert_int_eq(o.active, 0);
    otadata(UINT32_MAX, 0, UINT32_MAX, 0);
    ck_assert_int_eq(fw_otadata_read("od", OD, sizeof OD, &o, &E), 0);
    ck_assert_int_eq(o.active, -1);
    ck_assert_int_eq(fw_otadata_read("od", OD, 0x1010, &o, &E), FW_ERR_TRUNCATED);
    ck_assert_str_eq(E.msg, "od: byte offset 0x1010: truncated: the otadata ends before its "
                            "second entry (bytes 0x1000-0x101f of the 0x2000-byte partition)");
}
END_TEST

START_TEST(bootloader_choice)
{
    table(TWO_OTA);
    /* Erased otadata: the factory app, then the OTA slots in turn. */
    ck_assert_int_eq(fw_boot_select("od", &T, NULL, 0, &C, &E), 0);
    ck_assert_int_eq(C.start_index, FW_BOOT_FACTORY);
    ck_assert_str_eq(C.log, "Defaulting to factory image\n");
    ck_assert_uint_eq(C.candidate_count, 3);
    ck_assert_int_eq(C.candidate_entry[0], 3);
    ck_assert_int_eq(C.candidate_entry[1], 4);
    ck_assert_int_eq(C.candidate_entry[2], 5);
    /* Sequence 2 selects ota_1 ((2 - 1) mod 2), then ota_0, then factory. */
    otadata(1, FW_OTA_IMG_VALID, 2, FW_OTA_IMG_VALID);
    ck_assert_int_eq(fw_boot_select("od", &T, OD, sizeof OD, &C, &E), 0);
    ck_assert_int_eq(C.start_index, 1);
    ck_assert_str_eq(C.reason, "otadata[1] is valid with sequence 2 (the higher of the two): "
                               "(2 - 1) mod 2 OTA apps = slot 1 (ota_1)");
    ck_assert_int_eq(C.candidate_slot[0], 1);
    ck_assert_int_eq(C.candidate_slot[1], 0);
    ck_assert_int_eq(C.candidate_slot[2], FW_BOOT_FACTORY);
    /* Sequence 5: slot 0; the entry with a broken CRC is passed over. */
    otadata(5, FW_OTA_IMG_VALID, 6, FW_OTA_IMG_VALID);
    OD[FW_OTA_SECTOR_SIZE + 28] ^= 1;
    ck_assert_int_eq(fw_boot_select("od", &T, OD, sizeof OD, &C, &E), 0);
    ck_assert_int_eq(C.start_index, 0);
    ck_assert_int_eq(C.candidate_slot[1], FW_BOOT_FACTORY);
    ck_assert_int_eq(C.candidate_slot[2], 1);
    /* Both CRCs broken: back to the factory app, with ESP-IDF's error line. */
    OD[28] ^= 1;
    ck_assert_int_eq(fw_boot_select("od", &T, OD, sizeof OD, &C, &E), 0);
    ck_assert_int_eq(C.start_index, FW_BOOT_FACTORY);
    ck_assert_str_eq(C.log, "ota data partition invalid, falling back to factory\n");

    /* No factory app: ota_0. */
    table("otadata, data, ota, 0xd000, 0x2000\n"
          "ota_0, app, ota_0, 0x10000, 1M\nota_1, app, ota_1, 0x110000, 1M\n");
    ck_assert_int_eq(fw_boot_select("od", &T, NULL, 0, &C, &E), 0);
    ck_assert_int_eq(C.start_index, 0);
    ck_assert_str_eq(C.log, "No factory image, trying OTA 0\n");
    ck_assert_int_eq(C.candidate_slot[0], 0);
    ck_assert_int_eq(C.candidate_slot[1], 1);
    /* No otadata partition: the factory app, no log. */
    table("factory, app, factory, 0x10000, 1M\ntest, app, test, 0x110000, 1M\n");
    ck_assert_int_eq(fw_boot_select("od", &T, NULL, 0, &C, &E), 0);
    ck_assert_int_eq(C.start_index, FW_BOOT_FACTORY);
    ck_assert_uint_eq(C.candidate_count, 2); /* then the test app */
    ck_assert_int_eq(C.candidate_slot[1], FW_BOOT_TEST);
    /* Refusals. */
    table("nvs, data, nvs, 0x9000, 0x6000\n");
    ck_assert_int_eq(fw_boot_select("t.csv", &T, NULL, 0, &C, &E), FW_ERR_RULE);
    ck_assert_str_eq(E.msg, "t.csv: No bootable app partitions in the partition table");
    fw_ptable_opts_t o;
    fw_ptable_opts_default(&o);
    o.verify = false;
    const char *small = "otadata, data, ota, 0xd000, 0x1000\nfactory, app, factory, 0x10000, 1M\n";
    ck_assert_int_eq(fw_ptable_parse_csv("t.csv", small, strlen(small), &o, &T, &E), 0);
    ck_assert_int_eq(fw_boot_select("od", &T, NULL, 0, &C, &E), FW_ERR_RULE);
    ck_assert_str_eq(E.msg, "od: ota_info partition size 4096 is too small (minimum 8192 bytes)");
}
END_TEST

/* A tiny image for `chip` with the given segments' addresses (data all 0x5A), written at
 * `at` of the flash. */
static size_t put_image(uint8_t *flash, size_t at, uint16_t chip, bool app)
{
    static uint8_t desc[256], ram[16], irom[32];
    fw_image_t t;
    memset(&t, 0, sizeof t);
    t.magic = 0xE9;
    t.spi_size = 2;
    t.chip_id = chip;
    t.hash_appended = true;
    memset(desc, 0, sizeof desc);
    desc[0] = 0x32, desc[1] = 0x54, desc[2] = 0xCD, desc[3] = 0xAB;
    strcpy((char *)desc + 48, at == 0x110000 ? "app_b" : "app_a");
    memset(ram, 0x5A, sizeof ram);
    memset(irom, 0x5A, sizeof irom);
    const uint8_t *segs[3];
    if (app) {
        t.segment_count = t.segment_count_read = 3;
        t.segments[0] = (fw_segment_t){.load_addr = 0x3C000020, .data_len = 256};
        t.segments[1] = (fw_segment_t){.load_addr = 0x3FC88000, .data_len = 16};
        t.segments[2] = (fw_segment_t){.load_addr = 0x42000140, .data_len = 32};
        segs[0] = desc, segs[1] = ram, segs[2] = irom;
    } else {
        t.segment_count = t.segment_count_read = 1;
        t.segments[0] = (fw_segment_t){.load_addr = 0x403C8000, .data_len = 16};
        segs[0] = ram;
    }
    return fw_image_build(&t, segs, flash + at, 0x10000);
}

START_TEST(merged_flash)
{
    size_t len = 0x210000;
    uint8_t *flash = malloc(len);
    memset(flash, 0xFF, len);
    static fw_merged_t M;
    ck_assert_int_eq(fw_merged_read("m.bin", flash, len, NULL, &M, &E), FW_ERR_MAGIC);
    put_image(flash, 0, 0x0009, false);
    table("otadata, data, ota, 0xd000, 0x2000\n"
          "ota_0, app, ota_0, 0x10000, 1M\nota_1, app, ota_1, 0x110000, 1M\n");
    ck_assert_int_eq(fw_ptable_write_bin(&T, NULL, flash + 0x8000, &E), 0);
    put_image(flash, 0x10000, 0x0009, true);
    put_image(flash, 0x110000, 0x0009, true);
    fw_ota_entry_write(flash + 0xd000, 2, FW_OTA_IMG_VALID);
    ck_assert_msg(fw_merged_read("m.bin", flash, len, NULL, &M, &E) == 0, "%s", E.msg);
    ck_assert_str_eq(M.chip->name, "esp32s3");
    ck_assert_uint_eq(M.bootloader_offset, 0);
    ck_assert_uint_eq(M.flash_size, 4u << 20);
    ck_assert_uint_eq(M.table.count, 3);
    ck_assert_uint_eq(M.app_count, 2);
    ck_assert_int_eq(M.apps[0].rc, 0);
    ck_assert_str_eq(M.apps[1].image.app_desc.project_name, "app_b");
    ck_assert_int_eq(M.boot.start_index, 1);
    ck_assert_int_eq(M.boot_entry, 2); /* ota_1 */
    /* ota_1's image broken: the bootloader falls back to ota_0. */
    flash[0x110000 + 0x130] ^= 1;
    ck_assert_int_eq(fw_merged_read("m.bin", flash, len, NULL, &M, &E), 0);
    ck_assert_int_eq(M.apps[1].rc, FW_ERR_CHECKSUM);
    ck_assert_str_eq(M.apps[1].error, "m.bin: partition 'ota_1' at 0x110000: byte offset 0x16f: "
                                      "Checksum failed. Calculated 0xb2 read 0xb3");
    ck_assert_int_eq(M.boot_entry, 1);
    /* A table with a bad MD5 is refused, named. */
    flash[0x8000 + 12] ^= 1;
    ck_assert_int_eq(fw_merged_read("m.bin", flash, len, NULL, &M, &E), FW_ERR_MD5);
    ck_assert_ptr_nonnull(strstr(E.msg, "m.bin: partition table at 0x8000: entry 3: incorrect MD5"));
    flash[0x8000 + 12] ^= 1;
    /* Told the wrong chip: the bootloader is refused. */
    fw_merged_opts_t o;
    fw_merged_opts_default(&o);
    o.chip = fw_chip_by_name("esp32");
    ck_assert_int_eq(fw_merged_read("m.bin", flash, len, &o, &M, &E), FW_ERR_MAGIC);
    ck_assert_str_eq(E.msg, "m.bin: bootloader at 0x1000: byte offset 0x0: image at 0x1000 has "
                            "invalid magic byte (nothing flashed here?): 0xff, an image starts "
                            "with 0xe9");
    free(flash);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fw_otadata");
    TCase *tc = tcase_create("otadata");
    tcase_add_test(tc, crc_is_the_roms);
    tcase_add_test(tc, entries_and_the_active_one);
    tcase_add_test(tc, bootloader_choice);
    tcase_add_test(tc, merged_flash);
    suite_add_tcase(s, tc);
    return mmsim_check_run(s);
}
