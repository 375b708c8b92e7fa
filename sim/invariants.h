/* invariants.h - the machine's self-check (see invariants.c). */
#ifndef MMSIM_INVARIANTS_H
#define MMSIM_INVARIANTS_H

#include <stddef.h>

#include "machine.h"

/* 0 if every rule holds, else -1 with the first broken one in `why`. */
int machine_check_invariants(const machine_t *m, char *why, size_t len);

#endif
