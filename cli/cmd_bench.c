/* cmd_bench.c - `mmsim bench`: how fast the simulator runs on this host, measured
 * through the embedding API a user links (mmsim.h and the driver API), never with
 * a timed unit test.  This file owns the command: its options, the list of
 * measurements, the statistics over the repetitions and the table and JSON output.
 * The measurements themselves are in bench_measure.c (bench.h).
 *
 * Each measurement is one function that runs ONE repetition and adds one sample to
 * each of its figures; the command runs it --reps times and reports the median and
 * the spread (min..max) of every figure.  Adding a measurement is one more function
 * and one more row of `bench_items`. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "cli.h"
#include "esp_log.h"
#include "mmsim.h"

#define BENCH_DEFAULT_REPS 5
#define BENCH_DEFAULT_CHIP "esp32s3" /* the common PSRAM chip: write-back cache, one MMU */
#define BENCH_SLICE_S 0.15            /* host time of one repetition's timed loop */

static const char bench_usage[] =
    "usage: mmsim bench [--chip NAME] [--suite DIR] [--reps N] [--json] [--scale]\n"
    "\n"
    "Measures the simulator's host speed through the embedding API, on one host core:\n"
    "  hit_load     4-byte CPU loads that all hit the cache, against the same loop over\n"
    "               a host buffer (the native reference)\n"
    "  miss_load    4-byte CPU loads that all miss (line fills, dirty victims written\n"
    "               back where the cache is write-back)\n"
    "  bulk         one mmsim_cpu_read / mmsim_cpu_write of 1 MB\n"
    "  map_unmap    esp_mmu_map + esp_mmu_unmap pairs with 0, 100 and the most live\n"
    "               blocks the chip holds (on ESP32 each includes the PSRAM write-back\n"
    "               sweep of cache_sync, as on the chip)\n"
    "  suite        the bundled scenario suite loaded and run on one thread, as\n"
    "               `mmsim run --jobs 1` does: scenarios per second and wall time\n"
    "  open_close   mmsim_open + mmsim_close of the largest chip (esp32p4, 16 MB flash,\n"
    "               32 MB PSRAM) and the memory it holds before any access\n"
#ifdef MMSIM_HAVE_DIRECT
    "  direct       a 4-byte load through a window pointer (a trapped access) against\n"
    "               this host's bare SIGSEGV round trip, and a 64 KB memcpy out of\n"
    "               mapped flash through the interception against mmsim_cpu_read\n"
#endif
    "  suite_scale  (with --scale) the suite 10 and 100 times over, each an `mmsim run\n"
    "               --jobs 1` process: scenarios per second, peak memory, and the ratios\n"
    "               100x / 10x of time (linear: 10) and memory (flat: 1); minutes\n"
    "  boot_build   mmsim_open + mmsim_close booting a 4 MB merged flash (the bundled\n"
    "               OTA build, ota_1 chosen; goal under 10 ms), against the same chip's\n"
    "               synthetic app; the image is a temporary file in $TMPDIR\n"
    "Each figure is the median of the repetitions, with min..max.\n"
    "\n"
    "options:\n"
    "  --chip NAME   built-in chip or chip YAML for the first four (default " BENCH_DEFAULT_CHIP ")\n"
    "  --suite DIR   the scenario suite to time (default: the bundled one,\n"
    "               " MMSIM_SUITE_DIR ")\n"
    "  --reps N      repetitions per measurement, 1 to 101 (default 5)\n"
    "  --json        one JSON object instead of the table\n"
    "  --scale       also measure suite_scale\n"
    "\n"
    "exit status: 0 done, 1 a measurement could not run, 2 bad usage\n";

/* ---- figures ------------------------------------------------------------------ */

static int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef struct {
    double median, min, max;
} bench_stat_t;

