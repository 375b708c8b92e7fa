/* cpu_path.c - the CPU's loads, stores and fetches through the memory hierarchy:
 * decode (window table and MMU, through the per-core TLB, which it fills), the pieces
 * an access splits into (a line, window or page each), and per piece the hit, the miss
 * with its line fill from the next level or the store, the write-through, and the
 * faults an invalid access takes.  Hazards of the CPU path are detected and cycles
 * charged here; see bus.h for the model.
 *
 * The fast path (machine_t.fast_path, on unless a test turns it off): a TLB per core
 * (tlb.h) answers the window/MMU decode, and a short cut (bus_try_hit, inline in bus.h)
 * serves the commonest piece, a hit with nothing to report, without the general code.
 * Anything that can raise a hazard, move a line or fault takes the general code here
 * with the same decode, so both ways give the same data, statistics, cycles and
 * hazards. */
#include <string.h>

#include "bus.h"
#include "coherence.h"
#include "phys.h"
#include "timing.h"

/* One CPU access in progress. */
typedef struct {
    machine_t *m;
    uint32_t core;
    bus_op_t op;
    uint32_t raised; /* fault kinds already reported by this access (one report each) */
    bool failed;     /* the model could not complete a piece (machine_fail): stop */
} access_t;

static const char *const op_names[] = {"cpu read", "cpu write", "cpu fetch"};

/* One report per fault kind per access: whether `kind` was reported already, marking it
 * reported, and both at once (true the first time only). */
static inline bool reported(const access_t *a, mmsim_hazard_kind_t kind) { return a->raised & (1u << kind); }

static inline void mark_reported(access_t *a, mmsim_hazard_kind_t kind) { a->raised |= 1u << kind; }

static inline bool report_once(access_t *a, mmsim_hazard_kind_t kind)
{
    if (reported(a, kind))
        return false;
    mark_reported(a, kind);
    return true;
}

static const chipdef_spi_mem_t *spi_of(const machine_t *m, uint32_t target)
{
    return target == CHIPDEF_TARGET_PSRAM ? &m->chip.psram : &m->chip.flash;
}

static void fill_pattern(uint8_t *buf, uint32_t vaddr, uint32_t len, uint32_t pattern)
{
    for (uint32_t i = 0; i < len; i++)
        buf[i] = (uint8_t)(pattern >> (8u * ((vaddr + i) & 3u)));
}

/* Report a fault once per access, return the pattern for reads, charge a cycle. */
static void fault(access_t *a, uint32_t vaddr, uint8_t *buf, uint32_t n, uint32_t pattern,
                  mmsim_hazard_kind_t kind, const char *fmt, const char *what)
{
    machine_t *m = a->m;
    if (report_once(a, kind)) {
        uint32_t paddr = 0, target = 0;
        mmu_translate(&m->mmu, a->core, vaddr, &paddr, &target);
        hazard_raise(&m->hazards, kind, (hazard_site_t){(int32_t)a->core, vaddr, paddr, target, -1, -1},
                     fmt, op_names[a->op], vaddr, what);
    }
    if (a->op != BUS_WRITE)
        fill_pattern(buf, vaddr, n, pattern);
    bus_charge_for(m, a->core, MACHINE_SPENT_FAULT, BUS_FAULT_CYCLES);
}

/* The first cache a CPU access of `op` through window `w` goes through: one whose
 * kind matches (instruction for fetches, data for loads/stores, or unified), else
 * any the window lists (ESP32-S2 DROM0 reads through the ICache).  -1 if none. */
static int first_cache(const machine_t *m, const chipdef_window_t *w, bus_op_t op)
{
    int any = -1;
    for (uint32_t i = 0; i < m->chip.cache_count; i++) {
        if (!(w->cache & (1u << i)))
            continue;
        chipdef_cache_kind_t k = m->chip.caches[i].kind;
        if (k == CHIPDEF_CACHE_UNIFIED || (op == BUS_FETCH) == (k == CHIPDEF_CACHE_INSTRUCTION))
            return (int)i;
        if (any < 0)
            any = (int)i;
    }
    return any;
}

