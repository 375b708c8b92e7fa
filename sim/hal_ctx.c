/* hal_ctx.c - the per-thread current machine of the HAL and the recording of broken
 * HAL contracts and aborts. */
#include "hal_ctx.h"

static _Thread_local machine_t *bound;

/* What hal_chip() shows with no machine bound: every count, mask and flag zero, so a
 * SOC_* expression evaluates to 0/false instead of dereferencing NULL. */
static const chipdef_t no_chip;

machine_t *hal_machine(void) { return bound; }

void hal_bind(machine_t *m) { bound = m; }

const chipdef_t *hal_chip(void) { return bound ? &bound->chip : &no_chip; }

void hal_assert_fail(machine_t *m, const char *func, const char *expr)
{
    hazard_raise(&m->hazards, MMSIM_HAZARD_HAL_ASSERT, HAZARD_SITE_NONE, "%s: HAL_ASSERT(%s) failed", func,
                 expr);
}

void hal_abort(machine_t *m, const char *func, const char *why)
{
    hazard_raise(&m->hazards, MMSIM_HAZARD_ABORT, HAZARD_SITE_NONE, "%s: abort() (%s)", func, why);
}
