/* fuzz_shell.c - libFuzzer target: any bytes as the lines typed into `mmsim shell` on
 * an esp32c6 (steps, whole steps, save, expressions, undo, inspections).  Every line
 * is carried out, refused with a message naming its line, or fails its step; never a
 * crash, hang or leak.  Lines that would write files (`write`) or run long `repeat`
 * blocks are skipped: the first writes where told, the second is the step budget's
 * business (fuzz_scenario). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn_shell.h"

#define MAX_LINES 24 /* each line replays the session: keep an input's cost bounded */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *sink;
    if (!sink && !(sink = fopen("/dev/null", "w")))
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    scn_shell_opts_t opts = {.chip = "esp32c6", .source = "fuzz"};
    char why[300];
    scn_shell_t *sh = scn_shell_new(&opts, sink, sink, why, sizeof why);
    if (!sh)
        abort(); /* a built-in chip always boots */
    unsigned lineno = 0;
    for (char *line = text, *next; line && lineno < MAX_LINES; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        if (strstr(line, "write") || strstr(line, "repeat"))
            continue;
        size_t before = scn_shell_count(sh);
        scn_shell_rc_t rc = scn_shell_line(sh, line, lineno);
        if (rc == SCN_SHELL_QUIT)
            break;
        /* A refused or failed line keeps nothing; an accepted one adds at most one step. */
        if ((rc != SCN_SHELL_OK && scn_shell_count(sh) != before) || scn_shell_count(sh) > before + 1)
            abort();
    }
    scn_shell_free(sh);
    free(text);
    return 0;
}
