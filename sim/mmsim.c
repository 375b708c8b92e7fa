/* mmsim.c - the embedding API: resolves a config into a chip definition, builds the
 * machine from it and boots it; argument checking in front of the access paths;
 * the read-only inspection of MMUs, caches and hazards. */
#include "mmsim.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot.h"
#include "bus.h"
#include "chipdef_load.h"
#include "hal_ctx.h"
#include "invariants.h"
#include "machine.h"
#include "timing.h"

struct mmsim {
    machine_t *hw;
    boot_drivers_t drivers; /* the driver code's state for this chip */
};

static _Thread_local char last_error[YDOC_ERR_MAX];
static _Thread_local mmsim_t *current;

static int set_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int set_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    return -1;
}

const char *mmsim_last_error(void) { return last_error; }

mmsim_config_t mmsim_config_default(const char *chip)
{
    mmsim_config_t c;
    memset(&c, 0, sizeof c);
    c.chip = chip;
    return c;
}

/* The typed fields override the chip's config (zero: its default); cfg->sets, text as
 * `--set` takes it, override both.  The chip loader checks them all in one place. */
int mmsim_open(const mmsim_config_t *cfg, mmsim_t **out)
{
    if (!cfg || !cfg->chip || !out)
        return set_error("mmsim_open: %s is NULL", !cfg ? "cfg" : !cfg->chip ? "cfg->chip" : "out");
    if (cfg->nsets > 16 || (cfg->nsets && !cfg->sets))
        return set_error("mmsim_open: cfg->sets must hold nsets (at most 16) strings");
    chipdef_overrides_t ov = {.flash_size = cfg->flash_size, .psram_size = cfg->psram_size,
                              .mmu_page_size = cfg->mmu_page_size,
                              .spiram_bankswitch_reserve = cfg->spiram_bankswitch_reserve,
                              .app_irom_size = cfg->app_irom_size, .app_drom_size = cfg->app_drom_size,
                              .idf_version = cfg->idf_version, .source = "mmsim_config_t"};
    ov.given = chipdef_overrides_nonzero(&ov);
    chipdef_t chip;
    ydoc_err_t err;
    if (chipdef_load_with(cfg->chip, &ov, cfg->sets, cfg->nsets, &chip, &err))
        return set_error("%s", err.msg);
    mmsim_t *m = calloc(1, sizeof *m);
    if (!m || !(m->hw = machine_new(&chip))) {
        free(m);
        return set_error("mmsim_open: out of memory building %s", chip.name);
    }
    char msg[YDOC_ERR_MAX];
    mmsim_t *prev = current;
    if ((cfg->flash_image && store_load_image(m->hw->flash, cfg->flash_image, msg, sizeof msg)) ||
        boot_machine(m->hw, &m->drivers, cfg->driver, msg, sizeof msg)) {
        mmsim_close(m);
        mmsim_select(prev);
        return set_error("%s", msg);
    }
    last_error[0] = '\0';
    mmsim_select(m);
    *out = m;
    return 0;
}

void mmsim_close(mmsim_t *m)
{
    if (!m)
        return;
    if (current == m)
        mmsim_select(NULL);
    boot_drivers_free(&m->drivers);
    machine_free(m->hw);
    free(m);
}

mmsim_t *mmsim_select(mmsim_t *m)
{
    mmsim_t *prev = current;
    current = m;
    hal_bind(m ? m->hw : NULL);
    boot_drivers_switch(m ? &m->drivers : NULL);
    return prev;
}

mmsim_t *mmsim_current(void) { return current; }

int mmsim_check_invariants(mmsim_t *m, char *why, size_t len)
{
    char scratch[256];
    if (!why || !len) {
        why = scratch;
        len = sizeof scratch;
    }
    why[0] = '\0';
    if (machine_check_invariants(m->hw, why, len))
        return -1;
    /* The drivers check through the HAL: on m, whichever chip is current. */
    mmsim_t *prev = mmsim_select(m);
    int rc = boot_drivers_check(why, len);
    mmsim_select(prev);
    return rc;
}

