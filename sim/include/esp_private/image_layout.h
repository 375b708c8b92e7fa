/* esp_private/image_layout.h - where the bootloader mapped the running app's flash code
 * (IROM) and read-only data (DROM): what ESP-IDF's linker symbols
 * _instruction_reserved_start/_end and _rodata_reserved_start/_end give on the chip.
 *
 * The simulated boot maps app_irom_size bytes of flash from the config's app_offset
 * (IMAGE_LAYOUT_FLASH_OFFSET, the factory app, unless set) at the start of the first executable region, and app_drom_size bytes after them at
 * the start of the first readable data region (after the IROM on chips whose I and D
 * share one linear region).  Virtual addresses; start == end when a part is empty. */
#ifndef MMSIM_ESP_PRIVATE_IMAGE_LAYOUT_H
#define MMSIM_ESP_PRIVATE_IMAGE_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define IMAGE_LAYOUT_FLASH_OFFSET 0x10000u /* the factory app partition */

uint32_t image_layout_irom_start(void);
uint32_t image_layout_irom_end(void);
uint32_t image_layout_drom_start(void);
uint32_t image_layout_drom_end(void);
/* The page a user's app's bootloader mapped at the last DROM entry "for app to find the
 * boot partition" (MMU_DROM_END_ENTRY_VADDR), which stays mapped unless the app's
 * image_process invalidated it (CONFIG_SPIRAM_FLASH_LOAD_TO_PSRAM); 0: none (ESP32, the
 * synthetic app, or invalidated).  The map driver does not book it: its region counts
 * the page free while the entry is valid. */
uint32_t image_layout_boot_page(void);
/* The XIP copy of ESP32-P4/S31 (CONFIG_SPIRAM_FLASH_LOAD_TO_PSRAM with an MMU per
 * memory) reads flash through that same last DROM entry and leaves it mapped, as
 * upstream's s_do_load_from_flash does: it says so here, so that the page is known to
 * be mapped outside the map driver's books as the boot page is. */
void image_layout_set_boot_page(uint32_t vaddr);
/* image_process_get_flash_segments_info: the flash offsets of the data of the app's
 * rodata and text segments (the first and second segment in the mapped range), as the
 * app's image_process reads them from its image header; 0 when there is none. */
void image_layout_flash_segments(uint32_t *drom_paddr, uint32_t *irom_paddr);
/* XIP from PSRAM: the PSRAM start-up records that it copied segment `text` (0: rodata,
 * 1: text) from flash `flash_paddr` on to PSRAM `psram_paddr` on, page for page, so that
 * spi_flash_cache2phys can give the app's own addresses their flash offsets as ESP-IDF
 * does.  image_layout_xip: false if the segment was not moved (then outs untouched). */
void image_layout_set_xip(int text, uint32_t flash_paddr, uint32_t psram_paddr);
bool image_layout_xip(int text, uint32_t *flash_paddr, uint32_t *psram_paddr);
/* The same for cache2phys and phys2cache, with the moved segment's whole pages: the
 * first vaddr page and the page count (CONFIG_MMU_PAGE_SIZE pages).  False if the
 * segment is empty or was not moved (then outs untouched). */
bool image_layout_xip_pages(int text, uint32_t *vaddr, uint32_t *pages, uint32_t *flash_paddr,
                            uint32_t *psram_paddr);

#ifdef __cplusplus
}
#endif

#endif
