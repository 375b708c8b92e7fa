/* spi_flash_mmap.c - ESP-IDF's legacy flash mapping API (spi_flash_mmap.h) over the
 * map driver, with the behaviour of components/spi_flash/flash_mmap.c (its non-ROM
 * implementation): one esp_mmu_map call with ESP_MMU_MMAP_FLAG_PADDR_SHARED per
 * mapping or per run of consecutive pages, a heap block per handle listing the
 * blocks to unmap, and the address conversions.  (flash_mmap.c also holds the
 * invalidation after a flash write, spi_flash_check_and_flush_cache: here it is
 * spi_flash_flush.c.)  MMSIM_IDF_VERSION selects the 16 MB
 * check (added by 701aa00998f and its backports) and how the flags are read (master's
 * 789ce684c90).
 *
 * Not modelled: the mmap lock itself (one simulated task never waits); the
 * BLOCKS_WRITE mappings that would hold it are counted (esp_private/flash_mmap.h).
 * Handles are numbers naming host blocks, because a 32-bit handle cannot hold a host
 * pointer; so an unknown handle is detected where the chip dereferences it. */
#include "spi_flash_mmap.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "esp_log.h"
#include "esp_mmu_map.h"
#include "esp_private/flash_mmap.h"
#include "esp_private/image_layout.h"
#include "esp_system.h"
#include "hal/mmu_hal.h"
#include "sdkconfig.h"
#include "soc/soc_caps.h"

static const char *TAG = "flash_mmap";

#define ADDR_24BIT_MAX (1u << 24)

/* One handle: the driver blocks to unmap (none when esp_mmu_map found the range mapped
 * already), linked into the context so closing a chip frees what was not released. */
typedef struct mmap_block {
    spi_flash_mmap_handle_t id;
    uint32_t *vaddrs;
    int count;
    bool blocks_write;
    struct mmap_block *next;
} mmap_block_t;

struct spi_flash_mmap_ctx {
    mmap_block_t *blocks;
    spi_flash_mmap_handle_t next_id;
    size_t open, blocking;
};

static _Thread_local spi_flash_mmap_ctx_t *s_ctx;

spi_flash_mmap_ctx_t *spi_flash_mmap_ctx_current(void) { return s_ctx; }
void spi_flash_mmap_ctx_switch(spi_flash_mmap_ctx_t *ctx) { s_ctx = ctx; }

void spi_flash_mmap_init(void)
{
    s_ctx = calloc(1, sizeof *s_ctx);
    if (s_ctx)
        s_ctx->next_id = 1;
}

void spi_flash_mmap_ctx_free(spi_flash_mmap_ctx_t *ctx)
{
    if (!ctx)
        return;
    for (mmap_block_t *b = ctx->blocks, *next; b; b = next) {
        next = b->next;
        free(b->vaddrs);
        free(b);
    }
    if (s_ctx == ctx)
        s_ctx = NULL;
    free(ctx);
}

bool flash_mmap_remain(void) { return s_ctx && s_ctx->open > 0; }
size_t spi_flash_mmap_open_count(void) { return s_ctx ? s_ctx->open : 0; }
size_t spi_flash_mmap_blocking_count(void) { return s_ctx ? s_ctx->blocking : 0; }

/* Master's mmap lock (flash_mmap.c; not on ESP32): a mapping made with
 * SPI_FLASH_MMAP_FLAG_BLOCKS_WRITE holds it until its munmap, and a flash write or
 * erase freezes it first, waiting until every holder has let go.  The host runs one
 * task, so a freeze while such a mapping is open would never return on the chip.
 * (Only master counts blocking mappings, and never on ESP32: see s_block_publish.) */
void flash_mmap_lock_freeze(void)
{
    if (spi_flash_mmap_blocking_count())
        esp_system_abort("flash write or erase: waits for the mmap lock, which a spi_flash_mmap with "
                         "SPI_FLASH_MMAP_FLAG_BLOCKS_WRITE holds until its munmap (the task hangs)");
    /* (idf/compat/compat_spi_flash.c gives upstream's lock the same words.) */
}

