/* chipdef_write.c - a resolved chip definition back to YAML (`mmsim chip show`), in the
 * schema the loader reads and with its names for enum and flag values
 * (chipdef_schema.h), so the output loads back to the same chipdef_t; and the one-line
 * summary of `mmsim chips`. */
#include <string.h>

#include "chipdef_load.h"
#include "chipdef_convert.h"
#include "chipdef_schema.h"

static void put_flags(FILE *f, uint32_t v, const chipdef_names_t *names)
{
    fputc('[', f);
    const char *sep = "";
    for (unsigned i = 0; i < names->n; i++)
        if (v & (uint32_t)names->v[i].val) {
            fprintf(f, "%s%s", sep, names->v[i].str);
            sep = ", ";
        }
    fputc(']', f);
}

static const char *name_of(const chipdef_names_t *names, int64_t v)
{
    for (unsigned i = 0; i < names->n; i++)
        if (names->v[i].val == v)
            return names->v[i].str;
    return "?";
}

/* Sizes read best with a unit when they have one exactly. */
static void fmt_size(char *buf, size_t n, uint32_t v)
{
    if (v && v % (1u << 30) == 0)
        snprintf(buf, n, "%uG", v >> 30);
    else if (v && v % (1u << 20) == 0)
        snprintf(buf, n, "%uM", v >> 20);
    else if (v && v % (1u << 10) == 0)
        snprintf(buf, n, "%uK", v >> 10);
    else
        snprintf(buf, n, "%u", v);
}

static const char *sz(char buf[16], uint32_t v)
{
    fmt_size(buf, 16, v);
    return buf;
}

static void put_spi(FILE *f, const char *key, const chipdef_spi_mem_t *s)
{
    char b[16];
    fprintf(f, "%s:\n  max_size: %s\n  clock_mhz: %u\n  lines: %u\n  ddr: %s\n", key,
            sz(b, s->max_size), s->clock_mhz, s->lines, s->ddr ? "true" : "false");
    fprintf(f, "  cmd_clocks: %u\n  addr_clocks: %u\n  dummy_clocks: %u\n  overhead_ns: %u\n",
            s->cmd_clocks, s->addr_clocks, s->dummy_clocks, s->overhead_ns);
    fprintf(f, "  page_program_us: %u\n  sector_erase_us: %u\n  block_erase_us: %u\n",
            s->page_program_us, s->sector_erase_us, s->block_erase_us);
    if (s->mode[0]) {
        fprintf(f, "  mode: %s\n  modes: [", s->mode);
        const char *sep = "";
        for (uint32_t i = 0; chipdef_spi_mode_name(i); i++)
            if (s->modes >> i & 1) {
                fprintf(f, "%s%s", sep, chipdef_spi_mode_name(i));
                sep = ", ";
            }
        fprintf(f, "]\n");
    }
    fprintf(f, "  speeds_mhz: [");
    for (size_t i = 0; i < sizeof s->speeds_mhz / sizeof s->speeds_mhz[0] && s->speeds_mhz[i]; i++)
        fprintf(f, "%s%u", i ? ", " : "", s->speeds_mhz[i]);
    fprintf(f, "]\n");
}

/* A bit set as a YAML list: sizes (bit n = 2^n bytes) or counts (bit n = n). */
static void put_set(FILE *f, const char *key, uint64_t set, bool counts)
{
    if (!set)
        return;
    char b[16];
    fprintf(f, "    %s: [", key);
    const char *sep = "";
    for (unsigned bit = 0; bit < 64; bit++)
        if (set >> bit & 1) {
            if (counts)
                fprintf(f, "%s%u", sep, bit);
            else
                fprintf(f, "%s%s", sep, sz(b, 1u << bit));
            sep = ", ";
        }
    fprintf(f, "]\n");
}

