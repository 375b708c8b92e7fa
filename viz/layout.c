/* layout.c - the pure layout of the view: a snapshot (viz_layout.h) and a canvas
 * size in, rectangles, lines and labels with colour roles out.  No SDL, no machine:
 * the same input always gives the same picture, which is what the tests check.
 *
 * From top to bottom: title, legend, the address bands (esp_mmu_map regions over the
 * physical flash and PSRAM), ESP32's himem bank window, the address-bit ribbon, the
 * MMU grids beside the caches, and the status of the step. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "viz_layout.h"

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

/* ---- output lists ------------------------------------------------------------------ */

typedef struct {
    viz_layout_t *out;
    const viz_canvas_t *cv;
    const viz_state_t *s;
    int lh;                     /* a text row */
} lay_t;

static void *grow(viz_layout_t *o, void **arr, size_t *n, size_t *cap, size_t size)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 256;
        void *p = realloc(*arr, ncap * size);
        if (!p) {
            o->oom = true;
            return NULL;
        }
        *arr = p;
        *cap = ncap;
    }
    return (char *)*arr + (*n)++ * size;
}

static viz_rect_t *rect(lay_t *L, int x, int y, int w, int h, viz_role_t fill, viz_role_t outline, viz_item_t item,
                        int index)
{
    if (w <= 0 || h <= 0)
        return NULL;
    viz_layout_t *o = L->out;
    viz_rect_t *r = grow(o, (void **)&o->rects, &o->nrects, &o->cap_rects, sizeof *r);
    if (r)
        *r = (viz_rect_t){.x = x, .y = y, .w = w, .h = h, .fill = fill, .outline = outline, .item = item, .index = index};
    return r;
}

static void tip(viz_rect_t *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tip(viz_rect_t *r, const char *fmt, ...)
{
    if (!r)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->tip, sizeof r->tip, fmt, ap);
    va_end(ap);
}

static void line(lay_t *L, int x0, int y0, int x1, int y1, viz_role_t role, bool arrow, viz_item_t item, int index)
{
    viz_layout_t *o = L->out;
    viz_line_seg_t *l = grow(o, (void **)&o->lines, &o->nlines, &o->cap_lines, sizeof *l);
    if (l)
        *l = (viz_line_seg_t){x0, y0, x1, y1, role, arrow, item, index};
}

static bool boxes_overlap(int ax, int ay, int aw, int ah, int bx, int by, int bw, int bh)
{
    return ax < bx + bw && bx < ax + aw && ay < by + bh && by < ay + ah;
}

/* A label at (x, y) no wider than maxw: cut to whole characters, dropped (false) if
 * nothing readable is left, if it leaves the canvas or if it would cover another. */
