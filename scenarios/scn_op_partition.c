/* scn_op_partition.c - the steps that call esp_partition.h, through the machine's
 * driver (ours, or ESP-IDF's partition.c and partition_target.c).  A step names its
 * partition by `label` or by `address` (the start partition_find saves); the table is
 * the machine's, loaded on first use by the driver, and a partition the driver found
 * is only handed back to that driver. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esp_partition.h"
#include "scn_ops.h"

#define MAX_ACCESS (64u << 20)

/* The step's partition, or NULL with r->ret the reason (the find's error, or
 * ESP_ERR_NOT_FOUND for an address no partition starts at). */
static int partition_of(scn_exec_t *x, const scn_step_t *st, scn_result_t *r, const esp_partition_t **out)
{
    const scn_arg_t *label = scn_arg(st, "label");
    *out = NULL;
    if (scn_need(x, (const void *)DRV(x)->partition_find_first_err, "esp_partition_find_first_err") ||
        scn_need(x, (const void *)DRV(x)->partition_find_err, "esp_partition_find_err"))
        return -1;
    if (label) {
        scn_note_arg(r, "label=%s", label->name);
        r->ret = DRV(x)->partition_find_first_err(ESP_PARTITION_TYPE_ANY, ESP_PARTITION_SUBTYPE_ANY, label->name, out);
        return 0;
    }
    uint32_t address;
    if (scn_arg_u32(x, st, r, "address", 0, &address))
        return -1;
    esp_partition_iterator_t it = NULL;
    r->ret = DRV(x)->partition_find_err(ESP_PARTITION_TYPE_ANY, ESP_PARTITION_SUBTYPE_ANY, NULL, &it);
    for (; it; it = DRV(x)->partition_next(it))
        if (DRV(x)->partition_get(it)->address == address) {
            *out = DRV(x)->partition_get(it);
            DRV(x)->partition_iterator_release(it);
            break;
        }
    if (r->ret == ESP_OK && !*out)
        r->ret = ESP_ERR_NOT_FOUND;
    return 0;
}

/* `type` or `subtype`: by name (resolved when the file was read) or a number. */
static int pname_arg(scn_exec_t *x, const scn_step_t *st, scn_result_t *r, const char *key, uint32_t *out)
{
    const scn_arg_t *a = scn_arg(st, key);
    if (a && a->flag) {
        scn_note_arg(r, "%s=%s", key, a->name);
        *out = a->flags;
        return 0;
    }
    return scn_arg_u32(x, st, r, key, 0xff, out); /* ESP_PARTITION_TYPE_ANY, _SUBTYPE_ANY */
}

int scn_run_partition_find(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    uint32_t type, subtype;
    if (scn_need(x, (const void *)DRV(x)->partition_find_first_err, "esp_partition_find_first_err") ||
        pname_arg(x, st, r, "type", &type) || pname_arg(x, st, r, "subtype", &subtype))
        return -1;
    const scn_arg_t *label = scn_arg(st, "label");
    if (label)
        scn_note_arg(r, "label=%s", label->name);
    const esp_partition_t *p = NULL;
    r->ret = DRV(x)->partition_find_first_err((esp_partition_type_t)type, (esp_partition_subtype_t)subtype,
                                              label ? label->name : NULL, &p);
    if (p) {
        scn_out_num(r, 0, p->address);
        scn_out_num(r, 1, p->size);
    }
    return 0;
}

static int read_common(scn_exec_t *x, const scn_step_t *st, scn_result_t *r, bool raw)
{
    const esp_partition_t *p;
    uint32_t offset;
    uint64_t size;
    if (scn_need(x, (const void *)(raw ? DRV(x)->partition_read_raw : DRV(x)->partition_read),
                 raw ? "esp_partition_read_raw" : "esp_partition_read") ||
        partition_of(x, st, r, &p) || scn_arg_u32(x, st, r, "offset", 0, &offset) ||
        scn_arg_num(x, st, r, "size", 0, MAX_ACCESS, &size))
        return -1;
    if (!p)
        return 0;
    uint8_t *buf = calloc(size ? size : 1, 1);
    if (!buf) {
        snprintf(x->why, sizeof x->why, "out of memory");
        return -1;
    }
    r->ret = raw ? DRV(x)->partition_read_raw(p, offset, buf, size) : DRV(x)->partition_read(p, offset, buf, size);
    int rc = r->ret == ESP_OK ? scn_out_bytes(x, r, 0, buf, size) : 0;
    free(buf);
    return rc;
}

