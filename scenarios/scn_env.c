/* scn_env.c - saved names, expression evaluation and an expression's text (scn_env.h). */
#include "scn_env.h"

#include "scn_buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

scn_name_t *scn_env_find(const scn_env_t *env, const char *name)
{
    for (size_t i = 0; i < env->count; i++)
        if (!strcmp(env->names[i].name, name))
            return &env->names[i];
    return NULL;
}

scn_name_t *scn_env_get(scn_env_t *env, const char *name, scn_name_kind_t kind)
{
    scn_name_t *n = scn_env_find(env, name);
    if (n)
        return n;
    if (scn_grow(&env->names, sizeof *env->names, &env->cap, env->count + 1))
        return NULL;
    n = &env->names[env->count++];
    memset(n, 0, sizeof *n);
    n->name = name;
    n->kind = kind;
    return n;
}

void scn_env_free(scn_env_t *env)
{
    for (size_t i = 0; i < env->count; i++)
        free(env->names[i].list);
    free(env->names);
    *env = (scn_env_t){0};
}

static int eval_name(const scn_env_t *env, const char *name, scn_name_t **out, char *why, size_t size)
{
    *out = scn_env_find(env, name);
    if (!*out || (!(*out)->set && (*out)->kind != SCN_NAME_LIST)) {
        snprintf(why, size, "'%s' has no value yet", name);
        return -1;
    }
    return 0;
}

int scn_eval(const scn_env_t *env, const scn_expr_t *e, uint64_t *out, char *why, size_t size)
{
    scn_name_t *n;
    uint64_t a, b;
    switch (e->kind) {
    case SCN_EX_NUM:
        *out = e->num;
        return 0;
    case SCN_EX_NAME:
        if (eval_name(env, e->name, &n, why, size))
            return -1;
        *out = n->num;
        return 0;
    case SCN_EX_COUNT:
        if (eval_name(env, e->name, &n, why, size))
            return -1;
        *out = n->count;
        return 0;
    case SCN_EX_ITEM:
        if (eval_name(env, e->name, &n, why, size) || scn_eval(env, e->left, &a, why, size))
            return -1;
        if (a >= n->count) {
            snprintf(why, size, "'%s' has %zu item(s), no item %llu", e->name, n->count, (unsigned long long)a);
            return -1;
        }
        *out = n->list[a];
        return 0;
    default:
        break;
    }
    if (scn_eval(env, e->left, &a, why, size) || scn_eval(env, e->right, &b, why, size))
        return -1;
    bool bad = e->kind == SCN_EX_ADD ? a + b < a : e->kind == SCN_EX_SUB ? b > a : a && b > UINT64_MAX / a;
    if (bad) {
        char text[200], values[100];
        scn_expr_text(e, text, sizeof text);
        char op = e->kind == SCN_EX_ADD ? '+' : e->kind == SCN_EX_SUB ? '-' : '*';
        snprintf(values, sizeof values, "0x%llx %c 0x%llx", (unsigned long long)a, op, (unsigned long long)b);
        /* The values only when names or sub-expressions hid them. */
        bool same = !strcmp(text, values);
        snprintf(why, size, "%s %s%s%s%s", text, op == '-' ? "goes below zero" : "overflows 64 bits", same ? "" : " (",
                 same ? "" : values, same ? "" : ")");
        return -1;
    }
    *out = e->kind == SCN_EX_ADD ? a + b : e->kind == SCN_EX_SUB ? a - b : a * b;
    return 0;
}

void scn_expr_text(const scn_expr_t *e, char *buf, size_t size)
{
    char l[128], r[128];
    switch (e->kind) {
    case SCN_EX_NUM:
        snprintf(buf, size, e->num < 10 ? "%llu" : "0x%llx", (unsigned long long)e->num);
        return;
    case SCN_EX_NAME:
        snprintf(buf, size, "%s", e->name);
        return;
    case SCN_EX_COUNT:
        snprintf(buf, size, "%s.count", e->name);
        return;
    case SCN_EX_ITEM:
        scn_expr_text(e->left, l, sizeof l);
        snprintf(buf, size, e->left->kind == SCN_EX_NUM || e->left->kind == SCN_EX_NAME ? "%s.%s" : "%s.(%s)",
                 e->name, l);
        return;
    default:
        scn_expr_text(e->left, l, sizeof l);
        scn_expr_text(e->right, r, sizeof r);
        snprintf(buf, size, "%s %c %s", l, e->kind == SCN_EX_ADD ? '+' : e->kind == SCN_EX_SUB ? '-' : '*', r);
    }
}
