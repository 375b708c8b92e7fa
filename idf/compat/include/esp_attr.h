/* esp_attr.h (compat) - ESP-IDF's placement attributes.  On the host there is no IRAM,
 * DRAM or RTC memory: the placement ones are empty, the inlining ones keep their
 * meaning. */
#ifndef MMSIM_IDF_COMPAT_ESP_ATTR_H
#define MMSIM_IDF_COMPAT_ESP_ATTR_H

#define IRAM_ATTR
#define DRAM_ATTR
#define IRAM_DATA_ATTR
#define RTC_IRAM_ATTR
#define EXT_RAM_BSS_ATTR
#define EXT_RAM_NOINIT_ATTR
#define NOINIT_ATTR
#define WORD_ALIGNED_ATTR __attribute__((aligned(4)))
#define FORCE_INLINE_ATTR static inline __attribute__((always_inline))
#define NOINLINE_ATTR __attribute__((noinline))
/* The bitwise operators of a flag enum, which ESP-IDF defines for C++ only. */
#define FLAG_ATTR(TYPE)

#endif
