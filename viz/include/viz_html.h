/* viz_html.h - a scenario as one self-contained HTML page: every step drawn from the
 * same pure layout as the PNGs (viz_layout.h), as SVG built by a small script in the
 * page from the layout's rectangles, lines and labels; keys and buttons to step
 * forward and back and to jump to the first hazard or failure; hover details; each
 * step's status, description and hazards as text.  No server, no network, nothing
 * loaded from outside the file.  No SDL here: the font metrics come in the canvas. */
#ifndef MMSIM_VIZ_HTML_H
#define MMSIM_VIZ_HTML_H

#include <stddef.h>
#include <stdio.h>

#include "scn.h"
#include "viz_layout.h"

/* Write the page of scenario `index` of the suite to f, laid out on `canvas` (its
 * size and font metrics; zoom, pan and panels as given).  0, or -1 with why[size]
 * (a bad index, out of memory, a write error). */
int viz_html_write(FILE *f, const scn_suite_t *suite, size_t index, const viz_canvas_t *canvas, char *why,
                   size_t size);

#endif
