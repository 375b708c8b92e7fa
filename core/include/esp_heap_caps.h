/* esp_heap_caps.h - the MALLOC_CAP_* bits of ESP-IDF (same values) that the memory
 * drivers take as arguments.  The host has no capability heaps. */
#ifndef MMSIM_ESP_HEAP_CAPS_H
#define MMSIM_ESP_HEAP_CAPS_H

#define MALLOC_CAP_EXEC (1 << 0)
#define MALLOC_CAP_32BIT (1 << 1)
#define MALLOC_CAP_8BIT (1 << 2)
#define MALLOC_CAP_DMA (1 << 3)
#define MALLOC_CAP_SPIRAM (1 << 10)
#define MALLOC_CAP_INTERNAL (1 << 11)
#define MALLOC_CAP_DEFAULT (1 << 12)

#endif
