/* bus.h - the entry points of the memory hierarchy (window, bus and cache enables,
 * caches, MMU, stores), for the CPU, SPI1, DMA and cache maintenance:
 *
 *   CPU load/store/fetch:  window -> bus/cache enable -> cache(s) -> MMU -> store
 *                          (cpu_path.c; the plain hit inline below)
 *   SPI1 flash read/program/erase and DMA:  straight to the store, no cache (spi1_dma.c)
 *   cache invalidate / write-back by virtual range at a level, or whole caches
 *                          (cache_maint.c)
 *
 * The copies of a physical line (holder filters, staleness, aliases, write-back) are
 * coherence.c's, the bytes of the devices phys.c's.  The names keep the prefix bus_
 * the hierarchy had when it was one file.
 *
 * This is where the machine behaves like the hardware (fill patterns for invalid
 * accesses, stale lines served as they are, dirty lines lost on invalidate) and
 * where every hazard of the hazard table is detected and logged, and where cycles
 * are charged.  Nothing here fails on a hazard: hazards are reported, data moves as
 * on the chip.
 *
 * Model choices (the reference leaves them to us; each is the simplest that
 * reproduces the line-level bugs users report):
 * - Caches are virtually tagged: a line is found by the address the CPU used, so a
 *   hit never consults the MMU, and two aliases of one physical line are two lines.
 *   The MMU is still read on a hit, only to report hazards (use after unmap, a line
 *   left over from an older mapping).
 * - Write-back caches allocate on a store miss; write-through caches do not.
 * - A level-1 miss on a chip with a level-2 cache looks in L2 (filling it from the
 *   store on a miss); a dirty L1 victim goes to L2 if L2 holds its vaddr, else to
 *   the store.
 * - A write-back to the store goes where the MMU maps the line's vaddr when it is
 *   written back (through the table of the CPU whose cache holds it), not where the
 *   line was filled from (coherence_writeback_line).
 * - A line is "stale" once the bytes beneath it (store, or L2 for an L1 line)
 *   change to something else by any agent other than the line itself.
 * - Addresses beyond a device's size wrap, as the SPI address bits above the
 *   device size are ignored. */
#ifndef MMSIM_BUS_H
#define MMSIM_BUS_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "machine.h"

typedef enum {
    BUS_READ = 0,
    BUS_WRITE = 1,
    BUS_FETCH = 2,
} bus_op_t;

/* Cycles charged per MMU entry written and per cache line visited by a cache
 * operation.  [ASSUMPTION] register writes and ROM cache loops are not published;
 * one CPU cycle each keeps them visible without dominating SPI transfers. */
#define BUS_MMU_ENTRY_CYCLES 1u
#define BUS_CACHE_OP_LINE_CYCLES 1u
#define BUS_FAULT_CYCLES 1u
/* The memory system's cost of one CPU access to internal RAM.  [ASSUMPTION] one cycle,
 * as before this was per access; no published figure separates it from the loop's own. */
#define BUS_INTERNAL_ACCESS_CYCLES 1u


/* SPI1 flash operations (cycles on m->hal_core).  -1 for a range outside the flash
 * or, for erase, addr/len not multiples of 4 KB, or (machine_fail) for want of host
 * memory; nothing changed then. */
int bus_spi1_read(machine_t *m, uint32_t paddr, uint8_t *buf, uint32_t len);
int bus_spi1_program(machine_t *m, uint32_t paddr, const uint8_t *buf, uint32_t len);
int bus_spi1_erase(machine_t *m, uint32_t paddr, uint32_t len);

/* DMA of `target`'s physical range.  -1 for a bad target or range, or (write,
 * machine_fail) for want of host memory; nothing changed then. */
int bus_dma_read(machine_t *m, uint32_t target, uint32_t paddr, uint8_t *buf, uint32_t len);
int bus_dma_write(machine_t *m, uint32_t target, uint32_t paddr, const uint8_t *buf, uint32_t len);

