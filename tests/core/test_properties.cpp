// SPDX-License-Identifier: MIT
// Properties of scoring over random models on random tables (seeded): bounded scores, invariance to
// weight scale and row order, missing-as-removed under renormalize, monotonicity.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

#include "core/score_fixtures.hpp"
#include "healthscore/cells.hpp"
#include "healthscore/score.hpp"

using namespace healthscore;
using fixtures::make_category;
using fixtures::make_signal;
using fixtures::make_table;

namespace {

using cells = std::vector<std::pair<std::string, std::vector<std::string>>>;
const std::int32_t as_of = days_from_civil(2026, 11, 25);

/// Numbers (with blanks and junk), dates, booleans, plan names and a target column.
cells random_cells(std::mt19937& rng, std::size_t rows) {
  cells out;
  for (const char* name : {"n0", "n1", "n2", "n3"}) {
    std::vector<std::string> v;
    for (std::size_t r = 0; r < rows; ++r) {
      const auto k = rng() % 16;
      v.push_back(k == 0 ? "" : k == 1 ? "n/a" : std::to_string(static_cast<int>(rng() % 2000) - 200));
    }
    out.emplace_back(name, v);
  }
  std::vector<std::string> dates, flags, plans, goals;
  const char* plan_names[] = {"Gold", "silver", " BRONZE ", "trial", ""};
  const char* flag_names[] = {"yes", "no", "Y", "false", "", "maybe"};
  for (std::size_t r = 0; r < rows; ++r) {
    dates.push_back(rng() % 10 == 0 ? "" : format_date(as_of - static_cast<std::int32_t>(rng() % 200) + 10));
    flags.push_back(flag_names[rng() % 6]);
    plans.push_back(plan_names[rng() % 5]);
    goals.push_back(std::to_string(static_cast<int>(rng() % 1000) - 50));
  }
  out.emplace_back("date", dates);
  out.emplace_back("flag", flags);
  out.emplace_back("plan", plans);
  out.emplace_back("goal", goals);
  return out;
}

rule random_rule(std::mt19937& rng, std::string& column) {
  rule r;
  const char* numeric[] = {"n0", "n1", "n2", "n3"};
  column = numeric[rng() % 4];
  switch (rng() % 8) {
    case 0:
      r.type = rule_type::linear;
      if (rng() % 2) r.min = static_cast<double>(rng() % 500) - 100;
      if (rng() % 2) r.max = static_cast<double>(rng() % 1500) + 400;
      break;
    case 1:
      r.type = rule_type::log;
      if (rng() % 2) r.max = static_cast<double>(rng() % 1500) + 1;
      break;
    case 2:
      r.type = rule_type::steps;
      r.steps = {{100.0, static_cast<double>(rng() % 101)}, {700.0, static_cast<double>(rng() % 101)}};
      if (rng() % 2) r.steps.push_back({std::nullopt, static_cast<double>(rng() % 101)});
      break;
    case 3:
      r.type = rule_type::map;
      column = "plan";
      r.map = {{"gold", 100}, {"Silver", 60}, {"bronze", 30}};
      if (rng() % 2) r.map_default = 10;
      break;
    case 4:
      r.type = rule_type::boolean;
      column = "flag";
      r.true_score = static_cast<double>(rng() % 101);
      r.false_score = static_cast<double>(rng() % 101);
      break;
    case 5:
      r.type = rule_type::recency;
      column = "date";
      r.full_days = static_cast<double>(rng() % 30);
      r.zero_days = r.full_days + 1 + static_cast<double>(rng() % 150);
      break;
    case 6: r.type = rule_type::percentile; break;
    default:
      r.type = rule_type::target;
      if (rng() % 2)
        r.target = 1 + static_cast<double>(rng() % 900);
      else
        r.target_column = "goal";
      break;
  }
  r.lower_is_better = rng() % 4 == 0;
  return r;
}

model random_model(std::mt19937& rng) {
  model m;
  m.as_of = as_of;
  m.missing = static_cast<missing_policy>(rng() % 3);
  const auto nc = 1 + rng() % 4;
  for (std::size_t c = 0; c < nc; ++c) {
    std::vector<signal> sigs;
    const auto ns = 1 + rng() % 4;
    for (std::size_t s = 0; s < ns; ++s) {
      std::string column;
      rule r = random_rule(rng, column);
      sigs.push_back(make_signal(column, r, rng() % 5 == 0 ? 0 : 0.25 * static_cast<double>(1 + rng() % 12)));
    }
    m.categories.push_back(
        make_category("c" + std::to_string(c), rng() % 6 == 0 ? 0 : static_cast<double>(1 + rng() % 9), sigs));
  }
  return m;
}

/// Whether x is within `eps` of a rounding boundary k + 0.5.
bool near_half(double x, double eps) { return std::fabs(x - std::floor(x) - 0.5) < eps; }

}  // namespace

