/* scn_load_args.c - a step's operation arguments against the operation's table
 * (scn_ops.c): each argument's kind (expression, flag words, bytes, core, handle,
 * boolean), the required ones, one-of groups and what an argument needs or excludes;
 * a constant argument's value is checked now, not when the step runs. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "fw_partition.h"
#include "scn_env.h"
#include "scn_expr.h"
#include "scn_load.h"

/* scn_expr_names callback: any name makes the expression non-constant. */
static int constant_name(void *ctx, const char *name, int is_list)
{
    (void)ctx, (void)name, (void)is_list;
    return -1;
}

/* An argument without saved names has its value now: a value the run would refuse
 * (past 32 bits, a pattern past a byte, a core the chip lacks, `0 - 1`) is a load
 * error, at its line, rather than a failure after the steps before it ran. */
static int check_constant(scn_loader_t *L, const ydoc_node_t *v, const char *key, const scn_expr_t *e)
{
    if (scn_expr_names(e, constant_name, NULL))
        return 0;
    scn_env_t none = {0};
    uint64_t num;
    char why[300];
    if (scn_eval(&none, e, &num, why, sizeof why))
        return scn_fail(L, v, "%s: %s", key, why);
    if (!strcmp(key, "pattern") && num > 0xff)
        return scn_fail(L, v, "pattern: 0x%llx is not a byte (0..0xff)", (unsigned long long)num);
    if (!strcmp(key, "width") && num != 1 && num != 2 && num != 4 && num != 8 && num != 16)
        return scn_fail(L, v, "width: %llu is not an access width (1, 2, 4, 8 or 16 bytes)", (unsigned long long)num);
    if (!strcmp(key, "cpu_cycles") && num > 1000)
        return scn_fail(L, v, "cpu_cycles: %llu is more than 1000 cycles per access", (unsigned long long)num);
    if (!strcmp(key, "core") && num >= L->chip->cores)
        return scn_fail(L, v, "core: %s has no core %llu (it has %u)", L->chip->name, (unsigned long long)num,
                        L->chip->cores);
    if (strcmp(key, "seed") && num > UINT32_MAX)
        return scn_fail(L, v, "%s: 0x%llx does not fit in 32 bits", key, (unsigned long long)num);
    return 0;
}

/* A list of numbers or expressions (spi_flash_mmap_pages' pages), at most this many. */
#define MAX_NUMS 4096

static int load_nums(scn_loader_t *L, const ydoc_node_t *v, const char *key, scn_arg_t *a)
{
    if (v->kind != YDOC_SEQUENCE)
        return scn_fail(L, v, "%s must be a list of numbers such as [21, 22, 20], not %s", key, scn_kind_name(v->kind));
    if (v->count > MAX_NUMS)
        return scn_fail(L, v->items[MAX_NUMS], "%s: more than %u numbers", key, MAX_NUMS);
    a->nexprs = v->count;
    a->exprs = scn_arena_alloc(L->arena, (v->count ? v->count : 1) * sizeof *a->exprs);
    if (!a->exprs)
        return scn_fail(L, v, "out of memory");
    for (size_t i = 0; i < v->count; i++)
        if (scn_load_expr(L, v->items[i], key, &a->exprs[i]) || check_constant(L, v->items[i], key, a->exprs[i]))
            return -1;
    return 0;
}

/* ---- partition types and subtypes by name (partition_find) ---- */

#define PART_ANY 0xffu /* ESP_PARTITION_TYPE_ANY, ESP_PARTITION_SUBTYPE_ANY */

/* A type by gen_esp32part.py's name ("data"), or `any`. */
static bool ptype_of(const char *name, uint32_t *out)
{
    if (!strcasecmp(name, "any"))
        return *out = PART_ANY, true;
    for (uint32_t t = 0; t < PART_ANY; t++) {
        const char *n = fw_part_type_name((uint8_t)t);
        if (n && !strcasecmp(n, name))
            return *out = t, true;
    }
    return false;
}

