/* test_esp_psram_boot.c - core/esp_psram_boot.c: XIP from PSRAM (config
 * spiram_fetch_instructions / spiram_rodata / spiram_xip_from_psram, ESP-IDF's
 * CONFIG_SPIRAM_*): the app's IROM and DROM entries point at PSRAM after the boot, the
 * bytes there are flash's, a later flash erase leaves what the app reads unchanged, and
 * the PSRAM heap starts after the copied pages, spi_flash_cache2phys still answers with
 * flash offsets for the app's addresses and spi_flash_phys2cache finds the copies where
 * ESP-IDF patches it (S2, S3) and not where it does not.  ESP32-P4 and S31 link the app
 * at the PSRAM window itself.  Also the loader's refusals per chip. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "esp_heap_caps.h"
#include "mmsim.h"
#include "spi_flash_mmap.h"

#define PAGE 0x10000u
#define APP_AT 0x10000u
#define IROM_SIZE 0x40000u /* the built-in chips' app_irom_size, 256K */
#define DROM_SIZE 0x20000u /* app_drom_size, 128K */
/* The image in flash: its rodata first, then its code, as ESP-IDF lays an app out. */
#define DROM_AT APP_AT
#define IROM_AT (APP_AT + DROM_SIZE)
#define PSRAM_SIZE (8u << 20)
/* The flash image, in the working directory (ctest: the build's tests/), named by the
 * process so that two runs at once (ctest -j over two builds) never share it. */
static char IMAGE[64];

/* Where the bootloader maps the synthetic app on each chip (IROM at the start of the
 * executable region, DROM at the data region's or after the IROM); asserted against the
 * boot without the option first, so a changed layout fails here, not silently.  With
 * the option ESP32-P4 and S31 link it at the PSRAM window instead (irom_xip, drom_xip);
 * `last_flash_page` is the last DROM entry's vaddr, where the CPU copy of
 * CONFIG_SPIRAM_FLASH_LOAD_TO_PSRAM reads flash (0: S2/S3, whose ROM copies). */
static const struct {
    const char *chip;
    uint32_t irom, drom, irom_xip, drom_xip, last_flash_page;
} CHIPS[] = {
    {"esp32s3", 0x42000000u, 0x3C040000u, 0x42000000u, 0x3C040000u, 0},
    {"esp32c5", 0x42000000u, 0x42040000u, 0x42000000u, 0x42040000u, 0x43FF0000u},
    {"esp32s2", 0x40080000u, 0x3F000000u, 0x40080000u, 0x3F000000u, 0},
    {"esp32p4", 0x40000000u, 0x40040000u, 0x48000000u, 0x48040000u, 0x43FF0000u},
    {"esp32s31", 0x40000000u, 0x40040000u, 0x50000000u, 0x50040000u, 0x43FF0000u},
};

static uint8_t image_byte(uint32_t i) { return (uint8_t)(i * 7u + (i >> 9) + 1u); }

/* A flash image whose app bytes are not all the same, so a copy that misses is seen. */
static void write_image(void)
{
    static bool done;
    if (done)
        return;
    FILE *f = fopen(IMAGE, "wb");
    ck_assert_ptr_nonnull(f);
    for (uint32_t i = 0; i < APP_AT + DROM_SIZE + IROM_SIZE; i++)
        ck_assert_int_ne(fputc(i < APP_AT ? 0xFF : image_byte(i), f), EOF);
    ck_assert_int_eq(fclose(f), 0);
    done = true;
}

static mmsim_t *open_with(const char *chip, const char *const *sets, size_t nsets, int *rc)
{
    write_image();
    mmsim_config_t cfg = {.chip = chip, .psram_size = PSRAM_SIZE, .flash_image = IMAGE, .sets = sets,
                          .nsets = nsets};
    mmsim_t *m = NULL;
    *rc = mmsim_open(&cfg, &m);
    return m;
}

