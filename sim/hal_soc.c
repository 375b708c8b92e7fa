/* hal_soc.c - the SOC_* and CACHE_LL_* values of the public headers (soc/soc_caps.h,
 * soc/ext_mem_defs.h, hal/cache_ll.h), read or derived from the bound chip's definition.
 * Functions rather than struct reads in the macros keep those headers free of chipdef.h.
 * Each is 0 when no chip is bound (hal_chip() is then all zero). */
#include "hal/cache_ll.h"
#include "hal_ctx.h"
#include "soc/ext_mem_defs.h"
#include "soc/soc_caps.h"

#define IBUS_BITS (CHIPDEF_BUS_IBUS0 | CHIPDEF_BUS_IBUS1 | CHIPDEF_BUS_IBUS2)
#define DBUS_BITS (CHIPDEF_BUS_DBUS0 | CHIPDEF_BUS_DBUS1 | CHIPDEF_BUS_DBUS2)

/* ESP32's LL range checks stop at entry 384 (three 128-entry process groups) although
 * the PSRAM entries are 1152-1279 (esp-idf-behaviour.md §1.9, §4.2).  Not a window
 * property, so it is stated here. */
#define ESP32_SOC_MMU_ENTRY_NUM 384u

_Static_assert(SOC_MMU_LINEAR_ADDRESS_REGION_NUM_MAX == CHIPDEF_MAX_REGIONS, "region bound");

uint32_t hal_soc_cpu_cores_num(void) { return hal_chip()->cores; }
uint32_t hal_soc_mmu_linear_address_region_num(void) { return hal_chip()->region_count; }
bool hal_soc_mmu_per_ext_mem_target(void) { return hal_chip()->mmu_scope == CHIPDEF_MMU_PER_TARGET; }
bool hal_soc_cache_writeback_supported(void) { return hal_chip()->cache_writeback_supported; }
bool hal_soc_cache_freeze_supported(void) { return hal_chip()->cache_freeze_supported; }
bool hal_soc_cache_internal_mem_via_l1cache(void) { return hal_chip()->cache_level_int != 0; }
bool hal_soc_spiram_supported(void) { return hal_chip()->spiram_supported; }
uint32_t hal_soc_mmu_linear_addr_mask(void) { return hal_chip()->linear_mask; }
uint32_t hal_soc_mmu_page_size(void) { return chipdef_page_size(hal_chip()); }
uint32_t hal_cache_ll_level_int_mem(void) { return hal_chip()->cache_level_int; }
uint32_t hal_cache_ll_level_ext_mem(void) { return hal_chip()->cache_level_ext; }

bool hal_soc_mmu_page_size_configurable(void)
{
    uint32_t sizes = hal_chip()->page_sizes;
    return (sizes & (sizes - 1u)) != 0;
}

uint32_t hal_soc_mmu_periph_num(void)
{
    const chipdef_t *c = hal_chip();
    uint32_t n = 0;
    for (uint32_t i = 0; i < c->mmu_count; i++)
        n += c->mmus[i].tables;
    return n;
}

bool hal_soc_mmu_di_vaddr_shared(void)
{
    const chipdef_t *c = hal_chip();
    for (uint32_t i = 0; i < c->window_count; i++)
        if (c->windows[i].types == (CHIPDEF_VADDR_DATA | CHIPDEF_VADDR_INSTRUCTION))
            return true;
    return false;
}

/* Writable data windows that reach PSRAM: where a PSRAM heap can live. */
static bool extram_data_window(const chipdef_window_t *w)
{
    return (w->types & CHIPDEF_VADDR_DATA) && (w->targets & CHIPDEF_TARGET_PSRAM) &&
           (w->access & CHIPDEF_CAP_WRITE);
}

uint32_t hal_soc_extram_data_low(void)
{
    const chipdef_t *c = hal_chip();
    uint32_t low = 0;
    for (uint32_t i = 0; i < c->window_count; i++)
        if (extram_data_window(&c->windows[i]) && (!low || c->windows[i].vaddr < low))
            low = c->windows[i].vaddr;
    return low;
}

