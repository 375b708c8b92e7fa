/* framebuffer.c - the framebuffer component: heap_caps_malloc'd PSRAM, plain pointer
 * drawing, and the cache maintenance DMA needs, as on the chip. */
#include "framebuffer.h"

#include <stddef.h>

#include "esp_cache.h"
#include "esp_heap_caps.h"

static size_t frame_bytes(const framebuffer_t *fb) { return (size_t)fb->width * (size_t)fb->height * 2u; }

esp_err_t fb_init(framebuffer_t *fb, int width, int height)
{
    fb->width = width;
    fb->height = height;
    fb->pixels = heap_caps_aligned_alloc(64, frame_bytes(fb), MALLOC_CAP_SPIRAM);
    return fb->pixels ? ESP_OK : ESP_ERR_NO_MEM;
}

void fb_free(framebuffer_t *fb) { heap_caps_free(fb->pixels); }

void fb_fill_rect(framebuffer_t *fb, int x, int y, int w, int h, uint16_t color)
{
    for (int row = y; row < y + h; row++)
        for (int col = x; col < x + w; col++)
            fb->pixels[row * fb->width + col] = color;
}

uint16_t fb_get_pixel(const framebuffer_t *fb, int x, int y) { return fb->pixels[y * fb->width + x]; }

esp_err_t fb_prepare_for_dma(framebuffer_t *fb, bool skip_sync)
{
    if (skip_sync)
        return ESP_OK;
    return esp_cache_msync(fb->pixels, frame_bytes(fb), ESP_CACHE_MSYNC_FLAG_DIR_C2M);
}

esp_err_t fb_after_dma_write(framebuffer_t *fb)
{
    return esp_cache_msync(fb->pixels, frame_bytes(fb), ESP_CACHE_MSYNC_FLAG_DIR_M2C);
}
