/* scn_load.h - what the files of the scenario loader share: the loader's state and
 * the readers of each part of a scenario.  scn_load.c reads a file's scenarios and
 * their keys, scn_load_chip.c the chip and config, scn_load_steps.c steps and repeat
 * blocks, scn_load_args.c operation arguments, scn_load_expect.c expectations,
 * scn_load_names.c saved names and expressions, scn_load_value.c scalar values.
 * Every reader returns 0, or -1 with the error (file:line:column) in L->err. */
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

/* ---- scalar values (scn_load_value.c) ---- */

const char *scn_kind_name(ydoc_kind_t k);
/* `node` must be a scalar (`what` names it in the error). */
int scn_need_scalar(scn_loader_t *L, const ydoc_node_t *node, const char *what);
/* Flag words of `words` (one word, a sequence of them, or a number). */
int scn_load_flags(scn_loader_t *L, const ydoc_node_t *node, const char *what, const scn_word_t *words, bool single,
                   uint32_t *out);
/* esp_err_t name, or `any` if any_ok. */
int scn_load_err(scn_loader_t *L, const ydoc_node_t *node, const char *what, bool any_ok, bool *any, int *out);
/* A byte string ("12 34 56 78"), into the arena. */
int scn_load_bytes(scn_loader_t *L, const ydoc_node_t *v, const char *what, const uint8_t **out, size_t *n);

/* ---- saved names and expressions (scn_load_names.c) ---- */

/* An expression; every name it reads must be known, numbers or lists as used. */
int scn_load_expr(scn_loader_t *L, const ydoc_node_t *node, const char *what, const scn_expr_t **out);
/* The names known so far. */
const scn_known_t *scn_known_find(const scn_loader_t *L, const char *name);
/* `name`, read at `node` (`what` names the reader) as a `want`: its entry, or NULL
 * after an error (no earlier step saves it, or it holds another kind). */
const scn_known_t *scn_use_name(scn_loader_t *L, const ydoc_node_t *node, const char *what, const char *name,
                                scn_name_kind_t want);
/* Record that a step saves `name` as `kind` (re-saving with another kind is an error);
 * *out is the name, in the arena. */
int scn_define_name(scn_loader_t *L, const ydoc_node_t *node, const char *key, scn_name_kind_t kind, const char **out);

/* ---- the parts of a scenario ---- */

/* `config:` into sc->sets and sc->flash_image (scn_load_chip.c). */
int scn_load_config(scn_loader_t *L, const ydoc_node_t *cfg, scn_scenario_t *sc);
/* Load the chip named at `chipnode` with the config as the run will, into *chip;
 * sets sc->chip and sc->cores.  `cfg` (or NULL) locates a bad config value
 * (scn_load_chip.c). */
int scn_load_chip(scn_loader_t *L, const ydoc_node_t *chipnode, const ydoc_node_t *cfg, scn_scenario_t *sc,
                  chipdef_t *chip);
/* A sequence of steps, `depth` repeat blocks deep, into the arena (scn_load_steps.c). */
int scn_load_steps(scn_loader_t *L, const ydoc_node_t *seq, int depth, scn_step_t **out, size_t *n);
/* The arguments `v` of the step's operation (st->op), named at `opkey`
 * (scn_load_args.c). */
int scn_load_args(scn_loader_t *L, const ydoc_node_t *opkey, const ydoc_node_t *v, scn_step_t *st);
/* An `expect:` mapping for a step of `op` (NULL op: a repeat block, only `count`),
 * or the scenario's `boot:` (boot true: only log and hazards) (scn_load_expect.c). */
int scn_load_expect(scn_loader_t *L, const ydoc_node_t *node, const scn_op_t *op, bool boot, scn_expect_t *e,
                    scn_step_t *st);

#endif
