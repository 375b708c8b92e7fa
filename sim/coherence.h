/* coherence.h - the copies of physical lines in the caches: which lines may hold a
 * physical range (the holder filters), which become stale when the bytes beneath them
 * change, which conflict as aliases of one physical line, and the write-back that
 * sends a dirty line's bytes down.
 *
 * Private to the memory hierarchy (cpu_path.c, cache_maint.c, spi1_dma.c, coherence.c).
 * The filter checks in front of the scans are inline: they run on every line fill and
 * write-back and are usually enough to rule a scan out.  The scans, which run only when
 * a filter leaves room for another holder, are out of line in coherence.c, so those
 * paths stay short. */
#ifndef MMSIM_COHERENCE_H
#define MMSIM_COHERENCE_H

#include <stdbool.h>
#include <stdint.h>

#include "machine.h"

#define COHERENCE_INTERNAL __attribute__((visibility("hidden")))

/* Every distinct cache instance `c` (a shared cache once): cache index `i`, core `k`. */
#define FOR_EACH_CACHE_INSTANCE(m, i, k, c)                                                \
    for (uint32_t i = 0; i < (m)->chip.cache_count; i++)                                   \
        for (uint32_t k = 0; k < (m)->chip.cores; k++)                                     \
            for (cache_t *c = (m)->caches[i][k]; c && (k == 0 || c != (m)->caches[i][0]); c = NULL)

/* Where a hazard about line `l` of cache `c` (index `ci`) happened. */
static inline hazard_site_t coherence_line_site(int32_t core, uint32_t ci, cache_t *c, const cache_line_t *l,
                                                uint32_t vaddr)
{
    return (hazard_site_t){core, vaddr, l->paddr, l->target, (int32_t)ci, (int32_t)cache_line_index(c, l)};
}

/* How many valid lines (at `level`, or at every level for UINT32_MAX) may hold a
 * byte of [paddr, paddr+len) of `target` (with `dirty`: dirty lines only): an upper
 * bound from the holder filters, exact enough to skip the scans below when it is 0
 * (or 1, the line asking). */
static inline uint64_t coherence_holders(const machine_t *m, uint32_t level, uint32_t target, uint32_t paddr,
                                         uint32_t len, bool dirty)
{
    if (!m->holder_key_count)
        return UINT64_MAX; /* a level without a filter: always scan */
    uint16_t *const *filter = dirty ? m->dirty_holders : m->holders;
    uint64_t n = 0, end = (uint64_t)paddr + len;
    for (uint32_t i = 0; i < m->holder_key_count; i++) {
        uint32_t lv = m->holder_keys[i].level, shift = m->holder_keys[i].shift;
        if (level != UINT32_MAX && lv != level)
            continue;
        const uint16_t *f = filter[lv];
        uint32_t mask = m->holders_mask[lv];
        /* One granule, the usual case (a line written back or a word stored), then the rest. */
        uint64_t a = paddr >> shift << shift;
        n += f[cache_holder_slot(mask, target, (uint32_t)a, shift)];
        for (a += 1u << shift; a < end; a += 1u << shift)
            n += f[cache_holder_slot(mask, target, (uint32_t)a, shift)];
    }
    return n;
}

/* coherence_holders for exactly the physical line of `l` (a line of `c`, at `level`):
 * on a level of one line size, just the line's own filter slot. */
static inline __attribute__((always_inline)) uint64_t coherence_line_holders(const machine_t *m, uint32_t level,
                                                                             const cache_t *c,
                                                                             const cache_line_t *l, bool dirty)
{
    if (level < MACHINE_MAX_LEVELS && m->holders_uniform[level] && c->holders)
        return (dirty ? c->dirty_holders : c->holders)[cache_holder_slot(c->holders_mask, l->target, l->paddr,
                                                                          c->line_shift)];
    return coherence_holders(m, level, l->target, l->paddr, c->def.line_size, dirty);
}

