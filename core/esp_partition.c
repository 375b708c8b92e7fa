/* esp_partition.c - the partition table and the partition API (ESP-IDF's
 * components/esp_partition: partition.c, partition_target.c), written from their
 * behaviour: the same checks in the same order, return codes and log lines.
 *
 * On first use the table is checked as the bootloader checks it, until it passes
 * once (esp_partition_table_boot_check, esp_flash_partitions.c), then read through
 * the flash driver and loaded as the app loads it, MD5 record included.  The list,
 * the external partitions and the open iterators live in a per-chip context
 * (esp_partition_ctx.h) so machines open side by side keep their own.  Data moves
 * through esp_flash_*: a write or erase invalidates the first mapping of each page it
 * touches and nothing else, as on ESP-IDF. */
#include "esp_partition.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootloader_sha.h"
#include "esp_flash_partitions.h"
#include "esp_log.h"
#include "esp_private/esp_partition_ctx.h"
#include "esp_rom_md5.h"
#include "esp_system.h"
#include "hal/spi1_flash.h"
#include "sdkconfig.h"
#include "spi_flash_mmap.h"

#define HASH_LEN 32

static const char *TAG = "partition";

typedef struct item {
    esp_partition_t info;
    bool user_registered;
    struct item *next;
} item_t;

struct esp_partition_iterator_opaque_ {
    esp_partition_type_t type;
    esp_partition_subtype_t subtype;
    const char *label;
    item_t *next_item;
    esp_partition_t *info;
    /* The context's list of open iterators, so a machine closed with some still open
     * frees them. */
    struct esp_partition_iterator_opaque_ *prev_open, *next_open;
};

struct esp_partition_ctx {
    bool boot_checked; /* the simulated bootloader accepted the table */
    item_t *list;  /* table order, then external partitions */
    struct esp_partition_iterator_opaque_ *open;
};

static _Thread_local esp_partition_ctx_t *s_ctx;

esp_partition_ctx_t *esp_partition_ctx_new(void)
{
    esp_partition_ctx_t *ctx = calloc(1, sizeof *ctx);
    if (ctx)
        s_ctx = ctx;
    return ctx;
}

esp_partition_ctx_t *esp_partition_ctx_current(void) { return s_ctx; }
void esp_partition_ctx_switch(esp_partition_ctx_t *ctx) { s_ctx = ctx; }

static void free_list(item_t *it)
{
    while (it) {
        item_t *next = it->next;
        free(it);
        it = next;
    }
}

void esp_partition_ctx_free(esp_partition_ctx_t *ctx)
{
    if (!ctx)
        return;
    free_list(ctx->list);
    while (ctx->open) {
        struct esp_partition_iterator_opaque_ *next = ctx->open->next_open;
        free(ctx->open);
        ctx->open = next;
    }
    if (s_ctx == ctx)
        s_ctx = NULL;
    free(ctx);
}

/* ---- the table ---- */

/* The app's reading of a table the bootloader accepted: entries up to the first
 * record that is not one, the MD5 record required and checked. */
