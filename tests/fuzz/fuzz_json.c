/* fuzz_json.c - libFuzzer target: any bytes as flasher_args.json (and as the other JSON
 * files a build leaves: project_description.json, config/sdkconfig.json), as flash_args
 * and as an sdkconfig.  A refusal must name the file with a line and column (line for an
 * sdkconfig) and leave the output empty; an accepted list must be sorted by offset with
 * every offset within 32 bits.  Never crash, hang or leak. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw_flash_args.h"
#include "fw_json.h"

static fw_flash_args_t args;

static void check_list(int rc, const fw_error_t *err, const char *file)
{
    if (rc) {
        if (rc != err->code || strncmp(err->msg, file, strlen(file)) != 0 || args.count != 0)
            abort();
        return;
    }
    for (size_t i = 0; i < args.count; i++)
        if (args.images[i].offset > UINT32_MAX || (i && args.images[i - 1].offset > args.images[i].offset) ||
            !args.images[i].file[0])
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    fw_error_t err;
    fw_json_doc_t *doc;
    int rc = fw_json_parse("fuzz.json", text, size, &doc, &err);
    if (rc == 0)
        fw_json_free(doc);
    else if (rc != err.code || strncmp(err.msg, "fuzz.json:", 10) != 0 || doc)
        abort();
    check_list(fw_flash_args_parse_json("fuzz.json", text, size, &args, &err), &err, "fuzz.json:");
    check_list(fw_flash_args_parse_text("flash_args", text, size, &args, &err), &err, "flash_args");
    fw_kvlist_t kv;
    rc = fw_sdkconfig_parse("sdkconfig", text, size, &kv, &err);
    if (rc && (kv.count || strncmp(err.msg, "sdkconfig", 9) != 0))
        abort();
    fw_kvlist_free(&kv);
    rc = fw_sdkconfig_parse_json("sdkconfig.json", text, size, &kv, &err);
    if (rc && kv.count)
        abort();
    fw_kvlist_free(&kv);
    fw_project_desc_t pd;
    rc = fw_project_desc_parse("pd.json", text, size, &pd, &err);
    if (rc && pd.all.count)
        abort();
    fw_project_desc_free(&pd);
    return 0;
}
