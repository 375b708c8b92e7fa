/* chipdef.h - the plain parameter structs a simulated chip is built from.
 *
 * This header is the bottom layer of mmsim: no YAML, no SDL, no machine state.
 * chipdefs/ fills these structs from YAML (chipdef_load.h); sim/ builds a machine
 * from them.  Every size is in bytes, every address is a 32-bit chip address, and
 * every enum/flag value that ESP-IDF also defines uses ESP-IDF's value, so the
 * numbers can be passed to the driver unchanged. */
#ifndef MMSIM_CHIPDEF_H
#define MMSIM_CHIPDEF_H

#include <stdbool.h>
#include <stdint.h>

#define CHIPDEF_NAME_MAX 24
#define CHIPDEF_TEXT_MAX 160
#define CHIPDEF_PATH_MAX 512
#define CHIPDEF_MAX_MMUS 2
#define CHIPDEF_MAX_LINE_SIZE 256 /* largest cache line the loader accepts (the machine compares lines in buffers this big) */
#define CHIPDEF_MAX_WINDOWS 12
#define CHIPDEF_MAX_REGIONS 8
#define CHIPDEF_MAX_CACHES 6
#define CHIPDEF_MAX_CORES 2
#define CHIPDEF_MAX_MSYNC_WINDOWS 6
#define CHIPDEF_MAX_PAGE_CODES 4 /* codes of an MMU's own page-size register (S31: 2 bits) */

/* Memory targets (values of ESP-IDF's mmu_target_t). */
#define CHIPDEF_TARGET_FLASH 0x1u
#define CHIPDEF_TARGET_PSRAM 0x2u
#define CHIPDEF_TARGET_INTERNAL 0x4u /* internal RAM: no MMU entry ever names it */

/* Virtual address types (values of ESP-IDF's mmu_vaddr_t). */
#define CHIPDEF_VADDR_DATA 0x1u
#define CHIPDEF_VADDR_INSTRUCTION 0x2u

/* Capabilities (values of ESP-IDF's mmu_mem_caps_t). */
#define CHIPDEF_CAP_EXEC 0x01u
#define CHIPDEF_CAP_READ 0x02u
#define CHIPDEF_CAP_WRITE 0x04u
#define CHIPDEF_CAP_32BIT 0x08u
#define CHIPDEF_CAP_8BIT 0x10u
#define CHIPDEF_CAP_ALL 0x1Fu

/* Cache buses (values of ESP-IDF's cache_bus_mask_t). */
#define CHIPDEF_BUS_IBUS0 0x01u
#define CHIPDEF_BUS_IBUS1 0x02u
#define CHIPDEF_BUS_IBUS2 0x04u
#define CHIPDEF_BUS_DBUS0 0x08u
#define CHIPDEF_BUS_DBUS1 0x10u
#define CHIPDEF_BUS_DBUS2 0x20u

/* Page sizes a chip may allow, as a bit set (bit n = 2^n bytes). */
#define CHIPDEF_PAGE_BIT(size) (1u << (unsigned)__builtin_ctz(size))

typedef enum {
    CHIPDEF_MMU_SHARED = 0,     /* one table for every core and target */
    CHIPDEF_MMU_PER_CPU = 1,    /* ESP32: one table per CPU, written together */
    CHIPDEF_MMU_PER_TARGET = 2, /* ESP32-P4: a flash MMU and a PSRAM MMU */
} chipdef_mmu_scope_t;

/* Where the target of an entry comes from. */
typedef enum {
    CHIPDEF_TARGET_FROM_BIT = 0,    /* a bit in the entry (S2, S3) */
    CHIPDEF_TARGET_FROM_WINDOW = 1, /* the window the entry belongs to (ESP32 PSRAM entries) */
    CHIPDEF_TARGET_FROM_MMU = 2,    /* the MMU itself (P4, and flash-only chips) */
} chipdef_target_from_t;

