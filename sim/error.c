/* error.c - the embedding API's error state: the last failure of each thread (its
 * mmsim_err_t code and a message naming the function and argument) and the names of
 * the codes (mmsim_strerror).  Thread-local, so that machines driven from different
 * threads report independently, as errno does. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

/* Big enough for the chip loader's "file:line:column: message" errors. */
#define ERROR_MSG_MAX 1024

static _Thread_local char last_msg[ERROR_MSG_MAX];
static _Thread_local mmsim_err_t last_code = MMSIM_OK;

int error_set(mmsim_err_t code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_msg, sizeof last_msg, fmt, ap);
    va_end(ap);
    last_code = code;
    return (int)code;
}

int mmsim_report_error(mmsim_err_t code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_msg, sizeof last_msg, fmt, ap);
    va_end(ap);
    /* A success is no failure: keep the state an error state. */
    last_code = code < 0 ? code : MMSIM_ERR_ARG;
    return (int)last_code;
}

void error_clear(void)
{
    last_msg[0] = '\0';
    last_code = MMSIM_OK;
}

const char *mmsim_last_error(void) { return last_msg; }

mmsim_err_t mmsim_last_error_code(void) { return last_code; }

void mmsim_clear_error(void) { error_clear(); }

const char *mmsim_strerror(int code)
{
    switch (code) {
        case MMSIM_OK: return "success";
        case MMSIM_ERR_ARG: return "invalid argument";
        case MMSIM_ERR_RANGE: return "address range out of bounds or misaligned";
        case MMSIM_ERR_NOMEM: return "out of host memory";
        case MMSIM_ERR_CHIP: return "chip definition or configuration refused";
        case MMSIM_ERR_IO: return "file could not be read or written";
        case MMSIM_ERR_BOOT: return "chip start-up failed";
        case MMSIM_ERR_UNMAPPED: return "address not mapped";
        case MMSIM_ERR_INVARIANT: return "machine or driver invariant broken";
        case MMSIM_ERR_HOST: return "not possible on this host";
        default: return "unknown error code";
    }
}
