/* test_store.c - Check tests of sim/store.c: sparse reads and writes, NOR program
 * and erase, range checks, residency, image load and atomic save. */
#include "store.h"
#include "check_main.h"

#include <check.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KB 1024u
#define MB (1024u * 1024u)

/* ---------------- temp directory helpers ---------------- */

static char test_dir[64];

static void dir_setup(void)
{
    strcpy(test_dir, "/tmp/mmsim_store_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(test_dir));
}

/* Removes the files the tests create (no subdirectories except "sub", a known one). */
static void dir_teardown(void)
{
    DIR *d = opendir(test_dir);
    if (d) {
        struct dirent *e;
        char p[512];
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            snprintf(p, sizeof p, "%s/%s", test_dir, e->d_name);
            if (unlink(p) != 0)
                rmdir(p);
        }
        closedir(d);
    }
    rmdir(test_dir);
}

static void path_in_dir(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", test_dir, name);
}

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

/* The whole file in a malloc'ed buffer; *len gets its size. */
static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    ck_assert_int_ge(n, 0);
    rewind(f);
    uint8_t *buf = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* `n` bytes of `img` in file `name` of the test directory; its path (static: the
 * next call reuses it). */
static const char *put_image(const char *name, const void *img, size_t n)
{
    static char path[256];
    path_in_dir(path, sizeof path, name);
    write_file(path, img, n);
    return path;
}

/* The message of the last load() or save(). */
static char err[256];

static int load(store_t *s, const char *path)
{
    err[0] = '\0';
    return store_load_image(s, path, err, sizeof err);
}

static int save(const store_t *s, const char *path)
{
    err[0] = '\0';
    return store_save_image(s, path, err, sizeof err);
}

/* The last load() or save() returned `rc`, -1, with a message naming `path`. */
static void expect_refused(int rc, const char *path)
{
    ck_assert_int_eq(rc, -1);
    ck_assert_msg(strstr(err, path) != NULL, "\"%s\" does not name %s", err, path);
}

static int dir_entry_count(const char *dir)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

static void fill_pattern(uint8_t *buf, size_t len, unsigned seed)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = (uint8_t)(i * 31u + seed + (i >> 8));
}

static bool all_bytes(const uint8_t *p, size_t n, uint8_t v)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != v)
            return false;
    return true;
}

/* The store reads back `n` bytes of `v` at `addr` (into a buffer holding other bytes
 * before). */
static void expect_all(const store_t *s, uint32_t addr, size_t n, uint8_t v)
{
    uint8_t *buf = malloc(n);
    ck_assert_ptr_nonnull(buf);
    memset(buf, (uint8_t)~v, n);
    ck_assert_int_eq(store_read(s, addr, buf, (uint32_t)n), 0);
    bool same = all_bytes(buf, n, v);
    free(buf);
    ck_assert_msg(same, "[0x%x, +0x%zx) is not all 0x%02x", (unsigned)addr, n, v);
}

/* Write, program and read of [addr, addr + len) are each refused. */
static void expect_range_refused(store_t *s, uint32_t addr, uint32_t len, uint8_t *buf)
{
    ck_assert_int_eq(store_write(s, addr, buf, len), -1);
    ck_assert_int_eq(store_program(s, addr, buf, len), -1);
    ck_assert_int_eq(store_read(s, addr, buf, len), -1);
}

/* ---------------- basic reads and writes ---------------- */

START_TEST(test_unwritten_reads_fill)
{
    store_t *s = store_new(64 * KB, 0xFF);
    ck_assert_ptr_nonnull(s);
    expect_all(s, 5000, 100, 0xFF);
    store_free(s);

    s = store_new(64 * KB, 0x00);
    expect_all(s, 0, 100, 0x00);
    ck_assert_uint_eq(store_fill(s), 0x00);
    store_free(s);
}
END_TEST

