/* freertos/FreeRTOS.h (compat) - the FreeRTOS port pieces the drivers use: spinlocks
 * (portMUX_TYPE) and their critical sections, the core id and "can this context
 * yield".  The simulated driver runs in task context on one core at a time: a
 * critical section is a nesting count per spinlock; exiting one not entered is
 * reported as an abort hazard (it corrupts the lock on the chip). */
#ifndef MMSIM_IDF_COMPAT_FREERTOS_H
#define MMSIM_IDF_COMPAT_FREERTOS_H

#include <stdbool.h>
#include <stdint.h>

#include "esp_cpu.h"
#include "esp_intr_alloc.h"
#include "sdkconfig.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef int BaseType_t;
typedef unsigned UBaseType_t;
typedef uint32_t TickType_t;
#define pdTRUE 1
#define pdFALSE 0
#define portMAX_DELAY ((TickType_t)0xffffffffu)
#define portNUM_PROCESSORS CONFIG_FREERTOS_NUMBER_OF_CORES
#define configNUMBER_OF_CORES CONFIG_FREERTOS_NUMBER_OF_CORES

typedef struct {
    uint32_t owner;
    uint32_t count;
} portMUX_TYPE;
#define portMUX_FREE_VAL 0xB33FFFFFu
#define portMUX_INITIALIZER_UNLOCKED {.owner = portMUX_FREE_VAL, .count = 0}

void mmsim_idf_enter_critical(portMUX_TYPE *mux);
void mmsim_idf_exit_critical(portMUX_TYPE *mux);
void portMUX_INITIALIZE(portMUX_TYPE *mux);

#define portENTER_CRITICAL(mux) mmsim_idf_enter_critical(mux)
#define portEXIT_CRITICAL(mux) mmsim_idf_exit_critical(mux)
#define portENTER_CRITICAL_ISR(mux) mmsim_idf_enter_critical(mux)
#define portEXIT_CRITICAL_ISR(mux) mmsim_idf_exit_critical(mux)
#define portENTER_CRITICAL_SAFE(mux) mmsim_idf_enter_critical(mux)
#define portEXIT_CRITICAL_SAFE(mux) mmsim_idf_exit_critical(mux)
#define taskENTER_CRITICAL(mux) mmsim_idf_enter_critical(mux)
#define taskEXIT_CRITICAL(mux) mmsim_idf_exit_critical(mux)

/* Task context, so yielding is allowed (ESP-IDF: false in an ISR or critical section). */
BaseType_t xPortCanYield(void);
/* The core the driver runs on (mmsim_set_driver_core). */
BaseType_t xPortGetCoreID(void);
BaseType_t xPortInIsrContext(void);

#ifdef __cplusplus
}
#endif

#endif
