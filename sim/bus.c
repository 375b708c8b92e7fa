/* bus.c - the machine's access paths (CPU through the caches, SPI1, DMA), cache
 * maintenance, hazard detection and cycle charging; see bus.h.
 *
 * Model choices (the reference leaves them to us; each is the simplest that
 * reproduces the line-level bugs users report):
 * - Caches are virtually tagged: a line is found by the address the CPU used, so a
 *   hit never consults the MMU, and two aliases of one physical line are two lines.
 *   The MMU is still read on a hit, only to report hazards (use after unmap, a line
 *   left over from an older mapping).
 * - Write-back caches allocate on a store miss; write-through caches do not.
 * - A level-1 miss on a chip with a level-2 cache looks in L2 (filling it from the
 *   store on a miss); a dirty L1 victim goes to L2 if L2 holds the line, else to
 *   the store.
 * - A line is "stale" once the bytes beneath it (store, or L2 for an L1 line)
 *   change to something else by any agent other than the line itself.
 * - Addresses beyond a device's size wrap, as the SPI address bits above the
 *   device size are ignored.
 *
 * The CPU path has a fast path (machine_t.fast_path, on unless a test turns it off):
 * a TLB per core (tlb.h) answers the window/MMU decode, and a short cut (try_hit)
 * serves the commonest piece, a hit with nothing to report, without the general
 * code.  Anything that can raise a hazard, move a line or fault takes the general
 * code with the same decode, so both ways give the same data, statistics, cycles
 * and hazards. */
#include "bus.h"

#include <string.h>

#include "timing.h"

/* The filter checks in front of the scans are inlined into the fill and write-back
 * paths; the scans themselves, which run only when a filter leaves room for another
 * holder, stay out of line so those paths stay short. */
#define ALWAYS_INLINE static inline __attribute__((always_inline))
#define OUT_OF_LINE static __attribute__((noinline))

typedef struct {
    machine_t *m;
    uint32_t core;
    bus_op_t op;
    uint32_t raised; /* fault kinds already reported by this access (one report each) */
} access_t;

static const char *const op_names[] = {"cpu read", "cpu write", "cpu fetch"};

/* ---- physical memory -------------------------------------------------------- */

static const chipdef_spi_mem_t *spi_of(const machine_t *m, uint32_t target)
{
    return target == CHIPDEF_TARGET_PSRAM ? &m->chip.psram : &m->chip.flash;
}

/* Physical bytes as the device returns them (wrapping past its size); a missing
 * device reads as 0xFF (an idle bus).  The _slow versions take every case; the
 * inline ones serve the usual line fill or write-back, inside one written chunk. */
static void phys_read_slow(const machine_t *m, uint32_t target, uint32_t paddr, uint8_t *buf, uint32_t len)
{
    const store_t *s = machine_store(m, target);
    if (!s || !store_size(s)) {
        memset(buf, 0xFF, len);
        return;
    }
    uint32_t size = store_size(s);
    while (len) {
        uint32_t a = paddr < size ? paddr : paddr % size, n = len < size - a ? len : size - a;
        store_read(s, a, buf, n);
        buf += n, paddr += n, len -= n;
    }
}

static void phys_write_slow(machine_t *m, uint32_t target, uint32_t paddr, const uint8_t *buf, uint32_t len)
{
    store_t *s = machine_store(m, target);
    if (!s || !store_size(s))
        return;
    uint32_t size = store_size(s);
    while (len) {
        uint32_t a = paddr < size ? paddr : paddr % size, n = len < size - a ? len : size - a;
        store_write(s, a, buf, n);
        buf += n, paddr += n, len -= n;
    }
}

static inline void phys_read(const machine_t *m, uint32_t target, uint32_t paddr, uint8_t *buf, uint32_t len)
{
    const store_t *s = machine_store(m, target);
    if (!s || !store_read_span(s, paddr, buf, len))
        phys_read_slow(m, target, paddr, buf, len);
}

static inline void phys_write(machine_t *m, uint32_t target, uint32_t paddr, const uint8_t *buf, uint32_t len)
{
    store_t *s = machine_store(m, target);
    uint8_t *out = s ? store_span(s, paddr, len) : NULL;
    if (out)
        memcpy(out, buf, len);
    else
        phys_write_slow(m, target, paddr, buf, len);
}

