/* test_hal.c - the HAL boundary (ESP-IDF names) on simulated machines: MMU programming
 * and conversions per chip in each chip's entry encoding, linear addresses, range
 * checks, the cache HAL's window table and line sizes, bus and cache enables, the ESP32
 * ROM routines, HAL_ASSERTs recorded as hazards, and calls with no machine bound. */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "sim_fixture.h"

#include "esp32/rom/cache.h"
#include "esp_private/esp_psram_extram.h"
#include "hal/cache_hal.h"
#include "hal/cache_ll.h"
#include "hal/mmu_hal.h"
#include "hal/mmu_ll.h"
#include "hal_ctx.h"
#include "soc/soc.h"

static machine_t *m;

static void teardown(void)
{
    hal_bind(NULL);
    machine_free(m);
    m = NULL;
}

/* Build `name` (with one optional key=value override) and bind it to this thread. */
static void open_chip(const char *name, const char *set)
{
    const char *sets[] = {set};
    teardown();
    m = build(name, sets, set ? 1 : 0);
    hal_bind(m);
}

static uint32_t raw(uint32_t mmu, uint32_t table, uint32_t entry) { return mmu_read_entry(&m->mmu, mmu, table, entry); }

static size_t hazards(void) { return m->hazards.total; }

static size_t hazards_of(mmsim_hazard_kind_t kind) { return m->hazards.per_kind[kind]; }

/* Map one 64 KB page through the HAL, as the driver does; all of it must be mapped. */
static void map_page_hal(uint32_t mmu_id, mmu_target_t target, uint32_t vaddr, uint32_t paddr)
{
    uint32_t out = 0;
    mmu_hal_map_region(mmu_id, target, vaddr, paddr, 0x10000, &out);
    ck_assert_uint_eq(out, 0x10000);
}

static const mmsim_hazard_t *last_hazard(void)
{
    ck_assert_uint_gt(m->hazards.kept, 0);
    return &m->hazards.recs[m->hazards.kept - 1];
}

/* ---- MMU programming --------------------------------------------------------------- */

typedef struct {
    const char *chip;
    uint32_t mmu_id;      /* HAL id */
    uint32_t mmu, table;  /* where the entries land */
    mmu_target_t target;
    mmu_vaddr_t type;     /* the view the vaddr belongs to */
    uint32_t vaddr, paddr;
    uint32_t entry, raw, invalid; /* first entry, its value, the invalid value (§4.2) */
} map_case_t;

static const map_case_t map_cases[] = {
    {"esp32", 0, 0, 0, MMU_TARGET_FLASH0, MMU_VADDR_DATA, 0x3F420000, 0x50000, 2, 0x005, 0x100},
    {"esp32", 1, 0, 1, MMU_TARGET_FLASH0, MMU_VADDR_INSTRUCTION, 0x400E0000, 0x70000, 78, 0x007, 0x100},
    {"esp32s2", 0, 0, 0, MMU_TARGET_FLASH0, MMU_VADDR_DATA, 0x3F010000, 0x50000, 129, 0x8005, 0x4000},
    {"esp32s2", 0, 0, 0, MMU_TARGET_PSRAM0, MMU_VADDR_DATA, 0x3F800000, 0x50000, 256, 0x10005, 0x4000},
    {"esp32s3", 0, 0, 0, MMU_TARGET_PSRAM0, MMU_VADDR_DATA, 0x3C050000, 0x50000, 5, 0x8005, 0x4000},
    {"esp32s3", 0, 0, 0, MMU_TARGET_FLASH0, MMU_VADDR_INSTRUCTION, 0x42050000, 0x50000, 5, 0x0005, 0x4000},
    {"esp32c2", 0, 0, 0, MMU_TARGET_FLASH0, MMU_VADDR_DATA, 0x3C030000, 0x50000, 3, 0x05, 0x40},
    {"esp32c3", 0, 0, 0, MMU_TARGET_FLASH0, MMU_VADDR_INSTRUCTION, 0x42070000, 0x50000, 7, 0x05, 0x100},
    {"esp32c6", 0, 0, 0, MMU_TARGET_FLASH0, MMU_VADDR_DATA, 0x42010000, 0x50000, 1, 0x205, 0},
    {"esp32h2", 0, 0, 0, MMU_TARGET_FLASH0, MMU_VADDR_INSTRUCTION, 0x42010000, 0x50000, 1, 0x205, 0},
    /* C5/C61/H4: bit 10 valid, bit 9 PSRAM; H21: H2's encoding (bit 9 valid). */
    {"esp32c5", 0, 0, 0, MMU_TARGET_FLASH0, MMU_VADDR_DATA, 0x42050000, 0x50000, 5, 0x405, 0},
    {"esp32c5", 0, 0, 0, MMU_TARGET_PSRAM0, MMU_VADDR_INSTRUCTION, 0x42050000, 0x50000, 5, 0x605, 0},
    {"esp32c61", 0, 0, 0, MMU_TARGET_PSRAM0, MMU_VADDR_DATA, 0x42070000, 0x30000, 7, 0x603, 0},
    {"esp32h21", 0, 0, 0, MMU_TARGET_FLASH0, MMU_VADDR_INSTRUCTION, 0x42010000, 0x50000, 1, 0x205, 0},
    {"esp32h4", 0, 0, 0, MMU_TARGET_PSRAM0, MMU_VADDR_DATA, 0x42020000, 0x50000, 2, 0x605, 0},
    {"esp32h4", 0, 0, 0, MMU_TARGET_FLASH0, MMU_VADDR_INSTRUCTION, 0x42020000, 0x70000, 2, 0x407, 0},
    {"esp32p4", 0, 0, 0, MMU_TARGET_FLASH0, MMU_VADDR_DATA, 0x40010000, 0x50000, 1, 0x1005, 0},
    {"esp32p4", 1, 1, 0, MMU_TARGET_PSRAM0, MMU_VADDR_DATA, 0x48020000, 0x50000, 2, 0xC05, 0},
    /* S31: P4's two encodings (flash valid bit 12; PSRAM valid bit 11 and target bit 10). */
    {"esp32s31", 0, 0, 0, MMU_TARGET_FLASH0, MMU_VADDR_INSTRUCTION, 0x40030000, 0x50000, 3, 0x1005, 0},
    {"esp32s31", 1, 1, 0, MMU_TARGET_PSRAM0, MMU_VADDR_DATA, 0x50040000, 0x70000, 4, 0xC07, 0},
};

START_TEST(map_unmap_round_trip_per_chip)
{
    const map_case_t *c = &map_cases[_i];
    open_chip(c->chip, NULL);
    uint32_t page = mmu_hal_pages_to_bytes(c->mmu_id, 1), out_len = 0;
    ck_assert_uint_eq(page, 0x10000);
    uint64_t cycles = m->cycles[m->hal_core];

    mmu_hal_map_region(c->mmu_id, c->target, c->vaddr, c->paddr, 2 * page + 1, &out_len);
    ck_assert_uint_eq(out_len, 3 * page);
    for (uint32_t k = 0; k < 3; k++)
        ck_assert_uint_eq(raw(c->mmu, c->table, c->entry + k), c->raw + k);
    ck_assert_uint_eq(raw(c->mmu, c->table, c->entry + 3), c->invalid);
    ck_assert_uint_eq(mmu_ll_read_entry(c->mmu_id, c->entry), c->raw);
    ck_assert_uint_eq(m->cycles[m->hal_core] - cycles, 3 * BUS_MMU_ENTRY_CYCLES);
    if (m->chip.mmus[0].tables > 1) /* ESP32: only the table mmu_id names */
        ck_assert_uint_eq(raw(c->mmu, 1 - c->table, c->entry), c->invalid);

    /* The machine translates through the new entries as the CPU of that table sees them. */
    uint32_t paddr = 0, target = 0;
    ck_assert_int_eq(mmu_translate(&m->mmu, c->table, c->vaddr + page + 0x123, &paddr, &target), MMU_XLATE_OK);
    ck_assert_uint_eq(paddr, c->paddr + page + 0x123);
    ck_assert_uint_eq(target, c->target);

    mmu_target_t t = 0;
    ck_assert(mmu_hal_vaddr_to_paddr(c->mmu_id, c->vaddr + page + 0x123, &paddr, &t));
    ck_assert_uint_eq(paddr, c->paddr + page + 0x123);
    ck_assert_uint_eq(t, c->target);
    uint32_t vaddr = 0;
    ck_assert(mmu_hal_paddr_to_vaddr(c->mmu_id, c->paddr + 2 * page + 0x10, c->target, c->type, &vaddr));
    ck_assert_uint_eq(vaddr, c->vaddr + 2 * page + 0x10);

    mmu_hal_unmap_region(c->mmu_id, c->vaddr, 2 * page + 1);
    for (uint32_t k = 0; k < 3; k++)
        ck_assert_uint_eq(raw(c->mmu, c->table, c->entry + k), c->invalid);
    ck_assert(!mmu_hal_vaddr_to_paddr(c->mmu_id, c->vaddr, &paddr, &t));
    ck_assert(!mmu_hal_paddr_to_vaddr(c->mmu_id, c->paddr, c->target, c->type, &vaddr));
    ck_assert_int_eq(mmu_translate(&m->mmu, c->table, c->vaddr, &paddr, &target), MMU_XLATE_UNMAPPED);
    ck_assert_uint_eq(hazards(), 0);
}
END_TEST

START_TEST(p4_entries_take_their_bits_from_the_mmu)
{
    /* Upstream's P4 write helper sets the valid and target bits of the MMU it writes,
     * whatever target the caller names. */
    open_chip("esp32p4", NULL);
    map_page_hal(1, MMU_TARGET_FLASH0, 0x48000000, 0x30000);
    ck_assert_uint_eq(raw(1, 0, 0), 0xC03);
    map_page_hal(0, MMU_TARGET_PSRAM0, 0x40000000, 0x30000);
    ck_assert_uint_eq(raw(0, 0, 0), 0x1003);
    /* A page number beyond the value field runs into the flag bits, as on the chip. */
    mmu_ll_write_entry(1, 5, 0x400, MMU_TARGET_PSRAM0);
    ck_assert_uint_eq(mmu_ll_read_entry(1, 5), 0xC00);
    ck_assert_uint_eq(hazards(), 0);
}
END_TEST

