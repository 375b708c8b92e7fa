/* chipdef_schema.c - the libcyaml schema of a chip-definition file: which keys each
 * section has, their types, which are optional, and the names of the enum and flag
 * values (ESP-IDF's numbers, see chipdef.h).  ydoc checks a file against it before
 * libcyaml loads it into the raw structs of chipdef_schema.h. */
#include "chipdef.h"
#include "chipdef_schema.h"

static const cyaml_strval_t target_names[] = {{"flash", CHIPDEF_TARGET_FLASH},
                                              {"psram", CHIPDEF_TARGET_PSRAM}};
static const cyaml_strval_t type_names[] = {{"data", CHIPDEF_VADDR_DATA},
                                            {"instruction", CHIPDEF_VADDR_INSTRUCTION}};
static const cyaml_strval_t bus_names[] = {
    {"ibus0", CHIPDEF_BUS_IBUS0}, {"ibus1", CHIPDEF_BUS_IBUS1}, {"ibus2", CHIPDEF_BUS_IBUS2},
    {"dbus0", CHIPDEF_BUS_DBUS0}, {"dbus1", CHIPDEF_BUS_DBUS1}, {"dbus2", CHIPDEF_BUS_DBUS2}};
static const cyaml_strval_t cap_names[] = {{"exec", CHIPDEF_CAP_EXEC},
                                           {"read", CHIPDEF_CAP_READ},
                                           {"write", CHIPDEF_CAP_WRITE},
                                           {"32bit", CHIPDEF_CAP_32BIT},
                                           {"8bit", CHIPDEF_CAP_8BIT}};
static const cyaml_strval_t scope_names[] = {{"shared", CHIPDEF_MMU_SHARED},
                                             {"per_cpu", CHIPDEF_MMU_PER_CPU},
                                             {"per_target", CHIPDEF_MMU_PER_TARGET}};
static const cyaml_strval_t target_from_names[] = {{"bit", CHIPDEF_TARGET_FROM_BIT},
                                                   {"window", CHIPDEF_TARGET_FROM_WINDOW},
                                                   {"mmu", CHIPDEF_TARGET_FROM_MMU}};
static const cyaml_strval_t kind_names[] = {{"unified", CHIPDEF_CACHE_UNIFIED},
                                            {"instruction", CHIPDEF_CACHE_INSTRUCTION},
                                            {"data", CHIPDEF_CACHE_DATA}};

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define NAMES(a) {a, N(a)}
const chipdef_names_t chipdef_target_names = NAMES(target_names), chipdef_type_names = NAMES(type_names),
                      chipdef_bus_names = NAMES(bus_names), chipdef_cap_names = NAMES(cap_names),
                      chipdef_scope_names = NAMES(scope_names), chipdef_target_from_names = NAMES(target_from_names),
                      chipdef_kind_names = NAMES(kind_names);
#define STR(flags) CYAML_VALUE_STRING(CYAML_FLAG_POINTER | (flags), char, 1, 200)
#define OPT CYAML_FLAG_OPTIONAL
/* Sizes, addresses and masks are loaded as text (libcyaml 1.3.1 reads "64K" as 64) and
 * parsed strictly by the conversion; so are the config values, which overrides replace. */
#define TEXT(key, flags, type, member)                                                             \
    CYAML_FIELD_STRING_PTR(key, CYAML_FLAG_POINTER | (flags), type, member, 1, 40)
/* A name other entries refer to (windows name their MMU, caches their next level). */
#define NAME(key, flags, type, member)                                                             \
    CYAML_FIELD_STRING_PTR(key, CYAML_FLAG_POINTER | (flags), type, member, 1, CHIPDEF_NAME_MAX - 1)

static const cyaml_schema_value_t string_entry = {STR(0)};

