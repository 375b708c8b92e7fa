/* render.c - draws a layout with SDL2 in software: rectangles with SDL_FillRect,
 * lines by Bresenham on the surface's pixels, text from a glyph atlas of DejaVu Sans
 * Mono (each printable ASCII glyph rendered once, tinted per label with a colour mod),
 * and PNG files with SDL2_image.  No video driver is needed for any of it, so PNGs are
 * rendered the same with or without a display. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL_image.h>
#include <SDL_ttf.h>

#include "viz_render.h"

#ifndef VIZ_FONT_PATH
#define VIZ_FONT_PATH "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
#endif

#define FIRST_GLYPH 32
#define LAST_GLYPH 126

struct viz_renderer {
    int char_w, char_h;
    SDL_Surface *glyph[LAST_GLYPH - FIRST_GLYPH + 1];
};

void viz_renderer_free(viz_renderer_t *r)
{
    if (!r)
        return;
    for (int i = 0; i <= LAST_GLYPH - FIRST_GLYPH; i++)
        SDL_FreeSurface(r->glyph[i]);
    free(r);
}

viz_renderer_t *viz_renderer_new(int pixel_size, char *err, size_t size)
{
    const char *path = getenv("MMSIM_FONT");
    if (!path || !*path)
        path = VIZ_FONT_PATH;
    if (TTF_Init() != 0) { /* counted: paired with the TTF_Quit below */
        snprintf(err, size, "cannot start SDL_ttf: %s", TTF_GetError());
        return NULL;
    }
    TTF_Font *font = TTF_OpenFont(path, pixel_size);
    if (!font) {
        snprintf(err, size, "cannot open the font %s: %s (install fonts-dejavu-core)", path, TTF_GetError());
        TTF_Quit();
        return NULL;
    }
    viz_renderer_t *r = calloc(1, sizeof *r);
    int advance = 0;
    if (r && TTF_GlyphMetrics(font, 'M', NULL, NULL, NULL, NULL, &advance) == 0) {
        r->char_w = advance;
        r->char_h = TTF_FontHeight(font);
        /* White glyphs, tinted when drawn. */
        SDL_Color white = {255, 255, 255, 255};
        for (int c = FIRST_GLYPH; c <= LAST_GLYPH; c++) {
            SDL_Surface *g = TTF_RenderGlyph_Blended(font, (Uint16)c, white);
            r->glyph[c - FIRST_GLYPH] = g ? SDL_ConvertSurfaceFormat(g, SDL_PIXELFORMAT_ARGB8888, 0) : NULL;
            SDL_FreeSurface(g);
            if (r->glyph[c - FIRST_GLYPH])
                SDL_SetSurfaceBlendMode(r->glyph[c - FIRST_GLYPH], SDL_BLENDMODE_BLEND);
        }
    } else if (r) {
        snprintf(err, size, "the font %s has no 'M'", path);
        free(r);
        r = NULL;
    } else {
        snprintf(err, size, "out of memory");
    }
    TTF_CloseFont(font);
    /* The atlas holds everything the renderer needs from SDL_ttf. */
    TTF_Quit();
    return r;
}

void viz_renderer_metrics(const viz_renderer_t *r, int *char_w, int *char_h)
{
    *char_w = r->char_w;
    *char_h = r->char_h;
}

static Uint32 map_role(const SDL_Surface *dst, viz_role_t role)
{
    viz_rgb_t c = viz_role_rgb(role);
    return SDL_MapRGB(dst->format, c.r, c.g, c.b);
}

static void put_pixel(SDL_Surface *dst, int x, int y, Uint32 px)
{
    if (x < 0 || y < 0 || x >= dst->w || y >= dst->h)
        return;
    ((Uint32 *)((Uint8 *)dst->pixels + (size_t)y * (size_t)dst->pitch))[x] = px;
}

static void draw_line(SDL_Surface *dst, int x0, int y0, int x1, int y1, Uint32 px)
{
    int dx = abs(x1 - x0), dy = -abs(y1 - y0);
    int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1, e = dx + dy;
    for (;;) {
        put_pixel(dst, x0, y0, px);
        if (x0 == x1 && y0 == y1)
            break;
        int e2 = 2 * e;
        if (e2 >= dy) {
            e += dy;
            x0 += sx;
        }
        if (e2 <= dx) {
            e += dx;
            y0 += sy;
        }
    }
}

