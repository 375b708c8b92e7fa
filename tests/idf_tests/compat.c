/* compat.c - what Espressif's test files call outside the driver API, for the host:
 * FreeRTOS semaphores and delays, eFuse (flash encryption off), test_utils'
 * get_test_data_partition, esp_rom_printf, the app's rodata bounds and the data window
 * (SOC_DROM_LOW/HIGH) of the running machine. */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "esp_flash.h"
#include "esp_partition.h"
#include "esp_private/image_layout.h"
#include "freertos/semphr.h"
#include "freertos/task.h"
#include "mmsim_idftest.h"
#include "unity.h"

/* ---- FreeRTOS ---- */

struct mmsim_idftest_semaphore {
    pthread_mutex_t lock;
    pthread_cond_t given_cond;
    bool given;
};

SemaphoreHandle_t xSemaphoreCreateBinary(void)
{
    SemaphoreHandle_t s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->given_cond, NULL);
    return s;
}

void vSemaphoreDelete(SemaphoreHandle_t s)
{
    if (!s)
        return;
    pthread_cond_destroy(&s->given_cond);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

BaseType_t xSemaphoreTake(SemaphoreHandle_t s, TickType_t ticks)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += ticks / 1000;
    until.tv_nsec += (long)(ticks % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&s->lock);
    int rc = 0;
    while (!s->given && rc != ETIMEDOUT)
        rc = ticks == portMAX_DELAY ? pthread_cond_wait(&s->given_cond, &s->lock)
                                    : pthread_cond_timedwait(&s->given_cond, &s->lock, &until);
    BaseType_t got = s->given ? pdTRUE : pdFALSE;
    s->given = false;
    pthread_mutex_unlock(&s->lock);
    return got;
}

BaseType_t xSemaphoreGive(SemaphoreHandle_t s)
{
    pthread_mutex_lock(&s->lock);
    BaseType_t ok = s->given ? pdFALSE : pdTRUE;
    s->given = true;
    pthread_cond_signal(&s->given_cond);
    pthread_mutex_unlock(&s->lock);
    return ok;
}

BaseType_t xTaskCreate(TaskFunction_t fn, const char *name, uint32_t stack_depth, void *arg, UBaseType_t priority,
                       TaskHandle_t *out)
{
    (void)fn, (void)stack_depth, (void)arg, (void)priority;
    fprintf(stderr, "idf_tests: xTaskCreate(\"%s\") refused: the runner has no FreeRTOS scheduler\n", name);
    if (out)
        *out = NULL;
    return pdFAIL;
}

void vTaskDelay(TickType_t ticks)
{
    struct timespec d = {(time_t)(ticks / 1000), (long)(ticks % 1000) * 1000000L};
    while (nanosleep(&d, &d) != 0 && errno == EINTR) {
    }
}

void vTaskDelete(TaskHandle_t task)
{
    (void)task;
    fprintf(stderr, "idf_tests: vTaskDelete without a task (the runner creates none)\n");
    exit(2);
}

/* ---- eFuse, flash encryption ---- */

bool esp_efuse_is_flash_encryption_enabled(void) { return false; }

esp_err_t esp_flash_read_encrypted(esp_flash_t *chip, uint32_t address, void *out_buffer, uint32_t length)
{
    (void)chip, (void)out_buffer;
    fprintf(stderr, "idf_tests: esp_flash_read_encrypted(0x%x, %u): flash encryption is off on this machine\n",
            address, length);
    return ESP_ERR_NOT_SUPPORTED;
}

esp_err_t esp_flash_write_encrypted(esp_flash_t *chip, uint32_t address, const void *buffer, uint32_t length)
{
    (void)chip, (void)buffer;
    fprintf(stderr, "idf_tests: esp_flash_write_encrypted(0x%x, %u): flash encryption is off on this machine\n",
            address, length);
    return ESP_ERR_NOT_SUPPORTED;
}

/* ---- test_utils ---- */

/* Through the case's driver (dispatch.c), as the test files' own calls go. */
const esp_partition_t *mmsim_idftest_esp_partition_find_first(esp_partition_type_t type,
                                                              esp_partition_subtype_t subtype, const char *label);

const esp_partition_t *get_test_data_partition(void)
{
    const esp_partition_t *p =
        mmsim_idftest_esp_partition_find_first(ESP_PARTITION_TYPE_DATA, ESP_PARTITION_SUBTYPE_ANY, "flash_test");
    TEST_ASSERT_NOT_NULL_MESSAGE(p, "no data partition \"flash_test\" in the test app's partition table");
    return p;
}

/* ---- ROM ---- */

int esp_rom_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

/* ---- the app image and the data window ---- */

uint32_t mmsim_idftest_app_rodata(void) { return image_layout_drom_start() + 0x20; }

int *mmsim_idftest_rodata_start(void) { return (int *)(uintptr_t)mmsim_idftest_app_rodata(); }

uint8_t (*mmsim_idftest_flash_rodata_start(void))[] { return (uint8_t(*)[])(uintptr_t)mmsim_idftest_app_rodata(); }

/* The window holding the app's rodata: ESP-IDF's SOC_DROM_LOW..HIGH.  With XIP from
 * PSRAM on ESP32-P4 and S31 the app is linked at the PSRAM window; the flash data window
 * is then the one holding the last DROM entry, which the start-up's copy read through. */
static void drom_window(uint32_t *low, uint32_t *high)
{
    mmsim_t *m = mmsim_idftest_machine();
    uint32_t at = image_layout_drom_start(), paddr = 0, target = 0;
    if (image_layout_boot_page() && mmsim_translate(m, 0, at, &paddr, &target) == MMSIM_OK &&
        target == MMSIM_TARGET_PSRAM)
        at = image_layout_boot_page();
    for (uint32_t i = 0; i < mmsim_window_count(m); i++) {
        mmsim_window_info_t w;
        if (mmsim_window_info(m, i, &w) == MMSIM_OK && at >= w.vaddr && at - w.vaddr < w.size) {
            *low = w.vaddr;
            *high = w.vaddr + w.size;
            return;
        }
    }
    TEST_FAIL_MESSAGE("idf_tests: the app's rodata is in no window of this machine (no SOC_DROM_LOW)");
}

uint32_t mmsim_idftest_drom_low(void)
{
    uint32_t low = 0, high = 0;
    drom_window(&low, &high);
    return low;
}

uint32_t mmsim_idftest_drom_high(void)
{
    uint32_t low = 0, high = 0;
    drom_window(&low, &high);
    return high;
}
