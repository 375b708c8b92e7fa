/* scn_shell.c - the shell's session: a line read as a step or a command, the replay
 * of the kept steps on a fresh machine that every line does (runs are deterministic,
 * so this is also how `undo` steps back), the answer to a step (return code, outputs,
 * cycles, hazards, log lines, cache lines touched), and the commands. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn_arena.h"
#include "scn_env.h"
#include "scn_expr.h"
#include "scn_ops.h"
#include "scn_shell_int.h"

/* A step that only looks: it records and charges nothing (mmsim_translate), so the
 * machine after it is the machine before it, ready for an inspection. */
static const char probe_step[] = "translate: {vaddr: 0}";

#define SESSION_NAME "mmsim shell session"
#define TOUCHED_SHOWN 16 /* lines touched listed per operation */
#define OPS_SHOWN 20     /* operations of a repeat block answered in full */

/* ---- one replay -------------------------------------------------------------- */

typedef enum { SHOW_STEP, SHOW_DUMP, SHOW_CACHE, SHOW_MMU, SHOW_EXPR, SHOW_NAMES } show_t;

typedef struct {
    scn_shell_t *sh;
    show_t show;
    const char *arg;          /* SHOW_CACHE: which; SHOW_EXPR: the expression */
    size_t extra;             /* top-level number of the extra step (count + 1) */
    shell_lines_t *before;    /* the lines after the last operation before the one shown */
    char *observed;           /* the extra step's (an operation: one top-level result) */
    unsigned ops, ops_failed;
    int inspect_rc;           /* SHOW_CACHE / SHOW_EXPR: -1 if refused */
    char why[600];
} replay_t;

static size_t top_of(const char *label)
{
    return strcmp(label, "boot") ? strtoul(label, NULL, 10) : 0;
}

static void indent_lines(FILE *f, const char *prefix, const char *text)
{
    for (const char *p = text; *p;) {
        size_t len = strcspn(p, "\n");
        fprintf(f, "%s%.*s\n", prefix, (int)len, p);
        p += len + (p[len] == '\n');
    }
}

static void answer_op(replay_t *rp, const scn_step_info_t *st)
{
    FILE *f = rp->sh->out;
    if (++rp->ops > OPS_SHOWN)
        return;
    fprintf(f, "step %s%s%s: %s %s -> %s%s%s\n", st->label, st->iteration[0] ? " " : "", st->iteration, st->op,
            st->args, st->ret_name, st->outs[0] ? " " : "", st->outs);
    char kinds[300] = "none";
    size_t len = 0;
    for (int k = 0; k < MMSIM_HAZARD_KIND_COUNT; k++) {
        size_t n = mmsim_hazard_count_kind(st->m, (mmsim_hazard_kind_t)k);
        if (n)
            len += (size_t)snprintf(kinds + len, sizeof kinds - (len < sizeof kinds ? len : sizeof kinds), "%s%s x%zu",
                                    len ? ", " : "", mmsim_hazard_name((mmsim_hazard_kind_t)k), n);
    }
    fprintf(f, "  cycles %llu on core %u; hazards: %s\n", (unsigned long long)st->cycles, (unsigned)st->core, kinds);
    for (size_t i = 0; i < mmsim_hazard_count(st->m); i++) {
        char line[400];
        const mmsim_hazard_t *h = mmsim_hazard_get(st->m, i);
        if (h)
            fprintf(f, "  ! %s\n", mmsim_hazard_format(h, line, sizeof line));
    }
    indent_lines(f, "  | ", st->text);
    indent_lines(f, "  log: ", st->log);
    if (rp->before)
        shell_lines_touched(f, rp->before, st->m, TOUCHED_SHOWN);
    if (!st->ok)
        indent_lines(f, "  FAILED: ", st->failure);
}

static void show_names(FILE *f, const scn_env_t *env)
{
    size_t shown = 0;
    for (size_t i = 0; env && i < env->count; i++) {
        const scn_name_t *n = &env->names[i];
        if (!n->set)
            continue;
        shown++;
        if (n->kind == SCN_NAME_LIST) {
            fprintf(f, "%s = [", n->name);
            for (size_t k = 0; k < n->count; k++)
                fprintf(f, "%s0x%llx", k ? ", " : "", (unsigned long long)n->list[k]);
            fprintf(f, "] (count %zu)\n", n->count);
        } else if (n->kind == SCN_NAME_HIMEM || n->kind == SCN_NAME_RANGE) {
            fprintf(f, "%s = (himem %s handle)\n", n->name, n->kind == SCN_NAME_HIMEM ? "RAM" : "range");
        } else {
            fprintf(f, "%s = 0x%llx (%llu)\n", n->name, (unsigned long long)n->num, (unsigned long long)n->num);
        }
    }
    if (!shown)
        fprintf(f, "no names saved yet (save NAME after a step)\n");
}

