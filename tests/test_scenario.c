/* test_scenario.c - the scenario library through its public API (scn.h): the
 * loader's errors with their exact messages, every operation, every expectation
 * kind passing and failing, repeat blocks, sharding, jobs, and the reports. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "hal/mmu_hal.h"
#include "mmsim_driver.h"
#include "scn.h"

/* ---- helpers ---- */

/* Load `text` as file "t.yaml"; returns the error ("" if it loaded). */
static const char *load_error(const char *text)
{
    static char err[4000];
    scn_suite_t *s = scn_suite_new();
    ck_assert_ptr_nonnull(s);
    err[0] = '\0';
    int rc = scn_suite_add_text(s, "t.yaml", text, strlen(text), err, sizeof err);
    ck_assert_int_eq(rc != 0, err[0] != '\0');
    if (rc == 0)
        ck_assert_uint_gt(scn_suite_count(s), 0);
    else
        ck_assert_uint_eq(scn_suite_count(s), 0);
    scn_suite_free(s);
    return err;
}

#define assert_error(text, want) ck_assert_str_eq(load_error(text), want)
#define assert_error_prefix(text, want)                                                                  \
    do {                                                                                                 \
        const char *got_ = load_error(text);                                                             \
        ck_assert_msg(!strncmp(got_, want, strlen(want)), "error '%s' does not start with '%s'", got_, want); \
    } while (0)

typedef struct {
    scn_outcome_t *outs[64];
    size_t n;
    scn_suite_t *suite; /* the outcomes point at its names */
} collect_t;

static void collect(scn_outcome_t *o, size_t nth, void *ctx)
{
    collect_t *c = ctx;
    ck_assert_uint_eq(nth, c->n);
    ck_assert_uint_lt(c->n, 64);
    c->outs[c->n++] = o;
}

static void collect_free(collect_t *c)
{
    for (size_t i = 0; i < c->n; i++)
        scn_outcome_free(c->outs[i]);
    c->n = 0;
    scn_suite_free(c->suite);
    c->suite = NULL;
}

/* Run every scenario of `text` with `opts`; outcomes into *c. */
static void run_text(const char *text, const scn_run_opts_t *opts, collect_t *c)
{
    scn_suite_t *s = scn_suite_new();
    char err[600];
    ck_assert_msg(scn_suite_add_text(s, "t.yaml", text, strlen(text), err, sizeof err) == 0, "%s", err);
    size_t idx[64];
    size_t n = scn_select(s, NULL, 1, 1, idx);
    c->n = 0;
    scn_run(s, idx, n, opts, collect, c);
    c->suite = s;
}

/* The failure text of the single scenario of `text` ("" when it passed). */
static char *failure_of(const char *text)
{
    static char buf[4000];
    scn_run_opts_t opts = {0};
    collect_t c = {0};
    run_text(text, &opts, &c);
    ck_assert_uint_eq(c.n, 1);
    snprintf(buf, sizeof buf, "%s", c.outs[0]->passed ? "" : c.outs[0]->failure ? c.outs[0]->failure : "(no text)");
    collect_free(&c);
    return buf;
}

#define assert_passes(text) ck_assert_str_eq(failure_of(text), "")
#define assert_fails(text, want) ck_assert_str_eq(failure_of(text), want)

/* ---- loader errors ---- */

START_TEST(load_unknown_operation)
{
    assert_error_prefix("name: n\nchip: esp32c3\nsteps:\n  - mapp: {paddr: 0}\n",
                        "t.yaml:4:5: unknown operation 'mapp' (did you mean 'map'? `mmsim run --help` lists them)");
}
END_TEST

START_TEST(load_missing_argument)
{
    assert_error("name: n\nchip: esp32c3\nsteps:\n  - map: {paddr: 0, target: flash, caps: [read]}\n",
                 "t.yaml:4:5: map needs the argument 'size' (arguments: paddr, size, target, caps, flags, null_out)");
    assert_error("name: n\nchip: esp32c3\nsteps:\n  - fill: {vaddr: 0, size: 4}\n",
                 "t.yaml:4:5: fill needs one of the arguments pattern, word or seed");
    assert_error("name: n\nchip: esp32c3\nsteps:\n  - write: {vaddr: 0, pattern: 1}\n",
                 "t.yaml:4:5: write: 'pattern' needs 'size' too");
}
END_TEST

START_TEST(load_wrong_type)
{
    assert_error("name: n\nchip: esp32c3\nsteps:\n  - read: {vaddr: [1], size: 4}\n",
                 "t.yaml:4:19: vaddr must be a number or an expression, not a sequence");
    assert_error("name: n\nchip: esp32c3\nsteps:\n  - read: {vaddr: 4Q, size: 4}\n",
                 "t.yaml:4:19: vaddr: bad expression '4Q': '4Q' is not a number (expected e.g. 64K, 4M, 1G, 0x10000 or 65536)");
    assert_error("name: n\nchip: esp32c3\nsteps:\n  - map: {paddr: 0, size: 4K, target: rom, caps: [read]}\n",
                 "t.yaml:4:39: target: unknown word 'rom' (expected flash, psram, or a number)");
    assert_error("name: n\nchip: esp32c3\nsteps:\n  - write: {vaddr: 0, bytes: 1 2}\n",
                 "t.yaml:4:30: bytes: bad bytes '1': write whole hex pairs (12 34 56 78)");
    assert_error("name: n\nchip: esp32c3\nsteps:\n  - dump: {}\n    expect: {ret: ESP_ERR_NOPE}\n",
                 "t.yaml:5:19: ret: unknown return code 'ESP_ERR_NOPE' (expected a name such as ESP_OK, "
                 "ESP_ERR_INVALID_ARG, ESP_ERR_NOT_FOUND, or any)");
    assert_error("name: n\nchip: esp32c3\nsteps:\n  - dump: {}\n    expect: {hazards: [stale]}\n",
                 "t.yaml:5:24: unknown hazard kind 'stale' (did you mean 'stale_read'? kinds: stale_read, lost_write, dma_stale, "
                 "alias_conflict, unmapped_access, use_after_unmap, write_read_only, capability, cache_disabled, "
                 "hal_assert, abort, writeback_remapped, writeback_unmapped, dma_write_dirty, writeback_over_dma, "
                 "dma_unaligned, rom_errata)");
    assert_error("name: n\nchip: esp32c3\nsteps:\n  - dump: {}\n    expect: {ptr: 0}\n",
                 "t.yaml:5:14: expect: unknown key 'ptr' for dump (expected ret, hazards, cycles, rate, log, stats, dump)");
}
END_TEST

START_TEST(load_unknown_name)
{
    assert_error("name: n\nchip: esp32c3\nsteps:\n  - unmap: {vaddr: a + 0x100}\n",
                 "t.yaml:4:20: vaddr: unknown name 'a' (no earlier step saves it)");
    /* a name saved later does not count */
    assert_error("name: n\nchip: esp32c3\nsteps:\n  - unmap: {vaddr: a}\n  - max_free: {caps: [read], target: flash}\n"
                 "    save: a\n",
                 "t.yaml:4:20: vaddr: unknown name 'a' (no earlier step saves it)");
    assert_error("name: n\nchip: esp32\nsteps:\n  - himem_get_free_size:\n    save: h\n"
                 "  - himem_free: {handle: h}\n",
                 "t.yaml:6:26: handle: 'h' holds a number, not a himem handle");
    assert_error("name: n\nchip: esp32c3\nsteps:\n  - max_free: {caps: [read], target: flash}\n    append: l\n"
                 "  - unmap: {vaddr: l}\n",
                 "t.yaml:6:20: vaddr: 'l' holds a list, not a number");
}
END_TEST

