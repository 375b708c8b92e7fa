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

static inline bool esp_ptr_external_ram(const void *p)
{
    uintptr_t a = (uintptr_t)p;
    return a >= SOC_EXTRAM_DATA_LOW && a < SOC_EXTRAM_DATA_HIGH;
}

static inline bool esp_ptr_internal(const void *p)
{
    uintptr_t a = (uintptr_t)p;
    return (a >= MMSIM_IDF_INTERNAL_CACHED_LOW && a < MMSIM_IDF_INTERNAL_CACHED_HIGH) || a == MMSIM_IDF_STACK_STANDIN;
}

static inline bool esp_ptr_in_dram(const void *p) { return esp_ptr_internal(p); }

#endif
