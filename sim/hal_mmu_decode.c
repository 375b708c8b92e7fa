/* hal_mmu_decode.c - the MMU HAL's arithmetic on the chip definition (see
 * hal_mmu_decode.h): mmu_id to table, vaddr to entry id, entry to physical and virtual
 * base, entry values.
 *
 * The address decode is the chip definition's: windows give the entry of a vaddr, the
 * view types and targets it serves, and the linear base.  The LL quirks the windows
 * cannot express are written out here:
 *   - ESP32 DRAM1 entry id = 1152 + ((v & 0x1FFFFF) >> 15): the upper 2 MB of the PSRAM
 *     window alias the lower 2 MB's entries (§1.9);
 *   - the HAL's page size is the MMU page size (64 KB on ESP32) even where a window's
 *     entries use smaller pages (ESP32 DRAM1: 32 KB), as upstream;
 *   - entry -> vaddr uses the window the entry belongs to; upstream's ESP32 IRAM1/IROM0
 *     and ESP32-S2 IBUS1/DBUS0/DBUS1/DBUS2 bases look wrong (§1.9, §7 item 2): a
 *     deliberate difference, in conversions the driver does not reach on the chip;
 *   - ESP32's helpers read the PRO table whatever mmu_id says upstream; here mmu_id
 *     selects the table (the same while both are written together, as the driver
 *     does), another such difference. */
#include "hal_mmu_decode.h"

#include "bus.h"
#include "hal/mmu_types.h"
#include "hal_ctx.h"

/* ESP32's DRAM1 entry id uses SOC_MMU_VADDR_MASK >> 1 (see the file comment). */
#define ESP32_DRAM1_VADDR_MASK (0x3FFFFFu >> 1)

const chipdef_window_t *hal_mmu_window_of_entry(const chipdef_t *c, uint32_t mmu, uint32_t entry,
                                                uint32_t type)
{
    const chipdef_window_t *below = NULL;
    for (uint32_t i = 0; i < c->window_count; i++) {
        const chipdef_window_t *w = &c->windows[i];
        if (w->mmu != mmu || (type && !hal_mmu_window_serves(w, type)))
            continue;
        if (entry - w->entry_base < w->size / w->page_size)
            return w;
        if (w->entry_base <= entry && (!below || w->entry_base > below->entry_base))
            below = w;
    }
    return type ? NULL : below;
}

/* Page size of MMU `mmu`'s entries for `target`: that of a window of the MMU reaching
 * it (ESP32 PSRAM: 32 KB), else the MMU page size. */
static uint32_t target_page_size(const chipdef_t *c, uint32_t mmu, uint32_t target)
{
    for (uint32_t i = 0; i < c->window_count; i++)
        if (c->windows[i].mmu == mmu && (c->windows[i].targets & target))
            return c->windows[i].page_size;
    return chipdef_mmu_page_size(c, mmu);
}

bool hal_mmu_entry_id_of(const machine_t *m, uint32_t vaddr, uint32_t *entry)
{
    const chipdef_t *c = &m->chip;
    const chipdef_window_t *w = mmu_window_of(c, vaddr);
    if (!w)
        return false;
    uint32_t shift = (uint32_t)__builtin_ctz(w->page_size);
    if (hal_mmu_per_cpu(m) && w->page_size < chipdef_page_size(c))
        *entry = w->entry_base + ((vaddr & ESP32_DRAM1_VADDR_MASK) >> shift); /* ESP32 DRAM1 */
    else
        *entry = w->entry_base + ((vaddr - w->vaddr) >> shift);
    return true;
}

uint32_t hal_mmu_format_paddr(const machine_t *m, uint32_t mmu, uint32_t paddr, uint32_t target)
{
    return paddr >> __builtin_ctz(target_page_size(&m->chip, mmu, target));
}

uint32_t hal_mmu_entry_paddr_base(const machine_t *m, uint32_t mmu, uint32_t raw, uint32_t entry)
{
    const chipdef_window_t *w = hal_mmu_window_of_entry(&m->chip, mmu, entry, 0);
    uint32_t page = w ? w->page_size : chipdef_mmu_page_size(&m->chip, mmu);
    return mmu_entry_page(&m->chip.mmus[mmu], raw) * page;
}

uint32_t hal_mmu_entry_target(const machine_t *m, uint32_t mmu, uint32_t raw, uint32_t entry)
{
    const chipdef_mmu_t *u = &m->chip.mmus[mmu];
    return mmu_entry_target(u, hal_mmu_window_of_entry(&m->chip, mmu, entry, 0), raw);
}

int hal_mmu_find_entry(const machine_t *m, uint32_t mmu, uint32_t inst, uint32_t mmu_val, uint32_t target)
{
    const chipdef_mmu_t *u = &m->chip.mmus[mmu];
    for (uint32_t e = 0; e < u->entries; e++) {
        uint32_t raw = mmu_read_entry(&m->mmu, mmu, inst, e);
        if (mmu_entry_is_valid(u, raw) && mmu_entry_page(u, raw) == mmu_val &&
            hal_mmu_entry_target(m, mmu, raw, e) == target)
            return (int)e;
    }
    return -1;
}

uint32_t hal_mmu_entry_vaddr_base(const machine_t *m, uint32_t mmu, uint32_t entry, uint32_t type)
{
    const chipdef_window_t *w = hal_mmu_window_of_entry(&m->chip, mmu, entry, type ? type : CHIPDEF_VADDR_DATA);
    return w ? w->vaddr + (entry - w->entry_base) * w->page_size : 0;
}

