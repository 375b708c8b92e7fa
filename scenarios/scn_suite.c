/* scn_suite.c - a suite: scenario files found under the given paths, loaded into
 * one arena, kept in a stable order (file name, then position in the file), and
 * the selection of a run: a text filter, then one shard of N. */
#include "scn_suite.h"

#include "scn_buf.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

scn_suite_t *scn_suite_new(void) { return calloc(1, sizeof(scn_suite_t)); }

void scn_suite_free(scn_suite_t *s)
{
    if (!s)
        return;
    scn_arena_free(&s->arena);
    free(s->items);
    free(s);
}

static int by_file_then_order(const void *a, const void *b)
{
    const scn_scenario_t *x = *(scn_scenario_t *const *)a, *y = *(scn_scenario_t *const *)b;
    int c = strcmp(x->file, y->file);
    if (c)
        return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

int scn_suite_append(scn_suite_t *s, scn_scenario_t **items, size_t n)
{
    if (scn_grow(&s->items, sizeof *s->items, &s->cap, s->count + n))
        return -1;
    memcpy(s->items + s->count, items, n * sizeof *items);
    s->count += n;
    qsort(s->items, s->count, sizeof *s->items, by_file_then_order);
    return 0;
}

/* Parse and load; 0, or -1 with the error lines (each ending in a newline) in *errors. */
static int add_text(scn_suite_t *s, const char *file, const char *text, size_t len, scn_buf_t *errors)
{
    ydoc_t doc;
    ydoc_err_t e;
    if (ydoc_parse(file, text, len, &doc, &e)) {
        scn_buf_printf(errors, "%s\n", e.msg);
        return -1;
    }
    /* The scenarios keep the file name: it must outlive the document. */
    char *name = scn_arena_strdup(&s->arena, file);
    int rc = -1;
    if (!name) {
        scn_buf_printf(errors, "%s: out of memory\n", file);
    } else {
        free(doc.file);
        doc.file = name;
        rc = scn_load_doc(s, &doc, errors);
        doc.file = NULL;
    }
    ydoc_free(&doc);
    return rc;
}

int scn_suite_add_text(scn_suite_t *s, const char *file, const char *text, size_t len, char *err, size_t size)
{
    scn_buf_t errors = {0};
    int rc = add_text(s, file, text, len, &errors);
    if (size) {
        size_t n = errors.text ? errors.len : 0;
        if (n && errors.text[n - 1] == '\n')
            n--; /* the last line without its newline, as a single message */
        snprintf(err, size, "%.*s", (int)n, errors.text ? errors.text : "");
        if (rc && !err[0])
            snprintf(err, size, "%s: out of memory", file);
    }
    scn_buf_free(&errors);
    return rc;
}

static int load_file(scn_suite_t *s, const char *path, FILE *out)
{
    ydoc_t doc;
    ydoc_err_t e;
    if (ydoc_parse_file(path, &doc, &e)) {
        fprintf(out, "%s\n", e.msg);
        return 1;
    }
    scn_buf_t errors = {0};
    int rc = add_text(s, path, doc.text, doc.text_len, &errors);
    ydoc_free(&doc);
    if (rc)
        fputs(errors.text ? errors.text : "out of memory\n", out);
    scn_buf_free(&errors);
    return rc ? 1 : 0;
}

static bool is_yaml(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && !strcmp(name + n - 5, ".yaml")) || (n > 4 && !strcmp(name + n - 4, ".yml"));
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* scn_suite.h.  Folders are walked in name order, so errors come in a stable order too. */
size_t scn_walk_yaml(const char *dir, FILE *errors, int depth, scn_yaml_fn on_file, void *ctx)
{
    if (depth > 32) {
        fprintf(errors, "%s: folders nest too deep\n", dir);
        return 1;
    }
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(errors, "%s: cannot open the folder\n", dir);
        return 1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0, errs = 0;
    for (struct dirent *ent; (ent = readdir(d));) {
        if (ent->d_name[0] == '.')
            continue;
        if (scn_grow(&names, sizeof *names, &cap, n + 1) || !(names[n] = strdup(ent->d_name))) {
            fprintf(errors, "%s: out of memory listing the folder\n", dir);
            errs++;
            break;
        }
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(dir) + strlen(names[i]) + 2;
        char *path = malloc(len);
        if (path) {
            snprintf(path, len, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]);
            struct stat st;
            if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
                errs += scn_walk_yaml(path, errors, depth + 1, on_file, ctx);
            else if (is_yaml(names[i]))
                errs += on_file(ctx, path, errors);
            free(path);
        }
        free(names[i]);
    }
    free(names);
    return errs;
}

static size_t load_found(void *s, const char *path, FILE *errors) { return (size_t)load_file(s, path, errors); }

size_t scn_suite_add_path(scn_suite_t *s, const char *path, FILE *errors)
{
    struct stat st;
    if (stat(path, &st)) {
        fprintf(errors, "%s: no such file or folder\n", path);
        return 1;
    }
    if (S_ISDIR(st.st_mode))
        return scn_walk_yaml(path, errors, 0, load_found, s);
    return (size_t)load_file(s, path, errors);
}

size_t scn_suite_count(const scn_suite_t *s) { return s->count; }
const char *scn_suite_file(const scn_suite_t *s, size_t i) { return i < s->count ? s->items[i]->file : NULL; }
const char *scn_suite_name(const scn_suite_t *s, size_t i) { return i < s->count ? s->items[i]->name : NULL; }
const char *scn_suite_chip(const scn_suite_t *s, size_t i) { return i < s->count ? s->items[i]->chip : NULL; }

int scn_parse_shard(const char *text, unsigned *k, unsigned *n)
{
    char *end;
    unsigned long a = strtoul(text, &end, 10);
    if (end == text || *end != '/' || text[0] < '0' || text[0] > '9')
        return -1;
    const char *b = end + 1;
    if (*b < '0' || *b > '9')
        return -1;
    unsigned long c = strtoul(b, &end, 10);
    if (*end || a < 1 || c < 1 || a > c || c > 100000)
        return -1;
    *k = (unsigned)a;
    *n = (unsigned)c;
    return 0;
}

size_t scn_select(const scn_suite_t *s, const char *filter, unsigned k, unsigned n, size_t *idx)
{
    size_t count = 0, matched = 0;
    if (n == 0)
        k = n = 1;
    for (size_t i = 0; i < s->count; i++) {
        const scn_scenario_t *sc = s->items[i];
        if (filter && !strstr(sc->file, filter) && !strstr(sc->name, filter))
            continue;
        if (matched++ % n == k - 1)
            idx[count++] = i;
    }
    return count;
}
