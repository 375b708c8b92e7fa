/* soc/soc.h - where ESP-IDF's driver code finds SOC_EXTRAM_DATA_LOW/HIGH (esp_himem.c
 * includes this); here they live with the other runtime SOC values. */
#ifndef MMSIM_SOC_SOC_H
#define MMSIM_SOC_SOC_H

#include "soc/ext_mem_defs.h"
#include "soc/soc_caps.h"

#endif
