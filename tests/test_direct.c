/* test_direct.c - the user's own code dereferencing chip addresses (mmsim_direct.h):
 * every instruction class, as gcc and clang compile it at -O0 and -O2
 * (direct_accesses.c), on flash and PSRAM windows, checked against what the machine
 * holds; the intercepted string functions, printf of a window string and EFAULT from
 * write(); the hazard's source line; threads on both cores of ESP32 and ESP32-S3 with
 * a locked counter, and in the deterministic mode's fixed round; foreign faults reaching
 * the previous handler; instruction fetches and the attach refusals. */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <immintrin.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MMSIM_TEST_CLANG_ASAN 1 /* clang's spelling of gcc's __SANITIZE_ADDRESS__ */
#endif
#endif

#include "check_main.h"
#include "direct_accesses.h"

#include "esp_heap_caps.h"
#include "esp_mmu_map.h"
#include "mmsim.h"
#include "mmsim_direct.h"

#define V(ptr) ((uint32_t)(uintptr_t)(ptr))
#define FLASH_AT 0x300000u
#define PATTERN(i) ((uint8_t)((i) * 7u + 0x83u))

static mmsim_t *m;
static const uint8_t *flash;   /* 64 KB of flash mapped read-only, PATTERN(i) in its first 4 KB */
static uint8_t *psram;         /* 8 KB of PSRAM from the heap, 64-byte aligned */

static void open_chip(const char *chip)
{
    mmsim_config_t cfg = mmsim_config_default(chip);
    cfg.psram_size = 4u << 20;
    ck_assert_msg(mmsim_open(&cfg, &m) == 0, "%s", mmsim_last_error());
    uint8_t pat[4096];
    for (unsigned i = 0; i < sizeof pat; i++)
        pat[i] = PATTERN(i);
    ck_assert_int_eq(mmsim_flash_erase(m, FLASH_AT, 0x10000), 0);
    ck_assert_int_eq(mmsim_flash_write(m, FLASH_AT, pat, sizeof pat), 0);
    void *p = NULL;
    ck_assert_int_eq(esp_mmu_map(FLASH_AT, 0x10000, MMU_TARGET_FLASH0, MMU_MEM_CAP_READ | MMU_MEM_CAP_8BIT, 0, &p),
                     ESP_OK);
    flash = p;
    uint8_t *block = heap_caps_malloc(8192 + 64, MALLOC_CAP_SPIRAM);
    ck_assert_ptr_nonnull(block);
    psram = (uint8_t *)(((uintptr_t)block + 63) & ~(uintptr_t)63); /* freed with the machine */
    ck_assert_msg(mmsim_direct_attach(m) == 0, "%s", mmsim_last_error());
}

static void setup(void) { open_chip("esp32s3"); }

static void teardown(void)
{
    if (mmsim_direct_machine())
        mmsim_direct_detach(mmsim_direct_machine());
    mmsim_close(m);
    m = NULL;
}

/* What the machine holds at a window address (a CPU read on core 0). */
static uint64_t machine_word(const void *p, size_t n)
{
    uint64_t v = 0;
    ck_assert_int_eq(mmsim_cpu_read(m, 0, V(p), &v, n), 0);
    return v;
}

static uint64_t pattern_word(size_t off, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v |= (uint64_t)PATTERN(off + i) << (8 * i);
    return v;
}

/* glibc's fortified forms, which _FORTIFY_SOURCE calls for a buffer of known size. */
void *__memcpy_chk(void *d, const void *s, size_t n, size_t dlen);
void *__memset_chk(void *d, int c, size_t n, size_t dlen);

/* An address nothing is mapped at, hidden from the compiler's bounds warnings. */
static volatile uintptr_t unmapped_address = 0x10;

static int twice(int x) { return 2 * x; }

/* ---- every instruction class, four builds ------------------------------------------- */

