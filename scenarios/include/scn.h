/* scn.h - YAML scenario suites: load them, pick a shard, run them (in parallel if
 * asked) and report the outcomes as plain text, TAP 13, JUnit XML or a JSON-lines
 * trace.  The format is documented in README.md (Scenarios) and by `mmsim run
 * --help` (scn_list_operations).
 *
 * Loading checks everything that can be checked before a machine exists (every
 * operation, argument, type, saved name, chip and config value); an error is a line
 * "file:line:column: message".  Running never fails on bad input: a step that cannot
 * run fails its scenario. */
#ifndef MMSIM_SCN_H
#define MMSIM_SCN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mmsim.h"

typedef struct scn_suite scn_suite_t;

/* An empty suite; NULL when out of memory. */
scn_suite_t *scn_suite_new(void);
/* Release the suite and every scenario in it.  NULL is ignored. */
void scn_suite_free(scn_suite_t *s);

/* Add the scenarios of a file, or of every *.yaml / *.yml file below a folder.
 * Every error of a file is written to `errors`, a line each ("file:line:column:
 * message", in file order; past 20, a line "file: and N more errors"); returns the
 * number of files (and paths) refused (0: all loaded).  A file with an error adds
 * none of its scenarios. */
size_t scn_suite_add_path(scn_suite_t *s, const char *path, FILE *errors);
/* Add the scenarios of `len` bytes of YAML named `file` (relative chip and image
 * paths are taken from the folder of `file`).  0, or -1 with the error lines (as
 * scn_suite_add_path writes them, the last without its newline) in err[size], cut
 * to fit. */
int scn_suite_add_text(scn_suite_t *s, const char *file, const char *text, size_t len, char *err, size_t size);

/* Scenarios, in the stable order: by file name (byte order), then by position in
 * the file.  Adding sorts. */
size_t scn_suite_count(const scn_suite_t *s);
const char *scn_suite_file(const scn_suite_t *s, size_t i);
const char *scn_suite_name(const scn_suite_t *s, size_t i);
const char *scn_suite_chip(const scn_suite_t *s, size_t i);   /* built-in name or path */

/* "K/N" with 1 <= K <= N: the K-th of N shards.  0, or -1 when malformed. */
int scn_parse_shard(const char *text, unsigned *k, unsigned *n);
/* The indices of the scenarios whose "file: name" contains `filter` (NULL: all),
 * then of those every N-th from the K-th (round-robin over the stable order, so
 * the N shards are disjoint, cover the set and differ in size by at most one).
 * Writes up to scn_suite_count() indices to idx; returns how many. */
size_t scn_select(const scn_suite_t *s, const char *filter, unsigned k, unsigned n, size_t *idx);

/* Steps one scenario may run (operations and repeat iterations) unless
 * scn_run_opts_t.max_steps says otherwise: a runaway `repeat` ends as a failure. */
#define SCN_DEFAULT_MAX_STEPS 5000000u

/* Which driver the scenarios run on (mmsim run --driver). */
typedef enum {
    SCN_DRIVER_OURS = 0, /* core/ */
    SCN_DRIVER_IDF,      /* ESP-IDF's own sources (a build with MMSIM_IDF_PATH) */
    SCN_DRIVER_BOTH,     /* each scenario on both; any difference fails it */
} scn_driver_t;

typedef struct {
    unsigned jobs;      /* worker threads (0 or 1: run on the calling thread) */
    scn_driver_t driver;
    uint64_t max_steps; /* the step budget of each scenario (0: SCN_DEFAULT_MAX_STEPS) */
    bool check_invariants; /* mmsim_check_invariants after boot and every step (always on in
                              builds with MMSIM_CHECK_INVARIANTS); a broken rule fails the
                              scenario, unless a hal_assert or abort hazard stopped the chip */
    bool verbose;       /* collect a line per step */
    bool trace;         /* collect a JSON line per step */
    bool profile;       /* collect each bulk step's rate and each core's cycles by kind */
} scn_run_opts_t;

