/* esp32/rom/cache.h - the ESP32 ROM cache routines the PSRAM and himem code calls
 * (components/esp_rom/esp32/include/esp32/rom/cache.h), on the simulated chip bound to
 * this thread.  Only meaningful on an ESP32: on any other chip each call records an
 * MMSIM_HAZARD_HAL_ASSERT hazard and does nothing.  With no machine bound: nothing. */
#ifndef MMSIM_ESP32_ROM_CACHE_H
#define MMSIM_ESP32_ROM_CACHE_H

#ifdef __cplusplus
extern "C" {
#endif

/* Invalidate every line of CPU cpu_no's cache (0 PRO, else APP) WITHOUT writing back:
 * dirty PSRAM data in it is lost. */
void Cache_Flush(int cpu_no);

/* Enable CPU cpu_no's cache. */
void Cache_Read_Enable(int cpu_no);

/* Disable CPU cpu_no's cache (its contents stay; accesses through it fault). */
void Cache_Read_Disable(int cpu_no);

/* Map `num` PSRAM pages of psize KB (32, 16, 8, 4 or 2) at paddr to vaddr in the DRAM1
 * window of CPU cpu_no's MMU table (0 PRO, else APP): entry 1152 + page index gets
 * paddr / (psize KB) + k.  Returns 1 if vaddr or paddr is misaligned (checked first,
 * with upstream's mask, exact for 32 KB and finer below), 3 for another psize, 5 if
 * vaddr is outside [0x3F800000, 0x3F800000 + psize x 128 KB), 0 on success.
 * pid selects the process's entry group: 0 and 1 share entries 1152-1279; pids 2-7
 * address entries 1280 and up, which the model's table does not hold (and `num`
 * running past entry 1279 likewise): the simulator then records a HAL_ASSERT, writes
 * nothing and returns 4, the ROM's "table out of range" code.  The SRAM page-mode
 * field the chip also sets is not modelled: the window keeps decoding 32 KB pages. */
unsigned int cache_sram_mmu_set(int cpu_no, int pid, unsigned int vaddr, unsigned int paddr, int psize, int num);

#ifdef __cplusplus
}
#endif

#endif
