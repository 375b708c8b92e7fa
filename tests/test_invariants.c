/* test_invariants.c - the machine's self-check: a machine driven through its access
 * paths passes; each kind of corruption (a flag, a tag in the wrong set, a tag twice,
 * a holder count, an MMU state) is caught and named. */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "invariants.h"
#include "sim_fixture.h"

static machine_t *m;
static char why[256];

static void teardown(void)
{
    machine_free(m);
    m = NULL;
}

/* An S3 with one PSRAM page mapped at 0x3C100000 and a few lines in the D-cache, one dirty. */
static void build_busy_s3(void)
{
    m = build("esp32s3", NULL, 0);
    map_page_in(m, 0, 0x3C100000, CHIPDEF_TARGET_PSRAM, 0x20000);
    uint8_t b[64] = {1, 2, 3};
    wr(m, 0, 0x3C100000, b, 4);
    for (uint32_t off = 64; off < 4096; off += 64)
        rd(m, 1, 0x3C100000 + off, b, 4);
    ck_assert_msg(machine_check_invariants(m, why, sizeof why) == 0, "%s", why);
}

/* The D-cache instance core 0 uses, and its first valid line. */
static cache_t *dcache(void)
{
    for (uint32_t i = 0; i < m->chip.cache_count; i++)
        if (m->chip.caches[i].kind != CHIPDEF_CACHE_INSTRUCTION && m->chip.caches[i].level == 1)
            return m->caches[i][0];
    ck_abort_msg("no D-cache");
    return NULL;
}

static cache_line_t *first_valid(cache_t *c)
{
    for (uint32_t i = 0; i < c->sets * c->def.ways; i++)
        if (c->lines[i].valid)
            return &c->lines[i];
    ck_abort_msg("no valid line");
    return NULL;
}

static void expect_broken(const char *words)
{
    ck_assert_int_eq(machine_check_invariants(m, why, sizeof why), -1);
    ck_assert_msg(strstr(why, words), "\"%s\" lacks \"%s\"", why, words);
}

START_TEST(a_used_machine_is_consistent)
{
    const char *chips[] = {"esp32", "esp32s2", "esp32s3", "esp32p4", "esp32c3"};
    for (size_t i = 0; i < sizeof chips / sizeof chips[0]; i++) {
        teardown();
        m = build(chips[i], NULL, 0);
        ck_assert_msg(machine_check_invariants(m, why, sizeof why) == 0, "%s: %s", chips[i], why);
    }
    teardown();
    build_busy_s3();
}
END_TEST

START_TEST(flags_of_an_invalid_line)
{
    build_busy_s3();
    cache_t *c = dcache();
    for (uint32_t i = 0; i < c->sets * c->def.ways; i++)
        if (!c->lines[i].valid) {
            c->lines[i].dirty = true;
            break;
        }
    expect_broken("invalid line marked dirty or stale");
}
END_TEST

START_TEST(a_tag_in_the_wrong_set)
{
    build_busy_s3();
    cache_line_t *l = first_valid(dcache());
    l->key += dcache()->def.line_size; /* the next set's address */
    expect_broken("sits in set");
}
END_TEST

START_TEST(a_tag_twice_in_a_set)
{
    build_busy_s3();
    cache_t *c = dcache();
    cache_line_t *l = first_valid(c);
    uint32_t set = cache_set_of(c, l->key);
    cache_line_t *other = &c->lines[set * c->def.ways + (l == &c->lines[set * c->def.ways] ? 1 : 0)];
    *other = *l;
    expect_broken("twice in set");
}
END_TEST

START_TEST(a_holder_count_off)
{
    build_busy_s3();
    cache_t *c = dcache();
    cache_line_t *l = first_valid(c);
    c->holders[cache_holder_slot(c->holders_mask, l->target, l->paddr, c->line_shift)]++;
    expect_broken("holder filter of level 1");
}
END_TEST

/* A key chunk count too low would let a range operation skip a line it must reach. */
START_TEST(a_key_chunk_count_off)
{
    build_busy_s3();
    cache_t *c = dcache();
    c->key_chunks[cache_key_chunk(first_valid(c)->key)]--;
    expect_broken("key chunk");
}
END_TEST

START_TEST(dirty_in_a_read_only_cache_and_a_future_stamp)
{
    build_busy_s3();
    cache_t *c = dcache();
    c->def.write_back = false;
    expect_broken("without write-back");
    c->def.write_back = true;
    first_valid(c)->lru = c->clock + 1;
    expect_broken("used in the future");
}
END_TEST

START_TEST(an_mmu_state_that_cannot_be)
{
    build_busy_s3();
    mmu_decode_t d;
    ck_assert(mmu_decode(&m->chip, 0x3C100000, &d));
    m->mmu.unmapped[d.mmu][0][d.entry] = MMU_ENTRY_UNMAPPED; /* yet the entry is valid */
    expect_broken("state 1 with a valid entry");
    mmu_release_entry(&m->mmu, d.mmu, 0, d.entry);
    ck_assert_int_eq(machine_check_invariants(m, why, sizeof why), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("invariants");
    TCase *t = tcase_create("machine");
    tcase_add_checked_fixture(t, NULL, teardown);
    tcase_add_test(t, a_used_machine_is_consistent);
    tcase_add_test(t, flags_of_an_invalid_line);
    tcase_add_test(t, a_tag_in_the_wrong_set);
    tcase_add_test(t, a_tag_twice_in_a_set);
    tcase_add_test(t, a_holder_count_off);
    tcase_add_test(t, a_key_chunk_count_off);
    tcase_add_test(t, dirty_in_a_read_only_cache_and_a_future_stamp);
    tcase_add_test(t, an_mmu_state_that_cannot_be);
    suite_add_tcase(s, t);
    return mmsim_check_run(s);
}
