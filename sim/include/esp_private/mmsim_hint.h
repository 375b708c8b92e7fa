/* esp_private/mmsim_hint.h - what a driver tells the simulator's checker about its own
 * bookkeeping where the hardware keeps no trace of it.  On a chip these calls would do
 * nothing; on the simulator they let a later access be reported for what it is. */
#ifndef MMSIM_HINT_H
#define MMSIM_HINT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The driver released [vaddr, vaddr + len) but left the MMU entries valid (ESP32 himem
 * unmap).  Until an entry is written again, a CPU access through it still reaches the
 * old physical page and is recorded as a use-after-unmap hazard.  Pages outside every
 * window, or whose entries are invalid, are ignored. */
void mmsim_hint_released(uint32_t vaddr, uint32_t len);

#ifdef __cplusplus
}
#endif

#endif
