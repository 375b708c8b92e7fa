/* esp_private/flash_mmap.h - what the flash driver asks of the mmap API (ESP-IDF's
 * name), and the host port's per-chip spi_flash_mmap state (see esp_mmu_map_private.h
 * for why drivers keep state in a context). */
#ifndef MMSIM_FLASH_MMAP_PRIVATE_H
#define MMSIM_FLASH_MMAP_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "esp_err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Are any spi_flash_mmap/_pages mappings still open (not released by munmap)? */
bool flash_mmap_remain(void);

/* Master only (not ESP32): a flash write or erase freezes the mmap lock before SPI1
 * and unfreezes it after; the freeze waits for every mapping made with
 * SPI_FLASH_MMAP_FLAG_BLOCKS_WRITE to be unmapped. */
void flash_mmap_lock_freeze(void);
void flash_mmap_lock_unfreeze(void);

/* Host port: start-up makes a fresh context current; the current one, switching to
 * another (NULL: none, and spi_flash_mmap then returns ESP_ERR_NO_MEM), and freeing
 * one with the handles the program did not release (their mappings stay). */
typedef struct spi_flash_mmap_ctx spi_flash_mmap_ctx_t;
void spi_flash_mmap_init(void);
spi_flash_mmap_ctx_t *spi_flash_mmap_ctx_current(void);
void spi_flash_mmap_ctx_switch(spi_flash_mmap_ctx_t *ctx);
void spi_flash_mmap_ctx_free(spi_flash_mmap_ctx_t *ctx);

/* Host port: the open mappings, and how many were made with
 * SPI_FLASH_MMAP_FLAG_BLOCKS_WRITE (each holds the mmap lock until munmap, so a flash
 * write or erase from the same task would wait forever on the chip). */
size_t spi_flash_mmap_open_count(void);
size_t spi_flash_mmap_blocking_count(void);

#ifdef __cplusplus
}
#endif

#endif