/* A subtype of `type` by its name ("nvs" of data, "ota_0" of app). */
static bool psubtype_of(uint32_t type, const char *name, uint32_t *out)
{
    for (uint32_t s = 0; s < PART_ANY; s++) {
        const char *n = fw_part_subtype_name((uint8_t)type, (uint8_t)s);
        if (n && !strcasecmp(n, name))
            return *out = s, true;
    }
    return false;
}

static bool psubtype_known(const char *name)
{
    uint32_t v;
    for (uint32_t t = 0; t < PART_ANY; t++)
        if (fw_part_type_name((uint8_t)t) && psubtype_of(t, name, &v))
            return true;
    return !strcasecmp(name, "any");
}

/* The names of `type`'s subtypes, or of the types (type PART_ANY + 1), for messages. */
static void pnames(uint32_t type, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (uint32_t v = 0; v < PART_ANY && len < size; v++) {
        const char *n = type > PART_ANY ? fw_part_type_name((uint8_t)v) : fw_part_subtype_name((uint8_t)type, (uint8_t)v);
        if (n)
            len += (size_t)snprintf(buf + len, size - len, "%s, ", n);
    }
}

static bool is_identifier(const char *s)
{
    if (!isalpha((unsigned char)*s) && *s != '_')
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_')
            return false;
    return true;
}

/* `type:` or `subtype:` of partition_find: a name, kept in a->flags (a type) or
 * a->name (a subtype, resolved against the type once all arguments are read), or an
 * expression.  The names win over saved names (`app + 0` reads a saved `app`). */
static int load_pname(scn_loader_t *L, const scn_arg_spec_t *spec, const ydoc_node_t *v, scn_arg_t *a)
{
    bool type = spec->kind == SCN_ARG_PTYPE;
    bool word = v->kind == YDOC_SCALAR && is_identifier(v->value);
    if (!word || !(type ? ptype_of(v->value, &a->flags) : psubtype_known(v->value))) {
        if (word && !scn_known_find(L, v->value)) {
            char names[400];
            pnames(type ? PART_ANY + 1 : PART_ANY, names, sizeof names);
            if (!type) /* every type's subtype names */
                for (uint32_t t = 0; t < PART_ANY; t++)
                    if (fw_part_type_name((uint8_t)t)) {
                        size_t len = strlen(names);
                        pnames(t, names + len, sizeof names - len);
                    }
            scn_near_t n;
            char hint[80];
            scn_near_init(&n, v->value);
            for (uint32_t t = 0; t < PART_ANY; t++) {
                if (type) {
                    scn_near_add(&n, fw_part_type_name((uint8_t)t));
                    continue;
                }
                for (uint32_t st = 0; fw_part_type_name((uint8_t)t) && st < PART_ANY; st++)
                    scn_near_add(&n, fw_part_subtype_name((uint8_t)t, (uint8_t)st));
            }
            return scn_fail(L, v, "%s: unknown %s '%s' (%sexpected %sany, a number, or a saved name)", spec->key,
                            type ? "partition type" : "partition subtype", v->value,
                            scn_near_hint(&n, hint, sizeof hint), names);
        }
        return scn_load_expr(L, v, spec->key, &a->expr) || check_constant(L, v, spec->key, a->expr);
    }
    a->flag = true;
    if (!(a->name = scn_arena_strdup(L->arena, v->value)))
        return scn_fail(L, v, "out of memory");
    return 0;
}

/* A subtype given by name means a subtype of the type given by name. */
static int resolve_psubtype(scn_loader_t *L, const scn_step_t *st, const ydoc_node_t *args)
{
    const scn_op_t *op = st->op;
    int ti = -1, si = -1;
    for (int i = 0; i < SCN_MAX_ARGS && op->args[i].key; i++) {
        if (op->args[i].kind == SCN_ARG_PTYPE)
            ti = i;
        if (op->args[i].kind == SCN_ARG_PSUBTYPE)
            si = i;
    }
    scn_arg_t *sub = si >= 0 ? (scn_arg_t *)&st->args[si] : NULL;
    if (!sub || !sub->given || !sub->flag)
        return 0;
    const ydoc_node_t *at = ydoc_get(args, op->args[si].key);
    if (!strcasecmp(sub->name, "any"))
        return sub->flags = PART_ANY, 0;
    const scn_arg_t *type = ti >= 0 && st->args[ti].given ? &st->args[ti] : NULL;
    if (!type || !type->flag || type->flags == PART_ANY)
        return scn_fail(L, at, "%s: a subtype by name ('%s') needs the type by name too (app, data, bootloader or "
                        "partition_table); or give the number", op->args[si].key, sub->name);
    if (!psubtype_of(type->flags, sub->name, &sub->flags)) {
        char names[400];
        pnames(type->flags, names, sizeof names);
        return scn_fail(L, at, "%s: '%s' is not a subtype of %s (its subtypes: %sor a number)", op->args[si].key,
                        sub->name, type->name, names);
    }
    return 0;
}

