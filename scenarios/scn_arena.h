/* scn_arena.h - the loader's memory: every structure of a loaded suite comes from
 * one arena and is released at once, so a half-built scenario after an error
 * cannot leak. */
#ifndef MMSIM_SCN_ARENA_H
#define MMSIM_SCN_ARENA_H

#include <stddef.h>

typedef struct scn_arena_chunk scn_arena_chunk_t;

typedef struct {
    scn_arena_chunk_t *chunks;
    int failed; /* an allocation failed: the load reports out of memory */
} scn_arena_t;

/* Zeroed memory for `size` bytes, aligned for any object; NULL (and failed set)
 * when the host runs out of memory. */
void *scn_arena_alloc(scn_arena_t *a, size_t size);
/* A copy of `s` (or of its first `n` bytes, NUL-terminated). */
char *scn_arena_strdup(scn_arena_t *a, const char *s);
char *scn_arena_strndup(scn_arena_t *a, const char *s, size_t n);
void scn_arena_free(scn_arena_t *a);

#endif
