/* bench_measure.c - the measurements of `mmsim bench` (the command and its output
 * are cmd_bench.c): host time, the machines and memory they run on, and the six
 * timed measurements.  Each runs ONE repetition and adds one sample to each of its
 * figures (bench_put).
 *
 * A repetition opens its own machine, so its figures include nothing left over from
 * another one, and runs its timed loop for a fixed slice of host time (not a fixed
 * count): the command takes about the same time on a fast and a slow host, and under
 * the sanitizers.  The timed loops and every helper they call stay in this one file,
 * as they were in cmd_bench.c, so the compiler sees (and inlines) them the same way. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "cli.h"
#include "esp_err.h"
#include "esp_log.h"
#include "esp_mmu_map.h"
#include "mmsim.h"
#include "scn.h"

#define BENCH_BULK_BYTES (1u << 20)
#define BENCH_LIVE_SOME 100u
/* The largest configuration a built-in chip takes (issue 8, item 6). */
#define BENCH_LARGEST_CHIP "esp32p4"
#define BENCH_LARGEST_FLASH (16u << 20)
#define BENCH_LARGEST_PSRAM (32u << 20)

/* ---- figures -------------------------------------------------------------------- */

/* bench.h: a sample of `v` added to the figure `key` of `it`, created on first use. */

void bench_put(bench_item_t *it, const char *key, const char *label, const char *unit, double v)
{
    bench_fig_t *f = NULL;
    for (unsigned i = 0; i < it->nfigs && !f; i++)
        if (!strcmp(it->figs[i].key, key))
            f = &it->figs[i];
    if (!f) {
        if (it->nfigs == BENCH_MAX_FIGS)
            return;
        f = &it->figs[it->nfigs++];
        *f = (bench_fig_t){.key = key, .label = label, .unit = unit};
    }
    if (f->n < BENCH_MAX_REPS)
        f->v[f->n++] = v;
}

/* ---- host time -------------------------------------------------------------------- */

double bench_clock(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* ---- machines and memory to run on --------------------------------------------- */

static int bench_open(const mmsim_config_t *cfg, mmsim_t **m)
{
    if (mmsim_open(cfg, m)) {
        fprintf(stderr, "mmsim bench: %s\n", mmsim_last_error());
        return -1;
    }
    return 0;
}

/* A range of `size` bytes of external memory the CPU can load from (and store to if
 * it is PSRAM), mapped the way firmware gets it: the PSRAM heap the boot mapped, else
 * a flash range mapped with esp_mmu_map. */
typedef struct {
    uint32_t vaddr;
    bool psram;
    void *unmap; /* block to esp_mmu_unmap afterwards, or NULL */
} bench_mem_t;

static bool bench_maps_contiguously(mmsim_t *m, uint32_t vaddr, uint32_t size, uint32_t target)
{
    uint32_t p0, t0, p1, t1;
    return !mmsim_translate(m, 0, vaddr, &p0, &t0) && t0 == target &&
           !mmsim_translate(m, 0, vaddr + size - 1u, &p1, &t1) && t1 == target && p1 - p0 == size - 1u;
}

static int bench_memory(mmsim_t *m, uint32_t size, bench_mem_t *out)
{
    void *v = NULL;
    *out = (bench_mem_t){0};
    if (esp_mmu_paddr_to_vaddr(0, MMU_TARGET_PSRAM0, MMU_VADDR_DATA, &v) == ESP_OK &&
        bench_maps_contiguously(m, (uint32_t)(uintptr_t)v, size, MMSIM_TARGET_PSRAM)) {
        *out = (bench_mem_t){(uint32_t)(uintptr_t)v, true, NULL};
        return 0;
    }
    const mmu_mem_caps_t caps[] = {MMU_MEM_CAP_READ | MMU_MEM_CAP_8BIT | MMU_MEM_CAP_32BIT, MMU_MEM_CAP_READ};
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        esp_err_t r = esp_mmu_map(0, size, MMU_TARGET_FLASH0, caps[i], ESP_MMU_MMAP_FLAG_PADDR_SHARED, &v);
        if (r == ESP_OK || r == ESP_ERR_INVALID_STATE) { /* INVALID_STATE: already mapped at v */
            *out = (bench_mem_t){(uint32_t)(uintptr_t)v, false, r == ESP_OK ? v : NULL};
            return 0;
        }
    }
    fprintf(stderr, "mmsim bench: %s: no %u KB of PSRAM or flash could be mapped\n", mmsim_chip_name(m),
            size >> 10);
    return -1;
}

