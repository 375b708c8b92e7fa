/* scn_expr.c - recursive-descent parser of scenario expressions, and the walk over
 * the names an expression reads (scn_expr.h).  Names are checked against what
 * earlier steps saved by the loader (scn_load_names.c), not here.
 * Expressions are bounded in terms and in parenthesis depth: the parser, the name
 * check and the evaluator all recurse over the tree, so a 64 MB `1+1+...` or
 * `((((...` must be refused, not overflow the stack. */
#include "scn_expr.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ydoc.h"

typedef struct {
    scn_arena_t *arena;
    const char *s, *p;
    char *why;
    size_t size;
    unsigned nodes, depth;
} parser_t;

static int fail(parser_t *ps, const char *what)
{
    /* Long texts are cut: the message names the place, the file holds the rest. */
    int slen = (int)strlen(ps->s), plen = (int)strlen(ps->p);
    const char *s_more = slen > 60 ? "..." : "", *p_more = plen > 30 ? "..." : "";
    if (ps->p == ps->s)
        snprintf(ps->why, ps->size, "bad expression '%.60s%s': %s", ps->s, s_more, what);
    else if (*ps->p)
        snprintf(ps->why, ps->size, "bad expression '%.60s%s': %s at '%.30s%s'", ps->s, s_more, what, ps->p, p_more);
    else
        snprintf(ps->why, ps->size, "bad expression '%.60s%s': %s at the end", ps->s, s_more, what);
    return -1;
}

static void skip_blanks(parser_t *ps)
{
    while (*ps->p == ' ' || *ps->p == '\t')
        ps->p++;
}

static scn_expr_t *node(parser_t *ps, scn_expr_kind_t kind)
{
    if (++ps->nodes > SCN_EXPR_MAX_TERMS)
        return NULL;
    scn_expr_t *e = scn_arena_alloc(ps->arena, sizeof *e);
    if (e)
        e->kind = kind;
    return e;
}

static int parse_sum(parser_t *ps, scn_expr_t **out);

/* Why node() gave NULL: the term limit, or the arena. */
#define NODE_FAILED(ps) ((ps)->nodes > SCN_EXPR_MAX_TERMS ? "more than " SCN_STR(SCN_EXPR_MAX_TERMS) " terms" : "out of memory")

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
    if (!ydoc_parse_size(tok, UINT64_MAX, &v, NULL)) {
        ps->p = start;
        char msg[160];
        bool hex = tok[0] == '0' && (tok[1] == 'x' || tok[1] == 'X');
        size_t digits = hex ? strspn(tok + 2, "0123456789abcdefABCDEF") + 2 : strspn(tok, "0123456789");
        if (hex && !tok[2])
            snprintf(msg, sizeof msg, "'%s' has no hex digits", tok);
        else if (digits == n || (!hex && digits + 1 == n && strchr("KMGkmg", tok[n - 1])))
            snprintf(msg, sizeof msg, "'%s' does not fit in 64 bits", tok);
        else
            snprintf(msg, sizeof msg, "'%s' is not a number (expected e.g. 64K, 4M, 1G, 0x10000 or 65536)", tok);
        return fail(ps, msg);
    }
    if (!(*out = node(ps, SCN_EX_NUM)))
        return fail(ps, NODE_FAILED(ps));
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

static int parse_factor_at_depth(parser_t *ps, scn_expr_t **out);

/* Every nesting (a parenthesis, an item's index) goes through here. */
static int parse_factor(parser_t *ps, scn_expr_t **out)
{
    if (++ps->depth > SCN_EXPR_MAX_DEPTH)
        return fail(ps, "nested more than " SCN_STR(SCN_EXPR_MAX_DEPTH) " deep");
    int rc = parse_factor_at_depth(ps, out);
    ps->depth--;
    return rc;
}

static int parse_factor_at_depth(parser_t *ps, scn_expr_t **out)
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
    if (*ps->p == '-' && isdigit((unsigned char)ps->p[1]))
        return fail(ps, "values cannot be negative");
    if (!isalpha((unsigned char)*ps->p) && *ps->p != '_')
        return fail(ps, "expected a number, a saved name or '('");
    const char *name = parse_ident(ps);
    if (!name)
        return fail(ps, NODE_FAILED(ps));
    if (*ps->p != '.') {
        if (!(*out = node(ps, SCN_EX_NAME)))
            return fail(ps, NODE_FAILED(ps));
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
        return fail(ps, NODE_FAILED(ps));
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
            return fail(ps, NODE_FAILED(ps));
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
            return fail(ps, NODE_FAILED(ps));
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
    if (*ps.p && strchr("/%&|^<>", *ps.p)) {
        char msg[80];
        snprintf(msg, sizeof msg, "'%c' is not an operator (expressions have +, -, * and parentheses)", *ps.p);
        return fail(&ps, msg);
    }
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
