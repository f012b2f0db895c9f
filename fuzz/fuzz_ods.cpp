// SPDX-License-Identifier: MIT
// libFuzzer target: ODS reader: content.xml through a memory_archive.
// The property it checks is documented on healthscore::fuzz::check_ods_content in checks.hpp.
#include "checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return healthscore::fuzz::run(healthscore::fuzz::check_ods_content, data, size);
}
