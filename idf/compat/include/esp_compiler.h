/* esp_compiler.h (compat) - ESP-IDF's branch hints and diagnostic push/pop helpers. */
#ifndef MMSIM_IDF_COMPAT_ESP_COMPILER_H
#define MMSIM_IDF_COMPAT_ESP_COMPILER_H

#ifndef likely
#define likely(x) __builtin_expect(!!(x), 1)
#endif
#ifndef unlikely
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

/* Upstream silences GCC's static analyzer around a few lines; the host build does not
 * run the analyzer, so these expand to nothing. */
#define ESP_COMPILER_DIAGNOSTIC_PUSH_IGNORE(warning)
#define ESP_COMPILER_DIAGNOSTIC_POP(warning)

#endif
