/* mmu.c - MMU tables in the chip's entry encoding and the window decode. */
#include "mmu.h"

#include <stdlib.h>
#include <string.h>

int mmu_init(mmu_t *u, const chipdef_t *chip)
{
    memset(u, 0, sizeof *u);
    u->chip = chip;
    for (uint32_t i = 0; i < chip->mmu_count; i++)
        for (uint32_t k = 0; k < chip->mmus[i].tables; k++) {
            u->tables[i][k] = malloc(chip->mmus[i].entries * sizeof(uint32_t));
            u->unmapped[i][k] = calloc(chip->mmus[i].entries, 1);
            if (!u->tables[i][k] || !u->unmapped[i][k]) {
                mmu_fini(u);
                return -1;
            }
        }
    mmu_unmap_all(u);
    return 0;
}

void mmu_fini(mmu_t *u)
{
    for (uint32_t i = 0; i < CHIPDEF_MAX_MMUS; i++)
        for (uint32_t k = 0; k < CHIPDEF_MAX_CORES; k++) {
            free(u->tables[i][k]);
            free(u->unmapped[i][k]);
            u->tables[i][k] = NULL;
            u->unmapped[i][k] = NULL;
        }
}

void mmu_unmap_all(mmu_t *u)
{
    u->gen++;
    for (uint32_t i = 0; i < u->chip->mmu_count; i++) {
        uint32_t inv = mmu_invalid_value(&u->chip->mmus[i]);
        for (uint32_t k = 0; k < u->chip->mmus[i].tables; k++)
            for (uint32_t e = 0; e < u->chip->mmus[i].entries; e++) {
                u->tables[i][k][e] = inv;
                u->unmapped[i][k][e] = 0;
            }
    }
}

uint32_t mmu_invalid_value(const chipdef_mmu_t *m)
{
    /* Chips with an "invalid" bit reset to it set; chips with a "valid" bit to zero. */
    return m->valid_when_set ? 0 : 1u << m->valid_bit;
}

uint32_t mmu_encode(const chipdef_mmu_t *m, uint32_t target, uint32_t page)
{
    uint32_t raw = page & m->value_mask;
    if (m->valid_when_set)
        raw |= 1u << m->valid_bit;
    if (target == CHIPDEF_TARGET_FLASH && m->flash_bit >= 0)
        raw |= 1u << m->flash_bit;
    if (target == CHIPDEF_TARGET_PSRAM && m->psram_bit >= 0)
        raw |= 1u << m->psram_bit;
    return raw;
}

bool mmu_entry_is_valid(const chipdef_mmu_t *m, uint32_t raw)
{
    bool bit = (raw >> m->valid_bit) & 1u;
    return m->valid_when_set ? bit : !bit;
}

uint32_t mmu_entry_target(const chipdef_mmu_t *m, const chipdef_window_t *w, uint32_t raw)
{
    switch (m->target_from) {
    case CHIPDEF_TARGET_FROM_BIT:
        if (m->psram_bit >= 0 && ((raw >> m->psram_bit) & 1u))
            return CHIPDEF_TARGET_PSRAM;
        if (m->flash_bit >= 0)
            return ((raw >> m->flash_bit) & 1u) ? CHIPDEF_TARGET_FLASH : 0;
        return CHIPDEF_TARGET_FLASH; /* S3: the PSRAM bit clear means flash */
    case CHIPDEF_TARGET_FROM_WINDOW:
        return w ? w->targets : 0;
    case CHIPDEF_TARGET_FROM_MMU:
    default:
        return m->targets;
    }
}

const chipdef_window_t *mmu_window_of(const chipdef_t *chip, uint32_t vaddr)
{
    for (uint32_t i = 0; i < chip->window_count; i++) {
        const chipdef_window_t *w = &chip->windows[i];
        if (vaddr - w->vaddr < w->size)
            return w;
    }
    return NULL;
}

bool mmu_decode(const chipdef_t *chip, uint32_t vaddr, mmu_decode_t *out)
{
    const chipdef_window_t *w = mmu_window_of(chip, vaddr);
    if (!w)
        return false;
    uint32_t off = vaddr - w->vaddr;
    uint32_t shift = (uint32_t)__builtin_ctz(w->page_size);
    out->window = w;
    out->mmu = w->mmu;
    out->page_size = w->page_size;
    out->entry = w->entry_base + (off >> shift);
    out->offset = off & (w->page_size - 1);
    return true;
}

uint32_t mmu_read_entry(const mmu_t *u, uint32_t mmu, uint32_t instance, uint32_t entry)
{
    return u->tables[mmu][instance][entry];
}

void mmu_write_entry(mmu_t *u, uint32_t mmu, uint32_t instance, uint32_t entry, uint32_t raw)
{
    const chipdef_mmu_t *m = &u->chip->mmus[mmu];
    uint32_t *slot = &u->tables[mmu][instance][entry];
    if (mmu_entry_is_valid(m, raw))
        u->unmapped[mmu][instance][entry] = 0;
    else if (mmu_entry_is_valid(m, *slot))
        u->unmapped[mmu][instance][entry] = MMU_ENTRY_UNMAPPED;
    *slot = raw;
    u->entry_writes++;
    u->gen++;
}

void mmu_release_entry(mmu_t *u, uint32_t mmu, uint32_t instance, uint32_t entry)
{
    if (mmu_entry_is_valid(&u->chip->mmus[mmu], u->tables[mmu][instance][entry])) {
        u->unmapped[mmu][instance][entry] = MMU_ENTRY_RELEASED;
        u->gen++; /* decodes cached before now no longer hold */
    }
}

void mmu_release_range(mmu_t *u, uint32_t vaddr, uint32_t len)
{
    for (uint64_t v = vaddr, end = (uint64_t)vaddr + len; v < end;) {
        mmu_decode_t d;
        if (!mmu_decode(u->chip, (uint32_t)v, &d))
            return;
        for (uint32_t k = 0; k < mmu_instances(u, d.mmu); k++)
            mmu_release_entry(u, d.mmu, k, d.entry);
        v += d.page_size - d.offset;
    }
}

mmu_xlate_t mmu_translate(const mmu_t *u, uint32_t core, uint32_t vaddr, uint32_t *paddr,
                          uint32_t *target)
{
    mmu_decode_t d;
    if (!mmu_decode(u->chip, vaddr, &d))
        return MMU_XLATE_NO_WINDOW;
    const chipdef_mmu_t *m = &u->chip->mmus[d.mmu];
    uint32_t instance = m->tables > 1 ? core : 0;
    uint32_t raw = u->tables[d.mmu][instance][d.entry];
    if (!mmu_entry_is_valid(m, raw))
        return u->unmapped[d.mmu][instance][d.entry] ? MMU_XLATE_UNMAPPED : MMU_XLATE_INVALID_ENTRY;
    *paddr = mmu_entry_page(m, raw) * d.page_size + d.offset;
    *target = mmu_entry_target(m, d.window, raw);
    return u->unmapped[d.mmu][instance][d.entry] == MMU_ENTRY_RELEASED ? MMU_XLATE_RELEASED : MMU_XLATE_OK;
}
