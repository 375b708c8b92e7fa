/* sim_fixture.h - what the machine-level tests (test_bus, test_hazard, test_machine and
 * others that drive sim/ below the HAL) share: a machine built from a built-in chip, a
 * page mapped by writing its MMU entries directly (as mapping code does), CPU loads and
 * stores through bus_cpu_access, a cache found by name, a word read from a store.
 *
 * Each call fails the running Check test when its set-up step fails; the names are
 * short on purpose, they are the vocabulary of every test body. */
#ifndef MMSIM_SIM_FIXTURE_H
#define MMSIM_SIM_FIXTURE_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>

#include "bus.h"
#include "chipdef_load.h"

/* The machine of built-in chip `name` with `nsets` key=value overrides (caller frees
 * with machine_free). */
machine_t *build(const char *name, const char *const *sets, size_t nsets);

/* Every table instance of an MMU (map_page_in). */
#define ALL_TABLES UINT32_MAX

/* Point the page of `vaddr` at `paddr` (page-aligned) of `target` in table instance
 * `table` of its MMU, or in every one (ALL_TABLES: ESP32 mapping code writes both
 * CPUs' tables). */
void map_page_in(machine_t *m, uint32_t table, uint32_t vaddr, uint32_t target, uint32_t paddr);
static inline void map_page(machine_t *m, uint32_t vaddr, uint32_t target, uint32_t paddr)
{
    map_page_in(m, ALL_TABLES, vaddr, target, paddr);
}
/* Map the page holding `vaddr` so that `vaddr` reaches `paddr` of `target` (both at the
 * same offset in the page), in every table. */
void map_addr(machine_t *m, uint32_t vaddr, uint32_t target, uint32_t paddr);
/* Write the invalid value into every table's entry of `vaddr`, as esp_mmu_unmap does. */
void unmap_page(machine_t *m, uint32_t vaddr);

/* The index of the chip's cache called `name` (m->caches[index][core]). */
int cache_index(const machine_t *m, const char *name);

/* A CPU load / store of `len` bytes (at most 256) on `core`, through window, MMU and caches. */
void rd(machine_t *m, uint32_t core, uint32_t vaddr, uint8_t *buf, uint32_t len);
void wr(machine_t *m, uint32_t core, uint32_t vaddr, const uint8_t *buf, uint32_t len);
/* The same for one 32-bit word. */
uint32_t rd32(machine_t *m, uint32_t core, uint32_t vaddr);
void wr32(machine_t *m, uint32_t core, uint32_t vaddr, uint32_t value);

/* The word at `paddr` of a store, read behind every cache. */
uint32_t store32(const store_t *s, uint32_t paddr);

#endif
