/* scn_load.c - a scenario file (a ydoc tree) into scn_model.h structs: one scenario
 * or a list of them, a scenario per chip of a `chip:` list, and each scenario's keys
 * (name, description, chip, config, log_level, boot, steps).  The parts of a
 * scenario are read by the other scn_load_*.c files (scn_load.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esp_log.h"
#include "scn_buf.h"
#include "scn_load.h"
#include "scn_suite.h"

static const char *const scenario_keys[] = {"name", "description", "chip", "config", "log_level", "boot", "steps",
                                            NULL};

static int text_field(scn_loader_t *L, const ydoc_node_t *m, const char *key, bool required, const char **out)
{
    const ydoc_node_t *v = ydoc_get(m, key);
    if (!v) {
        if (required)
            return scn_fail(L, m, "a scenario needs '%s'", key);
        return 0;
    }
    if (scn_need_scalar(L, v, key))
        return -1;
    if (strchr(v->value, '\n'))
        return scn_fail(L, v, "%s must be one line", key);
    return (*out = scn_arena_strdup(L->arena, v->value)) ? 0 : scn_fail(L, v, "out of memory");
}

static int load_log_level(scn_loader_t *L, const ydoc_node_t *v, int *out)
{
    static const char *const levels[] = {"none", "error", "warn", "info", "debug", "verbose", NULL};
    if (scn_need_scalar(L, v, "log_level"))
        return -1;
    for (int i = 0; levels[i]; i++)
        if (!strcmp(levels[i], v->value)) {
            *out = i;
            return 0;
        }
    return scn_fail(L, v, "log_level: unknown level '%s' (expected none, error, warn, info, debug or verbose)",
                    v->value);
}

/* One scenario for one chip (a `chip:` list makes one per chip). */
static int load_scenario(scn_loader_t *L, const ydoc_node_t *m, const ydoc_node_t *chipnode, bool suffix,
                         scn_scenario_t **out)
{
    scn_scenario_t *sc = scn_arena_alloc(L->arena, sizeof *sc);
    chipdef_t *chip = malloc(sizeof *chip);
    int rc = -1;
    if (!sc || !chip) {
        free(chip);
        return scn_fail(L, m, "out of memory");
    }
    L->nknown = 0;
    sc->file = L->doc->file;
    sc->line = m->line;
    sc->log_level = ESP_LOG_INFO;
    const ydoc_node_t *v;
    if (text_field(L, m, "name", true, &sc->name) || text_field(L, m, "description", false, &sc->description))
        goto out;
    if (chipnode->kind != YDOC_SCALAR) { /* a list item may be anything */
        scn_fail(L, chipnode, "chip: %s is not a chip (a built-in name such as esp32s3, or a path)",
                 scn_kind_name(chipnode->kind));
        goto out;
    }
    if (suffix) {
        size_t n = strlen(sc->name) + strlen(chipnode->value) + 4;
        char *name = scn_arena_alloc(L->arena, n);
        if (!name)
            goto out;
        snprintf(name, n, "%s [%s]", sc->name, chipnode->value);
        sc->name = name;
    }
    const ydoc_node_t *cfg = ydoc_get(m, "config");
    if ((cfg && scn_load_config(L, cfg, sc)) || scn_load_chip(L, chipnode, cfg, sc, chip))
        goto out;
    L->chip = chip;
    if ((v = ydoc_get(m, "log_level")) && load_log_level(L, v, &sc->log_level))
        goto out;
    if ((v = ydoc_get(m, "boot")) && scn_load_expect(L, v, NULL, true, &sc->boot, NULL))
        goto out;
    if (!(v = ydoc_get(m, "steps"))) {
        scn_fail(L, m, "a scenario needs 'steps'");
        goto out;
    }
    if (scn_load_steps(L, v, 0, &sc->steps, &sc->nsteps))
        goto out;
    *out = sc;
    rc = 0;
out:
    L->chip = NULL;
    free(chip);
    return rc;
}

static int check_scenario_keys(scn_loader_t *L, const ydoc_node_t *m)
{
    if (m->kind != YDOC_MAPPING)
        return scn_fail(L, m, "a scenario must be a mapping with name, chip and steps, not %s", scn_kind_name(m->kind));
    for (size_t i = 0; i < m->count; i++) {
        size_t k = 0;
        while (scenario_keys[k] && strcmp(scenario_keys[k], m->keys[i]->value))
            k++;
        if (!scenario_keys[k] && !ydoc_get(m, "steps") && (ydoc_get(m, "mmu") || ydoc_get(m, "caches")))
            return scn_fail(L, m->keys[i],
                            "unknown key '%s': this is a chip definition, not a scenario (check it with `mmsim chip "
                            "check`; a scenario names it with chip: PATH)",
                            m->keys[i]->value);
        if (!scenario_keys[k])
            return scn_fail(L, m->keys[i],
                            "unknown key '%s' in a scenario (expected: name, description, chip, config, log_level, "
                            "boot, steps)",
                            m->keys[i]->value);
    }
    if (!ydoc_get(m, "chip"))
        return scn_fail(L, m, "a scenario needs 'chip' (a built-in name such as esp32s3, a list of them, or a path)");
    return 0;
}

int scn_load_doc(scn_suite_t *s, const ydoc_t *doc, ydoc_err_t *err)
{
    scn_loader_t L = {.arena = &s->arena, .doc = doc, .err = err};
    if (!doc->root)
        return scn_fail(&L, NULL, "empty file: a scenario is a mapping with name, chip and steps");
    const ydoc_node_t *root = doc->root;
    size_t nscen = root->kind == YDOC_SEQUENCE ? root->count : 1;
    if (root->kind == YDOC_SCALAR)
        return scn_fail(&L, root, "a scenario file holds a scenario (a mapping) or a list of them, not a scalar");
    if (nscen == 0)
        return scn_fail(&L, root, "no scenarios in the list");
    scn_scenario_t **list = NULL;
    size_t count = 0, cap = 0;
    int rc = -1;
    for (size_t i = 0; i < nscen; i++) {
        const ydoc_node_t *m = root->kind == YDOC_SEQUENCE ? root->items[i] : root;
        if (check_scenario_keys(&L, m))
            goto out;
        const ydoc_node_t *chip = ydoc_get(m, "chip");
        size_t nchips = chip->kind == YDOC_SEQUENCE ? chip->count : 1;
        if (nchips == 0) {
            scn_fail(&L, chip, "chip: the list is empty");
            goto out;
        }
        for (size_t c = 0; c < nchips; c++) {
            if (scn_grow(&list, sizeof *list, &cap, count + 1)) {
                scn_fail(&L, m, "out of memory");
                goto out;
            }
            const ydoc_node_t *cn = chip->kind == YDOC_SEQUENCE ? chip->items[c] : chip;
            if (load_scenario(&L, m, cn, chip->kind == YDOC_SEQUENCE, &list[count]))
                goto out;
            list[count]->order = count;
            count++;
        }
    }
    rc = scn_suite_append(s, list, count);
    if (rc)
        scn_fail(&L, NULL, "out of memory");
out:
    free(list);
    free(L.known);
    return rc;
}
