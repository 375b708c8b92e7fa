/* ydoc.c - the position-keeping YAML tree and the strict pre-check against a
 * libcyaml schema (see ydoc.h for why both exist). */
#include "ydoc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

/* Every allocation of a document goes in one list so freeing is trivial. */
typedef struct arena {
    void **ptrs;
    size_t n, cap;
    size_t nodes;
} arena_t;

static void *arena_alloc(arena_t *a, size_t size)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 64;
        void **p = realloc(a->ptrs, cap * sizeof *p);
        if (!p)
            return NULL;
        a->ptrs = p;
        a->cap = cap;
    }
    void *m = calloc(1, size ? size : 1);
    if (m)
        a->ptrs[a->n++] = m;
    return m;
}

static void arena_free(arena_t *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n; i++)
        free(a->ptrs[i]);
    free(a->ptrs);
    free(a);
}

int ydoc_fail(ydoc_err_t *err, const ydoc_t *doc, const ydoc_node_t *node, const char *fmt, ...)
{
    if (!err)
        return -1;
    char body[YDOC_ERR_MAX - 112];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    const char *file = doc && doc->file ? doc->file : "<input>";
    if (node)
        snprintf(err->msg, sizeof err->msg, "%.100s:%u:%u: %s", file, node->line, node->col, body);
    else
        snprintf(err->msg, sizeof err->msg, "%.100s: %s", file, body);
    return -1;
}

static int fail_at(ydoc_err_t *err, const char *file, unsigned line, unsigned col, const char *fmt,
                   ...) __attribute__((format(printf, 5, 6)));
static int fail_at(ydoc_err_t *err, const char *file, unsigned line, unsigned col, const char *fmt,
                   ...)
{
    char body[YDOC_ERR_MAX - 112];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    snprintf(err->msg, sizeof err->msg, "%.100s:%u:%u: %s", file, line, col, body);
    return -1;
}

/* ---- tree building from libyaml events ---- */

typedef struct {
    yaml_parser_t parser;
    arena_t *arena;
    const char *file;
    const char *text;           /* the input, to place errors libyaml gives only as offsets */
    size_t len;
    ydoc_err_t *err;
} builder_t;

/* Line and column (1-based, columns in characters as libyaml counts them) of a
 * byte offset; continuation bytes of a UTF-8 character do not start a column. */
static void position_of(const char *text, size_t offset, unsigned *line, unsigned *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < offset; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == '\n' || (ch == '\r' && text[i + 1] != '\n')) {
            ++*line;
            *col = 1;
        } else if ((ch & 0xC0) != 0x80) {
            ++*col;
        }
    }
}

/* libyaml's reader errors (bad encoding, control characters) carry a byte offset but
 * no mark, so they would all read "1:1"; place them at the offending character. */
static int reader_error(builder_t *b)
{
    const yaml_parser_t *p = &b->parser;
    size_t off = p->problem_offset < b->len ? p->problem_offset : b->len;
    const char *what = p->problem ? p->problem : "unreadable input";
    /* libyaml reports a bad trailing byte at itself; the character the user wrote (say a
     * Latin-1 0xE9) starts at the lead byte before it. */
    if (strstr(what, "trailing") && off > 0) {
        off--;
        for (int k = 0; k < 3 && off > 0 && ((unsigned char)b->text[off] & 0xC0) == 0x80; k++)
            off--;
    }
    unsigned line, col;
    position_of(b->text, off, &line, &col);
    unsigned byte = off < b->len ? (unsigned char)b->text[off] : 0;
    if (strstr(what, "UTF-8") || strstr(what, "Unicode"))
        return fail_at(b->err, b->file, line, col,
                       "not UTF-8 text: byte 0x%02X does not start a valid UTF-8 character; "
                       "save the file as UTF-8", byte);
    if (strstr(what, "control characters"))
        return fail_at(b->err, b->file, line, col, "control character 0x%02X is not allowed in YAML", byte);
    return fail_at(b->err, b->file, line, col, "YAML error: %s", what);
}

