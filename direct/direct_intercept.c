/* direct_intercept.c - memcpy, memmove, memset, memcmp, memchr, strlen, strcmp,
 * strncmp, strcpy, strncpy and glibc's fortified __*_chk forms, defined by
 * libmmsim_direct so they come before libc's: a range that touches a window becomes
 * machine accesses a chunk at a time (one fault-free mmsim_cpu_read/write per chunk,
 * line by line inside the machine) whatever glibc's vector code would have done; any
 * other range costs one compare against the windows' envelope and goes to libc's own
 * function (dlsym RTLD_NEXT).  A window range that runs off its window is the
 * machine's business: the bytes outside read as its fill pattern with a hazard. */
#define _GNU_SOURCE
#include "direct_internal.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <unistd.h>

typedef void *(*copy_fn)(void *, const void *, size_t);
typedef void *(*set_fn)(void *, int, size_t);
typedef int (*cmp_fn)(const void *, const void *, size_t);
typedef void *(*chr_fn)(const void *, int, size_t);
typedef size_t (*len_fn)(const char *);
typedef int (*scmp_fn)(const char *, const char *);
typedef int (*sncmp_fn)(const char *, const char *, size_t);
typedef char *(*scpy_fn)(char *, const char *);
typedef char *(*sncpy_fn)(char *, const char *, size_t);
typedef void *(*copy_chk_fn)(void *, const void *, size_t, size_t);
typedef void *(*set_chk_fn)(void *, int, size_t, size_t);
typedef char *(*scpy_chk_fn)(char *, const char *, size_t);
typedef char *(*sncpy_chk_fn)(char *, const char *, size_t, size_t);

static struct {
    copy_fn memcpy, memmove;
    set_fn memset;
    cmp_fn memcmp;
    chr_fn memchr;
    len_fn strlen;
    scmp_fn strcmp;
    sncmp_fn strncmp;
    scpy_fn strcpy;
    sncpy_fn strncpy;
    copy_chk_fn memcpy_chk, memmove_chk;
    set_chk_fn memset_chk;
    scpy_chk_fn strcpy_chk;
    sncpy_chk_fn strncpy_chk;
} real;

static _Thread_local bool resolving;

/* libc's functions.  Until they are known (a constructor that runs before ours, or
 * dlsym itself copying), the byte loops below stand in. */
__attribute__((constructor)) static void resolve(void)
{
    if (real.memcpy || resolving)
        return;
    resolving = true;
    real.memmove = (copy_fn)dlsym(RTLD_NEXT, "memmove");
    real.memset = (set_fn)dlsym(RTLD_NEXT, "memset");
    real.memcmp = (cmp_fn)dlsym(RTLD_NEXT, "memcmp");
    real.memchr = (chr_fn)dlsym(RTLD_NEXT, "memchr");
    real.strlen = (len_fn)dlsym(RTLD_NEXT, "strlen");
    real.strcmp = (scmp_fn)dlsym(RTLD_NEXT, "strcmp");
    real.strncmp = (sncmp_fn)dlsym(RTLD_NEXT, "strncmp");
    real.strcpy = (scpy_fn)dlsym(RTLD_NEXT, "strcpy");
    real.strncpy = (sncpy_fn)dlsym(RTLD_NEXT, "strncpy");
    real.memcpy_chk = (copy_chk_fn)dlsym(RTLD_NEXT, "__memcpy_chk");
    real.memmove_chk = (copy_chk_fn)dlsym(RTLD_NEXT, "__memmove_chk");
    real.memset_chk = (set_chk_fn)dlsym(RTLD_NEXT, "__memset_chk");
    real.strcpy_chk = (scpy_chk_fn)dlsym(RTLD_NEXT, "__strcpy_chk");
    real.strncpy_chk = (sncpy_chk_fn)dlsym(RTLD_NEXT, "__strncpy_chk");
    real.memcpy = (copy_fn)dlsym(RTLD_NEXT, "memcpy"); /* last: it marks the set complete */
    resolving = false;
}

static inline bool ready(void)
{
    if (__builtin_expect(real.memcpy != NULL, 1))
        return true;
    resolve();
    return real.memcpy != NULL;
}

static inline bool touches(const void *p, size_t n) { return n && direct_touches((uintptr_t)p, n); }

#define PC ((uintptr_t)__builtin_return_address(0))
#define CHUNK 1024

static void count(size_t n)
{
    atomic_fetch_add_explicit(&direct_g.intercepted, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&direct_g.intercepted_bytes, n, memory_order_relaxed);
}

/* Read n bytes at p, a window or host address, into buf. */
static void get(const void *p, void *buf, size_t n, uintptr_t pc)
{
    if (touches(p, n))
        direct_read((uintptr_t)p, buf, n, pc);
    else
        direct_copy(buf, p, n);
}

