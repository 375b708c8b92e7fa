/* direct.c - attaching a machine to the process (reserving its windows at their own
 * host addresses), the threads' cores, the machine's lock, the machine accesses the
 * handler and the interceptors make, and the host site of each hazard they raise. */
#define _GNU_SOURCE
#include "direct_internal.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

direct_state_t direct_g;
_Thread_local uint32_t direct_thread_core;

static _Thread_local long thread_id;

static long self_id(void)
{
    if (!thread_id)
        thread_id = syscall(SYS_gettid);
    return thread_id;
}

/* ---- the lock -------------------------------------------------------------------- */

/* A spin lock (yielding), because the fault handler takes it: a mutex is not
 * async-signal-safe.  Recursive, so a thread that holds it around driver calls may
 * still dereference window pointers. */
void direct_lock_take(void)
{
    long me = self_id();
    if (atomic_load_explicit(&direct_g.lock_owner, memory_order_relaxed) == me) {
        direct_g.lock_depth++;
        return;
    }
    direct_turn_wait();
    for (;;) {
        long free_ = 0;
        if (atomic_compare_exchange_weak_explicit(&direct_g.lock_owner, &free_, me, memory_order_acquire,
                                                  memory_order_relaxed))
            break;
        sched_yield();
    }
    direct_g.lock_depth = 1;
}

void direct_lock_give(void)
{
    if (--direct_g.lock_depth == 0) {
        direct_turn_pass();
        atomic_store_explicit(&direct_g.lock_owner, 0, memory_order_release);
    }
}

void mmsim_direct_lock(void) { direct_lock_take(); }
void mmsim_direct_unlock(void)
{
    if (atomic_load(&direct_g.lock_owner) == self_id())
        direct_lock_give();
}

/* ---- machine accesses -------------------------------------------------------------- */

/* The hazard-site table outlives a detach: a program (or a fuzzer) that attaches once
 * per run pays for it once per process.  Freed when the library is unloaded (the bench
 * dlopens and dlcloses it), so a leak checker sees nothing lost. */
static direct_site_rec_t *site_table;

__attribute__((destructor)) static void free_site_table(void)
{
    if (!atomic_load(&direct_g.m)) {
        free(site_table);
        site_table = NULL;
    }
}

static void record_site(size_t before, size_t after, uintptr_t pc)
{
    if (after <= before || !direct_g.sites)
        return;
    direct_site_rec_t *r = &direct_g.sites[direct_g.nsites % DIRECT_MAX_SITES];
    *r = (direct_site_rec_t){.first = before, .count = after - before, .pc = pc};
    direct_g.nsites++;
}

int direct_read(uintptr_t a, void *buf, size_t len, uintptr_t pc)
{
    mmsim_t *m = direct_g.m;
    size_t before = mmsim_hazard_count(m);
    int r = mmsim_cpu_read(m, direct_thread_core, (uint32_t)a, buf, len);
    record_site(before, mmsim_hazard_count(m), pc);
    return r;
}

int direct_write(uintptr_t a, const void *buf, size_t len, uintptr_t pc)
{
    mmsim_t *m = direct_g.m;
    size_t before = mmsim_hazard_count(m);
    int r = mmsim_cpu_write(m, direct_thread_core, (uint32_t)a, buf, len);
    record_site(before, mmsim_hazard_count(m), pc);
    return r;
}

/* ---- attach and detach ----------------------------------------------------------- */

static void add_range(direct_range_t *rs, uint32_t *n, uintptr_t lo, uintptr_t hi)
{
    long page = sysconf(_SC_PAGESIZE);
    lo &= ~(uintptr_t)(page - 1);
    hi = (hi + (uintptr_t)page - 1) & ~(uintptr_t)(page - 1);
    /* Merge with an overlapping or adjacent range (windows of one bus often touch). */
    for (uint32_t i = 0; i < *n; i++)
        if (lo <= rs[i].hi && hi >= rs[i].lo) {
            rs[i].lo = lo < rs[i].lo ? lo : rs[i].lo;
            rs[i].hi = hi > rs[i].hi ? hi : rs[i].hi;
            return;
        }
    if (*n < DIRECT_MAX_RANGES)
        rs[(*n)++] = (direct_range_t){lo, hi};
}

