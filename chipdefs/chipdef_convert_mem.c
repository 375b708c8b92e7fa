/* chipdef_convert_mem.c - the memories of a chip definition: the caches (geometry,
 * levels, write policy), the cache HAL's facts and msync windows, flash and PSRAM (SPI
 * timing, sizes within the chip's maximum and the MMUs' reach), and himem. */
#include "chipdef_convert.h"

/* Is there a cache at `level` (bit n of `levels`: some cache is at level n)? */
static bool at_level(uint32_t levels, uint32_t level) { return level <= 31 && (levels >> level & 1); }

int chipdef_convert_caches(chipdef_ctx_t *c, const raw_chip_t *r, chipdef_t *d)
{
    const char *names[CHIPDEF_MAX_CACHES];
    for (unsigned i = 0; i < r->caches_count; i++)
        names[i] = r->caches[i].name;
    d->cache_count = r->caches_count;
    for (unsigned i = 0; i < r->caches_count; i++) {
        const raw_cache_t *k = &r->caches[i];
        chipdef_cache_t *o = &d->caches[i];
        const ydoc_node_t *kn = ydoc_item(ydoc_get(c->root, "caches"), i);
        if (unique_name(c, kn, names, i, "cache"))
            return -1;
        copy_name(o->name, sizeof o->name, k->name);
        o->level = k->level;
        o->kind = (chipdef_cache_kind_t)k->kind;
        o->per_core = k->per_core;
        if (size_of(c, at(kn, "size"), k->size, 64u << 20, &o->size))
            return -1;
        o->ways = k->ways;
        o->line_size = k->line_size;
        if (chipdef_convert_cache_options(c, k, o, kn))
            return -1;
        o->write_back = k->write_back;
        o->physically_tagged = k->physically_tagged;
        o->hit_cycles = ydoc_get(kn, "hit_cycles") ? k->hit_cycles : 1;
        o->critical_word_first = k->critical_word_first;
        o->writeback_buffer = k->writeback_buffer;
        o->store_miss_skips_fill = k->store_miss_skips_fill;
        if (o->store_miss_skips_fill && !o->write_back)
            return ydoc_fail(c->err, c->doc, at(kn, "store_miss_skips_fill"),
                             "store_miss_skips_fill: cache '%s' is write-through, so a store miss allocates nothing",
                             o->name);
        o->store_miss_latency = k->store_miss_latency;
        if (o->store_miss_latency && !o->store_miss_skips_fill)
            return ydoc_fail(c->err, c->doc, at(kn, "store_miss_latency"),
                             "store_miss_latency: cache '%s' reads the line on a store miss, so the store already "
                             "waits for that fill (it needs store_miss_skips_fill)",
                             o->name);
        if (o->hit_cycles > 1000)
            return ydoc_fail(c->err, c->doc, at(kn, "hit_cycles"), "hit_cycles must be 0..1000, not %u", o->hit_cycles);
        /* ESP-IDF numbers its cache levels 1 (L1) and 2 (L2, P4); the HAL answers by level. */
        if (o->level < 1 || o->level > 2)
            return ydoc_fail(c->err, c->doc, at(kn, "level"), "cache level must be 1 or 2, not %u", o->level);
        /* Espressif caches use 16..128-byte lines; 256 bounds what the machine compares
         * per line when a store write lands beneath it. */
        if (!is_pow2(o->line_size) || o->line_size < 4 || o->line_size > CHIPDEF_MAX_LINE_SIZE)
            return ydoc_fail(c->err, c->doc, at(kn, "line_size"),
                             "line_size must be a power of two from 4 to 256, not %u", o->line_size);
        if (o->ways == 0 || o->ways > 64)
            return ydoc_fail(c->err, c->doc, at(kn, "ways"), "ways must be 1..64, not %u", o->ways);
        uint64_t way_bytes = (uint64_t)o->ways * o->line_size;
        if (o->size % way_bytes || !is_pow2(o->size / way_bytes))
            return ydoc_fail(c->err, c->doc, at(kn, "size"),
                             "impossible cache geometry: size %u is not sets x ways (%u) x line (%u) "
                             "with a power-of-two number of sets",
                             o->size, o->ways, o->line_size);
        if (k->next) {
            int ni = find_name(k->next, names, r->caches_count);
            if (ni < 0)
                return ydoc_fail(c->err, c->doc, at(kn, "next"), "cache '%s' names unknown next cache '%s'",
                                 k->name, k->next);
            if ((unsigned)ni <= i)
                return ydoc_fail(c->err, c->doc, at(kn, "next"),
                                 "cache '%s': the next level '%s' must be listed after it", k->name, k->next);
            if (r->caches[ni].level <= k->level)
                return ydoc_fail(c->err, c->doc, at(kn, "next"),
                                 "cache '%s' (level %u): the next cache '%s' must be at a deeper level, not %u",
                                 k->name, k->level, k->next, r->caches[ni].level);
            o->next = (uint32_t)ni + 1;
        }
    }
    return chipdef_check_cache_options_used(c, d);
}