static bool label(lay_t *L, int x, int y, int maxw, viz_role_t role, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static bool label(lay_t *L, int x, int y, int maxw, viz_role_t role, const char *fmt, ...)
{
    char text[VIZ_TEXT];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    const viz_canvas_t *cv = L->cv;
    if (x + maxw > cv->w)
        maxw = cv->w - x;
    size_t fit = maxw > 0 ? (size_t)(maxw / cv->char_w) : 0;
    size_t len = strlen(text);
    if (len > fit) {
        if (fit < 4)
            return false;
        len = fit;
        text[len - 1] = '~'; /* cut */
        text[len] = '\0';
    }
    int w = (int)len * cv->char_w, h = cv->char_h;
    if (len == 0 || x < 0 || y < 0 || y + h > cv->h)
        return false;
    viz_layout_t *o = L->out;
    for (size_t i = 0; i < o->nlabels; i++) {
        const viz_label_t *b = &o->labels[i];
        if (boxes_overlap(x, y, w, h, b->x, b->y, b->w, b->h))
            return false;
    }
    viz_label_t *l = grow(o, (void **)&o->labels, &o->nlabels, &o->cap_labels, sizeof *l);
    if (!l)
        return false;
    *l = (viz_label_t){.x = x, .y = y, .w = w, .h = h, .role = role};
    memcpy(l->text, text, len + 1);
    return true;
}

/* ---- words ------------------------------------------------------------------------- */

static void size_text(char *buf, size_t n, uint64_t bytes)
{
    if (bytes >= (1u << 20) && bytes % (1u << 20) == 0)
        snprintf(buf, n, "%lluM", (unsigned long long)(bytes >> 20));
    else if (bytes >= 1024 && bytes % 1024 == 0)
        snprintf(buf, n, "%lluK", (unsigned long long)(bytes >> 10));
    else
        snprintf(buf, n, "%llu", (unsigned long long)bytes);
}

static void caps_text(char *buf, size_t n, uint32_t caps)
{
    static const char *const names[] = {"exec", "read", "write", "32bit", "8bit"};
    buf[0] = '\0';
    for (int i = 0; i < 5; i++)
        if (caps & (1u << i))
            snprintf(buf + strlen(buf), n - strlen(buf), "%s%s", buf[0] ? "," : "", names[i]);
    if (!buf[0])
        snprintf(buf, n, "none");
}

static const char *target_text(uint32_t t)
{
    return t == (VIZ_TARGET_FLASH | VIZ_TARGET_PSRAM) ? "flash+psram"
           : t == VIZ_TARGET_FLASH                   ? "flash"
           : t == VIZ_TARGET_PSRAM                   ? "psram"
                                                     : "none";
}

static viz_role_t target_role(uint32_t t) { return t == VIZ_TARGET_PSRAM ? VIZ_ROLE_PSRAM : VIZ_ROLE_FLASH; }

/* ---- address bands ----------------------------------------------------------------- */

/* A band maps the addresses [base, base + size) across its width, magnified by the
 * canvas's zoom from its pan point. */
typedef struct {
    int x, w, y, h;
    uint64_t base, size;
    uint32_t shown_base;        /* the address printed for `base` (virtual for regions) */
} band_t;

static double band_zoom(const lay_t *L) { return L->cv->zoom < 1 ? 1 : L->cv->zoom; }

/* The pan, kept where the magnified band still fills the view. */
static double band_pan(const lay_t *L)
{
    double max = 1 - 1 / band_zoom(L), pan = L->cv->pan;
    return pan < 0 ? 0 : pan > max ? max : pan;
}

static double band_pos(const lay_t *L, const band_t *b, uint64_t a)
{
    double frac = b->size ? (double)(a - b->base) / (double)b->size : 0;
    return b->x + (frac - band_pan(L)) * band_zoom(L) * b->w;
}

static int clampi(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

/* The visible part of [a0, a1) of a band, at least 2 pixels wide so no block vanishes;
 * false if it lies outside the view. */
static bool band_span(const lay_t *L, const band_t *b, uint64_t a0, uint64_t a1, int *x0, int *x1)
{
    double p0 = band_pos(L, b, a0), p1 = band_pos(L, b, a1);
    if (p1 < b->x || p0 > b->x + b->w)
        return false;
    *x0 = clampi((int)p0, b->x, b->x + b->w - 2);
    *x1 = clampi((int)(p1 + 0.999), *x0 + 2, b->x + b->w);
    return true;
}

/* A rectangle for [a0, a1) of a band, with the exact address range it covers for hover. */
static viz_rect_t *band_rect(lay_t *L, const band_t *b, uint64_t a0, uint64_t a1, int dy, int h, viz_role_t fill,
                             viz_role_t outline, viz_item_t item, int index)
{
    int x0, x1;
    if (!band_span(L, b, a0, a1, &x0, &x1))
        return NULL;
    viz_rect_t *r = rect(L, x0, b->y + dy, x1 - x0, h, fill, outline, item, index);
    if (r) {
        /* The addresses at the rectangle's edges, for the hover's interpolation. */
        double per_px = (double)b->size / (band_zoom(L) * b->w);
        double left = (double)(a0 - b->base) + ((double)x0 - band_pos(L, b, a0)) * per_px;
        double right = left + (double)(x1 - x0) * per_px;
        if (right > (double)(a1 - b->base))
            right = (double)(a1 - b->base);
        r->addr0 = b->shown_base + (uint32_t)(left < 0 ? 0 : left);
        r->addr1 = b->shown_base + (uint32_t)right;
    }
    return r;
}

static int block_mid_x(const lay_t *L, const band_t *b, uint64_t a0, uint64_t a1)
{
    int x0, x1;
    if (band_span(L, b, a0, a1, &x0, &x1))
        return (x0 + x1) / 2;
    return clampi((int)band_pos(L, b, a0), b->x, b->x + b->w);
}

static void draw_region(lay_t *L, int ri, const band_t *b)
{
    const viz_state_t *s = L->s;
    const viz_region_t *g = &s->region[ri];
    char caps[64], sz[16];
    caps_text(caps, sizeof caps, g->caps);
    size_text(sz, sizeof sz, g->end - g->start);
    label(L, b->x, b->y - L->lh, b->w, VIZ_ROLE_TEXT_DIM, "region %d  0x%08x +%s  bus 0x%x  caps %s  targets %s", ri,
          g->vaddr_start, sz, g->bus, caps, target_text(g->targets));
    viz_rect_t *r = band_rect(L, b, g->start, g->end, 0, b->h, VIZ_ROLE_REGION, VIZ_ROLE_FRAME, VIZ_ITEM_REGION, ri);
    tip(r, "region %d: 0x%08x-0x%08x (%s), caps %s, %s", ri, g->vaddr_start, g->vaddr_start + (g->end - g->start), sz,
        caps, target_text(g->targets));
    if (g->free_head > g->start) {
        size_text(sz, sizeof sz, g->free_head - g->start);
        r = band_rect(L, b, g->start, g->free_head, 0, b->h, VIZ_ROLE_RESERVED, VIZ_ROLE_NONE, VIZ_ITEM_RESERVED, ri);
        tip(r, "boot reservation: 0x%08x-0x%08x (%s), the app image and heaps; never handed out", g->vaddr_start,
            g->vaddr_start + (g->free_head - g->start), sz);
    }
    /* Free slots: the gaps between the driver's blocks above the free head. */
    uint32_t at = g->free_head;
    bool largest_marked = false;
    for (int i = 0; i <= s->nblocks; i++) {
        const viz_block_t *k = i < s->nblocks ? &s->block[i] : NULL;
        if (k && (k->region != ri || k->boot))
            continue;
        uint32_t next = k ? k->laddr_start : g->end;
        if (next > at) {
            bool largest = !largest_marked && next - at == g->max_slot;
            largest_marked |= largest;
            size_text(sz, sizeof sz, next - at);
            r = band_rect(L, b, at, next, 0, b->h, VIZ_ROLE_REGION, largest ? VIZ_ROLE_LARGEST_FREE : VIZ_ROLE_NONE,
                          VIZ_ITEM_FREE, ri);
            tip(r, "free slot 0x%08x-0x%08x (%s)%s", g->vaddr_start + (at - g->start), g->vaddr_start + (next - g->start),
                sz, largest ? ", the largest: esp_mmu_map takes the first slot that fits" : "");
            if (r && largest)
                label(L, r->x + 2, b->y + b->h + 1, r->w - 2, VIZ_ROLE_LARGEST_FREE, "largest free %s", sz);
        }
        if (k)
            at = k->laddr_end;
    }
    for (int i = 0; i < s->nblocks; i++) {
        const viz_block_t *k = &s->block[i];
        if (k->region != ri)
            continue;
        char ksz[24], kcaps[64];
        size_text(ksz, sizeof ksz, k->laddr_end - k->laddr_start);
        caps_text(kcaps, sizeof kcaps, k->caps);
        /* Boot mappings sit low in the band, the driver's blocks fill it. */
        int dy = k->boot ? b->h / 2 : 0, h = k->boot ? b->h - b->h / 2 : b->h;
        viz_role_t outline = k->fresh ? VIZ_ROLE_CHANGED : k->alias ? VIZ_ROLE_ALIAS : VIZ_ROLE_FRAME;
        r = band_rect(L, b, k->laddr_start, k->laddr_end, dy, h, target_role(k->target), outline, VIZ_ITEM_BLOCK, i);
        tip(r, "%s 0x%08x-0x%08x (%s) caps %s -> %s 0x%08x-0x%08x%s%s", k->boot ? "boot mapping" : "block",
            k->vaddr_start, k->vaddr_start + (k->laddr_end - k->laddr_start), ksz, kcaps, target_text(k->target),
            k->paddr_start, k->paddr_end, k->alias ? "; another mapping shares these bytes" : "",
            k->fresh ? "; mapped by this step" : "");
        if (r && !k->boot)
            label(L, r->x + 2, r->y + (r->h - L->cv->char_h) / 2, r->w - 3, VIZ_ROLE_TEXT, "0x%08x %s %s", k->vaddr_start,
                  ksz, kcaps);
    }
    /* Where the step's address falls: a tick across the band.  A block's own vaddr
     * says where (a region spans data and instruction views on some chips). */
    uint32_t a = s->step.addr;
    uint64_t at_l = 0;
    bool found = false;
    for (int i = 0; i < s->nblocks && s->step.has_addr && !found; i++) {
        const viz_block_t *k = &s->block[i];
        if (k->region == ri && a >= k->vaddr_start && a - k->vaddr_start < k->laddr_end - k->laddr_start) {
            at_l = k->laddr_start + (uint64_t)(a - k->vaddr_start);
            found = true;
        }
    }
    if (s->step.has_addr && !found && a >= g->vaddr_start && a - g->vaddr_start < g->end - g->start) {
        at_l = g->start + (uint64_t)(a - g->vaddr_start);
        found = true;
    }
    int x0, x1;
    if (found && band_span(L, b, at_l, at_l + 1, &x0, &x1))
        line(L, x0, b->y - 3, x0, b->y + b->h + 2, VIZ_ROLE_CHANGED, false, VIZ_ITEM_RIBBON_BIT, -1);
}

static int draw_bands(lay_t *L, int x, int y, int w)
{
    const viz_state_t *s = L->s;
    int lh = L->lh, bh = lh + 2;
    label(L, x, y, w, VIZ_ROLE_TEXT, "virtual: esp_mmu_map regions (zoom %.1fx)", band_zoom(L));
    y += lh;
    band_t rb[VIZ_MAX_REGIONS];
    for (int r = 0; r < s->nregions; r++) {
        y += lh;
        rb[r] = (band_t){.x = x, .w = w, .y = y, .h = bh, .base = s->region[r].start,
                         .size = s->region[r].end - s->region[r].start, .shown_base = s->region[r].vaddr_start};
        draw_region(L, r, &rb[r]);
        y += bh + lh;
    }
    y += lh;
    label(L, x, y, w, VIZ_ROLE_TEXT, "physical: flash and PSRAM");
    y += lh;
    band_t pb[2];
    uint32_t sizes[2] = {s->flash_size, s->psram_size};
    const uint32_t targets[2] = {VIZ_TARGET_FLASH, VIZ_TARGET_PSRAM};
    bool has[2] = {false, false};
    for (int t = 0; t < 2; t++) {
        if (!sizes[t])
            continue;
        has[t] = true;
        char sz[24];
        size_text(sz, sizeof sz, sizes[t]);
        y += lh;
        pb[t] = (band_t){.x = x, .w = w, .y = y, .h = bh, .base = 0, .size = sizes[t]};
        label(L, x, y - lh, w, VIZ_ROLE_TEXT_DIM, "%s %s", target_text(targets[t]), sz);
        viz_rect_t *r = band_rect(L, &pb[t], 0, sizes[t], 0, bh, VIZ_ROLE_PANEL, VIZ_ROLE_FRAME, VIZ_ITEM_PHYS_BAND,
                                  (int)targets[t]);
        tip(r, "%s: %s of physical memory", target_text(targets[t]), sz);
        y += bh + lh / 2;
    }
    /* Each mapping's physical range, and a line from the mapping down to it. */
    for (int i = 0; i < s->nblocks; i++) {
        const viz_block_t *k = &s->block[i];
        int t = k->target == VIZ_TARGET_PSRAM ? 1 : 0;
        if (!has[t] || k->region >= s->nregions)
            continue;
        uint64_t p0 = k->paddr_start < sizes[t] ? k->paddr_start : sizes[t] - 1;
        uint64_t p1 = k->paddr_end < sizes[t] ? k->paddr_end : sizes[t];
        if (p1 <= p0)
            p1 = p0 + 1;
        viz_rect_t *r = band_rect(L, &pb[t], p0, p1, 0, pb[t].h, target_role(k->target), VIZ_ROLE_NONE,
                                  VIZ_ITEM_PHYS_RANGE, i);
        tip(r, "%s 0x%08x-0x%08x, mapped at 0x%08x%s", target_text(k->target), k->paddr_start, k->paddr_end,
            k->vaddr_start, k->alias ? " (and elsewhere: alias)" : "");
        const band_t *vb = &rb[k->region];
        line(L, block_mid_x(L, vb, k->laddr_start, k->laddr_end), vb->y + vb->h, block_mid_x(L, &pb[t], p0, p1), pb[t].y,
             k->alias ? VIZ_ROLE_ALIAS : k->boot ? VIZ_ROLE_RESERVED : target_role(k->target), false, VIZ_ITEM_BLOCK, i);
    }
    /* The bytes two mappings share, over the ranges (index: the first mapping). */
    for (int i = 0; i < s->nblocks; i++)
        for (int j = i + 1; j < s->nblocks; j++) {
            const viz_block_t *a = &s->block[i], *b = &s->block[j];
            int t = a->target == VIZ_TARGET_PSRAM ? 1 : 0;
            if (!a->alias || !b->alias || a->target != b->target || !has[t])
                continue;
            uint32_t lo = a->paddr_start > b->paddr_start ? a->paddr_start : b->paddr_start;
            uint32_t hi = a->paddr_end < b->paddr_end ? a->paddr_end : b->paddr_end;
            if (lo >= hi || lo >= sizes[t])
                continue;
            viz_rect_t *r = band_rect(L, &pb[t], lo, hi < sizes[t] ? hi : sizes[t], 0, pb[t].h, VIZ_ROLE_ALIAS,
                                      VIZ_ROLE_NONE, VIZ_ITEM_ALIAS_RANGE, i);
            tip(r, "%s 0x%08x-0x%08x is mapped twice: at 0x%08x and at 0x%08x", target_text(a->target), lo, hi,
                a->vaddr_start + (lo - a->paddr_start), b->vaddr_start + (lo - b->paddr_start));
        }
    return y;
}

static int bands_height(const lay_t *L)
{
    int bh = L->lh + 2, phys = (L->s->flash_size != 0) + (L->s->psram_size != 0);
    return L->lh + L->s->nregions * (2 * L->lh + bh) + 2 * L->lh + phys * (L->lh + bh + L->lh / 2);
}

/* ---- ESP32 himem ------------------------------------------------------------------- */

/* The width of a page in a strip of pages from x0 to x1: a pixel of gap between pages
 * wide enough to keep one, and never less than a pixel. */
static int strip_cell(int x0, int x1)
{
    int w = x1 - x0;
    return w > 3 ? w - 1 : w > 1 ? w : 1;
}

static int draw_himem(lay_t *L, int x, int y, int w)
{
    const viz_state_t *s = L->s;
    const viz_himem_t *h = &s->himem;
    int lh = L->lh;
    char sz[24];
    size_text(sz, sizeof sz, h->psram_window_size);
    label(L, x, y, w, VIZ_ROLE_TEXT, "himem: %s PSRAM window at 0x%08x, bank window 0x%08x (%d x 32K) -> banks above",
          sz, h->psram_window_vaddr, h->window_vaddr, h->pages);
    y += lh;
    int window_pages = (int)(h->psram_window_size / h->page_size);
    int phys_pages = (int)(s->psram_size / h->page_size);
    if (window_pages <= 0 || phys_pages <= 0)
        return y;
    int first_bank = (int)((h->window_vaddr - h->psram_window_vaddr) / h->page_size);
    int ph = lh;
    /* The window: its pages, the bank window's in the bank colour. */
    for (int p = 0; p < window_pages; p++) {
        int x0 = x + p * w / window_pages, x1 = x + (p + 1) * w / window_pages;
        bool bank = p >= first_bank && p - first_bank < h->pages;
        const viz_bank_page_t *bp = bank ? &h->page[p - first_bank] : NULL;
        viz_role_t fill = !bank ? VIZ_ROLE_PSRAM : bp->mapped ? VIZ_ROLE_BANK : bp->alloced ? VIZ_ROLE_REGION : VIZ_ROLE_INVALID;
        viz_rect_t *r = rect(L, x0, y, strip_cell(x0, x1), ph, fill, bank ? VIZ_ROLE_BANK : VIZ_ROLE_NONE,
                             VIZ_ITEM_BANK_PAGE, p);
        if (r) {
            r->addr0 = h->psram_window_vaddr + (uint32_t)p * h->page_size;
            r->addr1 = r->addr0 + h->page_size;
        }
        if (bp)
            tip(r, "bank window page %d at 0x%08x: %s%s, MMU -> %s0x%08x", p - first_bank, r ? r->addr0 : 0,
                bp->alloced ? "allocated" : "free", bp->mapped ? ", mapped" : bp->translates ? ", unmapped (entry left)" : "",
                bp->translates ? "psram " : "nothing ", bp->translates ? bp->paddr : 0);
        else
            tip(r, "PSRAM window page %d at 0x%08x: the PSRAM heap, mapped 1:1", p, r ? r->addr0 : 0);
    }
    int py = y + ph + 3 * lh;
    label(L, x, py - lh, w, VIZ_ROLE_TEXT_DIM, "physical PSRAM, 32K banks (himem RAM blocks from 0x%08x)", h->ram_paddr);
    for (int p = 0; p < phys_pages; p++) {
        int x0 = x + p * w / phys_pages, x1 = x + (p + 1) * w / phys_pages;
        uint32_t paddr = (uint32_t)p * h->page_size;
        bool ram = paddr >= h->ram_paddr;
        viz_role_t fill = ram ? VIZ_ROLE_PSRAM : VIZ_ROLE_REGION;
        for (int b = 0; b < h->pages; b++)
            if (h->page[b].translates && h->page[b].paddr == paddr && h->page[b].alloced)
                fill = h->page[b].mapped ? VIZ_ROLE_BANK : VIZ_ROLE_STALE;
        viz_rect_t *r = rect(L, x0, py, strip_cell(x0, x1), ph, fill, VIZ_ROLE_NONE, VIZ_ITEM_BANK_PHYS, p);
        if (r) {
            r->addr0 = paddr;
            r->addr1 = paddr + h->page_size;
        }
        if (ram)
            tip(r, "PSRAM 0x%08x: himem RAM block %d", paddr, (int)((paddr - h->ram_paddr) / h->page_size));
        else
            tip(r, "PSRAM 0x%08x: behind the window directly", paddr);
    }
    /* Arrows: where each bank window page's MMU entry points now.  Mapped; unmapped
     * with the entry left behind (reads reach the old bank); or never mapped by himem
     * (the boot's own mapping of the window), drawn in that order from the back. */
    static const viz_role_t back_to_front[] = {VIZ_ROLE_FRAME, VIZ_ROLE_STALE, VIZ_ROLE_BANK};
    for (int pass = 0; pass < 3; pass++)
        for (int b = 0; b < h->pages; b++) {
            const viz_bank_page_t *bp = &h->page[b];
            viz_role_t role = bp->mapped ? VIZ_ROLE_BANK : bp->alloced ? VIZ_ROLE_STALE : VIZ_ROLE_FRAME;
            if (role != back_to_front[pass] || !bp->translates || bp->paddr >= s->psram_size)
                continue;
            int p = first_bank + b, q = (int)(bp->paddr / h->page_size);
            int xs = x + p * w / window_pages + w / window_pages / 2;
            int xe = x + q * w / phys_pages + w / phys_pages / 2;
            line(L, xs, y + ph, xe, py, role, true, VIZ_ITEM_BANK_PAGE, b);
        }
    return py + ph + lh / 2;
}

static int himem_height(const lay_t *L) { return L->lh + L->lh + 3 * L->lh + L->lh + L->lh / 2; }

/* ---- the address-bit ribbon -------------------------------------------------------- */

/* The cache whose fields the ribbon shows: the first data cache ("dcache", "l1d", or
 * ESP32's unified "cache"), else the first. */
static const viz_cache_t *ribbon_cache(const viz_state_t *s)
{
    for (int i = 0; i < s->ncaches; i++) {
        const char *n = s->cache[i].name;
        if (n[0] == 'd' || !strncmp(n, "l1d", 3) || !strncmp(n, "cache", 5))
            return &s->cache[i];
    }
    return s->ncaches ? &s->cache[0] : NULL;
}

static int log2u(uint32_t v)
{
    int n = 0;
    while (v > 1) {
        v >>= 1;
        n++;
    }
    return n;
}

static int draw_ribbon(lay_t *L, int x, int y, int w)
{
    const viz_state_t *s = L->s;
    int lh = L->lh, cw = L->cv->char_w;
    if (!s->step.has_addr) {
        label(L, x, y, w, VIZ_ROLE_TEXT_DIM, "address bits: this step names no virtual address");
        return y + lh;
    }
    uint32_t a = s->step.addr;
    uint32_t page = s->page_size ? s->page_size : 0x10000;
    if (s->himem.present && a >= s->himem.psram_window_vaddr && a - s->himem.psram_window_vaddr < s->himem.psram_window_size)
        page = s->himem.page_size;
    const viz_cache_t *c = ribbon_cache(s);
    int off_bits = log2u(page);
    int line_bits = c ? log2u(c->line_size) : 0, set_bits = c ? log2u(c->sets) : 0;
    label(L, x, y, w, VIZ_ROLE_TEXT, "address 0x%08x", a);
    y += lh;
    int head = 18 * cw, cell = (w - head) / 32;
    if (cell > 3 * cw)
        cell = 3 * cw;
    if (cell < 4)
        return y;
    for (int row = 0; row < (c ? 2 : 1); row++) {
        label(L, x, y + 1, head - cw, VIZ_ROLE_TEXT_DIM, "%s", row ? "tag | set | line" : "page | offset");
        for (int bit = 31; bit >= 0; bit--) {
            int cx = x + head + (31 - bit) * cell;
            viz_role_t fill;
            if (row == 0)
                fill = bit >= off_bits ? VIZ_ROLE_FLASH : VIZ_ROLE_REGION;
            else
                fill = bit >= line_bits + set_bits ? VIZ_ROLE_FLASH : bit >= line_bits ? VIZ_ROLE_BANK : VIZ_ROLE_REGION;
            viz_rect_t *r = rect(L, cx, y, cell - 1, lh, fill, VIZ_ROLE_NONE, VIZ_ITEM_RIBBON_BIT, row * 32 + bit);
            tip(r, "bit %d = %u", bit, (a >> bit) & 1u);
            if (cell >= cw + 2)
                label(L, cx + (cell - 1 - cw) / 2, y + 2, cw, VIZ_ROLE_BG, "%u", (a >> bit) & 1u);
        }
        y += lh + 1;
        int fx = x + head;
        if (row == 0) {
            label(L, fx, y, (32 - off_bits) * cell, VIZ_ROLE_TEXT_DIM, "page 0x%x", a >> off_bits);
            label(L, fx + (32 - off_bits) * cell, y, off_bits * cell, VIZ_ROLE_TEXT_DIM, "offset 0x%x",
                  a & (page - 1));
        } else {
            int tag_bits = 32 - set_bits - line_bits;
            label(L, fx, y, tag_bits * cell, VIZ_ROLE_TEXT_DIM, "tag 0x%x (%s)", tag_bits ? a >> (32 - tag_bits) : 0,
                  c->name);
            label(L, fx + tag_bits * cell, y, set_bits * cell, VIZ_ROLE_TEXT_DIM, "set %u",
                  (a >> line_bits) & (c->sets - 1));
            label(L, fx + (tag_bits + set_bits) * cell, y, line_bits * cell, VIZ_ROLE_TEXT_DIM, "+%u",
                  a & (c->line_size - 1));
        }
        y += lh;
    }
    return y;
}

static int ribbon_height(const lay_t *L) { return L->lh + 2 * (2 * L->lh + 1); }

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

static void draw_mmus(lay_t *L, int x, int y, int w, int h)
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
        label(L, x, ty, w, VIZ_ROLE_TEXT, "%s: %u entries, %d valid, %d written", u->name, u->entries, valid, changed);
        int c = grid_cell((int)u->entries, 1, w, each - L->lh - 2, 12);
        if (!c)
            continue;
        int per_row = w / c, inset = c >= 5;
        for (uint32_t e = 0; e < u->entries; e++) {
            const viz_entry_t *v = &u->entry[e];
            int cx = x + (int)(e % (uint32_t)per_row) * c, cy = ty + L->lh + (int)(e / (uint32_t)per_row) * c;
            viz_rect_t *r = rect(L, cx, cy, c - inset, c - inset, v->valid ? target_role(v->target) : VIZ_ROLE_INVALID,
                                 v->changed ? VIZ_ROLE_CHANGED : VIZ_ROLE_NONE, VIZ_ITEM_MMU_ENTRY, m * 65536 + (int)e);
            if (v->valid)
                tip(r, "%s entry %u: raw 0x%x -> %s page 0x%08x%s", u->name, e, v->raw, target_text(v->target), v->paddr,
                    v->changed ? " (written this step)" : "");
            else
                tip(r, "%s entry %u: raw 0x%x, invalid%s", u->name, e, v->raw, v->changed ? " (written this step)" : "");
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

static void draw_caches(lay_t *L, int x, int y, int w, int h)
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
        size_text(sz, sizeof sz, (uint64_t)n * c->line_size);
        label(L, x, ty, w, VIZ_ROLE_TEXT, "%s %s: %u sets x %u ways, %u B lines%s | hit %d fill %d wb %d inval %d", c->name,
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
            viz_rect_t *r = rect(L, cx, cy, cell - inset, cell - inset, line_role(l),
                                 l->event != VIZ_EV_NONE && l->dirty ? VIZ_ROLE_DIRTY : VIZ_ROLE_NONE,
                                 VIZ_ITEM_CACHE_LINE, ci * 65536 + (int)i);
            if (l->valid)
                tip(r, "%s set %u way %u: tag 0x%08x -> %s 0x%08x%s%s%s; %02x %02x %02x %02x %02x %02x %02x %02x", c->name,
                    set, way, l->key, target_text(l->target), l->paddr, l->dirty ? ", dirty" : "", l->stale ? ", stale" : "",
                    event_text(l->event), l->head[0], l->head[1], l->head[2], l->head[3], l->head[4], l->head[5],
                    l->head[6], l->head[7]);
            else
                tip(r, "%s set %u way %u: invalid%s", c->name, set, way, event_text(l->event));
        }
        /* Below the grid, the lines the step touched, with their tags and bytes. */
        int rows = ((int)c->sets + sets_per_row - 1) / sets_per_row;
        int ly = ty + L->lh + rows * cell + 2;
        for (uint32_t i = 0; i < n && ly + L->lh <= ty + each; i++) {
            const viz_line_t *l = &c->lines[i];
            if (l->event == VIZ_EV_NONE || !l->valid)
                continue;
            if (label(L, x, ly, w, line_role(l), "set %u way %u: tag 0x%08x %s 0x%08x%s%s  %02x %02x %02x %02x %02x %02x %02x %02x",
                      i / c->ways, i % c->ways, l->key, target_text(l->target), l->paddr, l->dirty ? " dirty" : "",
                      event_text(l->event), l->head[0], l->head[1], l->head[2], l->head[3], l->head[4], l->head[5],
                      l->head[6], l->head[7]))
                ly += L->lh;
        }
    }
}

/* ---- legend, status, help ---------------------------------------------------------- */

static int draw_legend(lay_t *L, int x, int y, int w)
{
    static const viz_role_t roles[] = {VIZ_ROLE_HIT,   VIZ_ROLE_MISS,     VIZ_ROLE_WRITEBACK, VIZ_ROLE_DIRTY,
                                       VIZ_ROLE_VALID, VIZ_ROLE_INVALID,  VIZ_ROLE_STALE,     VIZ_ROLE_FAULT,
                                       VIZ_ROLE_FLASH, VIZ_ROLE_PSRAM,    VIZ_ROLE_ALIAS,     VIZ_ROLE_RESERVED,
                                       VIZ_ROLE_BANK,  VIZ_ROLE_LARGEST_FREE, VIZ_ROLE_CHANGED};
    int cw = L->cv->char_w, sw = L->cv->char_h - 2, cx = x;
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
        const char *name = viz_role_name(roles[i]);
        int need = sw + cw / 2 + (int)strlen(name) * cw + 2 * cw;
        if (cx + need > x + w && cx > x) {
            cx = x;
            y += L->lh;
        }
        bool outline_only = roles[i] == VIZ_ROLE_LARGEST_FREE || roles[i] == VIZ_ROLE_CHANGED;
        rect(L, cx, y + 1, sw, sw, outline_only ? VIZ_ROLE_REGION : roles[i], outline_only ? roles[i] : VIZ_ROLE_NONE,
             VIZ_ITEM_LEGEND, (int)roles[i]);
        label(L, cx + sw + cw / 2, y, (int)strlen(name) * cw, VIZ_ROLE_TEXT_DIM, "%s", name);
        cx += need;
    }
    return y + L->lh;
}