START_TEST(load_unknown_chip)
{
    assert_error_prefix("name: n\nchip: esp8266\nsteps:\n  - dump:\n",
                        "t.yaml:2:7: chip esp8266: unknown chip 'esp8266' (built-in chips: esp32, esp32s2");
    assert_error("name: n\nchip: esp32c3\nsteps:\n  - himem_get_free_size:\n",
                 "t.yaml:4:5: himem_get_free_size: esp32c3 has no himem (ESP32 only)");
    assert_error_prefix("name: n\nchip: esp32c3\nconfig: {flash_size: 3X}\nsteps:\n  - dump:\n",
                        "t.yaml:3:22: config flash_size: ");
    assert_error_prefix("name: n\nchip: esp32c3\nconfig: {flash: 4M}\nsteps:\n  - dump:\n",
                        "t.yaml:3:10: unknown config key 'flash' (expected: flash_size, psram_size,");
    /* A chip list whose item is not a name (found by fuzz_scenario). */
    assert_error("name: n\nchip: [esp32s2, {esp32s3: 1}]\nsteps:\n  - dump:\n", "t.yaml:2:17: chip: a mapping is not a chip (a built-in name such as esp32s3, or a path)");
}
END_TEST

START_TEST(load_structure)
{
    assert_error("", "t.yaml: empty file: a scenario is a mapping with name, chip and steps");
    assert_error("name: n\nchip: esp32c3\n", "t.yaml:1:1: a scenario needs 'steps'");
    assert_error("name: n\nchip: esp32c3\nsteps: []\n", "t.yaml:3:8: steps is empty");
    assert_error("name: n\nchip: esp32c3\ncolour: red\nsteps:\n  - dump:\n",
                 "t.yaml:3:1: unknown key 'colour' in a scenario (expected: name, description, chip, config, "
                 "log_level, boot, steps)");
    assert_error("name: n\nchip: esp32c3\nsteps:\n  - dump:\n    read: {vaddr: 0, size: 4}\n",
                 "t.yaml:5:5: a step holds one operation; 'dump' and 'read' are two (start a new step with '-')");
    assert_error("name: n\nchip: esp32c3\nsteps:\n  - dump:\n    until: ESP_OK\n",
                 "t.yaml:5:5: 'until' belongs to a repeat block (add 'repeat: N')");
    assert_error("name: n\nchip: esp32c3\nsteps:\n  - read: {vaddr: 0, size: 4}\n    save: b\n",
                 "t.yaml:5:11: save: read's result (bytes) is not a number; check it under expect instead");
    assert_error_prefix("name: n\nchip: esp32c3\nsteps:\n  - dump: {a: [}\n", "t.yaml:4:");
    /* the second scenario of a file is checked too, and the file adds nothing */
    assert_error("- name: a\n  chip: esp32c3\n  steps: [{dump: }]\n- name: b\n  chip: esp32c3\n  steps: [{dumpp: }]\n",
                 "t.yaml:6:12: unknown operation 'dumpp' (did you mean 'dump'? `mmsim run --help` lists them)");
    assert_error("name: n\nchip: esp32c3\nsteps:\n  - frobnicate: {}\n",
                 "t.yaml:4:5: unknown operation 'frobnicate' (`mmsim run --help` lists them)");
    assert_error("name: n\nchip: esp32c3\nsteps:\n  - save: a\n",
                 "t.yaml:4:5: a step needs an operation such as map, read or repeat (`mmsim run --help` lists them)");
}
END_TEST

START_TEST(load_path_errors)
{
    scn_suite_t *s = scn_suite_new();
    char *text = NULL;
    size_t len = 0;
    FILE *errs = open_memstream(&text, &len);
    ck_assert_uint_eq(scn_suite_add_path(s, "/nonexistent/x.yaml", errs), 1);
    ck_assert_uint_eq(scn_suite_add_path(s, MMSIM_TEST_DATA "/scenarios", errs), 1);
    fclose(errs);
    ck_assert_str_eq(text, "/nonexistent/x.yaml: no such file or folder\n" MMSIM_TEST_DATA
                           "/scenarios/bad-op.yaml:4:5: unknown operation 'mapp' (did you mean 'map'? "
                           "`mmsim run --help` lists them)\n");
    ck_assert_uint_eq(scn_suite_count(s), 1); /* fails.yaml loaded */
    free(text);
    scn_suite_free(s);
}
END_TEST

/* ---- every error of a file, suggestions, no cascades ---- */

static char *repeated(const char *head, const char *item, size_t n);

START_TEST(load_every_error_in_file_order)
{
    /* three errors in three steps: all three, in file order, one a line */
    assert_error("name: n\nchip: esp32c3\nsteps:\n"
                 "  - map: {paddr: 0x110000, size: 64K, target: flsh, caps: [read]}\n    save: a\n"
                 "  - read: {vaddr: a, size: 4}\n    expcet: {bytes: ff ff ff ff}\n"
                 "  - read: {vaddr: a + 4, size: 4}\n    expect: {ret: ESP_ERR_NOTFOUND}\n",
                 "t.yaml:4:47: target: unknown word 'flsh' (did you mean 'flash'? expected flash, psram, or a number)\n"
                 "t.yaml:7:5: unknown key 'expcet' in a step (did you mean 'expect'? a step takes one operation and "
                 "save, append, expect, description)\n"
                 "t.yaml:9:19: ret: unknown return code 'ESP_ERR_NOTFOUND' (did you mean 'ESP_ERR_NOT_FOUND'? expected a "
                 "name such as ESP_OK, ESP_ERR_INVALID_ARG, ESP_ERR_NOT_FOUND, or any)");
    /* an unknown scenario key does not stop the steps being checked; the second
     * scenario of a list is checked too */
    assert_error("- name: a\n  chip: esp32c3\n  colour: red\n  steps: [{dumpp: }]\n"
                 "- name: b\n  chip: esp32c3\n  steps: [{mapp: }]\n",
                 "t.yaml:3:3: unknown key 'colour' in a scenario (expected: name, description, chip, config, log_level, "
                 "boot, steps)\n"
                 "t.yaml:4:12: unknown operation 'dumpp' (did you mean 'dump'? `mmsim run --help` lists them)\n"
                 "t.yaml:7:12: unknown operation 'mapp' (did you mean 'map'? `mmsim run --help` lists them)");
    /* a config key and a step */
    assert_error("name: n\nchip: esp32c3\nconfig: {flash_sise: 4M}\nsteps:\n  - dumpp:\n",
                 "t.yaml:3:10: unknown config key 'flash_sise' (did you mean 'flash_size'? expected: flash_size, "
                 "psram_size, mmu_page_size, spiram_bankswitch_reserve, app_irom_size, app_drom_size, "
                 "partition_table_offset, app_offset, dcache_size, dcache_ways, dcache_line_size, icache_size, "
                 "icache_ways, icache_line_size, l2_cache_size, l2_cache_line_size, spiram_speed, flash_freq, cpu_freq_mhz, "
                 "idf_version, psram_mode, partition_table, bootloader_cache_32bit_addr, secure_enable_tee, spiram_mode, "
                 "flash_mode, spiram_fetch_instructions, spiram_rodata, spiram_xip_from_psram, partition_table_md5, flash_image, "
                 "build)\n"
                 "t.yaml:5:5: unknown operation 'dumpp' (did you mean 'dump'? `mmsim run --help` lists them)");
    /* a chip list: a step's error once, an error of one chip for that chip */
    assert_error("name: n\nchip: [esp32, esp32s3]\nsteps:\n  - himem_get_free_size:\n  - dumpp:\n",
                 "t.yaml:4:5: himem_get_free_size: esp32s3 has no himem (ESP32 only)\n"
                 "t.yaml:5:5: unknown operation 'dumpp' (did you mean 'dump'? `mmsim run --help` lists them)");
    /* past 20 errors: a count of the rest */
    char *text = repeated("name: n\nchip: esp32c3\nsteps:\n", "  - dumpp:\n", 25);
    scn_suite_t *s = scn_suite_new();
    char *out = NULL;
    size_t len = 0;
    FILE *errs = open_memstream(&out, &len);
    ck_assert_int_eq(scn_suite_add_text(s, "t.yaml", text, strlen(text), NULL, 0), -1);
    char path[] = "/tmp/mmsim-errors-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, text, strlen(text)), (int)strlen(text));
    close(fd);
    ck_assert_uint_eq(scn_suite_add_path(s, path, errs), 1); /* one file refused */
    fclose(errs);
    unlink(path);
    size_t lines = 0;
    for (const char *p = out; *p; p++)
        lines += *p == '\n';
    ck_assert_uint_eq(lines, 21);
    ck_assert_msg(strstr(out, ":23:5: unknown operation 'dumpp'") && !strstr(out, ":24:5:") &&
                      strstr(out, ": and 5 more errors\n"),
                  "%s", out);
    free(out);
    free(text);
    scn_suite_free(s);
}
END_TEST

