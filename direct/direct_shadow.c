/* direct_shadow.c - every instruction the handler does not emulate, run for real on
 * a per-thread shadow of its window operand: the operand's bytes are read from the
 * machine into the shadow (only the elements an AVX-512 or AVX mask selects), the
 * instruction is copied with a GS prefix into the thread's code page and followed by a
 * `hlt`, GS's base is set so that GS:[its address] is the shadow, and the thread
 * resumes there.  The instruction runs once, natively, with the thread's registers;
 * the `hlt` faults (a privileged instruction), and the bytes it stored are written
 * back to the machine.  Two faults per access and no single-stepping: no trap flag,
 * nothing that a debugger or a second thread could lose.  The machine's lock is held
 * from the first fault to the second, so a locked instruction stays atomic against
 * every other window access of the process. */
#define _GNU_SOURCE
#include "direct_fault.h"

#include <asm/prctl.h>
#include <cpuid.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef HWCAP2_FSGSBASE
#define HWCAP2_FSGSBASE (1 << 1)
#endif

#define PAGE_BYTES 4096
#define SHADOW_OFFSET 1024
/* Bytes of the largest operand handled (fxsave's 512 fit; xsave's may not). */
#define SHADOW_MAX (PAGE_BYTES - SHADOW_OFFSET - 64)
#define FP_XSTATE_MAGIC 0x46505853u
#define XFEATURE_YMM 2
#define XFEATURE_OPMASK 5

typedef struct {
    uint8_t *page;          /* RWX: the copied instruction at 0, the shadow at SHADOW_OFFSET */
    bool pending;           /* an instruction is running on the shadow */
    uintptr_t rip, resume;  /* the original instruction and the one after it */
    uintptr_t ea;           /* the window address of the operand */
    uint8_t *shadow;        /* where GS:[ea] lands */
    size_t extent;          /* bytes of the operand */
    size_t elem;            /* element size when masked, else 0 */
    uint64_t mask;          /* elements selected when masked */
    bool writes;
    uint64_t old_gs;
    size_t code_len;        /* prefix + instruction: the hlt is at page + code_len */
} shadow_t;

static _Thread_local shadow_t sh;
static bool fsgsbase;
static uint32_t opmask_offset, ymm_hi_offset;

void direct_shadow_init(void)
{
    fsgsbase = getauxval(AT_HWCAP2) & HWCAP2_FSGSBASE;
    unsigned a, b, c, d;
    if (__get_cpuid_count(0xd, XFEATURE_OPMASK, &a, &b, &c, &d))
        opmask_offset = b;
    if (__get_cpuid_count(0xd, XFEATURE_YMM, &a, &b, &c, &d))
        ymm_hi_offset = b;
}

static uint64_t gs_base(void)
{
    uint64_t v = 0;
    if (fsgsbase)
        __asm__ volatile("rdgsbase %0" : "=r"(v));
    else
        syscall(SYS_arch_prctl, ARCH_GET_GS, &v);
    return v;
}

static void set_gs_base(uint64_t v)
{
    if (fsgsbase)
        __asm__ volatile("wrgsbase %0" : : "r"(v) : "memory");
    else
        syscall(SYS_arch_prctl, ARCH_SET_GS, v);
}

/* ---- the saved vector state ---------------------------------------------------------- */

/* The XSAVE area of the signal frame, and which components it holds; NULL if the
 * kernel saved only the legacy FXSAVE part. */
static const uint8_t *xsave_area(const ucontext_t *uc, uint64_t *present)
{
    const uint8_t *fp = (const uint8_t *)uc->uc_mcontext.fpregs;
    uint32_t magic = 0;
    if (fp)
        direct_copy(&magic, fp + 464, 4); /* sw_reserved: the kernel's XSAVE marker */
    if (magic != FP_XSTATE_MAGIC)
        return NULL;
    direct_copy(present, fp + 512, 8); /* XSAVE header: XSTATE_BV */
    return fp;
}

static bool opmask_value(const ucontext_t *uc, ZydisRegister k, uint64_t *out)
{
    uint64_t present;
    const uint8_t *x = xsave_area(uc, &present);
    if (!x || !opmask_offset)
        return false;
    *out = 0; /* a component in its initial state is all zeros */
    if (present & (1u << XFEATURE_OPMASK))
        direct_copy(out, x + opmask_offset + 8 * (unsigned)(k - ZYDIS_REGISTER_K0), 8);
    return true;
}

