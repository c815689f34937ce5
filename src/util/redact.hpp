// Passwords never appear in output: redact them from connection URLs and key=value conninfo
// strings, and from any message that may echo one.
#pragma once
#include <string>
#include <string_view>

namespace strata {

// postgresql://user:secret@host/db -> postgresql://user:***@host/db; password=secret ->
// password=***
std::string redact_secrets(std::string_view text);

}  // namespace strata
