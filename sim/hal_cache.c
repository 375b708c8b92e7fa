/* hal_cache.c - cache_hal_* and cache_ll_* (ESP-IDF names) on the bound machine: the
 * cacheable-window table msync checks against, line sizes, cache and bus enables, and
 * the maintenance by address or whole cache, which the memory hierarchy carries out
 * (cache_maint.c).
 *
 * ESP32's cache HAL is a different file upstream (cache_hal_esp32.c); where it differs
 * (no per-address operations, "line size" 4, per-CPU suspend/resume) the chip is
 * recognised by hal_cache_hal_esp32(). */
#include "bus.h"
#include "hal/cache_hal.h"
#include "hal/cache_ll.h"
#include "hal_ctx.h"

/* ESP-IDF's cache types (hal/cache_types.h) hold the chip definitions' values. */
_Static_assert(CACHE_BUS_IBUS0 == CHIPDEF_BUS_IBUS0 && CACHE_BUS_IBUS1 == CHIPDEF_BUS_IBUS1 &&
                   CACHE_BUS_IBUS2 == CHIPDEF_BUS_IBUS2 && CACHE_BUS_DBUS0 == CHIPDEF_BUS_DBUS0 &&
                   CACHE_BUS_DBUS1 == CHIPDEF_BUS_DBUS1 && CACHE_BUS_DBUS2 == CHIPDEF_BUS_DBUS2,
               "cache_bus_mask_t");
_Static_assert(CACHE_TYPE_DATA == 0 && CACHE_TYPE_INSTRUCTION == 1 && CACHE_TYPE_ALL == 2, "cache_type_t");

/* ---- helpers (no hazards) --------------------------------------------------------- */

static bool kind_matches(chipdef_cache_kind_t kind, cache_type_t type)
{
    switch (type) {
    case CACHE_TYPE_DATA:
        return kind != CHIPDEF_CACHE_INSTRUCTION;
    case CACHE_TYPE_INSTRUCTION:
        return kind != CHIPDEF_CACHE_DATA;
    default:
        return true;
    }
}

static bool level_valid(uint32_t level) { return level && level <= hal_cache_ll_level_nums(); }

/* Every instance of the `type` caches at `level` off or on; with `every`, of every cache
 * whatever its level and type (ESP32's suspend and resume). */
static void set_cache_off(machine_t *m, uint32_t level, cache_type_t type, bool off, bool every)
{
    for (uint32_t i = 0; i < m->chip.cache_count; i++)
        if (every || (m->chip.caches[i].level == level && kind_matches(m->chip.caches[i].kind, type)))
            for (uint32_t k = 0; k < m->chip.cores; k++)
                m->cache_off[i][k] = off;
}

/* Every cache instance of every core on or off (ESP32: a CPU's one cache). */
static bool all_caches_on(const machine_t *m, uint32_t level, cache_type_t type, bool any_level)
{
    bool seen = false;
    for (uint32_t i = 0; i < m->chip.cache_count; i++) {
        if (!any_level && (m->chip.caches[i].level != level || !kind_matches(m->chip.caches[i].kind, type)))
            continue;
        for (uint32_t k = 0; k < m->chip.cores; k++) {
            if (m->cache_off[i][k])
                return false;
            seen = true;
        }
    }
    return seen;
}

/* The level and id of [vaddr_start, vaddr_start+len): both ends in one window of the
 * chip's msync table (§2.4).  The end wraps as upstream's 32-bit arithmetic does. */
static bool level_id_of(const machine_t *m, uint32_t vaddr_start, uint32_t len, uint32_t *level, uint32_t *id)
{
    const chipdef_t *c = &m->chip;
    uint32_t vaddr_end = vaddr_start + len - 1u;
    for (uint32_t i = 0; i < c->msync_window_count; i++) {
        const chipdef_msync_window_t *w = &c->msync_windows[i];
        if (vaddr_start >= w->start && vaddr_start < w->end && vaddr_end >= w->start && vaddr_end < w->end) {
            *level = w->level;
            /* P4 reports "all caches of the level"; the others cache id 0. */
            *id = c->cache_level_ext == 2u ? hal_cache_ll_id_all() : 0;
            return true;
        }
    }
    return false;
}

/* Line size of the `type` cache at `level`: a shared I/D cache serves either type.
 * False for CACHE_TYPE_ALL where I and D are split (upstream asserts), except on P4,
 * where the L1 query returns 0. */
