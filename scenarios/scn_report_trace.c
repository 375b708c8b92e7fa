/* scn_report_trace.c - the JSON-lines trace: one object per step run (scenario,
 * step, line, iteration, op, evaluated args, ret, outputs, per-core cycles, hazard
 * records, log lines, ok), in the stable order, so two runs diff line by line. */
#include "scn.h"

void scn_report_trace(FILE *f, const scn_outcome_t *o)
{
    if (o->trace)
        fputs(o->trace, f);
}
