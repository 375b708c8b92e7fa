/* esp_private/mmsim_hint.h - what an adapter around a driver the simulator cannot see
 * into (ESP-IDF's own, idf/compat/) tells the checker about that driver's bookkeeping,
 * where the hardware keeps no trace of it, so that a later access is reported for what
 * it is; and the loads upstream's code makes when it dereferences a chip address (a
 * host pointer cannot reach the simulated memory).  Our driver (core/) never calls it:
 * the checker reads its state instead (machine.h, himem_page_released), core/ never
 * dereferences a chip address, and core/ names nothing of the simulator
 * (tests/layer_boundary.cmake). */
#ifndef MMSIM_HINT_H
#define MMSIM_HINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The driver released [vaddr, vaddr + len) but left the MMU entries valid (ESP32 himem
 * unmap).  Until an entry is written again, a CPU access through it still reaches the
 * old physical page and is recorded as a use-after-unmap hazard.  Pages outside every
 * window, or whose entries are invalid, are ignored. */
void mmsim_hint_released(uint32_t vaddr, uint32_t len);

/* Is [addr, addr + len) a range of chip addresses: below 4 GB and inside one CPU window
 * of the bound chip?  False with no chip bound, for len 0, and for a range that leaves
 * the window it starts in.  The adapter keeps its own host memory out of every
 * window's range, so a pointer it is given is one or the other. */
bool mmsim_hint_is_chip_range(uintptr_t addr, size_t len);

/* A CPU load of `len` bytes at chip address `vaddr` by the core the driver runs on
 * (mmsim_set_driver_core), through window, MMU and cache, into `buf`: what upstream's
 * code does when it reads through a mapping.  Hazards are recorded as for any CPU
 * access; with no chip bound `buf` is left as it is. */
void mmsim_hint_cpu_read(uint32_t vaddr, void *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif
