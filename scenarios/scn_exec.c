/* scn_exec.c - the interpreter's entry points: one scenario run on this thread on
 * our driver, ESP-IDF's or both (then compared step by step), or skipped when it
 * pins another ESP-IDF release than the checkout's; the outcome it produces; and a
 * scenario stepped through for the view.  The boot is in scn_exec_boot.c, the steps
 * in scn_exec_steps.c, the reports of a step in scn_exec_report.c (scn_runner.h). */
#include "scn_exec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chipdef_load.h"
#include "esp_log.h"
#include "fw_build.h"
#include "scn_runner.h"

#ifdef MMSIM_CHECK_INVARIANTS
#define CHECK_INVARIANTS_ALWAYS true
#else
#define CHECK_INVARIANTS_ALWAYS false
#endif

/* One run of sc on one driver; R is zeroed by the caller except opts and x.driver. */
static bool run_scenario(scn_runner_t *R, const scn_scenario_t *sc)
{
    R->x.sc = sc;
    R->budget = R->opts->max_steps ? R->opts->max_steps : SCN_DEFAULT_MAX_STEPS;
    R->check_invariants = R->opts->check_invariants || CHECK_INVARIANTS_ALWAYS;
    esp_log_capture_begin();
    mmsim_t *prev = mmsim_current();
    bool ok = scn_runner_boot(R) && (sc->boot.refused || scn_runner_steps(R));
    scn_runner_note_cuts(R);
    if (R->opts->profile)
        scn_runner_profile_end(R);
    mmsim_close(R->x.m);
    R->x.m = NULL;
    mmsim_select(prev);
    scn_env_free(&R->x.env);
    esp_log_capture_end();
    return ok;
}

/* The first line where two records differ, as a failure message. */
static void report_difference(scn_buf_t *failure, const char *ours, const char *idf)
{
    ours = ours ? ours : "";
    idf = idf ? idf : "";
    while (*ours || *idf) {
        size_t lo = strcspn(ours, "\n"), li = strcspn(idf, "\n");
        if (lo != li || memcmp(ours, idf, lo) != 0) {
            scn_buf_printf(failure, "drivers differ:\n  ours: %.*s\n  idf:  %.*s\n", (int)lo, *ours ? ours : "(scenario ended)",
                           (int)li, *idf ? idf : "(scenario ended)");
            return;
        }
        ours += lo + (ours[lo] == '\n');
        idf += li + (idf[li] == '\n');
    }
}

/* The ESP-IDF release a scenario must run on, if it pins one ("" if not). */
static const char *pinned_release(const scn_scenario_t *sc)
{
    for (size_t i = 0; i < sc->nsets; i++)
        if (strncmp(sc->sets[i], "idf_version=", 12) == 0)
            return sc->sets[i] + 12;
    return "";
}

/* The idf_version our driver mimics when compared with the checkout's release: that
 * release, or "master" for one newer than any our driver knows (a development tree). */
static const char *ours_version_for(const char *release)
{
    return release && chipdef_idf_version_code(release) ? release : "master";
}

/* "vX.Y" or "vX.Y.Z" as major*10000 + minor*100 + patch, any release; 0 if malformed. */
static uint32_t release_code(const char *v)
{
    unsigned major, minor, patch = 0;
    int n = 0;
    if (sscanf(v, "v%u.%u%n", &major, &minor, &n) != 2 || minor > 99 || major > 99)
        return 0;
    if (v[n] == '.') {
        int m = 0;
        if (sscanf(v + n, ".%u%n", &patch, &m) != 1 || patch > 99)
            return 0;
        n += m;
    }
    return v[n] ? 0 : major * 10000u + minor * 100u + patch;
}

/* The newest release our driver knows (master behaves as it). */
#define LAST_KNOWN (CHIPDEF_IDF_MASTER / 10000u), (CHIPDEF_IDF_MASTER / 100u % 100u)

