/* md5.c - MD5 (RFC 1321), written from the RFC's description of the algorithm:
 * 64-byte blocks, four rounds of sixteen steps over the state words A..D, the
 * sine-derived additive constants, little-endian words, and the padding of a 0x80
 * byte, zeros, and the bit length as a 64-bit little-endian number. */
#include "md5.h"

#include "hash_blocks.h"

#include <string.h>

/* T[i] = floor(2^32 * |sin(i + 1)|), i in 0..63 (RFC 1321 section 3.4). */
static const uint32_t md5_t[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee,
    0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
    0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa,
    0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
    0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
    0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05,
    0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039,
    0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
    0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

/* Left-rotation amounts: four per round, repeated over the round's sixteen steps. */
static const uint8_t md5_shift[4][4] = {
    {7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21},
};

static uint32_t rotl(uint32_t x, unsigned n)
{
    return (x << n) | (x >> (32u - n));
}

static uint32_t load_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void store_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void md5_block(uint32_t *state, const uint8_t block[64])
{
    uint32_t x[16];
    for (unsigned i = 0; i < 16; i++)
        x[i] = load_le32(block + 4 * i);

    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    for (unsigned step = 0; step < 64; step++) {
        unsigned round = step / 16, k;
        uint32_t f;
        switch (round) {
        case 0: /* F(b,c,d) = bc | ~b d, words in order */
            f = (b & c) | (~b & d);
            k = step;
            break;
        case 1: /* G(b,c,d) = bd | c ~d, words from 1 in steps of 5 */
            f = (b & d) | (c & ~d);
            k = (5 * step + 1) % 16;
            break;
        case 2: /* H(b,c,d) = b xor c xor d, words from 5 in steps of 3 */
            f = b ^ c ^ d;
            k = (3 * step + 5) % 16;
            break;
        default: /* I(b,c,d) = c xor (b | ~d), words in steps of 7 */
            f = c ^ (b | ~d);
            k = (7 * step) % 16;
            break;
        }
        uint32_t sum = a + f + md5_t[step] + x[k];
        uint32_t next_b = b + rotl(sum, md5_shift[round][step % 4]);
        a = d;
        d = c;
        c = b;
        b = next_b;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
}

void md5_init(md5_ctx_t *ctx)
{
    /* RFC 1321 section 3.3: the words 01 23 45 67, 89 ab cd ef, fe dc ba 98, 76 54 32 10
     * as they sit in memory, low byte first. */
    ctx->state[0] = 0x67452301u;
    ctx->state[1] = 0xefcdab89u;
    ctx->state[2] = 0x98badcfeu;
    ctx->state[3] = 0x10325476u;
    ctx->length = 0;
}

void md5_update(md5_ctx_t *ctx, const void *data, size_t len)
{
    if (len)
        hash_blocks_feed(ctx->state, ctx->block, &ctx->length, data, len, md5_block);
}

void md5_final(md5_ctx_t *ctx, uint8_t digest[MD5_DIGEST_LEN])
{
    uint64_t bits = ctx->length * 8u;
    /* 0x80, then zeros up to 56 bytes into a block, then the 8-byte bit count. */
    static const uint8_t pad[64] = {0x80};
    size_t have = (size_t)(ctx->length % 64);
    md5_update(ctx, pad, have < 56 ? 56 - have : 120 - have);
    uint8_t count[8];
    store_le32(count, (uint32_t)bits);
    store_le32(count + 4, (uint32_t)(bits >> 32));
    md5_update(ctx, count, sizeof count);
    for (unsigned i = 0; i < 4; i++)
        store_le32(digest + 4 * i, ctx->state[i]);
}

void md5_sum(const void *data, size_t len, uint8_t digest[MD5_DIGEST_LEN])
{
    md5_ctx_t ctx;
    md5_init(&ctx);
    md5_update(&ctx, data, len);
    md5_final(&ctx, digest);
}
