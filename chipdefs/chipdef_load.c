/* chipdef_load.c - the chip loader's entry points: a built-in chip by name or a YAML
 * file by path, text already in memory, with typed and text overrides; the order in
 * which the parts of a definition are converted (chipdef_convert.h), and the few keys
 * of the chip itself (name, cores, CPU clock, SoC facts, fill patterns). */
#include "chipdef_convert.h"

/* The parts in an order where each finds what it needs already converted: the config
 * needs the MMUs' page sizes, windows need the page size in force and the caches,
 * regions the windows and the linear mask, the stores the MMUs' reach.  Collecting
 * every error (ydoc_collecting: `mmsim chip check`), a part that fails skips only the
 * parts that need it, so the others still report theirs. */
static int convert(chipdef_ctx_t *c, const raw_chip_t *r, chipdef_t *d)
{
    const bool all = ydoc_collecting();
    int rc = 0;
#define PART(ok, call)                                                                                               \
    bool ok = rc == 0 || all;                                                                                        \
    if (ok && (call)) {                                                                                              \
        ok = false, rc = -1;                                                                                         \
        if (!all)                                                                                                    \
            return -1;                                                                                               \
    }
    copy_name(d->name, sizeof d->name, r->name);
    copy_name(d->description, sizeof d->description, r->description);
    PART(cores_ok, (r->cores < 1 || r->cores > CHIPDEF_MAX_CORES) &&
                       ydoc_fail(c->err, c->doc, at(c->root, "cores"), "cores must be 1 or 2, not %u", r->cores))
    if (cores_ok)
        d->cores = r->cores;
    PART(mhz_ok, (r->cpu_mhz == 0 || r->cpu_mhz > 2000) &&
                     ydoc_fail(c->err, c->doc, at(c->root, "cpu_mhz"), "cpu_mhz must be 1..2000"))
    if (mhz_ok)
        d->cpu_mhz = r->cpu_mhz;
    PART(access_ok, r->cpu_access_cycles > 1000 &&
                        ydoc_fail(c->err, c->doc, at(c->root, "cpu_access_cycles"),
                                  "cpu_access_cycles must be 0..1000, not %u", r->cpu_access_cycles))
    if (access_ok)
        d->cpu_access_cycles = r->cpu_access_cycles;
    PART(mmus_ok, !cores_ok || chipdef_convert_mmus(c, r, d))
    PART(config_ok, !mmus_ok || chipdef_convert_config(c, r, d))
    PART(clock_ok, !mhz_ok || !config_ok || chipdef_convert_cpu_clock(c, r, d)) /* sdkconfig's CPU clock */
    PART(caches_ok, !cores_ok || !config_ok || chipdef_convert_caches(c, r, d)) /* the sdkconfig choices */
    PART(windows_ok, !config_ok || !caches_ok || chipdef_convert_windows(c, r, d))
    PART(regions_ok, !windows_ok || chipdef_convert_regions(c, r, d))
    PART(hal_ok, !windows_ok || chipdef_convert_cache_hal(c, r, d))
    d->spiram_supported = r->soc.spiram_supported;
    d->mmu_map_psram = r->soc.mmu_map_psram;
    d->cache_32bit_addr_map = r->soc.cache_32bit_addr_map;
    d->tee_supported = r->soc.tee_supported;
    d->spiram_xip_supported = r->soc.spiram_xip_supported;
    d->spiram_xip_split_options = r->soc.spiram_xip_split_options;
    PART(stores_ok, !config_ok || chipdef_convert_stores(c, r, d))
    PART(himem_ok, !stores_ok || !windows_ok || chipdef_convert_himem(c, r, d))
    PART(iram_ok, !stores_ok || chipdef_convert_internal_ram(c, r, d))
    const ydoc_node_t *fn = ydoc_get(c->root, "fill");
    PART(fill_ok, size_of(c, at(fn, "invalid_entry"), r->fill.invalid_entry, UINT32_MAX, &d->fill_invalid_entry) ||
                      size_of(c, at(fn, "no_window"), r->fill.no_window, UINT32_MAX, &d->fill_no_window))
    /* The app's IROM/DROM must fit in the space the boot reservation takes it from. */
    uint64_t linear = (uint64_t)d->linear_mask + 1;
    PART(app_ok, config_ok && mmus_ok && (uint64_t)d->config.app_irom_size + d->config.app_drom_size > linear &&
                     chipdef_config_fail(c, CHIPDEF_KEY_APP_IROM_SIZE,
                                         "app_irom_size + app_drom_size exceed the linear space"))
#undef PART
    (void)clock_ok, (void)regions_ok, (void)hal_ok, (void)himem_ok, (void)iram_ok, (void)fill_ok, (void)app_ok;
    return rc;
}