static bench_stat_t bench_stat(const bench_fig_t *f)
{
    double s[BENCH_MAX_REPS];
    memcpy(s, f->v, f->n * sizeof s[0]);
    qsort(s, f->n, sizeof s[0], bench_cmp_double);
    double med = f->n % 2 ? s[f->n / 2] : (s[f->n / 2 - 1] + s[f->n / 2]) / 2;
    return (bench_stat_t){med, s[0], s[f->n - 1]};
}

/* ---- the host ---------------------------------------------------------------------- */

static void bench_host_cpu(char *out, size_t len)
{
    snprintf(out, len, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        char *colon = strchr(line, ':');
        if (!strncmp(line, "model name", 10) && colon) {
            colon += 1 + strspn(colon + 1, " \t");
            colon[strcspn(colon, "\n")] = '\0';
            snprintf(out, len, "%s", colon);
            break;
        }
    }
    fclose(f);
}

/* ---- the command ---------------------------------------------------------------------- */

static const struct {
    const char *key, *title;
    bench_fn_t fn;
} bench_items[] = {
    {"hit_load", "cache-hit loads", bench_hit_load},
    {"miss_load", "cache-miss loads", bench_miss_load},
    {"bulk", "bulk access", bench_bulk},
    {"map_unmap", "esp_mmu_map + esp_mmu_unmap", bench_map_unmap},
    {"suite", "the bundled scenario suite", bench_suite},
    {"open_close", "open + close of the largest chip", bench_open_close},
#ifdef MMSIM_HAVE_DIRECT
    {"direct", "pointer access (libmmsim_direct)", bench_direct},
#endif
    {"suite_scale", "the suite 10 and 100 times over", bench_suite_scale}, /* --scale only */
    {"boot_build", "boot of a user's build", bench_boot_build},
};
#define BENCH_NITEMS (sizeof bench_items / sizeof bench_items[0])

static void bench_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(f, "\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            fprintf(f, "\\u%04x", *s);
        else
            fputc(*s, f);
    }
    fputc('"', f);
}

static void bench_print_json(FILE *f, const char *chip, unsigned reps, const char *cpu, const bench_item_t *items)
{
    fprintf(f, "{\n  \"chip\": ");
    bench_json_string(f, chip);
    fprintf(f, ",\n  \"reps\": %u,\n  \"host\": {\"cpu\": ", reps);
    bench_json_string(f, cpu);
    fprintf(f, ", \"online_cpus\": %ld},\n  \"results\": {", sysconf(_SC_NPROCESSORS_ONLN));
    for (size_t i = 0; i < BENCH_NITEMS && items[i].key; i++) { /* the items run */
        const bench_item_t *it = &items[i];
        fprintf(f, "%s\n    \"%s\": {\n      \"title\": ", i ? "," : "", it->key);
        bench_json_string(f, it->title);
        fprintf(f, ",\n      \"note\": ");
        bench_json_string(f, it->note);
        for (unsigned j = 0; j < it->nfigs; j++) {
            const bench_fig_t *g = &it->figs[j];
            bench_stat_t s = bench_stat(g);
            fprintf(f, ",\n      \"%s\": {\"unit\": \"%s\", \"median\": %.6g, \"min\": %.6g, \"max\": %.6g, \"samples\": [",
                    g->key, g->unit, s.median, s.min, s.max);
            for (unsigned k = 0; k < g->n; k++)
                fprintf(f, "%s%.6g", k ? ", " : "", g->v[k]);
            fprintf(f, "]}");
        }
        fprintf(f, "\n    }");
    }
    fprintf(f, "\n  }\n}\n");
}

