/* runner.c - runs Espressif's own test cases (TEST_CASE, registered by ESP-IDF's
 * unity_test_runner.h as the files are loaded) on simulated chips: each case in a
 * process of its own (a fresh machine, as after a reset, and fresh statics in the
 * test files), on our driver, ESP-IDF's, or both, with the direct pointer layer
 * attached so the tests dereference their mappings as on the chip.  Prints one line
 * per case and driver (PASS / FAIL / SKIP with the reason) and a count; exits 0 if
 * nothing failed, 1 if a case failed, 2 on bad arguments.
 *
 *   <test executable> [--driver ours|idf|both] [--list] [--verbose] [--timeout S] [NAME...]
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mmsim.h"
#include "mmsim_direct.h"
#include "mmsim_driver.h"
#include "mmsim_idftest.h"
#include "unity.h"

/* ---- registration (unity_test_runner.h) ---- */

static test_desc_t *s_first, *s_last;

void unity_testcase_register(test_desc_t *desc)
{
    desc->next = NULL;
    if (s_last)
        s_last->next = desc;
    else
        s_first = desc;
    s_last = desc;
}

/* ---- Unity's port (unity_config.h) ---- */

void unity_putc(int c) { putchar(c); }
void unity_flush(void) { fflush(stdout); }
void unity_gets(char *dst, size_t len)
{
    if (len)
        dst[0] = '\0';
}
void unity_exec_time_start(void) {}
void unity_exec_time_stop(void) {}
uint32_t unity_exec_time_get_ms(void) { return 0; }

/* The test apps' setUp/tearDown (test_app_main.c, not compiled) only check the chip's
 * heap for leaks; the case's machine is discarded with its process. */
void setUp(void) {}
void tearDown(void) {}

/* ---- the cases a host cannot run ---- */

typedef struct {
    const char *name;
    const char *reason;
} host_limit_t;

static const host_limit_t s_host_limits[] = {
    {"phys2cache/cache2phys basic checks",
     "reads its own code (esp_partition_find) and a static const array through the flash cache and compares "
     "them with the flash: a host program's code and rodata are not in the simulated flash"},
};

static const char *skip_reason(const test_desc_t *t)
{
    for (size_t i = 0; i < sizeof s_host_limits / sizeof s_host_limits[0]; i++)
        if (strcmp(s_host_limits[i].name, t->name) == 0)
            return s_host_limits[i].reason;
    if (strstr(t->desc, "[ignore]"))
        return "tagged [ignore] (a manual test: ESP-IDF's CI does not run it either; it needs FreeRTOS tasks)";
    if (t->test_fn_count != 1)
        return "a multi-stage or multi-device case (resets or a second board between stages)";
    return NULL;
}

/* ---- one case on one driver, in the calling (child) process ---- */

/* What holds the host's address space below 4 GB, where the windows go: when attach
 * finds a window's range taken, this says by what. */
static void print_low_mappings(void)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    while (f && fgets(line, sizeof line, f))
        if (strtoull(line, NULL, 16) < 0x100000000ull)
            fprintf(stderr, "  %s", line);
    if (f)
        fclose(f);
}

static mmsim_t *s_machine;

mmsim_t *mmsim_idftest_machine(void) { return s_machine; }

enum { CASE_PASS = 0, CASE_FAIL = 1, CASE_ERROR = 2, CASE_IGNORED = 3 };

static int run_case(const test_desc_t *t, int driver, int verbose)
{
    const mmsim_idftest_build_t *b = &mmsim_idftest_build;
    mmsim_config_t cfg = mmsim_config_default(b->chip);
    cfg.partition_table = b->partitions;
    cfg.app_offset = b->app_offset;
    cfg.sets = b->sets;
    cfg.nsets = b->nsets;
    cfg.driver = driver;
    if (mmsim_open(&cfg, &s_machine) != 0) {
        fprintf(stderr, "idf_tests: %s: cannot open the machine: %s\n", b->chip, mmsim_last_error());
        return CASE_ERROR;
    }
    mmsim_select(s_machine);
    if (mmsim_page_size(s_machine) != b->mmu_page_size) {
        fprintf(stderr, "idf_tests: the test files were compiled with CONFIG_MMU_PAGE_SIZE 0x%x, the machine runs 0x%x\n",
                b->mmu_page_size, mmsim_page_size(s_machine));
        return CASE_ERROR;
    }
    if (mmsim_direct_attach(s_machine) != 0) {
        fprintf(stderr, "idf_tests: %s\n", mmsim_last_error());
        print_low_mappings();
        return CASE_ERROR;
    }
    UnityBegin(t->file);
    UnityDefaultTestRun(t->fn[0], t->name, t->line);
    int outcome = Unity.TestFailures ? CASE_FAIL : Unity.TestIgnores ? CASE_IGNORED : CASE_PASS;
    size_t n = mmsim_hazard_count(s_machine);
    printf("idf_tests: %zu hazard%s\n", n, n == 1 ? "" : "s");
    for (size_t i = 0; verbose && i < n; i++) {
        char line[600];
        printf("  %s\n", mmsim_direct_hazard_format(i, line, sizeof line));
    }
    fflush(stdout);
    mmsim_direct_detach(s_machine);
    mmsim_close(s_machine);
    return outcome;
}

