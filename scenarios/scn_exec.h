/* scn_exec.h - the interpreter, as the runner (scn_run.c) and the reset step
 * (scn_op_machine.c) call it: runs one scenario on a fresh machine, step by step,
 * checks each step's expectations and produces its outcome.  Its files are
 * scn_exec*.c; what they share is in scn_runner.h. */
#ifndef MMSIM_SCN_EXEC_H
#define MMSIM_SCN_EXEC_H

#include <stdbool.h>

#include "scn.h"
#include "scn_model.h"
#include "scn_ops.h"

/* (Re)boot x->m for x->sc, from `flash_image` if not NULL (else the scenario's
 * image or erased flash), closing any machine x already has and forgetting the
 * himem handles of the old one.  0, or -1 with x->why set. */
int scn_exec_boot(scn_exec_t *x, const char *flash_image);

/* Run `sc` on this thread and fill *out (a heap object: scn_outcome_free). */
void scn_exec_scenario(const scn_scenario_t *sc, const scn_run_opts_t *opts, scn_outcome_t *out);

/* Run `sc` on this thread, calling fn after the boot and every operation (see
 * scn_step_through).  Returns the operations run; *passed: no step failed. */
long scn_exec_steps(const scn_scenario_t *sc, scn_step_fn fn, void *ctx, bool *passed);

#endif
