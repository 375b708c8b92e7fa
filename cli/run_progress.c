/* run_progress.c - the progress line of `mmsim run` (run_progress.h): a ticker thread
 * redraws it twice a second; a mutex keeps the ticker's redraws from landing between
 * the caller's erasing and printing. */
#include "run_progress.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct run_progress {
    pthread_t ticker;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    size_t total, done, failed;
    struct timespec start;
    bool stopping, shown;
};

bool run_progress_wanted(bool tap, const char *junit, const char *trace)
{
    const char *const files[] = {junit, trace};
    for (int i = 0; i < 2; i++)
        if (files[i] && (!strcmp(files[i], "-") || !strcmp(files[i], "/dev/stdout")))
            return false;
    return !tap && isatty(STDOUT_FILENO) && isatty(STDERR_FILENO);
}

/* With the lock held. */
static void draw(run_progress_t *p)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long secs = (long)(now.tv_sec - p->start.tv_sec);
    fprintf(stderr, "\r\033[K[%zu/%zu] %zu failed, %ld:%02ld elapsed", p->done, p->total, p->failed, secs / 60,
            secs % 60);
    fflush(stderr);
    p->shown = true;
}

static void erase(run_progress_t *p)
{
    if (p->shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        p->shown = false;
    }
}

static void *tick(void *arg)
{
    run_progress_t *p = arg;
    pthread_mutex_lock(&p->lock);
    while (!p->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 500000000L;
        if (until.tv_nsec >= 1000000000L)
            until.tv_sec++, until.tv_nsec -= 1000000000L;
        pthread_cond_timedwait(&p->wake, &p->lock, &until);
        if (!p->stopping)
            draw(p);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

run_progress_t *run_progress_start(size_t total)
{
    run_progress_t *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->total = total;
    clock_gettime(CLOCK_MONOTONIC, &p->start);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->wake, NULL);
    if (pthread_create(&p->ticker, NULL, tick, p)) {
        pthread_mutex_destroy(&p->lock);
        pthread_cond_destroy(&p->wake);
        free(p);
        return NULL;
    }
    return p;
}

void run_progress_hide(run_progress_t *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    erase(p);
    /* Held until run_progress_done: the caller prints in between. */
}

void run_progress_done(run_progress_t *p, bool failed)
{
    if (!p)
        return;
    p->done++;
    p->failed += failed;
    draw(p);
    pthread_mutex_unlock(&p->lock);
}

void run_progress_stop(run_progress_t *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->stopping = true;
    erase(p);
    pthread_cond_signal(&p->wake);
    pthread_mutex_unlock(&p->lock);
    pthread_join(p->ticker, NULL);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->wake);
    free(p);
}
