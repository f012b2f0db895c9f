// SPDX-License-Identifier: MIT
// Rules: a column's raw cells -> signal scores in [0, 100], NaN where missing (`spec/model.md`,
// "Rules"). Each rule reads the column's cached number, date or boolean view once.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
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

std::string fold_case(std::string_view text) {
  text = trim(text);
  std::string out(text);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const auto ch = static_cast<unsigned char>(out[i]);
    if (ch >= 'A' && ch <= 'Z') {
      out[i] = static_cast<char>(ch + 32);
    } else if (ch == 0xC3 && i + 1 < out.size()) {
      const auto next = static_cast<unsigned char>(out[i + 1]);
      if (next >= 0x80 && next <= 0x9E && next != 0x97) out[i + 1] = static_cast<char>(next + 0x20);
      ++i;
    }
  }
  return out;
}

}  // namespace detail

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

void score_linear(const rule& r, const column& c, std::vector<double>& out) {
  const auto b = detail::rule_bounds(r, c);
  const auto& xs = c.numbers();
  for (std::size_t i = 0; i < xs.size(); ++i)
    out[i] = std::isnan(xs[i]) ? nan : detail::linear_score(xs[i], b.lo, b.hi);
}

void score_log(const rule& r, const column& c, std::vector<double>& out) {
  const auto b = detail::rule_bounds(r, c);
  const auto& xs = c.numbers();
  for (std::size_t i = 0; i < xs.size(); ++i)
    out[i] = xs[i] >= 0 ? detail::linear_score(std::log1p(xs[i]), b.lo, b.hi) : nan;
}

void score_steps(const rule& r, const column& c, std::vector<double>& out) {
  const auto& xs = c.numbers();
  for (std::size_t i = 0; i < xs.size(); ++i) {
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

void score_map(const rule& r, const column& c, std::vector<double>& out) {
  std::unordered_map<std::string, double> scores;
  for (const auto& [key, score] : r.map) scores.emplace(detail::fold_case(key), score);  // first one wins
  const double fallback = r.map_default.value_or(nan);
  for (std::size_t i = 0; i < c.size(); ++i) {
    const std::string_view text = trim(c.text(i));
    if (c.is_empty(i) || text.empty()) {
      out[i] = nan;  // an empty cell is missing, `default` or not
      continue;
    }
    const auto it = scores.find(detail::fold_case(text));
    out[i] = it == scores.end() ? fallback : it->second;
  }
}

void score_boolean(const rule& r, const column& c, std::vector<double>& out) {
  for (std::size_t i = 0; i < c.size(); ++i) {
    const int b = c.boolean(i);
    out[i] = b == 1 ? r.true_score : b == 0 ? r.false_score : nan;
  }
}

void score_recency(const rule& r, const column& c, std::int32_t as_of, std::vector<double>& out) {
  const auto& days = c.days();
  for (std::size_t i = 0; i < days.size(); ++i) {
    if (days[i] == no_date) {
      out[i] = nan;
      continue;
    }
    const double d = static_cast<double>(static_cast<std::int64_t>(as_of) - days[i]);
    if (d < 0 || d <= r.full_days) out[i] = 100;  // future dates score full
    else if (d >= r.zero_days) out[i] = 0;
    else out[i] = 100.0 * (r.zero_days - d) / (r.zero_days - r.full_days);
  }
}

void score_percentile(const column& c, std::vector<double>& out) {
  const auto& xs = c.numbers();
  std::vector<double> sorted;
  sorted.reserve(xs.size());
  for (const double x : xs)
    if (!std::isnan(x)) sorted.push_back(x);
  std::sort(sorted.begin(), sorted.end());
  const double n = static_cast<double>(sorted.size());
  for (std::size_t i = 0; i < xs.size(); ++i) {
    if (std::isnan(xs[i])) {
      out[i] = nan;
      continue;
    }
    const auto range = std::equal_range(sorted.begin(), sorted.end(), xs[i]);
    const auto below = static_cast<double>(range.first - sorted.begin());
    const auto equal = static_cast<double>(range.second - range.first);
    out[i] = 100.0 * (below + 0.5 * equal) / n;
  }
}

void score_target(const rule& r, const column& c, const table& t, std::vector<double>& out) {
  const auto& xs = c.numbers();
  const std::vector<double>* targets = nullptr;
  if (!r.target) {
    const auto tc = t.find(r.target_column);
    if (tc < 0) {
      std::fill(out.begin(), out.end(), nan);
      return;
    }
    targets = &t.columns[static_cast<std::size_t>(tc)].numbers();
    if (targets->size() < xs.size()) {
      std::fill(out.begin(), out.end(), nan);
      return;
    }
  }
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const double goal = targets ? (*targets)[i] : *r.target;
    if (std::isnan(xs[i]) || !(goal > 0)) {
      out[i] = nan;
      continue;
    }
    const double q = xs[i] / goal;
    out[i] = 100.0 * (q < 0 ? 0 : q > 1 ? 1 : q);
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
  switch (r.type) {
    case rule_type::linear: score_linear(r, c, out); break;
    case rule_type::log: score_log(r, c, out); break;
    case rule_type::steps: score_steps(r, c, out); break;
    case rule_type::map: score_map(r, c, out); break;
    case rule_type::boolean: score_boolean(r, c, out); break;
    case rule_type::recency: score_recency(r, c, as_of, out); break;
    case rule_type::percentile: score_percentile(c, out); break;
    case rule_type::target: score_target(r, c, t, out); break;
  }
  out.resize(t.rows, nan);
  if (r.lower_is_better && detail::uses_direction(r.type))
    for (double& v : out) v = 100.0 - v;  // NaN stays NaN
  return out;
}

}  // namespace healthscore
