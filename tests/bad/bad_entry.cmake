# bad_entry.cmake - what the bad-input catalogues share (check_bad.cmake for YAML,
# check_bad_files.cmake for partition tables, app images and build files): one entry run and compared with its
# NAME.expected: the first lines printed on stderr (usually one; a file with several
# errors lists each), then "status: N".  A further "INPUT:LINE..." message after the
# expected ones fails the entry: a catalogue entry lists every error of its input.
#
# bad_entry(LABEL NAME INPUT COMMAND...) runs COMMAND, the arguments of DIR/NAME.args (if
# any), then INPUT (may be empty), from DIR, with TIMEOUT, and compares.  A macro, so that it counts into the
# caller's `failures` and its `continue()` ends the caller's loop iteration.
macro(bad_entry label name input)
  # Expected: read whole and split by hand, because list operations would split a
  # message at any ';' it contains.  The last line is the status; the lines before it
  # are the first lines printed on stderr (one, or several for a file with several errors).
  file(READ ${DIR}/${name}.expected want)
  string(REGEX REPLACE "\n+$" "" want "${want}")
  string(FIND "${want}" "\n" nl REVERSE)
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
    message("FAIL ${name}.expected: the last line must be 'status: N', not '${want_status}'")
    math(EXPR failures "${failures} + 1")
    continue()
  endif()
  string(REGEX REPLACE "^status: " "" want_status "${want_status}")
  set(want_lines 1)
  set(rest "${want_msg}")
  while(TRUE)
    string(FIND "${rest}" "\n" p)
    if(p LESS 0)
      break()
    endif()
    math(EXPR want_lines "${want_lines} + 1")
    math(EXPR p "${p} + 1")
    string(SUBSTRING "${rest}" ${p} -1 rest)
  endwhile()

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
  # As many lines of stderr as expected, then the line after them.
  set(got_msg "")
  set(rest "${got_err}")
  set(i 0)
  while(i LESS want_lines)
    string(FIND "${rest}" "\n" p)
    if(i GREATER 0)
      string(APPEND got_msg "\n")
    endif()
    if(p LESS 0)
      string(APPEND got_msg "${rest}")
      set(rest "")
      break()
    endif()
    string(SUBSTRING "${rest}" 0 ${p} line)
    string(APPEND got_msg "${line}")
    math(EXPR p "${p} + 1")
    string(SUBSTRING "${rest}" ${p} -1 rest)
    math(EXPR i "${i} + 1")
  endwhile()
  string(FIND "${rest}" "\n" p)
  if(p GREATER_EQUAL 0)
    string(SUBSTRING "${rest}" 0 ${p} got_next)
  else()
    set(got_next "${rest}")
  endif()

  set(bad "")
  if(NOT "${got_status}" STREQUAL "${want_status}")
    string(APPEND bad "\n    status:   expected ${want_status}, got ${got_status}")
  endif()
  if(NOT "${got_msg}" STREQUAL "${want_msg}")
    string(APPEND bad "\n    expected: ${want_msg}\n    got:      ${got_msg}")
  endif()
  # Every error of the input is expected: another one after them is a failure too.
  if(NOT "${input}" STREQUAL "" AND "${got_next}" MATCHES "^${input}:[0-9]")
    string(APPEND bad "\n    and then: ${got_next}")
  endif()
  if(bad)
    message("FAIL ${label}${bad}")
    math(EXPR failures "${failures} + 1")
  endif()
endmacro()
