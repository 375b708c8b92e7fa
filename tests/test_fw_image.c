/* test_fw_image.c - ESP-IDF app and bootloader images as mmsim_firmware reads them
 * (firmware/fw_image.c): images this test writes with fw_image_build, read back field by
 * field; the per-chip address table against ESP-IDF's soc.h values; every check of
 * esp_image_format.c with its message; the segments the bootloader maps. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "fw_image.h"
#include "sha256.h"

static fw_image_t I, T;
static fw_error_t E;
static uint8_t B[8192];
static size_t N;
static uint8_t DESC[256], D1[16], D2[32];

/* An app for `chip`: segment 0 (DROM, with the descriptor) at 0x20, then a RAM segment
 * and a mapped one whose address matches its flash offset modulo 64 KB. */
static void make_app(uint16_t chip_id, uint32_t drom, uint32_t ram, uint32_t irom_base)
{
    memset(&T, 0, sizeof T);
    T.magic = 0xE9;
    T.segment_count = 3;
    T.spi_mode = 2;
    T.spi_speed = 0xF;
    T.spi_size = 2;
    T.entry_addr = 0x40380000;
    T.wp_pin = 0xEE;
    T.chip_id = chip_id;
    T.max_chip_rev_full = 0xFFFF;
    T.hash_appended = true;
    memset(DESC, 0, sizeof DESC);
    uint32_t magic = 0xABCD5432;
    memcpy(DESC, &magic, 4);
    DESC[4] = 3; /* secure version */
    strcpy((char *)DESC + 16, "v1.2.3");
    strcpy((char *)DESC + 48, "hello_world");
    strcpy((char *)DESC + 80, "12:00:00");
    strcpy((char *)DESC + 96, "Jan  1 2025");
    strcpy((char *)DESC + 112, "v5.4-dev");
    DESC[180] = 16;
    memset(D1, 0x11, sizeof D1);
    memset(D2, 0x22, sizeof D2);
    T.segment_count_read = 3;
    T.segments[0] = (fw_segment_t){.load_addr = drom, .data_len = 256};
    T.segments[1] = (fw_segment_t){.load_addr = ram, .data_len = 16};
    /* header 24 + 8 + 256 + 8 + 16 + 8 = 0x140: the third segment's data offset */
    T.segments[2] = (fw_segment_t){.load_addr = irom_base + 0x140, .data_len = 32};
}

static void build(void)
{
    const uint8_t *segs[3] = {DESC, D1, D2};
    N = fw_image_build(&T, segs, B, sizeof B);
    ck_assert_uint_le(N, sizeof B);
}

static int parse(const fw_image_opts_t *o)
{
    memset(&E, 0, sizeof E);
    return fw_image_parse("app.bin", B, N, o, &I, &E);
}

#define ck_refused(o, code, want)                                                                 \
    do {                                                                                           \
        ck_assert_int_eq(parse(o), code);                                                          \
        ck_assert_str_eq(E.msg, want);                                                             \
    } while (0)