static const cyaml_schema_field_t mmu_table_fields[] = {
    NAME("name", 0, raw_mmu_t, name),
    CYAML_FIELD_UINT("entries", CYAML_FLAG_DEFAULT, raw_mmu_t, entries),
    CYAML_FIELD_FLAGS("targets", CYAML_FLAG_DEFAULT, raw_mmu_t, targets, target_names, N(target_names)),
    TEXT("value_mask", 0, raw_mmu_t, value_mask),
    CYAML_FIELD_UINT("valid_bit", CYAML_FLAG_DEFAULT, raw_mmu_t, valid_bit),
    CYAML_FIELD_BOOL("valid_when_set", CYAML_FLAG_DEFAULT, raw_mmu_t, valid_when_set),
    CYAML_FIELD_ENUM("target_from", CYAML_FLAG_DEFAULT, raw_mmu_t, target_from, target_from_names,
                     N(target_from_names)),
    CYAML_FIELD_INT("flash_bit", OPT, raw_mmu_t, flash_bit),
    CYAML_FIELD_INT("psram_bit", OPT, raw_mmu_t, psram_bit),
    CYAML_FIELD_INT("sensitive_bit", OPT, raw_mmu_t, sensitive_bit),
    CYAML_FIELD_BOOL("target_reads_index", OPT, raw_mmu_t, target_reads_index),
    CYAML_FIELD_UINT("max_paddr_pages_flash", OPT, raw_mmu_t, max_paddr_pages_flash),
    CYAML_FIELD_UINT("max_paddr_pages_psram", OPT, raw_mmu_t, max_paddr_pages_psram),
    CYAML_FIELD_SEQUENCE("page_size_codes", CYAML_FLAG_POINTER | OPT, raw_mmu_t, page_size_codes, &string_entry, 1,
                         CHIPDEF_MAX_PAGE_CODES),
    CYAML_FIELD_END};
static const cyaml_schema_value_t mmu_table_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_mmu_t, mmu_table_fields)};

static const cyaml_schema_field_t mmu_fields[] = {
    CYAML_FIELD_SEQUENCE("page_sizes", CYAML_FLAG_POINTER, raw_mmu_section_t, page_sizes,
                         &string_entry, 1, 8),
    CYAML_FIELD_BOOL("auto_page_size", OPT, raw_mmu_section_t, auto_page_size),
    TEXT("linear_mask", OPT, raw_mmu_section_t, linear_mask),
    CYAML_FIELD_UINT("linear_pages", OPT, raw_mmu_section_t, linear_pages),
    CYAML_FIELD_ENUM("scope", CYAML_FLAG_DEFAULT, raw_mmu_section_t, scope, scope_names, N(scope_names)),
    CYAML_FIELD_SEQUENCE("tables", CYAML_FLAG_POINTER, raw_mmu_section_t, tables, &mmu_table_entry, 1,
                         CHIPDEF_MAX_MMUS),
    CYAML_FIELD_END};

static const cyaml_schema_field_t window_fields[] = {
    NAME("name", 0, raw_window_t, name),
    TEXT("vaddr", 0, raw_window_t, vaddr),
    TEXT("size", OPT, raw_window_t, size),
    CYAML_FIELD_UINT("pages", OPT, raw_window_t, pages),
    CYAML_FIELD_FLAGS("types", CYAML_FLAG_DEFAULT, raw_window_t, types, type_names, N(type_names)),
    CYAML_FIELD_FLAGS("bus", CYAML_FLAG_DEFAULT, raw_window_t, bus, bus_names, N(bus_names)),
    NAME("mmu", 0, raw_window_t, mmu),
    CYAML_FIELD_UINT("entry_base", CYAML_FLAG_DEFAULT, raw_window_t, entry_base),
    TEXT("page_size", OPT, raw_window_t, page_size),
    CYAML_FIELD_FLAGS("targets", CYAML_FLAG_DEFAULT, raw_window_t, targets, target_names, N(target_names)),
    CYAML_FIELD_FLAGS("access", CYAML_FLAG_DEFAULT, raw_window_t, access, cap_names, N(cap_names)),
    CYAML_FIELD_SEQUENCE("caches", CYAML_FLAG_POINTER, raw_window_t, caches, &string_entry, 0,
                         CHIPDEF_MAX_CACHES),
    CYAML_FIELD_END};
static const cyaml_schema_value_t window_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_window_t, window_fields)};

static const cyaml_schema_field_t region_fields[] = {
    NAME("name", 0, raw_region_t, name),
    TEXT("start", 0, raw_region_t, start),
    TEXT("end", OPT, raw_region_t, end),
    CYAML_FIELD_UINT("pages", OPT, raw_region_t, pages),
    CYAML_FIELD_FLAGS("bus", CYAML_FLAG_DEFAULT, raw_region_t, bus, bus_names, N(bus_names)),
    CYAML_FIELD_FLAGS("targets", CYAML_FLAG_DEFAULT, raw_region_t, targets, target_names, N(target_names)),
    CYAML_FIELD_FLAGS("caps", CYAML_FLAG_DEFAULT, raw_region_t, caps, cap_names, N(cap_names)),
    CYAML_FIELD_END};
static const cyaml_schema_value_t region_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_region_t, region_fields)};

