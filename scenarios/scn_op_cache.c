/* scn_op_cache.c - the steps that call esp_cache.h and the HAL's cache maintenance. */
#include <stdio.h>

#include "esp32/rom/cache.h"
#include "esp_cache.h"
#include "esp_err.h"
#include "hal/cache_hal.h"
#include "hal/cache_ll.h"
#include "scn_ops.h"
#include "sdkconfig.h"

int scn_run_msync(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    uint32_t vaddr, size;
    if (scn_arg_u32(x, st, r, "vaddr", 0, &vaddr) || scn_arg_u32(x, st, r, "size", 0, &size))
        return -1;
    int flags = (int)scn_arg_flags(st, r, "flags");
    r->ret = DRV(x)->cache_msync((void *)(uintptr_t)vaddr, size, flags);
    return 0;
}

int scn_run_line_size(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    uint32_t vaddr;
    if (scn_arg_u32(x, st, r, "vaddr", 0, &vaddr) ||
        scn_need(x, (const void *)DRV(x)->cache_get_line_size_by_addr, "esp_cache_get_line_size_by_addr"))
        return -1;
    scn_out_num(r, 0, DRV(x)->cache_get_line_size_by_addr((const void *)(uintptr_t)vaddr));
    return 0;
}

/* The HAL answers false for a range outside every cacheable window: ESP_FAIL. */
static int by_range(scn_exec_t *x, const scn_step_t *st, scn_result_t *r, bool (*op)(uint32_t, uint32_t))
{
    uint32_t vaddr, size;
    if (scn_arg_u32(x, st, r, "vaddr", 0, &vaddr) || scn_arg_u32(x, st, r, "size", 0, &size))
        return -1;
    r->ret = op(vaddr, size) ? ESP_OK : ESP_FAIL;
    return 0;
}

int scn_run_cache_writeback(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    return by_range(x, st, r, cache_hal_writeback_addr);
}

int scn_run_cache_invalidate(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    return by_range(x, st, r, cache_hal_invalidate_addr);
}

/* ESP32 has only its ROM's whole-cache flush (per CPU); the others the LL's
 * invalidate_all up to the external-memory level. */
int scn_run_cache_flush(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    uint32_t core;
    if (scn_arg_core(x, st, r, "core", true, &core))
        return -1;
    if (CONFIG_IDF_TARGET_ESP32) {
        for (uint32_t c = 0; c < mmsim_cores(x->m); c++)
            if (core == SCN_CORE_ALL || core == c)
                Cache_Flush((int)c);
    } else {
        cache_ll_invalidate_all(CACHE_LL_LEVEL_EXT_MEM, CACHE_TYPE_ALL, core == SCN_CORE_ALL ? CACHE_LL_ID_ALL : core);
    }
    return 0;
}

int scn_run_cache_writeback_all(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    uint32_t core;
    if (scn_arg_core(x, st, r, "core", true, &core))
        return -1;
    cache_ll_writeback_all(CACHE_LL_LEVEL_EXT_MEM, CACHE_TYPE_ALL, core == SCN_CORE_ALL ? CACHE_LL_ID_ALL : core);
    return 0;
}
