// SPDX-License-Identifier: MIT
// Small helpers shared by the tests: reading files from the repository and the shared corpus.
#pragma once

#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "healthscore/table.hpp"

namespace test_util {

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
inline std::string corpus(const std::string& rel) { return std::string(HEALTHSCORE_CORPUS_DIR) + "/" + rel; }
inline std::string source(const std::string& rel) { return std::string(HEALTHSCORE_SOURCE_DIR) + "/" + rel; }

/// The column names of a table.
inline std::vector<std::string> names(const healthscore::table& t) {
  std::vector<std::string> out;
  for (const auto& c : t.columns) out.push_back(c.name());
  return out;
}

/// The texts of a column, empty cells as "".
inline std::vector<std::string> texts(const healthscore::table& t, std::size_t col) {
  std::vector<std::string> out;
  for (std::size_t r = 0; r < t.rows; ++r) out.emplace_back(t.columns[col].text(r));
  return out;
}

/// The message of the input_error `f` throws, or "(no error)".
inline std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const healthscore::input_error& e) {
    return e.what();
  }
  return "(no error)";
}

inline bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace test_util
