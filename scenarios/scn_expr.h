/* scn_expr.h - the expression language of scenario arguments and expectations:
 * numbers (`4K`, `0x110000`, `65536`), saved names (`a`), list items and lengths
 * (`blocks.i`, `blocks.0`, `blocks.count`), `+`, `-`, `*` and parentheses. */
#ifndef MMSIM_SCN_EXPR_H
#define MMSIM_SCN_EXPR_H

#include <stddef.h>

#include "scn_arena.h"
#include "scn_model.h"

/* Limits that keep the recursive parser, name check and evaluator off the stack's
 * end: a scenario's expressions are a few terms long. */
#define SCN_EXPR_MAX_TERMS 100
#define SCN_EXPR_MAX_DEPTH 16
#define SCN_STR_(x) #x
#define SCN_STR(x) SCN_STR_(x)

/* Parse `text` into *out (arena memory).  0, or -1 with a message in why[size]. */
int scn_expr_parse(scn_arena_t *a, const char *text, const scn_expr_t **out, char *why, size_t size);

/* Call `fn` for every saved name the expression reads (`is_list`: used as a list). */
typedef int (*scn_expr_name_fn)(void *ctx, const char *name, int is_list);
int scn_expr_names(const scn_expr_t *e, scn_expr_name_fn fn, void *ctx);

#endif
