/* esp_mmu_map.c - the external-memory map driver: regions of linear address space,
 * blocks mapped in them, and the MMU programming behind esp_mmu_map & co.
 *
 * Written from esp-idf-behaviour.md §1 (ESP-IDF master semantics, older releases by
 * MMSIM_IDF_VERSION where §1.16 lists a difference).  Bookkeeping is in linear
 * addresses (vaddr & SOC_MMU_LINEAR_ADDR_MASK); a region's blocks form a list sorted
 * by address between two zero-size dummy blocks (head at free_head, tail at end),
 * created the first time the region gets a mapping.  The gap between neighbours is a
 * slot; max_slot_size is kept exact.
 *
 * Chip facts (SOC_*, CONFIG_*) are run-time expressions on the simulator: they are
 * tested with `if`.  There is no lock: a simulated chip is driven from one thread.
 * The bookkeeping's types are in esp_mmu_map_state.h; the host port's invariant check
 * and listings, which only read it, in esp_mmu_map_host.c.  What is left (start-up,
 * map, unmap, queries, dumps) is one thing: every call works on the same region and
 * block list through the helpers at the top, in the order of ESP-IDF's own file. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esp_check.h"
#include "esp_log.h"
#include "esp_mmu_map.h"
#include "esp_private/cache_utils.h"
#include "esp_private/esp_cache_esp32_private.h"
#include "esp_private/esp_cache_private.h"
#include "esp_private/esp_mmu_map_private.h"
#include "esp_private/image_layout.h"
#include "ext_mem_layout.h"
#include "hal/cache_hal.h"
#include "hal/cache_ll.h"
#include "hal/mmu_hal.h"
#include "hal/mmu_ll.h"
#include "soc/ext_mem_defs.h"
#include "sdkconfig.h"
#include "soc/soc_caps.h"

#include "esp_mmu_map_state.h"

static const char *TAG = "mmap";

/* Per thread, as the HAL binds one machine per thread. */
static _Thread_local esp_mmu_map_ctx_t *s_ctx;

/* ---- helpers ---------------------------------------------------------------------- */

static bool ver_in(uint32_t lo, uint32_t hi) { return MMSIM_IDF_VERSION >= lo && MMSIM_IDF_VERSION <= hi; }

static esp_err_t s_mem_caps_check(mmu_mem_caps_t caps)
{
    if ((caps & MMU_MEM_CAP_EXEC) && (caps & (MMU_MEM_CAP_WRITE | MMU_MEM_CAP_8BIT)))
        return ESP_ERR_INVALID_ARG;
    return ESP_OK;
}

static bool s_region_fits(const mem_region_t *r, mmu_mem_caps_t caps, mmu_target_t target, size_t size)
{
    return ((mmu_mem_caps_t)r->caps & caps) == caps && (r->targets & target) == target && r->max_slot_size >= size;
}

mmu_vaddr_t esp_mmu_map_vaddr_type(mmu_mem_caps_t caps)
{
    return (caps & MMU_MEM_CAP_EXEC) ? MMU_VADDR_INSTRUCTION : MMU_VADDR_DATA;
}

static size_t s_round_up(size_t size, size_t page) { return (size + page - 1) / page * page; }

static void s_insert_after(mem_region_t *r, mem_block_t *at, mem_block_t *b)
{
    b->prev = at;
    b->next = at ? at->next : r->first;
    if (b->next)
        b->next->prev = b;
    else
        r->last = b;
    if (at)
        at->next = b;
    else
        r->first = b;
}

static void s_unlink(mem_region_t *r, mem_block_t *b)
{
    if (b->prev)
        b->prev->next = b->next;
    else
        r->first = b->next;
    if (b->next)
        b->next->prev = b->prev;
    else
        r->last = b->prev;
    b->prev = b->next = NULL;
}

static mem_block_t *s_new_dummy(uint32_t laddr, int caps)
{
    mem_block_t *d = calloc(1, sizeof *d);
    if (d) {
        d->laddr_start = d->laddr_end = laddr;
        d->caps = caps;
        d->dummy = true;
    }
    return d;
}

