/* scn_report_tap.c - TAP version 13: a test point per scenario, the details of a
 * failure as a YAML block under it (what TAP consumers show). */
#include <string.h>

#include "scn.h"

static void block(FILE *f, const char *key, const char *text)
{
    if (!text || !*text)
        return;
    fprintf(f, "  %s: |\n", key);
    for (const char *p = text; *p;) {
        size_t len = strcspn(p, "\n");
        fprintf(f, "    %.*s\n", (int)len, p);
        p += len + (p[len] == '\n');
    }
}

void scn_report_tap_begin(FILE *f, size_t count) { fprintf(f, "TAP version 13\n1..%zu\n", count); }

void scn_report_tap(FILE *f, const scn_outcome_t *o, size_t number, bool verbose)
{
    /* '#' starts a directive in a TAP description: keep names from looking like one. */
    fprintf(f, "%s %zu - %s: ", o->passed ? "ok" : "not ok", number, o->file);
    for (const char *p = o->name; *p; p++) {
        if (*p == '#')
            fputc('\\', f);
        fputc(*p, f);
    }
    if (o->skipped) /* the reason is one line: "pins idf_version ..." */
        fprintf(f, " # SKIP %.*s", (int)strcspn(o->failure ? o->failure : "", "\n"), o->failure ? o->failure : "");
    fputc('\n', f);
    if (o->skipped || (o->passed && !verbose))
        return;
    fprintf(f, "  ---\n  file: '%s'\n  line: %u\n", o->file, o->line);
    block(f, "failure", o->failure);
    block(f, "hazards", o->hazards);
    if (verbose)
        block(f, "steps", o->steps);
    fprintf(f, "  ...\n");
}

void scn_report_tap_end(FILE *f, size_t passed, size_t failed)
{
    fprintf(f, "# %zu passed, %zu failed\n", passed, failed);
}