/* The instance of cache `ci` an access by `core` at `vaddr` in `w` uses.  ESP32
 * low/high mode: CPU 0's cache serves the low half of the PSRAM window, CPU 1's the
 * high half, whichever CPU accesses. */
static uint32_t cache_instance(const machine_t *m, const chipdef_window_t *w, int ci, uint32_t core,
                               uint32_t vaddr)
{
    const chipdef_t *chip = &m->chip;
    if (ci >= 0 && chip->config.psram_lowhigh && chip->caches[ci].per_core && chip->cores > 1 &&
        (w->targets & CHIPDEF_TARGET_PSRAM))
        return vaddr - w->vaddr >= w->size / 2 ? 1u : 0u;
    return core;
}

/* What a CPU address decodes to. */
typedef struct {
    const chipdef_window_t *w;
    int ci;                /* the first cache on the way, -1: an uncached window */
    uint32_t inst;         /* the instance of it */
    mmu_xlate_t x;
    uint32_t paddr, target; /* x == MMU_XLATE_OK: where the address lands; else 0 */
} decode_t;

/* The plain decode: window table, then the MMU.  False if no window holds vaddr. */
static bool decode_plain(const machine_t *m, uint32_t core, bus_op_t op, uint32_t vaddr, decode_t *d)
{
    const chipdef_window_t *w = mmu_window_of(&m->chip, vaddr);
    if (!w)
        return false;
    d->w = w;
    d->ci = first_cache(m, w, op);
    d->inst = cache_instance(m, w, d->ci, core, vaddr);
    d->paddr = d->target = 0;
    d->x = mmu_translate(&m->mmu, core, vaddr, &d->paddr, &d->target);
    return true;
}

/* Fill TLB entry `e` of `core` for the granule at `base` from its plain decode `g`
 * (a load's).  The short cut may take an op only where the plain path, for any
 * address of the granule, would go straight to a cache lookup: a valid entry, a
 * cache, the window's caps, and lines no larger than the granule (so that a line
 * never leaves the window). */
static void tlb_fill(machine_t *m, uint32_t core, tlb_entry_t *e, const decode_t *g, uint32_t granule,
                     uint32_t base)
{
    int fetch_ci = first_cache(m, g->w, BUS_FETCH);
    uint32_t fetch_inst = cache_instance(m, g->w, fetch_ci, core, base);
    *e = (tlb_entry_t){.gen = m->mmu.gen, .granule = granule, .pbase = g->paddr, .w = g->w,
                       .x = (int8_t)g->x, .target = (uint8_t)g->target,
                       .ci = {(int8_t)g->ci, (int8_t)fetch_ci},
                       .inst = {(uint8_t)g->inst, (uint8_t)fetch_inst},
                       .word_only = !(g->w->access & CHIPDEF_CAP_8BIT), .bus = g->w->bus,
                       .pdelta = g->paddr - base};
    for (uint32_t f = 0; f < 2; f++) {
        int ci = e->ci[f];
        if (ci < 0)
            continue;
        e->cache[f] = m->caches[ci][e->inst[f]];
        e->off[f] = &m->cache_off[ci][e->inst[f]];
        e->line_mask[f] = m->chip.caches[ci].line_size - 1u;
        e->access_cycles[f] = m->chip.caches[ci].hit_cycles + m->tlb[core].cpu_cycles;
        /* The short cut charges 4-byte accesses (a constant shift keeps the hit path as
         * short as it was); a step of another width takes the general path. */
        if (g->x != MMU_XLATE_OK || e->cache[f]->line_shift > m->tlb_shift || m->tlb[core].width_shift != 2)
            continue;
        if (f)
            e->quick_ops |= (g->w->access & CHIPDEF_CAP_EXEC) ? 1u << BUS_FETCH : 0;
        else
            e->quick_ops |= 1u << BUS_READ | ((g->w->access & CHIPDEF_CAP_WRITE) ? 1u << BUS_WRITE : 0);
    }
}

/* The decode through the core's TLB, filling its slot on a miss.  The same answer
 * as decode_plain: an entry holds for its whole granule (tlb.h) and only for the
 * MMU generation it was made in. */
