/* cmd_run.c - `mmsim run`: load scenario files and folders, pick the filtered
 * shard, run it (on --jobs threads) and report in plain text or TAP, with JUnit XML
 * and a JSON-lines trace on request, with a page per failing scenario (--html) and a
 * progress line on a terminal (run_progress.h).  Exit 0 all passed, 1 a scenario failed, 2 bad
 * input (any scenario file with an error: nothing runs) or usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>

#include "cli.h"
#include "mmsim_driver.h"
#include "run_progress.h"
#include "scn.h"

static const char run_usage[] =
    "usage: mmsim run PATH... [--tap] [--junit FILE] [--shard K/N] [--jobs N]\n"
    "                 [--filter TEXT] [--verbose] [--trace FILE] [--driver ours|idf|both]\n"
    "                 [--max-steps N] [--check-invariants] [--html DIR] [--profile]\n"
    "\n"
    "Runs YAML scenarios: each PATH is a scenario file or a folder searched for\n"
    "*.yaml and *.yml files.  Every file is checked before anything runs; an error\n"
    "is printed as file:line:column: message.  Prints a line per scenario (ok or FAIL\n"
    "with the failing step, expected and actual values and the hazard records) and\n"
    "a closing line 'N passed, N failed'.  On a terminal (and without --tap) a progress\n"
    "line on stderr counts the scenarios done, the failures and the time, and is erased\n"
    "at the end.\n"
    "\n"
    "options:\n"
    "  --tap           TAP version 13 on stdout instead of the plain lines\n"
    "  --junit FILE    also write JUnit XML to FILE\n"
    "  --shard K/N     run the K-th of N shards (1 <= K <= N): every N-th scenario of\n"
    "                  the sorted set from the K-th; the N shards cover it exactly\n"
    "  --jobs N        run N scenarios at a time on threads (output order is fixed)\n"
    "  --filter TEXT   only scenarios whose file path or name contains TEXT\n"
    "  --verbose       every step: arguments, result, outputs, cycles, hazards, log\n"
    "  --driver D      ours (default), idf (ESP-IDF's own driver sources, a build with\n"
    "                  -DMMSIM_IDF_PATH) or both: each scenario on both, any difference\n"
    "                  in return codes, outputs, bytes or hazards fails it; one job at a time\n"
    "  --trace FILE    every step as a JSON object per line to FILE\n"
    "  --html DIR      a step-through page per failing scenario in DIR (made if missing),\n"
    "                  named from its JUnit test case, which lists it as an attachment\n"
    "  --max-steps N   a scenario fails once it has run N steps, counting operations\n"
    "                  and repeat iterations (default 5000000)\n"
    "                  (--verbose and --trace keep the first 4 MB of each scenario)\n"
    "  --check-invariants  check the machine and the drivers after every step; a\n"
    "                  broken rule fails the scenario (on in Debug and sanitizer builds)\n"
    "  --profile       under each scenario, the MB/s of each bulk step (read, write,\n"
    "                  fill, verify) and where each core's cycles went: hits and the\n"
    "                  CPU's work, fills, write-backs, SPI1, MMU writes, maintenance\n"
    "\n"
    "exit status: 0 all passed, 1 a scenario failed, 2 bad input or usage\n"
    "\n"
    "operations (? marks an optional argument):\n";

typedef struct {
    bool tap, verbose, check_invariants, profile;
    const char *html;          /* --html DIR */
    run_progress_t *progress;  /* the progress line on a terminal, or NULL */
    int html_failed;
    FILE *trace;
    size_t passed, failed, skipped, number;
    scn_junit_t *junit;    /* --junit: the report, streamed */
    bool junit_failed;
} run_state_t;

/* The page of a failing scenario, drawn by loading its file again and running it
 * again (runs are deterministic): the run itself keeps no file loaded. */
static void write_page(run_state_t *st, scn_outcome_t *o)
{
#ifdef MMSIM_HAVE_VIEW
    char name[200], err[500];
    scn_page_name(o, name, sizeof name);
    size_t len = strlen(st->html) + strlen(name) + 2;
    char *path = malloc(len);
    scn_suite_t *suite = scn_suite_new();
    FILE *quiet = fopen("/dev/null", "w");
    size_t at = SIZE_MAX;
    if (path && suite && quiet && scn_suite_add_path(suite, o->file, quiet) == 0)
        for (size_t i = 0; i < scn_suite_count(suite) && at == SIZE_MAX; i++)
            if (!strcmp(scn_suite_name(suite, i), o->name) && !strcmp(scn_suite_chip(suite, i), o->chip))
                at = i;
    if (quiet)
        fclose(quiet);
    if (!path || at == SIZE_MAX) {
        fprintf(stderr, "mmsim run: --html: %s: %s: cannot load it again for its page\n", o->file, o->name);
        st->html_failed = 1;
        scn_suite_free(suite);
        free(path);
        return;
    }
    snprintf(path, len, "%s/%s", st->html, name);
    int rc = cli_write_page(suite, at, path, NULL, err, sizeof err);
    scn_suite_free(suite);
    if (rc) {
        fprintf(stderr, "mmsim run: --html: %s\n", err);
        st->html_failed = 1;
        free(path);
        return;
    }
    o->page = path;
#else
    (void)st, (void)o;
#endif
}

