/* scn_ops.c - the table of operations: names, arguments, outputs.  The names are
 * ESP-IDF's function names without the esp_/esp_mmu_ prefix where a step calls the
 * driver API (shortened where long: find_caps, max_free, dump, line_size; the
 * esp_flash_* calls keep theirs, flash_* being the raw SPI1 path), and plain words
 * for the hardware paths of mmsim.h and the HAL. */
#include "scn_ops.h"

#include <stdio.h>
#include <string.h>

#include "scn.h"

#define NUM(k) {.key = k, .kind = SCN_ARG_NUM, .required = true}
#define OPT(k) {.key = k, .kind = SCN_ARG_NUM}
#define ARG(k, kind_, req) {.key = k, .kind = kind_, .required = req}
#define NULL_OUT {.key = "null_out", .kind = SCN_ARG_BOOL}
#define CORE {.key = "core", .kind = SCN_ARG_CORE}
/* What one CPU access of a bulk step stands for: its width and the loop's cycles per access. */
#define ACCESS OPT("width"), OPT("cpu_cycles")
/* A write's data: `bytes`, or `size` bytes of a byte `pattern`, a 32-bit `word` or a `seed`. */
#define DATA_ARGS(req)                                                                                      \
    {.key = "bytes", .kind = SCN_ARG_BYTES, .required = req, .oneof = 1, .excludes = "size"},             \
        {.key = "size", .kind = SCN_ARG_NUM},                                                             \
        {.key = "pattern", .kind = SCN_ARG_NUM, .required = req, .oneof = 1, .requires = "size"},         \
        {.key = "word", .kind = SCN_ARG_NUM, .required = req, .oneof = 1, .requires = "size"},            \
        {.key = "seed", .kind = SCN_ARG_NUM, .required = req, .oneof = 1, .requires = "size"}
#define FILL_ARGS                                                                                           \
    NUM("size"), {.key = "pattern", .kind = SCN_ARG_NUM, .required = true, .oneof = 1},                  \
        {.key = "word", .kind = SCN_ARG_NUM, .required = true, .oneof = 1},                               \
        {.key = "seed", .kind = SCN_ARG_NUM, .required = true, .oneof = 1}
#define OUT(k, kind_) {.key = k, .kind = kind_}
/* Which partition: by label, or by the address partition_find saved. */
#define PARTITION_ARGS                                                                                      \
    {.key = "label", .kind = SCN_ARG_TEXT, .required = true, .oneof = 2},                                 \
        {.key = "address", .kind = SCN_ARG_NUM, .required = true, .oneof = 2}

