/* esp_memory_utils.h (compat) - ESP-IDF's "where does this pointer point" tests, for
 * the simulated chip's addresses: external RAM is the PSRAM data window
 * (SOC_EXTRAM_DATA_LOW/HIGH); internal RAM exists in the simulator only as P4's
 * cached L2MEM window and as the stand-in stack address (mmsim_idf_compat.h). */
#ifndef MMSIM_IDF_COMPAT_ESP_MEMORY_UTILS_H
#define MMSIM_IDF_COMPAT_ESP_MEMORY_UTILS_H

#include <stdbool.h>
#include <stdint.h>

#include "mmsim_idf_compat.h"
#include "soc/soc.h"

/* a in [low, high), as one unsigned comparison: a bound of 0 (a chip without that
 * window) would make `a >= low` always true and warn under -Wtype-limits. */
static inline bool mmsim_idf_in_range(uintptr_t a, uintptr_t low, uintptr_t high)
{
    return a - low < high - low;
}

static inline bool esp_ptr_external_ram(const void *p)
{
    return mmsim_idf_in_range((uintptr_t)p, SOC_EXTRAM_DATA_LOW, SOC_EXTRAM_DATA_HIGH);
}

static inline bool esp_ptr_internal(const void *p)
{
    uintptr_t a = (uintptr_t)p;
    return mmsim_idf_in_range(a, MMSIM_IDF_INTERNAL_CACHED_LOW, MMSIM_IDF_INTERNAL_CACHED_HIGH) ||
           a == MMSIM_IDF_STACK_STANDIN;
}

static inline bool esp_ptr_in_dram(const void *p) { return esp_ptr_internal(p); }

#endif
