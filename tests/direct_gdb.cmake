# direct_gdb.cmake - the README's gdb lines work: gdb runs direct_gdb_target with
# `handle SIGSEGV nostop noprint pass` and direct/gdb/mmsim_gdb.py, stops in
# direct_gdb_stop, and mmsim-x / mmsim-p show the bytes the program wrote into PSRAM
# through pointers (which gdb's own x and print cannot read).
# Run: cmake -DGDB=<gdb> -DTARGET=<direct_gdb_target> -DSCRIPT=<mmsim_gdb.py> -P direct_gdb.cmake
# LeakSanitizer cannot run under ptrace: in the sanitizer build the target's leak check
# is off here (the other tests check for leaks).
execute_process(COMMAND ${GDB} -batch -nx -x ${SCRIPT}
                -ex "set environment ASAN_OPTIONS=detect_leaks=0"
                -ex "handle SIGSEGV nostop noprint pass" -ex "break direct_gdb_stop" -ex run
                -ex "mmsim-x text 16" -ex "mmsim-p *s" -ex "mmsim-p s->x" -ex continue
                ${TARGET}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gdb exited ${rc}:\n${out}\n${err}")
endif()
foreach(want "68 65 6c 6c 6f 2c 20 63 68 69 70 00" "hello, chip" "magic = 3237998146, x = -3, y = 17, name = \"ship"
        "exited normally")
  string(FIND "${out}" "${want}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "gdb output lacks '${want}':\n${out}\n${err}")
  endif()
endforeach()
