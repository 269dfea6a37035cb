# Project-wide warning flags, applied per target through negoheal_warnings().
add_library(negoheal_warnings INTERFACE)
target_compile_options(negoheal_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wconversion -Wsign-conversion -Wno-sign-conversion -Wimplicit-fallthrough -Wno-missing-field-initializers
  $<$<BOOL:${NEGOHEAL_WERROR}>:-Werror>)
