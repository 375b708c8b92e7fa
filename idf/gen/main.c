/* main.c - mmsim_idf_gen: the build step that writes one ESP-IDF driver variant's
 * sdkconfig.h and mmsim_idf_soc.h into a folder.
 *   mmsim_idf_gen CHIP OUTDIR [key=value]...   (the chip config overrides, as --set) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idf_gen.h"

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: mmsim_idf_gen CHIP OUTDIR [key=value]...\n");
        return 2;
    }
    mmsim_config_t cfg = mmsim_config_default(argv[1]);
    cfg.sets = (const char *const *)(argv + 3);
    cfg.nsets = (size_t)(argc - 3);
    char path_sdk[4096], path_soc[4096], err[512];
    snprintf(path_sdk, sizeof path_sdk, "%s/sdkconfig.h", argv[2]);
    snprintf(path_soc, sizeof path_soc, "%s/mmsim_idf_soc.h", argv[2]);
    FILE *sdk = fopen(path_sdk, "w"), *soc = fopen(path_soc, "w");
    int rc = sdk && soc ? idf_gen_write(&cfg, sdk, soc, err, sizeof err) : (snprintf(err, sizeof err, "cannot write into %s", argv[2]), -1);
    if (sdk && fclose(sdk))
        rc = -1;
    if (soc && fclose(soc))
        rc = -1;
    if (rc) {
        fprintf(stderr, "mmsim_idf_gen: %s: %s\n", argv[1], err);
        remove(path_sdk);
        remove(path_soc);
        return 1;
    }
    return 0;
}
