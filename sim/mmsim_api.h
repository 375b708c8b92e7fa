/* mmsim_api.h - what the embedding API's files (mmsim.c, mmsim_inspect.c) share: the
 * machine handle behind mmsim_t and the argument checks that record an error (hidden:
 * not part of libmmsim's symbols). */
#ifndef MMSIM_API_H
#define MMSIM_API_H

#include <stdint.h>

#include "boot.h"
#include "machine.h"
#include "mmsim.h"

struct mmsim {
    machine_t *hw;
    boot_drivers_t drivers; /* the driver code's state for this chip */
};

/* Record "what: machine is NULL" / "what: out is NULL" (MMSIM_ERR_ARG); return it. */
__attribute__((visibility("hidden"), cold, noinline)) int null_machine(const char *what);
__attribute__((visibility("hidden"), cold, noinline)) int null_out(const char *what);
/* MMSIM_OK if m is a machine and core one of its cores; else the error, recorded. */
__attribute__((visibility("hidden"))) int check_core(const mmsim_t *m, const char *what, uint32_t core);

#endif