const char *mmsim_chip_name(const mmsim_t *m) { return m->hw->chip.name; }
uint32_t mmsim_cores(const mmsim_t *m) { return m->hw->chip.cores; }
uint32_t mmsim_cpu_mhz(const mmsim_t *m) { return m->hw->chip.cpu_mhz; }
uint32_t mmsim_page_size(const mmsim_t *m) { return m->hw->chip.config.mmu_page_size; }
const char *mmsim_boot_log(const mmsim_t *m) { return m->drivers.log ? m->drivers.log : ""; }
const mmsim_driver_t *mmsim_driver(const mmsim_t *m) { return m->drivers.ops ? m->drivers.ops : &driver_ours; }

/* ---- access paths ---- */

/* Common argument checks; `what` names the function in the error. */
static int check_range(const char *what, const void *buf, uint64_t addr, size_t len)
{
    if (!buf && len)
        return set_error("%s: buffer is NULL", what);
    if (len > UINT32_MAX || addr + len > (uint64_t)UINT32_MAX + 1u)
        return set_error("%s: range 0x%08llx+%zu runs past the 32-bit address space", what,
                         (unsigned long long)addr, len);
    return 0;
}

/* The error of a CPU access whose arguments cpu_access refused. */
static __attribute__((noinline, cold)) int cpu_access_error(const mmsim_t *m, const char *what, uint32_t core,
                                                            uint32_t vaddr, const void *buf, size_t len)
{
    if (!m)
        return set_error("%s: machine is NULL", what);
    if (core >= m->hw->chip.cores)
        return set_error("%s: core %u does not exist (%s has %u)", what, core, m->hw->chip.name,
                         m->hw->chip.cores);
    return check_range(what, buf, vaddr, len);
}

/* Inlined into each of the three callers: it is on every simulated CPU access.  Both
 * ways out are tail calls, so a hit saves no registers. */
static inline __attribute__((always_inline)) int cpu_access(mmsim_t *m, const char *what, uint32_t core,
                                                            bus_op_t op, uint32_t vaddr, void *buf, size_t len)
{
    if (!m || core >= m->hw->chip.cores || (!buf && len) || len > UINT32_MAX ||
        vaddr + (uint64_t)len > (uint64_t)UINT32_MAX + 1u)
        return cpu_access_error(m, what, core, vaddr, buf, len);
    return bus_cpu_access(m->hw, core, op, vaddr, buf, (uint32_t)len);
}

int mmsim_cpu_read(mmsim_t *m, uint32_t core, uint32_t vaddr, void *buf, size_t len)
{
    return cpu_access(m, "mmsim_cpu_read", core, BUS_READ, vaddr, buf, len);
}

int mmsim_cpu_write(mmsim_t *m, uint32_t core, uint32_t vaddr, const void *buf, size_t len)
{
    /* The bus only reads from the buffer on a store. */
    return cpu_access(m, "mmsim_cpu_write", core, BUS_WRITE, vaddr, (void *)(uintptr_t)buf, len);
}

int mmsim_cpu_fetch(mmsim_t *m, uint32_t core, uint32_t vaddr, void *buf, size_t len)
{
    return cpu_access(m, "mmsim_cpu_fetch", core, BUS_FETCH, vaddr, buf, len);
}

static int store_range(mmsim_t *m, const char *what, uint32_t target, uint32_t paddr, const void *buf,
                       size_t len)
{
    if (!m)
        return set_error("%s: machine is NULL", what);
    if (check_range(what, buf, paddr, len))
        return -1;
    const store_t *s = machine_store(m->hw, target);
    if (!s)
        return set_error("%s: %s has no %s", what, m->hw->chip.name,
                         target == MMSIM_TARGET_PSRAM ? "PSRAM" : target == MMSIM_TARGET_FLASH ? "flash"
                                                                                              : "such target");
    if (len > store_size(s) || paddr > store_size(s) - len)
        return set_error("%s: 0x%08x+%zu is outside the %u-byte %s", what, paddr, len, store_size(s),
                         target == MMSIM_TARGET_PSRAM ? "PSRAM" : "flash");
    return 0;
}

