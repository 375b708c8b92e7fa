/* test_cache.c - Check tests of sim/cache.c: geometry, lookup/install, LRU victim
 * choice, invalidation and statistics. */
#include "cache.h"
#include "check_main.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static chipdef_cache_t test_def(uint32_t size, uint32_t ways, uint32_t line)
{
    chipdef_cache_t d;
    memset(&d, 0, sizeof d);
    strcpy(d.name, "test");
    d.size = size;
    d.ways = ways;
    d.line_size = line;
    return d;
}

/* Most tests use 1024 bytes, 4 ways, 32-byte lines = 8 sets: small enough to
 * reason about set by set. */
static cache_t *new_cache(uint32_t size, uint32_t ways, uint32_t line)
{
    chipdef_cache_t d = test_def(size, ways, line);
    cache_t *c = cache_new(&d);
    ck_assert_ptr_nonnull(c);
    return c;
}

/* Address of the n-th distinct line that maps to `set`. */
static uint32_t addr_in_set(const cache_t *c, uint32_t set, uint32_t n)
{
    return ((n * c->sets) + set) << c->line_shift;
}

/* The lookup-miss / victim / install sequence the machine performs. */
static cache_line_t *fill(cache_t *c, uint32_t addr)
{
    cache_line_t *l = cache_lookup(c, addr, true);
    if (l)
        return l;
    l = cache_victim(c, addr);
    cache_install(c, l, addr, addr + 0x10000000u, CHIPDEF_TARGET_FLASH);
    return l;
}

START_TEST(test_geometry)
{
    cache_t *c = new_cache(32 * 1024, 8, 64);
    ck_assert_uint_eq(c->sets, 64);
    ck_assert_uint_eq(c->line_shift, 6);
    ck_assert_uint_eq(c->set_mask, 63);
    ck_assert_uint_eq(cache_line_count(c), 512);
    ck_assert_uint_eq(cache_line_addr(c, 0x3C001234u), 0x3C001200u);
    ck_assert_uint_eq(cache_set_of(c, 0x3C001234u), (0x3C001234u >> 6) & 63);
    for (uint32_t i = 0; i < cache_line_count(c); i++)
        ck_assert(!c->lines[i].valid);
    cache_free(c);
}
END_TEST

START_TEST(test_bad_geometry_rejected)
{
    chipdef_cache_t d = test_def(1024, 0, 32);
    ck_assert_ptr_null(cache_new(&d));
    d = test_def(1024, 4, 24); /* line not a power of two */
    ck_assert_ptr_null(cache_new(&d));
    d = test_def(3 * 4 * 32, 4, 32); /* 3 sets */
    ck_assert_ptr_null(cache_new(&d));
}
END_TEST

START_TEST(test_miss_install_hit)
{
    cache_t *c = new_cache(1024, 4, 32);
    uint32_t a = 0x42000104u;
    ck_assert_ptr_null(cache_lookup(c, a, true));
    cache_line_t *v = cache_victim(c, a);
    cache_install(c, v, a, 0x00123456u, CHIPDEF_TARGET_PSRAM);
    ck_assert(v->valid);
    ck_assert(!v->dirty);
    ck_assert(!v->stale);
    ck_assert_uint_eq(v->key, 0x42000100u);
    ck_assert_uint_eq(v->paddr, 0x00123440u);
    ck_assert_uint_eq(v->target, CHIPDEF_TARGET_PSRAM);
    ck_assert_ptr_eq(cache_lookup(c, a, true), v);
    ck_assert_ptr_eq(cache_lookup(c, 0x4200011Fu, true), v); /* any byte of the line */
    ck_assert_ptr_null(cache_lookup(c, 0x42000120u, true));  /* the next line */
    cache_free(c);
}
END_TEST

START_TEST(test_stats_counts)
{
    cache_t *c = new_cache(1024, 4, 32);
    uint32_t a = 0x1000;
    cache_lookup(c, a, true);             /* miss */
    fill(c, a);                           /* miss + fill */
    cache_lookup(c, a, true);             /* hit */
    cache_lookup(c, a + 4, true);         /* hit */
    cache_lookup(c, a, false);            /* not counted */
    cache_lookup(c, a + 0x4000, false);   /* not counted */
    cache_count_writeback(c);
    ck_assert_uint_eq(c->stats.hits, 2);
    ck_assert_uint_eq(c->stats.misses, 2);
    ck_assert_uint_eq(c->stats.fills, 1);
    ck_assert_uint_eq(c->stats.writebacks, 1);
    ck_assert_uint_eq(c->stats.evictions, 0);
    ck_assert_uint_eq(c->stats.invalidations, 0);
    cache_reset_stats(c);
    ck_assert_uint_eq(c->stats.hits + c->stats.misses + c->stats.fills + c->stats.writebacks, 0);
    ck_assert_ptr_nonnull(cache_lookup(c, a, false)); /* contents survive a stats reset */
    cache_free(c);
}
END_TEST

