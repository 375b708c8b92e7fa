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

  file(READ ${DIR}/${e} want)
  string(FIND "${want}" "\n" nl)
  if(nl LESS 0)
    message("FAIL ${e}: needs two lines (the message, then 'status: N')")
    math(EXPR failures "${failures} + 1")
    continue()
  endif()
  string(SUBSTRING "${want}" 0 ${nl} want_msg)
  math(EXPR nl "${nl} + 1")
  string(SUBSTRING "${want}" ${nl} -1 want_status)
  string(STRIP "${want_status}" want_status)
  if(NOT want_status MATCHES "^status: [0-9]+$")
    message("FAIL ${e}: line 2 must be 'status: N', not '${want_status}'")
    math(EXPR failures "${failures} + 1")
    continue()
  endif()
  string(REGEX REPLACE "^status: " "" want_status "${want_status}")

  set(extra "")
  if(EXISTS ${DIR}/${name}.args)
    file(READ ${DIR}/${name}.args extra)
    string(STRIP "${extra}" extra)
    separate_arguments(extra UNIX_COMMAND "${extra}")
  endif()

  execute_process(COMMAND ${TOOL} ${extra} ${input}
                  WORKING_DIRECTORY ${DIR}
                  RESULT_VARIABLE got_status
                  OUTPUT_VARIABLE got_out
                  ERROR_VARIABLE got_err
                  TIMEOUT ${TIMEOUT})
  string(FIND "${got_err}" "\n" nl)
  if(nl GREATER_EQUAL 0)
    string(SUBSTRING "${got_err}" 0 ${nl} got_msg)
  else()
    set(got_msg "${got_err}")
  endif()

  set(bad "")
  if(NOT "${got_status}" STREQUAL "${want_status}")
    string(APPEND bad "\n    status:   expected ${want_status}, got ${got_status}")
  endif()
  if(NOT "${got_msg}" STREQUAL "${want_msg}")
    string(APPEND bad "\n    expected: ${want_msg}\n    got:      ${got_msg}")
  endif()
  if(bad)
    message("FAIL ${name}${bad}")
    math(EXPR failures "${failures} + 1")
  endif()
endforeach()

if(count EQUAL 0)
  message(FATAL_ERROR "check_bad_partitions.cmake: no *.expected entries in ${DIR}")
endif()
if(failures GREATER 0)
  message(FATAL_ERROR "${failures} of ${count} bad partition tables in ${DIR} did not fail as expected")
endif()
message("all ${count} bad partition tables in ${DIR} refused with the expected message")
