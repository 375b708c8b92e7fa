/* hal_mmu.c - mmu_hal_* and mmu_ll_* (ESP-IDF names) on the bound machine's MMU tables:
 * their contracts (each upstream HAL_ASSERT recorded as a hazard) and what they do; the
 * address and entry arithmetic beneath them is hal_mmu_decode.c's.
 *
 * LL quirks kept, each with its reference:
 *   - ESP32's LL range checks stop at SOC_MMU_ENTRY_NUM = 384, so converting a PSRAM
 *     vaddr or unmapping one hits a HAL_ASSERT (§1.9, §4.2);
 *   - the ESP32 DRAM1 entry formula and the HAL page size: see hal_mmu_decode.c;
 *   - C5/C61/H4 (target_reads_index): mmu_ll_get_entry_target reads the content register
 *     without writing the index register, so it reports the entry the last indexed access
 *     named, whatever entry_id says (partitions-images-chips.md §2).  Every indexed access
 *     here sets mmu.index_reg as upstream's register writes do;
 *   - S31: each MMU has a page-size register with codes of its own (flash 256/128/64/32 KB,
 *     PSRAM 64/32/16/8 KB; a size without a code programs code 0), and the conversions
 *     know fewer sizes than the MMU: mmu_hal_pages_to_bytes 16-64 KB, the LL's
 *     entry -> address helpers 8-64 KB, so 128/256 KB flash pages assert there.
 * Deliberate differences from upstream, all in conversions of entries the driver does
 * not reach on the chip:
 *   - mmu_hal_paddr_to_vaddr takes the in-page offset modulo the matched entry's page
 *     size (upstream: the 64 KB HAL page, 0x8000 off for odd ESP32 PSRAM pages, §1.9);
 *   - entry -> vaddr uses the window the entry belongs to, and on ESP32 mmu_id selects
 *     the table (hal_mmu_decode.h). */
#include <stddef.h>

#include "bus.h"
#include "hal/mmu_hal.h"
#include "hal/mmu_ll.h"
#include "hal_ctx.h"
#include "hal_mmu_decode.h"
#include "soc/ext_mem_defs.h"

/* ESP-IDF's MMU types (hal/mmu_types.h) hold the chip definitions' values. */
_Static_assert(MMU_TARGET_FLASH0 == CHIPDEF_TARGET_FLASH && MMU_TARGET_PSRAM0 == CHIPDEF_TARGET_PSRAM,
               "mmu_target_t");
_Static_assert(MMU_VADDR_DATA == CHIPDEF_VADDR_DATA && MMU_VADDR_INSTRUCTION == CHIPDEF_VADDR_INSTRUCTION,
               "mmu_vaddr_t");
_Static_assert(MMU_MEM_CAP_EXEC == CHIPDEF_CAP_EXEC && MMU_MEM_CAP_READ == CHIPDEF_CAP_READ &&
                   MMU_MEM_CAP_WRITE == CHIPDEF_CAP_WRITE && MMU_MEM_CAP_32BIT == CHIPDEF_CAP_32BIT &&
                   MMU_MEM_CAP_8BIT == CHIPDEF_CAP_8BIT,
               "mmu_mem_caps_t");
_Static_assert(MMU_PAGE_16KB == 0x4000 && MMU_PAGE_32KB == 0x8000 && MMU_PAGE_64KB == 0x10000, "mmu_page_size_t");

/* ---- mmu_id ---------------------------------------------------------------------- */

/* The MMU index and table instance that mmu_id names, in *mmu and *inst.  An id the
 * chip does not have is upstream's HAL_ASSERT(mmu_id < mmu_ids), recorded against `func`:
 * false then. */
static bool mmu_id_slot(machine_t *m, const char *func, uint32_t mmu_id, uint32_t *mmu, uint32_t *inst)
{
    if (!(mmu_id < hal_mmu_id_count(m))) {
        hal_assert_fail(m, func, "mmu_id < mmu_ids");
        return false;
    }
    hal_mmu_slot(m, mmu_id, mmu, inst);
    return true;
}

/* The start of a HAL function taking an mmu_id: `mmu` and `inst` as mmu_id_slot sets
 * them, or, for an id the chip does not have, return (HAL_MMU_ID) or return `neutral`
 * (HAL_MMU_ID_RET). */
