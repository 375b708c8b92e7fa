# bench_scale_smoke.cmake - `mmsim bench --scale` on a small suite: its figures are
# reported, and the run's peak memory stays flat from 10x to 100x the suite (the
# guarantee of scn_plan: files are loaded one per job while running, not all at once).
# Memory, not time: timing is the benchmark's business, not a test's.
# Run: cmake -DMMSIM=<mmsim> -DSUITE=<folder> [-DSANITIZED=ON] -P bench_scale_smoke.cmake
execute_process(COMMAND ${MMSIM} bench --reps 1 --json --scale --suite ${SUITE}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "mmsim bench --scale exited ${rc}:\n${err}${out}")
endif()
foreach(fig x10_scenarios_per_s x10_peak_mb x100_scenarios_per_s x100_peak_mb time_ratio memory_ratio)
  string(JSON v ERROR_VARIABLE e GET "${out}" results suite_scale ${fig} median)
  if(e)
    message(FATAL_ERROR "no results.suite_scale.${fig}.median (${e}):\n${out}")
  endif()
  set(${fig} ${v})
endforeach()
# 90 times the scenarios more; with every scenario held (about 9.5 KB each) the peak
# would grow by tens of MB.  (Not under AddressSanitizer: its quarantine keeps freed
# memory resident, so a sanitized peak grows with the work done, whatever is held.)
if(SANITIZED)
  message("sanitizer build: 10x ${x10_peak_mb} MB, 100x ${x100_peak_mb} MB, not compared")
  return()
endif()
if(memory_ratio GREATER 1.25)
  message(FATAL_ERROR "peak memory grew ${memory_ratio}x from 10x to 100x the suite (${x10_peak_mb} MB -> ${x100_peak_mb} MB)")
endif()
message("10x: ${x10_peak_mb} MB, 100x: ${x100_peak_mb} MB (x${memory_ratio}); time x${time_ratio}")
