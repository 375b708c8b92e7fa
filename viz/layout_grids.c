/* layout_grids.c - the layout's grids: each MMU's entries, and each cache's lines by
 * set and way with what the step did to them, and the touched lines listed below. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout_internal.h"

/* ---- grids: MMU entries and cache lines -------------------------------------------- */

/* The largest square cell (at most `max`) that fits `n` cells, in groups of `group`
 * cells with a gap between groups, into w x h. */
static int grid_cell(int n, int group, int w, int h, int max)
{
    for (int c = max; c >= 2; c--) {
        int gap = group > 1 ? 2 : 0;
        int groups_per_row = (w + gap) / (group * c + gap);
        if (groups_per_row < 1)
            continue;
        int groups = (n + group - 1) / group;
        int rows = (groups + groups_per_row - 1) / groups_per_row;
        if (rows * c <= h)
            return c;
    }
    return 0;
}

void lay_draw_mmus(lay_t *L, int x, int y, int w, int h)
{
    const viz_state_t *s = L->s;
    if (s->nmmus == 0)
        return;
    int each = h / s->nmmus;
    for (int m = 0; m < s->nmmus; m++) {
        const viz_mmu_t *u = &s->mmu[m];
        int valid = 0, changed = 0;
        for (uint32_t e = 0; e < u->entries; e++) {
            valid += u->entry[e].valid;
            changed += u->entry[e].changed;
        }
        int ty = y + m * each;
        lay_label(L, x, ty, w, VIZ_ROLE_TEXT, "%s: %u entries, %d valid, %d written", u->name, u->entries, valid, changed);
        int c = grid_cell((int)u->entries, 1, w, each - L->lh - 2, 12);
        if (!c)
            continue;
        int per_row = w / c, inset = c >= 5;
        for (uint32_t e = 0; e < u->entries; e++) {
            const viz_entry_t *v = &u->entry[e];
            int cx = x + (int)(e % (uint32_t)per_row) * c, cy = ty + L->lh + (int)(e / (uint32_t)per_row) * c;
            viz_rect_t *r = lay_rect(L, cx, cy, c - inset, c - inset, v->valid ? lay_target_role(v->target) : VIZ_ROLE_INVALID,
                                     v->changed ? VIZ_ROLE_CHANGED : VIZ_ROLE_NONE, VIZ_ITEM_MMU_ENTRY, m * 65536 + (int)e);
            if (v->valid)
                lay_tip(r, "%s entry %u: raw 0x%x -> %s page 0x%08x%s", u->name, e, v->raw, lay_target_text(v->target), v->paddr,
                        v->changed ? " (written this step)" : "");
            else
                lay_tip(r, "%s entry %u: raw 0x%x, invalid%s", u->name, e, v->raw, v->changed ? " (written this step)" : "");
        }
    }
}

static viz_role_t line_role(const viz_line_t *l)
{
    switch (l->event) {
    case VIZ_EV_HIT: return VIZ_ROLE_HIT;
    case VIZ_EV_FILL: return VIZ_ROLE_MISS;
    case VIZ_EV_WRITEBACK: return VIZ_ROLE_WRITEBACK;
    case VIZ_EV_INVALIDATED: return VIZ_ROLE_FAULT;
    case VIZ_EV_NONE: break;
    }
    return !l->valid ? VIZ_ROLE_INVALID : l->stale ? VIZ_ROLE_STALE : l->dirty ? VIZ_ROLE_DIRTY : VIZ_ROLE_VALID;
}

static const char *event_text(viz_event_t e)
{
    static const char *const names[] = {"", ", hit this step", ", filled this step (miss)", ", written back this step",
                                        ", invalidated this step"};
    return names[e];
}

void lay_draw_caches(lay_t *L, int x, int y, int w, int h)
{
    const viz_state_t *s = L->s;
    if (s->ncaches == 0)
        return;
    int each = h / s->ncaches;
    for (int ci = 0; ci < s->ncaches; ci++) {
        const viz_cache_t *c = &s->cache[ci];
        uint32_t n = c->sets * c->ways;
        int ev[5] = {0};
        for (uint32_t i = 0; i < n; i++)
            ev[c->lines[i].event]++;
        int ty = y + ci * each;
        char sz[24];
        lay_size_text(sz, sizeof sz, (uint64_t)n * c->line_size);
        lay_label(L, x, ty, w, VIZ_ROLE_TEXT, "%s %s: %u sets x %u ways, %u B lines%s | hit %d fill %d wb %d inval %d", c->name,
                  sz, c->sets, c->ways, c->line_size, c->write_back ? ", write-back" : "", ev[VIZ_EV_HIT], ev[VIZ_EV_FILL],
                  ev[VIZ_EV_WRITEBACK], ev[VIZ_EV_INVALIDATED]);
        /* Room under the grid for up to three of the lines the step touched. */
        int touched = ev[VIZ_EV_HIT] + ev[VIZ_EV_FILL] + ev[VIZ_EV_WRITEBACK];
        int listed = (touched < 3 ? touched : 3) * L->lh;
        int cell = grid_cell((int)n, (int)c->ways, w, each - L->lh - 2 - listed, 16);
        if (!cell)
            continue;
        int gap = c->ways > 1 ? 2 : 0;
        int sets_per_row = (w + gap) / ((int)c->ways * cell + gap), inset = cell >= 5;
        for (uint32_t i = 0; i < n; i++) {
            const viz_line_t *l = &c->lines[i];
            uint32_t set = i / c->ways, way = i % c->ways;
            int cx = x + (int)(set % (uint32_t)sets_per_row) * ((int)c->ways * cell + gap) + (int)way * cell;
            int cy = ty + L->lh + (int)(set / (uint32_t)sets_per_row) * cell;
            viz_rect_t *r = lay_rect(L, cx, cy, cell - inset, cell - inset, line_role(l),
                                     l->event != VIZ_EV_NONE && l->dirty ? VIZ_ROLE_DIRTY : VIZ_ROLE_NONE,
                                     VIZ_ITEM_CACHE_LINE, ci * 65536 + (int)i);
            if (l->valid)
                lay_tip(r, "%s set %u way %u: tag 0x%08x -> %s 0x%08x%s%s%s; %02x %02x %02x %02x %02x %02x %02x %02x", c->name,
                        set, way, l->key, lay_target_text(l->target), l->paddr, l->dirty ? ", dirty" : "", l->stale ? ", stale" : "",
                        event_text(l->event), l->head[0], l->head[1], l->head[2], l->head[3], l->head[4], l->head[5],
                        l->head[6], l->head[7]);
            else
                lay_tip(r, "%s set %u way %u: invalid%s", c->name, set, way, event_text(l->event));
        }
        /* Below the grid, the lines the step touched, with their tags and bytes. */
        int rows = ((int)c->sets + sets_per_row - 1) / sets_per_row;
        int ly = ty + L->lh + rows * cell + 2;
        for (uint32_t i = 0; i < n && ly + L->lh <= ty + each; i++) {
            const viz_line_t *l = &c->lines[i];
            if (l->event == VIZ_EV_NONE || !l->valid)
                continue;
            if (lay_label(L, x, ly, w, line_role(l), "set %u way %u: tag 0x%08x %s 0x%08x%s%s  %02x %02x %02x %02x %02x %02x %02x %02x",
                      i / c->ways, i % c->ways, l->key, lay_target_text(l->target), l->paddr, l->dirty ? " dirty" : "",
                      event_text(l->event), l->head[0], l->head[1], l->head[2], l->head[3], l->head[4], l->head[5],
                      l->head[6], l->head[7]))
                ly += L->lh;
        }
    }
}
