/* scn_shell_int.h - what the files of the shell share: the session (the steps kept,
 * as typed), the scenario text a session becomes (to replay it or to write it), and
 * the inspections of the live machine (scn_shell_inspect.c). */
#ifndef MMSIM_SCN_SHELL_INT_H
#define MMSIM_SCN_SHELL_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "mmsim.h"
#include "scn.h"
#include "scn_buf.h"
#include "scn_shell.h"

typedef struct {
    char *text;         /* as typed: "map: {...}" (an operation) or "{...}" (a whole step) */
    bool whole;         /* a flow mapping with its own save/expect: written as typed */
    char *save;         /* `save NAME` given after it (operations only), or NULL */
    char *observed;     /* what it observed on its last run, as an expect: flow mapping */
    unsigned input_line;
} shell_step_t;

struct scn_shell {
    char *chip;
    char **sets;
    size_t nsets;
    char *source;
    shell_step_t *steps;
    size_t count, cap;
    FILE *out, *err;
};

/* How the session is written out. */
typedef enum {
    SHELL_TEXT_REPLAY, /* operations expect {ret: any, hazards: any}: a rerun cannot fail them */
    SHELL_TEXT_FILE,   /* operations expect what they observed (`write FILE`) */
} shell_text_mode_t;

/* The session as a scenario file, with `extra` (may be NULL) as one more step after
 * the kept ones; the line of each step's text in it into lines[] (count + 1 of them,
 * may be NULL).  malloc'd, NULL when out of memory. */
char *shell_scenario_text(const scn_shell_t *sh, const char *name, shell_text_mode_t mode, const char *extra,
                          bool extra_whole, unsigned *lines);
/* Write the session to `path` atomically (a temporary file in the same folder,
 * renamed over it).  0, or -1 with why[size]. */
int shell_write_file(const scn_shell_t *sh, const char *path, const char *name, char *why, size_t size);

/* ---- inspections (scn_shell_inspect.c) ---- */

/* Every line of every cache instance, to tell what a step did to them. */
typedef struct shell_lines shell_lines_t;
/* Take the lines of `m` into *snap (allocated on first use, reused after).  -1 when
 * out of memory. */
int shell_lines_take(const mmsim_t *m, shell_lines_t **snap);
void shell_lines_free(shell_lines_t *snap);
/* The lines whose state differs between `before` and the machine now (fill, hit,
 * write-back, dirtied, invalidated, stale), at most `max`, then a count. */
void shell_lines_touched(FILE *f, const shell_lines_t *before, const mmsim_t *m, unsigned max);
/* `cache`: each cache instance's shape, counts and statistics; with `which` (a cache
 * name or index, then optionally a core) its valid lines.  0, or -1 with why[size]. */
int shell_show_caches(FILE *f, const mmsim_t *m, const char *which, char *why, size_t size);
/* `mmu`: the valid entries of every MMU table. */
void shell_show_mmu(FILE *f, const mmsim_t *m);

#endif
