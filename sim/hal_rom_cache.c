/* hal_rom_cache.c - the ROM cache routines that drivers and libraries call directly
 * instead of esp_cache_msync (Cache_WriteBack_Addr, Cache_Invalidate_Addr, ...), for
 * ESP32-S2/S3, ESP32-C2/C3/C6/H2 and ESP32-P4, on the bound machine; declared per chip
 * in <chip>/rom/cache.h (sim/include).  ESP32's own ROM routines (Cache_Flush, ...) are
 * hal_rom_esp32.c's.
 *
 * Three ROM families, told apart by the chip definition rather than by its name, so a
 * user's variant of a chip keeps its ROM:
 *   S2/S3  write-back D-cache behind one level: by address and whole-cache routines
 *          (invalidate, write back, clean), line sizes, suspend/resume;
 *   C      one read-only cache (the ROM calls it the ICache): invalidate by address
 *          and whole, its line size, suspend/resume;
 *   P4     external memory behind L2: the routines take a cache map (CACHE_MAP_*)
 *          naming the caches they act on, and only those.
 * A routine called on a chip whose ROM lacks it records an MMSIM_HAZARD_HAL_ASSERT
 * hazard saying which chips have it, and does nothing (on the chip it would not link).
 *
 * Each routine acts on the caches its own contract names, which is not always what
 * cache_hal does: on P4, Cache_WriteBack_Addr(CACHE_MAP_L1_DCACHE, ...) writes the L1
 * lines into L2 and leaves L2 dirty, where cache_hal_writeback_addr does L1 then L2.
 *
 * Ranges are taken line-aligned outward (esp-idf-behaviour.md §4.3 leaves the ROM's
 * rounding [UNSURE]).  Outward because that is what ESP-IDF's own replacements of the
 * write-back routines do (components/esp_rom/patches: S3 writes back the partial first
 * and last lines, P4 widens the range to the larger line size of the caches in the
 * map), and a cache can only act on whole lines; the invalidate and clean routines
 * are ROM code no source shows, and are given the same rounding.  So an unaligned
 * invalidate drops the neighbours' bytes in the end lines too (a lost write if dirty),
 * as on the chip. */
#include <stdio.h>

#include "bus.h"
#include "esp32s3/rom/cache.h"
#include "esp32c3/rom/cache.h"
#define MMSIM_ESP32P4_ROM_LINK_NAMES_ONLY /* both the plain and the P4 names below */
#include "esp32p4/rom/cache.h"
#include "hal_ctx.h"
#include "sdkconfig.h"

typedef enum {
    ROM_OTHER = 0, /* ESP32, or no chip: none of these routines */
    ROM_S2_S3 = 1,
    ROM_C = 2,
    ROM_P4 = 4,
} rom_family_t;

#define ROM_S_AND_C (ROM_S2_S3 | ROM_C)

static rom_family_t rom_family(const machine_t *m)
{
    if (hal_cache_hal_esp32(m) || !m->chip.cache_count)
        return ROM_OTHER;
    if (m->chip.cache_level_ext == 2u)
        return ROM_P4;
    return m->chip.cache_writeback_supported ? ROM_S2_S3 : ROM_C;
}

static const char *family_chips(unsigned families)
{
    switch (families) {
    case ROM_S2_S3: return "ESP32-S2 and ESP32-S3";
    case ROM_S_AND_C: return "ESP32-S2, S3, C2, C3, C6 and H2";
    case ROM_P4: return "ESP32-P4";
    default: return "no modelled chip";
    }
}

/* The chip's ROM has the routine `what` (its name and arguments) if its family is one
 * of `families`; else record the broken contract and say so. */
static bool rom_has(machine_t *m, unsigned families, const char *name, const char *what)
{
    if (rom_family(m) & families)
        return true;
    hazard_raise(&m->hazards, MMSIM_HAZARD_HAL_ASSERT, HAZARD_SITE_NONE,
                 "%s: HAL_ASSERT failed: the %s ROM has no %s (%s have it)", name, m->chip.name, what,
                 family_chips(families));
    return false;
}

