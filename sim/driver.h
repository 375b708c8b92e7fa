/* driver.h - the two drivers a machine can run (mmsim_driver.h): ours, linked in, and
 * ESP-IDF's, loaded from a per-chip shared library built by idf/. */
#ifndef MMSIM_SIM_DRIVER_H
#define MMSIM_SIM_DRIVER_H

#include <stddef.h>

#include "chipdef.h"
#include "mmsim_driver.h"

/* Our driver's table (core/). */
extern const mmsim_driver_t driver_ours;

/* A loaded ESP-IDF driver library: its table and its start-up entry points. */
typedef struct driver_idf {
    void *dl;
    char *path;
    mmsim_driver_t ops;
    void (*mmu_map_init)(void);
    esp_err_t (*spi_flash_init)(void); /* the mmap lock; NULL in a build without flash_mmap.c */
    esp_err_t (*psram_heap_map)(void);
    void (*release_all)(void);
} driver_idf_t;

/* Load the ESP-IDF driver library for chip c (its variant: chip, page size, himem
 * reserve) with the machine of c bound, so that upstream's constructors (ESP32's
 * esp_himem_init) run on it, as they run after PSRAM start-up on the chip.  Refuses a
 * library whose compiled-in configuration disagrees with c, and a second load of a
 * library already in use in this process (upstream keeps its state in statics).
 * 0 and *out, or -1 with a message in err. */
int driver_idf_load(const chipdef_t *c, driver_idf_t **out, char *err, size_t len);

/* Free what the library's driver still holds and unload it.  NULL is ignored. */
void driver_idf_unload(driver_idf_t *d);

#endif