static const cyaml_schema_field_t cache_fields[] = {
    NAME("name", 0, raw_cache_t, name),
    CYAML_FIELD_UINT("level", CYAML_FLAG_DEFAULT, raw_cache_t, level),
    CYAML_FIELD_ENUM("kind", CYAML_FLAG_DEFAULT, raw_cache_t, kind, kind_names, N(kind_names)),
    CYAML_FIELD_BOOL("per_core", OPT, raw_cache_t, per_core),
    TEXT("size", 0, raw_cache_t, size),
    CYAML_FIELD_UINT("ways", CYAML_FLAG_DEFAULT, raw_cache_t, ways),
    CYAML_FIELD_UINT("line_size", CYAML_FLAG_DEFAULT, raw_cache_t, line_size),
    CYAML_FIELD_BOOL("write_back", CYAML_FLAG_DEFAULT, raw_cache_t, write_back),
    CYAML_FIELD_BOOL("physically_tagged", OPT, raw_cache_t, physically_tagged),
    NAME("next", OPT, raw_cache_t, next),
    CYAML_FIELD_UINT("hit_cycles", OPT, raw_cache_t, hit_cycles),
    CYAML_FIELD_BOOL("critical_word_first", OPT, raw_cache_t, critical_word_first),
    CYAML_FIELD_BOOL("writeback_buffer", OPT, raw_cache_t, writeback_buffer),
    CYAML_FIELD_BOOL("store_miss_skips_fill", OPT, raw_cache_t, store_miss_skips_fill),
    CYAML_FIELD_BOOL("store_miss_latency", OPT, raw_cache_t, store_miss_latency),
    CYAML_FIELD_SEQUENCE("allowed_sizes", CYAML_FLAG_POINTER | OPT, raw_cache_t, allowed_sizes, &string_entry, 1, 8),
    CYAML_FIELD_SEQUENCE("allowed_ways", CYAML_FLAG_POINTER | OPT, raw_cache_t, allowed_ways, &string_entry, 1, 8),
    CYAML_FIELD_SEQUENCE("allowed_line_sizes", CYAML_FLAG_POINTER | OPT, raw_cache_t, allowed_line_sizes,
                         &string_entry, 1, 8),
    CYAML_FIELD_UINT("max_lines", OPT, raw_cache_t, max_lines),
    CYAML_FIELD_END};
static const cyaml_schema_value_t cache_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_cache_t, cache_fields)};

static const cyaml_schema_field_t msync_window_fields[] = {
    TEXT("start", 0, raw_msync_window_t, start),
    TEXT("end", OPT, raw_msync_window_t, end),
    CYAML_FIELD_UINT("pages", OPT, raw_msync_window_t, pages),
    CYAML_FIELD_UINT("level", CYAML_FLAG_DEFAULT, raw_msync_window_t, level),
    CYAML_FIELD_END};
static const cyaml_schema_value_t msync_window_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_msync_window_t, msync_window_fields)};

static const cyaml_schema_field_t cache_hal_fields[] = {
    CYAML_FIELD_UINT("level_int", CYAML_FLAG_DEFAULT, raw_cache_hal_t, level_int),
    CYAML_FIELD_UINT("level_ext", CYAML_FLAG_DEFAULT, raw_cache_hal_t, level_ext),
    CYAML_FIELD_UINT("ext_line_size", OPT, raw_cache_hal_t, ext_line_size),
    CYAML_FIELD_BOOL("writeback", CYAML_FLAG_DEFAULT, raw_cache_hal_t, writeback),
    CYAML_FIELD_BOOL("freeze", CYAML_FLAG_DEFAULT, raw_cache_hal_t, freeze),
    CYAML_FIELD_SEQUENCE("msync_windows", CYAML_FLAG_POINTER, raw_cache_hal_t, msync_windows,
                         &msync_window_entry, 1, CHIPDEF_MAX_MSYNC_WINDOWS),
    CYAML_FIELD_END};

static const cyaml_schema_field_t soc_fields[] = {
    CYAML_FIELD_BOOL("spiram_supported", CYAML_FLAG_DEFAULT, raw_soc_t, spiram_supported),
    CYAML_FIELD_BOOL("mmu_map_psram", CYAML_FLAG_DEFAULT, raw_soc_t, mmu_map_psram),
    CYAML_FIELD_BOOL("cache_32bit_addr_map", CYAML_FLAG_OPTIONAL, raw_soc_t, cache_32bit_addr_map),
    CYAML_FIELD_BOOL("tee_supported", CYAML_FLAG_OPTIONAL, raw_soc_t, tee_supported),
    TEXT("tee_since", OPT, raw_soc_t, tee_since),
    CYAML_FIELD_BOOL("spiram_xip_supported", CYAML_FLAG_OPTIONAL, raw_soc_t, spiram_xip_supported),
    CYAML_FIELD_BOOL("spiram_xip_split_options", CYAML_FLAG_OPTIONAL, raw_soc_t, spiram_xip_split_options),
    CYAML_FIELD_END};