/* Enter ROM routine `name` (ESP-IDF's name, also for P4's link names): `m` is the
 * bound machine, the routine names the hazards raised until it returns; with no
 * machine, or on a chip whose ROM lacks it, return `neutral` (ROM_VOID in a void
 * routine). */
#define ROM_VOID
#define ROM_ENTER(m, name, families, what, neutral) \
    machine_t *const m = hal_machine();              \
    if (!m)                                          \
        return neutral;                              \
    HAZARD_CAUSE(&(m)->hazards, name);               \
    if (!rom_has(m, families, name, what))           \
        return neutral

/* ---- which caches a routine means ------------------------------------------------ */

/* Bit i for each cache of the chip at `level` of a kind `want` accepts. */
typedef enum { SEL_INSTRUCTION, SEL_DATA, SEL_ANY } sel_kind_t;

static uint32_t caches_at(const machine_t *m, uint32_t level, sel_kind_t want)
{
    uint32_t mask = 0;
    for (uint32_t i = 0; i < m->chip.cache_count; i++) {
        const chipdef_cache_t *c = &m->chip.caches[i];
        bool kind_ok = want == SEL_ANY || (want == SEL_INSTRUCTION ? c->kind != CHIPDEF_CACHE_DATA
                                                                   : c->kind != CHIPDEF_CACHE_INSTRUCTION);
        if (c->level == level && kind_ok)
            mask |= 1u << i;
    }
    return mask;
}

/* The ROM's "ICache" (on C2/C3/C6/H2 the one unified cache) and "DCache": level 1. */
static uint32_t icaches(const machine_t *m) { return caches_at(m, 1, SEL_INSTRUCTION); }
static uint32_t dcaches(const machine_t *m) { return caches_at(m, 1, SEL_DATA); }

/* The line size of the first cache in `mask`; 0 if none. */
static uint32_t line_size_of(const machine_t *m, uint32_t mask)
{
    for (uint32_t i = 0; i < m->chip.cache_count; i++)
        if (mask >> i & 1u)
            return m->chip.caches[i].line_size;
    return 0;
}

/* The caches a P4 cache map names.  CACHE_MAP_L1_ICACHE_0 and _1 name the L1
 * instruction cache of core 0 and 1; the chip definition has one L1 I-cache for both
 * ([UNSURE] per core or shared, esp32p4.yaml), so either bit selects it.  Bits outside
 * CACHE_MAP_MASK are ignored ([UNSURE]: the ROM's handling is not visible). */
static uint32_t p4_map_caches(const machine_t *m, uint32_t map)
{
    uint32_t mask = 0;
    if (map & CACHE_MAP_L1_ICACHE_MASK)
        mask |= caches_at(m, 1, SEL_INSTRUCTION);
    if (map & CACHE_MAP_L1_DCACHE)
        mask |= caches_at(m, 1, SEL_DATA);
    if (map & CACHE_MAP_L2_CACHE)
        mask |= caches_at(m, 2, SEL_ANY);
    return mask;
}

/* ---- ESP32-S2, S3, C2, C3, C6, H2 ------------------------------------------------- */

/* The S2/S3 ROM documents "1 for invalid argument" for the by-address routines
 * without saying which argument; no case is known, so they return 0, also for a range
 * outside every cacheable window ("nothing will be done"). */
int Cache_Invalidate_Addr(uint32_t addr, uint32_t size)
{
    ROM_ENTER(m, "Cache_Invalidate_Addr", ROM_S_AND_C, "Cache_Invalidate_Addr(addr, size)", ESP_ROM_ERR_INVALID_ARG);
    /* "from ICache or DCache": the caches are virtually tagged, so dropping the
     * range's lines from both reaches whichever cache the address belongs to. */
    bus_cache_range_in(m, icaches(m) | dcaches(m), BUS_CACHE_INVALIDATE, addr, size);
    return 0;
}

