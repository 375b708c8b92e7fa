/* mmsim.c - the embedding API: resolves a config into a chip definition, builds the
 * machine from it and boots it; argument checking in front of the access paths;
 * time and the access settings (the read-only inspection is mmsim_inspect.c).  Every failure is recorded
 * with error_set (error.c): a negative mmsim_err_t and a message naming the function
 * (its __func__) and the argument at fault. */
#include "mmsim.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot.h"
#include "bus.h"
#include "chipdef_load.h"
#include "error.h"
#include "fw_partition.h"
#include "hal_ctx.h"
#include "invariants.h"
#include "machine.h"
#include "mmsim_api.h"
#include "mmsim_build.h"
#include "timing.h"


static _Thread_local mmsim_t *current;

/* ---- argument checks shared by several functions (cold: only failures call them) ---- */

__attribute__((cold, noinline)) int null_machine(const char *what)
{
    return error_set(MMSIM_ERR_ARG, "%s: machine is NULL", what);
}

__attribute__((cold, noinline)) int null_out(const char *what)
{
    return error_set(MMSIM_ERR_ARG, "%s: out is NULL", what);
}

/* mmsim_api.h */
int check_core(const mmsim_t *m, const char *what, uint32_t core)
{
    if (!m)
        return null_machine(what);
    if (core >= m->hw->chip.cores)
        return error_set(MMSIM_ERR_ARG, "%s: core %u does not exist (%s has %u)", what, core, m->hw->chip.name,
                         m->hw->chip.cores);
    return MMSIM_OK;
}

/* A call the model refused although its arguments passed every check here: the
 * model's only such failure is a host allocation (a store chunk), which it described
 * in hw->failure (machine_fail). */
static __attribute__((cold, noinline)) int model_out_of_memory(const machine_t *hw, const char *what)
{
    return error_set(MMSIM_ERR_NOMEM, "%s: %s", what,
                     hw->failure[0] ? hw->failure
                                    : "out of host memory: the model could not allocate backing store");
}

/* The parts below mmsim_open (the chip loader, the store's file functions, the boot)
 * return -1 and a message, whatever went wrong.  The host running out of memory is
 * told apart by errno, which the caller sets to 0 before: a failed malloc sets it to
 * ENOMEM, and nothing else on these paths does.  (A failed allocation that the code
 * works around, followed by an unrelated failure, would be reported as NOMEM: only
 * on a host already out of memory.) */
static int file_error(const char *msg)
{
    return error_set(errno == ENOMEM ? MMSIM_ERR_NOMEM : MMSIM_ERR_IO, "%s", msg);
}

/* The machine's own failures (machine_fail) become the last error of the call that
 * met them, also where the driver's HAL call is the only one to see them (a failed
 * write-back under esp_cache_msync, whose HAL result the driver ignores as upstream). */
static void machine_failed(const char *msg) { error_set(MMSIM_ERR_NOMEM, "%s", msg); }

mmsim_config_t mmsim_config_default(const char *chip)
{
    mmsim_config_t c;
    memset(&c, 0, sizeof c);
    c.chip = chip;
    return c;
}

/* The binary partition table the boot writes into flash, read here at the edge
 * (DESIGN.md rule 6) by the firmware library: the config's file (checked as the
 * bootloader and gen_esp32part.py check it, partitions within the flash), else
 * ESP-IDF's default single-app table; nothing (*write false) when a flash image
 * brings its own bytes and no table is named.  Written as ESP-IDF's build writes it:
 * with the MD5 record unless partition_table_md5 is off (--disable-md5sum), except
 * that a binary table keeps the record it has.  0, or an MMSIM_ERR_* recorded. */
