// SPDX-License-Identifier: MIT
// Every input a fuzzer ever broke the engine with, kept in tests/regression/<target>/ (named after
// the bug), replayed through the same property check that found it (fuzz/checks.hpp). A file here
// that fails means the bug it is named after is back, or not fixed yet.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "../../fuzz/checks.hpp"

namespace fs = std::filesystem;
namespace fz = healthscore::fuzz;

namespace {

std::vector<fs::path> regression_files(const char* target) {
  std::vector<fs::path> out;
  const fs::path dir = fs::path(HEALTHSCORE_SOURCE_DIR) / "tests" / "regression" / target;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && e.path().filename().string()[0] != '.') out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

template <class Check>
void replay(const char* target, Check check) {
  for (const auto& path : regression_files(target)) {
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string label = "tests/regression/" + std::string(target) + "/" + path.filename().string();
    INFO(label);
    CHECK_NOTHROW(check(bytes));
  }
}

}  // namespace

TEST_CASE("kept CSV inputs read as tables that keep their promises and survive a round trip") {
  replay("csv", fz::check_csv);
}

TEST_CASE("kept XLSX part sets read as tables that keep their promises or as input errors") {
  replay("xlsx_parts", fz::check_xlsx_parts);
}

TEST_CASE("kept zip files open, inflate within the limits and read, or fail with input errors") {
  replay("zip", fz::check_zip);
}

TEST_CASE("kept ODS content parts read as tables that keep their promises or as input errors") {
  replay("ods", fz::check_ods_content);
}

TEST_CASE("kept model documents either fail as model errors or save, load and save to the same text") {
  replay("model", fz::check_model);
}

TEST_CASE("kept model and table pairs score within 0 to 100 with bands and explanations that agree") {
  replay("score", fz::check_score);
}
