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

/* Where a write-back of line `l` of cache `c` (instance `inst`) lands: the caches are
 * virtually tagged, so the bytes go where the MMU maps the line's virtual address at
 * the time of the write-back, through the table of the instance's CPU (ESP32 has one
 * per CPU), not to the physical line they were filled from.  The TLB of that CPU holds
 * the answer when it was filled in the current MMU generation (read only: its
 * counters are the CPU path's); otherwise the MMU is walked.  A physically tagged
 * cache (none of the built-in chips) writes back where it filled from. */
static mmu_xlate_t writeback_translate(machine_t *m, uint32_t inst, const cache_t *c, const cache_line_t *l,
                                       uint32_t *paddr, uint32_t *target)
{
    *paddr = l->paddr;
    *target = l->target;
    if (c->def.physically_tagged)
        return MMU_XLATE_OK;
    if (m->fast_path) {
        uint32_t shift = m->tlb_shift;
        const tlb_entry_t *e = tlb_slot(&m->tlb[inst], shift, l->key);
        if (tlb_holds(e, shift, l->key, m->mmu.gen)) {
            if (e->x >= MMU_XLATE_OK) {
                *paddr = e->pbase + (l->key & ((1u << shift) - 1u));
                *target = e->target;
            }
            return (mmu_xlate_t)e->x;
        }
    }
    return mmu_translate(&m->mmu, inst, l->key, paddr, target);
}

/* The bytes [l->dma_lo, l->dma_hi) that a DMA write put beneath line `l` after its
 * fill are about to be overwritten at `paddr` (its own physical line) by its
 * write-back: report it when the line holds other bytes there (the received data is
 * lost). */
static void writeback_over_dma_check(machine_t *m, uint32_t core, uint32_t ci, cache_t *c, const cache_line_t *l,
                                     uint32_t target, uint32_t paddr, const uint8_t *line_bytes)
{
    uint32_t lo = l->dma_lo, n = (uint32_t)l->dma_hi - lo;
    uint8_t now[CHIPDEF_MAX_LINE_SIZE];
    phys_read(m, target, paddr + lo, now, n);
    if (!memcmp(now, line_bytes + lo, n))
        return;
    hazard_raise(&m->hazards, MMSIM_HAZARD_WRITEBACK_OVER_DMA, coherence_line_site((int32_t)core, ci, c, l, l->key),
                 "%s line 0x%08x was written back over %s 0x%08x+%u, which a DMA write filled after the line "
                 "was: the received bytes are lost",
                 m->chip.caches[ci].name, l->key, phys_target_name(target), paddr + lo, n);
}

/* The write-back of `l` is done (its bytes went down, or were dropped): clean, counted,
 * nothing of DMA's left to overwrite. */
static void writeback_done(cache_t *c, cache_line_t *l)
{
    cache_set_clean(c, l);
    cache_count_writeback(c);
    l->dma_lo = l->dma_hi = 0;
}

/* Dirty line `l` of cache `ci` written into line `nl` of the next level `ni` (cache
 * `n`), which holds its virtual address: the levels are tagged with the same virtual
 * address (on P4, ESP-IDF maintains L2 by vaddr as well) and the MMU sits below the
 * last level, so the bytes go into that line whatever physical line each was filled
 * from; when the two differ the bytes now belong to another physical line. */
static void writeback_into_next(machine_t *m, uint32_t core, uint32_t payer, uint32_t ci, cache_t *c,
                                cache_line_t *l, uint32_t ni, cache_t *n, cache_line_t *nl)
{
    uint32_t ls = c->def.line_size, off = l->key - nl->key, npaddr = nl->paddr + off;
    const uint8_t *d = cache_line_data(c, l);
    bool moved = nl->target != l->target || npaddr != l->paddr;
    memcpy(cache_line_data(n, nl) + off, d, ls);
    if (moved)
        hazard_raise(&m->hazards, MMSIM_HAZARD_WRITEBACK_REMAPPED, coherence_line_site((int32_t)core, ci, c, l, l->key),
                     "%s line 0x%08x filled from %s 0x%08x was written back into %s line 0x%08x, which holds %s "
                     "0x%08x: the bytes go there and the first page never gets them",
                     m->chip.caches[ci].name, l->key, phys_target_name(l->target), l->paddr,
                     m->chip.caches[ni].name, nl->key, phys_target_name(nl->target), npaddr);
    else if (l->dma_hi) { /* what DMA brought in under both is now overwritten in nl: its write-back tells */
        uint32_t lo = off + l->dma_lo, hi = off + l->dma_hi;
        if (nl->dma_hi) {
            lo = lo < nl->dma_lo ? lo : nl->dma_lo;
            hi = hi > nl->dma_hi ? hi : nl->dma_hi;
        }
        nl->dma_lo = (uint16_t)lo;
        nl->dma_hi = (uint16_t)hi;
    }
    if (!nl->dirty) {
        cache_set_dirty(n, nl);
        coherence_check_alias(m, core, ni, n, nl);
    }
    bus_charge_for(m, payer, MACHINE_SPENT_WRITEBACK, m->chip.caches[ni].hit_cycles);
    writeback_done(c, l);
    coherence_backing_changed(m, nl->target, npaddr, ls, d, moved ? NULL : l, nl, true);
}

