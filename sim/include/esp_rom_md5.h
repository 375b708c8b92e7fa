/* esp_rom_md5.h - the chip ROM's MD5 (ESP-IDF's components/esp_rom/include/esp_rom_md5.h:
 * same names, context type and digest length), which ESP-IDF's partition code uses to
 * check the table's MD5 record.  The simulated ROM computes it with mmsim's own MD5
 * (firmware/md5.c); the context is the ROM's size but its contents are ours. */
#ifndef MMSIM_ESP_ROM_MD5_H
#define MMSIM_ESP_ROM_MD5_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ESP_ROM_MD5_DIGEST_LEN 16

/* Room for the running state (as large as the ROM's struct MD5Context and aligned for
 * 64-bit counters); treat as opaque. */
typedef struct MD5Context {
    uint64_t opaque[12];
} md5_context_t;

/* Start a digest; add `len` bytes; finish, writing ESP_ROM_MD5_DIGEST_LEN bytes. */
void esp_rom_md5_init(md5_context_t *context);
void esp_rom_md5_update(md5_context_t *context, const void *buf, uint32_t len);
void esp_rom_md5_final(uint8_t *digest, md5_context_t *context);

#ifdef __cplusplus
}
#endif

#endif
