# Install rules: the command, the library, the public headers, the built-in chip
# definitions, mmsimConfig.cmake (find_package(mmsim) -> mmsim::mmsim, mmsim::direct) and mmsim.pc.
include(CMakePackageConfigHelpers)

install(TARGETS mmsim_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS mmsim EXPORT mmsimTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  PUBLIC_HEADER DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/mmsim)
# libmmsim_direct (x86-64 Linux): find_package(mmsim) -> mmsim::direct, mmsim_direct.h.
if(MMSIM_HAVE_DIRECT)
  install(TARGETS mmsim_direct EXPORT mmsimTargets
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    PUBLIC_HEADER DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/mmsim)
  install(FILES ${PROJECT_SOURCE_DIR}/direct/gdb/mmsim_gdb.py DESTINATION ${CMAKE_INSTALL_DATADIR}/mmsim/gdb)
endif()
# The HAL boundary headers (ESP-IDF names) beside mmsim.h: include <hal/mmu_hal.h>.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/sim/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/mmsim
  FILES_MATCHING PATTERN "*.h" PATTERN "mmsim.h" EXCLUDE)
# The driver's ESP-IDF headers: #include <esp_mmu_map.h>, <esp_cache.h>, <esp_err.h>.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/core/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/mmsim
  FILES_MATCHING PATTERN "*.h")
install(FILES ${MMSIM_CHIP_YAML} DESTINATION ${MMSIM_CHIPDEF_INSTALL_DIR})
install(EXPORT mmsimTargets NAMESPACE mmsim:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/mmsim)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/mmsimConfig.cmake.in
  ${PROJECT_BINARY_DIR}/mmsimConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/mmsim
  PATH_VARS MMSIM_CHIPDEF_INSTALL_DIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/mmsimConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/mmsimConfig.cmake ${PROJECT_BINARY_DIR}/mmsimConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/mmsim)

configure_file(${PROJECT_SOURCE_DIR}/cmake/mmsim.pc.in ${PROJECT_BINARY_DIR}/mmsim.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/mmsim.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
