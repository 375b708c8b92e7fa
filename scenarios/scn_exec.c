/* scn_exec.c - the interpreter: boots the scenario's chip, runs its steps (repeat
 * blocks included) on this thread's machine, checks each step and collects the
 * outcome: the failure, the failing step's hazard records, the driver's log lines
 * (captured per thread, filtered by the scenario's level), and on request a line
 * and a JSON object per step. */
#include "scn_exec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chipdef_load.h"
#include "esp_log.h"
#include "scn_buf.h"
#include "scn_expect.h"
#include "scn_value.h"

/* What one scenario may keep of each of its reports (the verbose lines, the trace,
 * the driver log): a five-million-step run with --verbose must not hold gigabytes.
 * Past it the steps still run and are checked; their text is counted, not kept. */
#define MAX_REPORT_BYTES (4u << 20)

#ifdef MMSIM_CHECK_INVARIANTS
#define CHECK_INVARIANTS_ALWAYS true
#else
#define CHECK_INVARIANTS_ALWAYS false
#endif

typedef struct {
    scn_exec_t x;
    const scn_run_opts_t *opts;
    scn_buf_t failure, hazards, log, steps, trace;
    scn_buf_t record;       /* --driver both: what each step observed, to compare */
    unsigned steps_run;
    uint64_t spent;         /* the budget used: operations and repeat iterations */
    uint64_t budget;
    bool check_invariants;  /* after every step, until the chip stops (below) */
    bool invariants_broken; /* a check failed */
    size_t log_cut, steps_cut, trace_cut; /* steps whose text did not fit */
    unsigned top;           /* 1-based index of the top-level step running */
    scn_step_fn step_fn;    /* the view's per-step callback, or NULL */
    void *step_ctx;
    const char *repeat_description; /* of the innermost repeat block running */
} runner_t;

/* STEP_STOP: the per-step callback asked to stop (not a failure). */
typedef enum { STEP_OK, STEP_FAILED, STEP_UNTIL, STEP_STOP } step_rc_t;

/* Hand the step that just ran to the callback; false when it asks to stop. */
static bool report_step(runner_t *R, const char *label, const scn_step_t *st, const char *iter,
                        const scn_result_t *r, uint64_t cycles, bool ok, const char *failure)
{
    if (!R->step_fn)
        return true;
    scn_step_info_t info = {.number = R->steps_run,
                            .label = label,
                            .iteration = iter,
                            .line = st ? st->line : R->x.sc->line,
                            .op = st ? st->op->name : "boot",
                            .description = st && st->description ? st->description
                                           : st                  ? R->repeat_description
                                                                 : R->x.sc->description,
                            .args = r ? r->args : "",
                            .ret = r ? r->ret : 0,
                            .ret_name = scn_err_name(r ? r->ret : 0),
                            .core = r ? r->core : 0,
                            .cycles = cycles,
                            .ok = ok,
                            .failure = failure ? failure : "",
                            .m = R->x.m};
    return R->step_fn(&info, R->step_ctx);
}

int scn_exec_boot(scn_exec_t *x, const char *flash_image)
{
    mmsim_config_t cfg = mmsim_config_default(x->sc->chip);
    cfg.sets = x->sc->sets;
    cfg.nsets = x->sc->nsets;
    cfg.flash_image = flash_image ? flash_image : x->sc->flash_image;
    cfg.driver = x->driver;
    cfg.idf_version = x->idf_version;
    mmsim_close(x->m);
    x->m = NULL;
    /* The old machine's himem handles went with it. */
    for (size_t i = 0; i < x->env.count; i++)
        if (x->env.names[i].kind == SCN_NAME_HIMEM || x->env.names[i].kind == SCN_NAME_RANGE) {
            x->env.names[i].set = false;
            x->env.names[i].handle = NULL;
        }
    x->driver_core = 0;
    if (mmsim_open(&cfg, &x->m)) {
        snprintf(x->why, sizeof x->why, "cannot boot %s: %s", x->sc->chip, mmsim_last_error());
        return -1;
    }
    return 0;
}

/* The lines of the capture at or below the scenario's level (each line starts
 * with its level letter, as ESP_LOGx writes it). */
static char *take_log(const scn_scenario_t *sc)
{
    static const char letters[] = "-EWIDV";
    scn_buf_t b = {0};
    for (const char *p = esp_log_capture_text(); *p;) {
        size_t len = strcspn(p, "\n");
        const char *lvl = strchr(letters, *p);
        if (!lvl || !*p || (int)(lvl - letters) <= sc->log_level)
            scn_buf_add(&b, p, len + (p[len] == '\n'));
        p += len + (p[len] == '\n');
    }
    esp_log_capture_begin(); /* restart: the next step's lines only */
    return scn_buf_take(&b);
}

