/* test_layout.c - the view's pure layout (viz/layout.c) on hand-made snapshots: blocks
 * and regions placed in proportion to their addresses, labels that never overlap,
 * every mapping drawn with its line to physical memory, ESP32's bank arrows, zoom and
 * pan, the cache and MMU grids and the status line.  No SDL, no machine. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "viz_layout.h"

#define W 1400
#define H 900
#define CHAR_W 8
#define CHAR_H 15

static viz_canvas_t canvas(void) { return (viz_canvas_t){.w = W, .h = H, .char_w = CHAR_W, .char_h = CHAR_H, .zoom = 1}; }

/* One 8 MB flash region at 0x42000000 with a 448 KB boot reservation (its app image
 * mapped at flash 0x10000), three blocks and an alias of the last one. */
static viz_state_t *flash_state(void)
{
    viz_state_t *s = calloc(1, sizeof *s);
    strcpy(s->chip, "esp32c6");
    strcpy(s->scenario, "test");
    s->page_size = 0x10000;
    s->flash_size = 16u << 20;
    s->nregions = 1;
    s->region[0] = (viz_region_t){.start = 0, .end = 0x800000, .free_head = 0x70000, .vaddr_start = 0x42000000,
                                  .bus = 9, .caps = 0x1f, .targets = VIZ_TARGET_FLASH, .max_slot = 0x800000 - 0x200000};
    s->block[s->nblocks++] = (viz_block_t){.region = 0, .boot = true, .laddr_start = 0, .laddr_end = 0x70000,
                                           .vaddr_start = 0x42000000, .paddr_start = 0x10000, .paddr_end = 0x80000,
                                           .target = VIZ_TARGET_FLASH, .caps = 0x1f};
    const uint32_t at[3] = {0x70000, 0x100000, 0x180000}, size[3] = {0x10000, 0x20000, 0x80000},
                   paddr[3] = {0x100000, 0x200000, 0x300000};
    for (int i = 0; i < 3; i++)
        s->block[s->nblocks++] = (viz_block_t){.region = 0, .laddr_start = at[i], .laddr_end = at[i] + size[i],
                                               .vaddr_start = 0x42000000 + at[i], .paddr_start = paddr[i],
                                               .paddr_end = paddr[i] + size[i], .target = VIZ_TARGET_FLASH, .caps = 0x12};
    s->step.number = 2;
    s->step.total = 5;
    strcpy(s->step.op, "map");
    strcpy(s->step.ret, "ESP_OK");
    strcpy(s->step.description, "Map 64 KB of flash.");
    return s;
}

/* An ESP32 with 8 MB of PSRAM: the 4 MB window, 8 bank pages (0 mapped to RAM block 3,
 * 1 unmapped with its entry left on RAM block 1, the rest on the boot's 1:1 mapping),
 * two per-CPU caches and MMU tables, and a hazard. */
