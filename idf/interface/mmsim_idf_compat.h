/* mmsim_idf_compat.h - the contract between an ESP-IDF driver library (idf/compat/ and
 * upstream's sources) and libmmsim's loader (sim/driver.c): the allocation tracker
 * every host allocation of an ESP-IDF driver build goes through (heap_caps_* and, via
 * the linker's --wrap, malloc/calloc/realloc/free), and the variant description the
 * loader checks.  Not an ESP-IDF header. */
#ifndef MMSIM_IDF_COMPAT_H
#define MMSIM_IDF_COMPAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Tracked host allocation (alignment: max_align_t).  NULL for size 0, as ESP-IDF's
 * heap returns NULL for a zero-size request (himem relies on it). */
void *mmsim_idf_alloc(size_t size, bool zero);
void *mmsim_idf_realloc(void *ptr, size_t size);
void mmsim_idf_free(void *ptr);
/* Blocks currently held, and freeing them all (when the driver is unloaded). */
size_t mmsim_idf_alloc_live(void);
void mmsim_idf_alloc_release_all(void);
/* Fail the next `n`-th allocation from now (1 = the next one); 0 disables.  For tests
 * of the drivers' out-of-memory paths. */
void mmsim_idf_alloc_fail_at(unsigned n);

/* The compile-time values one ESP-IDF driver build was made with (from its generated
 * sdkconfig.h and mmsim_idf_soc.h); the loader refuses a build whose values disagree
 * with the machine it is to drive. */
typedef struct {
    const char *chip;
    const char *idf_version;     /* the checkout's release, e.g. "v5.5.5" or "v6.1-dev" */
    uint32_t mmu_page_size;
    uint32_t cores;
    uint32_t region_num;
    uint32_t linear_addr_mask;
    uint32_t bankswitch_reserve; /* 0 without himem */
    uint32_t cache_writeback, cache_freeze, spiram_supported, per_ext_mem_target;
    uint32_t extram_data_low, extram_data_high;
    uint32_t cache_level_int, cache_level_ext;
    uint32_t cache_32bit_addr;   /* CONFIG_BOOTLOADER_CACHE_32BIT_ADDR_QUAD/OCTAL_FLASH */
    uint32_t secure_enable_tee;  /* CONFIG_SECURE_ENABLE_TEE */
    uint32_t spiram_xip;         /* CONFIG_SPIRAM_FETCH_INSTRUCTIONS (2) | CONFIG_SPIRAM_RODATA (1) */
    uint32_t partition_table_md5; /* CONFIG_PARTITION_TABLE_MD5 */
} mmsim_idf_variant_t;

/* The stand-in address esp_cpu_get_sp returns: the host stack counts as internal DRAM
 * (upstream asserts the stack is in DRAM before freezing the cache). */
#define MMSIM_IDF_STACK_STANDIN 0x3FC80000u

#ifdef __cplusplus
}
#endif

#endif
