/* fw_build.c - a build/ folder, list file, merged flash or app .bin read as one thing
 * (fw_build.h): the flash it leaves, its configuration, and the app the bootloader
 * boots from it. */
#include "fw_build.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fw_otadata.h"
#include "fw_partition.h"
#include "fw_partition_int.h"

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* The folder of a file path ("." when it has none). */
static void dir_of(const char *path, char *out, size_t n)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(out, n, ".");
    else if (slash == path)
        snprintf(out, n, "/");
    else
        snprintf(out, n, "%.*s", (int)(slash - path), path);
}

/* Copy each image the list names into the flash buffer (after the list's checks). */
static int read_list_images(fw_build_t *b, fw_error_t *err)
{
    fw_flash_args_t *a = &b->args;
    int rc = fw_flash_args_check(b->path, a, b->dir, 0, err);
    if (rc)
        return rc;
    uint64_t end = 0;
    for (size_t i = 0; i < a->count; i++)
        if (a->images[i].offset + a->images[i].size > end)
            end = a->images[i].offset + a->images[i].size;
    if (end > FW_BUILD_MAX_FLASH)
        return fw_fail(err, FW_ERR_RANGE, "%s: the images end at 0x%" PRIx64 ", past the largest flash (128 MB)",
                       b->path, end);
    b->flash = malloc(end ? (size_t)end : 1u);
    if (!b->flash)
        return fw_fail(err, FW_ERR_NOMEM, "%s: out of memory for 0x%" PRIx64 " bytes of flash", b->path, end);
    memset(b->flash, 0xFF, (size_t)end);
    b->flash_len = (size_t)end;
    for (size_t i = 0; i < a->count; i++) {
        const fw_flash_image_t *im = &a->images[i];
        char path[FW_FLASH_PATH_MAX * 2 + 2];
        if (im->file[0] != '/')
            snprintf(path, sizeof path, "%s/%s", b->dir, im->file);
        else
            snprintf(path, sizeof path, "%s", im->file);
        uint8_t *data;
        size_t len;
        if ((rc = fw_read_file(path, FW_BUILD_MAX_FLASH, "an image", &data, &len, err)) != 0)
            return rc;
        /* The file may have changed since the check: keep within what was measured. */
        if (len > im->size)
            len = (size_t)im->size;
        memcpy(b->flash + im->offset, data, len);
        free(data);
    }
    return 0;
}

/* The build's configuration files, when present beside the list. */
static int read_config(fw_build_t *b, fw_error_t *err)
{
    char p[FW_FLASH_PATH_MAX + 64];
    snprintf(p, sizeof p, "%s/project_description.json", b->dir);
    if (is_file(p)) {
        int rc = fw_project_desc_load(p, &b->project, err);
        if (rc)
            return rc;
        b->has_project = true;
        snprintf(b->project_path, sizeof b->project_path, "%s", p);
        if (b->project.target[0]) {
            snprintf(b->target, sizeof b->target, "%s", b->project.target);
            snprintf(b->target_source, sizeof b->target_source, "%s \"target\"", p);
        }
    }
    static const char *const where[] = {"%s/config/sdkconfig.json", "%s/sdkconfig", "%s/../sdkconfig"};
    for (size_t i = 0; i < sizeof where / sizeof where[0]; i++) {
        snprintf(p, sizeof p, where[i], b->dir);
        if (!is_file(p))
            continue;
        int rc = fw_sdkconfig_load(p, &b->sdkconfig, err);
        if (rc)
            return rc;
        b->has_sdkconfig = true;
        snprintf(b->sdkconfig_path, sizeof b->sdkconfig_path, "%s", p);
        const fw_kv_t *t = fw_kv_get(&b->sdkconfig, "CONFIG_IDF_TARGET");
        if (t && t->set && !b->target[0]) {
            snprintf(b->target, sizeof b->target, "%s", t->value);
            snprintf(b->target_source, sizeof b->target_source, "%s:%u", p, t->line);
        }
        break;
    }
    if (!b->target[0] && b->args.chip[0]) {
        snprintf(b->target, sizeof b->target, "%s", b->args.chip);
        snprintf(b->target_source, sizeof b->target_source, "%s \"extra_esptool_args\"", b->path);
    }
    return 0;
}

/* A merged flash names its chip by its bootloader's image header (the chip id at byte
 * 12), where that chip's ROM looks for it: 0x0, 0x1000 (ESP32, S2) or 0x2000 (C5, H4,
 * P4, S31).  An id found at another chip's offset names nothing. */
static void name_chip_by_bootloader(fw_build_t *b)
{
    for (size_t i = 0; fw_chip_at(i); i++) {
        const fw_chip_mem_t *c = fw_chip_at(i);
        uint32_t at = c->bootloader_offset;
        if (b->flash_len < (size_t)at + FW_IMAGE_HEADER_SIZE || b->flash[at] != FW_IMAGE_MAGIC ||
            (uint16_t)(b->flash[at + 12] | b->flash[at + 13] << 8) != c->chip_id)
            continue;
        snprintf(b->target, sizeof b->target, "%s", c->name);
        snprintf(b->target_source, sizeof b->target_source, "%s: byte offset 0x%x (the bootloader's chip id)",
                 b->path, (unsigned)(at + 12));
        return;
    }
}