void flash_mmap_lock_unfreeze(void) {}

/* ---- version differences ------------------------------------------------------------ */

static bool ver_in(uint32_t lo, uint32_t hi) { return MMSIM_IDF_VERSION >= lo && MMSIM_IDF_VERSION <= hi; }

/* The 16 MB refusal: master and v6.1, and the backports in v6.0.1, v5.5.5 and v5.4.4. */
static bool s_checks_24bit(void)
{
    if (CONFIG_BOOTLOADER_CACHE_32BIT_ADDR_QUAD_FLASH || CONFIG_BOOTLOADER_CACHE_32BIT_ADDR_OCTAL_FLASH)
        return false;
    return MMSIM_IDF_VERSION >= MMSIM_IDF_VER(6, 1, 0) || ver_in(MMSIM_IDF_VER(6, 0, 1), MMSIM_IDF_VER(6, 0, 99)) ||
           ver_in(MMSIM_IDF_VER(5, 5, 5), MMSIM_IDF_VER(5, 5, 99)) ||
           ver_in(MMSIM_IDF_VER(5, 4, 4), MMSIM_IDF_VER(5, 4, 99));
}

/* Master tests the INST bit of the flags; releases before it compared the whole value
 * (the argument was a spi_flash_mmap_memory_t then). */
static bool s_flags_have_bits(void) { return MMSIM_IDF_VERSION >= MMSIM_IDF_VER(6, 1, 0); }

static mmu_mem_caps_t s_caps_of(spi_flash_mmap_flag_t flags)
{
    bool inst = s_flags_have_bits() ? (flags & SPI_FLASH_MMAP_FLAG_INST) != 0 : flags == SPI_FLASH_MMAP_INST;
    return inst ? (MMU_MEM_CAP_EXEC | MMU_MEM_CAP_32BIT) : (MMU_MEM_CAP_READ | MMU_MEM_CAP_8BIT);
}

/* ---- handles ------------------------------------------------------------------------- */

static mmap_block_t *s_block_new(int nvaddrs)
{
    if (!s_ctx)
        return NULL;
    mmap_block_t *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->vaddrs = calloc((size_t)(nvaddrs > 0 ? nvaddrs : 1), sizeof *b->vaddrs);
    if (!b->vaddrs) {
        free(b);
        return NULL;
    }
    return b;
}

/* Give the block its number and count it open; *out_handle gets the number. */
static void s_block_publish(mmap_block_t *b, spi_flash_mmap_flag_t flags, spi_flash_mmap_handle_t *out_handle)
{
    b->id = s_ctx->next_id++;
    if (!s_ctx->next_id)
        s_ctx->next_id = 1;
    b->blocks_write = s_flags_have_bits() && !CONFIG_IDF_TARGET_ESP32 && (flags & SPI_FLASH_MMAP_FLAG_BLOCKS_WRITE);
    b->next = s_ctx->blocks;
    s_ctx->blocks = b;
    s_ctx->open++;
    s_ctx->blocking += b->blocks_write;
    *out_handle = b->id;
}

static void s_block_free(mmap_block_t *b)
{
    if (b)
        free(b->vaddrs);
    free(b);
}

/* Where the chip dereferences a NULL out pointer (a store fault). */
static bool s_fault_if_null(const void *p, const char *func, const char *what)
{
    if (p)
        return false;
    char why[120];
    snprintf(why, sizeof why, "%s: NULL %s (the chip takes a load or store fault)", func, what);
    esp_system_abort(why);
    return true;
}

/* ---- mapping ------------------------------------------------------------------------- */

