/* compat_heap.c - the heap of an ESP-IDF driver build: heap_caps_* of esp_heap_caps.h
 * and, through the linker's --wrap, the plain malloc/calloc/realloc/free the upstream
 * sources call (esp_himem.c, esp_mmu_map.c's free, flash_mmap.c, partition.c).
 *
 * Blocks come from one arena below 4 GB, because upstream keeps heap pointers in
 * 32-bit integers, as the chip's 32-bit address space allows: flash_mmap.c hands out
 * its heap block as the spi_flash_mmap_handle_t (`(uint32_t)block`) and takes it back
 * with `(void *)handle`.  On a 64-bit host that round trip only holds for an address
 * that fits in 32 bits; a block from the arena does, and upstream's casts then work
 * unchanged.  The arena is placed outside every CPU window of the chip, so a pointer
 * is either a host block or a chip address (compat_mem.c tells them apart).
 *
 * The arena is first fit over a list of freed blocks, then bump allocation; a freed
 * block keeps its bytes until it is reused, as the chip's heap does, so upstream code
 * that reads a block after freeing it (a handle released twice) reads what was there.
 * Every live block is on one list, so unloading the driver frees what it still holds
 * (its dummy blocks, himem's tables) and returns the arena: opening and closing
 * machines in a loop must not leak.  A free of something that is not a live block (a
 * double free, a pointer the heap never gave) is what makes the chip's heap abort: an
 * abort hazard, and nothing is freed.  A library instance serves one machine at a time;
 * the mutex only guards against a caller that breaks that rule. */
#define _DEFAULT_SOURCE 1 /* MAP_ANONYMOUS, MAP_NORESERVE */
#include <pthread.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "esp_heap_caps.h"
#include "esp_private/mmsim_hint.h"
#include "mmsim_idf_compat.h"
#include "mmsim_idf_compat_private.h"

#define MAGIC_LIVE 0x4c495645u /* "LIVE" */
#define MAGIC_FREE 0x46524545u /* "FREE" */

typedef struct alloc_hdr {
    struct alloc_hdr *prev, *next; /* the live list; next alone links the free list */
    size_t size;                   /* asked for */
    size_t room;                   /* usable bytes after the header */
    uint32_t magic;
} alloc_hdr_t;

/* The user block starts at a max_align_t boundary after the header. */
#define ALIGN_UP(n) (((n) + alignof(max_align_t) - 1) / alignof(max_align_t) * alignof(max_align_t))
#define HDR_SPACE ALIGN_UP(sizeof(alloc_hdr_t))

/* Where the arena may go: from 256 MB up to the lowest window of the bundled chips
 * (0x3C000000, the data bus of S3, C3 and C2), in steps of its size, skipping what the
 * host already uses and what the bound chip's windows cover. */
#define ARENA_SIZE ((size_t)16 << 20)
#define ARENA_FIRST ((uintptr_t)0x10000000u)
#define ARENA_LIMIT ((uintptr_t)0x3C000000u)

static pthread_mutex_t s_mu = PTHREAD_MUTEX_INITIALIZER;
static alloc_hdr_t s_head = {&s_head, &s_head, 0, 0, 0};
static alloc_hdr_t *s_free; /* freed blocks, most recent first */
static char *s_arena;
static size_t s_used; /* bytes of the arena handed out so far (bump pointer) */
static size_t s_live;
static unsigned s_fail_countdown;

static bool should_fail(void) { return s_fail_countdown && --s_fail_countdown == 0; }

/* Reserve the arena (s_mu held).  Pages are only committed when touched. */
static bool arena_open(void)
{
    if (s_arena)
        return true;
    for (uintptr_t at = ARENA_FIRST; at + ARENA_SIZE <= ARENA_LIMIT; at += ARENA_SIZE) {
        bool in_window = false;
        for (uintptr_t a = at; a < at + ARENA_SIZE && !in_window; a += 0x10000)
            in_window = mmsim_hint_is_chip_range(a, 1);
        if (in_window)
            continue;
        void *p = mmap((void *)at, ARENA_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                       -1, 0);
        if (p == MAP_FAILED)
            continue;
        if ((uintptr_t)p != at) { /* only a hint: the host put it elsewhere */
            munmap(p, ARENA_SIZE);
            continue;
        }
        s_arena = p;
        s_used = 0;
        return true;
    }
    return false;
}

/* A block of at least `size` bytes (s_mu held): a freed one that fits, else new room. */
static alloc_hdr_t *arena_take(size_t size)
{
    for (alloc_hdr_t **at = &s_free; *at; at = &(*at)->next)
        if ((*at)->room >= size) {
            alloc_hdr_t *h = *at;
            *at = h->next;
            return h;
        }
    if (!arena_open())
        return NULL;
    size_t room = ALIGN_UP(size);
    if (room < size || room > ARENA_SIZE - HDR_SPACE || s_used > ARENA_SIZE - HDR_SPACE - room)
        return NULL;
    alloc_hdr_t *h = (alloc_hdr_t *)(s_arena + s_used);
    s_used += HDR_SPACE + room;
    h->room = room;
    return h;
}

static alloc_hdr_t *hdr_of(void *p) { return (alloc_hdr_t *)((char *)p - HDR_SPACE); }

/* Is `p` the start of a live block (s_mu held)? */
static bool is_live(void *p)
{
    uintptr_t a = (uintptr_t)p;
    if (!s_arena || a < (uintptr_t)s_arena + HDR_SPACE || a >= (uintptr_t)s_arena + s_used ||
        (a - (uintptr_t)s_arena) % alignof(max_align_t))
        return false;
    return hdr_of(p)->magic == MAGIC_LIVE;
}

