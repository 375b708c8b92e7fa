# Drive `mmsim shell` from a script on standard input, as a user's pipe would: check
# the exit status and the answers, then, with WRITTEN, that the scenario the session
# wrote passes under `mmsim run`.
#   -DMMSIM=path -DSCRIPT=file -DEXPECT=status -DMATCH=regex [-DWRITTEN=file] [-DCHIP=name]
if(DEFINED WRITTEN)
  file(REMOVE ${WRITTEN})
  set(OUT ${WRITTEN})
  configure_file(${SCRIPT} ${WRITTEN}.script @ONLY)   # @OUT@ is where the session writes
  set(SCRIPT ${WRITTEN}.script)
endif()
set(args shell)
if(DEFINED CHIP)
  list(APPEND args --chip ${CHIP})
endif()
execute_process(COMMAND ${MMSIM} ${args} INPUT_FILE ${SCRIPT} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc STREQUAL EXPECT)
  message(FATAL_ERROR "exit status ${rc}, expected ${EXPECT}\n${out}${err}")
endif()
if(NOT "${out}${err}" MATCHES "${MATCH}")
  message(FATAL_ERROR "output does not match '${MATCH}':\n${out}${err}")
endif()
if(DEFINED WRITTEN)
  execute_process(COMMAND ${MMSIM} run ${WRITTEN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc STREQUAL 0 OR NOT out MATCHES "1 passed, 0 failed")
    message(FATAL_ERROR "the written scenario does not pass (exit ${rc}):\n${out}${err}")
  endif()
endif()
