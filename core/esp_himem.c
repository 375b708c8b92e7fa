/* esp_himem.c - ESP32 himem: PSRAM above what the 4 MB data window maps directly,
 * reached through the last CONFIG_SPIRAM_BANKSWITCH_RESERVE window pages.  Keeps the
 * RAM-block and window-page bookkeeping, retargets window pages with
 * cache_sram_mmu_set on both CPUs and evicts the PSRAM caches on unmap
 * (esp-idf-behaviour.md §3).
 *
 * Upstream quirks kept on purpose, because user code meets them on the chip: unmap
 * checks no lower bound and not whether the pages were mapped, and clears the flag of
 * whatever RAM block a page last recorded; checks 5-7 of map run outside the lock.
 * Quirks not kept: the use-after-free left by a failed second allocation at init (the
 * state is left cleanly uninitialised instead). */
#include "esp32/himem.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "esp32/rom/cache.h"
#include "esp_check.h"
#include "esp_log.h"
#include "esp_private/esp_himem_ctx.h"
#include "esp_private/esp_mm_inspect.h"
#include "esp_private/esp_psram_extram.h"
#include "esp_private/esp_psram_impl.h"
#include "esp_private/invariant.h"
#include "esp_system.h"
#include "sdkconfig.h"
#include "soc/soc.h"

static const char *TAG = "esp_himem";

/* The PSRAM window is 4 MB of 32 KB pages; the last R of them are the bank window. */
#define WINDOW_PAGES ((SOC_EXTRAM_DATA_HIGH - SOC_EXTRAM_DATA_LOW) / ESP_HIMEM_BLKSZ)
#define RESERVE ((uint32_t)CONFIG_SPIRAM_BANKSWITCH_RESERVE)
/* First window page (and first physical page) of the bank window. */
#define BANK_PAGE_START (WINDOW_PAGES - RESERVE)
#define BANK_VADDR_START (SOC_EXTRAM_DATA_LOW + BANK_PAGE_START * ESP_HIMEM_BLKSZ)

typedef struct {
    bool is_alloced, is_mapped;
} ram_block_t;

typedef struct {
    bool is_alloced, is_mapped;
    /* esp_himem_unmap released the page and nothing mapped it since: its MMU entry
     * still points at the old bank (esp_mm_inspect.h, for the checker). */
    bool released;
    uint16_t ram_block; /* what this page maps (or mapped last) */
} range_block_t;

/* Handles are linked into the context so closing a simulated chip frees the ones the
 * program never freed. */
struct esp_himem_ramdata_t {
    int block_ct;
    uint16_t *block;
    struct esp_himem_ramdata_t *next;
};

struct esp_himem_rangedata_t {
    int block_ct;
    int block_start;
    struct esp_himem_rangedata_t *next;
};

struct esp_himem_ctx {
    ram_block_t *ram;
    range_block_t *range;
    int ramblockcnt, rangeblockcnt;
    struct esp_himem_ramdata_t *ram_handles;
    struct esp_himem_rangedata_t *range_handles;
};

static _Thread_local esp_himem_ctx_t *s_ctx;

esp_himem_ctx_t *esp_himem_ctx_current(void) { return s_ctx; }
void esp_himem_ctx_switch(esp_himem_ctx_t *ctx) { s_ctx = ctx; }

void esp_himem_ctx_free(esp_himem_ctx_t *ctx)
{
    if (!ctx)
        return;
    for (struct esp_himem_ramdata_t *h = ctx->ram_handles, *next; h; h = next) {
        next = h->next;
        free(h->block);
        free(h);
    }
    for (struct esp_himem_rangedata_t *h = ctx->range_handles, *next; h; h = next) {
        next = h->next;
        free(h);
    }
    free(ctx->ram);
    free(ctx->range);
    if (s_ctx == ctx)
        s_ctx = NULL;
    free(ctx);
}

/* Available PSRAM minus what the window maps directly, in 32-bit chip arithmetic (a
 * PSRAM smaller than that wraps around, as on the chip). */
static uint32_t phys_size(void)
{
    uint32_t psram = 0;
    esp_psram_impl_get_available_size(&psram);
    return psram - (uint32_t)(SOC_EXTRAM_DATA_HIGH - SOC_EXTRAM_DATA_LOW - RESERVE * ESP_HIMEM_BLKSZ);
}

static bool himem_available(void) { return s_ctx && s_ctx->ram && s_ctx->range; }

