/* machine.c - building and releasing a machine from its chip definition, and the
 * record of the model's own failures. */
#include "machine.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timing.h"

/* The largest power of two (as a shift) such that no window start or end, no page
 * boundary and no half-window split (ESP32 low/high mode) falls inside an aligned
 * block of that size: the TLB granule. */
static uint32_t machine_tlb_shift(const chipdef_t *chip)
{
    uint32_t shift = 31;
    for (uint32_t i = 0; i < chip->window_count; i++) {
        const chipdef_window_t *w = &chip->windows[i];
        uint32_t s = w->page_size ? (uint32_t)__builtin_ctz(w->page_size) : 31u;
        if (w->vaddr && (uint32_t)__builtin_ctz(w->vaddr) < s)
            s = (uint32_t)__builtin_ctz(w->vaddr);
        if (w->size && (uint32_t)__builtin_ctz(w->size) - 1u < s)
            s = (uint32_t)__builtin_ctz(w->size) - 1u;
        if (s < shift)
            shift = s;
    }
    return shift;
}

machine_t *machine_new(const chipdef_t *chip)
{
    /* The TLB entries inside are over-aligned (tlb.h), which calloc does not promise. */
    size_t align = _Alignof(machine_t), size = (sizeof(machine_t) + align - 1u) / align * align;
    machine_t *m = aligned_alloc(align, size);
    if (!m)
        return NULL;
    memset(m, 0, size);
    m->chip = *chip;
    if (mmu_init(&m->mmu, &m->chip))
        goto fail;
    for (uint32_t i = 0; i < m->chip.cache_count; i++) {
        const chipdef_cache_t *def = &m->chip.caches[i];
        uint32_t instances = def->per_core ? m->chip.cores : 1;
        for (uint32_t k = 0; k < m->chip.cores; k++) {
            if (k < instances) {
                m->caches[i][k] = cache_new(def);
                if (!m->caches[i][k])
                    goto fail;
            } else {
                m->caches[i][k] = m->caches[i][0];
            }
        }
    }
    /* One holder filter per level, four slots per line of that level, so that most
     * lines see a count of exactly themselves. */
    for (uint32_t lv = 0; lv < MACHINE_MAX_LEVELS; lv++) {
        uint64_t lines = 0;
        for (uint32_t i = 0; i < m->chip.cache_count; i++)
            if (m->chip.caches[i].level == lv)
                for (uint32_t k = 0; k < m->chip.cores; k++)
                    if (k == 0 || m->caches[i][k] != m->caches[i][0])
                        lines += cache_line_count(m->caches[i][k]);
        if (!lines)
            continue;
        uint32_t slots = 64;
        while (slots < lines * 4)
            slots *= 2;
        m->holders[lv] = calloc(slots, sizeof *m->holders[lv]);
        m->dirty_holders[lv] = calloc(slots, sizeof *m->dirty_holders[lv]);
        if (!m->holders[lv] || !m->dirty_holders[lv])
            goto fail;
        m->holders_mask[lv] = slots - 1;
        m->holders_uniform[lv] = true;
        for (uint32_t i = 0; i < m->chip.cache_count; i++)
            if (m->chip.caches[i].level == lv)
                for (uint32_t j = 0; j < i; j++)
                    if (m->chip.caches[j].level == lv && m->chip.caches[j].line_size != m->chip.caches[i].line_size)
                        m->holders_uniform[lv] = false;
        for (uint32_t i = 0; i < m->chip.cache_count; i++)
            if (m->chip.caches[i].level == lv)
                for (uint32_t k = 0; k < m->chip.cores; k++) {
                    m->caches[i][k]->holders = m->holders[lv];
                    m->caches[i][k]->dirty_holders = m->dirty_holders[lv];
                    m->caches[i][k]->holders_mask = slots - 1;
                }
    }
    for (uint32_t i = 0; i < m->chip.cache_count; i++) {
        uint32_t lv = m->chip.caches[i].level, shift = m->caches[i][0]->line_shift, k = 0;
        if (lv >= MACHINE_MAX_LEVELS || !m->holders[lv]) {
            m->holder_key_count = 0;
            break;
        }
        while (k < m->holder_key_count && !(m->holder_keys[k].level == lv && m->holder_keys[k].shift == shift))
            k++;
        if (k == m->holder_key_count) {
            m->holder_keys[k].level = (uint8_t)lv;
            m->holder_keys[k].shift = (uint8_t)shift;
            m->holder_key_count++;
        }
    }
    m->flash = store_new(m->chip.flash.size, 0xFF);
    if (!m->flash)
        goto fail;
    if (m->chip.psram.size) {
        m->psram = store_new(m->chip.psram.size, 0x00);
        if (!m->psram)
            goto fail;
    }
    if (m->chip.internal_ram.size) {
        m->sram = store_new(m->chip.internal_ram.size, 0x00);
        if (!m->sram)
            goto fail;
    }
    m->fast_path = true;
    m->tlb_shift = machine_tlb_shift(&m->chip);
    for (uint32_t i = 0; i < m->chip.cache_count; i++)
        for (uint32_t t = 0; t < 4; t++) {
            const chipdef_spi_mem_t *spi = t == CHIPDEF_TARGET_PSRAM ? &m->chip.psram : &m->chip.flash;
            /* No device (no PSRAM): nothing is ever filled from it. */
            m->line_cycles[i][t] =
                spi->clock_mhz ? timing_transaction_cycles(spi, m->chip.cpu_mhz, m->chip.caches[i].line_size) : 0;
        }
    for (uint32_t t = 0; t < 4; t++) {
        const chipdef_spi_mem_t *spi = t == CHIPDEF_TARGET_PSRAM ? &m->chip.psram : &m->chip.flash;
        for (uint32_t n = 0; n <= 16; n++) /* [0]: the fixed phases alone */
            m->first_bytes_cycles[t][n] = spi->clock_mhz ? (uint32_t)timing_transaction_cycles(spi, m->chip.cpu_mhz, n) : 0;
    }
    for (uint32_t i = 0; i < m->chip.cache_count; i++)
        for (uint32_t t = 0; t < 4; t++)
            m->store_miss_cycles[i][t] = m->chip.caches[i].store_miss_latency ? m->first_bytes_cycles[t][0] : 0;
    for (uint32_t k = 0; k < m->chip.cores; k++) {
        m->bus_enabled[k] = m->hal_saved_bus[k] = ~0u;
        machine_set_access(m, k, 4, m->chip.cpu_access_cycles); /* a word loop, the chip's copy cost */
    }
    m->hal_core_nums = m->chip.cores; /* what the boot's mmu_hal_init passes */
    return m;
fail:
    machine_free(m);
    return NULL;
}

