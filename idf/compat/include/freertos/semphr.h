/* freertos/semphr.h (compat) - FreeRTOS binary semaphores, as flash_mmap.c's mmap lock
 * uses them.  The simulated driver is the only task, so a semaphore is a flag: taking
 * it when it is not given would wait for a give no other task can make -- the hang it
 * is on the chip (a flash write waiting for a BLOCKS_WRITE mapping to be released, say)
 * -- and is reported as an abort hazard instead, returning pdFALSE. */
#ifndef MMSIM_IDF_COMPAT_FREERTOS_SEMPHR_H
#define MMSIM_IDF_COMPAT_FREERTOS_SEMPHR_H

#include "freertos/FreeRTOS.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mmsim_idf_semaphore *SemaphoreHandle_t;

/* Created empty (taken); NULL if out of memory.  Freed by vSemaphoreDelete or when the
 * driver is unloaded (it lives on the driver's heap). */
SemaphoreHandle_t xSemaphoreCreateBinary(void);
void vSemaphoreDelete(SemaphoreHandle_t sem);
/* pdTRUE if it was given (it is then taken); pdFALSE if not: at once with a zero
 * wait, else after reporting the endless wait. */
BaseType_t xSemaphoreTake(SemaphoreHandle_t sem, TickType_t ticks_to_wait);
/* pdTRUE, or pdFALSE if it was already given. */
BaseType_t xSemaphoreGive(SemaphoreHandle_t sem);

#ifdef __cplusplus
}
#endif

#endif
