/* esp_heap_caps_api.c - ESP-IDF's heap API on the allocator (esp_heap_caps.c): the
 * hardware alignment of DMA buffers (components/esp_mm/heap_align_hw.c's rule), malloc,
 * calloc and realloc with their variants, free's corruption check, the failed-alloc
 * hook, v5.3-v5.5's esp_dma_capable_* helpers, and heap_caps_init's internal heap.
 * What the chip's code does to the bytes (calloc's memset, realloc's memcpy) it does
 * by CPU stores through hal/cpu_mem.h. */
#include <stdarg.h>
#include <stdio.h>

#include "esp_dma_utils.h"
#include "esp_heap_caps.h"
#include "esp_heap_caps_alloc.h"
#include "esp_private/esp_cache_private.h"
#include "esp_system.h"
#include "hal/cpu_mem.h"
#include "sdkconfig.h"
#include "soc/soc.h"

#define CAPS_NEEDING_ALIGNMENT \
    (MALLOC_CAP_DMA | MALLOC_CAP_DMA_DESC_AHB | MALLOC_CAP_DMA_DESC_AXI | MALLOC_CAP_CACHE_ALIGNED | MALLOC_CAP_SIMD)

static bool is_pow2(size_t v) { return v && !(v & (v - 1)); }

/* ESP-IDF (v5.3 on) before every allocation: a DMA-capable buffer takes the data cache
 * line of the memory it comes from as its alignment and size granule; descriptor caps
 * become plain DMA; a PSRAM one drops MALLOC_CAP_DMA, as no heap is registered with
 * both.  False if the request can be served by no heap. */
static bool adjust_to_hw(uint32_t *align, uint32_t *size, uint32_t *caps)
{
    if (!(*caps & CAPS_NEEDING_ALIGNMENT) || MMSIM_IDF_VERSION < MMSIM_IDF_VER(5, 3, 0))
        return true;
    size_t line = 0;
    esp_cache_get_alignment(*caps, &line);
    if (line > *align)
        *align = (uint32_t)line;
    if (*size > UINT32_MAX - (*align - 1u))
        return false;
    *size = (*size + *align - 1u) & ~(*align - 1u);
    if (*caps & (MALLOC_CAP_DMA_DESC_AHB | MALLOC_CAP_DMA_DESC_AXI))
        *caps = (*caps & ~(uint32_t)(MALLOC_CAP_DMA_DESC_AHB | MALLOC_CAP_DMA_DESC_AXI)) | MALLOC_CAP_DMA;
    if (*caps & MALLOC_CAP_SPIRAM)
        *caps &= ~(uint32_t)MALLOC_CAP_DMA;
    *caps &= ~(uint32_t)MALLOC_CAP_CACHE_ALIGNED;
    return true;
}

/* heap_caps_aligned_alloc_base: no failure report. */
static void *alloc_base(size_t alignment, size_t size, uint32_t caps)
{
    if (!size || size > UINT32_MAX - 3u || alignment > UINT32_MAX)
        return NULL;
    uint32_t align = alignment < HEAP_MIN_ALIGN ? HEAP_MIN_ALIGN : (uint32_t)alignment, want = (uint32_t)size;
    if (!adjust_to_hw(&align, &want, &caps))
        return NULL;
    /* Blocks are whole words (TLSF's granule; MALLOC_CAP_32BIT asks the same). */
    return heap_alloc(align, (want + 3u) & ~3u, caps);
}

static void alloc_failed(size_t size, uint32_t caps, const char *function)
{
    esp_alloc_failed_hook_t hook = heap_alloc_failed_hook();
    if (hook && size)
        hook(size, caps, function);
}

static void *reported(void *p, size_t size, uint32_t caps, const char *function)
{
    if (!p)
        alloc_failed(size, caps, function);
    return p;
}

void *heap_caps_malloc(size_t size, uint32_t caps)
{
    return reported(alloc_base(HEAP_MIN_ALIGN, size, caps), size, caps, __func__);
}

void *heap_caps_aligned_alloc(size_t alignment, size_t size, uint32_t caps)
{
    if (!is_pow2(alignment) || !size)
        return NULL;
    return reported(alloc_base(alignment, size, caps), size, caps, __func__);
}

/* The chip's memset of a fresh block. */
static void *zeroed(void *p, size_t size)
{
    if (p && !cpu_mem_set((uint32_t)(uintptr_t)p, 0, (uint32_t)size)) {
        heap_caps_free(p);
        return NULL;
    }
    return p;
}

static void *calloc_base(size_t alignment, size_t n, size_t size, uint32_t caps)
{
    size_t bytes;
    if (__builtin_mul_overflow(n, size, &bytes))
        return NULL;
    return zeroed(alloc_base(alignment, bytes, caps), bytes);
}

void *heap_caps_calloc(size_t n, size_t size, uint32_t caps)
{
    return reported(calloc_base(HEAP_MIN_ALIGN, n, size, caps), n * size, caps, __func__);
}

void *heap_caps_aligned_calloc(size_t alignment, size_t n, size_t size, uint32_t caps)
{
    size_t bytes;
    if (__builtin_mul_overflow(n, size, &bytes))
        return NULL;
    return zeroed(heap_caps_aligned_alloc(alignment, bytes, caps), bytes);
}

/* A pointer that is no block: heap corruption, which stops the chip. */
static void heap_corrupted(const char *function, const void *ptr)
{
    char why[120];
    snprintf(why, sizeof why, "%s: 0x%08lx is not an allocated block (heap corrupted)", function,
             (unsigned long)(uintptr_t)ptr);
    esp_system_abort(why);
}

