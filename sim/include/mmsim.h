/* mmsim.h - the embedding API: open a simulated Espressif chip in a host program,
 * run the real driver API on it, and inspect what the hardware did.
 *
 * One simulated chip per mmsim_t.  Opening and closing any number of chips in one
 * process leaks nothing.  Pointers handed out by the driver API are simulated chip
 * addresses: read and write them with mmsim_cpu_read/write, never dereference them
 * on the host.  Functions returning int return 0 on success; on failure they return
 * a negative value and leave their outputs untouched, and mmsim_last_error() says why. */
#ifndef MMSIM_H
#define MMSIM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mmsim mmsim_t;

/* What to build.  Zero (or NULL) in any field means the chip definition's default. */
typedef struct {
    const char *chip;              /* built-in name ("esp32s3") or path to a chip YAML file */
    uint32_t flash_size;           /* bytes */
    uint32_t psram_size;           /* bytes */
    uint32_t mmu_page_size;        /* CONFIG_MMU_PAGE_SIZE on chips where it is configurable */
    uint32_t spiram_bankswitch_reserve; /* ESP32 himem window pages (CONFIG_SPIRAM_BANKSWITCH_RESERVE) */
    uint32_t app_irom_size;        /* flash code the app's image maps at boot */
    uint32_t app_drom_size;        /* flash rodata the app's image maps at boot */
    const char *idf_version;       /* driver behaviour to mimic: "master", "v5.3.0", ... */
    const char *flash_image;       /* initial flash contents, read-only; NULL: erased flash */
} mmsim_config_t;

/* A config for `chip` with every other field at the chip's default. */
mmsim_config_t mmsim_config_default(const char *chip);

/* Build and boot the chip.  On success *out is the new machine; on failure *out is
 * untouched, the return is negative and mmsim_last_error() names the problem
 * (for chip files: "file:line:column: message"). */
int mmsim_open(const mmsim_config_t *cfg, mmsim_t **out);

/* Release everything the machine owns.  NULL is ignored. */
void mmsim_close(mmsim_t *m);

/* The message of the last failure in this thread ("" if none). */
const char *mmsim_last_error(void);

/* The chip's name ("esp32s3") and the page size in force. */
const char *mmsim_chip_name(const mmsim_t *m);
uint32_t mmsim_page_size(const mmsim_t *m);

#ifdef __cplusplus
}
#endif

#endif