esp_err_t spi_flash_mmap(size_t src_addr, size_t size, spi_flash_mmap_flag_t flags, const void **out_ptr,
                         spi_flash_mmap_handle_t *out_handle)
{
    if (s_checks_24bit() &&
        (src_addr >= ADDR_24BIT_MAX || size > ADDR_24BIT_MAX || src_addr > ADDR_24BIT_MAX - size)) {
        ESP_LOGE(TAG,
                 "Address 0x%08x is out of range for 24bit flash mapping, see "
                 "CONFIG_BOOTLOADER_CACHE_32BIT_ADDR_QUAD_FLASH and CONFIG_BOOTLOADER_CACHE_32BIT_ADDR_OCTAL_FLASH "
                 "for more details",
                 (unsigned)src_addr);
        return ESP_ERR_INVALID_ARG;
    }
    if (s_fault_if_null(out_ptr, __func__, "out_ptr") || s_fault_if_null(out_handle, __func__, "out_handle"))
        return ESP_ERR_INVALID_ARG;
    mmap_block_t *b = s_block_new(1);
    if (!b)
        return ESP_ERR_NO_MEM;
    void *ptr = NULL;
    esp_err_t ret = esp_mmu_map((esp_paddr_t)src_addr, size, MMU_TARGET_FLASH0, s_caps_of(flags),
                                ESP_MMU_MMAP_FLAG_PADDR_SHARED, &ptr);
    if (ret == ESP_OK) {
        b->vaddrs[0] = (uint32_t)(uintptr_t)ptr;
        b->count = 1;
    } else if (ret != ESP_ERR_INVALID_STATE) {
        /* ESP_ERR_INVALID_STATE: the range lies in a mapping already made; ESP-IDF
         * hands out that address with a handle that owns no block. */
        s_block_free(b);
        return ret;
    }
    s_block_publish(b, flags, out_handle);
    *out_ptr = ptr;
    return ESP_OK;
}

/* Does pages[i] continue the run of pages[i - 1]?  (int arithmetic wraps on the chip.) */
static bool s_follows(const int *pages, size_t i) { return (uint32_t)pages[i] == (uint32_t)pages[i - 1] + 1u; }

esp_err_t spi_flash_mmap_pages(const int *pages, size_t page_count, spi_flash_mmap_flag_t flags,
                               const void **out_ptr, spi_flash_mmap_handle_t *out_handle)
{
    const uint32_t page = CONFIG_MMU_PAGE_SIZE;
    if (s_fault_if_null(pages, __func__, "pages"))
        return ESP_ERR_INVALID_ARG;
    if (s_checks_24bit()) {
        for (size_t i = 0; i < page_count; i++) {
            uint32_t phys = (uint32_t)pages[i] * page; /* 32-bit arithmetic, as on the chip */
            if (phys >= ADDR_24BIT_MAX) {
                ESP_LOGE(TAG, "Page %d (addr 0x%08x) is out of range for 24bit flash mapping", pages[i],
                         (unsigned)phys);
                return ESP_ERR_INVALID_ARG;
            }
        }
    }
    if (s_fault_if_null(out_ptr, __func__, "out_ptr") || s_fault_if_null(out_handle, __func__, "out_handle"))
        return ESP_ERR_INVALID_ARG;
    /* Runs of consecutive page numbers.  ESP-IDF reads pages[0] even when page_count is
     * 0, and then maps that one page. */
    size_t n = page_count ? page_count : 1;
    int runs = 1;
    for (size_t i = 1; i < n; i++)
        runs += !s_follows(pages, i);
    mmap_block_t *b = s_block_new(runs);
    if (!b)
        return ESP_ERR_NO_MEM;
    mmu_mem_caps_t caps = s_caps_of(flags);
    esp_err_t ret = ESP_OK;
    for (size_t i = 0; i < n && ret == ESP_OK;) {
        size_t len = 1;
        while (i + len < n && s_follows(pages, i + len))
            len++;
        void *ptr = NULL;
        ret = esp_mmu_map((uint32_t)pages[i] * page, len * page, MMU_TARGET_FLASH0, caps,
                          ESP_MMU_MMAP_FLAG_PADDR_SHARED, &ptr);
        if (ret == ESP_OK)
            b->vaddrs[b->count++] = (uint32_t)(uintptr_t)ptr;
        i += len;
    }
    if (ret != ESP_OK) {
        /* ESP_ERR_INVALID_STATE included: a run inside an existing mapping cannot join
         * a contiguous span. */
        for (int i = 0; i < b->count; i++)
            esp_mmu_unmap((void *)(uintptr_t)b->vaddrs[i]);
        s_block_free(b);
        return ret;
    }
    s_block_publish(b, flags, out_handle);
    *out_ptr = (const void *)(uintptr_t)b->vaddrs[0];
    return ESP_OK;
}

