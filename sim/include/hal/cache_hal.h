/* hal/cache_hal.h - ESP-IDF's cache HAL (components/hal/include/hal/cache_hal.h and, for
 * ESP32, components/hal/esp32/cache_hal_esp32.c) on the simulated chip bound to this
 * thread.
 *
 * Same names, signatures and contracts as ESP-IDF (esp-idf-behaviour.md §4.3, §2.4,
 * §2.5).  A broken HAL_ASSERT is recorded as an MMSIM_HAZARD_HAL_ASSERT hazard and the
 * call returns false/0 without acting; ESP32's abort() in cache_hal_invalidate_addr is
 * recorded as MMSIM_HAZARD_ABORT.  With no machine bound every function does nothing.
 * Functions ESP-IDF declares only under SOC_CACHE_WRITEBACK_SUPPORTED or
 * SOC_CACHE_FREEZE_SUPPORTED are declared on every chip here and HAL_ASSERT on the
 * others.  Cache maintenance acts through the machine's bus (cycles go to the core
 * driver code runs on). */
#ifndef MMSIM_HAL_CACHE_HAL_H
#define MMSIM_HAL_CACHE_HAL_H

#include <stdbool.h>
#include <stdint.h>

#include "hal/cache_types.h"
#include "soc/soc_caps.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    uint8_t core_nums;           /* CPU cores */
    uint32_t l2_cache_size;      /* P4 L2 size (the machine's is fixed by the chip definition) */
    uint32_t l2_cache_line_size; /* P4 L2 line size (likewise) */
} cache_hal_config_t;

/* Enable the external-memory cache level and the default buses of cores 0..core_nums-1. */
void cache_hal_init(const cache_hal_config_t *config);

/* Disable the caches of `type` at cache_level (1..CACHE_LL_LEVEL_NUMS) on every core. */
void cache_hal_disable(uint32_t cache_level, cache_type_t type);

/* Enable the caches of `type` at cache_level on every core. */
void cache_hal_enable(uint32_t cache_level, cache_type_t type);

/* Suspend the caches of `type` at cache_level (as disable, contents kept); ESP32: both
 * CPUs' caches, remembering their enabled buses. */
void cache_hal_suspend(uint32_t cache_level, cache_type_t type);

/* Undo cache_hal_suspend (ESP32: re-enable both CPUs' caches and the saved buses). */
void cache_hal_resume(uint32_t cache_level, cache_type_t type);

/* True if every cache of `type` at cache_level is enabled (ESP32: both CPUs' caches). */
bool cache_hal_is_cache_enabled(uint32_t cache_level, cache_type_t type);

/* If [vaddr, vaddr+size) lies in one cacheable window: invalidate the I and D lines
 * covering it at its level (P4 level 2: L1 then L2); returns whether it did.  ESP32:
 * abort() (no per-address operation). */
bool cache_hal_invalidate_addr(uint32_t vaddr, uint32_t size);

/* Write-back chips only: write back the dirty D lines covering the range at its level
 * (P4 level 2: L1 D then L2); returns whether the range was cacheable.  The simulator
 * also returns false when it ran out of host memory writing a line back (the line stays
 * dirty; mmsim_last_error() says which). */
bool cache_hal_writeback_addr(uint32_t vaddr, uint32_t size);

/* Freeze-capable chips only: freeze the caches (stalls only; no effect on data). */
void cache_hal_freeze(uint32_t cache_level, cache_type_t type);

/* Undo one cache_hal_freeze (HAL_ASSERT if none is in force). */
void cache_hal_unfreeze(uint32_t cache_level, cache_type_t type);

/* The line size msync aligns to: external level -> its (D or I) line size (ESP32: 4;
 * C2/C3/C6/H2: the ICache line for either type; P4 level 2: the L2 line); internal
 * level -> 0, except P4 level 1 (the L1 I or D line). */
uint32_t cache_hal_get_cache_line_size(uint32_t cache_level, cache_type_t type);

/* The cache level and id of [vaddr_start, vaddr_start+len) if it lies entirely in one
 * cacheable window of §2.4; false (outputs untouched) otherwise or for NULL outputs. */
bool cache_hal_vaddr_to_cache_level_id(uint32_t vaddr_start, uint32_t len, uint32_t *out_level, uint32_t *out_id);

#ifdef __cplusplus
}
#endif

#endif
