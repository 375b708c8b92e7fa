/* test_chipdef.c - the chip-definition loader: every built-in chip, round trips
 * through `chip show`, overrides, and the exact message of each kind of bad input. */
#include <check.h>

#include "check_main.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chipdef_load.h"

/* Load built-in `chip` with the first `from` replaced by `to`; returns the error
 * message (static) or NULL if it loaded. */
static const char *load_chip_mutated(const char *chip, const char *file, const char *from, const char *to)
{
    static ydoc_err_t err;
    size_t len;
    const char *t = chipdef_builtin_find(chip, &len);
    ck_assert_ptr_nonnull(t);
    const char *at = strstr(t, from);
    ck_assert_msg(at != NULL, "template lacks '%s'", from);
    size_t pre = (size_t)(at - t), fl = strlen(from), tl = strlen(to);
    char *buf = malloc(len - fl + tl + 1);
    memcpy(buf, t, pre);
    memcpy(buf + pre, to, tl);
    memcpy(buf + pre + tl, at + fl, len - pre - fl);
    chipdef_t c;
    int rc = chipdef_load_text(file, buf, len - fl + tl, NULL, 0, &c, &err);
    free(buf);
    return rc ? err.msg : NULL;
}

/* esp32s3.yaml with the first `from` replaced by `to`, named s3.yaml. */
static const char *load_mutated(const char *from, const char *to)
{
    return load_chip_mutated("esp32s3", "s3.yaml", from, to);
}

static const char *load_str(const char *text)
{
    static ydoc_err_t err;
    chipdef_t c;
    return chipdef_load_text("t.yaml", text, strlen(text), NULL, 0, &c, &err) ? err.msg : NULL;
}

START_TEST(every_builtin_loads_and_round_trips)
{
    ck_assert_uint_eq(chipdef_builtin_count(), 13);
    for (size_t i = 0; i < chipdef_builtin_count(); i++) {
        const char *name = chipdef_builtin_name(i);
        chipdef_t a, b;
        ydoc_err_t err;
        ck_assert_msg(chipdef_load(name, NULL, 0, &a, &err) == 0, "%s: %s", name, err.msg);
        ck_assert_str_eq(a.name, name);
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        chipdef_write_yaml(&a, f);
        fclose(f);
        int rc = chipdef_load_text("shown.yaml", text, len, NULL, 0, &b, &err);
        ck_assert_msg(rc == 0, "%s: shown YAML does not load: %s", name, err.msg);
        ck_assert_msg(memcmp(&a, &b, sizeof a) == 0, "%s: chip show does not round-trip", name);
        free(text);
    }
}
END_TEST

START_TEST(s3_numbers_match_the_reference)
{
    chipdef_t c;
    ydoc_err_t err;
    ck_assert_int_eq(chipdef_load("esp32s3", NULL, 0, &c, &err), 0);
    ck_assert_uint_eq(c.cores, 2);
    ck_assert_uint_eq(c.config.mmu_page_size, 0x10000);
    ck_assert_uint_eq(c.linear_mask, 0x1FFFFFF);
    ck_assert_uint_eq(c.mmus[0].entries, 512);
    ck_assert_uint_eq(c.mmus[0].value_mask, 0x3FFF);
    ck_assert_int_eq(c.mmus[0].psram_bit, 15);
    ck_assert_int_eq(c.mmus[0].flash_bit, -1);
    ck_assert_uint_eq(c.region_count, 1);
    ck_assert_uint_eq(c.regions[0].caps, 0x1F);
    ck_assert_uint_eq(c.regions[0].bus, 0x09);
    ck_assert_uint_eq(c.windows[1].vaddr, 0x3C000000);
    ck_assert_uint_eq(c.caches[1].size, 32768);
    ck_assert(c.caches[1].write_back);
    ck_assert(!c.caches[0].write_back);
}
END_TEST

