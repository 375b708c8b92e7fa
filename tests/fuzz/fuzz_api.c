/* fuzz_api.c - libFuzzer target: bytes turned into a sequence of calls of every driver
 * function (map, map_virt, unmap, conversions, find_caps, max free, dump, msync, himem,
 * the capability heap, the ROM cache routines) and of the hardware paths (CPU, DMA, SPI1
 * flash, internal RAM) on one chip picked by the first byte.
 * With direct/ built (MMSIM_FUZZ_DIRECT) and the first byte's top bit set, the machine
 * is attached, and some CPU reads and writes go through plain pointers instead: loads and stores of 1-8 bytes, memcpy,
 * a locked add (libmmsim_direct's handler and interceptors).
 * Nothing may crash, hang or leak, and after every call the machine and the drivers
 * must pass mmsim_check_invariants. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esp32/himem.h"
#include "esp32s3/rom/cache.h"
#define MMSIM_ESP32P4_ROM_LINK_NAMES_ONLY
#include "esp32p4/rom/cache.h"
#include "esp_cache.h"
#include "esp_heap_caps.h"
#include "esp_log.h"
#include "esp_mmu_map.h"
#include "mmsim.h"
#ifdef MMSIM_FUZZ_DIRECT
#include "mmsim_direct.h"
#endif

typedef struct {
    const uint8_t *p;
    size_t n;
} input_t;

static uint32_t take(input_t *in, unsigned bytes)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < bytes && in->n; i++, in->n--)
        v = v << 8 | *in->p++;
    return v;
}

/* A size or address: mostly near page multiples, sometimes anything. */
static uint32_t take_addr(input_t *in)
{
    uint32_t kind = take(in, 1), v = take(in, 3);
    switch (kind & 3) {
    case 0: return (v & 0x3FF) << 16;           /* page-aligned, 64 KB */
    case 1: return (v & 0xFFF) << 12;           /* 4 KB */
    case 2: return v;                           /* anything below 16 MB */
    default: return v << 8 | take(in, 1);       /* anything */
    }
}

#define MAX_LIVE 16
static void *live[MAX_LIVE];
static esp_himem_handle_t ram[4];
static void *heap_live[8];
static esp_himem_rangehandle_t range[4];

/* Any of 0, FLASH0, PSRAM0 and FLASH0|PSRAM0: upstream accepts 0 and both bits in
 * some paths (target 0 matches any region). */
static uint32_t take_target(input_t *in) { return take(in, 1) & 3; }

static const char *const chips[] = {"esp32",   "esp32s2",  "esp32s3", "esp32c2",  "esp32c3", "esp32c5",
                                    "esp32c6", "esp32c61", "esp32h2", "esp32h21", "esp32h4", "esp32p4", "esp32s31"};

#ifdef MMSIM_FUZZ_DIRECT
/* A CPU read or write of n bytes at v as the user's code does it, through a pointer;
 * false (the caller uses mmsim_cpu_*) if the range is not all inside the windows. */
static bool pointer_access(uint32_t v, uint8_t *buf, uint32_t n, bool write, uint32_t how)
{
    void *p = (void *)(uintptr_t)v;
    if (!mmsim_direct_machine() || !n || !mmsim_direct_is_window(p, n) ||
        !mmsim_direct_is_window((char *)p + n - 1, 1))
        return false;
    switch (how % 6) {
    case 0:
        if (write)
            memcpy(p, buf, n);
        else
            memcpy(buf, p, n);
        break;
    case 1: case 2: case 3: case 4: { /* one access of 1, 2, 4 or 8 bytes, a mov */
        uint32_t k = 1u << (how % 6 - 1);
        if (k > n)
            return false;
        volatile uint8_t *vp = p;
        if (write) {
            if (k == 1) *vp = buf[0];
            else if (k == 2) { uint16_t x; memcpy(&x, buf, 2); __builtin_memcpy((void *)vp, &x, 2); }
            else if (k == 4) { uint32_t x; memcpy(&x, buf, 4); __builtin_memcpy((void *)vp, &x, 4); }
            else { uint64_t x; memcpy(&x, buf, 8); __builtin_memcpy((void *)vp, &x, 8); }
        } else {
            if (k == 1) buf[0] = *vp;
            else if (k == 2) { uint16_t x; __builtin_memcpy(&x, (const void *)vp, 2); memcpy(buf, &x, 2); }
            else if (k == 4) { uint32_t x; __builtin_memcpy(&x, (const void *)vp, 4); memcpy(buf, &x, 4); }
            else { uint64_t x; __builtin_memcpy(&x, (const void *)vp, 8); memcpy(buf, &x, 8); }
        }
        break;
    }
    default: /* a locked read-modify-write of an aligned word */
        if (n < 4 || (v & 3))
            return false;
        __atomic_fetch_add((uint32_t *)p, 1u, __ATOMIC_SEQ_CST);
        break;
    }
    return true;
}
#endif

