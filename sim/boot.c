/* boot.c - what the chip does between reset and the app, as far as external memory
 * goes: the bootloader maps the app's flash code and rodata, then the start-up code
 * runs the driver's esp_mmu_map_init, maps the PSRAM heap and initialises himem (ours,
 * or ESP-IDF's own, see driver.h).  Also switches and frees the drivers' per-chip
 * state, and gives the machine its reader of our himem's bookkeeping (machine.h).
 * With driver.c (our driver's entry table) and mmsim.c, part of the composition that
 * may call core/; the model and HAL files never do (DESIGN.md rule 2). */
#include "boot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esp_err.h"
#include "esp_log.h"
#include "esp_heap_caps.h"
#include "esp_private/esp_himem_ctx.h"
#include "esp_private/esp_mm_inspect.h"
#include "esp_private/esp_mmu_map_private.h"
#include "esp_private/esp_partition_ctx.h"
#include "esp_private/esp_psram_boot.h"
#include "esp_private/flash_mmap.h"
#include "esp_private/heap_caps_ctx.h"
#include "esp_private/image_layout.h"
#include "esp_private/bootloader_app.h"
#include "hal/mmu_hal.h"
#include "hal/mmu_ll.h"
#include "hal_ctx.h"

static uint32_t round_up(uint32_t v, uint32_t page) { return (v + page - 1u) / page * page; }

/* The first region that takes `target` with all of `caps` and none of `without`. */
static const chipdef_region_t *find_region(const chipdef_t *c, uint32_t target, uint32_t caps, uint32_t without)
{
    for (uint32_t i = 0; i < c->region_count; i++)
        if ((c->regions[i].caps & caps) == caps && !(c->regions[i].caps & without) && (c->regions[i].targets & target))
            return &c->regions[i];
    return NULL;
}

/* Map `len` bytes of flash from `paddr` at `vaddr` in every table, as the bootloader does. */
static void map_flash(machine_t *m, uint32_t vaddr, uint32_t paddr, uint32_t len)
{
    uint32_t out = 0;
    if (m->chip.mmu_scope == CHIPDEF_MMU_PER_TARGET) {
        mmu_hal_map_region(mmu_hal_get_id_from_target(MMU_TARGET_FLASH0), MMU_TARGET_FLASH0, vaddr, paddr, len, &out);
        return;
    }
    for (uint32_t id = 0; id < m->chip.mmus[0].tables; id++)
        mmu_hal_map_region(id, MMU_TARGET_FLASH0, vaddr, paddr, len, &out);
}

/* The bootloader: IROM at the start of the first executable flash region, DROM at the
 * start of the first data-only flash region (or right after the IROM when I and D
 * share the region), from the config's app_offset on in flash (the app partition it
 * boots; IMAGE_LAYOUT_FLASH_OFFSET unless set), the rodata first and the code after it,
 * as in ESP-IDF's images (the app description opens the first segment, the DROM one:
 * spi_flash_cache2phys(&_rodata_start) is in the partition's first page).  With XIP
 * from PSRAM on a chip with an MMU per memory (ESP32-P4, S31) the app is linked at the
 * PSRAM window instead (esp_system/ld/<chip>/memory.ld.in: irom_seg and drom_seg at its
 * start, text first): the bootloader leaves those segments to the app
 * (s_flash_seg_needs_map) and the PSRAM start-up copies them there
 * (core/esp_psram_xip_v2.c). */