static int next_event(builder_t *b, yaml_event_t *ev)
{
    if (yaml_parser_parse(&b->parser, ev))
        return 0;
    const yaml_parser_t *p = &b->parser;
    if (p->error == YAML_READER_ERROR)
        return reader_error(b);
    yaml_mark_t m = p->problem_mark, cm = p->context_mark;
    const char *what = p->problem ? p->problem : "syntax error";
    unsigned line = (unsigned)m.line + 1, col = (unsigned)m.column + 1;
    if (m.index < b->len && b->text[m.index] == '\t' && strstr(what, "cannot start any token"))
        return fail_at(b->err, b->file, line, col,
                       "YAML syntax error: tab character (YAML indents with spaces only)");
    const char *hint = "";
    if (strstr(what, "mapping values are not allowed"))
        hint = " (check this line's indentation against the line above, or quote a value "
               "containing ': ')";
    else if (strstr(what, "could not find expected ':'"))
        hint = " (a key needs a colon and a space: 'key: value')";
    /* An unclosed quote or bracket is found lines later (often at the end of the file):
     * name the place it was opened, where the fix goes, and where it was noticed. */
    if (p->context && cm.line < m.line)
        return fail_at(b->err, b->file, (unsigned)cm.line + 1, (unsigned)cm.column + 1,
                       "YAML syntax error %s that starts here: %s at line %u, column %u%s",
                       p->context, what, line, col, hint);
    if (p->context)
        return fail_at(b->err, b->file, line, col, "YAML syntax error: %s %s%s", what, p->context, hint);
    return fail_at(b->err, b->file, line, col, "YAML syntax error: %s%s", what, hint);
}

static ydoc_node_t *new_node(builder_t *b, ydoc_kind_t kind, const yaml_mark_t *m)
{
    if (++b->arena->nodes > YDOC_MAX_NODES) {
        fail_at(b->err, b->file, (unsigned)m->line + 1, (unsigned)m->column + 1,
                "document too large (more than %u nodes)", YDOC_MAX_NODES);
        return NULL;
    }
    ydoc_node_t *n = arena_alloc(b->arena, sizeof *n);
    if (!n) {
        fail_at(b->err, b->file, (unsigned)m->line + 1, (unsigned)m->column + 1, "out of memory");
        return NULL;
    }
    n->kind = kind;
    n->line = (unsigned)m->line + 1;
    n->col = (unsigned)m->column + 1;
    return n;
}

static int push_child(builder_t *b, ydoc_node_t ***vec, size_t n)
{
    /* Grow by doubling; capacity is implied by n being a power of two. */
    if (n == 0 || (n & (n - 1)) == 0) {
        size_t cap = n ? n * 2 : 4;
        ydoc_node_t **p = arena_alloc(b->arena, cap * sizeof *p);
        if (!p)
            return -1;
        if (n)
            memcpy(p, *vec, n * sizeof *p);
        *vec = p;
    }
    return 0;
}

static ydoc_node_t *build(builder_t *b, yaml_event_t *ev, int depth);

static ydoc_node_t *build_collection(builder_t *b, yaml_event_t *start, int depth, bool mapping)
{
    ydoc_node_t *n = new_node(b, mapping ? YDOC_MAPPING : YDOC_SEQUENCE, &start->start_mark);
    yaml_event_delete(start);
    if (!n)
        return NULL;
    for (;;) {
        yaml_event_t ev;
        if (next_event(b, &ev))
            return NULL;
        if (ev.type == (mapping ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT)) {
            yaml_event_delete(&ev);
            return n;
        }
        ydoc_node_t *key = NULL;
        if (mapping) {
            if (ev.type != YAML_SCALAR_EVENT) {
                fail_at(b->err, b->file, (unsigned)ev.start_mark.line + 1,
                        (unsigned)ev.start_mark.column + 1, "mapping keys must be plain scalars");
                yaml_event_delete(&ev);
                return NULL;
            }
            key = build(b, &ev, depth + 1);
            if (!key)
                return NULL;
            for (size_t i = 0; i < n->count; i++)
                if (strcmp(n->keys[i]->value, key->value) == 0) {
                    fail_at(b->err, b->file, key->line, key->col,
                            "duplicate key '%s' (first at line %u, column %u)", key->value,
                            n->keys[i]->line, n->keys[i]->col);
                    return NULL;
                }
            if (next_event(b, &ev))
                return NULL;
        }
        ydoc_node_t *val = build(b, &ev, depth + 1);
        if (!val)
            return NULL;
        if (push_child(b, &n->items, n->count) || (mapping && push_child(b, &n->keys, n->count))) {
            fail_at(b->err, b->file, val->line, val->col, "out of memory");
            return NULL;
        }
        if (mapping)
            n->keys[n->count] = key;
        n->items[n->count++] = val;
    }
}

