/* esp_err.h (compat) - ESP-IDF's error codes for the upstream driver sources: the same
 * header our driver uses (sim/include/esp_err.h, by the path idf/CMakeLists.txt puts
 * in MMSIM_ESP_ERR_H_PATH: this file shadows it on the include path), so codes and names agree by
 * construction.  ESP-IDF's esp_err.h also brings <stdio.h> and <assert.h>, which the
 * upstream sources rely on (FILE in esp_mmu_map.h, assert()).
 *
 * assert() is redefined: on the chip a failed assertion aborts; here it records an
 * abort hazard naming the expression (mmsim_idf_assert_failed) and the code goes on,
 * as a broken HAL_ASSERT does in the simulator, so a run can report where the chip
 * would have stopped.  It is checked whatever NDEBUG says, as ESP-IDF's default
 * (assertions enabled) does. */
#pragma once
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include MMSIM_ESP_ERR_H_PATH

void mmsim_idf_assert_failed(const char *expr, const char *file, int line);
#undef assert
#define assert(e) ((e) ? (void)0 : mmsim_idf_assert_failed(#e, __FILE__, __LINE__))
