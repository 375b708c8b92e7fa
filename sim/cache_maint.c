/* cache_maint.c - cache maintenance: invalidate, write back or clean the lines of a
 * virtual range at a cache level (and the levels above it) or in chosen caches, or
 * whole caches; the entry points bus_cache_* of bus.h.  Invalidating or cleaning a
 * dirty line loses its writes (a hazard); writing one back is coherence.c's.  Cycles
 * go to the HAL's core per line visited. */
#include "bus.h"
#include "coherence.h"
#include "phys.h"

/* The caches chosen by `mask` (bit i: chip.caches[i]), upper levels first (for P4
 * level 2: the L1 caches, then L2).  Returns how many were put in `out`. */
static uint32_t mask_chain(const machine_t *m, uint32_t mask, uint32_t out[CHIPDEF_MAX_CACHES])
{
    uint32_t n = 0, top = 0;
    for (uint32_t i = 0; i < m->chip.cache_count; i++)
        if (m->chip.caches[i].level > top)
            top = m->chip.caches[i].level;
    for (uint32_t lv = 0; lv <= top; lv++)
        for (uint32_t i = 0; i < m->chip.cache_count; i++)
            if (m->chip.caches[i].level == lv && (mask >> i & 1u))
                out[n++] = i;
    return n;
}

/* The caches at `level` and the levels above it. */
static uint32_t level_mask(const machine_t *m, uint32_t level)
{
    uint32_t mask = 0;
    for (uint32_t i = 0; i < m->chip.cache_count; i++)
        if (m->chip.caches[i].level <= level)
            mask |= 1u << i;
    return mask;
}

/* Write-back and clean act on dirty lines only, which an instruction cache never holds. */
static bool skips_instruction_caches(bus_cache_op_t op)
{
    return op == BUS_CACHE_WRITEBACK || op == BUS_CACHE_CLEAN;
}

static void drop_line(machine_t *m, uint32_t core, uint32_t ci, cache_t *c, cache_line_t *l)
{
    if (l->dirty)
        hazard_raise(&m->hazards, MMSIM_HAZARD_LOST_WRITE, coherence_line_site((int32_t)core, ci, c, l, l->key),
                     "%s line 0x%08x was invalidated while dirty: its writes to %s 0x%08x are lost",
                     m->chip.caches[ci].name, l->key, phys_target_name(l->target), l->paddr);
    cache_invalidate_line(c, l);
}

static uint32_t line_op(machine_t *m, uint32_t core, uint32_t ci, cache_t *c, cache_line_t *l, bus_cache_op_t op)
{
    switch (op) {
    case BUS_CACHE_WRITEBACK:
        if (!l->dirty)
            return 0;
        return coherence_writeback_line(m, core, core, ci, c, l) ? 0 : 1;
    case BUS_CACHE_CLEAN:
        if (!l->dirty)
            return 0;
        /* The line stays valid with the CPU's bytes, so the CPU goes on reading them
         * until the line is evicted or invalidated; memory never gets them. */
        hazard_raise(&m->hazards, MMSIM_HAZARD_LOST_WRITE, coherence_line_site((int32_t)core, ci, c, l, l->key),
                     "%s line 0x%08x was cleaned while dirty: its writes to %s 0x%08x will never be written back",
                     m->chip.caches[ci].name, l->key, phys_target_name(l->target), l->paddr);
        cache_set_clean(c, l);
        return 1;
    case BUS_CACHE_WRITEBACK_INVALIDATE:
        /* A line the store could not take stays dirty and valid (machine_fail). */
        if (l->dirty && coherence_writeback_line(m, core, core, ci, c, l))
            return 0;
        cache_invalidate_line(c, l);
        return 1;
    case BUS_CACHE_INVALIDATE:
        break;
    }
    drop_line(m, core, ci, c, l);
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
                               uint64_t end, bus_cache_op_t op)
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

