/* framebuffer.h - an RGB565 framebuffer in PSRAM, drawn by the CPU through pointers and
 * sent to a display by DMA, as a firmware component. */
#ifndef FRAMEBUFFER_H
#define FRAMEBUFFER_H

#include <stdbool.h>
#include <stdint.h>

#include "esp_err.h"

typedef struct {
    uint16_t *pixels; /* in PSRAM */
    int width, height;
} framebuffer_t;

esp_err_t fb_init(framebuffer_t *fb, int width, int height);
void fb_free(framebuffer_t *fb);
void fb_fill_rect(framebuffer_t *fb, int x, int y, int w, int h, uint16_t color);
uint16_t fb_get_pixel(const framebuffer_t *fb, int x, int y);
/* Make the frame visible to DMA (write the cache back); `skip_sync` is the bug. */
esp_err_t fb_prepare_for_dma(framebuffer_t *fb, bool skip_sync);
/* Before the CPU reads what DMA wrote (a camera overlay): drop the cached lines. */
esp_err_t fb_after_dma_write(framebuffer_t *fb);

#endif
