/* scn_ops.h - the operations a step can name: their arguments, their outputs and
 * the function that performs each on the machine (scn_op_*.c).  The table itself
 * is in scn_ops.c. */
#ifndef MMSIM_SCN_OPS_H
#define MMSIM_SCN_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chipdef.h"
#include "mmsim_driver.h"
#include "scn_env.h"
#include "scn_model.h"

typedef struct {
    const char *key;
    scn_arg_kind_t kind;
    bool required;
    int oneof;            /* >0: at most one argument of this group; required if any member is */
    const char *requires; /* this argument needs that one */
    const char *excludes; /* ... and cannot go with that one */
} scn_arg_spec_t;

typedef struct {
    const char *key;
    scn_out_kind_t kind;
} scn_out_spec_t;

/* What a step produced. */
typedef struct {
    bool set;
    uint64_t num;          /* NUMBER */
    uint32_t flags;        /* TARGET, CAPS */
    uint8_t *bytes;        /* BYTES (malloc'd) */
    size_t nbytes;
    char *text;            /* TEXT (malloc'd) */
    void *handle;          /* HIMEM, RANGE */
} scn_outval_t;

typedef struct {
    int ret;                           /* esp_err_t (mmsim_* calls: ESP_OK / ESP_FAIL) */
    scn_outval_t outs[SCN_MAX_OUTS];
    uint32_t core;                     /* whose cycles the step is charged to */
    uint64_t bulk_bytes;               /* bytes a CPU bulk step (read, write, fill, verify) moved */
    char note[300];                    /* why the call failed, a mismatch... ("" if nothing) */
    char args[400];                    /* the evaluated arguments, "paddr=0x110000 size=0x10000" */
} scn_result_t;

/* The state one running scenario has. */
typedef struct {
    mmsim_t *m;
    scn_env_t env;
    const scn_scenario_t *sc;
    uint32_t driver_core;              /* whose cycles driver calls are charged to */
    int driver;                        /* mmsim_driver_kind_t the machine boots with */
    const char *idf_version;           /* for ours under --driver both: the ESP-IDF release compared with */
    char why[400];                     /* a step that could not run says why here */
    bool missing_call;                 /* ... because ESP-IDF's driver build lacks the call */
} scn_exec_t;

typedef int (*scn_run_fn)(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);

typedef struct scn_op {
    const char *name;
    const char *summary;               /* for the README and `mmsim run --help` */
    scn_arg_spec_t args[SCN_MAX_ARGS];
    scn_out_spec_t outs[SCN_MAX_OUTS]; /* outs[0] is what save:/append: keep */
    bool esp32_only;                   /* himem */
    scn_run_fn run;                    /* 0, or -1 with x->why set: the step could not run */
    /* Optional: the rules between arguments the table cannot state, checked when the
     * file loads for `chip`: 0, or -1 with the reason in why[size]. */
    int (*check)(const chipdef_t *chip, const scn_step_t *st, char *why, size_t size);
} scn_op_t;

/* The operation called `name`, or NULL. */
const scn_op_t *scn_op_find(const char *name);
size_t scn_op_count(void);
const scn_op_t *scn_op_at(size_t i);
/* Index of argument `key` of `op`, or -1. */
int scn_op_arg_index(const scn_op_t *op, const char *key);
int scn_op_out_index(const scn_op_t *op, const char *key);

/* ---- helpers for the run functions (scn_op_args.c) ---- */

/* The argument `key` of the step; NULL if the step did not give it. */
const scn_arg_t *scn_arg(const scn_step_t *st, const char *key);
/* Evaluate a numeric argument (absent: `dflt`); -1 with x->why if it fails or
 * does not fit `max`.  Appends "key=value" to r->args. */
int scn_arg_num(scn_exec_t *x, const scn_step_t *st, scn_result_t *r, const char *key, uint64_t dflt, uint64_t max,
                uint64_t *out);
/* The driver the step's machine runs: ours or ESP-IDF's (mmsim run --driver). */
#define DRV(x) mmsim_driver((x)->m)
/* 0 if the driver has `fn`; else -1 with x->why naming the function the driver's
 * release lacks (the step then cannot run). */
int scn_need(scn_exec_t *x, const void *fn, const char *name);

