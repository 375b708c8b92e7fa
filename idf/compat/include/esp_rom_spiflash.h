/* esp_rom_spiflash.h (compat) - the ROM's flash driver state, of which flash_mmap.c
 * reads one field: g_rom_flashchip.chip_size, the flash size the bootloader told the
 * ROM.  It is the bound chip's flash size here, read at each use (machines differ in
 * flash size; a global cannot follow them). */
#ifndef MMSIM_IDF_COMPAT_ESP_ROM_SPIFLASH_H
#define MMSIM_IDF_COMPAT_ESP_ROM_SPIFLASH_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    uint32_t device_id;
    uint32_t chip_size; /* bytes */
    uint32_t block_size;
    uint32_t sector_size;
    uint32_t page_size;
    uint32_t status_mask;
} esp_rom_spiflash_chip_t;

/* The bound chip's values (compat_spi_flash.c). */
const esp_rom_spiflash_chip_t *mmsim_idf_rom_flashchip(void);
#define g_rom_flashchip (*mmsim_idf_rom_flashchip())

#ifdef __cplusplus
}
#endif

#endif