static esp_err_t load_entries(const esp_partition_info_t *table, item_t **out)
{
    item_t *head = NULL, **tail = &head;
    const esp_partition_info_t *md5_rec = NULL;
    md5_context_t md5;
    esp_rom_md5_init(&md5);
    esp_err_t err = ESP_OK;
    for (size_t i = 0; i < ESP_PARTITION_TABLE_MAX_ENTRIES; i++) {
        esp_partition_info_t e;
        memcpy(&e, &table[i], sizeof e);
        if (e.magic == ESP_PARTITION_MAGIC_MD5) {
            md5_rec = &table[i];
            break;
        }
        if (e.magic != ESP_PARTITION_MAGIC)
            break;
        esp_rom_md5_update(&md5, &e, sizeof e);
        item_t *it = calloc(1, sizeof *it);
        if (!it) {
            err = ESP_ERR_NO_MEM;
            break;
        }
        it->info.flash_chip = esp_flash_default_chip;
        it->info.address = e.pos.offset;
        it->info.size = e.pos.size;
        it->info.erase_size = SPI_FLASH_SEC_SIZE;
        it->info.type = (esp_partition_type_t)e.type;
        it->info.subtype = (esp_partition_subtype_t)e.subtype;
        it->info.encrypted = false; /* flash encryption off in eFuse: nothing is encrypted */
        it->info.readonly = (e.flags & PART_FLAG_READONLY) != 0;
        memcpy(it->info.label, e.label, sizeof e.label);
        it->info.label[16] = '\0';
        *tail = it;
        tail = &it->next;
    }
    if (err == ESP_OK && CONFIG_PARTITION_TABLE_MD5) {
        if (!md5_rec) {
            ESP_LOGE(TAG, "No MD5 found in partition table");
            err = ESP_ERR_NOT_FOUND;
        } else {
            uint8_t digest[ESP_ROM_MD5_DIGEST_LEN];
            esp_rom_md5_final(digest, &md5);
            if (memcmp(digest, (const uint8_t *)md5_rec + ESP_PARTITION_MD5_OFFSET, sizeof digest)) {
                ESP_LOGE(TAG, "Partition table MD5 mismatch");
                err = ESP_ERR_INVALID_STATE;
            } else {
                ESP_LOGV(TAG, "Partition table MD5 verified");
            }
        }
    }
    if (err != ESP_OK) {
        free_list(head);
        return err;
    }
    *out = head;
    return ESP_OK;
}

/* Load the table as the app does.  ESP-IDF's app reads it through a temporary
 * spi_flash_mmap of its sector (DATA | BLOCKS_WRITE, from the start of its MMU page),
 * so the load needs a free page of data address space and fails with the map's error
 * when there is none; the mapping is made and released here as there.  The bytes are
 * read through the flash driver, which gives the same bytes (the new mapping's range
 * is invalidated when it is made) unless the table page was already mapped and its
 * cached lines went stale.  The list becomes the context's only when everything
 * passed. */
static esp_err_t load_partitions(void)
{
    uint32_t page_start = ESP_PARTITION_TABLE_OFFSET & ~(CONFIG_MMU_PAGE_SIZE - 1u);
    const void *view = NULL;
    spi_flash_mmap_handle_t handle = 0;
    esp_err_t err = spi_flash_mmap(page_start, SPI_FLASH_SEC_SIZE,
                                   SPI_FLASH_MMAP_FLAG_DATA | SPI_FLASH_MMAP_FLAG_BLOCKS_WRITE, &view, &handle);
    if (err != ESP_OK)
        return err;
    esp_partition_info_t table[ESP_PARTITION_TABLE_MAX_ENTRIES];
    item_t *list = NULL;
    err = esp_flash_read(NULL, table, ESP_PARTITION_TABLE_OFFSET, sizeof table);
    if (err == ESP_OK)
        err = load_entries(table, &list);
    spi_flash_munmap(handle);
    if (err != ESP_OK)
        return err;
    s_ctx->list = list;
    return ESP_OK;
}

static esp_err_t ensure_partitions_loaded(void)
{
    if (!s_ctx)
        return ESP_ERR_INVALID_STATE;
    if (s_ctx->list)
        return ESP_OK;
    /* What the bootloader refused, the app never gets to read (on the chip it does not
     * start): the call returns the bootloader's verdict until the table passes. */
    esp_err_t err = s_ctx->boot_checked ? ESP_OK : esp_partition_table_boot_check();
    if (err != ESP_OK)
        return err;
    s_ctx->boot_checked = true;
    ESP_LOGV(TAG, "Loading the partition table");
    err = load_partitions();
    if (err != ESP_OK)
        ESP_LOGE(TAG, "load_partitions returned 0x%x", err);
    return err;
}

/* ---- finding ---- */

static void iterator_forget(esp_partition_iterator_t it)
{
    if (it->prev_open)
        it->prev_open->next_open = it->next_open;
    else if (s_ctx && s_ctx->open == it)
        s_ctx->open = it->next_open;
    if (it->next_open)
        it->next_open->prev_open = it->prev_open;
}

void esp_partition_iterator_release(esp_partition_iterator_t iterator)
{
    if (!iterator)
        return;
    iterator_forget(iterator);
    free(iterator);
}

