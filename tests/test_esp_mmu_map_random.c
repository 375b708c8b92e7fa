/* test_esp_mmu_map_random.c - randomised differential test of the esp_mmu_map driver:
 * a million random map / map_virt / unmap operations per chip (esp32 without PSRAM,
 * esp32s2, esp32s3, esp32c2, esp32c3, esp32c6, esp32h2, esp32p4; and 50000 on esp32 with
 * PSRAM, where every map runs the write-back sweep) against an independent, deliberately
 * simple model written from esp-idf-behaviour.md §1.2-§1.8 and §1.11 (not from
 * core/esp_mmu_map.c).
 *
 * The model.  Per region an array of pages: reserved (below free_head), free, or used
 * by a block; a block records its region, first page, page count, vaddr, paddr range,
 * target and caps.  Every rule is evaluated by scanning those pages:
 *   - region choice (§1.4): first region in table order with (caps & want) == want,
 *     (targets & want) == want and largest free run >= the rounded size;
 *   - auto placement: lowest free run that fits; fixed placement (map_virt): the first
 *     such region containing [laddr, laddr+size) decides, NOT_FOUND if a block overlaps
 *     it, then (after the paddr rules) alias check, then laddr >= free_head;
 *   - paddr relation rules (§1.5): blocks of the chosen region with the same target, in
 *     address order, first hit decides (enclosed -> INVALID_STATE with offset pointer,
 *     overlap -> INVALID_ARG unless PADDR_SHARED, which stops the scan with OK);
 *   - check order of §1.7 (NULL out, PSRAM support, paddr alignment, vaddr alignment,
 *     caps), unmap of §1.8 (laddr must be a block start in the region whose
 *     [free_head, end) holds it), get_max of §1.11 (max over filtered regions).
 *   The "max slot" of a region is simply its largest run of free pages.
 *
 * Where the model's inputs come from.  The region table (laddr start, free head, end,
 * caps, bus mask) is parsed from esp_mmu_map_dump_mapped_blocks right after boot, and
 * then checked against the reference (check_boot: §5.2 rows, §1.3 reservations of the
 * app's IROM/DROM - deliberately not page multiples - and of the PSRAM heap).  What the
 * dump does not print is derived from the chip per the reference: region targets (§5.2,
 * by chip and bus mask), the linear mask (§5.1, page-size dependent on C2/C6/H2), the
 * bases laddr_to_vaddr ORs in (§4.2/§5.2: ESP32/S2 D 0x3E000000, I 0x40000000; S3/C2/C3
 * D 0x3C000000, I 0x42000000; C6/H2 0x42000000; P4 by target, flash 0x40000000, PSRAM
 * 0x48000000), whether esp_mmu_map maps PSRAM (§1.7 #1) and the paddr reach (§5.1;
 * generated ranges stay inside it, as the driver leaves that check to HAL asserts).
 *
 * Checked after EVERY operation: return code; returned pointer (OK and INVALID_STATE,
 * untouched on any other error); get_max_consecutive_free_block_size for every region's
 * caps and a set of common caps, each for FLASH0 and PSRAM0, plus the op's own
 * caps/target; and that the op raised no simulator hazard (the driver handed the HAL
 * only valid ranges) - except for blocks that the reference itself places outside every
 * window (block_off_window).  Every 1000 operations and at the end the whole dump
 * (region values and every block) is compared with the model too.  The first mismatch
 * stops that chip and prints seed, chip, operation index, the operation, expected and
 * actual, and the driver's dump.  A summary per chip gives result counts, how often
 * each rule of the reference decided an operation, and how often regions were full
 * or empty.
 *
 * Environment: MMSIM_RANDOM_OPS operations per chip (default 1000000, 50000 for esp32
 * with PSRAM; ~1 s per chip, ~3-5 s under ASan+UBSan); MMSIM_RANDOM_SEED the seed base (default SEED_BASE; chip i
 * uses base + i); MMSIM_RANDOM_TRACE print every operation; MMSIM_RANDOM_HAZARDS print
 * the first hazard records.  Driver log output is silenced (esp_log_level_set("*",
 * ESP_LOG_NONE)). */
#include <check.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_main.h"
#include "esp_log.h"
#include "esp_mmu_map.h"
#include "mmsim.h"

#define SEED_BASE 0x6d6d73696d5f7231ull /* "mmsim_r1" */
#define DEFAULT_OPS 1000000ul
#define MAX_REGIONS 8
#define MAX_BLOCKS 512
#define MAX_LIVE 200
#define DUMP_EVERY 1000

#define CAP_X MMU_MEM_CAP_EXEC
#define CAP_R MMU_MEM_CAP_READ
#define CAP_W MMU_MEM_CAP_WRITE
#define CAP_32 MMU_MEM_CAP_32BIT
#define CAP_8 MMU_MEM_CAP_8BIT
#define T_FLASH MMU_TARGET_FLASH0
#define T_PSRAM MMU_TARGET_PSRAM0

/* ---- PRNG: xorshift64* --------------------------------------------------------- */

typedef struct {
    uint64_t s;
} rng_t;

static uint64_t rnd(rng_t *r)
{
    uint64_t x = r->s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    r->s = x;
    return x * 0x2545F4914F6CDD1Dull;
}

/* Uniform in [0, n) (n > 0). */
static uint32_t below(rng_t *r, uint32_t n) { return (uint32_t)(((rnd(r) >> 32) * (uint64_t)n) >> 32); }
/* True with probability pct/100. */
static bool chance(rng_t *r, uint32_t pct) { return below(r, 100) < pct; }

/* ---- Chips -------------------------------------------------------------------- */

/* A row of the boot region table the reference gives (§5.2, after coalescing), and
 * which boot reservation (§1.3) each region receives. */
#define TAKES_IROM 1
#define TAKES_DROM 2
#define TAKES_PSRAM 4
typedef struct {
    uint32_t bus, start, end, caps; /* end 0: the linear mask + 1 (C2/C6/H2) */
    int takes;
} boot_region_t;

typedef struct {
    const char *chip;
    const char *set;       /* one "key=value" board override, or NULL */
    uint32_t page_size;    /* 0: chip default (64 KB) */
    uint32_t flash_size;   /* 0: chip default */
    uint32_t psram_size;   /* 0: none or chip default (see `set`) */
    uint32_t irom, drom;   /* app_irom_size / app_drom_size */
    int psram_map;         /* §1.7 #1: esp_mmu_map maps PSRAM (SOC_SPIRAM_SUPPORTED && !ESP32) */
    int p4_bases;          /* vaddr base by target (P4) rather than by caps type */
    uint32_t dbase, ibase; /* laddr_to_vaddr bases for DATA / INSTRUCTION */
    uint32_t lin_pages;    /* linear mask = lin_pages * page - 1 (0: lin_mask) */
    uint32_t lin_mask;
    uint32_t max_pages_flash, max_pages_psram; /* §5.1 paddr reach in pages */
    int nboot;
    boot_region_t boot[4];
    unsigned long ops;     /* operations when MMSIM_RANDOM_OPS is not set (0: DEFAULT_OPS) */
} chip_case_t;

/* App image sizes: not page multiples, so the boot reservation's rounding shows. */
#define IROM 0x2A345u
#define DROM 0x13001u
#define ID (TAKES_IROM | TAKES_DROM)

