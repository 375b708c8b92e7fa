/* esp_flash.h (idf_tests) - mmsim's esp_flash.h, plus the encrypted read and write that
 * the tests' helpers name on the path taken only with flash encryption on.  The
 * simulated chips have it off (esp_efuse.h); if a test reached them anyway they fail
 * the case with ESP_ERR_NOT_SUPPORTED and say why (compat.c). */
#pragma once
#include_next <esp_flash.h>

esp_err_t esp_flash_read_encrypted(esp_flash_t *chip, uint32_t address, void *out_buffer, uint32_t length);
esp_err_t esp_flash_write_encrypted(esp_flash_t *chip, uint32_t address, const void *buffer, uint32_t length);
