/* test_fw_partition.c - partitions.csv as mmsim_firmware reads it (firmware/
 * fw_partition_csv.c, fw_pytext.c, fw_partition.c): fields, numbers, names, flags,
 * placement of blank offsets, gen_esp32part.py's checks, ESP-IDF's default table, and
 * every error with its file:line:column message.  The binary format, MD5 and files are
 * in test_fw_partition_bin.c. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "fw_partition.h"

static fw_ptable_t T;
static fw_error_t E;

static int csv_o(const char *text, const fw_ptable_opts_t *o)
{
    memset(&E, 0, sizeof E);
    return fw_ptable_parse_csv("t.csv", text, strlen(text), o, &T, &E);
}

static int csv(const char *text)
{
    return csv_o(text, NULL);
}

#define ck_csv_ok(text) ck_assert_msg(csv(text) == 0, "%s", E.msg)
#define ck_csv_fails_o(text, o, want_code, want_msg)                                               \
    do {                                                                                           \
        ck_assert_int_eq(csv_o(text, o), want_code);                                               \
        ck_assert_str_eq(E.msg, want_msg);                                                         \
        ck_assert_int_eq(E.code, want_code);                                                       \
        ck_assert_uint_eq(T.count, 0);                                                             \
    } while (0)
#define ck_csv_fails(text, want_code, want_msg) ck_csv_fails_o(text, NULL, want_code, want_msg)

static void ck_entry(size_t i, const char *label, int type, int subtype, uint32_t offset, uint32_t size,
                     uint32_t flags)
{
    ck_assert_uint_lt(i, T.count);
    const fw_partition_t *p = &T.entries[i];
    ck_assert_str_eq(p->label, label);
    ck_assert_int_eq(p->type, type);
    ck_assert_int_eq(p->subtype, subtype);
    ck_assert_uint_eq(p->offset, offset);
    ck_assert_uint_eq(p->size, size);
    ck_assert_uint_eq(p->flags, flags);
}

/* ---- the default table and placement ---- */

START_TEST(default_singleapp)
{
    ck_assert_int_eq(fw_ptable_default(FW_PTABLE_OFFSET_DEFAULT, &T, &E), 0);
    ck_assert_uint_eq(T.count, 3);
    ck_entry(0, "nvs", 1, 2, 0x9000, 0x6000, 0);
    ck_entry(1, "phy_init", 1, 1, 0xF000, 0x1000, 0);
    ck_entry(2, "factory", 0, 0, 0x10000, 0x100000, 0);
    ck_assert_ptr_nonnull(strstr(fw_ptable_singleapp_csv, "factory,  app,  factory"));
    /* With the table further up everything moves after it. */
    ck_assert_int_eq(fw_ptable_default(0x10000, &T, &E), 0);
    ck_entry(0, "nvs", 1, 2, 0x11000, 0x6000, 0);
    ck_entry(1, "phy_init", 1, 1, 0x17000, 0x1000, 0);
    ck_entry(2, "factory", 0, 0, 0x20000, 0x100000, 0);
    ck_assert_int_eq(fw_ptable_default(0xFFFFF000u, &T, &E), FW_ERR_RANGE);
}
END_TEST

START_TEST(blank_offsets_placed_like_gen_esp32part)
{
    ck_csv_ok("a, data, nvs, , 0x3000\n"      /* first after the table: 0x9000 */
              "b, data, 0x40, , 0x1800\n"     /* 0xc000 */
              "c, app, ota_0, , 0x11000\n"    /* 0xd800 rounded up to 64 KB: 0x10000 */
              "d, data, spiffs, , 0x2400\n"   /* 0x21000 is already on 4 KB */
              "e, data, fat, 0x200000, 64K\n" /* given: a gap */
              "f, data, , , 4K\n"             /* after the given one */
              "g, app, ota_1, , 64K\n");      /* 0x211000 up to 0x220000 */
    ck_entry(0, "a", 1, 2, 0x9000, 0x3000, 0);
    ck_entry(1, "b", 1, 0x40, 0xC000, 0x1800, 0);
    ck_entry(2, "c", 0, 0x10, 0x10000, 0x11000, 0);
    ck_entry(3, "d", 1, 0x82, 0x21000, 0x2400, 0);
    ck_entry(4, "e", 1, 0x81, 0x200000, 0x10000, 0);
    ck_entry(5, "f", 1, 6, 0x210000, 0x1000, 0);
    ck_entry(6, "g", 0, 0x11, 0x220000, 0x10000, 0);
}
END_TEST

START_TEST(table_offset_option_moves_first_partition)
{
    fw_ptable_opts_t o;
    fw_ptable_opts_default(&o);
    o.table_offset = 0x9000;
    ck_assert_int_eq(csv_o("nvs, data, nvs, , 0x6000\nfactory, app, factory, , 1M\n", &o), 0);
    ck_entry(0, "nvs", 1, 2, 0xA000, 0x6000, 0);
    ck_entry(1, "factory", 0, 0, 0x10000, 0x100000, 0);
    ck_csv_fails_o("nvs, data, nvs, 0x9000, 0x6000\n", &o, FW_ERR_OVERLAP,
                   "t.csv:1:17: partition 'nvs': offset 0x9000 is inside the partition table's "
                   "sector at 0x9000: use 0xa000 or higher");
}
END_TEST

