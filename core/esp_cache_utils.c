/* esp_cache_utils.c - esp_mm's private cache helpers (esp_private/esp_cache_private.h):
 * the alignment a buffer needs by its heap caps, the critical section cache
 * maintenance runs in, and the freeze helpers the map driver brackets MMU writes
 * with (esp-idf-behaviour.md §2.3, §4.3). */
#include "esp_private/esp_cache_private.h"

#include "esp_check.h"
#include "esp_heap_caps.h"
#include "hal/cache_hal.h"
#include "hal/cache_ll.h"

static const char *TAG = "cache";

esp_err_t esp_cache_get_alignment(uint32_t heap_caps, size_t *out_alignment)
{
    ESP_RETURN_ON_FALSE(out_alignment, ESP_ERR_INVALID_ARG, TAG, "null pointer");
    /* Only PSRAM buffers live behind the external level; every other cap means internal
     * RAM, which has no cache (line size 0) on every chip but P4. */
    uint32_t level = (heap_caps & MALLOC_CAP_SPIRAM) ? CACHE_LL_LEVEL_EXT_MEM : CACHE_LL_LEVEL_INT_MEM;
    *out_alignment = cache_hal_get_cache_line_size(level, CACHE_TYPE_DATA);
    return ESP_OK;
}

/* On the chip this is a spinlock shared by msync and the map driver's invalidate.  The
 * host runs one chip per thread and nothing preempts the driver, so only the nesting is
 * kept; per thread, because each thread is a different chip. */
static _Thread_local unsigned sync_ops_depth;

void esp_cache_sync_ops_enter_critical_section(void) { sync_ops_depth++; }

void esp_cache_sync_ops_exit_critical_section(void)
{
    /* An unbalanced exit would corrupt a real spinlock's state; here it must not wrap
     * the count and make every later section look nested. */
    if (sync_ops_depth)
        sync_ops_depth--;
}

/* ESP-IDF defines these two only on chips with SOC_CACHE_FREEZE_SUPPORTED, and its
 * callers test that first.  Here they exist on every chip; a call on a chip without
 * freeze reaches cache_hal_freeze, whose HAL_ASSERT reports the misuse (the
 * simulator's stand-in for the link error it would be upstream).  Upstream's own
 * spinlock and the disabling of interrupts have no host counterpart (nothing preempts
 * the driver). */
void esp_cache_freeze_caches_disable_interrupts(void) { cache_hal_freeze(CACHE_LL_LEVEL_EXT_MEM, CACHE_TYPE_ALL); }

void esp_cache_unfreeze_caches_enable_interrupts(void) { cache_hal_unfreeze(CACHE_LL_LEVEL_EXT_MEM, CACHE_TYPE_ALL); }