static void eval_expr(replay_t *rp, const scn_env_t *env)
{
    scn_arena_t a = {0};
    const scn_expr_t *e;
    uint64_t v;
    if (scn_expr_parse(&a, rp->arg, &e, rp->why, sizeof rp->why) || scn_eval(env, e, &v, rp->why, sizeof rp->why))
        rp->inspect_rc = -1;
    else
        fprintf(rp->sh->out, "0x%llx (%llu)\n", (unsigned long long)v, (unsigned long long)v);
    scn_arena_free(&a);
}

static bool on_step(const scn_step_info_t *st, void *ctx)
{
    replay_t *rp = ctx;
    size_t top = top_of(st->label);
    bool top_level = !strchr(st->label, '.');
    if (top >= 1 && top <= rp->sh->count && top_level) {
        shell_step_t *kept = &rp->sh->steps[top - 1];
        free(kept->observed);
        kept->observed = st->observed[0] ? strdup(st->observed) : NULL;
    }
    if (top + 1 == rp->extra && rp->show == SHOW_STEP && shell_lines_take(st->m, &rp->before))
        rp->before = NULL, snprintf(rp->why, sizeof rp->why, "out of memory");
    if (top != rp->extra)
        return true;
    switch (rp->show) {
    case SHOW_STEP:
        rp->ops_failed += !st->ok;
        answer_op(rp, st);
        if (rp->before)
            shell_lines_take(st->m, &rp->before);
        if (top_level && st->observed[0]) {
            free(rp->observed);
            rp->observed = strdup(st->observed);
        }
        return true;
    case SHOW_DUMP:
        /* The dump operation's text is its output; the step is not kept. */
        fputs(st->text, rp->sh->out);
        return false;
    case SHOW_CACHE:
        rp->inspect_rc = shell_show_caches(rp->sh->out, st->m, rp->arg, rp->why, sizeof rp->why);
        return false;
    case SHOW_MMU:
        shell_show_mmu(rp->sh->out, st->m);
        return false;
    case SHOW_EXPR:
        eval_expr(rp, st->env);
        return false;
    case SHOW_NAMES:
        show_names(rp->sh->out, st->env);
        return false;
    }
    return false;
}

/* A load error of the replayed text, said of the line the user typed: the extra
 * step's text starts 4 columns in ("  - "), the typed text at column `col`. */
static void report_load_errors(scn_shell_t *sh, const char *errors, const unsigned *lines, unsigned lineno,
                               unsigned col)
{
    const char *file = sh->source;
    size_t flen = strlen(file);
    for (const char *p = errors; *p;) {
        size_t len = strcspn(p, "\n");
        unsigned l = 0, c = 0;
        int used = 0;
        if (!strncmp(p, file, flen) && p[flen] == ':' &&
            sscanf(p + flen, ":%u:%u: %n", &l, &c, &used) >= 2 && used > 0) {
            const char *msg = p + flen + used;
            int mlen = (int)(len - flen - (size_t)used);
            if (l == lines[sh->count])
                fprintf(sh->err, "%s:%u:%u: %.*s\n", file, lineno, (c > 4 ? c - 4 : 1) + col - 1, mlen, msg);
            else if (l > lines[sh->count])
                fprintf(sh->err, "%s:%u: %.*s\n", file, lineno, mlen, msg);
            else
                fprintf(sh->err, "%s:%u: the session (%s): %.*s\n", file, lineno, sh->chip, mlen, msg);
        } else {
            fprintf(sh->err, "%s:%u: %.*s\n", file, lineno, (int)len, p);
        }
        p += len + (p[len] == '\n');
    }
}

/* Run the kept steps and `extra` after them, showing what `show` asks for at the
 * extra step.  0 ran (*passed: every step held), -1 the text did not load (reported). */
