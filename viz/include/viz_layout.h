/* viz_layout.h - the view's model: a plain snapshot of one step of a scenario (what
 * the machine and the drivers hold after it), and the pure layout that turns a
 * snapshot and a canvas size into rectangles, lines and labels with colour roles.
 *
 * Nothing here knows SDL (DESIGN.md rule 4): viz_snapshot.h fills the snapshot from
 * the inspection API, render.c draws the layout.  The layout measures text with the
 * fixed advance of a monospace font, given in the canvas, so it is exact for the
 * renderer's font and testable without it. */
#ifndef MMSIM_VIZ_LAYOUT_H
#define MMSIM_VIZ_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- the snapshot ------------------------------------------------------------------ */

#define VIZ_MAX_REGIONS 8
#define VIZ_MAX_BLOCKS 512      /* mapped blocks and boot mappings together */
#define VIZ_MAX_CACHES 8        /* cache instances (per-core caches count once per core) */
#define VIZ_MAX_MMUS 4          /* MMU tables (ESP32: one per CPU; P4: one per target) */
#define VIZ_MAX_HAZARDS 8
#define VIZ_MAX_BANK_PAGES 128  /* himem window pages */
#define VIZ_TEXT 160

#define VIZ_TARGET_FLASH 0x1u   /* as MMSIM_TARGET_* */
#define VIZ_TARGET_PSRAM 0x2u

typedef struct {
    uint32_t start, end;        /* linear addresses, end exclusive */
    uint32_t free_head;         /* [start, free_head): the boot reservation */
    uint32_t vaddr_start;       /* start as a virtual address */
    uint32_t bus, caps, targets;
    uint32_t max_slot;          /* largest free slot, bytes */
} viz_region_t;

typedef struct {
    int region;                 /* index in regions[] */
    bool boot;                  /* mapped by the start-up code inside the boot reservation */
    uint32_t laddr_start, laddr_end;
    uint32_t vaddr_start;
    uint32_t paddr_start, paddr_end;
    uint32_t target, caps;
    bool alias;                 /* its physical range overlaps another block's (PADDR_SHARED, aliases) */
    bool fresh;                 /* mapped by this step */
} viz_block_t;

/* What a cache line went through during the step, from the line before and after. */
typedef enum {
    VIZ_EV_NONE = 0,
    VIZ_EV_HIT,                 /* same line, used again */
    VIZ_EV_FILL,                /* a miss brought a new line in */
    VIZ_EV_WRITEBACK,           /* dirty bytes went out to memory (written back or evicted) */
    VIZ_EV_INVALIDATED,         /* a valid line was dropped */
} viz_event_t;

typedef struct {
    uint32_t key, paddr, target;
    bool valid, dirty, stale;
    uint8_t head[8];            /* the first bytes it holds */
    uint64_t lru;
    viz_event_t event;
} viz_line_t;

typedef struct {
    char name[24];              /* "dcache", "cache (CPU1)" */
    uint32_t sets, ways, line_size;
    bool write_back;
    viz_line_t *lines;          /* sets * ways, index set * ways + way */
} viz_cache_t;

typedef struct {
    bool valid, changed;        /* changed: written during the step */
    uint32_t target, paddr;
    uint32_t raw;
} viz_entry_t;

typedef struct {
    char name[24];              /* "mmu0 CPU0", "mmu1 (psram)" */
    uint32_t entries;
    viz_entry_t *entry;
} viz_mmu_t;

typedef struct {
    bool alloced, mapped;       /* himem's bookkeeping of the page */
    int ram_block;              /* what it maps or mapped last */
    bool translates;            /* the MMU entry (CPU 0) is valid ... */
    uint32_t paddr;             /* ... and points here */
} viz_bank_page_t;

