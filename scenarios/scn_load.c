/* scn_load.c - YAML scenarios (a ydoc tree) into scn_model.h structs: scenario keys,
 * the chip and its config (loaded once here, so a bad chip or value stops the run
 * before anything runs), steps, repeat blocks and operation arguments.  Every name a
 * step reads must have been saved by an earlier step, with the right kind. */
#include <ctype.h>
#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chipdef_load.h"
#include "esp_log.h"
#include "scn_buf.h"
#include "scn_env.h"
#include "scn_expr.h"
#include "scn_load.h"
#include "scn_suite.h"

#define MAX_REPEAT_DEPTH 8
/* Each loaded step holds about 1 KB of arguments and expectations: a file of a
 * million `- reset:` lines would take a gigabyte.  Long runs are repeat blocks. */
#define MAX_STEPS_PER_FILE 100000u

const char *scn_kind_name(ydoc_kind_t k)
{
    return k == YDOC_SCALAR ? "a scalar" : k == YDOC_MAPPING ? "a mapping" : "a sequence";
}

int scn_need_scalar(scn_loader_t *L, const ydoc_node_t *node, const char *what)
{
    if (node->kind != YDOC_SCALAR)
        return scn_fail(L, node, "%s must be a scalar, not %s", what, scn_kind_name(node->kind));
    return 0;
}

const scn_known_t *scn_known_find(const scn_loader_t *L, const char *name)
{
    for (size_t i = 0; i < L->nknown; i++)
        if (!strcmp(L->known[i].name, name))
            return &L->known[i];
    return NULL;
}

static const char *kind_words(scn_name_kind_t k)
{
    static const char *const words[] = {"a number", "a list", "a himem handle", "a himem range handle"};
    return words[k];
}

typedef struct {
    scn_loader_t *L;
    const ydoc_node_t *node;
    const char *what;
} name_check_t;

/* scn_expr_names callback: any name makes the expression non-constant. */
static int constant_name(void *ctx, const char *name, int is_list)
{
    (void)ctx, (void)name, (void)is_list;
    return -1;
}

static int check_name_use(void *ctx, const char *name, int is_list)
{
    name_check_t *c = ctx;
    const scn_known_t *k = scn_known_find(c->L, name);
    if (!k)
        return scn_fail(c->L, c->node, "%s: unknown name '%s' (no earlier step saves it)", c->what, name);
    scn_name_kind_t want = is_list ? SCN_NAME_LIST : SCN_NAME_NUMBER;
    if (k->kind != want)
        return scn_fail(c->L, c->node, "%s: '%s' holds %s, not %s", c->what, name, kind_words(k->kind),
                        kind_words(want));
    return 0;
}

int scn_load_expr(scn_loader_t *L, const ydoc_node_t *node, const char *what, const scn_expr_t **out)
{
    if (node->kind != YDOC_SCALAR)
        return scn_fail(L, node, "%s must be a number or an expression, not %s", what, scn_kind_name(node->kind));
    if (!node->value[0])
        return scn_fail(L, node, "%s: missing value", what);
    char why[300];
    if (scn_expr_parse(L->arena, node->value, out, why, sizeof why))
        return scn_fail(L, node, "%s: %s", what, why);
    name_check_t c = {L, node, what};
    return scn_expr_names(*out, check_name_use, &c);
}

