/* fw_partition_bin.c - the binary partition table: reading it as a chip's start-up
 * checks it (bootloader_support's esp_partition_table_verify, esp_partition's
 * load_partitions), and writing it byte for byte as gen_esp32part.py does. */
#include "fw_partition_int.h"
#include "md5.h"

#include <inttypes.h>
#include <string.h>

static uint32_t get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    for (unsigned i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void hex(char *out, const uint8_t *b, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 15];
    }
    out[2 * n] = '\0';
}

static void decode_entry(const uint8_t *rec, fw_partition_t *p)
{
    memset(p, 0, sizeof *p);
    p->type = rec[2];
    p->subtype = rec[3];
    p->offset = get_le32(rec + 4);
    p->size = get_le32(rec + 8);
    /* The label ends at its first NUL, or fills all 16 bytes. */
    size_t n = 0;
    while (n < FW_PART_LABEL_MAX && rec[12 + n])
        n++;
    memcpy(p->label, rec + 12, n);
    p->flags = get_le32(rec + 28);
}

/* The MD5 record's digest against the entries before it. */
static int check_md5(const char *file, const md5_ctx_t *running, const uint8_t *rec, size_t slot,
                     fw_error_t *err)
{
    md5_ctx_t c = *running;
    uint8_t digest[MD5_DIGEST_LEN];
    md5_final(&c, digest);
    if (memcmp(digest, rec + 16, MD5_DIGEST_LEN) == 0)
        return 0;
    char want[2 * MD5_DIGEST_LEN + 1], got[2 * MD5_DIGEST_LEN + 1];
    hex(want, digest, MD5_DIGEST_LEN);
    hex(got, rec + 16, MD5_DIGEST_LEN);
    return fw_fail(err, FW_ERR_MD5,
                   "%s: entry %zu: incorrect MD5 checksum: the record holds %s, the %zu entries "
                   "before it hash to %s", file, slot, got, slot, want);
}

int fw_ptable_read_bin(const char *file, const uint8_t *data, size_t len,
                       const fw_ptable_opts_t *opts, fw_ptable_t *out, fw_error_t *err)
{
    fw_ptable_opts_t defaults;
    if (!opts) {
        fw_ptable_opts_default(&defaults);
        opts = &defaults;
    }
    if (!out || (!data && len))
        return fw_fail(err, FW_ERR_ARG, "fw_ptable_read_bin: no %s", out ? "data" : "output");
    out->count = 0;
    out->has_md5 = false;
    if (!file)
        file = "partition table";
    if (len > FW_PTABLE_SECTOR_SIZE)
        return fw_fail(err, FW_ERR_OVERSIZED,
                       "%s: %zu bytes: more than the partition table's sector (0x%x bytes)", file,
                       len, FW_PTABLE_SECTOR_SIZE);
    if (len == 0)
        return fw_fail(err, FW_ERR_TRUNCATED, "%s: the file is empty: no partition table", file);

    md5_ctx_t running;
    md5_init(&running);
    bool md5_found = false;
    int rc = 0;
    for (size_t slot = 0; slot < FW_PTABLE_SLOTS && rc == 0; slot++) {
        size_t at = slot * FW_PTABLE_ENTRY_SIZE;
        if (at >= len) {
            rc = fw_fail(err, FW_ERR_TRUNCATED,
                         "%s: entry %zu: truncated: the file ends at byte 0x%zx, before the "
                         "table's end marker", file, slot, len);
            break;
        }
        if (len - at < FW_PTABLE_ENTRY_SIZE) {
            rc = fw_fail(err, FW_ERR_TRUNCATED,
                         "%s: entry %zu: truncated: the file ends at byte 0x%zx, inside this "
                         "entry (bytes 0x%zx-0x%zx)", file, slot, len, at,
                         at + FW_PTABLE_ENTRY_SIZE - 1);
            break;
        }
        const uint8_t *rec = data + at;
        unsigned magic = rec[0] | (unsigned)rec[1] << 8;
        if (magic == FW_PART_MAGIC) {
            /* The bootloader would count on past the MD5 record and then list it as a
             * partition in place of the last one; the app stops at the record.  Neither
             * is a table anyone meant to write. */
            if (md5_found) {
                rc = fw_fail(err, FW_ERR_MD5,
                             "%s: entry %zu: a partition after the MD5 record (the MD5 record "
                             "must follow the last partition)", file, slot);
                break;
            }
            if (out->count == FW_PTABLE_MAX_ENTRIES)
                break; /* the last record of the 0xC00 bytes: no room left for the end */
            decode_entry(rec, &out->entries[out->count++]);
            md5_update(&running, rec, FW_PTABLE_ENTRY_SIZE);
        } else if (magic == FW_PART_MAGIC_MD5) {
            if (md5_found) {
                rc = fw_fail(err, FW_ERR_MD5,
                             "%s: entry %zu: a second MD5 record: only one MD5 checksum is "
                             "allowed", file, slot);
                break;
            }
            rc = check_md5(file, &running, rec, slot, err);
            md5_found = true;
        } else if (magic == 0xFFFFu && rec[2] == 0xFF && rec[3] == 0xFF) {
            if (slot == 0) {
                rc = fw_fail(err, FW_ERR_MAGIC,
                             "%s: entry 0: the table starts with the end marker (erased flash?): "
                             "an empty table is not valid", file);
                break;
            }
            if (!md5_found && opts->md5) {
                rc = fw_fail(err, FW_ERR_MD5,
                             "%s: entry %zu: no MD5 record before the end marker (the app "
                             "refuses such a table unless CONFIG_PARTITION_TABLE_MD5 is off)",
                             file, slot);
                break;
            }
            out->has_md5 = md5_found;
            rc = opts->verify ? fw_ptable_verify(file, out, opts, err)
                              : fw_check_flash_size(file, out, opts, err);
            if (rc)
                out->count = 0;
            return rc;
        } else {
            rc = fw_fail(err, FW_ERR_MAGIC,
                         "%s: entry %zu: invalid magic number 0x%04x (a partition has 0x50aa, "
                         "the MD5 record 0xebeb, the end marker 0xffff with type and subtype 0xff)",
                         file, slot, magic);
        }
    }
    if (rc == 0)
        rc = fw_fail(err, FW_ERR_OVERSIZED,
                     "%s: no end marker within the table's 0x%x bytes (%u records): the table "
                     "has no terminating entry", file, FW_PTABLE_MAX_LEN, FW_PTABLE_SLOTS);
    out->count = 0;
    out->has_md5 = false;
    return rc;
}