START_TEST(negative_size_is_the_end_address)
{
    ck_csv_ok("a, data, 0x40, 0x10000, -0x30000\nb, data, 0x40, , -0x40000\n");
    ck_entry(0, "a", 1, 0x40, 0x10000, 0x20000, 0);
    ck_entry(1, "b", 1, 0x40, 0x30000, 0x10000, 0);
    ck_csv_fails("a, data, 0x40, 0x10000, -0x8000\n", FW_ERR_RANGE,
                 "t.csv:1:25: partition 'a': a negative size gives the end address, and 0x8000 "
                 "is below its offset 0x10000");
}
END_TEST

START_TEST(placement_past_4g_refused)
{
    ck_csv_fails("a, data, 0x40, 0xfffff000, 0x1000\nb, data, 0x40, , 0x1000\n", FW_ERR_RANGE,
                 "t.csv:2:15: partition 'b' would start at 0x100000000, past 4 GB");
}
END_TEST

/* ---- numbers ---- */

static const struct {
    const char *text;
    uint32_t value;
} good_sizes[] = {
    {"0x1000", 0x1000}, {"4096", 4096}, {"4K", 4096}, {"4k", 4096}, {"1M", 0x100000},
    {"1m", 0x100000}, {"0x1_000", 0x1000}, {"1_0", 10}, {"0o10", 8}, {"0O10", 8},
    {"0b11", 3}, {"0B11", 3}, {"0X10", 16}, {"+5", 5}, {"1kk", 0x100000}, {"1mk", 0x40000000},
    {"0x10K", 0x4000}, {"4 K", 4096}, {"00", 0}, {"0_0", 0}, {"0", 0}, {"0x_10", 16},
    {"4294967295", 0xFFFFFFFFu}, {"0xffffffff", 0xFFFFFFFFu}, {"3m", 0x300000},
    {"0mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm", 0}, {"0x0kkkkkkkkkkkkkkkkkkkkkkk", 0},
};

START_TEST(sizes_as_python_int_with_k_m)
{
    char line[80];
    snprintf(line, sizeof line, "x, data, 0x40, 0x100000, %s\n", good_sizes[_i].text);
    ck_assert_msg(csv(line) == 0, "%s: %s", good_sizes[_i].text, E.msg);
    ck_assert_uint_eq(T.entries[0].size, good_sizes[_i].value);
}
END_TEST

static const char *const bad_sizes[] = {
    "010", "0x", "1__0", "_1", "1_", "0x_", "1G", "k", "0b2", "1.5M", "- 1", "0o8", "ten", "0xg",
    "1e3", "--1", "0 x10", "1K1",
};

START_TEST(bad_sizes_refused_at_their_column)
{
    char line[80], want[300];
    snprintf(line, sizeof line, "x, data, 0x40, 0x100000, %s\n", bad_sizes[_i]);
    snprintf(want, sizeof want, "t.csv:1:26: bad size '%s' (a number: decimal, 0x hex, 0o octal "
             "or 0b binary, with an optional K or M suffix)", bad_sizes[_i]);
    ck_csv_fails(line, FW_ERR_SYNTAX, want);
}
END_TEST

START_TEST(numbers_out_of_range)
{
    ck_csv_fails("x, data, 0x40, , 0x100000000\n", FW_ERR_RANGE,
                 "t.csv:1:18: size '0x100000000' is out of range (up to 0xffffffff; a negative "
                 "size is the end address)");
    ck_csv_fails("x, data, 0x40, , 99999999999999999999999\n", FW_ERR_RANGE,
                 "t.csv:1:18: size '99999999999999999999999' is out of range (up to 0xffffffff; "
                 "a negative size is the end address)");
    ck_csv_fails("x, data, 0x40, , 1mmmmmmmmmmmmmm\n", FW_ERR_RANGE,
                 "t.csv:1:18: size '1mmmmmmmmmmmmmm' is out of range (up to 0xffffffff; a "
                 "negative size is the end address)");
    ck_csv_fails("x, data, 0x40, 4G, 4K\n", FW_ERR_SYNTAX,
                 "t.csv:1:16: bad offset '4G' (a number: decimal, 0x hex, 0o octal or 0b binary, "
                 "with an optional K or M suffix)");
    ck_csv_fails("x, data, 0x40, 4096M, 4K\n", FW_ERR_RANGE,
                 "t.csv:1:16: offset '4096M' is out of range (0 to 0xffffffff)");
    ck_csv_fails("x, data, 0x40, -0x1000, 4K\n", FW_ERR_RANGE,
                 "t.csv:1:16: offset '-0x1000' is out of range (0 to 0xffffffff)");
    ck_csv_fails("x, 256, 0, , 4K\n", FW_ERR_RANGE, "t.csv:1:4: type '256' is out of range (0 to 0xff)");
    ck_csv_fails("x, -1, 0, , 4K\n", FW_ERR_RANGE, "t.csv:1:4: type '-1' is out of range (0 to 0xff)");
    ck_csv_fails("x, data, 0x100, , 4K\n", FW_ERR_RANGE,
                 "t.csv:1:10: subtype '0x100' is out of range (0 to 0xff)");
}
END_TEST

