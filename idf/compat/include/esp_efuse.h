/* esp_efuse.h (compat) - the one eFuse query the partition code makes.  The simulated
 * chips have flash encryption off in eFuse (a chip as it leaves the factory). */
#ifndef MMSIM_IDF_COMPAT_ESP_EFUSE_H
#define MMSIM_IDF_COMPAT_ESP_EFUSE_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* False: no partition is treated as encrypted (compat_spi_flash.c). */
bool esp_efuse_is_flash_encryption_enabled(void);

#ifdef __cplusplus
}
#endif

#endif
