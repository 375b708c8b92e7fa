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
mmsim_require(EDIT libedit libedit-dev)   # mmsim shell's line editing and history
if(MMSIM_BUILD_TESTS)
  mmsim_require(CHECK check check)
endif()

# The SDL view (viz/) needs SDL2, SDL2_ttf, SDL2_image and a DejaVu font.
if(MMSIM_BUILD_VIEW)
  mmsim_require(SDL2 sdl2 libsdl2-dev)
  mmsim_require(SDL2_TTF SDL2_ttf libsdl2-ttf-dev)
  mmsim_require(SDL2_IMAGE SDL2_image libsdl2-image-dev)
  find_file(MMSIM_FONT DejaVuSansMono.ttf DejaVuSans.ttf
            PATHS /usr/share/fonts/truetype/dejavu NO_DEFAULT_PATH)
  if(NOT MMSIM_FONT)
    message(FATAL_ERROR "DejaVu font not found: install the Debian package 'fonts-dejavu-core' (apt-get install fonts-dejavu-core)")
  endif()
endif()
