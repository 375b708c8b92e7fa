/* cmd_view.c - `mmsim view` (a window stepping through one scenario) and `mmsim
 * render` (the same picture as PNG files, headless, or as one HTML page stepping
 * through every step).  Both load one scenario file and pick one of its scenarios;
 * exit 2 for bad arguments or a bad file.  Also the page `mmsim run --html` writes
 * for a failing scenario (cli_write_page). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "scn.h"
#include "viz_html.h"
#include "viz_render.h"
#include "viz_snapshot.h"

#define RENDER_FONT_PX 13

static const char view_usage[] =
    "usage: mmsim view SCENARIO.yaml [--scenario NAME] [--chip NAME] [--step N] [--keys TEXT]\n"
    "\n"
    "Opens a window on one scenario of the file (the first unless --scenario or --chip\n"
    "picks another), stepped forward and back: the esp_mmu_map regions and blocks over\n"
    "physical flash and PSRAM, ESP32's himem bank window, the MMU tables, the caches,\n"
    "the address bits of the step and a sentence on what it did.  Press ? for the keys.\n"
    "\n"
    "options:\n"
    "  --scenario NAME   the scenario whose name is NAME (or, failing that, contains it)\n"
    "  --chip NAME       the scenario that runs on chip NAME (files listing several chips)\n"
    "  --step N          start at step N (0 is the boot)\n"
    "  --keys TEXT       type these keys, close the window and print the step it showed\n"
    "                    (for scripted checks: `--keys nnph` steps 2, 1, then the first hazard)\n"
    "\n"
    "exit status: 0 closed, 1 no window could open, 2 bad input or usage\n";

static const char render_usage[] =
    "usage: mmsim render SCENARIO.yaml (--step N | --last | --all) -o OUT.png|DIR\n"
    "       mmsim render SCENARIO.yaml --html OUT.html\n"
    "                    [--scenario NAME] [--chip NAME] [--size WxH] [--zoom Z] [--pan F]\n"
    "\n"
    "Draws the picture of `mmsim view` at one step (or at every step) into PNG files,\n"
    "with no display needed; or every step into one self-contained HTML page (SVG, no\n"
    "network) with keys and buttons to step forward and back and to the first hazard.\n"
    "\n"
    "options:\n"
    "  --html OUT.html   the step-through page (written atomically)\n"
    "  --step N          the picture after step N (0 is the boot)\n"
    "  --last            after the last step\n"
    "  --all             every step, as DIR/step-000.png, DIR/step-001.png, ...\n"
    "  -o PATH           the PNG file (--step, --last) or the folder (--all; made if missing)\n"
    "  --scenario NAME   the scenario whose name is NAME (or, failing that, contains it)\n"
    "  --chip NAME       the scenario that runs on chip NAME\n"
    "  --size WxH        picture size in pixels (default 1400x900)\n"
    "  --zoom Z          magnify the address bands Z times (1 to 4096) ...\n"
    "  --pan F           ... from the fraction F (0 to below 1) of each band\n"
    "\n"
    "exit status: 0 written, 1 writing failed, 2 bad input or usage\n";

typedef struct {
    const char *file, *scenario, *chip, *out, *keys, *html;
    long step;          /* -1: not given */
    bool last, all;
    viz_canvas_t canvas; /* render: size, zoom, pan */
} view_args_t;

static int usage_error(const char *cmd, const char *usage, const char *fmt, const char *arg)
{
    fprintf(stderr, "mmsim %s: ", cmd);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n%s", usage);
    return CLI_BAD_INPUT;
}

static bool parse_number(const char *text, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (end == text || *end || errno || v < 0 || v > max)
        return false;
    *out = v;
    return true;
}