static viz_state_t *esp32_state(void)
{
    viz_state_t *s = calloc(1, sizeof *s);
    strcpy(s->chip, "esp32");
    strcpy(s->scenario, "himem");
    s->page_size = 0x10000;
    s->flash_size = 4u << 20;
    s->psram_size = 8u << 20;
    s->nregions = 2;
    s->region[0] = (viz_region_t){.start = 0x1400000, .end = 0x1800000, .free_head = 0x1420000, .vaddr_start = 0x3F400000,
                                  .caps = 0x1a, .targets = VIZ_TARGET_FLASH, .max_slot = 0x3e0000};
    s->region[1] = (viz_region_t){.start = 0x1800000, .end = 0x1C00000, .free_head = 0x1C00000, .vaddr_start = 0x3F800000,
                                  .caps = 0x1e, .targets = VIZ_TARGET_PSRAM};
    s->block[s->nblocks++] = (viz_block_t){.region = 1, .boot = true, .laddr_start = 0x1800000, .laddr_end = 0x1C00000,
                                           .vaddr_start = 0x3F800000, .paddr_start = 0, .paddr_end = 0x400000,
                                           .target = VIZ_TARGET_PSRAM};
    viz_himem_t *h = &s->himem;
    h->present = true;
    h->psram_window_vaddr = 0x3F800000;
    h->psram_window_size = 0x400000;
    h->window_vaddr = 0x3FBC0000;
    h->page_size = 0x8000;
    h->pages = 8;
    h->ram_blocks = 136;
    h->ram_paddr = 0x3C0000;
    for (int p = 0; p < 8; p++)
        h->page[p] = (viz_bank_page_t){.translates = true, .paddr = 0x3C0000 + (uint32_t)p * 0x8000};
    h->page[0] = (viz_bank_page_t){.alloced = true, .mapped = true, .ram_block = 3, .translates = true, .paddr = 0x3C0000 + 3 * 0x8000};
    h->page[1] = (viz_bank_page_t){.alloced = true, .mapped = false, .ram_block = 1, .translates = true, .paddr = 0x3C0000 + 0x8000};
    s->ncaches = 2;
    for (int c = 0; c < 2; c++) {
        viz_cache_t *vc = &s->cache[c];
        snprintf(vc->name, sizeof vc->name, "cache CPU%d", c);
        vc->sets = 512;
        vc->ways = 2;
        vc->line_size = 32;
        vc->write_back = true;
        vc->lines = calloc(1024, sizeof *vc->lines);
    }
    s->cache[0].lines[0] = (viz_line_t){.valid = true, .key = 0x3FBC0000, .event = VIZ_EV_HIT};
    s->cache[0].lines[3] = (viz_line_t){.valid = true, .dirty = true, .key = 0x3FBC0020};
    s->cache[1].lines[5] = (viz_line_t){.valid = true, .key = 0x3F800040, .event = VIZ_EV_FILL};
    s->cache[1].lines[7] = (viz_line_t){.valid = true, .key = 0x3F800060, .event = VIZ_EV_WRITEBACK};
    s->nmmus = 2;
    for (int m = 0; m < 2; m++) {
        snprintf(s->mmu[m].name, sizeof s->mmu[m].name, "mmu0 CPU%d", m);
        s->mmu[m].entries = 1280;
        s->mmu[m].entry = calloc(1280, sizeof *s->mmu[m].entry);
        s->mmu[m].entry[1152] = (viz_entry_t){.valid = true, .target = VIZ_TARGET_PSRAM, .changed = true};
    }
    s->nhazards = s->hazards_total = 1;
    strcpy(s->hazard[0].kind, "use_after_unmap");
    strcpy(s->hazard[0].text, "step 3: use_after_unmap in cpu read");
    s->step = (viz_step_t){.number = 3, .total = 9, .has_addr = true, .addr = 0x3FBC0010};
    strcpy(s->step.op, "read");
    strcpy(s->step.ret, "ESP_OK");
    return s;
}

static void free_state(viz_state_t *s)
{
    viz_state_free(s);
    free(s);
}

static const viz_rect_t *find_rect(const viz_layout_t *l, viz_item_t item, int index)
{
    for (size_t i = 0; i < l->nrects; i++)
        if (l->rects[i].item == item && l->rects[i].index == index)
            return &l->rects[i];
    return NULL;
}

static const viz_line_seg_t *find_line(const viz_layout_t *l, viz_item_t item, int index)
{
    for (size_t i = 0; i < l->nlines; i++)
        if (l->lines[i].item == item && l->lines[i].index == index)
            return &l->lines[i];
    return NULL;
}

static void lay(const viz_state_t *s, const viz_canvas_t *cv, viz_layout_t *l)
{
    ck_assert_int_eq(viz_layout(s, cv, l), 0);
    ck_assert(!l->oom);
}

/* The state a test lays out, its canvas and its layout: the teardown frees them. */
static viz_state_t *s;
static viz_canvas_t cv;
static viz_layout_t l;

/* Lay `state` out on the default canvas (the test owns it from now on). */
static void open_view(viz_state_t *state)
{
    s = state;
    cv = canvas();
    lay(s, &cv, &l);
}

/* Lay the state out again, after the test changed it or the canvas. */
static void relay(void)
{
    viz_layout_free(&l);
    lay(s, &cv, &l);
}

static void teardown(void)
{
    viz_layout_free(&l);
    if (s)
        free_state(s);
    s = NULL;
}