static mmsim_t *open_ok(const char *chip, const char *const *sets, size_t nsets)
{
    int rc = 0;
    mmsim_t *m = open_with(chip, sets, nsets, &rc);
    ck_assert_msg(rc == MMSIM_OK, "%s: %s", chip, mmsim_last_error());
    return m;
}

/* The machine's invariants hold after the copies and remaps; then close it. */
static void close_consistent(mmsim_t *m)
{
    char why[200];
    ck_assert_msg(mmsim_check_invariants(m, why, sizeof why) == MMSIM_OK, "%s", why);
    mmsim_close(m);
}

static void translate(mmsim_t *m, uint32_t vaddr, uint32_t *paddr, uint32_t *target)
{
    ck_assert_int_eq(mmsim_translate(m, 0, vaddr, paddr, target), MMSIM_OK);
}

/* [vaddr, vaddr + len) reads (or fetches) what flash holds at `paddr`. */
static void assert_reads_flash(mmsim_t *m, uint32_t vaddr, uint32_t paddr, uint32_t len, bool fetch)
{
    uint8_t *got = malloc(len);
    ck_assert_ptr_nonnull(got);
    ck_assert_int_eq(fetch ? mmsim_cpu_fetch(m, 0, vaddr, got, len) : mmsim_cpu_read(m, 0, vaddr, got, len),
                     MMSIM_OK);
    for (uint32_t i = 0; i < len; i++)
        ck_assert_msg(got[i] == image_byte(paddr + i), "0x%08x: 0x%02x, flash had 0x%02x", vaddr + i, got[i],
                      image_byte(paddr + i));
    free(got);
}

START_TEST(without_the_option_the_app_runs_from_flash)
{
    mmsim_t *m = open_ok(CHIPS[_i].chip, NULL, 0);
    uint32_t paddr = 0, target = 0;
    translate(m, CHIPS[_i].irom, &paddr, &target);
    ck_assert_uint_eq(target, MMSIM_TARGET_FLASH);
    ck_assert_uint_eq(paddr, IROM_AT);
    translate(m, CHIPS[_i].drom, &paddr, &target);
    ck_assert_uint_eq(target, MMSIM_TARGET_FLASH);
    ck_assert_uint_eq(paddr, DROM_AT);
    ck_assert_uint_eq(heap_caps_get_total_size(MALLOC_CAP_SPIRAM), PSRAM_SIZE);
    /* An erase of the app's sectors shows through the rodata mapping (nothing cached). */
    ck_assert_int_eq(mmsim_flash_erase(m, DROM_AT, 0x1000), MMSIM_OK);
    uint8_t b = 0;
    ck_assert_int_eq(mmsim_cpu_read(m, 0, CHIPS[_i].drom, &b, 1), MMSIM_OK);
    ck_assert_uint_eq(b, 0xFF);
    mmsim_close(m);
}
END_TEST

START_TEST(xip_from_psram_moves_rodata_then_text_to_psram)
{
    const char *sets[] = {"spiram_xip_from_psram=true"};
    mmsim_t *m = open_ok(CHIPS[_i].chip, sets, 1);
    /* Rodata first at PSRAM page 0, then the text (s_xip_psram_placement's order). */
    for (uint32_t off = 0; off < DROM_SIZE; off += PAGE) {
        uint32_t paddr = 0, target = 0;
        translate(m, CHIPS[_i].drom_xip + off, &paddr, &target);
        ck_assert_uint_eq(target, MMSIM_TARGET_PSRAM);
        ck_assert_uint_eq(paddr, off);
    }
    for (uint32_t off = 0; off < IROM_SIZE; off += PAGE) {
        uint32_t paddr = 0, target = 0;
        translate(m, CHIPS[_i].irom_xip + off, &paddr, &target);
        ck_assert_uint_eq(target, MMSIM_TARGET_PSRAM);
        ck_assert_uint_eq(paddr, DROM_SIZE + off);
    }
    assert_reads_flash(m, CHIPS[_i].drom_xip, DROM_AT, DROM_SIZE, false);
    assert_reads_flash(m, CHIPS[_i].irom_xip, IROM_AT, IROM_SIZE, true);
    /* The PSRAM itself holds the copies (written back, not only in the cache). */
    uint8_t first = 0;
    ck_assert_int_eq(mmsim_dma_read(m, MMSIM_TARGET_PSRAM, 0, &first, 1), MMSIM_OK);
    ck_assert_uint_eq(first, image_byte(DROM_AT));
    /* spi_flash_cache2phys gives the app's own addresses their flash offsets, as
     * ESP-IDF's patched version does (esp_ota_get_running_partition relies on it). */
    ck_assert_uint_eq(spi_flash_cache2phys((const void *)(uintptr_t)(CHIPS[_i].drom_xip + 0x10123)),
                      DROM_AT + 0x10123);
    ck_assert_uint_eq(spi_flash_cache2phys((const void *)(uintptr_t)(CHIPS[_i].irom_xip + 0x30456)), IROM_AT + 0x30456);
    close_consistent(m);
}
END_TEST