START_TEST(entry_target_reads_the_index_register)
{
    /* C5/C61/H4: mmu_ll_get_entry_target reads the content register without writing the
     * index register, so it answers for the entry the last indexed access named. */
    static const char *const quirky[] = {"esp32c5", "esp32c61", "esp32h4"};
    for (size_t i = 0; i < sizeof quirky / sizeof quirky[0]; i++) {
        open_chip(quirky[i], NULL);
        ck_assert(m->chip.mmus[0].target_reads_index);
        map_page_hal(0, MMU_TARGET_FLASH0, 0x42010000, 0x30000);
        map_page_hal(0, MMU_TARGET_PSRAM0, 0x42020000, 0x40000);
        ck_assert(mmu_ll_check_entry_valid(0, 1));
        ck_assert_uint_eq(mmu_ll_get_entry_target(0, 2), MMU_TARGET_FLASH0); /* entry 1's */
        ck_assert_uint_eq(mmu_ll_read_entry(0, 2), 0x604);
        ck_assert_uint_eq(mmu_ll_get_entry_target(0, 1), MMU_TARGET_PSRAM0); /* entry 2's */
        ck_assert_uint_eq(mmu_ll_entry_id_to_paddr_base(0, 1), 0x30000);
        ck_assert_uint_eq(mmu_ll_get_entry_target(0, 2), MMU_TARGET_FLASH0);
        /* The scan of find leaves the index on the entry found. */
        ck_assert_int_eq(mmu_ll_find_entry_id_based_on_map_value(0, 4, MMU_TARGET_PSRAM0), 2);
        ck_assert_uint_eq(mmu_ll_get_entry_target(0, 1), MMU_TARGET_PSRAM0);
        /* The HAL's own order (check valid, then target) always indexes the entry asked. */
        uint32_t paddr = 0;
        mmu_target_t t = 0;
        ck_assert(mmu_hal_vaddr_to_paddr(0, 0x42010008, &paddr, &t));
        ck_assert_uint_eq(t, MMU_TARGET_FLASH0);
        ck_assert(mmu_hal_vaddr_to_paddr(0, 0x42020008, &paddr, &t));
        ck_assert_uint_eq(t, MMU_TARGET_PSRAM0);
        ck_assert_uint_eq(paddr, 0x40008);
        ck_assert_uint_eq(hazards(), 0);
    }
    /* S3 also keeps the target in a bit, but reads the entry asked for. */
    open_chip("esp32s3", NULL);
    ck_assert(!m->chip.mmus[0].target_reads_index);
    map_page_hal(0, MMU_TARGET_FLASH0, 0x3C010000, 0x30000);
    map_page_hal(0, MMU_TARGET_PSRAM0, 0x3C020000, 0x40000);
    ck_assert(mmu_ll_check_entry_valid(0, 1));
    ck_assert_uint_eq(mmu_ll_get_entry_target(0, 2), MMU_TARGET_PSRAM0);
    ck_assert_uint_eq(hazards(), 0);
}
END_TEST

START_TEST(sensitive_and_valid_bits_of_the_new_chips)
{
    uint32_t paddr = 0, target = 0;
    mmu_target_t t = 0;
    /* C5: an entry written with the flash-encryption bit (11) still decodes to its page and
     * target: the bit is outside SOC_MMU_VALID_VAL_MASK (0x1FF) and the PSRAM bit (9). */
    open_chip("esp32c5", NULL);
    ck_assert_int_eq(m->chip.mmus[0].sensitive_bit, 11);
    mmu_write_entry(&m->mmu, 0, 0, 3, 0x800 | 0x400 | 7);
    mmu_write_entry(&m->mmu, 0, 0, 4, 0x800 | 0x400 | 0x200 | 9);
    ck_assert_int_eq(mmu_translate(&m->mmu, 0, 0x42030010, &paddr, &target), MMU_XLATE_OK);
    ck_assert_uint_eq(paddr, 0x70010);
    ck_assert_uint_eq(target, CHIPDEF_TARGET_FLASH);
    ck_assert(mmu_hal_vaddr_to_paddr(0, 0x42040020, &paddr, &t));
    ck_assert_uint_eq(paddr, 0x90020);
    ck_assert_uint_eq(t, MMU_TARGET_PSRAM0);
    /* Bit 10 clear: invalid, whatever else the entry holds. */
    mmu_write_entry(&m->mmu, 0, 0, 5, 0x800 | 0x200 | 7);
    ck_assert_int_eq(mmu_translate(&m->mmu, 0, 0x42050000, &paddr, &target), MMU_XLATE_INVALID_ENTRY);
    ck_assert(!mmu_ll_check_entry_valid(0, 5));
    /* A PSRAM page past the 9-bit field wraps into the target bit, as on the chip. */
    mmu_ll_write_entry(0, 6, 0x200, MMU_TARGET_FLASH0);
    ck_assert_uint_eq(raw(0, 0, 6), 0x600);
    ck_assert_int_eq(mmu_translate(&m->mmu, 0, 0x42060000, &paddr, &target), MMU_XLATE_OK);
    ck_assert_uint_eq(target, CHIPDEF_TARGET_PSRAM);

    /* H21: bit 9 set = valid (upstream stores mmu_val ^ SOC_MMU_INVALID_MASK), bit 10
     * sensitive, no target bit: always flash. */
    open_chip("esp32h21", NULL);
    ck_assert_int_eq(m->chip.mmus[0].sensitive_bit, 10);
    ck_assert_int_eq(m->chip.mmus[0].psram_bit, -1);
    mmu_write_entry(&m->mmu, 0, 0, 3, 0x400 | 0x200 | 7);
    ck_assert_int_eq(mmu_translate(&m->mmu, 0, 0x42030004, &paddr, &target), MMU_XLATE_OK);
    ck_assert_uint_eq(paddr, 0x70004);
    ck_assert_uint_eq(target, CHIPDEF_TARGET_FLASH);
    mmu_write_entry(&m->mmu, 0, 0, 4, 0x400 | 7);
    ck_assert_int_eq(mmu_translate(&m->mmu, 0, 0x42040000, &paddr, &target), MMU_XLATE_INVALID_ENTRY);
    /* Its flash-only MMU refuses a PSRAM write as upstream's map asserts. */
    mmu_ll_write_entry(0, 7, 1, MMU_TARGET_PSRAM0);
    ck_assert_uint_eq(hazards_of(MMSIM_HAZARD_HAL_ASSERT), 1);
    ck_assert_uint_eq(raw(0, 0, 7), 0);
}
END_TEST

START_TEST(linear_masks_of_the_new_chips_per_page_size)
{
    static const struct {
        const char *chip, *set;
        uint32_t page, mask, window_pages;
    } cases[] = {
        /* C61: the mask follows the page size over all 512 entries. */
        {"esp32c61", "flash_size=1M", 0x4000, 0x7FFFFF, 512},
        {"esp32c61", "flash_size=2M", 0x8000, 0xFFFFFF, 512},
        {"esp32c61", "flash_size=4M", 0x10000, 0x1FFFFFF, 512},
        /* H4: fixed 0x1FFFFFF whatever the page size. */
        {"esp32h4", "flash_size=1M", 0x4000, 0x1FFFFFF, 512},
        {"esp32h4", "flash_size=2M", 0x8000, 0x1FFFFFF, 512},
        /* H21: all 256 entries (H2's covers half). */
        {"esp32h21", "flash_size=1M", 0x4000, 0x3FFFFF, 256},
        {"esp32h21", "flash_size=2M", 0x8000, 0x7FFFFF, 256},
        {"esp32h21", "flash_size=4M", 0x10000, 0xFFFFFF, 256},
        /* C5: 64 KB only, even with a 1 MB flash. */
        {"esp32c5", "flash_size=1M", 0x10000, 0x1FFFFFF, 512},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        open_chip(cases[i].chip, cases[i].set);
        ck_assert_msg(SOC_MMU_PAGE_SIZE == cases[i].page && SOC_MMU_LINEAR_ADDR_MASK == cases[i].mask,
                      "%s %s: page 0x%x mask 0x%x", cases[i].chip, cases[i].set, (unsigned)SOC_MMU_PAGE_SIZE,
                      (unsigned)SOC_MMU_LINEAR_ADDR_MASK);
        ck_assert_uint_eq(SOC_MMU_PAGE_SIZE_CONFIGURABLE, strcmp(cases[i].chip, "esp32c5") != 0);
        uint32_t end = 0x42000000 + cases[i].window_pages * cases[i].page;
        ck_assert(mmu_hal_check_valid_ext_vaddr_region(0, end - 1, 1, MMU_VADDR_INSTRUCTION));
        ck_assert(!mmu_hal_check_valid_ext_vaddr_region(0, end, 1, MMU_VADDR_DATA));
        ck_assert_uint_eq(mmu_ll_get_entry_id(0, end - 1), cases[i].window_pages - 1);
        /* The one esp_mmu_map region is the whole window. */
        ck_assert_uint_eq(m->chip.regions[0].end, cases[i].window_pages * cases[i].page);
        ck_assert_uint_eq(mmu_ll_vaddr_to_laddr(end - 1), cases[i].window_pages * cases[i].page - 1);
        ck_assert_uint_eq(hazards(), 0);
    }
}
END_TEST

START_TEST(unmap_all_clears_every_table)
{
    open_chip("esp32", NULL);
    map_page_hal(0, MMU_TARGET_FLASH0, 0x3F400000, 0);
    map_page_hal(1, MMU_TARGET_FLASH0, 0x3F400000, 0);
    ck_assert_uint_eq(raw(0, 0, 0), 0);
    ck_assert_uint_eq(raw(0, 1, 0), 0);
    mmu_hal_unmap_all();
    ck_assert_uint_eq(raw(0, 0, 0), 0x100);
    ck_assert_uint_eq(raw(0, 1, 0), 0x100);

    /* With one core configured only table 0 is cleared, as upstream's loop. */
    map_page_hal(1, MMU_TARGET_FLASH0, 0x3F400000, 0);
    mmu_hal_config_t cfg = {.core_nums = 1, .mmu_page_size = 0x10000};
    mmu_hal_init(&cfg);
    ck_assert_uint_eq(raw(0, 1, 0), 0);

    open_chip("esp32p4", NULL);
    map_page_hal(0, MMU_TARGET_FLASH0, 0x40000000, 0);
    map_page_hal(1, MMU_TARGET_PSRAM0, 0x48000000, 0);
    mmu_hal_unmap_all();
    ck_assert_uint_eq(raw(0, 0, 0), 0);
    ck_assert_uint_eq(raw(1, 0, 0), 0);
    ck_assert_uint_eq(hazards(), 0);
}
END_TEST

