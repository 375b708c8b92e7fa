/* driver.c - the driver tables of mmsim_driver.h: ours, and the loader of ESP-IDF's
 * driver libraries (idf/).
 *
 * Each ESP-IDF library is dlopen'ed RTLD_LOCAL, so its public names (the same as
 * core's) stay out of the global scope, and it resolves the HAL from libmmsim.  Its
 * state lives in upstream's file-scope statics: one machine per library at a time,
 * and a fresh dlopen per machine starts it as a reboot would. */
#include "driver.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmsim_idf_compat.h"
#include "esp_private/esp_mmu_map_private.h"
#include "esp_private/esp_psram_boot.h"

const mmsim_driver_t driver_ours = {
    .name = "ours",
    .release = "",
    .mmu_map = esp_mmu_map,
    .mmu_map_virt = esp_mmu_map_virt,
    .mmu_unmap = esp_mmu_unmap,
    .mmu_map_get_max_consecutive_free_block_size = esp_mmu_map_get_max_consecutive_free_block_size,
    .mmu_map_dump_mapped_blocks = esp_mmu_map_dump_mapped_blocks,
    .mmu_vaddr_to_paddr = esp_mmu_vaddr_to_paddr,
    .mmu_paddr_to_vaddr = esp_mmu_paddr_to_vaddr,
    .mmu_paddr_find_caps = esp_mmu_paddr_find_caps,
    .cache_msync = esp_cache_msync,
    .cache_get_line_size_by_addr = esp_cache_get_line_size_by_addr,
    .flash_read = esp_flash_read,
    .flash_write = esp_flash_write,
    .flash_erase_region = esp_flash_erase_region,
    .himem_alloc = esp_himem_alloc,
    .himem_free = esp_himem_free,
    .himem_alloc_map_range = esp_himem_alloc_map_range,
    .himem_free_map_range = esp_himem_free_map_range,
    .himem_map = esp_himem_map,
    .himem_unmap = esp_himem_unmap,
    .himem_get_phys_size = esp_himem_get_phys_size,
    .himem_get_free_size = esp_himem_get_free_size,
    .himem_reserved_area_size = esp_himem_reserved_area_size,
    .spi_flash_mmap = spi_flash_mmap,
    .spi_flash_mmap_pages = spi_flash_mmap_pages,
    .spi_flash_munmap = spi_flash_munmap,
    .spi_flash_mmap_get_free_pages = spi_flash_mmap_get_free_pages,
    .spi_flash_cache2phys = spi_flash_cache2phys,
    .spi_flash_phys2cache = spi_flash_phys2cache,
    .partition_find_err = esp_partition_find_err,
    .partition_find_first_err = esp_partition_find_first_err,
    .partition_get = esp_partition_get,
    .partition_next = esp_partition_next,
    .partition_iterator_release = esp_partition_iterator_release,
    .partition_verify_err = esp_partition_verify_err,
    .partition_read = esp_partition_read,
    .partition_read_raw = esp_partition_read_raw,
    .partition_write = esp_partition_write,
    .partition_write_raw = esp_partition_write_raw,
    .partition_erase_range = esp_partition_erase_range,
    .partition_mmap = esp_partition_mmap,
    .partition_munmap = esp_partition_munmap,
};

#ifdef MMSIM_IDF_LIB_DIR

const char *mmsim_idf_release(void) { return MMSIM_IDF_RELEASE; }

bool mmsim_idf_has_chip(const char *chip)
{
    if (!chip || !*chip || strchr(chip, ','))
        return false;
    size_t len = strlen(chip);
    for (const char *p = strstr(MMSIM_IDF_PORTS, chip); p; p = strstr(p + 1, chip))
        if (p[-1] == ',' && p[len] == ',')
            return true;
    return false;
}

/* The paths in use (one machine per library at a time). */
static pthread_mutex_t s_mu = PTHREAD_MUTEX_INITIALIZER;
static char *s_in_use[64];

static bool claim(const char *path)
{
    pthread_mutex_lock(&s_mu);
    bool ok = true;
    size_t free_slot = sizeof s_in_use / sizeof s_in_use[0];
    for (size_t i = 0; i < sizeof s_in_use / sizeof s_in_use[0]; i++) {
        if (s_in_use[i] && strcmp(s_in_use[i], path) == 0)
            ok = false;
        else if (!s_in_use[i] && free_slot == sizeof s_in_use / sizeof s_in_use[0])
            free_slot = i;
    }
    if (ok && free_slot < sizeof s_in_use / sizeof s_in_use[0] && (s_in_use[free_slot] = strdup(path)))
        ok = true;
    else
        ok = false;
    pthread_mutex_unlock(&s_mu);
    return ok;
}

static void release(const char *path)
{
    pthread_mutex_lock(&s_mu);
    for (size_t i = 0; i < sizeof s_in_use / sizeof s_in_use[0]; i++)
        if (s_in_use[i] && strcmp(s_in_use[i], path) == 0) {
            free(s_in_use[i]);
            s_in_use[i] = NULL;
        }
    pthread_mutex_unlock(&s_mu);
}