static int load_arg(scn_loader_t *L, const scn_arg_spec_t *spec, const ydoc_node_t *v, scn_arg_t *a)
{
    a->given = true;
    a->line = v->line;
    a->col = v->col;
    switch (spec->kind) {
    case SCN_ARG_NUM:
        return scn_load_expr(L, v, spec->key, &a->expr) || check_constant(L, v, spec->key, a->expr);
    case SCN_ARG_TARGET:
        return scn_load_flags(L, v, spec->key, scn_target_words, false, &a->flags);
    case SCN_ARG_CAPS:
        return scn_load_flags(L, v, spec->key, scn_caps_words, false, &a->flags);
    case SCN_ARG_MAP_FLAGS:
        return scn_load_flags(L, v, spec->key, scn_map_flag_words, false, &a->flags);
    case SCN_ARG_SYNC_FLAGS:
        return scn_load_flags(L, v, spec->key, scn_sync_flag_words, false, &a->flags);
    case SCN_ARG_VTYPE:
        return scn_load_flags(L, v, spec->key, scn_vtype_words, true, &a->flags);
    case SCN_ARG_BYTES:
        return scn_load_bytes(L, v, spec->key, &a->bytes, &a->nbytes);
    case SCN_ARG_CORE:
        if (v->kind == YDOC_SCALAR && !strcmp(v->value, "all"))
            return 0; /* expr NULL: every core */
        return scn_load_expr(L, v, spec->key, &a->expr) || check_constant(L, v, spec->key, a->expr);
    case SCN_ARG_MMAP_MEMORY:
        return scn_load_flags(L, v, spec->key, scn_mmap_memory_words, false, &a->flags);
    case SCN_ARG_DMA_TARGET:
        return scn_load_flags(L, v, spec->key, scn_dma_target_words, true, &a->flags);
    case SCN_ARG_HEAP_CAPS:
        return scn_load_flags(L, v, spec->key, scn_heap_caps_words, false, &a->flags);
    case SCN_ARG_NUMS:
        return load_nums(L, v, spec->key, a);
    case SCN_ARG_HIMEM:
    case SCN_ARG_RANGE:
    case SCN_ARG_MMAP: {
        scn_name_kind_t want = spec->kind == SCN_ARG_HIMEM   ? SCN_NAME_HIMEM
                               : spec->kind == SCN_ARG_RANGE ? SCN_NAME_RANGE
                                                             : SCN_NAME_MMAP;
        if (scn_need_scalar(L, v, spec->key))
            return -1;
        const scn_known_t *k = scn_use_name(L, v, spec->key, v->value, want);
        if (!k)
            return -1;
        a->name = k->name;
        return 0;
    }
    case SCN_ARG_CACHE_MAP:
        return scn_load_flags(L, v, spec->key, scn_cache_map_words, false, &a->flags);
    case SCN_ARG_ROM_CALL: {
        if (scn_need_scalar(L, v, spec->key))
            return -1;
        int call = scn_rom_call_find(v->value);
        const char *near = call < 0 ? scn_rom_call_near(v->value) : NULL;
        if (near)
            return scn_fail(L, v, "%s: unknown ROM cache routine '%s' (did you mean '%s'?)", spec->key, v->value, near);
        if (call < 0) {
            char names[800];
            scn_rom_call_names(names, sizeof names);
            return scn_fail(L, v, "%s: unknown ROM cache routine '%s' (expected one of %s)", spec->key, v->value,
                            names);
        }
        a->flags = (uint32_t)call;
        return 0;
    }
    case SCN_ARG_TEXT:
        if (scn_need_scalar(L, v, spec->key))
            return -1;
        if (!(a->name = scn_arena_strdup(L->arena, v->value)))
            return scn_fail(L, v, "out of memory");
        return 0;
    case SCN_ARG_PTYPE:
    case SCN_ARG_PSUBTYPE:
        return load_pname(L, spec, v, a);
    case SCN_ARG_BOOL:
        if (v->kind != YDOC_SCALAR || v->quoted || (strcmp(v->value, "true") && strcmp(v->value, "false")))
            return scn_fail(L, v, "%s must be true or false", spec->key);
        a->flag = !strcmp(v->value, "true");
        return 0;
    }
    return 0;
}

