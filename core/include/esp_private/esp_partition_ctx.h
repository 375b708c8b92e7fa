/* esp_private/esp_partition_ctx.h - the host port's per-chip partition state (see
 * esp_mmu_map_private.h for why drivers keep state in a context): the list loaded from
 * the table, the external partitions, the iterators the program did not release. */
#ifndef MMSIM_ESP_PARTITION_CTX_H
#define MMSIM_ESP_PARTITION_CTX_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct esp_partition_ctx esp_partition_ctx_t;

/* A fresh context (nothing loaded) made current; NULL if out of memory. */
esp_partition_ctx_t *esp_partition_ctx_new(void);
esp_partition_ctx_t *esp_partition_ctx_current(void);
/* Make `ctx` current (NULL: none; the calls then find nothing). */
void esp_partition_ctx_switch(esp_partition_ctx_t *ctx);
/* Free it with everything it holds (NULL ignored). */
void esp_partition_ctx_free(esp_partition_ctx_t *ctx);

#ifdef __cplusplus
}
#endif

#endif
