/* boot.h - reset to app start on a machine, and the drivers' state that boot creates
 * (see boot.c). */
#ifndef MMSIM_BOOT_H
#define MMSIM_BOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "driver.h"
#include "esp_private/bootloader_app.h"
#include "machine.h"

/* The app a user's build boots (mmsim_config_t.build), read and chosen at the edge:
 * the segment table of the chosen image, and the bootloader's lines before it loads
 * the image (partition table, OTA choice), one per '\n', logged with the "boot" tag. */
typedef struct {
    bootloader_app_image_t image;
    const char *choice_log;
    /* The app runs image_process at start-up (CONFIG_SPIRAM_FLASH_LOAD_TO_PSRAM): it
     * reads the boot page back and invalidates it; otherwise the page stays mapped. */
    bool image_process;
} boot_app_t;

/* The driver code keeps its state per thread (one context per driver, see
 * core/include/esp_private/esp_mmu_map_private.h); this is one chip's set. */
typedef struct {
    struct esp_mmu_map_ctx *map;
    struct esp_himem_ctx *himem;
    struct heap_caps_ctx *heap;
    struct spi_flash_mmap_ctx *flash_mmap; /* spi_flash_mmap's handles (ours only) */
    struct esp_partition_ctx *part; /* our esp_partition's (ours only) */
    char *log; /* what the drivers logged during boot ("" if nothing), never NULL after boot */
    /* ESP-IDF's driver, when the machine runs it (our map, himem, spi_flash_mmap and
     * partition state is then NULL) */
    driver_idf_t *idf;
    const mmsim_driver_t *ops; /* the driver's table: &driver_ours or &idf->ops */
    bool user_app;          /* booted from a user's build (boot_app_t), not the synthetic app */
    bool image_process;     /* its start-up runs image_process (boot_app_t) */
    uint32_t app_offset;    /* the partition the app found at its boot page (image_process) */
} boot_drivers_t;

/* Bind `m` to this thread and boot it with `driver` (mmsim_driver_kind_t), booting `app`
 * as ESP-IDF's bootloader does (NULL: the config's synthetic app), after writing
 * `ptable` (the binary partition table, NULL: none) into flash at the config's
 * partition_table_offset, as the flashing of a build leaves it; `d` (zeroed
 * by the caller) receives the drivers' state, current on return.  0, or -1 with a message in err (`d` still holds what was
 * created: free it with boot_drivers_free). */
int boot_machine(machine_t *m, boot_drivers_t *d, int driver, const boot_app_t *app, const uint8_t *ptable,
                 size_t ptable_len, char *err, size_t errlen);

/* Make `d`'s driver state current on this thread (NULL: none). */
void boot_drivers_switch(const boot_drivers_t *d);

/* Check the current drivers' state (their invariants); 0, or -1 with the rule in why. */
int boot_drivers_check(char *why, size_t len);

/* Free `d`'s driver state (and the handles the program left). */
void boot_drivers_free(boot_drivers_t *d);

#endif
