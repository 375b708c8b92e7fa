/* soc/soc.h (compat) - where esp_himem.c finds SOC_EXTRAM_DATA_LOW/HIGH; generated. */
#pragma once
#include "mmsim_idf_soc.h"