/* A .bin: a merged flash when the default table offset holds a partition entry. */
static int read_bin(fw_build_t *b, fw_error_t *err)
{
    uint8_t *data;
    size_t len;
    int rc = fw_read_file(b->path, FW_BUILD_MAX_FLASH, "a flash or app image", &data, &len, err);
    if (rc)
        return rc;
    if (len > FW_PTABLE_OFFSET_DEFAULT + 2 && data[FW_PTABLE_OFFSET_DEFAULT] == 0xAA &&
        data[FW_PTABLE_OFFSET_DEFAULT + 1] == 0x50) {
        b->kind = FW_BUILD_MERGED;
        b->flash = data;
        b->flash_len = len;
        name_chip_by_bootloader(b);
        return 0;
    }
    if (len == 0 || data[0] != FW_IMAGE_MAGIC) {
        free(data);
        return fw_fail(err, FW_ERR_MAGIC,
                       "%s: byte offset 0x0: neither an app image (magic 0xe9) nor a merged flash "
                       "(a partition table at 0x%x)", b->path, FW_PTABLE_OFFSET_DEFAULT);
    }
    b->kind = FW_BUILD_APP_IMAGE;
    b->flash_len = FW_BUILD_APP_OFFSET + len;
    b->flash = malloc(b->flash_len);
    if (!b->flash) {
        free(data);
        return fw_fail(err, FW_ERR_NOMEM, "%s: out of memory", b->path);
    }
    memset(b->flash, 0xFF, FW_BUILD_APP_OFFSET);
    memcpy(b->flash + FW_BUILD_APP_OFFSET, data, len);
    free(data);
    /* The image's own chip id names the target when nothing else does. */
    if (len >= FW_IMAGE_HEADER_SIZE) {
        const fw_chip_mem_t *c = fw_chip_by_id((uint16_t)(b->flash[FW_BUILD_APP_OFFSET + 12] |
                                                          b->flash[FW_BUILD_APP_OFFSET + 13] << 8));
        if (c) {
            snprintf(b->target, sizeof b->target, "%s", c->name);
            snprintf(b->target_source, sizeof b->target_source, "%s: byte offset 0xc (chip id)", b->path);
        }
    }
    return 0;
}

/* A file by its first bytes, whatever its name: an image starts with the magic (a
 * merged flash with its bootloader at 0x1000 or 0x2000, erased 0xFF), JSON with '{',
 * anything else is read as flash_args. */
static fw_build_kind_t first_byte_kind(const char *path)
{
    FILE *f = fopen(path, "rb");
    int c = f ? fgetc(f) : EOF;
    while (c == ' ' || c == '\t' || c == '\r' || c == '\n')
        c = fgetc(f);
    if (f)
        fclose(f);
    if (c == FW_IMAGE_MAGIC || c == 0xFF)
        return FW_BUILD_APP_IMAGE; /* read_bin tells a merged flash from an app */
    return c == '{' ? FW_BUILD_FLASHER_ARGS : FW_BUILD_FLASH_ARGS;
}

int fw_build_load(const char *path, fw_build_t *out, fw_error_t *err)
{
    if (!path || !out)
        return fw_fail(err, FW_ERR_ARG, "fw_build_load: no %s", path ? "output" : "path");
    memset(out, 0, sizeof *out);
    int rc;
    if (is_dir(path)) {
        snprintf(out->dir, sizeof out->dir, "%s", path);
        size_t n = strlen(out->dir);
        while (n > 1 && out->dir[n - 1] == '/')
            out->dir[--n] = '\0';
        path = out->dir;
        snprintf(out->path, sizeof out->path, "%s/flasher_args.json", path);
        out->kind = FW_BUILD_FLASHER_ARGS;
        if (!is_file(out->path)) {
            snprintf(out->path, sizeof out->path, "%s/flash_args", path);
            out->kind = FW_BUILD_FLASH_ARGS;
        }
        if (!is_file(out->path)) {
            rc = fw_fail(err, FW_ERR_IO, "%s: a build folder holds flasher_args.json or flash_args; "
                         "this one has neither", path);
            goto fail;
        }
    } else {
        snprintf(out->path, sizeof out->path, "%s", path);
        dir_of(path, out->dir, sizeof out->dir);
        errno = 0;
        if (!is_file(path)) {
            rc = fw_fail(err, FW_ERR_IO, "%s: cannot open: %s", path, errno ? strerror(errno) : "not a file");
            goto fail;
        }
        out->kind = first_byte_kind(path);
    }
    if (out->kind == FW_BUILD_APP_IMAGE)
        rc = read_bin(out, err);
    else if (!(rc = fw_flash_args_load(out->path, &out->args, err)))
        rc = read_list_images(out, err);
    if (!rc)
        rc = read_config(out, err);
    if (!rc)
        return 0;
fail:
    fw_build_free(out);
    return rc;
}

