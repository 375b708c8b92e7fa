/* test_esp_flash.c - the flash write path on the map driver: SPI1 writes and erases
 * followed by invalidation of the mapped pages they touched, and ESP-IDF's known
 * limitation (an alias made outside the driver stays stale). */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "esp_flash.h"
#include "esp_mmu_map.h"
#include "hal/mmu_hal.h"
#include "invariant_wrap.h"
#include "mmsim.h"

static mmsim_t *open_chip(const char *name)
{
    mmsim_config_t cfg = mmsim_config_default(name);
    mmsim_t *m = NULL;
    ck_assert_msg(mmsim_open(&cfg, &m) == 0, "%s", mmsim_last_error());
    return m;
}

static uint32_t rd32(mmsim_t *m, const void *p)
{
    uint32_t w = 0;
    ck_assert_int_eq(mmsim_cpu_read(m, 0, (uint32_t)(uintptr_t)p, &w, 4), 0);
    return w;
}

static void write_then_read_sees_new_data(const char *chip)
{
    mmsim_t *m = open_chip(chip);
    void *p = NULL;
    ck_assert_int_eq(esp_flash_erase_region(NULL, 0x300000, 0x1000), ESP_OK);
    ck_assert_int_eq(esp_mmu_map(0x300000, 0x1000, MMU_TARGET_FLASH0, MMU_MEM_CAP_READ, 0, &p), ESP_OK);
    ck_assert_uint_eq(rd32(m, p), 0xFFFFFFFF); /* the line is now cached */
    ck_assert_int_eq(esp_flash_write(NULL, "\x78\x56\x34\x12", 0x300000, 4), ESP_OK);
    ck_assert_uint_eq(rd32(m, p), 0x12345678);
    ck_assert_int_eq(esp_flash_erase_region(esp_flash_default_chip, 0x300000, 0x1000), ESP_OK);
    ck_assert_uint_eq(rd32(m, p), 0xFFFFFFFF);
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
    mmsim_close(m);
}

START_TEST(driver_write_invalidates_the_mapped_page)
{
    const char *chips[] = {"esp32",    "esp32s2", "esp32s3",  "esp32c2", "esp32c3", "esp32c5",
                           "esp32c6",  "esp32c61", "esp32h2", "esp32h21", "esp32h4", "esp32p4", "esp32s31"};
    for (size_t i = 0; i < sizeof chips / sizeof chips[0]; i++)
        write_then_read_sees_new_data(chips[i]);
}
END_TEST

START_TEST(raw_spi1_write_leaves_the_line_stale)
{
    mmsim_t *m = open_chip("esp32c6");
    void *p = NULL;
    ck_assert_int_eq(esp_mmu_map(0x300000, 0x1000, MMU_TARGET_FLASH0, MMU_MEM_CAP_READ, 0, &p), ESP_OK);
    ck_assert_uint_eq(rd32(m, p), 0xFFFFFFFF);
    ck_assert_int_eq(mmsim_flash_write(m, 0x300000, "\x00\x00\x00\x00", 4), 0);
    ck_assert_uint_eq(rd32(m, p), 0xFFFFFFFF);
    ck_assert_uint_eq(mmsim_hazard_count_kind(m, MMSIM_HAZARD_STALE_READ), 1);
    mmsim_close(m);
}
END_TEST

START_TEST(alias_made_outside_the_driver_stays_stale)
{
    mmsim_t *m = open_chip("esp32s3");
    void *p = NULL;
    ck_assert_int_eq(esp_mmu_map(0x300000, 0x10000, MMU_TARGET_FLASH0, MMU_MEM_CAP_READ, 0, &p), ESP_OK);
    /* A second view of the same page programmed straight through the HAL, above the
     * driver's block: the driver's flush finds the first (lowest) entry only. */
    uint32_t alias = (uint32_t)(uintptr_t)p + 0x100000, out = 0;
    mmu_hal_map_region(0, MMU_TARGET_FLASH0, alias, 0x300000, 0x10000, &out);
    invariant_wrap_allow_broken(m); /* a free page of the region is mapped now */
    ck_assert_uint_eq(rd32(m, p), 0xFFFFFFFF);
    ck_assert_uint_eq(rd32(m, (void *)(uintptr_t)alias), 0xFFFFFFFF);
    ck_assert_int_eq(esp_flash_write(NULL, "\x01\x02\x03\x04", 0x300000, 4), ESP_OK);
    ck_assert_uint_eq(rd32(m, p), 0x04030201);
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
    ck_assert_uint_eq(rd32(m, (void *)(uintptr_t)alias), 0xFFFFFFFF); /* the alias is stale */
    ck_assert_uint_eq(mmsim_hazard_count_kind(m, MMSIM_HAZARD_STALE_READ), 1);
    mmsim_close(m);
}
END_TEST

START_TEST(bad_arguments)
{
    mmsim_t *m = open_chip("esp32c3");
    uint8_t b[4];
    ck_assert_int_eq(esp_flash_write(NULL, NULL, 0, 4), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(esp_flash_read(NULL, b, 0xFFFFFFFE, 4), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(esp_flash_erase_region(NULL, 0x800, 0x1000), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(esp_flash_read(NULL, b, 0x10000, 4), ESP_OK);
    mmsim_close(m);
}
END_TEST

static Suite *flash_suite(void)
{
    Suite *s = suite_create("esp_flash");
    TCase *t = tcase_create("write path");
    tcase_add_test(t, driver_write_invalidates_the_mapped_page);
    tcase_add_test(t, raw_spi1_write_leaves_the_line_stale);
    tcase_add_test(t, alias_made_outside_the_driver_stays_stale);
    tcase_add_test(t, bad_arguments);
    suite_add_tcase(s, t);
    return s;
}

int main(void) { return mmsim_check_run(flash_suite()); }
