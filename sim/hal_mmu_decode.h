/* hal_mmu_decode.h - the MMU HAL's arithmetic on the bound chip's definition and MMU
 * tables: which table an mmu_id names, the entry id of a vaddr, the physical and virtual
 * base and target of an entry, the value an entry is written with, and the range checks
 * of the LL.  No HAL contracts and no hazards here: the ESP-IDF-named functions of
 * hal_mmu.c check their arguments first, then call these.  Private to hal_mmu.c. */
#ifndef MMSIM_HAL_MMU_DECODE_H
#define MMSIM_HAL_MMU_DECODE_H

#include <stdbool.h>
#include <stdint.h>

#include "machine.h"

#define HAL_MMU_INTERNAL __attribute__((visibility("hidden")))

/* How many mmu_id values the chip has: P4's MMUs, ESP32's per-CPU tables, else 1. */
HAL_MMU_INTERNAL uint32_t hal_mmu_id_count(const machine_t *m);

/* The MMU index and table instance of a valid mmu_id (on ESP32 the CPU's table, see
 * hal_mmu_decode.c). */
HAL_MMU_INTERNAL void hal_mmu_slot(const machine_t *m, uint32_t mmu_id, uint32_t *mmu, uint32_t *inst);

/* log2 of the HAL page size, or 0 for a size the HAL's conversions do not know. */
HAL_MMU_INTERNAL uint32_t hal_mmu_page_shift(const machine_t *m);

/* vaddr_start and its last byte in one window of `type`.  On chips with adjacent windows
 * of one view and one MMU (S2: IBUS0+IBUS1, DPORT+DRAM1+DRAM0) the LL checks whole bus
 * ranges, so a range may continue into the next window; ESP32's LL checks each cache
 * window on its own.  vaddr_start+len-1 wraps as in upstream's 32-bit arithmetic. */
HAL_MMU_INTERNAL bool hal_mmu_vaddr_region_ok(const machine_t *m, uint32_t vaddr_start, uint32_t len,
                                              uint32_t type);

/* [paddr_start, paddr_start+len) within the reach of MMU `mmu`. */
HAL_MMU_INTERNAL bool hal_mmu_paddr_region_ok(const machine_t *m, uint32_t mmu, uint32_t paddr_start,
                                              uint32_t len);

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
HAL_MMU_INTERNAL uint32_t hal_mmu_entry_value(const chipdef_mmu_t *u, uint32_t mmu_val, uint32_t target);

/* Write an entry, charging the HAL's core for the register write. */
HAL_MMU_INTERNAL void hal_mmu_write_raw(machine_t *m, uint32_t mmu, uint32_t inst, uint32_t entry, uint32_t raw);

/* The physical base and the target of entry `entry` holding `raw`. */
HAL_MMU_INTERNAL uint32_t hal_mmu_entry_paddr_base(const machine_t *m, uint32_t mmu, uint32_t raw, uint32_t entry);
HAL_MMU_INTERNAL uint32_t hal_mmu_entry_target(const machine_t *m, uint32_t mmu, uint32_t raw, uint32_t entry);

/* The first valid entry of the table holding page mmu_val of `target`, or -1. */
HAL_MMU_INTERNAL int hal_mmu_find_entry(const machine_t *m, uint32_t mmu, uint32_t inst, uint32_t mmu_val,
                                        uint32_t target);

/* The virtual base of entry `entry` in the window of `type` (0: data) it belongs to, or 0. */
HAL_MMU_INTERNAL uint32_t hal_mmu_entry_vaddr_base(const machine_t *m, uint32_t mmu, uint32_t entry, uint32_t type);

#endif