static int replay(scn_shell_t *sh, const char *extra, bool whole, replay_t *rp, unsigned lineno, unsigned col,
                  bool *passed)
{
    unsigned *lines = calloc(sh->count + 1, sizeof *lines);
    char *text = lines ? shell_scenario_text(sh, SESSION_NAME, SHELL_TEXT_REPLAY, extra, whole, lines) : NULL;
    scn_suite_t *suite = text ? scn_suite_new() : NULL;
    char errors[8192];
    int rc = -1;
    if (!suite) {
        fprintf(sh->err, "%s:%u: out of memory\n", sh->source, lineno);
    } else if (scn_suite_add_text(suite, sh->source, text, strlen(text), errors, sizeof errors)) {
        report_load_errors(sh, errors, lines, lineno, col);
    } else {
        rp->sh = sh;
        rp->extra = sh->count + 1;
        scn_step_through(suite, 0, on_step, rp, passed);
        rc = 0;
    }
    scn_suite_free(suite);
    free(text);
    free(lines);
    return rc;
}

/* ---- the session -------------------------------------------------------------- */

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

void scn_shell_free(scn_shell_t *sh)
{
    if (!sh)
        return;
    for (size_t i = 0; i < sh->count; i++) {
        free(sh->steps[i].text);
        free(sh->steps[i].save);
        free(sh->steps[i].observed);
    }
    for (size_t i = 0; i < sh->nsets; i++)
        free(sh->sets[i]);
    free(sh->sets);
    free(sh->steps);
    free(sh->chip);
    free(sh->source);
    free(sh);
}

scn_shell_t *scn_shell_new(const scn_shell_opts_t *opts, FILE *out, FILE *err, char *why, size_t size)
{
    scn_shell_t *sh = calloc(1, sizeof *sh);
    if (!sh || !(sh->chip = dup_or_null(opts->chip ? opts->chip : "esp32c6")) ||
        !(sh->source = dup_or_null(opts->source ? opts->source : "<stdin>")) ||
        (opts->nsets && !(sh->sets = calloc(opts->nsets, sizeof *sh->sets)))) {
        scn_shell_free(sh);
        snprintf(why, size, "out of memory");
        return NULL;
    }
    sh->out = out, sh->err = err;
    for (size_t i = 0; i < opts->nsets; i++) {
        const char *eq = strchr(opts->sets[i], '=');
        if (!eq || eq == opts->sets[i]) {
            snprintf(why, size, "--set %s: expected key=value", opts->sets[i]);
            scn_shell_free(sh);
            return NULL;
        }
        if (!(sh->sets[sh->nsets++] = strdup(opts->sets[i]))) {
            snprintf(why, size, "out of memory");
            scn_shell_free(sh);
            return NULL;
        }
    }
    /* Boot once, so a chip or override that is refused ends the shell before a prompt. */
    unsigned lines[1];
    char *text = shell_scenario_text(sh, SESSION_NAME, SHELL_TEXT_REPLAY, probe_step, false, lines);
    scn_suite_t *suite = text ? scn_suite_new() : NULL;
    char errors[4096];
    bool passed = false;
    if (!suite) {
        snprintf(why, size, "out of memory");
    } else if (scn_suite_add_text(suite, sh->source, text, strlen(text), errors, sizeof errors)) {
        /* The file is ours; the message past "file:line:column: " is the user's. */
        const char *msg = errors;
        for (int colons = 0; *msg && colons < 3; msg++)
            colons += *msg == ':';
        snprintf(why, size, "%s", *msg == ' ' ? msg + 1 : errors);
    } else if (scn_step_through(suite, 0, NULL, NULL, &passed) < 0 || !passed) {
        snprintf(why, size, "%s does not boot with these settings", sh->chip);
    }
    scn_suite_free(suite);
    free(text);
    if (!passed) {
        scn_shell_free(sh);
        return NULL;
    }
    return sh;
}

size_t scn_shell_count(const scn_shell_t *sh)
{
    return sh->count;
}

void scn_shell_prompt(const scn_shell_t *sh, char *buf, size_t size)
{
    snprintf(buf, size, "%s [%zu]> ", sh->chip, sh->count);
}

