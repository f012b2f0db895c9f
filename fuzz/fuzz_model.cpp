// SPDX-License-Identifier: MIT
// libFuzzer target: model JSON loader.
// The property it checks is documented on healthscore::fuzz::check_model in checks.hpp.
#include "checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return healthscore::fuzz::run(healthscore::fuzz::check_model, data, size);
}
