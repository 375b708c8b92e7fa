/* fw_error.h - how every reader of firmware/ says what went wrong: a negative FW_ERR_*
 * code and one line of text naming the file and the place in it.
 *     file:line:column: message      (text: CSV, JSON, flash_args; 1-based)
 *     file:line: message             (sdkconfig, where a line is the unit)
 *     file: byte offset N: message   (binary: app images, merged flash, otadata)
 *     file: entry N: message         (a binary partition table, as ESP-IDF counts)
 *     file: message                  (the file as a whole) */
#ifndef MMSIM_FW_ERROR_H
#define MMSIM_FW_ERROR_H

typedef enum {
    FW_OK = 0,
    FW_ERR_ARG = -1,        /* a NULL pointer or contradictory options */
    FW_ERR_IO = -2,         /* a file cannot be read (or is not there) */
    FW_ERR_NOMEM = -3,
    FW_ERR_TRUNCATED = -4,  /* the data ends inside a record, header or segment */
    FW_ERR_OVERSIZED = -5,  /* bigger than its format allows */
    FW_ERR_MAGIC = -6,      /* a record or image without its magic number */
    FW_ERR_MD5 = -7,        /* MD5 record missing, wrong, doubled or out of place */
    FW_ERR_SYNTAX = -8,     /* text that does not parse: CSV field, JSON, sdkconfig line */
    FW_ERR_LABEL = -9,      /* a label over 16 bytes or used twice */
    FW_ERR_ALIGN = -10,     /* an offset or size off its alignment */
    FW_ERR_OVERLAP = -11,   /* two partitions or images share bytes */
    FW_ERR_RANGE = -12,     /* a number outside its field, or past the flash size */
    FW_ERR_RULE = -13,      /* another of ESP-IDF's rules */
    FW_ERR_CHECKSUM = -14,  /* an app image's XOR checksum does not match */
    FW_ERR_HASH = -15,      /* an app image's appended SHA-256 does not match */
    FW_ERR_CHIP = -16,      /* an image for another chip, or an unknown chip */
    FW_ERR_SEGMENT = -17,   /* a segment the bootloader refuses (length, address) */
    FW_ERR_SHAPE = -18,     /* valid JSON of the wrong shape: a key missing or mistyped */
} fw_err_code_t;

#define FW_ERR_LAST FW_ERR_SHAPE
#define FW_ERR_MAX 512

typedef struct {
    int code;               /* the fw_err_code_t returned */
    char msg[FW_ERR_MAX];   /* one line, no trailing newline */
} fw_error_t;

/* A short description of an error code ("bad MD5 record"...). */
const char *fw_strerror(int code);

#endif
