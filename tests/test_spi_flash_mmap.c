/* test_spi_flash_mmap.c - the spi_flash mmap family (spi_flash_mmap.h) over the map
 * driver, as components/spi_flash/flash_mmap.c behaves: caps by flags, the 16 MB
 * refusal by release and the 32-bit address option that lifts it, ESP_ERR_INVALID_STATE turned into success, ESP_ERR_NOT_FOUND on
 * exhaustion, runs of pages merged, handles and their misuse, the conversions against
 * the app the boot maps, and the cache behaviour seen through the returned pointers. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "esp_flash.h"
#include "esp_log.h"
#include "esp_mmu_map.h"
#include "esp_private/flash_mmap.h"
#include "mmsim.h"
#include "spi_flash_mmap.h"

#define DATA_CAPS (MMU_MEM_CAP_READ | MMU_MEM_CAP_8BIT)
#define INST_CAPS (MMU_MEM_CAP_EXEC | MMU_MEM_CAP_32BIT)
/* The app's image (README "Boot"): its rodata first, at flash 0x10000 (128 KB by
 * default), then its code. */
#define APP_DROM_PADDR 0x10000u
#define APP_IROM_PADDR 0x30000u

static const char *const chips[] = {"esp32", "esp32s3", "esp32c6", "esp32p4"};
#define NCHIPS (sizeof chips / sizeof chips[0])

static mmsim_t *open_ver(const char *chip, const char *version)
{
    mmsim_config_t cfg = mmsim_config_default(chip);
    cfg.idf_version = version;
    mmsim_t *m = NULL;
    ck_assert_msg(mmsim_open(&cfg, &m) == 0, "%s", mmsim_last_error());
    return m;
}

static mmsim_t *open_chip(const char *chip) { return open_ver(chip, NULL); }

static uint32_t U(const void *p) { return (uint32_t)(uintptr_t)p; }

static uint32_t rd32(mmsim_t *m, const void *p)
{
    uint32_t w = 0;
    ck_assert_int_eq(mmsim_cpu_read(m, 0, U(p), &w, 4), 0);
    return w;
}

static mmu_mem_caps_t caps_at(uint32_t paddr)
{
    mmu_mem_caps_t caps = 0;
    ck_assert_int_eq(esp_mmu_paddr_find_caps(paddr, &caps), ESP_OK);
    return caps;
}

static bool is_mapped(const void *p)
{
    esp_paddr_t pa;
    mmu_target_t t;
    esp_log_level_set("mmap", ESP_LOG_NONE); /* "vaddr isn't mapped" is expected here */
    bool ok = esp_mmu_vaddr_to_paddr((void *)(uintptr_t)p, &pa, &t) == ESP_OK;
    esp_log_level_set("mmap", ESP_LOG_INFO);
    return ok;
}

static void capture(void)
{
    esp_log_capture_begin();
    esp_log_capture_quiet(true);
}

static void assert_logged(const char *text)
{
    ck_assert_msg(strstr(esp_log_capture_text(), text), "log lacks \"%s\":\n%s", text, esp_log_capture_text());
}

static const char *last_abort(mmsim_t *m)
{
    for (size_t i = mmsim_hazard_count(m); i-- > 0;) {
        const mmsim_hazard_t *h = mmsim_hazard_get(m, i);
        if (h && h->kind == MMSIM_HAZARD_ABORT)
            return h->detail;
    }
    return "";
}

/* ---- spi_flash_mmap ------------------------------------------------------------------ */

static void map_and_read_back(const char *chip)
{
    mmsim_t *m = open_chip(chip);
    const uint32_t page = SPI_FLASH_MMU_PAGE_SIZE;
    const uint8_t data[8] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
    ck_assert_int_eq(esp_flash_erase_region(NULL, 0x100000, page), ESP_OK);
    ck_assert_int_eq(esp_flash_write(NULL, data, 0x100000 + 0x40, sizeof data), ESP_OK);
    ck_assert_int_eq(esp_flash_write(NULL, data, 0x300000, sizeof data), ESP_OK);

    const void *p = NULL;
    spi_flash_mmap_handle_t h = 0;
    ck_assert_int_eq(spi_flash_mmap(0x100000, page, SPI_FLASH_MMAP_DATA, &p, &h), ESP_OK);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_ne(h, 0);
    ck_assert_uint_eq(caps_at(0x100000), DATA_CAPS);
    ck_assert_uint_eq(spi_flash_cache2phys((const char *)p + 0x40), 0x100040);
    uint8_t got[8];
    ck_assert_int_eq(mmsim_cpu_read(m, 0, U(p) + 0x40, got, sizeof got), 0);
    ck_assert_mem_eq(got, data, sizeof data);
    ck_assert(flash_mmap_remain());
    ck_assert_uint_eq(spi_flash_mmap_open_count(), 1);

    /* Instruction space: EXEC|32BIT, read by instruction fetch. */
    const void *q = NULL;
    spi_flash_mmap_handle_t hi = 0;
    ck_assert_int_eq(spi_flash_mmap(0x300000, page, SPI_FLASH_MMAP_INST, &q, &hi), ESP_OK);
    ck_assert_uint_ne(hi, h);
    ck_assert_uint_eq(caps_at(0x300000), INST_CAPS);
    uint32_t w = 0;
    ck_assert_int_eq(mmsim_cpu_fetch(m, 0, U(q), &w, 4), 0);
    ck_assert_uint_eq(w, 0x44332211);
    ck_assert_ptr_eq(spi_flash_phys2cache(0x300004, SPI_FLASH_MMAP_INST), (const char *)q + 4);

    spi_flash_munmap(h);
    spi_flash_munmap(hi);
    ck_assert(!is_mapped(p));
    ck_assert(!is_mapped(q));
    ck_assert(!flash_mmap_remain());
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
    mmsim_close(m);
}