START_TEST(conversions_for_data_and_instruction)
{
    uint32_t vaddr = 0, paddr = 0;
    mmu_target_t t = 0;

    /* S3: one entry, two views; the lowest matching entry wins; target must match. */
    open_chip("esp32s3", NULL);
    map_page_hal(0, MMU_TARGET_FLASH0, 0x3C010000, 0x30000);
    ck_assert(mmu_hal_paddr_to_vaddr(0, 0x30010, MMU_TARGET_FLASH0, MMU_VADDR_DATA, &vaddr));
    ck_assert_uint_eq(vaddr, 0x3C010010);
    ck_assert(mmu_hal_paddr_to_vaddr(0, 0x30010, MMU_TARGET_FLASH0, MMU_VADDR_INSTRUCTION, &vaddr));
    ck_assert_uint_eq(vaddr, 0x42010010);
    ck_assert(!mmu_hal_paddr_to_vaddr(0, 0x30010, MMU_TARGET_PSRAM0, MMU_VADDR_DATA, &vaddr));
    ck_assert(mmu_hal_vaddr_to_paddr(0, 0x42010010, &paddr, &t));
    ck_assert_uint_eq(paddr, 0x30010);
    ck_assert_uint_eq(t, MMU_TARGET_FLASH0);
    map_page_hal(0, MMU_TARGET_FLASH0, 0x3C000000, 0x30000);
    ck_assert(mmu_hal_paddr_to_vaddr(0, 0x30010, MMU_TARGET_FLASH0, MMU_VADDR_DATA, &vaddr));
    ck_assert_uint_eq(vaddr, 0x3C000010);
    map_page_hal(0, MMU_TARGET_PSRAM0, 0x3C020000, 0x30000);
    ck_assert_uint_eq(mmu_ll_vaddr_to_target(0x3C020000), MMU_TARGET_PSRAM0);
    ck_assert_uint_eq(mmu_ll_vaddr_to_target(0x42000000), MMU_TARGET_FLASH0);
    ck_assert_uint_eq(mmu_hal_get_id_from_target(MMU_TARGET_PSRAM0), 0);

    /* ESP32: an entry serves only its group's view; IRAM1 converts to its own window. */
    open_chip("esp32", NULL);
    map_page_hal(0, MMU_TARGET_FLASH0, 0x3F400000, 0x10000);
    ck_assert(!mmu_hal_paddr_to_vaddr(0, 0x10004, MMU_TARGET_FLASH0, MMU_VADDR_INSTRUCTION, &vaddr));
    ck_assert(mmu_hal_paddr_to_vaddr(0, 0x10004, MMU_TARGET_FLASH0, MMU_VADDR_DATA, &vaddr));
    ck_assert_uint_eq(vaddr, 0x3F400004);
    map_page_hal(0, MMU_TARGET_FLASH0, 0x400D0000, 0x20000);
    ck_assert(mmu_hal_paddr_to_vaddr(0, 0x20008, MMU_TARGET_FLASH0, MMU_VADDR_INSTRUCTION, &vaddr));
    ck_assert_uint_eq(vaddr, 0x400D0008);
    ck_assert(!mmu_hal_paddr_to_vaddr(0, 0x20008, MMU_TARGET_FLASH0, MMU_VADDR_DATA, &vaddr));
    map_page_hal(0, MMU_TARGET_FLASH0, 0x40400000, 0x40000);
    ck_assert(mmu_hal_paddr_to_vaddr(0, 0x40000, MMU_TARGET_FLASH0, MMU_VADDR_INSTRUCTION, &vaddr));
    ck_assert_uint_eq(vaddr, 0x40400000);
    ck_assert_uint_eq(mmu_hal_get_id_from_vaddr(0x3F400000), 0);

    /* P4: MMU chosen by target or vaddr; the view type is ignored. */
    open_chip("esp32p4", NULL);
    ck_assert_uint_eq(mmu_hal_get_id_from_target(MMU_TARGET_FLASH0), 0);
    ck_assert_uint_eq(mmu_hal_get_id_from_target(MMU_TARGET_PSRAM0), 1);
    ck_assert_uint_eq(mmu_hal_get_id_from_vaddr(0x40000000), 0);
    ck_assert_uint_eq(mmu_hal_get_id_from_vaddr(0x4BFFFFFF), 1);
    ck_assert_uint_eq(mmu_ll_vaddr_to_id(0x48000000), 1);
    ck_assert_uint_eq(mmu_ll_vaddr_to_target(0x48000000), MMU_TARGET_PSRAM0);
    ck_assert_uint_eq(mmu_ll_vaddr_to_target(0x40000000), MMU_TARGET_FLASH0);
    map_page_hal(1, MMU_TARGET_PSRAM0, 0x48000000, 0x100000);
    ck_assert(mmu_hal_paddr_to_vaddr(1, 0x100008, MMU_TARGET_PSRAM0, MMU_VADDR_INSTRUCTION, &vaddr));
    ck_assert_uint_eq(vaddr, 0x48000008);
    ck_assert(mmu_hal_paddr_to_vaddr(1, 0x100008, MMU_TARGET_PSRAM0, MMU_VADDR_DATA, &vaddr));
    ck_assert_uint_eq(vaddr, 0x48000008);
    ck_assert(!mmu_hal_paddr_to_vaddr(0, 0x100008, MMU_TARGET_FLASH0, MMU_VADDR_DATA, &vaddr));
    ck_assert_uint_eq(mmu_hal_get_id_from_vaddr(0x10000000), 0);
    ck_assert_uint_eq(hazards_of(MMSIM_HAZARD_HAL_ASSERT), 1); /* the vaddr in no window */

    /* C6: one view for both types. */
    open_chip("esp32c6", NULL);
    map_page_hal(0, MMU_TARGET_FLASH0, 0x42030000, 0x70000);
    ck_assert(mmu_hal_paddr_to_vaddr(0, 0x70004, MMU_TARGET_FLASH0, MMU_VADDR_INSTRUCTION, &vaddr));
    ck_assert_uint_eq(vaddr, 0x42030004);
    ck_assert(mmu_hal_paddr_to_vaddr(0, 0x70004, MMU_TARGET_FLASH0, MMU_VADDR_DATA, &vaddr));
    ck_assert_uint_eq(vaddr, 0x42030004);
    ck_assert_uint_eq(hazards(), 0);
}
END_TEST

START_TEST(linear_addresses_round_trip_for_every_region)
{
    static const uint32_t types[] = {MMU_VADDR_DATA, MMU_VADDR_INSTRUCTION};
    for (size_t i = 0; i < chipdef_builtin_count(); i++) {
        open_chip(chipdef_builtin_name(i), NULL);
        for (uint32_t r = 0; r < m->chip.region_count; r++) {
            const chipdef_region_t *g = &m->chip.regions[r];
            for (int ti = 0; ti < 2; ti++) {
                uint32_t type = types[ti];
                uint32_t want = type == MMU_VADDR_INSTRUCTION ? CHIPDEF_CAP_EXEC : CHIPDEF_CAP_READ | CHIPDEF_CAP_WRITE;
                if (!(g->caps & want))
                    continue;
                for (uint32_t target = 1; target <= 2; target <<= 1) {
                    if (!(g->targets & target))
                        continue;
                    uint32_t v0 = mmu_ll_laddr_to_vaddr(g->start, type, target);
                    uint32_t v1 = mmu_ll_laddr_to_vaddr(g->end - 1, type, target);
                    ck_assert_msg(mmu_ll_vaddr_to_laddr(v0) == g->start && mmu_ll_vaddr_to_laddr(v1) == g->end - 1,
                                  "%s region %s: 0x%08x..0x%08x", m->chip.name, g->name, v0, v1);
                    ck_assert_uint_eq(v1 - v0, g->end - 1 - g->start);
                    const chipdef_window_t *w = mmu_window_of(&m->chip, v0);
                    ck_assert_msg(w && (w->types & type) && (w->bus & g->bus) && (w->targets & target),
                                  "%s region %s type %u: 0x%08x is in no matching window", m->chip.name, g->name,
                                  type, v0);
                    ck_assert_msg(mmu_hal_check_valid_ext_vaddr_region(0, v0, g->end - g->start, type),
                                  "%s region %s: [0x%08x, +0x%x) rejected", m->chip.name, g->name, v0,
                                  g->end - g->start);
                }
            }
        }
        ck_assert_uint_eq(hazards(), 0);
    }
}
END_TEST

START_TEST(laddr_bases_follow_the_view_or_target)
{
    open_chip("esp32", NULL);
    ck_assert_uint_eq(mmu_ll_laddr_to_vaddr(0x01400000, MMU_VADDR_DATA, MMU_TARGET_FLASH0), 0x3F400000);
    ck_assert_uint_eq(mmu_ll_laddr_to_vaddr(0x000D0000, MMU_VADDR_INSTRUCTION, MMU_TARGET_FLASH0), 0x400D0000);
    ck_assert_uint_eq(mmu_ll_vaddr_to_laddr(0x3F800000), 0x01800000);
    open_chip("esp32s3", NULL);
    ck_assert_uint_eq(mmu_ll_laddr_to_vaddr(0x10000, MMU_VADDR_DATA, MMU_TARGET_PSRAM0), 0x3C010000);
    ck_assert_uint_eq(mmu_ll_laddr_to_vaddr(0x10000, MMU_VADDR_INSTRUCTION, MMU_TARGET_PSRAM0), 0x42010000);
    /* P4: the target picks the base; a flash laddr asked for PSRAM lands in the PSRAM window. */
    open_chip("esp32p4", NULL);
    ck_assert_uint_eq(mmu_ll_laddr_to_vaddr(0x100000, MMU_VADDR_DATA, MMU_TARGET_FLASH0), 0x40100000);
    ck_assert_uint_eq(mmu_ll_laddr_to_vaddr(0x100000, MMU_VADDR_DATA, MMU_TARGET_PSRAM0), 0x48100000);
    ck_assert_uint_eq(mmu_ll_laddr_to_vaddr(0x8000000, MMU_VADDR_INSTRUCTION, MMU_TARGET_PSRAM0), 0x48000000);
    /* C6: the linear mask covers half the window (§5.2). */
    open_chip("esp32c6", NULL);
    ck_assert_uint_eq(SOC_MMU_LINEAR_ADDR_MASK, 0x7FFFFF);
    ck_assert_uint_eq(mmu_ll_vaddr_to_laddr(0x42FF0000), 0x7F0000);
}
END_TEST

typedef struct {
    const char *chip;
    uint32_t vaddr, len, type;
    bool valid;
} vrange_case_t;

