/* freertos/FreeRTOS.h (idf_tests) - the FreeRTOS types and macros Espressif's mmap tests
 * use.  The runner is a host process: one task (the test case), 1 ms ticks. */
#pragma once
#include <stdint.h>
#include <stdlib.h> /* as ESP-IDF's portmacro.h (test_mmap.c calls abort and srand on it) */
#include "sdkconfig.h"

typedef int BaseType_t;
typedef unsigned UBaseType_t;
typedef uint32_t TickType_t;
#define pdTRUE 1
#define pdFALSE 0
#define pdPASS pdTRUE
#define pdFAIL pdFALSE
#define portMAX_DELAY ((TickType_t)0xffffffffu)
#define configTICK_RATE_HZ 1000
#define portTICK_PERIOD_MS (1000 / configTICK_RATE_HZ)
#define pdMS_TO_TICKS(ms) ((TickType_t)(((uint64_t)(ms) * configTICK_RATE_HZ) / 1000u))
