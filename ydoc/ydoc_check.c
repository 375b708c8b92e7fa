/* ydoc_check.c - the strict pre-check of a ydoc tree against a libcyaml schema (unknown
 * and missing keys, enum and flag names, numbers, booleans, string and list lengths, each
 * refused at its exact position), then the load into C structs by libcyaml itself. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ydoc.h"

static const char *kind_name(ydoc_kind_t k)
{
    return k == YDOC_SCALAR ? "a scalar" : k == YDOC_MAPPING ? "a mapping" : "a sequence";
}

static int check_enum_value(const ydoc_t *doc, const ydoc_node_t *node,
                            const cyaml_schema_value_t *s, ydoc_err_t *err, const char *what)
{
    if (node->kind != YDOC_SCALAR)
        return ydoc_fail(err, doc, node, "expected %s name, found %s", what, kind_name(node->kind));
    for (uint32_t i = 0; i < s->enumeration.count; i++)
        if (strcmp(s->enumeration.strings[i].str, node->value) == 0)
            return 0;
    char names[320] = "";
    for (uint32_t i = 0; i < s->enumeration.count; i++)
        ydoc_list_add(names, sizeof names, s->enumeration.strings[i].str);
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
    int rc = 0;
    bool unknown = false;
    /* Collecting (ydoc_collecting), a bad key or value does not hide its siblings'. */
    for (size_t i = 0; i < node->count; i++) {
        const cyaml_schema_field_t *f = fields;
        while (f->key && strcmp(f->key, node->keys[i]->value) != 0)
            f++;
        if (!f->key) {
            char names[400] = "";
            for (const cyaml_schema_field_t *g = fields; g->key; g++)
                ydoc_list_add(names, sizeof names, g->key);
            rc = ydoc_fail(err, doc, node->keys[i], "unknown key '%s' (expected one of: %s)",
                           node->keys[i]->value, names);
            unknown = true;
            if (!ydoc_collecting())
                return rc;
            continue;
        }
        /* "key:" with nothing after it is a YAML null; the checks below would call it
         * "'' is not a number" or "shorter than 1 characters", which hides the cause. */
        const ydoc_node_t *v = node->items[i];
        bool may_be_empty = f->value.type == CYAML_IGNORE ||
                            (f->value.type == CYAML_STRING && f->value.string.min == 0);
        if (v->kind == YDOC_SCALAR && !v->quoted && v->value[0] == '\0' && !may_be_empty)
            rc = ydoc_fail(err, doc, node->keys[i], "'%s' has no value", f->key);
        else if (check_value(doc, v, &f->value, err))
            rc = -1;
        if (rc && !ydoc_collecting())
            return rc;
    }
    for (const cyaml_schema_field_t *f = fields; f->key; f++) {
        if (f->value.flags & CYAML_FLAG_OPTIONAL)
            continue;
        /* Beside an unknown key (most often the required one misspelt), "missing" would
         * only repeat it. */
        if (!ydoc_get(node, f->key) && !unknown) {
            rc = ydoc_fail(err, doc, node, "missing required key '%s'", f->key);
            if (!ydoc_collecting())
                return rc;
        }
    }
    return rc;
}

/* Every item of a sequence: flag names, or values of the entry schema `s`.  Collecting,
 * a bad item does not hide the next. */
static int check_items(const ydoc_t *doc, const ydoc_node_t *node, const cyaml_schema_value_t *s,
                       ydoc_err_t *err, bool flags)
{
    int rc = 0;
    for (size_t i = 0; i < node->count; i++) {
        if (flags ? check_enum_value(doc, node->items[i], s, err, "flag") : check_value(doc, node->items[i], s, err)) {
            rc = -1;
            if (!ydoc_collecting())
                break;
        }
    }
    return rc;
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
        return check_items(doc, node, s, err, true);
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
        return check_items(doc, node, s->sequence.entry, err, false);
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
