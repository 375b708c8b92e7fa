/* chipdef_convert_map.c - the address map of a chip definition: the MMUs (tables,
 * entry encoding, page sizes, paddr reach), the virtual windows that decode CPU
 * addresses through them, and the esp_mmu_map regions inside those windows. */
#include "chipdef_convert.h"

static int check_page_size(chipdef_ctx_t *c, const ydoc_node_t *n, uint32_t ps)
{
    if (!is_pow2(ps) || ps < 4096)
        return ydoc_fail(c->err, c->doc, n, "page size %u is not a power of two of at least 4K", ps);
    return 0;
}

int chipdef_convert_mmus(chipdef_ctx_t *c, const raw_chip_t *r, chipdef_t *d)
{
    const ydoc_node_t *mn = ydoc_get(c->root, "mmu");
    d->mmu_scope = (chipdef_mmu_scope_t)r->mmu.scope;
    d->linear_pages = r->mmu.linear_pages;
    if (r->mmu.linear_mask && r->mmu.linear_pages)
        return ydoc_fail(c->err, c->doc, at(mn, "linear_pages"),
                         "give linear_mask or linear_pages, not both");
    if (!r->mmu.linear_mask && !r->mmu.linear_pages)
        return ydoc_fail(c->err, c->doc, mn, "missing required key 'linear_mask' (or 'linear_pages')");
    if (r->mmu.linear_mask) {
        if (size_of(c, at(mn, "linear_mask"), r->mmu.linear_mask, UINT32_MAX, &d->linear_mask))
            return -1;
        if (!is_pow2((uint64_t)d->linear_mask + 1))
            return ydoc_fail(c->err, c->doc, at(mn, "linear_mask"),
                             "linear_mask 0x%x is not one less than a power of two", d->linear_mask);
    }
    for (unsigned i = 0; i < r->mmu.page_sizes_count; i++) {
        uint32_t ps = 0;
        const ydoc_node_t *pn = at_item(mn, "page_sizes", i);
        if (size_of(c, pn, r->mmu.page_sizes[i], 1u << 20, &ps))
            return -1;
        if (check_page_size(c, pn, ps))
            return -1;
        d->page_sizes |= ps;
    }
    d->mmu_count = r->mmu.tables_count;
    const char *names[CHIPDEF_MAX_MMUS];
    for (unsigned i = 0; i < r->mmu.tables_count; i++) {
        const raw_mmu_t *t = &r->mmu.tables[i];
        chipdef_mmu_t *m = &d->mmus[i];
        const ydoc_node_t *tn = ydoc_item(ydoc_get(mn, "tables"), i);
        names[i] = t->name;
        if (unique_name(c, tn, names, i, "MMU"))
            return -1;
        copy_name(m->name, sizeof m->name, t->name);
        if (t->entries == 0 || t->entries > 4096)
            return ydoc_fail(c->err, c->doc, at(tn, "entries"), "entries must be 1..4096, not %u", t->entries);
        m->entries = t->entries;
        m->tables = d->mmu_scope == CHIPDEF_MMU_PER_CPU ? r->cores : 1;
        if (!t->targets)
            return ydoc_fail(c->err, c->doc, at(tn, "targets"), "an MMU needs at least one target");
        m->targets = t->targets;
        if (size_of(c, at(tn, "value_mask"), t->value_mask, UINT32_MAX, &m->value_mask))
            return -1;
        if (!m->value_mask)
            return ydoc_fail(c->err, c->doc, at(tn, "value_mask"), "value_mask must not be 0");
        m->valid_bit = t->valid_bit;
        m->valid_when_set = t->valid_when_set;
        m->target_from = (chipdef_target_from_t)t->target_from;
        m->flash_bit = ydoc_get(tn, "flash_bit") ? t->flash_bit : -1;
        m->psram_bit = ydoc_get(tn, "psram_bit") ? t->psram_bit : -1;
        m->sensitive_bit = ydoc_get(tn, "sensitive_bit") ? t->sensitive_bit : -1;
        m->target_reads_index = t->target_reads_index;
        if (m->target_reads_index && m->target_from != CHIPDEF_TARGET_FROM_BIT)
            return ydoc_fail(c->err, c->doc, at(tn, "target_reads_index"),
                             "target_reads_index needs target_from: bit (the target is read from an entry)");
        struct { const char *key; int32_t bit; } bits[] = {{"valid_bit", (int32_t)t->valid_bit},
                                                          {"flash_bit", m->flash_bit},
                                                          {"psram_bit", m->psram_bit},
                                                          {"sensitive_bit", m->sensitive_bit}};
        for (size_t b = 0; b < sizeof bits / sizeof bits[0]; b++)
            if (bits[b].bit < -1 || bits[b].bit > 31 || (b == 0 && bits[b].bit < 0))
                return ydoc_fail(c->err, c->doc, at(tn, bits[b].key), "%s must be a bit index 0..31",
                                 bits[b].key);
        if (m->target_from == CHIPDEF_TARGET_FROM_BIT && m->flash_bit < 0 && m->psram_bit < 0)
            return ydoc_fail(c->err, c->doc, at(tn, "target_from"),
                             "target_from: bit needs flash_bit or psram_bit");
        m->max_paddr_pages_flash = t->max_paddr_pages_flash;
        m->max_paddr_pages_psram = t->max_paddr_pages_psram;
        if ((m->targets & CHIPDEF_TARGET_FLASH) && !m->max_paddr_pages_flash)
            return ydoc_fail(c->err, c->doc, tn, "missing required key 'max_paddr_pages_flash'");
        if ((m->targets & CHIPDEF_TARGET_PSRAM) && !m->max_paddr_pages_psram)
            return ydoc_fail(c->err, c->doc, tn, "missing required key 'max_paddr_pages_psram'");
        m->page_size_code_count = t->page_size_codes_count;
        for (unsigned k = 0; k < t->page_size_codes_count; k++) {
            const ydoc_node_t *pn = at_item(tn, "page_size_codes", k);
            if (size_of(c, pn, t->page_size_codes[k], 1u << 20, &m->page_size_codes[k]) ||
                check_page_size(c, pn, m->page_size_codes[k]))
                return -1;
        }
    }
    if (d->mmu_scope == CHIPDEF_MMU_PER_TARGET && d->mmu_count < 2)
        return ydoc_fail(c->err, c->doc, at(mn, "scope"), "scope per_target needs one table per target");
    return 0;
}