void *mmsim_idf_alloc(size_t size, bool zero)
{
    pthread_mutex_lock(&s_mu);
    alloc_hdr_t *h = size == 0 || size > ARENA_SIZE || should_fail() ? NULL : arena_take(size);
    if (h) {
        h->size = size;
        h->magic = MAGIC_LIVE;
        h->next = s_head.next;
        h->prev = &s_head;
        s_head.next->prev = h;
        s_head.next = h;
        s_live++;
    }
    pthread_mutex_unlock(&s_mu);
    if (!h)
        return NULL;
    if (zero)
        memset((char *)h + HDR_SPACE, 0, size);
    return (char *)h + HDR_SPACE;
}

/* The chip's heap stops on a free it cannot account for.  Only the first stop is
 * reported (mmsim_idf_assert_failed's rule): a double free that follows an abort is
 * the continuation of the same stop. */
static void bad_free(void *ptr)
{
    char msg[160];
    snprintf(msg, sizeof msg, "heap: free(%p): not a block in use (double free, or not from the heap)", ptr);
    mmsim_idf_abort_once(msg);
}

void mmsim_idf_free(void *ptr)
{
    if (!ptr)
        return;
    pthread_mutex_lock(&s_mu);
    bool live = is_live(ptr);
    if (live) {
        alloc_hdr_t *h = hdr_of(ptr);
        h->prev->next = h->next;
        h->next->prev = h->prev;
        h->magic = MAGIC_FREE;
        h->next = s_free;
        s_free = h;
        s_live--;
    }
    pthread_mutex_unlock(&s_mu);
    if (!live)
        bad_free(ptr);
}

void *mmsim_idf_realloc(void *ptr, size_t size)
{
    if (!ptr)
        return mmsim_idf_alloc(size, false);
    if (size == 0) {
        mmsim_idf_free(ptr);
        return NULL;
    }
    pthread_mutex_lock(&s_mu);
    bool live = is_live(ptr);
    size_t old = live ? hdr_of(ptr)->size : 0;
    pthread_mutex_unlock(&s_mu);
    if (!live) {
        bad_free(ptr);
        return NULL;
    }
    void *n = mmsim_idf_alloc(size, false);
    if (!n)
        return NULL;
    memcpy(n, ptr, old < size ? old : size);
    mmsim_idf_free(ptr);
    return n;
}

size_t mmsim_idf_alloc_live(void)
{
    pthread_mutex_lock(&s_mu);
    size_t n = s_live;
    pthread_mutex_unlock(&s_mu);
    return n;
}

bool mmsim_idf_alloc_is_host(const void *p, size_t len)
{
    uintptr_t a = (uintptr_t)p;
    pthread_mutex_lock(&s_mu);
    bool in = s_arena && a >= (uintptr_t)s_arena && a - (uintptr_t)s_arena <= ARENA_SIZE &&
              len <= ARENA_SIZE - (a - (uintptr_t)s_arena);
    pthread_mutex_unlock(&s_mu);
    return in;
}

void mmsim_idf_alloc_release_all(void)
{
    pthread_mutex_lock(&s_mu);
    s_head.next = s_head.prev = &s_head;
    s_free = NULL;
    s_live = 0;
    if (s_arena)
        munmap(s_arena, ARENA_SIZE);
    s_arena = NULL;
    s_used = 0;
    pthread_mutex_unlock(&s_mu);
}

void mmsim_idf_alloc_fail_at(unsigned n)
{
    pthread_mutex_lock(&s_mu);
    s_fail_countdown = n;
    pthread_mutex_unlock(&s_mu);
}

/* ---- esp_heap_caps.h ---- */

void *heap_caps_malloc(size_t size, uint32_t caps)
{
    return (caps & MALLOC_CAP_SPIRAM) ? NULL : mmsim_idf_alloc(size, false);
}

void *heap_caps_calloc(size_t n, size_t size, uint32_t caps)
{
    if ((caps & MALLOC_CAP_SPIRAM) || (size && n > SIZE_MAX / size))
        return NULL;
    return mmsim_idf_alloc(n * size, true);
}

void *heap_caps_realloc(void *ptr, size_t size, uint32_t caps)
{
    return (caps & MALLOC_CAP_SPIRAM) ? NULL : mmsim_idf_realloc(ptr, size);
}

/* Blocks are max_align_t aligned; a stricter alignment is not needed by the drivers
 * built here (only the deprecated esp_cache_aligned_* helpers ask), so it is refused
 * rather than faked. */
void *heap_caps_aligned_alloc(size_t alignment, size_t size, uint32_t caps)
{
    return alignment <= alignof(max_align_t) ? heap_caps_malloc(size, caps) : NULL;
}

void *heap_caps_aligned_calloc(size_t alignment, size_t n, size_t size, uint32_t caps)
{
    return alignment <= alignof(max_align_t) ? heap_caps_calloc(n, size, caps) : NULL;
}

void heap_caps_free(void *ptr) { mmsim_idf_free(ptr); }
void heap_caps_aligned_free(void *ptr) { mmsim_idf_free(ptr); }

#ifdef MMSIM_IDF_WRAP_LIBC
/* ---- libc, for the upstream sources (linked with --wrap=malloc,calloc,realloc,free) ---- */

void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *ptr, size_t size);
void __wrap_free(void *ptr);

void *__wrap_malloc(size_t size) { return mmsim_idf_alloc(size, false); }
void *__wrap_calloc(size_t n, size_t size) { return heap_caps_calloc(n, size, MALLOC_CAP_DEFAULT); }
void *__wrap_realloc(void *ptr, size_t size) { return mmsim_idf_realloc(ptr, size); }
void __wrap_free(void *ptr) { mmsim_idf_free(ptr); }
#endif