esp_partition_iterator_t esp_partition_next(esp_partition_iterator_t it)
{
    if (!it) {
        esp_system_abort("esp_partition_next: NULL iterator (assert)");
        return NULL;
    }
    for (; it->next_item; it->next_item = it->next_item->next) {
        const esp_partition_t *p = &it->next_item->info;
        if ((it->type == ESP_PARTITION_TYPE_ANY || it->type == p->type) &&
            (it->subtype == ESP_PARTITION_SUBTYPE_ANY || it->subtype == p->subtype) &&
            (!it->label || strcmp(it->label, p->label) == 0))
            break;
    }
    if (!it->next_item) {
        esp_partition_iterator_release(it);
        return NULL;
    }
    it->info = &it->next_item->info;
    it->next_item = it->next_item->next;
    return it;
}

esp_err_t esp_partition_find_err(esp_partition_type_t type, esp_partition_subtype_t subtype, const char *label,
                                 esp_partition_iterator_t *it)
{
    if (!it)
        return ESP_ERR_INVALID_ARG;
    *it = NULL;
    esp_err_t err = ensure_partitions_loaded();
    if (err != ESP_OK)
        return err;
    /* A subtype without a type is a usage error, as upstream says. */
    if (type == ESP_PARTITION_TYPE_ANY && subtype != ESP_PARTITION_SUBTYPE_ANY)
        return ESP_ERR_INVALID_ARG;
    esp_partition_iterator_t n = calloc(1, sizeof *n);
    if (!n)
        return ESP_ERR_NO_MEM;
    n->type = type;
    n->subtype = subtype;
    n->label = label;
    n->next_item = s_ctx->list;
    n->next_open = s_ctx->open;
    if (s_ctx->open)
        s_ctx->open->prev_open = n;
    s_ctx->open = n;
    *it = esp_partition_next(n);
    return *it ? ESP_OK : ESP_ERR_NOT_FOUND;
}

esp_partition_iterator_t esp_partition_find(esp_partition_type_t type, esp_partition_subtype_t subtype,
                                            const char *label)
{
    esp_partition_iterator_t it;
    return esp_partition_find_err(type, subtype, label, &it) == ESP_OK ? it : NULL;
}

const esp_partition_t *esp_partition_get(esp_partition_iterator_t iterator)
{
    if (!iterator) {
        esp_system_abort("esp_partition_get: NULL iterator (assert)");
        return NULL;
    }
    return iterator->info;
}

esp_err_t esp_partition_find_first_err(esp_partition_type_t type, esp_partition_subtype_t subtype,
                                       const char *label, const esp_partition_t **partition)
{
    if (!partition)
        return ESP_ERR_INVALID_ARG;
    esp_partition_iterator_t it = NULL;
    esp_err_t err = esp_partition_find_err(type, subtype, label, &it);
    if (err != ESP_OK || !it) {
        *partition = NULL;
        return err;
    }
    *partition = esp_partition_get(it);
    esp_partition_iterator_release(it);
    return *partition ? ESP_OK : ESP_ERR_NOT_FOUND;
}

const esp_partition_t *esp_partition_find_first(esp_partition_type_t type, esp_partition_subtype_t subtype,
                                                const char *label)
{
    const esp_partition_t *p;
    return esp_partition_find_first_err(type, subtype, label, &p) == ESP_OK ? p : NULL;
}

esp_err_t esp_partition_verify_err(const esp_partition_t *partition, const esp_partition_t **out_partition)
{
    if (!partition || !out_partition)
        return ESP_ERR_INVALID_ARG;
    *out_partition = NULL;
    esp_partition_iterator_t it = NULL;
    esp_err_t err = esp_partition_find_err(partition->type, partition->subtype,
                                           partition->label[0] ? partition->label : NULL, &it);
    if (err != ESP_OK)
        return err;
    for (; it; it = esp_partition_next(it)) {
        const esp_partition_t *p = esp_partition_get(it);
        if (p->flash_chip == partition->flash_chip && p->address == partition->address &&
            p->size == partition->size && p->encrypted == partition->encrypted) {
            esp_partition_iterator_release(it);
            *out_partition = p;
            return ESP_OK;
        }
    }
    return ESP_ERR_NOT_FOUND;
}

const esp_partition_t *esp_partition_verify(const esp_partition_t *partition)
{
    const esp_partition_t *p;
    return esp_partition_verify_err(partition, &p) == ESP_OK ? p : NULL;
}

/* ---- data ---- */

