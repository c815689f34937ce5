// SHA-256 via OpenSSL's libcrypto, and the normalisation applied before hashing.
#include "util/checksum.hpp"

#include <openssl/evp.h>

#include <array>

namespace strata {

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  // Fetched once: EVP_sha256() makes every EVP_Digest look the algorithm up again (OpenSSL 3).
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  EVP_Digest(bytes.data(), bytes.size(), md.data(), &len, sha256 ? sha256 : EVP_sha256(), nullptr);
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(digits[md[i] >> 4]);
    out.push_back(digits[md[i] & 0xf]);
  }
  return out;
}

std::string normalize_sql_text(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::string migration_checksum(std::string_view file_text) {
  // Fast path: nothing to normalise (the common case) hashes the bytes in place.
  if (file_text.find('\r') == std::string_view::npos && !file_text.starts_with("\xEF\xBB\xBF"))
    return "sha256:" + sha256_hex(file_text);
  return "sha256:" + sha256_hex(normalize_sql_text(file_text));
}

}  // namespace strata
