/* fuzz_partition.c - libFuzzer target: any bytes as a partitions.csv and as a binary
 * partition table, each under gen_esp32part.py's defaults and under lenient options
 * (no checks, no MD5 record, bootloader offsets given).  A refusal must name the file
 * and leave the table empty; an accepted table must write, read back to the same
 * entries, and write again to the same bytes.  Never crash, hang or leak. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fw_partition.h"

static fw_ptable_t parsed, again;
static uint8_t bin[FW_PTABLE_MAX_LEN], bin2[FW_PTABLE_MAX_LEN];

static bool same_entries(const fw_ptable_t *a, const fw_ptable_t *b)
{
    if (a->count != b->count)
        return false;
    for (size_t i = 0; i < a->count; i++) {
        const fw_partition_t *p = &a->entries[i], *q = &b->entries[i];
        if (p->type != q->type || p->subtype != q->subtype || p->offset != q->offset ||
            p->size != q->size || p->flags != q->flags || strcmp(p->label, q->label) != 0)
            return false;
    }
    return true;
}

/* An accepted table: written, read back, written again. */
static void round_trip(const fw_ptable_t *t, const fw_ptable_opts_t *o)
{
    fw_error_t err;
    if (fw_ptable_write_bin(t, o, bin, &err) != 0)
        abort();
    if (t->count == 0 && !o->md5)
        return; /* all 0xFF: an empty table, which the chip refuses */
    if (fw_ptable_read_bin("again.bin", bin, sizeof bin, o, &again, &err) != 0 || !same_entries(t, &again))
        abort();
    if (fw_ptable_write_bin(&again, o, bin2, &err) != 0 || memcmp(bin, bin2, sizeof bin) != 0)
        abort();
}

static void check_refusal(int rc, const fw_error_t *err, const char *file, const fw_ptable_t *t)
{
    if (rc >= 0 || err->code != rc || !strstr(err->msg, file) || t->count != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fw_ptable_opts_t opts[2];
    fw_ptable_opts_default(&opts[0]);
    fw_ptable_opts_default(&opts[1]);
    opts[1].verify = false;
    opts[1].md5 = false;
    opts[1].primary_bootloader_offset = 0x1000;
    opts[1].recovery_bootloader_offset = 0x200000;
    opts[1].secure = FW_SECURE_V1;
    opts[1].flash_size = 4u << 20;
    for (int k = 0; k < 2; k++) {
        fw_error_t err;
        int rc = fw_ptable_parse_csv("fuzz.csv", (const char *)data, size, &opts[k], &parsed, &err);
        if (rc == 0)
            round_trip(&parsed, &opts[k]);
        else
            check_refusal(rc, &err, "fuzz.csv", &parsed);
        rc = fw_ptable_read_bin("fuzz.bin", data, size, &opts[k], &parsed, &err);
        if (rc == 0)
            round_trip(&parsed, &opts[k]);
        else
            check_refusal(rc, &err, "fuzz.bin", &parsed);
    }
    return 0;
}
