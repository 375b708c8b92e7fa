/* scn_shell_inspect.c - what the shell shows of the live machine, through the
 * read-only inspection API of mmsim.h: the cache lines a step touched (the lines
 * before it against the lines after), `cache` (shapes, counts, statistics, the valid
 * lines of one cache) and `mmu` (the valid entries). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn_shell_int.h"

typedef struct {
    uint32_t key, paddr, target;
    int valid, dirty, stale;
    uint64_t lru;
} line_state_t;

/* One instance of a cache: a per-core cache has one per core. */
typedef struct {
    uint32_t cache, core, lines;
    line_state_t *state;
} instance_t;

struct shell_lines {
    instance_t *inst;
    size_t count;
};

static const char *target_name(uint32_t t)
{
    return t == MMSIM_TARGET_FLASH ? "flash" : t == MMSIM_TARGET_PSRAM ? "psram" : "?";
}

/* The instances of m's caches, in a stable order. */
static size_t instances(const mmsim_t *m, instance_t *out, size_t max)
{
    size_t n = 0;
    for (uint32_t c = 0; c < mmsim_cache_count(m); c++) {
        mmsim_cache_info_t info;
        if (mmsim_cache_info(m, c, &info))
            continue;
        uint32_t cores = info.per_core ? mmsim_cores(m) : 1;
        for (uint32_t k = 0; k < cores && n < max; k++)
            out[n++] = (instance_t){.cache = c, .core = k, .lines = info.sets * info.ways};
    }
    return n;
}

#define MAX_INSTANCES 16

int shell_lines_take(const mmsim_t *m, shell_lines_t **snap)
{
    instance_t now[MAX_INSTANCES];
    size_t n = instances(m, now, MAX_INSTANCES);
    shell_lines_t *s = *snap;
    if (!s) {
        if (!(s = calloc(1, sizeof *s)) || !(s->inst = calloc(MAX_INSTANCES, sizeof *s->inst))) {
            free(s);
            return -1;
        }
        *snap = s;
    }
    for (size_t i = 0; i < n; i++) {
        instance_t *in = &s->inst[i];
        if (!in->state || in->lines != now[i].lines) {
            free(in->state);
            if (!(in->state = calloc(now[i].lines ? now[i].lines : 1, sizeof *in->state)))
                return -1;
        }
        in->cache = now[i].cache, in->core = now[i].core, in->lines = now[i].lines;
        for (uint32_t l = 0; l < in->lines; l++) {
            mmsim_cache_line_t cl;
            if (mmsim_cache_line(m, in->cache, in->core, l, &cl))
                cl = (mmsim_cache_line_t){0};
            in->state[l] = (line_state_t){cl.key, cl.paddr, cl.target, cl.valid, cl.dirty, cl.stale, cl.lru};
        }
    }
    s->count = n;
    return 0;
}

void shell_lines_free(shell_lines_t *snap)
{
    if (!snap)
        return;
    for (size_t i = 0; i < MAX_INSTANCES; i++)
        free(snap->inst[i].state);
    free(snap->inst);
    free(snap);
}

