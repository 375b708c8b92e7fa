/* cmd_shell.c - `mmsim shell`: the terminal around the session of scn_shell.h.  On a
 * terminal, lines come through libedit (editing, history of this session: no history
 * file is written); otherwise from standard input or a SCRIPT file, one step or
 * command a line, which is how scripts and the tests drive it.  Exit status: from a terminal 0; from input
 * that is not one, 0 if every line was taken, 1 if a step failed, 2 if a line was
 * refused (the worst), and 2 for a chip or option refused at the start. */
#include <editline/readline.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "scn_shell.h"

static const char shell_usage[] =
    "usage: mmsim shell [--chip NAME|FILE] [--set key=value]... [SCRIPT]\n"
    "\n"
    "An interactive session on a simulated chip (default esp32c6): each line is a step\n"
    "in the scenario syntax, run at once and answered with its return code, outputs,\n"
    "cycles, hazards, log lines and the cache lines it touched.  From a terminal with\n"
    "line editing and history; otherwise lines are read from standard input, or from\n"
    "SCRIPT (messages then name it: SCRIPT:line:column).\n"
    "\n"
    "options:\n"
    "  --chip NAME|FILE  a built-in chip or a chip YAML file\n"
    "  --set key=value   a config override (flash_size=4M, psram_size=8M, ...), repeatable\n"
    "\n"
    "exit status: 0; without a terminal, 1 if a step failed and 2 if a line was refused\n"
    "\n";

static int worse(int a, int b)
{
    return a > b ? a : b;
}

int cmd_shell(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(shell_usage, stdout);
        scn_shell_help(stdout);
        return CLI_OK;
    }
    const char *chip = NULL, *script = NULL;
    const char **sets = calloc((size_t)argc, sizeof *sets);
    size_t nsets = 0;
    if (!sets)
        return CLI_BAD_INPUT;
    for (int i = 1; i < argc; i++) {
        bool known = !strcmp(argv[i], "--chip") || !strcmp(argv[i], "--set");
        if (known && i + 1 < argc) {
            if (!strcmp(argv[i], "--chip"))
                chip = argv[++i];
            else
                sets[nsets++] = argv[++i];
        } else if (!known && argv[i][0] != '-' && !script) {
            script = argv[i];
        } else {
            fprintf(stderr, "mmsim shell: %s '%s' (mmsim shell --help)\n",
                    known ? "missing value after" : "unknown argument", argv[i]);
            free(sets);
            return CLI_BAD_INPUT;
        }
    }
    FILE *in = stdin;
    if (script && !(in = fopen(script, "r"))) {
        fprintf(stderr, "mmsim shell: %s: %s\n", script, strerror(errno));
        free(sets);
        return CLI_BAD_INPUT;
    }
    bool tty = !script && isatty(STDIN_FILENO);
    scn_shell_opts_t opts = {.chip = chip, .sets = sets, .nsets = nsets,
                             .source = script ? script : tty ? "<terminal>" : "<stdin>"};
    char why[1000];
    scn_shell_t *sh = scn_shell_new(&opts, stdout, stderr, why, sizeof why);
    free(sets);
    if (!sh) {
        fprintf(stderr, "mmsim shell: %s\n", why);
        if (script)
            fclose(in);
        return CLI_BAD_INPUT;
    }
    int status = CLI_OK;
    unsigned lineno = 0;
    if (tty) {
        printf("mmsim shell on %s: a step per line (map: {...}), help lists the commands, quit ends\n",
               chip ? chip : "esp32c6");
        using_history();
        for (;;) {
            char prompt[200];
            scn_shell_prompt(sh, prompt, sizeof prompt);
            char *line = readline(prompt);
            if (!line)
                break;
            lineno++;
            if (*line)
                add_history(line);
            scn_shell_rc_t rc = scn_shell_line(sh, line, lineno);
            free(line);
            fflush(stdout);
            if (rc == SCN_SHELL_QUIT)
                break;
        }
        clear_history();
    } else {
        char *line = NULL;
        size_t cap = 0;
        while (getline(&line, &cap, in) >= 0) {
            lineno++;
            line[strcspn(line, "\r\n")] = '\0';
            scn_shell_rc_t rc = scn_shell_line(sh, line, lineno);
            fflush(stdout);
            if (rc == SCN_SHELL_QUIT)
                break;
            status = worse(status, rc == SCN_SHELL_BAD ? CLI_BAD_INPUT : rc == SCN_SHELL_FAILED ? CLI_FAIL : CLI_OK);
        }
        free(line);
    }
    if (script)
        fclose(in);
    scn_shell_free(sh);
    return status;
}