/* Which MMU ids a mapping of `target` at `vaddr` is written to. */
uint32_t esp_mmu_map_mmu_id_for(mmu_target_t target) { return SOC_MMU_PER_EXT_MEM_TARGET ? mmu_hal_get_id_from_target(target) : 0; }

/* ---- cache and MMU programming (§1.6) ------------------------------------------ */

static void s_stop_cache(void)
{
    if (SOC_CACHE_FREEZE_SUPPORTED && !CONFIG_IDF_TARGET_ESP32P4)
        esp_cache_freeze_caches_disable_interrupts();
    else
        spi_flash_disable_interrupts_caches_and_other_cpu();
}

static void s_start_cache(void)
{
    if (SOC_CACHE_FREEZE_SUPPORTED && !CONFIG_IDF_TARGET_ESP32P4)
        esp_cache_unfreeze_caches_enable_interrupts();
    else
        spi_flash_enable_interrupts_caches_and_other_cpu();
}

static void s_do_mapping(mmu_target_t target, uint32_t vaddr, esp_paddr_t paddr, size_t size)
{
    uint32_t out_len = 0;
    s_stop_cache();
    if (CONFIG_IDF_TARGET_ESP32) {
        mmu_hal_map_region(MMU_TABLE_CORE0, target, vaddr, paddr, (uint32_t)size, &out_len);
        if (!CONFIG_ESP_SYSTEM_SINGLE_CORE_MODE)
            mmu_hal_map_region(MMU_TABLE_CORE1, target, vaddr, paddr, (uint32_t)size, &out_len);
    } else {
        mmu_hal_map_region(esp_mmu_map_mmu_id_for(target), target, vaddr, paddr, (uint32_t)size, &out_len);
    }
    cache_bus_mask_t bus = cache_ll_l1_get_bus(0, vaddr, (uint32_t)size);
    cache_ll_l1_enable_bus(0, bus);
    if (!CONFIG_ESP_SYSTEM_SINGLE_CORE_MODE) {
        bus = cache_ll_l1_get_bus(1, vaddr, (uint32_t)size);
        cache_ll_l1_enable_bus(1, bus);
    }
    if (CONFIG_IDF_TARGET_ESP32) {
        cache_sync(); /* ESP32 has no per-address cache operation */
    } else {
        esp_cache_sync_ops_enter_critical_section();
        cache_hal_invalidate_addr(vaddr, (uint32_t)size);
        esp_cache_sync_ops_exit_critical_section();
    }
    s_start_cache();
}

static void s_do_unmapping(uint32_t vaddr, size_t size)
{
    s_stop_cache();
    if (CONFIG_IDF_TARGET_ESP32) {
        mmu_hal_unmap_region(MMU_TABLE_CORE0, vaddr, (uint32_t)size);
        if (!CONFIG_ESP_SYSTEM_SINGLE_CORE_MODE)
            mmu_hal_unmap_region(MMU_TABLE_CORE1, vaddr, (uint32_t)size);
    } else {
        uint32_t id = SOC_MMU_PER_EXT_MEM_TARGET ? mmu_hal_get_id_from_vaddr(vaddr) : 0;
        mmu_hal_unmap_region(id, vaddr, (uint32_t)size);
    }
    s_start_cache();
}

/* ---- start-up (§1.3, §1.12) --------------------------------------------------- */

/* Before v5.2.7 / v5.5.5 / v6.0.2 the boot reservation took any region sharing a bus
 * bit with the app's range; since then the region's buses must include them all. */
static bool s_bus_matches(cache_bus_mask_t region_bus, cache_bus_mask_t range_bus)
{
    bool superset = MMSIM_IDF_VERSION >= MMSIM_IDF_VER(6, 1, 0) || ver_in(MMSIM_IDF_VER(6, 0, 2), MMSIM_IDF_VER(6, 0, 99)) ||
                    ver_in(MMSIM_IDF_VER(5, 5, 5), MMSIM_IDF_VER(5, 5, 99)) ||
                    ver_in(MMSIM_IDF_VER(5, 2, 7), MMSIM_IDF_VER(5, 2, 99));
    return superset ? (region_bus & range_bus) == range_bus : (region_bus & range_bus) != 0;
}