START_TEST(page_size_follows_flash_size_on_configurable_chips)
{
    chipdef_t c;
    ydoc_err_t err;
    const char *two[] = {"flash_size=2M"}, *one[] = {"flash_size=1M"}, *forced[] = {"flash_size=1M", "mmu_page_size=64K"};
    ck_assert_int_eq(chipdef_load("esp32c6", two, 1, &c, &err), 0);
    ck_assert_uint_eq(c.config.mmu_page_size, 0x8000);
    ck_assert_uint_eq(c.linear_mask, 128 * 0x8000 - 1);
    ck_assert_uint_eq(c.msync_windows[0].end, 0x42000000 + 256 * 0x8000); /* msync window scales too */
    ck_assert_int_eq(chipdef_load("esp32c2", one, 1, &c, &err), 0);
    ck_assert_uint_eq(c.config.mmu_page_size, 0x4000);
    ck_assert_uint_eq(c.msync_windows[1].end, 0x3C000000 + 64 * 0x4000);
    ck_assert_int_eq(chipdef_load("esp32c2", forced, 2, &c, &err), 0);
    ck_assert_uint_eq(c.config.mmu_page_size, 0x10000);
}
END_TEST

START_TEST(overrides_are_checked_and_named)
{
    chipdef_t c;
    ydoc_err_t err;
    const char *junk[] = {"flash_size=4X"};
    ck_assert_int_eq(chipdef_load("esp32s3", junk, 1, &c, &err), -1);
    ck_assert_str_eq(err.msg, "<builtin>/esp32s3.yaml: --set flash_size=4X: not a size (expected e.g. 64K, 4M, 0x10000 or 65536)");
    const char *unknown[] = {"flash=4M"};
    ck_assert_int_eq(chipdef_load("esp32s3", unknown, 1, &c, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "<builtin>/esp32s3.yaml: --set flash=4M: unknown key 'flash'"));
    const char *page[] = {"mmu_page_size=32K"};
    ck_assert_int_eq(chipdef_load("esp32s3", page, 1, &c, &err), -1);
    ck_assert_str_eq(err.msg, "<builtin>/esp32s3.yaml: --set mmu_page_size=32K: mmu_page_size 0x8000 is not a page size this chip allows (allowed: 64K)");
    const char *reserve[] = {"spiram_bankswitch_reserve=63"};
    ck_assert_int_eq(chipdef_load("esp32", reserve, 1, &c, &err), -1);
    ck_assert_str_eq(err.msg, "<builtin>/esp32.yaml: --set spiram_bankswitch_reserve=63: spiram_bankswitch_reserve 63 is outside 1..62");
    const char *big[] = {"psram_size=64M"};
    ck_assert_int_eq(chipdef_load("esp32s3", big, 1, &c, &err), -1);
    ck_assert_str_eq(err.msg, "<builtin>/esp32s3.yaml: --set psram_size=64M: psram_size 67108864 exceeds the chip's max_size 33554432");
    ck_assert_uint_eq(c.cores, 0); /* left zeroed on failure */
}
END_TEST

/* Typed overrides (the embedding API's): a zero counts only with its bit, the --set text
 * wins over them, and an error names the typed field. */