START_TEST(maps_data_and_instructions_and_reads_back)
{
    for (size_t i = 0; i < NCHIPS; i++)
        map_and_read_back(chips[i]);
}
END_TEST

/* An unaligned source is the map driver's refusal, passed through. */
START_TEST(unaligned_source_is_refused_by_the_map_driver)
{
    mmsim_t *m = open_chip("esp32c6");
    const void *p = (const void *)1;
    spi_flash_mmap_handle_t h = 7;
    capture();
    ck_assert_int_eq(spi_flash_mmap(0x100100, 0x1000, SPI_FLASH_MMAP_DATA, &p, &h), ESP_ERR_INVALID_ARG);
    assert_logged("paddr must be rounded up to the nearest multiple of CONFIG_MMU_PAGE_SIZE");
    esp_log_capture_end();
    ck_assert_ptr_eq(p, (const void *)1); /* outputs untouched on failure */
    ck_assert_uint_eq(h, 7);
    ck_assert(!flash_mmap_remain());
    mmsim_close(m);
}
END_TEST

static void invalid_state_is_success(const char *chip)
{
    mmsim_t *m = open_chip(chip);
    const uint32_t page = SPI_FLASH_MMU_PAGE_SIZE;
    const void *a = NULL, *b = NULL;
    spi_flash_mmap_handle_t ha = 0, hb = 0;
    ck_assert_int_eq(spi_flash_mmap(0x200000, 4 * page, SPI_FLASH_MMAP_DATA, &a, &ha), ESP_OK);
    size_t free_before = spi_flash_mmap_get_free_pages(SPI_FLASH_MMAP_DATA);
    /* Inside the first mapping: esp_mmu_map says ESP_ERR_INVALID_STATE (logged at debug
     * level on master), spi_flash_mmap says ESP_OK with the address inside it. */
    capture();
    ck_assert_int_eq(spi_flash_mmap(0x200000 + page, 2 * page, SPI_FLASH_MMAP_DATA, &b, &hb), ESP_OK);
    ck_assert_str_eq(esp_log_capture_text(), "");
    esp_log_capture_end();
    ck_assert_ptr_eq(b, (const char *)a + page);
    ck_assert_uint_ne(hb, 0);
    ck_assert_uint_ne(hb, ha);
    ck_assert_uint_eq(spi_flash_mmap_get_free_pages(SPI_FLASH_MMAP_DATA), free_before); /* nothing new */
    ck_assert_uint_eq(spi_flash_mmap_open_count(), 2);
    /* Its handle owns no block: releasing it leaves the mapping... */
    spi_flash_munmap(hb);
    ck_assert(is_mapped(a));
    ck_assert(is_mapped(b));
    ck_assert_uint_eq(spi_flash_mmap_open_count(), 1);
    /* ...which goes with the first handle. */
    spi_flash_munmap(ha);
    ck_assert(!is_mapped(a));
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
    mmsim_close(m);
}

START_TEST(invalid_state_becomes_success_with_an_empty_handle)
{
    for (size_t i = 0; i < NCHIPS; i++)
        invalid_state_is_success(chips[i]);
}
END_TEST

/* v5.1.0-v5.1.4 returned the block's start (no in-block offset); v5.4.2 logged the
 * "mapped already" line as an error. */
START_TEST(invalid_state_pointer_and_log_by_release)
{
    mmsim_t *m = open_ver("esp32s3", "v5.1.2");
    const void *a = NULL, *b = NULL;
    spi_flash_mmap_handle_t ha, hb;
    ck_assert_int_eq(spi_flash_mmap(0x200000, 0x40000, SPI_FLASH_MMAP_DATA, &a, &ha), ESP_OK);
    capture();
    ck_assert_int_eq(spi_flash_mmap(0x210000, 0x10000, SPI_FLASH_MMAP_DATA, &b, &hb), ESP_OK);
    assert_logged("W (");
    assert_logged("paddr block is mapped already");
    esp_log_capture_end();
    ck_assert_ptr_eq(b, a);
    mmsim_close(m);

    m = open_ver("esp32s3", "v5.4.2");
    ck_assert_int_eq(spi_flash_mmap(0x200000, 0x40000, SPI_FLASH_MMAP_DATA, &a, &ha), ESP_OK);
    capture();
    ck_assert_int_eq(spi_flash_mmap(0x210000, 0x10000, SPI_FLASH_MMAP_DATA, &b, &hb), ESP_OK);
    assert_logged("E (");
    esp_log_capture_end();
    ck_assert_ptr_eq(b, (const char *)a + 0x10000);
    mmsim_close(m);
}
END_TEST

