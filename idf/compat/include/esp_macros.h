/* esp_macros.h (compat) - ESP-IDF's alignment helpers (power-of-two alignments). */
#ifndef MMSIM_IDF_COMPAT_ESP_MACROS_H
#define MMSIM_IDF_COMPAT_ESP_MACROS_H

#include "esp_compiler.h"

#define ESP_ALIGN_UP(val, align) (((val) + ((align) - 1)) & ~((align) - 1))
#define ESP_ALIGN_DOWN(val, align) ((val) & ~((align) - 1))
#define ESP_STATIC_ASSERT _Static_assert

#endif