static void draw_status(lay_t *L, int x, int y, int w)
{
    const viz_state_t *s = L->s;
    const viz_step_t *t = &s->step;
    bool bad = s->hazards_total > 0 || t->failure[0];
    viz_rect_t *r = rect(L, x - 3, y - 3, w + 6, 3 * L->lh + 4, VIZ_ROLE_PANEL, bad ? VIZ_ROLE_FAULT : VIZ_ROLE_FRAME,
                         VIZ_ITEM_STATUS, 0);
    tip(r, "step %u of %u: %s %s", t->number, t->total, t->op, t->args);
    if (t->number == 0)
        label(L, x, y, w, VIZ_ROLE_TEXT, "step 0/%u  boot: the chip started, the start-up code ran", t->total);
    else
        label(L, x, y, w, VIZ_ROLE_TEXT, "step %u/%u%s%s%s  %s %s -> %s  %llu cycles on core %u", t->number, t->total,
              t->label[0] ? " (" : "", t->label, t->label[0] ? ")" : "", t->op, t->args, t->ret,
              (unsigned long long)t->cycles, t->core);
    if (t->description[0])
        label(L, x, y + L->lh, w, VIZ_ROLE_TEXT, "%s", t->description);
    else
        label(L, x, y + L->lh, w, VIZ_ROLE_TEXT_DIM, "(this step has no description)");
    if (t->failure[0])
        label(L, x, y + 2 * L->lh, w, VIZ_ROLE_FAULT, "FAILED: %s", t->failure);
    else if (s->nhazards)
        label(L, x, y + 2 * L->lh, w, VIZ_ROLE_FAULT, "%d hazard%s: %s", s->hazards_total, s->hazards_total > 1 ? "s" : "",
              s->hazard[0].text);
    else
        label(L, x, y + 2 * L->lh, w, VIZ_ROLE_TEXT_DIM, "no hazard");
}