static void first_bytes(char *buf, size_t size, const uint8_t *data, uint32_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (uint32_t i = 0; data && i < n && i < 8 && len + 4 < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%02x", i ? " " : "", data[i]);
}

/* What happened to one line, in words; NULL if nothing. */
static const char *line_event(const line_state_t *b, const mmsim_cache_line_t *a, char *buf, size_t size)
{
    bool same = b->valid && a->valid && b->key == a->key && b->paddr == a->paddr;
    if (b->valid && !a->valid)
        return b->dirty ? "invalidated (it was dirty)" : "invalidated";
    if (a->valid && !same) {
        if (b->valid)
            snprintf(buf, size, "filled, evicting 0x%08x%s", (unsigned)b->key, b->dirty ? " (dirty: written back)" : "");
        else
            snprintf(buf, size, "filled");
        return buf;
    }
    if (!same)
        return NULL;
    if (b->dirty && !a->dirty)
        return "written back";
    if (!b->dirty && a->dirty)
        return "written (now dirty)";
    if (!b->stale && a->stale)
        return "now stale";
    if (b->stale && !a->stale)
        return "no longer stale";
    if (b->lru != a->lru)
        return "hit";
    return NULL;
}

void shell_lines_touched(FILE *f, const shell_lines_t *before, const mmsim_t *m, unsigned max)
{
    instance_t now[MAX_INSTANCES];
    size_t n = instances(m, now, MAX_INSTANCES);
    unsigned shown = 0, more = 0;
    for (size_t i = 0; i < n && before && i < before->count; i++) {
        const instance_t *in = &before->inst[i];
        mmsim_cache_info_t info;
        if (in->cache != now[i].cache || in->lines != now[i].lines || mmsim_cache_info(m, in->cache, &info))
            continue; /* a reset to another shape: nothing to compare */
        for (uint32_t l = 0; l < in->lines; l++) {
            mmsim_cache_line_t a;
            char what[120], bytes[40];
            if (mmsim_cache_line(m, in->cache, in->core, l, &a))
                continue;
            const char *ev = line_event(&in->state[l], &a, what, sizeof what);
            if (!ev)
                continue;
            if (shown >= max) {
                more++;
                continue;
            }
            shown++;
            const line_state_t *was = &in->state[l];
            uint32_t key = a.valid ? a.key : was->key, paddr = a.valid ? a.paddr : was->paddr;
            uint32_t target = a.valid ? a.target : was->target;
            first_bytes(bytes, sizeof bytes, a.valid ? a.data : NULL, info.line_size);
            fprintf(f, "  [%s", info.name);
            if (info.per_core)
                fprintf(f, " core %u", (unsigned)in->core);
            fprintf(f, "] set %u way %u: 0x%08x = %s 0x%x: %s%s%s\n", (unsigned)(l / info.ways),
                    (unsigned)(l % info.ways), (unsigned)key, target_name(target), (unsigned)paddr, ev,
                    bytes[0] ? "; " : "", bytes);
        }
    }
    if (more)
        fprintf(f, "  ... and %u more lines\n", more);
}

static void cache_summary(FILE *f, const mmsim_t *m, const instance_t *in)
{
    mmsim_cache_info_t info;
    mmsim_cache_stats_t st;
    if (mmsim_cache_info(m, in->cache, &info) || mmsim_cache_stats(m, in->cache, in->core, &st))
        return;
    unsigned valid = 0, dirty = 0, stale = 0;
    for (uint32_t l = 0; l < in->lines; l++) {
        mmsim_cache_line_t cl;
        if (mmsim_cache_line(m, in->cache, in->core, l, &cl) == 0 && cl.valid)
            valid++, dirty += cl.dirty != 0, stale += cl.stale != 0;
    }
    fprintf(f, "cache %u %s", (unsigned)in->cache, info.name);
    if (info.per_core)
        fprintf(f, " (core %u)", (unsigned)in->core);
    fprintf(f, ": %u bytes, %u sets x %u ways x %u-byte lines, %s; %u valid, %u dirty, %u stale; "
            "hits %llu, misses %llu, fills %llu, write-backs %llu, evictions %llu, invalidations %llu\n",
            (unsigned)info.size, (unsigned)info.sets, (unsigned)info.ways, (unsigned)info.line_size,
            info.write_back ? "write-back" : "read-only", valid, dirty, stale, (unsigned long long)st.hits,
            (unsigned long long)st.misses, (unsigned long long)st.fills, (unsigned long long)st.writebacks,
            (unsigned long long)st.evictions, (unsigned long long)st.invalidations);
}

#define MAX_LINES_SHOWN 64

static void cache_lines(FILE *f, const mmsim_t *m, const instance_t *in)
{
    mmsim_cache_info_t info;
    if (mmsim_cache_info(m, in->cache, &info))
        return;
    unsigned shown = 0, more = 0;
    for (uint32_t l = 0; l < in->lines; l++) {
        mmsim_cache_line_t cl;
        char bytes[40];
        if (mmsim_cache_line(m, in->cache, in->core, l, &cl) || !cl.valid)
            continue;
        if (shown++ >= MAX_LINES_SHOWN) {
            more++;
            continue;
        }
        first_bytes(bytes, sizeof bytes, cl.data, info.line_size);
        fprintf(f, "  set %u way %u: 0x%08x = %s 0x%x%s%s: %s\n", (unsigned)(l / info.ways),
                (unsigned)(l % info.ways), (unsigned)cl.key, target_name(cl.target), (unsigned)cl.paddr,
                cl.dirty ? " dirty" : "", cl.stale ? " stale" : "", bytes);
    }
    if (more)
        fprintf(f, "  ... and %u more valid lines\n", more);
}

int shell_show_caches(FILE *f, const mmsim_t *m, const char *which, char *why, size_t size)
{
    instance_t in[MAX_INSTANCES];
    size_t n = instances(m, in, MAX_INSTANCES);
    if (!which || !*which) {
        for (size_t i = 0; i < n; i++)
            cache_summary(f, m, &in[i]);
        if (!n)
            fprintf(f, "this chip has no cache\n");
        return 0;
    }
    char name[64];
    unsigned core = 0;
    int fields = sscanf(which, "%63s core %u", name, &core);
    bool shown = false;
    for (size_t i = 0; i < n; i++) {
        mmsim_cache_info_t info;
        char index[16];
        snprintf(index, sizeof index, "%u", (unsigned)in[i].cache);
        if (mmsim_cache_info(m, in[i].cache, &info) || (strcmp(name, info.name) && strcmp(name, index)))
            continue;
        if (fields == 2 && info.per_core && in[i].core != core)
            continue;
        cache_summary(f, m, &in[i]);
        cache_lines(f, m, &in[i]);
        shown = true;
    }
    if (!shown) {
        size_t len = (size_t)snprintf(why, size, "no cache '%s'%s; the chip's caches:", name, fields == 2 ? " on that core" : "");
        for (uint32_t c = 0; c < mmsim_cache_count(m) && len < size; c++) {
            mmsim_cache_info_t info;
            if (mmsim_cache_info(m, c, &info) == 0)
                len += (size_t)snprintf(why + len, size - len, " %u %s", (unsigned)c, info.name);
        }
        return -1;
    }
    return 0;
}

void shell_show_mmu(FILE *f, const mmsim_t *m)
{
    for (uint32_t u = 0; u < mmsim_mmu_count(m); u++) {
        mmsim_mmu_info_t info;
        if (mmsim_mmu_info(m, u, &info))
            continue;
        for (uint32_t t = 0; t < info.tables; t++) {
            unsigned valid = 0;
            for (uint32_t e = 0; e < info.entries; e++) {
                mmsim_mmu_entry_t en;
                valid += mmsim_mmu_entry(m, u, t, e, &en) == 0 && en.valid;
            }
            fprintf(f, "mmu %u %s", (unsigned)u, info.name);
            if (info.tables > 1)
                fprintf(f, " table %u", (unsigned)t);
            fprintf(f, ": %u of %u entries valid\n", valid, (unsigned)info.entries);
            for (uint32_t e = 0; e < info.entries; e++) {
                mmsim_mmu_entry_t en;
                if (mmsim_mmu_entry(m, u, t, e, &en) == 0 && en.valid)
                    fprintf(f, "  entry %u: %s 0x%x (raw 0x%x)\n", (unsigned)e, target_name(en.target),
                            (unsigned)en.paddr, (unsigned)en.raw);
            }
        }
    }
}
