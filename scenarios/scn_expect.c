/* scn_expect.c - comparing a step's result and observations with its expectations.
 * Every unmet expectation gives one line naming what was expected and what came.
 * Also an output and the hazards raised as text (scn_out_text, scn_hazard_summary). */
#include "scn_expect.h"

#include <stdio.h>
#include <string.h>

#include "scn_value.h"

void scn_out_text(const scn_out_spec_t *spec, const scn_outval_t *v, char *buf, size_t size)
{
    if (!v->set) {
        snprintf(buf, size, "(not set)");
        return;
    }
    char words[120];
    switch (spec->kind) {
    case SCN_OUT_NUMBER:
        snprintf(buf, size, v->num < 10 ? "%llu" : "0x%llx", (unsigned long long)v->num);
        return;
    case SCN_OUT_TARGET:
    case SCN_OUT_CAPS:
        scn_words_text(spec->kind == SCN_OUT_TARGET ? scn_target_words : scn_caps_words, v->flags, words, sizeof words);
        snprintf(buf, size, "[%s]", words);
        return;
    case SCN_OUT_BYTES:
        scn_bytes_text(v->bytes, v->nbytes, buf, size);
        return;
    case SCN_OUT_TEXT: {
        size_t lines = 0;
        for (const char *p = v->text ? v->text : ""; *p; p++)
            lines += *p == '\n';
        snprintf(buf, size, "(%zu lines)", lines);
        return;
    }
    default:
        snprintf(buf, size, v->handle ? "(handle)" : "(no handle)");
    }
}

void scn_hazard_summary(const mmsim_t *m, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int k = 0; k < MMSIM_HAZARD_KIND_COUNT && len < size; k++) {
        size_t n = mmsim_hazard_count_kind(m, (mmsim_hazard_kind_t)k);
        if (n)
            len += (size_t)snprintf(buf + len, size - len, "%s%s x%zu", len ? ", " : "",
                                    mmsim_hazard_name((mmsim_hazard_kind_t)k), n);
    }
    if (!len)
        snprintf(buf, size, "none");
}

static void expected_hazards(const scn_expect_t *e, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int k = 0; k < MMSIM_HAZARD_KIND_COUNT && len < size; k++)
        if (e->haz_counts[k])
            len += (size_t)snprintf(buf + len, size - len, "%s%s x%u", len ? ", " : "",
                                    mmsim_hazard_name((mmsim_hazard_kind_t)k), e->haz_counts[k]);
    if (!len)
        snprintf(buf, size, "none");
}

/* Length of the line at `p` without its trailing blanks. */
static size_t trimmed(const char *p, size_t len)
{
    while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
        len--;
    return len;
}

/* Compare line by line, ignoring blanks at line ends and empty lines at the end:
 * the dump's lines end in blanks that editors and YAML block scalars drop. */
static bool same_text(const char *a, const char *b)
{
    for (;;) {
        size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");
        size_t ta = trimmed(a, la), tb = trimmed(b, lb);
        if (ta != tb || memcmp(a, b, ta))
            return false;
        a += la + (a[la] == '\n');
        b += lb + (b[lb] == '\n');
        if (!*a || !*b) {
            while (*a == '\n' || *a == ' ')
                a++;
            while (*b == '\n' || *b == ' ')
                b++;
            return !*a && !*b;
        }
    }
}

/* "dump: line 3 differs: expected '...', got '...'" and the whole text that came. */
static void text_diff(scn_buf_t *msg, const char *key, const char *want, const char *got)
{
    const char *a = want, *b = got;
    unsigned line = 1;
    for (;; line++) {
        size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");
        size_t ta = trimmed(a, la), tb = trimmed(b, lb);
        if (ta != tb || memcmp(a, b, ta) || !a[la] || !b[lb])
            break;
        a += la + 1;
        b += lb + 1;
    }
    scn_buf_printf(msg, "%s: line %u differs: expected '%.*s', got '%.*s'; the whole text:\n%s", key, line,
                   (int)trimmed(a, strcspn(a, "\n")), a, (int)trimmed(b, strcspn(b, "\n")), b, got);
}

