/* bench.h - private to `mmsim bench` (cmd_bench.c, bench_measure.c, bench_direct.c):
 * the figures a measurement adds samples to, the options it runs with, and the
 * measurements (bench_measure.c, bench_direct.c) that the command runs and reports
 * (cmd_bench.c). */
#ifndef MMSIM_CLI_BENCH_H
#define MMSIM_CLI_BENCH_H

#define BENCH_MAX_REPS 101
#define BENCH_MAX_FIGS 8

typedef struct {
    const char *key;   /* JSON key */
    const char *label; /* table label */
    const char *unit;
    double v[BENCH_MAX_REPS];
    unsigned n;
} bench_fig_t;

typedef struct {
    const char *key;   /* JSON key of the measurement */
    const char *title; /* table heading */
    char note[200];    /* what was measured where (set by the measurement) */
    bench_fig_t figs[BENCH_MAX_FIGS];
    unsigned nfigs;
} bench_item_t;

typedef struct {
    const char *chip;
    const char *suite;
    double slice_s;
} bench_opts_t;

/* One repetition: adds a sample to each figure of `it`.  0, or -1 after printing why
 * to stderr. */
typedef int (*bench_fn_t)(const bench_opts_t *o, bench_item_t *it);

/* Adds a sample of `v` to the figure `key` of `it`, creating it on first use. */
void bench_put(bench_item_t *it, const char *key, const char *label, const char *unit, double v);

/* The measurements (bench_measure.c; bench_direct.c where direct/ is built), each a
 * bench_fn_t. */
int bench_hit_load(const bench_opts_t *o, bench_item_t *it);
int bench_miss_load(const bench_opts_t *o, bench_item_t *it);
int bench_bulk(const bench_opts_t *o, bench_item_t *it);
int bench_map_unmap(const bench_opts_t *o, bench_item_t *it);
int bench_suite(const bench_opts_t *o, bench_item_t *it);
int bench_open_close(const bench_opts_t *o, bench_item_t *it);
int bench_direct(const bench_opts_t *o, bench_item_t *it);
/* With --scale (bench_scale.c): the suite 10 and 100 times over, as `mmsim run` runs. */
int bench_suite_scale(const bench_opts_t *o, bench_item_t *it);
int bench_boot_build(const bench_opts_t *o, bench_item_t *it); /* bench_boot.c */
void bench_boot_cleanup(void); /* removes bench_boot_build's temporary image */

/* The host's monotonic clock in seconds (bench_measure.c). */
double bench_clock(void);

#endif
