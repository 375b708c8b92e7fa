/* test_scn_shell.c - the shell's session (scn_shell.h) driven line by line as
 * `mmsim shell` drives it: a step's answer (return code, outputs, cycles, hazards,
 * lines touched), refusals at the typed line and column, failing steps not kept,
 * save and expressions, undo by replay, the inspections, and `write FILE`: atomic,
 * and the file it writes loads and passes. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "scn.h"
#include "scn_shell.h"

/* ---- a session whose answers the test reads back ---- */

typedef struct {
    scn_shell_t *sh;
    FILE *out, *err;
    char *outbuf, *errbuf;
    size_t outlen, errlen, outseen, errseen;
    unsigned lineno;
    char outnew[65536], errnew[8192]; /* what the last line printed */
} session_t;

static void open_session(session_t *s, const char *chip, const char *const *sets, size_t nsets)
{
    memset(s, 0, sizeof *s);
    s->out = open_memstream(&s->outbuf, &s->outlen);
    s->err = open_memstream(&s->errbuf, &s->errlen);
    ck_assert_ptr_nonnull(s->out);
    ck_assert_ptr_nonnull(s->err);
    scn_shell_opts_t o = {.chip = chip, .sets = sets, .nsets = nsets, .source = "script"};
    char why[500];
    s->sh = scn_shell_new(&o, s->out, s->err, why, sizeof why);
    ck_assert_msg(s->sh != NULL, "shell refused: %s", why);
}

static scn_shell_rc_t type(session_t *s, const char *line)
{
    scn_shell_rc_t rc = scn_shell_line(s->sh, line, ++s->lineno);
    fflush(s->out);
    fflush(s->err);
    snprintf(s->outnew, sizeof s->outnew, "%s", s->outbuf + s->outseen);
    snprintf(s->errnew, sizeof s->errnew, "%s", s->errbuf + s->errseen);
    s->outseen = s->outlen, s->errseen = s->errlen;
    return rc;
}

static void close_session(session_t *s)
{
    scn_shell_free(s->sh);
    fclose(s->out);
    fclose(s->err);
    free(s->outbuf);
    free(s->errbuf);
}

#define assert_has(text, want) ck_assert_msg(strstr(text, want) != NULL, "'%s' not in:\n%s", want, text)
#define assert_lacks(text, want) ck_assert_msg(strstr(text, want) == NULL, "'%s' unexpectedly in:\n%s", want, text)

static const char map_line[] = "map: {paddr: 0x110000, size: 64K, target: flash, caps: [read, 8bit]}";

START_TEST(step_answered_at_once)
{
    session_t s;
    open_session(&s, "esp32c6", NULL, 0);
    ck_assert_int_eq(type(&s, "flash_erase: {paddr: 0x110000, size: 4K}"), SCN_SHELL_OK);
    assert_has(s.outnew, "step 1: flash_erase paddr=0x110000 size=0x1000 -> ESP_OK");
    ck_assert_int_eq(type(&s, map_line), SCN_SHELL_OK);
    assert_has(s.outnew, "-> ESP_OK ptr=0x42060000");
    assert_has(s.outnew, "cycles 2049 on core 0; hazards: none");
    ck_assert_int_eq(type(&s, "read: {vaddr: 0x42060000, size: 4}"), SCN_SHELL_OK);
    assert_has(s.outnew, "bytes=ff ff ff ff");
    /* the line the load filled, with its tag, physical line and first bytes */
    assert_has(s.outnew, "set 0 way 0: 0x42060000 = flash 0x110000: filled; ff ff ff ff");
    ck_assert_int_eq(type(&s, "read: {vaddr: 0x42060000, size: 4}"), SCN_SHELL_OK);
    assert_has(s.outnew, ": hit;");
    ck_assert_int_eq(type(&s, "flash_write: {paddr: 0x110000, bytes: 12 34 56 78}"), SCN_SHELL_OK);
    assert_has(s.outnew, "now stale");
    ck_assert_int_eq(type(&s, "read: {vaddr: 0x42060000, size: 4}"), SCN_SHELL_OK);
    assert_has(s.outnew, "hazards: stale_read x1");
    assert_has(s.outnew, "! step 6: stale_read in cpu read");
    ck_assert_uint_eq(scn_shell_count(s.sh), 6);
    close_session(&s);
}
END_TEST

