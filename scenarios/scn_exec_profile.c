/* scn_exec_profile.c - `mmsim run --profile`: the rate of each bulk CPU step (read,
 * write, fill, copy, verify) and of each repeat block of them as MB/s, so that a user
 * can hold it against a board's figure, and at the end of a scenario where each core's
 * cycles went since its last boot (hits and the CPU's own work, fills, write-backs,
 * SPI1, MMU writes, maintenance, faults). */
#include <stdio.h>

#include "scn_runner.h"

/* "step 3 (read, line 12): 102400 bytes in 409582 cycles on core 0: 60.00 MB/s (...)" */
static void profile_rate(scn_runner_t *R, const char *label, const char *what, unsigned line, const char *iter,
                         uint64_t bytes, uint64_t cycles, uint32_t core)
{
    if (R->profile.len >= (4u << 20))
        return;
    scn_buf_printf(&R->profile, "step %s (%s, line %u%s%s): %llu bytes in %llu cycles on core %u", label, what, line,
                   iter[0] ? ", " : "", iter, (unsigned long long)bytes, (unsigned long long)cycles, core);
    if (cycles)
        scn_buf_printf(&R->profile, ": %.2f MB/s (%.2f MiB/s)\n", scn_rate(R->x.m, bytes, cycles, false),
                       scn_rate(R->x.m, bytes, cycles, true));
    else
        scn_buf_printf(&R->profile, "\n");
}

void scn_runner_profile_step(scn_runner_t *R, const char *label, const scn_step_t *st, const char *iter,
                             const scn_result_t *r, const scn_obs_t *obs)
{
    uint32_t core = r->core < SCN_MAX_CORES ? r->core : 0;
    if (r->bulk_bytes)
        profile_rate(R, label, st->op->name, st->line, iter, r->bulk_bytes, obs->cycles[core], core);
}

void scn_runner_profile_block(scn_runner_t *R, const char *label, const scn_step_t *st, const char *iter,
                              uint64_t bytes, uint64_t cycles, uint32_t core)
{
    if (R->opts->profile && bytes)
        profile_rate(R, label, "repeat", st->line, iter, bytes, cycles, core);
}

/* One part of a core's total, with its share. */
static void part(scn_buf_t *b, const char *name, uint64_t v, uint64_t total)
{
    scn_buf_printf(b, ", %s %llu (%.1f%%)", name, (unsigned long long)v, total ? 100.0 * (double)v / (double)total : 0.0);
}

void scn_runner_profile_end(scn_runner_t *R)
{
    const mmsim_t *m = R->x.m;
    if (!m)
        return;
    for (uint32_t c = 0; c < mmsim_cores(m); c++) {
        mmsim_cycles_spent_t s;
        if (mmsim_cycles_spent(m, c, &s))
            continue;
        uint64_t total = mmsim_cycles(m, c);
        scn_buf_printf(&R->profile, "core %u: %llu cycles (%.3f ms at %u MHz)", c, (unsigned long long)total,
                       (double)total / mmsim_cpu_mhz(m) / 1000.0, mmsim_cpu_mhz(m));
        part(&R->profile, "hits and CPU", s.hits, total);
        part(&R->profile, "fills", s.fills, total);
        part(&R->profile, "write-backs", s.writebacks, total);
        part(&R->profile, "SPI1", s.spi1, total);
        part(&R->profile, "MMU writes", s.mmu, total);
        part(&R->profile, "maintenance", s.maintenance, total);
        part(&R->profile, "faults", s.faults, total);
        scn_buf_printf(&R->profile, "\n");
    }
}
