/* error.h - the embedding API's error state: the code and message of the last failed
 * public call in each thread (mmsim_last_error, mmsim_last_error_code), and how the
 * functions of mmsim.h record a failure.  Only the files that implement mmsim.h's
 * functions (mmsim.c, hazard.c) call it; the model never does, it returns codes. */
#ifndef MMSIM_ERROR_H
#define MMSIM_ERROR_H

#include "mmsim.h"

/* Record a failure of this thread's current public call: `code` (negative) and the
 * message, printf-style, naming the function and the argument at fault.  Returns
 * `code`, so a failure path reads `return error_set(MMSIM_ERR_ARG, "...", ...);`. */
int error_set(mmsim_err_t code, const char *fmt, ...) __attribute__((format(printf, 2, 3), cold));

/* Forget the last failure: the message becomes "" and the code MMSIM_OK. */
void error_clear(void);

#endif
