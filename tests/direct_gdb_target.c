/* direct_gdb_target.c - the program tests/direct_gdb.cmake debugs: it attaches a chip,
 * writes a struct and a string into PSRAM through pointers, and stops in
 * direct_gdb_stop, where the gdb commands of direct/gdb/mmsim_gdb.py read them. */
#include <stdio.h>
#include <string.h>

#include "esp_heap_caps.h"
#include "mmsim.h"
#include "mmsim_direct.h"

typedef struct {
    unsigned magic;
    short x, y;
    char name[12];
} sprite_t;

__attribute__((noinline)) void direct_gdb_stop(sprite_t *s, char *text)
{
    __asm__ volatile("" : : "r"(s), "r"(text) : "memory");
}

int main(void)
{
    mmsim_config_t cfg = mmsim_config_default("esp32s3");
    mmsim_t *m;
    if (mmsim_open(&cfg, &m) != 0 || mmsim_direct_attach(m) != 0) {
        fprintf(stderr, "direct_gdb_target: %s\n", mmsim_last_error());
        return 2;
    }
    sprite_t *s = heap_caps_malloc(sizeof *s, MALLOC_CAP_SPIRAM);
    char *text = heap_caps_malloc(32, MALLOC_CAP_SPIRAM);
    s->magic = 0xC0FFEE42u;
    s->x = -3;
    s->y = 17;
    strcpy(s->name, "ship");
    strcpy(text, "hello, chip");
    direct_gdb_stop(s, text);
    mmsim_direct_detach(m);
    mmsim_close(m);
    return 0;
}