static uint32_t range_op(machine_t *m, uint32_t mask, uint32_t vaddr, uint32_t size, bus_cache_op_t op)
{
    uint32_t chain[CHIPDEF_MAX_CACHES], n = mask_chain(m, mask, chain), done = 0;
    uint32_t core = m->hal_core;
    if (!size)
        return 0;
    uint64_t end = (uint64_t)vaddr + size;
    for (uint32_t q = 0; q < n; q++) {
        uint32_t ci = chain[q];
        if (skips_instruction_caches(op) && m->chip.caches[ci].kind == CHIPDEF_CACHE_INSTRUCTION)
            continue;
        uint32_t ls = m->chip.caches[ci].line_size;
        uint64_t first = vaddr & ~(uint64_t)(ls - 1u);
        uint64_t lines = (end - first + ls - 1u) / ls;
        bus_charge_for(m, core, MACHINE_SPENT_MAINT, lines * BUS_CACHE_OP_LINE_CYCLES);
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
    return range_op(m, level_mask(m, level), vaddr, size, BUS_CACHE_INVALIDATE);
}

uint32_t bus_cache_writeback_range(machine_t *m, uint32_t level, uint32_t vaddr, uint32_t size)
{
    return range_op(m, level_mask(m, level), vaddr, size, BUS_CACHE_WRITEBACK);
}

uint32_t bus_cache_range_in(machine_t *m, uint32_t caches, bus_cache_op_t op, uint32_t vaddr, uint32_t size)
{
    return range_op(m, caches, vaddr, size, op);
}

/* op on every valid line of the instance of cache `ci` that `core` uses; cycles to `payer`. */
static uint32_t whole_cache(machine_t *m, uint32_t core, uint32_t payer, uint32_t ci, bus_cache_op_t op)
{
    uint32_t done = 0;
    cache_t *c = m->caches[ci][core];
    uint32_t count = cache_line_count(c);
    bus_charge_for(m, payer, MACHINE_SPENT_MAINT, (uint64_t)count * BUS_CACHE_OP_LINE_CYCLES);
    for (uint32_t j = 0; j < count; j++)
        if (c->lines[j].valid)
            done += line_op(m, core, ci, c, &c->lines[j], op);
    return done;
}

static uint32_t all_op(machine_t *m, uint32_t core, uint32_t level, bus_cache_op_t op)
{
    if (!level)
        for (uint32_t i = 0; i < m->chip.cache_count; i++)
            if (m->chip.caches[i].level > level)
                level = m->chip.caches[i].level;
    uint32_t chain[CHIPDEF_MAX_CACHES], n = mask_chain(m, level_mask(m, level), chain), done = 0;
    for (uint32_t q = 0; q < n; q++) {
        uint32_t ci = chain[q];
        if (skips_instruction_caches(op) && m->chip.caches[ci].kind == CHIPDEF_CACHE_INSTRUCTION)
            continue;
        done += whole_cache(m, core, core, ci, op);
    }
    return done;
}

uint32_t bus_cache_invalidate_all(machine_t *m, uint32_t core, uint32_t level)
{
    return all_op(m, core, level, BUS_CACHE_INVALIDATE);
}

uint32_t bus_cache_writeback_all(machine_t *m, uint32_t core, uint32_t level)
{
    return all_op(m, core, level, BUS_CACHE_WRITEBACK);
}

uint32_t bus_cache_all_in(machine_t *m, uint32_t caches, bus_cache_op_t op)
{
    uint32_t chain[CHIPDEF_MAX_CACHES], n = mask_chain(m, caches, chain), done = 0;
    for (uint32_t q = 0; q < n; q++) {
        uint32_t ci = chain[q];
        if (skips_instruction_caches(op) && m->chip.caches[ci].kind == CHIPDEF_CACHE_INSTRUCTION)
            continue;
        for (uint32_t k = 0; k < m->chip.cores; k++)
            if (!k || m->caches[ci][k] != m->caches[ci][0])
                done += whole_cache(m, k, m->hal_core, ci, op);
    }
    return done;
}
