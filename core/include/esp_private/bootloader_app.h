/* esp_private/bootloader_app.h - the second-stage bootloader's last step and the app's
 * first (bootloader_utility.c unpack_load_app/set_cache_and_start_app, esp_image_format.c
 * process_segment's log line, esp_system/port/image_process.c): log each segment of the
 * app image it loaded, map the app's rodata (DROM) and code (IROM) from flash, map one
 * page at the last DROM entry for the app to find its partition, enable the buses; then,
 * in the app, read that page's flash address back and invalidate it.
 *
 * The image was read and verified by the caller (a file reader outside core/): this
 * part gets the segment table as plain numbers.  Through the HAL only. */
#ifndef MMSIM_ESP_PRIVATE_BOOTLOADER_APP_H
#define MMSIM_ESP_PRIVATE_BOOTLOADER_APP_H

#include <stddef.h>
#include <stdint.h>

#include "esp_err.h"

#ifdef __cplusplus
extern "C" {
#endif

#define BOOTLOADER_APP_MAX_SEGMENTS 16 /* ESP_IMAGE_MAX_SEGMENTS */

/* What the bootloader does with a segment (the word ending its log line). */
typedef enum {
    BOOTLOADER_SEG_SKIP = 0, /* padding or reserved address: "" */
    BOOTLOADER_SEG_LOAD = 1, /* copied to internal RAM: "load" */
    BOOTLOADER_SEG_MAP = 2,  /* mapped from flash (or PSRAM on P4): "map" */
} bootloader_seg_use_t;

typedef struct {
    uint32_t load_addr; /* the segment header's load address */
    uint32_t data_len;
    uint32_t data_addr; /* flash offset of its data */
    bootloader_seg_use_t use;
} bootloader_segment_t;

typedef struct {
    uint32_t image_offset;   /* the partition's flash offset */
    uint32_t segment_count;
    bootloader_segment_t segments[BOOTLOADER_APP_MAX_SEGMENTS];
    int drom_index, irom_index; /* the segments mapped as each (bootloader_utility.c's
                                   choice), -1: none */
    uint32_t mmu_page_size;  /* the page size to map with (the app descriptor's, or the
                                bootloader's CONFIG_MMU_PAGE_SIZE) */
} bootloader_app_image_t;

/* The app's mapped spans, as ESP-IDF's linker symbols give them to esp_mmu_map_init:
 * _rodata_reserved_start/_end and _instruction_reserved_start/_end (the segments'
 * load address and end; start == end when absent), and the boot page's vaddr. */
typedef struct {
    uint32_t drom_start, drom_end;
    uint32_t irom_start, irom_end;
    uint32_t boot_page_vaddr; /* MMU_DROM_END_ENTRY_VADDR, 0 on ESP32 (none mapped) */
} bootloader_app_spans_t;

/* ESP_LOGI("esp_image", "segment N: paddr=... vaddr=... size=...h (...) map") for each
 * segment, as image_load logs them while verifying. */
void bootloader_app_log_segments(const bootloader_app_image_t *app);

/* set_cache_and_start_app: the page size (chips where it is configurable), unmap all,
 * DROM and IROM aligned down to the page with the in-page offset added to the size
 * (ESP32: in both CPUs' tables), the boot page at the last DROM entry (not ESP32), and
 * the buses of both spans on core 0 and, unless single-core, core 1.  Fills *spans.
 * ESP_ERR_INVALID_ARG for a NULL argument, a segment index out of range or a span the
 * MMU does not accept (the HAL records its assert), else ESP_OK. */
esp_err_t bootloader_app_map(const bootloader_app_image_t *app, bootloader_app_spans_t *spans);

/* image_process (esp_system/port/image_process.c): the app reads the flash offset the
 * boot page maps (its own partition, to *part_offset) and invalidates that entry.
 * ESP_ERR_NOT_FOUND on ESP32 (no boot page) or when the entry is not valid. */
esp_err_t bootloader_app_image_process(uint32_t *part_offset);

#ifdef __cplusplus
}
#endif

#endif
