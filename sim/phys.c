/* phys.c - the physical reads and writes of phys.h that the inline ones do not take: a
 * range crossing a chunk or a device's end, a chunk not yet written, a missing device. */
#include "phys.h"

/* Both ways at once: the device's wrap and its absence are the same for either. */
static inline __attribute__((always_inline)) int phys_move(const machine_t *m, uint32_t target, uint32_t paddr, uint8_t *buf, uint32_t len, bool write)
{
    store_t *s = machine_store(m, target);
    if (!s || !store_size(s)) {
        if (!write)
            memset(buf, 0xFF, len);
        return 0;
    }
    uint32_t size = store_size(s);
    while (len) {
        uint32_t a = paddr < size ? paddr : paddr % size, n = len < size - a ? len : size - a;
        if (!write)
            store_read(s, a, buf, n);
        else if (store_write(s, a, buf, n))
            return -1;
        buf += n, paddr += n, len -= n;
    }
    return 0;
}

void phys_read_slow(const machine_t *m, uint32_t target, uint32_t paddr, uint8_t *buf, uint32_t len)
{
    phys_move(m, target, paddr, buf, len, false);
}

int phys_write_slow(const machine_t *m, uint32_t target, uint32_t paddr, const uint8_t *buf, uint32_t len)
{
    /* Only read from on a write. */
    return phys_move(m, target, paddr, (uint8_t *)(uintptr_t)buf, len, true);
}
