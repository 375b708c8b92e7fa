/* hal/cache_ll.h (compat) - the simulator's cache LL (sim/include/hal/cache_ll.h: the
 * functions of the HAL boundary) with its CACHE_LL_* constants replaced by the chip's
 * compile-time values, since upstream tests CACHE_LL_EXT_MEM_VIA_L2CACHE in #if. */
#pragma once
#include_next "hal/cache_ll.h"
#include "mmsim_idf_soc.h"

#undef CACHE_LL_LEVEL_INT_MEM
#undef CACHE_LL_LEVEL_EXT_MEM
#undef CACHE_LL_LEVEL_NUMS
#undef CACHE_LL_LEVEL_ALL
#undef CACHE_LL_ID_ALL
#undef CACHE_LL_EXT_MEM_VIA_L2CACHE
#define CACHE_LL_LEVEL_INT_MEM MMSIM_IDF_CACHE_LL_LEVEL_INT_MEM
#define CACHE_LL_LEVEL_EXT_MEM MMSIM_IDF_CACHE_LL_LEVEL_EXT_MEM
#define CACHE_LL_LEVEL_NUMS MMSIM_IDF_CACHE_LL_LEVEL_NUMS
#define CACHE_LL_LEVEL_ALL (MMSIM_IDF_CACHE_LL_LEVEL_NUMS + 1)
#define CACHE_LL_ID_ALL MMSIM_IDF_CACHE_LL_ID_ALL
#ifdef MMSIM_IDF_CACHE_LL_EXT_MEM_VIA_L2CACHE
#define CACHE_LL_EXT_MEM_VIA_L2CACHE 1
#endif
