/* esp_mmu_map_host.c - the map driver's host port beyond the context switch: the
 * invariant check run after every driver call in checked builds, and the read-only
 * listings of regions and blocks for the view (esp_mm_inspect.h).  Nothing here runs
 * on a chip; it reads the bookkeeping of esp_mmu_map.c (esp_mmu_map_state.h). */
#include <inttypes.h>
#include <stdio.h>

#include "esp_err.h"
#include "esp_mmu_map_state.h"
#include "esp_private/esp_mm_inspect.h"
#include "esp_private/esp_mmu_map_private.h"
#include "esp_private/image_layout.h"
#include "esp_private/invariant.h"
#include "hal/mmu_hal.h"
#include "hal/mmu_ll.h"
#include "sdkconfig.h"
#include "soc/soc_caps.h"

static const char *s_target_name(mmu_target_t target)
{
    return target == MMU_TARGET_PSRAM0 ? "psram" : target == MMU_TARGET_FLASH0 ? "flash" : "target ?";
}

/* The MMU tables a mapping at `vaddr` of `target` lives in: [first, last]. */
static void s_tables_of(bool esp32, mmu_target_t target, uint32_t *first, uint32_t *last)
{
    *first = *last = esp_mmu_map_mmu_id_for(target);
    if (esp32)
        *last = CONFIG_ESP_SYSTEM_SINGLE_CORE_MODE ? 0 : 1;
}

/* How many blocks of any region cover `vaddr`.  Target 0 places a block in the first
 * compatible region but takes its vaddr from the target-0 bus (on P4 the PSRAM window),
 * so a block can sit on another region's pages, as upstream's driver puts it there. */
static int s_blocks_covering(const esp_mmu_map_ctx_t *ctx, uint32_t vaddr)
{
    int n = 0;
    for (int i = 0; i < ctx->num_regions; i++)
        for (const mem_block_t *b = ctx->regions[i].first; b; b = b->next)
            n += !b->dummy && vaddr - b->vaddr_start < b->vaddr_end - b->vaddr_start;
    return n;
}

/* Such a block's vaddr is not in its region's linear range: another block's unmap may
 * have invalidated its entries, and its own unmap cannot find it (NOT_FOUND). */
static bool s_block_off_its_region(const mem_region_t *r, const mem_block_t *b)
{
    uint32_t laddr = b->vaddr_start & SOC_MMU_LINEAR_ADDR_MASK;
    return laddr < r->start || laddr >= r->end;
}

/* Every page of [laddr, laddr_end) of region r: mapped to paddr.. of `target` in each of
 * its tables at the block's own vaddr (b given), or invalid everywhere (a free slot,
 * seen through the region's own bus).  A page two blocks cover holds whichever mapping
 * was written last, and a block off its region may have lost its entries: neither is
 * compared. */
static esp_err_t s_check_pages(const esp_mmu_map_ctx_t *ctx, bool esp32, const mem_region_t *r, uint32_t laddr, uint32_t laddr_end,
                               const mem_block_t *b, char *why, size_t why_len)
{
    mmu_target_t target = b ? b->target : 0;
    uint32_t paddr_start = b ? b->paddr_start : UINT32_MAX;
    /* ESP32's driver never maps PSRAM (NOT_SUPPORTED), and its HAL cannot read those
     * entries back (the LL asserts): only the flash regions are compared. */
    if (esp32 && !(r->targets & MMU_TARGET_FLASH0))
        return ESP_OK;
    const uint32_t page = CONFIG_MMU_PAGE_SIZE;
    mmu_vaddr_t type = (r->caps & MMU_MEM_CAP_EXEC) ? MMU_VADDR_INSTRUCTION : MMU_VADDR_DATA;
    mmu_target_t view = target ? target : (r->targets & MMU_TARGET_FLASH0) ? MMU_TARGET_FLASH0 : MMU_TARGET_PSRAM0;
    uint32_t first, last; /* where the driver wrote (for target 0 too), or would have */
    s_tables_of(esp32, b ? target : view, &first, &last);
    /* A page number wider than the entry's field keeps only its low bits, as on the
     * chip (P4 checks paddr against more pages than it holds). */
    uint32_t page_mask[2] = {0};
    for (uint32_t id = first; id <= last && b; id++)
        page_mask[id - first] = hal_soc_mmu_valid_val_mask(id) * page + (page - 1);
    for (uint32_t l = laddr; l < laddr_end; l += page) {
        uint32_t vaddr = b ? b->vaddr_start + (l - b->laddr_start) : mmu_ll_laddr_to_vaddr(l, type, view);
        /* A block whose vaddr lies in no window (the upstream base quirk of §1.9 on
         * ESP32/S2) was refused by the HAL at map time, with a hal_assert hazard. */
        if (b && !mmu_hal_check_valid_ext_vaddr_region(first, vaddr, 1, MMU_VADDR_DATA | MMU_VADDR_INSTRUCTION))
            continue;
        if ((b && s_block_off_its_region(r, b)) || s_blocks_covering(ctx, vaddr) > (b ? 1 : 0))
            continue;
        for (uint32_t id = first; id <= last; id++) {
            uint32_t paddr = 0;
            mmu_target_t got = 0;
            bool valid = mmu_hal_vaddr_to_paddr(id, vaddr, &paddr, &got);
            if (paddr_start == UINT32_MAX) {
                /* The bootloader's boot page is mapped in a page the driver counts free
                 * (upstream books no block for it). */
                uint32_t boot = image_layout_boot_page();
                if (boot && (vaddr & SOC_MMU_LINEAR_ADDR_MASK) == (boot & SOC_MMU_LINEAR_ADDR_MASK))
                    continue;
                INVARIANT(!valid, "free page 0x%08" PRIx32 " of region 0x%08" PRIx32 " is mapped in MMU %" PRIu32, vaddr,
                          r->start, id);
            } else {
                uint32_t want = (paddr_start + (l - laddr)) & page_mask[id - first];
                /* Target 0 (matching any region upstream) and FLASH0|PSRAM0 (passing the
                 * region test where a region holds both targets) map whatever the HAL
                 * makes of them: only a single target is compared. */
                bool single = target == MMU_TARGET_FLASH0 || target == MMU_TARGET_PSRAM0;
                if (!(valid && paddr == want && (got == target || !single))) {
                    char holds[40] = "is invalid";
                    if (valid)
                        snprintf(holds, sizeof holds, "maps %s 0x%08" PRIx32, s_target_name(got), paddr);
                    INVARIANT(false, "block page 0x%08" PRIx32 " should map %s 0x%08" PRIx32 " in MMU %" PRIu32 " but %s",
                              vaddr, s_target_name(target), want, id, holds);
                }
            }
        }
    }
    return ESP_OK;
}