START_TEST(load_errors_do_not_cascade)
{
    /* a step that fails still defines what it saves: the steps that read it are fine */
    assert_error("name: n\nchip: esp32c3\nsteps:\n"
                 "  - map: {paddr: 0x110000, size: 64K, target: flash, caps: [raed]}\n    save: a\n"
                 "  - read: {vaddr: a, size: 4}\n  - unmap: {vaddr: a}\n",
                 "t.yaml:4:61: caps: unknown word 'raed' (did you mean 'read'? expected exec, read, write, 32bit, 8bit, "
                 "or a number)");
    /* ... and a later step may save it properly with a kind of its own */
    assert_error("name: n\nchip: esp32\nsteps:\n  - himem_alloc: {sise: 1M}\n    save: h\n"
                 "  - himem_free: {handle: h}\n  - himem_alloc: {size: 1M}\n    save: h\n  - himem_free: {handle: h}\n",
                 "t.yaml:4:19: himem_alloc has no argument 'sise' (did you mean 'size'? arguments: size)");
    /* a repeat block whose own keys fail still checks its steps, with its index */
    assert_error("name: n\nchip: esp32c3\nsteps:\n  - repeat: 2\n    untill: ESP_OK\n    steps:\n"
                 "      - read: {vaddr: 0x3c000000 + i * 4, size: 4}\n      - rread: {}\n",
                 "t.yaml:5:5: unknown key 'untill' in a repeat block (did you mean 'until'? expected: repeat, until, "
                 "index, steps, save, expect, description)\n"
                 "t.yaml:8:9: unknown operation 'rread' (did you mean 'read'? `mmsim run --help` lists them)");
    /* a misspelt required key is not also reported missing */
    assert_error("name: n\nchip: esp32c3\nstepps:\n  - dump:\n",
                 "t.yaml:3:1: unknown key 'stepps' in a scenario (did you mean 'steps'? expected: name, description, "
                 "chip, config, log_level, boot, steps)");
    assert_error("nmae: n\nchp: esp32c3\nsteps:\n  - dump:\n",
                 "t.yaml:1:1: unknown key 'nmae' in a scenario (did you mean 'name'? expected: name, description, chip, "
                 "config, log_level, boot, steps)\n"
                 "t.yaml:2:1: unknown key 'chp' in a scenario (did you mean 'chip'? expected: name, description, chip, "
                 "config, log_level, boot, steps)");
}
END_TEST

START_TEST(load_suggestions)
{
    assert_error("name: n\nchip: esp32\nsteps:\n  - himem_alloc: {size: 1M}\n    save: h\n"
                 "  - himem_alloc_map_range: {size: 32K}\n    save: r\n"
                 "  - himem_map: {handle: h, range: r, size: 32K}\n",
                 "t.yaml:8:38: himem_map has no argument 'size': it calls it 'len', ESP-IDF's name in "
                 "esp_himem_map(handle, range, ram_offset, range_offset, len, flags, &ptr) ('size' is himem_alloc's, as "
                 "in esp_himem_alloc(size, &handle))");
    assert_error("name: n\nchip: esp32\nsteps:\n  - himem_alloc_map_range: {size: 32K}\n    save: r\n"
                 "  - himem_unmap: {range: r, vaddr: 0x3fbc0000, len: 32K}\n",
                 "t.yaml:6:29: himem_unmap has no argument 'vaddr': it calls it 'ptr', ESP-IDF's name in "
                 "esp_himem_unmap(range, ptr, len) ('vaddr' is unmap's, as in esp_mmu_unmap(vaddr))");
    assert_error("name: n\nchip: esp32c3\nsteps:\n  - read: {vaddr: 0, len: 4}\n",
                 "t.yaml:4:22: read has no argument 'len': it calls it 'size' ('len' is himem_map's, as in "
                 "esp_himem_map(handle, range, ram_offset, range_offset, len, flags, &ptr))");
    assert_error("name: n\nchip: esp32c3\nsteps:\n  - dump:\n    expect: {hazards: {none_off: [stale_read]}}\n",
                 "t.yaml:5:24: unknown hazard kind 'none_off' (did you mean 'none_of'? kinds: stale_read, lost_write, "
                 "dma_stale, alias_conflict, unmapped_access, use_after_unmap, write_read_only, capability, "
                 "cache_disabled, hal_assert, abort, writeback_remapped, writeback_unmapped, dma_write_dirty, "
                 "writeback_over_dma, dma_unaligned, rom_errata)");
    assert_error("name: n\nchip: esp32c3\nsteps:\n  - max_free: {caps: [read], target: flash}\n    save: size\n"
                 "  - unmap: {vaddr: sise}\n",
                 "t.yaml:6:20: vaddr: unknown name 'sise' (did you mean 'size'? no earlier step saves it)");
    assert_error("name: n\nchip: esp32c3\nsteps:\n  - msync: {vaddr: 0, size: 4, flags: [M2C]}\n",
                 "t.yaml:4:40: flags: unknown word 'M2C' (did you mean 'm2c'? expected invalidate, unaligned, c2m, "
                 "m2c, data, inst, or a number)");
    /* too far from anything: no guess */
    assert_error("name: n\nchip: esp32c3\nsteps:\n  - map: {paddr: 0, size: 4K, target: rom, caps: [read]}\n",
                 "t.yaml:4:39: target: unknown word 'rom' (expected flash, psram, or a number)");
    assert_error("name: n\nchip: esp32c3\nsteps:\n  - dump:\n    expect: {ret: ESP_ERR_NOPE}\n",
                 "t.yaml:5:19: ret: unknown return code 'ESP_ERR_NOPE' (expected a name such as ESP_OK, "
                 "ESP_ERR_INVALID_ARG, ESP_ERR_NOT_FOUND, or any)");
}
END_TEST

/* What scn_step_through reports as each step's description. */
static bool keep_descriptions(const scn_step_info_t *step, void *ctx)
{
    char *out = ctx;
    snprintf(out + strlen(out), 1000 - strlen(out), "[%s]", step->description ? step->description : "(none)");
    return true;
}

START_TEST(load_multiline_descriptions)
{
    /* literal, folded and plain multi-line scalars; trailing line breaks dropped */
    const char *texts[][2] = {
        {"description: |\n  First line.\n  Second line.\n", "First line.\nSecond line."},
        {"description: >\n  Folded\n  into one.\n\n  A paragraph.\n", "Folded into one.\nA paragraph."},
        {"description: plain text\n  over two lines\n", "plain text over two lines"},
        {"description: \"quoted\\nwith a break\"\n", "quoted\nwith a break"},
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char text[400], got[1000] = "", want[200];
        snprintf(text, sizeof text,
                 "name: n\nchip: esp32c3\n%ssteps:\n  - dump:\n    description: |\n      a step\n      in two lines\n",
                 texts[i][0]);
        scn_suite_t *s = scn_suite_new();
        char err[600];
        ck_assert_msg(scn_suite_add_text(s, "t.yaml", text, strlen(text), err, sizeof err) == 0, "%s", err);
        bool passed;
        ck_assert_int_eq(scn_step_through(s, 0, keep_descriptions, got, &passed), 1);
        snprintf(want, sizeof want, "[%s][a step\nin two lines]", texts[i][1]);
        ck_assert_str_eq(got, want);
        scn_suite_free(s);
    }
    /* a name stays one line: the reports print it on one */
    assert_error("name: |\n  two\n  lines\nchip: esp32c3\nsteps:\n  - dump:\n",
                 "t.yaml:1:7: name must be one line (the reports show it on one; a longer text goes in description)");
}
END_TEST

/* ---- the invariant check after every step ---- */

/* No scenario operation writes the MMU behind the driver's back, so the test links
 * with -Wl,--wrap=mmsim_driver: while `sabotage_vaddr` is set, the runner's driver
 * table has a `dump` that also invalidates the page there, as firmware poking the HAL
 * would. */
static uint32_t sabotage_vaddr;
static const mmsim_driver_t *real_driver;