static const direct_ops_t *const variants[] = {&direct_ops_gcc_O0, &direct_ops_gcc_O2, &direct_ops_clang_O0,
                                               &direct_ops_clang_O2};

START_TEST(instruction_classes_go_through_the_machine)
{
    const direct_ops_t *o = variants[_i];
    mmsim_direct_stats_t before, after;
    mmsim_direct_stats(&before);
    uint64_t cycles = mmsim_cycles(m, 0);

    /* mov loads of 1-8 bytes from flash (aligned: C makes a misaligned one undefined,
     * and the sanitizer says so; the string and vector cases take odd offsets) */
    ck_assert_uint_eq(o->load8(flash + 5), PATTERN(5));
    ck_assert_uint_eq(o->load16((const volatile uint16_t *)(flash + 10)), pattern_word(10, 2));
    ck_assert_uint_eq(o->load32((const volatile uint32_t *)(flash + 20)), pattern_word(20, 4));
    ck_assert_uint_eq(o->load64((const volatile uint64_t *)(flash + 32)), pattern_word(32, 8));
    /* movsx/movzx/movsxd: PATTERN(1) = 0x8a and PATTERN(0x100) have the top bit set */
    ck_assert_int_eq(o->load_s8((const volatile int8_t *)(flash + 1)), (int8_t)PATTERN(1));
    ck_assert_int_eq(o->load_s16((const volatile int16_t *)(flash + 0x100)), (int16_t)pattern_word(0x100, 2));
    ck_assert_int_eq(o->load_s32((const volatile int32_t *)(flash + 0x100)), (int32_t)pattern_word(0x100, 4));
    ck_assert_uint_eq(o->load_z8(flash + 1), PATTERN(1));
    ck_assert_uint_eq(o->load_z16((const volatile uint16_t *)(flash + 0x100)), pattern_word(0x100, 2));

    /* mov stores to PSRAM, seen by the machine and read back through the pointer */
    o->store8(psram + 1, 0xa1);
    o->store16((volatile uint16_t *)(psram + 2), 0xb2b3);
    o->store32((volatile uint32_t *)(psram + 4), 0xc4c5c6c7u);
    o->store64((volatile uint64_t *)(psram + 8), 0xd8d9dadbdcdddedfull);
    ck_assert_uint_eq(machine_word(psram + 1, 1), 0xa1);
    ck_assert_uint_eq(machine_word(psram + 2, 2), 0xb2b3);
    ck_assert_uint_eq(machine_word(psram + 4, 4), 0xc4c5c6c7u);
    ck_assert_uint_eq(machine_word(psram + 8, 8), 0xd8d9dadbdcdddedfull);
    ck_assert_uint_eq(o->load64((const volatile uint64_t *)(psram + 8)), 0xd8d9dadbdcdddedfull);
    o->store_imm32((volatile uint32_t *)(psram + 16));
    ck_assert_uint_eq(machine_word(psram + 16, 4), 0x5A5AA5A5u);

    /* string instructions: flash to host, flash to PSRAM, host to PSRAM, overlapping
     * downwards inside PSRAM, a fill */
    uint8_t host[300];
    o->rep_movsb(host, flash + 3, sizeof host);
    for (unsigned i = 0; i < sizeof host; i++)
        ck_assert_uint_eq(host[i], PATTERN(i + 3));
    o->rep_movsb(psram + 512, flash, 300);
    ck_assert_uint_eq(machine_word(psram + 512 + 296, 4), pattern_word(296, 4));
    memset(host, 0x3c, sizeof host);
    o->rep_movsb(psram + 1024, host, 100);
    ck_assert_uint_eq(machine_word(psram + 1024 + 96, 4), 0x3c3c3c3cu);
    o->rep_movsb_down(psram + 512 + 4, psram + 512, 64); /* memmove up by 4 */
    ck_assert_uint_eq(machine_word(psram + 512 + 4, 8), pattern_word(0, 8));
    ck_assert_uint_eq(machine_word(psram + 512 + 64, 4), pattern_word(60, 4));
    o->rep_stosq(psram + 2048, 0x0123456789abcdefull, 40);
    ck_assert_uint_eq(machine_word(psram + 2048 + 39 * 8, 8), 0x0123456789abcdefull);

    /* SSE and AVX loads and stores, an addps with its memory operand, a masked store */
    o->sse_copy16(psram + 3072 + 3, flash + 40);
    ck_assert_uint_eq(machine_word(psram + 3072 + 3 + 8, 8), pattern_word(48, 8));
    float fl[4] = {1.5f, 2.5f, 3.5f, 4.5f};
    memcpy(psram + 3200, fl, sizeof fl);
    ck_assert(o->sse_sum4((const float *)(psram + 3200)) == 16.0f);
    o->avx_copy32(psram + 3300, flash + 64);
    ck_assert_uint_eq(machine_word(psram + 3300 + 24, 8), pattern_word(88, 8));
    int32_t *dst = (int32_t *)(psram + 3400);
    for (int i = 0; i < 8; i++)
        dst[i] = -1;
    o->avx_maskstore(dst, (const int32_t *)flash);
    for (int i = 0; i < 8; i++) {
        uint64_t want = (i == 0 || i == 2 || i == 5) ? pattern_word(4 * (size_t)i, 4) : 0xffffffffu;
        ck_assert_uint_eq(machine_word(dst + i, 4), want);
    }
    uint32_t *dst512 = (uint32_t *)(psram + 3520);
    for (int i = 0; i < 16; i++)
        dst512[i] = 0xeeeeeeeeu;
    if (o->avx512_mask_copy(dst512, flash + 128, 0x8421)) {
        for (int i = 0; i < 16; i++) {
            uint64_t want = (0x8421 >> i & 1) ? pattern_word(128 + 4 * (size_t)i, 4) : 0xeeeeeeeeu;
            ck_assert_uint_eq(machine_word(dst512 + i, 4), want);
        }
        /* an embedded broadcast under a mask: one element read for the selected lanes */
        float lanes[16], two = 2.0f;
        memcpy(psram + 3600, &two, 4);
        ck_assert(o->avx512_bcast_add(lanes, (const float *)(psram + 3600), 0x00f0));
        for (int i = 0; i < 16; i++)
            ck_assert(lanes[i] == ((0x00f0 >> i & 1) ? 3.0f : 1.0f));
    } else if (_i == 0)
        printf("test_direct: this host has no AVX-512: the masked AVX-512 cases are skipped\n");

    /* ALU with a memory operand, locked read-modify-write, exchanges */
    volatile uint32_t *w = (volatile uint32_t *)(psram + 4096);
    *w = 40;
    ck_assert_uint_eq(o->add_mem(w, 2), 42);
    ck_assert_int_eq(o->cmp_mem(w, 41), 1);
    ck_assert_int_eq(o->cmp_mem(w, 42), 0);
    ck_assert_int_eq(o->cmp_mem(w, 43), -1);
    volatile uint64_t *q = (volatile uint64_t *)(psram + 4104);
    *q = 0xffffffffull;
    o->inc_mem64(q);
    ck_assert_uint_eq(machine_word((const void *)q, 8), 0x100000000ull);
    uint32_t *a = (uint32_t *)(psram + 4112);
    *a = 7;
    ck_assert_uint_eq(o->locked_add(a, 5), 7);
    o->locked_or(a, 0x100);
    ck_assert_uint_eq(machine_word(a, 4), 0x10c);
    ck_assert_uint_eq(o->xchg64((uint64_t *)(psram + 4120), 99), 0);
    ck_assert_uint_eq(machine_word(psram + 4120, 8), 99);
    ck_assert(!o->cas32(a, 1, 2));
    ck_assert(o->cas32(a, 0x10c, 3));
    ck_assert_uint_eq(machine_word(a, 4), 3);

    /* a call through a function pointer held in PSRAM */
    int (**slot)(int) = (int (**)(int))(psram + 4128);
    *slot = twice;
    ck_assert_int_eq(o->call_through(slot, 21), 42);

    /* a loop the compiler may vectorise */
    uint32_t sum = 0;
    for (size_t i = 0; i < 64; i++)
        sum += (uint32_t)pattern_word(4 * i, 4);
    ck_assert_uint_eq(o->sum_words((const uint32_t *)flash, 64), sum);

    mmsim_direct_stats(&after);
    ck_assert_uint_gt(after.emulated, before.emulated);
    ck_assert_uint_gt(after.shadowed, before.shadowed);
    ck_assert_uint_gt(mmsim_cycles(m, 0), cycles);
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
}
END_TEST

