/* spi1_dma.c - the paths that go straight to a store, past the caches: SPI1 flash
 * read, program and erase, and DMA.  They change what lies beneath cached lines (which
 * may become stale); what a DMA transfer does to the lines above it (dirty lines it
 * reads past or writes under, lines it covers only in part) is coherence_dma's.  The
 * entry points bus_spi1_* and bus_dma_* of bus.h. */
#include "bus.h"
#include "coherence.h"
#include "phys.h"
#include "timing.h"

static bool in_store(const store_t *s, uint32_t paddr, uint32_t len)
{
    return s && len <= store_size(s) && paddr <= store_size(s) - len;
}

int bus_spi1_read(machine_t *m, uint32_t paddr, uint8_t *buf, uint32_t len)
{
    if (!in_store(m->flash, paddr, len))
        return -1;
    store_read(m->flash, paddr, buf, len);
    bus_charge_for(m, m->hal_core, MACHINE_SPENT_SPI1, timing_transaction_cycles(&m->chip.flash, m->chip.cpu_mhz, len));
    return 0;
}

int bus_spi1_program(machine_t *m, uint32_t paddr, const uint8_t *buf, uint32_t len)
{
    HAZARD_CAUSE_DEFAULT(&m->hazards, "spi1 write");
    if (!in_store(m->flash, paddr, len))
        return -1;
    if (store_program(m->flash, paddr, buf, len))
        return machine_fail(m, "out of host memory programming flash 0x%08x+%u", paddr, len);
    coherence_backing_changed(m, CHIPDEF_TARGET_FLASH, paddr, len, NULL, NULL, NULL, false);
    bus_charge_for(m, m->hal_core, MACHINE_SPENT_SPI1, timing_flash_program_cycles(&m->chip.flash, m->chip.cpu_mhz, paddr, len));
    return 0;
}

int bus_spi1_erase(machine_t *m, uint32_t paddr, uint32_t len)
{
    HAZARD_CAUSE_DEFAULT(&m->hazards, "spi1 erase");
    if (!in_store(m->flash, paddr, len))
        return -1;
    int r = store_erase(m->flash, paddr, len); /* -1: not whole sectors; -2: out of memory */
    if (r)
        return r == -2 ? machine_fail(m, "out of host memory erasing flash 0x%08x+%u", paddr, len) : -1;
    coherence_backing_changed(m, CHIPDEF_TARGET_FLASH, paddr, len, NULL, NULL, NULL, false);
    bus_charge_for(m, m->hal_core, MACHINE_SPENT_SPI1, timing_flash_erase_cycles(&m->chip.flash, m->chip.cpu_mhz, paddr, len));
    return 0;
}

/* The store offset of a DMA address: internal RAM is addressed by its chip address. */
static uint32_t dma_offset(const machine_t *m, uint32_t target, uint32_t paddr)
{
    return target == CHIPDEF_TARGET_INTERNAL ? paddr - m->chip.internal_ram.vaddr : paddr;
}

int bus_dma_read(machine_t *m, uint32_t target, uint32_t paddr, uint8_t *buf, uint32_t len)
{
    HAZARD_CAUSE_DEFAULT(&m->hazards, "dma read");
    store_t *s = machine_store(m, target);
    uint32_t off = dma_offset(m, target, paddr);
    if (!in_store(s, off, len))
        return -1;
    if (target != CHIPDEF_TARGET_INTERNAL) /* no cache holds internal RAM */
        coherence_dma(m, false, target, paddr, len);
    store_read(s, off, buf, len);
    return 0;
}

int bus_dma_write(machine_t *m, uint32_t target, uint32_t paddr, const uint8_t *buf, uint32_t len)
{
    HAZARD_CAUSE_DEFAULT(&m->hazards, "dma write");
    store_t *s = machine_store(m, target);
    uint32_t off = dma_offset(m, target, paddr);
    if (!in_store(s, off, len))
        return -1;
    int r = target == CHIPDEF_TARGET_FLASH ? store_program(s, off, buf, len) : store_write(s, off, buf, len);
    if (r)
        return machine_fail(m, "out of host memory writing %s 0x%08x+%u", phys_target_name(target), paddr, len);
    if (target == CHIPDEF_TARGET_INTERNAL)
        return 0;
    coherence_dma(m, true, target, paddr, len);
    coherence_backing_changed(m, target, paddr, len, NULL, NULL, NULL, false);
    return 0;
}