static void bench_memory_release(const bench_mem_t *mem)
{
    if (mem->unmap)
        esp_mmu_unmap(mem->unmap);
}

/* Of the caches a data load may go through (unified or data): the size of the
 * smallest, their total (one instance each), and the smallest line. */
typedef struct {
    uint32_t smallest, total, line;
} bench_caches_t;

static bench_caches_t bench_cache_sizes(const mmsim_t *m)
{
    bench_caches_t c = {UINT32_MAX, 0, UINT32_MAX};
    for (uint32_t i = 0; i < mmsim_cache_count(m); i++) {
        mmsim_cache_info_t ci;
        if (mmsim_cache_info(m, i, &ci) || ci.kind == 1 /* instruction */)
            continue;
        if (ci.size < c.smallest)
            c.smallest = ci.size;
        if (ci.line_size < c.line)
            c.line = ci.line_size;
        c.total += ci.size;
    }
    return c;
}

/* Hits, misses, fills and write-backs summed over every cache instance. */
static mmsim_cache_stats_t bench_cache_totals(const mmsim_t *m)
{
    mmsim_cache_stats_t t = {0};
    for (uint32_t i = 0; i < mmsim_cache_count(m); i++) {
        mmsim_cache_info_t ci;
        mmsim_cache_info(m, i, &ci);
        for (uint32_t k = 0; k < (ci.per_core ? mmsim_cores(m) : 1u); k++) {
            mmsim_cache_stats_t s;
            if (mmsim_cache_stats(m, i, k, &s))
                continue;
            t.hits += s.hits, t.misses += s.misses, t.fills += s.fills, t.writebacks += s.writebacks;
        }
    }
    return t;
}

/* The --chip machine, its caches, and size_of(caches) bytes of memory to run on
 * (bench_memory); NULL after printing why. */
static mmsim_t *bench_open_with_memory(const bench_opts_t *o, uint32_t (*size_of)(const bench_caches_t *),
                                       bench_mem_t *mem, bench_caches_t *caches)
{
    mmsim_config_t cfg = mmsim_config_default(o->chip);
    mmsim_t *m;
    if (bench_open(&cfg, &m))
        return NULL;
    *caches = bench_cache_sizes(m);
    if (bench_memory(m, size_of(caches), mem)) {
        mmsim_close(m);
        return NULL;
    }
    return m;
}

static void bench_close(mmsim_t *m, const bench_mem_t *mem)
{
    bench_memory_release(mem);
    mmsim_close(m);
}

/* ---- 1. cache-hit loads ---------------------------------------------------------- */

/* Where loaded words end up, so that no loop is optimised away. */
static volatile uint32_t bench_sink;

/* The native reference: the same loop shape over a host buffer, each access a call
 * with mmsim_cpu_read's signature that checks its range and copies the bytes.  Not
 * inlined, as a call into the library is not. */
typedef struct {
    const uint8_t *base;
    uint32_t vaddr, size;
} bench_host_mem_t;

__attribute__((noinline)) static int bench_host_read(bench_host_mem_t *h, uint32_t core, uint32_t vaddr,
                                                     void *buf, size_t len)
{
    if (core || vaddr - h->vaddr > h->size || len > h->size - (vaddr - h->vaddr))
        return -1;
    memcpy(buf, h->base + (vaddr - h->vaddr), len);
    return 0;
}

/* Half the smallest cache: stays in any cache of the path whatever its ways. */
static uint32_t bench_hit_size(const bench_caches_t *c) { return c->smallest / 2u; }

