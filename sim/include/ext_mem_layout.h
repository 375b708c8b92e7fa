/* ext_mem_layout.h - the esp_mmu_map region table of the bound chip (ESP-IDF's
 * g_mmu_mem_regions[], before boot coalescing), as the chip definition gives it.
 * A run-time array here: SOC_MMU_LINEAR_ADDRESS_REGION_NUM rows. */
#ifndef MMSIM_EXT_MEM_LAYOUT_H
#define MMSIM_EXT_MEM_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "hal/cache_types.h"
#include "hal/mmu_types.h"
#include "soc/soc_caps.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    uint32_t start;           /* linear address */
    uint32_t end;             /* exclusive */
    size_t size;
    cache_bus_mask_t bus_id;
    mmu_target_t targets;
    uint32_t caps;
} mmu_mem_region_t;

const mmu_mem_region_t *hal_mmu_mem_regions(void);
#define g_mmu_mem_regions (hal_mmu_mem_regions())

#ifdef __cplusplus
}
#endif

#endif