/* The facts esp_cache_msync and the cache HAL answer with, and the address ranges
 * cache_hal_vaddr_to_cache_level_id accepts; every level named must have a cache. */
int chipdef_convert_cache_hal(chipdef_ctx_t *c, const raw_chip_t *r, chipdef_t *d)
{
    const ydoc_node_t *hn = ydoc_get(c->root, "cache_hal");
    uint32_t levels = 0; /* bit n: some cache is at level n */
    for (unsigned i = 0; i < d->cache_count; i++)
        levels |= 1u << d->caches[i].level;
    /* level_int 0 means internal memory is not cached (all but P4). */
    if (r->cache_hal.level_int && !at_level(levels, r->cache_hal.level_int))
        return ydoc_fail(c->err, c->doc, at(hn, "level_int"), "level_int %u: no cache at that level",
                         r->cache_hal.level_int);
    if (!at_level(levels, r->cache_hal.level_ext))
        return ydoc_fail(c->err, c->doc, at(hn, "level_ext"), "level_ext %u: no cache at that level",
                         r->cache_hal.level_ext);
    d->cache_level_int = r->cache_hal.level_int;
    d->cache_level_ext = r->cache_hal.level_ext;
    d->hal_ext_line_size = r->cache_hal.ext_line_size;
    d->cache_writeback_supported = r->cache_hal.writeback;
    d->cache_freeze_supported = r->cache_hal.freeze;
    d->msync_window_count = r->cache_hal.msync_windows_count;
    for (unsigned i = 0; i < r->cache_hal.msync_windows_count; i++) {
        const ydoc_node_t *wn = ydoc_item(ydoc_get(hn, "msync_windows"), i);
        chipdef_msync_window_t *o = &d->msync_windows[i];
        const raw_msync_window_t *rw = &r->cache_hal.msync_windows[i];
        if (size_of(c, at(wn, "start"), rw->start, UINT32_MAX, &o->start))
            return -1;
        /* `pages` follows the page size in force (C2/C6/H2 windows scale with it). */
        uint64_t end = 0;
        if (span_end(c, wn, "end", rw->end, rw->pages, d->config.mmu_page_size, o->start, "msync window", NULL,
                     &end))
            return -1;
        if (end <= o->start || end > UINT32_MAX)
            return ydoc_fail(c->err, c->doc, at(wn, rw->end ? "end" : "pages"),
                             "msync window must end after its start and below 4 GB");
        o->end = (uint32_t)end;
        o->level = rw->level;
        if (!at_level(levels, o->level))
            return ydoc_fail(c->err, c->doc, at(wn, "level"), "msync window level %u: no cache at that level",
                             o->level);
    }
    return 0;
}

