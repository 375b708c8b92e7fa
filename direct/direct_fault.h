/* direct_fault.h - what the fault handler (direct_fault.c) and the shadow execution
 * (direct_shadow.c) share: register access on a signal context, effective addresses,
 * the refusal path, and the shadow's three steps. */
#ifndef DIRECT_FAULT_H
#define DIRECT_FAULT_H

#include <Zydis/Zydis.h>
#include <stdarg.h>
#include <ucontext.h>

#include "direct_internal.h"

/* The value of a general-purpose register (any width) in `uc`; false for others. */
bool direct_gpr_get(const ucontext_t *uc, ZydisRegister r, uint64_t *v);

/* The address memory operand `op` of the instruction at `rip` refers to. */
bool direct_effective_address(const ucontext_t *uc, const ZydisDecodedInstruction *insn,
                              const ZydisDecodedOperand *op, uintptr_t rip, uintptr_t *ea);

/* Text of an instruction, for messages. */
void direct_describe(const ZydisDecodedInstruction *insn, const ZydisDecodedOperand *ops, uintptr_t rip,
                     char *out, size_t size);

/* A line on stderr, from a signal handler. */
void direct_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Say why the access cannot be done, then pass the fault on as a crash. */
void direct_refuse(int sig, siginfo_t *si, void *ctx, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Once per attach: which host features the shadow may use. */
void direct_shadow_init(void);
/* Run the instruction on this thread's shadow: fill it from the machine, point the
 * instruction at it, resume there.  True if started (the lock stays held until
 * direct_shadow_finish); false after refusing it (a message and the fault passed on). */
bool direct_shadow_start(int sig, siginfo_t *si, ucontext_t *uc, const ZydisDecodedInstruction *insn,
                         const ZydisDecodedOperand *ops, int window_op, uintptr_t ea);
/* True if this fault is the end (or a failure) of this thread's shadowed instruction. */
bool direct_shadow_owns(const ucontext_t *uc);
/* Write the shadow's stored bytes back to the machine and resume after the original
 * instruction; releases the lock. */
void direct_shadow_finish(int sig, siginfo_t *si, ucontext_t *uc);

#endif
