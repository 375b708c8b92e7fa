/* fw_otadata.c - the OTA data partition and the bootloader's choice of app. */
#include "fw_otadata.h"
#include "fw_partition_int.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

uint32_t fw_crc32_le(uint32_t crc, const uint8_t *buf, size_t len)
{
    crc = ~crc;
    for (size_t i = 0; i < len; i++) {
        crc ^= buf[i];
        for (int b = 0; b < 8; b++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

uint32_t fw_ota_seq_crc(uint32_t seq)
{
    uint8_t b[4];
    put32(b, seq);
    return fw_crc32_le(UINT32_MAX, b, 4);
}

void fw_ota_entry_write(uint8_t out[FW_OTA_ENTRY_SIZE], uint32_t seq, uint32_t state)
{
    memset(out, 0xFF, FW_OTA_ENTRY_SIZE);
    put32(out, seq);
    put32(out + 24, state);
    put32(out + 28, fw_ota_seq_crc(seq));
}

static void decode(const uint8_t *p, fw_ota_entry_t *e)
{
    e->ota_seq = le32(p);
    memcpy(e->seq_label, p + 4, FW_OTA_LABEL_LEN);
    e->ota_state = le32(p + 24);
    e->crc = le32(p + 28);
    e->crc_ok = e->crc == fw_ota_seq_crc(e->ota_seq);
    e->invalid = e->ota_seq == UINT32_MAX || e->ota_state == FW_OTA_IMG_INVALID ||
                 e->ota_state == FW_OTA_IMG_ABORTED;
    e->valid = !e->invalid && e->crc_ok;
}

/* bootloader_common_select_otadata(.., max = true) */
static int select_active(const fw_otadata_t *o)
{
    const fw_ota_entry_t *e = o->entry;
    if (e[0].valid && e[1].valid)
        return (e[0].ota_seq >= e[1].ota_seq) ? 0 : 1;
    return e[0].valid ? 0 : e[1].valid ? 1 : -1;
}

int fw_otadata_read(const char *file, const uint8_t *data, size_t len, fw_otadata_t *out,
                    fw_error_t *err)
{
    if (!out || (!data && len))
        return fw_fail(err, FW_ERR_ARG, "fw_otadata_read: no %s", out ? "data" : "output");
    memset(out, 0, sizeof *out);
    out->active = -1;
    if (!file)
        file = "otadata";
    if (len < FW_OTA_SECTOR_SIZE + FW_OTA_ENTRY_SIZE)
        return fw_fail(err, FW_ERR_TRUNCATED,
                       "%s: byte offset 0x%zx: truncated: the otadata ends before its %s entry "
                       "(bytes 0x%x-0x%x of the 0x2000-byte partition)", file, len,
                       len < FW_OTA_ENTRY_SIZE ? "first" : "second",
                       len < FW_OTA_ENTRY_SIZE ? 0u : FW_OTA_SECTOR_SIZE,
                       (len < FW_OTA_ENTRY_SIZE ? 0u : FW_OTA_SECTOR_SIZE) + FW_OTA_ENTRY_SIZE - 1);
    decode(data, &out->entry[0]);
    decode(data + FW_OTA_SECTOR_SIZE, &out->entry[1]);
    out->active = select_active(out);
    return 0;
}

void fw_boot_parts(const fw_ptable_t *t, fw_boot_parts_t *o)
{
    o->factory = o->test = o->otadata = -1;
    for (unsigned i = 0; i < FW_OTA_MAX_SLOTS; i++)
        o->ota[i] = -1;
    o->app_count = 0;
    for (size_t i = 0; t && i < t->count; i++) {
        const fw_partition_t *p = &t->entries[i];
        if (p->type == FW_PART_TYPE_APP) {
            if (p->subtype == FW_PART_SUBTYPE_APP_FACTORY)
                o->factory = (int)i;
            else if (p->subtype == FW_PART_SUBTYPE_APP_TEST)
                o->test = (int)i;
            else if ((p->subtype & 0xF0) == FW_PART_SUBTYPE_APP_OTA_0) {
                o->ota[p->subtype & 0x0F] = (int)i;
                o->app_count++;
            }
        } else if (p->type == FW_PART_TYPE_DATA && p->subtype == FW_PART_SUBTYPE_DATA_OTA) {
            o->otadata = (int)i;
        }
    }
}

static void logf_(fw_boot_choice_t *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(fw_boot_choice_t *c, const char *fmt, ...)
{
    size_t n = strlen(c->log);
    if (n + 1 >= sizeof c->log)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->log + n, sizeof c->log - n, fmt, ap);
    va_end(ap);
    n = strlen(c->log);
    if (n + 1 < sizeof c->log) {
        c->log[n] = '\n';
        c->log[n + 1] = '\0';
    }
}

/* index_to_partition: the table entry of a slot, or -1. */
static int slot_entry(const fw_boot_parts_t *p, int slot)
{
    if (slot == FW_BOOT_FACTORY)
        return p->factory;
    if (slot == FW_BOOT_TEST)
        return p->test;
    if (slot >= 0 && slot < (int)FW_OTA_MAX_SLOTS && slot < (int)p->app_count)
        return p->ota[slot];
    return -1;
}

static void add_candidate(fw_boot_choice_t *c, const fw_ptable_t *t, int slot)
{
    int e = slot_entry(&c->parts, slot);
    if (e < 0 || t->entries[e].size == 0 || c->candidate_count == FW_BOOT_MAX_CANDIDATES)
        return;
    c->candidate_slot[c->candidate_count] = slot;
    c->candidate_entry[c->candidate_count++] = e;
}

int fw_boot_select(const char *file, const fw_ptable_t *t, const uint8_t *otadata, size_t len,
                   fw_boot_choice_t *c, fw_error_t *err)
{
    if (!t || !c)
        return fw_fail(err, FW_ERR_ARG, "fw_boot_select: no %s", t ? "output" : "table");
    memset(c, 0, sizeof *c);
    c->otadata.active = -1;
    if (!file)
        file = "otadata";
    fw_boot_parts(t, &c->parts);
    const fw_boot_parts_t *p = &c->parts;
    c->start_index = FW_BOOT_FACTORY;

    if (p->otadata < 0) {
        snprintf(c->reason, sizeof c->reason, "no otadata partition: the factory app");
    } else {
        const fw_partition_t *od = &t->entries[p->otadata];
        if (od->size < FW_OTADATA_SIZE)
            return fw_fail(err, FW_ERR_RULE,
                           "%s: ota_info partition size %" PRIu32 " is too small (minimum %u "
                           "bytes)", file, od->size, FW_OTADATA_SIZE);
        uint8_t blank[FW_OTA_SECTOR_SIZE + FW_OTA_ENTRY_SIZE];
        if (!otadata || len == 0) {
            memset(blank, 0xFF, sizeof blank);
            otadata = blank;
            len = sizeof blank;
        }
        int rc = fw_otadata_read(file, otadata, len, &c->otadata, err);
        if (rc)
            return rc;
        c->has_otadata = true;
        const fw_ota_entry_t *e = c->otadata.entry;
        if ((e[0].invalid && e[1].invalid) || p->app_count == 0) {
            if (p->factory >= 0) {
                logf_(c, "Defaulting to factory image");
                snprintf(c->reason, sizeof c->reason, "%s: the factory app",
                         p->app_count == 0 ? "no OTA app partitions"
                                           : "both otadata entries empty or invalid");
            } else {
                logf_(c, "No factory image, trying OTA 0");
                c->start_index = 0;
                snprintf(c->reason, sizeof c->reason, "%s and no factory app: ota_0",
                         p->app_count == 0 ? "no OTA app partitions"
                                           : "both otadata entries empty or invalid");
            }
        } else if (c->otadata.active >= 0) {
            int a = c->otadata.active;
            uint32_t seq = e[a].ota_seq - 1;
            c->start_index = (int)(seq % p->app_count);
            snprintf(c->reason, sizeof c->reason,
                     "otadata[%d] is valid with sequence %" PRIu32 "%s: (%" PRIu32 " - 1) mod %u "
                     "OTA app%s = slot %d (ota_%d)", a, e[a].ota_seq,
                     e[1 - a].valid ? " (the higher of the two)" : " (the other is not valid)",
                     e[a].ota_seq, p->app_count, p->app_count == 1 ? "" : "s", c->start_index,
                     c->start_index);
        } else if (p->factory >= 0) {
            logf_(c, "ota data partition invalid, falling back to factory");
            snprintf(c->reason, sizeof c->reason,
                     "no otadata entry has a valid CRC: the factory app");
        } else {
            logf_(c, "ota data partition invalid and no factory, will try all partitions");
            snprintf(c->reason, sizeof c->reason,
                     "no otadata entry has a valid CRC and no factory app: every app in turn");
        }
    }

    /* bootloader_utility_load_boot_image's order. */
    for (int i = c->start_index; i >= FW_BOOT_FACTORY; i--)
        add_candidate(c, t, i);
    for (int i = c->start_index + 1; i < (int)p->app_count; i++)
        add_candidate(c, t, i);
    add_candidate(c, t, FW_BOOT_TEST);
    if (c->candidate_count == 0) {
        logf_(c, "No bootable app partitions in the partition table");
        return fw_fail(err, FW_ERR_RULE,
                       "%s: No bootable app partitions in the partition table", file);
    }
    return 0;
}
