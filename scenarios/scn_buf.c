/* scn_buf.c - growable text (scn_buf.h). */
#include "scn_buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int reserve(scn_buf_t *b, size_t more)
{
    if (more > ((size_t)-1) / 2 - b->len)
        return -1;
    size_t need = b->len + more + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 128;
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->text, cap);
    if (!p)
        return -1;
    b->text = p;
    b->cap = cap;
    return 0;
}

void scn_buf_add(scn_buf_t *b, const char *s, size_t n)
{
    if (reserve(b, n))
        return;
    memcpy(b->text + b->len, s, n);
    b->len += n;
    b->text[b->len] = '\0';
}

void scn_buf_printf(scn_buf_t *b, const char *fmt, ...)
{
    va_list ap, again;
    va_start(ap, fmt);
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n > 0 && !reserve(b, (size_t)n)) {
        vsnprintf(b->text + b->len, (size_t)n + 1, fmt, again);
        b->len += (size_t)n;
    }
    va_end(again);
}

void scn_buf_json(scn_buf_t *b, const char *s)
{
    scn_buf_add(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\')
            scn_buf_printf(b, "\\%c", *p);
        else if (*p == '\n')
            scn_buf_add(b, "\\n", 2);
        else if (*p == '\t')
            scn_buf_add(b, "\\t", 2);
        else if (*p < 0x20)
            scn_buf_printf(b, "\\u%04x", *p);
        else
            scn_buf_add(b, (const char *)p, 1);
    }
    scn_buf_add(b, "\"", 1);
}

void scn_buf_xml(scn_buf_t *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '<': scn_buf_add(b, "&lt;", 4); break;
        case '>': scn_buf_add(b, "&gt;", 4); break;
        case '&': scn_buf_add(b, "&amp;", 5); break;
        case '"': scn_buf_add(b, "&quot;", 6); break;
        case '\'': scn_buf_add(b, "&apos;", 6); break;
        default:
            /* XML 1.0 has no way to write most control characters: show them. */
            if (*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r')
                scn_buf_printf(b, "\\x%02x", *p);
            else
                scn_buf_add(b, (const char *)p, 1);
        }
    }
}

char *scn_buf_take(scn_buf_t *b)
{
    char *t = b->len ? b->text : NULL;
    if (!t)
        free(b->text);
    *b = (scn_buf_t){0};
    return t;
}

void scn_buf_free(scn_buf_t *b)
{
    free(b->text);
    *b = (scn_buf_t){0};
}

int scn_grow(void *array, size_t size, size_t *cap, size_t need)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 8;
    while (n < need)
        n *= 2;
    void *p = realloc(*(void **)array, n * size);
    if (!p)
        return -1;
    *(void **)array = p;
    *cap = n;
    return 0;
}