/* ---- types, subtypes, flags ---- */

static const struct {
    const char *type, *subtype;
    int t, s;
} names[] = {
    {"app", "factory", 0, 0x00}, {"app", "test", 0, 0x20}, {"app", "ota_0", 0, 0x10},
    {"app", "ota_1", 0, 0x11}, {"app", "ota_2", 0, 0x12}, {"app", "ota_3", 0, 0x13},
    {"app", "ota_4", 0, 0x14}, {"app", "ota_5", 0, 0x15}, {"app", "ota_6", 0, 0x16},
    {"app", "ota_7", 0, 0x17}, {"app", "ota_8", 0, 0x18}, {"app", "ota_9", 0, 0x19},
    {"app", "ota_10", 0, 0x1a}, {"app", "ota_11", 0, 0x1b}, {"app", "ota_12", 0, 0x1c},
    {"app", "ota_13", 0, 0x1d}, {"app", "ota_14", 0, 0x1e}, {"app", "ota_15", 0, 0x1f},
    {"app", "tee_0", 0, 0x30}, {"app", "tee_1", 0, 0x31},
    {"data", "ota", 1, 0x00}, {"data", "phy", 1, 0x01}, {"data", "nvs", 1, 0x02},
    {"data", "coredump", 1, 0x03}, {"data", "nvs_keys", 1, 0x04}, {"data", "efuse", 1, 0x05},
    {"data", "undefined", 1, 0x06}, {"data", "esphttpd", 1, 0x80}, {"data", "fat", 1, 0x81},
    {"data", "spiffs", 1, 0x82}, {"data", "littlefs", 1, 0x83}, {"data", "tee_ota", 1, 0x90},
    {"bootloader", "primary", 2, 0x00}, {"bootloader", "ota", 2, 0x01},
    {"bootloader", "recovery", 2, 0x02},
    {"partition_table", "primary", 3, 0x00}, {"partition_table", "ota", 3, 0x01},
};

START_TEST(every_named_type_and_subtype)
{
    fw_ptable_opts_t o;
    fw_ptable_opts_default(&o);
    o.verify = false; /* sizes and offsets do not matter here */
    o.primary_bootloader_offset = 0x1000;
    o.recovery_bootloader_offset = 0x400000;
    char line[120];
    /* As written, upper case, and by number. */
    for (int form = 0; form < 3; form++) {
        if (form == 0)
            snprintf(line, sizeof line, "x, %s, %s, 0x100000, 0x10000\n", names[_i].type, names[_i].subtype);
        else if (form == 1) {
            snprintf(line, sizeof line, "x, %s, %s, 0x100000, 0x10000\n", names[_i].type, names[_i].subtype);
            for (char *c = line; *c; c++)
                if (*c >= 'a' && *c <= 'z')
                    *c = (char)(*c - 'a' + 'A');
            line[0] = 'x';
        } else
            snprintf(line, sizeof line, "x, %d, %#x, 0x100000, 0x10000\n", names[_i].t, names[_i].s);
        ck_assert_msg(csv_o(line, &o) == 0, "%s: %s", line, E.msg);
        ck_assert_int_eq(T.entries[0].type, names[_i].t);
        ck_assert_int_eq(T.entries[0].subtype, names[_i].s);
    }
    ck_assert_str_eq(fw_part_type_name((uint8_t)names[_i].t), names[_i].type);
    ck_assert_str_eq(fw_part_subtype_name((uint8_t)names[_i].t, (uint8_t)names[_i].s), names[_i].subtype);
}
END_TEST

START_TEST(names_of_unnamed_values)
{
    ck_assert_ptr_null(fw_part_type_name(0x40));
    ck_assert_ptr_null(fw_part_subtype_name(0x40, 0));
    ck_assert_ptr_null(fw_part_subtype_name(FW_PART_TYPE_APP, 0x21));
    ck_assert_ptr_null(fw_part_subtype_name(FW_PART_TYPE_DATA, 0x07));
}
END_TEST

START_TEST(blank_subtype_and_keyword_quirks)
{
    /* A blank subtype is "undefined" (0x06) for every type but app. */
    ck_csv_ok("a, data, , , 4K\nb, 0x40, , , 4K\n");
    ck_entry(0, "a", 1, 6, 0x9000, 0x1000, 0);
    ck_entry(1, "b", 0x40, 6, 0xA000, 0x1000, 0);
    /* gen_esp32part.py strips K/M before it looks a name up: "datak" is data x 1024, which
     * does not fit a type; "appk" is app x 1024 = 0, an app. */
    ck_csv_ok("a, appk, factory, , 64K\n");
    ck_entry(0, "a", 0, 0, 0x10000, 0x10000, 0);
    ck_csv_fails("a, datak, nvs, , 64K\n", FW_ERR_RANGE, "t.csv:1:4: type 'datak' is out of range (0 to 0xff)");
}
END_TEST

