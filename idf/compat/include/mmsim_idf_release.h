/* mmsim_idf_release.h (compat) - per-release adapters: what older ESP-IDF releases
 * expect of the code around them that differs from master's contracts, which our HAL
 * (sim/include/hal) follows.  Selected by the checkout's version, which the build
 * passes as MMSIM_IDF_VERSION_NUM (major*10000 + minor*100 + patch, from the
 * checkout's esp_idf_version.h; cmake/idf.cmake).  Included by the prelude, so only
 * upstream's sources see it.
 *
 * Releases checked: v5.1.7, v5.3.2, v5.5.5, v6.0.2, master.  A boundary between two
 * checked releases is placed at the next minor line after the older one and marked
 * [unchecked] where no release in between was built. */
#ifndef MMSIM_IDF_RELEASE_H
#define MMSIM_IDF_RELEASE_H

#ifndef MMSIM_IDF_VERSION_NUM
#define MMSIM_IDF_VERSION_NUM 999999 /* master-era contracts */
#endif
#define MMSIM_IDF_VERSION_AT_LEAST(major, minor, patch) \
    (MMSIM_IDF_VERSION_NUM >= (major) * 10000 + (minor) * 100 + (patch))

/* The image-bound linker symbols are `extern int` (v5.1.7, v5.3.2), `extern char` from
 * v5.4 [unchecked: v5.5.5 has char]. */
#define MMSIM_IDF_IMAGE_SYMBOLS_ARE_INT (!MMSIM_IDF_VERSION_AT_LEAST(5, 4, 0))

/* v5.1 (v5.1.7; v5.3.2 has the current forms, so the boundary is v5.2 [unchecked]):
 * - the LL's laddr -> vaddr conversion takes no target: `mmu_ll_laddr_to_vaddr(laddr,
 *   type)`.  The target only chooses the window on ESP32-P4, which v5.1 does not
 *   support, and our HAL ignores it elsewhere, so the call goes on with FLASH0;
 * - the cache HAL's line size takes no level: `cache_hal_get_cache_line_size(type)`,
 *   the line of the one cache in front of external memory, i.e. the external level
 *   (the only caller, msync, is for external memory);
 * - ext_mem_layout.c sizes its rows with `BUS_SIZE(row)`, master with SOC_BUS_SIZE.
 * Our HAL headers are included first, so their master-era declarations are read before
 * the older call forms are mapped onto them. */
#define MMSIM_IDF_V51_HAL (!MMSIM_IDF_VERSION_AT_LEAST(5, 2, 0))
#if MMSIM_IDF_V51_HAL
#include "hal/mmu_types.h"
#include "hal/mmu_ll.h"
#include "hal/cache_hal.h"
#include "mmsim_idf_soc.h"
#define mmu_ll_laddr_to_vaddr(laddr, vaddr_type) mmu_ll_laddr_to_vaddr((laddr), (vaddr_type), MMU_TARGET_FLASH0)
#define cache_hal_get_cache_line_size(type) \
    cache_hal_get_cache_line_size(MMSIM_IDF_CACHE_LL_LEVEL_EXT_MEM, (type))
#define BUS_SIZE(row) SOC_BUS_SIZE(row)
#endif

#endif
