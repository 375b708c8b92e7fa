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

/* Is `key` missing because an unknown key of `m` is a misspelling of it?  Then the
 * unknown key's error says so, and "needs 'steps'" would only repeat it. */
static bool misspelt(const ydoc_node_t *m, const char *key)
{
    char hint[80], want[80];
    snprintf(want, sizeof want, "did you mean '%s'? ", key);
    for (size_t i = 0; m->kind == YDOC_MAPPING && i < m->count; i++)
        if (!strcmp(scn_near_of(m->keys[i]->value, scenario_keys, hint, sizeof hint), want))
            return true;
    return false;
}

/* `name` (one line) or `description` (any of YAML's forms: a literal `|` or folded `>`
 * block, a plain or quoted scalar over several lines; trailing line breaks dropped). */
static int text_field(scn_loader_t *L, const ydoc_node_t *m, const char *key, bool required, const char **out)
{
    const ydoc_node_t *v = ydoc_get(m, key);
    if (!v) {
        if (required && !misspelt(m, key))
            return scn_fail(L, m, "a scenario needs '%s'", key);
        return required ? -1 : 0;
    }
    if (scn_need_scalar(L, v, key))
        return -1;
    if (!strcmp(key, "name") && strchr(v->value, '\n'))
        return scn_fail(L, v, "name must be one line (the reports show it on one; a longer text goes in "
                              "description)");
    return (*out = scn_text_dup(L, v->value)) ? 0 : scn_fail(L, v, "out of memory");
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
    char hint[80];
    return scn_fail(L, v, "log_level: unknown level '%s' (%sexpected none, error, warn, info, debug or verbose)",
                    v->value, scn_near_of(v->value, levels, hint, sizeof hint));
}

/* One scenario for one chip (a `chip:` list makes one per chip).  Its parts are
 * read one after the other whatever failed before, so each reports its errors; the
 * steps need the chip, so a chip that does not load ends the scenario there. */
static int load_scenario(scn_loader_t *L, const ydoc_node_t *m, const ydoc_node_t *chipnode, bool suffix,
                         scn_scenario_t **out)
{
    scn_scenario_t *sc = scn_arena_alloc(L->arena, sizeof *sc);
    chipdef_t *chip = malloc(sizeof *chip);
    size_t failed = L->nfail;
    if (!sc || !chip) {
        free(chip);
        return scn_fail(L, m, "out of memory");
    }
    L->nknown = 0;
    sc->file = L->doc->file;
    sc->line = m->line;
    sc->log_level = ESP_LOG_INFO;
    sc->name = "";
    const ydoc_node_t *v;
    text_field(L, m, "name", true, &sc->name);
    text_field(L, m, "description", false, &sc->description);
    if (chipnode->kind != YDOC_SCALAR) { /* a list item may be anything */
        scn_fail(L, chipnode, "chip: %s is not a chip (a built-in name such as esp32s3, or a path)",
                 scn_kind_name(chipnode->kind));
        goto out;
    }
    if (suffix) {
        size_t n = strlen(sc->name) + strlen(chipnode->value) + 4;
        char *name = scn_arena_alloc(L->arena, n);
        if (!name) {
            scn_fail(L, m, "out of memory");
            goto out;
        }
        snprintf(name, n, "%s [%s]", sc->name, chipnode->value);
        sc->name = name;
    }
    const ydoc_node_t *cfg = ydoc_get(m, "config");
    if (cfg)
        scn_load_config(L, cfg, sc); /* a bad key is left out: the chip loads with the rest */
    if (scn_load_chip(L, chipnode, cfg, sc, chip))
        goto out;
    L->chip = chip;
    if ((v = ydoc_get(m, "log_level")))
        load_log_level(L, v, &sc->log_level);
    if ((v = ydoc_get(m, "boot")))
        scn_load_expect(L, v, NULL, true, &sc->boot, NULL);
    v = ydoc_get(m, "steps");
    if (sc->boot.refused) {
        /* A refused boot leaves no machine to run steps on. */
        if (v)
            scn_fail(L, v, "boot: refused: a scenario whose boot is refused has no steps");
    } else if (!v) {
        if (!misspelt(m, "steps"))
            scn_fail(L, m, "a scenario needs 'steps'");
    } else
        scn_load_steps(L, v, 0, &sc->steps, &sc->nsteps);
out:
    L->chip = NULL;
    free(chip);
    if (L->nfail != failed)
        return -1;
    *out = sc;
    return 0;
}

