/* machine.h - one simulated chip's hardware, built from a chipdef_t: its MMU tables,
 * its caches (one instance per core for per-core caches), its backing stores, and
 * the state the access paths keep: bus and cache enables, cycle counters per core,
 * the hazard log.
 *
 * This is the composition of the model modules; the memory hierarchy's access paths
 * (CPU, SPI1, DMA) and cache maintenance live in the files bus.h lists, the HAL on top
 * in hal_*.c. */
#ifndef MMSIM_MACHINE_H
#define MMSIM_MACHINE_H

#include <stddef.h>

#include "cache.h"
#include "chipdef.h"
#include "hazard.h"
#include "mmu.h"
#include "store.h"
#include "tlb.h"

#define MACHINE_MAX_LEVELS 4 /* cache levels with a holder filter (deeper ones just scan) */
#define MACHINE_FAILURE_MAX 256

/* Where a core's cycles went, besides hits and the CPU's own work. */
typedef enum {
    MACHINE_SPENT_FILL,      /* line fills (waiting for the bus included), uncached loads */
    MACHINE_SPENT_WRITEBACK, /* write-backs the CPU waited for, write-through and uncached stores */
    MACHINE_SPENT_SPI1,      /* SPI1 flash read, program, erase */
    MACHINE_SPENT_MMU,       /* MMU entry writes */
    MACHINE_SPENT_MAINT,     /* cache maintenance (lines visited) */
    MACHINE_SPENT_FAULT,     /* faulting accesses */
    MACHINE_SPENT_COUNT
} machine_spent_t;

typedef struct {
    chipdef_t chip;          /* owned copy: the modules keep pointers into it */
    mmu_t mmu;
    /* caches[i][core]: instance of chip.caches[i] used by `core` (shared caches
     * have one instance, referenced by every core). */
    cache_t *caches[CHIPDEF_MAX_CACHES][CHIPDEF_MAX_CORES];
    store_t *flash;
    store_t *psram;          /* NULL when the chip or board has no PSRAM */
    store_t *sram;           /* internal RAM, by offset from chip.internal_ram.vaddr; NULL if not modelled */

    /* holders[level], dirty_holders[level]: the counting filters the caches of that
     * level share (cache.h). */
    uint16_t *holders[MACHINE_MAX_LEVELS];
    uint16_t *dirty_holders[MACHINE_MAX_LEVELS];
    uint32_t holders_mask[MACHINE_MAX_LEVELS];
    /* Every cache of the level has the same line size: a line's own slot is the
     * whole count for its physical line. */
    bool holders_uniform[MACHINE_MAX_LEVELS];
    /* The distinct (level, line shift) pairs of the caches, worked out once: what a
     * count over every level sums.  holder_key_count 0: some level has no filter. */
    struct {
        uint8_t level, shift;
    } holder_keys[CHIPDEF_MAX_CACHES];
    uint32_t holder_key_count;

    /* The CPU path's fast path (cpu_path.c, bus.h): a software TLB per core in front of the
     * window/MMU decode, and a short path for plain cache hits.  `fast_path` false
     * decodes every access from the window table and the MMU instead; both give the
     * same data, statistics, cycles and hazards (test_fastpath). */
    bool fast_path;
    uint32_t tlb_shift;                        /* log2 of a TLB granule */
    tlb_t tlb[CHIPDEF_MAX_CORES];
    /* Cycles of one line fill or write-back of cache i from/to target t (timing.h),
     * worked out once: the formula divides. */
    uint64_t line_cycles[CHIPDEF_MAX_CACHES][4];
    /* Cycles of a transaction of the first n bytes (1..16, an access's share of a line)
     * from target t: a critical-word-first fill's wait, worked out once for the same reason. */
    uint32_t first_bytes_cycles[4][17];
    /* What a store miss of cache i to target t stalls without reading its line: the
     * transaction's fixed phases with store_miss_latency, else nothing. */
    uint64_t store_miss_cycles[CHIPDEF_MAX_CACHES][4];

    uint64_t cycles[CHIPDEF_MAX_CORES];
    /* The cycle (on the core's own count) from which the core's next line transaction can
     * start: a fill streaming the rest of its line (critical word first) or a queued
     * write-back (write-back buffer) keeps the bus busy after the CPU has gone on. */
    uint64_t bus_free[CHIPDEF_MAX_CORES];
    /* Where the queued write-back at the end of that busy time starts (--profile counts
     * a wait for it as write-back time, a wait for the rest as fill time). */
    uint64_t bus_wb_from[CHIPDEF_MAX_CORES];
    /* Of cycles[core], what went where (bus_charge_for): the rest is hits and the CPU's
     * own work per access (mmsim run --profile). */
    uint64_t spent[CHIPDEF_MAX_CORES][MACHINE_SPENT_COUNT];
    uint32_t bus_enabled[CHIPDEF_MAX_CORES];   /* CHIPDEF_BUS_* the core has enabled */
    /* cache_off[i][core]: the instance of cache i that `core` uses is disabled. */
    bool cache_off[CHIPDEF_MAX_CACHES][CHIPDEF_MAX_CORES];
    uint32_t freeze_depth;   /* cache_hal_freeze nesting (stalls only; no data effect) */
    uint32_t hal_core;       /* the core that driver code (the HAL's caller) runs on */
    /* State upstream keeps in HAL statics, kept per machine so switching machines
     * loses nothing: mmu_hal_ctx_init's core count, ESP32 cache_hal_suspend's buses. */
    uint32_t hal_core_nums;
    uint32_t hal_saved_bus[CHIPDEF_MAX_CORES];
    /* spi_flash guard nesting and the cache enables it restores. */
    uint32_t flash_guard_depth;
    bool flash_guard_saved[CHIPDEF_MAX_CACHES][CHIPDEF_MAX_CORES];
    /* A reader of the driver's own bookkeeping, where the hardware keeps no trace of
     * it: true if ESP32 himem's unmap released the bank window page at `vaddr` while
     * its MMU entry still reaches the old bank.  Read at the cache sweep that ends
     * every unmap (esp_psram_extram_writeback_cache), so that a later access through
     * the page is a use_after_unmap.  Set by the boot step for a driver whose state it
     * can read (ours); NULL where the driver's adapter says it instead
     * (mmsim_hint_released, ESP-IDF's driver). */
    bool (*himem_page_released)(uint32_t vaddr);
    /* Where the boot mapped the app (vaddr ranges, [start, end)): image_layout.h. */
    uint32_t image_irom[2], image_drom[2];
    hazard_log_t hazards;
    /* The model's own failures (machine_fail), kept last: the fields above are the
     * access paths' and keep their offsets. */
    uint32_t failures;
    char failure[MACHINE_FAILURE_MAX];
    void (*on_failure)(const char *msg);
    /* The page the bootloader mapped at the last DROM entry for the app to find its
     * partition (vaddr), 0 if none or once the app's image_process invalidated it:
     * image_layout.h.  After everything the access paths read. */
    uint32_t image_boot_page;
    /* The partition table as the bootloader read it at boot (boot_ptable.h), valid when
     * boot_ptable_read; after everything the access paths read. */
    bool boot_ptable_read;
    uint8_t boot_ptable[0xC00];
    /* XIP from PSRAM (image_layout_set_xip): per segment (0 rodata, 1 text) whether the
     * start-up moved it, and the flash and PSRAM paddrs of its first page.
     * After everything the access paths read. */
    bool image_xip[2];
    uint32_t image_xip_flash[2], image_xip_psram[2];
    /* The flash offsets of the app's rodata and text data (0 rodata, 1 text): what the
     * app's image_process reads from its image header (image_layout_flash_segments). */
    uint32_t image_flash[2];
} machine_t;

