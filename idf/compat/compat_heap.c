/* compat_heap.c - the host allocations of an ESP-IDF driver build: heap_caps_* of
 * esp_heap_caps.h and, through the linker's --wrap, the plain malloc/calloc/realloc/
 * free the upstream sources call (esp_himem.c, esp_mmu_map.c's free).  Every block
 * carries a header linking it into one list, so unloading the driver can free what it
 * still holds (its dummy blocks, himem's tables): opening and closing machines in a
 * loop must not leak.  A library instance serves one machine at a time; the mutex only
 * guards against a caller that breaks that rule. */
#include <pthread.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "esp_heap_caps.h"
#include "mmsim_idf_compat.h"

typedef struct alloc_hdr {
    struct alloc_hdr *prev, *next;
    size_t size;
} alloc_hdr_t;

/* The user block starts at a max_align_t boundary after the header. */
#define HDR_SPACE ((sizeof(alloc_hdr_t) + alignof(max_align_t) - 1) / alignof(max_align_t) * alignof(max_align_t))

static pthread_mutex_t s_mu = PTHREAD_MUTEX_INITIALIZER;
static alloc_hdr_t s_head = {&s_head, &s_head, 0};
static size_t s_live;
static unsigned s_fail_countdown;

/* In a driver library (linked with --wrap=malloc,...) the host allocator is reached as
 * __real_*; the unit tests link the layer without --wrap. */
#ifdef MMSIM_IDF_WRAP_LIBC
void *__real_malloc(size_t size);
void __real_free(void *ptr);
#define host_malloc __real_malloc
#define host_free __real_free
#else
#define host_malloc malloc
#define host_free free
#endif

static alloc_hdr_t *hdr_of(void *p) { return (alloc_hdr_t *)((char *)p - HDR_SPACE); }

static bool should_fail(void)
{
    return s_fail_countdown && --s_fail_countdown == 0;
}

void *mmsim_idf_alloc(size_t size, bool zero)
{
    pthread_mutex_lock(&s_mu);
    bool fail = size == 0 || size > SIZE_MAX - HDR_SPACE || should_fail();
    pthread_mutex_unlock(&s_mu);
    if (fail)
        return NULL;
    alloc_hdr_t *h = host_malloc(HDR_SPACE + size);
    if (!h)
        return NULL;
    if (zero)
        memset((char *)h + HDR_SPACE, 0, size);
    h->size = size;
    pthread_mutex_lock(&s_mu);
    h->next = s_head.next;
    h->prev = &s_head;
    s_head.next->prev = h;
    s_head.next = h;
    s_live++;
    pthread_mutex_unlock(&s_mu);
    return (char *)h + HDR_SPACE;
}

void mmsim_idf_free(void *ptr)
{
    if (!ptr)
        return;
    alloc_hdr_t *h = hdr_of(ptr);
    pthread_mutex_lock(&s_mu);
    h->prev->next = h->next;
    h->next->prev = h->prev;
    s_live--;
    pthread_mutex_unlock(&s_mu);
    host_free(h);
}

void *mmsim_idf_realloc(void *ptr, size_t size)
{
    if (!ptr)
        return mmsim_idf_alloc(size, false);
    if (size == 0) {
        mmsim_idf_free(ptr);
        return NULL;
    }
    void *n = mmsim_idf_alloc(size, false);
    if (!n)
        return NULL;
    size_t old = hdr_of(ptr)->size;
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

void mmsim_idf_alloc_release_all(void)
{
    pthread_mutex_lock(&s_mu);
    alloc_hdr_t *h = s_head.next;
    s_head.next = s_head.prev = &s_head;
    s_live = 0;
    pthread_mutex_unlock(&s_mu);
    while (h != &s_head) {
        alloc_hdr_t *next = h->next;
        host_free(h);
        h = next;
    }
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

/* Host blocks are max_align_t aligned; a stricter alignment is not needed by the
 * drivers built here (only the deprecated esp_cache_aligned_* helpers ask), so it is
 * refused rather than faked. */
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

void *__wrap_malloc(size_t size) { return mmsim_idf_alloc(size, false); }
void *__wrap_calloc(size_t n, size_t size) { return heap_caps_calloc(n, size, MALLOC_CAP_DEFAULT); }
void *__wrap_realloc(void *ptr, size_t size) { return mmsim_idf_realloc(ptr, size); }
void __wrap_free(void *ptr) { mmsim_idf_free(ptr); }
#endif
