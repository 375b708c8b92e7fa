# check_bad.cmake - runs the bad-input catalogue of one directory (tests/bad/<kind>/) and
# checks that every input is refused with exactly the expected message and exit status.
#
#   cmake -DMMSIM=<mmsim binary> -DDIR=<tests/bad/kind> "-DCOMMAND=chip check" -P check_bad.cmake
#
# For each DIR/NAME.yaml the script runs, from DIR (so messages carry the bare file name
# and do not depend on where the tree is checked out):
#     mmsim COMMAND... [the arguments in NAME.args] NAME.yaml
# and compares with DIR/NAME.expected, which holds exactly two lines:
#     line 1: the first line mmsim prints on stderr (file:line:column: message)
#     line 2: "status: N", the exit status (2 for bad input)
# Every mismatch is reported, not just the first; a NAME.yaml without NAME.expected, or
# a NAME.expected / NAME.args without NAME.yaml, is a failure too.  A run longer than
# TIMEOUT seconds (default 10) counts as a hang.
cmake_minimum_required(VERSION 3.16)

foreach(v MMSIM DIR COMMAND)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "check_bad.cmake: -D${v}=... is required")
  endif()
endforeach()
separate_arguments(COMMAND UNIX_COMMAND "${COMMAND}")
if(NOT DEFINED TIMEOUT)
  set(TIMEOUT 10)
endif()

file(GLOB inputs RELATIVE ${DIR} ${DIR}/*.yaml)
file(GLOB companions RELATIVE ${DIR} ${DIR}/*.expected ${DIR}/*.args)
list(SORT inputs)
set(failures 0)
set(count 0)

# A companion with no input is a stale entry (renamed or deleted input).
foreach(c IN LISTS companions)
  string(REGEX REPLACE "\\.(expected|args)$" ".yaml" input "${c}")
  if(NOT EXISTS ${DIR}/${input})
    message("FAIL ${c}: no ${input} beside it")
    math(EXPR failures "${failures} + 1")
  endif()
endforeach()

foreach(input IN LISTS inputs)
  math(EXPR count "${count} + 1")
  string(REGEX REPLACE "\\.yaml$" "" name "${input}")
  if(NOT EXISTS ${DIR}/${name}.expected)
    message("FAIL ${input}: no ${name}.expected (every bad input needs its expected message)")
    math(EXPR failures "${failures} + 1")
    continue()
  endif()

  # Expected: read whole and split by hand, because list operations would split a
  # message at any ';' it contains.
  file(READ ${DIR}/${name}.expected want)
  string(FIND "${want}" "\n" nl)
  if(nl LESS 0)
    message("FAIL ${name}.expected: needs two lines (the message, then 'status: N')")
    math(EXPR failures "${failures} + 1")
    continue()
  endif()
  string(SUBSTRING "${want}" 0 ${nl} want_msg)
  math(EXPR nl "${nl} + 1")
  string(SUBSTRING "${want}" ${nl} -1 want_status)
  string(STRIP "${want_status}" want_status)
  if(NOT want_status MATCHES "^status: [0-9]+$")
    message("FAIL ${name}.expected: line 2 must be 'status: N', not '${want_status}'")
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

  execute_process(COMMAND ${MMSIM} ${COMMAND} ${extra} ${input}
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
    message("FAIL ${input}${bad}")
    math(EXPR failures "${failures} + 1")
  endif()
endforeach()

if(count EQUAL 0)
  message(FATAL_ERROR "check_bad.cmake: no *.yaml inputs in ${DIR}")
endif()
if(failures GREATER 0)
  message(FATAL_ERROR "${failures} of ${count} bad inputs in ${DIR} did not fail as expected")
endif()
message("all ${count} bad inputs in ${DIR} refused with the expected message")
