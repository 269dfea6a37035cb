# Every dependency comes from a Debian package (scripts/setup installs them).
#
# Windows (MinGW cross build, cmake/mingw-w64-x86_64-posix.cmake): the same target names are
# provided by NEGOHEAL_WIN_SYSROOT, which scripts/build-windows fills. Compiled libraries (RE2,
# SQLite, pugixml, GoogleTest; OpenSSL when built) are static archives cross-built from Debian
# source packages; header-only ones (Boost, nlohmann/json, spdlog, fmt) come from the Linux -dev
# packages through a staging directory of symlinks, never through -I/usr/include.
find_package(Threads REQUIRED)

# OS-specific code sits behind small seams, each with a <name>_posix.cpp and a <name>_win.cpp;
# CMakeLists.txt files pick one with <name>_${NEGOHEAL_PLATFORM}.cpp. No other file has #ifdef _WIN32.
if(WIN32)
  set(NEGOHEAL_PLATFORM win)
else()
  set(NEGOHEAL_PLATFORM posix)
endif()

if(CMAKE_SYSTEM_NAME STREQUAL "Windows")
  if(NOT IS_DIRECTORY "${NEGOHEAL_WIN_SYSROOT}/include")
    message(FATAL_ERROR "NEGOHEAL_WIN_SYSROOT='${NEGOHEAL_WIN_SYSROOT}' is not a dependency prefix: "
                        "run scripts/build-windows, or pass -DNEGOHEAL_WIN_SYSROOT=<its sysroot>")
  endif()
  set(negoheal_win_headers "${NEGOHEAL_WIN_SYSROOT}/deb-headers")
  foreach(header boost/version.hpp nlohmann/json.hpp spdlog/spdlog.h fmt/format.h)
    if(NOT EXISTS "${negoheal_win_headers}/${header}")
      message(FATAL_ERROR "${negoheal_win_headers}/${header} is missing: run scripts/build-windows")
    endif()
  endforeach()

  # Windows 10 API level, lean <windows.h>, no min/max macros; Boost 1.74's process/detail/windows
  # headers use __kernel_entry, which MinGW-w64 10 does not define.
  add_compile_definitions(_WIN32_WINNT=0x0A00 WIN32_LEAN_AND_MEAN NOMINMAX __kernel_entry=)
  # Sockets (Asio), registry/services/event log. Import libraries add nothing unless used.
  set(NEGOHEAL_WIN_SYSTEM_LIBS ws2_32 mswsock advapi32)
  link_libraries(${NEGOHEAL_WIN_SYSTEM_LIBS})

  # Imported targets get their include directories as -isystem: no warnings from library headers.
  add_library(nlohmann_json::nlohmann_json INTERFACE IMPORTED)
  set_target_properties(nlohmann_json::nlohmann_json PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${negoheal_win_headers}")
  add_library(fmt::fmt INTERFACE IMPORTED)
  set_target_properties(fmt::fmt PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${negoheal_win_headers}"
    INTERFACE_COMPILE_DEFINITIONS FMT_HEADER_ONLY)
  # Debian's spdlog/tweakme.h sets SPDLOG_FMT_EXTERNAL, so spdlog uses the fmt above.
  add_library(spdlog::spdlog INTERFACE IMPORTED)
  set_target_properties(spdlog::spdlog PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${negoheal_win_headers}"
    INTERFACE_COMPILE_DEFINITIONS SPDLOG_HEADER_ONLY
    INTERFACE_LINK_LIBRARIES fmt::fmt)
  add_library(Boost::headers INTERFACE IMPORTED)
  set_target_properties(Boost::headers PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${negoheal_win_headers}"
    INTERFACE_LINK_LIBRARIES "ws2_32;mswsock")

  find_package(SQLite3 REQUIRED)
  find_package(re2 CONFIG REQUIRED)
  find_library(NEGOHEAL_PUGIXML_LIBRARY NAMES libpugixml.a pugixml REQUIRED)
  find_path(NEGOHEAL_PUGIXML_INCLUDE_DIR pugixml.hpp REQUIRED)
  add_library(pugixml::pugixml STATIC IMPORTED)
  set_target_properties(pugixml::pugixml PROPERTIES
    IMPORTED_LOCATION "${NEGOHEAL_PUGIXML_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${NEGOHEAL_PUGIXML_INCLUDE_DIR}")

  # Only present when scripts/build-windows built it (nothing links OpenSSL yet).
  set(OPENSSL_USE_STATIC_LIBS TRUE)
  set(OPENSSL_ROOT_DIR "${NEGOHEAL_WIN_SYSROOT}")
  find_package(OpenSSL QUIET)
  if(TARGET OpenSSL::Crypto)
    set_property(TARGET OpenSSL::Crypto APPEND PROPERTY INTERFACE_LINK_LIBRARIES crypt32 bcrypt ws2_32)
  endif()
else()
  find_package(nlohmann_json 3.10 REQUIRED)
  find_package(fmt REQUIRED)
  find_package(spdlog REQUIRED)
  find_package(SQLite3 REQUIRED)
  find_package(Boost 1.74 REQUIRED)
  find_package(OpenSSL REQUIRED)
  find_package(PkgConfig REQUIRED)
  find_package(re2 CONFIG QUIET)
  if(NOT TARGET re2::re2)
    pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
    add_library(re2::re2 ALIAS PkgConfig::RE2)
  endif()
  find_package(pugixml CONFIG REQUIRED)
  if(NOT TARGET pugixml::pugixml)
    add_library(pugixml::pugixml ALIAS pugixml)
  endif()
endif()

# Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>.
add_library(negoheal_boost INTERFACE)
target_link_libraries(negoheal_boost INTERFACE Boost::headers Threads::Threads)
target_compile_definitions(negoheal_boost INTERFACE BOOST_ASIO_NO_DEPRECATED BOOST_ALL_NO_LIB)
target_compile_options(negoheal_boost INTERFACE "SHELL:-include utility")
# Boost 1.74 enables co_await for clang only with <experimental/coroutine>, which libstdc++ lacks;
# clang >= 14 handles <coroutine> fine. clang 14's UBSan function check cannot emit coroutine
# frames ("Cannot represent a difference across sections", llvm-project#49689).
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  target_compile_definitions(negoheal_boost INTERFACE BOOST_ASIO_HAS_CO_AWAIT=1 BOOST_ASIO_HAS_STD_COROUTINE=1)
  target_compile_options(negoheal_boost INTERFACE -fno-sanitize=function)
endif()
