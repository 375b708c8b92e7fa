/* esp_ota_ops.h (compat) - the one app_update function the partition code calls
 * (esp_partition_main_flash_region_safe): the partition the app runs from. */
#ifndef MMSIM_IDF_COMPAT_ESP_OTA_OPS_H
#define MMSIM_IDF_COMPAT_ESP_OTA_OPS_H

#include "esp_partition.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The app partition holding the flash offset the simulated bootloader loads the app
 * from (esp_private/image_layout.h), else the first app partition, else NULL. */
const esp_partition_t *esp_ota_get_running_partition(void);

#ifdef __cplusplus
}
#endif

#endif
