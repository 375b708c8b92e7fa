/* esp_log.h (compat) - ESP-IDF's logging macros for the upstream driver sources.
 * Every line is handed to esp_log_write of libmmsim (core/esp_log.c), so upstream's
 * lines land in the same stream and per-thread capture as ours, shaped as on the chip:
 * "E (<ms>) mmap: <message>".  The early/DRAM variants log the same way on the host. */
#ifndef MMSIM_IDF_COMPAT_ESP_LOG_H
#define MMSIM_IDF_COMPAT_ESP_LOG_H

#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h> /* ESP-IDF's esp_log.h brings it (esp_log_writev); upstream relies on it */
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The level numbers of ESP-IDF (and of core/include/esp_log.h). */
typedef enum {
    ESP_LOG_NONE = 0,
    ESP_LOG_ERROR = 1,
    ESP_LOG_WARN = 2,
    ESP_LOG_INFO = 3,
    ESP_LOG_DEBUG = 4,
    ESP_LOG_VERBOSE = 5,
} esp_log_level_t;

/* Provided by libmmsim (core/esp_log.c). */
void esp_log_write(esp_log_level_t level, const char *tag, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
uint32_t esp_log_timestamp(void);
esp_log_level_t esp_log_level_get(const char *tag);

/* The compatibility layer's hexdump (compat_mem.c): the bytes may be behind a chip
 * address, and are only read when the tag logs at `level`, as on the chip. */
void mmsim_idf_log_hexdump(const char *tag, const void *buf, size_t len, esp_log_level_t level);
#define ESP_LOG_BUFFER_HEXDUMP(tag, buffer, buff_len, level) \
    mmsim_idf_log_hexdump(tag, buffer, (size_t)(buff_len), level)

/* Where ESP-IDF places tags and format strings (flash sections): plain constants here. */
#define ESP_LOG_ATTR_TAG(tag, str) static const char tag[] = str
#define ESP_LOG_ATTR_STR(str) (str)

#define MMSIM_IDF_LOG_LINE_(letter, level, tag, format, ...)                                      \
    esp_log_write(level, tag, letter " (%lu) %s: " format "\n", (unsigned long)esp_log_timestamp(), \
                  tag, ##__VA_ARGS__)

#define ESP_LOGE(tag, format, ...) MMSIM_IDF_LOG_LINE_("E", ESP_LOG_ERROR, tag, format, ##__VA_ARGS__)
#define ESP_LOGW(tag, format, ...) MMSIM_IDF_LOG_LINE_("W", ESP_LOG_WARN, tag, format, ##__VA_ARGS__)
#define ESP_LOGI(tag, format, ...) MMSIM_IDF_LOG_LINE_("I", ESP_LOG_INFO, tag, format, ##__VA_ARGS__)
#define ESP_LOGD(tag, format, ...) MMSIM_IDF_LOG_LINE_("D", ESP_LOG_DEBUG, tag, format, ##__VA_ARGS__)
#define ESP_LOGV(tag, format, ...) MMSIM_IDF_LOG_LINE_("V", ESP_LOG_VERBOSE, tag, format, ##__VA_ARGS__)

#define ESP_EARLY_LOGE ESP_LOGE
#define ESP_EARLY_LOGW ESP_LOGW
#define ESP_EARLY_LOGI ESP_LOGI
#define ESP_EARLY_LOGD ESP_LOGD
#define ESP_EARLY_LOGV ESP_LOGV
#define ESP_DRAM_LOGE ESP_LOGE
#define ESP_DRAM_LOGW ESP_LOGW
#define ESP_DRAM_LOGI ESP_LOGI
#define ESP_DRAM_LOGD ESP_LOGD
#define ESP_DRAM_LOGV ESP_LOGV

#ifdef __cplusplus
}
#endif

#endif
