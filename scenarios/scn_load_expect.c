/* scn_load_expect.c - `expect:` (and `boot:`) mappings into scn_expect_t: return
 * code, the operation's outputs, hazards, cycles, log text and cache statistics; a
 * repeat block's expect (only count). */
#include <stdio.h>
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
            return scn_fail(L, v->keys[i], "%s: unknown key '%s' (expected min, max%s)", what, k,
                            strcmp(what, "cycles") ? "" : ", core");
        }
    }
    if (!b->min && !b->max)
        return scn_fail(L, v, "%s: give min, max or both", what);
    return 0;
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
        return scn_fail(L, v, "hazards must be a list of kinds ([stale_read]), a mapping of counts ({stale_read: 2}), [] or any");
    }
    for (size_t i = 0; i < v->count; i++) {
        const ydoc_node_t *k = v->kind == YDOC_SEQUENCE ? v->items[i] : v->keys[i];
        if (scn_need_scalar(L, k, "a hazard kind"))
            return -1;
        int kind = mmsim_hazard_from_name(k->value);
        if (kind < 0) {
            char kinds[300] = "";
            for (int j = 0; j < MMSIM_HAZARD_KIND_COUNT; j++)
                snprintf(kinds + strlen(kinds), sizeof kinds - strlen(kinds), "%s%s", j ? ", " : "",
                         mmsim_hazard_name((mmsim_hazard_kind_t)j));
            return scn_fail(L, k, "unknown hazard kind '%s' (kinds: %s)", k->value, kinds);
        }
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
    if (s->cache < 0)
        return scn_fail(L, c, "stats: %s has no cache '%s' (caches: %s)", L->chip->name, c->value, names);
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
        if (f == sizeof fields / sizeof fields[0])
            return scn_fail(L, v->keys[i],
                            "stats: unknown key '%s' (expected cache, core, hits, misses, fills, writebacks, evictions, "
                            "invalidations)",
                            k);
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
        if (boot && strcmp(k, "log") && strcmp(k, "hazards"))
            return scn_fail(L, node->keys[i], "boot: unknown key '%s' (expected log, hazards)", k);
        if (!boot && !op) {
            if (strcmp(k, "count"))
                return scn_fail(L, node->keys[i], "a repeat block's expect holds only count (the iterations run)");
            st->count_given = true;
            if (scn_load_expr(L, v, "count", &st->count))
                return -1;
            continue;
        }
        if (!strcmp(k, "ret")) {
            e->ret_given = true;
            e->ret_line = v->line;
            e->ret_col = v->col;
            if (scn_load_err(L, v, "ret", true, &e->ret_any, &e->ret))
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
        } else if (!strcmp(k, "stats")) {
            if (load_stats(L, v, e))
                return -1;
        } else if (out >= 0) {
            if (load_output(L, v, &op->outs[out], &e->outs[out]))
                return -1;
        } else {
            char outs[120] = "";
            for (int j = 0; j < SCN_MAX_OUTS && op->outs[j].key; j++)
                snprintf(outs + strlen(outs), sizeof outs - strlen(outs), ", %s", op->outs[j].key);
            return scn_fail(L, node->keys[i], "expect: unknown key '%s' for %s (expected ret, hazards, cycles, log, stats%s)",
                            k, op->name, outs);
        }
    }
    return 0;
}
