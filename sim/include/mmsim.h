/* mmsim.h - the embedding API: open a simulated Espressif chip in a host program,
 * run the real driver API on it, and inspect what the hardware did.
 *
 * One simulated chip per mmsim_t.  Opening and closing any number of chips in one
 * process leaks nothing.  Pointers handed out by the driver API are simulated chip
 * addresses: read and write them with mmsim_cpu_read/write, never dereference them
 * on the host.  Functions returning int return 0 on success; on failure they return
 * a negative value and leave their outputs untouched, and mmsim_last_error() says why.
 *
 * The data paths behave like the hardware: a read of an invalid MMU entry returns
 * the chip's fill pattern, a stale cache line returns its stale bytes.  Such events
 * do not fail the call; they are recorded as hazards (mmsim_hazard_*). */
#ifndef MMSIM_H
#define MMSIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mmsim mmsim_t;

/* What to build.  Zero (or NULL) in any field means the chip definition's default. */
typedef struct {
    const char *chip;              /* built-in name ("esp32s3") or path to a chip YAML file */
    uint32_t flash_size;           /* bytes */
    uint32_t psram_size;           /* bytes */
    uint32_t mmu_page_size;        /* CONFIG_MMU_PAGE_SIZE on chips where it is configurable */
    uint32_t spiram_bankswitch_reserve; /* ESP32 himem window pages (CONFIG_SPIRAM_BANKSWITCH_RESERVE) */
    uint32_t app_irom_size;        /* flash code the app's image maps at boot */
    uint32_t app_drom_size;        /* flash rodata the app's image maps at boot */
    const char *idf_version;       /* driver behaviour to mimic: "master", "v5.3.0", ... */
    const char *flash_image;       /* initial flash contents, read-only; NULL: erased flash */
    int driver;                    /* mmsim_driver_kind_t (mmsim_driver.h): 0 ours, 1 ESP-IDF's */
    /* More board/Kconfig overrides as "key=value" (the chip YAML's config keys, e.g.
     * "psram_size=0" for a board without PSRAM), applied after the fields above. */
    const char *const *sets;
    size_t nsets;                  /* at most 16 */
} mmsim_config_t;

/* A config for `chip` with every other field at the chip's default. */
mmsim_config_t mmsim_config_default(const char *chip);

/* Build and boot the chip, and make it the current machine of this thread (see
 * mmsim_select).  On success *out is the new machine; on failure *out is untouched,
 * the return is negative and mmsim_last_error() names the problem (for chip files:
 * "file:line:column: message"). */
int mmsim_open(const mmsim_config_t *cfg, mmsim_t **out);

/* Release everything the machine owns; if it was this thread's current machine,
 * there is no current machine afterwards.  NULL is ignored. */
void mmsim_close(mmsim_t *m);

/* Make `m` the machine that the HAL (mmu_hal_*, cache_hal_*, ...) and therefore the
 * driver API act on in this thread.  NULL: none.  Returns the previous one. */
mmsim_t *mmsim_select(mmsim_t *m);
mmsim_t *mmsim_current(void);

/* The message of the last failure in this thread ("" if none). */
const char *mmsim_last_error(void);

/* The chip's name ("esp32s3"), its core count, CPU clock and the page size in force. */
const char *mmsim_chip_name(const mmsim_t *m);
uint32_t mmsim_cores(const mmsim_t *m);
uint32_t mmsim_cpu_mhz(const mmsim_t *m);
uint32_t mmsim_page_size(const mmsim_t *m);
/* The board's flash and PSRAM sizes in bytes (PSRAM 0 on a board without it). */
uint32_t mmsim_flash_size(const mmsim_t *m);
uint32_t mmsim_psram_size(const mmsim_t *m);
/* Check the machine and the drivers' state: cache lines consistent with their tags,
 * sets and flags, the holder filters, the MMU entry states; the map driver's blocks
 * sorted, disjoint, mapped where they say and max_slot_size exact, free pages invalid;
 * himem's bookkeeping consistent.  0, or -1 with the first broken rule in `why` (may be
 * NULL).  Reads only; the scenario runner and the fuzzers call it after every step. */
int mmsim_check_invariants(mmsim_t *m, char *why, size_t len);

/* What the chip's start-up code logged while mmsim_open booted it (ESP32: himem's
 * "Initialized. ..." line), "" if nothing.  Boot lines are kept here, not printed. */
const char *mmsim_boot_log(const mmsim_t *m);