static void step_label(char *buf, size_t size, const char *label, const scn_step_t *st, const char *iter)
{
    snprintf(buf, size, "step %s (%s, line %u%s%s)", label, st->op ? st->op->name : "repeat", st->line,
             iter[0] ? ", " : "", iter);
}

static void fail_step(runner_t *R, const char *label, const scn_step_t *st, const char *iter, const char *msg)
{
    char head[200];
    step_label(head, sizeof head, label, st, iter);
    /* Continuation lines of a multi-line message are indented under the head. */
    scn_buf_printf(&R->failure, "%s: ", head);
    for (const char *p = msg; *p;) {
        size_t len = strcspn(p, "\n");
        if (p != msg)
            scn_buf_add(&R->failure, "  ", 2);
        scn_buf_add(&R->failure, p, len);
        scn_buf_add(&R->failure, "\n", 1);
        p += len + (p[len] == '\n');
    }
}

static void record_hazards(const mmsim_t *m, scn_buf_t *into)
{
    size_t n = mmsim_hazard_count(m);
    for (size_t i = 0; i < n; i++) {
        const mmsim_hazard_t *h = mmsim_hazard_get(m, i);
        char line[400];
        if (h)
            scn_buf_printf(into, "%s\n", mmsim_hazard_format(h, line, sizeof line));
    }
}

static void trace_step(runner_t *R, const char *label, const scn_step_t *st, const char *iter,
                       const scn_result_t *r, const scn_obs_t *obs, const char *log, bool ok)
{
    scn_buf_t *t = &R->trace;
    scn_buf_printf(t, "{\"scenario\":");
    char id[600];
    snprintf(id, sizeof id, "%s: %s", R->x.sc->file, R->x.sc->name);
    scn_buf_json(t, id);
    scn_buf_printf(t, ",\"step\":\"%s\",\"line\":%u,\"iteration\":", label, st->line);
    scn_buf_json(t, iter);
    scn_buf_printf(t, ",\"op\":\"%s\",\"args\":{", st->op->name);
    const char *p = r->args;
    for (bool first = true; *p; first = false) {
        size_t len = strcspn(p, " "), eq = strcspn(p, "=");
        char key[64], val[200];
        snprintf(key, sizeof key, "%.*s", (int)(eq < len ? eq : len), p);
        snprintf(val, sizeof val, "%.*s", eq < len ? (int)(len - eq - 1) : 0, eq < len ? p + eq + 1 : "");
        scn_buf_printf(t, "%s", first ? "" : ",");
        scn_buf_json(t, key);
        scn_buf_add(t, ":", 1);
        scn_buf_json(t, val);
        p += len + (p[len] == ' ');
    }
    scn_buf_printf(t, "},\"ret\":\"%s\",\"out\":{", scn_err_name(r->ret));
    for (int i = 0; i < SCN_MAX_OUTS && st->op->outs[i].key; i++) {
        char v[600];
        scn_out_text(&st->op->outs[i], &r->outs[i], v, sizeof v);
        scn_buf_printf(t, "%s\"%s\":", i ? "," : "", st->op->outs[i].key);
        scn_buf_json(t, st->op->outs[i].kind == SCN_OUT_TEXT && r->outs[i].text ? r->outs[i].text : v);
    }
    scn_buf_printf(t, "},\"cycles\":[");
    for (uint32_t c = 0; c < mmsim_cores(obs->m) && c < SCN_MAX_CORES; c++)
        scn_buf_printf(t, "%s%llu", c ? "," : "", (unsigned long long)obs->cycles[c]);
    scn_buf_printf(t, "],\"hazards\":[");
    for (size_t i = 0; i < mmsim_hazard_count(obs->m); i++) {
        const mmsim_hazard_t *h = mmsim_hazard_get(obs->m, i);
        char line[400];
        if (!h)
            break;
        scn_buf_printf(t, "%s{\"kind\":\"%s\",\"text\":", i ? "," : "", mmsim_hazard_name(h->kind));
        scn_buf_json(t, mmsim_hazard_format(h, line, sizeof line));
        scn_buf_add(t, "}", 1);
    }
    scn_buf_printf(t, "],\"log\":");
    scn_buf_json(t, log);
    scn_buf_printf(t, ",\"ok\":%s}\n", ok ? "true" : "false");
}

