/* direct_fault.c - the SIGSEGV handler: decodes the faulting instruction (Zydis),
 * and for an operand in a chip window either emulates it here (mov/movzx/movsx of
 * 1-8 bytes, string moves and stores, call/jmp through a window pointer) or hands it
 * to the shadow (direct_shadow.c); refuses instruction fetches from a window; passes
 * every other fault to the handler that was installed before. */
#define _GNU_SOURCE
#include "direct_fault.h"

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ucontext.h>
#include <time.h>
#include <unistd.h>

static ZydisDecoder decoder;
static bool decoder_ready;

/* gregs index of the 64-bit GPR with encoding id 0..15 (rax rcx rdx rbx rsp rbp rsi
 * rdi r8..r15). */
static const int gpr_greg[16] = {REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
                                 REG_R8,  REG_R9,  REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15};

/* ---- registers ------------------------------------------------------------------- */

static bool is_high_byte(ZydisRegister r)
{
    return r == ZYDIS_REGISTER_AH || r == ZYDIS_REGISTER_CH || r == ZYDIS_REGISTER_DH || r == ZYDIS_REGISTER_BH;
}

/* The gregs slot of a general-purpose register (or rip), -1 for any other. */
static int greg_of(ZydisRegister r)
{
    if (r == ZYDIS_REGISTER_RIP || r == ZYDIS_REGISTER_EIP)
        return REG_RIP;
    ZydisRegisterClass c = ZydisRegisterGetClass(r);
    if (c != ZYDIS_REGCLASS_GPR8 && c != ZYDIS_REGCLASS_GPR16 && c != ZYDIS_REGCLASS_GPR32 &&
        c != ZYDIS_REGCLASS_GPR64)
        return -1;
    ZyanI8 id = ZydisRegisterGetId(ZydisRegisterGetLargestEnclosing(ZYDIS_MACHINE_MODE_LONG_64, r));
    return id >= 0 && id < 16 ? gpr_greg[id] : -1;
}

bool direct_gpr_get(const ucontext_t *uc, ZydisRegister r, uint64_t *v)
{
    int g = greg_of(r);
    if (g < 0)
        return false;
    uint64_t x = (uint64_t)uc->uc_mcontext.gregs[g];
    if (is_high_byte(r))
        x >>= 8;
    unsigned w = ZydisRegisterGetWidth(ZYDIS_MACHINE_MODE_LONG_64, r);
    *v = w >= 64 ? x : x & ((1ull << w) - 1);
    return true;
}

/* Write a GPR as the CPU does: 8- and 16-bit writes keep the rest, 32-bit writes
 * clear the upper half. */
static bool gpr_set(ucontext_t *uc, ZydisRegister r, uint64_t v)
{
    int g = greg_of(r);
    if (g < 0 || g == REG_RIP)
        return false;
    uint64_t old = (uint64_t)uc->uc_mcontext.gregs[g];
    unsigned w = ZydisRegisterGetWidth(ZYDIS_MACHINE_MODE_LONG_64, r);
    uint64_t x;
    if (is_high_byte(r))
        x = (old & ~0xff00ull) | ((v & 0xff) << 8);
    else if (w == 8)
        x = (old & ~0xffull) | (v & 0xff);
    else if (w == 16)
        x = (old & ~0xffffull) | (v & 0xffff);
    else if (w == 32)
        x = v & 0xffffffffull;
    else
        x = v;
    uc->uc_mcontext.gregs[g] = (greg_t)x;
    return true;
}

bool direct_effective_address(const ucontext_t *uc, const ZydisDecodedInstruction *insn,
                              const ZydisDecodedOperand *op, uintptr_t rip, uintptr_t *ea)
{
    uint64_t a = (uint64_t)op->mem.disp.value, v;
    if (op->mem.base == ZYDIS_REGISTER_RIP || op->mem.base == ZYDIS_REGISTER_EIP)
        a += rip + insn->length;
    else if (op->mem.base != ZYDIS_REGISTER_NONE) {
        if (!direct_gpr_get(uc, op->mem.base, &v))
            return false;
        a += v;
    }
    if (op->mem.index != ZYDIS_REGISTER_NONE) {
        if (!direct_gpr_get(uc, op->mem.index, &v))
            return false;
        a += v * op->mem.scale;
    }
    if (insn->address_width == 32)
        a &= 0xffffffffull;
    *ea = (uintptr_t)a;
    return true;
}

