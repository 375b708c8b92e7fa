/* cache.h - one set-associative cache: lines with valid/dirty/stale bits, the
 * virtual (or physical) line address that tags them, the physical line they hold,
 * their bytes, true LRU replacement and statistics.
 *
 * This module is a container: it finds, picks and ages lines.  Moving bytes to and
 * from the backing store, timing and hazard detection belong to the memory hierarchy
 * (the files bus.h lists: cpu_path.c, coherence.c, cache_maint.c, spi1_dma.c), which
 * calls these functions on its access paths.  Set index is computed with a mask and a
 * shift (no division on the hot path). */
#ifndef MMSIM_CACHE_H
#define MMSIM_CACHE_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chipdef.h"

#define CACHE_KEY_CHUNK_SHIFT 12u  /* 4 KB chunks of the key space */
#define CACHE_KEY_CHUNK_SLOTS 1024u /* a power of two: 4 MB of keys before they fold */

/* The key of an invalid line.  Never line-aligned, so no lookup can match it, which
 * lets a lookup compare keys alone. */
#define CACHE_KEY_NONE 1u

typedef struct cache_line {
    uint32_t key;     /* line-aligned address the line is tagged with (vaddr, or paddr if physically
                         tagged); CACHE_KEY_NONE while invalid */
    uint32_t paddr;   /* line-aligned physical address it was filled from (its holder filters count it
                         there; a write-back goes where the MMU maps `key` then, which may differ) */
    uint8_t target;   /* CHIPDEF_TARGET_FLASH or CHIPDEF_TARGET_PSRAM */
    bool valid;
    bool dirty;
    bool stale;       /* the backing bytes changed behind the cache after the fill */
    /* [dma_lo, dma_hi): the bytes of the line (offsets) that a DMA write put beneath it
     * after its fill, which a write-back of it would overwrite; empty (0, 0) when none.
     * Kept in what was padding, so a line stays 24 bytes. */
    uint16_t dma_lo, dma_hi;
    uint64_t lru;     /* last-use stamp: smaller = older; 0 while invalid, so the first choice of a victim */
} cache_line_t;

_Static_assert(sizeof(cache_line_t) == 24, "a line is 24 bytes: the hit path's sets stay this dense");

typedef struct {
    uint64_t hits, misses, fills, writebacks, evictions, invalidations;
} cache_stats_t;

typedef struct cache {
    chipdef_cache_t def;
    uint32_t sets;
    uint32_t line_shift;  /* log2(line_size) */
    uint32_t set_mask;    /* sets - 1 */
    cache_line_t *lines;  /* sets * ways, set-major: line (set, way) at set * ways + way */
    uint8_t *data;        /* line_size bytes per line, same order */
    uint64_t clock;       /* LRU stamp source */
    cache_stats_t stats;
    /* Optional counting filters shared by the caches of one level: how many valid
     * lines of each size hold each physical line, and how many of those are dirty
     * (hashed, so a count may include strangers).  A count of 1 proves a line is the
     * only holder, and a dirty count of 0 that no line holds it dirty, which lets the
     * machine skip its alias and staleness scans; NULL: no filters. */
    uint16_t *holders;
    uint16_t *dirty_holders;
    uint32_t holders_mask;
    /* How many valid lines have a key in each 4 KB chunk of the key space (folded, so
     * a count may include strangers): a range operation skips every chunk whose count
     * is 0 instead of looking up each of its lines.  Exact per slot, kept by
     * cache_install and cache_invalidate_line, the only places a line turns valid or
     * invalid. */
    uint32_t key_chunks[CACHE_KEY_CHUNK_SLOTS];
} cache_t;

/* The key_chunks slot of a key. */
static inline uint32_t cache_key_chunk(uint32_t key)
{
    return (key >> CACHE_KEY_CHUNK_SHIFT) & (CACHE_KEY_CHUNK_SLOTS - 1u);
}

/* The filter slot of the physical line (target, paddr) of 2^shift bytes. */
static inline uint32_t cache_holder_slot(uint32_t mask, uint32_t target, uint32_t paddr, uint32_t shift)
{
    uint32_t k = (paddr >> shift) ^ (shift << 24) ^ (target << 28);
    k *= 0x9E3779B1u; /* Fibonacci hashing spreads neighbouring granules */
    return (k >> 7) & mask;
}

