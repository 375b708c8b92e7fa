/* test_mmsim_errors.c - the error model of the embedding API (mmsim.h, mmsim_driver.h):
 * one test per public function, feeding it each bad argument and checking the code it
 * returns (or the neutral value it documents), mmsim_last_error_code() and a piece of
 * the message of mmsim_last_error(), and that the call left its outputs and the
 * machine untouched. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "esp_mmu_map.h"
#include "hal/mmu_hal.h"
#include "mmsim.h"
#include "mmsim_driver.h"

/* ---- a failing allocator, for MMSIM_ERR_NOMEM -------------------------------------
 * This executable's malloc comes first in symbol lookup, so the library's calls reach
 * it too; it forwards to glibc's.  While `fail_mallocs` is set every malloc fails, as
 * on a host out of memory; with `fail_nth` >= 0 only that one (counting from 0) does.
 * Where something else owns malloc this cannot work, and the NOMEM tests are skipped:
 * under the sanitizers (it would bypass their allocator, so it is not even defined)
 * and under valgrind unless told --soname-synonyms=somalloc=nouserintercepts (ctest's
 * valgrind_test_mmsim_errors does: valgrind then sees the allocations through
 * __libc_malloc and checks the failure paths for leaks); malloc_injection_works finds
 * out at run time. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MMSIM_TEST_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define MMSIM_TEST_ASAN 1
#endif

static int fail_mallocs;   /* every malloc fails */
static long fail_nth = -1; /* >= 0: that many more mallocs succeed, then one fails */
static long mallocs_seen;  /* mallocs reaching this file's malloc */

#ifndef MMSIM_TEST_ASAN
extern void *__libc_malloc(size_t size);
void *malloc(size_t size)
{
    if ((fail_nth >= 0 && mallocs_seen == fail_nth) || fail_mallocs) {
        mallocs_seen++;
        errno = ENOMEM;
        return NULL;
    }
    mallocs_seen++;
    return __libc_malloc(size);
}
#endif

/* Whether the library's allocations come here: a flash write to an erased chunk
 * allocates it. */
static int malloc_injection_works(void)
{
    static int works = -1;
    if (works < 0) {
        mmsim_config_t cfg = mmsim_config_default("esp32c3");
        mmsim_t *m = NULL, *prev = mmsim_current();
        if (mmsim_open(&cfg, &m) != MMSIM_OK)
            ck_abort_msg("%s", mmsim_last_error());
        long before = mallocs_seen;
        ck_assert_int_eq(mmsim_flash_write(m, 0x100000, "\0", 1), MMSIM_OK);
        works = mallocs_seen > before;
        mmsim_close(m);
        mmsim_select(prev);
        if (!works)
            fprintf(stderr, "test_mmsim_errors: malloc is not this file's here: the NOMEM tests are skipped\n");
    }
    return works;
}

/* `call` with every malloc failing (and Check's own assertions outside it). */
static int no_memory_rc_;
#define no_memory_for(call) (fail_mallocs = 1, no_memory_rc_ = (call), fail_mallocs = 0, no_memory_rc_)

/* ---- helpers ------------------------------------------------------------------------ */

static mmsim_t *open_chip(const char *name)
{
    mmsim_config_t cfg = mmsim_config_default(name);
    mmsim_t *m = NULL;
    ck_assert_msg(mmsim_open(&cfg, &m) == MMSIM_OK, "%s", mmsim_last_error());
    return m;
}

/* The last failure has `code`, and its message holds each of the pieces given. */
static void check_last(int line, mmsim_err_t code, const char *piece1, const char *piece2)
{
    const char *msg = mmsim_last_error();
    ck_assert_msg(mmsim_last_error_code() == code, "line %d: last code %d (%s), expected %d: \"%s\"", line,
                  (int)mmsim_last_error_code(), mmsim_strerror(mmsim_last_error_code()), (int)code, msg);
    ck_assert_msg(piece1 == NULL || strstr(msg, piece1), "line %d: \"%s\" lacks \"%s\"", line, msg, piece1);
    ck_assert_msg(piece2 == NULL || strstr(msg, piece2), "line %d: \"%s\" lacks \"%s\"", line, msg, piece2);
}

/* `call` (an int-returning function) fails with `code`, and the message holds `piece`
 * and `piece2` (NULL: no check).  The error is cleared first, so a stale one cannot
 * pass for it. */
#define FAILS2(call, code, piece, piece2)                                                          \
    do {                                                                                           \
        mmsim_clear_error();                                                                       \
        int rc_ = (call);                                                                          \
        ck_assert_msg(rc_ == (code), "line %d: %s returned %d, expected %d (last error \"%s\")", \
                      __LINE__, #call, rc_, (int)(code), mmsim_last_error());                      \
        check_last(__LINE__, code, piece, piece2);                                                 \
    } while (0)
#define FAILS(call, code, piece) FAILS2(call, code, piece, NULL)

/* `expr` (a value-returning call) yields `value` and records `code` with `piece`. */
#define YIELDS(expr, eq, value, code, piece)                                                     \
    do {                                                                                         \
        mmsim_clear_error();                                                                     \
        eq((expr), (value));                                                                     \
        check_last(__LINE__, code, piece, NULL);                                                 \
    } while (0)

/* `call` succeeds and leaves the (cleared) last error alone. */
#define SUCCEEDS(call)                                                                    \
    do {                                                                                  \
        mmsim_clear_error();                                                              \
        int rc_ = (call);                                                                 \
        ck_assert_msg(rc_ == MMSIM_OK, "line %d: %s returned %d: %s", __LINE__, #call, rc_, \
                      mmsim_last_error());                                                \
        check_last(__LINE__, MMSIM_OK, NULL, NULL);                                       \
        ck_assert_str_eq(mmsim_last_error(), "");                                         \
    } while (0)

/* ---- errors themselves ----------------------------------------------------------------- */

START_TEST(strerror_names_every_code_and_leaves_the_last_error)
{
    static const mmsim_err_t codes[] = {MMSIM_OK,        MMSIM_ERR_ARG,  MMSIM_ERR_RANGE,
                                        MMSIM_ERR_NOMEM, MMSIM_ERR_CHIP, MMSIM_ERR_IO,
                                        MMSIM_ERR_BOOT,  MMSIM_ERR_UNMAPPED, MMSIM_ERR_INVARIANT,
                                        MMSIM_ERR_HOST};
    const size_t n = sizeof codes / sizeof codes[0];
    mmsim_hazard_from_name("sentinel");
    for (size_t i = 0; i < n; i++) {
        ck_assert_int_le(codes[i], 0);
        const char *s = mmsim_strerror(codes[i]);
        ck_assert_ptr_nonnull(s);
        ck_assert_str_ne(s, "");
        ck_assert_str_ne(s, "unknown error code");
        for (size_t j = 0; j < i; j++)
            ck_assert_str_ne(s, mmsim_strerror(codes[j]));
    }
    ck_assert_str_eq(mmsim_strerror(1), "unknown error code");
    ck_assert_str_eq(mmsim_strerror(-1000), "unknown error code");
    /* The last error is the one before: strerror is for printing it. */
    check_last(__LINE__, MMSIM_ERR_ARG, "sentinel", NULL);
}
END_TEST

START_TEST(last_error_is_per_failure_and_cleared_by_open_and_clear)
{
    mmsim_clear_error();
    ck_assert_str_eq(mmsim_last_error(), "");
    ck_assert_int_eq(mmsim_last_error_code(), MMSIM_OK);
    mmsim_config_t cfg = mmsim_config_default("esp9000");
    mmsim_t *m = NULL;
    FAILS(mmsim_open(&cfg, &m), MMSIM_ERR_CHIP, "esp9000");
    /* A success leaves it... */
    ck_assert_str_eq(mmsim_strerror(MMSIM_OK), "success");
    check_last(__LINE__, MMSIM_ERR_CHIP, "esp9000", NULL);
    /* ...except a successful open, which clears it. */
    cfg.chip = "esp32c3";
    ck_assert_int_eq(mmsim_open(&cfg, &m), MMSIM_OK);
    check_last(__LINE__, MMSIM_OK, NULL, NULL);
    ck_assert_str_eq(mmsim_last_error(), "");
    /* The last failure wins. */
    uint8_t b;
    mmsim_cpu_read(m, 9, 0, &b, 1);
    mmsim_flash_read(m, 0xFFFFFF00u, &b, 1);
    check_last(__LINE__, MMSIM_ERR_RANGE, "mmsim_flash_read", NULL);
    mmsim_close(m);
    mmsim_clear_error();
    ck_assert_str_eq(mmsim_last_error(), "");
    ck_assert_int_eq(mmsim_last_error_code(), MMSIM_OK);
}
END_TEST

/* ---- machines ---------------------------------------------------------------------------- */

START_TEST(config_default_never_fails)
{
    mmsim_clear_error();
    mmsim_config_t cfg = mmsim_config_default(NULL);
    ck_assert_ptr_null(cfg.chip);
    ck_assert_uint_eq(cfg.flash_size, 0);
    ck_assert_int_eq(cfg.driver, MMSIM_DRIVER_OURS);
    check_last(__LINE__, MMSIM_OK, NULL, NULL);
    mmsim_t *m = NULL;
    FAILS(mmsim_open(&cfg, &m), MMSIM_ERR_ARG, "mmsim_open: cfg->chip is NULL");
}
END_TEST

/* A flash image file of `size` bytes (sparse), in a fresh temp directory. */
static void make_image(char *dir, char *path, size_t pathlen, off_t size)
{
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, pathlen, "%s/flash.bin", dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, size), 0);
    close(fd);
}