/* What running one scenario gave.  Strings are NULL when there is nothing. */
typedef struct {
    const char *file, *name, *description, *chip;
    unsigned line;                 /* of the scenario in its file */
    bool passed;
    bool skipped;                  /* not run: `failure` says why (the scenario pins another ESP-IDF release) */
    bool invariants_broken;        /* it failed on a broken invariant (scn_run_opts_t.check_invariants) */
    char *failure;                 /* "step 4 (read, line 14): bytes: expected ..., got ..." */
    char *hazards;                 /* the failing step's hazard records, one a line */
    char *log;                     /* the driver's log lines of the whole run */
    char *steps;                   /* with verbose: a line per step */
    char *trace;                   /* with trace: a JSON object per step, one a line */
    char *page;                    /* the step-through page written for it (mmsim run --html), or NULL;
                                      JUnit lists it as the test case's attachment */
    char *profile;                 /* with profile: bulk steps' rates, then cycles by kind per core */
    unsigned steps_run;
    double seconds;                /* host time (not part of any stable output) */
    char *owned;                   /* file, name, description and chip when the outcome owns them
                                      (scn_plan_run: the file's scenarios are gone once run) */
} scn_outcome_t;

/* Does a scenario pinned to idf_version `pinned` run on the ESP-IDF checkout of
 * `release` ("v6.0.2", from its esp_idf_version.h; NULL: none) under --driver idf or
 * both?  A release pin matches the same release ("v5.5" is v5.5.0); `master` matches
 * a checkout newer than every release mmsim knows (master's esp_idf_version.h names
 * the next release: v6.2.0 while v6.1 is the newest).  When not, and `why` is given,
 * the skip reason names what each is: "pins idf_version master (...); the ESP-IDF
 * checkout is v6.0.2 (a release)". */
bool scn_idf_pin_matches(const char *pinned, const char *release, char *why, size_t size);

/* Release an outcome and its strings.  NULL is ignored. */
void scn_outcome_free(scn_outcome_t *o);

/* Called once per scenario, in the order of `idx`, on the calling thread, whatever
 * the number of jobs.  The callee owns the outcome (scn_outcome_free). */
typedef void (*scn_outcome_fn)(scn_outcome_t *o, size_t nth, void *ctx);

/* Run the scenarios idx[0..n) of the suite.  While it runs, driver log lines are
 * captured per scenario (none reaches stderr).  Returns the number that failed. */
size_t scn_run(const scn_suite_t *s, const size_t *idx, size_t n, const scn_run_opts_t *opts, scn_outcome_fn fn,
               void *ctx);

/* ---- suites of any size: check every file first, then load one file per job ----
 * A suite holds every scenario it loaded (about 9.5 KB each); a plan holds the file
 * names and which scenarios of each are selected, and loads a file only while a job
 * runs its scenarios, so a run's memory does not grow with the suite. */
typedef struct scn_plan scn_plan_t;

/* Check every file under the paths (each error written to `errors` as
 * scn_suite_add_path writes it; *bad: the files and paths refused), and select the
 * scenarios as scn_select does.  NULL when out of memory. */
scn_plan_t *scn_plan_new(const char *const *paths, size_t npaths, const char *filter, unsigned k, unsigned n,
                         FILE *errors, size_t *bad);
/* The scenarios selected. */
size_t scn_plan_count(const scn_plan_t *p);
void scn_plan_free(scn_plan_t *p);
/* Run the selected scenarios as scn_run does (jobs, the order of the outcomes,
 * `nth` counting from 0), each job loading the next file, running its selected
 * scenarios and freeing it; at most a few files per job run ahead of the outcomes
 * handed over.  The outcomes own their strings.  Returns the number that failed. */
size_t scn_plan_run(const scn_plan_t *p, const scn_run_opts_t *opts, scn_outcome_fn fn, void *ctx);

/* ---- stepping through one scenario (the view, `mmsim render`) ---- */

struct scn_env; /* the names the run has saved (scenarios' own; scn_shell reads them) */

/* One step as it ran, handed to a scn_step_fn.  Strings live until the callback
 * returns. */
