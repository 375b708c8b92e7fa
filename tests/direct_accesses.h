/* direct_accesses.h - one function per instruction class that reaches memory, for
 * test_direct.c: the same source (direct_accesses.c) is compiled with gcc and clang
 * at -O0 and -O2, and each build exports its table as direct_ops_<compiler>_<opt>. */
#ifndef DIRECT_ACCESSES_H
#define DIRECT_ACCESSES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *name;
    /* mov loads and stores of 1-8 bytes, an immediate store, movzx/movsx/movsxd */
    uint8_t (*load8)(const volatile uint8_t *p);
    uint16_t (*load16)(const volatile uint16_t *p);
    uint32_t (*load32)(const volatile uint32_t *p);
    uint64_t (*load64)(const volatile uint64_t *p);
    void (*store8)(volatile uint8_t *p, uint8_t v);
    void (*store16)(volatile uint16_t *p, uint16_t v);
    void (*store32)(volatile uint32_t *p, uint32_t v);
    void (*store64)(volatile uint64_t *p, uint64_t v);
    void (*store_imm32)(volatile uint32_t *p); /* stores 0x5A5AA5A5 */
    int64_t (*load_s8)(const volatile int8_t *p);
    int64_t (*load_s16)(const volatile int16_t *p);
    int64_t (*load_s32)(const volatile int32_t *p);
    uint64_t (*load_z8)(const volatile uint8_t *p);
    uint64_t (*load_z16)(const volatile uint16_t *p);
    /* string instructions */
    void (*rep_movsb)(void *d, const void *s, size_t n);
    void (*rep_movsb_down)(void *d, const void *s, size_t n); /* std; rep movsb from the ends; cld */
    void (*rep_stosq)(void *d, uint64_t v, size_t words);
    /* vector loads and stores */
    void (*sse_copy16)(void *d, const void *s);             /* movdqu load, movdqu store */
    float (*sse_sum4)(const float *p);                      /* addps with a memory operand */
    void (*avx_copy32)(void *d, const void *s);             /* vmovdqu ymm */
    void (*avx_maskstore)(int32_t *d, const int32_t *s);    /* vpmaskmovd: elements 0, 2, 5 */
    bool (*avx512_mask_copy)(void *d, const void *s, uint16_t mask); /* false: no AVX-512 here */
    /* ALU with a memory operand, locked read-modify-write, exchanges */
    uint32_t (*add_mem)(volatile uint32_t *p, uint32_t x); /* addl x, (p); returns the new value */
    int (*cmp_mem)(const volatile uint32_t *p, uint32_t x); /* cmpl: -1, 0, 1 */
    void (*inc_mem64)(volatile uint64_t *p);
    uint32_t (*locked_add)(uint32_t *p, uint32_t x);       /* lock xadd: the old value */
    void (*locked_or)(uint32_t *p, uint32_t x);            /* lock or */
    uint64_t (*xchg64)(uint64_t *p, uint64_t v);
    bool (*cas32)(uint32_t *p, uint32_t expect, uint32_t desired);
    /* a call through a function pointer held in a window */
    int (*call_through)(int (*const *slot)(int), int x);
    /* whatever the compiler makes of a loop (vectorised at -O2) */
    uint32_t (*sum_words)(const uint32_t *p, size_t n);
} direct_ops_t;

extern const direct_ops_t direct_ops_gcc_O0, direct_ops_gcc_O2, direct_ops_clang_O0, direct_ops_clang_O2;

#endif
