/* test_fw_flash_args.c - the strict JSON reader (firmware/fw_json.c) and the build files
 * read with it or line by line (fw_flash_args.c): flasher_args.json as ESP-IDF's template
 * writes it, flash_args, the checks of the files they name, sdkconfig, sdkconfig.json and
 * project_description.json, with every error's file:line:column. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_main.h"
#include "fw_flash_args.h"
#include "fw_json.h"

static fw_error_t E;
static fw_flash_args_t A;

static int json(const char *text, fw_json_doc_t **d)
{
    memset(&E, 0, sizeof E);
    return fw_json_parse("t.json", text, strlen(text), d, &E);
}

#define ck_json_error(text, want)                                                                  \
    do {                                                                                           \
        fw_json_doc_t *d_ = (fw_json_doc_t *)1;                                                    \
        ck_assert_int_eq(json(text, &d_), FW_ERR_SYNTAX);                                          \
        ck_assert_ptr_null(d_);                                                                    \
        ck_assert_str_eq(E.msg, want);                                                             \
    } while (0)

START_TEST(json_values)
{
    fw_json_doc_t *d;
    ck_assert_int_eq(json(" {\"a\": [1, -2.5e3, true, false, null], \"b\": {\"c\": \"x\\u00e9\\ud83d\\ude00\\n\"},\n"
                          "  \"\\u0000k\": \"\"} ", &d), 0);
    const fw_json_t *r = fw_json_root(d);
    ck_assert_int_eq(r->type, FW_JSON_OBJECT);
    ck_assert_uint_eq(r->count, 3);
    const fw_json_t *a = fw_json_get(r, "a");
    ck_assert_uint_eq(a->count, 5);
    ck_assert_str_eq(a->child->str, "1");
    ck_assert_str_eq(a->child->next->str, "-2.5e3");
    ck_assert_int_eq(a->child->next->next->type, FW_JSON_TRUE);
    ck_assert_int_eq(a->child->next->next->next->next->type, FW_JSON_NULL);
    const fw_json_t *c = fw_json_get(fw_json_get(r, "b"), "c");
    ck_assert_str_eq(c->str, "x\xc3\xa9\xf0\x9f\x98\x80\n");
    ck_assert_uint_eq(c->line, 1);
    ck_assert_uint_eq(c->column, 51);
    const fw_json_t *k = r->child->next->next;
    ck_assert_uint_eq(k->key_len, 2); /* a NUL inside a key is kept */
    ck_assert_uint_eq(k->key_line, 2);
    ck_assert_uint_eq(k->key_column, 3);
    ck_assert_ptr_null(fw_json_get(a, "x"));
    fw_json_free(d);
    ck_assert_int_eq(json("\"\xc3\xa9\" ", &d), 0);
    fw_json_free(d);
}
END_TEST