static const vrange_case_t vrange_cases[] = {
    {"esp32s3", 0x3C000000, 0x2000000, MMU_VADDR_DATA, true},
    {"esp32s3", 0x3C000000, 0x2000001, MMU_VADDR_DATA, false},
    {"esp32s3", 0x3DFFFFFF, 1, MMU_VADDR_DATA, true},
    {"esp32s3", 0x3E000000, 1, MMU_VADDR_DATA, false},
    {"esp32s3", 0x3C000000, 1, MMU_VADDR_INSTRUCTION, false},
    {"esp32s3", 0x43FFFFFF, 1, MMU_VADDR_INSTRUCTION, true},
    {"esp32s3", 0x43FFFFFF, 1, MMU_VADDR_DATA | MMU_VADDR_INSTRUCTION, true},
    {"esp32", 0x3F7FFFFF, 1, MMU_VADDR_DATA, true},
    {"esp32", 0x3F7FFFFF, 2, MMU_VADDR_DATA, false},        /* DROM0 -> DRAM1: separate checks */
    {"esp32", 0x403FFFFF, 2, MMU_VADDR_INSTRUCTION, false}, /* IRAM0 -> IRAM1 likewise */
    {"esp32", 0x40BFFFFF, 1, MMU_VADDR_INSTRUCTION, true},  /* IROM0 is valid for conversions */
    {"esp32", 0x40C00000, 1, MMU_VADDR_INSTRUCTION, false},
    {"esp32", 0x400CFFFF, 1, MMU_VADDR_INSTRUCTION, false},
    {"esp32s2", 0x3F7FFFFF, 2, MMU_VADDR_DATA, true},        /* DPORT -> DRAM1: one bus range */
    {"esp32s2", 0x3F500000, 0xA80000, MMU_VADDR_DATA, true}, /* DPORT .. DRAM0 */
    {"esp32s2", 0x3FF80000, 1, MMU_VADDR_DATA, false},
    {"esp32s2", 0x3F3FFFFF, 2, MMU_VADDR_DATA, false},
    {"esp32s2", 0x403FFFFF, 2, MMU_VADDR_INSTRUCTION, true},
    {"esp32s2", 0x407FFFFF, 1, MMU_VADDR_INSTRUCTION, true},
    {"esp32s2", 0x40800000, 1, MMU_VADDR_INSTRUCTION, false},
    {"esp32c6", 0x42FFFFFF, 1, MMU_VADDR_DATA, true},
    {"esp32c5", 0x43FFFFFF, 1, MMU_VADDR_DATA, true},
    {"esp32c5", 0x43FFFFFF, 2, MMU_VADDR_INSTRUCTION, false},
    {"esp32c61", 0x42000000, 0x2000000, MMU_VADDR_INSTRUCTION, true},
    {"esp32h21", 0x42FFFFFF, 1, MMU_VADDR_INSTRUCTION, true},
    {"esp32h21", 0x43000000, 1, MMU_VADDR_DATA, false},
    {"esp32h4", 0x41FFFFFF, 2, MMU_VADDR_DATA, false},
    {"esp32h4", 0x43FFFFFF, 1, MMU_VADDR_DATA, true},
    {"esp32s31", 0x43FFFFFF, 1, MMU_VADDR_INSTRUCTION, true},
    {"esp32s31", 0x43FFFFFF, 2, MMU_VADDR_DATA, false},
    {"esp32s31", 0x50000000, 0x4000000, MMU_VADDR_DATA, true},
    {"esp32c6", 0x42FFFFFF, 2, MMU_VADDR_INSTRUCTION, false},
    {"esp32c2", 0x3C3FFFFF, 1, MMU_VADDR_DATA, true},
    {"esp32c2", 0x3C400000, 1, MMU_VADDR_DATA, false},
    {"esp32p4", 0x43FFFFFF, 1, MMU_VADDR_DATA, true},
    {"esp32p4", 0x44000000, 1, MMU_VADDR_DATA, false},
    {"esp32p4", 0x4BFFFFFF, 1, MMU_VADDR_INSTRUCTION, true},
    {"esp32p4", 0x4C000000, 1, MMU_VADDR_DATA, false},
};

START_TEST(ext_vaddr_region_edges)
{
    const vrange_case_t *c = &vrange_cases[_i];
    open_chip(c->chip, NULL);
    ck_assert_msg(mmu_hal_check_valid_ext_vaddr_region(0, c->vaddr, c->len, c->type) == c->valid,
                  "%s [0x%08x, +0x%x) type %u", c->chip, c->vaddr, c->len, c->type);
    ck_assert_uint_eq(hazards(), 0);
}
END_TEST

START_TEST(paddr_region_edges)
{
    open_chip("esp32s3", NULL);
    ck_assert(mmu_hal_check_valid_paddr_region(0, 0x3FFFFFFF, 1));
    ck_assert(!mmu_hal_check_valid_paddr_region(0, 0x40000000, 1));
    ck_assert(!mmu_hal_check_valid_paddr_region(0, 0, 0x40000000));
    ck_assert(!mmu_hal_check_valid_paddr_region(0, 0x3FFFFFFF, 2));
    ck_assert(!mmu_hal_check_valid_paddr_region(0, 0, 0)); /* end wraps below the start */
    open_chip("esp32", NULL);
    ck_assert(mmu_hal_check_valid_paddr_region(1, 0xFFFFFF, 1));
    ck_assert(!mmu_hal_check_valid_paddr_region(1, 0x1000000, 1));
    open_chip("esp32p4", NULL);
    ck_assert(mmu_hal_check_valid_paddr_region(0, 0x7FFFFFFF, 1));
    ck_assert(!mmu_hal_check_valid_paddr_region(1, 0x40000000, 1));
    ck_assert(mmu_hal_check_valid_paddr_region(1, 0x3FFFFFFF, 1));
    ck_assert_uint_eq(hazards(), 0);
    ck_assert(!mmu_hal_check_valid_paddr_region(2, 0, 1));
    ck_assert_uint_eq(hazards_of(MMSIM_HAZARD_HAL_ASSERT), 1);
}
END_TEST

START_TEST(page_conversions_follow_the_page_size)
{
    static const struct {
        const char *set;
        uint32_t page, shift;
    } sizes[] = {{"flash_size=1M", 0x4000, 14}, {"flash_size=2M", 0x8000, 15}, {"flash_size=4M", 0x10000, 16}};
    for (int i = 0; i < 3; i++) {
        open_chip("esp32c6", sizes[i].set);
        ck_assert_uint_eq(mmu_ll_get_page_size(0), sizes[i].page);
        ck_assert_uint_eq(SOC_MMU_PAGE_SIZE, sizes[i].page);
        ck_assert(SOC_MMU_PAGE_SIZE_CONFIGURABLE);
        ck_assert_uint_eq(mmu_hal_pages_to_bytes(0, 3), 3u << sizes[i].shift);
        ck_assert_uint_eq(mmu_hal_bytes_to_pages(0, 0x10000), 0x10000u >> sizes[i].shift);
        ck_assert_uint_eq(mmu_ll_get_entry_id(0, 0x42000000 + sizes[i].page * 5), 5);
        ck_assert_uint_eq(mmu_ll_format_paddr(0, sizes[i].page * 9, MMU_TARGET_FLASH0), 9);
        ck_assert_uint_eq(SOC_MMU_LINEAR_ADDR_MASK, 128u * sizes[i].page - 1);
        /* The window (and msync's table) is 256 pages of whatever size. */
        uint32_t end = 0x42000000 + 256u * sizes[i].page, level = 0, id = 0;
        ck_assert(mmu_hal_check_valid_ext_vaddr_region(0, end - 1, 1, MMU_VADDR_DATA));
        ck_assert(!mmu_hal_check_valid_ext_vaddr_region(0, end, 1, MMU_VADDR_DATA));
        ck_assert(cache_hal_vaddr_to_cache_level_id(end - 32, 32, &level, &id));
        ck_assert(!cache_hal_vaddr_to_cache_level_id(end - 32, 33, &level, &id));
        uint32_t out = 0;
        mmu_hal_map_region(0, MMU_TARGET_FLASH0, 0x42000000 + sizes[i].page, 0, 1, &out);
        ck_assert_uint_eq(out, sizes[i].page);
        ck_assert_uint_eq(raw(0, 0, 1), 0x200);
        ck_assert_uint_eq(hazards(), 0);
    }
    open_chip("esp32", NULL);
    ck_assert(!SOC_MMU_PAGE_SIZE_CONFIGURABLE);
    ck_assert_uint_eq(mmu_hal_pages_to_bytes(1, 2), 0x20000);
    /* The configured page size is the only one the HAL may set. */
    mmu_ll_set_page_size(0, 0x10000);
    ck_assert_uint_eq(hazards(), 0);
    mmu_ll_set_page_size(0, 0x8000);
    ck_assert_uint_eq(hazards_of(MMSIM_HAZARD_HAL_ASSERT), 1);
}
END_TEST

START_TEST(hal_check_records_one_hazard_and_changes_nothing)
{
    open_chip("esp32s3", NULL);
    m->hazards.cause = "outer";
    uint32_t out = 0xA5A5;
    uint64_t writes = m->mmu.entry_writes;
    mmu_hal_map_region(0, MMU_TARGET_FLASH0, 0x3C000100, 0, 0x10000, &out);
    ck_assert_uint_eq(hazards(), 1);
    ck_assert_uint_eq(hazards_of(MMSIM_HAZARD_HAL_ASSERT), 1);
    const mmsim_hazard_t *h = last_hazard();
    ck_assert_str_eq(h->detail, "mmu_hal_map_region: HAL_ASSERT(vaddr % page_size == 0) failed");
    ck_assert_str_eq(h->cause, "mmu_hal_map_region");
    ck_assert_str_eq(m->hazards.cause, "outer"); /* the caller's cause is back */
    ck_assert_uint_eq(out, 0xA5A5);
    ck_assert_uint_eq(m->mmu.entry_writes, writes);
    for (uint32_t e = 0; e < m->chip.mmus[0].entries; e++)
        ck_assert_uint_eq(raw(0, 0, e), 0x4000);

    /* Other broken contracts of the map path, each recorded once. */
    mmu_hal_map_region(0, MMU_TARGET_FLASH0, 0x3C000000, 0x100, 0x10000, &out);
    ck_assert_str_eq(last_hazard()->detail, "mmu_hal_map_region: HAL_ASSERT(paddr % page_size == 0) failed");
    mmu_hal_map_region(0, MMU_TARGET_FLASH0, 0x3DFF0000, 0, 0x20000, &out);
    ck_assert_ptr_nonnull(strstr(last_hazard()->detail, "mmu_hal_check_valid_ext_vaddr_region"));
    mmu_hal_map_region(1, MMU_TARGET_FLASH0, 0x3C000000, 0, 0x10000, &out);
    ck_assert_str_eq(last_hazard()->detail, "mmu_hal_map_region: HAL_ASSERT(mmu_id < mmu_ids) failed");
    ck_assert_uint_eq(hazards(), 4);
    ck_assert_uint_eq(m->mmu.entry_writes, writes);

    /* A nested call's failure names the inner function; the outer cause returns after. */
    mmu_hal_config_t cfg = {.core_nums = 2, .mmu_page_size = 0x4000};
    mmu_hal_init(&cfg);
    ck_assert_str_eq(last_hazard()->cause, "mmu_ll_set_page_size");
    ck_assert_str_eq(last_hazard()->detail, "mmu_ll_set_page_size: HAL_ASSERT(size == SOC_MMU_PAGE_SIZE) failed");
    ck_assert_str_eq(m->hazards.cause, "outer");

    /* C3's flash-only MMU refuses a PSRAM mapping (upstream asserts on C2/C3). */
    open_chip("esp32c3", NULL);
    mmu_hal_map_region(0, MMU_TARGET_PSRAM0, 0x3C000000, 0, 0x10000, &out);
    ck_assert_str_eq(last_hazard()->detail, "mmu_hal_map_region: HAL_ASSERT(mem_type == MMU_TARGET_FLASH0) failed");
    ck_assert_uint_eq(raw(0, 0, 0), 0x100);
}
END_TEST