START_TEST(test_blocks_in_proportion_to_their_addresses)
{
    open_view(flash_state());
    const viz_rect_t *region = find_rect(&l, VIZ_ITEM_REGION, 0);
    ck_assert_ptr_nonnull(region);
    ck_assert_int_gt(region->w, W / 2);
    double per_byte = (double)region->w / 0x800000;
    for (int i = 1; i < s->nblocks; i++) {
        const viz_block_t *b = &s->block[i];
        const viz_rect_t *r = find_rect(&l, VIZ_ITEM_BLOCK, i);
        ck_assert_ptr_nonnull(r);
        double want_x = region->x + b->laddr_start * per_byte, want_w = (b->laddr_end - b->laddr_start) * per_byte;
        ck_assert_msg(abs(r->x - (int)want_x) <= 1, "block %d at x %d, expected %.1f", i, r->x, want_x);
        ck_assert_msg(abs(r->w - (int)want_w) <= 2, "block %d %d wide, expected %.1f", i, r->w, want_w);
        /* inside its region's band */
        ck_assert_int_ge(r->y, region->y);
        ck_assert_int_le(r->y + r->h, region->y + region->h);
    }
    /* The reservation covers the region's start up to the free head. */
    const viz_rect_t *res = find_rect(&l, VIZ_ITEM_RESERVED, 0);
    ck_assert_ptr_nonnull(res);
    ck_assert_int_eq(res->x, region->x);
    ck_assert_int_le(abs(res->w - (int)(0x70000 * per_byte)), 2);
}
END_TEST

START_TEST(test_regions_stack_in_address_order)
{
    open_view(esp32_state());
    const viz_rect_t *r0 = find_rect(&l, VIZ_ITEM_REGION, 0), *r1 = find_rect(&l, VIZ_ITEM_REGION, 1);
    ck_assert_ptr_nonnull(r0);
    ck_assert_ptr_nonnull(r1);
    ck_assert_int_gt(r1->y, r0->y + r0->h);
    ck_assert_int_eq(r0->w, r1->w); /* each band spans its own region */
    /* Hover addresses run from the region's first to its last byte. */
    ck_assert_uint_eq(r1->addr0, 0x3F800000);
    ck_assert_uint_eq(r1->addr1, 0x3FC00000);
}
END_TEST

START_TEST(test_free_slots_and_the_largest_marked)
{
    open_view(flash_state());
    int free_slots = 0, largest = 0;
    for (size_t i = 0; i < l.nrects; i++)
        if (l.rects[i].item == VIZ_ITEM_FREE) {
            free_slots++;
            largest += l.rects[i].outline == VIZ_ROLE_LARGEST_FREE;
        }
    /* 0x80000-0x100000, 0x120000-0x180000 and 0x200000-0x800000 (the largest) */
    ck_assert_int_eq(free_slots, 3);
    ck_assert_int_eq(largest, 1);
    bool said = false;
    for (size_t i = 0; i < l.nlabels; i++)
        said |= strstr(l.labels[i].text, "largest free 6M") != NULL;
    ck_assert(said);
}
END_TEST

