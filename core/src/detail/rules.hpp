// SPDX-License-Identifier: MIT
// Pieces of the rule arithmetic shared by scoring (rules.cpp) and explanations (explain.cpp), so the
// inverse a user is shown is the exact inverse of the score they see.
#pragma once

#include "detail/unicode.hpp"  // fold_case

#include <cstdint>
#include <span>
#include <string>
#include <vector>
#include <string_view>

#include "healthscore/model.hpp"
#include "healthscore/table.hpp"

namespace healthscore::detail {

/// The bounds a `linear` or `log` rule uses on its own scale (ln(1 + x) for `log`): the rule's
/// `min`/`max`, or where omitted the column's smallest/largest value that the rule can read.
/// NaN when neither the rule nor the column gives one.
struct bounds {
  double lo, hi;
};
bounds rule_bounds(const rule& r, const column& c);
/// The same over a segment's rows only (sorted ascending): the bounds its accounts are scored with.
bounds rule_bounds(const rule& r, const column& c, std::span<const std::uint32_t> rows);

/// One signal's scores over `rows` (sorted ascending) only, written into `out` (sized to the table;
/// other rows untouched). Column statistics (omitted linear/log bounds, percentile) are taken over
/// `rows`: a segment's accounts are compared with their peers.
void score_signal_rows(const signal& s, const table& t, std::int32_t as_of, std::span<const std::uint32_t> rows,
                       std::vector<double>& out);

/// 100 * clamp((x - lo) / (hi - lo), 0, 1); lo == hi gives 100 for x >= hi, else 0.
inline double linear_score(double x, double lo, double hi) noexcept {
  if (lo == hi) return x >= hi ? 100.0 : 0.0;
  double t = (x - lo) / (hi - lo);
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  return 100.0 * t;
}

/// Whether `direction: lower_is_better` applies to this rule type (map, steps, boolean ignore it).
inline bool uses_direction(rule_type t) noexcept {
  return t != rule_type::map && t != rule_type::steps && t != rule_type::boolean;
}

}  // namespace healthscore::detail
