/* bench_boot.c - `mmsim bench`'s boot_build item: booting a user's build from a 4 MB
 * flash image (mmsim_config_t.build: the image read and written into flash, the
 * partition table, otadata and app image checked, the app mapped, the drivers started)
 * against opening the same chip with its synthetic app, in one run.  The image is the
 * bundled OTA build (scenarios/suites/firmware/builds/ota1-c6) merged and padded to
 * 4 MB as `idf.py qemu` pads qemu_flash.bin, in a temporary file under $TMPDIR. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "fw_build.h"
#include "mmsim.h"

#define BENCH_BOOT_BUILD "/firmware/builds/ota1-c6"
#define BENCH_BOOT_CHIP "esp32c6"
#define BENCH_BOOT_FLASH (4u << 20)

/* The padded image, written once per process; "" if it could not be. */
static char bench_image[512];

static const char *bench_boot_image(void)
{
    if (bench_image[0])
        return bench_image;
    /* The bundled suite's build, whatever --suite names (that folder is the suite item's). */
    const char *dir = MMSIM_SUITE_DIR BENCH_BOOT_BUILD;
    fw_build_t b;
    fw_error_t err;
    if (fw_build_load(dir, &b, &err)) {
        fprintf(stderr, "mmsim bench: boot_build: %s\n", err.msg);
        return NULL;
    }
    uint8_t *flash = malloc(BENCH_BOOT_FLASH);
    const char *tmp = getenv("TMPDIR");
    snprintf(bench_image, sizeof bench_image, "%s/mmsim-bench-boot-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    int fd = flash && b.flash_len <= BENCH_BOOT_FLASH ? mkstemp(bench_image) : -1;
    bool ok = fd >= 0;
    if (ok) {
        memset(flash, 0xFF, BENCH_BOOT_FLASH);
        memcpy(flash, b.flash, b.flash_len);
        ok = write(fd, flash, BENCH_BOOT_FLASH) == (ssize_t)BENCH_BOOT_FLASH;
        ok = close(fd) == 0 && ok;
    }
    free(flash);
    fw_build_free(&b);
    if (!ok) {
        fprintf(stderr, "mmsim bench: boot_build: cannot write the 4 MB image %s\n", bench_image);
        if (fd >= 0)
            unlink(bench_image);
        bench_image[0] = '\0';
        return NULL;
    }
    return bench_image;
}

void bench_boot_cleanup(void)
{
    if (bench_image[0])
        unlink(bench_image);
    bench_image[0] = '\0';
}

/* Median-free: the whole slice's mean time per open + close of `cfg`. */
static double bench_boot_ms(const bench_opts_t *o, const mmsim_config_t *cfg)
{
    double n = 0, t0 = bench_clock(), t1;
    do {
        mmsim_t *m;
        if (mmsim_open(cfg, &m)) {
            fprintf(stderr, "mmsim bench: boot_build: %s\n", mmsim_last_error());
            return -1;
        }
        mmsim_close(m);
        n++;
    } while ((t1 = bench_clock()) - t0 < o->slice_s);
    return (t1 - t0) * 1e3 / n;
}

int bench_boot_build(const bench_opts_t *o, bench_item_t *it)
{
    const char *image = bench_boot_image();
    if (!image)
        return -1;
    mmsim_config_t build = mmsim_config_default(BENCH_BOOT_CHIP);
    build.build = image;
    mmsim_config_t plain = mmsim_config_default(BENCH_BOOT_CHIP);
    plain.flash_size = BENCH_BOOT_FLASH;
    double b = bench_boot_ms(o, &build), p = bench_boot_ms(o, &plain);
    if (b < 0 || p < 0)
        return -1;
    snprintf(it->note, sizeof it->note, "%s, 4 MB merged flash (ota_1 of three apps), goal under 10 ms",
             BENCH_BOOT_CHIP);
    bench_put(it, "ms_per_boot", "boot of the build (open + close)", "ms", b);
    bench_put(it, "ms_per_plain_open", "open + close, synthetic app", "ms", p);
    bench_put(it, "build_over_plain", "build / synthetic", "x", b / p);
    return 0;
}