int scn_arg_u32(scn_exec_t *x, const scn_step_t *st, scn_result_t *r, const char *key, uint32_t dflt, uint32_t *out);
/* Flag-like arguments (target, caps, flags, type), absent: 0. */
uint32_t scn_arg_flags(const scn_step_t *st, scn_result_t *r, const char *key);
/* A core argument: a core of the chip, or SCN_CORE_ALL where `all_ok`. */
int scn_arg_core(scn_exec_t *x, const scn_step_t *st, scn_result_t *r, const char *key, bool all_ok, uint32_t *out);
/* The data of a write: `bytes`, or `size` bytes of `pattern`, `word` or `seed`.
 * malloc'd into *buf. */
int scn_arg_data(scn_exec_t *x, const scn_step_t *st, scn_result_t *r, uint8_t **buf, size_t *n);
/* A saved himem handle: allocated and not freed, else -1 with x->why. */
int scn_arg_handle(scn_exec_t *x, const scn_step_t *st, const char *key, scn_name_t **out);
/* Append "key=value" to r->args. */
void scn_note_arg(scn_result_t *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Record a failed mmsim_* call: ret ESP_FAIL and mmsim_last_error() as the note. */
void scn_result_mmsim_error(scn_result_t *r);
/* Set output `i` to a number / bytes (copied). */
void scn_out_num(scn_result_t *r, int i, uint64_t v);
/* Outputs 0 and 1 of a mapping step: its pointer, and its handle (kept only on ESP_OK). */
void scn_out_mapping(scn_result_t *r, const void *ptr, uint32_t handle);
void scn_out_flags(scn_result_t *r, int i, uint32_t v);
int scn_out_bytes(scn_exec_t *x, scn_result_t *r, int i, const void *bytes, size_t n);

/* The run functions, one per operation (scn_op_mmap.c, scn_op_cache.c, scn_op_himem.c,
 * scn_op_mem.c, scn_op_flash.c, scn_op_machine.c); fill runs as scn_run_write. */
int scn_run_map(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_map_virt(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_unmap(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_vaddr_to_paddr(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_paddr_to_vaddr(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_find_caps(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_max_free(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_dump(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_msync(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_line_size(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_cache_writeback(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_cache_invalidate(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_cache_flush(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_cache_writeback_all(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
/* The ROM cache routines (scn_op_rom_cache.c): the step, its load-time check, and the
 * routine names (`call:`): the index of `name` or -1; all of them, for messages. */
int scn_run_rom_cache(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_check_rom_cache(const chipdef_t *chip, const scn_step_t *st, char *why, size_t size);
int scn_rom_call_find(const char *name);
/* The routine whose name differs from `name` only in case (a misspelling such as
 * Cache_Writeback_Addr), or NULL. */
const char *scn_rom_call_near(const char *name);
void scn_rom_call_names(char *buf, size_t size);
int scn_run_himem_alloc(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_himem_free(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_himem_alloc_map_range(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_himem_free_map_range(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_himem_map(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_himem_unmap(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_himem_get_phys_size(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_himem_get_free_size(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_himem_reserved_area_size(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_read(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_copy(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_fetch(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_write(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_verify(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_flash_read(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_flash_write(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_flash_erase(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_esp_flash_read(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_esp_flash_write(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_esp_flash_erase_region(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_dma_read(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_dma_write(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_translate(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_driver_core(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_reset(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
/* spi_flash_mmap.h (scn_op_spi_flash.c) */
int scn_run_spi_flash_mmap(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_spi_flash_mmap_pages(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_spi_flash_munmap(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_spi_flash_mmap_dump(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_spi_flash_mmap_get_free_pages(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_spi_flash_cache2phys(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_spi_flash_phys2cache(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
/* esp_partition.h (scn_op_partition.c) */
int scn_run_partition_find(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_partition_read(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_partition_read_raw(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_partition_write(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_partition_write_raw(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_partition_erase_range(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_partition_verify(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_partition_mmap(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_partition_munmap(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_heap_caps_malloc(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_heap_caps_calloc(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_heap_caps_aligned_alloc(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_heap_caps_realloc(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_heap_caps_free(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_heap_caps_get_free_size(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);
int scn_run_heap_caps_get_largest_free_block(scn_exec_t *x, const scn_step_t *st, scn_result_t *r);

#endif