static int partition_table_bytes(const chipdef_t *chip, bool has_image, uint8_t out[FW_PTABLE_MAX_LEN],
                                 bool *write)
{
    const chipdef_config_t *k = &chip->config;
    *write = false;
    if (!k->partition_table[0] && has_image)
        return MMSIM_OK;
    fw_ptable_opts_t opts;
    fw_ptable_opts_default(&opts);
    opts.table_offset = k->partition_table_offset;
    opts.flash_size = k->flash_size;
    opts.expand_env = false; /* the table is what the file says, whatever the environment */
    opts.md5 = k->partition_table_md5; /* a binary table without the record loads when off */
    fw_ptable_t *t = malloc(sizeof *t);
    if (!t)
        return error_set(MMSIM_ERR_NOMEM, "mmsim_open: out of memory reading the partition table");
    fw_error_t err;
    errno = 0;
    int rc = k->partition_table[0] ? fw_ptable_load_file(k->partition_table, &opts, t, &err)
                                   : fw_ptable_default(k->partition_table_offset, t, &err);
    if (!rc) {
        opts.md5 = opts.md5 || t->has_md5;
        rc = fw_ptable_write_bin(t, &opts, out, &err);
    }
    free(t);
    if (rc)
        return error_set(rc == FW_ERR_NOMEM ? MMSIM_ERR_NOMEM : MMSIM_ERR_IO, "%s", err.msg);
    *write = true;
    return MMSIM_OK;
}

/* The typed fields override the chip's config (zero: its default); cfg->sets, text as
 * `--set` takes it, override both.  The chip loader checks them all in one place. */
int mmsim_open(const mmsim_config_t *cfg, mmsim_t **out)
{
    if (!cfg || (!cfg->chip && !cfg->build) || !out)
        return error_set(MMSIM_ERR_ARG, "mmsim_open: %s is NULL", !cfg ? "cfg" : !cfg->chip ? "cfg->chip" : "out");
    if (cfg->build && cfg->flash_image)
        return error_set(MMSIM_ERR_ARG, "mmsim_open: cfg->build and cfg->flash_image both name the flash's contents");
    if (cfg->nsets > 16 || (cfg->nsets && !cfg->sets))
        return error_set(MMSIM_ERR_ARG, "mmsim_open: cfg->sets must hold nsets (at most 16) strings, not %zu",
                         cfg->nsets);
    for (size_t i = 0; i < cfg->nsets; i++)
        if (!cfg->sets[i])
            return error_set(MMSIM_ERR_ARG, "mmsim_open: cfg->sets[%zu] is NULL", i);
    if (cfg->driver != MMSIM_DRIVER_OURS && cfg->driver != MMSIM_DRIVER_IDF)
        return error_set(MMSIM_ERR_ARG,
                         "mmsim_open: cfg->driver %d is neither MMSIM_DRIVER_OURS (0) nor MMSIM_DRIVER_IDF (1)",
                         cfg->driver);
    chipdef_overrides_t ov = {.flash_size = cfg->flash_size, .psram_size = cfg->psram_size,
                              .mmu_page_size = cfg->mmu_page_size,
                              .spiram_bankswitch_reserve = cfg->spiram_bankswitch_reserve,
                              .app_irom_size = cfg->app_irom_size, .app_drom_size = cfg->app_drom_size,
                              .idf_version = cfg->idf_version, .partition_table = cfg->partition_table,
                              .partition_table_offset = cfg->partition_table_offset,
                              .app_offset = cfg->app_offset,
                              .bootloader_cache_32bit_addr = cfg->bootloader_cache_32bit_addr ? "true" : NULL,
                              .secure_enable_tee = cfg->secure_enable_tee ? "true" : NULL,
                              .spiram_fetch_instructions = cfg->spiram_fetch_instructions ? "true" : NULL,
                              .spiram_rodata = cfg->spiram_rodata ? "true" : NULL,
                              .spiram_xip_from_psram = cfg->spiram_xip_from_psram ? "true" : NULL,
                              .partition_table_md5 = cfg->partition_table_no_md5 ? "false" : NULL,
                              .dcache_size = cfg->dcache_size, .dcache_ways = cfg->dcache_ways,
                              .dcache_line_size = cfg->dcache_line_size, .icache_size = cfg->icache_size,
                              .icache_ways = cfg->icache_ways, .icache_line_size = cfg->icache_line_size,
                              .l2_cache_size = cfg->l2_cache_size, .l2_cache_line_size = cfg->l2_cache_line_size,
                              .spiram_speed = cfg->spiram_speed, .flash_freq = cfg->flash_freq,
                              .spiram_mode = cfg->spiram_mode, .flash_mode = cfg->flash_mode,
                              .cpu_freq_mhz = cfg->cpu_freq_mhz, .source = "mmsim_config_t"};
    ov.given = chipdef_overrides_nonzero(&ov);
    chipdef_t chip;
    ydoc_err_t err;
    errno = 0;
    mmsim_build_t *build = NULL;
    if (cfg->build) {
        if (!(build = malloc(sizeof *build)))
            return error_set(MMSIM_ERR_NOMEM, "mmsim_open: out of memory reading %s", cfg->build);
        int brc = mmsim_build_open(cfg, &ov, &chip, build);
        if (brc) {
            free(build);
            return brc;
        }
    } else if (chipdef_load_with(cfg->chip, &ov, cfg->sets, cfg->nsets, &chip, &err))
        return error_set(errno == ENOMEM ? MMSIM_ERR_NOMEM : MMSIM_ERR_CHIP, "%s", err.msg);
    static _Thread_local uint8_t table[FW_PTABLE_MAX_LEN];
    bool write_table = false;
    int prc = partition_table_bytes(&chip, cfg->flash_image != NULL || (build && build->own_table), table,
                                    &write_table);
    mmsim_t *m = prc ? NULL : calloc(1, sizeof *m);
    if (prc || !m || !(m->hw = machine_new(&chip))) {
        free(m);
        if (build)
            mmsim_build_free(build);
        free(build);
        return prc ? prc : error_set(MMSIM_ERR_NOMEM, "mmsim_open: out of memory building %s", chip.name);
    }
    m->hw->on_failure = machine_failed;
    char msg[YDOC_ERR_MAX];
    mmsim_t *prev = current;
    int rc = MMSIM_OK;
    errno = 0;
    if (cfg->flash_image && store_load_image(m->hw->flash, cfg->flash_image, msg, sizeof msg))
        rc = file_error(msg);
    else if (build && mmsim_build_write_flash(build, m->hw->flash, msg, sizeof msg))
        rc = error_set(MMSIM_ERR_NOMEM, "%s", msg);
    else if (boot_machine(m->hw, &m->drivers, cfg->driver, build ? &build->app : NULL, write_table ? table : NULL, sizeof table, msg,
                          sizeof msg))
        rc = error_set(errno == ENOMEM ? MMSIM_ERR_NOMEM : MMSIM_ERR_BOOT, "%s", msg);
    if (build)
        mmsim_build_free(build);
    free(build);
    if (rc) {
        mmsim_close(m);
        mmsim_select(prev);
        return rc;
    }
    error_clear();
    mmsim_select(m);
    *out = m;
    return MMSIM_OK;
}

