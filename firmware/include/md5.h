/* md5.h - MD5 message digest (RFC 1321), incremental and one-shot.
 *
 * A neutral API with no tie to partition tables: the partition-table reader and
 * writer use it for the table's MD5 record, and the simulated ROM's esp_rom_md5_*
 * can sit on top of it.  It lives in its own library (mmsim_md5) so either can
 * link it without the other. */
#ifndef MMSIM_MD5_H
#define MMSIM_MD5_H

#include <stddef.h>
#include <stdint.h>

#define MD5_DIGEST_LEN 16

/* The running state; treat as opaque.  Zero bytes hashed so far after md5_init. */
typedef struct {
    uint32_t state[4];   /* A, B, C, D */
    uint64_t length;     /* bytes taken in so far */
    uint8_t block[64];   /* a partial block waiting for more input */
} md5_ctx_t;

/* Start a new digest in *ctx. */
void md5_init(md5_ctx_t *ctx);

/* Add `len` bytes at `data` (may be NULL when len is 0). */
void md5_update(md5_ctx_t *ctx, const void *data, size_t len);

/* Finish: write the 16-byte digest to `digest`.  *ctx is spent afterwards; call
 * md5_init again to reuse it. */
void md5_final(md5_ctx_t *ctx, uint8_t digest[MD5_DIGEST_LEN]);

/* One call: the digest of `len` bytes at `data`. */
void md5_sum(const void *data, size_t len, uint8_t digest[MD5_DIGEST_LEN]);

#endif