/* ---- messages (the handler may not use stdio's locks: format, then write) ---------- */

void direct_say(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof buf - 1)
        n = (int)sizeof buf - 1;
    if (n > 0 && write(STDERR_FILENO, buf, (size_t)n) < 0)
        return;
}

void direct_describe(const ZydisDecodedInstruction *insn, const ZydisDecodedOperand *ops, uintptr_t rip,
                     char *out, size_t size)
{
    ZydisFormatter f;
    out[0] = '\0';
    if (ZYAN_SUCCESS(ZydisFormatterInit(&f, ZYDIS_FORMATTER_STYLE_INTEL)))
        ZydisFormatterFormatInstruction(&f, insn, ops, insn->operand_count_visible, out, size, rip, ZYAN_NULL);
}

/* ---- chaining ------------------------------------------------------------------- */

static struct sigaction previous;

static void chain(int sig, siginfo_t *si, void *ctx)
{
    if (previous.sa_flags & SA_SIGINFO) {
        if (previous.sa_sigaction) {
            previous.sa_sigaction(sig, si, ctx);
            return;
        }
    } else if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN) {
        previous.sa_handler(sig);
        return;
    }
    /* Default (or ignored, which for a fault is no choice): return with the default
     * action in place, so the instruction faults again and the process dies of it. */
    struct sigaction dfl = {.sa_handler = SIG_DFL};
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
}

