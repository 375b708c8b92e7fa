# bad_entry.cmake - what the bad-input catalogues share (check_bad.cmake for YAML,
# check_bad_partitions.cmake for partition tables): one entry run and compared with its
# NAME.expected, two lines: the first line printed on stderr, then "status: N".
#
# bad_entry(LABEL NAME INPUT COMMAND...) runs COMMAND, the arguments of DIR/NAME.args (if
# any), then INPUT (may be empty), from DIR, with TIMEOUT, and compares.  A macro, so that it counts into the
# caller's `failures` and its `continue()` ends the caller's loop iteration.
macro(bad_entry label name input)
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

  execute_process(COMMAND ${ARGN} ${extra} ${input}
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
    message("FAIL ${label}${bad}")
    math(EXPR failures "${failures} + 1")
  endif()
endmacro()