void spi_flash_munmap(spi_flash_mmap_handle_t handle)
{
    mmap_block_t **at = s_ctx ? &s_ctx->blocks : NULL;
    while (at && *at && (*at)->id != handle)
        at = &(*at)->next;
    /* ESP-IDF's assert on an esp_mmu_unmap that finds nothing.  A released handle
     * reaches it on the chip too: the freed block still lists the old address, which
     * nothing maps any more (unless the heap or the map driver reused them since). */
    static const char *const invalid = "assert failed: spi_flash_munmap flash_mmap.c (0 && \"invalid handle, or "
                                       "handle already unmapped\")";
    if (!at || !*at || !handle) {
        esp_system_abort(invalid);
        return;
    }
    mmap_block_t *b = *at;
    for (int i = 0; i < b->count; i++)
        if (esp_mmu_unmap((void *)(uintptr_t)b->vaddrs[i]) == ESP_ERR_NOT_FOUND)
            esp_system_abort(invalid);
    *at = b->next;
    s_ctx->open--;
    s_ctx->blocking -= b->blocks_write;
    s_block_free(b);
}

/* ---- queries ------------------------------------------------------------------------- */

void spi_flash_mmap_dump(void) { esp_mmu_map_dump_mapped_blocks(stdout); }

uint32_t spi_flash_mmap_get_free_pages(spi_flash_mmap_memory_t memory)
{
    mmu_mem_caps_t caps = memory == SPI_FLASH_MMAP_INST ? (MMU_MEM_CAP_EXEC | MMU_MEM_CAP_32BIT)
                                                        : (MMU_MEM_CAP_READ | MMU_MEM_CAP_8BIT);
    size_t len = 0;
    esp_mmu_map_get_max_consecutive_free_block_size(caps, MMU_TARGET_FLASH0, &len);
    return (uint32_t)(len / CONFIG_MMU_PAGE_SIZE);
}

/* ESP-IDF's patched cache2phys: the app's own rodata and text answer with their flash
 * offsets though they now run from PSRAM (esp_ota_get_running_partition relies on it).
 * CONFIG_SPIRAM_FLASH_LOAD_TO_PSRAM (mmu_psram_flash_v2.c's
 * mmu_xip_psram_flash_vaddr_to_paddr) asks first, over the segments' whole pages, and
 * reads the PSRAM MMU; S2/S3 (mmu_psram_flash.c) translate as usual and add the
 * segment's flash-to-PSRAM distance from its first byte to its last, both included. */
