/* mmsim_build.c - booting a user's build (mmsim_config_t.build): the build read by
 * firmware/ at the edge (DESIGN.md rule 6), its sdkconfig checked against the chip and
 * the config through one table of Kconfig options (mmsim_build_sdkconfig.c), the chip
 * loaded with the build's values under the caller's, and the bootloader's choice of app
 * handed to boot.c. */
#include "mmsim_build.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fw_image.h"
#include "mmsim_build_sdkconfig.h"

/* The keys the caller gave: typed fields and "key=value" sets. */
static uint64_t given_keys(const mmsim_config_t *cfg, const chipdef_overrides_t *ov)
{
    uint64_t given = ov ? ov->given : 0;
    for (size_t i = 0; i < cfg->nsets; i++)
        for (size_t k = 0; k < CHIPDEF_KEY_COUNT; k++) {
            const char *name = chipdef_config_key(k);
            size_t len = strlen(name);
            if (!strncmp(cfg->sets[i], name, len) && cfg->sets[i][len] == '=')
                given |= CHIPDEF_KEY_BIT(k);
        }
    return given;
}

/* Where the caller's value of a key came from, for messages. */
static const char *given_source(const mmsim_config_t *cfg, chipdef_key_t key)
{
    const char *name = chipdef_config_key(key);
    for (size_t i = cfg->nsets; i-- > 0;)
        if (!strncmp(cfg->sets[i], name, strlen(name)) && cfg->sets[i][strlen(name)] == '=')
            return cfg->sets[i];
    return "mmsim_config_t";
}

/* The chip with the build's values under the caller's (cfg's sets come last: they win;
 * a typed field the build also sets was checked equal before). */
static int load_with_build(const mmsim_config_t *cfg, const chipdef_overrides_t *ov, const char *name,
                           const mmsim_build_value_t *vals, size_t count, chipdef_t *chip)
{
    const char *sets[MMSIM_BUILD_VALUE_MAX + 16];
    size_t n = 0;
    for (size_t i = 0; i < count; i++)
        sets[n++] = vals[i].set;
    for (size_t i = 0; i < cfg->nsets; i++)
        sets[n++] = cfg->sets[i];
    ydoc_err_t err;
    errno = 0;
    if (!chipdef_load_with(name, ov, sets, n, chip, &err))
        return MMSIM_OK;
    if (errno == ENOMEM)
        return error_set(MMSIM_ERR_NOMEM, "%s", err.msg);
    /* Name the build line whose value the chip refuses. */
    for (size_t i = 0; i < count; i++) {
        const char *one[1] = {vals[i].set};
        ydoc_err_t e1;
        if (chipdef_load_with(name, NULL, one, 1, chip, &e1))
            return error_set(MMSIM_ERR_CHIP, "%s: %s", vals[i].source, e1.msg);
    }
    return error_set(MMSIM_ERR_CHIP, "%s", err.msg);
}

static bootloader_seg_use_t seg_use(fw_seg_class_t c)
{
    if (fw_seg_class_mapped(c))
        return BOOTLOADER_SEG_MAP;
    if (c == FW_SEG_PADDING || c == FW_SEG_RESERVED || c == FW_SEG_UNKNOWN)
        return BOOTLOADER_SEG_SKIP;
    return BOOTLOADER_SEG_LOAD;
}

