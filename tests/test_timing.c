/* test_timing.c - the cycle model: the SPI formulas against the reference's timing
 * inputs (hardware-and-hazards.md §3), recomputed from the chip's SPI parameters and on
 * hand-made devices; the sdkconfig choices that change them (modes, clocks, cache
 * geometry) and their refusals; and the overlap a machine charges (critical word
 * first, the write-back buffer, a store miss without a fill), the access width and CPU
 * cost of a bulk access, and the account of where the cycles went. */
#include <check.h>
#include <string.h>

#include "check_main.h"

#include "chipdef_load.h"
#include "esp_heap_caps.h"
#include "mmsim.h"
#include "timing.h"

static chipdef_t load_with(const char *name, const char *const *sets, size_t n)
{
    chipdef_t c;
    ydoc_err_t err;
    ck_assert_msg(chipdef_load(name, sets, n, &c, &err) == 0, "%s", err.msg);
    return c;
}

static chipdef_t load(const char *name) { return load_with(name, NULL, 0); }

/* The message of a load that must fail. */
static const char *refusal(const char *name, const char *const *sets, size_t n)
{
    static _Thread_local ydoc_err_t err;
    chipdef_t c;
    ck_assert_msg(chipdef_load(name, sets, n, &c, &err) != 0, "%s loaded with %s", name, sets[0]);
    return err.msg;
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

START_TEST(esp32_quad_psram_line_fill_is_two_microseconds_at_the_default_clock)
{
    chipdef_t c = load("esp32");
    /* Reference: (2 cmd + 6 addr + 6 dummy + 64 data) clocks, about 2.0 us at 40 MHz,
     * ESP-IDF's default CONFIG_SPIRAM_SPEED; plus the definition's fitted overhead. */
    ck_assert_uint_eq(c.psram.clock_mhz, 40);
    ck_assert_uint_eq(timing_transaction_ps(&c.psram, c.caches[0].line_size), 78 * 25000 + c.psram.overhead_ns * 1000);
    const char *fast[] = {"spiram_speed=80"};
    c = load_with("esp32", fast, 1);
    ck_assert_uint_eq(timing_transaction_ps(&c.psram, 32), 78 * 12500 + c.psram.overhead_ns * 1000);
}
END_TEST

START_TEST(esp32s3_octal_psram_matches_the_fit)
{
    const char *oct[] = {"spiram_mode=oct", "spiram_speed=80"};
    chipdef_t c = load_with("esp32s3", oct, 2);
    ck_assert_str_eq(c.psram.mode, "oct");
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

/* ESP-IDF's defaults, and each choice changing the phases or the clock. */
START_TEST(spi_modes_and_clocks_follow_sdkconfig)
{
    chipdef_t c = load("esp32s3");
    ck_assert_str_eq(c.flash.mode, "dio"); /* ESPTOOLPY_FLASHMODE_DIO */
    ck_assert_uint_eq(c.flash.lines, 2);
    ck_assert_str_eq(c.psram.mode, "quad"); /* SPIRAM_MODE_QUAD, SPIRAM_SPEED_40M */
    ck_assert_uint_eq(c.psram.clock_mhz, 40);
    uint64_t dio = timing_transaction_ps(&c.flash, 32);
    const char *qio[] = {"flash_mode=qio"};
    chipdef_t q = load_with("esp32s3", qio, 1);
    ck_assert_uint_eq(q.flash.lines, 4);
    ck_assert_uint_lt(timing_transaction_ps(&q.flash, 32), dio); /* 4 lines beat 2 */
    const char *slow[] = {"flash_freq=40"};
    chipdef_t s40 = load_with("esp32s3", slow, 1);
    /* Half the clock, twice the clocks' time (the flash has no overhead_ns). */
    ck_assert_uint_eq(timing_transaction_ps(&s40.flash, 32), 2 * dio);
    const char *hex[] = {"spiram_speed=250"};
    ck_assert_uint_eq(load_with("esp32p4", hex, 1).psram.clock_mhz, 250);
    ck_assert_uint_eq(load("esp32").flash.clock_mhz, 40); /* ESPTOOLPY_FLASHFREQ_40M on ESP32 */
    ck_assert_uint_eq(load("esp32c2").flash.clock_mhz, 60);
    ck_assert_uint_eq(load("esp32h2").flash.clock_mhz, 64);
}
END_TEST

START_TEST(spi_choices_a_chip_lacks_are_refused)
{
    const char *opi[] = {"flash_mode=opi"};
    ck_assert_ptr_nonnull(strstr(refusal("esp32", opi, 1), "flash_mode 'opi' is not one this chip offers"));
    ck_assert_str_eq(load_with("esp32s3", opi, 1).flash.mode, "opi");
    const char *oct[] = {"spiram_mode=oct"};
    ck_assert_ptr_nonnull(strstr(refusal("esp32c5", oct, 1), "spiram_mode 'oct' is not one this chip offers (quad)"));
    const char *speed[] = {"spiram_speed=60"};
    ck_assert_ptr_nonnull(strstr(refusal("esp32s3", speed, 1), "spiram_speed 60 MHz is not a clock this chip offers"));
    const char *nopsram[] = {"spiram_speed=80"};
    ck_assert_ptr_nonnull(strstr(refusal("esp32c3", nopsram, 1), "this chip has no PSRAM interface"));
    const char *badmode[] = {"flash_mode=quad"};
    ck_assert_ptr_nonnull(strstr(refusal("esp32s3", badmode, 1), "flash_mode 'quad'"));
}
END_TEST

START_TEST(cpu_clock_follows_sdkconfig_and_spi_time_stays_in_nanoseconds)
{
    /* ESP-IDF's defaults (Kconfig.cpu): 160 MHz on ESP32, S2 and S3, 96 on H2, 400 on P4. */
    ck_assert_uint_eq(load("esp32").cpu_mhz, 160);
    ck_assert_uint_eq(load("esp32s2").cpu_mhz, 160);
    ck_assert_uint_eq(load("esp32s3").cpu_mhz, 160);
    ck_assert_uint_eq(load("esp32h2").cpu_mhz, 96);
    ck_assert_uint_eq(load("esp32p4").cpu_mhz, 400);
    const char *fast[] = {"cpu_freq_mhz=240"};
    const chipdef_t slow = load("esp32s3"), quick = load_with("esp32s3", fast, 1);
    ck_assert_uint_eq(quick.cpu_mhz, 240);
    /* A line fill takes the same nanoseconds at either clock, so more CPU cycles at 240. */
    uint64_t at160 = timing_transaction_cycles(&slow.psram, slow.cpu_mhz, 32);
    uint64_t at240 = timing_transaction_cycles(&quick.psram, quick.cpu_mhz, 32);
    ck_assert_uint_gt(at240, at160);
    ck_assert_uint_le(timing_cycles_to_ns(at160, 160) > timing_cycles_to_ns(at240, 240)
                          ? timing_cycles_to_ns(at160, 160) - timing_cycles_to_ns(at240, 240)
                          : timing_cycles_to_ns(at240, 240) - timing_cycles_to_ns(at160, 160),
                      7); /* at most a cycle of rounding apart */
    /* What Kconfig does not offer is refused, naming the chip's choices. */
    const char *s3_120[] = {"cpu_freq_mhz=120"};
    ck_assert_str_eq(refusal("esp32s3", s3_120, 1),
                     "<builtin>/esp32s3.yaml: --set cpu_freq_mhz=120: cpu_freq_mhz 120 MHz is not a CPU clock this "
                     "chip offers (80, 160, 240 MHz)");
    const char *c3_240[] = {"cpu_freq_mhz=240"};
    ck_assert_ptr_nonnull(strstr(refusal("esp32c3", c3_240, 1), "(80, 160 MHz)"));
    const char *fpga[] = {"cpu_freq_mhz=40"}; /* an FPGA-only choice */
    ck_assert_ptr_nonnull(strstr(refusal("esp32", fpga, 1), "cpu_freq_mhz 40 MHz"));
    /* The embedding API's field, and the machine's cycles follow it. */
    mmsim_config_t cfg = mmsim_config_default("esp32s3");
    mmsim_t *m;
    ck_assert_int_eq(mmsim_open(&cfg, &m), 0);
    ck_assert_uint_eq(mmsim_cpu_mhz(m), 160);
    mmsim_close(m);
    cfg.cpu_freq_mhz = 240;
    ck_assert_int_eq(mmsim_open(&cfg, &m), 0);
    ck_assert_uint_eq(mmsim_cpu_mhz(m), 240);
    mmsim_close(m);
    cfg.cpu_freq_mhz = 100;
    ck_assert_int_eq(mmsim_open(&cfg, &m), MMSIM_ERR_CHIP);
    ck_assert_ptr_nonnull(strstr(mmsim_last_error(), "mmsim_config_t.cpu_freq_mhz"));
}
END_TEST

START_TEST(cache_geometry_follows_sdkconfig_within_what_the_chip_offers)
{
    const char *line64[] = {"dcache_line_size=64", "dcache_size=64K", "dcache_ways=4"};
    chipdef_t c = load_with("esp32s3", line64, 3);
    ck_assert_str_eq(c.caches[1].name, "dcache");
    ck_assert_uint_eq(c.caches[1].line_size, 64);
    ck_assert_uint_eq(c.caches[1].size, 64u << 10);
    ck_assert_uint_eq(c.caches[1].ways, 4);
    ck_assert_uint_eq(c.caches[0].line_size, 32); /* the ICache keeps its own */
    /* Kconfig: 16-byte data lines only with a 16 or 32 KB DCache. */
    const char *tags[] = {"dcache_size=64K", "dcache_line_size=16"};
    ck_assert_ptr_nonnull(strstr(refusal("esp32s3", tags, 2), "4096 lines, more than the 2048 it can tag"));
    const char *ways[] = {"dcache_ways=2"};
    ck_assert_ptr_nonnull(strstr(refusal("esp32s3", ways, 1), "dcache_ways 2 is not a way count cache 'dcache' offers (4, 8)"));
    const char *l2[] = {"l2_cache_size=256K"};
    ck_assert_ptr_nonnull(strstr(refusal("esp32s3", l2, 1), "this chip has no level-2 cache"));
    ck_assert_uint_eq(load_with("esp32p4", l2, 1).caches[2].size, 256u << 10);
    const char *l2big[] = {"l2_cache_size=512K"};
    ck_assert_ptr_nonnull(strstr(refusal("esp32p4", l2big, 1), "more than the 4096 it can tag"));
    const char *l2ok[] = {"l2_cache_size=512K", "l2_cache_line_size=128"};
    ck_assert_uint_eq(load_with("esp32p4", l2ok, 2).caches[2].line_size, 128);
    /* A fixed cache takes only its own value. */
    const char *fixed[] = {"dcache_size=32K"};
    ck_assert_ptr_nonnull(strstr(refusal("esp32c6", fixed, 1), "is not a size cache"));
}
END_TEST

/* A machine on ESP32-S3 with octal PSRAM at 80 MHz and a fresh PSRAM buffer. */
static mmsim_t *s3(uint32_t *buf, size_t size)
{
    mmsim_config_t cfg = mmsim_config_default("esp32s3");
    cfg.psram_size = 8u << 20;
    cfg.spiram_mode = "oct";
    cfg.spiram_speed = 80;
    mmsim_t *m;
    ck_assert_msg(mmsim_open(&cfg, &m) == 0, "%s", mmsim_last_error());
    *buf = (uint32_t)(uintptr_t)heap_caps_malloc(size, MALLOC_CAP_SPIRAM);
    ck_assert_uint_ne(*buf, 0);
    return m;
}

START_TEST(critical_word_first_lets_the_cpu_go_on_and_the_next_fill_wait)
{
    uint32_t buf, w;
    mmsim_t *m = s3(&buf, 64u << 10);
    static const char *const oct80[] = {"spiram_mode=oct", "spiram_speed=80"};
    const chipdef_t c = load_with("esp32s3", oct80, 2);
    uint64_t full = timing_transaction_cycles(&c.psram, c.cpu_mhz, 32), first = timing_transaction_cycles(&c.psram, c.cpu_mhz, 4);
    uint64_t access = 1 + c.cpu_access_cycles;
    buf = (buf + 31u) & ~31u;
    uint64_t t0 = mmsim_cycles(m, 0);
    ck_assert_int_eq(mmsim_cpu_read(m, 0, buf, &w, 4), 0);
    ck_assert_uint_eq(mmsim_cycles(m, 0) - t0, first + access); /* not the whole line */
    ck_assert_uint_lt(first, full);
    /* The next line's fill starts when the first has streamed in. */
    ck_assert_int_eq(mmsim_cpu_read(m, 0, buf + 32, &w, 4), 0);
    ck_assert_uint_eq(mmsim_cycles(m, 0) - t0, full + first + access);
    mmsim_close(m);
}
END_TEST

START_TEST(width_and_cpu_cycles_make_a_bulk_access_a_loop)
{
    uint32_t buf;
    uint8_t data[64];
    mmsim_t *m = s3(&buf, 4096);
    buf = (buf + 63u) & ~63u;
    ck_assert_int_eq(mmsim_cpu_read(m, 0, buf, data, 64), 0); /* now cached */
    uint64_t t0 = mmsim_cycles(m, 0);
    ck_assert_int_eq(mmsim_set_access(m, 0, 1, 3), 0);
    ck_assert_int_eq(mmsim_cpu_read(m, 0, buf, data, 64), 0);
    ck_assert_uint_eq(mmsim_cycles(m, 0) - t0, 64 * (1 + 3));
    ck_assert_int_eq(mmsim_set_access(m, 0, 16, 3), 0);
    t0 = mmsim_cycles(m, 0);
    ck_assert_int_eq(mmsim_cpu_read(m, 0, buf, data, 64), 0);
    ck_assert_uint_eq(mmsim_cycles(m, 0) - t0, 4 * (1 + 3));
    ck_assert_int_eq(mmsim_set_access(m, 0, 3, 0), MMSIM_ERR_ARG);
    ck_assert_int_eq(mmsim_set_access(m, 2, 4, 0), MMSIM_ERR_ARG);
    mmsim_close(m);
}
END_TEST

START_TEST(a_store_stream_reads_no_line_and_waits_for_the_write_backs)
{
    uint32_t buf;
    static uint8_t data[64u << 10];
    mmsim_t *m = s3(&buf, sizeof data + 64);
    buf = (buf + 31u) & ~31u;
    memset(data, 0x5a, sizeof data);
    ck_assert_int_eq(mmsim_cpu_write(m, 0, buf, data, sizeof data), 0); /* the last 32 KB stay dirty */
    mmsim_cycles_spent_t before, after;
    ck_assert_int_eq(mmsim_cycles_spent(m, 0, &before), 0);
    uint64_t t0 = mmsim_cycles(m, 0);
    ck_assert_int_eq(mmsim_cpu_write(m, 0, buf, data, sizeof data), 0);
    ck_assert_int_eq(mmsim_cycles_spent(m, 0, &after), 0);
    static const char *const oct80[] = {"spiram_mode=oct", "spiram_speed=80"};
    const chipdef_t c = load_with("esp32s3", oct80, 2);
    uint64_t line = timing_transaction_cycles(&c.psram, c.cpu_mhz, 32), lines = sizeof data / 32;
    /* No fill is read: a store miss stalls only for the fixed phases of a transaction
     * (esp32s3.yaml's store_miss_latency), which hold the bus, and the victim's
     * write-back goes out after them while the CPU stores into the new line: the stream
     * moves a line for the fixed phases and one line transfer, not a fill and a
     * write-back (the 8 stores of a line, 3 cycles each, overlap the transfer). */
    uint64_t fixed = timing_transaction_cycles(&c.psram, c.cpu_mhz, 0);
    ck_assert_uint_gt(fixed, 0);
    ck_assert_uint_eq(after.fills - before.fills, lines * fixed);
    uint64_t spent = mmsim_cycles(m, 0) - t0;
    ck_assert_uint_ge(spent, (lines - 1) * (fixed + line));
    ck_assert_uint_le(spent, (lines + 1) * (fixed + line));
    ck_assert_uint_ge(after.writebacks - before.writebacks, (lines - 1) * (line - 8 * 3));
    /* The stall is per miss, whatever the width: byte stores (7 cycles each, so the
     * CPU, not the bus, bounds the stream) stall as often and as long. */
    ck_assert_int_eq(mmsim_set_access(m, 0, 1, 7), 0);
    ck_assert_int_eq(mmsim_cycles_spent(m, 0, &before), 0);
    t0 = mmsim_cycles(m, 0);
    ck_assert_int_eq(mmsim_cpu_write(m, 0, buf, data, sizeof data), 0);
    ck_assert_int_eq(mmsim_cycles_spent(m, 0, &after), 0);
    ck_assert_uint_eq(after.fills - before.fills, lines * fixed);
    spent = mmsim_cycles(m, 0) - t0; /* (the first miss may wait for the last write-back) */
    ck_assert_uint_ge(spent, lines * (fixed + 32 * (1 + 7)));
    ck_assert_uint_le(spent, lines * (fixed + 32 * (1 + 7)) + line);
    /* The account adds up. */
    ck_assert_uint_eq(after.hits + after.fills + after.writebacks + after.spi1 + after.mmu + after.maintenance +
                          after.faults,
                      mmsim_cycles(m, 0));
    mmsim_close(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("timing");
    TCase *t = tcase_create("timing");
    tcase_add_test(t, formula_on_a_hand_made_device);
    tcase_add_test(t, esp32_quad_psram_line_fill_is_two_microseconds_at_the_default_clock);
    tcase_add_test(t, spi_modes_and_clocks_follow_sdkconfig);
    tcase_add_test(t, spi_choices_a_chip_lacks_are_refused);
    tcase_add_test(t, cpu_clock_follows_sdkconfig_and_spi_time_stays_in_nanoseconds);
    tcase_add_test(t, cache_geometry_follows_sdkconfig_within_what_the_chip_offers);
    tcase_add_test(t, critical_word_first_lets_the_cpu_go_on_and_the_next_fill_wait);
    tcase_add_test(t, width_and_cpu_cycles_make_a_bulk_access_a_loop);
    tcase_add_test(t, a_store_stream_reads_no_line_and_waits_for_the_write_backs);
    tcase_add_test(t, esp32s3_octal_psram_matches_the_fit);
    tcase_add_test(t, esp32p4_psram_data_phase_is_800_mb_per_second);
    tcase_add_test(t, flash_spi1_rates_within_espressif_ci_bounds);
    tcase_add_test(t, erase_uses_blocks_where_whole_blocks_fit);
    suite_add_tcase(s, t);
    return mmsim_check_run(s);
}
