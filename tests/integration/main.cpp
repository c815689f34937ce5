// Integration tests' main (the cluster Environment registers itself in fixture.cpp).
// `--cluster-start BASE N` / `--cluster-stop BASE N` start or stop the clusters that ctest shares
// between the tests of a run (its FIXTURES_SETUP / FIXTURES_CLEANUP entries).
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "fixture.hpp"

int main(int argc, char** argv) {
  if ((argc == 3 || argc == 4) &&
      (std::string(argv[1]) == "--cluster-start" || std::string(argv[1]) == "--cluster-stop"))
    return strata::testing::cluster_command(std::string(argv[1]).substr(10), argv[2],
                                            argc == 4 ? std::atoi(argv[3]) : 1);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
