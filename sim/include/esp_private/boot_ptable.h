/* esp_private/boot_ptable.h - the partition table as the bootloader read it.  On the
 * chip the bootloader reads the table at CONFIG_PARTITION_TABLE_OFFSET at every boot
 * and checks it before it starts the app; the simulated boot reads the same bytes
 * (boot.c) and keeps them, and the partition code makes the bootloader's check of
 * them where the app first reads the table (core/esp_flash_partitions.c), so that the
 * verdict is the bootloader's at boot whatever the app wrote to flash since. */
#ifndef MMSIM_ESP_PRIVATE_BOOT_PTABLE_H
#define MMSIM_ESP_PRIVATE_BOOT_PTABLE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The 0xC00 bytes (ESP_PARTITION_TABLE_MAX_LEN) read at the table offset at the last
 * boot, or NULL with no chip bound.  Valid until the chip is closed or reset. */
const uint8_t *boot_ptable(void);

#ifdef __cplusplus
}
#endif

#endif