static int load_app(machine_t *m, char *err, size_t errlen)
{
    const chipdef_t *c = &m->chip;
    uint32_t page = chipdef_page_size(c);
    uint32_t irom = round_up(c->config.app_irom_size, page), drom = round_up(c->config.app_drom_size, page);
    const bool in_psram = c->mmu_scope == CHIPDEF_MMU_PER_TARGET &&
                          (c->config.spiram_fetch_instructions || c->config.spiram_rodata);
    const uint32_t target = in_psram ? CHIPDEF_TARGET_PSRAM : CHIPDEF_TARGET_FLASH;
    const chipdef_region_t *ir = find_region(c, target, CHIPDEF_CAP_EXEC, 0);
    const chipdef_region_t *dr = find_region(c, target, CHIPDEF_CAP_READ, CHIPDEF_CAP_EXEC);
    if (!dr)
        dr = ir;
    uint32_t dstart = dr ? (dr == ir ? ir->start + irom : dr->start) : 0;
    const uint32_t at = c->config.app_offset;
    if ((irom && (!ir || irom > ir->end - ir->start)) || (drom && (!dr || drom > dr->end - dstart)) ||
        at + (uint64_t)irom + drom > c->flash.size) {
        snprintf(err, errlen,
                 "%s: the app (app_irom_size 0x%x, app_drom_size 0x%x at app_offset 0x%x) does not fit its regions or "
                 "the flash",
                 c->name, c->config.app_irom_size, c->config.app_drom_size, at);
        return -1;
    }
    const mmu_target_t window = in_psram ? MMU_TARGET_PSRAM0 : MMU_TARGET_FLASH0;
    m->image_flash[0] = at;        /* rodata */
    m->image_flash[1] = at + drom; /* text */
    if (ir) {
        uint32_t v = mmu_ll_laddr_to_vaddr(ir->start, MMU_VADDR_INSTRUCTION, window);
        m->image_irom[0] = v;
        m->image_irom[1] = v + irom;
        if (irom && !in_psram)
            map_flash(m, v, at + drom, irom);
    }
    if (dr) {
        uint32_t v = mmu_ll_laddr_to_vaddr(dstart, MMU_VADDR_DATA, window);
        m->image_drom[0] = v;
        m->image_drom[1] = v + drom;
        if (drom && !in_psram)
            map_flash(m, v, at, drom);
    }
    return 0;
}

/* A user's app (boot.h): the bootloader's lines, the segments as it loads them, its
 * mapping (core/bootloader_app.c), and where esp_mmu_map_init will find the spans. */
static int load_user_app(machine_t *m, const boot_app_t *app, char *err, size_t errlen)
{
    const char *p = app->choice_log ? app->choice_log : "";
    while (*p) {
        const char *nl = strchr(p, '\n');
        int n = nl ? (int)(nl - p) : (int)strlen(p);
        if (n)
            ESP_LOGI("boot", "%.*s", n, p);
        p += n + (nl ? 1 : 0);
    }
    bootloader_app_log_segments(&app->image);
    bootloader_app_spans_t spans;
    if (bootloader_app_map(&app->image, &spans) != ESP_OK || m->hazards.total) {
        snprintf(err, errlen, "%s: the bootloader could not map the app at 0x%x (page 0x%x)", m->chip.name,
                 app->image.image_offset, app->image.mmu_page_size);
        return -1;
    }
    ESP_LOGI("boot", "Loaded app from partition at offset 0x%x", app->image.image_offset);
    m->image_irom[0] = spans.irom_start;
    m->image_irom[1] = spans.irom_end;
    m->image_drom[0] = spans.drom_start;
    m->image_drom[1] = spans.drom_end;
    m->image_boot_page = spans.boot_page_vaddr;
    /* image_process's reading of the header: the first mapped segment is the rodata. */
    m->image_flash[0] = app->image.drom_index >= 0 ? app->image.segments[app->image.drom_index].data_addr : 0;
    m->image_flash[1] = app->image.irom_index >= 0 ? app->image.segments[app->image.irom_index].data_addr : 0;
    return 0;
}

void boot_drivers_switch(const boot_drivers_t *d)
{
    esp_mmu_map_ctx_switch(d ? d->map : NULL);
    esp_himem_ctx_switch(d ? d->himem : NULL);
    heap_caps_ctx_switch(d ? d->heap : NULL);
    spi_flash_mmap_ctx_switch(d ? d->flash_mmap : NULL);
    esp_partition_ctx_switch(d ? d->part : NULL);
}

