/* scn_op_spi_flash.c - the steps that call spi_flash_mmap.h.  A mapping is saved as
 * one name holding its pointer (what an expression reads) and its handle (what
 * spi_flash_munmap takes).  A released handle stays in its name, so releasing it again
 * reaches the driver, which does what the chip does (ESP-IDF's assert: an abort
 * hazard).  That is safe here: our handles are numbers, and ESP-IDF's (the address of
 * its heap block) point into the driver library's heap arena, which stays mapped, freed
 * blocks included, while the machine is open (idf/compat/compat_heap.c); a reset
 * forgets them. */
#include <stdio.h>
#include <stdlib.h>

#include "esp_err.h"
#include "scn_ops.h"
#include "spi_flash_mmap.h"

static uint32_t u32_of(const void *p) { return (uint32_t)(uintptr_t)p; }

int scn_run_spi_flash_mmap(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    uint32_t src, size;
    if (scn_need(x, (const void *)DRV(x)->spi_flash_mmap, "spi_flash_mmap") ||
        scn_arg_u32(x, st, r, "src", 0, &src) || scn_arg_u32(x, st, r, "size", 0, &size))
        return -1;
    uint32_t memory = scn_arg_flags(st, r, "memory");
    const void *ptr = NULL;
    spi_flash_mmap_handle_t h = 0;
    r->ret = DRV(x)->spi_flash_mmap(src, size, (spi_flash_mmap_flag_t)memory, &ptr, &h);
    scn_out_mapping(r, ptr, h);
    return 0;
}

int scn_run_spi_flash_mmap_pages(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    if (scn_need(x, (const void *)DRV(x)->spi_flash_mmap_pages, "spi_flash_mmap_pages"))
        return -1;
    const scn_arg_t *a = scn_arg(st, "pages");
    size_t n = a ? a->nexprs : 0;
    int *pages = calloc(n ? n : 1, sizeof *pages);
    if (!pages) {
        snprintf(x->why, sizeof x->why, "out of memory");
        return -1;
    }
    char list[200] = "";
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t v;
        char why[300];
        if (scn_eval(&x->env, a->exprs[i], &v, why, sizeof why) || v > UINT32_MAX) {
            snprintf(x->why, sizeof x->why, "pages.%zu: %s", i, v > UINT32_MAX ? "does not fit in 32 bits" : why);
            free(pages);
            return -1;
        }
        pages[i] = (int)(uint32_t)v; /* 0xffffffff is page -1, as a C caller could pass */
        if (len < sizeof list)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%d", i ? "," : "", pages[i]);
    }
    scn_note_arg(r, "pages=[%s]", list);
    /* count: page_count (default: the list's length); 0 still reads pages[0]. */
    uint32_t count;
    if (scn_arg_u32(x, st, r, "count", (uint32_t)n, &count)) {
        free(pages);
        return -1;
    }
    if (count > n || (count == 0 && n == 0)) {
        snprintf(x->why, sizeof x->why, "count: %u is more than the %zu pages given%s", count, n,
                 n ? "" : " (page_count 0 still reads pages[0]: give one)");
        free(pages);
        return -1;
    }
    uint32_t memory = scn_arg_flags(st, r, "memory");
    const void *ptr = NULL;
    spi_flash_mmap_handle_t h = 0;
    r->ret = DRV(x)->spi_flash_mmap_pages(pages, count, (spi_flash_mmap_flag_t)memory, &ptr, &h);
    free(pages);
    scn_out_mapping(r, ptr, h);
    return 0;
}

int scn_run_spi_flash_munmap(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    scn_name_t *n;
    if (scn_need(x, (const void *)DRV(x)->spi_flash_munmap, "spi_flash_munmap") ||
        scn_arg_handle(x, st, "handle", &n))
        return -1;
    scn_note_arg(r, "handle=%s", n->name);
    DRV(x)->spi_flash_munmap((spi_flash_mmap_handle_t)(uintptr_t)n->handle);
    r->ret = ESP_OK;
    return 0;
}

/* spi_flash_mmap_dump prints esp_mmu_map_dump_mapped_blocks to stdout: the step
 * takes the same text from the driver's dump into a buffer. */
int scn_run_spi_flash_mmap_dump(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    if (scn_need(x, (const void *)DRV(x)->spi_flash_mmap, "spi_flash_mmap_dump"))
        return -1;
    return scn_run_dump(x, st, r);
}

int scn_run_spi_flash_mmap_get_free_pages(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    if (scn_need(x, (const void *)DRV(x)->spi_flash_mmap_get_free_pages, "spi_flash_mmap_get_free_pages"))
        return -1;
    uint32_t memory = scn_arg_flags(st, r, "memory");
    scn_out_num(r, 0, DRV(x)->spi_flash_mmap_get_free_pages((spi_flash_mmap_memory_t)memory));
    return 0;
}

int scn_run_spi_flash_cache2phys(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    uint32_t vaddr;
    if (scn_need(x, (const void *)DRV(x)->spi_flash_cache2phys, "spi_flash_cache2phys") ||
        scn_arg_u32(x, st, r, "vaddr", 0, &vaddr))
        return -1;
    size_t paddr = DRV(x)->spi_flash_cache2phys((const void *)(uintptr_t)vaddr);
    scn_out_num(r, 0, paddr);
    return 0;
}

int scn_run_spi_flash_phys2cache(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    uint32_t paddr;
    if (scn_need(x, (const void *)DRV(x)->spi_flash_phys2cache, "spi_flash_phys2cache") ||
        scn_arg_u32(x, st, r, "paddr", 0, &paddr))
        return -1;
    uint32_t memory = scn_arg_flags(st, r, "memory");
    scn_out_num(r, 0, u32_of(DRV(x)->spi_flash_phys2cache(paddr, (spi_flash_mmap_memory_t)memory)));
    return 0;
}