/* ---- cache walking ---------------------------------------------------------- */

/* Call `fn` on every distinct cache instance (a shared cache once). */
#define FOR_EACH_INSTANCE(m, i, k, c)                                                      \
    for (uint32_t i = 0; i < (m)->chip.cache_count; i++)                                   \
        for (uint32_t k = 0; k < (m)->chip.cores; k++)                                     \
            for (cache_t *c = (m)->caches[i][k]; c && (k == 0 || c != (m)->caches[i][0]); c = NULL)

static hazard_site_t line_site(int32_t core, uint32_t ci, cache_t *c, const cache_line_t *l,
                               uint32_t vaddr)
{
    return (hazard_site_t){core, vaddr, l->paddr, l->target, (int32_t)ci, (int32_t)cache_line_index(c, l)};
}

static const char *target_name(uint32_t target) { return target == CHIPDEF_TARGET_PSRAM ? "psram" : "flash"; }

static bool overlaps(uint32_t a, uint32_t alen, uint32_t b, uint32_t blen)
{
    return a < b + blen && b < a + alen;
}

/* How many valid lines (at `level`, or at every level for UINT32_MAX) may hold a
 * byte of [paddr, paddr+len) of `target` (with `dirty`: dirty lines only): an upper
 * bound from the holder filters, exact enough to skip the scans below when it is 0
 * (or 1, the line asking). */
static inline uint64_t holders(const machine_t *m, uint32_t level, uint32_t target, uint32_t paddr, uint32_t len,
                               bool dirty)
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

/* holders() for exactly the physical line of `l` (a line of `c`, at `level`): on a
 * level of one line size, just the line's own filter slot. */
ALWAYS_INLINE uint64_t line_holders(const machine_t *m, uint32_t level, const cache_t *c, const cache_line_t *l,
                                    bool dirty)
{
    if (level < MACHINE_MAX_LEVELS && m->holders_uniform[level] && c->holders)
        return (dirty ? c->dirty_holders : c->holders)[cache_holder_slot(c->holders_mask, l->target, l->paddr,
                                                                          c->line_shift)];
    return holders(m, level, l->target, l->paddr, c->def.line_size, dirty);
}

/* The bytes beneath [paddr, paddr+len) of `target` changed to `now` (NULL: read
 * them from the store).  Every other line holding any of them with different
 * bytes becomes stale; with `clean_only`, dirty lines are left alone (their own
 * data is newer than what a write-back of another line put beneath them).  The
 * scan runs only when the holder filters leave room for another holder. */