static esp_err_t dump_then_sabotage(FILE *stream)
{
    esp_err_t rc = real_driver->mmu_map_dump_mapped_blocks(stream);
    mmu_hal_unmap_region(0, sabotage_vaddr, 0x10000);
    return rc;
}

const mmsim_driver_t *__real_mmsim_driver(const mmsim_t *m);
const mmsim_driver_t *__wrap_mmsim_driver(const mmsim_t *m);
const mmsim_driver_t *__wrap_mmsim_driver(const mmsim_t *m)
{
    static mmsim_driver_t sabotaging;
    if (!sabotage_vaddr)
        return __real_mmsim_driver(m);
    real_driver = __real_mmsim_driver(m);
    sabotaging = *real_driver;
    sabotaging.mmu_map_dump_mapped_blocks = dump_then_sabotage;
    return &sabotaging;
}

/* The failure of `text` run with the per-step invariant check. */
static char *failure_checked(const char *text)
{
    static char buf[4000];
    scn_run_opts_t opts = {.check_invariants = true};
    collect_t c = {0};
    run_text(text, &opts, &c);
    ck_assert_uint_eq(c.n, 1);
    snprintf(buf, sizeof buf, "%s", c.outs[0]->passed ? "" : c.outs[0]->failure ? c.outs[0]->failure : "(no text)");
    ck_assert_int_eq(c.outs[0]->invariants_broken, strstr(buf, "invariant broken") != NULL);
    collect_free(&c);
    return buf;
}

START_TEST(invariants_checked_after_every_step)
{
    /* esp32c3 places the first 64 KB flash block at 0x3C060000 (the app takes the pages below). */
    const char *text = "name: n\nchip: esp32c3\nsteps:\n"
                       "  - map: {paddr: 0x110000, size: 128K, target: flash, caps: [read]}\n"
                       "    expect: {ptr: 0x3C060000}\n"
                       "  - dump:\n"
                       "  - max_free: {caps: [read], target: flash}\n";
    ck_assert_str_eq(failure_checked(text), "");
    sabotage_vaddr = 0x3C070000; /* the block's second page */
    const char *sabotaged = failure_checked(text);
    sabotage_vaddr = 0;
    ck_assert_str_eq(sabotaged, "step 2 (dump, line 6): invariant broken after this step: block page "
                                "0x3c070000 should map flash 0x00120000 in MMU 0 but is invalid\n");
    sabotage_vaddr = 0x3C060000;
    /* Where the chip stopped (a failed HAL assertion: a paddr past the MMU's 16 MB reach)
     * nothing after is checked, not even the sabotage. */
    sabotaged = failure_checked("name: n\nchip: esp32c3\nsteps:\n"
                                "  - map: {paddr: 16M, size: 64K, target: flash, caps: [read]}\n"
                                "    expect: {hazards: [hal_assert]}\n"
                                "  - dump:\n");
    sabotage_vaddr = 0;
    ck_assert_str_eq(sabotaged, "");
}
END_TEST

/* ---- limits: enormous inputs are refused with a message, in bounded memory ---- */

START_TEST(limits_enormous_file)
{
    char path[] = "/tmp/mmsim-huge-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    static const char line[] = "# a comment line padding the file to 100 MB ..................................\n";
    for (size_t written = 0; written < (100u << 20); written += sizeof line - 1)
        fputs(line, f);
    fclose(f);
    scn_suite_t *s = scn_suite_new();
    char *text = NULL;
    size_t len = 0;
    FILE *errs = open_memstream(&text, &len);
    ck_assert_uint_eq(scn_suite_add_path(s, path, errs), 1);
    fclose(errs);
    unlink(path);
    ck_assert_msg(strstr(text, ": file too large (") && strstr(text, " bytes, limit 67108864)\n"), "%s", text);
    ck_assert_uint_eq(scn_suite_count(s), 0);
    free(text);
    scn_suite_free(s);
}
END_TEST

/* `n` copies of `item` after `head`. */
static char *repeated(const char *head, const char *item, size_t n)
{
    size_t hl = strlen(head), il = strlen(item);
    char *text = malloc(hl + il * n + 1);
    ck_assert_ptr_nonnull(text);
    memcpy(text, head, hl);
    for (size_t i = 0; i < n; i++)
        memcpy(text + hl + i * il, item, il);
    text[hl + il * n] = '\0';
    return text;
}

START_TEST(limits_million_list_items)
{
    /* A million steps is three million YAML nodes: refused while parsing. */
    char *text = repeated("name: n\nchip: esp32c3\nsteps:\n", "  - dump:\n", 1000000);
    assert_error(text, "t.yaml:666668:5: document too large (more than 2000000 nodes)");
    free(text);
    /* Fewer nodes, still far more steps than a file may hold. */
    text = repeated("name: n\nchip: esp32c3\nsteps:\n", "  - dump:\n", 200000);
    assert_error(text, "t.yaml:100004:5: more than 100000 steps in one file (a repeat block runs steps many times)");
    free(text);
    /* A million words in one flow list is bounded work: it loads. */
    text = repeated("name: n\nchip: esp32c3\nsteps:\n  - max_free: {target: flash, caps: [read", ", read", 1000000);
    char *full = malloc(strlen(text) + 4);
    ck_assert_ptr_nonnull(full);
    sprintf(full, "%s]}\n", text);
    assert_error(full, "");
    free(full);
    free(text);
}
END_TEST

/* ---- operations ---- */

START_TEST(ops_mmap_and_conversions)
{
    assert_passes("name: n\nchip: esp32s3\nconfig: {psram_size: 0}\nsteps:\n"
                  "  - map: {paddr: 0x110000, size: 64K, target: flash, caps: [read, 8bit]}\n    save: a\n"
                  "    expect: {ptr: 0x3c060000}\n"
                  "  - map_virt: {vaddr: 0x3C400000, paddr: 0x200000, size: 4K, target: flash, caps: [read]}\n"
                  "    expect: {ptr: 0x3C400000}\n"
                  "  - vaddr_to_paddr: {vaddr: a + 0x10}\n    expect: {paddr: 0x110010, target: flash}\n"
                  "  - paddr_to_vaddr: {paddr: 0x110010, target: flash, type: instruction}\n"
                  "    expect: {vaddr: 0x42060010}\n"
                  "  - find_caps: {paddr: 0x11ffff}\n    expect: {caps: [read, 8bit]}\n"
                  "  - max_free: {caps: [read], target: flash}\n    expect: {size: 0x2000000 - 0x410000}\n"
                  "  - dump:\n    expect: {dump: \"region 0:\\nBus ID          Start          Free Head      End"
                  "          Caps         Max Slot Size\\n0x9             0x0            0x60000        0x2000000"
                  "    0x1f         0x1bf0000\\nmapped blocks:\\nID   Vaddr Start   Vaddr End    Block Size   Caps"
                  "   Paddr Start   Paddr End\\n0    0x3c060000    0x3c070000   0x10000      0x12   0x110000"
                  "      0x120000\\n1    0x3c400000    0x3c410000   0x10000      0x2    0x200000      0x210000\\n\"}\n"
                  "  - unmap: {vaddr: a}\n"
                  "  - translate: {vaddr: 0x3C400004}\n    expect: {paddr: 0x200004, target: flash}\n");
}
END_TEST

START_TEST(ops_cache_and_memory)
{
    assert_passes("name: n\nchip: esp32s3\nsteps:\n"
                  "  - paddr_to_vaddr: {paddr: 0, target: psram, type: data}\n    save: v\n"
                  "  - line_size: {vaddr: v}\n    expect: {size: 32}\n"
                  "  - write: {vaddr: v, bytes: 01 02 03 04}\n"
                  "  - fill: {vaddr: v + 32, size: 32, word: 0x11223344}\n"
                  "  - cache_writeback: {vaddr: v, size: 32}\n"
                  "  - dma_read: {target: psram, paddr: 0, size: 4}\n    expect: {bytes: 01 02 03 04}\n"
                  "  - cache_writeback_all: {core: 0}\n"
                  "  - dma_read: {target: psram, paddr: 32, size: 4}\n    expect: {bytes: 44 33 22 11}\n"
                  "  - dma_write: {target: psram, paddr: 0, size: 64, seed: 9}\n"
                  "  - cache_invalidate: {vaddr: v, size: 64}\n"
                  "  - verify: {vaddr: v, size: 64, seed: 9}\n    expect: {mismatches: 0}\n"
                  "  - cache_flush: {core: all}\n"
                  "  - msync: {vaddr: v, size: 64, flags: [m2c]}\n"
                  "  - read: {vaddr: v + 1, size: 2, core: 1}\n"
                  "  - fetch: {vaddr: 0x42000000, size: 4}\n");
}
END_TEST

