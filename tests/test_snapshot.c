/* test_snapshot.c - the view's snapshot of a machine after a step (viz/snapshot.c)
 * and the runs that reach a step: step numbers, the driver's regions and blocks, the
 * cache line events worked out against the step before, written MMU entries, hazards,
 * ESP32's himem bank pages; and the scenario runner's per-step callback beneath. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "viz_snapshot.h"

#define LESSONS MMSIM_SOURCE_DIR "/scenarios/suites/lessons/"

static scn_suite_t *lesson(const char *file)
{
    scn_suite_t *s = scn_suite_new();
    ck_assert_uint_eq(scn_suite_add_path(s, file, stderr), 0);
    return s;
}

static int count_events(const viz_state_t *st, viz_event_t ev)
{
    int n = 0;
    for (int c = 0; c < st->ncaches; c++)
        for (uint32_t i = 0; i < st->cache[c].sets * st->cache[c].ways; i++)
            n += st->cache[c].lines[i].event == ev;
    return n;
}

/* A suite of the one scenario `text`, named t.yaml (it must load). */
static scn_suite_t *from_text(const char *text, size_t len)
{
    scn_suite_t *s = scn_suite_new();
    char err[300];
    ck_assert_msg(scn_suite_add_text(s, "t.yaml", text, len, err, sizeof err) == 0, "%s", err);
    return s;
}

/* The run of its first scenario has `total` steps and fails at step `step`. */
static void expect_fails_at(scn_suite_t *s, unsigned total, int step)
{
    viz_scan_t scan;
    ck_assert_int_eq(viz_scan(s, 0, &scan), 0);
    ck_assert(!scan.passed);
    ck_assert_uint_eq(scan.total, total);
    ck_assert_int_eq(scan.first_failure, step);
}

/* The state after step `n` of the first scenario. */
static viz_state_t capture(scn_suite_t *s, unsigned n)
{
    viz_scan_t scan;
    ck_assert_int_eq(viz_scan(s, 0, &scan), 0);
    viz_state_t st = {0};
    ck_assert_int_eq(viz_capture(s, 0, n, scan.total, &st), 0);
    return st;
}

START_TEST(test_scan_counts_steps_and_finds_the_first_hazard)
{
    scn_suite_t *s = lesson(LESSONS "stale-after-flash-write.yaml");
    viz_scan_t scan;
    ck_assert_int_eq(viz_scan(s, 0, &scan), 0);
    ck_assert(scan.passed);
    ck_assert_uint_eq(scan.total, 10);
    ck_assert_int_eq(scan.first_hazard, 6);
    ck_assert_int_eq(scan.first_failure, -1);
    ck_assert_int_eq(viz_scan(s, 1, &scan), -1);
    scn_suite_free(s);
}
END_TEST

START_TEST(test_fill_then_hit_then_stale)
{
    scn_suite_t *s = lesson(LESSONS "stale-after-flash-write.yaml");
    viz_state_t st = capture(s, 3); /* the first read: a miss */
    ck_assert_uint_eq(st.step.number, 3);
    ck_assert_str_eq(st.step.op, "read");
    ck_assert_str_eq(st.step.ret, "ESP_OK");
    ck_assert(st.step.has_addr);
    ck_assert_uint_eq(st.step.addr, 0x42060000);
    ck_assert_ptr_nonnull(strstr(st.step.description, "misses"));
    ck_assert_int_eq(count_events(&st, VIZ_EV_FILL), 1);
    ck_assert_int_eq(count_events(&st, VIZ_EV_HIT), 0);
    viz_state_free(&st);
    st = capture(s, 4); /* the second: a hit */
    ck_assert_int_eq(count_events(&st, VIZ_EV_FILL), 0);
    ck_assert_int_eq(count_events(&st, VIZ_EV_HIT), 1);
    ck_assert_int_eq(st.nhazards, 0);
    viz_state_free(&st);
    st = capture(s, 6); /* after the SPI1 write: a stale hit */
    ck_assert_int_eq(st.nhazards, 1);
    ck_assert_str_eq(st.hazard[0].kind, "stale_read");
    int stale = 0;
    for (uint32_t i = 0; i < st.cache[0].sets * st.cache[0].ways; i++)
        stale += st.cache[0].lines[i].stale;
    ck_assert_int_eq(stale, 1);
    viz_state_free(&st);
    st = capture(s, 7); /* M2C msync: the line is dropped */
    ck_assert_int_eq(count_events(&st, VIZ_EV_INVALIDATED), 1);
    viz_state_free(&st);
    st = capture(s, 99); /* past the end: the last step */
    ck_assert_uint_eq(st.step.number, 10);
    viz_state_free(&st);
    scn_suite_free(s);
}
END_TEST

