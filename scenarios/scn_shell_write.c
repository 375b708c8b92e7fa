/* scn_shell_write.c - a shell session as a scenario file: the text replayed after
 * every line, and `write FILE`, the same text with each operation's observed
 * expectations, written atomically (scn_atomic_file_t). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn_shell_int.h"

/* A text as a YAML double-quoted scalar: names and chip paths may hold anything. */
static void quoted(scn_buf_t *b, const char *s)
{
    scn_buf_add(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            scn_buf_printf(b, "\\%c", *p);
        else if (*p < 0x20)
            scn_buf_printf(b, "\\x%02x", *p);
        else
            scn_buf_add(b, (const char *)p, 1);
    }
    scn_buf_add(b, "\"", 1);
}

static unsigned count_lines(const scn_buf_t *b)
{
    unsigned n = 1;
    for (size_t i = 0; i < b->len; i++)
        n += b->text[i] == '\n';
    return n;
}

static void add_step(scn_buf_t *b, const char *text, bool whole, const char *save, const char *expect)
{
    scn_buf_printf(b, "  - %s\n", text);
    if (whole)
        return;
    if (save)
        scn_buf_printf(b, "    save: %s\n", save);
    scn_buf_printf(b, "    expect: %s\n", expect);
}

char *shell_scenario_text(const scn_shell_t *sh, const char *name, shell_text_mode_t mode, const char *extra,
                          bool extra_whole, unsigned *lines)
{
    static const char *const rerun = "{ret: any, hazards: any}";
    scn_buf_t b = {0};
    if (mode == SHELL_TEXT_FILE)
        scn_buf_printf(&b, "# written by mmsim shell: each step's expectations are what it observed\n");
    scn_buf_printf(&b, "name: ");
    quoted(&b, name);
    scn_buf_printf(&b, "\nchip: ");
    quoted(&b, sh->chip);
    scn_buf_printf(&b, "\n");
    if (sh->nsets) {
        scn_buf_printf(&b, "config:\n");
        for (size_t i = 0; i < sh->nsets; i++) {
            const char *eq = strchr(sh->sets[i], '=');
            scn_buf_printf(&b, "  %.*s: %s\n", (int)(eq - sh->sets[i]), sh->sets[i], eq + 1);
        }
    }
    scn_buf_printf(&b, "steps:\n");
    for (size_t i = 0; i < sh->count; i++) {
        const shell_step_t *st = &sh->steps[i];
        if (lines)
            lines[i] = count_lines(&b);
        add_step(&b, st->text, st->whole, st->save,
                 mode == SHELL_TEXT_FILE && st->observed ? st->observed : rerun);
    }
    if (lines)
        lines[sh->count] = count_lines(&b);
    if (extra)
        add_step(&b, extra, extra_whole, NULL, rerun);
    return scn_buf_take(&b);
}

int shell_write_file(const scn_shell_t *sh, const char *path, const char *name, char *why, size_t size)
{
    char *text = shell_scenario_text(sh, name, SHELL_TEXT_FILE, NULL, false, NULL);
    if (!text) {
        snprintf(why, size, "out of memory");
        return -1;
    }
    scn_atomic_file_t out;
    int rc = scn_atomic_open(&out, path, why, size);
    if (rc == 0) {
        fputs(text, out.f);
        rc = scn_atomic_commit(&out, why, size);
    }
    free(text);
    return rc;
}
