/* scn_report_plain.c - the runner's default output: a line per scenario, the
 * failure, hazard and (verbose) step lines indented under it, a closing count. */
#include <string.h>

#include "scn.h"

/* Each line of `text` indented by `pad`. */
static void indented(FILE *f, const char *text, const char *pad)
{
    for (const char *p = text; p && *p;) {
        size_t len = strcspn(p, "\n");
        fprintf(f, "%s%.*s\n", pad, (int)len, p);
        p += len + (p[len] == '\n');
    }
}

void scn_report_plain(FILE *f, const scn_outcome_t *o, bool verbose)
{
    fprintf(f, "%s %s: %s\n", o->skipped ? "skip" : o->passed ? "ok  " : "FAIL", o->file, o->name);
    if (verbose)
        indented(f, o->steps, "     ");
    indented(f, o->failure, "     ");
    if (o->hazards) {
        fprintf(f, "     hazards raised by that step:\n");
        indented(f, o->hazards, "       ");
    }
}

void scn_report_summary(FILE *f, size_t passed, size_t failed) { fprintf(f, "%zu passed, %zu failed\n", passed, failed); }
