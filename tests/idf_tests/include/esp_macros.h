/* esp_macros.h (idf_tests) - ESP-IDF's alignment helpers (power-of-two alignments). */
#pragma once
#define ESP_ALIGN_UP(val, align) (((val) + ((align) - 1)) & ~((align) - 1))
#define ESP_ALIGN_DOWN(val, align) ((val) & ~((align) - 1))
#define ESP_STATIC_ASSERT _Static_assert