int machine_set_access(machine_t *m, uint32_t core, uint32_t width, uint32_t cpu_cycles)
{
    if (!width || width > 16 || (width & (width - 1)))
        return -1;
    tlb_t *t = &m->tlb[core];
    if (t->width_round == width - 1u && t->cpu_cycles == cpu_cycles && t->width_shift == (uint32_t)__builtin_ctz(width))
        return 0;
    t->width_round = width - 1u;
    t->width_shift = (uint32_t)__builtin_ctz(width);
    t->cpu_cycles = cpu_cycles;
    /* The entries hold the short cut's cost and whether it may be taken (only for
     * 4-byte accesses): made again at their next use. */
    for (uint32_t i = 0; i < TLB_ENTRIES; i++)
        t->e[i].gen = 0;
    return 0;
}

void machine_free(machine_t *m)
{
    if (!m)
        return;
    for (uint32_t i = 0; i < CHIPDEF_MAX_CACHES; i++)
        for (uint32_t k = 0; k < CHIPDEF_MAX_CORES; k++) {
            cache_t *c = m->caches[i][k];
            if (c && (k == 0 || c != m->caches[i][0]))
                cache_free(c);
        }
    mmu_fini(&m->mmu);
    hazard_log_fini(&m->hazards);
    for (uint32_t lv = 0; lv < MACHINE_MAX_LEVELS; lv++) {
        free(m->holders[lv]);
        free(m->dirty_holders[lv]);
    }
    store_free(m->flash);
    store_free(m->psram);
    store_free(m->sram);
    free(m);
}

size_t machine_resident_bytes(const machine_t *m)
{
    size_t n = sizeof *m;
    for (uint32_t i = 0; i < m->chip.mmu_count; i++)
        n += (size_t)m->chip.mmus[i].tables * m->chip.mmus[i].entries * sizeof(uint32_t);
    for (uint32_t i = 0; i < m->chip.cache_count; i++)
        for (uint32_t k = 0; k < m->chip.cores; k++) {
            const cache_t *c = m->caches[i][k];
            if (c && (k == 0 || c != m->caches[i][0]))
                n += sizeof *c + cache_line_count(c) * (sizeof(cache_line_t) + c->def.line_size);
        }
    n += store_resident_bytes(m->flash);
    if (m->psram)
        n += store_resident_bytes(m->psram);
    if (m->sram)
        n += store_resident_bytes(m->sram);
    n += m->hazards.cap * sizeof *m->hazards.recs;
    for (uint32_t lv = 0; lv < MACHINE_MAX_LEVELS; lv++)
        if (m->holders[lv])
            n += ((size_t)m->holders_mask[lv] + 1) * 2u * sizeof *m->holders[lv];
    return n;
}

int machine_fail(machine_t *m, const char *fmt, ...)
{
    m->failures++;
    int n = m->hazards.cause ? snprintf(m->failure, sizeof m->failure, "%s: ", m->hazards.cause) : 0;
    if (n < 0 || (size_t)n >= sizeof m->failure)
        n = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->failure + n, sizeof m->failure - (size_t)n, fmt, ap);
    va_end(ap);
    if (m->on_failure)
        m->on_failure(m->failure);
    return -1;
}