typedef struct {
    char name[CHIPDEF_NAME_MAX];
    uint32_t entries;              /* entries per table */
    uint32_t tables;               /* per-CPU chips: one per core; else 1 */
    uint32_t targets;              /* targets this MMU can map */
    /* Entry encoding, as the registers hold it. */
    uint32_t value_mask;           /* page-number field */
    uint32_t valid_bit;            /* bit index of the valid/invalid flag */
    bool valid_when_set;           /* C6/H2/P4: a set bit means valid; others: invalid */
    chipdef_target_from_t target_from;
    int32_t flash_bit;             /* bit set for a flash entry, or -1 */
    int32_t psram_bit;             /* bit set for a PSRAM entry, or -1 */
    int32_t sensitive_bit;         /* flash-encryption "sensitive" bit, or -1 */
    /* mmu_ll_get_entry_target reads the content register without writing the index
     * register (C5/C61/H4): it reports the entry the last indexed access left there. */
    bool target_reads_index;
    uint32_t max_paddr_pages_flash; /* paddr reach, in pages of the MMU page size */
    uint32_t max_paddr_pages_psram;
    /* An MMU with a page-size register of its own (ESP32-S31's two): the page size of
     * each register code, in code order.  mmu_ll_set_page_size programs the code of the
     * size it is given, or code 0 for a size without one, so the configured page size
     * may leave this MMU at another (S31 flash: 16 KB -> code 0 = 256 KB).  0 codes: the
     * MMU runs at the chip's configured page size. */
    uint32_t page_size_codes[CHIPDEF_MAX_PAGE_CODES];
    uint32_t page_size_code_count;
    /* The page size of this MMU's entries in force: the configured page size, through
     * the codes above where the MMU has them (set by the loader). */
    uint32_t page_size;
} chipdef_mmu_t;

/* A virtual window: a range of CPU addresses decoded by one MMU. */
typedef struct {
    char name[CHIPDEF_NAME_MAX];
    uint32_t vaddr;      /* first address */
    uint32_t size;       /* bytes */
    uint32_t types;      /* CHIPDEF_VADDR_* it serves (both on shared I/D chips) */
    uint32_t bus;        /* CHIPDEF_BUS_* bit(s) of this window */
    uint32_t mmu;        /* index into chipdef_t.mmus */
    uint32_t entry_base; /* entry id of the window's first page */
    uint32_t page_size;  /* page size of this window's entries (0: the MMU page size) */
    uint32_t targets;    /* targets reachable through it */
    uint32_t access;     /* CHIPDEF_CAP_* the bus allows (no 8BIT: word-only) */
    uint32_t cache;      /* bit set of caches (indices) a CPU access goes through first */
} chipdef_window_t;

/* One row of ESP-IDF's g_mmu_mem_regions[] (before boot coalescing). */
typedef struct {
    char name[CHIPDEF_NAME_MAX];
    uint32_t start; /* linear address */
    uint32_t end;   /* exclusive */
    uint32_t bus;
    uint32_t targets;
    uint32_t caps;
} chipdef_region_t;

typedef enum {
    CHIPDEF_CACHE_UNIFIED = 0,
    CHIPDEF_CACHE_INSTRUCTION = 1,
    CHIPDEF_CACHE_DATA = 2,
} chipdef_cache_kind_t;

