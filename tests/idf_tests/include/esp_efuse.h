/* esp_efuse.h (idf_tests) - the eFuse query the flash tests make.  The simulated chips
 * leave the factory with flash encryption off. */
#pragma once
#include <stdbool.h>

/* False on every simulated chip. */
bool esp_efuse_is_flash_encryption_enabled(void);
