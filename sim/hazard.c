/* hazard.c - the hazard log and the names of hazard kinds. */
#include "hazard.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

static const char *const hazard_names[MMSIM_HAZARD_KIND_COUNT] = {
    [MMSIM_HAZARD_STALE_READ] = "stale_read",
    [MMSIM_HAZARD_LOST_WRITE] = "lost_write",
    [MMSIM_HAZARD_DMA_STALE] = "dma_stale",
    [MMSIM_HAZARD_ALIAS_CONFLICT] = "alias_conflict",
    [MMSIM_HAZARD_UNMAPPED_ACCESS] = "unmapped_access",
    [MMSIM_HAZARD_USE_AFTER_UNMAP] = "use_after_unmap",
    [MMSIM_HAZARD_WRITE_READ_ONLY] = "write_read_only",
    [MMSIM_HAZARD_CAPABILITY] = "capability",
    [MMSIM_HAZARD_CACHE_DISABLED] = "cache_disabled",
    [MMSIM_HAZARD_HAL_ASSERT] = "hal_assert",
    [MMSIM_HAZARD_ABORT] = "abort",
    [MMSIM_HAZARD_WRITEBACK_REMAPPED] = "writeback_remapped",
    [MMSIM_HAZARD_WRITEBACK_UNMAPPED] = "writeback_unmapped",
    [MMSIM_HAZARD_DMA_WRITE_DIRTY] = "dma_write_dirty",
    [MMSIM_HAZARD_WRITEBACK_OVER_DMA] = "writeback_over_dma",
    [MMSIM_HAZARD_DMA_UNALIGNED] = "dma_unaligned",
    [MMSIM_HAZARD_ROM_ERRATA] = "rom_errata",
};

const char *mmsim_hazard_name(mmsim_hazard_kind_t kind)
{
    if ((unsigned)kind < MMSIM_HAZARD_KIND_COUNT)
        return hazard_names[kind];
    error_set(MMSIM_ERR_ARG, "%s: kind %d is not a hazard kind (0..%d)", __func__, (int)kind,
              MMSIM_HAZARD_KIND_COUNT - 1);
    return "unknown";
}

int mmsim_hazard_from_name(const char *name)
{
    if (!name)
        return error_set(MMSIM_ERR_ARG, "%s: name is NULL", __func__);
    for (int k = 0; k < MMSIM_HAZARD_KIND_COUNT; k++)
        if (!strcmp(name, hazard_names[k]))
            return k;
    return error_set(MMSIM_ERR_ARG, "%s: '%s' is not a hazard kind", __func__, name);
}

char *mmsim_hazard_format(const mmsim_hazard_t *h, char *buf, size_t size)
{
    if (!buf && size) {
        error_set(MMSIM_ERR_ARG, "%s: buf is NULL (size %zu)", __func__, size);
        return buf;
    }
    if (!h) {
        error_set(MMSIM_ERR_ARG, "%s: h is NULL", __func__);
        if (size)
            buf[0] = '\0';
        return buf;
    }
    char where[96] = "";
    size_t n = 0;
    if (h->core >= 0)
        n += (size_t)snprintf(where + n, sizeof where - n, " core %d", (int)h->core);
    if (h->vaddr)
        n += (size_t)snprintf(where + n, sizeof where - n, " vaddr 0x%08x", (unsigned)h->vaddr);
    if (h->target)
        n += (size_t)snprintf(where + n, sizeof where - n, " %s 0x%08x",
                              h->target == MMSIM_TARGET_PSRAM ? "psram" : "flash", (unsigned)h->paddr);
    if (h->cache >= 0 && n < sizeof where)
        snprintf(where + n, sizeof where - n, " cache %d line %d", (int)h->cache, (int)h->line);
    snprintf(buf, size, "step %u: %s in %s:%s: %s", (unsigned)h->step, mmsim_hazard_name(h->kind),
             h->cause, where, h->detail);
    return buf;
}

void hazard_log_fini(hazard_log_t *log)
{
    free(log->recs);
    memset(log, 0, sizeof *log);
}

void hazard_log_clear(hazard_log_t *log)
{
    log->kept = log->total = 0;
    memset(log->per_kind, 0, sizeof log->per_kind);
}

void hazard_raise(hazard_log_t *log, mmsim_hazard_kind_t kind, hazard_site_t site,
                  const char *detail, ...)
{
    log->total++;
    log->per_kind[kind]++;
    if (log->kept == HAZARD_KEEP)
        return;
    if (log->kept == log->cap) {
        size_t cap = log->cap ? log->cap * 2 : 16;
        mmsim_hazard_t *r = realloc(log->recs, cap * sizeof *r);
        if (!r)
            return;
        log->recs = r;
        log->cap = cap;
    }
    mmsim_hazard_t *h = &log->recs[log->kept++];
    memset(h, 0, sizeof *h);
    h->kind = kind;
    h->core = site.core;
    h->vaddr = site.vaddr;
    h->paddr = site.paddr;
    h->target = site.target;
    h->cache = site.cache;
    h->line = site.line;
    h->step = log->step;
    snprintf(h->cause, sizeof h->cause, "%s", log->cause ? log->cause : "");
    va_list ap;
    va_start(ap, detail);
    vsnprintf(h->detail, sizeof h->detail, detail, ap);
    va_end(ap);
}
