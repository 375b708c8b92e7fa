/* invariant_wrap.h - what a C test tells the per-call invariant check
 * (invariant_wrap.c). */
#ifndef MMSIM_INVARIANT_WRAP_H
#define MMSIM_INVARIANT_WRAP_H

#include "mmsim.h"

/* The test breaks the rules of `m` on purpose (a mapping made through the HAL behind
 * the driver's back): driver calls on `m` are no longer checked, until it is closed. */
void invariant_wrap_allow_broken(const mmsim_t *m);

#endif
