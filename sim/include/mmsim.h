/* mmsim.h - the embedding API: open a simulated Espressif chip in a host program,
 * run the real driver API on it, and inspect what the hardware did.
 *
 * One simulated chip per mmsim_t.  Opening and closing any number of chips in one
 * process leaks nothing.  Pointers handed out by the driver API are simulated chip
 * addresses: read and write them with mmsim_cpu_read/write, or, once the machine is
 * attached with mmsim_direct_attach (mmsim_direct.h, x86-64 Linux), dereference them
 * as on the chip; never dereference them on the host otherwise.
 *
 * Errors.  Every function that can fail says why, in two parts: a code (mmsim_err_t,
 * the class of the failure, for programs) and a message (mmsim_last_error(): which
 * function, which argument, which value, for people).  Functions returning int return
 * MMSIM_OK (0) on success and a negative mmsim_err_t on failure, so `!= 0` and `< 0`
 * both test for failure; they leave their outputs untouched on failure unless their
 * comment says otherwise.  Functions returning a value or a pointer return the neutral
 * value their comment names (0, NULL, "") for bad input.  Either way a failure sets
 * the thread's last error (mmsim_last_error, mmsim_last_error_code); a success leaves
 * it as it was (only mmsim_open and mmsim_clear_error clear it), as with errno.  A
 * NULL machine is a bad argument everywhere except mmsim_close and mmsim_select.
 *
 * The data paths behave like the hardware: a read of an invalid MMU entry returns
 * the chip's fill pattern, a stale cache line returns its stale bytes.  Such events
 * do not fail the call; they are recorded as hazards (mmsim_hazard_*). */
#ifndef MMSIM_H
#define MMSIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Errors ------------------------------------------------------------------ */

/* The class of a failure.  Every failure is negative; new codes may be added below
 * the last one, existing values never change. */
typedef enum {
    MMSIM_OK = 0,
    /* An argument is invalid: NULL machine, buffer (with len > 0) or out pointer; a
     * core, cache, MMU, table, entry, line, hazard record or hazard kind the chip (or
     * the log) does not have; a target other than MMSIM_TARGET_FLASH/PSRAM, or one the
     * chip has no memory for; a config field out of its domain (cfg->chip NULL,
     * cfg->driver unknown, cfg->nsets over 16); an unknown hazard name. */
    MMSIM_ERR_ARG = -1,
    /* An address range is not usable: it runs past the 32-bit address space, lies
     * (partly) outside the flash or PSRAM, or lacks the alignment the operation needs
     * (flash erase: 4 KB sectors). */
    MMSIM_ERR_RANGE = -2,
    /* The host ran out of memory: building the machine, or inside the model while it
     * did the call (a backing-store chunk for a flash program or erase, a DMA write,
     * or a dirty cache line written back during a CPU access).  A flash or DMA call
     * that fails so changed nothing; a CPU access may have been done in part. */
    MMSIM_ERR_NOMEM = -3,
    /* mmsim_open: the chip definition or the config was refused: unknown built-in
     * name, unreadable or invalid chip YAML, a "key=value" or typed override the chip
     * does not accept (the message is "file:line:column: rule broken"). */
    MMSIM_ERR_CHIP = -4,
    /* A file could not be read or written: mmsim_open's cfg->flash_image (missing,
     * unreadable, larger than the flash) or partition table (missing, unreadable, or
     * refused by the table reader: "file:line:column: ..." for a CSV, "file: entry N:
     * ..." for a binary table), or mmsim_flash_save's path. */
    MMSIM_ERR_IO = -5,
    /* mmsim_open: the chip's start-up failed: the bootloader refused every app of
     * cfg->build (the message is its verdict, with file and byte offset), the app
     * (app_irom_size/app_drom_size) does not fit, a driver's start-up failed or raised a hazard, the ESP-IDF driver
     * (cfg->driver = MMSIM_DRIVER_IDF) is not built in or would not load. */
    MMSIM_ERR_BOOT = -6,
    /* mmsim_translate: the address is in no window, or its MMU entry is invalid. */
    MMSIM_ERR_UNMAPPED = -7,
    /* mmsim_check_invariants: the machine or the drivers' state broke a rule. */
    MMSIM_ERR_INVARIANT = -8,
    /* The host cannot do it (mmsim_direct.h): not x86-64 Linux, a chip window's host
     * address range already in use, another machine already attached. */
    MMSIM_ERR_HOST = -9,
} mmsim_err_t;

