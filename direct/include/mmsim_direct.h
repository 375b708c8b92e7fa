/* mmsim_direct.h - the user's own host code dereferencing chip addresses: once a
 * machine is attached, a pointer that esp_mmu_map, esp_partition_mmap or
 * heap_caps_malloc returned works with `*p`, `p[i]`, memcpy, strcmp ... in this
 * process, and every such access goes through the machine's MMU and caches on the
 * calling thread's core (mmsim_cpu_read/write), with its hazards and cycles.
 *
 * x86-64 Linux only (libmmsim_direct; the rest of mmsim builds everywhere).  The chip's
 * windows (and its internal RAM) are reserved PROT_NONE at their own host addresses;
 * a fault there is decoded (Zydis) and done on the machine:
 *   - mov/movzx/movsx loads and stores of 1-8 bytes, (rep) movs/stos, call/jmp through
 *     a pointer in a window: emulated in the fault handler;
 *   - every other instruction with a window operand (SSE/AVX/AVX-512, masked or not,
 *     ALU with a memory operand, locked read-modify-write, xchg, cmpxchg): run out of
 *     line on a per-thread shadow of the operand, filled from the machine before and
 *     written back after, under the machine's lock (so locked instructions stay atomic);
 *   - memcpy, memmove, memset, memcmp, strlen, strcmp, strncmp, strcpy, strncpy,
 *     memchr (and their __*_chk forms) are intercepted: a range touching a window
 *     becomes machine accesses line by line, with no fault per instruction;
 *   - an instruction fetch from a window is refused (a message, then the fault goes on
 *     as a crash), and every fault outside the windows goes to the handler that was
 *     there before (a real crash still crashes; ASan still reports).
 * Window pointers never reach the kernel: read(fd, p, n) or write(fd, p, n) with a
 * window pointer fails with EFAULT.
 *
 * Errors are mmsim's (mmsim_last_error); MMSIM_ERR_HOST where the host cannot. */
#ifndef MMSIM_DIRECT_H
#define MMSIM_DIRECT_H

#include <stddef.h>
#include <stdint.h>

#include "mmsim.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Make pointers into `m`'s windows work in this process, and bind the calling thread
 * to the driver core (0).  One machine at a time.
 * Returns MMSIM_OK; or
 *   MMSIM_ERR_ARG   m NULL;
 *   MMSIM_ERR_HOST  not x86-64 Linux, a machine (this one or another) is already
 *                   attached, or a window's host address range is already in use
 *                   (the message names the window and the range);
 *   MMSIM_ERR_NOMEM no host memory for the bookkeeping.
 * On failure nothing is reserved and no handler is installed. */
int mmsim_direct_attach(mmsim_t *m);

/* Undo mmsim_direct_attach: release the windows, restore the fault handler that was
 * there before.  Call it before mmsim_close(m).
 * Returns MMSIM_OK; MMSIM_ERR_ARG if `m` is not the attached machine. */
int mmsim_direct_detach(mmsim_t *m);

/* The attached machine, NULL if none. */
mmsim_t *mmsim_direct_machine(void);

/* Bind the calling thread to `core`: its pointer accesses run on that core, and it
 * makes the attached machine its current one (mmsim_select) so it may call the driver
 * API.  Threads that never call it run on core 0.
 * Returns MMSIM_OK; MMSIM_ERR_ARG if nothing is attached or the chip has no such core
 * (the binding is then unchanged). */
int mmsim_direct_bind_core(uint32_t core);

/* The core the calling thread's accesses run on. */
uint32_t mmsim_direct_core(void);

/* The machine's lock, recursive per thread.  Every pointer access takes it; a thread
 * calling the driver API (esp_mmu_map, esp_cache_msync, ...) while other threads
 * dereference window pointers holds it around the call. */
void mmsim_direct_lock(void);
void mmsim_direct_unlock(void);

/* True if [p, p + len) touches a window of the attached machine (false if none). */
int mmsim_direct_is_window(const void *p, size_t len);

/* Where a hazard came from in the host program. */
typedef struct {
    uintptr_t pc;          /* the host instruction (or the caller of memcpy, ...) */
    char file[200];        /* source file from the debug info, "" without */
    uint32_t line;         /* 0 without debug info */
    uint32_t column;
    char function[80];     /* "" if unknown */
} mmsim_direct_site_t;

/* The host site of hazard record `i` (mmsim_hazard_get) of the attached machine, if a
 * pointer access of this process raised it; file and line through libdw where the
 * code has debug info.
 * Returns MMSIM_OK; MMSIM_ERR_ARG if nothing is attached, out is NULL, or the record
 * was not raised by a pointer access (a driver call, a mmsim_cpu_* call). */
int mmsim_direct_hazard_site(size_t i, mmsim_direct_site_t *out);

/* mmsim_hazard_format of record `i`, followed by " at file:line (function)" or " at
 * pc 0x..." when mmsim_direct_hazard_site knows it.  Truncated as snprintf; returns
 * buf ("" for a record that does not exist). */
char *mmsim_direct_hazard_format(size_t i, char *buf, size_t size);

/* Counters since attach. */
typedef struct {
    uint64_t faults;           /* faults handled (emulated + shadowed + refused) */
    uint64_t emulated;         /* done in the handler */
    uint64_t shadowed;         /* run out of line on the shadow */
    uint64_t intercepted;      /* memcpy/strlen/... calls that touched a window */
    uint64_t intercepted_bytes;
} mmsim_direct_stats_t;

/* The counters into *out.  MMSIM_OK; MMSIM_ERR_ARG for a NULL out. */
int mmsim_direct_stats(mmsim_direct_stats_t *out);

#ifdef __cplusplus
}
#endif

#endif
