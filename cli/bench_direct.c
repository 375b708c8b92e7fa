/* bench_direct.c - the `direct` measurement of `mmsim bench`: a 4-byte load through a
 * trapped window pointer against this host's bare SIGSEGV round trip (the floor no
 * trap can beat), and a 64 KB memcpy out of mapped flash through libmmsim_direct's
 * interception against mmsim_cpu_read of the same range, all in one run.
 *
 * libmmsim_direct is opened here with dlopen(RTLD_LOCAL), not linked: linked, its
 * memcpy would stand in front of libc's for the whole command (and for the model's own
 * copies on the cache-hit path the other measurements time).  Its memcpy is called
 * through dlsym, which is the interceptor a user's program calls. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "esp_mmu_map.h"
#include "mmsim.h"

#define BENCH_COPY_BYTES (64u << 10)
#define BENCH_FLASH_AT 0x200000u

typedef struct {
    void *lib;
    int (*attach)(mmsim_t *);
    int (*detach)(mmsim_t *);
    double (*bare_fault_ns)(double);
    void *(*memcpy)(void *, const void *, size_t);
} bench_direct_lib_t;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Installed: next to libmmsim (the command's RUNPATH); in the build tree: where it was built. */
static int open_lib(bench_direct_lib_t *d)
{
    d->lib = dlopen("libmmsim_direct.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!d->lib)
        d->lib = dlopen(MMSIM_DIRECT_LIB_PATH, RTLD_NOW | RTLD_LOCAL);
    if (!d->lib) {
        fprintf(stderr, "mmsim bench: direct: %s\n", dlerror());
        return -1;
    }
    *(void **)&d->attach = dlsym(d->lib, "mmsim_direct_attach");
    *(void **)&d->detach = dlsym(d->lib, "mmsim_direct_detach");
    *(void **)&d->bare_fault_ns = dlsym(d->lib, "mmsim_direct_bare_fault_ns");
    *(void **)&d->memcpy = dlsym(d->lib, "memcpy");
    if (!d->attach || !d->detach || !d->bare_fault_ns || !d->memcpy) {
        fprintf(stderr, "mmsim bench: direct: libmmsim_direct lacks a function: %s\n", dlerror());
        dlclose(d->lib);
        return -1;
    }
    return 0;
}

static volatile uint32_t sink;

int bench_direct(const bench_opts_t *o, bench_item_t *it)
{
    bench_direct_lib_t d;
    if (open_lib(&d))
        return -1;
    mmsim_config_t cfg = mmsim_config_default(o->chip);
    mmsim_t *m = NULL;
    void *p = NULL;
    uint8_t *buf = malloc(BENCH_COPY_BYTES);
    int ok = buf && mmsim_open(&cfg, &m) == 0 &&
             esp_mmu_map(BENCH_FLASH_AT, BENCH_COPY_BYTES, MMU_TARGET_FLASH0, MMU_MEM_CAP_READ | MMU_MEM_CAP_8BIT, 0,
                         &p) == ESP_OK &&
             d.attach(m) == 0;
    if (!ok) {
        fprintf(stderr, "mmsim bench: direct on %s: %s\n", o->chip, buf ? mmsim_last_error() : "out of memory");
        if (p)
            esp_mmu_unmap(p);
        mmsim_close(m);
        free(buf);
        dlclose(d.lib);
        return -1;
    }
    /* The floor first (it swaps the handler for its own), then the same 2-byte load
     * shape through a window: a cache hit after the first. */
    double floor_ns = d.bare_fault_ns(o->slice_s);
    const volatile uint32_t *w = p;
    double n = 0, t0 = now_s(), t1;
    do {
        for (int i = 0; i < 16; i++)
            sink = w[(i * 8) & 255];
        n += 16;
    } while ((t1 = now_s()) - t0 < o->slice_s);
    double trap_ns = (t1 - t0) * 1e9 / n;

    double mb = (double)BENCH_COPY_BYTES / 1e6, copies = 0;
    t0 = now_s();
    do {
        d.memcpy(buf, p, BENCH_COPY_BYTES);
        copies++;
    } while ((t1 = now_s()) - t0 < o->slice_s);
    double memcpy_mb_s = copies * mb / (t1 - t0);
    copies = 0;
    t0 = now_s();
    do {
        mmsim_cpu_read(m, 0, (uint32_t)(uintptr_t)p, buf, BENCH_COPY_BYTES);
        copies++;
    } while ((t1 = now_s()) - t0 < o->slice_s);
    double read_mb_s = copies * mb / (t1 - t0);

    bench_put(it, "bare_fault_ns", "bare SIGSEGV round trip", "ns", floor_ns);
    bench_put(it, "trapped_load_ns", "trapped 4-byte load", "ns", trap_ns);
    bench_put(it, "trap_to_floor", "trapped / bare (goal <= 1.5)", "x", trap_ns / floor_ns);
    bench_put(it, "memcpy_mb_per_s", "memcpy 64 KB, intercepted", "MB/s", memcpy_mb_s);
    bench_put(it, "cpu_read_mb_per_s", "mmsim_cpu_read 64 KB", "MB/s", read_mb_s);
    bench_put(it, "memcpy_to_cpu_read", "memcpy / cpu_read (goal >= 0.5)", "x",
              memcpy_mb_s / read_mb_s);
    snprintf(it->note, sizeof it->note, "flash mapped at 0x%08x, loads on core 0", (unsigned)(uintptr_t)p);
    d.detach(m);
    esp_mmu_unmap(p);
    mmsim_close(m);
    free(buf);
    dlclose(d.lib);
    return 0;
}