/* Memory targets, as ESP-IDF's mmu_target_t. */
#define MMSIM_TARGET_FLASH 0x1u
#define MMSIM_TARGET_PSRAM 0x2u

/* ---- Access paths ------------------------------------------------------------ */

/* A CPU load of `len` bytes at chip address `vaddr` on `core`, through window, MMU
 * and cache(s), into `buf`.  Sizes 1, 2 and 4 are single accesses; longer ranges are
 * a sequence of them (any length, any alignment).  Returns 0, or -1 for a bad
 * argument (core out of range, NULL buf, range wrapping past 4 GB). */
int mmsim_cpu_read(mmsim_t *m, uint32_t core, uint32_t vaddr, void *buf, size_t len);

/* A CPU store, as mmsim_cpu_read.  Stores to flash or through a window without
 * write access are dropped by the bus and recorded as hazards. */
int mmsim_cpu_write(mmsim_t *m, uint32_t core, uint32_t vaddr, const void *buf, size_t len);

/* An instruction fetch of `len` bytes (as a read, but on the instruction path:
 * I-cache, and a capability hazard from a window without EXEC). */
int mmsim_cpu_fetch(mmsim_t *m, uint32_t core, uint32_t vaddr, void *buf, size_t len);

/* SPI1 flash operations at physical flash offsets; they bypass every cache.
 * Write programs NOR-style (bits only clear); erase needs 4 KB alignment of addr
 * and len.  Cycles are charged to the driver core (mmsim_set_driver_core).
 * -1 for a range outside the flash or a bad alignment (nothing changed). */
int mmsim_flash_read(mmsim_t *m, uint32_t paddr, void *buf, size_t len);
int mmsim_flash_write(mmsim_t *m, uint32_t paddr, const void *buf, size_t len);
int mmsim_flash_erase(mmsim_t *m, uint32_t paddr, size_t len);

/* Save the whole flash to `path`, atomically (temp file, fsync, rename).  Nothing
 * else ever writes a file. */
int mmsim_flash_save(mmsim_t *m, const char *path);

/* DMA of a physical range of `target` (MMSIM_TARGET_*), bypassing every cache.  A
 * DMA write to flash programs it NOR-style.  -1 for a bad target or range. */
int mmsim_dma_read(mmsim_t *m, uint32_t target, uint32_t paddr, void *buf, size_t len);
int mmsim_dma_write(mmsim_t *m, uint32_t target, uint32_t paddr, const void *buf, size_t len);

/* ---- Time ---------------------------------------------------------------------- */

/* The core that driver code runs on (default 0): the HAL's MMU writes and cache
 * operations, and SPI1 flash operations, are charged to it.  -1 if no such core. */
int mmsim_set_driver_core(mmsim_t *m, uint32_t core);

/* Deterministic cycle counter of `core` (0 for a core out of range), and the same
 * in nanoseconds at the chip's CPU clock. */
uint64_t mmsim_cycles(const mmsim_t *m, uint32_t core);
uint64_t mmsim_time_ns(const mmsim_t *m, uint32_t core);

/* ---- Hazards ------------------------------------------------------------------- */

typedef enum {
    MMSIM_HAZARD_STALE_READ = 0,      /* a CPU read hit a line whose backing bytes changed */
    MMSIM_HAZARD_LOST_WRITE,          /* a dirty line was invalidated without write-back */
    MMSIM_HAZARD_DMA_STALE,           /* DMA read memory that a cache holds dirty */
    MMSIM_HAZARD_ALIAS_CONFLICT,      /* two cache lines hold one physical line, one dirty */
    MMSIM_HAZARD_UNMAPPED_ACCESS,     /* CPU access outside every window or to an invalid entry */
    MMSIM_HAZARD_USE_AFTER_UNMAP,     /* CPU access to a page whose entry was unmapped */
    MMSIM_HAZARD_WRITE_READ_ONLY,     /* store to flash or through a window without write */
    MMSIM_HAZARD_CAPABILITY,          /* byte access to a word-only window, fetch without exec */
    MMSIM_HAZARD_CACHE_DISABLED,      /* CPU access while the cache it needs is disabled */
    MMSIM_HAZARD_HAL_ASSERT,          /* a HAL contract (the chip's HAL_ASSERT) was broken */
    MMSIM_HAZARD_ABORT,               /* the code called abort() where the chip would */
    MMSIM_HAZARD_KIND_COUNT
} mmsim_hazard_kind_t;