/* 0, or CLI_BAD_INPUT after printing why. */
static int parse_args(const char *cmd, const char *usage, int argc, char **argv, view_args_t *a)
{
    *a = (view_args_t){.step = -1, .canvas = {.w = 1400, .h = 900, .zoom = 1}};
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        bool has_value = i + 1 < argc;
        if (!strcmp(arg, "--scenario") || !strcmp(arg, "--chip") || !strcmp(arg, "--step") || !strcmp(arg, "-o") ||
            !strcmp(arg, "--size") || !strcmp(arg, "--keys") || !strcmp(arg, "--zoom") || !strcmp(arg, "--pan") ||
            !strcmp(arg, "--html")) {
            if (!has_value)
                return usage_error(cmd, usage, "%s needs a value", arg);
            const char *val = argv[++i];
            if (!strcmp(arg, "--scenario"))
                a->scenario = val;
            else if (!strcmp(arg, "--chip"))
                a->chip = val;
            else if (!strcmp(arg, "-o"))
                a->out = val;
            else if (!strcmp(arg, "--keys"))
                a->keys = val;
            else if (!strcmp(arg, "--html"))
                a->html = val;
            else if (!strcmp(arg, "--step")) {
                if (!parse_number(val, 5000000, &a->step))
                    return usage_error(cmd, usage, "--step wants a step number (0 is the boot), not '%s'", val);
            } else if (!strcmp(arg, "--zoom") || !strcmp(arg, "--pan")) {
                char *end;
                double v = strtod(val, &end);
                bool zoom = !strcmp(arg, "--zoom");
                if (end == val || *end || (zoom ? !(v >= 1 && v <= 4096) : !(v >= 0 && v < 1)))
                    return usage_error(cmd, usage, zoom ? "--zoom wants a factor from 1 to 4096, not '%s'"
                                                        : "--pan wants a fraction from 0 to below 1, not '%s'", val);
                *(zoom ? &a->canvas.zoom : &a->canvas.pan) = v;
            } else {
                char *x;
                long w = strtol(val, &x, 10), h = *x == 'x' ? strtol(x + 1, &x, 10) : 0;
                if (*x || w < 320 || h < 240 || w > 8192 || h > 8192)
                    return usage_error(cmd, usage, "--size wants WxH from 320x240 to 8192x8192, not '%s'", val);
                a->canvas.w = (int)w;
                a->canvas.h = (int)h;
            }
        } else if (!strcmp(arg, "--last")) {
            a->last = true;
        } else if (!strcmp(arg, "--all")) {
            a->all = true;
        } else if (arg[0] == '-') {
            return usage_error(cmd, usage, "unknown option '%s'", arg);
        } else if (a->file) {
            return usage_error(cmd, usage, "one scenario file at a time ('%s' is a second)", arg);
        } else {
            a->file = arg;
        }
    }
    if (!a->file)
        return usage_error(cmd, usage, "%s", "which scenario file?");
    return 0;
}

/* The scenario of the suite the arguments pick: by exact name, else by a name that
 * contains it, else the first; narrowed to a chip.  -1 after printing why. */
static long pick_scenario(const scn_suite_t *s, const view_args_t *a, const char *cmd)
{
    long contains = -1;
    for (size_t i = 0; i < scn_suite_count(s); i++) {
        const char *chip = scn_suite_chip(s, i), *name = scn_suite_name(s, i);
        if (a->chip && strcmp(chip, a->chip))
            continue;
        if (!a->scenario || !strcmp(name, a->scenario))
            return (long)i;
        if (contains < 0 && strstr(name, a->scenario))
            contains = (long)i;
    }
    if (contains >= 0)
        return contains;
    fprintf(stderr, "mmsim %s: %s holds no scenario", cmd, a->file);
    if (a->scenario)
        fprintf(stderr, " named '%s'", a->scenario);
    if (a->chip)
        fprintf(stderr, " on chip %s", a->chip);
    fprintf(stderr, "; it holds:\n");
    for (size_t i = 0; i < scn_suite_count(s); i++)
        fprintf(stderr, "  %s (%s)\n", scn_suite_name(s, i), scn_suite_chip(s, i));
    return -1;
}

/* Load the file; the suite or NULL after printing the errors. */
static scn_suite_t *load(const char *file)
{
    scn_suite_t *s = scn_suite_new();
    if (!s) {
        fprintf(stderr, "mmsim: out of memory\n");
        return NULL;
    }
    if (scn_suite_add_path(s, file, stderr) != 0 || scn_suite_count(s) == 0) {
        if (scn_suite_count(s) == 0)
            fprintf(stderr, "%s: no scenario\n", file);
        scn_suite_free(s);
        return NULL;
    }
    return s;
}

int cmd_view(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(view_usage, stdout);
        return CLI_OK;
    }
    view_args_t a;
    if (parse_args("view", view_usage, argc, argv, &a))
        return CLI_BAD_INPUT;
    if (a.last || a.all || a.out || a.html || a.canvas.w != 1400 || a.canvas.h != 900 || a.canvas.zoom != 1 || a.canvas.pan != 0)
        return usage_error("view", view_usage, "%s", "--last, --all, -o, --html, --size, --zoom and --pan belong to `mmsim render`");
    scn_suite_t *s = load(a.file);
    if (!s)
        return CLI_BAD_INPUT;
    long idx = pick_scenario(s, &a, "view");
    int rc = CLI_BAD_INPUT;
    if (idx >= 0) {
        char err[400];
        unsigned shown = 0;
        rc = viz_view_run(s, (size_t)idx, a.step < 0 ? 0 : (unsigned)a.step, a.keys, &shown, err, sizeof err)
                 ? CLI_FAIL
                 : CLI_OK;
        if (rc)
            fprintf(stderr, "mmsim view: %s\n", err);
        else if (a.keys)
            printf("closed at step %u\n", shown);
    }
    scn_suite_free(s);
    return rc;
}

typedef struct {
    const viz_renderer_t *font;
    const view_args_t *a;
    int failed;
} render_all_t;

