/* fw_partition.c - partition tables as a whole: the checks gen_esp32part.py makes before
 * it writes a table (fw_ptable_verify), loading a table from a file of either format,
 * ESP-IDF's default single-app table, names of types and subtypes, and the error
 * messages' formatting.  The CSV syntax is in fw_partition_csv.c, the binary format in
 * fw_partition_bin.c. */
#include "fw_partition_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <strings.h>

/* ---- names (gen_esp32part.py's TYPES and SUBTYPES, in its order) ---- */

const fw_keyword_t fw_type_keywords[] = {
    {"bootloader", FW_PART_TYPE_BOOTLOADER},
    {"partition_table", FW_PART_TYPE_PARTITION_TABLE},
    {"app", FW_PART_TYPE_APP},
    {"data", FW_PART_TYPE_DATA},
};
const size_t fw_type_keyword_count = sizeof fw_type_keywords / sizeof fw_type_keywords[0];

static const fw_keyword_t bootloader_subtypes[] = {
    {"primary", FW_PART_SUBTYPE_BOOTLOADER_PRIMARY},
    {"ota", FW_PART_SUBTYPE_BOOTLOADER_OTA},
    {"recovery", FW_PART_SUBTYPE_BOOTLOADER_RECOVERY},
};
static const fw_keyword_t partition_table_subtypes[] = {
    {"primary", FW_PART_SUBTYPE_PARTITION_TABLE_PRIMARY},
    {"ota", FW_PART_SUBTYPE_PARTITION_TABLE_OTA},
};
/* factory and test first, then the OTA slots and the TEE slots the script adds. */
static const fw_keyword_t app_subtypes[] = {
    {"factory", 0x00}, {"test", 0x20},
    {"ota_0", 0x10}, {"ota_1", 0x11}, {"ota_2", 0x12}, {"ota_3", 0x13},
    {"ota_4", 0x14}, {"ota_5", 0x15}, {"ota_6", 0x16}, {"ota_7", 0x17},
    {"ota_8", 0x18}, {"ota_9", 0x19}, {"ota_10", 0x1a}, {"ota_11", 0x1b},
    {"ota_12", 0x1c}, {"ota_13", 0x1d}, {"ota_14", 0x1e}, {"ota_15", 0x1f},
    {"tee_0", 0x30}, {"tee_1", 0x31},
};
static const fw_keyword_t data_subtypes[] = {
    {"ota", 0x00}, {"phy", 0x01}, {"nvs", 0x02}, {"coredump", 0x03},
    {"nvs_keys", 0x04}, {"efuse", 0x05}, {"undefined", 0x06}, {"esphttpd", 0x80},
    {"fat", 0x81}, {"spiffs", 0x82}, {"littlefs", 0x83}, {"tee_ota", 0x90},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const fw_keyword_t *fw_subtype_keywords(uint8_t type, size_t *n)
{
    switch (type) {
    case FW_PART_TYPE_APP: *n = COUNT(app_subtypes); return app_subtypes;
    case FW_PART_TYPE_DATA: *n = COUNT(data_subtypes); return data_subtypes;
    case FW_PART_TYPE_BOOTLOADER: *n = COUNT(bootloader_subtypes); return bootloader_subtypes;
    case FW_PART_TYPE_PARTITION_TABLE: *n = COUNT(partition_table_subtypes); return partition_table_subtypes;
    default: *n = 0; return NULL;
    }
}

const char *fw_part_type_name(uint8_t type)
{
    for (size_t i = 0; i < fw_type_keyword_count; i++)
        if (fw_type_keywords[i].value == type)
            return fw_type_keywords[i].name;
    return NULL;
}

const char *fw_part_subtype_name(uint8_t type, uint8_t subtype)
{
    size_t n;
    const fw_keyword_t *k = fw_subtype_keywords(type, &n);
    for (size_t i = 0; i < n; i++)
        if (k[i].value == subtype)
            return k[i].name;
    return NULL;
}

const fw_partition_t *fw_ptable_find(const fw_ptable_t *t, const char *label)
{
    if (!t || !label)
        return NULL;
    for (size_t i = 0; i < t->count; i++)
        if (strcmp(t->entries[i].label, label) == 0)
            return &t->entries[i];
    return NULL;
}

/* ---- errors ---- */

const char *fw_strerror(int code)
{
    switch (code) {
    case FW_OK: return "no error";
    case FW_ERR_ARG: return "bad argument";
    case FW_ERR_IO: return "cannot read the file";
    case FW_ERR_NOMEM: return "out of memory";
    case FW_ERR_TRUNCATED: return "truncated file";
    case FW_ERR_OVERSIZED: return "partition table too big";
    case FW_ERR_MAGIC: return "bad magic number";
    case FW_ERR_MD5: return "bad MD5 record";
    case FW_ERR_SYNTAX: return "bad CSV field";
    case FW_ERR_LABEL: return "bad partition label";
    case FW_ERR_ALIGN: return "misaligned partition";
    case FW_ERR_OVERLAP: return "overlapping partitions";
    case FW_ERR_RANGE: return "value out of range";
    case FW_ERR_RULE: return "breaks an ESP-IDF rule";
    case FW_ERR_CHECKSUM: return "bad image checksum";
    case FW_ERR_HASH: return "bad image SHA-256";
    case FW_ERR_CHIP: return "image for another chip";
    case FW_ERR_SEGMENT: return "bad image segment";
    case FW_ERR_SHAPE: return "wrongly shaped file";
    default: return "unknown error";
    }
}

static void vformat(fw_error_t *err, int code, const char *prefix, const char *fmt, va_list ap)
{
    if (!err)
        return;
    err->code = code;
    int n = snprintf(err->msg, sizeof err->msg, "%s", prefix);
    if (n < 0 || (size_t)n >= sizeof err->msg)
        return;
    vsnprintf(err->msg + n, sizeof err->msg - (size_t)n, fmt, ap);
}

int fw_fail(fw_error_t *err, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vformat(err, code, "", fmt, ap);
    va_end(ap);
    return code;
}

int fw_fail_entry(fw_error_t *err, int code, const char *file, const fw_ptable_t *t, size_t i,
                  int field, const char *fmt, ...)
{
    char prefix[300];
    const fw_partition_t *p = &t->entries[i];
    if (p->line)
        snprintf(prefix, sizeof prefix, "%s:%" PRIu32 ":%" PRIu32 ": ", file, p->line,
                 p->column[field] ? p->column[field] : 1u);
    else
        snprintf(prefix, sizeof prefix, "%s: entry %zu: ", file, i);
    va_list ap;
    va_start(ap, fmt);
    vformat(err, code, prefix, fmt, ap);
    va_end(ap);
    return code;
}

void fw_ptable_opts_default(fw_ptable_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->table_offset = FW_PTABLE_OFFSET_DEFAULT;
    o->md5 = true;
    o->verify = true;
    o->secure = FW_SECURE_NONE;
    o->primary_bootloader_offset = FW_OFFSET_UNSET;
    o->recovery_bootloader_offset = FW_OFFSET_UNSET;
    o->flash_size = 0;
    o->expand_env = true;
}

/* ---- gen_esp32part.py's checks ---- */

static bool is_primary_boot_or_table(const fw_partition_t *p)
{
    return (p->type == FW_PART_TYPE_BOOTLOADER && p->subtype == FW_PART_SUBTYPE_BOOTLOADER_PRIMARY) ||
           (p->type == FW_PART_TYPE_PARTITION_TABLE &&
            p->subtype == FW_PART_SUBTYPE_PARTITION_TABLE_PRIMARY);
}

static const char *where(char *buf, size_t n, const fw_ptable_t *t, size_t i)
{
    if (t->entries[i].line)
        snprintf(buf, n, "line %" PRIu32, t->entries[i].line);
    else
        snprintf(buf, n, "entry %zu", i);
    return buf;
}

/* Each partition on its own, in table order (PartitionDefinition.verify). */
static int verify_entry(const char *file, const fw_ptable_t *t, size_t i, const fw_ptable_opts_t *o,
                        fw_error_t *err)
{
    const fw_partition_t *p = &t->entries[i];
    bool app = p->type == FW_PART_TYPE_APP;
    uint32_t align = app ? 0x10000u : 0x1000u;
    if (p->offset % align)
        return fw_fail_entry(err, FW_ERR_ALIGN, file, t, i, FW_CSV_OFFSET,
                             "partition '%s': offset 0x%" PRIx32 " is not aligned to 0x%" PRIx32
                             " (%s)", p->label, p->offset, align,
                             app ? "app partitions start on a 64 KB boundary"
                                 : "partitions other than apps start on a 4 KB boundary");
    if (app) {
        uint32_t size_align = o->secure == FW_SECURE_V1 ? 0x10000u : 0x1000u;
        if (p->size % size_align)
            return fw_fail_entry(err, FW_ERR_ALIGN, file, t, i, FW_CSV_SIZE,
                                 "partition '%s': size 0x%" PRIx32 " of an app partition is not "
                                 "a multiple of 0x%" PRIx32, p->label, p->size, size_align);
    }
    bool data = p->type == FW_PART_TYPE_DATA;
    bool readonly = p->flags & FW_PART_FLAG_READONLY;
    if (data && readonly &&
        (p->subtype == FW_PART_SUBTYPE_DATA_OTA || p->subtype == FW_PART_SUBTYPE_DATA_COREDUMP))
        return fw_fail_entry(err, FW_ERR_RULE, file, t, i, FW_CSV_FLAGS,
                             "partition '%s' (data, %s) is always read/write: it cannot be readonly",
                             p->label, p->subtype == FW_PART_SUBTYPE_DATA_OTA ? "ota" : "coredump");
    if (data && p->subtype == FW_PART_SUBTYPE_DATA_NVS && p->size < 0x3000u && !readonly)
        return fw_fail_entry(err, FW_ERR_RULE, file, t, i, FW_CSV_SIZE,
                             "partition '%s' (data, nvs) of 0x%" PRIx32 " bytes must be flagged "
                             "readonly: a read/write NVS partition needs at least 0x3000 bytes",
                             p->label, p->size);
    return 0;
}

/* One otadata-like partition at most, of 0x2000 bytes (both copies of the selection). */
static int verify_single(const char *file, const fw_ptable_t *t, uint8_t subtype, const char *what,
                         fw_error_t *err)
{
    size_t first = t->count;
    char buf[32];
    for (size_t i = 0; i < t->count; i++) {
        const fw_partition_t *p = &t->entries[i];
        if (p->type != FW_PART_TYPE_DATA || p->subtype != subtype)
            continue;
        if (first < t->count)
            return fw_fail_entry(err, FW_ERR_RULE, file, t, i, FW_CSV_SUBTYPE,
                                 "partition '%s' is a second %s partition (the first is at %s): "
                                 "a table has at most one", p->label, what,
                                 where(buf, sizeof buf, t, first));
        first = i;
    }
    if (first < t->count && t->entries[first].size != 0x2000u)
        return fw_fail_entry(err, FW_ERR_RULE, file, t, first, FW_CSV_SIZE,
                             "%s partition '%s' is 0x%" PRIx32 " bytes; it must be 0x2000", what,
                             t->entries[first].label, t->entries[first].size);
    return 0;
}

int fw_check_flash_size(const char *file, const fw_ptable_t *t, const fw_ptable_opts_t *o,
                        fw_error_t *err)
{
    if (!o->flash_size)
        return 0;
    for (size_t i = 0; i < t->count; i++) {
        const fw_partition_t *p = &t->entries[i];
        if ((uint64_t)p->offset + p->size > o->flash_size)
            return fw_fail_entry(err, FW_ERR_RANGE, file, t, i,
                                 p->offset >= o->flash_size ? FW_CSV_OFFSET : FW_CSV_SIZE,
                                 "partition '%s' (offset 0x%" PRIx32 ", size 0x%" PRIx32
                                 ") ends past the end of the flash (0x%" PRIx64 " bytes)",
                                 p->label, p->offset, p->size, o->flash_size);
    }
    return 0;
}

int fw_ptable_verify(const char *file, const fw_ptable_t *t, const fw_ptable_opts_t *opts,
                     fw_error_t *err)
{
    fw_ptable_opts_t defaults;
    if (!opts) {
        fw_ptable_opts_default(&defaults);
        opts = &defaults;
    }
    if (!t)
        return fw_fail(err, FW_ERR_ARG, "fw_ptable_verify: no table");
    if (!file)
        file = "partition table";
    if (t->count > FW_PTABLE_MAX_ENTRIES)
        return fw_fail(err, FW_ERR_ARG, "%s: %zu entries: a table holds at most %u", file,
                       t->count, FW_PTABLE_MAX_ENTRIES);
    int rc;
    for (size_t i = 0; i < t->count; i++)
        if ((rc = verify_entry(file, t, i, opts, err)) != 0)
            return rc;

    char buf[32];
    for (size_t i = 1; i < t->count; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(t->entries[i].label, t->entries[j].label) == 0)
                return fw_fail_entry(err, FW_ERR_LABEL, file, t, i, FW_CSV_NAME,
                                     "partition name '%s' is used twice (also at %s): names "
                                     "must be unique", t->entries[i].label,
                                     where(buf, sizeof buf, t, j));

    /* By offset; equal offsets keep table order (Python's sort is stable). */
    size_t order[FW_PTABLE_MAX_ENTRIES];
    for (size_t i = 0; i < t->count; i++) {
        size_t k = i;
        while (k > 0 && t->entries[order[k - 1]].offset > t->entries[i].offset) {
            order[k] = order[k - 1];
            k--;
        }
        order[k] = i;
    }
    uint64_t table_end = (uint64_t)opts->table_offset + FW_PTABLE_SECTOR_SIZE;
    const fw_partition_t *last = NULL;
    for (size_t k = 0; k < t->count; k++) {
        size_t i = order[k];
        const fw_partition_t *p = &t->entries[i];
        if (p->offset < table_end && !is_primary_boot_or_table(p))
            return fw_fail_entry(err, FW_ERR_OVERLAP, file, t, i, FW_CSV_OFFSET,
                                 "partition '%s': offset 0x%" PRIx32 " is below the end of the "
                                 "partition table (0x%" PRIx64 ")", p->label, p->offset, table_end);
        if (last && p->offset < (uint64_t)last->offset + last->size)
            return fw_fail_entry(err, FW_ERR_OVERLAP, file, t, i, FW_CSV_OFFSET,
                                 "partition '%s' at 0x%" PRIx32 " overlaps '%s' at 0x%" PRIx32
                                 "-0x%" PRIx64, p->label, p->offset, last->label, last->offset,
                                 (uint64_t)last->offset + last->size - 1);
        last = p;
    }
    if ((rc = verify_single(file, t, FW_PART_SUBTYPE_DATA_OTA, "otadata (data, ota)", err)) != 0 ||
        (rc = verify_single(file, t, FW_PART_SUBTYPE_DATA_TEE_OTA, "TEE otadata (data, tee_ota)",
                            err)) != 0)
        return rc;
    return fw_check_flash_size(file, t, opts, err);
}

/* ---- files ---- */

#define FW_MAX_FILE (16u << 20) /* no CSV a build makes comes near this */

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

int fw_read_file(const char *path, size_t max, const char *what, uint8_t **data, size_t *len,
                 fw_error_t *err)
{
    *data = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return fw_fail(err, FW_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    /* A regular file's size is known: one buffer a byte larger than it, so the read ends
     * at the end of the file with no regrowth (a 4 MB flash image would otherwise be
     * copied through buffers of up to 8 MB). */
    size_t cap = 4096, n = 0;
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0 && (uint64_t)st.st_size < max)
        cap = (size_t)st.st_size + 1;
    uint8_t *buf = malloc(cap);
    int rc = 0;
    while (buf) {
        if (n == cap) {
            if (cap >= max) {
                /* One byte more than allowed tells "too big" from "exactly max". */
                uint8_t extra;
                if (fread(&extra, 1, 1, f) == 1)
                    rc = fw_fail(err, FW_ERR_OVERSIZED, "%s: more than %zu bytes: not %s", path,
                                 max, what);
                break;
            }
            size_t want = cap * 2 > max ? max : cap * 2;
            uint8_t *bigger = realloc(buf, want);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap = want;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f))
                rc = fw_fail(err, FW_ERR_IO, "%s: cannot read: %s", path, strerror(errno));
            break;
        }
    }
    fclose(f);
    if (!buf)
        return fw_fail(err, FW_ERR_NOMEM, "%s: out of memory reading the file", path);
    if (rc) {
        free(buf);
        return rc;
    }
    *data = buf;
    *len = n;
    return 0;
}

