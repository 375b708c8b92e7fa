/* esp_intr_alloc.h (compat) - masking non-IRAM interrupts around a cache freeze; the
 * simulator has no interrupts, so both do nothing. */
#ifndef MMSIM_IDF_COMPAT_ESP_INTR_ALLOC_H
#define MMSIM_IDF_COMPAT_ESP_INTR_ALLOC_H
void esp_intr_noniram_disable(void);
void esp_intr_noniram_enable(void);
#endif
