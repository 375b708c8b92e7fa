/* app.c - the smallest "app" esptool's elf2image makes a real image of, for the
 * elf2image_boot ctest: an esp_app_desc_t in .flash.appdesc (esptool moves that section
 * to the image's first segment, as ESP-IDF apps have it), rodata after it, a function in
 * flash text and initialised data in internal RAM.  Built with Debian's
 * riscv64-unknown-elf-gcc for every chip, Xtensa ones included: mmsim never runs the
 * code, and the image format does not depend on the instruction set. */
#include <stdint.h>

struct app_desc {                  /* esp_app_desc_t, 256 bytes */
    uint32_t magic_word;
    uint32_t secure_version;
    uint32_t reserv1[2];
    char version[32];
    char project_name[32];
    char time[16];
    char date[16];
    char idf_ver[32];
    uint8_t app_elf_sha256[32];
    uint16_t min_efuse_blk_rev_full, max_efuse_blk_rev_full;
    uint8_t mmu_page_size;         /* log2; ESP-IDF writes CONFIG_MMU_PAGE_SIZE's */
    uint8_t flash_mode;
    uint8_t reserv3[2];
    uint32_t reserv2[18];
};

__attribute__((section(".appdesc"), used)) const struct app_desc esp_app_desc = {
    .magic_word = 0xABCD5432u,
    .version = "1.0",
    .project_name = "elf2image-boot",
    .time = "00:00:00",
    .date = "Jan  1 2026",
    .idf_ver = "v6.2-dev",
    .max_efuse_blk_rev_full = 0xFFFF,
    .mmu_page_size = 16,
};

const char rodata_mark[16] = "DROM rodata";
int counter = 42;

void call_start_cpu0(void)
{
    for (;;)
        counter += rodata_mark[counter & 15];
}