static bool render_one(const viz_state_t *st, void *ctx)
{
    render_all_t *r = ctx;
    char path[4096], err[400];
    snprintf(path, sizeof path, "%s/step-%03u.png", r->a->out, st->step.number);
    if (viz_render_png(r->font, st, &r->a->canvas, path, err, sizeof err)) {
        fprintf(stderr, "mmsim render: %s\n", err);
        r->failed = 1;
        return false;
    }
    return true;
}

static int render(const scn_suite_t *s, size_t idx, const view_args_t *a)
{
    viz_scan_t scan;
    if (viz_scan(s, idx, &scan))
        return CLI_FAIL;
    if (a->step > (long)scan.total) {
        fprintf(stderr, "mmsim render: --step %ld: '%s' has steps 0 to %u\n", a->step, scn_suite_name(s, idx), scan.total);
        return CLI_BAD_INPUT;
    }
    if (a->all && mkdir(a->out, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "mmsim render: cannot make the folder %s: %s\n", a->out, strerror(errno));
        return CLI_FAIL;
    }
    char err[400];
    viz_renderer_t *font = viz_renderer_new(RENDER_FONT_PX, err, sizeof err);
    if (!font) {
        fprintf(stderr, "mmsim render: %s\n", err);
        return CLI_FAIL;
    }
    int rc = CLI_OK;
    if (a->all) {
        render_all_t r = {.font = font, .a = a};
        if (viz_each_step(s, idx, scan.total, render_one, &r) || r.failed)
            rc = CLI_FAIL;
    } else {
        viz_state_t st = {0};
        snprintf(err, sizeof err, "out of memory capturing the step");
        unsigned step = a->last ? scan.total : (unsigned)a->step;
        if (viz_capture(s, idx, step, scan.total, &st) || viz_render_png(font, &st, &a->canvas, a->out, err, sizeof err)) {
            fprintf(stderr, "mmsim render: %s\n", err);
            rc = CLI_FAIL;
        }
        viz_state_free(&st);
    }
    viz_renderer_free(font);
    return rc;
}

int cli_write_page(const scn_suite_t *s, size_t idx, const char *path, const viz_canvas_t *canvas, char *err,
                   size_t size)
{
    viz_canvas_t cv = canvas ? *canvas : (viz_canvas_t){.w = 1400, .h = 900, .zoom = 1};
    viz_renderer_t *font = viz_renderer_new(RENDER_FONT_PX, err, size);
    if (!font)
        return -1;
    /* The page's labels are laid out with the PNG font's advance, as the PNGs are. */
    viz_renderer_metrics(font, &cv.char_w, &cv.char_h);
    viz_renderer_free(font);
    scn_atomic_file_t out;
    if (scn_atomic_open(&out, path, err, size))
        return -1;
    if (viz_html_write(out.f, s, idx, &cv, err, size)) {
        scn_atomic_abort(&out);
        return -1;
    }
    return scn_atomic_commit(&out, err, size);
}

int cmd_render(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(render_usage, stdout);
        return CLI_OK;
    }
    view_args_t a;
    if (parse_args("render", render_usage, argc, argv, &a))
        return CLI_BAD_INPUT;
    if (a.html) {
        if (a.step >= 0 || a.last || a.all || a.out)
            return usage_error("render", render_usage, "%s", "--html writes every step: no --step, --last, --all or -o");
        if (a.keys)
            return usage_error("render", render_usage, "%s", "--keys belongs to `mmsim view`");
        setenv("SDL_VIDEODRIVER", "dummy", 0);
        scn_suite_t *s = load(a.file);
        if (!s)
            return CLI_BAD_INPUT;
        long idx = pick_scenario(s, &a, "render");
        int rc = CLI_BAD_INPUT;
        char err[400];
        if (idx >= 0) {
            rc = cli_write_page(s, (size_t)idx, a.html, &a.canvas, err, sizeof err) ? CLI_FAIL : CLI_OK;
            if (rc)
                fprintf(stderr, "mmsim render: %s\n", err);
        }
        scn_suite_free(s);
        return rc;
    }
    if ((a.step >= 0) + a.last + a.all != 1)
        return usage_error("render", render_usage, "%s", "say which step: one of --step N, --last, --all");
    if (!a.out)
        return usage_error("render", render_usage, "%s", "where to? -o OUT.png (or -o DIR with --all)");
    if (a.keys)
        return usage_error("render", render_usage, "%s", "--keys belongs to `mmsim view`");
    /* No display is needed; SDL must not go looking for one. */
    setenv("SDL_VIDEODRIVER", "dummy", 0);
    scn_suite_t *s = load(a.file);
    if (!s)
        return CLI_BAD_INPUT;
    long idx = pick_scenario(s, &a, "render");
    int rc = idx < 0 ? CLI_BAD_INPUT : render(s, (size_t)idx, &a);
    scn_suite_free(s);
    return rc;
}
