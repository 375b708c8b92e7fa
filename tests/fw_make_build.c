/* fw_make_build.c - writes a small ESP-IDF-shaped build/ folder for tests and scenarios,
 * from our own image and table writers (firmware/): bootloader/bootloader.bin,
 * partition_table/partition-table.bin, the app image(s), ota_data_initial.bin,
 * flasher_args.json, flash_args, project_description.json and sdkconfig.  Nothing of
 * ESP-IDF or esptool is copied: the layout follows what `idf.py build` leaves.
 *
 *   fw_make_build DIR --chip NAME [--ota N] [--flash-size 4MB] [--page-size BYTES]
 *                 [--break checksum|hash|magic|chip|segment-address|segment-count]
 *                 [--omit-app] [--overlap] [--extra-at OFFSET] [--merged FILE] [--psram-load] [--psram]
 *                 [--xip-window] [--irom-size BYTES] [--disable-md5sum]
 *                 [--sdkconfig LINE]...   (up to 8 more sdkconfig lines)
 *
 * The app's layout is a real one's: segment 0 is DROM (the app descriptor, then
 * "DROM" and a counting pattern) right after the 0x20 bytes of headers, a DRAM segment,
 * then IROM ("IROM" and the pattern) whose load address matches its flash offset modulo
 * the page.  IROM takes the lowest linear pages, DROM those after it, as ESP-IDF's
 * linker scripts place them on chips whose I and D share one MMU space (all but ESP32
 * and ESP32-S2, where each starts its own window).  With --ota N,
 * the table has factory, ota_0 and ota_1 (each its own app, told apart by project name
 * and pattern seed) and otadata selects ota_N.  With --xip-window the app is linked at the
 * PSRAM window instead (ESP32-P4/S31 with CONFIG_SPIRAM_XIP_FROM_PSRAM: memory.ld.in puts
 * irom_seg and drom_seg there), IROM first, DROM after it.  --disable-md5sum writes the
 * table without its MD5 record and "# CONFIG_PARTITION_TABLE_MD5 is not set" in the
 * sdkconfig, as idf.py does with the option off. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fw_flash_args.h"
#include "fw_image.h"
#include "fw_otadata.h"
#include "fw_partition.h"

#define DROM_LEN 0x600u
#define IROM_MAX 0x20000u
/* The text segment's length: 0x400 unless --irom-size says (up to IROM_MAX). */
static uint32_t s_irom_len = 0x400u;
#define DRAM_LEN 0x40u

static int fail(const char *fmt, const char *arg)
{
    fprintf(stderr, "fw_make_build: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    return 2;
}

static int write_file(const char *dir, const char *name, const void *data, size_t len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *slash = strrchr(path, '/');
    if (slash && slash > path + strlen(dir)) {
        *slash = '\0';
        mkdir(path, 0777);
        *slash = '/';
    }
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f))
        return fail("cannot write %s", path);
    return 0;
}

static const fw_mem_range_t *range_of(const fw_chip_mem_t *c, fw_seg_class_t cls)
{
    for (size_t i = 0; i < c->range_count; i++)
        if (c->ranges[i].cls == cls)
            return &c->ranges[i];
    return NULL;
}

static uint8_t size_code(uint64_t bytes)
{
    uint8_t code = 0;
    while (code < 7 && fw_image_flash_size_bytes(code) < bytes)
        code++;
    return code;
}

/* --xip-window: link the app at the chip's PSRAM window (FW_SEG_EXTRAM). */
static bool s_xip_window;

