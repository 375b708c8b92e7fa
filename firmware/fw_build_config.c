/* fw_build_config.c - the configuration files of a build: sdkconfig (and its JSON form,
 * config/sdkconfig.json) as key/value lists, and project_description.json (the target
 * chip, the ESP-IDF version, the app's files). */
#include "fw_flash_args.h"
#include "fw_json.h"
#include "fw_partition_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TEXT (16u << 20)

/* ---- key/value lists ---- */

void fw_kvlist_free(fw_kvlist_t *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->count; i++) {
        free(l->items[i].key);
        free(l->items[i].value);
    }
    free(l->items);
    l->items = NULL;
    l->count = 0;
}

const fw_kv_t *fw_kv_get(const fw_kvlist_t *l, const char *key)
{
    if (!l || !key)
        return NULL;
    for (size_t i = l->count; i-- > 0;)
        if (strcmp(l->items[i].key, key) == 0)
            return &l->items[i];
    return NULL;
}

static int kv_add(const char *file, fw_kvlist_t *l, const char *prefix, const char *key, size_t kl,
                  const char *val, size_t vl, bool set, uint32_t line, fw_error_t *err)
{
    if ((l->count & (l->count - 1)) == 0) {
        size_t cap = l->count ? l->count * 2 : 16;
        fw_kv_t *bigger = realloc(l->items, cap * sizeof *bigger);
        if (!bigger)
            return fw_fail(err, FW_ERR_NOMEM, "%s: out of memory", file);
        l->items = bigger;
    }
    size_t pl = strlen(prefix);
    char *k = malloc(pl + kl + 1), *v = malloc(vl + 1);
    if (!k || !v) {
        free(k);
        free(v);
        return fw_fail(err, FW_ERR_NOMEM, "%s: out of memory", file);
    }
    memcpy(k, prefix, pl);
    memcpy(k + pl, key, kl);
    k[pl + kl] = '\0';
    if (vl)
        memcpy(v, val, vl);
    v[vl] = '\0';
    l->items[l->count++] = (fw_kv_t){k, v, set, line};
    return 0;
}

static bool name_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

static int sdk_line(const char *file, const char *s, size_t n, uint32_t line, fw_kvlist_t *out,
                    fw_error_t *err)
{
    if (n == 0)
        return 0;
    if (s[0] == '#') {
        static const char tail[] = " is not set";
        size_t tl = sizeof tail - 1;
        if (n > 2 + 7 + tl && memcmp(s, "# CONFIG_", 9) == 0 && memcmp(s + n - tl, tail, tl) == 0) {
            size_t k = 2;
            while (k < n - tl && name_char(s[k]))
                k++;
            if (k == n - tl)
                return kv_add(file, out, "", s + 2, k - 2, "", 0, false, line, err);
        }
        return 0; /* a comment */
    }
    if (n < 8 || memcmp(s, "CONFIG_", 7) != 0)
        return fw_fail(err, FW_ERR_SYNTAX, "%s:%u: '%.*s' is not a setting: a line is "
                       "CONFIG_NAME=value, '# CONFIG_NAME is not set' or a '#' comment", file,
                       line, (int)(n > 60 ? 60 : n), s);
    size_t k = 7;
    while (k < n && name_char(s[k]))
        k++;
    if (k == 7 || k == n || s[k] != '=')
        return fw_fail(err, FW_ERR_SYNTAX, "%s:%u: '%.*s' is not a setting: after the name "
                       "(letters, digits, '_') comes '='", file, line, (int)(n > 60 ? 60 : n), s);
    const char *v = s + k + 1;
    size_t vl = n - k - 1;
    if (vl == 0)
        return fw_fail(err, FW_ERR_SYNTAX, "%s:%u: %.*s has no value (an empty string is "
                       "written \"\")", file, line, (int)k, s);
    if (v[0] == '"') {
        char *buf = malloc(vl);
        if (!buf)
            return fw_fail(err, FW_ERR_NOMEM, "%s: out of memory", file);
        size_t o = 0, i = 1;
        bool closed = false;
        for (; i < vl; i++) {
            if (v[i] == '\\' && i + 1 < vl) {
                buf[o++] = v[++i];
            } else if (v[i] == '"') {
                closed = true;
                i++;
                break;
            } else {
                buf[o++] = v[i];
            }
        }
        int rc = 0;
        if (!closed)
            rc = fw_fail(err, FW_ERR_SYNTAX, "%s:%u: %.*s: the string is not closed with '\"'",
                         file, line, (int)k, s);
        else if (i < vl)
            rc = fw_fail(err, FW_ERR_SYNTAX, "%s:%u: %.*s: text after the closing '\"'", file,
                         line, (int)k, s);
        else
            rc = kv_add(file, out, "", s, k, buf, o, true, line, err);
        free(buf);
        return rc;
    }
    for (size_t i = 0; i < vl; i++)
        if (v[i] == ' ' || v[i] == '\t' || v[i] == '"')
            return fw_fail(err, FW_ERR_SYNTAX, "%s:%u: %.*s: a value with %s must be a \"quoted "
                           "string\"", file, line, (int)k, s, v[i] == '"' ? "a quote" : "spaces");
    return kv_add(file, out, "", s, k, v, vl, true, line, err);
}

