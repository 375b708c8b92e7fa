/* compat_mem.c - what upstream's code reads through a mapping.  partition.c reads the
 * partition table through a spi_flash_mmap of its sector: memcpy of each entry from
 * the mapped address, memcmp of the stored MD5, and a verbose hexdump of it.  On the
 * host that address is a chip address, which no host pointer reaches; the library is
 * linked with --wrap=memcpy,memcmp (and upstream compiled with -fno-builtin-memcpy
 * -fno-builtin-memcmp, so the compiler keeps the calls), and a side that is a chip
 * address is read with CPU loads by the driver's core (mmsim_hint_cpu_read): through
 * the MMU and the cache, with their hazards, as the chip reads it; a copy from one chip
 * address to another is CPU loads and stores (cpu_mem_copy).  A store from the host
 * into a chip address is refused.  Also strlcpy,
 * which partition.c calls and glibc before 2.38 lacks. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "esp_log.h"
#include "esp_private/mmsim_hint.h"
#include "hal/cpu_mem.h"
#include "mmsim_idf_compat_private.h"
#include "mmsim_idf_prelude.h"

#ifdef MMSIM_IDF_WRAP_LIBC
void *__real_memcpy(void *dst, const void *src, size_t n);
int __real_memcmp(const void *a, const void *b, size_t n);
#define host_memcpy __real_memcpy
#define host_memcmp __real_memcmp
#else
#define host_memcpy memcpy
#define host_memcmp memcmp
#endif

static bool is_chip(const void *p, size_t n)
{
    return !mmsim_idf_alloc_is_host(p, n) && mmsim_hint_is_chip_range((uintptr_t)p, n);
}

/* n bytes from p, wherever they are, into the host buffer out. */
static void load(void *out, const void *p, size_t n)
{
    if (is_chip(p, n))
        mmsim_hint_cpu_read((uint32_t)(uintptr_t)p, out, n);
    else
        host_memcpy(out, p, n);
}

void *mmsim_idf_memcpy(void *dst, const void *src, size_t n)
{
    if (!n)
        return dst;
    /* Chip to chip: CPU loads and stores through both mappings (upstream's XIP copy,
     * mmu_psram_flash_v2.c, copies each page from a flash view to its PSRAM page). */
    if (is_chip(dst, n) && is_chip(src, n)) {
        if (!cpu_mem_copy((uint32_t)(uintptr_t)dst, (uint32_t)(uintptr_t)src, (uint32_t)n))
            mmsim_idf_abort_once("memcpy between chip addresses: the model ran out of host memory");
        return dst;
    }
    if (is_chip(dst, n)) {
        char why[120];
        snprintf(why, sizeof why, "memcpy to chip address 0x%08x: the ESP-IDF driver build does not store through "
                                  "mappings",
                 (unsigned)(uintptr_t)dst);
        mmsim_idf_abort_once(why);
        return dst;
    }
    load(dst, src, n);
    return dst;
}

int mmsim_idf_memcmp(const void *a, const void *b, size_t n)
{
    if (!is_chip(a, n) && !is_chip(b, n))
        return host_memcmp(a, b, n);
    unsigned char x[64], y[64];
    for (size_t done = 0; done < n;) {
        size_t k = n - done < sizeof x ? n - done : sizeof x;
        load(x, (const char *)a + done, k);
        load(y, (const char *)b + done, k);
        int d = host_memcmp(x, y, k);
        if (d)
            return d;
        done += k;
    }
    return 0;
}

/* ESP-IDF's hexdump: nothing is read unless the tag logs at `level`; then 16 bytes a
 * line, "<address>  xx xx ... |ascii|". */
void mmsim_idf_log_hexdump(const char *tag, const void *buf, size_t len, esp_log_level_t level)
{
    if (!buf || esp_log_level_get(tag) < level)
        return;
    static const char letters[] = "?EWIDV";
    for (size_t at = 0; at < len; at += 16) {
        unsigned char b[16];
        size_t k = len - at < 16 ? len - at : 16;
        load(b, (const char *)buf + at, k);
        char hex[16 * 3 + 3] = "", ascii[17] = "";
        size_t h = 0;
        for (size_t i = 0; i < 16; i++) {
            if (i % 8 == 0)
                hex[h++] = ' ';
            h += (size_t)(i < k ? snprintf(hex + h, sizeof hex - h, " %02x", b[i])
                                : snprintf(hex + h, sizeof hex - h, "   "));
            if (i < k)
                ascii[i] = (char)(b[i] >= 0x20 && b[i] < 0x7f ? b[i] : '.');
        }
        ascii[k] = '\0';
        esp_log_write(level, tag, "%c (%lu) %s: 0x%08llx %s  |%s|\n", letters[level <= 5 ? level : 0],
                      (unsigned long)esp_log_timestamp(), tag,
                      (unsigned long long)(uintptr_t)((const char *)buf + at), hex, ascii);
    }
}

#ifdef MMSIM_IDF_WRAP_LIBC
void *__wrap_memcpy(void *dst, const void *src, size_t n);
int __wrap_memcmp(const void *a, const void *b, size_t n);
void *__wrap_memcpy(void *dst, const void *src, size_t n) { return mmsim_idf_memcpy(dst, src, n); }
int __wrap_memcmp(const void *a, const void *b, size_t n) { return mmsim_idf_memcmp(a, b, n); }
#endif

#if MMSIM_IDF_NEED_STRLCPY
size_t strlcpy(char *dst, const char *src, size_t size)
{
    size_t len = strlen(src);
    if (size) {
        size_t n = len < size - 1 ? len : size - 1;
        host_memcpy(dst, src, n);
        dst[n] = '\0';
    }
    return len;
}
#endif