START_TEST(refusals_name_the_typed_line_and_column)
{
    session_t s;
    open_session(&s, "esp32c6", NULL, 0);
    ck_assert_int_eq(type(&s, "mapp: {paddr: 0}"), SCN_SHELL_BAD);
    assert_has(s.errnew, "script:1:1: unknown operation 'mapp' (did you mean 'map'?");
    ck_assert_int_eq(type(&s, "   map: {paddr: 0x110000, sise: 64K, target: flash}"), SCN_SHELL_BAD);
    assert_has(s.errnew, "script:2:");
    /* the column of `sise` in what was typed, indentation included */
    ck_assert_msg(strstr(s.errnew, "script:2:27: ") != NULL, "column: %s", s.errnew);
    ck_assert_int_eq(type(&s, "reed"), SCN_SHELL_BAD);
    assert_has(s.errnew, "script:3:1: unknown command 'reed'");
    ck_assert_int_eq(type(&s, "reset"), SCN_SHELL_BAD);
    assert_has(s.errnew, "'reset' is an operation: a step needs its colon");
    ck_assert_int_eq(type(&s, "save a"), SCN_SHELL_BAD);
    assert_has(s.errnew, "save: no step yet");
    ck_assert_int_eq(type(&s, "undo"), SCN_SHELL_BAD);
    ck_assert_int_eq(type(&s, ""), SCN_SHELL_OK);
    ck_assert_int_eq(type(&s, "# a comment"), SCN_SHELL_OK);
    /* a step pasted from a file with its list dash runs; its errors keep the typed column */
    ck_assert_int_eq(type(&s, "  - mapp: {paddr: 0}"), SCN_SHELL_BAD);
    assert_has(s.errnew, "script:9:5: unknown operation 'mapp'");
    ck_assert_uint_eq(scn_shell_count(s.sh), 0);
    close_session(&s);
}
END_TEST

START_TEST(failing_step_not_kept)
{
    session_t s;
    open_session(&s, "esp32c6", NULL, 0);
    ck_assert_int_eq(type(&s, map_line), SCN_SHELL_OK);
    ck_assert_int_eq(type(&s, "{read: {vaddr: 0x42060000, size: 4}, expect: {bytes: 00 00 00 00}}"),
                     SCN_SHELL_FAILED);
    assert_has(s.outnew, "FAILED: bytes: expected 00 00 00 00, got ff ff ff ff");
    assert_has(s.outnew, "step not kept");
    ck_assert_uint_eq(scn_shell_count(s.sh), 1);
    /* an operation refused by the driver is kept: its return code is what it observed */
    ck_assert_int_eq(type(&s, "map: {paddr: 0x110001, size: 64K, target: flash, caps: [read]}"), SCN_SHELL_OK);
    assert_has(s.outnew, "-> ESP_ERR_INVALID_ARG");
    ck_assert_uint_eq(scn_shell_count(s.sh), 2);
    close_session(&s);
}
END_TEST

START_TEST(save_and_expressions)
{
    session_t s;
    open_session(&s, "esp32c6", NULL, 0);
    ck_assert_int_eq(type(&s, map_line), SCN_SHELL_OK);
    ck_assert_int_eq(type(&s, "save a"), SCN_SHELL_OK);
    assert_has(s.outnew, "a = 0x42060000");
    ck_assert_int_eq(type(&s, "= a + 0x100"), SCN_SHELL_OK);
    assert_has(s.outnew, "0x42060100 (1107689728)");
    ck_assert_int_eq(type(&s, "= (a - 0x42000000) * 2"), SCN_SHELL_OK);
    assert_has(s.outnew, "0xc0000 ");
    ck_assert_int_eq(type(&s, "= b"), SCN_SHELL_BAD);
    assert_has(s.errnew, "script:5:3: ");
    ck_assert_int_eq(type(&s, "read: {vaddr: a + 4, size: 4}"), SCN_SHELL_OK);
    assert_has(s.outnew, "vaddr=0x42060004");
    ck_assert_int_eq(type(&s, "save 9x"), SCN_SHELL_BAD);
    ck_assert_int_eq(type(&s, "="), SCN_SHELL_OK);
    assert_has(s.outnew, "a = 0x42060000");
    close_session(&s);
}
END_TEST

