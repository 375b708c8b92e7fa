/* invariant_wrap.c - the invariant check after every public driver call of a C test
 * that can change the machine or the driver's state (MMSIM_CHECK_INVARIANTS).  The
 * test executables are linked with -Wl,--wrap=NAME for each function below, so the
 * test's own calls reach __wrap_NAME, which calls the driver (__real_NAME) and then
 * checks the current machine with mmsim_check_invariants.  A broken rule aborts with
 * the message: the test stops at the call that broke it (or, for a HAL write behind
 * the driver's back, at the next call).  The driver itself (core/) is not touched,
 * and its calls inside libmmsim bind to each other, not to these.
 *
 * The queries (conversions, find_caps, the largest free block, the dump, line size,
 * himem sizes, esp_flash_read) change nothing and are not wrapped: a check costs a
 * walk of every cache line and MMU page, and tests call queries in loops over every
 * block (esp32p4 with 1018 blocks: minutes under ASan).
 *
 * Once the machine holds a hal_assert or abort hazard the chip would have stopped
 * there: what follows is not the program's state any more, so the check is skipped
 * until the test clears the hazard log.  A test that breaks the rules on purpose (an
 * alias mapped through the HAL to show a stale line) says so with
 * invariant_wrap_allow_broken(m); mmsim_close is wrapped to forget the machine.
 *
 * Every test that links libmmsim gets this file; the wrappers exist only where the
 * link has the --wrap options (MMSIM_WRAP_DRIVER_CALLS). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "esp32/himem.h"
#include "esp_cache.h"
#include "esp_flash.h"
#include "esp_mmu_map.h"
#include "invariant_wrap.h"
#include "mmsim.h"

static const mmsim_t *broken_on_purpose[16];

void invariant_wrap_allow_broken(const mmsim_t *m)
{
    for (size_t i = 0; i < sizeof broken_on_purpose / sizeof broken_on_purpose[0]; i++)
        if (!broken_on_purpose[i] || broken_on_purpose[i] == m) {
            broken_on_purpose[i] = m;
            return;
        }
    fprintf(stderr, "invariant_wrap_allow_broken: more than 16 machines\n");
    abort();
}

#ifdef MMSIM_WRAP_DRIVER_CALLS

static bool allowed_broken(const mmsim_t *m)
{
    for (size_t i = 0; i < sizeof broken_on_purpose / sizeof broken_on_purpose[0]; i++)
        if (broken_on_purpose[i] == m)
            return true;
    return false;
}

void __real_mmsim_close(mmsim_t *m);
void __wrap_mmsim_close(mmsim_t *m);
void __wrap_mmsim_close(mmsim_t *m)
{
    for (size_t i = 0; i < sizeof broken_on_purpose / sizeof broken_on_purpose[0]; i++)
        if (broken_on_purpose[i] == m)
            broken_on_purpose[i] = NULL; /* a new machine may get the same address */
    __real_mmsim_close(m);
}

static void check_after(const char *call)
{
    mmsim_t *m = mmsim_current();
    if (!m || allowed_broken(m) || mmsim_hazard_count_kind(m, MMSIM_HAZARD_HAL_ASSERT) ||
        mmsim_hazard_count_kind(m, MMSIM_HAZARD_ABORT))
        return;
    char why[512];
    if (mmsim_check_invariants(m, why, sizeof why)) {
        fprintf(stderr, "%s: invariant broken after %s: %s\n", mmsim_chip_name(m), call, why);
        abort();
    }
}

#define WRAP(ret, name, params, args)                                                                    \
    ret __real_##name params;                                                                            \
    ret __wrap_##name params;                                                                            \
    ret __wrap_##name params                                                                             \
    {                                                                                                    \
        ret r = __real_##name args;                                                                      \
        check_after(#name);                                                                              \
        return r;                                                                                        \
    }

/* Keep this list and MMSIM_WRAPPED_DRIVER_CALLS in tests/CMakeLists.txt the same. */
WRAP(esp_err_t, esp_mmu_map,
     (esp_paddr_t paddr, size_t size, mmu_target_t target, mmu_mem_caps_t caps, int flags, void **out),
     (paddr, size, target, caps, flags, out))
WRAP(esp_err_t, esp_mmu_map_virt,
     (esp_vaddr_t vaddr, esp_paddr_t paddr, size_t size, mmu_target_t target, mmu_mem_caps_t caps, int flags,
      void **out),
     (vaddr, paddr, size, target, caps, flags, out))
WRAP(esp_err_t, esp_mmu_unmap, (void *ptr), (ptr))
WRAP(esp_err_t, esp_cache_msync, (void *addr, size_t size, int flags), (addr, size, flags))
WRAP(esp_err_t, esp_flash_write, (esp_flash_t *chip, const void *buf, uint32_t addr, uint32_t len),
     (chip, buf, addr, len))
WRAP(esp_err_t, esp_flash_erase_region, (esp_flash_t *chip, uint32_t start, uint32_t len), (chip, start, len))
WRAP(esp_err_t, esp_himem_alloc, (size_t size, esp_himem_handle_t *out), (size, out))
WRAP(esp_err_t, esp_himem_alloc_map_range, (size_t size, esp_himem_rangehandle_t *out), (size, out))
WRAP(esp_err_t, esp_himem_map,
     (esp_himem_handle_t handle, esp_himem_rangehandle_t range, size_t ram_offset, size_t range_offset, size_t len,
      int flags, void **out),
     (handle, range, ram_offset, range_offset, len, flags, out))
WRAP(esp_err_t, esp_himem_free, (esp_himem_handle_t handle), (handle))
WRAP(esp_err_t, esp_himem_free_map_range, (esp_himem_rangehandle_t range), (range))
WRAP(esp_err_t, esp_himem_unmap, (esp_himem_rangehandle_t range, void *ptr, size_t len), (range, ptr, len))

#endif