static void release_ranges(const direct_range_t *rs, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        munmap((void *)rs[i].lo, rs[i].hi - rs[i].lo);
}

int mmsim_direct_attach(mmsim_t *m)
{
#if !defined(__x86_64__) || !defined(__linux__)
    (void)m;
    return mmsim_report_error(MMSIM_ERR_HOST, "%s: pointer access needs an x86-64 Linux host", __func__);
#else
    if (!m)
        return mmsim_report_error(MMSIM_ERR_ARG, "%s: machine is NULL", __func__);
    if (direct_g.m)
        return mmsim_report_error(MMSIM_ERR_HOST, "%s: a machine (%s) is already attached to this process; detach it first",
                                  __func__, mmsim_chip_name(direct_g.m));
    direct_range_t rs[DIRECT_MAX_RANGES];
    uint32_t n = 0;
    const char *names[DIRECT_MAX_RANGES] = {0};
    for (uint32_t w = 0; w < mmsim_window_count(m); w++) {
        mmsim_window_info_t wi;
        if (mmsim_window_info(m, w, &wi) == 0 && wi.size) {
            uint32_t before = n;
            add_range(rs, &n, wi.vaddr, (uintptr_t)wi.vaddr + wi.size);
            if (n > before)
                names[n - 1] = wi.name;
        }
    }
    uint32_t ir_vaddr = 0, ir_size = 0;
    mmsim_clear_error();
    if (mmsim_internal_ram(m, &ir_vaddr, &ir_size) == 0 && ir_size) {
        uint32_t before = n;
        add_range(rs, &n, ir_vaddr, (uintptr_t)ir_vaddr + ir_size);
        if (n > before)
            names[n - 1] = "internal RAM";
    }
    mmsim_clear_error();
    for (uint32_t i = 0; i < n; i++) {
        void *p = mmap((void *)rs[i].lo, rs[i].hi - rs[i].lo, PROT_NONE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
        if (p != (void *)rs[i].lo) {
            int e = errno;
            if (p != MAP_FAILED)
                munmap(p, rs[i].hi - rs[i].lo);
            release_ranges(rs, i);
            return mmsim_report_error(MMSIM_ERR_HOST,
                                      "%s: the host range 0x%lx-0x%lx of %s's window %s is already in use in this "
                                      "process (%s)",
                                      __func__, (unsigned long)rs[i].lo, (unsigned long)rs[i].hi, mmsim_chip_name(m),
                                      names[i] ? names[i] : "?", p == MAP_FAILED ? strerror(e) : "placed elsewhere");
        }
    }
    if (!site_table)
        site_table = calloc(DIRECT_MAX_SITES, sizeof *site_table);
    direct_site_rec_t *sites = site_table;
    if (!sites) {
        release_ranges(rs, n);
        return mmsim_report_error(MMSIM_ERR_NOMEM, "%s: no host memory for the hazard-site table", __func__);
    }
    memcpy(direct_g.ranges, rs, sizeof rs);
    direct_g.nranges = n;
    direct_g.lo_env = UINTPTR_MAX;
    direct_g.hi_env = 0;
    for (uint32_t i = 0; i < n; i++) {
        direct_g.lo_env = rs[i].lo < direct_g.lo_env ? rs[i].lo : direct_g.lo_env;
        direct_g.hi_env = rs[i].hi > direct_g.hi_env ? rs[i].hi : direct_g.hi_env;
    }
    direct_g.sites = sites;
    direct_g.nsites = 0;
    direct_g.cores = mmsim_cores(m);
    direct_g.faults = direct_g.emulated = direct_g.shadowed = 0;
    direct_g.intercepted = direct_g.intercepted_bytes = 0;
    direct_thread_core = 0;
    int r = direct_fault_install();
    if (r != 0) {
        release_ranges(rs, n);
        direct_g.sites = NULL;
        direct_g.nranges = 0;
        direct_g.lo_env = direct_g.hi_env = 0;
        return r;
    }
    atomic_store(&direct_g.m, m);
    return MMSIM_OK;
#endif
}

int mmsim_direct_detach(mmsim_t *m)
{
    if (!m || m != direct_g.m)
        return mmsim_report_error(MMSIM_ERR_ARG, "%s: this machine is not attached", __func__);
    direct_lock_take();
    direct_fault_remove();
    atomic_store(&direct_g.m, NULL);
    direct_g.lo_env = direct_g.hi_env = 0;
    release_ranges(direct_g.ranges, direct_g.nranges);
    direct_g.nranges = 0;
    direct_g.sites = NULL; /* kept for the next attach */
    direct_g.nsites = 0;
    direct_lock_give();
    return MMSIM_OK;
}

mmsim_t *mmsim_direct_machine(void) { return direct_g.m; }

int mmsim_direct_bind_core(uint32_t core)
{
    mmsim_t *m = direct_g.m;
    if (!m)
        return mmsim_report_error(MMSIM_ERR_ARG, "%s: no machine is attached", __func__);
    if (core >= direct_g.cores)
        return mmsim_report_error(MMSIM_ERR_ARG, "%s: core %u does not exist (%s has %u)", __func__, core,
                                  mmsim_chip_name(m), direct_g.cores);
    direct_thread_core = core;
    mmsim_select(m);
    return MMSIM_OK;
}

uint32_t mmsim_direct_core(void) { return direct_thread_core; }

int mmsim_direct_is_window(const void *p, size_t len)
{
    return direct_touches((uintptr_t)p, len ? len : 1);
}

/* ---- hazard sites and counters ----------------------------------------------------- */

int mmsim_direct_hazard_site(size_t i, mmsim_direct_site_t *out)
{
    if (!out)
        return mmsim_report_error(MMSIM_ERR_ARG, "%s: out is NULL", __func__);
    if (!direct_g.m)
        return mmsim_report_error(MMSIM_ERR_ARG, "%s: no machine is attached", __func__);
    direct_lock_take();
    uintptr_t pc = 0;
    size_t kept = direct_g.nsites < DIRECT_MAX_SITES ? direct_g.nsites : DIRECT_MAX_SITES;
    /* Newest first: after mmsim_hazard_clear the numbering starts again, and the
     * newest records are the ones that number now. */
    for (size_t k = 0; k < kept && !pc; k++) {
        const direct_site_rec_t *r = &direct_g.sites[(direct_g.nsites - 1 - k) % DIRECT_MAX_SITES];
        if (i >= r->first && i < r->first + r->count)
            pc = r->pc;
    }
    direct_lock_give();
    if (!pc)
        return mmsim_report_error(MMSIM_ERR_ARG, "%s: hazard record %zu was not raised by a pointer access",
                                  __func__, i);
    direct_site_resolve(pc, out);
    return MMSIM_OK;
}

char *mmsim_direct_hazard_format(size_t i, char *buf, size_t size)
{
    if (!buf || !size)
        return buf;
    buf[0] = '\0';
    const mmsim_hazard_t *h = direct_g.m ? mmsim_hazard_get(direct_g.m, i) : NULL;
    if (!h)
        return buf;
    mmsim_hazard_format(h, buf, size);
    mmsim_direct_site_t site;
    if (mmsim_direct_hazard_site(i, &site) != 0) {
        mmsim_clear_error();
        return buf;
    }
    size_t used = strlen(buf);
    if (site.file[0])
        snprintf(buf + used, size - used, " at %s:%u%s%s%s", site.file, site.line, site.function[0] ? " (" : "",
                 site.function, site.function[0] ? ")" : "");
    else
        snprintf(buf + used, size - used, " at pc 0x%lx", (unsigned long)site.pc);
    return buf;
}

int mmsim_direct_stats(mmsim_direct_stats_t *out)
{
    if (!out)
        return mmsim_report_error(MMSIM_ERR_ARG, "%s: out is NULL", __func__);
    *out = (mmsim_direct_stats_t){direct_g.faults, direct_g.emulated, direct_g.shadowed, direct_g.intercepted,
                                  direct_g.intercepted_bytes};
    return MMSIM_OK;
}
