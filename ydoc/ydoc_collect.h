/* ydoc_collect.h - inside ydoc: where an error goes when a collector is on
 * (ydoc_collect_begin in ydoc.h). */
#ifndef MMSIM_YDOC_COLLECT_H
#define MMSIM_YDOC_COLLECT_H

/* Keep a formatted error and its place (line 0: the file as a whole), if collecting. */
void ydoc_collect_add(unsigned line, unsigned col, const char *msg);

#endif
