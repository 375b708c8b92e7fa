/* scn_plan.c - running a suite of any size in memory that does not grow with it
 * (scn.h, scn_plan_*): the files are found and each is loaded once to check it and
 * pick its selected scenarios (then freed), before anything runs, so a bad file
 * still stops the run at once; the run loads each file again in a job, runs its
 * selected scenarios, frees it, and hands the outcomes over in order, with at most
 * RUN_AHEAD files per job waiting. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "esp_log.h"
#include "scn_exec.h"
#include "scn_suite.h"

#define RUN_AHEAD 4

typedef struct {
    char *path;
    uint32_t *picked;    /* positions (in the file's order) of the selected scenarios */
    size_t npicked;
    /* the run */
    scn_outcome_t **outs;
    bool ready;
} plan_file_t;

struct scn_plan {
    plan_file_t *files;
    size_t count, cap;
    size_t selected;
};

/* ---- finding the files ---- */

static int add_file(scn_plan_t *p, const char *path)
{
    if (scn_grow(&p->files, sizeof *p->files, &p->cap, p->count + 1))
        return -1;
    p->files[p->count] = (plan_file_t){.path = strdup(path)};
    return p->files[p->count++].path ? 0 : -1;
}

/* A file the walk found (scn_walk_yaml). */
static size_t add_found(void *p, const char *path, FILE *errors)
{
    if (!add_file(p, path))
        return 0;
    fprintf(errors, "%s: out of memory\n", path);
    return 1;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const plan_file_t *)a)->path, ((const plan_file_t *)b)->path);
}

void scn_plan_free(scn_plan_t *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->count; i++) {
        free(p->files[i].path);
        free(p->files[i].picked);
        free(p->files[i].outs);
    }
    free(p->files);
    free(p);
}

scn_plan_t *scn_plan_new(const char *const *paths, size_t npaths, const char *filter, unsigned k, unsigned n,
                         FILE *errors, size_t *bad)
{
    scn_plan_t *p = calloc(1, sizeof *p);
    *bad = 0;
    if (!p)
        return NULL;
    for (size_t i = 0; i < npaths; i++) {
        struct stat st;
        if (stat(paths[i], &st)) {
            fprintf(errors, "%s: no such file or folder\n", paths[i]);
            ++*bad;
        } else if (S_ISDIR(st.st_mode)) {
            *bad += scn_walk_yaml(paths[i], errors, 0, add_found, p);
        } else if (add_file(p, paths[i])) {
            scn_plan_free(p);
            return NULL;
        }
    }
    /* The suite's order: by file name, then position in the file. */
    if (p->count)
        qsort(p->files, p->count, sizeof *p->files, by_path);
    if (n == 0)
        k = n = 1;
    size_t matched = 0;
    for (size_t f = 0; f < p->count; f++) {
        plan_file_t *pf = &p->files[f];
        scn_suite_t *s = scn_suite_new();
        if (!s) {
            scn_plan_free(p);
            return NULL;
        }
        if (scn_suite_add_path(s, pf->path, errors)) {
            ++*bad;
        } else if (!*bad) {
            /* Selected as scn_select picks from the whole sorted suite. */
            for (size_t i = 0; i < s->count; i++) {
                const scn_scenario_t *sc = s->items[i];
                if (filter && !strstr(sc->file, filter) && !strstr(sc->name, filter))
                    continue;
                if (matched++ % n != k - 1)
                    continue;
                if (!pf->picked && !(pf->picked = calloc(s->count, sizeof *pf->picked))) {
                    scn_suite_free(s);
                    scn_plan_free(p);
                    return NULL;
                }
                pf->picked[pf->npicked++] = (uint32_t)i;
                p->selected++;
            }
        }
        scn_suite_free(s);
    }
    return p;
}

size_t scn_plan_count(const scn_plan_t *p) { return p->selected; }

/* ---- running ---- */

typedef struct {
    const scn_plan_t *plan;
    const scn_run_opts_t *opts;
    size_t next;        /* the next file a job takes */
    size_t delivered;   /* files handed over */
    pthread_mutex_t mu;
    pthread_cond_t cond;
    unsigned jobs;
} run_t;

/* The scenario's strings copied into the outcome: the file's scenarios are freed
 * before the outcome is handed over. */
static void own_strings(scn_outcome_t *o)
{
    const char *parts[4] = {o->file, o->name, o->description, o->chip};
    size_t len = 0;
    for (int i = 0; i < 4; i++)
        len += parts[i] ? strlen(parts[i]) + 1 : 0;
    char *block = malloc(len ? len : 1), *at = block;
    const char **fields[4] = {&o->file, &o->name, &o->description, &o->chip};
    for (int i = 0; i < 4; i++) {
        if (!parts[i])
            continue;
        if (!block) {
            *fields[i] = "(out of memory)";
            continue;
        }
        size_t n = strlen(parts[i]) + 1;
        memcpy(at, parts[i], n);
        *fields[i] = at;
        at += n;
    }
    o->owned = block;
}