static void exhaust(const char *chip, spi_flash_mmap_memory_t mem)
{
    mmsim_t *m = open_chip(chip);
    const uint32_t page = SPI_FLASH_MMU_PAGE_SIZE;
    uint32_t free0 = spi_flash_mmap_get_free_pages(mem);
    ck_assert_uint_gt(free0, 8);
    spi_flash_mmap_handle_t *hs = calloc(free0, sizeof *hs);
    ck_assert_ptr_nonnull(hs);
    /* Eight pages each from successive page offsets: every range sticks out of the
     * ones before, so none is ESP_ERR_INVALID_STATE, and all stay below 16 MB (P4's
     * 64 MB window takes 127 of them). */
    size_t n = 0;
    esp_err_t ret;
    const void *p;
    capture();
    while ((ret = spi_flash_mmap(n * page, 8 * page, mem, &p, &hs[n])) == ESP_OK)
        n++;
    ck_assert_int_eq(ret, ESP_ERR_NOT_FOUND); /* the header says ESP_ERR_NO_MEM */
    assert_logged("no such vaddr range");
    esp_log_capture_end();
    ck_assert_uint_eq(n, free0 / 8);
    ck_assert_uint_eq(spi_flash_mmap_get_free_pages(mem), free0 % 8);
    ck_assert_uint_eq(spi_flash_mmap_open_count(), n);
    for (size_t i = 0; i < n; i++)
        spi_flash_munmap(hs[i]);
    ck_assert_uint_eq(spi_flash_mmap_get_free_pages(mem), free0);
    ck_assert(!flash_mmap_remain());
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
    free(hs);
    mmsim_close(m);
}

START_TEST(exhaustion_is_not_found)
{
    for (size_t i = 0; i < NCHIPS; i++) {
        exhaust(chips[i], SPI_FLASH_MMAP_DATA);
        exhaust(chips[i], SPI_FLASH_MMAP_INST);
    }
}
END_TEST

/* ---- the 16 MB limit, by release ------------------------------------------------------ */

static esp_err_t map_at(uint32_t src, uint32_t size)
{
    const void *p;
    spi_flash_mmap_handle_t h;
    esp_err_t ret = spi_flash_mmap(src, size, SPI_FLASH_MMAP_DATA, &p, &h);
    if (ret == ESP_OK)
        spi_flash_munmap(h);
    return ret;
}

START_TEST(addresses_past_16mb_are_refused_on_master)
{
    mmsim_t *m = open_chip("esp32p4"); /* a 16 MB flash and a 64 MB window */
    capture();
    ck_assert_int_eq(map_at(0x1000000, 0x10000), ESP_ERR_INVALID_ARG);
    assert_logged("E (");
    assert_logged("flash_mmap: Address 0x01000000 is out of range for 24bit flash mapping, see "
                  "CONFIG_BOOTLOADER_CACHE_32BIT_ADDR_QUAD_FLASH and CONFIG_BOOTLOADER_CACHE_32BIT_ADDR_OCTAL_FLASH "
                  "for more details");
    esp_log_capture_end();
    capture();
    ck_assert_int_eq(map_at(0xFF0000, 0x20000), ESP_ERR_INVALID_ARG); /* ends past 16 MB */
    assert_logged("Address 0x00ff0000 is out of range");
    ck_assert_int_eq(map_at(0, 0x1010000), ESP_ERR_INVALID_ARG); /* larger than 16 MB */
    esp_log_capture_end();
    ck_assert_int_eq(map_at(0xFF0000, 0x10000), ESP_OK); /* ends at 16 MB exactly */
    ck_assert(!flash_mmap_remain());
    mmsim_close(m);
}
END_TEST

START_TEST(the_16mb_check_follows_the_release)
{
    static const struct {
        const char *version;
        esp_err_t ret;
    } cases[] = {
        {"v5.1.6", ESP_OK}, {"v5.3.2", ESP_OK}, {"v5.4.3", ESP_OK}, {"v5.4.4", ESP_ERR_INVALID_ARG},
        {"v5.5.4", ESP_OK}, {"v5.5.5", ESP_ERR_INVALID_ARG}, {"v6.0", ESP_OK}, {"v6.0.1", ESP_ERR_INVALID_ARG},
        {"v6.1", ESP_ERR_INVALID_ARG}, {"master", ESP_ERR_INVALID_ARG},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mmsim_t *m = open_ver("esp32p4", cases[i].version);
        capture();
        ck_assert_msg(map_at(0x1000000, 0x10000) == cases[i].ret, "%s", cases[i].version);
        esp_log_capture_end();
        mmsim_close(m);
    }
}
END_TEST

/* CONFIG_BOOTLOADER_CACHE_32BIT_ADDR_QUAD_FLASH (the chip config's
 * bootloader_cache_32bit_addr): the 16 MB check is not compiled in, so offsets past it map
 * on any release, and the bytes read back are the flash's. */
static mmsim_t *open_32bit(const char *chip, bool by_field)
{
    mmsim_config_t cfg = mmsim_config_default(chip);
    cfg.flash_size = 32u << 20;
    static const char *const set[] = {"bootloader_cache_32bit_addr=true"};
    if (by_field)
        cfg.bootloader_cache_32bit_addr = true;
    else
        cfg.sets = set, cfg.nsets = 1;
    mmsim_t *m = NULL;
    ck_assert_msg(mmsim_open(&cfg, &m) == 0, "%s", mmsim_last_error());
    return m;
}

