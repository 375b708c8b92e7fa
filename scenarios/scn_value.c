/* scn_value.c - esp_err_t names, flag words, byte strings and the seeded byte sequence
 * of the scenario format (scn_value.h). */
#include "scn_value.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esp_err.h"
#include "ydoc.h"

const scn_word_t scn_caps_words[] = {
    {"exec", 0x01}, {"read", 0x02}, {"write", 0x04}, {"32bit", 0x08}, {"8bit", 0x10}, {NULL, 0}};
const scn_word_t scn_target_words[] = {{"flash", 0x1}, {"psram", 0x2}, {NULL, 0}};
/* What DMA reaches: also the internal RAM (MMSIM_TARGET_INTERNAL). */
const scn_word_t scn_dma_target_words[] = {{"flash", 0x1}, {"psram", 0x2}, {"internal", 0x4}, {NULL, 0}};
/* MALLOC_CAP_* (esp_heap_caps.h). */
const scn_word_t scn_heap_caps_words[] = {{"exec", 1u << 0},           {"32bit", 1u << 1},          {"8bit", 1u << 2},
                                          {"dma", 1u << 3},            {"spiram", 1u << 10},        {"internal", 1u << 11},
                                          {"default", 1u << 12},       {"dma_desc_ahb", 1u << 17},  {"dma_desc_axi", 1u << 18},
                                          {"cache_aligned", 1u << 19}, {"simd", 1u << 20},          {NULL, 0}};
const scn_word_t scn_map_flag_words[] = {{"paddr_shared", 0x1}, {NULL, 0}};
const scn_word_t scn_sync_flag_words[] = {{"invalidate", 0x01}, {"unaligned", 0x02}, {"c2m", 0x04},
                                          {"m2c", 0x08},        {"data", 0x10},      {"inst", 0x20},
                                          {NULL, 0}};
const scn_word_t scn_vtype_words[] = {{"data", 0x1}, {"instruction", 0x2}, {NULL, 0}};
/* spi_flash_mmap_flag_t: SPI_FLASH_MMAP_DATA is 0. */
const scn_word_t scn_mmap_memory_words[] = {{"data", 0x0}, {"inst", 0x1}, {"blocks_write", 0x2}, {NULL, 0}};
/* The ESP32-P4 ROM's CACHE_MAP_* bits, named without the prefix. */
const scn_word_t scn_cache_map_words[] = {
    {"l1_icache_0", 0x01}, {"l1_icache_1", 0x02}, {"l1_dcache", 0x10}, {"l2_cache", 0x20}, {NULL, 0}};

bool scn_word_find(const scn_word_t *words, const char *name, uint32_t *bit)
{
    for (const scn_word_t *w = words; w->name; w++)
        if (!strcmp(w->name, name)) {
            *bit = w->bit;
            return true;
        }
    return false;
}

void scn_words_text(const scn_word_t *words, uint32_t bits, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    if (!bits) {
        const scn_word_t *zero = words;
        while (zero->name && zero->bit)
            zero++;
        snprintf(buf, size, "%s", zero->name ? zero->name : "none");
        return;
    }
    for (const scn_word_t *w = words; w->name && len < size; w++)
        if (bits & w->bit) {
            len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? ", " : "", w->name);
            bits &= ~w->bit;
        }
    if (bits && len < size)
        snprintf(buf + len, size - len, "%s0x%x", len ? ", " : "", (unsigned)bits);
}

void scn_words_list(const scn_word_t *words, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (const scn_word_t *w = words; w->name && len < size; w++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? ", " : "", w->name);
}

/* Every code esp_err.h defines that a driver function here can return. */
static const int err_codes[] = {ESP_OK,
                                ESP_FAIL,
                                ESP_ERR_NO_MEM,
                                ESP_ERR_INVALID_ARG,
                                ESP_ERR_INVALID_STATE,
                                ESP_ERR_INVALID_SIZE,
                                ESP_ERR_NOT_FOUND,
                                ESP_ERR_NOT_SUPPORTED,
                                ESP_ERR_TIMEOUT,
                                ESP_ERR_INVALID_RESPONSE,
                                ESP_ERR_INVALID_CRC,
                                ESP_ERR_INVALID_VERSION,
                                ESP_ERR_INVALID_MAC,
                                ESP_ERR_NOT_FINISHED,
                                ESP_ERR_NOT_ALLOWED};

bool scn_err_from_name(const char *name, int *code)
{
    for (size_t i = 0; i < sizeof err_codes / sizeof err_codes[0]; i++)
        if (!strcmp(esp_err_to_name(err_codes[i]), name)) {
            *code = err_codes[i];
            return true;
        }
    return false;
}