static const cyaml_schema_field_t spi_fields[] = {
    TEXT("max_size", 0, raw_spi_t, max_size),
    CYAML_FIELD_UINT("clock_mhz", CYAML_FLAG_DEFAULT, raw_spi_t, clock_mhz),
    CYAML_FIELD_UINT("lines", CYAML_FLAG_DEFAULT, raw_spi_t, lines),
    CYAML_FIELD_BOOL("ddr", CYAML_FLAG_DEFAULT, raw_spi_t, ddr),
    CYAML_FIELD_UINT("cmd_clocks", CYAML_FLAG_DEFAULT, raw_spi_t, cmd_clocks),
    CYAML_FIELD_UINT("addr_clocks", CYAML_FLAG_DEFAULT, raw_spi_t, addr_clocks),
    CYAML_FIELD_UINT("dummy_clocks", CYAML_FLAG_DEFAULT, raw_spi_t, dummy_clocks),
    CYAML_FIELD_UINT("overhead_ns", OPT, raw_spi_t, overhead_ns),
    CYAML_FIELD_UINT("page_program_us", OPT, raw_spi_t, page_program_us),
    CYAML_FIELD_UINT("sector_erase_us", OPT, raw_spi_t, sector_erase_us),
    CYAML_FIELD_UINT("block_erase_us", OPT, raw_spi_t, block_erase_us),
    NAME("mode", OPT, raw_spi_t, mode),
    CYAML_FIELD_SEQUENCE("modes", CYAML_FLAG_POINTER | OPT, raw_spi_t, modes, &string_entry, 1, 8),
    CYAML_FIELD_SEQUENCE("speeds_mhz", CYAML_FLAG_POINTER | OPT, raw_spi_t, speeds_mhz, &string_entry, 1, 8),
    CYAML_FIELD_END};

static const cyaml_schema_field_t himem_fields[] = {
    TEXT("window_vaddr", 0, raw_himem_t, window_vaddr),
    CYAML_FIELD_UINT("window_pages", CYAML_FLAG_DEFAULT, raw_himem_t, window_pages),
    TEXT("page_size", 0, raw_himem_t, page_size),
    CYAML_FIELD_UINT("reserve_min", CYAML_FLAG_DEFAULT, raw_himem_t, reserve_min),
    CYAML_FIELD_UINT("reserve_max", CYAML_FLAG_DEFAULT, raw_himem_t, reserve_max),
    CYAML_FIELD_END};

static const cyaml_schema_field_t internal_ram_fields[] = {
    TEXT("vaddr", 0, raw_internal_ram_t, vaddr),
    TEXT("size", 0, raw_internal_ram_t, size),
    CYAML_FIELD_BOOL("exec", OPT, raw_internal_ram_t, exec),
    CYAML_FIELD_END};

static const cyaml_schema_field_t fill_fields[] = {
    TEXT("invalid_entry", 0, raw_fill_t, invalid_entry),
    TEXT("no_window", 0, raw_fill_t, no_window),
    CYAML_FIELD_END};