START_TEST(json_errors)
{
    ck_json_error("", "t.json:1:1: no JSON value: the file is empty");
    ck_json_error(" \n ", "t.json:2:2: no JSON value: the file is blank");
    ck_json_error("\xEF\xBB\xBF{}", "t.json:1:1: a UTF-8 byte-order mark: JSON text starts without one");
    ck_json_error("{\"a\": 1,}", "t.json:1:9: expected a key in double quotes, found '}' (a trailing comma?)");
    ck_json_error("[1, 2,]", "t.json:1:7: expected a value, found ']' (a trailing comma?)");
    ck_json_error("{\"a\" 1}", "t.json:1:6: expected ':' after the key \"a\", found '1'");
    ck_json_error("{\"a\": 1 \"b\": 2}", "t.json:1:9: expected ',' or '}' after an object member, found '\"'");
    ck_json_error("{\"a\":\n  [1, 2", "t.json:2:8: the file ends inside an array (opened at 2:3)");
    ck_json_error("\"abc", "t.json:1:1: a string is not closed: the file ends before its closing '\"'");
    ck_json_error("\"a\tb\"", "t.json:1:3: a control character (byte 0x09) inside a string: write it as an escape such as \\n or \\u0009");
    ck_json_error("\"\\ud800x\"", "t.json:1:2: a high surrogate \\ud800 not followed by a low one (not a character)");
    ck_json_error("\"\\udc00\"", "t.json:1:2: a lone low surrogate \\udc00 (not a character)");
    ck_json_error("\"\\u12g4\"", "t.json:1:6: a \\u escape needs four hex digits, found 'g'");
    ck_json_error("\"\xff\"", "t.json:1:2: byte 0xff is not UTF-8 text (JSON files are UTF-8)");
    ck_json_error("012", "t.json:1:2: a number does not start with 0 followed by digits (JSON has no octal; write it without the leading zero, or as a string)");
    ck_json_error("1.", "t.json:1:3: a digit must follow the decimal point, found the end of the file");
    ck_json_error("-", "t.json:1:2: a number needs a digit here, found the end of the file");
    ck_json_error("1e+", "t.json:1:4: a digit must follow the exponent, found the end of the file");
    ck_json_error("NaN", "t.json:1:1: expected a value (object, array, string, number, true, false or null), found 'N'");
    ck_json_error("{'a': 1}", "t.json:1:2: expected a key in double quotes, found '''");
    ck_json_error("['a']", "t.json:1:2: strings are in double quotes in JSON, not single");
    ck_json_error("// x\n{}", "t.json:1:1: JSON has no comments");
    ck_json_error("{} {}", "t.json:1:4: text after the JSON value: '{' (one value per file)");
    ck_json_error("{\"a\": 1,\n \"b\": 2,\n \"a\": 3}", "t.json:3:2: key \"a\" appears twice in one object (first at 1:2)");
    ck_json_error("\"\xc3\xa9\" x", "t.json:1:5: text after the JSON value: 'x' (one value per file)");
    char deep[600];
    memset(deep, '[', 300);
    deep[300] = '\0';
    ck_json_error(deep, "t.json:1:257: more than 256 levels of nesting");
    fw_json_doc_t *d;
    ck_assert_int_eq(fw_json_parse("t", NULL, 3, &d, &E), FW_ERR_ARG);
}
END_TEST

/* flasher_args.json as components/esptool_py/flasher_args.json.in expands. */
static const char FLASHER_ARGS[] =
    "{\n"
    "    \"write_flash_args\" : [ \"--flash-mode\", \"dio\",\n"
    "                           \"--flash-size\", \"4MB\",\n"
    "                           \"--flash-freq\", \"80m\" ],\n"
    "    \"flash_settings\" : {\n"
    "        \"flash_mode\": \"dio\",\n"
    "        \"flash_size\": \"4MB\",\n"
    "        \"flash_freq\": \"80m\"\n"
    "    },\n"
    "    \"flash_files\" : {\n"
    "        \"0x0\" : \"bootloader/bootloader.bin\",\n"
    "        \"0x10000\" : \"hello_world.bin\",\n"
    "        \"0x8000\" : \"partition_table/partition-table.bin\",\n"
    "        \"0xd000\" : \"ota_data_initial.bin\"\n"
    "    },\n"
    "    \"bootloader\" : { \"offset\" : \"0x0\", \"file\" : \"bootloader/bootloader.bin\", \"encrypted\" : \"false\" },\n"
    "    \"app\" : { \"offset\" : \"0x10000\", \"file\" : \"hello_world.bin\", \"encrypted\" : \"false\" },\n"
    "    \"partition-table\" : { \"offset\" : \"0x8000\", \"file\" : \"partition_table/partition-table.bin\", \"encrypted\" : \"false\" },\n"
    "    \"otadata\" : { \"offset\" : \"0xd000\", \"file\" : \"ota_data_initial.bin\", \"encrypted\" : \"true\" },\n"
    "    \"extra_esptool_args\" : {\n"
    "        \"after\"  : \"hard-reset\",\n"
    "        \"before\" : \"default-reset\",\n"
    "        \"stub\"   : true,\n"
    "        \"chip\"   : \"esp32s3\"\n"
    "    }\n"
    "}\n";

