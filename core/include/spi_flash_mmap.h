/* spi_flash_mmap.h - ESP-IDF's legacy flash mapping API (components/spi_flash, same
 * names, types, values and return codes): map flash into the data or instruction
 * address space, release it, and convert between cache and flash addresses.  Each
 * call reduces to the map driver (esp_mmu_map.h) with ESP_MMU_MMAP_FLAG_PADDR_SHARED.
 *
 * Where ESP-IDF's own header and its behaviour disagree, the comments below say what
 * the code does (README "The driver": spi_flash mmap). */
#ifndef MMSIM_SPI_FLASH_MMAP_H
#define MMSIM_SPI_FLASH_MMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "esp_err.h"
#include "sdkconfig.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef ESP_ERR_FLASH_OP_FAIL
#define ESP_ERR_FLASH_OP_FAIL (ESP_ERR_FLASH_BASE + 1)
#endif
#ifndef ESP_ERR_FLASH_OP_TIMEOUT
#define ESP_ERR_FLASH_OP_TIMEOUT (ESP_ERR_FLASH_BASE + 2)
#endif

#ifndef SPI_FLASH_SEC_SIZE
#define SPI_FLASH_SEC_SIZE 4096 /* flash sector size */
#endif

/* The MMU page size in force (a run-time value here: compare it with `if`). */
#define SPI_FLASH_MMU_PAGE_SIZE CONFIG_MMU_PAGE_SIZE

/* Flags of spi_flash_mmap and spi_flash_mmap_pages. */
typedef enum {
    SPI_FLASH_MMAP_FLAG_DATA = 0, /* data space: byte access */
    SPI_FLASH_MMAP_FLAG_INST = 1, /* instruction space: 32-bit access only */
    /* Master: keep flash erase/program waiting until spi_flash_munmap (ignored on
     * ESP32).  Releases up to v6.1 compare the whole value with SPI_FLASH_MMAP_INST,
     * so there INST | BLOCKS_WRITE maps into the data space. */
    SPI_FLASH_MMAP_FLAG_BLOCKS_WRITE = 2,
} spi_flash_mmap_flag_t;

#define SPI_FLASH_MMAP_DATA SPI_FLASH_MMAP_FLAG_DATA
#define SPI_FLASH_MMAP_INST SPI_FLASH_MMAP_FLAG_INST

/* The address space asked for: SPI_FLASH_MMAP_DATA or SPI_FLASH_MMAP_INST. */
typedef spi_flash_mmap_flag_t spi_flash_mmap_memory_t;

/* Opaque handle of a mapping made by spi_flash_mmap or spi_flash_mmap_pages.  On the
 * chip it is the address of a heap block; here a small number naming the host block
 * (never 0), unique within one simulated chip's boot. */
typedef uint32_t spi_flash_mmap_handle_t;

/* Map `size` bytes of flash from `src_addr` (a multiple of the MMU page size, else
 * ESP_ERR_INVALID_ARG from esp_mmu_map) into the data or instruction space, reusing
 * the pages of a mapping that already covers the range.  *out_ptr, *out_handle set
 * on ESP_OK only.  Returns:
 * - ESP_OK; also when esp_mmu_map finds the range inside an existing mapping
 *   (ESP_ERR_INVALID_STATE): *out_ptr is then that mapping's address, and
 *   spi_flash_munmap of the handle unmaps nothing;
 * - ESP_ERR_INVALID_ARG: src_addr or src_addr + size past 16 MB (master, v6.1, v6.0.1+,
 *   v5.5.5+, v5.4.4+; logged "Address 0x... is out of range for 24bit flash mapping"),
 *   or a bad address or size for esp_mmu_map;
 * - ESP_ERR_NOT_FOUND when no virtual range is free (ESP-IDF's header says
 *   ESP_ERR_NO_MEM); ESP_ERR_NO_MEM when the handle cannot be allocated.
 * NULL out pointers fault on the chip: here an abort hazard and ESP_ERR_INVALID_ARG. */
esp_err_t spi_flash_mmap(size_t src_addr, size_t size, spi_flash_mmap_flag_t flags, const void **out_ptr,
                         spi_flash_mmap_handle_t *out_handle);

/* Map the flash pages `pages[0..page_count)` (page numbers, not addresses) one after
 * another: each run of consecutive page numbers is one esp_mmu_map call, and the
 * runs land next to each other when the space is free enough (*out_ptr is the first
 * run's address).  Any failing run (ESP_ERR_INVALID_STATE included) unmaps the runs
 * already made and is returned.  With page_count 0, ESP-IDF still maps pages[0] as
 * one page (its header promises ESP_ERR_INVALID_ARG); so does this. */
esp_err_t spi_flash_mmap_pages(const int *pages, size_t page_count, spi_flash_mmap_flag_t flags,
                               const void **out_ptr, spi_flash_mmap_handle_t *out_handle);

/* Release a mapping: esp_mmu_unmap of each of its blocks, then the handle.  An unknown
 * or already released handle is ESP-IDF's assert "invalid handle, or handle already
 * unmapped": an abort hazard here, and nothing changes. */
void spi_flash_munmap(spi_flash_mmap_handle_t handle);

/* esp_mmu_map_dump_mapped_blocks(stdout). */
void spi_flash_mmap_dump(void);

/* The largest free virtual block for the space's caps, in MMU pages (the space is
 * compared with SPI_FLASH_MMAP_INST: any other value is the data space). */
uint32_t spi_flash_mmap_get_free_pages(spi_flash_mmap_memory_t memory);

#define SPI_FLASH_CACHE2PHYS_FAIL UINT32_MAX /* spi_flash_cache2phys: not a mapped address */

/* The physical address behind a mapped address (esp_mmu_vaddr_to_paddr), or
 * SPI_FLASH_CACHE2PHYS_FAIL.  Any mapping counts, the bootloader's app mapping
 * included; a PSRAM mapping gives its PSRAM offset (the header speaks of flash only). */
size_t spi_flash_cache2phys(const void *cached);

/* The first address where flash offset `phys_offs` is mapped in the data
 * (SPI_FLASH_MMAP_DATA) or instruction (any other value) space, or NULL. */
const void *spi_flash_phys2cache(size_t phys_offs, spi_flash_mmap_memory_t memory);

#ifdef __cplusplus
}
#endif

#endif
