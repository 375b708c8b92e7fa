/* scn_load_errors.c - the loader's errors and its suggestions.  Every error of a file
 * is collected ("file:line:column: message"), kept in file order without repeats (a
 * scenario loaded once per chip of a `chip:` list reports a step's error once), so one
 * run shows them all; the first SCN_LOAD_SHOW are printed, then a count of the rest.
 * A misspelt name gets the nearest allowed one ("did you mean 'read'?"): an edit
 * distance (a swap of two neighbours counts one edit, case is free) small for the
 * word's length (a fifth of it, one to three edits), else the one allowed name the
 * word begins. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn_load.h"

/* Errors kept in memory: a fuzzed file can hold a hundred thousand bad steps; past
 * this many only the count grows. */
#define KEEP 100

static bool before(const scn_load_err_t *a, unsigned line, unsigned col, size_t seq)
{
    if (a->line != line)
        return a->line < line;
    if (a->col != col)
        return a->col < col;
    return a->seq < seq;
}

static void record(scn_loader_t *L, unsigned line, unsigned col, const char *msg)
{
    L->nfail++;
    for (size_t i = 0; i < L->nerrs; i++)
        if (!strcmp(L->errs[i].msg, msg))
            return; /* the same step seen again for another chip */
    size_t seq = L->seq++;
    if (L->nerrs == KEEP) {
        if (before(&L->errs[KEEP - 1], line, col, seq)) {
            L->dropped++;
            return;
        }
        free(L->errs[--L->nerrs].msg);
        L->dropped++;
    }
    if (!L->errs && !(L->errs = calloc(KEEP, sizeof *L->errs))) {
        L->dropped++;
        return;
    }
    char *copy = strdup(msg);
    if (!copy) {
        L->dropped++;
        return;
    }
    size_t at = L->nerrs;
    while (at && !before(&L->errs[at - 1], line, col, seq))
        at--;
    memmove(&L->errs[at + 1], &L->errs[at], (L->nerrs - at) * sizeof *L->errs);
    L->errs[at] = (scn_load_err_t){line, col, seq, copy};
    L->nerrs++;
}

int scn_load_fail(scn_loader_t *L, const ydoc_node_t *node, const char *fmt, ...)
{
    char body[YDOC_ERR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    ydoc_err_t e;
    ydoc_fail(&e, L->doc, node, "%s", body);
    record(L, node ? node->line : 0, node ? node->col : 0, e.msg);
    return -1;
}

size_t scn_load_errors(const scn_loader_t *L) { return L->nerrs + L->dropped; }

void scn_load_errors_text(const scn_loader_t *L, scn_buf_t *out)
{
    size_t shown = L->nerrs < SCN_LOAD_SHOW ? L->nerrs : SCN_LOAD_SHOW;
    for (size_t i = 0; i < shown; i++)
        scn_buf_printf(out, "%s\n", L->errs[i].msg);
    size_t more = L->nerrs - shown + L->dropped;
    if (more)
        scn_buf_printf(out, "%s: and %zu more error%s\n", L->doc->file, more, more == 1 ? "" : "s");
}

void scn_load_errors_free(scn_loader_t *L)
{
    for (size_t i = 0; i < L->nerrs; i++)
        free(L->errs[i].msg);
    free(L->errs);
    L->errs = NULL;
    L->nerrs = L->dropped = 0;
}

/* ---- the nearest allowed name ---- */

/* Optimal-string-alignment distance, case-insensitive, of words under 40 bytes. */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la >= 40 || lb >= 40)
        return 99;
    size_t d[41][41];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
            size_t best = d[i - 1][j - 1] + (ca != cb);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) && tolower((unsigned char)a[i - 2]) == cb &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

static bool has_prefix(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++)
        if (tolower((unsigned char)*s) != tolower((unsigned char)*prefix))
            return false;
    return true;
}

void scn_near_init(scn_near_t *n, const char *word)
{
    /* a fifth of the word, at least one edit and at most three; a word of one or two
     * letters is near everything of its length, so it only gets its case fixed */
    size_t len = strlen(word), edits = len / 5 < 1 ? 1 : len / 5 > 3 ? 3 : len / 5;
    *n = (scn_near_t){.word = word, .best_d = (len < 3 ? 0 : edits) + 1};
}

void scn_near_add(scn_near_t *n, const char *candidate)
{
    if (!candidate || !strcmp(candidate, n->word))
        return;
    size_t d = distance(n->word, candidate);
    if (d < n->best_d) {
        n->best_d = d;
        n->best = candidate;
    }
    if (strlen(n->word) >= 3 && has_prefix(candidate, n->word)) {
        n->prefixed = n->prefixes ? NULL : candidate;
        n->prefixes++;
    }
}

const char *scn_near_best(const scn_near_t *n)
{
    if (n->best)
        return n->best;
    return n->prefixes == 1 ? n->prefixed : NULL;
}

const char *scn_near_hint(const scn_near_t *n, char *buf, size_t size)
{
    const char *best = scn_near_best(n);
    if (!best)
        return "";
    snprintf(buf, size, "did you mean '%s'? ", best);
    return buf;
}

const char *scn_near_of(const char *word, const char *const *names, char *buf, size_t size)
{
    scn_near_t n;
    scn_near_init(&n, word);
    for (size_t i = 0; names[i]; i++)
        scn_near_add(&n, names[i]);
    return scn_near_hint(&n, buf, size);
}

const char *scn_near_word(const char *word, const scn_word_t *words, char *buf, size_t size)
{
    scn_near_t n;
    scn_near_init(&n, word);
    for (const scn_word_t *w = words; w->name; w++)
        scn_near_add(&n, w->name);
    return scn_near_hint(&n, buf, size);
}
