/* scn_load_value.c - the scalar values every part of the loader reads, each error at
 * the value's line: a scalar where one is needed, flag words (one or a list, or a
 * number), esp_err_t names and byte strings (scn_load.h). */
#include <stdio.h>
#include <string.h>

#include "scn_load.h"

const char *scn_kind_name(ydoc_kind_t k)
{
    return k == YDOC_SCALAR ? "a scalar" : k == YDOC_MAPPING ? "a mapping" : "a sequence";
}

int scn_need_scalar(scn_loader_t *L, const ydoc_node_t *node, const char *what)
{
    if (node->kind != YDOC_SCALAR)
        return scn_fail(L, node, "%s must be a scalar, not %s", what, scn_kind_name(node->kind));
    return 0;
}

int scn_load_flags(scn_loader_t *L, const ydoc_node_t *node, const char *what, const scn_word_t *words, bool single,
                   uint32_t *out)
{
    char list[200];
    scn_words_list(words, list, sizeof list);
    *out = 0;
    if (node->kind == YDOC_MAPPING || (single && node->kind == YDOC_SEQUENCE))
        return scn_fail(L, node, "%s must be %s, not %s", what, single ? "one word" : "a word or a list of words",
                        scn_kind_name(node->kind));
    size_t n = node->kind == YDOC_SEQUENCE ? node->count : 1;
    for (size_t i = 0; i < n; i++) {
        const ydoc_node_t *w = node->kind == YDOC_SEQUENCE ? node->items[i] : node;
        if (scn_need_scalar(L, w, what))
            return -1;
        uint32_t bit;
        uint64_t num;
        if (scn_word_find(words, w->value, &bit))
            *out |= bit;
        else if (!w->quoted && ydoc_parse_u64(w->value, &num) && num <= UINT32_MAX)
            *out |= (uint32_t)num;
        else if (!strcmp(w->value, "none") && n == 1)
            *out = 0;
        else {
            char hint[80];
            return scn_fail(L, w, "%s: unknown word '%s' (%sexpected %s%s, or a number)", what, w->value,
                            scn_near_word(w->value, words, hint, sizeof hint), single ? "one of " : "", list);
        }
    }
    return 0;
}

int scn_load_err(scn_loader_t *L, const ydoc_node_t *node, const char *what, bool any_ok, bool *any, int *out)
{
    if (scn_need_scalar(L, node, what))
        return -1;
    if (any_ok && !strcmp(node->value, "any")) {
        *any = true;
        return 0;
    }
    if (!scn_err_from_name(node->value, out)) {
        scn_near_t n;
        char hint[80];
        scn_near_init(&n, node->value);
        for (size_t i = 0; scn_err_name_at(i); i++)
            scn_near_add(&n, scn_err_name_at(i));
        return scn_fail(L, node,
                        "%s: unknown return code '%s' (%sexpected a name such as ESP_OK, ESP_ERR_INVALID_ARG, "
                        "ESP_ERR_NOT_FOUND%s)",
                        what, node->value, scn_near_hint(&n, hint, sizeof hint), any_ok ? ", or any" : "");
    }
    return 0;
}

const char *scn_text_dup(scn_loader_t *L, const char *text)
{
    size_t n = strlen(text);
    while (n && (text[n - 1] == '\n' || text[n - 1] == ' ' || text[n - 1] == '\t'))
        n--;
    return scn_arena_strndup(L->arena, text, n);
}

int scn_load_bytes(scn_loader_t *L, const ydoc_node_t *v, const char *what, const uint8_t **out, size_t *n)
{
    uint8_t *b;
    char why[300];
    if (scn_need_scalar(L, v, what))
        return -1;
    if (scn_bytes_parse(L->arena, v->value, &b, n, why, sizeof why))
        return scn_fail(L, v, "%s: %s", what, why);
    *out = b;
    return 0;
}
