/* scn_shell.h - `mmsim shell`: an interactive session on one simulated chip.  Each
 * line is a step in the scenario syntax (`map: {paddr: 0x110000, size: 64K, target:
 * flash, caps: [read]}`, or a whole step as a flow mapping `{read: {...}, expect:
 * {...}}`), run at once and answered with its return code, outputs, cycles, hazards
 * and the cache lines it touched; or a command (`save NAME`, `= EXPR`, `undo`, `dump`,
 * `cache`, `mmu`, `steps`, `write FILE`, `help`, `quit`).
 *
 * The session is the list of steps kept so far.  Every line runs the whole list again
 * on a fresh machine (runs are deterministic), so `undo` only forgets the last step,
 * and a step that cannot load or fails is not kept.  This module knows no terminal:
 * lines come from the caller (cli/cmd_shell.c reads them with libedit or from a
 * pipe), answers go to `out`, refusals to `err`. */
#ifndef MMSIM_SCN_SHELL_H
#define MMSIM_SCN_SHELL_H

#include <stddef.h>
#include <stdio.h>

typedef struct scn_shell scn_shell_t;

typedef struct {
    const char *chip;          /* built-in name or a chip YAML path */
    const char *const *sets;   /* config overrides, "key=value" as `mmsim chip show --set` */
    size_t nsets;
    const char *source;        /* the input's name in messages: "<stdin>" (NULL: that) */
} scn_shell_opts_t;

/* What one line did. */
typedef enum {
    SCN_SHELL_OK = 0,     /* done: a step kept, a command carried out, a blank line */
    SCN_SHELL_FAILED = 1, /* a step ran and failed (it is not kept) */
    SCN_SHELL_BAD = 2,    /* refused: "source:line:column: message" on err */
    SCN_SHELL_QUIT = 3,   /* `quit` / `exit` */
} scn_shell_rc_t;

/* A session on the chip, booted once to check it.  NULL with the reason in why[size]
 * (the chip or an override refused, the boot failed, out of memory). */
scn_shell_t *scn_shell_new(const scn_shell_opts_t *opts, FILE *out, FILE *err, char *why, size_t size);
/* Carry out one line (no newline needed); `lineno` names it in messages. */
scn_shell_rc_t scn_shell_line(scn_shell_t *sh, const char *line, unsigned lineno);
/* Steps kept so far. */
size_t scn_shell_count(const scn_shell_t *sh);
/* The prompt for a terminal: "esp32c6 [3]> " (the steps kept). */
void scn_shell_prompt(const scn_shell_t *sh, char *buf, size_t size);
/* Release the session.  NULL is ignored. */
void scn_shell_free(scn_shell_t *sh);
/* The commands, one a line (for `help` and `mmsim shell --help`). */
void scn_shell_help(FILE *f);

#endif