START_TEST(test_regions_blocks_and_written_entries)
{
    scn_suite_t *s = lesson(LESSONS "mmap-placement.yaml");
    viz_state_t st = capture(s, 0);
    ck_assert_str_eq(st.chip, "esp32c6");
    ck_assert_int_eq(st.nregions, 1);
    ck_assert_uint_eq(st.region[0].vaddr_start, 0x42000000);
    ck_assert_uint_gt(st.region[0].free_head, st.region[0].start);
    ck_assert_uint_eq(st.flash_size, 16u << 20);
    for (int i = 0; i < st.nblocks; i++)
        ck_assert(st.block[i].boot); /* only the app image at boot */
    ck_assert_int_gt(st.nblocks, 0);
    viz_state_free(&st);
    st = capture(s, 2); /* the first map */
    int driver = 0, written = 0;
    for (int i = 0; i < st.nblocks; i++)
        if (!st.block[i].boot) {
            driver++;
            ck_assert_uint_eq(st.block[i].paddr_start, 0x100000);
            ck_assert_uint_eq(st.block[i].laddr_start, st.region[0].free_head);
            ck_assert_uint_eq(st.block[i].target, VIZ_TARGET_FLASH);
        }
    ck_assert_int_eq(driver, 1);
    for (uint32_t e = 0; e < st.mmu[0].entries; e++)
        written += st.mmu[0].entry[e].changed;
    ck_assert_int_eq(written, 1);
    viz_state_free(&st);
    st = capture(s, 10); /* PADDR_SHARED: two blocks on the same flash, the new one fresh */
    int alias = 0, fresh = 0;
    for (int i = 0; i < st.nblocks; i++) {
        alias += st.block[i].alias;
        fresh += st.block[i].fresh;
    }
    ck_assert_int_eq(alias, 2);
    ck_assert_int_eq(fresh, 1);
    viz_state_free(&st);
    st = capture(s, 12); /* inside the repeat block: its description, its label */
    ck_assert_ptr_nonnull(strstr(st.step.description, "until the region has no slot"));
    ck_assert_str_eq(st.step.label, "11.1 i=1");
    viz_state_free(&st);
    scn_suite_free(s);
}
END_TEST

START_TEST(test_himem_pages_and_the_sweep)
{
    scn_suite_t *s = lesson(LESSONS "himem-bank-switch.yaml");
    viz_state_t st = capture(s, 4); /* mapped */
    ck_assert(st.himem.present);
    ck_assert_int_eq(st.himem.pages, 8);
    ck_assert_uint_eq(st.himem.window_vaddr, 0x3FBC0000);
    ck_assert_uint_eq(st.himem.psram_window_vaddr, 0x3F800000);
    ck_assert_uint_eq(st.himem.psram_window_size, 4u << 20);
    ck_assert(st.himem.page[0].mapped && st.himem.page[0].translates);
    ck_assert_uint_eq(st.himem.page[0].paddr, st.himem.ram_paddr);
    ck_assert_int_eq(st.ncaches, 2);
    ck_assert_int_eq(st.nmmus, 2);
    ck_assert_str_eq(st.mmu[1].name, "mmu0 CPU1");
    viz_state_free(&st);
    st = capture(s, 6); /* unmap: the sweep writes back the dirty lines and refills */
    ck_assert(!st.himem.page[0].mapped);
    ck_assert_int_gt(count_events(&st, VIZ_EV_WRITEBACK), 100);
    ck_assert_int_gt(count_events(&st, VIZ_EV_FILL), 100);
    viz_state_free(&st);
    st = capture(s, 7); /* RAM block 1 in the same page */
    ck_assert_uint_eq(st.himem.page[0].paddr, st.himem.ram_paddr + 0x8000);
    ck_assert_int_eq(st.himem.page[0].ram_block, 1);
    viz_state_free(&st);
    scn_suite_free(s);
}
END_TEST

typedef struct {
    unsigned calls, last;
    bool ordered;
} each_t;

static bool on_each(const viz_state_t *st, void *ctx)
{
    each_t *e = ctx;
    e->ordered &= st->step.number == e->calls;
    e->last = st->step.number;
    e->calls++;
    return true;
}

