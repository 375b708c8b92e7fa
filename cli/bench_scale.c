/* bench_scale.c - `mmsim bench --scale`: the scenario suite 10 and 100 times over, each
 * run as its own `mmsim run --jobs 1 --junit FILE` process (this executable; the
 * report as CI asks for it, into a temporary folder), so its peak memory is that
 * command's and nothing left from the other measurements: scenarios per
 * second and peak RSS of each, and the ratios that say whether time grows linearly
 * (100x / 10x near 10) and memory stays flat (near 1). */
#define _DEFAULT_SOURCE /* wait4 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "scn.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Run `mmsim run --jobs 1 --junit JUNIT SUITE x times`; 0 with the wall time and
 * peak RSS (KB). */
static int run_times(const char *suite, unsigned times, const char *junit, double *seconds, double *peak_kb)
{
    char **argv = calloc(times + 7, sizeof *argv);
    if (!argv)
        return -1;
    argv[0] = "mmsim", argv[1] = "run", argv[2] = "--jobs", argv[3] = "1", argv[4] = "--junit", argv[5] = (char *)junit;
    for (unsigned i = 0; i < times; i++)
        argv[6 + i] = (char *)suite;
    double t0 = now_s();
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0)
            dup2(null, STDOUT_FILENO);
        execv("/proc/self/exe", argv);
        _exit(127);
    }
    free(argv);
    if (pid < 0) {
        fprintf(stderr, "mmsim bench: scale: cannot start a run: %s\n", strerror(errno));
        return -1;
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "mmsim bench: scale: `mmsim run --jobs 1` of %s x%u failed\n", suite, times);
        return -1;
    }
    *seconds = now_s() - t0;
    *peak_kb = (double)ru.ru_maxrss; /* Linux: kilobytes */
    return 0;
}

int bench_suite_scale(const bench_opts_t *o, bench_item_t *it)
{
    size_t bad = 0;
    scn_plan_t *plan = scn_plan_new(&o->suite, 1, NULL, 1, 1, stderr, &bad);
    size_t n = plan && !bad ? scn_plan_count(plan) : 0;
    scn_plan_free(plan);
    if (!n) {
        fprintf(stderr, "mmsim bench: scale: %s: no scenario could be loaded\n", o->suite);
        return -1;
    }
    const char *tmp = getenv("TMPDIR");
    char dir[4096], junit[4200];
    snprintf(dir, sizeof dir, "%s/mmsim-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        fprintf(stderr, "mmsim bench: scale: cannot make a temporary folder %s: %s\n", dir, strerror(errno));
        return -1;
    }
    snprintf(junit, sizeof junit, "%s/junit.xml", dir);
    double t10, m10, t100, m100;
    int rc = run_times(o->suite, 10, junit, &t10, &m10) || run_times(o->suite, 100, junit, &t100, &m100) ? -1 : 0;
    unlink(junit);
    rmdir(dir);
    if (rc)
        return -1;
    snprintf(it->note, sizeof it->note, "%zu and %zu scenarios (%s 10 and 100 times), mmsim run --jobs 1 --junit",
             10 * n, 100 * n, o->suite);
    bench_put(it, "x10_scenarios_per_s", "10x: scenarios per second", "1/s", 10.0 * (double)n / t10);
    bench_put(it, "x10_peak_mb", "10x: peak memory", "MB", m10 / 1024);
    bench_put(it, "x100_scenarios_per_s", "100x: scenarios per second", "1/s", 100.0 * (double)n / t100);
    bench_put(it, "x100_peak_mb", "100x: peak memory", "MB", m100 / 1024);
    bench_put(it, "time_ratio", "time 100x / 10x (linear: 10)", "x", t100 / t10);
    bench_put(it, "memory_ratio", "peak memory 100x / 10x (flat: 1)", "x", m100 / m10);
    return 0;
}
