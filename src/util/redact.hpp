// Passwords never appear in output: redact them from connection URLs and key=value conninfo
// strings, and from any message that may echo one. A URL's userinfo runs from "://" to the LAST
// '@' of the URL, so an unencoded '/', '?', '#', ':' or '@' in a password is still hidden.
// (src/db/connection.cpp adds what libpq's own PQconninfoParse makes of a connection string.)
#pragma once
#include <string>
#include <string_view>

namespace strata {

// postgresql://user:secret@host/db -> postgresql://user:***@host/db; password=secret ->
// password=***; password='quoted secret' -> password=***
std::string redact_secrets(std::string_view text);

// Replaces each occurrence of `secret` in `text` with "***". A secret shorter than 6 bytes is
// replaced only where it stands as its own token (not inside a word), so a one-letter password
// never garbles a message; "" changes nothing.
std::string scrub_secret(std::string text, std::string_view secret);

}  // namespace strata
