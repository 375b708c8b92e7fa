/* chipdef_convert.h - private to chipdefs/: the conversion of the raw structs
 * (chipdef_schema.h) into a chipdef_t, one function per part of the file, and the small
 * helpers they share.  Every rule beyond the schema is checked here and reported at the
 * node of the ydoc tree it concerns ("file:line:column: why").
 *
 *   chipdef_config.c       config section, overrides (typed and --set text), the one
 *                          error path for config values
 *   chipdef_convert_map.c  MMUs, virtual windows, esp_mmu_map regions (the address map)
 *   chipdef_convert_mem.c  caches, cache HAL facts, flash and PSRAM, himem
 *   chipdef_convert_options.c  the sdkconfig choices of cache geometry and SPI mode/clock
 *   chipdef_load.c         the order of the parts, fill patterns, the entry points */
#ifndef MMSIM_CHIPDEF_CONVERT_H
#define MMSIM_CHIPDEF_CONVERT_H

#include <stdio.h>
#include <string.h>

#include "chipdef_load.h"
#include "chipdef_schema.h"

/* One conversion: the document, where errors go, and the config overrides in force. */
typedef struct {
    const ydoc_t *doc;
    ydoc_err_t *err;
    const ydoc_node_t *root;
    const chipdef_overrides_t *typed;   /* NULL: none */
    const char *const *sets;            /* "key=value" text, applied over `typed` */
    size_t nsets;
    /* Filled by chipdef_convert_config: the overrides with the text parsed over them,
     * and the --set argument that gave each key (NULL: typed, or not overridden). */
    chipdef_overrides_t ov;
    const char *set_arg[CHIPDEF_KEY_COUNT];
    const chipdef_config_t *cfg;        /* the config in force, once chipdef_convert_config made it */
} chipdef_ctx_t;

/* Each fills its part of *d or returns -1 with c->err set.  Later parts read what
 * earlier ones filled (the page size in force, the caches, the MMUs): chipdef_load.c
 * calls them in the order that allows. */
int chipdef_convert_mmus(chipdef_ctx_t *c, const raw_chip_t *r, chipdef_t *d);
int chipdef_convert_config(chipdef_ctx_t *c, const raw_chip_t *r, chipdef_t *d);
int chipdef_convert_caches(chipdef_ctx_t *c, const raw_chip_t *r, chipdef_t *d);
int chipdef_convert_windows(chipdef_ctx_t *c, const raw_chip_t *r, chipdef_t *d);
int chipdef_convert_regions(chipdef_ctx_t *c, const raw_chip_t *r, chipdef_t *d);
int chipdef_convert_cache_hal(chipdef_ctx_t *c, const raw_chip_t *r, chipdef_t *d);
int chipdef_convert_stores(chipdef_ctx_t *c, const raw_chip_t *r, chipdef_t *d);
int chipdef_convert_himem(chipdef_ctx_t *c, const raw_chip_t *r, chipdef_t *d);
int chipdef_convert_internal_ram(chipdef_ctx_t *c, const raw_chip_t *r, chipdef_t *d);

/* chipdef_convert_options.c: the sdkconfig choices of a cache (its geometry, from the
 * config's dcache_/icache_/l2_cache_ keys within what the file allows) and of a SPI
 * device (mode and clock); a check that no cache key names a cache the chip lacks; the
 * name of SPI mode i (NULL past the last). */
int chipdef_convert_cpu_clock(chipdef_ctx_t *c, const raw_chip_t *r, chipdef_t *d);
int chipdef_convert_cache_options(chipdef_ctx_t *c, const raw_cache_t *k, chipdef_cache_t *o, const ydoc_node_t *kn);
int chipdef_check_cache_options_used(chipdef_ctx_t *c, const chipdef_t *d);
int chipdef_convert_spi_options(chipdef_ctx_t *c, const raw_spi_t *s, chipdef_spi_mem_t *o, const ydoc_node_t *sn,
                                bool psram);
const char *chipdef_spi_mode_name(uint32_t i);

/* An error in a config value, named by where the value came from: the --set argument,
 * the typed override ("<source>.<key>"), or the file's node.  Always -1. */
int chipdef_config_fail(chipdef_ctx_t *c, chipdef_key_t key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Node lookups by a short path; fall back to the nearest existing parent so an
 * error always has a position. */
static inline const ydoc_node_t *at(const ydoc_node_t *n, const char *key)
{
    const ydoc_node_t *v = ydoc_get(n, key);
    return v ? v : n;
}
static inline const ydoc_node_t *at_item(const ydoc_node_t *n, const char *seq, size_t i)
{
    const ydoc_node_t *s = ydoc_get(n, seq);
    const ydoc_node_t *v = ydoc_item(s, i);
    return v ? v : s ? s : n;
}

/* A size or address written in the file, parsed strictly (up to `max`). */
static inline int size_of(chipdef_ctx_t *c, const ydoc_node_t *node, const char *text, uint64_t max,
                          uint32_t *out)
{
    uint64_t v;
    const char *why;
    if (!ydoc_parse_size(text, max, &v, &why))
        return ydoc_fail(c->err, c->doc, node, "bad size or address '%s': %s", text, why);
    *out = (uint32_t)v;
    return 0;
}

/* The end of a range from `start`, written either as `key` (the end address, or with a
 * start of 0 the size) or as `pages` pages of `page` bytes: exactly one of the two.
 * `what` and `name` say in a message what the range is ("region", "flash_app"). */
static inline int span_end(chipdef_ctx_t *c, const ydoc_node_t *n, const char *key, const char *text,
                           uint32_t pages, uint32_t page, uint64_t start, const char *what, const char *name,
                           uint64_t *end)
{
    if ((text != NULL) == (pages != 0))
        return name ? ydoc_fail(c->err, c->doc, n, "%s '%s' needs exactly one of '%s' or 'pages'", what, name, key)
                    : ydoc_fail(c->err, c->doc, n, "%s needs exactly one of '%s' or 'pages'", what, key);
    uint32_t v = 0;
    if (text && size_of(c, at(n, key), text, UINT32_MAX, &v))
        return -1;
    *end = text ? v : start + (uint64_t)pages * page;
    return 0;
}

static inline bool is_pow2(uint64_t v) { return v && !(v & (v - 1)); }

static inline int find_name(const char *name, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return (int)i;
    return -1;
}

/* Entry i of a list (MMUs, windows, caches) must not reuse an earlier entry's name. */
static inline int unique_name(chipdef_ctx_t *c, const ydoc_node_t *entry, const char *const *names, unsigned i,
                              const char *what)
{
    if (find_name(names[i], names, i) >= 0)
        return ydoc_fail(c->err, c->doc, at(entry, "name"), "duplicate %s name '%s'", what, names[i]);
    return 0;
}

static inline void copy_name(char *dst, size_t n, const char *src) { snprintf(dst, n, "%s", src ? src : ""); }

#endif
