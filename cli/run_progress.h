/* run_progress.h - the progress line of `mmsim run` on a terminal: scenarios done of
 * the total, failures so far, time elapsed, redrawn on stderr as outcomes arrive and
 * every half second between them (a long scenario shows the clock running).  Each
 * report line is printed with the progress line erased first and drawn again after,
 * so the terminal ends as it would without it. */
#ifndef MMSIM_RUN_PROGRESS_H
#define MMSIM_RUN_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct run_progress run_progress_t;

/* Should a run show the line?  Only when stdout and stderr are both terminals, the
 * report is plain text (no --tap) and no report file is standard output. */
bool run_progress_wanted(bool tap, const char *junit, const char *trace);
/* Start showing the line for `total` scenarios; NULL (nothing shown) when not
 * wanted or out of resources. */
run_progress_t *run_progress_start(size_t total);
/* Erase the line before the caller prints (NULL: nothing to do). */
void run_progress_hide(run_progress_t *p);
/* One more scenario done (failed or not); draw the line again. */
void run_progress_done(run_progress_t *p, bool failed);
/* Stop the ticker and erase the line for good.  NULL is ignored. */
void run_progress_stop(run_progress_t *p);

#endif
