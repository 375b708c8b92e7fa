/* store.c - the sparse backing store of store.h: a chunk index allocated up front,
 * 4 KB chunks allocated on first write, NOR program/erase, image load and atomic
 * image save.
 *
 * Ranges are checked in 64-bit arithmetic because addr + len of two uint32_t can
 * wrap and pass a 32-bit comparison.  Every mutating call allocates the chunks it
 * needs before it changes a byte, so a failed allocation leaves the store as it
 * was. */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Erase releases whole chunks, so a sector must be made of whole chunks. */
_Static_assert(STORE_SECTOR_SIZE % STORE_CHUNK_SIZE == 0, "sector must be whole chunks");
_Static_assert((STORE_CHUNK_SIZE & (STORE_CHUNK_SIZE - 1)) == 0, "chunk size must be a power of two");

static bool store_range_ok(const store_t *s, uint32_t addr, uint32_t len)
{
    return (uint64_t)addr + len <= s->size;
}

store_t *store_new(uint32_t size, uint8_t fill)
{
    if (size % STORE_CHUNK_SIZE)
        return NULL;
    store_t *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->size = size;
    s->nchunks = size / STORE_CHUNK_SIZE;
    s->fill = fill;
    s->allocs_left = UINT32_MAX;
    if (s->nchunks) {
        s->chunks = calloc(s->nchunks, sizeof *s->chunks);
        if (!s->chunks) {
            free(s);
            return NULL;
        }
    }
    s->resident = (size_t)s->nchunks * sizeof *s->chunks;
    return s;
}

void store_free(store_t *s)
{
    if (!s)
        return;
    for (uint32_t i = 0; i < s->nchunks; i++)
        free(s->chunks[i]);
    free(s->chunks);
    free(s);
}

uint8_t store_fill(const store_t *s) { return s->fill; }
void store_limit_allocs(store_t *s, uint32_t n) { s->allocs_left = n; }
size_t store_resident_bytes(const store_t *s) { return s->resident; }

/* Gives every missing chunk of [first, last] its memory, or none of them: the new
 * chunks are first collected in a list threaded through their own bytes, so a
 * failure part-way can be undone without a side array (which could fail too). */
static int store_alloc_chunks(store_t *s, uint32_t first, uint32_t last)
{
    void *spare = NULL;
    for (uint32_t i = first; i <= last; i++) {
        if (s->chunks[i])
            continue;
        void *p = s->allocs_left ? malloc(STORE_CHUNK_SIZE) : NULL;
        if (p && s->allocs_left != UINT32_MAX)
            s->allocs_left--;
        if (!p) {
            while (spare) {
                void *next = *(void **)spare;
                free(spare);
                spare = next;
            }
            return -2;
        }
        *(void **)p = spare;
        spare = p;
    }
    for (uint32_t i = first; i <= last && spare; i++) {
        if (s->chunks[i])
            continue;
        uint8_t *p = spare;
        spare = *(void **)spare;
        memset(p, s->fill, STORE_CHUNK_SIZE);
        s->chunks[i] = p;
        s->resident += STORE_CHUNK_SIZE;
    }
    return 0;
}

int store_read(const store_t *s, uint32_t addr, void *buf, uint32_t len)
{
    if (!store_range_ok(s, addr, len))
        return -1;
    uint8_t *out = buf;
    if (!len)
        return 0;
    while (len) {
        uint32_t off = addr & STORE_CHUNK_MASK;
        uint32_t n = STORE_CHUNK_SIZE - off;
        if (n > len)
            n = len;
        const uint8_t *chunk = s->chunks[addr / STORE_CHUNK_SIZE];
        if (chunk)
            memcpy(out, chunk + off, n);
        else
            memset(out, s->fill, n);
        out += n;
        addr += n;
        len -= n;
    }
    return 0;
}

