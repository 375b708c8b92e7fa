/* esp_heap_caps.c - the capability heaps' allocator: regions registered with ESP-IDF's
 * three priority levels of caps, aligned first fit in priority order, resizing in
 * place, free with coalescing, and the size queries.  Each heap is a run of chunks in
 * address order that tile it exactly (free or used), so a block is found by binary
 * search and merged with its free neighbours on free.  ESP-IDF's rules on top (the
 * hardware alignment of DMA buffers, calloc, realloc, the prefer variants) are in
 * esp_heap_caps_api.c. */
#include <stdbool.h>
#include <stdlib.h>

#include "esp_heap_caps.h"
#include "esp_heap_caps_alloc.h"
#include "esp_private/heap_caps_ctx.h"
#include "esp_private/invariant.h"

#define HEAP_MAX_REGIONS 8
#define HEAP_PRIOS 3

typedef struct {
    uint32_t addr, size;
    bool used;
} chunk_t;

typedef struct {
    uint32_t caps[HEAP_PRIOS], all_caps, start, end;
    uint32_t free_bytes, min_free; /* now, and the lowest since registration */
    chunk_t *chunks;
    size_t count, cap;
} heap_region_t;

struct heap_caps_ctx {
    heap_region_t regions[HEAP_MAX_REGIONS];
    int num_regions;
    esp_alloc_failed_hook_t failed_hook;
};

static _Thread_local heap_caps_ctx_t *s_heap;

heap_caps_ctx_t *heap_caps_ctx_current(void) { return s_heap; }
void heap_caps_ctx_switch(heap_caps_ctx_t *ctx) { s_heap = ctx; }

void heap_caps_ctx_free(heap_caps_ctx_t *ctx)
{
    if (!ctx)
        return;
    for (int i = 0; i < ctx->num_regions; i++)
        free(ctx->regions[i].chunks);
    if (s_heap == ctx)
        s_heap = NULL;
    free(ctx);
}

static heap_caps_ctx_t *ctx_or_new(void)
{
    if (!s_heap)
        s_heap = calloc(1, sizeof *s_heap);
    return s_heap;
}

esp_alloc_failed_hook_t heap_alloc_failed_hook(void) { return s_heap ? s_heap->failed_hook : NULL; }

esp_err_t heap_caps_register_failed_alloc_callback(esp_alloc_failed_hook_t callback)
{
    if (!callback)
        return ESP_ERR_INVALID_ARG;
    if (!ctx_or_new())
        return ESP_ERR_NO_MEM;
    s_heap->failed_hook = callback;
    return ESP_OK;
}

/* Make room for `n` more chunks in `r`. */
static bool reserve_chunks(heap_region_t *r, size_t n)
{
    if (r->count + n <= r->cap)
        return true;
    size_t cap = r->cap ? r->cap * 2 : 16;
    chunk_t *p = realloc(r->chunks, cap * sizeof *p);
    if (!p)
        return false;
    r->chunks = p;
    r->cap = cap;
    return true;
}

/* Insert `c` as chunk k of r (room reserved). */
static void insert_chunk(heap_region_t *r, size_t k, chunk_t c)
{
    for (size_t j = r->count; j > k; j--)
        r->chunks[j] = r->chunks[j - 1];
    r->chunks[k] = c;
    r->count++;
}

/* Drop chunk k of r (after merging it into a neighbour). */
static void remove_chunk(heap_region_t *r, size_t k)
{
    for (size_t j = k; j + 1 < r->count; j++)
        r->chunks[j] = r->chunks[j + 1];
    r->count--;
}

