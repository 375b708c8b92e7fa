/* test_fw_partition_bin.c - the binary partition table as mmsim_firmware reads and
 * writes it (firmware/fw_partition_bin.c), MD5 (firmware/md5.c), and loading either
 * format from a file (fw_ptable_load_file): the exact bytes written, round trips, and
 * every refusal with its "file: entry N: ..." message. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "fw_partition.h"
#include "md5.h"

static fw_ptable_t T, U;
static fw_error_t E;
static uint8_t B[FW_PTABLE_SECTOR_SIZE], B2[FW_PTABLE_MAX_LEN];

static const char SINGLEAPP[] = "nvs, data, nvs, , 0x6000\nphy_init, data, phy, , 0x1000\n"
                                "factory, app, factory, , 1M\n";

static void parse(const char *text)
{
    ck_assert_msg(fw_ptable_parse_csv("t.csv", text, strlen(text), NULL, &T, &E) == 0, "%s", E.msg);
}

static void write_table(const fw_ptable_t *t)
{
    memset(B, 0xA5, sizeof B);
    ck_assert_msg(fw_ptable_write_bin(t, NULL, B, &E) == 0, "%s", E.msg);
}

static int read_bin(size_t len, const fw_ptable_opts_t *o)
{
    memset(&E, 0, sizeof E);
    return fw_ptable_read_bin("t.bin", B, len, o, &U, &E);
}

#define ck_read_fails(len, o, want_code, want_msg)                                                 \
    do {                                                                                           \
        ck_assert_int_eq(read_bin(len, o), want_code);                                             \
        ck_assert_str_eq(E.msg, want_msg);                                                         \
        ck_assert_uint_eq(U.count, 0);                                                             \
    } while (0)

static void put_entry(uint8_t *rec, const char *label, uint8_t type, uint8_t subtype, uint32_t offset,
                      uint32_t size)
{
    memset(rec, 0, 32);
    rec[0] = 0xAA;
    rec[1] = 0x50;
    rec[2] = type;
    rec[3] = subtype;
    for (int i = 0; i < 4; i++) {
        rec[4 + i] = (uint8_t)(offset >> (8 * i));
        rec[8 + i] = (uint8_t)(size >> (8 * i));
    }
    memcpy(rec + 12, label, strnlen(label, 16));
}

static void put_md5(uint8_t *rec)
{
    memset(rec, 0xFF, 16);
    rec[0] = rec[1] = 0xEB;
    md5_sum(B, (size_t)(rec - B), rec + 16);
}

/* ---- MD5 ---- */