static bool line_size_of(const machine_t *m, uint32_t level, cache_type_t type, uint32_t *out)
{
    const chipdef_t *c = &m->chip;
    bool split = false;
    *out = 0;
    for (uint32_t i = 0; i < c->cache_count; i++) {
        if (c->caches[i].level != level)
            continue;
        if (c->caches[i].kind == CHIPDEF_CACHE_UNIFIED) {
            *out = c->caches[i].line_size;
            return true;
        }
        split = true;
        if (type != CACHE_TYPE_ALL && kind_matches(c->caches[i].kind, type)) {
            *out = c->caches[i].line_size;
            return true;
        }
    }
    return !(split && type == CACHE_TYPE_ALL) || c->cache_level_int != 0;
}

static uint32_t chip_buses(const machine_t *m)
{
    uint32_t b = 0;
    for (uint32_t i = 0; i < m->chip.window_count; i++)
        b |= m->chip.windows[i].bus;
    return b;
}

/* The core a bus or cache id selects: ids past the last core name the last core (the
 * chips test `id == 0` and take the other register set otherwise). */
static uint32_t core_of(const machine_t *m, uint32_t id) { return id < m->chip.cores ? id : m->chip.cores - 1u; }

static bool has_per_core_cache(const machine_t *m)
{
    for (uint32_t i = 0; i < m->chip.cache_count; i++)
        if (m->chip.caches[i].per_core)
            return true;
    return false;
}

/* ---- cache_ll --------------------------------------------------------------------- */

cache_bus_mask_t cache_ll_l1_get_bus(uint32_t cache_id, uint32_t vaddr_start, uint32_t len)
{
    HAL_ENTER_RET(m, (cache_bus_mask_t)0);
    (void)cache_id; /* every core has the same buses */
    if (CACHE_LL_EXT_MEM_VIA_L2CACHE) /* P4: L1 buses are not switched per range */
        return (cache_bus_mask_t)(CACHE_LL_DEFAULT_IBUS_MASK | CACHE_LL_DEFAULT_DBUS_MASK);
    const chipdef_t *c = &m->chip;
    bool vaddr_start_in_window = mmu_window_of(c, vaddr_start) != NULL;
    HAL_CHECK_RET(m, vaddr_start_in_window, (cache_bus_mask_t)0);
    /* Upstream decides by the window of the start and adds the buses of the windows the
     * range runs into; the OR of the windows it overlaps is the same. */
    uint64_t first = vaddr_start, last = len ? (uint64_t)vaddr_start + len - 1u : vaddr_start;
    uint32_t mask = 0;
    for (uint32_t i = 0; i < c->window_count; i++) {
        const chipdef_window_t *w = &c->windows[i];
        if (w->vaddr <= last && first < (uint64_t)w->vaddr + w->size)
            mask |= w->bus;
    }
    return (cache_bus_mask_t)mask;
}

cache_bus_mask_t cache_ll_l2_get_bus(uint32_t cache_id, uint32_t vaddr_start, uint32_t len)
{
    HAL_ENTER_RET(m, (cache_bus_mask_t)0);
    (void)cache_id;
    const chipdef_window_t *w = mmu_window_of(&m->chip, vaddr_start);
    uint32_t vaddr_end = vaddr_start + len - 1u;
    bool range_in_one_window = w && vaddr_end - w->vaddr < w->size;
    HAL_CHECK_RET(m, range_in_one_window, (cache_bus_mask_t)0);
    return (cache_bus_mask_t)w->bus;
}

void cache_ll_l1_enable_bus(uint32_t bus_id, cache_bus_mask_t mask)
{
    HAL_ENTER(m);
    if (CACHE_LL_EXT_MEM_VIA_L2CACHE || !m->chip.cores) /* P4: "not used" upstream */
        return;
    uint32_t chip_bus_mask = chip_buses(m);
    HAL_CHECK(m, (mask & ~chip_bus_mask) == 0);
    m->bus_enabled[core_of(m, bus_id)] |= (uint32_t)mask;
}

void cache_ll_l1_disable_bus(uint32_t bus_id, cache_bus_mask_t mask)
{
    HAL_ENTER(m);
    if (CACHE_LL_EXT_MEM_VIA_L2CACHE || !m->chip.cores)
        return;
    uint32_t chip_bus_mask = chip_buses(m);
    HAL_CHECK(m, (mask & ~chip_bus_mask) == 0);
    m->bus_enabled[core_of(m, bus_id)] &= ~(uint32_t)mask;
}

