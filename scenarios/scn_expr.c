/* scn_expr.c - recursive-descent parser of scenario expressions (scn_expr.h).
 * Names are checked against what earlier steps saved by the loader, not here. */
#include "scn_expr.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "ydoc.h"

typedef struct {
    scn_arena_t *arena;
    const char *s, *p;
    char *why;
    size_t size;
} parser_t;

static int fail(parser_t *ps, const char *what)
{
    if (*ps->p)
        snprintf(ps->why, ps->size, "bad expression '%s': %s at '%s'", ps->s, what, ps->p);
    else
        snprintf(ps->why, ps->size, "bad expression '%s': %s at the end", ps->s, what);
    return -1;
}

static void skip_blanks(parser_t *ps)
{
    while (*ps->p == ' ' || *ps->p == '\t')
        ps->p++;
}

static scn_expr_t *node(parser_t *ps, scn_expr_kind_t kind)
{
    scn_expr_t *e = scn_arena_alloc(ps->arena, sizeof *e);
    if (e)
        e->kind = kind;
    return e;
}

static int parse_sum(parser_t *ps, scn_expr_t **out);

static int parse_number(parser_t *ps, scn_expr_t **out)
{
    const char *start = ps->p;
    while (isalnum((unsigned char)*ps->p))
        ps->p++;
    char tok[40];
    size_t n = (size_t)(ps->p - start);
    if (n >= sizeof tok) {
        ps->p = start;
        return fail(ps, "number too long");
    }
    memcpy(tok, start, n);
    tok[n] = '\0';
    uint64_t v;
    const char *why = NULL;
    if (!ydoc_parse_size(tok, UINT64_MAX, &v, &why)) {
        ps->p = start;
        char msg[160];
        snprintf(msg, sizeof msg, "'%s' is not a number (%s)", tok, why ? why : "bad digits");
        return fail(ps, msg);
    }
    if (!(*out = node(ps, SCN_EX_NUM)))
        return fail(ps, "out of memory");
    (*out)->num = v;
    return 0;
}

static const char *parse_ident(parser_t *ps)
{
    const char *start = ps->p;
    while (isalnum((unsigned char)*ps->p) || *ps->p == '_')
        ps->p++;
    return scn_arena_strndup(ps->arena, start, (size_t)(ps->p - start));
}

static int parse_factor(parser_t *ps, scn_expr_t **out)
{
    skip_blanks(ps);
    if (*ps->p == '(') {
        ps->p++;
        if (parse_sum(ps, out))
            return -1;
        skip_blanks(ps);
        if (*ps->p != ')')
            return fail(ps, "expected ')'");
        ps->p++;
        return 0;
    }
    if (isdigit((unsigned char)*ps->p))
        return parse_number(ps, out);
    if (!isalpha((unsigned char)*ps->p) && *ps->p != '_')
        return fail(ps, "expected a number, a saved name or '('");
    const char *name = parse_ident(ps);
    if (!name)
        return fail(ps, "out of memory");
    if (*ps->p != '.') {
        if (!(*out = node(ps, SCN_EX_NAME)))
            return fail(ps, "out of memory");
        (*out)->name = name;
        return 0;
    }
    ps->p++;
    scn_expr_t *index = NULL;
    if (!strncmp(ps->p, "count", 5) && !isalnum((unsigned char)ps->p[5]) && ps->p[5] != '_') {
        ps->p += 5;
    } else if (*ps->p == '(' || isdigit((unsigned char)*ps->p) || isalpha((unsigned char)*ps->p) || *ps->p == '_') {
        if (parse_factor(ps, &index))
            return -1;
    } else {
        return fail(ps, "expected 'count', an index or a name after '.'");
    }
    if (!(*out = node(ps, index ? SCN_EX_ITEM : SCN_EX_COUNT)))
        return fail(ps, "out of memory");
    (*out)->name = name;
    (*out)->left = index;
    return 0;
}

static int parse_product(parser_t *ps, scn_expr_t **out)
{
    if (parse_factor(ps, out))
        return -1;
    for (;;) {
        skip_blanks(ps);
        if (*ps->p != '*')
            return 0;
        ps->p++;
        scn_expr_t *e = node(ps, SCN_EX_MUL);
        if (!e)
            return fail(ps, "out of memory");
        e->left = *out;
        if (parse_factor(ps, &e->right))
            return -1;
        *out = e;
    }
}

static int parse_sum(parser_t *ps, scn_expr_t **out)
{
    if (parse_product(ps, out))
        return -1;
    for (;;) {
        skip_blanks(ps);
        if (*ps->p != '+' && *ps->p != '-')
            return 0;
        scn_expr_t *e = node(ps, *ps->p == '+' ? SCN_EX_ADD : SCN_EX_SUB);
        ps->p++;
        if (!e)
            return fail(ps, "out of memory");
        e->left = *out;
        if (parse_product(ps, &e->right))
            return -1;
        *out = e;
    }
}

int scn_expr_parse(scn_arena_t *a, const char *text, const scn_expr_t **out, char *why, size_t size)
{
    parser_t ps = {.arena = a, .s = text, .p = text, .why = why, .size = size};
    scn_expr_t *e;
    if (parse_sum(&ps, &e))
        return -1;
    skip_blanks(&ps);
    if (*ps.p)
        return fail(&ps, "unexpected text");
    *out = e;
    return 0;
}

int scn_expr_names(const scn_expr_t *e, scn_expr_name_fn fn, void *ctx)
{
    if (!e)
        return 0;
    if (e->kind == SCN_EX_NAME || e->kind == SCN_EX_ITEM || e->kind == SCN_EX_COUNT)
        if (fn(ctx, e->name, e->kind != SCN_EX_NAME))
            return -1;
    return scn_expr_names(e->left, fn, ctx) || scn_expr_names(e->right, fn, ctx) ? -1 : 0;
}
