/* esp32c6/rom/cache.h - the ESP32-C6 ROM cache routines that drivers and libraries
 * call directly (components/esp_rom/esp32c6/include/esp32c6/rom/cache.h: these names,
 * arguments and return values), on the simulated chip bound to this thread
 * (sim/hal_rom_cache.c).  The chip's one cache is read-only, so its ROM has no
 * write-back or clean routine.  Only the routines below are provided.  Called on a
 * chip whose ROM lacks one, a routine records an MMSIM_HAZARD_HAL_ASSERT hazard and
 * does nothing (returning ESP_ROM_ERR_INVALID_ARG or 0); with no machine bound,
 * nothing.  ESP32-C2, C3, C6 and H2 have the same routines (and ESP32-S2/S3 these
 * among theirs). */
#ifndef MMSIM_ESP32C6_ROM_CACHE_H
#define MMSIM_ESP32C6_ROM_CACHE_H

#include "rom/cache_rom_icache_only.h"

#endif
