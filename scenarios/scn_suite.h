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

/* Call on_file(ctx, path, errors) for every *.yaml / *.yml below `dir`, folders in name
 * order (at most 32 deep); the sum of what it returns and of the folders that could not
 * be read (each said on `errors`). */
typedef size_t (*scn_yaml_fn)(void *ctx, const char *path, FILE *errors);
size_t scn_walk_yaml(const char *dir, FILE *errors, int depth, scn_yaml_fn on_file, void *ctx);

#endif