static const scn_op_t ops[] = {
    /* esp_mmu_map.h */
    {.name = "map", .summary = "esp_mmu_map(paddr, size, target, caps, flags, &ptr)",
     .args = {NUM("paddr"), NUM("size"), ARG("target", SCN_ARG_TARGET, true), ARG("caps", SCN_ARG_CAPS, true),
              ARG("flags", SCN_ARG_MAP_FLAGS, false), NULL_OUT},
     .outs = {OUT("ptr", SCN_OUT_NUMBER)}, .run = scn_run_map},
    {.name = "map_virt", .summary = "esp_mmu_map_virt(vaddr, paddr, size, target, caps, flags, &ptr)",
     .args = {NUM("vaddr"), NUM("paddr"), NUM("size"), ARG("target", SCN_ARG_TARGET, true),
              ARG("caps", SCN_ARG_CAPS, true), ARG("flags", SCN_ARG_MAP_FLAGS, false), NULL_OUT},
     .outs = {OUT("ptr", SCN_OUT_NUMBER)}, .run = scn_run_map_virt},
    {.name = "unmap", .summary = "esp_mmu_unmap(vaddr)", .args = {NUM("vaddr")}, .run = scn_run_unmap},
    {.name = "vaddr_to_paddr", .summary = "esp_mmu_vaddr_to_paddr(vaddr, &paddr, &target)",
     .args = {NUM("vaddr"), NULL_OUT}, .outs = {OUT("paddr", SCN_OUT_NUMBER), OUT("target", SCN_OUT_TARGET)},
     .run = scn_run_vaddr_to_paddr},
    {.name = "paddr_to_vaddr", .summary = "esp_mmu_paddr_to_vaddr(paddr, target, type, &vaddr)",
     .args = {NUM("paddr"), ARG("target", SCN_ARG_TARGET, true), ARG("type", SCN_ARG_VTYPE, true), NULL_OUT},
     .outs = {OUT("vaddr", SCN_OUT_NUMBER)}, .run = scn_run_paddr_to_vaddr},
    {.name = "find_caps", .summary = "esp_mmu_paddr_find_caps(paddr, &caps)", .args = {NUM("paddr"), NULL_OUT},
     .outs = {OUT("caps", SCN_OUT_CAPS)}, .run = scn_run_find_caps},
    {.name = "max_free", .summary = "esp_mmu_map_get_max_consecutive_free_block_size(caps, target, &size)",
     .args = {ARG("caps", SCN_ARG_CAPS, true), ARG("target", SCN_ARG_TARGET, true), NULL_OUT},
     .outs = {OUT("size", SCN_OUT_NUMBER)}, .run = scn_run_max_free},
    {.name = "dump", .summary = "esp_mmu_map_dump_mapped_blocks(stream): the text", .outs = {OUT("dump", SCN_OUT_TEXT)},
     .run = scn_run_dump},
    /* esp_cache.h */
    {.name = "msync", .summary = "esp_cache_msync(vaddr, size, flags)",
     .args = {NUM("vaddr"), NUM("size"), ARG("flags", SCN_ARG_SYNC_FLAGS, false)}, .run = scn_run_msync},
    {.name = "line_size", .summary = "esp_cache_get_line_size_by_addr(vaddr)", .args = {NUM("vaddr")},
     .outs = {OUT("size", SCN_OUT_NUMBER)}, .run = scn_run_line_size},
    /* HAL-level cache maintenance */
    {.name = "cache_writeback", .summary = "cache_hal_writeback_addr(vaddr, size); ESP_FAIL if not cacheable",
     .args = {NUM("vaddr"), NUM("size")}, .run = scn_run_cache_writeback},
    {.name = "cache_invalidate", .summary = "cache_hal_invalidate_addr(vaddr, size); ESP_FAIL if not cacheable",
     .args = {NUM("vaddr"), NUM("size")}, .run = scn_run_cache_invalidate},
    {.name = "cache_flush",
     .summary = "invalidate whole caches without write-back (ESP32 Cache_Flush; cache_ll_invalidate_all)",
     .args = {CORE}, .run = scn_run_cache_flush},
    {.name = "cache_writeback_all", .summary = "write back whole caches (cache_ll_writeback_all)", .args = {CORE},
     .run = scn_run_cache_writeback_all},
    /* <chip>/rom/cache.h: the ROM routines code calls directly; map on ESP32-P4 */
    {.name = "rom_cache",
     .summary = "a ROM cache routine by name (call: Cache_WriteBack_Addr, ...) with its addr, size, map, autoload",
     .args = {{.key = "call", .kind = SCN_ARG_ROM_CALL, .required = true}, OPT("addr"), OPT("size"),
              {.key = "map", .kind = SCN_ARG_CACHE_MAP}, OPT("autoload")},
     .outs = {OUT("value", SCN_OUT_NUMBER)}, .run = scn_run_rom_cache, .check = scn_check_rom_cache},
    /* esp32/himem.h */
    {.name = "himem_alloc", .summary = "esp_himem_alloc(size, &handle)", .args = {NUM("size")},
     .outs = {OUT("handle", SCN_OUT_HIMEM)}, .esp32_only = true, .run = scn_run_himem_alloc},
    {.name = "himem_free", .summary = "esp_himem_free(handle)", .args = {ARG("handle", SCN_ARG_HIMEM, true)},
     .esp32_only = true, .run = scn_run_himem_free},
    {.name = "himem_alloc_map_range", .summary = "esp_himem_alloc_map_range(size, &range)", .args = {NUM("size")},
     .outs = {OUT("range", SCN_OUT_RANGE)}, .esp32_only = true, .run = scn_run_himem_alloc_map_range},
    {.name = "himem_free_map_range", .summary = "esp_himem_free_map_range(range)",
     .args = {ARG("range", SCN_ARG_RANGE, true)}, .esp32_only = true, .run = scn_run_himem_free_map_range},
    {.name = "himem_map",
     .summary = "esp_himem_map(handle, range, ram_offset, range_offset, len, flags, &ptr)",
     .args = {ARG("handle", SCN_ARG_HIMEM, true), ARG("range", SCN_ARG_RANGE, true), OPT("ram_offset"),
              OPT("range_offset"), NUM("len"), OPT("flags")},
     .outs = {OUT("ptr", SCN_OUT_NUMBER)}, .esp32_only = true, .run = scn_run_himem_map},
    {.name = "himem_unmap", .summary = "esp_himem_unmap(range, ptr, len)",
     .args = {ARG("range", SCN_ARG_RANGE, true), NUM("ptr"), NUM("len")}, .esp32_only = true,
     .run = scn_run_himem_unmap},
    {.name = "himem_get_phys_size", .summary = "esp_himem_get_phys_size()", .outs = {OUT("size", SCN_OUT_NUMBER)},
     .esp32_only = true, .run = scn_run_himem_get_phys_size},
    {.name = "himem_get_free_size", .summary = "esp_himem_get_free_size()", .outs = {OUT("size", SCN_OUT_NUMBER)},
     .esp32_only = true, .run = scn_run_himem_get_free_size},
    {.name = "himem_reserved_area_size", .summary = "esp_himem_reserved_area_size()",
     .outs = {OUT("size", SCN_OUT_NUMBER)}, .esp32_only = true, .run = scn_run_himem_reserved_area_size},
    /* CPU accesses through window, MMU and caches */
    {.name = "read", .summary = "CPU load of size bytes at vaddr on core (default 0)",
     .args = {NUM("vaddr"), NUM("size"), CORE, ACCESS}, .outs = {OUT("bytes", SCN_OUT_BYTES)}, .run = scn_run_read},
    {.name = "fetch", .summary = "instruction fetch of size bytes at vaddr on core",
     .args = {NUM("vaddr"), NUM("size"), CORE, ACCESS}, .outs = {OUT("bytes", SCN_OUT_BYTES)}, .run = scn_run_fetch},
    {.name = "write", .summary = "CPU store of bytes (or size bytes of pattern/word/seed) at vaddr on core",
     .args = {NUM("vaddr"), DATA_ARGS(true), CORE, ACCESS}, .run = scn_run_write},
    {.name = "fill", .summary = "CPU stores of size bytes of a byte pattern, a 32-bit word or a seeded sequence",
     .args = {NUM("vaddr"), FILL_ARGS, CORE, ACCESS}, .run = scn_run_write},
    {.name = "copy", .summary = "CPU copy loop of size bytes from src to dst on core: a load, then its store",
     .args = {NUM("src"), NUM("dst"), NUM("size"), CORE, ACCESS}, .run = scn_run_copy},
    {.name = "verify", .summary = "CPU loads compared with a pattern/word/seed; ESP_FAIL on a mismatch",
     .args = {NUM("vaddr"), FILL_ARGS, CORE, ACCESS}, .outs = {OUT("mismatches", SCN_OUT_NUMBER)},
     .run = scn_run_verify},
    /* SPI1 flash, raw (mmsim_flash_*: no cache maintenance) and through the driver */
    {.name = "flash_read", .summary = "SPI1 read of size bytes at flash offset paddr",
     .args = {NUM("paddr"), NUM("size")}, .outs = {OUT("bytes", SCN_OUT_BYTES)}, .run = scn_run_flash_read},
    {.name = "flash_write", .summary = "SPI1 program at paddr, no cache maintenance (NOR: bits only clear)",
     .args = {NUM("paddr"), DATA_ARGS(true)}, .run = scn_run_flash_write},
    {.name = "flash_erase", .summary = "SPI1 erase (4K aligned) at paddr, no cache maintenance",
     .args = {NUM("paddr"), NUM("size")}, .run = scn_run_flash_erase},
    {.name = "esp_flash_read", .summary = "esp_flash_read(NULL, buf, paddr, size)",
     .args = {NUM("paddr"), NUM("size")}, .outs = {OUT("bytes", SCN_OUT_BYTES)}, .run = scn_run_esp_flash_read},
    {.name = "esp_flash_write", .summary = "esp_flash_write(NULL, data, paddr, len): then flushes the mapped view",
     .args = {NUM("paddr"), DATA_ARGS(true)}, .run = scn_run_esp_flash_write},
    {.name = "esp_flash_erase_region", .summary = "esp_flash_erase_region(NULL, paddr, size)",
     .args = {NUM("paddr"), NUM("size")}, .run = scn_run_esp_flash_erase_region},
    /* DMA */
    {.name = "dma_read", .summary = "DMA read of size bytes at paddr of target (no cache; internal: by address)",
     .args = {ARG("target", SCN_ARG_DMA_TARGET, true), NUM("paddr"), NUM("size")},
     .outs = {OUT("bytes", SCN_OUT_BYTES)}, .run = scn_run_dma_read},
    {.name = "dma_write", .summary = "DMA write at paddr of target (no cache)",
     .args = {ARG("target", SCN_ARG_DMA_TARGET, true), NUM("paddr"), DATA_ARGS(true)}, .run = scn_run_dma_write},
    /* the machine */
    {.name = "translate", .summary = "what the MMU maps vaddr to for core (mmsim_translate); NOT_FOUND if nothing",
     .args = {NUM("vaddr"), CORE}, .outs = {OUT("paddr", SCN_OUT_NUMBER), OUT("target", SCN_OUT_TARGET)},
     .run = scn_run_translate},
    {.name = "driver_core", .summary = "run the driver on core (mmsim_set_driver_core)",
     .args = {ARG("core", SCN_ARG_CORE, true)}, .run = scn_run_driver_core},
    {.name = "reset", .summary = "reboot the chip: caches, PSRAM and driver state start afresh, flash is kept",
     .run = scn_run_reset},
    /* spi_flash_mmap.h: save: keeps a mapping's pointer and handle under one name;
     * memory: data (default) | inst, with blocks_write */
#define MEMORY {.key = "memory", .kind = SCN_ARG_MMAP_MEMORY}
    {.name = "spi_flash_mmap", .summary = "spi_flash_mmap(src, size, memory, &ptr, &handle)",
     .args = {NUM("src"), NUM("size"), MEMORY}, .outs = {OUT("ptr", SCN_OUT_NUMBER), OUT("handle", SCN_OUT_MMAP)},
     .run = scn_run_spi_flash_mmap},
    {.name = "spi_flash_mmap_pages", .summary = "spi_flash_mmap_pages(pages, count, memory, &ptr, &handle)",
     .args = {ARG("pages", SCN_ARG_NUMS, true), OPT("count"), MEMORY},
     .outs = {OUT("ptr", SCN_OUT_NUMBER), OUT("handle", SCN_OUT_MMAP)}, .run = scn_run_spi_flash_mmap_pages},
    {.name = "spi_flash_munmap", .summary = "spi_flash_munmap(handle of a saved mapping)",
     .args = {ARG("handle", SCN_ARG_MMAP, true)}, .run = scn_run_spi_flash_munmap},
    {.name = "spi_flash_mmap_dump", .summary = "spi_flash_mmap_dump(): the text it prints",
     .outs = {OUT("dump", SCN_OUT_TEXT)}, .run = scn_run_spi_flash_mmap_dump},
    {.name = "spi_flash_mmap_get_free_pages", .summary = "spi_flash_mmap_get_free_pages(memory)", .args = {MEMORY},
     .outs = {OUT("pages", SCN_OUT_NUMBER)}, .run = scn_run_spi_flash_mmap_get_free_pages},
    {.name = "spi_flash_cache2phys", .summary = "spi_flash_cache2phys(vaddr): 0xffffffff if not mapped",
     .args = {NUM("vaddr")}, .outs = {OUT("paddr", SCN_OUT_NUMBER)}, .run = scn_run_spi_flash_cache2phys},
    {.name = "spi_flash_phys2cache", .summary = "spi_flash_phys2cache(paddr, memory): 0 if not mapped",
     .args = {NUM("paddr"), MEMORY}, .outs = {OUT("vaddr", SCN_OUT_NUMBER)}, .run = scn_run_spi_flash_phys2cache},
    /* esp_partition.h: a partition by `label`, or by `address` (what partition_find saves) */
    {.name = "partition_find", .summary = "esp_partition_find_first_err(type, subtype, label): address and size",
     .args = {ARG("type", SCN_ARG_PTYPE, false), ARG("subtype", SCN_ARG_PSUBTYPE, false),
              ARG("label", SCN_ARG_TEXT, false)},
     .outs = {OUT("address", SCN_OUT_NUMBER), OUT("size", SCN_OUT_NUMBER)}, .run = scn_run_partition_find},
    {.name = "partition_read", .summary = "esp_partition_read(partition, offset, buf, size)",
     .args = {PARTITION_ARGS, NUM("offset"), NUM("size")}, .outs = {OUT("bytes", SCN_OUT_BYTES)},
     .run = scn_run_partition_read},
    {.name = "partition_read_raw", .summary = "esp_partition_read_raw(partition, offset, buf, size)",
     .args = {PARTITION_ARGS, NUM("offset"), NUM("size")}, .outs = {OUT("bytes", SCN_OUT_BYTES)},
     .run = scn_run_partition_read_raw},
    {.name = "partition_write", .summary = "esp_partition_write(partition, offset, data, len): esp_flash_write's path",
     .args = {PARTITION_ARGS, NUM("offset"), DATA_ARGS(true)}, .run = scn_run_partition_write},
    {.name = "partition_write_raw", .summary = "esp_partition_write_raw(partition, offset, data, len)",
     .args = {PARTITION_ARGS, NUM("offset"), DATA_ARGS(true)}, .run = scn_run_partition_write_raw},
    {.name = "partition_erase_range", .summary = "esp_partition_erase_range(partition, offset, size)",
     .args = {PARTITION_ARGS, NUM("offset"), NUM("size")}, .run = scn_run_partition_erase_range},
    {.name = "partition_verify", .summary = "esp_partition_verify_err of a copy of the partition",
     .args = {PARTITION_ARGS}, .outs = {OUT("address", SCN_OUT_NUMBER)}, .run = scn_run_partition_verify},
    {.name = "partition_mmap", .summary = "esp_partition_mmap(partition, offset, size, memory, &ptr, &handle)",
     .args = {PARTITION_ARGS, NUM("offset"), NUM("size"), MEMORY},
     .outs = {OUT("ptr", SCN_OUT_NUMBER), OUT("handle", SCN_OUT_MMAP)}, .run = scn_run_partition_mmap},
    {.name = "partition_munmap", .summary = "esp_partition_munmap(handle of a saved mapping)",
     .args = {ARG("handle", SCN_ARG_MMAP, true)}, .run = scn_run_partition_munmap},
    /* esp_heap_caps.h: a pointer result; NULL is ret ESP_ERR_NO_MEM */
#define HEAP_CAPS ARG("caps", SCN_ARG_HEAP_CAPS, true)
    {.name = "heap_caps_malloc", .summary = "heap_caps_malloc(size, caps)", .args = {NUM("size"), HEAP_CAPS},
     .outs = {OUT("ptr", SCN_OUT_NUMBER)}, .run = scn_run_heap_caps_malloc},
    {.name = "heap_caps_calloc", .summary = "heap_caps_calloc(n, size, caps): zeroed by CPU stores",
     .args = {NUM("n"), NUM("size"), HEAP_CAPS}, .outs = {OUT("ptr", SCN_OUT_NUMBER)}, .run = scn_run_heap_caps_calloc},
    {.name = "heap_caps_aligned_alloc", .summary = "heap_caps_aligned_alloc(alignment, size, caps)",
     .args = {NUM("alignment"), NUM("size"), HEAP_CAPS}, .outs = {OUT("ptr", SCN_OUT_NUMBER)},
     .run = scn_run_heap_caps_aligned_alloc},
    {.name = "heap_caps_realloc", .summary = "heap_caps_realloc(ptr, size, caps): a move copies by CPU",
     .args = {NUM("ptr"), NUM("size"), HEAP_CAPS}, .outs = {OUT("ptr", SCN_OUT_NUMBER)},
     .run = scn_run_heap_caps_realloc},
    {.name = "heap_caps_free", .summary = "heap_caps_free(ptr): a bad pointer is an abort", .args = {NUM("ptr")},
     .run = scn_run_heap_caps_free},
    {.name = "heap_caps_get_free_size", .summary = "heap_caps_get_free_size(caps)", .args = {HEAP_CAPS},
     .outs = {OUT("size", SCN_OUT_NUMBER)}, .run = scn_run_heap_caps_get_free_size},
    {.name = "heap_caps_get_largest_free_block", .summary = "heap_caps_get_largest_free_block(caps)",
     .args = {HEAP_CAPS}, .outs = {OUT("size", SCN_OUT_NUMBER)}, .run = scn_run_heap_caps_get_largest_free_block},
};