/* ESP-IDF issue 14897's setting: a flash erase (an OTA, NVS) no longer changes what the
 * app reads from its code and rodata. */
START_TEST(a_later_flash_erase_leaves_the_app_reads_unchanged)
{
    const char *sets[] = {"spiram_xip_from_psram=true"};
    mmsim_t *m = open_ok(CHIPS[_i].chip, sets, 1);
    ck_assert_int_eq(mmsim_flash_erase(m, APP_AT, IROM_SIZE + DROM_SIZE), MMSIM_OK);
    uint8_t b = 0;
    ck_assert_int_eq(mmsim_flash_read(m, DROM_AT, &b, 1), MMSIM_OK);
    ck_assert_uint_eq(b, 0xFF);
    assert_reads_flash(m, CHIPS[_i].drom_xip, DROM_AT, DROM_SIZE, false);
    assert_reads_flash(m, CHIPS[_i].irom_xip, IROM_AT, IROM_SIZE, true);
    mmsim_close(m);
}
END_TEST

START_TEST(the_psram_heap_starts_after_the_copies)
{
    const char *sets[] = {"spiram_xip_from_psram=true"};
    mmsim_t *m = open_ok(CHIPS[_i].chip, sets, 1);
    const uint32_t copied = IROM_SIZE + DROM_SIZE;
    ck_assert_uint_eq(heap_caps_get_total_size(MALLOC_CAP_SPIRAM), PSRAM_SIZE - copied);
    void *p = heap_caps_malloc(4096, MALLOC_CAP_SPIRAM);
    ck_assert_ptr_nonnull(p);
    uint32_t paddr = 0, target = 0;
    translate(m, (uint32_t)(uintptr_t)p, &paddr, &target);
    ck_assert_uint_eq(target, MMSIM_TARGET_PSRAM);
    ck_assert_uint_ge(paddr, copied);
    mmsim_close(m);
}
END_TEST

/* spi_flash_phys2cache of the app's own flash offsets.  ESP32-S2/S3's ESP-IDF patches
 * it (flash_mmap.c with mmu_psram_flash.c's page info): the copy in PSRAM is found.
 * With CONFIG_SPIRAM_FLASH_LOAD_TO_PSRAM it is left unpatched: the lookup is in flash,
 * where only the last DROM entry still maps one page of the app, the last text page
 * the CPU copy read through it (mmu_psram_flash_v2.c never unmaps it). */
