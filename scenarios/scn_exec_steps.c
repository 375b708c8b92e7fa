/* scn_exec_steps.c - running a scenario's steps on this thread's machine: each
 * operation with its arguments evaluated, its result checked against its
 * expectations and its output saved; repeat blocks (iterations, until, count); the
 * step budget; and the machine's invariants after every step until the chip stops. */
#include <stdio.h>
#include <stdlib.h>

#include "scn_runner.h"
#include "scn_value.h"

/* STEP_STOP: the per-step callback asked to stop (not a failure). */
typedef enum { STEP_OK, STEP_FAILED, STEP_UNTIL, STEP_STOP } step_rc_t;

/* A step that raised a hal_assert or abort hazard is where the chip would have
 * stopped: the state after it is not the program's, so the checks end there. */
static bool chip_stopped(const mmsim_t *m)
{
    return mmsim_hazard_count_kind(m, MMSIM_HAZARD_HAL_ASSERT) || mmsim_hazard_count_kind(m, MMSIM_HAZARD_ABORT);
}

int scn_runner_check_invariants(scn_runner_t *R, char *why, size_t size)
{
    if (!R->check_invariants)
        return 0;
    if (chip_stopped(R->x.m)) {
        R->check_invariants = false;
        return 0;
    }
    if (mmsim_check_invariants(R->x.m, why, size) == 0)
        return 0;
    R->check_invariants = false; /* one report: the step that broke it */
    R->invariants_broken = true;
    return -1;
}

/* The budget: every operation and every repeat iteration spends one step. */
static bool over_budget(scn_runner_t *R, const char *label, const scn_step_t *st, const char *iter)
{
    if (R->spent++ < R->budget)
        return false;
    char msg[200];
    snprintf(msg, sizeof msg, "the step budget of %llu is spent (operations and repeat iterations); "
             "mmsim run --max-steps N raises it", (unsigned long long)R->budget);
    scn_runner_fail(R, label, st, iter, msg);
    return true;
}

static void free_result(scn_result_t *r)
{
    for (int i = 0; i < SCN_MAX_OUTS; i++) {
        free(r->outs[i].bytes);
        free(r->outs[i].text);
    }
}

static step_rc_t save_output(scn_runner_t *R, const scn_step_t *st, const scn_result_t *r, const char *label,
                             const char *iter)
{
    scn_exec_t *x = &R->x;
    const scn_outval_t *v = &r->outs[0];
    uint64_t num = st->op->outs[0].kind == SCN_OUT_NUMBER ? v->num : v->flags;
    if (st->save) {
        /* The kind the loader gave the name: a mapping keeps its pointer and handle. */
        scn_out_kind_t k0 = st->op->outs[0].kind;
        bool mapping = st->op->outs[1].key && st->op->outs[1].kind == SCN_OUT_MMAP;
        scn_name_kind_t kind = mapping ? SCN_NAME_MMAP
                               : k0 == SCN_OUT_HIMEM ? SCN_NAME_HIMEM
                               : k0 == SCN_OUT_RANGE ? SCN_NAME_RANGE
                                                     : SCN_NAME_NUMBER;
        scn_name_t *n = scn_env_get(&x->env, st->save, kind);
        if (!n)
            goto oom;
        n->set = v->set && (n->kind == SCN_NAME_NUMBER || n->kind == SCN_NAME_MMAP || v->handle);
        n->num = num;
        n->handle = mapping ? r->outs[1].handle : v->handle;
        n->set_at = st->line;
    }
    if (st->append && v->set) {
        scn_name_t *n = scn_env_get(&x->env, st->append, SCN_NAME_LIST);
        if (!n)
            goto oom;
        if (scn_grow(&n->list, sizeof *n->list, &n->cap, n->count + 1))
            goto oom;
        n->list[n->count++] = num;
        n->set = true;
    }
    return STEP_OK;
oom:
    scn_runner_fail(R, label, st, iter, "out of memory saving the result");
    return STEP_FAILED;
}

/* Snapshots of the cache statistics an expectation names. */
static int stats_snapshot(scn_runner_t *R, const scn_expect_t *e, mmsim_cache_stats_t *s, uint32_t *cores)
{
    for (size_t i = 0; i < e->nstats; i++) {
        uint64_t core = 0;
        char why[300];
        if (e->stats[i].core && scn_eval(&R->x.env, e->stats[i].core, &core, why, sizeof why)) {
            snprintf(R->x.why, sizeof R->x.why, "stats core: %s", why);
            return -1;
        }
        if (core >= mmsim_cores(R->x.m) ||
            mmsim_cache_stats(R->x.m, (uint32_t)e->stats[i].cache, (uint32_t)core, &s[i])) {
            snprintf(R->x.why, sizeof R->x.why, "stats: no cache %s on core %llu", e->stats[i].cache_name,
                     (unsigned long long)core);
            return -1;
        }
        cores[i] = (uint32_t)core;
    }
    return 0;
}