/* ---- the string functions ------------------------------------------------------------- */

START_TEST(string_functions_are_intercepted)
{
    static const char text[] = "a string in PSRAM, long enough to span two cache lines of 32 bytes";
    mmsim_direct_stats_t before, after;
    char *s = (char *)psram + 100;
    memcpy(s, text, sizeof text);
    char back[sizeof text];
    ck_assert_int_eq(mmsim_cpu_read(m, 0, V(s), back, sizeof back), 0);
    ck_assert_str_eq(back, text);
    mmsim_direct_stats(&before);
    ck_assert_uint_eq(strlen(s), sizeof text - 1);
    ck_assert_int_eq(strcmp(s, text), 0);
    ck_assert_int_lt(strcmp(s, "b"), 0);
    ck_assert_int_eq(strncmp(s, "a strinX", 7), 0);
    ck_assert_int_ne(strncmp(s, "a strinX", 8), 0);
    ck_assert_int_eq(memcmp(s, text, sizeof text), 0);
    ck_assert_ptr_eq(memchr(s, 'P', sizeof text), s + 12);
    char host[128];
    strcpy(host, s);
    ck_assert_str_eq(host, text);
    strncpy(host, s, 8);
    ck_assert_int_eq(memcmp(host, text, 8), 0);
    strcpy((char *)psram + 400, s); /* window to window */
    ck_assert_int_eq(strcmp((char *)psram + 400, text), 0);
    strncpy((char *)psram + 600, "xy", 6);
    ck_assert_uint_eq(machine_word(psram + 600, 6), 0x7978u);
    memmove(s + 2, s, 10);
    ck_assert_int_eq(memcmp(s + 2, text, 10), 0);
    memset(psram + 700, 0x77, 100);
    ck_assert_uint_eq(machine_word(psram + 796, 4), 0x77777777u);
    ck_assert_uint_eq(memcmp(flash, flash + 1, 4) != 0, 1);
    /* the fortified forms */
    ck_assert_ptr_eq(__memcpy_chk(host, flash, 16, sizeof host), host);
    ck_assert_uint_eq((uint8_t)host[15], PATTERN(15));
    __memset_chk(psram + 800, 1, 8, 8);
    ck_assert_uint_eq(machine_word(psram + 800, 8), 0x0101010101010101ull);
    mmsim_direct_stats(&after);
    ck_assert_uint_ge(after.intercepted - before.intercepted, 16);
#if defined(__SANITIZE_ADDRESS__) || defined(MMSIM_TEST_CLANG_ASAN)
    /* ASan's own interceptors stand in front of ours, and some (strcmp, memcmp) compare
     * the bytes themselves: those loads trap, one by one, and still give the right
     * answers, which is what the assertions above check. */
    ck_assert_uint_gt(after.faults, before.faults);
#else
    ck_assert_uint_eq(after.faults, before.faults); /* no instruction of these faulted */
#endif

    /* printf and fputs of a window string: glibc's own inner copies fault and are run
     * on the shadow */
    memcpy(s, text, sizeof text);
    char *out = NULL;
    size_t outlen = 0;
    FILE *f = open_memstream(&out, &outlen);
    ck_assert_ptr_nonnull(f);
    fprintf(f, "[%s]", s);
    fputs(s, f);
    fclose(f);
    ck_assert_str_eq(out, "[a string in PSRAM, long enough to span two cache lines of 32 bytes]"
                          "a string in PSRAM, long enough to span two cache lines of 32 bytes");
    free(out);
    /* the kernel never sees a window: write() fails with EFAULT */
    int fd[2];
    ck_assert_int_eq(pipe(fd), 0);
    errno = 0;
    ck_assert_int_eq(write(fd[1], s, 8), -1);
    ck_assert_int_eq(errno, EFAULT);
    close(fd[0]);
    close(fd[1]);
}
END_TEST

