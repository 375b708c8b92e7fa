/* hazard.h - the machine's hazard log: every hazard and fault the model detects, in
 * the order raised, with kind, core, addresses, cache line, step and cause.
 *
 * The record type is the public mmsim_hazard_t.  The log keeps the first
 * HAZARD_KEEP records and counts all of them, so a runaway loop cannot exhaust
 * host memory. */
#ifndef MMSIM_HAZARD_H
#define MMSIM_HAZARD_H

#include <stddef.h>
#include <stdint.h>

#include "mmsim.h"

#define HAZARD_KEEP 65536u

typedef struct {
    mmsim_hazard_t *recs;
    size_t kept, cap;
    size_t total;
    size_t per_kind[MMSIM_HAZARD_KIND_COUNT];
    uint32_t step;         /* stamped on new records */
    const char *cause;     /* stamped on new records: the call in progress */
} hazard_log_t;

void hazard_log_fini(hazard_log_t *log);
void hazard_log_clear(hazard_log_t *log);

/* Where a hazard happened; fields not involved are -1 (core, cache, line) or 0. */
typedef struct {
    int32_t core;
    uint32_t vaddr, paddr, target;
    int32_t cache, line;
} hazard_site_t;

#define HAZARD_SITE_NONE ((hazard_site_t){-1, 0, 0, 0, -1, -1})

/* Record a hazard; `detail` is a printf format.  When the record cannot be kept
 * (log full or out of memory) it is still counted. */
void hazard_raise(hazard_log_t *log, mmsim_hazard_kind_t kind, hazard_site_t site,
                  const char *detail, ...) __attribute__((format(printf, 4, 5)));

#endif
