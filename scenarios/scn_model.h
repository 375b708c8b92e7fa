/* scn_model.h - a loaded scenario as plain structs: expressions, step arguments,
 * expectations, steps and scenarios.  Built from YAML by the loader (scn_load*.c),
 * run by the interpreter (scn_exec*.c); everything lives in the suite's arena
 * (scn_arena.h). */
#ifndef MMSIM_SCN_MODEL_H
#define MMSIM_SCN_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmsim.h"

/* ---- expressions: numbers, saved names, `a + 0x100`, `i * 64K`, `blocks.i` ---- */

typedef enum {
    SCN_EX_NUM,    /* num */
    SCN_EX_NAME,   /* name */
    SCN_EX_ITEM,   /* name.index: element of a saved list */
    SCN_EX_COUNT,  /* name.count: length of a saved list */
    SCN_EX_ADD,
    SCN_EX_SUB,
    SCN_EX_MUL,
} scn_expr_kind_t;

typedef struct scn_expr {
    scn_expr_kind_t kind;
    uint64_t num;
    const char *name;
    struct scn_expr *left, *right; /* ADD/SUB/MUL; ITEM: left is the index */
} scn_expr_t;

/* ---- what saved names hold ---------------------------------------------------- */

typedef enum {
    SCN_NAME_NUMBER,   /* an address, size, count... */
    SCN_NAME_LIST,     /* numbers appended with `append:` */
    SCN_NAME_HIMEM,    /* an esp_himem_handle_t */
    SCN_NAME_RANGE,    /* an esp_himem_rangehandle_t */
    SCN_NAME_MMAP,     /* a spi_flash_mmap mapping: its pointer (read as a number) and its handle */
} scn_name_kind_t;

/* ---- step arguments ------------------------------------------------------------ */

typedef enum {
    SCN_ARG_NUM,        /* expression */
    SCN_ARG_TARGET,     /* flash | psram | [flash, psram] | none | number */
    SCN_ARG_CAPS,       /* [exec, read, write, 32bit, 8bit] or number */
    SCN_ARG_MAP_FLAGS,  /* [paddr_shared] or number */
    SCN_ARG_SYNC_FLAGS, /* [invalidate, unaligned, c2m, m2c, data, inst] or number */
    SCN_ARG_VTYPE,      /* data | instruction | number */
    SCN_ARG_BYTES,      /* "12 34 56 78", "ff*16" */
    SCN_ARG_CORE,       /* a core number, or `all` (cache maintenance) */
    SCN_ARG_HIMEM,      /* saved himem RAM handle */
    SCN_ARG_RANGE,      /* saved himem range handle */
    SCN_ARG_BOOL,
    SCN_ARG_MMAP,       /* saved spi_flash_mmap mapping (its handle) */
    SCN_ARG_MMAP_MEMORY,/* data | inst | [inst, blocks_write] | number */
    SCN_ARG_NUMS,       /* a list of expressions: [21, 22, i + 3] */
    SCN_ARG_TEXT,       /* a plain string (a partition label) */
    SCN_ARG_HEAP_CAPS,  /* [spiram, dma, internal, 8bit, ...] (MALLOC_CAP_*) or number */
    SCN_ARG_DMA_TARGET, /* flash | psram | internal | number */
    SCN_ARG_PTYPE,      /* a partition type: app | data | bootloader | partition_table | any | number */
    SCN_ARG_PSUBTYPE,   /* a subtype of that type by its name (nvs, ota_0, ...) | any | number */
    SCN_ARG_ROM_CALL,   /* a ROM cache routine by name (rom_cache): its index in flags */
    SCN_ARG_CACHE_MAP,  /* [l1_icache_0, l1_icache_1, l1_dcache, l2_cache] or number (P4 ROM) */
} scn_arg_kind_t;

#define SCN_CORE_ALL UINT32_MAX

typedef struct {
    bool given;
    unsigned line, col;
    const scn_expr_t *expr; /* NUM, CORE (NULL expr = all) */
    uint32_t flags;         /* TARGET, CAPS, *_FLAGS, VTYPE, CACHE_MAP; PTYPE/PSUBTYPE by name; ROM_CALL index */
    const uint8_t *bytes;   /* BYTES */
    size_t nbytes;
    const char *name;       /* HIMEM, RANGE, MMAP; the text of TEXT, PTYPE, PSUBTYPE names */
    bool flag;              /* BOOL; PTYPE/PSUBTYPE: given by name (value in flags) */
    const scn_expr_t **exprs; /* NUMS */
    size_t nexprs;
} scn_arg_t;

#define SCN_MAX_ARGS 10
#define SCN_MAX_OUTS 2

/* ---- outputs of an operation (saved with `save:`, checked under `expect:`) ----- */

typedef enum {
    SCN_OUT_NUMBER,
    SCN_OUT_TARGET,
    SCN_OUT_CAPS,
    SCN_OUT_BYTES,
    SCN_OUT_TEXT,
    SCN_OUT_HIMEM,
    SCN_OUT_RANGE,
    SCN_OUT_MMAP,       /* a spi_flash_mmap handle; as outs[1] after the pointer, save: keeps both */
} scn_out_kind_t;