/* Takes ownership of *ev. */
static ydoc_node_t *build(builder_t *b, yaml_event_t *ev, int depth)
{
    if (depth > YDOC_MAX_DEPTH) {
        fail_at(b->err, b->file, (unsigned)ev->start_mark.line + 1,
                (unsigned)ev->start_mark.column + 1, "nesting deeper than %d levels",
                YDOC_MAX_DEPTH);
        yaml_event_delete(ev);
        return NULL;
    }
    switch (ev->type) {
    case YAML_SCALAR_EVENT: {
        ydoc_node_t *n = new_node(b, YDOC_SCALAR, &ev->start_mark);
        char *v = n ? arena_alloc(b->arena, ev->data.scalar.length + 1) : NULL;
        if (n && !v)
            fail_at(b->err, b->file, n->line, n->col, "out of memory");
        if (v) {
            memcpy(v, ev->data.scalar.value, ev->data.scalar.length);
            n->value = v;
            n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
            if (strlen(v) != ev->data.scalar.length) {
                fail_at(b->err, b->file, n->line, n->col, "NUL byte inside a scalar");
                n = NULL;
            }
        }
        yaml_event_delete(ev);
        return v ? n : NULL;
    }
    case YAML_SEQUENCE_START_EVENT:
        return build_collection(b, ev, depth, false);
    case YAML_MAPPING_START_EVENT:
        return build_collection(b, ev, depth, true);
    case YAML_ALIAS_EVENT:
        fail_at(b->err, b->file, (unsigned)ev->start_mark.line + 1,
                (unsigned)ev->start_mark.column + 1, "YAML aliases are not supported");
        yaml_event_delete(ev);
        return NULL;
    default:
        fail_at(b->err, b->file, (unsigned)ev->start_mark.line + 1,
                (unsigned)ev->start_mark.column + 1, "unexpected YAML event");
        yaml_event_delete(ev);
        return NULL;
    }
}

int ydoc_parse(const char *file, const char *text, size_t len, ydoc_t *doc, ydoc_err_t *err)
{
    memset(doc, 0, sizeof *doc);
    ydoc_err_t scratch;
    if (!err)
        err = &scratch;
    if (!file)
        file = "<input>";
    if (len > YDOC_MAX_TEXT) {
        snprintf(err->msg, sizeof err->msg, "%s: file too large (%zu bytes, limit %u)", file, len,
                 YDOC_MAX_TEXT);
        return -1;
    }
    doc->file = strdup(file);
    doc->text = malloc(len + 1);
    doc->arena = calloc(1, sizeof(arena_t));
    if (!doc->file || !doc->text || !doc->arena) {
        ydoc_free(doc);
        snprintf(err->msg, sizeof err->msg, "%s: out of memory", file);
        return -1;
    }
    memcpy(doc->text, text, len);
    doc->text[len] = '\0';
    doc->text_len = len;
    /* libyaml would read UTF-16 (it honours the BOM), but libcyaml and every other
     * tool here expect UTF-8; say what the file is rather than "NUL byte". */
    if (len >= 2 && (((unsigned char)text[0] == 0xFF && (unsigned char)text[1] == 0xFE) ||
                     ((unsigned char)text[0] == 0xFE && (unsigned char)text[1] == 0xFF))) {
        snprintf(err->msg, sizeof err->msg, "%s: the file is UTF-16 text; save it as UTF-8", file);
        ydoc_free(doc);
        return -1;
    }
    const char *z = memchr(text, '\0', len);
    if (z) {
        unsigned line, col;
        position_of(text, (size_t)(z - text), &line, &col);
        fail_at(err, file, line, col, "NUL byte in file (not a text file)");
        ydoc_free(doc);
        return -1;
    }

    builder_t b = {.arena = doc->arena, .file = doc->file, .text = doc->text, .len = len, .err = err};
    if (!yaml_parser_initialize(&b.parser)) {
        snprintf(err->msg, sizeof err->msg, "%s: cannot initialise libyaml", file);
        ydoc_free(doc);
        return -1;
    }
    yaml_parser_set_input_string(&b.parser, (const unsigned char *)doc->text, len);
    int rc = -1;
    yaml_event_t ev;
    /* stream start, then a document or the end of an empty stream */
    if (next_event(&b, &ev))
        goto out;
    yaml_event_delete(&ev);
    if (next_event(&b, &ev))
        goto out;
    if (ev.type == YAML_STREAM_END_EVENT) {
        yaml_event_delete(&ev);
        rc = 0; /* empty: root stays NULL */
        goto out;
    }
    yaml_event_delete(&ev); /* document start */
    if (next_event(&b, &ev))
        goto out;
    doc->root = build(&b, &ev, 0);
    if (!doc->root)
        goto out;
    if (next_event(&b, &ev)) /* document end */
        goto out;
    yaml_event_delete(&ev);
    if (next_event(&b, &ev))
        goto out;
    if (ev.type != YAML_STREAM_END_EVENT) {
        fail_at(err, file, (unsigned)ev.start_mark.line + 1, (unsigned)ev.start_mark.column + 1,
                "only one YAML document per file is allowed");
        yaml_event_delete(&ev);
        goto out;
    }
    yaml_event_delete(&ev);
    /* An explicit empty document ("---" alone) reads as a null scalar: treat as empty. */
    if (doc->root->kind == YDOC_SCALAR && doc->root->value[0] == '\0' && !doc->root->quoted)
        doc->root = NULL;
    rc = 0;
out:
    yaml_parser_delete(&b.parser);
    if (rc)
        ydoc_free(doc);
    return rc;
}

