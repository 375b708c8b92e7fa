/* scn_load_expect.c - `expect:` (and `boot:`) mappings into scn_expect_t: return
 * code, the operation's outputs, hazards, cycles, rate, log text and cache statistics; a
 * repeat block's expect (count and rate). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn_load.h"

static int load_bound(scn_loader_t *L, const ydoc_node_t *v, const char *what, scn_bound_t *b)
{
    b->line = v->line;
    b->col = v->col;
    if (v->kind == YDOC_SCALAR)
        return scn_load_expr(L, v, what, &b->exact);
    if (v->kind != YDOC_MAPPING)
        return scn_fail(L, v, "%s must be a number or {min: N, max: N}, not %s", what, scn_kind_name(v->kind));
    for (size_t i = 0; i < v->count; i++) {
        const char *k = v->keys[i]->value;
        if (!strcmp(k, "min")) {
            if (scn_load_expr(L, v->items[i], "min", &b->min))
                return -1;
        } else if (!strcmp(k, "max")) {
            if (scn_load_expr(L, v->items[i], "max", &b->max))
                return -1;
        } else if (strcmp(k, "core") || strcmp(what, "cycles")) {
            static const char *const keys[] = {"min", "max", "core", NULL};
            char hint[80];
            return scn_fail(L, v->keys[i], "%s: unknown key '%s' (%sexpected min, max%s)", what, k,
                            scn_near_of(k, strcmp(what, "cycles") ? (const char *const[]){"min", "max", NULL} : keys,
                                        hint, sizeof hint),
                            strcmp(what, "cycles") ? "" : ", core");
        }
    }
    if (!b->min && !b->max)
        return scn_fail(L, v, "%s: give min, max or both", what);
    return 0;
}

/* A positive decimal number ("37.0", "84.2"), whole text; false for anything else. */
static bool decimal_of(const char *text, double *out)
{
    char *end;
    errno = 0;
    *out = strtod(text, &end);
    return text[0] >= '0' && text[0] <= '9' && !*end && !errno && *out > 0 && *out < 1e9;
}

/* rate: {figure: 37.0, unit: MB/s, tolerance: 10%}: only on the CPU's bulk steps. */
static int load_rate(scn_loader_t *L, const ydoc_node_t *v, const scn_op_t *op, scn_expect_t *e)
{
    static const char *const bulk[] = {"read", "fetch", "write", "fill", "copy", "verify", NULL};
    bool is_bulk = !op; /* a repeat block: the bytes of its bulk steps */
    for (int i = 0; op && bulk[i]; i++)
        is_bulk |= !strcmp(op->name, bulk[i]);
    if (!is_bulk)
        return scn_fail(L, v,
                        "rate: only a read, fetch, write, fill, copy, verify or a repeat block of them moves bytes "
                        "at a rate (not %s)",
                        op->name);
    if (v->kind != YDOC_MAPPING)
        return scn_fail(L, v, "rate must be a mapping such as {figure: 37.0, unit: MB/s, tolerance: 10%%}, not %s",
                        scn_kind_name(v->kind));
    e->rate_given = true;
    e->rate_line = v->line;
    e->rate_col = v->col;
    e->rate_tolerance = 0.10;
    bool figure = false;
    for (size_t i = 0; i < v->count; i++) {
        const char *k = v->keys[i]->value;
        const ydoc_node_t *x = v->items[i];
        if (x->kind != YDOC_SCALAR)
            return scn_fail(L, x, "rate: %s must be a scalar", k);
        if (!strcmp(k, "figure")) {
            if (!decimal_of(x->value, &e->rate_figure))
                return scn_fail(L, x, "rate: figure '%s' is not a positive decimal number such as 37.0", x->value);
            figure = true;
        } else if (!strcmp(k, "unit")) {
            if (strcmp(x->value, "MB/s") && strcmp(x->value, "MiB/s"))
                return scn_fail(L, x, "rate: unit '%s' is not MB/s (10^6 bytes a second) or MiB/s (2^20)", x->value);
            e->rate_mib = !strcmp(x->value, "MiB/s");
        } else if (!strcmp(k, "tolerance")) {
            size_t n = strlen(x->value);
            char num[40];
            double pct;
            if (n < 2 || n >= sizeof num || x->value[n - 1] != '%')
                return scn_fail(L, x, "rate: tolerance '%s' must be a percentage such as 10%%", x->value);
            memcpy(num, x->value, n - 1);
            num[n - 1] = 0;
            if (!decimal_of(num, &pct) || pct >= 100)
                return scn_fail(L, x, "rate: tolerance '%s' must be a percentage above 0 and below 100", x->value);
            e->rate_tolerance = pct / 100;
        } else {
            static const char *const keys[] = {"figure", "unit", "tolerance", NULL};
            char hint[80];
            return scn_fail(L, v->keys[i], "rate: unknown key '%s' (%sexpected figure, unit, tolerance)", k,
                            scn_near_of(k, keys, hint, sizeof hint));
        }
    }
    if (!figure)
        return scn_fail(L, v, "rate: missing figure (the published MB/s the step should reproduce)");
    return 0;
}

