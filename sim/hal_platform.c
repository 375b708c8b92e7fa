/* hal_platform.c - the rest of the chip's platform the drivers call besides the HAL:
 * run-time sdkconfig values, the esp_mmu_map region table, the spi_flash cache guard,
 * the app image layout the bootloader left, the log clock, aborts, and the drivers'
 * hints to the checker. */
#include <string.h>

#include "esp_private/boot_ptable.h"
#include "esp_private/cache_utils.h"
#include "esp_private/esp_psram_impl.h"
#include "esp_private/mmsim_hint.h"
#include "esp_private/image_layout.h"
#include "bus.h"
#include "esp_log_timestamp.h"
#include "esp_system.h"
#include "ext_mem_layout.h"
#include "hal/spi1_flash.h"
#include "hal_ctx.h"
#include "sdkconfig.h"

uint32_t hal_sdk_mmu_page_size(void) { return chipdef_page_size(hal_chip()); }
bool hal_sdk_target_is(const char *chip) { return strcmp(hal_chip()->name, chip) == 0; }
uint32_t hal_sdk_idf_version(void) { return hal_chip()->config.idf_version_code; }
uint32_t hal_sdk_spiram_bankswitch_reserve(void) { return hal_chip()->config.spiram_bankswitch_reserve; }
uint32_t hal_sdk_partition_table_offset(void) { return hal_chip()->config.partition_table_offset; }
bool hal_sdk_partition_table_md5(void) { return hal_chip()->config.partition_table_md5; }
bool hal_sdk_spiram_fetch_instructions(void) { return hal_chip()->config.spiram_fetch_instructions; }
bool hal_sdk_spiram_rodata(void) { return hal_chip()->config.spiram_rodata; }
bool hal_sdk_spiram_flash_load_to_psram(void)
{
    const chipdef_t *c = hal_chip();
    return c->spiram_xip_supported && !c->spiram_xip_split_options &&
           (c->config.spiram_fetch_instructions || c->config.spiram_rodata);
}
bool hal_sdk_cache_32bit_addr(bool octal)
{
    return hal_chip()->config.cache_32bit_addr && (hal_chip()->flash.lines == 8) == octal;
}

const mmu_mem_region_t *hal_mmu_mem_regions(void)
{
    /* Rebuilt on each call from the bound chip: a handful of rows, and never stale
     * after a switch of machine. */
    static _Thread_local mmu_mem_region_t rows[CHIPDEF_MAX_REGIONS];
    const chipdef_t *c = hal_chip();
    for (uint32_t i = 0; i < c->region_count; i++) {
        const chipdef_region_t *r = &c->regions[i];
        rows[i] = (mmu_mem_region_t){r->start, r->end, r->end - r->start, (cache_bus_mask_t)r->bus,
                                     (mmu_target_t)r->targets, r->caps};
    }
    return rows;
}

void spi_flash_disable_interrupts_caches_and_other_cpu(void)
{
    HAL_ENTER(m);
    if (m->flash_guard_depth++)
        return;
    memcpy(m->flash_guard_saved, m->cache_off, sizeof m->cache_off);
    for (uint32_t i = 0; i < m->chip.cache_count; i++)
        for (uint32_t k = 0; k < m->chip.cores; k++)
            m->cache_off[i][k] = true;
}

void spi_flash_enable_interrupts_caches_and_other_cpu(void)
{
    HAL_ENTER(m);
    HAL_CHECK(m, m->flash_guard_depth > 0);
    if (--m->flash_guard_depth)
        return;
    memcpy(m->cache_off, m->flash_guard_saved, sizeof m->cache_off);
}

const uint8_t *boot_ptable(void)
{
    machine_t *m = hal_machine();
    return m && m->boot_ptable_read ? m->boot_ptable : NULL;
}

