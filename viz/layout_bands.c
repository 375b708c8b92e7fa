/* layout_bands.c - the layout's address bands: each esp_mmu_map region as a band of
 * its linear addresses (boot reservation, free slots with the largest marked, the
 * driver's blocks and boot mappings, the step's address), the physical flash and PSRAM
 * bands beneath with each mapping's range, the lines joining them and the bytes two
 * mappings share; zoom and pan of the bands. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout_internal.h"

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
    viz_rect_t *r = lay_rect(L, x0, b->y + dy, x1 - x0, h, fill, outline, item, index);
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
    lay_caps_text(caps, sizeof caps, g->caps);
    lay_size_text(sz, sizeof sz, g->end - g->start);
    lay_label(L, b->x, b->y - L->lh, b->w, VIZ_ROLE_TEXT_DIM, "region %d  0x%08x +%s  bus 0x%x  caps %s  targets %s", ri,
              g->vaddr_start, sz, g->bus, caps, lay_target_text(g->targets));
    viz_rect_t *r = band_rect(L, b, g->start, g->end, 0, b->h, VIZ_ROLE_REGION, VIZ_ROLE_FRAME, VIZ_ITEM_REGION, ri);
    lay_tip(r, "region %d: 0x%08x-0x%08x (%s), caps %s, %s", ri, g->vaddr_start, g->vaddr_start + (g->end - g->start), sz,
            caps, lay_target_text(g->targets));
    if (g->free_head > g->start) {
        lay_size_text(sz, sizeof sz, g->free_head - g->start);
        r = band_rect(L, b, g->start, g->free_head, 0, b->h, VIZ_ROLE_RESERVED, VIZ_ROLE_NONE, VIZ_ITEM_RESERVED, ri);
        lay_tip(r, "boot reservation: 0x%08x-0x%08x (%s), the app image and heaps; never handed out", g->vaddr_start,
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
            lay_size_text(sz, sizeof sz, next - at);
            r = band_rect(L, b, at, next, 0, b->h, VIZ_ROLE_REGION, largest ? VIZ_ROLE_LARGEST_FREE : VIZ_ROLE_NONE,
                          VIZ_ITEM_FREE, ri);
            lay_tip(r, "free slot 0x%08x-0x%08x (%s)%s", g->vaddr_start + (at - g->start), g->vaddr_start + (next - g->start),
                    sz, largest ? ", the largest: esp_mmu_map takes the first slot that fits" : "");
            if (r && largest)
                lay_label(L, r->x + 2, b->y + b->h + 1, r->w - 2, VIZ_ROLE_LARGEST_FREE, "largest free %s", sz);
        }
        if (k)
            at = k->laddr_end;
    }
    for (int i = 0; i < s->nblocks; i++) {
        const viz_block_t *k = &s->block[i];
        if (k->region != ri)
            continue;
        char ksz[24], kcaps[64];
        lay_size_text(ksz, sizeof ksz, k->laddr_end - k->laddr_start);
        lay_caps_text(kcaps, sizeof kcaps, k->caps);
        /* Boot mappings sit low in the band, the driver's blocks fill it. */
        int dy = k->boot ? b->h / 2 : 0, h = k->boot ? b->h - b->h / 2 : b->h;
        viz_role_t outline = k->fresh ? VIZ_ROLE_CHANGED : k->alias ? VIZ_ROLE_ALIAS : VIZ_ROLE_FRAME;
        r = band_rect(L, b, k->laddr_start, k->laddr_end, dy, h, lay_target_role(k->target), outline, VIZ_ITEM_BLOCK, i);
        lay_tip(r, "%s 0x%08x-0x%08x (%s) caps %s -> %s 0x%08x-0x%08x%s%s", k->boot ? "boot mapping" : "block",
                k->vaddr_start, k->vaddr_start + (k->laddr_end - k->laddr_start), ksz, kcaps, lay_target_text(k->target),
                k->paddr_start, k->paddr_end, k->alias ? "; another mapping shares these bytes" : "",
                k->fresh ? "; mapped by this step" : "");
        if (r && !k->boot)
            lay_label(L, r->x + 2, r->y + (r->h - L->cv->char_h) / 2, r->w - 3, VIZ_ROLE_TEXT, "0x%08x %s %s", k->vaddr_start,
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
        lay_line(L, x0, b->y - 3, x0, b->y + b->h + 2, VIZ_ROLE_CHANGED, false, VIZ_ITEM_RIBBON_BIT, -1);
}

int lay_draw_bands(lay_t *L, int x, int y, int w)
{
    const viz_state_t *s = L->s;
    int lh = L->lh, bh = lh + 2;
    lay_label(L, x, y, w, VIZ_ROLE_TEXT, "virtual: esp_mmu_map regions (zoom %.1fx)", band_zoom(L));
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
    lay_label(L, x, y, w, VIZ_ROLE_TEXT, "physical: flash and PSRAM");
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
        lay_size_text(sz, sizeof sz, sizes[t]);
        y += lh;
        pb[t] = (band_t){.x = x, .w = w, .y = y, .h = bh, .base = 0, .size = sizes[t]};
        lay_label(L, x, y - lh, w, VIZ_ROLE_TEXT_DIM, "%s %s", lay_target_text(targets[t]), sz);
        viz_rect_t *r = band_rect(L, &pb[t], 0, sizes[t], 0, bh, VIZ_ROLE_PANEL, VIZ_ROLE_FRAME, VIZ_ITEM_PHYS_BAND,
                                  (int)targets[t]);
        lay_tip(r, "%s: %s of physical memory", lay_target_text(targets[t]), sz);
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
        viz_rect_t *r = band_rect(L, &pb[t], p0, p1, 0, pb[t].h, lay_target_role(k->target), VIZ_ROLE_NONE,
                                  VIZ_ITEM_PHYS_RANGE, i);
        lay_tip(r, "%s 0x%08x-0x%08x, mapped at 0x%08x%s", lay_target_text(k->target), k->paddr_start, k->paddr_end,
                k->vaddr_start, k->alias ? " (and elsewhere: alias)" : "");
        const band_t *vb = &rb[k->region];
        lay_line(L, block_mid_x(L, vb, k->laddr_start, k->laddr_end), vb->y + vb->h, block_mid_x(L, &pb[t], p0, p1), pb[t].y,
                 k->alias ? VIZ_ROLE_ALIAS : k->boot ? VIZ_ROLE_RESERVED : lay_target_role(k->target), false, VIZ_ITEM_BLOCK, i);
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
            lay_tip(r, "%s 0x%08x-0x%08x is mapped twice: at 0x%08x and at 0x%08x", lay_target_text(a->target), lo, hi,
                    a->vaddr_start + (lo - a->paddr_start), b->vaddr_start + (lo - b->paddr_start));
        }
    return y;
}

int lay_bands_height(const lay_t *L)
{
    int bh = L->lh + 2, phys = (L->s->flash_size != 0) + (L->s->psram_size != 0);
    return L->lh + L->s->nregions * (2 * L->lh + bh) + 2 * L->lh + phys * (L->lh + bh + L->lh / 2);
}
