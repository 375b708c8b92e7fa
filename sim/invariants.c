/* invariants.c - the machine's self-check: every cache line consistent with its tag,
 * set, flags and DMA range, no tag twice in a set, the holder filters equal to a recount, and the
 * MMU's per-entry state flags possible.  Used by tests, the scenario runner and the
 * fuzzers after every step; reads only. */
#include "invariants.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int fail(char *why, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *why, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, len, fmt, ap);
    va_end(ap);
    return -1;
}

static int check_cache(const machine_t *m, uint32_t ci, uint32_t core, const cache_t *c, char *why, size_t len)
{
    const char *name = m->chip.caches[ci].name;
    uint32_t ways = c->def.ways, chunks[CACHE_KEY_CHUNK_SLOTS] = {0};
    for (uint32_t set = 0; set < c->sets; set++)
        for (uint32_t w = 0; w < ways; w++) {
            const cache_line_t *l = &c->lines[set * ways + w];
            if (!l->valid) {
                if (l->dirty || l->stale)
                    return fail(why, len, "cache %s core %" PRIu32 " set %" PRIu32 ": invalid line marked dirty or stale",
                                name, core, set);
                if (l->key != CACHE_KEY_NONE || l->lru || l->dma_lo || l->dma_hi)
                    return fail(why, len, "cache %s core %" PRIu32 " set %" PRIu32 ": invalid line keeps a key, a stamp or a DMA range",
                                name, core, set);
                continue;
            }
            if (!l->lru)
                return fail(why, len, "cache %s core %" PRIu32 ": line 0x%08" PRIx32 " valid without a stamp", name,
                            core, l->key);
            if (cache_set_of(c, l->key) != set || cache_line_addr(c, l->key) != l->key)
                return fail(why, len, "cache %s core %" PRIu32 ": line 0x%08" PRIx32 " sits in set %" PRIu32, name,
                            core, l->key, set);
            if (cache_line_addr(c, l->paddr) != l->paddr)
                return fail(why, len, "cache %s core %" PRIu32 ": line 0x%08" PRIx32 " holds unaligned paddr 0x%08" PRIx32,
                            name, core, l->key, l->paddr);
            if (l->dma_hi > c->def.line_size || (l->dma_hi ? l->dma_lo >= l->dma_hi : l->dma_lo))
                return fail(why, len, "cache %s core %" PRIu32 ": line 0x%08" PRIx32 " has DMA range [%u, %u)", name,
                            core, l->key, l->dma_lo, l->dma_hi);
            if (l->dirty && !c->def.write_back)
                return fail(why, len, "cache %s core %" PRIu32 ": dirty line 0x%08" PRIx32 " in a cache without write-back",
                            name, core, l->key);
            if (l->lru > c->clock)
                return fail(why, len, "cache %s core %" PRIu32 ": line 0x%08" PRIx32 " used in the future", name, core,
                            l->key);
            for (uint32_t v = w + 1; v < ways; v++) {
                const cache_line_t *o = &c->lines[set * ways + v];
                if (o->valid && o->key == l->key)
                    return fail(why, len, "cache %s core %" PRIu32 ": line 0x%08" PRIx32 " twice in set %" PRIu32, name,
                                core, l->key, set);
            }
            chunks[cache_key_chunk(l->key)]++;
        }
    for (uint32_t s = 0; s < CACHE_KEY_CHUNK_SLOTS; s++)
        if (chunks[s] != c->key_chunks[s])
            return fail(why, len, "cache %s core %" PRIu32 ": key chunk %" PRIu32 " counts %" PRIu32 ", the lines %" PRIu32,
                        name, core, s, c->key_chunks[s], chunks[s]);
    return 0;
}

/* The distinct cache instances of cache ci (shared caches appear once). */
static bool first_instance(const machine_t *m, uint32_t ci, uint32_t core)
{
    for (uint32_t k = 0; k < core; k++)
        if (m->caches[ci][k] == m->caches[ci][core])
            return false;
    return true;
}

static int check_holders(const machine_t *m, char *why, size_t len)
{
    for (uint32_t lv = 0; lv < MACHINE_MAX_LEVELS; lv++) {
        if (!m->holders[lv])
            continue;
        size_t slots = (size_t)m->holders_mask[lv] + 1;
        uint32_t *count = calloc(slots, sizeof *count);
        if (!count)
            return fail(why, len, "out of memory checking the holder filters");
        for (uint32_t ci = 0; ci < m->chip.cache_count; ci++)
            for (uint32_t k = 0; k < m->chip.cores; k++) {
                const cache_t *c = m->caches[ci][k];
                if (c->holders != m->holders[lv] || !first_instance(m, ci, k))
                    continue;
                for (uint32_t i = 0; i < c->sets * c->def.ways; i++)
                    if (c->lines[i].valid)
                        count[cache_holder_slot(m->holders_mask[lv], c->lines[i].target, c->lines[i].paddr,
                                                c->line_shift)]++;
            }
        for (size_t s = 0; s < slots; s++)
            if (count[s] != m->holders[lv][s]) {
                int rc = fail(why, len, "holder filter of level %" PRIu32 " slot %zu counts %u, the lines %" PRIu32, lv, s,
                              m->holders[lv][s], count[s]);
                free(count);
                return rc;
            }
        free(count);
    }
    return 0;
}

static int check_mmu(const machine_t *m, char *why, size_t len)
{
    for (uint32_t u = 0; u < m->chip.mmu_count; u++) {
        const chipdef_mmu_t *d = &m->chip.mmus[u];
        for (uint32_t k = 0; k < d->tables; k++)
            for (uint32_t e = 0; e < d->entries; e++) {
                uint8_t state = m->mmu.unmapped[u][k][e];
                bool valid = mmu_entry_is_valid(d, m->mmu.tables[u][k][e]);
                if ((state == MMU_ENTRY_RELEASED && !valid) || (state == MMU_ENTRY_UNMAPPED && valid) ||
                    state > MMU_ENTRY_RELEASED)
                    return fail(why, len, "MMU %s table %" PRIu32 " entry %" PRIu32 ": state %u with a %s entry", d->name,
                                k, e, state, valid ? "valid" : "invalid");
            }
    }
    return 0;
}

int machine_check_invariants(const machine_t *m, char *why, size_t len)
{
    for (uint32_t ci = 0; ci < m->chip.cache_count; ci++)
        for (uint32_t k = 0; k < m->chip.cores; k++)
            if (first_instance(m, ci, k) && check_cache(m, ci, k, m->caches[ci][k], why, len))
                return -1;
    if (check_holders(m, why, len) || check_mmu(m, why, len))
        return -1;
    return 0;
}