/* The heap steps (a pointer saved, NULL as ESP_ERR_NO_MEM), DMA of internal RAM by
 * address, and byte runs of a multi-byte unit (an RGB565 pixel). */
START_TEST(ops_heap_internal_ram_and_byte_runs)
{
    assert_passes("name: n\nchip: esp32s3\nsteps:\n"
                  "  - heap_caps_malloc: {size: 64, caps: [internal, dma]}\n    save: buf\n"
                  "  - dma_write: {target: internal, paddr: buf, bytes: 00f8*4 01 02}\n"
                  "  - read: {vaddr: buf, size: 10}\n    expect: {bytes: 00 f8 00 f8 00 f8 00 f8 01 02}\n"
                  "  - heap_caps_calloc: {n: 8, size: 4, caps: [spiram, dma]}\n    save: fb\n"
                  "  - heap_caps_realloc: {ptr: fb, size: 64, caps: [spiram]}\n    save: fb2\n"
                  "  - heap_caps_aligned_alloc: {alignment: 256, size: 4, caps: [spiram]}\n    save: al\n"
                  "  - heap_caps_get_largest_free_block: {caps: [internal]}\n    save: big\n"
                  "  - heap_caps_malloc: {size: big + 4, caps: [internal]}\n"
                  "    expect: {ret: ESP_ERR_NO_MEM, ptr: 0}\n"
                  "  - heap_caps_get_free_size: {caps: [spiram]}\n"
                  "  - heap_caps_free: {ptr: buf}\n"
                  "  - heap_caps_free: {ptr: buf}\n    expect: {hazards: [abort]}\n");
}
END_TEST

START_TEST(ops_flash_and_machine)
{
    assert_passes("name: n\nchip: esp32c3\nsteps:\n"
                  "  - flash_erase: {paddr: 0x100000, size: 4K}\n"
                  "  - flash_write: {paddr: 0x100000, bytes: 0f f0}\n"
                  "  - flash_read: {paddr: 0x100000, size: 3}\n    expect: {bytes: 0f f0 ff}\n"
                  "  - esp_flash_erase_region: {paddr: 0x101000, size: 4K}\n"
                  "  - esp_flash_write: {paddr: 0x101000, size: 8, pattern: 0x5a}\n"
                  "  - esp_flash_read: {paddr: 0x101000, size: 8}\n    expect: {bytes: 5a*8}\n"
                  "  - driver_core: {core: 0}\n"
                  "  - reset:\n"
                  "  - flash_read: {paddr: 0x100000, size: 2}\n    expect: {bytes: 0f f0}\n");
}
END_TEST

START_TEST(ops_himem)
{
    assert_passes("name: n\nchip: esp32\nsteps:\n"
                  "  - himem_get_phys_size:\n    expect: {size: 4352K}\n"
                  "  - himem_reserved_area_size:\n    expect: {size: 256K}\n"
                  "  - himem_alloc: {size: 64K}\n    save: h\n"
                  "  - himem_get_free_size:\n    expect: {size: 4352K - 64K}\n"
                  "  - himem_alloc_map_range: {size: 64K}\n    save: r\n"
                  "  - himem_map: {handle: h, range: r, ram_offset: 32K, range_offset: 32K, len: 32K}\n"
                  "    save: p\n    expect: {ptr: 0x3FBC8000}\n"
                  "  - himem_unmap: {range: r, ptr: p, len: 32K}\n"
                  "  - himem_free_map_range: {range: r}\n"
                  "  - himem_free: {handle: h}\n");
    /* a freed handle cannot be used again: the step fails, nothing reaches the driver */
    assert_fails("name: n\nchip: esp32\nsteps:\n  - himem_alloc: {size: 32K}\n    save: h\n"
                 "  - himem_free: {handle: h}\n  - himem_free: {handle: h}\n",
                 "step 3 (himem_free, line 7): cannot run: handle: 'h' holds no handle (see the step at line 6)\n");
}
END_TEST

START_TEST(ops_repeat)
{
    assert_passes("name: n\nchip: esp32c3\nsteps:\n"
                  "  - repeat: 1000\n    until: ESP_ERR_NOT_FOUND\n    steps:\n"
                  "      - map: {paddr: i * 64K, size: 64K, target: flash, caps: [read]}\n        append: b\n"
                  "    save: n\n    expect: {count: 122}\n"
                  "  - repeat: b.count\n    index: k\n    steps:\n      - unmap: {vaddr: b.k}\n"
                  "  - max_free: {caps: [read], target: flash}\n    expect: {size: n * 64K}\n");
    assert_fails("name: n\nchip: esp32c3\nsteps:\n  - repeat: 3\n    until: ESP_ERR_NOT_FOUND\n    steps:\n"
                 "      - max_free: {caps: [read], target: flash}\n",
                 "step 1 (repeat, line 4): ESP_ERR_NOT_FOUND did not come in 3 iterations\n");
    assert_fails("name: n\nchip: esp32c3\nsteps:\n  - repeat: 2\n    steps:\n"
                 "      - max_free: {caps: [read], target: flash}\n        expect: {size: 0}\n",
                 "step 1.1 (max_free, line 6, i=0): size: expected 0, got 0x7a0000\n");
    /* Past the step budget: refused before the first iteration runs. */
    assert_fails("name: n\nchip: esp32c3\nsteps:\n  - dump:\n  - repeat: 5000000\n    steps:\n      - dump:\n",
                 "step 2 (repeat, line 5): repeat: 5000000 iterations do not fit in the step budget (4999999 of "
                 "5000000 left; mmsim run --max-steps N raises it)\n");
}
END_TEST

/* copy: a load then its store per access, the data as memmove forward would leave it;
 * a repeat block's rate is its bulk steps' bytes over its own cycles. */
START_TEST(ops_copy_and_block_rate)
{
    assert_passes("name: n\nchip: esp32s3\nsteps:\n"
                  "  - heap_caps_malloc: {size: 4K, caps: [spiram]}\n    save: p\n"
                  "  - heap_caps_malloc: {size: 4K, caps: [internal]}\n    save: q\n"
                  "  - fill: {vaddr: p, size: 4K, seed: 3}\n"
                  "  - copy: {src: p, dst: q, size: 4K, width: 8}\n"
                  "  - verify: {vaddr: q, size: 4K, seed: 3}\n"
                  "  - write: {vaddr: q, bytes: 01 02 03}\n"
                  "  - copy: {src: q, dst: q + 1, size: 3, width: 1}\n" /* a forward loop repeats the first byte */
                  "  - read: {vaddr: q, size: 4}\n    expect: {bytes: 01 01 01 01}\n");
    /* Internal RAM: a load and a store of a cycle each plus the loop's 8: 10 cycles a
     * word, 4096 bytes in 10240 cycles at 160 MHz (64 us) = 64 MB/s; the block's two
     * copies move twice the bytes in twice the cycles (the dump between costs none). */
    const char *two = "name: n\nchip: esp32s3\nsteps:\n"
                      "  - heap_caps_malloc: {size: 8K, caps: [internal]}\n    save: q\n"
                      "  - copy: {src: q, dst: q + 4K, size: 4K, cpu_cycles: 8}\n"
                      "    expect: {rate: {figure: 64, tolerance: 1%}}\n"
                      "  - repeat: 2\n    steps:\n"
                      "      - copy: {src: q, dst: q + 4K, size: 4K, cpu_cycles: 8}\n"
                      "      - dump:\n"
                      "    expect: {rate: {figure: %s, tolerance: 1%%}}\n";
    char text[600];
    snprintf(text, sizeof text, two, "64");
    assert_passes(text);
    snprintf(text, sizeof text, two, "32");
    assert_fails(text, "step 3 (repeat, line 8): rate: the model moves 64.00 MB/s, the figure is 32.00 (+100.0%, "
                       "outside 1%)\n");
    assert_fails("name: n\nchip: esp32s3\nsteps:\n  - repeat: 1\n    steps:\n      - dump:\n"
                 "    expect: {rate: {figure: 10}}\n",
                 "step 1 (repeat, line 4): rate: the block's steps moved no bytes (no read, write, fill, copy or "
                 "verify)\n");
    assert_fails("name: n\nchip: esp32s3\nsteps:\n"
                 "  - heap_caps_malloc: {size: 64, caps: [internal]}\n    save: q\n"
                 "  - repeat: 1\n    steps:\n"
                 "      - read: {vaddr: q, size: 64}\n      - read: {vaddr: q, size: 64, core: 1}\n"
                 "    expect: {rate: {figure: 10}}\n",
                 "step 2 (repeat, line 6): rate: the block's bulk steps ran on more than one core\n");
}
END_TEST