static step_rc_t run_op(scn_runner_t *R, const scn_step_t *st, const char *label, const char *iter, const int *until)
{
    scn_exec_t *x = &R->x;
    mmsim_t *before = x->m;
    uint64_t c0[SCN_MAX_CORES] = {0};
    mmsim_cache_stats_t s0[SCN_MAX_STATS], s1[SCN_MAX_STATS];
    uint32_t score[SCN_MAX_STATS];
    const scn_expect_t *e = &st->expect;
    mmsim_set_step(x->m, R->top);
    mmsim_hazard_clear(x->m);
    for (uint32_t c = 0; c < mmsim_cores(x->m) && c < SCN_MAX_CORES; c++)
        c0[c] = mmsim_cycles(x->m, c);
    scn_result_t r = {.core = x->driver_core};
    if (stats_snapshot(R, e, s0, score) || st->op->run(x, st, &r)) {
        char msg[500];
        snprintf(msg, sizeof msg, "cannot run: %s", x->why);
        scn_runner_fail(R, label, st, iter, msg);
        R->steps_run++; /* for the view, a step that failed to run is a step */
        scn_runner_hand_step(R, label, st, iter, &r, 0, false, msg, NULL);
        R->steps_run--;
        free_result(&r);
        return STEP_FAILED;
    }
    R->steps_run++;
    if (r.bulk_bytes) {
        R->bulk_bytes += r.bulk_bytes;
        R->bulk_cores |= 1u << (r.core & 31u);
    }
    scn_obs_t obs = {.m = x->m, .stats = s1, .stats_core = score};
    for (uint32_t c = 0; c < mmsim_cores(x->m) && c < SCN_MAX_CORES; c++)
        obs.cycles[c] = x->m == before ? mmsim_cycles(x->m, c) - c0[c] : 0;
    for (size_t i = 0; i < e->nstats; i++) {
        mmsim_cache_stats(x->m, (uint32_t)e->stats[i].cache, score[i], &s1[i]);
        if (x->m == before) {
            s1[i].hits -= s0[i].hits, s1[i].misses -= s0[i].misses, s1[i].fills -= s0[i].fills;
            s1[i].writebacks -= s0[i].writebacks, s1[i].evictions -= s0[i].evictions;
            s1[i].invalidations -= s0[i].invalidations;
        }
    }
    char *log = scn_runner_take_log(R);
    obs.log = log ? log : "";
    step_rc_t rc = STEP_OK;
    scn_buf_t msg = {0};
    char why[600];
    if (scn_runner_check_invariants(R, why, sizeof why)) {
        scn_buf_printf(&msg, "invariant broken after this step: %s", why);
        scn_runner_fail(R, label, st, iter, msg.text ? msg.text : why);
        scn_runner_keep_hazards(R);
        rc = STEP_FAILED;
    } else if (until && r.ret == *until) {
        rc = STEP_UNTIL;
    } else if ((rc = save_output(R, st, &r, label, iter)) == STEP_OK && scn_check(x, e, st->op, &r, &obs, &msg) != 0) {
        scn_runner_fail(R, label, st, iter, msg.text ? msg.text : "");
        scn_runner_keep_hazards(R);
        rc = STEP_FAILED;
    }
    scn_runner_step_reports(R, label, st, iter, &r, &obs, rc != STEP_FAILED);
    uint64_t cycles = obs.cycles[r.core < SCN_MAX_CORES ? r.core : 0];
    if (!scn_runner_hand_step(R, label, st, iter, &r, cycles, rc != STEP_FAILED, msg.text, obs.log) && rc != STEP_FAILED)
        rc = STEP_STOP;
    scn_buf_free(&msg);
    free(log);
    free_result(&r);
    return rc;
}

static step_rc_t run_steps(scn_runner_t *R, const scn_step_t *steps, size_t n, const char *prefix, const char *iter,
                           const int *until);

/* A repeat block's rate: the bytes its bulk steps moved over the block's cycles on the
 * core they ran on (one core: a rate of two cores' work has no one clock).  `cycles` is
 * UINT64_MAX when there is no such core. */
static int check_block_rate(scn_runner_t *R, const scn_step_t *st, const char *label, const char *iter,
                            bool reset, uint64_t bytes, uint64_t cycles)
{
    scn_buf_t msg = {0};
    if (cycles != UINT64_MAX)
        scn_check_rate(R->x.m, &st->expect, bytes, cycles, &msg);
    else
        scn_buf_printf(&msg, "rate: %s\n",
                       !bytes  ? "the block's steps moved no bytes (no read, write, fill, copy or verify)"
                       : reset ? "the machine was reset inside the block"
                               : "the block's bulk steps ran on more than one core");
    int failed = msg.text != NULL;
    if (failed)
        scn_runner_fail(R, label, st, iter, msg.text);
    scn_buf_free(&msg);
    return failed ? -1 : 0;
}