int scn_load_flags(scn_loader_t *L, const ydoc_node_t *node, const char *what, const scn_word_t *words, bool single,
                   uint32_t *out)
{
    char list[200];
    scn_words_list(words, list, sizeof list);
    *out = 0;
    if (node->kind == YDOC_MAPPING || (single && node->kind == YDOC_SEQUENCE))
        return scn_fail(L, node, "%s must be %s, not %s", what, single ? "one word" : "a word or a list of words",
                        scn_kind_name(node->kind));
    size_t n = node->kind == YDOC_SEQUENCE ? node->count : 1;
    for (size_t i = 0; i < n; i++) {
        const ydoc_node_t *w = node->kind == YDOC_SEQUENCE ? node->items[i] : node;
        if (scn_need_scalar(L, w, what))
            return -1;
        uint32_t bit;
        uint64_t num;
        if (scn_word_find(words, w->value, &bit))
            *out |= bit;
        else if (!w->quoted && ydoc_parse_u64(w->value, &num) && num <= UINT32_MAX)
            *out |= (uint32_t)num;
        else if (!strcmp(w->value, "none") && n == 1)
            *out = 0;
        else
            return scn_fail(L, w, "%s: unknown word '%s' (expected %s%s, or a number)", what, w->value,
                            single ? "one of " : "", list);
    }
    return 0;
}

int scn_load_err(scn_loader_t *L, const ydoc_node_t *node, const char *what, bool any_ok, bool *any, int *out)
{
    if (scn_need_scalar(L, node, what))
        return -1;
    if (any_ok && !strcmp(node->value, "any")) {
        *any = true;
        return 0;
    }
    if (!scn_err_from_name(node->value, out))
        return scn_fail(L, node,
                        "%s: unknown return code '%s' (expected a name such as ESP_OK, ESP_ERR_INVALID_ARG, "
                        "ESP_ERR_NOT_FOUND%s)",
                        what, node->value, any_ok ? ", or any" : "");
    return 0;
}

static bool valid_name(const char *s)
{
    if (!isalpha((unsigned char)*s) && *s != '_')
        return false;
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_')
            return false;
    return strcmp(s, "count") != 0;
}

/* Record that a step saves `name` as `kind` (re-saving with another kind is an error). */
static int define_name(scn_loader_t *L, const ydoc_node_t *node, const char *key, scn_name_kind_t kind,
                       const char **out)
{
    if (scn_need_scalar(L, node, key))
        return -1;
    if (!valid_name(node->value))
        return scn_fail(L, node, "%s: '%s' is not a name (letters, digits and _, not starting with a digit; not 'count')",
                        key, node->value);
    const scn_known_t *k = scn_known_find(L, node->value);
    if (k && k->kind != kind)
        return scn_fail(L, node, "%s: '%s' already holds %s; use another name for %s", key, node->value,
                        kind_words(k->kind), kind_words(kind));
    if (!(*out = scn_arena_strdup(L->arena, node->value)))
        return scn_fail(L, node, "out of memory");
    if (k)
        return 0;
    if (scn_grow(&L->known, sizeof *L->known, &L->capknown, L->nknown + 1))
        return scn_fail(L, node, "out of memory");
    L->known[L->nknown++] = (scn_known_t){*out, kind};
    return 0;
}

/* ---- operation arguments ---- */

/* An argument without saved names has its value now: a value the run would refuse
 * (past 32 bits, a pattern past a byte, a core the chip lacks, `0 - 1`) is a load
 * error, at its line, rather than a failure after the steps before it ran. */
static int check_constant(scn_loader_t *L, const ydoc_node_t *v, const char *key, const scn_expr_t *e)
{
    if (scn_expr_names(e, constant_name, NULL))
        return 0;
    scn_env_t none = {0};
    uint64_t num;
    char why[300];
    if (scn_eval(&none, e, &num, why, sizeof why))
        return scn_fail(L, v, "%s: %s", key, why);
    if (!strcmp(key, "pattern") && num > 0xff)
        return scn_fail(L, v, "pattern: 0x%llx is not a byte (0..0xff)", (unsigned long long)num);
    if (!strcmp(key, "core") && num >= L->chip->cores)
        return scn_fail(L, v, "core: %s has no core %llu (it has %u)", L->chip->name, (unsigned long long)num,
                        L->chip->cores);
    if (strcmp(key, "seed") && num > UINT32_MAX)
        return scn_fail(L, v, "%s: 0x%llx does not fit in 32 bits", key, (unsigned long long)num);
    return 0;
}

