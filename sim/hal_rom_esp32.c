/* hal_rom_esp32.c - the ESP32 ROM cache routines (Cache_Flush, Cache_Read_Enable/Disable,
 * cache_sram_mmu_set) and the PSRAM cache write-back routine
 * (esp_psram_extram_writeback_cache) on the bound machine (esp-idf-behaviour.md §3.4).
 *
 * These are ESP32 platform code, not per-chip HAL: on another chip each records a
 * HAL_ASSERT and does nothing.  cache_sram_mmu_set keeps upstream's own constants (the
 * DRAM1 entry formula with its 0x3FFFFF mask and the pid groups), as they are the
 * ROM's, not a window property. */
#include "bus.h"
#include "esp32/rom/cache.h"
#include "esp_private/esp_psram_extram.h"
#include "hal_ctx.h"

/* Return codes of cache_sram_mmu_set. */
#define MMU_SET_ADDR_ALIGNED_ERROR 1u
#define MMU_SET_PAGE_SIZE_ERROR 3u
#define MMU_SET_TABLE_OUT_OF_RANGE 4u /* ROM doc code; the IDF version never returns it */
#define MMU_SET_VADDR_OUT_RANGE 5u

/* Entry groups of the SRAM MMU: pid p >= 2 owns 128 entries from 1024 + 128 p; pids 0
 * and 1 share the DRAM1 window's (1152). */
#define SRAM_MMU_PID_GROUP_BASE 1024u
/* The in-window offset mask before the page shift (SOC_MMU_VADDR_MASK). */
#define SRAM_MMU_VADDR_MASK 0x3FFFFFu

static bool target_is_esp32_(const machine_t *m) { return hal_mmu_per_cpu(m) && m->chip.cores > 0; }

/* The PSRAM data window (DRAM1). */
static const chipdef_window_t *psram_window(const machine_t *m)
{
    uint32_t low = m->chip.himem.window_vaddr ? m->chip.himem.window_vaddr : hal_soc_extram_data_low();
    return mmu_window_of(&m->chip, low);
}

void Cache_Flush(int cpu_no)
{
    HAL_ENTER(m);
    const bool target_is_esp32 = target_is_esp32_(m);
    HAL_CHECK(m, target_is_esp32);
    uint32_t cpu = cpu_no ? 1u : 0u;
    HAL_CHECK(m, cpu < m->chip.cores);
    bus_cache_invalidate_all(m, cpu, 0);
}

/* Cache_Read_Enable/Disable: switch every cache of CPU `cpu_no` on or off.  A macro
 * because HAL_CHECK returns from the HAL function itself. */
#define ESP32_READ_ENABLE(m, cpu_no, on)                              \
    do {                                                              \
        const bool target_is_esp32 = target_is_esp32_(m);             \
        HAL_CHECK(m, target_is_esp32);                                \
        uint32_t cpu = (cpu_no) ? 1u : 0u;                            \
        HAL_CHECK(m, cpu < m->chip.cores);                            \
        for (uint32_t i = 0; i < m->chip.cache_count; i++)            \
            m->cache_off[i][cpu] = !(on);                             \
    } while (0)

void Cache_Read_Enable(int cpu_no)
{
    HAL_ENTER(m);
    ESP32_READ_ENABLE(m, cpu_no, true);
}

void Cache_Read_Disable(int cpu_no)
{
    HAL_ENTER(m);
    ESP32_READ_ENABLE(m, cpu_no, false);
}

