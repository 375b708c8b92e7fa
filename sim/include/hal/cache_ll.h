/* hal/cache_ll.h - ESP-IDF's cache low-level layer (components/hal/<chip>/include/hal/cache_ll.h)
 * on the simulated chip bound to this thread: the per-chip constants and the functions
 * the external-memory drivers call.
 *
 * The CACHE_LL_* constants are RUNTIME EXPRESSIONS of the bound chip (the chip is chosen
 * at run time): compare them with ==, use them in `if`; never in `#if`.  With no chip
 * bound they are 0.  The functions are ordinary functions on the bound machine (static
 * inline per chip in ESP-IDF); broken asserts are recorded as MMSIM_HAZARD_HAL_ASSERT. */
#ifndef MMSIM_HAL_CACHE_LL_H
#define MMSIM_HAL_CACHE_LL_H

#include <stdbool.h>
#include <stdint.h>

#include "hal/cache_types.h"
#include "soc/soc_caps.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Simulator helpers behind the macros below (derived from the bound chip). */
uint32_t hal_cache_ll_level_int_mem(void);
uint32_t hal_cache_ll_level_ext_mem(void);
uint32_t hal_cache_ll_level_nums(void);
uint32_t hal_cache_ll_id_all(void);
uint32_t hal_cache_ll_default_ibus_mask(void);
uint32_t hal_cache_ll_default_dbus_mask(void);

/* Cache level of internal / external memory: 0 / 1, except P4 1 / 2. */
#define CACHE_LL_LEVEL_INT_MEM (hal_cache_ll_level_int_mem())
#define CACHE_LL_LEVEL_EXT_MEM (hal_cache_ll_level_ext_mem())
/* Number of cache levels (P4 2, others 1) and the "all levels" value above them. */
#define CACHE_LL_LEVEL_NUMS (hal_cache_ll_level_nums())
#define CACHE_LL_LEVEL_ALL (hal_cache_ll_level_nums() + 1u)
/* The "every cache of a level and type" id (ESP32/S3 2, P4 3, single-core chips 1). */
#define CACHE_LL_ID_ALL (hal_cache_ll_id_all())
/* P4: external memory is cached by L2 (esp_mmu_map then asks cache_ll_l2_get_bus). */
#define CACHE_LL_EXT_MEM_VIA_L2CACHE (hal_cache_ll_level_ext_mem() == 2u)
/* The buses cache_hal_init enables on each core. */
#define CACHE_LL_DEFAULT_IBUS_MASK ((cache_bus_mask_t)hal_cache_ll_default_ibus_mask())
#define CACHE_LL_DEFAULT_DBUS_MASK ((cache_bus_mask_t)hal_cache_ll_default_dbus_mask())

/* The buses of the windows [vaddr_start, vaddr_start+len) touches (HAL_ASSERT and 0 if
 * vaddr_start is in no window).  P4: the default I|D masks whatever the range, as upstream. */
cache_bus_mask_t cache_ll_l1_get_bus(uint32_t cache_id, uint32_t vaddr_start, uint32_t len);

/* P4: the L2 buses of the flash (IBUS0|DBUS0) or PSRAM (IBUS1|DBUS1) window holding the
 * whole range (HAL_ASSERT and 0 otherwise).  Window-based on every chip. */
cache_bus_mask_t cache_ll_l2_get_bus(uint32_t cache_id, uint32_t vaddr_start, uint32_t len);

/* Enable `mask`'s buses on core bus_id (ids past the last core name the last core, as
 * the chips' register selection does).  HAL_ASSERT for a bus the chip has no window on.
 * P4: no-op (upstream: "not used"). */
void cache_ll_l1_enable_bus(uint32_t bus_id, cache_bus_mask_t mask);

/* Disable `mask`'s buses on core bus_id (as cache_ll_l1_enable_bus). */
void cache_ll_l1_disable_bus(uint32_t bus_id, cache_bus_mask_t mask);

/* The buses enabled on core cache_id, limited to the chip's window buses. */
cache_bus_mask_t cache_ll_l1_get_enabled_bus(uint32_t cache_id);

/* The level and id of a range lying in one cacheable window (cache_hal_vaddr_to_cache_level_id). */
bool cache_ll_vaddr_to_cache_level_id(uint32_t vaddr_start, uint32_t len, uint32_t *out_level, uint32_t *out_id);

/* Invalidate the lines covering the range at cache_level and above it (P4 level 2: L1
 * then L2), every instance; type and cache_id are ignored (the HAL passes ALL). */
void cache_ll_invalidate_addr(uint32_t cache_level, cache_type_t type, uint32_t cache_id, uint32_t vaddr,
                              uint32_t size);

/* Write back the dirty D lines covering the range (as cache_ll_invalidate_addr). */
void cache_ll_writeback_addr(uint32_t cache_level, cache_type_t type, uint32_t cache_id, uint32_t vaddr,
                             uint32_t size);

/* Invalidate whole caches up to cache_level (dirty lines are lost) on core cache_id, or on
 * every core for CACHE_LL_ID_ALL; type is ignored. */
void cache_ll_invalidate_all(uint32_t cache_level, cache_type_t type, uint32_t cache_id);

/* Write back whole D caches up to cache_level on core cache_id or every core (CACHE_LL_ID_ALL). */
void cache_ll_writeback_all(uint32_t cache_level, cache_type_t type, uint32_t cache_id);

/* The line size of the `type` cache at cache_level (a shared I/D cache for either type;
 * 0 if the level has none).  HAL_ASSERT for CACHE_TYPE_ALL where I and D are split
 * (S2/S3); P4 level 1 then returns 0 as upstream. */
uint32_t cache_ll_get_line_size(uint32_t cache_level, cache_type_t type, uint32_t cache_id);

#ifdef __cplusplus
}
#endif

#endif
