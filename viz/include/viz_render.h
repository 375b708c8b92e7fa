/* viz_render.h - drawing a layout (viz_layout.h) with SDL2 in software: onto a
 * surface, into a PNG file headless, or in the interactive window of `mmsim view`.
 * The only header of the project that names SDL (DESIGN.md rule 4). */
#ifndef MMSIM_VIZ_RENDER_H
#define MMSIM_VIZ_RENDER_H

#include <stddef.h>

#include <SDL.h>

#include "scn.h"
#include "viz_layout.h"

typedef struct viz_renderer viz_renderer_t;

/* Load the DejaVu Sans Mono font (MMSIM_FONT in the environment overrides the path
 * found at build time) at `pixel_size` and prepare its glyphs.  NULL with err set. */
viz_renderer_t *viz_renderer_new(int pixel_size, char *err, size_t size);
void viz_renderer_free(viz_renderer_t *r);

/* The font's advance and line height: what the layout's canvas needs. */
void viz_renderer_metrics(const viz_renderer_t *r, int *char_w, int *char_h);

/* Draw the layout onto a 32-bit surface (rectangles, then lines, then labels). */
void viz_render_layout(const viz_renderer_t *r, const viz_layout_t *l, SDL_Surface *dst);

/* Lay out `s` on the canvas (its size, zoom, pan and panels; the font metrics are the
 * renderer's) and write it as a PNG.  0, or -1 with err set. */
int viz_render_png(const viz_renderer_t *r, const viz_state_t *s, const viz_canvas_t *canvas, const char *path,
                   char *err, size_t size);

/* The window of `mmsim view` on scenario `index` of the suite, at step `start`.
 * `keys` (may be NULL) are typed into the window after it opens, then it closes: a
 * script for tests.  Returns when the window closes: 0 with the step shown last in
 * *end_step (may be NULL), or -1 with err set (no display, ...). */
int viz_view_run(const scn_suite_t *suite, size_t index, unsigned start, const char *keys, unsigned *end_step,
                 char *err, size_t size);

#endif