esp_err_t heap_caps_add_region_with_caps(const uint32_t caps[], intptr_t start, intptr_t end)
{
    if (!caps || start >= end || start < 0 || (uint64_t)end > UINT32_MAX)
        return ESP_ERR_INVALID_ARG;
    if (!ctx_or_new())
        return ESP_ERR_NO_MEM;
    for (int i = 0; i < s_heap->num_regions; i++)
        if ((uint32_t)start < s_heap->regions[i].end && (uint32_t)end > s_heap->regions[i].start)
            return ESP_FAIL;
    if (s_heap->num_regions == HEAP_MAX_REGIONS)
        return ESP_ERR_NO_MEM;
    /* Blocks start 4-byte aligned, so the usable range does too. */
    uint32_t first = ((uint32_t)start + HEAP_MIN_ALIGN - 1u) & ~(HEAP_MIN_ALIGN - 1u);
    uint32_t last = (uint32_t)end & ~(HEAP_MIN_ALIGN - 1u);
    if (first >= last)
        return ESP_ERR_INVALID_ARG;
    heap_region_t *r = &s_heap->regions[s_heap->num_regions];
    *r = (heap_region_t){{caps[0], caps[1], caps[2]}, caps[0] | caps[1] | caps[2], first, last, last - first,
                         last - first, NULL, 0, 0};
    if (!reserve_chunks(r, 1))
        return ESP_ERR_NO_MEM;
    r->chunks[r->count++] = (chunk_t){first, last - first, false};
    s_heap->num_regions++;
    return ESP_OK;
}

/* Take `want` bytes at an `align` boundary from free chunk k of r, if it has room:
 * [padding, free][block, used][rest, free]. */
static void *take_from(heap_region_t *r, size_t k, uint32_t align, uint32_t want)
{
    chunk_t c = r->chunks[k];
    uint32_t at = (c.addr + align - 1u) & ~(align - 1u);
    if (at < c.addr || at - c.addr > c.size || c.size - (at - c.addr) < want)
        return NULL;
    uint32_t pad = at - c.addr, rest = c.size - pad - want;
    if (!reserve_chunks(r, 2))
        return NULL;
    size_t at_k = k;
    if (pad) {
        r->chunks[k].size = pad;
        insert_chunk(r, ++at_k, (chunk_t){at, want, true});
    } else {
        r->chunks[k] = (chunk_t){at, want, true};
    }
    if (rest)
        insert_chunk(r, at_k + 1, (chunk_t){at + want, rest, false});
    r->free_bytes -= want;
    if (r->free_bytes < r->min_free)
        r->min_free = r->free_bytes;
    return (void *)(uintptr_t)at;
}

void *heap_alloc(uint32_t align, uint32_t size, uint32_t caps)
{
    if (!s_heap || !size)
        return NULL;
    /* ESP-IDF's order: priority level by level, and in each level the heaps that list
     * one of the caps there and have all of them over their levels. */
    for (int prio = 0; prio < HEAP_PRIOS; prio++)
        for (int i = 0; i < s_heap->num_regions; i++) {
            heap_region_t *r = &s_heap->regions[i];
            if (!(r->caps[prio] & caps) || (r->all_caps & caps) != caps)
                continue;
            for (size_t k = 0; k < r->count; k++) {
                void *p = r->chunks[k].used ? NULL : take_from(r, k, align, size);
                if (p)
                    return p;
            }
        }
    return NULL;
}

/* The region and chunk of the used block starting at `addr`, or false. */
static bool find_block(uint32_t addr, heap_region_t **rp, size_t *kp)
{
    for (int i = 0; s_heap && i < s_heap->num_regions; i++) {
        heap_region_t *r = &s_heap->regions[i];
        if (addr < r->start || addr >= r->end)
            continue;
        size_t lo = 0, hi = r->count; /* the last chunk starting at or below addr */
        while (hi - lo > 1) {
            size_t mid = (lo + hi) / 2;
            if (r->chunks[mid].addr <= addr)
                lo = mid;
            else
                hi = mid;
        }
        if (r->chunks[lo].addr != addr || !r->chunks[lo].used)
            return false;
        *rp = r, *kp = lo;
        return true;
    }
    return false;
}

bool heap_block(uint32_t addr, uint32_t *size, uint32_t *all_caps)
{
    heap_region_t *r;
    size_t k;
    if (!find_block(addr, &r, &k))
        return false;
    *size = r->chunks[k].size;
    *all_caps = r->all_caps;
    return true;
}

