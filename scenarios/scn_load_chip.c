/* scn_load_chip.c - a scenario's chip and `config:`: the config keys (the chip
 * loader's, flash_image and build; they and partition_table are paths relative to the
 * scenario's folder), and the chip loaded once here as the run will load it, so an
 * unknown chip, a bad config value, a flash image that is missing or larger than the
 * flash, or a partition table the firmware reader refuses stops the run before
 * anything runs, with the error at the value's line. */
#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chipdef_load.h"
#include "fw_partition.h"
#include "scn_load.h"

static const char *dir_of(scn_arena_t *a, const char *file)
{
    const char *slash = strrchr(file, '/');
    return slash ? scn_arena_strndup(a, file, (size_t)(slash - file + 1)) : "";
}

/* A path in a scenario is relative to the scenario's folder. */
static const char *resolve_path(scn_loader_t *L, const char *path)
{
    if (path[0] == '/')
        return scn_arena_strdup(L->arena, path);
    const char *dir = dir_of(L->arena, L->doc->file);
    size_t n = strlen(dir) + strlen(path) + 1;
    char *p = scn_arena_alloc(L->arena, n);
    if (p)
        snprintf(p, n, "%s%s", dir, path);
    return p;
}

/* Each key is checked; a bad one is reported and left out, so the chip still loads
 * with the others and the steps are checked too. */
int scn_load_config(scn_loader_t *L, const ydoc_node_t *cfg, scn_scenario_t *sc)
{
    if (cfg->kind != YDOC_MAPPING)
        return scn_fail(L, cfg, "config must be a mapping such as {flash_size: 4M}, not %s", scn_kind_name(cfg->kind));
    if (cfg->count > sizeof sc->sets / sizeof sc->sets[0])
        return scn_fail(L, cfg, "config holds at most %zu keys", sizeof sc->sets / sizeof sc->sets[0]);
    size_t failed = L->nfail;
    for (size_t i = 0; i < cfg->count; i++) {
        const char *key = cfg->keys[i]->value;
        const ydoc_node_t *v = cfg->items[i];
        size_t k = 0;
        while (chipdef_config_key(k) && strcmp(chipdef_config_key(k), key))
            k++;
        if (!chipdef_config_key(k) && strcmp(key, "flash_image") && strcmp(key, "build")) {
            char keys[600] = "", hint[80];
            scn_near_t near;
            scn_near_init(&near, key);
            scn_near_add(&near, "flash_image");
            scn_near_add(&near, "build");
            for (k = 0; chipdef_config_key(k); k++) {
                snprintf(keys + strlen(keys), sizeof keys - strlen(keys), "%s, ", chipdef_config_key(k));
                scn_near_add(&near, chipdef_config_key(k));
            }
            scn_fail(L, cfg->keys[i], "unknown config key '%s' (%sexpected: %sflash_image, build)", key,
                     scn_near_hint(&near, hint, sizeof hint), keys);
            continue;
        }
        if (scn_need_scalar(L, v, key))
            continue;
        if (!strcmp(key, "flash_image") || !strcmp(key, "build")) {
            const char *path = resolve_path(L, v->value);
            if (!path)
                return scn_fail(L, v, "out of memory");
            *(!strcmp(key, "build") ? &sc->build : &sc->flash_image) = path;
            continue;
        }
        const char *value = v->value;
        if (!strcmp(key, "partition_table") && value[0] && !(value = resolve_path(L, value)))
            return scn_fail(L, v, "out of memory");
        size_t n = strlen(key) + strlen(value) + 2;
        char *set = scn_arena_alloc(L->arena, n);
        if (!set)
            return scn_fail(L, v, "out of memory");
        snprintf(set, n, "%s=%s", key, value);
        sc->sets[sc->nsets++] = set;
    }
    return L->nfail != failed ? -1 : 0;
}

/* The image must be there and fit the flash now, not when its scenario boots.  An
 * image shorter than the flash is what esptool writes (the rest stays erased). */