static const chip_case_t CHIPS[] = {
    /* ESP32 without PSRAM: DRAM1 stays a free, PSRAM-only region that esp_mmu_map
     * cannot use (§1.7 #1) but get_max still reports.  (With PSRAM: the last row.) */
    {.chip = "esp32", .set = "psram_size=0", .irom = IROM, .drom = DROM, .dbase = 0x3E000000u,
     .ibase = 0x40000000u, .lin_mask = 0x1FFFFFFu, .max_pages_flash = 256, .nboot = 3,
     .boot = {{0x01, 0x000D0000, 0x00400000, 0x09, TAKES_IROM},
              {0x08, 0x01400000, 0x01800000, 0x1A, TAKES_DROM},
              {0x10, 0x01800000, 0x01C00000, 0x1E, TAKES_PSRAM}}},
    {.chip = "esp32s2", .psram_size = 0x200000, .irom = IROM, .drom = DROM, .psram_map = 1,
     .dbase = 0x3E000000u, .ibase = 0x40000000u, .lin_mask = 0x1FFFFFFu, .max_pages_flash = 16384,
     .max_pages_psram = 16384, .nboot = 4,
     .boot = {{0x01, 0x00080000, 0x00400000, 0x09, TAKES_IROM},
              {0x04, 0x01000000, 0x01400000, 0x1A, TAKES_DROM},
              {0x20, 0x01500000, 0x01800000, 0x0E, 0},
              {0x18, 0x01800000, 0x01F80000, 0x1E, TAKES_PSRAM}}},
    {.chip = "esp32s3", .psram_size = 0x800000, .irom = IROM, .drom = DROM, .psram_map = 1,
     .dbase = 0x3C000000u, .ibase = 0x42000000u, .lin_mask = 0x1FFFFFFu, .max_pages_flash = 16384,
     .max_pages_psram = 16384, .nboot = 1, .boot = {{0x09, 0, 0x02000000, 0x1F, ID | TAKES_PSRAM}}},
    /* C2 with 16 KB pages (1 MB flash): a 64-page region, fills up quickly. */
    {.chip = "esp32c2", .page_size = 0x4000, .flash_size = 0x100000, .irom = IROM, .drom = DROM,
     .dbase = 0x3C000000u, .ibase = 0x42000000u, .lin_pages = 64, .max_pages_flash = 64, .nboot = 1,
     .boot = {{0x09, 0, 0, 0x1B, ID}}},
    {.chip = "esp32c3", .irom = IROM, .drom = DROM, .dbase = 0x3C000000u, .ibase = 0x42000000u,
     .lin_mask = 0x7FFFFFu, .max_pages_flash = 256, .nboot = 1, .boot = {{0x09, 0, 0x00800000, 0x1B, ID}}},
    {.chip = "esp32c6", .irom = IROM, .drom = DROM, .dbase = 0x42000000u, .ibase = 0x42000000u,
     .lin_pages = 128, .max_pages_flash = 256, .nboot = 1, .boot = {{0x09, 0, 0, 0x1B, ID}}},
    /* H2 with 32 KB pages. */
    {.chip = "esp32h2", .page_size = 0x8000, .irom = IROM, .drom = DROM, .dbase = 0x42000000u,
     .ibase = 0x42000000u, .lin_pages = 128, .max_pages_flash = 256, .nboot = 1,
     .boot = {{0x09, 0, 0, 0x1B, ID}}},
    {.chip = "esp32p4", .psram_size = 0x2000000, .irom = IROM, .drom = DROM, .psram_map = 1, .p4_bases = 1,
     .lin_mask = 0xFFFFFFFu, .max_pages_flash = 32768, .max_pages_psram = 16384, .nboot = 2,
     .boot = {{0x09, 0, 0x04000000, 0x1F, ID}, {0x12, 0x08000000, 0x0C000000, 0x1F, TAKES_PSRAM}}},
    /* ESP32 with its default 8 MB of PSRAM: the heap fills DRAM1, and every map runs
     * cache_sync, whose PSRAM write-back sweep is 4096 simulated line fills (~0.2 ms of
     * host time): fewer operations, so the suite stays quick.  Last, so the rows above
     * keep their seeds. */
    {.chip = "esp32", .psram_size = 0x800000, .irom = IROM, .drom = DROM, .dbase = 0x3E000000u,
     .ibase = 0x40000000u, .lin_mask = 0x1FFFFFFu, .max_pages_flash = 256, .nboot = 3, .ops = 50000,
     .boot = {{0x01, 0x000D0000, 0x00400000, 0x09, TAKES_IROM},
              {0x08, 0x01400000, 0x01800000, 0x1A, TAKES_DROM},
              {0x10, 0x01800000, 0x01C00000, 0x1E, TAKES_PSRAM}}},
};
#define NCHIPS (sizeof CHIPS / sizeof CHIPS[0])

/* Region targets (§5.2), not printed by the dump: by chip and bus mask. */
static uint32_t region_targets(const char *chip, uint32_t bus)
{
    if (!strcmp(chip, "esp32"))
        return bus == 0x10 ? T_PSRAM : (bus == 0x01 || bus == 0x08) ? T_FLASH : 0;
    if (!strcmp(chip, "esp32s2") || !strcmp(chip, "esp32s3"))
        return T_FLASH | T_PSRAM;
    if (!strcmp(chip, "esp32p4"))
        return bus == 0x09 ? T_FLASH : bus == 0x12 ? T_PSRAM : 0;
    return bus == 0x09 ? T_FLASH : 0;
}

/* ---- Dump parsing ------------------------------------------------------------- */

typedef struct {
    uint32_t vaddr, vend, size, caps, paddr, pend;
} dump_block_t;

typedef struct {
    uint32_t bus, start, free_head, end, caps, max_slot;
    int nblocks;
    dump_block_t blocks[MAX_LIVE + 8];
} dump_region_t;

typedef struct {
    int nregions;
    dump_region_t r[MAX_REGIONS];
} dump_t;

/* Parse esp_mmu_map_dump_mapped_blocks output; false (with why) if it does not parse. */
static bool parse_dump(dump_t *d, char *why, size_t whylen)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) {
        snprintf(why, whylen, "open_memstream failed");
        return false;
    }
    esp_err_t rc = esp_mmu_map_dump_mapped_blocks(f);
    fclose(f);
    memset(d, 0, sizeof *d);
    bool ok = rc == ESP_OK;
    if (!ok)
        snprintf(why, whylen, "dump returned %d", rc);
    enum { WANT_REGION, WANT_HDR, WANT_VALUES, WANT_MAPPED, WANT_BHDR, IN_BLOCKS } st = WANT_REGION;
    dump_region_t *cur = NULL;
    for (char *line = text, *next; ok && line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        int idx;
        switch (st) {
        case WANT_REGION:
            if (sscanf(line, "region %d:", &idx) != 1 || idx != d->nregions || d->nregions >= MAX_REGIONS) {
                snprintf(why, whylen, "expected 'region %d:', got '%s'", d->nregions, line);
                ok = false;
                break;
            }
            cur = &d->r[d->nregions++];
            st = WANT_HDR;
            break;
        case WANT_HDR:
            st = WANT_VALUES;
            break;
        case WANT_VALUES:
            if (sscanf(line, "0x%" SCNx32 " 0x%" SCNx32 " 0x%" SCNx32 " 0x%" SCNx32 " 0x%" SCNx32 " 0x%" SCNx32,
                       &cur->bus, &cur->start, &cur->free_head, &cur->end, &cur->caps, &cur->max_slot) != 6) {
                snprintf(why, whylen, "bad region value line '%s'", line);
                ok = false;
            }
            st = WANT_MAPPED;
            break;
        case WANT_MAPPED:
            if (strcmp(line, "mapped blocks:")) {
                snprintf(why, whylen, "expected 'mapped blocks:', got '%s'", line);
                ok = false;
            }
            st = WANT_BHDR;
            break;
        case WANT_BHDR:
            st = IN_BLOCKS;
            break;
        case IN_BLOCKS:
            if (*line == '\0') {
                st = WANT_REGION;
                break;
            }
            if (cur->nblocks >= (int)(sizeof cur->blocks / sizeof cur->blocks[0])) {
                snprintf(why, whylen, "too many blocks in region %d", d->nregions - 1);
                ok = false;
                break;
            }
            dump_block_t *b = &cur->blocks[cur->nblocks];
            if (sscanf(line, "%d 0x%" SCNx32 " 0x%" SCNx32 " 0x%" SCNx32 " 0x%" SCNx32 " 0x%" SCNx32 " 0x%" SCNx32, &idx,
                       &b->vaddr, &b->vend, &b->size, &b->caps, &b->paddr, &b->pend) != 7 ||
                idx != cur->nblocks) {
                snprintf(why, whylen, "bad block line '%s'", line);
                ok = false;
                break;
            }
            cur->nblocks++;
            break;
        }
    }
    if (ok && st != WANT_REGION) {
        snprintf(why, whylen, "dump ends inside a region");
        ok = false;
    }
    free(text);
    return ok;
}

/* ---- The model ---------------------------------------------------------------- */

#define PG_RESERVED (-2)
#define PG_FREE (-1)

typedef struct {
    uint32_t bus, start, free_head, end, caps, targets;
    uint32_t npages, first_free; /* pages in [start, end); index of free_head */
    int16_t *page;               /* PG_RESERVED, PG_FREE or block index */
    uint32_t max_slot;           /* bytes, recomputed after every change */
} mregion_t;