/* The write-back of `l` (of cache `c`, instance `inst`, no next level holding it) goes
 * anywhere but straight back where the line came from: translate its vaddr and
 * report what the bytes meet there.  Out of line: the usual write-back goes home. */
static __attribute__((noinline)) int writeback_elsewhere(machine_t *m, uint32_t core, uint32_t payer, uint32_t ci,
                                                         cache_t *c, cache_line_t *l)
{
    uint32_t ls = c->def.line_size, paddr, target;
    const uint8_t *d = cache_line_data(c, l);
    mmu_xlate_t x = writeback_translate(m, core, c, l, &paddr, &target);
    if (x < MMU_XLATE_OK) {
        /* No physical address to send the bytes to.  The chip flags an MMU entry fault
         * (S2/S3 record it with fault code 3, "writeback", in CACHE_MMU_FAULT_CONTENT,
         * and ESP-IDF's cache error interrupt panics on it); the line's bytes go
         * nowhere.  The model drops them and goes on with the line clean. */
        hazard_raise(&m->hazards, MMSIM_HAZARD_WRITEBACK_UNMAPPED, coherence_line_site((int32_t)core, ci, c, l, l->key),
                     "%s line 0x%08x (filled from %s 0x%08x) was written back through an invalid MMU entry: the "
                     "chip takes an MMU entry fault and the dirty bytes are lost",
                     m->chip.caches[ci].name, l->key, phys_target_name(l->target), l->paddr);
        bus_charge_for(m, payer, MACHINE_SPENT_FAULT, BUS_FAULT_CYCLES);
        writeback_done(c, l);
        return 0;
    }
    paddr = cache_line_addr(c, paddr);
    bool moved = paddr != l->paddr || target != l->target;
    hazard_site_t at = {(int32_t)core, l->key, paddr, target, (int32_t)ci, (int32_t)cache_line_index(c, l)};
    if (target == CHIPDEF_TARGET_FLASH) {
        /* The vaddr now maps flash, which the cache never writes (S3 flags an illegal
         * DCache write to flash): the bytes are dropped. */
        hazard_raise(&m->hazards, MMSIM_HAZARD_WRITEBACK_REMAPPED, at,
                     "%s line 0x%08x filled from %s 0x%08x was written back where the MMU maps it now, flash "
                     "0x%08x, which the cache cannot write: the bytes are lost",
                     m->chip.caches[ci].name, l->key, phys_target_name(l->target), l->paddr, paddr);
        bus_charge_for(m, payer, MACHINE_SPENT_FAULT, BUS_FAULT_CYCLES);
        writeback_done(c, l);
        return 0;
    }
    if (!moved && l->dma_hi)
        writeback_over_dma_check(m, core, ci, c, l, target, paddr, d);
    if (phys_write(m, target, paddr, d, ls))
        return machine_fail(m, "out of host memory writing back %s line 0x%08x to %s 0x%08x (it stays dirty)",
                            m->chip.caches[ci].name, l->key, phys_target_name(target), paddr);
    if (moved)
        hazard_raise(&m->hazards, MMSIM_HAZARD_WRITEBACK_REMAPPED, at,
                     "%s line 0x%08x filled from %s 0x%08x was written back to %s 0x%08x, where the MMU maps it "
                     "now: that page is overwritten and the first never gets the write",
                     m->chip.caches[ci].name, l->key, phys_target_name(l->target), l->paddr,
                     phys_target_name(target), paddr);
    bus_charge_for(m, payer, MACHINE_SPENT_WRITEBACK, m->line_cycles[ci][target & 3u]);
    writeback_done(c, l);
    /* The line keeps its fill address (its holder filters count it there), so after a
     * remapped write-back it is no holder of the physical line it wrote. */
    coherence_backing_changed(m, target, paddr, ls, d, moved ? NULL : l, NULL, true);
    return 0;
}

/* True when the TLB of `inst` proves that line `l` (of a virtually tagged cache `c`)
 * is still mapped where it was filled from, so its write-back goes straight home: the
 * usual case, a few loads and compares.  False says nothing (the general path asks
 * the MMU). */
