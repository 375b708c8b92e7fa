# check_bad.cmake - runs the bad-input catalogue of one directory (tests/bad/<kind>/) and
# checks that every input is refused with exactly the expected message and exit status.
#
#   cmake -DMMSIM=<mmsim binary> -DDIR=<tests/bad/kind> "-DCOMMAND=chip check" -P check_bad.cmake
#
# For each DIR/NAME.yaml the script runs, from DIR (so messages carry the bare file name
# and do not depend on where the tree is checked out):
#     mmsim COMMAND... [the arguments in NAME.args] NAME.yaml
# and compares with DIR/NAME.expected, which holds:
#     the first lines mmsim prints on stderr (file:line:column: message), one a line:
#         every error of the input, in file order (a further one fails the entry)
#     then "status: N", the exit status (2 for bad input)
# Every mismatch is reported, not just the first; a NAME.yaml without NAME.expected, or
# a NAME.expected / NAME.args without NAME.yaml, is a failure too.  A run longer than
# TIMEOUT seconds (default 10) counts as a hang.
cmake_minimum_required(VERSION 3.16)
include(${CMAKE_CURRENT_LIST_DIR}/bad_entry.cmake)

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

  bad_entry(${input} ${name} ${input} ${MMSIM} ${COMMAND})
endforeach()

if(count EQUAL 0)
  message(FATAL_ERROR "check_bad.cmake: no *.yaml inputs in ${DIR}")
endif()
if(failures GREATER 0)
  message(FATAL_ERROR "${failures} of ${count} bad inputs in ${DIR} did not fail as expected")
endif()
message("all ${count} bad inputs in ${DIR} refused with the expected message")