/* A hazard kind by name (-1 after an error, with the nearest kind). */
static int hazard_kind(scn_loader_t *L, const ydoc_node_t *k, bool forms)
{
    if (scn_need_scalar(L, k, "a hazard kind"))
        return -1;
    int kind = mmsim_hazard_from_name(k->value);
    if (kind >= 0)
        return kind;
    char kinds[300] = "", hint[80];
    scn_near_t n;
    scn_near_init(&n, k->value);
    for (int j = 0; j < MMSIM_HAZARD_KIND_COUNT; j++) {
        snprintf(kinds + strlen(kinds), sizeof kinds - strlen(kinds), "%s%s", j ? ", " : "",
                 mmsim_hazard_name((mmsim_hazard_kind_t)j));
        scn_near_add(&n, mmsim_hazard_name((mmsim_hazard_kind_t)j));
    }
    if (forms)
        scn_near_add(&n, "none_of");
    scn_fail(L, k, "unknown hazard kind '%s' (%skinds: %s)", k->value, scn_near_hint(&n, hint, sizeof hint), kinds);
    return -1;
}

static int load_hazards(scn_loader_t *L, const ydoc_node_t *v, scn_expect_t *e)
{
    e->haz_line = v->line;
    e->haz_col = v->col;
    e->hazards = SCN_HAZ_COUNTS;
    if (v->kind == YDOC_SCALAR) {
        if (!strcmp(v->value, "any")) {
            e->hazards = SCN_HAZ_ANY;
            return 0;
        }
        return scn_fail(L, v, "hazards must be a list of kinds ([stale_read]), a mapping of counts ({stale_read: 2}), "
                              "{none_of: [kinds]}, [] or any");
    }
    const ydoc_node_t *none_of = v->kind == YDOC_MAPPING ? ydoc_get(v, "none_of") : NULL;
    if (none_of) {
        /* kinds that must not be raised; the others may be */
        if (v->count != 1)
            return scn_fail(L, v, "hazards: none_of stands alone (the other kinds are free; counts go in a mapping "
                                  "of their own)");
        if (none_of->kind != YDOC_SEQUENCE || none_of->count == 0)
            return scn_fail(L, none_of, "hazards: none_of takes a list of kinds such as [stale_read, lost_write]");
        e->hazards = SCN_HAZ_NONE_OF;
        for (size_t i = 0; i < none_of->count; i++) {
            int kind = hazard_kind(L, none_of->items[i], false);
            if (kind < 0)
                return -1;
            e->haz_counts[kind] = 1;
        }
        return 0;
    }
    for (size_t i = 0; i < v->count; i++) {
        const ydoc_node_t *k = v->kind == YDOC_SEQUENCE ? v->items[i] : v->keys[i];
        int kind = hazard_kind(L, k, v->kind == YDOC_MAPPING);
        if (kind < 0)
            return -1;
        uint64_t n = 1;
        if (v->kind == YDOC_MAPPING) {
            const ydoc_node_t *c = v->items[i];
            if (c->kind != YDOC_SCALAR || c->quoted || !ydoc_parse_u64(c->value, &n) || n > 1000000)
                return scn_fail(L, c, "hazards: the count of %s must be a whole number", k->value);
        }
        e->haz_counts[kind] += (unsigned)n;
    }
    return 0;
}

