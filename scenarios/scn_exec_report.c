/* scn_exec_report.c - what a step that ran leaves for the reports: the failure
 * text, the failing step's hazard records, the driver's log lines (captured per
 * thread, filtered by the scenario's level), on request a verbose line, a JSON trace
 * object and the --driver both record per step, each capped per scenario; and what
 * the view's and the shell's per-step callback is handed (scn_step_info_t: with the
 * outputs as text and what the step observed as an `expect:` that holds again). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esp_log.h"
#include "scn_runner.h"
#include "scn_value.h"

/* What one scenario may keep of each of its reports (the verbose lines, the trace,
 * the driver log): a five-million-step run with --verbose must not hold gigabytes.
 * Past it the steps still run and are checked; their text is counted, not kept. */
#define MAX_REPORT_BYTES (4u << 20)

char *scn_runner_take_log(scn_runner_t *R)
{
    /* Each line starts with its level letter, as ESP_LOGx writes it. */
    static const char letters[] = "-EWIDV";
    scn_buf_t b = {0};
    for (const char *p = esp_log_capture_text(); *p;) {
        size_t len = strcspn(p, "\n");
        const char *lvl = strchr(letters, *p);
        if (!lvl || !*p || (int)(lvl - letters) <= R->x.sc->log_level)
            scn_buf_add(&b, p, len + (p[len] == '\n'));
        p += len + (p[len] == '\n');
    }
    esp_log_capture_begin(); /* restart: the next step's lines only */
    char *log = scn_buf_take(&b);
    if (!log)
        return NULL;
    if (R->log.len < MAX_REPORT_BYTES)
        scn_buf_add(&R->log, log, strlen(log));
    else if (*log)
        R->log_cut++;
    return log;
}

static void step_label(char *buf, size_t size, const char *label, const scn_step_t *st, const char *iter)
{
    snprintf(buf, size, "step %s (%s, line %u%s%s)", label, st->op ? st->op->name : "repeat", st->line,
             iter[0] ? ", " : "", iter);
}

void scn_runner_fail(scn_runner_t *R, const char *label, const scn_step_t *st, const char *iter, const char *msg)
{
    char head[200];
    step_label(head, sizeof head, label, st, iter);
    /* Continuation lines of a multi-line message are indented under the head. */
    scn_buf_printf(&R->failure, "%s: ", head);
    for (const char *p = msg; *p;) {
        size_t len = strcspn(p, "\n");
        if (p != msg)
            scn_buf_add(&R->failure, "  ", 2);
        scn_buf_add(&R->failure, p, len);
        scn_buf_add(&R->failure, "\n", 1);
        p += len + (p[len] == '\n');
    }
}

void scn_runner_keep_hazards(scn_runner_t *R)
{
    size_t n = mmsim_hazard_count(R->x.m);
    for (size_t i = 0; i < n; i++) {
        const mmsim_hazard_t *h = mmsim_hazard_get(R->x.m, i);
        char line[400];
        if (h)
            scn_buf_printf(&R->hazards, "%s\n", mmsim_hazard_format(h, line, sizeof line));
    }
}

