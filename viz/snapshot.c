/* snapshot.c - the view's snapshot of a machine after a step, read through the
 * inspection API only: mmsim.h for the machine, and the driver's esp_mm_inspect.h for
 * its blocks and himem's bank window (those read the current machine's driver, and the
 * step's machine is current while the step callback runs, scn.h).  Also the runs that
 * reach a given step of a scenario. */
#include "viz_snapshot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esp_private/esp_mm_inspect.h"
#include "mmsim.h"

/* Boot mappings are found by translating the boot reservation at this stride: the
 * smallest page of any chip (ESP32's PSRAM window has 32 KB pages). */
#define BOOT_SCAN_STRIDE 0x1000u

static void copy_text(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

/* The virtual address a step names, from its evaluated arguments. */
static bool step_address(const char *args, uint32_t *addr)
{
    static const char *const keys[] = {"vaddr=", "ptr=", NULL};
    for (int k = 0; keys[k]; k++) {
        for (const char *p = strstr(args, keys[k]); p; p = strstr(p + 1, keys[k])) {
            if (p != args && p[-1] != ' ')
                continue;
            char *end;
            unsigned long v = strtoul(p + strlen(keys[k]), &end, 0);
            if (end != p + strlen(keys[k])) {
                *addr = (uint32_t)v;
                return true;
            }
        }
    }
    return false;
}

static void take_step(viz_state_t *s, const scn_step_info_t *step)
{
    viz_step_t *t = &s->step;
    t->number = step->number;
    /* The label is worth showing only where it is not the step number: in repeat blocks. */
    char number[16];
    snprintf(number, sizeof number, "%u", step->number);
    if (step->number && strcmp(step->label, number))
        snprintf(t->label, sizeof t->label, "%s%s%s", step->label, step->iteration[0] ? " " : "", step->iteration);
    copy_text(t->op, sizeof t->op, step->op);
    copy_text(t->description, sizeof t->description, step->description);
    copy_text(t->args, sizeof t->args, step->args);
    copy_text(t->ret, sizeof t->ret, step->ret_name);
    copy_text(t->failure, sizeof t->failure, step->ok ? "" : step->failure[0] ? step->failure : "failed");
    /* A failure message ends with a newline. */
    t->failure[strcspn(t->failure, "\n")] = '\0';
    t->cycles = step->cycles;
    t->core = step->core;
    t->has_addr = step_address(step->args, &t->addr);
}

static void add_block(viz_state_t *s, const viz_block_t *b)
{
    if (s->nblocks < VIZ_MAX_BLOCKS)
        s->block[s->nblocks++] = *b;
}

/* The pages of the boot reservation that translate, as runs of consecutive physical
 * addresses (the app's code and rodata, the PSRAM heap, himem's bank pages). */
static void take_boot_mappings(viz_state_t *s, const mmsim_t *m, int r)
{
    const viz_region_t *g = &s->region[r];
    viz_block_t run = {0};
    bool open = false;
    for (uint32_t l = g->start; l < g->free_head; l += BOOT_SCAN_STRIDE) {
        uint32_t paddr = 0, target = 0;
        bool mapped = mmsim_translate(m, 0, g->vaddr_start + (l - g->start), &paddr, &target) == 0;
        if (open && (!mapped || target != run.target || paddr != run.paddr_end)) {
            add_block(s, &run);
            open = false;
        }
        if (!mapped)
            continue;
        if (!open) {
            run = (viz_block_t){.region = r, .boot = true, .laddr_start = l, .vaddr_start = g->vaddr_start + (l - g->start),
                                .paddr_start = paddr, .target = target, .caps = g->caps};
            open = true;
        }
        run.laddr_end = l + BOOT_SCAN_STRIDE;
        run.paddr_end = paddr + BOOT_SCAN_STRIDE;
    }
    if (open)
        add_block(s, &run);
}

/* A driver block the snapshot before did not have. */
static bool fresh_block(const viz_state_t *prev, const viz_block_t *b)
{
    if (!prev || b->boot)
        return false;
    for (int i = 0; i < prev->nblocks; i++) {
        const viz_block_t *p = &prev->block[i];
        if (!p->boot && p->vaddr_start == b->vaddr_start && p->laddr_end == b->laddr_end &&
            p->paddr_start == b->paddr_start && p->target == b->target)
            return false;
    }
    return true;
}

static void take_regions(viz_state_t *s, const mmsim_t *m, const viz_state_t *prev)
{
    int n = esp_mmu_map_region_count();
    for (int r = 0; r < n && s->nregions < VIZ_MAX_REGIONS; r++) {
        esp_mmu_map_region_info_t info;
        if (esp_mmu_map_region_info(r, &info) != ESP_OK)
            continue;
        int ri = s->nregions++;
        s->region[ri] = (viz_region_t){.start = info.start, .end = info.end, .free_head = info.free_head,
                                       .vaddr_start = info.vaddr_start, .bus = info.bus_id, .caps = (uint32_t)info.caps,
                                       .targets = info.targets, .max_slot = (uint32_t)info.max_slot_size};
        take_boot_mappings(s, m, ri);
        for (int b = 0; b < info.block_count; b++) {
            esp_mmu_map_block_info_t bi;
            if (esp_mmu_map_block_info(r, b, &bi) != ESP_OK)
                continue;
            add_block(s, &(viz_block_t){.region = ri, .laddr_start = bi.laddr_start, .laddr_end = bi.laddr_end,
                                        .vaddr_start = bi.vaddr_start, .paddr_start = bi.paddr_start,
                                        .paddr_end = bi.paddr_end, .target = bi.target, .caps = (uint32_t)bi.caps});
        }
    }
    /* Two mappings of one physical byte: what PADDR_SHARED allows and aliases are. */
    for (int i = 0; i < s->nblocks; i++) {
        s->block[i].fresh = fresh_block(prev, &s->block[i]);
        for (int j = i + 1; j < s->nblocks; j++) {
            viz_block_t *a = &s->block[i], *b = &s->block[j];
            if (a->target == b->target && a->paddr_start < b->paddr_end && b->paddr_start < a->paddr_end)
                a->alias = b->alias = true;
        }
    }
}

static const viz_line_t *prev_line(const viz_state_t *prev, int c, uint32_t i, const viz_cache_t *now)
{
    if (!prev || c >= prev->ncaches || strcmp(prev->cache[c].name, now->name) ||
        prev->cache[c].sets * prev->cache[c].ways <= i)
        return NULL;
    return &prev->cache[c].lines[i];
}

/* A dirty line that is still valid but clean, or replaced, went out to memory; one
 * that is gone was invalidated (the hazard log says whether its bytes were lost). */
static viz_event_t line_event(const viz_line_t *before, const viz_line_t *now)
{
    if (!before)
        return VIZ_EV_NONE;
    bool same = before->valid && now->valid && before->key == now->key;
    if (before->valid && before->dirty && now->valid && (!same || !now->dirty))
        return VIZ_EV_WRITEBACK;
    if (now->valid && !same)
        return VIZ_EV_FILL;
    if (before->valid && !now->valid)
        return VIZ_EV_INVALIDATED;
    if (same && now->lru != before->lru)
        return VIZ_EV_HIT;
    return VIZ_EV_NONE;
}

static int take_caches(viz_state_t *s, const mmsim_t *m, const viz_state_t *prev)
{
    uint32_t n = mmsim_cache_count(m);
    for (uint32_t c = 0; c < n; c++) {
        mmsim_cache_info_t info;
        if (mmsim_cache_info(m, c, &info))
            continue;
        uint32_t instances = info.per_core ? mmsim_cores(m) : 1;
        for (uint32_t core = 0; core < instances && s->ncaches < VIZ_MAX_CACHES; core++) {
            int ci = s->ncaches;
            viz_cache_t *vc = &s->cache[ci];
            if (info.per_core)
                snprintf(vc->name, sizeof vc->name, "%s CPU%u", info.name, (unsigned)core);
            else
                snprintf(vc->name, sizeof vc->name, "%s", info.name);
            vc->sets = info.sets;
            vc->ways = info.ways;
            vc->line_size = info.line_size;
            vc->write_back = info.write_back != 0;
            vc->lines = calloc((size_t)info.sets * info.ways, sizeof *vc->lines);
            if (!vc->lines)
                return -1;
            s->ncaches++;
            for (uint32_t i = 0; i < info.sets * info.ways; i++) {
                mmsim_cache_line_t l;
                if (mmsim_cache_line(m, c, core, i, &l))
                    continue;
                viz_line_t *v = &vc->lines[i];
                *v = (viz_line_t){.key = l.key, .paddr = l.paddr, .target = l.target, .valid = l.valid != 0,
                                  .dirty = l.dirty != 0, .stale = l.stale != 0, .lru = l.lru};
                if (l.valid && l.data)
                    memcpy(v->head, l.data, info.line_size < sizeof v->head ? info.line_size : sizeof v->head);
                v->event = line_event(prev_line(prev, ci, i, vc), v);
            }
        }
    }
    return 0;
}

static int take_mmus(viz_state_t *s, const mmsim_t *m, const viz_state_t *prev)
{
    uint32_t n = mmsim_mmu_count(m);
    for (uint32_t u = 0; u < n; u++) {
        mmsim_mmu_info_t info;
        if (mmsim_mmu_info(m, u, &info))
            continue;
        for (uint32_t t = 0; t < info.tables && s->nmmus < VIZ_MAX_MMUS; t++) {
            int mi = s->nmmus;
            viz_mmu_t *vm = &s->mmu[mi];
            if (info.tables > 1)
                snprintf(vm->name, sizeof vm->name, "%s CPU%u", info.name, (unsigned)t);
            else
                snprintf(vm->name, sizeof vm->name, "%s", info.name);
            vm->entries = info.entries;
            vm->entry = calloc(info.entries, sizeof *vm->entry);
            if (!vm->entry)
                return -1;
            s->nmmus++;
            const viz_mmu_t *pm = prev && mi < prev->nmmus && prev->mmu[mi].entries == info.entries ? &prev->mmu[mi] : NULL;
            for (uint32_t e = 0; e < info.entries; e++) {
                mmsim_mmu_entry_t me;
                if (mmsim_mmu_entry(m, u, t, e, &me))
                    continue;
                viz_entry_t *ve = &vm->entry[e];
                *ve = (viz_entry_t){.valid = me.valid != 0, .target = me.target, .paddr = me.paddr, .raw = me.raw};
                ve->changed = pm && pm->entry[e].raw != me.raw;
            }
        }
    }
    return 0;
}

static void take_himem(viz_state_t *s, const mmsim_t *m)
{
    esp_himem_info_t info;
    if (esp_himem_info(&info) != ESP_OK || !info.available)
        return;
    viz_himem_t *h = &s->himem;
    h->present = true;
    h->window_vaddr = info.window_vaddr;
    h->page_size = info.page_size;
    h->pages = info.window_pages < VIZ_MAX_BANK_PAGES ? info.window_pages : VIZ_MAX_BANK_PAGES;
    h->ram_blocks = info.ram_blocks;
    h->ram_paddr = info.ram_paddr;
    /* The bank window is the top of the PSRAM data window, whose size the bank pages
     * and the first RAM block's address give: RAM block 0 sits where the window's
     * bank pages would map without himem. */
    h->psram_window_size = info.ram_paddr + (uint32_t)info.window_pages * info.page_size;
    h->psram_window_vaddr = info.window_vaddr - info.ram_paddr;
    for (int p = 0; p < h->pages; p++) {
        esp_himem_page_info_t pi;
        if (esp_himem_page_info(p, &pi) != ESP_OK)
            continue;
        viz_bank_page_t *bp = &h->page[p];
        bp->alloced = pi.alloced;
        bp->mapped = pi.mapped;
        bp->ram_block = pi.ram_block;
        uint32_t target = 0;
        bp->translates = mmsim_translate(m, 0, info.window_vaddr + (uint32_t)p * info.page_size, &bp->paddr, &target) == 0;
    }
}

static void take_hazards(viz_state_t *s, const mmsim_t *m)
{
    size_t n = mmsim_hazard_count(m);
    s->hazards_total = (int)n;
    for (size_t i = 0; i < n && s->nhazards < VIZ_MAX_HAZARDS; i++) {
        const mmsim_hazard_t *h = mmsim_hazard_get(m, i);
        if (!h)
            break;
        viz_hazard_t *v = &s->hazard[s->nhazards++];
        copy_text(v->kind, sizeof v->kind, mmsim_hazard_name(h->kind));
        mmsim_hazard_format(h, v->text, sizeof v->text);
    }
}

int viz_snapshot_take(const scn_step_info_t *step, const char *scenario, const viz_state_t *prev, viz_state_t *s)
{
    viz_state_free(s);
    const mmsim_t *m = step->m;
    copy_text(s->chip, sizeof s->chip, mmsim_chip_name(m));
    copy_text(s->scenario, sizeof s->scenario, scenario);
    s->page_size = mmsim_page_size(m);
    s->flash_size = mmsim_flash_size(m);
    s->psram_size = mmsim_psram_size(m);
    take_step(s, step);
    take_regions(s, m, prev);
    take_himem(s, m);
    take_hazards(s, m);
    if (take_caches(s, m, prev) || take_mmus(s, m, prev)) {
        viz_state_free(s);
        return -1;
    }
    return 0;
}

/* ---- runs ------------------------------------------------------------------------- */

static bool scan_step(const scn_step_info_t *step, void *ctx)
{
    viz_scan_t *out = ctx;
    out->total = step->number;
    if (out->first_hazard < 0 && mmsim_hazard_count(step->m) > 0)
        out->first_hazard = (int)step->number;
    if (out->first_failure < 0 && !step->ok)
        out->first_failure = (int)step->number;
    return true;
}

int viz_scan(const scn_suite_t *suite, size_t index, viz_scan_t *out)
{
    *out = (viz_scan_t){.first_hazard = -1, .first_failure = -1};
    return scn_step_through(suite, index, scan_step, out, &out->passed) < 0 ? -1 : 0;
}

typedef struct {
    const char *scenario;
    unsigned want, total;       /* capture: the step to stop at */
    viz_state_t prev, *cur;     /* the snapshot before, the one being filled */
    viz_step_snapshot_fn fn;    /* each step: hand every snapshot over */
    void *ctx;
    bool oom;
} capture_t;

static bool capture_step(const scn_step_info_t *step, void *ctx)
{
    capture_t *c = ctx;
    /* A failing step is the last one a run reaches. */
    bool last = !c->fn && (step->number >= c->want || !step->ok);
    /* The step before the one shown is needed for what changed; for --all, every one. */
    if (!c->fn && !last && step->number + 1 < c->want)
        return true;
    if (viz_snapshot_take(step, c->scenario, &c->prev, c->cur)) {
        c->oom = true;
        return false;
    }
    c->cur->step.total = c->total;
    if (c->fn && !c->fn(c->cur, c->ctx))
        return false;
    if (last)
        return false;
    /* This snapshot is the next one's "before". */
    viz_state_t t = c->prev;
    c->prev = *c->cur;
    *c->cur = t;
    return true;
}

static int run_capture(const scn_suite_t *suite, size_t index, capture_t *c)
{
    if (index >= scn_suite_count(suite))
        return -1;
    c->scenario = scn_suite_name(suite, index);
    long n = scn_step_through(suite, index, capture_step, c, NULL);
    viz_state_free(&c->prev);
    return n < 0 || c->oom ? -1 : 0;
}

int viz_capture(const scn_suite_t *suite, size_t index, unsigned n, unsigned total, viz_state_t *out)
{
    viz_state_free(out);
    capture_t c = {.want = n > total ? total : n, .total = total, .cur = out};
    return run_capture(suite, index, &c);
}

int viz_each_step(const scn_suite_t *suite, size_t index, unsigned total, viz_step_snapshot_fn fn, void *ctx)
{
    viz_state_t cur = {0};
    capture_t c = {.total = total, .cur = &cur, .fn = fn, .ctx = ctx};
    int rc = run_capture(suite, index, &c);
    viz_state_free(&cur);
    return rc;
}
