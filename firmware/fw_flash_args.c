/* fw_flash_args.c - flasher_args.json and flash_args: the images a build flashes, at their
 * offsets, with the flash settings; and their check against the files and the flash.
 * sdkconfig and project_description.json are fw_build_config.c's. */
#include "fw_flash_args.h"
#include "fw_json.h"
#include "fw_partition_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_TEXT (16u << 20)

/* ---- numbers as esptool reads them (Python's int(x, 0)) ---- */

static bool parse_offset(const char *s, size_t n, uint64_t *out)
{
    unsigned base = 10;
    size_t i = 0;
    if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        base = 16, i = 2;
    else if (n > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'O'))
        base = 8, i = 2;
    else if (n > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
        base = 2, i = 2;
    else if (n > 1 && s[0] == '0')
        return false; /* int("010", 0) is an error */
    if (i >= n)
        return false;
    uint64_t v = 0;
    for (; i < n; i++) {
        unsigned c = (unsigned char)s[i], d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return false;
        if (d >= base)
            return false;
        if (v > (UINT64_MAX - d) / base)
            return false;
        v = v * base + d;
    }
    *out = v;
    return true;
}

uint64_t fw_flash_size_bytes(const char *s)
{
    if (!s)
        return 0;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || s[0] < '0' || s[0] > '9')
        return 0;
    if (strcmp(end, "MB") == 0 && v <= (1ull << 20))
        return v << 20;
    if (strcmp(end, "KB") == 0 && v <= (1ull << 30))
        return v << 10;
    return 0;
}

/* ---- the list ---- */

