/* fw_merged.c - a merged flash image read as the chip boots it. */
#include "fw_merged.h"
#include "fw_partition_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fw_merged_opts_default(fw_merged_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->table_offset = FW_PTABLE_OFFSET_DEFAULT;
    o->chip_revision = -1;
    o->table_md5 = true;
}

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

int fw_merged_read(const char *file, const uint8_t *data, size_t len, const fw_merged_opts_t *opts,
                   fw_merged_t *out, fw_error_t *err)
{
    fw_merged_opts_t defaults;
    if (!opts) {
        fw_merged_opts_default(&defaults);
        opts = &defaults;
    }
    if (!out || (!data && len))
        return fw_fail(err, FW_ERR_ARG, "fw_merged_read: no %s", out ? "data" : "output");
    memset(out, 0, sizeof *out);
    out->boot_entry = -1;
    if (!file)
        file = "flash image";
    out->size = len;

    /* Where the ROM finds the second-stage bootloader. */
    const fw_chip_mem_t *chip = opts->chip;
    if (!chip) {
        static const uint32_t where[] = {0x0, 0x1000, 0x2000};
        for (size_t i = 0; i < 3 && !chip; i++) {
            uint32_t o = where[i];
            if (len < o + FW_IMAGE_HEADER_SIZE || data[o] != FW_IMAGE_MAGIC)
                continue;
            const fw_chip_mem_t *c = fw_chip_by_id(le16(data + o + 12));
            if (c && c->bootloader_offset == o)
                chip = c;
        }
        if (!chip)
            return fw_fail(err, FW_ERR_MAGIC,
                           "%s: no bootloader image: none of 0x0 (C2, C3, C6, C61, H2, H21, "
                           "S3), 0x1000 (ESP32, S2) or 0x2000 (C5, H4, P4, S31) starts with "
                           "magic 0xe9 and a chip ID that boots from there", file);
    }
    out->chip = chip;
    out->bootloader_offset = chip->bootloader_offset;
    char label[300];
    snprintf(label, sizeof label, "%s: bootloader at 0x%" PRIx32, file, chip->bootloader_offset);
    if (len <= chip->bootloader_offset)
        return fw_fail(err, FW_ERR_TRUNCATED, "%s: the file ends at byte 0x%zx", label, len);
    fw_image_opts_t io;
    fw_image_opts_default(&io);
    io.kind = FW_IMAGE_BOOTLOADER;
    io.chip = chip;
    io.offset = chip->bootloader_offset;
    io.chip_revision = opts->chip_revision;
    int rc = fw_image_parse(label, data + chip->bootloader_offset, len - chip->bootloader_offset,
                            &io, &out->bootloader, err);
    if (rc)
        return rc;
    out->flash_size = fw_image_flash_size_bytes(out->bootloader.spi_size);

    /* The partition table. */
    out->table_offset = opts->table_offset;
    snprintf(label, sizeof label, "%s: partition table at 0x%" PRIx32, file, opts->table_offset);
    if (len <= opts->table_offset)
        return fw_fail(err, FW_ERR_TRUNCATED, "%s: the file ends at byte 0x%zx, before it",
                       label, len);
    size_t tl = len - opts->table_offset;
    if (tl > FW_PTABLE_SECTOR_SIZE)
        tl = FW_PTABLE_SECTOR_SIZE;
    fw_ptable_opts_t po;
    fw_ptable_opts_default(&po);
    po.table_offset = opts->table_offset;
    po.verify = false;
    po.flash_size = out->flash_size;
    po.md5 = opts->table_md5;
    if ((rc = fw_ptable_read_bin(label, data + opts->table_offset, tl, &po, &out->table, err)) != 0)
        return rc;

    /* Every app partition's image. */
    for (size_t i = 0; i < out->table.count && out->app_count < FW_MERGED_MAX_APPS; i++) {
        const fw_partition_t *p = &out->table.entries[i];
        if (p->type != FW_PART_TYPE_APP)
            continue;
        fw_merged_app_t *a = &out->apps[out->app_count++];
        a->entry = (int)i;
        a->flashed = p->offset < len && data[p->offset] != 0xFF;
        snprintf(label, sizeof label, "%s: partition '%s' at 0x%" PRIx32, file, p->label, p->offset);
        if (!a->flashed) {
            a->rc = FW_ERR_MAGIC;
            snprintf(a->error, sizeof a->error, "%s: erased (nothing flashed here)", label);
            continue;
        }
        fw_image_opts_default(&io);
        io.kind = FW_IMAGE_APP;
        io.chip = chip;
        io.offset = p->offset;
        io.partition_size = p->size;
        io.chip_revision = opts->chip_revision;
        size_t avail = len - p->offset;
        if (avail > p->size)
            avail = p->size;
        fw_error_t e;
        a->rc = fw_image_parse(label, data + p->offset, avail, &io, &a->image, &e);
        if (a->rc)
            snprintf(a->error, sizeof a->error, "%s", e.msg);
    }

    /* The otadata and the bootloader's choice. */
    fw_boot_parts_t parts;
    fw_boot_parts(&out->table, &parts);
    const uint8_t *od = NULL;
    size_t odl = 0;
    if (parts.otadata >= 0) {
        const fw_partition_t *p = &out->table.entries[parts.otadata];
        snprintf(label, sizeof label, "%s: otadata at 0x%" PRIx32, file, p->offset);
        if (p->offset < len) {
            od = data + p->offset;
            odl = len - p->offset < p->size ? len - p->offset : p->size;
            /* A short tail past the file's end reads as erased flash. */
            if (odl < FW_OTA_SECTOR_SIZE + FW_OTA_ENTRY_SIZE)
                od = NULL, odl = 0;
        }
    } else {
        snprintf(label, sizeof label, "%s: partition table at 0x%" PRIx32, file, opts->table_offset);
    }
    if ((rc = fw_boot_select(label, &out->table, od, odl, &out->boot, err)) != 0)
        return rc;
    for (size_t c = 0; c < out->boot.candidate_count && out->boot_entry < 0; c++)
        for (size_t k = 0; k < out->app_count; k++)
            if (out->apps[k].entry == out->boot.candidate_entry[c] && out->apps[k].rc == 0)
                out->boot_entry = out->apps[k].entry;
    return 0;
}

int fw_merged_load_file(const char *path, const fw_merged_opts_t *opts, fw_merged_t *out,
                        fw_error_t *err)
{
    if (!path || !out)
        return fw_fail(err, FW_ERR_ARG, "fw_merged_load_file: no %s", path ? "output" : "path");
    uint8_t *buf;
    size_t len;
    int rc = fw_read_file(path, 256u << 20, "a flash image", &buf, &len, err);
    if (rc) {
        memset(out, 0, sizeof *out);
        out->boot_entry = -1;
        return rc;
    }
    rc = fw_merged_read(path, buf, len, opts, out, err);
    free(buf);
    return rc;
}
