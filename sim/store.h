/* store.h - backing stores: the bytes of SPI flash (NOR semantics) and PSRAM.
 *
 * Sparse: memory is allocated per 4 KB chunk only when a chunk is first written,
 * so a chip with 16 MB of flash and 32 MB of PSRAM costs next to nothing until used.
 * Reading a chunk never written returns the store's fill byte (0xFF for erased
 * flash).  Addresses are physical offsets into the device; every function checks
 * its range and never touches memory outside the store. */
#ifndef MMSIM_STORE_H
#define MMSIM_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define STORE_CHUNK_SIZE 4096u
#define STORE_SECTOR_SIZE 4096u  /* flash erase granularity */
#define STORE_BLOCK_SIZE 65536u  /* flash block erase */

#define STORE_CHUNK_MASK (STORE_CHUNK_SIZE - 1u)

/* The fields belong to store.c; they are here only for the inline functions below,
 * which the memory hierarchy calls on every line fill and write-back (phys.h). */
typedef struct store {
    uint32_t size;
    uint32_t nchunks;
    uint8_t fill;
    size_t resident;   /* bytes of allocated chunks plus the index */
    uint8_t **chunks;  /* nchunks entries, NULL = never written (reads as fill) */
    uint32_t allocs_left; /* store_limit_allocs */
} store_t;

/* A new store of `size` bytes (a multiple of STORE_CHUNK_SIZE, may be 0) whose
 * unwritten bytes read as `fill`.  NULL on allocation failure. */
store_t *store_new(uint32_t size, uint8_t fill);
void store_free(store_t *s);

static inline uint32_t store_size(const store_t *s) { return s->size; }

/* [addr, addr+len) is not empty and lies inside the store and inside one chunk. */
static inline bool store_in_one_chunk(const store_t *s, uint32_t addr, uint32_t len)
{
    return len && (uint64_t)addr + len <= s->size && (addr & STORE_CHUNK_MASK) + len <= STORE_CHUNK_SIZE;
}

/* The bytes of [addr, addr+len) in place, if they lie inside one chunk already
 * written; else NULL (use store_write).  Writing through the pointer is what
 * store_write would do there. */
static inline uint8_t *store_span(const store_t *s, uint32_t addr, uint32_t len)
{
    if (!store_in_one_chunk(s, addr, len))
        return NULL;
    uint8_t *chunk = s->chunks[addr / STORE_CHUNK_SIZE];
    return chunk ? chunk + (addr & STORE_CHUNK_MASK) : NULL;
}

/* store_read of a range inside one chunk, written or not (a line fill), inline.
 * False, nothing done, for any other range. */
static inline bool store_read_span(const store_t *s, uint32_t addr, uint8_t *buf, uint32_t len)
{
    if (!store_in_one_chunk(s, addr, len))
        return false;
    const uint8_t *chunk = s->chunks[addr / STORE_CHUNK_SIZE];
    if (chunk)
        memcpy(buf, chunk + (addr & STORE_CHUNK_MASK), len);
    else
        memset(buf, s->fill, len);
    return true;
}

/* Copy bytes out.  Returns 0, or -1 (nothing copied) if [addr, addr+len) is not
 * inside the store. */
int store_read(const store_t *s, uint32_t addr, void *buf, uint32_t len);

/* Overwrite bytes (PSRAM writes, cache write-backs, DMA).  0 or -1 as above;
 * -2 if a chunk could not be allocated (nothing changed). */
int store_write(store_t *s, uint32_t addr, const void *buf, uint32_t len);

/* NOR program: each byte becomes old AND new (programming only clears bits). */
int store_program(store_t *s, uint32_t addr, const void *buf, uint32_t len);

/* NOR erase: `addr` and `len` must be multiples of STORE_SECTOR_SIZE; the range
 * reads 0xFF afterwards and its chunks are released.  -1 on a bad range or
 * alignment (nothing changed).  In a store whose fill is not 0xFF a released chunk
 * would read as the fill, so there the chunks are kept and set to 0xFF instead
 * (-2 if one could not be allocated, nothing changed). */
int store_erase(store_t *s, uint32_t addr, uint32_t len);

/* Direct pointer to the bytes of the chunk holding `addr`, allocating it (for
 * writes) or NULL if it was never written (for reads: use the fill byte). The
 * pointer covers addr up to the end of its chunk.  Both return NULL for an addr
 * outside the store, and the write one also when allocation fails. */
uint8_t *store_chunk_for_write(store_t *s, uint32_t addr);
const uint8_t *store_chunk_for_read(const store_t *s, uint32_t addr);
uint8_t store_fill(const store_t *s);

/* For tests: only the next `n` chunk allocations of `s` succeed, the later ones fail
 * as if the host were out of memory (UINT32_MAX, the default: no limit), so that a
 * test can make the model run out of memory exactly where it wants. */
void store_limit_allocs(store_t *s, uint32_t n);

/* Bytes currently allocated for chunks and the chunk index. */
size_t store_resident_bytes(const store_t *s);

/* Start from an image file: its bytes land at offset 0; an image shorter than the
 * store leaves the rest unwritten; a larger one is an error.  The file is only
 * read.  0 or -1 with a message naming the file in err. */
int store_load_image(store_t *s, const char *path, char *err, size_t errlen);

/* Save the whole store to `path` atomically: write "<path>.tmp.<pid>", fsync it,
 * rename over `path`, fsync the directory.  On error `path` is untouched and the
 * temp file removed.  0 or -1 with a message in err. */
int store_save_image(const store_t *s, const char *path, char *err, size_t errlen);

#endif
