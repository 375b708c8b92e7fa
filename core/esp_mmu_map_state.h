/* esp_mmu_map_state.h - the map driver's bookkeeping (esp_mmu_map.c owns and changes
 * it): regions of linear address space and the blocks mapped in them, and the helpers
 * its host port (esp_mmu_map_host.c) shares.  Private to core/. */
#ifndef MMSIM_ESP_MMU_MAP_STATE_H
#define MMSIM_ESP_MMU_MAP_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "esp_mmu_map.h"
#include "esp_private/esp_mmu_map_private.h"
#include "hal/cache_types.h"
#include "hal/mmu_types.h"
#include "soc/soc_caps.h"

typedef struct mem_block {
    uint32_t laddr_start, laddr_end;
    uint32_t vaddr_start, vaddr_end;
    size_t size;
    int caps;                  /* as the caller passed them */
    uint32_t paddr_start, paddr_end;
    mmu_target_t target;       /* 0 for the dummies: they never match a paddr check */
    bool dummy;
    struct mem_block *prev, *next;
} mem_block_t;

typedef struct {
    cache_bus_mask_t bus_id;
    uint32_t start, end;       /* linear, end exclusive */
    size_t region_size;
    uint32_t free_head;        /* below it the region is reserved for good */
    size_t max_slot_size;
    int caps;
    mmu_target_t targets;
    mem_block_t *first, *last; /* the dummies once the region has had a mapping */
} mem_region_t;

struct esp_mmu_map_ctx {
    int num_regions;
    mem_region_t regions[SOC_MMU_LINEAR_ADDRESS_REGION_NUM_MAX];
};

/* The MMU a target's pages live in (0 where one MMU serves every target). */
uint32_t esp_mmu_map_mmu_id_for(mmu_target_t target);
/* The view type (instruction or data) a caller's caps ask for. */
mmu_vaddr_t esp_mmu_map_vaddr_type(mmu_mem_caps_t caps);

#endif
