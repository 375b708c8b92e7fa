/* scn_op_mem.c - the CPU's access paths (loads, stores, fetches, copies, pattern
 * checks), each a loop of accesses of the step's width and CPU cost, and the MMU
 * translation as a core sees it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esp_err.h"
#include "scn_ops.h"
#include "scn_value.h"

/* Reads are capped so a typo (`size: 4G`) cannot eat the host. */
#define MAX_ACCESS (64u << 20)

/* The step's access width (default 4: a word loop) and the loop's CPU cycles per access
 * (UINT64_MAX when not given: the chip's cpu_access_cycles), checked. */
static int access_args(scn_exec_t *x, const scn_step_t *st, scn_result_t *r, uint64_t *width, uint64_t *cpu)
{
    /* Noted in the step's text only when given: the defaults are the chip's. */
    *width = 4, *cpu = UINT64_MAX;
    if ((scn_arg(st, "width") && scn_arg_num(x, st, r, "width", 4, 16, width)) ||
        (scn_arg(st, "cpu_cycles") && scn_arg_num(x, st, r, "cpu_cycles", UINT64_MAX, UINT64_MAX, cpu)))
        return -1;
    if (*width != 1 && *width != 2 && *width != 4 && *width != 8 && *width != 16) {
        snprintf(x->why, sizeof x->why, "width: %llu is not an access width (1, 2, 4, 8 or 16 bytes)",
                 (unsigned long long)*width);
        return -1;
    }
    if (*cpu != UINT64_MAX && *cpu > 1000) {
        snprintf(x->why, sizeof x->why, "cpu_cycles: %llu is more than 1000 cycles per access", (unsigned long long)*cpu);
        return -1;
    }
    return 0;
}

/* Set them for the step's one bulk access; the core goes back to the defaults
 * afterwards (access_done), so a step never changes the next. */
static int access_begin(scn_exec_t *x, const scn_step_t *st, scn_result_t *r, uint32_t core)
{
    uint64_t width, cpu;
    if (access_args(x, st, r, &width, &cpu))
        return -1;
    return mmsim_set_access(x->m, core, (uint32_t)width, cpu == UINT64_MAX ? -1 : (int32_t)cpu) ? -1 : 0;
}

static void access_done(scn_exec_t *x, uint32_t core) { mmsim_set_access(x->m, core, 4, -1); }

static int load(scn_exec_t *x, const scn_step_t *st, scn_result_t *r,
                int (*path)(mmsim_t *, uint32_t, uint32_t, void *, size_t))
{
    uint32_t vaddr, core;
    uint64_t size;
    if (scn_arg_u32(x, st, r, "vaddr", 0, &vaddr) || scn_arg_num(x, st, r, "size", 0, MAX_ACCESS, &size) ||
        scn_arg_core(x, st, r, "core", false, &core))
        return -1;
    r->core = core;
    if (access_begin(x, st, r, core))
        return -1;
    uint8_t *buf = malloc(size ? size : 1);
    if (!buf) {
        access_done(x, core);
        snprintf(x->why, sizeof x->why, "out of memory");
        return -1;
    }
    int rc = 0;
    r->bulk_bytes = size;
    if (path(x->m, core, vaddr, buf, size))
        scn_result_mmsim_error(r);
    else
        rc = scn_out_bytes(x, r, 0, buf, size);
    access_done(x, core);
    free(buf);
    return rc;
}

int scn_run_read(scn_exec_t *x, const scn_step_t *st, scn_result_t *r) { return load(x, st, r, mmsim_cpu_read); }
int scn_run_fetch(scn_exec_t *x, const scn_step_t *st, scn_result_t *r) { return load(x, st, r, mmsim_cpu_fetch); }

int scn_run_write(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    uint32_t vaddr, core;
    uint8_t *data;
    size_t n;
    if (scn_arg_u32(x, st, r, "vaddr", 0, &vaddr) || scn_arg_core(x, st, r, "core", false, &core) ||
        scn_arg_data(x, st, r, &data, &n))
        return -1;
    r->core = core;
    if (access_begin(x, st, r, core)) {
        free(data);
        return -1;
    }
    r->bulk_bytes = n;
    if (mmsim_cpu_write(x->m, core, vaddr, data, n))
        scn_result_mmsim_error(r);
    access_done(x, core);
    free(data);
    return 0;
}

