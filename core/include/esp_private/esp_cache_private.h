/* esp_private/esp_cache_private.h - esp_mm's private cache helpers (ESP-IDF names):
 * alignment by heap caps, the cache-sync critical section, and the freeze helpers
 * the map driver brackets MMU writes with. */
#ifndef MMSIM_ESP_CACHE_PRIVATE_H
#define MMSIM_ESP_CACHE_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "esp_err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The data line size of the cache level a buffer with `heap_caps` lives behind
 * (external if MALLOC_CAP_SPIRAM is set, else internal; 0 if that level has no cache).
 * ESP_ERR_INVALID_ARG if out_alignment is NULL. */
esp_err_t esp_cache_get_alignment(uint32_t heap_caps, size_t *out_alignment);

/* The critical section cache maintenance runs in (one host thread per machine: no-op
 * apart from its nesting count, kept for balance checks). */
void esp_cache_sync_ops_enter_critical_section(void);
void esp_cache_sync_ops_exit_critical_section(void);

/* Freeze the external-memory caches and "disable interrupts" (chips with freeze). */
void esp_cache_freeze_caches_disable_interrupts(void);
void esp_cache_unfreeze_caches_enable_interrupts(void);

#ifdef __cplusplus
}
#endif

#endif
