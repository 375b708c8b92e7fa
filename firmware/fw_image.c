/* fw_image.c - ESP-IDF app and bootloader images: the per-chip address table, parsing
 * and checking as bootloader_support's esp_image_format.c does, the two segments the
 * bootloader maps, and writing an image as esptool's elf2image lays it out. */
#include "fw_image.h"
#include "fw_partition_int.h"
#include "sha256.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the chips (soc/<chip>/include/soc/soc.h, soc_caps.h, esp_rom_caps.h) ---- */

#define R(lo, hi, c) {lo, hi, FW_SEG_##c}

static const fw_chip_mem_t chips[] = {
    {"esp32", FW_CHIP_ESP32, 0x1000, 0x10000, false, false, false, false, 7,
     {R(0x3F400000, 0x3F800000, DROM), R(0x400D0000, 0x40400000, IROM),
      R(0x400C0000, 0x400C2000, RTC_FAST), R(0x3FF80000, 0x3FF82000, RTC_FAST),
      R(0x50000000, 0x50002000, RTC_SLOW), R(0x3FFAE000, 0x40000000, DRAM),
      R(0x40080000, 0x400AA000, IRAM)}},
    {"esp32s2", FW_CHIP_ESP32S2, 0x1000, 0x10000, false, false, false, false, 7,
     {R(0x3F000000, 0x3FF80000, DROM), R(0x40080000, 0x40800000, IROM),
      R(0x40070000, 0x40072000, RTC_FAST), R(0x3FF9E000, 0x3FFA0000, RTC_FAST),
      R(0x50000000, 0x50002000, RTC_SLOW), R(0x3FFB0000, 0x40000000, DRAM),
      R(0x40020000, 0x40070000, IRAM)}},
    {"esp32s3", FW_CHIP_ESP32S3, 0x0, 0x10000, false, false, false, true, 6,
     {R(0x3C000000, 0x3E000000, DROM), R(0x42000000, 0x44000000, IROM),
      R(0x600FE000, 0x60100000, RTC_FAST), R(0x50000000, 0x50002000, RTC_SLOW),
      R(0x3FC88000, 0x3FD00000, DRAM), R(0x40370000, 0x403E0000, IRAM)}},
    {"esp32c2", FW_CHIP_ESP32C2, 0x0, 0x10000, true, false, false, false, 4,
     {R(0x3C000000, 0x3C400000, DROM), R(0x42000000, 0x42400000, IROM),
      R(0x3FCA0000, 0x3FCE0000, DRAM), R(0x4037C000, 0x403C0000, IRAM)}},
    {"esp32c3", FW_CHIP_ESP32C3, 0x0, 0x10000, false, false, false, false, 5,
     {R(0x3C000000, 0x3C800000, DROM), R(0x42000000, 0x42800000, IROM),
      R(0x50000000, 0x50002000, RTC_FAST), R(0x3FC80000, 0x3FCE0000, DRAM),
      R(0x4037C000, 0x403E0000, IRAM)}},
    {"esp32c5", FW_CHIP_ESP32C5, 0x2000, 0x10000, false, false, true, true, 3,
     {R(0x42000000, 0x44000000, DROM), R(0x50000000, 0x50004000, RTC_FAST),
      R(0x40800000, 0x40860000, DIRAM)}},
    {"esp32c6", FW_CHIP_ESP32C6, 0x0, 0x10000, true, true, true, false, 3,
     {R(0x42000000, 0x43000000, DROM), R(0x50000000, 0x50004000, RTC_FAST),
      R(0x40800000, 0x40880000, DIRAM)}},
    {"esp32c61", FW_CHIP_ESP32C61, 0x0, 0x10000, true, false, true, true, 2,
     {R(0x42000000, 0x44000000, DROM), R(0x40800000, 0x40850000, DIRAM)}},
    {"esp32h2", FW_CHIP_ESP32H2, 0x0, 0x10000, true, true, true, false, 3,
     {R(0x42000000, 0x43000000, DROM), R(0x50000000, 0x50001000, RTC_FAST),
      R(0x40800000, 0x40850000, DIRAM)}},
    {"esp32h21", FW_CHIP_ESP32H21, 0x0, 0x10000, true, false, true, false, 3,
     {R(0x42000000, 0x43000000, DROM), R(0x50000000, 0x50001000, RTC_FAST),
      R(0x40800000, 0x40850000, DIRAM)}},
    {"esp32h4", FW_CHIP_ESP32H4, 0x2000, 0x10000, true, false, true, true, 2,
     {R(0x42000000, 0x44000000, DROM), R(0x40810000, 0x40860000, DIRAM)}},
    {"esp32p4", FW_CHIP_ESP32P4, 0x2000, 0x10000, false, false, true, true, 4,
     {R(0x40000000, 0x44000000, DROM), R(0x48000000, 0x4C000000, EXTRAM),
      R(0x50108000, 0x50110000, RTC_FAST), R(0x4FF00000, 0x4FFC0000, DIRAM)}},
    {"esp32s31", FW_CHIP_ESP32S31, 0x2000, 0x10000, true, false, true, true, 4,
     {R(0x40000000, 0x44000000, DROM), R(0x50000000, 0x54000000, EXTRAM),
      R(0x2E000000, 0x2E008000, RTC_FAST), R(0x2F000000, 0x2F080000, DIRAM)}},
};

