/* hal/spi1_flash.h - the SPI1 flash operations of the bound chip (the simulator's
 * stand-in for ESP-IDF's spi_flash host driver): they reach the flash directly and
 * do no cache maintenance, exactly like the peripheral. */
#ifndef MMSIM_HAL_SPI1_FLASH_H
#define MMSIM_HAL_SPI1_FLASH_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Flash size in bytes (0 with no chip bound). */
uint32_t spi1_flash_size(void);

/* Read, NOR-program (bits only clear) and erase (4 KB aligned) through SPI1.  False
 * for a range outside the flash, bad alignment, or no chip bound; nothing changes then. */
bool spi1_flash_read(uint32_t addr, void *buf, uint32_t len);
bool spi1_flash_program(uint32_t addr, const void *buf, uint32_t len);
bool spi1_flash_erase(uint32_t addr, uint32_t len);

#ifdef __cplusplus
}
#endif

#endif
