/* rom_hash.c - the chip's hash functions the driver code calls: the ROM's MD5
 * (esp_rom_md5.h) and the SHA-256 of bootloader_sha.h, over mmsim's own MD5 and
 * SHA-256 (firmware/md5.c, sha256.c). */
#include <stdlib.h>

#include "bootloader_sha.h"
#include "esp_rom_md5.h"
#include "md5.h"
#include "sha256.h"

_Static_assert(sizeof(md5_ctx_t) <= sizeof(md5_context_t), "md5_context_t must hold md5_ctx_t");
_Static_assert(_Alignof(md5_ctx_t) <= _Alignof(md5_context_t), "md5_context_t must align md5_ctx_t");

void esp_rom_md5_init(md5_context_t *context) { md5_init((md5_ctx_t *)(void *)context); }

void esp_rom_md5_update(md5_context_t *context, const void *buf, uint32_t len)
{
    md5_update((md5_ctx_t *)(void *)context, buf, len);
}

void esp_rom_md5_final(uint8_t *digest, md5_context_t *context) { md5_final((md5_ctx_t *)(void *)context, digest); }

bootloader_sha256_handle_t bootloader_sha256_start(void)
{
    sha256_ctx_t *c = malloc(sizeof *c);
    if (c)
        sha256_init(c);
    return c;
}

void bootloader_sha256_data(bootloader_sha256_handle_t handle, const void *data, size_t data_len)
{
    sha256_update(handle, data, data_len);
}

void bootloader_sha256_finish(bootloader_sha256_handle_t handle, uint8_t *digest)
{
    uint8_t d[SHA256_DIGEST_LEN];
    sha256_final(handle, d);
    if (digest)
        for (size_t i = 0; i < sizeof d; i++)
            digest[i] = d[i];
    free(handle);
}
