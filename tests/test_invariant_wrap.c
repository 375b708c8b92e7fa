/* test_invariant_wrap.c - the invariant check after every driver call of a C test
 * (invariant_wrap.c, linked here in every build): a call after a HAL write behind the
 * driver's back aborts with the broken rule; a call after a failed HAL assertion (the
 * chip stopped there), or on a machine the test broke on purpose, does not.  Each case runs in a child process, since the check
 * ends the process. */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check_main.h"
#include "esp_mmu_map.h"
#include "hal/mmu_hal.h"
#include "invariant_wrap.h"
#include "mmsim.h"

#define PG 0x10000u

typedef struct {
    int status;       /* waitpid's */
    char err[2048];   /* the child's stderr */
} child_t;

/* Run `body` in a child with stderr captured. */
static child_t run_child(void (*body)(void))
{
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(fds[1], 2);
        close(fds[0]);
        body();
        _exit(0);
    }
    close(fds[1]);
    child_t c = {0};
    size_t len = 0;
    ssize_t n;
    while ((n = read(fds[0], c.err + len, sizeof c.err - 1 - len)) > 0)
        len += (size_t)n;
    close(fds[0]);
    ck_assert_int_eq(waitpid(pid, &c.status, 0), pid);
    return c;
}

static mmsim_t *open_c6(void)
{
    mmsim_config_t cfg = mmsim_config_default("esp32c6");
    mmsim_t *m = NULL;
    if (mmsim_open(&cfg, &m))
        _exit(3);
    return m;
}

static void unmap_behind_the_drivers_back(void)
{
    mmsim_t *m = open_c6();
    void *p = NULL;
    if (esp_mmu_map(0x200000, 2 * PG, MMU_TARGET_FLASH0, MMU_MEM_CAP_READ, 0, &p) != ESP_OK)
        _exit(4);
    mmu_hal_unmap_region(0, (uint32_t)(uintptr_t)p + PG, PG);
    void *q = NULL;
    esp_mmu_map(0x300000, PG, MMU_TARGET_FLASH0, MMU_MEM_CAP_READ, 0, &q); /* the next driver call aborts */
    mmsim_close(m);
}

START_TEST(a_driver_call_after_a_hal_write_behind_its_back_aborts)
{
    child_t c = run_child(unmap_behind_the_drivers_back);
    ck_assert_msg(WIFSIGNALED(c.status) && WTERMSIG(c.status) == SIGABRT, "status 0x%x, stderr: %s", c.status, c.err);
    ck_assert_msg(strstr(c.err, "esp32c6: invariant broken after esp_mmu_map: "
                                "block page 0x42070000 should map flash 0x00210000 in MMU 0 but is invalid"),
                  "%s", c.err);
}
END_TEST

static void map_past_the_mmu_reach(void)
{
    mmsim_t *m = open_c6();
    void *p = NULL;
    /* 16 MB is past C6's MMU reach: the HAL assertion fires and the block stays
     * unmapped, which the invariant check would report. */
    esp_mmu_map(16u << 20, PG, MMU_TARGET_FLASH0, MMU_MEM_CAP_READ, 0, &p);
    if (mmsim_hazard_count_kind(m, MMSIM_HAZARD_HAL_ASSERT) == 0 || mmsim_check_invariants(m, NULL, 0) == 0)
        _exit(5);
    esp_mmu_unmap(p);
    mmsim_close(m);
}

START_TEST(no_check_after_the_chip_stopped_at_a_hal_assertion)
{
    child_t c = run_child(map_past_the_mmu_reach);
    ck_assert_msg(WIFEXITED(c.status) && WEXITSTATUS(c.status) == 0, "status 0x%x, stderr: %s", c.status, c.err);
}
END_TEST

static void broken_on_purpose(void)
{
    mmsim_t *m = open_c6();
    void *p = NULL, *q = NULL;
    if (esp_mmu_map(0x200000, 2 * PG, MMU_TARGET_FLASH0, MMU_MEM_CAP_READ, 0, &p) != ESP_OK)
        _exit(4);
    mmu_hal_unmap_region(0, (uint32_t)(uintptr_t)p + PG, PG);
    invariant_wrap_allow_broken(m);
    esp_mmu_map(0x300000, PG, MMU_TARGET_FLASH0, MMU_MEM_CAP_READ, 0, &q); /* not checked */
    mmsim_close(m);
    /* Closing forgets the machine: the next one is checked again. */
    unmap_behind_the_drivers_back();
}

START_TEST(a_machine_broken_on_purpose_is_left_alone_until_closed)
{
    child_t c = run_child(broken_on_purpose);
    ck_assert_msg(WIFSIGNALED(c.status) && WTERMSIG(c.status) == SIGABRT, "status 0x%x, stderr: %s", c.status, c.err);
    /* One report only: the one after the machine was closed and a new one opened. */
    const char *first = strstr(c.err, "invariant broken");
    ck_assert_msg(first && !strstr(first + 1, "invariant broken"), "%s", c.err);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("invariant_wrap");
    TCase *t = tcase_create("wrap");
    tcase_add_test(t, a_driver_call_after_a_hal_write_behind_its_back_aborts);
    tcase_add_test(t, no_check_after_the_chip_stopped_at_a_hal_assertion);
    tcase_add_test(t, a_machine_broken_on_purpose_is_left_alone_until_closed);
    suite_add_tcase(s, t);
    return mmsim_check_run(s);
}
