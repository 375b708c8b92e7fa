/* compat_himem.c - ESP32 only: the himem unmap entry point the loader hands out for
 * ESP-IDF's driver.  Upstream's esp_himem_unmap leaves the window's MMU entries as
 * they were; the hardware keeps no trace of the release, so the simulator's checker
 * is told through mmsim_hint_released (ours is read: machine.h), after upstream's call
 * succeeded: a later access through the page is then reported as use_after_unmap.
 * Upstream's code runs unchanged; this only observes its documented result. */
#include <stdint.h>

#include "esp32/himem.h"
#include "esp_private/mmsim_hint.h"

esp_err_t mmsim_idf_himem_unmap(esp_himem_rangehandle_t range, void *ptr, size_t len);

esp_err_t mmsim_idf_himem_unmap(esp_himem_rangehandle_t range, void *ptr, size_t len)
{
    esp_err_t ret = esp_himem_unmap(range, ptr, len);
    if (ret == ESP_OK)
        mmsim_hint_released((uint32_t)(uintptr_t)ptr, (uint32_t)len);
    return ret;
}
