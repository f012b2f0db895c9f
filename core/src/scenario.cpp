// SPDX-License-Identifier: MIT
#include "healthscore/scenario.hpp"

#include <cmath>

#include "detail/number_format.hpp"
#include "healthscore/export.hpp"
#include "healthscore/table.hpp"

namespace healthscore {

scenario_comparison compare_scenarios(const scorer& a, const scorer& b) {
  if (&a.data() != &b.data()) throw input_error(message("scenario.different_files"));
  scenario_comparison c;
  c.rows = a.rows();
  const std::size_t na = a.current_model().bands.size(), nb = b.current_model().bands.size();
  c.transitions.assign(na + 1, std::vector<std::size_t>(nb + 1, 0));
  const auto& ba = a.bands();
  const auto& bb = b.bands();
  for (std::size_t r = 0; r < c.rows; ++r) {
    const std::size_t i = ba[r] < 0 ? na : static_cast<std::size_t>(ba[r]);
    const std::size_t j = bb[r] < 0 ? nb : static_cast<std::size_t>(bb[r]);
    ++c.transitions[i][j];
    if (ba[r] != bb[r]) c.moved.push_back(r);
  }
  // Per segment, by the segmentation of the side that has one (a's first).
  const scorer& seg = a.segments().empty() ? b : a;
  if (!seg.segments().empty()) {
    const auto& groups = seg.current_model().segments->groups;
    c.segments.resize(groups.size() + 1);
    for (std::size_t g = 0; g <= groups.size(); ++g) {
      auto& s = c.segments[g];
      s.id = g < groups.size() ? groups[g].id : std::string();
      s.label = g < groups.size() ? groups[g].label : seg.current_model().segments->other_label;
      s.transitions.assign(na + 1, std::vector<std::size_t>(nb + 1, 0));
    }
    const auto& k = seg.segments();
    for (std::size_t r = 0; r < c.rows; ++r) {
      auto& s = c.segments[k[r] < 0 ? groups.size() : static_cast<std::size_t>(k[r])];
      ++s.rows;
      ++s.transitions[ba[r] < 0 ? na : static_cast<std::size_t>(ba[r])]
                     [bb[r] < 0 ? nb : static_cast<std::size_t>(bb[r])];
    }
  }
  return c;
}

std::string scenario_changes_csv(const scorer& a, const scorer& b, const scenario_comparison& c,
                                 std::string_view label_a, std::string_view label_b) {
  const table& t = a.data();
  const model& ma = a.current_model();
  const model& mb = b.current_model();
  const std::ptrdiff_t id_col = ma.id_column.empty() ? -1 : t.find(ma.id_column);
  const std::ptrdiff_t name_col = ma.name_column.empty() ? -1 : t.find(ma.name_column);
  auto score = [](double x) { return std::isnan(x) ? std::string() : detail::format_fixed(x, 2); };
  auto band = [](const model& m, std::int8_t i) {
    return i < 0 ? std::string() : m.bands[static_cast<std::size_t>(i)].label;
  };
  std::string o;
  o += "id,name," + csv_cell(std::string(label_a) + " score") + "," + csv_cell(std::string(label_a) + " band") + "," +
       csv_cell(std::string(label_b) + " score") + "," + csv_cell(std::string(label_b) + " band") + "\r\n";
  for (const std::size_t r : c.moved) {
    const std::string id = id_col < 0 ? "Row " + std::to_string(r + 1)
                                      : std::string(trim(t.columns[static_cast<std::size_t>(id_col)].text(r)));
    const std::string name =
        name_col < 0 ? std::string() : std::string(trim(t.columns[static_cast<std::size_t>(name_col)].text(r)));
    o += csv_cell(id) + "," + csv_cell(name) + "," + score(a.scores()[r]) + "," + csv_cell(band(ma, a.bands()[r])) +
         "," + score(b.scores()[r]) + "," + csv_cell(band(mb, b.bands()[r])) + "\r\n";
  }
  return o;
}

}  // namespace healthscore
