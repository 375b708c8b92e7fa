/* hal/cpu_mem.h - the driver core's own loads and stores of chip memory, what `memset`
 * and `memcpy` compile to on the chip: each byte goes through the bound machine's CPU
 * path on the driver core (mmsim_set_driver_core), caches and hazards included.  Code
 * in core/ that would touch a buffer on the chip (calloc's zeroes, realloc's copy)
 * calls these instead of dereferencing a chip address on the host. */
#ifndef MMSIM_HAL_CPU_MEM_H
#define MMSIM_HAL_CPU_MEM_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Store `byte` into [addr, addr + len).  False if the model ran out of host memory on
 * the way (machine_fail said why) or no chip is bound. */
bool cpu_mem_set(uint32_t addr, uint8_t byte, uint32_t len);
/* Load [src, src + len) and store it at dst, front to back. */
bool cpu_mem_copy(uint32_t dst, uint32_t src, uint32_t len);

#ifdef __cplusplus
}
#endif

#endif
