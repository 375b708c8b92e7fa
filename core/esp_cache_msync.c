/* esp_cache_msync.c - esp_cache_msync and esp_cache_get_line_size_by_addr (esp_cache.h):
 * cache/memory synchronisation of an address range on the chip the driver runs on,
 * with ESP-IDF's checks, return codes and log messages (esp-idf-behaviour.md §2).
 *
 * Behaviour follows master; MMSIM_IDF_VERSION (sdkconfig.h) selects the older
 * releases' differences (§2.6) at run time:
 *   - before v5.2: the v5.1 function (see msync_v51 below);
 *   - v5.2 .. v5.5.x: a range outside every cacheable window is ESP_ERR_INVALID_ARG
 *     "invalid addr or null pointer".  Despite the wording, NULL is still caught
 *     first by the "null pointer" check: §2.6 lists no change to step 1, so only the
 *     non-cacheable case differs (its message merely mentions NULL);
 *   - v5.2.0 and v5.2.1: M2C accepts ESP_CACHE_MSYNC_FLAG_UNALIGNED (and then
 *     invalidates whole lines around the range, neighbours' dirty data included).
 *
 * Chip facts (line sizes, write-back support, windows) are run-time values of the
 * simulated chip: tested with `if`, never `#if`.
 *
 * CONFIG_ESP_MM_CACHE_MSYNC_C2M_CHUNKED_OPS has no default and so is off (§2.2): the
 * write-back is one operation and there is no driver mutex (step 6), hence none of
 * upstream's mutex leak on the early INVALID_ARG returns of steps 7 and 8 either. */
#include "esp_cache.h"

#include <inttypes.h>
#include <stdbool.h>

#include "esp_check.h"
#include "esp_log.h"
#include "esp_private/esp_cache_private.h"
#include "hal/cache_hal.h"
#include "hal/cache_ll.h"
#include "sdkconfig.h"
#include "soc/soc_caps.h"

static const char *TAG = "cache";

/* On the host `addr` is a chip address carried in a pointer.  A value beyond 32 bits
 * cannot be one (the chip truncates nothing: its pointers are 32-bit); it is reported
 * as lying outside every cacheable window rather than truncated into one. */
static bool in_cacheable_window(uintptr_t addr, uint32_t size, uint32_t *level)
{
    uint32_t id = 0;
    return addr <= UINT32_MAX && cache_hal_vaddr_to_cache_level_id((uint32_t)addr, size, level, &id);
}

/* The range sum leaves 32 bits: a sum of exactly 2^32 counts (the end address would
 * wrap to 0).  Written against the 32-bit truncation the chip's own cast gives. */
static bool range_overflows(uintptr_t addr, size_t size)
{
    return (uint64_t)size > (uint64_t)UINT32_MAX - (uint32_t)addr;
}

/* The line sizes are positive for every cacheable level; a chip definition giving 0
 * would make upstream divide by zero.  Nothing can be misaligned to "no line". */
static bool misaligned(uint32_t value, uint32_t line) { return line && value % line; }

