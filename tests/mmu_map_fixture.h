/* mmu_map_fixture.h - what the test_esp_mmu_map_*.c files share: the chips of §5.2 with
 * their expected numbers (CHIPS), opening and closing machines that the teardown checks
 * and closes, capturing the driver's log lines, reading the dump, and short checks of the
 * driver's answers.
 *
 * Unless a test says otherwise a chip is booted with the app at 256 KB IROM + 128 KB DROM
 * and without PSRAM (open_bare), so its regions are those of §5.2 less the app: the
 * per-chip numbers in CHIPS follow from §5.2 by hand, not from the driver.  Besides the
 * public API the tests use the driver's private boot calls (§1.12, the private dump) and,
 * for set-up only, the HAL's cache bus switch. */
#ifndef MMSIM_MMU_MAP_FIXTURE_H
#define MMSIM_MMU_MAP_FIXTURE_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "esp_log.h"
#include "esp_mmu_map.h"
#include "hal/mmu_hal.h"
#include "esp_private/esp_mmu_map_private.h"
#include "hal/cache_ll.h"
#include "mmsim.h"

#define KB(n) ((uint32_t)(n) * 1024u)
#define MB(n) ((uint32_t)(n) * 1024u * 1024u)
#define PG 0x10000u /* the 64 KB MMU page of every chip at its default flash size */
#define FLASH MMU_TARGET_FLASH0
#define PSRAM MMU_TARGET_PSRAM0
#define R MMU_MEM_CAP_READ
#define W MMU_MEM_CAP_WRITE
#define X MMU_MEM_CAP_EXEC
#define B8 MMU_MEM_CAP_8BIT
#define B32 MMU_MEM_CAP_32BIT
#define SHARED ESP_MMU_MMAP_FLAG_PADDR_SHARED