static int load_arg(scn_loader_t *L, const scn_arg_spec_t *spec, const ydoc_node_t *v, scn_arg_t *a)
{
    a->given = true;
    a->line = v->line;
    a->col = v->col;
    char why[300];
    switch (spec->kind) {
    case SCN_ARG_NUM:
        return scn_load_expr(L, v, spec->key, &a->expr) || check_constant(L, v, spec->key, a->expr);
    case SCN_ARG_TARGET:
        return scn_load_flags(L, v, spec->key, scn_target_words, false, &a->flags);
    case SCN_ARG_CAPS:
        return scn_load_flags(L, v, spec->key, scn_caps_words, false, &a->flags);
    case SCN_ARG_MAP_FLAGS:
        return scn_load_flags(L, v, spec->key, scn_map_flag_words, false, &a->flags);
    case SCN_ARG_SYNC_FLAGS:
        return scn_load_flags(L, v, spec->key, scn_sync_flag_words, false, &a->flags);
    case SCN_ARG_VTYPE:
        return scn_load_flags(L, v, spec->key, scn_vtype_words, true, &a->flags);
    case SCN_ARG_BYTES: {
        uint8_t *b;
        if (scn_need_scalar(L, v, spec->key))
            return -1;
        if (scn_bytes_parse(L->arena, v->value, &b, &a->nbytes, why, sizeof why))
            return scn_fail(L, v, "%s: %s", spec->key, why);
        a->bytes = b;
        return 0;
    }
    case SCN_ARG_CORE:
        if (v->kind == YDOC_SCALAR && !strcmp(v->value, "all"))
            return 0; /* expr NULL: every core */
        return scn_load_expr(L, v, spec->key, &a->expr) || check_constant(L, v, spec->key, a->expr);
    case SCN_ARG_HIMEM:
    case SCN_ARG_RANGE: {
        scn_name_kind_t want = spec->kind == SCN_ARG_HIMEM ? SCN_NAME_HIMEM : SCN_NAME_RANGE;
        if (scn_need_scalar(L, v, spec->key))
            return -1;
        const scn_known_t *k = scn_known_find(L, v->value);
        if (!k)
            return scn_fail(L, v, "%s: unknown name '%s' (no earlier step saves it)", spec->key, v->value);
        if (k->kind != want)
            return scn_fail(L, v, "%s: '%s' holds %s, not %s", spec->key, v->value, kind_words(k->kind),
                            kind_words(want));
        a->name = k->name;
        return 0;
    }
    case SCN_ARG_BOOL:
        if (v->kind != YDOC_SCALAR || v->quoted || (strcmp(v->value, "true") && strcmp(v->value, "false")))
            return scn_fail(L, v, "%s must be true or false", spec->key);
        a->flag = !strcmp(v->value, "true");
        return 0;
    }
    return 0;
}

static void arg_list(const scn_op_t *op, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < SCN_MAX_ARGS && op->args[i].key && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "", op->args[i].key);
    if (!op->args[0].key)
        snprintf(buf, size, "none");
}

