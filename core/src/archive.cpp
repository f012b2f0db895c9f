// SPDX-License-Identifier: MIT
#include "healthscore/archive.hpp"

#include <algorithm>

#include "detail/text.hpp"

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
  throw input_error(message("zip.no_entry").text("part", name));
}

namespace {

// The name as a reader compares it: `\` as `/`, ASCII lower case.
std::string comparable(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    if (c == '\\')
      c = '/';
    else if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

std::string find_entry(const archive& zip, std::string_view path) {
  if (zip.contains(path)) return std::string(path);
  const std::string want = comparable(path);
  for (auto& name : zip.names())
    if (name.size() == want.size() && comparable(name) == want) return name;
  return {};
}

void check_entry_names(const archive& zip, const std::string& source) {
  const std::vector<std::string> names = zip.names();
  std::vector<std::pair<std::string, std::size_t>> keys;
  keys.reserve(names.size());
  for (std::size_t i = 0; i < names.size(); ++i) keys.emplace_back(comparable(names[i]), i);
  std::sort(keys.begin(), keys.end());
  for (std::size_t i = 1; i < keys.size(); ++i) {
    if (keys[i].first != keys[i - 1].first) continue;
    const std::string& a = names[keys[i - 1].second];
    const std::string& b = names[keys[i].second];
    throw input_error(
        a == b ? message("zip.ambiguous").nested("at", at_file(source)).text("part", a)
               : message("zip.ambiguous_case").nested("at", at_file(source)).text("part", a).text("other", b));
  }
}

}  // namespace healthscore