/* A head of two short strokes back from (x1, y1), along the line. */
static void draw_arrow_head(SDL_Surface *dst, const viz_line_seg_t *l, Uint32 px)
{
    double dx = l->x1 - l->x0, dy = l->y1 - l->y0;
    double len = SDL_sqrt(dx * dx + dy * dy);
    if (len < 1)
        return;
    dx /= len;
    dy /= len;
    const double back = 7, side = 4;
    for (int s = -1; s <= 1; s += 2) {
        int hx = (int)(l->x1 - dx * back - dy * side * s), hy = (int)(l->y1 - dy * back + dx * side * s);
        draw_line(dst, l->x1, l->y1, hx, hy, px);
    }
}

static void draw_text(const viz_renderer_t *r, SDL_Surface *dst, const viz_label_t *l)
{
    viz_rgb_t c = viz_role_rgb(l->role);
    int x = l->x;
    for (const char *p = l->text; *p; p++, x += r->char_w) {
        int ch = (unsigned char)*p;
        SDL_Surface *g = ch >= FIRST_GLYPH && ch <= LAST_GLYPH ? r->glyph[ch - FIRST_GLYPH] : NULL;
        if (!g)
            continue;
        SDL_SetSurfaceColorMod(g, c.r, c.g, c.b);
        SDL_Rect at = {x, l->y, g->w, g->h};
        SDL_BlitSurface(g, NULL, dst, &at);
    }
}

void viz_render_layout(const viz_renderer_t *r, const viz_layout_t *l, SDL_Surface *dst)
{
    for (size_t i = 0; i < l->nrects; i++) {
        const viz_rect_t *q = &l->rects[i];
        SDL_Rect box = {q->x, q->y, q->w, q->h};
        if (q->fill != VIZ_ROLE_NONE)
            SDL_FillRect(dst, &box, map_role(dst, q->fill));
        if (q->outline != VIZ_ROLE_NONE) {
            Uint32 px = map_role(dst, q->outline);
            SDL_Rect edges[4] = {{q->x, q->y, q->w, 1}, {q->x, q->y + q->h - 1, q->w, 1}, {q->x, q->y, 1, q->h},
                                 {q->x + q->w - 1, q->y, 1, q->h}};
            SDL_FillRects(dst, edges, 4, px);
        }
    }
    if (SDL_MUSTLOCK(dst))
        SDL_LockSurface(dst);
    for (size_t i = 0; i < l->nlines; i++) {
        const viz_line_seg_t *q = &l->lines[i];
        Uint32 px = map_role(dst, q->role);
        draw_line(dst, q->x0, q->y0, q->x1, q->y1, px);
        if (q->arrow)
            draw_arrow_head(dst, q, px);
    }
    if (SDL_MUSTLOCK(dst))
        SDL_UnlockSurface(dst);
    for (size_t i = 0; i < l->nlabels; i++)
        draw_text(r, dst, &l->labels[i]);
}

int viz_render_png(const viz_renderer_t *r, const viz_state_t *s, const viz_canvas_t *canvas, const char *path,
                   char *err, size_t size)
{
    viz_canvas_t cv = *canvas;
    cv.char_w = r->char_w;
    cv.char_h = r->char_h;
    int w = cv.w, h = cv.h;
    viz_layout_t l = {0};
    SDL_Surface *dst = NULL;
    int rc = -1;
    if (viz_layout(s, &cv, &l)) {
        snprintf(err, size, "out of memory laying out the picture");
        goto out;
    }
    dst = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!dst) {
        snprintf(err, size, "cannot make a %dx%d surface: %s", w, h, SDL_GetError());
        goto out;
    }
    viz_render_layout(r, &l, dst);
    if (IMG_SavePNG(dst, path) != 0) {
        snprintf(err, size, "cannot write %s: %s", path, IMG_GetError());
        goto out;
    }
    rc = 0;
out:
    SDL_FreeSurface(dst);
    viz_layout_free(&l);
    return rc;
}