/* Arguments that name one thing differently in two operations, because ESP-IDF's
 * functions do: esp_himem_alloc(size) but esp_himem_map(..., len, ...), a CPU read's
 * vaddr but esp_himem_unmap's ptr, spi_flash_mmap's src for a flash offset. */
static const char *const same_thing[][4] = {
    {"size", "len", "length", NULL},
    {"vaddr", "ptr", "addr", NULL},
    {"paddr", "src", "offset", NULL},
};

static int same_group(const char *key)
{
    for (size_t g = 0; g < sizeof same_thing / sizeof same_thing[0]; g++)
        for (size_t i = 0; same_thing[g][i]; i++)
            if (!strcmp(same_thing[g][i], key))
                return (int)g;
    return -1;
}

/* The ESP-IDF call of an operation's summary ("esp_himem_map(handle, ..., &ptr)"),
 * if the summary starts with one; into buf. */
static const char *idf_call(const scn_op_t *op, char *buf, size_t size)
{
    const char *s = op->summary, *open = strchr(s, '('), *close = strchr(s, ')');
    if (!open || !close || close < open)
        return NULL;
    for (const char *p = s; p < open; p++)
        if (!isalnum((unsigned char)*p) && *p != '_')
            return NULL;
    snprintf(buf, size, "%.*s", (int)(close - s + 1), s);
    return buf;
}

/* Does `call`'s parameter list name `key`? */
static bool call_names(const char *call, const char *key)
{
    size_t n = strlen(key);
    for (const char *p = strchr(call, '('); p && (p = strstr(p, key)); p += n)
        if (!isalnum((unsigned char)p[-1]) && p[-1] != '_' && !isalnum((unsigned char)p[n]) && p[n] != '_')
            return true;
    return false;
}

/* How near two operations are: 2 of one family (himem_alloc, himem_map), 1 when one
 * name ends the other (unmap, himem_unmap), else 0. */
static int sibling_score(const char *a, const char *b)
{
    size_t fa = strcspn(a, "_"), la = strlen(a), lb = strlen(b);
    if (a[fa] && !strncmp(a, b, fa + 1))
        return 2;
    if ((la > lb && !strcmp(a + la - lb, b)) || (lb > la && !strcmp(b + lb - la, a)))
        return 1;
    return 0;
}

/* "himem_map has no argument 'size'": which name this operation uses for it when a
 * sibling operation takes `size` (and why: ESP-IDF's parameter names), else the
 * nearest argument name, else the list. */