void mmsim_close(mmsim_t *m)
{
    if (!m)
        return;
    if (current == m)
        mmsim_select(NULL);
    boot_drivers_free(&m->drivers);
    machine_free(m->hw);
    free(m);
}

mmsim_t *mmsim_select(mmsim_t *m)
{
    mmsim_t *prev = current;
    current = m;
    hal_bind(m ? m->hw : NULL);
    boot_drivers_switch(m ? &m->drivers : NULL);
    return prev;
}

mmsim_t *mmsim_current(void) { return current; }

int mmsim_check_invariants(mmsim_t *m, char *why, size_t len)
{
    char scratch[256];
    if (!why || !len) {
        why = scratch;
        len = sizeof scratch;
    }
    why[0] = '\0';
    if (!m) {
        int rc = null_machine(__func__);
        snprintf(why, len, "%s", mmsim_last_error());
        return rc;
    }
    int broken = machine_check_invariants(m->hw, why, len);
    if (!broken) {
        /* The drivers check through the HAL: on m, whichever chip is current. */
        mmsim_t *prev = mmsim_select(m);
        broken = boot_drivers_check(why, len);
        mmsim_select(prev);
    }
    if (broken)
        return error_set(MMSIM_ERR_INVARIANT, "%s: %s", __func__, why);
    return MMSIM_OK;
}

const char *mmsim_chip_name(const mmsim_t *m) { return m ? m->hw->chip.name : (null_machine(__func__), ""); }
uint32_t mmsim_cores(const mmsim_t *m) { return m ? m->hw->chip.cores : (null_machine(__func__), 0u); }
uint32_t mmsim_cpu_mhz(const mmsim_t *m) { return m ? m->hw->chip.cpu_mhz : (null_machine(__func__), 0u); }

uint32_t mmsim_page_size(const mmsim_t *m)
{
    return m ? m->hw->chip.config.mmu_page_size : (null_machine(__func__), 0u);
}

uint32_t mmsim_flash_size(const mmsim_t *m) { return m ? store_size(m->hw->flash) : (null_machine(__func__), 0u); }