int ydoc_parse_file(const char *path, ydoc_t *doc, ydoc_err_t *err)
{
    memset(doc, 0, sizeof *doc);
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err->msg, sizeof err->msg, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (len == cap) {
            if (cap > YDOC_MAX_TEXT) {
                free(buf);
                fclose(f);
                snprintf(err->msg, sizeof err->msg, "%s: file too large (limit %u bytes)", path,
                         YDOC_MAX_TEXT);
                return -1;
            }
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    int ioerr = ferror(f);
    fclose(f);
    if (!buf || ioerr) {
        free(buf);
        snprintf(err->msg, sizeof err->msg, "%s: %s", path, buf ? "read error" : "out of memory");
        return -1;
    }
    int rc = ydoc_parse(path, buf, len, doc, err);
    free(buf);
    return rc;
}

void ydoc_free(ydoc_t *doc)
{
    if (!doc)
        return;
    arena_free(doc->arena);
    free(doc->file);
    free(doc->text);
    memset(doc, 0, sizeof *doc);
}

const ydoc_node_t *ydoc_get(const ydoc_node_t *map, const char *key)
{
    if (!map || map->kind != YDOC_MAPPING)
        return NULL;
    for (size_t i = 0; i < map->count; i++)
        if (strcmp(map->keys[i]->value, key) == 0)
            return map->items[i];
    return NULL;
}

const ydoc_node_t *ydoc_item(const ydoc_node_t *seq, size_t i)
{
    if (!seq || seq->kind != YDOC_SEQUENCE || i >= seq->count)
        return NULL;
    return seq->items[i];
}

/* ---- numbers ---- */

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

/* ---- the pre-check against a libcyaml schema ---- */

static const char *kind_name(ydoc_kind_t k)
{
    return k == YDOC_SCALAR ? "a scalar" : k == YDOC_MAPPING ? "a mapping" : "a sequence";
}

static void list_strings(char *buf, size_t n, const cyaml_strval_t *s, uint32_t count)
{
    size_t used = 0;
    buf[0] = '\0';
    for (uint32_t i = 0; i < count && used + 4 < n; i++) {
        int w = snprintf(buf + used, n - used, "%s%s", i ? ", " : "", s[i].str);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

static int check_enum_value(const ydoc_t *doc, const ydoc_node_t *node,
                            const cyaml_schema_value_t *s, ydoc_err_t *err, const char *what)
{
    if (node->kind != YDOC_SCALAR)
        return ydoc_fail(err, doc, node, "expected %s name, found %s", what, kind_name(node->kind));
    for (uint32_t i = 0; i < s->enumeration.count; i++)
        if (strcmp(s->enumeration.strings[i].str, node->value) == 0)
            return 0;
    char names[320];
    list_strings(names, sizeof names, s->enumeration.strings, s->enumeration.count);
    return ydoc_fail(err, doc, node, "bad %s '%s' (expected one of: %s)", what, node->value, names);
}

static int check_integer(const ydoc_t *doc, const ydoc_node_t *node, const cyaml_schema_value_t *s,
                         ydoc_err_t *err)
{
    if (node->kind != YDOC_SCALAR || node->quoted)
        return ydoc_fail(err, doc, node, "expected a number, found %s",
                         node->kind == YDOC_SCALAR ? "a quoted string" : kind_name(node->kind));
    const char *v = node->value;
    bool neg = v[0] == '-';
    if (neg && s->type == CYAML_UINT)
        return ydoc_fail(err, doc, node, "negative number '%s' where an unsigned one is required", v);
    /* libcyaml reads a leading 0 as octal ("010" is 8) while a reader of the file sees
     * ten: refuse the ambiguity rather than load a number nobody meant. */
    const char *digits = neg ? v + 1 : v;
    if (digits[0] == '0' && digits[1] >= '0' && digits[1] <= '9')
        return ydoc_fail(err, doc, node, "number '%s' has a leading zero (octal is not supported; "
                         "write it in decimal or 0x-hex)", v);
    uint64_t mag;
    if (!ydoc_parse_u64(digits, &mag))
        return ydoc_fail(err, doc, node, "'%s' is not a number (decimal or 0x-hex)", v);
    unsigned bits = s->data_size * 8;
    uint64_t limit = s->type == CYAML_UINT ? (bits >= 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1)
                                           : (UINT64_C(1) << (bits - 1)) - (neg ? 0 : 1);
    if (neg && s->type == CYAML_INT)
        limit = UINT64_C(1) << (bits - 1);
    if (mag > limit)
        return ydoc_fail(err, doc, node, "number '%s' out of range (%u-bit %s)", v, bits,
                         s->type == CYAML_UINT ? "unsigned" : "signed");
    return 0;
}

static int check_value(const ydoc_t *doc, const ydoc_node_t *node, const cyaml_schema_value_t *s,
                       ydoc_err_t *err);

static int check_mapping(const ydoc_t *doc, const ydoc_node_t *node, const cyaml_schema_value_t *s,
                         ydoc_err_t *err)
{
    if (node->kind != YDOC_MAPPING)
        return ydoc_fail(err, doc, node, "expected a mapping, found %s", kind_name(node->kind));
    const cyaml_schema_field_t *fields = s->mapping.fields;
    for (size_t i = 0; i < node->count; i++) {
        const cyaml_schema_field_t *f = fields;
        while (f->key && strcmp(f->key, node->keys[i]->value) != 0)
            f++;
        if (!f->key) {
            char names[400];
            size_t used = 0;
            names[0] = '\0';
            for (const cyaml_schema_field_t *g = fields; g->key && used + 4 < sizeof names; g++) {
                int w = snprintf(names + used, sizeof names - used, "%s%s",
                                 g == fields ? "" : ", ", g->key);
                if (w < 0)
                    break;
                used += (size_t)w;
            }
            return ydoc_fail(err, doc, node->keys[i], "unknown key '%s' (expected one of: %s)",
                             node->keys[i]->value, names);
        }
        /* "key:" with nothing after it is a YAML null; the checks below would call it
         * "'' is not a number" or "shorter than 1 characters", which hides the cause. */
        const ydoc_node_t *v = node->items[i];
        bool may_be_empty = f->value.type == CYAML_IGNORE ||
                            (f->value.type == CYAML_STRING && f->value.string.min == 0);
        if (v->kind == YDOC_SCALAR && !v->quoted && v->value[0] == '\0' && !may_be_empty)
            return ydoc_fail(err, doc, node->keys[i], "'%s' has no value", f->key);
        if (check_value(doc, v, &f->value, err))
            return -1;
    }
    for (const cyaml_schema_field_t *f = fields; f->key; f++) {
        if (f->value.flags & CYAML_FLAG_OPTIONAL)
            continue;
        if (!ydoc_get(node, f->key))
            return ydoc_fail(err, doc, node, "missing required key '%s'", f->key);
    }
    return 0;
}

static int check_value(const ydoc_t *doc, const ydoc_node_t *node, const cyaml_schema_value_t *s,
                       ydoc_err_t *err)
{
    switch (s->type) {
    case CYAML_INT:
    case CYAML_UINT:
        return check_integer(doc, node, s, err);
    case CYAML_BOOL:
        if (node->kind != YDOC_SCALAR || node->quoted ||
            (strcmp(node->value, "true") != 0 && strcmp(node->value, "false") != 0))
            return ydoc_fail(err, doc, node, "expected true or false, found %s%s%s",
                             node->kind == YDOC_SCALAR ? "'" : "",
                             node->kind == YDOC_SCALAR ? node->value : kind_name(node->kind),
                             node->kind == YDOC_SCALAR ? "'" : "");
        return 0;
    case CYAML_ENUM:
        return check_enum_value(doc, node, s, err, "value");
    case CYAML_FLAGS:
        if (node->kind != YDOC_SEQUENCE)
            return ydoc_fail(err, doc, node, "expected a list of names, found %s",
                             kind_name(node->kind));
        for (size_t i = 0; i < node->count; i++)
            if (check_enum_value(doc, node->items[i], s, err, "flag"))
                return -1;
        return 0;
    case CYAML_STRING:
        if (node->kind != YDOC_SCALAR)
            return ydoc_fail(err, doc, node, "expected a string, found %s", kind_name(node->kind));
        if (strlen(node->value) < s->string.min)
            return s->string.min == 1 ? ydoc_fail(err, doc, node, "must not be empty")
                                      : ydoc_fail(err, doc, node, "string shorter than %u characters",
                                                  s->string.min);
        if (strlen(node->value) > s->string.max)
            return ydoc_fail(err, doc, node, "string longer than %u characters", s->string.max);
        return 0;
    case CYAML_MAPPING:
        return check_mapping(doc, node, s, err);
    case CYAML_SEQUENCE:
    case CYAML_SEQUENCE_FIXED:
        if (node->kind != YDOC_SEQUENCE)
            return ydoc_fail(err, doc, node, "expected a sequence, found %s", kind_name(node->kind));
        if (node->count < s->sequence.min)
            return ydoc_fail(err, doc, node, "at least %u %s required, found %zu", s->sequence.min,
                             s->sequence.min == 1 ? "entry" : "entries", node->count);
        if (node->count > s->sequence.max)
            return ydoc_fail(err, doc, node, "at most %u entries allowed, found %zu",
                             s->sequence.max, node->count);
        for (size_t i = 0; i < node->count; i++)
            if (check_value(doc, node->items[i], s->sequence.entry, err))
                return -1;
        return 0;
    case CYAML_IGNORE:
        return 0;
    default:
        return ydoc_fail(err, doc, node, "internal: unsupported schema type %d", (int)s->type);
    }
}

int ydoc_check(const ydoc_t *doc, const ydoc_node_t *node, const cyaml_schema_value_t *schema,
               ydoc_err_t *err)
{
    return check_value(doc, node, schema, err);
}

/* libcyaml's own messages only matter if it disagrees with the pre-check. */
static void cyaml_log_quiet(cyaml_log_t level, void *ctx, const char *fmt, va_list args)
{
    (void)level, (void)ctx, (void)fmt, (void)args;
}

static const cyaml_config_t cyaml_cfg = {
    .log_fn = cyaml_log_quiet,
    .mem_fn = cyaml_mem,
    .log_level = CYAML_LOG_ERROR,
    .flags = CYAML_CFG_NO_ALIAS,
};

int ydoc_load(const ydoc_t *doc, const cyaml_schema_value_t *top, void **out, ydoc_err_t *err)
{
    *out = NULL;
    if (!doc->root)
        return ydoc_fail(err, doc, NULL, "empty file");
    if (ydoc_check(doc, doc->root, top, err))
        return -1;
    cyaml_err_t e = cyaml_load_data((const uint8_t *)doc->text, doc->text_len, &cyaml_cfg, top,
                                    (cyaml_data_t **)out, NULL);
    if (e != CYAML_OK) {
        *out = NULL;
        return ydoc_fail(err, doc, doc->root, "libcyaml: %s", cyaml_strerror(e));
    }
    return 0;
}

void ydoc_load_free(const cyaml_schema_value_t *top, void *data)
{
    if (data)
        cyaml_free(&cyaml_cfg, top, data, 0);
}