static int convert_spi(chipdef_ctx_t *c, const raw_spi_t *s, chipdef_spi_mem_t *o, const ydoc_node_t *sn,
                       const char *what, bool psram)
{
    if (size_of(c, at(sn, "max_size"), s->max_size, UINT32_MAX, &o->max_size))
        return -1;
    if (s->lines != 1 && s->lines != 2 && s->lines != 4 && s->lines != 8 && s->lines != 16)
        return ydoc_fail(c->err, c->doc, at(sn, "lines"), "%s lines must be 1, 2, 4, 8 or 16, not %u", what, s->lines);
    if (s->clock_mhz == 0 || s->clock_mhz > 1000)
        return ydoc_fail(c->err, c->doc, at(sn, "clock_mhz"), "%s clock_mhz must be 1..1000", what);
    o->clock_mhz = s->clock_mhz;
    o->lines = s->lines;
    o->ddr = s->ddr;
    o->cmd_clocks = s->cmd_clocks;
    o->addr_clocks = s->addr_clocks;
    o->dummy_clocks = s->dummy_clocks;
    o->overhead_ns = s->overhead_ns;
    o->page_program_us = s->page_program_us;
    o->sector_erase_us = s->sector_erase_us;
    o->block_erase_us = s->block_erase_us;
    return chipdef_convert_spi_options(c, s, o, sn, psram);
}

/* Flash and PSRAM: the SPI timing, the sizes in force within the chip's maximum, and
 * within the reach of every MMU that maps them. */
int chipdef_convert_stores(chipdef_ctx_t *c, const raw_chip_t *r, chipdef_t *d)
{
    const chipdef_key_t FLASH = CHIPDEF_KEY_FLASH_SIZE, PSRAM = CHIPDEF_KEY_PSRAM_SIZE;
    if (convert_spi(c, &r->flash, &d->flash, ydoc_get(c->root, "flash"), "flash", false))
        return -1;
    d->flash.size = d->config.flash_size;
    if (d->flash.size == 0 || d->flash.size > d->flash.max_size)
        return chipdef_config_fail(c, FLASH, "flash_size %u is not in 1..max_size (%u)", d->flash.size,
                                   d->flash.max_size);
    if (d->flash.size % 65536)
        return chipdef_config_fail(c, FLASH, "flash_size %u is not a multiple of 64K", d->flash.size);
    if (r->psram) {
        if (convert_spi(c, r->psram, &d->psram, ydoc_get(c->root, "psram"), "psram", true))
            return -1;
        d->psram.size = d->config.psram_size;
        if (d->psram.size > d->psram.max_size)
            return chipdef_config_fail(c, PSRAM, "psram_size %u exceeds the chip's max_size %u", d->psram.size,
                                       d->psram.max_size);
        if (d->psram.size % 65536)
            return chipdef_config_fail(c, PSRAM, "psram_size %u is not a multiple of 64K", d->psram.size);
    } else if (d->config.psram_size) {
        return chipdef_config_fail(c, PSRAM, "this chip has no PSRAM interface");
    } else if (d->config.spiram_speed || d->config.spiram_mode[0]) {
        return chipdef_config_fail(c, d->config.spiram_speed ? CHIPDEF_KEY_SPIRAM_SPEED : CHIPDEF_KEY_SPIRAM_MODE,
                                   "this chip has no PSRAM interface");
    }
    /* The MMU must reach every byte of the stores. */
    for (unsigned i = 0; i < d->mmu_count; i++) {
        const chipdef_mmu_t *m = &d->mmus[i];
        uint64_t page = d->config.mmu_page_size;
        if ((m->targets & CHIPDEF_TARGET_FLASH) && d->flash.size > m->max_paddr_pages_flash * page)
            return chipdef_config_fail(c, FLASH, "flash_size %u is beyond the reach of MMU '%s' (%llu bytes)",
                                       d->flash.size, m->name, (unsigned long long)(m->max_paddr_pages_flash * page));
        if ((m->targets & CHIPDEF_TARGET_PSRAM) && d->psram.size > m->max_paddr_pages_psram * page)
            return chipdef_config_fail(c, PSRAM, "psram_size %u is beyond the reach of MMU '%s' (%llu bytes)",
                                       d->psram.size, m->name, (unsigned long long)(m->max_paddr_pages_psram * page));
    }
    return 0;
}

