/* coherence.c - the scans behind coherence.h's filter checks (lines gone stale after a
 * change beneath them, alias conflicts) and the write-back of a dirty line.
 *
 * A line is stale once the bytes beneath it change (bus.h, model choices).  Two lines
 * of one level holding one physical line, one of them dirty, are an alias conflict,
 * reported when the second copy is filled or a copy first becomes dirty. */
#include "coherence.h"

#include <string.h>

#include "bus.h"
#include "phys.h"

/* The scans stay out of line even where this file calls them: the paths in front of
 * them (a write-back) run far more often than they do. */
__attribute__((noinline)) void coherence_backing_scan(machine_t *m, uint32_t target, uint32_t paddr, uint32_t len,
                                                      const uint8_t *now, const cache_line_t *skip_a,
                                                      const cache_line_t *skip_b, bool clean_only)
{
    FOR_EACH_CACHE_INSTANCE(m, i, k, c) {
        uint32_t ls = c->def.line_size, n = cache_line_count(c);
        for (uint32_t j = 0; j < n; j++) {
            cache_line_t *l = &c->lines[j];
            if (!l->valid || l->target != target || l == skip_a || l == skip_b || l->stale ||
                (clean_only && l->dirty) || !phys_overlaps(l->paddr, ls, paddr, len))
                continue;
            uint32_t lo = l->paddr > paddr ? l->paddr : paddr;
            uint32_t hi = l->paddr + ls < paddr + len ? l->paddr + ls : paddr + len;
            uint8_t fresh[CHIPDEF_MAX_LINE_SIZE]; /* hi - lo <= one line */
            const uint8_t *cmp = now ? now + (lo - paddr) : fresh;
            if (!now)
                phys_read(m, target, lo, fresh, hi - lo);
            if (memcmp(cache_line_data(c, l) + (lo - l->paddr), cmp, hi - lo))
                l->stale = true;
        }
    }
}

__attribute__((noinline)) bool coherence_alias_scan(machine_t *m, uint32_t core, uint32_t ci, cache_t *c,
                                                    cache_line_t *l)
{
    uint32_t level = m->chip.caches[ci].level;
    FOR_EACH_CACHE_INSTANCE(m, i, k, o) {
        if (m->chip.caches[i].level != level)
            continue;
        uint32_t n = cache_line_count(o);
        for (uint32_t j = 0; j < n; j++) {
            cache_line_t *x = &o->lines[j];
            if (x == l || !x->valid || x->target != l->target || !(x->dirty || l->dirty) ||
                !phys_overlaps(x->paddr, o->def.line_size, l->paddr, c->def.line_size))
                continue;
            hazard_raise(&m->hazards, MMSIM_HAZARD_ALIAS_CONFLICT,
                         coherence_line_site((int32_t)core, ci, c, l, l->key),
                         "%s line 0x%08x and %s line 0x%08x (core %u) both hold %s 0x%08x and %s is dirty",
                         m->chip.caches[ci].name, l->key, m->chip.caches[i].name, x->key, k,
                         phys_target_name(l->target), l->paddr,
                         x->dirty && l->dirty ? "each" : x->dirty ? "the second" : "the first");
            return true;
        }
    }
    return false;
}

int coherence_writeback_line(machine_t *m, uint32_t core, uint32_t payer, uint32_t ci, cache_t *c, cache_line_t *l)
{
    uint32_t ls = c->def.line_size;
    const uint8_t *d = cache_line_data(c, l);
    uint32_t next = m->chip.caches[ci].next;
    cache_line_t *nl = NULL;
    if (next) {
        cache_t *n = m->caches[next - 1][core];
        nl = cache_lookup(n, l->key, false);
        if (nl && nl->target == l->target && nl->paddr <= l->paddr &&
            l->paddr + ls <= nl->paddr + n->def.line_size) {
            memcpy(cache_line_data(n, nl) + (l->paddr - nl->paddr), d, ls);
            if (!nl->dirty) {
                cache_set_dirty(n, nl);
                coherence_check_alias(m, core, next - 1, n, nl);
            }
            bus_charge(m, payer, m->chip.caches[next - 1].hit_cycles);
        } else {
            nl = NULL;
        }
    }
    if (!nl) {
        if (phys_write(m, l->target, l->paddr, d, ls))
            return machine_fail(m, "out of host memory writing back %s line 0x%08x to %s 0x%08x (it stays dirty)",
                                m->chip.caches[ci].name, l->key, phys_target_name(l->target), l->paddr);
        bus_charge(m, payer, m->line_cycles[ci][l->target & 3u]);
    }
    cache_set_clean(c, l);
    cache_count_writeback(c);
    coherence_backing_changed(m, l->target, l->paddr, ls, d, l, nl, true);
    return 0;
}