START_TEST(undo_replays_to_the_step_before)
{
    session_t s;
    open_session(&s, "esp32c6", NULL, 0);
    ck_assert_int_eq(type(&s, map_line), SCN_SHELL_OK);
    ck_assert_int_eq(type(&s, "read: {vaddr: 0x42060000, size: 4}"), SCN_SHELL_OK);
    ck_assert_int_eq(type(&s, "cache"), SCN_SHELL_OK);
    assert_has(s.outnew, "1 valid");
    ck_assert_int_eq(type(&s, "undo"), SCN_SHELL_OK);
    assert_has(s.outnew, "the session is at step 1");
    ck_assert_uint_eq(scn_shell_count(s.sh), 1);
    ck_assert_int_eq(type(&s, "cache"), SCN_SHELL_OK);
    assert_has(s.outnew, "0 valid");
    /* the read runs again on the state before it: a fill, not a hit */
    ck_assert_int_eq(type(&s, "read: {vaddr: 0x42060000, size: 4}"), SCN_SHELL_OK);
    assert_has(s.outnew, ": filled;");
    close_session(&s);
}
END_TEST

START_TEST(inspections_keep_no_step)
{
    session_t s;
    open_session(&s, "esp32c6", NULL, 0);
    ck_assert_int_eq(type(&s, map_line), SCN_SHELL_OK);
    ck_assert_int_eq(type(&s, "dump"), SCN_SHELL_OK);
    assert_has(s.outnew, "0x42060000    0x42070000   0x10000");
    ck_assert_int_eq(type(&s, "mmu"), SCN_SHELL_OK);
    assert_has(s.outnew, "flash 0x110000 (raw 0x211)");
    ck_assert_int_eq(type(&s, "read: {vaddr: 0x42060000, size: 4}"), SCN_SHELL_OK);
    ck_assert_int_eq(type(&s, "cache 0"), SCN_SHELL_OK);
    assert_has(s.outnew, "set 0 way 0: 0x42060000 = flash 0x110000");
    ck_assert_int_eq(type(&s, "cache 7"), SCN_SHELL_BAD);
    assert_has(s.errnew, "no cache '7'");
    ck_assert_int_eq(type(&s, "steps"), SCN_SHELL_OK);
    assert_has(s.outnew, "  - read: {vaddr: 0x42060000, size: 4}\n    expect: {ret: ESP_OK, bytes: ff ff ff ff, hazards: []}");
    ck_assert_uint_eq(scn_shell_count(s.sh), 2);
    /* a whole step with a repeat block: every iteration answered */
    ck_assert_int_eq(type(&s, "{repeat: 3, steps: [{read: {vaddr: 0x42060000 + i * 32, size: 4}}]}"), SCN_SHELL_OK);
    assert_has(s.outnew, "step 3.1 i=2: read vaddr=0x42060040");
    ck_assert_uint_eq(scn_shell_count(s.sh), 3);
    close_session(&s);
}
END_TEST

START_TEST(bad_chip_refused)
{
    scn_shell_opts_t o = {.chip = "esp32zz"};
    char why[500];
    ck_assert_ptr_null(scn_shell_new(&o, stdout, stderr, why, sizeof why));
    assert_has(why, "esp32zz");
    const char *sets[] = {"flash_size=3Q"};
    scn_shell_opts_t o2 = {.chip = "esp32c6", .sets = sets, .nsets = 1};
    ck_assert_ptr_null(scn_shell_new(&o2, stdout, stderr, why, sizeof why));
    assert_has(why, "flash_size: not a size");
    const char *bad[] = {"flash_size"};
    scn_shell_opts_t o3 = {.chip = "esp32c6", .sets = bad, .nsets = 1};
    ck_assert_ptr_null(scn_shell_new(&o3, stdout, stderr, why, sizeof why));
    assert_has(why, "expected key=value");
}
END_TEST

static size_t temporaries_in(const char *dir)
{
    size_t n = 0;
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    for (struct dirent *e; (e = readdir(d));)
        n += strstr(e->d_name, ".tmp-") != NULL;
    closedir(d);
    return n;
}

