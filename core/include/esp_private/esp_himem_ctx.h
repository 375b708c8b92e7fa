/* esp_private/esp_himem_ctx.h - the start-up side of himem and the host port's per-chip
 * himem state (see esp_mmu_map_private.h for why drivers keep state in a context). */
#ifndef MMSIM_ESP_HIMEM_CTX_H
#define MMSIM_ESP_HIMEM_CTX_H

#ifdef __cplusplus
extern "C" {
#endif

/* Start-up (ESP-IDF's constructor): on ESP32 with bank switching, size the bookkeeping
 * from the available PSRAM and log "Initialized. ..." (or why not).  Makes a context
 * current if there is none. */
void esp_himem_init(void);

/* Host port: the current context, switching to another (NULL: himem not available),
 * and freeing one with the handles the program did not free. */
typedef struct esp_himem_ctx esp_himem_ctx_t;
esp_himem_ctx_t *esp_himem_ctx_current(void);
void esp_himem_ctx_switch(esp_himem_ctx_t *ctx);
void esp_himem_ctx_free(esp_himem_ctx_t *ctx);

#ifdef __cplusplus
}
#endif

#endif
