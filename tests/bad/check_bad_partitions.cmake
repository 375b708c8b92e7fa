# check_bad_partitions.cmake - the catalogue of bad partition tables (tests/bad/partitions/):
# every entry is refused with exactly the expected message and exit status.  The same
# conventions as check_bad.cmake, for the two table formats instead of YAML:
#
#   cmake -DTOOL=<fw_partition_tool> -DDIR=<tests/bad/partitions> -P check_bad_partitions.cmake
#
# An entry is NAME.expected (two lines: the first line printed on stderr, then
# "status: N") with its input NAME.csv or NAME.bin, and optionally NAME.args (options
# put before the input).  An entry whose point is a file that is not there has no
# input and names the file in NAME.args.  The tool runs from DIR, so messages carry the
# bare file name.  A NAME.csv / .bin / .args without NAME.expected is a failure too, and
# a run longer than TIMEOUT seconds (default 10) counts as a hang.
cmake_minimum_required(VERSION 3.16)
include(${CMAKE_CURRENT_LIST_DIR}/bad_entry.cmake)

foreach(v TOOL DIR)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "check_bad_partitions.cmake: -D${v}=... is required")
  endif()
endforeach()
if(NOT DEFINED TIMEOUT)
  set(TIMEOUT 10)
endif()

file(GLOB expected RELATIVE ${DIR} ${DIR}/*.expected)
file(GLOB companions RELATIVE ${DIR} ${DIR}/*.csv ${DIR}/*.bin ${DIR}/*.args)
list(SORT expected)
set(failures 0)
set(count 0)

foreach(c IN LISTS companions)
  string(REGEX REPLACE "\\.(csv|bin|args)$" ".expected" e "${c}")
  if(NOT EXISTS ${DIR}/${e})
    message("FAIL ${c}: no ${e} beside it (every bad input needs its expected message)")
    math(EXPR failures "${failures} + 1")
  endif()
endforeach()

foreach(e IN LISTS expected)
  math(EXPR count "${count} + 1")
  string(REGEX REPLACE "\\.expected$" "" name "${e}")
  set(input "")
  foreach(ext csv bin)
    if(EXISTS ${DIR}/${name}.${ext})
      if(input)
        message("FAIL ${name}: both ${input} and ${name}.${ext}")
        math(EXPR failures "${failures} + 1")
      endif()
      set(input ${name}.${ext})
    endif()
  endforeach()
  if(NOT input AND NOT EXISTS ${DIR}/${name}.args)
    message("FAIL ${e}: no ${name}.csv, ${name}.bin or ${name}.args beside it")
    math(EXPR failures "${failures} + 1")
    continue()
  endif()

  bad_entry(${name} ${name} "${input}" ${TOOL})
endforeach()

if(count EQUAL 0)
  message(FATAL_ERROR "check_bad_partitions.cmake: no *.expected entries in ${DIR}")
endif()
if(failures GREATER 0)
  message(FATAL_ERROR "${failures} of ${count} bad partition tables in ${DIR} did not fail as expected")
endif()
message("all ${count} bad partition tables in ${DIR} refused with the expected message")