static int eval(const scn_exec_t *x, const scn_expr_t *e, uint64_t *v, const char *what, scn_buf_t *msg)
{
    char why[300];
    if (scn_eval(&x->env, e, v, why, sizeof why) == 0)
        return 0;
    scn_buf_printf(msg, "%s: %s\n", what, why);
    return -1;
}

/* 1 if `got` is outside the bound (a line is added), 0 inside, -1 unevaluable. */
static int check_bound(const scn_exec_t *x, const scn_bound_t *b, uint64_t got, const char *what, scn_buf_t *msg)
{
    uint64_t lo = 0, hi = UINT64_MAX;
    if (b->exact && eval(x, b->exact, &lo, what, msg))
        return -1;
    if (b->exact)
        hi = lo;
    if ((b->min && eval(x, b->min, &lo, what, msg)) || (b->max && eval(x, b->max, &hi, what, msg)))
        return -1;
    if (got >= lo && got <= hi)
        return 0;
    if (b->exact)
        scn_buf_printf(msg, "%s: expected %llu, got %llu\n", what, (unsigned long long)lo, (unsigned long long)got);
    else if (!b->max)
        scn_buf_printf(msg, "%s: expected at least %llu, got %llu\n", what, (unsigned long long)lo,
                       (unsigned long long)got);
    else if (!b->min)
        scn_buf_printf(msg, "%s: expected at most %llu, got %llu\n", what, (unsigned long long)hi,
                       (unsigned long long)got);
    else
        scn_buf_printf(msg, "%s: expected %llu to %llu, got %llu\n", what, (unsigned long long)lo,
                       (unsigned long long)hi, (unsigned long long)got);
    return 1;
}

static bool same_bytes(const uint8_t *a, size_t na, const scn_outval_t *got)
{
    return na == got->nbytes && !memcmp(a, got->bytes, na);
}

/* The alternatives of {not: ...} / {any_of: [...]} as "12 34 | ff ff". */
static void alts_text(const scn_expect_out_t *want, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < want->nalts && len + 4 < size; i++) {
        if (i)
            len += (size_t)snprintf(buf + len, size - len, " | ");
        scn_bytes_text(want->alts[i].bytes, want->alts[i].n, buf + len, size - len);
        len += strlen(buf + len);
    }
}

/* Bytes read against bytes, {not: ...}, {any_of: [...]} or {min, max}.  A negative
 * form of another length than the bytes read fails: it would pass whatever came. */
static int check_bytes(const char *key, const scn_expect_out_t *want, const scn_outval_t *got, const char *g,
                       scn_buf_t *msg)
{
    char w[300];
    switch (want->bytes_mode) {
    case SCN_BYTES_EQUAL:
        if (same_bytes(want->bytes, want->nbytes, got))
            return 0;
        scn_bytes_text(want->bytes, want->nbytes, w, sizeof w);
        scn_buf_printf(msg, "%s: expected %s, got %s\n", key, w, g);
        return 1;
    case SCN_BYTES_NOT:
        for (size_t i = 0; i < want->nalts; i++) {
            if (want->alts[i].n != got->nbytes) {
                scn_bytes_text(want->alts[i].bytes, want->alts[i].n, w, sizeof w);
                scn_buf_printf(msg, "%s: not %s has %zu bytes, the step read %zu (compare bytes of the same length)\n",
                               key, w, want->alts[i].n, got->nbytes);
                return 1;
            }
            if (same_bytes(want->alts[i].bytes, want->alts[i].n, got)) {
                alts_text(want, w, sizeof w);
                scn_buf_printf(msg, "%s: expected %s %s, got %s\n", key, want->nalts > 1 ? "none of" : "not", w, g);
                return 1;
            }
        }
        return 0;
    case SCN_BYTES_ANY_OF:
        for (size_t i = 0; i < want->nalts; i++)
            if (same_bytes(want->alts[i].bytes, want->alts[i].n, got))
                return 0;
        alts_text(want, w, sizeof w);
        scn_buf_printf(msg, "%s: expected one of %s, got %s\n", key, w, g);
        return 1;
    case SCN_BYTES_RANGE: {
        if (want->nbytes != got->nbytes) {
            scn_buf_printf(msg, "%s: expected %zu bytes within min and max, got %zu: %s\n", key, want->nbytes,
                           got->nbytes, g);
            return 1;
        }
        for (size_t i = 0; i < got->nbytes; i++)
            if (got->bytes[i] < want->bytes[i] || got->bytes[i] > want->bytes_max[i]) {
                scn_buf_printf(msg, "%s: byte %zu is 0x%02x, expected 0x%02x to 0x%02x; got %s\n", key, i,
                               got->bytes[i], want->bytes[i], want->bytes_max[i], g);
                return 1;
            }
        return 0;
    }
    }
    return 0;
}