/* Load one file and run its selected scenarios; outs[] NULL where memory ran out. */
static void run_file(const run_t *r, plan_file_t *pf)
{
    pf->outs = calloc(pf->npicked, sizeof *pf->outs);
    scn_suite_t *s = scn_suite_new();
    FILE *quiet = fopen("/dev/null", "w");
    /* It loaded when checked; a file changed since fails its scenarios. */
    bool loaded = s && quiet && scn_suite_add_path(s, pf->path, quiet) == 0;
    for (size_t i = 0; pf->outs && i < pf->npicked; i++) {
        scn_outcome_t *o = calloc(1, sizeof *o);
        if (!o)
            continue;
        if (loaded && pf->picked[i] < s->count) {
            scn_exec_scenario(s->items[pf->picked[i]], r->opts, o);
        } else {
            o->file = pf->path;
            o->name = "(scenario of a file that changed or could not be read again)";
            o->failure = strdup("the file no longer loads as it did when the run was checked\n");
        }
        own_strings(o);
        pf->outs[i] = o;
    }
    if (quiet)
        fclose(quiet);
    scn_suite_free(s);
}

static void *worker(void *arg)
{
    run_t *r = arg;
    pthread_mutex_lock(&r->mu);
    for (;;) {
        while (r->next < r->plan->count && r->next >= r->delivered + RUN_AHEAD * r->jobs)
            pthread_cond_wait(&r->cond, &r->mu);
        if (r->next >= r->plan->count)
            break;
        plan_file_t *pf = &r->plan->files[r->next++];
        pthread_mutex_unlock(&r->mu);
        if (pf->npicked)
            run_file(r, pf);
        pthread_mutex_lock(&r->mu);
        pf->ready = true;
        pthread_cond_broadcast(&r->cond);
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

static size_t deliver(plan_file_t *pf, size_t *nth, scn_outcome_fn fn, void *ctx)
{
    size_t failed = 0;
    for (size_t i = 0; i < pf->npicked; i++, ++*nth) {
        scn_outcome_t *o = pf->outs ? pf->outs[i] : NULL;
        if (!o) {
            fprintf(stderr, "%s: scenario %zu: out of memory, not run\n", pf->path, (size_t)pf->picked[i] + 1);
            failed++;
            continue;
        }
        failed += !o->passed;
        fn(o, *nth, ctx);
    }
    free(pf->outs);
    pf->outs = NULL;
    return failed;
}

size_t scn_plan_run(const scn_plan_t *p, const scn_run_opts_t *opts, scn_outcome_fn fn, void *ctx)
{
    /* The plan is const to its users; the run's bookkeeping lives in its files. */
    scn_plan_t *plan = (scn_plan_t *)p;
    run_t r = {.plan = p, .opts = opts};
    unsigned jobs = opts->driver != SCN_DRIVER_OURS ? 1 : opts->jobs > 64 ? 64 : opts->jobs;
    if (jobs > p->count)
        jobs = (unsigned)p->count;
    r.jobs = jobs ? jobs : 1;
    pthread_mutex_init(&r.mu, NULL);
    pthread_cond_init(&r.cond, NULL);
    esp_log_level_t level = esp_log_level_get("*");
    FILE *devnull = fopen("/dev/null", "w");
    esp_log_level_set("*", ESP_LOG_VERBOSE);
    if (devnull)
        esp_log_set_stream(devnull);
    pthread_t threads[64];
    unsigned started = 0;
    if (jobs > 1)
        for (; started < jobs; started++)
            if (pthread_create(&threads[started], NULL, worker, &r))
                break;
    size_t failed = 0, nth = 0;
    for (size_t f = 0; f < p->count; f++) {
        plan_file_t *pf = &plan->files[f];
        if (!started) {
            if (pf->npicked)
                run_file(&r, pf);
        } else {
            pthread_mutex_lock(&r.mu);
            while (!pf->ready)
                pthread_cond_wait(&r.cond, &r.mu);
            pthread_mutex_unlock(&r.mu);
        }
        failed += deliver(pf, &nth, fn, ctx);
        pf->ready = false;
        pthread_mutex_lock(&r.mu);
        r.delivered = f + 1;
        pthread_cond_broadcast(&r.cond);
        pthread_mutex_unlock(&r.mu);
    }
    for (unsigned t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
    pthread_cond_destroy(&r.cond);
    pthread_mutex_destroy(&r.mu);
    esp_log_set_stream(NULL);
    if (devnull)
        fclose(devnull);
    esp_log_level_set("*", level);
    return failed;
}
