/* hal_mmu.c - mmu_hal_* and mmu_ll_* (ESP-IDF names) on the bound machine's MMU tables.
 *
 * The address decode is the chip definition's: windows give the entry of a vaddr, the
 * view types and targets it serves, and the linear base.  The LL quirks the windows
 * cannot express are written out where used, each with its reference:
 *   - ESP32 DRAM1 entry id = 1152 + ((v & 0x1FFFFF) >> 15): the upper 2 MB of the PSRAM
 *     window alias the lower 2 MB's entries (§1.9);
 *   - ESP32's LL range checks stop at SOC_MMU_ENTRY_NUM = 384, so converting a PSRAM
 *     vaddr or unmapping one hits a HAL_ASSERT (§1.9, §4.2);
 *   - the HAL's page size is the MMU page size (64 KB on ESP32) even where a window's
 *     entries use smaller pages (ESP32 DRAM1: 32 KB), as upstream.
 * Deliberate differences from upstream, all in conversions of entries the driver does
 * not reach on the chip:
 *   - entry -> vaddr uses the window the entry belongs to; upstream's ESP32 IRAM1/IROM0
 *     and ESP32-S2 IBUS1/DBUS0/DBUS1/DBUS2 bases look wrong (§1.9, §7 item 2);
 *   - mmu_hal_paddr_to_vaddr takes the in-page offset modulo the matched entry's page
 *     size (upstream: the 64 KB HAL page, 0x8000 off for odd ESP32 PSRAM pages, §1.9);
 *   - ESP32's helpers read the PRO table whatever mmu_id says; here mmu_id selects the
 *     table (the same while both are written together, as the driver does). */
#include <stddef.h>

#include "bus.h"
#include "hal/mmu_hal.h"
#include "hal/mmu_ll.h"
#include "hal_ctx.h"
#include "soc/ext_mem_defs.h"

_Static_assert(MMU_TARGET_FLASH0 == CHIPDEF_TARGET_FLASH, "mmu_target_t");
_Static_assert(MMU_TARGET_PSRAM0 == CHIPDEF_TARGET_PSRAM, "mmu_target_t");
_Static_assert(MMU_VADDR_DATA == CHIPDEF_VADDR_DATA, "mmu_vaddr_t");
_Static_assert(MMU_VADDR_INSTRUCTION == CHIPDEF_VADDR_INSTRUCTION, "mmu_vaddr_t");
_Static_assert(MMU_MEM_CAP_EXEC == CHIPDEF_CAP_EXEC, "mmu_mem_caps_t");
_Static_assert(MMU_MEM_CAP_READ == CHIPDEF_CAP_READ, "mmu_mem_caps_t");
_Static_assert(MMU_MEM_CAP_WRITE == CHIPDEF_CAP_WRITE, "mmu_mem_caps_t");
_Static_assert(MMU_MEM_CAP_32BIT == CHIPDEF_CAP_32BIT, "mmu_mem_caps_t");
_Static_assert(MMU_MEM_CAP_8BIT == CHIPDEF_CAP_8BIT, "mmu_mem_caps_t");
_Static_assert(MMU_PAGE_16KB == 0x4000 && MMU_PAGE_32KB == 0x8000 && MMU_PAGE_64KB == 0x10000, "mmu_page_size_t");

/* ESP32's DRAM1 entry id uses SOC_MMU_VADDR_MASK >> 1 (see the file comment). */
#define ESP32_DRAM1_VADDR_MASK (0x3FFFFFu >> 1)

/* ---- decode helpers (no hazards; callers check) --------------------------------- */

/* How many mmu_id values the chip has: P4's MMUs, ESP32's per-CPU tables, else 1. */
static uint32_t mmu_id_count(const machine_t *m)
{
    const chipdef_t *c = &m->chip;
    if (c->mmu_count > 1)
        return c->mmu_count;
    return c->mmu_count ? c->mmus[0].tables : 0;
}

/* The MMU index and table instance of a valid mmu_id. */
static void mmu_slot(const machine_t *m, uint32_t mmu_id, uint32_t *mmu, uint32_t *inst)
{
    if (m->chip.mmu_count > 1) {
        *mmu = mmu_id;
        *inst = 0;
    } else {
        *mmu = 0;
        *inst = mmu_id;
    }
}

