/* fuzz_size.c - libFuzzer target: the strict size and integer parsers.  Whatever they
 * accept must print back to the same value. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ydoc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char s[64];
    if (size >= sizeof s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    uint64_t v = 0, w = 0;
    const char *why = NULL;
    if (ydoc_parse_size(s, UINT64_MAX, &v, &why)) {
        char back[32];
        snprintf(back, sizeof back, "%" PRIu64, v);
        if (!ydoc_parse_size(back, UINT64_MAX, &w, &why) || w != v)
            abort();
    } else if (!why) {
        abort(); /* a refusal says why */
    }
    if (ydoc_parse_u64(s, &v)) {
        char back[32];
        snprintf(back, sizeof back, "0x%" PRIx64, v);
        if (!ydoc_parse_u64(back, &w) || w != v)
            abort();
    }
    return 0;
}
