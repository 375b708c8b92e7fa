/* layout_chrome.c - the layout's frame around the sections: the colour legend, the
 * status of the step (operation, description, failure or hazards) and the key help. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout_internal.h"

/* ---- legend, status, help ---------------------------------------------------------- */

int lay_draw_legend(lay_t *L, int x, int y, int w)
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
        lay_rect(L, cx, y + 1, sw, sw, outline_only ? VIZ_ROLE_REGION : roles[i], outline_only ? roles[i] : VIZ_ROLE_NONE,
                 VIZ_ITEM_LEGEND, (int)roles[i]);
        lay_label(L, cx + sw + cw / 2, y, (int)strlen(name) * cw, VIZ_ROLE_TEXT_DIM, "%s", name);
        cx += need;
    }
    return y + L->lh;
}

/* Rows of description the status shows at most; a longer one ends in "...". */
#define DESC_ROWS 4

/* Word-wrap `text` into rows of at most `cols` characters (its own line breaks kept,
 * a word longer than a row cut), at most DESC_ROWS; the last row kept ends in "..."
 * when some text is left over.  Returns the number of rows. */
int lay_wrap(const char *text, int cols, char rows[][VIZ_TEXT], int max)
{
    int n = 0;
    if (cols > VIZ_TEXT - 1)
        cols = VIZ_TEXT - 1;
    if (cols < 4 || max <= 0)
        return 0;
    const char *p = text;
    while (*p && n < max) {
        size_t line = strcspn(p, "\n"), len = line;
        if (len > (size_t)cols) {
            /* break at the last blank that fits, else cut the word */
            len = (size_t)cols;
            while (len && p[len] != ' ')
                len--;
            if (!len)
                len = (size_t)cols;
        }
        size_t shown = len;
        while (shown && p[shown - 1] == ' ')
            shown--;
        memcpy(rows[n], p, shown);
        rows[n][shown] = '\0';
        n++;
        p += len;
        while (*p == ' ')
            p++;
        if (len == line && *p == '\n')
            p++;
    }
    if (*p && n) {
        /* more than fits: mark the cut */
        char *last = rows[n - 1];
        size_t l = strlen(last);
        if (l + 3 > (size_t)cols)
            l = (size_t)cols - 3;
        memcpy(last + l, "...", 4);
    }
    return n;
}

static int desc_rows(const lay_t *L, int w, char rows[][VIZ_TEXT])
{
    const char *d = L->s->step.description;
    int n = d[0] ? lay_wrap(d, w / L->cv->char_w, rows, DESC_ROWS) : 0;
    return n ? n : 1;
}

int lay_status_height(const lay_t *L, int w)
{
    char rows[DESC_ROWS][VIZ_TEXT];
    return (2 + desc_rows(L, w, rows)) * L->lh;
}

void lay_draw_status(lay_t *L, int x, int y, int w)
{
    const viz_state_t *s = L->s;
    const viz_step_t *t = &s->step;
    bool bad = s->hazards_total > 0 || t->failure[0];
    char rows[DESC_ROWS][VIZ_TEXT];
    int nrows = desc_rows(L, w, rows), last = y + (1 + nrows) * L->lh;
    viz_rect_t *r = lay_rect(L, x - 3, y - 3, w + 6, (2 + nrows) * L->lh + 4, VIZ_ROLE_PANEL,
                             bad ? VIZ_ROLE_FAULT : VIZ_ROLE_FRAME, VIZ_ITEM_STATUS, 0);
    lay_tip(r, "step %u of %u: %s %s", t->number, t->total, t->op, t->args);
    if (t->number == 0)
        lay_label(L, x, y, w, VIZ_ROLE_TEXT, "step 0/%u  boot: the chip started, the start-up code ran", t->total);
    else
        lay_label(L, x, y, w, VIZ_ROLE_TEXT, "step %u/%u%s%s%s  %s %s -> %s  %llu cycles on core %u", t->number, t->total,
                  t->label[0] ? " (" : "", t->label, t->label[0] ? ")" : "", t->op, t->args, t->ret,
                  (unsigned long long)t->cycles, t->core);
    if (t->description[0])
        for (int i = 0; i < nrows; i++)
            lay_label(L, x, y + (1 + i) * L->lh, w, VIZ_ROLE_TEXT, "%s", rows[i]);
    else
        lay_label(L, x, y + L->lh, w, VIZ_ROLE_TEXT_DIM, "(this step has no description)");
    if (t->failure[0])
        lay_label(L, x, last, w, VIZ_ROLE_FAULT, "FAILED: %s", t->failure);
    else if (s->nhazards)
        lay_label(L, x, last, w, VIZ_ROLE_FAULT, "%d hazard%s: %s", s->hazards_total, s->hazards_total > 1 ? "s" : "",
                  s->hazard[0].text);
    else
        lay_label(L, x, last, w, VIZ_ROLE_TEXT_DIM, "no hazard");
}

void lay_draw_help(lay_t *L)
{
    int n = 0, widest = 0;
    for (; viz_help_lines[n]; n++)
        if ((int)strlen(viz_help_lines[n]) > widest)
            widest = (int)strlen(viz_help_lines[n]);
    int w = (widest + 4) * L->cv->char_w, h = (n + 3) * L->lh;
    int x = (L->cv->w - w) / 2, y = (L->cv->h - h) / 2;
    lay_rect(L, x, y, w, h, VIZ_ROLE_PANEL, VIZ_ROLE_FRAME, VIZ_ITEM_PANEL, 0);
    lay_label(L, x + 2 * L->cv->char_w, y + L->lh / 2, w, VIZ_ROLE_TEXT, "keys");
    for (int i = 0; i < n; i++)
        lay_label(L, x + 2 * L->cv->char_w, y + (i + 2) * L->lh, w - 2 * L->cv->char_w, VIZ_ROLE_TEXT, "%s",
                  viz_help_lines[i]);
}