int scn_run_partition_read(scn_exec_t *x, const scn_step_t *st, scn_result_t *r) { return read_common(x, st, r, false); }
int scn_run_partition_read_raw(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    return read_common(x, st, r, true);
}

static int write_common(scn_exec_t *x, const scn_step_t *st, scn_result_t *r, bool raw)
{
    const esp_partition_t *p;
    uint32_t offset;
    if (scn_need(x, (const void *)(raw ? DRV(x)->partition_write_raw : DRV(x)->partition_write),
                 raw ? "esp_partition_write_raw" : "esp_partition_write") ||
        partition_of(x, st, r, &p) || scn_arg_u32(x, st, r, "offset", 0, &offset))
        return -1;
    if (!p)
        return 0;
    uint8_t *buf = NULL;
    size_t n = 0;
    if (scn_arg_data(x, st, r, &buf, &n))
        return -1;
    r->ret = raw ? DRV(x)->partition_write_raw(p, offset, buf, n) : DRV(x)->partition_write(p, offset, buf, n);
    free(buf);
    return 0;
}

int scn_run_partition_write(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    return write_common(x, st, r, false);
}
int scn_run_partition_write_raw(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    return write_common(x, st, r, true);
}

int scn_run_partition_erase_range(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    const esp_partition_t *p;
    uint32_t offset, size;
    if (scn_need(x, (const void *)DRV(x)->partition_erase_range, "esp_partition_erase_range") ||
        partition_of(x, st, r, &p) || scn_arg_u32(x, st, r, "offset", 0, &offset) ||
        scn_arg_u32(x, st, r, "size", 0, &size))
        return -1;
    if (p)
        r->ret = DRV(x)->partition_erase_range(p, offset, size);
    return 0;
}

/* A copy, as a program holding its own esp_partition_t would pass. */
int scn_run_partition_verify(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    const esp_partition_t *p, *found = NULL;
    if (scn_need(x, (const void *)DRV(x)->partition_verify_err, "esp_partition_verify_err") ||
        partition_of(x, st, r, &p))
        return -1;
    if (!p)
        return 0;
    esp_partition_t copy = *p;
    r->ret = DRV(x)->partition_verify_err(&copy, &found);
    if (found)
        scn_out_num(r, 0, found->address);
    return 0;
}

/* esp_partition_mmap, saved like spi_flash_mmap's mapping: the pointer (at the byte
 * asked for) and the handle partition_munmap (or spi_flash_munmap) takes. */
int scn_run_partition_mmap(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    const esp_partition_t *p;
    uint32_t offset, size;
    if (scn_need(x, (const void *)DRV(x)->partition_mmap, "esp_partition_mmap") || partition_of(x, st, r, &p) ||
        scn_arg_u32(x, st, r, "offset", 0, &offset) || scn_arg_u32(x, st, r, "size", 0, &size))
        return -1;
    const void *ptr = NULL;
    esp_partition_mmap_handle_t h = 0;
    if (p)
        r->ret = DRV(x)->partition_mmap(p, offset, size, (esp_partition_mmap_flag_t)scn_arg_flags(st, r, "memory"),
                                        &ptr, &h);
    scn_out_mapping(r, ptr, h);
    return 0;
}

int scn_run_partition_munmap(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    scn_name_t *n;
    if (scn_need(x, (const void *)DRV(x)->partition_munmap, "esp_partition_munmap") ||
        scn_arg_handle(x, st, "handle", &n))
        return -1;
    scn_note_arg(r, "handle=%s", n->name);
    DRV(x)->partition_munmap((esp_partition_mmap_handle_t)(uintptr_t)n->handle);
    r->ret = ESP_OK;
    return 0;
}