static int load_text(const char *file, const char *text, size_t len, const chipdef_overrides_t *ov,
                     const char *const *sets, size_t nsets, chipdef_t *out, ydoc_err_t *err)
{
    memset(out, 0, sizeof *out);
    ydoc_t doc;
    if (ydoc_parse(file, text, len, &doc, err))
        return -1;
    int rc = -1;
    raw_chip_t *raw = NULL;
    if (!doc.root) {
        ydoc_fail(err, &doc, NULL, "empty file: a chip definition is a mapping with name, cores, mmu, ...");
        goto out;
    }
    if (doc.root->kind != YDOC_MAPPING) {
        ydoc_fail(err, &doc, doc.root, "a chip definition must be a mapping, not %s",
                  doc.root->kind == YDOC_SCALAR ? "a scalar" : "a sequence");
        goto out;
    }
    if (ydoc_load(&doc, &chipdef_schema, (void **)&raw, err))
        goto out;
    chipdef_ctx_t c = {.doc = &doc, .err = err, .root = doc.root, .typed = ov, .sets = sets, .nsets = nsets};
    rc = convert(&c, raw, out);
out:
    ydoc_load_free(&chipdef_schema, raw);
    ydoc_free(&doc);
    if (rc)
        memset(out, 0, sizeof *out);
    return rc;
}

int chipdef_load_text(const char *file, const char *text, size_t len, const char *const *sets,
                      size_t nsets, chipdef_t *out, ydoc_err_t *err)
{
    return load_text(file, text, len, NULL, sets, nsets, out, err);
}

int chipdef_load_with(const char *name_or_path, const chipdef_overrides_t *ov, const char *const *sets,
                      size_t nsets, chipdef_t *out, ydoc_err_t *err)
{
    size_t len;
    const char *text = chipdef_builtin_find(name_or_path, &len);
    if (text) {
        char file[64];
        snprintf(file, sizeof file, "<builtin>/%s.yaml", name_or_path);
        return load_text(file, text, len, ov, sets, nsets, out, err);
    }
    memset(out, 0, sizeof *out);
    ydoc_t doc;
    if (!strchr(name_or_path, '/') && !strstr(name_or_path, ".yaml") && !strstr(name_or_path, ".yml")) {
        char names[200] = "";
        for (size_t i = 0; i < chipdef_builtin_count(); i++)
            ydoc_list_add(names, sizeof names, chipdef_builtin_name(i));
        snprintf(err->msg, sizeof err->msg, "unknown chip '%s' (built-in chips: %s; or give a path to a YAML file)",
                 name_or_path, names);
        return -1;
    }
    if (ydoc_parse_file(name_or_path, &doc, err))
        return -1;
    int rc = load_text(name_or_path, doc.text, doc.text_len, ov, sets, nsets, out, err);
    ydoc_free(&doc);
    return rc;
}

int chipdef_load(const char *name_or_path, const char *const *sets, size_t nsets, chipdef_t *out,
                 ydoc_err_t *err)
{
    return chipdef_load_with(name_or_path, NULL, sets, nsets, out, err);
}

const char *chipdef_builtin_find(const char *name, size_t *len)
{
    for (size_t i = 0; i < chipdef_builtin_count(); i++)
        if (strcmp(chipdef_builtin_name(i), name) == 0)
            return chipdef_builtin_text(i, len);
    return NULL;
}