START_TEST(unknown_names_refused)
{
    ck_csv_fails("x, apps, factory, , 1M\n", FW_ERR_SYNTAX,
                 "t.csv:1:4: unknown type 'apps' (known: bootloader, partition_table, app, data; or a number)");
    ck_csv_fails("x, data, spifs, , 1M\n", FW_ERR_SYNTAX,
                 "t.csv:1:10: unknown subtype 'spifs' for type data (known: ota, phy, nvs, coredump, "
                 "nvs_keys, efuse, undefined, esphttpd, fat, spiffs, littlefs, tee_ota; or a number)");
    ck_csv_fails("x, app, ota_16, , 1M\n", FW_ERR_SYNTAX,
                 "t.csv:1:9: unknown subtype 'ota_16' for type app (known: factory, test, ota_0, "
                 "ota_1, ota_2, ota_3, ota_4, ota_5, ota_6, ota_7, ota_8, ota_9, ota_10, ota_11, "
                 "ota_12, ota_13, ota_14, ota_15, tee_0, tee_1; or a number)");
    ck_csv_fails("x, bootloader, factory, , 1M\n", FW_ERR_SYNTAX,
                 "t.csv:1:16: unknown subtype 'factory' for type bootloader (known: primary, ota, "
                 "recovery; or a number)");
    ck_csv_fails("x, 0x40, nvs, , 4K\n", FW_ERR_SYNTAX,
                 "t.csv:1:10: subtype 'nvs' is not a number (type 0x40 has no named subtypes)");
    ck_csv_fails("x, , nvs, , 4K\n", FW_ERR_SYNTAX, "t.csv:1:3: the type can't be left empty");
    ck_csv_fails("x\n", FW_ERR_SYNTAX, "t.csv:1:2: the type can't be left empty");
    ck_csv_fails("x, app, , , 1M\n", FW_ERR_SYNTAX, "t.csv:1:8: an app partition can't have an empty subtype");
    ck_csv_fails("x, data, nvs, ,\n", FW_ERR_SYNTAX, "t.csv:1:16: the size can't be left empty");
    ck_csv_fails("x, data, nvs\n", FW_ERR_SYNTAX, "t.csv:1:13: the size can't be left empty");
}
END_TEST

START_TEST(flags)
{
    ck_csv_ok("a, data, spiffs, , 64K, encrypted\n"
              "b, data, spiffs, , 64K, readonly\n"
              "c, data, spiffs, , 64K, encrypted:readonly\n"
              "d, data, spiffs, , 64K, readonly:encrypted\n"
              "e, data, spiffs, , 64K, ::encrypted::\n"
              "f, data, spiffs, , 64K,\n"
              "g, data, nvs, , 0x1000, readonly\n");
    ck_assert_uint_eq(T.entries[0].flags, FW_PART_FLAG_ENCRYPTED);
    ck_assert_uint_eq(T.entries[1].flags, FW_PART_FLAG_READONLY);
    ck_assert_uint_eq(T.entries[2].flags, FW_PART_FLAG_ENCRYPTED | FW_PART_FLAG_READONLY);
    ck_assert_uint_eq(T.entries[3].flags, FW_PART_FLAG_ENCRYPTED | FW_PART_FLAG_READONLY);
    ck_assert_uint_eq(T.entries[4].flags, FW_PART_FLAG_ENCRYPTED);
    ck_assert_uint_eq(T.entries[5].flags, 0);
    ck_assert_uint_eq(T.entries[6].flags, FW_PART_FLAG_READONLY);
    ck_csv_fails("a, data, spiffs, , 64K, encrypted:read-only\n", FW_ERR_SYNTAX,
                 "t.csv:1:35: unknown flag 'read-only' (flags: encrypted, readonly, joined by ':')");
    /* Flags are case-sensitive and the pieces between colons are not stripped. */
    ck_csv_fails("a, data, spiffs, , 64K, Encrypted\n", FW_ERR_SYNTAX,
                 "t.csv:1:25: unknown flag 'Encrypted' (flags: encrypted, readonly, joined by ':')");
    ck_csv_fails("a, data, spiffs, , 64K, encrypted: readonly\n", FW_ERR_SYNTAX,
                 "t.csv:1:35: unknown flag ' readonly' (flags: encrypted, readonly, joined by ':')");
}
END_TEST

/* ---- lines, text, labels ---- */

