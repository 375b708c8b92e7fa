/* freertos/task.h (idf_tests) - tasks.  The runner runs one case in one host thread:
 * vTaskDelay sleeps; creating a task is refused (xTaskCreate prints why and returns
 * pdFAIL), and the cases that need tasks are reported skipped by the runner instead. */
#pragma once
#include "freertos/FreeRTOS.h"

typedef struct mmsim_idftest_task *TaskHandle_t;
typedef void (*TaskFunction_t)(void *arg);

BaseType_t xTaskCreate(TaskFunction_t fn, const char *name, uint32_t stack_depth, void *arg, UBaseType_t priority,
                       TaskHandle_t *out);
/* Sleep for `ticks` milliseconds. */
void vTaskDelay(TickType_t ticks);
/* Only a task created by xTaskCreate may delete itself: with none, this reports the
 * misuse and exits the case's process. */
void vTaskDelete(TaskHandle_t task);
