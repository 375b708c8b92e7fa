# check_bad_files.cmake - the catalogues of bad input files other than YAML (partition
# tables, app images, build files): every entry is refused by TOOL with exactly the
# expected message and exit status.  The conventions of check_bad.cmake:
#
#   cmake -DTOOL=<tool> -DDIR=<tests/bad/...> -DEXTS=csv,bin [-DCOMMAND_bin=image ...]
#         -P check_bad_files.cmake
#
# An entry is NAME.expected (the first lines printed on stderr, then "status: N") with
# its input NAME.<one of EXTS>, and optionally NAME.args.  The tool's first argument is
# COMMAND_<ext> of the input's extension when one is given (fw_tool: "image",
# "flash-args", "sdkconfig"), and NAME.args, when present, replaces it: it holds the
# command and options, or for an entry whose point is a missing file, the file it names.
# The tool runs from DIR, so messages carry the bare file name.  An input or .args
# without NAME.expected is a failure too, and a run longer than TIMEOUT seconds (default
# 10) counts as a hang.
cmake_minimum_required(VERSION 3.16)
include(${CMAKE_CURRENT_LIST_DIR}/bad_entry.cmake)

foreach(v TOOL DIR EXTS)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "check_bad_files.cmake: -D${v}=... is required")
  endif()
endforeach()
if(NOT DEFINED TIMEOUT)
  set(TIMEOUT 10)
endif()
string(REPLACE "," ";" EXTS "${EXTS}") # commas on the command line: add_test splits at ';'

file(GLOB expected RELATIVE ${DIR} ${DIR}/*.expected)
set(globs ${DIR}/*.args)
foreach(ext IN LISTS EXTS)
  list(APPEND globs ${DIR}/*.${ext})
endforeach()
file(GLOB companions RELATIVE ${DIR} ${globs})
list(SORT expected)
list(JOIN EXTS "|" ext_alternatives)
set(failures 0)
set(count 0)

foreach(c IN LISTS companions)
  string(REGEX REPLACE "\\.(${ext_alternatives}|args)$" ".expected" e "${c}")
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
  foreach(ext IN LISTS EXTS)
    if(EXISTS ${DIR}/${name}.${ext})
      if(input)
        message("FAIL ${name}: both ${input} and ${name}.${ext}")
        math(EXPR failures "${failures} + 1")
      endif()
      set(input ${name}.${ext})
      if(DEFINED COMMAND_${ext})
        set(command ${COMMAND_${ext}})
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
  message(FATAL_ERROR "check_bad_files.cmake: no *.expected entries in ${DIR}")
endif()
if(failures GREATER 0)
  message(FATAL_ERROR "${failures} of ${count} bad inputs in ${DIR} did not fail as expected")
endif()
message("all ${count} bad inputs in ${DIR} refused with the expected message")
