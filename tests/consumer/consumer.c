/* consumer.c - opens a built-in chip through the installed library and checks what
 * it reports; exit 0 on success. */
#include <stdio.h>
#include <string.h>

#include <hal/mmu_hal.h>
#include <mmsim.h>

int main(void)
{
    mmsim_config_t cfg = mmsim_config_default("esp32c6");
    cfg.flash_size = 2u << 20;
    mmsim_t *m;
    if (mmsim_open(&cfg, &m) != 0) {
        fprintf(stderr, "%s\n", mmsim_last_error());
        return 1;
    }
    int ok = strcmp(mmsim_chip_name(m), "esp32c6") == 0 && mmsim_page_size(m) == 0x8000;
    printf("%s page 0x%x\n", mmsim_chip_name(m), mmsim_page_size(m));
    /* The HAL acts on the machine just opened: map a flash page, read it back. */
    uint32_t len = 0, word = 0;
    mmu_hal_map_region(0, MMU_TARGET_FLASH0, 0x42010000, 0x18000, 0x8000, &len); /* past the partition table */
    if (mmsim_flash_write(m, 0x18004, "\x12\x34\x56\x78", 4) || mmsim_cpu_read(m, 0, 0x42010004, &word, 4))
        ok = 0;
    ok = ok && len == 0x8000 && word == 0x78563412 && mmsim_hazard_count(m) == 0;
    mmsim_close(m);
    cfg = mmsim_config_default("esp32s3");
    cfg.flash_image = "/nonexistent/flash.bin";
    if (mmsim_open(&cfg, &m) == 0 || strstr(mmsim_last_error(), "/nonexistent/flash.bin") == NULL)
        ok = 0;
    cfg = mmsim_config_default("no-such-chip");
    if (mmsim_open(&cfg, &m) == 0 || strstr(mmsim_last_error(), "unknown chip") == NULL)
        ok = 0;
    return ok ? 0 : 1;
}
