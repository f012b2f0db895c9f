// SPDX-License-Identifier: MIT
// Explanations: each category's and signal's effective share of one account's health score, and the
// smallest single-signal improvement that lifts the account into the next band. What-ifs are
// recomputed with the scorer's own per-row arithmetic (detail/score.hpp), so a suggestion that says
// it reaches a band does so when applied.
#include "healthscore/explain.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "detail/rules.hpp"
#include "detail/score.hpp"

namespace healthscore {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// The `target` rule's goal for one row: its fixed target, or the row's `target_column` cell.
double target_for_row(const rule& r, const table& t, std::size_t row) {
  if (r.target) return *r.target;
  const auto tc = t.find(r.target_column);
  if (tc >= 0 && row < t.columns[static_cast<std::size_t>(tc)].size())
    return t.columns[static_cast<std::size_t>(tc)].number(row);
  return nan;
}

/// The health score of `row` had signal (c, s) scored `v`, everything else as it is.
double health_with(const scorer& sc, std::size_t row, std::size_t c, std::size_t s, double v) {
  const model& m = sc.row_model(row);
  const detail::missing_terms terms = detail::terms_for(m.missing);
  double num = 0, den = 0;
  for (std::size_t cc = 0; cc < m.categories.size(); ++cc) {
    const category& cat = m.categories[cc];
    if (!detail::category_counts(cat)) continue;
    double value = sc.category_scores(cc)[row];
    if (cc == c) {
      double cn = 0, cd = 0;
      for (std::size_t ss = 0; ss < cat.signals.size(); ++ss)
        if (cat.signals[ss].weight > 0)
          detail::add_signal(cn, cd, ss == s ? v : sc.signal_scores(cc, ss)[row], cat.signals[ss].weight, terms);
      value = detail::mean_of(cn, cd);
    }
    detail::add_category(num, den, value, cat.weight);
  }
  return detail::mean_of(num, den);
}

/// The bounds the row was scored with: over the column, or over its segment's rows (`peers`).
detail::bounds bounds_for(const rule& r, const column& col, const std::vector<std::uint32_t>& peers) {
  return peers.empty() ? detail::rule_bounds(r, col) : detail::rule_bounds(r, col, peers);
}

/// The score a linear, log or target rule gives raw value `x` in `row` (direction applied).
double forward(const rule& r, const table& t, const column& col, const std::vector<std::uint32_t>& peers,
               std::size_t row, double x) {
  double s = nan;
  if (r.type == rule_type::linear || r.type == rule_type::log) {
    const auto b = bounds_for(r, col, peers);
    if (r.type == rule_type::log) {
      if (!(x >= 0)) return nan;
      x = std::log1p(x);
    }
    s = detail::linear_score(x, b.lo, b.hi);
  } else if (r.type == rule_type::target) {
    const double goal = target_for_row(r, t, row);
    if (!(goal > 0)) return nan;
    const double q = x / goal;
    s = 100.0 * (q < 0 ? 0 : q > 1 ? 1 : q);
  }
  return r.lower_is_better ? 100.0 - s : s;
}

/// The raw value that scores at least `to` under a linear, log or target rule; none for other rules
/// or when no value does.
std::optional<double> invert(const rule& r, const table& t, const column& col,
                             const std::vector<std::uint32_t>& peers, std::size_t row, double to) {
  const double want = r.lower_is_better ? 100.0 - to : to;  // the score before direction
  double x = nan, up = 1;  // up: the direction in which x raises the score
  if (r.type == rule_type::linear || r.type == rule_type::log) {
    const auto b = bounds_for(r, col, peers);
    if (std::isnan(b.lo) || std::isnan(b.hi)) return std::nullopt;
    if (b.lo == b.hi) {
      if (r.lower_is_better) return std::nullopt;  // only "any value below max", no single answer
      x = b.hi;
    } else {
      x = b.lo + want / 100.0 * (b.hi - b.lo);
      up = b.hi > b.lo ? 1 : -1;
    }
    if (r.type == rule_type::log) x = std::expm1(x);
  } else if (r.type == rule_type::target) {
    const double goal = target_for_row(r, t, row);
    if (!(goal > 0)) return std::nullopt;
    x = want / 100.0 * goal;
  } else {
    return std::nullopt;
  }
  if (r.lower_is_better) up = -up;
  // Rounding can leave x a hair short of the score; step it the improving way until it is not.
  double step = std::fabs(x) * 1e-16 + 1e-300;
  for (int i = 0; i < 200 && std::isfinite(x); ++i) {
    if (forward(r, t, col, peers, row, x) >= to) return x;
    x += up * step;
    step *= 2;
  }
  return std::nullopt;
}

}  // namespace