/* The bounds every data call checks, in upstream's order after the readonly test. */
static esp_err_t check_range(const esp_partition_t *p, size_t offset, size_t size)
{
    if (offset > p->size)
        return ESP_ERR_INVALID_ARG;
    if (size > p->size - offset)
        return ESP_ERR_INVALID_SIZE;
    return ESP_OK;
}

/* Where ESP-IDF asserts on a NULL partition the chip stops; here an abort hazard. */
static esp_err_t null_partition(const char *func)
{
    char why[80];
    snprintf(why, sizeof why, "%s: NULL partition (assert)", func);
    esp_system_abort(why);
    return ESP_ERR_INVALID_ARG;
}

#define CHECK_PARTITION(func, p)                                                                  \
    do {                                                                                          \
        if (!(p))                                                                                 \
            return null_partition(func);                                                          \
    } while (0)

/* Partitions are never encrypted here, so both reads take the plain path upstream's
 * esp_partition_read takes for an unencrypted partition. */
static esp_err_t read_plain(const char *func, const esp_partition_t *partition, size_t src_offset, void *dst,
                            size_t size)
{
    CHECK_PARTITION(func, partition);
    esp_err_t err = check_range(partition, src_offset, size);
    if (err != ESP_OK)
        return err;
    return esp_flash_read(partition->flash_chip, dst, partition->address + (uint32_t)src_offset, (uint32_t)size);
}

esp_err_t esp_partition_read(const esp_partition_t *partition, size_t src_offset, void *dst, size_t size)
{
    return read_plain("esp_partition_read", partition, src_offset, dst, size);
}

esp_err_t esp_partition_read_raw(const esp_partition_t *partition, size_t src_offset, void *dst, size_t size)
{
    return read_plain("esp_partition_read_raw", partition, src_offset, dst, size);
}

/* Never encrypted here: both writes take upstream's plain path (esp_flash_write, then
 * the cache maintenance of its write path). */
static esp_err_t write_plain(const char *func, const esp_partition_t *partition, size_t dst_offset, const void *src,
                             size_t size)
{
    CHECK_PARTITION(func, partition);
    if (partition->readonly)
        return ESP_ERR_NOT_ALLOWED;
    esp_err_t err = check_range(partition, dst_offset, size);
    if (err != ESP_OK)
        return err;
    return esp_flash_write(partition->flash_chip, src, partition->address + (uint32_t)dst_offset, (uint32_t)size);
}

esp_err_t esp_partition_write(const esp_partition_t *partition, size_t dst_offset, const void *src, size_t size)
{
    return write_plain("esp_partition_write", partition, dst_offset, src, size);
}

esp_err_t esp_partition_write_raw(const esp_partition_t *partition, size_t dst_offset, const void *src,
                                  size_t size)
{
    return write_plain("esp_partition_write_raw", partition, dst_offset, src, size);
}

esp_err_t esp_partition_erase_range(const esp_partition_t *partition, size_t offset, size_t size)
{
    CHECK_PARTITION("esp_partition_erase_range", partition);
    if (partition->readonly)
        return ESP_ERR_NOT_ALLOWED;
    esp_err_t err = check_range(partition, offset, size);
    if (err != ESP_OK)
        return err;
    if (size % SPI_FLASH_SEC_SIZE)
        return ESP_ERR_INVALID_SIZE;
    if (offset % SPI_FLASH_SEC_SIZE)
        return ESP_ERR_INVALID_ARG;
    return esp_flash_erase_region(partition->flash_chip, partition->address + (uint32_t)offset, (uint32_t)size);
}

esp_err_t esp_partition_get_sha256(const esp_partition_t *partition, uint8_t *sha_256)
{
    CHECK_PARTITION("esp_partition_get_sha256", partition);
    if (!sha_256 || partition->size == 0)
        return ESP_ERR_INVALID_ARG;
    if (partition->type == ESP_PARTITION_TYPE_APP || partition->type == ESP_PARTITION_TYPE_BOOTLOADER)
        return ESP_ERR_NOT_SUPPORTED;
    bootloader_sha256_handle_t sha = bootloader_sha256_start();
    if (!sha)
        return ESP_ERR_NO_MEM;
    uint8_t buf[SPI_FLASH_SEC_SIZE];
    for (uint32_t done = 0; done < partition->size;) {
        uint32_t n = partition->size - done < sizeof buf ? partition->size - done : (uint32_t)sizeof buf;
        esp_err_t err = esp_flash_read(partition->flash_chip, buf, partition->address + done, n);
        if (err != ESP_OK) {
            bootloader_sha256_finish(sha, NULL);
            return err;
        }
        bootloader_sha256_data(sha, buf, n);
        done += n;
    }
    bootloader_sha256_finish(sha, sha_256);
    return ESP_OK;
}