const fw_chip_mem_t *fw_chip_by_id(uint16_t id)
{
    for (size_t i = 0; i < COUNT(chips); i++)
        if (chips[i].chip_id == id)
            return &chips[i];
    return NULL;
}

const fw_chip_mem_t *fw_chip_by_name(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < COUNT(chips); i++)
        if (strcmp(chips[i].name, name) == 0)
            return &chips[i];
    return NULL;
}

const fw_chip_mem_t *fw_chip_at(size_t i)
{
    return i < COUNT(chips) ? &chips[i] : NULL;
}

fw_seg_class_t fw_seg_classify(const fw_chip_mem_t *chip, uint32_t page_size, uint32_t addr)
{
    if (!chip)
        return addr == 0 ? FW_SEG_PADDING : addr < 0x10000000u ? FW_SEG_RESERVED : FW_SEG_UNKNOWN;
    if (!page_size)
        page_size = chip->page_size;
    for (size_t i = 0; i < chip->range_count && i < FW_CHIP_MAX_RANGES; i++) {
        const fw_mem_range_t *r = &chip->ranges[i];
        uint64_t high = r->high;
        if (chip->rom_high_by_page && r->cls == FW_SEG_DROM)
            high = (uint64_t)r->low + (uint64_t)page_size * 256u;
        bool mapped = fw_seg_class_mapped(r->cls);
        /* should_map comes first, then the reserved addresses below 0x10000000. */
        if (!mapped && addr < 0x10000000u)
            break;
        if (addr >= r->low && addr < high)
            return r->cls;
    }
    if (addr < 0x10000000u)
        return addr == 0 ? FW_SEG_PADDING : FW_SEG_RESERVED;
    return FW_SEG_UNKNOWN;
}

const char *fw_seg_class_name(fw_seg_class_t c)
{
    switch (c) {
    case FW_SEG_PADDING: return "padding";
    case FW_SEG_RESERVED: return "reserved";
    case FW_SEG_DROM: return "DROM";
    case FW_SEG_IROM: return "IROM";
    case FW_SEG_EXTRAM: return "EXTRAM";
    case FW_SEG_DRAM: return "DRAM";
    case FW_SEG_IRAM: return "IRAM";
    case FW_SEG_DIRAM: return "DIRAM";
    case FW_SEG_RTC_FAST: return "RTC_FAST";
    case FW_SEG_RTC_SLOW: return "RTC_SLOW";
    case FW_SEG_UNKNOWN: return "unknown";
    }
    return "unknown";
}