static int load_log(scn_loader_t *L, const ydoc_node_t *v, scn_expect_t *e)
{
    e->log_given = true;
    e->log_line = v->line;
    e->log_col = v->col;
    if (v->kind == YDOC_MAPPING)
        return scn_fail(L, v, "log must be a text the log contains, a list of them, or [] for no lines");
    size_t n = v->kind == YDOC_SEQUENCE ? v->count : 1;
    e->log = scn_arena_alloc(L->arena, (n ? n : 1) * sizeof *e->log);
    if (!e->log)
        return scn_fail(L, v, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const ydoc_node_t *t = v->kind == YDOC_SEQUENCE ? v->items[i] : v;
        if (scn_need_scalar(L, t, "a log text"))
            return -1;
        if (!t->value[0])
            return scn_fail(L, t, "log: an empty text matches everything; use [] for no lines");
        if (!(e->log[e->nlog++] = scn_arena_strdup(L->arena, t->value)))
            return scn_fail(L, t, "out of memory");
    }
    return 0;
}

static int load_stats_one(scn_loader_t *L, const ydoc_node_t *v, scn_expect_stats_t *s)
{
    s->line = v->line;
    s->col = v->col;
    if (v->kind != YDOC_MAPPING)
        return scn_fail(L, v, "stats must be a mapping such as {cache: dcache, hits: 1}, not %s", scn_kind_name(v->kind));
    const ydoc_node_t *c = ydoc_get(v, "cache");
    if (!c)
        return scn_fail(L, v, "stats: name the cache (cache: ...)");
    if (scn_need_scalar(L, c, "cache"))
        return -1;
    s->cache = -1;
    char names[200] = "";
    for (uint32_t i = 0; i < L->chip->cache_count; i++) {
        snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? ", " : "", L->chip->caches[i].name);
        if (!strcmp(L->chip->caches[i].name, c->value))
            s->cache = (int)i;
    }
    if (s->cache < 0) {
        scn_near_t n;
        char hint[80];
        scn_near_init(&n, c->value);
        for (uint32_t i = 0; i < L->chip->cache_count; i++)
            scn_near_add(&n, L->chip->caches[i].name);
        return scn_fail(L, c, "stats: %s has no cache '%s' (%scaches: %s)", L->chip->name, c->value,
                        scn_near_hint(&n, hint, sizeof hint), names);
    }
    /* the chip definition is gone once the file is loaded: keep a copy of the name */
    if (!(s->cache_name = scn_arena_strdup(L->arena, L->chip->caches[s->cache].name)))
        return scn_fail(L, c, "out of memory");
    struct {
        const char *key;
        scn_bound_t *b;
    } fields[] = {{"hits", &s->hits},           {"misses", &s->misses},       {"fills", &s->fills},
                  {"writebacks", &s->writebacks}, {"evictions", &s->evictions}, {"invalidations", &s->invalidations}};
    for (size_t i = 0; i < v->count; i++) {
        const char *k = v->keys[i]->value;
        if (!strcmp(k, "cache"))
            continue;
        if (!strcmp(k, "core")) {
            if (scn_load_expr(L, v->items[i], "core", &s->core))
                return -1;
            continue;
        }
        size_t f = 0;
        while (f < sizeof fields / sizeof fields[0] && strcmp(fields[f].key, k))
            f++;
        if (f == sizeof fields / sizeof fields[0]) {
            static const char *const keys[] = {"cache", "core", "hits", "misses", "fills", "writebacks",
                                               "evictions", "invalidations", NULL};
            char hint[80];
            return scn_fail(L, v->keys[i],
                            "stats: unknown key '%s' (%sexpected cache, core, hits, misses, fills, writebacks, "
                            "evictions, invalidations)",
                            k, scn_near_of(k, keys, hint, sizeof hint));
        }
        if (load_bound(L, v->items[i], k, fields[f].b))
            return -1;
    }
    return 0;
}

static int load_stats(scn_loader_t *L, const ydoc_node_t *v, scn_expect_t *e)
{
    size_t n = v->kind == YDOC_SEQUENCE ? v->count : 1;
    if (n > SCN_MAX_STATS)
        return scn_fail(L, v->items[SCN_MAX_STATS], "stats: at most %d entries per step", SCN_MAX_STATS);
    e->stats = scn_arena_alloc(L->arena, (n ? n : 1) * sizeof *e->stats);
    if (!e->stats)
        return scn_fail(L, v, "out of memory");
    for (size_t i = 0; i < n; i++)
        if (load_stats_one(L, v->kind == YDOC_SEQUENCE ? v->items[i] : v, &e->stats[e->nstats++]))
            return -1;
    return 0;
}