int mmsim_flash_read(mmsim_t *m, uint32_t paddr, void *buf, size_t len)
{
    if (store_range(m, "mmsim_flash_read", MMSIM_TARGET_FLASH, paddr, buf, len))
        return -1;
    return bus_spi1_read(m->hw, paddr, buf, (uint32_t)len);
}

int mmsim_flash_write(mmsim_t *m, uint32_t paddr, const void *buf, size_t len)
{
    if (store_range(m, "mmsim_flash_write", MMSIM_TARGET_FLASH, paddr, buf, len))
        return -1;
    if (bus_spi1_program(m->hw, paddr, buf, (uint32_t)len))
        return set_error("mmsim_flash_write: out of memory");
    return 0;
}

int mmsim_flash_erase(mmsim_t *m, uint32_t paddr, size_t len)
{
    if (store_range(m, "mmsim_flash_erase", MMSIM_TARGET_FLASH, paddr, "", len))
        return -1;
    if ((paddr | len) % STORE_SECTOR_SIZE)
        return set_error("mmsim_flash_erase: 0x%08x+%zu is not aligned to 4 KB sectors", paddr, len);
    if (bus_spi1_erase(m->hw, paddr, (uint32_t)len))
        return set_error("mmsim_flash_erase: out of memory");
    return 0;
}

int mmsim_flash_save(mmsim_t *m, const char *path)
{
    if (!m || !path)
        return set_error("mmsim_flash_save: %s is NULL", !m ? "machine" : "path");
    char msg[YDOC_ERR_MAX];
    if (store_save_image(m->hw->flash, path, msg, sizeof msg))
        return set_error("%s", msg);
    return 0;
}

int mmsim_dma_read(mmsim_t *m, uint32_t target, uint32_t paddr, void *buf, size_t len)
{
    if (store_range(m, "mmsim_dma_read", target, paddr, buf, len))
        return -1;
    return bus_dma_read(m->hw, target, paddr, buf, (uint32_t)len);
}

int mmsim_dma_write(mmsim_t *m, uint32_t target, uint32_t paddr, const void *buf, size_t len)
{
    if (store_range(m, "mmsim_dma_write", target, paddr, buf, len))
        return -1;
    if (bus_dma_write(m->hw, target, paddr, buf, (uint32_t)len))
        return set_error("mmsim_dma_write: out of memory");
    return 0;
}

/* ---- time ---- */

int mmsim_set_driver_core(mmsim_t *m, uint32_t core)
{
    if (core >= m->hw->chip.cores)
        return set_error("mmsim_set_driver_core: core %u does not exist (%s has %u)", core,
                         m->hw->chip.name, m->hw->chip.cores);
    m->hw->hal_core = core;
    return 0;
}

uint64_t mmsim_cycles(const mmsim_t *m, uint32_t core)
{
    return core < m->hw->chip.cores ? m->hw->cycles[core] : 0;
}

uint64_t mmsim_time_ns(const mmsim_t *m, uint32_t core)
{
    return timing_cycles_to_ns(mmsim_cycles(m, core), m->hw->chip.cpu_mhz);
}

/* ---- hazards ---- */

size_t mmsim_hazard_count(const mmsim_t *m) { return m->hw->hazards.total; }

size_t mmsim_hazard_count_kind(const mmsim_t *m, mmsim_hazard_kind_t kind)
{
    return (unsigned)kind < MMSIM_HAZARD_KIND_COUNT ? m->hw->hazards.per_kind[kind] : 0;
}

const mmsim_hazard_t *mmsim_hazard_get(const mmsim_t *m, size_t i)
{
    return i < m->hw->hazards.kept ? &m->hw->hazards.recs[i] : NULL;
}

void mmsim_hazard_clear(mmsim_t *m) { hazard_log_clear(&m->hw->hazards); }