int bench_hit_load(const bench_opts_t *o, bench_item_t *it)
{
    bench_mem_t mem;
    bench_caches_t caches;
    mmsim_t *m = bench_open_with_memory(o, bench_hit_size, &mem, &caches);
    if (!m)
        return -1;
    uint32_t ws = bench_hit_size(&caches);
    uint32_t w, sum = 0;
    for (uint32_t a = 0; a < ws; a += 4u) /* warm: every line filled once */
        mmsim_cpu_read(m, 0, mem.vaddr + a, &w, 4);
    mmsim_cache_stats_t before = bench_cache_totals(m);
    size_t hazards = mmsim_hazard_count(m);
    double loads = 0, t0 = bench_clock(), t1;
    do {
        for (uint32_t a = mem.vaddr, end = mem.vaddr + ws; a < end; a += 4u) {
            mmsim_cpu_read(m, 0, a, &w, 4);
            sum += w;
        }
        loads += ws / 4u;
    } while ((t1 = bench_clock()) - t0 < o->slice_s);
    double sim_ns = (t1 - t0) * 1e9 / loads;
    mmsim_cache_stats_t after = bench_cache_totals(m);
    bool all_hit = after.misses == before.misses && mmsim_hazard_count(m) == hazards;
    snprintf(it->note, sizeof it->note, "%s, %u KB working set at 0x%08x, core 0", mem.psram ? "PSRAM" : "flash",
             ws >> 10, mem.vaddr);
    bench_close(m, &mem);
    if (!all_hit) {
        fprintf(stderr, "mmsim bench: hit_load: the working set did not stay in the cache\n");
        return -1;
    }

    uint8_t *host = calloc(1, ws);
    if (!host)
        return -1;
    bench_host_mem_t h = {host, mem.vaddr, ws};
    loads = 0, t0 = bench_clock();
    do {
        for (uint32_t a = h.vaddr, end = h.vaddr + ws; a < end; a += 4u) {
            bench_host_read(&h, 0, a, &w, 4);
            sum += w;
        }
        loads += ws / 4u;
    } while ((t1 = bench_clock()) - t0 < o->slice_s);
    double native_ns = (t1 - t0) * 1e9 / loads;
    /* The plain load instruction, for scale. */
    const volatile uint32_t *p = (const volatile uint32_t *)(void *)host;
    loads = 0, t0 = bench_clock();
    do {
        for (uint32_t i = 0; i < ws / 4u; i++)
            sum += p[i];
        loads += ws / 4u;
    } while ((t1 = bench_clock()) - t0 < o->slice_s);
    double inline_ns = (t1 - t0) * 1e9 / loads;
    free(host);

    bench_put(it, "ns_per_load", "ns per load", "ns", sim_ns);
    bench_put(it, "mloads_per_s", "loads per second", "M/s", 1e3 / sim_ns);
    bench_put(it, "native_ns_per_load", "native loop, ns per load", "ns", native_ns);
    bench_put(it, "ratio_to_native", "simulated / native", "x", sim_ns / native_ns);
    bench_put(it, "native_inline_ns_per_load", "plain load instruction", "ns", inline_ns);
    bench_sink = sum;
    return 0;
}

/* ---- 2. cache-miss loads ---------------------------------------------------------- */

/* Two ranges A and B, each as large as the data caches together, loaded in turn at a
 * line's stride: every load misses at every level.  On PSRAM an untimed store pass
 * over A (which the previous pass loaded) dirties the lines B's loads then evict, so
 * fills come with write-backs.  Only the load passes are timed and counted. */
static uint32_t bench_miss_size(const bench_caches_t *c) { return 2u * c->total; }

int bench_miss_load(const bench_opts_t *o, bench_item_t *it)
{
    bench_mem_t mem;
    bench_caches_t caches;
    mmsim_t *m = bench_open_with_memory(o, bench_miss_size, &mem, &caches);
    if (!m)
        return -1;
    uint32_t span = caches.total, line = caches.line;
    uint32_t a = mem.vaddr, b = mem.vaddr + span, w = 0, sum = 0;
    for (uint32_t x = 0; x < span; x += line) /* warm: the next load pass finds A cached */
        mmsim_cpu_read(m, 0, a + x, &w, 4);
    size_t hazards = mmsim_hazard_count(m);
    double loads = 0, timed = 0, t0, hits = 0, fills = 0, writebacks = 0;
    do {
        if (mem.psram) /* these hit A, which the last pass loaded */
            for (uint32_t x = 0; x < span; x += line)
                mmsim_cpu_write(m, 0, a + x, &x, 4);
        mmsim_cache_stats_t before = bench_cache_totals(m);
        t0 = bench_clock();
        for (uint32_t x = 0; x < span; x += line) {
            mmsim_cpu_read(m, 0, b + x, &w, 4);
            sum += w;
        }
        timed += bench_clock() - t0;
        mmsim_cache_stats_t after = bench_cache_totals(m);
        hits += (double)(after.hits - before.hits);
        fills += (double)(after.fills - before.fills);
        writebacks += (double)(after.writebacks - before.writebacks);
        loads += span / line;
        uint32_t t = a; /* the next pass loads what this one evicted */
        a = b, b = t;
    } while (timed < o->slice_s);
    bool ok = mmsim_hazard_count(m) == hazards && hits == 0;
    snprintf(it->note, sizeof it->note, "%s, 2 x %u KB at 0x%08x, stride %u B%s", mem.psram ? "PSRAM" : "flash",
             span >> 10, mem.vaddr, line, mem.psram ? ", stores between passes dirty the victims" : "");
    bench_close(m, &mem);
    if (!ok) {
        fprintf(stderr, "mmsim bench: miss_load: some loads hit the cache\n");
        return -1;
    }
    bench_put(it, "ns_per_load", "ns per load", "ns", timed * 1e9 / loads);
    bench_put(it, "mloads_per_s", "loads per second", "M/s", loads / timed / 1e6);
    bench_put(it, "fills_per_load", "line fills per load (all levels)", "", fills / loads);
    bench_put(it, "writebacks_per_load", "write-backs per load (all levels)", "", writebacks / loads);
    bench_sink = sum;
    return 0;
}

