/* layout.c - the pure layout of the view: a snapshot (viz_layout.h) and a canvas
 * size in, rectangles, lines and labels with colour roles out.  No SDL, no machine:
 * the same input always gives the same picture, which is what the tests check.
 *
 * This file owns the public entry points: the arrangement of the sections from top
 * to bottom (title, legend, the address bands, ESP32's himem bank window, the
 * address-bit ribbon, the MMU grids beside the caches, and the status of the step),
 * the palette, the key help text, freeing a snapshot or a layout, and hit-testing
 * for hover.  The sections themselves live in layout_*.c (layout_internal.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout_internal.h"

const char *const viz_help_lines[] = {
    "Right, Space, n     next step",
    "Left, Backspace, p  previous step",
    "Home / End          first / last step",
    "h                   first hazard or failure",
    "+ / -, wheel        zoom the address bands",
    "[ / ], drag         pan the address bands",
    "0                   reset zoom and pan",
    "1 2 3 4 5 6         bands, himem, ribbon, MMU, caches, legend",
    "mouse               hover for exact addresses",
    "?                   this help",
    "q, Esc              quit",
    NULL,
};

void viz_state_free(viz_state_t *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->ncaches; i++)
        free(s->cache[i].lines);
    for (int i = 0; i < s->nmmus; i++)
        free(s->mmu[i].entry);
    memset(s, 0, sizeof *s);
}

/* ---- palette ----------------------------------------------------------------------- */

static const struct {
    viz_rgb_t rgb;
    const char *name;
} palette[VIZ_ROLE_COUNT] = {
    [VIZ_ROLE_NONE] = {{0, 0, 0}, "none"},
    [VIZ_ROLE_BG] = {{22, 24, 29}, "background"},
    [VIZ_ROLE_PANEL] = {{34, 37, 45}, "panel"},
    [VIZ_ROLE_FRAME] = {{92, 98, 112}, "frame"},
    [VIZ_ROLE_TEXT] = {{228, 230, 235}, "text"},
    [VIZ_ROLE_TEXT_DIM] = {{150, 156, 168}, "dim text"},
    [VIZ_ROLE_REGION] = {{54, 60, 74}, "free"},
    [VIZ_ROLE_RESERVED] = {{120, 100, 70}, "boot reserved"},
    [VIZ_ROLE_LARGEST_FREE] = {{190, 255, 190}, "largest free"},
    [VIZ_ROLE_FLASH] = {{66, 133, 244}, "flash"},
    [VIZ_ROLE_PSRAM] = {{0, 160, 130}, "psram"},
    [VIZ_ROLE_ALIAS] = {{236, 72, 153}, "alias/shared"},
    [VIZ_ROLE_INVALID] = {{66, 70, 80}, "invalid"},
    [VIZ_ROLE_VALID] = {{110, 130, 175}, "valid"},
    [VIZ_ROLE_DIRTY] = {{245, 140, 30}, "dirty"},
    [VIZ_ROLE_STALE] = {{155, 90, 215}, "stale"},
    [VIZ_ROLE_HIT] = {{60, 200, 90}, "hit"},
    [VIZ_ROLE_MISS] = {{250, 215, 50}, "miss/fill"},
    [VIZ_ROLE_WRITEBACK] = {{120, 220, 255}, "write-back"},
    [VIZ_ROLE_FAULT] = {{230, 45, 45}, "fault/hazard"},
    [VIZ_ROLE_BANK] = {{255, 175, 205}, "himem bank"},
    [VIZ_ROLE_CHANGED] = {{255, 255, 255}, "changed"},
};

viz_rgb_t viz_role_rgb(viz_role_t role) { return palette[role < VIZ_ROLE_COUNT ? role : 0].rgb; }
const char *viz_role_name(viz_role_t role) { return palette[role < VIZ_ROLE_COUNT ? role : 0].name; }

/* ---- the whole picture ------------------------------------------------------------- */

int viz_layout(const viz_state_t *s, const viz_canvas_t *cv, viz_layout_t *out)
{
    out->nrects = out->nlines = out->nlabels = 0;
    out->oom = false;
    if (cv->char_w <= 0 || cv->char_h <= 0 || cv->w <= 0 || cv->h <= 0)
        return 0;
    lay_t L = {.out = out, .cv = cv, .s = s, .lh = cv->char_h + 4};
    const int pad = 8, lh = L.lh;
    int x = pad, w = cv->w - 2 * pad, y = pad;
    lay_rect(&L, 0, 0, cv->w, cv->h, VIZ_ROLE_BG, VIZ_ROLE_NONE, VIZ_ITEM_PANEL, 0);
    if (cv->help) {
        lay_draw_help(&L);
        return out->oom ? -1 : 0;
    }
    lay_label(&L, x, y, w, VIZ_ROLE_TEXT, "mmsim  %s  |  %s", s->chip, s->scenario);
    y += lh;
    if (!(cv->hide & VIZ_PANEL_LEGEND))
        y = lay_draw_legend(&L, x, y, w) + lh / 2;
    int status_y = cv->h - pad - lay_status_height(&L, w);
    lay_draw_status(&L, x, status_y, w);
    int bottom = status_y - lh / 2;

    /* Sections top-down while they fit; the grids take what is left. */
    if (!(cv->hide & VIZ_PANEL_BANDS) && y + lay_bands_height(&L) <= bottom)
        y = lay_draw_bands(&L, x, y, w) + lh / 2;
    if (s->himem.present && !(cv->hide & VIZ_PANEL_HIMEM) && y + lay_himem_height(&L) <= bottom)
        y = lay_draw_himem(&L, x, y, w) + lh / 2;
    if (!(cv->hide & VIZ_PANEL_RIBBON) && y + lay_ribbon_height(&L) <= bottom)
        y = lay_draw_ribbon(&L, x, y, w) + lh / 2;
    int left = bottom - y;
    if (left >= 3 * lh) {
        bool mmu = !(cv->hide & VIZ_PANEL_MMU), cache = !(cv->hide & VIZ_PANEL_CACHE);
        int mmu_w = mmu && cache ? w * 2 / 5 : mmu ? w : 0;
        if (mmu)
            lay_draw_mmus(&L, x, y, mmu_w - (cache ? 2 * pad : 0), left);
        if (cache)
            lay_draw_caches(&L, x + mmu_w, y, w - mmu_w, left);
    }
    return out->oom ? -1 : 0;
}

void viz_layout_free(viz_layout_t *l)
{
    if (!l)
        return;
    free(l->rects);
    free(l->lines);
    free(l->labels);
    memset(l, 0, sizeof *l);
}

const viz_rect_t *viz_layout_hit(const viz_layout_t *l, int x, int y)
{
    for (size_t i = l->nrects; i-- > 0;) {
        const viz_rect_t *r = &l->rects[i];
        if (r->tip[0] && x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h)
            return r;
    }
    return NULL;
}
