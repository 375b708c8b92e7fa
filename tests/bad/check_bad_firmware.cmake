# check_bad_firmware.cmake - the catalogues of bad build output (tests/bad/images/,
# tests/bad/flash_args/): every entry is refused by fw_tool with exactly the expected
# message and exit status.  The conventions of check_bad_partitions.cmake:
#
#   cmake -DTOOL=<fw_tool> -DDIR=<tests/bad/images> -P check_bad_firmware.cmake
#
# An entry is NAME.expected (the first line printed on stderr, then "status: N") with its
# input NAME.bin, NAME.json, NAME.txt or NAME.sdkconfig.  fw_tool's command comes from
# NAME.args when there is one (the whole command and options: "image --chip esp32s3"),
# else from the input: .bin -> image, .json and .txt -> flash-args, .sdkconfig ->
# sdkconfig.  The tool runs from DIR, so messages carry the bare file name.
cmake_minimum_required(VERSION 3.16)
include(${CMAKE_CURRENT_LIST_DIR}/bad_entry.cmake)

foreach(v TOOL DIR)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "check_bad_firmware.cmake: -D${v}=... is required")
  endif()
endforeach()
if(NOT DEFINED TIMEOUT)
  set(TIMEOUT 10)
endif()

set(exts bin json txt sdkconfig)
file(GLOB expected RELATIVE ${DIR} ${DIR}/*.expected)
file(GLOB companions RELATIVE ${DIR} ${DIR}/*.bin ${DIR}/*.json ${DIR}/*.txt ${DIR}/*.sdkconfig
     ${DIR}/*.args)
list(SORT expected)
set(failures 0)
set(count 0)

foreach(c IN LISTS companions)
  string(REGEX REPLACE "\\.(bin|json|txt|sdkconfig|args)$" ".expected" e "${c}")
  if(NOT EXISTS ${DIR}/${e})
    message("FAIL ${c}: no ${e} beside it (every bad input needs its expected message)")
    math(EXPR failures "${failures} + 1")
  endif()
endforeach()

foreach(e IN LISTS expected)
  math(EXPR count "${count} + 1")
  string(REGEX REPLACE "\\.expected$" "" name "${e}")
  set(input "")
  set(command "")
  foreach(ext IN LISTS exts)
    if(EXISTS ${DIR}/${name}.${ext})
      if(input)
        message("FAIL ${name}: both ${input} and ${name}.${ext}")
        math(EXPR failures "${failures} + 1")
      endif()
      set(input ${name}.${ext})
      if(ext STREQUAL "bin")
        set(command image)
      elseif(ext STREQUAL "sdkconfig")
        set(command sdkconfig)
      else()
        set(command flash-args)
      endif()
    endif()
  endforeach()
  if(NOT input AND NOT EXISTS ${DIR}/${name}.args)
    message("FAIL ${e}: no input and no ${name}.args beside it")
    math(EXPR failures "${failures} + 1")
    continue()
  endif()
  if(EXISTS ${DIR}/${name}.args)
    set(command "")   # the .args file holds the command
  endif()
  bad_entry(${name} ${name} "${input}" ${TOOL} ${command})
endforeach()

if(count EQUAL 0)
  message(FATAL_ERROR "check_bad_firmware.cmake: no *.expected entries in ${DIR}")
endif()
if(failures GREATER 0)
  message(FATAL_ERROR "${failures} of ${count} bad inputs in ${DIR} did not fail as expected")
endif()
message("all ${count} bad inputs in ${DIR} refused with the expected message")
