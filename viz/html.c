/* html.c - the step-through page of one scenario (viz_html.h).  The page carries the
 * layout of every step as data and draws one step at a time as SVG: a scenario of 30
 * steps with two 1024-line cache grids is 60 000 rectangles, most of them the same
 * from one step to the next, so each distinct rectangle, line and label is stored
 * once and a step is a list of runs of their numbers.  The player script is in
 * html_player.c. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "viz_html.h"
#include "viz_snapshot.h"

extern const char viz_html_player_js[];
extern const char viz_html_style_css[];

/* ---- a growing text ---- */

typedef struct {
    char *p;
    size_t len, cap;
    int oom;
} text_t;

static void put(text_t *t, const char *s, size_t n)
{
    if (t->oom)
        return;
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 4096;
        while (cap < t->len + n + 1)
            cap *= 2;
        char *p = realloc(t->p, cap);
        if (!p) {
            t->oom = 1;
            return;
        }
        t->p = p, t->cap = cap;
    }
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = '\0';
}

/* A string literal, its length counted by the compiler. */
#define put_lit(t, lit) put((t), (lit), sizeof(lit) - 1)

static void putf(text_t *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(text_t *t, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > 0)
        put(t, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

/* A JSON string that is also safe inside <script>: `<` is written \u003c. */
static void put_json(text_t *t, const char *s)
{
    put_lit(t, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            putf(t, "\\%c", *p);
        else if (*p == '\n')
            put_lit(t, "\\n");
        else if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&' || *p >= 0x7f)
            putf(t, "\\u%04x", *p);
        else
            put(t, (const char *)p, 1);
    }
    put_lit(t, "\"");
}

/* ---- distinct items: a text key -> its number (open addressing) ---- */

typedef struct {
    char **keys;
    size_t *ids;
    size_t cap, count;
    text_t list; /* the items as JSON array elements, in number order */
    int oom;
} table_t;

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static int table_grow(table_t *t)
{
    size_t cap = t->cap ? t->cap * 2 : 1024;
    char **keys = calloc(cap, sizeof *keys);
    size_t *ids = calloc(cap, sizeof *ids);
    if (!keys || !ids) {
        free(keys);
        free(ids);
        return -1;
    }
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->keys[i])
            continue;
        size_t j = hash(t->keys[i]) & (cap - 1);
        while (keys[j])
            j = (j + 1) & (cap - 1);
        keys[j] = t->keys[i], ids[j] = t->ids[i];
    }
    free(t->keys);
    free(t->ids);
    t->keys = keys, t->ids = ids, t->cap = cap;
    return 0;
}

/* The number of `key` (its JSON text), added to the list if new; SIZE_MAX when out
 * of memory. */
static size_t table_id(table_t *t, const char *key)
{
    if ((t->count + 1) * 2 > t->cap && table_grow(t)) {
        t->oom = 1;
        return SIZE_MAX;
    }
    size_t j = hash(key) & (t->cap - 1);
    while (t->keys[j]) {
        if (!strcmp(t->keys[j], key))
            return t->ids[j];
        j = (j + 1) & (t->cap - 1);
    }
    if (!(t->keys[j] = strdup(key))) {
        t->oom = 1;
        return SIZE_MAX;
    }
    t->ids[j] = t->count;
    if (t->count)
        put(&t->list, ",", 1);
    put(&t->list, key, strlen(key));
    return t->count++;
}

static void table_free(table_t *t)
{
    for (size_t i = 0; i < t->cap; i++)
        free(t->keys[i]);
    free(t->keys);
    free(t->ids);
    free(t->list.p);
}

/* ---- the steps ---- */

typedef struct {
    const viz_canvas_t *canvas;
    viz_layout_t layout;
    table_t strs, rects, lines, labels;
    text_t steps;      /* the steps' JSON objects */
    unsigned count;
    int first_hazard;
    int oom;
} page_t;

static size_t str_id(page_t *pg, const char *s)
{
    text_t j = {0};
    put_json(&j, s);
    size_t id = j.oom ? SIZE_MAX : table_id(&pg->strs, j.p);
    free(j.p);
    return id;
}

/* A step's items as runs "[first, count]" of consecutive numbers. */
typedef struct {
    text_t *out;
    size_t start, n;
    int any;
} runs_t;

