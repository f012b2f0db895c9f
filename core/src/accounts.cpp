// SPDX-License-Identifier: MIT
#include "detail/accounts.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "healthscore/evidence.hpp"

namespace healthscore::detail {

void require_id_column(const model& m, const char* code) {
  if (m.id_column.empty()) throw input_error(message(code));
}

std::size_t id_column_of(const table& t, const std::string& name) {
  const std::ptrdiff_t col = t.find(name);
  if (col < 0) throw input_error(message("evidence.id_not_in_table").text("column", name).text("source", t.source));
  return static_cast<std::size_t>(col);
}

id_match match_ids(const std::vector<const table*>& tables, const std::string& id_column) {
  id_match m;
  const std::size_t k = tables.size();
  std::vector<std::size_t> cols;
  for (const table* t : tables) cols.push_back(id_column_of(*t, id_column));
  m.first_row.resize(k);
  m.row_count.resize(k);
  m.account_of.resize(k);
  m.empty.assign(k, 0);
  m.duplicated.assign(k, 0);
  std::unordered_map<std::string, std::size_t> account;
  for (std::size_t i = 0; i < k; ++i) {
    const table& t = *tables[i];
    const column& c = t.columns[cols[i]];
    m.account_of[i].assign(t.rows, id_match::none);
    for (std::size_t r = 0; r < t.rows && r < c.size(); ++r) {
      std::string id(trim(c.text(r)));
      if (id.empty()) {
        ++m.empty[i];
        continue;
      }
      const auto [it, added] = account.emplace(std::move(id), m.ids.size());
      if (added) m.ids.push_back(it->first);
      m.account_of[i][r] = it->second;
    }
  }
  const std::size_t n = m.ids.size();
  for (std::size_t i = 0; i < k; ++i) {
    m.first_row[i].assign(n, id_match::none);
    m.row_count[i].assign(n, 0);
    for (std::size_t r = 0; r < m.account_of[i].size(); ++r) {
      const std::size_t a = m.account_of[i][r];
      if (a == id_match::none) continue;
      if (m.row_count[i][a]++ == 0) m.first_row[i][a] = r;
    }
  }
  // Duplicates named in order of first appearance, tables in order (each id once).
  std::vector<bool> named(n, false);
  for (std::size_t i = 0; i < k; ++i)
    for (std::size_t r = 0; r < m.account_of[i].size(); ++r) {
      const std::size_t a = m.account_of[i][r];
      if (a == id_match::none || m.row_count[i][a] < 2 || m.first_row[i][a] != r) continue;
      ++m.duplicated[i];
      if (!named[a]) {
        named[a] = true;
        m.duplicate_ids.push_back(m.ids[a]);
      }
    }
  return m;
}

std::vector<std::size_t> top_movers(const std::vector<double>& changes, const std::vector<const std::string*>& ids,
                                    bool rising, std::size_t n, int digits) {
  std::vector<std::size_t> out;
  std::vector<double> shown(changes.size());
  for (std::size_t i = 0; i < changes.size(); ++i) {
    shown[i] = evidence_round(changes[i], digits);
    if (rising ? shown[i] > 0 : shown[i] < 0) out.push_back(i);
  }
  std::sort(out.begin(), out.end(), [&](std::size_t a, std::size_t b) {
    if (shown[a] != shown[b]) return rising ? shown[a] > shown[b] : shown[a] < shown[b];
    return *ids[a] < *ids[b];
  });
  if (out.size() > n) out.resize(n);
  return out;
}

}  // namespace healthscore::detail
