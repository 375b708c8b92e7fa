/* cache.c - the set-associative line container of cache.h: geometry, lookup,
 * victim choice, install/invalidate bookkeeping and statistics.
 *
 * cache_lookup (inline in cache.h) is on the simulator's hot path: it does one
 * shift, one mask, one multiply and a scan of `ways` lines, with no division and
 * no allocation. */
#include "cache.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static bool cache_pow2(uint32_t v) { return v && !(v & (v - 1u)); }

cache_t *cache_new(const chipdef_cache_t *def)
{
    /* The loader validates geometry; checked again because a bad one would turn
     * the mask arithmetic below into silent aliasing rather than an error. */
    if (!def->ways || !cache_pow2(def->line_size) || def->size % ((uint64_t)def->ways * def->line_size))
        return NULL;
    uint32_t sets = def->size / def->ways / def->line_size;
    if (!cache_pow2(sets))
        return NULL;
    cache_t *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->def = *def;
    c->sets = sets;
    c->line_shift = (uint32_t)__builtin_ctz(def->line_size);
    c->set_mask = sets - 1u;
    size_t nlines = (size_t)sets * def->ways;
    c->lines = calloc(nlines, sizeof *c->lines);
    c->data = calloc(nlines, def->line_size);
    if (!c->lines || !c->data) {
        cache_free(c);
        return NULL;
    }
    for (size_t i = 0; i < nlines; i++)
        c->lines[i].key = CACHE_KEY_NONE;
    return c;
}

void cache_free(cache_t *c)
{
    if (!c)
        return;
    free(c->lines);
    free(c->data);
    free(c);
}

cache_line_t *cache_victim(cache_t *c, uint32_t key)
{
    /* One pass, no early exit: an invalid way has stamp 0, older than any valid one
     * (stamps start at 1), and ties go to the lowest way. */
    cache_line_t *set = cache_set_base(c, key), *oldest = set;
    uint64_t best = set[0].lru; /* kept in a register: no load in the loop's dependency chain */
    for (uint32_t w = 1; w < c->def.ways; w++)
        if (set[w].lru < best) {
            best = set[w].lru;
            oldest = &set[w];
        }
    return oldest;
}

void cache_install(cache_t *c, cache_line_t *line, uint32_t key, uint32_t paddr, uint8_t target)
{
    /* A line installed outside the key's set could never be found by lookup. */
    assert(line >= cache_set_base(c, key) && line < cache_set_base(c, key) + c->def.ways);
    if (line->valid) {
        c->stats.evictions++;
        cache_set_clean(c, line); /* the caller wrote it back (or meant to drop it) */
        if (c->holders)
            c->holders[cache_holder_slot(c->holders_mask, line->target, line->paddr, c->line_shift)]--;
        c->key_chunks[cache_key_chunk(line->key)]--;
    }
    c->stats.fills++;
    line->key = cache_line_addr(c, key);
    line->paddr = cache_line_addr(c, paddr);
    line->target = target;
    line->valid = true;
    line->dirty = false;
    line->stale = false;
    line->lru = ++c->clock;
    c->key_chunks[cache_key_chunk(line->key)]++;
    if (c->holders)
        c->holders[cache_holder_slot(c->holders_mask, target, line->paddr, c->line_shift)]++;
}

void cache_count_writeback(cache_t *c) { c->stats.writebacks++; }

void cache_invalidate_line(cache_t *c, cache_line_t *line)
{
    if (line->valid) {
        c->stats.invalidations++;
        cache_set_clean(c, line);
        if (c->holders)
            c->holders[cache_holder_slot(c->holders_mask, line->target, line->paddr, c->line_shift)]--;
        c->key_chunks[cache_key_chunk(line->key)]--;
    }
    /* dirty/stale describe the bytes of a valid line; they must not outlive it. */
    line->key = CACHE_KEY_NONE;
    line->valid = false;
    line->dirty = false;
    line->stale = false;
    line->lru = 0;
}

void cache_invalidate_all(cache_t *c)
{
    uint32_t n = cache_line_count(c);
    for (uint32_t i = 0; i < n; i++)
        cache_invalidate_line(c, &c->lines[i]);
}

void cache_reset_stats(cache_t *c) { memset(&c->stats, 0, sizeof c->stats); }