/* ---- 3. bulk reads and writes ------------------------------------------------------ */

static uint32_t bench_bulk_size(const bench_caches_t *c)
{
    (void)c;
    return BENCH_BULK_BYTES;
}

int bench_bulk(const bench_opts_t *o, bench_item_t *it)
{
    bench_mem_t mem;
    bench_caches_t caches;
    uint8_t *buf = malloc(BENCH_BULK_BYTES);
    mmsim_t *m = buf ? bench_open_with_memory(o, bench_bulk_size, &mem, &caches) : NULL;
    if (!m) {
        free(buf);
        return -1;
    }
    memset(buf, 0xA5, BENCH_BULK_BYTES);
    const double mb = (double)BENCH_BULK_BYTES / 1e6;
    for (int write = 0; write <= (int)mem.psram; write++) {
        double n = 0, t0 = bench_clock(), t1;
        do {
            if (write)
                mmsim_cpu_write(m, 0, mem.vaddr, buf, BENCH_BULK_BYTES);
            else
                mmsim_cpu_read(m, 0, mem.vaddr, buf, BENCH_BULK_BYTES);
            n++;
        } while ((t1 = bench_clock()) - t0 < o->slice_s);
        if (write)
            bench_put(it, "write_mb_per_s", "mmsim_cpu_write of 1 MB", "MB/s", n * mb / (t1 - t0));
        else
            bench_put(it, "read_mb_per_s", "mmsim_cpu_read of 1 MB", "MB/s", n * mb / (t1 - t0));
    }
    snprintf(it->note, sizeof it->note, "%s at 0x%08x, simulated bytes per host second%s",
             mem.psram ? "PSRAM" : "flash (read only)", mem.vaddr, "");
    bench_close(m, &mem);
    free(buf);
    return 0;
}

/* ---- 4. map + unmap pairs ------------------------------------------------------------ */

#define BENCH_MAP_CAPS (MMU_MEM_CAP_READ | MMU_MEM_CAP_8BIT | MMU_MEM_CAP_32BIT)

/* Pairs per second of mapping one flash page and unmapping it, with `live` other
 * one-page blocks mapped (each its own flash page, so none encloses another). */
static double bench_pairs(const bench_opts_t *o, uint32_t page, uint32_t spare_paddr)
{
    double n = 0, t0 = bench_clock(), t1;
    do {
        for (int i = 0; i < 16; i++) {
            void *p;
            if (esp_mmu_map(spare_paddr, page, MMU_TARGET_FLASH0, BENCH_MAP_CAPS, 0, &p) != ESP_OK ||
                esp_mmu_unmap(p) != ESP_OK)
                return -1;
        }
        n += 16;
    } while ((t1 = bench_clock()) - t0 < o->slice_s);
    return n / (t1 - t0);
}