bool fw_seg_class_mapped(fw_seg_class_t c)
{
    return c == FW_SEG_DROM || c == FW_SEG_IROM || c == FW_SEG_EXTRAM;
}

/* ---- names ---- */

const char *fw_image_spi_mode_name(uint8_t mode)
{
    static const char *const names[] = {"qio", "qout", "dio", "dout", "fast_read", "slow_read"};
    return mode < COUNT(names) ? names[mode] : "?";
}

const char *fw_image_flash_size_name(uint8_t code)
{
    static const char *const names[] = {"1MB", "2MB", "4MB", "8MB", "16MB", "32MB", "64MB", "128MB"};
    return code < COUNT(names) ? names[code] : "?";
}

uint64_t fw_image_flash_size_bytes(uint8_t code)
{
    return code < 8 ? (uint64_t)1 << (20 + code) : 0;
}

/* ---- parsing ---- */

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void hexstr(char *out, const uint8_t *b, size_t n)
{
    static const char d[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = d[b[i] >> 4];
        out[2 * i + 1] = d[b[i] & 15];
    }
    out[2 * n] = '\0';
}

void fw_image_opts_default(fw_image_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->kind = FW_IMAGE_APP;
    o->chip = NULL;
    o->offset = 0x10000;
    o->chip_revision = -1;
    o->verify = true;
}

static void copy_field(char *dst, const uint8_t *src, size_t n)
{
    size_t k = 0;
    while (k < n && src[k])
        k++;
    memcpy(dst, src, k);
    dst[k] = '\0';
}

static void decode_app_desc(const uint8_t *d, fw_app_desc_t *a)
{
    memset(a, 0, sizeof *a);
    a->present = true;
    a->secure_version = le32(d + 4);
    copy_field(a->version, d + 16, 32);
    copy_field(a->project_name, d + 48, 32);
    copy_field(a->time, d + 80, 16);
    copy_field(a->date, d + 96, 16);
    copy_field(a->idf_ver, d + 112, 32);
    memcpy(a->app_elf_sha256, d + 144, 32);
    a->min_efuse_blk_rev_full = le16(d + 176);
    a->max_efuse_blk_rev_full = le16(d + 178);
    a->mmu_page_size_log2 = d[180];
    a->spi_flash_mode = d[181];
}

/* The DROM and IROM segments as unpack_load_app picks them. */
static int rom_segments(const char *file, const fw_image_t *img, int *drom, int *irom, char *note,
                        size_t note_size, fw_error_t *err)
{
    *drom = *irom = -1;
    if (note && note_size)
        note[0] = '\0';
    if (img->chip && img->chip->shared_rom_vaddr) {
        int n = 0;
        for (size_t i = 0; i < img->segment_count_read; i++) {
            if (!fw_seg_class_mapped(img->segments[i].cls))
                continue;
            if (n == 2)
                return fw_fail(err, FW_ERR_SEGMENT,
                               "%s: byte offset 0x%" PRIx32 ": segment %zu at 0x%08" PRIx32
                               " is a third segment in the flash-mapped range: the bootloader "
                               "maps exactly two and stops (assert rom_index < 2)", file,
                               img->segments[i].header_offset, i, img->segments[i].load_addr);
            if (n == 0)
                *drom = (int)i;
            else
                *irom = (int)i;
            n++;
        }
        if (n != 2)
            return fw_fail(err, FW_ERR_SEGMENT,
                           "%s: %d segment%s in the flash-mapped range: the bootloader maps "
                           "exactly two and stops (assert rom_index == 2)", file, n,
                           n == 1 ? "" : "s");
        return 0;
    }
    for (size_t i = 0; i < img->segment_count_read; i++) {
        fw_seg_class_t c = img->segments[i].cls;
        int *slot = c == FW_SEG_DROM ? drom : c == FW_SEG_IROM ? irom : NULL;
        if (!slot)
            continue;
        if (*slot >= 0 && note && note_size && !note[0])
            snprintf(note, note_size,
                     "Image contains multiple %s segments. Only the last one will be mapped.",
                     c == FW_SEG_DROM ? "DROM" : "IROM");
        *slot = (int)i;
    }
    return 0;
}

