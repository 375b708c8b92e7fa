/* scn_report_trace.c - the JSON-lines trace, written out in the stable order so two
 * runs diff line by line.  The objects, one per step run (scenario, step, line,
 * iteration, op, evaluated args, ret, outputs, per-core cycles, hazard records, log
 * lines, ok), are built as the steps run (scn_exec_report.c). */
#include "scn.h"

void scn_report_trace(FILE *f, const scn_outcome_t *o)
{
    if (o->trace)
        fputs(o->trace, f);
}