START_TEST(the_32bit_address_option_maps_past_16mb)
{
    static const char *const chips32[] = {"esp32s3", "esp32p4"};
    const char *chip = chips32[_i / 2];
    mmsim_t *m = open_32bit(chip, _i % 2);
    const uint8_t data[4] = {0x5a, 0xa5, 0x5a, 0xa5};
    ck_assert_int_eq(esp_flash_erase_region(NULL, 0x1010000, 0x1000), ESP_OK);
    ck_assert_int_eq(esp_flash_write(NULL, data, 0x1010000, sizeof data), ESP_OK);
    capture();
    const void *p = NULL;
    spi_flash_mmap_handle_t h = 0;
    ck_assert_int_eq(spi_flash_mmap(0x1010000, 0x10000, SPI_FLASH_MMAP_DATA, &p, &h), ESP_OK);
    ck_assert_str_eq(esp_log_capture_text(), ""); /* no "out of range for 24bit" line */
    esp_log_capture_end();
    ck_assert_uint_eq(rd32(m, p), 0xa55aa55a);
    ck_assert_uint_eq(spi_flash_cache2phys((const char *)p + 2), 0x1010002);
    ck_assert_int_eq(map_at(0xFF0000, 0x20000), ESP_OK); /* across the 16 MB line */
    const int pages[] = {256, 257};
    const void *q = NULL;
    spi_flash_mmap_handle_t hq = 0;
    ck_assert_int_eq(spi_flash_mmap_pages(pages, 2, SPI_FLASH_MMAP_DATA, &q, &hq), ESP_OK);
    ck_assert_uint_eq(spi_flash_cache2phys((const char *)q + 0x10000), 0x1010000);
    spi_flash_munmap(hq);
    spi_flash_munmap(h);
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
    mmsim_close(m);

    /* The same board without the option: master refuses. */
    mmsim_config_t cfg = mmsim_config_default(chip);
    cfg.flash_size = 32u << 20;
    ck_assert_int_eq(mmsim_open(&cfg, &m), 0);
    capture();
    ck_assert_int_eq(map_at(0x1010000, 0x10000), ESP_ERR_INVALID_ARG);
    esp_log_capture_end();
    mmsim_close(m);
}
END_TEST

START_TEST(the_32bit_address_option_is_refused_where_kconfig_has_none)
{
    /* No SOC_SPI_MEM_SUPPORT_CACHE_32BIT_ADDR_MAP (ESP32-C6), or a flash of 16 MB. */
    mmsim_config_t cfg = mmsim_config_default("esp32c6");
    cfg.bootloader_cache_32bit_addr = true;
    mmsim_t *m = NULL;
    ck_assert_int_eq(mmsim_open(&cfg, &m), MMSIM_ERR_CHIP);
    ck_assert_ptr_nonnull(strstr(mmsim_last_error(), "mmsim_config_t.bootloader_cache_32bit_addr: "
                                                     "bootloader_cache_32bit_addr: this chip's cache cannot map"));
    cfg = mmsim_config_default("esp32s3");
    cfg.flash_size = 16u << 20;
    static const char *const set[] = {"bootloader_cache_32bit_addr=true"};
    cfg.sets = set, cfg.nsets = 1;
    ck_assert_int_eq(mmsim_open(&cfg, &m), MMSIM_ERR_CHIP);
    ck_assert_ptr_nonnull(strstr(mmsim_last_error(), "--set bootloader_cache_32bit_addr=true: "
                                                     "bootloader_cache_32bit_addr needs a flash over 16 MB"));
    ck_assert_ptr_null(m);
}
END_TEST

/* ---- flags ----------------------------------------------------------------------------- */

START_TEST(blocks_write_flag_by_release)
{
    /* Master reads the INST bit and counts BLOCKS_WRITE mappings (except on ESP32). */
    mmsim_t *m = open_chip("esp32c6");
    const void *p;
    spi_flash_mmap_handle_t h, h2;
    ck_assert_int_eq(spi_flash_mmap(0x100000, 0x10000, SPI_FLASH_MMAP_FLAG_INST | SPI_FLASH_MMAP_FLAG_BLOCKS_WRITE,
                                    &p, &h),
                     ESP_OK);
    ck_assert_uint_eq(caps_at(0x100000), INST_CAPS);
    ck_assert_uint_eq(spi_flash_mmap_blocking_count(), 1);
    ck_assert_int_eq(spi_flash_mmap(0x200000, 0x10000, SPI_FLASH_MMAP_FLAG_BLOCKS_WRITE, &p, &h2), ESP_OK);
    ck_assert_uint_eq(caps_at(0x200000), DATA_CAPS);
    ck_assert_uint_eq(spi_flash_mmap_blocking_count(), 2);
    spi_flash_munmap(h);
    spi_flash_munmap(h2);
    ck_assert_uint_eq(spi_flash_mmap_blocking_count(), 0);
    mmsim_close(m);

    m = open_chip("esp32"); /* "Ignored on ESP32" */
    ck_assert_int_eq(spi_flash_mmap(0x100000, 0x10000, SPI_FLASH_MMAP_FLAG_BLOCKS_WRITE, &p, &h), ESP_OK);
    ck_assert_uint_eq(spi_flash_mmap_blocking_count(), 0);
    mmsim_close(m);

    /* Up to v6.1 the argument was compared with SPI_FLASH_MMAP_INST: 3 is data. */
    m = open_ver("esp32c6", "v6.0.2");
    ck_assert_int_eq(spi_flash_mmap(0x100000, 0x10000, SPI_FLASH_MMAP_FLAG_INST | SPI_FLASH_MMAP_FLAG_BLOCKS_WRITE,
                                    &p, &h),
                     ESP_OK);
    ck_assert_uint_eq(caps_at(0x100000), DATA_CAPS);
    ck_assert_uint_eq(spi_flash_mmap_blocking_count(), 0);
    mmsim_close(m);
}
END_TEST

