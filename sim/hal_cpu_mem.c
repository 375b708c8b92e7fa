/* hal_cpu_mem.c - hal/cpu_mem.h: the driver core's memset and memcpy of chip memory,
 * as CPU stores and loads on the bound machine (a word at a time, as a compiled loop
 * would; the hazards name the CPU path, not this file). */
#include "bus.h"
#include "hal/cpu_mem.h"
#include "hal_ctx.h"

#define CPU_MEM_CHUNK 256u

bool cpu_mem_set(uint32_t addr, uint8_t byte, uint32_t len)
{
    machine_t *m = hal_machine();
    if (!m)
        return false;
    uint8_t fill[CPU_MEM_CHUNK];
    memset(fill, byte, sizeof fill);
    for (uint32_t done = 0; done < len;) {
        uint32_t n = len - done < CPU_MEM_CHUNK ? len - done : CPU_MEM_CHUNK;
        if (bus_cpu_access(m, m->hal_core, BUS_WRITE, addr + done, fill, n))
            return false;
        done += n;
    }
    return true;
}

bool cpu_mem_copy(uint32_t dst, uint32_t src, uint32_t len)
{
    machine_t *m = hal_machine();
    if (!m)
        return false;
    uint8_t buf[CPU_MEM_CHUNK];
    for (uint32_t done = 0; done < len;) {
        uint32_t n = len - done < CPU_MEM_CHUNK ? len - done : CPU_MEM_CHUNK;
        if (bus_cpu_access(m, m->hal_core, BUS_READ, src + done, buf, n) ||
            bus_cpu_access(m, m->hal_core, BUS_WRITE, dst + done, buf, n))
            return false;
        done += n;
    }
    return true;
}