START_TEST(open_refuses_each_bad_argument_and_leaves_out_and_current_alone)
{
    mmsim_t *before = open_chip("esp32c6"); /* current from here on */
    mmsim_t *sentinel = (mmsim_t *)&sentinel, *m = sentinel;
    mmsim_config_t cfg = mmsim_config_default("esp32s3");

    FAILS(mmsim_open(NULL, &m), MMSIM_ERR_ARG, "mmsim_open: cfg is NULL");
    FAILS(mmsim_open(&cfg, NULL), MMSIM_ERR_ARG, "mmsim_open: out is NULL");
    cfg.chip = NULL;
    FAILS(mmsim_open(&cfg, &m), MMSIM_ERR_ARG, "cfg->chip is NULL");

    cfg = mmsim_config_default("esp32s3");
    cfg.nsets = 17;
    const char *sets[17] = {0};
    cfg.sets = sets;
    FAILS(mmsim_open(&cfg, &m), MMSIM_ERR_ARG, "at most 16");
    cfg.nsets = 1;
    cfg.sets = NULL;
    FAILS(mmsim_open(&cfg, &m), MMSIM_ERR_ARG, "cfg->sets must hold nsets");
    cfg.sets = sets; /* sets[0] is NULL */
    FAILS(mmsim_open(&cfg, &m), MMSIM_ERR_ARG, "cfg->sets[0] is NULL");

    cfg = mmsim_config_default("esp32s3");
    cfg.driver = 2;
    FAILS(mmsim_open(&cfg, &m), MMSIM_ERR_ARG, "cfg->driver 2");
    cfg.driver = -1;
    FAILS(mmsim_open(&cfg, &m), MMSIM_ERR_ARG, "cfg->driver -1");

    /* The chip definition and its overrides: MMSIM_ERR_CHIP. */
    cfg = mmsim_config_default("esp9000");
    FAILS2(mmsim_open(&cfg, &m), MMSIM_ERR_CHIP, "unknown chip 'esp9000'", "esp32s3");
    cfg.chip = "/nonexistent/chip.yaml";
    FAILS(mmsim_open(&cfg, &m), MMSIM_ERR_CHIP, "/nonexistent/chip.yaml");
    cfg = mmsim_config_default("esp32s3");
    const char *bad_size[] = {"psram_size=banana"};
    cfg.sets = bad_size;
    cfg.nsets = 1;
    FAILS(mmsim_open(&cfg, &m), MMSIM_ERR_CHIP, "psram_size");
    const char *bad_key[] = {"no_such_key=1"};
    cfg.sets = bad_key;
    FAILS(mmsim_open(&cfg, &m), MMSIM_ERR_CHIP, "no_such_key");
    cfg = mmsim_config_default("esp32s3");
    cfg.idf_version = "v0.0.0-not-a-release";
    FAILS(mmsim_open(&cfg, &m), MMSIM_ERR_CHIP, "v0.0.0-not-a-release");

    /* The flash image: MMSIM_ERR_IO, naming the file. */
    cfg = mmsim_config_default("esp32s3");
    cfg.flash_image = "/nonexistent/image.bin";
    FAILS2(mmsim_open(&cfg, &m), MMSIM_ERR_IO, "/nonexistent/image.bin", "No such file");
    char dir[] = "/tmp/mmsim-errors-XXXXXX", img[64];
    make_image(dir, img, sizeof img, (1 << 20) + 1);
    cfg.flash_image = img;
    cfg.flash_size = 1u << 20;
    FAILS2(mmsim_open(&cfg, &m), MMSIM_ERR_IO, img, "larger than the 1048576-byte store");
    unlink(img);
    rmdir(dir);

    /* The start-up: MMSIM_ERR_BOOT. */
    cfg = mmsim_config_default("esp32s3");
    cfg.flash_size = 1u << 20;
    cfg.app_irom_size = 2u << 20;
    FAILS2(mmsim_open(&cfg, &m), MMSIM_ERR_BOOT, "esp32s3", "does not fit");
    if (!mmsim_idf_release()) {
        cfg = mmsim_config_default("esp32s3");
        cfg.driver = MMSIM_DRIVER_IDF;
        FAILS(mmsim_open(&cfg, &m), MMSIM_ERR_BOOT, "built without an ESP-IDF checkout");
    } else {
        /* No driver library is built with CONFIG_PARTITION_TABLE_MD5 off (partition.c
         * tests it in #if): the open names the one it looked for. */
        cfg = mmsim_config_default("esp32c3");
        cfg.driver = MMSIM_DRIVER_IDF;
        cfg.partition_table_no_md5 = true;
        FAILS(mmsim_open(&cfg, &m), MMSIM_ERR_BOOT, "libmmsim_idf_esp32c3_nomd5.so");
    }

    ck_assert_ptr_eq(m, sentinel);
    ck_assert_ptr_eq(mmsim_current(), before);
    mmsim_close(before);
}
END_TEST

/* Each allocation of an open fails in turn: every open that fails says NOMEM, leaves
 * *out alone and the current machine as it was. */
