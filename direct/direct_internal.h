/* direct_internal.h - the state shared by the files of direct/: the attached machine
 * and its reserved ranges, the thread's core, the machine's lock, the hazard-site
 * table, and the memory accessors the handler and the interceptors use. */
#ifndef DIRECT_INTERNAL_H
#define DIRECT_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <signal.h>

#include "mmsim_direct.h"

#define DIRECT_MAX_RANGES 16
/* As many sites as the machine keeps hazard records. */
#define DIRECT_MAX_SITES 65536

typedef struct {
    uintptr_t lo, hi; /* [lo, hi), page aligned */
} direct_range_t;

/* One pointer access that raised hazards: records [first, first + count). */
typedef struct {
    size_t first, count;
    uintptr_t pc;
} direct_site_rec_t;

typedef struct {
    mmsim_t *_Atomic m;            /* NULL: nothing attached */
    uint32_t cores;
    uint32_t nranges;
    direct_range_t ranges[DIRECT_MAX_RANGES];
    /* Envelope of the ranges, the compare of the fast path; both 0 while detached. */
    uintptr_t lo_env, hi_env;
    struct sigaction previous_segv;
    /* The lock: owner thread id (0: free) and depth, so a thread holding it may fault. */
    _Atomic long lock_owner;
    uint32_t lock_depth;
    direct_site_rec_t *sites;      /* DIRECT_MAX_SITES, a ring */
    size_t nsites;                 /* total appended */
    _Atomic uint64_t faults, emulated, shadowed, intercepted, intercepted_bytes;
} direct_state_t;

extern direct_state_t direct_g;

/* The calling thread's core (0 until mmsim_direct_bind_core). */
extern _Thread_local uint32_t direct_thread_core;

/* True if [a, a + len) touches a reserved range: one subtraction and compare when it
 * is far from every window, so the interceptors cost nothing more for host memory. */
static inline bool direct_touches(uintptr_t a, size_t len)
{
    if (a >= direct_g.hi_env || a + len <= direct_g.lo_env)
        return false;
    for (uint32_t i = 0; i < direct_g.nranges; i++)
        if (a < direct_g.ranges[i].hi && a + len > direct_g.ranges[i].lo)
            return true;
    return false;
}

void direct_lock_take(void);
void direct_lock_give(void);

/* Machine accesses at host address `a` (a window address: its low 32 bits are the
 * chip address) on this thread's core; the lock must be held.  `pc` is recorded with
 * any hazard raised.  Return mmsim's code. */
int direct_read(uintptr_t a, void *buf, size_t len, uintptr_t pc);
int direct_write(uintptr_t a, const void *buf, size_t len, uintptr_t pc);

/* The fault handler (direct_fault.c): install at attach, remove at detach. */
int direct_fault_install(void);
void direct_fault_remove(void);

/* Resolve a pc to file:line (direct_site.c), outside any signal handler. */
void direct_site_resolve(uintptr_t pc, mmsim_direct_site_t *out);

/* Byte copies that never call memcpy (the interceptors' own helpers, the handler). */
static inline void direct_copy(void *dst, const void *src, size_t n)
{
    volatile unsigned char *d = dst;
    const unsigned char *s = src;
    while (n--)
        *d++ = *s++;
}

#endif
