/* test_render.c - the lessons rendered headless to PNG (SDL's dummy video driver, no
 * display) and read back with IMG_Load: the size, that the picture is not blank, and
 * the colours of known elements where the layout put them (legend swatches, cache
 * lines, MMU entries, the bank window, the status frame). */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <SDL_image.h>

#include "check_main.h"
#include "viz_render.h"
#include "viz_snapshot.h"

#define W 1400
#define H 900
#define LESSONS MMSIM_SOURCE_DIR "/scenarios/suites/lessons/"

static char out_dir[] = "/tmp/mmsim-test-render-XXXXXX";
static viz_renderer_t *font;
static viz_canvas_t cv;
/* The state a test renders and the picture it reads back: the teardown frees them. */
static viz_state_t state;
static SDL_Surface *picture;

static void setup(void)
{
    ck_assert_ptr_nonnull(mkdtemp(out_dir));
    char err[300] = "";
    font = viz_renderer_new(13, err, sizeof err);
    ck_assert_msg(font != NULL, "%s", err);
    cv = (viz_canvas_t){.w = W, .h = H, .zoom = 1};
    viz_renderer_metrics(font, &cv.char_w, &cv.char_h);
}

static void teardown(void)
{
    SDL_FreeSurface(picture);
    picture = NULL;
    viz_state_free(&state);
    viz_renderer_free(font);
    font = NULL;
    rmdir(out_dir);
    strcpy(out_dir, "/tmp/mmsim-test-render-XXXXXX");
}

/* The suite of one lesson file, with its one scenario. */
static scn_suite_t *lesson(const char *file)
{
    scn_suite_t *s = scn_suite_new();
    ck_assert_uint_eq(scn_suite_add_path(s, file, stderr), 0);
    ck_assert_uint_eq(scn_suite_count(s), 1);
    return s;
}

static SDL_Surface *render_and_load(const viz_state_t *st, const char *name)
{
    char path[300], err[300] = "";
    snprintf(path, sizeof path, "%s/%s.png", out_dir, name);
    ck_assert_msg(viz_render_png(font, st, &cv, path, err, sizeof err) == 0, "%s", err);
    SDL_Surface *img = IMG_Load(path);
    ck_assert_msg(img != NULL, "IMG_Load %s: %s", path, IMG_GetError());
    unlink(path);
    SDL_Surface *argb = SDL_ConvertSurfaceFormat(img, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(img);
    ck_assert_ptr_nonnull(argb);
    return argb;
}

static viz_rgb_t pixel(const SDL_Surface *img, int x, int y)
{
    Uint32 px = ((const Uint32 *)((const Uint8 *)img->pixels + (size_t)y * (size_t)img->pitch))[x];
    viz_rgb_t c;
    SDL_GetRGB(px, img->format, &c.r, &c.g, &c.b);
    return c;
}

static void assert_colour(const SDL_Surface *img, int x, int y, viz_role_t role, const char *what)
{
    viz_rgb_t got = pixel(img, x, y), want = viz_role_rgb(role);
    ck_assert_msg(got.r == want.r && got.g == want.g && got.b == want.b,
                  "%s at (%d, %d): got %d,%d,%d, expected %s %d,%d,%d", what, x, y, got.r, got.g, got.b,
                  viz_role_name(role), want.r, want.g, want.b);
}

/* Size, not blank, and every element of the layout that no label or line can cover
 * shows its colour at its centre. */
static void check_picture(const SDL_Surface *img, const viz_state_t *st)
{
    ck_assert_int_eq(img->w, W);
    ck_assert_int_eq(img->h, H);
    /* not blank: many colours, and text drawn */
    int colours = 0;
    Uint32 seen[64];
    for (int y = 0; y < H && colours < 64; y += 3)
        for (int x = 0; x < W && colours < 64; x += 3) {
            Uint32 px = ((const Uint32 *)((const Uint8 *)img->pixels + (size_t)y * (size_t)img->pitch))[x];
            int k = 0;
            while (k < colours && seen[k] != px)
                k++;
            if (k == colours)
                seen[colours++] = px;
        }
    ck_assert_int_ge(colours, 12);
    viz_layout_t l = {0};
    ck_assert_int_eq(viz_layout(st, &cv, &l), 0);
    int checked = 0;
    for (size_t i = 0; i < l.nrects; i++) {
        const viz_rect_t *r = &l.rects[i];
        bool grid = r->item == VIZ_ITEM_CACHE_LINE || r->item == VIZ_ITEM_MMU_ENTRY || r->item == VIZ_ITEM_LEGEND ||
                    r->item == VIZ_ITEM_BANK_PAGE;
        if (!grid || r->w < 3 || r->h < 3 || r->fill == VIZ_ROLE_NONE)
            continue;
        assert_colour(img, r->x + r->w / 2, r->y + r->h / 2, r->fill, r->tip[0] ? r->tip : "a legend swatch");
        checked++;
    }
    ck_assert_int_gt(checked, 100);
    /* the status frame: the fault colour when the step raised a hazard */
    for (size_t i = 0; i < l.nrects; i++)
        if (l.rects[i].item == VIZ_ITEM_STATUS)
            assert_colour(img, l.rects[i].x, l.rects[i].y + l.rects[i].h / 2,
                          st->hazards_total || st->step.failure[0] ? VIZ_ROLE_FAULT : VIZ_ROLE_FRAME, "status frame");
    viz_layout_free(&l);
}

static void render_lesson_step(const char *file, int step, viz_state_t *st)
{
    scn_suite_t *s = lesson(file);
    viz_scan_t scan;
    ck_assert_int_eq(viz_scan(s, 0, &scan), 0);
    ck_assert(scan.passed);
    unsigned n = step < 0 ? scan.total : (unsigned)step;
    ck_assert_int_eq(viz_capture(s, 0, n, scan.total, st), 0);
    ck_assert_uint_eq(st->step.number, n);
    ck_assert_uint_eq(st->step.total, scan.total);
    scn_suite_free(s);
}

START_TEST(test_every_lesson_renders_at_boot_and_last_step)
{
    static const char *const files[] = {"himem-bank-switch.yaml",  "mmap-placement.yaml",    "stale-after-flash-write.yaml",
                                        "dma-without-msync.yaml",  "alias-hazard.yaml",      "lcd-framebuffer-psram.yaml",
                                        "camera-frame-psram.yaml"};
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++)
        for (int step = -1; step <= 0; step++) {
            char path[400];
            snprintf(path, sizeof path, "%s%s", LESSONS, files[f]);
            viz_state_t at = {0};
            render_lesson_step(path, step, &at);
            SDL_Surface *pic = render_and_load(&at, files[f]);
            check_picture(pic, &at);
            SDL_FreeSurface(pic);
            viz_state_free(&at);
        }
}
END_TEST