START_TEST(s3_app_reads_back)
{
    make_app(FW_CHIP_ESP32S3, 0x3C000020, 0x3FC88000, 0x42000000);
    build();
    ck_assert_uint_eq(N, 0x160 + 16 + 32); /* 0x160 of segments, padding to 0x170, SHA-256 */
    ck_assert_int_eq(parse(NULL), 0);
    ck_assert_str_eq(I.chip->name, "esp32s3");
    ck_assert_uint_eq(I.segment_count_read, 3);
    ck_assert_uint_eq(I.segments[0].data_offset, 0x20);
    ck_assert_uint_eq(I.segments[0].flash_offset, 0x10020);
    ck_assert_uint_eq(I.segments[2].header_offset, 0x138);
    ck_assert_uint_eq(I.segments[2].flash_offset, 0x10140);
    ck_assert_int_eq(I.segments[0].cls, FW_SEG_DROM);
    ck_assert_int_eq(I.segments[1].cls, FW_SEG_DRAM);
    ck_assert_int_eq(I.segments[2].cls, FW_SEG_IROM);
    ck_assert_int_eq(I.drom_segment, 0);
    ck_assert_int_eq(I.irom_segment, 2);
    ck_assert(I.checksum_ok);
    ck_assert(I.hash_ok);
    ck_assert_uint_eq(I.checksum_offset, 0x16F);
    ck_assert_uint_eq(I.image_len, N);
    ck_assert_uint_eq(I.spi_mode, 2);
    ck_assert_uint_eq(I.spi_speed, 0xF);
    ck_assert_uint_eq(I.spi_size, 2);
    ck_assert_str_eq(fw_image_flash_size_name(I.spi_size), "4MB");
    ck_assert_uint_eq(I.entry_addr, 0x40380000);
    ck_assert(I.app_desc.present);
    ck_assert_str_eq(I.app_desc.project_name, "hello_world");
    ck_assert_str_eq(I.app_desc.version, "v1.2.3");
    ck_assert_str_eq(I.app_desc.idf_ver, "v5.4-dev");
    ck_assert_str_eq(I.app_desc.date, "Jan  1 2025");
    ck_assert_uint_eq(I.app_desc.secure_version, 3);
    ck_assert_uint_eq(I.app_desc.mmu_page_size_log2, 16);
    /* The checksum byte is the XOR of the data seeded with 0xEF; the hash covers the rest. */
    uint8_t x = 0xEF;
    for (int i = 0; i < 256; i++)
        x ^= DESC[i];
    for (int i = 0; i < 16; i++)
        x ^= D1[i];
    for (int i = 0; i < 32; i++)
        x ^= D2[i];
    ck_assert_uint_eq(B[0x16F], x);
    uint8_t h[32];
    sha256_sum(B, 0x170, h);
    ck_assert_mem_eq(B + 0x170, h, 32);
    /* Where the image sits in flash moves every flash offset. */
    fw_image_opts_t o;
    fw_image_opts_default(&o);
    o.offset = 0x110000;
    ck_assert_int_eq(parse(&o), 0);
    ck_assert_uint_eq(I.segments[2].flash_offset, 0x110140);
    /* A size byte of the file that does not fit is not read: trailing data is fine. */
    N += 100;
    ck_assert_int_eq(parse(NULL), 0);
}
END_TEST

START_TEST(chip_table_is_esp_idf)
{
    static const struct {
        const char *name;
        uint16_t id;
        uint32_t boot;
    } want[] = {{"esp32", 0, 0x1000},     {"esp32s2", 2, 0x1000},  {"esp32c3", 5, 0},
                {"esp32s3", 9, 0},        {"esp32c2", 12, 0},      {"esp32c6", 13, 0},
                {"esp32h2", 16, 0},       {"esp32p4", 18, 0x2000}, {"esp32c61", 20, 0},
                {"esp32c5", 23, 0x2000},  {"esp32h21", 25, 0},     {"esp32h4", 28, 0x2000},
                {"esp32s31", 32, 0x2000}};
    size_t n = 0;
    while (fw_chip_at(n))
        n++;
    ck_assert_uint_eq(n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < n; i++) {
        const fw_chip_mem_t *c = fw_chip_by_id(want[i].id);
        ck_assert_ptr_nonnull(c);
        ck_assert_str_eq(c->name, want[i].name);
        ck_assert_ptr_eq(fw_chip_by_name(want[i].name), c);
        ck_assert_uint_eq(c->bootloader_offset, want[i].boot);
    }
    ck_assert_ptr_null(fw_chip_by_id(0x77));
    ck_assert_ptr_null(fw_chip_by_name("esp8266"));

    const fw_chip_mem_t *esp32 = fw_chip_by_name("esp32"), *c6 = fw_chip_by_name("esp32c6"),
                        *p4 = fw_chip_by_name("esp32p4"), *c3 = fw_chip_by_name("esp32c3");
    ck_assert_int_eq(fw_seg_classify(esp32, 0, 0x3F400000), FW_SEG_DROM);
    ck_assert_int_eq(fw_seg_classify(esp32, 0, 0x3F7FFFFF), FW_SEG_DROM);
    ck_assert_int_eq(fw_seg_classify(esp32, 0, 0x3F800000), FW_SEG_UNKNOWN); /* external RAM */
    ck_assert_int_eq(fw_seg_classify(esp32, 0, 0x400D0018), FW_SEG_IROM);
    ck_assert_int_eq(fw_seg_classify(esp32, 0, 0x3FFB0000), FW_SEG_DRAM);
    ck_assert_int_eq(fw_seg_classify(esp32, 0, 0x40080000), FW_SEG_IRAM);
    ck_assert_int_eq(fw_seg_classify(esp32, 0, 0x400C0000), FW_SEG_RTC_FAST);
    ck_assert_int_eq(fw_seg_classify(esp32, 0, 0x50000000), FW_SEG_RTC_SLOW);
    ck_assert_int_eq(fw_seg_classify(esp32, 0, 0), FW_SEG_PADDING);
    ck_assert_int_eq(fw_seg_classify(esp32, 0, 4), FW_SEG_RESERVED);
    ck_assert_int_eq(fw_seg_classify(c3, 0, 0x50000000), FW_SEG_RTC_FAST);
    ck_assert_int_eq(fw_seg_classify(c6, 0, 0x42FFFFFF), FW_SEG_DROM);
    ck_assert_int_eq(fw_seg_classify(c6, 0, 0x43000000), FW_SEG_UNKNOWN);
    /* C6's ROM range is 256 pages: with 32 KB pages it ends at 0x42800000. */
    ck_assert_int_eq(fw_seg_classify(c6, 0x8000, 0x42800000), FW_SEG_UNKNOWN);
    ck_assert_int_eq(fw_seg_classify(c6, 0, 0x40800000), FW_SEG_DIRAM);
    ck_assert_int_eq(fw_seg_classify(p4, 0, 0x40000000), FW_SEG_DROM);
    ck_assert_int_eq(fw_seg_classify(p4, 0, 0x48000000), FW_SEG_EXTRAM);
    ck_assert_int_eq(fw_seg_classify(p4, 0, 0x4FF00000), FW_SEG_DIRAM);
    ck_assert(fw_seg_class_mapped(FW_SEG_EXTRAM));
    ck_assert(!fw_seg_class_mapped(FW_SEG_IRAM));
    ck_assert_str_eq(fw_seg_class_name(FW_SEG_RTC_SLOW), "RTC_SLOW");
    ck_assert_str_eq(fw_image_spi_mode_name(3), "dout");
    ck_assert_uint_eq(fw_image_flash_size_bytes(4), 16u << 20);
    ck_assert_uint_eq(fw_image_flash_size_bytes(9), 0);
}
END_TEST