/* Cache maintenance by virtual range [vaddr, vaddr+size), rounded outward to
 * lines, on every cache at `level` and the levels above it (P4 level 2: L1 first,
 * then L2), every instance.  Invalidate drops lines (a dirty one is a lost write);
 * write-back writes dirty data-cache lines down and keeps them clean and valid.
 * Cycles go to m->hal_core.  Return the number of lines acted on; a dirty line the
 * store cannot take for want of host memory stays dirty and is not counted
 * (machine_fail, m->failures). */
uint32_t bus_cache_invalidate_range(machine_t *m, uint32_t level, uint32_t vaddr, uint32_t size);
uint32_t bus_cache_writeback_range(machine_t *m, uint32_t level, uint32_t vaddr, uint32_t size);

/* Whole-cache operations on the instances `core` uses at `level` and the levels
 * above it (0: every level), upper levels first; counted as above.
 * invalidate_all is ESP32's Cache_Flush: no write-back, dirty lines are lost. */
uint32_t bus_cache_invalidate_all(machine_t *m, uint32_t core, uint32_t level);
uint32_t bus_cache_writeback_all(machine_t *m, uint32_t core, uint32_t level);

/* What a maintenance operation does to each line: drop it (a dirty one is a lost
 * write), write a dirty data line down and keep it clean and valid, clear a dirty
 * line's dirty bit without writing it (its writes are lost: the ROM's "clean"), or
 * write a dirty line down and then drop it. */
typedef enum {
    BUS_CACHE_INVALIDATE,
    BUS_CACHE_WRITEBACK,
    BUS_CACHE_CLEAN,
    BUS_CACHE_WRITEBACK_INVALIDATE,
} bus_cache_op_t;

/* `op` on the caches chosen by `caches` (bit i: chip.caches[i]; the ROM's cache maps)
 * rather than by level: by virtual range as bus_cache_*_range (rounded outward to
 * each cache's lines), or on every line of every instance.  Upper levels go first;
 * write-back and clean pass over instruction caches.  Cycles go to m->hal_core;
 * counted as above. */
uint32_t bus_cache_range_in(machine_t *m, uint32_t caches, bus_cache_op_t op, uint32_t vaddr, uint32_t size);
uint32_t bus_cache_all_in(machine_t *m, uint32_t caches, bus_cache_op_t op);

/* Charge `cycles` to `core` (used by the HAL for MMU writes). */
static inline void bus_charge(machine_t *m, uint32_t core, uint64_t cycles) { m->cycles[core] += cycles; }

/* Charge `cycles` to `core` and count them under `kind` (what --profile shows). */
static inline void bus_charge_for(machine_t *m, uint32_t core, machine_spent_t kind, uint64_t cycles)
{
    m->cycles[core] += cycles;
    m->spent[core][kind] += cycles;
}

/* Copy a piece of `n` bytes.  The sizes of CPU loads and stores compile to one move
 * each; other sizes need a call to memcpy, which only `any_size` allows (false: the
 * copy is refused, nothing is done).  Keeping the call out of the inline entry's hit
 * path spares it the saving of registers. */
static inline __attribute__((always_inline)) bool bus_copy(uint8_t *to, const uint8_t *from, uint32_t n,
                                                           bool any_size)
{
    switch (n) {
        case 1: memcpy(to, from, 1); return true;
        case 2: memcpy(to, from, 2); return true;
        case 4: memcpy(to, from, 4); return true;
        case 8: memcpy(to, from, 8); return true;
        default:
            if (any_size)
                memcpy(to, from, n);
            return any_size;
    }
}

/* What bus_try_hit returns when the line is not in the cache. */
#define BUS_TRY_MISSED UINT32_MAX

/* The fast path's short cut (inline here so that the embedding API's access
 * functions serve a hit without a call) for the commonest piece: a TLB hit, then a
 * cache hit on a line the MMU still maps there, with nothing to report (a read of a
 * line that is not stale, a store to a line already dirty in a write-back cache).
 * Does exactly what the general path (cpu_path.c) would do for it, on the piece
 * [vaddr, vaddr+n) up to the end of vaddr's line, and returns n; BUS_TRY_MISSED when
 * nothing was done because the line is not in the cache (the general path need not
 * look again); 0 (nothing done) for anything else. */
