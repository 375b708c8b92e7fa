/* esp_private/esp_psram_impl.h - the PSRAM device driver's size query (ESP-IDF name),
 * answered by the simulated board. */
#ifndef MMSIM_ESP_PSRAM_IMPL_H
#define MMSIM_ESP_PSRAM_IMPL_H

#include <stdint.h>

#include "esp_err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The PSRAM size in bytes (0 and ESP_ERR_INVALID_STATE without PSRAM). */
esp_err_t esp_psram_impl_get_available_size(uint32_t *out_size_bytes);

#ifdef __cplusplus
}
#endif

#endif