START_TEST(open_out_of_memory_is_nomem)
{
    if (!malloc_injection_works())
        return;
    mmsim_config_t cfg = mmsim_config_default("esp32s3");
    int failed = 0;
    for (long k = 0;; k++) {
        mmsim_t *m = NULL;
        mmsim_clear_error();
        mallocs_seen = 0;
        fail_nth = k;
        int rc = mmsim_open(&cfg, &m);
        fail_nth = -1;
        if (rc == MMSIM_OK) {
            mmsim_close(m);
            if (mallocs_seen <= k) /* no allocation was refused: every one has been */
                break;
            continue; /* the failure was absorbed (a fallback): fine */
        }
        failed++;
        ck_assert_ptr_null(m);
        ck_assert_ptr_null(mmsim_current());
        ck_assert_msg(rc == MMSIM_ERR_NOMEM, "malloc %ld failing: %d %s", k, rc, mmsim_last_error());
        check_last(__LINE__, MMSIM_ERR_NOMEM, NULL, NULL);
        ck_assert_str_ne(mmsim_last_error(), "");
    }
    ck_assert_int_gt(failed, 0);
}
END_TEST

START_TEST(close_and_select_never_fail)
{
    mmsim_hazard_from_name("sentinel");
    mmsim_close(NULL); /* as free(NULL): no error */
    ck_assert_ptr_null(mmsim_select(NULL));
    ck_assert_ptr_null(mmsim_current());
    check_last(__LINE__, MMSIM_ERR_ARG, "sentinel", NULL);
    mmsim_t *m = open_chip("esp32c3");
    ck_assert_ptr_eq(mmsim_select(NULL), m);
    ck_assert_ptr_null(mmsim_select(m));
    mmsim_close(m);
    ck_assert_ptr_null(mmsim_current());
    check_last(__LINE__, MMSIM_OK, NULL, NULL);
}
END_TEST

START_TEST(chip_getters_with_no_machine)
{
    YIELDS(mmsim_chip_name(NULL), ck_assert_str_eq, "", MMSIM_ERR_ARG, "mmsim_chip_name: machine is NULL");
    YIELDS(mmsim_cores(NULL), ck_assert_uint_eq, 0, MMSIM_ERR_ARG, "mmsim_cores: machine is NULL");
    YIELDS(mmsim_cpu_mhz(NULL), ck_assert_uint_eq, 0, MMSIM_ERR_ARG, "mmsim_cpu_mhz: machine is NULL");
    YIELDS(mmsim_page_size(NULL), ck_assert_uint_eq, 0, MMSIM_ERR_ARG, "mmsim_page_size: machine is NULL");
    YIELDS(mmsim_boot_log(NULL), ck_assert_str_eq, "", MMSIM_ERR_ARG, "mmsim_boot_log: machine is NULL");
    YIELDS(mmsim_resident_bytes(NULL), ck_assert_uint_eq, 0, MMSIM_ERR_ARG,
           "mmsim_resident_bytes: machine is NULL");
    YIELDS(mmsim_cache_count(NULL), ck_assert_uint_eq, 0, MMSIM_ERR_ARG, "mmsim_cache_count: machine is NULL");
    YIELDS(mmsim_mmu_count(NULL), ck_assert_uint_eq, 0, MMSIM_ERR_ARG, "mmsim_mmu_count: machine is NULL");
    YIELDS(mmsim_driver(NULL), ck_assert_ptr_eq, NULL, MMSIM_ERR_ARG, "mmsim_driver: machine is NULL");
    /* With a machine they answer and record nothing. */
    mmsim_t *m = open_chip("esp32s3");
    mmsim_clear_error();
    ck_assert_str_eq(mmsim_chip_name(m), "esp32s3");
    ck_assert_uint_eq(mmsim_cores(m), 2);
    ck_assert_uint_gt(mmsim_cpu_mhz(m), 0);
    ck_assert_uint_gt(mmsim_page_size(m), 0);
    ck_assert_ptr_nonnull(mmsim_boot_log(m));
    ck_assert_uint_gt(mmsim_resident_bytes(m), 0);
    ck_assert_uint_gt(mmsim_cache_count(m), 0);
    ck_assert_uint_gt(mmsim_mmu_count(m), 0);
    ck_assert_ptr_nonnull(mmsim_driver(m));
    check_last(__LINE__, MMSIM_OK, NULL, NULL);
    mmsim_close(m);
}
END_TEST

START_TEST(idf_release_never_fails)
{
    mmsim_clear_error();
    const char *r = mmsim_idf_release();
    ck_assert(r == NULL || r[0] == 'v');
    check_last(__LINE__, MMSIM_OK, NULL, NULL);
    /* Every checkout since v5.1 has ESP32 and ESP32-S3; no prefix, suffix or empty
     * name matches a port, and nothing matches without a checkout. */
    ck_assert(mmsim_idf_has_chip("esp32s3") == (r != NULL));
    ck_assert(mmsim_idf_has_chip("esp32") == (r != NULL));
    ck_assert(!mmsim_idf_has_chip("esp32s"));
    ck_assert(!mmsim_idf_has_chip("sp32s3"));
    ck_assert(!mmsim_idf_has_chip("esp32s3,esp32"));
    ck_assert(!mmsim_idf_has_chip(""));
    ck_assert(!mmsim_idf_has_chip(NULL));
    check_last(__LINE__, MMSIM_OK, NULL, NULL);
}
END_TEST

START_TEST(check_invariants_reports_the_rule_broken)
{
    char why[256] = "untouched";
    FAILS(mmsim_check_invariants(NULL, why, sizeof why), MMSIM_ERR_ARG, "mmsim_check_invariants: machine is NULL");
    ck_assert_str_eq(why, mmsim_last_error());
    FAILS(mmsim_check_invariants(NULL, NULL, 0), MMSIM_ERR_ARG, "machine is NULL");

    mmsim_t *m = open_chip("esp32c6");
    SUCCEEDS(mmsim_check_invariants(m, why, sizeof why));
    ck_assert_str_eq(why, "");
    SUCCEEDS(mmsim_check_invariants(m, NULL, 0));
    void *p = NULL;
    ck_assert_int_eq(esp_mmu_map(0x200000, 0x20000, MMU_TARGET_FLASH0, MMU_MEM_CAP_READ, 0, &p), ESP_OK);
    uint32_t page = mmsim_page_size(m);
    mmu_hal_unmap_region(0, (uint32_t)(uintptr_t)p + page, page); /* behind the driver's back */
    FAILS2(mmsim_check_invariants(m, why, sizeof why), MMSIM_ERR_INVARIANT, "mmsim_check_invariants: ",
           "but is invalid");
    ck_assert_ptr_nonnull(strstr(mmsim_last_error(), why));
    FAILS(mmsim_check_invariants(m, NULL, 0), MMSIM_ERR_INVARIANT, "but is invalid");
    uint32_t len = 0;
    mmu_hal_map_region(0, MMU_TARGET_FLASH0, (uint32_t)(uintptr_t)p + page, 0x200000 + page, page, &len);
    SUCCEEDS(mmsim_check_invariants(m, why, sizeof why));
    ck_assert_int_eq(esp_mmu_unmap(p), ESP_OK);
    mmsim_close(m);
}
END_TEST

/* ---- access paths -------------------------------------------------------------------------- */

typedef int (*cpu_load_fn)(mmsim_t *, uint32_t, uint32_t, void *, size_t);

/* The checks of a CPU access: each bad argument is refused with nothing read, written,
 * charged or recorded; len 0 is a no-op anywhere (also with a NULL buffer). */
