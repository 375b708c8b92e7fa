# elf2image_boot.cmake - real app images from Espressif's own image writer, booted: for
# each chip esptool v4.8.1 knows, tests/elf2image/app.c is linked by Debian's
# riscv64-unknown-elf-gcc with a linker script placing .flash.appdesc (the app
# descriptor and rodata) at the chip's DROM address, .flash.text at its IROM address and
# .dram0.data in its internal RAM, `esptool.py --chip C elf2image` writes the image
# (header, segments, padding segment, checksum, SHA-256), and boot_vs_reader.py boots it
# with `mmsim boot` and checks the boot log's segment lines against esp_image_reader.py.
# ESP32, S2 and S3 are Xtensa chips: their ELF is RISC-V code at their addresses, which
# esptool accepts (it checks the ELF machine is Xtensa or RISC-V, not which) and mmsim
# never executes.  ESP32-H21, H4 and S31 are not in esptool v4.8.1: skipped, and listed.
#
#   cmake -DMMSIM=<mmsim> -DCC=<riscv64-unknown-elf-gcc> -DPYTHON=<python3>
#         -DESPTOOL_PYTHON=</usr/bin/python3> -DESPTOOL=<esptool v4.8.1 checkout>
#         -DSRC=<tests dir> -DOUT=<scratch dir>
#         -P elf2image_boot.cmake
cmake_minimum_required(VERSION 3.16)
foreach(v MMSIM CC PYTHON ESPTOOL_PYTHON ESPTOOL SRC OUT)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "elf2image_boot.cmake: -D${v}=... is required")
  endif()
endforeach()
# chip  DROM (app descriptor first)  IROM  internal RAM: ESP-IDF's layout, IROM in the
# first linear page and DROM in the next on chips whose I and D share the MMU's space.
set(chips
  "esp32 0x3F400020 0x400D0020 0x3FFB0000"
  "esp32s2 0x3F000020 0x40080020 0x3FFB0000"
  "esp32s3 0x3C010020 0x42000020 0x3FC88000"
  "esp32c2 0x3C010020 0x42000020 0x3FCA0000"
  "esp32c3 0x3C010020 0x42000020 0x3FC80000"
  "esp32c5 0x42010020 0x42000020 0x40800000"
  "esp32c6 0x42010020 0x42000020 0x40800000"
  "esp32c61 0x42010020 0x42000020 0x40800000"
  "esp32h2 0x42010020 0x42000020 0x40800000"
  "esp32p4 0x40010020 0x40000020 0x4FF00000")
file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT})
set(failures 0)
foreach(row IN LISTS chips)
  separate_arguments(f UNIX_COMMAND "${row}")
  list(GET f 0 chip)
  list(GET f 1 drom)
  list(GET f 2 irom)
  list(GET f 3 dram)
  file(WRITE ${OUT}/${chip}.ld
"ENTRY(call_start_cpu0)
SECTIONS
{
  .flash.appdesc ${drom} : { KEEP(*(.appdesc)) *(.rodata .rodata.* .srodata .srodata.*) . = ALIGN(4); }
  .flash.text ${irom} : { *(.text .text.*) . = ALIGN(4); }
  .dram0.data ${dram} : { *(.data .data.* .sdata .sdata.*) . = ALIGN(4); }
  /DISCARD/ : { *(.comment) *(.riscv.attributes) *(.note*) *(.eh_frame*) *(.bss*) *(.sbss*) }
}
")
  execute_process(COMMAND ${CC} -march=rv32imc -mabi=ilp32 -Os -ffreestanding -nostdlib -T ${OUT}/${chip}.ld
                          -o ${OUT}/${chip}.elf ${SRC}/elf2image/app.c
                  RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message("FAIL ${chip}: the ELF did not link: ${err}")
    math(EXPR failures "${failures} + 1")
    continue()
  endif()
  execute_process(COMMAND ${ESPTOOL_PYTHON} ${ESPTOOL}/esptool.py --chip ${chip} elf2image --flash_mode dio
                          --flash_size 4MB -o ${OUT}/${chip}.bin ${OUT}/${chip}.elf
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message("FAIL ${chip}: esptool elf2image: ${out}${err}")
    math(EXPR failures "${failures} + 1")
    continue()
  endif()
  execute_process(COMMAND ${PYTHON} ${SRC}/boot_vs_reader.py ${MMSIM} ${SRC}/esp_image_reader.py ${OUT}/${chip}.bin
                          ${chip}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  string(STRIP "${out}${err}" out)
  if(rc EQUAL 0)
    message("ok   ${out}")
  else()
    message("FAIL ${out}")
    math(EXPR failures "${failures} + 1")
  endif()
endforeach()
message("skipped: esp32h21, esp32h4, esp32s31 (not in esptool v4.8.1)")
if(failures GREATER 0)
  message(FATAL_ERROR "${failures} chip(s) failed")
endif()
