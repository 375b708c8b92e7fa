/* scn_op_rom_cache.c - the rom_cache step: one of the ROM cache routines of
 * <chip>/rom/cache.h, named by `call:` with ESP-IDF's name, with the arguments it takes
 * (`addr`/`size`, `map` on ESP32-P4 and ESP32-S31, `autoload`).  Where the P4/S31 routine
 * of a name takes a cache map and the other chips' does not (Cache_WriteBack_Addr), the
 * chip picks the form: `map:` is required there and refused elsewhere, when the file
 * loads.  A
 * routine the chip's ROM lacks is still called: it records a hal_assert hazard, as
 * the machine does for user code.
 *
 * The routine's int result (0, or ESP_ROM_ERR_INVALID_ARG) is the step's ret as
 * ESP_OK or ESP_ERR_INVALID_ARG; `value` is what the routine returned, as it is (also a
 * line size or a suspend's autoload). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "esp32c3/rom/cache.h"
#include "esp32s3/rom/cache.h"
#define MMSIM_ESP32P4_ROM_LINK_NAMES_ONLY /* the P4 routines by their link names */
#include "esp32p4/rom/cache.h"
#include "esp_err.h"
#include "scn_ops.h"

typedef struct {
    const char *name;
    int (*range)(uint32_t addr, uint32_t size);                      /* S2/S3/C: (addr, size) */
    int (*p4_range)(uint32_t map, uint32_t addr, uint32_t size);     /* P4: (map, addr, size) */
    void (*all)(void);                                               /* S2/S3/C: () */
    int (*p4_all)(uint32_t map);                                     /* P4: (map) */
    uint32_t (*get)(void);                                           /* line sizes, suspend */
    void (*resume)(uint32_t autoload);
} rom_call_t;

static const rom_call_t calls[] = {
    {"Cache_Invalidate_Addr", .range = Cache_Invalidate_Addr, .p4_range = esp32p4_rom_Cache_Invalidate_Addr},
    {"Cache_Clean_Addr", .range = Cache_Clean_Addr, .p4_range = esp32p4_rom_Cache_Clean_Addr},
    {"Cache_WriteBack_Addr", .range = Cache_WriteBack_Addr, .p4_range = esp32p4_rom_Cache_WriteBack_Addr},
    {"Cache_WriteBack_Invalidate_Addr", .p4_range = esp32p4_rom_Cache_WriteBack_Invalidate_Addr},
    {"Cache_Invalidate_ICache_All", .all = Cache_Invalidate_ICache_All},
    {"Cache_Invalidate_DCache_All", .all = Cache_Invalidate_DCache_All},
    {"Cache_Invalidate_All", .p4_all = esp32p4_rom_Cache_Invalidate_All},
    {"Cache_Clean_All", .all = Cache_Clean_All, .p4_all = esp32p4_rom_Cache_Clean_All},
    {"Cache_WriteBack_All", .all = Cache_WriteBack_All, .p4_all = esp32p4_rom_Cache_WriteBack_All},
    {"Cache_WriteBack_Invalidate_All", .p4_all = esp32p4_rom_Cache_WriteBack_Invalidate_All},
    {"Cache_Get_ICache_Line_Size", .get = Cache_Get_ICache_Line_Size},
    {"Cache_Get_DCache_Line_Size", .get = Cache_Get_DCache_Line_Size},
    {"Cache_Get_L1_ICache_Line_Size", .get = Cache_Get_L1_ICache_Line_Size},
    {"Cache_Get_L1_DCache_Line_Size", .get = Cache_Get_L1_DCache_Line_Size},
    {"Cache_Get_L2_Cache_Line_Size", .get = Cache_Get_L2_Cache_Line_Size},
    {"Cache_Suspend_ICache", .get = Cache_Suspend_ICache},
    {"Cache_Resume_ICache", .resume = Cache_Resume_ICache},
    {"Cache_Suspend_DCache", .get = Cache_Suspend_DCache},
    {"Cache_Resume_DCache", .resume = Cache_Resume_DCache},
};
#define NCALLS (sizeof calls / sizeof calls[0])