#define assert_hex(a, b)                                                                                 \
    do {                                                                                                 \
        uint32_t a_ = (uint32_t)(a), b_ = (uint32_t)(b);                                                 \
        ck_assert_msg(a_ == b_, "%s is 0x%x, expected 0x%x (%s)", #a, (unsigned)a_, (unsigned)b_, #b);   \
    } while (0)

#define assert_err(call, want)                                                                           \
    do {                                                                                                 \
        esp_err_t got_ = (call), want_ = (want);                                                         \
        ck_assert_msg(got_ == want_, "%s returned %s (0x%x), expected %s", #call, esp_err_to_name(got_),  \
                      (unsigned)got_, esp_err_to_name(want_));                                           \
    } while (0)

static inline uint32_t U(const void *p) { return (uint32_t)(uintptr_t)p; }
static inline void *V(uint32_t v) { return (void *)(uintptr_t)v; }

/* ---- machines --------------------------------------------------------------------------- */

/* Open a machine (its hazards none, its invariants kept) that the teardown closes if the
 * test does not. */
mmsim_t *open_cfg(const mmsim_config_t *cfg);
mmsim_t *open_chip(const char *name, const char *const *sets, size_t nsets, uint32_t irom, uint32_t drom);
/* Check the invariants of `m`, then close it. */
void close_chip(mmsim_t *m);
/* A machine the test opens or closes must still be consistent, driver state included. */
void assert_invariants(mmsim_t *m);

extern const char *const NO_PSRAM[1]; /* {"psram_size=0"} */

/* The test case of suite `s` named `name`, with the teardown below and a long timeout. */
TCase *tc(Suite *s, const char *name);
/* Run the suite; 0 if every test passed and every machine was consistent at its end. */
int mmu_map_run(Suite *s);

/* ---- the driver's log lines -------------------------------------------------------------- */

/* Start collecting the driver's log lines at `level` (VERBOSE shows the DEBUG ones). */
void log_begin(esp_log_level_t level);
/* The lines collected so far with the parts that vary removed: "E (12) mmap: f(345): m"
 * becomes "E mmap: f(): m".  Restarts the collection.  Caller frees. */
char *log_take(void);

#define assert_log(want)                                                                                 \
    do {                                                                                                 \
        char *got_log_ = log_take();                                                                     \
        const char *want_log_ = (want);                                                                  \
        ck_assert_str_eq(got_log_, want_log_);                                                           \
        free(got_log_);                                                                                  \
    } while (0)

/* ---- the dump ---------------------------------------------------------------------------- */

/* The text esp_mmu_map_dump_mapped_blocks writes (caller frees). */
char *dump_text(void);

#define assert_dump(want)                                                                                \
    do {                                                                                                 \
        char *got_dump_ = dump_text();                                                                   \
        const char *want_dump_ = (want);                                                                 \
        ck_assert_str_eq(got_dump_, want_dump_);                                                         \
        free(got_dump_);                                                                                 \
    } while (0)

/* One region of the dump: its value line and how many block lines follow. */
typedef struct {
    unsigned bus, start, free_head, end, caps, max_slot;
    int blocks;
} region_t;

/* Up to `max` regions of the dump into `out`; how many. */
int dump_regions(region_t *out, int max);
/* Region `i` of the dump (it must exist). */
region_t region(int i);
int region_count(void);

/* ---- the driver's answers, checked --------------------------------------------------------- */

/* esp_mmu_map that must succeed with a page-aligned vaddr. */
void *map_ok(esp_paddr_t paddr, size_t size, mmu_target_t target, mmu_mem_caps_t caps, int flags);
/* esp_mmu_map_get_max_consecutive_free_block_size that must succeed. */
size_t max_slot(mmu_mem_caps_t caps, mmu_target_t target);
/* esp_mmu_vaddr_to_paddr must give this paddr and target. */
void assert_paddr(void *vaddr, esp_paddr_t want_paddr, mmu_target_t want_target);
/* esp_mmu_paddr_to_vaddr that must succeed. */
uint32_t p2v(esp_paddr_t paddr, mmu_target_t target, mmu_vaddr_t type);
/* esp_mmu_paddr_find_caps that must succeed. */
mmu_mem_caps_t find_caps(esp_paddr_t paddr);

/* ---- the machine, below the driver ---------------------------------------------------------- */

/* A CPU load / instruction fetch of 4 bytes on core 0 that must succeed. */
uint32_t read32(mmsim_t *m, uint32_t vaddr);
uint32_t fetch32(mmsim_t *m, uint32_t vaddr);
/* A 4-byte SPI1 flash write that must succeed. */
void flash_put32(mmsim_t *m, uint32_t paddr, uint32_t value);
/* Fail with the first hazard if `m` raised any. */
void assert_no_hazards(mmsim_t *m);

/* The text of a file (NULL-terminated, caller frees). */
char *read_text(const char *path);
/* ESP32-S2's chip file with IRAM0 split into two regions on the same bus, written to
 * <dir>/esp32s2-split.yaml in a new temporary directory (the caller removes both): no
 * shipped table has two regions on one bus. */
void write_split_s2(char *dir, char *path, size_t size);

/* ---- the chips (§5.2, app 256 KB + 128 KB, no PSRAM) ---------------------------------- */

enum {
    ALIAS_SPLIT, /* ESP32/S2: I and D buses have their own linear ranges */
    ALIAS_TWO,   /* S3/C2/C3: one linear range, an IBUS and a DBUS address for it */
    ALIAS_ONE,   /* C5/C6/C61/H2/H21/H4/P4: one address for both */
};

typedef struct {
    const char *name;
    int alias;
    int read_region, exec_region;     /* dump index where READ / EXEC flash maps go first */
    uint32_t read_vaddr, exec_vaddr;  /* the first READ / EXEC map on a fresh chip */
    uint32_t mid_vaddr;               /* a DBUS address in the middle of the READ region */
    uint32_t stray_vaddr;             /* in no window of the region, but masked into it */
    uint32_t irom_vaddr, drom_vaddr;  /* the app's code and rodata, mapped by the bootloader */
    uint32_t read_max, exec_max, any_max; /* get_max for READ, EXEC, and caps 0 / target 0 */
    uint32_t read_pages, exec_pages;  /* free pages that READ / EXEC maps can take */
    uint32_t flash_size;              /* enough for read_pages distinct pages */
    bool psram;                       /* esp_mmu_map takes MMU_TARGET_PSRAM0 (§1.7 #1) */
} chip_t;

/* The loop tests run once per chip: CHIPS[_i], _i from 0 to NCHIPS. */
#define NCHIPS 13
extern const chip_t CHIPS[];
const chip_t *chip_named(const char *name);

/* The chip with the app of 256 KB + 128 KB, no PSRAM, and flash for read_pages pages. */
mmsim_t *open_bare(const chip_t *c);

/* The IBUS address of a DBUS address on ALIAS_TWO chips (0x3C.. -> 0x42..). */
static inline uint32_t to_ibus(uint32_t dbus_vaddr) { return dbus_vaddr - 0x3C000000u + 0x42000000u; }

#endif
