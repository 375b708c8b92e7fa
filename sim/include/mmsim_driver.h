/* mmsim_driver.h - which driver code a machine runs: ours (core/) or Espressif's own
 * sources from an ESP-IDF checkout (built with -DMMSIM_IDF_PATH, see idf/), and the
 * table of its entry points.  Programs that must work with either driver (the
 * scenario runner) call the API through mmsim_driver(m); calling esp_mmu_map & co.
 * directly always reaches ours. */
#ifndef MMSIM_DRIVER_H
#define MMSIM_DRIVER_H

#include <stddef.h>
#include <stdio.h>

#include "esp32/himem.h"
#include "esp_cache.h"
#include "esp_flash.h"
#include "esp_mmu_map.h"
#include "esp_partition.h"
#include "mmsim.h"
#include "spi_flash_mmap.h"

#ifdef __cplusplus
extern "C" {
#endif

/* mmsim_config_t.driver */
typedef enum {
    MMSIM_DRIVER_OURS = 0, /* core/: the clean-room driver (default) */
    MMSIM_DRIVER_IDF = 1,  /* ESP-IDF's sources of the checkout mmsim was built with */
} mmsim_driver_kind_t;

/* A driver's entry points, with ESP-IDF's signatures.  A NULL member is a function
 * that driver does not have: esp_mmu_map_virt before v6.1, esp_cache_get_line_size_by_addr
 * before v6.0, the himem calls on chips other than ESP32 (ESP-IDF builds himem for
 * ESP32 only), the spi_flash_mmap and partition calls in a build made with
 * -DMMSIM_IDF_FLASH_SOURCES=OFF. */
typedef struct {
    const char *name;    /* "ours" or "idf" */
    const char *release; /* the ESP-IDF release of "idf" ("v6.2.0"); "" for ours */
    esp_err_t (*mmu_map)(esp_paddr_t paddr, size_t size, mmu_target_t target, mmu_mem_caps_t caps, int flags,
                         void **out_ptr);
    esp_err_t (*mmu_map_virt)(esp_vaddr_t vaddr, esp_paddr_t paddr, size_t size, mmu_target_t target,
                              mmu_mem_caps_t caps, int flags, void **out_ptr);
    esp_err_t (*mmu_unmap)(void *ptr);
    esp_err_t (*mmu_map_get_max_consecutive_free_block_size)(mmu_mem_caps_t caps, mmu_target_t target,
                                                            size_t *out_len);
    esp_err_t (*mmu_map_dump_mapped_blocks)(FILE *stream);
    esp_err_t (*mmu_vaddr_to_paddr)(void *vaddr, esp_paddr_t *out_paddr, mmu_target_t *out_target);
    esp_err_t (*mmu_paddr_to_vaddr)(esp_paddr_t paddr, mmu_target_t target, mmu_vaddr_t type, void **out_vaddr);
    esp_err_t (*mmu_paddr_find_caps)(const esp_paddr_t paddr, mmu_mem_caps_t *out_caps);
    esp_err_t (*cache_msync)(void *addr, size_t size, int flags);
    size_t (*cache_get_line_size_by_addr)(const void *addr);
    esp_err_t (*flash_read)(esp_flash_t *chip, void *buffer, uint32_t address, uint32_t length);
    esp_err_t (*flash_write)(esp_flash_t *chip, const void *buffer, uint32_t address, uint32_t length);
    esp_err_t (*flash_erase_region)(esp_flash_t *chip, uint32_t start, uint32_t len);
    esp_err_t (*himem_alloc)(size_t size, esp_himem_handle_t *handle_out);
    esp_err_t (*himem_free)(esp_himem_handle_t handle);
    esp_err_t (*himem_alloc_map_range)(size_t size, esp_himem_rangehandle_t *handle_out);
    esp_err_t (*himem_free_map_range)(esp_himem_rangehandle_t handle);
    esp_err_t (*himem_map)(esp_himem_handle_t handle, esp_himem_rangehandle_t range, size_t ram_offset,
                           size_t range_offset, size_t len, int flags, void **out_ptr);
    esp_err_t (*himem_unmap)(esp_himem_rangehandle_t range, void *ptr, size_t len);
    size_t (*himem_get_phys_size)(void);
    size_t (*himem_get_free_size)(void);
    size_t (*himem_reserved_area_size)(void);
    /* spi_flash_mmap.h */
    esp_err_t (*spi_flash_mmap)(size_t src_addr, size_t size, spi_flash_mmap_flag_t flags, const void **out_ptr,
                                spi_flash_mmap_handle_t *out_handle);
    esp_err_t (*spi_flash_mmap_pages)(const int *pages, size_t page_count, spi_flash_mmap_flag_t flags,
                                      const void **out_ptr, spi_flash_mmap_handle_t *out_handle);
    void (*spi_flash_munmap)(spi_flash_mmap_handle_t handle);
    uint32_t (*spi_flash_mmap_get_free_pages)(spi_flash_mmap_memory_t memory);
    size_t (*spi_flash_cache2phys)(const void *cached);
    const void *(*spi_flash_phys2cache)(size_t phys_offs, spi_flash_mmap_memory_t memory);
    /* esp_partition.h: the partitions found by one driver are passed back to the same
     * driver only (each keeps its own list of the table). */
    esp_err_t (*partition_find_err)(esp_partition_type_t type, esp_partition_subtype_t subtype, const char *label,
                                    esp_partition_iterator_t *it);
    esp_err_t (*partition_find_first_err)(esp_partition_type_t type, esp_partition_subtype_t subtype,
                                          const char *label, const esp_partition_t **partition);
    const esp_partition_t *(*partition_get)(esp_partition_iterator_t it);
    esp_partition_iterator_t (*partition_next)(esp_partition_iterator_t it);
    void (*partition_iterator_release)(esp_partition_iterator_t it);
    esp_err_t (*partition_verify_err)(const esp_partition_t *partition, const esp_partition_t **out_partition);
    esp_err_t (*partition_read)(const esp_partition_t *partition, size_t src_offset, void *dst, size_t size);
    esp_err_t (*partition_read_raw)(const esp_partition_t *partition, size_t src_offset, void *dst, size_t size);
    esp_err_t (*partition_write)(const esp_partition_t *partition, size_t dst_offset, const void *src, size_t size);
    esp_err_t (*partition_write_raw)(const esp_partition_t *partition, size_t dst_offset, const void *src,
                                     size_t size);
    esp_err_t (*partition_erase_range)(const esp_partition_t *partition, size_t offset, size_t size);
    esp_err_t (*partition_mmap)(const esp_partition_t *partition, size_t offset, size_t size,
                                esp_partition_mmap_flag_t flags, const void **out_ptr,
                                esp_partition_mmap_handle_t *out_handle);
    void (*partition_munmap)(esp_partition_mmap_handle_t handle);
} mmsim_driver_t;

/* The driver machine m runs (never NULL for an open machine).  A NULL machine is
 * MMSIM_ERR_ARG (mmsim_last_error) and returns NULL. */
const mmsim_driver_t *mmsim_driver(const mmsim_t *m);

/* The ESP-IDF release this mmsim was built against ("v6.2.0"), or NULL when it was
 * built without -DMMSIM_IDF_PATH (MMSIM_DRIVER_IDF then fails to open with
 * MMSIM_ERR_BOOT).  Never fails: NULL is an answer, not an error, and the last error
 * is left as it was. */
const char *mmsim_idf_release(void);

/* Whether that checkout has a port of CHIP ("esp32s31": components/esp_mm/port/<chip>;
 * older releases lack the newer chips, whose machines then cannot open on
 * MMSIM_DRIVER_IDF).  False without a checkout or for a NULL chip; never fails. */
bool mmsim_idf_has_chip(const char *chip);

#ifdef __cplusplus
}
#endif

#endif