void mmsim_set_step(mmsim_t *m, uint32_t step) { m->hw->hazards.step = step; }

/* ---- inspection ---- */

uint32_t mmsim_cache_count(const mmsim_t *m) { return m->hw->chip.cache_count; }

int mmsim_cache_info(const mmsim_t *m, uint32_t cache, mmsim_cache_info_t *out)
{
    if (cache >= m->hw->chip.cache_count || !out)
        return set_error("mmsim_cache_info: no cache %u", cache);
    const chipdef_cache_t *d = &m->hw->chip.caches[cache];
    *out = (mmsim_cache_info_t){d->name, d->level, (int)d->kind, d->per_core, d->size, d->ways,
                                d->line_size, m->hw->caches[cache][0]->sets, d->write_back};
    return 0;
}

static const cache_t *instance(const mmsim_t *m, const char *what, uint32_t cache, uint32_t core)
{
    if (cache >= m->hw->chip.cache_count || core >= m->hw->chip.cores) {
        set_error("%s: no cache %u for core %u", what, cache, core);
        return NULL;
    }
    return m->hw->caches[cache][core];
}

int mmsim_cache_stats(const mmsim_t *m, uint32_t cache, uint32_t core, mmsim_cache_stats_t *out)
{
    const cache_t *c = instance(m, "mmsim_cache_stats", cache, core);
    if (!c || !out)
        return -1;
    *out = (mmsim_cache_stats_t){c->stats.hits, c->stats.misses, c->stats.fills, c->stats.writebacks,
                                 c->stats.evictions, c->stats.invalidations};
    return 0;
}

int mmsim_cache_line(const mmsim_t *m, uint32_t cache, uint32_t core, uint32_t index,
                     mmsim_cache_line_t *out)
{
    const cache_t *c = instance(m, "mmsim_cache_line", cache, core);
    if (!c || !out)
        return -1;
    if (index >= cache_line_count(c))
        return set_error("mmsim_cache_line: line %u out of range (%u lines)", index, cache_line_count(c));
    const cache_line_t *l = &c->lines[index];
    *out = (mmsim_cache_line_t){l->valid ? l->key : 0, l->paddr, l->target, l->valid, l->dirty, l->stale, l->lru,
                                c->data + ((size_t)index << c->line_shift)};
    return 0;
}

uint32_t mmsim_mmu_count(const mmsim_t *m) { return m->hw->chip.mmu_count; }

int mmsim_mmu_info(const mmsim_t *m, uint32_t mmu, mmsim_mmu_info_t *out)
{
    if (mmu >= m->hw->chip.mmu_count || !out)
        return set_error("mmsim_mmu_info: no MMU %u", mmu);
    const chipdef_mmu_t *d = &m->hw->chip.mmus[mmu];
    *out = (mmsim_mmu_info_t){d->name, d->entries, d->tables};
    return 0;
}

int mmsim_mmu_entry(const mmsim_t *m, uint32_t mmu, uint32_t table, uint32_t entry, mmsim_mmu_entry_t *out)
{
    const chipdef_t *chip = &m->hw->chip;
    if (mmu >= chip->mmu_count || table >= chip->mmus[mmu].tables || entry >= chip->mmus[mmu].entries || !out)
        return set_error("mmsim_mmu_entry: no entry %u in table %u of MMU %u", entry, table, mmu);
    const chipdef_mmu_t *d = &chip->mmus[mmu];
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
    return 0;
}

int mmsim_translate(const mmsim_t *m, uint32_t core, uint32_t vaddr, uint32_t *paddr, uint32_t *target)
{
    uint32_t p, t;
    if (core >= m->hw->chip.cores || mmu_translate(&m->hw->mmu, core, vaddr, &p, &t) < MMU_XLATE_OK)
        return -1;
    if (paddr)
        *paddr = p;
    if (target)
        *target = t;
    return 0;
}

size_t mmsim_resident_bytes(const mmsim_t *m) { return sizeof *m + machine_resident_bytes(m->hw); }
