# images_vs_esptool.cmake - mmsim's image parser (fw_tool image --table) against an
# independent Python reader (esp_image_reader.py) on the real images of Espressif's esptool
# repository (test/images/): every ESP32-family image there, app, bootloaders and the RAM
# "hello world" apps of each chip.  Nothing of that repository is committed to mmsim.
#
#   cmake -DTOOL=<fw_tool> -DPYTHON=<python3> -DREADER=<esp_image_reader.py>
#         -DIMAGES=<esptool>/test/images -P images_vs_esptool.cmake
#
# Each image is read with the checks of its kind: bootloader_*.bin as a bootloader,
# esp_idf_*.bin as an app (every ESP-IDF check), the rest as raw images (the format only).
# The segment tables, checksum and hash verdicts must be the same line for line; where the
# Python reader finds the file truncated, fw_tool must refuse it as truncated.  ESP8266
# images (another header format) and files that are not images are skipped, and listed.
cmake_minimum_required(VERSION 3.16)
foreach(v TOOL PYTHON READER IMAGES)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "images_vs_esptool.cmake: -D${v}=... is required")
  endif()
endforeach()
if(NOT IS_DIRECTORY ${IMAGES})
  message(FATAL_ERROR "images_vs_esptool.cmake: ${IMAGES} is not a directory (MMSIM_ESPTOOL_PATH "
                      "must be an esptool checkout with test/images)")
endif()

file(GLOB_RECURSE files RELATIVE ${IMAGES} ${IMAGES}/*.bin)
list(SORT files)
set(failures 0)
set(compared 0)
set(skipped "")
foreach(f IN LISTS files)
  file(READ ${IMAGES}/${f} head LIMIT 1 HEX)
  if(NOT head STREQUAL "e9" OR f MATCHES "esp8266")
    list(APPEND skipped ${f})
    continue()
  endif()
  get_filename_component(name ${f} NAME)
  if(name MATCHES "^bootloader_")
    set(kind bootloader)
    set(offset 0)
  elseif(name MATCHES "^esp_idf_")
    set(kind app)
    set(offset 0x10000)
  else()
    set(kind raw)
    set(offset 0x10000)
  endif()
  execute_process(COMMAND ${PYTHON} ${READER} ${IMAGES}/${f}
                  OUTPUT_VARIABLE want RESULT_VARIABLE prc ERROR_VARIABLE perr)
  execute_process(COMMAND ${TOOL} image --table --kind ${kind} --offset ${offset} ${IMAGES}/${f}
                  OUTPUT_VARIABLE got RESULT_VARIABLE rc ERROR_VARIABLE err)
  math(EXPR compared "${compared} + 1")
  if(NOT prc EQUAL 0)
    message("FAIL ${f}: the Python reader failed: ${perr}")
    math(EXPR failures "${failures} + 1")
  elseif(want STREQUAL "truncated\n")
    if(NOT rc EQUAL 2 OR NOT err MATCHES "truncated")
      message("FAIL ${f}: the Python reader finds it truncated; fw_tool says (${rc}): ${got}${err}")
      math(EXPR failures "${failures} + 1")
    else()
      message("ok   ${f} (${kind}): truncated, refused by both")
    endif()
  elseif(NOT rc EQUAL 0)
    message("FAIL ${f} (${kind}): fw_tool refused it: ${err}")
    math(EXPR failures "${failures} + 1")
  elseif(NOT got STREQUAL want)
    message("FAIL ${f} (${kind}):\n--- esp_image_reader.py\n${want}--- fw_tool\n${got}")
    math(EXPR failures "${failures} + 1")
  else()
    string(REGEX MATCH "segments [0-9]+" n "${got}")
    message("ok   ${f} (${kind}): ${n}, same table")
  endif()
endforeach()
list(JOIN skipped ", " skipped)
message("skipped (not an ESP32-family image): ${skipped}")
if(compared EQUAL 0)
  message(FATAL_ERROR "no image in ${IMAGES}")
endif()
if(failures GREATER 0)
  message(FATAL_ERROR "${failures} of ${compared} esptool images read differently")
endif()
message("all ${compared} esptool images read the same by fw_tool and esp_image_reader.py")
