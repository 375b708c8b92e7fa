/* scn_suite.h - the suite's insides, shared by the loader, the file walk and the
 * runner: the arena every scenario lives in and the sorted list of scenarios. */
#ifndef MMSIM_SCN_SUITE_H
#define MMSIM_SCN_SUITE_H

#include "scn.h"
#include "scn_arena.h"
#include "scn_buf.h"
#include "scn_model.h"
#include "ydoc.h"

struct scn_suite {
    scn_arena_t arena;
    scn_scenario_t **items;   /* malloc'd array, sorted (scn_suite.c) */
    size_t count, cap;
};

/* Load every scenario of a parsed file into the suite (all or none).  0, or -1 with
 * every error found appended to `errors`, a line each in file order (at most
 * SCN_LOAD_SHOW, then a line with the count of the rest). */
int scn_load_doc(scn_suite_t *s, const ydoc_t *doc, scn_buf_t *errors);

/* Append scenarios and restore the stable order.  0, or -1 out of memory. */
int scn_suite_append(scn_suite_t *s, scn_scenario_t **items, size_t n);

#endif