START_TEST(flasher_args_json)
{
    ck_assert_msg(fw_flash_args_parse_json(NULL, FLASHER_ARGS, strlen(FLASHER_ARGS), &A, &E) == 0,
                  "%s", E.msg);
    ck_assert_str_eq(A.flash_mode, "dio");
    ck_assert_str_eq(A.flash_size, "4MB");
    ck_assert_str_eq(A.flash_freq, "80m");
    ck_assert_str_eq(A.chip, "esp32s3");
    ck_assert_str_eq(A.after, "hard-reset");
    ck_assert_int_eq(A.stub, 1);
    ck_assert_uint_eq(A.count, 4);
    ck_assert_uint_eq(A.images[0].offset, 0);
    ck_assert_str_eq(A.images[0].name, "bootloader");
    ck_assert_uint_eq(A.images[1].offset, 0x8000);
    ck_assert_str_eq(A.images[1].file, "partition_table/partition-table.bin");
    ck_assert_uint_eq(A.images[1].line, 13);
    ck_assert_uint_eq(A.images[1].column, 9);
    ck_assert_str_eq(fw_flash_args_find(&A, "app")->file, "hello_world.bin");
    ck_assert(fw_flash_args_find(&A, "otadata")->encrypted);
    ck_assert_ptr_null(fw_flash_args_find(&A, "storage"));
    ck_assert_uint_eq(fw_flash_size_bytes("4MB"), 4u << 20);
    ck_assert_uint_eq(fw_flash_size_bytes("256KB"), 256u << 10);
    ck_assert_uint_eq(fw_flash_size_bytes("detect"), 0);

    const char *bad = "{\"flash_files\": {\"0x1000\": 7}}";
    ck_assert_int_eq(fw_flash_args_parse_json("f.json", bad, strlen(bad), &A, &E), FW_ERR_SHAPE);
    ck_assert_str_eq(E.msg, "f.json:1:28: \"flash_files\": the file at \"0x1000\" must be a string, not a number");
    ck_assert_uint_eq(A.count, 0);
    bad = "{\"flash_files\": {\"0x100000000\": \"x.bin\"}}";
    ck_assert_int_eq(fw_flash_args_parse_json("f.json", bad, strlen(bad), &A, &E), FW_ERR_RANGE);
    ck_assert_str_eq(E.msg, "f.json:1:18: offset 0x100000000 is beyond 32 bits: no flash is that large");
    bad = "{\"flash_files\": {\"0x1000\": \"x.bin\"}, \"app\": {\"file\": \"x.bin\"}}";
    ck_assert_int_eq(fw_flash_args_parse_json("f.json", bad, strlen(bad), &A, &E), FW_ERR_SHAPE);
    ck_assert_str_eq(E.msg, "f.json:1:45: image 'app' has no \"offset\" (an image entry is {\"offset\": ..., \"file\": ..., \"encrypted\": ...})");
    bad = "{\"flash_files\": {\"0x1000\": \"x.bin\"}, \"app\": {\"offset\": \"0x2000\", \"file\": \"x.bin\"}}";
    ck_assert_int_eq(fw_flash_args_parse_json("f.json", bad, strlen(bad), &A, &E), FW_ERR_SHAPE);
    ck_assert_str_eq(E.msg, "f.json:1:56: image 'app' at 0x2000 is not in \"flash_files\"");
    bad = "{\"flash_files\": {\"0x1000\": \"x.bin\"}, \"extra_esptool_args\": {\"stub\": \"yes\"}}";
    ck_assert_int_eq(fw_flash_args_parse_json("f.json", bad, strlen(bad), &A, &E), FW_ERR_SHAPE);
    ck_assert_str_eq(E.msg, "f.json:1:69: extra_esptool_args: \"stub\" must be true or false, not a string");
}
END_TEST