/* ---- the parent: one child per case and driver ---- */

static int run_in_child(const test_desc_t *t, int driver, int verbose, unsigned timeout, char *why, size_t whylen)
{
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(why, whylen, "fork failed");
        return CASE_ERROR;
    }
    if (pid == 0) {
        alarm(timeout);
        exit(run_case(t, driver, verbose)); /* exit, not _exit: a leak checker runs at exit */
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            snprintf(why, whylen, "waitpid: %s", strerror(errno));
            return CASE_ERROR;
        }
    }
    if (WIFEXITED(status)) {
        int code = WEXITSTATUS(status);
        if (code == CASE_ERROR)
            snprintf(why, whylen, "the case could not be run (above)");
        else if (code > CASE_IGNORED)
            snprintf(why, whylen, "the case's process exited with status %d (a sanitizer's report above?)", code);
        return code <= CASE_IGNORED ? code : CASE_ERROR;
    }
    int sig = WTERMSIG(status);
    if (sig == SIGALRM)
        snprintf(why, whylen, "timed out after %u s", timeout);
    else
        snprintf(why, whylen, "crashed (%s)", strsignal(sig));
    return CASE_ERROR;
}

static int selected(const test_desc_t *t, int argc, char **argv, int first_name)
{
    if (first_name >= argc)
        return 1;
    for (int i = first_name; i < argc; i++)
        if (strcmp(argv[i], t->name) == 0)
            return 1;
    return 0;
}

static int usage(const char *prog, const char *bad)
{
    fprintf(stderr,
            "%s: bad argument '%s'\nusage: %s [--driver ours|idf|both] [--list] [--verbose] [--timeout SECONDS] "
            "[CASE NAME...]\n",
            prog, bad, prog);
    return 2;
}

int main(int argc, char **argv)
{
    const mmsim_idftest_build_t *b = &mmsim_idftest_build;
    int drivers[2] = {MMSIM_DRIVER_OURS, MMSIM_DRIVER_IDF}, ndrivers = 2;
    int list = 0, verbose = 0, first_name = argc;
    unsigned timeout = 300;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--driver") == 0 && i + 1 < argc) {
            const char *d = argv[++i];
            if (strcmp(d, "ours") == 0)
                ndrivers = 1;
            else if (strcmp(d, "idf") == 0)
                drivers[0] = MMSIM_DRIVER_IDF, ndrivers = 1;
            else if (strcmp(d, "both") != 0)
                return usage(argv[0], d);
        } else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc) {
            char *end;
            unsigned long v = strtoul(argv[++i], &end, 10);
            if (*end || v == 0 || v > 86400)
                return usage(argv[0], argv[i]);
            timeout = (unsigned)v;
        } else if (strcmp(argv[i], "--list") == 0) {
            list = 1;
        } else if (strcmp(argv[i], "--verbose") == 0) {
            verbose = 1;
        } else if (argv[i][0] == '-') {
            return usage(argv[0], argv[i]);
        } else {
            first_name = i;
            break;
        }
    }
    for (int i = first_name; i < argc; i++) {
        const test_desc_t *t = s_first;
        while (t && strcmp(t->name, argv[i]) != 0)
            t = t->next;
        if (!t) {
            fprintf(stderr, "%s: no test case named '%s' (--list shows them)\n", argv[0], argv[i]);
            return 2;
        }
    }
    printf("# %s (sdkconfig.ci.%s) on %s (ESP-IDF driver variant %s), partitions %s\n", b->app, b->config, b->chip,
           b->variant, b->partitions);
    unsigned pass = 0, fail = 0, skip = 0;
    for (const test_desc_t *t = s_first; t; t = t->next) {
        if (!selected(t, argc, argv, first_name))
            continue;
        if (list) {
            printf("%s %s\n", t->name, t->desc);
            continue;
        }
        const char *reason = skip_reason(t);
        if (reason) {
            printf("SKIP  %s  \"%s\": %s\n", b->chip, t->name, reason);
            skip++;
            continue;
        }
        for (int d = 0; d < ndrivers; d++) {
            const char *dname = drivers[d] == MMSIM_DRIVER_IDF ? "idf" : "ours";
            char why[160] = "";
            int r = run_in_child(t, drivers[d], verbose, timeout, why, sizeof why);
            if (r == CASE_IGNORED)
                snprintf(why, sizeof why, "ignored by the case itself (TEST_IGNORE)");
            static const char *const word[] = {"PASS", "FAIL", "FAIL", "SKIP"};
            printf("%s  %s %s  \"%s\"%s%s\n", word[r], b->chip, dname, t->name, why[0] ? ": " : "", why);
            if (r == CASE_PASS)
                pass++;
            else if (r == CASE_IGNORED)
                skip++;
            else
                fail++;
        }
    }
    if (!list)
        printf("%u passed, %u failed, %u skipped\n", pass, fail, skip);
    return fail ? 1 : 0;
}