/* Shared by write and program: they differ only in how a byte is combined. */
static int store_put(store_t *s, uint32_t addr, const void *buf, uint32_t len, bool and_mode)
{
    if (!store_range_ok(s, addr, len))
        return -1;
    if (!len)
        return 0;
    int rc = store_alloc_chunks(s, addr / STORE_CHUNK_SIZE, (addr + len - 1u) / STORE_CHUNK_SIZE);
    if (rc)
        return rc;
    const uint8_t *in = buf;
    while (len) {
        uint32_t off = addr & STORE_CHUNK_MASK;
        uint32_t n = STORE_CHUNK_SIZE - off;
        if (n > len)
            n = len;
        uint8_t *dst = s->chunks[addr / STORE_CHUNK_SIZE] + off;
        if (and_mode) {
            for (uint32_t i = 0; i < n; i++)
                dst[i] &= in[i];
        } else {
            memcpy(dst, in, n);
        }
        in += n;
        addr += n;
        len -= n;
    }
    return 0;
}

int store_write(store_t *s, uint32_t addr, const void *buf, uint32_t len)
{
    return store_put(s, addr, buf, len, false);
}

int store_program(store_t *s, uint32_t addr, const void *buf, uint32_t len)
{
    return store_put(s, addr, buf, len, true);
}

int store_erase(store_t *s, uint32_t addr, uint32_t len)
{
    if (addr % STORE_SECTOR_SIZE || len % STORE_SECTOR_SIZE || !store_range_ok(s, addr, len))
        return -1;
    if (!len)
        return 0;
    uint32_t first = addr / STORE_CHUNK_SIZE, last = (addr + len - 1u) / STORE_CHUNK_SIZE;
    if (s->fill == 0xFF) {
        for (uint32_t i = first; i <= last; i++) {
            if (s->chunks[i]) {
                free(s->chunks[i]);
                s->chunks[i] = NULL;
                s->resident -= STORE_CHUNK_SIZE;
            }
        }
        return 0;
    }
    /* A released chunk would read as the fill byte, not 0xFF; keep the chunks. */
    int rc = store_alloc_chunks(s, first, last);
    if (rc)
        return rc;
    for (uint32_t i = first; i <= last; i++)
        memset(s->chunks[i], 0xFF, STORE_CHUNK_SIZE);
    return 0;
}

uint8_t *store_chunk_for_write(store_t *s, uint32_t addr)
{
    if (addr >= s->size)
        return NULL;
    uint32_t i = addr / STORE_CHUNK_SIZE;
    if (store_alloc_chunks(s, i, i))
        return NULL;
    return s->chunks[i] + (addr & STORE_CHUNK_MASK);
}

const uint8_t *store_chunk_for_read(const store_t *s, uint32_t addr)
{
    if (addr >= s->size)
        return NULL;
    const uint8_t *chunk = s->chunks[addr / STORE_CHUNK_SIZE];
    return chunk ? chunk + (addr & STORE_CHUNK_MASK) : NULL;
}

static void store_err(char *err, size_t errlen, const char *fmt, const char *path, const char *why)
{
    if (err && errlen)
        snprintf(err, errlen, fmt, path, why);
}

static bool store_all_fill(const uint8_t *p, size_t n, uint8_t fill)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != fill)
            return false;
    return true;
}

/* On error the store may already hold a prefix of the image: a failed load is
 * meant to abort building the machine, not to be retried on the same store. */
