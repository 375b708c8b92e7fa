/* freertos/semphr.h (idf_tests) - binary semaphores, over a pthread mutex and condition
 * (they work between host threads). */
#pragma once
#include "freertos/FreeRTOS.h"

typedef struct mmsim_idftest_semaphore *SemaphoreHandle_t;

/* Created empty (taken); NULL if out of memory. */
SemaphoreHandle_t xSemaphoreCreateBinary(void);
void vSemaphoreDelete(SemaphoreHandle_t sem);
/* pdTRUE once given (it is then taken again); pdFALSE after `ticks` ms without a give. */
BaseType_t xSemaphoreTake(SemaphoreHandle_t sem, TickType_t ticks);
/* pdTRUE, or pdFALSE if it was already given. */
BaseType_t xSemaphoreGive(SemaphoreHandle_t sem);