static const struct {
    const char *text, *digest;
} rfc1321[] = {
    {"", "d41d8cd98f00b204e9800998ecf8427e"},
    {"a", "0cc175b9c0f1b6a831c399e269772661"},
    {"abc", "900150983cd24fb0d6963f7d28e17f72"},
    {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
    {"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
    {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"},
    {"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
     "57edf4a22be3c955ac49da2e2107b67a"},
};

static void hex(char *out, const uint8_t *d)
{
    for (int i = 0; i < 16; i++)
        sprintf(out + 2 * i, "%02x", d[i]);
}

START_TEST(md5_rfc1321_test_suite)
{
    uint8_t d[MD5_DIGEST_LEN];
    char h[33];
    md5_sum(rfc1321[_i].text, strlen(rfc1321[_i].text), d);
    hex(h, d);
    ck_assert_str_eq(h, rfc1321[_i].digest);
}
END_TEST

START_TEST(md5_incremental_equals_one_shot)
{
    uint8_t data[300], whole[16], parts[16];
    for (int i = 0; i < 300; i++)
        data[i] = (uint8_t)(i * 31 + 7);
    for (size_t len = 0; len <= sizeof data; len += 37) {
        md5_sum(data, len, whole);
        for (size_t cut = 0; cut <= len; cut += 13) {
            md5_ctx_t c;
            md5_init(&c);
            md5_update(&c, data, cut);
            md5_update(&c, NULL, 0);
            md5_update(&c, data + cut, len - cut);
            md5_final(&c, parts);
            ck_assert_mem_eq(parts, whole, 16);
        }
    }
}
END_TEST

/* ---- writing ---- */

START_TEST(write_is_gen_esp32part_layout)
{
    parse(SINGLEAPP);
    write_table(&T);
    static const uint8_t first[32] = {0xAA, 0x50, 0x01, 0x02, 0x00, 0x90, 0x00, 0x00, 0x00, 0x60, 0x00, 0x00,
                                      'n', 'v', 's'};
    ck_assert_mem_eq(B, first, 32);
    static const uint8_t factory[16] = {0xAA, 0x50, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x10, 0x00,
                                        'f', 'a', 'c', 't'};
    ck_assert_mem_eq(B + 64, factory, 16);
    uint8_t digest[16];
    md5_sum(B, 96, digest);
    ck_assert_int_eq(B[96], 0xEB);
    ck_assert_int_eq(B[97], 0xEB);
    for (int i = 98; i < 112; i++)
        ck_assert_int_eq(B[i], 0xFF);
    ck_assert_mem_eq(B + 112, digest, 16);
    for (size_t i = 128; i < FW_PTABLE_MAX_LEN; i++)
        ck_assert_int_eq(B[i], 0xFF);
    ck_assert_int_eq(B[FW_PTABLE_MAX_LEN], 0xA5); /* nothing past 0xC00 */
}
END_TEST

START_TEST(write_without_md5_and_flags)
{
    parse("a, data, spiffs, , 64K, encrypted:readonly\n");
    fw_ptable_opts_t o;
    fw_ptable_opts_default(&o);
    o.md5 = false;
    ck_assert_int_eq(fw_ptable_write_bin(&T, &o, B, &E), 0);
    ck_assert_int_eq(B[28], 3);
    for (size_t i = 32; i < FW_PTABLE_MAX_LEN; i++)
        ck_assert_int_eq(B[i], 0xFF);
    /* A 16-byte label fills its field without a NUL. */
    parse("sixteen_bytes_ok, data, nvs, , 0x6000\n");
    write_table(&T);
    ck_assert_mem_eq(B + 12, "sixteen_bytes_ok", 16);
    ck_assert_int_eq(B[28], 0);
}
END_TEST

START_TEST(write_refusals)
{
    memset(&T, 0, sizeof T);
    T.count = 95;
    ck_assert_int_eq(fw_ptable_write_bin(&T, NULL, B, &E), FW_ERR_OVERSIZED);
    ck_assert_str_eq(E.msg, "95 partitions: a binary table holds at most 94 and its MD5 record (0xc00 bytes)");
    fw_ptable_opts_t o;
    fw_ptable_opts_default(&o);
    o.md5 = false;
    ck_assert_int_eq(fw_ptable_write_bin(&T, &o, B, &E), 0);
    T.count = 1;
    memset(T.entries[0].label, 'x', sizeof T.entries[0].label); /* no NUL */
    ck_assert_int_eq(fw_ptable_write_bin(&T, NULL, B, &E), FW_ERR_LABEL);
    ck_assert_str_eq(E.msg, "entry 0: the label is over 16 bytes");
    ck_assert_int_eq(fw_ptable_write_bin(NULL, NULL, B, &E), FW_ERR_ARG);
    ck_assert_int_eq(fw_ptable_write_bin(&T, NULL, NULL, &E), FW_ERR_ARG);
}
END_TEST

/* ---- reading ---- */

START_TEST(round_trip_csv_binary_binary)
{
    parse("nvs, data, nvs, , 0x6000, encrypted\notadata, data, ota, , 0x2000\n"
          "ota_0, app, ota_0, , 1M\nota_1, app, ota_1, , 1M, readonly\ncustom, 0x40, 7, , 12K\n"
          "sixteen_bytes_ok, data, fat, 0x300000, 64K\n");
    write_table(&T);
    ck_assert_msg(read_bin(FW_PTABLE_MAX_LEN, NULL) == 0, "%s", E.msg);
    ck_assert(U.has_md5);
    ck_assert_uint_eq(U.count, T.count);
    for (size_t i = 0; i < T.count; i++) {
        const fw_partition_t *a = &T.entries[i], *b = &U.entries[i];
        ck_assert_str_eq(a->label, b->label);
        ck_assert_int_eq(a->type, b->type);
        ck_assert_int_eq(a->subtype, b->subtype);
        ck_assert_uint_eq(a->offset, b->offset);
        ck_assert_uint_eq(a->size, b->size);
        ck_assert_uint_eq(a->flags, b->flags);
        ck_assert_uint_eq(b->line, 0);
    }
    ck_assert_int_eq(fw_ptable_write_bin(&U, NULL, B2, &E), 0);
    ck_assert_mem_eq(B, B2, FW_PTABLE_MAX_LEN);
}
END_TEST

START_TEST(read_accepts_what_the_chip_accepts)
{
    parse(SINGLEAPP);
    write_table(&T);
    /* Up to the end marker is enough; a whole sector with a signature after 0xC00 too. */
    ck_assert_int_eq(read_bin(160, NULL), 0);
    memset(B + FW_PTABLE_MAX_LEN, 0x5A, FW_PTABLE_SECTOR_SIZE - FW_PTABLE_MAX_LEN);
    ck_assert_int_eq(read_bin(FW_PTABLE_SECTOR_SIZE, NULL), 0);
    ck_assert_uint_eq(U.count, 3);
    /* The end marker is magic 0xFFFF with type and subtype 0xFF; the rest is not read. */
    memset(B + 128 + 4, 0x00, 28);
    ck_assert_int_eq(read_bin(FW_PTABLE_MAX_LEN, NULL), 0);
    /* Unknown flag bits are kept; a label without NUL takes all 16 bytes. */
    B[28 + 3] = 0x80;
    memcpy(B + 12, "sixteen_bytes_ok", 16);
    put_md5(B + 96);
    ck_assert_int_eq(read_bin(FW_PTABLE_MAX_LEN, NULL), 0);
    ck_assert_uint_eq(U.entries[0].flags, 0x80000000u);
    ck_assert_str_eq(U.entries[0].label, "sixteen_bytes_ok");
    /* Without the MD5 record when the options say the app does not check it. */
    memset(B + 96, 0xFF, 32);
    fw_ptable_opts_t o;
    fw_ptable_opts_default(&o);
    o.md5 = false;
    ck_assert_int_eq(read_bin(FW_PTABLE_MAX_LEN, &o), 0);
    ck_assert(!U.has_md5);
}
END_TEST

START_TEST(read_refuses_broken_structure)
{
    parse(SINGLEAPP);
    write_table(&T);
    ck_read_fails(0, NULL, FW_ERR_TRUNCATED, "t.bin: the file is empty: no partition table");
    ck_read_fails(100, NULL, FW_ERR_TRUNCATED,
                  "t.bin: entry 3: truncated: the file ends at byte 0x64, inside this entry (bytes 0x60-0x7f)");
    ck_read_fails(128, NULL, FW_ERR_TRUNCATED,
                  "t.bin: entry 4: truncated: the file ends at byte 0x80, before the table's end marker");
    ck_read_fails(FW_PTABLE_SECTOR_SIZE + 1, NULL, FW_ERR_OVERSIZED,
                  "t.bin: 4097 bytes: more than the partition table's sector (0x1000 bytes)");
    B[33] = 0x51;
    ck_read_fails(FW_PTABLE_MAX_LEN, NULL, FW_ERR_MAGIC,
                  "t.bin: entry 1: invalid magic number 0x51aa (a partition has 0x50aa, the MD5 record "
                  "0xebeb, the end marker 0xffff with type and subtype 0xff)");
    B[33] = 0x50;
    B[128 + 2] = 0x00; /* an end marker whose type is not 0xFF */
    ck_read_fails(FW_PTABLE_MAX_LEN, NULL, FW_ERR_MAGIC,
                  "t.bin: entry 4: invalid magic number 0xffff (a partition has 0x50aa, the MD5 record "
                  "0xebeb, the end marker 0xffff with type and subtype 0xff)");
    memset(B, 0xFF, FW_PTABLE_MAX_LEN);
    ck_read_fails(FW_PTABLE_MAX_LEN, NULL, FW_ERR_MAGIC,
                  "t.bin: entry 0: the table starts with the end marker (erased flash?): an empty table is not valid");
    /* 96 partitions leave no room for the end marker. */
    for (unsigned i = 0; i < FW_PTABLE_SLOTS; i++) {
        char label[8];
        snprintf(label, sizeof label, "p%u", i);
        put_entry(B + 32 * i, label, 1, 0x40, 0x9000 + 0x1000 * i, 0x1000);
    }
    ck_read_fails(FW_PTABLE_MAX_LEN, NULL, FW_ERR_OVERSIZED,
                  "t.bin: no end marker within the table's 0xc00 bytes (96 records): the table has no terminating entry");
    /* 95 partitions and the end marker, no MD5: valid for a table written without one. */
    memset(B + 32 * 95, 0xFF, 32);
    fw_ptable_opts_t o;
    fw_ptable_opts_default(&o);
    o.md5 = false;
    ck_assert_int_eq(read_bin(FW_PTABLE_MAX_LEN, &o), 0);
    ck_assert_uint_eq(U.count, 95);
    ck_assert_int_eq(fw_ptable_read_bin("t", NULL, 5, NULL, &U, &E), FW_ERR_ARG);
    ck_assert_int_eq(fw_ptable_read_bin("t", B, 5, NULL, NULL, &E), FW_ERR_ARG);
}
END_TEST

START_TEST(read_refuses_bad_md5)
{
    parse(SINGLEAPP);
    write_table(&T);
    B[112] ^= 1;
    ck_read_fails(FW_PTABLE_MAX_LEN, NULL, FW_ERR_MD5,
                  "t.bin: entry 3: incorrect MD5 checksum: the record holds f5ad4f4538564b5d7435b62c75b69524, "
                  "the 3 entries before it hash to f4ad4f4538564b5d7435b62c75b69524");
    B[112] ^= 1;
    memcpy(B + 128, B + 96, 32); /* a second MD5 record */
    ck_read_fails(FW_PTABLE_MAX_LEN, NULL, FW_ERR_MD5,
                  "t.bin: entry 4: a second MD5 record: only one MD5 checksum is allowed");
    put_entry(B + 128, "late", 1, 0x81, 0x110000, 0x10000);
    ck_read_fails(FW_PTABLE_MAX_LEN, NULL, FW_ERR_MD5,
                  "t.bin: entry 4: a partition after the MD5 record (the MD5 record must follow the last partition)");
    memset(B + 96, 0xFF, 64);
    ck_read_fails(FW_PTABLE_MAX_LEN, NULL, FW_ERR_MD5,
                  "t.bin: entry 3: no MD5 record before the end marker (the app refuses such a table "
                  "unless CONFIG_PARTITION_TABLE_MD5 is off)");
    /* An MD5 record first: the digest of nothing (gen_esp32part.py's empty table). */
    md5_sum(NULL, 0, B + 16);
    memset(B, 0xFF, 16);
    B[0] = B[1] = 0xEB;
    memset(B + 32, 0xFF, 32);
    ck_assert_int_eq(read_bin(FW_PTABLE_MAX_LEN, NULL), 0);
    ck_assert_uint_eq(U.count, 0);
    ck_assert(U.has_md5);
}
END_TEST

START_TEST(read_verifies_like_gen_esp32part)
{
    put_entry(B, "nvs", 1, 2, 0x9000, 0x6000);
    put_entry(B + 32, "phy_init", 1, 1, 0xE000, 0x1000);
    put_md5(B + 64);
    memset(B + 96, 0xFF, 32);
    ck_read_fails(128, NULL, FW_ERR_OVERLAP,
                  "t.bin: entry 1: partition 'phy_init' at 0xe000 overlaps 'nvs' at 0x9000-0xefff");
    fw_ptable_opts_t o;
    fw_ptable_opts_default(&o);
    o.verify = false; /* what the bootloader alone checks */
    ck_assert_int_eq(read_bin(128, &o), 0);
    o.flash_size = 0xE000;
    ck_read_fails(128, &o, FW_ERR_RANGE,
                  "t.bin: entry 0: partition 'nvs' (offset 0x9000, size 0x6000) ends past the end of "
                  "the flash (0xe000 bytes)");
    put_entry(B + 32, "factory", 0, 0, 0x18000, 0x100000);
    put_md5(B + 64);
    ck_read_fails(128, NULL, FW_ERR_ALIGN,
                  "t.bin: entry 1: partition 'factory': offset 0x18000 is not aligned to 0x10000 (app "
                  "partitions start on a 64 KB boundary)");
    put_entry(B, "early", 1, 2, 0x7000, 0x6000);
    put_entry(B + 32, "factory", 0, 0, 0x10000, 0x100000);
    put_md5(B + 64);
    ck_read_fails(128, NULL, FW_ERR_OVERLAP,
                  "t.bin: entry 0: partition 'early': offset 0x7000 is below the end of the partition table (0x9000)");
    put_entry(B, "factory", 1, 2, 0x9000, 0x6000);
    put_md5(B + 64);
    ck_read_fails(128, NULL, FW_ERR_LABEL,
                  "t.bin: entry 1: partition name 'factory' is used twice (also at entry 0): names must be unique");
    /* The primary bootloader and table may sit below the table's end. */
    put_entry(B, "boot", 2, 0, 0x1000, 0x7000);
    put_entry(B + 32, "table", 3, 0, 0x8000, 0x1000);
    put_md5(B + 64);
    ck_assert_msg(read_bin(128, NULL) == 0, "%s", E.msg);
}
END_TEST

/* ---- files ---- */

static char dir[64];

static void write_file(const char *name, const void *data, size_t len, char *path, size_t n)
{
    snprintf(path, n, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    fclose(f);
}

START_TEST(load_file_by_name_or_content)
{
    snprintf(dir, sizeof dir, "/tmp/mmsim-fw-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char csv_path[128], bin_path[128], sniff_bin[128], sniff_csv[128], empty_bin[128], bad[128];
    write_file("t.csv", SINGLEAPP, strlen(SINGLEAPP), csv_path, sizeof csv_path);
    parse(SINGLEAPP);
    write_table(&T);
    write_file("t.BIN", B, FW_PTABLE_MAX_LEN, bin_path, sizeof bin_path);
    write_file("table", B, FW_PTABLE_MAX_LEN, sniff_bin, sizeof sniff_bin);
    write_file("partitions", SINGLEAPP, strlen(SINGLEAPP), sniff_csv, sizeof sniff_csv);
    write_file("empty.bin", "", 0, empty_bin, sizeof empty_bin);
    write_file("bad.csv", "x, data, fat, , 4Q\n", 19, bad, sizeof bad);
    const char *good[] = {csv_path, bin_path, sniff_bin, sniff_csv};
    for (int i = 0; i < 4; i++) {
        ck_assert_msg(fw_ptable_load_file(good[i], NULL, &U, &E) == 0, "%s", E.msg);
        ck_assert_uint_eq(U.count, 3);
        ck_assert_uint_eq(U.entries[2].offset, 0x10000);
        ck_assert_uint_eq(U.entries[2].line, (i == 0 || i == 3) ? 3u : 0u);
    }
    char want[300];
    ck_assert_int_eq(fw_ptable_load_file(empty_bin, NULL, &U, &E), FW_ERR_TRUNCATED);
    snprintf(want, sizeof want, "%s: the file is empty: no partition table", empty_bin);
    ck_assert_str_eq(E.msg, want);
    ck_assert_int_eq(fw_ptable_load_file(bad, NULL, &U, &E), FW_ERR_SYNTAX);
    snprintf(want, sizeof want, "%s:1:17: bad size '4Q' (a number: decimal, 0x hex, 0o octal or 0b "
             "binary, with an optional K or M suffix)", bad);
    ck_assert_str_eq(E.msg, want);
    char missing[128];
    snprintf(missing, sizeof missing, "%s/nope.csv", dir);
    ck_assert_int_eq(fw_ptable_load_file(missing, NULL, &U, &E), FW_ERR_IO);
    snprintf(want, sizeof want, "%s: cannot open: No such file or directory", missing);
    ck_assert_str_eq(E.msg, want);
    ck_assert_int_eq(fw_ptable_load_file(dir, NULL, &U, &E), FW_ERR_IO);
    ck_assert_int_eq(fw_ptable_load_file(NULL, NULL, &U, &E), FW_ERR_ARG);
    const char *all[] = {csv_path, bin_path, sniff_bin, sniff_csv, empty_bin, bad};
    for (int i = 0; i < 6; i++)
        unlink(all[i]);
    rmdir(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fw_partition_bin");
    TCase *tc = tcase_create("binary");
    tcase_add_loop_test(tc, md5_rfc1321_test_suite, 0, sizeof rfc1321 / sizeof rfc1321[0]);
    tcase_add_test(tc, md5_incremental_equals_one_shot);
    tcase_add_test(tc, write_is_gen_esp32part_layout);
    tcase_add_test(tc, write_without_md5_and_flags);
    tcase_add_test(tc, write_refusals);
    tcase_add_test(tc, round_trip_csv_binary_binary);
    tcase_add_test(tc, read_accepts_what_the_chip_accepts);
    tcase_add_test(tc, read_refuses_broken_structure);
    tcase_add_test(tc, read_refuses_bad_md5);
    tcase_add_test(tc, read_verifies_like_gen_esp32part);
    tcase_add_test(tc, load_file_by_name_or_content);
    suite_add_tcase(s, tc);
    return mmsim_check_run(s);
}
