/* mmsim_inspect.c - the embedding API's read-only side: the hazard log, and the
 * inspection of caches, MMUs, windows, translations and host memory held.  Every
 * failure is recorded with error_set, as in mmsim.c. */
#include <string.h>

#include "cache.h"
#include "error.h"
#include "mmsim_api.h"
#include "mmu.h"

/* ---- hazards ---- */

size_t mmsim_hazard_count(const mmsim_t *m) { return m ? m->hw->hazards.total : (null_machine(__func__), 0u); }

size_t mmsim_hazard_count_kind(const mmsim_t *m, mmsim_hazard_kind_t kind)
{
    if (!m)
        return null_machine(__func__), 0u;
    if ((unsigned)kind >= MMSIM_HAZARD_KIND_COUNT)
        return error_set(MMSIM_ERR_ARG, "%s: kind %d is not a hazard kind (0..%d)", __func__, (int)kind,
                         MMSIM_HAZARD_KIND_COUNT - 1),
               0u;
    return m->hw->hazards.per_kind[kind];
}

const mmsim_hazard_t *mmsim_hazard_get(const mmsim_t *m, size_t i)
{
    if (!m)
        return null_machine(__func__), NULL;
    if (i >= m->hw->hazards.kept)
        return error_set(MMSIM_ERR_ARG, "%s: no record %zu (%zu kept)", __func__, i, m->hw->hazards.kept), NULL;
    return &m->hw->hazards.recs[i];
}

void mmsim_hazard_clear(mmsim_t *m)
{
    if (!m) {
        null_machine(__func__);
        return;
    }
    hazard_log_clear(&m->hw->hazards);
}

void mmsim_set_step(mmsim_t *m, uint32_t step)
{
    if (!m) {
        null_machine(__func__);
        return;
    }
    m->hw->hazards.step = step;
}

/* ---- inspection ---- */

uint32_t mmsim_cache_count(const mmsim_t *m) { return m ? m->hw->chip.cache_count : (null_machine(__func__), 0u); }

/* MMSIM_OK if m and out are given and `cache` is one of m's caches. */
static int check_cache(const mmsim_t *m, const char *what, uint32_t cache, const void *out)
{
    if (!m)
        return null_machine(what);
    if (!out)
        return null_out(what);
    if (cache >= m->hw->chip.cache_count)
        return error_set(MMSIM_ERR_ARG, "%s: no cache %u (%s has %u)", what, cache, m->hw->chip.name,
                         m->hw->chip.cache_count);
    return MMSIM_OK;
}

int mmsim_cache_info(const mmsim_t *m, uint32_t cache, mmsim_cache_info_t *out)
{
    int rc = check_cache(m, __func__, cache, out);
    if (rc)
        return rc;
    const chipdef_cache_t *d = &m->hw->chip.caches[cache];
    *out = (mmsim_cache_info_t){d->name, d->level, (int)d->kind, d->per_core, d->size, d->ways,
                                d->line_size, m->hw->caches[cache][0]->sets, d->write_back};
    return MMSIM_OK;
}

/* The instance of `cache` that `core` uses, after the checks of check_cache. */
static int instance(const mmsim_t *m, const char *what, uint32_t cache, uint32_t core, const void *out,
                    const cache_t **c)
{
    int rc = check_cache(m, what, cache, out);
    if (!rc)
        rc = check_core(m, what, core);
    if (!rc)
        *c = m->hw->caches[cache][core];
    return rc;
}

int mmsim_cache_stats(const mmsim_t *m, uint32_t cache, uint32_t core, mmsim_cache_stats_t *out)
{
    const cache_t *c;
    int rc = instance(m, __func__, cache, core, out, &c);
    if (rc)
        return rc;
    *out = (mmsim_cache_stats_t){c->stats.hits, c->stats.misses, c->stats.fills, c->stats.writebacks,
                                 c->stats.evictions, c->stats.invalidations};
    return MMSIM_OK;
}

int mmsim_cache_line(const mmsim_t *m, uint32_t cache, uint32_t core, uint32_t index,
                     mmsim_cache_line_t *out)
{
    const cache_t *c;
    int rc = instance(m, __func__, cache, core, out, &c);
    if (rc)
        return rc;
    if (index >= cache_line_count(c))
        return error_set(MMSIM_ERR_ARG, "%s: line %u out of range (%u lines)", __func__, index,
                         cache_line_count(c));
    const cache_line_t *l = &c->lines[index];
    *out = (mmsim_cache_line_t){l->valid ? l->key : 0, l->paddr, l->target, l->valid, l->dirty, l->stale, l->lru,
                                c->data + ((size_t)index << c->line_shift)};
    return MMSIM_OK;
}