static int check_output(const scn_exec_t *x, const scn_out_spec_t *spec, const scn_expect_out_t *want,
                        const scn_outval_t *got, scn_buf_t *msg)
{
    char g[300], w[300];
    scn_out_text(spec, got, g, sizeof g);
    if (!got->set) {
        scn_buf_printf(msg, "%s: expected a value, the call left it unset\n", spec->key);
        return 1;
    }
    switch (spec->kind) {
    case SCN_OUT_NUMBER: {
        if (!want->num.exact)
            return check_bound(x, &want->num, got->num, spec->key, msg);
        uint64_t v;
        if (eval(x, want->num.exact, &v, spec->key, msg))
            return -1;
        if (v == got->num)
            return 0;
        char expr[200];
        scn_expr_text(want->num.exact, expr, sizeof expr);
        if (want->num.exact->kind == SCN_EX_NUM)
            scn_buf_printf(msg, "%s: expected %s, got %s\n", spec->key, expr, g);
        else
            scn_buf_printf(msg, "%s: expected 0x%llx (%s), got %s\n", spec->key, (unsigned long long)v, expr, g);
        return 1;
    }
    case SCN_OUT_TARGET:
    case SCN_OUT_CAPS:
        if (want->flags == got->flags)
            return 0;
        scn_outval_t wv = {.set = true, .flags = want->flags};
        scn_out_text(spec, &wv, w, sizeof w);
        scn_buf_printf(msg, "%s: expected %s, got %s\n", spec->key, w, g);
        return 1;
    case SCN_OUT_BYTES:
        return check_bytes(spec->key, want, got, g, msg);
    case SCN_OUT_TEXT:
        if (same_text(want->text, got->text ? got->text : ""))
            return 0;
        text_diff(msg, spec->key, want->text, got->text ? got->text : "");
        return 1;
    default:
        return 0;
    }
}

static int check_log(const scn_expect_t *e, const char *log, scn_buf_t *msg)
{
    if (e->nlog == 0) {
        if (!*log)
            return 0;
        scn_buf_printf(msg, "log: expected no lines, got:\n%s", log);
        return 1;
    }
    int bad = 0;
    for (size_t i = 0; i < e->nlog; i++)
        if (!strstr(log, e->log[i])) {
            scn_buf_printf(msg, "log: expected a line containing '%s', got%s%s", e->log[i],
                           *log ? ":\n" : " no lines\n", log);
            bad++;
        }
    return bad;
}

static int check_stats(const scn_exec_t *x, const scn_expect_stats_t *s, const mmsim_cache_stats_t *d, uint32_t core,
                       scn_buf_t *msg)
{
    const struct {
        const char *key;
        const scn_bound_t *b;
        uint64_t got;
    } f[] = {{"hits", &s->hits, d->hits},
             {"misses", &s->misses, d->misses},
             {"fills", &s->fills, d->fills},
             {"writebacks", &s->writebacks, d->writebacks},
             {"evictions", &s->evictions, d->evictions},
             {"invalidations", &s->invalidations, d->invalidations}};
    int bad = 0;
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        if (!f[i].b->exact && !f[i].b->min && !f[i].b->max)
            continue;
        char what[80];
        snprintf(what, sizeof what, "stats %s core %u %s", s->cache_name, core, f[i].key);
        int rc = check_bound(x, f[i].b, f[i].got, what, msg);
        if (rc < 0)
            return -1;
        bad += rc;
    }
    return bad;
}

double scn_rate(const mmsim_t *m, uint64_t bytes, uint64_t cycles, bool mib)
{
    if (!cycles)
        return 0;
    double per_us = (double)bytes * mmsim_cpu_mhz(m) / (double)cycles; /* bytes per microsecond = MB/s */
    return mib ? per_us / 1.048576 : per_us;
}

