/* ydoc_num.c - the strict number and size parsers of ydoc.h (decimal or 0x-hex, sizes
 * with a K/M/G unit, nothing lenient: libcyaml 1.3.1 reads "64K" as 64), and the
 * ", "-separated name lists of messages. */
#include <stdio.h>
#include <string.h>

#include "ydoc.h"

bool ydoc_parse_u64(const char *s, uint64_t *out)
{
    if (!s || !*s)
        return false;
    uint64_t v = 0;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
        if (!*s)
            return false;
        for (; *s; s++) {
            unsigned d;
            if (*s >= '0' && *s <= '9')
                d = (unsigned)(*s - '0');
            else if (*s >= 'a' && *s <= 'f')
                d = (unsigned)(*s - 'a' + 10);
            else if (*s >= 'A' && *s <= 'F')
                d = (unsigned)(*s - 'A' + 10);
            else
                return false;
            if (v >> 60)
                return false;
            v = v * 16 + d;
        }
    } else {
        for (; *s; s++) {
            if (*s < '0' || *s > '9')
                return false;
            unsigned d = (unsigned)(*s - '0');
            if (v > (UINT64_MAX - d) / 10)
                return false;
            v = v * 10 + d;
        }
    }
    *out = v;
    return true;
}

bool ydoc_parse_size(const char *s, uint64_t max, uint64_t *out, const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    if (!s || !*s) {
        *why = "empty size";
        return false;
    }
    if (*s == '-') {
        *why = "negative size";
        return false;
    }
    size_t n = strlen(s);
    unsigned shift = 0;
    char last = s[n - 1];
    bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    if (!hex && (last == 'K' || last == 'M' || last == 'G' || last == 'k' || last == 'm' || last == 'g')) {
        shift = (last == 'K' || last == 'k') ? 10 : (last == 'M' || last == 'm') ? 20 : 30;
        n--;
    }
    char buf[32];
    if (n == 0 || n >= sizeof buf) {
        *why = n ? "number too long" : "missing digits before the unit";
        return false;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    uint64_t v;
    if (!ydoc_parse_u64(buf, &v)) {
        *why = "not a size (expected e.g. 64K, 4M, 0x10000 or 65536)";
        return false;
    }
    if (shift && v > (UINT64_MAX >> shift)) {
        *why = "size overflows";
        return false;
    }
    v <<= shift;
    if (v > max) {
        *why = "size too large";
        return false;
    }
    *out = v;
    return true;
}

void ydoc_list_add(char *buf, size_t n, const char *item)
{
    size_t used = strlen(buf);
    if (used + 4 < n)
        snprintf(buf + used, n - used, "%s%s", used ? ", " : "", item);
}