START_TEST(flash_args_text)
{
    const char *t = "--flash-mode dio --flash_freq=80m --flash-size 2MB\r\n"
                    "0x1000 bootloader/bootloader.bin\n"
                    "0x10000 my app.bin\n"
                    "\n"
                    "0x8000 partition_table/partition-table.bin\n";
    ck_assert_msg(fw_flash_args_parse_text(NULL, t, strlen(t), &A, &E) == 0, "%s", E.msg);
    ck_assert_str_eq(A.flash_mode, "dio");
    ck_assert_str_eq(A.flash_freq, "80m");
    ck_assert_str_eq(A.flash_size, "2MB");
    ck_assert_uint_eq(A.count, 3);
    ck_assert_uint_eq(A.images[1].offset, 0x8000);
    ck_assert_uint_eq(A.images[1].line, 5);
    ck_assert_str_eq(A.images[2].file, "my app.bin");
    ck_assert_int_eq(A.stub, -1);
    t = "--flash-mode\n0x1000 b.bin\n";
    ck_assert_int_eq(fw_flash_args_parse_text("flash_args", t, strlen(t), &A, &E), FW_ERR_SYNTAX);
    ck_assert_str_eq(E.msg, "flash_args:1:1: option '--flash-mode' wants a value");
    t = "--flash-mode dio\n";
    ck_assert_int_eq(fw_flash_args_parse_text("flash_args", t, strlen(t), &A, &E), FW_ERR_SHAPE);
    ck_assert_str_eq(E.msg, "flash_args: no images: flash_args lists \"OFFSET FILE\" lines");
    t = "0x1000 b.bin\n  010 c.bin\n";
    ck_assert_int_eq(fw_flash_args_parse_text("flash_args", t, strlen(t), &A, &E), FW_ERR_SYNTAX);
    ck_assert_str_eq(E.msg, "flash_args:2:3: '010' is not an offset: a line is \"OFFSET FILE\", such as \"0x10000 app.bin\"");
}
END_TEST

static void put_file(const char *dir, const char *name, size_t size)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    ck_assert_ptr_nonnull(f);
    for (size_t i = 0; i < size; i++)
        fputc(0xFF, f);
    fclose(f);
}

START_TEST(check_the_files)
{
    char dir[] = "/tmp/mmsim-fw-args-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char sub[600];
    snprintf(sub, sizeof sub, "%s/bootloader", dir);
    mkdir(sub, 0700);
    snprintf(sub, sizeof sub, "%s/partition_table", dir);
    mkdir(sub, 0700);
    put_file(dir, "bootloader/bootloader.bin", 0x5000);
    put_file(dir, "partition_table/partition-table.bin", 0xC00);
    put_file(dir, "hello_world.bin", 0x30000);
    ck_assert_int_eq(fw_flash_args_parse_json("fa.json", FLASHER_ARGS, strlen(FLASHER_ARGS), &A, &E), 0);
    ck_assert_int_eq(fw_flash_args_check("fa.json", &A, dir, 0, &E), FW_ERR_IO);
    char want[700];
    snprintf(want, sizeof want, "fa.json:14:9: image 'otadata' at 0xd000: %s/ota_data_initial.bin: "
             "cannot open: No such file or directory", dir);
    ck_assert_str_eq(E.msg, want);
    put_file(dir, "ota_data_initial.bin", 0x2000);
    ck_assert_msg(fw_flash_args_check("fa.json", &A, dir, 0, &E) == 0, "%s", E.msg);
    ck_assert_uint_eq(A.images[3].size, 0x30000);
    /* A 1 MB flash is too small for nothing here; a 128 KB one is. */
    ck_assert_int_eq(fw_flash_args_check("fa.json", &A, dir, 1u << 20, &E), 0);
    ck_assert_int_eq(fw_flash_args_check("fa.json", &A, dir, 128u << 10, &E), FW_ERR_RANGE);
    ck_assert_str_eq(E.msg, "fa.json:12:9: hello_world.bin (0x30000 bytes at 0x10000) ends past the end of the flash (0x20000 bytes)");
    put_file(dir, "bootloader/bootloader.bin", 0x8001);
    ck_assert_int_eq(fw_flash_args_check("fa.json", &A, dir, 0, &E), FW_ERR_OVERLAP);
    ck_assert_str_eq(E.msg, "fa.json:13:9: partition_table/partition-table.bin at 0x8000 overlaps "
                            "bootloader/bootloader.bin (0x0-0x8000, line 11)");
    const char *names[] = {"bootloader/bootloader.bin", "partition_table/partition-table.bin",
                           "hello_world.bin", "ota_data_initial.bin"};
    for (int i = 0; i < 4; i++) {
        snprintf(sub, sizeof sub, "%s/%s", dir, names[i]);
        unlink(sub);
    }
    snprintf(sub, sizeof sub, "%s/bootloader", dir);
    rmdir(sub);
    snprintf(sub, sizeof sub, "%s/partition_table", dir);
    rmdir(sub);
    rmdir(dir);
}
END_TEST