/* The low 32 bytes of xmm/ymm register `r` (0-15). */
static bool vector_value(const ucontext_t *uc, ZydisRegister r, uint8_t out[32])
{
    int id = ZydisRegisterGetId(r);
    if (id < 0 || id > 15)
        return false;
    const uint8_t *fp = (const uint8_t *)uc->uc_mcontext.fpregs;
    direct_copy(out, fp + 160 + 16 * id, 16);
    for (int i = 16; i < 32; i++)
        out[i] = 0;
    uint64_t present;
    const uint8_t *x = xsave_area(uc, &present);
    if (x && ymm_hi_offset && (present & (1u << XFEATURE_YMM)))
        direct_copy(out + 16, x + ymm_hi_offset + 16 * id, 16);
    return true;
}

/* ---- start and finish ----------------------------------------------------------------- */

static bool is_vex_maskmov(ZydisMnemonic mn)
{
    return mn == ZYDIS_MNEMONIC_VMASKMOVPS || mn == ZYDIS_MNEMONIC_VMASKMOVPD || mn == ZYDIS_MNEMONIC_VPMASKMOVD ||
           mn == ZYDIS_MNEMONIC_VPMASKMOVQ;
}

/* Which elements the instruction touches: an EVEX opmask, or the sign bits of a VEX
 * mask-move's mask register.  False (elem 0) when it touches the whole operand. */
static bool selected_elements(const ucontext_t *uc, const ZydisDecodedInstruction *insn,
                              const ZydisDecodedOperand *ops, const ZydisDecodedOperand *op)
{
    sh.elem = 0;
    sh.mask = 0;
    if (insn->avx.mask.reg != ZYDIS_REGISTER_NONE && insn->avx.mask.reg != ZYDIS_REGISTER_K0 &&
        (insn->avx.mask.mode == ZYDIS_MASK_MODE_MERGING || insn->avx.mask.mode == ZYDIS_MASK_MODE_ZEROING)) {
        size_t es = op->element_size / 8;
        if (!es || !opmask_value(uc, insn->avx.mask.reg, &sh.mask))
            return false;
        sh.elem = es;
        return true;
    }
    if (is_vex_maskmov(insn->mnemonic) && ops[1].type == ZYDIS_OPERAND_TYPE_REGISTER) {
        uint8_t v[32];
        size_t es = (insn->mnemonic == ZYDIS_MNEMONIC_VMASKMOVPD || insn->mnemonic == ZYDIS_MNEMONIC_VPMASKMOVQ) ? 8 : 4;
        if (!vector_value(uc, ops[1].reg.value, v))
            return false;
        for (size_t i = 0; i < sh.extent / es && i < 64; i++)
            if (v[i * es + es - 1] & 0x80)
                sh.mask |= 1ull << i;
        sh.elem = es;
    }
    return true;
}