/* A short fixed description of `code` ("invalid argument", ...); "unknown error code"
 * for a value that is no mmsim_err_t.  Never fails, never NULL, and does not touch
 * the last error (it is meant for printing one). */
const char *mmsim_strerror(int code);

/* The message of the last failure in this thread: the function, the argument at
 * fault and why ("mmsim_cpu_read: core 1 does not exist (esp32c3 has 1)"); "" if there
 * was none (or none since the last successful mmsim_open).  The buffer is this
 * thread's own; the next failure overwrites it.  Never fails, never NULL. */
const char *mmsim_last_error(void);

/* The code of that failure; MMSIM_OK if none.  Never fails. */
mmsim_err_t mmsim_last_error_code(void);

/* Forget this thread's last failure (message "", code MMSIM_OK).  As with errno, a
 * caller clears it before a call whose return value cannot tell failure from a real
 * answer (mmsim_cycles returning 0) and reads mmsim_last_error_code() afterwards. */
void mmsim_clear_error(void);

/* Record a failure as this thread's last error, as mmsim's own functions do: for
 * adapters built over this API (direct/, mmsim_direct.h) so their callers read one
 * error state.  `code` must be negative; returns it.  The message, printf-style,
 * names the function and the argument at fault. */
int mmsim_report_error(mmsim_err_t code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- Machines ------------------------------------------------------------------ */

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
    /* The partition table written into flash at boot: a partitions.csv or a binary
     * partitions.bin (firmware/include/fw_partition.h says what is accepted).  NULL: the
     * chip config's, else ESP-IDF's default single-app table (nvs, phy_init, factory),
     * except that a flash_image keeps its own bytes at the table's offset. */
    const char *partition_table;
    uint32_t partition_table_offset; /* CONFIG_PARTITION_TABLE_OFFSET (0x8000) */
    uint32_t app_offset;           /* flash offset of the app the bootloader maps (0x10000, factory) */
    /* CONFIG_BOOTLOADER_CACHE_32BIT_ADDR_QUAD_FLASH (_OCTAL_FLASH on an 8-line flash):
     * spi_flash_mmap maps flash at or past 16 MB.  Chips whose cache maps 32-bit flash
     * addresses (ESP32-S3, ESP32-P4) with a flash over 16 MB; false: the chip's default. */
    bool bootloader_cache_32bit_addr;
    /* CONFIG_SECURE_ENABLE_TEE: ESP-TEE keeps the first 192 KB and the last (TEE pages + 1)
     * pages of the esp_mmu_map region (ESP32-C5, C6, C61, H2); false: the chip's default. */
    bool secure_enable_tee;
    /* CONFIG_SPIRAM_FETCH_INSTRUCTIONS / CONFIG_SPIRAM_RODATA (ESP32-S2, S3) and
     * CONFIG_SPIRAM_XIP_FROM_PSRAM (both; S2, S3, C5, C61, H4, P4, S31): the start-up
     * copies the app's flash code / rodata pages to the start of PSRAM and maps them there;
     * the PSRAM heap starts after the copies.  Needs PSRAM; false: the chip's default. */
    bool spiram_fetch_instructions, spiram_rodata, spiram_xip_from_psram;
    /* CONFIG_PARTITION_TABLE_MD5 turned off (menuconfig's "Generate an MD5 checksum for
     * the partition table" unset, gen_esp32part.py --disable-md5sum): the table written
     * at boot has no MD5 record, and the app's load of the table neither requires nor
     * checks one.  Named the other way round so that false is ESP-IDF's default (on). */
    bool partition_table_no_md5;
    int driver;                    /* mmsim_driver_kind_t (mmsim_driver.h): 0 ours, 1 ESP-IDF's */
    /* A user's build to boot, as the chip boots it: a build/ folder (its flasher_args.json
     * or flash_args, with project_description.json and sdkconfig beside it), one of those
     * list files, a merged flash file or a lone app .bin (placed at 0x10000).  Its images
     * are written into flash, the bootloader chooses the app (partition table, otadata)
     * and maps its DROM/IROM segments; the build's sdkconfig sets the config values it
     * names (flash size, page size, PSRAM, table offset, ...) unless a field or `sets`
     * gives one, which must then agree.  chip may be NULL: the build's target.  NULL: the
     * synthetic app (app_irom_size/app_drom_size).  Not with flash_image. */
    const char *build;
    /* More board/Kconfig overrides as "key=value" (the chip YAML's config keys, e.g.
     * "psram_size=0" for a board without PSRAM), applied after the fields above. */
    const char *const *sets;
    size_t nsets;                  /* at most 16 */
    /* The sdkconfig choices that shape the memories, each checked against what the chip
     * offers (0 / NULL: the chip's default, ESP-IDF's).  The names follow Kconfig's:
     * dcache_* CONFIG_ESP32S3_DATA_CACHE_SIZE / _DCACHE_ASSOCIATED_WAYS / _DATA_CACHE_LINE_SIZE
     * (and ESP32-S2's), icache_* the INSTRUCTION_CACHE ones, l2_cache_* ESP32-P4's
     * CONFIG_CACHE_L2_CACHE_SIZE / _LINE_SIZE; spiram_speed CONFIG_SPIRAM_SPEED (MHz),
     * spiram_mode CONFIG_SPIRAM_MODE_QUAD/OCT/HEX ("quad", "oct", "hex"); flash_freq
     * CONFIG_ESPTOOLPY_FLASHFREQ_<N>M (MHz), flash_mode CONFIG_ESPTOOLPY_FLASHMODE_*
     * ("qio", "qout", "dio", "dout", "opi"); cpu_freq_mhz CONFIG_ESP_DEFAULT_CPU_FREQ_MHZ
     * (MHz: the clock every cycle count is in; ESP-IDF's default is 160 on ESP32, S2 and
     * S3, so an SPI transfer costs fewer cycles than at 240). */
    uint32_t dcache_size, dcache_ways, dcache_line_size;
    uint32_t icache_size, icache_ways, icache_line_size;
    uint32_t l2_cache_size, l2_cache_line_size;
    uint32_t spiram_speed, flash_freq;
    const char *spiram_mode, *flash_mode;
    uint32_t cpu_freq_mhz;
} mmsim_config_t;