typedef struct {
    unsigned number;          /* 0: the boot; then 1, 2, ... per operation run (repeat iterations count) */
    const char *label;        /* "boot", "3", "5.2" (second step of the repeat block at step 5) */
    const char *iteration;    /* "i=4" inside repeat blocks, else "" */
    unsigned line;            /* of the step in its file */
    const char *op;           /* the operation's name, "boot" for number 0 */
    const char *description;  /* the step's `description:` (else its repeat block's), or NULL */
    const char *args;         /* the evaluated arguments: "vaddr=0x3f810000 size=0x4" */
    int ret;                  /* esp_err_t */
    const char *ret_name;     /* "ESP_OK", ... */
    uint32_t core;            /* the core the step is charged to */
    uint64_t cycles;          /* its cycles on that core */
    bool ok;                  /* its expectations held */
    const char *failure;      /* why they did not ("" if ok) */
    const char *outs;         /* its outputs as `mmsim run --verbose` shows them: "ptr=0x42060000" ("" if none) */
    const char *text;         /* a text output in full (dump, spi_flash_mmap_dump), else "" */
    const char *log;          /* the driver's log lines of the step (at the scenario's level), "" if none */
    const char *observed;     /* what the step observed as an `expect:` flow mapping that holds on a rerun:
                                 "{ret: ESP_OK, ptr: 0x42060000, hazards: []}" (ret, outputs but handles, hazards;
                                 not cycles or log); "" for the boot */
    const struct scn_env *env;/* the saved names after the step (scn_shell evaluates expressions over them) */
    mmsim_t *m;               /* the live machine, current on this thread: inspect, do not drive.
                                 Its hazard records are this step's. */
} scn_step_info_t;

/* Return false to stop the run after this step. */
typedef bool (*scn_step_fn)(const scn_step_info_t *step, void *ctx);

/* Run scenario `index` of the suite on this thread, calling fn after the boot and
 * after every operation, until fn returns false or the scenario fails or ends.
 * Runs are deterministic, so running again and stopping one step earlier is how a
 * caller steps back.  Driver log lines are captured, never printed.  Returns the
 * number of operations run; *passed (may be NULL) says whether no step failed.
 * Returns -1 for an index out of range. */
long scn_step_through(const scn_suite_t *s, size_t index, scn_step_fn fn, void *ctx, bool *passed);

/* Print the operations a step can name, one a line with its arguments and what it
 * calls (for `mmsim run --help`). */
void scn_list_operations(FILE *f);

/* ---- reports ---- */

/* Plain: "ok   file: name" or "FAIL file: name" and the indented failure, hazard
 * and (verbose) step lines. */
void scn_report_plain(FILE *f, const scn_outcome_t *o, bool verbose);
/* "N passed, N failed" */
void scn_report_summary(FILE *f, size_t passed, size_t failed);
/* TAP 13: the header and plan, one test point per outcome (a YAML block with the
 * details under a failing one), and a closing comment. */
void scn_report_tap_begin(FILE *f, size_t count);
void scn_report_tap(FILE *f, const scn_outcome_t *o, size_t number, bool verbose);
void scn_report_tap_end(FILE *f, size_t passed, size_t failed);
/* JUnit XML: one <testsuite> per scenario file, one <testcase> per scenario (with
 * its page, if any, as `[[ATTACHMENT|path]]` in <system-out>, as GitLab and
 * Jenkins read it).  Streamed: add outcomes as they arrive (sorted by file), then
 * finish into the output; memory holds one file's test cases.  -1: out of memory
 * or a write failed. */
typedef struct scn_junit scn_junit_t;
scn_junit_t *scn_junit_new(void);
int scn_junit_add(scn_junit_t *j, const scn_outcome_t *o);
int scn_junit_finish(scn_junit_t *j, FILE *out);
void scn_junit_free(scn_junit_t *j);
/* All at once, for outcomes already in hand. */
int scn_report_junit(FILE *f, const scn_outcome_t *const *outs, size_t n);
/* A file written for the user whole or not at all: open a temporary beside PATH
 * (a->f is the stream), then commit (flushed to disk and renamed over PATH) or
 * abort (removed).  -1 with why[size] naming the path and the cause. */
typedef struct {
    FILE *f;
    char *tmp;
    const char *path;
} scn_atomic_file_t;
int scn_atomic_open(scn_atomic_file_t *a, const char *path, char *why, size_t size);
int scn_atomic_commit(scn_atomic_file_t *a, char *why, size_t size);
void scn_atomic_abort(scn_atomic_file_t *a);
/* The outcome's JSON lines (needs opts.trace). */
void scn_report_trace(FILE *f, const scn_outcome_t *o);
/* The file name of the page of a test case, from JUnit's classname and name (the
 * scenario's file and name): "suites_flash_stale.yaml--stale_read_after.html", only
 * [A-Za-z0-9._-], at most 180 bytes.  buf[size]. */
void scn_page_name(const scn_outcome_t *o, char *buf, size_t size);

#endif
