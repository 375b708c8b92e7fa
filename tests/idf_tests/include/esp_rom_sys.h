/* esp_rom_sys.h (idf_tests) - the ROM's printf, which the tests use for a few lines. */
#pragma once
int esp_rom_printf(const char *fmt, ...);
