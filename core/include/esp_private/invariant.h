/* esp_private/invariant.h - the host port's invariant checks: one rule per line, the
 * first broken one written to `why` (a char[why_len] in scope) and ESP_FAIL returned. */
#ifndef MMSIM_INVARIANT_H
#define MMSIM_INVARIANT_H

#include <stdio.h>

#include "esp_err.h"

#define INVARIANT(cond, ...)                        \
    do {                                            \
        if (!(cond)) {                              \
            snprintf(why, why_len, __VA_ARGS__);    \
            return ESP_FAIL;                        \
        }                                           \
    } while (0)

#endif
