/* viz_snapshot.h - filling the view's snapshot (viz_layout.h) from a live machine
 * through the read-only inspection API (mmsim.h, esp_private/esp_mm_inspect.h), and
 * running a scenario to the step to show.  No SDL here either.
 *
 * Runs are deterministic, so a step is reached by running the scenario from its start
 * and stopping there; stepping back is running again to an earlier step. */
#ifndef MMSIM_VIZ_SNAPSHOT_H
#define MMSIM_VIZ_SNAPSHOT_H

#include <stdbool.h>

#include "scn.h"
#include "viz_layout.h"

/* Fill *s (freed first) from the machine of `step`, which is current on this thread.
 * `prev` (may be NULL) is the snapshot after the step before: the cache line events
 * and the changed MMU entries are worked out against it.  0, or -1 out of memory. */
int viz_snapshot_take(const scn_step_info_t *step, const char *scenario, const viz_state_t *prev, viz_state_t *s);

/* What one run of a whole scenario found. */
typedef struct {
    unsigned total;             /* operations run (the last step's number) */
    int first_hazard;           /* first step with a hazard, -1 if none */
    int first_failure;          /* first step whose expectations failed, -1 if none */
    bool passed;
} viz_scan_t;

/* Run scenario `index` of the suite to its end.  0, or -1 for a bad index. */
int viz_scan(const scn_suite_t *suite, size_t index, viz_scan_t *out);

/* The snapshot after step `n` (0: the boot; past the end: the last step) of a scenario
 * of `total` steps.  0, or -1 (bad index, out of memory). */
int viz_capture(const scn_suite_t *suite, size_t index, unsigned n, unsigned total, viz_state_t *out);

/* Call fn with the snapshot after every step, the boot included, in order; fn returns
 * false to stop.  0, or -1 (bad index, out of memory). */
typedef bool (*viz_step_snapshot_fn)(const viz_state_t *s, void *ctx);
int viz_each_step(const scn_suite_t *suite, size_t index, unsigned total, viz_step_snapshot_fn fn, void *ctx);

#endif
