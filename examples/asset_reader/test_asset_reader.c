/* test_asset_reader.c - the asset reader's host test: an ESP32-S3 with the example's
 * partitions.csv, an asset store written into the "assets" partition, the component
 * run as written (its pointers into mapped flash dereference through the simulated
 * cache), then the bug it has: the store updated with esp_partition_write, and the
 * reader's second view still serving the old bytes, a stale_read naming
 * asset_reader.c.  Reopening the reader is the fix. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asset_reader.h"
#include "esp_partition.h"
#include "mmsim.h"
#include "mmsim_direct.h"

#define CHECK(cond)                                                                 \
    do {                                                                            \
        if (!(cond)) {                                                              \
            fprintf(stderr, "%s:%d: check failed: %s (%s)\n", __FILE__, __LINE__, #cond, \
                    mmsim_last_error());                                            \
            exit(1);                                                                \
        }                                                                           \
    } while (0)

/* A store of two assets: "logo" and "tune", with `logo_byte` filling the logo. */
static void build_store(uint8_t *blob, size_t len, uint8_t logo_byte, uint32_t logo_size)
{
    memset(blob, 0xff, len);
    asset_header_t h = {ASSET_MAGIC, 2};
    asset_entry_t e[2] = {{"logo", 1024, logo_size}, {"tune", 2048, 100}};
    memcpy(blob, &h, sizeof h);
    memcpy(blob + sizeof h, e, sizeof e);
    memset(blob + 1024, logo_byte, logo_size);
    memset(blob + 2048, 0x22, 100);
}

int main(void)
{
    mmsim_config_t cfg = mmsim_config_default("esp32s3");
    cfg.partition_table = EXAMPLE_DIR "/partitions.csv";
    mmsim_t *m;
    CHECK(mmsim_open(&cfg, &m) == 0);
    CHECK(mmsim_direct_attach(m) == 0);

    const esp_partition_t *part = esp_partition_find_first(ESP_PARTITION_TYPE_DATA, 0x40, "assets");
    CHECK(part != NULL);
    static uint8_t blob[4096];
    build_store(blob, sizeof blob, 0x11, 64);
    CHECK(esp_partition_erase_range(part, 0, 4096) == ESP_OK);
    CHECK(esp_partition_write(part, 0, blob, sizeof blob) == ESP_OK);

    /* The component, as on the chip. */
    CHECK(asset_reader_open() == ESP_OK);
    CHECK(asset_count() == 2);
    const void *logo;
    size_t size;
    CHECK(asset_find("logo", &logo, &size) == ESP_OK && size == 64);
    CHECK(((const uint8_t *)logo)[63] == 0x11);
    CHECK(asset_find("nope", &logo, &size) == ESP_ERR_NOT_FOUND);
    CHECK(mmsim_hazard_count(m) == 0);

    /* The update: a new, larger logo.  The erase and the write invalidate the first
     * mapping of the page (the index view); the data view keeps its cached lines. */
    build_store(blob, sizeof blob, 0x33, 128);
    CHECK(esp_partition_erase_range(part, 0, 4096) == ESP_OK);
    CHECK(esp_partition_write(part, 0, blob, sizeof blob) == ESP_OK);
    CHECK(asset_find("logo", &logo, &size) == ESP_OK);
    CHECK(size == 64); /* the old entry: stale */
    CHECK(mmsim_hazard_count_kind(m, MMSIM_HAZARD_STALE_READ) >= 1);
    /* Each stale read names its host line; one is the component's (under ASan the
     * name compare is ASan's own strncmp, whose byte loads trap inside the runtime). */
    char line[512];
    int in_component = 0;
    for (size_t i = 0; i < mmsim_hazard_count(m); i++) {
        mmsim_direct_site_t site;
        CHECK(mmsim_direct_hazard_site(i, &site) == 0);
        printf("%s\n", mmsim_direct_hazard_format(i, line, sizeof line));
        CHECK(strstr(line, "stale") != NULL);
        in_component += strstr(site.file, "asset_reader.c") != NULL && site.line > 0;
    }
    CHECK(in_component > 0);

    /* The fix: map again after an update. */
    asset_reader_close();
    mmsim_hazard_clear(m);
    CHECK(asset_reader_open() == ESP_OK);
    CHECK(asset_find("logo", &logo, &size) == ESP_OK && size == 128);
    CHECK(((const uint8_t *)logo)[127] == 0x33);
    CHECK(mmsim_hazard_count(m) == 0);
    asset_reader_close();

    mmsim_direct_detach(m);
    mmsim_close(m);
    printf("test_asset_reader: passed\n");
    return 0;
}