START_TEST(test_hazard_step_is_framed_in_the_fault_colour)
{
    /* step 4 of the DMA lesson: DMA reads 4 bytes of PSRAM the CPU holds dirty, a line
     * the CPU wrote whole (dma_stale, then dma_unaligned) */
    render_lesson_step(LESSONS "dma-without-msync.yaml", 4, &state);
    ck_assert_int_eq(state.hazards_total, 2);
    ck_assert_str_eq(state.hazard[0].kind, "dma_stale");
    ck_assert_str_eq(state.hazard[1].kind, "dma_unaligned");
    picture = render_and_load(&state, "dma");
    check_picture(picture, &state);
}
END_TEST

START_TEST(test_himem_bank_in_its_colour)
{
    /* step 4 of the himem lesson: the window page points at RAM block 0 */
    render_lesson_step(LESSONS "himem-bank-switch.yaml", 4, &state);
    ck_assert(state.himem.present);
    ck_assert(state.himem.page[0].mapped);
    picture = render_and_load(&state, "himem");
    viz_layout_t l = {0};
    ck_assert_int_eq(viz_layout(&state, &cv, &l), 0);
    int first_bank = (int)((state.himem.window_vaddr - state.himem.psram_window_vaddr) / state.himem.page_size);
    bool page = false, phys = false;
    for (size_t i = 0; i < l.nrects; i++) {
        const viz_rect_t *r = &l.rects[i];
        if (r->item == VIZ_ITEM_BANK_PAGE && r->index == first_bank) {
            assert_colour(picture, r->x + r->w / 2, r->y + r->h / 2, VIZ_ROLE_BANK, "mapped bank window page");
            page = true;
        }
        if (r->item == VIZ_ITEM_BANK_PHYS && (uint32_t)r->index == state.himem.page[0].paddr / state.himem.page_size) {
            assert_colour(picture, r->x + r->w / 2, r->y + r->h / 2, VIZ_ROLE_BANK, "the bank it points at");
            phys = true;
        }
    }
    ck_assert(page && phys);
    /* the arrow's first pixel, just under the page */
    bool arrow = false;
    for (size_t i = 0; i < l.nlines; i++)
        if (l.lines[i].item == VIZ_ITEM_BANK_PAGE && l.lines[i].index == 0) {
            assert_colour(picture, l.lines[i].x0, l.lines[i].y0, VIZ_ROLE_BANK, "bank arrow");
            arrow = true;
        }
    ck_assert(arrow);
    viz_layout_free(&l);
}
END_TEST

START_TEST(test_same_step_same_pixels)
{
    render_lesson_step(LESSONS "alias-hazard.yaml", 4, &state);
    SDL_Surface *a = render_and_load(&state, "a"), *b = render_and_load(&state, "b");
    ck_assert_int_eq(a->pitch, b->pitch);
    ck_assert_mem_eq(a->pixels, b->pixels, (size_t)a->pitch * (size_t)a->h);
    SDL_FreeSurface(a);
    SDL_FreeSurface(b);
}
END_TEST

START_TEST(test_png_to_a_missing_folder_fails_with_a_message)
{
    render_lesson_step(LESSONS "alias-hazard.yaml", 0, &state);
    char err[300] = "";
    ck_assert_int_eq(viz_render_png(font, &state, &cv, "/nonexistent-dir/x.png", err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent-dir/x.png"));
}
END_TEST

static Suite *render_suite(void)
{
    Suite *s = suite_create("render");
    TCase *tc = tcase_create("render");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_every_lesson_renders_at_boot_and_last_step);
    tcase_add_test(tc, test_hazard_step_is_framed_in_the_fault_colour);
    tcase_add_test(tc, test_himem_bank_in_its_colour);
    tcase_add_test(tc, test_same_step_same_pixels);
    tcase_add_test(tc, test_png_to_a_missing_folder_fails_with_a_message);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return mmsim_check_run(render_suite()); }