/* log2 of the HAL page size, or 0 for a size the HAL's conversions do not know. */
static uint32_t hal_page_shift(const machine_t *m)
{
    switch (chipdef_page_size(&m->chip)) {
    case MMU_PAGE_64KB:
        return 16;
    case MMU_PAGE_32KB:
        return 15;
    case MMU_PAGE_16KB:
        return 14;
    default:
        return 0;
    }
}

static bool serves(const chipdef_window_t *w, uint32_t type)
{
    /* A window shared by both views serves any type: upstream ignores it there. */
    return (w->types & type) || w->types == (CHIPDEF_VADDR_DATA | CHIPDEF_VADDR_INSTRUCTION);
}

static bool holds(const chipdef_window_t *w, uint32_t vaddr) { return vaddr - w->vaddr < w->size; }

static const chipdef_window_t *window_serving(const chipdef_t *c, uint32_t vaddr, uint32_t type)
{
    for (uint32_t i = 0; i < c->window_count; i++)
        if (holds(&c->windows[i], vaddr) && serves(&c->windows[i], type))
            return &c->windows[i];
    return NULL;
}

/* vaddr_start and its last byte in one window of `type`.  On chips with adjacent windows
 * of one view and one MMU (S2: IBUS0+IBUS1, DPORT+DRAM1+DRAM0) the LL checks whole bus
 * ranges, so a range may continue into the next window; ESP32's LL checks each cache
 * window on its own.  vaddr_start+len-1 wraps as in upstream's 32-bit arithmetic. */
static bool vaddr_region_ok(const machine_t *m, uint32_t vaddr_start, uint32_t len, uint32_t type)
{
    const chipdef_t *c = &m->chip;
    uint32_t vaddr_end = vaddr_start + len - 1u;
    const chipdef_window_t *w = window_serving(c, vaddr_start, type);
    while (w) {
        if (holds(w, vaddr_end))
            return true;
        uint32_t next = w->vaddr + w->size;
        if (hal_mmu_per_cpu(m) || next == 0)
            return false;
        const chipdef_window_t *n = window_serving(c, next, type);
        if (!n || n->vaddr != next || n->mmu != w->mmu)
            return false;
        w = n;
    }
    return false;
}

/* The limit of paddr for MMU index `mmu`: its reach in MMU pages. */
static uint64_t paddr_limit(const machine_t *m, uint32_t mmu)
{
    const chipdef_mmu_t *u = &m->chip.mmus[mmu];
    uint32_t pages = u->max_paddr_pages_flash > u->max_paddr_pages_psram ? u->max_paddr_pages_flash
                                                                         : u->max_paddr_pages_psram;
    return (uint64_t)chipdef_page_size(&m->chip) * pages;
}

static bool paddr_region_ok(const machine_t *m, uint32_t mmu, uint32_t paddr_start, uint32_t len)
{
    uint64_t lim = paddr_limit(m, mmu);
    uint32_t paddr_end = paddr_start + len - 1u; /* wraps like upstream: len 0 at 0 fails */
    return paddr_start < lim && len < lim && paddr_end < lim;
}

/* The window an entry of MMU `mmu` belongs to: the one whose entries hold it, else the
 * group at or below it (ESP32 entries 64-76 precede the cached IRAM0 window but are
 * flash entries of that group).  NULL if the MMU has no window at or below. */