int Cache_Clean_Addr(uint32_t addr, uint32_t size)
{
    ROM_ENTER(m, "Cache_Clean_Addr", ROM_S2_S3, "Cache_Clean_Addr(addr, size)", ESP_ROM_ERR_INVALID_ARG);
    bus_cache_range_in(m, dcaches(m), BUS_CACHE_CLEAN, addr, size);
    return 0;
}

/* ESP_ROM_HAS_CACHE_WRITEBACK_BUG: ESP32-S3's ROM Cache_WriteBack_Addr, given an
 * address or size off the D-cache line, lets a CPU access to the partial first or last
 * line during the write-back (an interrupt, the other core, the autoloader) hit a wrong
 * value.  ESP-IDF replaces the routine (b1436633c57, July 2023: v5.0.4, v5.1.1, v5.2
 * and later) with one that writes each partial end line back alone, interrupts masked
 * and the D-cache frozen; of the releases mmsim models only v5.1(.0) still calls the
 * ROM's own.  The simulator runs one access at a time, so there is no "during": the
 * unprotected call is recorded, and the data path stays the patched one's. */
void hal_rom_writeback_errata(machine_t *m, uint32_t addr, uint32_t size)
{
    if (!size || !hal_sdk_target_is("esp32s3") || hal_sdk_idf_version() >= MMSIM_IDF_VER(5, 1, 1))
        return;
    uint32_t dcaches_l1 = dcaches(m), line = 0;
    for (uint32_t i = 0; i < m->chip.cache_count && !line; i++)
        if (dcaches_l1 & (1u << i))
            line = m->chip.caches[i].line_size;
    uint64_t end = (uint64_t)addr + size;
    if (!line || ((addr % line) == 0 && (end % line) == 0))
        return;
    hazard_raise(&m->hazards, MMSIM_HAZARD_ROM_ERRATA, (hazard_site_t){-1, addr, 0, 0, -1, -1},
                 "write-back of 0x%08x..0x%08llx, not on %u-byte lines, by the S3 ROM's own Cache_WriteBack_Addr "
                 "(ESP_ROM_HAS_CACHE_WRITEBACK_BUG; ESP-IDF works around it from v5.1.1): a CPU access to an end "
                 "line meanwhile may read a wrong value",
                 addr, (unsigned long long)end, line);
}

/* The write-back itself is that of ESP-IDF's replacement on S3: whole end lines
 * written back, a zero size doing nothing. */
int Cache_WriteBack_Addr(uint32_t addr, uint32_t size)
{
    ROM_ENTER(m, "Cache_WriteBack_Addr", ROM_S2_S3, "Cache_WriteBack_Addr(addr, size)", ESP_ROM_ERR_INVALID_ARG);
    hal_rom_writeback_errata(m, addr, size);
    bus_cache_range_in(m, dcaches(m), BUS_CACHE_WRITEBACK, addr, size);
    return 0;
}

void Cache_Invalidate_ICache_All(void)
{
    ROM_ENTER(m, "Cache_Invalidate_ICache_All", ROM_S_AND_C, "Cache_Invalidate_ICache_All()", ROM_VOID);
    bus_cache_all_in(m, icaches(m), BUS_CACHE_INVALIDATE);
}

void Cache_Invalidate_DCache_All(void)
{
    ROM_ENTER(m, "Cache_Invalidate_DCache_All", ROM_S2_S3, "Cache_Invalidate_DCache_All()", ROM_VOID);
    bus_cache_all_in(m, dcaches(m), BUS_CACHE_INVALIDATE);
}

void Cache_Clean_All(void)
{
    ROM_ENTER(m, "Cache_Clean_All", ROM_S2_S3, "Cache_Clean_All()", ROM_VOID);
    bus_cache_all_in(m, dcaches(m), BUS_CACHE_CLEAN);
}