/* The page size each MMU runs at once the start-up code has programmed the configured
 * size into it (the bootloader into the flash MMU, PSRAM start-up into the PSRAM MMU):
 * through its register codes where it has its own (S31), else the configured size. */
static void mmu_pages_in_force(chipdef_t *d)
{
    for (uint32_t i = 0; i < d->mmu_count; i++)
        d->mmus[i].page_size = chipdef_page_after_set(&d->mmus[i], d->config.mmu_page_size);
}

int chipdef_convert_windows(chipdef_ctx_t *c, const raw_chip_t *r, chipdef_t *d)
{
    mmu_pages_in_force(d);
    const char *mmu_names[CHIPDEF_MAX_MMUS], *cache_names[CHIPDEF_MAX_CACHES], *names[CHIPDEF_MAX_WINDOWS];
    for (unsigned i = 0; i < r->mmu.tables_count; i++)
        mmu_names[i] = r->mmu.tables[i].name;
    for (unsigned i = 0; i < r->caches_count; i++)
        cache_names[i] = r->caches[i].name;
    d->window_count = r->windows_count;
    for (unsigned i = 0; i < r->windows_count; i++) {
        const raw_window_t *w = &r->windows[i];
        chipdef_window_t *o = &d->windows[i];
        const ydoc_node_t *wn = ydoc_item(ydoc_get(c->root, "windows"), i);
        names[i] = w->name;
        if (unique_name(c, wn, names, i, "window"))
            return -1;
        copy_name(o->name, sizeof o->name, w->name);
        int mi = find_name(w->mmu, mmu_names, r->mmu.tables_count);
        if (mi < 0)
            return ydoc_fail(c->err, c->doc, at(wn, "mmu"), "window '%s' names unknown MMU '%s'", w->name, w->mmu);
        o->mmu = (uint32_t)mi;
        o->page_size = d->mmus[mi].page_size;
        if (w->page_size && size_of(c, at(wn, "page_size"), w->page_size, 1u << 20, &o->page_size))
            return -1;
        if (check_page_size(c, at(wn, "page_size"), o->page_size))
            return -1;
        if (size_of(c, at(wn, "vaddr"), w->vaddr, UINT32_MAX, &o->vaddr))
            return -1;
        uint64_t size = 0;
        if (span_end(c, wn, "size", w->size, w->pages, o->page_size, 0, "window", w->name, &size))
            return -1;
        if (size == 0)
            return ydoc_fail(c->err, c->doc, at(wn, "size"), "window '%s' has size 0", w->name);
        if ((uint64_t)o->vaddr + size > 0x100000000ull)
            return ydoc_fail(c->err, c->doc, at(wn, w->size ? "size" : "pages"),
                             "window '%s' [0x%x, 0x%llx) runs past the 4 GB address space", w->name,
                             o->vaddr, (unsigned long long)(o->vaddr + size));
        o->size = (uint32_t)size;
        if (o->vaddr % o->page_size || o->size % o->page_size)
            return ydoc_fail(c->err, c->doc, at(wn, "vaddr"),
                             "window '%s' is not aligned to its page size 0x%x", w->name, o->page_size);
        o->types = w->types;
        o->bus = w->bus;
        o->entry_base = w->entry_base;
        o->targets = w->targets;
        o->access = w->access;
        if (!o->types || !o->targets || !o->bus)
            return ydoc_fail(c->err, c->doc, wn, "window '%s' needs non-empty types, bus and targets", w->name);
        if (o->targets & ~d->mmus[mi].targets)
            return ydoc_fail(c->err, c->doc, at(wn, "targets"),
                             "window '%s' reaches a target its MMU '%s' cannot map", w->name, w->mmu);
        uint64_t last_entry = (uint64_t)o->entry_base + o->size / o->page_size;
        if (last_entry > d->mmus[mi].entries)
            return ydoc_fail(c->err, c->doc, at(wn, "entry_base"),
                             "window '%s' needs entries up to %llu but MMU '%s' has %u", w->name,
                             (unsigned long long)last_entry, w->mmu, d->mmus[mi].entries);
        for (unsigned k = 0; k < w->caches_count; k++) {
            int ci = find_name(w->caches[k], cache_names, r->caches_count);
            if (ci < 0)
                return ydoc_fail(c->err, c->doc, ydoc_item(ydoc_get(wn, "caches"), k),
                                 "window '%s' names unknown cache '%s'", w->name, w->caches[k]);
            o->cache |= 1u << ci;
        }
        for (unsigned k = 0; k < i; k++) {
            const chipdef_window_t *p = &d->windows[k];
            if (o->vaddr < p->vaddr + (uint64_t)p->size && p->vaddr < o->vaddr + (uint64_t)o->size)
                return ydoc_fail(c->err, c->doc, at(wn, "vaddr"), "window '%s' overlaps window '%s'",
                                 o->name, p->name);
        }
    }
    return 0;
}