static void put(void *p, const void *buf, size_t n, uintptr_t pc)
{
    if (touches(p, n))
        direct_write((uintptr_t)p, buf, n, pc);
    else
        direct_copy(p, buf, n);
}

/* ---- the slow paths: some range touches a window ------------------------------------- */

static void window_move(void *d, const void *s, size_t n, uintptr_t pc)
{
    direct_lock_take();
    count(n);
    bool dw = touches(d, n), sw = touches(s, n);
    if (dw && !sw)
        direct_write((uintptr_t)d, s, n, pc);
    else if (sw && !dw)
        direct_read((uintptr_t)s, d, n, pc);
    else {
        unsigned char buf[CHUNK];
        uintptr_t da = (uintptr_t)d, sa = (uintptr_t)s;
        if (da > sa && da < sa + n) /* overlapping, destination above: copy from the end */
            for (size_t left = n; left;) {
                size_t k = left < CHUNK ? left : CHUNK;
                left -= k;
                get((const char *)s + left, buf, k, pc);
                put((char *)d + left, buf, k, pc);
            }
        else
            for (size_t done = 0; done < n;) {
                size_t k = n - done < CHUNK ? n - done : CHUNK;
                get((const char *)s + done, buf, k, pc);
                put((char *)d + done, buf, k, pc);
                done += k;
            }
    }
    direct_lock_give();
}

static void window_set(void *d, int c, size_t n, uintptr_t pc)
{
    unsigned char buf[CHUNK];
    for (size_t i = 0; i < CHUNK; i++)
        buf[i] = (unsigned char)c;
    direct_lock_take();
    count(n);
    for (size_t done = 0; done < n;) {
        size_t k = n - done < CHUNK ? n - done : CHUNK;
        direct_write((uintptr_t)d + done, buf, k, pc);
        done += k;
    }
    direct_lock_give();
}

/* The bytes up to the next 16-byte boundary (at most `max`): a string scan reads no
 * further into the chip's memory than a line it already touches. */
static size_t to_boundary(uintptr_t a, size_t max)
{
    size_t k = 16 - (a & 15);
    return k < max ? k : max;
}

static size_t window_strnlen(const char *s, size_t max, uintptr_t pc)
{
    unsigned char buf[16];
    size_t n = 0;
    direct_lock_take();
    while (n < max) {
        size_t k = to_boundary((uintptr_t)s + n, max - n);
        get(s + n, buf, k, pc);
        for (size_t i = 0; i < k; i++)
            if (!buf[i]) {
                count(n + i + 1);
                direct_lock_give();
                return n + i;
            }
        n += k;
    }
    count(n);
    direct_lock_give();
    return n;
}

/* Compare up to `max` bytes of a and b; `strings` stops after a NUL in both. */
static int window_compare(const void *a, const void *b, size_t max, bool strings, uintptr_t pc)
{
    unsigned char x[16], y[16];
    size_t n = 0;
    int r = 0;
    direct_lock_take();
    while (n < max) {
        size_t ka = to_boundary((uintptr_t)a + n, max - n), kb = to_boundary((uintptr_t)b + n, max - n);
        size_t k = ka < kb ? ka : kb;
        get((const char *)a + n, x, k, pc);
        get((const char *)b + n, y, k, pc);
        for (size_t i = 0; i < k; i++)
            if (x[i] != y[i] || (strings && !x[i])) {
                r = x[i] - y[i];
                n += i + 1;
                goto done;
            }
        n += k;
    }
done:
    count(n);
    direct_lock_give();
    return r;
}

static void *window_memchr(const void *s, int c, size_t max, uintptr_t pc)
{
    unsigned char buf[CHUNK];
    void *hit = NULL;
    direct_lock_take();
    size_t n = 0;
    while (n < max && !hit) {
        size_t k = max - n < CHUNK ? max - n : CHUNK;
        k = k > 16 ? k - (((uintptr_t)s + n + k) & 15) : k; /* end on a line boundary when it can */
        get((const char *)s + n, buf, k, pc);
        for (size_t i = 0; i < k; i++)
            if (buf[i] == (unsigned char)c) {
                hit = (char *)s + n + i;
                k = i + 1;
                break;
            }
        n += k;
    }
    count(n);
    direct_lock_give();
    return hit;
}

/* ---- the interceptors ------------------------------------------------------------------ */

void *memcpy(void *d, const void *s, size_t n)
{
    if (__builtin_expect(!touches(d, n) && !touches(s, n), 1)) {
        if (ready())
            return real.memcpy(d, s, n);
        direct_copy(d, s, n);
        return d;
    }
    window_move(d, s, n, PC);
    return d;
}

void *memmove(void *d, const void *s, size_t n)
{
    if (__builtin_expect(!touches(d, n) && !touches(s, n), 1)) {
        if (ready())
            return real.memmove(d, s, n);
        unsigned char *dp = d;
        const unsigned char *sp = s;
        if (dp < sp)
            direct_copy(d, s, n);
        else
            while (n--)
                ((volatile unsigned char *)dp)[n] = sp[n];
        return d;
    }
    window_move(d, s, n, PC);
    return d;
}