/* A config for `chip` with every other field at the chip's default.  Never fails
 * (a NULL chip is refused by mmsim_open). */
mmsim_config_t mmsim_config_default(const char *chip);

/* Build and boot the chip, and make it the current machine of this thread (see
 * mmsim_select).
 *   cfg  what to build; the sizes and overrides are checked by the chip loader.
 *   out  receives the new machine.
 * Returns MMSIM_OK, and clears the last error; or
 *   MMSIM_ERR_ARG    cfg, cfg->chip or out NULL, cfg->driver unknown, cfg->nsets over
 *                    16, cfg->sets or one of its first nsets strings NULL;
 *   MMSIM_ERR_CHIP   the chip definition or an override refused ("file:line:column:
 *                    message" for chip files);
 *   MMSIM_ERR_IO     cfg->flash_image or the partition table could not be loaded (the
 *                    message names the path, and for a table the line or entry);
 *   MMSIM_ERR_BOOT   the start-up code failed;
 *   MMSIM_ERR_NOMEM  out of host memory.
 * On failure *out is untouched, nothing is left allocated, and the thread's current
 * machine is the one that was current before. */
int mmsim_open(const mmsim_config_t *cfg, mmsim_t **out);

/* Release everything the machine owns; if it was this thread's current machine,
 * there is no current machine afterwards.  NULL is ignored (no error), as by free(). */