START_TEST(sdkconfig_lines)
{
    const char *t = "#\n# Automatically generated file. DO NOT EDIT.\n#\n"
                    "CONFIG_IDF_TARGET=\"esp32s3\"\n"
                    "CONFIG_PARTITION_TABLE_OFFSET=0x8000\n"
                    "# CONFIG_SPIRAM is not set\n"
                    "CONFIG_ESPTOOLPY_FLASHSIZE_4MB=y\n"
                    "CONFIG_APP_NAME=\"say \\\"hi\\\" \\\\o/\"\n"
                    "CONFIG_LOG_LEVEL=-1\n"
                    "CONFIG_PARTITION_TABLE_OFFSET=0x9000\r\n";
    fw_kvlist_t l;
    ck_assert_msg(fw_sdkconfig_parse(NULL, t, strlen(t), &l, &E) == 0, "%s", E.msg);
    ck_assert_uint_eq(l.count, 7);
    ck_assert_str_eq(fw_kv_get(&l, "CONFIG_IDF_TARGET")->value, "esp32s3");
    ck_assert_str_eq(fw_kv_get(&l, "CONFIG_PARTITION_TABLE_OFFSET")->value, "0x9000"); /* last wins */
    ck_assert_uint_eq(fw_kv_get(&l, "CONFIG_PARTITION_TABLE_OFFSET")->line, 10);
    ck_assert(!fw_kv_get(&l, "CONFIG_SPIRAM")->set);
    ck_assert_str_eq(fw_kv_get(&l, "CONFIG_APP_NAME")->value, "say \"hi\" \\o/");
    ck_assert_ptr_null(fw_kv_get(&l, "CONFIG_NOPE"));
    fw_kvlist_free(&l);
    static const struct {
        const char *text, *msg;
    } bad[] = {
        {"CONFIG_X = y\n", "sdkconfig:1: 'CONFIG_X = y' is not a setting: after the name (letters, digits, '_') comes '='"},
        {"FOO=y\n", "sdkconfig:1: 'FOO=y' is not a setting: a line is CONFIG_NAME=value, '# CONFIG_NAME is not set' or a '#' comment"},
        {"\nCONFIG_X=\"abc\n", "sdkconfig:2: CONFIG_X: the string is not closed with '\"'"},
        {"CONFIG_X=\"a\"b\n", "sdkconfig:1: CONFIG_X: text after the closing '\"'"},
        {"CONFIG_X=a b\n", "sdkconfig:1: CONFIG_X: a value with spaces must be a \"quoted string\""},
        {"CONFIG_X=\n", "sdkconfig:1: CONFIG_X has no value (an empty string is written \"\")"},
        {"CONFIG_X=\x01\n", "sdkconfig:1: a control character (byte 0x01): an sdkconfig is text"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(fw_sdkconfig_parse(NULL, bad[i].text, strlen(bad[i].text), &l, &E), FW_ERR_SYNTAX);
        ck_assert_str_eq(E.msg, bad[i].msg);
        ck_assert_uint_eq(l.count, 0);
    }
    t = "{\"IDF_TARGET\": \"esp32c6\", \"SPIRAM\": false, \"FREERTOS_UNICORE\": true, \"PARTITION_TABLE_OFFSET\": 32768}";
    ck_assert_int_eq(fw_sdkconfig_parse_json(NULL, t, strlen(t), &l, &E), 0);
    ck_assert_str_eq(fw_kv_get(&l, "CONFIG_IDF_TARGET")->value, "esp32c6");
    ck_assert(!fw_kv_get(&l, "CONFIG_SPIRAM")->set);
    ck_assert_str_eq(fw_kv_get(&l, "CONFIG_FREERTOS_UNICORE")->value, "y");
    ck_assert_str_eq(fw_kv_get(&l, "CONFIG_PARTITION_TABLE_OFFSET")->value, "32768");
    fw_kvlist_free(&l);
    t = "{\"X\": [1]}";
    ck_assert_int_eq(fw_sdkconfig_parse_json(NULL, t, strlen(t), &l, &E), FW_ERR_SHAPE);
    ck_assert_str_eq(E.msg, "sdkconfig.json:1:7: option \"X\" is an array: a value is a string, a number, true or false");
    t = "\"y\"";
    ck_assert_int_eq(fw_sdkconfig_parse_json(NULL, t, strlen(t), &l, &E), FW_ERR_SHAPE);
    ck_assert_str_eq(E.msg, "sdkconfig.json:1:1: the file holds a string: sdkconfig.json is an object of NAME: value");
}
END_TEST

START_TEST(project_description)
{
    const char *t = "{\n  \"version\": \"1.3\",\n  \"project_name\": \"blink\",\n"
                    "  \"target\": \"esp32s2\",\n  \"git_revision\": \"v5.3.1\",\n"
                    "  \"build_dir\": \"/p/build\",\n  \"app_elf\": \"blink.elf\",\n"
                    "  \"app_bin\": \"blink.bin\",\n  \"monitor_baud\": 115200,\n"
                    "  \"build_components\": [\"a\", \"b\"],\n  \"debug\": false\n}\n";
    fw_project_desc_t d;
    ck_assert_msg(fw_project_desc_parse(NULL, t, strlen(t), &d, &E) == 0, "%s", E.msg);
    ck_assert_str_eq(d.target, "esp32s2");
    ck_assert_str_eq(d.idf_ver, "v5.3.1");
    ck_assert_str_eq(d.app_bin, "blink.bin");
    ck_assert_str_eq(d.build_dir, "/p/build");
    ck_assert_str_eq(fw_kv_get(&d.all, "monitor_baud")->value, "115200");
    ck_assert_str_eq(fw_kv_get(&d.all, "debug")->value, "false");
    ck_assert_ptr_null(fw_kv_get(&d.all, "build_components"));
    fw_project_desc_free(&d);
    t = "{\"target\": 3}";
    ck_assert_int_eq(fw_project_desc_parse("pd.json", t, strlen(t), &d, &E), FW_ERR_SHAPE);
    ck_assert_str_eq(E.msg, "pd.json:1:12: \"target\" must be a string, not a number");
    t = "[]";
    ck_assert_int_eq(fw_project_desc_parse("pd.json", t, strlen(t), &d, &E), FW_ERR_SHAPE);
    ck_assert_str_eq(E.msg, "pd.json:1:1: the file holds an array: project_description.json is an object");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fw_flash_args");
    TCase *tc = tcase_create("flash_args");
    tcase_add_test(tc, json_values);
    tcase_add_test(tc, json_errors);
    tcase_add_test(tc, flasher_args_json);
    tcase_add_test(tc, flash_args_text);
    tcase_add_test(tc, check_the_files);
    tcase_add_test(tc, sdkconfig_lines);
    tcase_add_test(tc, project_description);
    suite_add_tcase(s, tc);
    return mmsim_check_run(s);
}
