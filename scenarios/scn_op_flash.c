/* scn_op_flash.c - SPI1 flash (raw, and through the esp_flash driver, which then
 * flushes the cache of the first mapped view) and DMA: the paths that bypass the
 * caches. */
#include <stdio.h>
#include <stdlib.h>

#include "esp_flash.h"
#include "scn_ops.h"

#define MAX_ACCESS (64u << 20)

static int get_range(scn_exec_t *x, const scn_step_t *st, scn_result_t *r, uint32_t *paddr, uint32_t *size)
{
    uint64_t n;
    if (scn_arg_u32(x, st, r, "paddr", 0, paddr) || scn_arg_num(x, st, r, "size", 0, MAX_ACCESS, &n))
        return -1;
    *size = (uint32_t)n;
    return 0;
}

/* Read with `how` (0 raw SPI1, 1 esp_flash_read, 2 DMA) into output 0. */
static int read_into(scn_exec_t *x, const scn_step_t *st, scn_result_t *r, int how)
{
    uint32_t target = how == 2 ? scn_arg_flags(st, r, "target") : 0, paddr, size;
    if (get_range(x, st, r, &paddr, &size))
        return -1;
    /* Zeroed: a refused esp_flash_read leaves the buffer untouched, and its bytes are
     * still reported (the differential run caught uninitialised bytes here). */
    uint8_t *buf = calloc(size ? size : 1, 1);
    if (!buf) {
        snprintf(x->why, sizeof x->why, "out of memory");
        return -1;
    }
    int rc = 0;
    if (how == 1) {
        r->ret = DRV(x)->flash_read(NULL, buf, paddr, size);
        rc = scn_out_bytes(x, r, 0, buf, size);
    } else if (how == 0 ? mmsim_flash_read(x->m, paddr, buf, size) : mmsim_dma_read(x->m, target, paddr, buf, size)) {
        scn_result_mmsim_error(r);
    } else {
        rc = scn_out_bytes(x, r, 0, buf, size);
    }
    free(buf);
    return rc;
}

static int write_from(scn_exec_t *x, const scn_step_t *st, scn_result_t *r, int how)
{
    uint32_t target = how == 2 ? scn_arg_flags(st, r, "target") : 0, paddr;
    uint8_t *data;
    size_t n;
    if (scn_arg_u32(x, st, r, "paddr", 0, &paddr) || scn_arg_data(x, st, r, &data, &n))
        return -1;
    if (how == 1)
        r->ret = DRV(x)->flash_write(NULL, data, paddr, (uint32_t)n);
    else if (how == 0 ? mmsim_flash_write(x->m, paddr, data, n) : mmsim_dma_write(x->m, target, paddr, data, n))
        scn_result_mmsim_error(r);
    free(data);
    return 0;
}

int scn_run_flash_read(scn_exec_t *x, const scn_step_t *st, scn_result_t *r) { return read_into(x, st, r, 0); }
int scn_run_esp_flash_read(scn_exec_t *x, const scn_step_t *st, scn_result_t *r) { return read_into(x, st, r, 1); }
int scn_run_dma_read(scn_exec_t *x, const scn_step_t *st, scn_result_t *r) { return read_into(x, st, r, 2); }
int scn_run_flash_write(scn_exec_t *x, const scn_step_t *st, scn_result_t *r) { return write_from(x, st, r, 0); }
int scn_run_esp_flash_write(scn_exec_t *x, const scn_step_t *st, scn_result_t *r) { return write_from(x, st, r, 1); }
int scn_run_dma_write(scn_exec_t *x, const scn_step_t *st, scn_result_t *r) { return write_from(x, st, r, 2); }

int scn_run_flash_erase(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    uint32_t paddr, size;
    if (get_range(x, st, r, &paddr, &size))
        return -1;
    if (mmsim_flash_erase(x->m, paddr, size))
        scn_result_mmsim_error(r);
    return 0;
}

int scn_run_esp_flash_erase_region(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    uint32_t paddr, size;
    if (scn_arg_u32(x, st, r, "paddr", 0, &paddr) || scn_arg_u32(x, st, r, "size", 0, &size))
        return -1;
    r->ret = DRV(x)->flash_erase_region(NULL, paddr, size);
    return 0;
}
