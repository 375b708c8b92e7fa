/* esp32s2/rom/cache.h - the ESP32-S2 ROM cache routines that drivers and libraries
 * call directly instead of esp_cache_msync
 * (components/esp_rom/esp32s2/include/esp32s2/rom/cache.h: these names, arguments and
 * return values), on the simulated chip bound to this thread (sim/hal_rom_cache.c).
 * Only the routines below are provided.  Called on a chip whose ROM lacks one, a
 * routine records an MMSIM_HAZARD_HAL_ASSERT hazard naming the chips that have it and
 * does nothing (returning ESP_ROM_ERR_INVALID_ARG or 0); with no machine bound,
 * nothing.  The same routines, with the same declarations, exist in ESP32-S2's and
 * ESP32-S3's ROM. */
#ifndef MMSIM_ESP32S2_ROM_CACHE_H
#define MMSIM_ESP32S2_ROM_CACHE_H

#include "rom/cache_rom_s2_s3.h"

#endif