#define HAL_MMU_ID(m, mmu_id, mmu, inst)                    \
    uint32_t mmu = 0, inst = 0;                             \
    if (!mmu_id_slot((m), __func__, (mmu_id), &mmu, &inst)) \
        return
#define HAL_MMU_ID_RET(m, mmu_id, mmu, inst, neutral) HAL_MMU_ID(m, mmu_id, mmu, inst)(neutral)

/* ---- the LL's range checks ------------------------------------------------------ */

static bool holds(const chipdef_window_t *w, uint32_t vaddr) { return vaddr - w->vaddr < w->size; }

static const chipdef_window_t *window_serving(const chipdef_t *c, uint32_t vaddr, uint32_t type)
{
    for (uint32_t i = 0; i < c->window_count; i++)
        if (holds(&c->windows[i], vaddr) && hal_mmu_window_serves(&c->windows[i], type))
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
    return (uint64_t)chipdef_mmu_page_size(&m->chip, mmu) * pages;
}

static bool paddr_region_ok(const machine_t *m, uint32_t mmu, uint32_t paddr_start, uint32_t len)
{
    uint64_t lim = paddr_limit(m, mmu);
    uint32_t paddr_end = paddr_start + len - 1u; /* wraps like upstream: len 0 at 0 fails */
    return paddr_start < lim && len < lim && paddr_end < lim;
}

/* hal_mmu_find_entry, leaving the index register where upstream's scan leaves it: on the
 * entry found, else on the last entry. */
static int find_entry_indexed(machine_t *m, uint32_t mmu, uint32_t inst, uint32_t mmu_val, uint32_t target)
{
    int e = hal_mmu_find_entry(m, mmu, inst, mmu_val, target);
    m->mmu.index_reg[mmu] = e >= 0 ? (uint32_t)e : m->chip.mmus[mmu].entries - 1u;
    return e;
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
    hal_mmu_entry_id_of(m, vaddr, &entry);
    uint32_t raw = mmu_read_entry(&m->mmu, window->mmu, 0, entry);
    if (!mmu_entry_is_valid(&m->chip.mmus[window->mmu], raw))
        return MMU_TARGET_FLASH0;
    return (mmu_target_t)hal_mmu_entry_target(m, window->mmu, raw, entry);
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
    if (!hal_mmu_per_target(m)) /* one page size for every MMU id of the chip */
        return (mmu_page_size_t)chipdef_page_size(&m->chip);
    HAL_MMU_ID_RET(m, mmu_id, mmu, inst, (mmu_page_size_t)0);
    return (mmu_page_size_t)chipdef_mmu_page_size(&m->chip, mmu);
}

void mmu_ll_set_page_size(uint32_t mmu_id, uint32_t size)
{
    HAL_ENTER(m);
    /* The windows were laid out for the page size each MMU runs at once start-up has
     * programmed the configured size into it; another cannot be switched to at run
     * time.  An MMU with codes of its own (S31) takes whatever size its code gives. */
    if (!hal_mmu_per_target(m)) {
        HAL_CHECK(m, size == SOC_MMU_PAGE_SIZE);
        return;
    }
    HAL_MMU_ID(m, mmu_id, mmu, inst);
    HAL_CHECK(m, chipdef_page_after_set(&m->chip.mmus[mmu], size) == chipdef_mmu_page_size(&m->chip, mmu));
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
    HAL_MMU_ID_RET(m, mmu_id, mmu, inst, false);
    return paddr_region_ok(m, mmu, paddr_start, len);
}

uint32_t mmu_ll_get_entry_id(uint32_t mmu_id, uint32_t vaddr)
{
    HAL_ENTER_RET(m, 0);
    (void)mmu_id; /* the window decides; P4's two MMUs number their entries alike */
    uint32_t entry_id = 0;
    bool vaddr_in_window = hal_mmu_entry_id_of(m, vaddr, &entry_id);
    HAL_CHECK_RET(m, vaddr_in_window, 0);
    return entry_id;
}

uint32_t hal_soc_mmu_valid_val_mask(uint32_t mmu_id)
{
    HAL_ENTER_RET(m, 0);
    uint32_t mmu = 0, inst = 0;
    HAL_CHECK_RET(m, mmu_id < hal_mmu_id_count(m), 0);
    hal_mmu_slot(m, mmu_id, &mmu, &inst);
    return m->chip.mmus[mmu].value_mask;
}