static bool decode(machine_t *m, uint32_t core, bus_op_t op, uint32_t vaddr, decode_t *d)
{
    if (!m->fast_path)
        return decode_plain(m, core, op, vaddr, d);
    uint32_t shift = m->tlb_shift;
    tlb_t *t = &m->tlb[core];
    tlb_entry_t *e = tlb_slot(t, shift, vaddr);
    if (tlb_holds(e, shift, vaddr, m->mmu.gen)) {
        t->hits++;
    } else {
        t->misses++;
        uint32_t base = vaddr >> shift << shift;
        decode_t g;
        if (!decode_plain(m, core, BUS_READ, base, &g))
            return false; /* outside every window: the slow path, not worth an entry */
        tlb_fill(m, core, e, &g, vaddr >> shift, base);
    }
    uint32_t f = op == BUS_FETCH;
    d->w = e->w;
    d->ci = e->ci[f];
    d->inst = e->inst[f];
    d->x = (mmu_xlate_t)e->x;
    /* OK and RELEASED entries translate (RELEASED ones never take the short cut). */
    d->paddr = d->x >= MMU_XLATE_OK ? e->pbase + (vaddr & ((1u << shift) - 1u)) : 0;
    d->target = d->x >= MMU_XLATE_OK ? e->target : 0;
    return true;
}

/* The time of a line fill from the store, on the CPU making the access: it starts when
 * the core's bus is free (a fill still streaming, a queued write-back), and the CPU
 * waits for the whole line, or with critical word first only for the fixed phases and
 * the bytes of its own access; the rest of the line and the `queued` write-back keep
 * the bus busy while the CPU goes on.  A store miss on a cache that does not read the
 * line it allocates costs no transfer (the bytes are still copied: the model keeps the
 * line whole, the timing is the hardware's). */
static void charge_fill(access_t *a, const chipdef_cache_t *def, uint32_t ci, uint32_t target, uint32_t vaddr,
                        uint64_t queued)
{
    machine_t *m = a->m;
    uint32_t core = a->core;
    uint64_t full = m->line_cycles[ci][target & 3u], now = m->cycles[core];
    uint64_t start = m->bus_free[core] > now ? m->bus_free[core] : now;
    uint64_t wait = full;
    if (a->op == BUS_WRITE && def->store_miss_skips_fill) {
        /* No read of the line: the store waits for the bus, and with store_miss_latency
         * for the fixed phases a load miss waits before its first byte, which hold the
         * bus too (the victim's write-back goes out after them). */
        full = wait = m->store_miss_cycles[ci][target & 3u];
    } else if (def->critical_word_first) {
        const tlb_t *t = &m->tlb[core];
        uint32_t first = t->width_round + 1u - (vaddr & t->width_round); /* the access's bytes in this line */
        wait = m->first_bytes_cycles[target & 3u][first < def->line_size ? first : def->line_size];
        if (wait > full)
            wait = full;
    }
    uint64_t wb_from = m->bus_wb_from[core] > now ? m->bus_wb_from[core] : now;
    uint64_t waited_wb = start > wb_from ? start - wb_from : 0;
    m->spent[core][MACHINE_SPENT_WRITEBACK] += waited_wb;
    m->spent[core][MACHINE_SPENT_FILL] += start + wait - now - waited_wb;
    m->cycles[core] = start + wait;
    m->bus_wb_from[core] = start + full;
    m->bus_free[core] = start + full + queued;
}

/* Bring the line of `vaddr` (mapped to paddr/target) into cache `ci` (instance of
 * `core`): from the next level if there is one, else from the store.  Returns it, or
 * NULL (nothing filled, the victim left as it was) when a dirty victim could not be
 * written back (machine_fail).  The time goes to the CPU making the access, which in
 * ESP32 low/high mode may use the other CPU's cache. */
