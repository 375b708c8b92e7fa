/* bootloader_common.h (compat) - the one bootloader_support function the partition
 * code calls: the SHA-256 of a partition (esp_partition_get_sha256).  ESP-IDF's parses
 * an app or bootloader image and hashes the image; images are not parsed here, so an
 * app or bootloader partition is ESP_ERR_NOT_SUPPORTED and a data partition is hashed
 * whole, as our driver does (core/esp_partition.c). */
#ifndef MMSIM_IDF_COMPAT_BOOTLOADER_COMMON_H
#define MMSIM_IDF_COMPAT_BOOTLOADER_COMMON_H

#include <stdint.h>

#include "esp_err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ESP_OK and the digest; ESP_ERR_INVALID_ARG for a NULL digest or an empty partition;
 * ESP_ERR_NOT_SUPPORTED for an app or bootloader partition; else esp_flash_read's
 * error. */
esp_err_t bootloader_common_get_sha256_of_partition(uint32_t address, uint32_t size, int type,
                                                    uint8_t *out_sha_256);

#ifdef __cplusplus
}
#endif

#endif