static void trace_step(scn_runner_t *R, const char *label, const scn_step_t *st, const char *iter,
                       const scn_result_t *r, const scn_obs_t *obs, const char *log, bool ok)
{
    scn_buf_t *t = &R->trace;
    scn_buf_printf(t, "{\"scenario\":");
    char id[600];
    snprintf(id, sizeof id, "%s: %s", R->x.sc->file, R->x.sc->name);
    scn_buf_json(t, id);
    scn_buf_printf(t, ",\"step\":\"%s\",\"line\":%u,\"iteration\":", label, st->line);
    scn_buf_json(t, iter);
    scn_buf_printf(t, ",\"op\":\"%s\",\"args\":{", st->op->name);
    const char *p = r->args;
    for (bool first = true; *p; first = false) {
        size_t len = strcspn(p, " "), eq = strcspn(p, "=");
        char key[64], val[200];
        snprintf(key, sizeof key, "%.*s", (int)(eq < len ? eq : len), p);
        snprintf(val, sizeof val, "%.*s", eq < len ? (int)(len - eq - 1) : 0, eq < len ? p + eq + 1 : "");
        scn_buf_printf(t, "%s", first ? "" : ",");
        scn_buf_json(t, key);
        scn_buf_add(t, ":", 1);
        scn_buf_json(t, val);
        p += len + (p[len] == ' ');
    }
    scn_buf_printf(t, "},\"ret\":\"%s\",\"out\":{", scn_err_name(r->ret));
    for (int i = 0; i < SCN_MAX_OUTS && st->op->outs[i].key; i++) {
        char v[600];
        scn_out_text(&st->op->outs[i], &r->outs[i], v, sizeof v);
        scn_buf_printf(t, "%s\"%s\":", i ? "," : "", st->op->outs[i].key);
        scn_buf_json(t, st->op->outs[i].kind == SCN_OUT_TEXT && r->outs[i].text ? r->outs[i].text : v);
    }
    scn_buf_printf(t, "},\"cycles\":[");
    for (uint32_t c = 0; c < mmsim_cores(obs->m) && c < SCN_MAX_CORES; c++)
        scn_buf_printf(t, "%s%llu", c ? "," : "", (unsigned long long)obs->cycles[c]);
    scn_buf_printf(t, "],\"hazards\":[");
    for (size_t i = 0; i < mmsim_hazard_count(obs->m); i++) {
        const mmsim_hazard_t *h = mmsim_hazard_get(obs->m, i);
        char line[400];
        if (!h)
            break;
        scn_buf_printf(t, "%s{\"kind\":\"%s\",\"text\":", i ? "," : "", mmsim_hazard_name(h->kind));
        scn_buf_json(t, mmsim_hazard_format(h, line, sizeof line));
        scn_buf_add(t, "}", 1);
    }
    scn_buf_printf(t, "],\"log\":");
    scn_buf_json(t, log);
    scn_buf_printf(t, ",\"ok\":%s}\n", ok ? "true" : "false");
}

static void verbose_step(scn_runner_t *R, const char *label, const scn_step_t *st, const char *iter,
                         const scn_result_t *r, const scn_obs_t *obs, const char *log)
{
    scn_buf_t *b = &R->steps;
    scn_buf_printf(b, "step %s line %u%s%s: %s %s -> %s", label, st->line, iter[0] ? " " : "", iter, st->op->name,
                   r->args, scn_err_name(r->ret));
    for (int i = 0; i < SCN_MAX_OUTS && st->op->outs[i].key; i++) {
        char v[200];
        scn_out_text(&st->op->outs[i], &r->outs[i], v, sizeof v);
        scn_buf_printf(b, " %s=%s", st->op->outs[i].key, v);
    }
    char h[300];
    scn_hazard_summary(obs->m, h, sizeof h);
    scn_buf_printf(b, " (cycles %llu, hazards: %s)\n", (unsigned long long)obs->cycles[r->core < SCN_MAX_CORES ? r->core : 0], h);
    for (const char *p = log; *p;) {
        size_t len = strcspn(p, "\n");
        scn_buf_printf(b, "  %.*s\n", (int)len, p);
        p += len + (p[len] == '\n');
    }
}

/* One line per step of what both drivers must agree on: the return code, every output
 * (pointers, sizes, bytes read, dump text) except himem handles (host pointers), and
 * the hazards raised.  Cycles and log lines are left out: the drivers may spend
 * different time, and log lines carry source line numbers. */