static void verbose_step(runner_t *R, const char *label, const scn_step_t *st, const char *iter,
                         const scn_result_t *r, const scn_obs_t *obs, const char *log)
{
    scn_buf_t *b = &R->steps;
    scn_buf_printf(b, "step %s line %u%s%s: %s %s -> %s", label, st->line, iter[0] ? " " : "", iter, st->op->name,
                   r->args, scn_err_name(r->ret));
    for (int i = 0; i < SCN_MAX_OUTS && st->op->outs[i].key; i++) {
        char v[200];
        scn_out_text(&st->op->outs[i], &r->outs[i], v, sizeof v);
        scn_buf_printf(b, " %s=%s", st->op->outs[i].key, v);
    }
    char h[300];
    scn_hazard_summary(obs->m, h, sizeof h);
    scn_buf_printf(b, " (cycles %llu, hazards: %s)\n", (unsigned long long)obs->cycles[r->core < SCN_MAX_CORES ? r->core : 0], h);
    for (const char *p = log; *p;) {
        size_t len = strcspn(p, "\n");
        scn_buf_printf(b, "  %.*s\n", (int)len, p);
        p += len + (p[len] == '\n');
    }
}

static void keep_log(runner_t *R, const char *log)
{
    if (R->log.len < MAX_REPORT_BYTES)
        scn_buf_add(&R->log, log, strlen(log));
    else if (*log)
        R->log_cut++;
}

/* Say what the caps left out, where a reader of each report looks. */
static void note_cuts(runner_t *R)
{
    if (R->log_cut)
        scn_buf_printf(&R->log, "... the log lines of %zu more steps are not kept (%u MB per scenario)\n", R->log_cut,
                       MAX_REPORT_BYTES >> 20);
    if (R->steps_cut)
        scn_buf_printf(&R->steps, "... %zu more steps ran; not shown (%u MB of verbose output per scenario)\n",
                       R->steps_cut, MAX_REPORT_BYTES >> 20);
    if (R->trace_cut) {
        char id[600];
        snprintf(id, sizeof id, "%s: %s", R->x.sc->file, R->x.sc->name);
        scn_buf_printf(&R->trace, "{\"scenario\":");
        scn_buf_json(&R->trace, id);
        scn_buf_printf(&R->trace, ",\"steps_not_traced\":%zu,\"why\":\"%u MB of trace per scenario\"}\n",
                       R->trace_cut, MAX_REPORT_BYTES >> 20);
    }
}

/* A step that raised a hal_assert or abort hazard is where the chip would have
 * stopped: the state after it is not the program's, so the checks end there. */
static bool chip_stopped(const mmsim_t *m)
{
    return mmsim_hazard_count_kind(m, MMSIM_HAZARD_HAL_ASSERT) || mmsim_hazard_count_kind(m, MMSIM_HAZARD_ABORT);
}

/* 0 if the machine and the drivers are consistent (or not checked); else -1 with the
 * broken rule in `why`. */
static int check_invariants(runner_t *R, char *why, size_t size)
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
static bool over_budget(runner_t *R, const char *label, const scn_step_t *st, const char *iter)
{
    if (R->spent++ < R->budget)
        return false;
    char msg[200];
    snprintf(msg, sizeof msg, "the step budget of %llu is spent (operations and repeat iterations); "
             "mmsim run --max-steps N raises it", (unsigned long long)R->budget);
    fail_step(R, label, st, iter, msg);
    return true;
}

/* One line per step of what both drivers must agree on: the return code, every output
 * (pointers, sizes, bytes read, dump text) except himem handles (host pointers), and
 * the hazards raised.  Cycles and log lines are left out: the drivers may spend
 * different time, and log lines carry source line numbers. */