void *memset(void *d, int c, size_t n)
{
    if (__builtin_expect(!touches(d, n), 1)) {
        if (ready())
            return real.memset(d, c, n);
        volatile unsigned char *p = d;
        while (n--)
            *p++ = (unsigned char)c;
        return d;
    }
    window_set(d, c, n, PC);
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    if (__builtin_expect(!touches(a, n) && !touches(b, n), 1) && ready())
        return real.memcmp(a, b, n);
    return window_compare(a, b, n, false, PC);
}

void *memchr(const void *s, int c, size_t n)
{
    if (__builtin_expect(!touches(s, n), 1) && ready())
        return real.memchr(s, c, n);
    return window_memchr(s, c, n, PC);
}

/* A string's extent is not known before it is read: a string that starts in a window
 * goes the slow way (a host string running into a window is not looked for). */
size_t strlen(const char *s)
{
    if (__builtin_expect(!touches(s, 1), 1) && ready())
        return real.strlen(s);
    return window_strnlen(s, SIZE_MAX, PC);
}

int strcmp(const char *a, const char *b)
{
    if (__builtin_expect(!touches(a, 1) && !touches(b, 1), 1) && ready())
        return real.strcmp(a, b);
    return window_compare(a, b, SIZE_MAX, true, PC);
}

int strncmp(const char *a, const char *b, size_t n)
{
    if (__builtin_expect(!touches(a, 1) && !touches(b, 1), 1) && ready())
        return real.strncmp(a, b, n);
    return window_compare(a, b, n, true, PC);
}

char *strcpy(char *d, const char *s)
{
    if (__builtin_expect(!touches(d, 1) && !touches(s, 1), 1) && ready())
        return real.strcpy(d, s);
    size_t n = window_strnlen(s, SIZE_MAX, PC);
    window_move(d, s, n + 1, PC);
    return d;
}

char *strncpy(char *d, const char *s, size_t n)
{
    if (__builtin_expect(!touches(d, n) && !touches(s, 1), 1) && ready())
        return real.strncpy(d, s, n);
    size_t k = window_strnlen(s, n, PC);
    window_move(d, s, k, PC);
    if (k < n) {
        if (touches(d + k, n - k))
            window_set(d + k, 0, n - k, PC);
        else
            for (size_t i = k; i < n; i++)
                ((volatile char *)d)[i] = 0;
    }
    return d;
}

/* The fortified forms: glibc's check (and its abort) for host ranges, the same check
 * in front of the window path. */
static _Noreturn void overflow(const char *fn)
{
    static const char msg[] = "*** buffer overflow detected ***: terminated in ";
    if (write(STDERR_FILENO, msg, sizeof msg - 1) >= 0 && write(STDERR_FILENO, fn, real.strlen ? real.strlen(fn) : 0) >= 0)
        (void)write(STDERR_FILENO, "\n", 1);
    abort(); /* as glibc's __chk_fail */
}

void *__memcpy_chk(void *d, const void *s, size_t n, size_t dlen)
{
    if (!touches(d, n) && !touches(s, n) && ready() && real.memcpy_chk)
        return real.memcpy_chk(d, s, n, dlen);
    if (n > dlen)
        overflow(__func__);
    window_move(d, s, n, PC);
    return d;
}

void *__memmove_chk(void *d, const void *s, size_t n, size_t dlen)
{
    if (!touches(d, n) && !touches(s, n) && ready() && real.memmove_chk)
        return real.memmove_chk(d, s, n, dlen);
    if (n > dlen)
        overflow(__func__);
    window_move(d, s, n, PC);
    return d;
}

void *__memset_chk(void *d, int c, size_t n, size_t dlen)
{
    if (!touches(d, n) && ready() && real.memset_chk)
        return real.memset_chk(d, c, n, dlen);
    if (n > dlen)
        overflow(__func__);
    window_set(d, c, n, PC);
    return d;
}

char *__strcpy_chk(char *d, const char *s, size_t dlen)
{
    if (!touches(d, 1) && !touches(s, 1) && ready() && real.strcpy_chk)
        return real.strcpy_chk(d, s, dlen);
    size_t n = window_strnlen(s, SIZE_MAX, PC);
    if (n + 1 > dlen)
        overflow(__func__);
    window_move(d, s, n + 1, PC);
    return d;
}

char *__strncpy_chk(char *d, const char *s, size_t n, size_t dlen)
{
    if (!touches(d, n) && !touches(s, 1) && ready() && real.strncpy_chk)
        return real.strncpy_chk(d, s, n, dlen);
    if (n > dlen)
        overflow(__func__);
    return strncpy(d, s, n);
}