void mmsim_close(mmsim_t *m);

/* Make `m` the machine that the HAL (mmu_hal_*, cache_hal_*, ...) and therefore the
 * driver API act on in this thread.  NULL: none.  Returns the previous one.  Never
 * fails (`m` must be an open machine or NULL). */
mmsim_t *mmsim_select(mmsim_t *m);
/* This thread's current machine, NULL if none.  Never fails. */
mmsim_t *mmsim_current(void);

/* The chip's name ("esp32s3"), its core count, CPU clock in MHz and the MMU page size
 * in force.  A NULL machine is MMSIM_ERR_ARG: "" for the name, 0 for the numbers. */
const char *mmsim_chip_name(const mmsim_t *m);
uint32_t mmsim_cores(const mmsim_t *m);
uint32_t mmsim_cpu_mhz(const mmsim_t *m);
uint32_t mmsim_page_size(const mmsim_t *m);
/* The board's flash and PSRAM sizes in bytes (PSRAM 0 on a board without it).  A NULL
 * machine: 0, and MMSIM_ERR_ARG as the last error. */
uint32_t mmsim_flash_size(const mmsim_t *m);
uint32_t mmsim_psram_size(const mmsim_t *m);

/* Check the machine and the drivers' state: cache lines consistent with their tags,
 * sets and flags, the holder filters, the MMU entry states; the map driver's blocks
 * sorted, disjoint, mapped where they say and max_slot_size exact, free pages invalid;
 * himem's bookkeeping consistent.  Reads only; the scenario runner and the fuzzers
 * call it after every step.
 *   why, len  receives the first broken rule ("" if none); may be NULL or 0.
 * Returns MMSIM_OK; MMSIM_ERR_INVARIANT with the rule in `why` and in the last error
 * ("mmsim_check_invariants: <rule>"); MMSIM_ERR_ARG for a NULL machine (the message
 * goes to `why` too). */
int mmsim_check_invariants(mmsim_t *m, char *why, size_t len);

/* What the chip's start-up code logged while mmsim_open booted it (ESP32: himem's
 * "Initialized. ..." line), "" if nothing.  Boot lines are kept here, not printed.
 * A NULL machine is MMSIM_ERR_ARG and returns "". */
const char *mmsim_boot_log(const mmsim_t *m);

/* Memory targets, as ESP-IDF's mmu_target_t. */
#define MMSIM_TARGET_FLASH 0x1u
#define MMSIM_TARGET_PSRAM 0x2u
/* The internal RAM (DMA only): addressed by its chip address, as a DMA descriptor does. */
#define MMSIM_TARGET_INTERNAL 0x4u

/* ---- Access paths ------------------------------------------------------------ */

/* A CPU load of `len` bytes at chip address `vaddr` on `core`, through window, MMU
 * and cache(s), into `buf`.  Sizes 1, 2 and 4 are single accesses; longer ranges are
 * a sequence of them (any length, any alignment).  len 0 does nothing (buf may then
 * be NULL).  What the hardware would do wrong (unmapped, stale, ...) is a hazard,
 * not a failure.
 * Returns MMSIM_OK; or
 *   MMSIM_ERR_ARG    NULL machine, core out of range, NULL buf with len > 0;
 *   MMSIM_ERR_RANGE  [vaddr, vaddr + len) runs past 4 GB;
 *   MMSIM_ERR_NOMEM  the model ran out of host memory (a dirty line written back on
 *                    the way): buf may hold part of the bytes.
 * On an argument error nothing is read, charged or recorded. */
int mmsim_cpu_read(mmsim_t *m, uint32_t core, uint32_t vaddr, void *buf, size_t len);

/* A CPU store, as mmsim_cpu_read (buf is read).  Stores to flash or through a window
 * without write access are dropped by the bus and recorded as hazards. */
