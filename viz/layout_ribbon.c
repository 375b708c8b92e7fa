/* layout_ribbon.c - the layout's address-bit ribbon: the 32 bits of the step's
 * address split into page and offset, and into tag, set and line of a data cache. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout_internal.h"

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

int lay_draw_ribbon(lay_t *L, int x, int y, int w)
{
    const viz_state_t *s = L->s;
    int lh = L->lh, cw = L->cv->char_w;
    if (!s->step.has_addr) {
        lay_label(L, x, y, w, VIZ_ROLE_TEXT_DIM, "address bits: this step names no virtual address");
        return y + lh;
    }
    uint32_t a = s->step.addr;
    uint32_t page = s->page_size ? s->page_size : 0x10000;
    if (s->himem.present && a >= s->himem.psram_window_vaddr && a - s->himem.psram_window_vaddr < s->himem.psram_window_size)
        page = s->himem.page_size;
    const viz_cache_t *c = ribbon_cache(s);
    int off_bits = log2u(page);
    int line_bits = c ? log2u(c->line_size) : 0, set_bits = c ? log2u(c->sets) : 0;
    lay_label(L, x, y, w, VIZ_ROLE_TEXT, "address 0x%08x", a);
    y += lh;
    int head = 18 * cw, cell = (w - head) / 32;
    if (cell > 3 * cw)
        cell = 3 * cw;
    if (cell < 4)
        return y;
    for (int row = 0; row < (c ? 2 : 1); row++) {
        lay_label(L, x, y + 1, head - cw, VIZ_ROLE_TEXT_DIM, "%s", row ? "tag | set | line" : "page | offset");
        for (int bit = 31; bit >= 0; bit--) {
            int cx = x + head + (31 - bit) * cell;
            viz_role_t fill;
            if (row == 0)
                fill = bit >= off_bits ? VIZ_ROLE_FLASH : VIZ_ROLE_REGION;
            else
                fill = bit >= line_bits + set_bits ? VIZ_ROLE_FLASH : bit >= line_bits ? VIZ_ROLE_BANK : VIZ_ROLE_REGION;
            viz_rect_t *r = lay_rect(L, cx, y, cell - 1, lh, fill, VIZ_ROLE_NONE, VIZ_ITEM_RIBBON_BIT, row * 32 + bit);
            lay_tip(r, "bit %d = %u", bit, (a >> bit) & 1u);
            if (cell >= cw + 2)
                lay_label(L, cx + (cell - 1 - cw) / 2, y + 2, cw, VIZ_ROLE_BG, "%u", (a >> bit) & 1u);
        }
        y += lh + 1;
        int fx = x + head;
        if (row == 0) {
            lay_label(L, fx, y, (32 - off_bits) * cell, VIZ_ROLE_TEXT_DIM, "page 0x%x", a >> off_bits);
            lay_label(L, fx + (32 - off_bits) * cell, y, off_bits * cell, VIZ_ROLE_TEXT_DIM, "offset 0x%x",
                      a & (page - 1));
        } else {
            int tag_bits = 32 - set_bits - line_bits;
            lay_label(L, fx, y, tag_bits * cell, VIZ_ROLE_TEXT_DIM, "tag 0x%x (%s)", tag_bits ? a >> (32 - tag_bits) : 0,
                      c->name);
            lay_label(L, fx + tag_bits * cell, y, set_bits * cell, VIZ_ROLE_TEXT_DIM, "set %u",
                      (a >> line_bits) & (c->sets - 1));
            lay_label(L, fx + (tag_bits + set_bits) * cell, y, line_bits * cell, VIZ_ROLE_TEXT_DIM, "+%u",
                      a & (c->line_size - 1));
        }
        y += lh;
    }
    return y;
}

int lay_ribbon_height(const lay_t *L) { return L->lh + 2 * (2 * L->lh + 1); }
