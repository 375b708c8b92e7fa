/* fuzz_chipdef.c - libFuzzer target: any bytes as a chip-definition YAML file, with and
 * without a config override, and once collecting every error (`mmsim chip check`).  The
 * loader must accept or refuse with a message naming a place; never crash, hang or
 * leak.  An accepted definition must build a machine; collecting must accept and refuse
 * the same files as stopping at the first error, and keep an error of each refused. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chipdef_load.h"
#include "machine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    chipdef_t chip;
    ydoc_err_t err;
    const char *sets[] = {"psram_size=2M"};
    for (size_t n = 0; n < 2; n++) {
        if (chipdef_load_text("fuzz.yaml", (const char *)data, size, sets, n, &chip, &err) == 0) {
            machine_t *m = machine_new(&chip);
            machine_free(m);
        } else if (!strstr(err.msg, "fuzz.yaml") && !(n && strstr(err.msg, "psram_size"))) {
            abort(); /* every refusal names the file, or the override it refuses */
        }
    }
    ydoc_err_t first, last;
    int rc = chipdef_load_text("fuzz.yaml", (const char *)data, size, NULL, 0, &chip, &first);
    ydoc_errors_t all;
    ydoc_collect_begin(&all);
    int rc_all = chipdef_load_text("fuzz.yaml", (const char *)data, size, NULL, 0, &chip, &last);
    ydoc_collect_end();
    if ((rc == 0) != (rc_all == 0) || (rc && all.count == 0 && !all.dropped))
        abort();
    ydoc_errors_free(&all);
    return 0;
}