/* ---- the hazard's host site ------------------------------------------------------------- */

START_TEST(a_stale_read_names_its_source_line)
{
    const volatile uint32_t *p = (const volatile uint32_t *)(flash + 256);
    ck_assert_uint_eq(*p, pattern_word(256, 4)); /* the line is now cached */
    uint32_t zero = 0;
    ck_assert_int_eq(mmsim_flash_write(m, FLASH_AT + 256, &zero, 4), 0);
    mmsim_hazard_clear(m);
    uint32_t v = *p; const int line = __LINE__;
    ck_assert_uint_eq(v, pattern_word(256, 4)); /* stale, as on the chip */
    ck_assert_uint_eq(mmsim_hazard_count_kind(m, MMSIM_HAZARD_STALE_READ), 1);
    mmsim_direct_site_t site;
    ck_assert_msg(mmsim_direct_hazard_site(0, &site) == 0, "%s", mmsim_last_error());
    ck_assert_msg(strstr(site.file, "test_direct.c") && site.line == (uint32_t)line,
                  "site pc 0x%lx: '%s':%u (%s), expected test_direct.c:%d", (unsigned long)site.pc, site.file,
                  site.line, site.function, line);
    ck_assert_ptr_nonnull(strstr(site.function, "a_stale_read_names_its_source_line"));
    char text[512], want[64];
    mmsim_direct_hazard_format(0, text, sizeof text);
    snprintf(want, sizeof want, "test_direct.c:%d", line);
    ck_assert_msg(strstr(text, want) != NULL, "%s", text);
    ck_assert_msg(strstr(text, "stale") != NULL, "%s", text);
    /* a hazard from mmsim_cpu_read has no host site */
    ck_assert_int_eq(mmsim_cpu_read(m, 0, V(p), &v, 4), 0);
    ck_assert_uint_eq(mmsim_hazard_count(m), 2);
    ck_assert_int_eq(mmsim_direct_hazard_site(1, &site), MMSIM_ERR_ARG);
}
END_TEST

