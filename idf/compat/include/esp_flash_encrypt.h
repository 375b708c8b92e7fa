/* esp_flash_encrypt.h (compat) - flash encryption is off on the simulated chips (see
 * esp_efuse.h); nothing of this header is used by the sources built. */
#ifndef MMSIM_IDF_COMPAT_ESP_FLASH_ENCRYPT_H
#define MMSIM_IDF_COMPAT_ESP_FLASH_ENCRYPT_H

#include "esp_efuse.h"

#endif