typedef struct {
    bool live;
    int region;
    uint32_t first, npages; /* page index in region, page count */
    uint32_t vaddr, paddr, pend, target, caps;
} mblock_t;

typedef struct {
    const chip_case_t *cc;
    uint32_t P, mask;
    int nregions;
    mregion_t r[MAX_REGIONS];
    mblock_t b[MAX_BLOCKS];
    int live[MAX_BLOCKS]; /* indices of live blocks */
    int nlive;
} model_t;

static bool caps_invalid(uint32_t caps) { return (caps & CAP_X) && (caps & (CAP_8 | CAP_W)); }

static uint32_t laddr_to_vaddr(const model_t *M, uint32_t laddr, uint32_t caps, uint32_t target)
{
    if (M->cc->p4_bases)
        return (target == T_FLASH ? 0x40000000u : 0x48000000u) | laddr;
    return ((caps & CAP_X) ? M->cc->ibase : M->cc->dbase) | laddr;
}

static void recompute_slot(model_t *M, int ri)
{
    mregion_t *r = &M->r[ri];
    uint32_t best = 0, run = 0;
    for (uint32_t p = r->first_free; p < r->npages; p++) {
        run = r->page[p] == PG_FREE ? run + 1 : 0;
        if (run > best)
            best = run;
    }
    r->max_slot = best * M->P;
}

static bool region_ok(const mregion_t *r, uint32_t caps, uint32_t target)
{
    return (r->caps & caps) == caps && (r->targets & target) == target;
}

static void model_get_max(const model_t *M, uint32_t caps, uint32_t target, esp_err_t *rc, uint32_t *len)
{
    if (caps_invalid(caps)) {
        *rc = ESP_ERR_INVALID_ARG;
        return;
    }
    uint32_t best = 0;
    for (int i = 0; i < M->nregions; i++)
        if (region_ok(&M->r[i], caps, target) && M->r[i].max_slot > best)
            best = M->r[i].max_slot;
    *rc = ESP_OK;
    *len = best;
}

/* Which rule of the reference decided an operation (coverage counters). */
typedef enum {
    W_MAP_NULL_OUT,       /* §1.7: esp_mmu_map with out_ptr NULL */
    W_PSRAM,              /* §1.7 #1 */
    W_PADDR_ALIGN,        /* §1.7 #2 */
    W_VADDR_ALIGN,        /* §1.7 #3 */
    W_CAPS,               /* §1.7 #4 */
    W_NF_AUTO,            /* §1.4: no compatible region with a large enough slot */
    W_NF_FIXED_NOREGION,  /* §1.4 fixed: no compatible region contains the range */
    W_NF_FIXED_INUSE,     /* §1.4 fixed: the containing region has a block in the range */
    W_ENCLOSED0,          /* §1.5: identical / enclosed at offset 0 -> INVALID_STATE */
    W_ENCLOSEDN,          /* §1.5: enclosed at an offset -> INVALID_STATE, offset pointer */
    W_OVERLAP,            /* §1.5: overlap without PADDR_SHARED -> INVALID_ARG */
    W_SHARED_OK,          /* §1.5: overlap ignored with PADDR_SHARED */
    W_SHARED_WINS,        /* §1.5: ... although a later block encloses the range */
    W_HIDDEN_ENCLOSER,    /* §1.5: an enclosing block of the target exists only in another region */
    W_ALIAS,              /* §1.4 fixed: vaddr is not the caps/target bus address */
    W_RESERVED,           /* §1.4 fixed: laddr below free_head */
    W_OK_AUTO,            /* auto placement in the first compatible region */
    W_OK_AUTO_LATER,      /* auto placement after skipping a compatible but too full region */
    W_OK_FIXED,           /* fixed placement */
    W_OK_FIXED_NULL,      /* fixed placement, out_ptr NULL */
    W_U_NULL,             /* §1.8 */
    W_U_OUTSIDE,          /* §1.8: no region's [free_head, end) holds the laddr */
    W_U_NOT_START,        /* §1.8: no block starts there */
    W_U_OK,
    W_U_OK_ALIAS,         /* unmapped through an address other than the block's vaddr */
    W_COUNT
} why_t;
static const char *const WHY_NAMES[W_COUNT] = {
    "map NULL out", "PSRAM not supported", "paddr unaligned", "vaddr unaligned", "invalid caps",
    "NOT_FOUND auto", "NOT_FOUND fixed: no region", "NOT_FOUND fixed: in use", "enclosed offset 0",
    "enclosed offset>0", "overlap", "overlap+SHARED ok", "overlap+SHARED beats later encloser",
    "encloser only in another region", "fixed: wrong alias", "fixed: reserved", "OK auto first region",
    "OK auto later region", "OK fixed", "OK fixed out NULL", "unmap NULL", "unmap outside regions",
    "unmap not a block start", "unmap OK", "unmap OK via other address",
};

/* What a map would do: rc, out pointer (written: out_set), and on OK where. */
typedef struct {
    why_t why;
    esp_err_t rc;
    bool out_set;
    uint32_t out;
    int region;
    uint32_t first, npages;
} plan_t;

/* §1.5 on region ri: ESP_OK, or INVALID_STATE (pointer in *out) / INVALID_ARG. */
static esp_err_t relation(const model_t *M, int ri, uint32_t paddr, uint32_t aligned, uint32_t target, int flags,
                          uint32_t *out, why_t *why)
{
    const mregion_t *r = &M->r[ri];
    uint64_t nend = (uint64_t)paddr + aligned;
    for (uint32_t p = r->first_free; p < r->npages; p++) {
        int bi = r->page[p];
        if (bi < 0 || M->b[bi].first != p)
            continue;
        const mblock_t *b = &M->b[bi];
        if (b->target != target)
            continue;
        if (paddr >= b->paddr && nend <= b->pend) {
            *out = b->vaddr + (paddr - b->paddr);
            *why = paddr == b->paddr ? W_ENCLOSED0 : W_ENCLOSEDN;
            return ESP_ERR_INVALID_STATE;
        }
        if ((paddr < b->paddr && nend > b->paddr) || (paddr < b->pend && nend > b->pend)) {
            if (!(flags & ESP_MMU_MMAP_FLAG_PADDR_SHARED)) {
                *why = W_OVERLAP;
                return ESP_ERR_INVALID_ARG;
            }
            /* The scan stops here; note (coverage only) whether a later block encloses. */
            *why = W_SHARED_OK;
            for (uint32_t q = p + 1; q < r->npages; q++) {
                int bj = r->page[q];
                if (bj >= 0 && M->b[bj].first == q && M->b[bj].target == target && paddr >= M->b[bj].paddr &&
                    nend <= M->b[bj].pend)
                    *why = W_SHARED_WINS;
            }
            return ESP_OK;
        }
    }
    /* Coverage only: an enclosing block of this target in another region is invisible. */
    for (int bi = 0; bi < MAX_BLOCKS; bi++)
        if (M->b[bi].live && M->b[bi].region != ri && M->b[bi].target == target && paddr >= M->b[bi].paddr &&
            nend <= M->b[bi].pend)
            *why = W_HIDDEN_ENCLOSER;
    return ESP_OK;
}

static plan_t model_map(const model_t *M, bool api_map, uint32_t vaddr, uint32_t paddr, uint32_t size,
                        uint32_t target, uint32_t caps, int flags, bool out_null)
{
    plan_t pl = {.rc = ESP_OK, .region = -1, .why = W_COUNT};
    if (api_map && out_null) {
        pl.rc = ESP_ERR_INVALID_ARG;
        pl.why = W_MAP_NULL_OUT;
        return pl;
    }
    if ((target & T_PSRAM) && !M->cc->psram_map) {
        pl.rc = ESP_ERR_NOT_SUPPORTED;
        pl.why = W_PSRAM;
        return pl;
    }
    if (paddr % M->P || vaddr % M->P || caps_invalid(caps)) {
        pl.rc = ESP_ERR_INVALID_ARG;
        pl.why = paddr % M->P ? W_PADDR_ALIGN : vaddr % M->P ? W_VADDR_ALIGN : W_CAPS;
        return pl;
    }
    uint32_t npages = (uint32_t)(((uint64_t)size + M->P - 1) / M->P);
    uint32_t aligned = npages * M->P;
    int ri = -1;
    uint32_t first = 0;
    bool skipped = false;
    if (vaddr == 0) {
        for (int i = 0; i < M->nregions && ri < 0; i++) {
            if (region_ok(&M->r[i], caps, target) && M->r[i].max_slot >= aligned)
                ri = i;
            else if (region_ok(&M->r[i], caps, target))
                skipped = true;
        }
        if (ri < 0) {
            pl.rc = ESP_ERR_NOT_FOUND;
            pl.why = W_NF_AUTO;
            return pl;
        }
        const mregion_t *r = &M->r[ri];
        uint32_t run = 0;
        for (first = r->first_free; first < r->npages; first++) {
            run = r->page[first] == PG_FREE ? run + 1 : 0;
            if (run == npages)
                break;
        }
        ck_assert_uint_lt(first, r->npages); /* max_slot said it fits */
        first = first + 1 - npages;
    } else {
        uint32_t laddr = vaddr & M->mask;
        for (int i = 0; i < M->nregions && ri < 0; i++) {
            const mregion_t *r = &M->r[i];
            if (region_ok(r, caps, target) && r->max_slot >= aligned && laddr >= r->start &&
                (uint64_t)laddr + aligned <= r->end)
                ri = i;
        }
        if (ri < 0) {
            pl.rc = ESP_ERR_NOT_FOUND;
            pl.why = W_NF_FIXED_NOREGION;
            return pl;
        }
        const mregion_t *r = &M->r[ri];
        first = (laddr - r->start) / M->P;
        for (uint32_t p = first; p < first + npages; p++)
            if (r->page[p] >= 0) {
                pl.rc = ESP_ERR_NOT_FOUND;
                pl.why = W_NF_FIXED_INUSE;
                return pl;
            }
    }
    pl.rc = relation(M, ri, paddr, aligned, target, flags, &pl.out, &pl.why);
    if (pl.rc == ESP_ERR_INVALID_STATE) {
        pl.out_set = !out_null;
        return pl;
    }
    if (pl.rc != ESP_OK)
        return pl;
    const mregion_t *r = &M->r[ri];
    uint32_t laddr = r->start + first * M->P;
    uint32_t v = laddr_to_vaddr(M, laddr, caps, target);
    if (vaddr != 0) {
        if (v != vaddr || laddr < r->free_head) {
            pl.rc = ESP_ERR_INVALID_ARG;
            pl.why = v != vaddr ? W_ALIAS : W_RESERVED;
            return pl;
        }
    }
    if (pl.why == W_COUNT) /* keep the relation-rule reasons (SHARED, hidden encloser) */
        pl.why = vaddr ? (out_null ? W_OK_FIXED_NULL : W_OK_FIXED) : skipped ? W_OK_AUTO_LATER : W_OK_AUTO;
    pl.out_set = !out_null;
    pl.out = v;
    pl.region = ri;
    pl.first = first;
    pl.npages = npages;
    return pl;
}

static void model_commit(model_t *M, const plan_t *pl, uint32_t paddr, uint32_t target, uint32_t caps)
{
    int bi = -1;
    for (int i = 0; i < MAX_BLOCKS && bi < 0; i++)
        if (!M->b[i].live)
            bi = i;
    ck_assert_int_ge(bi, 0);
    mblock_t *b = &M->b[bi];
    *b = (mblock_t){.live = true,
                    .region = pl->region,
                    .first = pl->first,
                    .npages = pl->npages,
                    .vaddr = pl->out,
                    .paddr = paddr,
                    .pend = paddr + pl->npages * M->P,
                    .target = target,
                    .caps = caps};
    mregion_t *r = &M->r[pl->region];
    for (uint32_t p = pl->first; p < pl->first + pl->npages; p++)
        r->page[p] = (int16_t)bi;
    M->live[M->nlive++] = bi;
    recompute_slot(M, pl->region);
}

/* §1.8: rc, and the block index to drop on OK. */
static esp_err_t model_unmap(const model_t *M, uint32_t ptr, int *bi_out, why_t *why)
{
    *why = W_U_NULL;
    if (ptr == 0)
        return ESP_ERR_INVALID_ARG;
    *why = W_U_OUTSIDE;
    uint32_t laddr = ptr & M->mask;
    int ri = -1;
    for (int i = 0; i < M->nregions; i++)
        if (laddr >= M->r[i].free_head && laddr < M->r[i].end)
            ri = i; /* the last one in table order */
    if (ri < 0)
        return ESP_ERR_NOT_FOUND;
    const mregion_t *r = &M->r[ri];
    *why = W_U_NOT_START;
    if ((laddr - r->start) % M->P)
        return ESP_ERR_NOT_FOUND;
    uint32_t p = (laddr - r->start) / M->P;
    int bi = r->page[p];
    if (bi < 0 || M->b[bi].first != p)
        return ESP_ERR_NOT_FOUND;
    *bi_out = bi;
    *why = ptr == M->b[bi].vaddr ? W_U_OK : W_U_OK_ALIAS;
    return ESP_OK;
}

static void model_drop(model_t *M, int bi)
{
    mblock_t *b = &M->b[bi];
    mregion_t *r = &M->r[b->region];
    for (uint32_t p = b->first; p < b->first + b->npages; p++)
        r->page[p] = PG_FREE;
    b->live = false;
    for (int i = 0; i < M->nlive; i++)
        if (M->live[i] == bi) {
            M->live[i] = M->live[--M->nlive];
            break;
        }
    recompute_slot(M, b->region);
}

/* True if the block lies at a vaddr no window serves, so that the HAL asserts when the
 * driver programs it: on ESP32/S2 a map without EXEC that lands in the exec-only IRAM0
 * region (caps 0 or 32BIT alone pass its filter, §1.4) gets the DATA alias
 * 0x3E000000|laddr (§1.4, §5.2), which is no window. */
static bool block_off_window(const model_t *M, const mblock_t *b)
{
    const mregion_t *r = &M->r[b->region];
    return !M->cc->p4_bases && M->cc->ibase != M->cc->dbase && !(b->caps & CAP_X) && (r->caps & CAP_X) &&
           !(r->caps & CAP_R);
}

static void model_free(model_t *M)
{
    for (int i = 0; i < M->nregions; i++)
        free(M->r[i].page);
}

/* ---- The run ------------------------------------------------------------------ */

enum { OP_MAP, OP_VIRT, OP_UNMAP, OP_MISC, OP_KINDS };
static const char *const OP_NAMES[] = {"map", "map_virt", "unmap", "misc"};

static int rc_slot(esp_err_t rc)
{
    switch (rc) {
    case ESP_OK: return 0;
    case ESP_ERR_INVALID_ARG: return 1;
    case ESP_ERR_INVALID_STATE: return 2;
    case ESP_ERR_NOT_FOUND: return 3;
    case ESP_ERR_NOT_SUPPORTED: return 4;
    default: return 5;
    }
}
static const char *const RC_NAMES[] = {"OK", "INVALID_ARG", "INVALID_STATE", "NOT_FOUND", "NOT_SUPPORTED", "other"};

typedef struct {
    const chip_case_t *cc;
    mmsim_t *m;
    model_t M;
    rng_t rng;
    uint64_t seed;
    unsigned long op;
    char desc[256];   /* the current operation */
    char fail[1024];  /* first mismatch */
    /* stats */
    unsigned long count[OP_KINDS][6];
    unsigned long full_ops[MAX_REGIONS];  /* ops after which the region had no free page */
    unsigned long empty_ops[MAX_REGIONS]; /* ops after which the region had no block */
    unsigned long getmax_calls, dumps;
    unsigned long why[W_COUNT];
    uint32_t max_live_seen;
    uint32_t last_freed_vaddr;
    /* phase */
    bool shrinking, big, fill;
    bool trace; /* MMSIM_RANDOM_TRACE set: print every operation */
    bool hazard_ok; /* the current op maps/unmaps a block at a vaddr outside every window */
    unsigned long expected_hazard_ops;
    uint32_t live_cap, live_floor, nf_streak;
    /* get_max combinations */
    uint32_t qcaps[32];
    int nqcaps;
} run_t;