/* A cache with the geometry of `def` (validated by the chip loader: power-of-two
 * sets and line), every line invalid.  NULL on allocation failure. */
cache_t *cache_new(const chipdef_cache_t *def);
void cache_free(cache_t *c);

static inline uint32_t cache_line_addr(const cache_t *c, uint32_t addr)
{
    return addr & ~((1u << c->line_shift) - 1u);
}
static inline uint32_t cache_set_of(const cache_t *c, uint32_t key)
{
    return (key >> c->line_shift) & c->set_mask;
}

static inline cache_line_t *cache_set_base(cache_t *c, uint32_t key)
{
    return c->lines + (size_t)cache_set_of(c, key) * c->def.ways;
}

/* Make a line found by cache_lookup(..., false) most recently used and count a hit. */
static inline void cache_count_hit(cache_t *c, cache_line_t *line)
{
    line->lru = ++c->clock;
    c->stats.hits++;
}

/* The valid line tagged `key` (any address inside the line), or NULL.  Counts a hit
 * (and makes the line most recently used) or a miss when `count` is true.  Inline:
 * it is on every CPU access.  Invalid lines hold CACHE_KEY_NONE, so the key alone
 * decides. */
static inline cache_line_t *cache_lookup(cache_t *c, uint32_t key, bool count)
{
    uint32_t tag = cache_line_addr(c, key);
    cache_line_t *set = cache_set_base(c, key);
    for (uint32_t w = 0, ways = c->def.ways; w < ways; w++) {
        cache_line_t *l = &set[w];
        if (l->key == tag) {
            if (count)
                cache_count_hit(c, l);
            return l;
        }
    }
    if (count)
        c->stats.misses++;
    return NULL;
}

/* The way that a fill of `key` should use: an invalid way of the set if there is
 * one, else the least recently used.  Does not change anything. */
static inline cache_line_t *cache_victim(cache_t *c, uint32_t key)
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

static inline void cache_count_writeback(cache_t *c) { c->stats.writebacks++; }

/* Make a valid line dirty or clean.  Every change of a valid line's dirty bit goes
 * through these, so the dirty-holder filter stays exact. */
static inline void cache_set_dirty(cache_t *c, cache_line_t *line)
{
    if (!line->dirty && c->dirty_holders)
        c->dirty_holders[cache_holder_slot(c->holders_mask, line->target, line->paddr, c->line_shift)]++;
    line->dirty = true;
}

static inline void cache_set_clean(cache_t *c, cache_line_t *line)
{
    if (line->dirty && c->dirty_holders)
        c->dirty_holders[cache_holder_slot(c->holders_mask, line->target, line->paddr, c->line_shift)]--;
    line->dirty = false;
}

/* Mark `line` as now holding (key, paddr, target): valid, clean, not stale, most
 * recently used; counts a fill, and an eviction if it was valid before (the caller
 * writes back a dirty victim first and counts that with cache_count_writeback). */
static inline void cache_install(cache_t *c, cache_line_t *line, uint32_t key, uint32_t paddr, uint8_t target)
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
    line->dma_lo = line->dma_hi = 0;
    line->lru = ++c->clock;
    c->key_chunks[cache_key_chunk(line->key)]++;
    if (c->holders)
        c->holders[cache_holder_slot(c->holders_mask, target, line->paddr, c->line_shift)]++;
}

/* Invalidate one line (counts an invalidation if it was valid); data untouched. */
void cache_invalidate_line(cache_t *c, cache_line_t *line);

static inline uint32_t cache_line_index(const cache_t *c, const cache_line_t *line)
{
    return (uint32_t)(line - c->lines);
}
static inline uint8_t *cache_line_data(cache_t *c, const cache_line_t *line)
{
    return c->data + ((size_t)cache_line_index(c, line) << c->line_shift);
}
static inline uint32_t cache_line_count(const cache_t *c) { return c->sets * c->def.ways; }

/* Everything invalid, statistics kept. */
void cache_invalidate_all(cache_t *c);
void cache_reset_stats(cache_t *c);

#endif
