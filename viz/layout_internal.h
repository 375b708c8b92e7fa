/* layout_internal.h - private to the layout (layout*.c): the state a layout pass
 * carries, the drawing primitives and words every section uses (layout_emit.c), and
 * each section's draw and height functions, which layout.c arranges top-down. */
#ifndef MMSIM_VIZ_LAYOUT_INTERNAL_H
#define MMSIM_VIZ_LAYOUT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "viz_layout.h"

/* One layout pass: where it writes, the canvas, the snapshot, and a text row. */
typedef struct {
    viz_layout_t *out;
    const viz_canvas_t *cv;
    const viz_state_t *s;
    int lh;                     /* a text row */
} lay_t;

/* ---- output lists (layout_emit.c) ---- */

/* A rectangle (NULL if empty or out of memory), its hover tip, a line. */
viz_rect_t *lay_rect(lay_t *L, int x, int y, int w, int h, viz_role_t fill, viz_role_t outline, viz_item_t item,
                     int index);
void lay_tip(viz_rect_t *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void lay_line(lay_t *L, int x0, int y0, int x1, int y1, viz_role_t role, bool arrow, viz_item_t item, int index);
/* A label at (x, y) no wider than maxw: cut to whole characters, dropped (false) if
 * nothing readable is left, if it leaves the canvas or if it would cover another. */
bool lay_label(lay_t *L, int x, int y, int maxw, viz_role_t role, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* ---- words (layout_emit.c) ---- */

void lay_size_text(char *buf, size_t n, uint64_t bytes);
void lay_caps_text(char *buf, size_t n, uint32_t caps);
const char *lay_target_text(uint32_t t);
viz_role_t lay_target_role(uint32_t t);

/* ---- sections: each draws from y and returns the y below it; *_height is the room
 * it needs, so layout.c draws only those that fit ---- */

int lay_draw_bands(lay_t *L, int x, int y, int w);          /* layout_bands.c */
int lay_bands_height(const lay_t *L);
int lay_draw_himem(lay_t *L, int x, int y, int w);          /* layout_himem.c */
int lay_himem_height(const lay_t *L);
int lay_draw_ribbon(lay_t *L, int x, int y, int w);         /* layout_ribbon.c */
int lay_ribbon_height(const lay_t *L);
void lay_draw_mmus(lay_t *L, int x, int y, int w, int h);   /* layout_grids.c */
void lay_draw_caches(lay_t *L, int x, int y, int w, int h);
int lay_draw_legend(lay_t *L, int x, int y, int w);         /* layout_chrome.c */
void lay_draw_status(lay_t *L, int x, int y, int w);
int lay_status_height(const lay_t *L, int w);              /* the step line, the description's rows, the outcome */
/* `text` word-wrapped into at most `max` rows of `cols` characters (line breaks
 * kept; "..." ends the last row when text is left over); the number of rows. */
int lay_wrap(const char *text, int cols, char rows[][VIZ_TEXT], int max);
void lay_draw_help(lay_t *L);

#endif
