// SPDX-License-Identifier: MIT
// libFuzzer target: XLSX reader: the XML parts (workbook, sheet, shared strings, styles, rels) through a memory_archive.
// The property it checks is documented on healthscore::fuzz::check_xlsx_parts in checks.hpp.
#include "checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return healthscore::fuzz::run(healthscore::fuzz::check_xlsx_parts, data, size);
}
