/* esp_heap_caps.c - capability heaps over simulated address ranges: registration, first-fit
 * allocation, free with coalescing, and the size queries.  Each heap is a run of chunks
 * in address order that tile it exactly (free or used), so a block is found by binary
 * search and merged with its free neighbours on free. */
#include "esp_heap_caps.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "esp_private/heap_caps_ctx.h"
#include "esp_system.h"

#define HEAP_MAX_REGIONS 8
#define HEAP_ALIGN 4u

typedef struct {
    uint32_t addr, size;
    bool used;
} chunk_t;

typedef struct {
    uint32_t caps, start, end;
    chunk_t *chunks;
    size_t count, cap;
} heap_region_t;

struct heap_caps_ctx {
    heap_region_t regions[HEAP_MAX_REGIONS];
    int num_regions;
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

/* Make room for one more chunk in `r`. */
static bool reserve_chunk(heap_region_t *r)
{
    if (r->count < r->cap)
        return true;
    size_t cap = r->cap ? r->cap * 2 : 16;
    chunk_t *p = realloc(r->chunks, cap * sizeof *p);
    if (!p)
        return false;
    r->chunks = p;
    r->cap = cap;
    return true;
}

esp_err_t heap_caps_add_region_with_caps(const uint32_t caps[], intptr_t start, intptr_t end)
{
    if (!caps || start >= end || start < 0 || (uint64_t)end > UINT32_MAX)
        return ESP_ERR_INVALID_ARG;
    if (!s_heap && !(s_heap = calloc(1, sizeof *s_heap)))
        return ESP_ERR_NO_MEM;
    for (int i = 0; i < s_heap->num_regions; i++)
        if ((uint32_t)start < s_heap->regions[i].end && (uint32_t)end > s_heap->regions[i].start)
            return ESP_FAIL;
    if (s_heap->num_regions == HEAP_MAX_REGIONS)
        return ESP_ERR_NO_MEM;
    /* Blocks start 4-byte aligned, so the usable range does too. */
    uint32_t first = ((uint32_t)start + HEAP_ALIGN - 1u) & ~(HEAP_ALIGN - 1u);
    uint32_t last = (uint32_t)end & ~(HEAP_ALIGN - 1u);
    if (first >= last)
        return ESP_ERR_INVALID_ARG;
    heap_region_t *r = &s_heap->regions[s_heap->num_regions];
    *r = (heap_region_t){caps[0] | caps[1] | caps[2], first, last, NULL, 0, 0};
    if (!reserve_chunk(r))
        return ESP_ERR_NO_MEM;
    r->chunks[r->count++] = (chunk_t){first, last - first, false};
    s_heap->num_regions++;
    return ESP_OK;
}

static bool region_has(const heap_region_t *r, uint32_t caps) { return (r->caps & caps) == caps; }

void *heap_caps_malloc(size_t size, uint32_t caps)
{
    if (!s_heap || !size || size > UINT32_MAX - HEAP_ALIGN)
        return NULL;
    uint32_t want = ((uint32_t)size + HEAP_ALIGN - 1u) & ~(HEAP_ALIGN - 1u);
    for (int i = 0; i < s_heap->num_regions; i++) {
        heap_region_t *r = &s_heap->regions[i];
        if (!region_has(r, caps))
            continue;
        for (size_t k = 0; k < r->count; k++) {
            chunk_t *c = &r->chunks[k];
            if (c->used || c->size < want)
                continue;
            if (c->size > want) { /* split: the rest stays free after it */
                if (!reserve_chunk(r))
                    return NULL;
                c = &r->chunks[k];
                for (size_t j = r->count; j > k + 1; j--)
                    r->chunks[j] = r->chunks[j - 1];
                r->chunks[k + 1] = (chunk_t){c->addr + want, c->size - want, false};
                r->count++;
                c->size = want;
            }
            c->used = true;
            return (void *)(uintptr_t)c->addr;
        }
    }
    return NULL;
}

/* Drop chunk k of r (after merging it into a neighbour). */
static void remove_chunk(heap_region_t *r, size_t k)
{
    for (size_t j = k; j + 1 < r->count; j++)
        r->chunks[j] = r->chunks[j + 1];
    r->count--;
}

void heap_caps_free(void *ptr)
{
    if (!ptr)
        return;
    uintptr_t a = (uintptr_t)ptr;
    for (int i = 0; s_heap && i < s_heap->num_regions; i++) {
        heap_region_t *r = &s_heap->regions[i];
        if (a < r->start || a >= r->end)
            continue;
        size_t lo = 0, hi = r->count; /* the last chunk starting at or below a */
        while (hi - lo > 1) {
            size_t mid = (lo + hi) / 2;
            if (r->chunks[mid].addr <= a)
                lo = mid;
            else
                hi = mid;
        }
        chunk_t *c = &r->chunks[lo];
        if (c->addr != a || !c->used)
            break;
        c->used = false;
        if (lo + 1 < r->count && !r->chunks[lo + 1].used) {
            c->size += r->chunks[lo + 1].size;
            remove_chunk(r, lo + 1);
        }
        if (lo > 0 && !r->chunks[lo - 1].used) {
            r->chunks[lo - 1].size += c->size;
            remove_chunk(r, lo);
        }
        return;
    }
    char why[80];
    snprintf(why, sizeof why, "heap_caps_free: 0x%08lx is not an allocated block (heap corrupted)",
             (unsigned long)a);
    esp_system_abort(why);
}

/* Sum (or maximum) of the free chunks, or the sizes, of the heaps with `caps`. */
static size_t heap_measure(uint32_t caps, bool largest, bool total)
{
    size_t acc = 0;
    for (int i = 0; s_heap && i < s_heap->num_regions; i++) {
        const heap_region_t *r = &s_heap->regions[i];
        if (!region_has(r, caps))
            continue;
        if (total) {
            acc += r->end - r->start;
            continue;
        }
        for (size_t k = 0; k < r->count; k++)
            if (!r->chunks[k].used) {
                if (!largest)
                    acc += r->chunks[k].size;
                else if (r->chunks[k].size > acc)
                    acc = r->chunks[k].size;
            }
    }
    return acc;
}

size_t heap_caps_get_free_size(uint32_t caps) { return heap_measure(caps, false, false); }
size_t heap_caps_get_largest_free_block(uint32_t caps) { return heap_measure(caps, true, false); }
size_t heap_caps_get_total_size(uint32_t caps) { return heap_measure(caps, false, true); }