typedef struct {
    char name[CHIPDEF_NAME_MAX];
    uint32_t level;        /* ESP-IDF cache level id (CACHE_LL_LEVEL_*) */
    chipdef_cache_kind_t kind;
    bool per_core;         /* one instance per core (ESP32), else shared */
    uint32_t size;
    uint32_t ways;
    uint32_t line_size;
    bool write_back;       /* false: read-only / write-through toward memory */
    bool physically_tagged; /* index/tag from the paddr; Espressif caches use the vaddr */
    uint32_t next;         /* index+1 of the next level cache, 0 = backing store */
    uint32_t hit_cycles;   /* the memory system's cost of a hit, per access */
    /* A fill from the store hands the CPU the bytes it asked for first and streams the
     * rest of the line while the CPU goes on; the next transaction waits for the bus. */
    bool critical_word_first;
    /* A dirty victim's write-back is queued behind the fill that evicts it: the CPU
     * does not wait for it, the next transaction on the bus does. */
    bool writeback_buffer;
    /* A store miss allocates the line without reading it from the store (the stored
     * bytes are the line's; only the victim's write-back is a transfer). */
    bool store_miss_skips_fill;
    /* With store_miss_skips_fill: a store miss still stalls the CPU for the fixed phases
     * of a transaction (command, address, latency, overhead), as long as a load miss
     * waits before its first byte, though no byte is read. */
    bool store_miss_latency;
    /* What sdkconfig may choose for this cache, for `chip show` (the loader checks the
     * config against them): bit n of sizes/lines = 2^n bytes, bit n of ways = n ways;
     * the tag memory's line limit (0: none). */
    uint32_t allowed_sizes, allowed_lines;
    uint64_t allowed_ways;
    uint32_t max_lines;
} chipdef_cache_t;

/* An SPI memory device behind the cache. */
typedef struct {
    uint32_t size;         /* bytes; 0 = absent */
    uint32_t max_size;
    uint32_t clock_mhz;
    uint32_t lines;        /* data lines: 1, 2, 4, 8 or 16 */
    bool ddr;
    uint32_t cmd_clocks;
    uint32_t addr_clocks;
    uint32_t dummy_clocks;
    uint32_t overhead_ns;  /* fixed cost per transaction beyond the phases (fit) */
    char mode[8];          /* the SPI mode in force ("dio", "quad", ...; "" if the file names none) */
    uint32_t modes;        /* the modes sdkconfig may choose: bit i = chipdef_spi_mode_name(i) */
    uint16_t speeds_mhz[8]; /* the clocks sdkconfig may choose (0 ends the list) */
    /* flash only (SPI1 path): */
    uint32_t page_program_us;  /* per 256-byte page */
    uint32_t sector_erase_us;  /* 4 KB */
    uint32_t block_erase_us;   /* 64 KB */
} chipdef_spi_mem_t;

/* An address range that cache_hal_vaddr_to_cache_level_id accepts. */
typedef struct {
    uint32_t start;
    uint32_t end; /* exclusive */
    uint32_t level;
} chipdef_msync_window_t;

typedef struct {
    bool enabled;
    uint32_t window_vaddr;   /* SOC_EXTRAM_DATA_LOW */
    uint32_t window_pages;   /* 128 */
    uint32_t page_size;      /* 32 KB */
    uint32_t reserve_min;
    uint32_t reserve_max;
} chipdef_himem_t;

/* The chip's DMA-capable internal data RAM (SOC_DMA_LOW..SOC_DMA_HIGH): on the data bus
 * at its own address, no MMU and no cache, a word a cycle, reachable by DMA. */
typedef struct {
    uint32_t vaddr;          /* 0 with size 0: not modelled */
    uint32_t size;
    bool exec;               /* the same addresses are also the instruction bus (C6/H2/P4) */
} chipdef_internal_ram_t;