static int load_args(scn_loader_t *L, const ydoc_node_t *opkey, const ydoc_node_t *v, scn_step_t *st)
{
    const scn_op_t *op = st->op;
    char list[200];
    arg_list(op, list, sizeof list);
    bool empty = v->kind == YDOC_SCALAR && !v->quoted && (!v->value[0] || !strcmp(v->value, "~") ||
                                                          !strcmp(v->value, "null"));
    if (!empty && v->kind != YDOC_MAPPING)
        return scn_fail(L, v, "%s takes a mapping of arguments (%s), not %s", op->name, list, scn_kind_name(v->kind));
    for (size_t i = 0; !empty && i < v->count; i++) {
        int k = scn_op_arg_index(op, v->keys[i]->value);
        if (k < 0)
            return scn_fail(L, v->keys[i], "%s has no argument '%s' (arguments: %s)", op->name, v->keys[i]->value,
                            list);
        if (load_arg(L, &op->args[k], v->items[i], &st->args[k]))
            return -1;
    }
    /* required, one-of groups, requires/excludes */
    for (int i = 0; i < SCN_MAX_ARGS && op->args[i].key; i++) {
        const scn_arg_spec_t *s = &op->args[i];
        const scn_arg_t *a = &st->args[i];
        if (s->oneof) {
            const char *given = NULL, *names[SCN_MAX_ARGS];
            size_t nn = 0;
            for (int j = 0; j < SCN_MAX_ARGS && op->args[j].key; j++)
                if (op->args[j].oneof == s->oneof) {
                    names[nn++] = op->args[j].key;
                    if (st->args[j].given) {
                        if (given && j == i)
                            return scn_fail(L, opkey, "%s takes %s or %s, not both", op->name, given, s->key);
                        if (!given)
                            given = op->args[j].key;
                    }
                }
            if (!given && s->required) {
                char alts[160] = "";
                for (size_t n = 0; n < nn; n++)
                    snprintf(alts + strlen(alts), sizeof alts - strlen(alts), "%s%s", n ? n + 1 == nn ? " or " : ", " : "",
                             names[n]);
                return scn_fail(L, opkey, "%s needs one of the arguments %s", op->name, alts);
            }
        } else if (s->required && !a->given) {
            return scn_fail(L, opkey, "%s needs the argument '%s' (arguments: %s)", op->name, s->key, list);
        }
        if (a->given && s->requires && !st->args[scn_op_arg_index(op, s->requires)].given)
            return scn_fail(L, opkey, "%s: '%s' needs '%s' too", op->name, s->key, s->requires);
        if (a->given && s->excludes && st->args[scn_op_arg_index(op, s->excludes)].given)
            return scn_fail(L, opkey, "%s: '%s' and '%s' do not go together", op->name, s->key, s->excludes);
    }
    return 0;
}

/* ---- steps ---- */

static int load_steps(scn_loader_t *L, const ydoc_node_t *seq, int depth, scn_step_t **out, size_t *n);

/* Edit distance of two short words (0..8 counts; longer is "far"). */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), row[40];
    if (la >= 39 || lb >= 39)
        return 99;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    return row[lb];
}

/* The operation a misspelt name most likely meant (at most two edits), or NULL. */
static const char *nearest_op(const char *name)
{
    const char *best = NULL;
    size_t best_d = 3;
    for (size_t i = 0; i < scn_op_count(); i++) {
        size_t d = distance(name, scn_op_at(i)->name);
        if (d < best_d)
            best_d = d, best = scn_op_at(i)->name;
    }
    if (distance(name, "repeat") < best_d)
        best = "repeat";
    return best;
}

/* A step's optional `description:`, the sentence the view shows beside it. */
static int load_step_description(scn_loader_t *L, const ydoc_node_t *m, scn_step_t *st)
{
    const ydoc_node_t *v = ydoc_get(m, "description");
    if (!v)
        return 0;
    if (scn_need_scalar(L, v, "description"))
        return -1;
    return (st->description = scn_arena_strdup(L->arena, v->value)) ? 0 : scn_fail(L, v, "out of memory");
}