int mmsim_cpu_write(mmsim_t *m, uint32_t core, uint32_t vaddr, const void *buf, size_t len);

/* An instruction fetch of `len` bytes, as mmsim_cpu_read but on the instruction path:
 * I-cache, and a capability hazard from a window without EXEC. */
int mmsim_cpu_fetch(mmsim_t *m, uint32_t core, uint32_t vaddr, void *buf, size_t len);

/* SPI1 flash operations at physical flash offsets; they bypass every cache.
 * Write programs NOR-style (bits only clear); erase needs 4 KB alignment of paddr
 * and len.  Cycles are charged to the driver core (mmsim_set_driver_core).  len 0
 * does nothing (buf may then be NULL; paddr may be the flash size, and must still
 * be 4 KB aligned for erase).
 * Returns MMSIM_OK; or
 *   MMSIM_ERR_ARG    NULL machine, NULL buf with len > 0;
 *   MMSIM_ERR_RANGE  [paddr, paddr + len) not inside the flash, or (erase) paddr or
 *                    len not a multiple of 4 KB;
 *   MMSIM_ERR_NOMEM  write, erase: no host memory for the store's chunks.
 * On failure the flash, the caches and the cycle counters are unchanged. */
int mmsim_flash_read(mmsim_t *m, uint32_t paddr, void *buf, size_t len);
int mmsim_flash_write(mmsim_t *m, uint32_t paddr, const void *buf, size_t len);
int mmsim_flash_erase(mmsim_t *m, uint32_t paddr, size_t len);

/* Save the whole flash to `path`, atomically (temp file, fsync, rename).  Nothing
 * else ever writes a file.
 * Returns MMSIM_OK; MMSIM_ERR_ARG for a NULL machine or path; MMSIM_ERR_IO when a step
 * failed (the message names the path, the step and the system's reason; an existing
 * file at `path` is then untouched unless only the final directory fsync failed);
 * MMSIM_ERR_NOMEM out of host memory. */
int mmsim_flash_save(mmsim_t *m, const char *path);

/* DMA of a physical range of `target` (MMSIM_TARGET_*), bypassing every cache.  A
 * DMA write to flash programs it NOR-style.  For MMSIM_TARGET_INTERNAL `paddr` is the
 * internal RAM's chip address (mmsim_internal_ram).  len 0 does nothing.
 * Returns MMSIM_OK; or
 *   MMSIM_ERR_ARG    NULL machine, NULL buf with len > 0, target not FLASH, PSRAM or
 *                    INTERNAL, or one the chip has no memory for;
 *   MMSIM_ERR_RANGE  [paddr, paddr + len) not inside the target's store;
 *   MMSIM_ERR_NOMEM  write: no host memory for the store's chunks.
 * On failure memory is unchanged and no hazard is recorded. */
int mmsim_dma_read(mmsim_t *m, uint32_t target, uint32_t paddr, void *buf, size_t len);
int mmsim_dma_write(mmsim_t *m, uint32_t target, uint32_t paddr, const void *buf, size_t len);

/* The internal RAM's chip address and size (SOC_DMA_LOW..SOC_DMA_HIGH): CPU loads
 * and stores there take no MMU and no cache, a cycle per word; DMA reaches it as
 * MMSIM_TARGET_INTERNAL.  Either out pointer may be NULL.  Returns MMSIM_OK;
 * MMSIM_ERR_ARG for a NULL machine or a chip definition without internal_ram (both
 * outs then 0). */
int mmsim_internal_ram(const mmsim_t *m, uint32_t *vaddr, uint32_t *size);

/* ---- Time ---------------------------------------------------------------------- */

/* The core that driver code runs on (default 0): the HAL's MMU writes and cache
 * operations, and SPI1 flash operations, are charged to it.
 * Returns MMSIM_OK; MMSIM_ERR_ARG for a NULL machine or a core the chip does not
 * have (the driver core is then unchanged). */
int mmsim_set_driver_core(mmsim_t *m, uint32_t core);