START_TEST(phys2cache_finds_the_copies_only_where_esp_idf_patches_it)
{
    const char *sets[] = {"spiram_xip_from_psram=true"};
    mmsim_t *m = open_ok(CHIPS[_i].chip, sets, 1);
    const void *ro = spi_flash_phys2cache(DROM_AT + 0x123, SPI_FLASH_MMAP_DATA);
    const void *text = spi_flash_phys2cache(IROM_AT + 0x10456, SPI_FLASH_MMAP_INST);
    /* The last text page as code where the copy is found, as data where the flash view
     * (a DROM entry) is. */
    const void *last_text = spi_flash_phys2cache(IROM_AT + IROM_SIZE - PAGE + 0x10, CHIPS[_i].last_flash_page
                                                                                       ? SPI_FLASH_MMAP_DATA
                                                                                       : SPI_FLASH_MMAP_INST);
    if (!CHIPS[_i].last_flash_page) {
        ck_assert_ptr_eq(ro, (const void *)(uintptr_t)(CHIPS[_i].drom_xip + 0x123));
        ck_assert_ptr_eq(text, (const void *)(uintptr_t)(CHIPS[_i].irom_xip + 0x10456));
        ck_assert_ptr_eq(last_text, (const void *)(uintptr_t)(CHIPS[_i].irom_xip + IROM_SIZE - PAGE + 0x10));
    } else {
        ck_assert_ptr_null(ro);
        ck_assert_ptr_null(text);
        ck_assert_ptr_eq(last_text, (const void *)(uintptr_t)(CHIPS[_i].last_flash_page + 0x10));
        uint32_t paddr = 0, target = 0;
        translate(m, CHIPS[_i].last_flash_page, &paddr, &target);
        ck_assert_uint_eq(target, MMSIM_TARGET_FLASH);
        ck_assert_uint_eq(paddr, IROM_AT + IROM_SIZE - PAGE);
    }
    /* A flash offset outside the app is looked up in flash on every chip: unmapped. */
    ck_assert_ptr_null(spi_flash_phys2cache(0x200000, SPI_FLASH_MMAP_DATA));
    close_consistent(m);
}
END_TEST

/* ESP32-P4 and S31: with the option the app is linked at the PSRAM window and the
 * bootloader maps none of it in flash; the PSRAM start-up maps it for the first time. */
START_TEST(p4_and_s31_link_the_app_at_the_psram_window)
{
    const char *sets[] = {"spiram_xip_from_psram=true"};
    for (int i = 3; i < 5; i++) {
        mmsim_t *m = open_ok(CHIPS[i].chip, sets, 1);
        uint32_t paddr = 0, target = 0;
        ck_assert_int_ne(mmsim_translate(m, 0, CHIPS[i].irom, &paddr, &target), MMSIM_OK);
        ck_assert_int_ne(mmsim_translate(m, 0, CHIPS[i].drom, &paddr, &target), MMSIM_OK);
        const char *log = mmsim_boot_log(m);
        ck_assert_msg(strstr(log, ".rodata xip on psram") && strstr(log, ".text xip on psram") &&
                          strstr(log, ".rodata xip on psram") < strstr(log, ".text xip on psram"),
                      "%s", log);
        mmsim_close(m);
    }
}
END_TEST

/* ESP32-S3's two prompts: rodata alone leaves the text in flash. */
START_TEST(rodata_alone_leaves_the_text_in_flash)
{
    const char *sets[] = {"spiram_rodata=true"};
    mmsim_t *m = open_ok("esp32s3", sets, 1);
    uint32_t paddr = 0, target = 0;
    translate(m, CHIPS[0].drom, &paddr, &target);
    ck_assert_uint_eq(target, MMSIM_TARGET_PSRAM);
    ck_assert_uint_eq(paddr, 0);
    translate(m, CHIPS[0].irom, &paddr, &target);
    ck_assert_uint_eq(target, MMSIM_TARGET_FLASH);
    ck_assert_uint_eq(heap_caps_get_total_size(MALLOC_CAP_SPIRAM), PSRAM_SIZE - DROM_SIZE);
    mmsim_close(m);
    const char *text[] = {"spiram_fetch_instructions=true"};
    m = open_ok("esp32s3", text, 1);
    translate(m, CHIPS[0].irom, &paddr, &target);
    ck_assert_uint_eq(target, MMSIM_TARGET_PSRAM);
    ck_assert_uint_eq(paddr, 0);
    translate(m, CHIPS[0].drom, &paddr, &target);
    ck_assert_uint_eq(target, MMSIM_TARGET_FLASH);
    mmsim_close(m);
}
END_TEST

