/* scn_report_junit.c - JUnit XML as CI systems read it: a <testsuite> per scenario
 * file (outcomes arrive sorted by file), a <testcase> per scenario, the failure
 * and hazard records in <failure>, the driver's log and the failure's page in
 * <system-out>; and the page's file name (scn_page_name).  Written as outcomes
 * arrive: only the current file's test cases are held in memory, the finished
 * suites wait in an unnamed temporary file until the totals for the header are
 * known, so a run's memory does not grow with the suite. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn.h"
#include "scn_buf.h"

struct scn_junit {
    FILE *body;          /* finished <testsuite>s, in order */
    scn_buf_t cases;     /* the current file's <testcase>s */
    char *file;          /* the current file, or NULL before the first outcome */
    size_t tests, failures, file_tests, file_failures;
    double file_seconds;
    bool failed;         /* a write to the body failed */
};

static void testcase(scn_buf_t *b, const scn_outcome_t *o)
{
    scn_buf_printf(b, "    <testcase classname=\"");
    scn_buf_xml(b, o->file);
    scn_buf_printf(b, "\" name=\"");
    scn_buf_xml(b, o->name);
    scn_buf_printf(b, "\" time=\"%.3f\">\n", o->seconds);
    if (!o->passed) {
        const char *fail = o->failure ? o->failure : "failed";
        size_t first = strcspn(fail, "\n");
        char *message = strndup(fail, first < 300 ? first : 299);
        scn_buf_printf(b, "      <failure message=\"");
        scn_buf_xml(b, message ? message : "");
        free(message);
        scn_buf_printf(b, "\">");
        scn_buf_xml(b, fail);
        if (o->hazards) {
            scn_buf_printf(b, "hazards raised by that step:\n");
            scn_buf_xml(b, o->hazards);
        }
        scn_buf_printf(b, "</failure>\n");
    }
    if (o->log || o->page) {
        scn_buf_printf(b, "      <system-out>");
        if (o->page) {
            scn_buf_printf(b, "[[ATTACHMENT|");
            scn_buf_xml(b, o->page);
            scn_buf_printf(b, "]]\n");
        }
        if (o->log)
            scn_buf_xml(b, o->log);
        scn_buf_printf(b, "</system-out>\n");
    }
    scn_buf_printf(b, "    </testcase>\n");
}

/* The current file's suite, header first, into the body. */
static void end_suite(scn_junit_t *j)
{
    if (!j->file)
        return;
    scn_buf_t head = {0};
    scn_buf_printf(&head, "  <testsuite name=\"");
    scn_buf_xml(&head, j->file);
    scn_buf_printf(&head, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" time=\"%.3f\">\n", j->file_tests,
                   j->file_failures, j->file_seconds);
    if (!head.text || fputs(head.text, j->body) < 0 || (j->cases.text && fputs(j->cases.text, j->body) < 0) ||
        fputs("  </testsuite>\n", j->body) < 0)
        j->failed = true;
    scn_buf_free(&head);
    scn_buf_free(&j->cases);
    free(j->file);
    j->file = NULL;
}

scn_junit_t *scn_junit_new(void)
{
    scn_junit_t *j = calloc(1, sizeof *j);
    if (j && !(j->body = tmpfile())) {
        free(j);
        return NULL;
    }
    return j;
}

int scn_junit_add(scn_junit_t *j, const scn_outcome_t *o)
{
    if (j->file && strcmp(j->file, o->file))
        end_suite(j);
    if (!j->file) {
        if (!(j->file = strdup(o->file)))
            return -1;
        j->file_tests = j->file_failures = 0;
        j->file_seconds = 0;
    }
    size_t before = j->cases.len;
    testcase(&j->cases, o);
    if (j->cases.len == before)
        return -1; /* out of memory: scn_buf drops the text */
    j->tests++, j->file_tests++;
    j->failures += !o->passed, j->file_failures += !o->passed;
    j->file_seconds += o->seconds;
    return j->failed ? -1 : 0;
}

int scn_junit_finish(scn_junit_t *j, FILE *out)
{
    end_suite(j);
    if (j->failed || fflush(j->body) || fseek(j->body, 0, SEEK_SET))
        return -1;
    fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"mmsim\" tests=\"%zu\" failures=\"%zu\">\n",
            j->tests, j->failures);
    char chunk[16384];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, j->body)) > 0)
        if (fwrite(chunk, 1, got, out) != got)
            return -1;
    if (ferror(j->body))
        return -1;
    fprintf(out, "</testsuites>\n");
    return ferror(out) ? -1 : 0;
}

void scn_junit_free(scn_junit_t *j)
{
    if (!j)
        return;
    scn_buf_free(&j->cases);
    free(j->file);
    fclose(j->body);
    free(j);
}

int scn_report_junit(FILE *f, const scn_outcome_t *const *outs, size_t n)
{
    scn_junit_t *j = scn_junit_new();
    int rc = j ? 0 : -1;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = scn_junit_add(j, outs[i]);
    if (rc == 0)
        rc = scn_junit_finish(j, f);
    scn_junit_free(j);
    return rc;
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