START_TEST(test_size_and_bad_size)
{
    store_t *s = store_new(16 * MB, 0xFF);
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(store_size(s), 16 * MB);
    store_free(s);
    ck_assert_ptr_null(store_new(4096 + 1, 0xFF));
    s = store_new(0, 0xFF);
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(store_size(s), 0);
    ck_assert_int_eq(store_read(s, 0, NULL, 0), 0);
    uint8_t b = 0;
    ck_assert_int_eq(store_read(s, 0, &b, 1), -1);
    store_free(s);
}
END_TEST

START_TEST(test_roundtrip_across_chunks)
{
    store_t *s = store_new(64 * KB, 0xFF);
    enum { LEN = 3 * 4096 + 123 };
    static uint8_t in[LEN], out[LEN + 2];
    fill_pattern(in, LEN, 7);
    uint32_t addr = 4096 - 50; /* starts inside chunk 0, spans chunks 1-3, ends in chunk 4 */
    ck_assert_int_eq(store_write(s, addr, in, LEN), 0);
    ck_assert_int_eq(store_read(s, addr - 1, out, LEN + 2), 0);
    ck_assert_uint_eq(out[0], 0xFF);
    ck_assert_mem_eq(out + 1, in, LEN);
    ck_assert_uint_eq(out[LEN + 1], 0xFF);
    store_free(s);
}
END_TEST

START_TEST(test_write_allocates_only_touched_chunks)
{
    store_t *s = store_new(1 * MB, 0xFF);
    size_t base = store_resident_bytes(s);
    uint8_t b[2] = {1, 2};
    ck_assert_int_eq(store_write(s, 8191, b, 2), 0); /* straddles chunks 1 and 2 */
    ck_assert_uint_eq(store_resident_bytes(s), base + 2 * STORE_CHUNK_SIZE);
    ck_assert_int_eq(store_write(s, 8000, b, 2), 0); /* already resident */
    ck_assert_uint_eq(store_resident_bytes(s), base + 2 * STORE_CHUNK_SIZE);
    store_free(s);
}
END_TEST

START_TEST(test_program_ands)
{
    store_t *s = store_new(64 * KB, 0xFF);
    uint8_t a[4] = {0xF0, 0x0F, 0xAA, 0xFF};
    uint8_t b[4] = {0x3C, 0x3C, 0x55, 0x81};
    uint8_t out[4];
    ck_assert_int_eq(store_program(s, 4094, a, 4), 0); /* across a chunk boundary */
    ck_assert_int_eq(store_read(s, 4094, out, 4), 0);
    ck_assert_mem_eq(out, a, 4);
    ck_assert_int_eq(store_program(s, 4094, b, 4), 0);
    ck_assert_int_eq(store_read(s, 4094, out, 4), 0);
    uint8_t want[4] = {0x30, 0x0C, 0x00, 0x81};
    ck_assert_mem_eq(out, want, 4);
    store_free(s);
}
END_TEST

START_TEST(test_program_cannot_set_bits)
{
    store_t *s = store_new(4096, 0xFF);
    uint8_t zero = 0x00, ones = 0xFF, out;
    ck_assert_int_eq(store_program(s, 10, &zero, 1), 0);
    ck_assert_int_eq(store_program(s, 10, &ones, 1), 0);
    ck_assert_int_eq(store_read(s, 10, &out, 1), 0);
    ck_assert_uint_eq(out, 0x00);
    store_free(s);
}
END_TEST

/* ---------------- erase ---------------- */

START_TEST(test_erase_alignment_errors)
{
    store_t *s = store_new(64 * KB, 0xFF);
    uint8_t b = 0x12, out;
    ck_assert_int_eq(store_write(s, 100, &b, 1), 0);
    ck_assert_int_eq(store_erase(s, 1, 4096), -1);
    ck_assert_int_eq(store_erase(s, 0, 4095), -1);
    ck_assert_int_eq(store_erase(s, 0, 4097), -1);
    ck_assert_int_eq(store_erase(s, 2048, 4096), -1);
    ck_assert_int_eq(store_read(s, 100, &out, 1), 0);
    ck_assert_uint_eq(out, 0x12); /* nothing changed */
    store_free(s);
}
END_TEST

