/* scn_op_heap.c - the steps that call esp_heap_caps.h.  A pointer result is saved like
 * any other number; NULL is ret ESP_ERR_NO_MEM (ptr 0), so `expect: {ret:
 * ESP_ERR_NO_MEM}` checks a refused allocation.  The heap is libmmsim's under every
 * driver (ESP-IDF's own heap is not part of the bring-your-own mode). */
#include "esp_heap_caps.h"
#include "scn_ops.h"

/* A step's pointer result. */
static void out_ptr(scn_result_t *r, const void *p)
{
    r->ret = p ? ESP_OK : ESP_ERR_NO_MEM;
    scn_out_num(r, 0, (uint32_t)(uintptr_t)p);
}

int scn_run_heap_caps_malloc(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    uint32_t size;
    if (scn_arg_u32(x, st, r, "size", 0, &size))
        return -1;
    out_ptr(r, heap_caps_malloc(size, scn_arg_flags(st, r, "caps")));
    return 0;
}

int scn_run_heap_caps_calloc(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    uint32_t n, size;
    if (scn_arg_u32(x, st, r, "n", 0, &n) || scn_arg_u32(x, st, r, "size", 0, &size))
        return -1;
    out_ptr(r, heap_caps_calloc(n, size, scn_arg_flags(st, r, "caps")));
    return 0;
}

int scn_run_heap_caps_aligned_alloc(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    uint32_t alignment, size;
    if (scn_arg_u32(x, st, r, "alignment", 0, &alignment) || scn_arg_u32(x, st, r, "size", 0, &size))
        return -1;
    out_ptr(r, heap_caps_aligned_alloc(alignment, size, scn_arg_flags(st, r, "caps")));
    return 0;
}

int scn_run_heap_caps_realloc(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    uint32_t ptr, size;
    if (scn_arg_u32(x, st, r, "ptr", 0, &ptr) || scn_arg_u32(x, st, r, "size", 0, &size))
        return -1;
    void *p = heap_caps_realloc((void *)(uintptr_t)ptr, size, scn_arg_flags(st, r, "caps"));
    if (size)
        out_ptr(r, p);
    else
        scn_out_num(r, 0, 0); /* freed: NULL is the answer, not a failure */
    return 0;
}

int scn_run_heap_caps_free(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    uint32_t ptr;
    if (scn_arg_u32(x, st, r, "ptr", 0, &ptr))
        return -1;
    heap_caps_free((void *)(uintptr_t)ptr); /* a bad pointer is an abort hazard */
    return 0;
}

static int measure(scn_exec_t *x, const scn_step_t *st, scn_result_t *r, size_t (*query)(uint32_t))
{
    (void)x;
    scn_out_num(r, 0, query(scn_arg_flags(st, r, "caps")));
    return 0;
}

int scn_run_heap_caps_get_free_size(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    return measure(x, st, r, heap_caps_get_free_size);
}

int scn_run_heap_caps_get_largest_free_block(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    return measure(x, st, r, heap_caps_get_largest_free_block);
}