bool scn_idf_pin_matches(const char *pinned, const char *release, char *why, size_t size)
{
    uint32_t have = release ? release_code(release) : 0;
    /* A checkout newer than any release our driver knows is a development tree:
     * master's esp_idf_version.h already names the next release. */
    bool dev = have && !chipdef_idf_version_code(release) && have > CHIPDEF_IDF_MASTER;
    bool match = !strcmp(pinned, "master") ? dev : have && release_code(pinned) == have;
    if (match || !why)
        return match;
    char pin[160], co[200];
    uint32_t want = release_code(pinned);
    if (!strcmp(pinned, "master"))
        snprintf(pin, sizeof pin, "master (a development tree, newer than v%u.%u, the last release mmsim knows)",
                 LAST_KNOWN);
    else if (want && !strchr(strchr(pinned, '.') + 1, '.')) /* vX.Y: its first release */
        snprintf(pin, sizeof pin, "%s (release v%u.%u.0)", pinned, want / 10000, want / 100 % 100);
    else
        snprintf(pin, sizeof pin, "%s", pinned);
    if (!release)
        snprintf(co, sizeof co, "absent");
    else if (dev)
        snprintf(co, sizeof co, "%s (newer than v%u.%u: a development tree of v%u.%u, what idf_version master names)",
                 release, LAST_KNOWN, have / 10000, have / 100 % 100);
    else
        snprintf(co, sizeof co, "%s (a release)", release);
    snprintf(why, size, "pins idf_version %s; the ESP-IDF checkout is %s", pin, co);
    return false;
}

/* Whether the scenario's build says "# CONFIG_PARTITION_TABLE_MD5 is not set".  A build
 * that does not read is left to the run, which reports it. */
static bool build_without_md5(const scn_scenario_t *sc)
{
    fw_build_t *b = sc->build ? malloc(sizeof *b) : NULL;
    fw_error_t err;
    if (!b || fw_build_load(sc->build, b, &err)) {
        free(b);
        return false;
    }
    const fw_kv_t *e = b->has_sdkconfig ? fw_kv_get(&b->sdkconfig, "CONFIG_PARTITION_TABLE_MD5") : NULL;
    bool off = e && !e->set;
    fw_build_free(b);
    free(b);
    return off;
}

/* Whether ESP-IDF's driver can run the scenario's chip configuration: the release our
 * driver mimics for the checkout must offer it (the chip loader refuses options a
 * release lacks, ESP-TEE on ESP32-C61 before v6.0, which the scenario's own release
 * offered; not asked of a scenario that pins its release), and a driver library must be
 * built for it: every one is compiled with CONFIG_PARTITION_TABLE_MD5 (partition.c tests
 * it in #if), so partition_table_md5 false, in the config or the build's sdkconfig, runs
 * on our driver only.  False with the reason in why[size]. */
static bool config_offered(const scn_scenario_t *sc, const char *release, bool pinned, char *why, size_t size)
{
    const size_t max = sizeof sc->sets / sizeof sc->sets[0];
    const size_t nsets = sc->nsets < max ? sc->nsets : max;
    const char *sets[sizeof sc->sets / sizeof sc->sets[0] + 1];
    char version[48];
    snprintf(version, sizeof version, "idf_version=%s", ours_version_for(release));
    for (size_t i = 0; i < nsets; i++)
        sets[i] = sc->sets[i];
    sets[nsets] = version;
    chipdef_t *chip = malloc(sizeof *chip);
    ydoc_err_t err;
    bool loaded = !chip || chipdef_load(sc->chip, sets, nsets + (pinned ? 0 : 1), chip, &err) == 0;
    bool offered = loaded;
    if (!loaded)
        snprintf(why, size, "its configuration is not one ESP-IDF %s offers: %s", release, err.msg);
    else if ((chip && !chip->config.partition_table_md5) || build_without_md5(sc)) {
        snprintf(why, size, "partition_table_md5 is false (CONFIG_PARTITION_TABLE_MD5 off): the ESP-IDF driver "
                            "libraries are built with it on, as partition.c tests it in #if, so this runs on our "
                            "driver only");
        offered = false;
    }
    free(chip);
    return offered;
}

