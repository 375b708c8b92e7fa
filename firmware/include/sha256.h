/* sha256.h - SHA-256 (FIPS 180-4), incremental and one-shot.  A neutral API beside
 * md5.h, in the same small library (mmsim_md5): the simulated chip's SHA
 * (bootloader_sha.h in sim/include) sits on top of it. */
#ifndef MMSIM_SHA256_H
#define MMSIM_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_LEN 32

/* The running state; treat as opaque. */
typedef struct {
    uint32_t h[8];
    uint64_t length;     /* bytes taken in so far */
    uint8_t block[64];   /* a partial block waiting for more input */
} sha256_ctx_t;

void sha256_init(sha256_ctx_t *ctx);
/* Add `len` bytes at `data` (may be NULL when len is 0). */
void sha256_update(sha256_ctx_t *ctx, const void *data, size_t len);
/* Write the digest; *ctx is spent afterwards. */
void sha256_final(sha256_ctx_t *ctx, uint8_t digest[SHA256_DIGEST_LEN]);
void sha256_sum(const void *data, size_t len, uint8_t digest[SHA256_DIGEST_LEN]);

#endif
