/* test_ydoc.c - the position-keeping YAML tree, the strict number and size
 * parsers, and the limits that keep hostile input bounded. */
#include <check.h>

#include "check_main.h"
#include <stdlib.h>
#include <string.h>

#include "ydoc.h"

static const char *parse_err(const char *text)
{
    static ydoc_err_t err;
    ydoc_t d;
    if (ydoc_parse("x.yaml", text, strlen(text), &d, &err) == 0) {
        ydoc_free(&d);
        return NULL;
    }
    return err.msg;
}

START_TEST(positions_are_one_based)
{
    ydoc_t d;
    ydoc_err_t err;
    const char *t = "a: 1\nb:\n  - x\n  - {c: y}\n";
    ck_assert_int_eq(ydoc_parse("x.yaml", t, strlen(t), &d, &err), 0);
    const ydoc_node_t *b = ydoc_get(d.root, "b");
    ck_assert_uint_eq(b->line, 3);
    ck_assert_uint_eq(b->col, 3);
    const ydoc_node_t *c = ydoc_get(ydoc_item(b, 1), "c");
    ck_assert_str_eq(c->value, "y");
    ck_assert_uint_eq(c->line, 4);
    ck_assert_uint_eq(c->col, 9);
    ck_assert_ptr_null(ydoc_get(d.root, "zz"));
    ck_assert_ptr_null(ydoc_item(b, 2));
    ydoc_free(&d);
    ydoc_free(&d); /* twice is harmless */
}
END_TEST

START_TEST(quoted_scalars_are_marked)
{
    ydoc_t d;
    ydoc_err_t err;
    const char *t = "a: '1'\nb: 1\n";
    ck_assert_int_eq(ydoc_parse("x.yaml", t, strlen(t), &d, &err), 0);
    ck_assert(ydoc_get(d.root, "a")->quoted);
    ck_assert(!ydoc_get(d.root, "b")->quoted);
    ydoc_free(&d);
}
END_TEST

START_TEST(duplicate_keys_rejected)
{
    ck_assert_str_eq(parse_err("a: 1\nb: 2\na: 3\n"), "x.yaml:3:1: duplicate key 'a' (first at line 1, column 1)");
}
END_TEST

START_TEST(aliases_rejected)
{
    ck_assert_str_eq(parse_err("a: &x 1\nb: *x\n"), "x.yaml:2:4: YAML aliases are not supported");
}
END_TEST

START_TEST(deep_nesting_bounded)
{
    char buf[4096];
    size_t n = 0;
    for (int i = 0; i < 200; i++)
        buf[n++] = '[';
    for (int i = 0; i < 200; i++)
        buf[n++] = ']';
    buf[n] = '\0';
    const char *e = parse_err(buf);
    ck_assert_ptr_nonnull(e);
    ck_assert_ptr_nonnull(strstr(e, "nesting deeper than 64 levels"));
}
END_TEST

/* A document of millions of small nodes stops at the node limit, not at memory. */
START_TEST(node_count_bounded)
{
    size_t per = strlen("- [1, 2, 3, 4, 5, 6, 7, 8]\n"), rows = YDOC_MAX_NODES / 9 + 10;
    char *t = malloc(rows * per + 1);
    ck_assert_ptr_nonnull(t);
    for (size_t i = 0; i < rows; i++)
        memcpy(t + i * per, "- [1, 2, 3, 4, 5, 6, 7, 8]\n", per);
    t[rows * per] = '\0';
    const char *e = parse_err(t);
    free(t);
    ck_assert_ptr_nonnull(e);
    ck_assert_ptr_nonnull(strstr(e, "document too large (more than 2000000 nodes)"));
}
END_TEST

START_TEST(nul_byte_and_second_document)
{
    ydoc_t d;
    ydoc_err_t err;
    ck_assert_int_eq(ydoc_parse("x.yaml", "a: 1\nb\0", 7, &d, &err), -1);
    ck_assert_str_eq(err.msg, "x.yaml:2:2: NUL byte in file (not a text file)");
    ck_assert_str_eq(parse_err("a: 1\n---\nb: 2\n"), "x.yaml:2:1: only one YAML document per file is allowed");
}
END_TEST

START_TEST(empty_document)
{
    ydoc_t d;
    ydoc_err_t err;
    ck_assert_int_eq(ydoc_parse("x.yaml", "", 0, &d, &err), 0);
    ck_assert_ptr_null(d.root);
    ydoc_free(&d);
    ck_assert_int_eq(ydoc_parse("x.yaml", "---\n", 4, &d, &err), 0);
    ck_assert_ptr_null(d.root);
    ydoc_free(&d);
}
END_TEST

/* Encoding errors come from libyaml's reader with only a byte offset: they must still
 * name the line and column of the offending character, not 1:1. */
