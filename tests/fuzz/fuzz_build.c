/* fuzz_build.c - libFuzzer target: any bytes as a build to boot (mmsim_config_t.build):
 * written to a temporary file and opened on the chip the first byte picks, so the file
 * is read as flasher_args.json, flash_args, a merged flash or a lone app image by its
 * first bytes, the bootloader chooses and checks the app, and core's bootloader maps
 * whatever segments passed.  A refusal must be an error with a message; a boot must pass
 * mmsim_check_invariants.  Never crash, hang or leak. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mmsim.h"

static const char *const chips[] = {"esp32", "esp32s2", "esp32s3", "esp32c2", "esp32c3", "esp32c5",
                                    "esp32c6", "esp32c61", "esp32h2", "esp32h21", "esp32h4", "esp32p4"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[256];
    if (!path[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(path, sizeof path, "%s/mmsim-fuzz-build-%d", tmp && tmp[0] ? tmp : "/tmp", (int)getpid());
    }
    if (size < 1)
        return 0;
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    if (fwrite(data + 1, 1, size - 1, f) != size - 1 || fclose(f))
        abort();
    mmsim_config_t cfg = mmsim_config_default(chips[data[0] % (sizeof chips / sizeof chips[0])]);
    cfg.build = path;
    mmsim_t *m = NULL;
    int rc = mmsim_open(&cfg, &m);
    if (rc) {
        if (m || rc >= 0 || !mmsim_last_error()[0])
            abort();
    } else {
        char why[256];
        if (mmsim_check_invariants(m, why, sizeof why))
            abort();
        mmsim_close(m);
    }
    unlink(path);
    return 0;
}
