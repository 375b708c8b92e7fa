# layer_boundary.cmake - DESIGN.md's layer rules as a test, one failure line per
# crossing:
#   1. core/ includes only libc, its own headers and the HAL/platform headers
#      (sim/include), never the embedding API or the simulator's hints, and calls no
#      mmsim_* function: it would compile inside ESP-IDF.
#   2. No source reaches into another part by a relative path (#include "../...").
#   3. viz/ reads the machine through mmsim.h (and the driver's read-only listings),
#      never through the HAL or the platform, which act on the thread's bound machine.
#   4. The machine library (sim/ model and HAL) has no core/ folder on its include
#      path, and the driver library no sim/ internals.
#   5. The file formats at the edge (firmware/, ydoc/) turn files into plain structs:
#      they include nothing of the machine, the driver or the embedding API.
# Run: cmake -DSRC=<source dir> "-DMACHINE_DIRS=a|b" "-DCORE_DIRS=a|b" -P layer_boundary.cmake
set(bad "")

# The quoted includes of `file`, one list item each.
function(quoted_includes file out)
  file(STRINGS ${file} lines REGEX "^[ \t]*#[ \t]*include[ \t]*\"")
  set(hs "")
  foreach(line ${lines})
    string(REGEX MATCH "\"([^\"]+)\"" _ "${line}")
    list(APPEND hs ${CMAKE_MATCH_1})
  endforeach()
  set(${out} ${hs} PARENT_SCOPE)
endfunction()

# 1. core/
file(GLOB_RECURSE core_files ${SRC}/core/*.c ${SRC}/core/*.h)
foreach(f ${core_files})
  quoted_includes(${f} hs)
  foreach(h ${hs})
    if(h MATCHES "^mmsim" OR h MATCHES "/mmsim[^/]*$" OR NOT (EXISTS ${SRC}/core/include/${h}
       OR EXISTS ${SRC}/sim/include/${h} OR EXISTS ${SRC}/core/${h}))
      list(APPEND bad "rule 1: ${f}: #include \"${h}\"")
    endif()
  endforeach()
  file(STRINGS ${f} calls REGEX "[^A-Za-z0-9_]mmsim_[a-z0-9_]+[ \t]*\\(")
  foreach(c ${calls})
    string(REGEX MATCH "mmsim_[a-z0-9_]+" name "${c}")
    list(APPEND bad "rule 1: ${f}: calls the simulator's ${name}()")
  endforeach()
endforeach()

# 2. every part
foreach(part core sim chipdefs ydoc firmware scenarios viz cli idf tests)
  file(GLOB_RECURSE files ${SRC}/${part}/*.c ${SRC}/${part}/*.h)
  foreach(f ${files})
    file(STRINGS ${f} lines REGEX "^[ \t]*#[ \t]*include[ \t]*[\"<]\\.\\./")
    foreach(line ${lines})
      list(APPEND bad "rule 2: ${f}: ${line}")
    endforeach()
  endforeach()
endforeach()

# 3. viz/
file(GLOB_RECURSE viz_files ${SRC}/viz/*.c ${SRC}/viz/*.h)
foreach(f ${viz_files})
  quoted_includes(${f} hs)
  foreach(h ${hs})
    if(h MATCHES "^hal/" OR (h MATCHES "^esp_private/" AND NOT h STREQUAL "esp_private/esp_mm_inspect.h"))
      list(APPEND bad "rule 3: ${f}: #include \"${h}\" (the view reads the machine through mmsim.h)")
    endif()
  endforeach()
endforeach()

# 5. the edge
foreach(part firmware ydoc)
  file(GLOB_RECURSE files ${SRC}/${part}/*.c ${SRC}/${part}/*.h)
  foreach(f ${files})
    quoted_includes(${f} hs)
    foreach(h ${hs})
      if(h MATCHES "^(mmsim|hal/|esp_|soc/)" OR EXISTS ${SRC}/sim/${h} OR EXISTS ${SRC}/core/include/${h})
        list(APPEND bad "rule 5: ${f}: #include \"${h}\" (a file format stays at the edge)")
      endif()
    endforeach()
  endforeach()
endforeach()

# 4. include paths
string(REPLACE "|" ";" machine_dirs "${MACHINE_DIRS}")
foreach(d ${machine_dirs})
  if(d MATCHES "^${SRC}/(core|scenarios|viz|cli|idf)(/|$)")
    list(APPEND bad "rule 4: the machine library (mmsim_machine) has ${d} on its include path")
  endif()
endforeach()
string(REPLACE "|" ";" core_dirs "${CORE_DIRS}")
foreach(d ${core_dirs})
  if(NOT (d MATCHES "^${SRC}/core(/|$)" OR d STREQUAL "${SRC}/sim/include"))
    list(APPEND bad "rule 4: the driver library (mmsim_core) has ${d} on its include path")
  endif()
endforeach()
if(NOT machine_dirs OR NOT core_dirs)
  list(APPEND bad "rule 4: MACHINE_DIRS and CORE_DIRS must name the libraries' include paths")
endif()

if(bad)
  list(JOIN bad "\n" msg)
  message(FATAL_ERROR "a layer reaches outside its boundary (DESIGN.md):\n${msg}")
endif()