static void record_step(runner_t *R, const char *label, const scn_step_t *st, const char *iter,
                        const scn_result_t *r)
{
    scn_buf_t *b = &R->record;
    scn_buf_printf(b, "step %s (%s, line %u%s%s): %s", label, st->op->name, st->line, iter[0] ? ", " : "", iter,
                   scn_err_name(r->ret));
    for (int i = 0; i < SCN_MAX_OUTS && st->op->outs[i].key; i++) {
        if (st->op->outs[i].kind == SCN_OUT_HIMEM || st->op->outs[i].kind == SCN_OUT_RANGE)
            continue;
        char v[600];
        scn_out_text(&st->op->outs[i], &r->outs[i], v, sizeof v);
        const char *text = st->op->outs[i].kind == SCN_OUT_TEXT && r->outs[i].text ? r->outs[i].text : v;
        scn_buf_printf(b, " %s=", st->op->outs[i].key);
        scn_buf_json(b, text);
    }
    scn_buf_printf(b, " hazards:");
    for (size_t i = 0; i < mmsim_hazard_count(R->x.m); i++) {
        const mmsim_hazard_t *h = mmsim_hazard_get(R->x.m, i);
        char line[400];
        if (h)
            scn_buf_printf(b, " [%s]", mmsim_hazard_format(h, line, sizeof line));
    }
    scn_buf_add(b, "\n", 1);
}

static void free_result(scn_result_t *r)
{
    for (int i = 0; i < SCN_MAX_OUTS; i++) {
        free(r->outs[i].bytes);
        free(r->outs[i].text);
    }
}

static step_rc_t save_output(runner_t *R, const scn_step_t *st, const scn_result_t *r, const char *label,
                             const char *iter)
{
    scn_exec_t *x = &R->x;
    const scn_outval_t *v = &r->outs[0];
    uint64_t num = st->op->outs[0].kind == SCN_OUT_NUMBER ? v->num : v->flags;
    if (st->save) {
        scn_name_t *n = scn_env_get(&x->env, st->save, SCN_NAME_NUMBER);
        if (!n)
            goto oom;
        n->set = v->set && (n->kind == SCN_NAME_NUMBER || v->handle);
        n->num = num;
        n->handle = v->handle;
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
    fail_step(R, label, st, iter, "out of memory saving the result");
    return STEP_FAILED;
}

/* Snapshots of the cache statistics an expectation names. */
static int stats_snapshot(runner_t *R, const scn_expect_t *e, mmsim_cache_stats_t *s, uint32_t *cores)
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

static step_rc_t run_op(runner_t *R, const scn_step_t *st, const char *label, const char *iter, const int *until)
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
        fail_step(R, label, st, iter, msg);
        R->steps_run++; /* for the view, a step that failed to run is a step */
        report_step(R, label, st, iter, &r, 0, false, msg);
        R->steps_run--;
        free_result(&r);
        return STEP_FAILED;
    }
    R->steps_run++;
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
    char *log = take_log(x->sc);
    obs.log = log ? log : "";
    if (log)
        keep_log(R, log);
    step_rc_t rc = STEP_OK;
    scn_buf_t msg = {0};
    char why[600];
    if (check_invariants(R, why, sizeof why)) {
        scn_buf_printf(&msg, "invariant broken after this step: %s", why);
        fail_step(R, label, st, iter, msg.text ? msg.text : why);
        record_hazards(x->m, &R->hazards);
        rc = STEP_FAILED;
    } else if (until && r.ret == *until) {
        rc = STEP_UNTIL;
    } else if ((rc = save_output(R, st, &r, label, iter)) == STEP_OK && scn_check(x, e, st->op, &r, &obs, &msg) != 0) {
        fail_step(R, label, st, iter, msg.text ? msg.text : "");
        record_hazards(x->m, &R->hazards);
        rc = STEP_FAILED;
    }
    if (R->opts->driver == SCN_DRIVER_BOTH)
        record_step(R, label, st, iter, &r);
    if (R->opts->verbose && !(R->steps_cut += R->steps.len >= MAX_REPORT_BYTES))
        verbose_step(R, label, st, iter, &r, &obs, obs.log);
    if (R->opts->trace && !(R->trace_cut += R->trace.len >= MAX_REPORT_BYTES))
        trace_step(R, label, st, iter, &r, &obs, obs.log, rc != STEP_FAILED);
    if (!report_step(R, label, st, iter, &r, obs.cycles[r.core < SCN_MAX_CORES ? r.core : 0], rc != STEP_FAILED,
                     msg.text) && rc != STEP_FAILED)
        rc = STEP_STOP;
    scn_buf_free(&msg);
    free(log);
    free_result(&r);
    return rc;
}

static step_rc_t run_steps(runner_t *R, const scn_step_t *steps, size_t n, const char *prefix, const char *iter,
                           const int *until);