START_TEST(refusals_with_esp_idf_messages)
{
    fw_image_opts_t o;
    fw_image_opts_default(&o);
    make_app(FW_CHIP_ESP32S3, 0x3C000020, 0x3FC88000, 0x42000000);
    build();
    uint8_t good[sizeof B];
    size_t good_n = N;
    memcpy(good, B, N);

    N = 0;
    ck_refused(NULL, FW_ERR_TRUNCATED, "app.bin: the file is empty: no image");
    N = 10;
    ck_refused(NULL, FW_ERR_TRUNCATED, "app.bin: byte offset 0x0: truncated: the image header "
               "needs 24 bytes, the data ends at byte 0xa");
    N = good_n;
    B[0] = 0xFF;
    ck_refused(NULL, FW_ERR_MAGIC, "app.bin: byte offset 0x0: image at 0x10000 has invalid magic "
               "byte (nothing flashed here?): 0xff, an image starts with 0xe9");
    memcpy(B, good, N);
    o.chip = fw_chip_by_name("esp32c3");
    ck_refused(&o, FW_ERR_CHIP, "app.bin: byte offset 0xc: mismatch chip ID, expected 5, found 9 "
               "(the image is for esp32s3, the chip is esp32c3)");
    o.chip = NULL;
    B[12] = 0x77;
    ck_refused(&o, FW_ERR_CHIP, "app.bin: byte offset 0xc: unknown chip ID 119 (0x0077): no "
               "ESP-IDF chip has it (an ESP8266 image, or not an image?)");
    memcpy(B, good, N);
    B[15] = 3; /* min revision v0.3 */
    o.chip_revision = 2;
    ck_refused(&o, FW_ERR_CHIP, "app.bin: byte offset 0xf: chip revision check failed. Required "
               ">= v0.3, found v0.2.");
    o.chip_revision = 3;
    ck_assert_int_eq(parse(&o), FW_ERR_HASH); /* the revision passes; the header is hashed */
    o.chip_revision = -1;
    memcpy(B, good, N);
    B[1] = 17;
    ck_refused(NULL, FW_ERR_SEGMENT, "app.bin: byte offset 0x1: image at 0x10000 segment count 17 "
               "exceeds max 16");
    memcpy(B, good, N);
    B[0x124] = 0x11;
    ck_refused(NULL, FW_ERR_SEGMENT, "app.bin: byte offset 0x124: invalid segment length 0x11 "
               "(segment 1: a multiple of 4 below 4 GB)");
    memcpy(B, good, N);
    B[24] = 0x40;
    ck_refused(NULL, FW_ERR_ALIGN, "app.bin: byte offset 0x18: Segment 0 load address 0x3c000040, "
               "doesn't match data 0x00010020 (modulo the 0x10000-byte MMU page)");
    memcpy(B, good, N);
    B[0x120 + 3] = 0x60;
    ck_refused(NULL, FW_ERR_SEGMENT, "app.bin: byte offset 0x120: Segment 1 0x60c88000-0x60c88010 "
               "invalid: bad load address range (no RAM of the esp32s3 there)");
    memcpy(B, good, N);
    B[0x130] ^= 1;
    ck_refused(NULL, FW_ERR_CHECKSUM, "app.bin: byte offset 0x16f: Checksum failed. Calculated "
               "0xb5 read 0xb4");
    /* The raw kind reports the checksum instead; verify = false skips it. */
    o.kind = FW_IMAGE_RAW;
    ck_assert_int_eq(parse(&o), 0);
    ck_assert(!I.checksum_ok);
    ck_assert(!I.hash_ok);
    o.kind = FW_IMAGE_APP;
    o.verify = false;
    ck_assert_int_eq(parse(&o), 0);
    o.verify = true;
    memcpy(B, good, N);
    B[N - 1] ^= 1;
    ck_assert_int_eq(parse(NULL), FW_ERR_HASH);
    ck_assert_ptr_nonnull(strstr(E.msg, "app.bin: byte offset 0x170: Image hash failed - image is "
                                        "corrupt (appended "));
    /* A bootloader's hash is not checked by ESP-IDF. */
    o.kind = FW_IMAGE_BOOTLOADER;
    ck_assert_int_eq(parse(&o), 0);
    ck_assert(!I.hash_ok);
    o.kind = FW_IMAGE_APP;
    memcpy(B, good, N);
    N = 0x150;
    ck_refused(NULL, FW_ERR_TRUNCATED, "app.bin: byte offset 0x140: segment 2: truncated: its 0x20 "
               "bytes of data are cut by the end of the data at byte 0x150");
    N = 0x160;
    ck_refused(NULL, FW_ERR_TRUNCATED, "app.bin: byte offset 0x16f: truncated: the checksum byte "
               "is past the end of the data at byte 0x160");
    N = 0x180;
    ck_refused(NULL, FW_ERR_TRUNCATED, "app.bin: byte offset 0x170: truncated: the appended "
               "SHA-256 (32 bytes, the header's hash flag is set) is cut by the end of the data at "
               "byte 0x180");
    N = 0x130;
    ck_refused(NULL, FW_ERR_TRUNCATED, "app.bin: byte offset 0x128: segment 1: truncated: its 0x10 "
               "bytes of data are cut by the end of the data at byte 0x130");
    N = 0x13A;
    ck_refused(NULL, FW_ERR_TRUNCATED, "app.bin: byte offset 0x138: segment 2: truncated: its 8-byte "
               "header is cut by the end of the data at byte 0x13a (3 segments announced)");
    N = good_n;
    o.partition_size = 0x100;
    ck_refused(&o, FW_ERR_RANGE, "app.bin: Image length 400 doesn't fit in partition length 256");
    o.partition_size = 0;

    /* Segment 0 of an app must hold the descriptor. */
    T.segment_count = 1;
    T.segment_count_read = 1;
    T.segments[0].data_len = 16;
    build();
    ck_refused(NULL, FW_ERR_SEGMENT, "app.bin: byte offset 0x1c: Segment 0: length 0x10 is too "
               "short for app description");
    o.kind = FW_IMAGE_BOOTLOADER;
    ck_assert_int_eq(parse(&o), 0);
    ck_assert(!I.app_desc.present);
    ck_assert_int_eq(fw_image_parse("x", NULL, 4, NULL, &I, &E), FW_ERR_ARG);
    ck_assert_int_eq(fw_image_parse("x", B, N, NULL, NULL, &E), FW_ERR_ARG);
}
END_TEST