static void count_outcome(scn_outcome_t *o, size_t nth, void *ctx)
{
    (void)nth;
    *(int *)ctx += o->passed ? 1 : 1000;
    scn_outcome_free(o);
}

START_TEST(write_saves_a_passing_scenario)
{
    char dir[] = "shell-test-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[100];
    snprintf(path, sizeof path, "%s/session.yaml", dir);
    FILE *old = fopen(path, "w");
    fputs("old contents\n", old);
    fclose(old);

    const char *sets[] = {"flash_size=4M"};
    session_t s;
    open_session(&s, "esp32c6", sets, 1);
    ck_assert_int_eq(type(&s, map_line), SCN_SHELL_OK);
    ck_assert_int_eq(type(&s, "save a"), SCN_SHELL_OK);
    ck_assert_int_eq(type(&s, "read: {vaddr: a, size: 4}"), SCN_SHELL_OK);
    ck_assert_int_eq(type(&s, "flash_write: {paddr: 0x110000, bytes: 12 34 56 78}"), SCN_SHELL_OK);
    ck_assert_int_eq(type(&s, "read: {vaddr: a, size: 4}"), SCN_SHELL_OK);
    ck_assert_int_eq(type(&s, "dump:"), SCN_SHELL_OK);
    ck_assert_int_eq(type(&s, "map: {paddr: 0x110001, size: 64K, target: flash, caps: [read]}"), SCN_SHELL_OK);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "write %s stale after SPI1 write", path);
    ck_assert_int_eq(type(&s, cmd), SCN_SHELL_OK);
    assert_has(s.outnew, "6 steps");
    ck_assert_uint_eq(temporaries_in(dir), 0);
    close_session(&s);

    FILE *f = fopen(path, "r");
    char text[8192];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    assert_has(text, "name: \"stale after SPI1 write\"\nchip: \"esp32c6\"\nconfig:\n  flash_size: 4M\n");
    assert_has(text, "    save: a\n    expect: {ret: ESP_OK, ptr: 0x42060000, hazards: []}");
    assert_has(text, "expect: {ret: ESP_OK, bytes: ff ff ff ff, hazards: {stale_read: 1}}");
    assert_has(text, "expect: {ret: ESP_ERR_INVALID_ARG, ptr: 0, hazards: []}");
    assert_has(text, "dump: \"region 0:\\n");
    assert_lacks(text, "old contents");

    scn_suite_t *suite = scn_suite_new();
    ck_assert_uint_eq(scn_suite_add_path(suite, path, stderr), 0);
    ck_assert_uint_eq(scn_suite_count(suite), 1);
    size_t idx = 0;
    scn_run_opts_t opts = {0};
    int passed = 0;
    ck_assert_uint_eq(scn_run(suite, &idx, 1, &opts, count_outcome, &passed), 0);
    ck_assert_int_eq(passed, 1);
    scn_suite_free(suite);

    /* A write that cannot happen leaves the old file and no temporary behind. */
    open_session(&s, "esp32c6", NULL, 0);
    snprintf(cmd, sizeof cmd, "write %s/no/such/dir.yaml", dir);
    ck_assert_int_eq(type(&s, cmd), SCN_SHELL_BAD);
    assert_has(s.errnew, "script:1:7: write: ");
    ck_assert_int_eq(type(&s, "write"), SCN_SHELL_BAD);
    close_session(&s);
    ck_assert_uint_eq(temporaries_in(dir), 0);
    unlink(path);
    rmdir(dir);
}
END_TEST

static Suite *shell_suite(void)
{
    Suite *s = suite_create("scn_shell");
    TCase *t = tcase_create("session");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, step_answered_at_once);
    tcase_add_test(t, refusals_name_the_typed_line_and_column);
    tcase_add_test(t, failing_step_not_kept);
    tcase_add_test(t, save_and_expressions);
    tcase_add_test(t, undo_replays_to_the_step_before);
    tcase_add_test(t, inspections_keep_no_step);
    tcase_add_test(t, bad_chip_refused);
    tcase_add_test(t, write_saves_a_passing_scenario);
    suite_add_tcase(s, t);
    return s;
}

int main(void) { return mmsim_check_run(shell_suite()); }