static void *realloc_base(void *ptr, size_t size, uint32_t caps)
{
    if (!ptr)
        return alloc_base(HEAP_MIN_ALIGN, size, caps);
    if (!size) {
        heap_caps_free(ptr);
        return NULL;
    }
    uint32_t addr = (uint32_t)(uintptr_t)ptr, old = 0, heap_caps = 0;
    if (!heap_block(addr, &old, &heap_caps)) {
        heap_corrupted("heap_caps_realloc", ptr);
        return NULL;
    }
    if (size > UINT32_MAX - 3u)
        return NULL;
    /* ESP-IDF resizes in place only where no hardware alignment applies and the block's
     * heap has the caps asked for. */
    uint32_t want = ((uint32_t)size + 3u) & ~3u;
    if (!(caps & CAPS_NEEDING_ALIGNMENT) && (heap_caps & caps) == caps && heap_resize_in_place(addr, want))
        return ptr;
    void *moved = alloc_base(HEAP_MIN_ALIGN, size, caps);
    if (!moved)
        return NULL;
    if (!cpu_mem_copy((uint32_t)(uintptr_t)moved, addr, old < size ? old : (uint32_t)size)) {
        heap_caps_free(moved);
        return NULL;
    }
    heap_caps_free(ptr);
    return moved;
}

void *heap_caps_realloc(void *ptr, size_t size, uint32_t caps)
{
    void *p = realloc_base(ptr, size, caps);
    return size ? reported(p, size, caps, __func__) : p;
}

/* The three prefer variants: each caps word in turn until one serves the request. */
#define TRY_EACH_CAPS(num, call)                        \
    void *r = NULL;                                     \
    uint32_t caps = MALLOC_CAP_DEFAULT;                 \
    va_list ap;                                         \
    va_start(ap, num);                                  \
    for (; num > 0 && !r; num--) {                      \
        caps = va_arg(ap, uint32_t);                    \
        r = (call);                                     \
    }                                                   \
    va_end(ap)

void *heap_caps_malloc_prefer(size_t size, size_t num, ...)
{
    TRY_EACH_CAPS(num, alloc_base(HEAP_MIN_ALIGN, size, caps));
    return size ? reported(r, size, caps, __func__) : r;
}

void *heap_caps_calloc_prefer(size_t n, size_t size, size_t num, ...)
{
    TRY_EACH_CAPS(num, calloc_base(HEAP_MIN_ALIGN, n, size, caps));
    return size ? reported(r, size, caps, __func__) : r;
}

void *heap_caps_realloc_prefer(void *ptr, size_t size, size_t num, ...)
{
    TRY_EACH_CAPS(num, realloc_base(ptr, size, caps));
    return size ? reported(r, size, caps, __func__) : r;
}

void heap_caps_free(void *ptr)
{
    if (ptr && !heap_release((uint32_t)(uintptr_t)ptr))
        heap_corrupted(__func__, ptr);
}

void heap_caps_aligned_free(void *ptr) { heap_caps_free(ptr); }

size_t heap_caps_get_allocated_size(void *ptr)
{
    uint32_t size = 0, caps = 0;
    return ptr && heap_block((uint32_t)(uintptr_t)ptr, &size, &caps) ? size : 0;
}

void heap_caps_init(void)
{
    if (SOC_DMA_HIGH <= SOC_DMA_LOW)
        return;
    const uint32_t caps[3] = {MALLOC_CAP_INTERNAL | MALLOC_CAP_DMA | MALLOC_CAP_8BIT | MALLOC_CAP_32BIT |
                                  MALLOC_CAP_DEFAULT,
                              0, 0};
    heap_caps_add_region_with_caps(caps, (intptr_t)SOC_DMA_LOW, (intptr_t)SOC_DMA_HIGH);
}

/* ---- ESP-IDF v5.3-v5.5: esp_dma_utils.h --------------------------------------------- */

esp_err_t esp_dma_capable_malloc(size_t size, const esp_dma_mem_info_t *dma_mem_info, void **out_ptr,
                                 size_t *actual_size)
{
    if (!dma_mem_info || !out_ptr)
        return ESP_ERR_INVALID_ARG;
    uint32_t caps = (uint32_t)dma_mem_info->extra_heap_caps | MALLOC_CAP_DMA;
    size_t line = 0;
    if (caps & MALLOC_CAP_SPIRAM)
        caps &= ~(uint32_t)MALLOC_CAP_DMA; /* ESP-IDF's own workaround, as the heap's */
    esp_cache_get_alignment(caps & MALLOC_CAP_SPIRAM, &line);
    /* The least common multiple of two powers of two (0 counts as 1). */
    size_t dma = dma_mem_info->dma_alignment_bytes, align = dma > line ? dma : line;
    if (!align)
        align = 1;
    if (!is_pow2(align) || size > SIZE_MAX - (align - 1))
        return ESP_ERR_INVALID_ARG;
    size = (size + align - 1) & ~(align - 1);
    void *p = heap_caps_aligned_alloc(align, size, caps);
    if (!p)
        return ESP_ERR_NO_MEM;
    *out_ptr = p;
    if (actual_size)
        *actual_size = size;
    return ESP_OK;
}

esp_err_t esp_dma_capable_calloc(size_t calloc_num, size_t size, const esp_dma_mem_info_t *dma_mem_info,
                                 void **out_ptr, size_t *actual_size)
{
    size_t bytes;
    if (__builtin_mul_overflow(calloc_num, size, &bytes))
        return ESP_ERR_INVALID_ARG;
    void *p = NULL;
    esp_err_t ret = esp_dma_capable_malloc(bytes, dma_mem_info, &p, actual_size);
    if (ret == ESP_OK && !zeroed(p, bytes))
        return ESP_ERR_NO_MEM;
    if (ret == ESP_OK)
        *out_ptr = p;
    return ret;
}