static void bench_print_table(FILE *f, const char *chip, unsigned reps, const char *cpu, const bench_item_t *items)
{
    fprintf(f, "mmsim bench: %s, median of %u repetition%s (min .. max)\nhost: %s, %ld CPUs online\n", chip, reps,
            reps == 1 ? "" : "s", cpu, sysconf(_SC_NPROCESSORS_ONLN));
    for (size_t i = 0; i < BENCH_NITEMS && items[i].key; i++) { /* the items run */
        const bench_item_t *it = &items[i];
        fprintf(f, "\n%s (%s)\n", it->title, it->note);
        for (unsigned j = 0; j < it->nfigs; j++) {
            const bench_fig_t *g = &it->figs[j];
            bench_stat_t s = bench_stat(g);
            fprintf(f, "  %-34s %12.4g %-5s (%.4g .. %.4g)\n", g->label, s.median, g->unit, s.min, s.max);
        }
    }
}

int cmd_bench(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(bench_usage, stdout);
        return CLI_OK;
    }
    const char *chip = BENCH_DEFAULT_CHIP, *suite = MMSIM_SUITE_DIR;
    unsigned reps = BENCH_DEFAULT_REPS;
    bool json = false, scale = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) {
            json = true;
        } else if (!strcmp(argv[i], "--scale")) {
            scale = true;
        } else if (!strcmp(argv[i], "--chip") || !strcmp(argv[i], "--reps") || !strcmp(argv[i], "--suite")) {
            if (i + 1 == argc) {
                fprintf(stderr, "mmsim bench: %s needs a value\n%s", argv[i], bench_usage);
                return CLI_BAD_INPUT;
            }
            const char *v = argv[++i];
            if (!strcmp(argv[i - 1], "--chip")) {
                chip = v;
                continue;
            }
            if (!strcmp(argv[i - 1], "--suite")) {
                suite = v;
                continue;
            }
            char *end;
            errno = 0;
            unsigned long n = strtoul(v, &end, 10);
            if (errno || !*v || *end || *v == '-' || n < 1 || n > BENCH_MAX_REPS) {
                fprintf(stderr, "mmsim bench: --reps '%s': expected a whole number from 1 to %d\n", v,
                        BENCH_MAX_REPS);
                return CLI_BAD_INPUT;
            }
            reps = (unsigned)n;
        } else {
            fprintf(stderr, "mmsim bench: unexpected argument '%s'\n%s", argv[i], bench_usage);
            return CLI_BAD_INPUT;
        }
    }
    /* A chip that does not open is bad input, before anything is measured. */
    mmsim_config_t cfg = mmsim_config_default(chip);
    mmsim_t *m;
    if (mmsim_open(&cfg, &m)) {
        fprintf(stderr, "mmsim bench: --chip '%s': %s\n", chip, mmsim_last_error());
        return CLI_BAD_INPUT;
    }
    if (access(suite, R_OK)) {
        fprintf(stderr, "mmsim bench: --suite '%s': %s\n", suite, strerror(errno));
        return CLI_BAD_INPUT;
    }
    char name[64]; /* the chip's own name, also for a YAML path */
    snprintf(name, sizeof name, "%s", mmsim_chip_name(m));
    mmsim_close(m);

    esp_log_level_set("*", ESP_LOG_NONE); /* probing for PSRAM, filling regions: expected errors */
    bench_item_t *items = calloc(BENCH_NITEMS, sizeof *items);
    if (!items)
        return CLI_FAIL;
    bench_opts_t o = {chip, suite, BENCH_SLICE_S};
    int rc = CLI_OK;
    size_t nitems = BENCH_NITEMS - !scale; /* suite_scale is last */
    for (size_t i = 0; i < nitems && rc == CLI_OK; i++) {
        items[i].key = bench_items[i].key;
        items[i].title = bench_items[i].title;
        for (unsigned r = 0; r < reps && rc == CLI_OK; r++)
            if (bench_items[i].fn(&o, &items[i]) < 0)
                rc = CLI_FAIL;
    }
    if (rc == CLI_OK) {
        char cpu[128];
        bench_host_cpu(cpu, sizeof cpu);
        if (json)
            bench_print_json(stdout, name, reps, cpu, items);
        else
            bench_print_table(stdout, name, reps, cpu, items);
    }
    free(items);
    bench_boot_cleanup();
    return rc;
}