/* Deterministic cycle counter of `core`, and the same in nanoseconds at the chip's
 * CPU clock.  A NULL machine or a core out of range is MMSIM_ERR_ARG and returns 0. */
uint64_t mmsim_cycles(const mmsim_t *m, uint32_t core);
uint64_t mmsim_time_ns(const mmsim_t *m, uint32_t core);

/* What one CPU access of `core` stands for in the cycle count, so that one
 * mmsim_cpu_read/write of many bytes times the loop that would move them: `width`
 * bytes per load or store (1, 2, 4, 8 or 16; 4 after mmsim_open), each costing
 * `cpu_cycles` beyond the memory system (negative: the chip definition's
 * cpu_access_cycles, the default).  MMSIM_ERR_ARG for a NULL machine, a core out of
 * range or another width (nothing changed then). */
int mmsim_set_access(mmsim_t *m, uint32_t core, uint32_t width, int32_t cpu_cycles);

/* Where the cycles of a core went since boot (mmsim_cycles is their sum). */
typedef struct {
    uint64_t hits;         /* cache hits and internal RAM accesses, with the CPU's cost per access */
    uint64_t fills;        /* line fills the CPU waited for (the bus included), uncached loads */
    uint64_t writebacks;   /* write-backs the CPU waited for, write-through and uncached stores */
    uint64_t spi1;         /* SPI1 flash reads, programs, erases */
    uint64_t mmu;          /* MMU entry writes */
    uint64_t maintenance;  /* cache maintenance */
    uint64_t faults;       /* faulting accesses */
} mmsim_cycles_spent_t;

/* Fill *out for `core`.  MMSIM_ERR_ARG for a NULL machine or out, or a core out of
 * range (*out untouched then). */
int mmsim_cycles_spent(const mmsim_t *m, uint32_t core, mmsim_cycles_spent_t *out);

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
    MMSIM_HAZARD_WRITEBACK_REMAPPED,  /* a write-back went where the MMU maps now, not where the line came from */
    MMSIM_HAZARD_WRITEBACK_UNMAPPED,  /* a write-back met an invalid MMU entry: its bytes are lost */
    MMSIM_HAZARD_DMA_WRITE_DIRTY,     /* DMA wrote memory that a cache holds dirty */
    MMSIM_HAZARD_WRITEBACK_OVER_DMA,  /* a write-back overwrote bytes DMA wrote after the line was filled */
    MMSIM_HAZARD_DMA_UNALIGNED,       /* DMA covered part of a line a cache holds dirty */
    MMSIM_HAZARD_ROM_ERRATA,          /* a ROM routine with a known erratum the release does not work around */
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

/* Short name of a kind ("stale_read", ...); a kind out of range is MMSIM_ERR_ARG and
 * returns "unknown". */
const char *mmsim_hazard_name(mmsim_hazard_kind_t kind);
/* The kind named `name`; MMSIM_ERR_ARG (negative) for NULL or a name that is no kind. */
int mmsim_hazard_from_name(const char *name);

/* Hazards raised since open (or the last clear).  The first 65536 are kept in full;
 * the count keeps counting beyond that.  A NULL machine, or a kind out of range, is
 * MMSIM_ERR_ARG and returns 0. */
size_t mmsim_hazard_count(const mmsim_t *m);
size_t mmsim_hazard_count_kind(const mmsim_t *m, mmsim_hazard_kind_t kind);
/* The i-th kept record, valid until the next access, clear or close; NULL (and
 * MMSIM_ERR_ARG) for a NULL machine or i not below the number kept, so a loop may
 * end on NULL. */
const mmsim_hazard_t *mmsim_hazard_get(const mmsim_t *m, size_t i);
/* Forget every record and count.  A NULL machine is MMSIM_ERR_ARG (nothing done). */
void mmsim_hazard_clear(mmsim_t *m);
/* One line describing `h` (no newline) into buf, truncated to `size` bytes with its
 * NUL as snprintf does (size 0: nothing written); returns buf.  A NULL h is
 * MMSIM_ERR_ARG and writes "", a NULL buf with size > 0 is MMSIM_ERR_ARG and
 * writes nothing. */
