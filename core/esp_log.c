/* esp_log.c - the host's ESP-IDF logging back end (esp_log.h): per-tag levels, the
 * output stream, and the in-memory capture tests compare driver messages with.
 *
 * esp_log_timestamp is the platform's (the simulated chip's clock), not defined here.
 *
 * Threads: the level table and the stream are process-wide, like ESP-IDF's; set them
 * before starting threads that log.  The capture is per thread, because each thread
 * drives its own simulated chip and a test wants that chip's lines only. */
#include "esp_log.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* A small fixed table, as the drivers use a handful of tags.  When it is full a new
 * tag's setting is dropped (ESP-IDF drops it too when it cannot allocate the entry). */
#define LOG_TAGS_MAX 32
#define LOG_TAG_LEN 32

typedef struct {
    char tag[LOG_TAG_LEN];
    esp_log_level_t level;
} log_tag_level_t;

static log_tag_level_t tag_levels[LOG_TAGS_MAX];
static size_t tag_count;
static esp_log_level_t default_level = ESP_LOG_INFO;
static FILE *log_stream; /* NULL: stderr (not a constant initialiser in C) */

typedef struct {
    bool on;
    bool quiet; /* captured lines are not also written to the stream */
    char *text; /* NUL-terminated; NULL until the first line (text() then gives "") */
    size_t len, cap;
} log_capture_t;

static _Thread_local log_capture_t capture;

/* A tag that does not fit the table's slots cannot be told from another with the
 * same prefix; it is not stored, and follows the default level. */
static bool tag_fits(const char *tag) { return strlen(tag) < LOG_TAG_LEN; }

static log_tag_level_t *find_tag(const char *tag)
{
    for (size_t i = 0; i < tag_count; i++)
        if (!strcmp(tag_levels[i].tag, tag))
            return &tag_levels[i];
    return NULL;
}

void esp_log_level_set(const char *tag, esp_log_level_t level)
{
    if (!tag)
        return;
    /* "*" changes the default only: tags set before keep their own level (ESP-IDF v5). */
    if (!strcmp(tag, "*")) {
        default_level = level;
        return;
    }
    if (!tag_fits(tag))
        return;
    log_tag_level_t *e = find_tag(tag);
    if (!e) {
        if (tag_count == LOG_TAGS_MAX)
            return;
        e = &tag_levels[tag_count++];
        memcpy(e->tag, tag, strlen(tag) + 1);
    }
    e->level = level;
}

esp_log_level_t esp_log_level_get(const char *tag)
{
    if (!tag || !strcmp(tag, "*"))
        return default_level;
    const log_tag_level_t *e = find_tag(tag);
    return e ? e->level : default_level;
}

void esp_log_set_stream(FILE *stream) { log_stream = stream; }

/* Make room for `more` bytes plus the terminator.  False (capture unchanged) when
 * memory runs out: the line is then missing from the capture, never a crash. */
static bool capture_reserve(size_t more)
{
    if (more >= (size_t)-1 - capture.len)
        return false;
    size_t need = capture.len + more + 1;
    if (need <= capture.cap)
        return true;
    size_t cap = capture.cap ? capture.cap : 256;
    while (cap < need)
        cap = cap > (size_t)-1 / 2 ? need : cap * 2;
    char *p = realloc(capture.text, cap);
    if (!p)
        return false;
    capture.text = p;
    capture.cap = cap;
    return true;
}

static void capture_append(const char *format, va_list ap)
{
    va_list measure;
    va_copy(measure, ap);
    int n = vsnprintf(NULL, 0, format, measure);
    va_end(measure);
    if (n <= 0 || !capture_reserve((size_t)n))
        return;
    vsnprintf(capture.text + capture.len, (size_t)n + 1, format, ap);
    capture.len += (size_t)n;
}

void esp_log_write(esp_log_level_t level, const char *tag, const char *format, ...)
{
    if (level == ESP_LOG_NONE || level > esp_log_level_get(tag))
        return;
    va_list ap;
    va_start(ap, format);
    if (capture.on) {
        va_list copy;
        va_copy(copy, ap);
        capture_append(format, copy);
        va_end(copy);
    }
    if (!(capture.on && capture.quiet))
        vfprintf(log_stream ? log_stream : stderr, format, ap);
    va_end(ap);
}

void esp_log_capture_begin(void)
{
    capture.on = true;
    capture.len = 0;
    if (capture.text)
        capture.text[0] = '\0';
}

void esp_log_capture_quiet(bool quiet) { capture.quiet = quiet; }

bool esp_log_capture_active(void) { return capture.on; }

const char *esp_log_capture_text(void) { return capture.text ? capture.text : ""; }

void esp_log_capture_end(void)
{
    free(capture.text);
    capture = (log_capture_t){0};
}
