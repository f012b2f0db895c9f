// SPDX-License-Identifier: MIT
// Explanations: shares and contributions that add up, and a next-band suggestion that works when
// applied to the file and is the smallest single-signal change that does.
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

/// The band of `row` after setting `column`'s cell in that row to `text`, scored afresh.
int band_after(cells data, const model& m, std::size_t row, const std::string& column, const std::string& text) {
  for (auto& [name, v] : data)
    if (name == column) v[row] = text;
  const table t = make_table(data);
  return scorer(t, m).bands()[row];
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

TEST_CASE("the suggested improvement lifts the account a band when applied, and no smaller one does") {
  std::mt19937 rng(2026);
  int suggestions = 0;
  for (int round = 0; round < 40; ++round) {
    const cells data = random_cells(rng, 9, 12);
    const table t = make_table(data);
    const model m = random_model(rng, 9, static_cast<missing_policy>(round % 3));
    const scorer s(t, m);
    for (std::size_t r = 0; r < s.rows(); ++r) {
      const explanation e = explain(s, r);
      if (!e.next_band) continue;
      ++suggestions;
      const improvement& imp = *e.next_band;
      CHECK(imp.to_score > imp.from_score);
      CHECK(imp.to_score <= 100);
      CHECK(imp.to_band > e.band);
      // Linear 0..100 rules are invertible: the raw value is the score, or 100 minus it.
      REQUIRE(imp.raw_value.has_value());
      const rule& rl = m.categories[imp.category].signals[imp.signal].rule;
      CHECK(*imp.raw_value == doctest::Approx(rl.lower_is_better ? 100 - imp.to_score : imp.to_score));
      // Applied to the file and scored afresh, the raw value reaches the band.
      CHECK(band_after(data, m, r, imp.column, exact(*imp.raw_value)) >= e.band + 1);
      // No signal, this one included, reaches it with a slightly smaller change.
      const double delta = (imp.to_score - imp.from_score) * (1 - 1e-7);
      for (const auto& se : e.signals) {
        if (!(se.share > 0)) continue;
        const double to = std::min(100.0, se.score + delta);
        const rule& sr = m.categories[se.category].signals[se.signal].rule;
        const double raw = sr.lower_is_better ? 100 - to : to;
        // Only the column of this one signal changes (a column used twice moves both signals, skip it).
        int uses = 0;
        for (const auto& other : e.signals) uses += other.column == se.column;
        if (uses > 1) continue;
        CHECK(band_after(data, m, r, se.column, exact(raw)) <= e.band);
      }
    }
  }
  CHECK(suggestions > 50);  // the loop above really checked something
}

TEST_CASE("no next band for an account already in the top band, an unscored one, or one no single signal can lift") {
  const table t = make_table({{"a", {"95", "", "10"}}, {"b", {"90", "", "10"}}, {"c", {"99", "", "10"}}});
  model m;
  m.categories.push_back(
      make_category("u", 1, {make_signal("a", linear()), make_signal("b", linear()), make_signal("c", linear())}));
  const scorer s(t, m);
  CHECK(s.bands()[0] == 2);
  CHECK_FALSE(explain(s, 0).next_band.has_value());
  CHECK(s.bands()[1] == -1);
  CHECK_FALSE(explain(s, 1).next_band.has_value());
  // Row 2 scores 10: one signal at 100 gives (100 + 10 + 10)/3 = 40, still red.
  CHECK(s.bands()[2] == 0);
  CHECK_FALSE(explain(s, 2).next_band.has_value());
  CHECK_THROWS_AS(explain(s, 3), std::out_of_range);
}

TEST_CASE("the raw value inverts log and target rules and respects direction") {
  // One signal per model, so the signal score is the health score: the next band (yellow) needs
  // 50.5 points.
  const table t = make_table({{"x", {"3"}}, {"goal", {"40"}}});
  SUBCASE("log") {
    rule r;
    r.type = rule_type::log;
    r.min = 0;
    r.max = 999;
    model m;
    m.categories.push_back(make_category("c", 1, {make_signal("x", r)}));
    const explanation e = explain(scorer(t, m), 0);
    REQUIRE(e.next_band.has_value());
    CHECK(e.next_band->to_score == doctest::Approx(50.5));
    REQUIRE(e.next_band->raw_value.has_value());
    CHECK(*e.next_band->raw_value == doctest::Approx(std::expm1(0.505 * std::log(1000.0))));
    const table moved = make_table({{"x", {exact(*e.next_band->raw_value)}}, {"goal", {"40"}}});
    CHECK(scorer(moved, m).bands()[0] == 1);
  }
  SUBCASE("target from a column, lower is better") {
    rule r;
    r.type = rule_type::target;
    r.target_column = "goal";
    r.lower_is_better = true;
    model m;
    m.categories.push_back(make_category("c", 1, {make_signal("x", r)}));
    const table high = make_table({{"x", {"30"}}, {"goal", {"40"}}});  // 100 - 75 = 25, red
    const explanation e = explain(scorer(high, m), 0);
    REQUIRE(e.next_band.has_value());
    REQUIRE(e.next_band->raw_value.has_value());
    CHECK(*e.next_band->raw_value == doctest::Approx(0.495 * 40));  // 100 - 100*x/40 >= 50.5
    const table moved = make_table({{"x", {exact(*e.next_band->raw_value)}}, {"goal", {"40"}}});
    CHECK(scorer(moved, m).bands()[0] == 1);
  }
  SUBCASE("steps have no raw value") {
    rule r;
    r.type = rule_type::steps;
    r.steps = {{5.0, 10}, {std::nullopt, 90}};
    model m;
    m.categories.push_back(make_category("c", 1, {make_signal("x", r)}));
    const explanation e = explain(scorer(t, m), 0);
    REQUIRE(e.next_band.has_value());
    CHECK_FALSE(e.next_band->raw_value.has_value());
    CHECK(e.next_band->to_band == 1);
  }
}

TEST_CASE("an account in a segment is explained with its segment's weights, bounds and cut points") {
  // Group "pro": usage weight 3 and red <= 60. A has omitted bounds, so its range is the segment's.
  const table t = make_table({{"Tier", {"pro", "pro", "basic", "basic"}},
                              {"A", {"20", "40", "0", "100"}},
                              {"B", {"50", "50", "50", "50"}}});
  rule free;  // linear, bounds from the column
  model m;
  m.categories.push_back(make_category("usage", 1, {make_signal("A", free)}));
  m.categories.push_back(make_category("support", 1, {make_signal("B", linear())}));
  segments s;
  s.column = "Tier";
  segment_group g;
  g.id = g.label = "pro";
  g.values = {"pro"};
  g.categories.push_back({"usage", 3.0, {}, json::object()});
  g.bands = {{"red", 60, std::nullopt, json::object()}, {"yellow", 70, std::nullopt, json::object()},
             {"green", 100, std::nullopt, json::object()}};
  s.groups.push_back(g);
  m.segments = s;
  const scorer sc(t, m);
  // Row 0 (pro): A 20 on the segment's range 20..40 scores 0; health (3*0 + 50) / 4 = 12.5, red.
  const explanation e = explain(sc, 0);
  CHECK(e.score == 12.5);
  CHECK(e.band == 0);
  CHECK(e.categories[0].share == doctest::Approx(0.75));
  CHECK(e.categories[1].share == doctest::Approx(0.25));
  // Out of red means above 60.5 under pro's cut points: usage must reach (60.5*4 - 50) / 3 = 64.1(6),
  // so A must be 20 + 0.641(6) * 20 = 32.8(3) on the segment's own range.
  REQUIRE(e.next_band.has_value());
  CHECK(e.next_band->category == 0);
  CHECK(e.next_band->to_band == 1);
  CHECK(e.next_band->to_score == doctest::Approx((60.5 * 4 - 50) / 3));
  REQUIRE(e.next_band->raw_value.has_value());
  CHECK(*e.next_band->raw_value == doctest::Approx(20 + (60.5 * 4 - 50) / 3 / 100 * 20));
  // Row 2 (other): the base model, equal weights, A's range over the other rows (0..100).
  const explanation o = explain(sc, 2);
  CHECK(o.score == 25);
  CHECK(o.categories[0].share == doctest::Approx(0.5));
  REQUIRE(o.next_band.has_value());
  CHECK(*o.next_band->raw_value == doctest::Approx(51));  // out of red (<= 50) at 50.5: usage 51
}