static const cyaml_schema_field_t config_fields[] = {
    TEXT("flash_size", OPT, raw_config_t, flash_size),
    TEXT("psram_size", OPT, raw_config_t, psram_size),
    TEXT("mmu_page_size", OPT, raw_config_t, mmu_page_size),
    TEXT("spiram_bankswitch_reserve", OPT, raw_config_t, spiram_bankswitch_reserve),
    TEXT("app_irom_size", OPT, raw_config_t, app_irom_size),
    TEXT("app_drom_size", OPT, raw_config_t, app_drom_size),
    TEXT("partition_table_offset", OPT, raw_config_t, partition_table_offset),
    TEXT("app_offset", OPT, raw_config_t, app_offset),
    TEXT("dcache_size", OPT, raw_config_t, dcache_size),
    TEXT("dcache_ways", OPT, raw_config_t, dcache_ways),
    TEXT("dcache_line_size", OPT, raw_config_t, dcache_line_size),
    TEXT("icache_size", OPT, raw_config_t, icache_size),
    TEXT("icache_ways", OPT, raw_config_t, icache_ways),
    TEXT("icache_line_size", OPT, raw_config_t, icache_line_size),
    TEXT("l2_cache_size", OPT, raw_config_t, l2_cache_size),
    TEXT("l2_cache_line_size", OPT, raw_config_t, l2_cache_line_size),
    TEXT("spiram_speed", OPT, raw_config_t, spiram_speed),
    TEXT("flash_freq", OPT, raw_config_t, flash_freq),
    TEXT("idf_version", OPT, raw_config_t, idf_version),
    TEXT("psram_mode", OPT, raw_config_t, psram_mode),
    TEXT("partition_table", OPT, raw_config_t, partition_table),
    TEXT("bootloader_cache_32bit_addr", OPT, raw_config_t, bootloader_cache_32bit_addr),
    TEXT("secure_enable_tee", OPT, raw_config_t, secure_enable_tee),
    TEXT("spiram_mode", OPT, raw_config_t, spiram_mode),
    TEXT("flash_mode", OPT, raw_config_t, flash_mode),
    TEXT("spiram_fetch_instructions", OPT, raw_config_t, spiram_fetch_instructions),
    TEXT("spiram_rodata", OPT, raw_config_t, spiram_rodata),
    TEXT("spiram_xip_from_psram", OPT, raw_config_t, spiram_xip_from_psram),
    TEXT("partition_table_md5", OPT, raw_config_t, partition_table_md5),
    TEXT("cpu_freq_mhz", OPT, raw_config_t, cpu_freq_mhz),
    CYAML_FIELD_END};

static const cyaml_schema_field_t chip_fields[] = {
    NAME("name", 0, raw_chip_t, name),
    CYAML_FIELD_STRING_PTR("description", CYAML_FLAG_POINTER | OPT, raw_chip_t, description, 0,
                           CHIPDEF_TEXT_MAX - 1),
    CYAML_FIELD_UINT("cores", CYAML_FLAG_DEFAULT, raw_chip_t, cores),
    CYAML_FIELD_UINT("cpu_mhz", CYAML_FLAG_DEFAULT, raw_chip_t, cpu_mhz),
    CYAML_FIELD_SEQUENCE("cpu_speeds_mhz", CYAML_FLAG_POINTER | OPT, raw_chip_t, cpu_speeds_mhz, &string_entry, 1, 8),
    CYAML_FIELD_UINT("cpu_access_cycles", OPT, raw_chip_t, cpu_access_cycles),
    CYAML_FIELD_MAPPING("mmu", CYAML_FLAG_DEFAULT, raw_chip_t, mmu, mmu_fields),
    CYAML_FIELD_SEQUENCE("windows", CYAML_FLAG_POINTER, raw_chip_t, windows, &window_entry, 1,
                         CHIPDEF_MAX_WINDOWS),
    CYAML_FIELD_SEQUENCE("regions", CYAML_FLAG_POINTER, raw_chip_t, regions, &region_entry, 1,
                         CHIPDEF_MAX_REGIONS),
    CYAML_FIELD_SEQUENCE("caches", CYAML_FLAG_POINTER, raw_chip_t, caches, &cache_entry, 1,
                         CHIPDEF_MAX_CACHES),
    CYAML_FIELD_MAPPING("cache_hal", CYAML_FLAG_DEFAULT, raw_chip_t, cache_hal, cache_hal_fields),
    CYAML_FIELD_MAPPING("soc", CYAML_FLAG_DEFAULT, raw_chip_t, soc, soc_fields),
    CYAML_FIELD_MAPPING("flash", CYAML_FLAG_DEFAULT, raw_chip_t, flash, spi_fields),
    CYAML_FIELD_MAPPING_PTR("psram", CYAML_FLAG_POINTER | OPT, raw_chip_t, psram, spi_fields),
    CYAML_FIELD_MAPPING_PTR("himem", CYAML_FLAG_POINTER | OPT, raw_chip_t, himem, himem_fields),
    CYAML_FIELD_MAPPING_PTR("internal_ram", CYAML_FLAG_POINTER | OPT, raw_chip_t, internal_ram,
                            internal_ram_fields),
    CYAML_FIELD_MAPPING("fill", CYAML_FLAG_DEFAULT, raw_chip_t, fill, fill_fields),
    CYAML_FIELD_MAPPING_PTR("config", CYAML_FLAG_POINTER, raw_chip_t, config, config_fields),
    CYAML_FIELD_END};

const cyaml_schema_value_t chipdef_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, raw_chip_t, chip_fields)};