/* Reserve the linear space the bootloader gave the app's code or rodata.  Reproduces
 * two upstream quirks on purpose (§1.3): after a partial reservation the length is
 * not cleared and the loop goes on; "whole region" compares with the full size. */
static void s_reserve_app_range(mem_region_t *regions, int n, uint32_t vstart, uint32_t vend)
{
    size_t page = CONFIG_MMU_PAGE_SIZE;
    size_t len = s_round_up((size_t)(vend - vstart) + vstart % page, page);
    cache_bus_mask_t bus = CACHE_LL_EXT_MEM_VIA_L2CACHE ? cache_ll_l2_get_bus(0, vstart, (uint32_t)len)
                                                        : cache_ll_l1_get_bus(0, vstart, (uint32_t)len);
    for (int i = 0; i < n; i++) {
        if (!s_bus_matches(regions[i].bus_id, bus))
            continue;
        if (len >= regions[i].region_size) {
            regions[i].free_head = regions[i].end;
            regions[i].max_slot_size = 0;
            len -= regions[i].region_size;
        } else {
            regions[i].free_head += (uint32_t)len;
            regions[i].max_slot_size -= len;
        }
    }
}

void esp_mmu_map_init(void)
{
    esp_mmu_map_ctx_t *ctx = calloc(1, sizeof *ctx);
    s_ctx = ctx;
    if (!ctx)
        return;
    mem_region_t scratch[SOC_MMU_LINEAR_ADDRESS_REGION_NUM_MAX];
    int n = (int)SOC_MMU_LINEAR_ADDRESS_REGION_NUM;
    const mmu_mem_region_t *table = g_mmu_mem_regions;
    memset(scratch, 0, sizeof scratch);
    for (int i = 0; i < n; i++) {
        /* Upstream asserts page-multiple sizes (and one bus bit on ESP32/S2); the chip
         * definition loader already guarantees both. */
        scratch[i].bus_id = table[i].bus_id;
        scratch[i].start = table[i].start;
        scratch[i].end = table[i].end;
        scratch[i].region_size = table[i].size;
        scratch[i].free_head = table[i].start;
        scratch[i].max_slot_size = table[i].size;
        scratch[i].caps = (int)table[i].caps;
        scratch[i].targets = table[i].targets;
    }
    if (CONFIG_APP_BUILD_USE_FLASH_SECTIONS) {
        s_reserve_app_range(scratch, n, image_layout_irom_start(), image_layout_irom_end());
        s_reserve_app_range(scratch, n, image_layout_drom_start(), image_layout_drom_end());
    }
    bool dead[SOC_MMU_LINEAR_ADDRESS_REGION_NUM_MAX] = {false};
    for (int i = 1; i < n; i++) {
        mem_region_t *a = &scratch[i - 1], *b = &scratch[i];
        if (b->free_head == a->end && b->caps == a->caps && b->targets == a->targets) {
            b->start = a->start;
            b->bus_id |= a->bus_id;
            b->region_size += a->region_size;
            b->free_head = a->free_head;
            b->max_slot_size += a->max_slot_size;
            dead[i - 1] = true;
        }
    }
    for (int i = 0; i < n; i++)
        if (!dead[i])
            ctx->regions[ctx->num_regions++] = scratch[i];
}

esp_err_t esp_mmu_map_reserve_block_with_caps(size_t size, mmu_mem_caps_t caps, mmu_target_t target,
                                              const void **out_ptr)
{
    ESP_RETURN_ON_FALSE(out_ptr, ESP_ERR_INVALID_ARG, TAG, "null pointer");
    ESP_RETURN_ON_ERROR(s_mem_caps_check(caps), TAG, "invalid caps");
    if (!s_ctx)
        return ESP_ERR_INVALID_STATE;
    size_t aligned = s_round_up(size, CONFIG_MMU_PAGE_SIZE);
    mem_region_t *r = NULL;
    for (int i = 0; i < s_ctx->num_regions && !r; i++)
        if (s_region_fits(&s_ctx->regions[i], caps, target, aligned))
            r = &s_ctx->regions[i];
    if (!r) {
        ESP_LOGE(TAG, "no such vaddr range");
        return ESP_ERR_NOT_FOUND;
    }
    *out_ptr = (const void *)(uintptr_t)mmu_ll_laddr_to_vaddr(r->free_head, esp_mmu_map_vaddr_type(caps), target);
    r->free_head += (uint32_t)aligned;
    r->max_slot_size -= aligned;
    return ESP_OK;
}