/* Build the machine for `chip` with every MMU entry invalid, every cache line
 * invalid, flash erased (0xFF), PSRAM zero, every bus and cache enabled (the state
 * the boot ROM leaves).  NULL on allocation failure. */
machine_t *machine_new(const chipdef_t *chip);
void machine_free(machine_t *m);

/* Record that the model could not carry out an operation the chip cannot fail (the
 * host ran out of memory for a store chunk): count it in m->failures, keep its message
 * in m->failure, prefixed by the call in progress (m->hazards.cause), and pass the
 * message to m->on_failure when set (the embedding API makes it its last error).  The
 * path that calls this leaves the machine as it was for that operation where it can
 * (a dirty line stays dirty) and makes its entry point fail.  Returns -1. */
int machine_fail(machine_t *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The store of a target (CHIPDEF_TARGET_*), or NULL. */
static inline store_t *machine_store(const machine_t *m, uint32_t target)
{
    return target == CHIPDEF_TARGET_FLASH   ? m->flash
           : target == CHIPDEF_TARGET_PSRAM ? m->psram
           : target == CHIPDEF_TARGET_INTERNAL ? m->sram
                                               : NULL;
}

/* `vaddr` lies in the internal RAM (none modelled: never). */
static inline bool machine_in_internal_ram(const machine_t *m, uint32_t vaddr)
{
    return vaddr - m->chip.internal_ram.vaddr < m->chip.internal_ram.size;
}

/* Set what one CPU access of `core` is: `width` bytes (1, 2, 4, 8 or 16) costing
 * `cpu_cycles` beyond the memory system.  -1 for a non-power-of-two width. */
int machine_set_access(machine_t *m, uint32_t core, uint32_t width, uint32_t cpu_cycles);

/* The cycles `n` bytes of CPU accesses by `core` cost where each access costs
 * `mem_cycles` in the memory system: a partial access counts whole.  The short cut of
 * bus.h charges the same. */
static inline uint64_t machine_access_cycles(const machine_t *m, uint32_t core, uint32_t mem_cycles, uint32_t n)
{
    const tlb_t *t = &m->tlb[core];
    return (uint64_t)(mem_cycles + t->cpu_cycles) * ((n + t->width_round) >> t->width_shift);
}

/* Host memory the machine holds (tables, cache lines and data, store chunks). */
size_t machine_resident_bytes(const machine_t *m);

#endif