static cache_line_t *fill_line(access_t *a, uint32_t ci, uint32_t core, uint32_t vaddr,
                               uint32_t paddr, uint32_t target)
{
    machine_t *m = a->m;
    cache_t *c = m->caches[ci][core];
    uint32_t ls = c->def.line_size, lpaddr = cache_line_addr(c, paddr);
    cache_line_t *v = cache_victim(c, vaddr);
    const chipdef_cache_t *def = &m->chip.caches[ci];
    uint64_t queued = 0;
    if (v->valid && v->dirty) {
        /* (The account is kept aside only here: a fill of a clean victim, the common
         * case of a read stream, copies nothing.) */
        uint64_t before = m->cycles[a->core], spent_before[MACHINE_SPENT_COUNT];
        memcpy(spent_before, m->spent[a->core], sizeof spent_before);
        if (coherence_writeback_line(m, core, a->core, ci, c, v)) {
            a->failed = true;
            return NULL;
        }
        /* A write-back buffer takes the victim off the CPU's path: it goes out after the
         * fill, on the bus (charged below). */
        if (def->writeback_buffer && !def->next) {
            queued = m->cycles[a->core] - before;
            m->cycles[a->core] = before;
            memcpy(m->spent[a->core], spent_before, sizeof spent_before);
        }
    }
    uint8_t *d = cache_line_data(c, v);
    bool stale = false;
    uint32_t next = m->chip.caches[ci].next;
    if (next) {
        cache_t *n = m->caches[next - 1][core];
        cache_line_t *nl = cache_lookup(n, vaddr, true);
        if (nl)
            bus_charge_for(m, a->core, MACHINE_SPENT_FILL, m->chip.caches[next - 1].hit_cycles);
        else if (!(nl = fill_line(a, next - 1, core, vaddr, paddr, target)))
            return NULL;
        /* A virtually tagged L2 serves its line even if it came from another mapping. */
        uint32_t off = cache_line_addr(c, vaddr) - cache_line_addr(n, vaddr);
        memcpy(d, cache_line_data(n, nl) + off, ls);
        lpaddr = nl->paddr + off;
        target = nl->target;
        stale = nl->stale;
    } else {
        phys_read(m, target, lpaddr, d, ls);
        charge_fill(a, def, ci, target, vaddr, queued);
    }
    cache_install(c, v, vaddr, lpaddr, (uint8_t)target);
    v->stale = stale;
    if (coherence_check_alias(m, core, ci, c, v))
        mark_reported(a, MMSIM_HAZARD_ALIAS_CONFLICT); /* one report per access */
    return v;
}

/* CPU bytes stored past the caches (an uncached window, a write-through): an SPI
 * transaction, after which the other lines holding them are stale (all but `self`).
 * Bytes the store cannot take for want of host memory are lost (machine_fail). */
static void write_to_store(access_t *a, uint32_t target, uint32_t paddr, const uint8_t *buf, uint32_t n,
                           const cache_line_t *self)
{
    machine_t *m = a->m;
    uint32_t core = a->core;
    bus_charge_for(m, core, MACHINE_SPENT_WRITEBACK, timing_transaction_cycles(spi_of(m, target), m->chip.cpu_mhz, n));
    if (phys_write(m, target, paddr, buf, n)) {
        machine_fail(m, "out of host memory storing %u bytes at %s 0x%08x (they are lost)", n,
                     phys_target_name(target), paddr);
        a->failed = true;
        return;
    }
    coherence_backing_changed(m, target, paddr, n, buf, self, NULL, false);
}

/* Write-through of CPU bytes below cache `ci`: into the next level's line if it
 * has one, else the store. */
static void write_through(access_t *a, uint32_t ci, cache_line_t *self, uint32_t vaddr, uint32_t paddr,
                          uint32_t target, const uint8_t *buf, uint32_t n)
{
    machine_t *m = a->m;
    uint32_t core = a->core;
    uint32_t next = m->chip.caches[ci].next;
    if (next) {
        cache_t *nc = m->caches[next - 1][core];
        cache_line_t *nl = cache_lookup(nc, vaddr, false);
        if (nl && nc->def.write_back) {
            memcpy(cache_line_data(nc, nl) + (vaddr - nl->key), buf, n);
            cache_set_dirty(nc, nl);
            return;
        }
    }
    write_to_store(a, target, paddr, buf, n, self);
}