cache_bus_mask_t cache_ll_l1_get_enabled_bus(uint32_t cache_id)
{
    HAL_ENTER_RET(m, (cache_bus_mask_t)0);
    if (!m->chip.cores)
        return (cache_bus_mask_t)0;
    return (cache_bus_mask_t)(m->bus_enabled[core_of(m, cache_id)] & chip_buses(m));
}

bool cache_ll_vaddr_to_cache_level_id(uint32_t vaddr_start, uint32_t len, uint32_t *out_level, uint32_t *out_id)
{
    HAL_ENTER_RET(m, false);
    HAL_CHECK_RET(m, out_level && out_id, false);
    return level_id_of(m, vaddr_start, len, out_level, out_id);
}

void cache_ll_invalidate_addr(uint32_t cache_level, cache_type_t type, uint32_t cache_id, uint32_t vaddr,
                              uint32_t size)
{
    HAL_ENTER(m);
    (void)type, (void)cache_id;
    HAL_CHECK(m, level_valid(cache_level));
    bus_cache_invalidate_range(m, cache_level, vaddr, size);
}

void cache_ll_writeback_addr(uint32_t cache_level, cache_type_t type, uint32_t cache_id, uint32_t vaddr,
                             uint32_t size)
{
    HAL_ENTER(m);
    (void)type, (void)cache_id;
    HAL_CHECK(m, SOC_CACHE_WRITEBACK_SUPPORTED);
    HAL_CHECK(m, level_valid(cache_level));
    bus_cache_writeback_range(m, cache_level, vaddr, size);
}

/* Whole-cache operation on core cache_id, or on every core for ids past the last core
 * (CACHE_LL_ID_ALL); shared caches are visited once. */
static void all_cores(machine_t *m, uint32_t level, uint32_t cache_id, uint32_t (*op)(machine_t *, uint32_t, uint32_t))
{
    if (cache_id < m->chip.cores) {
        op(m, cache_id, level);
        return;
    }
    uint32_t n = has_per_core_cache(m) ? m->chip.cores : 1u;
    for (uint32_t k = 0; k < n; k++)
        op(m, k, level);
}

void cache_ll_invalidate_all(uint32_t cache_level, cache_type_t type, uint32_t cache_id)
{
    HAL_ENTER(m);
    (void)type;
    HAL_CHECK(m, level_valid(cache_level));
    all_cores(m, cache_level, cache_id, bus_cache_invalidate_all);
}

void cache_ll_writeback_all(uint32_t cache_level, cache_type_t type, uint32_t cache_id)
{
    HAL_ENTER(m);
    (void)type;
    HAL_CHECK(m, level_valid(cache_level));
    all_cores(m, cache_level, cache_id, bus_cache_writeback_all);
}

uint32_t cache_ll_get_line_size(uint32_t cache_level, cache_type_t type, uint32_t cache_id)
{
    HAL_ENTER_RET(m, 0);
    (void)cache_id;
    uint32_t line_size = 0;
    bool type_is_data_or_instruction = line_size_of(m, cache_level, type, &line_size);
    HAL_CHECK_RET(m, type_is_data_or_instruction, 0);
    return line_size;
}

/* ---- cache_hal -------------------------------------------------------------------- */

void cache_hal_init(const cache_hal_config_t *config)
{
    HAL_ENTER(m);
    HAL_CHECK(m, config);
    if (hal_cache_hal_esp32(m)) /* upstream: empty, "for compatibility" */
        return;
    set_cache_off(m, m->chip.cache_level_ext, CACHE_TYPE_ALL, false, false);
    for (uint32_t k = 0; k < config->core_nums && k < m->chip.cores; k++)
        m->bus_enabled[k] |= (uint32_t)(CACHE_LL_DEFAULT_IBUS_MASK | CACHE_LL_DEFAULT_DBUS_MASK);
}

void cache_hal_disable(uint32_t cache_level, cache_type_t type)
{
    HAL_ENTER(m);
    HAL_CHECK(m, cache_level && (cache_level <= CACHE_LL_LEVEL_NUMS));
    set_cache_off(m, cache_level, type, true, false);
}

void cache_hal_enable(uint32_t cache_level, cache_type_t type)
{
    HAL_ENTER(m);
    HAL_CHECK(m, cache_level && (cache_level <= CACHE_LL_LEVEL_NUMS));
    set_cache_off(m, cache_level, type, false, false);
}