/* Board and Kconfig-like options; the only part `--set key=value` may change. */
typedef struct {
    uint32_t flash_size;
    uint32_t psram_size;
    uint32_t mmu_page_size;
    uint32_t spiram_bankswitch_reserve;
    uint32_t app_irom_size;
    uint32_t app_drom_size;
    uint32_t partition_table_offset; /* CONFIG_PARTITION_TABLE_OFFSET (0x8000) */
    uint32_t app_offset;     /* the flash offset of the app the bootloader maps (0x10000) */
    /* The partition table file to write into flash at boot (.csv or .bin; "" = none: the
     * default table, or a flash image's own).  From the file, relative to its folder;
     * from an override, as given.  Read by the embedding API, never by the machine. */
    char partition_table[CHIPDEF_PATH_MAX];
    char idf_version[CHIPDEF_NAME_MAX];
    uint32_t idf_version_code; /* chipdef_idf_version_code(idf_version) */
    bool psram_lowhigh;      /* ESP32 dual-core low/high PSRAM cache mode */
    /* CONFIG_BOOTLOADER_CACHE_32BIT_ADDR_QUAD_FLASH (or _OCTAL_FLASH on an 8-line
     * flash): the flash cache reaches past 16 MB, so spi_flash_mmap maps there. */
    bool cache_32bit_addr;
    /* CONFIG_SECURE_ENABLE_TEE: ESP-TEE takes the start of the esp_mmu_map region for its
     * IROM and DROM and its last pages for its flash operations (soc.tee_supported). */
    bool secure_enable_tee;
    /* CONFIG_SPIRAM_FETCH_INSTRUCTIONS / CONFIG_SPIRAM_RODATA (both set by
     * CONFIG_SPIRAM_XIP_FROM_PSRAM): the start-up copies the app's IROM / DROM pages to
     * the start of PSRAM and maps their vaddrs there (soc.spiram_xip_supported). */
    bool spiram_fetch_instructions, spiram_rodata;
    /* CONFIG_PARTITION_TABLE_MD5 (true unless the config says false): the app's load of
     * the partition table requires and checks the MD5 record; false, it reads the entries
     * up to the first record that is not one and checks no digest.  The bootloader's
     * check (an MD5 record verified when there is one) is the same either way. */
    bool partition_table_md5;
    /* sdkconfig's cache geometry and SPI clocks and modes (0 / "": the chip's defaults,
     * which the caches and SPI devices above then hold); applied by the loader. */
    uint32_t dcache_size, dcache_ways, dcache_line_size;
    uint32_t icache_size, icache_ways, icache_line_size;
    uint32_t l2_cache_size, l2_cache_line_size;
    uint32_t spiram_speed, flash_freq;
    char spiram_mode[8], flash_mode[8];
    /* CONFIG_ESP_DEFAULT_CPU_FREQ_MHZ (0: the chip's cpu_mhz); the loader checks it
     * against cpu_speeds_mhz and sets cpu_mhz to it. */
    uint32_t cpu_freq_mhz;
} chipdef_config_t;

typedef struct {
    char name[CHIPDEF_NAME_MAX];
    char description[CHIPDEF_TEXT_MAX];
    uint32_t cores;
    uint32_t cpu_mhz;
    /* The CPU clocks sdkconfig may choose (ESP_DEFAULT_CPU_FREQ_MHZ's choices in the
     * chip's Kconfig.cpu), cpu_mhz among them; 0 ends the list. */
    uint16_t cpu_speeds_mhz[8];
    /* CPU cycles an instruction that loads or stores costs beyond the memory system (its
     * share of a copy loop): charged per access, on hits, misses and internal RAM alike. */
    uint32_t cpu_access_cycles;

    uint32_t page_sizes;         /* allowed page sizes, CHIPDEF_PAGE_BIT set */
    uint32_t linear_mask;        /* SOC_MMU_LINEAR_ADDR_MASK (computed for linear_pages) */
    uint32_t linear_pages;       /* if non-zero: mask = pages * page_size - 1 */
    uint32_t mmu_count;
    chipdef_mmu_t mmus[CHIPDEF_MAX_MMUS];
    chipdef_mmu_scope_t mmu_scope;
    uint32_t window_count;
    chipdef_window_t windows[CHIPDEF_MAX_WINDOWS];
    uint32_t region_count;
    chipdef_region_t regions[CHIPDEF_MAX_REGIONS];
    uint32_t cache_count;
    chipdef_cache_t caches[CHIPDEF_MAX_CACHES];

    /* esp_cache_msync facts. */
    uint32_t cache_level_int;    /* CACHE_LL_LEVEL_INT_MEM */
    uint32_t cache_level_ext;    /* CACHE_LL_LEVEL_EXT_MEM */
    uint32_t hal_ext_line_size;  /* non-zero: what cache_hal_get_cache_line_size reports (ESP32: 4) */
    bool cache_writeback_supported; /* SOC_CACHE_WRITEBACK_SUPPORTED */
    bool cache_freeze_supported;    /* SOC_CACHE_FREEZE_SUPPORTED */
    bool spiram_supported;          /* SOC_SPIRAM_SUPPORTED */
    bool mmu_map_psram;             /* esp_mmu_map accepts MMU_TARGET_PSRAM0 */
    bool cache_32bit_addr_map;      /* SOC_SPI_MEM_SUPPORT_CACHE_32BIT_ADDR_MAP */
    bool tee_supported;             /* ESP-IDF offers ESP-TEE (esp_tee/Kconfig.projbuild) */
    uint32_t tee_since;             /* ... from this release (an idf_version code; 0: every one) */
    bool spiram_xip_supported;      /* SOC_SPIRAM_XIP_SUPPORTED: SPIRAM_XIP_FROM_PSRAM is offered */
    /* Kconfig.spiram gives SPIRAM_FETCH_INSTRUCTIONS and SPIRAM_RODATA prompts of their
     * own (ESP32-S2, S3); elsewhere only SPIRAM_XIP_FROM_PSRAM selects them. */
    bool spiram_xip_split_options;
    /* With secure_enable_tee: how far ESP-TEE moved the start of region 0 up and its end
     * down (ext_mem_layout.c); 0 without.  The regions above hold the trimmed range. */
    uint32_t tee_trim_start, tee_trim_end;
    uint32_t msync_window_count;
    chipdef_msync_window_t msync_windows[CHIPDEF_MAX_MSYNC_WINDOWS];

    chipdef_spi_mem_t flash;
    chipdef_spi_mem_t psram;
    chipdef_himem_t himem;
    chipdef_internal_ram_t internal_ram;

    /* What a CPU load from an invalid entry or no window returns. */
    uint32_t fill_invalid_entry;
    uint32_t fill_no_window;

    chipdef_config_t config;
} chipdef_t;

