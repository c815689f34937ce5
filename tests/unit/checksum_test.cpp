// Unit tests: checksums ignore BOM and line-ending style, and change with any real edit.
#include <gtest/gtest.h>

#include "util/checksum.hpp"
#include "util/redact.hpp"

using namespace strata;

TEST(Checksum, NormalisesLineEndingsAndBom) {
  std::string lf = "create table a (id int);\nselect 1;\n";
  EXPECT_EQ(migration_checksum(lf),
            migration_checksum("create table a (id int);\r\nselect 1;\r\n"));
  EXPECT_EQ(migration_checksum(lf), migration_checksum("\xEF\xBB\xBF" + lf));
  EXPECT_NE(migration_checksum(lf), migration_checksum("create table a (id bigint);\nselect 1;\n"));
  EXPECT_EQ(migration_checksum("").substr(0, 7), "sha256:");
  // Known vector: sha256("abc").
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Redact, HidesPasswordsInUrlsAndConninfo) {
  EXPECT_EQ(redact_secrets("postgresql://app:s3cr%40t@db.example.com:5432/prod"),
            "postgresql://app:***@db.example.com:5432/prod");
  EXPECT_EQ(redact_secrets("host=x password=hunter2 user=y"), "host=x password=*** user=y");
  EXPECT_EQ(redact_secrets("failed for postgres://u:p@h/d: timeout"),
            "failed for postgres://u:***@h/d: timeout");
  EXPECT_EQ(redact_secrets("postgresql://postgres@/db?host=/tmp"),
            "postgresql://postgres@/db?host=/tmp");
}

TEST(Redact, HandlesQuotedConninfoAndUrlParameters) {
  EXPECT_EQ(redact_secrets("password='a b\\'c' host=x"), "password=*** host=x");
  EXPECT_EQ(redact_secrets("postgresql://h/db?user=u&password=pw&sslmode=require"),
            "postgresql://h/db?user=u&password=***&sslmode=require");
  EXPECT_EQ(redact_secrets("no secrets here: user@example.com"),
            "no secrets here: user@example.com");
}

TEST(Redact, PasswordsWithQuestionMarksAndAts) {
  EXPECT_EQ(redact_secrets("postgresql://postgres:se?cret@/db?host=/tmp"),
            "postgresql://postgres:***@/db?host=/tmp");
  EXPECT_EQ(redact_secrets("postgres://u:p@ss@host:5432/db"), "postgres://u:***@host:5432/db");
  EXPECT_EQ(redact_secrets("postgresql://host:5432/db?user=a"), "postgresql://host:5432/db?user=a");
}