START_TEST(comments_blank_lines_and_line_ends)
{
    /* BOM, CRLF, CR, a vertical tab and U+2028 all end lines; comments may be indented;
     * fields past the sixth are ignored; a name may hold spaces; names of any case. */
    static const char text[] = "\xEF\xBB\xBF# comment\r\n\r\n   # indented\r\n\tnvs ,\tDATA ,\tNVS , , 0x6000 ,\r"
                               "phy init, Data, Phy,,0x1000,,\v"
                               "  \t \xE2\x80\xA8"
                               "Factory App, APP, FACTORY, , 1M, , ignored, columns\n# end";
    ck_assert_int_eq(fw_ptable_parse_csv("t.csv", text, sizeof text - 1, NULL, &T, &E), 0);
    ck_assert_uint_eq(T.count, 3);
    ck_entry(0, "nvs", 1, 2, 0x9000, 0x6000, 0);
    ck_entry(1, "phy init", 1, 1, 0xF000, 0x1000, 0);
    ck_entry(2, "Factory App", 0, 0, 0x10000, 0x100000, 0);
    ck_assert_uint_eq(T.entries[0].line, 4);
    ck_assert_uint_eq(T.entries[0].column[FW_CSV_NAME], 2);
    ck_assert_uint_eq(T.entries[0].column[FW_CSV_TYPE], 8);
    ck_assert_uint_eq(T.entries[1].line, 5);
    ck_assert_uint_eq(T.entries[2].line, 7);
    /* Nothing but comments: an empty table. */
    ck_csv_ok("# nothing\n\n   \n");
    ck_assert_uint_eq(T.count, 0);
    ck_csv_ok("");
    ck_assert_uint_eq(T.count, 0);
}
END_TEST

START_TEST(columns_count_characters)
{
    /* "é" is two bytes and one column. */
    ck_csv_fails("é, data, nope, , 4K\n", FW_ERR_SYNTAX,
                 "t.csv:1:10: unknown subtype 'nope' for type data (known: ota, phy, nvs, coredump, "
                 "nvs_keys, efuse, undefined, esphttpd, fat, spiffs, littlefs, tee_ota; or a number)");
}
END_TEST

START_TEST(labels)
{
    ck_csv_ok("sixteen_bytes_ok, data, nvs, , 0x6000\ndonnées_7890123, data, fat, , 4K\n, data, fat, , 4K\n");
    ck_assert_str_eq(T.entries[0].label, "sixteen_bytes_ok");
    ck_assert_str_eq(T.entries[1].label, "données_7890123"); /* 16 bytes, 15 characters */
    ck_assert_str_eq(T.entries[2].label, "");
    ck_assert_ptr_eq(fw_ptable_find(&T, "sixteen_bytes_ok"), &T.entries[0]);
    ck_assert_ptr_null(fw_ptable_find(&T, "nope"));
    ck_csv_fails("nvs, data, nvs, , 0x6000\n  seventeen_bytes_x, data, fat, , 4K\n", FW_ERR_LABEL,
                 "t.csv:2:3: label 'seventeen_bytes_x' is 17 bytes long; a partition label holds at most 16");
    ck_csv_fails("donnéesdonnéesx, data, fat, , 4K\n", FW_ERR_LABEL,
                 "t.csv:1:1: label 'donnéesdonnéesx' is 17 bytes long; a partition label holds at most 16");
}
END_TEST

START_TEST(text_that_is_not_utf8)
{
    ck_csv_fails("nvs, data, nvs, , 0x6000 # caf\xE9\n", FW_ERR_SYNTAX, "t.csv:1:31: not valid UTF-8 (byte 0xe9)");
    ck_csv_fails("nvs, data, nvs, , 0x6000\n\xC0\x80, data, fat, , 4K\n", FW_ERR_SYNTAX,
                 "t.csv:2:1: not valid UTF-8 (byte 0xc0)"); /* an overlong NUL */
    ck_csv_fails("a\xED\xA0\x80, data, fat, , 4K\n", FW_ERR_SYNTAX, "t.csv:1:2: not valid UTF-8 (byte 0xed)");
    ck_csv_fails("\xFF\xFEn\0v\0s\0", FW_ERR_SYNTAX, "t.csv:1:1: a UTF-16 or UTF-32 file (byte-order mark): save it as UTF-8");
    static const char nul[] = "nvs, data, nvs, , 0x6000\nab\0c, data, fat, , 4K\n";
    ck_assert_int_eq(fw_ptable_parse_csv("t.csv", nul, sizeof nul - 1, NULL, &T, &E), FW_ERR_SYNTAX);
    ck_assert_str_eq(E.msg, "t.csv:2:3: a NUL character");
}
END_TEST

