/* cmd_boot.c - `mmsim boot BUILD_DIR|FILE`: boot a user's build as the chip does and
 * print the boot log (what the serial monitor shows of it) and the resulting mapping. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "esp_mmu_map.h"
#include "mmsim.h"

static const char boot_usage[] =
    "usage: mmsim boot BUILD_DIR|FILE [--chip NAME] [--set key=value]...\n"
    "\n"
    "Boot a build as the chip does: BUILD_DIR is what `idf.py build` leaves (its\n"
    "flasher_args.json or flash_args, with project_description.json and sdkconfig);\n"
    "FILE is one of those lists, a merged flash (`idf.py merge-bin`, qemu_flash.bin) or\n"
    "an app .bin (placed at 0x10000).  The images are written into flash, the\n"
    "bootloader chooses the app (partition table, otadata), checks it and maps its\n"
    "DROM/IROM segments; then esp_mmu_map_init, the PSRAM heap and himem start.\n"
    "\n"
    "Prints the boot log (`esp_image: segment N: paddr=... vaddr=... map` as on the\n"
    "serial monitor) and esp_mmu_map_dump_mapped_blocks.\n"
    "\n"
    "options:\n"
    "  --chip NAME        the chip (built-in name or YAML file); default: the build's target\n"
    "  --set key=value    a config value (repeatable), as `mmsim chip show` takes; a value\n"
    "                     the build's sdkconfig also sets must agree with it\n"
    "\n"
    "exit status: 0 booted, 2 bad input (the message names the file and line or byte\n"
    "offset) or a refusal of the bootloader\n";

#define BOOT_MAX_SETS 16

int cmd_boot(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(boot_usage, stdout);
        return CLI_OK;
    }
    const char *path = NULL, *chip = NULL;
    const char *sets[BOOT_MAX_SETS];
    size_t nsets = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if ((!strcmp(a, "--chip") || !strcmp(a, "--set")) && i + 1 >= argc) {
            fprintf(stderr, "mmsim boot: %s wants a value\n", a);
            return CLI_BAD_INPUT;
        }
        if (!strcmp(a, "--chip"))
            chip = argv[++i];
        else if (!strcmp(a, "--set")) {
            if (nsets == BOOT_MAX_SETS) {
                fprintf(stderr, "mmsim boot: at most %d --set options\n", BOOT_MAX_SETS);
                return CLI_BAD_INPUT;
            }
            sets[nsets++] = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "mmsim boot: unknown option '%s'\n%s", a, boot_usage);
            return CLI_BAD_INPUT;
        } else if (path) {
            fprintf(stderr, "mmsim boot: one build at a time ('%s' and '%s')\n", path, a);
            return CLI_BAD_INPUT;
        } else
            path = a;
    }
    if (!path) {
        fprintf(stderr, "mmsim boot: no build given\n%s", boot_usage);
        return CLI_BAD_INPUT;
    }
    mmsim_config_t cfg = mmsim_config_default(chip);
    cfg.build = path;
    cfg.sets = sets;
    cfg.nsets = nsets;
    mmsim_t *m;
    if (mmsim_open(&cfg, &m)) {
        fprintf(stderr, "mmsim boot: %s\n", mmsim_last_error());
        return CLI_BAD_INPUT;
    }
    fputs(mmsim_boot_log(m), stdout);
    printf("\n");
    fflush(stdout);
    esp_mmu_map_dump_mapped_blocks(stdout);
    mmsim_close(m);
    return CLI_OK;
}