START_TEST(test_erase_range_errors)
{
    store_t *s = store_new(64 * KB, 0xFF);
    uint8_t b = 0x12, out;
    ck_assert_int_eq(store_write(s, 60 * KB, &b, 1), 0);
    ck_assert_int_eq(store_erase(s, 60 * KB, 8 * KB), -1);          /* runs past the end */
    ck_assert_int_eq(store_erase(s, 64 * KB, 4096), -1);            /* starts at the end */
    ck_assert_int_eq(store_erase(s, 60 * KB, 0xFFFFF000u), -1);     /* wraps in 32 bits */
    ck_assert_int_eq(store_read(s, 60 * KB, &out, 1), 0);
    ck_assert_uint_eq(out, 0x12);
    store_free(s);
}
END_TEST

START_TEST(test_erase_restores_ff_and_releases)
{
    store_t *s = store_new(256 * KB, 0xFF);
    static uint8_t buf[STORE_BLOCK_SIZE];
    memset(buf, 0x00, sizeof buf);
    size_t base = store_resident_bytes(s);
    ck_assert_int_eq(store_write(s, 0, buf, sizeof buf), 0);
    ck_assert_uint_eq(store_resident_bytes(s), base + STORE_BLOCK_SIZE);

    ck_assert_int_eq(store_erase(s, 4096, 2 * STORE_SECTOR_SIZE), 0);
    ck_assert_uint_eq(store_resident_bytes(s), base + STORE_BLOCK_SIZE - 2 * STORE_SECTOR_SIZE);
    ck_assert_ptr_null(store_chunk_for_read(s, 4096));
    ck_assert_int_eq(store_read(s, 0, buf, 4 * 4096), 0);
    ck_assert(all_bytes(buf, 4096, 0x00));
    ck_assert(all_bytes(buf + 4096, 2 * 4096, 0xFF));
    ck_assert(all_bytes(buf + 3 * 4096, 4096, 0x00));

    ck_assert_int_eq(store_erase(s, 0, STORE_BLOCK_SIZE), 0);
    ck_assert_uint_eq(store_resident_bytes(s), base);
    store_free(s);
}
END_TEST

START_TEST(test_erase_with_non_ff_fill_reads_ff)
{
    store_t *s = store_new(16 * KB, 0x00);
    ck_assert_int_eq(store_erase(s, 4096, 4096), 0);
    expect_all(s, 4096, 4096, 0xFF);
    expect_all(s, 0, 4096, 0x00);
    store_free(s);
}
END_TEST

/* ---------------- range checks ---------------- */

START_TEST(test_out_of_range_rejected)
{
    store_t *s = store_new(64 * KB, 0xFF);
    size_t base = store_resident_bytes(s);
    uint8_t buf[16];
    memset(buf, 0, sizeof buf);
    expect_range_refused(s, 64 * KB - 8, 16, buf);
    ck_assert_int_eq(store_write(s, 64 * KB, buf, 1), -1);
    ck_assert_uint_eq(store_resident_bytes(s), base); /* nothing written, not even the in-range part */
    expect_all(s, 64 * KB - 8, 8, 0xFF);
    ck_assert_int_eq(store_write(s, 64 * KB - 16, buf, 16), 0); /* exactly to the end is fine */
    ck_assert_int_eq(store_write(s, 64 * KB, buf, 0), 0);       /* empty range at the end */
    store_free(s);
}
END_TEST

START_TEST(test_wrapping_range_rejected)
{
    store_t *s = store_new(64 * KB, 0xFF);
    size_t base = store_resident_bytes(s);
    uint8_t buf[16];
    memset(buf, 0, sizeof buf);
    /* addr + len wraps to 0x100, which a 32-bit check would accept. */
    expect_range_refused(s, 0x1000, 0xFFFFF100u, buf);
    ck_assert_int_eq(store_write(s, 0xFFFFFFF0u, buf, 0x20), -1);
    ck_assert_uint_eq(store_resident_bytes(s), base);
    store_free(s);
}
END_TEST