/* The scan behind coherence_backing_changed. */
COHERENCE_INTERNAL void coherence_backing_scan(machine_t *m, uint32_t target, uint32_t paddr, uint32_t len,
                                               const uint8_t *now, const cache_line_t *skip_a,
                                               const cache_line_t *skip_b, bool clean_only);

/* The bytes beneath [paddr, paddr+len) of `target` changed to `now` (NULL: read
 * them from the store).  Every other line (not skip_a or skip_b) holding any of them
 * with different bytes becomes stale; with `clean_only`, dirty lines are left alone
 * (their own data is newer than what a write-back of another line put beneath them).
 * The scan runs only when the holder filters leave room for another holder. */
static inline __attribute__((always_inline)) void coherence_backing_changed(machine_t *m, uint32_t target,
                                                                            uint32_t paddr, uint32_t len,
                                                                            const uint8_t *now,
                                                                            const cache_line_t *skip_a,
                                                                            const cache_line_t *skip_b,
                                                                            bool clean_only)
{
    uint32_t expected = (skip_a && skip_a->valid) + (skip_b && skip_b->valid);
    if (coherence_holders(m, UINT32_MAX, target, paddr, len, false) > expected)
        coherence_backing_scan(m, target, paddr, len, now, skip_a, skip_b, clean_only);
}

/* Another line at the same level holding the physical line of `l`, with one of
 * the two dirty, is an alias conflict: report the first found.  True if one was. */
COHERENCE_INTERNAL bool coherence_alias_scan(machine_t *m, uint32_t core, uint32_t ci, cache_t *c,
                                             cache_line_t *l);

/* coherence_alias_scan, when the holder filters leave room for a conflict: a dirty `l`
 * conflicts with any other holder; a clean one only with a dirty one (which matters
 * after ESP32's write-back sweep, where every line has a clean twin in the other CPU's
 * cache). */
static inline __attribute__((always_inline)) bool coherence_check_alias(machine_t *m, uint32_t core, uint32_t ci,
                                                                        cache_t *c, cache_line_t *l)
{
    uint32_t level = m->chip.caches[ci].level;
    if (l->dirty ? coherence_line_holders(m, level, c, l, false) <= 1
                 : coherence_line_holders(m, level, c, l, true) == 0)
        return false;
    return coherence_alias_scan(m, core, ci, c, l);
}

/* Write dirty line `l` of cache `c` (index `ci`, instance of `core`) down: into the
 * next level's line of the same virtual address if it has one, else to the store at
 * the physical address the MMU of that instance maps the line's virtual address to
 * *now* (the caches hold virtual tags), which may not be where the line was filled
 * from (writeback_remapped; the line keeps its fill address, l->paddr, for the holder
 * filters, aliases and staleness).  Through an invalid entry the bytes are lost
 * (writeback_unmapped); over bytes a DMA write put beneath the line since its fill,
 * writeback_over_dma.  The line stays valid and becomes clean; `payer` is the CPU
 * charged.  Returns 0, or -1 (machine_fail) when the store could not take the bytes:
 * the line then stays dirty. */
COHERENCE_INTERNAL int coherence_writeback_line(machine_t *m, uint32_t core, uint32_t payer, uint32_t ci,
                                                 cache_t *c, cache_line_t *l);

/* What a DMA transfer of [paddr, paddr+len) of `target` does to the lines above it,
 * as records (the data path is the caller's): a read under dirty lines (dma_stale), a
 * write under dirty lines (dma_write_dirty), either covering only part of a dirty line
 * (dma_unaligned, once per end of the range: the buffer shares a line with bytes the
 * CPU wrote); a write also
 * marks the bytes it put beneath each line, so that a later write-back over them is
 * reported (writeback_over_dma). */
COHERENCE_INTERNAL void coherence_dma(machine_t *m, bool write, uint32_t target, uint32_t paddr, uint32_t len);

#endif
