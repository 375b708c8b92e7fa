/* esp_private/critical_section.h (compat) - ESP-IDF's OS-neutral critical sections
 * (esp_os_enter_critical & co.) over the FreeRTOS spinlocks of freertos/FreeRTOS.h. */
#ifndef MMSIM_IDF_COMPAT_CRITICAL_SECTION_H
#define MMSIM_IDF_COMPAT_CRITICAL_SECTION_H

#include "freertos/FreeRTOS.h"

#define DEFINE_CRIT_SECTION_LOCK(lock) portMUX_TYPE lock = portMUX_INITIALIZER_UNLOCKED
#define DEFINE_CRIT_SECTION_LOCK_STATIC(lock) static portMUX_TYPE lock = portMUX_INITIALIZER_UNLOCKED
#define esp_os_enter_critical(lock) mmsim_idf_enter_critical(lock)
#define esp_os_exit_critical(lock) mmsim_idf_exit_critical(lock)
#define esp_os_enter_critical_isr(lock) mmsim_idf_enter_critical(lock)
#define esp_os_exit_critical_isr(lock) mmsim_idf_exit_critical(lock)
#define esp_os_enter_critical_safe(lock) mmsim_idf_enter_critical(lock)
#define esp_os_exit_critical_safe(lock) mmsim_idf_exit_critical(lock)

#endif