START_TEST(esp32_psram_entry_quirks)
{
    open_chip("esp32", NULL);
    ck_assert_uint_eq(SOC_MMU_ENTRY_NUM, 384);
    ck_assert_uint_eq(mmu_ll_get_entry_id(0, 0x3F800000), 1152);
    ck_assert_uint_eq(mmu_ll_get_entry_id(0, 0x3F808000), 1153);
    ck_assert_uint_eq(mmu_ll_get_entry_id(0, 0x3FA00000), 1152); /* upper 2 MB alias the lower */
    ck_assert_uint_eq(mmu_ll_format_paddr(0, 0x18000, MMU_TARGET_PSRAM0), 3);
    ck_assert_uint_eq(mmu_ll_format_paddr(0, 0x30000, MMU_TARGET_FLASH0), 3);
    ck_assert_uint_eq(hazards(), 0);

    /* Converting a PSRAM vaddr hits the LL's entry < 384 assert. */
    uint32_t paddr = 0;
    mmu_target_t t = 0;
    ck_assert(!mmu_hal_vaddr_to_paddr(0, 0x3F800000, &paddr, &t));
    ck_assert_uint_eq(hazards_of(MMSIM_HAZARD_HAL_ASSERT), 1);
    ck_assert_str_eq(last_hazard()->detail, "mmu_ll_check_entry_valid: HAL_ASSERT(entry_id < SOC_MMU_ENTRY_NUM) failed");

    /* paddr -> vaddr in the PSRAM window: physical page 3 at window page 0 (the in-page
     * offset is taken modulo the 32 KB page, not the HAL's 64 KB). */
    ck_assert_uint_eq(cache_sram_mmu_set(0, 0, 0x3F800000, 0x18000, 32, 1), 0);
    uint32_t vaddr = 0;
    ck_assert(mmu_hal_paddr_to_vaddr(0, 0x18010, MMU_TARGET_PSRAM0, MMU_VADDR_DATA, &vaddr));
    ck_assert_uint_eq(vaddr, 0x3F800010);
    ck_assert(!mmu_hal_paddr_to_vaddr(0, 0x18010, MMU_TARGET_PSRAM0, MMU_VADDR_INSTRUCTION, &vaddr));
    ck_assert_uint_eq(mmu_ll_get_entry_target(0, 1152), MMU_TARGET_FLASH0); /* >= 384: asserts */
    ck_assert_uint_eq(hazards_of(MMSIM_HAZARD_HAL_ASSERT), 2);

    /* Unmapping PSRAM pages through the HAL hits the invalidate helper's assert. */
    mmu_hal_unmap_region(0, 0x3F800000, 0x10000);
    ck_assert_str_eq(last_hazard()->detail, "mmu_ll_set_entry_invalid: HAL_ASSERT(entry_id < SOC_MMU_ENTRY_NUM) failed");
    ck_assert_uint_eq(raw(0, 0, 1152), 3);
}
END_TEST

START_TEST(no_machine_is_harmless)
{
    teardown();
    ck_assert_ptr_null(hal_machine());
    ck_assert_ptr_nonnull(hal_chip());
    ck_assert_uint_eq(SOC_MMU_LINEAR_ADDR_MASK, 0);
    ck_assert_uint_eq(SOC_CPU_CORES_NUM, 0);
    ck_assert_uint_eq(SOC_MMU_PERIPH_NUM, 0);
    ck_assert_uint_eq(SOC_MMU_ENTRY_NUM, 0);
    ck_assert(!SOC_CACHE_WRITEBACK_SUPPORTED);
    ck_assert_uint_eq(SOC_EXTRAM_DATA_LOW, 0);
    ck_assert_uint_eq(CACHE_LL_LEVEL_EXT_MEM, 0);
    ck_assert_uint_eq(CACHE_LL_LEVEL_NUMS, 0);
    ck_assert_uint_eq(CACHE_LL_ID_ALL, 0);

    uint32_t out = 0xA5A5, vaddr = 0xA5A5, level = 9, id = 9;
    mmu_target_t t = (mmu_target_t)7;
    mmu_hal_config_t cfg = {2, 0x10000};
    mmu_hal_init(&cfg);
    mmu_hal_unmap_all();
    mmu_hal_map_region(0, MMU_TARGET_FLASH0, 0x3C000000, 0, 0x10000, &out);
    mmu_hal_unmap_region(0, 0x3C000000, 0x10000);
    ck_assert_uint_eq(out, 0xA5A5);
    ck_assert(!mmu_hal_vaddr_to_paddr(0, 0x3C000000, &out, &t));
    ck_assert(!mmu_hal_paddr_to_vaddr(0, 0, MMU_TARGET_FLASH0, MMU_VADDR_DATA, &vaddr));
    ck_assert_uint_eq(out, 0xA5A5);
    ck_assert_uint_eq(vaddr, 0xA5A5);
    ck_assert_uint_eq(t, 7);
    ck_assert_uint_eq(mmu_hal_pages_to_bytes(0, 1), 0);
    ck_assert(!mmu_hal_check_valid_ext_vaddr_region(0, 0x3C000000, 1, MMU_VADDR_DATA));
    ck_assert(!mmu_hal_check_valid_paddr_region(0, 0, 1));
    ck_assert_uint_eq(mmu_hal_get_id_from_target(MMU_TARGET_PSRAM0), 0);
    ck_assert_uint_eq(mmu_ll_laddr_to_vaddr(0, MMU_VADDR_DATA, MMU_TARGET_FLASH0), 0);
    ck_assert_uint_eq(mmu_ll_read_entry(0, 0), 0);
    ck_assert_int_eq(mmu_ll_find_entry_id_based_on_map_value(0, 0, MMU_TARGET_FLASH0), -1);
    mmu_ll_write_entry(0, 0, 0, MMU_TARGET_FLASH0);

    ck_assert(!cache_hal_vaddr_to_cache_level_id(0x3C000000, 4, &level, &id));
    ck_assert(!cache_hal_invalidate_addr(0x3C000000, 32));
    ck_assert(!cache_hal_writeback_addr(0x3C000000, 32));
    ck_assert_uint_eq(cache_hal_get_cache_line_size(1, CACHE_TYPE_DATA), 0);
    ck_assert(!cache_hal_is_cache_enabled(1, CACHE_TYPE_ALL));
    cache_hal_disable(1, CACHE_TYPE_ALL);
    cache_hal_enable(1, CACHE_TYPE_ALL);
    cache_hal_suspend(1, CACHE_TYPE_ALL);
    cache_hal_resume(1, CACHE_TYPE_ALL);
    cache_hal_freeze(1, CACHE_TYPE_ALL);
    cache_hal_unfreeze(1, CACHE_TYPE_ALL);
    ck_assert_uint_eq(cache_ll_l1_get_bus(0, 0x3C000000, 4), 0);
    cache_ll_l1_enable_bus(0, CACHE_BUS_DBUS0);
    cache_ll_l1_disable_bus(0, CACHE_BUS_DBUS0);
    cache_ll_invalidate_all(1, CACHE_TYPE_ALL, 0);

    Cache_Flush(0);
    Cache_Read_Disable(0);
    Cache_Read_Enable(0);
    ck_assert_uint_eq(cache_sram_mmu_set(0, 0, 0x3F800000, 0, 32, 1), 0);
    esp_psram_extram_writeback_cache();
    ck_assert_uint_eq(level, 9);
    ck_assert_uint_eq(id, 9);
}
END_TEST

/* ---- SOC and CACHE_LL values --------------------------------------------------------- */

typedef struct {
    const char *chip;
    uint32_t cores, periph, regions;
    bool per_target, di_shared, writeback, freeze, spiram;
    uint32_t extram_low, extram_high;
    uint32_t level_int, level_ext, level_nums, id_all;
    uint32_t ibus, dbus;
} soc_case_t;

static const soc_case_t soc_cases[] = {
    {"esp32", 2, 2, 3, false, false, false, false, true, 0x3F800000, 0x3FC00000, 0, 1, 1, 2, 0x01, 0x08},
    {"esp32s2", 1, 1, 5, false, false, true, false, true, 0x3F500000, 0x3FF80000, 0, 1, 1, 1, 0x01, 0x04},
    {"esp32s3", 2, 1, 1, false, false, true, true, true, 0x3C000000, 0x3E000000, 0, 1, 1, 2, 0x01, 0x08},
    {"esp32c2", 1, 1, 1, false, false, false, true, false, 0, 0, 0, 1, 1, 1, 0x01, 0x08},
    {"esp32c3", 1, 1, 1, false, false, false, true, false, 0, 0, 0, 1, 1, 1, 0x01, 0x08},
    {"esp32c6", 1, 1, 1, false, true, false, true, false, 0, 0, 0, 1, 1, 1, 0x01, 0x08},
    {"esp32h2", 1, 1, 1, false, true, false, true, false, 0, 0, 0, 1, 1, 1, 0x01, 0x08},
    /* soc.h SOC_EXTRAM_DATA_LOW/HIGH 0x42000000/0x44000000; cache_ll.h CACHE_LL_ID_ALL 1 / 2. */
    {"esp32c5", 1, 1, 1, false, true, true, true, true, 0x42000000, 0x44000000, 0, 1, 1, 1, 0x01, 0x08},
    {"esp32c61", 1, 1, 1, false, true, true, true, true, 0x42000000, 0x44000000, 0, 1, 1, 1, 0x01, 0x08},
    {"esp32h21", 1, 1, 1, false, true, false, true, false, 0, 0, 0, 1, 1, 1, 0x01, 0x08},
    {"esp32h4", 2, 1, 1, false, true, true, true, true, 0x42000000, 0x44000000, 0, 1, 1, 2, 0x01, 0x08},
    {"esp32p4", 2, 2, 2, true, true, true, true, true, 0x48000000, 0x4C000000, 1, 2, 2, 3, 0x07, 0x38},
    /* soc.h SOC_EXTRAM_LOW/HIGH 0x50000000/0x54000000; cache_ll.h CACHE_LL_ID_ALL 2,
     * CACHE_LL_DEFAULT_IBUS_MASK IBUS0 | IBUS1, CACHE_LL_DEFAULT_DBUS_MASK DBUS0. */
    {"esp32s31", 2, 2, 2, true, true, true, true, true, 0x50000000, 0x54000000, 0, 1, 1, 2, 0x03, 0x08},
};

