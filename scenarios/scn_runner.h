/* scn_runner.h - the interpreter's insides, shared by its files: the state of one
 * run of a scenario on one driver (scn_runner_t), and what the run of a scenario
 * (scn_exec.c), the boot (scn_exec_boot.c), the steps (scn_exec_steps.c) and the
 * reports of a step (scn_exec_report.c) call of each other. */
#ifndef MMSIM_SCN_RUNNER_H
#define MMSIM_SCN_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scn_buf.h"
#include "scn_exec.h"
#include "scn_expect.h"

/* One run of a scenario on one driver. */
typedef struct {
    scn_exec_t x;
    const scn_run_opts_t *opts;
    scn_buf_t failure, hazards, log, steps, trace, profile;
    scn_buf_t record;       /* --driver both: what each step observed, to compare */
    unsigned steps_run;
    uint64_t spent;         /* the budget used: operations and repeat iterations */
    uint64_t budget;
    bool check_invariants;  /* after every step, until the chip stops (scn_exec_steps.c) */
    bool invariants_broken; /* a check failed */
    size_t log_cut, steps_cut, trace_cut; /* steps whose text did not fit */
    unsigned top;           /* 1-based index of the top-level step running */
    scn_step_fn step_fn;    /* the view's per-step callback, or NULL */
    void *step_ctx;
    const char *repeat_description; /* of the innermost repeat block running */
    /* What the bulk steps of the innermost repeat block running have moved, for its
     * `rate`: their bytes, and their core (bulk_cores: a bit per core seen). */
    uint64_t bulk_bytes;
    uint32_t bulk_cores;
} scn_runner_t;

/* ---- the boot (scn_exec_boot.c) ---- */

/* Boot R->x for its scenario and check the start-up against `boot:` (default: no
 * hazards).  false if the boot failed or the callback asked to stop. */
bool scn_runner_boot(scn_runner_t *R);

/* ---- the steps (scn_exec_steps.c) ---- */

/* Run the scenario's steps after the boot; true if they all ran and passed (false
 * too when the callback stopped the run: R->failure tells the two apart). */
bool scn_runner_steps(scn_runner_t *R);
/* 0 if the machine and the drivers are consistent (or not checked); else -1 with the
 * broken rule in `why`. */
int scn_runner_check_invariants(scn_runner_t *R, char *why, size_t size);

/* ---- the reports of a step (scn_exec_report.c) ---- */

/* The driver's log lines since the last call, at or below the scenario's level,
 * kept for the outcome as well (up to the cap); the capture restarts for the next
 * step.  malloc'd, or NULL. */
char *scn_runner_take_log(scn_runner_t *R);
/* The failure of a step: "step LABEL (op, line N, ITER): msg" in R->failure. */
void scn_runner_fail(scn_runner_t *R, const char *label, const scn_step_t *st, const char *iter, const char *msg);
/* The machine's hazard records of the failing step, into R->hazards. */
void scn_runner_keep_hazards(scn_runner_t *R);
/* The step that ran into the reports the run asked for: the --driver both record,
 * the verbose lines and the trace (each up to its cap). */
void scn_runner_step_reports(scn_runner_t *R, const char *label, const scn_step_t *st, const char *iter,
                             const scn_result_t *r, const scn_obs_t *obs, bool ok);
/* --profile (scn_exec_profile.c): a bulk step's rate, and at the end of the scenario
 * (before its machine closes) where each core's cycles went; into R->profile. */
void scn_runner_profile_step(scn_runner_t *R, const char *label, const scn_step_t *st, const char *iter,
                             const scn_result_t *r, const scn_obs_t *obs);
/* A repeat block's: the bytes its bulk steps moved, its cycles on their core. */
void scn_runner_profile_block(scn_runner_t *R, const char *label, const scn_step_t *st, const char *iter,
                              uint64_t bytes, uint64_t cycles, uint32_t core);
void scn_runner_profile_end(scn_runner_t *R);
/* Say at the end of each report what its cap left out. */
void scn_runner_note_cuts(scn_runner_t *R);
/* Hand the step that just ran (NULL st: the boot) to the per-step callback, with its
 * log lines (may be NULL); false when it asks to stop. */
bool scn_runner_hand_step(scn_runner_t *R, const char *label, const scn_step_t *st, const char *iter,
                          const scn_result_t *r, uint64_t cycles, bool ok, const char *failure, const char *log);

#endif
