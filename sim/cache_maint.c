/* cache_maint.c - cache maintenance: invalidate or write back the lines of a virtual
 * range at a cache level (and the levels above it), or whole caches of a core; the
 * entry points bus_cache_* of bus.h.  Invalidating a dirty line loses its writes (a
 * hazard); writing one back is coherence.c's.  Cycles go to the HAL's core per line
 * visited. */
#include "bus.h"
#include "coherence.h"
#include "phys.h"

/* Caches a maintenance operation at `level` acts on, upper levels first (for P4
 * level 2: the L1 caches, then L2).  Returns how many were put in `out`. */
static uint32_t level_chain(const machine_t *m, uint32_t level, uint32_t out[CHIPDEF_MAX_CACHES])
{
    uint32_t n = 0;
    for (uint32_t lv = 0; lv <= level; lv++)
        for (uint32_t i = 0; i < m->chip.cache_count; i++)
            if (m->chip.caches[i].level == lv)
                out[n++] = i;
    return n;
}

typedef enum { OP_INVALIDATE, OP_WRITEBACK } cache_op_t;

static uint32_t line_op(machine_t *m, uint32_t core, uint32_t ci, cache_t *c, cache_line_t *l, cache_op_t op)
{
    if (op == OP_WRITEBACK) {
        if (!l->dirty)
            return 0;
        return coherence_writeback_line(m, core, core, ci, c, l) ? 0 : 1;
    }
    if (l->dirty)
        hazard_raise(&m->hazards, MMSIM_HAZARD_LOST_WRITE, coherence_line_site((int32_t)core, ci, c, l, l->key),
                     "%s line 0x%08x was invalidated while dirty: its writes to %s 0x%08x are lost",
                     m->chip.caches[ci].name, l->key, phys_target_name(l->target), l->paddr);
    cache_invalidate_line(c, l);
    return 1;
}

/* The end of the 4 KB key chunk holding `a`, or `end` if that comes first. */
static uint64_t chunk_end(uint64_t a, uint64_t end)
{
    uint64_t next = (a | ((1u << CACHE_KEY_CHUNK_SHIFT) - 1u)) + 1u;
    return next < end ? next : end;
}

/* op on the valid lines of one cache instance whose key is in [first, end) (first
 * line aligned, end not necessarily).  Chunks of the key space that hold no valid line are skipped, and the
 * lines of the others looked up one by one, unless walking the whole cache is
 * shorter. */
static uint32_t range_op_cache(machine_t *m, uint32_t core, uint32_t ci, cache_t *c, uint64_t first,
                               uint64_t end, cache_op_t op)
{
    const uint32_t ls = 1u << c->line_shift, count = cache_line_count(c);
    bool walk = (end - first) >> CACHE_KEY_CHUNK_SHIFT >= CACHE_KEY_CHUNK_SLOTS; /* every slot, folded */
    uint64_t lookups = 0;
    for (uint64_t a = first; a < end && !walk; a = chunk_end(a, end))
        if (c->key_chunks[cache_key_chunk((uint32_t)a)] && (lookups += (chunk_end(a, end) - a + ls - 1u) / ls) > count)
            walk = true;
    uint32_t done = 0;
    if (walk) {
        for (uint32_t j = 0; j < count; j++) {
            cache_line_t *l = &c->lines[j];
            if (l->valid && l->key >= first && l->key < end)
                done += line_op(m, core, ci, c, l, op);
        }
        return done;
    }
    for (uint64_t a = first; a < end && lookups; a = chunk_end(a, end)) {
        if (!c->key_chunks[cache_key_chunk((uint32_t)a)])
            continue;
        for (uint64_t x = a, next = chunk_end(a, end); x < next; x += ls) {
            cache_line_t *l = cache_lookup(c, (uint32_t)x, false);
            if (l)
                done += line_op(m, core, ci, c, l, op);
        }
    }
    return done;
}

static uint32_t range_op(machine_t *m, uint32_t level, uint32_t vaddr, uint32_t size, cache_op_t op)
{
    uint32_t chain[CHIPDEF_MAX_CACHES], n = level_chain(m, level, chain), done = 0;
    uint32_t core = m->hal_core;
    if (!size)
        return 0;
    uint64_t end = (uint64_t)vaddr + size;
    for (uint32_t q = 0; q < n; q++) {
        uint32_t ci = chain[q];
        if (op == OP_WRITEBACK && m->chip.caches[ci].kind == CHIPDEF_CACHE_INSTRUCTION)
            continue;
        uint32_t ls = m->chip.caches[ci].line_size;
        uint64_t first = vaddr & ~(uint64_t)(ls - 1u);
        uint64_t lines = (end - first + ls - 1u) / ls;
        bus_charge(m, core, lines * BUS_CACHE_OP_LINE_CYCLES);
        for (uint32_t k = 0; k < m->chip.cores; k++) {
            cache_t *c = m->caches[ci][k];
            if (k && c == m->caches[ci][0])
                continue;
            done += range_op_cache(m, k, ci, c, first, end, op);
        }
    }
    return done;
}

uint32_t bus_cache_invalidate_range(machine_t *m, uint32_t level, uint32_t vaddr, uint32_t size)
{
    return range_op(m, level, vaddr, size, OP_INVALIDATE);
}

uint32_t bus_cache_writeback_range(machine_t *m, uint32_t level, uint32_t vaddr, uint32_t size)
{
    return range_op(m, level, vaddr, size, OP_WRITEBACK);
}

static uint32_t all_op(machine_t *m, uint32_t core, uint32_t level, cache_op_t op)
{
    if (!level)
        for (uint32_t i = 0; i < m->chip.cache_count; i++)
            if (m->chip.caches[i].level > level)
                level = m->chip.caches[i].level;
    uint32_t chain[CHIPDEF_MAX_CACHES], n = level_chain(m, level, chain), done = 0;
    for (uint32_t q = 0; q < n; q++) {
        uint32_t ci = chain[q];
        if (op == OP_WRITEBACK && m->chip.caches[ci].kind == CHIPDEF_CACHE_INSTRUCTION)
            continue;
        cache_t *c = m->caches[ci][core];
        uint32_t count = cache_line_count(c);
        bus_charge(m, core, (uint64_t)count * BUS_CACHE_OP_LINE_CYCLES);
        for (uint32_t j = 0; j < count; j++)
            if (c->lines[j].valid)
                done += line_op(m, core, ci, c, &c->lines[j], op);
    }
    return done;
}

uint32_t bus_cache_invalidate_all(machine_t *m, uint32_t core, uint32_t level)
{
    return all_op(m, core, level, OP_INVALIDATE);
}

uint32_t bus_cache_writeback_all(machine_t *m, uint32_t core, uint32_t level)
{
    return all_op(m, core, level, OP_WRITEBACK);
}
