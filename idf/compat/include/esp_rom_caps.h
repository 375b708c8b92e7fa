/* esp_rom_caps.h (compat) - ROM capabilities.  The drivers only test them in #if, and
 * none of the simulated chips' ROM features changes what the drivers do, so none is
 * defined (each tests as 0). */
#ifndef MMSIM_IDF_COMPAT_ESP_ROM_CAPS_H
#define MMSIM_IDF_COMPAT_ESP_ROM_CAPS_H
#endif