void chipdef_write_yaml(const chipdef_t *c, FILE *f)
{
    char b[16], b2[16];
    fprintf(f, "name: %s\n", c->name);
    if (c->description[0])
        fprintf(f, "description: \"%s\"\n", c->description);
    fprintf(f, "cores: %u\ncpu_mhz: %u\ncpu_speeds_mhz: [", c->cores, c->cpu_mhz);
    for (size_t i = 0; i < sizeof c->cpu_speeds_mhz / sizeof c->cpu_speeds_mhz[0] && c->cpu_speeds_mhz[i]; i++)
        fprintf(f, "%s%u", i ? ", " : "", c->cpu_speeds_mhz[i]);
    fprintf(f, "]\ncpu_access_cycles: %u\n\nmmu:\n  page_sizes: [", c->cpu_access_cycles);
    const char *sep = "";
    for (unsigned bit = 0; bit < 32; bit++)
        if (c->page_sizes & (1u << bit)) {
            fprintf(f, "%s%s", sep, sz(b, 1u << bit));
            sep = ", ";
        }
    fprintf(f, "]\n");
    if (c->linear_pages)
        fprintf(f, "  linear_pages: %u\n", c->linear_pages);
    else
        fprintf(f, "  linear_mask: 0x%X\n", c->linear_mask);
    fprintf(f, "  scope: %s\n  tables:\n", name_of(&chipdef_scope_names, c->mmu_scope));
    for (unsigned i = 0; i < c->mmu_count; i++) {
        const chipdef_mmu_t *m = &c->mmus[i];
        fprintf(f, "    - name: %s\n      entries: %u\n      targets: ", m->name, m->entries);
        put_flags(f, m->targets, &chipdef_target_names);
        fprintf(f, "\n      value_mask: 0x%X\n      valid_bit: %u\n      valid_when_set: %s\n",
                m->value_mask, m->valid_bit, m->valid_when_set ? "true" : "false");
        fprintf(f, "      target_from: %s\n", name_of(&chipdef_target_from_names, m->target_from));
        if (m->flash_bit >= 0)
            fprintf(f, "      flash_bit: %d\n", m->flash_bit);
        if (m->psram_bit >= 0)
            fprintf(f, "      psram_bit: %d\n", m->psram_bit);
        if (m->sensitive_bit >= 0)
            fprintf(f, "      sensitive_bit: %d\n", m->sensitive_bit);
        if (m->target_reads_index)
            fprintf(f, "      target_reads_index: true\n");
        if (m->max_paddr_pages_flash)
            fprintf(f, "      max_paddr_pages_flash: %u\n", m->max_paddr_pages_flash);
        if (m->max_paddr_pages_psram)
            fprintf(f, "      max_paddr_pages_psram: %u\n", m->max_paddr_pages_psram);
        for (unsigned k = 0; k < m->page_size_code_count; k++)
            fprintf(f, "%s%s%s", k ? ", " : "      page_size_codes: [", sz(b, m->page_size_codes[k]),
                    k + 1 == m->page_size_code_count ? "]\n" : "");
    }
    fprintf(f, "\nwindows:\n");
    for (unsigned i = 0; i < c->window_count; i++) {
        const chipdef_window_t *w = &c->windows[i];
        fprintf(f, "  - name: %s\n    vaddr: 0x%08X\n    size: %s\n    types: ", w->name, w->vaddr,
                sz(b, w->size));
        put_flags(f, w->types, &chipdef_type_names);
        fprintf(f, "\n    bus: ");
        put_flags(f, w->bus, &chipdef_bus_names);
        fprintf(f, "\n    mmu: %s\n    entry_base: %u\n    page_size: %s\n    targets: ",
                c->mmus[w->mmu].name, w->entry_base, sz(b, w->page_size));
        put_flags(f, w->targets, &chipdef_target_names);
        fprintf(f, "\n    access: ");
        put_flags(f, w->access, &chipdef_cap_names);
        fprintf(f, "\n    caches: [");
        sep = "";
        for (unsigned k = 0; k < c->cache_count; k++)
            if (w->cache & (1u << k)) {
                fprintf(f, "%s%s", sep, c->caches[k].name);
                sep = ", ";
            }
        fprintf(f, "]\n");
    }
    fprintf(f, "\nregions:\n");
    for (unsigned i = 0; i < c->region_count; i++) {
        const chipdef_region_t *r = &c->regions[i];
        /* The file's range: ESP-TEE's trims (config.secure_enable_tee) apply on load. */
        uint32_t start = i ? r->start : r->start - c->tee_trim_start, end = i ? r->end : r->end + c->tee_trim_end;
        fprintf(f, "  - name: %s\n    start: 0x%X\n    end: 0x%X\n    bus: ", r->name, start, end);
        put_flags(f, r->bus, &chipdef_bus_names);
        fprintf(f, "\n    targets: ");
        put_flags(f, r->targets, &chipdef_target_names);
        fprintf(f, "\n    caps: ");
        put_flags(f, r->caps, &chipdef_cap_names);
        fprintf(f, "\n");
    }
    fprintf(f, "\ncaches:\n");
    for (unsigned i = 0; i < c->cache_count; i++) {
        const chipdef_cache_t *k = &c->caches[i];
        fprintf(f, "  - name: %s\n    level: %u\n    kind: %s\n    per_core: %s\n    size: %s\n", k->name,
                k->level, name_of(&chipdef_kind_names, k->kind), k->per_core ? "true" : "false", sz(b, k->size));
        fprintf(f, "    ways: %u\n    line_size: %u\n    write_back: %s\n    physically_tagged: %s\n",
                k->ways, k->line_size, k->write_back ? "true" : "false",
                k->physically_tagged ? "true" : "false");
        if (k->next)
            fprintf(f, "    next: %s\n", c->caches[k->next - 1].name);
        fprintf(f, "    hit_cycles: %u\n    critical_word_first: %s\n    writeback_buffer: %s\n", k->hit_cycles,
                k->critical_word_first ? "true" : "false", k->writeback_buffer ? "true" : "false");
        fprintf(f, "    store_miss_skips_fill: %s\n    store_miss_latency: %s\n",
                k->store_miss_skips_fill ? "true" : "false", k->store_miss_latency ? "true" : "false");
        put_set(f, "allowed_sizes", k->allowed_sizes, false);
        put_set(f, "allowed_ways", k->allowed_ways, true);
        put_set(f, "allowed_line_sizes", k->allowed_lines, false);
        if (k->max_lines)
            fprintf(f, "    max_lines: %u\n", k->max_lines);
    }
    fprintf(f, "\ncache_hal:\n  level_int: %u\n  level_ext: %u\n", c->cache_level_int, c->cache_level_ext);
    if (c->hal_ext_line_size)
        fprintf(f, "  ext_line_size: %u\n", c->hal_ext_line_size);
    fprintf(f, "  writeback: %s\n  freeze: %s\n  msync_windows:\n",
            c->cache_writeback_supported ? "true" : "false", c->cache_freeze_supported ? "true" : "false");
    for (unsigned i = 0; i < c->msync_window_count; i++)
        fprintf(f, "    - {start: 0x%08X, end: 0x%08X, level: %u}\n", c->msync_windows[i].start,
                c->msync_windows[i].end, c->msync_windows[i].level);
    fprintf(f, "\nsoc:\n  spiram_supported: %s\n  mmu_map_psram: %s\n  cache_32bit_addr_map: %s\n",
            c->spiram_supported ? "true" : "false", c->mmu_map_psram ? "true" : "false",
            c->cache_32bit_addr_map ? "true" : "false");
    if (c->tee_supported)
        fprintf(f, "  tee_supported: true\n");
    if (c->tee_since)
        fprintf(f, "  tee_since: v%u.%u.%u\n", c->tee_since / 10000u, c->tee_since / 100u % 100u, c->tee_since % 100u);
    if (c->spiram_xip_supported)
        fprintf(f, "  spiram_xip_supported: true\n");
    if (c->spiram_xip_split_options)
        fprintf(f, "  spiram_xip_split_options: true\n");
    fputc('\n', f);
    put_spi(f, "flash", &c->flash);
    if (c->psram.max_size) {
        fputc('\n', f);
        put_spi(f, "psram", &c->psram);
    }
    if (c->himem.enabled)
        fprintf(f, "\nhimem:\n  window_vaddr: 0x%08X\n  window_pages: %u\n  page_size: %s\n"
                   "  reserve_min: %u\n  reserve_max: %u\n",
                c->himem.window_vaddr, c->himem.window_pages, sz(b, c->himem.page_size),
                c->himem.reserve_min, c->himem.reserve_max);
    if (c->internal_ram.size)
        fprintf(f, "\ninternal_ram:\n  vaddr: 0x%08X\n  size: %s\n  exec: %s\n", c->internal_ram.vaddr,
                sz(b, c->internal_ram.size), c->internal_ram.exec ? "true" : "false");
    fprintf(f, "\nfill:\n  invalid_entry: 0x%08X\n  no_window: 0x%08X\n", c->fill_invalid_entry,
            c->fill_no_window);
    const chipdef_config_t *k = &c->config;
    fprintf(f, "\nconfig:\n  flash_size: %s\n  psram_size: %s\n  mmu_page_size: %s\n", sz(b, k->flash_size),
            sz(b2, k->psram_size), sz((char[16]){0}, k->mmu_page_size));
    if (c->himem.enabled)
        fprintf(f, "  spiram_bankswitch_reserve: %u\n", k->spiram_bankswitch_reserve);
    fprintf(f, "  app_irom_size: %s\n", sz(b, k->app_irom_size));
    fprintf(f, "  app_drom_size: %s\n", sz(b, k->app_drom_size));
    fprintf(f, "  partition_table_offset: 0x%X\n", k->partition_table_offset);
    fprintf(f, "  app_offset: 0x%X\n", k->app_offset);
    if (k->partition_table[0]) { /* double-quoted: any path survives */
        fputs("  partition_table: \"", f);
        for (const char *p = k->partition_table; *p; p++)
            fprintf(f, *p == '"' || *p == '\\' ? "\\%c" : (unsigned char)*p < 0x20 ? "\\x%02x" : "%c", *p);
        fputs("\"\n", f);
    }
    fprintf(f, "  idf_version: \"%s\"\n  psram_mode: %s\n", k->idf_version,
            k->psram_lowhigh ? "lowhigh" : "normal");
    fprintf(f, "  bootloader_cache_32bit_addr: %s\n", k->cache_32bit_addr ? "true" : "false");
    fprintf(f, "  partition_table_md5: %s\n", k->partition_table_md5 ? "true" : "false");
    if (c->tee_supported)
        fprintf(f, "  secure_enable_tee: %s\n", k->secure_enable_tee ? "true" : "false");
    if (c->spiram_xip_split_options)
        fprintf(f, "  spiram_fetch_instructions: %s\n  spiram_rodata: %s\n",
                k->spiram_fetch_instructions ? "true" : "false", k->spiram_rodata ? "true" : "false");
    else if (c->spiram_xip_supported) /* both or neither: the one option selects the two */
        fprintf(f, "  spiram_xip_from_psram: %s\n", k->spiram_rodata ? "true" : "false");
}

