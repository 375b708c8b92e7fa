/* dispatch.c - the driver API as Espressif's test files call it (renamed by
 * include/mmsim_idftest_api.h), each call sent to the entry point of the driver the
 * case's machine runs: ours or ESP-IDF's (mmsim_driver).  A driver without the call (a
 * NULL entry, e.g. esp_mmu_map_virt before ESP-IDF v6.1) answers ESP_ERR_NOT_SUPPORTED,
 * or NULL / 0 where the call has no error code, after saying so on stderr. */
#include <stdio.h>

#include "mmsim_driver.h"
#include "mmsim_idftest.h"

static const mmsim_driver_t *drv(void) { return mmsim_driver(mmsim_idftest_machine()); }

static int missing(const void *entry, const char *name)
{
    if (entry)
        return 0;
    fprintf(stderr, "idf_tests: the %s driver has no %s\n", drv()->name, name);
    return 1;
}

#define CALL_ERR(member, name, ...) \
    (missing((const void *)drv()->member, name) ? ESP_ERR_NOT_SUPPORTED : drv()->member(__VA_ARGS__))

esp_err_t mmsim_idftest_esp_mmu_map(esp_paddr_t paddr, size_t size, mmu_target_t target, mmu_mem_caps_t caps,
                                    int flags, void **out_ptr)
{
    return CALL_ERR(mmu_map, "esp_mmu_map", paddr, size, target, caps, flags, out_ptr);
}

esp_err_t mmsim_idftest_esp_mmu_map_virt(esp_vaddr_t vaddr, esp_paddr_t paddr, size_t size, mmu_target_t target,
                                         mmu_mem_caps_t caps, int flags, void **out_ptr)
{
    return CALL_ERR(mmu_map_virt, "esp_mmu_map_virt", vaddr, paddr, size, target, caps, flags, out_ptr);
}

esp_err_t mmsim_idftest_esp_mmu_unmap(void *ptr) { return CALL_ERR(mmu_unmap, "esp_mmu_unmap", ptr); }

esp_err_t mmsim_idftest_esp_mmu_map_get_max_consecutive_free_block_size(mmu_mem_caps_t caps, mmu_target_t target,
                                                                        size_t *out_len)
{
    return CALL_ERR(mmu_map_get_max_consecutive_free_block_size, "esp_mmu_map_get_max_consecutive_free_block_size",
                    caps, target, out_len);
}

esp_err_t mmsim_idftest_esp_mmu_map_dump_mapped_blocks(FILE *stream)
{
    return CALL_ERR(mmu_map_dump_mapped_blocks, "esp_mmu_map_dump_mapped_blocks", stream);
}

esp_err_t mmsim_idftest_esp_mmu_vaddr_to_paddr(void *vaddr, esp_paddr_t *out_paddr, mmu_target_t *out_target)
{
    return CALL_ERR(mmu_vaddr_to_paddr, "esp_mmu_vaddr_to_paddr", vaddr, out_paddr, out_target);
}

esp_err_t mmsim_idftest_esp_mmu_paddr_to_vaddr(esp_paddr_t paddr, mmu_target_t target, mmu_vaddr_t type,
                                               void **out_vaddr)
{
    return CALL_ERR(mmu_paddr_to_vaddr, "esp_mmu_paddr_to_vaddr", paddr, target, type, out_vaddr);
}

esp_err_t mmsim_idftest_esp_mmu_paddr_find_caps(const esp_paddr_t paddr, mmu_mem_caps_t *out_caps)
{
    return CALL_ERR(mmu_paddr_find_caps, "esp_mmu_paddr_find_caps", paddr, out_caps);
}

esp_err_t mmsim_idftest_esp_cache_msync(void *addr, size_t size, int flags)
{
    return CALL_ERR(cache_msync, "esp_cache_msync", addr, size, flags);
}

esp_err_t mmsim_idftest_spi_flash_mmap(size_t src_addr, size_t size, spi_flash_mmap_flag_t flags,
                                       const void **out_ptr, spi_flash_mmap_handle_t *out_handle)
{
    return CALL_ERR(spi_flash_mmap, "spi_flash_mmap", src_addr, size, flags, out_ptr, out_handle);
}

esp_err_t mmsim_idftest_spi_flash_mmap_pages(const int *pages, size_t page_count, spi_flash_mmap_flag_t flags,
                                             const void **out_ptr, spi_flash_mmap_handle_t *out_handle)
{
    return CALL_ERR(spi_flash_mmap_pages, "spi_flash_mmap_pages", pages, page_count, flags, out_ptr, out_handle);
}

void mmsim_idftest_spi_flash_munmap(spi_flash_mmap_handle_t handle)
{
    if (!missing((const void *)drv()->spi_flash_munmap, "spi_flash_munmap"))
        drv()->spi_flash_munmap(handle);
}

uint32_t mmsim_idftest_spi_flash_mmap_get_free_pages(spi_flash_mmap_memory_t memory)
{
    return missing((const void *)drv()->spi_flash_mmap_get_free_pages, "spi_flash_mmap_get_free_pages")
               ? 0
               : drv()->spi_flash_mmap_get_free_pages(memory);
}