uint32_t mmu_ll_format_paddr(uint32_t mmu_id, uint32_t paddr, mmu_target_t target)
{
    HAL_ENTER_RET(m, 0);
    HAL_MMU_ID_RET(m, mmu_id, mmu, inst, 0);
    return hal_mmu_format_paddr(m, mmu, paddr, target);
}

void mmu_ll_write_entry(uint32_t mmu_id, uint32_t entry_id, uint32_t mmu_val, mmu_target_t target)
{
    HAL_ENTER(m);
    HAL_MMU_ID(m, mmu_id, mmu, inst);
    const chipdef_mmu_t *u = &m->chip.mmus[mmu];
    uint32_t entry_num = u->entries;
    HAL_CHECK(m, entry_id < entry_num);
    if (m->chip.mmu_scope == CHIPDEF_MMU_SHARED && u->targets == CHIPDEF_TARGET_FLASH)
        HAL_CHECK(m, target == MMU_TARGET_FLASH0); /* flash-only MMUs (C2/C3 assert it) */
    hal_mmu_write_raw(m, mmu, inst, entry_id, hal_mmu_entry_value(u, mmu_val, target));
}

uint32_t mmu_ll_read_entry(uint32_t mmu_id, uint32_t entry_id)
{
    HAL_ENTER_RET(m, 0);
    HAL_MMU_ID_RET(m, mmu_id, mmu, inst, 0);
    uint32_t entry_num = m->chip.mmus[mmu].entries;
    HAL_CHECK_RET(m, entry_id < entry_num, 0);
    m->mmu.index_reg[mmu] = entry_id;
    return mmu_read_entry(&m->mmu, mmu, inst, entry_id);
}

void mmu_ll_set_entry_invalid(uint32_t mmu_id, uint32_t entry_id)
{
    HAL_ENTER(m);
    HAL_MMU_ID(m, mmu_id, mmu, inst);
    HAL_CHECK(m, entry_id < SOC_MMU_ENTRY_NUM);
    hal_mmu_write_raw(m, mmu, inst, entry_id, mmu_invalid_value(&m->chip.mmus[mmu]));
}

void mmu_ll_unmap_all(uint32_t mmu_id)
{
    HAL_ENTER(m);
    HAL_MMU_ID(m, mmu_id, mmu, inst);
    uint32_t inv = mmu_invalid_value(&m->chip.mmus[mmu]), n = SOC_MMU_ENTRY_NUM;
    for (uint32_t e = 0; e < n; e++)
        hal_mmu_write_raw(m, mmu, inst, e, inv);
}

bool mmu_ll_check_entry_valid(uint32_t mmu_id, uint32_t entry_id)
{
    HAL_ENTER_RET(m, false);
    HAL_MMU_ID_RET(m, mmu_id, mmu, inst, false);
    HAL_CHECK_RET(m, entry_id < SOC_MMU_ENTRY_NUM, false);
    m->mmu.index_reg[mmu] = entry_id;
    return mmu_entry_is_valid(&m->chip.mmus[mmu], mmu_read_entry(&m->mmu, mmu, inst, entry_id));
}

mmu_target_t mmu_ll_get_entry_target(uint32_t mmu_id, uint32_t entry_id)
{
    HAL_ENTER_RET(m, MMU_TARGET_FLASH0);
    HAL_MMU_ID_RET(m, mmu_id, mmu, inst, MMU_TARGET_FLASH0);
    HAL_CHECK_RET(m, entry_id < SOC_MMU_ENTRY_NUM, MMU_TARGET_FLASH0);
    if (m->chip.mmus[mmu].target_reads_index) /* C5/C61/H4: whatever entry the index names */
        entry_id = m->mmu.index_reg[mmu];
    uint32_t raw = mmu_read_entry(&m->mmu, mmu, inst, entry_id);
    bool entry_valid = mmu_entry_is_valid(&m->chip.mmus[mmu], raw);
    HAL_CHECK_RET(m, entry_valid, MMU_TARGET_FLASH0);
    return (mmu_target_t)hal_mmu_entry_target(m, mmu, raw, entry_id);
}

