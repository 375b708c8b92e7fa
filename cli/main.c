/* main.c - the mmsim command: dispatches to the subcommands. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: mmsim <command> [options]\n"
    "\n"
    "Simulates the external-memory system of Espressif chips (MMU, caches, SPI flash,\n"
    "PSRAM) with a clean-room esp_mmu_map / esp_cache_msync / himem driver on top.\n"
    "\n"
    "commands:\n"
    "  chips                      list the built-in chips, one line each\n"
    "  chip show NAME|FILE        print a resolved chip definition as YAML\n"
    "  chip check FILE...         validate chip definition files\n"
    "  run PATH... [options]      run YAML scenario files and folders (--tap, --junit FILE,\n"
    "                             --shard K/N, --jobs N, --filter TEXT, --verbose, --trace FILE)\n"
    "  shell [--chip NAME] [--set k=v]  an interactive session: a step a line, run at once\n"
    "  boot BUILD_DIR|FILE        boot a build/ folder, flasher_args.json, flash_args, merged\n"
    "                             flash or app .bin; print the boot log and the mapping\n"
    "                             (--chip NAME, --set key=value)\n"
    "  view FILE [options]        a window stepping through one scenario (--scenario NAME,\n"
    "                             --chip NAME, --step N); ? shows the keys\n"
    "  render FILE (--step N | --last | --all) -o OUT.png|DIR\n"
    "                             the same picture as PNG files, headless (--scenario NAME,\n"
    "                             --chip NAME, --size WxH, --zoom Z, --pan F)\n"
    "\n"
    "options:\n"
    "  -h, --help                 this text; `mmsim <command> --help` describes a command\n"
    "  --version                  print the version\n"
    "\n"
    "exit status: 0 success, 1 a check failed, 2 bad input or usage\n";

bool cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return true;
    return false;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return CLI_BAD_INPUT;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        return CLI_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("mmsim %s\n", MMSIM_VERSION);
        return CLI_OK;
    }
    if (strcmp(cmd, "chips") == 0)
        return cmd_chips(argc - 1, argv + 1);
    if (strcmp(cmd, "chip") == 0)
        return cmd_chip(argc - 1, argv + 1);
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc - 1, argv + 1);
    if (strcmp(cmd, "shell") == 0)
        return cmd_shell(argc - 1, argv + 1);
    if (strcmp(cmd, "boot") == 0)
        return cmd_boot(argc - 1, argv + 1);
    if (strcmp(cmd, "bench") == 0)
        return cmd_bench(argc - 1, argv + 1);
#ifdef MMSIM_HAVE_VIEW
    if (strcmp(cmd, "view") == 0)
        return cmd_view(argc - 1, argv + 1);
    if (strcmp(cmd, "render") == 0)
        return cmd_render(argc - 1, argv + 1);
#endif
    fprintf(stderr, "mmsim: unknown command '%s'\n\n%s", cmd, usage);
    return CLI_BAD_INPUT;
}
