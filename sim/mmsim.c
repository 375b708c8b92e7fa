/* mmsim.c - the embedding API: resolves a config into a chip definition, builds the
 * machine from it and boots it. */
#include "mmsim.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chipdef_load.h"
#include "machine.h"

struct mmsim {
    machine_t *hw;
};

static _Thread_local char last_error[YDOC_ERR_MAX];

static int set_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int set_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    return -1;
}

const char *mmsim_last_error(void) { return last_error; }

mmsim_config_t mmsim_config_default(const char *chip)
{
    mmsim_config_t c;
    memset(&c, 0, sizeof c);
    c.chip = chip;
    return c;
}

/* Turn the non-zero config fields into the chip loader's key=value overrides. */
int mmsim_open(const mmsim_config_t *cfg, mmsim_t **out)
{
    if (!cfg || !cfg->chip || !out)
        return set_error("mmsim_open: %s is NULL", !cfg ? "cfg" : !cfg->chip ? "cfg->chip" : "out");
    char buf[8][64];
    const char *sets[8];
    size_t n = 0;
    const struct {
        const char *key;
        uint32_t v;
    } sizes[] = {{"flash_size", cfg->flash_size},
                 {"psram_size", cfg->psram_size},
                 {"mmu_page_size", cfg->mmu_page_size},
                 {"spiram_bankswitch_reserve", cfg->spiram_bankswitch_reserve},
                 {"app_irom_size", cfg->app_irom_size},
                 {"app_drom_size", cfg->app_drom_size}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        if (sizes[i].v) {
            snprintf(buf[n], sizeof buf[n], "%s=%u", sizes[i].key, sizes[i].v);
            sets[n] = buf[n];
            n++;
        }
    if (cfg->idf_version) {
        snprintf(buf[n], sizeof buf[n], "idf_version=%s", cfg->idf_version);
        sets[n] = buf[n];
        n++;
    }
    chipdef_t chip;
    ydoc_err_t err;
    if (chipdef_load(cfg->chip, sets, n, &chip, &err))
        return set_error("%s", err.msg);
    mmsim_t *m = calloc(1, sizeof *m);
    if (!m || !(m->hw = machine_new(&chip))) {
        free(m);
        return set_error("mmsim_open: out of memory building %s", chip.name);
    }
    char msg[YDOC_ERR_MAX];
    if (cfg->flash_image && store_load_image(m->hw->flash, cfg->flash_image, msg, sizeof msg)) {
        mmsim_close(m);
        return set_error("%s", msg);
    }
    last_error[0] = '\0';
    *out = m;
    return 0;
}

void mmsim_close(mmsim_t *m)
{
    if (!m)
        return;
    machine_free(m->hw);
    free(m);
}

const char *mmsim_chip_name(const mmsim_t *m) { return m->hw->chip.name; }

uint32_t mmsim_page_size(const mmsim_t *m) { return m->hw->chip.config.mmu_page_size; }
