/* direct_peek.c - reading simulated memory for a debugger (mmsim_direct_peek): the
 * bytes a core would see, put together from the read-only inspection API (translate,
 * cache lines, a DMA read of memory no cache holds dirty), so that looking changes
 * nothing in the machine. */
#include "direct_internal.h"

#include <stdlib.h>

#define PEEK_MAX 4096
#define PEEK_GRAIN 16 /* every cache line size is a multiple of it */

/* Allocated on a thread's first peek: initial-exec TLS (direct/CMakeLists.txt) must
 * stay small, or a dlopen of the library finds no static TLS room for it. */
static _Thread_local uint8_t *peek_buf;

/* The bytes of the line holding (target, paddr) in cache `c` as `core` uses it: true
 * and copied if that instance holds it (any line if `any`, else only a dirty one). */
static bool from_cache(mmsim_t *m, uint32_t c, uint32_t core, uint32_t target, uint32_t paddr, bool any,
                       uint8_t *out, size_t k)
{
    mmsim_cache_info_t ci;
    if (mmsim_cache_info(m, c, &ci) != 0 || !ci.line_size)
        return false;
    uint32_t base = paddr & ~(ci.line_size - 1);
    for (uint32_t i = 0; i < ci.sets * ci.ways; i++) {
        mmsim_cache_line_t l;
        if (mmsim_cache_line(m, c, core, i, &l) == 0 && l.valid && l.target == target && l.paddr == base &&
            (any || l.dirty)) {
            direct_copy(out, l.data + (paddr - base), k);
            return true;
        }
    }
    return false;
}

static void peek_chunk(mmsim_t *m, uint32_t core, uint32_t va, uint8_t *out, size_t k)
{
    uint32_t paddr, target, ir = 0, ir_size = 0;
    if (mmsim_translate(m, core, va, &paddr, &target) != 0) {
        if (mmsim_internal_ram(m, &ir, &ir_size) == 0 && va - ir < ir_size &&
            mmsim_dma_read(m, MMSIM_TARGET_INTERNAL, va, out, k) == 0)
            return;
        for (size_t i = 0; i < k; i++)
            out[i] = 0;
        return;
    }
    uint32_t caches = mmsim_cache_count(m), cores = mmsim_cores(m);
    /* The core's own caches, nearest level first (the chip lists them so). */
    for (uint32_t c = 0; c < caches; c++)
        if (from_cache(m, c, core, target, paddr, true, out, k))
            return;
    /* A dirty copy in another core's cache is newer than memory. */
    for (uint32_t other = 0; other < cores; other++)
        for (uint32_t c = 0; other != core && c < caches; c++)
            if (from_cache(m, c, other, target, paddr, false, out, k))
                return;
    if (mmsim_dma_read(m, target, paddr, out, k) != 0)
        for (size_t i = 0; i < k; i++)
            out[i] = 0;
}

const uint8_t *mmsim_direct_peek(uint32_t vaddr, uint32_t len)
{
    mmsim_t *m = direct_g.m;
    if (!m || !len || len > PEEK_MAX)
        return NULL;
    if (!peek_buf && !(peek_buf = malloc(PEEK_MAX)))
        return NULL; /* a thread's buffer lives as long as the process */
    for (uint32_t done = 0; done < len;) {
        uint32_t va = vaddr + done;
        uint32_t k = PEEK_GRAIN - (va % PEEK_GRAIN);
        k = k < len - done ? k : len - done;
        peek_chunk(m, direct_thread_core, va, peek_buf + done, k);
        done += k;
    }
    mmsim_clear_error(); /* the misses above are no failure of the caller's */
    return peek_buf;
}