uint32_t hal_soc_extram_data_high(void)
{
    const chipdef_t *c = hal_chip();
    uint32_t high = 0;
    for (uint32_t i = 0; i < c->window_count; i++) {
        const chipdef_window_t *w = &c->windows[i];
        if (extram_data_window(w) && w->vaddr + w->size > high)
            high = w->vaddr + w->size;
    }
    return high;
}

/* The lowest data window reaching flash (soc/ext_mem_defs.h); NULL if none. */
static const chipdef_window_t *drom_window(void)
{
    const chipdef_t *c = hal_chip();
    const chipdef_window_t *best = NULL;
    for (uint32_t i = 0; i < c->window_count; i++) {
        const chipdef_window_t *w = &c->windows[i];
        if ((w->types & CHIPDEF_VADDR_DATA) && (w->targets & CHIPDEF_TARGET_FLASH) && (!best || w->vaddr < best->vaddr))
            best = w;
    }
    return best;
}

uint32_t hal_soc_dram_flash_address_low(void)
{
    const chipdef_window_t *w = drom_window();
    return w ? w->vaddr : 0;
}

uint32_t hal_soc_dram_flash_address_high(void)
{
    const chipdef_window_t *w = drom_window();
    return w ? w->vaddr + w->size : 0;
}

uint32_t hal_soc_mmu_entry_num(void)
{
    /* Never more than any MMU holds: the HAL indexes tables with ids below it. */
    const chipdef_t *c = hal_chip();
    uint32_t n = c->mmu_scope == CHIPDEF_MMU_PER_CPU ? ESP32_SOC_MMU_ENTRY_NUM : UINT32_MAX;
    for (uint32_t i = 0; i < c->mmu_count; i++)
        if (c->mmus[i].entries < n)
            n = c->mmus[i].entries;
    return c->mmu_count ? n : 0;
}

uint32_t hal_cache_ll_level_nums(void)
{
    const chipdef_t *c = hal_chip();
    uint32_t n = 0;
    for (uint32_t i = 0; i < c->cache_count; i++)
        if (c->caches[i].level > n)
            n = c->caches[i].level;
    return n;
}

uint32_t hal_cache_ll_id_all(void)
{
    /* Upstream: one more than the highest cache id, i.e. 2 on the dual-core ESP32/S3,
     * 1 on single-core chips, 3 on P4 (L1 I caches of two cores plus more ids). */
    const chipdef_t *c = hal_chip();
    if (!c->cores)
        return 0;
    if (c->cache_level_ext == 2)
        return 3;
    return c->cores;
}

/* The bus bits of the first window serving `type`, limited to `bits` when the window
 * has some of them (S2's default data bus is DROM0's IBUS2: it has none); with an MMU
 * per target, those of every window serving `type`. */
static uint32_t first_bus(const chipdef_t *c, uint32_t type, uint32_t bits)
{
    if (c->mmu_scope == CHIPDEF_MMU_PER_TARGET) { /* S31: every target's window (IBUS0 | IBUS1) */
        uint32_t all = 0;
        for (uint32_t i = 0; i < c->window_count; i++)
            if (c->windows[i].types & type)
                all |= c->windows[i].bus & bits;
        return all;
    }
    for (uint32_t i = 0; i < c->window_count; i++)
        if (c->windows[i].types & type)
            return (c->windows[i].bus & bits) ? c->windows[i].bus & bits : c->windows[i].bus;
    return 0;
}

uint32_t hal_cache_ll_default_ibus_mask(void)
{
    const chipdef_t *c = hal_chip();
    if (c->cache_level_ext == 2) /* P4 enables every bus bit */
        return IBUS_BITS;
    return first_bus(c, CHIPDEF_VADDR_INSTRUCTION, IBUS_BITS);
}

uint32_t hal_cache_ll_default_dbus_mask(void)
{
    const chipdef_t *c = hal_chip();
    if (c->cache_level_ext == 2)
        return DBUS_BITS;
    return first_bus(c, CHIPDEF_VADDR_DATA, DBUS_BITS);
}

uint32_t hal_soc_dma_low(void) { return hal_chip()->internal_ram.vaddr; }
uint32_t hal_soc_dma_high(void) { return hal_chip()->internal_ram.vaddr + hal_chip()->internal_ram.size; }
