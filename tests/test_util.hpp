// SPDX-License-Identifier: MIT
// Small helpers shared by the tests: reading files from the repository and the shared corpus.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

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

}  // namespace test_util
