/* mmsim_idftest_api.h (idf_tests) - force-included (-include) before each of Espressif's
 * test files, which stay as they are in the checkout.  It does two things a compile flag
 * can do and an edit of the file would otherwise have to:
 *
 * 1. The driver API names the tests call are routed to the driver of the case's machine:
 *    ours (core/) or ESP-IDF's own sources (a libmmsim_idf_<variant>.so, which keeps the
 *    same names to itself, loaded RTLD_LOCAL by mmsim_open).  Each name becomes
 *    mmsim_idftest_<name> (dispatch.c), which calls mmsim_driver(machine)'s entry point;
 *    the headers' declarations are renamed with the calls, so the signatures stay
 *    ESP-IDF's.  The calls both drivers share (esp_flash_get_size, heap_caps_*: the flash
 *    write path and the PSRAM heap are mmsim's in either) keep their names.
 * 2. The app image's linker symbols the tests take the address of: _rodata_start
 *    (`extern int`) becomes the start of the app's rodata as the machine's bootloader
 *    mapped it; _flash_rodata_start (`extern uint8_t[]`, which no macro can stand for) is
 *    an absolute symbol the link defines from the same machine (layout.c), and the runner
 *    checks that it still agrees at run time. */
#pragma once

#define esp_mmu_map mmsim_idftest_esp_mmu_map
#define esp_mmu_map_virt mmsim_idftest_esp_mmu_map_virt
#define esp_mmu_unmap mmsim_idftest_esp_mmu_unmap
#define esp_mmu_map_get_max_consecutive_free_block_size mmsim_idftest_esp_mmu_map_get_max_consecutive_free_block_size
#define esp_mmu_map_dump_mapped_blocks mmsim_idftest_esp_mmu_map_dump_mapped_blocks
#define esp_mmu_vaddr_to_paddr mmsim_idftest_esp_mmu_vaddr_to_paddr
#define esp_mmu_paddr_to_vaddr mmsim_idftest_esp_mmu_paddr_to_vaddr
#define esp_mmu_paddr_find_caps mmsim_idftest_esp_mmu_paddr_find_caps
#define esp_cache_msync mmsim_idftest_esp_cache_msync
#define spi_flash_mmap mmsim_idftest_spi_flash_mmap
#define spi_flash_mmap_pages mmsim_idftest_spi_flash_mmap_pages
#define spi_flash_munmap mmsim_idftest_spi_flash_munmap
#define spi_flash_mmap_get_free_pages mmsim_idftest_spi_flash_mmap_get_free_pages
#define spi_flash_cache2phys mmsim_idftest_spi_flash_cache2phys
#define spi_flash_phys2cache mmsim_idftest_spi_flash_phys2cache
#define esp_partition_find mmsim_idftest_esp_partition_find
#define esp_partition_find_first mmsim_idftest_esp_partition_find_first
#define esp_partition_get mmsim_idftest_esp_partition_get
#define esp_partition_next mmsim_idftest_esp_partition_next
#define esp_partition_iterator_release mmsim_idftest_esp_partition_iterator_release
#define esp_partition_verify mmsim_idftest_esp_partition_verify
#define esp_partition_read mmsim_idftest_esp_partition_read
#define esp_partition_read_raw mmsim_idftest_esp_partition_read_raw
#define esp_partition_write mmsim_idftest_esp_partition_write
#define esp_partition_write_raw mmsim_idftest_esp_partition_write_raw
#define esp_partition_erase_range mmsim_idftest_esp_partition_erase_range
#define esp_partition_mmap mmsim_idftest_esp_partition_mmap
#define esp_partition_munmap mmsim_idftest_esp_partition_munmap
#define esp_flash_read mmsim_idftest_esp_flash_read
#define esp_flash_write mmsim_idftest_esp_flash_write
#define esp_flash_erase_region mmsim_idftest_esp_flash_erase_region

#include <stdint.h>
int *mmsim_idftest_rodata_start(void);
uint8_t (*mmsim_idftest_flash_rodata_start(void))[];
#define _rodata_start (*mmsim_idftest_rodata_start())
#define _flash_rodata_start (*mmsim_idftest_flash_rodata_start())

/* What ESP-IDF's headers bring in on the way: SOC_DROM_LOW and SOC_MMU_PAGE_SIZE,
 * esp_rom_printf (esp_log.h includes esp_rom_sys.h there). */
#include "esp_rom_sys.h"
#include "soc/soc.h"
