/* hal/cache_types.h - the cache types of ESP-IDF's HAL (components/hal/include/hal/cache_types.h):
 * cache type and the bus mask.  Names and values are ESP-IDF's; the bus bits equal the
 * CHIPDEF_BUS_* constants of the chip definitions (checked in sim/hal_cache.c). */
#ifndef MMSIM_HAL_CACHE_TYPES_H
#define MMSIM_HAL_CACHE_TYPES_H

#ifndef BIT
#define BIT(nr) (1UL << (nr))
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    CACHE_TYPE_DATA,
    CACHE_TYPE_INSTRUCTION,
    CACHE_TYPE_ALL, /* both, or the one shared I/D cache */
} cache_type_t;

/* The buses a virtual range is reached through (a bit set); see cache_ll_l1_get_bus. */
typedef enum {
    CACHE_BUS_IBUS0 = BIT(0),
    CACHE_BUS_IBUS1 = BIT(1),
    CACHE_BUS_IBUS2 = BIT(2),
    CACHE_BUS_DBUS0 = BIT(3),
    CACHE_BUS_DBUS1 = BIT(4),
    CACHE_BUS_DBUS2 = BIT(5),
} cache_bus_mask_t;

typedef enum {
    CACHE_PRELOAD_ORDER_ASCENDING,
    CACHE_PRELOAD_ORDER_DESCENDING,
} cache_preload_order_t;

#ifdef __cplusplus
}
#endif

#endif