void direct_refuse(int sig, siginfo_t *si, void *ctx, const char *fmt, ...)
{
    char buf[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    direct_say("mmsim direct: %s\n", buf);
    chain(sig, si, ctx);
}

/* ---- emulation in the handler ------------------------------------------------------ */

static uint64_t sign_extend(uint64_t v, unsigned bytes)
{
    unsigned shift = 64 - 8 * bytes;
    return bytes >= 8 ? v : (uint64_t)((int64_t)(v << shift) >> shift);
}

/* mov/movzx/movsx/movsxd between a GPR (or an immediate) and a window. */
static int emulate_move(ucontext_t *uc, const ZydisDecodedInstruction *insn, const ZydisDecodedOperand *ops,
                        uintptr_t rip)
{
    const ZydisDecodedOperand *dst = &ops[0], *src = &ops[1];
    uintptr_t ea;
    if (dst->type == ZYDIS_OPERAND_TYPE_MEMORY) {
        if (insn->mnemonic != ZYDIS_MNEMONIC_MOV || !direct_effective_address(uc, insn, dst, rip, &ea))
            return 1;
        unsigned bytes = dst->size / 8;
        uint64_t v;
        if (src->type == ZYDIS_OPERAND_TYPE_IMMEDIATE)
            v = src->imm.is_signed ? (uint64_t)src->imm.value.s : src->imm.value.u;
        else if (src->type != ZYDIS_OPERAND_TYPE_REGISTER || !direct_gpr_get(uc, src->reg.value, &v))
            return 1;
        if (bytes < 1 || bytes > 8)
            return 1;
        return direct_write(ea, &v, bytes, rip) == 0 ? 0 : -1;
    }
    if (dst->type != ZYDIS_OPERAND_TYPE_REGISTER || src->type != ZYDIS_OPERAND_TYPE_MEMORY ||
        greg_of(dst->reg.value) < 0 || !direct_effective_address(uc, insn, src, rip, &ea))
        return 1;
    unsigned bytes = src->size / 8;
    if (bytes < 1 || bytes > 8)
        return 1;
    uint64_t v = 0;
    if (direct_read(ea, &v, bytes, rip) != 0)
        return -1;
    if (insn->mnemonic == ZYDIS_MNEMONIC_MOVSX || insn->mnemonic == ZYDIS_MNEMONIC_MOVSXD)
        v = sign_extend(v, bytes);
    gpr_set(uc, dst->reg.value, v);
    return 0;
}

/* One side of a string move: a window goes through the machine, host memory is
 * copied (a bad host pointer faults inside the handler and kills the process, as the
 * instruction would have). */
static int string_get(uintptr_t a, void *buf, size_t n, uintptr_t pc)
{
    if (direct_touches(a, n))
        return direct_read(a, buf, n, pc);
    direct_copy(buf, (const void *)a, n);
    return 0;
}

static int string_put(uintptr_t a, const void *buf, size_t n, uintptr_t pc)
{
    if (direct_touches(a, n))
        return direct_write(a, buf, n, pc);
    direct_copy((void *)a, buf, n);
    return 0;
}

/* (rep) movs, stos and lods, whole: rcx, rsi and rdi end as the CPU leaves them. */
static int emulate_string(ucontext_t *uc, const ZydisDecodedInstruction *insn, const ZydisDecodedOperand *ops,
                          uintptr_t rip)
{
    ZydisMnemonic mn = insn->mnemonic;
    bool movs = mn == ZYDIS_MNEMONIC_MOVSB || mn == ZYDIS_MNEMONIC_MOVSW || mn == ZYDIS_MNEMONIC_MOVSD ||
                mn == ZYDIS_MNEMONIC_MOVSQ;
    bool stos = mn == ZYDIS_MNEMONIC_STOSB || mn == ZYDIS_MNEMONIC_STOSW || mn == ZYDIS_MNEMONIC_STOSD ||
                mn == ZYDIS_MNEMONIC_STOSQ;
    bool lods = mn == ZYDIS_MNEMONIC_LODSB || mn == ZYDIS_MNEMONIC_LODSW || mn == ZYDIS_MNEMONIC_LODSD ||
                mn == ZYDIS_MNEMONIC_LODSQ;
    if ((!movs && !stos && !lods) || insn->address_width != 64)
        return 1;
    size_t es = ops[0].type == ZYDIS_OPERAND_TYPE_MEMORY ? ops[0].size / 8 : ops[1].size / 8;
    bool rep = insn->attributes & (ZYDIS_ATTRIB_HAS_REP | ZYDIS_ATTRIB_HAS_REPE | ZYDIS_ATTRIB_HAS_REPNE);
    greg_t *g = uc->uc_mcontext.gregs;
    uint64_t count = rep ? (uint64_t)g[REG_RCX] : 1;
    bool down = (uint64_t)g[REG_EFL] & 0x400;
    uintptr_t si = (uintptr_t)g[REG_RSI], di = (uintptr_t)g[REG_RDI];
    uint64_t acc = (uint64_t)g[REG_RAX];
    unsigned char buf[256];
    if (stos)
        for (size_t i = 0; i < sizeof buf; i++)
            buf[i] = (unsigned char)(acc >> (8 * (i % es)));
    /* Forward in chunks, unless the direction flag runs it down or an overlapping
     * move needs the element order: then element by element. */
    size_t gap = movs ? (di > si ? di - si : si - di) : SIZE_MAX;
    size_t chunk_elems = down ? 1 : (sizeof buf / es);
    if (movs && !down && di > si && gap < sizeof buf)
        chunk_elems = gap / es ? gap / es : 1;
    while (count) {
        size_t ne = count < chunk_elems ? (size_t)count : chunk_elems;
        size_t n = ne * es;
        uintptr_t s0 = down ? si - (n - es) : si, d0 = down ? di - (n - es) : di;
        if (movs) {
            if (string_get(s0, buf, n, rip) != 0 || string_put(d0, buf, n, rip) != 0)
                return -1;
        } else if (stos) {
            if (string_put(d0, buf, n, rip) != 0)
                return -1;
        } else {
            uint64_t v = 0;
            if (string_get(down ? si : si + n - es, &v, es, rip) != 0)
                return -1;
            acc = es >= 8 ? v : (es == 4 ? v : ((acc & ~((1ull << (8 * es)) - 1)) | v));
        }
        if (movs || lods)
            si = down ? si - n : si + n;
        if (movs || stos)
            di = down ? di - n : di + n;
        count -= ne;
    }
    g[REG_RSI] = (greg_t)si;
    g[REG_RDI] = (greg_t)di;
    if (rep)
        g[REG_RCX] = 0;
    if (lods)
        g[REG_RAX] = (greg_t)acc;
    return 0;
}

/* call/jmp through a pointer held in a window: load it, then branch (a target in a
 * window faults next as a fetch, and is refused there). */
static int emulate_branch(ucontext_t *uc, const ZydisDecodedInstruction *insn, const ZydisDecodedOperand *ops,
                          uintptr_t rip)
{
    uintptr_t ea;
    if (ops[0].type != ZYDIS_OPERAND_TYPE_MEMORY || ops[0].size != 64 ||
        !direct_effective_address(uc, insn, &ops[0], rip, &ea))
        return 1;
    uint64_t target = 0;
    if (direct_read(ea, &target, 8, rip) != 0)
        return -1;
    greg_t *g = uc->uc_mcontext.gregs;
    if (insn->mnemonic == ZYDIS_MNEMONIC_CALL) {
        uint64_t ret = rip + insn->length;
        g[REG_RSP] -= 8;
        direct_copy((void *)(uintptr_t)g[REG_RSP], &ret, 8);
    }
    g[REG_RIP] = (greg_t)target;
    return 0;
}

/* ---- the handler ----------------------------------------------------------------- */

/* The window operand of an instruction: index into ops, and its address.  -1 if no
 * explicit memory operand is in a window. */
static int window_operand(const ucontext_t *uc, const ZydisDecodedInstruction *insn, const ZydisDecodedOperand *ops,
                          uintptr_t rip, uintptr_t *ea_out)
{
    for (int i = 0; i < insn->operand_count; i++) {
        const ZydisDecodedOperand *op = &ops[i];
        if (op->type != ZYDIS_OPERAND_TYPE_MEMORY ||
            (op->mem.type != ZYDIS_MEMOP_TYPE_MEM && op->mem.type != ZYDIS_MEMOP_TYPE_VSIB))
            continue;
        uintptr_t ea;
        if (op->mem.type == ZYDIS_MEMOP_TYPE_MEM && direct_effective_address(uc, insn, op, rip, &ea) &&
            direct_touches(ea, op->size / 8 ? op->size / 8 : 1)) {
            *ea_out = ea;
            return i;
        }
    }
    return -1;
}

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    uintptr_t rip = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    if (direct_shadow_owns(uc)) {
        direct_shadow_finish(sig, si, uc);
        return;
    }
    uintptr_t addr = (uintptr_t)si->si_addr;
    bool page_fault = si->si_code == SEGV_ACCERR || si->si_code == SEGV_MAPERR;
    if (!direct_g.m || (page_fault && !direct_touches(addr, 1))) {
        chain(sig, si, ctx);
        return;
    }
    if (page_fault && addr == rip) {
        direct_refuse(sig, si, ctx,
                      "instruction fetch at 0x%lx, in a chip window: the host cannot execute chip memory "
                      "(call code there through the simulator's instruction path: mmsim_cpu_fetch)",
                      (unsigned long)rip);
        return;
    }
    ZydisDecodedInstruction insn;
    ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
    /* Read no byte past the code page unless the instruction runs into the next one
     * (it executed, so that page is there): a fault in here would kill the process. */
    size_t to_page_end = 4096 - (rip & 4095);
    ZyanStatus st = ZydisDecoderDecodeFull(&decoder, (const void *)rip,
                                           to_page_end < ZYDIS_MAX_INSTRUCTION_LENGTH ? to_page_end
                                                                                       : ZYDIS_MAX_INSTRUCTION_LENGTH,
                                           &insn, ops);
    if (st == ZYDIS_STATUS_NO_MORE_DATA)
        st = ZydisDecoderDecodeFull(&decoder, (const void *)rip, ZYDIS_MAX_INSTRUCTION_LENGTH, &insn, ops);
    if (!ZYAN_SUCCESS(st)) {
        chain(sig, si, ctx);
        return;
    }
    uintptr_t ea;
    int wi = window_operand(uc, &insn, ops, rip, &ea);
    if (wi < 0) {
        /* A general-protection fault (si_addr 0) that was not about a window, or a
         * page fault in a window by an operand we cannot see: not ours to explain. */
        if (page_fault) {
            char text[96];
            direct_describe(&insn, ops, rip, text, sizeof text);
            /* A gather or scatter: its operand is a vector of addresses (VSIB), one element
             * of which faulted; the shadow holds one contiguous operand, so it is refused. */
            bool vsib = false;
            for (int i = 0; i < insn.operand_count; i++)
                vsib |= ops[i].type == ZYDIS_OPERAND_TYPE_MEMORY && ops[i].mem.type == ZYDIS_MEMOP_TYPE_VSIB;
            if (vsib)
                direct_refuse(sig, si, ctx, "cannot run `%s` at pc 0x%lx on window address 0x%lx: gathers and "
                              "scatters (vector-indexed operands) are not run; load the elements one by one",
                              text, (unsigned long)rip, (unsigned long)addr);
            else
                direct_refuse(sig, si, ctx, "fault at 0x%lx in a chip window by `%s` at pc 0x%lx: no operand of "
                              "it could be placed in the window", (unsigned long)addr, text, (unsigned long)rip);
        } else
            chain(sig, si, ctx);
        return;
    }
    atomic_fetch_add_explicit(&direct_g.faults, 1, memory_order_relaxed);
    direct_lock_take();
    int r = 1;
    if (insn.meta.category == ZYDIS_CATEGORY_STRINGOP)
        r = emulate_string(uc, &insn, ops, rip);
    else if (insn.mnemonic == ZYDIS_MNEMONIC_MOV || insn.mnemonic == ZYDIS_MNEMONIC_MOVZX ||
             insn.mnemonic == ZYDIS_MNEMONIC_MOVSX || insn.mnemonic == ZYDIS_MNEMONIC_MOVSXD)
        r = insn.operand_count_visible == 2 ? emulate_move(uc, &insn, ops, rip) : 1;
    else if ((insn.mnemonic == ZYDIS_MNEMONIC_CALL || insn.mnemonic == ZYDIS_MNEMONIC_JMP) && wi == 0)
        r = emulate_branch(uc, &insn, ops, rip);
    if (r == 0) {
        if (uc->uc_mcontext.gregs[REG_RIP] == (greg_t)rip)
            uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(rip + insn.length);
        atomic_fetch_add_explicit(&direct_g.emulated, 1, memory_order_relaxed);
        direct_lock_give();
        return;
    }
    if (r > 0 && direct_shadow_start(sig, si, uc, &insn, ops, wi, ea))
        return; /* the lock stays held until the shadowed instruction has run */
    direct_lock_give();
    if (r < 0) {
        direct_refuse(sig, si, ctx, "the machine refused the access at 0x%lx (pc 0x%lx): %s", (unsigned long)ea,
                      (unsigned long)rip, mmsim_last_error());
    }
}

