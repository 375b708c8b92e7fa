/* mmu.h - the MMU tables of a chip, stored in the chip's own entry encoding, and the
 * address decode in front of them: virtual window -> MMU -> entry -> physical page.
 *
 * Entries are kept exactly as the registers hold them (valid or invalid bit, target
 * bit, page number), so a dump reads like the hardware.  Per-CPU chips (ESP32) have
 * one table per core; P4 has one MMU per target. */
#ifndef MMSIM_MMU_H
#define MMSIM_MMU_H

#include <stdbool.h>
#include <stdint.h>

#include "chipdef.h"

typedef struct {
    const chipdef_t *chip;
    /* tables[mmu][instance]: `entries` raw words each; instance = core on per-CPU chips. */
    uint32_t *tables[CHIPDEF_MAX_MMUS][CHIPDEF_MAX_CORES];
    /* unmapped[mmu][instance][entry]: MMU_ENTRY_UNMAPPED when the entry held a valid
     * mapping that was since invalidated (an access through it is a use after unmap,
     * not a wild access); MMU_ENTRY_RELEASED when it is valid but the driver released
     * the page; 0 otherwise.  Any write of the entry resets it. */
    uint8_t *unmapped[CHIPDEF_MAX_MMUS][CHIPDEF_MAX_CORES];
    /* The entry index register of each MMU (SPI_MEM_MMU_ITEM_INDEX_REG): the entry the
     * last indexed register access of the HAL named. */
    uint32_t index_reg[CHIPDEF_MAX_MMUS];
    uint64_t entry_writes;
    /* Moves on every change to any table (never 0): what a translation cached
     * elsewhere (tlb.h) was computed from is still there while it stands still. */
    uint64_t gen;
} mmu_t;

/* Where a virtual address lands. */
typedef struct {
    const chipdef_window_t *window;
    uint32_t mmu;        /* index into chip->mmus */
    uint32_t entry;      /* entry id */
    uint32_t page_size;  /* of this window's entries */
    uint32_t offset;     /* vaddr offset inside the page */
} mmu_decode_t;

enum { MMU_ENTRY_UNMAPPED = 1, MMU_ENTRY_RELEASED = 2 };

typedef enum {
    MMU_XLATE_OK = 0,
    MMU_XLATE_NO_WINDOW = -1,     /* the address is in no window */
    MMU_XLATE_INVALID_ENTRY = -2, /* the window's entry for it is invalid (never mapped) */
    MMU_XLATE_UNMAPPED = -3,      /* the entry is invalid and was valid before */
    /* The entry is valid and translates, but the driver released the page without
     * touching the entry (ESP32 himem unmap): an access is a use after unmap that
     * still reaches the old physical page. */
    MMU_XLATE_RELEASED = 1,
} mmu_xlate_t;

/* Tables for `chip` (kept by pointer: it must outlive the MMU), every entry invalid.
 * 0, or -1 on allocation failure (nothing left allocated). */
int mmu_init(mmu_t *u, const chipdef_t *chip);
void mmu_fini(mmu_t *u);

/* Mark every entry of every table invalid (the reset state: nothing counts as
 * unmapped afterwards). */
void mmu_unmap_all(mmu_t *u);

/* Entry encoding of MMU `m`. */
uint32_t mmu_encode(const chipdef_mmu_t *m, uint32_t target, uint32_t page);
uint32_t mmu_invalid_value(const chipdef_mmu_t *m);
bool mmu_entry_is_valid(const chipdef_mmu_t *m, uint32_t raw);
static inline uint32_t mmu_entry_page(const chipdef_mmu_t *m, uint32_t raw) { return raw & m->value_mask; }
/* The target an entry points at (needs the window for ESP32-style per-window targets). */
uint32_t mmu_entry_target(const chipdef_mmu_t *m, const chipdef_window_t *w, uint32_t raw);

/* The window holding `vaddr`, or NULL. */
const chipdef_window_t *mmu_window_of(const chipdef_t *chip, uint32_t vaddr);

/* Decode `vaddr` to its window, MMU and entry.  False if no window holds it. */
bool mmu_decode(const chipdef_t *chip, uint32_t vaddr, mmu_decode_t *out);

/* Number of table instances of MMU `mmu` (cores on per-CPU chips, else 1). */
static inline uint32_t mmu_instances(const mmu_t *u, uint32_t mmu) { return u->chip->mmus[mmu].tables; }

/* Read / write one raw entry; `instance` is the core on per-CPU chips (else 0). */
uint32_t mmu_read_entry(const mmu_t *u, uint32_t mmu, uint32_t instance, uint32_t entry);
void mmu_write_entry(mmu_t *u, uint32_t mmu, uint32_t instance, uint32_t entry, uint32_t raw);

/* Mark a valid entry released by the driver (no effect on an invalid one). */
void mmu_release_entry(mmu_t *u, uint32_t mmu, uint32_t instance, uint32_t entry);
/* The same for every entry behind [vaddr, vaddr + len), in every table instance;
 * stops at the first address outside every window. */
void mmu_release_range(mmu_t *u, uint32_t vaddr, uint32_t len);

/* Translate a CPU address as seen by `core`: physical address and target. */
mmu_xlate_t mmu_translate(const mmu_t *u, uint32_t core, uint32_t vaddr, uint32_t *paddr,
                          uint32_t *target);

#endif
