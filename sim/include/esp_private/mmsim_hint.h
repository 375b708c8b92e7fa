/* esp_private/mmsim_hint.h - what an adapter around a driver whose state the simulator
 * cannot read (ESP-IDF's own, idf/compat/) tells the checker about that driver's
 * bookkeeping, where the hardware keeps no trace of it, so that a later access is
 * reported for what it is.  Our driver (core/) never calls it: the checker reads its
 * state instead (machine.h, himem_page_released), and core/ names nothing of the
 * simulator (tests/layer_boundary.cmake). */
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