/* ---- threads are cores -------------------------------------------------------------------- */

#define THREAD_ADDS 300

typedef struct {
    uint32_t core;
    uint32_t *counter;
    uint32_t *own;
} worker_t;

static void *worker(void *arg)
{
    worker_t *w = arg;
    if (mmsim_direct_bind_core(w->core) != 0)
        return (void *)1;
    for (uint32_t i = 0; i < THREAD_ADDS; i++) {
        __atomic_fetch_add(w->counter, 1, __ATOMIC_SEQ_CST);
        w->own[i % 16] = i;
    }
    return mmsim_direct_core() == w->core ? NULL : (void *)2;
}

static void threads_on_both_cores(const char *chip)
{
    teardown();
    open_chip(chip);
    ck_assert_uint_eq(mmsim_cores(m), 2);
    uint32_t *counter = (uint32_t *)psram;
    *counter = 0;
    uint64_t c0 = mmsim_cycles(m, 0), c1 = mmsim_cycles(m, 1);
    worker_t w[2] = {{0, counter, (uint32_t *)(psram + 1024)}, {1, counter, (uint32_t *)(psram + 2048)}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, worker, &w[i]), 0);
    for (int i = 0; i < 2; i++) {
        void *r;
        pthread_join(t[i], &r);
        ck_assert_ptr_null(r);
    }
    ck_assert_uint_eq(machine_word(counter, 4), 2 * THREAD_ADDS);
    ck_assert_uint_gt(mmsim_cycles(m, 0), c0);
    ck_assert_uint_gt(mmsim_cycles(m, 1), c1);
    ck_assert_uint_eq(*(volatile uint32_t *)(psram + 2048 + 4 * ((THREAD_ADDS - 1) % 16)), THREAD_ADDS - 1);
}