static int load_repeat(scn_loader_t *L, const ydoc_node_t *m, int depth, scn_step_t *st)
{
    static const char *const keys[] = {"repeat", "until", "index", "steps", "save", "expect", "description", NULL};
    for (size_t i = 0; i < m->count; i++) {
        size_t k = 0;
        while (keys[k] && strcmp(keys[k], m->keys[i]->value))
            k++;
        if (!keys[k])
            return scn_fail(L, m->keys[i], "unknown key '%s' in a repeat block (expected: repeat, until, index, steps, save, expect, description)",
                            m->keys[i]->value);
    }
    if (depth >= MAX_REPEAT_DEPTH)
        return scn_fail(L, m, "repeat blocks nest at most %d deep", MAX_REPEAT_DEPTH);
    if (scn_load_expr(L, ydoc_get(m, "repeat"), "repeat", &st->times))
        return -1;
    const ydoc_node_t *v;
    bool any = false;
    if ((v = ydoc_get(m, "until"))) {
        if (scn_load_err(L, v, "until", false, &any, &st->until))
            return -1;
        st->until_given = true;
    }
    const ydoc_node_t *idx = ydoc_get(m, "index");
    if (idx) {
        if (define_name(L, idx, "index", SCN_NAME_NUMBER, &st->index))
            return -1;
    } else {
        ydoc_node_t dflt = {.kind = YDOC_SCALAR, .line = m->line, .col = m->col, .value = "i"};
        if (define_name(L, &dflt, "index", SCN_NAME_NUMBER, &st->index))
            return -1;
    }
    const ydoc_node_t *body = ydoc_get(m, "steps");
    if (!body)
        return scn_fail(L, m, "a repeat block needs 'steps'");
    if (load_steps(L, body, depth + 1, &st->body, &st->nbody))
        return -1;
    if ((v = ydoc_get(m, "save")) && define_name(L, v, "save", SCN_NAME_NUMBER, &st->save))
        return -1;
    if ((v = ydoc_get(m, "expect")) && scn_load_expect(L, v, NULL, false, &st->expect, st))
        return -1;
    return load_step_description(L, m, st);
}

static int load_step(scn_loader_t *L, const ydoc_node_t *m, int depth, scn_step_t *st)
{
    st->line = m->line;
    st->col = m->col;
    if (m->kind != YDOC_MAPPING)
        return scn_fail(L, m, "a step must be a mapping such as {map: {...}}, not %s", scn_kind_name(m->kind));
    if (ydoc_get(m, "repeat"))
        return load_repeat(L, m, depth, st);
    const ydoc_node_t *opkey = NULL, *opval = NULL;
    for (size_t i = 0; i < m->count; i++) {
        const char *k = m->keys[i]->value;
        if (!strcmp(k, "save") || !strcmp(k, "append") || !strcmp(k, "expect") || !strcmp(k, "description"))
            continue;
        if (!strcmp(k, "until") || !strcmp(k, "index") || !strcmp(k, "steps"))
            return scn_fail(L, m->keys[i], "'%s' belongs to a repeat block (add 'repeat: N')", k);
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
    if (load_args(L, opkey, opval, st))
        return -1;
    const ydoc_node_t *v;
    if ((v = ydoc_get(m, "expect")) && scn_load_expect(L, v, st->op, false, &st->expect, st))
        return -1;
    const scn_out_spec_t *out = &st->op->outs[0];
    bool numeric = out->key && (out->kind == SCN_OUT_NUMBER || out->kind == SCN_OUT_TARGET || out->kind == SCN_OUT_CAPS);
    if ((v = ydoc_get(m, "save"))) {
        if (!out->key)
            return scn_fail(L, v, "save: %s has no result to save", st->op->name);
        if (!numeric && out->kind != SCN_OUT_HIMEM && out->kind != SCN_OUT_RANGE)
            return scn_fail(L, v, "save: %s's result (%s) is not a number; check it under expect instead",
                            st->op->name, out->key);
        scn_name_kind_t kind = out->kind == SCN_OUT_HIMEM   ? SCN_NAME_HIMEM
                               : out->kind == SCN_OUT_RANGE ? SCN_NAME_RANGE
                                                            : SCN_NAME_NUMBER;
        if (define_name(L, v, "save", kind, &st->save))
            return -1;
    }
    if ((v = ydoc_get(m, "append"))) {
        if (!numeric)
            return scn_fail(L, v, "append: %s has no number to append", st->op->name);
        if (define_name(L, v, "append", SCN_NAME_LIST, &st->append))
            return -1;
    }
    return load_step_description(L, m, st);
}

static int load_steps(scn_loader_t *L, const ydoc_node_t *seq, int depth, scn_step_t **out, size_t *n)
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
    for (size_t i = 0; i < seq->count; i++)
        if (load_step(L, seq->items[i], depth, &(*out)[i]))
            return -1;
    return 0;
}

