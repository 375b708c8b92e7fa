/* fw_partition_tool.c - a command-line face on mmsim_firmware's partition tables, for
 * the tests: converts a partitions.csv to the binary table as gen_esp32part.py does
 * (same options), and checks a table of either format.
 *
 *   fw_partition_tool [options] INPUT [OUTPUT]
 *     INPUT    a .csv or .bin table (other names: sniffed)
 *     OUTPUT   write the binary table there ("-" = standard output); without it, print
 *              one line per partition
 *   options (gen_esp32part.py's): --offset N, --primary-bootloader-offset N,
 *     --recovery-bootloader-offset N, --secure v1|v2, --disable-md5sum, --no-verify,
 *     --flash-size NMB, -q/--quiet (accepted, nothing else is printed anyway)
 *
 * Exit status: 0 done, 2 bad input or arguments (the message on standard error, one
 * line), 1 the output could not be written. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw_partition.h"

static int usage(const char *why)
{
    fprintf(stderr, "fw_partition_tool: %s\n"
                    "usage: fw_partition_tool [--offset N] [--primary-bootloader-offset N] "
                    "[--recovery-bootloader-offset N] [--secure v1|v2] [--disable-md5sum] "
                    "[--no-verify] [--flash-size NMB] INPUT [OUTPUT]\n", why);
    return 2;
}

static bool number(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 0);
    if (errno || end == s || *end || v < 0)
        return false;
    *out = v;
    return true;
}

int main(int argc, char **argv)
{
    fw_ptable_opts_t o;
    fw_ptable_opts_default(&o);
    const char *input = NULL, *output = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int64_t v;
        bool has_value = i + 1 < argc;
        if (strcmp(a, "--offset") == 0 || strcmp(a, "-o") == 0) {
            if (!has_value || !number(argv[++i], &v) || v > UINT32_MAX)
                return usage("--offset wants a number");
            o.table_offset = (uint32_t)v;
        } else if (strcmp(a, "--primary-bootloader-offset") == 0) {
            if (!has_value || !number(argv[++i], &v))
                return usage("--primary-bootloader-offset wants a number");
            o.primary_bootloader_offset = v;
        } else if (strcmp(a, "--recovery-bootloader-offset") == 0) {
            if (!has_value || !number(argv[++i], &v))
                return usage("--recovery-bootloader-offset wants a number");
            o.recovery_bootloader_offset = v;
        } else if (strcmp(a, "--secure") == 0) {
            if (!has_value)
                return usage("--secure wants v1 or v2");
            const char *s = argv[++i];
            if (strcmp(s, "v1") == 0)
                o.secure = FW_SECURE_V1;
            else if (strcmp(s, "v2") == 0)
                o.secure = FW_SECURE_V2;
            else
                return usage("--secure wants v1 or v2");
        } else if (strcmp(a, "--disable-md5sum") == 0) {
            o.md5 = false;
        } else if (strcmp(a, "--no-verify") == 0) {
            o.verify = false;
        } else if (strcmp(a, "--flash-size") == 0) {
            char *end;
            unsigned long mb = has_value ? strtoul(argv[++i], &end, 10) : 0;
            if (!mb || strcmp(end, "MB") != 0)
                return usage("--flash-size wants NMB");
            o.flash_size = (uint64_t)mb << 20;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            /* nothing but errors is printed */
        } else if (a[0] == '-' && a[1]) {
            return usage("unknown option");
        } else if (!input) {
            input = a;
        } else if (!output) {
            output = a;
        } else {
            return usage("too many arguments");
        }
    }
    if (!input)
        return usage("no input");

    static fw_ptable_t t;
    fw_error_t err;
    if (fw_ptable_load_file(input, &o, &t, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return 2;
    }
    if (!output) {
        for (size_t i = 0; i < t.count; i++) {
            const fw_partition_t *p = &t.entries[i];
            const char *tn = fw_part_type_name(p->type), *sn = fw_part_subtype_name(p->type, p->subtype);
            printf("%-16s %-15s %-9s 0x%08" PRIx32 " 0x%08" PRIx32 "%s%s\n", p->label,
                   tn ? tn : "?", sn ? sn : "?", p->offset, p->size,
                   p->flags & FW_PART_FLAG_ENCRYPTED ? " encrypted" : "",
                   p->flags & FW_PART_FLAG_READONLY ? " readonly" : "");
        }
        return 0;
    }
    static uint8_t bin[FW_PTABLE_MAX_LEN];
    if (fw_ptable_write_bin(&t, &o, bin, &err) != 0) {
        fprintf(stderr, "%s: %s\n", input, err.msg);
        return 2;
    }
    FILE *f = strcmp(output, "-") == 0 ? stdout : fopen(output, "wb");
    if (!f || fwrite(bin, 1, sizeof bin, f) != sizeof bin || (f != stdout && fclose(f) != 0)) {
        fprintf(stderr, "fw_partition_tool: cannot write %s: %s\n", output, strerror(errno));
        return 1;
    }
    return 0;
}
