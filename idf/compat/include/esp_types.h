/* esp_types.h (compat) - ESP-IDF's catch-all of the standard integer headers. */
#ifndef MMSIM_IDF_COMPAT_ESP_TYPES_H
#define MMSIM_IDF_COMPAT_ESP_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#endif