START_TEST(encoding_errors_are_placed)
{
    ck_assert_str_eq(parse_err("a: 1\nb: caf\xe9\n"),
                     "x.yaml:2:7: not UTF-8 text: byte 0xE9 does not start a valid UTF-8 character; "
                     "save the file as UTF-8");
    /* columns count characters: the two-byte e-acute before the bad byte is one column */
    ck_assert_str_eq(parse_err("a: \xc3\xa9\xff\n"),
                     "x.yaml:1:5: not UTF-8 text: byte 0xFF does not start a valid UTF-8 character; "
                     "save the file as UTF-8");
    ck_assert_str_eq(parse_err("a: 1\nb: x\x1b\n"), "x.yaml:2:5: control character 0x1B is not allowed in YAML");
    ydoc_t d;
    ydoc_err_t err;
    ck_assert_int_eq(ydoc_parse("x.yaml", "\xff\xfe" "a\0:\0", 6, &d, &err), -1);
    ck_assert_str_eq(err.msg, "x.yaml: the file is UTF-16 text; save it as UTF-8");
    /* an error about the file as a whole is collected too (`chip check` prints it) */
    ydoc_errors_t all;
    ydoc_collect_begin(&all);
    ck_assert_int_eq(ydoc_parse("x.yaml", "\xfe\xff\xff\xffo", 5, &d, &err), -1);
    ydoc_collect_end();
    ck_assert_uint_eq(all.count, 1);
    ydoc_errors_free(&all);
}
END_TEST

/* An unclosed quote or bracket is noticed lines later; the error names where it opened. */
START_TEST(unclosed_constructs_named_where_they_open)
{
    ck_assert_str_eq(parse_err("a: \"open\nb: 1\nc: 2\n"),
                     "x.yaml:1:4: YAML syntax error while scanning a quoted scalar that starts here: "
                     "found unexpected end of stream at line 4, column 1");
    ck_assert_str_eq(parse_err("a: [1, 2\nb: 1\n"),
                     "x.yaml:1:4: YAML syntax error while parsing a flow sequence that starts here: "
                     "did not find expected ',' or ']' at line 2, column 2");
}
END_TEST

START_TEST(tabs_and_stray_colons_explained)
{
    ck_assert_str_eq(parse_err("a:\n\tb: 1\n"),
                     "x.yaml:2:1: YAML syntax error: tab character (YAML indents with spaces only)");
    ck_assert_str_eq(parse_err("a: b\n  c: 1\n"),
                     "x.yaml:2:4: YAML syntax error: mapping values are not allowed in this context "
                     "(check this line's indentation against the line above, or quote a value "
                     "containing ': ')");
}
END_TEST

START_TEST(u64_strict)
{
    uint64_t v;
    ck_assert(ydoc_parse_u64("0", &v) && v == 0);
    ck_assert(ydoc_parse_u64("0x1F", &v) && v == 31);
    ck_assert(ydoc_parse_u64("18446744073709551615", &v) && v == UINT64_MAX);
    ck_assert(!ydoc_parse_u64("18446744073709551616", &v));
    ck_assert(!ydoc_parse_u64("0x", &v));
    ck_assert(!ydoc_parse_u64("12a", &v));
    ck_assert(!ydoc_parse_u64(" 1", &v));
    ck_assert(!ydoc_parse_u64("", &v));
    ck_assert(!ydoc_parse_u64("0x10000000000000000", &v));
}
END_TEST

START_TEST(sizes_strict)
{
    uint64_t v;
    const char *why;
    ck_assert(ydoc_parse_size("64K", UINT32_MAX, &v, &why) && v == 65536);
    ck_assert(ydoc_parse_size("4M", UINT32_MAX, &v, &why) && v == 4u << 20);
    ck_assert(ydoc_parse_size("1G", UINT32_MAX, &v, &why) && v == 1u << 30);
    ck_assert(ydoc_parse_size("0x10000", UINT32_MAX, &v, &why) && v == 65536);
    ck_assert(ydoc_parse_size("65536", UINT32_MAX, &v, &why) && v == 65536);
    ck_assert(!ydoc_parse_size("4G", UINT32_MAX, &v, &why));
    ck_assert_str_eq(why, "size too large");
    ck_assert(!ydoc_parse_size("64KB", UINT32_MAX, &v, &why));
    ck_assert(!ydoc_parse_size("0x10K", UINT32_MAX, &v, &why));
    ck_assert(!ydoc_parse_size("K", UINT32_MAX, &v, &why));
    ck_assert_str_eq(why, "missing digits before the unit");
    ck_assert(!ydoc_parse_size("-1", UINT32_MAX, &v, &why));
    ck_assert_str_eq(why, "negative size");
    ck_assert(!ydoc_parse_size("", UINT32_MAX, &v, &why));
    ck_assert(!ydoc_parse_size("99999999999999999999G", UINT64_MAX, &v, &why));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ydoc");
    TCase *t = tcase_create("ydoc");
    tcase_add_test(t, positions_are_one_based);
    tcase_add_test(t, quoted_scalars_are_marked);
    tcase_add_test(t, duplicate_keys_rejected);
    tcase_add_test(t, aliases_rejected);
    tcase_add_test(t, deep_nesting_bounded);
    tcase_add_test(t, node_count_bounded);
    tcase_add_test(t, nul_byte_and_second_document);
    tcase_add_test(t, empty_document);
    tcase_add_test(t, encoding_errors_are_placed);
    tcase_add_test(t, unclosed_constructs_named_where_they_open);
    tcase_add_test(t, tabs_and_stray_colons_explained);
    tcase_add_test(t, u64_strict);
    tcase_add_test(t, sizes_strict);
    suite_add_tcase(s, t);
    return mmsim_check_run(s);
}
