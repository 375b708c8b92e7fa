/* view.c - the window of `mmsim view`: one scenario stepped forward and back (each
 * step reached by running the scenario again from its start), with zoom and pan of
 * the address bands, panel toggles, a hover tooltip and the key help.  Every frame is
 * the layout drawn in software onto an off-screen surface, then copied to the window,
 * so the window shows exactly what `mmsim render` writes. */
#include <stdio.h>
#include <string.h>

#include "viz_render.h"
#include "viz_snapshot.h"

#define FONT_PX 13
#define ZOOM_STEP 1.25
#define ZOOM_MAX 4096.0

typedef struct {
    const scn_suite_t *suite;
    size_t index;
    viz_scan_t scan;
    unsigned step;
    viz_state_t state;
    viz_canvas_t canvas;
    int mouse_x, mouse_y;
    bool dragging;
    SDL_Window *win;
    SDL_Surface *frame;         /* off-screen, the window's size */
    viz_renderer_t *font;
    viz_layout_t layout;
} view_t;

static void clamp_pan(viz_canvas_t *c)
{
    double max = 1.0 - 1.0 / c->zoom;
    c->pan = c->pan < 0 ? 0 : c->pan > max ? max : c->pan;
}

/* Zoom about the pixel column x, which keeps the address under it. */
static void zoom_at(view_t *v, double factor, int x)
{
    viz_canvas_t *c = &v->canvas;
    double width = c->w > 16 ? c->w - 16 : 1;
    double at = c->pan + (x - 8) / (width * c->zoom);
    c->zoom *= factor;
    c->zoom = c->zoom < 1 ? 1 : c->zoom > ZOOM_MAX ? ZOOM_MAX : c->zoom;
    c->pan = at - (x - 8) / (width * c->zoom);
    clamp_pan(c);
}

static int go_to(view_t *v, unsigned step, char *err, size_t size)
{
    if (step > v->scan.total)
        step = v->scan.total;
    if (viz_capture(v->suite, v->index, step, v->scan.total, &v->state)) {
        snprintf(err, size, "cannot capture step %u (out of memory)", step);
        return -1;
    }
    v->step = step;
    char title[200];
    snprintf(title, sizeof title, "mmsim view - %s - step %u/%u", v->state.scenario, step, v->scan.total);
    SDL_SetWindowTitle(v->win, title);
    return 0;
}

/* The hover text over everything else: the exact address under the pointer when the
 * rectangle spans addresses, then its own text. */
static void add_tooltip(view_t *v)
{
    const viz_rect_t *hit = viz_layout_hit(&v->layout, v->mouse_x, v->mouse_y);
    if (!hit || v->canvas.help)
        return;
    char text[2 * VIZ_TEXT];
    if (hit->addr1 > hit->addr0 && hit->w > 0) {
        uint64_t span = (uint64_t)(hit->addr1 - hit->addr0);
        uint32_t at = hit->addr0 + (uint32_t)(span * (uint64_t)(v->mouse_x - hit->x) / (uint64_t)hit->w);
        snprintf(text, sizeof text, "0x%08x  %s", at, hit->tip);
    } else {
        snprintf(text, sizeof text, "%s", hit->tip);
    }
    int cw = v->canvas.char_w, ch = v->canvas.char_h;
    int w = (int)strlen(text) * cw + 8;
    if (w > v->canvas.w)
        w = v->canvas.w;
    int x = v->mouse_x + 14, y = v->mouse_y + 18;
    if (x + w > v->canvas.w)
        x = v->canvas.w - w;
    if (y + ch + 6 > v->canvas.h)
        y = v->mouse_y - ch - 10;
    viz_rect_t box = {.x = x, .y = y, .w = w, .h = ch + 6, .fill = VIZ_ROLE_PANEL, .outline = VIZ_ROLE_TEXT};
    viz_label_t lab = {.x = x + 4, .y = y + 3, .h = ch, .role = VIZ_ROLE_TEXT};
    size_t fit = (size_t)((w - 8) / cw);
    snprintf(lab.text, sizeof lab.text, "%.*s", (int)(fit < sizeof lab.text ? fit : sizeof lab.text - 1), text);
    viz_layout_t tip = {.rects = &box, .nrects = 1, .labels = &lab, .nlabels = 1};
    viz_render_layout(v->font, &tip, v->frame);
}

static int draw(view_t *v, char *err, size_t size)
{
    SDL_Surface *screen = SDL_GetWindowSurface(v->win);
    if (!screen) {
        snprintf(err, size, "no window surface: %s", SDL_GetError());
        return -1;
    }
    if (!v->frame || v->frame->w != screen->w || v->frame->h != screen->h) {
        SDL_FreeSurface(v->frame);
        v->frame = SDL_CreateRGBSurfaceWithFormat(0, screen->w, screen->h, 32, SDL_PIXELFORMAT_ARGB8888);
        if (!v->frame) {
            snprintf(err, size, "cannot make a %dx%d surface: %s", screen->w, screen->h, SDL_GetError());
            return -1;
        }
    }
    v->canvas.w = screen->w;
    v->canvas.h = screen->h;
    if (viz_layout(&v->state, &v->canvas, &v->layout)) {
        snprintf(err, size, "out of memory laying out the picture");
        return -1;
    }
    viz_render_layout(v->font, &v->layout, v->frame);
    add_tooltip(v);
    SDL_BlitSurface(v->frame, NULL, screen, NULL);
    SDL_UpdateWindowSurface(v->win);
    return 0;
}