OUT_OF_LINE void backing_scan(machine_t *m, uint32_t target, uint32_t paddr, uint32_t len, const uint8_t *now,
                              const cache_line_t *skip_a, const cache_line_t *skip_b, bool clean_only)
{
    FOR_EACH_INSTANCE(m, i, k, c) {
        uint32_t ls = c->def.line_size, n = cache_line_count(c);
        for (uint32_t j = 0; j < n; j++) {
            cache_line_t *l = &c->lines[j];
            if (!l->valid || l->target != target || l == skip_a || l == skip_b || l->stale ||
                (clean_only && l->dirty) || !overlaps(l->paddr, ls, paddr, len))
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

ALWAYS_INLINE void backing_changed(machine_t *m, uint32_t target, uint32_t paddr, uint32_t len, const uint8_t *now,
                                  const cache_line_t *skip_a, const cache_line_t *skip_b, bool clean_only)
{
    uint32_t expected = (skip_a && skip_a->valid) + (skip_b && skip_b->valid);
    if (holders(m, UINT32_MAX, target, paddr, len, false) > expected)
        backing_scan(m, target, paddr, len, now, skip_a, skip_b, clean_only);
}

/* Another line at the same level holding the physical line of `l`, with one of
 * the two dirty, is an alias conflict: report the first found.  True if one was. */
OUT_OF_LINE bool alias_scan(machine_t *m, uint32_t core, uint32_t ci, cache_t *c, cache_line_t *l)
{
    uint32_t level = m->chip.caches[ci].level;
    FOR_EACH_INSTANCE(m, i, k, o) {
        if (m->chip.caches[i].level != level)
            continue;
        uint32_t n = cache_line_count(o);
        for (uint32_t j = 0; j < n; j++) {
            cache_line_t *x = &o->lines[j];
            if (x == l || !x->valid || x->target != l->target || !(x->dirty || l->dirty) ||
                !overlaps(x->paddr, o->def.line_size, l->paddr, c->def.line_size))
                continue;
            hazard_raise(&m->hazards, MMSIM_HAZARD_ALIAS_CONFLICT, line_site((int32_t)core, ci, c, l, l->key),
                         "%s line 0x%08x and %s line 0x%08x (core %u) both hold %s 0x%08x and %s is dirty",
                         m->chip.caches[ci].name, l->key, m->chip.caches[i].name, x->key, k,
                         target_name(l->target), l->paddr, x->dirty && l->dirty ? "each" : x->dirty ? "the second" : "the first");
            return true;
        }
    }
    return false;
}

/* alias_scan, when the holder filters leave room for a conflict: a dirty `l` conflicts
 * with any other holder; a clean one only with a dirty one (which matters after
 * ESP32's write-back sweep, where every line has a clean twin in the other CPU's
 * cache). */
ALWAYS_INLINE bool check_alias(machine_t *m, uint32_t core, uint32_t ci, cache_t *c, cache_line_t *l)
{
    uint32_t level = m->chip.caches[ci].level;
    if (l->dirty ? line_holders(m, level, c, l, false) <= 1 : line_holders(m, level, c, l, true) == 0)
        return false;
    return alias_scan(m, core, ci, c, l);
}

/* ---- line movement ---------------------------------------------------------- */

/* Write a dirty line down: into the next level if it holds the line, else to the
 * store.  The line stays valid and becomes clean; `payer` is the CPU charged. */
static void writeback_line(machine_t *m, uint32_t core, uint32_t payer, uint32_t ci, cache_t *c, cache_line_t *l)
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
                check_alias(m, core, next - 1, n, nl);
            }
            bus_charge(m, payer, m->chip.caches[next - 1].hit_cycles);
        } else {
            nl = NULL;
        }
    }
    if (!nl) {
        phys_write(m, l->target, l->paddr, d, ls);
        bus_charge(m, payer, m->line_cycles[ci][l->target & 3u]);
    }
    cache_set_clean(c, l);
    cache_count_writeback(c);
    backing_changed(m, l->target, l->paddr, ls, d, l, nl, true);
}

/* Bring the line of `vaddr` (mapped to paddr/target) into cache `ci` (instance of
 * `core`): from the next level if there is one, else from the store.  Returns it.  The
 * time goes to the CPU making the access, which in ESP32 low/high mode may use the
 * other CPU's cache. */
static cache_line_t *fill_line(access_t *a, uint32_t ci, uint32_t core, uint32_t vaddr,
                               uint32_t paddr, uint32_t target)
{
    machine_t *m = a->m;
    cache_t *c = m->caches[ci][core];
    uint32_t ls = c->def.line_size, lpaddr = cache_line_addr(c, paddr);
    cache_line_t *v = cache_victim(c, vaddr);
    if (v->valid && v->dirty)
        writeback_line(m, core, a->core, ci, c, v);
    uint8_t *d = cache_line_data(c, v);
    bool stale = false;
    uint32_t next = m->chip.caches[ci].next;
    if (next) {
        cache_t *n = m->caches[next - 1][core];
        cache_line_t *nl = cache_lookup(n, vaddr, true);
        if (nl)
            bus_charge(m, a->core, m->chip.caches[next - 1].hit_cycles);
        else
            nl = fill_line(a, next - 1, core, vaddr, paddr, target);
        /* A virtually tagged L2 serves its line even if it came from another mapping. */
        uint32_t off = cache_line_addr(c, vaddr) - cache_line_addr(n, vaddr);
        memcpy(d, cache_line_data(n, nl) + off, ls);
        lpaddr = nl->paddr + off;
        target = nl->target;
        stale = nl->stale;
    } else {
        phys_read(m, target, lpaddr, d, ls);
        bus_charge(m, a->core, m->line_cycles[ci][target & 3u]);
    }
    cache_install(c, v, vaddr, lpaddr, (uint8_t)target);
    v->stale = stale;
    if (check_alias(m, core, ci, c, v))
        a->raised |= 1u << MMSIM_HAZARD_ALIAS_CONFLICT; /* one report per access */
    return v;
}