START_TEST(environment_variables)
{
    setenv("MMSIM_FW_TEST_SIZE", "0x6000", 1);
    setenv("MMSIM_FW_TEST_LINE", "storage, data, spiffs, , 64K", 1);
    unsetenv("MMSIM_FW_TEST_UNSET");
    ck_csv_ok("nvs, data, nvs, , $MMSIM_FW_TEST_SIZE\n${MMSIM_FW_TEST_LINE}\n");
    ck_entry(0, "nvs", 1, 2, 0x9000, 0x6000, 0);
    ck_entry(1, "storage", 1, 0x82, 0xF000, 0x10000, 0);
    /* An unset variable stays as written: refused at the start of a line, else a bad field. */
    ck_csv_fails("$MMSIM_FW_TEST_UNSET, data, nvs, , 0x6000\n", FW_ERR_SYNTAX,
                 "t.csv:1:1: unknown variable 'MMSIM_FW_TEST_UNSET'");
    ck_csv_fails("nvs, data, nvs, , ${MMSIM_FW_TEST_UNSET}\n", FW_ERR_SYNTAX,
                 "t.csv:1:19: bad size '${MMSIM_FW_TEST_UNSET}' (a number: decimal, 0x hex, 0o octal "
                 "or 0b binary, with an optional K or M suffix)");
    /* '$' alone, "${", and '$' before a non-word character are plain text. */
    ck_csv_ok("a$, data, fat, , 4K\nb${, data, fat, , 4K\n$-c, data, fat, , 4K\n");
    ck_assert_str_eq(T.entries[0].label, "a$");
    ck_assert_str_eq(T.entries[1].label, "b${");
    ck_assert_str_eq(T.entries[2].label, "$-c");
    fw_ptable_opts_t o;
    fw_ptable_opts_default(&o);
    o.expand_env = false;
    setenv("MMFW_SZ", "0x6000", 1);
    ck_assert_int_eq(csv_o("$MMFW_SZ, data, fat, , 4K\n", &o), 0);
    ck_assert_str_eq(T.entries[0].label, "$MMFW_SZ");
    unsetenv("MMFW_SZ");
    unsetenv("MMSIM_FW_TEST_SIZE");
    unsetenv("MMSIM_FW_TEST_LINE");
}
END_TEST

START_TEST(bootloader_and_table_entries)
{
    fw_ptable_opts_t o;
    fw_ptable_opts_default(&o);
    o.primary_bootloader_offset = 0x1000;
    o.recovery_bootloader_offset = 0x200000;
    ck_assert_int_eq(csv_o("boot, bootloader, primary, N/A, N/A\n"
                           "table, partition_table, primary, x, y\n"
                           "nvs, data, nvs, , 0x6000\n"
                           "boot2, bootloader, ota, , \n"
                           "table2, partition_table, ota, , \n"
                           "rescue, bootloader, recovery, , \n", &o), 0);
    ck_entry(0, "boot", 2, 0, 0x1000, 0x7000, 0);
    ck_entry(1, "table", 3, 0, 0x8000, 0x1000, 0);
    ck_entry(2, "nvs", 1, 2, 0x9000, 0x6000, 0);
    ck_entry(3, "boot2", 2, 1, 0xF000, 0x7000, 0);
    ck_entry(4, "table2", 3, 1, 0x16000, 0x1000, 0);
    ck_entry(5, "rescue", 2, 2, 0x200000, 0x7000, 0);
    ck_csv_fails("boot, bootloader, primary, , \n", FW_ERR_RULE,
                 "t.csv:1:27: a bootloader partition needs the primary bootloader's offset "
                 "(gen_esp32part.py's --primary-bootloader-offset)");
    ck_csv_fails("boot, bootloader, ota, 0x20000, \n", FW_ERR_RULE,
                 "t.csv:1:32: a bootloader partition needs the primary bootloader's offset "
                 "(gen_esp32part.py's --primary-bootloader-offset)");
    o.recovery_bootloader_offset = FW_OFFSET_UNSET;
    ck_csv_fails_o("boot, bootloader, recovery, , \n", &o, FW_ERR_RULE,
                   "t.csv:1:28: a bootloader partition needs the recovery bootloader's offset "
                   "(gen_esp32part.py's --recovery-bootloader-offset)");
    o.primary_bootloader_offset = 0x8000;
    ck_csv_fails_o("nvs, data, nvs, , 0x6000\n", &o, FW_ERR_ARG,
                   "t.csv: the primary bootloader's offset 0x8000 must be below the partition table's 0x8000");
}
END_TEST

START_TEST(too_many_partitions)
{
    char *text = malloc(100 * 40);
    ck_assert_ptr_nonnull(text);
    size_t n = 0;
    for (int i = 0; i < 96; i++)
        n += (size_t)sprintf(text + n, "p%02d, data, 0x40, , 4K\n", i);
    fw_ptable_opts_t o;
    fw_ptable_opts_default(&o);
    size_t line = strlen("p00, data, 0x40, , 4K\n");
    ck_assert_int_eq(fw_ptable_parse_csv("t.csv", text, 94 * line, &o, &T, &E), 0);
    ck_assert_uint_eq(T.count, 94);
    ck_assert_int_eq(fw_ptable_parse_csv("t.csv", text, 95 * line, &o, &T, &E), FW_ERR_OVERSIZED);
    ck_assert_str_eq(E.msg, "t.csv:95:1: partition 95: a binary table holds at most 94 partitions and its MD5 record");
    o.md5 = false;
    ck_assert_int_eq(fw_ptable_parse_csv("t.csv", text, 95 * line, &o, &T, &E), 0);
    ck_assert_uint_eq(T.count, 95);
    ck_assert_int_eq(fw_ptable_parse_csv("t.csv", text, 96 * line, &o, &T, &E), FW_ERR_OVERSIZED);
    ck_assert_str_eq(E.msg, "t.csv:96:1: partition 96: a binary table holds at most 95 partitions");
    free(text);
}
END_TEST