static inline __attribute__((always_inline)) uint32_t bus_try_hit(machine_t *m, uint32_t core, bus_op_t op,
                                                                   uint32_t vaddr, uint8_t *buf, uint32_t len,
                                                                   bool any_size)
{
    uint32_t shift = m->tlb_shift;
    tlb_t *t = &m->tlb[core];
    tlb_entry_t *e = tlb_slot(t, shift, vaddr);
    if (!len || !tlb_holds(e, shift, vaddr, m->mmu.gen) || !(e->quick_ops & (1u << op)))
        return 0;
    uint32_t f = op == BUS_FETCH;
    uint32_t lmask = e->line_mask[f], to_line = lmask + 1u - (vaddr & lmask);
    uint32_t n = len < to_line ? len : to_line;
    if (!(m->bus_enabled[core] & e->bus) || *e->off[f] || (e->word_only && ((vaddr | n) & 3u)))
        return 0;
    /* The hint is right if the line still holds this tag: a line that was evicted or
     * refilled since holds another one, or is invalid (CACHE_KEY_NONE). */
    cache_t *c = e->cache[f];
    cache_line_t *l = e->last[f];
    if (!l || l->key != (vaddr & ~lmask)) {
        if (!(l = cache_lookup(c, vaddr, false)))
            return BUS_TRY_MISSED;
        e->last[f] = l;
        e->last_data[f] = cache_line_data(c, l);
    }
    if (l->paddr != ((vaddr + e->pdelta) & ~lmask) || l->target != e->target)
        return 0;
    uint8_t *d = e->last_data[f] + (vaddr & lmask);
    if (op == BUS_WRITE) {
        if (!l->dirty || !bus_copy(d, buf, n, any_size)) /* the first store makes it dirty: an alias check */
            return 0;
    } else {
        if (l->stale || !bus_copy(buf, d, n, any_size))
            return 0;
    }
    cache_count_hit(c, l);
    bus_charge(m, core, e->access_cycles[f] * ((n + 3u) / 4u)); /* 4-byte accesses: see tlb_fill */
    t->hits++;
    return n;
}

/* The general CPU path (cpu_path.c), piece by piece (a piece: up to a line, window or
 * page end), by what the caller knows of the first piece: nothing (try the short cut
 * first), that bus_try_hit did not take it, or that bus_try_hit found its line absent
 * from the cache.  Each returns what bus_cpu_access does, so that bus_cpu_access can
 * end in a tail call and its hit path needs no saved registers. */
int bus_cpu_access_pieces(machine_t *m, uint32_t core, bus_op_t op, uint32_t vaddr, uint8_t *buf, uint32_t len);
int bus_cpu_access_refused(machine_t *m, uint32_t core, bus_op_t op, uint32_t vaddr, uint8_t *buf, uint32_t len);
int bus_cpu_access_missed(machine_t *m, uint32_t core, bus_op_t op, uint32_t vaddr, uint8_t *buf, uint32_t len);

/* A CPU access of `len` bytes at `vaddr` on `core` (< chip.cores).  READ and FETCH
 * fill `buf`; WRITE takes bytes from it.  The range may cross lines, pages and
 * windows; [vaddr, vaddr+len) must not wrap (the caller checks).  Kept small, so the
 * commonest access (one plain hit) costs no more than it needs.  Returns 0, or -1
 * when the model ran out of host memory on the way (machine_fail says why): the
 * access stops at that piece, the ones before it done. */
static inline __attribute__((always_inline)) int bus_cpu_access(machine_t *m, uint32_t core, bus_op_t op,
                                                                uint32_t vaddr, uint8_t *buf, uint32_t len)
{
    if (len > 8) /* a bulk access: the general path tries the short cut line by line */
        return bus_cpu_access_pieces(m, core, op, vaddr, buf, len);
    uint32_t n = m->fast_path ? bus_try_hit(m, core, op, vaddr, buf, len, false) : 0;
    if (n == len) /* the hit, or nothing to do */
        return 0;
    if (n == BUS_TRY_MISSED)
        return bus_cpu_access_missed(m, core, op, vaddr, buf, len);
    if (!n)
        return bus_cpu_access_refused(m, core, op, vaddr, buf, len);
    return bus_cpu_access_pieces(m, core, op, vaddr + n, buf + n, len - n);
}

#endif
