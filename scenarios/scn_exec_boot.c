/* scn_exec_boot.c - booting the scenario's chip: a machine opened from the
 * scenario's chip, config and flash image on the run's driver (again at a reset,
 * forgetting the old machine's himem handles), and the start-up checked against
 * the scenario's `boot:` expectations. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn_runner.h"

int scn_exec_boot(scn_exec_t *x, const char *flash_image)
{
    mmsim_config_t cfg = mmsim_config_default(x->sc->chip);
    /* A reset boots from the old flash, table included: the config's partition table is
     * not written again ("partition_table=" names none; it comes last, so it wins). */
    const char *sets[sizeof x->sc->sets / sizeof x->sc->sets[0] + 4];
    for (size_t i = 0; i < x->sc->nsets; i++)
        sets[i] = x->sc->sets[i];
    sets[x->sc->nsets] = "partition_table=";
    cfg.sets = sets;
    cfg.nsets = x->sc->nsets + (flash_image ? 1 : 0);
    cfg.flash_image = flash_image ? flash_image : x->sc->flash_image;
    /* A build boots as the chip does; at a reset, from the flash it left (a whole flash
     * is a build too: the bootloader reads it again), keeping the sizes the build set. */
    char keep[3][48];
    if (x->sc->build) {
        cfg.build = flash_image ? flash_image : x->sc->build;
        cfg.flash_image = NULL;
        if (flash_image && x->m) {
            snprintf(keep[0], sizeof keep[0], "flash_size=0x%x", mmsim_flash_size(x->m));
            snprintf(keep[1], sizeof keep[1], "psram_size=0x%x", mmsim_psram_size(x->m));
            snprintf(keep[2], sizeof keep[2], "mmu_page_size=0x%x", mmsim_page_size(x->m));
            for (size_t i = 0; i < 3; i++)
                sets[cfg.nsets++] = keep[i];
        }
    }
    cfg.driver = x->driver;
    cfg.idf_version = x->idf_version;
    mmsim_close(x->m);
    x->m = NULL;
    /* The old machine's himem and spi_flash_mmap handles went with it. */
    for (size_t i = 0; i < x->env.count; i++)
        if (x->env.names[i].kind == SCN_NAME_HIMEM || x->env.names[i].kind == SCN_NAME_RANGE ||
            x->env.names[i].kind == SCN_NAME_MMAP) {
            x->env.names[i].set = false;
            x->env.names[i].handle = NULL;
        }
    x->driver_core = 0;
    if (mmsim_open(&cfg, &x->m)) {
        snprintf(x->why, sizeof x->why, "cannot boot %s: %s", x->sc->chip, mmsim_last_error());
        return -1;
    }
    return 0;
}

/* Start-up: the boot's log lines and hazards against `boot:` (default: no hazards). */
bool scn_runner_boot(scn_runner_t *R)
{
    scn_exec_t *x = &R->x;
    const char *refused = x->sc->boot.refused;
    int brc = scn_exec_boot(x, NULL);
    if (refused) {
        /* A refusal expected: the boot must fail, saying so. */
        bool ok = brc && strstr(x->why, refused);
        if (!ok)
            scn_buf_printf(&R->failure, "boot: expected a refusal containing \"%s\", %s%s\n", refused,
                           brc ? "got: " : "but the chip booted", brc ? x->why : "");
        bool go_on = scn_runner_hand_step(R, "boot", NULL, "", NULL, 0, ok, ok ? NULL : "refusal expected\n", NULL);
        return ok && go_on;
    }
    if (brc) {
        scn_buf_printf(&R->failure, "boot: %s\n", x->why);
        return false;
    }
    char *log = scn_runner_take_log(R);
    scn_obs_t obs = {.m = x->m, .log = log ? log : ""};
    scn_buf_t msg = {0};
    scn_result_t r = {0};
    char why[600];
    bool ok = scn_check(x, &x->sc->boot, NULL, &r, &obs, &msg) == 0;
    if (!ok) {
        scn_buf_printf(&R->failure, "boot: %s", msg.text ? msg.text : "\n");
        scn_runner_keep_hazards(R);
    } else if (scn_runner_check_invariants(R, why, sizeof why)) {
        scn_buf_printf(&R->failure, "boot: invariant broken: %s\n", why);
        ok = false;
    }
    bool go_on = scn_runner_hand_step(R, "boot", NULL, "", NULL, 0, ok, msg.text, log);
    scn_buf_free(&msg);
    free(log);
    return ok && go_on;
}
