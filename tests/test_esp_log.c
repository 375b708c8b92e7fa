/* test_esp_log.c - the host's ESP-IDF logging back end (levels per tag, the stream,
 * the in-memory capture) and esp_err_to_name. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"

#include "esp_err.h"
#include "esp_log.h"

/* Where lines go outside the stream test: the captures are what the tests read. */
static FILE *quiet;

static void setup(void) { esp_log_set_stream(quiet); }

static void teardown(void)
{
    esp_log_capture_end();
    esp_log_set_stream(NULL);
    esp_log_level_set("*", ESP_LOG_INFO);
}

/* Lines go to a memory stream, so a test can read what the stream got. */
static char *stream_text;
static size_t stream_len;

static FILE *open_stream(void)
{
    FILE *f = open_memstream(&stream_text, &stream_len);
    ck_assert_ptr_nonnull(f);
    esp_log_set_stream(f);
    return f;
}

static void close_stream(FILE *f)
{
    esp_log_set_stream(quiet);
    fclose(f);
}

START_TEST(lines_have_the_chip_shape)
{
    /* No machine bound: the platform's clock reads 0. */
    esp_log_capture_begin();
    ESP_LOGE("drv", "failed: %d", 7);
    ESP_LOGW("drv", "careful");
    ESP_LOGI("drv", "x=0x%x", 0x2a);
    ck_assert_str_eq(esp_log_capture_text(), "E (0) drv: failed: 7\nW (0) drv: careful\nI (0) drv: x=0x2a\n");
}
END_TEST

START_TEST(levels_per_tag_and_default)
{
    ck_assert_int_eq(esp_log_level_get("anything"), ESP_LOG_INFO);
    ck_assert_int_eq(esp_log_level_get("*"), ESP_LOG_INFO);
    esp_log_capture_begin();
    ESP_LOGD("a", "hidden");
    ESP_LOGV("a", "hidden");
    ck_assert_str_eq(esp_log_capture_text(), "");

    esp_log_level_set("a", ESP_LOG_VERBOSE);
    ck_assert_int_eq(esp_log_level_get("a"), ESP_LOG_VERBOSE);
    ck_assert_int_eq(esp_log_level_get("b"), ESP_LOG_INFO);
    ESP_LOGV("a", "shown");
    ESP_LOGD("b", "hidden");
    ck_assert_str_eq(esp_log_capture_text(), "V (0) a: shown\n");

    /* "*" moves the default; a tag with its own level keeps it. */
    esp_log_level_set("*", ESP_LOG_ERROR);
    ck_assert_int_eq(esp_log_level_get("b"), ESP_LOG_ERROR);
    ck_assert_int_eq(esp_log_level_get("a"), ESP_LOG_VERBOSE);
    ESP_LOGW("b", "hidden");
    ESP_LOGE("b", "shown");
    esp_log_level_set("a", ESP_LOG_NONE);
    ESP_LOGE("a", "hidden");
    ck_assert_str_eq(esp_log_capture_text(), "V (0) a: shown\nE (0) b: shown\n");
    esp_log_level_set("a", ESP_LOG_INFO);
}
END_TEST

START_TEST(many_tags_do_not_break_the_table)
{
    char tag[16];
    for (int i = 0; i < 100; i++) {
        snprintf(tag, sizeof tag, "tag%d", i);
        esp_log_level_set(tag, ESP_LOG_WARN);
    }
    ck_assert_int_eq(esp_log_level_get("tag0"), ESP_LOG_WARN);
    /* A tag longer than a slot is not stored: it follows the default. */
    esp_log_level_set("a_tag_name_much_longer_than_any_slot_of_the_table", ESP_LOG_NONE);
    ck_assert_int_eq(esp_log_level_get("a_tag_name_much_longer_than_any_slot_of_the_table"), ESP_LOG_INFO);
    for (int i = 0; i < 100; i++) {
        snprintf(tag, sizeof tag, "tag%d", i);
        esp_log_level_set(tag, ESP_LOG_INFO);
    }
    ck_assert_int_eq(esp_log_level_get("tag0"), ESP_LOG_INFO);
}
END_TEST

