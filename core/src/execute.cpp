// SPDX-License-Identifier: MIT
#include "healthscore/execute.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "detail/number_format.hpp"
#include "healthscore/export.hpp"
#include "healthscore/table.hpp"

namespace healthscore {

call_list make_call_list(const scorer& s, const call_options& o) {
  const model& m = s.current_model();
  if (o.band < 0 || o.band >= static_cast<int>(m.bands.size()))
    throw input_error(message("execute.no_band").text("band", std::to_string(o.band + 1)));
  const auto& segs = s.segments();
  if (o.segment != -2 && (segs.empty() || o.segment < -1 || o.segment >= static_cast<int>(m.segments->groups.size())))
    throw input_error(message("execute.no_segment"));
  const table& t = s.data();
  std::optional<cell_values<double>> values;
  if (!m.value_column.empty())
    if (const auto vc = t.find(m.value_column); vc >= 0) values = t.columns[static_cast<std::size_t>(vc)].numbers();
  auto value_of = [&](std::size_t r) { return values && !std::isnan((*values)[r]) ? (*values)[r] : 0.0; };

  call_list out;
  std::vector<std::uint32_t> rows;
  const auto& bands = s.bands();
  for (std::size_t r = 0; r < s.rows(); ++r) {
    if (bands[r] != o.band) continue;
    if (o.segment != -2 && segs[r] != o.segment) continue;
    rows.push_back(static_cast<std::uint32_t>(r));
    out.value += value_of(r);
  }
  out.total = rows.size();
  // The value at risk first; without a value column, the lowest score first. Ties in row order.
  const auto& scores = s.scores();
  std::stable_sort(rows.begin(), rows.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (values) return value_of(a) > value_of(b);
    return scores[a] < scores[b];
  });
  if (rows.size() > o.limit) rows.resize(o.limit);
  explain_options shares_only;
  shares_only.lift = false;  // the call list shows what costs points, not the lift
  for (const std::uint32_t r : rows) {
    const explanation e = explain(s, r, shares_only);
    std::vector<const signal_explanation*> lost;
    for (const auto& x : e.signals)
      if (x.points_lost > 0) lost.push_back(&x);
    std::stable_sort(lost.begin(), lost.end(),
                     [](const auto* a, const auto* b) { return a->points_lost > b->points_lost; });
    call_entry c;
    c.row = r;
    c.value = value_of(r);
    for (std::size_t k = 0; k < lost.size() && k < 3; ++k) c.costs.push_back({lost[k]->column, lost[k]->points_lost});
    out.entries.push_back(std::move(c));
  }
  return out;
}

std::string call_list_csv(const scorer& s, const call_list& list) {
  const model& m = s.current_model();
  const table& t = s.data();
  const std::ptrdiff_t id_col = m.id_column.empty() ? -1 : t.find(m.id_column);
  const std::ptrdiff_t name_col = m.name_column.empty() ? -1 : t.find(m.name_column);
  const bool segmented = !s.segments().empty();
  const bool valued = !m.value_column.empty();
  auto cell = [&](std::ptrdiff_t c, std::size_t r) {
    return c < 0 ? std::string() : std::string(trim(t.columns[static_cast<std::size_t>(c)].text(r)));
  };
  std::string o = "id,name,score,band,action";
  if (segmented) o += ",segment";
  if (valued) o += "," + csv_cell(m.value_column);
  o += ",signal 1,points lost 1,signal 2,points lost 2,signal 3,points lost 3\r\n";
  for (const call_entry& e : list.entries) {
    const model& rm = s.row_model(e.row);
    const std::int8_t b = s.bands()[e.row];
    const band& bd = rm.bands[static_cast<std::size_t>(b)];
    std::string id = id_col < 0 ? "Row " + std::to_string(e.row + 1) : cell(id_col, e.row);
    o += csv_cell(id) + "," + csv_cell(cell(name_col, e.row)) + "," + detail::format_fixed(s.scores()[e.row], 2) + "," +
         csv_cell(bd.label) + "," + csv_cell(bd.action);
    if (segmented) {
      const std::int8_t k = s.segments()[e.row];
      o += "," + csv_cell(k < 0 ? m.segments->other_label : m.segments->groups[static_cast<std::size_t>(k)].label);
    }
    if (valued) o += "," + detail::format_fixed(e.value, 2);
    for (std::size_t k = 0; k < 3; ++k) {
      if (k < e.costs.size())
        o += "," + csv_cell(e.costs[k].column) + "," + detail::format_fixed(e.costs[k].points_lost, 1);
      else
        o += ",,";
    }
    o += "\r\n";
  }
  return o;
}

}  // namespace healthscore