START_TEST(soc_values_match_the_reference)
{
    const soc_case_t *c = &soc_cases[_i];
    open_chip(c->chip, NULL);
    ck_assert_uint_eq(SOC_CPU_CORES_NUM, c->cores);
    ck_assert_uint_eq(SOC_MMU_PERIPH_NUM, c->periph);
    ck_assert_uint_eq(SOC_MMU_LINEAR_ADDRESS_REGION_NUM, c->regions);
    ck_assert_uint_le(SOC_MMU_LINEAR_ADDRESS_REGION_NUM, SOC_MMU_LINEAR_ADDRESS_REGION_NUM_MAX);
    ck_assert_int_eq(SOC_MMU_PER_EXT_MEM_TARGET, c->per_target);
    ck_assert_int_eq(SOC_MMU_DI_VADDR_SHARED, c->di_shared);
    ck_assert_int_eq(SOC_CACHE_WRITEBACK_SUPPORTED, c->writeback);
    ck_assert_int_eq(SOC_CACHE_FREEZE_SUPPORTED, c->freeze);
    ck_assert_int_eq(SOC_SPIRAM_SUPPORTED, c->spiram);
    ck_assert_uint_eq(SOC_EXTRAM_DATA_LOW, c->extram_low);
    ck_assert_uint_eq(SOC_EXTRAM_DATA_HIGH, c->extram_high);
    ck_assert_uint_eq(CACHE_LL_LEVEL_INT_MEM, c->level_int);
    ck_assert_uint_eq(CACHE_LL_LEVEL_EXT_MEM, c->level_ext);
    ck_assert_uint_eq(CACHE_LL_LEVEL_NUMS, c->level_nums);
    ck_assert_uint_eq(CACHE_LL_LEVEL_ALL, c->level_nums + 1);
    ck_assert_uint_eq(CACHE_LL_ID_ALL, c->id_all);
    ck_assert_int_eq(CACHE_LL_EXT_MEM_VIA_L2CACHE, c->level_ext == 2);
    ck_assert_int_eq(SOC_CACHE_INTERNAL_MEM_VIA_L1CACHE, c->level_int != 0);
    ck_assert_uint_eq(CACHE_LL_DEFAULT_IBUS_MASK, c->ibus);
    ck_assert_uint_eq(CACHE_LL_DEFAULT_DBUS_MASK, c->dbus);
}
END_TEST

/* ---- cache HAL ----------------------------------------------------------------------- */

typedef struct {
    const char *chip;
    uint32_t vaddr, len;
    bool valid;
    uint32_t level;
} level_case_t;

/* esp-idf-behaviour.md §2.4: first and last byte of each window, and straddles. */
static const level_case_t level_cases[] = {
    {"esp32", 0x3F400000, 0x400000, true, 1},
    {"esp32", 0x3F800000, 0x400000, true, 1},
    {"esp32", 0x3F7FFFFF, 2, false, 0},
    {"esp32", 0x400D0000, 0x330000, true, 1},
    {"esp32", 0x400CFFFF, 1, false, 0},
    {"esp32", 0x40400000, 4, false, 0},
    {"esp32s2", 0x3F000000, 0x400000, true, 1},
    {"esp32s2", 0x3F500000, 0xA80000, true, 1},
    {"esp32s2", 0x3F3FFFFF, 2, false, 0},
    {"esp32s2", 0x40080000, 0x780000, true, 1},
    {"esp32s2", 0x407FFFFF, 2, false, 0},
    {"esp32s3", 0x42000000, 0x2000000, true, 1},
    {"esp32s3", 0x3C000000, 0x2000000, true, 1},
    {"esp32s3", 0x43FFFFFF, 2, false, 0},
    {"esp32s3", 0x3BFFFFFF, 2, false, 0},
    {"esp32c2", 0x3C000000, 64, true, 1},
    {"esp32c3", 0x427FFFE0, 32, true, 1},
    {"esp32c3", 0x427FFFE0, 33, false, 0},
    {"esp32c6", 0x42FFFFFF, 1, true, 1},
    {"esp32c6", 0x42FFFFFF, 2, false, 0},
    {"esp32h2", 0x42000000, 0x1000000, true, 1},
    {"esp32c5", 0x42000000, 0x2000000, true, 1},
    {"esp32c5", 0x43FFFFFF, 2, false, 0},
    {"esp32c61", 0x43FFFFE0, 32, true, 1},
    {"esp32h21", 0x42FFFFFF, 1, true, 1},
    {"esp32h21", 0x42FFFFFF, 2, false, 0},
    {"esp32h4", 0x42000000, 0x2000000, true, 1},
    {"esp32s31", 0x40000000, 0x4000000, true, 1},
    {"esp32s31", 0x43FFFFFF, 2, false, 0},
    {"esp32s31", 0x53FFFFC0, 64, true, 1},
    {"esp32s31", 0x2F000000, 4, false, 0},
    {"esp32p4", 0x4FF00000, 0xC0000, true, 1},
    {"esp32p4", 0x4FFBFFFF, 2, false, 0},
    {"esp32p4", 0x40000000, 64, true, 2},
    {"esp32p4", 0x43FF0000, 0x100000, true, 2}, /* flash and PSRAM windows are one range */
    {"esp32p4", 0x4BFFFFFF, 2, false, 0},
};

START_TEST(cache_level_windows_follow_the_table)
{
    const level_case_t *c = &level_cases[_i];
    open_chip(c->chip, NULL);
    uint32_t level = 77, id = 77;
    bool ok = cache_hal_vaddr_to_cache_level_id(c->vaddr, c->len, &level, &id);
    ck_assert_msg(ok == c->valid, "%s [0x%08x, +0x%x)", c->chip, c->vaddr, c->len);
    if (ok) {
        ck_assert_uint_eq(level, c->level);
        ck_assert_uint_eq(id, c->level == 2 || !strcmp(c->chip, "esp32p4") ? CACHE_LL_ID_ALL : 0);
    } else {
        ck_assert_uint_eq(level, 77);
    }
    ck_assert(!cache_hal_vaddr_to_cache_level_id(c->vaddr, c->len, NULL, &id));
    ck_assert(!cache_hal_vaddr_to_cache_level_id(c->vaddr, c->len, &level, NULL));
    ck_assert_uint_eq(hazards(), 0);
}
END_TEST

START_TEST(cache_line_sizes_per_chip)
{
    open_chip("esp32", NULL);
    ck_assert_uint_eq(cache_hal_get_cache_line_size(1, CACHE_TYPE_DATA), 4);
    ck_assert_uint_eq(cache_hal_get_cache_line_size(1, CACHE_TYPE_INSTRUCTION), 4);
    ck_assert_uint_eq(cache_hal_get_cache_line_size(0, CACHE_TYPE_DATA), 0);
    open_chip("esp32s3", NULL);
    ck_assert_uint_eq(cache_hal_get_cache_line_size(CACHE_LL_LEVEL_EXT_MEM, CACHE_TYPE_DATA), 32);
    ck_assert_uint_eq(cache_hal_get_cache_line_size(CACHE_LL_LEVEL_EXT_MEM, CACHE_TYPE_INSTRUCTION), 32);
    ck_assert_uint_eq(cache_hal_get_cache_line_size(CACHE_LL_LEVEL_INT_MEM, CACHE_TYPE_DATA), 0);
    ck_assert_uint_eq(hazards(), 0);
    ck_assert_uint_eq(cache_hal_get_cache_line_size(1, CACHE_TYPE_ALL), 0); /* split I/D: asserts */
    ck_assert_uint_eq(hazards_of(MMSIM_HAZARD_HAL_ASSERT), 1);
    ck_assert_uint_eq(cache_hal_get_cache_line_size(2, CACHE_TYPE_DATA), 0);
    ck_assert_uint_eq(hazards_of(MMSIM_HAZARD_HAL_ASSERT), 2);
    open_chip("esp32c3", NULL);
    ck_assert_uint_eq(cache_hal_get_cache_line_size(1, CACHE_TYPE_DATA), 32);
    ck_assert_uint_eq(cache_hal_get_cache_line_size(1, CACHE_TYPE_INSTRUCTION), 32);
    open_chip("esp32c6", NULL);
    ck_assert_uint_eq(cache_hal_get_cache_line_size(1, CACHE_TYPE_DATA), 32);
    open_chip("esp32p4", NULL);
    ck_assert_uint_eq(cache_hal_get_cache_line_size(2, CACHE_TYPE_DATA), 64);
    ck_assert_uint_eq(cache_hal_get_cache_line_size(2, CACHE_TYPE_INSTRUCTION), 64);
    ck_assert_uint_eq(cache_hal_get_cache_line_size(1, CACHE_TYPE_DATA), 64);
    ck_assert_uint_eq(cache_hal_get_cache_line_size(1, CACHE_TYPE_INSTRUCTION), 64);
    ck_assert_uint_eq(cache_hal_get_cache_line_size(1, CACHE_TYPE_ALL), 0);
    ck_assert_uint_eq(hazards(), 0);
    ck_assert_uint_eq(cache_hal_get_cache_line_size(3, CACHE_TYPE_DATA), 0);
    ck_assert_uint_eq(hazards_of(MMSIM_HAZARD_HAL_ASSERT), 1);
}
END_TEST

