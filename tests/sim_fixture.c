/* sim_fixture.c - the machine-level tests' shared set-up (see sim_fixture.h). */
#include "sim_fixture.h"

#include <string.h>

machine_t *build(const char *name, const char *const *sets, size_t nsets)
{
    chipdef_t c;
    ydoc_err_t err;
    ck_assert_msg(chipdef_load(name, sets, nsets, &c, &err) == 0, "%s", err.msg);
    machine_t *m = machine_new(&c);
    ck_assert_ptr_nonnull(m);
    return m;
}

void map_page_in(machine_t *m, uint32_t table, uint32_t vaddr, uint32_t target, uint32_t paddr)
{
    mmu_decode_t d;
    ck_assert_msg(mmu_decode(&m->chip, vaddr, &d), "0x%08x is in no MMU's reach", vaddr);
    const chipdef_mmu_t *u = &m->chip.mmus[d.mmu];
    ck_assert_uint_eq(paddr % d.page_size, 0);
    uint32_t raw = mmu_encode(u, target, paddr / d.page_size);
    for (uint32_t k = 0; k < u->tables; k++)
        if (table == ALL_TABLES || table == k)
            mmu_write_entry(&m->mmu, d.mmu, k, d.entry, raw);
}

void map_addr(machine_t *m, uint32_t vaddr, uint32_t target, uint32_t paddr)
{
    mmu_decode_t d;
    ck_assert_msg(mmu_decode(&m->chip, vaddr, &d), "0x%08x is in no MMU's reach", vaddr);
    uint32_t off = vaddr % d.page_size;
    ck_assert_msg(paddr % d.page_size == off, "0x%08x and 0x%08x are at different offsets of a 0x%x page", vaddr,
                  paddr, d.page_size);
    map_page(m, vaddr - off, target, paddr - off);
}

void unmap_page(machine_t *m, uint32_t vaddr)
{
    mmu_decode_t d;
    ck_assert_msg(mmu_decode(&m->chip, vaddr, &d), "0x%08x is in no MMU's reach", vaddr);
    const chipdef_mmu_t *u = &m->chip.mmus[d.mmu];
    for (uint32_t k = 0; k < u->tables; k++)
        mmu_write_entry(&m->mmu, d.mmu, k, d.entry, mmu_invalid_value(u));
}

int cache_index(const machine_t *m, const char *name)
{
    for (uint32_t i = 0; i < m->chip.cache_count; i++)
        if (!strcmp(m->chip.caches[i].name, name))
            return (int)i;
    ck_abort_msg("no cache %s", name);
    return -1;
}

void rd(machine_t *m, uint32_t core, uint32_t vaddr, uint8_t *buf, uint32_t len)
{
    bus_cpu_access(m, core, BUS_READ, vaddr, buf, len);
}

void wr(machine_t *m, uint32_t core, uint32_t vaddr, const uint8_t *buf, uint32_t len)
{
    uint8_t tmp[256]; /* bus_cpu_access takes one buffer for both directions */
    ck_assert_uint_le(len, sizeof tmp);
    memcpy(tmp, buf, len);
    bus_cpu_access(m, core, BUS_WRITE, vaddr, tmp, len);
}

uint32_t rd32(machine_t *m, uint32_t core, uint32_t vaddr)
{
    uint32_t v;
    bus_cpu_access(m, core, BUS_READ, vaddr, (uint8_t *)&v, 4);
    return v;
}

void wr32(machine_t *m, uint32_t core, uint32_t vaddr, uint32_t value)
{
    bus_cpu_access(m, core, BUS_WRITE, vaddr, (uint8_t *)&value, 4);
}

uint32_t store32(const store_t *s, uint32_t paddr)
{
    uint32_t v;
    ck_assert_int_eq(store_read(s, paddr, &v, 4), 0);
    return v;
}
