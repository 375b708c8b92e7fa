/* esp_flash.h (compat) - ESP-IDF's flash API as the partition code calls it, on the
 * main flash chip only.  The functions are our flash write path (core/esp_flash.c,
 * compiled into the driver library as glue, see idf/CMakeLists.txt), whose contract
 * (core/include/esp_flash.h) is ESP-IDF's: SPI1 operations, then invalidation of the
 * mapped pages a write or erase touched.  Flash encryption is not simulated: the
 * encrypted variants are reported where they would be reached (compat_spi_flash.c). */
#ifndef MMSIM_IDF_COMPAT_ESP_FLASH_H
#define MMSIM_IDF_COMPAT_ESP_FLASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "esp_err.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct esp_flash_t esp_flash_t;
extern esp_flash_t *esp_flash_default_chip;

esp_err_t esp_flash_get_size(esp_flash_t *chip, uint32_t *out_size);
esp_err_t esp_flash_read(esp_flash_t *chip, void *buffer, uint32_t address, uint32_t length);
esp_err_t esp_flash_write(esp_flash_t *chip, const void *buffer, uint32_t address, uint32_t length);
esp_err_t esp_flash_erase_region(esp_flash_t *chip, uint32_t start, uint32_t len);
esp_err_t esp_flash_read_encrypted(esp_flash_t *chip, uint32_t address, void *out_buffer, uint32_t length);
esp_err_t esp_flash_write_encrypted(esp_flash_t *chip, uint32_t address, const void *buffer, uint32_t length);

#ifdef __cplusplus
}
#endif

#endif