int boot_drivers_check(char *why, size_t len)
{
    if (esp_mmu_map_check_invariants(why, len) != ESP_OK || esp_himem_check_invariants(why, len) != ESP_OK ||
        heap_caps_check_invariants(why, len) != ESP_OK)
        return -1;
    return 0;
}

void boot_drivers_free(boot_drivers_t *d)
{
    driver_idf_unload(d->idf);
    esp_mmu_map_ctx_free(d->map);
    esp_himem_ctx_free(d->himem);
    heap_caps_ctx_free(d->heap);
    spi_flash_mmap_ctx_free(d->flash_mmap);
    esp_partition_ctx_free(d->part);
    free(d->log);
    *d = (boot_drivers_t){0};
}

/* ESP-IDF's start-up, with its driver: loading the library runs its constructors
 * (ESP32's esp_himem_init, which on the chip runs after PSRAM start-up, reading only
 * the PSRAM size), then esp_mmu_map_init and the PSRAM heap mapping, the latter being
 * our glue compiled into the library against upstream's map driver.  The heap's state
 * is libmmsim's, as with ours. */
static bool start_idf_drivers(machine_t *m, boot_drivers_t *d, char *err, size_t errlen)
{
    if (driver_idf_load(&m->chip, &d->idf, err, errlen))
        return false;
    d->ops = &d->idf->ops;
    d->idf->mmu_map_init();
    if (d->image_process && bootloader_app_image_process(&d->app_offset) == ESP_OK)
        m->image_boot_page = 0; /* the app's image_process, after the map init */
    esp_err_t flash = d->idf->spi_flash_init ? d->idf->spi_flash_init() : ESP_OK;
    if (flash != ESP_OK) {
        snprintf(err, errlen, "%s: start-up failed: the spi_flash mmap lock returned %s", m->chip.name,
                 esp_err_to_name(flash));
        return false;
    }
    heap_caps_init();
    esp_err_t heap = d->idf->psram_heap_map();
    d->heap = heap_caps_ctx_current();
    if (heap != ESP_OK) {
        snprintf(err, errlen, "%s: start-up failed: the PSRAM heap mapping returned %s", m->chip.name,
                 esp_err_to_name(heap));
        return false;
    }
    return true;
}

/* machine.h's reader of our himem's bookkeeping (esp_mm_inspect.h): the current
 * context is the current machine's. */
static bool ours_himem_page_released(uint32_t vaddr)
{
    esp_himem_info_t info;
    esp_himem_page_info_t page;
    if (esp_himem_info(&info) != ESP_OK || !info.available || vaddr < info.window_vaddr)
        return false;
    return esp_himem_page_info((int)((vaddr - info.window_vaddr) / info.page_size), &page) == ESP_OK &&
           page.released;
}

/* The start-up code after the bootloader: each driver creates its state as current. */
static bool start_drivers(machine_t *m, boot_drivers_t *d, char *err, size_t errlen)
{
    d->ops = &driver_ours;
    esp_mmu_map_init();
    d->map = esp_mmu_map_ctx_current();
    if (d->image_process && bootloader_app_image_process(&d->app_offset) == ESP_OK)
        m->image_boot_page = 0; /* the app's image_process, after the map init */
    heap_caps_init();
    esp_err_t heap = d->map ? esp_psram_heap_map() : ESP_ERR_NO_MEM;
    d->heap = heap_caps_ctx_current();
    if (heap != ESP_OK) {
        if (d->map) /* the PSRAM start-up itself: XIP copies that do not fit, no heap room */
            snprintf(err, errlen, "%s: start-up failed: the PSRAM start-up (XIP copies, heap mapping) returned %s",
                     m->chip.name, esp_err_to_name(heap));
        return false;
    }
    esp_himem_init();
    d->himem = esp_himem_ctx_current();
    spi_flash_mmap_init();
    d->flash_mmap = spi_flash_mmap_ctx_current();
    if (!d->flash_mmap)
        return false;
    /* The partition table is read on first use (esp_partition.c). */
    d->part = esp_partition_ctx_new();
    if (!d->part)
        return false;
    m->himem_page_released = ours_himem_page_released;
    return true;
}