/* ---- map (§1.4, §1.5, §1.7) ------------------------------------------------------ */

/* esp_mmu_map_virt is new in v6.1-beta1 (§1.1, §1.16): before, these checks were the
 * body of esp_mmu_map itself, so their ERROR lines ("<function>(<line>): ...", §1.7)
 * name esp_mmu_map.  The ESP_*_ON_* macros of esp_check.h, with that function name. */
static const char *s_map_func(void)
{
    return MMSIM_IDF_VERSION >= MMSIM_IDF_VER(6, 1, 0) ? "esp_mmu_map_virt" : "esp_mmu_map";
}

#define MAP_RETURN_ON_FALSE(cond, err_code, format)                                     \
    do {                                                                                \
        if (!(cond)) {                                                                  \
            ESP_LOGE(TAG, "%s(%d): " format, s_map_func(), __LINE__);                   \
            return err_code;                                                            \
        }                                                                               \
    } while (0)

#define MAP_GOTO_ON_FALSE(cond, err_code, format)                                       \
    do {                                                                                \
        if (!(cond)) {                                                                  \
            ESP_LOGE(TAG, "%s(%d): " format, s_map_func(), __LINE__);                   \
            ret = err_code;                                                             \
            goto err;                                                                   \
        }                                                                               \
    } while (0)

static bool s_overlaps_real_block(const mem_region_t *r, uint32_t lstart, uint32_t lend)
{
    for (const mem_block_t *b = r->first; b; b = b->next)
        if (!b->dummy && lstart < b->laddr_end && b->laddr_start < lend)
            return true;
    return false;
}