int fw_sdkconfig_parse(const char *file, const char *text, size_t len, fw_kvlist_t *out,
                       fw_error_t *err)
{
    if (!out || (!text && len))
        return fw_fail(err, FW_ERR_ARG, "fw_sdkconfig_parse: no %s", out ? "text" : "output");
    memset(out, 0, sizeof *out);
    if (!file)
        file = "sdkconfig";
    uint32_t line = 0;
    int rc = 0;
    for (size_t at = 0; at < len && !rc;) {
        line++;
        size_t eol = at;
        while (eol < len && text[eol] != '\n')
            eol++;
        size_t b = at, e = eol;
        at = eol + 1;
        for (size_t i = b; i < e && !rc; i++) {
            unsigned char c = (unsigned char)text[i];
            if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7F)
                rc = fw_fail(err, FW_ERR_SYNTAX, "%s:%u: a control character (byte 0x%02x): an "
                             "sdkconfig is text", file, line, c);
        }
        if (rc)
            break;
        while (b < e && (text[b] == ' ' || text[b] == '\t' || text[b] == '\r'))
            b++;
        while (e > b && (text[e - 1] == ' ' || text[e - 1] == '\t' || text[e - 1] == '\r'))
            e--;
        rc = sdk_line(file, text + b, e - b, line, out, err);
    }
    if (rc)
        fw_kvlist_free(out);
    return rc;
}

int fw_sdkconfig_parse_json(const char *file, const char *text, size_t len, fw_kvlist_t *out,
                            fw_error_t *err)
{
    if (!out)
        return fw_fail(err, FW_ERR_ARG, "fw_sdkconfig_parse_json: no output");
    memset(out, 0, sizeof *out);
    if (!file)
        file = "sdkconfig.json";
    fw_json_doc_t *doc;
    int rc = fw_json_parse_object(file, text, len, "sdkconfig.json is an object of NAME: value", &doc, err);
    if (rc)
        return rc;
    const fw_json_t *root = fw_json_root(doc);
    for (const fw_json_t *m = root->child; m && !rc; m = m->next) {
        if (m->key_len == 0 || memchr(m->key, '\0', m->key_len)) {
            rc = fw_fail(err, FW_ERR_SHAPE, "%s:%u:%u: an empty or NUL-holding option name", file,
                         m->key_line, m->key_column);
            break;
        }
        switch (m->type) {
        case FW_JSON_STRING:
        case FW_JSON_NUMBER:
            rc = kv_add(file, out, "CONFIG_", m->key, m->key_len, m->str, m->len, true,
                        m->key_line, err);
            break;
        case FW_JSON_TRUE:
            rc = kv_add(file, out, "CONFIG_", m->key, m->key_len, "y", 1, true, m->key_line, err);
            break;
        case FW_JSON_FALSE:
            rc = kv_add(file, out, "CONFIG_", m->key, m->key_len, "", 0, false, m->key_line, err);
            break;
        default:
            rc = fw_fail(err, FW_ERR_SHAPE, "%s:%u:%u: option \"%.64s\" is %s: a value is a "
                         "string, a number, true or false", file, m->line, m->column, m->key,
                         fw_json_type_name(m->type));
        }
    }
    fw_json_free(doc);
    if (rc)
        fw_kvlist_free(out);
    return rc;
}

