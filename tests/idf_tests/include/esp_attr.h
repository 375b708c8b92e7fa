/* esp_attr.h (idf_tests) - ESP-IDF's placement attributes: the host has no IRAM, DRAM or
 * RTC memory, so they place nothing. */
#pragma once
#define IRAM_ATTR
#define DRAM_ATTR
#define WORD_ALIGNED_ATTR __attribute__((aligned(4)))
#define FORCE_INLINE_ATTR static inline __attribute__((always_inline))
#define NOINLINE_ATTR __attribute__((noinline))