START_TEST(test_uncounted_lookup_keeps_lru)
{
    cache_t *c = new_cache(4 * 32, 4, 32); /* one set */
    uint32_t a[4];
    for (uint32_t i = 0; i < 4; i++) {
        a[i] = addr_in_set(c, 0, i);
        fill(c, a[i]);
    }
    cache_lookup(c, a[0], false); /* a peek must not save a[0] from eviction */
    ck_assert_uint_eq(cache_victim(c, addr_in_set(c, 0, 9))->key, a[0]);
    cache_free(c);
}
END_TEST

START_TEST(test_invalid_ways_before_eviction)
{
    cache_t *c = new_cache(1024, 4, 32);
    cache_line_t *set0 = &c->lines[0];
    for (uint32_t i = 0; i < 4; i++) {
        cache_line_t *v = cache_victim(c, addr_in_set(c, 0, i));
        ck_assert_ptr_eq(v, &set0[i]); /* lowest-numbered invalid way */
        cache_install(c, v, addr_in_set(c, 0, i), 0, CHIPDEF_TARGET_FLASH);
    }
    ck_assert_uint_eq(c->stats.evictions, 0);
    ck_assert_uint_eq(c->stats.fills, 4);
    /* A hole in the middle is reused before any valid line is evicted. */
    cache_invalidate_line(c, &set0[2]);
    cache_lookup(c, addr_in_set(c, 0, 0), true);
    cache_lookup(c, addr_in_set(c, 0, 1), true);
    cache_lookup(c, addr_in_set(c, 0, 3), true);
    ck_assert_ptr_eq(cache_victim(c, addr_in_set(c, 0, 7)), &set0[2]);
    cache_free(c);
}
END_TEST

START_TEST(test_lru_eviction_order)
{
    cache_t *c = new_cache(1024, 4, 32);
    uint32_t a[4];
    for (uint32_t i = 0; i < 4; i++) {
        a[i] = addr_in_set(c, 3, i);
        fill(c, a[i]);
    }
    /* Touch order 2, 0, 3, 1: the victims must then come out as 2, 0, 3, 1. */
    ck_assert_ptr_nonnull(cache_lookup(c, a[2], true));
    ck_assert_ptr_nonnull(cache_lookup(c, a[0], true));
    ck_assert_ptr_nonnull(cache_lookup(c, a[3], true));
    ck_assert_ptr_nonnull(cache_lookup(c, a[1], true));
    uint32_t expect[4] = {a[2], a[0], a[3], a[1]};
    for (uint32_t i = 0; i < 4; i++) {
        uint32_t n = addr_in_set(c, 3, 10 + i);
        cache_line_t *v = cache_victim(c, n);
        ck_assert_uint_eq(v->key, expect[i]);
        cache_install(c, v, n, 0, CHIPDEF_TARGET_FLASH);
        ck_assert_ptr_null(cache_lookup(c, expect[i], false));
    }
    ck_assert_uint_eq(c->stats.evictions, 4);
    ck_assert_uint_eq(c->stats.fills, 8);
    cache_free(c);
}
END_TEST

START_TEST(test_victim_changes_nothing)
{
    cache_t *c = new_cache(1024, 4, 32);
    for (uint32_t i = 0; i < 4; i++)
        fill(c, addr_in_set(c, 1, i));
    cache_line_t before[4];
    memcpy(before, &c->lines[4], sizeof before);
    cache_stats_t st = c->stats;
    uint64_t clock = c->clock;
    cache_victim(c, addr_in_set(c, 1, 5));
    ck_assert_mem_eq(before, &c->lines[4], sizeof before);
    ck_assert_mem_eq(&st, &c->stats, sizeof st);
    ck_assert_uint_eq(c->clock, clock);
    cache_free(c);
}
END_TEST

START_TEST(test_invalidate_counts_only_valid)
{
    cache_t *c = new_cache(1024, 4, 32);
    cache_line_t *l = fill(c, 0x2000);
    l->dirty = true;
    cache_invalidate_line(c, l);
    ck_assert(!l->valid);
    ck_assert(!l->dirty);
    ck_assert_uint_eq(c->stats.invalidations, 1);
    cache_invalidate_line(c, l); /* already invalid */
    cache_invalidate_line(c, &c->lines[5]);
    ck_assert_uint_eq(c->stats.invalidations, 1);
    ck_assert_ptr_null(cache_lookup(c, 0x2000, false));
    cache_free(c);
}
END_TEST

START_TEST(test_invalidate_keeps_data)
{
    cache_t *c = new_cache(1024, 4, 32);
    cache_line_t *l = fill(c, 0x2000);
    uint8_t *d = cache_line_data(c, l);
    memset(d, 0x5A, 32);
    cache_invalidate_line(c, l);
    for (uint32_t i = 0; i < 32; i++)
        ck_assert_uint_eq(d[i], 0x5A);
    cache_free(c);
}
END_TEST