/* ---- scenarios ---- */

static const char *const scenario_keys[] = {"name", "description", "chip", "config", "log_level", "boot", "steps",
                                            NULL};

static int text_field(scn_loader_t *L, const ydoc_node_t *m, const char *key, bool required, const char **out)
{
    const ydoc_node_t *v = ydoc_get(m, key);
    if (!v) {
        if (required)
            return scn_fail(L, m, "a scenario needs '%s'", key);
        return 0;
    }
    if (scn_need_scalar(L, v, key))
        return -1;
    if (strchr(v->value, '\n'))
        return scn_fail(L, v, "%s must be one line", key);
    return (*out = scn_arena_strdup(L->arena, v->value)) ? 0 : scn_fail(L, v, "out of memory");
}

static const char *dir_of(scn_arena_t *a, const char *file)
{
    const char *slash = strrchr(file, '/');
    return slash ? scn_arena_strndup(a, file, (size_t)(slash - file + 1)) : "";
}

/* A path in a scenario is relative to the scenario's folder. */
static const char *resolve_path(scn_loader_t *L, const char *path)
{
    if (path[0] == '/')
        return scn_arena_strdup(L->arena, path);
    const char *dir = dir_of(L->arena, L->doc->file);
    size_t n = strlen(dir) + strlen(path) + 1;
    char *p = scn_arena_alloc(L->arena, n);
    if (p)
        snprintf(p, n, "%s%s", dir, path);
    return p;
}

static int load_config(scn_loader_t *L, const ydoc_node_t *cfg, scn_scenario_t *sc)
{
    if (cfg->kind != YDOC_MAPPING)
        return scn_fail(L, cfg, "config must be a mapping such as {flash_size: 4M}, not %s", scn_kind_name(cfg->kind));
    if (cfg->count > sizeof sc->sets / sizeof sc->sets[0])
        return scn_fail(L, cfg, "config holds at most %zu keys", sizeof sc->sets / sizeof sc->sets[0]);
    for (size_t i = 0; i < cfg->count; i++) {
        const char *key = cfg->keys[i]->value;
        const ydoc_node_t *v = cfg->items[i];
        if (scn_need_scalar(L, v, key))
            return -1;
        if (!strcmp(key, "flash_image")) {
            if (!(sc->flash_image = resolve_path(L, v->value)))
                return scn_fail(L, v, "out of memory");
            continue;
        }
        size_t k = 0;
        while (chipdef_config_key(k) && strcmp(chipdef_config_key(k), key))
            k++;
        if (!chipdef_config_key(k)) {
            char keys[300] = "";
            for (k = 0; chipdef_config_key(k); k++)
                snprintf(keys + strlen(keys), sizeof keys - strlen(keys), "%s, ", chipdef_config_key(k));
            return scn_fail(L, cfg->keys[i], "unknown config key '%s' (expected: %sflash_image)", key, keys);
        }
        size_t n = strlen(key) + strlen(v->value) + 2;
        char *set = scn_arena_alloc(L->arena, n);
        if (!set)
            return scn_fail(L, v, "out of memory");
        snprintf(set, n, "%s=%s", key, v->value);
        sc->sets[sc->nsets++] = set;
    }
    return 0;
}

/* The image must be there and fit the flash now, not when its scenario boots.  An
 * image shorter than the flash is what esptool writes (the rest stays erased). */