esp_err_t esp_mmu_map_virt(esp_vaddr_t vaddr_start, esp_paddr_t paddr_start, size_t size, mmu_target_t target,
                           mmu_mem_caps_t caps, int flags, void **out_ptr)
{
    esp_err_t ret = ESP_FAIL;
    MAP_RETURN_ON_FALSE(!(target & MMU_TARGET_PSRAM0) || (SOC_SPIRAM_SUPPORTED && !CONFIG_IDF_TARGET_ESP32),
                        ESP_ERR_NOT_SUPPORTED, "PSRAM is not supported");
    MAP_RETURN_ON_FALSE((paddr_start % CONFIG_MMU_PAGE_SIZE == 0), ESP_ERR_INVALID_ARG,
                        "paddr must be rounded up to the nearest multiple of CONFIG_MMU_PAGE_SIZE");
    MAP_RETURN_ON_FALSE((vaddr_start % CONFIG_MMU_PAGE_SIZE == 0), ESP_ERR_INVALID_ARG,
                        "vaddr must be rounded up to the nearest multiple of CONFIG_MMU_PAGE_SIZE");
    MAP_RETURN_ON_FALSE(s_mem_caps_check(caps) == ESP_OK, ESP_ERR_INVALID_ARG, "invalid caps");
    if (!s_ctx)
        return ESP_ERR_INVALID_STATE;

    size_t aligned = s_round_up(size, CONFIG_MMU_PAGE_SIZE);
    uint32_t req_lstart = vaddr_start & SOC_MMU_LINEAR_ADDR_MASK;
    uint32_t req_lend = req_lstart + (uint32_t)aligned;
    mem_region_t *region = NULL;
    for (int i = 0; i < s_ctx->num_regions && !region; i++) {
        mem_region_t *r = &s_ctx->regions[i];
        if (!s_region_fits(r, caps, target, aligned))
            continue;
        if (!vaddr_start) {
            region = r;
        } else if (req_lstart >= r->start && req_lend <= r->end) {
            /* The first compatible region containing the range decides (§1.4). */
            if (s_overlaps_real_block(r, req_lstart, req_lend))
                break;
            region = r;
        }
    }
    mem_block_t *dummy_head = NULL, *dummy_tail = NULL, *new_block = NULL;
    MAP_GOTO_ON_FALSE(region, ESP_ERR_NOT_FOUND, "no such vaddr range");

    if (!region->first) {
        dummy_head = s_new_dummy(region->free_head, caps);
        MAP_GOTO_ON_FALSE(dummy_head, ESP_ERR_NO_MEM, "no mem");
        s_insert_after(region, NULL, dummy_head);
        dummy_tail = s_new_dummy(region->end, caps);
        MAP_GOTO_ON_FALSE(dummy_tail, ESP_ERR_NO_MEM, "no mem");
        s_insert_after(region, dummy_head, dummy_tail);
    }

    /* The physical range against the real blocks of this region and target (§1.5). */
    uint32_t pend = paddr_start + (uint32_t)aligned;
    for (mem_block_t *b = region->first; b; b = b->next) {
        if (b->dummy || b->target != target)
            continue;
        if (paddr_start >= b->paddr_start && pend <= b->paddr_end) {
            /* Releases before v5.1.5 / v5.2.3 / v5.3.1 returned the block start. */
            bool offset = !(ver_in(MMSIM_IDF_VER(5, 1, 0), MMSIM_IDF_VER(5, 1, 4)) ||
                            ver_in(MMSIM_IDF_VER(5, 2, 0), MMSIM_IDF_VER(5, 2, 2)) ||
                            ver_in(MMSIM_IDF_VER(5, 3, 0), MMSIM_IDF_VER(5, 3, 0)));
            if (out_ptr)
                *out_ptr = (void *)(uintptr_t)(b->vaddr_start + (offset ? paddr_start - b->paddr_start : 0));
            if (ver_in(MMSIM_IDF_VER(5, 1, 0), MMSIM_IDF_VER(5, 1, 6)) || ver_in(MMSIM_IDF_VER(5, 2, 0), MMSIM_IDF_VER(5, 2, 5)) ||
                ver_in(MMSIM_IDF_VER(5, 3, 0), MMSIM_IDF_VER(5, 3, 3)) || ver_in(MMSIM_IDF_VER(5, 4, 0), MMSIM_IDF_VER(5, 4, 1)))
                ESP_LOGW(TAG, "paddr block is mapped already, vaddr_start: %p, size: 0x%x",
                         (void *)(uintptr_t)b->vaddr_start, (unsigned)b->size);
            else if (MMSIM_IDF_VERSION == MMSIM_IDF_VER(5, 1, 7) || MMSIM_IDF_VERSION == MMSIM_IDF_VER(5, 4, 2) ||
                     MMSIM_IDF_VERSION == MMSIM_IDF_VER(5, 5, 0))
                ESP_LOGE(TAG, "paddr block is mapped already, vaddr_start: %p, size: 0x%x",
                         (void *)(uintptr_t)b->vaddr_start, (unsigned)b->size);
            else
                ESP_LOGD(TAG, "paddr block is mapped already, vaddr_start: %p, size: 0x%x",
                         (void *)(uintptr_t)b->vaddr_start, (unsigned)b->size);
            ret = ESP_ERR_INVALID_STATE;
            goto err;
        }
        bool overlap = (paddr_start < b->paddr_start && pend > b->paddr_start) ||
                       (paddr_start < b->paddr_end && pend > b->paddr_end);
        if (overlap) {
            if (flags & ESP_MMU_MMAP_FLAG_PADDR_SHARED)
                break;
            MAP_GOTO_ON_FALSE(false, ESP_ERR_INVALID_ARG,
                              "paddr block is overlapped with an already mapped paddr block");
        }
    }

    new_block = calloc(1, sizeof *new_block);
    MAP_GOTO_ON_FALSE(new_block, ESP_ERR_NO_MEM, "no mem");

    mem_block_t *before = NULL; /* the block the new one goes after */
    size_t max_slot = 0;
    uint32_t laddr = 0;
    if (vaddr_start) {
        uint32_t vaddr_check = mmu_ll_laddr_to_vaddr(req_lstart, esp_mmu_map_vaddr_type(caps), target);
        MAP_GOTO_ON_FALSE(vaddr_check == vaddr_start, ESP_ERR_INVALID_ARG,
                          "invalid virtual address for target and caps");
        MAP_GOTO_ON_FALSE(req_lstart >= region->start && req_lend <= region->end, ESP_ERR_INVALID_ARG,
                          "virtual address range is outside the region");
        MAP_GOTO_ON_FALSE(req_lstart >= region->free_head, ESP_ERR_INVALID_ARG,
                          "virtual address range is referencing reserved memory");
        for (mem_block_t *b = region->first; b->next; b = b->next) {
            size_t slot = b->next->laddr_start - b->laddr_end;
            if (!before && b->laddr_end <= req_lstart && req_lend <= b->next->laddr_start) {
                before = b;
                size_t lo = req_lstart - b->laddr_end, hi = b->next->laddr_start - req_lend;
                slot = lo > hi ? lo : hi;
            }
            if (slot > max_slot)
                max_slot = slot;
        }
        MAP_GOTO_ON_FALSE(before, ESP_ERR_INVALID_ARG,
                          "cannot map virtual address, range overlaps with existing mapping");
        laddr = req_lstart;
    } else {
        for (mem_block_t *b = region->first; b->next; b = b->next) {
            size_t slot = b->next->laddr_start - b->laddr_end;
            if (!before && slot >= aligned && slot > 0) {
                before = b;
                laddr = b->laddr_end;
                slot -= aligned;
            }
            if (slot > max_slot)
                max_slot = slot;
        }
        /* The region search guaranteed a slot of this size. */
    }

    new_block->laddr_start = laddr;
    new_block->laddr_end = laddr + (uint32_t)aligned;
    new_block->vaddr_start = mmu_ll_laddr_to_vaddr(laddr, esp_mmu_map_vaddr_type(caps), target);
    new_block->vaddr_end = new_block->vaddr_start + (uint32_t)aligned;
    new_block->size = aligned;
    new_block->caps = caps;
    new_block->paddr_start = paddr_start;
    new_block->paddr_end = pend;
    new_block->target = target;
    s_insert_after(region, before, new_block);
    region->max_slot_size = max_slot;

    s_do_mapping(target, new_block->vaddr_start, paddr_start, aligned);
    if (out_ptr)
        *out_ptr = (void *)(uintptr_t)new_block->vaddr_start;
    return ESP_OK;

err:
    free(new_block);
    if (dummy_tail) {
        s_unlink(region, dummy_tail);
        free(dummy_tail);
    }
    if (dummy_head) {
        s_unlink(region, dummy_head);
        free(dummy_head);
    }
    return ret;
}

