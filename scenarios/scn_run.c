/* scn_run.c - running a selection of scenarios, on worker threads if asked, and
 * handing the outcomes over in the selection's order whatever finishes first.
 *
 * Threads are safe here because everything a scenario touches is per thread: the
 * machine (mmsim_open selects it for the calling thread), the driver's state (bound
 * with it) and the log capture.  The log level and stream are process-wide, so they
 * are set once around the whole run.  Also one scenario stepped through for the view. */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "esp_log.h"
#include "scn_exec.h"
#include "scn_suite.h"

typedef struct {
    const scn_suite_t *suite;
    const size_t *idx;
    size_t n, next;
    const scn_run_opts_t *opts;
    scn_outcome_t **outs;     /* NULL if out of memory */
    bool *ready;              /* outs[i] is final */
    pthread_mutex_t mu;
    pthread_cond_t done;
} pool_t;

static scn_outcome_t *run_one(pool_t *p, size_t i)
{
    scn_outcome_t *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    scn_exec_scenario(p->suite->items[p->idx[i]], p->opts, o);
    return o;
}

static void *worker(void *arg)
{
    pool_t *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        size_t i = p->next++;
        pthread_mutex_unlock(&p->mu);
        if (i >= p->n)
            return NULL;
        scn_outcome_t *o = run_one(p, i);
        pthread_mutex_lock(&p->mu);
        p->outs[i] = o;
        p->ready[i] = true;
        pthread_cond_broadcast(&p->done);
        pthread_mutex_unlock(&p->mu);
    }
}

static size_t deliver(pool_t *p, size_t i, scn_outcome_fn fn, void *ctx)
{
    scn_outcome_t *o = p->outs[i];
    if (!o) {
        const scn_scenario_t *sc = p->suite->items[p->idx[i]];
        fprintf(stderr, "%s: %s: out of memory, not run\n", sc->file, sc->name);
        return 1;
    }
    size_t failed = !o->passed;
    fn(o, i, ctx);
    return failed;
}

/* The log level and stream are process-wide: every line is captured (and filtered
 * per scenario), none is written to stderr. */
typedef struct {
    esp_log_level_t level;
    FILE *devnull;
} quiet_log_t;

static quiet_log_t quiet_log_begin(void)
{
    quiet_log_t q = {.level = esp_log_level_get("*"), .devnull = fopen("/dev/null", "w")};
    esp_log_level_set("*", ESP_LOG_VERBOSE);
    if (q.devnull)
        esp_log_set_stream(q.devnull);
    return q;
}

static void quiet_log_end(quiet_log_t q)
{
    esp_log_set_stream(NULL);
    if (q.devnull)
        fclose(q.devnull);
    esp_log_level_set("*", q.level);
}

long scn_step_through(const scn_suite_t *s, size_t index, scn_step_fn fn, void *ctx, bool *passed)
{
    if (index >= s->count)
        return -1;
    quiet_log_t q = quiet_log_begin();
    long n = scn_exec_steps(s->items[index], fn, ctx, passed);
    quiet_log_end(q);
    return n;
}

size_t scn_run(const scn_suite_t *s, const size_t *idx, size_t n, const scn_run_opts_t *opts, scn_outcome_fn fn,
               void *ctx)
{
    pool_t p = {.suite = s, .idx = idx, .n = n, .opts = opts};
    p.outs = calloc(n ? n : 1, sizeof *p.outs);
    p.ready = calloc(n ? n : 1, sizeof *p.ready);
    if (!p.outs || !p.ready) {
        free(p.outs);
        free(p.ready);
        return n;
    }
    quiet_log_t q = quiet_log_begin();
    size_t failed = 0;
    /* ESP-IDF's driver keeps its state in its library's statics: one machine per chip
     * library at a time in a process, so its scenarios run one after another. */
    unsigned jobs = opts->driver != SCN_DRIVER_OURS ? 1 : opts->jobs > 64 ? 64 : opts->jobs;
    if (jobs > n)
        jobs = (unsigned)n;
    pthread_t threads[64];
    unsigned started = 0;
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.done, NULL);
    if (jobs > 1)
        for (; started < jobs; started++)
            if (pthread_create(&threads[started], NULL, worker, &p))
                break;
    if (started == 0) {
        /* One job (or no thread could start): run here, in order. */
        for (size_t i = 0; i < n; i++) {
            p.outs[i] = run_one(&p, i);
            failed += deliver(&p, i, fn, ctx);
        }
    } else {
        for (size_t i = 0; i < n; i++) {
            pthread_mutex_lock(&p.mu);
            while (!p.ready[i])
                pthread_cond_wait(&p.done, &p.mu);
            pthread_mutex_unlock(&p.mu);
            failed += deliver(&p, i, fn, ctx);
        }
        for (unsigned t = 0; t < started; t++)
            pthread_join(threads[t], NULL);
    }
    pthread_cond_destroy(&p.done);
    pthread_mutex_destroy(&p.mu);
    quiet_log_end(q);
    free(p.outs);
    free(p.ready);
    return failed;
}
