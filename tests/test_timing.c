/* test_timing.c - the cycle model against the reference's timing inputs
 * (hardware-and-hazards.md §3): each figure is recomputed from the chip's SPI
 * parameters, and the formula itself is checked on hand-made devices. */
#include <check.h>

#include "check_main.h"

#include "chipdef_load.h"
#include "timing.h"

static chipdef_t load(const char *name)
{
    chipdef_t c;
    ydoc_err_t err;
    ck_assert_msg(chipdef_load(name, NULL, 0, &c, &err) == 0, "%s", err.msg);
    return c;
}

START_TEST(formula_on_a_hand_made_device)
{
    chipdef_spi_mem_t s = {.clock_mhz = 40, .lines = 4, .cmd_clocks = 2, .addr_clocks = 6, .dummy_clocks = 6};
    ck_assert_uint_eq(timing_data_clocks(&s, 32), 64);
    /* (2 + 6 + 6 + 64) clocks at 40 MHz = 78 x 25 ns */
    ck_assert_uint_eq(timing_transaction_ps(&s, 32), 1950000);
    s.ddr = true;
    ck_assert_uint_eq(timing_data_clocks(&s, 32), 32);
    ck_assert_uint_eq(timing_data_clocks(&s, 1), 1); /* a partial clock is a clock */
    s.overhead_ns = 50;
    ck_assert_uint_eq(timing_transaction_ps(&s, 32), (2 + 6 + 6 + 32) * 25000 + 50000);
    ck_assert_uint_eq(timing_transaction_cycles(&s, 240, 32), (1200000 * 240 + 999999) / 1000000);
}
END_TEST

START_TEST(esp32_quad_psram_line_fill_is_about_one_microsecond)
{
    chipdef_t c = load("esp32");
    /* Reference: (2 cmd + 6 addr + 6 dummy + 64 data) clocks, about 1.0 us at 80 MHz. */
    ck_assert_uint_eq(timing_transaction_ps(&c.psram, c.caches[0].line_size), 78 * 12500);
    ck_assert_uint_eq(timing_transaction_cycles(&c.psram, c.cpu_mhz, 32), 234);
}
END_TEST

START_TEST(esp32s3_octal_psram_matches_the_fit)
{
    chipdef_t c = load("esp32s3");
    /* Fit: about 330 ns per fill + 6.8 ns per byte.  The model: fixed part exactly
     * 330 ns, 6.25 ns per byte (the raw 8-line DDR data phase at 80 MHz). */
    uint64_t fixed = timing_transaction_ps(&c.psram, 0);
    ck_assert_uint_ge(fixed, 320000);
    ck_assert_uint_le(fixed, 340000);
    uint64_t per_byte = (timing_transaction_ps(&c.psram, 1024) - fixed) / 1024;
    ck_assert_uint_ge(per_byte, 6000);
    ck_assert_uint_le(per_byte, 6900);
}
END_TEST

START_TEST(esp32p4_psram_data_phase_is_800_mb_per_second)
{
    chipdef_t c = load("esp32p4");
    uint64_t mb = 1u << 20;
    uint64_t ps = timing_transaction_ps(&c.psram, mb) - timing_transaction_ps(&c.psram, 0);
    /* 16 lines DDR at 200 MHz = 800e6 bytes/s -> 1.25 ns per byte */
    ck_assert_uint_eq(ps, mb * 1250);
}
END_TEST

START_TEST(flash_spi1_rates_within_espressif_ci_bounds)
{
    for (size_t i = 0; i < chipdef_builtin_count(); i++) {
        chipdef_t c = load(chipdef_builtin_name(i));
        /* writes of 2 KB: 300-470 KB/s; erase 40-77 KB/s (minimums CI accepts) */
        uint64_t ns = timing_cycles_to_ns(timing_flash_program_cycles(&c.flash, c.cpu_mhz, 0, 2048), c.cpu_mhz);
        double kbps = 2048.0 / 1024.0 / (ns / 1e9);
        ck_assert_msg(kbps >= 300 && kbps <= 470, "%s: write %.0f KB/s", c.name, kbps);
        ns = timing_cycles_to_ns(timing_flash_erase_cycles(&c.flash, c.cpu_mhz, 0, 4096), c.cpu_mhz);
        kbps = 4.0 / (ns / 1e9);
        ck_assert_msg(kbps >= 40 && kbps <= 90, "%s: erase %.0f KB/s", c.name, kbps);
    }
}
END_TEST

START_TEST(erase_uses_blocks_where_whole_blocks_fit)
{
    chipdef_spi_mem_t s = {.clock_mhz = 80, .lines = 4, .sector_erase_us = 10, .block_erase_us = 100};
    /* 0x0F000..0x21000: 1 sector, 1 block (0x10000), 1 sector (0x20000) */
    ck_assert_uint_eq(timing_flash_erase_cycles(&s, 1000, 0xF000, 0x12000), 120000);
    ck_assert_uint_eq(timing_flash_erase_cycles(&s, 1000, 0, 0), 0);
    /* program: 2 pages touched by 2 bytes across a page boundary */
    s.page_program_us = 100;
    ck_assert_uint_eq(timing_flash_program_cycles(&s, 1, 255, 2), 201);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("timing");
    TCase *t = tcase_create("timing");
    tcase_add_test(t, formula_on_a_hand_made_device);
    tcase_add_test(t, esp32_quad_psram_line_fill_is_about_one_microsecond);
    tcase_add_test(t, esp32s3_octal_psram_matches_the_fit);
    tcase_add_test(t, esp32p4_psram_data_phase_is_800_mb_per_second);
    tcase_add_test(t, flash_spi1_rates_within_espressif_ci_bounds);
    tcase_add_test(t, erase_uses_blocks_where_whole_blocks_fit);
    suite_add_tcase(s, t);
    return mmsim_check_run(s);
}
