/* fw_partition_csv.c - partitions.csv, read as ESP-IDF's gen_esp32part.py reads it: its
 * line splitting and whitespace (Python's str.splitlines and str.strip), environment
 * variables, fields, names and numbers (Python's int(x, 0) plus K/M suffixes), the
 * bootloader and partition-table entries whose offset and size come from the options,
 * and its placement of blank offsets.  Positions are kept for every field so each
 * error names file:line:column. */
#include "fw_partition_int.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *file;
    const fw_ptable_opts_t *o;
    fw_ptable_t *out;
    fw_error_t *err;
    char *buf;                           /* the current line after $NAME expansion */
    size_t cap;
    int64_t size[FW_PTABLE_MAX_ENTRIES]; /* as written: negative = up to that address */
    bool placed[FW_PTABLE_MAX_ENTRIES];  /* the offset was given (or implied) */
} csv_t;

/* A field of the current line: its stripped text and where it starts. */
typedef struct {
    const char *s;
    size_t n;
    uint32_t col;
} field_t;

/* ---- lines ---- */

static int fail_at(csv_t *c, int code, uint32_t line, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int fail_at(csv_t *c, int code, uint32_t line, uint32_t col, const char *fmt, ...)
{
    char msg[FW_ERR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return fw_fail(c->err, code, "%s:%" PRIu32 ":%" PRIu32 ": %s", c->file, line, col, msg);
}

static bool buf_put(csv_t *c, size_t *len, const char *s, size_t n)
{
    if (*len + n + 1 > c->cap) {
        size_t cap = c->cap ? c->cap : 256;
        while (cap < *len + n + 1)
            cap *= 2;
        char *b = realloc(c->buf, cap);
        if (!b)
            return false;
        c->buf = b;
        c->cap = cap;
    }
    memcpy(c->buf + *len, s, n);
    *len += n;
    c->buf[*len] = '\0';
    return true;
}

static bool is_word(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
}

/* os.path.expandvars: $NAME ([A-Za-z0-9_]+) and ${ANYTHING} replaced by the variable
 * when it is set and left as written otherwise; replacements are not scanned again. */
static int expand(csv_t *c, const char *s, size_t n, const char **line, size_t *len)
{
    *len = 0;
    if (!c->o->expand_env || !memchr(s, '$', n)) {
        *line = s;
        *len = n;
        return 0;
    }
    size_t i = 0;
    while (i < n) {
        const char *dollar = memchr(s + i, '$', n - i);
        size_t at = dollar ? (size_t)(dollar - s) : n;
        if (!buf_put(c, len, s + i, at - i))
            return -1;
        if (at == n)
            break;
        size_t name = at + 1, end = name;
        bool braced = name < n && s[name] == '{';
        if (braced) {
            const char *close = memchr(s + name, '}', n - name);
            end = close ? (size_t)(close - s) : name;
            name++;
        } else {
            while (end < n && is_word(s[end]))
                end++;
        }
        size_t stop = braced ? end + 1 : end; /* past the whole $... */
        if ((braced && end == name - 1) || (!braced && end == name)) {
            /* not a variable reference: keep the '$' and go on after it */
            if (!buf_put(c, len, "$", 1))
                return -1;
            i = at + 1;
            continue;
        }
        char var[256];
        const char *value = NULL;
        if (end - name < sizeof var) {
            memcpy(var, s + name, end - name);
            var[end - name] = '\0';
            value = getenv(var);
        }
        if (value ? !buf_put(c, len, value, strlen(value)) : !buf_put(c, len, s + at, stop - at))
            return -1;
        i = stop;
    }
    if (*len == 0 && !buf_put(c, len, "", 0))
        return -1;
    *line = c->buf;
    return 0;
}

/* Split the (expanded) line into six fields, as line + ',,,,' split at ',' and each
 * stripped; fields past the end are empty and sit just past the line's end. */
static void split_fields(const char *line, size_t a, size_t b, field_t f[FW_CSV_FIELDS])
{
    size_t at = a;
    for (int i = 0; i < FW_CSV_FIELDS; i++) {
        if (at > b) {
            f[i].s = line + b;
            f[i].n = 0;
            f[i].col = fw_column_of(line, b);
            continue;
        }
        const char *comma = memchr(line + at, ',', b - at);
        size_t end = comma ? (size_t)(comma - line) : b;
        size_t fa = at, fb = end;
        fw_strip(line, &fa, &fb);
        f[i].s = line + fa;
        f[i].n = fb - fa;
        f[i].col = fw_column_of(line, fa);
        at = end + 1;
    }
}

/* ---- entries ---- */

static bool is_primary_boot_or_table(const fw_partition_t *p)
{
    return (p->type == FW_PART_TYPE_BOOTLOADER && p->subtype == FW_PART_SUBTYPE_BOOTLOADER_PRIMARY) ||
           (p->type == FW_PART_TYPE_PARTITION_TABLE &&
            p->subtype == FW_PART_SUBTYPE_PARTITION_TABLE_PRIMARY);
}

#define F(f) (int)(f).n, (f).s
#define NUMBER_SYNTAX "a number: decimal, 0x hex, 0o octal or 0b binary, with an optional K or M suffix"

static int need_bootloader_offset(csv_t *c, const fw_partition_t *p, int field, bool recovery)
{
    return fail_at(c, FW_ERR_RULE, p->line, p->column[field],
                   "a bootloader partition needs the %s bootloader's offset (gen_esp32part.py's "
                   "--%s-bootloader-offset)", recovery ? "recovery" : "primary",
                   recovery ? "recovery" : "primary");
}

static int parse_type(csv_t *c, fw_partition_t *p, const field_t *f)
{
    int64_t v = 0;
    if (f->n == 0)
        return fail_at(c, FW_ERR_SYNTAX, p->line, f->col, "the type can't be left empty");
    int r = fw_parse_number(f->s, f->n, fw_type_keywords, fw_type_keyword_count, &v);
    if (r == FW_NUM_BAD)
        return fail_at(c, FW_ERR_SYNTAX, p->line, f->col,
                       "unknown type '%.*s' (known: bootloader, partition_table, app, data; or a "
                       "number)", F(*f));
    if (r == FW_NUM_RANGE || v < 0 || v > 0xFF)
        return fail_at(c, FW_ERR_RANGE, p->line, f->col, "type '%.*s' is out of range (0 to 0xff)",
                       F(*f));
    p->type = (uint8_t)v;
    return 0;
}

static int parse_subtype(csv_t *c, fw_partition_t *p, const field_t *f)
{
    int64_t v = FW_PART_SUBTYPE_DATA_UNDEFINED;
    if (f->n == 0) {
        if (p->type == FW_PART_TYPE_APP)
            return fail_at(c, FW_ERR_SYNTAX, p->line, f->col,
                           "an app partition can't have an empty subtype");
    } else {
        size_t nkw;
        const fw_keyword_t *kw = fw_subtype_keywords(p->type, &nkw);
        int r = fw_parse_number(f->s, f->n, kw, nkw, &v);
        if (r == FW_NUM_BAD && nkw) {
            char known[400];
            fw_keyword_list(known, sizeof known, kw, nkw);
            return fail_at(c, FW_ERR_SYNTAX, p->line, f->col,
                           "unknown subtype '%.*s' for type %s (known: %s; or a number)", F(*f),
                           fw_part_type_name(p->type), known);
        }
        if (r == FW_NUM_BAD)
            return fail_at(c, FW_ERR_SYNTAX, p->line, f->col,
                           "subtype '%.*s' is not a number (type 0x%02x has no named subtypes)",
                           F(*f), p->type);
        if (r == FW_NUM_RANGE || v < 0 || v > 0xFF)
            return fail_at(c, FW_ERR_RANGE, p->line, f->col,
                           "subtype '%.*s' is out of range (0 to 0xff)", F(*f));
    }
    p->subtype = (uint8_t)v;
    return 0;
}

/* The offset: the options' for the primary and recovery bootloader and the primary
 * table (whatever the field says), else the field's, else placed later. */
static int parse_offset(csv_t *c, fw_partition_t *p, const field_t *f, bool *placed)
{
    const fw_ptable_opts_t *o = c->o;
    int64_t v = 0;
    *placed = true;
    if (p->type == FW_PART_TYPE_BOOTLOADER && p->subtype == FW_PART_SUBTYPE_BOOTLOADER_PRIMARY) {
        if (o->primary_bootloader_offset == FW_OFFSET_UNSET)
            return need_bootloader_offset(c, p, FW_CSV_OFFSET, false);
        v = o->primary_bootloader_offset;
    } else if (p->type == FW_PART_TYPE_BOOTLOADER &&
               p->subtype == FW_PART_SUBTYPE_BOOTLOADER_RECOVERY) {
        if (o->recovery_bootloader_offset == FW_OFFSET_UNSET)
            return need_bootloader_offset(c, p, FW_CSV_OFFSET, true);
        v = o->recovery_bootloader_offset;
    } else if (p->type == FW_PART_TYPE_PARTITION_TABLE &&
               p->subtype == FW_PART_SUBTYPE_PARTITION_TABLE_PRIMARY) {
        v = o->table_offset;
    } else if (f->n == 0) {
        *placed = false;
    } else {
        int r = fw_parse_number(f->s, f->n, NULL, 0, &v);
        if (r == FW_NUM_BAD)
            return fail_at(c, FW_ERR_SYNTAX, p->line, f->col, "bad offset '%.*s' (" NUMBER_SYNTAX ")",
                           F(*f));
        if (r == FW_NUM_RANGE || v < 0 || v > (int64_t)UINT32_MAX)
            return fail_at(c, FW_ERR_RANGE, p->line, f->col,
                           "offset '%.*s' is out of range (0 to 0xffffffff)", F(*f));
    }
    p->offset = (uint32_t)v;
    return 0;
}

/* The size: implied for bootloaders (up to the table) and tables (one sector). */
static int parse_size(csv_t *c, fw_partition_t *p, const field_t *f, int64_t *size)
{
    const fw_ptable_opts_t *o = c->o;
    if (p->type == FW_PART_TYPE_BOOTLOADER) {
        if (o->primary_bootloader_offset == FW_OFFSET_UNSET)
            return need_bootloader_offset(c, p, FW_CSV_SIZE, false);
        *size = (int64_t)o->table_offset - o->primary_bootloader_offset;
        return 0;
    }
    if (p->type == FW_PART_TYPE_PARTITION_TABLE) {
        *size = FW_PTABLE_SECTOR_SIZE;
        return 0;
    }
    if (f->n == 0)
        return fail_at(c, FW_ERR_SYNTAX, p->line, f->col, "the size can't be left empty");
    int r = fw_parse_number(f->s, f->n, NULL, 0, size);
    if (r == FW_NUM_BAD)
        return fail_at(c, FW_ERR_SYNTAX, p->line, f->col, "bad size '%.*s' (" NUMBER_SYNTAX ")",
                       F(*f));
    if (r == FW_NUM_RANGE || *size > (int64_t)UINT32_MAX || *size < -(int64_t)UINT32_MAX)
        return fail_at(c, FW_ERR_RANGE, p->line, f->col,
                       "size '%.*s' is out of range (up to 0xffffffff; a negative size is the end "
                       "address)", F(*f));
    return 0;
}

static int parse_flags(csv_t *c, fw_partition_t *p, const char *line, const field_t *f)
{
    size_t i = 0;
    while (i <= f->n) {
        const char *colon = memchr(f->s + i, ':', f->n - i);
        size_t end = colon ? (size_t)(colon - f->s) : f->n;
        const char *s = f->s + i;
        size_t n = end - i;
        if (n == 9 && memcmp(s, "encrypted", 9) == 0)
            p->flags |= FW_PART_FLAG_ENCRYPTED;
        else if (n == 8 && memcmp(s, "readonly", 8) == 0)
            p->flags |= FW_PART_FLAG_READONLY;
        else if (n)
            return fail_at(c, FW_ERR_SYNTAX, p->line, fw_column_of(line, (size_t)(s - line)),
                           "unknown flag '%.*s' (flags: encrypted, readonly, joined by ':')",
                           (int)n, s);
        i = end + 1;
    }
    return 0;
}

static int parse_line(csv_t *c, uint32_t lineno, const char *line, size_t len)
{
    /* A line that starts with a variable left unexpanded is refused, as by the script. */
    if (c->o->expand_env && len >= 2 && line[0] == '$' && is_word(line[1]) &&
        !(line[1] >= '0' && line[1] <= '9')) {
        size_t e = 2;
        while (e < len && is_word(line[e]))
            e++;
        return fail_at(c, FW_ERR_SYNTAX, lineno, 1, "unknown variable '%.*s'", (int)(e - 1),
                       line + 1);
    }
    size_t a = 0, b = len;
    fw_strip(line, &a, &b);
    if (a == b || line[a] == '#')
        return 0;
    field_t f[FW_CSV_FIELDS];
    split_fields(line, a, b, f);

    fw_ptable_t *t = c->out;
    size_t room = FW_PTABLE_SLOTS - 1 - (c->o->md5 ? 1 : 0);
    if (t->count >= room)
        return fail_at(c, FW_ERR_OVERSIZED, lineno, f[FW_CSV_NAME].col,
                       "partition %zu: a binary table holds at most %zu partitions%s", t->count + 1,
                       room, c->o->md5 ? " and its MD5 record" : "");
    fw_partition_t *p = &t->entries[t->count];
    memset(p, 0, sizeof *p);
    p->line = lineno;
    for (int i = 0; i < FW_CSV_FIELDS; i++)
        p->column[i] = f[i].col;

    if (f[FW_CSV_NAME].n > FW_PART_LABEL_MAX)
        return fail_at(c, FW_ERR_LABEL, lineno, f[FW_CSV_NAME].col,
                       "label '%.*s' is %zu bytes long; a partition label holds at most %d",
                       F(f[FW_CSV_NAME]), f[FW_CSV_NAME].n, FW_PART_LABEL_MAX);
    memcpy(p->label, f[FW_CSV_NAME].s, f[FW_CSV_NAME].n);

    int rc;
    bool placed;
    int64_t size = 0;
    if ((rc = parse_type(c, p, &f[FW_CSV_TYPE])) || (rc = parse_subtype(c, p, &f[FW_CSV_SUBTYPE])) ||
        (rc = parse_offset(c, p, &f[FW_CSV_OFFSET], &placed)) ||
        (rc = parse_size(c, p, &f[FW_CSV_SIZE], &size)) ||
        (rc = parse_flags(c, p, line, &f[FW_CSV_FLAGS])))
        return rc;
    c->size[t->count] = size;
    c->placed[t->count] = placed;
    t->count++;
    return 0;
}

/* gen_esp32part.py's from_csv, second half: blank offsets go after the previous
 * partition (apps on 64 KB, others on 4 KB), given ones must not go back, negative sizes
 * become sizes.  The primary bootloader and table keep their places and are skipped. */
static int place(csv_t *c)
{
    fw_ptable_t *t = c->out;
    int64_t table_end = (int64_t)c->o->table_offset + FW_PTABLE_SECTOR_SIZE;
    int64_t last_end = table_end;
    for (size_t i = 0; i < t->count; i++) {
        fw_partition_t *p = &t->entries[i];
        if (is_primary_boot_or_table(p)) {
            p->size = (uint32_t)c->size[i];
            continue;
        }
        if (c->placed[i] && p->offset < last_end) {
            /* The script's first message is for the first entry, or one equal to it. */
            const fw_partition_t *q = &t->entries[0];
            bool first = i == 0 || (strcmp(p->label, q->label) == 0 && p->type == q->type &&
                                    p->subtype == q->subtype && p->offset == q->offset &&
                                    c->size[i] == c->size[0]);
            if (first)
                return fail_at(c, FW_ERR_OVERLAP, p->line, p->column[FW_CSV_OFFSET],
                               "partition '%s': offset 0x%" PRIx32 " is inside the partition "
                               "table's sector at 0x%" PRIx32 ": use 0x%" PRIx64 " or higher",
                               p->label, p->offset, c->o->table_offset, (uint64_t)table_end);
            return fail_at(c, FW_ERR_OVERLAP, p->line, p->column[FW_CSV_OFFSET],
                           "partition '%s': offset 0x%" PRIx32 " overlaps the partitions before "
                           "it, which end at 0x%" PRIx64, p->label, p->offset,
                           (uint64_t)last_end - 1);
        }
        if (!c->placed[i]) {
            int64_t align = p->type == FW_PART_TYPE_APP ? 0x10000 : 0x1000;
            last_end = (last_end + align - 1) / align * align;
            if (last_end > (int64_t)UINT32_MAX)
                return fail_at(c, FW_ERR_RANGE, p->line, p->column[FW_CSV_OFFSET],
                               "partition '%s' would start at 0x%" PRIx64 ", past 4 GB",
                               p->label, (uint64_t)last_end);
            p->offset = (uint32_t)last_end;
        }
        int64_t size = c->size[i];
        if (size < 0) {
            size = -size - p->offset;
            if (size < 0)
                return fail_at(c, FW_ERR_RANGE, p->line, p->column[FW_CSV_SIZE],
                               "partition '%s': a negative size gives the end address, and "
                               "0x%" PRIx64 " is below its offset 0x%" PRIx32, p->label,
                               (uint64_t)-c->size[i], p->offset);
            c->size[i] = size;
        }
        p->size = (uint32_t)size;
        last_end = (int64_t)p->offset + size;
    }
    return 0;
}

int fw_ptable_parse_csv(const char *file, const char *text, size_t len,
                        const fw_ptable_opts_t *opts, fw_ptable_t *out, fw_error_t *err)
{
    fw_ptable_opts_t defaults;
    if (!opts) {
        fw_ptable_opts_default(&defaults);
        opts = &defaults;
    }
    if (!out || (!text && len))
        return fw_fail(err, FW_ERR_ARG, "fw_ptable_parse_csv: no %s", out ? "text" : "output");
    out->count = 0;
    out->has_md5 = false;
    if (!file)
        file = "partitions.csv";
    int64_t boot = opts->primary_bootloader_offset, recovery = opts->recovery_bootloader_offset;
    if (boot != FW_OFFSET_UNSET && (boot < 0 || boot >= (int64_t)opts->table_offset))
        return fw_fail(err, FW_ERR_ARG,
                       "%s: the primary bootloader's offset 0x%" PRIx64 " must be below the "
                       "partition table's 0x%" PRIx32, file, (uint64_t)boot, opts->table_offset);
    if (recovery != FW_OFFSET_UNSET && (recovery < 0 || recovery > (int64_t)UINT32_MAX))
        return fw_fail(err, FW_ERR_ARG, "%s: the recovery bootloader's offset is out of range", file);

    csv_t c = {.file = file, .o = opts, .out = out, .err = err};
    const unsigned char *u = (const unsigned char *)text;
    size_t pos = 0;
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
        pos = 3; /* a UTF-8 byte-order mark */
    else if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF) ||
                          (len >= 4 && !u[0] && !u[1] && u[2] == 0xFE && u[3] == 0xFF)))
        return fw_fail(err, FW_ERR_SYNTAX,
                       "%s:1:1: a UTF-16 or UTF-32 file (byte-order mark): save it as UTF-8", file);

    int rc = 0;
    uint32_t lineno = 0;
    while (pos < len && rc == 0) {
        lineno++;
        size_t start = pos, end = pos;
        while (rc == 0) {
            uint32_t cp;
            size_t k = pos < len ? fw_utf8_char(u + pos, len - pos, &cp) : 0;
            if (pos == len) {
                end = pos;
                break;
            }
            if (k == 0 || cp == 0) {
                uint32_t col = fw_column_of(text + start, pos - start);
                if (k)
                    rc = fail_at(&c, FW_ERR_SYNTAX, lineno, col, "a NUL character");
                else
                    rc = fail_at(&c, FW_ERR_SYNTAX, lineno, col, "not valid UTF-8 (byte 0x%02x)",
                                 u[pos]);
                break;
            }
            if (fw_is_line_break(cp)) {
                end = pos;
                pos += k;
                if (cp == '\r' && pos < len && u[pos] == '\n')
                    pos++;
                break;
            }
            pos += k;
        }
        if (rc)
            break;
        const char *line;
        size_t n;
        if (expand(&c, text + start, end - start, &line, &n) != 0)
            rc = fw_fail(err, FW_ERR_NOMEM, "%s:%" PRIu32 ":1: out of memory", file, lineno);
        else
            rc = parse_line(&c, lineno, line, n);
    }
    free(c.buf);
    if (rc == 0)
        rc = place(&c);
    if (rc == 0)
        rc = opts->verify ? fw_ptable_verify(file, out, opts, err) : fw_check_flash_size(file, out, opts, err);
    if (rc)
        out->count = 0;
    return rc;
}