/* `not:` or `any_of:` - one byte string or a list of them. */
static int load_bytes_list(scn_loader_t *L, const ydoc_node_t *v, const char *what, scn_expect_out_t *o)
{
    size_t n = v->kind == YDOC_SEQUENCE ? v->count : 1;
    if (v->kind == YDOC_MAPPING || n == 0)
        return scn_fail(L, v, "%s takes bytes or a list of them such as [\"12 34\", \"ff ff\"]", what);
    scn_bytes_t *alts = scn_arena_alloc(L->arena, n * sizeof *alts);
    if (!alts)
        return scn_fail(L, v, "out of memory");
    for (size_t i = 0; i < n; i++)
        if (scn_load_bytes(L, v->kind == YDOC_SEQUENCE ? v->items[i] : v, what, &alts[i].bytes, &alts[i].n))
            return -1;
    o->alts = alts;
    o->nalts = n;
    return 0;
}

/* bytes: {not: B | [B, ...]}, {any_of: [B, ...]} or {min: B, max: B} (per byte). */
static int load_bytes_form(scn_loader_t *L, const ydoc_node_t *v, const char *key, scn_expect_out_t *o)
{
    static const char *const forms[] = {"not", "any_of", "min", "max", NULL};
    const ydoc_node_t *not = ydoc_get(v, "not"), *any = ydoc_get(v, "any_of"), *min = ydoc_get(v, "min"),
                      *max = ydoc_get(v, "max");
    char what[40], hint[80];
    for (size_t i = 0; i < v->count; i++) {
        const char *k = v->keys[i]->value;
        size_t f = 0;
        while (forms[f] && strcmp(forms[f], k))
            f++;
        if (!forms[f])
            return scn_fail(L, v->keys[i], "%s: unknown key '%s' (%sexpected not, any_of, or min and max)", key, k,
                            scn_near_of(k, forms, hint, sizeof hint));
    }
    if ((not != NULL) + (any != NULL) + (min || max) != 1)
        return scn_fail(L, v, "%s: give one of not, any_of, or min and max", key);
    if (not) {
        o->bytes_mode = SCN_BYTES_NOT;
        snprintf(what, sizeof what, "%s: not", key);
        return load_bytes_list(L, not, what, o);
    }
    if (any) {
        o->bytes_mode = SCN_BYTES_ANY_OF;
        snprintf(what, sizeof what, "%s: any_of", key);
        return load_bytes_list(L, any, what, o);
    }
    if (!min || !max)
        return scn_fail(L, v, "%s: a range needs both min and max (bytes of the same length)", key);
    const uint8_t *hi;
    size_t nhi;
    snprintf(what, sizeof what, "%s: min", key);
    if (scn_load_bytes(L, min, what, &o->bytes, &o->nbytes))
        return -1;
    snprintf(what, sizeof what, "%s: max", key);
    if (scn_load_bytes(L, max, what, &hi, &nhi))
        return -1;
    if (nhi != o->nbytes)
        return scn_fail(L, max, "%s: max has %zu byte%s, min %zu (a range is per byte)", key, nhi, nhi == 1 ? "" : "s",
                        o->nbytes);
    for (size_t i = 0; i < nhi; i++)
        if (hi[i] < o->bytes[i])
            return scn_fail(L, max, "%s: byte %zu of max (0x%02x) is below min's (0x%02x)", key, i, hi[i],
                            o->bytes[i]);
    o->bytes_mode = SCN_BYTES_RANGE;
    o->bytes_max = hi;
    return 0;
}

static int load_output(scn_loader_t *L, const ydoc_node_t *v, const scn_out_spec_t *spec, scn_expect_out_t *o)
{
    o->given = true;
    o->line = v->line;
    o->col = v->col;
    switch (spec->kind) {
    case SCN_OUT_NUMBER:
        return load_bound(L, v, spec->key, &o->num);
    case SCN_OUT_TARGET:
        return scn_load_flags(L, v, spec->key, scn_target_words, false, &o->flags);
    case SCN_OUT_CAPS:
        return scn_load_flags(L, v, spec->key, scn_caps_words, false, &o->flags);
    case SCN_OUT_BYTES:
        if (v->kind == YDOC_MAPPING)
            return load_bytes_form(L, v, spec->key, o);
        return scn_load_bytes(L, v, spec->key, &o->bytes, &o->nbytes);
    case SCN_OUT_TEXT:
        if (scn_need_scalar(L, v, spec->key))
            return -1;
        o->text = scn_arena_strdup(L->arena, v->value);
        return o->text ? 0 : scn_fail(L, v, "out of memory");
    default:
        return scn_fail(L, v, "%s: a handle cannot be compared; save it and use it", spec->key);
    }
}

