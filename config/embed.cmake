# Turns a data file into a C++ source holding its bytes (no raw-string delimiter pitfalls).
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" n)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE "${OUTPUT}" "// Generated from ${NAME} by config/embed.cmake. Do not edit.\n#include <string_view>\nnamespace negoheal::embedded {\nstatic const unsigned char k_bytes[] = {${bytes} 0x00};\nstd::string_view ${SYMBOL}() { return {reinterpret_cast<const char*>(k_bytes), sizeof(k_bytes) - 1}; }\n}\n")
