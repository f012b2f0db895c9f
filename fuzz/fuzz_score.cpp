// SPDX-License-Identifier: MIT
// libFuzzer target: scoring a fuzzed model on a fuzzed table, with explain().
// The property it checks is documented on healthscore::fuzz::check_score in checks.hpp.
#include "checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return healthscore::fuzz::run(healthscore::fuzz::check_score, data, size);
}
