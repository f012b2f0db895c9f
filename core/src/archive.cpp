// SPDX-License-Identifier: MIT
#include "healthscore/archive.hpp"

#include "healthscore/table.hpp"

namespace healthscore {

std::vector<std::string> memory_archive::names() const {
  std::vector<std::string> out;
  out.reserve(entries_.size());
  for (const auto& e : entries_) out.push_back(e.first);
  return out;
}

bool memory_archive::contains(std::string_view name) const {
  for (const auto& e : entries_)
    if (e.first == name) return true;
  return false;
}

std::string memory_archive::read(std::string_view name) {
  for (const auto& e : entries_)
    if (e.first == name) return e.second;
  throw input_error("the archive has no entry named \"" + std::string(name) + "\"");
}

}  // namespace healthscore
