// SPDX-License-Identifier: MIT
// Rules: a column's raw cells -> signal scores in [0, 100], NaN where missing (`spec/model.md`,
// "Rules"). Each rule reads the column's cached number, date or boolean view once.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string_view>
#include <unordered_map>

#include "detail/rules.hpp"
#include "healthscore/score.hpp"

namespace healthscore {

namespace detail {

bounds rule_bounds(const rule& r, const column& c) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (r.type == rule_type::log) {
    // The column's own bounds over the values ln(1 + x) can read: x >= 0.
    double lo = nan, hi = nan;
    if (!r.min || !r.max) {
      for (const double x : c.numbers()) {
        if (!(x >= 0)) continue;
        if (!(x >= lo)) lo = x;  // NaN compares false, so the first value is taken
        if (!(x <= hi)) hi = x;
      }
    }
    return {std::log1p(r.min.value_or(lo)), std::log1p(r.max.value_or(hi))};
  }
  return {r.min ? *r.min : c.min_number(), r.max ? *r.max : c.max_number()};
}

bounds rule_bounds(const rule& r, const column& c, std::span<const std::uint32_t> rows) {
  if (r.min && r.max) return rule_bounds(r, c);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto& xs = c.numbers();
  const bool log = r.type == rule_type::log;
  double lo = nan, hi = nan;
  for (const std::uint32_t i : rows) {
    if (i >= xs.size()) continue;
    const double x = xs[i];
    if (log ? !(x >= 0) : std::isnan(x)) continue;
    if (!(x >= lo)) lo = x;  // NaN compares false, so the first value is taken
    if (!(x <= hi)) hi = x;
  }
  if (log) return {std::log1p(r.min.value_or(lo)), std::log1p(r.max.value_or(hi))};
  return {r.min.value_or(lo), r.max.value_or(hi)};
}

}  // namespace detail

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Each rule runs over a set of rows: every row of the column (`all_rows`, the plain loop), or a
// segment's rows (`some_rows`), whose statistics (omitted bounds, percentile) are its own.
struct all_rows {
  std::size_t n;
  std::size_t size() const noexcept { return n; }
  std::size_t operator[](std::size_t j) const noexcept { return j; }
};
struct some_rows {
  std::span<const std::uint32_t> rows;
  std::size_t size() const noexcept { return rows.size(); }
  std::size_t operator[](std::size_t j) const noexcept { return rows[j]; }
};

detail::bounds bounds_over(const rule& r, const column& c, all_rows) { return detail::rule_bounds(r, c); }
detail::bounds bounds_over(const rule& r, const column& c, some_rows rows) {
  return detail::rule_bounds(r, c, rows.rows);
}

template <class Rows>
void score_linear(const rule& r, const column& c, Rows rows, std::vector<double>& out) {
  const auto b = bounds_over(r, c, rows);
  const auto& xs = c.numbers();
  for (std::size_t j = 0; j < rows.size(); ++j) {
    const std::size_t i = rows[j];
    out[i] = std::isnan(xs[i]) ? nan : detail::linear_score(xs[i], b.lo, b.hi);
  }
}

template <class Rows>
void score_log(const rule& r, const column& c, Rows rows, std::vector<double>& out) {
  const auto b = bounds_over(r, c, rows);
  const auto& xs = c.numbers();
  for (std::size_t j = 0; j < rows.size(); ++j) {
    const std::size_t i = rows[j];
    out[i] = xs[i] >= 0 ? detail::linear_score(std::log1p(xs[i]), b.lo, b.hi) : nan;
  }
}

template <class Rows>
void score_steps(const rule& r, const column& c, Rows rows, std::vector<double>& out) {
  const auto& xs = c.numbers();
  for (std::size_t j = 0; j < rows.size(); ++j) {
    const std::size_t i = rows[j];
    out[i] = nan;
    if (std::isnan(xs[i])) continue;
    for (const step& s : r.steps) {
      if (!s.max || xs[i] <= *s.max) {
        out[i] = s.score;
        break;
      }
    }
  }
}

