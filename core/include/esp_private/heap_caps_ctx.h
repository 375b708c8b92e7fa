/* esp_private/heap_caps_ctx.h - the host port's per-chip heap state (see
 * esp_mmu_map_private.h for why drivers keep their state in a context). */
#ifndef MMSIM_HEAP_CAPS_CTX_H
#define MMSIM_HEAP_CAPS_CTX_H

#include <stddef.h>

#include "esp_err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The current context (created by the first heap_caps_add_region_with_caps when there
 * is none), switching to another (NULL: no heaps), and freeing one. */
typedef struct heap_caps_ctx heap_caps_ctx_t;
heap_caps_ctx_t *heap_caps_ctx_current(void);
void heap_caps_ctx_switch(heap_caps_ctx_t *ctx);
void heap_caps_ctx_free(heap_caps_ctx_t *ctx);

/* The current heaps' bookkeeping: chunks tile each region in address order, no two
 * free chunks side by side, the free count and low-water mark agree with them.
 * ESP_FAIL with the first broken rule in `why`. */
esp_err_t heap_caps_check_invariants(char *why, size_t why_len);

#ifdef __cplusplus
}
#endif

#endif