typedef struct {
    bool present;               /* ESP32 with himem */
    uint32_t psram_window_vaddr;/* the 4 MB data window */
    uint32_t psram_window_size;
    uint32_t window_vaddr;      /* first bank window page */
    uint32_t page_size;
    int pages;
    int ram_blocks;
    uint32_t ram_paddr;         /* PSRAM address of RAM block 0 */
    viz_bank_page_t page[VIZ_MAX_BANK_PAGES];
} viz_himem_t;

typedef struct {
    char kind[24];              /* "stale_read" */
    char text[VIZ_TEXT * 2];
} viz_hazard_t;

typedef struct {
    unsigned number, total;     /* step number (0 = boot) of total operations */
    char label[48];             /* "5.2 i=3" inside repeat blocks, else "" */
    char op[32];
    char description[VIZ_TEXT * 4]; /* may hold line breaks: the status wraps it */
    char args[VIZ_TEXT];
    char ret[40];
    char failure[VIZ_TEXT * 2]; /* "" if its expectations held */
    uint64_t cycles;
    uint32_t core;
    bool has_addr;              /* the step named a virtual address ... */
    uint32_t addr;              /* ... this one */
} viz_step_t;

typedef struct {
    char chip[24];
    char scenario[VIZ_TEXT];
    uint32_t page_size;         /* the MMU page size in force */
    uint32_t flash_size, psram_size;
    int nregions;
    viz_region_t region[VIZ_MAX_REGIONS];
    int nblocks;
    viz_block_t block[VIZ_MAX_BLOCKS];
    int ncaches;
    viz_cache_t cache[VIZ_MAX_CACHES];
    int nmmus;
    viz_mmu_t mmu[VIZ_MAX_MMUS];
    viz_himem_t himem;
    int nhazards, hazards_total;
    viz_hazard_t hazard[VIZ_MAX_HAZARDS];
    viz_step_t step;
} viz_state_t;

/* Release the arrays a snapshot owns (lines, entries) and zero it.  NULL is ignored. */
void viz_state_free(viz_state_t *s);

/* ---- the layout -------------------------------------------------------------------- */

/* Colour roles: one grammar for every panel, listed in the legend. */
typedef enum {
    VIZ_ROLE_NONE = 0,
    VIZ_ROLE_BG,
    VIZ_ROLE_PANEL,
    VIZ_ROLE_FRAME,
    VIZ_ROLE_TEXT,
    VIZ_ROLE_TEXT_DIM,
    VIZ_ROLE_REGION,            /* a region's free space */
    VIZ_ROLE_RESERVED,          /* the boot reservation */
    VIZ_ROLE_LARGEST_FREE,      /* outline of the largest free slot */
    VIZ_ROLE_FLASH,             /* flash: blocks, bands, entries */
    VIZ_ROLE_PSRAM,
    VIZ_ROLE_ALIAS,             /* shared physical range, alias */
    VIZ_ROLE_INVALID,           /* invalid entry, empty line */
    VIZ_ROLE_VALID,             /* a clean valid line */
    VIZ_ROLE_DIRTY,
    VIZ_ROLE_STALE,             /* a stale line; a bank page released but still pointed at */
    VIZ_ROLE_HIT,
    VIZ_ROLE_MISS,              /* miss and fill */
    VIZ_ROLE_WRITEBACK,
    VIZ_ROLE_FAULT,             /* hazards, failures, invalidated lines */
    VIZ_ROLE_BANK,              /* himem bank window */
    VIZ_ROLE_CHANGED,           /* outline of what the step changed */
    VIZ_ROLE_COUNT
} viz_role_t;

typedef struct {
    uint8_t r, g, b;
} viz_rgb_t;

/* The colour of a role (the palette of the renderer and of the tests). */
viz_rgb_t viz_role_rgb(viz_role_t role);
const char *viz_role_name(viz_role_t role);