/* ---- expectations: each kind met and unmet ---- */

#define C3 "name: n\nchip: esp32c3\nsteps:\n"
#define MAP_A "  - map: {paddr: 0x110000, size: 64K, target: flash, caps: [read]}\n    save: a\n"

START_TEST(expect_ret_and_outputs)
{
    assert_fails(C3 MAP_A "  - unmap: {vaddr: a + 4}\n",
                 "step 2 (unmap, line 6): ret: expected ESP_OK, got ESP_ERR_NOT_FOUND\n");
    assert_passes(C3 MAP_A "  - unmap: {vaddr: a + 4}\n    expect: {ret: any}\n");
    assert_fails(C3 MAP_A "  - vaddr_to_paddr: {vaddr: a}\n    expect: {paddr: a, target: psram}\n",
                 "step 2 (vaddr_to_paddr, line 6): paddr: expected 0x3c060000 (a), got 0x110000\n"
                 "  target: expected [psram], got [flash]\n");
    assert_fails(C3 MAP_A "  - find_caps: {paddr: 0x110000}\n    expect: {caps: [exec]}\n",
                 "step 2 (find_caps, line 6): caps: expected [exec], got [read]\n");
    assert_fails(C3 MAP_A "  - max_free: {caps: [read], target: flash}\n    expect: {size: {max: 1M}}\n",
                 "step 2 (max_free, line 6): size: expected at most 1048576, got 7929856\n");
}
END_TEST

START_TEST(expect_bytes_hazards_log)
{
    assert_fails(C3 MAP_A "  - read: {vaddr: a, size: 4}\n    expect: {bytes: 00 11 22 33}\n",
                 "step 2 (read, line 6): bytes: expected 00 11 22 33, got ff ff ff ff\n");
    assert_fails(C3 "  - read: {vaddr: 0x3C100000, size: 4}\n",
                 "step 1 (read, line 4): hazards: expected none, got unmapped_access x1\n");
    assert_fails(C3 "  - read: {vaddr: 0x3C100000, size: 4}\n    expect: {hazards: {unmapped_access: 2}}\n",
                 "step 1 (read, line 4): hazards: expected unmapped_access x2, got unmapped_access x1\n");
    assert_passes(C3 "  - read: {vaddr: 0x3C100000, size: 4}\n    expect: {hazards: any}\n");
    assert_passes(C3 "  - unmap: {vaddr: 0}\n    expect: {ret: ESP_ERR_INVALID_ARG, log: [null pointer, 'E (']}\n");
    /* The driver's log line carries its source line: compare around it. */
    const char *text = failure_of(C3 "  - unmap: {vaddr: 0}\n    expect: {ret: ESP_ERR_INVALID_ARG, log: []}\n");
    ck_assert_msg(!strncmp(text, "step 1 (unmap, line 4): log: expected no lines, got:\n  E (0) mmap: esp_mmu_unmap(", 79) &&
                      strstr(text, "): null pointer\n"),
                  "%s", text);
}
END_TEST

START_TEST(expect_negative_forms)
{
    /* {not: B}: anything but B (a list: none of them); of another length it fails */
    assert_passes(C3 MAP_A "  - read: {vaddr: a, size: 4}\n    expect: {bytes: {not: 00 11 22 33}}\n");
    assert_fails(C3 MAP_A "  - read: {vaddr: a, size: 4}\n    expect: {bytes: {not: ff*4}}\n",
                 "step 2 (read, line 6): bytes: expected not ff ff ff ff, got ff ff ff ff\n");
    assert_fails(C3 MAP_A "  - read: {vaddr: a, size: 4}\n    expect: {bytes: {not: [00 00 00 00, ff ff ff ff]}}\n",
                 "step 2 (read, line 6): bytes: expected none of 00 00 00 00 | ff ff ff ff, got ff ff ff ff\n");
    assert_fails(C3 MAP_A "  - read: {vaddr: a, size: 4}\n    expect: {bytes: {not: 00}}\n",
                 "step 2 (read, line 6): bytes: not 00 has 1 bytes, the step read 4 (compare bytes of the same "
                 "length)\n");
    /* {any_of: [...]}: one of them */
    assert_passes(C3 MAP_A "  - read: {vaddr: a, size: 2}\n    expect: {bytes: {any_of: [12 34, ff ff]}}\n");
    assert_fails(C3 MAP_A "  - read: {vaddr: a, size: 2}\n    expect: {bytes: {any_of: [12 34, 56 78]}}\n",
                 "step 2 (read, line 6): bytes: expected one of 12 34 | 56 78, got ff ff\n");
    /* {min, max}: each byte within its own bounds */
    assert_passes(C3 MAP_A "  - read: {vaddr: a, size: 2}\n    expect: {bytes: {min: f0 00, max: ff ff}}\n");
    assert_fails(C3 MAP_A "  - read: {vaddr: a, size: 2}\n    expect: {bytes: {min: 00 00, max: ff 7f}}\n",
                 "step 2 (read, line 6): bytes: byte 1 is 0xff, expected 0x00 to 0x7f; got ff ff\n");
    /* hazards: {none_of: [...]}: those kinds not raised, any others may be */
    assert_passes(C3 "  - read: {vaddr: 0x3C100000, size: 4}\n    expect: {hazards: {none_of: [stale_read]}}\n");
    assert_fails(C3 "  - read: {vaddr: 0x3C100000, size: 4}\n    expect: {hazards: {none_of: [stale_read, "
                    "unmapped_access]}}\n",
                 "step 1 (read, line 4): hazards: expected none of stale_read, unmapped_access, got unmapped_access "
                 "x1\n");
    /* ret: {not: CODE} */
    assert_passes(C3 MAP_A "  - unmap: {vaddr: a + 4}\n    expect: {ret: {not: ESP_OK}}\n");
    assert_fails(C3 MAP_A "  - unmap: {vaddr: a}\n    expect: {ret: {not: ESP_OK}}\n",
                 "step 2 (unmap, line 6): ret: expected anything but ESP_OK, got ESP_OK\n");
    /* load errors of the forms */
    assert_error(C3 "  - flash_read: {paddr: 0, size: 2}\n    expect: {bytes: {not: 00 00, any_of: [ff ff]}}\n",
                 "t.yaml:5:21: bytes: give one of not, any_of, or min and max");
    assert_error(C3 "  - flash_read: {paddr: 0, size: 2}\n    expect: {bytes: {min: 00 00}}\n",
                 "t.yaml:5:21: bytes: a range needs both min and max (bytes of the same length)");
    assert_error(C3 "  - flash_read: {paddr: 0, size: 2}\n    expect: {bytes: {min: 10 00, max: 0f ff}}\n",
                 "t.yaml:5:39: bytes: byte 0 of max (0x0f) is below min's (0x10)");
    assert_error(C3 "  - dump:\n    expect: {hazards: {none_of: stale_read}}\n",
                 "t.yaml:5:33: hazards: none_of takes a list of kinds such as [stale_read, lost_write]");
    assert_error(C3 "  - dump:\n    expect: {ret: {nt: ESP_OK}}\n",
                 "t.yaml:5:19: ret must be a return code such as ESP_OK, any, or {not: CODE}");
}
END_TEST