int scn_load_expect(scn_loader_t *L, const ydoc_node_t *node, const scn_op_t *op, bool boot, scn_expect_t *e,
                    scn_step_t *st)
{
    const char *what = boot ? "boot" : "expect";
    if (node->kind != YDOC_MAPPING)
        return scn_fail(L, node, "%s must be a mapping such as {ret: ESP_OK}, not %s", what, scn_kind_name(node->kind));
    for (size_t i = 0; i < node->count; i++) {
        const char *k = node->keys[i]->value;
        const ydoc_node_t *v = node->items[i];
        int out = op ? scn_op_out_index(op, k) : -1;
        char hint[80];
        if (boot && strcmp(k, "log") && strcmp(k, "hazards") && strcmp(k, "refused"))
            return scn_fail(L, node->keys[i], "boot: unknown key '%s' (%sexpected log, hazards, refused)", k,
                            scn_near_of(k, (const char *const[]){"log", "hazards", "refused", NULL}, hint, sizeof hint));
        if (boot && !strcmp(k, "refused")) {
            if (scn_need_scalar(L, v, "refused"))
                return -1;
            if (!v->value[0])
                return scn_fail(L, v, "refused: an empty text matches every refusal; give the message's words");
            if (!(e->refused = scn_arena_strdup(L->arena, v->value)))
                return scn_fail(L, v, "out of memory");
            continue;
        }
        if (!boot && !op) {
            if (!strcmp(k, "rate")) {
                if (load_rate(L, v, NULL, e))
                    return -1;
                continue;
            }
            if (strcmp(k, "count"))
                return scn_fail(L, node->keys[i],
                                "a repeat block's expect holds only count (the iterations run) and rate (of its "
                                "bulk steps)");
            st->count_given = true;
            if (scn_load_expr(L, v, "count", &st->count))
                return -1;
            continue;
        }
        if (!strcmp(k, "ret")) {
            e->ret_given = true;
            e->ret_line = v->line;
            e->ret_col = v->col;
            const ydoc_node_t *not = v->kind == YDOC_MAPPING && v->count == 1 ? ydoc_get(v, "not") : NULL;
            if (v->kind == YDOC_MAPPING && !not)
                return scn_fail(L, v, "ret must be a return code such as ESP_OK, any, or {not: CODE}");
            e->ret_not = not != NULL;
            if (scn_load_err(L, not ? not : v, not ? "ret: not" : "ret", !not, &e->ret_any, &e->ret))
                return -1;
        } else if (!strcmp(k, "hazards")) {
            if (load_hazards(L, v, e))
                return -1;
        } else if (!strcmp(k, "log")) {
            if (load_log(L, v, e))
                return -1;
        } else if (!strcmp(k, "cycles")) {
            e->cycles_given = true;
            if (load_bound(L, v, "cycles", &e->cycles))
                return -1;
            const ydoc_node_t *core = v->kind == YDOC_MAPPING ? ydoc_get(v, "core") : NULL;
            if (core && scn_load_expr(L, core, "core", &e->cycles_core))
                return -1;
        } else if (!strcmp(k, "rate")) {
            if (load_rate(L, v, op, e))
                return -1;
        } else if (!strcmp(k, "stats")) {
            if (load_stats(L, v, e))
                return -1;
        } else if (out >= 0) {
            if (load_output(L, v, &op->outs[out], &e->outs[out]))
                return -1;
        } else {
            char outs[120] = "";
            scn_near_t n;
            scn_near_init(&n, k);
            static const char *const keys[] = {"ret", "hazards", "cycles", "rate", "log", "stats", NULL};
            for (int j = 0; keys[j]; j++)
                scn_near_add(&n, keys[j]);
            for (int j = 0; j < SCN_MAX_OUTS && op->outs[j].key; j++) {
                snprintf(outs + strlen(outs), sizeof outs - strlen(outs), ", %s", op->outs[j].key);
                scn_near_add(&n, op->outs[j].key);
            }
            return scn_fail(L, node->keys[i],
                            "expect: unknown key '%s' for %s (%sexpected ret, hazards, cycles, rate, log, stats%s)", k,
                            op->name, scn_near_hint(&n, hint, sizeof hint), outs);
        }
    }
    return 0;
}