/* The page a region given in `pages` counts in: the configured page size (upstream's
 * SOC_MMU_PAGE_SIZE), or the smaller page of an MMU reaching its targets (S31's PSRAM
 * MMU stays at 64 KB when 128/256 KB is configured, so its window holds 1024 x 64 KB). */
static uint32_t region_page(const chipdef_t *d, uint32_t targets)
{
    uint32_t page = d->config.mmu_page_size;
    for (uint32_t i = 0; i < d->mmu_count; i++)
        if ((d->mmus[i].targets & targets) && d->mmus[i].page_size < page)
            page = d->mmus[i].page_size;
    return page;
}

/* CONFIG_SECURE_ENABLE_TEE (esp_mm/port/<chip>/ext_mem_layout.c): the one region
 * starts after ESP-TEE's IROM and DROM (the TEE app is mapped there) and ends
 * (TEE pages + 1) pages early (the last entries are its flash-operation window). */
static int tee_trims(chipdef_ctx_t *c, chipdef_t *d)
{
    d->tee_trim_start = d->tee_trim_end = 0;
    if (!d->config.secure_enable_tee)
        return 0;
    const uint32_t page = d->config.mmu_page_size, tee = CHIPDEF_TEE_IROM_SIZE + CHIPDEF_TEE_DROM_SIZE;
    chipdef_region_t *g = &d->regions[0];
    const uint32_t end_offs = (tee / page + 1u) * page;
    if (d->region_count != 1 || g->end - g->start <= tee + end_offs)
        return chipdef_config_fail(c, CHIPDEF_KEY_SECURE_ENABLE_TEE,
                                   "secure_enable_tee needs one esp_mmu_map region longer than ESP-TEE's 0x%x bytes",
                                   tee + end_offs);
    d->tee_trim_start = tee;
    d->tee_trim_end = end_offs;
    g->start += tee;
    g->end -= end_offs;
    return 0;
}