static void record_step(scn_runner_t *R, const char *label, const scn_step_t *st, const char *iter,
                        const scn_result_t *r)
{
    scn_buf_t *b = &R->record;
    scn_buf_printf(b, "step %s (%s, line %u%s%s): %s", label, st->op->name, st->line, iter[0] ? ", " : "", iter,
                   scn_err_name(r->ret));
    for (int i = 0; i < SCN_MAX_OUTS && st->op->outs[i].key; i++) {
        if (st->op->outs[i].kind == SCN_OUT_HIMEM || st->op->outs[i].kind == SCN_OUT_RANGE ||
            st->op->outs[i].kind == SCN_OUT_MMAP)
            continue;
        char v[600];
        scn_out_text(&st->op->outs[i], &r->outs[i], v, sizeof v);
        const char *text = st->op->outs[i].kind == SCN_OUT_TEXT && r->outs[i].text ? r->outs[i].text : v;
        scn_buf_printf(b, " %s=", st->op->outs[i].key);
        scn_buf_json(b, text);
    }
    scn_buf_printf(b, " hazards:");
    for (size_t i = 0; i < mmsim_hazard_count(R->x.m); i++) {
        const mmsim_hazard_t *h = mmsim_hazard_get(R->x.m, i);
        char line[400];
        if (h)
            scn_buf_printf(b, " [%s]", mmsim_hazard_format(h, line, sizeof line));
    }
    scn_buf_add(b, "\n", 1);
}

void scn_runner_step_reports(scn_runner_t *R, const char *label, const scn_step_t *st, const char *iter,
                             const scn_result_t *r, const scn_obs_t *obs, bool ok)
{
    if (R->opts->driver == SCN_DRIVER_BOTH)
        record_step(R, label, st, iter, r);
    if (R->opts->verbose && !(R->steps_cut += R->steps.len >= MAX_REPORT_BYTES))
        verbose_step(R, label, st, iter, r, obs, obs->log);
    if (R->opts->trace && !(R->trace_cut += R->trace.len >= MAX_REPORT_BYTES))
        trace_step(R, label, st, iter, r, obs, obs->log, ok);
    if (R->opts->profile)
        scn_runner_profile_step(R, label, st, iter, r, obs);
}

/* Say what the caps left out, where a reader of each report looks. */
void scn_runner_note_cuts(scn_runner_t *R)
{
    if (R->log_cut)
        scn_buf_printf(&R->log, "... the log lines of %zu more steps are not kept (%u MB per scenario)\n", R->log_cut,
                       MAX_REPORT_BYTES >> 20);
    if (R->steps_cut)
        scn_buf_printf(&R->steps, "... %zu more steps ran; not shown (%u MB of verbose output per scenario)\n",
                       R->steps_cut, MAX_REPORT_BYTES >> 20);
    if (R->trace_cut) {
        char id[600];
        snprintf(id, sizeof id, "%s: %s", R->x.sc->file, R->x.sc->name);
        scn_buf_printf(&R->trace, "{\"scenario\":");
        scn_buf_json(&R->trace, id);
        scn_buf_printf(&R->trace, ",\"steps_not_traced\":%zu,\"why\":\"%u MB of trace per scenario\"}\n",
                       R->trace_cut, MAX_REPORT_BYTES >> 20);
    }
}

/* A text as a YAML double-quoted scalar (a dump's lines). */
static void yaml_quoted(scn_buf_t *b, const char *text)
{
    scn_buf_add(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '"' || *p == '\\')
            scn_buf_printf(b, "\\%c", *p);
        else if (*p == '\n')
            scn_buf_add(b, "\\n", 2);
        else if (*p == '\t')
            scn_buf_add(b, "\\t", 2);
        else if (*p < 0x20 || *p == 0x7f)
            scn_buf_printf(b, "\\x%02x", *p);
        else
            scn_buf_add(b, (const char *)p, 1);
    }
    scn_buf_add(b, "\"", 1);
}

/* What a step observed, written as the `expect:` that holds when it runs again (runs
 * are deterministic): ret, every output but handles (host pointers, compared by
 * nothing), the hazards by kind.  Cycles and log lines are left to the author: they
 * follow the timing model and the driver's wording, which move between releases. */
