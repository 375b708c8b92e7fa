/* scn_load_names.c - the names steps save and read, checked while loading: a step
 * may read only a name an earlier step saved, with the kind it holds (a number, a
 * list, a himem handle or range handle); expressions are parsed here and every name
 * they read is checked (scn_load.h). */
#include <ctype.h>
#include <string.h>

#include "scn_buf.h"
#include "scn_expr.h"
#include "scn_load.h"

const scn_known_t *scn_known_find(const scn_loader_t *L, const char *name)
{
    for (size_t i = 0; i < L->nknown; i++)
        if (!strcmp(L->known[i].name, name))
            return &L->known[i];
    return NULL;
}

static const char *kind_words(scn_name_kind_t k)
{
    static const char *const words[] = {"a number", "a list", "a himem handle", "a himem range handle",
                                        "a spi_flash_mmap mapping"};
    return words[k];
}

const scn_known_t *scn_use_name(scn_loader_t *L, const ydoc_node_t *node, const char *what, const char *name,
                                scn_name_kind_t want)
{
    const scn_known_t *k = scn_known_find(L, name);
    if (!k) {
        scn_near_t n;
        char hint[80];
        scn_near_init(&n, name);
        for (size_t i = 0; i < L->nknown; i++)
            scn_near_add(&n, L->known[i].name);
        if (scn_near_best(&n))
            scn_fail(L, node, "%s: unknown name '%s' (%sno earlier step saves it)", what, name,
                     scn_near_hint(&n, hint, sizeof hint));
        else
            scn_fail(L, node, "%s: unknown name '%s' (no earlier step saves it)", what, name);
        return NULL;
    }
    if (k->loose)
        return k;
    /* A mapping's name reads as its pointer wherever a number goes. */
    if (k->kind != want && !(want == SCN_NAME_NUMBER && k->kind == SCN_NAME_MMAP)) {
        scn_fail(L, node, "%s: '%s' holds %s, not %s", what, name, kind_words(k->kind), kind_words(want));
        return NULL;
    }
    return k;
}

typedef struct {
    scn_loader_t *L;
    const ydoc_node_t *node;
    const char *what;
} name_check_t;

static int check_name_use(void *ctx, const char *name, int is_list)
{
    name_check_t *c = ctx;
    return scn_use_name(c->L, c->node, c->what, name, is_list ? SCN_NAME_LIST : SCN_NAME_NUMBER) ? 0 : -1;
}

int scn_load_expr(scn_loader_t *L, const ydoc_node_t *node, const char *what, const scn_expr_t **out)
{
    if (node->kind != YDOC_SCALAR)
        return scn_fail(L, node, "%s must be a number or an expression, not %s", what, scn_kind_name(node->kind));
    if (!node->value[0])
        return scn_fail(L, node, "%s: missing value", what);
    char why[300];
    if (scn_expr_parse(L->arena, node->value, out, why, sizeof why))
        return scn_fail(L, node, "%s: %s", what, why);
    name_check_t c = {L, node, what};
    return scn_expr_names(*out, check_name_use, &c);
}

static bool valid_name(const char *s)
{
    if (!isalpha((unsigned char)*s) && *s != '_')
        return false;
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_')
            return false;
    return strcmp(s, "count") != 0;
}

int scn_define_name(scn_loader_t *L, const ydoc_node_t *node, const char *key, scn_name_kind_t kind, const char **out)
{
    if (scn_need_scalar(L, node, key))
        return -1;
    if (!valid_name(node->value))
        return scn_fail(L, node, "%s: '%s' is not a name (letters, digits and _, not starting with a digit; not 'count')",
                        key, node->value);
    scn_known_t *k = (scn_known_t *)scn_known_find(L, node->value);
    if (k && k->loose) {
        k->loose = false;
        k->kind = kind;
    }
    if (k && k->kind != kind)
        return scn_fail(L, node, "%s: '%s' already holds %s; use another name for %s", key, node->value,
                        kind_words(k->kind), kind_words(kind));
    if (!(*out = scn_arena_strdup(L->arena, node->value)))
        return scn_fail(L, node, "out of memory");
    if (k)
        return 0;
    if (scn_grow(&L->known, sizeof *L->known, &L->capknown, L->nknown + 1))
        return scn_fail(L, node, "out of memory");
    L->known[L->nknown++] = (scn_known_t){*out, kind, false};
    return 0;
}

void scn_define_loose(scn_loader_t *L, const char *name)
{
    if (!valid_name(name) || scn_known_find(L, name))
        return;
    const char *copy = scn_arena_strdup(L->arena, name);
    if (copy && scn_grow(&L->known, sizeof *L->known, &L->capknown, L->nknown + 1) == 0)
        L->known[L->nknown++] = (scn_known_t){copy, SCN_NAME_NUMBER, true};
}