static void on_outcome(scn_outcome_t *o, size_t nth, void *ctx)
{
    run_state_t *st = ctx;
    (void)nth;
    if (st->html && !o->passed && !o->skipped)
        write_page(st, o);
    run_progress_hide(st->progress);
    if (o->skipped)
        st->skipped++;
    else if (o->passed)
        st->passed++;
    else
        st->failed++;
    if (st->tap)
        scn_report_tap(stdout, o, ++st->number, st->verbose);
    else
        scn_report_plain(stdout, o, st->verbose);
    /* Indented under the scenario's line (a TAP comment under --tap). */
    for (const char *p = o->profile; p && *p;) {
        size_t len = strcspn(p, "\n");
        printf("%s%.*s\n", st->tap ? "    # " : "     ", (int)len, p);
        p += len + (p[len] == '\n');
    }
    fflush(stdout);
    run_progress_done(st->progress, !o->passed && !o->skipped);
    if (st->trace)
        scn_report_trace(st->trace, o);
    if (st->junit && scn_junit_add(st->junit, o))
        st->junit_failed = true;
    scn_outcome_free(o);
}

static int usage_error(const char *fmt, const char *arg)
{
    fputs("mmsim run: ", stderr);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n%s", run_usage);
    return CLI_BAD_INPUT;
}