const char *scn_err_name_at(size_t i)
{
    return i < sizeof err_codes / sizeof err_codes[0] ? esp_err_to_name(err_codes[i]) : NULL;
}

const char *scn_err_name(int code) { return esp_err_to_name(code); }

static int hex_digit(int c) { return isdigit(c) ? c - '0' : isxdigit(c) ? tolower(c) - 'a' + 10 : -1; }

int scn_bytes_parse(scn_arena_t *a, const char *text, uint8_t **out, size_t *n, char *why, size_t size)
{
    /* Two passes: count, then fill; the count pass does every check. */
    uint8_t *buf = NULL;
    size_t total = 0;
    for (int pass = 0; pass < 2; pass++) {
        size_t at = 0;
        for (const char *p = text; *p;) {
            if (isspace((unsigned char)*p)) {
                p++;
                continue;
            }
            const char *tok = p;
            while (*p && !isspace((unsigned char)*p))
                p++;
            size_t len = (size_t)(p - tok);
            const char *star = memchr(tok, '*', len);
            size_t hexlen = star ? (size_t)(star - tok) : len;
            uint64_t repeat = 1;
            if (star) {
                char count[32];
                size_t clen = len - hexlen - 1;
                const char *e = NULL;
                if (hexlen == 0 || clen == 0 || clen >= sizeof count) {
                    snprintf(why, size, "bad byte run '%.*s' (write bytes and a count: ff*16, 00f8*1024)", (int)len,
                             tok);
                    return -1;
                }
                memcpy(count, star + 1, clen);
                count[clen] = '\0';
                if (!ydoc_parse_size(count, 64u << 20, &repeat, &e)) {
                    snprintf(why, size, "bad count in '%.*s' (%s; at most 64M)", (int)len, tok, e ? e : "bad");
                    return -1;
                }
            }
            if (hexlen == 0 || hexlen % 2) {
                snprintf(why, size, "bad bytes '%.*s': write whole hex pairs (12 34 56 78)", (int)len, tok);
                return -1;
            }
            if (repeat * (hexlen / 2) > (64u << 20) - at) {
                snprintf(why, size, "more than 64M bytes");
                return -1;
            }
            /* The run's unit (one byte or several: an RGB565 pixel 00f8) repeated. */
            size_t unit = hexlen / 2;
            for (size_t i = 0; i < hexlen; i += 2) {
                int hi = hex_digit((unsigned char)tok[i]), lo = hex_digit((unsigned char)tok[i + 1]);
                if (hi < 0 || lo < 0) {
                    snprintf(why, size, "bad bytes '%.*s': '%c%c' is not a hex pair", (int)len, tok, tok[i],
                             tok[i + 1]);
                    return -1;
                }
                for (size_t k = 0; buf && k < (size_t)repeat; k++)
                    buf[at + k * unit + i / 2] = (uint8_t)(hi << 4 | lo);
            }
            at += unit * (size_t)repeat;
        }
        if (pass == 0) {
            if (at == 0) {
                snprintf(why, size, "no bytes (write hex pairs: 12 34 56 78)");
                return -1;
            }
            total = at;
            if (!(buf = scn_arena_alloc(a, total))) {
                snprintf(why, size, "out of memory");
                return -1;
            }
        }
    }
    *out = buf;
    *n = total;
    return 0;
}

void scn_bytes_text(const uint8_t *b, size_t n, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n;) {
        size_t run = 1;
        while (i + run < n && b[i + run] == b[i])
            run++;
        char item[32];
        if (run >= 8)
            snprintf(item, sizeof item, "%s%02x*%zu", len ? " " : "", b[i], run);
        else
            snprintf(item, sizeof item, "%s%02x", len ? " " : "", b[i]);
        if (len + strlen(item) + 5 >= size) {
            snprintf(buf + len, size - len, " ...");
            return;
        }
        len += (size_t)snprintf(buf + len, size - len, "%s", item);
        i += run >= 8 ? run : 1;
    }
}

void scn_random_fill(uint64_t seed, uint8_t *buf, size_t n)
{
    /* Folding the seed keeps every 64-bit seed distinct enough; zero would stall. */
    uint32_t s = (uint32_t)(seed ^ (seed >> 32)) ^ 0xA5A5A5A5u;
    if (!s)
        s = 1;
    for (size_t i = 0; i < n; i += 4) {
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        for (size_t k = 0; k < 4 && i + k < n; k++)
            buf[i + k] = (uint8_t)(s >> (8 * k));
    }
}
