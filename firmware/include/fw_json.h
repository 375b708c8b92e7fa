/* fw_json.h - a small strict JSON reader (RFC 8259) for the build files of firmware/
 * (flasher_args.json, project_description.json, config/sdkconfig.json): a tree of plain
 * nodes that remember their line and column, and messages "file:line:column: ...".
 *
 * Strict means: one value, UTF-8 only (no byte-order mark), no comments, no trailing
 * commas, no NaN or Infinity, no lone surrogates in \u escapes, no control characters in
 * strings, and no key twice in one object (Python's json keeps the last silently; a
 * build tool never writes one, a hand edit might).  At most 256 levels of nesting and
 * 16 MB of text. */
#ifndef MMSIM_FW_JSON_H
#define MMSIM_FW_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fw_error.h"

#define FW_JSON_MAX_DEPTH 256
#define FW_JSON_MAX_TEXT (16u << 20)

typedef enum {
    FW_JSON_NULL,
    FW_JSON_FALSE,
    FW_JSON_TRUE,
    FW_JSON_NUMBER,
    FW_JSON_STRING,
    FW_JSON_ARRAY,
    FW_JSON_OBJECT,
} fw_json_type_t;

typedef struct fw_json fw_json_t;
struct fw_json {
    fw_json_type_t type;
    uint32_t line, column;      /* of the value's first character (1-based, characters) */
    const char *key;            /* an object member's key (decoded, NUL-terminated), else NULL */
    size_t key_len;
    uint32_t key_line, key_column;
    const char *str;            /* a string (decoded, NUL-terminated, may hold NULs) or a
                                   number's text as written; NULL for other types */
    size_t len;                 /* of str */
    size_t count;               /* members of an array or object */
    fw_json_t *child;           /* the first member */
    fw_json_t *next;            /* the next member of the parent */
};

typedef struct fw_json_doc fw_json_doc_t;

/* Parse `len` bytes of `text`.  0 and *out (free it with fw_json_free), or FW_ERR_SYNTAX,
 * FW_ERR_OVERSIZED, FW_ERR_NOMEM with *err "file:line:column: ..." and *out NULL. */
int fw_json_parse(const char *file, const char *text, size_t len, fw_json_doc_t **out,
                  fw_error_t *err);
const fw_json_t *fw_json_root(const fw_json_doc_t *doc);
void fw_json_free(fw_json_doc_t *doc);

/* fw_json_parse of a file whose top level must be an object: otherwise FW_ERR_SHAPE
 * "file:line:column: the file holds <type>: <shape>" (shape says what it should be) and
 * *out NULL. */
int fw_json_parse_object(const char *file, const char *text, size_t len, const char *shape, fw_json_doc_t **out,
                         fw_error_t *err);

/* The member of object `obj` with this key, or NULL (also when obj is not an object). */
const fw_json_t *fw_json_get(const fw_json_t *obj, const char *key);
/* "an object", "a string", ... for messages. */
const char *fw_json_type_name(fw_json_type_t type);

/* Member `key` of `obj`, which must be a string when present: 0 and *out (NULL when
 * absent), or FW_ERR_SHAPE "file:line:column: <where>"key" must be a string, not ...". */
int fw_json_opt_string(const char *file, const fw_json_t *obj, const char *key, const char *where,
                       const fw_json_t **out, fw_error_t *err);
/* As fw_json_opt_string, and a present string is copied into dst[size] (NUL-ended);
 * FW_ERR_RANGE when it does not fit.  dst is left alone when the member is absent. */
int fw_json_copy_string(const char *file, const fw_json_t *obj, const char *key, const char *where, char *dst,
                        size_t size, fw_error_t *err);

#endif
