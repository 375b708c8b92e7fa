/* bootloader_sha.h - the chip's SHA-256 as ESP-IDF's bootloader_support offers it
 * (private_include/bootloader_sha.h: same names and handle type), which partition
 * hashing (esp_partition_get_sha256) uses.  The simulated chip computes it with
 * mmsim's own SHA-256 (firmware/sha256.c). */
#ifndef MMSIM_BOOTLOADER_SHA_H
#define MMSIM_BOOTLOADER_SHA_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef void *bootloader_sha256_handle_t;

/* A new digest; NULL if the host is out of memory. */
bootloader_sha256_handle_t bootloader_sha256_start(void);
void bootloader_sha256_data(bootloader_sha256_handle_t handle, const void *data, size_t data_len);
/* Write the 32-byte digest (digest NULL: none) and free the handle. */
void bootloader_sha256_finish(bootloader_sha256_handle_t handle, uint8_t *digest);

#ifdef __cplusplus
}
#endif

#endif
