/* esp_bit_defs.h (compat) - ESP-IDF's BIT() and BITn helpers. */
#ifndef MMSIM_IDF_COMPAT_ESP_BIT_DEFS_H
#define MMSIM_IDF_COMPAT_ESP_BIT_DEFS_H

#ifndef BIT
#define BIT(nr) (1UL << (nr))
#endif
#define BIT64(nr) (1ULL << (nr))

#endif
