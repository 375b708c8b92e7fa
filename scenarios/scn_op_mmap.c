/* scn_op_mmap.c - the steps that call esp_mmu_map.h. */
#include <stdio.h>
#include <stdlib.h>

#include "esp_mmu_map.h"
#include "scn_ops.h"

static void *ptr_of(uint32_t v) { return (void *)(uintptr_t)v; }
static uint32_t u32_of(const void *p) { return (uint32_t)(uintptr_t)p; }
static bool null_out(const scn_step_t *st) { return scn_arg(st, "null_out") && scn_arg(st, "null_out")->flag; }
/* The out pointer the driver is handed: `p`, or NULL for a step with null_out: true
 * (which then records no output). */
static void *out_ptr(const scn_step_t *st, void *p) { return null_out(st) ? NULL : p; }

static int map_common(scn_exec_t *x, const scn_step_t *st, scn_result_t *r, bool virt)
{
    uint32_t vaddr = 0, paddr, size;
    if ((virt && scn_arg_u32(x, st, r, "vaddr", 0, &vaddr)) || scn_arg_u32(x, st, r, "paddr", 0, &paddr) ||
        scn_arg_u32(x, st, r, "size", 0, &size))
        return -1;
    uint32_t target = scn_arg_flags(st, r, "target"), caps = scn_arg_flags(st, r, "caps");
    int flags = (int)scn_arg_flags(st, r, "flags");
    void *out = NULL;
    void **outp = out_ptr(st, &out);
    if (virt && scn_need(x, (const void *)DRV(x)->mmu_map_virt, "esp_mmu_map_virt"))
        return -1;
    if (virt)
        r->ret = DRV(x)->mmu_map_virt(vaddr, paddr, size, (mmu_target_t)target, (mmu_mem_caps_t)caps, flags, outp);
    else
        r->ret = DRV(x)->mmu_map(paddr, size, (mmu_target_t)target, (mmu_mem_caps_t)caps, flags, outp);
    if (outp)
        scn_out_num(r, 0, u32_of(out));
    return 0;
}

int scn_run_map(scn_exec_t *x, const scn_step_t *st, scn_result_t *r) { return map_common(x, st, r, false); }
int scn_run_map_virt(scn_exec_t *x, const scn_step_t *st, scn_result_t *r) { return map_common(x, st, r, true); }

int scn_run_unmap(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    uint32_t vaddr;
    if (scn_arg_u32(x, st, r, "vaddr", 0, &vaddr))
        return -1;
    r->ret = DRV(x)->mmu_unmap(ptr_of(vaddr));
    return 0;
}

int scn_run_vaddr_to_paddr(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    uint32_t vaddr;
    esp_paddr_t paddr = 0;
    mmu_target_t target = 0;
    if (scn_arg_u32(x, st, r, "vaddr", 0, &vaddr))
        return -1;
    r->ret = DRV(x)->mmu_vaddr_to_paddr(ptr_of(vaddr), out_ptr(st, &paddr), &target);
    if (!null_out(st)) {
        scn_out_num(r, 0, paddr);
        scn_out_flags(r, 1, target);
    }
    return 0;
}

int scn_run_paddr_to_vaddr(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    uint32_t paddr;
    void *vaddr = NULL;
    if (scn_arg_u32(x, st, r, "paddr", 0, &paddr))
        return -1;
    uint32_t target = scn_arg_flags(st, r, "target"), type = scn_arg_flags(st, r, "type");
    r->ret = DRV(x)->mmu_paddr_to_vaddr(paddr, (mmu_target_t)target, (mmu_vaddr_t)type, out_ptr(st, &vaddr));
    if (!null_out(st))
        scn_out_num(r, 0, u32_of(vaddr));
    return 0;
}

int scn_run_find_caps(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    uint32_t paddr;
    mmu_mem_caps_t caps = 0;
    if (scn_arg_u32(x, st, r, "paddr", 0, &paddr))
        return -1;
    r->ret = DRV(x)->mmu_paddr_find_caps(paddr, out_ptr(st, &caps));
    if (!null_out(st))
        scn_out_flags(r, 0, caps);
    return 0;
}

int scn_run_max_free(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    (void)x;
    uint32_t caps = scn_arg_flags(st, r, "caps"), target = scn_arg_flags(st, r, "target");
    size_t len = 0;
    r->ret = DRV(x)->mmu_map_get_max_consecutive_free_block_size((mmu_mem_caps_t)caps, (mmu_target_t)target,
                                                             out_ptr(st, &len));
    if (!null_out(st))
        scn_out_num(r, 0, len);
    return 0;
}

int scn_run_dump(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    (void)st;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) {
        snprintf(x->why, sizeof x->why, "cannot open a memory stream for the dump");
        return -1;
    }
    r->ret = DRV(x)->mmu_map_dump_mapped_blocks(f);
    fclose(f);
    r->outs[0].set = true;
    r->outs[0].text = text;
    return 0;
}