/* What a rectangle or line stands for, so tests and the view's hover can find it. */
typedef enum {
    VIZ_ITEM_NONE = 0,
    VIZ_ITEM_REGION,            /* index: region */
    VIZ_ITEM_RESERVED,          /* index: region */
    VIZ_ITEM_FREE,              /* index: region */
    VIZ_ITEM_BLOCK,             /* index: block */
    VIZ_ITEM_PHYS_BAND,         /* index: target (VIZ_TARGET_*) */
    VIZ_ITEM_PHYS_RANGE,        /* index: block */
    VIZ_ITEM_ALIAS_RANGE,       /* index: the first of two blocks sharing these physical bytes */
    VIZ_ITEM_MMU_ENTRY,         /* index: mmu * 65536 + entry */
    VIZ_ITEM_CACHE_LINE,        /* index: cache * 65536 + line */
    VIZ_ITEM_BANK_PAGE,         /* index: window page of the 4 MB PSRAM window */
    VIZ_ITEM_BANK_PHYS,         /* index: 32 KB physical PSRAM page */
    VIZ_ITEM_RIBBON_BIT,        /* index: row * 32 + bit */
    VIZ_ITEM_LEGEND,            /* index: role */
    VIZ_ITEM_STATUS,
    VIZ_ITEM_PANEL,
} viz_item_t;

typedef struct {
    int x, y, w, h;
    viz_role_t fill, outline;   /* VIZ_ROLE_NONE: not drawn */
    viz_item_t item;
    int index;
    uint32_t addr0, addr1;      /* the address range across the width (hover), or 0, 0 */
    char tip[VIZ_TEXT];         /* hover text, "" if none */
} viz_rect_t;

typedef struct {
    int x0, y0, x1, y1;
    viz_role_t role;
    bool arrow;                 /* a head at (x1, y1) */
    viz_item_t item;            /* VIZ_ITEM_BLOCK (block to physical), VIZ_ITEM_BANK_PAGE (bank arrow) */
    int index;
} viz_line_seg_t;

typedef struct {
    int x, y, w, h;             /* w = characters * char_w */
    viz_role_t role;
    char text[VIZ_TEXT];
} viz_label_t;

/* Panels the view can switch off (bits of viz_canvas_t.hide). */
enum {
    VIZ_PANEL_BANDS = 1u << 0,
    VIZ_PANEL_HIMEM = 1u << 1,
    VIZ_PANEL_RIBBON = 1u << 2,
    VIZ_PANEL_MMU = 1u << 3,
    VIZ_PANEL_CACHE = 1u << 4,
    VIZ_PANEL_LEGEND = 1u << 5,
};

typedef struct {
    int w, h;                   /* pixels */
    int char_w, char_h;         /* the font's advance and line height */
    double zoom;                /* >= 1: magnification of the address bands */
    double pan;                 /* 0..1: left edge of the band view, as a fraction of each band */
    unsigned hide;              /* VIZ_PANEL_* bits */
    bool help;                  /* draw the key help over everything */
} viz_canvas_t;

typedef struct {
    viz_rect_t *rects;
    size_t nrects, cap_rects;
    viz_line_seg_t *lines;
    size_t nlines, cap_lines;
    viz_label_t *labels;
    size_t nlabels, cap_labels;
    bool oom;                   /* an allocation failed: the layout is incomplete */
} viz_layout_t;

/* Lay out `s` on the canvas into *out (emptied first; keep it for the next call to
 * reuse its arrays).  Items are listed in drawing order; labels never overlap each
 * other and lie inside the canvas.  0, or -1 out of memory. */
int viz_layout(const viz_state_t *s, const viz_canvas_t *canvas, viz_layout_t *out);
void viz_layout_free(viz_layout_t *l);

/* The topmost rectangle at (x, y) with a hover text, or NULL. */
const viz_rect_t *viz_layout_hit(const viz_layout_t *l, int x, int y);

/* The key help the view shows with `?`, one line per key, NULL-terminated. */
extern const char *const viz_help_lines[];

#endif