int cmd_run(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(run_usage, stdout);
        scn_list_operations(stdout);
        return CLI_OK;
    }
    const char *junit = NULL, *trace = NULL, *filter = NULL;
    unsigned k = 1, n = 1, jobs = 1;
    unsigned long long max_steps = SCN_DEFAULT_MAX_STEPS;
    scn_driver_t driver = SCN_DRIVER_OURS;
    run_state_t st = {0};
    const char **paths = calloc((size_t)argc, sizeof *paths);
    size_t npaths = 0;
    if (!paths)
        return CLI_BAD_INPUT;
    int rc = CLI_BAD_INPUT;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool takes = !strcmp(a, "--junit") || !strcmp(a, "--trace") || !strcmp(a, "--shard") || !strcmp(a, "--html") ||
                     !strcmp(a, "--jobs") || !strcmp(a, "--filter") || !strcmp(a, "--driver") ||
                     !strcmp(a, "--max-steps");
        if (takes && i + 1 >= argc) {
            rc = usage_error("%s needs a value", a);
            goto out;
        }
        if (!strcmp(a, "--tap")) {
            st.tap = true;
        } else if (!strcmp(a, "--verbose")) {
            st.verbose = true;
        } else if (!strcmp(a, "--profile")) {
            st.profile = true;
        } else if (!strcmp(a, "--check-invariants")) {
            st.check_invariants = true;
        } else if (!strcmp(a, "--junit")) {
            junit = argv[++i];
        } else if (!strcmp(a, "--trace")) {
            trace = argv[++i];
        } else if (!strcmp(a, "--html")) {
#ifndef MMSIM_HAVE_VIEW
            rc = usage_error("%s needs a build with the view (SDL2 and its fonts: MMSIM_BUILD_VIEW)", a);
            goto out;
#endif
            st.html = argv[++i];
        } else if (!strcmp(a, "--filter")) {
            filter = argv[++i];
        } else if (!strcmp(a, "--driver")) {
            const char *d = argv[++i];
            if (!strcmp(d, "ours") || !strcmp(d, "idf") || !strcmp(d, "both")) {
                driver = !strcmp(d, "ours") ? SCN_DRIVER_OURS : !strcmp(d, "idf") ? SCN_DRIVER_IDF : SCN_DRIVER_BOTH;
            } else {
                rc = usage_error("--driver wants ours, idf or both, not '%s'", d);
                goto out;
            }
        } else if (!strcmp(a, "--shard")) {
            if (scn_parse_shard(argv[++i], &k, &n)) {
                rc = usage_error("--shard wants K/N with 1 <= K <= N, not '%s'", argv[i]);
                goto out;
            }
        } else if (!strcmp(a, "--jobs")) {
            char *end;
            unsigned long v = strtoul(argv[++i], &end, 10);
            if (*end || end == argv[i] || v < 1 || v > 64 || argv[i][0] == '-') {
                rc = usage_error("--jobs wants a number from 1 to 64, not '%s'", argv[i]);
                goto out;
            }
            jobs = (unsigned)v;
        } else if (!strcmp(a, "--max-steps")) {
            char *end;
            const char *v = argv[++i];
            max_steps = strtoull(v, &end, 10);
            if (*end || end == v || v[0] < '0' || v[0] > '9' || max_steps < 1 || max_steps > 1000000000000ull) {
                rc = usage_error("--max-steps wants a number from 1 to 1000000000000, not '%s'", v);
                goto out;
            }
        } else if (a[0] == '-' && a[1]) {
            rc = usage_error("unknown option '%s'", a);
            goto out;
        } else {
            paths[npaths++] = a;
        }
    }
    if (!npaths) {
        rc = usage_error("%s", "no scenario file or folder given");
        goto out;
    }
    if (driver != SCN_DRIVER_OURS && !mmsim_idf_release()) {
        rc = usage_error("--driver %s needs a build configured with -DMMSIM_IDF_PATH=/path/to/esp-idf",
                         driver == SCN_DRIVER_IDF ? "idf" : "both");
        goto out;
    }
    /* Every file is checked (and freed) before anything runs; the run loads each again. */
    size_t errors = 0;
    scn_plan_t *plan = scn_plan_new((const char *const *)paths, npaths, filter, k, n, stderr, &errors);
    scn_atomic_file_t jf = {0}, tf = {0};
    char why[600];
    if (!plan || errors) {
        if (errors)
            fprintf(stderr, "mmsim run: %zu bad scenario file%s: nothing was run\n", errors, errors == 1 ? "" : "s");
        goto done;
    }
    size_t count = scn_plan_count(plan);
    if (trace && scn_atomic_open(&tf, trace, why, sizeof why)) {
        fprintf(stderr, "mmsim run: --trace: %s\n", why);
        goto done;
    }
    st.trace = tf.f;
    if (junit && scn_atomic_open(&jf, junit, why, sizeof why)) {
        fprintf(stderr, "mmsim run: --junit: %s\n", why);
        goto done;
    }
    if (junit && !(st.junit = scn_junit_new())) {
        fprintf(stderr, "mmsim run: --junit: cannot make a temporary file for the report\n");
        goto done;
    }
    if (st.html && mkdir(st.html, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "mmsim run: --html: cannot make the folder %s: %s\n", st.html, strerror(errno));
        goto done;
    }
    if (st.html)
        setenv("SDL_VIDEODRIVER", "dummy", 0); /* the font only: no display */
    if (st.tap)
        scn_report_tap_begin(stdout, count);
    scn_run_opts_t opts = {.jobs = jobs, .driver = driver, .max_steps = max_steps, .verbose = st.verbose,
                           .trace = st.trace != NULL, .check_invariants = st.check_invariants,
                           .profile = st.profile};
    if (run_progress_wanted(st.tap, junit, trace))
        st.progress = run_progress_start(count);
    scn_plan_run(plan, &opts, on_outcome, &st);
    run_progress_stop(st.progress);
    if (st.tap)
        scn_report_tap_end(stdout, st.passed, st.failed);
    else
        scn_report_summary(stdout, st.passed, st.failed);
    if (st.skipped)
        printf("%zu skipped: they pin an idf_version other than the ESP-IDF checkout's %s, run on a chip it "
               "has no port of or in a configuration it offers no driver for, or make a call its driver build "
               "lacks (--verbose says which)\n",
               st.skipped, mmsim_idf_release());
    if (st.junit) {
        if (st.junit_failed || scn_junit_finish(st.junit, jf.f))
            st.junit_failed = true, snprintf(why, sizeof why, "%s: writing the report failed", junit);
        else if (scn_atomic_commit(&jf, why, sizeof why))
            st.junit_failed = true;
        if (st.junit_failed) {
            fprintf(stderr, "mmsim run: --junit: %s\n", why);
            rc = CLI_BAD_INPUT;
            goto done;
        }
    }
    if (trace && scn_atomic_commit(&tf, why, sizeof why)) {
        fprintf(stderr, "mmsim run: --trace: %s\n", why);
        rc = CLI_BAD_INPUT;
        goto done;
    }
    rc = st.failed || st.html_failed || st.passed + st.failed + st.skipped < count ? CLI_FAIL : CLI_OK;
done:
    scn_atomic_abort(&jf); /* nothing left of either after its commit */
    scn_atomic_abort(&tf);
    scn_junit_free(st.junit);
    scn_plan_free(plan);
out:
    free(paths);
    return rc;
}
