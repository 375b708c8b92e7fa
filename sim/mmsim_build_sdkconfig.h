/* mmsim_build_sdkconfig.h - the Kconfig options of a user's build that set config keys
 * (mmsim_build_sdkconfig.c), for mmsim_build.c: the values a build gives, each in its
 * key's canonical text and with the line it came from. */
#ifndef MMSIM_MMSIM_BUILD_SDKCONFIG_H
#define MMSIM_MMSIM_BUILD_SDKCONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "chipdef.h"
#include "chipdef_load.h"
#include "fw_build.h"

#define MMSIM_BUILD_VALUE_MAX 32
#define MMSIM_BUILD_TEXT_MAX 48

/* One value the build gives a config key, in the key's canonical text. */
typedef struct {
    chipdef_key_t key;
    char text[MMSIM_BUILD_TEXT_MAX];           /* "0x400000", "lowhigh", "true" */
    char set[MMSIM_BUILD_TEXT_MAX + 32];       /* "flash_size=0x400000", for the chip loader */
    char source[FW_FLASH_PATH_MAX + 96]; /* "build/sdkconfig:12 CONFIG_ESPTOOLPY_FLASHSIZE=\"4MB\"" */
} mmsim_build_value_t;

/* The build's values: one per sdkconfig row the sdkconfig answers (for `chip`), then
 * flasher_args' flash size; each with its "key=value" text for the chip loader and its
 * source for messages.  vals[] holds MMSIM_BUILD_VALUE_MAX.  MMSIM_OK, or
 * MMSIM_ERR_CHIP recorded when two build files disagree (the message names both). */
int mmsim_build_sdkconfig_values(const fw_build_t *b, const char *chip, mmsim_build_value_t *vals, size_t *count);

/* A resolved config value in the rows' canonical text ("0x8000", "true"); false for a
 * key no row reads. */
bool mmsim_build_sdkconfig_text(const chipdef_config_t *k, chipdef_key_t key, char *out, size_t n);

#endif