START_TEST(threads_bound_to_both_cores_of_esp32) { threads_on_both_cores("esp32"); }
END_TEST

START_TEST(threads_bound_to_both_cores_of_esp32s3) { threads_on_both_cores("esp32s3"); }
END_TEST

/* ---- the deterministic mode ------------------------------------------------------------------ */

#define ROUND_ITERATIONS 100

typedef struct {
    uint32_t turn;
    uint32_t *next;  /* in PSRAM: the next free index of the log */
    uint32_t *log;   /* in PSRAM: which turn took each index */
} round_worker_t;

static void *round_worker(void *arg)
{
    round_worker_t *w = arg;
    if (mmsim_direct_bind_turn(w->turn, w->turn) != 0)
        return (void *)1;
    for (int i = 0; i < ROUND_ITERATIONS; i++) {
        uint32_t idx = __atomic_fetch_add(w->next, 1, __ATOMIC_SEQ_CST); /* one turn */
        w->log[idx] = w->turn;                                          /* the next one */
    }
    return NULL; /* leaves the round by exiting */
}

/* Two threads on the two cores in the round; the cycles of both cores. */
static void run_round(uint64_t cycles[2])
{
    teardown();
    open_chip("esp32s3");
    ck_assert_int_eq(mmsim_direct_set_deterministic(2), 0);
    uint32_t *next = (uint32_t *)psram, *log = (uint32_t *)(psram + 64);
    *next = 0;
    round_worker_t w[2] = {{0, next, log}, {1, next, log}};
    pthread_t t[2];
    /* started in the "wrong" order: turn 1 waits for turn 0 to join */
    ck_assert_int_eq(pthread_create(&t[1], NULL, round_worker, &w[1]), 0);
    usleep(2000);
    ck_assert_int_eq(pthread_create(&t[0], NULL, round_worker, &w[0]), 0);
    for (int i = 0; i < 2; i++) {
        void *r;
        pthread_join(t[i], &r);
        ck_assert_ptr_null(r);
    }
    ck_assert_int_eq(mmsim_direct_set_deterministic(0), 0);
    ck_assert_uint_eq(machine_word(next, 4), 2 * ROUND_ITERATIONS);
    /* turn 0 took index 0, turn 1 index 1, and so on: the fixed round */
    for (uint32_t i = 0; i < 2 * ROUND_ITERATIONS; i++)
        ck_assert_uint_eq(machine_word(log + i, 4), i % 2);
    cycles[0] = mmsim_cycles(m, 0);
    cycles[1] = mmsim_cycles(m, 1);
}

START_TEST(the_deterministic_mode_repeats_itself)
{
    uint64_t first[2], second[2];
    run_round(first);
    run_round(second);
    ck_assert_uint_eq(first[0], second[0]);
    ck_assert_uint_eq(first[1], second[1]);
    ck_assert_int_eq(mmsim_direct_bind_turn(0, 0), MMSIM_ERR_ARG); /* the mode is off */
    ck_assert_int_eq(mmsim_direct_set_deterministic(65), MMSIM_ERR_ARG);
}
END_TEST

/* ---- faults that are not ours, fetches, refusals ------------------------------------------- */

static sigjmp_buf foreign_jump;
static volatile sig_atomic_t foreign_seen;

static void foreign_handler(int sig)
{
    (void)sig;
    foreign_seen = 1;
    siglongjmp(foreign_jump, 1);
}

