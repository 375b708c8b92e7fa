/* freertos/task.h (compat) - nothing of the task API is called by the drivers built
 * here; esp_himem.c includes it for the critical-section macros of FreeRTOS.h. */
#ifndef MMSIM_IDF_COMPAT_FREERTOS_TASK_H
#define MMSIM_IDF_COMPAT_FREERTOS_TASK_H
#include "freertos/FreeRTOS.h"
#endif