uint32_t image_layout_irom_start(void) { return hal_machine() ? hal_machine()->image_irom[0] : 0; }
uint32_t image_layout_irom_end(void) { return hal_machine() ? hal_machine()->image_irom[1] : 0; }
uint32_t image_layout_drom_start(void) { return hal_machine() ? hal_machine()->image_drom[0] : 0; }
uint32_t image_layout_drom_end(void) { return hal_machine() ? hal_machine()->image_drom[1] : 0; }
void image_layout_set_xip(int text, uint32_t flash_paddr, uint32_t psram_paddr)
{
    machine_t *m = hal_machine();
    if (!m || text < 0 || text > 1)
        return;
    m->image_xip[text] = true;
    m->image_xip_flash[text] = flash_paddr;
    m->image_xip_psram[text] = psram_paddr;
}
bool image_layout_xip(int text, uint32_t *flash_paddr, uint32_t *psram_paddr)
{
    machine_t *m = hal_machine();
    if (!m || text < 0 || text > 1 || !m->image_xip[text])
        return false;
    *flash_paddr = m->image_xip_flash[text];
    *psram_paddr = m->image_xip_psram[text];
    return true;
}
bool image_layout_xip_pages(int text, uint32_t *vaddr, uint32_t *pages, uint32_t *flash_paddr,
                            uint32_t *psram_paddr)
{
    const uint32_t page = hal_sdk_mmu_page_size();
    uint32_t start = text ? image_layout_irom_start() : image_layout_drom_start();
    uint32_t end = text ? image_layout_irom_end() : image_layout_drom_end();
    if (!page || end <= start || !image_layout_xip(text, flash_paddr, psram_paddr))
        return false;
    *vaddr = start / page * page;
    *pages = (uint32_t)(((uint64_t)end + page - 1u) / page - start / page);
    return true;
}
uint32_t image_layout_boot_page(void) { return hal_machine() ? hal_machine()->image_boot_page : 0; }
void image_layout_set_boot_page(uint32_t vaddr)
{
    if (hal_machine())
        hal_machine()->image_boot_page = vaddr;
}
void image_layout_flash_segments(uint32_t *drom_paddr, uint32_t *irom_paddr)
{
    machine_t *m = hal_machine();
    if (drom_paddr)
        *drom_paddr = m ? m->image_flash[0] : 0;
    if (irom_paddr)
        *irom_paddr = m ? m->image_flash[1] : 0;
}

uint32_t esp_log_timestamp(void)
{
    machine_t *m = hal_machine();
    if (!m || !m->chip.cpu_mhz)
        return 0;
    return (uint32_t)(m->cycles[m->hal_core] / ((uint64_t)m->chip.cpu_mhz * 1000u));
}

esp_err_t esp_psram_impl_get_available_size(uint32_t *out_size_bytes)
{
    machine_t *m = hal_machine();
    uint32_t size = m && m->psram ? store_size(m->psram) : 0;
    if (out_size_bytes)
        *out_size_bytes = size;
    return size ? ESP_OK : ESP_ERR_INVALID_STATE;
}

uint32_t spi1_flash_size(void) { return hal_machine() ? store_size(hal_machine()->flash) : 0; }

bool spi1_flash_read(uint32_t addr, void *buf, uint32_t len)
{
    HAL_ENTER_RET(m, false);
    return bus_spi1_read(m, addr, buf, len) == 0;
}

bool spi1_flash_program(uint32_t addr, const void *buf, uint32_t len)
{
    HAL_ENTER_RET(m, false);
    return bus_spi1_program(m, addr, buf, len) == 0;
}

bool spi1_flash_erase(uint32_t addr, uint32_t len)
{
    HAL_ENTER_RET(m, false);
    return bus_spi1_erase(m, addr, len) == 0;
}

void esp_system_abort(const char *details)
{
    machine_t *m = hal_machine();
    if (m)
        hal_abort(m, "esp_system_abort", details ? details : "");
}

void mmsim_hint_released(uint32_t vaddr, uint32_t len)
{
    HAL_ENTER(m);
    mmu_release_range(&m->mmu, vaddr, len);
}

bool mmsim_hint_is_chip_range(uintptr_t addr, size_t len)
{
    machine_t *m = hal_machine();
    if (!m || !len || addr > UINT32_MAX || len > UINT32_MAX - addr)
        return false;
    for (uint32_t i = 0; i < m->chip.window_count; i++) {
        const chipdef_window_t *w = &m->chip.windows[i];
        if (addr >= w->vaddr && addr - w->vaddr < w->size)
            return len <= w->size - (addr - w->vaddr);
    }
    return false;
}

void mmsim_hint_cpu_read(uint32_t vaddr, void *buf, size_t len)
{
    machine_t *m = hal_machine();
    if (!m || !len || len > UINT32_MAX || vaddr + (uint64_t)len > (uint64_t)UINT32_MAX + 1u)
        return;
    /* Out of host memory on the way (a dirty line written back): the machine has
     * recorded why; the bytes read so far stay in buf. */
    (void)bus_cpu_access(m, m->hal_core, BUS_READ, vaddr, buf, (uint32_t)len);
}
