/* direct_site.c - a host code address to "file:line (function)" through elfutils'
 * libdw, from the debug info of the module (program or library) that holds it.  Only
 * called when a user asks for a hazard's site, never in the fault handler (libdw
 * allocates). */
#define _GNU_SOURCE
#include "direct_internal.h"

#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char *debuginfo_path;

static const Dwfl_Callbacks callbacks = {
    .find_elf = dwfl_linux_proc_find_elf,
    .find_debuginfo = dwfl_standard_find_debuginfo,
    .debuginfo_path = &debuginfo_path,
};

/* The line of `pc` by walking the module's compile units: clang leaves out
 * .debug_aranges, through which libdw (0.188) finds a CU for dwfl_module_getsrc. */
static Dwarf_Line *line_by_walking_units(Dwfl_Module *mod, Dwarf_Addr pc)
{
    Dwarf_Addr bias;
    Dwarf *dw = dwfl_module_getdwarf(mod, &bias);
    if (!dw)
        return NULL;
    Dwarf_Off off = 0, next;
    size_t header;
    while (dwarf_nextcu(dw, off, &next, &header, NULL, NULL, NULL) == 0) {
        Dwarf_Die cu;
        if (dwarf_offdie(dw, off + header, &cu) && dwarf_haspc(&cu, pc - bias) > 0)
            return dwarf_getsrc_die(&cu, pc - bias);
        off = next;
    }
    return NULL;
}

static void copy_str(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

void direct_site_resolve(uintptr_t pc, mmsim_direct_site_t *out)
{
    *out = (mmsim_direct_site_t){.pc = pc};
    /* A fresh session each time: libraries come and go (dlopen), and sites are asked
     * for rarely (a report, a failing test). */
    Dwfl *dwfl = dwfl_begin(&callbacks);
    if (!dwfl)
        return;
    if (dwfl_linux_proc_report(dwfl, getpid()) == 0 && dwfl_report_end(dwfl, NULL, NULL) == 0) {
        Dwfl_Module *mod = dwfl_addrmodule(dwfl, pc);
        if (mod) {
            copy_str(out->function, sizeof out->function, dwfl_module_addrname(mod, pc));
            Dwfl_Line *line = dwfl_module_getsrc(mod, pc);
            int lineno = 0, col = 0;
            const char *file = line ? dwfl_lineinfo(line, NULL, &lineno, &col, NULL, NULL) : NULL;
            Dwarf_Line *walked = file ? NULL : line_by_walking_units(mod, pc);
            if (walked) {
                file = dwarf_linesrc(walked, NULL, NULL);
                dwarf_lineno(walked, &lineno);
                dwarf_linecol(walked, &col);
            }
            if (file) {
                copy_str(out->file, sizeof out->file, file);
                out->line = (uint32_t)lineno;
                out->column = (uint32_t)(col > 0 ? col : 0);
            }
        }
    }
    dwfl_end(dwfl);
}
