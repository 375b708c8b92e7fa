/* scn_report_junit.c - JUnit XML as CI systems read it: a <testsuite> per scenario
 * file (outcomes arrive sorted by file), a <testcase> per scenario, the failure
 * and hazard records in <failure>, the driver's log and the failure's page in
 * <system-out>; and the page's file name (scn_page_name). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "scn.h"
#include "scn_buf.h"

static void put_xml(FILE *f, const char *s)
{
    scn_buf_t b = {0};
    scn_buf_xml(&b, s);
    if (b.text)
        fputs(b.text, f);
    scn_buf_free(&b);
}

static void testcase(FILE *f, const scn_outcome_t *o)
{
    fprintf(f, "    <testcase classname=\"");
    put_xml(f, o->file);
    fprintf(f, "\" name=\"");
    put_xml(f, o->name);
    fprintf(f, "\" time=\"%.3f\">\n", o->seconds);
    if (!o->passed) {
        char first[300];
        const char *fail = o->failure ? o->failure : "failed";
        snprintf(first, sizeof first, "%.*s", (int)strcspn(fail, "\n"), fail);
        fprintf(f, "      <failure message=\"");
        put_xml(f, first);
        fprintf(f, "\">");
        put_xml(f, fail);
        if (o->hazards) {
            fprintf(f, "hazards raised by that step:\n");
            put_xml(f, o->hazards);
        }
        fprintf(f, "</failure>\n");
    }
    if (o->log || o->page) {
        fprintf(f, "      <system-out>");
        if (o->page) {
            fprintf(f, "[[ATTACHMENT|");
            put_xml(f, o->page);
            fprintf(f, "]]\n");
        }
        if (o->log)
            put_xml(f, o->log);
        fprintf(f, "</system-out>\n");
    }
    fprintf(f, "    </testcase>\n");
}

/* Runs of anything but [A-Za-z0-9.-] become one '_'. */
static size_t put_safe(char *buf, size_t len, size_t max, const char *s)
{
    for (; *s && len < max; s++) {
        char c = *s;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
        if (ok)
            buf[len++] = c;
        else if (len && buf[len - 1] != '_')
            buf[len++] = '_';
    }
    return len;
}

void scn_page_name(const scn_outcome_t *o, char *buf, size_t size)
{
    char name[200];
    size_t len = put_safe(name, 0, 100, o->file);
    if (len + 2 < sizeof name)
        name[len++] = '-', name[len++] = '-';
    len = put_safe(name, len, 175, o->name);
    while (len && (name[len - 1] == '_' || name[len - 1] == '.'))
        len--;
    name[len] = '\0';
    snprintf(buf, size, "%s.html", name);
}

void scn_report_junit(FILE *f, const scn_outcome_t *const *outs, size_t n)
{
    size_t failures = 0;
    for (size_t i = 0; i < n; i++)
        failures += !outs[i]->passed;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"mmsim\" tests=\"%zu\" failures=\"%zu\">\n",
            n, failures);
    for (size_t i = 0; i < n;) {
        size_t j = i, fails = 0;
        double t = 0;
        for (; j < n && !strcmp(outs[j]->file, outs[i]->file); j++)
            fails += !outs[j]->passed, t += outs[j]->seconds;
        fprintf(f, "  <testsuite name=\"");
        put_xml(f, outs[i]->file);
        fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" time=\"%.3f\">\n", j - i, fails, t);
        for (; i < j; i++)
            testcase(f, outs[i]);
        fprintf(f, "  </testsuite>\n");
    }
    fprintf(f, "</testsuites>\n");
}
