// SPDX-License-Identifier: MIT
// libFuzzer target: the zip layer: raw bytes through libzip, then the XLSX or ODS reader.
// The property it checks is documented on healthscore::fuzz::check_zip in checks.hpp.
#include "checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return healthscore::fuzz::run(healthscore::fuzz::check_zip, data, size);
}