template <class Rows>
void score_map(const rule& r, const column& c, Rows rows, std::vector<double>& out) {
  std::unordered_map<std::string, double> scores;
  for (const auto& [key, score] : r.map) scores.emplace(detail::fold_case(key), score);  // first one wins
  const double fallback = r.map_default.value_or(nan);
  // A mapped column holds few distinct texts: each is trimmed and folded once, and its score kept
  // by the text as written (views into the column, which outlives this loop), up to a few thousand
  // texts (a map over a column of ids would keep a node per row for nothing).
  constexpr std::size_t most_kept = 4096;
  std::unordered_map<std::string_view, double> seen;
  for (std::size_t j = 0; j < rows.size(); ++j) {
    const std::size_t i = rows[j];
    if (c.is_empty(i)) {
      out[i] = nan;  // an empty cell is missing, `default` or not
      continue;
    }
    const std::string_view cell = c.text(i);
    if (const auto known = seen.find(cell); known != seen.end()) {
      out[i] = known->second;
      continue;
    }
    const std::string_view text = trim(cell);
    double score = nan;
    if (!text.empty()) {
      const auto it = scores.find(detail::fold_case(text));
      score = it == scores.end() ? fallback : it->second;
    }
    if (seen.size() < most_kept) seen.emplace(cell, score);
    out[i] = score;
  }
}

template <class Rows>
void score_boolean(const rule& r, const column& c, Rows rows, std::vector<double>& out) {
  for (std::size_t j = 0; j < rows.size(); ++j) {
    const std::size_t i = rows[j];
    const int b = c.boolean(i);
    out[i] = b == 1 ? r.true_score : b == 0 ? r.false_score : nan;
  }
}

template <class Rows>
void score_recency(const rule& r, const column& c, std::int32_t as_of, Rows rows, std::vector<double>& out) {
  const auto& days = c.days();
  for (std::size_t j = 0; j < rows.size(); ++j) {
    const std::size_t i = rows[j];
    if (days[i] == no_date) {
      out[i] = nan;
      continue;
    }
    const double d = static_cast<double>(static_cast<std::int64_t>(as_of) - days[i]);
    if (d < 0 || d <= r.full_days)
      out[i] = 100;  // future dates score full
    else if (d >= r.zero_days)
      out[i] = 0;
    else
      out[i] = 100.0 * (r.zero_days - d) / (r.zero_days - r.full_days);
  }
}

template <class Rows>
void score_percentile(const column& c, Rows rows, std::vector<double>& out) {
  const auto& xs = c.numbers();
  std::vector<double> sorted;
  sorted.reserve(rows.size());
  for (std::size_t j = 0; j < rows.size(); ++j)
    if (!std::isnan(xs[rows[j]])) sorted.push_back(xs[rows[j]]);
  std::sort(sorted.begin(), sorted.end());
  const double n = static_cast<double>(sorted.size());
  // Each distinct value's score, once: values below it and equal to it, counted in the sorted run.
  // A row then looks its value up among the distinct ones (few in most columns, so the search
  // stays in cache), not in all the values twice.
  std::vector<double> values, score_of;
  for (std::size_t k = 0; k < sorted.size();) {
    std::size_t e = k + 1;
    while (e < sorted.size() && sorted[e] == sorted[k]) ++e;
    values.push_back(sorted[k]);
    score_of.push_back(100.0 * (static_cast<double>(k) + 0.5 * static_cast<double>(e - k)) / n);
    k = e;
  }
  for (std::size_t j = 0; j < rows.size(); ++j) {
    const std::size_t i = rows[j];
    if (std::isnan(xs[i])) {
      out[i] = nan;
      continue;
    }
    const auto at = std::lower_bound(values.begin(), values.end(), xs[i]);
    out[i] = score_of[static_cast<std::size_t>(at - values.begin())];
  }
}