uint32_t mmsim_psram_size(const mmsim_t *m)
{
    if (!m)
        return null_machine(__func__), 0u;
    return m->hw->psram ? store_size(m->hw->psram) : 0u;
}

const char *mmsim_boot_log(const mmsim_t *m)
{
    if (!m)
        return null_machine(__func__), "";
    return m->drivers.log ? m->drivers.log : "";
}

const mmsim_driver_t *mmsim_driver(const mmsim_t *m)
{
    if (!m)
        return null_machine(__func__), NULL;
    return m->drivers.ops ? m->drivers.ops : &driver_ours;
}

/* ---- access paths ---- */

/* Common argument checks of a buffer and a range starting at `addr`. */
static int check_range(const char *what, const void *buf, uint64_t addr, size_t len)
{
    if (!buf && len)
        return error_set(MMSIM_ERR_ARG, "%s: buffer is NULL (len %zu)", what, len);
    if (len > UINT32_MAX || addr + len > (uint64_t)UINT32_MAX + 1u)
        return error_set(MMSIM_ERR_RANGE, "%s: range 0x%08llx+%zu runs past the 32-bit address space", what,
                         (unsigned long long)addr, len);
    return MMSIM_OK;
}

/* The error of a CPU access whose arguments cpu_access refused. */
static __attribute__((noinline, cold)) int cpu_access_error(const mmsim_t *m, const char *what, uint32_t core,
                                                            uint32_t vaddr, const void *buf, size_t len)
{
    int rc = check_core(m, what, core);
    return rc ? rc : check_range(what, buf, vaddr, len);
}

/* What is left of a CPU access when it was not one complete hit: the general path of
 * bus_cpu_access (bus.h), told what bus_try_hit found, and the failure if the model
 * ran out of host memory on the way (a dirty line written back to an unallocated
 * store chunk).  Out of line, and one function per op with no more than six
 * arguments, so that the hit path reaches it by a tail call and itself needs no
 * stack frame: checking the bus's result after an inlined call would give the hit
 * path one (measured: 6% on a loop of hits). */
typedef enum { CPU_REST_PIECES, CPU_REST_MISSED, CPU_REST_REFUSED } cpu_rest_t;

static inline __attribute__((always_inline)) int cpu_rest(machine_t *hw, const char *what, bus_op_t op,
                                                          uint32_t core, uint32_t vaddr, uint8_t *buf,
                                                          uint32_t len, cpu_rest_t rest)
{
    int rc = rest == CPU_REST_MISSED    ? bus_cpu_access_missed(hw, core, op, vaddr, buf, len)
             : rest == CPU_REST_REFUSED ? bus_cpu_access_refused(hw, core, op, vaddr, buf, len)
                                        : bus_cpu_access_pieces(hw, core, op, vaddr, buf, len);
    return rc ? model_out_of_memory(hw, what) : MMSIM_OK;
}

#define CPU_REST(name, op, what)                                                                               \
    static __attribute__((noinline)) int name(machine_t *hw, uint32_t core, uint32_t vaddr, uint8_t *buf,      \
                                              uint32_t len, cpu_rest_t rest)                                  \
    {                                                                                                          \
        return cpu_rest(hw, what, op, core, vaddr, buf, len, rest);                                            \
    }
CPU_REST(cpu_rest_read, BUS_READ, "mmsim_cpu_read")
CPU_REST(cpu_rest_write, BUS_WRITE, "mmsim_cpu_write")
CPU_REST(cpu_rest_fetch, BUS_FETCH, "mmsim_cpu_fetch")

/* Inlined into each of the three callers: it is on every simulated CPU access.  This
 * is bus_cpu_access (bus.h) with its ways out to the general path sent through
 * cpu_rest_*; keep the two alike. */
