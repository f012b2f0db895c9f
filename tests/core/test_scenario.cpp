// SPDX-License-Identifier: MIT
// Two scenarios on one table: the migration matrix and the moved accounts, worked by hand.
#include <doctest/doctest.h>

#include <string>

#include "core/score_fixtures.hpp"
#include "healthscore/export.hpp"
#include "healthscore/scenario.hpp"
#include "healthscore/score.hpp"

using namespace healthscore;
using fixtures::linear;
using fixtures::make_category;
using fixtures::make_signal;
using fixtures::make_table;

namespace {

// Two signals, each scoring its own cell (linear 0..100).
const table& two_signals() {
  static const table t = make_table({
      {"Id", {" A1 ", "A2", "=B3", "A4", "A5"}},
      {"Name", {"Ana", "Bo, Inc", "Cy", "", "Ed"}},
      {"X", {"90", "40", "60", "", "10"}},
      {"Y", {"10", "90", "60", "", "20"}},
  });
  return t;
}

model weighted(double wx, double wy) {
  model m;
  m.id_column = "Id";
  m.name_column = "Name";
  m.categories.push_back(make_category("x", wx, {make_signal("X", linear())}));
  m.categories.push_back(make_category("y", wy, {make_signal("Y", linear())}));
  return m;
}

}  // namespace

TEST_CASE("scenarios with other weights move exactly the accounts whose band changed") {
  // Only X: 90 green, 40 red, 60 yellow, unscored, 10 red. Only Y: 10 red, 90 green, 60 yellow,
  // unscored, 20 red.
  const scorer a(two_signals(), weighted(1, 0));
  const scorer b(two_signals(), weighted(0, 1));
  const scenario_comparison c = compare_scenarios(a, b);
  CHECK(c.rows == 5);
  REQUIRE(c.transitions.size() == 4);
  CHECK(c.transitions[2][0] == 1);  // A1 green -> red
  CHECK(c.transitions[0][2] == 1);  // A2 red -> green
  CHECK(c.transitions[1][1] == 1);  // =B3 yellow stays
  CHECK(c.transitions[3][3] == 1);  // A4 unscored in both
  CHECK(c.transitions[0][0] == 1);  // A5 red stays
  CHECK(c.moved == std::vector<std::size_t>{0, 1});
}

TEST_CASE("the moved accounts' CSV has both scores and bands, trimmed ids and defused cells") {
  const scorer a(two_signals(), weighted(1, 0));
  const scorer b(two_signals(), weighted(1, 1));
  // Equal weights: 50 red, 65 yellow, 60 yellow, unscored, 15 red. From X alone: A1 green -> red
  // (50), A2 red -> yellow (65); =B3 stays yellow.
  const scenario_comparison c = compare_scenarios(a, b);
  CHECK(c.moved == std::vector<std::size_t>{0, 1});
  const std::string csv = scenario_changes_csv(a, b, c, "Mine", "=Equal");
  CHECK(csv ==
        "id,name,Mine score,Mine band,'=Equal score,'=Equal band\r\n"
        "A1,Ana,90.00,Healthy,50.00,At risk\r\n"
        "A2,\"Bo, Inc\",40.00,At risk,65.00,Neutral\r\n");
}

TEST_CASE("a scenario that unscores an account counts it in the unscored row and column") {
  model only_y = weighted(0, 1);
  only_y.categories[1].signals[0].column = "Missing column";
  const scorer a(two_signals(), weighted(1, 0));
  const scorer b(two_signals(), only_y);
  const scenario_comparison c = compare_scenarios(a, b);
  CHECK(c.transitions[2][3] == 1);
  CHECK(c.transitions[1][3] == 1);
  CHECK(c.transitions[0][3] == 2);
  CHECK(c.transitions[3][3] == 1);
  CHECK(c.moved == std::vector<std::size_t>{0, 1, 2, 4});
  const std::string csv = scenario_changes_csv(a, b, c, "a", "b");
  CHECK(csv.find("'=B3,Cy,60.00,Neutral,,\r\n") != std::string::npos);
}

TEST_CASE("scenarios on two different tables are refused") {
  const table other = make_table({{"X", {"1"}}});
  const scorer a(two_signals(), weighted(1, 0));
  model m;
  m.categories.push_back(make_category("x", 1, {make_signal("X", linear())}));
  const scorer b(other, m);
  CHECK_THROWS_AS(compare_scenarios(a, b), input_error);
}

TEST_CASE("with segments the migration is split by segment, groups then the other segment, adding up to the whole") {
  const table t = make_table({
      {"Id", {"A1", "A2", "A3", "A4", "A5"}},
      {"X", {"90", "40", "60", "", "10"}},
      {"Y", {"10", "90", "60", "", "20"}},
      {"Tier", {"t", "", " T ", "t", "x"}},
  });
  model ma = weighted(1, 0);
  ma.id_column = "Id";
  ma.name_column.clear();
  segments sg;
  sg.column = "Tier";
  sg.other_label = "Rest";
  segment_group g;
  g.id = "t";
  g.label = "Tier T";
  g.values = {"t"};
  sg.groups.push_back(g);
  ma.segments = sg;
  model mb = weighted(0, 1);
  mb.name_column.clear();
  const scorer a(t, ma);
  const scorer b(t, mb);  // no segments: the split follows a's
  const scenario_comparison c = compare_scenarios(a, b);
  REQUIRE(c.segments.size() == 2);
  CHECK(c.segments[0].id == "t");
  CHECK(c.segments[0].label == "Tier T");
  CHECK(c.segments[0].rows == 3);  // A1, A3 (trimmed, folded), A4
  CHECK(c.segments[0].transitions[2][0] == 1);  // A1 green -> red
  CHECK(c.segments[0].transitions[1][1] == 1);  // A3 yellow stays
  CHECK(c.segments[0].transitions[3][3] == 1);  // A4 unscored in both
  CHECK(c.segments[1].id.empty());
  CHECK(c.segments[1].label == "Rest");
  CHECK(c.segments[1].rows == 2);
  CHECK(c.segments[1].transitions[0][2] == 1);  // A2 red -> green
  CHECK(c.segments[1].transitions[0][0] == 1);  // A5 red stays
  for (std::size_t i = 0; i < c.transitions.size(); ++i)
    for (std::size_t j = 0; j < c.transitions[i].size(); ++j)
      CHECK(c.segments[0].transitions[i][j] + c.segments[1].transitions[i][j] == c.transitions[i][j]);
  // The other way round (only b segmented), the split is b's; neither: none.
  CHECK(compare_scenarios(b, a).segments.size() == 2);
  CHECK(compare_scenarios(b, b).segments.empty());
}