/* An app image for `chip` at flash offset `at`; returns its length in *len. */
static uint8_t *make_app(const fw_chip_mem_t *chip, uint32_t page, uint32_t at, uint8_t flash_code, const char *name,
                         unsigned seed, const char *brk, size_t *len)
{
    const fw_mem_range_t *dr = range_of(chip, FW_SEG_DROM), *ir = range_of(chip, FW_SEG_IROM);
    const fw_mem_range_t *ram = range_of(chip, FW_SEG_DRAM);
    if (!ram)
        ram = range_of(chip, FW_SEG_DIRAM);
    if (!ir)
        ir = dr; /* one shared range */
    if (s_xip_window && range_of(chip, FW_SEG_EXTRAM))
        dr = ir = range_of(chip, FW_SEG_EXTRAM);
    static uint8_t drom[DROM_LEN], irom[IROM_MAX], dram[DRAM_LEN];
    memset(drom, 0, sizeof drom);
    /* esp_app_desc_t */
    uint32_t magic = FW_APP_DESC_MAGIC;
    memcpy(drom, &magic, 4);
    snprintf((char *)drom + 16, 32, "1.%u", seed);
    snprintf((char *)drom + 48, 32, "%s", name);
    snprintf((char *)drom + 80, 16, "00:00:00");
    snprintf((char *)drom + 96, 16, "Jan  1 2026");
    snprintf((char *)drom + 112, 32, "v6.2-dev");
    drom[180] = chip->page_size_configurable ? (uint8_t)__builtin_ctz(page) : 0;
    memcpy(drom + 256, "DROM", 4);
    for (size_t i = 260; i < DROM_LEN; i++)
        drom[i] = (uint8_t)(i + seed);
    memcpy(irom, "IROM", 4);
    for (size_t i = 4; i < s_irom_len; i++)
        irom[i] = (uint8_t)(i * 3 + seed);
    for (size_t i = 0; i < DRAM_LEN; i++)
        dram[i] = (uint8_t)i;

    /* Flash offsets of each segment's data: header 24, then (8 + data) per segment. */
    uint32_t drom_off = at + 24 + 8;
    uint32_t irom_off = drom_off + DROM_LEN + 8 + DRAM_LEN + 8;
    uint32_t ir_base = (ir->low + page - 1) & ~(page - 1);
    uint32_t irom_vaddr = ir_base + irom_off % page;
    uint32_t irom_pages = (irom_off % page + s_irom_len + page - 1) / page;
    /* ESP32 and ESP32-S2 give I and D their own MMU entries: no need to step aside. */
    bool shared_linear = chip->chip_id != FW_CHIP_ESP32 && chip->chip_id != FW_CHIP_ESP32S2;
    uint32_t drom_vaddr = dr->low + (shared_linear ? irom_pages * page : 0) + drom_off % page;
    if (!strcmp(brk, "segment-address"))
        drom_vaddr += 4;

    fw_image_t img;
    memset(&img, 0, sizeof img);
    img.magic = FW_IMAGE_MAGIC;
    img.segment_count = 3;
    img.segment_count_read = 3;
    img.spi_mode = 2;
    img.spi_speed = 0xF;
    img.spi_size = flash_code;
    img.entry_addr = irom_vaddr;
    img.wp_pin = 0xEE;
    img.chip_id = !strcmp(brk, "chip") ? (chip->chip_id == FW_CHIP_ESP32C3 ? FW_CHIP_ESP32S3 : FW_CHIP_ESP32C3)
                                       : chip->chip_id;
    img.max_chip_rev_full = 0xFFFF;
    img.hash_appended = true;
    img.segments[0] = (fw_segment_t){.load_addr = drom_vaddr, .data_len = DROM_LEN};
    img.segments[1] = (fw_segment_t){.load_addr = ram->low, .data_len = DRAM_LEN};
    img.segments[2] = (fw_segment_t){.load_addr = irom_vaddr, .data_len = s_irom_len};
    const uint8_t *data[3] = {drom, dram, irom};
    size_t need = fw_image_build(&img, data, NULL, 0);
    uint8_t *out = malloc(need);
    if (!out)
        return NULL;
    fw_image_build(&img, data, out, need);
    if (!strcmp(brk, "checksum"))
        out[need - 33] ^= 0x01;
    else if (!strcmp(brk, "hash"))
        out[need - 1] ^= 0x01;
    else if (!strcmp(brk, "magic"))
        out[0] = 0xE8;
    else if (!strcmp(brk, "segment-count"))
        out[1] = 17;
    *len = need;
    return out;
}

