/* esp_err.c - esp_err_to_name for the codes esp_err.h defines (ESP-IDF's names). */
#include "esp_err.h"

#include <stddef.h>

#define ERR_NAME(code) {code, #code}

static const struct {
    esp_err_t code;
    const char *name;
} err_names[] = {
    ERR_NAME(ESP_OK),
    ERR_NAME(ESP_FAIL),
    ERR_NAME(ESP_ERR_NO_MEM),
    ERR_NAME(ESP_ERR_INVALID_ARG),
    ERR_NAME(ESP_ERR_INVALID_STATE),
    ERR_NAME(ESP_ERR_INVALID_SIZE),
    ERR_NAME(ESP_ERR_NOT_FOUND),
    ERR_NAME(ESP_ERR_NOT_SUPPORTED),
    ERR_NAME(ESP_ERR_TIMEOUT),
    ERR_NAME(ESP_ERR_INVALID_RESPONSE),
    ERR_NAME(ESP_ERR_INVALID_CRC),
    ERR_NAME(ESP_ERR_INVALID_VERSION),
    ERR_NAME(ESP_ERR_INVALID_MAC),
    ERR_NAME(ESP_ERR_NOT_FINISHED),
    ERR_NAME(ESP_ERR_NOT_ALLOWED),
    /* ESP-IDF names the component bases too. */
    ERR_NAME(ESP_ERR_WIFI_BASE),
    ERR_NAME(ESP_ERR_MESH_BASE),
    ERR_NAME(ESP_ERR_FLASH_BASE),
    ERR_NAME(ESP_ERR_HW_CRYPTO_BASE),
    ERR_NAME(ESP_ERR_MEMPROT_BASE),
};

const char *esp_err_to_name(esp_err_t code)
{
    for (size_t i = 0; i < sizeof err_names / sizeof err_names[0]; i++)
        if (err_names[i].code == code)
            return err_names[i].name;
    return "UNKNOWN ERROR";
}
