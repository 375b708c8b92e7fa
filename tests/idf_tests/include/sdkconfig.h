/* sdkconfig.h (idf_tests) - the configuration Espressif's test files are compiled with:
 * the chip variant's generated one (the page size, the target, the cores: found next on
 * the include path, see tests/idf_tests/CMakeLists.txt), plus the test app's sdkconfig
 * choices, which the build passes as -D (CONFIG_SPIRAM, ...), plus what ESP-IDF's Unity
 * component sets for its test runner. */
#pragma once
#include_next <sdkconfig.h>

/* components/unity's Kconfig defaults: TEST_CASE registration on (unity_test_runner.h). */
#define CONFIG_UNITY_ENABLE_IDF_TEST_RUNNER 1

/* An sdkconfig without CONFIG_SPIRAM (the test apps' "release"): the generated file sets
 * it wherever the chip has PSRAM. */
#ifdef MMSIM_IDFTEST_SPIRAM_OFF
#undef CONFIG_SPIRAM
#endif
