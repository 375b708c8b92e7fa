/* direct_accesses.c - the instruction classes test_direct.c runs on window pointers,
 * compiled four ways (DIRECT_OPS names the table: direct_ops_gcc_O2, ...).  Inline
 * assembly pins the instructions a compiler would not reliably choose (string
 * instructions, ALU with a memory destination); the rest is the compiler's choice,
 * which is the point of compiling it several ways. */
#include "direct_accesses.h"

#include <immintrin.h>

#define LOAD(T, name) static T name(const volatile T *p) { return *p; }
#define STORE(T, name) static void name(volatile T *p, T v) { *p = v; }
LOAD(uint8_t, load8)
LOAD(uint16_t, load16)
LOAD(uint32_t, load32)
LOAD(uint64_t, load64)
STORE(uint8_t, store8)
STORE(uint16_t, store16)
STORE(uint32_t, store32)
STORE(uint64_t, store64)

static void store_imm32(volatile uint32_t *p) { *p = 0x5A5AA5A5u; }
static int64_t load_s8(const volatile int8_t *p) { return *p; }
static int64_t load_s16(const volatile int16_t *p) { return *p; }
static int64_t load_s32(const volatile int32_t *p) { return *p; }
static uint64_t load_z8(const volatile uint8_t *p) { return *p; }
static uint64_t load_z16(const volatile uint16_t *p) { return *p; }

static void rep_movsb(void *d, const void *s, size_t n)
{
    __asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
}

static void rep_movsb_down(void *d, const void *s, size_t n)
{
    void *de = (char *)d + n - 1;
    const void *se = (const char *)s + n - 1;
    __asm__ volatile("std\n\trep movsb\n\tcld" : "+D"(de), "+S"(se), "+c"(n) : : "memory", "cc");
}

static void rep_stosq(void *d, uint64_t v, size_t words)
{
    __asm__ volatile("rep stosq" : "+D"(d), "+c"(words) : "a"(v) : "memory");
}

static void sse_copy16(void *d, const void *s) { _mm_storeu_si128((__m128i *)d, _mm_loadu_si128((const __m128i *)s)); }

static float sse_sum4(const float *p)
{
    __m128 one = _mm_set1_ps(1.0f), r;
    __asm__("addps %1, %0" : "=x"(r) : "m"(*(const __m128 *)p), "0"(one));
    float out[4];
    _mm_storeu_ps(out, r);
    return out[0] + out[1] + out[2] + out[3];
}

__attribute__((target("avx2"))) static void avx_copy32(void *d, const void *s)
{
    _mm256_storeu_si256((__m256i *)d, _mm256_loadu_si256((const __m256i *)s));
}

__attribute__((target("avx2"))) static void avx_maskstore(int32_t *d, const int32_t *s)
{
    __m256i mask = _mm256_setr_epi32(-1, 0, -1, 0, 0, -1, 0, 0);
    _mm256_maskstore_epi32(d, mask, _mm256_maskload_epi32(s, mask));
}

__attribute__((target("avx512f"))) static void avx512_copy(void *d, const void *s, uint16_t mask)
{
    __m512i v = _mm512_maskz_loadu_epi32((__mmask16)mask, s);
    _mm512_mask_storeu_epi32(d, (__mmask16)mask, v);
}

static bool avx512_mask_copy(void *d, const void *s, uint16_t mask)
{
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("avx512f"))
        return false;
    avx512_copy(d, s, mask);
    return true;
}

static uint32_t add_mem(volatile uint32_t *p, uint32_t x)
{
    __asm__ volatile("addl %1, %0" : "+m"(*p) : "r"(x) : "cc");
    return *p;
}

static int cmp_mem(const volatile uint32_t *p, uint32_t x)
{
    unsigned char below, above;
    __asm__ volatile("cmpl %2, %3\n\tsetb %0\n\tseta %1" : "=q"(below), "=q"(above) : "r"(x), "m"(*p) : "cc");
    return above ? 1 : below ? -1 : 0;
}

static void inc_mem64(volatile uint64_t *p) { __asm__ volatile("incq %0" : "+m"(*p) : : "cc"); }
static uint32_t locked_add(uint32_t *p, uint32_t x) { return __atomic_fetch_add(p, x, __ATOMIC_SEQ_CST); }
static void locked_or(uint32_t *p, uint32_t x) { __atomic_or_fetch(p, x, __ATOMIC_SEQ_CST); }
static uint64_t xchg64(uint64_t *p, uint64_t v) { return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST); }
static bool cas32(uint32_t *p, uint32_t expect, uint32_t desired)
{
    return __atomic_compare_exchange_n(p, &expect, desired, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

static int call_through(int (*const *slot)(int), int x) { return (*slot)(x); }

static uint32_t sum_words(const uint32_t *p, size_t n)
{
    uint32_t s = 0;
    for (size_t i = 0; i < n; i++)
        s += p[i];
    return s;
}

#define NAME_OF(x) #x
#define NAME(x) NAME_OF(x)
const direct_ops_t DIRECT_OPS = {
    .name = NAME(DIRECT_OPS),
    .load8 = load8, .load16 = load16, .load32 = load32, .load64 = load64,
    .store8 = store8, .store16 = store16, .store32 = store32, .store64 = store64,
    .store_imm32 = store_imm32,
    .load_s8 = load_s8, .load_s16 = load_s16, .load_s32 = load_s32, .load_z8 = load_z8, .load_z16 = load_z16,
    .rep_movsb = rep_movsb, .rep_movsb_down = rep_movsb_down, .rep_stosq = rep_stosq,
    .sse_copy16 = sse_copy16, .sse_sum4 = sse_sum4, .avx_copy32 = avx_copy32, .avx_maskstore = avx_maskstore,
    .avx512_mask_copy = avx512_mask_copy,
    .add_mem = add_mem, .cmp_mem = cmp_mem, .inc_mem64 = inc_mem64,
    .locked_add = locked_add, .locked_or = locked_or, .xchg64 = xchg64, .cas32 = cas32,
    .call_through = call_through, .sum_words = sum_words,
};
