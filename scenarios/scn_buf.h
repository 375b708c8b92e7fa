/* scn_buf.h - a growable text buffer for reports, traces and messages, and the
 * doubling growth of the other malloc'd arrays (the loader's known names, the
 * saved names and lists of a run, the suite's list). */
#ifndef MMSIM_SCN_BUF_H
#define MMSIM_SCN_BUF_H

#include <stddef.h>

typedef struct {
    char *text; /* NUL-terminated once anything was added; NULL before */
    size_t len, cap;
} scn_buf_t;

/* Append formatted text.  Out of memory drops the text (never a crash). */
void scn_buf_printf(scn_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void scn_buf_add(scn_buf_t *b, const char *s, size_t n);
/* Append `s` as a JSON string literal (with quotes). */
void scn_buf_json(scn_buf_t *b, const char *s);
/* Append `s` with XML's five special characters escaped. */
void scn_buf_xml(scn_buf_t *b, const char *s);
/* Hand the text over to the caller (NULL if empty) and reset the buffer. */
char *scn_buf_take(scn_buf_t *b);
void scn_buf_free(scn_buf_t *b);

/* Make the malloc'd array *array (of *cap elements of `size` bytes) hold at least
 * `need`, doubling.  0, or -1 out of memory (the array is left as it was). */
int scn_grow(void *array, size_t size, size_t *cap, size_t need);

#endif