/* The end of a piece once line `l` of cache `c` (instance of cache `ci`, first on
 * the way through window `w`) holds its bytes: copy them out, or store into the line
 * (making it dirty, or writing through). */
static inline void use_line(access_t *a, const chipdef_window_t *w, uint32_t ci, cache_t *c, cache_line_t *l,
                            uint32_t vaddr, uint8_t *buf, uint32_t n)
{
    uint8_t *d = cache_line_data(c, l) + (vaddr - l->key);
    if (a->op != BUS_WRITE) {
        memcpy(buf, d, n);
        return;
    }
    if (l->target == CHIPDEF_TARGET_FLASH)
        return fault(a, vaddr, buf, n, 0, MMSIM_HAZARD_WRITE_READ_ONLY,
                     "%s at 0x%08x: store to a cached flash line of window %s (dropped)", w->name);
    memcpy(d, buf, n);
    if (!c->def.write_back) {
        write_through(a, ci, l, vaddr, l->paddr + (vaddr - l->key), l->target, buf, n);
    } else if (!l->dirty) {
        cache_set_dirty(c, l);
        if (!reported(a, MMSIM_HAZARD_ALIAS_CONFLICT) && coherence_check_alias(a->m, a->core, ci, c, l))
            mark_reported(a, MMSIM_HAZARD_ALIAS_CONFLICT);
    }
}

/* A piece whose line is not in its first cache `ci` (instance `inst`, already
 * counted as a miss): a fault if the MMU entry does not translate, else a line fill
 * (or a write-through store, which does not allocate). */
static inline void miss_line(access_t *a, const chipdef_window_t *w, uint32_t ci, uint32_t inst, mmu_xlate_t x,
                             uint32_t paddr, uint32_t target, uint32_t vaddr, uint8_t *buf, uint32_t n)
{
    machine_t *m = a->m;
    const chipdef_t *chip = &m->chip;
    if (x != MMU_XLATE_OK)
        return fault(a, vaddr, buf, n, chip->fill_invalid_entry,
                     x == MMU_XLATE_UNMAPPED ? MMSIM_HAZARD_USE_AFTER_UNMAP : MMSIM_HAZARD_UNMAPPED_ACCESS,
                     x == MMU_XLATE_UNMAPPED ? "%s at 0x%08x: page unmapped (window %s)"
                                             : "%s at 0x%08x: MMU entry invalid (window %s)",
                     w->name);
    bool reading = a->op != BUS_WRITE;
    if (!reading && target == CHIPDEF_TARGET_FLASH)
        return fault(a, vaddr, buf, n, 0, MMSIM_HAZARD_WRITE_READ_ONLY,
                     "%s at 0x%08x: store to flash through the cache of window %s (dropped)", w->name);
    cache_t *c = m->caches[ci][inst];
    if (!reading && !c->def.write_back) /* write-through, no allocate */
        return write_through(a, ci, NULL, vaddr, paddr, target, buf, n);
    cache_line_t *l = fill_line(a, ci, inst, vaddr, paddr, target);
    if (!l)
        return;
    bus_charge(m, a->core, machine_access_cycles(m, a->core, chip->caches[ci].hit_cycles, n));
    use_line(a, w, ci, c, l, vaddr, buf, n);
}