int boot_machine(machine_t *m, boot_drivers_t *d, int driver, const boot_app_t *app, const uint8_t *ptable,
                 size_t ptable_len, char *err, size_t errlen)
{
    /* What the flasher wrote at the table's offset: the table, then 0xFF to the end of
     * its sector (where a signature would go).  The chip loader checked the sector fits. */
    if (ptable) {
        uint32_t at = m->chip.config.partition_table_offset;
        uint8_t sector[0x1000];
        memset(sector, 0xFF, sizeof sector);
        memcpy(sector, ptable, ptable_len < sizeof sector ? ptable_len : sizeof sector);
        if (store_write(m->flash, at, sector, sizeof sector)) {
            snprintf(err, errlen, "%s: cannot write the partition table at 0x%x: out of memory", m->chip.name, at);
            return -1;
        }
    }
    hal_bind(m);
    boot_drivers_switch(NULL); /* nothing of the chip that was current before */
    /* The bootloader reads the table before anything else (boot_ptable.h). */
    m->boot_ptable_read =
        store_read(m->flash, m->chip.config.partition_table_offset, m->boot_ptable, sizeof m->boot_ptable) == 0;
    /* The boot log is kept for mmsim_boot_log, not printed: it would repeat on every
     * open.  A capture the caller runs gets the lines too. */
    bool own_capture = !esp_log_capture_active();
    size_t from = own_capture ? 0 : strlen(esp_log_capture_text());
    if (own_capture) {
        esp_log_capture_begin();
        esp_log_capture_quiet(true);
    }
    err[0] = '\0';
    d->user_app = app != NULL;
    d->image_process = app && app->image_process;
    m->image_boot_page = 0;
    m->image_xip[0] = m->image_xip[1] = false; /* a reset boots without the last boot's copies */
    m->image_flash[0] = m->image_flash[1] = 0;
    bool started = !(app ? load_user_app(m, app, err, errlen) : load_app(m, err, errlen));
    /* The bootloader's HAL asserts abort() (silently, at its assertion level) and the
     * chip resets before the app runs: S31's 128/256 KB flash pages in
     * mmu_hal_pages_to_bytes.  No driver starts then, ours or ESP-IDF's. */
    if (started && m->hazards.total) {
        char line[400];
        snprintf(err, errlen, "%s: the bootloader aborts mapping the app (%zu HAL contract(s) broken, first: %s)",
                 m->chip.name, m->hazards.total,
                 m->hazards.kept ? mmsim_hazard_format(&m->hazards.recs[0], line, sizeof line) : "?");
        started = false;
    }
    if (started)
        started = driver == MMSIM_DRIVER_IDF ? start_idf_drivers(m, d, err, errlen) : start_drivers(m, d, err, errlen);
    d->log = strdup(esp_log_capture_text() + from);
    if (own_capture)
        esp_log_capture_end();
    if (!started || !d->log) {
        if (!err[0])
            snprintf(err, errlen, "%s: start-up failed (out of memory or no room for the PSRAM heap)", m->chip.name);
        return -1;
    }
    /* A boot that broke a HAL contract is a bug here, not the user's: say so. */
    if (m->hazards.total) {
        char line[400];
        snprintf(err, errlen, "%s: boot raised %zu hazard(s), first: %s", m->chip.name, m->hazards.total,
                 m->hazards.kept ? mmsim_hazard_format(&m->hazards.recs[0], line, sizeof line) : "?");
        return -1;
    }
    /* The app starts with clean counters: what the boot cost is not the user's. */
    for (uint32_t k = 0; k < CHIPDEF_MAX_CORES; k++) {
        m->cycles[k] = m->bus_free[k] = m->bus_wb_from[k] = 0;
        memset(m->spent[k], 0, sizeof m->spent[k]);
    }
    for (uint32_t i = 0; i < m->chip.cache_count; i++)
        for (uint32_t k = 0; k < m->chip.cores; k++)
            cache_reset_stats(m->caches[i][k]);
    return 0;
}