START_TEST(l1_bus_masks_from_the_windows)
{
    open_chip("esp32", NULL);
    ck_assert_uint_eq(cache_ll_l1_get_bus(0, 0x3F400000, 0x10000), CACHE_BUS_DBUS0);
    ck_assert_uint_eq(cache_ll_l1_get_bus(0, 0x3F800000, 0x8000), CACHE_BUS_DBUS1);
    ck_assert_uint_eq(cache_ll_l1_get_bus(0, 0x400D0000, 0x10000), CACHE_BUS_IBUS0);
    ck_assert_uint_eq(cache_ll_l1_get_bus(0, 0x403F0000, 0x20000), CACHE_BUS_IBUS0 | CACHE_BUS_IBUS1);
    ck_assert_uint_eq(cache_ll_l1_get_bus(1, 0x40800000, 4), CACHE_BUS_IBUS2);
    open_chip("esp32s2", NULL);
    ck_assert_uint_eq(cache_ll_l1_get_bus(0, 0x3F000000, 0x10000), CACHE_BUS_IBUS2);
    ck_assert_uint_eq(cache_ll_l1_get_bus(0, 0x3F500000, 0x10000), CACHE_BUS_DBUS2);
    ck_assert_uint_eq(cache_ll_l1_get_bus(0, 0x3FBF0000, 0x20000), CACHE_BUS_DBUS1 | CACHE_BUS_DBUS0);
    open_chip("esp32s3", NULL);
    ck_assert_uint_eq(cache_ll_l1_get_bus(0, 0x3C000000, 0x10000), CACHE_BUS_DBUS0);
    ck_assert_uint_eq(cache_ll_l1_get_bus(0, 0x42000000, 0x10000), CACHE_BUS_IBUS0);
    open_chip("esp32c6", NULL);
    ck_assert_uint_eq(cache_ll_l1_get_bus(0, 0x42000000, 0x10000), CACHE_BUS_IBUS0 | CACHE_BUS_DBUS0);
    open_chip("esp32c3", NULL);
    ck_assert_uint_eq(cache_ll_l1_get_bus(0, 0x3C000000, 0x10000), CACHE_BUS_DBUS0);
    ck_assert_uint_eq(hazards(), 0);
    ck_assert_uint_eq(cache_ll_l1_get_bus(0, 0x10000000, 4), 0); /* no window: asserts */
    ck_assert_uint_eq(hazards_of(MMSIM_HAZARD_HAL_ASSERT), 1);
    open_chip("esp32p4", NULL);
    ck_assert_uint_eq(cache_ll_l1_get_bus(0, 0x48000000, 0x10000), 0x3F);
    ck_assert_uint_eq(cache_ll_l2_get_bus(0, 0x40000000, 0x10000), CACHE_BUS_IBUS0 | CACHE_BUS_DBUS0);
    ck_assert_uint_eq(cache_ll_l2_get_bus(0, 0x48000000, 0x10000), CACHE_BUS_IBUS1 | CACHE_BUS_DBUS1);
    ck_assert_uint_eq(hazards(), 0);
    ck_assert_uint_eq(cache_ll_l2_get_bus(0, 0x43FF0000, 0x20000), 0);
    ck_assert_uint_eq(hazards_of(MMSIM_HAZARD_HAL_ASSERT), 1);
}
END_TEST

START_TEST(bus_enable_and_disable)
{
    open_chip("esp32s3", NULL);
    cache_ll_l1_disable_bus(0, CACHE_BUS_DBUS0);
    ck_assert_uint_eq(cache_ll_l1_get_enabled_bus(0), CACHE_BUS_IBUS0);
    ck_assert_uint_eq(cache_ll_l1_get_enabled_bus(1), CACHE_BUS_IBUS0 | CACHE_BUS_DBUS0);
    cache_ll_l1_enable_bus(0, cache_ll_l1_get_bus(0, 0x3C000000, 0x10000));
    ck_assert_uint_eq(cache_ll_l1_get_enabled_bus(0), CACHE_BUS_IBUS0 | CACHE_BUS_DBUS0);
    cache_ll_l1_disable_bus(7, CACHE_BUS_IBUS0); /* ids past the last core: the last core */
    ck_assert_uint_eq(m->bus_enabled[1] & CHIPDEF_BUS_IBUS0, 0);
    ck_assert_uint_eq(hazards(), 0);
    cache_ll_l1_enable_bus(0, CACHE_BUS_IBUS1); /* S3 has no IBUS1 */
    ck_assert_uint_eq(hazards_of(MMSIM_HAZARD_HAL_ASSERT), 1);

    /* cache_hal_init turns the default buses back on. */
    cache_hal_config_t cfg = {.core_nums = 2};
    cache_hal_init(&cfg);
    ck_assert_uint_eq(cache_ll_l1_get_enabled_bus(1), CACHE_BUS_IBUS0 | CACHE_BUS_DBUS0);

    open_chip("esp32p4", NULL); /* L1 bus switches are not used on P4 */
    cache_ll_l1_disable_bus(0, (cache_bus_mask_t)0x3F);
    ck_assert_uint_eq(m->bus_enabled[0], ~0u);
}
END_TEST

START_TEST(cache_enable_disable_suspend_freeze)
{
    open_chip("esp32s3", NULL);
    int ic = cache_index(m, "icache"), dc = cache_index(m, "dcache");
    ck_assert(cache_hal_is_cache_enabled(1, CACHE_TYPE_ALL));
    cache_hal_disable(1, CACHE_TYPE_DATA);
    ck_assert(m->cache_off[dc][0] && m->cache_off[dc][1]);
    ck_assert(!m->cache_off[ic][0]);
    ck_assert(!cache_hal_is_cache_enabled(1, CACHE_TYPE_DATA));
    ck_assert(cache_hal_is_cache_enabled(1, CACHE_TYPE_INSTRUCTION));
    cache_hal_enable(1, CACHE_TYPE_DATA);
    ck_assert(cache_hal_is_cache_enabled(1, CACHE_TYPE_ALL));
    cache_hal_suspend(1, CACHE_TYPE_ALL);
    ck_assert(m->cache_off[ic][1] && m->cache_off[dc][1]);
    cache_hal_resume(1, CACHE_TYPE_ALL);
    ck_assert(cache_hal_is_cache_enabled(1, CACHE_TYPE_ALL));

    cache_hal_freeze(1, CACHE_TYPE_ALL);
    cache_hal_freeze(1, CACHE_TYPE_ALL);
    ck_assert_uint_eq(m->freeze_depth, 2);
    cache_hal_unfreeze(1, CACHE_TYPE_ALL);
    cache_hal_unfreeze(1, CACHE_TYPE_ALL);
    ck_assert_uint_eq(m->freeze_depth, 0);
    ck_assert_uint_eq(hazards(), 0);
    cache_hal_unfreeze(1, CACHE_TYPE_ALL);
    ck_assert_str_eq(last_hazard()->detail, "cache_hal_unfreeze: HAL_ASSERT(m->freeze_depth > 0) failed");
    ck_assert_uint_eq(m->freeze_depth, 0);
    cache_hal_disable(0, CACHE_TYPE_ALL);
    ck_assert_uint_eq(hazards_of(MMSIM_HAZARD_HAL_ASSERT), 2);

    open_chip("esp32s2", NULL); /* no SOC_CACHE_FREEZE_SUPPORTED */
    cache_hal_freeze(1, CACHE_TYPE_ALL);
    ck_assert_str_eq(last_hazard()->detail, "cache_hal_freeze: HAL_ASSERT(SOC_CACHE_FREEZE_SUPPORTED) failed");
    ck_assert_uint_eq(m->freeze_depth, 0);

    /* ESP32: suspend stops both CPUs' caches and keeps their buses for resume. */
    open_chip("esp32", NULL);
    cache_hal_suspend(1, CACHE_TYPE_ALL);
    ck_assert(m->cache_off[0][0] && m->cache_off[0][1]);
    ck_assert(!cache_hal_is_cache_enabled(1, CACHE_TYPE_ALL));
    m->bus_enabled[1] = 0;
    cache_hal_resume(1, CACHE_TYPE_ALL);
    ck_assert(cache_hal_is_cache_enabled(1, CACHE_TYPE_ALL));
    ck_assert_uint_eq(m->bus_enabled[1], ~0u);

    /* P4: levels 1 and 2 are separate. */
    open_chip("esp32p4", NULL);
    cache_hal_disable(2, CACHE_TYPE_ALL);
    ck_assert(m->cache_off[cache_index(m, "l2")][0]);
    ck_assert(!m->cache_off[cache_index(m, "l1d")][0]);
    ck_assert(cache_hal_is_cache_enabled(1, CACHE_TYPE_ALL));
    ck_assert(!cache_hal_is_cache_enabled(2, CACHE_TYPE_ALL));
}
END_TEST

/* ---- cache maintenance through the bus ------------------------------------------------- */

START_TEST(writeback_and_invalidate_by_address)
{
    open_chip("esp32s3", NULL);
    map_page_hal(0, MMU_TARGET_PSRAM0, 0x3C000000, 0x10000);
    uint8_t data[4] = {1, 2, 3, 4}, back[4] = {0};
    bus_cpu_access(m, 0, BUS_WRITE, 0x3C000040, data, 4);
    cache_t *dcache = m->caches[cache_index(m, "dcache")][0];
    cache_line_t *l = cache_lookup(dcache, 0x3C000040, false);
    ck_assert(l && l->dirty);

    ck_assert(cache_hal_writeback_addr(0x3C000040, 32));
    ck_assert_int_eq(bus_dma_read(m, CHIPDEF_TARGET_PSRAM, 0x10040, back, 4), 0);
    ck_assert_mem_eq(back, data, 4);
    ck_assert(!cache_lookup(dcache, 0x3C000040, false)->dirty);
    ck_assert(cache_hal_invalidate_addr(0x3C000040, 32));
    ck_assert_ptr_null(cache_lookup(dcache, 0x3C000040, false));
    ck_assert_uint_eq(hazards(), 0);

    /* Invalidating a dirty line loses its write; the hazard names the HAL call. */
    bus_cpu_access(m, 0, BUS_WRITE, 0x3C000080, data, 4);
    ck_assert(cache_hal_invalidate_addr(0x3C000080, 32));
    ck_assert_uint_eq(hazards_of(MMSIM_HAZARD_LOST_WRITE), 1);
    ck_assert_str_eq(last_hazard()->cause, "cache_hal_invalidate_addr");

    /* Outside every cacheable window: nothing done, false. */
    ck_assert(!cache_hal_invalidate_addr(0x10000000, 32));
    ck_assert(!cache_hal_writeback_addr(0x10000000, 32));
    ck_assert_uint_eq(hazards(), 1);

    /* No write-back on C3; ESP32 aborts on a per-address invalidate. */
    open_chip("esp32c3", NULL);
    ck_assert(!cache_hal_writeback_addr(0x3C000000, 32));
    ck_assert_str_eq(last_hazard()->detail, "cache_hal_writeback_addr: HAL_ASSERT(SOC_CACHE_WRITEBACK_SUPPORTED) failed");
    ck_assert(cache_hal_invalidate_addr(0x3C000000, 32));
    open_chip("esp32", NULL);
    ck_assert(!cache_hal_invalidate_addr(0x3F400000, 32));
    ck_assert_uint_eq(hazards_of(MMSIM_HAZARD_ABORT), 1);
    ck_assert_str_eq(last_hazard()->detail, "cache_hal_invalidate_addr: abort() (ESP32 has no per-address cache operations)");
}
END_TEST

