/* direct_turns.c - the deterministic mode: bound threads take the machine in a fixed
 * round (turn 0, 1, ..., n-1, 0, ...), one window access (or one intercepted call, or
 * one mmsim_direct_lock section) per turn, so that the order of their accesses, and
 * with it every cycle count and hazard, is the same on every run.  A turn whose thread
 * has not bound yet is waited for; a thread that unbinds or exits leaves the round. */
#define _GNU_SOURCE
#include "direct_internal.h"

#include <pthread.h>
#include <sched.h>

#define TURNS_MAX 64

static struct {
    uint32_t n;                      /* 0: off */
    _Atomic uint32_t turn;           /* whose access is next */
    _Atomic bool done[TURNS_MAX];    /* left the round */
    pthread_key_t key;               /* leaves the round when its thread exits */
    bool key_made;
} round_;

static _Thread_local int my_turn = -1;

static void leave(void *value)
{
    int t = (int)(intptr_t)value - 1;
    if (t < 0 || (uint32_t)t >= round_.n)
        return;
    atomic_store(&round_.done[t], true);
    if (atomic_load(&round_.turn) == (uint32_t)t)
        direct_turn_pass_from((uint32_t)t);
}

void direct_turn_pass_from(uint32_t t)
{
    for (uint32_t k = 1; k <= round_.n; k++) {
        uint32_t next = (t + k) % round_.n;
        if (!atomic_load(&round_.done[next])) {
            atomic_store(&round_.turn, next);
            return;
        }
    }
}

void direct_turn_wait(void)
{
    if (my_turn < 0 || !round_.n)
        return;
    while (atomic_load_explicit(&round_.turn, memory_order_acquire) != (uint32_t)my_turn)
        sched_yield();
}

void direct_turn_pass(void)
{
    if (my_turn >= 0 && round_.n)
        direct_turn_pass_from((uint32_t)my_turn);
}

int mmsim_direct_set_deterministic(uint32_t threads)
{
    if (threads > TURNS_MAX)
        return mmsim_report_error(MMSIM_ERR_ARG, "%s: %u threads, at most %d take turns", __func__, threads,
                                  TURNS_MAX);
    if (!round_.key_made) {
        if (pthread_key_create(&round_.key, leave) != 0)
            return mmsim_report_error(MMSIM_ERR_HOST, "%s: no thread-exit hook (pthread_key_create)", __func__);
        round_.key_made = true;
    }
    direct_lock_take();
    round_.n = threads;
    atomic_store(&round_.turn, 0);
    for (uint32_t i = 0; i < TURNS_MAX; i++)
        atomic_store(&round_.done[i], false);
    direct_lock_give();
    return MMSIM_OK;
}

int mmsim_direct_bind_turn(uint32_t core, uint32_t turn)
{
    if (!round_.n)
        return mmsim_report_error(MMSIM_ERR_ARG, "%s: the deterministic mode is off (mmsim_direct_set_deterministic)",
                                  __func__);
    if (turn >= round_.n)
        return mmsim_report_error(MMSIM_ERR_ARG, "%s: turn %u, but %u threads take turns", __func__, turn, round_.n);
    int r = mmsim_direct_bind_core(core);
    if (r != 0)
        return r;
    my_turn = (int)turn;
    pthread_setspecific(round_.key, (void *)(intptr_t)(turn + 1));
    return MMSIM_OK;
}

void mmsim_direct_unbind_turn(void)
{
    if (my_turn < 0)
        return;
    pthread_setspecific(round_.key, NULL);
    leave((void *)(intptr_t)(my_turn + 1));
    my_turn = -1;
}