START_TEST(typed_overrides_apply_under_the_text)
{
    chipdef_t c;
    ydoc_err_t err;
    chipdef_overrides_t ov = {.flash_size = 16u << 20, .psram_mode = "normal", .source = "cfg"};
    ov.given = CHIPDEF_KEY_BIT(CHIPDEF_KEY_FLASH_SIZE) | CHIPDEF_KEY_BIT(CHIPDEF_KEY_PSRAM_SIZE) |
               CHIPDEF_KEY_BIT(CHIPDEF_KEY_PSRAM_MODE);
    ck_assert_int_eq(chipdef_load_with("esp32", &ov, NULL, 0, &c, &err), 0);
    ck_assert_uint_eq(c.config.flash_size, 16u << 20);
    ck_assert_uint_eq(c.config.psram_size, 0); /* given as 0: no PSRAM */
    ck_assert(!c.config.psram_lowhigh);
    const char *sets[] = {"flash_size=8M"};
    ck_assert_int_eq(chipdef_load_with("esp32", &ov, sets, 1, &c, &err), 0);
    ck_assert_uint_eq(c.config.flash_size, 8u << 20);
    ov = (chipdef_overrides_t){.psram_size = 64u << 20, .source = "cfg"};
    ov.given = chipdef_overrides_nonzero(&ov);
    ck_assert_uint_eq(ov.given, CHIPDEF_KEY_BIT(CHIPDEF_KEY_PSRAM_SIZE));
    ck_assert_int_eq(chipdef_load_with("esp32s3", &ov, NULL, 0, &c, &err), -1);
    ck_assert_str_eq(err.msg, "<builtin>/esp32s3.yaml: cfg.psram_size: psram_size 67108864 exceeds the chip's max_size 33554432");
}
END_TEST

/* partition_table_md5 (CONFIG_PARTITION_TABLE_MD5): on unless turned off, by the text,
 * a typed override or the file; a word other than true or false is refused, named. */
START_TEST(partition_table_md5_defaults_on)
{
    chipdef_t c;
    ydoc_err_t err;
    ck_assert_int_eq(chipdef_load("esp32c3", NULL, 0, &c, &err), 0);
    ck_assert(c.config.partition_table_md5);
    const char *off[] = {"partition_table_md5=false"};
    ck_assert_int_eq(chipdef_load("esp32c3", off, 1, &c, &err), 0);
    ck_assert(!c.config.partition_table_md5);
    chipdef_overrides_t ov = {.partition_table_md5 = "false", .source = "cfg"};
    ov.given = chipdef_overrides_nonzero(&ov);
    ck_assert_uint_eq(ov.given, CHIPDEF_KEY_BIT(CHIPDEF_KEY_PARTITION_TABLE_MD5));
    ck_assert_int_eq(chipdef_load_with("esp32s3", &ov, NULL, 0, &c, &err), 0);
    ck_assert(!c.config.partition_table_md5);
    const char *on[] = {"partition_table_md5=true"}; /* the text wins over the typed value */
    ck_assert_int_eq(chipdef_load_with("esp32s3", &ov, on, 1, &c, &err), 0);
    ck_assert(c.config.partition_table_md5);
    ov.partition_table_md5 = "off";
    ck_assert_int_eq(chipdef_load_with("esp32s3", &ov, NULL, 0, &c, &err), -1);
    ck_assert_str_eq(err.msg, "<builtin>/esp32s3.yaml: cfg.partition_table_md5: bad partition_table_md5 'off' "
                              "(expected true or false)");
    const char *word[] = {"partition_table_md5=no"};
    ck_assert_int_eq(chipdef_load("esp32c3", word, 1, &c, &err), -1);
    ck_assert_str_eq(err.msg, "<builtin>/esp32c3.yaml: --set partition_table_md5=no: bad partition_table_md5 'no' "
                              "(expected true or false)");
    /* Written out and read back, off stays off. */
    ck_assert_int_eq(chipdef_load("esp32c3", off, 1, &c, &err), 0);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(f);
    chipdef_write_yaml(&c, f);
    fclose(f);
    ck_assert_ptr_nonnull(strstr(text, "  partition_table_md5: false\n"));
    chipdef_t back;
    ck_assert_msg(chipdef_load_text("back.yaml", text, len, NULL, 0, &back, &err) == 0, "%s", err.msg);
    ck_assert(!back.config.partition_table_md5);
    free(text);
}
END_TEST

