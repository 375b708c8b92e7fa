/* layout_emit.c - what every section of the layout (layout.c) draws with: appending
 * rectangles with their hover tips, lines and labels to the output lists (labels cut
 * to fit and never overlapping one another), and the words shared by the tips and
 * labels (sizes, capabilities, targets). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout_internal.h"

/* ---- output lists ------------------------------------------------------------------ */

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

viz_rect_t *lay_rect(lay_t *L, int x, int y, int w, int h, viz_role_t fill, viz_role_t outline, viz_item_t item,
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

void lay_tip(viz_rect_t *r, const char *fmt, ...)
{
    if (!r)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->tip, sizeof r->tip, fmt, ap);
    va_end(ap);
}

void lay_line(lay_t *L, int x0, int y0, int x1, int y1, viz_role_t role, bool arrow, viz_item_t item, int index)
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
bool lay_label(lay_t *L, int x, int y, int maxw, viz_role_t role, const char *fmt, ...)
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

void lay_size_text(char *buf, size_t n, uint64_t bytes)
{
    if (bytes >= (1u << 20) && bytes % (1u << 20) == 0)
        snprintf(buf, n, "%lluM", (unsigned long long)(bytes >> 20));
    else if (bytes >= 1024 && bytes % 1024 == 0)
        snprintf(buf, n, "%lluK", (unsigned long long)(bytes >> 10));
    else
        snprintf(buf, n, "%llu", (unsigned long long)bytes);
}

void lay_caps_text(char *buf, size_t n, uint32_t caps)
{
    static const char *const names[] = {"exec", "read", "write", "32bit", "8bit"};
    buf[0] = '\0';
    for (int i = 0; i < 5; i++)
        if (caps & (1u << i))
            snprintf(buf + strlen(buf), n - strlen(buf), "%s%s", buf[0] ? "," : "", names[i]);
    if (!buf[0])
        snprintf(buf, n, "none");
}

const char *lay_target_text(uint32_t t)
{
    return t == (VIZ_TARGET_FLASH | VIZ_TARGET_PSRAM) ? "flash+psram"
           : t == VIZ_TARGET_FLASH                   ? "flash"
           : t == VIZ_TARGET_PSRAM                   ? "psram"
                                                     : "none";
}

viz_role_t lay_target_role(uint32_t t) { return t == VIZ_TARGET_PSRAM ? VIZ_ROLE_PSRAM : VIZ_ROLE_FLASH; }