static const chipdef_window_t *window_of_entry(const chipdef_t *c, uint32_t mmu, uint32_t entry, uint32_t type)
{
    const chipdef_window_t *below = NULL;
    for (uint32_t i = 0; i < c->window_count; i++) {
        const chipdef_window_t *w = &c->windows[i];
        if (w->mmu != mmu || (type && !serves(w, type)))
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
    return chipdef_page_size(c);
}

static bool entry_id_of(const machine_t *m, uint32_t vaddr, uint32_t *entry)
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

static uint32_t format_paddr(const machine_t *m, uint32_t mmu, uint32_t paddr, uint32_t target)
{
    return paddr >> __builtin_ctz(target_page_size(&m->chip, mmu, target));
}

/* The raw value of a valid entry holding page number mmu_val for `target`.  mmu_val is
 * OR-ed in unmasked, as upstream writes it: on P4 a page number beyond the value field
 * runs into the flag bits (§4.2 note).  Where the MMU decides the target (P4, flash-only
 * chips) its own target bits are used. */
static uint32_t entry_value(const chipdef_mmu_t *u, uint32_t mmu_val, uint32_t target)
{
    uint32_t t = u->target_from == CHIPDEF_TARGET_FROM_MMU ? u->targets : target;
    return mmu_encode(u, t, 0) | mmu_val;
}

static void write_raw(machine_t *m, uint32_t mmu, uint32_t inst, uint32_t entry, uint32_t raw)
{
    mmu_write_entry(&m->mmu, mmu, inst, entry, raw);
    bus_charge(m, m->hal_core, BUS_MMU_ENTRY_CYCLES);
}

static uint32_t entry_paddr_base(const machine_t *m, uint32_t mmu, uint32_t raw, uint32_t entry)
{
    const chipdef_window_t *w = window_of_entry(&m->chip, mmu, entry, 0);
    uint32_t page = w ? w->page_size : chipdef_page_size(&m->chip);
    return mmu_entry_page(&m->chip.mmus[mmu], raw) * page;
}

static uint32_t entry_target(const machine_t *m, uint32_t mmu, uint32_t raw, uint32_t entry)
{
    const chipdef_mmu_t *u = &m->chip.mmus[mmu];
    return mmu_entry_target(u, window_of_entry(&m->chip, mmu, entry, 0), raw);
}

static int find_entry(const machine_t *m, uint32_t mmu, uint32_t inst, uint32_t mmu_val, uint32_t target)
{
    const chipdef_mmu_t *u = &m->chip.mmus[mmu];
    for (uint32_t e = 0; e < u->entries; e++) {
        uint32_t raw = mmu_read_entry(&m->mmu, mmu, inst, e);
        if (mmu_entry_is_valid(u, raw) && mmu_entry_page(u, raw) == mmu_val &&
            entry_target(m, mmu, raw, e) == target)
            return (int)e;
    }
    return -1;
}

static uint32_t entry_vaddr_base(const machine_t *m, uint32_t mmu, uint32_t entry, uint32_t type)
{
    const chipdef_window_t *w = window_of_entry(&m->chip, mmu, entry, type ? type : CHIPDEF_VADDR_DATA);
    return w ? w->vaddr + (entry - w->entry_base) * w->page_size : 0;
}

/* ---- mmu_ll ---------------------------------------------------------------------- */

uint32_t mmu_ll_vaddr_to_laddr(uint32_t vaddr)
{
    HAL_ENTER_RET(m, 0);
    return vaddr & m->chip.linear_mask;
}

uint32_t mmu_ll_laddr_to_vaddr(uint32_t laddr, mmu_vaddr_t vaddr_type, mmu_target_t target)
{
    HAL_ENTER_RET(m, 0);
    const chipdef_t *c = &m->chip;
    if (hal_mmu_per_target(m)) {
        /* P4: the base is the target's window, whatever the type. */
        uint32_t t = target == MMU_TARGET_FLASH0 ? CHIPDEF_TARGET_FLASH : CHIPDEF_TARGET_PSRAM;
        for (uint32_t i = 0; i < c->window_count; i++)
            if (c->windows[i].targets & t)
                return c->windows[i].vaddr | laddr;
        return 0;
    }
    /* The bus base of the view: every window of one view shares the bits above the
     * linear mask (ESP32/S2 data 0x3E000000, instruction 0x40000000; S3/C2/C3 D 0x3C000000,
     * I 0x42000000; C6/H2 one 0x42000000). */
    uint32_t type = vaddr_type == MMU_VADDR_DATA ? CHIPDEF_VADDR_DATA : CHIPDEF_VADDR_INSTRUCTION;
    for (uint32_t i = 0; i < c->window_count; i++)
        if (c->windows[i].types & type)
            return (c->windows[i].vaddr & ~c->linear_mask) | laddr;
    return 0;
}

mmu_target_t mmu_ll_vaddr_to_target(uint32_t vaddr)
{
    HAL_ENTER_RET(m, MMU_TARGET_FLASH0);
    const chipdef_window_t *window = mmu_window_of(&m->chip, vaddr);
    HAL_CHECK_RET(m, window, MMU_TARGET_FLASH0);
    if (window->targets == CHIPDEF_TARGET_FLASH || window->targets == CHIPDEF_TARGET_PSRAM)
        return (mmu_target_t)window->targets;
    uint32_t entry = 0;
    entry_id_of(m, vaddr, &entry);
    uint32_t raw = mmu_read_entry(&m->mmu, window->mmu, 0, entry);
    if (!mmu_entry_is_valid(&m->chip.mmus[window->mmu], raw))
        return MMU_TARGET_FLASH0;
    return (mmu_target_t)entry_target(m, window->mmu, raw, entry);
}

uint32_t mmu_ll_vaddr_to_id(uint32_t vaddr)
{
    HAL_ENTER_RET(m, 0);
    if (!hal_mmu_per_target(m))
        return 0;
    const chipdef_window_t *window = mmu_window_of(&m->chip, vaddr);
    HAL_CHECK_RET(m, window, 0);
    return window->mmu;
}

mmu_page_size_t mmu_ll_get_page_size(uint32_t mmu_id)
{
    HAL_ENTER_RET(m, (mmu_page_size_t)0);
    (void)mmu_id; /* one page size for every MMU of a chip */
    return (mmu_page_size_t)chipdef_page_size(&m->chip);
}

void mmu_ll_set_page_size(uint32_t mmu_id, uint32_t size)
{
    HAL_ENTER(m);
    (void)mmu_id;
    /* The windows were laid out for the configured page size when the machine was
     * built; another size cannot be switched to at run time. */
    HAL_CHECK(m, size == SOC_MMU_PAGE_SIZE);
}

bool mmu_ll_check_valid_ext_vaddr_region(uint32_t mmu_id, uint32_t vaddr_start, uint32_t len, mmu_vaddr_t type)
{
    HAL_ENTER_RET(m, false);
    (void)mmu_id; /* upstream checks every window whatever the id */
    return vaddr_region_ok(m, vaddr_start, len, type);
}

bool mmu_ll_check_valid_paddr_region(uint32_t mmu_id, uint32_t paddr_start, uint32_t len)
{
    HAL_ENTER_RET(m, false);
    uint32_t mmu_ids = mmu_id_count(m), mmu = 0, inst = 0;
    HAL_CHECK_RET(m, mmu_id < mmu_ids, false);
    mmu_slot(m, mmu_id, &mmu, &inst);
    return paddr_region_ok(m, mmu, paddr_start, len);
}

uint32_t mmu_ll_get_entry_id(uint32_t mmu_id, uint32_t vaddr)
{
    HAL_ENTER_RET(m, 0);
    (void)mmu_id; /* the window decides; P4's two MMUs number their entries alike */
    uint32_t entry_id = 0;
    bool vaddr_in_window = entry_id_of(m, vaddr, &entry_id);
    HAL_CHECK_RET(m, vaddr_in_window, 0);
    return entry_id;
}

uint32_t hal_soc_mmu_valid_val_mask(uint32_t mmu_id)
{
    HAL_ENTER_RET(m, 0);
    uint32_t mmu = 0, inst = 0;
    HAL_CHECK_RET(m, mmu_id < mmu_id_count(m), 0);
    mmu_slot(m, mmu_id, &mmu, &inst);
    return m->chip.mmus[mmu].value_mask;
}

uint32_t mmu_ll_format_paddr(uint32_t mmu_id, uint32_t paddr, mmu_target_t target)
{
    HAL_ENTER_RET(m, 0);
    uint32_t mmu_ids = mmu_id_count(m), mmu = 0, inst = 0;
    HAL_CHECK_RET(m, mmu_id < mmu_ids, 0);
    mmu_slot(m, mmu_id, &mmu, &inst);
    return format_paddr(m, mmu, paddr, target);
}

void mmu_ll_write_entry(uint32_t mmu_id, uint32_t entry_id, uint32_t mmu_val, mmu_target_t target)
{
    HAL_ENTER(m);
    uint32_t mmu_ids = mmu_id_count(m), mmu = 0, inst = 0;
    HAL_CHECK(m, mmu_id < mmu_ids);
    mmu_slot(m, mmu_id, &mmu, &inst);
    const chipdef_mmu_t *u = &m->chip.mmus[mmu];
    uint32_t entry_num = u->entries;
    HAL_CHECK(m, entry_id < entry_num);
    if (m->chip.mmu_scope == CHIPDEF_MMU_SHARED && u->targets == CHIPDEF_TARGET_FLASH)
        HAL_CHECK(m, target == MMU_TARGET_FLASH0); /* flash-only MMUs (C2/C3 assert it) */
    write_raw(m, mmu, inst, entry_id, entry_value(u, mmu_val, target));
}

uint32_t mmu_ll_read_entry(uint32_t mmu_id, uint32_t entry_id)
{
    HAL_ENTER_RET(m, 0);
    uint32_t mmu_ids = mmu_id_count(m), mmu = 0, inst = 0;
    HAL_CHECK_RET(m, mmu_id < mmu_ids, 0);
    mmu_slot(m, mmu_id, &mmu, &inst);
    uint32_t entry_num = m->chip.mmus[mmu].entries;
    HAL_CHECK_RET(m, entry_id < entry_num, 0);
    return mmu_read_entry(&m->mmu, mmu, inst, entry_id);
}

void mmu_ll_set_entry_invalid(uint32_t mmu_id, uint32_t entry_id)
{
    HAL_ENTER(m);
    uint32_t mmu_ids = mmu_id_count(m), mmu = 0, inst = 0;
    HAL_CHECK(m, mmu_id < mmu_ids);
    mmu_slot(m, mmu_id, &mmu, &inst);
    HAL_CHECK(m, entry_id < SOC_MMU_ENTRY_NUM);
    write_raw(m, mmu, inst, entry_id, mmu_invalid_value(&m->chip.mmus[mmu]));
}

void mmu_ll_unmap_all(uint32_t mmu_id)
{
    HAL_ENTER(m);
    uint32_t mmu_ids = mmu_id_count(m), mmu = 0, inst = 0;
    HAL_CHECK(m, mmu_id < mmu_ids);
    mmu_slot(m, mmu_id, &mmu, &inst);
    uint32_t inv = mmu_invalid_value(&m->chip.mmus[mmu]), n = SOC_MMU_ENTRY_NUM;
    for (uint32_t e = 0; e < n; e++)
        write_raw(m, mmu, inst, e, inv);
}

bool mmu_ll_check_entry_valid(uint32_t mmu_id, uint32_t entry_id)
{
    HAL_ENTER_RET(m, false);
    uint32_t mmu_ids = mmu_id_count(m), mmu = 0, inst = 0;
    HAL_CHECK_RET(m, mmu_id < mmu_ids, false);
    mmu_slot(m, mmu_id, &mmu, &inst);
    HAL_CHECK_RET(m, entry_id < SOC_MMU_ENTRY_NUM, false);
    return mmu_entry_is_valid(&m->chip.mmus[mmu], mmu_read_entry(&m->mmu, mmu, inst, entry_id));
}

mmu_target_t mmu_ll_get_entry_target(uint32_t mmu_id, uint32_t entry_id)
{
    HAL_ENTER_RET(m, MMU_TARGET_FLASH0);
    uint32_t mmu_ids = mmu_id_count(m), mmu = 0, inst = 0;
    HAL_CHECK_RET(m, mmu_id < mmu_ids, MMU_TARGET_FLASH0);
    mmu_slot(m, mmu_id, &mmu, &inst);
    HAL_CHECK_RET(m, entry_id < SOC_MMU_ENTRY_NUM, MMU_TARGET_FLASH0);
    uint32_t raw = mmu_read_entry(&m->mmu, mmu, inst, entry_id);
    bool entry_valid = mmu_entry_is_valid(&m->chip.mmus[mmu], raw);
    HAL_CHECK_RET(m, entry_valid, MMU_TARGET_FLASH0);
    return (mmu_target_t)entry_target(m, mmu, raw, entry_id);
}

uint32_t mmu_ll_entry_id_to_paddr_base(uint32_t mmu_id, uint32_t entry_id)
{
    HAL_ENTER_RET(m, 0);
    uint32_t mmu_ids = mmu_id_count(m), mmu = 0, inst = 0;
    HAL_CHECK_RET(m, mmu_id < mmu_ids, 0);
    mmu_slot(m, mmu_id, &mmu, &inst);
    HAL_CHECK_RET(m, entry_id < SOC_MMU_ENTRY_NUM, 0);
    return entry_paddr_base(m, mmu, mmu_read_entry(&m->mmu, mmu, inst, entry_id), entry_id);
}

int mmu_ll_find_entry_id_based_on_map_value(uint32_t mmu_id, uint32_t mmu_val, mmu_target_t target)
{
    HAL_ENTER_RET(m, -1);
    uint32_t mmu_ids = mmu_id_count(m), mmu = 0, inst = 0;
    HAL_CHECK_RET(m, mmu_id < mmu_ids, -1);
    mmu_slot(m, mmu_id, &mmu, &inst);
    return find_entry(m, mmu, inst, mmu_val, target);
}

uint32_t mmu_ll_entry_id_to_vaddr_base(uint32_t mmu_id, uint32_t entry_id, mmu_vaddr_t type)
{
    HAL_ENTER_RET(m, 0);
    uint32_t mmu_ids = mmu_id_count(m), mmu = 0, inst = 0;
    HAL_CHECK_RET(m, mmu_id < mmu_ids, 0);
    mmu_slot(m, mmu_id, &mmu, &inst);
    return entry_vaddr_base(m, mmu, entry_id, type);
}

/* ---- mmu_hal --------------------------------------------------------------------- */

void mmu_hal_ctx_init(const mmu_hal_config_t *config)
{
    HAL_ENTER(m);
    HAL_CHECK(m, config);
    m->hal_core_nums = config->core_nums;
}

void mmu_hal_init(const mmu_hal_config_t *config)
{
    HAL_ENTER(m);
    HAL_CHECK(m, config);
    mmu_hal_ctx_init(config);
    mmu_ll_set_page_size(0, config->mmu_page_size);
    mmu_hal_unmap_all();
}

void mmu_hal_unmap_all(void)
{
    HAL_ENTER(m);
    if (hal_mmu_per_target(m)) {
        mmu_ll_unmap_all(MMU_LL_FLASH_MMU_ID);
        mmu_ll_unmap_all(MMU_LL_PSRAM_MMU_ID);
        return;
    }
    /* Upstream loops over core_nums ids; on shared-MMU chips every id names the one
     * table, so only the ids that exist are cleared (once each). */
    uint32_t n = m->hal_core_nums, ids = mmu_id_count(m);
    for (uint32_t i = 0; i < n && i < ids; i++)
        mmu_ll_unmap_all(i);
}

uint32_t mmu_hal_pages_to_bytes(uint32_t mmu_id, uint32_t page_num)
{
    HAL_ENTER_RET(m, 0);
    uint32_t mmu_ids = mmu_id_count(m);
    HAL_CHECK_RET(m, mmu_id < mmu_ids, 0);
    uint32_t shift_code = hal_page_shift(m);
    HAL_CHECK_RET(m, shift_code, 0);
    return page_num << shift_code;
}

uint32_t mmu_hal_bytes_to_pages(uint32_t mmu_id, uint32_t bytes)
{
    HAL_ENTER_RET(m, 0);
    uint32_t mmu_ids = mmu_id_count(m);
    HAL_CHECK_RET(m, mmu_id < mmu_ids, 0);
    uint32_t shift_code = hal_page_shift(m);
    HAL_CHECK_RET(m, shift_code, 0);
    return bytes >> shift_code;
}

/* The body of mmu_hal_map_region and mmu_hal_map_region_no_enc, run inside the caller's
 * scope (so hazards name the public function). */
static void map_region(machine_t *m, const char *func, uint32_t mmu_id, uint32_t mem_type, uint32_t vaddr,
                       uint32_t paddr, uint32_t len, uint32_t vaddr_types, uint32_t *out_len)
{
#define MAP_CHECK(cond)                          \
    do {                                         \
        if (!(cond)) {                           \
            hal_assert_fail(m, func, #cond);     \
            return;                              \
        }                                        \
    } while (0)
    uint32_t mmu_ids = mmu_id_count(m), mmu = 0, inst = 0;
    MAP_CHECK(mmu_id < mmu_ids);
    mmu_slot(m, mmu_id, &mmu, &inst);
    uint32_t shift_code = hal_page_shift(m);
    MAP_CHECK(shift_code);
    uint32_t page_size = 1u << shift_code;
    MAP_CHECK(vaddr % page_size == 0);
    MAP_CHECK(paddr % page_size == 0);
    MAP_CHECK(mmu_ll_check_valid_paddr_region(mmu_id, paddr, len));
    MAP_CHECK(mmu_hal_check_valid_ext_vaddr_region(mmu_id, vaddr, len, vaddr_types));
    const chipdef_mmu_t *u = &m->chip.mmus[mmu];
    if (m->chip.mmu_scope == CHIPDEF_MMU_SHARED && u->targets == CHIPDEF_TARGET_FLASH)
        MAP_CHECK(mem_type == MMU_TARGET_FLASH0);

    uint32_t page_num = (uint32_t)(((uint64_t)len + page_size - 1u) / page_size);
    if (out_len)
        *out_len = page_num << shift_code;
    uint32_t mmu_val = format_paddr(m, mmu, paddr, mem_type);
    for (; page_num; page_num--, vaddr += page_size, mmu_val++) {
        uint32_t entry_id = 0;
        entry_id_of(m, vaddr, &entry_id); /* the range check put every page in a window */
        uint32_t entry_num = u->entries;
        MAP_CHECK(entry_id < entry_num);
        write_raw(m, mmu, inst, entry_id, entry_value(u, mmu_val, mem_type));
    }
#undef MAP_CHECK
}

void mmu_hal_map_region(uint32_t mmu_id, mmu_target_t mem_type, uint32_t vaddr, uint32_t paddr, uint32_t len,
                        uint32_t *out_len)
{
    HAL_ENTER(m);
    HAL_CHECK(m, out_len);
    map_region(m, __func__, mmu_id, mem_type, vaddr, paddr, len, CHIPDEF_VADDR_DATA | CHIPDEF_VADDR_INSTRUCTION,
               out_len);
}

void mmu_hal_map_region_no_enc(uint32_t vaddr, uint32_t paddr, uint32_t len)
{
    HAL_ENTER(m);
    HAL_CHECK(m, SOC_MMU_PER_EXT_MEM_TARGET);
    /* The model sets no encryption ("sensitive") bit on any entry, so this differs from
     * mmu_hal_map_region only in the data-only vaddr check. */
    map_region(m, __func__, MMU_LL_PSRAM_MMU_ID, MMU_TARGET_PSRAM0, vaddr, paddr, len, CHIPDEF_VADDR_DATA, NULL);
}

void mmu_hal_unmap_region(uint32_t mmu_id, uint32_t vaddr, uint32_t len)
{
    HAL_ENTER(m);
    uint32_t mmu_ids = mmu_id_count(m), mmu = 0, inst = 0;
    HAL_CHECK(m, mmu_id < mmu_ids);
    mmu_slot(m, mmu_id, &mmu, &inst);
    uint32_t shift_code = hal_page_shift(m);
    HAL_CHECK(m, shift_code);
    uint32_t page_size = 1u << shift_code;
    HAL_CHECK(m, vaddr % page_size == 0);
    HAL_CHECK(m, mmu_hal_check_valid_ext_vaddr_region(mmu_id, vaddr, len, MMU_VADDR_DATA | MMU_VADDR_INSTRUCTION));

    uint32_t page_num = (uint32_t)(((uint64_t)len + page_size - 1u) / page_size);
    uint32_t inv = mmu_invalid_value(&m->chip.mmus[mmu]);
    for (; page_num; page_num--, vaddr += page_size) {
        uint32_t entry_id = 0;
        entry_id_of(m, vaddr, &entry_id);
        if (!(entry_id < SOC_MMU_ENTRY_NUM)) { /* ESP32 PSRAM entries: the LL's assert */
            hal_assert_fail(m, "mmu_ll_set_entry_invalid", "entry_id < SOC_MMU_ENTRY_NUM");
            return;
        }
        write_raw(m, mmu, inst, entry_id, inv);
    }
}

bool mmu_hal_vaddr_to_paddr(uint32_t mmu_id, uint32_t vaddr, uint32_t *out_paddr, mmu_target_t *out_target)
{
    HAL_ENTER_RET(m, false);
    uint32_t mmu_ids = mmu_id_count(m), mmu = 0, inst = 0;
    HAL_CHECK_RET(m, mmu_id < mmu_ids, false);
    mmu_slot(m, mmu_id, &mmu, &inst);
    HAL_CHECK_RET(m, out_paddr && out_target, false);
    HAL_CHECK_RET(m, mmu_hal_check_valid_ext_vaddr_region(mmu_id, vaddr, 1, MMU_VADDR_DATA | MMU_VADDR_INSTRUCTION),
                  false);
    uint32_t shift_code = hal_page_shift(m);
    HAL_CHECK_RET(m, shift_code, false);
    uint32_t entry_id = 0;
    entry_id_of(m, vaddr, &entry_id);
    if (!(entry_id < SOC_MMU_ENTRY_NUM)) { /* ESP32 PSRAM vaddr: the LL's assert */
        hal_assert_fail(m, "mmu_ll_check_entry_valid", "entry_id < SOC_MMU_ENTRY_NUM");
        return false;
    }
    const chipdef_mmu_t *u = &m->chip.mmus[mmu];
    uint32_t raw = mmu_read_entry(&m->mmu, mmu, inst, entry_id);
    if (!mmu_entry_is_valid(u, raw))
        return false;
    uint32_t offset = vaddr & ((1u << shift_code) - 1u);
    *out_target = (mmu_target_t)entry_target(m, mmu, raw, entry_id);
    *out_paddr = entry_paddr_base(m, mmu, raw, entry_id) | offset;
    return true;
}

bool mmu_hal_paddr_to_vaddr(uint32_t mmu_id, uint32_t paddr, mmu_target_t target, mmu_vaddr_t type,
                            uint32_t *out_vaddr)
{
    HAL_ENTER_RET(m, false);
    uint32_t mmu_ids = mmu_id_count(m), mmu = 0, inst = 0;
    HAL_CHECK_RET(m, mmu_id < mmu_ids, false);
    mmu_slot(m, mmu_id, &mmu, &inst);
    HAL_CHECK_RET(m, out_vaddr, false);
    HAL_CHECK_RET(m, mmu_ll_check_valid_paddr_region(mmu_id, paddr, 1), false);
    uint32_t mmu_val = format_paddr(m, mmu, paddr, target);
    int entry_id = find_entry(m, mmu, inst, mmu_val, target);
    if (entry_id == -1)
        return false;
    const chipdef_window_t *w = window_of_entry(&m->chip, mmu, (uint32_t)entry_id, 0);
    uint32_t page = w ? w->page_size : chipdef_page_size(&m->chip);
    uint32_t vaddr_base = entry_vaddr_base(m, mmu, (uint32_t)entry_id, type);
    if (vaddr_base == 0)
        return false;
    *out_vaddr = vaddr_base | (paddr & (page - 1u));
    return true;
}

/* The HAL checks are the LL's (upstream's HAL wrappers add nothing). */
bool mmu_hal_check_valid_ext_vaddr_region(uint32_t mmu_id, uint32_t vaddr_start, uint32_t len, mmu_vaddr_t type)
{
    return mmu_ll_check_valid_ext_vaddr_region(mmu_id, vaddr_start, len, type);
}

bool mmu_hal_check_valid_paddr_region(uint32_t mmu_id, uint32_t paddr_start, uint32_t len)
{
    return mmu_ll_check_valid_paddr_region(mmu_id, paddr_start, len);
}

uint32_t mmu_hal_get_id_from_target(mmu_target_t target)
{
    HAL_ENTER_RET(m, 0);
    if (!hal_mmu_per_target(m))
        return 0;
    return target == MMU_TARGET_FLASH0 ? MMU_LL_FLASH_MMU_ID : MMU_LL_PSRAM_MMU_ID;
}

uint32_t mmu_hal_get_id_from_vaddr(uint32_t vaddr) { return mmu_ll_vaddr_to_id(vaddr); }