int store_load_image(store_t *s, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        store_err(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0) {
        store_err(err, errlen, "%s: %s", path, strerror(errno));
        fclose(f);
        return -1;
    }
    char msg[96];
    if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > s->size) {
        snprintf(msg, sizeof msg, "image is %lld bytes, larger than the %u-byte store",
                 (long long)st.st_size, (unsigned)s->size);
        store_err(err, errlen, "%s: %s", path, msg);
        fclose(f);
        return -1;
    }
    uint8_t *buf = malloc(STORE_CHUNK_SIZE);
    if (!buf) {
        store_err(err, errlen, "%s: %s", path, "out of memory");
        fclose(f);
        return -1;
    }
    int rc = 0;
    uint64_t total = 0;
    for (;;) {
        size_t n = fread(buf, 1, STORE_CHUNK_SIZE, f);
        if (n == 0)
            break;
        if (total + n > s->size) {
            /* The file grew since fstat, or is not a regular file. */
            snprintf(msg, sizeof msg, "image is larger than the %u-byte store", (unsigned)s->size);
            store_err(err, errlen, "%s: %s", path, msg);
            rc = -1;
            break;
        }
        uint32_t addr = (uint32_t)total;
        /* Erased regions of an image cost nothing in a store that is still sparse there. */
        if (s->chunks[addr / STORE_CHUNK_SIZE] || !store_all_fill(buf, n, s->fill)) {
            if (store_write(s, addr, buf, (uint32_t)n) != 0) {
                store_err(err, errlen, "%s: %s", path, "out of memory");
                rc = -1;
                break;
            }
        }
        total += n;
        if (n < STORE_CHUNK_SIZE)
            break;
    }
    if (rc == 0 && ferror(f)) {
        store_err(err, errlen, "%s: read error: %s", path, strerror(errno));
        rc = -1;
    } else if (rc == 0 && S_ISREG(st.st_mode) && total < (uint64_t)st.st_size) {
        snprintf(msg, sizeof msg, "truncated while reading (%llu of %lld bytes)",
                 (unsigned long long)total, (long long)st.st_size);
        store_err(err, errlen, "%s: %s", path, msg);
        rc = -1;
    }
    free(buf);
    fclose(f);
    return rc;
}

/* The directory holding `path`, so the rename itself can be made durable. */
static int store_fsync_dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir;
    if (!slash) {
        dir = strdup(".");
    } else if (slash == path) {
        dir = strdup("/");
    } else {
        dir = strndup(path, (size_t)(slash - path));
    }
    if (!dir) {
        errno = ENOMEM;
        return -1;
    }
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    free(dir);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    /* Some filesystems cannot fsync a directory; the rename is as durable as they allow. */
    if (rc != 0 && errno == EINVAL)
        rc = 0;
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

int store_save_image(const store_t *s, const char *path, char *err, size_t errlen)
{
    size_t tmplen = strlen(path) + 32;
    char *tmp = malloc(tmplen);
    uint8_t *fillbuf = malloc(STORE_CHUNK_SIZE);
    if (!tmp || !fillbuf) {
        free(tmp);
        free(fillbuf);
        store_err(err, errlen, "%s: %s", path, "out of memory");
        return -1;
    }
    snprintf(tmp, tmplen, "%s.tmp.%ld", path, (long)getpid());
    memset(fillbuf, s->fill, STORE_CHUNK_SIZE);

    const char *what = NULL;
    /* O_EXCL: never write through a file (or link) left by someone else under our name. */
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    bool created = fd >= 0;
    if (!f) {
        what = "create";
        if (fd >= 0)
            close(fd);
        goto fail;
    }
    for (uint32_t i = 0; i < s->nchunks; i++) {
        const uint8_t *p = s->chunks[i] ? s->chunks[i] : fillbuf;
        if (fwrite(p, 1, STORE_CHUNK_SIZE, f) != STORE_CHUNK_SIZE) {
            what = "write";
            break;
        }
    }
    if (!what && fflush(f) != 0)
        what = "write";
    if (!what && fsync(fileno(f)) != 0)
        what = "fsync";
    if (what) {
        int saved = errno;
        fclose(f);
        errno = saved;
        goto fail;
    }
    if (fclose(f) != 0) {
        what = "close";
        goto fail;
    }
    if (rename(tmp, path) != 0) {
        what = "rename";
        goto fail;
    }
    created = false;
    if (store_fsync_dir_of(path) != 0) {
        /* The new image is in place already; only its durability is in doubt. */
        what = "fsync of directory";
        goto fail;
    }
    free(tmp);
    free(fillbuf);
    return 0;

fail:;
    int saved = errno;
    if (created)
        unlink(tmp);
    if (err && errlen)
        snprintf(err, errlen, "%s: %s failed: %s", path, what, strerror(saved));
    free(tmp);
    free(fillbuf);
    return -1;
}