void Cache_WriteBack_All(void)
{
    ROM_ENTER(m, "Cache_WriteBack_All", ROM_S2_S3, "Cache_WriteBack_All()", ROM_VOID);
    bus_cache_all_in(m, dcaches(m), BUS_CACHE_WRITEBACK);
}

uint32_t Cache_Get_ICache_Line_Size(void)
{
    ROM_ENTER(m, "Cache_Get_ICache_Line_Size", ROM_S_AND_C, "Cache_Get_ICache_Line_Size()", 0);
    return line_size_of(m, icaches(m));
}

uint32_t Cache_Get_DCache_Line_Size(void)
{
    ROM_ENTER(m, "Cache_Get_DCache_Line_Size", ROM_S2_S3, "Cache_Get_DCache_Line_Size()", 0);
    return line_size_of(m, dcaches(m));
}

/* Every instance of the caches in `mask` off or on (an access through one is then a
 * cache_disabled hazard). */
static void set_off(machine_t *m, uint32_t mask, bool off)
{
    for (uint32_t i = 0; i < m->chip.cache_count; i++)
        if (mask >> i & 1u)
            for (uint32_t k = 0; k < m->chip.cores; k++)
                m->cache_off[i][k] = off;
}

/* Suspend returns whether the cache's autoload (prefetch) was on, for Resume to put
 * back.  Autoload is not modelled: 0, and Resume ignores its argument. */
uint32_t Cache_Suspend_ICache(void)
{
    ROM_ENTER(m, "Cache_Suspend_ICache", ROM_S_AND_C, "Cache_Suspend_ICache()", 0);
    set_off(m, icaches(m), true);
    return 0;
}

void Cache_Resume_ICache(uint32_t autoload)
{
    (void)autoload;
    ROM_ENTER(m, "Cache_Resume_ICache", ROM_S_AND_C, "Cache_Resume_ICache(autoload)", ROM_VOID);
    set_off(m, icaches(m), false);
}

uint32_t Cache_Suspend_DCache(void)
{
    ROM_ENTER(m, "Cache_Suspend_DCache", ROM_S2_S3, "Cache_Suspend_DCache()", 0);
    set_off(m, dcaches(m), true);
    return 0;
}

void Cache_Resume_DCache(uint32_t autoload)
{
    (void)autoload;
    ROM_ENTER(m, "Cache_Resume_DCache", ROM_S2_S3, "Cache_Resume_DCache(autoload)", ROM_VOID);
    set_off(m, dcaches(m), false);
}

/* ---- ESP32-P4 --------------------------------------------------------------------- */

/* Whether a P4 routine doing `op` accepts `map`.  The write-back routines are ESP-IDF's
 * own (components/esp_rom/patches): ESP_ROM_ERR_INVALID_ARG for a map naming an
 * instruction cache or no data cache.  Clean only touches dirty lines and gets the
 * same rule; invalidate any map naming a cache.  Both [UNSURE]: ROM code. */
static bool p4_map_ok(bus_cache_op_t op, uint32_t map)
{
    if (op == BUS_CACHE_INVALIDATE)
        return (map & CACHE_MAP_MASK) != 0;
    return !(map & CACHE_MAP_L1_ICACHE_MASK) && (map & CACHE_MAP_DCACHE_MASK);
}

static int p4_range(machine_t *m, uint32_t map, bus_cache_op_t op, uint32_t addr, uint32_t size)
{
    if (!p4_map_ok(op, map))
        return ESP_ROM_ERR_INVALID_ARG;
    bool writes_back = op == BUS_CACHE_WRITEBACK || op == BUS_CACHE_WRITEBACK_INVALIDATE;
    if (!size && !writes_back) /* the ROM's own invalidate and clean: taken to do nothing */
        return 0;
    uint32_t mask = p4_map_caches(m, map), line = 0;
    for (uint32_t i = 0; i < m->chip.cache_count; i++)
        if ((mask >> i & 1u) && m->chip.caches[i].line_size > line)
            line = m->chip.caches[i].line_size;
    if (!line)
        return 0;
    /* Widened to the largest line of the map, as ESP-IDF's write-back does, in 32-bit
     * arithmetic as the chip computes it (a size close to 4 GB wraps to a short one). */
    uint32_t lead = addr & (line - 1u);
    uint32_t start = addr - lead, len = (size + lead + line - 1u) & ~(line - 1u);
    /* ESP-IDF's whole-cache write-back hands the sync engine the same request with
     * address and size 0, so a size that is 0 after rounding (an aligned address and
     * size 0) writes back the whole of the mapped caches.  [UNSURE] read from that
     * code, not run on a chip. */
    if (!len) {
        bus_cache_all_in(m, mask, op);
        return 0;
    }
    bus_cache_range_in(m, mask, op, start, len);
    return 0;
}