int scn_check_rate(const mmsim_t *m, const scn_expect_t *e, uint64_t bytes, uint64_t cycles, scn_buf_t *msg)
{
    double model = scn_rate(m, bytes, cycles, e->rate_mib);
    double err = model / e->rate_figure - 1;
    if (err <= e->rate_tolerance && err >= -e->rate_tolerance)
        return 0;
    scn_buf_printf(msg, "rate: the model moves %.2f %s, the figure is %.2f (%+.1f%%, outside %g%%)\n", model,
                   e->rate_mib ? "MiB/s" : "MB/s", e->rate_figure, err * 100, e->rate_tolerance * 100);
    return 1;
}

int scn_check(const scn_exec_t *x, const scn_expect_t *e, const scn_op_t *op, const scn_result_t *r,
              const scn_obs_t *obs, scn_buf_t *msg)
{
    int bad = 0, rc;
    if (op && e->ret_not) {
        if (r->ret == e->ret) {
            scn_buf_printf(msg, "ret: expected anything but %s, got %s%s%s\n", scn_err_name(e->ret),
                           scn_err_name(r->ret), r->note[0] ? " - " : "", r->note);
            bad++;
        }
    } else if (op && !e->ret_any) {
        int want = e->ret_given ? e->ret : 0;
        if (r->ret != want) {
            scn_buf_printf(msg, "ret: expected %s, got %s%s%s\n", scn_err_name(want), scn_err_name(r->ret),
                           r->note[0] ? " - " : "", r->note);
            bad++;
        }
    }
    for (int i = 0; op && i < SCN_MAX_OUTS && op->outs[i].key; i++)
        if (e->outs[i].given) {
            if ((rc = check_output(x, &op->outs[i], &e->outs[i], &r->outs[i], msg)) < 0)
                return -1;
            bad += rc;
        }
    if (e->hazards == SCN_HAZ_NONE_OF) {
        char w[300] = "", g[300];
        bool raised = false;
        for (int k = 0; k < MMSIM_HAZARD_KIND_COUNT; k++)
            if (e->haz_counts[k]) {
                snprintf(w + strlen(w), sizeof w - strlen(w), "%s%s", w[0] ? ", " : "",
                         mmsim_hazard_name((mmsim_hazard_kind_t)k));
                raised = raised || mmsim_hazard_count_kind(obs->m, (mmsim_hazard_kind_t)k);
            }
        if (raised) {
            scn_hazard_summary(obs->m, g, sizeof g);
            scn_buf_printf(msg, "hazards: expected none of %s, got %s\n", w, g);
            bad++;
        }
    } else if (e->hazards != SCN_HAZ_ANY) {
        bool same = true;
        for (int k = 0; k < MMSIM_HAZARD_KIND_COUNT; k++)
            same = same && mmsim_hazard_count_kind(obs->m, (mmsim_hazard_kind_t)k) == e->haz_counts[k];
        if (!same) {
            char w[300], g[300];
            expected_hazards(e, w, sizeof w);
            scn_hazard_summary(obs->m, g, sizeof g);
            scn_buf_printf(msg, "hazards: expected %s, got %s\n", w, g);
            bad++;
        }
    }
    if (e->cycles_given) {
        uint64_t core = r->core;
        if (e->cycles_core && eval(x, e->cycles_core, &core, "cycles core", msg))
            return -1;
        if (core >= SCN_MAX_CORES || core >= mmsim_cores(obs->m)) {
            scn_buf_printf(msg, "cycles: %s has no core %llu\n", mmsim_chip_name(obs->m), (unsigned long long)core);
            return -1;
        }
        char what[40];
        snprintf(what, sizeof what, "cycles (core %llu)", (unsigned long long)core);
        if ((rc = check_bound(x, &e->cycles, obs->cycles[core], what, msg)) < 0)
            return -1;
        bad += rc;
    }
    if (e->rate_given)
        bad += scn_check_rate(obs->m, e, r->bulk_bytes, obs->cycles[r->core < SCN_MAX_CORES ? r->core : 0], msg);
    if (e->log_given)
        bad += check_log(e, obs->log ? obs->log : "", msg);
    for (size_t i = 0; i < e->nstats; i++) {
        if ((rc = check_stats(x, &e->stats[i], &obs->stats[i], obs->stats_core[i], msg)) < 0)
            return -1;
        bad += rc;
    }
    return bad;
}