/* A second-stage bootloader image: one segment in internal RAM. */
static uint8_t *make_bootloader(const fw_chip_mem_t *chip, uint8_t flash_code, size_t *len)
{
    const fw_mem_range_t *ram = range_of(chip, FW_SEG_DRAM);
    if (!ram)
        ram = range_of(chip, FW_SEG_DIRAM);
    static uint8_t code[64];
    for (size_t i = 0; i < sizeof code; i++)
        code[i] = (uint8_t)(0xB0 + i);
    fw_image_t img;
    memset(&img, 0, sizeof img);
    img.magic = FW_IMAGE_MAGIC;
    img.segment_count = 1;
    img.segment_count_read = 1;
    img.spi_mode = 2;
    img.spi_speed = 0xF;
    img.spi_size = flash_code;
    img.entry_addr = ram->low;
    img.wp_pin = 0xEE;
    img.chip_id = chip->chip_id;
    img.max_chip_rev_full = 0xFFFF;
    img.segments[0] = (fw_segment_t){.load_addr = ram->low, .data_len = sizeof code};
    const uint8_t *data[1] = {code};
    size_t need = fw_image_build(&img, data, NULL, 0);
    uint8_t *out = malloc(need);
    if (out)
        fw_image_build(&img, data, out, need);
    *len = need;
    return out;
}

static void add_part(fw_ptable_t *t, const char *label, uint8_t type, uint8_t sub, uint32_t off, uint32_t size)
{
    fw_partition_t *p = &t->entries[t->count++];
    memset(p, 0, sizeof *p);
    snprintf(p->label, sizeof p->label, "%s", label);
    p->type = type;
    p->subtype = sub;
    p->offset = off;
    p->size = size;
}

typedef struct {
    uint32_t offset;
    const char *name, *file;
    const uint8_t *data;
    size_t len;
} out_image_t;