void chipdef_summary(const chipdef_t *c, char *buf, size_t n)
{
    char page[16], fl[16], ps[16], csum[160] = "";
    fmt_size(page, sizeof page, c->config.mmu_page_size);
    fmt_size(fl, sizeof fl, c->flash.size);
    fmt_size(ps, sizeof ps, c->psram.size);
    for (unsigned i = 0; i < c->cache_count; i++) {
        const chipdef_cache_t *k = &c->caches[i];
        char s[16], one[80];
        fmt_size(s, sizeof s, k->size);
        snprintf(one, sizeof one, "%s%s %s/%uw/%uB%s%s", i ? ", " : "", k->name, s, k->ways, k->line_size,
                 k->write_back ? " wb" : "", k->per_core ? " per-core" : "");
        strncat(csum, one, sizeof csum - strlen(csum) - 1);
    }
    /* Windows: data and instruction ranges that reach flash or PSRAM. */
    char wins[200] = "";
    for (unsigned i = 0; i < c->window_count; i++) {
        const chipdef_window_t *w = &c->windows[i];
        char one[72], s[16];
        fmt_size(s, sizeof s, w->size);
        snprintf(one, sizeof one, "%s%s 0x%08X+%s", i ? " " : "", w->name, w->vaddr, s);
        strncat(wins, one, sizeof wins - strlen(wins) - 1);
    }
    snprintf(buf, n, "%-8s %u core%s  page %-4s  flash %-4s psram %-4s  windows: %s  caches: %s", c->name,
             c->cores, c->cores > 1 ? "s" : " ", page, fl, c->psram.max_size ? ps : "-", wins, csum);
}
