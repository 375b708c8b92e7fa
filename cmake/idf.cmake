# idf.cmake - the bring-your-own-ESP-IDF option, read before the parts are configured:
# sim/ compiles the loader's library folder and the checkout's release in, idf/ builds
# the driver libraries (see idf/CMakeLists.txt).
set(MMSIM_IDF_PATH "" CACHE PATH "An ESP-IDF checkout (v5.1 or later) whose drivers to build and run")
set(MMSIM_IDF_RELEASE "")
set(MMSIM_IDF_VERSION_NUM 0)
set(MMSIM_IDF_LIB_DIR "")
if(MMSIM_IDF_PATH)
  if(NOT EXISTS ${MMSIM_IDF_PATH}/components/esp_mm/esp_mmu_map.c)
    message(FATAL_ERROR "MMSIM_IDF_PATH=${MMSIM_IDF_PATH}: no components/esp_mm/esp_mmu_map.c (ESP-IDF v5.1 or later expected)")
  endif()
  file(STRINGS ${MMSIM_IDF_PATH}/components/esp_common/include/esp_idf_version.h vlines
       REGEX "define ESP_IDF_VERSION_(MAJOR|MINOR|PATCH) ")
  foreach(line IN LISTS vlines)
    string(REGEX MATCH "(MAJOR|MINOR|PATCH) +([0-9]+)" _ "${line}")
    set(idf_${CMAKE_MATCH_1} ${CMAKE_MATCH_2})
  endforeach()
  set(MMSIM_IDF_RELEASE "v${idf_MAJOR}.${idf_MINOR}.${idf_PATCH}")
  # The same as one number (5.1.7 -> 50107), for the compatibility layer's per-release
  # adapters (idf/compat/include/mmsim_idf_release.h).
  math(EXPR MMSIM_IDF_VERSION_NUM "${idf_MAJOR} * 10000 + ${idf_MINOR} * 100 + ${idf_PATCH}")
  set(MMSIM_IDF_LIB_DIR ${PROJECT_BINARY_DIR}/idf/lib)
  message(STATUS "mmsim: ESP-IDF ${MMSIM_IDF_RELEASE} at ${MMSIM_IDF_PATH}")
endif()
