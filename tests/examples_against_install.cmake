# examples_against_install.cmake - examples/ builds as a user's project does: the
# build tree installed into a scratch prefix, examples/ configured with
# find_package(mmsim) against that prefix alone, built, and its ctest run (the asset
# reader's and the framebuffer's host tests, each reproducing its bug with the hazard
# naming the component's source line).
# cmake -DBUILD=<build dir> -DSRC=<examples> -DWORK=<scratch dir> -P examples_against_install.cmake
file(REMOVE_RECURSE "${WORK}")
execute_process(COMMAND ${CMAKE_COMMAND} --install "${BUILD}" --prefix "${WORK}/prefix"
                RESULT_VARIABLE rc OUTPUT_QUIET)
if(rc)
  message(FATAL_ERROR "cmake --install failed (${rc})")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S "${SRC}" -B "${WORK}/build" -DCMAKE_PREFIX_PATH=${WORK}/prefix
                "-DCMAKE_C_FLAGS=${FLAGS}" RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "examples: configure failed (${rc})")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build "${WORK}/build" RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "examples: build failed (${rc})")
endif()
execute_process(COMMAND ${CMAKE_CTEST_COMMAND} --test-dir "${WORK}/build" --output-on-failure RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "examples: tests failed (${rc})")
endif()