static step_rc_t run_repeat(runner_t *R, const scn_step_t *st, const char *label, const char *iter)
{
    scn_exec_t *x = &R->x;
    uint64_t times;
    char why[300];
    char msg[400];
    if (scn_eval(&x->env, st->times, &times, why, sizeof why)) {
        snprintf(msg, sizeof msg, "repeat: %s", why);
        fail_step(R, label, st, iter, msg);
        return STEP_FAILED;
    }
    /* Without `until` every iteration runs: say now that they cannot all fit. */
    if (!st->until_given && times > R->budget - R->spent) {
        snprintf(msg, sizeof msg, "repeat: %llu iterations do not fit in the step budget (%llu of %llu left; "
                 "mmsim run --max-steps N raises it)", (unsigned long long)times,
                 (unsigned long long)(R->budget - R->spent), (unsigned long long)R->budget);
        fail_step(R, label, st, iter, msg);
        return STEP_FAILED;
    }
    scn_name_t *index = scn_env_get(&x->env, st->index, SCN_NAME_NUMBER);
    if (!index) {
        fail_step(R, label, st, iter, "out of memory");
        return STEP_FAILED;
    }
    uint64_t done = 0;
    bool hit = false;
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
        fail_step(R, label, st, iter, msg);
        return STEP_FAILED;
    }
    if (st->save) {
        scn_name_t *n = scn_env_get(&x->env, st->save, SCN_NAME_NUMBER);
        if (n)
            n->set = true, n->num = done, n->set_at = st->line;
    }
    if (st->count_given) {
        uint64_t want;
        if (scn_eval(&x->env, st->count, &want, why, sizeof why)) {
            snprintf(msg, sizeof msg, "count: %s", why);
            fail_step(R, label, st, iter, msg);
            return STEP_FAILED;
        }
        if (want != done) {
            snprintf(msg, sizeof msg, "count: expected %llu iterations, got %llu", (unsigned long long)want,
                     (unsigned long long)done);
            fail_step(R, label, st, iter, msg);
            return STEP_FAILED;
        }
    }
    return STEP_OK;
}