/* The compiled-in configuration against the machine's; the first difference. */
static const char *variant_mismatch(const mmsim_idf_variant_t *v, const chipdef_t *c)
{
    if (strcmp(v->chip, c->name) != 0)
        return "chip";
    if (v->mmu_page_size != chipdef_page_size(c))
        return "MMU page size";
    if (v->cores != c->cores)
        return "core count";
    if (v->region_num != c->region_count)
        return "region count";
    if (v->linear_addr_mask != c->linear_mask)
        return "linear address mask";
    if (v->cache_writeback != c->cache_writeback_supported || v->cache_freeze != c->cache_freeze_supported ||
        v->spiram_supported != c->spiram_supported)
        return "cache or PSRAM capabilities";
    if (v->per_ext_mem_target != (c->mmu_scope == CHIPDEF_MMU_PER_TARGET))
        return "MMU scope";
    if (v->cache_level_int != c->cache_level_int || v->cache_level_ext != c->cache_level_ext)
        return "cache levels";
    if (c->himem.enabled && v->bankswitch_reserve != c->config.spiram_bankswitch_reserve)
        return "spiram_bankswitch_reserve";
    if (v->cache_32bit_addr != (uint32_t)c->config.cache_32bit_addr)
        return "bootloader_cache_32bit_addr";
    if (v->secure_enable_tee != (uint32_t)c->config.secure_enable_tee)
        return "secure_enable_tee";
    if (v->spiram_xip != ((c->config.spiram_fetch_instructions ? 2u : 0u) | (c->config.spiram_rodata ? 1u : 0u)))
        return "spiram_xip_from_psram (SPIRAM_FETCH_INSTRUCTIONS, SPIRAM_RODATA)";
    if (v->partition_table_md5 != (uint32_t)c->config.partition_table_md5)
        return "partition_table_md5 (CONFIG_PARTITION_TABLE_MD5)";
    return NULL;
}

/* "libmmsim_idf_<chip>.so", with "_<N>k" where the page size is configurable (it is
 * compiled into ext_mem_layout.c), "_r<R>" on ESP32 (himem's reserve is compiled in),
 * then "_a32" with bootloader_cache_32bit_addr (flash_mmap.c tests it in #if),
 * "_tee" with secure_enable_tee (ext_mem_layout.c does) and "_xip" with XIP from PSRAM
 * (flash_mmap.c does; "_xip_text"/"_xip_rodata" for S2/S3's single options, which no
 * variant is built for), then "_nomd5" without partition_table_md5 (partition.c tests
 * CONFIG_PARTITION_TABLE_MD5 in #if; none is built either: scn_exec.c skips such a
 * scenario on ESP-IDF's driver); the names idf/CMakeLists.txt gives the variants. */
static void library_name(const chipdef_t *c, char *buf, size_t len)
{
    char suffix[32] = "";
    if (__builtin_popcount(c->page_sizes) > 1)
        snprintf(suffix, sizeof suffix, "_%uk", (unsigned)(chipdef_page_size(c) / 1024u));
    else if (c->himem.enabled)
        snprintf(suffix, sizeof suffix, "_r%u", (unsigned)c->config.spiram_bankswitch_reserve);
    const bool text = c->config.spiram_fetch_instructions, ro = c->config.spiram_rodata;
    snprintf(buf, len, "libmmsim_idf_%s%s%s%s%s%s.so", c->name, suffix, c->config.cache_32bit_addr ? "_a32" : "",
             c->config.secure_enable_tee ? "_tee" : "",
             text && ro ? "_xip" : text ? "_xip_text" : ro ? "_xip_rodata" : "",
             c->config.partition_table_md5 ? "" : "_nomd5");
}

#define SYM(field, name)                                                        \
    do {                                                                        \
        *(void **)&d->field = dlsym(d->dl, name);                               \
    } while (0)

