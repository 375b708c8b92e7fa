/* sys/queue.h (compat) - BSD's list macros.  ESP-IDF takes the header from newlib;
 * the host C library's (glibc) has the same lists but lacks SLIST_FOREACH_SAFE, which
 * partition.c uses: it is added here, as queue(3) defines it (the next element is read
 * before the body runs, so the body may free the current one). */
#ifndef MMSIM_IDF_COMPAT_SYS_QUEUE_H
#define MMSIM_IDF_COMPAT_SYS_QUEUE_H

#include_next <sys/queue.h>

#ifndef SLIST_FOREACH_SAFE
#define SLIST_FOREACH_SAFE(var, head, field, tvar)                                                              \
    for ((var) = SLIST_FIRST(head); (var) && ((tvar) = SLIST_NEXT(var, field), 1); (var) = (tvar))
#endif

#endif