START_TEST(capture_grows_restarts_and_ends)
{
    ck_assert_str_eq(esp_log_capture_text(), "");
    esp_log_capture_begin();
    ck_assert_str_eq(esp_log_capture_text(), "");
    char body[101];
    memset(body, 'x', 100);
    body[100] = '\0';
    for (int i = 0; i < 1000; i++)
        ESP_LOGI("t", "%s", body);
    const size_t line = strlen("I (0) t: ") + 100 + 1;
    ck_assert_uint_eq(strlen(esp_log_capture_text()), 1000 * line);
    ck_assert_int_eq(strncmp(esp_log_capture_text() + 999 * line, "I (0) t: xxx", 12), 0);

    esp_log_capture_begin(); /* restart: earlier lines are gone */
    ESP_LOGI("t", "one");
    ck_assert_str_eq(esp_log_capture_text(), "I (0) t: one\n");
    esp_log_capture_end();
    ck_assert_str_eq(esp_log_capture_text(), "");
    ESP_LOGI("t", "not captured");
    ck_assert_str_eq(esp_log_capture_text(), "");
}
END_TEST

START_TEST(stream_gets_the_lines_too)
{
    FILE *f = open_stream();
    esp_log_capture_begin();
    ESP_LOGE("s", "to both %s", "places");
    ESP_LOGD("s", "to neither");
    close_stream(f);
    ck_assert_str_eq(stream_text, "E (0) s: to both places\n");
    ck_assert_str_eq(esp_log_capture_text(), "E (0) s: to both places\n");
    free(stream_text);
    stream_text = NULL;
}
END_TEST

START_TEST(err_names)
{
    static const struct {
        esp_err_t code;
        const char *name;
    } cases[] = {
        {ESP_OK, "ESP_OK"},
        {ESP_FAIL, "ESP_FAIL"},
        {ESP_ERR_NO_MEM, "ESP_ERR_NO_MEM"},
        {ESP_ERR_INVALID_ARG, "ESP_ERR_INVALID_ARG"},
        {ESP_ERR_INVALID_STATE, "ESP_ERR_INVALID_STATE"},
        {ESP_ERR_INVALID_SIZE, "ESP_ERR_INVALID_SIZE"},
        {ESP_ERR_NOT_FOUND, "ESP_ERR_NOT_FOUND"},
        {ESP_ERR_NOT_SUPPORTED, "ESP_ERR_NOT_SUPPORTED"},
        {ESP_ERR_TIMEOUT, "ESP_ERR_TIMEOUT"},
        {ESP_ERR_INVALID_RESPONSE, "ESP_ERR_INVALID_RESPONSE"},
        {ESP_ERR_INVALID_CRC, "ESP_ERR_INVALID_CRC"},
        {ESP_ERR_INVALID_VERSION, "ESP_ERR_INVALID_VERSION"},
        {ESP_ERR_INVALID_MAC, "ESP_ERR_INVALID_MAC"},
        {ESP_ERR_NOT_FINISHED, "ESP_ERR_NOT_FINISHED"},
        {ESP_ERR_NOT_ALLOWED, "ESP_ERR_NOT_ALLOWED"},
        {ESP_ERR_WIFI_BASE, "ESP_ERR_WIFI_BASE"},
        {ESP_ERR_MESH_BASE, "ESP_ERR_MESH_BASE"},
        {ESP_ERR_FLASH_BASE, "ESP_ERR_FLASH_BASE"},
        {ESP_ERR_HW_CRYPTO_BASE, "ESP_ERR_HW_CRYPTO_BASE"},
        {ESP_ERR_MEMPROT_BASE, "ESP_ERR_MEMPROT_BASE"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        ck_assert_str_eq(esp_err_to_name(cases[i].code), cases[i].name);
    ck_assert_str_eq(esp_err_to_name(0x1FF), "UNKNOWN ERROR");
    ck_assert_str_eq(esp_err_to_name(-2), "UNKNOWN ERROR");
}
END_TEST

int main(void)
{
    quiet = fopen("/dev/null", "w");
    Suite *s = suite_create("esp_log");
    TCase *t = tcase_create("esp_log");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, lines_have_the_chip_shape);
    tcase_add_test(t, levels_per_tag_and_default);
    tcase_add_test(t, many_tags_do_not_break_the_table);
    tcase_add_test(t, capture_grows_restarts_and_ends);
    tcase_add_test(t, stream_gets_the_lines_too);
    tcase_add_test(t, err_names);
    suite_add_tcase(s, t);
    int rc = mmsim_check_run(s);
    if (quiet)
        fclose(quiet);
    return rc;
}