START_TEST(cache_flush_drops_dirty_lines_of_one_cpu)
{
    open_chip("esp32", "psram_mode=normal"); /* each CPU's cache covers the whole window */
    for (int cpu = 0; cpu < 2; cpu++)
        ck_assert_uint_eq(cache_sram_mmu_set(cpu, 0, 0x3F800000, 0, 32, 4), 0);
    uint8_t data[4] = {9, 8, 7, 6};
    bus_cpu_access(m, 0, BUS_WRITE, 0x3F800100, data, 4);
    bus_cpu_access(m, 1, BUS_WRITE, 0x3F800200, data, 4);
    Cache_Flush(0);
    ck_assert_uint_eq(hazards_of(MMSIM_HAZARD_LOST_WRITE), 1);
    ck_assert_ptr_null(cache_lookup(m->caches[0][0], 0x3F800100, false));
    ck_assert_ptr_nonnull(cache_lookup(m->caches[0][1], 0x3F800200, false));
    ck_assert_str_eq(last_hazard()->cause, "Cache_Flush");

    Cache_Read_Disable(1);
    ck_assert(m->cache_off[0][1] && !m->cache_off[0][0]);
    Cache_Read_Enable(1);
    ck_assert(!m->cache_off[0][1]);

    open_chip("esp32s3", NULL);
    Cache_Flush(0);
    ck_assert_str_eq(last_hazard()->detail, "Cache_Flush: HAL_ASSERT(target_is_esp32) failed");
}
END_TEST

START_TEST(sram_mmu_set_return_codes_and_entries)
{
    open_chip("esp32", NULL);
    ck_assert_uint_eq(cache_sram_mmu_set(0, 0, 0x3F800100, 0, 32, 1), 1);
    ck_assert_uint_eq(cache_sram_mmu_set(0, 0, 0x3F800000, 0x4000, 32, 1), 1);
    ck_assert_uint_eq(cache_sram_mmu_set(0, 0, 0x3F800001, 0, 7, 1), 1);   /* alignment first */
    ck_assert_uint_eq(cache_sram_mmu_set(0, 0, 0x3F804000, 0, 16, 1), 0);  /* finer mask below 32 */
    ck_assert_uint_eq(cache_sram_mmu_set(0, 0, 0x3F800000, 0, 64, 1), 3);
    ck_assert_uint_eq(cache_sram_mmu_set(0, 0, 0x3F800000, 0, 12, 1), 3);
    ck_assert_uint_eq(cache_sram_mmu_set(0, 0, 0x3F800000, 0, 0, 1), 3);
    ck_assert_uint_eq(cache_sram_mmu_set(0, 0, 0x3FC00000, 0, 32, 1), 5);
    ck_assert_uint_eq(cache_sram_mmu_set(0, 0, 0x3F7F8000, 0, 32, 1), 5);
    ck_assert_uint_eq(cache_sram_mmu_set(0, 0, 0x3FA00000, 0, 16, 1), 5);  /* 16 KB pages reach 2 MB */
    ck_assert_uint_eq(hazards(), 0);

    /* Write every entry back to invalid, then map two pages on the PRO table only. */
    mmu_hal_unmap_all();
    for (uint32_t e = 1152; e < 1280; e++) {
        mmu_write_entry(&m->mmu, 0, 0, e, 0x100);
        mmu_write_entry(&m->mmu, 0, 1, e, 0x100);
    }
    ck_assert_uint_eq(cache_sram_mmu_set(0, 0, 0x3F808000, 0x400000, 32, 2), 0);
    ck_assert_uint_eq(raw(0, 0, 1153), 128);
    ck_assert_uint_eq(raw(0, 0, 1154), 129);
    ck_assert_uint_eq(raw(0, 0, 1155), 0x100);
    ck_assert_uint_eq(raw(0, 1, 1153), 0x100);
    uint32_t paddr = 0, target = 0;
    ck_assert_int_eq(mmu_translate(&m->mmu, 0, 0x3F808010, &paddr, &target), MMU_XLATE_OK);
    ck_assert_uint_eq(paddr, 0x400010);
    ck_assert_uint_eq(target, CHIPDEF_TARGET_PSRAM);
    /* The ROM's formula covers the whole 4 MB (no 2 MB alias, unlike the LL's). */
    ck_assert_uint_eq(cache_sram_mmu_set(1, 1, 0x3FBF8000, 0x7F8000, 32, 1), 0);
    ck_assert_uint_eq(raw(0, 1, 1279), 0xFF);
    ck_assert_uint_eq(hazards(), 0);

    /* Entries past the modelled table (pid 2-7, or num running past 1279). */
    ck_assert_uint_eq(cache_sram_mmu_set(0, 2, 0x3F800000, 0, 32, 1), 4);
    ck_assert_uint_eq(cache_sram_mmu_set(0, 0, 0x3FBF8000, 0, 32, 2), 4);
    ck_assert_uint_eq(cache_sram_mmu_set(0, 0, 0x3F800000, 0, 32, -1), 4);
    ck_assert_uint_eq(hazards_of(MMSIM_HAZARD_HAL_ASSERT), 3);
    ck_assert_uint_eq(raw(0, 0, 1152), 0x100);
    ck_assert_uint_eq(raw(0, 0, 1279), 0x100);

    open_chip("esp32s3", NULL);
    ck_assert_uint_eq(cache_sram_mmu_set(0, 0, 0x3F800000, 0, 32, 1), 4);
    ck_assert_str_eq(last_hazard()->detail, "cache_sram_mmu_set: HAL_ASSERT(target_is_esp32) failed");
}
END_TEST

/* Dirty PSRAM data on both CPUs, one of them with its cache disabled. */
static void dirty_both_cpus(const uint8_t *bytes)
{
    uint8_t data[4];
    memcpy(data, bytes, sizeof data);
    for (int cpu = 0; cpu < 2; cpu++)
        ck_assert_uint_eq(cache_sram_mmu_set(cpu, 0, 0x3F800000, 0, 32, 128), 0);
    bus_cpu_access(m, 0, BUS_WRITE, 0x3F900000, data, 4);
    bus_cpu_access(m, 1, BUS_WRITE, 0x3FB00020, data, 4);
    Cache_Read_Disable(1);
}

static void expect_written_back_and_evicted(const uint8_t *data)
{
    uint8_t back[4];
    ck_assert_int_eq(bus_dma_read(m, CHIPDEF_TARGET_PSRAM, 0x100000, back, 4), 0);
    ck_assert_mem_eq(back, data, 4);
    ck_assert_int_eq(bus_dma_read(m, CHIPDEF_TARGET_PSRAM, 0x300020, back, 4), 0);
    ck_assert_mem_eq(back, data, 4);
    for (uint32_t k = 0; k < 2; k++) {
        cache_t *c = m->caches[0][k];
        for (uint32_t j = 0; j < cache_line_count(c); j++)
            ck_assert(!c->lines[j].valid || !c->lines[j].dirty);
        ck_assert_ptr_null(cache_lookup(c, 0x3F900000, false));
        ck_assert_ptr_null(cache_lookup(c, 0x3FB00020, false));
    }
    ck_assert(m->cache_off[0][1] && !m->cache_off[0][0]); /* disabled state restored */
    ck_assert_uint_eq(hazards_of(MMSIM_HAZARD_LOST_WRITE), 0);
    ck_assert_uint_eq(hazards_of(MMSIM_HAZARD_CACHE_DISABLED), 0);
}

START_TEST(extram_writeback_evicts_every_line)
{
    static const uint8_t data[4] = {0xDE, 0xAD, 0xBE, 0xEF};
    open_chip("esp32", NULL);
    dirty_both_cpus(data);
    esp_psram_extram_writeback_cache();
    expect_written_back_and_evicted(data);

    /* Low/high mode: CPU 0's cache holds the low 2 MB, CPU 1's the high 2 MB. */
    open_chip("esp32", "psram_mode=lowhigh");
    dirty_both_cpus(data);
    esp_psram_extram_writeback_cache();
    expect_written_back_and_evicted(data);

    open_chip("esp32s3", NULL);
    esp_psram_extram_writeback_cache();
    ck_assert_uint_eq(hazards_of(MMSIM_HAZARD_HAL_ASSERT), 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("hal");
    TCase *t = tcase_create("hal");
    tcase_add_checked_fixture(t, NULL, teardown);
    tcase_set_timeout(t, 60);
    tcase_add_loop_test(t, map_unmap_round_trip_per_chip, 0, (int)(sizeof map_cases / sizeof map_cases[0]));
    tcase_add_test(t, p4_entries_take_their_bits_from_the_mmu);
    tcase_add_test(t, entry_target_reads_the_index_register);
    tcase_add_test(t, sensitive_and_valid_bits_of_the_new_chips);
    tcase_add_test(t, linear_masks_of_the_new_chips_per_page_size);
    tcase_add_test(t, unmap_all_clears_every_table);
    tcase_add_test(t, conversions_for_data_and_instruction);
    tcase_add_test(t, linear_addresses_round_trip_for_every_region);
    tcase_add_test(t, laddr_bases_follow_the_view_or_target);
    tcase_add_loop_test(t, ext_vaddr_region_edges, 0, (int)(sizeof vrange_cases / sizeof vrange_cases[0]));
    tcase_add_test(t, paddr_region_edges);
    tcase_add_test(t, page_conversions_follow_the_page_size);
    tcase_add_test(t, hal_check_records_one_hazard_and_changes_nothing);
    tcase_add_test(t, esp32_psram_entry_quirks);
    tcase_add_test(t, no_machine_is_harmless);
    tcase_add_loop_test(t, soc_values_match_the_reference, 0, (int)(sizeof soc_cases / sizeof soc_cases[0]));
    tcase_add_loop_test(t, cache_level_windows_follow_the_table, 0, (int)(sizeof level_cases / sizeof level_cases[0]));
    tcase_add_test(t, cache_line_sizes_per_chip);
    tcase_add_test(t, l1_bus_masks_from_the_windows);
    tcase_add_test(t, bus_enable_and_disable);
    tcase_add_test(t, cache_enable_disable_suspend_freeze);
    tcase_add_test(t, writeback_and_invalidate_by_address);
    tcase_add_test(t, cache_flush_drops_dirty_lines_of_one_cpu);
    tcase_add_test(t, sram_mmu_set_return_codes_and_entries);
    tcase_add_test(t, extram_writeback_evicts_every_line);
    suite_add_tcase(s, t);
    return mmsim_check_run(s);
}