int scn_rom_call_find(const char *name)
{
    for (size_t i = 0; i < NCALLS; i++)
        if (!strcmp(calls[i].name, name))
            return (int)i;
    return -1;
}

const char *scn_rom_call_near(const char *name)
{
    for (size_t i = 0; i < NCALLS; i++)
        if (!strcasecmp(calls[i].name, name))
            return calls[i].name;
    return NULL;
}

void scn_rom_call_names(char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < NCALLS && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "", calls[i].name);
}

/* The map form is called where the chip's ROM takes a cache map (ESP32-P4 and ESP32-S31,
 * as the machine tells the ROM families apart) or the routine has no other form. */
static bool takes_map(const rom_call_t *c, bool p4)
{
    bool has_p4 = c->p4_range || c->p4_all, has_plain = c->range || c->all;
    return has_p4 && (p4 || !has_plain);
}

static bool given(const scn_step_t *st, const char *key)
{
    int i = scn_op_arg_index(st->op, key);
    return i >= 0 && st->args[i].given;
}

int scn_check_rom_cache(const chipdef_t *chip, const scn_step_t *st, char *why, size_t size)
{
    const rom_call_t *c = &calls[st->args[scn_op_arg_index(st->op, "call")].flags];
    bool map = takes_map(c, chipdef_rom_cache_takes_map(chip)), range = c->range || c->p4_range;
    if (map && !given(st, "map"))
        snprintf(why, size, "%s on %s takes a cache map%s: add map: [l1_dcache, l2_cache] (or the caches meant)",
                 c->name, chip->name, c->range || c->all ? "" : " (an ESP32-P4 routine)");
    else if (!map && given(st, "map"))
        snprintf(why, size, "%s on %s takes no cache map (ESP32-P4's and ESP32-S31's routines do)", c->name,
                 chip->name);
    else if (range && !(given(st, "addr") && given(st, "size")))
        snprintf(why, size, "%s needs addr and size", c->name);
    else if (!range && (given(st, "addr") || given(st, "size")))
        snprintf(why, size, "%s takes no addr or size", c->name);
    else if (!c->resume && given(st, "autoload"))
        snprintf(why, size, "%s takes no autoload", c->name);
    else
        return 0;
    return -1;
}

int scn_run_rom_cache(scn_exec_t *x, const scn_step_t *st, scn_result_t *r)
{
    const rom_call_t *c = &calls[scn_arg(st, "call")->flags];
    scn_note_arg(r, "call=%s", c->name);
    uint32_t addr = 0, size = 0, autoload = 0, map = 0;
    bool with_map = scn_arg(st, "map") != NULL; /* as the load-time check required */
    if (with_map)
        map = scn_arg_flags(st, r, "map");
    if ((c->range || c->p4_range) &&
        (scn_arg_u32(x, st, r, "addr", 0, &addr) || scn_arg_u32(x, st, r, "size", 0, &size)))
        return -1;
    if (c->resume && scn_arg_u32(x, st, r, "autoload", 0, &autoload))
        return -1;

    int rc = 0;
    bool result = true;
    uint64_t value = 0;
    if (c->range || c->p4_range)
        rc = with_map ? c->p4_range(map, addr, size) : c->range(addr, size);
    else if (with_map)
        rc = c->p4_all(map);
    else if (c->all)
        c->all(), result = false;
    else if (c->get)
        value = c->get();
    else
        c->resume(autoload), result = false;
    if (c->get)
        scn_out_num(r, 0, value);
    else if (result)
        scn_out_num(r, 0, (uint32_t)rc);
    r->ret = rc ? ESP_ERR_INVALID_ARG : ESP_OK;
    return 0;
}
