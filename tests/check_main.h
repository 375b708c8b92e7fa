/* check_main.h - the runner every Check test file ends with. */
#ifndef MMSIM_CHECK_MAIN_H
#define MMSIM_CHECK_MAIN_H

#include <check.h>

/* Run a suite with normal output; 0 if every test passed, else 1. */
static inline int mmsim_check_run(Suite *s)
{
    SRunner *r = srunner_create(s);
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed ? 1 : 0;
}

#endif