/* ---- gen_esp32part.py's checks ---- */

START_TEST(overlaps)
{
    ck_csv_fails("nvs, data, nvs, 0x8000, 0x6000\n", FW_ERR_OVERLAP,
                 "t.csv:1:17: partition 'nvs': offset 0x8000 is inside the partition table's sector "
                 "at 0x8000: use 0x9000 or higher");
    ck_csv_fails("nvs, data, nvs, 0x9000, 0x6000\nphy, data, phy, 0xe000, 0x1000\n", FW_ERR_OVERLAP,
                 "t.csv:2:17: partition 'phy': offset 0xe000 overlaps the partitions before it, which end at 0xefff");
    /* Given offsets may not go back, even into a gap. */
    ck_csv_fails("a, data, fat, 0x20000, 4K\nb, data, fat, 0x10000, 4K\n", FW_ERR_OVERLAP,
                 "t.csv:2:15: partition 'b': offset 0x10000 overlaps the partitions before it, which end at 0x20fff");
    /* A duplicate of the first entry gets the first entry's message, as in the script. */
    ck_csv_fails("a, data, fat, 0x9000, 4K\na, data, fat, 0x9000, 4K\n", FW_ERR_OVERLAP,
                 "t.csv:2:15: partition 'a': offset 0x9000 is inside the partition table's sector "
                 "at 0x8000: use 0x9000 or higher");
    /* Zero-sized partitions share an offset without overlapping. */
    ck_csv_ok("a, data, fat, 0x9000, 0\nb, data, fat, 0x9000, 4K\n");
}
END_TEST

START_TEST(alignment)
{
    ck_csv_fails("nvs, data, nvs, 0x9100, 0x6000\n", FW_ERR_ALIGN,
                 "t.csv:1:17: partition 'nvs': offset 0x9100 is not aligned to 0x1000 (partitions "
                 "other than apps start on a 4 KB boundary)");
    ck_csv_fails("factory, app, factory, 0x18000, 1M\n", FW_ERR_ALIGN,
                 "t.csv:1:24: partition 'factory': offset 0x18000 is not aligned to 0x10000 (app "
                 "partitions start on a 64 KB boundary)");
    ck_csv_fails("factory, app, factory, , 0x100800\n", FW_ERR_ALIGN,
                 "t.csv:1:26: partition 'factory': size 0x100800 of an app partition is not a multiple of 0x1000");
    /* Data sizes need no alignment. */
    ck_csv_ok("odd, data, fat, , 0x1801\n");
    fw_ptable_opts_t o;
    fw_ptable_opts_default(&o);
    o.secure = FW_SECURE_V1;
    ck_csv_fails_o("factory, app, factory, , 0x101000\n", &o, FW_ERR_ALIGN,
                   "t.csv:1:26: partition 'factory': size 0x101000 of an app partition is not a multiple of 0x10000");
    o.secure = FW_SECURE_V2;
    ck_assert_int_eq(csv_o("factory, app, factory, , 0x101000\n", &o), 0);
    o.verify = false;
    ck_assert_int_eq(csv_o("factory, app, factory, 0x18000, 0x100800\n", &o), 0);
}
END_TEST

START_TEST(data_rules)
{
    ck_csv_fails("nvs, data, nvs, , 0x2000\n", FW_ERR_RULE,
                 "t.csv:1:19: partition 'nvs' (data, nvs) of 0x2000 bytes must be flagged readonly: "
                 "a read/write NVS partition needs at least 0x3000 bytes");
    ck_csv_ok("nvs, data, nvs, , 0x3000\n");
    ck_csv_fails("otadata, data, ota, , 0x2000, readonly\n", FW_ERR_RULE,
                 "t.csv:1:31: partition 'otadata' (data, ota) is always read/write: it cannot be readonly");
    ck_csv_fails("cd, data, coredump, , 64K, readonly\n", FW_ERR_RULE,
                 "t.csv:1:28: partition 'cd' (data, coredump) is always read/write: it cannot be readonly");
    ck_csv_fails("otadata, data, ota, , 0x2000\nota2, data, ota, , 0x2000\n", FW_ERR_RULE,
                 "t.csv:2:13: partition 'ota2' is a second otadata (data, ota) partition (the first is "
                 "at line 1): a table has at most one");
    ck_csv_fails("otadata, data, ota, , 0x3000\n", FW_ERR_RULE,
                 "t.csv:1:23: otadata (data, ota) partition 'otadata' is 0x3000 bytes; it must be 0x2000");
    ck_csv_fails("t1, data, tee_ota, , 0x2000\nt2, data, tee_ota, , 0x2000\n", FW_ERR_RULE,
                 "t.csv:2:11: partition 't2' is a second TEE otadata (data, tee_ota) partition (the "
                 "first is at line 1): a table has at most one");
    ck_csv_fails("t1, data, tee_ota, , 0x1000\n", FW_ERR_RULE,
                 "t.csv:1:22: TEE otadata (data, tee_ota) partition 't1' is 0x1000 bytes; it must be 0x2000");
    ck_csv_fails("nvs, data, nvs, , 0x6000\nnvs, data, fat, , 4K\n", FW_ERR_LABEL,
                 "t.csv:2:1: partition name 'nvs' is used twice (also at line 1): names must be unique");
}
END_TEST