/* One piece of an access: inside one window and one line of its first cache. */
static void access_piece(access_t *a, const decode_t *dec, uint32_t vaddr, uint8_t *buf, uint32_t n)
{
    machine_t *m = a->m;
    const chipdef_t *chip = &m->chip;
    const chipdef_window_t *w = dec->w;
    int ci = dec->ci;
    uint32_t core = a->core;
    if (!(m->bus_enabled[core] & w->bus))
        return fault(a, vaddr, buf, n, chip->fill_no_window, MMSIM_HAZARD_UNMAPPED_ACCESS,
                     "%s at 0x%08x: the %s bus is disabled on this core", w->name);
    if (a->op == BUS_FETCH && !(w->access & CHIPDEF_CAP_EXEC))
        return fault(a, vaddr, buf, n, chip->fill_invalid_entry, MMSIM_HAZARD_CAPABILITY,
                     "%s at 0x%08x: instruction fetch from window %s, which has no exec", w->name);
    if (a->op == BUS_WRITE && !(w->access & CHIPDEF_CAP_WRITE))
        return fault(a, vaddr, buf, n, 0, MMSIM_HAZARD_WRITE_READ_ONLY,
                     "%s at 0x%08x: store through read-only window %s (dropped)", w->name);
    if (!(w->access & CHIPDEF_CAP_8BIT) && ((vaddr | n) & 3u))
        return fault(a, vaddr, buf, n, chip->fill_invalid_entry, MMSIM_HAZARD_CAPABILITY,
                     "%s at 0x%08x: byte or halfword access to word-only window %s", w->name);

    uint32_t paddr = dec->paddr, target = dec->target;
    mmu_xlate_t x = dec->x;
    if (x == MMU_XLATE_RELEASED) {
        /* The entry still translates: the access goes on to the old page, as on the chip. */
        x = MMU_XLATE_OK;
        if (report_once(a, MMSIM_HAZARD_USE_AFTER_UNMAP))
            hazard_raise(&m->hazards, MMSIM_HAZARD_USE_AFTER_UNMAP,
                         (hazard_site_t){(int32_t)core, vaddr, paddr, target, -1, -1},
                         "%s at 0x%08x: the driver unmapped this page but left its MMU entry, which "
                         "still maps %s 0x%08x (the old bank)",
                         op_names[a->op], vaddr, phys_target_name(target), paddr);
    }
    if (ci < 0) { /* an uncached window: straight to the device */
        if (x != MMU_XLATE_OK)
            return fault(a, vaddr, buf, n, chip->fill_invalid_entry,
                         x == MMU_XLATE_UNMAPPED ? MMSIM_HAZARD_USE_AFTER_UNMAP : MMSIM_HAZARD_UNMAPPED_ACCESS,
                         "%s at 0x%08x: MMU entry invalid in window %s", w->name);
        if (a->op == BUS_WRITE && target == CHIPDEF_TARGET_FLASH)
            return fault(a, vaddr, buf, n, 0, MMSIM_HAZARD_WRITE_READ_ONLY,
                         "%s at 0x%08x: store to flash through window %s (dropped)", w->name);
        if (a->op == BUS_WRITE)
            return write_to_store(a, target, paddr, buf, n, NULL);
        phys_read(m, target, paddr, buf, n);
        bus_charge_for(m, core, MACHINE_SPENT_FILL, timing_transaction_cycles(spi_of(m, target), chip->cpu_mhz, n));
        return;
    }

    uint32_t inst = dec->inst;
    if (m->cache_off[ci][inst])
        return fault(a, vaddr, buf, n, chip->fill_no_window, MMSIM_HAZARD_CACHE_DISABLED,
                     "%s at 0x%08x: cache %s is disabled", chip->caches[ci].name);
    cache_t *c = m->caches[ci][inst];
    cache_line_t *l = cache_lookup(c, vaddr, true);
    if (!l)
        return miss_line(a, w, (uint32_t)ci, inst, x, paddr, target, vaddr, buf, n);
    bool reading = a->op != BUS_WRITE;
    if (x == MMU_XLATE_UNMAPPED && report_once(a, MMSIM_HAZARD_USE_AFTER_UNMAP)) {
        hazard_raise(&m->hazards, MMSIM_HAZARD_USE_AFTER_UNMAP,
                     coherence_line_site((int32_t)core, (uint32_t)ci, c, l, vaddr),
                     "%s at 0x%08x hit a line of an unmapped page: the old %s bytes are used",
                     op_names[a->op], vaddr, phys_target_name(l->target));
    } else if (x == MMU_XLATE_INVALID_ENTRY && report_once(a, MMSIM_HAZARD_UNMAPPED_ACCESS)) {
        hazard_raise(&m->hazards, MMSIM_HAZARD_UNMAPPED_ACCESS,
                     coherence_line_site((int32_t)core, (uint32_t)ci, c, l, vaddr),
                     "%s at 0x%08x hit a cached line although its MMU entry is invalid", op_names[a->op], vaddr);
    } else if (x == MMU_XLATE_OK && reading && (cache_line_addr(c, paddr) != l->paddr || target != l->target)) {
        hazard_raise(&m->hazards, MMSIM_HAZARD_STALE_READ,
                     coherence_line_site((int32_t)core, (uint32_t)ci, c, l, vaddr),
                     "read at 0x%08x hit a line holding %s 0x%08x but the MMU now maps %s 0x%08x "
                     "(remapped without invalidating the cache)",
                     vaddr, phys_target_name(l->target), l->paddr, phys_target_name(target),
                     cache_line_addr(c, paddr));
    } else if (l->stale && reading) {
        hazard_raise(&m->hazards, MMSIM_HAZARD_STALE_READ,
                     coherence_line_site((int32_t)core, (uint32_t)ci, c, l, vaddr),
                     "read at 0x%08x hit a line whose %s bytes changed after it was filled", vaddr,
                     phys_target_name(l->target));
    }
    bus_charge(m, core, machine_access_cycles(m, core, chip->caches[ci].hit_cycles, n));
    use_line(a, w, (uint32_t)ci, c, l, vaddr, buf, n);
}