esp_err_t esp_mmu_map(esp_paddr_t paddr_start, size_t size, mmu_target_t target, mmu_mem_caps_t caps, int flags,
                      void **out_ptr)
{
    ESP_RETURN_ON_FALSE(out_ptr, ESP_ERR_INVALID_ARG, TAG, "null pointer");
    return esp_mmu_map_virt(0, paddr_start, size, target, caps, flags, out_ptr);
}

/* ---- unmap (§1.8) ------------------------------------------------------------------ */

esp_err_t esp_mmu_unmap(void *ptr)
{
    esp_err_t ret = ESP_FAIL;
    ESP_RETURN_ON_FALSE(ptr, ESP_ERR_INVALID_ARG, TAG, "null pointer");
    uint32_t laddr = (uint32_t)(uintptr_t)ptr & SOC_MMU_LINEAR_ADDR_MASK;
    mem_region_t *region = NULL;
    for (int i = 0; s_ctx && i < s_ctx->num_regions; i++)
        if (laddr >= s_ctx->regions[i].free_head && laddr < s_ctx->regions[i].end)
            region = &s_ctx->regions[i]; /* the last match wins, as upstream */
    ESP_GOTO_ON_FALSE(region, ESP_ERR_NOT_FOUND, err, TAG, "munmap target pointer is outside external memory regions");
    mem_block_t *found = NULL;
    for (mem_block_t *b = region->first; b && !found; b = b->next)
        if (!b->dummy && b->laddr_start == laddr)
            found = b;
    ESP_GOTO_ON_FALSE(found, ESP_ERR_NOT_FOUND, err, TAG, "munmap target pointer isn't mapped yet");
    size_t slot = found->next->laddr_start - found->prev->laddr_end;
    if (slot > region->max_slot_size)
        region->max_slot_size = slot;
    s_unlink(region, found);
    s_do_unmapping(found->vaddr_start, found->size);
    free(found);
    return ESP_OK;
err:
    return ret;
}