START_TEST(test_chunk_pointers)
{
    store_t *s = store_new(16 * KB, 0xFF);
    ck_assert_ptr_null(store_chunk_for_read(s, 5000));
    uint8_t *w = store_chunk_for_write(s, 5000);
    ck_assert_ptr_nonnull(w);
    ck_assert_uint_eq(w[0], 0xFF); /* a new chunk starts as fill */
    w[0] = 0x42;
    w[4096 - (5000 - 4096) - 1] = 0x43; /* last byte of the chunk */
    ck_assert_ptr_eq(store_chunk_for_read(s, 5000), w);
    uint8_t out[2];
    ck_assert_int_eq(store_read(s, 5000, out, 1), 0);
    ck_assert_int_eq(store_read(s, 8191, out + 1, 1), 0);
    ck_assert_uint_eq(out[0], 0x42);
    ck_assert_uint_eq(out[1], 0x43);
    ck_assert_ptr_null(store_chunk_for_write(s, 16 * KB));
    ck_assert_ptr_null(store_chunk_for_read(s, 16 * KB));
    store_free(s);
}
END_TEST

START_TEST(test_large_store_sparse)
{
    store_t *s = store_new(32 * MB, 0xFF);
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_lt(store_resident_bytes(s), 1 * MB);
    uint8_t b = 1;
    size_t before = store_resident_bytes(s);
    ck_assert_int_eq(store_write(s, 32 * MB - 1, &b, 1), 0);
    ck_assert_uint_eq(store_resident_bytes(s), before + STORE_CHUNK_SIZE);
    store_free(s);
}
END_TEST

/* ---------------- image load ---------------- */

START_TEST(test_load_shorter_image)
{
    static uint8_t img[5000], out[8192];
    fill_pattern(img, sizeof img, 3);
    const char *path = put_image("short.bin", img, sizeof img);
    store_t *s = store_new(64 * KB, 0xFF);
    ck_assert_int_eq(load(s, path), 0);
    ck_assert_int_eq(store_read(s, 0, out, sizeof out), 0);
    ck_assert_mem_eq(out, img, sizeof img);
    ck_assert(all_bytes(out + sizeof img, sizeof out - sizeof img, 0xFF));
    store_free(s);
}
END_TEST

START_TEST(test_load_exact_image)
{
    static uint8_t img[16 * KB], out[16 * KB];
    fill_pattern(img, sizeof img, 9);
    const char *path = put_image("exact.bin", img, sizeof img);
    store_t *s = store_new(16 * KB, 0xFF);
    ck_assert_msg(load(s, path) == 0, "load failed: %s", err);
    ck_assert_int_eq(store_read(s, 0, out, sizeof out), 0);
    ck_assert_mem_eq(out, img, sizeof img);
    store_free(s);
}
END_TEST

START_TEST(test_load_erased_regions_stay_sparse)
{
    static uint8_t img[64 * KB];
    memset(img, 0xFF, sizeof img);
    img[0] = 0x00;
    const char *path = put_image("erased.bin", img, sizeof img);
    store_t *s = store_new(64 * KB, 0xFF);
    size_t base = store_resident_bytes(s);
    ck_assert_int_eq(load(s, path), 0);
    ck_assert_uint_eq(store_resident_bytes(s), base + STORE_CHUNK_SIZE);
    store_free(s);
}
END_TEST

START_TEST(test_load_too_large_image)
{
    static uint8_t img[8 * KB + 1];
    memset(img, 0x11, sizeof img);
    const char *path = put_image("big.bin", img, sizeof img);
    store_t *s = store_new(8 * KB, 0xFF);
    size_t base = store_resident_bytes(s);
    expect_refused(load(s, path), path);
    ck_assert_uint_eq(store_resident_bytes(s), base); /* rejected before reading */
    store_free(s);
}
END_TEST

START_TEST(test_load_missing_file)
{
    char path[256];
    path_in_dir(path, sizeof path, "missing.bin");
    store_t *s = store_new(8 * KB, 0xFF);
    expect_refused(load(s, path), path);
    store_free(s);
}
END_TEST

