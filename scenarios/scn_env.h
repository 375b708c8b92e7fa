/* scn_env.h - the names a running scenario has saved (numbers, lists, himem
 * handles), the evaluation of expressions over them, and an expression written
 * back as text for messages. */
#ifndef MMSIM_SCN_ENV_H
#define MMSIM_SCN_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scn_model.h"

typedef struct {
    const char *name;
    scn_name_kind_t kind;
    bool set;                 /* holds a value (a handle: allocated and not freed) */
    uint64_t num;
    uint64_t *list;           /* LIST: malloc'd */
    size_t count, cap;
    void *handle;             /* HIMEM, RANGE */
    unsigned set_at;          /* line of the step that set or freed it, for messages */
} scn_name_t;

typedef struct scn_env {
    scn_name_t *names;
    size_t count, cap;
} scn_env_t;

/* The entry for `name`, created unset if absent; NULL when out of memory. */
scn_name_t *scn_env_get(scn_env_t *env, const char *name, scn_name_kind_t kind);
scn_name_t *scn_env_find(const scn_env_t *env, const char *name);
void scn_env_free(scn_env_t *env);

/* Evaluate `e`.  0 and *out, or -1 with a message in why[size] (unset name, index
 * out of range, overflow, negative result). */
int scn_eval(const scn_env_t *env, const scn_expr_t *e, uint64_t *out, char *why, size_t size);

/* Write `e` back as text (for messages). */
void scn_expr_text(const scn_expr_t *e, char *buf, size_t size);

#endif
