/* scn_op_args.c - what the run functions share: evaluating a step's arguments
 * against the saved names, and recording outputs (scn_ops.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esp_err.h"
#include "scn_ops.h"
#include "scn_value.h"

const scn_arg_t *scn_arg(const scn_step_t *st, const char *key)
{
    int i = scn_op_arg_index(st->op, key);
    return i >= 0 && st->args[i].given ? &st->args[i] : NULL;
}

void scn_note_arg(scn_result_t *r, const char *fmt, ...)
{
    size_t len = strlen(r->args);
    if (len && len + 1 < sizeof r->args)
        r->args[len++] = ' ', r->args[len] = '\0';
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->args + len, sizeof r->args - len, fmt, ap);
    va_end(ap);
}

int scn_arg_num(scn_exec_t *x, const scn_step_t *st, scn_result_t *r, const char *key, uint64_t dflt, uint64_t max,
                uint64_t *out)
{
    const scn_arg_t *a = scn_arg(st, key);
    uint64_t v = dflt;
    if (a) {
        char why[300];
        if (scn_eval(&x->env, a->expr, &v, why, sizeof why)) {
            snprintf(x->why, sizeof x->why, "%s: %s", key, why);
            return -1;
        }
        if (v > max) {
            snprintf(x->why, sizeof x->why, "%s: 0x%llx does not fit (at most 0x%llx)", key, (unsigned long long)v,
                     (unsigned long long)max);
            return -1;
        }
    }
    scn_note_arg(r, v < 10 ? "%s=%llu" : "%s=0x%llx", key, (unsigned long long)v);
    *out = v;
    return 0;
}

int scn_arg_u32(scn_exec_t *x, const scn_step_t *st, scn_result_t *r, const char *key, uint32_t dflt, uint32_t *out)
{
    uint64_t v;
    if (scn_arg_num(x, st, r, key, dflt, UINT32_MAX, &v))
        return -1;
    *out = (uint32_t)v;
    return 0;
}

uint32_t scn_arg_flags(const scn_step_t *st, scn_result_t *r, const char *key)
{
    const scn_arg_t *a = scn_arg(st, key);
    uint32_t v = a ? a->flags : 0;
    const scn_word_t *words = NULL;
    switch (st->op->args[scn_op_arg_index(st->op, key)].kind) {
    case SCN_ARG_TARGET: words = scn_target_words; break;
    case SCN_ARG_CAPS: words = scn_caps_words; break;
    case SCN_ARG_MAP_FLAGS: words = scn_map_flag_words; break;
    case SCN_ARG_SYNC_FLAGS: words = scn_sync_flag_words; break;
    case SCN_ARG_MMAP_MEMORY: words = scn_mmap_memory_words; break;
    case SCN_ARG_HEAP_CAPS: words = scn_heap_caps_words; break;
    case SCN_ARG_DMA_TARGET: words = scn_dma_target_words; break;
    case SCN_ARG_CACHE_MAP: words = scn_cache_map_words; break;
    default: words = scn_vtype_words; break;
    }
    char text[120];
    scn_words_text(words, v, text, sizeof text);
    /* "read, 8bit" -> "read|8bit": an argument list is split at blanks (traces). */
    for (char *p = text, *q = text;; p++) {
        if (*p == ',' && p[1] == ' ')
            *q++ = '|', p++;
        else if (!(*q++ = *p))
            break;
    }
    scn_note_arg(r, "%s=%s", key, text);
    return v;
}