START_TEST(configurable_page_size_and_shared_range)
{
    /* ESP32-C6: one ROM range; the page size comes from the descriptor's byte 180. */
    make_app(FW_CHIP_ESP32C6, 0x42000020, 0x40800000, 0x42010000);
    DESC[180] = 15; /* 32 KB */
    build();
    ck_assert_int_eq(parse(NULL), 0);
    ck_assert_uint_eq(I.page_size, 0x8000);
    ck_assert_int_eq(I.segments[0].cls, FW_SEG_DROM);
    ck_assert_int_eq(I.segments[1].cls, FW_SEG_DIRAM);
    ck_assert_int_eq(I.segments[2].cls, FW_SEG_IROM); /* the second mapped segment */
    ck_assert_int_eq(I.drom_segment, 0);
    ck_assert_int_eq(I.irom_segment, 2);
    DESC[180] = 0; /* an older image: the bootloader's own page size */
    build();
    ck_assert_int_eq(parse(NULL), 0);
    ck_assert_uint_eq(I.page_size, 0x10000);
    fw_image_opts_t o;
    fw_image_opts_default(&o);
    o.page_size = 0x4000;
    ck_assert_int_eq(parse(&o), 0);
    ck_assert_uint_eq(I.page_size, 0x4000);
    DESC[0] = 0;
    build();
    ck_refused(NULL, FW_ERR_MAGIC, "app.bin: byte offset 0x20: Failed to fetch app description "
               "header! (segment 0 starts with 0xabcd5400, not the magic word 0xabcd5432)");
    /* Not two mapped segments on a shared-range chip: the bootloader asserts. */
    DESC[0] = 0x32;
    T.segments[1].load_addr = 0x42000128;
    build();
    ck_assert_int_eq(parse(NULL), 0);
    int d, i;
    ck_assert_int_eq(fw_image_rom_segments("app.bin", &I, &d, &i, NULL, 0, &E), FW_ERR_SEGMENT);
    ck_assert_str_eq(E.msg, "app.bin: byte offset 0x138: segment 2 at 0x42010140 is a third "
                            "segment in the flash-mapped range: the bootloader maps exactly two "
                            "and stops (assert rom_index < 2)");
    T.segment_count = T.segment_count_read = 1;
    build();
    ck_assert_int_eq(parse(NULL), 0);
    ck_assert_int_eq(fw_image_rom_segments("app.bin", &I, &d, &i, NULL, 0, &E), FW_ERR_SEGMENT);
    ck_assert_str_eq(E.msg, "app.bin: 1 segment in the flash-mapped range: the bootloader maps "
                            "exactly two and stops (assert rom_index == 2)");
    /* Two DROM segments on the S3: the last is mapped, with ESP-IDF's log line. */
    make_app(FW_CHIP_ESP32S3, 0x3C000020, 0x3C000128, 0x42000000);
    build();
    ck_assert_int_eq(parse(NULL), 0);
    char note[128];
    ck_assert_int_eq(fw_image_rom_segments("app.bin", &I, &d, &i, note, sizeof note, &E), 0);
    ck_assert_int_eq(d, 1);
    ck_assert_int_eq(i, 2);
    ck_assert_str_eq(note, "Image contains multiple DROM segments. Only the last one will be mapped.");
}
END_TEST

START_TEST(load_file)
{
    make_app(FW_CHIP_ESP32S3, 0x3C000020, 0x3FC88000, 0x42000000);
    build();
    char path[] = "/tmp/mmsim-fw-image-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "wb");
    fwrite(B, 1, N, f);
    fclose(f);
    ck_assert_int_eq(fw_image_load_file(path, NULL, &I, &E), 0);
    ck_assert_uint_eq(I.segment_count_read, 3);
    unlink(path);
    ck_assert_int_eq(fw_image_load_file(path, NULL, &I, &E), FW_ERR_IO);
    char want[128];
    snprintf(want, sizeof want, "%s: cannot open: No such file or directory", path);
    ck_assert_str_eq(E.msg, want);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fw_image");
    TCase *tc = tcase_create("image");
    tcase_add_test(tc, s3_app_reads_back);
    tcase_add_test(tc, chip_table_is_esp_idf);
    tcase_add_test(tc, refusals_with_esp_idf_messages);
    tcase_add_test(tc, configurable_page_size_and_shared_range);
    tcase_add_test(tc, load_file);
    suite_add_tcase(s, tc);
    return mmsim_check_run(s);
}