START_TEST(test_every_block_has_its_physical_line)
{
    s = flash_state();
    /* an alias of block 3's physical range */
    s->block[s->nblocks++] = (viz_block_t){.region = 0, .laddr_start = 0x300000, .laddr_end = 0x310000,
                                           .vaddr_start = 0x42300000, .paddr_start = 0x300000, .paddr_end = 0x310000,
                                           .target = VIZ_TARGET_FLASH, .alias = true};
    s->block[3].alias = true;
    open_view(s);
    const viz_rect_t *band = find_rect(&l, VIZ_ITEM_PHYS_BAND, VIZ_TARGET_FLASH);
    ck_assert_ptr_nonnull(band);
    for (int i = 0; i < s->nblocks; i++) {
        const viz_rect_t *b = find_rect(&l, VIZ_ITEM_BLOCK, i), *p = find_rect(&l, VIZ_ITEM_PHYS_RANGE, i);
        const viz_line_seg_t *ln = find_line(&l, VIZ_ITEM_BLOCK, i);
        ck_assert_msg(b && p && ln, "block %d: rect, physical range and line", i);
        ck_assert_int_ge(ln->x0, b->x);
        ck_assert_int_le(ln->x0, b->x + b->w);
        ck_assert_int_eq(ln->y0, b->y + b->h);
        ck_assert_int_ge(ln->x1, p->x);
        ck_assert_int_le(ln->x1, p->x + p->w);
        ck_assert_int_eq(ln->y1, band->y);
        /* physical range in proportion to the paddr */
        double want = band->x + (double)s->block[i].paddr_start * band->w / s->flash_size;
        ck_assert_int_le(abs(p->x - (int)want), 1);
        ck_assert_int_eq(p->fill, VIZ_ROLE_FLASH);
        if (s->block[i].alias) {
            ck_assert_int_eq(ln->role, VIZ_ROLE_ALIAS);
            ck_assert_int_eq(b->outline, VIZ_ROLE_ALIAS);
        }
    }
    /* The shared bytes, 0x300000-0x310000, over both ranges in the alias colour. */
    const viz_rect_t *shared = find_rect(&l, VIZ_ITEM_ALIAS_RANGE, 3);
    ck_assert_ptr_nonnull(shared);
    ck_assert_int_eq(shared->fill, VIZ_ROLE_ALIAS);
    ck_assert_int_eq(shared->x, find_rect(&l, VIZ_ITEM_PHYS_RANGE, 4)->x);
    ck_assert_int_le(abs(shared->w - find_rect(&l, VIZ_ITEM_PHYS_RANGE, 4)->w), 1);
    ck_assert_ptr_nonnull(strstr(shared->tip, "mapped twice"));
    /* a block mapped by the step is outlined as a change */
    s->block[1].fresh = true;
    relay();
    ck_assert_int_eq(find_rect(&l, VIZ_ITEM_BLOCK, 1)->outline, VIZ_ROLE_CHANGED);
}
END_TEST

static void assert_labels_apart(const viz_layout_t *l, const viz_canvas_t *cv)
{
    ck_assert_uint_gt(l->nlabels, 10);
    for (size_t i = 0; i < l->nlabels; i++) {
        const viz_label_t *a = &l->labels[i];
        ck_assert_msg(a->x >= 0 && a->y >= 0 && a->x + a->w <= cv->w && a->y + a->h <= cv->h, "label '%s' off the canvas",
                      a->text);
        ck_assert_int_eq(a->w, (int)strlen(a->text) * cv->char_w);
        for (size_t j = i + 1; j < l->nlabels; j++) {
            const viz_label_t *b = &l->labels[j];
            bool overlap = a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
            ck_assert_msg(!overlap, "labels '%s' and '%s' overlap", a->text, b->text);
        }
    }
}

START_TEST(test_labels_never_overlap)
{
    viz_state_t *states[2] = {flash_state(), esp32_state()};
    /* Crowded: many small blocks whose labels cannot all fit. */
    for (int i = 0; i < 60; i++)
        states[0]->block[states[0]->nblocks++] = (viz_block_t){
            .region = 0, .laddr_start = 0x200000 + (uint32_t)i * 0x10000, .laddr_end = 0x210000 + (uint32_t)i * 0x10000,
            .vaddr_start = 0x42200000 + (uint32_t)i * 0x10000, .paddr_start = (uint32_t)i * 0x10000,
            .paddr_end = (uint32_t)i * 0x10000 + 0x10000, .target = VIZ_TARGET_FLASH};
    const int sizes[][2] = {{W, H}, {800, 600}, {1920, 1080}, {500, 400}};
    for (int k = 0; k < 2; k++)
        for (int z = 0; z < 4; z++) {
            viz_canvas_t sized = canvas();
            sized.w = sizes[z][0];
            sized.h = sizes[z][1];
            sized.zoom = z == 2 ? 3 : 1;
            sized.pan = z == 2 ? 0.2 : 0;
            viz_layout_t laid = {0};
            lay(states[k], &sized, &laid);
            assert_labels_apart(&laid, &sized);
            viz_layout_free(&laid);
        }
    free_state(states[0]);
    free_state(states[1]);
}
END_TEST