START_TEST(foreign_faults_reach_the_previous_handler)
{
    mmsim_direct_detach(m);
    struct sigaction sa = {.sa_handler = foreign_handler}, old;
    sigemptyset(&sa.sa_mask);
    ck_assert_int_eq(sigaction(SIGSEGV, &sa, &old), 0);
    ck_assert_int_eq(mmsim_direct_attach(m), 0);
    foreign_seen = 0;
    if (sigsetjmp(foreign_jump, 1) == 0) {
        (void)*(volatile int *)unmapped_address;
    }
    ck_assert_int_eq(foreign_seen, 1);
    /* window accesses still work after it */
    ck_assert_uint_eq(*(const volatile uint8_t *)(flash + 2), PATTERN(2));
    mmsim_direct_detach(m);
    struct sigaction now;
    sigaction(SIGSEGV, NULL, &now);
    ck_assert_ptr_eq((void *)now.sa_handler, (void *)foreign_handler); /* detach put it back */
    sigaction(SIGSEGV, &old, NULL);
}
END_TEST

/* Run `fn` in a child with stderr into a pipe; its stderr and whether it died. */
static bool child_dies(void (*fn)(void), char *err, size_t size)
{
    int fd[2];
    ck_assert_int_eq(pipe(fd), 0);
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(fd[1], 2);
        close(fd[0]);
        fn();
        _exit(0);
    }
    close(fd[1]);
    size_t n = 0;
    ssize_t k;
    while (n + 1 < size && (k = read(fd[0], err + n, size - 1 - n)) > 0)
        n += (size_t)k;
    err[n] = '\0';
    close(fd[0]);
    int status;
    waitpid(pid, &status, 0);
    return WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) != 0);
}

static void null_dereference(void) { (void)*(volatile int *)unmapped_address; }

static void execute_psram(void)
{
    *(volatile uint8_t *)psram = 0xc3; /* ret */
    ((void (*)(void))(uintptr_t)psram)();
}

START_TEST(a_real_crash_still_crashes_and_fetches_are_refused)
{
    char err[4096];
    ck_assert(child_dies(null_dereference, err, sizeof err));
    ck_assert_ptr_null(strstr(err, "mmsim direct"));
    ck_assert(child_dies(execute_psram, err, sizeof err));
    ck_assert_msg(strstr(err, "instruction fetch") != NULL, "%s", err);
}
END_TEST

/* The forms the handler does not run: each is refused with a message naming the
 * instruction and the reason, then the fault goes on as a crash (in a child). */
static void cmps_over_window(void)
{
    char host[4] = {0};
    const void *src = flash;
    void *dst = host;
    size_t n = sizeof host;
    __asm__ volatile("cld\n\trepe cmpsb" : "+S"(src), "+D"(dst), "+c"(n) : : "cc", "memory");
}

static void scas_over_window(void)
{
    const void *dst = flash;
    size_t n = 16;
    __asm__ volatile("cld\n\trepne scasb" : "+D"(dst), "+c"(n) : "a"(0) : "cc", "memory");
}

__attribute__((target("avx2"))) static void gather_from_window(void)
{
    __m256i v = _mm256_i32gather_epi32((const int *)(const void *)flash, _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), 4);
    volatile int sink = _mm256_extract_epi32(v, 1);
    (void)sink;
}

__attribute__((target("avx512f"))) static void scatter_to_window(void)
{
    _mm512_i32scatter_epi32((void *)psram, _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                            _mm512_set1_epi32(7), 4);
}