esp_err_t esp_mmu_map_check_invariants(char *why, size_t why_len)
{
    const esp_mmu_map_ctx_t *s_ctx = esp_mmu_map_ctx_current();
    if (!s_ctx)
        return ESP_OK;
    const bool esp32 = CONFIG_IDF_TARGET_ESP32;
    for (int i = 0; i < s_ctx->num_regions; i++) {
        const mem_region_t *r = &s_ctx->regions[i];
        INVARIANT(r->start <= r->free_head && r->free_head <= r->end && r->region_size == r->end - r->start,
                  "region %d bounds broken", i);
        uint32_t at = r->free_head; /* end of the previous block, or the free head */
        size_t largest = 0;
        for (const mem_block_t *b = r->first; b; b = b->next) {
            INVARIANT(!b->next || b->next->prev == b, "region %d: broken block links", i);
            INVARIANT(b->laddr_start >= at && b->laddr_start <= b->laddr_end && b->laddr_end <= r->end,
                      "region %d: block 0x%08" PRIx32 "-0x%08" PRIx32 " out of order, overlapping or outside", i,
                      b->laddr_start, b->laddr_end);
            if (b->laddr_start - at > largest)
                largest = b->laddr_start - at;
            if (s_check_pages(s_ctx, esp32, r, at, b->laddr_start, NULL, why, why_len) != ESP_OK)
                return ESP_FAIL;
            if (!b->dummy && s_check_pages(s_ctx, esp32, r, b->laddr_start, b->laddr_end, b, why, why_len) != ESP_OK)
                return ESP_FAIL;
            at = b->laddr_end;
        }
        if (r->end - at > largest)
            largest = r->end - at;
        if (s_check_pages(s_ctx, esp32, r, at, r->end, NULL, why, why_len) != ESP_OK)
            return ESP_FAIL;
        INVARIANT(r->max_slot_size == largest, "region %d: max_slot_size 0x%zx, largest free slot 0x%zx", i,
                  r->max_slot_size, largest);
    }
    return ESP_OK;
}

/* ---- host port: read-only listing for the view (esp_mm_inspect.h) ------------------ */

int esp_mmu_map_region_count(void)
{
    const esp_mmu_map_ctx_t *ctx = esp_mmu_map_ctx_current();
    return ctx ? ctx->num_regions : 0;
}

esp_err_t esp_mmu_map_region_info(int region, esp_mmu_map_region_info_t *out)
{
    if (!out || region < 0 || region >= esp_mmu_map_region_count())
        return ESP_ERR_INVALID_ARG;
    const mem_region_t *r = &esp_mmu_map_ctx_current()->regions[region];
    mmu_target_t view = (r->targets & MMU_TARGET_FLASH0) ? MMU_TARGET_FLASH0 : MMU_TARGET_PSRAM0;
    int blocks = 0;
    for (const mem_block_t *b = r->first; b; b = b->next)
        blocks += !b->dummy;
    *out = (esp_mmu_map_region_info_t){.bus_id = (uint32_t)r->bus_id,
                                       .start = r->start,
                                       .end = r->end,
                                       .free_head = r->free_head,
                                       .vaddr_start = mmu_ll_laddr_to_vaddr(r->start, esp_mmu_map_vaddr_type((mmu_mem_caps_t)r->caps), view),
                                       .max_slot_size = r->max_slot_size,
                                       .caps = r->caps,
                                       .targets = (uint32_t)r->targets,
                                       .block_count = blocks};
    return ESP_OK;
}

esp_err_t esp_mmu_map_block_info(int region, int block, esp_mmu_map_block_info_t *out)
{
    if (!out || region < 0 || region >= esp_mmu_map_region_count() || block < 0)
        return ESP_ERR_INVALID_ARG;
    int i = 0;
    for (const mem_block_t *b = esp_mmu_map_ctx_current()->regions[region].first; b; b = b->next) {
        if (b->dummy || i++ != block)
            continue;
        *out = (esp_mmu_map_block_info_t){.laddr_start = b->laddr_start,
                                          .laddr_end = b->laddr_end,
                                          .vaddr_start = b->vaddr_start,
                                          .vaddr_end = b->vaddr_end,
                                          .paddr_start = b->paddr_start,
                                          .paddr_end = b->paddr_end,
                                          .caps = b->caps,
                                          .target = (uint32_t)b->target};
        return ESP_OK;
    }
    return ESP_ERR_INVALID_ARG;
}
