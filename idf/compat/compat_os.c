/* compat_os.c - the OS and system pieces of an ESP-IDF driver build: newlib locks
 * (sys/lock.h), FreeRTOS spinlock critical sections, binary semaphores and core
 * queries, assert(), and the app image bounds the prelude maps upstream's linker
 * symbols to.
 * Misuse that would hang or corrupt state on the chip is recorded as an abort hazard
 * through esp_system_abort (libmmsim), and the run goes on. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "esp_private/image_layout.h"
#include "esp_err.h"
#include "esp_intr_alloc.h"
#include "esp_system.h"
#include "esp_heap_caps.h"
#include "freertos/FreeRTOS.h"
#include "freertos/semphr.h"
#include "mmsim.h"
#include "mmsim_idf_compat_private.h"
#include "mmsim_idf_prelude.h"
#include "sys/lock.h"

/* ---- sys/lock.h: a count per lock; 0 free ---- */

void _lock_init(_lock_t *lock) { *lock = 0; }
void _lock_init_recursive(_lock_t *lock) { *lock = 0; }
void _lock_close(_lock_t *lock) { *lock = 0; }
void _lock_close_recursive(_lock_t *lock) { *lock = 0; }

void _lock_acquire(_lock_t *lock)
{
    if (*lock) {
        esp_system_abort("_lock_acquire: the lock is already held by this task (self-deadlock)");
        return;
    }
    *lock = 1;
}

void _lock_acquire_recursive(_lock_t *lock) { (*lock)++; }

int _lock_try_acquire(_lock_t *lock)
{
    if (*lock)
        return -1;
    *lock = 1;
    return 0;
}

int _lock_try_acquire_recursive(_lock_t *lock)
{
    (*lock)++;
    return 0;
}

void _lock_release(_lock_t *lock)
{
    if (*lock != 1) {
        esp_system_abort(*lock ? "_lock_release: a non-recursive lock held more than once"
                               : "_lock_release: the lock is not held");
        *lock = 0;
        return;
    }
    *lock = 0;
}

void _lock_release_recursive(_lock_t *lock)
{
    if (*lock <= 0) {
        esp_system_abort("_lock_release_recursive: the lock is not held");
        return;
    }
    (*lock)--;
}

/* ---- freertos/FreeRTOS.h ---- */

void portMUX_INITIALIZE(portMUX_TYPE *mux) { *mux = (portMUX_TYPE)portMUX_INITIALIZER_UNLOCKED; }

void mmsim_idf_enter_critical(portMUX_TYPE *mux)
{
    /* ESP-IDF's spinlocks nest on the owning core. */
    mux->owner = (uint32_t)xPortGetCoreID();
    mux->count++;
}

void mmsim_idf_exit_critical(portMUX_TYPE *mux)
{
    if (mux->count == 0) {
        esp_system_abort("portEXIT_CRITICAL: the spinlock is not held");
        return;
    }
    if (--mux->count == 0)
        mux->owner = portMUX_FREE_VAL;
}

BaseType_t xPortCanYield(void) { return pdTRUE; }

/* ---- freertos/semphr.h ---- */

struct mmsim_idf_semaphore {
    bool given;
    const char *hang; /* what a wait for ever on it is, in the driver's words (NULL: generic) */
};

static const char *s_hang_for_new;

void mmsim_idf_semaphores_hang_as(const char *why) { s_hang_for_new = why; }

SemaphoreHandle_t xSemaphoreCreateBinary(void)
{
    struct mmsim_idf_semaphore *sem = heap_caps_calloc(1, sizeof *sem, MALLOC_CAP_INTERNAL);
    if (sem)
        sem->hang = s_hang_for_new;
    return sem;
}

void vSemaphoreDelete(SemaphoreHandle_t sem) { heap_caps_free(sem); }

BaseType_t xSemaphoreTake(SemaphoreHandle_t sem, TickType_t ticks_to_wait)
{
    if (!sem) {
        mmsim_idf_abort_once("xSemaphoreTake: NULL semaphore (configASSERT)");
        return pdFALSE;
    }
    if (sem->given) {
        sem->given = false;
        return pdTRUE;
    }
    if (ticks_to_wait)
        mmsim_idf_abort_once(sem->hang ? sem->hang
                                       : "xSemaphoreTake: waits for a give no other task can make (the task hangs)");
    return pdFALSE;
}

BaseType_t xSemaphoreGive(SemaphoreHandle_t sem)
{
    if (!sem) {
        mmsim_idf_abort_once("xSemaphoreGive: NULL semaphore (configASSERT)");
        return pdFALSE;
    }
    if (sem->given)
        return pdFALSE;
    sem->given = true;
    return pdTRUE;
}
BaseType_t xPortInIsrContext(void) { return pdFALSE; }
BaseType_t xPortGetCoreID(void) { return 0; }

/* ---- assert() and interrupts ---- */

/* The chip stops at its first abort; the simulator goes on after recording it.  An
 * assertion that fails only because of that continuation (upstream asserts the result
 * of ESP32's cache_hal_invalidate_addr, which aborts on the chip) would be a second
 * report of the same stop, so it is not recorded while an abort is on record. */
static bool abort_on_record(void)
{
    mmsim_t *m = mmsim_current();
    for (size_t i = 0; m && i < mmsim_hazard_count(m); i++) {
        const mmsim_hazard_t *h = mmsim_hazard_get(m, i);
        if (h && h->kind == MMSIM_HAZARD_ABORT)
            return true;
    }
    return false;
}

void mmsim_idf_abort_once(const char *why)
{
    if (!abort_on_record())
        esp_system_abort(why);
}

void mmsim_idf_assert_failed(const char *expr, const char *file, int line, const char *func)
{
    (void)line;
    const char *base = strrchr(file, '/');
    char msg[512];
    snprintf(msg, sizeof msg, "assert failed: %s %s (%s)", func, base ? base + 1 : file, expr);
    mmsim_idf_abort_once(msg);
}

void esp_intr_noniram_disable(void) {}
void esp_intr_noniram_enable(void) {}

/* ---- the app image bounds (mmsim_idf_prelude.h) ---- */

static char *as_pointer(uint32_t vaddr) { return (char *)(uintptr_t)vaddr; }
char *mmsim_idf_irom_start(void) { return as_pointer(image_layout_irom_start()); }
char *mmsim_idf_irom_end(void) { return as_pointer(image_layout_irom_end()); }
char *mmsim_idf_drom_start(void) { return as_pointer(image_layout_drom_start()); }
char *mmsim_idf_drom_end(void) { return as_pointer(image_layout_drom_end()); }