START_TEST(test_invalidate_all_keeps_stats)
{
    cache_t *c = new_cache(1024, 4, 32);
    for (uint32_t i = 0; i < 5; i++)
        fill(c, 0x20u * i); /* five different sets */
    cache_lookup(c, 0, true);
    cache_invalidate_all(c);
    for (uint32_t i = 0; i < cache_line_count(c); i++)
        ck_assert(!c->lines[i].valid);
    ck_assert_uint_eq(c->stats.fills, 5);
    ck_assert_uint_eq(c->stats.hits, 1);
    ck_assert_uint_eq(c->stats.misses, 5);
    ck_assert_uint_eq(c->stats.invalidations, 5); /* the valid lines only */
    ck_assert_ptr_null(cache_lookup(c, 0, false));
    cache_free(c);
}
END_TEST

START_TEST(test_different_sets_do_not_conflict)
{
    cache_t *c = new_cache(1024, 4, 32); /* 8 sets */
    /* Eight lines in eight sets: a 4-way set would evict if they collided. */
    cache_line_t *l[8];
    for (uint32_t s = 0; s < 8; s++)
        l[s] = fill(c, addr_in_set(c, s, 0));
    for (uint32_t s = 0; s < 8; s++) {
        ck_assert_ptr_eq(cache_lookup(c, addr_in_set(c, s, 0), true), l[s]);
        ck_assert_uint_eq(cache_line_index(c, l[s]) / 4, s);
    }
    ck_assert_uint_eq(c->stats.evictions, 0);
    /* Same set index, different tag: a miss, not a false hit. */
    ck_assert_ptr_null(cache_lookup(c, addr_in_set(c, 0, 1), false));
    cache_free(c);
}
END_TEST

START_TEST(test_direct_mapped)
{
    cache_t *c = new_cache(256, 1, 32); /* 8 sets x 1 way */
    ck_assert_uint_eq(c->sets, 8);
    uint32_t a = addr_in_set(c, 5, 0), b = addr_in_set(c, 5, 1);
    cache_line_t *la = fill(c, a);
    ck_assert_ptr_eq(cache_victim(c, b), la); /* the only way */
    cache_line_t *lb = fill(c, b);
    ck_assert_ptr_eq(la, lb);
    ck_assert_ptr_null(cache_lookup(c, a, false));
    ck_assert_ptr_nonnull(cache_lookup(c, b, false));
    ck_assert_uint_eq(c->stats.evictions, 1);
    ck_assert_uint_eq(cache_line_index(c, lb), 5);
    cache_free(c);
}
END_TEST

START_TEST(test_line_data_distinct)
{
    cache_t *c = new_cache(1024, 4, 32);
    uint32_t n = cache_line_count(c);
    ck_assert_uint_eq(n, 32);
    for (uint32_t i = 0; i < n; i++) {
        ck_assert_uint_eq(cache_line_index(c, &c->lines[i]), i);
        ck_assert_ptr_eq(cache_line_data(c, &c->lines[i]), c->data + (size_t)i * 32);
    }
    /* Writing every line's bytes with its index must not disturb any other line. */
    for (uint32_t i = 0; i < n; i++)
        memset(cache_line_data(c, &c->lines[i]), (int)i, 32);
    for (uint32_t i = 0; i < n; i++) {
        uint8_t *d = cache_line_data(c, &c->lines[i]);
        ck_assert_uint_eq(d[0], i);
        ck_assert_uint_eq(d[31], i);
    }
    cache_free(c);
}
END_TEST

START_TEST(test_reinstall_after_invalidate_is_not_eviction)
{
    cache_t *c = new_cache(1024, 4, 32);
    cache_line_t *l = fill(c, 0x40);
    cache_invalidate_line(c, l);
    cache_line_t *v = cache_victim(c, 0x40);
    ck_assert_ptr_eq(v, l);
    cache_install(c, v, 0x40, 0x40, CHIPDEF_TARGET_FLASH);
    ck_assert_uint_eq(c->stats.evictions, 0);
    ck_assert_uint_eq(c->stats.fills, 2);
    cache_free(c);
}
END_TEST

static Suite *cache_suite(void)
{
    Suite *su = suite_create("cache");
    TCase *tc = tcase_create("cache");
    tcase_add_test(tc, test_geometry);
    tcase_add_test(tc, test_bad_geometry_rejected);
    tcase_add_test(tc, test_miss_install_hit);
    tcase_add_test(tc, test_stats_counts);
    tcase_add_test(tc, test_uncounted_lookup_keeps_lru);
    tcase_add_test(tc, test_invalid_ways_before_eviction);
    tcase_add_test(tc, test_lru_eviction_order);
    tcase_add_test(tc, test_victim_changes_nothing);
    tcase_add_test(tc, test_invalidate_counts_only_valid);
    tcase_add_test(tc, test_invalidate_keeps_data);
    tcase_add_test(tc, test_invalidate_all_keeps_stats);
    tcase_add_test(tc, test_different_sets_do_not_conflict);
    tcase_add_test(tc, test_direct_mapped);
    tcase_add_test(tc, test_line_data_distinct);
    tcase_add_test(tc, test_reinstall_after_invalidate_is_not_eviction);
    suite_add_tcase(su, tc);
    return su;
}

int main(void) { return mmsim_check_run(cache_suite()); }