static step_rc_t run_repeat(scn_runner_t *R, const scn_step_t *st, const char *label, const char *iter)
{
    scn_exec_t *x = &R->x;
    uint64_t times;
    char why[300];
    char msg[400];
    if (scn_eval(&x->env, st->times, &times, why, sizeof why)) {
        snprintf(msg, sizeof msg, "repeat: %s", why);
        scn_runner_fail(R, label, st, iter, msg);
        return STEP_FAILED;
    }
    /* Without `until` every iteration runs: say now that they cannot all fit. */
    if (!st->until_given && times > R->budget - R->spent) {
        snprintf(msg, sizeof msg, "repeat: %llu iterations do not fit in the step budget (%llu of %llu left; "
                 "mmsim run --max-steps N raises it)", (unsigned long long)times,
                 (unsigned long long)(R->budget - R->spent), (unsigned long long)R->budget);
        scn_runner_fail(R, label, st, iter, msg);
        return STEP_FAILED;
    }
    scn_name_t *index = scn_env_get(&x->env, st->index, SCN_NAME_NUMBER);
    if (!index) {
        scn_runner_fail(R, label, st, iter, "out of memory");
        return STEP_FAILED;
    }
    uint64_t done = 0;
    bool hit = false;
    /* The block's own bulk bytes and cycles, for its rate; an outer block counts them too. */
    uint64_t outer_bytes = R->bulk_bytes, c0[SCN_MAX_CORES] = {0};
    uint32_t outer_cores = R->bulk_cores;
    mmsim_t *before = x->m;
    for (uint32_t c = 0; c < mmsim_cores(x->m) && c < SCN_MAX_CORES; c++)
        c0[c] = mmsim_cycles(x->m, c);
    R->bulk_bytes = 0, R->bulk_cores = 0;
    for (uint64_t i = 0; i < times && !hit; i++) {
        if (over_budget(R, label, st, iter))
            return STEP_FAILED;
        index = scn_env_get(&x->env, st->index, SCN_NAME_NUMBER); /* the table may have moved */
        index->set = true;
        index->num = i;
        char it[200];
        snprintf(it, sizeof it, "%s%s%s=%llu", iter, iter[0] ? " " : "", st->index, (unsigned long long)i);
        const char *outer = R->repeat_description;
        if (st->description)
            R->repeat_description = st->description;
        step_rc_t rc = run_steps(R, st->body, st->nbody, label, it, st->until_given ? &st->until : NULL);
        R->repeat_description = outer;
        if (rc == STEP_FAILED || rc == STEP_STOP)
            return rc;
        hit = rc == STEP_UNTIL;
        done += !hit;
    }
    if (st->until_given && !hit) {
        char msg[200];
        snprintf(msg, sizeof msg, "%s did not come in %llu iterations", scn_err_name(st->until),
                 (unsigned long long)times);
        scn_runner_fail(R, label, st, iter, msg);
        return STEP_FAILED;
    }
    if (st->save) {
        scn_name_t *n = scn_env_get(&x->env, st->save, SCN_NAME_NUMBER);
        if (n)
            n->set = true, n->num = done, n->set_at = st->line;
    }
    uint64_t bytes = R->bulk_bytes, cycles = UINT64_MAX;
    uint32_t cores = R->bulk_cores, core = 0;
    R->bulk_bytes += outer_bytes, R->bulk_cores |= outer_cores;
    if (bytes && !(cores & (cores - 1)) && x->m == before) {
        while (!(cores & (1u << core)))
            core++;
        cycles = mmsim_cycles(x->m, core) - c0[core];
        scn_runner_profile_block(R, label, st, iter, bytes, cycles, core);
    }
    if (st->expect.rate_given && check_block_rate(R, st, label, iter, x->m != before, bytes, cycles))
        return STEP_FAILED;
    if (st->count_given) {
        uint64_t want;
        if (scn_eval(&x->env, st->count, &want, why, sizeof why)) {
            snprintf(msg, sizeof msg, "count: %s", why);
            scn_runner_fail(R, label, st, iter, msg);
            return STEP_FAILED;
        }
        if (want != done) {
            snprintf(msg, sizeof msg, "count: expected %llu iterations, got %llu", (unsigned long long)want,
                     (unsigned long long)done);
            scn_runner_fail(R, label, st, iter, msg);
            return STEP_FAILED;
        }
    }
    return STEP_OK;
}

static step_rc_t run_steps(scn_runner_t *R, const scn_step_t *steps, size_t n, const char *prefix, const char *iter,
                           const int *until)
{
    for (size_t i = 0; i < n; i++) {
        char label[64];
        if (prefix)
            snprintf(label, sizeof label, "%s.%zu", prefix, i + 1);
        else
            snprintf(label, sizeof label, "%zu", i + 1), R->top = (unsigned)(i + 1);
        if (steps[i].op && over_budget(R, label, &steps[i], iter))
            return STEP_FAILED;
        step_rc_t rc = steps[i].op ? run_op(R, &steps[i], label, iter, until) : run_repeat(R, &steps[i], label, iter);
        if (rc != STEP_OK)
            return rc;
    }
    return STEP_OK;
}

bool scn_runner_steps(scn_runner_t *R)
{
    return run_steps(R, R->x.sc->steps, R->x.sc->nsteps, NULL, "", NULL) == STEP_OK;
}