uint32_t mmu_ll_entry_id_to_paddr_base(uint32_t mmu_id, uint32_t entry_id)
{
    HAL_ENTER_RET(m, 0);
    HAL_MMU_ID_RET(m, mmu_id, mmu, inst, 0);
    HAL_CHECK_RET(m, entry_id < SOC_MMU_ENTRY_NUM, 0);
    HAL_CHECK_RET(m, hal_mmu_ll_decodes_page(m, mmu), 0); /* S31: HAL_ASSERT(shift_code) past 64 KB */
    m->mmu.index_reg[mmu] = entry_id;
    return hal_mmu_entry_paddr_base(m, mmu, mmu_read_entry(&m->mmu, mmu, inst, entry_id), entry_id);
}

int mmu_ll_find_entry_id_based_on_map_value(uint32_t mmu_id, uint32_t mmu_val, mmu_target_t target)
{
    HAL_ENTER_RET(m, -1);
    HAL_MMU_ID_RET(m, mmu_id, mmu, inst, -1);
    return find_entry_indexed(m, mmu, inst, mmu_val, target);
}

uint32_t mmu_ll_entry_id_to_vaddr_base(uint32_t mmu_id, uint32_t entry_id, mmu_vaddr_t type)
{
    HAL_ENTER_RET(m, 0);
    HAL_MMU_ID_RET(m, mmu_id, mmu, inst, 0);
    HAL_CHECK_RET(m, hal_mmu_ll_decodes_page(m, mmu), 0); /* S31: HAL_ASSERT(shift_code) past 64 KB */
    return hal_mmu_entry_vaddr_base(m, mmu, entry_id, type);
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
    uint32_t n = m->hal_core_nums, ids = hal_mmu_id_count(m);
    for (uint32_t i = 0; i < n && i < ids; i++)
        mmu_ll_unmap_all(i);
}

/* The page shift of mmu_id for the conversions below, which assert a valid id and a
 * page size they know; 0 after recording a failed assert against `func`. */
static uint32_t page_shift_of(machine_t *m, const char *func, uint32_t mmu_id)
{
    uint32_t mmu = 0, inst = 0;
    if (!mmu_id_slot(m, func, mmu_id, &mmu, &inst))
        return 0;
    uint32_t shift_code = hal_mmu_page_shift(m, mmu);
    if (!shift_code)
        hal_assert_fail(m, func, "shift_code");
    return shift_code;
}

uint32_t mmu_hal_pages_to_bytes(uint32_t mmu_id, uint32_t page_num)
{
    HAL_ENTER_RET(m, 0);
    uint32_t shift_code = page_shift_of(m, __func__, mmu_id);
    return shift_code ? page_num << shift_code : 0;
}