START_TEST(test_load_unreadable_file)
{
    /* A directory opens for reading but every read fails (EISDIR), even as root. */
    store_t *s = store_new(8 * KB, 0xFF);
    expect_refused(load(s, test_dir), test_dir);
    store_free(s);
}
END_TEST

START_TEST(test_load_leaves_file_untouched)
{
    static uint8_t img[12 * KB];
    fill_pattern(img, sizeof img, 5);
    const char *path = put_image("orig.bin", img, sizeof img);
    store_t *s = store_new(64 * KB, 0xFF);
    ck_assert_int_eq(load(s, path), 0);
    uint8_t junk[100];
    memset(junk, 0x00, sizeof junk);
    ck_assert_int_eq(store_write(s, 10, junk, sizeof junk), 0);
    ck_assert_int_eq(store_program(s, 5000, junk, sizeof junk), 0);
    ck_assert_int_eq(store_erase(s, 8192, 4096), 0);
    store_free(s);
    size_t len;
    uint8_t *now = read_file(path, &len);
    ck_assert_uint_eq(len, sizeof img);
    ck_assert_mem_eq(now, img, sizeof img);
    free(now);
}
END_TEST

/* ---------------- image save ---------------- */

START_TEST(test_save_roundtrip)
{
    const char *path = put_image("saved.bin", "old contents", 12); /* replaced by the rename */
    store_t *s = store_new(32 * KB, 0xFF);
    static uint8_t data[10000];
    fill_pattern(data, sizeof data, 11);
    ck_assert_int_eq(store_write(s, 3000, data, sizeof data), 0);
    ck_assert_msg(save(s, path) == 0, "save failed: %s", err);
    ck_assert_int_eq(dir_entry_count(test_dir), 1); /* no temp file left */

    size_t len;
    uint8_t *file = read_file(path, &len);
    ck_assert_uint_eq(len, 32 * KB);
    ck_assert(all_bytes(file, 3000, 0xFF));
    ck_assert_mem_eq(file + 3000, data, sizeof data);
    ck_assert(all_bytes(file + 13000, 32 * KB - 13000, 0xFF));
    free(file);

    store_t *t = store_new(32 * KB, 0xFF);
    ck_assert_int_eq(load(t, path), 0);
    static uint8_t a[32 * KB], b[32 * KB];
    ck_assert_int_eq(store_read(s, 0, a, sizeof a), 0);
    ck_assert_int_eq(store_read(t, 0, b, sizeof b), 0);
    ck_assert_mem_eq(a, b, sizeof a);
    store_free(t);
    store_free(s);
}
END_TEST

START_TEST(test_save_into_missing_dir_fails)
{
    char path[256];
    path_in_dir(path, sizeof path, "nodir/saved.bin");
    store_t *s = store_new(8 * KB, 0xFF);
    expect_refused(save(s, path), path);
    ck_assert_int_eq(dir_entry_count(test_dir), 0);
    store_free(s);
}
END_TEST

START_TEST(test_save_failed_rename_removes_temp)
{
    /* Renaming a file over a non-empty directory fails after the temp file exists. */
    char path[256], inner[300];
    path_in_dir(path, sizeof path, "sub");
    ck_assert_int_eq(mkdir(path, 0700), 0);
    snprintf(inner, sizeof inner, "%s/keep", path);
    write_file(inner, "x", 1);
    store_t *s = store_new(8 * KB, 0xFF);
    expect_refused(save(s, path), path);
    ck_assert_int_eq(dir_entry_count(test_dir), 1); /* only "sub": the temp is gone */
    ck_assert_int_eq(dir_entry_count(path), 1);
    unlink(inner);
    store_free(s);
}
END_TEST

START_TEST(test_save_empty_store)
{
    char path[256];
    path_in_dir(path, sizeof path, "empty.bin");
    store_t *s = store_new(0, 0xFF);
    char err[256] = "";
    ck_assert_int_eq(store_save_image(s, path, err, sizeof err), 0);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_eq(st.st_size, 0);
    store_free(s);
}
END_TEST

