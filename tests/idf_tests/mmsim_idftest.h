/* mmsim_idftest.h - what the runner of Espressif's test files (runner.c) shares with
 * its compatibility functions (compat.c, dispatch.c) and the per-build facts
 * (build_info.c, compiled once per test executable from the CMake description). */
#ifndef MMSIM_IDFTEST_H
#define MMSIM_IDFTEST_H

#include <stdint.h>

#include "mmsim.h"

/* The machine the running case uses (one per case process). */
mmsim_t *mmsim_idftest_machine(void);

/* One test executable: a test app's files compiled for one chip variant and one of the
 * app's sdkconfigs (build_info.c). */
typedef struct {
    const char *app;           /* "flash_mmap" */
    const char *config;        /* "release", "psram" (sdkconfig.ci.<config>) */
    const char *chip;          /* "esp32s3" */
    const char *variant;       /* the ESP-IDF driver library's variant, "esp32c6_64k" */
    const char *const *sets;   /* the board: mmsim_config_t.sets */
    unsigned nsets;
    const char *partitions;    /* the test app's own partitions.csv */
    uint32_t app_offset;       /* its factory partition, where the bootloader maps the app */
    uint32_t mmu_page_size;    /* CONFIG_MMU_PAGE_SIZE the files were compiled with */
} mmsim_idftest_build_t;

extern const mmsim_idftest_build_t mmsim_idftest_build;

/* Where the app's rodata starts in the machine's data window: the first DROM page the
 * bootloader mapped, past the image's 0x20-byte header (as ESP-IDF's images start). */
uint32_t mmsim_idftest_app_rodata(void);
/* The same as what the test files' _rodata_start and _flash_rodata_start stand for
 * (include/mmsim_idftest_api.h). */
int *mmsim_idftest_rodata_start(void);
uint8_t (*mmsim_idftest_flash_rodata_start(void))[];

#endif
