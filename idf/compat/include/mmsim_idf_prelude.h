/* mmsim_idf_prelude.h (compat) - force-included (-include) before every upstream
 * source.  esp_mmu_map_init reads the app image's bounds as the addresses of linker
 * symbols (`extern char _instruction_reserved_start;` ... `(uint32_t)&symbol`).  On the
 * simulator the bounds are the booted machine's (esp_private/image_layout.h) and change
 * per boot, so each symbol names a function returning that address as a pointer, which
 * upstream only converts back to an integer, never dereferences. */
#ifndef MMSIM_IDF_PRELUDE_H
#define MMSIM_IDF_PRELUDE_H

char *mmsim_idf_irom_start(void);
char *mmsim_idf_irom_end(void);
char *mmsim_idf_drom_start(void);
char *mmsim_idf_drom_end(void);

#define _instruction_reserved_start (*mmsim_idf_irom_start())
#define _instruction_reserved_end (*mmsim_idf_irom_end())
#define _rodata_reserved_start (*mmsim_idf_drom_start())
#define _rodata_reserved_end (*mmsim_idf_drom_end())

#endif
