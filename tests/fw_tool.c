/* fw_tool.c - a command-line face on mmsim_firmware's build-output readers, for the tests
 * (the bad-input catalogues, the comparison with esptool's real images):
 *
 *   fw_tool image [--chip NAME] [--kind app|bootloader|raw] [--offset N] [--page-size N]
 *                 [--partition-size N] [--revision N] [--table] FILE
 *       an app or bootloader image: header, segments with class and flash offset,
 *       checksum, hash, app descriptor; --table prints only what tests/esp_image_reader.py
 *       prints, for a line-by-line comparison
 *   fw_tool flash-args [--check BUILD_DIR] FILE     flasher_args.json or flash_args
 *   fw_tool sdkconfig FILE                          sdkconfig or config/sdkconfig.json
 *   fw_tool project FILE                            project_description.json
 *   fw_tool otadata FILE                            the two entries of an otadata partition
 *   fw_tool merged [--chip NAME] [--table-offset N] FILE
 *       a merged flash: bootloader, partitions, app images, the app the bootloader boots
 *
 * Exit status: 0 read, 2 refused or bad arguments (the message on standard error, one line). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw_flash_args.h"
#include "fw_image.h"
#include "fw_merged.h"
#include "fw_otadata.h"

static int usage(const char *why)
{
    fprintf(stderr, "fw_tool: %s\nusage: fw_tool image|flash-args|sdkconfig|project|otadata|merged "
                    "[options] FILE\n", why);
    return 2;
}

static bool number(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s || *end || s[0] == '-')
        return false;
    *out = v;
    return true;
}

static int cmd_image(int argc, char **argv)
{
    fw_image_opts_t o;
    fw_image_opts_default(&o);
    bool table = false;
    const char *path = NULL;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        uint64_t v;
        bool has = i + 1 < argc;
        if (strcmp(a, "--chip") == 0) {
            if (!has || !(o.chip = fw_chip_by_name(argv[++i])))
                return usage("--chip wants a chip name (esp32, esp32s3, ...)");
        } else if (strcmp(a, "--kind") == 0) {
            const char *k = has ? argv[++i] : "";
            if (strcmp(k, "app") == 0)
                o.kind = FW_IMAGE_APP;
            else if (strcmp(k, "bootloader") == 0)
                o.kind = FW_IMAGE_BOOTLOADER;
            else if (strcmp(k, "raw") == 0)
                o.kind = FW_IMAGE_RAW;
            else
                return usage("--kind wants app, bootloader or raw");
        } else if (strcmp(a, "--offset") == 0) {
            if (!has || !number(argv[++i], &v))
                return usage("--offset wants a number");
            o.offset = v;
        } else if (strcmp(a, "--page-size") == 0) {
            if (!has || !number(argv[++i], &v) || v > UINT32_MAX)
                return usage("--page-size wants a number");
            o.page_size = (uint32_t)v;
        } else if (strcmp(a, "--partition-size") == 0) {
            if (!has || !number(argv[++i], &v))
                return usage("--partition-size wants a number");
            o.partition_size = v;
        } else if (strcmp(a, "--revision") == 0) {
            if (!has || !number(argv[++i], &v) || v > 0xFFFF)
                return usage("--revision wants major*100+minor");
            o.chip_revision = (int)v;
        } else if (strcmp(a, "--table") == 0) {
            table = true;
        } else if (a[0] == '-' && a[1]) {
            return usage("unknown option");
        } else if (!path) {
            path = a;
        } else {
            return usage("too many arguments");
        }
    }
    if (!path)
        return usage("no image");
    static fw_image_t img;
    fw_error_t err;
    if (fw_image_load_file(path, &o, &img, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return 2;
    }
    if (table) {
        printf("chip_id %u\nentry 0x%08" PRIx32 "\nsegments %u\n", img.chip_id, img.entry_addr,
               img.segment_count);
        for (size_t i = 0; i < img.segment_count_read; i++)
            printf("segment %zu 0x%08" PRIx32 " 0x%" PRIx32 " 0x%" PRIx32 "\n", i,
                   img.segments[i].load_addr, img.segments[i].data_len, img.segments[i].data_offset);
        printf("checksum %s\nhash %s\n", img.checksum_ok ? "ok" : "bad",
               !img.hash_appended ? "none" : img.hash_ok ? "ok" : "bad");
        return 0;
    }
    printf("%s image for %s (chip ID %u), entry 0x%08" PRIx32 ", %s, flash %s, speed code 0x%x, "
           "revisions v%u.%u..v%u.%u, %u segments, %" PRIu32 " bytes\n",
           o.kind == FW_IMAGE_APP ? "app" : o.kind == FW_IMAGE_BOOTLOADER ? "bootloader" : "raw",
           img.chip->name, img.chip_id, img.entry_addr, fw_image_spi_mode_name(img.spi_mode),
           fw_image_flash_size_name(img.spi_size), img.spi_speed, img.min_chip_rev_full / 100,
           img.min_chip_rev_full % 100, img.max_chip_rev_full / 100, img.max_chip_rev_full % 100,
           img.segment_count, img.image_len);
    for (size_t i = 0; i < img.segment_count_read; i++) {
        const fw_segment_t *s = &img.segments[i];
        printf("segment %zu: paddr=%08" PRIx64 " vaddr=%08" PRIx32 " size=%05" PRIx32 "h (%6" PRIu32
               ") %s%s\n", i, s->flash_offset, s->load_addr, s->data_len, s->data_len,
               fw_seg_class_name(s->cls),
               (int)i == img.drom_segment ? " (mapped as DROM)"
               : (int)i == img.irom_segment ? " (mapped as IROM)" : "");
    }
    printf("checksum 0x%02x (%s), hash %s\n", img.checksum, img.checksum_ok ? "valid" : "invalid",
           !img.hash_appended ? "none" : img.hash_ok ? "valid" : "invalid");
    if (img.app_desc.present)
        printf("app '%s' version '%s' built %s %s, ESP-IDF %s, secure version %" PRIu32
               ", MMU page size 2^%u (page size used: 0x%" PRIx32 ")\n",
               img.app_desc.project_name, img.app_desc.version, img.app_desc.date,
               img.app_desc.time, img.app_desc.idf_ver, img.app_desc.secure_version,
               img.app_desc.mmu_page_size_log2, img.page_size);
    char note[160];
    int drom, irom;
    if (fw_image_rom_segments(path, &img, &drom, &irom, note, sizeof note, &err) != 0)
        printf("mapping refused: %s\n", err.msg);
    else if (note[0])
        printf("mapping note: %s\n", note);
    return 0;
}

static int cmd_flash_args(int argc, char **argv)
{
    const char *path = NULL, *dir = NULL;
    bool check = false;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--check") == 0) {
            if (i + 1 >= argc)
                return usage("--check wants the build directory");
            check = true;
            dir = argv[++i];
        } else if (!path) {
            path = argv[i];
        } else {
            return usage("too many arguments");
        }
    }
    if (!path)
        return usage("no file");
    static fw_flash_args_t a;
    fw_error_t err;
    if (fw_flash_args_load(path, &a, &err) != 0 ||
        (check && fw_flash_args_check(path, &a, dir, 0, &err) != 0)) {
        fprintf(stderr, "%s\n", err.msg);
        return 2;
    }
    printf("mode %s freq %s size %s chip %s\n", a.flash_mode[0] ? a.flash_mode : "-",
           a.flash_freq[0] ? a.flash_freq : "-", a.flash_size[0] ? a.flash_size : "-",
           a.chip[0] ? a.chip : "-");
    for (size_t i = 0; i < a.count; i++)
        printf("0x%06" PRIx64 " %s%s%s%s\n", a.images[i].offset, a.images[i].file,
               a.images[i].name[0] ? " (" : "", a.images[i].name,
               a.images[i].name[0] ? (a.images[i].encrypted ? ", encrypted)" : ")") : "");
    return 0;
}

static int print_kv(const fw_kvlist_t *l)
{
    for (size_t i = 0; i < l->count; i++) {
        if (l->items[i].set)
            printf("%s=%s\n", l->items[i].key, l->items[i].value);
        else
            printf("%s is not set\n", l->items[i].key);
    }
    return 0;
}

static int cmd_sdkconfig(int argc, char **argv)
{
    if (argc != 1)
        return usage("sdkconfig wants one file");
    fw_kvlist_t l;
    fw_error_t err;
    if (fw_sdkconfig_load(argv[0], &l, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return 2;
    }
    print_kv(&l);
    fw_kvlist_free(&l);
    return 0;
}

static int cmd_project(int argc, char **argv)
{
    if (argc != 1)
        return usage("project wants one file");
    static fw_project_desc_t d;
    fw_error_t err;
    if (fw_project_desc_load(argv[0], &d, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return 2;
    }
    printf("target %s, ESP-IDF %s, project %s, app %s\n", d.target, d.idf_ver[0] ? d.idf_ver : "-",
           d.project_name[0] ? d.project_name : "-", d.app_bin[0] ? d.app_bin : "-");
    print_kv(&d.all);
    fw_project_desc_free(&d);
    return 0;
}

static int cmd_otadata(int argc, char **argv)
{
    if (argc != 1)
        return usage("otadata wants one file");
    FILE *f = fopen(argv[0], "rb");
    if (!f) {
        fprintf(stderr, "%s: cannot open: %s\n", argv[0], strerror(errno));
        return 2;
    }
    static uint8_t buf[FW_OTADATA_SIZE];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    fw_otadata_t o;
    fw_error_t err;
    if (fw_otadata_read(argv[0], buf, n, &o, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return 2;
    }
    for (int i = 0; i < 2; i++)
        printf("otadata[%d]: seq 0x%08" PRIx32 " state 0x%08" PRIx32 " crc 0x%08" PRIx32 " (%s)%s\n",
               i, o.entry[i].ota_seq, o.entry[i].ota_state, o.entry[i].crc,
               o.entry[i].crc_ok ? "crc ok" : "crc bad", o.entry[i].valid ? " valid" : "");
    printf("active %d\n", o.active);
    return 0;
}

static int cmd_merged(int argc, char **argv)
{
    fw_merged_opts_t o;
    fw_merged_opts_default(&o);
    const char *path = NULL;
    for (int i = 0; i < argc; i++) {
        uint64_t v;
        if (strcmp(argv[i], "--chip") == 0) {
            if (i + 1 >= argc || !(o.chip = fw_chip_by_name(argv[++i])))
                return usage("--chip wants a chip name");
        } else if (strcmp(argv[i], "--table-offset") == 0) {
            if (i + 1 >= argc || !number(argv[++i], &v) || v > UINT32_MAX)
                return usage("--table-offset wants a number");
            o.table_offset = (uint32_t)v;
        } else if (!path) {
            path = argv[i];
        } else {
            return usage("too many arguments");
        }
    }
    if (!path)
        return usage("no file");
    static fw_merged_t m;
    fw_error_t err;
    if (fw_merged_load_file(path, &o, &m, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return 2;
    }
    printf("%s: bootloader at 0x%" PRIx32 " (%u segments), table at 0x%" PRIx32 " (%zu "
           "partitions), flash %" PRIu64 " MB\n", m.chip->name, m.bootloader_offset,
           m.bootloader.segment_count, m.table_offset, m.table.count, m.flash_size >> 20);
    for (size_t i = 0; i < m.app_count; i++) {
        const fw_partition_t *p = &m.table.entries[m.apps[i].entry];
        if (m.apps[i].rc == 0)
            printf("app %s at 0x%" PRIx32 ": '%s' %s\n", p->label, p->offset,
                   m.apps[i].image.app_desc.project_name, m.apps[i].image.app_desc.version);
        else
            printf("app %s at 0x%" PRIx32 ": %s\n", p->label, p->offset, m.apps[i].error);
    }
    fputs(m.boot.log, stdout);
    printf("choice: %s\n", m.boot.reason);
    if (m.boot_entry >= 0)
        printf("boots %s at 0x%" PRIx32 "\n", m.table.entries[m.boot_entry].label,
               m.table.entries[m.boot_entry].offset);
    else
        printf("boots nothing: no candidate has a valid image\n");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage("no command");
    const char *c = argv[1];
    if (strcmp(c, "image") == 0)
        return cmd_image(argc - 2, argv + 2);
    if (strcmp(c, "flash-args") == 0)
        return cmd_flash_args(argc - 2, argv + 2);
    if (strcmp(c, "sdkconfig") == 0)
        return cmd_sdkconfig(argc - 2, argv + 2);
    if (strcmp(c, "project") == 0)
        return cmd_project(argc - 2, argv + 2);
    if (strcmp(c, "otadata") == 0)
        return cmd_otadata(argc - 2, argv + 2);
    if (strcmp(c, "merged") == 0)
        return cmd_merged(argc - 2, argv + 2);
    return usage("unknown command");
}