static int unknown_arg(scn_loader_t *L, const scn_op_t *op, const ydoc_node_t *key, const char *list)
{
    const char *k = key->value;
    int g = same_group(k);
    for (int i = 0; g >= 0 && i < SCN_MAX_ARGS && op->args[i].key; i++) {
        const char *ours = op->args[i].key;
        if (same_group(ours) != g)
            continue;
        /* the operation that takes `k`: one of the same family (himem_*) first, then
         * one the name of which ends this one's (unmap for himem_unmap) */
        const scn_op_t *other = NULL;
        int best = -1;
        for (size_t j = 0; j < scn_op_count(); j++) {
            const scn_op_t *o = scn_op_at(j);
            if (o == op || scn_op_arg_index(o, k) < 0)
                continue;
            int score = sibling_score(op->name, o->name);
            if (score > best)
                best = score, other = o;
        }
        if (!other)
            break;
        char call[200], ocall[200];
        const char *c = idf_call(op, call, sizeof call), *oc = idf_call(other, ocall, sizeof ocall);
        bool idf = c && call_names(c, ours), oidf = oc && call_names(oc, k);
        (void)list;
        return scn_fail(L, key, "%s has no argument '%s': it calls it '%s'%s%s ('%s' is %s's%s%s)", op->name, k, ours,
                        idf ? ", ESP-IDF's name in " : "", idf ? c : "", k, other->name,
                        oidf ? ", as in " : "", oidf ? oc : "");
    }
    scn_near_t n;
    char hint[80];
    scn_near_init(&n, k);
    for (int i = 0; i < SCN_MAX_ARGS && op->args[i].key; i++)
        scn_near_add(&n, op->args[i].key);
    return scn_fail(L, key, "%s has no argument '%s' (%sarguments: %s)", op->name, k, scn_near_hint(&n, hint, sizeof hint),
                    list);
}

static void arg_list(const scn_op_t *op, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < SCN_MAX_ARGS && op->args[i].key && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "", op->args[i].key);
    if (!op->args[0].key)
        snprintf(buf, size, "none");
}

int scn_load_args(scn_loader_t *L, const ydoc_node_t *opkey, const ydoc_node_t *v, scn_step_t *st)
{
    const scn_op_t *op = st->op;
    char list[200];
    arg_list(op, list, sizeof list);
    bool empty = v->kind == YDOC_SCALAR && !v->quoted && (!v->value[0] || !strcmp(v->value, "~") ||
                                                          !strcmp(v->value, "null"));
    if (!empty && v->kind != YDOC_MAPPING)
        return scn_fail(L, v, "%s takes a mapping of arguments (%s), not %s", op->name, list, scn_kind_name(v->kind));
    for (size_t i = 0; !empty && i < v->count; i++) {
        int k = scn_op_arg_index(op, v->keys[i]->value);
        if (k < 0)
            return unknown_arg(L, op, v->keys[i], list);
        if (load_arg(L, &op->args[k], v->items[i], &st->args[k]))
            return -1;
    }
    /* required, one-of groups, requires/excludes */
    for (int i = 0; i < SCN_MAX_ARGS && op->args[i].key; i++) {
        const scn_arg_spec_t *s = &op->args[i];
        const scn_arg_t *a = &st->args[i];
        if (s->oneof) {
            const char *given = NULL, *names[SCN_MAX_ARGS];
            size_t nn = 0;
            for (int j = 0; j < SCN_MAX_ARGS && op->args[j].key; j++)
                if (op->args[j].oneof == s->oneof) {
                    names[nn++] = op->args[j].key;
                    if (st->args[j].given) {
                        if (given && j == i)
                            return scn_fail(L, opkey, "%s takes %s or %s, not both", op->name, given, s->key);
                        if (!given)
                            given = op->args[j].key;
                    }
                }
            if (!given && s->required) {
                char alts[160] = "";
                for (size_t n = 0; n < nn; n++)
                    snprintf(alts + strlen(alts), sizeof alts - strlen(alts), "%s%s", n ? n + 1 == nn ? " or " : ", " : "",
                             names[n]);
                return scn_fail(L, opkey, "%s needs one of the arguments %s", op->name, alts);
            }
        } else if (s->required && !a->given) {
            return scn_fail(L, opkey, "%s needs the argument '%s' (arguments: %s)", op->name, s->key, list);
        }
        if (a->given && s->requires && !st->args[scn_op_arg_index(op, s->requires)].given)
            return scn_fail(L, opkey, "%s: '%s' needs '%s' too", op->name, s->key, s->requires);
        if (a->given && s->excludes && st->args[scn_op_arg_index(op, s->excludes)].given)
            return scn_fail(L, opkey, "%s: '%s' and '%s' do not go together", op->name, s->key, s->excludes);
    }
    return resolve_psubtype(L, st, v);
}