/* store_limit_allocs: an allocation the limit refuses fails the call as out of memory
 * would, changes nothing (all or none of a call's chunks), and costs nothing where the
 * chunk exists already. */
START_TEST(test_limited_allocations_fail_and_change_nothing)
{
    store_t *s = store_new(64 * KB, 0x00);
    uint8_t b[8] = {1, 2, 3, 4, 5, 6, 7, 8}, got[8];
    ck_assert_int_eq(store_write(s, 0, b, 4), 0); /* chunk 0 exists from here on */
    size_t resident = store_resident_bytes(s);
    store_limit_allocs(s, 0);
    ck_assert_int_eq(store_write(s, 8 * KB, b, 8), -2);
    ck_assert_int_eq(store_program(s, 8 * KB, b, 8), -2);
    ck_assert_ptr_null(store_chunk_for_write(s, 8 * KB));
    ck_assert_uint_eq(store_resident_bytes(s), resident);
    ck_assert_int_eq(store_write(s, 4, b + 4, 4), 0); /* no new chunk needed */
    ck_assert_int_eq(store_read(s, 0, got, 8), 0);
    ck_assert_mem_eq(got, b, 8);

    store_limit_allocs(s, 1); /* a write over two new chunks needs both */
    ck_assert_int_eq(store_write(s, 12 * KB - 4, b, 8), -2);
    ck_assert_uint_eq(store_resident_bytes(s), resident);
    ck_assert_int_eq(store_read(s, 12 * KB - 4, got, 8), 0);
    ck_assert_mem_eq(got, (uint8_t[8]){0}, 8);

    store_limit_allocs(s, UINT32_MAX);
    ck_assert_int_eq(store_write(s, 12 * KB - 4, b, 8), 0);
    ck_assert_uint_eq(store_resident_bytes(s), resident + 2 * STORE_CHUNK_SIZE);
    store_free(s);
}
END_TEST

static Suite *store_suite(void)
{
    Suite *su = suite_create("store");
    TCase *mem = tcase_create("memory");
    tcase_add_test(mem, test_unwritten_reads_fill);
    tcase_add_test(mem, test_size_and_bad_size);
    tcase_add_test(mem, test_roundtrip_across_chunks);
    tcase_add_test(mem, test_write_allocates_only_touched_chunks);
    tcase_add_test(mem, test_program_ands);
    tcase_add_test(mem, test_program_cannot_set_bits);
    tcase_add_test(mem, test_erase_alignment_errors);
    tcase_add_test(mem, test_erase_range_errors);
    tcase_add_test(mem, test_erase_restores_ff_and_releases);
    tcase_add_test(mem, test_erase_with_non_ff_fill_reads_ff);
    tcase_add_test(mem, test_out_of_range_rejected);
    tcase_add_test(mem, test_wrapping_range_rejected);
    tcase_add_test(mem, test_chunk_pointers);
    tcase_add_test(mem, test_large_store_sparse);
    tcase_add_test(mem, test_limited_allocations_fail_and_change_nothing);
    suite_add_tcase(su, mem);

    TCase *files = tcase_create("files");
    tcase_add_checked_fixture(files, dir_setup, dir_teardown);
    tcase_add_test(files, test_load_shorter_image);
    tcase_add_test(files, test_load_exact_image);
    tcase_add_test(files, test_load_erased_regions_stay_sparse);
    tcase_add_test(files, test_load_too_large_image);
    tcase_add_test(files, test_load_missing_file);
    tcase_add_test(files, test_load_unreadable_file);
    tcase_add_test(files, test_load_leaves_file_untouched);
    tcase_add_test(files, test_save_roundtrip);
    tcase_add_test(files, test_save_into_missing_dir_fails);
    tcase_add_test(files, test_save_failed_rename_removes_temp);
    tcase_add_test(files, test_save_empty_store);
    suite_add_tcase(su, files);
    return su;
}

int main(void) { return mmsim_check_run(store_suite()); }
