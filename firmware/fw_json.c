/* fw_json.c - the strict JSON reader of fw_json.h: recursive descent over the text, nodes
 * and decoded strings in an arena freed at once. */
#include "fw_json.h"
#include "fw_partition_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- arena ---- */

typedef struct block {
    struct block *next;
    size_t used, cap;
    max_align_t data[];
} block_t;

struct fw_json_doc {
    block_t *blocks;
    fw_json_t *root;
};

static void *arena_alloc(fw_json_doc_t *d, size_t n)
{
    n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    block_t *b = d->blocks;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > 65536 ? n : 65536;
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->used = 0;
        b->cap = cap;
        b->next = d->blocks;
        d->blocks = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    return p;
}

void fw_json_free(fw_json_doc_t *d)
{
    if (!d)
        return;
    for (block_t *b = d->blocks, *n; b; b = n) {
        n = b->next;
        free(b);
    }
    free(d);
}

const fw_json_t *fw_json_root(const fw_json_doc_t *d)
{
    return d ? d->root : NULL;
}

const fw_json_t *fw_json_get(const fw_json_t *o, const char *key)
{
    if (!o || o->type != FW_JSON_OBJECT || !key)
        return NULL;
    size_t n = strlen(key);
    for (const fw_json_t *m = o->child; m; m = m->next)
        if (m->key_len == n && memcmp(m->key, key, n) == 0)
            return m;
    return NULL;
}

const char *fw_json_type_name(fw_json_type_t t)
{
    switch (t) {
    case FW_JSON_NULL: return "null";
    case FW_JSON_FALSE: return "false";
    case FW_JSON_TRUE: return "true";
    case FW_JSON_NUMBER: return "a number";
    case FW_JSON_STRING: return "a string";
    case FW_JSON_ARRAY: return "an array";
    case FW_JSON_OBJECT: return "an object";
    }
    return "?";
}

/* ---- the parser ---- */

typedef struct {
    const char *file;
    const unsigned char *s;
    size_t n, pos;
    uint32_t line, col;
    fw_json_doc_t *doc;
    fw_error_t *err;
    int depth;
} parser_t;