int fw_ptable_write_bin(const fw_ptable_t *t, const fw_ptable_opts_t *opts,
                        uint8_t out[FW_PTABLE_MAX_LEN], fw_error_t *err)
{
    fw_ptable_opts_t defaults;
    if (!opts) {
        fw_ptable_opts_default(&defaults);
        opts = &defaults;
    }
    if (!t || !out)
        return fw_fail(err, FW_ERR_ARG, "fw_ptable_write_bin: no %s", t ? "output" : "table");
    /* The entries and the MD5 record must leave room for the end marker. */
    size_t room = FW_PTABLE_SLOTS - 1 - (opts->md5 ? 1 : 0);
    if (t->count > room)
        return fw_fail(err, FW_ERR_OVERSIZED,
                       "%zu partitions: a binary table holds at most %zu%s (0x%x bytes)",
                       t->count, room, opts->md5 ? " and its MD5 record" : "", FW_PTABLE_MAX_LEN);
    for (size_t i = 0; i < t->count; i++) {
        const fw_partition_t *p = &t->entries[i];
        if (strnlen(p->label, sizeof p->label) > FW_PART_LABEL_MAX)
            return fw_fail(err, FW_ERR_LABEL, "entry %zu: the label is over %d bytes", i,
                           FW_PART_LABEL_MAX);
    }
    memset(out, 0xFF, FW_PTABLE_MAX_LEN);
    uint8_t *rec = out;
    for (size_t i = 0; i < t->count; i++, rec += FW_PTABLE_ENTRY_SIZE) {
        const fw_partition_t *p = &t->entries[i];
        rec[0] = FW_PART_MAGIC & 0xFF;
        rec[1] = FW_PART_MAGIC >> 8;
        rec[2] = p->type;
        rec[3] = p->subtype;
        put_le32(rec + 4, p->offset);
        put_le32(rec + 8, p->size);
        memset(rec + 12, 0, FW_PART_LABEL_MAX);
        memcpy(rec + 12, p->label, strlen(p->label));
        put_le32(rec + 28, p->flags);
    }
    if (opts->md5) {
        /* EB EB, fourteen 0xFF (already there), the digest of every entry before it. */
        rec[0] = rec[1] = 0xEB;
        md5_sum(out, (size_t)(rec - out), rec + 16);
    }
    return 0;
}