static void draw_help(lay_t *L)
{
    int n = 0, widest = 0;
    for (; viz_help_lines[n]; n++)
        if ((int)strlen(viz_help_lines[n]) > widest)
            widest = (int)strlen(viz_help_lines[n]);
    int w = (widest + 4) * L->cv->char_w, h = (n + 3) * L->lh;
    int x = (L->cv->w - w) / 2, y = (L->cv->h - h) / 2;
    rect(L, x, y, w, h, VIZ_ROLE_PANEL, VIZ_ROLE_FRAME, VIZ_ITEM_PANEL, 0);
    label(L, x + 2 * L->cv->char_w, y + L->lh / 2, w, VIZ_ROLE_TEXT, "keys");
    for (int i = 0; i < n; i++)
        label(L, x + 2 * L->cv->char_w, y + (i + 2) * L->lh, w - 2 * L->cv->char_w, VIZ_ROLE_TEXT, "%s",
              viz_help_lines[i]);
}

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
    rect(&L, 0, 0, cv->w, cv->h, VIZ_ROLE_BG, VIZ_ROLE_NONE, VIZ_ITEM_PANEL, 0);
    if (cv->help) {
        draw_help(&L);
        return out->oom ? -1 : 0;
    }
    label(&L, x, y, w, VIZ_ROLE_TEXT, "mmsim  %s  |  %s", s->chip, s->scenario);
    y += lh;
    if (!(cv->hide & VIZ_PANEL_LEGEND))
        y = draw_legend(&L, x, y, w) + lh / 2;
    int status_y = cv->h - pad - 3 * lh;
    draw_status(&L, x, status_y, w);
    int bottom = status_y - lh / 2;

    /* Sections top-down while they fit; the grids take what is left. */
    if (!(cv->hide & VIZ_PANEL_BANDS) && y + bands_height(&L) <= bottom)
        y = draw_bands(&L, x, y, w) + lh / 2;
    if (s->himem.present && !(cv->hide & VIZ_PANEL_HIMEM) && y + himem_height(&L) <= bottom)
        y = draw_himem(&L, x, y, w) + lh / 2;
    if (!(cv->hide & VIZ_PANEL_RIBBON) && y + ribbon_height(&L) <= bottom)
        y = draw_ribbon(&L, x, y, w) + lh / 2;
    int left = bottom - y;
    if (left >= 3 * lh) {
        bool mmu = !(cv->hide & VIZ_PANEL_MMU), cache = !(cv->hide & VIZ_PANEL_CACHE);
        int mmu_w = mmu && cache ? w * 2 / 5 : mmu ? w : 0;
        if (mmu)
            draw_mmus(&L, x, y, mmu_w - (cache ? 2 * pad : 0), left);
        if (cache)
            draw_caches(&L, x + mmu_w, y, w - mmu_w, left);
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