START_TEST(idf_version_pins)
{
    char why[400];
    /* a release pin: the same release ("v5.5" is v5.5.0) */
    ck_assert(scn_idf_pin_matches("v6.0.2", "v6.0.2", why, sizeof why));
    ck_assert(scn_idf_pin_matches("v5.5", "v5.5.0", why, sizeof why));
    ck_assert(!scn_idf_pin_matches("v5.5", "v5.5.5", why, sizeof why));
    ck_assert_str_eq(why, "pins idf_version v5.5 (release v5.5.0); the ESP-IDF checkout is v5.5.5 (a release)");
    /* master: a checkout newer than any release mmsim knows (master's version header
     * names the next release) */
    ck_assert(scn_idf_pin_matches("master", "v6.2.0", why, sizeof why));
    ck_assert(!scn_idf_pin_matches("master", "v6.0.2", why, sizeof why));
    ck_assert_str_eq(why, "pins idf_version master (a development tree, newer than v6.1, the last release mmsim "
                          "knows); the ESP-IDF checkout is v6.0.2 (a release)");
    ck_assert(!scn_idf_pin_matches("master", "v6.1.0", NULL, 0));
    ck_assert(!scn_idf_pin_matches("v6.1", "v6.2.0", why, sizeof why));
    ck_assert_str_eq(why, "pins idf_version v6.1 (release v6.1.0); the ESP-IDF checkout is v6.2.0 (newer than "
                          "v6.1: a development tree of v6.2, what idf_version master names)");
    ck_assert(!scn_idf_pin_matches("v5.5.5", NULL, why, sizeof why));
    ck_assert_str_eq(why, "pins idf_version v5.5.5; the ESP-IDF checkout is absent");
}
END_TEST

START_TEST(expect_cycles_stats_dump_boot)
{
    assert_fails(C3 MAP_A "  - read: {vaddr: a, size: 4}\n    expect: {cycles: {max: 10}}\n",
                 "step 2 (read, line 6): cycles (core 0): expected at most 10, got 305\n");
    assert_fails(C3 MAP_A "  - read: {vaddr: a, size: 4}\n    expect: {stats: {cache: cache, hits: 1, misses: 0}}\n",
                 "step 2 (read, line 6): stats cache core 0 hits: expected 1, got 0\n"
                 "  stats cache core 0 misses: expected 0, got 1\n");
    assert_fails(C3 "  - dump:\n    expect: {dump: \"region 0:\\nBus\"}\n",
                 "step 1 (dump, line 4): dump: line 2 differs: expected 'Bus', got 'Bus ID          Start          "
                 "Free Head      End          Caps         Max Slot Size'; the whole text:\n"
                 "  region 0:\n"
                 "  Bus ID          Start          Free Head      End          Caps         Max Slot Size\n"
                 "  0x9             0x0            0x60000        0x800000     0x1b         0x7a0000  \n"
                 "  mapped blocks:\n"
                 "  ID   Vaddr Start   Vaddr End    Block Size   Caps   Paddr Start   Paddr End  \n"
                 "  \n");
    assert_passes("name: n\nchip: esp32\nboot: {log: \"Initialized. Using last 8\", hazards: []}\nsteps:\n  - dump:\n");
    assert_fails("name: n\nchip: esp32\nboot: {log: nothing like this}\nsteps:\n  - dump:\n",
                 "boot: log: expected a line containing 'nothing like this', got:\n"
                 "I (0) esp_himem: Initialized. Using last 8 32KB address blocks for bank switching on 4352 KB of "
                 "physical memory.\n");
}
END_TEST

/* ---- selection, jobs, reports ---- */

static scn_suite_t *suite_of(size_t n, bool reversed)
{
    scn_suite_t *s = scn_suite_new();
    for (size_t k = 0; k < n; k++) {
        size_t i = reversed ? n - 1 - k : k;
        char file[32], text[200], err[600];
        snprintf(file, sizeof file, "s%02zu.yaml", i);
        snprintf(text, sizeof text,
                 "name: scenario %zu\nchip: esp32c3\nsteps:\n  - max_free: {caps: [read], target: flash}\n", i);
        ck_assert_msg(scn_suite_add_text(s, file, text, strlen(text), err, sizeof err) == 0, "%s", err);
    }
    return s;
}

START_TEST(shard_stable_and_covering)
{
    scn_suite_t *a = suite_of(10, false), *b = suite_of(10, true);
    size_t ia[10], ib[10];
    int seen[10] = {0};
    for (unsigned k = 1; k <= 3; k++) {
        size_t na = scn_select(a, NULL, k, 3, ia), nb = scn_select(b, NULL, k, 3, ib);
        ck_assert_uint_eq(na, k == 1 ? 4 : 3);
        ck_assert_uint_eq(na, nb);
        for (size_t i = 0; i < na; i++) {
            ck_assert_str_eq(scn_suite_name(a, ia[i]), scn_suite_name(b, ib[i]));
            seen[ia[i]]++;
        }
    }
    for (size_t i = 0; i < 10; i++)
        ck_assert_int_eq(seen[i], 1);
    ck_assert_uint_eq(scn_select(a, "scenario 7", 1, 1, ia), 1);
    ck_assert_str_eq(scn_suite_file(a, ia[0]), "s07.yaml");
    unsigned k, n;
    ck_assert_int_eq(scn_parse_shard("2/5", &k, &n), 0);
    ck_assert_uint_eq(k, 2);
    ck_assert_uint_eq(n, 5);
    ck_assert_int_eq(scn_parse_shard("0/5", &k, &n), -1);
    ck_assert_int_eq(scn_parse_shard("6/5", &k, &n), -1);
    ck_assert_int_eq(scn_parse_shard("1/", &k, &n), -1);
    ck_assert_int_eq(scn_parse_shard("-1/2", &k, &n), -1);
    scn_suite_free(a);
    scn_suite_free(b);
}
END_TEST

START_TEST(jobs_same_order_and_trace)
{
    const char *text = "- name: one\n  chip: [esp32, esp32s3, esp32c3, esp32p4]\n  steps:\n"
                       "    - map: {paddr: 0x110000, size: 64K, target: flash, caps: [read]}\n      save: a\n"
                       "    - read: {vaddr: a, size: 8}\n"
                       "- name: two\n  chip: esp32c6\n  steps:\n    - read: {vaddr: 0x42700000, size: 4}\n";
    scn_run_opts_t one = {.jobs = 1, .trace = true}, four = {.jobs = 4, .trace = true};
    collect_t a = {0}, b = {0};
    run_text(text, &one, &a);
    run_text(text, &four, &b);
    ck_assert_uint_eq(a.n, 5);
    ck_assert_uint_eq(b.n, 5);
    for (size_t i = 0; i < a.n; i++) {
        ck_assert_int_eq(a.outs[i]->passed, b.outs[i]->passed);
        ck_assert_str_eq(a.outs[i]->trace, b.outs[i]->trace);
    }
    ck_assert(!a.outs[4]->passed);
    ck_assert_ptr_nonnull(strstr(a.outs[4]->hazards, "unmapped_access"));
    ck_assert_ptr_nonnull(strstr(a.outs[0]->trace, "\"op\":\"map\",\"args\":{\"paddr\":\"0x110000\",\"size\":\"0x10000\","
                                                   "\"target\":\"flash\",\"caps\":\"read\",\"flags\":\"none\"},"
                                                   "\"ret\":\"ESP_OK\",\"out\":{\"ptr\":\"0x3f420000\"}"));
    collect_free(&a);
    collect_free(&b);
}
END_TEST

/* Many machines in one process: every one opened is closed (the sanitizer build
 * checks for leaks), also when a scenario fails half-way or resets. */
