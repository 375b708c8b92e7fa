/* tlb.h - a small software TLB per core in front of the window and MMU decode of the
 * CPU path: what a CPU address decodes to (window, first cache and its instance,
 * MMU result, physical granule and target) for the last granules a core touched.
 *
 * This module is a container, like cache.h: it finds and stores entries.  What goes
 * into an entry is decided by the CPU path (cpu_path.c), which fills it from the
 * window table and the MMU on a miss.  An entry is valid only for the MMU generation
 * it was filled in (mmu_t.gen moves on every entry write), so an MMU write invalidates
 * every TLB at the cost of one counter increment, with no walk over the entries.
 *
 * A granule is the largest power of two that no window boundary, page boundary or
 * ESP32 low/high split falls inside (machine_new computes it), so everything in an
 * entry holds for every byte of its granule. */
#ifndef MMSIM_TLB_H
#define MMSIM_TLB_H

#include <stdbool.h>
#include <stdint.h>

#include "chipdef.h"

#define TLB_INDEX_BITS 6u
#define TLB_ENTRIES (1u << TLB_INDEX_BITS) /* per core, direct mapped */

/* Index [f] below: 0 for loads and stores, 1 for instruction fetches. */
typedef struct {
    uint64_t gen;               /* mmu_t.gen when filled; 0 = never filled */
    uint32_t granule;           /* vaddr >> shift */
    uint32_t pbase;             /* physical address of the granule's first byte (x == OK) */
    const chipdef_window_t *w;  /* never NULL: addresses in no window are not cached */
    int8_t x;                   /* mmu_xlate_t */
    uint8_t target;             /* CHIPDEF_TARGET_* (x == OK) */
    int8_t ci[2];               /* first cache of the access, -1: none */
    uint8_t inst[2];            /* the instance of that cache the access uses */
    /* For the short cut for plain hits (bus_try_hit in bus.h), worked out at fill: */
    uint8_t quick_ops;          /* bit op (bus_op_t): the window, entry and cache allow it */
    uint8_t word_only;          /* the window takes 32-bit accesses only */
    uint32_t bus;               /* the window's bus bit */
    uint32_t pdelta;            /* paddr - vaddr (mod 2^32) inside the granule */
    struct cache *cache[2];     /* the instance of ci[f] */
    const bool *off[2];         /* its disable flag */
    uint32_t line_mask[2];      /* its line size - 1 */
    uint32_t access_cycles[2];  /* its cost of a hit, per access, with the core's CPU cost */
    struct cache_line *last[2]; /* a hint: the line last hit, checked before use */
    uint8_t *last_data[2];      /* that line's bytes */
} __attribute__((aligned(128))) tlb_entry_t; /* two host cache lines, found with a shift */
_Static_assert(sizeof(tlb_entry_t) == 128, "an entry stays two host cache lines");

typedef struct {
    tlb_entry_t e[TLB_ENTRIES];
    uint64_t hits, misses;
    /* What one CPU access of this core is (machine_set_access): the width of a load or
     * store, as width - 1 and log2(width), so that a piece of n bytes is
     * (n + width_round) >> width_shift accesses; and the CPU cycles each costs beyond
     * the memory system.  Kept here, beside the hit counter the short cut updates. */
    uint32_t width_round, width_shift;
    uint32_t cpu_cycles;
} tlb_t;

/* The slot `vaddr` uses; it holds vaddr's granule if its granule and gen match.  The
 * granule number's next bits are folded into the index, so that granules a multiple
 * of TLB_ENTRIES apart do not take turns in one slot: ESP32's low/high PSRAM mode
 * reads x and x + 2 MB in turn, and 2 MB is 64 granules of 32 KB. */
static inline tlb_entry_t *tlb_slot(tlb_t *t, uint32_t shift, uint32_t vaddr)
{
    uint32_t g = vaddr >> shift;
    return &t->e[(g ^ (g >> TLB_INDEX_BITS)) & (TLB_ENTRIES - 1u)];
}

static inline int tlb_holds(const tlb_entry_t *e, uint32_t shift, uint32_t vaddr, uint64_t gen)
{
    return e->gen == gen && e->granule == vaddr >> shift;
}

#endif