typedef struct {
    mmsim_hazard_kind_t kind;
    int32_t core;          /* -1: not a CPU (SPI1, DMA, or no core involved) */
    uint32_t vaddr;        /* 0 when not a CPU address */
    uint32_t paddr;
    uint32_t target;       /* MMSIM_TARGET_*, 0 if none */
    int32_t cache;         /* chip cache index (mmsim_cache_info), -1 if none */
    int32_t line;          /* line index in that cache instance, -1 if none */
    uint32_t step;         /* the step number set with mmsim_set_step */
    char cause[48];        /* the call or path: "cpu read", "cache_hal_invalidate_addr", ... */
    char detail[200];      /* one sentence: what happened and the rule broken */
} mmsim_hazard_t;

/* Short name of a kind ("stale_read", ...), and the kind for a name (-1: none). */
const char *mmsim_hazard_name(mmsim_hazard_kind_t kind);
int mmsim_hazard_from_name(const char *name);

/* Hazards raised since open (or the last clear).  The first 65536 are kept in full;
 * the count keeps counting beyond that. */
size_t mmsim_hazard_count(const mmsim_t *m);
size_t mmsim_hazard_count_kind(const mmsim_t *m, mmsim_hazard_kind_t kind);
/* The i-th kept record, or NULL. */
const mmsim_hazard_t *mmsim_hazard_get(const mmsim_t *m, size_t i);
void mmsim_hazard_clear(mmsim_t *m);
/* One line describing `h` (no newline) into buf; returns buf. */
char *mmsim_hazard_format(const mmsim_hazard_t *h, char *buf, size_t size);

/* Label the records raised from now on with step number `step`. */
void mmsim_set_step(mmsim_t *m, uint32_t step);

/* ---- Inspection (read-only) ----------------------------------------------------- */

typedef struct {
    const char *name;
    uint32_t level;        /* ESP-IDF cache level id */
    int kind;              /* 0 unified, 1 instruction, 2 data */
    int per_core;          /* one instance per core */
    uint32_t size, ways, line_size, sets;
    int write_back;
} mmsim_cache_info_t;

typedef struct {
    uint64_t hits, misses, fills, writebacks, evictions, invalidations;
} mmsim_cache_stats_t;

typedef struct {
    uint32_t key;          /* line address it is tagged with (virtual); 0 while invalid */
    uint32_t paddr;        /* physical line it holds */
    uint32_t target;
    int valid, dirty, stale;
    uint64_t lru;          /* larger = more recently used */
    const uint8_t *data;   /* line_size bytes, valid until the next access */
} mmsim_cache_line_t;

/* Number of caches of the chip (I/D/L2, counted once even if per-core). */
uint32_t mmsim_cache_count(const mmsim_t *m);
int mmsim_cache_info(const mmsim_t *m, uint32_t cache, mmsim_cache_info_t *out);
/* Statistics of the instance of `cache` that `core` uses. */
int mmsim_cache_stats(const mmsim_t *m, uint32_t cache, uint32_t core, mmsim_cache_stats_t *out);
/* Line `index` (set * ways + way) of that instance. */
int mmsim_cache_line(const mmsim_t *m, uint32_t cache, uint32_t core, uint32_t index,
                     mmsim_cache_line_t *out);

typedef struct {
    const char *name;
    uint32_t entries;
    uint32_t tables;       /* per-CPU copies */
} mmsim_mmu_info_t;

typedef struct {
    uint32_t raw;          /* the register value */
    int valid;
    uint32_t target;       /* MMSIM_TARGET_* (0 if invalid) */
    uint32_t paddr;        /* page base (valid entries) */
} mmsim_mmu_entry_t;

uint32_t mmsim_mmu_count(const mmsim_t *m);
int mmsim_mmu_info(const mmsim_t *m, uint32_t mmu, mmsim_mmu_info_t *out);
int mmsim_mmu_entry(const mmsim_t *m, uint32_t mmu, uint32_t table, uint32_t entry,
                    mmsim_mmu_entry_t *out);

/* Translate `vaddr` as `core` sees it: 0 with paddr/target, -1 if no window holds it
 * or its entry is invalid.  Records nothing. */
int mmsim_translate(const mmsim_t *m, uint32_t core, uint32_t vaddr, uint32_t *paddr,
                    uint32_t *target);

/* Host bytes the machine holds (tables, caches, allocated store chunks). */
size_t mmsim_resident_bytes(const mmsim_t *m);

#ifdef __cplusplus
}
#endif

#endif