int mmsim_build_open(const mmsim_config_t *cfg, const chipdef_overrides_t *ov, chipdef_t *chip, mmsim_build_t *b)
{
    memset(b, 0, sizeof *b);
    fw_error_t fe;
    int rc = fw_build_load(cfg->build, &b->build, &fe);
    if (rc)
        return error_set(rc == FW_ERR_NOMEM ? MMSIM_ERR_NOMEM : MMSIM_ERR_IO, "%s", fe.msg);
    const fw_build_t *fb = &b->build;
    const char *name = cfg->chip ? cfg->chip : fb->target;
    if (!name[0]) {
        rc = error_set(MMSIM_ERR_CHIP, "%s: the build names no target chip mmsim knows (in project_description.json, "
                                       "sdkconfig, flasher_args.json or an image's chip id): give the chip", fb->path);
        goto fail;
    }
    mmsim_build_value_t vals[MMSIM_BUILD_VALUE_MAX];
    size_t count;
    if ((rc = mmsim_build_sdkconfig_values(fb, fw_chip_by_name(name) ? name : fb->target, vals, &count)) != 0)
        goto fail;
    /* The caller's own values first, to compare -- a chip loaded only when a value to
     * compare or a chip file's name needs it: a load parses YAML, a boot's largest
     * cost after reading the flash. */
    uint64_t given = given_keys(cfg, ov);
    bool compare = false;
    for (size_t i = 0; i < count; i++)
        compare = compare || (given & CHIPDEF_KEY_BIT(vals[i].key));
    size_t builtin_len;
    const char *chip_name = name;
    if (compare || !chipdef_builtin_find(name, &builtin_len)) {
        ydoc_err_t err;
        errno = 0;
        if (chipdef_load_with(name, ov, cfg->sets, cfg->nsets, chip, &err)) {
            rc = error_set(errno == ENOMEM ? MMSIM_ERR_NOMEM : MMSIM_ERR_CHIP, "%s", err.msg);
            goto fail;
        }
        chip_name = chip->name;
    }
    if (fb->target[0] && strcmp(chip_name, fb->target)) {
        rc = error_set(MMSIM_ERR_CHIP, "chip: %s (%s) but the build is for %s (%s)", chip_name,
                       cfg->chip ? "mmsim_config_t" : "?", fb->target, fb->target_source);
        goto fail;
    }
    for (size_t i = 0; i < count && compare; i++) {
        char mine[MMSIM_BUILD_TEXT_MAX];
        if ((given & CHIPDEF_KEY_BIT(vals[i].key)) && mmsim_build_sdkconfig_text(&chip->config, vals[i].key, mine, sizeof mine) &&
            strcmp(mine, vals[i].text)) {
            rc = error_set(MMSIM_ERR_CHIP, "%s: %s (%s) but the build says %s (%s)", chipdef_config_key(vals[i].key),
                           mine, given_source(cfg, vals[i].key), vals[i].text, vals[i].source);
            goto fail;
        }
    }
    if ((rc = load_with_build(cfg, ov, name, vals, count, chip)) != 0)
        goto fail;
    if (fb->flash_len > chip->config.flash_size) {
        rc = error_set(MMSIM_ERR_IO, "%s: the images end at 0x%zx, past the end of the flash (0x%x bytes)", fb->path,
                       fb->flash_len, chip->config.flash_size);
        goto fail;
    }

    /* The bootloader. */
    const fw_chip_mem_t *mem = fw_chip_by_name(chip->name);
    if (!mem) {
        rc = error_set(MMSIM_ERR_CHIP, "%s: the image reader knows no chip '%s'", fb->path, chip->name);
        goto fail;
    }
    if ((rc = fw_build_boot(fb, mem, chip->config.partition_table_offset, chip->config.partition_table_md5, &b->boot,
                            &fe)) != 0) {
        rc = error_set(rc == FW_ERR_NOMEM ? MMSIM_ERR_NOMEM : MMSIM_ERR_BOOT, "%s", fe.msg);
        goto fail;
    }
    const fw_image_t *img = &b->boot.image;
    /* The bootloader maps with the app's page size.  The machine's is fixed when built:
     * when nobody else named one, the app's is taken (a lone .bin without sdkconfig);
     * a page size given or in the sdkconfig must agree with it. */
    uint32_t log2 = img->app_desc.present ? img->app_desc.mmu_page_size_log2 : 0;
    if (mem->page_size_configurable && log2 >= 13 && log2 <= 16 && (1u << log2) != chip->config.mmu_page_size) {
        bool named = given & CHIPDEF_KEY_BIT(CHIPDEF_KEY_MMU_PAGE_SIZE);
        for (size_t i = 0; i < count; i++)
            named = named || vals[i].key == CHIPDEF_KEY_MMU_PAGE_SIZE;
        if (named || count == MMSIM_BUILD_VALUE_MAX) {
            rc = error_set(MMSIM_ERR_CHIP, "mmu_page_size: 0x%x (byte 180 of the app descriptor of the image at 0x%x "
                           "in %s) but 0x%x (the config)", 1u << log2, b->boot.app_offset, fb->path,
                           chip->config.mmu_page_size);
            goto fail;
        }
        mmsim_build_value_t *v = &vals[count++];
        v->key = CHIPDEF_KEY_MMU_PAGE_SIZE;
        snprintf(v->text, sizeof v->text, "0x%x", 1u << log2);
        snprintf(v->set, sizeof v->set, "mmu_page_size=0x%x", 1u << log2);
        snprintf(v->source, sizeof v->source, "%s: the app descriptor of the image at 0x%x", fb->path,
                 b->boot.app_offset);
        if ((rc = load_with_build(cfg, ov, name, vals, count, chip)) != 0)
            goto fail;
    }
    bootloader_app_image_t *a = &b->app.image;
    a->image_offset = b->boot.app_offset;
    a->segment_count = (uint32_t)img->segment_count_read;
    for (uint32_t i = 0; i < a->segment_count && i < BOOTLOADER_APP_MAX_SEGMENTS; i++)
        a->segments[i] = (bootloader_segment_t){.load_addr = img->segments[i].load_addr,
                                                .data_len = img->segments[i].data_len,
                                                .data_addr = (uint32_t)img->segments[i].flash_offset,
                                                .use = seg_use(img->segments[i].cls)};
    a->drom_index = img->drom_segment;
    a->irom_index = img->irom_segment;
    a->mmu_page_size = chip->config.mmu_page_size;
    b->app.choice_log = b->boot.log;
    const fw_kv_t *psram_load = fb->has_sdkconfig ? fw_kv_get(&fb->sdkconfig, "CONFIG_SPIRAM_FLASH_LOAD_TO_PSRAM") : NULL;
    b->app.image_process = psram_load && psram_load->set;
    b->own_table = fb->kind != FW_BUILD_APP_IMAGE;
    return MMSIM_OK;
fail:
    mmsim_build_free(b);
    return rc;
}

int mmsim_build_write_flash(const mmsim_build_t *b, store_t *flash, char *msg, size_t len)
{
    /* Sectors that are all 0xFF are skipped: the store starts erased (and a padded
     * qemu_flash.bin is mostly such sectors).  memcmp, not a byte loop: this scan is
     * most of a 4 MB boot. */
    static uint8_t erased[4096];
    if (!erased[0])
        memset(erased, 0xFF, sizeof erased);
    const uint8_t *p = b->build.flash;
    for (size_t at = 0; at < b->build.flash_len; at += 4096) {
        size_t n = b->build.flash_len - at < 4096 ? b->build.flash_len - at : 4096;
        if (!memcmp(p + at, erased, n))
            continue;
        if (store_write(flash, (uint32_t)at, p + at, (uint32_t)n)) {
            snprintf(msg, len, "%s: out of memory writing flash at 0x%zx", b->build.path, at);
            return -1;
        }
    }
    return 0;
}

void mmsim_build_free(mmsim_build_t *b)
{
    fw_build_free(&b->build);
    fw_build_boot_free(&b->boot);
    memset(b, 0, sizeof *b);
}
