/* esp_log.h - ESP-IDF's logging macros (ESP_LOGE ... ESP_LOGV), writing lines shaped
 * like the chip's: "E (<ms>) <tag>: <message>".
 *
 * On the host the lines go to stderr by default.  esp_log_set_stream redirects them;
 * esp_log_capture_* collects them in memory so a test can compare the driver's
 * messages.  The timestamp is the simulated milliseconds of the driver core
 * (esp_log_timestamp, provided by the platform), so output is deterministic. */
#ifndef MMSIM_ESP_LOG_H
#define MMSIM_ESP_LOG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "esp_log_timestamp.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    ESP_LOG_NONE = 0,
    ESP_LOG_ERROR = 1,
    ESP_LOG_WARN = 2,
    ESP_LOG_INFO = 3,
    ESP_LOG_DEBUG = 4,
    ESP_LOG_VERBOSE = 5,
} esp_log_level_t;

/* Level for `tag` ("*": every tag without its own).  Default: INFO. */
void esp_log_level_set(const char *tag, esp_log_level_t level);
esp_log_level_t esp_log_level_get(const char *tag);

/* Write one formatted line if `level` is enabled for `tag`. */
void esp_log_write(esp_log_level_t level, const char *tag, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/* Host extensions: where lines go (NULL: stderr), and an in-memory capture. */
void esp_log_set_stream(FILE *stream);
void esp_log_capture_begin(void);           /* start (or restart) collecting lines */
const char *esp_log_capture_text(void);     /* everything collected so far, "" if none */
void esp_log_capture_end(void);             /* stop collecting and free the text */
bool esp_log_capture_active(void);          /* collecting on this thread? */
/* While collecting, do not also write the lines to the stream (until capture_end). */
void esp_log_capture_quiet(bool quiet);

#define ESP_LOG_LINE_(letter, level, tag, format, ...)                                           \
    esp_log_write(level, tag, letter " (%lu) %s: " format "\n", (unsigned long)esp_log_timestamp(), \
                  tag, ##__VA_ARGS__)

#define ESP_LOGE(tag, format, ...) ESP_LOG_LINE_("E", ESP_LOG_ERROR, tag, format, ##__VA_ARGS__)
#define ESP_LOGW(tag, format, ...) ESP_LOG_LINE_("W", ESP_LOG_WARN, tag, format, ##__VA_ARGS__)
#define ESP_LOGI(tag, format, ...) ESP_LOG_LINE_("I", ESP_LOG_INFO, tag, format, ##__VA_ARGS__)
#define ESP_LOGD(tag, format, ...) ESP_LOG_LINE_("D", ESP_LOG_DEBUG, tag, format, ##__VA_ARGS__)
#define ESP_LOGV(tag, format, ...) ESP_LOG_LINE_("V", ESP_LOG_VERBOSE, tag, format, ##__VA_ARGS__)

/* The ISR-safe variants log the same way on the host. */
#define ESP_EARLY_LOGE ESP_LOGE
#define ESP_EARLY_LOGW ESP_LOGW
#define ESP_EARLY_LOGI ESP_LOGI
#define ESP_EARLY_LOGV ESP_LOGV
#define ESP_DRAM_LOGE ESP_LOGE
#define ESP_DRAM_LOGV ESP_LOGV

#ifdef __cplusplus
}
#endif

#endif
