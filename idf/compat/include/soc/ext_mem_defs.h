/* soc/ext_mem_defs.h (compat) - the MMU address constants of one chip, including the
 * SOC_MMU_<REGION>_LINEAR_ADDRESS_LOW/HIGH rows ext_mem_layout.c builds its table
 * from; generated (mmsim_idf_soc.h). */
#pragma once
#include "hal/mmu_types.h"
#include "mmsim_idf_soc.h"
