/* test_esp_mmu_map_dump.c - the map driver on simulated chips:
 * esp_mmu_map_dump_mapped_blocks byte for byte on S3 (the reference example), ESP32, S2 and
 * P4 (§1.13), and the private dump's log lines.
 *
 * The sections are those of esp-idf-behaviour.md; the loop tests run once per chip of
 * CHIPS. The chips, open_bare and the log and dump readers are in mmu_map_fixture.h. */
#include "mmu_map_fixture.h"

/* ======================================================================================
 * §1.13 the dump, byte for byte (widths from the reference, not from the driver)
 * ====================================================================================== */

/* §6.1 #1 "Can dump mapped block stats". */
START_TEST(s3_dump_matches_the_reference_example_byte_for_byte)
{
    const char *no_psram[] = {"psram_size=0"};
    mmsim_t *m = open_chip("esp32s3", no_psram, 1, 0x40000, 0x20000);
    void *a, *b, *c;
    ck_assert_int_eq(esp_mmu_map(0x110000, 0x10000, MMU_TARGET_FLASH0, MMU_MEM_CAP_READ, 0, &a), ESP_OK);
    ck_assert_int_eq(esp_mmu_map(0x120000, 0x10000, MMU_TARGET_FLASH0, MMU_MEM_CAP_EXEC, 0, &b), ESP_OK);
    ck_assert_int_eq(esp_mmu_map(0x130000, 0x10000, MMU_TARGET_FLASH0, MMU_MEM_CAP_READ, 0, &c), ESP_OK);
    ck_assert_ptr_eq(a, (void *)0x3c060000);
    ck_assert_ptr_eq(b, (void *)0x42070000);
    ck_assert_ptr_eq(c, (void *)0x3c080000);
    char *text = dump_text();
    const char *want = "region 0:\n"
                       "Bus ID          Start          Free Head      End          Caps         Max Slot Size\n"
                       "0x9             0x0            0x60000        0x2000000    0x1f         0x1f70000 \n"
                       "mapped blocks:\n"
                       "ID   Vaddr Start   Vaddr End    Block Size   Caps   Paddr Start   Paddr End  \n"
                       "0    0x3c060000    0x3c070000   0x10000      0x2    0x110000      0x120000  \n"
                       "1    0x42070000    0x42080000   0x10000      0x1    0x120000      0x130000  \n"
                       "2    0x3c080000    0x3c090000   0x10000      0x2    0x130000      0x140000  \n"
                       "\n";
    ck_assert_str_eq(text, want);
    free(text);
    ck_assert_int_eq(esp_mmu_unmap(a), ESP_OK);
    ck_assert_int_eq(esp_mmu_unmap(b), ESP_OK);
    ck_assert_int_eq(esp_mmu_unmap(c), ESP_OK);
    close_chip(m);
}
END_TEST

/* ESP32 with its default 8 MB PSRAM: DRAM1 consumed by the heap, code and data of one
 * paddr in two regions, a block rounded up to two pages. */
START_TEST(esp32_dump_byte_for_byte)
{
    mmsim_t *m = open_chip("esp32", NULL, 0, KB(256), KB(128));
    (void)m;
    assert_hex(U(map_ok(0x100000, PG, FLASH, X, 0)), 0x40110000);
    assert_hex(U(map_ok(0x100000, PG, FLASH, R, 0)), 0x3F420000);
    assert_hex(U(map_ok(0x110000, PG + 1, FLASH, R | B8, 0)), 0x3F430000);
    assert_dump("region 0:\n"
                "Bus ID          Start          Free Head      End          Caps         Max Slot Size\n"
                "0x1             0xd0000        0x110000       0x400000     0x9          0x2e0000  \n"
                "mapped blocks:\n"
                "ID   Vaddr Start   Vaddr End    Block Size   Caps   Paddr Start   Paddr End  \n"
                "0    0x40110000    0x40120000   0x10000      0x1    0x100000      0x110000  \n"
                "\n"
                "region 1:\n"
                "Bus ID          Start          Free Head      End          Caps         Max Slot Size\n"
                "0x8             0x1400000      0x1420000      0x1800000    0x1a         0x3b0000  \n"
                "mapped blocks:\n"
                "ID   Vaddr Start   Vaddr End    Block Size   Caps   Paddr Start   Paddr End  \n"
                "0    0x3f420000    0x3f430000   0x10000      0x2    0x100000      0x110000  \n"
                "1    0x3f430000    0x3f450000   0x20000      0x12   0x110000      0x130000  \n"
                "\n"
                "region 2:\n"
                "Bus ID          Start          Free Head      End          Caps         Max Slot Size\n"
                "0x10            0x1800000      0x1c00000      0x1c00000    0x1e         0x0       \n"
                "mapped blocks:\n"
                "ID   Vaddr Start   Vaddr End    Block Size   Caps   Paddr Start   Paddr End  \n"
                "\n");
}
END_TEST

/* ESP32-S2 with its default 2 MB PSRAM: four regions after coalescing, block ids
 * restart per region and follow addresses, not mapping order. */
