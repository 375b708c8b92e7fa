/* chipdef_load.h - chip definitions from YAML: the built-in set, user files,
 * `key=value` board overrides, validation, and writing a definition back as YAML.
 *
 * Every function that can fail returns 0 on success or -1 with a message
 * "file:line:column: what is wrong" in *err; on failure *out is left zeroed. */
#ifndef MMSIM_CHIPDEF_LOAD_H
#define MMSIM_CHIPDEF_LOAD_H

#include <stddef.h>
#include <stdio.h>

#include "chipdef.h"
#include "ydoc.h"

/* Load a built-in chip by name ("esp32s3") or, if `name_or_path` is not a built-in
 * name, a YAML file at that path.  `sets` are "key=value" overrides of the config
 * section (see chipdef_config_keys); errors in them name the argument. */
int chipdef_load(const char *name_or_path, const char *const *sets, size_t nsets, chipdef_t *out,
                 ydoc_err_t *err);

/* Load from text already in memory; `file` is the name used in messages. */
int chipdef_load_text(const char *file, const char *text, size_t len, const char *const *sets,
                      size_t nsets, chipdef_t *out, ydoc_err_t *err);

/* The built-in definitions, compiled into the binary. */
size_t chipdef_builtin_count(void);
const char *chipdef_builtin_name(size_t i);
const char *chipdef_builtin_text(size_t i, size_t *len); /* NULL when out of range */
const char *chipdef_builtin_find(const char *name, size_t *len);

/* The keys `sets` may name, NULL-terminated. */
extern const char *const chipdef_config_keys[];

/* Write the resolved definition as YAML that loads back to an identical chipdef_t. */
void chipdef_write_yaml(const chipdef_t *c, FILE *f);

/* One-line summary for `mmsim chips`. */
void chipdef_summary(const chipdef_t *c, char *buf, size_t n);

/* The code of an idf_version string (CHIPDEF_IDF_MASTER for "master", else
 * major*10000 + minor*100 + patch for "vX.Y" or "vX.Y.Z" within v5.1..v6.1); 0 if not
 * a version we know. */
uint32_t chipdef_idf_version_code(const char *version);

#endif
