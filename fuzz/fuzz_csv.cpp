// SPDX-License-Identifier: MIT
// libFuzzer target: CSV reader (read_csv on arbitrary bytes).
// The property it checks is documented on healthscore::fuzz::check_csv in checks.hpp.
#include "checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return healthscore::fuzz::run(healthscore::fuzz::check_csv, data, size);
}
