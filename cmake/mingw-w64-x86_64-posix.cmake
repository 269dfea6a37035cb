# Toolchain: Windows x86-64 with Debian's MinGW-w64, posix-threads variant.
#
# The -posix compilers are named explicitly: the plain x86_64-w64-mingw32-g++ is the win32-threads
# variant, whose GCC 12 libstdc++ has no std::thread, std::mutex or std::future.
#
# Libraries are looked up only in MinGW's own tree and in NEGOHEAL_WIN_SYSROOT (the prefix that
# scripts/build-windows fills with the cross-built RE2, SQLite, pugixml and GoogleTest, plus a
# staging directory of header-only Debian headers). Never in /usr: glibc headers and ELF archives
# would be picked up. Usage:
#   cmake -S . -B build/windows -G Ninja -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64-x86_64-posix.cmake \
#         -DNEGOHEAL_WIN_SYSROOT=$HOME/.cache/negoheal-win/<key>/sysroot
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(NEGOHEAL_MINGW_TRIPLE x86_64-w64-mingw32)

set(CMAKE_C_COMPILER ${NEGOHEAL_MINGW_TRIPLE}-gcc-posix)
set(CMAKE_CXX_COMPILER ${NEGOHEAL_MINGW_TRIPLE}-g++-posix)
set(CMAKE_RC_COMPILER ${NEGOHEAL_MINGW_TRIPLE}-windres)
set(CMAKE_AR /usr/bin/${NEGOHEAL_MINGW_TRIPLE}-ar CACHE FILEPATH "MinGW archiver")
set(CMAKE_RANLIB /usr/bin/${NEGOHEAL_MINGW_TRIPLE}-ranlib CACHE FILEPATH "MinGW ranlib")

# try_compile() projects re-read this file without the cache: hand the sysroot on, and fall back to
# the environment (scripts/build-windows exports it too).
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES NEGOHEAL_WIN_SYSROOT)
if(NOT NEGOHEAL_WIN_SYSROOT AND DEFINED ENV{NEGOHEAL_WIN_SYSROOT})
  set(NEGOHEAL_WIN_SYSROOT "$ENV{NEGOHEAL_WIN_SYSROOT}")
endif()
set(NEGOHEAL_WIN_SYSROOT "${NEGOHEAL_WIN_SYSROOT}" CACHE PATH "Prefix of the cross-built dependencies")

set(CMAKE_FIND_ROOT_PATH /usr/${NEGOHEAL_MINGW_TRIPLE} ${NEGOHEAL_WIN_SYSROOT})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Fully static executables: no libstdc++-6.dll, libgcc_s_seh-1.dll or libwinpthread-1.dll to ship.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -static-libgcc -static-libstdc++")

# ctest, add_test(COMMAND <target>) and gtest_discover_tests() run the .exe files through wine.
find_program(NEGOHEAL_WINE wine)
if(NEGOHEAL_WINE)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${NEGOHEAL_WINE})
endif()