template <class Rows>
void score_target(const rule& r, const column& c, const table& t, Rows rows, std::vector<double>& out) {
  const auto& xs = c.numbers();
  std::optional<cell_values<double>> targets;
  if (!r.target) {
    const auto tc = t.find(r.target_column);
    if (tc >= 0) targets = t.columns[static_cast<std::size_t>(tc)].numbers();
    if (tc < 0 || targets->size() < xs.size()) {
      for (std::size_t j = 0; j < rows.size(); ++j) out[rows[j]] = nan;
      return;
    }
  }
  for (std::size_t j = 0; j < rows.size(); ++j) {
    const std::size_t i = rows[j];
    const double goal = targets ? (*targets)[i] : *r.target;
    if (std::isnan(xs[i]) || !(goal > 0)) {
      out[i] = nan;
      continue;
    }
    const double q = xs[i] / goal;
    out[i] = 100.0 * (q < 0 ? 0 : q > 1 ? 1 : q);
  }
}

template <class Rows>
void score_rule(const rule& r, const column& c, const table& t, std::int32_t as_of, Rows rows,
                std::vector<double>& out) {
  switch (r.type) {
    case rule_type::linear: score_linear(r, c, rows, out); break;
    case rule_type::log: score_log(r, c, rows, out); break;
    case rule_type::steps: score_steps(r, c, rows, out); break;
    case rule_type::map: score_map(r, c, rows, out); break;
    case rule_type::boolean: score_boolean(r, c, rows, out); break;
    case rule_type::recency: score_recency(r, c, as_of, rows, out); break;
    case rule_type::percentile: score_percentile(c, rows, out); break;
    case rule_type::target: score_target(r, c, t, rows, out); break;
  }
}

}  // namespace

std::vector<double> score_signal(const signal& s, const table& t, std::int32_t as_of) {
  const auto ci = t.find(s.column);
  if (ci < 0) return std::vector<double>(t.rows, nan);
  const column& c = t.columns[static_cast<std::size_t>(ci)];
  // Scored at the column's own length, then fitted to the table's (they agree in a well-formed table).
  std::vector<double> out(c.size(), nan);
  const rule& r = s.rule;
  const bool by_entry = c.codes() && r.type != rule_type::percentile && !(r.type == rule_type::target && !r.target);
  if (by_entry) {
    // A dictionary column: rows with one entry hold one text, so one row per entry is scored and
    // the others copy it. The rule's statistics are the same over those rows (every entry is some
    // row's, and omitted bounds are a minimum and a maximum); a percentile counts every row, and
    // a target column is another column, so those two score every row.
    const std::uint16_t* codes = c.codes();
    std::vector<std::uint32_t> first(c.entries(), ~std::uint32_t{0});
    std::vector<std::uint32_t> rows;
    for (std::size_t i = 0; i < c.size(); ++i)
      if (first[codes[i]] == ~std::uint32_t{0}) {
        first[codes[i]] = static_cast<std::uint32_t>(i);
        rows.push_back(static_cast<std::uint32_t>(i));
      }
    score_rule(r, c, t, as_of, some_rows{rows}, out);
    for (std::size_t i = 0; i < c.size(); ++i) out[i] = out[first[codes[i]]];
  } else {
    score_rule(r, c, t, as_of, all_rows{c.size()}, out);
  }
  out.resize(t.rows, nan);
  if (r.lower_is_better && detail::uses_direction(r.type))
    for (double& v : out) v = 100.0 - v;  // NaN stays NaN
  return out;
}

namespace detail {

void score_signal_rows(const signal& s, const table& t, std::int32_t as_of, std::span<const std::uint32_t> rows,
                       std::vector<double>& out) {
  out.resize(t.rows, nan);
  const auto ci = t.find(s.column);
  if (ci < 0) {
    for (const std::uint32_t i : rows) out[i] = nan;
    return;
  }
  const column& c = t.columns[static_cast<std::size_t>(ci)];
  // Rows past a short column are missing, as score_signal makes them.
  std::size_t inside = 0;
  while (inside < rows.size() && rows[inside] < c.size()) ++inside;
  for (std::size_t j = inside; j < rows.size(); ++j) out[rows[j]] = nan;
  const auto mine = rows.first(inside);
  score_rule(s.rule, c, t, as_of, some_rows{mine}, out);
  if (s.rule.lower_is_better && uses_direction(s.rule.type))
    for (const std::uint32_t i : mine) out[i] = 100.0 - out[i];
}

}  // namespace detail

}  // namespace healthscore