const scn_op_t *scn_op_find(const char *name)
{
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (!strcmp(ops[i].name, name))
            return &ops[i];
    return NULL;
}

size_t scn_op_count(void) { return sizeof ops / sizeof ops[0]; }
const scn_op_t *scn_op_at(size_t i) { return i < scn_op_count() ? &ops[i] : NULL; }

int scn_op_arg_index(const scn_op_t *op, const char *key)
{
    for (int i = 0; i < SCN_MAX_ARGS && op->args[i].key; i++)
        if (!strcmp(op->args[i].key, key))
            return i;
    return -1;
}

int scn_op_out_index(const scn_op_t *op, const char *key)
{
    for (int i = 0; i < SCN_MAX_OUTS && op->outs[i].key; i++)
        if (!strcmp(op->outs[i].key, key))
            return i;
    return -1;
}

void scn_list_operations(FILE *f)
{
    for (size_t i = 0; i < scn_op_count(); i++) {
        const scn_op_t *op = &ops[i];
        char args[200] = "";
        for (int a = 0; a < SCN_MAX_ARGS && op->args[a].key; a++)
            snprintf(args + strlen(args), sizeof args - strlen(args), "%s%s%s", a ? ", " : "", op->args[a].key,
                     op->args[a].required && !op->args[a].oneof ? "" : "?");
        fprintf(f, "  %-24s {%s}\n  %-24s %s\n", op->name, args, "", op->summary);
    }
    fprintf(f, "  %-24s N (with until: CODE, index: NAME, steps: [...])\n", "repeat");
}
