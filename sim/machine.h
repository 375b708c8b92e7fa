/* machine.h - one simulated chip's hardware, built from a chipdef_t: its MMU tables,
 * its caches (one instance per core for per-core caches) and its backing stores.
 *
 * This is the composition of the model modules; the access paths (CPU, SPI1, DMA),
 * hazards and cycle counting are layered on it. */
#ifndef MMSIM_MACHINE_H
#define MMSIM_MACHINE_H

#include <stddef.h>

#include "cache.h"
#include "chipdef.h"
#include "mmu.h"
#include "store.h"

typedef struct {
    chipdef_t chip;          /* owned copy: the modules keep pointers into it */
    mmu_t mmu;
    /* caches[i][core]: instance of chip.caches[i] used by `core` (shared caches
     * have one instance, referenced by every core). */
    cache_t *caches[CHIPDEF_MAX_CACHES][CHIPDEF_MAX_CORES];
    store_t *flash;
    store_t *psram;          /* NULL when the chip or board has no PSRAM */
} machine_t;

/* Build the machine for `chip` with every MMU entry invalid, every cache line
 * invalid, flash erased (0xFF) and PSRAM zero.  NULL on allocation failure. */
machine_t *machine_new(const chipdef_t *chip);
void machine_free(machine_t *m);

/* Host memory the machine holds (tables, cache lines and data, store chunks). */
size_t machine_resident_bytes(const machine_t *m);

#endif
