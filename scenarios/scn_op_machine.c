/* scn_op_machine.c - steps on the machine itself: which core runs the driver, and
 * a reset (reboot with the flash kept, as a chip's reset keeps its flash). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "scn_exec.h"
#include "scn_ops.h"

int scn_run_driver_core(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    uint32_t core;
    if (scn_arg_core(x, st, r, "core", false, &core))
        return -1;
    if (mmsim_set_driver_core(x->m, core))
        scn_result_mmsim_error(r);
    else
        x->driver_core = core;
    return 0;
}

/* The machine's flash survives only through an image file (mmsim_flash_save is the
 * one way out of a machine), so the reset saves it to a temporary file, boots a new
 * machine from it and removes the file. */
int scn_run_reset(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    (void)st;
    (void)r;
    const char *dir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/mmsim-reset-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) {
        snprintf(x->why, sizeof x->why, "reset: cannot create a temporary file in %s", dir && *dir ? dir : "/tmp");
        return -1;
    }
    close(fd);
    int rc = 0;
    if (mmsim_flash_save(x->m, path)) {
        snprintf(x->why, sizeof x->why, "reset: %s", mmsim_last_error());
        rc = -1;
    } else {
        rc = scn_exec_boot(x, path);
    }
    unlink(path);
    return rc;
}