size_t spi_flash_cache2phys(const void *cached)
{
    if (!cached)
        return SPI_FLASH_CACHE2PHYS_FAIL;
    const uint32_t v = (uint32_t)(uintptr_t)cached, page = CONFIG_MMU_PAGE_SIZE;
    uint32_t start = 0, pages = 0, flash = 0, psram = 0;
    if (CONFIG_SPIRAM_FLASH_LOAD_TO_PSRAM) {
        for (int text = 1; text >= 0; text--) {
            if (!image_layout_xip_pages(text, &start, &pages, &flash, &psram) || v < start || v - start >= pages * page)
                continue;
            uint32_t id = SOC_MMU_PER_EXT_MEM_TARGET ? mmu_hal_get_id_from_target(MMU_TARGET_PSRAM0) : 0;
            uint32_t paddr = 0;
            mmu_target_t target = MMU_TARGET_FLASH0;
            /* Upstream asserts both; the start-up mapped every page so. */
            if (!mmu_hal_vaddr_to_paddr(id, v, &paddr, &target) || target != MMU_TARGET_PSRAM0)
                esp_system_abort("assert failed: mmu_xip_psram_flash_vaddr_to_paddr mmu_psram_flash_v2.c (is_mapped)");
            return paddr - psram + flash;
        }
    }
    esp_paddr_t paddr = 0;
    mmu_target_t target = 0;
    if (esp_mmu_vaddr_to_paddr((void *)(uintptr_t)cached, &paddr, &target) != ESP_OK)
        return SPI_FLASH_CACHE2PHYS_FAIL;
    if (!CONFIG_SPIRAM_FLASH_LOAD_TO_PSRAM) {
        /* Rodata first, then text, which wins where both would (upstream's order). */
        int64_t offset = 0;
        for (int text = 0; text < 2; text++) {
            uint32_t first = text ? image_layout_irom_start() : image_layout_drom_start();
            uint32_t last = text ? image_layout_irom_end() : image_layout_drom_end();
            if (image_layout_xip_pages(text, &start, &pages, &flash, &psram) && v >= first && v <= last)
                offset = (int64_t)flash - psram;
        }
        return (size_t)(uint32_t)((int64_t)paddr + offset);
    }
    return paddr;
}

/* ESP-IDF's patched phys2cache: on S2/S3 a flash offset inside the pages of a moved
 * segment, from its first flash page to its last (both included), is looked up in
 * PSRAM, less the segment's flash-to-PSRAM distance (instruction_flash_start_page_get,
 * rodata_flash2spiram_offset...; text's test, then rodata's, on the page as given; S2
 * counts the pages by the segment's length).  With
 * CONFIG_SPIRAM_FLASH_LOAD_TO_PSRAM upstream leaves it unpatched: such an offset is
 * looked up in flash, where no app entry maps it any more. */
const void *spi_flash_phys2cache(size_t phys_offs, spi_flash_mmap_memory_t memory)
{
    void *ptr = NULL;
    mmu_target_t target = MMU_TARGET_FLASH0;
    const uint32_t page = CONFIG_MMU_PAGE_SIZE, phys_page = (uint32_t)(phys_offs / page);
    if (!CONFIG_SPIRAM_FLASH_LOAD_TO_PSRAM) {
        size_t offs = phys_offs;
        for (int text = 1; text >= 0; text--) {
            uint32_t start = 0, pages = 0, flash = 0, psram = 0;
            if (!image_layout_xip_pages(text, &start, &pages, &flash, &psram))
                continue;
            /* ESP32-S2's page info counts the segment's bytes, not the pages they touch
             * (instruction_flash_page_info_init): one page short when it starts inside a
             * page and ends in the next beyond a whole page. */
            if (CONFIG_IDF_TARGET_ESP32S2) {
                uint32_t first = text ? image_layout_irom_start() : image_layout_drom_start();
                uint32_t last = text ? image_layout_irom_end() : image_layout_drom_end();
                pages = (last - first + page - 1u) / page;
            }
            if (!pages || phys_page < flash / page || phys_page > flash / page + pages - 1u)
                continue;
            target = MMU_TARGET_PSRAM0;
            offs = offs - flash + psram;
        }
        phys_offs = offs;
    }
    mmu_vaddr_t type = memory == SPI_FLASH_MMAP_DATA ? MMU_VADDR_DATA : MMU_VADDR_INSTRUCTION;
    esp_err_t ret = esp_mmu_paddr_to_vaddr((esp_paddr_t)phys_offs, target, type, &ptr);
    if (ret == ESP_ERR_NOT_FOUND)
        return NULL;
    if (ret != ESP_OK)
        esp_system_abort("assert failed: spi_flash_phys2cache flash_mmap.c (ret == ESP_OK)");
    return ptr;
}
