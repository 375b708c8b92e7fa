/* cache.c - the set-associative line container of cache.h: geometry, invalidation
 * and statistics.
 *
 * What a line fill does (lookup, victim choice, install) is inline in cache.h: it is
 * on the simulator's hot path, with a shift, a mask and a multiply to find the set, a
 * scan of `ways` lines, no division and no allocation. */
#include "cache.h"

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
    line->dma_lo = line->dma_hi = 0;
    line->lru = 0;
}

void cache_invalidate_all(cache_t *c)
{
    uint32_t n = cache_line_count(c);
    for (uint32_t i = 0; i < n; i++)
        cache_invalidate_line(c, &c->lines[i]);
}

void cache_reset_stats(cache_t *c) { memset(&c->stats, 0, sizeof c->stats); }