static void run_flush(runs_t *r)
{
    if (!r->n)
        return;
    putf(r->out, "%s%zu,%zu", r->any ? "," : "", r->start, r->n);
    r->any = 1;
}

static void run_add(runs_t *r, size_t id)
{
    if (r->n && id == r->start + r->n) {
        r->n++;
        return;
    }
    run_flush(r);
    r->start = id, r->n = 1;
}

static void encode_layout(page_t *pg, text_t *s)
{
    const viz_layout_t *l = &pg->layout;
    char key[VIZ_TEXT * 2 + 100];
    runs_t r = {.out = s};
    put_lit(s, "\"r\":[");
    for (size_t i = 0; i < l->nrects; i++) {
        const viz_rect_t *q = &l->rects[i];
        long tip = q->tip[0] ? (long)str_id(pg, q->tip) : -1;
        snprintf(key, sizeof key, "[%d,%d,%d,%d,%d,%d,%ld,%d,%d]", q->x, q->y, q->w, q->h, (int)q->fill,
                 (int)q->outline, tip, (int)q->item, q->index);
        run_add(&r, table_id(&pg->rects, key));
    }
    run_flush(&r);
    put_lit(s, "],\"l\":[");
    r = (runs_t){.out = s};
    for (size_t i = 0; i < l->nlines; i++) {
        const viz_line_seg_t *q = &l->lines[i];
        snprintf(key, sizeof key, "[%d,%d,%d,%d,%d,%d]", q->x0, q->y0, q->x1, q->y1, (int)q->role, q->arrow ? 1 : 0);
        run_add(&r, table_id(&pg->lines, key));
    }
    run_flush(&r);
    put_lit(s, "],\"t\":[");
    r = (runs_t){.out = s};
    for (size_t i = 0; i < l->nlabels; i++) {
        const viz_label_t *q = &l->labels[i];
        snprintf(key, sizeof key, "[%d,%d,%d,%d,%ld]", q->x, q->y, q->w, (int)q->role, (long)str_id(pg, q->text));
        run_add(&r, table_id(&pg->labels, key));
    }
    run_flush(&r);
    put_lit(s, "]");
}

static bool on_step(const viz_state_t *st, void *ctx)
{
    page_t *pg = ctx;
    if (viz_layout(st, pg->canvas, &pg->layout)) {
        pg->oom = 1;
        return false;
    }
    text_t *s = &pg->steps;
    const viz_step_t *sp = &st->step;
    char head[VIZ_TEXT * 2 + 200];
    if (sp->number == 0)
        snprintf(head, sizeof head, "step 0 of %u: boot", sp->total);
    else
        snprintf(head, sizeof head, "step %u of %u%s%s: %s %s -> %s (%llu cycles on core %u)", sp->number, sp->total,
                 sp->label[0] ? " " : "", sp->label, sp->op, sp->args, sp->ret, (unsigned long long)sp->cycles,
                 (unsigned)sp->core);
    putf(s, "%s{\"n\":%u,\"head\":", pg->count ? ",\n" : "", sp->number);
    put_json(s, head);
    put_lit(s, ",\"desc\":");
    put_json(s, sp->description);
    put_lit(s, ",\"fail\":");
    put_json(s, sp->failure);
    put_lit(s, ",\"haz\":[");
    for (int i = 0; i < st->nhazards; i++) {
        if (i)
            put_lit(s, ",");
        put_json(s, st->hazard[i].text);
    }
    if (st->hazards_total > st->nhazards) {
        char more[80];
        snprintf(more, sizeof more, "... and %d more", st->hazards_total - st->nhazards);
        put(s, st->nhazards ? "," : "", st->nhazards ? 1 : 0);
        put_json(s, more);
    }
    put_lit(s, "],");
    encode_layout(pg, s);
    put_lit(s, "}");
    if (pg->first_hazard < 0 && (st->hazards_total || sp->failure[0]))
        pg->first_hazard = (int)sp->number;
    pg->count++;
    return true;
}

static void html_escape(text_t *t, const char *s)
{
    for (; *s; s++) {
        if (*s == '<')
            put_lit(t, "&lt;");
        else if (*s == '>')
            put_lit(t, "&gt;");
        else if (*s == '&')
            put_lit(t, "&amp;");
        else if (*s == '"')
            put_lit(t, "&quot;");
        else
            put(t, s, 1);
    }
}