static inline __attribute__((always_inline)) int cpu_access(mmsim_t *m, const char *what, uint32_t core,
                                                            bus_op_t op, uint32_t vaddr, void *buf, size_t len)
{
    if (!m || core >= m->hw->chip.cores || (!buf && len) || len > UINT32_MAX ||
        vaddr + (uint64_t)len > (uint64_t)UINT32_MAX + 1u)
        return cpu_access_error(m, what, core, vaddr, buf, len);
    int (*const rest)(machine_t *, uint32_t, uint32_t, uint8_t *, uint32_t, cpu_rest_t) =
        op == BUS_READ ? cpu_rest_read : op == BUS_WRITE ? cpu_rest_write : cpu_rest_fetch;
    machine_t *hw = m->hw;
    uint8_t *b = buf;
    uint32_t l = (uint32_t)len;
    if (l > 8) /* a bulk access: the general path tries the short cut line by line */
        return rest(hw, core, vaddr, b, l, CPU_REST_PIECES);
    uint32_t n = hw->fast_path ? bus_try_hit(hw, core, op, vaddr, b, l, false) : 0;
    if (n == l) /* the hit, or nothing to do */
        return MMSIM_OK;
    if (n == BUS_TRY_MISSED)
        return rest(hw, core, vaddr, b, l, CPU_REST_MISSED);
    if (!n)
        return rest(hw, core, vaddr, b, l, CPU_REST_REFUSED);
    return rest(hw, core, vaddr + n, b + n, l - n, CPU_REST_PIECES);
}

int mmsim_cpu_read(mmsim_t *m, uint32_t core, uint32_t vaddr, void *buf, size_t len)
{
    return cpu_access(m, "mmsim_cpu_read", core, BUS_READ, vaddr, buf, len);
}

int mmsim_cpu_write(mmsim_t *m, uint32_t core, uint32_t vaddr, const void *buf, size_t len)
{
    /* The bus only reads from the buffer on a store. */
    return cpu_access(m, "mmsim_cpu_write", core, BUS_WRITE, vaddr, (void *)(uintptr_t)buf, len);
}

int mmsim_cpu_fetch(mmsim_t *m, uint32_t core, uint32_t vaddr, void *buf, size_t len)
{
    return cpu_access(m, "mmsim_cpu_fetch", core, BUS_FETCH, vaddr, buf, len);
}

static const char *target_name(uint32_t target)
{
    return target == MMSIM_TARGET_PSRAM ? "PSRAM" : target == MMSIM_TARGET_INTERNAL ? "internal RAM" : "flash";
}

/* The checks of an SPI1 or DMA call on [paddr, paddr + len) of `target`. */
static int store_range(mmsim_t *m, const char *what, uint32_t target, uint32_t paddr, const void *buf,
                       size_t len)
{
    if (!m)
        return null_machine(what);
    int rc = check_range(what, buf, paddr, len);
    if (rc)
        return rc;
    if (target != MMSIM_TARGET_FLASH && target != MMSIM_TARGET_PSRAM && target != MMSIM_TARGET_INTERNAL)
        return error_set(MMSIM_ERR_ARG, "%s: target %u is not MMSIM_TARGET_FLASH, _PSRAM or _INTERNAL", what,
                         target);
    const store_t *s = machine_store(m->hw, target);
    if (!s)
        return error_set(MMSIM_ERR_ARG, "%s: %s has no %s", what, m->hw->chip.name, target_name(target));
    uint32_t base = target == MMSIM_TARGET_INTERNAL ? m->hw->chip.internal_ram.vaddr : 0;
    if (len > store_size(s) || paddr - base > store_size(s) - len)
        return error_set(MMSIM_ERR_RANGE, "%s: 0x%08x+%zu is outside the %u-byte %s at 0x%08x", what, paddr, len,
                         store_size(s), target_name(target), base);
    return MMSIM_OK;
}

int mmsim_flash_read(mmsim_t *m, uint32_t paddr, void *buf, size_t len)
{
    int rc = store_range(m, __func__, MMSIM_TARGET_FLASH, paddr, buf, len);
    if (rc)
        return rc;
    if (bus_spi1_read(m->hw, paddr, buf, (uint32_t)len))
        return model_out_of_memory(m->hw, __func__);
    return MMSIM_OK;
}

int mmsim_flash_write(mmsim_t *m, uint32_t paddr, const void *buf, size_t len)
{
    int rc = store_range(m, __func__, MMSIM_TARGET_FLASH, paddr, buf, len);
    if (rc)
        return rc;
    if (bus_spi1_program(m->hw, paddr, buf, (uint32_t)len))
        return model_out_of_memory(m->hw, __func__);
    return MMSIM_OK;
}

int mmsim_flash_erase(mmsim_t *m, uint32_t paddr, size_t len)
{
    int rc = store_range(m, __func__, MMSIM_TARGET_FLASH, paddr, "", len);
    if (rc)
        return rc;
    if ((paddr | len) % STORE_SECTOR_SIZE)
        return error_set(MMSIM_ERR_RANGE, "%s: 0x%08x+%zu is not aligned to 4 KB sectors", __func__, paddr, len);
    if (bus_spi1_erase(m->hw, paddr, (uint32_t)len))
        return model_out_of_memory(m->hw, __func__);
    return MMSIM_OK;
}