int scn_arg_core(scn_exec_t *x, const scn_step_t *st, scn_result_t *r, const char *key, bool all_ok, uint32_t *out)
{
    const scn_arg_t *a = scn_arg(st, key);
    if (a && !a->expr) {
        if (!all_ok) {
            snprintf(x->why, sizeof x->why, "%s: 'all' is only for cache maintenance", key);
            return -1;
        }
        scn_note_arg(r, "%s=all", key);
        *out = SCN_CORE_ALL;
        return 0;
    }
    uint64_t v;
    if (scn_arg_num(x, st, r, key, all_ok ? SCN_CORE_ALL : 0, UINT32_MAX, &v))
        return -1;
    if (v != SCN_CORE_ALL && v >= mmsim_cores(x->m)) {
        snprintf(x->why, sizeof x->why, "%s: %s has no core %llu (it has %u)", key, mmsim_chip_name(x->m),
                 (unsigned long long)v, mmsim_cores(x->m));
        return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

int scn_arg_data(scn_exec_t *x, const scn_step_t *st, scn_result_t *r, uint8_t **buf, size_t *n)
{
    const scn_arg_t *bytes = scn_arg(st, "bytes");
    if (bytes) {
        if (!(*buf = malloc(bytes->nbytes)))
            goto oom;
        memcpy(*buf, bytes->bytes, bytes->nbytes);
        *n = bytes->nbytes;
        scn_note_arg(r, "bytes=%zu", bytes->nbytes);
        return 0;
    }
    uint64_t size, v;
    if (scn_arg_num(x, st, r, "size", 0, 64u << 20, &size))
        return -1;
    if (!(*buf = malloc(size ? size : 1)))
        goto oom;
    *n = size;
    if (scn_arg(st, "seed")) {
        if (scn_arg_num(x, st, r, "seed", 0, UINT64_MAX, &v))
            goto fail;
        scn_random_fill(v, *buf, size);
    } else if (scn_arg(st, "word")) {
        if (scn_arg_num(x, st, r, "word", 0, UINT32_MAX, &v))
            goto fail;
        for (size_t i = 0; i < size; i++)
            (*buf)[i] = (uint8_t)(v >> (8 * (i % 4)));
    } else {
        if (scn_arg_num(x, st, r, "pattern", 0, 0xff, &v))
            goto fail;
        memset(*buf, (int)v, size);
    }
    return 0;
fail:
    free(*buf);
    *buf = NULL;
    return -1;
oom:
    snprintf(x->why, sizeof x->why, "out of memory");
    return -1;
}

int scn_arg_handle(scn_exec_t *x, const scn_step_t *st, const char *key, scn_name_t **out)
{
    const scn_arg_t *a = scn_arg(st, key);
    scn_name_t *n = a ? scn_env_find(&x->env, a->name) : NULL;
    if (!n || !n->set || !n->handle) {
        if (n && n->set_at)
            snprintf(x->why, sizeof x->why, "%s: '%s' holds no handle (see the step at line %u)", key, a->name,
                     n->set_at);
        else
            snprintf(x->why, sizeof x->why, "%s: '%s' holds no handle", key, a ? a->name : "?");
        return -1;
    }
    *out = n;
    return 0;
}

void scn_result_mmsim_error(scn_result_t *r)
{
    r->ret = ESP_FAIL;
    snprintf(r->note, sizeof r->note, "%s", mmsim_last_error());
}

void scn_out_num(scn_result_t *r, int i, uint64_t v)
{
    r->outs[i].set = true;
    r->outs[i].num = v;
}

void scn_out_flags(scn_result_t *r, int i, uint32_t v)
{
    r->outs[i].set = true;
    r->outs[i].flags = v;
}

int scn_out_bytes(scn_exec_t *x, scn_result_t *r, int i, const void *bytes, size_t n)
{
    uint8_t *copy = malloc(n ? n : 1);
    if (!copy) {
        snprintf(x->why, sizeof x->why, "out of memory");
        return -1;
    }
    memcpy(copy, bytes, n);
    free(r->outs[i].bytes);
    r->outs[i].set = true;
    r->outs[i].bytes = copy;
    r->outs[i].nbytes = n;
    return 0;
}

void scn_out_mapping(scn_result_t *r, const void *ptr, uint32_t handle)
{
    scn_out_num(r, 0, (uint32_t)(uintptr_t)ptr);
    r->outs[1].set = true;
    r->outs[1].handle = r->ret == ESP_OK ? (void *)(uintptr_t)handle : NULL;
}

int scn_need(scn_exec_t *x, const void *fn, const char *name)
{
    if (fn)
        return 0;
    const mmsim_driver_t *d = mmsim_driver(x->m);
    snprintf(x->why, sizeof x->why, "%s is not in the %s driver%s%s", name, d->name, d->release[0] ? " of ESP-IDF " : "",
             d->release);
    x->missing_call = x->driver == MMSIM_DRIVER_IDF;
    return -1;
}