/* ESP-TEE's flash segments at the start of the linear space: esp_tee/Kconfig.projbuild
 * SECURE_TEE_IROM_SIZE and SECURE_TEE_DROM_SIZE, which have no prompt (fixed). */
#define CHIPDEF_TEE_IROM_SIZE 0x20000u
#define CHIPDEF_TEE_DROM_SIZE 0x10000u

/* ESP-IDF versions as major*10000 + minor*100 + patch; master behaves as v6.1. */
#define CHIPDEF_IDF_MASTER 60100u

/* The page size in force (config.mmu_page_size). */
static inline uint32_t chipdef_page_size(const chipdef_t *c) { return c->config.mmu_page_size; }

/* The register code that programming `size` into MMU `u` writes: its index among the
 * MMU's codes, or 0 for a size without one (upstream's `: 0` fall-through). */
static inline uint32_t chipdef_page_code(const chipdef_mmu_t *u, uint32_t size)
{
    for (uint32_t i = 0; i < u->page_size_code_count; i++)
        if (u->page_size_codes[i] == size)
            return i;
    return 0;
}

/* The page size MMU `u` runs at once `size` is programmed into it. */
static inline uint32_t chipdef_page_after_set(const chipdef_mmu_t *u, uint32_t size)
{
    return u->page_size_code_count ? u->page_size_codes[chipdef_page_code(u, size)] : size;
}

/* Whether the chip's ROM cache routines take a cache map (CACHE_MAP_*) naming the caches
 * they act on: ESP32-P4 (external memory behind L2) and ESP32-S31 (an MMU per target,
 * one level), told apart from the by-address ROMs by the definition, not the name. */
static inline bool chipdef_rom_cache_takes_map(const chipdef_t *c)
{
    return c->cache_level_ext == 2u || c->mmu_scope == CHIPDEF_MMU_PER_TARGET;
}

/* The page size of MMU index `mmu`'s entries in force. */
static inline uint32_t chipdef_mmu_page_size(const chipdef_t *c, uint32_t mmu)
{
    return c->mmus[mmu].page_size ? c->mmus[mmu].page_size : chipdef_page_size(c);
}

#endif