/* ---- the floor: a fault and nothing else -------------------------------------------- */

static void step_over_load(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    (void)si;
    ((ucontext_t *)ctx)->uc_mcontext.gregs[REG_RIP] += 2; /* mov (%rdi), %eax: 8b 07 */
}

double mmsim_direct_bare_fault_ns(double seconds)
{
    void *page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED)
        return mmsim_report_error(MMSIM_ERR_HOST, "%s: no page to fault on", __func__), -1.0;
    struct sigaction sa = {.sa_sigaction = step_over_load, .sa_flags = SA_SIGINFO}, old;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGSEGV, &sa, &old) != 0) {
        munmap(page, 4096);
        return mmsim_report_error(MMSIM_ERR_HOST, "%s: sigaction(SIGSEGV) failed", __func__), -1.0;
    }
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    uint64_t n = 0;
    double elapsed = 0;
    do {
        for (int i = 0; i < 64; i++) {
            uint32_t v;
            __asm__ volatile(".byte 0x8b, 0x07" : "=a"(v) : "D"(page) : "memory"); /* mov (%rdi), %eax */
            (void)v;
        }
        n += 64;
        clock_gettime(CLOCK_MONOTONIC, &t);
        elapsed = (double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) * 1e-9;
    } while (elapsed < seconds);
    sigaction(SIGSEGV, &old, NULL);
    munmap(page, 4096);
    return elapsed * 1e9 / (double)n;
}

int direct_fault_install(void)
{
    if (!decoder_ready) {
        if (!ZYAN_SUCCESS(ZydisDecoderInit(&decoder, ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64)))
            return mmsim_report_error(MMSIM_ERR_HOST, "mmsim_direct_attach: the Zydis decoder would not start");
        decoder_ready = true;
    }
    direct_shadow_init();
    struct sigaction sa = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO | SA_ONSTACK};
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGSEGV, &sa, &previous) != 0)
        return mmsim_report_error(MMSIM_ERR_HOST, "mmsim_direct_attach: sigaction(SIGSEGV) failed");
    return MMSIM_OK;
}

void direct_fault_remove(void)
{
    sigaction(SIGSEGV, &previous, NULL);
}