int driver_idf_load(const chipdef_t *c, driver_idf_t **out, char *err, size_t len)
{
    const char *dir = getenv("MMSIM_IDF_LIB_DIR");
    if (!dir || !*dir)
        dir = MMSIM_IDF_LIB_DIR;
    char name[128], path[4096];
    library_name(c, name, sizeof name);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (!claim(path)) {
        snprintf(err, len, "%s: the ESP-IDF driver %s is in use by another machine of this process (its state is "
                           "global, as on the chip): close that machine first", c->name, name);
        return -1;
    }
    driver_idf_t *d = calloc(1, sizeof *d);
    if (!d || !(d->path = strdup(path))) {
        free(d);
        release(path);
        snprintf(err, len, "%s: out of memory loading %s", c->name, name);
        return -1;
    }
    d->dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!d->dl) {
        snprintf(err, len, "%s: no ESP-IDF driver for this chip and config (%s)", c->name, dlerror());
        driver_idf_unload(d);
        return -1;
    }
    const mmsim_idf_variant_t *v = dlsym(d->dl, "mmsim_idf_variant");
    const char *bad = v ? variant_mismatch(v, c) : "no variant description";
    if (bad) {
        snprintf(err, len, "%s: %s was built for another configuration (%s differs)", c->name, name, bad);
        driver_idf_unload(d);
        return -1;
    }
    d->ops.name = "idf";
    d->ops.release = v->idf_version;
    SYM(ops.mmu_map, "esp_mmu_map");
    SYM(ops.mmu_map_virt, "esp_mmu_map_virt");
    SYM(ops.mmu_unmap, "esp_mmu_unmap");
    SYM(ops.mmu_map_get_max_consecutive_free_block_size, "esp_mmu_map_get_max_consecutive_free_block_size");
    SYM(ops.mmu_map_dump_mapped_blocks, "esp_mmu_map_dump_mapped_blocks");
    SYM(ops.mmu_vaddr_to_paddr, "esp_mmu_vaddr_to_paddr");
    SYM(ops.mmu_paddr_to_vaddr, "esp_mmu_paddr_to_vaddr");
    SYM(ops.mmu_paddr_find_caps, "esp_mmu_paddr_find_caps");
    SYM(ops.cache_msync, "esp_cache_msync");
    SYM(ops.cache_get_line_size_by_addr, "esp_cache_get_line_size_by_addr");
    SYM(ops.flash_read, "esp_flash_read");
    SYM(ops.flash_write, "esp_flash_write");
    SYM(ops.flash_erase_region, "esp_flash_erase_region");
    SYM(ops.himem_alloc, "esp_himem_alloc");
    SYM(ops.himem_free, "esp_himem_free");
    SYM(ops.himem_alloc_map_range, "esp_himem_alloc_map_range");
    SYM(ops.himem_free_map_range, "esp_himem_free_map_range");
    SYM(ops.himem_map, "esp_himem_map");
    SYM(ops.himem_unmap, "mmsim_idf_himem_unmap"); /* esp_himem_unmap + the checker's hint */
    SYM(ops.himem_get_phys_size, "esp_himem_get_phys_size");
    SYM(ops.himem_get_free_size, "esp_himem_get_free_size");
    SYM(ops.himem_reserved_area_size, "esp_himem_reserved_area_size");
    SYM(ops.spi_flash_mmap, "spi_flash_mmap");
    SYM(ops.spi_flash_mmap_pages, "spi_flash_mmap_pages");
    SYM(ops.spi_flash_munmap, "spi_flash_munmap");
    SYM(ops.spi_flash_mmap_get_free_pages, "spi_flash_mmap_get_free_pages");
    SYM(ops.spi_flash_cache2phys, "spi_flash_cache2phys");
    SYM(ops.spi_flash_phys2cache, "spi_flash_phys2cache");
    /* The finds make the simulated bootloader's check of the table first (as ours do). */
    SYM(ops.partition_find_err, "mmsim_idf_partition_find_err");
    SYM(ops.partition_find_first_err, "mmsim_idf_partition_find_first_err");
    SYM(ops.partition_get, "esp_partition_get");
    SYM(ops.partition_next, "esp_partition_next");
    SYM(ops.partition_iterator_release, "esp_partition_iterator_release");
    SYM(ops.partition_verify_err, "mmsim_idf_partition_verify_err");
    SYM(ops.partition_read, "esp_partition_read");
    SYM(ops.partition_read_raw, "esp_partition_read_raw");
    SYM(ops.partition_write, "esp_partition_write");
    SYM(ops.partition_write_raw, "esp_partition_write_raw");
    SYM(ops.partition_erase_range, "esp_partition_erase_range");
    SYM(ops.partition_mmap, "esp_partition_mmap");
    SYM(ops.partition_munmap, "esp_partition_munmap");
    SYM(spi_flash_init, "mmsim_idf_spi_flash_init");
    SYM(mmu_map_init, "esp_mmu_map_init");
    SYM(psram_heap_map, "esp_psram_heap_map");
    SYM(release_all, "mmsim_idf_alloc_release_all");
    if (!d->ops.mmu_map || !d->mmu_map_init || !d->psram_heap_map || !d->release_all) {
        snprintf(err, len, "%s: %s lacks esp_mmu_map, esp_mmu_map_init or the compatibility layer", c->name, name);
        driver_idf_unload(d);
        return -1;
    }
    *out = d;
    return 0;
}

void driver_idf_unload(driver_idf_t *d)
{
    if (!d)
        return;
    if (d->dl) {
        if (d->release_all)
            d->release_all();
        dlclose(d->dl);
    }
    release(d->path);
    free(d->path);
    free(d);
}

#else /* built without an ESP-IDF checkout */

const char *mmsim_idf_release(void) { return NULL; }

bool mmsim_idf_has_chip(const char *chip)
{
    (void)chip;
    return false;
}

int driver_idf_load(const chipdef_t *c, driver_idf_t **out, char *err, size_t len)
{
    (void)out;
    snprintf(err, len, "%s: this mmsim was built without an ESP-IDF checkout (configure with "
                       "-DMMSIM_IDF_PATH=/path/to/esp-idf to run ESP-IDF's driver)", c->name);
    return -1;
}

void driver_idf_unload(driver_idf_t *d) { (void)d; }

#endif