/* A piece whose line bus_try_hit found absent from its cache.  The TLB entry it
 * used still holds and allowed the op, so every check of access_piece before the
 * lookup has passed (bus and cache enabled, window caps, a translating entry): only
 * the miss is left.  Returns the piece's length. */
static uint32_t miss_piece(access_t *a, uint32_t vaddr, uint8_t *buf, uint32_t len)
{
    machine_t *m = a->m;
    uint32_t shift = m->tlb_shift, f = a->op == BUS_FETCH;
    const tlb_entry_t *e = tlb_slot(&m->tlb[a->core], shift, vaddr);
    uint32_t lmask = e->line_mask[f], to_line = lmask + 1u - (vaddr & lmask), n = len < to_line ? len : to_line;
    e->cache[f]->stats.misses++; /* as the lookup would have counted */
    miss_line(a, e->w, (uint32_t)e->ci[f], e->inst[f], MMU_XLATE_OK, e->pbase + (vaddr & ((1u << shift) - 1u)),
              e->target, vaddr, buf, n);
    return n;
}

/* Bytes from `vaddr` to the start of the next window or of the internal RAM (or `len`
 * if none is closer). */
static uint32_t gap_to_window(const chipdef_t *chip, uint32_t vaddr, uint32_t len)
{
    uint32_t n = len;
    for (uint32_t i = 0; i < chip->window_count; i++)
        if (chip->windows[i].vaddr > vaddr && chip->windows[i].vaddr - vaddr < n)
            n = chip->windows[i].vaddr - vaddr;
    const chipdef_internal_ram_t *ir = &chip->internal_ram;
    if (ir->size && ir->vaddr > vaddr && ir->vaddr - vaddr < n)
        n = ir->vaddr - vaddr;
    return n;
}

/* A piece in the internal RAM: no MMU, no cache, BUS_INTERNAL_ACCESS_CYCLES per access.  Fetches
 * only where the instruction bus reaches the same addresses.  Returns its length. */
static uint32_t internal_piece(access_t *a, uint32_t vaddr, uint8_t *buf, uint32_t len)
{
    machine_t *m = a->m;
    const chipdef_internal_ram_t *ir = &m->chip.internal_ram;
    uint32_t off = vaddr - ir->vaddr, to_end = ir->size - off, n = len < to_end ? len : to_end;
    if (a->op == BUS_FETCH && !ir->exec) {
        fault(a, vaddr, buf, n, m->chip.fill_no_window, MMSIM_HAZARD_CAPABILITY,
              "%s at 0x%08x: internal data RAM is not on the instruction bus at this address%s", "");
        return n;
    }
    if (a->op == BUS_WRITE ? store_write(m->sram, off, buf, n) : store_read(m->sram, off, buf, n)) {
        machine_fail(m, "out of host memory writing internal ram 0x%08x+%u", vaddr, n);
        a->failed = true;
        return n;
    }
    /* Accesses of the core's width touched, counting the alignment (SRAM has no lines
     * to absorb a misaligned piece). */
    const tlb_t *t = &m->tlb[a->core];
    uint64_t accesses = ((vaddr & t->width_round) + n + t->width_round) >> t->width_shift;
    bus_charge(m, a->core, (BUS_INTERNAL_ACCESS_CYCLES + t->cpu_cycles) * accesses);
    return n;
}

