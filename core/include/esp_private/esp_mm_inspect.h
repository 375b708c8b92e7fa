/* esp_private/esp_mm_inspect.h - host port: read-only listings of the map driver's
 * regions and blocks and of himem's bank window, for the view (viz/) and other tools.
 * They read the current context (the current machine's) and change nothing. */
#ifndef MMSIM_ESP_MM_INSPECT_H
#define MMSIM_ESP_MM_INSPECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "esp_err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One region of linear address space after the boot's coalescing. */
typedef struct {
    uint32_t bus_id;          /* cache_bus_mask_t */
    uint32_t start, end;      /* linear addresses, end exclusive */
    uint32_t free_head;       /* [start, free_head) was reserved at boot */
    uint32_t vaddr_start;     /* `start` as a virtual address (instruction if caps has EXEC) */
    size_t max_slot_size;     /* the largest free slot */
    int caps;                 /* mmu_mem_caps_t */
    uint32_t targets;         /* mmu_target_t bits */
    int block_count;          /* mapped blocks (the list's dummies not counted) */
} esp_mmu_map_region_info_t;

/* One mapped block. */
typedef struct {
    uint32_t laddr_start, laddr_end;
    uint32_t vaddr_start, vaddr_end;
    uint32_t paddr_start, paddr_end;
    int caps;                 /* as the caller passed them */
    uint32_t target;          /* mmu_target_t */
} esp_mmu_map_block_info_t;

/* The number of regions (0 before esp_mmu_map_init). */
int esp_mmu_map_region_count(void);
/* Region `region`, and its block `block` in address order.  ESP_ERR_INVALID_ARG for an
 * index out of range or a NULL out (left untouched). */
esp_err_t esp_mmu_map_region_info(int region, esp_mmu_map_region_info_t *out);
esp_err_t esp_mmu_map_block_info(int region, int block, esp_mmu_map_block_info_t *out);

/* ESP32 himem's bank window and RAM blocks. */
typedef struct {
    bool available;           /* himem initialised (ESP32 with PSRAM past the window) */
    uint32_t window_vaddr;    /* virtual address of the first bank window page */
    uint32_t page_size;       /* ESP_HIMEM_BLKSZ */
    int window_pages;         /* CONFIG_SPIRAM_BANKSWITCH_RESERVE */
    int ram_blocks;           /* physical 32 KB blocks himem hands out */
    uint32_t ram_paddr;       /* PSRAM address of RAM block 0 */
} esp_himem_info_t;

typedef struct {
    bool alloced, mapped;
    /* esp_himem_unmap released the page and nothing mapped it since, while its MMU
     * entry still reaches the old bank (the hardware keeps no trace of the release). */
    bool released;
    int ram_block;            /* what the page maps, or mapped last (himem's own record) */
} esp_himem_page_info_t;

/* ESP_OK with *out filled (available false where himem is not); INVALID_ARG for NULL. */
esp_err_t esp_himem_info(esp_himem_info_t *out);
/* Window page `page` (0 .. window_pages-1) and RAM block `block`.  ESP_ERR_INVALID_ARG
 * out of range, NULL, or himem not available. */
esp_err_t esp_himem_page_info(int page, esp_himem_page_info_t *out);
esp_err_t esp_himem_block_info(int block, bool *alloced, bool *mapped);

#ifdef __cplusplus
}
#endif

#endif