int fw_image_rom_segments(const char *file, const fw_image_t *img, int *drom, int *irom,
                          char *note, size_t note_size, fw_error_t *err)
{
    if (!img || !drom || !irom)
        return fw_fail(err, FW_ERR_ARG, "fw_image_rom_segments: no %s", img ? "output" : "image");
    return rom_segments(file ? file : "image", img, drom, irom, note, note_size, err);
}

#define AT(off) "%s: byte offset 0x%" PRIx64 ": "

int fw_image_parse(const char *file, const uint8_t *data, size_t len, const fw_image_opts_t *opts,
                   fw_image_t *out, fw_error_t *err)
{
    fw_image_opts_t defaults;
    if (!opts) {
        fw_image_opts_default(&defaults);
        opts = &defaults;
    }
    if (!out || (!data && len))
        return fw_fail(err, FW_ERR_ARG, "fw_image_parse: no %s", out ? "data" : "output");
    memset(out, 0, sizeof *out);
    out->drom_segment = out->irom_segment = -1;
    if (!file)
        file = "image";
    const uint64_t base = opts->offset;
    const bool app = opts->kind == FW_IMAGE_APP;
    const bool raw = opts->kind == FW_IMAGE_RAW;

    if (len == 0)
        return fw_fail(err, FW_ERR_TRUNCATED, "%s: the file is empty: no image", file);
    if (data[0] != FW_IMAGE_MAGIC)
        return fw_fail(err, FW_ERR_MAGIC,
                       AT(0) "image at 0x%" PRIx64 " has invalid magic byte (nothing flashed "
                       "here?): 0x%02x, an image starts with 0xe9", file, (uint64_t)0, base,
                       data[0]);
    if (len < FW_IMAGE_HEADER_SIZE)
        return fw_fail(err, FW_ERR_TRUNCATED,
                       AT(0) "truncated: the image header needs %u bytes, the data ends at "
                       "byte 0x%zx", file, (uint64_t)0, FW_IMAGE_HEADER_SIZE, len);
    out->magic = data[0];
    out->segment_count = data[1];
    out->spi_mode = data[2];
    out->spi_speed = data[3] & 0x0F;
    out->spi_size = data[3] >> 4;
    out->entry_addr = le32(data + 4);
    out->wp_pin = data[8];
    memcpy(out->spi_pin_drv, data + 9, 3);
    out->chip_id = le16(data + 12);
    out->min_chip_rev = data[14];
    out->min_chip_rev_full = le16(data + 15);
    out->max_chip_rev_full = le16(data + 17);
    out->hash_appended = data[23] != 0;

    /* bootloader_common_check_chip_validity */
    const fw_chip_mem_t *chip = opts->chip;
    if (chip && chip->chip_id != out->chip_id) {
        const fw_chip_mem_t *other = fw_chip_by_id(out->chip_id);
        return fw_fail(err, FW_ERR_CHIP,
                       AT(0xc) "mismatch chip ID, expected %d, found %d (the image is for %s, "
                       "the chip is %s)", file, (uint64_t)0xc, chip->chip_id, out->chip_id,
                       other ? other->name : "no known chip", chip->name);
    }
    if (!chip) {
        chip = fw_chip_by_id(out->chip_id);
        if (!chip)
            return fw_fail(err, FW_ERR_CHIP,
                           AT(0xc) "unknown chip ID %d (0x%04x): no ESP-IDF chip has it (an "
                           "ESP8266 image, or not an image?)", file, (uint64_t)0xc,
                           out->chip_id, out->chip_id);
    }
    out->chip = chip;
    if (!raw && opts->chip_revision >= 0) {
        unsigned rev = (unsigned)opts->chip_revision, min = out->min_chip_rev_full,
                 max = out->max_chip_rev_full;
        if (!(min <= rev))
            return fw_fail(err, FW_ERR_CHIP,
                           AT(0xf) "chip revision check failed. Required >= v%u.%u, found "
                           "v%u.%u.", file, (uint64_t)0xf, min / 100, min % 100, rev / 100,
                           rev % 100);
        if (app && max != 0 && max != 0xFFFF && rev > max)
            return fw_fail(err, FW_ERR_CHIP,
                           AT(0x11) "chip revision check failed. Required <= v%u.%u, found "
                           "v%u.%u.", file, (uint64_t)0x11, max / 100, max % 100, rev / 100,
                           rev % 100);
    }
    if (out->segment_count > FW_IMAGE_MAX_SEGMENTS)
        return fw_fail(err, FW_ERR_SEGMENT,
                       AT(1) "image at 0x%" PRIx64 " segment count %d exceeds max %d", file,
                       (uint64_t)1, base, out->segment_count, FW_IMAGE_MAX_SEGMENTS);

    uint32_t page = opts->page_size ? opts->page_size : chip->page_size;
    out->page_size = page;
    uint64_t max_len = chip->addr32 ? UINT32_MAX : 0x1000000u;
    uint8_t x = FW_IMAGE_CHECKSUM_SEED;
    size_t next = FW_IMAGE_HEADER_SIZE;
    for (size_t i = 0; i < out->segment_count; i++) {
        fw_segment_t *s = &out->segments[i];
        if (len - next < FW_IMAGE_SEGMENT_HEADER_SIZE)
            return fw_fail(err, FW_ERR_TRUNCATED,
                           AT(next) "segment %zu: truncated: its 8-byte header is cut by the "
                           "end of the data at byte 0x%zx (%u segments announced)", file,
                           (uint64_t)next, i, len, out->segment_count);
        s->load_addr = le32(data + next);
        s->data_len = le32(data + next + 4);
        s->header_offset = (uint32_t)next;
        s->data_offset = (uint32_t)(next + FW_IMAGE_SEGMENT_HEADER_SIZE);
        s->flash_offset = base + s->data_offset;
        s->cls = fw_seg_classify(chip, page, s->load_addr);
        out->segment_count_read = i + 1;
        /* verify_segment_header */
        if ((s->data_len & 3) || s->data_len >= max_len)
            return fw_fail(err, FW_ERR_SEGMENT,
                           AT(next + 4) "invalid segment length 0x%" PRIx32 " (segment %zu: a "
                           "multiple of 4 below %s)", file, (uint64_t)next + 4, s->data_len, i,
                           chip->addr32 ? "4 GB" : "16 MB");
        size_t avail = len - s->data_offset;
        if (i == 0 && app) {
            if (s->data_len < FW_APP_DESC_SIZE)
                return fw_fail(err, FW_ERR_SEGMENT,
                               AT(next + 4) "Segment %zu: length 0x%" PRIx32 " is too short "
                               "for app description", file, (uint64_t)next + 4, i, s->data_len);
            if (chip->page_size_configurable) {
                if (avail < 181)
                    return fw_fail(err, FW_ERR_TRUNCATED,
                                   AT(s->data_offset) "segment 0: truncated: the app "
                                   "descriptor is cut by the end of the data at byte 0x%zx",
                                   file, (uint64_t)s->data_offset, len);
                if (le32(data + s->data_offset) != FW_APP_DESC_MAGIC)
                    return fw_fail(err, FW_ERR_MAGIC,
                                   AT(s->data_offset) "Failed to fetch app description header! "
                                   "(segment 0 starts with 0x%08" PRIx32 ", not the magic word "
                                   "0xabcd5432)", file, (uint64_t)s->data_offset,
                                   le32(data + s->data_offset));
                uint8_t lg = data[s->data_offset + 180];
                /* Outside [MMU_PAGE_SIZE_MIN, MAX] (8 KB .. 256 KB): the bootloader's own. */
                if (lg >= 13 && lg <= 18)
                    page = 1u << lg;
                out->page_size = page;
                s->cls = fw_seg_classify(chip, page, s->load_addr);
            }
        }
        bool mapped = fw_seg_class_mapped(s->cls);
        uint32_t flash32 = (uint32_t)s->flash_offset;
        if (mapped && (flash32 % page) != (s->load_addr % page) && !raw)
            return fw_fail(err, FW_ERR_ALIGN,
                           AT(next) "Segment %zu load address 0x%08" PRIx32 ", doesn't match "
                           "data 0x%08" PRIx32 " (modulo the 0x%" PRIx32 "-byte MMU page)",
                           file, (uint64_t)next, i, s->load_addr, flash32, page);
        /* verify_load_addresses: what the bootloader loads must land in RAM the chip has
         * (a bootloader is loaded by the ROM, which also uses cache memory as IRAM). */
        if (app && !mapped && s->load_addr >= 0x10000000u && s->data_len > 0 &&
            s->cls == FW_SEG_UNKNOWN)
            return fw_fail(err, FW_ERR_SEGMENT,
                           AT(next) "Segment %zu 0x%08" PRIx32 "-0x%08" PRIx32 " invalid: bad "
                           "load address range (no RAM of the %s there)", file, (uint64_t)next,
                           i, s->load_addr, (uint32_t)(s->load_addr + s->data_len), chip->name);
        if (avail < s->data_len)
            return fw_fail(err, FW_ERR_TRUNCATED,
                           AT(s->data_offset) "segment %zu: truncated: its 0x%" PRIx32 " bytes "
                           "of data are cut by the end of the data at byte 0x%zx", file,
                           (uint64_t)s->data_offset, i, s->data_len, len);
        const uint8_t *d = data + s->data_offset;
        for (size_t k = 0; k < s->data_len; k++)
            x ^= d[k];
        if (i == 0 && s->data_len >= FW_APP_DESC_SIZE && le32(d) == FW_APP_DESC_MAGIC)
            decode_app_desc(d, &out->app_desc);
        next = s->data_offset + s->data_len;
    }
    /* The shared-range chips' second mapped segment is the "IROM". */
    int drom, irom;
    if (rom_segments(file, out, &drom, &irom, NULL, 0, NULL) == 0 || chip->shared_rom_vaddr) {
        out->drom_segment = drom;
        out->irom_segment = irom;
        if (chip->shared_rom_vaddr && irom >= 0 && out->segments[irom].cls == FW_SEG_DROM)
            out->segments[irom].cls = FW_SEG_IROM;
    }

    /* process_checksum: zero padding so that the checksum byte ends a 16-byte block. */
    size_t padded = (next + 1 + 15) & ~(size_t)15;
    out->checksum_offset = (uint32_t)(padded - 1);
    out->checksum_calc = x;
    if (len < padded)
        return fw_fail(err, FW_ERR_TRUNCATED,
                       AT(padded - 1) "truncated: the checksum byte is past the end of the "
                       "data at byte 0x%zx", file, (uint64_t)padded - 1, len);
    out->checksum = data[padded - 1];
    out->checksum_ok = out->checksum == x;
    out->image_len = (uint32_t)padded;
    if (!out->checksum_ok && opts->verify && !raw)
        return fw_fail(err, FW_ERR_CHECKSUM,
                       AT(padded - 1) "Checksum failed. Calculated 0x%x read 0x%x", file,
                       (uint64_t)padded - 1, x, out->checksum);
    if (out->hash_appended) {
        if (len - padded < FW_IMAGE_HASH_LEN)
            return fw_fail(err, FW_ERR_TRUNCATED,
                           AT(padded) "truncated: the appended SHA-256 (32 bytes, the header's "
                           "hash flag is set) is cut by the end of the data at byte 0x%zx",
                           file, (uint64_t)padded, len);
        memcpy(out->hash, data + padded, FW_IMAGE_HASH_LEN);
        sha256_sum(data, padded, out->hash_calc);
        out->hash_ok = memcmp(out->hash, out->hash_calc, FW_IMAGE_HASH_LEN) == 0;
        out->image_len += FW_IMAGE_HASH_LEN;
    }
    if (opts->partition_size && out->image_len > opts->partition_size)
        return fw_fail(err, FW_ERR_RANGE,
                       "%s: Image length %" PRIu32 " doesn't fit in partition length %" PRIu64,
                       file, out->image_len, opts->partition_size);
    if (out->hash_appended && !out->hash_ok && opts->verify && app) {
        char want[65], got[65];
        hexstr(want, out->hash, FW_IMAGE_HASH_LEN);
        hexstr(got, out->hash_calc, FW_IMAGE_HASH_LEN);
        return fw_fail(err, FW_ERR_HASH,
                       AT(padded) "Image hash failed - image is corrupt (appended %s, "
                       "calculated %s)", file, (uint64_t)padded, want, got);
    }
    return 0;
}

