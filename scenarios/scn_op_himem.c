/* scn_op_himem.c - the steps that call esp32/himem.h.  Handles live in saved
 * names; a freed handle's name is cleared, so a later step using it fails with a
 * message instead of passing freed memory to the driver. */
#include <stdio.h>

#include "esp32/himem.h"
#include "esp_err.h"
#include "scn_ops.h"

static int alloc_common(scn_exec_t *x, const scn_step_t *st, scn_result_t *r, bool range)
{
    uint32_t size;
    if (scn_arg_u32(x, st, r, "size", 0, &size))
        return -1;
    void *h = NULL;
    r->ret = range ? DRV(x)->himem_alloc_map_range(size, (esp_himem_rangehandle_t *)&h)
                   : DRV(x)->himem_alloc(size, (esp_himem_handle_t *)&h);
    r->outs[0].set = true;
    r->outs[0].handle = r->ret == ESP_OK ? h : NULL;
    return 0;
}

int scn_run_himem_alloc(scn_exec_t *x, const scn_step_t *st, scn_result_t *r) { return alloc_common(x, st, r, false); }

int scn_run_himem_alloc_map_range(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    return alloc_common(x, st, r, true);
}

static int free_common(scn_exec_t *x, const scn_step_t *st, scn_result_t *r, bool range)
{
    scn_name_t *n;
    if (scn_arg_handle(x, st, range ? "range" : "handle", &n))
        return -1;
    scn_note_arg(r, "%s=%s", range ? "range" : "handle", n->name);
    r->ret = range ? DRV(x)->himem_free_map_range(n->handle) : DRV(x)->himem_free(n->handle);
    if (r->ret == ESP_OK) {
        n->set = false;
        n->handle = NULL;
        n->set_at = st->line;
    }
    return 0;
}

int scn_run_himem_free(scn_exec_t *x, const scn_step_t *st, scn_result_t *r) { return free_common(x, st, r, false); }
int scn_run_himem_free_map_range(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    return free_common(x, st, r, true);
}

int scn_run_himem_map(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    scn_name_t *h, *rh;
    uint32_t ram_offset, range_offset, len, flags;
    if (scn_arg_handle(x, st, "handle", &h) || scn_arg_handle(x, st, "range", &rh))
        return -1;
    scn_note_arg(r, "handle=%s range=%s", h->name, rh->name);
    if (scn_arg_u32(x, st, r, "ram_offset", 0, &ram_offset) ||
        scn_arg_u32(x, st, r, "range_offset", 0, &range_offset) || scn_arg_u32(x, st, r, "len", 0, &len) ||
        scn_arg_u32(x, st, r, "flags", 0, &flags))
        return -1;
    void *ptr = NULL;
    r->ret = DRV(x)->himem_map(h->handle, rh->handle, ram_offset, range_offset, len, (int)flags, &ptr);
    scn_out_num(r, 0, (uint32_t)(uintptr_t)ptr);
    return 0;
}

int scn_run_himem_unmap(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    scn_name_t *rh;
    uint32_t ptr, len;
    if (scn_arg_handle(x, st, "range", &rh))
        return -1;
    scn_note_arg(r, "range=%s", rh->name);
    if (scn_arg_u32(x, st, r, "ptr", 0, &ptr) || scn_arg_u32(x, st, r, "len", 0, &len))
        return -1;
    r->ret = DRV(x)->himem_unmap(rh->handle, (void *)(uintptr_t)ptr, len);
    return 0;
}

int scn_run_himem_get_phys_size(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    (void)x, (void)st;
    scn_out_num(r, 0, DRV(x)->himem_get_phys_size());
    return 0;
}

int scn_run_himem_get_free_size(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    (void)x, (void)st;
    scn_out_num(r, 0, DRV(x)->himem_get_free_size());
    return 0;
}

int scn_run_himem_reserved_area_size(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    (void)x, (void)st;
    scn_out_num(r, 0, DRV(x)->himem_reserved_area_size());
    return 0;
}
