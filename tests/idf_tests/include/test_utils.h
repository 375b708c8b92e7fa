/* test_utils.h (idf_tests) - the one helper of ESP-IDF's test_utils component
 * (tools/test_apps/components/test_utils) that the flash mmap tests call. */
#pragma once
#include <stdio.h>  /* ESP-IDF's test_utils.h brings these in: test_mmap_utils.c relies on it */
#include <stdlib.h>
#include "esp_partition.h"
#include "unity.h" /* as ESP-IDF's: users of test_utils.h get the assertions */

/* The data partition labelled "flash_test" of the test app's partitions.csv; a failed
 * Unity assertion (the case stops) if the table has none. */
const esp_partition_t *get_test_data_partition(void);