TEST_CASE("every score lies in [0, 100] and every band agrees with band_of") {
  std::mt19937 rng(1);
  for (int round = 0; round < 150; ++round) {
    const table t = make_table(random_cells(rng, 60));
    const model m = random_model(rng);
    const scorer s(t, m);
    for (std::size_t r = 0; r < s.rows(); ++r) {
      const double h = s.scores()[r];
      if (std::isnan(h)) {
        CHECK(s.bands()[r] == -1);
        continue;
      }
      CHECK(h >= 0);
      CHECK(h <= 100);
      CHECK(s.bands()[r] == band_of(h, m.bands));
      for (std::size_t c = 0; c < m.categories.size(); ++c) {
        const double cv = s.category_scores(c)[r];
        if (!std::isnan(cv)) CHECK((cv >= 0 && cv <= 100));
        for (std::size_t k = 0; k < m.categories[c].signals.size(); ++k) {
          const double sv = s.signal_scores(c, k)[r];
          if (!std::isnan(sv)) CHECK((sv >= 0 && sv <= 100));
        }
      }
    }
  }
}

TEST_CASE("scaling every weight by the same factor changes nothing") {
  std::mt19937 rng(2);
  for (int round = 0; round < 150; ++round) {
    const table t = make_table(random_cells(rng, 50));
    const model m = random_model(rng);
    model scaled = m;
    const double factor = std::ldexp(1.0 + static_cast<double>(rng() % 1000) / 37.0, static_cast<int>(rng() % 20) - 10);
    for (auto& c : scaled.categories) {
      c.weight *= factor;
      for (auto& s : c.signals) s.weight *= factor;
    }
    const scorer a(t, m), b(t, scaled);
    for (std::size_t r = 0; r < a.rows(); ++r) {
      const double x = a.scores()[r], y = b.scores()[r];
      CHECK(std::isnan(x) == std::isnan(y));
      if (std::isnan(x)) continue;
      CHECK(std::fabs(x - y) < 1e-9);
      if (!near_half(x, 1e-9)) CHECK(a.bands()[r] == b.bands()[r]);
    }
  }
}

TEST_CASE("under renormalize a missing signal is the same as removing it") {
  std::mt19937 rng(3);
  int compared = 0;
  for (int round = 0; round < 150; ++round) {
    const table t = make_table(random_cells(rng, 50));
    model m = random_model(rng);
    m.missing = missing_policy::renormalize;
    const std::size_t c = rng() % m.categories.size();
    const std::size_t k = rng() % m.categories[c].signals.size();
    model removed = m;
    removed.categories[c].signals.erase(removed.categories[c].signals.begin() + static_cast<std::ptrdiff_t>(k));
    const scorer a(t, m), b(t, removed);
    const auto& signal = a.signal_scores(c, k);
    for (std::size_t r = 0; r < a.rows(); ++r) {
      if (!std::isnan(signal[r])) continue;
      ++compared;
      const double x = a.scores()[r], y = b.scores()[r];
      CHECK(std::isnan(x) == std::isnan(y));
      if (!std::isnan(x)) CHECK(std::fabs(x - y) < 1e-9);
    }
  }
  CHECK(compared > 500);
}

TEST_CASE("scores do not depend on the order of the rows") {
  std::mt19937 rng(4);
  for (int round = 0; round < 100; ++round) {
    const cells data = random_cells(rng, 80);
    std::vector<std::size_t> order(80);
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), rng);
    cells shuffled = data;
    for (std::size_t col = 0; col < data.size(); ++col)
      for (std::size_t i = 0; i < order.size(); ++i) shuffled[col].second[i] = data[col].second[order[i]];
    const model m = random_model(rng);
    const scorer a(make_table(data), m), b(make_table(shuffled), m);
    for (std::size_t i = 0; i < order.size(); ++i) {
      const double x = a.scores()[order[i]], y = b.scores()[i];
      // Each row's arithmetic is its own, so the scores agree exactly, not just closely.
      CHECK(std::memcmp(&x, &y, sizeof x) == 0);
      CHECK(a.bands()[order[i]] == b.bands()[i]);
    }
  }
}

TEST_CASE("raising a value on a positively weighted signal never lowers the score") {
  std::mt19937 rng(5);
  int raised = 0;
  for (int round = 0; round < 100; ++round) {
    cells data = random_cells(rng, 40);
    model m = random_model(rng);
    // A linear signal with fixed bounds on n0, so no other row's score moves.
    rule r;
    r.type = rule_type::linear;
    r.min = 0;
    r.max = 1000;
    const std::size_t c = rng() % m.categories.size();
    m.categories[c].weight = 1 + static_cast<double>(rng() % 5);
    m.categories[c].signals.push_back(make_signal("n0", r, 1 + static_cast<double>(rng() % 3)));
    for (auto& cat : m.categories)
      for (auto& s : cat.signals)
        if (s.column == "n0" && &s != &m.categories[c].signals.back()) s.column = "n1";  // n0 moves only this one
    const scorer before(make_table(data), m);
    const std::size_t row = rng() % 40;
    const double old_value = std::isnan(before.signal_scores(c, m.categories[c].signals.size() - 1)[row])
                                 ? 0
                                 : before.signal_scores(c, m.categories[c].signals.size() - 1)[row] * 10;
    data[0].second[row] = std::to_string(static_cast<int>(old_value) + 1 + static_cast<int>(rng() % 300));
    const scorer after(make_table(data), m);
    const double x = before.scores()[row], y = after.scores()[row];
    if (std::isnan(x) || std::isnan(y)) continue;
    // A missing value that becomes present may lower a renormalized score; compare present ones only.
    if (std::isnan(before.signal_scores(c, m.categories[c].signals.size() - 1)[row])) continue;
    ++raised;
    CHECK(y >= x - 1e-12);
    CHECK(after.bands()[row] >= before.bands()[row]);
  }
  CHECK(raised > 50);
}
