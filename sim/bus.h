/* bus.h - the access paths of the machine and the cache maintenance operations:
 *
 *   CPU load/store/fetch:  window -> bus/cache enable -> cache(s) -> MMU -> store
 *   SPI1 flash read/program/erase and DMA:  straight to the store, no cache
 *   cache invalidate / write-back by virtual range at a level, or whole caches
 *
 * This is where the machine behaves like the hardware (fill patterns for invalid
 * accesses, stale lines served as they are, dirty lines lost on invalidate) and
 * where every hazard of the hazard table is detected and logged, and where cycles
 * are charged.  Nothing here fails on a hazard: hazards are reported, data moves as
 * on the chip. */
#ifndef MMSIM_BUS_H
#define MMSIM_BUS_H

#include <stdint.h>

#include "machine.h"

typedef enum {
    BUS_READ = 0,
    BUS_WRITE = 1,
    BUS_FETCH = 2,
} bus_op_t;

/* Cycles charged per MMU entry written and per cache line visited by a cache
 * operation.  [ASSUMPTION] register writes and ROM cache loops are not published;
 * one CPU cycle each keeps them visible without dominating SPI transfers. */
#define BUS_MMU_ENTRY_CYCLES 1u
#define BUS_CACHE_OP_LINE_CYCLES 1u
#define BUS_FAULT_CYCLES 1u

/* A CPU access of `len` bytes at `vaddr` on `core` (< chip.cores).  READ and FETCH
 * fill `buf`; WRITE takes bytes from it.  The range may cross lines, pages and
 * windows; [vaddr, vaddr+len) must not wrap (the caller checks). */
void bus_cpu_access(machine_t *m, uint32_t core, bus_op_t op, uint32_t vaddr, uint8_t *buf,
                    uint32_t len);

/* SPI1 flash operations (cycles on m->hal_core).  -1 for a range outside the flash
 * or, for erase, addr/len not multiples of 4 KB; nothing changed then. */
int bus_spi1_read(machine_t *m, uint32_t paddr, uint8_t *buf, uint32_t len);
int bus_spi1_program(machine_t *m, uint32_t paddr, const uint8_t *buf, uint32_t len);
int bus_spi1_erase(machine_t *m, uint32_t paddr, uint32_t len);

/* DMA of `target`'s physical range.  -1 for a bad target or range. */
int bus_dma_read(machine_t *m, uint32_t target, uint32_t paddr, uint8_t *buf, uint32_t len);
int bus_dma_write(machine_t *m, uint32_t target, uint32_t paddr, const uint8_t *buf, uint32_t len);

/* Cache maintenance by virtual range [vaddr, vaddr+size), rounded outward to
 * lines, on every cache at `level` and the levels above it (P4 level 2: L1 first,
 * then L2), every instance.  Invalidate drops lines (a dirty one is a lost write);
 * write-back writes dirty data-cache lines down and keeps them clean and valid.
 * Cycles go to m->hal_core.  Return the number of lines acted on. */
uint32_t bus_cache_invalidate_range(machine_t *m, uint32_t level, uint32_t vaddr, uint32_t size);
uint32_t bus_cache_writeback_range(machine_t *m, uint32_t level, uint32_t vaddr, uint32_t size);

/* Whole-cache operations on the instances `core` uses at `level` and the levels
 * above it (0: every level), upper levels first.
 * invalidate_all is ESP32's Cache_Flush: no write-back, dirty lines are lost. */
uint32_t bus_cache_invalidate_all(machine_t *m, uint32_t core, uint32_t level);
uint32_t bus_cache_writeback_all(machine_t *m, uint32_t core, uint32_t level);

/* Charge `cycles` to `core` (used by the HAL for MMU writes). */
static inline void bus_charge(machine_t *m, uint32_t core, uint64_t cycles) { m->cycles[core] += cycles; }

#endif