static int p4_all(machine_t *m, uint32_t map, bus_cache_op_t op)
{
    if (!p4_map_ok(op, map))
        return ESP_ROM_ERR_INVALID_ARG;
    bus_cache_all_in(m, p4_map_caches(m, map), op);
    return 0;
}

#define P4_RANGE(fn, name, op)                                                                    \
    int fn(uint32_t map, uint32_t addr, uint32_t size)                                              \
    {                                                                                               \
        ROM_ENTER(m, name, ROM_P4, name "(map, addr, size)", ESP_ROM_ERR_INVALID_ARG);             \
        return p4_range(m, map, op, addr, size);                                                    \
    }
#define P4_ALL(fn, name, op)                                                                      \
    int fn(uint32_t map)                                                                            \
    {                                                                                               \
        ROM_ENTER(m, name, ROM_P4, name "(map)", ESP_ROM_ERR_INVALID_ARG);                         \
        return p4_all(m, map, op);                                                                  \
    }

P4_RANGE(esp32p4_rom_Cache_Invalidate_Addr, "Cache_Invalidate_Addr", BUS_CACHE_INVALIDATE)
P4_RANGE(esp32p4_rom_Cache_Clean_Addr, "Cache_Clean_Addr", BUS_CACHE_CLEAN)
P4_RANGE(esp32p4_rom_Cache_WriteBack_Addr, "Cache_WriteBack_Addr", BUS_CACHE_WRITEBACK)
P4_RANGE(esp32p4_rom_Cache_WriteBack_Invalidate_Addr, "Cache_WriteBack_Invalidate_Addr",
         BUS_CACHE_WRITEBACK_INVALIDATE)
P4_ALL(esp32p4_rom_Cache_Invalidate_All, "Cache_Invalidate_All", BUS_CACHE_INVALIDATE)
P4_ALL(esp32p4_rom_Cache_Clean_All, "Cache_Clean_All", BUS_CACHE_CLEAN)
P4_ALL(esp32p4_rom_Cache_WriteBack_All, "Cache_WriteBack_All", BUS_CACHE_WRITEBACK)
P4_ALL(esp32p4_rom_Cache_WriteBack_Invalidate_All, "Cache_WriteBack_Invalidate_All", BUS_CACHE_WRITEBACK_INVALIDATE)

uint32_t Cache_Get_L1_ICache_Line_Size(void)
{
    ROM_ENTER(m, "Cache_Get_L1_ICache_Line_Size", ROM_P4, "Cache_Get_L1_ICache_Line_Size()", 0);
    return line_size_of(m, caches_at(m, 1, SEL_INSTRUCTION));
}

uint32_t Cache_Get_L1_DCache_Line_Size(void)
{
    ROM_ENTER(m, "Cache_Get_L1_DCache_Line_Size", ROM_P4, "Cache_Get_L1_DCache_Line_Size()", 0);
    return line_size_of(m, caches_at(m, 1, SEL_DATA));
}

uint32_t Cache_Get_L2_Cache_Line_Size(void)
{
    ROM_ENTER(m, "Cache_Get_L2_Cache_Line_Size", ROM_P4, "Cache_Get_L2_Cache_Line_Size()", 0);
    return line_size_of(m, caches_at(m, 2, SEL_ANY));
}
