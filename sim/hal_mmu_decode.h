/* hal_mmu_decode.h - the MMU HAL's arithmetic on the bound chip's definition and MMU
 * tables: which table an mmu_id names, the entry id of a vaddr, the physical and virtual
 * base and target of an entry, the value an entry is written with.  No HAL contracts
 * and no hazards here: the ESP-IDF-named functions of
 * hal_mmu.c check their arguments first, then call these.  Private to hal_mmu.c. */
#ifndef MMSIM_HAL_MMU_DECODE_H
#define MMSIM_HAL_MMU_DECODE_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "hal/mmu_types.h"
#include "machine.h"

#define HAL_MMU_INTERNAL __attribute__((visibility("hidden")))

/* How many mmu_id values the chip has: P4's MMUs, ESP32's per-CPU tables, else 1. */
static inline uint32_t hal_mmu_id_count(const machine_t *m)
{
    const chipdef_t *c = &m->chip;
    if (c->mmu_count > 1)
        return c->mmu_count;
    return c->mmu_count ? c->mmus[0].tables : 0;
}

/* The MMU index and table instance of a valid mmu_id (on ESP32 the CPU's table, see
 * hal_mmu_decode.c). */
static inline void hal_mmu_slot(const machine_t *m, uint32_t mmu_id, uint32_t *mmu, uint32_t *inst)
{
    if (m->chip.mmu_count > 1) {
        *mmu = mmu_id;
        *inst = 0;
    } else {
        *mmu = 0;
        *inst = mmu_id;
    }
}

/* log2 of MMU `mmu`'s page size, or 0 for a size mmu_hal.c's conversions do not know
 * (they switch on 16, 32 and 64 KB only: S31's 128/256 KB flash pages assert there). */
static inline uint32_t hal_mmu_page_shift(const machine_t *m, uint32_t mmu)
{
    switch (chipdef_mmu_page_size(&m->chip, mmu)) {
    case MMU_PAGE_64KB:
        return 16;
    case MMU_PAGE_32KB:
        return 15;
    case MMU_PAGE_16KB:
        return 14;
    default:
        return 0;
    }
}

/* Whether the LL's entry -> address helpers (mmu_ll_entry_id_to_paddr_base,
 * mmu_ll_entry_id_to_vaddr_base) know MMU `mmu`'s page size: no chip's LL decodes
 * pages over 64 KB there (S31's switches stop at 64 KB while its MMU takes 256 KB). */
static inline bool hal_mmu_ll_decodes_page(const machine_t *m, uint32_t mmu)
{
    return chipdef_mmu_page_size(&m->chip, mmu) <= MMU_PAGE_64KB;
}

/* Window `w` serves virtual addresses of `type`: a window shared by both views serves
 * any type (upstream ignores the type there). */
static inline bool hal_mmu_window_serves(const chipdef_window_t *w, uint32_t type)
{
    return (w->types & type) || w->types == (CHIPDEF_VADDR_DATA | CHIPDEF_VADDR_INSTRUCTION);
}

/* The window an entry of MMU `mmu` belongs to: the one (serving `type`, if not 0) whose
 * entries hold it, else, for type 0, the group at or below it (ESP32 entries 64-76
 * precede the cached IRAM0 window but are flash entries of that group).  NULL if none. */
HAL_MMU_INTERNAL const chipdef_window_t *hal_mmu_window_of_entry(const chipdef_t *c, uint32_t mmu, uint32_t entry,
                                                                 uint32_t type);

/* The entry id of `vaddr` (ESP32 DRAM1: the aliasing formula); false outside every
 * window. */
HAL_MMU_INTERNAL bool hal_mmu_entry_id_of(const machine_t *m, uint32_t vaddr, uint32_t *entry);

/* paddr as the page number an entry of MMU `mmu` holds for `target`. */
HAL_MMU_INTERNAL uint32_t hal_mmu_format_paddr(const machine_t *m, uint32_t mmu, uint32_t paddr, uint32_t target);

/* The raw value of a valid entry holding page number mmu_val for `target`.  mmu_val is
 * OR-ed in unmasked, as upstream writes it: on P4 a page number beyond the value field
 * runs into the flag bits (§4.2 note).  Where the MMU decides the target (P4, flash-only
 * chips) its own target bits are used. */
static inline uint32_t hal_mmu_entry_value(const chipdef_mmu_t *u, uint32_t mmu_val, uint32_t target)
{
    uint32_t t = u->target_from == CHIPDEF_TARGET_FROM_MMU ? u->targets : target;
    return mmu_encode(u, t, 0) | mmu_val;
}

/* Write an entry, charging the HAL's core for the register write. */
static inline void hal_mmu_write_raw(machine_t *m, uint32_t mmu, uint32_t inst, uint32_t entry, uint32_t raw)
{
    mmu_write_entry(&m->mmu, mmu, inst, entry, raw);
    m->mmu.index_reg[mmu] = entry;
    bus_charge_for(m, m->hal_core, MACHINE_SPENT_MMU, BUS_MMU_ENTRY_CYCLES);
}

/* The physical base and the target of entry `entry` holding `raw`. */
HAL_MMU_INTERNAL uint32_t hal_mmu_entry_paddr_base(const machine_t *m, uint32_t mmu, uint32_t raw, uint32_t entry);
HAL_MMU_INTERNAL uint32_t hal_mmu_entry_target(const machine_t *m, uint32_t mmu, uint32_t raw, uint32_t entry);

/* The first valid entry of the table holding page mmu_val of `target`, or -1. */
HAL_MMU_INTERNAL int hal_mmu_find_entry(const machine_t *m, uint32_t mmu, uint32_t inst, uint32_t mmu_val,
                                        uint32_t target);

/* The virtual base of entry `entry` in the window of `type` (0: data) it belongs to, or 0. */
HAL_MMU_INTERNAL uint32_t hal_mmu_entry_vaddr_base(const machine_t *m, uint32_t mmu, uint32_t entry, uint32_t type);

#endif
