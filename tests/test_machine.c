/* test_machine.c - building every chip's machine: cache instances per core,
 * stores sized from the config, and sparse memory before any access. */
#include <check.h>

#include "check_main.h"
#include "sim_fixture.h"

START_TEST(every_chip_builds_and_frees)
{
    for (size_t i = 0; i < chipdef_builtin_count(); i++) {
        machine_t *m = build(chipdef_builtin_name(i), NULL, 0);
        ck_assert_uint_eq(store_size(m->flash), m->chip.config.flash_size);
        ck_assert((m->psram != NULL) == (m->chip.config.psram_size != 0));
        machine_free(m);
    }
}
END_TEST

START_TEST(esp32_has_a_cache_per_cpu_and_s3_shares)
{
    machine_t *m = build("esp32", NULL, 0);
    ck_assert_ptr_nonnull(m->caches[0][0]);
    ck_assert_ptr_nonnull(m->caches[0][1]);
    ck_assert_ptr_ne(m->caches[0][0], m->caches[0][1]);
    machine_free(m);
    m = build("esp32s3", NULL, 0);
    ck_assert_ptr_eq(m->caches[1][0], m->caches[1][1]);
    machine_free(m);
}
END_TEST

START_TEST(largest_chip_stays_small_before_any_access)
{
    /* 16 MB flash and 32 MB PSRAM: well under 1 MB of host memory until used. */
    const char *sets[] = {"flash_size=16M", "psram_size=32M"};
    machine_t *m = build("esp32s3", sets, 2);
    ck_assert_uint_eq(store_size(m->psram), 32u << 20);
    ck_assert_uint_lt(machine_resident_bytes(m), 1u << 20);
    machine_free(m);
    const char *p4[] = {"flash_size=64M", "psram_size=64M"};
    m = build("esp32p4", p4, 2);
    ck_assert_uint_lt(machine_resident_bytes(m), 1u << 20);
    machine_free(m);
}
END_TEST

START_TEST(flash_starts_erased)
{
    machine_t *m = build("esp32c3", NULL, 0);
    uint8_t b[4];
    ck_assert_int_eq(store_read(m->flash, 0x110000, b, 4), 0);
    ck_assert_uint_eq(b[0] & b[1] & b[2] & b[3], 0xFF);
    machine_free(m);
}
END_TEST

/* Internal RAM: CPU stores land in the store at once (no cache, no MMU), a cycle per
 * word touched plus the CPU's cost of each, and DMA reaches the same bytes by their
 * chip address. */
START_TEST(internal_ram_is_uncached_and_shared_with_dma)
{
    machine_t *m = build("esp32s3", NULL, 0);
    const uint32_t base = m->chip.internal_ram.vaddr, at = base + 0x1000;
    ck_assert_uint_eq(base, 0x3FC88000u);
    uint64_t before = m->cycles[0], access = 1 + m->chip.cpu_access_cycles; /* SRAM cycle + the CPU's */
    wr32(m, 0, at, 0x11223344u);
    ck_assert_uint_eq(m->cycles[0] - before, access);
    ck_assert_uint_eq(store32(m->sram, at - base), 0x11223344u);
    uint8_t six[6] = {1, 2, 3, 4, 5, 6};
    before = m->cycles[0];
    wr(m, 0, at + 3, six, 6); /* words at +0, +4 and +8 */
    ck_assert_uint_eq(m->cycles[0] - before, 3 * access);
    uint8_t back[6];
    ck_assert_int_eq(bus_dma_read(m, CHIPDEF_TARGET_INTERNAL, at + 3, back, 6), 0);
    ck_assert_mem_eq(back, six, 6);
    const uint8_t dma[4] = {0xAA, 0xBB, 0xCC, 0xDD};
    ck_assert_int_eq(bus_dma_write(m, CHIPDEF_TARGET_INTERNAL, at + 16, dma, 4), 0);
    ck_assert_uint_eq(rd32(m, 1, at + 16), 0xDDCCBBAAu); /* the other core, no stale copy */
    for (uint32_t i = 0; i < m->chip.cache_count; i++)
        ck_assert_uint_eq(m->caches[i][0]->stats.misses + m->caches[i][0]->stats.hits, 0);
    ck_assert_uint_eq(m->hazards.total, 0);
    machine_free(m);
}
END_TEST

/* The RAM's edges: a fetch where the instruction bus does not reach the data address
 * (S3), a fetch where it does (P4), and an access running off the end into no window. */
START_TEST(internal_ram_edges)
{
    machine_t *m = build("esp32s3", NULL, 0);
    const uint32_t end = m->chip.internal_ram.vaddr + m->chip.internal_ram.size;
    uint8_t b[8];
    ck_assert_int_eq(bus_cpu_access(m, 0, BUS_FETCH, end - 64, b, 4), 0);
    ck_assert_uint_eq(m->hazards.per_kind[MMSIM_HAZARD_CAPABILITY], 1);
    wr32(m, 0, end - 4, 0x55667788u);
    ck_assert_int_eq(bus_cpu_access(m, 0, BUS_READ, end - 4, b, 8), 0);
    ck_assert_uint_eq(b[0], 0x88);
    ck_assert_uint_eq(m->hazards.per_kind[MMSIM_HAZARD_UNMAPPED_ACCESS], 1); /* the 4 bytes past it */
    machine_free(m);
    m = build("esp32p4", NULL, 0);
    wr32(m, 0, m->chip.internal_ram.vaddr, 0x13);
    ck_assert_int_eq(bus_cpu_access(m, 0, BUS_FETCH, m->chip.internal_ram.vaddr, b, 4), 0);
    ck_assert_uint_eq(b[0], 0x13);
    ck_assert_uint_eq(m->hazards.total, 0);
    machine_free(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("machine");
    TCase *t = tcase_create("machine");
    tcase_add_test(t, every_chip_builds_and_frees);
    tcase_add_test(t, esp32_has_a_cache_per_cpu_and_s3_shares);
    tcase_add_test(t, largest_chip_stays_small_before_any_access);
    tcase_add_test(t, flash_starts_erased);
    tcase_add_test(t, internal_ram_is_uncached_and_shared_with_dma);
    tcase_add_test(t, internal_ram_edges);
    suite_add_tcase(s, t);
    return mmsim_check_run(s);
}