START_TEST(idf_versions_are_parsed_strictly)
{
    ck_assert_uint_eq(chipdef_idf_version_code("master"), CHIPDEF_IDF_MASTER);
    ck_assert_uint_eq(chipdef_idf_version_code("v5.3"), 50300);
    ck_assert_uint_eq(chipdef_idf_version_code("v5.2.2"), 50202);
    ck_assert_uint_eq(chipdef_idf_version_code("v6.0.1"), 60001);
    const char *bad[] = {"", "5.3", "v5", "v5.3.", "v5.3.1x", "v4.4", "v9.0", "v5.100", "main"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(chipdef_idf_version_code(bad[i]) == 0, "%s accepted", bad[i]);
    chipdef_t c;
    ydoc_err_t err;
    const char *sets[] = {"idf_version=v4.4"};
    ck_assert_int_ne(chipdef_load("esp32s3", sets, 1, &c, &err), 0);
    ck_assert_ptr_nonnull(strstr(err.msg, "idf_version"));
}
END_TEST

START_TEST(unknown_chip_lists_the_builtins)
{
    chipdef_t c;
    ydoc_err_t err;
    ck_assert_int_eq(chipdef_load("esp8266", NULL, 0, &c, &err), -1);
    ck_assert_str_eq(err.msg, "unknown chip 'esp8266' (built-in chips: esp32, esp32s2, esp32s3, esp32c2, "
                              "esp32c3, esp32c5, esp32c6, esp32c61, esp32h2, esp32h21, esp32h4, esp32p4, esp32s31; "
                              "or give a path to a YAML file)");
    ck_assert_int_eq(chipdef_load("/nonexistent/chip.yaml", NULL, 0, &c, &err), -1);
    ck_assert_str_eq(err.msg, "/nonexistent/chip.yaml: cannot open: No such file or directory");
}
END_TEST

/* ---- bad input: the exact message of each kind --------------------------------- */

/* A whole file, t.yaml, that is refused. */
typedef struct {
    const char *name, *text, *want;
} bad_text_t;

static const bad_text_t BAD_TEXT[] = {
    {"empty_file", "", "t.yaml: empty file: a chip definition is a mapping with name, cores, mmu, ..."},
    {"empty_file (a comment)", "# only a comment\n",
     "t.yaml: empty file: a chip definition is a mapping with name, cores, mmu, ..."},
    {"not_a_mapping (a sequence)", "- a\n- b\n", "t.yaml:1:1: a chip definition must be a mapping, not a sequence"},
    {"not_a_mapping (a scalar)", "esp32\n", "t.yaml:1:1: a chip definition must be a mapping, not a scalar"},
    {"syntax_error_position", "name: x\nmmu: [a, b\ncores: 2\n",
     "t.yaml:2:6: YAML syntax error while parsing a flow sequence that starts here: "
     "did not find expected ',' or ']' at line 3, column 6"},
};

START_TEST(bad_file_is_refused_with_its_message)
{
    const bad_text_t *c = &BAD_TEXT[_i];
    const char *got = load_str(c->text);
    ck_assert_msg(got && !strcmp(got, c->want), "%s: \"%s\", expected \"%s\"", c->name, got ? got : "(it loads)",
                  c->want);
}
END_TEST

/* A built-in chip file with its first `from` replaced by `to`: esp32s3.yaml named
 * s3.yaml unless the row names another chip (then named e.yaml).  `want` NULL: it
 * loads. */
typedef struct {
    const char *name, *chip, *from, *to, *want;
} mutation_t;

static const mutation_t MUTATIONS[] = {
    {"unknown_key", NULL, "  scope: shared\n", "  scope: shared\n  colour: blue\n",
     "s3.yaml:15:3: unknown key 'colour' (expected one of: page_sizes, auto_page_size, "
     "linear_mask, linear_pages, scope, tables)"},
    {"duplicate_key", NULL, "cpu_mhz: 160\n", "cpu_mhz: 160\ncores: 1\n",
     "s3.yaml:9:1: duplicate key 'cores' (first at line 5, column 1)"},
    {"bad_enum", NULL, "scope: shared", "scope: global",
     "s3.yaml:14:10: bad value 'global' (expected one of: shared, per_cpu, per_target)"},
    {"bad_enum (flag)", NULL, "targets: [flash, psram]", "targets: [flash, sram]",
     "s3.yaml:18:24: bad flag 'sram' (expected one of: flash, psram)"},
    {"negative_and_overflowing_numbers (negative)", NULL, "entries: 512", "entries: -512",
     "s3.yaml:17:16: negative number '-512' where an unsigned one is required"},
    {"negative_and_overflowing_numbers (overflowing)", NULL, "entries: 512", "entries: 4294967296",
     "s3.yaml:17:16: number '4294967296' out of range (32-bit unsigned)"},
    {"negative_and_overflowing_numbers (a word)", NULL, "cores: 2", "cores: two",
     "s3.yaml:5:8: 'two' is not a number (decimal or 0x-hex)"},
    {"negative_and_overflowing_numbers (quoted)", NULL, "cores: 2", "cores: \"2\"",
     "s3.yaml:5:8: expected a number, found a quoted string"},
    {"size_with_junk", NULL, "size: 16K", "size: 16KB",
     "s3.yaml:42:55: bad size or address '16KB': not a size (expected e.g. 64K, 4M, 0x10000 or 65536)"},
    {"size_with_junk (overflow)", NULL, "flash_size: 8M", "flash_size: 99999999999G",
     "s3.yaml:124:15: bad size or address '99999999999G': size overflows"},
    {"overlapping_region", NULL, "     caps: [exec, read, write, 32bit, 8bit]}\n",
     "     caps: [exec, read, write, 32bit, 8bit]}\n"
     "  - {name: again, start: 0x1000000, end: 0x1100000, bus: [dbus0], targets: [flash], caps: [read]}\n",
     "s3.yaml:36:26: region 'again' [0x1000000, 0x1100000) overlaps region 'shared' [0x0, 0x2000000)"},
    {"region_outside_its_windows (linear space)", NULL, "end: 0x2000000", "end: 0x2010000",
     "s3.yaml:34:37: region 'shared' must end after its start and within the linear space (mask 0x1ffffff)"},
    {"region_outside_its_windows (buses)", NULL, "bus: [ibus0, dbus0], targets", "bus: [ibus0, dbus1], targets",
     "s3.yaml:34:53: region 'shared' [0x0, 0x2000000) is not inside a window of each of its buses"},
    {"impossible_cache_geometry", NULL, "size: 32K, ways: 8", "size: 24K, ways: 8",
     "s3.yaml:58:48: impossible cache geometry: size 24576 is not sets x ways (8) x line (32) "
     "with a power-of-two number of sets"},
    {"impossible_cache_geometry (line size)", NULL, "line_size: 32, write_back: true",
     "line_size: 48, write_back: true", "s3.yaml:58:73: line_size must be a power of two from 4 to 256, not 48"},
    /* a power of two, but beyond any Espressif cache line and the machine's per-line compare */
    {"impossible_cache_geometry (line beyond 256)", NULL, "size: 32K, ways: 8, line_size: 32",
     "size: 32K, ways: 8, line_size: 512", "s3.yaml:58:73: line_size must be a power of two from 4 to 256, not 512"},
    {"references_must_resolve (cache)", NULL, "caches: [dcache]", "caches: [l1d]",
     "s3.yaml:31:91: window 'DBUS0' names unknown cache 'l1d'"},
    {"references_must_resolve (MMU)", NULL, "bus: [dbus0], mmu: mmu0", "bus: [dbus0], mmu: mmu9",
     "s3.yaml:30:83: window 'DBUS0' names unknown MMU 'mmu9'"},
    /* Levels are ESP-IDF's cache level ids: the HAL finds caches by them. */
    {"cache_levels_must_exist", NULL, "{name: dcache, level: 1", "{name: dcache, level: 3",
     "s3.yaml:58:27: cache level must be 1 or 2, not 3"},
    {"cache_levels_must_exist (level_ext)", NULL, "  level_ext: 1", "  level_ext: 2",
     "s3.yaml:64:14: level_ext 2: no cache at that level"},
    {"cache_levels_must_exist (msync window)", NULL, "end: 0x3E000000, level: 1", "end: 0x3E000000, level: 2",
     "s3.yaml:69:51: msync window level 2: no cache at that level"},
    {"cache_levels_must_exist (next)", NULL, "write_back: false,", "write_back: false, next: dcache,",
     "s3.yaml:42:109: cache 'icache' (level 1): the next cache 'dcache' must be at a deeper level, not 1"},
    {"himem_reserve_errors_name_the_key (min)", "esp32", "reserve_min: 1 ", "reserve_min: 63 ",
     "e.yaml:137:16: himem reserve_min 63 is above reserve_max 62"},
    {"himem_reserve_errors_name_the_key (max)", "esp32", "reserve_max: 62", "reserve_max: 128",
     "e.yaml:138:16: himem reserve_max 128 must be below window_pages 128"},
    /* libcyaml would read 010 as octal 8 while the pre-check saw ten. */
    {"leading_zero_refused", NULL, "entries: 512", "entries: 0512",
     "s3.yaml:17:16: number '0512' has a leading zero (octal is not supported; write it in decimal or 0x-hex)"},
    {"leading_zero_refused (hex loads)", NULL, "entries: 512", "entries: 0x200", NULL},
    {"missing_required_key", NULL, "cpu_mhz: 160\n", "", "s3.yaml:3:1: missing required key 'cpu_mhz'"},
    /* "key:" with nothing after it names the key, not "'' is not a number". */
    {"key_without_value", NULL, "cores: 2", "cores:", "s3.yaml:5:1: 'cores' has no value"},
    {"key_without_value (name)", NULL, "name: esp32s3", "name:", "s3.yaml:3:1: 'name' has no value"},
    {"key_without_value (empty)", NULL, "name: esp32s3", "name: ''", "s3.yaml:3:7: must not be empty"},
    {"page_size_must_be_power_of_two", NULL, "page_sizes: [64K]", "page_sizes: [48K]",
     "s3.yaml:12:16: page size 49152 is not a power of two of at least 4K"},
};

START_TEST(bad_chip_file_is_refused_with_its_message)
{
    const mutation_t *c = &MUTATIONS[_i];
    const char *got = c->chip ? load_chip_mutated(c->chip, "e.yaml", c->from, c->to) : load_mutated(c->from, c->to);
    if (!c->want)
        ck_assert_msg(got == NULL, "%s: refused: %s", c->name, got);
    else
        ck_assert_msg(got && !strcmp(got, c->want), "%s: \"%s\", expected \"%s\"", c->name, got ? got : "(it loads)",
                      c->want);
}
END_TEST

#define N(table) (int)(sizeof table / sizeof table[0])

int main(void)
{
    Suite *s = suite_create("chipdef");
    TCase *t = tcase_create("load");
    tcase_add_test(t, every_builtin_loads_and_round_trips);
    tcase_add_test(t, s3_numbers_match_the_reference);
    tcase_add_test(t, page_size_follows_flash_size_on_configurable_chips);
    tcase_add_test(t, overrides_are_checked_and_named);
    tcase_add_test(t, typed_overrides_apply_under_the_text);
    tcase_add_test(t, partition_table_md5_defaults_on);
    tcase_add_test(t, unknown_chip_lists_the_builtins);
    tcase_add_test(t, idf_versions_are_parsed_strictly);
    suite_add_tcase(s, t);
    TCase *b = tcase_create("bad_input");
    tcase_add_loop_test(b, bad_file_is_refused_with_its_message, 0, N(BAD_TEXT));
    tcase_add_loop_test(b, bad_chip_file_is_refused_with_its_message, 0, N(MUTATIONS));
    suite_add_tcase(s, b);
    return mmsim_check_run(s);
}
