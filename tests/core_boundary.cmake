# core_boundary.cmake - DESIGN.md rule 1 as a test: core/ includes only libc, its own
# headers and the HAL/platform headers, never the embedding API or sim/ internals.
# Run: cmake -DSRC=<project source dir> -P core_boundary.cmake
file(GLOB_RECURSE files ${SRC}/core/*.c ${SRC}/core/*.h)
set(bad "")
foreach(f ${files})
  file(STRINGS ${f} lines REGEX "^[ \t]*#[ \t]*include")
  foreach(line ${lines})
    if(line MATCHES "\"([^\"]+)\"")
      set(h ${CMAKE_MATCH_1})
      if(h STREQUAL "mmsim.h" OR NOT (EXISTS ${SRC}/core/include/${h} OR EXISTS ${SRC}/sim/include/${h}
                                      OR EXISTS ${SRC}/core/${h}))
        list(APPEND bad "${f}: ${line}")
      endif()
    endif()
  endforeach()
endforeach()
if(bad)
  list(JOIN bad "\n" msg)
  message(FATAL_ERROR "core/ reaches outside its boundary:\n${msg}")
endif()