int main(int argc, char **argv)
{
    const char *dir = NULL, *chipname = NULL, *flash = "4MB", *brk = "", *merged = NULL;
    int ota = -1;
    uint32_t page = 0, extra_at = 0;
    bool omit_app = false, overlap = false, psram_load = false, psram = false, md5 = true;
    const char *sdk_lines[8];
    size_t nsdk = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has = i + 1 < argc;
        if (!strcmp(a, "--chip") && has)
            chipname = argv[++i];
        else if (!strcmp(a, "--ota") && has)
            ota = atoi(argv[++i]);
        else if (!strcmp(a, "--flash-size") && has)
            flash = argv[++i];
        else if (!strcmp(a, "--page-size") && has)
            page = (uint32_t)strtoul(argv[++i], NULL, 0);
        else if (!strcmp(a, "--break") && has)
            brk = argv[++i];
        else if (!strcmp(a, "--extra-at") && has)
            extra_at = (uint32_t)strtoul(argv[++i], NULL, 0);
        else if (!strcmp(a, "--merged") && has)
            merged = argv[++i];
        else if (!strcmp(a, "--omit-app"))
            omit_app = true;
        else if (!strcmp(a, "--overlap"))
            overlap = true;
        else if (!strcmp(a, "--psram-load")) /* CONFIG_SPIRAM_FLASH_LOAD_TO_PSRAM=y */
            psram_load = true;
        else if (!strcmp(a, "--psram")) /* CONFIG_SPIRAM=y alone (the XIP options come as --sdkconfig) */
            psram = true;
        else if (!strcmp(a, "--xip-window"))
            s_xip_window = true;
        else if (!strcmp(a, "--disable-md5sum")) /* gen_esp32part.py's option */
            md5 = false;
        else if (!strcmp(a, "--irom-size") && has) {
            s_irom_len = (uint32_t)strtoul(argv[++i], NULL, 0);
            if (!s_irom_len || s_irom_len > IROM_MAX || s_irom_len % 4)
                return fail("bad --irom-size '%s' (a multiple of 4, at most 0x20000)", argv[i]);
        }
        else if (!strcmp(a, "--sdkconfig") && has && nsdk < sizeof sdk_lines / sizeof sdk_lines[0])
            sdk_lines[nsdk++] = argv[++i]; /* one more sdkconfig line, as given */
        else if (a[0] != '-' && !dir)
            dir = a;
        else
            return fail("bad argument '%s' (see the file's first lines)", a);
    }
    const fw_chip_mem_t *chip = chipname ? fw_chip_by_name(chipname) : NULL;
    if (!dir || !chip)
        return fail("usage: fw_make_build DIR --chip NAME [options]%s", "");
    if (!page)
        page = chip->page_size;
    uint64_t flash_bytes = fw_flash_size_bytes(flash);
    if (!flash_bytes)
        return fail("bad --flash-size '%s'", flash);
    mkdir(dir, 0777);
    uint8_t code = size_code(flash_bytes);

    fw_ptable_t *t = calloc(1, sizeof *t);
    if (!t)
        return 2;
    add_part(t, "nvs", 0x01, 0x02, 0x9000, ota >= 0 ? 0x4000 : 0x6000);
    if (ota >= 0)
        add_part(t, "otadata", 0x01, 0x00, 0xD000, 0x2000);
    add_part(t, "phy_init", 0x01, 0x01, 0xF000, 0x1000);
    add_part(t, "factory", 0x00, 0x00, 0x10000, 0x100000);
    if (ota >= 0) {
        add_part(t, "ota_0", 0x00, 0x10, 0x110000, 0x100000);
        add_part(t, "ota_1", 0x00, 0x11, 0x210000, 0x100000);
    }
    fw_ptable_opts_t po;
    fw_ptable_opts_default(&po);
    po.md5 = md5;
    static uint8_t table[FW_PTABLE_MAX_LEN];
    fw_error_t err;
    if (fw_ptable_write_bin(t, &po, table, &err))
        return fail("%s", err.msg);

    out_image_t im[8];
    size_t n = 0, blen, alen;
    uint8_t *boot = make_bootloader(chip, code, &blen);
    uint8_t *app = make_app(chip, page, 0x10000, code, "mmsim-app", 0, brk, &alen);
    if (!boot || !app)
        return 2;
    im[n++] = (out_image_t){chip->bootloader_offset, "bootloader", "bootloader/bootloader.bin", boot, blen};
    im[n++] = (out_image_t){0x8000, "partition-table", "partition_table/partition-table.bin", table, sizeof table};
    uint8_t otad[FW_OTADATA_SIZE];
    uint8_t *apps[2] = {NULL, NULL};
    if (ota >= 0) {
        memset(otad, 0xFF, sizeof otad);
        fw_ota_entry_write(otad, (uint32_t)ota + 1, FW_OTA_IMG_VALID);
        im[n++] = (out_image_t){0xD000, "otadata", "ota_data_initial.bin", otad, sizeof otad};
    }
    im[n++] = (out_image_t){0x10000, "app", "mmsim-app.bin", app, alen};
    if (ota >= 0) {
        size_t l0, l1;
        apps[0] = make_app(chip, page, 0x110000, code, "mmsim-ota0", 1, "", &l0);
        apps[1] = make_app(chip, page, 0x210000, code, "mmsim-ota1", 2, "", &l1);
        if (!apps[0] || !apps[1])
            return 2;
        im[n++] = (out_image_t){0x110000, "ota_0", "mmsim-ota0.bin", apps[0], l0};
        im[n++] = (out_image_t){0x210000, "ota_1", "mmsim-ota1.bin", apps[1], l1};
    }
    static uint8_t extra[0x1000];
    memset(extra, 0x5A, sizeof extra);
    if (extra_at)
        im[n++] = (out_image_t){extra_at, "storage", "storage.bin", extra, sizeof extra};
    if (overlap)
        im[n++] = (out_image_t){0x8800, "overlapping", "overlapping.bin", extra, sizeof extra};

    for (size_t i = 0; i < n; i++)
        if (!(omit_app && !strcmp(im[i].name, "app")) && write_file(dir, im[i].file, im[i].data, im[i].len))
            return 2;

    /* flasher_args.json and flash_args, images in offset order as ESP-IDF writes them. */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && im[j].offset < im[j - 1].offset; j--) {
            out_image_t tmp = im[j];
            im[j] = im[j - 1];
            im[j - 1] = tmp;
        }
    char json[8192], args[4096];
    int jl = snprintf(json, sizeof json,
                      "{\n    \"write_flash_args\" : [ \"--flash_mode\", \"dio\",\n"
                      "                         \"--flash_size\", \"%s\",\n"
                      "                         \"--flash_freq\", \"80m\" ],\n"
                      "    \"flash_settings\" : {\n        \"flash_mode\": \"dio\",\n"
                      "        \"flash_size\": \"%s\",\n        \"flash_freq\": \"80m\"\n    },\n"
                      "    \"flash_files\" : {\n", flash, flash);
    int al = snprintf(args, sizeof args, "--flash_mode dio --flash_freq 80m --flash_size %s\n", flash);
    for (size_t i = 0; i < n; i++) {
        jl += snprintf(json + jl, sizeof json - (size_t)jl, "        \"0x%x\" : \"%s\"%s\n", im[i].offset, im[i].file,
                       i + 1 < n ? "," : "");
        al += snprintf(args + al, sizeof args - (size_t)al, "0x%x %s\n", im[i].offset, im[i].file);
    }
    jl += snprintf(json + jl, sizeof json - (size_t)jl, "    },\n");
    for (size_t i = 0; i < n; i++)
        jl += snprintf(json + jl, sizeof json - (size_t)jl,
                       "    \"%s\" : { \"offset\" : \"0x%x\", \"file\" : \"%s\", \"encrypted\" : \"false\" },\n",
                       im[i].name, im[i].offset, im[i].file);
    jl += snprintf(json + jl, sizeof json - (size_t)jl,
                   "    \"extra_esptool_args\" : {\n        \"after\"  : \"hard_reset\",\n"
                   "        \"before\" : \"default_reset\",\n        \"stub\"   : true,\n"
                   "        \"chip\"   : \"%s\"\n    }\n}\n", chip->name);
    char sdk[1024];
    int sl = snprintf(sdk, sizeof sdk,
                      "# Written by fw_make_build (mmsim tests), in the shape of ESP-IDF's sdkconfig\n"
                      "CONFIG_IDF_TARGET=\"%s\"\nCONFIG_ESPTOOLPY_FLASHSIZE=\"%s\"\n"
                      "CONFIG_PARTITION_TABLE_OFFSET=0x8000\n%s%s",
                      chip->name, flash, md5 ? "" : "# CONFIG_PARTITION_TABLE_MD5 is not set\n",
                      psram_load ? "CONFIG_SPIRAM=y\nCONFIG_SPIRAM_FLASH_LOAD_TO_PSRAM=y\n"
                      : psram    ? "CONFIG_SPIRAM=y\n"
                                 : "# CONFIG_SPIRAM is not set\n");
    if (chip->page_size_configurable)
        sl += snprintf(sdk + sl, sizeof sdk - (size_t)sl, "CONFIG_MMU_PAGE_SIZE=0x%x\n", page);
    for (size_t k = 0; k < nsdk && (size_t)sl < sizeof sdk; k++)
        sl += snprintf(sdk + sl, sizeof sdk - (size_t)sl, "%s\n", sdk_lines[k]);
    if ((size_t)sl >= sizeof sdk)
        return fail("%s", "the sdkconfig lines are too long");
    char proj[1024];
    int pl = snprintf(proj, sizeof proj,
                      "{\n    \"version\": \"1.3\",\n    \"project_name\": \"mmsim-app\",\n"
                      "    \"project_version\": \"1.0\",\n    \"target\": \"%s\",\n"
                      "    \"idf_ver\": \"v6.2-dev\",\n    \"git_revision\": \"v6.2-dev\",\n"
                      "    \"app_bin\": \"mmsim-app.bin\",\n    \"build_dir\": \".\"\n}\n", chip->name);
    if (write_file(dir, "flasher_args.json", json, (size_t)jl) || write_file(dir, "flash_args", args, (size_t)al) ||
        write_file(dir, "sdkconfig", sdk, (size_t)sl) || write_file(dir, "project_description.json", proj, (size_t)pl))
        return 2;

    if (merged) {
        uint64_t end = 0;
        for (size_t i = 0; i < n; i++)
            if (im[i].offset + im[i].len > end)
                end = im[i].offset + im[i].len;
        uint8_t *whole = malloc(end);
        if (!whole)
            return 2;
        memset(whole, 0xFF, end);
        for (size_t i = 0; i < n; i++)
            memcpy(whole + im[i].offset, im[i].data, im[i].len);
        FILE *f = fopen(merged, "wb");
        if (!f || fwrite(whole, 1, end, f) != end || fclose(f))
            return fail("cannot write %s", merged);
        free(whole);
    }
    free(boot);
    free(app);
    free(apps[0]);
    free(apps[1]);
    free(t);
    return 0;
}
