/* boot.h - reset to app start on a machine (see boot.c). */
#ifndef MMSIM_BOOT_H
#define MMSIM_BOOT_H

#include <stddef.h>

#include "machine.h"

struct esp_mmu_map_ctx;

/* Bind `m` to this thread and boot it; *map_ctx receives the driver's state for this
 * chip (free it with esp_mmu_map_ctx_free).  0, or -1 with a message in err. */
int boot_machine(machine_t *m, struct esp_mmu_map_ctx **map_ctx, char *err, size_t errlen);

#endif