START_TEST(test_esp32_bank_window_arrows)
{
    open_view(esp32_state());
    const int first_bank = (0x3FBC0000 - 0x3F800000) / 0x8000; /* 120 */
    int arrows = 0;
    for (size_t i = 0; i < l.nlines; i++)
        arrows += l.lines[i].item == VIZ_ITEM_BANK_PAGE && l.lines[i].arrow;
    ck_assert_int_eq(arrows, 8); /* every bank page's entry points somewhere */
    for (int b = 0; b < 8; b++) {
        const viz_line_seg_t *a = find_line(&l, VIZ_ITEM_BANK_PAGE, b);
        const viz_rect_t *page = find_rect(&l, VIZ_ITEM_BANK_PAGE, first_bank + b);
        const viz_rect_t *phys = find_rect(&l, VIZ_ITEM_BANK_PHYS, (int)(s->himem.page[b].paddr / 0x8000));
        ck_assert_ptr_nonnull(a);
        ck_assert_ptr_nonnull(page);
        ck_assert_ptr_nonnull(phys);
        ck_assert(a->arrow);
        ck_assert_int_ge(a->x0, page->x - 1);
        ck_assert_int_le(a->x0, page->x + page->w + 1);
        ck_assert_int_eq(a->y0, page->y + page->h);
        ck_assert_int_ge(a->x1, phys->x - 1);
        ck_assert_int_le(a->x1, phys->x + phys->w + 1);
        ck_assert_int_eq(a->y1, phys->y);
    }
    /* mapped: the bank colour, on both ends; released with the entry left: stale; the
     * boot's own mapping: neutral */
    ck_assert_int_eq(find_line(&l, VIZ_ITEM_BANK_PAGE, 0)->role, VIZ_ROLE_BANK);
    ck_assert_int_eq(find_rect(&l, VIZ_ITEM_BANK_PAGE, first_bank)->fill, VIZ_ROLE_BANK);
    ck_assert_int_eq(find_rect(&l, VIZ_ITEM_BANK_PHYS, (0x3C0000 + 3 * 0x8000) / 0x8000)->fill, VIZ_ROLE_BANK);
    ck_assert_int_eq(find_line(&l, VIZ_ITEM_BANK_PAGE, 1)->role, VIZ_ROLE_STALE);
    ck_assert_int_eq(find_line(&l, VIZ_ITEM_BANK_PAGE, 5)->role, VIZ_ROLE_FRAME);
    /* the window's bank pages sit at its top, the physical pages across all 8 MB */
    const viz_rect_t *last = find_rect(&l, VIZ_ITEM_BANK_PAGE, 127), *first = find_rect(&l, VIZ_ITEM_BANK_PAGE, 0);
    ck_assert_int_gt(find_rect(&l, VIZ_ITEM_BANK_PAGE, first_bank)->x, first->x + (last->x - first->x) * 9 / 10);
    ck_assert_ptr_nonnull(find_rect(&l, VIZ_ITEM_BANK_PHYS, 255));
    ck_assert_ptr_null(find_rect(&l, VIZ_ITEM_BANK_PHYS, 256));
    /* a page whose entry is invalid has no arrow */
    s->himem.page[2].translates = false;
    relay();
    ck_assert_ptr_null(find_line(&l, VIZ_ITEM_BANK_PAGE, 2));
    /* no himem, no bank panel */
    s->himem.present = false;
    relay();
    ck_assert_ptr_null(find_rect(&l, VIZ_ITEM_BANK_PAGE, 0));
}
END_TEST

START_TEST(test_zoom_and_pan_magnify_the_bands)
{
    open_view(flash_state());
    int w1 = find_rect(&l, VIZ_ITEM_BLOCK, 3)->w;
    const viz_rect_t *region = find_rect(&l, VIZ_ITEM_REGION, 0);
    int band_x = region->x, band_w = region->w;
    /* 4x from an eighth in: [0x100000, 0x300000) fills the band */
    cv.zoom = 4;
    cv.pan = 0.125;
    relay();
    ck_assert_ptr_null(find_rect(&l, VIZ_ITEM_BLOCK, 1)); /* 0x70000: left of the view */
    const viz_rect_t *b3 = find_rect(&l, VIZ_ITEM_BLOCK, 3);
    ck_assert_ptr_nonnull(b3);
    ck_assert_int_le(abs(b3->w - 4 * w1), 4);
    ck_assert_int_eq(find_rect(&l, VIZ_ITEM_REGION, 0)->x, band_x);
    ck_assert_int_eq(find_rect(&l, VIZ_ITEM_REGION, 0)->w, band_w);
    /* the band's hover range is the visible quarter */
    ck_assert_uint_eq(find_rect(&l, VIZ_ITEM_REGION, 0)->addr0, 0x42100000);
    ck_assert_int_le(abs((int)(find_rect(&l, VIZ_ITEM_REGION, 0)->addr1 - 0x42300000)), 0x2000);
    /* the block's line still starts on the block */
    const viz_line_seg_t *ln = find_line(&l, VIZ_ITEM_BLOCK, 3);
    ck_assert_int_ge(ln->x0, b3->x);
    ck_assert_int_le(ln->x0, b3->x + b3->w);
}
END_TEST

