/* asset_reader.c - the asset store's reader: esp_partition_mmap and plain pointers,
 * exactly as it would run on the chip. */
#include "asset_reader.h"

#include <string.h>

#include "esp_partition.h"

static const esp_partition_t *part;
static const asset_header_t *index_view; /* the first page, mapped on open */
static const uint8_t *data_view;         /* the whole partition */
static esp_partition_mmap_handle_t index_handle, data_handle;

esp_err_t asset_reader_open(void)
{
    part = esp_partition_find_first(ESP_PARTITION_TYPE_DATA, 0x40, "assets");
    if (!part)
        return ESP_ERR_NOT_FOUND;
    const void *p;
    esp_err_t err = esp_partition_mmap(part, 0, 4096, ESP_PARTITION_MMAP_DATA, &p, &index_handle);
    if (err != ESP_OK)
        return err;
    index_view = p;
    if (index_view->magic != ASSET_MAGIC) {
        esp_partition_munmap(index_handle);
        return ESP_ERR_INVALID_STATE;
    }
    err = esp_partition_mmap(part, 0, part->size, ESP_PARTITION_MMAP_DATA, &p, &data_handle);
    if (err != ESP_OK) {
        esp_partition_munmap(index_handle);
        return err;
    }
    data_view = p;
    return ESP_OK;
}

void asset_reader_close(void)
{
    esp_partition_munmap(data_handle);
    esp_partition_munmap(index_handle);
}

uint32_t asset_count(void) { return index_view->count; }

esp_err_t asset_find(const char *name, const void **data, size_t *size)
{
    const asset_entry_t *e = (const asset_entry_t *)(data_view + sizeof(asset_header_t));
    for (uint32_t i = 0; i < index_view->count; i++, e++) {
        if (strncmp(e->name, name, ASSET_NAME_MAX) == 0) {
            *data = data_view + e->offset;
            *size = e->size;
            return ESP_OK;
        }
    }
    return ESP_ERR_NOT_FOUND;
}
