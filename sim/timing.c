/* timing.c - the SPI cost formulas of timing.h. */
#include "timing.h"

static uint64_t ps_to_cycles(uint64_t ps, uint32_t cpu_mhz)
{
    /* cycles = ps * MHz / 1e6, rounded up: a partly used cycle is a cycle spent. */
    return (ps * cpu_mhz + 999999u) / 1000000u;
}

uint64_t timing_data_clocks(const chipdef_spi_mem_t *s, uint64_t bytes)
{
    uint64_t bits_per_clock = (uint64_t)s->lines * (s->ddr ? 2u : 1u);
    return (bytes * 8u + bits_per_clock - 1u) / bits_per_clock;
}

uint64_t timing_transaction_ps(const chipdef_spi_mem_t *s, uint64_t bytes)
{
    uint64_t clocks = (uint64_t)s->cmd_clocks + s->addr_clocks + s->dummy_clocks +
                      timing_data_clocks(s, bytes);
    return clocks * 1000000u / s->clock_mhz + (uint64_t)s->overhead_ns * 1000u;
}

uint64_t timing_transaction_cycles(const chipdef_spi_mem_t *s, uint32_t cpu_mhz, uint64_t bytes)
{
    return ps_to_cycles(timing_transaction_ps(s, bytes), cpu_mhz);
}

uint64_t timing_flash_program_cycles(const chipdef_spi_mem_t *s, uint32_t cpu_mhz, uint32_t addr,
                                     uint32_t len)
{
    if (len == 0)
        return 0;
    uint64_t first = addr / 256u, last = ((uint64_t)addr + len - 1u) / 256u;
    uint64_t pages = last - first + 1u;
    uint64_t ps = pages * (uint64_t)s->page_program_us * 1000000u + timing_transaction_ps(s, len);
    return ps_to_cycles(ps, cpu_mhz);
}

uint64_t timing_flash_erase_cycles(const chipdef_spi_mem_t *s, uint32_t cpu_mhz, uint32_t addr,
                                   uint32_t len)
{
    uint64_t us = 0, a = addr, end = (uint64_t)addr + len;
    while (a < end) {
        if (a % 65536u == 0 && end - a >= 65536u) {
            us += s->block_erase_us;
            a += 65536u;
        } else {
            us += s->sector_erase_us;
            a += 4096u;
        }
    }
    return ps_to_cycles(us * 1000000u, cpu_mhz);
}

uint64_t timing_cycles_to_ns(uint64_t cycles, uint32_t cpu_mhz)
{
    return cycles * 1000u / cpu_mhz;
}
