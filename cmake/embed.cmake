# Turns a text file into a C++ source defining strata::embedded::<NAME> (default compat_sql), a
# std::string_view over the file's bytes.
if(NOT NAME)
  set(NAME compat_sql)
endif()
set(out "// Generated from ${IN}; do not edit.\n#include <string_view>\nnamespace strata::embedded {\nextern const std::string_view ${NAME};\nstatic const char data[] = {")
file(READ ${IN} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
string(APPEND out "${hex}0};\nconst std::string_view ${NAME}{data, sizeof(data) - 1};\n}\n")
file(WRITE ${OUT} "${out}")