int chipdef_convert_regions(chipdef_ctx_t *c, const raw_chip_t *r, chipdef_t *d)
{
    const uint32_t align = d->config.mmu_page_size;
    d->region_count = r->regions_count;
    for (unsigned i = 0; i < r->regions_count; i++) {
        const raw_region_t *g = &r->regions[i];
        chipdef_region_t *o = &d->regions[i];
        const ydoc_node_t *gn = ydoc_item(ydoc_get(c->root, "regions"), i);
        const uint32_t page = region_page(d, g->targets);
        copy_name(o->name, sizeof o->name, g->name);
        if (size_of(c, at(gn, "start"), g->start, UINT32_MAX, &o->start))
            return -1;
        uint64_t end = 0;
        if (span_end(c, gn, "end", g->end, g->pages, page, o->start, "region", g->name, &end))
            return -1;
        if (end <= o->start || end > (uint64_t)d->linear_mask + 1)
            return ydoc_fail(c->err, c->doc, at(gn, g->end ? "end" : "pages"),
                             "region '%s' must end after its start and within the linear space (mask 0x%x)",
                             g->name, d->linear_mask);
        o->end = (uint32_t)end;
        if (o->start % align || o->end % align)
            return ydoc_fail(c->err, c->doc, at(gn, "start"),
                             "region '%s' is not aligned to the MMU page size 0x%x", g->name, align);
        o->bus = g->bus;
        o->targets = g->targets;
        o->caps = g->caps;
        if (!o->bus || !o->targets || !o->caps)
            return ydoc_fail(c->err, c->doc, gn, "region '%s' needs non-empty bus, targets and caps", g->name);
        /* Inside its windows: every bus of the region must reach the whole range. */
        for (uint32_t bit = 1; bit <= CHIPDEF_BUS_DBUS2; bit <<= 1) {
            if (!(o->bus & bit))
                continue;
            bool inside = false;
            for (unsigned k = 0; k < d->window_count && !inside; k++) {
                const chipdef_window_t *w = &d->windows[k];
                uint32_t lstart = w->vaddr & d->linear_mask;
                if ((w->bus & bit) && o->start >= lstart && (uint64_t)o->end <= (uint64_t)lstart + w->size)
                    inside = true;
            }
            if (!inside)
                return ydoc_fail(c->err, c->doc, at(gn, "bus"),
                                 "region '%s' [0x%x, 0x%x) is not inside a window of each of its buses",
                                 g->name, o->start, o->end);
        }
        for (unsigned k = 0; k < i; k++) {
            const chipdef_region_t *p = &d->regions[k];
            if (o->start < p->end && p->start < o->end)
                return ydoc_fail(c->err, c->doc, at(gn, "start"),
                                 "region '%s' [0x%x, 0x%x) overlaps region '%s' [0x%x, 0x%x)", g->name,
                                 o->start, o->end, p->name, p->start, p->end);
        }
    }
    return tee_trims(c, d);
}
