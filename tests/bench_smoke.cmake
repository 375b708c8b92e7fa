# bench_smoke.cmake - `mmsim bench --reps 1 --json` runs, prints valid JSON, and reports
# every measurement with its figures (keys and shapes only: timing is the benchmark's
# business, not a test's).
# Run: cmake -DMMSIM=<mmsim executable> [-DDIRECT=ON: built with direct/] -P bench_smoke.cmake
execute_process(COMMAND ${MMSIM} bench --reps 1 --json RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "mmsim bench exited ${rc}:\n${err}${out}")
endif()

function(expect_json)
  string(JSON v ERROR_VARIABLE e GET "${out}" ${ARGN})
  if(e)
    list(JOIN ARGN "." path)
    message(FATAL_ERROR "mmsim bench --json: no ${path} (${e}):\n${out}")
  endif()
endfunction()

foreach(top chip reps host results)
  expect_json(${top})
endforeach()
expect_json(host cpu)
set(figures
    "hit_load:ns_per_load,mloads_per_s,native_ns_per_load,ratio_to_native,native_inline_ns_per_load"
    "miss_load:ns_per_load,mloads_per_s,fills_per_load,writebacks_per_load"
    "bulk:read_mb_per_s,write_mb_per_s"
    "map_unmap:pairs_per_s_0_live,pairs_per_s_100_live,pairs_per_s_max_live,max_live"
    "suite:scenarios_per_s,wall_ms"
    "open_close:ms_per_open_close,resident_kb")
if(DIRECT)
  list(APPEND figures
       "direct:bare_fault_ns,trapped_load_ns,trap_to_floor,memcpy_mb_per_s,cpu_read_mb_per_s,memcpy_to_cpu_read")
endif()
foreach(row ${figures})
  string(REPLACE ":" ";" parts "${row}")
  list(GET parts 0 item)
  list(GET parts 1 keys)
  string(REPLACE "," ";" keys "${keys}")
  expect_json(results ${item} title)
  expect_json(results ${item} note)
  foreach(key ${keys})
    foreach(field unit median min max)
      expect_json(results ${item} ${key} ${field})
    endforeach()
    expect_json(results ${item} ${key} samples 0)
  endforeach()
endforeach()
