/* scn_load.h - what the files of the scenario loader share: the loader's state and
 * the readers of each part of a scenario.  scn_load.c reads a file's scenarios and
 * their keys, scn_load_chip.c the chip and config, scn_load_steps.c steps and repeat
 * blocks, scn_load_args.c operation arguments, scn_load_expect.c expectations,
 * scn_load_names.c saved names and expressions, scn_load_value.c scalar values,
 * scn_load_errors.c the errors and the suggestions in them.  Every reader returns 0,
 * or -1 after recording its error (file:line:column); the loader goes on with the
 * next step or part, so one run reports every error of a file. */
#ifndef MMSIM_SCN_LOAD_H
#define MMSIM_SCN_LOAD_H

#include "chipdef.h"
#include "scn_buf.h"
#include "scn_arena.h"
#include "scn_model.h"
#include "scn_ops.h"
#include "scn_value.h"
#include "ydoc.h"

/* A name a step before this point saved, and what it holds. */
typedef struct {
    const char *name;
    scn_name_kind_t kind;
    bool loose;              /* saved by a step that failed to load: any use is accepted */
} scn_known_t;

/* One error: where (for file order) and its line. */
typedef struct {
    unsigned line, col;
    size_t seq;
    char *msg;
} scn_load_err_t;

/* Errors printed of one file; a line "file: and N more errors" follows. */
#define SCN_LOAD_SHOW 20

typedef struct {
    scn_arena_t *arena;
    const ydoc_t *doc;
    scn_load_err_t *errs;    /* malloc'd, in file order (scn_load_errors.c) */
    size_t nerrs, dropped, seq;
    size_t nfail;            /* errors recorded so far, repeats included: did a part fail? */
    const chipdef_t *chip;
    scn_known_t *known;      /* malloc'd; reset per scenario */
    size_t nknown, capknown;
    size_t nsteps;           /* loaded from this file so far */
} scn_loader_t;

/* ---- errors and suggestions (scn_load_errors.c) ---- */

/* Record an error at `node` (NULL: the file): always -1.  A repeat is recorded once. */
int scn_load_fail(scn_loader_t *L, const ydoc_node_t *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define scn_fail(L, node, ...) scn_load_fail((L), (node), __VA_ARGS__)
/* The errors recorded (without repeats). */
size_t scn_load_errors(const scn_loader_t *L);
/* The first SCN_LOAD_SHOW errors in file order, a line each, then "file: and N more
 * errors" if there are more. */
void scn_load_errors_text(const scn_loader_t *L, scn_buf_t *out);
void scn_load_errors_free(scn_loader_t *L);

/* The allowed name nearest a misspelt `word`: feed the candidates, then ask. */
typedef struct {
    const char *word, *best, *prefixed;
    size_t best_d, prefixes;
} scn_near_t;
void scn_near_init(scn_near_t *n, const char *word);
void scn_near_add(scn_near_t *n, const char *candidate);
/* The nearest candidate close enough (a few edits for the word's length, or the only
 * one the word begins), or NULL. */
const char *scn_near_best(const scn_near_t *n);
/* "did you mean 'X'? " (to open a parenthesis of the message), or "". */
const char *scn_near_hint(const scn_near_t *n, char *buf, size_t size);
/* The same over a NULL-terminated list of names, or a vocabulary. */
const char *scn_near_of(const char *word, const char *const *names, char *buf, size_t size);
const char *scn_near_word(const char *word, const scn_word_t *words, char *buf, size_t size);

/* ---- scalar values (scn_load_value.c) ---- */

const char *scn_kind_name(ydoc_kind_t k);
/* `node` must be a scalar (`what` names it in the error). */
int scn_need_scalar(scn_loader_t *L, const ydoc_node_t *node, const char *what);
/* Flag words of `words` (one word, a sequence of them, or a number). */
int scn_load_flags(scn_loader_t *L, const ydoc_node_t *node, const char *what, const scn_word_t *words, bool single,
                   uint32_t *out);
/* esp_err_t name, or `any` if any_ok. */
int scn_load_err(scn_loader_t *L, const ydoc_node_t *node, const char *what, bool any_ok, bool *any, int *out);
/* A text into the arena without its trailing blanks and line breaks (a folded `>`
 * or literal `|` block ends in one); NULL when out of memory. */
const char *scn_text_dup(scn_loader_t *L, const char *text);
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
/* A name a step that failed to load would have saved: known from here on, of any
 * kind (its uses are not checked), so the steps after it do not all fail on it. */
void scn_define_loose(scn_loader_t *L, const char *name);

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
