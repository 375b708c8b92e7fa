/* scn_load.h - what the two halves of the loader share (scn_load.c reads scenarios,
 * steps and arguments; scn_load_expect.c reads expectations). */
#ifndef MMSIM_SCN_LOAD_H
#define MMSIM_SCN_LOAD_H

#include "chipdef.h"
#include "scn_arena.h"
#include "scn_model.h"
#include "scn_ops.h"
#include "scn_value.h"
#include "ydoc.h"

/* A name a step before this point saved, and what it holds. */
typedef struct {
    const char *name;
    scn_name_kind_t kind;
} scn_known_t;

typedef struct {
    scn_arena_t *arena;
    const ydoc_t *doc;
    ydoc_err_t *err;
    const chipdef_t *chip;
    scn_known_t *known;      /* malloc'd; reset per scenario */
    size_t nknown, capknown;
    size_t nsteps;           /* loaded from this file so far */
} scn_loader_t;

/* A parse error at `node`: always -1. */
#define scn_fail(L, node, ...) ydoc_fail((L)->err, (L)->doc, (node), __VA_ARGS__)

const char *scn_kind_name(ydoc_kind_t k);
/* `node` must be a scalar (`what` names it in the error). */
int scn_need_scalar(scn_loader_t *L, const ydoc_node_t *node, const char *what);
/* An expression; every name it reads must be known, numbers or lists as used. */
int scn_load_expr(scn_loader_t *L, const ydoc_node_t *node, const char *what, const scn_expr_t **out);
/* Flag words of `words` (one word, a sequence of them, or a number). */
int scn_load_flags(scn_loader_t *L, const ydoc_node_t *node, const char *what, const scn_word_t *words, bool single,
                   uint32_t *out);
/* esp_err_t name, or `any` if any_ok. */
int scn_load_err(scn_loader_t *L, const ydoc_node_t *node, const char *what, bool any_ok, bool *any, int *out);
/* The names known so far. */
const scn_known_t *scn_known_find(const scn_loader_t *L, const char *name);

/* An `expect:` mapping for a step of `op` (NULL op: a repeat block, only `count`),
 * or the scenario's `boot:` (boot true: only log and hazards). */
int scn_load_expect(scn_loader_t *L, const ydoc_node_t *node, const scn_op_t *op, bool boot, scn_expect_t *e,
                    scn_step_t *st);

#endif
