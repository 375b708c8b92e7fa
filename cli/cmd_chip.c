/* cmd_chip.c - `mmsim chips`, `mmsim chip show` and `mmsim chip check`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chipdef_load.h"
#include "cli.h"

static const char chips_usage[] =
    "usage: mmsim chips\n"
    "\n"
    "Lists the built-in chips, one line each: name, cores, MMU page size, default\n"
    "flash and PSRAM sizes, the virtual windows (name, start, size) and the caches\n"
    "(name size/ways/line, wb = write-back).\n";

static const char chip_usage[] =
    "usage: mmsim chip show NAME|FILE [--set key=value]...\n"
    "       mmsim chip check FILE... [--set key=value]...\n"
    "\n"
    "show    print the resolved definition (built-in name or YAML file) as YAML;\n"
    "        the output loads back to the same definition\n"
    "check   validate chip definition files; prints 'ok' or the error per file\n"
    "        (--set overrides apply to every file)\n"
    "\n"
    "options:\n"
    "  --set key=value   override a config value before validation (repeatable); keys:\n"
    "                    flash_size, psram_size, mmu_page_size, spiram_bankswitch_reserve,\n"
    "                    app_irom_size, app_drom_size, partition_table_offset, app_offset,\n"
    "                    idf_version, psram_mode, partition_table, bootloader_cache_32bit_addr,\n"
    "                    secure_enable_tee, spiram_fetch_instructions, spiram_rodata,\n"
    "                    spiram_xip_from_psram, partition_table_md5;\n"
    "                    sdkconfig's memories: dcache_size, dcache_ways, dcache_line_size,\n"
    "                    icache_size, icache_ways, icache_line_size, l2_cache_size,\n"
    "                    l2_cache_line_size, spiram_mode, spiram_speed, flash_mode, flash_freq;\n"
    "                    the CPU clock: cpu_freq_mhz\n"
    "                    sizes are written 64K, 4M, 0x10000 or 65536\n"
    "\n"
    "exit status: 0 valid, 2 an invalid definition or bad usage\n";

int cmd_chips(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(chips_usage, stdout);
        return CLI_OK;
    }
    if (argc > 1) {
        fprintf(stderr, "mmsim chips: unexpected argument '%s'\n%s", argv[1], chips_usage);
        return CLI_BAD_INPUT;
    }
    int rc = CLI_OK;
    for (size_t i = 0; i < chipdef_builtin_count(); i++) {
        chipdef_t c;
        ydoc_err_t err;
        if (chipdef_load(chipdef_builtin_name(i), NULL, 0, &c, &err)) {
            fprintf(stderr, "%s\n", err.msg);
            rc = CLI_BAD_INPUT;
            continue;
        }
        char line[600];
        chipdef_summary(&c, line, sizeof line);
        puts(line);
    }
    return rc;
}

/* Errors shown per file before a count of the rest (as `mmsim run` shows a
 * scenario file's). */
#define ERRORS_SHOWN 20

/* Load a chip, printing every error of its file (in file order) on stderr.  0 or -1. */
static int load_reporting_all(const char *target, const char *const *sets, size_t nsets, chipdef_t *c)
{
    ydoc_err_t err;
    ydoc_errors_t all;
    ydoc_collect_begin(&all);
    int rc = chipdef_load(target, sets, nsets, c, &err);
    ydoc_collect_end();
    if (rc && (!all.count || !ydoc_errors_print(&all, stderr, ERRORS_SHOWN, target)))
        fprintf(stderr, "%s\n", err.msg); /* refused before any YAML was read */
    ydoc_errors_free(&all);
    return rc;
}

static int chip_show(int argc, char **argv)
{
    const char *target = NULL;
    const char **sets = calloc((size_t)argc, sizeof *sets);
    size_t nsets = 0;
    int rc = CLI_BAD_INPUT;
    if (!sets)
        return rc;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--set") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "mmsim chip show: --set needs key=value\n");
                goto out;
            }
            sets[nsets++] = argv[++i];
        } else if (strncmp(argv[i], "--set=", 6) == 0) {
            sets[nsets++] = argv[i] + 6;
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "mmsim chip show: unknown option '%s'\n%s", argv[i], chip_usage);
            goto out;
        } else if (target) {
            fprintf(stderr, "mmsim chip show: one chip at a time ('%s' and '%s')\n", target, argv[i]);
            goto out;
        } else {
            target = argv[i];
        }
    }
    if (!target) {
        fprintf(stderr, "mmsim chip show: which chip?\n%s", chip_usage);
        goto out;
    }
    chipdef_t c;
    if (load_reporting_all(target, sets, nsets, &c))
        goto out;
    chipdef_write_yaml(&c, stdout);
    rc = CLI_OK;
out:
    free(sets);
    return rc;
}

static int chip_check(int argc, char **argv)
{
    /* --set applies to every file, so a board's overrides can be checked against
     * several candidate definitions at once. */
    const char **sets = calloc((size_t)argc, sizeof *sets);
    size_t nsets = 0, nfiles = 0;
    int rc = CLI_OK;
    if (!sets)
        return CLI_BAD_INPUT;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--set") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "mmsim chip check: --set needs key=value\n");
                rc = CLI_BAD_INPUT;
                goto out;
            }
            sets[nsets++] = argv[++i];
        } else if (strncmp(argv[i], "--set=", 6) == 0) {
            sets[nsets++] = argv[i] + 6;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "mmsim chip check: unknown option '%s'\n%s", argv[i], chip_usage);
            rc = CLI_BAD_INPUT;
            goto out;
        } else {
            nfiles++;
        }
    }
    if (nfiles == 0) {
        fprintf(stderr, "mmsim chip check: no files given\n%s", chip_usage);
        rc = CLI_BAD_INPUT;
        goto out;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--set") == 0) {
            i++;
            continue;
        }
        if (strncmp(argv[i], "--set=", 6) == 0)
            continue;
        chipdef_t c;
        if (load_reporting_all(argv[i], sets, nsets, &c)) {
            rc = CLI_BAD_INPUT;
        } else {
            printf("%s: ok (%s)\n", argv[i], c.name);
        }
    }
out:
    free(sets);
    return rc;
}

int cmd_chip(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        fputs(chip_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_BAD_INPUT : CLI_OK;
    }
    if (cli_wants_help(argc, argv)) {
        fputs(chip_usage, stdout);
        return CLI_OK;
    }
    if (strcmp(argv[1], "show") == 0)
        return chip_show(argc - 1, argv + 1);
    if (strcmp(argv[1], "check") == 0)
        return chip_check(argc - 1, argv + 1);
    fprintf(stderr, "mmsim chip: unknown subcommand '%s'\n%s", argv[1], chip_usage);
    return CLI_BAD_INPUT;
}