/* ---- spi_flash_mmap_pages --------------------------------------------------------------- */

static void pages_merge(const char *chip)
{
    mmsim_t *m = open_chip(chip);
    const uint32_t page = SPI_FLASH_MMU_PAGE_SIZE;
    for (int pg = 0; pg < 4; pg++) {
        uint32_t tag = 0xA0000000u | (uint32_t)(pg + 20);
        ck_assert_int_eq(esp_flash_erase_region(NULL, (uint32_t)(pg + 20) * page, 0x1000), ESP_OK);
        ck_assert_int_eq(esp_flash_write(NULL, &tag, (uint32_t)(pg + 20) * page, 4), ESP_OK);
    }
    uint32_t free0 = spi_flash_mmap_get_free_pages(SPI_FLASH_MMAP_DATA);
    /* Three runs: 21-22, 20, 23; six pages, three driver blocks side by side. */
    const int pages[] = {21, 22, 20, 23};
    const void *p = NULL;
    spi_flash_mmap_handle_t h = 0;
    ck_assert_int_eq(spi_flash_mmap_pages(pages, 4, SPI_FLASH_MMAP_DATA, &p, &h), ESP_OK);
    ck_assert_uint_eq(spi_flash_mmap_get_free_pages(SPI_FLASH_MMAP_DATA), free0 - 4);
    for (int i = 0; i < 4; i++) {
        const char *at = (const char *)p + (size_t)i * page;
        ck_assert_uint_eq(spi_flash_cache2phys(at), (uint32_t)pages[i] * page);
        ck_assert_uint_eq(rd32(m, at), 0xA0000000u | (uint32_t)pages[i]);
    }
    /* Three blocks: the second and third start at a run's beginning and can be
     * unmapped on their own (esp_mmu_unmap wants a block's start). */
    char dump[4096] = "";
    FILE *f = fmemopen(dump, sizeof dump - 1, "w");
    esp_mmu_map_dump_mapped_blocks(f);
    fclose(f);
    ck_assert_ptr_nonnull(strstr(dump, "0x140000"));
    ck_assert_uint_eq(caps_at(20 * page), DATA_CAPS);
    spi_flash_munmap(h);
    for (int i = 0; i < 4; i++)
        ck_assert(!is_mapped((const char *)p + (size_t)i * page));
    ck_assert_uint_eq(spi_flash_mmap_get_free_pages(SPI_FLASH_MMAP_DATA), free0);
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
    mmsim_close(m);
}

START_TEST(pages_are_merged_into_runs)
{
    for (size_t i = 0; i < NCHIPS; i++)
        pages_merge(chips[i]);
}
END_TEST

START_TEST(pages_failing_run_unmaps_the_others)
{
    mmsim_t *m = open_chip("esp32s3");
    const void *a, *p = (const void *)1;
    spi_flash_mmap_handle_t ha, h = 9;
    ck_assert_int_eq(spi_flash_mmap(0x300000, 0x40000, SPI_FLASH_MMAP_DATA, &a, &ha), ESP_OK); /* pages 48-51 */
    uint32_t free0 = spi_flash_mmap_get_free_pages(SPI_FLASH_MMAP_DATA);
    const int pages[] = {10, 11, 49, 50, 60};
    ck_assert_int_eq(spi_flash_mmap_pages(pages, 5, SPI_FLASH_MMAP_DATA, &p, &h), ESP_ERR_INVALID_STATE);
    ck_assert_ptr_eq(p, (const void *)1);
    ck_assert_uint_eq(h, 9);
    ck_assert_uint_eq(spi_flash_mmap_get_free_pages(SPI_FLASH_MMAP_DATA), free0);
    ck_assert_int_eq(esp_mmu_paddr_find_caps(10 * 0x10000, &(mmu_mem_caps_t){0}), ESP_ERR_NOT_FOUND);
    ck_assert_uint_eq(spi_flash_mmap_open_count(), 1);
    spi_flash_munmap(ha);
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
    mmsim_close(m);
}
END_TEST

