/* esp_check.h - ESP-IDF's check-and-return macros: on failure they log
 * "<function>(<line>): <message>" at ERROR level under `tag` and return (or jump). */
#ifndef MMSIM_ESP_CHECK_H
#define MMSIM_ESP_CHECK_H

#include "esp_err.h"
#include "esp_log.h"

#define ESP_RETURN_ON_FALSE(cond, err_code, tag, format, ...)                       \
    do {                                                                            \
        if (!(cond)) {                                                              \
            ESP_LOGE(tag, "%s(%d): " format, __func__, __LINE__, ##__VA_ARGS__);    \
            return err_code;                                                        \
        }                                                                           \
    } while (0)

#define ESP_RETURN_ON_ERROR(x, tag, format, ...)                                    \
    do {                                                                            \
        esp_err_t err_rc_ = (x);                                                    \
        if (err_rc_ != ESP_OK) {                                                    \
            ESP_LOGE(tag, "%s(%d): " format, __func__, __LINE__, ##__VA_ARGS__);    \
            return err_rc_;                                                         \
        }                                                                           \
    } while (0)

#define ESP_GOTO_ON_FALSE(cond, err_code, goto_tag, log_tag, format, ...)           \
    do {                                                                            \
        if (!(cond)) {                                                              \
            ESP_LOGE(log_tag, "%s(%d): " format, __func__, __LINE__, ##__VA_ARGS__); \
            ret = err_code;                                                         \
            goto goto_tag;                                                          \
        }                                                                           \
    } while (0)

/* ISR-safe variants (same on the host). */
#define ESP_RETURN_ON_FALSE_ISR ESP_RETURN_ON_FALSE
#define ESP_GOTO_ON_FALSE_ISR ESP_GOTO_ON_FALSE

#endif
