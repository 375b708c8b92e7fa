/* esp_log_timestamp.h - the log timestamp the platform provides (ESP-IDF's name and
 * header): milliseconds since boot of the chip the driver runs on, from the simulated
 * cycles of the driver core, so log lines are deterministic.  The logging itself is
 * the driver's (core/include/esp_log.h includes this, as ESP-IDF's esp_log.h does). */
#ifndef MMSIM_ESP_LOG_TIMESTAMP_H
#define MMSIM_ESP_LOG_TIMESTAMP_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

uint32_t esp_log_timestamp(void);

#ifdef __cplusplus
}
#endif

#endif