static bool stop_at_two(const scn_step_info_t *step, void *ctx)
{
    (*(unsigned *)ctx)++;
    return step->number < 2;
}

START_TEST(test_each_step_and_stopping_early)
{
    scn_suite_t *s = lesson(LESSONS "dma-without-msync.yaml");
    viz_scan_t scan;
    ck_assert_int_eq(viz_scan(s, 0, &scan), 0);
    each_t e = {.ordered = true};
    ck_assert_int_eq(viz_each_step(s, 0, scan.total, on_each, &e), 0);
    ck_assert(e.ordered);
    ck_assert_uint_eq(e.calls, scan.total + 1); /* the boot and every step */
    ck_assert_uint_eq(e.last, scan.total);
    /* a stop asked for by the callback is not a failure */
    unsigned calls = 0;
    bool passed = false;
    ck_assert_int_eq(scn_step_through(s, 0, stop_at_two, &calls, &passed), 2);
    ck_assert_uint_eq(calls, 3);
    ck_assert(passed);
    ck_assert_int_eq(scn_step_through(s, 5, stop_at_two, &calls, &passed), -1);
    scn_suite_free(s);
}
END_TEST

START_TEST(test_a_failing_step_ends_the_run)
{
    static const char text[] = "name: fails at step 2\n"
                               "chip: esp32c3\n"
                               "steps:\n"
                               "  - flash_erase: {paddr: 0x100000, size: 4K}\n"
                               "    description: Erase a sector.\n"
                               "  - flash_read: {paddr: 0x100000, size: 4}\n"
                               "    expect: {bytes: 00 00 00 00}\n"
                               "  - flash_erase: {paddr: 0x100000, size: 4K}\n";
    scn_suite_t *s = from_text(text, sizeof text - 1);
    expect_fails_at(s, 2, 2);
    viz_state_t st = capture(s, 2);
    ck_assert_ptr_nonnull(strstr(st.step.failure, "bytes: expected 00 00 00 00"));
    viz_state_free(&st);
    st = capture(s, 1);
    ck_assert_str_eq(st.step.description, "Erase a sector.");
    ck_assert_str_eq(st.step.failure, "");
    viz_state_free(&st);
    scn_suite_free(s);
}
END_TEST

START_TEST(test_a_step_that_cannot_run_is_shown_failed)
{
    /* himem_free of a handle already freed cannot run at all */
    static const char text[] = "name: cannot run\n"
                               "chip: esp32\n"
                               "steps:\n"
                               "  - himem_alloc: {size: 32K}\n"
                               "    save: ram\n"
                               "  - himem_free: {handle: ram}\n"
                               "  - himem_free: {handle: ram}\n";
    scn_suite_t *s = from_text(text, sizeof text - 1);
    expect_fails_at(s, 3, 3);
    viz_state_t st = capture(s, 3);
    ck_assert_ptr_nonnull(strstr(st.step.failure, "cannot run"));
    viz_state_free(&st);
    scn_suite_free(s);
}
END_TEST

START_TEST(test_a_description_is_one_text)
{
    static const char text[] = "name: bad\n"
                               "chip: esp32c3\n"
                               "steps:\n"
                               "  - flash_erase: {paddr: 0x100000, size: 4K}\n"
                               "    description: [not, a, sentence]\n";
    scn_suite_t *s = scn_suite_new();
    char err[300] = "";
    ck_assert_int_eq(scn_suite_add_text(s, "bad.yaml", text, sizeof text - 1, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "bad.yaml:5:18") && strstr(err, "description"), "%s", err);
    scn_suite_free(s);
}
END_TEST

static Suite *snapshot_suite(void)
{
    Suite *s = suite_create("snapshot");
    TCase *tc = tcase_create("snapshot");
    tcase_add_test(tc, test_scan_counts_steps_and_finds_the_first_hazard);
    tcase_add_test(tc, test_fill_then_hit_then_stale);
    tcase_add_test(tc, test_regions_blocks_and_written_entries);
    tcase_add_test(tc, test_himem_pages_and_the_sweep);
    tcase_add_test(tc, test_each_step_and_stopping_early);
    tcase_add_test(tc, test_a_failing_step_ends_the_run);
    tcase_add_test(tc, test_a_step_that_cannot_run_is_shown_failed);
    tcase_add_test(tc, test_a_description_is_one_text);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return mmsim_check_run(snapshot_suite()); }