START_TEST(test_cache_lines_show_state_and_the_steps_events)
{
    open_view(esp32_state());
    int lines = 0;
    for (size_t i = 0; i < l.nrects; i++)
        lines += l.rects[i].item == VIZ_ITEM_CACHE_LINE;
    ck_assert_int_eq(lines, 2 * 1024);
    ck_assert_int_eq(find_rect(&l, VIZ_ITEM_CACHE_LINE, 0)->fill, VIZ_ROLE_HIT);
    ck_assert_int_eq(find_rect(&l, VIZ_ITEM_CACHE_LINE, 3)->fill, VIZ_ROLE_DIRTY);
    ck_assert_int_eq(find_rect(&l, VIZ_ITEM_CACHE_LINE, 1)->fill, VIZ_ROLE_INVALID);
    ck_assert_int_eq(find_rect(&l, VIZ_ITEM_CACHE_LINE, 65536 + 5)->fill, VIZ_ROLE_MISS);
    ck_assert_int_eq(find_rect(&l, VIZ_ITEM_CACHE_LINE, 65536 + 7)->fill, VIZ_ROLE_WRITEBACK);
    ck_assert_ptr_nonnull(strstr(find_rect(&l, VIZ_ITEM_CACHE_LINE, 3)->tip, "tag 0x3fbc0020"));
    ck_assert_ptr_nonnull(strstr(find_rect(&l, VIZ_ITEM_CACHE_LINE, 3)->tip, "dirty"));
    /* sets x ways: the two ways of set 0 side by side, set 1 after them */
    const viz_rect_t *w0 = find_rect(&l, VIZ_ITEM_CACHE_LINE, 0), *w1 = find_rect(&l, VIZ_ITEM_CACHE_LINE, 1),
                     *s1 = find_rect(&l, VIZ_ITEM_CACHE_LINE, 2);
    ck_assert_int_eq(w0->y, w1->y);
    ck_assert_int_gt(w1->x, w0->x);
    ck_assert_int_gt(s1->x, w1->x);
    /* MMU grids: every entry, the written one outlined */
    int entries = 0;
    for (size_t i = 0; i < l.nrects; i++)
        entries += l.rects[i].item == VIZ_ITEM_MMU_ENTRY;
    ck_assert_int_eq(entries, 2 * 1280);
    ck_assert_int_eq(find_rect(&l, VIZ_ITEM_MMU_ENTRY, 1152)->fill, VIZ_ROLE_PSRAM);
    ck_assert_int_eq(find_rect(&l, VIZ_ITEM_MMU_ENTRY, 1152)->outline, VIZ_ROLE_CHANGED);
    ck_assert_int_eq(find_rect(&l, VIZ_ITEM_MMU_ENTRY, 65536 + 3)->fill, VIZ_ROLE_INVALID);
}
END_TEST

