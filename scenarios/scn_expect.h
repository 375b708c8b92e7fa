/* scn_expect.h - checking what a step did against its expectations, and the text
 * of a step's outputs and hazards that the messages and reports show. */
#ifndef MMSIM_SCN_EXPECT_H
#define MMSIM_SCN_EXPECT_H

#include "scn_buf.h"
#include "scn_model.h"
#include "scn_ops.h"

#define SCN_MAX_CORES 4

/* What was observed around one step (or the boot). */
typedef struct {
    const mmsim_t *m;                  /* the machine after the step */
    uint64_t cycles[SCN_MAX_CORES];    /* per-core deltas (0 after a reset) */
    mmsim_cache_stats_t *stats;        /* per e->stats entry: after minus before */
    uint32_t *stats_core;
    const char *log;                   /* the step's driver lines, filtered by level */
} scn_obs_t;

/* Append a line per unmet expectation to `msg` ("ret: expected ESP_OK, got ...").
 * Returns the number of unmet expectations; -1 if one could not be evaluated
 * (the reason is in msg). */
int scn_check(const scn_exec_t *x, const scn_expect_t *e, const scn_op_t *op, const scn_result_t *r,
              const scn_obs_t *obs, scn_buf_t *msg);

/* The rate of `bytes` moved in `cycles` at the machine's CPU clock, in MB/s (10^6
 * bytes a second) or MiB/s; 0 for no cycles. */
double scn_rate(const mmsim_t *m, uint64_t bytes, uint64_t cycles, bool mib);
/* `rate` of e against `bytes` moved in `cycles`: 0 within its tolerance, else 1 with
 * the difference in msg. */
int scn_check_rate(const mmsim_t *m, const scn_expect_t *e, uint64_t bytes, uint64_t cycles, scn_buf_t *msg);

/* An output value as text ("0x3c060000", "flash", "read|8bit", "12 34"), or for
 * text outputs its line count; buf[size]. */
void scn_out_text(const scn_out_spec_t *spec, const scn_outval_t *v, char *buf, size_t size);

/* The hazards the step raised as "stale_read x2, lost_write x1" ("none"). */
void scn_hazard_summary(const mmsim_t *m, char *buf, size_t size);

#endif
