/* fw_partition_int.h - what the partition-table sources of firmware/ share and nothing
 * outside them sees: error formatting and gen_esp32part.py's name tables. */
#ifndef MMSIM_FW_PARTITION_INT_H
#define MMSIM_FW_PARTITION_INT_H

#include "fw_partition.h"

typedef struct {
    const char *name;
    uint8_t value;
} fw_keyword_t;

/* Type names in gen_esp32part.py's order (its TYPES dict), and the subtype names of a
 * type in its order (SUBTYPES); *n = 0 and NULL for a type without names. */
extern const fw_keyword_t fw_type_keywords[];
extern const size_t fw_type_keyword_count;
const fw_keyword_t *fw_subtype_keywords(uint8_t type, size_t *n);

/* Fill *err (when not NULL) with the formatted message and `code`; returns `code`. */
int fw_fail(fw_error_t *err, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* As fw_fail, prefixed with where entry `i` of `t` is: "file:line:column: " (the column
 * of CSV field `field`) for an entry from a CSV, else "file: entry N: ". */
int fw_fail_entry(fw_error_t *err, int code, const char *file, const fw_ptable_t *t, size_t i,
                  int field, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* Read a whole file of at most `max` bytes into a malloc'd buffer (*data, *len; free it).
 * Errors name `path`: cannot open/read, or more than max bytes ("not <what>"). */
int fw_read_file(const char *path, size_t max, const char *what, uint8_t **data, size_t *len,
                 fw_error_t *err);

/* The part of fw_ptable_verify that does not depend on opts->verify: every partition
 * within opts->flash_size, as the bootloader checks it against the chip's size. */
int fw_check_flash_size(const char *file, const fw_ptable_t *t, const fw_ptable_opts_t *o,
                        fw_error_t *err);

/* ---- Python's text rules (fw_pytext.c) ---- */

/* One strictly decoded UTF-8 character of at most n bytes at s: its length, or 0. */
size_t fw_utf8_char(const unsigned char *s, size_t n, uint32_t *cp);

/* A line boundary of str.splitlines. */
bool fw_is_line_break(uint32_t cp);

/* Narrow s[*a, *b) by str.strip's whitespace at both ends. */
void fw_strip(const char *s, size_t *a, size_t *b);

/* The 1-based column (in characters) of byte `at` of a line. */
uint32_t fw_column_of(const char *line, size_t at);

/* gen_esp32part.py's parse_int over s[0, len): K/M suffixes, int(x, 0), else one of
 * the `nkw` keywords (any case).  FW_NUM_OK with *out set, FW_NUM_BAD, FW_NUM_RANGE
 * (beyond 64 bits). */
enum { FW_NUM_OK, FW_NUM_BAD, FW_NUM_RANGE };
int fw_parse_number(const char *s, size_t len, const fw_keyword_t *kw, size_t nkw, int64_t *out);

/* The keywords' names joined by ", " into buf. */
void fw_keyword_list(char *buf, size_t size, const fw_keyword_t *kw, size_t n);

#endif