START_TEST(test_status_ribbon_and_legend)
{
    open_view(esp32_state());
    /* a hazard: the status is framed in the fault colour and names it */
    const viz_rect_t *st = find_rect(&l, VIZ_ITEM_STATUS, 0);
    ck_assert_ptr_nonnull(st);
    ck_assert_int_eq(st->outline, VIZ_ROLE_FAULT);
    ck_assert_int_gt(st->y, H * 3 / 4);
    bool hazard = false, step = false;
    for (size_t i = 0; i < l.nlabels; i++) {
        hazard |= l.labels[i].role == VIZ_ROLE_FAULT && strstr(l.labels[i].text, "use_after_unmap");
        step |= strstr(l.labels[i].text, "step 3/9") == l.labels[i].text;
    }
    ck_assert(hazard);
    ck_assert(step);
    /* the ribbon: 0x3fbc0010 in a 32 KB PSRAM page, 32 B lines of 512 sets */
    for (int bit = 0; bit < 32; bit++) {
        const viz_rect_t *b0 = find_rect(&l, VIZ_ITEM_RIBBON_BIT, bit), *b1 = find_rect(&l, VIZ_ITEM_RIBBON_BIT, 32 + bit);
        ck_assert_ptr_nonnull(b0);
        ck_assert_ptr_nonnull(b1);
        ck_assert_int_eq(b0->fill, bit >= 15 ? VIZ_ROLE_FLASH : VIZ_ROLE_REGION);
        ck_assert_int_eq(b1->fill, bit >= 14 ? VIZ_ROLE_FLASH : bit >= 5 ? VIZ_ROLE_BANK : VIZ_ROLE_REGION);
        ck_assert_ptr_nonnull(strstr(b0->tip, (0x3FBC0010u >> bit) & 1 ? "= 1" : "= 0"));
    }
    /* the legend names every role it shows */
    int swatches = 0;
    for (size_t i = 0; i < l.nrects; i++)
        swatches += l.rects[i].item == VIZ_ITEM_LEGEND;
    ck_assert_int_eq(swatches, 15);
    /* no hazard: a plain frame */
    s->nhazards = s->hazards_total = 0;
    relay();
    ck_assert_int_eq(find_rect(&l, VIZ_ITEM_STATUS, 0)->outline, VIZ_ROLE_FRAME);
}
END_TEST

/* A long description (a YAML block with its own line breaks) is wrapped at word
 * boundaries into rows of the status, which grows upwards to hold them; past four
 * rows the last ends in "...". */
START_TEST(test_status_wraps_the_description)
{
    s = flash_state();
    cv = canvas();
    cv.w = 400; /* 48 characters a row */
    lay(s, &cv, &l);
    int short_y = find_rect(&l, VIZ_ITEM_STATUS, 0)->y;
    snprintf(s->step.description, sizeof s->step.description, "%s",
             "The second read hits the line the first one filled,\nso it returns the old bytes: nothing told the "
             "cache that the flash changed under it.");
    relay();
    const viz_rect_t *st = find_rect(&l, VIZ_ITEM_STATUS, 0);
    ck_assert_int_lt(st->y, short_y);
    const char *want[] = {"The second read hits the line the first one", "filled,",
                          "so it returns the old bytes: nothing told the", "cache that the flash changed under it."};
    size_t found = 0;
    for (size_t i = 0; i < l.nlabels; i++)
        for (size_t k = 0; k < 4; k++)
            if (!strcmp(l.labels[i].text, want[k])) {
                ck_assert_int_le(l.labels[i].w, cv.w - 16);
                found |= 1u << k;
            }
    ck_assert_uint_eq(found, 15);
    /* more than four rows: cut, and marked */
    snprintf(s->step.description, sizeof s->step.description, "%s", "one\ntwo\nthree\nfour\nfive");
    relay();
    bool marked = false;
    for (size_t i = 0; i < l.nlabels; i++) {
        ck_assert_str_ne(l.labels[i].text, "five");
        marked |= !strcmp(l.labels[i].text, "four...");
    }
    ck_assert(marked);
}
END_TEST

START_TEST(test_panels_toggle_and_help)
{
    s = esp32_state();
    cv = canvas();
    cv.hide = VIZ_PANEL_CACHE | VIZ_PANEL_HIMEM | VIZ_PANEL_BANDS;
    lay(s, &cv, &l);
    ck_assert_ptr_null(find_rect(&l, VIZ_ITEM_CACHE_LINE, 0));
    ck_assert_ptr_null(find_rect(&l, VIZ_ITEM_BANK_PAGE, 0));
    ck_assert_ptr_null(find_rect(&l, VIZ_ITEM_REGION, 0));
    ck_assert_ptr_nonnull(find_rect(&l, VIZ_ITEM_MMU_ENTRY, 0));
    cv.hide = 0;
    cv.help = true;
    relay();
    size_t n = 0;
    while (viz_help_lines[n])
        n++;
    ck_assert_uint_eq(l.nlabels, n + 1); /* a title and the keys */
    assert_labels_apart(&l, &cv);
}
END_TEST