size_t mmsim_idftest_spi_flash_cache2phys(const void *cached)
{
    return missing((const void *)drv()->spi_flash_cache2phys, "spi_flash_cache2phys")
               ? SPI_FLASH_CACHE2PHYS_FAIL
               : drv()->spi_flash_cache2phys(cached);
}

const void *mmsim_idftest_spi_flash_phys2cache(size_t phys_offs, spi_flash_mmap_memory_t memory)
{
    return missing((const void *)drv()->spi_flash_phys2cache, "spi_flash_phys2cache")
               ? NULL
               : drv()->spi_flash_phys2cache(phys_offs, memory);
}

esp_partition_iterator_t mmsim_idftest_esp_partition_find(esp_partition_type_t type, esp_partition_subtype_t subtype,
                                                          const char *label)
{
    esp_partition_iterator_t it = NULL;
    if (!missing((const void *)drv()->partition_find_err, "esp_partition_find"))
        (void)drv()->partition_find_err(type, subtype, label, &it);
    return it;
}

const esp_partition_t *mmsim_idftest_esp_partition_find_first(esp_partition_type_t type,
                                                              esp_partition_subtype_t subtype, const char *label)
{
    const esp_partition_t *p = NULL;
    if (!missing((const void *)drv()->partition_find_first_err, "esp_partition_find_first") &&
        drv()->partition_find_first_err(type, subtype, label, &p) != ESP_OK)
        p = NULL;
    return p;
}

const esp_partition_t *mmsim_idftest_esp_partition_get(esp_partition_iterator_t it)
{
    return missing((const void *)drv()->partition_get, "esp_partition_get") ? NULL : drv()->partition_get(it);
}

esp_partition_iterator_t mmsim_idftest_esp_partition_next(esp_partition_iterator_t it)
{
    return missing((const void *)drv()->partition_next, "esp_partition_next") ? NULL : drv()->partition_next(it);
}

void mmsim_idftest_esp_partition_iterator_release(esp_partition_iterator_t it)
{
    if (!missing((const void *)drv()->partition_iterator_release, "esp_partition_iterator_release"))
        drv()->partition_iterator_release(it);
}

const esp_partition_t *mmsim_idftest_esp_partition_verify(const esp_partition_t *partition)
{
    const esp_partition_t *p = NULL;
    if (!missing((const void *)drv()->partition_verify_err, "esp_partition_verify") &&
        drv()->partition_verify_err(partition, &p) != ESP_OK)
        p = NULL;
    return p;
}

esp_err_t mmsim_idftest_esp_partition_read(const esp_partition_t *partition, size_t src_offset, void *dst,
                                           size_t size)
{
    return CALL_ERR(partition_read, "esp_partition_read", partition, src_offset, dst, size);
}

esp_err_t mmsim_idftest_esp_partition_read_raw(const esp_partition_t *partition, size_t src_offset, void *dst,
                                               size_t size)
{
    return CALL_ERR(partition_read_raw, "esp_partition_read_raw", partition, src_offset, dst, size);
}

esp_err_t mmsim_idftest_esp_partition_write(const esp_partition_t *partition, size_t dst_offset, const void *src,
                                            size_t size)
{
    return CALL_ERR(partition_write, "esp_partition_write", partition, dst_offset, src, size);
}

esp_err_t mmsim_idftest_esp_partition_write_raw(const esp_partition_t *partition, size_t dst_offset,
                                                const void *src, size_t size)
{
    return CALL_ERR(partition_write_raw, "esp_partition_write_raw", partition, dst_offset, src, size);
}

esp_err_t mmsim_idftest_esp_partition_erase_range(const esp_partition_t *partition, size_t offset, size_t size)
{
    return CALL_ERR(partition_erase_range, "esp_partition_erase_range", partition, offset, size);
}

esp_err_t mmsim_idftest_esp_partition_mmap(const esp_partition_t *partition, size_t offset, size_t size,
                                           esp_partition_mmap_flag_t flags, const void **out_ptr,
                                           esp_partition_mmap_handle_t *out_handle)
{
    return CALL_ERR(partition_mmap, "esp_partition_mmap", partition, offset, size, flags, out_ptr, out_handle);
}

void mmsim_idftest_esp_partition_munmap(esp_partition_mmap_handle_t handle)
{
    if (!missing((const void *)drv()->partition_munmap, "esp_partition_munmap"))
        drv()->partition_munmap(handle);
}

esp_err_t mmsim_idftest_esp_flash_read(esp_flash_t *chip, void *buffer, uint32_t address, uint32_t length)
{
    return CALL_ERR(flash_read, "esp_flash_read", chip, buffer, address, length);
}

esp_err_t mmsim_idftest_esp_flash_write(esp_flash_t *chip, const void *buffer, uint32_t address, uint32_t length)
{
    return CALL_ERR(flash_write, "esp_flash_write", chip, buffer, address, length);
}

esp_err_t mmsim_idftest_esp_flash_erase_region(esp_flash_t *chip, uint32_t start, uint32_t len)
{
    return CALL_ERR(flash_erase_region, "esp_flash_erase_region", chip, start, len);
}