static bool mismatch(run_t *R, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool mismatch(run_t *R, const char *fmt, ...)
{
    char what[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(R->fail, sizeof R->fail, "MISMATCH chip=%s seed=0x%016" PRIx64 " op=%lu: %s: %s", R->cc->chip, R->seed,
             R->op, R->desc, what);
    return false;
}

static bool check_get_max(run_t *R, uint32_t caps, uint32_t target)
{
    esp_err_t want_rc = ESP_OK;
    uint32_t want = 0xA5A5A5A5u;
    model_get_max(&R->M, caps, target, &want_rc, &want);
    size_t got = 0xA5A5A5A5u;
    esp_err_t rc = esp_mmu_map_get_max_consecutive_free_block_size((mmu_mem_caps_t)caps, (mmu_target_t)target, &got);
    R->getmax_calls++;
    if (rc != want_rc || got != want)
        return mismatch(R, "get_max(caps=0x%" PRIx32 ", target=%" PRIu32 "): expected rc=%s len=0x%" PRIx32
                        ", driver rc=%s len=0x%zx",
                        caps, target, RC_NAMES[rc_slot(want_rc)], want, RC_NAMES[rc_slot(rc)], got);
    return true;
}

static bool check_all_get_max(run_t *R, uint32_t op_caps, uint32_t op_target)
{
    for (int i = 0; i < R->nqcaps; i++) {
        if (!check_get_max(R, R->qcaps[i], T_FLASH))
            return false;
        if (!check_get_max(R, R->qcaps[i], T_PSRAM))
            return false;
    }
    return op_target ? check_get_max(R, op_caps, op_target) : true;
}

static bool check_dump(run_t *R)
{
    dump_t *d = malloc(sizeof *d);
    ck_assert_ptr_nonnull(d);
    char why[256];
    bool ok = true;
    R->dumps++;
    if (!parse_dump(d, why, sizeof why)) {
        ok = mismatch(R, "dump does not parse: %s", why);
        goto out;
    }
    const model_t *M = &R->M;
    if (d->nregions != M->nregions) {
        ok = mismatch(R, "dump has %d regions, model %d", d->nregions, M->nregions);
        goto out;
    }
    for (int i = 0; i < M->nregions; i++) {
        const mregion_t *r = &M->r[i];
        const dump_region_t *g = &d->r[i];
        if (g->bus != r->bus || g->start != r->start || g->free_head != r->free_head || g->end != r->end ||
            g->caps != r->caps || g->max_slot != r->max_slot) {
            ok = mismatch(R,
                          "dump region %d: expected bus 0x%" PRIx32 " start 0x%" PRIx32 " free 0x%" PRIx32
                          " end 0x%" PRIx32 " caps 0x%" PRIx32 " max_slot 0x%" PRIx32 ", dump has 0x%" PRIx32
                          " 0x%" PRIx32 " 0x%" PRIx32 " 0x%" PRIx32 " 0x%" PRIx32 " 0x%" PRIx32,
                          i, r->bus, r->start, r->free_head, r->end, r->caps, r->max_slot, g->bus, g->start,
                          g->free_head, g->end, g->caps, g->max_slot);
            goto out;
        }
        int n = 0;
        for (uint32_t p = r->first_free; p < r->npages; p++) {
            int bi = r->page[p];
            if (bi < 0 || M->b[bi].first != p)
                continue;
            const mblock_t *b = &M->b[bi];
            uint32_t size = b->npages * M->P;
            if (n >= g->nblocks) {
                ok = mismatch(R, "dump region %d lacks block %d (vaddr 0x%" PRIx32 ")", i, n, b->vaddr);
                goto out;
            }
            const dump_block_t *x = &g->blocks[n];
            if (x->vaddr != b->vaddr || x->vend != b->vaddr + size || x->size != size || x->caps != b->caps ||
                x->paddr != b->paddr || x->pend != b->pend) {
                ok = mismatch(R,
                              "dump region %d block %d: expected vaddr 0x%" PRIx32 " size 0x%" PRIx32
                              " caps 0x%" PRIx32 " paddr 0x%" PRIx32 "-0x%" PRIx32 ", dump has vaddr 0x%" PRIx32
                              "-0x%" PRIx32 " size 0x%" PRIx32 " caps 0x%" PRIx32 " paddr 0x%" PRIx32 "-0x%" PRIx32,
                              i, n, b->vaddr, size, b->caps, b->paddr, b->pend, x->vaddr, x->vend, x->size, x->caps,
                              x->paddr, x->pend);
                goto out;
            }
            n++;
        }
        if (n != g->nblocks) {
            ok = mismatch(R, "dump region %d has %d blocks, model %d", i, g->nblocks, n);
            goto out;
        }
    }
out:
    free(d);
    return ok;
}

static uint32_t pick_caps(run_t *R)
{
    static const uint32_t common[] = {
        CAP_R,          CAP_R | CAP_8,  CAP_R | CAP_32, CAP_R | CAP_8 | CAP_32, CAP_R | CAP_W,
        CAP_R | CAP_W | CAP_32, CAP_R | CAP_W | CAP_8 | CAP_32, CAP_W, CAP_X, CAP_X | CAP_32, CAP_X | CAP_R,
        CAP_X | CAP_R | CAP_32,
    };
    static const uint32_t invalid[] = {CAP_X | CAP_W, CAP_X | CAP_8, CAP_X | CAP_R | CAP_W | CAP_8 | CAP_32};
    static const uint32_t rare[] = {0, CAP_32, CAP_8};
    uint32_t x = below(&R->rng, 100);
    if (x < 5)
        return invalid[below(&R->rng, 3)];
    if (x < 7)
        return rare[below(&R->rng, 3)];
    return common[below(&R->rng, sizeof common / sizeof common[0])];
}

static uint32_t pick_target(run_t *R)
{
    uint32_t x = below(&R->rng, 100);
    /* FLASH0|PSRAM0 only where no region takes it for real (NOT_SUPPORTED, or NOT_FOUND
     * on P4): on S2/S3 it would reach the HAL with a meaningless target. */
    if (x < 2 && strcmp(R->cc->chip, "esp32s2") && strcmp(R->cc->chip, "esp32s3"))
        return T_FLASH | T_PSRAM;
    return x < 75 ? T_FLASH : T_PSRAM;
}

static uint32_t biggest_region_pages(const model_t *M)
{
    uint32_t best = 1;
    for (int i = 0; i < M->nregions; i++)
        if (M->r[i].npages - M->r[i].first_free > best)
            best = M->r[i].npages - M->r[i].first_free;
    return best;
}

static uint32_t pick_size(run_t *R, uint32_t caps, uint32_t target)
{
    uint32_t P = R->M.P;
    if (R->fill && !R->shrinking && chance(&R->rng, 70)) {
        /* Fill phase: something that still fits (model's view), to reach full regions. */
        esp_err_t rc;
        uint32_t len = 0;
        model_get_max(&R->M, caps, target, &rc, &len);
        if (rc == ESP_OK && len > 0) {
            if (chance(&R->rng, 30))
                return len - below(&R->rng, P); /* the whole largest slot */
            uint32_t cap = len < 4 * P ? len : 4 * P;
            return 1 + below(&R->rng, cap);
        }
    }
    uint32_t x = below(&R->rng, 100);
    uint32_t big = R->big ? 30 : 4;
    if (x < big)
        return 1 + below(&R->rng, biggest_region_pages(&R->M) * P);
    x = below(&R->rng, 100);
    if (x < 30)
        return 1 + below(&R->rng, P); /* within one page */
    if (x < 50)
        return (1 + below(&R->rng, 4)) * P; /* exact pages */
    if (x < 75)
        return 1 + below(&R->rng, 4 * P);
    return 1 + below(&R->rng, 16 * P);
}

static uint32_t pick_paddr(run_t *R, uint32_t target, uint32_t size)
{
    uint32_t P = R->M.P;
    uint32_t maxp = target == T_PSRAM ? R->cc->max_pages_psram : R->cc->max_pages_flash;
    if (maxp == 0)
        maxp = 256; /* PSRAM on a chip that cannot map it: NOT_SUPPORTED anyway */
    uint32_t pool = maxp < 256 ? maxp : 256;
    if (chance(&R->rng, 40))
        pool = pool < 24 ? pool : 24; /* a hot range: many relation hits */
    uint32_t npages = (uint32_t)(((uint64_t)size + P - 1) / P);
    uint32_t pg = below(&R->rng, pool);
    if (pg + npages > maxp)
        pg = npages < maxp ? maxp - npages : 0;
    return pg * P;
}

static void describe(run_t *R, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void describe(run_t *R, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(R->desc, sizeof R->desc, fmt, ap);
    va_end(ap);
}

static const mblock_t *random_live(run_t *R)
{
    if (R->M.nlive == 0)
        return NULL;
    return &R->M.b[R->M.live[below(&R->rng, (uint32_t)R->M.nlive)]];
}

static const uint32_t ALIAS_BASES[] = {0x3C000000u, 0x3E000000u, 0x3F000000u, 0x40000000u,
                                       0x42000000u, 0x48000000u, 0x50000000u, 0x60000000u};

/* Map or map_virt: generate, predict, run, compare, commit. */
static bool op_map(run_t *R, bool virt)
{
    model_t *M = &R->M;
    uint32_t P = M->P;
    uint32_t caps = pick_caps(R), target = pick_target(R);
    uint32_t size = pick_size(R, caps, target);
    uint32_t paddr;
    const mblock_t *src = chance(&R->rng, 18) ? random_live(R) : NULL;
    if (src) {
        /* Inside (or around) a live block's physical range, usually as it was mapped. */
        uint32_t k = below(&R->rng, src->npages);
        paddr = src->paddr + k * P;
        if (chance(&R->rng, 60))
            size = 1 + below(&R->rng, (src->npages - k) * P);
        if (chance(&R->rng, 70)) {
            caps = src->caps;
            target = src->target;
        }
        if (chance(&R->rng, 15) && paddr >= P)
            paddr -= P;
    } else {
        paddr = pick_paddr(R, target, size);
    }
    int flags = chance(&R->rng, 35) ? ESP_MMU_MMAP_FLAG_PADDR_SHARED : 0;
    if (chance(&R->rng, 5))
        flags |= 0x6 << below(&R->rng, 8); /* other bits are ignored */
    uint32_t vaddr = 0;
    bool out_null = false;
    const char *vkind = "auto";
    if (virt) {
        out_null = chance(&R->rng, 10);
        uint32_t x = below(&R->rng, 100);
        const mregion_t *r = &M->r[below(&R->rng, (uint32_t)M->nregions)];
        if (x < 35) {
            vkind = "free?";
            /* A page of a region at or above free_head, caps/target usually compatible. */
            for (int tries = 0; tries < 8 && !region_ok(r, caps, target); tries++) {
                caps = pick_caps(R);
                target = (r->targets & T_FLASH) && (!(r->targets & T_PSRAM) || chance(&R->rng, 70)) ? T_FLASH : T_PSRAM;
            }
            uint32_t n = r->npages - r->first_free;
            uint32_t laddr = r->free_head + (n ? below(&R->rng, n) : 0) * P;
            /* Prefer a free page when there is one. */
            for (int tries = 0; tries < 4 && n; tries++) {
                if (r->page[(laddr - r->start) / P] == PG_FREE)
                    break;
                laddr = r->free_head + below(&R->rng, n) * P;
            }
            vaddr = laddr_to_vaddr(M, laddr, caps, target);
        } else if (x < 50 && M->nlive) {
            vkind = "in use";
            const mblock_t *b = random_live(R);
            vaddr = b->vaddr + below(&R->rng, b->npages) * P;
            if (chance(&R->rng, 70)) {
                caps = b->caps;
                target = b->target;
            }
        } else if (x < 60) {
            vkind = "other alias";
            uint32_t laddr = r->start + below(&R->rng, r->npages) * P;
            vaddr = ALIAS_BASES[below(&R->rng, sizeof ALIAS_BASES / sizeof ALIAS_BASES[0])] | laddr;
        } else if (x < 70) {
            vkind = "reserved";
            uint32_t laddr = r->start + (r->first_free ? below(&R->rng, r->first_free) : 0) * P;
            vaddr = laddr_to_vaddr(M, laddr, caps, target);
        } else if (x < 80) {
            vkind = "anywhere";
            vaddr = (uint32_t)rnd(&R->rng) & ~(P - 1);
        } else if (x < 85) {
            vkind = "unaligned";
            vaddr = laddr_to_vaddr(M, r->free_head, caps, target) + 1 + below(&R->rng, P - 1);
        } else if (x < 95) {
            vkind = "region end";
            uint32_t k = 1 + below(&R->rng, 4);
            vaddr = laddr_to_vaddr(M, r->end - k * P, caps, target);
            if (chance(&R->rng, 70))
                size = k * P + 1 + below(&R->rng, 2 * P);
        } else {
            vkind = "zero";
            vaddr = 0;
        }
    } else {
        out_null = chance(&R->rng, 1);
    }
    {
        /* Keep [paddr, paddr+size) inside the MMU's paddr reach (§5.1): the driver does
         * not check it, the HAL asserts (§1.7). */
        uint32_t maxp = target == T_PSRAM ? R->cc->max_pages_psram : R->cc->max_pages_flash;
        uint32_t npages = (uint32_t)(((uint64_t)size + P - 1) / P);
        if (maxp && paddr / P + npages > maxp)
            paddr = npages < maxp ? (maxp - npages) * P : 0;
    }
    if (chance(&R->rng, 4))
        paddr += 1 + below(&R->rng, P - 1); /* not page aligned */
    describe(R,
             "%s(vaddr=0x%08" PRIx32 " [%s], paddr=0x%" PRIx32 ", size=0x%" PRIx32 ", target=%" PRIu32
             ", caps=0x%" PRIx32 ", flags=0x%x, out=%s) live=%d",
             virt ? "esp_mmu_map_virt" : "esp_mmu_map", vaddr, vkind, paddr, size, target, caps, flags,
             out_null ? "NULL" : "&p", M->nlive);
    plan_t pl = model_map(M, !virt, vaddr, paddr, size, target, caps, flags, out_null);
    void *const SENTINEL = (void *)(uintptr_t)0xDEADBEEFu;
    void *got = SENTINEL;
    esp_err_t rc = virt ? esp_mmu_map_virt(vaddr, paddr, size, (mmu_target_t)target, (mmu_mem_caps_t)caps, flags,
                                           out_null ? NULL : &got)
                        : esp_mmu_map(paddr, size, (mmu_target_t)target, (mmu_mem_caps_t)caps, flags,
                                      out_null ? NULL : &got);
    R->count[virt ? OP_VIRT : OP_MAP][rc_slot(rc)]++;
    uint32_t want_out = pl.out_set ? pl.out : 0xDEADBEEFu;
    uint32_t got_out = (uint32_t)(uintptr_t)got;
    if (rc != pl.rc || got_out != want_out)
        return mismatch(R, "expected rc=%s out=0x%08" PRIx32 "%s, driver rc=%s out=0x%08" PRIx32 "%s",
                        RC_NAMES[rc_slot(pl.rc)], want_out, pl.out_set ? "" : " (untouched)", RC_NAMES[rc_slot(rc)],
                        got_out, got == SENTINEL ? " (untouched)" : "");
    R->why[pl.why]++;
    if (rc == ESP_OK) {
        model_commit(M, &pl, paddr, target, caps); /* pl.out is the block's vaddr even if out was NULL */
        R->hazard_ok = block_off_window(M, &M->b[M->live[M->nlive - 1]]);
    }
    if (rc == ESP_ERR_NOT_FOUND && !virt)
        R->nf_streak++;
    else if (rc == ESP_OK)
        R->nf_streak = 0;
    return check_all_get_max(R, caps_invalid(caps) ? CAP_R : caps, target == (T_FLASH | T_PSRAM) ? 0 : target);
}

static bool op_unmap(run_t *R)
{
    model_t *M = &R->M;
    uint32_t P = M->P;
    uint32_t ptr;
    const char *kind;
    const mblock_t *b = M->nlive && chance(&R->rng, 85) ? random_live(R) : NULL;
    if (b) {
        uint32_t x = below(&R->rng, 100);
        uint32_t laddr = b->vaddr & M->mask;
        if (x < 85) {
            kind = "block";
            ptr = b->vaddr;
        } else if (x < 95) {
            kind = "block, other alias";
            ptr = M->cc->p4_bases ? ((b->target == T_FLASH ? 0x48000000u : 0x40000000u) | laddr)
                                  : (((b->vaddr & ~M->mask) == M->cc->ibase ? M->cc->dbase : M->cc->ibase) | laddr);
        } else if (x < 98) {
            kind = "inside block";
            ptr = b->vaddr + (b->npages > 1 ? (1 + below(&R->rng, b->npages - 1)) * P : 1 + below(&R->rng, P - 1));
        } else {
            kind = "block + 1";
            ptr = b->vaddr + 1;
        }
    } else {
        uint32_t x = below(&R->rng, 100);
        const mregion_t *r = &M->r[below(&R->rng, (uint32_t)M->nregions)];
        if (x < 10) {
            kind = "NULL";
            ptr = 0;
        } else if (x < 35) {
            kind = "random";
            ptr = (uint32_t)rnd(&R->rng);
            if (chance(&R->rng, 50))
                ptr &= ~(P - 1);
        } else if (x < 55) {
            kind = "reserved";
            ptr = laddr_to_vaddr(M, r->start + (r->first_free ? below(&R->rng, r->first_free) : 0) * P, CAP_R,
                                 (r->targets & T_FLASH) ? T_FLASH : T_PSRAM);
        } else if (x < 80) {
            kind = "region page";
            ptr = laddr_to_vaddr(M, r->start + below(&R->rng, r->npages) * P, chance(&R->rng, 50) ? CAP_X : CAP_R,
                                 (r->targets & T_FLASH) ? T_FLASH : T_PSRAM);
        } else {
            kind = "freed before";
            ptr = R->last_freed_vaddr;
        }
    }
    describe(R, "esp_mmu_unmap(0x%08" PRIx32 ") [%s] live=%d", ptr, kind, M->nlive);
    int bi = -1;
    why_t why;
    esp_err_t want = model_unmap(M, ptr, &bi, &why);
    esp_err_t rc = esp_mmu_unmap((void *)(uintptr_t)ptr);
    R->count[OP_UNMAP][rc_slot(rc)]++;
    if (rc != want)
        return mismatch(R, "expected rc=%s, driver rc=%s", RC_NAMES[rc_slot(want)], RC_NAMES[rc_slot(rc)]);
    R->why[why]++;
    if (rc == ESP_OK) {
        R->hazard_ok = block_off_window(M, &M->b[bi]);
        R->last_freed_vaddr = M->b[bi].vaddr;
        model_drop(M, bi);
    }
    return check_all_get_max(R, 0, 0);
}

static bool op_misc(run_t *R)
{
    uint32_t x = below(&R->rng, 100);
    esp_err_t rc;
    if (x < 60) {
        uint32_t caps = (chance(&R->rng, 50) ? CAP_X | CAP_W : CAP_X | CAP_8) | (below(&R->rng, 32) & (CAP_R | CAP_32));
        describe(R, "get_max(caps=0x%" PRIx32 ") [invalid caps]", caps);
        R->count[OP_MISC][rc_slot(ESP_ERR_INVALID_ARG)]++; /* the expected result, checked here */
        return check_get_max(R, caps, chance(&R->rng, 50) ? T_FLASH : T_PSRAM);
    } else if (x < 80) {
        describe(R, "get_max(out=NULL)");
        rc = esp_mmu_map_get_max_consecutive_free_block_size(CAP_R, T_FLASH, NULL);
        R->count[OP_MISC][rc_slot(rc)]++;
        if (rc != ESP_ERR_INVALID_ARG)
            return mismatch(R, "expected INVALID_ARG, driver rc=%s", RC_NAMES[rc_slot(rc)]);
    } else {
        describe(R, "esp_mmu_unmap(NULL)");
        rc = esp_mmu_unmap(NULL);
        R->count[OP_MISC][rc_slot(rc)]++;
        if (rc != ESP_ERR_INVALID_ARG)
            return mismatch(R, "expected INVALID_ARG, driver rc=%s", RC_NAMES[rc_slot(rc)]);
    }
    return check_all_get_max(R, 0, 0);
}

static void new_phase(run_t *R, bool shrink)
{
    R->shrinking = shrink;
    R->nf_streak = 0;
    if (shrink) {
        R->live_floor = chance(&R->rng, 60) ? 0 : below(&R->rng, R->M.nlive / 2 + 1);
    } else {
        R->big = chance(&R->rng, 30);
        R->fill = chance(&R->rng, 40);
        R->live_cap = R->fill ? MAX_LIVE : 1 + below(&R->rng, chance(&R->rng, 30) ? MAX_LIVE : 48);
    }
}

static bool step(run_t *R)
{
    model_t *M = &R->M;
    mmsim_set_step(R->m, (uint32_t)R->op);
    size_t hazards = mmsim_hazard_count(R->m);
    R->hazard_ok = false;
    if (!R->shrinking && ((uint32_t)M->nlive >= R->live_cap || R->nf_streak >= 12))
        new_phase(R, true);
    else if (R->shrinking && (uint32_t)M->nlive <= R->live_floor)
        new_phase(R, false);
    uint32_t x = below(&R->rng, 100);
    bool ok;
    if (M->nlive >= MAX_LIVE)
        ok = op_unmap(R);
    else if (x < 4)
        ok = op_misc(R);
    else if (R->shrinking)
        ok = x < 70 ? op_unmap(R) : x < 86 ? op_map(R, false) : op_map(R, true);
    else
        ok = x < 20 ? op_unmap(R) : x < 65 ? op_map(R, false) : op_map(R, true);
    if (R->trace)
        printf("%s op %lu: %s\n", R->cc->chip, R->op, R->desc);
    if (!ok)
        return false;
    if (mmsim_hazard_count(R->m) != hazards) {
        /* The driver must hand the HAL only valid ranges, except for off-window blocks. */
        if (!R->hazard_ok) {
            const mmsim_hazard_t *h = mmsim_hazard_get(R->m, hazards);
            char line[400] = "(not kept)";
            if (h)
                mmsim_hazard_format(h, line, sizeof line);
            return mismatch(R, "unexpected hazard: %s", line);
        }
        R->expected_hazard_ops++;
    }
    if ((uint32_t)M->nlive > R->max_live_seen)
        R->max_live_seen = (uint32_t)M->nlive;
    for (int i = 0; i < M->nregions; i++) {
        const mregion_t *r = &M->r[i];
        if (r->max_slot == 0)
            R->full_ops[i]++;
        bool any = false;
        for (uint32_t p = r->first_free; p < r->npages && !any; p++)
            any = r->page[p] >= 0;
        if (!any)
            R->empty_ops[i]++;
    }
    if ((R->op + 1) % DUMP_EVERY == 0)
        return check_dump(R);
    return true;
}

static void add_qcaps(run_t *R, uint32_t caps)
{
    for (int i = 0; i < R->nqcaps; i++)
        if (R->qcaps[i] == caps)
            return;
    R->qcaps[R->nqcaps++] = caps;
}

/* Build the model from the boot dump. */
static void model_init(run_t *R)
{
    model_t *M = &R->M;
    memset(M, 0, sizeof *M);
    M->cc = R->cc;
    M->P = mmsim_page_size(R->m);
    if (R->cc->page_size)
        ck_assert_uint_eq(M->P, R->cc->page_size);
    M->mask = R->cc->lin_pages ? R->cc->lin_pages * M->P - 1 : R->cc->lin_mask;
    dump_t *d = malloc(sizeof *d);
    ck_assert_ptr_nonnull(d);
    char why[256];
    ck_assert_msg(parse_dump(d, why, sizeof why), "%s: boot dump: %s", R->cc->chip, why);
    ck_assert_int_gt(d->nregions, 0);
    M->nregions = d->nregions;
    for (int i = 0; i < d->nregions; i++) {
        const dump_region_t *g = &d->r[i];
        mregion_t *r = &M->r[i];
        ck_assert_int_eq(g->nblocks, 0);
        ck_assert(g->start % M->P == 0 && g->free_head % M->P == 0 && g->end % M->P == 0);
        ck_assert(g->start <= g->free_head && g->free_head <= g->end);
        ck_assert_uint_eq(g->max_slot, g->end - g->free_head);
        ck_assert_uint_eq(g->end - 1, (g->end - 1) & M->mask); /* inside the linear space */
        r->bus = g->bus;
        r->start = g->start;
        r->free_head = g->free_head;
        r->end = g->end;
        r->caps = g->caps;
        r->targets = region_targets(R->cc->chip, g->bus);
        ck_assert_msg(r->targets, "%s: no targets known for region %d bus 0x%x", R->cc->chip, i, g->bus);
        r->npages = (g->end - g->start) / M->P;
        r->first_free = (g->free_head - g->start) / M->P;
        r->page = malloc(r->npages * sizeof r->page[0]);
        ck_assert_ptr_nonnull(r->page);
        for (uint32_t p = 0; p < r->npages; p++)
            r->page[p] = p < r->first_free ? PG_RESERVED : PG_FREE;
        recompute_slot(M, i);
        add_qcaps(R, r->caps);
    }
    free(d);
    static const uint32_t extra[] = {0, CAP_R, CAP_X, CAP_R | CAP_W, CAP_R | CAP_8, CAP_R | CAP_32, CAP_W,
                                     CAP_X | CAP_R, CAP_R | CAP_W | CAP_32 | CAP_8};
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
        add_qcaps(R, extra[i]);
}

/* The boot region table (parsed from the dump) against the reference: §5.2 rows, free
 * heads from §1.3 (IROM then DROM rounded up to pages into the region(s) serving their
 * bus; the PSRAM heap, min(PSRAM, room), into the first region passing the
 * READ|WRITE|8BIT|32BIT / PSRAM0 filter), max slot = end - free head. */
static bool check_boot(run_t *R)
{
    const chip_case_t *cc = R->cc;
    const model_t *M = &R->M;
    describe(R, "boot region table");
    if (M->nregions != cc->nboot)
        return mismatch(R, "%d regions after boot, reference %d", M->nregions, cc->nboot);
    uint32_t psram = 0;
    if (!cc->set || strcmp(cc->set, "psram_size=0"))
        psram = cc->psram_size;
    for (int i = 0; i < cc->nboot; i++) {
        const boot_region_t *b = &cc->boot[i];
        const mregion_t *r = &M->r[i];
        uint32_t end = b->end ? b->end : M->mask + 1;
        uint32_t free = b->start;
        if (b->takes & TAKES_IROM)
            free += (cc->irom + M->P - 1) / M->P * M->P;
        if (b->takes & TAKES_DROM)
            free += (cc->drom + M->P - 1) / M->P * M->P;
        if (b->takes & TAKES_PSRAM) {
            uint32_t take = psram < end - free ? psram : end - free;
            free += (take + M->P - 1) / M->P * M->P;
        }
        if (r->bus != b->bus || r->start != b->start || r->end != end || r->caps != b->caps ||
            r->free_head != free || r->max_slot != end - free)
            return mismatch(R,
                            "region %d: reference bus 0x%" PRIx32 " start 0x%" PRIx32 " free head 0x%" PRIx32
                            " end 0x%" PRIx32 " caps 0x%" PRIx32 ", dump bus 0x%" PRIx32 " start 0x%" PRIx32
                            " free head 0x%" PRIx32 " end 0x%" PRIx32 " caps 0x%" PRIx32 " max slot 0x%" PRIx32,
                            i, b->bus, b->start, free, end, b->caps, r->bus, r->start, r->free_head, r->end, r->caps,
                            r->max_slot);
    }
    return true;
}

static unsigned long ops_per_chip(const chip_case_t *cc)
{
    const char *s = getenv("MMSIM_RANDOM_OPS");
    if (s && *s) {
        char *end;
        unsigned long n = strtoul(s, &end, 0);
        if (*end == '\0')
            return n;
    }
    return cc->ops ? cc->ops : DEFAULT_OPS;
}

static uint64_t seed_base(void)
{
    const char *s = getenv("MMSIM_RANDOM_SEED");
    if (s && *s) {
        char *end;
        unsigned long long n = strtoull(s, &end, 0);
        if (*end == '\0')
            return n;
    }
    return SEED_BASE;
}

START_TEST(random_ops_match_the_model)
{
    const chip_case_t *cc = &CHIPS[_i];
    esp_log_level_set("*", ESP_LOG_NONE);
    run_t *R = calloc(1, sizeof *R);
    ck_assert_ptr_nonnull(R);
    R->cc = cc;
    R->trace = getenv("MMSIM_RANDOM_TRACE") != NULL;
    R->seed = seed_base() + (uint64_t)_i;
    R->rng.s = R->seed ? R->seed : 1;
    for (int i = 0; i < 4; i++)
        rnd(&R->rng);
    mmsim_config_t cfg = mmsim_config_default(cc->chip);
    if (cc->page_size)
        cfg.mmu_page_size = cc->page_size;
    if (cc->flash_size)
        cfg.flash_size = cc->flash_size;
    if (cc->psram_size)
        cfg.psram_size = cc->psram_size;
    cfg.app_irom_size = cc->irom;
    cfg.app_drom_size = cc->drom;
    if (cc->set) {
        cfg.sets = &cc->set;
        cfg.nsets = 1;
    }
    ck_assert_msg(mmsim_open(&cfg, &R->m) == 0, "%s: %s", cc->chip, mmsim_last_error());
    model_init(R);
    bool ok = check_boot(R);
    new_phase(R, false);
    unsigned long nops = ops_per_chip(cc);
    printf("%s: seed=0x%016" PRIx64 " ops=%lu page=0x%" PRIx32 " regions=%d\n", cc->chip, R->seed, nops, R->M.P,
           R->M.nregions);
    fflush(stdout);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    describe(R, "after boot (no operation yet)");
    ok = ok && check_all_get_max(R, 0, 0);
    for (R->op = 0; ok && R->op < nops; R->op++) {
        ok = step(R);
        /* The machine's and the driver's own invariants, every so often (a full check
         * reads every MMU entry of every region). */
        char why[256];
        if (ok && (R->op % 4096 == 0 || R->op + 1 == nops) && mmsim_check_invariants(R->m, why, sizeof why))
            ok = mismatch(R, "invariant broken: %s", why);
    }
    if (ok) {
        describe(R, "final dump");
        ok = check_dump(R);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (!ok) {
        printf("%s\ndriver dump at the mismatch:\n", R->fail);
        esp_mmu_map_dump_mapped_blocks(stdout);
    }
    printf("%s: %lu ops in %.2f s, max live %" PRIu32 ", get_max calls %lu, dumps compared %lu, hazards %zu "
           "(from %lu ops on off-window blocks)\n",
           cc->chip, R->op, secs, R->max_live_seen, R->getmax_calls, R->dumps, mmsim_hazard_count(R->m),
           R->expected_hazard_ops);
    for (int k = 0; k < MMSIM_HAZARD_KIND_COUNT; k++)
        if (mmsim_hazard_count_kind(R->m, (mmsim_hazard_kind_t)k))
            printf("  hazards %s: %zu\n", mmsim_hazard_name((mmsim_hazard_kind_t)k),
                   mmsim_hazard_count_kind(R->m, (mmsim_hazard_kind_t)k));
    if (getenv("MMSIM_RANDOM_HAZARDS"))
        for (size_t i = 0; i < mmsim_hazard_count(R->m) && i < 5; i++) {
            char line[400];
            printf("  %s\n", mmsim_hazard_format(mmsim_hazard_get(R->m, i), line, sizeof line));
        }
    for (int k = 0; k < OP_KINDS; k++) {
        printf("  %-8s", OP_NAMES[k]);
        for (int s = 0; s < 6; s++)
            if (R->count[k][s])
                printf(" %s=%lu", RC_NAMES[s], R->count[k][s]);
        printf("\n");
    }
    printf("  rules:");
    for (int w = 0; w < W_COUNT; w++)
        printf("%s %s=%lu", w % 5 ? "," : "\n   ", WHY_NAMES[w], R->why[w]);
    printf("\n");
    for (int i = 0; i < R->M.nregions; i++)
        printf("  region %d (%" PRIu32 " free pages at boot): full after %lu ops, empty after %lu ops\n", i,
               R->M.r[i].npages - R->M.r[i].first_free, R->full_ops[i], R->empty_ops[i]);
    fflush(stdout);
    char fail[sizeof R->fail];
    memcpy(fail, R->fail, sizeof fail);
    mmsim_close(R->m);
    model_free(&R->M);
    free(R);
    ck_assert_msg(ok, "%s", fail);
}
END_TEST

static Suite *random_suite(void)
{
    Suite *s = suite_create("esp_mmu_map_random");
    TCase *t = tcase_create("random");
    tcase_set_timeout(t, 3600);
    tcase_add_loop_test(t, random_ops_match_the_model, 0, (int)NCHIPS);
    suite_add_tcase(s, t);
    return s;
}

int main(void) { return mmsim_check_run(random_suite()); }
