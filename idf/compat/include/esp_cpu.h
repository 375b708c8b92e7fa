/* esp_cpu.h (compat) - the CPU helpers the cache freeze path calls. */
#ifndef MMSIM_IDF_COMPAT_ESP_CPU_H
#define MMSIM_IDF_COMPAT_ESP_CPU_H

#include "mmsim_idf_compat.h"

/* The host stack stands for internal DRAM (see MMSIM_IDF_STACK_STANDIN). */
static inline void *esp_cpu_get_sp(void) { return (void *)(uintptr_t)MMSIM_IDF_STACK_STANDIN; }
/* Stalling the other core: the simulator runs one core's driver code at a time. */
static inline void esp_cpu_stall(int core_id) { (void)core_id; }
static inline void esp_cpu_unstall(int core_id) { (void)core_id; }

#endif
