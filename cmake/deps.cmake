# Finds every dependency through pkg-config; a missing one stops configuration
# naming the Debian package that provides it.
find_package(PkgConfig QUIET)
if(NOT PKG_CONFIG_FOUND)
  message(FATAL_ERROR "pkg-config not found: install the Debian package 'pkgconf' (apt-get install pkgconf)")
endif()

function(mmsim_require target module debian_pkg)
  pkg_check_modules(${target} QUIET IMPORTED_TARGET ${module})
  if(NOT ${target}_FOUND)
    message(FATAL_ERROR "${module} not found: install the Debian package '${debian_pkg}' (apt-get install ${debian_pkg})")
  endif()
endfunction()

mmsim_require(CYAML libcyaml libcyaml-dev)
mmsim_require(YAML yaml-0.1 libyaml-dev)
if(MMSIM_BUILD_TESTS)
  mmsim_require(CHECK check check)
endif()
