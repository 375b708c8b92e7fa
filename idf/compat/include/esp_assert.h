/* esp_assert.h (compat) - ESP-IDF's compile-time assertion helpers. */
#ifndef MMSIM_IDF_COMPAT_ESP_ASSERT_H
#define MMSIM_IDF_COMPAT_ESP_ASSERT_H

#include <assert.h>

#ifndef ESP_STATIC_ASSERT
#define ESP_STATIC_ASSERT _Static_assert
#endif

#endif
