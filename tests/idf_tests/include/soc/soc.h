/* soc/soc.h (idf_tests) - the chip constants the tests read: the generated SOC_ values
 * of the variant (mmsim_idf_soc.h), and the data window the app's rodata is mapped in
 * (SOC_DROM_LOW/HIGH), read from the running machine (compat.c). */
#pragma once
#include <stdint.h>
#include "mmsim_idf_soc.h"

uint32_t mmsim_idftest_drom_low(void);
uint32_t mmsim_idftest_drom_high(void);
#define SOC_DROM_LOW (mmsim_idftest_drom_low())
#define SOC_DROM_HIGH (mmsim_idftest_drom_high())