void fw_build_free(fw_build_t *b)
{
    if (!b)
        return;
    free(b->flash);
    fw_kvlist_free(&b->sdkconfig);
    fw_project_desc_free(&b->project);
    memset(b, 0, sizeof *b);
}

static void logf_(fw_build_boot_t *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(fw_build_boot_t *o, const char *fmt, ...)
{
    size_t n = strlen(o->log);
    if (n + 2 >= sizeof o->log)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->log + n, sizeof o->log - n - 1, fmt, ap);
    va_end(ap);
    n = strlen(o->log);
    o->log[n] = '\n';
    o->log[n + 1] = '\0';
}

/* bootloader_utility_load_partition_table's name for a partition's use. */
static const char *usage_of(const fw_partition_t *p)
{
    if (p->type == FW_PART_TYPE_APP) {
        if (p->subtype == 0x00)
            return "factory app";
        if (p->subtype == 0x20)
            return "test app";
        if (p->subtype >= 0x10 && p->subtype < 0x20)
            return "OTA app";
        return "Unknown app";
    }
    if (p->type == 0x01) {
        switch (p->subtype) {
        case 0x00: return "OTA data";
        case 0x01: return "RF data";
        case 0x02: return "WiFi data";
        case 0x04: return "NVS keys";
        case 0x05: return "efuse";
        case 0x90: return "TEE OTA data";
        default: return "Unknown data";
        }
    }
    if (p->type == 0x02)
        return p->subtype == 0 ? "primary bootloader" : p->subtype == 1 ? "ota bootloader" : "recovery bootloader";
    if (p->type == 0x03)
        return p->subtype == 0 ? "primary partition_table" : "ota partition_table";
    return "unknown";
}

int fw_build_boot(const fw_build_t *b, const fw_chip_mem_t *chip, uint32_t table_offset, bool table_md5,
                  fw_build_boot_t *out, fw_error_t *err)
{
    if (!b || !chip || !out)
        return fw_fail(err, FW_ERR_ARG, "fw_build_boot: no %s", !b ? "build" : !chip ? "chip" : "output");
    memset(out, 0, sizeof *out);
    if (b->kind == FW_BUILD_APP_IMAGE) {
        fw_image_opts_t io;
        fw_image_opts_default(&io);
        io.chip = chip;
        io.offset = FW_BUILD_APP_OFFSET;
        out->app_offset = FW_BUILD_APP_OFFSET;
        return fw_image_parse(b->path, b->flash + FW_BUILD_APP_OFFSET, b->flash_len - FW_BUILD_APP_OFFSET, &io,
                              &out->image, err);
    }
    fw_merged_t *m = malloc(sizeof *m);
    if (!m)
        return fw_fail(err, FW_ERR_NOMEM, "%s: out of memory", b->path);
    out->merged = m;
    fw_merged_opts_t mo;
    fw_merged_opts_default(&mo);
    mo.chip = chip;
    mo.table_offset = table_offset;
    mo.table_md5 = table_md5;
    /* Messages name the file that holds the bytes: the merged file, or the list. */
    int rc = fw_merged_read(b->path, b->flash, b->flash_len, &mo, m, err);
    if (rc)
        return rc;
    logf_(out, "Partition Table:");
    logf_(out, "## Label            Usage          Type ST Offset   Length");
    for (size_t i = 0; i < m->table.count; i++) {
        const fw_partition_t *p = &m->table.entries[i];
        logf_(out, "%2zu %-16s %-16s %02x %02x %08" PRIx32 " %08" PRIx32, i, p->label, usage_of(p), p->type,
              p->subtype, p->offset, p->size);
    }
    logf_(out, "End of partition table");
    size_t n = strlen(out->log);
    snprintf(out->log + n, sizeof out->log - n, "%s", m->boot.log);
    if (m->boot_entry < 0) {
        /* Every candidate refused: the first one's refusal says why. */
        for (size_t c = 0; c < m->boot.candidate_count; c++)
            for (size_t k = 0; k < m->app_count; k++)
                if (m->apps[k].entry == m->boot.candidate_entry[c])
                    return fw_fail(err, m->apps[k].rc ? m->apps[k].rc : FW_ERR_RULE, "%s", m->apps[k].error);
        return fw_fail(err, FW_ERR_RULE, "%s: No bootable app partitions in the partition table", b->path);
    }
    for (size_t k = 0; k < m->app_count; k++)
        if (m->apps[k].entry == m->boot_entry)
            out->image = m->apps[k].image;
    const fw_partition_t *p = &m->table.entries[m->boot_entry];
    out->app_offset = p->offset;
    snprintf(out->app_label, sizeof out->app_label, "%s", p->label);
    return 0;
}

void fw_build_boot_free(fw_build_boot_t *boot)
{
    if (!boot)
        return;
    free(boot->merged);
    boot->merged = NULL;
}
