// SPDX-License-Identifier: MIT
// Explanations: shares and contributions that add up (the lift is tested in test_explain_lift.cpp).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <random>

#include "core/score_fixtures.hpp"
#include "healthscore/explain.hpp"

using namespace healthscore;
using fixtures::linear;
using fixtures::make_category;
using fixtures::make_signal;
using fixtures::make_table;

namespace {

using cells = std::vector<std::pair<std::string, std::vector<std::string>>>;

std::string exact(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

/// Random 0..100 cells (about 1 in 8 empty) in columns s0..s{n-1}.
cells random_cells(std::mt19937& rng, int columns, int rows) {
  cells out;
  std::uniform_real_distribution<double> u(0, 100);
  for (int c = 0; c < columns; ++c) {
    std::vector<std::string> v;
    for (int r = 0; r < rows; ++r) v.push_back(rng() % 8 == 0 ? "" : exact(std::round(u(rng) * 100) / 100));
    out.emplace_back("s" + std::to_string(c), v);
  }
  return out;
}

/// A random model over columns s0..s{n-1}, every rule linear 0..100 (a quarter lower_is_better), so
/// a raw value and its score are the same number (or 100 minus it).
model random_model(std::mt19937& rng, int columns, missing_policy p) {
  model m;
  m.missing = p;
  const int nc = 1 + static_cast<int>(rng() % 3);
  int col = 0;
  for (int c = 0; c < nc; ++c) {
    std::vector<signal> sigs;
    const int ns = 1 + static_cast<int>(rng() % 3);
    for (int s = 0; s < ns; ++s) {
      rule r = linear();
      r.lower_is_better = rng() % 4 == 0;
      sigs.push_back(make_signal("s" + std::to_string(col++ % columns), r, 0.5 + static_cast<double>(rng() % 4)));
    }
    m.categories.push_back(make_category("c" + std::to_string(c), 1 + static_cast<double>(rng() % 5), sigs));
  }
  return m;
}

const table& hand_table() {
  static const table t = make_table({
      {"A", {"80", "", "40"}},
      {"B", {"20", "40", ""}},
      {"C", {"50", "90", ""}},
  });
  return t;
}

model hand_model(missing_policy p) {
  model m;
  m.missing = p;
  m.categories.push_back(make_category("usage", 2, {make_signal("A", linear(), 2), make_signal("B", linear(), 1)}));
  m.categories.push_back(make_category("support", 1, {make_signal("C", linear())}));
  return m;
}

}  // namespace

TEST_CASE("shares and contributions of a hand-worked account") {
  const scorer s(hand_table(), hand_model(missing_policy::renormalize));
  const explanation e = explain(s, 0);
  // usage 60 (share 2/3), support 50 (share 1/3): 170/3
  CHECK(e.score == doctest::Approx(170.0 / 3));
  CHECK(e.band == 1);
  REQUIRE(e.categories.size() == 2);
  CHECK(e.categories[0].id == "usage");
  CHECK(e.categories[0].share == doctest::Approx(2.0 / 3));
  CHECK(e.categories[0].contribution == doctest::Approx(40));
  CHECK(e.categories[1].points_lost == doctest::Approx(50.0 / 3));
  REQUIRE(e.signals.size() == 3);
  CHECK(e.signals[0].column == "A");
  CHECK(e.signals[0].raw == "80");
  CHECK(e.signals[0].share == doctest::Approx(4.0 / 9));
  CHECK(e.signals[0].contribution == doctest::Approx(320.0 / 9));
  CHECK(e.signals[1].share == doctest::Approx(2.0 / 9));
  CHECK(e.signals[2].share == doctest::Approx(1.0 / 3));
  CHECK(e.signals[2].points_lost == doctest::Approx(50.0 / 3));
}

TEST_CASE("a missing signal has no share under renormalize and counts as 0 or 50 under zero and neutral") {
  SUBCASE("renormalize") {
    const explanation e = explain(scorer(hand_table(), hand_model(missing_policy::renormalize)), 1);
    CHECK(e.signals[0].missing);
    CHECK(std::isnan(e.signals[0].score));
    CHECK(e.signals[0].share == 0);
    CHECK(e.signals[1].share == doctest::Approx(2.0 / 3));  // B alone carries usage
  }
  SUBCASE("zero") {
    const explanation e = explain(scorer(hand_table(), hand_model(missing_policy::zero)), 1);
    CHECK(e.signals[0].missing);
    CHECK(e.signals[0].score == 0);
    CHECK(e.signals[0].share == doctest::Approx(4.0 / 9));
    CHECK(e.signals[0].points_lost == doctest::Approx(400.0 / 9));
  }
  SUBCASE("neutral") {
    const explanation e = explain(scorer(hand_table(), hand_model(missing_policy::neutral)), 2);
    CHECK(e.signals[1].score == 50);
    CHECK(e.signals[2].score == 50);
    CHECK(e.signals[2].contribution == doctest::Approx(50.0 / 3));
  }
  SUBCASE("a missing category has no share") {
    const explanation e = explain(scorer(hand_table(), hand_model(missing_policy::renormalize)), 2);
    CHECK(std::isnan(e.categories[1].score));
    CHECK(e.categories[1].share == 0);
    CHECK(e.categories[0].share == 1);
    CHECK(e.score == doctest::Approx(40));
  }
}

TEST_CASE("contributions add up to the score and points lost to 100 minus the score") {
  std::mt19937 rng(7);
  for (int round = 0; round < 60; ++round) {
    const cells data = random_cells(rng, 5, 40);
    const table t = make_table(data);
    const model m = random_model(rng, 5, static_cast<missing_policy>(round % 3));
    const scorer s(t, m);
    for (std::size_t r = 0; r < s.rows(); ++r) {
      const explanation e = explain(s, r);
      if (std::isnan(e.score)) {
        CHECK(e.band == -1);
        CHECK_FALSE(e.next_band.has_value());
        for (const auto& se : e.signals) CHECK(se.share == 0);
        continue;
      }
      double sum = 0, lost = 0, share = 0, cat_sum = 0;
      for (const auto& se : e.signals) {
        sum += se.contribution;
        lost += se.points_lost;
        share += se.share;
      }
      for (const auto& ce : e.categories) cat_sum += ce.contribution;
      CHECK(sum == doctest::Approx(e.score).epsilon(1e-12));
      CHECK(cat_sum == doctest::Approx(e.score).epsilon(1e-12));
      CHECK(lost == doctest::Approx(100 - e.score).epsilon(1e-12));
      CHECK(share == doctest::Approx(1).epsilon(1e-12));
    }
  }
}