static inline bool writeback_goes_home(machine_t *m, uint32_t inst, const cache_t *c, const cache_line_t *l)
{
    uint32_t shift = m->tlb_shift;
    const tlb_entry_t *e = tlb_slot(&m->tlb[inst], shift, l->key);
    return m->fast_path && tlb_holds(e, shift, l->key, m->mmu.gen) && e->x >= MMU_XLATE_OK &&
           e->target == l->target && cache_line_addr(c, l->key + e->pdelta) == l->paddr && !l->dma_hi;
}

int coherence_writeback_line(machine_t *m, uint32_t core, uint32_t payer, uint32_t ci, cache_t *c, cache_line_t *l)
{
    uint32_t ls = c->def.line_size;
    uint32_t next = m->chip.caches[ci].next;
    if (next) {
        cache_t *n = m->caches[next - 1][core];
        cache_line_t *nl = cache_lookup(n, l->key, false);
        if (nl && l->key - nl->key + ls <= n->def.line_size) {
            writeback_into_next(m, core, payer, ci, c, l, next - 1, n, nl);
            return 0;
        }
    }
    if (c->def.physically_tagged ? l->dma_hi != 0 : !writeback_goes_home(m, core, c, l))
        return writeback_elsewhere(m, core, payer, ci, c, l);
    const uint8_t *d = cache_line_data(c, l);
    if (phys_write(m, l->target, l->paddr, d, ls))
        return machine_fail(m, "out of host memory writing back %s line 0x%08x to %s 0x%08x (it stays dirty)",
                            m->chip.caches[ci].name, l->key, phys_target_name(l->target), l->paddr);
    bus_charge_for(m, payer, MACHINE_SPENT_WRITEBACK, m->line_cycles[ci][l->target & 3u]);
    writeback_done(c, l);
    coherence_backing_changed(m, l->target, l->paddr, ls, d, l, NULL, true);
    return 0;
}

void coherence_dma(machine_t *m, bool write, uint32_t target, uint32_t paddr, uint32_t len)
{
    if (!len || !coherence_holders(m, UINT32_MAX, target, paddr, len, false))
        return; /* no line holds a byte of it */
    uint64_t end = (uint64_t)paddr + len;
    bool head_told = false, tail_told = false;
    FOR_EACH_CACHE_INSTANCE(m, i, k, c) {
        if (!c->def.write_back)
            continue; /* its lines are never dirty, never written back */
        uint32_t ls = c->def.line_size, n = cache_line_count(c);
        int32_t core = c->def.per_core ? (int32_t)k : -1;
        for (uint32_t j = 0; j < n; j++) {
            cache_line_t *l = &c->lines[j];
            if (!l->valid || l->target != target || !phys_overlaps(l->paddr, ls, paddr, len))
                continue;
            if (l->dirty)
                hazard_raise(&m->hazards, write ? MMSIM_HAZARD_DMA_WRITE_DIRTY : MMSIM_HAZARD_DMA_STALE,
                             coherence_line_site(core, i, c, l, l->key),
                             write ? "DMA write of %s 0x%08x+%u under dirty %s line 0x%08x: its write-back will "
                                     "overwrite the new bytes, and the CPU reads its own old ones"
                                   : "DMA read of %s 0x%08x+%u while %s line 0x%08x holds newer dirty bytes "
                                     "(no write-back before the DMA)",
                             phys_target_name(target), paddr, len, m->chip.caches[i].name, l->key);
            uint32_t lo = l->paddr > paddr ? 0 : paddr - l->paddr;
            uint32_t hi = (uint64_t)l->paddr + ls < end ? ls : (uint32_t)(end - l->paddr);
            if (write) { /* what a write-back of this line would now overwrite */
                l->dma_lo = (uint16_t)(l->dma_hi && l->dma_lo < lo ? l->dma_lo : lo);
                l->dma_hi = (uint16_t)(l->dma_hi > hi ? l->dma_hi : hi);
            }
            /* The CPU's bytes beside the buffer are in use when the line is dirty: the
             * CPU wrote into it and has not written it back.  A clean copy equals
             * memory and puts nothing at risk, so it is not reported. */
            bool head = lo > 0 && !head_told, tail = hi < ls && !tail_told;
            if (!l->dirty || !(head || tail))
                continue;
            head_told |= lo > 0;
            tail_told |= hi < ls;
            hazard_raise(&m->hazards, MMSIM_HAZARD_DMA_UNALIGNED, coherence_line_site(core, i, c, l, l->key),
                         "DMA %s of %s 0x%08x+%u covers part of the %u-byte line %s 0x%08x that %s line 0x%08x "
                         "holds dirty: the buffer shares a cache line with bytes the CPU wrote",
                         write ? "write" : "read", phys_target_name(target), paddr, len, ls,
                         phys_target_name(target), l->paddr, m->chip.caches[i].name, l->key);
        }
    }
}