START_TEST(many_machines)
{
    const char *text = "- name: a\n  chip: [esp32, esp32s2, esp32s3, esp32c2, esp32c3, esp32c6, esp32h2, esp32p4]\n"
                       "  steps:\n    - repeat: 3\n      steps:\n        - reset:\n"
                       "    - himem_get_free_size:\n" /* not on most of them: */;
    ck_assert_str_ne(load_error(text), "");
    const char *ok = "- name: a\n  chip: [esp32, esp32s2, esp32s3, esp32c2, esp32c3, esp32c6, esp32h2, esp32p4]\n"
                     "  steps:\n    - repeat: 5\n      steps:\n        - reset:\n"
                     "    - map: {paddr: 0x110000, size: 64K, target: flash, caps: [read]}\n      expect: {ret: ESP_FAIL}\n";
    scn_run_opts_t opts = {.jobs = 3};
    for (int round = 0; round < 4; round++) {
        collect_t c = {0};
        run_text(ok, &opts, &c);
        ck_assert_uint_eq(c.n, 8);
        for (size_t i = 0; i < c.n; i++)
            ck_assert(!c.outs[i]->passed);
        collect_free(&c);
    }
}
END_TEST

static char *report(void (*fn)(FILE *, const scn_outcome_t *, bool), const scn_outcome_t *o, bool verbose)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    fn(f, o, verbose);
    fclose(f);
    return text;
}

static void tap_one(FILE *f, const scn_outcome_t *o, bool verbose) { scn_report_tap(f, o, 7, verbose); }

static void junit_two(FILE *f, const scn_outcome_t *o, bool verbose)
{
    (void)verbose;
    const scn_outcome_t *outs[2] = {&o[0], &o[1]};
    scn_report_junit(f, outs, 2);
}

START_TEST(reports)
{
    scn_outcome_t o[2] = {
        {.file = "a/x.yaml", .name = "it works", .line = 1, .passed = true, .log = "I (0) t: <hi>\n"},
        {.file = "a/x.yaml",
         .name = "it #fails & more",
         .line = 9,
         .failure = "step 2 (read, line 12): bytes: expected 01, got 00\n",
         .hazards = "step 2: stale_read ...\n",
         .steps = "step 1 line 10: dump\n"}};
    char *t;
    t = report(scn_report_plain, &o[1], true);
    ck_assert_str_eq(t, "FAIL a/x.yaml: it #fails & more\n"
                        "     step 1 line 10: dump\n"
                        "     step 2 (read, line 12): bytes: expected 01, got 00\n"
                        "     hazards raised by that step:\n"
                        "       step 2: stale_read ...\n");
    free(t);
    t = report(scn_report_plain, &o[0], false);
    ck_assert_str_eq(t, "ok   a/x.yaml: it works\n");
    free(t);
    t = report(tap_one, &o[1], false);
    ck_assert_str_eq(t, "not ok 7 - a/x.yaml: it \\#fails & more\n"
                        "  ---\n  file: 'a/x.yaml'\n  line: 9\n"
                        "  failure: |\n    step 2 (read, line 12): bytes: expected 01, got 00\n"
                        "  hazards: |\n    step 2: stale_read ...\n  ...\n");
    free(t);
    t = report(junit_two, o, false);
    ck_assert_str_eq(t, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        "<testsuites name=\"mmsim\" tests=\"2\" failures=\"1\">\n"
                        "  <testsuite name=\"a/x.yaml\" tests=\"2\" failures=\"1\" errors=\"0\" time=\"0.000\">\n"
                        "    <testcase classname=\"a/x.yaml\" name=\"it works\" time=\"0.000\">\n"
                        "      <system-out>I (0) t: &lt;hi&gt;\n</system-out>\n"
                        "    </testcase>\n"
                        "    <testcase classname=\"a/x.yaml\" name=\"it #fails &amp; more\" time=\"0.000\">\n"
                        "      <failure message=\"step 2 (read, line 12): bytes: expected 01, got 00\">"
                        "step 2 (read, line 12): bytes: expected 01, got 00\n"
                        "hazards raised by that step:\nstep 2: stale_read ...\n</failure>\n"
                        "    </testcase>\n"
                        "  </testsuite>\n"
                        "</testsuites>\n");
    free(t);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    scn_report_tap_begin(f, 2);
    scn_report_tap_end(f, 1, 1);
    scn_report_summary(f, 1, 1);
    fclose(f);
    ck_assert_str_eq(text, "TAP version 13\n1..2\n# 1 passed, 1 failed\n1 passed, 1 failed\n");
    free(text);
}
END_TEST

/* Streamed JUnit: a suite per file as the outcomes arrive, the totals in the header
 * written last, and the same text whether streamed or given at once. */
START_TEST(junit_streams_a_suite_per_file)
{
    scn_outcome_t o[3] = {{.file = "a.yaml", .name = "one", .passed = true, .seconds = 0.25},
                          {.file = "a.yaml", .name = "two", .failure = "boom\nmore", .seconds = 0.5},
                          {.file = "b.yaml", .name = "three", .passed = true}};
    scn_junit_t *j = scn_junit_new();
    ck_assert_ptr_nonnull(j);
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(scn_junit_add(j, &o[i]), 0);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    ck_assert_int_eq(scn_junit_finish(j, f), 0);
    fclose(f);
    scn_junit_free(j);
    ck_assert_ptr_nonnull(strstr(text, "<testsuites name=\"mmsim\" tests=\"3\" failures=\"1\">\n"
                                       "  <testsuite name=\"a.yaml\" tests=\"2\" failures=\"1\" errors=\"0\" "
                                       "time=\"0.750\">\n"));
    ck_assert_ptr_nonnull(strstr(text, "<failure message=\"boom\">boom\nmore</failure>"));
    const char *b = strstr(text, "  </testsuite>\n  <testsuite name=\"b.yaml\" tests=\"1\" failures=\"0\"");
    ck_assert_ptr_nonnull(b);
    ck_assert_ptr_nonnull(strstr(b, "name=\"three\""));
    const char *end = "  </testsuite>\n</testsuites>\n";
    ck_assert_uint_ge(len, strlen(end));
    ck_assert_str_eq(text + len - strlen(end), end);
    const scn_outcome_t *all[3] = {&o[0], &o[1], &o[2]};
    char *once = NULL;
    size_t once_len = 0;
    f = open_memstream(&once, &once_len);
    ck_assert_int_eq(scn_report_junit(f, all, 3), 0);
    fclose(f);
    ck_assert_str_eq(once, text);
    free(once);
    free(text);
}
END_TEST

static Suite *scenario_suite(void)
{
    Suite *s = suite_create("scenario");
    TCase *t = tcase_create("loader");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, load_unknown_operation);
    tcase_add_test(t, load_missing_argument);
    tcase_add_test(t, load_wrong_type);
    tcase_add_test(t, load_unknown_name);
    tcase_add_test(t, load_unknown_chip);
    tcase_add_test(t, load_structure);
    tcase_add_test(t, load_path_errors);
    tcase_add_test(t, load_every_error_in_file_order);
    tcase_add_test(t, load_errors_do_not_cascade);
    tcase_add_test(t, load_suggestions);
    tcase_add_test(t, load_multiline_descriptions);
    tcase_add_test(t, limits_enormous_file);
    tcase_add_test(t, invariants_checked_after_every_step);
    tcase_add_test(t, limits_million_list_items);
    suite_add_tcase(s, t);
    t = tcase_create("operations");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, ops_mmap_and_conversions);
    tcase_add_test(t, ops_cache_and_memory);
    tcase_add_test(t, ops_heap_internal_ram_and_byte_runs);
    tcase_add_test(t, ops_flash_and_machine);
    tcase_add_test(t, ops_himem);
    tcase_add_test(t, ops_repeat);
    tcase_add_test(t, ops_copy_and_block_rate);
    suite_add_tcase(s, t);
    t = tcase_create("expectations");
    tcase_add_test(t, expect_ret_and_outputs);
    tcase_add_test(t, expect_bytes_hazards_log);
    tcase_add_test(t, expect_cycles_stats_dump_boot);
    tcase_add_test(t, expect_negative_forms);
    tcase_add_test(t, idf_version_pins);
    suite_add_tcase(s, t);
    t = tcase_create("runner");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, shard_stable_and_covering);
    tcase_add_test(t, jobs_same_order_and_trace);
    tcase_add_test(t, many_machines);
    tcase_add_test(t, reports);
    tcase_add_test(t, junit_streams_a_suite_per_file);
    suite_add_tcase(s, t);
    return s;
}

int main(void) { return mmsim_check_run(scenario_suite()); }
