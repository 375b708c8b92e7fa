/* chipdef_schema.h - private to chipdefs/: the "raw" structs libcyaml loads a chip
 * definition into, mirroring the YAML file key for key, and the schema that describes
 * them (chipdef_schema.c).  Sizes and addresses stay strings here, because libcyaml
 * 1.3.1 reads "64K" as 64; the conversion (chipdef_convert.h) parses them strictly. */
#ifndef MMSIM_CHIPDEF_SCHEMA_H
#define MMSIM_CHIPDEF_SCHEMA_H

#include <stdbool.h>
#include <stdint.h>

#include <cyaml/cyaml.h>

typedef struct {
    char *name;
    uint32_t entries;
    uint32_t targets;
    char *value_mask;
    uint32_t valid_bit;
    bool valid_when_set;
    bool target_reads_index;
    int target_from;
    int32_t flash_bit, psram_bit, sensitive_bit;
    uint32_t max_paddr_pages_flash, max_paddr_pages_psram;
    char **page_size_codes;
    unsigned page_size_codes_count;
} raw_mmu_t;

typedef struct {
    char **page_sizes;
    unsigned page_sizes_count;
    bool auto_page_size;
    char *linear_mask;
    uint32_t linear_pages;
    int scope;
    raw_mmu_t *tables;
    unsigned tables_count;
} raw_mmu_section_t;

typedef struct {
    char *name;
    char *vaddr;
    char *size;
    uint32_t pages;
    uint32_t types;
    uint32_t bus;
    char *mmu;
    uint32_t entry_base;
    char *page_size;
    uint32_t targets;
    uint32_t access;
    char **caches;
    unsigned caches_count;
} raw_window_t;

typedef struct {
    char *name;
    char *start;
    char *end;
    uint32_t pages;
    uint32_t bus;
    uint32_t targets;
    uint32_t caps;
} raw_region_t;

typedef struct {
    char *name;
    uint32_t level;
    int kind;
    bool per_core;
    char *size;
    uint32_t ways;
    uint32_t line_size;
    bool write_back;
    bool physically_tagged;
    char *next;
    uint32_t hit_cycles;
    bool critical_word_first;
    bool writeback_buffer;
    bool store_miss_skips_fill;
    bool store_miss_latency;
    /* What sdkconfig may choose (absent: only the values above). */
    char **allowed_sizes;
    unsigned allowed_sizes_count;
    char **allowed_ways;
    unsigned allowed_ways_count;
    char **allowed_line_sizes;
    unsigned allowed_line_sizes_count;
    uint32_t max_lines;
} raw_cache_t;

typedef struct {
    char *start;
    char *end;
    uint32_t pages;
    uint32_t level;
} raw_msync_window_t;

typedef struct {
    uint32_t level_int;
    uint32_t level_ext;
    uint32_t ext_line_size;
    bool writeback;
    bool freeze;
    raw_msync_window_t *msync_windows;
    unsigned msync_windows_count;
} raw_cache_hal_t;

typedef struct {
    bool spiram_supported;
    bool mmu_map_psram;
    bool cache_32bit_addr_map;
    bool tee_supported;
    char *tee_since;
    bool spiram_xip_supported;
    bool spiram_xip_split_options;
} raw_soc_t;

typedef struct {
    char *vaddr;
    char *size;
    bool exec;
} raw_internal_ram_t;

typedef struct {
    char *max_size;
    uint32_t clock_mhz;
    uint32_t lines;
    bool ddr;
    uint32_t cmd_clocks, addr_clocks, dummy_clocks;
    uint32_t overhead_ns;
    uint32_t page_program_us, sector_erase_us, block_erase_us;
    char *mode;            /* the default mode's name; the phases above are its */
    char **modes;          /* the modes sdkconfig may choose */
    unsigned modes_count;
    char **speeds_mhz;     /* the clocks sdkconfig may choose */
    unsigned speeds_mhz_count;
} raw_spi_t;

typedef struct {
    char *window_vaddr;
    uint32_t window_pages;
    char *page_size;
    uint32_t reserve_min, reserve_max;
} raw_himem_t;

typedef struct {
    char *invalid_entry;
    char *no_window;
} raw_fill_t;

typedef struct {
    char *flash_size;
    char *psram_size;
    char *mmu_page_size;
    char *spiram_bankswitch_reserve;
    char *app_irom_size;
    char *app_drom_size;
    char *partition_table_offset;
    char *app_offset;
    char *dcache_size;
    char *dcache_ways;
    char *dcache_line_size;
    char *icache_size;
    char *icache_ways;
    char *icache_line_size;
    char *l2_cache_size;
    char *l2_cache_line_size;
    char *spiram_speed;
    char *flash_freq;
    char *idf_version;
    char *psram_mode;
    char *partition_table;
    char *bootloader_cache_32bit_addr;
    char *secure_enable_tee;
    char *spiram_mode;
    char *flash_mode;
    char *spiram_fetch_instructions;
    char *spiram_rodata;
    char *spiram_xip_from_psram;
    char *partition_table_md5;
    char *cpu_freq_mhz;
} raw_config_t;

typedef struct {
    char *name;
    char *description;
    uint32_t cores;
    uint32_t cpu_mhz;
    char **cpu_speeds_mhz;
    unsigned cpu_speeds_mhz_count;
    uint32_t cpu_access_cycles;
    raw_mmu_section_t mmu;
    raw_window_t *windows;
    unsigned windows_count;
    raw_region_t *regions;
    unsigned regions_count;
    raw_cache_t *caches;
    unsigned caches_count;
    raw_cache_hal_t cache_hal;
    raw_soc_t soc;
    raw_spi_t flash;
    raw_spi_t *psram;
    raw_himem_t *himem;
    raw_internal_ram_t *internal_ram;
    raw_fill_t fill;
    raw_config_t *config;
} raw_chip_t;

/* The names of enum and flag values as a file writes them.  The writer
 * (chipdef_write.c) prints from the same tables, so what `chip show` writes loads back. */
typedef struct {
    const cyaml_strval_t *v;
    unsigned n;
} chipdef_names_t;
extern const chipdef_names_t chipdef_target_names, chipdef_type_names, chipdef_bus_names, chipdef_cap_names,
    chipdef_scope_names, chipdef_target_from_names, chipdef_kind_names;

/* The whole file: a mapping loaded into a raw_chip_t (free with ydoc_load_free). */
extern const cyaml_schema_value_t chipdef_schema;

#endif