/* ESP32's himem bank switching: the window and the reserve bounds, and the reserve in
 * force (Kconfig's default of 8 unless the config says otherwise). */
int chipdef_convert_himem(chipdef_ctx_t *c, const raw_chip_t *r, chipdef_t *d)
{
    const chipdef_key_t RESERVE = CHIPDEF_KEY_SPIRAM_BANKSWITCH_RESERVE;
    if (!r->himem) {
        if (d->config.spiram_bankswitch_reserve)
            return chipdef_config_fail(c, RESERVE, "this chip has no himem bank switching");
        return 0;
    }
    const ydoc_node_t *hm = ydoc_get(c->root, "himem"), *cn = ydoc_get(c->root, "config");
    chipdef_himem_t *h = &d->himem;
    h->enabled = true;
    if (size_of(c, at(hm, "window_vaddr"), r->himem->window_vaddr, UINT32_MAX, &h->window_vaddr) ||
        size_of(c, at(hm, "page_size"), r->himem->page_size, 1u << 20, &h->page_size))
        return -1;
    h->window_pages = r->himem->window_pages;
    h->reserve_min = r->himem->reserve_min;
    h->reserve_max = r->himem->reserve_max;
    if (h->reserve_min < 1)
        return ydoc_fail(c->err, c->doc, at(hm, "reserve_min"), "himem reserve_min must be at least 1");
    if (h->reserve_min > h->reserve_max)
        return ydoc_fail(c->err, c->doc, at(hm, "reserve_min"), "himem reserve_min %u is above reserve_max %u",
                         h->reserve_min, h->reserve_max);
    if (h->reserve_max >= h->window_pages)
        return ydoc_fail(c->err, c->doc, at(hm, "reserve_max"), "himem reserve_max %u must be below window_pages %u",
                         h->reserve_max, h->window_pages);
    if (!ydoc_get(cn, "spiram_bankswitch_reserve") && !d->config.spiram_bankswitch_reserve)
        d->config.spiram_bankswitch_reserve = 8;
    uint32_t rsv = d->config.spiram_bankswitch_reserve;
    if (rsv < h->reserve_min || rsv > h->reserve_max)
        return chipdef_config_fail(c, RESERVE, "spiram_bankswitch_reserve %u is outside %u..%u", rsv,
                                   h->reserve_min, h->reserve_max);
    return 0;
}

/* The internal data RAM: word aligned, inside the 32-bit address space, and clear of
 * every window (an address is either external memory or internal RAM). */
int chipdef_convert_internal_ram(chipdef_ctx_t *c, const raw_chip_t *r, chipdef_t *d)
{
    if (!r->internal_ram)
        return 0;
    const ydoc_node_t *in = ydoc_get(c->root, "internal_ram");
    chipdef_internal_ram_t *ir = &d->internal_ram;
    if (size_of(c, at(in, "vaddr"), r->internal_ram->vaddr, UINT32_MAX, &ir->vaddr) ||
        size_of(c, at(in, "size"), r->internal_ram->size, 64u << 20, &ir->size))
        return -1;
    ir->exec = r->internal_ram->exec;
    if (!ir->size || (ir->size & 3u))
        return ydoc_fail(c->err, c->doc, at(in, "size"), "internal_ram size must be a non-zero multiple of 4");
    if (ir->vaddr & 3u)
        return ydoc_fail(c->err, c->doc, at(in, "vaddr"), "internal_ram vaddr 0x%08X must be word aligned", ir->vaddr);
    if (ir->size - 1u > UINT32_MAX - ir->vaddr)
        return ydoc_fail(c->err, c->doc, at(in, "size"), "internal_ram 0x%08X + 0x%X runs past 4 GB", ir->vaddr,
                         ir->size);
    for (uint32_t i = 0; i < d->window_count; i++) {
        const chipdef_window_t *w = &d->windows[i];
        if (ir->vaddr - w->vaddr < w->size || w->vaddr - ir->vaddr < ir->size)
            return ydoc_fail(c->err, c->doc, at(in, "vaddr"), "internal_ram overlaps window '%s'", w->name);
    }
    return 0;
}
