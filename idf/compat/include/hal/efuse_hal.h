/* hal/efuse_hal.h (compat) - the eFuse HAL query partition.c makes with virtual eFuses
 * kept in flash (CONFIG_EFUSE_VIRTUAL_KEEP_IN_FLASH, not set here). */
#ifndef MMSIM_IDF_COMPAT_HAL_EFUSE_HAL_H
#define MMSIM_IDF_COMPAT_HAL_EFUSE_HAL_H

#include <stdbool.h>

bool efuse_hal_flash_encryption_enabled(void);

#endif