uint32_t mmsim_mmu_count(const mmsim_t *m) { return m ? m->hw->chip.mmu_count : (null_machine(__func__), 0u); }

/* MMSIM_OK if m and out are given and `mmu` is one of m's MMUs. */
static int check_mmu(const mmsim_t *m, const char *what, uint32_t mmu, const void *out)
{
    if (!m)
        return null_machine(what);
    if (!out)
        return null_out(what);
    if (mmu >= m->hw->chip.mmu_count)
        return error_set(MMSIM_ERR_ARG, "%s: no MMU %u (%s has %u)", what, mmu, m->hw->chip.name,
                         m->hw->chip.mmu_count);
    return MMSIM_OK;
}

int mmsim_mmu_info(const mmsim_t *m, uint32_t mmu, mmsim_mmu_info_t *out)
{
    int rc = check_mmu(m, __func__, mmu, out);
    if (rc)
        return rc;
    const chipdef_mmu_t *d = &m->hw->chip.mmus[mmu];
    *out = (mmsim_mmu_info_t){d->name, d->entries, d->tables};
    return MMSIM_OK;
}

int mmsim_mmu_entry(const mmsim_t *m, uint32_t mmu, uint32_t table, uint32_t entry, mmsim_mmu_entry_t *out)
{
    int rc = check_mmu(m, __func__, mmu, out);
    if (rc)
        return rc;
    const chipdef_t *chip = &m->hw->chip;
    const chipdef_mmu_t *d = &chip->mmus[mmu];
    if (table >= d->tables)
        return error_set(MMSIM_ERR_ARG, "%s: no table %u in MMU %u (it has %u)", __func__, table, mmu, d->tables);
    if (entry >= d->entries)
        return error_set(MMSIM_ERR_ARG, "%s: no entry %u in MMU %u (it has %u)", __func__, entry, mmu,
                         d->entries);
    uint32_t raw = mmu_read_entry(&m->hw->mmu, mmu, table, entry);
    /* The page size and target of an entry come from the window it serves. */
    const chipdef_window_t *w = NULL;
    for (uint32_t i = 0; i < chip->window_count && !w; i++) {
        const chipdef_window_t *c = &chip->windows[i];
        if (c->mmu == mmu && entry >= c->entry_base && entry < c->entry_base + c->size / c->page_size)
            w = c;
    }
    int valid = mmu_entry_is_valid(d, raw);
    uint32_t page = w ? w->page_size : chipdef_page_size(chip);
    *out = (mmsim_mmu_entry_t){raw, valid, valid ? mmu_entry_target(d, w, raw) : 0,
                               valid ? mmu_entry_page(d, raw) * page : 0};
    return MMSIM_OK;
}

int mmsim_translate(const mmsim_t *m, uint32_t core, uint32_t vaddr, uint32_t *paddr, uint32_t *target)
{
    int rc = check_core(m, __func__, core);
    if (rc)
        return rc;
    uint32_t p, t;
    int x = mmu_translate(&m->hw->mmu, core, vaddr, &p, &t);
    if (x < MMU_XLATE_OK)
        return error_set(MMSIM_ERR_UNMAPPED, "%s: 0x%08x %s", __func__, vaddr,
                         x == MMU_XLATE_NO_WINDOW       ? "is in no window"
                         : x == MMU_XLATE_UNMAPPED      ? "is in a window whose MMU entry was unmapped"
                                                        : "is in a window whose MMU entry is invalid (never mapped)");
    if (paddr)
        *paddr = p;
    if (target)
        *target = t;
    return MMSIM_OK;
}

uint32_t mmsim_window_count(const mmsim_t *m) { return m ? m->hw->chip.window_count : (null_machine(__func__), 0u); }

int mmsim_window_info(const mmsim_t *m, uint32_t window, mmsim_window_info_t *out)
{
    if (!m)
        return null_machine(__func__);
    if (!out)
        return null_out(__func__);
    if (window >= m->hw->chip.window_count)
        return error_set(MMSIM_ERR_ARG, "%s: window %u does not exist (%s has %u)", __func__, window,
                         m->hw->chip.name, m->hw->chip.window_count);
    const chipdef_window_t *w = &m->hw->chip.windows[window];
    *out = (mmsim_window_info_t){.name = w->name, .vaddr = w->vaddr, .size = w->size};
    return MMSIM_OK;
}

size_t mmsim_resident_bytes(const mmsim_t *m)
{
    return m ? sizeof *m + machine_resident_bytes(m->hw) : (null_machine(__func__), 0u);
}