int bench_map_unmap(const bench_opts_t *o, bench_item_t *it)
{
    /* Live blocks need distinct flash pages: the most flash the chip takes, if more
     * than its default. */
    mmsim_config_t cfg = mmsim_config_default(o->chip);
    cfg.flash_size = 16u << 20;
    mmsim_t *m;
    if (mmsim_open(&cfg, &m) && bench_open(&(mmsim_config_t){.chip = o->chip}, &m))
        return -1;
    uint32_t page = mmsim_page_size(m), pages = 0;
    while (pages < 65536u && !mmsim_flash_read(m, pages * page, &(uint8_t){0}, 1))
        pages++;
    /* Fill the region maps with these caps go to, leaving room for the pair's page. */
    void **live = calloc(pages, sizeof *live);
    uint32_t nlive = 0;
    if (!live) {
        mmsim_close(m);
        return -1;
    }
    double with0 = bench_pairs(o, page, (pages - 1u) * page), with_some = -2;
    while (nlive + 1u < pages - 1u &&
           esp_mmu_map(nlive * page, page, MMU_TARGET_FLASH0, BENCH_MAP_CAPS, 0, &live[nlive]) == ESP_OK) {
        nlive++;
        if (nlive == BENCH_LIVE_SOME)
            with_some = bench_pairs(o, page, (pages - 1u) * page);
    }
    /* The last block made the region full (or the flash ran out): free one slot. */
    if (nlive)
        esp_mmu_unmap(live[--nlive]);
    if (with_some == -2 && nlive == BENCH_LIVE_SOME)
        with_some = bench_pairs(o, page, (pages - 1u) * page);
    double with_max = bench_pairs(o, page, (pages - 1u) * page);
    snprintf(it->note, sizeof it->note, "one %u KB flash page, caps read|8bit|32bit, %u live blocks at most%s",
             page >> 10, nlive,
             !strcmp(mmsim_chip_name(m), "esp32") ? "; ESP32: each map runs the PSRAM write-back sweep" : "");
    size_t hazards = mmsim_hazard_count(m);
    for (uint32_t i = 0; i < nlive; i++)
        esp_mmu_unmap(live[i]);
    free(live);
    mmsim_close(m);
    if (with0 < 0 || with_max < 0 || with_some == -1 || hazards) {
        fprintf(stderr, "mmsim bench: map_unmap: a map or unmap failed or raised a hazard\n");
        return -1;
    }
    bench_put(it, "pairs_per_s_0_live", "pairs per second, 0 live", "k/s", with0 / 1e3);
    if (with_some >= 0)
        bench_put(it, "pairs_per_s_100_live", "pairs per second, 100 live", "k/s", with_some / 1e3);
    bench_put(it, "pairs_per_s_max_live", "pairs per second, most live", "k/s", with_max / 1e3);
    bench_put(it, "max_live", "most live blocks", "", nlive);
    return 0;
}

/* ---- 5. the bundled scenario suite ---------------------------------------------------- */

static void bench_drop_outcome(scn_outcome_t *out, size_t nth, void *ctx)
{
    (void)nth;
    *(size_t *)ctx += out->passed;
    scn_outcome_free(out);
}

/* One pass: load every file and run every scenario on this thread, as `mmsim run
 * --jobs 1` does (the wall time a CI job sees on one core). */
int bench_suite(const bench_opts_t *o, bench_item_t *it)
{
    double t0 = bench_clock();
    scn_suite_t *s = scn_suite_new();
    size_t n = 0, passed = 0, *idx = NULL;
    if (s && !scn_suite_add_path(s, o->suite, stderr) && (n = scn_suite_count(s)) &&
        (idx = malloc(n * sizeof *idx))) {
        n = scn_select(s, NULL, 1, 1, idx);
        scn_run(s, idx, n, &(scn_run_opts_t){.jobs = 1}, bench_drop_outcome, &passed);
    }
    double t1 = bench_clock();
    free(idx);
    scn_suite_free(s);
    if (!n || passed != n) {
        fprintf(stderr, "mmsim bench: suite: %s: %s\n", o->suite,
                !n ? "no scenario could be loaded" : "some scenarios failed (see mmsim run)");
        return -1;
    }
    snprintf(it->note, sizeof it->note, "%zu scenarios in %s, one thread", n, o->suite);
    bench_put(it, "scenarios_per_s", "scenarios per second", "1/s", (double)n / (t1 - t0));
    bench_put(it, "wall_ms", "whole suite, load + run", "ms", (t1 - t0) * 1e3);
    return 0;
}

/* ---- 6. open + close of the largest chip -------------------------------------------- */

int bench_open_close(const bench_opts_t *o, bench_item_t *it)
{
    mmsim_config_t cfg = mmsim_config_default(BENCH_LARGEST_CHIP);
    cfg.flash_size = BENCH_LARGEST_FLASH;
    cfg.psram_size = BENCH_LARGEST_PSRAM;
    mmsim_t *m;
    if (bench_open(&cfg, &m))
        return -1;
    double held = (double)mmsim_resident_bytes(m);
    mmsim_close(m);
    double n = 0, t0 = bench_clock(), t1;
    do {
        if (bench_open(&cfg, &m))
            return -1;
        mmsim_close(m);
        n++;
    } while ((t1 = bench_clock()) - t0 < o->slice_s);
    snprintf(it->note, sizeof it->note, "%s, %u MB flash, %u MB PSRAM, boot included", BENCH_LARGEST_CHIP,
             BENCH_LARGEST_FLASH >> 20, BENCH_LARGEST_PSRAM >> 20);
    bench_put(it, "ms_per_open_close", "open + close", "ms", (t1 - t0) * 1e3 / n);
    /* The library's own account of every allocation (tables, caches, store indexes):
     * the process RSS would mostly show the allocator reusing earlier opens. */
    bench_put(it, "resident_kb", "memory held before any access", "KB", held / 1024);
    return 0;
}
