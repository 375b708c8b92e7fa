/* hazard.h - the machine's hazard log: every hazard and fault the model detects, in
 * the order raised, with kind, core, addresses, cache line, step and cause; and the
 * scope that names the cause of the records a call raises (HAZARD_CAUSE).
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

/* ---- the cause of the hazards a call raises ----------------------------------------
 *
 * The cause (hazard_log_t.cause) names the call in progress on every record raised
 * meanwhile.  A call sets it for its own duration and puts the previous one back when
 * it ends, so calls nest: a HAL function names itself, inside it or not; a machine
 * path (a CPU access, SPI1, DMA) names itself only when no caller did, so that the
 * hazards of a HAL function's accesses still name that function. */

typedef struct {
    hazard_log_t *log;
    const char *outer; /* what to put back */
} hazard_cause_t;

/* `cause` names the hazards raised until hazard_cause_pop. */
static inline hazard_cause_t hazard_cause_push(hazard_log_t *log, const char *cause)
{
    hazard_cause_t s = {log, log->cause};
    log->cause = cause;
    return s;
}

/* `cause` names them unless a cause is set already (then that one stays). */
static inline hazard_cause_t hazard_cause_push_default(hazard_log_t *log, const char *cause)
{
    hazard_cause_t s = {log, log->cause};
    if (!s.outer)
        log->cause = cause;
    return s;
}

static inline void hazard_cause_pop(hazard_cause_t *s) { s->log->cause = s->outer; }

/* The rest of the enclosing block names its hazards `cause` (HAZARD_CAUSE) or, when no
 * caller named them, `cause` (HAZARD_CAUSE_DEFAULT).  The previous cause comes back
 * when the block is left, by any return. */
#define HAZARD_CAUSE(log, cause) HAZARD_CAUSE_SCOPE_(hazard_cause_push((log), (cause)))
#define HAZARD_CAUSE_DEFAULT(log, cause) HAZARD_CAUSE_SCOPE_(hazard_cause_push_default((log), (cause)))
#define HAZARD_CAUSE_SCOPE_(push)                                                  \
    hazard_cause_t hazard_cause_scope_ __attribute__((cleanup(hazard_cause_pop))) = push; \
    (void)hazard_cause_scope_

#endif