START_TEST(s2_dump_byte_for_byte)
{
    mmsim_t *m = open_chip("esp32s2", NULL, 0, KB(256), KB(128));
    (void)m;
    assert_err(esp_mmu_map_virt(0x3F030000, 0x120000, 0x18000, FLASH, R | B8, 0, NULL), ESP_OK);
    assert_hex(U(map_ok(0x100000, PG, FLASH, R, 0)), 0x3F020000);
    assert_hex(U(map_ok(0x100000, PG, FLASH, R | W, 0)), 0x3F500000);
    assert_hex(U(map_ok(0x200000, PG, FLASH, R | W | B8, 0)), 0x3FA00000);
    assert_hex(U(map_ok(0x300000, PG, FLASH, X, 0)), 0x400C0000);
    assert_dump("region 0:\n"
                "Bus ID          Start          Free Head      End          Caps         Max Slot Size\n"
                "0x1             0x80000        0xc0000        0x400000     0x9          0x330000  \n"
                "mapped blocks:\n"
                "ID   Vaddr Start   Vaddr End    Block Size   Caps   Paddr Start   Paddr End  \n"
                "0    0x400c0000    0x400d0000   0x10000      0x1    0x300000      0x310000  \n"
                "\n"
                "region 1:\n"
                "Bus ID          Start          Free Head      End          Caps         Max Slot Size\n"
                "0x4             0x1000000      0x1020000      0x1400000    0x1a         0x3b0000  \n"
                "mapped blocks:\n"
                "ID   Vaddr Start   Vaddr End    Block Size   Caps   Paddr Start   Paddr End  \n"
                "0    0x3f020000    0x3f030000   0x10000      0x2    0x100000      0x110000  \n"
                "1    0x3f030000    0x3f050000   0x20000      0x12   0x120000      0x140000  \n"
                "\n"
                "region 2:\n"
                "Bus ID          Start          Free Head      End          Caps         Max Slot Size\n"
                "0x20            0x1500000      0x1500000      0x1800000    0xe          0x2f0000  \n"
                "mapped blocks:\n"
                "ID   Vaddr Start   Vaddr End    Block Size   Caps   Paddr Start   Paddr End  \n"
                "0    0x3f500000    0x3f510000   0x10000      0x6    0x100000      0x110000  \n"
                "\n"
                "region 3:\n"
                "Bus ID          Start          Free Head      End          Caps         Max Slot Size\n"
                "0x18            0x1800000      0x1a00000      0x1f80000    0x1e         0x570000  \n"
                "mapped blocks:\n"
                "ID   Vaddr Start   Vaddr End    Block Size   Caps   Paddr Start   Paddr End  \n"
                "0    0x3fa00000    0x3fa10000   0x10000      0x16   0x200000      0x210000  \n"
                "\n");
}
END_TEST

/* ESP32-P4 with its default 32 MB PSRAM: flash and PSRAM regions, PSRAM block after the heap. */
START_TEST(p4_dump_byte_for_byte)
{
    mmsim_t *m = open_chip("esp32p4", NULL, 0, KB(256), KB(128));
    (void)m;
    assert_hex(U(map_ok(0x100000, PG, FLASH, R, 0)), 0x40060000);
    assert_hex(U(map_ok(0x200000, PG, FLASH, X, 0)), 0x40070000);
    assert_hex(U(map_ok(0x1F00000, 2 * PG, PSRAM, R | W, 0)), 0x4A000000);
    assert_dump("region 0:\n"
                "Bus ID          Start          Free Head      End          Caps         Max Slot Size\n"
                "0x9             0x0            0x60000        0x4000000    0x1f         0x3f80000 \n"
                "mapped blocks:\n"
                "ID   Vaddr Start   Vaddr End    Block Size   Caps   Paddr Start   Paddr End  \n"
                "0    0x40060000    0x40070000   0x10000      0x2    0x100000      0x110000  \n"
                "1    0x40070000    0x40080000   0x10000      0x1    0x200000      0x210000  \n"
                "\n"
                "region 1:\n"
                "Bus ID          Start          Free Head      End          Caps         Max Slot Size\n"
                "0x12            0x8000000      0xa000000      0xc000000    0x1f         0x1fe0000 \n"
                "mapped blocks:\n"
                "ID   Vaddr Start   Vaddr End    Block Size   Caps   Paddr Start   Paddr End  \n"
                "0    0x4a000000    0x4a020000   0x20000      0x6    0x1f00000     0x1f20000 \n"
                "\n");
}
END_TEST

/* The private IRAM variant: per region, each block's fields as INFO lines, then the
 * region's bus id, start, end and caps. */
START_TEST(private_dump_logs_blocks_then_the_region)
{
    mmsim_t *m = open_bare(chip_named("esp32s3"));
    (void)m;
    map_ok(0x100000, PG, FLASH, R, 0);
    log_begin(ESP_LOG_INFO);
    assert_err(esp_mmu_map_dump_mapped_blocks_private(), ESP_OK);
    char *log = log_take();
    const char *vs = strstr(log, "I mmap: block vaddr_start: 0x3c060000\n");
    const char *bus = strstr(log, "I mmap: region bus_id: 0x9\n");
    ck_assert_ptr_eq(vs, log);
    ck_assert_ptr_nonnull(bus);
    ck_assert_ptr_nonnull(strstr(log, "block paddr_start: 0x100000\n"));
    ck_assert_ptr_nonnull(strstr(log, "region start: 0x0\n"));
    ck_assert_ptr_nonnull(strstr(log, "region end: 0x2000000\n"));
    ck_assert_ptr_nonnull(strstr(log, "region caps: 0x1f\n"));
    for (const char *l = log; *l; l = strchr(l, '\n') + 1)
        ck_assert_int_eq(l[0], 'I');
    free(log);
}
END_TEST

/* ---- suite ---------------------------------------------------------------------------- */

int main(void)
{
    Suite *s = suite_create("esp_mmu_map dump");
    TCase *t = tc(s, "1.13 dump");
    tcase_add_test(t, s3_dump_matches_the_reference_example_byte_for_byte);
    tcase_add_test(t, esp32_dump_byte_for_byte);
    tcase_add_test(t, s2_dump_byte_for_byte);
    tcase_add_test(t, p4_dump_byte_for_byte);
    tcase_add_test(t, private_dump_logs_blocks_then_the_region);
    return mmu_map_run(s);
}