static void check(mmsim_t *m)
{
    char why[256];
    if (mmsim_check_invariants(m, why, sizeof why)) {
        fprintf(stderr, "invariant broken: %s\n", why);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *devnull;
    if (!devnull) {
        devnull = fopen("/dev/null", "w");
        esp_log_set_stream(devnull);
    }
    input_t in = {data, size};
    uint32_t chip_byte = take(&in, 1);
    mmsim_config_t cfg = mmsim_config_default(chips[chip_byte % (sizeof chips / sizeof chips[0])]);
    mmsim_t *m;
    if (mmsim_open(&cfg, &m))
        abort();
    memset(live, 0, sizeof live);
    memset(ram, 0, sizeof ram);
    memset(range, 0, sizeof range);
    memset(heap_live, 0, sizeof heap_live);
    uint32_t iram = 0, iram_size = 0;
    mmsim_internal_ram(m, &iram, &iram_size);
#ifdef MMSIM_FUZZ_DIRECT
    /* Attached when the chip byte's top bit says so: a detach releases hundreds of MB
     * of reservation, whose shadow ASan clears, so not every input pays for it. */
    if ((chip_byte & 0x80) && mmsim_direct_attach(m) != 0) {
        fprintf(stderr, "fuzz_api: %s\n", mmsim_last_error());
        abort(); /* every built-in chip's windows must be free in this process */
    }
#endif
    uint8_t buf[256];
    for (int ops = 0; in.n && ops < 64; ops++) {
        uint32_t op = take(&in, 1), slot = op >> 4;
        void **lp = &live[slot % MAX_LIVE];
        switch (op & 15) {
        case 0: {
            uint32_t paddr = take_addr(&in), len = take_addr(&in) & 0xFFFFFF;
            void *p = NULL;
            if (esp_mmu_map(paddr, len, take_target(&in), (mmu_mem_caps_t)take(&in, 1), take(&in, 1) & 1, &p) ==
                    ESP_OK && !*lp)
                *lp = p;
            break;
        }
        case 1: {
            uint32_t vaddr = take(&in, 4), paddr = take_addr(&in), len = take_addr(&in) & 0xFFFFFF;
            void *p = NULL;
            if (esp_mmu_map_virt(vaddr, paddr, len, take_target(&in), (mmu_mem_caps_t)take(&in, 1), 0, &p) ==
                    ESP_OK && !*lp)
                *lp = p;
            break;
        }
        case 2:
            esp_mmu_unmap(*lp ? *lp : (void *)(uintptr_t)take(&in, 4));
            *lp = NULL;
            break;
        case 3: {
            esp_paddr_t paddr;
            mmu_target_t target;
            void *vaddr;
            esp_mmu_vaddr_to_paddr(*lp ? *lp : (void *)(uintptr_t)take(&in, 4), &paddr, &target);
            esp_mmu_paddr_to_vaddr(take_addr(&in), take(&in, 1) & 3, take(&in, 1) & 3, &vaddr);
            uint32_t caps;
            esp_mmu_paddr_find_caps(take_addr(&in), &caps);
            size_t free_len;
            esp_mmu_map_get_max_consecutive_free_block_size((mmu_mem_caps_t)take(&in, 1), take(&in, 1) & 3,
                                                            &free_len);
            esp_mmu_map_dump_mapped_blocks(devnull);
            break;
        }
        case 4: {
            uint32_t v = *lp ? (uint32_t)(uintptr_t)*lp + (take(&in, 2) & ~3u) : take(&in, 4);
            esp_cache_msync((void *)(uintptr_t)v, take(&in, 2), (int)take(&in, 1));
            break;
        }
        case 5: case 6: {
            uint32_t v = *lp ? (uint32_t)(uintptr_t)*lp + take(&in, 2) : take(&in, 4);
            uint32_t n = take(&in, 1);
#ifdef MMSIM_FUZZ_DIRECT
            if ((op & 0x80) && pointer_access(v, buf, n, (op & 15) == 6, take(&in, 1)))
                break;
#endif
            if ((op & 15) == 5)
                mmsim_cpu_read(m, take(&in, 1) % mmsim_cores(m), v, buf, n);
            else
                mmsim_cpu_write(m, take(&in, 1) % mmsim_cores(m), v, buf, n);
            break;
        }
        case 7: {
            uint32_t paddr = take_addr(&in), n = take(&in, 1);
            if (op & 0x10)
                mmsim_dma_write(m, 1 + (take(&in, 1) & 1), paddr, buf, n);
            else
                mmsim_dma_read(m, 1 + (take(&in, 1) & 1), paddr, buf, n);
            break;
        }
        case 8: {
            uint32_t paddr = take_addr(&in);
            if (op & 0x10)
                mmsim_flash_erase(m, paddr & ~0xFFFu, 4096);
            else
                mmsim_flash_write(m, paddr, buf, take(&in, 1));
            break;
        }
        case 9:
            if (!ram[slot & 3])
                esp_himem_alloc(take(&in, 1) * (size_t)ESP_HIMEM_BLKSZ, &ram[slot & 3]);
            else if (esp_himem_free(ram[slot & 3]) == ESP_OK)
                ram[slot & 3] = NULL;
            break;
        case 10:
            if (!range[slot & 3])
                esp_himem_alloc_map_range(take(&in, 1) * (size_t)ESP_HIMEM_BLKSZ, &range[slot & 3]);
            else if (esp_himem_free_map_range(range[slot & 3]) == ESP_OK)
                range[slot & 3] = NULL;
            break;
        case 11:
            if (ram[slot & 3] && range[(slot >> 2) & 3]) {
                void *p;
                esp_himem_map(ram[slot & 3], range[(slot >> 2) & 3], take(&in, 1) * (size_t)ESP_HIMEM_BLKSZ,
                              take(&in, 1) * (size_t)ESP_HIMEM_BLKSZ, take(&in, 1) * (size_t)ESP_HIMEM_BLKSZ, 0, &p);
            }
            break;
        case 12:
            if (range[slot & 3])
                esp_himem_unmap(range[slot & 3], (void *)(uintptr_t)(0x3F800000u + (take(&in, 1) & 127) * ESP_HIMEM_BLKSZ),
                                (take(&in, 1) & 7) * (size_t)ESP_HIMEM_BLKSZ);
            break;
        case 13: { /* the heap: any caps word, any size, frees of live and stray pointers */
            void **hp = &heap_live[slot & 7];
            uint32_t caps = take(&in, 4), size = take(&in, 2), how = take(&in, 1);
            if (how & 0x80) {
                heap_caps_free(*hp ? *hp : (void *)(uintptr_t)(iram + (how & 0x7F)));
                *hp = NULL;
            } else if (*hp && (how & 3) == 3) {
                void *q = heap_caps_realloc(*hp, size, caps);
                *hp = q || !size ? q : *hp;
            } else if (!*hp) {
                *hp = (how & 3) == 0   ? heap_caps_malloc(size, caps)
                      : (how & 3) == 1 ? heap_caps_calloc(1, size, caps)
                                       : heap_caps_aligned_alloc((size_t)1 << (how >> 2 & 15), size, caps);
            }
            break;
        }
        case 14: { /* internal RAM: CPU loads and stores, DMA by address, across its ends;
                    * and the driver's core */
            if (op & 0x20)
                mmsim_set_driver_core(m, take(&in, 1) % mmsim_cores(m));
            uint32_t v = iram + take(&in, 3) % (iram_size + 128u) - 64u, n = take(&in, 1);
            if (op & 0x10)
                mmsim_dma_write(m, MMSIM_TARGET_INTERNAL, v, buf, n);
            else
                mmsim_cpu_write(m, take(&in, 1) % mmsim_cores(m), v, buf, n);
            mmsim_cpu_read(m, 0, v, buf, n);
            break;
        }
        default: {
            /* A ROM cache routine (either family's: the other's records a hal_assert). */
            uint32_t v = *lp ? (uint32_t)(uintptr_t)*lp + take(&in, 2) : take(&in, 4);
            uint32_t n = take(&in, 2), map = take(&in, 1), which = take(&in, 1);
            switch (which % 10) {
            case 0: Cache_WriteBack_Addr(v, n); break;
            case 1: Cache_Invalidate_Addr(v, n); break;
            case 2: Cache_Clean_Addr(v, n); break;
            case 3: Cache_WriteBack_All(); break;
            case 4: Cache_Invalidate_DCache_All(); break;
            case 5: Cache_Resume_DCache(Cache_Suspend_DCache()); break;
            case 6: esp32p4_rom_Cache_WriteBack_Addr(map, v, n); break;
            case 7: esp32p4_rom_Cache_Invalidate_Addr(map, v, n); break;
            case 8: esp32p4_rom_Cache_WriteBack_Invalidate_Addr(map, v, n); break;
            default: esp32p4_rom_Cache_WriteBack_All(map); break;
            }
            break;
        }
        }
        /* Where the chip would have stopped (a failed HAL_ASSERT, an abort) the state
         * is not the program's any more: end the sequence there. */
        if (mmsim_hazard_count_kind(m, MMSIM_HAZARD_HAL_ASSERT) || mmsim_hazard_count_kind(m, MMSIM_HAZARD_ABORT))
            break;
        check(m);
    }
#ifdef MMSIM_FUZZ_DIRECT
    if (mmsim_direct_machine() == m)
        mmsim_direct_detach(m);
#endif
    mmsim_close(m); /* frees what the sequence left mapped or allocated */
    return 0;
}
