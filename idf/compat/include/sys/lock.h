/* sys/lock.h (compat) - newlib's lock API as ESP-IDF implements it
 * (components/newlib/locks.c): _lock_t is a lazily created mutex, _lock_acquire
 * blocks, the _recursive variants nest.  On the host one driver instance runs on one
 * thread at a time, so a lock is a count: acquiring a held non-recursive lock is the
 * self-deadlock it would be on the chip and is reported as an abort hazard
 * (esp_system_abort) instead of hanging; releasing a free lock likewise. */
#ifndef MMSIM_IDF_COMPAT_SYS_LOCK_H
#define MMSIM_IDF_COMPAT_SYS_LOCK_H

#ifdef __cplusplus
extern "C" {
#endif

typedef int _lock_t;

void _lock_init(_lock_t *lock);
void _lock_init_recursive(_lock_t *lock);
void _lock_close(_lock_t *lock);
void _lock_close_recursive(_lock_t *lock);
void _lock_acquire(_lock_t *lock);
void _lock_acquire_recursive(_lock_t *lock);
int _lock_try_acquire(_lock_t *lock);           /* 0 on success, -1 if held */
int _lock_try_acquire_recursive(_lock_t *lock);
void _lock_release(_lock_t *lock);
void _lock_release_recursive(_lock_t *lock);

#ifdef __cplusplus
}
#endif

#endif
