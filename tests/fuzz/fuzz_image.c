/* fuzz_image.c - libFuzzer target: any bytes as an app image (every check, the chip from
 * the header; then told it is an ESP32-S3 app at 0x110000 with a configured page size),
 * as a bootloader, as a raw image, and as a merged flash.  A refusal must name the file;
 * an accepted image must have its segments inside the data, in order, with the checksum
 * flag matching what the data says, and must write back (fw_image_build) to the same
 * segment bytes with the checksum at the same place.  Never crash, hang or leak. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fw_image.h"
#include "fw_merged.h"

static fw_image_t img;
static fw_merged_t merged;
static uint8_t again[1u << 20];

static void check(int rc, const fw_error_t *err, const uint8_t *data, size_t size)
{
    if (rc) {
        if (rc != err->code || !strstr(err->msg, "fuzz.bin"))
            abort();
        return;
    }
    size_t end = FW_IMAGE_HEADER_SIZE;
    for (size_t i = 0; i < img.segment_count_read; i++) {
        const fw_segment_t *s = &img.segments[i];
        if (s->header_offset != end || s->data_offset != end + 8 || s->data_offset + (uint64_t)s->data_len > size)
            abort();
        end = s->data_offset + s->data_len;
    }
    if (img.segment_count_read != img.segment_count || img.image_len > size)
        abort();
    if (img.checksum_ok != (data[img.checksum_offset] == img.checksum_calc))
        abort();
    const uint8_t *segs[FW_IMAGE_MAX_SEGMENTS];
    for (size_t i = 0; i < img.segment_count_read; i++)
        segs[i] = data + img.segments[i].data_offset;
    size_t n = fw_image_build(&img, segs, again, sizeof again);
    if (n != img.image_len)
        abort();
    /* The segments write back byte for byte, and the checksum lands where it was read. */
    if (n <= sizeof again &&
        (memcmp(again + FW_IMAGE_HEADER_SIZE, data + FW_IMAGE_HEADER_SIZE, end - FW_IMAGE_HEADER_SIZE) != 0 ||
         again[img.checksum_offset] != img.checksum_calc))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fw_image_opts_t o;
    fw_error_t err;
    static const fw_image_kind_t kinds[] = {FW_IMAGE_APP, FW_IMAGE_BOOTLOADER, FW_IMAGE_RAW};
    for (int k = 0; k < 3; k++) {
        fw_image_opts_default(&o);
        o.kind = kinds[k];
        check(fw_image_parse("fuzz.bin", data, size, &o, &img, &err), &err, data, size);
    }
    fw_image_opts_default(&o);
    o.chip = fw_chip_by_name("esp32c6");
    o.offset = 0x110000;
    o.page_size = 0x8000;
    o.partition_size = 0x1000;
    o.chip_revision = 1;
    check(fw_image_parse("fuzz.bin", data, size, &o, &img, &err), &err, data, size);
    if (img.segment_count_read) {
        int d, i;
        char note[128];
        fw_image_rom_segments("fuzz.bin", &img, &d, &i, note, sizeof note, &err);
    }
    int rc = fw_merged_read("fuzz.bin", data, size, NULL, &merged, &err);
    if (rc && (rc != err.code || !strstr(err.msg, "fuzz.bin")))
        abort();
    return 0;
}
