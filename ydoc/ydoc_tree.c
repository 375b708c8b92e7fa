/* ydoc_tree.c - the position-keeping YAML tree of ydoc.h: libyaml's events into nodes
 * that keep their line and column, refusing duplicate keys, aliases, several documents,
 * NUL bytes and runaway size or depth; the lookups; and the "file:line:column: message"
 * errors every reader of a YAML file here reports through. */
#include "ydoc.h"
#include "ydoc_collect.h"

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

/* "file:line:column: message", or "file: message" when there is no place (line 0). */
static int vfail_at(ydoc_err_t *err, const char *file, unsigned line, unsigned col, const char *fmt,
                    va_list ap) __attribute__((format(printf, 5, 0)));
static int vfail_at(ydoc_err_t *err, const char *file, unsigned line, unsigned col, const char *fmt,
                    va_list ap)
{
    char body[YDOC_ERR_MAX - 112];
    vsnprintf(body, sizeof body, fmt, ap);
    char place[24] = "";
    if (line)
        snprintf(place, sizeof place, ":%u:%u", line, col);
    snprintf(err->msg, sizeof err->msg, "%.100s%s: %s", file, place, body);
    ydoc_collect_add(line, col, err->msg);
    return -1;
}

int ydoc_fail(ydoc_err_t *err, const ydoc_t *doc, const ydoc_node_t *node, const char *fmt, ...)
{
    if (!err)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vfail_at(err, doc && doc->file ? doc->file : "<input>", node ? node->line : 0, node ? node->col : 0, fmt, ap);
    va_end(ap);
    return -1;
}

static int fail_at(ydoc_err_t *err, const char *file, unsigned line, unsigned col, const char *fmt,
                   ...) __attribute__((format(printf, 5, 6)));
static int fail_at(ydoc_err_t *err, const char *file, unsigned line, unsigned col, const char *fmt,
                   ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail_at(err, file, line, col, fmt, ap);
    va_end(ap);
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
        return fail_at(err, file, 0, 0, "file too large (%zu bytes, limit %u)", len, YDOC_MAX_TEXT);
    }
    doc->file = strdup(file);
    doc->text = malloc(len + 1);
    doc->arena = calloc(1, sizeof(arena_t));
    if (!doc->file || !doc->text || !doc->arena) {
        ydoc_free(doc);
        fail_at(err, file, 0, 0, "out of memory");
        return -1;
    }
    memcpy(doc->text, text, len);
    doc->text[len] = '\0';
    doc->text_len = len;
    /* libyaml would read UTF-16 (it honours the BOM), but libcyaml and every other
     * tool here expect UTF-8; say what the file is rather than "NUL byte". */
    if (len >= 2 && (((unsigned char)text[0] == 0xFF && (unsigned char)text[1] == 0xFE) ||
                     ((unsigned char)text[0] == 0xFE && (unsigned char)text[1] == 0xFF))) {
        fail_at(err, file, 0, 0, "the file is UTF-16 text; save it as UTF-8");
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
        fail_at(err, file, 0, 0, "cannot initialise libyaml");
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
        return fail_at(err, path, 0, 0, "cannot open: %s", strerror(errno));
    }
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (len == cap) {
            if (cap > YDOC_MAX_TEXT) {
                free(buf);
                fclose(f);
                return fail_at(err, path, 0, 0, "file too large (limit %u bytes)", YDOC_MAX_TEXT);
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
        const char *why = buf ? "read error" : "out of memory";
        free(buf);
        return fail_at(err, path, 0, 0, "%s", why);
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
