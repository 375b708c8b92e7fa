/* fuzz_scenario.c - libFuzzer target: any bytes as a scenario file.  The loader accepts
 * them or refuses with a message naming the file; an accepted file's first scenario runs
 * to its end (bounded by a small step budget) without a crash, a hang or a leak, and
 * with the invariants holding after every step. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn.h"

static void drop(scn_outcome_t *o, size_t nth, void *ctx)
{
    (void)nth;
    (void)ctx;
    if (o->invariants_broken) {
        fprintf(stderr, "%s", o->failure);
        abort();
    }
    scn_outcome_free(o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[1024];
    scn_suite_t *s = scn_suite_new();
    if (!s)
        return 0;
    if (scn_suite_add_text(s, "fuzz.yaml", (const char *)data, size, err, sizeof err) == 0) {
        size_t first = 0;
        /* A budget far below the default: a `repeat: 4000000` must not time out. */
        scn_run_opts_t opts = {.max_steps = 20000, .check_invariants = true};
        if (scn_suite_count(s))
            scn_run(s, &first, 1, &opts, drop, NULL);
    } else if (!strstr(err, "fuzz.yaml")) {
        abort(); /* every refusal names the file */
    }
    scn_suite_free(s);
    return 0;
}