static int cmp_image(const void *a, const void *b)
{
    const fw_flash_image_t *x = a, *y = b;
    return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static int add_image(const char *file, fw_flash_args_t *a, uint64_t offset, const char *path,
                     size_t path_len, uint32_t line, uint32_t col, fw_error_t *err)
{
    if (a->count == FW_FLASH_MAX_IMAGES)
        return fw_fail(err, FW_ERR_OVERSIZED, "%s:%u:%u: more than %d images", file, line, col,
                       FW_FLASH_MAX_IMAGES);
    if (offset > UINT32_MAX)
        return fw_fail(err, FW_ERR_RANGE, "%s:%u:%u: offset 0x%" PRIx64 " is beyond 32 bits: no "
                       "flash is that large", file, line, col, offset);
    if (path_len == 0)
        return fw_fail(err, FW_ERR_SHAPE, "%s:%u:%u: an empty file name", file, line, col);
    if (path_len >= FW_FLASH_PATH_MAX)
        return fw_fail(err, FW_ERR_RANGE, "%s:%u:%u: a file name of %zu bytes: at most %d", file,
                       line, col, path_len, FW_FLASH_PATH_MAX - 1);
    if (memchr(path, '\0', path_len))
        return fw_fail(err, FW_ERR_SHAPE, "%s:%u:%u: a NUL character in a file name", file, line,
                       col);
    fw_flash_image_t *im = &a->images[a->count++];
    memset(im, 0, sizeof *im);
    im->offset = offset;
    memcpy(im->file, path, path_len);
    im->line = line;
    im->column = col;
    return 0;
}

static void copy_str(char *dst, size_t size, const char *src, size_t n)
{
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

#define SHAPE(node, ...) fw_fail(err, FW_ERR_SHAPE, "%s:%u:%u: " FIRST(__VA_ARGS__), file, \
                                 (node)->line, (node)->column REST(__VA_ARGS__))
#define FIRST(a, ...) a
#define REST(a, ...) , ##__VA_ARGS__

static int from_json(const char *file, const fw_json_t *root, fw_flash_args_t *a, fw_error_t *err)
{
    const fw_json_t *files = fw_json_get(root, "flash_files");
    if (!files)
        return SHAPE(root, "no \"flash_files\": flasher_args.json lists its images there "
                     "(\"flash_files\": {\"0x1000\": \"bootloader/bootloader.bin\", ...})");
    if (files->type != FW_JSON_OBJECT)
        return SHAPE(files, "\"flash_files\" must be an object of offsets to files, not %s",
                     fw_json_type_name(files->type));
    int rc;
    for (const fw_json_t *m = files->child; m; m = m->next) {
        uint64_t off;
        if (!parse_offset(m->key, m->key_len, &off))
            return fw_fail(err, FW_ERR_SHAPE, "%s:%u:%u: \"flash_files\": key \"%.64s\" is not an "
                           "offset (a number such as \"0x1000\")", file, m->key_line,
                           m->key_column, m->key);
        if (m->type != FW_JSON_STRING)
            return SHAPE(m, "\"flash_files\": the file at \"%.64s\" must be a string, not %s",
                         m->key, fw_json_type_name(m->type));
        if ((rc = add_image(file, a, off, m->str, m->len, m->key_line, m->key_column, err)) != 0)
            return rc;
    }
    const fw_json_t *s = fw_json_get(root, "flash_settings");
    if (s && s->type != FW_JSON_OBJECT)
        return SHAPE(s, "\"flash_settings\" must be an object, not %s", fw_json_type_name(s->type));
    if (s && ((rc = fw_json_copy_string(file, s, "flash_mode", "flash_settings: ", a->flash_mode,
                              sizeof a->flash_mode, err)) ||
              (rc = fw_json_copy_string(file, s, "flash_freq", "flash_settings: ", a->flash_freq,
                              sizeof a->flash_freq, err)) ||
              (rc = fw_json_copy_string(file, s, "flash_size", "flash_settings: ", a->flash_size,
                              sizeof a->flash_size, err))))
        return rc;
    const fw_json_t *x = fw_json_get(root, "extra_esptool_args");
    if (x && x->type != FW_JSON_OBJECT)
        return SHAPE(x, "\"extra_esptool_args\" must be an object, not %s",
                     fw_json_type_name(x->type));
    if (x) {
        if ((rc = fw_json_copy_string(file, x, "chip", "extra_esptool_args: ", a->chip, sizeof a->chip, err)) ||
            (rc = fw_json_copy_string(file, x, "before", "extra_esptool_args: ", a->before, sizeof a->before, err)) ||
            (rc = fw_json_copy_string(file, x, "after", "extra_esptool_args: ", a->after, sizeof a->after, err)))
            return rc;
        const fw_json_t *stub = fw_json_get(x, "stub");
        if (stub && stub->type != FW_JSON_TRUE && stub->type != FW_JSON_FALSE)
            return SHAPE(stub, "extra_esptool_args: \"stub\" must be true or false, not %s",
                         fw_json_type_name(stub->type));
        if (stub)
            a->stub = stub->type == FW_JSON_TRUE;
    }
    const fw_json_t *w = fw_json_get(root, "write_flash_args");
    if (w && w->type != FW_JSON_ARRAY)
        return SHAPE(w, "\"write_flash_args\" must be an array of strings, not %s",
                     fw_json_type_name(w->type));
    for (const fw_json_t *e = w ? w->child : NULL; e; e = e->next)
        if (e->type != FW_JSON_STRING)
            return SHAPE(e, "\"write_flash_args\" holds %s: it is an array of strings",
                         fw_json_type_name(e->type));

    /* The named images: every other object member. */
    for (const fw_json_t *m = root->child; m; m = m->next) {
        if (m->type != FW_JSON_OBJECT || strcmp(m->key, "flash_files") == 0 ||
            strcmp(m->key, "flash_settings") == 0 || strcmp(m->key, "extra_esptool_args") == 0)
            continue;
        char where[FW_FLASH_NAME_MAX + 8];
        snprintf(where, sizeof where, "'%.60s': ", m->key);
        const fw_json_t *o, *f, *e;
        if ((rc = fw_json_opt_string(file, m, "offset", where, &o, err)) ||
            (rc = fw_json_opt_string(file, m, "file", where, &f, err)))
            return rc;
        if (!o || !f)
            return SHAPE(m, "image '%.60s' has no \"%s\" (an image entry is {\"offset\": ..., "
                         "\"file\": ..., \"encrypted\": ...})", m->key, o ? "file" : "offset");
        uint64_t off;
        if (!parse_offset(o->str, o->len, &off))
            return SHAPE(o, "image '%.60s': \"offset\" \"%.64s\" is not a number such as "
                         "\"0x10000\"", m->key, o->str);
        e = fw_json_get(m, "encrypted");
        bool enc = false;
        if (e && e->type == FW_JSON_STRING && (strcmp(e->str, "true") == 0 || strcmp(e->str, "false") == 0))
            enc = e->str[0] == 't';
        else if (e && (e->type == FW_JSON_TRUE || e->type == FW_JSON_FALSE))
            enc = e->type == FW_JSON_TRUE;
        else if (e)
            return SHAPE(e, "image '%.60s': \"encrypted\" must be \"true\" or \"false\"", m->key);
        fw_flash_image_t *match = NULL;
        for (size_t i = 0; i < a->count; i++)
            if (a->images[i].offset == off)
                match = &a->images[i];
        if (!match)
            return SHAPE(o, "image '%.60s' at 0x%" PRIx64 " is not in \"flash_files\"", m->key, off);
        if (strlen(match->file) != f->len || memcmp(match->file, f->str, f->len) != 0)
            return SHAPE(f, "image '%.60s' names \"%.120s\" at 0x%" PRIx64 ", but \"flash_files\" "
                         "has \"%.120s\" there (line %u)", m->key, f->str, off, match->file,
                         match->line);
        if (match->name[0])
            return SHAPE(m, "images '%.60s' and '%.60s' both name 0x%" PRIx64, match->name, m->key,
                         off);
        copy_str(match->name, sizeof match->name, m->key, m->key_len);
        match->encrypted = enc;
    }
    return 0;
}

static void reset(fw_flash_args_t *a)
{
    memset(a, 0, sizeof *a);
    a->stub = -1;
}

int fw_flash_args_parse_json(const char *file, const char *text, size_t len, fw_flash_args_t *out,
                             fw_error_t *err)
{
    if (!out)
        return fw_fail(err, FW_ERR_ARG, "fw_flash_args_parse_json: no output");
    reset(out);
    if (!file)
        file = "flasher_args.json";
    fw_json_doc_t *doc;
    int rc = fw_json_parse_object(file, text, len, "flasher_args.json is an object with \"flash_files\"", &doc, err);
    if (rc)
        return rc;
    rc = from_json(file, fw_json_root(doc), out, err);
    fw_json_free(doc);
    if (rc)
        reset(out);
    else
        qsort(out->images, out->count, sizeof out->images[0], cmp_image);
    return rc;
}

/* ---- flash_args ---- */

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

int fw_flash_args_parse_text(const char *file, const char *text, size_t len, fw_flash_args_t *out,
                             fw_error_t *err)
{
    if (!out || (!text && len))
        return fw_fail(err, FW_ERR_ARG, "fw_flash_args_parse_text: no %s", out ? "text" : "output");
    reset(out);
    if (!file)
        file = "flash_args";
    int rc = 0;
    uint32_t line = 0;
    for (size_t at = 0; at < len && !rc;) {
        line++;
        size_t eol = at;
        while (eol < len && text[eol] != '\n')
            eol++;
        const size_t ls = at;
        size_t b = at, e = eol;
        at = eol + 1;
        if (e > b && text[e - 1] == '\r')
            e--;
        for (size_t i = b; i < e; i++)
            if ((unsigned char)text[i] < 0x20 && text[i] != '\t') {
                rc = fw_fail(err, FW_ERR_SYNTAX, "%s:%u:%u: a control character (byte 0x%02x): "
                             "flash_args is text", file, line, fw_column_of(text + ls, i - ls),
                             (unsigned char)text[i]);
                break;
            }
        if (rc)
            break;
        while (b < e && is_space(text[b]))
            b++;
        while (e > b && is_space(text[e - 1]))
            e--;
        if (b == e)
            continue;
        if (text[b] == '-') {
            /* the options line */
            size_t i = b;
            while (i < e && !rc) {
                size_t ts = i;
                while (i < e && !is_space(text[i]))
                    i++;
                size_t tl = i - ts;
                const char *t = text + ts;
                const char *eq = memchr(t, '=', tl);
                size_t nl = eq ? (size_t)(eq - t) : tl;
                char *dst = NULL;
                size_t dsize = 0;
                static const char *const names[][2] = {{"--flash-mode", "--flash_mode"},
                                                       {"--flash-freq", "--flash_freq"},
                                                       {"--flash-size", "--flash_size"}};
                char *fields[] = {out->flash_mode, out->flash_freq, out->flash_size};
                for (int k = 0; k < 3; k++)
                    for (int s = 0; s < 2; s++)
                        if (strlen(names[k][s]) == nl && memcmp(t, names[k][s], nl) == 0) {
                            dst = fields[k];
                            dsize = 16;
                        }
                uint32_t col = fw_column_of(text + ls, ts - ls);
                if (!dst) {
                    rc = fw_fail(err, FW_ERR_SYNTAX, "%s:%u:%u: unknown option '%.*s' (flash_args "
                                 "gives --flash-mode, --flash-freq and --flash-size)", file, line,
                                 col, (int)(nl > 64 ? 64 : nl), t);
                    break;
                }
                const char *v;
                size_t vl;
                if (eq) {
                    v = eq + 1;
                    vl = tl - nl - 1;
                } else {
                    while (i < e && is_space(text[i]))
                        i++;
                    size_t vs = i;
                    while (i < e && !is_space(text[i]))
                        i++;
                    v = text + vs;
                    vl = i - vs;
                }
                if (vl == 0 || v[0] == '-') {
                    rc = fw_fail(err, FW_ERR_SYNTAX, "%s:%u:%u: option '%.*s' wants a value", file,
                                 line, col, (int)nl, t);
                    break;
                }
                if (vl >= dsize) {
                    rc = fw_fail(err, FW_ERR_RANGE, "%s:%u:%u: the value of '%.*s' is too long",
                                 file, line, col, (int)nl, t);
                    break;
                }
                copy_str(dst, dsize, v, vl);
                while (i < e && is_space(text[i]))
                    i++;
            }
            continue;
        }
        size_t os = b, oe = b;
        while (oe < e && !is_space(text[oe]))
            oe++;
        size_t ps = oe;
        while (ps < e && is_space(text[ps]))
            ps++;
        uint32_t col = fw_column_of(text + ls, os - ls);
        uint64_t off;
        if (!parse_offset(text + os, oe - os, &off)) {
            rc = fw_fail(err, FW_ERR_SYNTAX, "%s:%u:%u: '%.*s' is not an offset: a line is "
                         "\"OFFSET FILE\", such as \"0x10000 app.bin\"", file, line, col,
                         (int)(oe - os > 64 ? 64 : oe - os), text + os);
            break;
        }
        if (ps == e) {
            rc = fw_fail(err, FW_ERR_SYNTAX, "%s:%u:%u: offset 0x%" PRIx64 " without a file",
                         file, line, col, off);
            break;
        }
        rc = add_image(file, out, off, text + ps, e - ps, line, col, err);
    }
    if (!rc && out->count == 0)
        rc = fw_fail(err, FW_ERR_SHAPE, "%s: no images: flash_args lists \"OFFSET FILE\" lines",
                     file);
    if (rc)
        reset(out);
    else
        qsort(out->images, out->count, sizeof out->images[0], cmp_image);
    return rc;
}

int fw_flash_args_load(const char *path, fw_flash_args_t *out, fw_error_t *err)
{
    if (!path || !out)
        return fw_fail(err, FW_ERR_ARG, "fw_flash_args_load: no %s", path ? "output" : "path");
    reset(out);
    uint8_t *buf;
    size_t len;
    int rc = fw_read_file(path, MAX_TEXT, "a flash argument file", &buf, &len, err);
    if (rc)
        return rc;
    size_t i = 0;
    while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\r'))
        i++;
    size_t n = strlen(path);
    bool json = (i < len && buf[i] == '{') || (n >= 5 && strcmp(path + n - 5, ".json") == 0);
    rc = json ? fw_flash_args_parse_json(path, (const char *)buf, len, out, err)
              : fw_flash_args_parse_text(path, (const char *)buf, len, out, err);
    free(buf);
    return rc;
}

const fw_flash_image_t *fw_flash_args_find(const fw_flash_args_t *a, const char *name)
{
    if (!a || !name)
        return NULL;
    for (size_t i = 0; i < a->count; i++)
        if (strcmp(a->images[i].name, name) == 0)
            return &a->images[i];
    return NULL;
}

int fw_flash_args_check(const char *file, fw_flash_args_t *a, const char *dir, uint64_t flash_size,
                        fw_error_t *err)
{
    if (!a)
        return fw_fail(err, FW_ERR_ARG, "fw_flash_args_check: no list");
    if (!file)
        file = "flash_args";
    if (!flash_size)
        flash_size = fw_flash_size_bytes(a->flash_size);
    for (size_t i = 0; i < a->count; i++) {
        fw_flash_image_t *im = &a->images[i];
        char path[FW_FLASH_PATH_MAX * 2 + 2];
        if (dir && dir[0] && im->file[0] != '/')
            snprintf(path, sizeof path, "%s/%s", dir, im->file);
        else
            snprintf(path, sizeof path, "%s", im->file);
        struct stat st;
        char what[FW_FLASH_NAME_MAX + 40];
        if (im->name[0])
            snprintf(what, sizeof what, "image '%s' at 0x%" PRIx64, im->name, im->offset);
        else
            snprintf(what, sizeof what, "the image at 0x%" PRIx64, im->offset);
        if (stat(path, &st) != 0)
            return fw_fail(err, FW_ERR_IO, "%s:%u:%u: %s: %s: cannot open: %s", file, im->line,
                           im->column, what, path, strerror(errno));
        if (!S_ISREG(st.st_mode))
            return fw_fail(err, FW_ERR_IO, "%s:%u:%u: %s: %s is not a file", file, im->line,
                           im->column, what, path);
        im->size = (uint64_t)st.st_size;
    }
    for (size_t i = 1; i < a->count; i++) {
        const fw_flash_image_t *p = &a->images[i - 1], *q = &a->images[i];
        if (q->offset < p->offset + p->size)
            return fw_fail(err, FW_ERR_OVERLAP, "%s:%u:%u: %s at 0x%" PRIx64 " overlaps %s "
                           "(0x%" PRIx64 "-0x%" PRIx64 ", line %u)", file, q->line, q->column,
                           q->file, q->offset, p->file, p->offset, p->offset + p->size - 1,
                           p->line);
    }
    if (flash_size)
        for (size_t i = 0; i < a->count; i++) {
            const fw_flash_image_t *im = &a->images[i];
            if (im->offset + im->size > flash_size)
                return fw_fail(err, FW_ERR_RANGE, "%s:%u:%u: %s (0x%" PRIx64 " bytes at 0x%" PRIx64
                               ") ends past the end of the flash (0x%" PRIx64 " bytes)", file, im->line,
                               im->column, im->file, im->size, im->offset, flash_size);
        }
    return 0;
}