bool direct_shadow_start(int sig, siginfo_t *si, ucontext_t *uc, const ZydisDecodedInstruction *insn,
                         const ZydisDecodedOperand *ops, int window_op, uintptr_t ea)
{
    uintptr_t rip = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    const ZydisDecodedOperand *op = &ops[window_op];
    char text[96];
    const char *why = NULL;
    ZydisInstructionCategory cat = insn->meta.category;
    if (sh.pending)
        why = "a window access inside a signal handler that interrupted another one";
    else if (cat == ZYDIS_CATEGORY_STRINGOP)
        why = "string compares and scans (cmps, scas) over a window are not run; the string functions are "
              "intercepted instead";
    else if (cat == ZYDIS_CATEGORY_COND_BR || cat == ZYDIS_CATEGORY_UNCOND_BR || cat == ZYDIS_CATEGORY_CALL ||
             cat == ZYDIS_CATEGORY_RET)
        why = "a branch through a window operand of this size";
    else if (op->mem.type == ZYDIS_MEMOP_TYPE_VSIB)
        why = "gathers and scatters are not run on the shadow";
    else if (op->mem.base == ZYDIS_REGISTER_RIP || op->mem.base == ZYDIS_REGISTER_EIP)
        why = "a rip-relative window operand";
    else if (insn->attributes & ZYDIS_ATTRIB_HAS_SEGMENT)
        why = "a segment-prefixed window operand";
    else if (op->size / 8 == 0 || op->size / 8 > SHADOW_MAX)
        why = "an operand size the shadow cannot hold";
    if (!why && !sh.page) {
        void *p = mmap(NULL, PAGE_BYTES, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            why = "no executable page for the shadow (mmap refused PROT_EXEC)";
        else
            sh.page = p;
    }
    sh.extent = op->size / 8;
    if (!why && !selected_elements(uc, insn, ops, op))
        why = "its mask register could not be read from the signal frame";
    if (why) {
        direct_describe(insn, ops, rip, text, sizeof text);
        direct_refuse(sig, si, uc, "cannot run `%s` at pc 0x%lx on window address 0x%lx: %s", text,
                      (unsigned long)rip, (unsigned long)ea, why);
        return false;
    }
    sh.rip = rip;
    sh.resume = rip + insn->length;
    sh.ea = ea;
    sh.shadow = sh.page + SHADOW_OFFSET + (ea & 63); /* same alignment as the operand */
    sh.writes = op->actions & (ZYDIS_OPERAND_ACTION_WRITE | ZYDIS_OPERAND_ACTION_CONDWRITE);
    for (size_t i = 0; i < sh.extent; i++)
        sh.shadow[i] = 0;
    if (op->actions & (ZYDIS_OPERAND_ACTION_READ | ZYDIS_OPERAND_ACTION_CONDREAD)) {
        int r = 0;
        if (sh.elem) {
            for (size_t i = 0; i * sh.elem < sh.extent && r == 0; i++)
                if (sh.mask >> i & 1)
                    r = direct_read(ea + i * sh.elem, sh.shadow + i * sh.elem, sh.elem, rip);
        } else
            r = direct_read(ea, sh.shadow, sh.extent, rip);
        if (r != 0) {
            direct_refuse(sig, si, uc, "the machine refused the access at 0x%lx (pc 0x%lx): %s", (unsigned long)ea,
                          (unsigned long)rip, mmsim_last_error());
            return false;
        }
    }
    sh.page[0] = 0x65; /* GS: */
    direct_copy(sh.page + 1, (const void *)rip, insn->length);
    sh.code_len = 1u + insn->length;
    sh.page[sh.code_len] = 0xf4; /* hlt: faults in user mode, and brings us back */
    sh.old_gs = gs_base();
    set_gs_base((uint64_t)(uintptr_t)sh.shadow - (uint64_t)ea);
    sh.pending = true;
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)sh.page;
    return true;
}

bool direct_shadow_owns(const ucontext_t *uc)
{
    uintptr_t rip = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    return sh.pending && rip >= (uintptr_t)sh.page && rip <= (uintptr_t)sh.page + sh.code_len;
}

void direct_shadow_finish(int sig, siginfo_t *si, ucontext_t *uc)
{
    uintptr_t rip = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    set_gs_base(sh.old_gs);
    sh.pending = false;
    if (rip != (uintptr_t)sh.page + sh.code_len) {
        /* The copy itself faulted (an alignment fault the operand kept, a second
         * operand in bad memory): report it where the program is. */
        uc->uc_mcontext.gregs[REG_RIP] = (greg_t)sh.rip;
        direct_lock_give();
        direct_refuse(sig, si, uc, "the instruction at pc 0x%lx faulted when run on its shadow (window address "
                      "0x%lx): it would fault on the host too", (unsigned long)sh.rip, (unsigned long)sh.ea);
        return;
    }
    int r = 0;
    if (sh.writes) {
        if (sh.elem) {
            for (size_t i = 0; i * sh.elem < sh.extent && r == 0; i++)
                if (sh.mask >> i & 1)
                    r = direct_write(sh.ea + i * sh.elem, sh.shadow + i * sh.elem, sh.elem, sh.rip);
        } else
            r = direct_write(sh.ea, sh.shadow, sh.extent, sh.rip);
    }
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)sh.resume;
    atomic_fetch_add_explicit(&direct_g.shadowed, 1, memory_order_relaxed);
    direct_lock_give();
    if (r != 0) {
        uc->uc_mcontext.gregs[REG_RIP] = (greg_t)sh.rip;
        direct_refuse(sig, si, uc, "the machine refused the store at 0x%lx (pc 0x%lx): %s", (unsigned long)sh.ea,
                      (unsigned long)sh.rip, mmsim_last_error());
    }
}