START_TEST(test_same_input_same_picture_and_hover)
{
    s = esp32_state();
    cv = canvas();
    viz_layout_t a = {0}, b = {0};
    lay(s, &cv, &a);
    lay(s, &cv, &b);
    ck_assert_uint_eq(a.nrects, b.nrects);
    ck_assert_uint_eq(a.nlines, b.nlines);
    ck_assert_uint_eq(a.nlabels, b.nlabels);
    for (size_t i = 0; i < a.nrects; i++) {
        const viz_rect_t *p = &a.rects[i], *q = &b.rects[i];
        ck_assert(p->x == q->x && p->y == q->y && p->w == q->w && p->h == q->h && p->fill == q->fill &&
                  p->outline == q->outline && p->item == q->item && p->index == q->index && !strcmp(p->tip, q->tip));
    }
    for (size_t i = 0; i < a.nlines; i++) {
        const viz_line_seg_t *p = &a.lines[i], *q = &b.lines[i];
        ck_assert(p->x0 == q->x0 && p->y0 == q->y0 && p->x1 == q->x1 && p->y1 == q->y1 && p->role == q->role);
    }
    for (size_t i = 0; i < a.nlabels; i++)
        ck_assert(a.labels[i].x == b.labels[i].x && a.labels[i].y == b.labels[i].y &&
                  !strcmp(a.labels[i].text, b.labels[i].text));
    /* the hover finds the topmost rectangle: a cache line, not the background */
    const viz_rect_t *line = find_rect(&a, VIZ_ITEM_CACHE_LINE, 3);
    ck_assert_ptr_eq(viz_layout_hit(&a, line->x + line->w / 2, line->y + line->h / 2), line);
    ck_assert_ptr_null(viz_layout_hit(&a, W - 1, 0));
    viz_layout_free(&a);
    viz_layout_free(&b);
    /* a canvas too small for anything gives an empty picture, not a crash */
    cv.w = 0;
    lay(s, &cv, &a);
    ck_assert_uint_eq(a.nrects, 0);
    viz_layout_free(&a);
}
END_TEST

START_TEST(test_the_steps_address_is_ticked_on_its_band)
{
    s = flash_state();
    s->step.has_addr = true;
    s->step.addr = 0x42100000 + 0x8000; /* inside block 2 */
    open_view(s);
    const viz_line_seg_t *tick = find_line(&l, VIZ_ITEM_RIBBON_BIT, -1);
    const viz_rect_t *region = find_rect(&l, VIZ_ITEM_REGION, 0);
    ck_assert_ptr_nonnull(tick);
    ck_assert_int_eq(tick->x0, tick->x1);
    ck_assert_int_le(abs(tick->x0 - (region->x + (int)(0x108000 * (double)region->w / 0x800000))), 1);
    ck_assert_int_lt(tick->y0, region->y);
    ck_assert_int_gt(tick->y1, region->y + region->h);
    s->step.addr = 0x50000000; /* in no region */
    relay();
    ck_assert_ptr_null(find_line(&l, VIZ_ITEM_RIBBON_BIT, -1));
}
END_TEST

static Suite *layout_suite(void)
{
    Suite *s = suite_create("layout");
    TCase *tc = tcase_create("layout");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_blocks_in_proportion_to_their_addresses);
    tcase_add_test(tc, test_regions_stack_in_address_order);
    tcase_add_test(tc, test_free_slots_and_the_largest_marked);
    tcase_add_test(tc, test_every_block_has_its_physical_line);
    tcase_add_test(tc, test_labels_never_overlap);
    tcase_add_test(tc, test_esp32_bank_window_arrows);
    tcase_add_test(tc, test_zoom_and_pan_magnify_the_bands);
    tcase_add_test(tc, test_the_steps_address_is_ticked_on_its_band);
    tcase_add_test(tc, test_cache_lines_show_state_and_the_steps_events);
    tcase_add_test(tc, test_status_ribbon_and_legend);
    tcase_add_test(tc, test_status_wraps_the_description);
    tcase_add_test(tc, test_panels_toggle_and_help);
    tcase_add_test(tc, test_same_input_same_picture_and_hover);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return mmsim_check_run(layout_suite()); }
