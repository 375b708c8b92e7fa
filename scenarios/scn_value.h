/* scn_value.h - the words of the scenario format: esp_err_t names, the flag
 * vocabularies (caps, targets, map and msync flags, view types, P4 cache maps), byte strings, and
 * the seeded byte sequence of `seed:` data. */
#ifndef MMSIM_SCN_VALUE_H
#define MMSIM_SCN_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scn_arena.h"

typedef struct {
    const char *name;
    uint32_t bit;
} scn_word_t;

/* Vocabularies, each ending with {NULL, 0}. */
extern const scn_word_t scn_caps_words[];
extern const scn_word_t scn_target_words[];
extern const scn_word_t scn_dma_target_words[];
extern const scn_word_t scn_heap_caps_words[];
extern const scn_word_t scn_map_flag_words[];
extern const scn_word_t scn_sync_flag_words[];
extern const scn_word_t scn_vtype_words[];
extern const scn_word_t scn_mmap_memory_words[];
extern const scn_word_t scn_cache_map_words[];

/* The bit of `name` in `words`; false if it is not one of them. */
bool scn_word_find(const scn_word_t *words, const char *name, uint32_t *bit);
/* "read, write" for a set of bits (unknown bits as hex); "none" for 0. */
void scn_words_text(const scn_word_t *words, uint32_t bits, char *buf, size_t size);
/* "exec, read, write, 32bit, 8bit" - for messages. */
void scn_words_list(const scn_word_t *words, char *buf, size_t size);

/* esp_err_t by name ("ESP_ERR_NOT_FOUND"); false if unknown. */
bool scn_err_from_name(const char *name, int *code);
/* The name of the i-th code a step can expect (for suggestions); NULL past the last. */
const char *scn_err_name_at(size_t i);
/* The name of a code ("ESP_OK", or the number for an unknown one). */
const char *scn_err_name(int code);

/* Bytes written as hex pairs separated by blanks ("12 34 56 78", "deadbeef"), with
 * `xx*N` repeating one byte N times (N as a size: 16, 4K).  Arena memory.  0, or -1
 * with why[] set. */
int scn_bytes_parse(scn_arena_t *a, const char *text, uint8_t **out, size_t *n, char *why, size_t size);
/* Bytes as "12 34 56 78", runs of 8 or more equal bytes as "ff*4096", cut with
 * "..." past `size`. */
void scn_bytes_text(const uint8_t *b, size_t n, char *buf, size_t size);

/* The pseudo-random fill of `fill`/`verify` with `seed`: byte `i` of the sequence
 * (xorshift32 words, little-endian, restarted from the seed at offset 0). */
void scn_random_fill(uint64_t seed, uint8_t *buf, size_t n);

#endif
