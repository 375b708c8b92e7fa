/* idf_gen.h - the compile-time configuration of one ESP-IDF driver build: sdkconfig.h
 * and the SOC/CACHE_LL constants (mmsim_idf_soc.h) that ESP-IDF's sources test in #if,
 * written from a simulated chip.
 *
 * Upstream tests CONFIG_* and SOC_* with the preprocessor, while our HAL headers give
 * them as run-time expressions of the bound chip.  The generator boots the chip with
 * the given config and prints those same run-time values as constants, so the two can
 * only agree; the loader (sim/driver.c) re-checks a library's values against the
 * machine it is to drive. */
#ifndef MMSIM_IDF_GEN_H
#define MMSIM_IDF_GEN_H

#include <stddef.h>
#include <stdio.h>

#include "mmsim.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Boot cfg's chip and write its sdkconfig.h to `sdkconfig` and its SOC/cache constants
 * to `soc`.  0, or -1 with a message in err (nothing is written on failure). */
int idf_gen_write(const mmsim_config_t *cfg, FILE *sdkconfig, FILE *soc, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
