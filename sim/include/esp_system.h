/* esp_system.h - the part of ESP-IDF's system API the memory drivers call: abort with
 * a reason.  On the simulator the abort is recorded as an MMSIM_HAZARD_ABORT hazard and
 * the call returns, so the run goes on and the report names where the chip would stop. */
#ifndef MMSIM_ESP_SYSTEM_H
#define MMSIM_ESP_SYSTEM_H

#ifdef __cplusplus
extern "C" {
#endif

/* Where the chip would print `details` and reset.  Records an abort hazard; returns. */
void esp_system_abort(const char *details);

#ifdef __cplusplus
}
#endif

#endif