int mmsim_flash_save(mmsim_t *m, const char *path)
{
    if (!m || !path)
        return !m ? null_machine(__func__) : error_set(MMSIM_ERR_ARG, "%s: path is NULL", __func__);
    char msg[YDOC_ERR_MAX];
    errno = 0;
    if (store_save_image(m->hw->flash, path, msg, sizeof msg))
        return file_error(msg);
    return MMSIM_OK;
}

int mmsim_internal_ram(const mmsim_t *m, uint32_t *vaddr, uint32_t *size)
{
    const chipdef_internal_ram_t *ir = m ? &m->hw->chip.internal_ram : NULL;
    if (vaddr)
        *vaddr = ir ? ir->vaddr : 0;
    if (size)
        *size = ir ? ir->size : 0;
    if (!m)
        return null_machine(__func__);
    if (!ir->size)
        return error_set(MMSIM_ERR_ARG, "%s: the definition of %s has no internal_ram", __func__, m->hw->chip.name);
    return MMSIM_OK;
}

int mmsim_dma_read(mmsim_t *m, uint32_t target, uint32_t paddr, void *buf, size_t len)
{
    int rc = store_range(m, __func__, target, paddr, buf, len);
    if (rc)
        return rc;
    if (bus_dma_read(m->hw, target, paddr, buf, (uint32_t)len))
        return model_out_of_memory(m->hw, __func__);
    return MMSIM_OK;
}

int mmsim_dma_write(mmsim_t *m, uint32_t target, uint32_t paddr, const void *buf, size_t len)
{
    int rc = store_range(m, __func__, target, paddr, buf, len);
    if (rc)
        return rc;
    if (bus_dma_write(m->hw, target, paddr, buf, (uint32_t)len))
        return model_out_of_memory(m->hw, __func__);
    return MMSIM_OK;
}

/* ---- time ---- */

int mmsim_set_driver_core(mmsim_t *m, uint32_t core)
{
    int rc = check_core(m, __func__, core);
    if (rc)
        return rc;
    m->hw->hal_core = core;
    return MMSIM_OK;
}

static uint64_t cycles_of(const mmsim_t *m, const char *what, uint32_t core)
{
    return check_core(m, what, core) ? 0 : m->hw->cycles[core];
}

uint64_t mmsim_cycles(const mmsim_t *m, uint32_t core) { return cycles_of(m, __func__, core); }

uint64_t mmsim_time_ns(const mmsim_t *m, uint32_t core)
{
    return m ? timing_cycles_to_ns(cycles_of(m, __func__, core), m->hw->chip.cpu_mhz) : (null_machine(__func__), 0u);
}

int mmsim_set_access(mmsim_t *m, uint32_t core, uint32_t width, int32_t cpu_cycles)
{
    int rc = check_core(m, __func__, core);
    if (rc)
        return rc;
    uint32_t cost = cpu_cycles < 0 ? m->hw->chip.cpu_access_cycles : (uint32_t)cpu_cycles;
    if (machine_set_access(m->hw, core, width, cost))
        return error_set(MMSIM_ERR_ARG, "%s: width %u is not 1, 2, 4, 8 or 16", __func__, width);
    return MMSIM_OK;
}

int mmsim_cycles_spent(const mmsim_t *m, uint32_t core, mmsim_cycles_spent_t *out)
{
    int rc = check_core(m, __func__, core);
    if (rc)
        return rc;
    if (!out)
        return null_out(__func__);
    const uint64_t *s = m->hw->spent[core];
    *out = (mmsim_cycles_spent_t){.fills = s[MACHINE_SPENT_FILL], .writebacks = s[MACHINE_SPENT_WRITEBACK],
                                  .spi1 = s[MACHINE_SPENT_SPI1], .mmu = s[MACHINE_SPENT_MMU],
                                  .maintenance = s[MACHINE_SPENT_MAINT], .faults = s[MACHINE_SPENT_FAULT]};
    uint64_t other = 0;
    for (int k = 0; k < MACHINE_SPENT_COUNT; k++)
        other += s[k];
    out->hits = m->hw->cycles[core] - other;
    return MMSIM_OK;
}