START_TEST(pages_count_zero_and_the_16mb_check)
{
    mmsim_t *m = open_chip("esp32c6");
    const void *p;
    spi_flash_mmap_handle_t h;
    /* page_count 0 still maps pages[0] (the header promises ESP_ERR_INVALID_ARG). */
    const int one[] = {30};
    ck_assert_int_eq(spi_flash_mmap_pages(one, 0, SPI_FLASH_MMAP_DATA, &p, &h), ESP_OK);
    ck_assert_uint_eq(spi_flash_cache2phys(p), 30 * 0x10000);
    spi_flash_munmap(h);
    const int far[] = {1, 256};
    capture();
    ck_assert_int_eq(spi_flash_mmap_pages(far, 2, SPI_FLASH_MMAP_DATA, &p, &h), ESP_ERR_INVALID_ARG);
    assert_logged("flash_mmap: Page 256 (addr 0x01000000) is out of range for 24bit flash mapping");
    esp_log_capture_end();
    const int neg[] = {-1};
    capture();
    ck_assert_int_eq(spi_flash_mmap_pages(neg, 1, SPI_FLASH_MMAP_DATA, &p, &h), ESP_ERR_INVALID_ARG);
    assert_logged("Page -1 (addr 0xffff0000) is out of range");
    esp_log_capture_end();
    ck_assert(!flash_mmap_remain());
    mmsim_close(m);

    m = open_ver("esp32s3", "v5.3.2"); /* no check: page 256 maps */
    ck_assert_int_eq(spi_flash_mmap_pages(far, 2, SPI_FLASH_MMAP_DATA, &p, &h), ESP_OK);
    ck_assert_uint_eq(spi_flash_cache2phys((const char *)p + 0x10000), 0x1000000);
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
    mmsim_close(m); /* the handle the program left is freed with the chip */

    /* ESP32-C6's MMU reaches 16 MB of flash: there the old release's call returns
     * ESP_OK while the MMU HAL's contract breaks (the chip would abort). */
    m = open_ver("esp32c6", "v5.3.2");
    ck_assert_int_eq(spi_flash_mmap_pages(far, 2, SPI_FLASH_MMAP_DATA, &p, &h), ESP_OK);
    ck_assert_uint_eq(mmsim_hazard_count_kind(m, MMSIM_HAZARD_HAL_ASSERT), 1);
    mmsim_hazard_clear(m);
    mmsim_close(m);
}
END_TEST
START_TEST(a_write_under_a_blocks_write_mapping_hangs_on_master)
{
    /* Master's mmap lock: esp_flash_write and _erase_region freeze it first, and the
     * freeze waits for the BLOCKS_WRITE mapping's munmap, which this task never reaches. */
    static const uint8_t zero[4];
    mmsim_t *m = open_chip("esp32c6");
    const void *p;
    spi_flash_mmap_handle_t h;
    ck_assert_int_eq(spi_flash_mmap(0x100000, 0x10000, SPI_FLASH_MMAP_DATA, &p, &h), ESP_OK);
    ck_assert_int_eq(esp_flash_write(NULL, zero, 0x100000, sizeof zero), ESP_OK); /* no lock held */
    spi_flash_munmap(h);
    ck_assert_int_eq(spi_flash_mmap(0x100000, 0x10000, SPI_FLASH_MMAP_FLAG_BLOCKS_WRITE, &p, &h), ESP_OK);
    esp_flash_erase_region(NULL, 0x200000, 0x1000);
    ck_assert_uint_eq(mmsim_hazard_count_kind(m, MMSIM_HAZARD_ABORT), 1);
    ck_assert_ptr_nonnull(strstr(last_abort(m), "waits for the mmap lock"));
    esp_flash_write(NULL, zero, 0x100000, sizeof zero);
    ck_assert_uint_eq(mmsim_hazard_count_kind(m, MMSIM_HAZARD_ABORT), 2);
    spi_flash_munmap(h);
    ck_assert_int_eq(esp_flash_write(NULL, zero, 0x100004, sizeof zero), ESP_OK);
    ck_assert_uint_eq(mmsim_hazard_count_kind(m, MMSIM_HAZARD_ABORT), 2);
    mmsim_hazard_clear(m);
    mmsim_close(m);

    /* No lock before master, nor on ESP32. */
    const char *chip_ver[][2] = {{"esp32c6", "v6.0.2"}, {"esp32", "master"}};
    for (size_t i = 0; i < 2; i++) {
        m = open_ver(chip_ver[i][0], chip_ver[i][1]);
        ck_assert_int_eq(spi_flash_mmap(0x100000, 0x10000, SPI_FLASH_MMAP_FLAG_BLOCKS_WRITE, &p, &h), ESP_OK);
        ck_assert_int_eq(esp_flash_write(NULL, zero, 0x100000, sizeof zero), ESP_OK);
        ck_assert_uint_eq(mmsim_hazard_count_kind(m, MMSIM_HAZARD_ABORT), 0);
        mmsim_close(m);
    }
}
END_TEST


/* ---- spi_flash_munmap misuse ------------------------------------------------------------- */

START_TEST(munmap_of_a_bad_handle_asserts)
{
    mmsim_t *m = open_chip("esp32s3");
    const void *p;
    spi_flash_mmap_handle_t h;
    spi_flash_munmap(0);
    ck_assert_uint_eq(mmsim_hazard_count_kind(m, MMSIM_HAZARD_ABORT), 1);
    ck_assert_ptr_nonnull(strstr(last_abort(m), "invalid handle, or handle already unmapped"));
    spi_flash_munmap(0x12345);
    ck_assert_uint_eq(mmsim_hazard_count_kind(m, MMSIM_HAZARD_ABORT), 2);
    ck_assert_int_eq(spi_flash_mmap(0x100000, 0x10000, SPI_FLASH_MMAP_DATA, &p, &h), ESP_OK);
    spi_flash_munmap(h);
    spi_flash_munmap(h); /* twice */
    ck_assert_uint_eq(mmsim_hazard_count_kind(m, MMSIM_HAZARD_ABORT), 3);
    /* The block unmapped behind the handle's back: esp_mmu_unmap says NOT_FOUND. */
    ck_assert_int_eq(spi_flash_mmap(0x100000, 0x10000, SPI_FLASH_MMAP_DATA, &p, &h), ESP_OK);
    ck_assert_int_eq(esp_mmu_unmap((void *)(uintptr_t)p), ESP_OK);
    capture();
    spi_flash_munmap(h);
    assert_logged("munmap target pointer isn't mapped yet");
    esp_log_capture_end();
    ck_assert_uint_eq(mmsim_hazard_count_kind(m, MMSIM_HAZARD_ABORT), 4);
    ck_assert_ptr_nonnull(strstr(last_abort(m), "0 && \"invalid handle, or handle already unmapped\""));
    ck_assert(!flash_mmap_remain());
    mmsim_hazard_clear(m);
    mmsim_close(m);
}
END_TEST

