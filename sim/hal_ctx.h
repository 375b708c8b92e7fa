/* hal_ctx.h - the machine the HAL acts on, and the conventions every hal_*.c follows.
 *
 * On a chip the HAL talks to the one set of registers there is.  Here the driver code
 * (core/) calls the same ESP-IDF-named functions with no machine argument, so each
 * thread has a "current machine" (hal_bind) that they act on.  With none bound a HAL
 * function does nothing and returns false/0: driver code run by mistake outside a
 * simulated chip must not crash the host.
 *
 * A broken HAL contract (the chip's HAL_ASSERT, which would abort) is recorded as an
 * MMSIM_HAZARD_HAL_ASSERT hazard and the function returns a neutral value without
 * touching the machine, so a scenario can report the bug and go on.
 *
 * Shape of a HAL function:
 *
 *     bool mmu_hal_something(uint32_t mmu_id, ...)
 *     {
 *         HAL_ENTER_RET(m, false);          // m = bound machine, or return false
 *         HAL_CHECK_RET(m, mmu_id < ids, false);
 *         ...
 *     }
 *
 * HAL_ENTER* names the function as the cause of every hazard raised until it returns
 * (the model's own hazards too, e.g. a lost write found by an invalidate), and puts
 * the previous cause back on every return path: while a nested HAL call runs, the
 * innermost function is the cause; when it returns, its caller is again. */
#ifndef MMSIM_HAL_CTX_H
#define MMSIM_HAL_CTX_H

#include <stdbool.h>
#include <stdint.h>

#include "machine.h"
#include "soc/ext_mem_defs.h"
#include "soc/soc_caps.h"

/* The machine bound to this thread, or NULL. */
machine_t *hal_machine(void);

/* The bound machine's chip definition, or a static all-zero one when none is bound
 * (never NULL): what the SOC_* and CACHE_LL_* values of the public headers read. */
const chipdef_t *hal_chip(void);

/* Bind `m` (NULL: none) to this thread. */
void hal_bind(machine_t *m);

/* Record "func: HAL_ASSERT(expr) failed" as an MMSIM_HAZARD_HAL_ASSERT hazard. */
void hal_assert_fail(machine_t *m, const char *func, const char *expr);

/* Record an MMSIM_HAZARD_ABORT hazard: "func: abort() (why)". */
void hal_abort(machine_t *m, const char *func, const char *why);

/* ESP32-S3's ROM Cache_WriteBack_Addr erratum (hal_rom_cache.c): record a write-back of
 * [addr, addr + size) that the selected release leaves to the ROM's own routine. */
void hal_rom_writeback_errata(machine_t *m, uint32_t addr, uint32_t size);

/* ---- chip predicates for upstream's per-chip HAL variants ------------------------ */

/* ESP32's MMU (per-CPU tables, DPORT registers, 32 KB PSRAM pages) and the LL quirks
 * that come with it. */
static inline bool hal_mmu_per_cpu(const machine_t *m) { return m->chip.mmu_scope == CHIPDEF_MMU_PER_CPU; }

/* ESP32-P4: one MMU per target (SOC_MMU_PER_EXT_MEM_TARGET). */
static inline bool hal_mmu_per_target(const machine_t *m) { return m->chip.mmu_scope == CHIPDEF_MMU_PER_TARGET; }

/* ESP32's cache_hal is its own file upstream (cache_hal_esp32.c): no per-address cache
 * operations, a fixed "line size" of 4 for msync, suspend/resume per CPU.  The chip
 * definition marks that HAL by a non-zero hal_ext_line_size, which no other chip has. */
static inline bool hal_cache_hal_esp32(const machine_t *m) { return m->chip.hal_ext_line_size != 0; }

/* ---- entering a HAL function ----------------------------------------------------- */

/* Enter a void HAL function: `m` becomes the bound machine; with none, return.  The
 * function names the hazards raised until it returns (hazard.h: HAZARD_CAUSE). */
#define HAL_ENTER(m)                     \
    machine_t *const m = hal_machine(); \
    if (!m)                              \
        return;                          \
    HAZARD_CAUSE(&(m)->hazards, __func__)

/* Enter a HAL function returning a value; with no machine, return `neutral`. */
#define HAL_ENTER_RET(m, neutral)        \
    machine_t *const m = hal_machine(); \
    if (!m)                              \
        return (neutral);                \
    HAZARD_CAUSE(&(m)->hazards, __func__)

/* The chip's HAL_ASSERT(cond): on failure record it and return (void functions). */
#define HAL_CHECK(m, cond)                               \
    do {                                                 \
        if (!(cond)) {                                   \
            hal_assert_fail((m), __func__, #cond);       \
            return;                                      \
        }                                                \
    } while (0)

/* HAL_ASSERT(cond) in a function returning a value: on failure record and return `neutral`. */
#define HAL_CHECK_RET(m, cond, neutral)                  \
    do {                                                 \
        if (!(cond)) {                                   \
            hal_assert_fail((m), __func__, #cond);       \
            return (neutral);                            \
        }                                                \
    } while (0)

#endif
