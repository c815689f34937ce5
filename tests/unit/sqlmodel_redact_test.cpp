// Unit tests: passwords never shown, for any password (special characters, one letter).
#include <gtest/gtest.h>

#include <algorithm>

#include "db/connection.hpp"
#include "util/redact.hpp"

using namespace strata;

TEST(Redact, UrlPasswordWithSpecialCharactersIsHiddenWhole) {
  EXPECT_EQ(redact_secrets("postgresql://weird:Secret/Slash99@127.0.0.1:56200/t2"),
            "postgresql://weird:***@127.0.0.1:56200/t2");
  EXPECT_EQ(redact_secrets("\"target\": \"postgresql://weird:p@ss:w/o?r%d#X1@127.0.0.1:56200/t2\""),
            "\"target\": \"postgresql://weird:***@127.0.0.1:56200/t2\"");
  EXPECT_EQ(redact_secrets("host=h password='a b\\'c' dbname=x"), "host=h password=*** dbname=x");
  EXPECT_EQ(redact_secrets("postgresql://u@h/db"), "postgresql://u@h/db");
}

TEST(Redact, ShortSecretsAreReplacedOnlyAsTokens) {
  std::string msg =
      "connection to server at \"127.0.0.1\", port 56200 failed: FATAL:  password authentication "
      "failed for user \"postgres\"";
  EXPECT_EQ(scrub_secret(msg, "e"), msg);
  EXPECT_EQ(scrub_secret(msg, "o"), msg);
  EXPECT_EQ(scrub_secret("invalid integer value \"e\" for port", "e"),
            "invalid integer value \"***\" for port");
  EXPECT_EQ(scrub_secret("x Secret/Slash99 y", "Secret/Slash99"), "x *** y");
}

TEST(Redact, ConninfoSecretsCoverWhatLibpqAndTheUserMeant) {
  auto s = db::conninfo_secrets("postgresql://weird:p@ss:w/o?r%d#X1@127.0.0.1:56200/t1");
  auto has = [&](const std::string& x) { return std::find(s.begin(), s.end(), x) != s.end(); };
  EXPECT_TRUE(has("p@ss:w/o?r%d#X1"));
  EXPECT_TRUE(has("r%d"));
  EXPECT_TRUE(has("X1"));
  auto c = db::conninfo_secrets("host=127.0.0.1 dbname=t1 user=postgres password=o");
  EXPECT_TRUE(std::find(c.begin(), c.end(), "o") != c.end());
}