void cache_hal_suspend(uint32_t cache_level, cache_type_t type)
{
    HAL_ENTER(m);
    if (hal_cache_hal_esp32(m)) {
        /* Both CPUs' caches, whatever level and type; the buses are remembered for resume. */
        for (uint32_t k = 0; k < m->chip.cores; k++)
            m->hal_saved_bus[k] = m->bus_enabled[k];
        set_cache_off(m, 0, CACHE_TYPE_ALL, true, true);
        return;
    }
    HAL_CHECK(m, cache_level && (cache_level <= CACHE_LL_LEVEL_NUMS));
    set_cache_off(m, cache_level, type, true, false);
}

void cache_hal_resume(uint32_t cache_level, cache_type_t type)
{
    HAL_ENTER(m);
    if (hal_cache_hal_esp32(m)) {
        set_cache_off(m, 0, CACHE_TYPE_ALL, false, true);
        for (uint32_t k = 0; k < m->chip.cores; k++)
            m->bus_enabled[k] |= m->hal_saved_bus[k];
        return;
    }
    HAL_CHECK(m, cache_level && (cache_level <= CACHE_LL_LEVEL_NUMS));
    set_cache_off(m, cache_level, type, false, false);
}

bool cache_hal_is_cache_enabled(uint32_t cache_level, cache_type_t type)
{
    HAL_ENTER_RET(m, false);
    return all_caches_on(m, cache_level, type, hal_cache_hal_esp32(m));
}

bool cache_hal_vaddr_to_cache_level_id(uint32_t vaddr_start, uint32_t len, uint32_t *out_level, uint32_t *out_id)
{
    HAL_ENTER_RET(m, false);
    if (!out_level || !out_id)
        return false;
    return level_id_of(m, vaddr_start, len, out_level, out_id);
}

bool cache_hal_invalidate_addr(uint32_t vaddr, uint32_t size)
{
    HAL_ENTER_RET(m, false);
    if (hal_cache_hal_esp32(m)) {
        hal_abort(m, __func__, "ESP32 has no per-address cache operations");
        return false;
    }
    uint32_t level = 0, id = 0;
    if (!level_id_of(m, vaddr, size, &level, &id))
        return false;
    bus_cache_invalidate_range(m, level, vaddr, size);
    return true;
}

bool cache_hal_writeback_addr(uint32_t vaddr, uint32_t size)
{
    HAL_ENTER_RET(m, false);
    HAL_CHECK_RET(m, SOC_CACHE_WRITEBACK_SUPPORTED, false);
    uint32_t level = 0, id = 0, failures = m->failures;
    if (!level_id_of(m, vaddr, size, &level, &id))
        return false;
    hal_rom_writeback_errata(m, vaddr, size); /* S3's cache_ll calls the ROM routine */
    bus_cache_writeback_range(m, level, vaddr, size);
    return m->failures == failures;
}

void cache_hal_freeze(uint32_t cache_level, cache_type_t type)
{
    HAL_ENTER(m);
    (void)type;
    HAL_CHECK(m, SOC_CACHE_FREEZE_SUPPORTED);
    HAL_CHECK(m, cache_level && (cache_level <= CACHE_LL_LEVEL_NUMS));
    m->freeze_depth++;
}

void cache_hal_unfreeze(uint32_t cache_level, cache_type_t type)
{
    HAL_ENTER(m);
    (void)type;
    HAL_CHECK(m, SOC_CACHE_FREEZE_SUPPORTED);
    HAL_CHECK(m, cache_level && (cache_level <= CACHE_LL_LEVEL_NUMS));
    HAL_CHECK(m, m->freeze_depth > 0);
    m->freeze_depth--;
}

uint32_t cache_hal_get_cache_line_size(uint32_t cache_level, cache_type_t type)
{
    HAL_ENTER_RET(m, 0);
    HAL_CHECK_RET(m, cache_level <= CACHE_LL_LEVEL_NUMS, 0);
    if (hal_cache_hal_esp32(m))
        return cache_level == CACHE_LL_LEVEL_EXT_MEM ? m->chip.hal_ext_line_size : 0;
    if (cache_level != CACHE_LL_LEVEL_EXT_MEM &&
        !(SOC_CACHE_INTERNAL_MEM_VIA_L1CACHE && cache_level == CACHE_LL_LEVEL_INT_MEM))
        return 0; /* that level caches nothing the driver can address */
    uint32_t line_size = 0;
    bool type_is_data_or_instruction = line_size_of(m, cache_level, type, &line_size);
    if (!type_is_data_or_instruction) {
        hal_assert_fail(m, "cache_ll_get_line_size", "type != CACHE_TYPE_ALL");
        return 0;
    }
    return line_size;
}