int fw_ptable_load_file(const char *path, const fw_ptable_opts_t *opts, fw_ptable_t *out,
                        fw_error_t *err)
{
    if (!path || !out)
        return fw_fail(err, FW_ERR_ARG, "fw_ptable_load_file: no %s", path ? "output" : "path");
    out->count = 0;
    uint8_t *buf;
    size_t len;
    int rc = fw_read_file(path, FW_MAX_FILE, "a partition table", &buf, &len, err);
    if (rc)
        return rc;
    bool binary;
    if (ends_with(path, ".bin"))
        binary = true;
    else if (ends_with(path, ".csv"))
        binary = false;
    else
        binary = len >= 2 && ((buf[0] == 0xAA && buf[1] == 0x50) ||
                              (buf[0] == 0xEB && buf[1] == 0xEB) ||
                              (buf[0] == 0xFF && buf[1] == 0xFF));
    rc = binary ? fw_ptable_read_bin(path, buf, len, opts, out, err)
                : fw_ptable_parse_csv(path, (const char *)buf, len, opts, out, err);
    free(buf);
    return rc;
}

/* ---- ESP-IDF's default table ---- */

const char fw_ptable_singleapp_csv[] =
    "# ESP-IDF's default table, the single-app one (partitions_singleapp.csv):\n"
    "# NVS, PHY init data and a factory app, placed one after the other after the table.\n"
    "# Name,   Type, SubType, Offset,  Size, Flags\n"
    "nvs,      data, nvs,     ,        0x6000,\n"
    "phy_init, data, phy,     ,        0x1000,\n"
    "factory,  app,  factory, ,        1M,\n";

int fw_ptable_default(uint32_t table_offset, fw_ptable_t *out, fw_error_t *err)
{
    fw_ptable_opts_t o;
    fw_ptable_opts_default(&o);
    o.table_offset = table_offset;
    o.expand_env = false;
    return fw_ptable_parse_csv("partitions_singleapp.csv", fw_ptable_singleapp_csv,
                               sizeof fw_ptable_singleapp_csv - 1, &o, out, err);
}