/* ---- queries (§1.9 - §1.11) ------------------------------------------------------- */

esp_err_t esp_mmu_map_get_max_consecutive_free_block_size(mmu_mem_caps_t caps, mmu_target_t target, size_t *out_len)
{
    ESP_RETURN_ON_FALSE(out_len, ESP_ERR_INVALID_ARG, TAG, "null pointer");
    ESP_RETURN_ON_ERROR(s_mem_caps_check(caps), TAG, "invalid caps");
    *out_len = 0;
    for (int i = 0; s_ctx && i < s_ctx->num_regions; i++) {
        const mem_region_t *r = &s_ctx->regions[i];
        if (((mmu_mem_caps_t)r->caps & caps) == caps && (r->targets & target) == target && r->max_slot_size > *out_len)
            *out_len = r->max_slot_size;
    }
    return ESP_OK;
}

esp_err_t esp_mmu_vaddr_to_paddr(void *vaddr, esp_paddr_t *out_paddr, mmu_target_t *out_target)
{
    ESP_RETURN_ON_FALSE(vaddr && out_paddr, ESP_ERR_INVALID_ARG, TAG, "null pointer");
    uint32_t v = (uint32_t)(uintptr_t)vaddr;
    ESP_RETURN_ON_FALSE(mmu_hal_check_valid_ext_vaddr_region(0, v, 1, MMU_VADDR_DATA | MMU_VADDR_INSTRUCTION),
                        ESP_ERR_INVALID_ARG, TAG, "not a valid external virtual address");
    uint32_t id = SOC_MMU_PER_EXT_MEM_TARGET ? mmu_hal_get_id_from_vaddr(v) : 0;
    esp_paddr_t paddr = 0;
    mmu_target_t target = 0;
    bool is_mapped = mmu_hal_vaddr_to_paddr(id, v, &paddr, &target);
    ESP_RETURN_ON_FALSE(is_mapped, ESP_ERR_NOT_FOUND, TAG, "vaddr isn't mapped");
    *out_paddr = paddr;
    if (out_target) /* upstream does not check it; a NULL here would crash the chip */
        *out_target = target;
    return ESP_OK;
}

esp_err_t esp_mmu_paddr_to_vaddr(esp_paddr_t paddr, mmu_target_t target, mmu_vaddr_t type, void **out_vaddr)
{
    ESP_RETURN_ON_FALSE(out_vaddr, ESP_ERR_INVALID_ARG, TAG, "null pointer");
    uint32_t vaddr = 0;
    bool found = mmu_hal_paddr_to_vaddr(esp_mmu_map_mmu_id_for(target), paddr, target, type, &vaddr);
    ESP_RETURN_ON_FALSE(found, ESP_ERR_NOT_FOUND, TAG, "paddr isn't mapped");
    *out_vaddr = (void *)(uintptr_t)vaddr;
    return ESP_OK;
}

esp_err_t esp_mmu_paddr_find_caps(const esp_paddr_t paddr, mmu_mem_caps_t *out_caps)
{
    if (!out_caps)
        return ESP_ERR_INVALID_ARG;
    bool found = false;
    for (int i = 0; s_ctx && i < s_ctx->num_regions; i++)
        for (const mem_block_t *b = s_ctx->regions[i].first; b; b = b->next)
            if (!b->dummy && paddr >= b->paddr_start && paddr < b->paddr_end) {
                *out_caps = (mmu_mem_caps_t)b->caps; /* a later region's match overwrites */
                found = true;
                break;
            }
    return found ? ESP_OK : ESP_ERR_NOT_FOUND;
}