static int check_flash_image(scn_loader_t *L, const ydoc_node_t *v, const char *path, const chipdef_t *chip)
{
    struct stat st;
    if (stat(path, &st))
        return scn_fail(L, v, "flash_image: cannot open %s: %s", path, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return scn_fail(L, v, "flash_image: %s is not a file", path);
    if ((uint64_t)st.st_size > chip->config.flash_size)
        return scn_fail(L, v, "flash_image: %s is %lld bytes, larger than the %u-byte flash (set flash_size)", path,
                        (long long)st.st_size, (unsigned)chip->config.flash_size);
    return 0;
}

/* Load the chip as the run will (name or path, with the config), so an unknown
 * chip or a bad config value stops everything before a step runs. */
static int load_chip(scn_loader_t *L, const ydoc_node_t *chipnode, const ydoc_node_t *cfg, scn_scenario_t *sc,
                     chipdef_t *chip)
{
    const char *name = chipnode->value; /* a scalar: load_scenario checked */
    size_t len;
    if (chipdef_builtin_find(name, &len))
        sc->chip = scn_arena_strdup(L->arena, name);
    else if (strchr(name, '/') || strstr(name, ".yaml") || strstr(name, ".yml"))
        sc->chip = resolve_path(L, name);
    else
        sc->chip = scn_arena_strdup(L->arena, name); /* chipdef_load names the built-in chips */
    if (!sc->chip)
        return scn_fail(L, chipnode, "out of memory");
    ydoc_err_t err;
    if (chipdef_load(sc->chip, sc->sets, sc->nsets, chip, &err) == 0) {
        sc->cores = chip->cores;
        return sc->flash_image ? check_flash_image(L, ydoc_get(cfg, "flash_image"), sc->flash_image, chip) : 0;
    }
    /* "<file>: --set key=value: why" points at the config value; anything else at the chip. */
    const char *set = cfg ? strstr(err.msg, "--set ") : NULL;
    if (set) {
        const char *eq = strchr(set + 6, '='), *colon = eq ? strstr(eq, ": ") : NULL;
        if (eq && colon) {
            char key[64];
            snprintf(key, sizeof key, "%.*s", (int)(eq - set - 6), set + 6);
            const ydoc_node_t *v = ydoc_get(cfg, key);
            if (v)
                return scn_fail(L, v, "config %s: %s", key, colon + 2);
        }
    }
    return scn_fail(L, chipnode, "chip %s: %s", name, err.msg);
}

static int load_log_level(scn_loader_t *L, const ydoc_node_t *v, int *out)
{
    static const char *const levels[] = {"none", "error", "warn", "info", "debug", "verbose", NULL};
    if (scn_need_scalar(L, v, "log_level"))
        return -1;
    for (int i = 0; levels[i]; i++)
        if (!strcmp(levels[i], v->value)) {
            *out = i;
            return 0;
        }
    return scn_fail(L, v, "log_level: unknown level '%s' (expected none, error, warn, info, debug or verbose)",
                    v->value);
}

/* One scenario for one chip (a `chip:` list makes one per chip). */
static int load_scenario(scn_loader_t *L, const ydoc_node_t *m, const ydoc_node_t *chipnode, bool suffix,
                         scn_scenario_t **out)
{
    scn_scenario_t *sc = scn_arena_alloc(L->arena, sizeof *sc);
    chipdef_t *chip = malloc(sizeof *chip);
    int rc = -1;
    if (!sc || !chip) {
        free(chip);
        return scn_fail(L, m, "out of memory");
    }
    L->nknown = 0;
    sc->file = L->doc->file;
    sc->line = m->line;
    sc->log_level = ESP_LOG_INFO;
    const ydoc_node_t *v;
    if (text_field(L, m, "name", true, &sc->name) || text_field(L, m, "description", false, &sc->description))
        goto out;
    if (chipnode->kind != YDOC_SCALAR) { /* a list item may be anything */
        scn_fail(L, chipnode, "chip: %s is not a chip (a built-in name such as esp32s3, or a path)",
                 scn_kind_name(chipnode->kind));
        goto out;
    }
    if (suffix) {
        size_t n = strlen(sc->name) + strlen(chipnode->value) + 4;
        char *name = scn_arena_alloc(L->arena, n);
        if (!name)
            goto out;
        snprintf(name, n, "%s [%s]", sc->name, chipnode->value);
        sc->name = name;
    }
    const ydoc_node_t *cfg = ydoc_get(m, "config");
    if ((cfg && load_config(L, cfg, sc)) || load_chip(L, chipnode, cfg, sc, chip))
        goto out;
    L->chip = chip;
    if ((v = ydoc_get(m, "log_level")) && load_log_level(L, v, &sc->log_level))
        goto out;
    if ((v = ydoc_get(m, "boot")) && scn_load_expect(L, v, NULL, true, &sc->boot, NULL))
        goto out;
    if (!(v = ydoc_get(m, "steps"))) {
        scn_fail(L, m, "a scenario needs 'steps'");
        goto out;
    }
    if (load_steps(L, v, 0, &sc->steps, &sc->nsteps))
        goto out;
    *out = sc;
    rc = 0;
out:
    L->chip = NULL;
    free(chip);
    return rc;
}

static int check_scenario_keys(scn_loader_t *L, const ydoc_node_t *m)
{
    if (m->kind != YDOC_MAPPING)
        return scn_fail(L, m, "a scenario must be a mapping with name, chip and steps, not %s", scn_kind_name(m->kind));
    for (size_t i = 0; i < m->count; i++) {
        size_t k = 0;
        while (scenario_keys[k] && strcmp(scenario_keys[k], m->keys[i]->value))
            k++;
        if (!scenario_keys[k] && !ydoc_get(m, "steps") && (ydoc_get(m, "mmu") || ydoc_get(m, "caches")))
            return scn_fail(L, m->keys[i],
                            "unknown key '%s': this is a chip definition, not a scenario (check it with `mmsim chip "
                            "check`; a scenario names it with chip: PATH)",
                            m->keys[i]->value);
        if (!scenario_keys[k])
            return scn_fail(L, m->keys[i],
                            "unknown key '%s' in a scenario (expected: name, description, chip, config, log_level, "
                            "boot, steps)",
                            m->keys[i]->value);
    }
    if (!ydoc_get(m, "chip"))
        return scn_fail(L, m, "a scenario needs 'chip' (a built-in name such as esp32s3, a list of them, or a path)");
    return 0;
}

int scn_load_doc(scn_suite_t *s, const ydoc_t *doc, ydoc_err_t *err)
{
    scn_loader_t L = {.arena = &s->arena, .doc = doc, .err = err};
    if (!doc->root)
        return scn_fail(&L, NULL, "empty file: a scenario is a mapping with name, chip and steps");
    const ydoc_node_t *root = doc->root;
    size_t nscen = root->kind == YDOC_SEQUENCE ? root->count : 1;
    if (root->kind == YDOC_SCALAR)
        return scn_fail(&L, root, "a scenario file holds a scenario (a mapping) or a list of them, not a scalar");
    if (nscen == 0)
        return scn_fail(&L, root, "no scenarios in the list");
    scn_scenario_t **list = NULL;
    size_t count = 0, cap = 0;
    int rc = -1;
    for (size_t i = 0; i < nscen; i++) {
        const ydoc_node_t *m = root->kind == YDOC_SEQUENCE ? root->items[i] : root;
        if (check_scenario_keys(&L, m))
            goto out;
        const ydoc_node_t *chip = ydoc_get(m, "chip");
        size_t nchips = chip->kind == YDOC_SEQUENCE ? chip->count : 1;
        if (nchips == 0) {
            scn_fail(&L, chip, "chip: the list is empty");
            goto out;
        }
        for (size_t c = 0; c < nchips; c++) {
            if (scn_grow(&list, sizeof *list, &cap, count + 1)) {
                scn_fail(&L, m, "out of memory");
                goto out;
            }
            const ydoc_node_t *cn = chip->kind == YDOC_SEQUENCE ? chip->items[c] : chip;
            if (load_scenario(&L, m, cn, chip->kind == YDOC_SEQUENCE, &list[count]))
                goto out;
            list[count]->order = count;
            count++;
        }
    }
    rc = scn_suite_append(s, list, count);
    if (rc)
        scn_fail(&L, NULL, "out of memory");
out:
    free(list);
    free(L.known);
    return rc;
}