/* Upstream dereferences handles and out pointers unchecked: NULL faults on the chip.
 * Here that is an abort hazard and INVALID_ARG, never a host crash. */
#define FAULT_IF_NULL(p, func)                                                  \
    do {                                                                        \
        if (!(p)) {                                                             \
            esp_system_abort(func ": NULL " #p " (the chip takes a load fault)"); \
            return ESP_ERR_INVALID_ARG;                                         \
        }                                                                       \
    } while (0)

void esp_himem_init(void)
{
    /* Built only for ESP32. */
    if (!CONFIG_IDF_TARGET_ESP32)
        return;
    ESP_RETURN_ON_FALSE(!himem_available(), , TAG, "already initialized");
    ESP_RETURN_ON_FALSE(RESERVE != 0, , TAG, "No banks reserved for himem");
    uint32_t psram = 0;
    esp_psram_impl_get_available_size(&psram);
    if (!psram) /* a board without PSRAM: CONFIG_SPIRAM off, himem not built */
        return;
    if (!s_ctx && !(s_ctx = calloc(1, sizeof *s_ctx)))
        return;
    /* Signed, as upstream: a PSRAM smaller than the directly mapped part gives a
     * negative count, which (like zero) gets no memory. */
    int64_t count = ((int64_t)psram - (int64_t)(SOC_EXTRAM_DATA_HIGH - SOC_EXTRAM_DATA_LOW) +
                     (int64_t)RESERVE * ESP_HIMEM_BLKSZ) / ESP_HIMEM_BLKSZ;
    if (count > 0) {
        s_ctx->ram = calloc((size_t)count, sizeof *s_ctx->ram);
        s_ctx->range = calloc(RESERVE, sizeof *s_ctx->range);
    }
    if (!s_ctx->ram || !s_ctx->range) {
        ESP_EARLY_LOGE(TAG, "Cannot allocate memory for meta info. Not initializing!");
        free(s_ctx->ram);
        free(s_ctx->range);
        s_ctx->ram = NULL;
        s_ctx->range = NULL;
        return;
    }
    s_ctx->ramblockcnt = (int)count;
    s_ctx->rangeblockcnt = (int)RESERVE;
    ESP_EARLY_LOGI(TAG, "Initialized. Using last %d 32KB address blocks for bank switching on %d KB of physical memory.",
                   (int)RESERVE, (int)(phys_size() / 1024));
}

size_t esp_himem_get_phys_size(void)
{
    if (!CONFIG_IDF_TARGET_ESP32 || RESERVE == 0)
        return 0;
    return phys_size();
}

size_t esp_himem_get_free_size(void)
{
    size_t ret = 0;
    for (int i = 0; himem_available() && i < s_ctx->ramblockcnt; i++)
        if (!s_ctx->ram[i].is_alloced)
            ret += ESP_HIMEM_BLKSZ;
    return ret;
}

size_t esp_himem_reserved_area_size(void) { return (size_t)RESERVE * ESP_HIMEM_BLKSZ; }

/* Mark `want` RAM blocks allocated into `block`: the first free ones in index order,
 * all or nothing. */
static bool take_ram_blocks(uint16_t *block, int want)
{
    int got = 0;
    for (int i = 0; himem_available() && i < s_ctx->ramblockcnt && got < want; i++)
        if (!s_ctx->ram[i].is_alloced)
            block[got++] = (uint16_t)i;
    if (got < want)
        return false;
    for (int i = 0; i < want; i++)
        s_ctx->ram[block[i]].is_alloced = true;
    return true;
}

esp_err_t esp_himem_alloc(size_t size, esp_himem_handle_t *handle_out)
{
    if (size % ESP_HIMEM_BLKSZ != 0)
        return ESP_ERR_INVALID_SIZE;
    FAULT_IF_NULL(handle_out, "esp_himem_alloc");
    int blocks = (int)(size / ESP_HIMEM_BLKSZ);
    /* Size 0: the chip's heap returns NULL for the empty index array, so NO_MEM. */
    if (size == 0 || size / ESP_HIMEM_BLKSZ > INT32_MAX)
        return ESP_ERR_NO_MEM;
    esp_himem_handle_t h = calloc(1, sizeof *h);
    if (!h)
        return ESP_ERR_NO_MEM;
    h->block = calloc((size_t)blocks, sizeof *h->block);
    if (!h->block || !take_ram_blocks(h->block, blocks)) {
        free(h->block);
        free(h);
        return ESP_ERR_NO_MEM;
    }
    h->block_ct = blocks;
    h->next = s_ctx->ram_handles;
    s_ctx->ram_handles = h;
    *handle_out = h;
    return ESP_OK;
}

esp_err_t esp_himem_free(esp_himem_handle_t handle)
{
    FAULT_IF_NULL(handle, "esp_himem_free");
    for (int i = 0; i < handle->block_ct; i++)
        ESP_RETURN_ON_FALSE(!s_ctx->ram[handle->block[i]].is_mapped, ESP_ERR_INVALID_ARG, TAG,
                            "block in range still mapped");
    for (int i = 0; i < handle->block_ct; i++)
        s_ctx->ram[handle->block[i]].is_alloced = false;
    for (struct esp_himem_ramdata_t **p = &s_ctx->ram_handles; *p; p = &(*p)->next)
        if (*p == handle) {
            *p = handle->next;
            break;
        }
    free(handle->block);
    free(handle);
    return ESP_OK;
}

esp_err_t esp_himem_alloc_map_range(size_t size, esp_himem_rangehandle_t *handle_out)
{
    ESP_RETURN_ON_FALSE(himem_available(), ESP_ERR_INVALID_STATE, TAG, "Himem not available!");
    ESP_RETURN_ON_FALSE(size % ESP_HIMEM_BLKSZ == 0, ESP_ERR_INVALID_SIZE, TAG,
                        "requested size not aligned to blocksize");
    FAULT_IF_NULL(handle_out, "esp_himem_alloc_map_range");
    esp_himem_rangehandle_t r = calloc(1, sizeof *r);
    if (!r)
        return ESP_ERR_NO_MEM;
    size_t want = size / ESP_HIMEM_BLKSZ;
    /* First fit: the first run of `want` consecutive free pages.  No run for 0 pages,
     * as upstream (its search finds nothing without a page to start from). */
    int start = -1;
    for (int i = 0; want && want <= (size_t)s_ctx->rangeblockcnt && i + (int)want <= s_ctx->rangeblockcnt && start < 0;
         i++) {
        int free_run = 0;
        while (free_run < (int)want && !s_ctx->range[i + free_run].is_alloced)
            free_run++;
        if (free_run == (int)want)
            start = i;
        else
            i += free_run; /* the page after the allocated one is the next candidate */
    }
    if (start < 0) {
        free(r);
        return ESP_ERR_NO_MEM;
    }
    for (int i = start; i < start + (int)want; i++)
        s_ctx->range[i].is_alloced = true;
    r->block_ct = (int)want;
    r->block_start = start;
    r->next = s_ctx->range_handles;
    s_ctx->range_handles = r;
    *handle_out = r;
    return ESP_OK;
}

esp_err_t esp_himem_free_map_range(esp_himem_rangehandle_t handle)
{
    FAULT_IF_NULL(handle, "esp_himem_free_map_range");
    for (int i = 0; i < handle->block_ct; i++)
        ESP_RETURN_ON_FALSE(!s_ctx->range[handle->block_start + i].is_mapped, ESP_ERR_INVALID_ARG, TAG,
                            "memory still mapped to range");
    for (int i = 0; i < handle->block_ct; i++)
        s_ctx->range[handle->block_start + i].is_alloced = false;
    for (struct esp_himem_rangedata_t **p = &s_ctx->range_handles; *p; p = &(*p)->next)
        if (*p == handle) {
            *p = handle->next;
            break;
        }
    free(handle);
    return ESP_OK;
}

esp_err_t esp_himem_map(esp_himem_handle_t handle, esp_himem_rangehandle_t range, size_t ram_offset,
                        size_t range_offset, size_t len, int flags, void **out_ptr)
{
    (void)flags; /* ESP_HIMEM_MAPFLAG_RO is documented as unused */
    int ram_block = (int)(ram_offset / ESP_HIMEM_BLKSZ);
    int range_block = (int)(range_offset / ESP_HIMEM_BLKSZ);
    int blocks = (int)(len / ESP_HIMEM_BLKSZ);
    ESP_RETURN_ON_FALSE(himem_available(), ESP_ERR_INVALID_STATE, TAG, "Himem not available!");
    ESP_RETURN_ON_FALSE(ram_offset % ESP_HIMEM_BLKSZ == 0, ESP_ERR_INVALID_ARG, TAG,
                        "ram offset not aligned to blocksize");
    ESP_RETURN_ON_FALSE(range_offset % ESP_HIMEM_BLKSZ == 0, ESP_ERR_INVALID_ARG, TAG,
                        "range not aligned to blocksize");
    ESP_RETURN_ON_FALSE(len % ESP_HIMEM_BLKSZ == 0, ESP_ERR_INVALID_ARG, TAG, "length not aligned to blocksize");
    FAULT_IF_NULL(handle, "esp_himem_map");
    FAULT_IF_NULL(range, "esp_himem_map");
    FAULT_IF_NULL(out_ptr, "esp_himem_map");
    /* In 64-bit arithmetic, where the chip's 32-bit sums cannot overflow for the
     * offsets a 32-bit size_t carries. */
    ESP_RETURN_ON_FALSE(ram_offset / ESP_HIMEM_BLKSZ + len / ESP_HIMEM_BLKSZ <= (size_t)handle->block_ct,
                        ESP_ERR_INVALID_SIZE, TAG, "args not in range of phys ram handle");
    ESP_RETURN_ON_FALSE(range_offset / ESP_HIMEM_BLKSZ + len / ESP_HIMEM_BLKSZ <= (size_t)range->block_ct,
                        ESP_ERR_INVALID_SIZE, TAG, "args not in range of range handle");
    for (int i = 0; i < blocks; i++) {
        ESP_RETURN_ON_FALSE(!s_ctx->ram[handle->block[ram_block + i]].is_mapped, ESP_ERR_INVALID_STATE, TAG,
                            "ram already mapped");
        ESP_RETURN_ON_FALSE(!s_ctx->range[range->block_start + range_block + i].is_mapped, ESP_ERR_INVALID_STATE,
                            TAG, "range already mapped");
    }

    for (int i = 0; i < blocks; i++) {
        range_block_t *page = &s_ctx->range[range->block_start + range_block + i];
        s_ctx->ram[handle->block[ram_block + i]].is_mapped = true;
        page->is_mapped = true;
        page->released = false;
        page->ram_block = handle->block[ram_block + i];
    }
    /* Retarget each window page on both CPUs (always both, as upstream), one page per
     * call, with no cache operation: stale lines were dealt with by the last unmap. */
    for (int i = 0; i < blocks; i++) {
        uint32_t vaddr = BANK_VADDR_START + (uint32_t)(range->block_start + range_block + i) * ESP_HIMEM_BLKSZ;
        uint32_t paddr = (BANK_PAGE_START + handle->block[ram_block + i]) * ESP_HIMEM_BLKSZ;
        for (int cpu = 0; cpu < 2; cpu++)
            if (cache_sram_mmu_set(cpu, 0, vaddr, paddr, 32, 1) != 0)
                esp_system_abort("esp_himem_map: cache_sram_mmu_set failed (assert)");
    }
    *out_ptr = (void *)(uintptr_t)(BANK_VADDR_START + (uint32_t)(range->block_start + range_block) * ESP_HIMEM_BLKSZ);
    return ESP_OK;
}

esp_err_t esp_himem_unmap(esp_himem_rangehandle_t range, void *ptr, size_t len)
{
    FAULT_IF_NULL(range, "esp_himem_unmap");
    /* 32-bit pointer arithmetic, as on the chip: a pointer below the window wraps. */
    uint32_t range_offset = (uint32_t)(uintptr_t)ptr - BANK_VADDR_START;
    int range_block = (int)(range_offset / ESP_HIMEM_BLKSZ) - range->block_start;
    int blocks = (int)(len / ESP_HIMEM_BLKSZ);
    ESP_RETURN_ON_FALSE(range_offset % ESP_HIMEM_BLKSZ == 0, ESP_ERR_INVALID_ARG, TAG,
                        "range offset not block-aligned");
    ESP_RETURN_ON_FALSE(len % ESP_HIMEM_BLKSZ == 0, ESP_ERR_INVALID_ARG, TAG, "map length not block-aligned");
    ESP_RETURN_ON_FALSE(range_block + blocks <= range->block_ct, ESP_ERR_INVALID_ARG, TAG,
                        "range out of bounds for handle");
    for (int i = 0; i < blocks; i++) {
        /* No lower-bound check upstream: a page before the handle's is another's (or
         * outside the bookkeeping, which the chip would scribble over; here it is
         * skipped). */
        int page = range->block_start + range_block + i;
        if (page < 0 || page >= s_ctx->rangeblockcnt)
            continue;
        s_ctx->range[page].is_mapped = false;
        s_ctx->range[page].released = true;
        s_ctx->ram[s_ctx->range[page].ram_block].is_mapped = false;
    }
    /* The entries keep pointing at the old banks; only a sweep of reads gets the dirty
     * lines out and no stale line left in the caches.  (Once per call, even for len 0.) */
    esp_psram_extram_writeback_cache();
    return ESP_OK;
}

esp_err_t esp_himem_check_invariants(char *why, size_t why_len)
{
    if (!himem_available())
        return ESP_OK;
    for (int i = 0; i < s_ctx->rangeblockcnt; i++) {
        const range_block_t *p = &s_ctx->range[i];
        INVARIANT(!p->is_mapped || p->is_alloced, "himem: window page %d mapped but not allocated", i);
        INVARIANT(p->ram_block < s_ctx->ramblockcnt, "himem: window page %d records RAM block %u of %d", i,
                        p->ram_block, s_ctx->ramblockcnt);
    }
    int owned = 0;
    for (const struct esp_himem_ramdata_t *h = s_ctx->ram_handles; h; h = h->next)
        for (int k = 0; k < h->block_ct; k++, owned++)
            INVARIANT(h->block[k] < s_ctx->ramblockcnt && s_ctx->ram[h->block[k]].is_alloced,
                            "himem: a handle holds RAM block %u, which is not allocated", h->block[k]);
    int alloced = 0;
    for (int i = 0; i < s_ctx->ramblockcnt; i++) {
        INVARIANT(!s_ctx->ram[i].is_mapped || s_ctx->ram[i].is_alloced, "himem: RAM block %d mapped but free", i);
        alloced += s_ctx->ram[i].is_alloced;
    }
    INVARIANT(alloced == owned, "himem: %d RAM blocks allocated, handles hold %d", alloced, owned);
    int pages = 0;
    for (const struct esp_himem_rangedata_t *r = s_ctx->range_handles; r; r = r->next) {
        INVARIANT(r->block_start >= 0 && r->block_start + r->block_ct <= s_ctx->rangeblockcnt,
                        "himem: a range handle lies outside the window");
        for (int k = 0; k < r->block_ct; k++, pages++)
            INVARIANT(s_ctx->range[r->block_start + k].is_alloced, "himem: window page %d of a handle is free",
                            r->block_start + k);
    }
    int alloced_pages = 0;
    for (int i = 0; i < s_ctx->rangeblockcnt; i++)
        alloced_pages += s_ctx->range[i].is_alloced;
    INVARIANT(alloced_pages == pages, "himem: %d window pages allocated, handles hold %d", alloced_pages, pages);
    return ESP_OK;
}

/* ---- host port: read-only listing for the view (esp_mm_inspect.h) ------------------ */

esp_err_t esp_himem_info(esp_himem_info_t *out)
{
    if (!out)
        return ESP_ERR_INVALID_ARG;
    *out = (esp_himem_info_t){.available = himem_available()};
    if (out->available) {
        out->window_vaddr = BANK_VADDR_START;
        out->page_size = ESP_HIMEM_BLKSZ;
        out->window_pages = s_ctx->rangeblockcnt;
        out->ram_blocks = s_ctx->ramblockcnt;
        out->ram_paddr = BANK_PAGE_START * ESP_HIMEM_BLKSZ;
    }
    return ESP_OK;
}

esp_err_t esp_himem_page_info(int page, esp_himem_page_info_t *out)
{
    if (!out || !himem_available() || page < 0 || page >= s_ctx->rangeblockcnt)
        return ESP_ERR_INVALID_ARG;
    *out = (esp_himem_page_info_t){.alloced = s_ctx->range[page].is_alloced,
                                   .mapped = s_ctx->range[page].is_mapped,
                                   .released = s_ctx->range[page].released,
                                   .ram_block = s_ctx->range[page].ram_block};
    return ESP_OK;
}

esp_err_t esp_himem_block_info(int block, bool *alloced, bool *mapped)
{
    if (!alloced || !mapped || !himem_available() || block < 0 || block >= s_ctx->ramblockcnt)
        return ESP_ERR_INVALID_ARG;
    *alloced = s_ctx->ram[block].is_alloced;
    *mapped = s_ctx->ram[block].is_mapped;
    return ESP_OK;
}