int viz_html_write(FILE *f, const scn_suite_t *suite, size_t index, const viz_canvas_t *canvas, char *why,
                   size_t size)
{
    viz_scan_t scan;
    if (viz_scan(suite, index, &scan)) {
        snprintf(why, size, "no scenario %zu in the suite", index);
        return -1;
    }
    page_t pg = {.canvas = canvas, .first_hazard = -1};
    int rc = -1;
    text_t page = {0};
    if (viz_each_step(suite, index, scan.total, on_step, &pg) || pg.oom || pg.strs.oom || pg.rects.oom ||
        pg.lines.oom || pg.labels.oom || pg.steps.oom) {
        snprintf(why, size, "out of memory laying out the steps");
        goto out;
    }
    char title[600];
    snprintf(title, sizeof title, "%s: %s", scn_suite_file(suite, index), scn_suite_name(suite, index));
    put_lit(&page, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
    html_escape(&page, title);
    put_lit(&page, "</title>\n<style>\n");
    put(&page, viz_html_style_css, strlen(viz_html_style_css));

    const char *bar = "</style>\n</head>\n<body>\n<div id=\"bar\">"
                      "<button id=\"first\" title=\"Home\">|&lt;</button>"
                      "<button id=\"prev\" title=\"Left, Backspace, p\">&lt; back</button>"
                      "<span id=\"pos\"></span>"
                      "<button id=\"next\" title=\"Right, Space, n\">next &gt;</button>"
                      "<button id=\"last\" title=\"End\">&gt;|</button>"
                      "<button id=\"hazard\" title=\"h\">first hazard</button>"
                      "<span class=\"keys\">keys: Left/Right, Space, Backspace, n/p, Home/End, h</span></div>\n";
    put(&page, bar, strlen(bar));
    putf(&page, "<svg id=\"pic\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                "shape-rendering=\"crispEdges\"></svg>\n",
         canvas->w, canvas->h, canvas->w, canvas->h);
    put_lit(&page, "<div id=\"text\"><h2 id=\"head\"></h2><p id=\"desc\"></p><p id=\"fail\"></p><ul id=\"haz\"></ul>"
               "<p id=\"tip\"></p></div>\n<script>\nconst D = {");
    putf(&page, "\"w\":%d,\"h\":%d,\"cw\":%d,\"ch\":%d,\"firstHazard\":%d,\"palette\":[", canvas->w, canvas->h,
         canvas->char_w, canvas->char_h, pg.first_hazard);
    for (int r = 0; r < VIZ_ROLE_COUNT; r++) {
        viz_rgb_t c = viz_role_rgb((viz_role_t)r);
        putf(&page, "%s\"#%02x%02x%02x\"", r ? "," : "", c.r, c.g, c.b);
    }
    put_lit(&page, "],\n\"strs\":[");
    put(&page, pg.strs.list.p ? pg.strs.list.p : "", pg.strs.list.len);
    put_lit(&page, "],\n\"rects\":[");
    put(&page, pg.rects.list.p ? pg.rects.list.p : "", pg.rects.list.len);
    put_lit(&page, "],\n\"lines\":[");
    put(&page, pg.lines.list.p ? pg.lines.list.p : "", pg.lines.list.len);
    put_lit(&page, "],\n\"labels\":[");
    put(&page, pg.labels.list.p ? pg.labels.list.p : "", pg.labels.list.len);
    put_lit(&page, "],\n\"steps\":[");
    put(&page, pg.steps.p ? pg.steps.p : "", pg.steps.len);
    put_lit(&page, "]};\n");
    put(&page, viz_html_player_js, strlen(viz_html_player_js));
    put_lit(&page, "</script>\n</body>\n</html>\n");
    if (page.oom) {
        snprintf(why, size, "out of memory writing the page");
        goto out;
    }
    if (fwrite(page.p, 1, page.len, f) != page.len) {
        snprintf(why, size, "write error");
        goto out;
    }
    rc = 0;
out:
    free(page.p);
    free(pg.steps.p);
    table_free(&pg.strs);
    table_free(&pg.rects);
    table_free(&pg.lines);
    table_free(&pg.labels);
    viz_layout_free(&pg.layout);
    return rc;
}