void scn_shell_help(FILE *f)
{
    fputs("A line is a step, as in a scenario file, run at once:\n"
          "  OP: {ARGS}              an operation (`mmsim run --help` lists them), e.g.\n"
          "                          map: {paddr: 0x110000, size: 64K, target: flash, caps: [read]}\n"
          "  {OP: {ARGS}, save: a, expect: {...}}   a whole step with its own keys (repeat blocks too)\n"
          "or a command:\n"
          "  save NAME               keep the last step's result under NAME (as `save:` in a file)\n"
          "  = EXPR                  evaluate an expression over the saved names (a + 0x100, blocks.count)\n"
          "  =                       the saved names and their values\n"
          "  undo                    forget the last step (the session runs again without it)\n"
          "  dump                    esp_mmu_map_dump_mapped_blocks now (not kept as a step)\n"
          "  cache [NAME|N [core C]] every cache's counts and statistics; with a cache, its valid lines\n"
          "  mmu                     the valid entries of every MMU table\n"
          "  steps                   the steps kept, as `write` would save them\n"
          "  write FILE [NAME]       save the session as a scenario, each step expecting what it observed\n"
          "  help, quit (or exit, or end of input)\n",
          f);
}

/* ---- the lines ------------------------------------------------------------------- */

static scn_shell_rc_t run_step(scn_shell_t *sh, const char *text, bool whole, unsigned lineno, unsigned col)
{
    replay_t rp = {.show = SHOW_STEP};
    bool passed = false;
    if (replay(sh, text, whole, &rp, lineno, col, &passed)) {
        shell_lines_free(rp.before);
        free(rp.observed);
        return SCN_SHELL_BAD;
    }
    shell_lines_free(rp.before);
    if (rp.ops > OPS_SHOWN)
        fprintf(sh->out, "... %u more operations of this step ran\n", rp.ops - OPS_SHOWN);
    if (!passed || rp.ops_failed || !rp.ops) {
        fprintf(sh->out, "step not kept: it %s (the session is still at step %zu)\n",
                rp.ops ? "failed" : "ran no operation", sh->count);
        free(rp.observed);
        return SCN_SHELL_FAILED;
    }
    if (scn_grow(&sh->steps, sizeof *sh->steps, &sh->cap, sh->count + 1) || !(text = strdup(text))) {
        fprintf(sh->err, "%s:%u: out of memory\n", sh->source, lineno);
        free(rp.observed);
        return SCN_SHELL_BAD;
    }
    sh->steps[sh->count++] = (shell_step_t){.text = (char *)text, .whole = whole, .observed = rp.observed,
                                            .input_line = lineno};
    return SCN_SHELL_OK;
}

static bool is_name(const char *s)
{
    if (!isalpha((unsigned char)*s) && *s != '_')
        return false;
    while (isalnum((unsigned char)*s) || *s == '_')
        s++;
    return *s == '\0';
}

static scn_shell_rc_t cmd_save(scn_shell_t *sh, const char *name, unsigned lineno, unsigned col)
{
    if (!sh->count) {
        fprintf(sh->err, "%s:%u:%u: save: no step yet whose result to save\n", sh->source, lineno, col);
        return SCN_SHELL_BAD;
    }
    shell_step_t *last = &sh->steps[sh->count - 1];
    if (!is_name(name)) {
        fprintf(sh->err, "%s:%u:%u: save: '%s' is not a name (a letter or _, then letters, digits, _)\n", sh->source,
                lineno, col, name);
        return SCN_SHELL_BAD;
    }
    if (last->whole) {
        fprintf(sh->err, "%s:%u:%u: save: the last step is a whole mapping: give it `save: %s` inside\n", sh->source,
                lineno, col, name);
        return SCN_SHELL_BAD;
    }
    /* Run the session with the name given, so the loader judges it as in a file. */
    char *old = last->save;
    if (!(last->save = strdup(name))) {
        last->save = old;
        return SCN_SHELL_BAD;
    }
    replay_t rp = {.show = SHOW_NAMES};
    bool passed = false;
    if (replay(sh, probe_step, false, &rp, lineno, col, &passed)) {
        free(last->save);
        last->save = old;
        return SCN_SHELL_BAD;
    }
    free(old);
    return SCN_SHELL_OK;
}

static scn_shell_rc_t inspect(scn_shell_t *sh, show_t show, const char *arg, unsigned lineno, unsigned col)
{
    replay_t rp = {.show = show, .arg = arg};
    bool passed = false;
    if (replay(sh, show == SHOW_DUMP ? "dump:" : probe_step, false, &rp, lineno, col, &passed))
        return SCN_SHELL_BAD;
    if (rp.inspect_rc) {
        fprintf(sh->err, "%s:%u:%u: %s\n", sh->source, lineno, col, rp.why);
        return SCN_SHELL_BAD;
    }
    return SCN_SHELL_OK;
}

