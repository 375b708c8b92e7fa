/* ydoc_collect.c - every error of a file at once (ydoc.h): the collector of this
 * thread, kept in file order without repeats, and printed with a count past a limit,
 * as the scenario loader prints its errors. */
#include <stdlib.h>
#include <string.h>

#include "ydoc.h"
#include "ydoc_collect.h"

struct ydoc_collected {
    unsigned line, col;
    size_t seq;
    char *msg;
};

static _Thread_local ydoc_errors_t *collector;
static _Thread_local size_t next_seq;

void ydoc_collect_begin(ydoc_errors_t *into)
{
    memset(into, 0, sizeof *into);
    collector = into;
    next_seq = 0;
}

bool ydoc_collecting(void)
{
    return collector != NULL;
}

void ydoc_collect_add(unsigned line, unsigned col, const char *msg)
{
    ydoc_errors_t *e = collector;
    if (!e)
        return;
    for (size_t i = 0; i < e->count; i++)
        if (!strcmp(e->items[i].msg, msg))
            return;
    if (e->count == YDOC_COLLECT_KEEP) {
        e->dropped++;
        return;
    }
    if (e->count == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 8;
        struct ydoc_collected *p = realloc(e->items, cap * sizeof *p);
        if (!p) {
            e->dropped++;
            return;
        }
        e->items = p, e->cap = cap;
    }
    char *copy = strdup(msg);
    if (!copy) {
        e->dropped++;
        return;
    }
    e->items[e->count++] = (struct ydoc_collected){line, col, next_seq++, copy};
}

static int in_file_order(const void *a, const void *b)
{
    const struct ydoc_collected *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void ydoc_collect_end(void)
{
    if (collector && collector->count)
        qsort(collector->items, collector->count, sizeof *collector->items, in_file_order);
    collector = NULL;
}

size_t ydoc_errors_print(const ydoc_errors_t *e, FILE *f, size_t show, const char *file)
{
    size_t total = e->count + e->dropped;
    for (size_t i = 0; i < e->count && i < show; i++)
        fprintf(f, "%s\n", e->items[i].msg);
    if (total > show)
        fprintf(f, "%s: and %zu more error%s\n", file, total - show, total - show == 1 ? "" : "s");
    return total;
}

void ydoc_errors_free(ydoc_errors_t *e)
{
    for (size_t i = 0; i < e->count; i++)
        free(e->items[i].msg);
    free(e->items);
    memset(e, 0, sizeof *e);
}