/* A piece no window holds: internal RAM, or a fault up to the next window.  Out of
 * line, so that the loop of access_pieces stays as small as the cached path needs. */
static __attribute__((noinline, cold)) uint32_t outside_windows(access_t *a, uint32_t vaddr, uint8_t *buf, uint32_t len)
{
    machine_t *m = a->m;
    if (machine_in_internal_ram(m, vaddr))
        return internal_piece(a, vaddr, buf, len);
    uint32_t n = gap_to_window(&m->chip, vaddr, len);
    fault(a, vaddr, buf, n, m->chip.fill_no_window, MMSIM_HAZARD_UNMAPPED_ACCESS,
          "%s at 0x%08x: no window holds this address%s", "");
    return n;
}

/* What the caller of access_pieces knows of its first piece. */
typedef enum {
    FIRST_NOT_TRIED, /* nothing: try the short cut */
    FIRST_REFUSED,   /* bus_try_hit did not take it */
    FIRST_MISSED,    /* bus_try_hit found its line absent from the cache */
} first_piece_t;

/* Everything but a plain hit: piece by piece (each a short cut where it can be,
 * but for the first if the caller tried that one already).  Returns 0, or -1 when the
 * model could not complete a piece (machine_fail): the access stops there. */
static int access_pieces(machine_t *m, uint32_t core, bus_op_t op, uint32_t vaddr, uint8_t *buf, uint32_t len,
                          first_piece_t first)
{
    uint32_t n;
    access_t a = {m, core, op, 0, false};
    HAZARD_CAUSE_DEFAULT(&m->hazards, op_names[op]);
    while (len && !a.failed) {
        decode_t d;
        if (first == FIRST_MISSED)
            n = BUS_TRY_MISSED;
        else
            n = m->fast_path && first == FIRST_NOT_TRIED ? bus_try_hit(m, core, op, vaddr, buf, len, true) : 0;
        if (n == BUS_TRY_MISSED) {
            n = miss_piece(&a, vaddr, buf, len);
        } else if (n) {
            /* done */
        } else if (!decode(m, core, op, vaddr, &d)) {
            n = outside_windows(&a, vaddr, buf, len);
        } else {
            uint32_t line = d.ci >= 0 ? m->chip.caches[d.ci].line_size : 4u;
            uint32_t to_line = line - (vaddr & (line - 1u));
            uint32_t to_end = d.w->vaddr + d.w->size - vaddr; /* 0 means 4 GB */
            n = len < to_line ? len : to_line;
            if (to_end && to_end < n)
                n = to_end;
            access_piece(&a, &d, vaddr, buf, n);
        }
        vaddr += n, buf += n, len -= n;
        first = FIRST_NOT_TRIED;
    }
    return a.failed ? -1 : 0;
}

int bus_cpu_access_pieces(machine_t *m, uint32_t core, bus_op_t op, uint32_t vaddr, uint8_t *buf, uint32_t len)
{
    return access_pieces(m, core, op, vaddr, buf, len, FIRST_NOT_TRIED);
}

int bus_cpu_access_refused(machine_t *m, uint32_t core, bus_op_t op, uint32_t vaddr, uint8_t *buf, uint32_t len)
{
    return access_pieces(m, core, op, vaddr, buf, len, FIRST_REFUSED);
}

int bus_cpu_access_missed(machine_t *m, uint32_t core, bus_op_t op, uint32_t vaddr, uint8_t *buf, uint32_t len)
{
    return access_pieces(m, core, op, vaddr, buf, len, FIRST_MISSED);
}