static void show_steps(scn_shell_t *sh)
{
    char *text = shell_scenario_text(sh, SESSION_NAME, SHELL_TEXT_FILE, NULL, false, NULL);
    if (text)
        fputs(text, sh->out);
    free(text);
}

scn_shell_rc_t scn_shell_line(scn_shell_t *sh, const char *line, unsigned lineno)
{
    const char *p = line;
    while (isspace((unsigned char)*p))
        p++;
    size_t len = strlen(p);
    while (len && isspace((unsigned char)p[len - 1]))
        len--;
    if (!len || *p == '#')
        return SCN_SHELL_OK;
    /* A step pasted from a file keeps its list dash: the step is what follows it. */
    if (len > 2 && p[0] == '-' && p[1] == ' ') {
        p += 2, len -= 2;
        while (len && isspace((unsigned char)*p))
            p++, len--;
    }
    char *text = strndup(p, len);
    if (!text)
        return SCN_SHELL_BAD;
    unsigned col = (unsigned)(p - line) + 1;
    size_t word = strcspn(text, " \t:");
    const char *rest = text + word;
    bool colon = *rest == ':';
    rest += colon;
    while (isspace((unsigned char)*rest))
        rest++;
    unsigned rest_col = col + (unsigned)(rest - text);
    scn_shell_rc_t rc = SCN_SHELL_OK;
#define IS(w) (word == strlen(w) && !strncmp(text, w, word))
    if (text[0] == '{') {
        rc = run_step(sh, text, true, lineno, col);
    } else if (text[0] == '=') {
        const char *e = text + 1;
        while (isspace((unsigned char)*e))
            e++;
        rc = inspect(sh, *e ? SHOW_EXPR : SHOW_NAMES, e, lineno, col + (unsigned)(e - text));
    } else if (IS("save")) {
        rc = cmd_save(sh, rest, lineno, rest_col);
    } else if (colon) {
        rc = run_step(sh, text, false, lineno, col);
    } else if (IS("quit") || IS("exit")) {
        rc = SCN_SHELL_QUIT;
    } else if (IS("help") || IS("?")) {
        scn_shell_help(sh->out);
    } else if (IS("undo")) {
        if (!sh->count) {
            fprintf(sh->err, "%s:%u:%u: undo: no step to undo\n", sh->source, lineno, col);
            rc = SCN_SHELL_BAD;
        } else {
            shell_step_t *last = &sh->steps[--sh->count];
            fprintf(sh->out, "undone: %s (the session is at step %zu)\n", last->text, sh->count);
            free(last->text);
            free(last->save);
            free(last->observed);
        }
    } else if (IS("dump") && !*rest) {
        rc = inspect(sh, SHOW_DUMP, NULL, lineno, col);
    } else if (IS("cache")) {
        rc = inspect(sh, SHOW_CACHE, rest, lineno, rest_col);
    } else if (IS("mmu") && !*rest) {
        rc = inspect(sh, SHOW_MMU, NULL, lineno, col);
    } else if (IS("steps") && !*rest) {
        show_steps(sh);
    } else if (IS("write")) {
        char path[4096], why[600];
        int used = 0;
        if (sscanf(rest, "%4095s %n", path, &used) < 1) {
            fprintf(sh->err, "%s:%u:%u: write: which file? (write FILE [NAME])\n", sh->source, lineno, rest_col);
            rc = SCN_SHELL_BAD;
        } else if (shell_write_file(sh, path, rest[used] ? rest + used : SESSION_NAME, why, sizeof why)) {
            fprintf(sh->err, "%s:%u:%u: write: %s\n", sh->source, lineno, rest_col, why);
            rc = SCN_SHELL_BAD;
        } else {
            fprintf(sh->out, "wrote %s: %zu steps\n", path, sh->count);
        }
    } else {
        char op[64];
        snprintf(op, sizeof op, "%.*s", (int)word, text);
        if (scn_op_find(op))
            fprintf(sh->err, "%s:%u:%u: '%s' is an operation: a step needs its colon, `%s: {...}`\n", sh->source,
                    lineno, col, op, op);
        else
            fprintf(sh->err, "%s:%u:%u: unknown command '%s' (help lists them; a step is `OP: {ARGS}`)\n",
                    sh->source, lineno, col, op);
        rc = SCN_SHELL_BAD;
    }
#undef IS
    free(text);
    return rc;
}