static step_rc_t run_steps(runner_t *R, const scn_step_t *steps, size_t n, const char *prefix, const char *iter,
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

/* Start-up: the boot's log lines and hazards against `boot:` (default: no hazards). */
static bool run_boot(runner_t *R)
{
    scn_exec_t *x = &R->x;
    if (scn_exec_boot(x, NULL)) {
        scn_buf_printf(&R->failure, "boot: %s\n", x->why);
        return false;
    }
    char *log = take_log(x->sc);
    scn_obs_t obs = {.m = x->m, .log = log ? log : ""};
    if (log)
        keep_log(R, log);
    scn_buf_t msg = {0};
    scn_result_t r = {0};
    char why[600];
    bool ok = scn_check(x, &x->sc->boot, NULL, &r, &obs, &msg) == 0;
    if (!ok) {
        scn_buf_printf(&R->failure, "boot: %s", msg.text ? msg.text : "\n");
        record_hazards(x->m, &R->hazards);
    } else if (check_invariants(R, why, sizeof why)) {
        scn_buf_printf(&R->failure, "boot: invariant broken: %s\n", why);
        ok = false;
    }
    bool go_on = report_step(R, "boot", NULL, "", NULL, 0, ok, msg.text);
    scn_buf_free(&msg);
    free(log);
    return ok && go_on;
}

/* One run of sc on one driver; R is zeroed by the caller except opts and x.driver. */
static bool run_scenario(runner_t *R, const scn_scenario_t *sc)
{
    R->x.sc = sc;
    R->budget = R->opts->max_steps ? R->opts->max_steps : SCN_DEFAULT_MAX_STEPS;
    R->check_invariants = R->opts->check_invariants || CHECK_INVARIANTS_ALWAYS;
    esp_log_capture_begin();
    mmsim_t *prev = mmsim_current();
    bool ok = run_boot(R) && run_steps(R, sc->steps, sc->nsteps, NULL, "", NULL) == STEP_OK;
    note_cuts(R);
    mmsim_close(R->x.m);
    R->x.m = NULL;
    mmsim_select(prev);
    scn_env_free(&R->x.env);
    esp_log_capture_end();
    return ok;
}

/* The first line where two records differ, as a failure message. */
static void report_difference(scn_buf_t *failure, const char *ours, const char *idf)
{
    ours = ours ? ours : "";
    idf = idf ? idf : "";
    while (*ours || *idf) {
        size_t lo = strcspn(ours, "\n"), li = strcspn(idf, "\n");
        if (lo != li || memcmp(ours, idf, lo) != 0) {
            scn_buf_printf(failure, "drivers differ:\n  ours: %.*s\n  idf:  %.*s\n", (int)lo, *ours ? ours : "(scenario ended)",
                           (int)li, *idf ? idf : "(scenario ended)");
            return;
        }
        ours += lo + (ours[lo] == '\n');
        idf += li + (idf[li] == '\n');
    }
}

/* The ESP-IDF release a scenario must run on, if it pins one ("" if not). */
static const char *pinned_release(const scn_scenario_t *sc)
{
    for (size_t i = 0; i < sc->nsets; i++)
        if (strncmp(sc->sets[i], "idf_version=", 12) == 0)
            return sc->sets[i] + 12;
    return "";
}

/* The idf_version our driver mimics when compared with the checkout's release: that
 * release, or "master" for one newer than any our driver knows (a development tree). */
static const char *ours_version_for(const char *release)
{
    return release && chipdef_idf_version_code(release) ? release : "master";
}

void scn_exec_scenario(const scn_scenario_t *sc, const scn_run_opts_t *opts, scn_outcome_t *out)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    runner_t R = {.opts = opts};
    bool ok, skipped = false;
    const char *release = mmsim_idf_release(), *pinned = pinned_release(sc);
    if (opts->driver != SCN_DRIVER_OURS && pinned[0] && (!release || strcmp(pinned, release) != 0)) {
        /* ESP-IDF's code is the checkout's release; a scenario written for another
         * release's behaviour cannot run on it. */
        scn_buf_printf(&R.failure, "pins idf_version %s; the ESP-IDF checkout is %s\n", pinned,
                       release ? release : "absent");
        ok = true;
        skipped = true;
    } else if (opts->driver == SCN_DRIVER_BOTH) {
        runner_t ours = {.opts = opts, .x = {.driver = MMSIM_DRIVER_OURS, .idf_version = ours_version_for(release)}};
        bool ours_ok = run_scenario(&ours, sc);
        R.x.driver = MMSIM_DRIVER_IDF;
        ok = run_scenario(&R, sc);
        R.invariants_broken |= ours.invariants_broken;
        if (!ours_ok) {
            scn_buf_printf(&R.failure, "with our driver: %s", ours.failure.text ? ours.failure.text : "\n");
            ok = false;
        }
        if (!R.record.text || !ours.record.text || strcmp(R.record.text, ours.record.text) != 0) {
            report_difference(&R.failure, ours.record.text, R.record.text);
            ok = false;
        }
        scn_buf_free(&ours.failure), scn_buf_free(&ours.hazards), scn_buf_free(&ours.log);
        scn_buf_free(&ours.steps), scn_buf_free(&ours.trace), scn_buf_free(&ours.record);
    } else {
        R.x.driver = opts->driver == SCN_DRIVER_IDF ? MMSIM_DRIVER_IDF : MMSIM_DRIVER_OURS;
        ok = run_scenario(&R, sc);
    }
    scn_buf_free(&R.record);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    *out = (scn_outcome_t){.file = sc->file,
                           .name = sc->name,
                           .description = sc->description,
                           .chip = sc->chip,
                           .line = sc->line,
                           .passed = ok,
                           .skipped = skipped,
                           .invariants_broken = R.invariants_broken,
                           .failure = scn_buf_take(&R.failure),
                           .hazards = scn_buf_take(&R.hazards),
                           .log = scn_buf_take(&R.log),
                           .steps = scn_buf_take(&R.steps),
                           .trace = scn_buf_take(&R.trace),
                           .steps_run = R.steps_run,
                           .seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9};
}

long scn_exec_steps(const scn_scenario_t *sc, scn_step_fn fn, void *ctx, bool *passed)
{
    scn_run_opts_t opts = {.driver = SCN_DRIVER_OURS};
    runner_t R = {.opts = &opts, .x = {.driver = MMSIM_DRIVER_OURS}, .step_fn = fn, .step_ctx = ctx};
    run_scenario(&R, sc);
    if (passed)
        *passed = R.failure.text == NULL; /* every failure is written there; a stop is not one */
    scn_buf_free(&R.failure), scn_buf_free(&R.hazards), scn_buf_free(&R.log);
    scn_buf_free(&R.steps), scn_buf_free(&R.trace), scn_buf_free(&R.record);
    return (long)R.steps_run;
}

void scn_outcome_free(scn_outcome_t *o)
{
    if (!o)
        return;
    free(o->failure);
    free(o->hazards);
    free(o->log);
    free(o->steps);
    free(o->trace);
    free(o);
}
