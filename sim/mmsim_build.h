/* mmsim_build.h - mmsim_open's part for mmsim_config_t.build (see mmsim_build.c): the
 * user's build read at the edge by firmware/, its configuration checked against the
 * chip and the config, the bootloader's choice of app. */
#ifndef MMSIM_MMSIM_BUILD_H
#define MMSIM_MMSIM_BUILD_H

#include "boot.h"
#include "chipdef_load.h"
#include "fw_build.h"
#include "mmsim.h"
#include "store.h"

typedef struct {
    fw_build_t build;
    fw_build_boot_t boot;
    boot_app_t app;
    bool own_table; /* the build's flash holds its partition table (not a lone app image) */
} mmsim_build_t;

/* Read cfg->build, resolve the chip (cfg->chip, else the build's target) with the
 * build's configuration under cfg's typed overrides `ov` and cfg->sets into *chip, and
 * choose the app.  MMSIM_OK, or an MMSIM_ERR_* recorded as the last error (IO: a file
 * unreadable or refused; CHIP: the build and the chip or config disagree; BOOT: the
 * bootloader refuses every app).  *b is then freed. */
int mmsim_build_open(const mmsim_config_t *cfg, const chipdef_overrides_t *ov, chipdef_t *chip, mmsim_build_t *b);

/* Write the build's flash into `flash` (4 KB sectors that are not erased); 0 or -1 with
 * a message. */
int mmsim_build_write_flash(const mmsim_build_t *b, store_t *flash, char *msg, size_t len);

void mmsim_build_free(mmsim_build_t *b);

#endif