int fw_image_load_file(const char *path, const fw_image_opts_t *opts, fw_image_t *out,
                       fw_error_t *err)
{
    if (!path || !out)
        return fw_fail(err, FW_ERR_ARG, "fw_image_load_file: no %s", path ? "output" : "path");
    uint8_t *buf;
    size_t len;
    int rc = fw_read_file(path, FW_IMAGE_MAX_FILE, "an app image", &buf, &len, err);
    if (rc) {
        memset(out, 0, sizeof *out);
        return rc;
    }
    rc = fw_image_parse(path, buf, len, opts, out, err);
    free(buf);
    return rc;
}

/* ---- writing ---- */

size_t fw_image_build(const fw_image_t *img, const uint8_t *const *seg_data, uint8_t *out, size_t cap)
{
    size_t n = FW_IMAGE_HEADER_SIZE;
    size_t count = img->segment_count_read;
    for (size_t i = 0; i < count; i++)
        n += FW_IMAGE_SEGMENT_HEADER_SIZE + img->segments[i].data_len;
    size_t padded = (n + 1 + 15) & ~(size_t)15;
    size_t total = padded + (img->hash_appended ? FW_IMAGE_HASH_LEN : 0);
    if (!out || total > cap)
        return total;
    memset(out, 0, total);
    out[0] = img->magic;
    out[1] = img->segment_count;
    out[2] = img->spi_mode;
    out[3] = (uint8_t)((img->spi_size << 4) | (img->spi_speed & 0x0F));
    put32(out + 4, img->entry_addr);
    out[8] = img->wp_pin;
    memcpy(out + 9, img->spi_pin_drv, 3);
    out[12] = (uint8_t)img->chip_id;
    out[13] = (uint8_t)(img->chip_id >> 8);
    out[14] = img->min_chip_rev;
    out[15] = (uint8_t)img->min_chip_rev_full;
    out[16] = (uint8_t)(img->min_chip_rev_full >> 8);
    out[17] = (uint8_t)img->max_chip_rev_full;
    out[18] = (uint8_t)(img->max_chip_rev_full >> 8);
    out[23] = img->hash_appended ? 1 : 0;
    size_t at = FW_IMAGE_HEADER_SIZE;
    uint8_t x = FW_IMAGE_CHECKSUM_SEED;
    for (size_t i = 0; i < count; i++) {
        const fw_segment_t *s = &img->segments[i];
        put32(out + at, s->load_addr);
        put32(out + at + 4, s->data_len);
        at += FW_IMAGE_SEGMENT_HEADER_SIZE;
        if (s->data_len && seg_data && seg_data[i])
            memcpy(out + at, seg_data[i], s->data_len);
        for (size_t k = 0; k < s->data_len; k++)
            x ^= out[at + k];
        at += s->data_len;
    }
    out[padded - 1] = x;
    if (img->hash_appended)
        sha256_sum(out, padded, out + padded);
    return total;
}