static int check_flash_image(scn_loader_t *L, const ydoc_node_t *v, const char *path, const chipdef_t *chip)
{
    struct stat st;
    if (stat(path, &st))
        return scn_fail(L, v, "flash_image: cannot open %s: %s", path, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return scn_fail(L, v, "flash_image: %s is not a file", path);
    if ((uint64_t)st.st_size > chip->config.flash_size)
        return scn_fail(L, v, "flash_image: %s is %lld bytes, larger than the %u-byte flash (set flash_size)", path,
                        (long long)st.st_size, (unsigned)chip->config.flash_size);
    return 0;
}

/* The table must load now, as mmsim_open will load it, with the reader's message
 * ("file:line:column: ..." or "file: entry N: ...") after the value's position. */
static int check_partition_table(scn_loader_t *L, const ydoc_node_t *v, const chipdef_t *chip)
{
    fw_ptable_opts_t opts;
    fw_ptable_opts_default(&opts);
    opts.table_offset = chip->config.partition_table_offset;
    opts.flash_size = chip->config.flash_size;
    opts.expand_env = false;
    opts.md5 = chip->config.partition_table_md5;
    fw_ptable_t *t = malloc(sizeof *t);
    if (!t)
        return scn_fail(L, v, "out of memory");
    fw_error_t err;
    int rc = fw_ptable_load_file(chip->config.partition_table, &opts, t, &err);
    free(t);
    return rc ? scn_fail(L, v, "partition_table: %s", err.msg) : 0;
}

/* Load the chip as the run will (name or path, with the config), so an unknown
 * chip or a bad config value stops everything before a step runs. */
int scn_load_chip(scn_loader_t *L, const ydoc_node_t *chipnode, const ydoc_node_t *cfg, scn_scenario_t *sc,
                  chipdef_t *chip)
{
    const char *name = chipnode->value; /* a scalar: load_scenario checked */
    size_t len;
    if (chipdef_builtin_find(name, &len))
        sc->chip = scn_arena_strdup(L->arena, name);
    else if (strchr(name, '/') || strstr(name, ".yaml") || strstr(name, ".yml"))
        sc->chip = resolve_path(L, name);
    else
        sc->chip = scn_arena_strdup(L->arena, name); /* chipdef_load names the built-in chips */
    if (!sc->chip)
        return scn_fail(L, chipnode, "out of memory");
    ydoc_err_t err;
    if (chipdef_load(sc->chip, sc->sets, sc->nsets, chip, &err) == 0) {
        sc->cores = chip->cores;
        if (sc->flash_image && check_flash_image(L, ydoc_get(cfg, "flash_image"), sc->flash_image, chip))
            return -1;
        if (sc->build && sc->flash_image)
            return scn_fail(L, ydoc_get(cfg, "build"), "build and flash_image both give the flash's contents: one");
        struct stat st;
        if (sc->build && stat(sc->build, &st))
            return scn_fail(L, ydoc_get(cfg, "build"), "build: cannot open %s: %s", sc->build, strerror(errno));
        if (chip->config.partition_table[0])
            return check_partition_table(L, cfg ? ydoc_get(cfg, "partition_table") : chipnode, chip);
        return 0;
    }
    /* "<file>: --set key=value: why" points at the config value; anything else at the chip. */
    const char *set = cfg ? strstr(err.msg, "--set ") : NULL;
    if (set) {
        const char *eq = strchr(set + 6, '='), *colon = eq ? strstr(eq, ": ") : NULL;
        if (eq && colon) {
            char key[64];
            snprintf(key, sizeof key, "%.*s", (int)(eq - set - 6), set + 6);
            const ydoc_node_t *v = ydoc_get(cfg, key);
            if (v)
                return scn_fail(L, v, "config %s: %s", key, colon + 2);
        }
    }
    return scn_fail(L, chipnode, "chip %s: %s", name, err.msg);
}