/* ---- the CPU path ----------------------------------------------------------- */

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
    if (!(a->raised & (1u << kind))) {
        a->raised |= 1u << kind;
        uint32_t paddr = 0, target = 0;
        mmu_translate(&m->mmu, a->core, vaddr, &paddr, &target);
        hazard_raise(&m->hazards, kind, (hazard_site_t){(int32_t)a->core, vaddr, paddr, target, -1, -1},
                     fmt, op_names[a->op], vaddr, what);
    }
    if (a->op != BUS_WRITE)
        fill_pattern(buf, vaddr, n, pattern);
    bus_charge(m, a->core, BUS_FAULT_CYCLES);
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
        e->hit_cycles[f] = m->chip.caches[ci].hit_cycles;
        if (g->x != MMU_XLATE_OK || e->cache[f]->line_shift > m->tlb_shift)
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

/* Write-through of CPU bytes below cache `ci`: into the next level's line if it
 * has one, else the store. */
static void write_through(machine_t *m, uint32_t core, uint32_t ci, cache_line_t *self, uint32_t vaddr,
                          uint32_t paddr, uint32_t target, const uint8_t *buf, uint32_t n)
{
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
    phys_write(m, target, paddr, buf, n);
    bus_charge(m, core, timing_transaction_cycles(spi_of(m, target), m->chip.cpu_mhz, n));
    backing_changed(m, target, paddr, n, buf, self, NULL, false);
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
        write_through(a->m, a->core, ci, l, vaddr, l->paddr + (vaddr - l->key), l->target, buf, n);
    } else if (!l->dirty) {
        cache_set_dirty(c, l);
        if (!(a->raised & (1u << MMSIM_HAZARD_ALIAS_CONFLICT)) && check_alias(a->m, a->core, ci, c, l))
            a->raised |= 1u << MMSIM_HAZARD_ALIAS_CONFLICT;
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
        return write_through(m, a->core, ci, NULL, vaddr, paddr, target, buf, n);
    cache_line_t *l = fill_line(a, ci, inst, vaddr, paddr, target);
    bus_charge(m, a->core, chip->caches[ci].hit_cycles * ((n + 3u) / 4u));
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
        if (!(a->raised & (1u << MMSIM_HAZARD_USE_AFTER_UNMAP))) {
            a->raised |= 1u << MMSIM_HAZARD_USE_AFTER_UNMAP;
            hazard_raise(&m->hazards, MMSIM_HAZARD_USE_AFTER_UNMAP,
                         (hazard_site_t){(int32_t)core, vaddr, paddr, target, -1, -1},
                         "%s at 0x%08x: the driver unmapped this page but left its MMU entry, which "
                         "still maps %s 0x%08x (the old bank)",
                         op_names[a->op], vaddr, target_name(target), paddr);
        }
    }
    if (ci < 0) { /* an uncached window: straight to the device */
        if (x != MMU_XLATE_OK)
            return fault(a, vaddr, buf, n, chip->fill_invalid_entry,
                         x == MMU_XLATE_UNMAPPED ? MMSIM_HAZARD_USE_AFTER_UNMAP : MMSIM_HAZARD_UNMAPPED_ACCESS,
                         "%s at 0x%08x: MMU entry invalid in window %s", w->name);
        if (a->op == BUS_WRITE && target == CHIPDEF_TARGET_FLASH)
            return fault(a, vaddr, buf, n, 0, MMSIM_HAZARD_WRITE_READ_ONLY,
                         "%s at 0x%08x: store to flash through window %s (dropped)", w->name);
        if (a->op == BUS_WRITE) {
            phys_write(m, target, paddr, buf, n);
            backing_changed(m, target, paddr, n, buf, NULL, NULL, false);
        } else {
            phys_read(m, target, paddr, buf, n);
        }
        bus_charge(m, core, timing_transaction_cycles(spi_of(m, target), chip->cpu_mhz, n));
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
    if (x == MMU_XLATE_UNMAPPED && !(a->raised & (1u << MMSIM_HAZARD_USE_AFTER_UNMAP))) {
        a->raised |= 1u << MMSIM_HAZARD_USE_AFTER_UNMAP;
        hazard_raise(&m->hazards, MMSIM_HAZARD_USE_AFTER_UNMAP, line_site((int32_t)core, (uint32_t)ci, c, l, vaddr),
                     "%s at 0x%08x hit a line of an unmapped page: the old %s bytes are used",
                     op_names[a->op], vaddr, target_name(l->target));
    } else if (x == MMU_XLATE_INVALID_ENTRY && !(a->raised & (1u << MMSIM_HAZARD_UNMAPPED_ACCESS))) {
        a->raised |= 1u << MMSIM_HAZARD_UNMAPPED_ACCESS;
        hazard_raise(&m->hazards, MMSIM_HAZARD_UNMAPPED_ACCESS, line_site((int32_t)core, (uint32_t)ci, c, l, vaddr),
                     "%s at 0x%08x hit a cached line although its MMU entry is invalid", op_names[a->op], vaddr);
    } else if (x == MMU_XLATE_OK && reading && (cache_line_addr(c, paddr) != l->paddr || target != l->target)) {
        hazard_raise(&m->hazards, MMSIM_HAZARD_STALE_READ, line_site((int32_t)core, (uint32_t)ci, c, l, vaddr),
                     "read at 0x%08x hit a line holding %s 0x%08x but the MMU now maps %s 0x%08x "
                     "(remapped without invalidating the cache)",
                     vaddr, target_name(l->target), l->paddr, target_name(target), cache_line_addr(c, paddr));
    } else if (l->stale && reading) {
        hazard_raise(&m->hazards, MMSIM_HAZARD_STALE_READ, line_site((int32_t)core, (uint32_t)ci, c, l, vaddr),
                     "read at 0x%08x hit a line whose %s bytes changed after it was filled", vaddr,
                     target_name(l->target));
    }
    bus_charge(m, core, chip->caches[ci].hit_cycles * ((n + 3u) / 4u));
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

/* Bytes from `vaddr` to the start of the next window (or `len` if none is closer). */
static uint32_t gap_to_window(const chipdef_t *chip, uint32_t vaddr, uint32_t len)
{
    uint32_t n = len;
    for (uint32_t i = 0; i < chip->window_count; i++)
        if (chip->windows[i].vaddr > vaddr && chip->windows[i].vaddr - vaddr < n)
            n = chip->windows[i].vaddr - vaddr;
    return n;
}

/* What the caller of access_pieces knows of its first piece. */
typedef enum {
    FIRST_NOT_TRIED, /* nothing: try the short cut */
    FIRST_REFUSED,   /* bus_try_hit did not take it */
    FIRST_MISSED,    /* bus_try_hit found its line absent from the cache */
} first_piece_t;

/* Everything but a plain hit: piece by piece (each a short cut where it can be,
 * but for the first if the caller tried that one already). */
static void access_pieces(machine_t *m, uint32_t core, bus_op_t op, uint32_t vaddr, uint8_t *buf, uint32_t len,
                          first_piece_t first)
{
    uint32_t n;
    access_t a = {m, core, op, 0};
    const char *outer = m->hazards.cause;
    if (!outer)
        m->hazards.cause = op_names[op];
    while (len) {
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
            n = gap_to_window(&m->chip, vaddr, len);
            fault(&a, vaddr, buf, n, m->chip.fill_no_window, MMSIM_HAZARD_UNMAPPED_ACCESS,
                  "%s at 0x%08x: no window holds this address%s", "");
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
    m->hazards.cause = outer;
}

int bus_cpu_access_pieces(machine_t *m, uint32_t core, bus_op_t op, uint32_t vaddr, uint8_t *buf, uint32_t len)
{
    access_pieces(m, core, op, vaddr, buf, len, FIRST_NOT_TRIED);
    return 0;
}

int bus_cpu_access_refused(machine_t *m, uint32_t core, bus_op_t op, uint32_t vaddr, uint8_t *buf, uint32_t len)
{
    access_pieces(m, core, op, vaddr, buf, len, FIRST_REFUSED);
    return 0;
}

int bus_cpu_access_missed(machine_t *m, uint32_t core, bus_op_t op, uint32_t vaddr, uint8_t *buf, uint32_t len)
{
    access_pieces(m, core, op, vaddr, buf, len, FIRST_MISSED);
    return 0;
}

/* ---- SPI1 and DMA ----------------------------------------------------------- */

static bool in_store(const store_t *s, uint32_t paddr, uint32_t len)
{
    return s && len <= store_size(s) && paddr <= store_size(s) - len;
}

static void with_cause(machine_t *m, const char **saved, const char *cause)
{
    *saved = m->hazards.cause;
    if (!*saved)
        m->hazards.cause = cause;
}

int bus_spi1_read(machine_t *m, uint32_t paddr, uint8_t *buf, uint32_t len)
{
    if (!in_store(m->flash, paddr, len))
        return -1;
    store_read(m->flash, paddr, buf, len);
    bus_charge(m, m->hal_core, timing_transaction_cycles(&m->chip.flash, m->chip.cpu_mhz, len));
    return 0;
}

int bus_spi1_program(machine_t *m, uint32_t paddr, const uint8_t *buf, uint32_t len)
{
    if (!in_store(m->flash, paddr, len) || store_program(m->flash, paddr, buf, len))
        return -1;
    const char *saved;
    with_cause(m, &saved, "spi1 write");
    backing_changed(m, CHIPDEF_TARGET_FLASH, paddr, len, NULL, NULL, NULL, false);
    m->hazards.cause = saved;
    bus_charge(m, m->hal_core, timing_flash_program_cycles(&m->chip.flash, m->chip.cpu_mhz, paddr, len));
    return 0;
}

int bus_spi1_erase(machine_t *m, uint32_t paddr, uint32_t len)
{
    if (!in_store(m->flash, paddr, len) || store_erase(m->flash, paddr, len))
        return -1;
    backing_changed(m, CHIPDEF_TARGET_FLASH, paddr, len, NULL, NULL, NULL, false);
    bus_charge(m, m->hal_core, timing_flash_erase_cycles(&m->chip.flash, m->chip.cpu_mhz, paddr, len));
    return 0;
}

int bus_dma_read(machine_t *m, uint32_t target, uint32_t paddr, uint8_t *buf, uint32_t len)
{
    store_t *s = machine_store(m, target);
    if (!in_store(s, paddr, len))
        return -1;
    const char *saved;
    with_cause(m, &saved, "dma read");
    FOR_EACH_INSTANCE(m, i, k, c) {
        uint32_t n = cache_line_count(c);
        for (uint32_t j = 0; j < n; j++) {
            cache_line_t *l = &c->lines[j];
            if (l->valid && l->dirty && l->target == target && overlaps(l->paddr, c->def.line_size, paddr, len))
                hazard_raise(&m->hazards, MMSIM_HAZARD_DMA_STALE,
                             line_site(c->def.per_core ? (int32_t)k : -1, i, c, l, l->key),
                             "DMA read of %s 0x%08x+%u while %s line 0x%08x holds newer dirty bytes "
                             "(no write-back before the DMA)",
                             target_name(target), paddr, len, m->chip.caches[i].name, l->key);
        }
    }
    m->hazards.cause = saved;
    store_read(s, paddr, buf, len);
    return 0;
}

int bus_dma_write(machine_t *m, uint32_t target, uint32_t paddr, const uint8_t *buf, uint32_t len)
{
    store_t *s = machine_store(m, target);
    if (!in_store(s, paddr, len))
        return -1;
    int r = target == CHIPDEF_TARGET_FLASH ? store_program(s, paddr, buf, len) : store_write(s, paddr, buf, len);
    if (r)
        return -1;
    backing_changed(m, target, paddr, len, NULL, NULL, NULL, false);
    return 0;
}

/* ---- cache maintenance ------------------------------------------------------ */

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
        writeback_line(m, core, core, ci, c, l);
        return 1;
    }
    if (l->dirty)
        hazard_raise(&m->hazards, MMSIM_HAZARD_LOST_WRITE, line_site((int32_t)core, ci, c, l, l->key),
                     "%s line 0x%08x was invalidated while dirty: its writes to %s 0x%08x are lost",
                     m->chip.caches[ci].name, l->key, target_name(l->target), l->paddr);
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