/* A character key; false if it means quit. */
static bool on_text(view_t *v, char c, unsigned *next)
{
    viz_canvas_t *cv = &v->canvas;
    double page = 1.0 / (4 * cv->zoom);
    switch (c) {
    case '?': cv->help = !cv->help; break;
    case 'q': return false;
    case 'n': *next = v->step + 1; break;
    case 'p': *next = v->step ? v->step - 1 : 0; break;
    case 'h': {
        int a = v->scan.first_hazard, b = v->scan.first_failure;
        int first = a < 0 ? b : b < 0 ? a : a < b ? a : b;
        if (first >= 0)
            *next = (unsigned)first;
        break;
    }
    case '+': case '=': zoom_at(v, ZOOM_STEP, cv->w / 2); break;
    case '-': zoom_at(v, 1 / ZOOM_STEP, cv->w / 2); break;
    case '[': cv->pan -= page, clamp_pan(cv); break;
    case ']': cv->pan += page, clamp_pan(cv); break;
    case '0': cv->zoom = 1, cv->pan = 0; break;
    case '1': case '2': case '3': case '4': case '5': case '6': {
        static const unsigned panels[] = {VIZ_PANEL_BANDS, VIZ_PANEL_HIMEM, VIZ_PANEL_RIBBON,
                                          VIZ_PANEL_MMU,   VIZ_PANEL_CACHE, VIZ_PANEL_LEGEND};
        cv->hide ^= panels[c - '1'];
        break;
    }
    default: break;
    }
    return true;
}

/* A key without a character; false if it means quit. */
static bool on_key(view_t *v, SDL_Keycode key, unsigned *next)
{
    switch (key) {
    case SDLK_ESCAPE:
        if (!v->canvas.help)
            return false;
        v->canvas.help = false;
        break;
    case SDLK_RIGHT: case SDLK_SPACE: case SDLK_DOWN: *next = v->step + 1; break;
    case SDLK_LEFT: case SDLK_BACKSPACE: case SDLK_UP: *next = v->step ? v->step - 1 : 0; break;
    case SDLK_HOME: *next = 0; break;
    case SDLK_END: *next = v->scan.total; break;
    default: break;
    }
    return true;
}

static int loop(view_t *v, char *err, size_t size)
{
    bool running = true, dirty = true;
    while (running) {
        if (dirty && draw(v, err, size))
            return -1;
        dirty = false;
        SDL_Event ev;
        if (!SDL_WaitEvent(&ev))
            continue;
        unsigned next = v->step;
        switch (ev.type) {
        case SDL_QUIT: running = false; break;
        case SDL_WINDOWEVENT: dirty = true; break;
        case SDL_TEXTINPUT: running = on_text(v, ev.text.text[0], &next), dirty = true; break;
        case SDL_KEYDOWN: running = on_key(v, ev.key.keysym.sym, &next), dirty = true; break;
        case SDL_MOUSEWHEEL:
            zoom_at(v, ev.wheel.y > 0 ? ZOOM_STEP : 1 / ZOOM_STEP, v->mouse_x);
            dirty = true;
            break;
        case SDL_MOUSEBUTTONDOWN: v->dragging = ev.button.button == SDL_BUTTON_LEFT; break;
        case SDL_MOUSEBUTTONUP: v->dragging = false; break;
        case SDL_MOUSEMOTION:
            if (v->dragging && v->canvas.w > 16) {
                v->canvas.pan -= ev.motion.xrel / ((v->canvas.w - 16) * v->canvas.zoom);
                clamp_pan(&v->canvas);
            }
            v->mouse_x = ev.motion.x;
            v->mouse_y = ev.motion.y;
            dirty = true;
            break;
        default: break;
        }
        if (next != v->step && next <= v->scan.total) {
            if (go_to(v, next, err, size))
                return -1;
            dirty = true;
        }
    }
    return 0;
}

/* Queue the script's keys as typed text, the window resized (as a user would), and a
 * close. */
static void queue_script(view_t *v, const char *keys)
{
    SDL_SetWindowSize(v->win, 1000, 700);
    for (const char *k = keys; *k; k++) {
        SDL_Event ev = {.type = SDL_TEXTINPUT};
        ev.text.text[0] = *k;
        SDL_PushEvent(&ev);
    }
    SDL_Event quit = {.type = SDL_QUIT};
    SDL_PushEvent(&quit);
}

int viz_view_run(const scn_suite_t *suite, size_t index, unsigned start, const char *keys, unsigned *end_step,
                 char *err, size_t size)
{
    view_t v = {.suite = suite, .index = index, .canvas = {.zoom = 1}, .mouse_x = -1, .mouse_y = -1};
    int rc = -1;
    if (viz_scan(suite, index, &v.scan)) {
        snprintf(err, size, "no scenario %zu", index);
        return -1;
    }
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        snprintf(err, size, "cannot open a window: %s (no display? `mmsim render` draws without one)", SDL_GetError());
        return -1;
    }
    v.win = SDL_CreateWindow("mmsim view", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, 1400, 900,
                             SDL_WINDOW_RESIZABLE);
    if (!v.win) {
        snprintf(err, size, "cannot open a window: %s", SDL_GetError());
        goto out;
    }
    if (!(v.font = viz_renderer_new(FONT_PX, err, size)))
        goto out;
    viz_renderer_metrics(v.font, &v.canvas.char_w, &v.canvas.char_h);
    if (go_to(&v, start, err, size))
        goto out;
    if (keys)
        queue_script(&v, keys);
    rc = loop(&v, err, size);
    if (end_step)
        *end_step = v.step;
out:
    viz_layout_free(&v.layout);
    viz_state_free(&v.state);
    SDL_FreeSurface(v.frame);
    viz_renderer_free(v.font);
    if (v.win)
        SDL_DestroyWindow(v.win);
    SDL_Quit();
    return rc;
}