unsigned int cache_sram_mmu_set(int cpu_no, int pid, unsigned int vaddr, unsigned int paddr, int psize, int num)
{
    HAL_ENTER_RET(m, 0);
    const bool target_is_esp32 = target_is_esp32_(m);
    HAL_CHECK_RET(m, target_is_esp32, MMU_SET_TABLE_OUT_OF_RANGE);
    const chipdef_window_t *w = psram_window(m);
    HAL_CHECK_RET(m, w, MMU_SET_TABLE_OUT_OF_RANGE);

    /* Alignment first, with the ROM's mask 0xFFFF >> (64/psize - 1): exact for 32 KB,
     * finer than the page below it.  For a psize the mask expression cannot be
     * evaluated (0, negative, above 64: a division by zero or an oversized shift on the
     * chip) no alignment error is reported; the size check then fails. */
    uint32_t align_mask = 0;
    if (psize > 0 && psize <= 64 && 64 / psize - 1 < 32)
        align_mask = 0xFFFFu >> (64 / psize - 1);
    if ((vaddr & align_mask) || (paddr & align_mask))
        return MMU_SET_ADDR_ALIGNED_ERROR;

    uint32_t shift, mask_s;
    switch (psize) {
    case 32: shift = 15, mask_s = 0; break;
    case 16: shift = 14, mask_s = 1; break;
    case 8: shift = 13, mask_s = 2; break;
    case 4: shift = 12, mask_s = 3; break;
    case 2: shift = 11, mask_s = 4; break;
    default: return MMU_SET_PAGE_SIZE_ERROR;
    }

    uint64_t window_end = (uint64_t)w->vaddr + ((uint64_t)(uint32_t)psize << 17);
    if (!(vaddr >= w->vaddr && vaddr < window_end))
        return MMU_SET_VADDR_OUT_RANGE;

    uint64_t group = (pid == 0 || pid == 1) ? w->entry_base : SRAM_MMU_PID_GROUP_BASE + ((uint64_t)(uint32_t)pid << 7);
    uint64_t first = group + ((vaddr & (SRAM_MMU_VADDR_MASK >> mask_s)) >> shift);
    uint32_t table = cpu_no ? 1u : 0u;
    const chipdef_mmu_t *u = &m->chip.mmus[w->mmu];
    bool cpu_table_exists = table < u->tables;
    HAL_CHECK_RET(m, cpu_table_exists, MMU_SET_TABLE_OUT_OF_RANGE);
    /* (unsigned)num: the chip's loop compares with an unsigned counter, so a negative
     * num would run on through the whole register file. */
    bool entries_in_modelled_table = pid >= 0 && first + (uint32_t)num <= u->entries;
    HAL_CHECK_RET(m, entries_in_modelled_table, MMU_SET_TABLE_OUT_OF_RANGE);

    /* Upstream brackets the writes with the flash guard (caches off, other CPU stalled);
     * whether that drops cached lines was not determined (§7 item 5): no cache effect. */
    uint32_t mmu_table_val = paddr >> shift;
    for (uint32_t k = 0; k < (uint32_t)num; k++) {
        mmu_write_entry(&m->mmu, w->mmu, table, (uint32_t)first + k, mmu_table_val + k);
        bus_charge_for(m, m->hal_core, MACHINE_SPENT_MMU, BUS_MMU_ENTRY_CYCLES);
    }
    return 0;
}

/* himem's unmap changed only its own bookkeeping before this sweep: learn from it
 * which bank window pages it released (machine.h), before the sweep reads anything. */
static void release_unmapped_bank_pages(machine_t *m)
{
    const chipdef_himem_t *h = &m->chip.himem;
    uint32_t reserve = m->chip.config.spiram_bankswitch_reserve;
    if (!m->himem_page_released || !h->enabled || reserve > h->window_pages)
        return;
    for (uint32_t p = h->window_pages - reserve; p < h->window_pages; p++) {
        uint32_t vaddr = h->window_vaddr + p * h->page_size;
        if (m->himem_page_released(vaddr))
            mmu_release_range(&m->mmu, vaddr, h->page_size);
    }
}

void esp_psram_extram_writeback_cache(void)
{
    HAL_ENTER(m);
    const bool target_is_esp32 = target_is_esp32_(m);
    HAL_CHECK(m, target_is_esp32);
    const chipdef_window_t *w = psram_window(m);
    if (!m->psram || !w) /* upstream: PSRAM not initialised */
        return;
    release_unmapped_bank_pages(m);

    bool was_off[CHIPDEF_MAX_CACHES][CHIPDEF_MAX_CORES] = {{false}};
    for (uint32_t i = 0; i < m->chip.cache_count; i++)
        for (uint32_t k = 0; k < m->chip.cores; k++)
            if (m->cache_off[i][k]) {
                was_off[i][k] = true;
                m->cache_off[i][k] = false;
            }

    /* Reads of 64 KB of lines evict every line of a 32 KB cache.  In low/high mode the
     * bus routes the low half of the window to CPU 0's cache and the high half to CPU
     * 1's, so one CPU reading both halves sweeps both caches (as upstream); otherwise
     * each CPU's cache is swept by that CPU. */
    const uint32_t sweep = 64u * 1024u, stride = 32u, half = w->size / 2u;
    uint8_t byte;
    if (m->chip.config.psram_lowhigh) {
        uint32_t core = m->hal_core < m->chip.cores ? m->hal_core : 0;
        for (uint32_t x = 0; x < sweep; x += stride) {
            bus_cpu_access(m, core, BUS_READ, w->vaddr + x, &byte, 1);
            bus_cpu_access(m, core, BUS_READ, w->vaddr + half + x, &byte, 1);
        }
    } else {
        for (uint32_t core = 0; core < m->chip.cores; core++)
            for (uint32_t x = 0; x < sweep; x += stride)
                bus_cpu_access(m, core, BUS_READ, w->vaddr + x, &byte, 1);
    }

    for (uint32_t i = 0; i < m->chip.cache_count; i++)
        for (uint32_t k = 0; k < m->chip.cores; k++)
            if (was_off[i][k])
                m->cache_off[i][k] = true;
}
