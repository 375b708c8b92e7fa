/* layout_himem.c - the layout of ESP32's himem: the PSRAM window's pages with the
 * bank window among them, the physical PSRAM in 32K banks, and arrows from each bank
 * window page to the bank its MMU entry reaches. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout_internal.h"

/* ---- ESP32 himem ------------------------------------------------------------------- */

/* The width of a page in a strip of pages from x0 to x1: a pixel of gap between pages
 * wide enough to keep one, and never less than a pixel. */
static int strip_cell(int x0, int x1)
{
    int w = x1 - x0;
    return w > 3 ? w - 1 : w > 1 ? w : 1;
}

int lay_draw_himem(lay_t *L, int x, int y, int w)
{
    const viz_state_t *s = L->s;
    const viz_himem_t *h = &s->himem;
    int lh = L->lh;
    char sz[24];
    lay_size_text(sz, sizeof sz, h->psram_window_size);
    lay_label(L, x, y, w, VIZ_ROLE_TEXT, "himem: %s PSRAM window at 0x%08x, bank window 0x%08x (%d x 32K) -> banks above",
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
        viz_rect_t *r = lay_rect(L, x0, y, strip_cell(x0, x1), ph, fill, bank ? VIZ_ROLE_BANK : VIZ_ROLE_NONE,
                                 VIZ_ITEM_BANK_PAGE, p);
        if (r) {
            r->addr0 = h->psram_window_vaddr + (uint32_t)p * h->page_size;
            r->addr1 = r->addr0 + h->page_size;
        }
        if (bp)
            lay_tip(r, "bank window page %d at 0x%08x: %s%s, MMU -> %s0x%08x", p - first_bank, r ? r->addr0 : 0,
                    bp->alloced ? "allocated" : "free", bp->mapped ? ", mapped" : bp->translates ? ", unmapped (entry left)" : "",
                    bp->translates ? "psram " : "nothing ", bp->translates ? bp->paddr : 0);
        else
            lay_tip(r, "PSRAM window page %d at 0x%08x: the PSRAM heap, mapped 1:1", p, r ? r->addr0 : 0);
    }
    int py = y + ph + 3 * lh;
    lay_label(L, x, py - lh, w, VIZ_ROLE_TEXT_DIM, "physical PSRAM, 32K banks (himem RAM blocks from 0x%08x)", h->ram_paddr);
    for (int p = 0; p < phys_pages; p++) {
        int x0 = x + p * w / phys_pages, x1 = x + (p + 1) * w / phys_pages;
        uint32_t paddr = (uint32_t)p * h->page_size;
        bool ram = paddr >= h->ram_paddr;
        viz_role_t fill = ram ? VIZ_ROLE_PSRAM : VIZ_ROLE_REGION;
        for (int b = 0; b < h->pages; b++)
            if (h->page[b].translates && h->page[b].paddr == paddr && h->page[b].alloced)
                fill = h->page[b].mapped ? VIZ_ROLE_BANK : VIZ_ROLE_STALE;
        viz_rect_t *r = lay_rect(L, x0, py, strip_cell(x0, x1), ph, fill, VIZ_ROLE_NONE, VIZ_ITEM_BANK_PHYS, p);
        if (r) {
            r->addr0 = paddr;
            r->addr1 = paddr + h->page_size;
        }
        if (ram)
            lay_tip(r, "PSRAM 0x%08x: himem RAM block %d", paddr, (int)((paddr - h->ram_paddr) / h->page_size));
        else
            lay_tip(r, "PSRAM 0x%08x: behind the window directly", paddr);
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
            lay_line(L, xs, y + ph, xe, py, role, true, VIZ_ITEM_BANK_PAGE, b);
        }
    return py + ph + lh / 2;
}

int lay_himem_height(const lay_t *L) { return L->lh + L->lh + 3 * L->lh + L->lh + L->lh / 2; }
