/* esp_flash.h - ESP-IDF's flash read/write/erase API (same names and signatures) on
 * the main flash chip.  Writes and erases go through SPI1 and then invalidate the
 * cached lines of pages the map driver has mapped over the range, as ESP-IDF does. */
#ifndef MMSIM_ESP_FLASH_H
#define MMSIM_ESP_FLASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "esp_err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A flash chip.  Only the main one exists here: pass NULL or esp_flash_default_chip. */
typedef struct esp_flash_t esp_flash_t;
extern esp_flash_t *esp_flash_default_chip;

/* The chip's size in bytes into *out_size: ESP_OK; ESP_ERR_INVALID_ARG for a NULL
 * out_size or another chip. */
esp_err_t esp_flash_get_size(esp_flash_t *chip, uint32_t *out_size);

/* ESP_OK; ESP_ERR_INVALID_ARG for a NULL buffer, another chip, or a range outside the
 * flash (erase: start and length must be 4 KB multiples). */
esp_err_t esp_flash_read(esp_flash_t *chip, void *buffer, uint32_t address, uint32_t length);
esp_err_t esp_flash_write(esp_flash_t *chip, const void *buffer, uint32_t address, uint32_t length);
esp_err_t esp_flash_erase_region(esp_flash_t *chip, uint32_t start, uint32_t len);

/* After SPI1 changed [start_addr, start_addr+length): for each MMU page of it that a
 * driver block maps (esp_mmu_paddr_find_caps), invalidate the cache at the FIRST
 * virtual address the MMU maps that page at (ESP32: write back PSRAM and flush both
 * caches).  Another alias of the page stays stale, as on ESP-IDF.  True if anything
 * was invalidated. */
bool spi_flash_check_and_flush_cache(size_t start_addr, size_t length);

#ifdef __cplusplus
}
#endif

#endif