static void check_cpu_access(const char *name, cpu_load_fn load, int is_write)
{
    mmsim_t *m = open_chip("esp32c3"); /* one core */
    uint8_t buf[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    const uint8_t keep[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    uint64_t cycles = mmsim_cycles(m, 0);
    const uint32_t v = 0x3C000000;

    FAILS2(load(NULL, 0, v, buf, 4), MMSIM_ERR_ARG, name, "machine is NULL");
    FAILS2(load(m, 1, v, buf, 4), MMSIM_ERR_ARG, name, "core 1 does not exist (esp32c3 has 1)");
    FAILS2(load(m, UINT32_MAX, v, buf, 4), MMSIM_ERR_ARG, name, "core 4294967295");
    FAILS2(load(m, 0, v, NULL, 4), MMSIM_ERR_ARG, name, "buffer is NULL");
    FAILS2(load(m, 0, 0xFFFFFFFCu, buf, 8), MMSIM_ERR_RANGE, name, "0xfffffffc+8 runs past the 32-bit");
    FAILS2(load(m, 0, 0xFFFFFFFFu, buf, 2), MMSIM_ERR_RANGE, name, "runs past");
    if (sizeof(size_t) > 4)
        FAILS2(load(m, 0, 0, buf, (size_t)UINT32_MAX + 1u), MMSIM_ERR_RANGE, name, "runs past");
    ck_assert_mem_eq(buf, keep, sizeof buf);
    ck_assert_uint_eq(mmsim_cycles(m, 0), cycles);
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);

    /* len 0: nothing to do, at any address, with or without a buffer. */
    SUCCEEDS(load(m, 0, v, NULL, 0));
    SUCCEEDS(load(m, 0, 0xFFFFFFFFu, buf, 0));
    SUCCEEDS(load(m, 0, 0x10, NULL, 0)); /* outside every window: no hazard for no bytes */
    /* The top of the address space is reachable. */
    SUCCEEDS(load(m, 0, 0xFFFFFFFCu, buf, 4));
    mmsim_hazard_clear(m);
    if (!is_write)
        ck_assert_mem_ne(buf, keep, 4);
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
    mmsim_close(m);
}

static int cpu_write_as_load(mmsim_t *m, uint32_t core, uint32_t vaddr, void *buf, size_t len)
{
    return mmsim_cpu_write(m, core, vaddr, buf, len);
}

START_TEST(cpu_read_arguments) { check_cpu_access("mmsim_cpu_read", mmsim_cpu_read, 0); }
END_TEST

START_TEST(cpu_write_arguments) { check_cpu_access("mmsim_cpu_write", cpu_write_as_load, 1); }
END_TEST

START_TEST(cpu_fetch_arguments) { check_cpu_access("mmsim_cpu_fetch", mmsim_cpu_fetch, 0); }
END_TEST

/* A dirty PSRAM line evicted when the host has no memory for its backing chunk.  The
 * write-back path of the model reports the failed allocation as MMSIM_ERR_NOMEM; where
 * it is not reported yet (the model dropping it), the access must still succeed
 * cleanly.  Either way nothing crashes and the error, if any, says what happened. */
START_TEST(cpu_access_out_of_memory_is_nomem)
{
    if (!malloc_injection_works())
        return;
    mmsim_t *m = open_chip("esp32s3");
    uint32_t len = 0, v = 0x3C100000;
    mmu_hal_map_region(0, MMU_TARGET_PSRAM0, v, 0x300000, 0x10000, &len);
    ck_assert_uint_eq(len, 0x10000);
    uint32_t dc = UINT32_MAX;
    mmsim_cache_info_t info;
    for (uint32_t i = 0; i < mmsim_cache_count(m); i++)
        if (mmsim_cache_info(m, i, &info) == MMSIM_OK && info.kind == 2)
            dc = i;
    ck_assert_uint_ne(dc, UINT32_MAX);
    ck_assert_int_eq(mmsim_cache_info(m, dc, &info), MMSIM_OK);
    ck_assert(info.write_back);
    uint32_t stride = info.sets * info.line_size;
    ck_assert_uint_le((info.ways + 1) * stride, 0x10000);
    uint8_t b = 0x5A;
    ck_assert_int_eq(mmsim_cpu_write(m, 0, v, &b, 1), MMSIM_OK); /* a dirty line, its chunk never allocated */
    mmsim_cache_stats_t before, after;
    ck_assert_int_eq(mmsim_cache_stats(m, dc, 0, &before), MMSIM_OK);
    int rc = MMSIM_OK;
    mmsim_clear_error();
    fail_mallocs = 1;
    for (uint32_t w = 1; w <= info.ways && rc == MMSIM_OK; w++) /* the same set: the dirty line goes */
        rc = mmsim_cpu_read(m, 0, v + w * stride, &b, 1);
    fail_mallocs = 0;
    /* The write-back could not allocate the chunk: the line stays dirty, uncounted,
     * and the read that needed its way fails with the model's own account. */
    ck_assert_int_eq(mmsim_cache_stats(m, dc, 0, &after), MMSIM_OK);
    ck_assert_uint_eq(after.writebacks, before.writebacks);
    ck_assert_int_eq(rc, MMSIM_ERR_NOMEM);
    check_last(__LINE__, MMSIM_ERR_NOMEM, "mmsim_cpu_read: cpu read: out of host memory writing back", NULL);
    mmsim_hazard_clear(m);
    mmu_hal_unmap_region(0, v, 0x10000);
    mmsim_close(m);
}
END_TEST

/* Flash read, write and erase: NULL machine and buffer, ranges outside the flash or
 * past 4 GB; nothing changes on failure. */
START_TEST(flash_read_arguments)
{
    mmsim_t *m = open_chip("esp32c3"); /* 4 MB flash */
    const uint32_t end = 4u << 20;
    uint8_t buf[4] = {9, 9, 9, 9};
    FAILS(mmsim_flash_read(NULL, 0, buf, 4), MMSIM_ERR_ARG, "mmsim_flash_read: machine is NULL");
    FAILS(mmsim_flash_read(m, 0, NULL, 4), MMSIM_ERR_ARG, "mmsim_flash_read: buffer is NULL");
    FAILS2(mmsim_flash_read(m, end, buf, 1), MMSIM_ERR_RANGE, "mmsim_flash_read: 0x00400000+1",
           "outside the 4194304-byte flash");
    FAILS(mmsim_flash_read(m, end - 2, buf, 4), MMSIM_ERR_RANGE, "0x003ffffe+4 is outside");
    FAILS(mmsim_flash_read(m, 0xFFFFFFFEu, buf, 4), MMSIM_ERR_RANGE, "runs past the 32-bit address space");
    FAILS(mmsim_flash_read(m, end + 1, NULL, 0), MMSIM_ERR_RANGE, "outside");
    ck_assert_uint_eq(buf[0], 9);
    ck_assert_uint_eq(mmsim_cycles(m, 0), 0);
    SUCCEEDS(mmsim_flash_read(m, end, NULL, 0));
    SUCCEEDS(mmsim_flash_read(m, end - 4, buf, 4));
    mmsim_close(m);
}
END_TEST

START_TEST(flash_write_arguments)
{
    mmsim_t *m = open_chip("esp32c3");
    const uint32_t end = 4u << 20;
    uint8_t zero[4] = {0}, got[4];
    size_t resident = mmsim_resident_bytes(m);
    FAILS(mmsim_flash_write(NULL, 0, zero, 4), MMSIM_ERR_ARG, "mmsim_flash_write: machine is NULL");
    FAILS(mmsim_flash_write(m, 0x1000, NULL, 4), MMSIM_ERR_ARG, "mmsim_flash_write: buffer is NULL");
    FAILS2(mmsim_flash_write(m, end - 2, zero, 4), MMSIM_ERR_RANGE, "mmsim_flash_write: 0x003ffffe+4",
           "outside the 4194304-byte flash");
    FAILS(mmsim_flash_write(m, 0xFFFFFFFFu, zero, 2), MMSIM_ERR_RANGE, "runs past");
    ck_assert_uint_eq(mmsim_resident_bytes(m), resident);
    ck_assert_uint_eq(mmsim_cycles(m, 0), 0);
    ck_assert_int_eq(mmsim_flash_read(m, end - 4, got, 4), MMSIM_OK);
    ck_assert_uint_eq(got[3], 0xFF);
    SUCCEEDS(mmsim_flash_write(m, end, NULL, 0));
    if (malloc_injection_works()) {
    FAILS2(no_memory_for(mmsim_flash_write(m, 0x200000, zero, 4)), MMSIM_ERR_NOMEM,
           "mmsim_flash_write: spi1 write: out of host memory", "programming flash 0x00200000+4");
    ck_assert_uint_eq(mmsim_resident_bytes(m), resident);
    ck_assert_int_eq(mmsim_flash_read(m, 0x200000, got, 4), MMSIM_OK);
    ck_assert_uint_eq(got[0], 0xFF); /* nothing programmed */
    }
    SUCCEEDS(mmsim_flash_write(m, 0x200000, zero, 4));
    mmsim_close(m);
}
END_TEST

START_TEST(flash_erase_arguments)
{
    mmsim_t *m = open_chip("esp32c3");
    const uint32_t end = 4u << 20;
    ck_assert_int_eq(mmsim_flash_write(m, 0x1000, "\0", 1), MMSIM_OK);
    FAILS(mmsim_flash_erase(NULL, 0, 4096), MMSIM_ERR_ARG, "mmsim_flash_erase: machine is NULL");
    FAILS2(mmsim_flash_erase(m, 0x800, 4096), MMSIM_ERR_RANGE, "mmsim_flash_erase: 0x00000800+4096",
           "not aligned to 4 KB sectors");
    FAILS(mmsim_flash_erase(m, 0x1000, 100), MMSIM_ERR_RANGE, "not aligned");
    FAILS(mmsim_flash_erase(m, 0x800, 0), MMSIM_ERR_RANGE, "not aligned");
    FAILS(mmsim_flash_erase(m, end, 4096), MMSIM_ERR_RANGE, "outside the 4194304-byte flash");
    FAILS(mmsim_flash_erase(m, 0xFFFFF000u, 0x2000), MMSIM_ERR_RANGE, "runs past");
    uint8_t b = 1;
    ck_assert_int_eq(mmsim_flash_read(m, 0x1000, &b, 1), MMSIM_OK);
    ck_assert_uint_eq(b, 0); /* not erased */
    SUCCEEDS(mmsim_flash_erase(m, end, 0));
    SUCCEEDS(mmsim_flash_erase(m, 0x1000, 4096));
    mmsim_close(m);
}
END_TEST

START_TEST(flash_save_arguments)
{
    mmsim_t *m = open_chip("esp32c3");
    FAILS(mmsim_flash_save(NULL, "/tmp/x.bin"), MMSIM_ERR_ARG, "mmsim_flash_save: machine is NULL");
    FAILS(mmsim_flash_save(m, NULL), MMSIM_ERR_ARG, "mmsim_flash_save: path is NULL");
    FAILS2(mmsim_flash_save(m, "/nonexistent/dir/flash.bin"), MMSIM_ERR_IO, "/nonexistent/dir/flash.bin",
           "create failed");
    char dir[] = "/tmp/mmsim-errors-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    FAILS2(mmsim_flash_save(m, dir), MMSIM_ERR_IO, dir, "failed"); /* a directory is in the way */
    rmdir(dir);
    mmsim_close(m);
}
END_TEST

/* DMA: as flash, plus the target. */
static void check_dma(const char *name, int is_write)
{
    mmsim_t *m = open_chip("esp32c3"), *s3 = open_chip("esp32s3");
    uint8_t buf[4] = {0};
    size_t resident = mmsim_resident_bytes(s3);
#define DMA(mm, t, a, b, n) \
    (is_write ? mmsim_dma_write(mm, t, a, b, n) : mmsim_dma_read(mm, t, a, b, n))
    FAILS2(DMA(NULL, MMSIM_TARGET_FLASH, 0, buf, 4), MMSIM_ERR_ARG, name, "machine is NULL");
    FAILS2(DMA(m, MMSIM_TARGET_FLASH, 0, NULL, 4), MMSIM_ERR_ARG, name, "buffer is NULL");
    FAILS2(DMA(m, 0, 0, buf, 4), MMSIM_ERR_ARG, name, "target 0 is not MMSIM_TARGET_FLASH, _PSRAM or _INTERNAL");
    FAILS2(DMA(m, 3, 0, buf, 4), MMSIM_ERR_ARG, name, "target 3 is not MMSIM_TARGET_FLASH");
    FAILS2(DMA(m, 7, 0, buf, 4), MMSIM_ERR_ARG, name, "target 7 is not MMSIM_TARGET_FLASH");
    FAILS2(DMA(m, MMSIM_TARGET_PSRAM, 0, buf, 4), MMSIM_ERR_ARG, name, "esp32c3 has no PSRAM");
    FAILS2(DMA(m, MMSIM_TARGET_FLASH, 4u << 20, buf, 4), MMSIM_ERR_RANGE, name, "outside the 4194304-byte flash");
    FAILS2(DMA(m, MMSIM_TARGET_FLASH, 0xFFFFFFFFu, buf, 4), MMSIM_ERR_RANGE, name, "runs past");
    /* The PSRAM of a chip that has it. */
    FAILS2(DMA(s3, MMSIM_TARGET_PSRAM, 0xFFFFFFF0u, buf, 4), MMSIM_ERR_RANGE, name, "PSRAM");
    /* Internal RAM by its chip address: below and past its end. */
    FAILS2(DMA(s3, MMSIM_TARGET_INTERNAL, 0x3FC87FFCu, buf, 4), MMSIM_ERR_RANGE, name,
           "outside the 491520-byte internal RAM at 0x3fc88000");
    FAILS2(DMA(s3, MMSIM_TARGET_INTERNAL, 0x3FCFFFFEu, buf, 4), MMSIM_ERR_RANGE, name, "internal RAM");
    ck_assert_uint_eq(mmsim_hazard_count(s3), 0);
    ck_assert_uint_eq(mmsim_resident_bytes(s3), resident);
    SUCCEEDS(DMA(m, MMSIM_TARGET_FLASH, 4u << 20, NULL, 0));
    SUCCEEDS(DMA(s3, MMSIM_TARGET_PSRAM, 0, buf, 4));
    SUCCEEDS(DMA(s3, MMSIM_TARGET_INTERNAL, 0x3FCFFFFCu, buf, 4));
#undef DMA
    mmsim_close(s3);
    mmsim_close(m);
}

START_TEST(dma_read_arguments) { check_dma("mmsim_dma_read", 0); }
END_TEST

START_TEST(internal_ram_arguments)
{
    uint32_t vaddr = 1, size = 1;
    FAILS2(mmsim_internal_ram(NULL, &vaddr, &size), MMSIM_ERR_ARG, "mmsim_internal_ram", "machine is NULL");
    ck_assert_uint_eq(vaddr, 0);
    ck_assert_uint_eq(size, 0);
    mmsim_t *m = open_chip("esp32p4");
    SUCCEEDS(mmsim_internal_ram(m, &vaddr, &size));
    ck_assert_uint_eq(vaddr, 0x4FF00000u); /* SOC_DMA_LOW..SOC_DMA_HIGH */
    ck_assert_uint_eq(size, 0xC0000u);
    SUCCEEDS(mmsim_internal_ram(m, NULL, NULL));
    mmsim_close(m);
}
END_TEST

START_TEST(dma_write_arguments)
{
    check_dma("mmsim_dma_write", 1);
    if (!malloc_injection_works())
        return;
    mmsim_t *m = open_chip("esp32s3");
    size_t resident = mmsim_resident_bytes(m);
    uint8_t buf[4] = {1, 2, 3, 4};
    FAILS2(no_memory_for(mmsim_dma_write(m, MMSIM_TARGET_PSRAM, 0x400000, buf, 4)), MMSIM_ERR_NOMEM,
           "mmsim_dma_write: dma write: out of host memory", "writing psram 0x00400000+4");
    FAILS(no_memory_for(mmsim_dma_write(m, MMSIM_TARGET_FLASH, 0x300000, buf, 4)), MMSIM_ERR_NOMEM,
          "mmsim_dma_write: dma write: out of host memory");
    ck_assert_uint_eq(mmsim_resident_bytes(m), resident);
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
    mmsim_close(m);
}
END_TEST

/* ---- time ------------------------------------------------------------------------------------ */

START_TEST(set_driver_core_arguments)
{
    FAILS(mmsim_set_driver_core(NULL, 0), MMSIM_ERR_ARG, "mmsim_set_driver_core: machine is NULL");
    mmsim_t *m = open_chip("esp32s3");
    FAILS(mmsim_set_driver_core(m, 2), MMSIM_ERR_ARG, "mmsim_set_driver_core: core 2 does not exist (esp32s3 has 2)");
    /* Still core 0: SPI1 work is charged there. */
    uint8_t b;
    ck_assert_int_eq(mmsim_flash_read(m, 0, &b, 1), MMSIM_OK);
    ck_assert_uint_gt(mmsim_cycles(m, 0), 0);
    ck_assert_uint_eq(mmsim_cycles(m, 1), 0);
    SUCCEEDS(mmsim_set_driver_core(m, 1));
    mmsim_close(m);
}
END_TEST

START_TEST(cycles_arguments)
{
    YIELDS(mmsim_cycles(NULL, 0), ck_assert_uint_eq, 0, MMSIM_ERR_ARG, "mmsim_cycles: machine is NULL");
    mmsim_t *m = open_chip("esp32c3");
    uint8_t b;
    ck_assert_int_eq(mmsim_flash_read(m, 0, &b, 1), MMSIM_OK);
    YIELDS(mmsim_cycles(m, 1), ck_assert_uint_eq, 0, MMSIM_ERR_ARG, "mmsim_cycles: core 1 does not exist");
    mmsim_clear_error();
    ck_assert_uint_gt(mmsim_cycles(m, 0), 0);
    check_last(__LINE__, MMSIM_OK, NULL, NULL);
    mmsim_close(m);
}
END_TEST

START_TEST(time_ns_arguments)
{
    YIELDS(mmsim_time_ns(NULL, 0), ck_assert_uint_eq, 0, MMSIM_ERR_ARG, "mmsim_time_ns: machine is NULL");
    mmsim_t *m = open_chip("esp32c3");
    uint8_t b;
    ck_assert_int_eq(mmsim_flash_read(m, 0, &b, 1), MMSIM_OK);
    YIELDS(mmsim_time_ns(m, 5), ck_assert_uint_eq, 0, MMSIM_ERR_ARG, "mmsim_time_ns: core 5 does not exist");
    mmsim_clear_error();
    ck_assert_uint_gt(mmsim_time_ns(m, 0), 0);
    check_last(__LINE__, MMSIM_OK, NULL, NULL);
    mmsim_close(m);
}
END_TEST

/* ---- hazards ------------------------------------------------------------------------------------ */

START_TEST(hazard_name_arguments)
{
    YIELDS(mmsim_hazard_name(MMSIM_HAZARD_KIND_COUNT), ck_assert_str_eq, "unknown", MMSIM_ERR_ARG,
           "mmsim_hazard_name: kind 17 is not a hazard kind");
    YIELDS(mmsim_hazard_name((mmsim_hazard_kind_t)-1), ck_assert_str_eq, "unknown", MMSIM_ERR_ARG, "kind -1");
    mmsim_clear_error();
    ck_assert_str_eq(mmsim_hazard_name(MMSIM_HAZARD_STALE_READ), "stale_read");
    check_last(__LINE__, MMSIM_OK, NULL, NULL);
}
END_TEST

START_TEST(hazard_from_name_arguments)
{
    FAILS(mmsim_hazard_from_name(NULL), MMSIM_ERR_ARG, "mmsim_hazard_from_name: name is NULL");
    FAILS(mmsim_hazard_from_name("nope"), MMSIM_ERR_ARG, "'nope' is not a hazard kind");
    FAILS(mmsim_hazard_from_name(""), MMSIM_ERR_ARG, "'' is not a hazard kind");
    FAILS(mmsim_hazard_from_name("STALE_READ"), MMSIM_ERR_ARG, "'STALE_READ'");
    mmsim_clear_error();
    ck_assert_int_eq(mmsim_hazard_from_name("abort"), MMSIM_HAZARD_ABORT);
    check_last(__LINE__, MMSIM_OK, NULL, NULL);
}
END_TEST

START_TEST(hazard_count_arguments)
{
    YIELDS(mmsim_hazard_count(NULL), ck_assert_uint_eq, 0, MMSIM_ERR_ARG, "mmsim_hazard_count: machine is NULL");
}
END_TEST

START_TEST(hazard_count_kind_arguments)
{
    YIELDS(mmsim_hazard_count_kind(NULL, MMSIM_HAZARD_ABORT), ck_assert_uint_eq, 0, MMSIM_ERR_ARG,
           "mmsim_hazard_count_kind: machine is NULL");
    mmsim_t *m = open_chip("esp32s3");
    uint32_t v;
    ck_assert_int_eq(mmsim_cpu_read(m, 0, 0x3D000000, &v, 4), MMSIM_OK); /* one unmapped_access */
    YIELDS(mmsim_hazard_count_kind(m, MMSIM_HAZARD_KIND_COUNT), ck_assert_uint_eq, 0, MMSIM_ERR_ARG,
           "mmsim_hazard_count_kind: kind 17 is not a hazard kind (0..16)");
    YIELDS(mmsim_hazard_count_kind(m, (mmsim_hazard_kind_t)-3), ck_assert_uint_eq, 0, MMSIM_ERR_ARG, "kind -3");
    mmsim_clear_error();
    ck_assert_uint_eq(mmsim_hazard_count_kind(m, MMSIM_HAZARD_UNMAPPED_ACCESS), 1);
    check_last(__LINE__, MMSIM_OK, NULL, NULL);
    mmsim_close(m);
}
END_TEST

START_TEST(hazard_get_arguments)
{
    YIELDS(mmsim_hazard_get(NULL, 0), ck_assert_ptr_eq, NULL, MMSIM_ERR_ARG, "mmsim_hazard_get: machine is NULL");
    mmsim_t *m = open_chip("esp32s3");
    YIELDS(mmsim_hazard_get(m, 0), ck_assert_ptr_eq, NULL, MMSIM_ERR_ARG, "mmsim_hazard_get: no record 0 (0 kept)");
    uint32_t v;
    ck_assert_int_eq(mmsim_cpu_read(m, 0, 0x3D000000, &v, 4), MMSIM_OK);
    YIELDS(mmsim_hazard_get(m, 1), ck_assert_ptr_eq, NULL, MMSIM_ERR_ARG, "no record 1 (1 kept)");
    YIELDS(mmsim_hazard_get(m, SIZE_MAX), ck_assert_ptr_eq, NULL, MMSIM_ERR_ARG, "no record");
    mmsim_clear_error();
    ck_assert_ptr_nonnull(mmsim_hazard_get(m, 0));
    check_last(__LINE__, MMSIM_OK, NULL, NULL);
    mmsim_close(m);
}
END_TEST

START_TEST(hazard_clear_arguments)
{
    mmsim_clear_error();
    mmsim_hazard_clear(NULL);
    check_last(__LINE__, MMSIM_ERR_ARG, "mmsim_hazard_clear: machine is NULL", NULL);
}
END_TEST

START_TEST(hazard_format_arguments)
{
    char buf[64] = "untouched";
    YIELDS(mmsim_hazard_format(NULL, buf, sizeof buf), ck_assert_ptr_eq, buf, MMSIM_ERR_ARG,
           "mmsim_hazard_format: h is NULL");
    ck_assert_str_eq(buf, "");
    mmsim_t *m = open_chip("esp32s3");
    uint32_t v;
    ck_assert_int_eq(mmsim_cpu_read(m, 0, 0x3D000000, &v, 4), MMSIM_OK);
    const mmsim_hazard_t *h = mmsim_hazard_get(m, 0);
    YIELDS(mmsim_hazard_format(h, NULL, 10), ck_assert_ptr_eq, NULL, MMSIM_ERR_ARG,
           "mmsim_hazard_format: buf is NULL (size 10)");
    /* size 0 writes nothing and is no error, as with snprintf. */
    mmsim_clear_error();
    ck_assert_ptr_null(mmsim_hazard_format(h, NULL, 0));
    strcpy(buf, "untouched");
    ck_assert_ptr_eq(mmsim_hazard_format(h, buf, 0), buf);
    ck_assert_str_eq(buf, "untouched");
    ck_assert_ptr_eq(mmsim_hazard_format(h, buf, 8), buf);
    ck_assert_uint_eq(strlen(buf), 7);
    check_last(__LINE__, MMSIM_OK, NULL, NULL);
    mmsim_close(m);
}
END_TEST

START_TEST(set_step_arguments)
{
    mmsim_clear_error();
    mmsim_set_step(NULL, 3);
    check_last(__LINE__, MMSIM_ERR_ARG, "mmsim_set_step: machine is NULL", NULL);
}
END_TEST

/* ---- inspection ---------------------------------------------------------------------------------- */

START_TEST(cache_info_arguments)
{
    mmsim_cache_info_t info, keep;
    memset(&keep, 0xA5, sizeof keep);
    info = keep;
    FAILS(mmsim_cache_info(NULL, 0, &info), MMSIM_ERR_ARG, "mmsim_cache_info: machine is NULL");
    mmsim_t *m = open_chip("esp32s3");
    uint32_t n = mmsim_cache_count(m);
    FAILS(mmsim_cache_info(m, 0, NULL), MMSIM_ERR_ARG, "mmsim_cache_info: out is NULL");
    char want[64];
    snprintf(want, sizeof want, "mmsim_cache_info: no cache %u (esp32s3 has %u)", n, n);
    FAILS(mmsim_cache_info(m, n, &info), MMSIM_ERR_ARG, want);
    FAILS(mmsim_cache_info(m, UINT32_MAX, &info), MMSIM_ERR_ARG, "no cache 4294967295");
    ck_assert_mem_eq(&info, &keep, sizeof info);
    SUCCEEDS(mmsim_cache_info(m, n - 1, &info));
    mmsim_close(m);
}
END_TEST

START_TEST(cache_stats_arguments)
{
    mmsim_cache_stats_t st, keep;
    memset(&keep, 0xA5, sizeof keep);
    st = keep;
    FAILS(mmsim_cache_stats(NULL, 0, 0, &st), MMSIM_ERR_ARG, "mmsim_cache_stats: machine is NULL");
    mmsim_t *m = open_chip("esp32s3");
    uint32_t n = mmsim_cache_count(m);
    FAILS(mmsim_cache_stats(m, 0, 0, NULL), MMSIM_ERR_ARG, "mmsim_cache_stats: out is NULL");
    FAILS(mmsim_cache_stats(m, n, 0, &st), MMSIM_ERR_ARG, "mmsim_cache_stats: no cache");
    FAILS(mmsim_cache_stats(m, 0, 2, &st), MMSIM_ERR_ARG, "mmsim_cache_stats: core 2 does not exist (esp32s3 has 2)");
    ck_assert_mem_eq(&st, &keep, sizeof st);
    SUCCEEDS(mmsim_cache_stats(m, 0, 1, &st));
    mmsim_close(m);
}
END_TEST

START_TEST(cache_line_arguments)
{
    mmsim_cache_line_t l, keep;
    memset(&keep, 0xA5, sizeof keep);
    l = keep;
    FAILS(mmsim_cache_line(NULL, 0, 0, 0, &l), MMSIM_ERR_ARG, "mmsim_cache_line: machine is NULL");
    mmsim_t *m = open_chip("esp32s3");
    uint32_t n = mmsim_cache_count(m);
    mmsim_cache_info_t info;
    ck_assert_int_eq(mmsim_cache_info(m, 0, &info), MMSIM_OK);
    uint32_t lines = info.sets * info.ways;
    FAILS(mmsim_cache_line(m, 0, 0, 0, NULL), MMSIM_ERR_ARG, "mmsim_cache_line: out is NULL");
    FAILS(mmsim_cache_line(m, n, 0, 0, &l), MMSIM_ERR_ARG, "mmsim_cache_line: no cache");
    FAILS(mmsim_cache_line(m, 0, 7, 0, &l), MMSIM_ERR_ARG, "mmsim_cache_line: core 7 does not exist");
    char want[64];
    snprintf(want, sizeof want, "mmsim_cache_line: line %u out of range (%u lines)", lines, lines);
    FAILS(mmsim_cache_line(m, 0, 0, lines, &l), MMSIM_ERR_ARG, want);
    ck_assert_mem_eq(&l, &keep, sizeof l);
    SUCCEEDS(mmsim_cache_line(m, 0, 0, lines - 1, &l));
    mmsim_close(m);
}
END_TEST

START_TEST(mmu_info_arguments)
{
    mmsim_mmu_info_t info, keep;
    memset(&keep, 0xA5, sizeof keep);
    info = keep;
    FAILS(mmsim_mmu_info(NULL, 0, &info), MMSIM_ERR_ARG, "mmsim_mmu_info: machine is NULL");
    mmsim_t *m = open_chip("esp32s3");
    uint32_t n = mmsim_mmu_count(m);
    FAILS(mmsim_mmu_info(m, 0, NULL), MMSIM_ERR_ARG, "mmsim_mmu_info: out is NULL");
    char want[64];
    snprintf(want, sizeof want, "mmsim_mmu_info: no MMU %u (esp32s3 has %u)", n, n);
    FAILS(mmsim_mmu_info(m, n, &info), MMSIM_ERR_ARG, want);
    ck_assert_mem_eq(&info, &keep, sizeof info);
    SUCCEEDS(mmsim_mmu_info(m, 0, &info));
    mmsim_close(m);
}
END_TEST

START_TEST(window_info_arguments)
{
    mmsim_window_info_t info, keep;
    memset(&keep, 0xA5, sizeof keep);
    info = keep;
    YIELDS(mmsim_window_count(NULL), ck_assert_uint_eq, 0, MMSIM_ERR_ARG, "mmsim_window_count: machine is NULL");
    FAILS(mmsim_window_info(NULL, 0, &info), MMSIM_ERR_ARG, "mmsim_window_info: machine is NULL");
    mmsim_t *m = open_chip("esp32s3");
    uint32_t n = mmsim_window_count(m);
    ck_assert_uint_eq(n, 2);
    FAILS(mmsim_window_info(m, 0, NULL), MMSIM_ERR_ARG, "mmsim_window_info: out is NULL");
    FAILS(mmsim_window_info(m, n, &info), MMSIM_ERR_ARG, "mmsim_window_info: window 2 does not exist (esp32s3 has 2)");
    ck_assert_mem_eq(&info, &keep, sizeof info);
    SUCCEEDS(mmsim_window_info(m, 1, &info));
    ck_assert_str_eq(info.name, "DBUS0");
    ck_assert_uint_eq(info.vaddr, 0x3C000000u);
    ck_assert_uint_eq(info.size, 32u << 20);
    mmsim_close(m);
}
END_TEST

START_TEST(report_error_sets_a_failure)
{
    FAILS(mmsim_report_error(MMSIM_ERR_HOST, "adapter: %s %d", "reason", 7), MMSIM_ERR_HOST, "adapter: reason 7");
    /* a success is no failure: it is recorded as an argument error, not as "no error" */
    FAILS(mmsim_report_error(MMSIM_OK, "adapter: oops"), MMSIM_ERR_ARG, "adapter: oops");
}
END_TEST

START_TEST(mmu_entry_arguments)
{
    mmsim_mmu_entry_t e, keep;
    memset(&keep, 0xA5, sizeof keep);
    e = keep;
    FAILS(mmsim_mmu_entry(NULL, 0, 0, 0, &e), MMSIM_ERR_ARG, "mmsim_mmu_entry: machine is NULL");
    mmsim_t *m = open_chip("esp32s3");
    mmsim_mmu_info_t info;
    ck_assert_int_eq(mmsim_mmu_info(m, 0, &info), MMSIM_OK);
    FAILS(mmsim_mmu_entry(m, 0, 0, 0, NULL), MMSIM_ERR_ARG, "mmsim_mmu_entry: out is NULL");
    FAILS(mmsim_mmu_entry(m, mmsim_mmu_count(m), 0, 0, &e), MMSIM_ERR_ARG, "mmsim_mmu_entry: no MMU");
    FAILS(mmsim_mmu_entry(m, 0, info.tables, 0, &e), MMSIM_ERR_ARG, "mmsim_mmu_entry: no table 1 in MMU 0 (it has 1)");
    char want[64];
    snprintf(want, sizeof want, "mmsim_mmu_entry: no entry %u in MMU 0 (it has %u)", info.entries, info.entries);
    FAILS(mmsim_mmu_entry(m, 0, 0, info.entries, &e), MMSIM_ERR_ARG, want);
    ck_assert_mem_eq(&e, &keep, sizeof e);
    SUCCEEDS(mmsim_mmu_entry(m, 0, 0, info.entries - 1, &e));
    mmsim_close(m);
}
END_TEST

START_TEST(translate_arguments_and_unmapped_addresses)
{
    uint32_t p = 0x11111111, t = 0x22222222;
    FAILS(mmsim_translate(NULL, 0, 0x3C000000, &p, &t), MMSIM_ERR_ARG, "mmsim_translate: machine is NULL");
    mmsim_t *m = open_chip("esp32s3");
    FAILS(mmsim_translate(m, 2, 0x3C000000, &p, &t), MMSIM_ERR_ARG,
          "mmsim_translate: core 2 does not exist (esp32s3 has 2)");
    FAILS(mmsim_translate(m, 0, 0x10, &p, &t), MMSIM_ERR_UNMAPPED, "mmsim_translate: 0x00000010 is in no window");
    FAILS(mmsim_translate(m, 0, 0x3D000000, &p, &t), MMSIM_ERR_UNMAPPED,
          "0x3d000000 is in a window whose MMU entry is invalid (never mapped)");
    uint32_t len = 0;
    mmu_hal_map_region(0, MMU_TARGET_FLASH0, 0x3D000000, 0x100000, 0x10000, &len);
    SUCCEEDS(mmsim_translate(m, 0, 0x3D000004, NULL, NULL));
    mmu_hal_unmap_region(0, 0x3D000000, 0x10000);
    FAILS(mmsim_translate(m, 1, 0x3D000004, &p, &t), MMSIM_ERR_UNMAPPED, "whose MMU entry was unmapped");
    ck_assert_uint_eq(p, 0x11111111);
    ck_assert_uint_eq(t, 0x22222222);
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
    mmsim_close(m);
}
END_TEST

START_TEST(resident_bytes_arguments)
{
    YIELDS(mmsim_resident_bytes(NULL), ck_assert_uint_eq, 0, MMSIM_ERR_ARG, "mmsim_resident_bytes: machine is NULL");
}
END_TEST

static Suite *errors_suite(void)
{
    Suite *s = suite_create("mmsim_errors");
    TCase *t = tcase_create("errors");
    tcase_add_test(t, strerror_names_every_code_and_leaves_the_last_error);
    tcase_add_test(t, last_error_is_per_failure_and_cleared_by_open_and_clear);
    tcase_add_test(t, config_default_never_fails);
    tcase_add_test(t, open_refuses_each_bad_argument_and_leaves_out_and_current_alone);
    tcase_add_test(t, open_out_of_memory_is_nomem);
    tcase_add_test(t, close_and_select_never_fail);
    tcase_add_test(t, chip_getters_with_no_machine);
    tcase_add_test(t, idf_release_never_fails);
    tcase_add_test(t, check_invariants_reports_the_rule_broken);
    tcase_add_test(t, cpu_read_arguments);
    tcase_add_test(t, cpu_write_arguments);
    tcase_add_test(t, cpu_fetch_arguments);
    tcase_add_test(t, cpu_access_out_of_memory_is_nomem);
    tcase_add_test(t, flash_read_arguments);
    tcase_add_test(t, flash_write_arguments);
    tcase_add_test(t, flash_erase_arguments);
    tcase_add_test(t, flash_save_arguments);
    tcase_add_test(t, dma_read_arguments);
    tcase_add_test(t, dma_write_arguments);
    tcase_add_test(t, internal_ram_arguments);
    tcase_add_test(t, set_driver_core_arguments);
    tcase_add_test(t, cycles_arguments);
    tcase_add_test(t, time_ns_arguments);
    tcase_add_test(t, hazard_name_arguments);
    tcase_add_test(t, hazard_from_name_arguments);
    tcase_add_test(t, hazard_count_arguments);
    tcase_add_test(t, hazard_count_kind_arguments);
    tcase_add_test(t, hazard_get_arguments);
    tcase_add_test(t, hazard_clear_arguments);
    tcase_add_test(t, hazard_format_arguments);
    tcase_add_test(t, set_step_arguments);
    tcase_add_test(t, cache_info_arguments);
    tcase_add_test(t, cache_stats_arguments);
    tcase_add_test(t, cache_line_arguments);
    tcase_add_test(t, mmu_info_arguments);
    tcase_add_test(t, mmu_entry_arguments);
    tcase_add_test(t, window_info_arguments);
    tcase_add_test(t, report_error_sets_a_failure);
    tcase_add_test(t, translate_arguments_and_unmapped_addresses);
    tcase_add_test(t, resident_bytes_arguments);
    suite_add_tcase(s, t);
    return s;
}

int main(void) { return mmsim_check_run(errors_suite()); }
