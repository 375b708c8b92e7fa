/* fw_pytext.c - the Python text rules gen_esp32part.py's CSV reading rests on, so the
 * C reader draws the same lines: strict UTF-8, str.splitlines' line boundaries,
 * str.strip's whitespace, int(x, 0)'s numbers and the script's K/M suffixes and
 * keyword names (its parse_int). */
#include "fw_partition_int.h"

#include <stdio.h>
#include <string.h>

/* ---- characters ---- */

/* Decode one UTF-8 character of at most `n` bytes at `s` strictly (no overlong forms,
 * no surrogates, nothing past U+10FFFF), as Python's decoder does.  Its length, or 0. */
size_t fw_utf8_char(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (n == 0)
        return 0;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    size_t len;
    uint32_t min;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        len = 2, min = 0x80, *cp = s[0] & 0x1Fu;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        len = 3, min = 0x800, *cp = s[0] & 0x0Fu;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        len = 4, min = 0x10000, *cp = s[0] & 0x07u;
    else
        return 0;
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        *cp = *cp << 6 | (s[i] & 0x3Fu);
    }
    if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
        return 0;
    return len;
}

/* Python's line boundaries (str.splitlines). */
bool fw_is_line_break(uint32_t cp)
{
    return cp == '\n' || cp == '\r' || cp == 0x0B || cp == 0x0C || (cp >= 0x1C && cp <= 0x1E) ||
           cp == 0x85 || cp == 0x2028 || cp == 0x2029;
}

/* Python's whitespace (str.isspace), what str.fw_strip() removes. */
static bool is_space(uint32_t cp)
{
    return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x1F) || cp == 0x85 ||
           cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
           cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* Length of the UTF-8 character at s (text already checked; expanded values may not
 * be, so a bad byte counts as one). */
static size_t char_len(const char *s, size_t n, uint32_t *cp)
{
    size_t k = fw_utf8_char((const unsigned char *)s, n, cp);
    if (k == 0) {
        *cp = 0xFFFD;
        k = 1;
    }
    return k;
}

/* Strip Python whitespace from both ends of s[*a, *b). */
void fw_strip(const char *s, size_t *a, size_t *b)
{
    size_t i = *a, last = *a;
    bool seen = false;
    while (i < *b) {
        uint32_t cp;
        size_t k = char_len(s + i, *b - i, &cp);
        if (!is_space(cp)) {
            if (!seen)
                *a = i;
            seen = true;
            last = i + k;
        }
        i += k;
    }
    if (!seen)
        *b = *a; /* all whitespace: empty, where it starts */
    else
        *b = last;
}

/* 1-based column of byte `at` of a line: characters before it, plus one. */
uint32_t fw_column_of(const char *line, size_t at)
{
    uint32_t col = 1;
    for (size_t i = 0; i < at; i++)
        if (((unsigned char)line[i] & 0xC0) != 0x80)
            col++;
    return col;
}

/* ---- numbers and names (gen_esp32part.py's parse_int) ---- */


static int digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

/* Python's int(s, 0): surrounding whitespace, a sign, then 0x/0o/0b digits, a decimal
 * number without leading zeros, or zeros; one '_' allowed before any digit after a
 * prefix and between digits. */
static int py_int(const char *s, size_t n, int64_t *out)
{
    size_t a = 0, b = n;
    fw_strip(s, &a, &b);
    s += a;
    n = b - a;
    bool neg = false;
    if (n && (s[0] == '+' || s[0] == '-')) {
        neg = s[0] == '-';
        s++;
        n--;
    }
    if (n == 0)
        return FW_NUM_BAD;
    unsigned base = 10;
    size_t i = 0;
    bool underscore_ok = false; /* a '_' may come next */
    if (s[0] == '0' && n > 1 && strchr("xXoObB", s[1])) {
        base = (s[1] | 0x20) == 'x' ? 16 : (s[1] | 0x20) == 'o' ? 8 : 2;
        i = 2;
        underscore_ok = true;
        if (i == n)
            return FW_NUM_BAD;
    } else if (s[0] == '0') {
        for (i = 1; i < n; i++)
            if (!(s[i] == '0' || (s[i] == '_' && i + 1 < n && s[i + 1] == '0')))
                return FW_NUM_BAD;
        *out = 0;
        return FW_NUM_OK;
    }
    uint64_t v = 0;
    bool range = false;
    for (; i < n; i++) {
        if (s[i] == '_') {
            if (!underscore_ok || i + 1 == n)
                return FW_NUM_BAD;
            underscore_ok = false;
            continue;
        }
        unsigned d = (unsigned)digit_value(s[i]);
        if (d >= base)
            return FW_NUM_BAD;
        if (v > (UINT64_MAX - d) / base)
            range = true;
        else
            v = v * base + d;
        underscore_ok = true;
    }
    if (range || v > (uint64_t)INT64_MAX)
        return FW_NUM_RANGE;
    *out = neg ? -(int64_t)v : (int64_t)v;
    return FW_NUM_OK;
}

static bool same_ascii_nocase(const char *s, size_t n, const char *word)
{
    size_t m = strlen(word);
    if (n != m)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != word[i])
            return false;
    }
    return true;
}

/* gen_esp32part.py's parse_int: strip K and M suffixes (x1024, x1048576, any number of
 * them, either case), read what is left as int(x, 0), else as one of `kw` (any case). */
int fw_parse_number(const char *s, size_t len, const fw_keyword_t *kw, size_t nkw, int64_t *out)
{
    size_t n = len;
    unsigned shift = 0;
    while (n && (s[n - 1] == 'k' || s[n - 1] == 'K' || s[n - 1] == 'm' || s[n - 1] == 'M')) {
        if (shift < 64) /* past 63 it is out of range anyway; never wraps */
            shift += (s[n - 1] | 0x20) == 'k' ? 10 : 20;
        n--;
    }
    int64_t v = 0;
    int r = py_int(s, n, &v);
    if (r == FW_NUM_BAD) {
        size_t i = 0;
        while (i < nkw && !same_ascii_nocase(s, n, kw[i].name))
            i++;
        if (i == nkw)
            return FW_NUM_BAD;
        v = kw[i].value;
        r = FW_NUM_OK;
    }
    if (r != FW_NUM_OK)
        return r;
    if (v == 0) {
        *out = 0; /* however many suffixes */
        return FW_NUM_OK;
    }
    if (shift > 62 || (v < 0 ? -v : v) > (INT64_MAX >> shift))
        return FW_NUM_RANGE;
    *out = v < 0 ? -((-v) << shift) : v << shift;
    return FW_NUM_OK;
}

void fw_keyword_list(char *buf, size_t size, const fw_keyword_t *kw, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && used < size; i++) {
        int k = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", kw[i].name);
        if (k < 0)
            break;
        used += (size_t)k;
    }
}