bool esp_partition_check_identity(const esp_partition_t *partition_1, const esp_partition_t *partition_2)
{
    uint8_t sha[2][HASH_LEN] = {{0}};
    return esp_partition_get_sha256(partition_1, sha[0]) == ESP_OK &&
           esp_partition_get_sha256(partition_2, sha[1]) == ESP_OK && memcmp(sha[0], sha[1], HASH_LEN) == 0;
}

/* ---- the list ---- */

esp_err_t esp_partition_register_external(esp_flash_t *flash_chip, size_t offset, size_t size, const char *label,
                                          esp_partition_type_t type, esp_partition_subtype_t subtype,
                                          const esp_partition_t **out_partition)
{
    if (out_partition)
        *out_partition = NULL;
    if (!flash_chip)
        flash_chip = esp_flash_default_chip;
    if (flash_chip != esp_flash_default_chip)
        return ESP_ERR_INVALID_ARG; /* esp_flash_get_size of a chip that is not there */
    if ((uint64_t)offset + size > spi1_flash_size())
        return ESP_ERR_INVALID_SIZE;
    esp_err_t err = ensure_partitions_loaded();
    if (err != ESP_OK)
        return err;
    if (!label) {
        esp_system_abort("esp_partition_register_external: NULL label (the chip takes a load fault)");
        return ESP_ERR_INVALID_ARG;
    }
    item_t **tail = &s_ctx->list;
    for (; *tail; tail = &(*tail)->next) {
        const esp_partition_t *p = &(*tail)->info;
        if (p->flash_chip == flash_chip && offset < (uint64_t)p->address + p->size && p->address < offset + size)
            return ESP_ERR_INVALID_ARG;
    }
    item_t *it = calloc(1, sizeof *it);
    if (!it)
        return ESP_ERR_NO_MEM;
    it->info = (esp_partition_t){.flash_chip = flash_chip, .type = type, .subtype = subtype,
                                 .address = (uint32_t)offset, .size = (uint32_t)size,
                                 .erase_size = SPI_FLASH_SEC_SIZE};
    snprintf(it->info.label, sizeof it->info.label, "%s", label);
    it->user_registered = true;
    *tail = it;
    if (out_partition)
        *out_partition = &it->info;
    return ESP_OK;
}

esp_err_t esp_partition_deregister_external(const esp_partition_t *partition)
{
    if (!s_ctx)
        return ESP_ERR_NOT_FOUND;
    for (item_t **p = &s_ctx->list; *p; p = &(*p)->next) {
        if (&(*p)->info != partition)
            continue;
        if (!(*p)->user_registered)
            return ESP_ERR_INVALID_ARG;
        item_t *it = *p;
        *p = it->next;
        free(it);
        return ESP_OK;
    }
    return ESP_ERR_NOT_FOUND;
}

void esp_partition_unload_all(void)
{
    if (!s_ctx)
        return;
    free_list(s_ctx->list);
    s_ctx->list = NULL;
}

uint32_t esp_partition_get_main_flash_sector_size(void) { return SPI_FLASH_SEC_SIZE; }

bool esp_partition_is_flash_region_writable(size_t addr, size_t size)
{
    esp_partition_iterator_t it = esp_partition_find(ESP_PARTITION_TYPE_ANY, ESP_PARTITION_SUBTYPE_ANY, NULL);
    for (; it; it = esp_partition_next(it)) {
        const esp_partition_t *p = esp_partition_get(it);
        if (p->readonly && ((addr >= p->address && addr < (uint64_t)p->address + p->size) ||
                            (addr < p->address && (uint64_t)addr + size > p->address))) {
            esp_partition_iterator_release(it);
            return false;
        }
    }
    return true;
}
