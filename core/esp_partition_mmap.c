/* esp_partition_mmap.c - a partition's flash mapped into the address space
 * (esp_partition_mmap, esp_partition_munmap), over the spi_flash mmap family
 * (components/esp_partition/partition_target.c's behaviour): the range is checked
 * against the partition, mapped from the MMU page it starts in, and the pointer
 * returned at the requested byte. */
#include <stddef.h>
#include <stdint.h>

#include "esp_flash.h"
#include "esp_partition.h"
#include "esp_system.h"
#include "sdkconfig.h"
#include "spi_flash_mmap.h"

_Static_assert((int)ESP_PARTITION_MMAP_DATA == (int)SPI_FLASH_MMAP_FLAG_DATA &&
                   (int)ESP_PARTITION_MMAP_INST == (int)SPI_FLASH_MMAP_FLAG_INST &&
                   (int)ESP_PARTITION_MMAP_BLOCKS_WRITE == (int)SPI_FLASH_MMAP_FLAG_BLOCKS_WRITE,
               "the partition mmap flags are spi_flash_mmap's");

esp_err_t esp_partition_mmap(const esp_partition_t *partition, size_t offset, size_t size,
                             esp_partition_mmap_flag_t flags, const void **out_ptr,
                             esp_partition_mmap_handle_t *out_handle)
{
    if (!partition) { /* upstream asserts: the chip stops */
        esp_system_abort("esp_partition_mmap: NULL partition (assert)");
        return ESP_ERR_INVALID_ARG;
    }
    if (offset > partition->size)
        return ESP_ERR_INVALID_ARG;
    if (size > partition->size - offset)
        return ESP_ERR_INVALID_SIZE;
    if (partition->flash_chip != esp_flash_default_chip)
        return ESP_ERR_NOT_SUPPORTED;
    /* Mapped from the start of the MMU page the range begins in; the caller's pointer
     * is advanced to its byte, so munmap still gets the whole mapping back. */
    size_t phys = partition->address + offset;
    size_t in_page = phys & (CONFIG_MMU_PAGE_SIZE - 1u);
    esp_err_t rc = spi_flash_mmap(phys - in_page, size + in_page, (spi_flash_mmap_flag_t)flags, out_ptr,
                                  (spi_flash_mmap_handle_t *)out_handle);
    if (rc == ESP_OK)
        *out_ptr = (const uint8_t *)*out_ptr + in_page;
    return rc;
}

void esp_partition_munmap(esp_partition_mmap_handle_t handle) { spi_flash_munmap((spi_flash_mmap_handle_t)handle); }