/* ---- expectations ---------------------------------------------------------------- */

/* A number that must be `exact`, or within [min, max] (either may be absent). */
typedef struct {
    const scn_expr_t *exact, *min, *max;
    unsigned line, col;
} scn_bound_t;

/* How bytes read are compared: equal to `bytes`; none of the strings of `alts`
 * ({not: ...}); one of them ({any_of: [...]}); each byte within [bytes[i], max[i]]
 * ({min: ..., max: ...}). */
typedef enum { SCN_BYTES_EQUAL = 0, SCN_BYTES_NOT, SCN_BYTES_ANY_OF, SCN_BYTES_RANGE } scn_bytes_mode_t;

typedef struct {
    const uint8_t *bytes;
    size_t n;
} scn_bytes_t;

typedef struct {
    bool given;
    unsigned line, col;
    scn_bound_t num;        /* NUMBER: exact, or {min, max} */
    uint32_t flags;         /* TARGET, CAPS */
    const uint8_t *bytes;   /* BYTES: EQUAL, or RANGE's lower bounds */
    size_t nbytes;
    scn_bytes_mode_t bytes_mode;
    const uint8_t *bytes_max; /* RANGE: the upper bounds (nbytes of them) */
    const scn_bytes_t *alts;  /* NOT, ANY_OF */
    size_t nalts;
    const char *text;       /* TEXT (compared line by line, trailing blanks ignored) */
} scn_expect_out_t;

/* COUNTS: exactly haz_counts of each kind; NONE_OF: none of the kinds whose
 * haz_counts is set, any number of the others. */
typedef enum { SCN_HAZ_NONE = 0, SCN_HAZ_ANY, SCN_HAZ_COUNTS, SCN_HAZ_NONE_OF } scn_haz_mode_t;

#define SCN_MAX_STATS 16 /* stats entries one step checks */

typedef struct {
    int cache;            /* chip cache index */
    const char *cache_name;
    const scn_expr_t *core;
    scn_bound_t hits, misses, fills, writebacks, evictions, invalidations;
    unsigned line, col;
} scn_expect_stats_t;

typedef struct {
    bool ret_given, ret_any;
    bool ret_not;                     /* ret: {not: CODE}: anything but ret */
    int ret;                          /* esp_err_t; default ESP_OK */
    unsigned ret_line, ret_col;
    scn_expect_out_t outs[SCN_MAX_OUTS];
    scn_haz_mode_t hazards;           /* default: none may be raised */
    unsigned haz_counts[MMSIM_HAZARD_KIND_COUNT];
    unsigned haz_line, haz_col;
    bool cycles_given;
    scn_bound_t cycles;
    const scn_expr_t *cycles_core;    /* default: the step's core */
    /* rate: a bulk step's bytes over its time on its core, against a published figure:
     * within `tolerance` (a fraction) of `figure`, in MB/s (10^6 bytes) or MiB/s. */
    bool rate_given, rate_mib;
    double rate_figure, rate_tolerance;
    unsigned rate_line, rate_col;
    const char **log;                 /* each must appear in the step's log lines */
    size_t nlog;
    bool log_given;                   /* log: [] means no lines at all */
    unsigned log_line, log_col;
    const char *refused;              /* boot only: the boot must fail with this text in
                                         its message (a bootloader refusal); NULL: boot */
    scn_expect_stats_t *stats;
    size_t nstats;
} scn_expect_t;

/* ---- steps and scenarios ---------------------------------------------------------- */

struct scn_op;

typedef struct scn_step {
    const struct scn_op *op;          /* NULL: a repeat block */
    unsigned line, col;
    scn_arg_t args[SCN_MAX_ARGS];     /* in the order of the op's argument table */
    const char *save;                 /* name for the first output */
    const char *append;               /* list name the first output is appended to */
    const char *description;          /* what the step teaches, one sentence (optional) */
    scn_expect_t expect;
    /* repeat blocks */
    const scn_expr_t *times;          /* at most this many iterations */
    bool until_given;
    int until;                        /* stop when a body step returns this */
    const char *index;                /* iteration number 0.. (default "i") */
    struct scn_step *body;
    size_t nbody;
    bool count_given;                 /* expect: {count: N} */
    const scn_expr_t *count;
} scn_step_t;

typedef struct {
    const char *file;                 /* as given on the command line or to the loader */
    const char *name;                 /* one line */
    const char *description;          /* optional, may be longer */
    unsigned line;
    const char *chip;                 /* built-in name or path */
    const char *sets[16];             /* config overrides as key=value */
    size_t nsets;
    const char *flash_image;
    const char *build;                /* config build: a user's build to boot (mmsim_config_t.build) */
    uint32_t cores;                   /* of the chip, known at load time */
    int log_level;                    /* lines above it are dropped (esp_log_level_t) */
    scn_step_t *steps;
    size_t nsteps;
    scn_expect_t boot;                /* log/hazards of start-up (no ret, no outputs) */
    size_t order;                     /* position in its file, for the stable sort */
} scn_scenario_t;

#endif
