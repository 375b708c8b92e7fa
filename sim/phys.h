/* phys.h - physical memory as the devices answer the memory hierarchy: the bytes of a
 * target's store at a physical address, wrapping past the device's size (the SPI
 * address bits above it are ignored), and a missing device reading as 0xFF (an idle
 * bus) and dropping writes.
 *
 * Private to the memory hierarchy (cpu_path.c, coherence.c, cache_maint.c,
 * spi1_dma.c).  The inline functions serve the usual line fill or write-back, inside
 * one written chunk; phys.c takes every other case. */
#ifndef MMSIM_PHYS_H
#define MMSIM_PHYS_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "machine.h"

/* phys_read and phys_write in every case.  phys_write_slow returns 0, or -1 when the
 * store could not allocate a chunk (that run of bytes is not written). */
__attribute__((visibility("hidden"))) void phys_read_slow(const machine_t *m, uint32_t target, uint32_t paddr,
                                                          uint8_t *buf, uint32_t len);
__attribute__((visibility("hidden"))) int phys_write_slow(const machine_t *m, uint32_t target, uint32_t paddr,
                                                          const uint8_t *buf, uint32_t len);

static inline void phys_read(const machine_t *m, uint32_t target, uint32_t paddr, uint8_t *buf, uint32_t len)
{
    const store_t *s = machine_store(m, target);
    if (!s || !store_read_span(s, paddr, buf, len))
        phys_read_slow(m, target, paddr, buf, len);
}

/* 0, or -1 when the store ran out of host memory (see phys_write_slow). */
static inline int phys_write(const machine_t *m, uint32_t target, uint32_t paddr, const uint8_t *buf,
                             uint32_t len)
{
    store_t *s = machine_store(m, target);
    uint8_t *out = s ? store_span(s, paddr, len) : NULL;
    if (out)
        memcpy(out, buf, len);
    else
        return phys_write_slow(m, target, paddr, buf, len);
    return 0;
}

/* The target's name in hazard and error messages. */
static inline const char *phys_target_name(uint32_t target)
{
    return target == CHIPDEF_TARGET_PSRAM ? "psram" : target == CHIPDEF_TARGET_INTERNAL ? "internal ram" : "flash";
}

/* [a, a+alen) and [b, b+blen) share a byte. */
static inline bool phys_overlaps(uint32_t a, uint32_t alen, uint32_t b, uint32_t blen)
{
    return a < b + blen && b < a + alen;
}

#endif