/* ---- dumps (§1.13) --------------------------------------------------------------- */

esp_err_t esp_mmu_map_dump_mapped_blocks(FILE *stream)
{
    char line[100];
    for (int i = 0; s_ctx && i < s_ctx->num_regions; i++) {
        const mem_region_t *r = &s_ctx->regions[i];
        fprintf(stream, "region %d:\n", i);
        fprintf(stream, "%-15s %-14s %-14s %-12s %-12s %-12s\n", "Bus ID", "Start", "Free Head", "End", "Caps",
                "Max Slot Size");
        snprintf(line, sizeof line, "0x%-13x 0x%-12x 0x%-11x  0x%-10x 0x%-10x 0x%-8x\n", (unsigned)r->bus_id,
                 (unsigned)r->start, (unsigned)r->free_head, (unsigned)r->end, (unsigned)r->caps,
                 (unsigned)r->max_slot_size);
        fputs(line, stream);
        fputs("mapped blocks:\n", stream);
        fprintf(stream, "%-4s %-13s %-12s %-12s %-6s %-13s %-11s\n", "ID", "Vaddr Start", "Vaddr End", "Block Size",
                "Caps", "Paddr Start", "Paddr End");
        int id = 0;
        for (const mem_block_t *b = r->first; b; b = b->next) {
            if (b->dummy)
                continue;
            snprintf(line, sizeof line, "%-4d 0x%-11x 0x%-10x 0x%-10x 0x%-4x 0x%-11x 0x%-8x\n", id++,
                     (unsigned)b->vaddr_start, (unsigned)b->vaddr_end, (unsigned)b->size, (unsigned)b->caps,
                     (unsigned)b->paddr_start, (unsigned)b->paddr_end);
            fputs(line, stream);
        }
        fputs("\n", stream);
    }
    return ESP_OK;
}

esp_err_t esp_mmu_map_dump_mapped_blocks_private(void)
{
    for (int i = 0; s_ctx && i < s_ctx->num_regions; i++) {
        const mem_region_t *r = &s_ctx->regions[i];
        for (const mem_block_t *b = r->first; b; b = b->next) {
            if (b->dummy)
                continue;
            ESP_LOGI(TAG, "block vaddr_start: 0x%x", (unsigned)b->vaddr_start);
            ESP_LOGI(TAG, "block vaddr_end: 0x%x", (unsigned)b->vaddr_end);
            ESP_LOGI(TAG, "block size: 0x%x", (unsigned)b->size);
            ESP_LOGI(TAG, "block caps: 0x%x", (unsigned)b->caps);
            ESP_LOGI(TAG, "block paddr_start: 0x%x", (unsigned)b->paddr_start);
            ESP_LOGI(TAG, "block paddr_end: 0x%x", (unsigned)b->paddr_end);
        }
        ESP_LOGI(TAG, "region bus_id: 0x%x", (unsigned)r->bus_id);
        ESP_LOGI(TAG, "region start: 0x%x", (unsigned)r->start);
        ESP_LOGI(TAG, "region end: 0x%x", (unsigned)r->end);
        ESP_LOGI(TAG, "region caps: 0x%x", (unsigned)r->caps);
    }
    return ESP_OK;
}

/* ---- host port: one context per simulated chip ------------------------------------ */

esp_mmu_map_ctx_t *esp_mmu_map_ctx_current(void) { return s_ctx; }

void esp_mmu_map_ctx_switch(esp_mmu_map_ctx_t *ctx) { s_ctx = ctx; }

void esp_mmu_map_ctx_free(esp_mmu_map_ctx_t *ctx)
{
    if (!ctx)
        return;
    for (int i = 0; i < ctx->num_regions; i++)
        for (mem_block_t *b = ctx->regions[i].first, *next; b; b = next) {
            next = b->next;
            free(b);
        }
    if (s_ctx == ctx)
        s_ctx = NULL;
    free(ctx);
}