explanation explain(const scorer& sc, std::size_t row) {
  if (row >= sc.rows()) throw std::out_of_range("no row " + std::to_string(row));
  const model& m = sc.row_model(row);  // the row's segment's weights, rules and bands
  const std::vector<std::uint32_t>& peers =
      sc.segments().empty() ? sc.segment_rows(other_segment) : sc.segment_rows(sc.segments()[row]);
  const table& t = sc.data();
  const detail::missing_terms terms = detail::terms_for(m.missing);
  const bool renormalize = m.missing == missing_policy::renormalize;

  explanation e;
  e.row = row;
  e.score = sc.scores()[row];
  e.band = sc.bands()[row];
  const bool scored = !std::isnan(e.score);

  // Shares: W_c over the categories present in this row, then w_s over the counted signals.
  double total_w = 0;
  for (std::size_t c = 0; c < m.categories.size(); ++c)
    if (detail::category_counts(m.categories[c]) && !std::isnan(sc.category_scores(c)[row]))
      total_w += m.categories[c].weight;

  for (std::size_t c = 0; c < m.categories.size(); ++c) {
    const category& cat = m.categories[c];
    const double cv = sc.category_scores(c)[row];
    const bool present = scored && detail::category_counts(cat) && !std::isnan(cv);
    category_explanation ce;
    ce.id = cat.id;
    ce.label = cat.label;
    ce.score = cv;
    ce.share = present ? cat.weight / total_w : 0;
    ce.contribution = present ? ce.share * cv : 0;
    ce.points_lost = present ? ce.share * (100 - cv) : 0;
    e.categories.push_back(ce);

    double counted_w = 0;
    for (std::size_t s = 0; s < cat.signals.size(); ++s) {
      const double v = sc.signal_scores(c, s)[row];
      if (cat.signals[s].weight > 0 && (!std::isnan(v) || !renormalize)) counted_w += cat.signals[s].weight;
    }
    for (std::size_t s = 0; s < cat.signals.size(); ++s) {
      const signal& sig = cat.signals[s];
      const double v = sc.signal_scores(c, s)[row];
      signal_explanation se;
      se.category = c;
      se.signal = s;
      se.column = sig.column;
      if (const auto ci = t.find(sig.column); ci >= 0 && row < t.columns[static_cast<std::size_t>(ci)].size())
        se.raw = std::string(t.columns[static_cast<std::size_t>(ci)].text(row));
      se.missing = std::isnan(v);
      se.score = !se.missing ? v : renormalize ? nan : terms.num;
      const bool counted = present && sig.weight > 0 && !std::isnan(se.score) && counted_w > 0;
      se.share = counted ? ce.share * sig.weight / counted_w : 0;
      se.contribution = counted ? se.share * se.score : 0;
      se.points_lost = counted ? se.share * (100 - se.score) : 0;
      e.signals.push_back(std::move(se));
    }
  }

  // The next band up: the health score must round above the current band's max.
  if (!scored || e.band < 0 || static_cast<std::size_t>(e.band) + 1 >= m.bands.size()) return e;
  const double needed = std::floor(m.bands[static_cast<std::size_t>(e.band)].max) + 1 - 0.5;
  std::optional<improvement> best;
  for (const signal_explanation& se : e.signals) {
    if (!(se.share > 0) || !(se.score < 100)) continue;  // under renormalize a missing signal is skipped
    const std::size_t c = se.category, s = se.signal;
    double to = se.score + (needed - e.score) / se.share;
    if (!(to <= 100)) {
      if (to > 100 + 1e-9) continue;
      to = 100;
    }
    // Check against the scorer's own arithmetic; the closed form can be a hair short.
    double step = std::fabs(to) * 1e-16 + 1e-300;
    int band = band_of(health_with(sc, row, c, s, to), m.bands);
    for (int i = 0; i < 200 && band <= e.band && to < 100; ++i) {
      to = std::min(100.0, to + step);
      step *= 2;
      band = band_of(health_with(sc, row, c, s, to), m.bands);
    }
    if (band <= e.band) continue;
    if (best && !(to - se.score < best->to_score - best->from_score)) continue;
    improvement imp;
    imp.category = c;
    imp.signal = s;
    imp.column = se.column;
    imp.from_score = se.score;
    imp.to_score = to;
    imp.to_band = band;
    if (const auto ci = t.find(se.column); ci >= 0)
      imp.raw_value = invert(m.categories[c].signals[s].rule, t, t.columns[static_cast<std::size_t>(ci)], peers, row, to);
    best = std::move(imp);
  }
  e.next_band = std::move(best);
  return e;
}

}  // namespace healthscore