static int fail_at(parser_t *p, int code, uint32_t line, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int fail_at(parser_t *p, int code, uint32_t line, uint32_t col, const char *fmt, ...)
{
    char msg[FW_ERR_MAX - 64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return fw_fail(p->err, code, "%s:%u:%u: %s", p->file, line, col, msg);
}

#define FAIL(...) fail_at(p, FW_ERR_SYNTAX, p->line, p->col, __VA_ARGS__)

static void advance(parser_t *p)
{
    unsigned char c = p->s[p->pos++];
    if (c == '\n') {
        p->line++;
        p->col = 1;
    } else if ((c & 0xC0) != 0x80) {
        /* a continuation byte belongs to the character already counted */
        p->col++;
    }
}

static void skip_ws(parser_t *p)
{
    while (p->pos < p->n) {
        unsigned char c = p->s[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        advance(p);
    }
}

/* What is at the cursor, for messages. */
static const char *found(parser_t *p, char *buf, size_t size)
{
    if (p->pos >= p->n)
        return "the end of the file";
    unsigned char c = p->s[p->pos];
    if (c >= 0x20 && c < 0x7F)
        snprintf(buf, size, "'%c'", c);
    else
        snprintf(buf, size, "byte 0x%02x", c);
    return buf;
}

static int parse_value(parser_t *p, fw_json_t *v);

static int hex4(parser_t *p, uint32_t *out)
{
    *out = 0;
    for (int i = 0; i < 4; i++) {
        if (p->pos >= p->n)
            return FAIL("a \\u escape needs four hex digits; the file ends");
        unsigned char c = p->s[p->pos];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0) {
            char b[16];
            return FAIL("a \\u escape needs four hex digits, found %s", found(p, b, sizeof b));
        }
        *out = *out << 4 | (uint32_t)d;
        advance(p);
    }
    return 0;
}

static size_t put_utf8(char *o, uint32_t cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | cp >> 6);
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12);
        o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | cp >> 18);
    o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    o[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* A string at the cursor (on its '"'): decoded into the arena. */
static int parse_string(parser_t *p, const char **out, size_t *out_len)
{
    uint32_t l0 = p->line, c0 = p->col;
    advance(p); /* the opening quote */
    /* The decoded text is never longer than the raw text. */
    size_t start = p->pos, end = start;
    while (end < p->n && p->s[end] != '"') {
        if (p->s[end] == '\\' && end + 1 < p->n)
            end++;
        end++;
    }
    char *buf = arena_alloc(p->doc, end - start + 1);
    if (!buf)
        return fw_fail(p->err, FW_ERR_NOMEM, "%s: out of memory", p->file);
    size_t k = 0;
    for (;;) {
        if (p->pos >= p->n)
            return fail_at(p, FW_ERR_SYNTAX, l0, c0, "a string is not closed: the file ends "
                           "before its closing '\"'");
        unsigned char c = p->s[p->pos];
        if (c == '"') {
            advance(p);
            break;
        }
        if (c < 0x20)
            return FAIL("a control character (byte 0x%02x) inside a string: write it as an "
                        "escape such as \\n or \\u%04x", c, c);
        if (c == '\\') {
            advance(p);
            if (p->pos >= p->n)
                return FAIL("an escape is cut by the end of the file");
            unsigned char e = p->s[p->pos];
            const char *simple = strchr("\"\\/bfnrt", e);
            if (e && simple) {
                static const char to[] = "\"\\/\b\f\n\r\t";
                buf[k++] = to[simple - "\"\\/bfnrt"];
                advance(p);
                continue;
            }
            if (e != 'u') {
                if (e > 0x20 && e < 0x7F)
                    return FAIL("unknown escape '\\%c' in a string (JSON has \\\" \\\\ \\/ "
                                "\\b \\f \\n \\r \\t \\uXXXX)", e);
                return FAIL("a backslash before byte 0x%02x in a string: not an escape", e);
            }
            uint32_t el = p->line, ec = p->col - 1;
            advance(p);
            uint32_t cp;
            int rc = hex4(p, &cp);
            if (rc)
                return rc;
            if (cp >= 0xDC00 && cp <= 0xDFFF)
                return fail_at(p, FW_ERR_SYNTAX, el, ec, "a lone low surrogate \\u%04x (not "
                               "a character)", cp);
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (p->n - p->pos < 2 || p->s[p->pos] != '\\' || p->s[p->pos + 1] != 'u')
                    return fail_at(p, FW_ERR_SYNTAX, el, ec, "a high surrogate \\u%04x not "
                                   "followed by a low one (not a character)", cp);
                advance(p);
                advance(p);
                uint32_t lo;
                if ((rc = hex4(p, &lo)) != 0)
                    return rc;
                if (lo < 0xDC00 || lo > 0xDFFF)
                    return fail_at(p, FW_ERR_SYNTAX, el, ec, "a high surrogate \\u%04x "
                                   "followed by \\u%04x, not a low surrogate", cp, lo);
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            k += put_utf8(buf + k, cp);
            continue;
        }
        uint32_t cp;
        size_t m = fw_utf8_char(p->s + p->pos, p->n - p->pos, &cp);
        if (m == 0)
            return FAIL("byte 0x%02x is not UTF-8 text (JSON files are UTF-8)", c);
        memcpy(buf + k, p->s + p->pos, m);
        k += m;
        for (size_t i = 0; i < m; i++)
            advance(p);
    }
    buf[k] = '\0';
    *out = buf;
    *out_len = k;
    return 0;
}

static bool digit(parser_t *p)
{
    return p->pos < p->n && p->s[p->pos] >= '0' && p->s[p->pos] <= '9';
}

static int parse_number(parser_t *p, fw_json_t *v)
{
    size_t start = p->pos;
    char b[16];
    if (p->s[p->pos] == '-')
        advance(p);
    if (!digit(p))
        return FAIL("a number needs a digit here, found %s", found(p, b, sizeof b));
    if (p->s[p->pos] == '0') {
        advance(p);
        if (digit(p))
            return FAIL("a number does not start with 0 followed by digits (JSON has no octal; "
                        "write it without the leading zero, or as a string)");
    } else {
        while (digit(p))
            advance(p);
    }
    if (p->pos < p->n && p->s[p->pos] == '.') {
        advance(p);
        if (!digit(p))
            return FAIL("a digit must follow the decimal point, found %s", found(p, b, sizeof b));
        while (digit(p))
            advance(p);
    }
    if (p->pos < p->n && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
        advance(p);
        if (p->pos < p->n && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
            advance(p);
        if (!digit(p))
            return FAIL("a digit must follow the exponent, found %s", found(p, b, sizeof b));
        while (digit(p))
            advance(p);
    }
    size_t n = p->pos - start;
    char *t = arena_alloc(p->doc, n + 1);
    if (!t)
        return fw_fail(p->err, FW_ERR_NOMEM, "%s: out of memory", p->file);
    memcpy(t, p->s + start, n);
    t[n] = '\0';
    v->type = FW_JSON_NUMBER;
    v->str = t;
    v->len = n;
    return 0;
}

static int cmp_key(const void *a, const void *b)
{
    const fw_json_t *x = *(const fw_json_t *const *)a, *y = *(const fw_json_t *const *)b;
    size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
    int c = memcmp(x->key, y->key, n);
    if (c)
        return c;
    if (x->key_len != y->key_len)
        return x->key_len < y->key_len ? -1 : 1;
    /* equal keys: by position, so that the second is reported */
    return x->key_line != y->key_line ? (x->key_line < y->key_line ? -1 : 1)
                                      : (x->key_column < y->key_column ? -1 : 1);
}

static int check_duplicates(parser_t *p, const fw_json_t *o)
{
    if (o->count < 2)
        return 0;
    const fw_json_t **v = malloc(o->count * sizeof *v);
    if (!v)
        return fw_fail(p->err, FW_ERR_NOMEM, "%s: out of memory", p->file);
    size_t i = 0;
    for (const fw_json_t *m = o->child; m; m = m->next)
        v[i++] = m;
    qsort(v, o->count, sizeof *v, cmp_key);
    int rc = 0;
    for (i = 1; i < o->count && !rc; i++)
        if (v[i]->key_len == v[i - 1]->key_len && memcmp(v[i]->key, v[i - 1]->key, v[i]->key_len) == 0)
            rc = fail_at(p, FW_ERR_SYNTAX, v[i]->key_line, v[i]->key_column,
                         "key \"%.64s\" appears twice in one object (first at %u:%u)", v[i]->key,
                         v[i - 1]->key_line, v[i - 1]->key_column);
    free(v);
    return rc;
}

static int parse_container(parser_t *p, fw_json_t *v, bool object)
{
    char b[16];
    uint32_t l0 = p->line, c0 = p->col;
    if (++p->depth > FW_JSON_MAX_DEPTH)
        return FAIL("more than %d levels of nesting", FW_JSON_MAX_DEPTH);
    v->type = object ? FW_JSON_OBJECT : FW_JSON_ARRAY;
    char close = object ? '}' : ']';
    const char *what = object ? "an object" : "an array";
    advance(p);
    skip_ws(p);
    fw_json_t **tail = &v->child;
    if (p->pos < p->n && p->s[p->pos] == close) {
        advance(p);
        p->depth--;
        return 0;
    }
    for (;;) {
        if (p->pos >= p->n)
            return FAIL("the file ends inside %s (opened at %u:%u)", what, l0, c0);
        fw_json_t *m = arena_alloc(p->doc, sizeof *m);
        if (!m)
            return fw_fail(p->err, FW_ERR_NOMEM, "%s: out of memory", p->file);
        memset(m, 0, sizeof *m);
        int rc;
        if (object) {
            if (p->s[p->pos] != '"')
                return FAIL("expected a key in double quotes, found %s%s", found(p, b, sizeof b),
                            p->s[p->pos] == '}' ? " (a trailing comma?)" : "");
            m->key_line = p->line;
            m->key_column = p->col;
            if ((rc = parse_string(p, &m->key, &m->key_len)) != 0)
                return rc;
            skip_ws(p);
            if (p->pos >= p->n || p->s[p->pos] != ':')
                return FAIL("expected ':' after the key \"%.64s\", found %s", m->key,
                            found(p, b, sizeof b));
            advance(p);
            skip_ws(p);
        }
        if (!object && p->pos < p->n && p->s[p->pos] == ']')
            return FAIL("expected a value, found ']' (a trailing comma?)");
        if ((rc = parse_value(p, m)) != 0)
            return rc;
        *tail = m;
        tail = &m->next;
        v->count++;
        skip_ws(p);
        if (p->pos < p->n && p->s[p->pos] == ',') {
            advance(p);
            skip_ws(p);
            continue;
        }
        if (p->pos < p->n && p->s[p->pos] == close) {
            advance(p);
            break;
        }
        if (p->pos >= p->n)
            return FAIL("the file ends inside %s (opened at %u:%u)", what, l0, c0);
        return FAIL("expected ',' or '%c' after %s, found %s", close,
                    object ? "an object member" : "an array element", found(p, b, sizeof b));
    }
    p->depth--;
    return object ? check_duplicates(p, v) : 0;
}

static int literal(parser_t *p, const char *word, fw_json_type_t t, fw_json_t *v)
{
    size_t n = strlen(word);
    if (p->n - p->pos < n || memcmp(p->s + p->pos, word, n) != 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        advance(p);
    v->type = t;
    return 0;
}

static int parse_value(parser_t *p, fw_json_t *v)
{
    char b[16];
    v->line = p->line;
    v->column = p->col;
    if (p->pos >= p->n)
        return FAIL("expected a value, found the end of the file");
    unsigned char c = p->s[p->pos];
    if (c == '{' || c == '[')
        return parse_container(p, v, c == '{');
    if (c == '"') {
        v->type = FW_JSON_STRING;
        return parse_string(p, &v->str, &v->len);
    }
    if (c == '-' || (c >= '0' && c <= '9'))
        return parse_number(p, v);
    if (literal(p, "true", FW_JSON_TRUE, v) == 0 || literal(p, "false", FW_JSON_FALSE, v) == 0 ||
        literal(p, "null", FW_JSON_NULL, v) == 0)
        return 0;
    if (c == '\'')
        return FAIL("strings are in double quotes in JSON, not single");
    if (c == '/' && p->pos + 1 < p->n && (p->s[p->pos + 1] == '/' || p->s[p->pos + 1] == '*'))
        return FAIL("JSON has no comments");
    return FAIL("expected a value (object, array, string, number, true, false or null), "
                "found %s", found(p, b, sizeof b));
}

int fw_json_parse(const char *file, const char *text, size_t len, fw_json_doc_t **out,
                  fw_error_t *err)
{
    if (!out || (!text && len))
        return fw_fail(err, FW_ERR_ARG, "fw_json_parse: no %s", out ? "text" : "output");
    *out = NULL;
    if (!file)
        file = "JSON";
    if (len > FW_JSON_MAX_TEXT)
        return fw_fail(err, FW_ERR_OVERSIZED, "%s: %zu bytes: more than the %u a build file "
                       "may have", file, len, FW_JSON_MAX_TEXT);
    fw_json_doc_t *d = calloc(1, sizeof *d);
    if (!d)
        return fw_fail(err, FW_ERR_NOMEM, "%s: out of memory", file);
    parser_t p = {file, (const unsigned char *)text, len, 0, 1, 1, d, err, 0};
    int rc = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        rc = fw_fail(err, FW_ERR_SYNTAX, "%s:1:1: a UTF-8 byte-order mark: JSON text starts "
                     "without one", file);
    if (!rc) {
        skip_ws(&p);
        if (p.pos >= p.n)
            rc = fw_fail(err, FW_ERR_SYNTAX, "%s:%u:%u: no JSON value: the file is %s", file,
                         p.line, p.col, len ? "blank" : "empty");
    }
    if (!rc) {
        d->root = arena_alloc(d, sizeof *d->root);
        if (!d->root)
            rc = fw_fail(err, FW_ERR_NOMEM, "%s: out of memory", file);
        else {
            memset(d->root, 0, sizeof *d->root);
            rc = parse_value(&p, d->root);
        }
    }
    if (!rc) {
        skip_ws(&p);
        if (p.pos < p.n) {
            char b[16];
            rc = fail_at(&p, FW_ERR_SYNTAX, p.line, p.col,
                         "text after the JSON value: %s (one value per file)",
                         found(&p, b, sizeof b));
        }
    }
    if (rc) {
        fw_json_free(d);
        return rc;
    }
    *out = d;
    return 0;
}

int fw_json_opt_string(const char *file, const fw_json_t *obj, const char *key, const char *where,
                       const fw_json_t **out, fw_error_t *err)
{
    const fw_json_t *m = fw_json_get(obj, key);
    *out = m;
    if (m && m->type != FW_JSON_STRING)
        return fw_fail(err, FW_ERR_SHAPE, "%s:%u:%u: %s\"%s\" must be a string, not %s", file, m->line, m->column,
                       where, key, fw_json_type_name(m->type));
    return 0;
}

int fw_json_copy_string(const char *file, const fw_json_t *obj, const char *key, const char *where, char *dst,
                        size_t size, fw_error_t *err)
{
    const fw_json_t *m;
    int rc = fw_json_opt_string(file, obj, key, where, &m, err);
    if (!rc && m) {
        if (m->len >= size)
            return fw_fail(err, FW_ERR_RANGE, "%s:%u:%u: %s\"%s\" is %zu bytes long: at most %zu", file, m->line,
                           m->column, where, key, m->len, size - 1);
        memcpy(dst, m->str, m->len);
        dst[m->len] = '\0';
    }
    return rc;
}

int fw_json_parse_object(const char *file, const char *text, size_t len, const char *shape, fw_json_doc_t **out,
                         fw_error_t *err)
{
    int rc = fw_json_parse(file, text, len, out, err);
    if (rc)
        return rc;
    const fw_json_t *root = fw_json_root(*out);
    if (root->type == FW_JSON_OBJECT)
        return 0;
    rc = fw_fail(err, FW_ERR_SHAPE, "%s:%u:%u: the file holds %s: %s", file, root->line, root->column,
                 fw_json_type_name(root->type), shape);
    fw_json_free(*out);
    *out = NULL;
    return rc;
}
