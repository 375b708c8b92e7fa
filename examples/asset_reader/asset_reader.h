/* asset_reader.h - a flash-backed asset store, as a firmware component: a data
 * partition labelled "assets" holds a header, a table of entries and their bytes;
 * the reader maps the partition and hands out pointers into it. */
#ifndef ASSET_READER_H
#define ASSET_READER_H

#include <stddef.h>
#include <stdint.h>

#include "esp_err.h"

#define ASSET_MAGIC 0x54455341u /* "ASET" */
#define ASSET_NAME_MAX 12

typedef struct {
    uint32_t magic;
    uint32_t count;
} asset_header_t;

typedef struct {
    char name[ASSET_NAME_MAX];
    uint32_t offset; /* from the partition's start */
    uint32_t size;
} asset_entry_t;

/* Map the "assets" partition: the header page for the index, the whole partition for
 * the data (two views, as a component that maps lazily ends up with). */
esp_err_t asset_reader_open(void);
void asset_reader_close(void);
/* The number of assets in the index. */
uint32_t asset_count(void);
/* The bytes of asset `name`: a pointer into mapped flash. */
esp_err_t asset_find(const char *name, const void **data, size_t *size);

#endif