START_TEST(string_compares_gathers_and_scatters_are_refused)
{
    char err[4096];
    ck_assert(child_dies(cmps_over_window, err, sizeof err));
    ck_assert_msg(strstr(err, "cmpsb") && strstr(err, "string compares and scans (cmps, scas)"), "%s", err);
    ck_assert(child_dies(scas_over_window, err, sizeof err));
    ck_assert_msg(strstr(err, "scasb") && strstr(err, "string compares and scans (cmps, scas)"), "%s", err);
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2")) {
        ck_assert(child_dies(gather_from_window, err, sizeof err));
        ck_assert_msg(strstr(err, "vpgatherdd") && strstr(err, "gathers and scatters"), "%s", err);
    } else
        printf("test_direct: no AVX2 on this host: the gather refusal is not exercised\n");
    if (__builtin_cpu_supports("avx512f")) {
        ck_assert(child_dies(scatter_to_window, err, sizeof err));
        ck_assert_msg(strstr(err, "vpscatterdd") && strstr(err, "gathers and scatters"), "%s", err);
    } else
        printf("test_direct: no AVX-512 on this host: the scatter refusal is not exercised\n");
}
END_TEST

START_TEST(attach_refusals)
{
    ck_assert_int_eq(mmsim_direct_attach(NULL), MMSIM_ERR_ARG);
    ck_assert_int_eq(mmsim_direct_attach(m), MMSIM_ERR_HOST);
    ck_assert_ptr_nonnull(strstr(mmsim_last_error(), "already attached"));
    mmsim_config_t cfg = mmsim_config_default("esp32");
    mmsim_t *other;
    ck_assert_int_eq(mmsim_open(&cfg, &other), 0);
    mmsim_select(m);
    ck_assert_int_eq(mmsim_direct_attach(other), MMSIM_ERR_HOST);
    ck_assert_ptr_nonnull(strstr(mmsim_last_error(), "esp32s3"));
    ck_assert_int_eq(mmsim_direct_detach(other), MMSIM_ERR_ARG);
    ck_assert_int_eq(mmsim_direct_bind_core(2), MMSIM_ERR_ARG);
    ck_assert_ptr_nonnull(strstr(mmsim_last_error(), "core 2"));
    ck_assert_int_eq(mmsim_direct_detach(m), 0);
    ck_assert_int_eq(mmsim_direct_bind_core(0), MMSIM_ERR_ARG);
    /* a window's range already taken by the host */
    void *taken = mmap((void *)(uintptr_t)0x3F400000u, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
                       -1, 0);
    ck_assert_ptr_eq(taken, (void *)(uintptr_t)0x3F400000u);
    ck_assert_int_eq(mmsim_direct_attach(other), MMSIM_ERR_HOST);
    ck_assert_msg(strstr(mmsim_last_error(), "already in use") && strstr(mmsim_last_error(), "DROM0"), "%s",
                  mmsim_last_error());
    munmap(taken, 4096);
    /* nothing was left reserved: it attaches now, and detaches */
    ck_assert_msg(mmsim_direct_attach(other) == 0, "%s", mmsim_last_error());
    ck_assert_ptr_eq(mmsim_direct_machine(), other);
    ck_assert_int_eq(mmsim_direct_detach(other), 0);
    mmsim_close(other);
    mmsim_select(m);
    ck_assert_int_eq(mmsim_direct_attach(m), 0);
}
END_TEST

static Suite *direct_suite(void)
{
    Suite *s = suite_create("direct");
    TCase *tc = tcase_create("direct");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, instruction_classes_go_through_the_machine, 0, 4);
    tcase_add_test(tc, string_functions_are_intercepted);
    tcase_add_test(tc, a_stale_read_names_its_source_line);
    tcase_add_test(tc, threads_bound_to_both_cores_of_esp32);
    tcase_add_test(tc, threads_bound_to_both_cores_of_esp32s3);
    tcase_add_test(tc, the_deterministic_mode_repeats_itself);
    tcase_add_test(tc, foreign_faults_reach_the_previous_handler);
    tcase_add_test(tc, a_real_crash_still_crashes_and_fetches_are_refused);
    tcase_add_test(tc, string_compares_gathers_and_scatters_are_refused);
    tcase_add_test(tc, attach_refusals);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return mmsim_check_run(direct_suite()); }