char *mmsim_hazard_format(const mmsim_hazard_t *h, char *buf, size_t size);

/* Label the records raised from now on with step number `step`.  A NULL machine is
 * MMSIM_ERR_ARG (nothing done). */
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

/* Number of caches of the chip (I/D/L2, counted once even if per-core).  A NULL
 * machine is MMSIM_ERR_ARG and returns 0. */
uint32_t mmsim_cache_count(const mmsim_t *m);
/* The shape of cache `cache` (< mmsim_cache_count) into *out.  MMSIM_OK, or
 * MMSIM_ERR_ARG for a NULL machine or out, or no such cache (*out untouched). */
int mmsim_cache_info(const mmsim_t *m, uint32_t cache, mmsim_cache_info_t *out);
/* Statistics of the instance of `cache` that `core` uses.  MMSIM_OK, or MMSIM_ERR_ARG
 * for a NULL machine or out, no such cache or no such core (*out untouched). */
int mmsim_cache_stats(const mmsim_t *m, uint32_t cache, uint32_t core, mmsim_cache_stats_t *out);
/* Line `index` (set * ways + way) of that instance.  MMSIM_OK, or MMSIM_ERR_ARG as
 * mmsim_cache_stats and for an index not below sets * ways (*out untouched). */
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

/* Number of MMUs of the chip.  A NULL machine is MMSIM_ERR_ARG and returns 0. */
uint32_t mmsim_mmu_count(const mmsim_t *m);
/* MMU `mmu` (< mmsim_mmu_count) into *out.  MMSIM_OK, or MMSIM_ERR_ARG for a NULL
 * machine or out, or no such MMU (*out untouched). */
int mmsim_mmu_info(const mmsim_t *m, uint32_t mmu, mmsim_mmu_info_t *out);
/* Entry `entry` of table `table` (< tables) of MMU `mmu`, decoded.  MMSIM_OK, or
 * MMSIM_ERR_ARG for a NULL machine or out, or no such MMU, table or entry (*out
 * untouched). */
int mmsim_mmu_entry(const mmsim_t *m, uint32_t mmu, uint32_t table, uint32_t entry,
                    mmsim_mmu_entry_t *out);

/* Translate `vaddr` as `core` sees it, as the CPU would (window, then MMU entry);
 * records nothing, charges nothing.  paddr and target (MMSIM_TARGET_*) may be NULL.
 * Returns MMSIM_OK with *paddr and *target set; or
 *   MMSIM_ERR_ARG       NULL machine, core out of range;
 *   MMSIM_ERR_UNMAPPED  vaddr is in no window, or its entry is invalid (never mapped,
 *                       or unmapped): the message says which.
 * On failure *paddr and *target are untouched. */
int mmsim_translate(const mmsim_t *m, uint32_t core, uint32_t vaddr, uint32_t *paddr,
                    uint32_t *target);

/* A virtual window of the chip: the CPU addresses one MMU decodes. */
typedef struct {
    const char *name;      /* "DBUS0", "DROM0", ... (valid while the machine is open) */
    uint32_t vaddr;        /* first address */
    uint32_t size;         /* bytes */
} mmsim_window_info_t;

/* Number of virtual windows of the chip.  A NULL machine is MMSIM_ERR_ARG and returns 0. */
uint32_t mmsim_window_count(const mmsim_t *m);
/* Window `window` (< mmsim_window_count) into *out.  MMSIM_OK, or MMSIM_ERR_ARG for a
 * NULL machine or out, or no such window (*out untouched). */
int mmsim_window_info(const mmsim_t *m, uint32_t window, mmsim_window_info_t *out);

/* Host bytes the machine holds (tables, caches, allocated store chunks).  A NULL
 * machine is MMSIM_ERR_ARG and returns 0. */
size_t mmsim_resident_bytes(const mmsim_t *m);

#ifdef __cplusplus
}
#endif

#endif
