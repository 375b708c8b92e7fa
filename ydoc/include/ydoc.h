/* ydoc.h - YAML documents with exact positions, checked against a libcyaml schema: the
 * ydoc library (ydoc/), which the chip definitions and the scenarios both read through.
 *
 * libcyaml loads YAML into C structs but reports only approximate positions and is
 * lenient about numbers; so every file is first parsed here with libyaml into a small
 * tree that keeps the line and column of every node, rejects duplicate keys and
 * aliases, and is walked alongside the libcyaml schema itself to reject unknown keys,
 * missing keys, bad enum values and malformed numbers at their exact position.  Only
 * then is the text handed to libcyaml.  Errors are formatted "file:line:column:
 * message" (1-based, as editors count).
 *
 *   ydoc_tree.c   the tree, lookups, errors      ydoc_check.c  schema pre-check, load
 *   ydoc_num.c    strict numbers and sizes, name lists for messages */
#ifndef MMSIM_YDOC_H
#define MMSIM_YDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cyaml/cyaml.h>

#define YDOC_ERR_MAX 1024
#define YDOC_MAX_DEPTH 64
#define YDOC_MAX_NODES 2000000u
#define YDOC_MAX_TEXT (64u << 20)

typedef enum { YDOC_SCALAR, YDOC_MAPPING, YDOC_SEQUENCE } ydoc_kind_t;

typedef struct ydoc_node {
    ydoc_kind_t kind;
    unsigned line, col;         /* 1-based start of the node */
    const char *value;          /* scalar text, NUL-terminated (scalars only) */
    bool quoted;                /* scalar was quoted: never a number or bool */
    size_t count;               /* mapping pairs or sequence items */
    struct ydoc_node **keys;    /* mapping: the key scalars */
    struct ydoc_node **items;   /* mapping values or sequence items */
} ydoc_node_t;

typedef struct {
    char *file;                 /* name used in messages */
    char *text;                 /* the whole input, NUL-terminated */
    size_t text_len;
    ydoc_node_t *root;          /* NULL for an empty document */
    void *arena;                /* owns every node */
} ydoc_t;

/* An error message "file:line:column: message" or "file: message". */
typedef struct {
    char msg[YDOC_ERR_MAX];
} ydoc_err_t;

/* Parse `len` bytes of `text` (copied) as one YAML document named `file`.
 * Returns 0 and fills *doc, or -1 with *err set and *doc left empty. */
int ydoc_parse(const char *file, const char *text, size_t len, ydoc_t *doc, ydoc_err_t *err);

/* Read a whole file into a document (errors name the file). */
int ydoc_parse_file(const char *path, ydoc_t *doc, ydoc_err_t *err);

/* Release everything a document owns; safe on a zeroed or freed document. */
void ydoc_free(ydoc_t *doc);

/* The value of `key` in a mapping node, or NULL. */
const ydoc_node_t *ydoc_get(const ydoc_node_t *map, const char *key);

/* Item `i` of a sequence node, or NULL. */
const ydoc_node_t *ydoc_item(const ydoc_node_t *seq, size_t i);

/* Format an error at a node (or at the file when node is NULL).  Always -1. */
int ydoc_fail(ydoc_err_t *err, const ydoc_t *doc, const ydoc_node_t *node, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---- every error of a file at once ----
 * While a collector is on (on this thread), every ydoc_fail is also kept there with
 * its place, and the checks (ydoc_check, and the readers that ask ydoc_collecting())
 * go on past an error to find the others, so one run shows them all.  Off, a reader
 * stops at its first error as before. */
typedef struct {
    struct ydoc_collected *items; /* file order on ydoc_collect_end */
    size_t count, cap;
    size_t dropped;               /* past YDOC_COLLECT_KEEP: counted, not kept */
} ydoc_errors_t;
#define YDOC_COLLECT_KEEP 100
void ydoc_collect_begin(ydoc_errors_t *into);
/* Stop collecting; the errors are sorted by line and column (ties: as raised), and
 * repeats of one message dropped. */
void ydoc_collect_end(void);
bool ydoc_collecting(void);
/* Write the errors, a line each; past `show`, "FILE: and N more errors".  Returns
 * how many there were. */
size_t ydoc_errors_print(const ydoc_errors_t *e, FILE *f, size_t show, const char *file);
void ydoc_errors_free(ydoc_errors_t *e);

/* Check `node` against a libcyaml schema value: shapes, known and required keys,
 * enum and flag names, strict integers and booleans.  0 or -1 with *err set. */
int ydoc_check(const ydoc_t *doc, const ydoc_node_t *node, const cyaml_schema_value_t *schema,
               ydoc_err_t *err);

/* Check the document, then load it with libcyaml into *out (free with ydoc_load_free).
 * 0 or -1 with *err set. */
int ydoc_load(const ydoc_t *doc, const cyaml_schema_value_t *top, void **out, ydoc_err_t *err);
void ydoc_load_free(const cyaml_schema_value_t *top, void *data);

/* Strict unsigned integer: decimal or 0x-hex, no sign, no junk. */
bool ydoc_parse_u64(const char *s, uint64_t *out);

/* Strict size: decimal or 0x-hex, decimal optionally followed by K, M or G
 * (binary multiples).  Fails on junk, overflow beyond `max` or an empty string;
 * *why says which. */
bool ydoc_parse_size(const char *s, uint64_t max, uint64_t *out, const char **why);

/* Append `item` to the ", "-separated list in `buf` (NUL-terminated, `n` bytes), as
 * messages list the names they expect; stops quietly when the buffer is full. */
void ydoc_list_add(char *buf, size_t n, const char *item);

#endif