esp_err_t esp_cache_msync(void *addr, size_t size, int flags)
{
    const uint32_t version = MMSIM_IDF_VERSION;
    const uintptr_t a = (uintptr_t)addr;
    const uint32_t vaddr = (uint32_t)a;
    uint32_t level = 0;

    /* 1. */
    ESP_RETURN_ON_FALSE_ISR(addr, ESP_ERR_INVALID_ARG, TAG, "null pointer");

    if (version < MMSIM_IDF_VER(5, 2, 0)) {
        /* v5.1 (§2.6): only INVALIDATE and UNALIGNED exist, every call is C2M (other
         * bits are ignored), and there are no direction/type checks.  The range test
         * is on the window alone, so a range wrapping past 4 GB fails it as "invalid
         * address" (there is no separate overflow message).  On chips without
         * write-back nothing more is done: no alignment check either. */
        bool valid = !range_overflows(a, size) && in_cacheable_window(a, (uint32_t)size, &level);
        ESP_RETURN_ON_FALSE_ISR(valid, ESP_ERR_INVALID_ARG, TAG, "invalid address");
        if (!SOC_CACHE_WRITEBACK_SUPPORTED)
            return ESP_OK;
        if ((flags & ESP_CACHE_MSYNC_FLAG_UNALIGNED) == 0) {
            esp_cache_sync_ops_enter_critical_section();
            uint32_t line = cache_hal_get_cache_line_size(level, CACHE_TYPE_DATA);
            esp_cache_sync_ops_exit_critical_section();
            ESP_RETURN_ON_FALSE_ISR(!misaligned(vaddr, line), ESP_ERR_INVALID_ARG, TAG,
                                    "start address isn't aligned with the data cache line size (%d)B", (int)line);
            ESP_RETURN_ON_FALSE_ISR(!misaligned((uint32_t)size, line), ESP_ERR_INVALID_ARG, TAG,
                                    "size isn't aligned with the data cache line size (%d)B", (int)line);
            ESP_RETURN_ON_FALSE_ISR(!misaligned(vaddr + (uint32_t)size, line), ESP_ERR_INVALID_ARG, TAG,
                                    "end address isn't aligned with the data cache line size (%d)B", (int)line);
        }
        esp_cache_sync_ops_enter_critical_section();
        cache_hal_writeback_addr(vaddr, (uint32_t)size);
        if (flags & ESP_CACHE_MSYNC_FLAG_INVALIDATE)
            cache_hal_invalidate_addr(vaddr, (uint32_t)size);
        esp_cache_sync_ops_exit_critical_section();
        return ESP_OK;
    }

    /* 2. */
    ESP_RETURN_ON_FALSE_ISR(!range_overflows(a, size), ESP_ERR_INVALID_ARG, TAG, "wrong size, total size overflow");

    /* 3. */
    bool both_dir = (flags & ESP_CACHE_MSYNC_FLAG_DIR_C2M) && (flags & ESP_CACHE_MSYNC_FLAG_DIR_M2C);
    bool both_type = (flags & ESP_CACHE_MSYNC_FLAG_TYPE_DATA) && (flags & ESP_CACHE_MSYNC_FLAG_TYPE_INST);
    ESP_RETURN_ON_FALSE_ISR(!both_dir && !both_type, ESP_ERR_INVALID_ARG, TAG,
                            "both C2M and M2C directions, or both data and instruction type are selected, "
                            "you should only select one direction or one type");

    /* 4.  From step 2 on, size fits in 32 bits. */
    const uint32_t len = (uint32_t)size;
    if (!in_cacheable_window(a, len, &level)) {
        if (version < MMSIM_IDF_VER(6, 0, 0))
            ESP_RETURN_ON_FALSE_ISR(false, ESP_ERR_INVALID_ARG, TAG, "invalid addr or null pointer");
        ESP_EARLY_LOGV(TAG, "vaddr is not in cacheable range, do nothing");
        return ESP_ERR_NOT_SUPPORTED;
    }

    /* 5.  TYPE only picks the line size checked here; the operations below act on what
     * the direction needs whatever the type. */
    if ((flags & ESP_CACHE_MSYNC_FLAG_UNALIGNED) == 0) {
        cache_type_t type = (flags & ESP_CACHE_MSYNC_FLAG_TYPE_INST) ? CACHE_TYPE_INSTRUCTION : CACHE_TYPE_DATA;
        uint32_t line = cache_hal_get_cache_line_size(level, type);
        bool aligned = !misaligned(vaddr, line) && !misaligned(len, line);
        ESP_RETURN_ON_FALSE_ISR(aligned, ESP_ERR_INVALID_ARG, TAG,
                                "start address: 0x%" PRIx32 ", or the size: 0x%" PRIx32
                                " is(are) not aligned with cache line size (0x%" PRIx32 ")B",
                                vaddr, len, line);
    }

    /* 6.  The chunked-C2M mutex: the option is off (see the top of the file). */

    if (flags & ESP_CACHE_MSYNC_FLAG_DIR_M2C) {
        /* 7.  Invalidating whole lines around an unaligned range would discard the
         * neighbours' dirty bytes; v5.2.2 started refusing it. */
        if (version >= MMSIM_IDF_VER(5, 2, 2) && (flags & ESP_CACHE_MSYNC_FLAG_UNALIGNED))
            ESP_RETURN_ON_FALSE_ISR(false, ESP_ERR_INVALID_ARG, TAG,
                                    "M2C direction doesn't allow ESP_CACHE_MSYNC_FLAG_UNALIGNED");
        esp_cache_sync_ops_enter_critical_section();
        /* ESP32's HAL has no per-address operation: the chip abort()s here (§2.2).  The
         * call is kept so the simulator records that abort as a hazard; it then returns
         * and so does msync, with ESP_OK.  Elsewhere the range was checked cacheable in
         * step 4, so the HAL's "valid" result (only asserted upstream) is always true. */
        (void)cache_hal_invalidate_addr(vaddr, len);
        esp_cache_sync_ops_exit_critical_section();
    } else {
        /* 8.  C2M, the default direction. */
        if (flags & ESP_CACHE_MSYNC_FLAG_TYPE_INST)
            ESP_RETURN_ON_FALSE_ISR(false, ESP_ERR_INVALID_ARG, TAG, "C2M direction doesn't support instruction type");
        /* Without write-back (C2/C3/C6/H2, ESP32) memory is always current: nothing to do. */
        if (SOC_CACHE_WRITEBACK_SUPPORTED) {
            esp_cache_sync_ops_enter_critical_section();
            (void)cache_hal_writeback_addr(vaddr, len);
            if (flags & ESP_CACHE_MSYNC_FLAG_INVALIDATE)
                (void)cache_hal_invalidate_addr(vaddr, len);
            esp_cache_sync_ops_exit_critical_section();
        }
    }

    /* 9. */
    return ESP_OK;
}

size_t esp_cache_get_line_size_by_addr(const void *addr)
{
    if (!addr)
        return 0;
    const uintptr_t a = (uintptr_t)addr;
    /* "External RAM" is PSRAM's data window (ESP-IDF's esp_ptr_external_ram), as in
     * §2.3: a flash-mapped address outside it gives 0.  (On S2/S3 that window also
     * holds flash rodata, as upstream's test does not tell them apart either.)  Chips
     * without PSRAM have an empty window. */
    if (SOC_SPIRAM_SUPPORTED && a >= SOC_EXTRAM_DATA_LOW && a < SOC_EXTRAM_DATA_HIGH)
        return cache_hal_get_cache_line_size(CACHE_LL_LEVEL_EXT_MEM, CACHE_TYPE_DATA);
    /* Internal RAM has a cache only on P4 (SOC_CACHE_INTERNAL_MEM_VIA_L1CACHE); its
     * cacheable internal window is the one at CACHE_LL_LEVEL_INT_MEM.  Elsewhere the
     * internal level's line size is 0, so the test can stay on the window table. */
    uint32_t level = 0;
    if (SOC_CACHE_INTERNAL_MEM_VIA_L1CACHE && in_cacheable_window(a, 1, &level) && level == CACHE_LL_LEVEL_INT_MEM)
        return cache_hal_get_cache_line_size(CACHE_LL_LEVEL_INT_MEM, CACHE_TYPE_DATA);
    return 0;
}