uint32_t mmu_hal_bytes_to_pages(uint32_t mmu_id, uint32_t bytes)
{
    HAL_ENTER_RET(m, 0);
    uint32_t shift_code = page_shift_of(m, __func__, mmu_id);
    return shift_code ? bytes >> shift_code : 0;
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
    uint32_t mmu = 0, inst = 0;
    if (!mmu_id_slot(m, func, mmu_id, &mmu, &inst))
        return;
    uint32_t shift_code = hal_mmu_page_shift(m, mmu); /* mmu_hal_pages_to_bytes */
    if (!shift_code) {
        hal_assert_fail(m, "mmu_hal_pages_to_bytes", "shift_code");
        return;
    }
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
    uint32_t mmu_val = hal_mmu_format_paddr(m, mmu, paddr, mem_type);
    for (; page_num; page_num--, vaddr += page_size, mmu_val++) {
        uint32_t entry_id = 0;
        hal_mmu_entry_id_of(m, vaddr, &entry_id); /* the range check put every page in a window */
        uint32_t entry_num = u->entries;
        MAP_CHECK(entry_id < entry_num);
        hal_mmu_write_raw(m, mmu, inst, entry_id, hal_mmu_entry_value(u, mmu_val, mem_type));
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
    HAL_MMU_ID(m, mmu_id, mmu, inst);
    uint32_t shift_code = hal_mmu_page_shift(m, mmu); /* mmu_hal_pages_to_bytes */
    if (!shift_code) {
        hal_assert_fail(m, "mmu_hal_pages_to_bytes", "shift_code");
        return;
    }
    uint32_t page_size = 1u << shift_code;
    HAL_CHECK(m, vaddr % page_size == 0);
    HAL_CHECK(m, mmu_hal_check_valid_ext_vaddr_region(mmu_id, vaddr, len, MMU_VADDR_DATA | MMU_VADDR_INSTRUCTION));

    uint32_t page_num = (uint32_t)(((uint64_t)len + page_size - 1u) / page_size);
    uint32_t inv = mmu_invalid_value(&m->chip.mmus[mmu]);
    for (; page_num; page_num--, vaddr += page_size) {
        uint32_t entry_id = 0;
        hal_mmu_entry_id_of(m, vaddr, &entry_id);
        if (!(entry_id < SOC_MMU_ENTRY_NUM)) { /* ESP32 PSRAM entries: the LL's assert */
            hal_assert_fail(m, "mmu_ll_set_entry_invalid", "entry_id < SOC_MMU_ENTRY_NUM");
            return;
        }
        hal_mmu_write_raw(m, mmu, inst, entry_id, inv);
    }
}

bool mmu_hal_vaddr_to_paddr(uint32_t mmu_id, uint32_t vaddr, uint32_t *out_paddr, mmu_target_t *out_target)
{
    HAL_ENTER_RET(m, false);
    HAL_MMU_ID_RET(m, mmu_id, mmu, inst, false);
    HAL_CHECK_RET(m, out_paddr && out_target, false);
    HAL_CHECK_RET(m, mmu_hal_check_valid_ext_vaddr_region(mmu_id, vaddr, 1, MMU_VADDR_DATA | MMU_VADDR_INSTRUCTION),
                  false);
    uint32_t entry_id = 0;
    hal_mmu_entry_id_of(m, vaddr, &entry_id);
    if (!(entry_id < SOC_MMU_ENTRY_NUM)) { /* ESP32 PSRAM vaddr: the LL's assert */
        hal_assert_fail(m, "mmu_ll_check_entry_valid", "entry_id < SOC_MMU_ENTRY_NUM");
        return false;
    }
    const chipdef_mmu_t *u = &m->chip.mmus[mmu];
    m->mmu.index_reg[mmu] = entry_id; /* mmu_ll_check_entry_valid */
    uint32_t raw = mmu_read_entry(&m->mmu, mmu, inst, entry_id);
    if (!mmu_entry_is_valid(u, raw))
        return false;
    uint32_t shift_code = hal_mmu_page_shift(m, mmu); /* mmu_hal_pages_to_bytes, after the valid check */
    if (!shift_code) {
        hal_assert_fail(m, "mmu_hal_pages_to_bytes", "shift_code");
        return false;
    }
    uint32_t offset = vaddr & ((1u << shift_code) - 1u);
    *out_target = (mmu_target_t)hal_mmu_entry_target(m, mmu, raw, entry_id);
    *out_paddr = hal_mmu_entry_paddr_base(m, mmu, raw, entry_id) | offset;
    return true;
}

bool mmu_hal_paddr_to_vaddr(uint32_t mmu_id, uint32_t paddr, mmu_target_t target, mmu_vaddr_t type,
                            uint32_t *out_vaddr)
{
    HAL_ENTER_RET(m, false);
    HAL_MMU_ID_RET(m, mmu_id, mmu, inst, false);
    HAL_CHECK_RET(m, out_vaddr, false);
    HAL_CHECK_RET(m, mmu_ll_check_valid_paddr_region(mmu_id, paddr, 1), false);
    uint32_t mmu_val = hal_mmu_format_paddr(m, mmu, paddr, target);
    int entry_id = find_entry_indexed(m, mmu, inst, mmu_val, target);
    if (entry_id == -1)
        return false;
    if (!hal_mmu_page_shift(m, mmu)) { /* mmu_hal_pages_to_bytes for the in-page offset */
        hal_assert_fail(m, "mmu_hal_pages_to_bytes", "shift_code");
        return false;
    }
    const chipdef_window_t *w = hal_mmu_window_of_entry(&m->chip, mmu, (uint32_t)entry_id, 0);
    uint32_t page = w ? w->page_size : chipdef_mmu_page_size(&m->chip, mmu);
    uint32_t vaddr_base = hal_mmu_entry_vaddr_base(m, mmu, (uint32_t)entry_id, type);
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

uint32_t mmu_ll_psram_mmu_id(void)
{
    HAL_ENTER_RET(m, 0);
    return hal_mmu_per_target(m) ? 1u : 0u;
}

uint32_t mmu_hal_get_id_from_vaddr(uint32_t vaddr) { return mmu_ll_vaddr_to_id(vaddr); }
