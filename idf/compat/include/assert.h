/* assert.h (compat) - found before the C library's by every <assert.h> of the upstream
 * sources and of the headers they include (ESP-IDF's esp_assert.h includes it too), so
 * assert() means the same wherever it is included: the C library's header is read for
 * static_assert, then assert() is redefined: on the chip a failed assertion aborts;
 * here it records an abort hazard and the code goes on, as a broken HAL_ASSERT does in
 * the simulator, so a run can report where the chip would have stopped.  It is checked
 * whatever NDEBUG says, as ESP-IDF's default (assertions enabled) does.  The hazard's
 * text is ESP-IDF's panic line without the line number, which changes with every edit
 * of the file: "assert failed: <function> <file> (<expression>)".
 * Deliberately without an include guard, like the C library's header. */
#include_next <assert.h>

void mmsim_idf_assert_failed(const char *expr, const char *file, int line, const char *func);
#undef assert
#define assert(e) ((e) ? (void)0 : mmsim_idf_assert_failed(#e, __FILE__, __LINE__, __func__))
