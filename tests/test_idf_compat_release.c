/* test_idf_compat_release.c - the per-release adapters of the compatibility layer
 * (idf/compat/include/mmsim_idf_release.h): built once per adapted release line with
 * MMSIM_IDF_VERSION_NUM set as the build sets it for such a checkout, it makes the
 * older call forms those releases' sources use and checks they reach our master-era
 * HAL with the arguments the adapter promises.  Needs no ESP-IDF checkout (the layer
 * is compiled for the ESP32 configuration). */
#include <check.h>
#include <stdint.h>

#include "check_main.h"

#include "mmsim_idf_prelude.h" /* as force-included before upstream's sources */

#include "esp_private/image_layout.h"
#include "hal/cache_hal.h"
#include "hal/mmu_ll.h"
#include "mmsim.h"
#include "soc/ext_mem_defs.h"

static mmsim_t *m;

static void setup(void)
{
    mmsim_config_t cfg = mmsim_config_default("esp32");
    ck_assert_int_eq(mmsim_open(&cfg, &m), 0);
}

static void teardown(void) { mmsim_close(m); }

START_TEST(image_symbols_declared_as_upstream_declares_them_give_the_bounds)
{
#if MMSIM_IDF_IMAGE_SYMBOLS_ARE_INT
    extern int _instruction_reserved_start, _rodata_reserved_end; /* v5.1 - v5.3 */
#else
    extern char _instruction_reserved_start, _rodata_reserved_end;
#endif
    ck_assert_uint_eq((uint32_t)(uintptr_t)&_instruction_reserved_start, image_layout_irom_start());
    ck_assert_uint_eq((uint32_t)(uintptr_t)&_rodata_reserved_end, image_layout_drom_end());
    ck_assert_uint_ne(image_layout_irom_start(), 0);
}
END_TEST

#if MMSIM_IDF_V51_HAL
/* (name)(...) calls our HAL function itself, past the adapter's macro. */
START_TEST(v51_laddr_to_vaddr_without_target_is_the_flash0_conversion)
{
    const uint32_t laddr = 0x10000;
    ck_assert_uint_eq(mmu_ll_laddr_to_vaddr(laddr, MMU_VADDR_DATA),
                      (mmu_ll_laddr_to_vaddr)(laddr, MMU_VADDR_DATA, MMU_TARGET_FLASH0));
    ck_assert_uint_eq(mmu_ll_laddr_to_vaddr(laddr, MMU_VADDR_INSTRUCTION),
                      (mmu_ll_laddr_to_vaddr)(laddr, MMU_VADDR_INSTRUCTION, MMU_TARGET_FLASH0));
    ck_assert_uint_ne(mmu_ll_laddr_to_vaddr(laddr, MMU_VADDR_DATA), 0);
}
END_TEST

START_TEST(v51_line_size_without_level_is_the_external_levels)
{
    ck_assert_uint_eq(cache_hal_get_cache_line_size(CACHE_TYPE_DATA),
                      (cache_hal_get_cache_line_size)(MMSIM_IDF_CACHE_LL_LEVEL_EXT_MEM, CACHE_TYPE_DATA));
    ck_assert_uint_ne(cache_hal_get_cache_line_size(CACHE_TYPE_DATA), 0);
}
END_TEST

START_TEST(v51_bus_size_is_soc_bus_size)
{
    ck_assert_uint_eq(BUS_SIZE(SOC_MMU_IRAM0_LINEAR), SOC_BUS_SIZE(SOC_MMU_IRAM0_LINEAR));
    ck_assert_uint_ne(BUS_SIZE(SOC_MMU_DRAM1_LINEAR), 0);
}
END_TEST
#endif

int main(void)
{
    Suite *s = suite_create("idf_compat_release");
    TCase *t = tcase_create("release");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, image_symbols_declared_as_upstream_declares_them_give_the_bounds);
#if MMSIM_IDF_V51_HAL
    tcase_add_test(t, v51_laddr_to_vaddr_without_target_is_the_flash0_conversion);
    tcase_add_test(t, v51_line_size_without_level_is_the_external_levels);
    tcase_add_test(t, v51_bus_size_is_soc_bus_size);
#endif
    suite_add_tcase(s, t);
    return mmsim_check_run(s);
}