/* A copy loop, `for (i = 0; i < size / width; i++) dst[i] = src[i]`: each load is
 * followed by its store, so the lines of both buffers are filled, dirtied and evicted
 * in the loop's order (what a PSRAM-to-PSRAM copy costs depends on it).  A given
 * `cpu_cycles` is the whole iteration's own work, charged with the load; without it
 * each load and store costs the chip's cpu_access_cycles. */
int scn_run_copy(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    uint32_t src, dst, core;
    uint64_t size, width, cpu;
    if (scn_arg_u32(x, st, r, "src", 0, &src) || scn_arg_u32(x, st, r, "dst", 0, &dst) ||
        scn_arg_num(x, st, r, "size", 0, MAX_ACCESS, &size) || scn_arg_core(x, st, r, "core", false, &core) ||
        access_args(x, st, r, &width, &cpu))
        return -1;
    r->core = core;
    r->bulk_bytes = size;
    int32_t load_cpu = cpu == UINT64_MAX ? -1 : (int32_t)cpu, store_cpu = cpu == UINT64_MAX ? -1 : 0;
    uint8_t word[16];
    for (uint64_t i = 0; i < size; i += width) {
        size_t n = size - i < width ? (size_t)(size - i) : (size_t)width;
        if (mmsim_set_access(x->m, core, (uint32_t)width, load_cpu) ||
            mmsim_cpu_read(x->m, core, (uint32_t)(src + i), word, n) ||
            mmsim_set_access(x->m, core, (uint32_t)width, store_cpu) ||
            mmsim_cpu_write(x->m, core, (uint32_t)(dst + i), word, n)) {
            scn_result_mmsim_error(r);
            break;
        }
    }
    access_done(x, core);
    return 0;
}

/* The pattern is built as `fill` builds it, then compared with what the CPU loads. */
int scn_run_verify(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    uint32_t vaddr, core;
    uint8_t *want, *got = NULL;
    size_t n;
    if (scn_arg_u32(x, st, r, "vaddr", 0, &vaddr) || scn_arg_core(x, st, r, "core", false, &core) ||
        scn_arg_data(x, st, r, &want, &n))
        return -1;
    r->core = core;
    if (access_begin(x, st, r, core)) {
        free(want);
        return -1;
    }
    if (!(got = malloc(n ? n : 1))) {
        free(want);
        access_done(x, core);
        snprintf(x->why, sizeof x->why, "out of memory");
        return -1;
    }
    r->bulk_bytes = n;
    int failed = mmsim_cpu_read(x->m, core, vaddr, got, n);
    access_done(x, core);
    if (failed) {
        scn_result_mmsim_error(r);
    } else {
        size_t bad = 0, first = 0;
        for (size_t i = n; i-- > 0;)
            if (got[i] != want[i])
                bad++, first = i;
        scn_out_num(r, 0, bad);
        if (bad) {
            r->ret = ESP_FAIL;
            size_t k = first & ~(size_t)3, len = n - k < 8 ? n - k : 8;
            char w[64], g[64];
            scn_bytes_text(want + k, len, w, sizeof w);
            scn_bytes_text(got + k, len, g, sizeof g);
            snprintf(r->note, sizeof r->note, "%zu of %zu bytes differ; first at vaddr 0x%x: expected %s, got %s", bad,
                     n, (unsigned)(vaddr + k), w, g);
        }
    }
    free(want);
    free(got);
    return 0;
}

int scn_run_translate(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    uint32_t vaddr, core, paddr = 0, target = 0;
    if (scn_arg_u32(x, st, r, "vaddr", 0, &vaddr) || scn_arg_core(x, st, r, "core", false, &core))
        return -1;
    r->core = core;
    if (mmsim_translate(x->m, core, vaddr, &paddr, &target))
        r->ret = ESP_ERR_NOT_FOUND;
    scn_out_num(r, 0, paddr);
    scn_out_flags(r, 1, target);
    return 0;
}