static int check_scenario_keys(scn_loader_t *L, const ydoc_node_t *m)
{
    if (m->kind != YDOC_MAPPING)
        return scn_fail(L, m, "a scenario must be a mapping with name, chip and steps, not %s", scn_kind_name(m->kind));
    size_t failed = L->nfail;
    for (size_t i = 0; i < m->count; i++) {
        size_t k = 0;
        while (scenario_keys[k] && strcmp(scenario_keys[k], m->keys[i]->value))
            k++;
        if (scenario_keys[k])
            continue;
        if (!ydoc_get(m, "steps") && (ydoc_get(m, "mmu") || ydoc_get(m, "caches")))
            return scn_fail(L, m->keys[i],
                            "unknown key '%s': this is a chip definition, not a scenario (check it with `mmsim chip "
                            "check`; a scenario names it with chip: PATH)",
                            m->keys[i]->value);
        char hint[80];
        scn_fail(L, m->keys[i],
                 "unknown key '%s' in a scenario (%sexpected: name, description, chip, config, log_level, boot, steps)",
                 m->keys[i]->value, scn_near_of(m->keys[i]->value, scenario_keys, hint, sizeof hint));
    }
    if (!ydoc_get(m, "chip") && !misspelt(m, "chip"))
        return scn_fail(L, m, "a scenario needs 'chip' (a built-in name such as esp32s3, a list of them, or a path)");
    return L->nfail != failed ? -1 : 0;
}

int scn_load_doc(scn_suite_t *s, const ydoc_t *doc, scn_buf_t *errors)
{
    scn_loader_t L = {.arena = &s->arena, .doc = doc};
    const ydoc_node_t *root = doc->root;
    size_t nscen = root && root->kind == YDOC_SEQUENCE ? root->count : 1;
    scn_scenario_t **list = NULL;
    size_t count = 0, cap = 0;
    int rc = -1;
    if (!root)
        scn_fail(&L, NULL, "empty file: a scenario is a mapping with name, chip and steps");
    else if (root->kind == YDOC_SCALAR)
        scn_fail(&L, root, "a scenario file holds a scenario (a mapping) or a list of them, not a scalar");
    else if (nscen == 0)
        scn_fail(&L, root, "no scenarios in the list");
    for (size_t i = 0; root && root->kind != YDOC_SCALAR && i < nscen; i++) {
        const ydoc_node_t *m = root->kind == YDOC_SEQUENCE ? root->items[i] : root;
        /* An unknown key is reported and the scenario is still read (its steps may
         * hold errors too); without a chip nothing more can be checked. */
        check_scenario_keys(&L, m);
        const ydoc_node_t *chip = m->kind == YDOC_MAPPING ? ydoc_get(m, "chip") : NULL;
        if (!chip)
            continue;
        size_t nchips = chip->kind == YDOC_SEQUENCE ? chip->count : 1;
        if (nchips == 0) {
            scn_fail(&L, chip, "chip: the list is empty");
            continue;
        }
        for (size_t c = 0; c < nchips; c++) {
            if (scn_grow(&list, sizeof *list, &cap, count + 1)) {
                scn_fail(&L, m, "out of memory");
                break;
            }
            const ydoc_node_t *cn = chip->kind == YDOC_SEQUENCE ? chip->items[c] : chip;
            if (load_scenario(&L, m, cn, chip->kind == YDOC_SEQUENCE, &list[count]) == 0) {
                list[count]->order = count;
                count++;
            }
        }
    }
    if (L.nfail == 0) {
        rc = scn_suite_append(s, list, count);
        if (rc)
            scn_fail(&L, NULL, "out of memory");
    }
    if (rc)
        scn_load_errors_text(&L, errors);
    scn_load_errors_free(&L);
    free(list);
    free(L.known);
    return rc;
}
