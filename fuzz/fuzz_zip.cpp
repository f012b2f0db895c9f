// SPDX-License-Identifier: MIT
// libFuzzer target: the zip layer: raw bytes through libzip, then the XLSX or ODS reader.
// The property it checks is documented on healthscore::fuzz::check_zip in checks.hpp; the
// structure-aware mutation (zip entries inflated, changed and zipped again) in zip_mutator.hpp.
#include "checks.hpp"
#include "zip_mutator.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return healthscore::fuzz::run(healthscore::fuzz::check_zip, data, size);
}

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size, std::size_t max_size,
                                               unsigned int seed) {
  return healthscore::fuzz::zipmut::mutate(data, size, max_size, seed);
}