bool heap_release(uint32_t addr)
{
    heap_region_t *r;
    size_t k;
    if (!find_block(addr, &r, &k))
        return false;
    chunk_t *c = &r->chunks[k];
    c->used = false;
    r->free_bytes += c->size;
    if (k + 1 < r->count && !r->chunks[k + 1].used) {
        c->size += r->chunks[k + 1].size;
        remove_chunk(r, k + 1);
    }
    if (k > 0 && !r->chunks[k - 1].used) {
        r->chunks[k - 1].size += c->size;
        remove_chunk(r, k);
    }
    return true;
}

bool heap_resize_in_place(uint32_t addr, uint32_t size)
{
    heap_region_t *r;
    size_t k;
    if (!find_block(addr, &r, &k) || !size)
        return false;
    chunk_t *c = &r->chunks[k];
    bool next_free = k + 1 < r->count && !r->chunks[k + 1].used;
    uint32_t room = c->size + (next_free ? r->chunks[k + 1].size : 0);
    if (size > room || (size < c->size && !next_free && !reserve_chunks(r, 1)))
        return false;
    c = &r->chunks[k];
    /* The bytes after the block become (or stay) one free chunk. */
    r->free_bytes = r->free_bytes + c->size - size;
    if (r->free_bytes < r->min_free)
        r->min_free = r->free_bytes;
    if (next_free)
        remove_chunk(r, k + 1);
    c->size = size;
    if (room > size)
        insert_chunk(r, k + 1, (chunk_t){addr + size, room - size, false});
    return true;
}

/* What a size query adds up over the heaps with `caps`. */
typedef enum { MEASURE_FREE, MEASURE_LARGEST, MEASURE_TOTAL, MEASURE_MINIMUM } measure_t;

static size_t heap_measure(uint32_t caps, measure_t what)
{
    size_t acc = 0;
    for (int i = 0; s_heap && i < s_heap->num_regions; i++) {
        const heap_region_t *r = &s_heap->regions[i];
        if ((r->all_caps & caps) != caps)
            continue;
        if (what == MEASURE_TOTAL)
            acc += r->end - r->start;
        else if (what == MEASURE_FREE)
            acc += r->free_bytes;
        else if (what == MEASURE_MINIMUM)
            acc += r->min_free;
        else
            for (size_t k = 0; k < r->count; k++)
                if (!r->chunks[k].used && r->chunks[k].size > acc)
                    acc = r->chunks[k].size;
    }
    return acc;
}

size_t heap_caps_get_free_size(uint32_t caps) { return heap_measure(caps, MEASURE_FREE); }
size_t heap_caps_get_largest_free_block(uint32_t caps) { return heap_measure(caps, MEASURE_LARGEST); }
size_t heap_caps_get_total_size(uint32_t caps) { return heap_measure(caps, MEASURE_TOTAL); }
size_t heap_caps_get_minimum_free_size(uint32_t caps) { return heap_measure(caps, MEASURE_MINIMUM); }

esp_err_t heap_caps_check_invariants(char *why, size_t why_len)
{
    for (int i = 0; s_heap && i < s_heap->num_regions; i++) {
        const heap_region_t *r = &s_heap->regions[i];
        uint32_t at = r->start, free_bytes = 0;
        for (size_t k = 0; k < r->count; k++) {
            const chunk_t *c = &r->chunks[k];
            INVARIANT(c->addr == at && c->size && c->size <= r->end - at, "heap %d: chunk %zu (0x%08x+%u) does not "
                      "follow the one before it (0x%08x)", i, k, (unsigned)c->addr, (unsigned)c->size, (unsigned)at);
            INVARIANT(c->used || k == 0 || r->chunks[k - 1].used, "heap %d: free chunks at 0x%08x and before it "
                      "were not merged", i, (unsigned)c->addr);
            free_bytes += c->used ? 0 : c->size;
            at += c->size;
        }
        INVARIANT(at == r->end, "heap %d: chunks end at 0x%08x, the heap at 0x%08x", i, (unsigned)at, (unsigned)r->end);
        INVARIANT(free_bytes == r->free_bytes && r->min_free <= free_bytes, "heap %d: %u bytes free in the chunks, "
                  "%u counted, low-water mark %u", i, (unsigned)free_bytes, (unsigned)r->free_bytes,
                  (unsigned)r->min_free);
    }
    return ESP_OK;
}