int fw_sdkconfig_load(const char *path, fw_kvlist_t *out, fw_error_t *err)
{
    if (!path || !out)
        return fw_fail(err, FW_ERR_ARG, "fw_sdkconfig_load: no %s", path ? "output" : "path");
    memset(out, 0, sizeof *out);
    uint8_t *buf;
    size_t len;
    int rc = fw_read_file(path, MAX_TEXT, "an sdkconfig", &buf, &len, err);
    if (rc)
        return rc;
    size_t n = strlen(path);
    rc = n >= 5 && strcmp(path + n - 5, ".json") == 0
             ? fw_sdkconfig_parse_json(path, (const char *)buf, len, out, err)
             : fw_sdkconfig_parse(path, (const char *)buf, len, out, err);
    free(buf);
    return rc;
}

/* ---- project_description.json ---- */

void fw_project_desc_free(fw_project_desc_t *d)
{
    if (d)
        fw_kvlist_free(&d->all);
}

int fw_project_desc_parse(const char *file, const char *text, size_t len, fw_project_desc_t *out,
                          fw_error_t *err)
{
    if (!out)
        return fw_fail(err, FW_ERR_ARG, "fw_project_desc_parse: no output");
    memset(out, 0, sizeof *out);
    if (!file)
        file = "project_description.json";
    fw_json_doc_t *doc;
    int rc = fw_json_parse_object(file, text, len, "project_description.json is an object", &doc, err);
    if (rc)
        return rc;
    const fw_json_t *root = fw_json_root(doc);
    static const struct {
        const char *key;
        size_t off, size;
    } fields[] = {
        {"target", offsetof(fw_project_desc_t, target), sizeof out->target},
        {"git_revision", offsetof(fw_project_desc_t, idf_ver), sizeof out->idf_ver},
        {"project_name", offsetof(fw_project_desc_t, project_name), sizeof out->project_name},
        {"app_elf", offsetof(fw_project_desc_t, app_elf), sizeof out->app_elf},
        {"app_bin", offsetof(fw_project_desc_t, app_bin), sizeof out->app_bin},
        {"build_dir", offsetof(fw_project_desc_t, build_dir), sizeof out->build_dir},
        {"config_file", offsetof(fw_project_desc_t, config_file), sizeof out->config_file},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0] && !rc; i++)
        rc = fw_json_copy_string(file, root, fields[i].key, "", (char *)out + fields[i].off, fields[i].size,
                       err);
    if (!rc && !fw_json_get(root, "target"))
        rc = fw_fail(err, FW_ERR_SHAPE, "%s:%u:%u: no \"target\" (the chip, such as \"esp32s3\")", file, root->line,
                     root->column);
    for (const fw_json_t *m = root->child; m && !rc; m = m->next) {
        if (memchr(m->key, '\0', m->key_len))
            continue;
        if (m->type == FW_JSON_STRING || m->type == FW_JSON_NUMBER)
            rc = kv_add(file, &out->all, "", m->key, m->key_len, m->str, m->len, true, m->key_line,
                        err);
        else if (m->type == FW_JSON_TRUE || m->type == FW_JSON_FALSE)
            rc = kv_add(file, &out->all, "", m->key, m->key_len,
                        m->type == FW_JSON_TRUE ? "true" : "false", m->type == FW_JSON_TRUE ? 4 : 5,
                        true, m->key_line, err);
    }
    fw_json_free(doc);
    if (rc) {
        fw_kvlist_free(&out->all);
        memset(out, 0, sizeof *out);
    }
    return rc;
}

int fw_project_desc_load(const char *path, fw_project_desc_t *out, fw_error_t *err)
{
    if (!path || !out)
        return fw_fail(err, FW_ERR_ARG, "fw_project_desc_load: no %s", path ? "output" : "path");
    memset(out, 0, sizeof *out);
    uint8_t *buf;
    size_t len;
    int rc = fw_read_file(path, MAX_TEXT, "a project description", &buf, &len, err);
    if (rc)
        return rc;
    rc = fw_project_desc_parse(path, (const char *)buf, len, out, err);
    free(buf);
    return rc;
}
