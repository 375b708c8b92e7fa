/* hash_blocks.h - what MD5 (md5.c) and SHA-256 (sha256.c) share: feeding bytes into
 * 64-byte blocks, each full block handed to the hash's compression function, the
 * partial last one kept for the next call or the final padding.  Private to firmware/. */
#ifndef MMSIM_HASH_BLOCKS_H
#define MMSIM_HASH_BLOCKS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef void hash_compress_fn(uint32_t *state, const uint8_t block[64]);

static inline void hash_blocks_feed(uint32_t *state, uint8_t block[64], uint64_t *length, const void *data,
                                    size_t len, hash_compress_fn *compress)
{
    const uint8_t *p = data;
    size_t have = (size_t)(*length % 64);
    *length += len;
    if (have) {
        size_t take = 64 - have < len ? 64 - have : len;
        memcpy(block + have, p, take);
        p += take;
        len -= take;
        if (have + take < 64)
            return;
        compress(state, block);
    }
    for (; len >= 64; p += 64, len -= 64)
        compress(state, p);
    if (len)
        memcpy(block, p, len);
}

#endif
