/* timing.h - the cycle model: what an SPI transaction, a flash program or erase
 * costs in CPU cycles, derived only from the chip definition's SPI parameters.
 *
 * A transaction costs a fixed part (command, address and dummy clocks, plus the
 * definition's overhead_ns) and a data part (bytes x 8 / lines, halved for DDR),
 * at the device clock; the result is rounded up to whole CPU cycles.  Everything is
 * integer arithmetic (picoseconds), so the same inputs always give the same cycles. */
#ifndef MMSIM_TIMING_H
#define MMSIM_TIMING_H

#include <stdint.h>

#include "chipdef.h"

/* Device clocks of the data phase for `bytes`. */
uint64_t timing_data_clocks(const chipdef_spi_mem_t *s, uint64_t bytes);

/* Picoseconds of one transaction moving `bytes` (a cache line fill or write-back,
 * or an SPI1 read). */
uint64_t timing_transaction_ps(const chipdef_spi_mem_t *s, uint64_t bytes);

/* The same in CPU cycles at `cpu_mhz`, rounded up. */
uint64_t timing_transaction_cycles(const chipdef_spi_mem_t *s, uint32_t cpu_mhz, uint64_t bytes);

/* SPI1 flash program of `len` bytes at `addr`: one program time per 256-byte page
 * touched, plus the transfer of the data. */
uint64_t timing_flash_program_cycles(const chipdef_spi_mem_t *s, uint32_t cpu_mhz, uint32_t addr,
                                     uint32_t len);

/* SPI1 flash erase of [addr, addr+len) (4 KB aligned): 64 KB blocks where a whole
 * aligned block is covered, 4 KB sectors elsewhere. */
uint64_t timing_flash_erase_cycles(const chipdef_spi_mem_t *s, uint32_t cpu_mhz, uint32_t addr,
                                   uint32_t len);

/* Cycles to nanoseconds at `cpu_mhz` (rounded down). */
uint64_t timing_cycles_to_ns(uint64_t cycles, uint32_t cpu_mhz);

#endif
