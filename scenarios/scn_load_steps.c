/* scn_load_steps.c - a scenario's steps: one operation a step, with its arguments
 * (scn_load_args.c), expectations (scn_load_expect.c), the name it saves or appends
 * to and its description; repeat blocks (count, until, index, nested steps); the
 * operation a misspelt name most likely meant; the bounds on nesting and on steps
 * per file. */
#include <string.h>

#include "scn_load.h"

#define MAX_REPEAT_DEPTH 8
/* Each loaded step holds about 1 KB of arguments and expectations: a file of a
 * million `- reset:` lines would take a gigabyte.  Long runs are repeat blocks. */
#define MAX_STEPS_PER_FILE 100000u

/* The operation a misspelt name most likely meant, or NULL. */
static const char *nearest_op(const char *name)
{
    scn_near_t n;
    scn_near_init(&n, name);
    for (size_t i = 0; i < scn_op_count(); i++)
        scn_near_add(&n, scn_op_at(i)->name);
    scn_near_add(&n, "repeat");
    return scn_near_best(&n);
}

/* A step's optional `description:`, the sentence the view shows beside it. */
static int load_step_description(scn_loader_t *L, const ydoc_node_t *m, scn_step_t *st)
{
    const ydoc_node_t *v = ydoc_get(m, "description");
    if (!v)
        return 0;
    if (scn_need_scalar(L, v, "description"))
        return -1;
    return (st->description = scn_text_dup(L, v->value)) ? 0 : scn_fail(L, v, "out of memory");
}

/* A repeat block: its own keys stop at the first error, but the steps inside are
 * steps of their own (each reports its errors), and its index is defined first
 * whatever failed, so that they do not all fail on it. */
static int load_repeat(scn_loader_t *L, const ydoc_node_t *m, int depth, scn_step_t *st)
{
    static const char *const keys[] = {"repeat", "until", "index", "steps", "save", "expect", "description", NULL};
    size_t failed = L->nfail;
    for (size_t i = 0; i < m->count; i++) {
        size_t k = 0;
        while (keys[k] && strcmp(keys[k], m->keys[i]->value))
            k++;
        char hint[80];
        if (!keys[k]) {
            scn_fail(L, m->keys[i],
                     "unknown key '%s' in a repeat block (%sexpected: repeat, until, index, steps, save, expect, "
                     "description)",
                     m->keys[i]->value, scn_near_of(m->keys[i]->value, keys, hint, sizeof hint));
            break;
        }
    }
    if (depth >= MAX_REPEAT_DEPTH)
        return scn_fail(L, m, "repeat blocks nest at most %d deep", MAX_REPEAT_DEPTH);
    const ydoc_node_t *v;
    bool any = false;
    if (L->nfail == failed && scn_load_expr(L, ydoc_get(m, "repeat"), "repeat", &st->times) == 0 &&
        (v = ydoc_get(m, "until"))) {
        if (scn_load_err(L, v, "until", false, &any, &st->until) == 0)
            st->until_given = true;
    }
    const ydoc_node_t *idx = ydoc_get(m, "index");
    ydoc_node_t dflt = {.kind = YDOC_SCALAR, .line = m->line, .col = m->col, .value = "i"};
    bool header_ok = L->nfail == failed;
    scn_define_name(L, idx ? idx : &dflt, "index", SCN_NAME_NUMBER, &st->index);
    header_ok = header_ok && L->nfail == failed;
    const ydoc_node_t *body = ydoc_get(m, "steps");
    if (!body)
        return scn_fail(L, m, "a repeat block needs 'steps'");
    scn_load_steps(L, body, depth + 1, &st->body, &st->nbody);
    if (!header_ok)
        return -1;
    if ((v = ydoc_get(m, "save")) && scn_define_name(L, v, "save", SCN_NAME_NUMBER, &st->save))
        return -1;
    if ((v = ydoc_get(m, "expect")) && scn_load_expect(L, v, NULL, false, &st->expect, st))
        return -1;
    if (load_step_description(L, m, st))
        return -1;
    return L->nfail != failed ? -1 : 0;
}

/* A step key that is not an operation, close to one of the keys every step takes. */
static const char *const step_keys[] = {"save", "append", "expect", "description", NULL};

static int load_step(scn_loader_t *L, const ydoc_node_t *m, int depth, scn_step_t *st)
{
    st->line = m->line;
    st->col = m->col;
    if (m->kind != YDOC_MAPPING)
        return scn_fail(L, m, "a step must be a mapping such as {map: {...}}, not %s", scn_kind_name(m->kind));
    if (ydoc_get(m, "repeat"))
        return load_repeat(L, m, depth, st);
    const ydoc_node_t *opkey = NULL, *opval = NULL;
    char hint[80];
    for (size_t i = 0; i < m->count; i++) {
        const char *k = m->keys[i]->value;
        if (!strcmp(k, "save") || !strcmp(k, "append") || !strcmp(k, "expect") || !strcmp(k, "description"))
            continue;
        if (!strcmp(k, "until") || !strcmp(k, "index") || !strcmp(k, "steps"))
            return scn_fail(L, m->keys[i], "'%s' belongs to a repeat block (add 'repeat: N')", k);
        /* `expcet:` beside an operation is a misspelt step key, not a second operation */
        bool is_op = scn_op_find(k) != NULL;
        if (!is_op && (opkey || !nearest_op(k)) && scn_near_of(k, step_keys, hint, sizeof hint)[0])
            return scn_fail(L, m->keys[i], "unknown key '%s' in a step (%sa step takes one operation and save, "
                            "append, expect, description)", k, hint);
        if (opkey)
            return scn_fail(L, m->keys[i], "a step holds one operation; '%s' and '%s' are two (start a new step with '-')",
                            opkey->value, k);
        opkey = m->keys[i];
        opval = m->items[i];
    }
    if (!opkey)
        return scn_fail(L, m, "a step needs an operation such as map, read or repeat (`mmsim run --help` lists them)");
    if (!(st->op = scn_op_find(opkey->value))) {
        const char *near = nearest_op(opkey->value);
        if (near)
            return scn_fail(L, opkey, "unknown operation '%s' (did you mean '%s'? `mmsim run --help` lists them)",
                            opkey->value, near);
        return scn_fail(L, opkey, "unknown operation '%s' (`mmsim run --help` lists them)", opkey->value);
    }
    if (st->op->esp32_only && !L->chip->himem.enabled)
        return scn_fail(L, opkey, "%s: %s has no himem (ESP32 only)", st->op->name, L->chip->name);
    if (scn_load_args(L, opkey, opval, st))
        return -1;
    char why[300];
    if (st->op->check && st->op->check(L->chip, st, why, sizeof why))
        return scn_fail(L, opkey, "%s: %s", st->op->name, why);
    const ydoc_node_t *v;
    if ((v = ydoc_get(m, "expect")) && scn_load_expect(L, v, st->op, false, &st->expect, st))
        return -1;
    const scn_out_spec_t *out = &st->op->outs[0];
    bool mapping = out->key && st->op->outs[1].key && st->op->outs[1].kind == SCN_OUT_MMAP;
    bool numeric = out->key && (out->kind == SCN_OUT_NUMBER || out->kind == SCN_OUT_TARGET || out->kind == SCN_OUT_CAPS);
    if ((v = ydoc_get(m, "save"))) {
        if (!out->key)
            return scn_fail(L, v, "save: %s has no result to save", st->op->name);
        if (!numeric && out->kind != SCN_OUT_HIMEM && out->kind != SCN_OUT_RANGE)
            return scn_fail(L, v, "save: %s's result (%s) is not a number; check it under expect instead",
                            st->op->name, out->key);
        scn_name_kind_t kind = mapping                      ? SCN_NAME_MMAP
                               : out->kind == SCN_OUT_HIMEM ? SCN_NAME_HIMEM
                               : out->kind == SCN_OUT_RANGE ? SCN_NAME_RANGE
                                                            : SCN_NAME_NUMBER;
        if (scn_define_name(L, v, "save", kind, &st->save))
            return -1;
    }
    if ((v = ydoc_get(m, "append"))) {
        if (!numeric)
            return scn_fail(L, v, "append: %s has no number to append", st->op->name);
        if (scn_define_name(L, v, "append", SCN_NAME_LIST, &st->append))
            return -1;
    }
    return load_step_description(L, m, st);
}

/* After a step failed to load: the names it would save, so the steps after it that
 * read them report their own errors, not "unknown name" each. */
static void define_loose(scn_loader_t *L, const ydoc_node_t *m)
{
    static const char *const keys[] = {"save", "append", "index", NULL};
    if (m->kind != YDOC_MAPPING)
        return;
    for (size_t k = 0; keys[k]; k++) {
        const ydoc_node_t *v = ydoc_get(m, keys[k]);
        if (v && v->kind == YDOC_SCALAR)
            scn_define_loose(L, v->value);
    }
    if (ydoc_get(m, "repeat") && !ydoc_get(m, "index"))
        scn_define_loose(L, "i");
}

int scn_load_steps(scn_loader_t *L, const ydoc_node_t *seq, int depth, scn_step_t **out, size_t *n)
{
    if (seq->kind != YDOC_SEQUENCE)
        return scn_fail(L, seq, "steps must be a sequence of steps ('- map: {...}'), not %s", scn_kind_name(seq->kind));
    if (seq->count == 0)
        return scn_fail(L, seq, "steps is empty");
    if (seq->count > MAX_STEPS_PER_FILE - L->nsteps)
        return scn_fail(L, seq->items[MAX_STEPS_PER_FILE - L->nsteps],
                        "more than %u steps in one file (a repeat block runs steps many times)", MAX_STEPS_PER_FILE);
    L->nsteps += seq->count;
    *out = scn_arena_alloc(L->arena, seq->count * sizeof **out);
    if (!*out)
        return scn_fail(L, seq, "out of memory");
    *n = seq->count;
    size_t failed = L->nfail;
    for (size_t i = 0; i < seq->count; i++)
        if (load_step(L, seq->items[i], depth, &(*out)[i]))
            define_loose(L, seq->items[i]);
    return L->nfail != failed ? -1 : 0;
}