void scn_exec_scenario(const scn_scenario_t *sc, const scn_run_opts_t *opts, scn_outcome_t *out)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    scn_runner_t R = {.opts = opts};
    bool ok, skipped = false;
    const char *release = mmsim_idf_release(), *pinned = pinned_release(sc);
    char why[YDOC_ERR_MAX + 256];
    if (opts->driver != SCN_DRIVER_OURS && pinned[0] && !scn_idf_pin_matches(pinned, release, why, sizeof why)) {
        /* ESP-IDF's code is the checkout's release; a scenario written for another
         * release's behaviour cannot run on it. */
        scn_buf_printf(&R.failure, "%s\n", why);
        ok = true;
        skipped = true;
    } else if (opts->driver != SCN_DRIVER_OURS && sc->chip && chipdef_builtin_find(sc->chip, NULL) &&
               !mmsim_idf_has_chip(sc->chip)) {
        /* An older checkout than the chip: there is no ESP-IDF driver to run. */
        scn_buf_printf(&R.failure, "runs on %s; the ESP-IDF checkout %s has no port of it (components/esp_mm/port)\n",
                       sc->chip, release);
        ok = skipped = true;
    } else if (opts->driver != SCN_DRIVER_OURS && !config_offered(sc, release, pinned[0] != 0, why, sizeof why)) {
        scn_buf_printf(&R.failure, "%s\n", why);
        ok = skipped = true;
    } else if (opts->driver == SCN_DRIVER_BOTH) {
        scn_runner_t ours = {.opts = opts,
                             .x = {.driver = MMSIM_DRIVER_OURS, .idf_version = ours_version_for(release)}};
        bool ours_ok = run_scenario(&ours, sc);
        R.x.driver = MMSIM_DRIVER_IDF;
        ok = run_scenario(&R, sc);
        R.invariants_broken |= ours.invariants_broken;
        if (R.x.missing_call && ours_ok) {
            /* Nothing to compare: ESP-IDF's build lacks a call the scenario makes (the
             * failure text says which). */
            skipped = ok = true;
        } else {
            if (!ours_ok) {
                scn_buf_printf(&R.failure, "with our driver: %s", ours.failure.text ? ours.failure.text : "\n");
                ok = false;
            }
            /* (A boot both refuse as expected records no step on either.) */
            if (strcmp(R.record.text ? R.record.text : "", ours.record.text ? ours.record.text : "") != 0) {
                report_difference(&R.failure, ours.record.text, R.record.text);
                ok = false;
            }
        }
        scn_buf_free(&ours.failure), scn_buf_free(&ours.hazards), scn_buf_free(&ours.log);
        scn_buf_free(&ours.steps), scn_buf_free(&ours.trace), scn_buf_free(&ours.record);
        scn_buf_free(&ours.profile);
    } else {
        R.x.driver = opts->driver == SCN_DRIVER_IDF ? MMSIM_DRIVER_IDF : MMSIM_DRIVER_OURS;
        ok = run_scenario(&R, sc);
        if (R.x.missing_call)
            skipped = ok = true; /* the failure text says which call is missing */
    }
    scn_buf_free(&R.record);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    *out = (scn_outcome_t){.file = sc->file,
                           .name = sc->name,
                           .description = sc->description,
                           .chip = sc->chip,
                           .line = sc->line,
                           .passed = ok,
                           .skipped = skipped,
                           .invariants_broken = R.invariants_broken,
                           .failure = scn_buf_take(&R.failure),
                           .hazards = scn_buf_take(&R.hazards),
                           .log = scn_buf_take(&R.log),
                           .steps = scn_buf_take(&R.steps),
                           .trace = scn_buf_take(&R.trace),
                           .profile = scn_buf_take(&R.profile),
                           .steps_run = R.steps_run,
                           .seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9};
}

long scn_exec_steps(const scn_scenario_t *sc, scn_step_fn fn, void *ctx, bool *passed)
{
    scn_run_opts_t opts = {.driver = SCN_DRIVER_OURS};
    scn_runner_t R = {.opts = &opts, .x = {.driver = MMSIM_DRIVER_OURS}, .step_fn = fn, .step_ctx = ctx};
    run_scenario(&R, sc);
    if (passed)
        *passed = R.failure.text == NULL; /* every failure is written there; a stop is not one */
    scn_buf_free(&R.failure), scn_buf_free(&R.hazards), scn_buf_free(&R.log);
    scn_buf_free(&R.steps), scn_buf_free(&R.trace), scn_buf_free(&R.record), scn_buf_free(&R.profile);
    return (long)R.steps_run;
}

void scn_outcome_free(scn_outcome_t *o)
{
    if (!o)
        return;
    free(o->failure);
    free(o->hazards);
    free(o->log);
    free(o->steps);
    free(o->trace);
    free(o->page);
    free(o->profile);
    free(o->owned);
    free(o);
}