START_TEST(flash_size)
{
    fw_ptable_opts_t o;
    fw_ptable_opts_default(&o);
    o.flash_size = 1u << 20;
    ck_csv_fails_o("nvs, data, nvs, , 0x6000\nfactory, app, factory, , 1M\n", &o, FW_ERR_RANGE,
                   "t.csv:2:26: partition 'factory' (offset 0x10000, size 0x100000) ends past the end "
                   "of the flash (0x100000 bytes)");
    ck_csv_fails_o("far, data, fat, 0x100000, 4K\n", &o, FW_ERR_RANGE,
                   "t.csv:1:17: partition 'far' (offset 0x100000, size 0x1000) ends past the end of the "
                   "flash (0x100000 bytes)");
    o.verify = false; /* the bootloader's check stays */
    ck_assert_int_eq(csv_o("far, data, fat, 0x100000, 4K\n", &o), FW_ERR_RANGE);
    o.flash_size = 2u << 20;
    ck_assert_int_eq(csv_o("nvs, data, nvs, , 0x6000\nfactory, app, factory, , 1M\n", &o), 0);
}
END_TEST

START_TEST(arguments_and_errors)
{
    ck_assert_int_eq(fw_ptable_parse_csv(NULL, "nvs, data, nvs, , 1\n", 20, NULL, &T, &E), FW_ERR_RULE);
    ck_assert_ptr_nonnull(strstr(E.msg, "partitions.csv:1:"));
    ck_assert_int_eq(fw_ptable_parse_csv("t.csv", NULL, 5, NULL, &T, &E), FW_ERR_ARG);
    ck_assert_int_eq(fw_ptable_parse_csv("t.csv", "", 0, NULL, NULL, &E), FW_ERR_ARG);
    ck_assert_int_eq(fw_ptable_parse_csv("t.csv", "x,,\n", 4, NULL, &T, NULL), FW_ERR_SYNTAX);
    ck_assert_int_eq(fw_ptable_verify("t", NULL, NULL, &E), FW_ERR_ARG);
    for (int c = 0; c >= FW_ERR_LAST; c--)
        ck_assert_str_ne(fw_strerror(c), "unknown error");
    ck_assert_str_eq(fw_strerror(-99), "unknown error");
    ck_assert_str_eq(fw_strerror(FW_ERR_MD5), "bad MD5 record");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fw_partition");
    TCase *tc = tcase_create("csv");
    tcase_add_test(tc, default_singleapp);
    tcase_add_test(tc, blank_offsets_placed_like_gen_esp32part);
    tcase_add_test(tc, table_offset_option_moves_first_partition);
    tcase_add_test(tc, negative_size_is_the_end_address);
    tcase_add_test(tc, placement_past_4g_refused);
    tcase_add_loop_test(tc, sizes_as_python_int_with_k_m, 0, sizeof good_sizes / sizeof good_sizes[0]);
    tcase_add_loop_test(tc, bad_sizes_refused_at_their_column, 0, sizeof bad_sizes / sizeof bad_sizes[0]);
    tcase_add_test(tc, numbers_out_of_range);
    tcase_add_loop_test(tc, every_named_type_and_subtype, 0, sizeof names / sizeof names[0]);
    tcase_add_test(tc, names_of_unnamed_values);
    tcase_add_test(tc, blank_subtype_and_keyword_quirks);
    tcase_add_test(tc, unknown_names_refused);
    tcase_add_test(tc, flags);
    tcase_add_test(tc, comments_blank_lines_and_line_ends);
    tcase_add_test(tc, columns_count_characters);
    tcase_add_test(tc, labels);
    tcase_add_test(tc, text_that_is_not_utf8);
    tcase_add_test(tc, environment_variables);
    tcase_add_test(tc, bootloader_and_table_entries);
    tcase_add_test(tc, too_many_partitions);
    tcase_add_test(tc, overlaps);
    tcase_add_test(tc, alignment);
    tcase_add_test(tc, data_rules);
    tcase_add_test(tc, flash_size);
    tcase_add_test(tc, arguments_and_errors);
    suite_add_tcase(s, tc);
    return mmsim_check_run(s);
}