static void observed_text(scn_buf_t *b, const scn_step_t *st, const scn_result_t *r, const mmsim_t *m)
{
    int code;
    const char *ret = scn_err_name(r->ret);
    scn_buf_printf(b, "{ret: %s", scn_err_from_name(ret, &code) ? ret : "any");
    for (int i = 0; i < SCN_MAX_OUTS && st->op->outs[i].key; i++) {
        const scn_out_spec_t *spec = &st->op->outs[i];
        const scn_outval_t *v = &r->outs[i];
        if (!v->set || spec->kind == SCN_OUT_HIMEM || spec->kind == SCN_OUT_RANGE || spec->kind == SCN_OUT_MMAP)
            continue;
        scn_buf_printf(b, ", %s: ", spec->key);
        if (spec->kind == SCN_OUT_TEXT) {
            yaml_quoted(b, v->text ? v->text : "");
        } else if (spec->kind == SCN_OUT_BYTES) {
            size_t size = 3 * v->nbytes + 16;
            char *t = malloc(size);
            if (t) {
                scn_bytes_text(v->bytes, v->nbytes, t, size);
                scn_buf_printf(b, "%s", v->nbytes ? t : "\"\"");
            }
            free(t);
        } else if ((spec->kind == SCN_OUT_TARGET || spec->kind == SCN_OUT_CAPS) && !v->flags) {
            scn_buf_add(b, "0", 1);
        } else {
            char t[200];
            scn_out_text(spec, v, t, sizeof t);
            scn_buf_printf(b, "%s", t);
        }
    }
    scn_buf_printf(b, ", hazards: ");
    bool any = false;
    for (int k = 0; k < MMSIM_HAZARD_KIND_COUNT; k++) {
        size_t n = mmsim_hazard_count_kind(m, (mmsim_hazard_kind_t)k);
        if (n)
            scn_buf_printf(b, "%s%s: %zu", any ? ", " : "{", mmsim_hazard_name((mmsim_hazard_kind_t)k), n), any = true;
    }
    scn_buf_printf(b, "%s}", any ? "}" : "[]");
}

bool scn_runner_hand_step(scn_runner_t *R, const char *label, const scn_step_t *st, const char *iter,
                          const scn_result_t *r, uint64_t cycles, bool ok, const char *failure, const char *log)
{
    if (!R->step_fn)
        return true;
    scn_buf_t outs = {0}, observed = {0};
    const char *text = "";
    if (st && r) {
        for (int i = 0; i < SCN_MAX_OUTS && st->op->outs[i].key; i++) {
            if (st->op->outs[i].kind == SCN_OUT_TEXT && r->outs[i].set && r->outs[i].text)
                text = r->outs[i].text;
            char v[200];
            scn_out_text(&st->op->outs[i], &r->outs[i], v, sizeof v);
            scn_buf_printf(&outs, "%s%s=%s", i ? " " : "", st->op->outs[i].key, v);
        }
        observed_text(&observed, st, r, R->x.m);
    }
    scn_step_info_t info = {.number = R->steps_run,
                            .label = label,
                            .iteration = iter,
                            .line = st ? st->line : R->x.sc->line,
                            .op = st ? st->op->name : "boot",
                            .description = st && st->description ? st->description
                                           : st                  ? R->repeat_description
                                                                 : R->x.sc->description,
                            .args = r ? r->args : "",
                            .ret = r ? r->ret : 0,
                            .ret_name = scn_err_name(r ? r->ret : 0),
                            .core = r ? r->core : 0,
                            .cycles = cycles,
                            .ok = ok,
                            .failure = failure ? failure : "",
                            .outs = outs.text ? outs.text : "",
                            .text = text,
                            .log = log ? log : "",
                            .observed = observed.text ? observed.text : "",
                            .env = &R->x.env,
                            .m = R->x.m};
    bool go_on = R->step_fn(&info, R->step_ctx);
    scn_buf_free(&outs);
    scn_buf_free(&observed);
    return go_on;
}
