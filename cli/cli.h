/* cli.h - the subcommands of the mmsim command and what they share.
 * Exit statuses: 0 success, 1 a check or scenario failed, 2 bad input or usage. */
#ifndef MMSIM_CLI_H
#define MMSIM_CLI_H

#include <stdbool.h>
#include <stddef.h>

#ifdef MMSIM_HAVE_VIEW
#include "viz_layout.h"
#endif

#define CLI_OK 0
#define CLI_FAIL 1
#define CLI_BAD_INPUT 2

int cmd_chips(int argc, char **argv);
int cmd_chip(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_shell(int argc, char **argv);
int cmd_boot(int argc, char **argv);
#ifdef MMSIM_HAVE_VIEW
int cmd_view(int argc, char **argv);
int cmd_render(int argc, char **argv);
struct scn_suite;
/* The step-through page of scenario `idx` at `path`, written atomically (canvas NULL:
 * 1400x900).  0, or -1 with err[size]. */
int cli_write_page(const struct scn_suite *s, size_t idx, const char *path, const viz_canvas_t *canvas, char *err,
                   size_t size);
#endif

/* True if argv holds -h or --help. */
bool cli_wants_help(int argc, char **argv);

#endif
