# ctest script of the Windows lane (scripts/build-windows): `negoheal.exe parse`, run under wine,
# must print byte for byte what the Linux build prints for every sample log in tests/data, and
# exit with the same status. The only allowed difference is the spelling of the input's path
# (log.file.path): Z:\work\...\x.log on Windows, /work/.../x.log on Linux.
#   cmake -DWINE=wine -DWINDOWS_EXE=negoheal.exe -DLINUX_EXE=negoheal -DDATA_DIR=tests/data
#         -DWORK_DIR=<scratch> -P parse_matches_linux.cmake
foreach(var WINE WINDOWS_EXE LINUX_EXE DATA_DIR WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "${var} is not set")
  endif()
endforeach()
if(NOT EXISTS "${LINUX_EXE}")
  message(FATAL_ERROR "the Linux reference ${LINUX_EXE} is missing (cmake --build --preset release --target negoheal)")
endif()
find_program(WINEPATH winepath REQUIRED)
file(MAKE_DIRECTORY "${WORK_DIR}")

file(GLOB inputs "${DATA_DIR}/*/*.log" "${DATA_DIR}/*/*.jsonl")
list(FILTER inputs EXCLUDE REGEX "\\.expected\\.jsonl$")
list(LENGTH inputs count)
if(count EQUAL 0)
  message(FATAL_ERROR "no sample logs under ${DATA_DIR}")
endif()

set(failures 0)
foreach(input IN LISTS inputs)
  # Through files read as hex: OUTPUT_VARIABLE and plain file(READ) drop the "\r" of "\r\n", and
  # line ends are compared too.
  execute_process(COMMAND "${LINUX_EXE}" parse "${input}"
                  OUTPUT_FILE "${WORK_DIR}/linux.out" ERROR_VARIABLE linux_err RESULT_VARIABLE linux_rc)
  execute_process(COMMAND "${WINEPATH}" -w "${input}" OUTPUT_VARIABLE win_input OUTPUT_STRIP_TRAILING_WHITESPACE
                  COMMAND_ERROR_IS_FATAL ANY)
  execute_process(COMMAND "${WINE}" "${WINDOWS_EXE}" parse "${win_input}"
                  OUTPUT_FILE "${WORK_DIR}/windows.out" ERROR_VARIABLE win_err RESULT_VARIABLE win_rc)
  file(READ "${WORK_DIR}/linux.out" linux_out HEX)
  file(READ "${WORK_DIR}/windows.out" win_out HEX)
  # JSON escapes each backslash of the Windows spelling.
  string(REPLACE "\\" "\\\\" win_input_json "${win_input}")
  string(HEX "${win_input_json}" win_input_hex)
  string(HEX "${input}" input_hex)
  string(REPLACE "${win_input_hex}" "${input_hex}" win_out_normalized "${win_out}")
  string(REGEX MATCHALL "0a" lines "${linux_out}")  # approximate line count, for the log only
  list(LENGTH lines n)
  file(RELATIVE_PATH name "${DATA_DIR}" "${input}")
  if(linux_rc STREQUAL win_rc AND linux_out STREQUAL win_out_normalized)
    message(STATUS "same: ${name} (${n} lines, exit ${linux_rc})")
  else()
    math(EXPR failures "${failures} + 1")
    string(MAKE_C_IDENTIFIER "${name}" stem)
    file(COPY_FILE "${WORK_DIR}/linux.out" "${WORK_DIR}/${stem}.linux.jsonl")
    file(COPY_FILE "${WORK_DIR}/windows.out" "${WORK_DIR}/${stem}.windows.jsonl")
    message(SEND_ERROR "differs: ${name}: exit ${linux_rc} on Linux, ${win_rc} on Windows; compare "
                       "${WORK_DIR}/${stem}.linux.jsonl with ${stem}.windows.jsonl (not normalized)\n"
                       "Linux stderr: ${linux_err}\nWindows stderr: ${win_err}")
  endif()
endforeach()
if(failures GREATER 0)
  message(FATAL_ERROR "${failures} of ${count} inputs differ")
endif()
message(STATUS "all ${count} inputs give the same output on Windows and Linux")
