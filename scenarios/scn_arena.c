/* scn_arena.c - chunked bump allocation for loaded suites (scn_arena.h). */
#include "scn_arena.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_MIN 16384u

struct scn_arena_chunk {
    scn_arena_chunk_t *next;
    size_t used, size;
    alignas(max_align_t) unsigned char data[];
};

void *scn_arena_alloc(scn_arena_t *a, size_t size)
{
    const size_t align = alignof(max_align_t);
    size = (size + align - 1) / align * align;
    if (size == 0)
        size = align;
    scn_arena_chunk_t *c = a->chunks;
    if (!c || c->size - c->used < size) {
        size_t cap = size > CHUNK_MIN ? size : CHUNK_MIN;
        c = malloc(sizeof *c + cap);
        if (!c) {
            a->failed = 1;
            return NULL;
        }
        c->size = cap;
        c->used = 0;
        c->next = a->chunks;
        a->chunks = c;
    }
    void *p = c->data + c->used;
    c->used += size;
    memset(p, 0, size);
    return p;
}

char *scn_arena_strndup(scn_arena_t *a, const char *s, size_t n)
{
    char *p = scn_arena_alloc(a, n + 1);
    if (p)
        memcpy(p, s, n);
    return p;
}

char *scn_arena_strdup(scn_arena_t *a, const char *s) { return s ? scn_arena_strndup(a, s, strlen(s)) : NULL; }

void scn_arena_free(scn_arena_t *a)
{
    while (a->chunks) {
        scn_arena_chunk_t *next = a->chunks->next;
        free(a->chunks);
        a->chunks = next;
    }
    a->failed = 0;
}
