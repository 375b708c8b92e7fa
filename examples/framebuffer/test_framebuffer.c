/* test_framebuffer.c - the framebuffer's host test on an ESP32-S3 (write-back data
 * cache over PSRAM): drawing through pointers, the display's DMA reading the frame
 * (stale without the write-back: dma_stale), and a camera's DMA writing an overlay
 * that the CPU then reads without invalidating: a stale_read naming framebuffer.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esp_mmu_map.h"
#include "framebuffer.h"
#include "mmsim.h"
#include "mmsim_direct.h"

#define CHECK(cond)                                                                 \
    do {                                                                            \
        if (!(cond)) {                                                              \
            fprintf(stderr, "%s:%d: check failed: %s (%s)\n", __FILE__, __LINE__, #cond, \
                    mmsim_last_error());                                            \
            exit(1);                                                                \
        }                                                                           \
    } while (0)

#define W 64
#define H 32

static mmsim_t *m;

/* What the display's DMA reads of pixel (x, y). */
static uint16_t dma_pixel(const framebuffer_t *fb, int x, int y)
{
    esp_paddr_t paddr;
    mmu_target_t target;
    CHECK(esp_mmu_vaddr_to_paddr(&fb->pixels[y * W + x], &paddr, &target) == ESP_OK);
    uint16_t v = 0;
    CHECK(mmsim_dma_read(m, MMSIM_TARGET_PSRAM, paddr, &v, 2) == 0);
    return v;
}

int main(void)
{
    mmsim_config_t cfg = mmsim_config_default("esp32s3");
    CHECK(mmsim_open(&cfg, &m) == 0);
    CHECK(mmsim_direct_attach(m) == 0);
    framebuffer_t fb;
    CHECK(fb_init(&fb, W, H) == ESP_OK);
    fb_fill_rect(&fb, 0, 0, W, H, 0x0000);
    CHECK(fb_prepare_for_dma(&fb, false) == ESP_OK);
    CHECK(dma_pixel(&fb, 5, 5) == 0x0000);

    /* The bug: a red square drawn, the frame sent without the write-back. */
    fb_fill_rect(&fb, 4, 4, 8, 8, 0xF800);
    CHECK(fb_get_pixel(&fb, 5, 5) == 0xF800); /* the CPU sees its own writes */
    mmsim_hazard_clear(m);
    CHECK(fb_prepare_for_dma(&fb, true) == ESP_OK);
    CHECK(dma_pixel(&fb, 5, 5) == 0x0000); /* the display shows the old frame */
    CHECK(mmsim_hazard_count_kind(m, MMSIM_HAZARD_DMA_STALE) >= 1);
    /* The fix. */
    CHECK(fb_prepare_for_dma(&fb, false) == ESP_OK);
    CHECK(dma_pixel(&fb, 5, 5) == 0xF800);

    /* A camera's DMA writes a blue pixel while the CPU's cache still holds the line. */
    CHECK(fb_get_pixel(&fb, 20, 20) == 0x0000); /* cached now */
    esp_paddr_t paddr;
    mmu_target_t target;
    CHECK(esp_mmu_vaddr_to_paddr(&fb.pixels[20 * W + 20], &paddr, &target) == ESP_OK);
    uint16_t blue = 0x001F;
    CHECK(mmsim_dma_write(m, MMSIM_TARGET_PSRAM, paddr, &blue, 2) == 0);
    mmsim_hazard_clear(m);
    CHECK(fb_get_pixel(&fb, 20, 20) == 0x0000); /* stale: the bug */
    CHECK(mmsim_hazard_count_kind(m, MMSIM_HAZARD_STALE_READ) == 1);
    char line[512];
    mmsim_direct_site_t site;
    CHECK(mmsim_direct_hazard_site(0, &site) == 0);
    printf("%s\n", mmsim_direct_hazard_format(0, line, sizeof line));
    CHECK(strstr(site.file, "framebuffer.c") != NULL && site.line > 0);
    CHECK(strstr(site.function, "fb_get_pixel") != NULL);
    /* The fix: invalidate after DMA wrote. */
    CHECK(fb_after_dma_write(&fb) == ESP_OK);
    CHECK(fb_get_pixel(&fb, 20, 20) == 0x001F);

    fb_free(&fb);
    mmsim_direct_detach(m);
    mmsim_close(m);
    printf("test_framebuffer: passed\n");
    return 0;
}
