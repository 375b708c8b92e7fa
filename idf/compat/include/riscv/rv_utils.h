/* riscv/rv_utils.h (compat) - included by upstream for the CPU helpers on RISC-V
 * chips; the host gets them from esp_cpu.h and esp_intr_alloc.h. */
#ifndef MMSIM_IDF_COMPAT_RV_UTILS_H
#define MMSIM_IDF_COMPAT_RV_UTILS_H
#include "esp_cpu.h"
#include "esp_intr_alloc.h"
#endif