START_TEST(null_outputs_fault)
{
    mmsim_t *m = open_chip("esp32c6");
    const void *p;
    spi_flash_mmap_handle_t h;
    const int pages[] = {3};
    ck_assert_int_eq(spi_flash_mmap(0x100000, 0x10000, SPI_FLASH_MMAP_DATA, NULL, &h), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(spi_flash_mmap(0x100000, 0x10000, SPI_FLASH_MMAP_DATA, &p, NULL), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(spi_flash_mmap_pages(NULL, 1, SPI_FLASH_MMAP_DATA, &p, &h), ESP_ERR_INVALID_ARG);
    ck_assert_int_eq(spi_flash_mmap_pages(pages, 1, SPI_FLASH_MMAP_DATA, NULL, &h), ESP_ERR_INVALID_ARG);
    ck_assert_uint_eq(mmsim_hazard_count_kind(m, MMSIM_HAZARD_ABORT), 4);
    ck_assert_int_eq(esp_mmu_paddr_find_caps(0x100000, &(mmu_mem_caps_t){0}), ESP_ERR_NOT_FOUND);
    mmsim_hazard_clear(m);
    mmsim_close(m);
}
END_TEST

/* ---- queries ------------------------------------------------------------------------------ */

START_TEST(free_pages_is_the_largest_free_block)
{
    for (size_t i = 0; i < NCHIPS; i++) {
        mmsim_t *m = open_chip(chips[i]);
        const uint32_t page = SPI_FLASH_MMU_PAGE_SIZE;
        size_t d = 0, x = 0;
        ck_assert_int_eq(esp_mmu_map_get_max_consecutive_free_block_size(DATA_CAPS, MMU_TARGET_FLASH0, &d), ESP_OK);
        ck_assert_int_eq(esp_mmu_map_get_max_consecutive_free_block_size(INST_CAPS, MMU_TARGET_FLASH0, &x), ESP_OK);
        ck_assert_uint_eq(spi_flash_mmap_get_free_pages(SPI_FLASH_MMAP_DATA), d / page);
        ck_assert_uint_eq(spi_flash_mmap_get_free_pages(SPI_FLASH_MMAP_INST), x / page);
        /* Anything but INST is the data space (BLOCKS_WRITE included). */
        ck_assert_uint_eq(spi_flash_mmap_get_free_pages(SPI_FLASH_MMAP_FLAG_INST | SPI_FLASH_MMAP_FLAG_BLOCKS_WRITE),
                          d / page);
        mmsim_close(m);
    }
}
END_TEST

static void app_conversions(const char *chip)
{
    mmsim_t *m = open_chip(chip);
    /* The app's rodata and code, mapped by the bootloader. */
    const char *drom = spi_flash_phys2cache(APP_DROM_PADDR + 0x123, SPI_FLASH_MMAP_DATA);
    ck_assert_ptr_nonnull(drom);
    ck_assert_uint_eq(spi_flash_cache2phys(drom), APP_DROM_PADDR + 0x123);
    ck_assert_uint_eq(spi_flash_cache2phys(drom + 0x10000), APP_DROM_PADDR + 0x10123);
    const char *irom = spi_flash_phys2cache(APP_IROM_PADDR + 0x40, SPI_FLASH_MMAP_INST);
    ck_assert_ptr_nonnull(irom);
    ck_assert_uint_eq(spi_flash_cache2phys(irom), APP_IROM_PADDR + 0x40);
    /* What the bytes there are: the same through the pointer and over SPI1. */
    uint32_t via_cache = rd32(m, drom), via_spi1 = 0;
    ck_assert_int_eq(mmsim_flash_read(m, APP_DROM_PADDR + 0x123, &via_spi1, 4), 0);
    ck_assert_uint_eq(via_cache, via_spi1);
    /* Not mapped, or no address at all. */
    capture();
    ck_assert_ptr_null(spi_flash_phys2cache(0x380000, SPI_FLASH_MMAP_DATA));
    assert_logged("paddr isn't mapped");
    ck_assert_uint_eq(spi_flash_cache2phys(NULL), SPI_FLASH_CACHE2PHYS_FAIL);
    ck_assert_uint_eq(spi_flash_cache2phys((const void *)0x1000), SPI_FLASH_CACHE2PHYS_FAIL);
    assert_logged("not a valid external virtual address");
    const void *gone;
    spi_flash_mmap_handle_t h;
    ck_assert_int_eq(spi_flash_mmap(0x300000, 0x10000, SPI_FLASH_MMAP_DATA, &gone, &h), ESP_OK);
    spi_flash_munmap(h);
    ck_assert_uint_eq(spi_flash_cache2phys(gone), SPI_FLASH_CACHE2PHYS_FAIL);
    assert_logged("vaddr isn't mapped");
    esp_log_capture_end();
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
    mmsim_close(m);
}

START_TEST(conversions_of_the_running_app)
{
    for (size_t i = 0; i < NCHIPS; i++)
        app_conversions(chips[i]);
}
END_TEST

START_TEST(dump_prints_the_driver_dump_on_stdout)
{
    mmsim_t *m = open_chip("esp32c6");
    const void *p;
    spi_flash_mmap_handle_t h;
    ck_assert_int_eq(spi_flash_mmap(0x100000, 0x20000, SPI_FLASH_MMAP_DATA, &p, &h), ESP_OK);
    char want[4096] = "", got[4096] = "";
    FILE *f = fmemopen(want, sizeof want - 1, "w");
    esp_mmu_map_dump_mapped_blocks(f);
    fclose(f);
    char path[] = "/tmp/mmsim-dump-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    dup2(fd, STDOUT_FILENO);
    spi_flash_mmap_dump();
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    ssize_t n = pread(fd, got, sizeof got - 1, 0);
    close(fd);
    unlink(path);
    ck_assert_int_gt(n, 0);
    ck_assert_str_eq(got, want);
    ck_assert_ptr_nonnull(strstr(got, "0x100000"));
    spi_flash_munmap(h);
    mmsim_close(m);
}
END_TEST

/* ---- the cache behind the pointer ---------------------------------------------------------- */

static void stale_after_raw_write(const char *chip)
{
    mmsim_t *m = open_chip(chip);
    const void *p;
    spi_flash_mmap_handle_t h;
    ck_assert_int_eq(esp_flash_erase_region(NULL, 0x200000, 0x1000), ESP_OK);
    ck_assert_int_eq(spi_flash_mmap(0x200000, 0x10000, SPI_FLASH_MMAP_DATA, &p, &h), ESP_OK);
    ck_assert_uint_eq(rd32(m, p), 0xFFFFFFFF); /* cached now */
    /* Raw SPI1: nothing invalidates the line. */
    ck_assert_int_eq(mmsim_flash_write(m, 0x200000, "\x78\x56\x34\x12", 4), 0);
    ck_assert_uint_eq(rd32(m, p), 0xFFFFFFFF);
    ck_assert_uint_eq(mmsim_hazard_count_kind(m, MMSIM_HAZARD_STALE_READ), 1);
    mmsim_hazard_clear(m);
    /* The flash driver: the mapped page is invalidated after the write. */
    ck_assert_int_eq(esp_flash_write(NULL, "\x00\x00\x00\x00", 0x200004, 4), ESP_OK);
    ck_assert_uint_eq(rd32(m, p), 0x12345678);
    ck_assert_uint_eq(rd32(m, (const char *)p + 4), 0);
    ck_assert_uint_eq(mmsim_hazard_count(m), 0);
    spi_flash_munmap(h);
    mmsim_close(m);
}

START_TEST(stale_read_after_raw_spi1_write_not_after_esp_flash_write)
{
    for (size_t i = 0; i < NCHIPS; i++)
        stale_after_raw_write(chips[i]);
}
END_TEST

/* Two chips at once: each has its own handles and count. */
START_TEST(handles_are_per_chip)
{
    mmsim_t *a = open_chip("esp32s3");
    const void *p;
    spi_flash_mmap_handle_t ha, hb;
    ck_assert_int_eq(spi_flash_mmap(0x100000, 0x10000, SPI_FLASH_MMAP_DATA, &p, &ha), ESP_OK);
    mmsim_t *b = open_chip("esp32c6");
    ck_assert(!flash_mmap_remain());
    ck_assert_int_eq(spi_flash_mmap(0x100000, 0x10000, SPI_FLASH_MMAP_DATA, &p, &hb), ESP_OK);
    mmsim_select(a);
    ck_assert_uint_eq(spi_flash_mmap_open_count(), 1);
    spi_flash_munmap(ha);
    ck_assert(!flash_mmap_remain());
    mmsim_select(b);
    ck_assert(flash_mmap_remain());
    mmsim_close(b); /* with its open handle */
    mmsim_close(a);
}
END_TEST

static Suite *mmap_suite(void)
{
    Suite *s = suite_create("spi_flash_mmap");
    TCase *t = tcase_create("map");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, maps_data_and_instructions_and_reads_back);
    tcase_add_test(t, unaligned_source_is_refused_by_the_map_driver);
    tcase_add_test(t, invalid_state_becomes_success_with_an_empty_handle);
    tcase_add_test(t, invalid_state_pointer_and_log_by_release);
    tcase_add_test(t, exhaustion_is_not_found);
    tcase_add_test(t, addresses_past_16mb_are_refused_on_master);
    tcase_add_test(t, the_16mb_check_follows_the_release);
    tcase_add_loop_test(t, the_32bit_address_option_maps_past_16mb, 0, 4);
    tcase_add_test(t, the_32bit_address_option_is_refused_where_kconfig_has_none);
    tcase_add_test(t, blocks_write_flag_by_release);
    tcase_add_test(t, a_write_under_a_blocks_write_mapping_hangs_on_master);
    suite_add_tcase(s, t);
    t = tcase_create("pages");
    tcase_add_test(t, pages_are_merged_into_runs);
    tcase_add_test(t, pages_failing_run_unmaps_the_others);
    tcase_add_test(t, pages_count_zero_and_the_16mb_check);
    suite_add_tcase(s, t);
    t = tcase_create("handles");
    tcase_add_test(t, munmap_of_a_bad_handle_asserts);
    tcase_add_test(t, null_outputs_fault);
    tcase_add_test(t, handles_are_per_chip);
    suite_add_tcase(s, t);
    t = tcase_create("queries");
    tcase_add_test(t, free_pages_is_the_largest_free_block);
    tcase_add_test(t, conversions_of_the_running_app);
    tcase_add_test(t, dump_prints_the_driver_dump_on_stdout);
    tcase_add_test(t, stale_read_after_raw_spi1_write_not_after_esp_flash_write);
    suite_add_tcase(s, t);
    return s;
}

int main(void) { return mmsim_check_run(mmap_suite()); }
