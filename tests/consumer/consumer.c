/* consumer.c - opens a built-in chip through the installed library and checks what
 * it reports; exit 0 on success. */
#include <stdio.h>
#include <string.h>

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