/* What each chip's Kconfig does not offer is refused, naming the key. */
START_TEST(options_a_chip_lacks_are_refused)
{
    static const struct {
        const char *chip, *set, *says;
        uint32_t psram;
    } bad[] = {
        {"esp32c5", "spiram_rodata=true", "spiram_xip_from_psram selects both", PSRAM_SIZE},
        {"esp32", "spiram_xip_from_psram=true", "SOC_SPIRAM_XIP_SUPPORTED", PSRAM_SIZE},
        {"esp32c6", "spiram_xip_from_psram=true", "SOC_SPIRAM_XIP_SUPPORTED", 0},
        {"esp32s3", "spiram_xip_from_psram=true", "needs PSRAM", 0},
        {"esp32s3", "spiram_rodata=yes", "expected true or false", PSRAM_SIZE},
        {"esp32p4", "spiram_fetch_instructions=true", "spiram_xip_from_psram selects both", PSRAM_SIZE},
        {"esp32s31", "spiram_xip_from_psram=true", "needs PSRAM", 0},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char psram[32];
        snprintf(psram, sizeof psram, "psram_size=%u", bad[i].psram);
        const char *sets[] = {psram, bad[i].set};
        int rc = 0;
        mmsim_t *m = open_with(bad[i].chip, sets, 2, &rc);
        ck_assert_ptr_null(m);
        ck_assert_int_eq(rc, MMSIM_ERR_CHIP);
        ck_assert_msg(strstr(mmsim_last_error(), bad[i].says) && strstr(mmsim_last_error(), bad[i].set),
                      "%s %s: %s", bad[i].chip, bad[i].set, mmsim_last_error());
    }
}
END_TEST

/* Too little PSRAM for the app: the start-up fails (upstream aborts), never a partial copy. */
START_TEST(too_little_psram_fails_the_boot)
{
    const char *sets[] = {"psram_size=256K", "spiram_xip_from_psram=true"};
    int rc = 0;
    mmsim_t *m = open_with("esp32s3", sets, 2, &rc);
    ck_assert_ptr_null(m);
    ck_assert_int_eq(rc, MMSIM_ERR_BOOT);
    ck_assert_msg(strstr(mmsim_last_error(), "PSRAM start-up (XIP copies, heap mapping) returned ESP_ERR_NO_MEM"),
                  "%s", mmsim_last_error());
}
END_TEST

int main(void)
{
    snprintf(IMAGE, sizeof IMAGE, "test_esp_psram_boot.%ld.flash", (long)getpid());
    Suite *s = suite_create("esp_psram_boot");
    TCase *t = tcase_create("xip");
    tcase_set_timeout(t, 120);
    const int nchips = (int)(sizeof CHIPS / sizeof CHIPS[0]);
    tcase_add_loop_test(t, without_the_option_the_app_runs_from_flash, 0, nchips);
    tcase_add_loop_test(t, xip_from_psram_moves_rodata_then_text_to_psram, 0, nchips);
    tcase_add_loop_test(t, a_later_flash_erase_leaves_the_app_reads_unchanged, 0, nchips);
    tcase_add_loop_test(t, the_psram_heap_starts_after_the_copies, 0, nchips);
    tcase_add_loop_test(t, phys2cache_finds_the_copies_only_where_esp_idf_patches_it, 0, nchips);
    tcase_add_test(t, p4_and_s31_link_the_app_at_the_psram_window);
    tcase_add_test(t, rodata_alone_leaves_the_text_in_flash);
    tcase_add_test(t, options_a_chip_lacks_are_refused);
    tcase_add_test(t, too_little_psram_fails_the_boot);
    suite_add_tcase(s, t);
    int rc = mmsim_check_run(s);
    remove(IMAGE); /* the flash image is the run's own scratch */
    return rc;
}
