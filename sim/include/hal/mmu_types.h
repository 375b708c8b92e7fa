/* hal/mmu_types.h - the MMU types of ESP-IDF's HAL (components/hal/include/hal/mmu_types.h):
 * memory capabilities, page sizes, virtual address types, physical targets, table ids.
 *
 * Names and values are ESP-IDF's, so driver code written for the chip compiles here
 * unchanged; they equal the CHIPDEF_* constants the chip definitions use (checked by
 * _Static_assert in sim/hal_mmu.c). */
#ifndef MMSIM_HAL_MMU_TYPES_H
#define MMSIM_HAL_MMU_TYPES_H

#ifndef BIT
#define BIT(nr) (1UL << (nr))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* What a mapping may be used for (a bit set). */
typedef enum {
    MMU_MEM_CAP_EXEC = BIT(0),
    MMU_MEM_CAP_READ = BIT(1),
    MMU_MEM_CAP_WRITE = BIT(2),
    MMU_MEM_CAP_32BIT = BIT(3),
    MMU_MEM_CAP_8BIT = BIT(4),
} mmu_mem_caps_t;

/* MMU page sizes, in bytes. */
typedef enum {
    MMU_PAGE_8KB = 0x2000,
    MMU_PAGE_SIZE_MIN = MMU_PAGE_8KB,
    MMU_PAGE_16KB = 0x4000,
    MMU_PAGE_32KB = 0x8000,
    MMU_PAGE_64KB = 0x10000,
    MMU_PAGE_128KB = 0x20000,
    MMU_PAGE_256KB = 0x40000,
    MMU_PAGE_SIZE_MAX = MMU_PAGE_256KB,
} mmu_page_size_t;

/* Which view of the virtual space an address is for (a bit set). */
typedef enum {
    MMU_VADDR_DATA = BIT(0),
    MMU_VADDR_INSTRUCTION = BIT(1),
} mmu_vaddr_t;

/* The external memory behind a mapping. */
typedef enum {
    MMU_TARGET_FLASH0 = BIT(0),
    MMU_TARGET_PSRAM0 = BIT(1),
} mmu_target_t;

/* ESP32's per-CPU MMU tables (the mmu_id of its HAL calls). */
typedef enum {
    MMU_TABLE_CORE0,
    MMU_TABLE_CORE1,
} mmu_table_id_t;

#ifdef __cplusplus
}
#endif

#endif
