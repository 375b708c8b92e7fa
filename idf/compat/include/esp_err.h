/* esp_err.h (compat) - ESP-IDF's error codes for the upstream driver sources: the same
 * header our driver uses (sim/include/esp_err.h, by the path idf/CMakeLists.txt puts
 * in MMSIM_ESP_ERR_H_PATH: this file shadows it on the include path), so codes and names agree by
 * construction.  ESP-IDF's esp_err.h also brings <stdio.h> and <assert.h>, which the
 * upstream sources rely on (FILE in esp_mmu_map.h, assert(): the compatibility
 * layer's, see assert.h there). */
#pragma once
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include MMSIM_ESP_ERR_H_PATH
