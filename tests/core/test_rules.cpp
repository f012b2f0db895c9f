// SPDX-License-Identifier: MIT
// Each rule type of the contract, on small columns, with its edges.
#include <doctest/doctest.h>

#include <cmath>

#include "core/score_fixtures.hpp"
#include "detail/rules.hpp"
#include "healthscore/cells.hpp"
#include "healthscore/score.hpp"

using namespace healthscore;
using fixtures::make_signal;
using fixtures::make_table;

namespace {

std::vector<double> run(const table& t, const rule& r, const std::string& column = "x", std::int32_t as_of = 0) {
  return score_signal(make_signal(column, r), t, as_of);
}

rule of_type(rule_type type) {
  rule r;
  r.type = type;
  return r;
}

}  // namespace

TEST_CASE("linear scores clamp between min and max and an empty or unreadable cell is missing") {
  const table t = make_table({{"x", {"-10", "0", "15", "60", "90", "", "abc"}}});
  rule r = fixtures::linear(0, 60);
  const auto v = run(t, r);
  REQUIRE(v.size() == 7);
  CHECK(v[0] == 0);
  CHECK(v[1] == 0);
  CHECK(v[2] == doctest::Approx(25));
  CHECK(v[3] == 100);
  CHECK(v[4] == 100);
  CHECK(std::isnan(v[5]));
  CHECK(std::isnan(v[6]));

  SUBCASE("lower_is_better turns s into 100 - s and keeps missing missing") {
    r.lower_is_better = true;
    const auto w = run(t, r);
    CHECK(w[0] == 100);
    CHECK(w[2] == doctest::Approx(75));
    CHECK(w[4] == 0);
    CHECK(std::isnan(w[5]));
  }
}

TEST_CASE("linear without min or max uses the column's own smallest and largest number") {
  const table t = make_table({{"x", {"10", "20", "30", "", "50"}}});
  rule r = of_type(rule_type::linear);
  auto v = run(t, r);
  CHECK(v[0] == 0);  // column min 10
  CHECK(v[1] == doctest::Approx(25));  // (20-10)/(50-10)
  CHECK(v[4] == 100);  // column max 50
  r.max = 30;  // only min taken from the column
  v = run(t, r);
  CHECK(v[1] == doctest::Approx(50));
  CHECK(v[4] == 100);
}

TEST_CASE("linear with min equal to max gives 100 at or above max and 0 below") {
  const table t = make_table({{"x", {"4", "5", "6"}}});
  const auto v = run(t, fixtures::linear(5, 5));
  CHECK(v[0] == 0);
  CHECK(v[1] == 100);
  CHECK(v[2] == 100);
  // A column whose values are all equal, with bounds omitted, is the same case.
  const table same = make_table({{"x", {"7", "7"}}});
  const auto w = run(same, of_type(rule_type::linear));
  CHECK(w[0] == 100);
  CHECK(w[1] == 100);
}

TEST_CASE("log scores ln(1 + x) between ln(1 + min) and ln(1 + max) and a negative value is missing") {
  const table t = make_table({{"x", {"0", "9", "99", "-1", "1000"}}});
  rule r = of_type(rule_type::log);
  r.min = 0;
  r.max = 99;
  const auto v = run(t, r);
  CHECK(v[0] == 0);
  CHECK(v[1] == doctest::Approx(50));  // ln 10 / ln 100
  CHECK(v[2] == doctest::Approx(100));
  CHECK(std::isnan(v[3]));
  CHECK(v[4] == 100);

  SUBCASE("omitted bounds come from the column's non-negative values") {
    rule open = of_type(rule_type::log);
    const auto w = run(t, open);
    CHECK(w[0] == 0);  // min 0 (not -1)
    CHECK(w[2] == doctest::Approx(100 * std::log(100.0) / std::log(1001.0)));  // max 1000
    CHECK(w[4] == 100);
  }
  SUBCASE("direction applies to log") {
    r.lower_is_better = true;
    CHECK(run(t, r)[1] == doctest::Approx(50));
    CHECK(run(t, r)[0] == 100);
    CHECK(std::isnan(run(t, r)[3]));
  }
}

TEST_CASE("steps take the first step whose max the value does not exceed and a step without max catches the rest") {
  const table t = make_table({{"x", {"0", "1", "2", "3", "", "-5"}}});
  rule r = of_type(rule_type::steps);
  r.steps = {{0.0, 100}, {2.0, 70}, {std::nullopt, 20}};
  const auto v = run(t, r);
  CHECK(v[0] == 100);
  CHECK(v[1] == 70);
  CHECK(v[2] == 70);
  CHECK(v[3] == 20);
  CHECK(std::isnan(v[4]));
  CHECK(v[5] == 100);

  SUBCASE("without a catch-all a value above every max is missing") {
    r.steps.pop_back();
    CHECK(std::isnan(run(t, r)[3]));
  }
  SUBCASE("steps ignore direction") {
    r.lower_is_better = true;
    CHECK(run(t, r)[0] == 100);
    CHECK(run(t, r)[3] == 20);
  }
}

TEST_CASE("map matches trimmed text without regard to case, accents included, and uses default for other text") {
  const table t = make_table({{"x", {"Gold", "  gold ", "SILVER", "bronze", "", "ÉLITE", "élite", "   "}}});
  rule r = of_type(rule_type::map);
  r.map = {{"gold", 100}, {"Silver", 60}, {"Élite", 90}};
  auto v = run(t, r);
  CHECK(v[0] == 100);
  CHECK(v[1] == 100);
  CHECK(v[2] == 60);
  CHECK(std::isnan(v[3]));  // unmatched, no default: missing
  CHECK(std::isnan(v[4]));
  CHECK(v[5] == 90);
  CHECK(v[6] == 90);
  CHECK(std::isnan(v[7]));

  SUBCASE("an empty cell is missing even with a default") {
    r.map_default = 10;
    v = run(t, r);
    CHECK(v[3] == 10);
    CHECK(std::isnan(v[4]));
    CHECK(std::isnan(v[7]));
  }
  SUBCASE("map ignores direction") {
    r.lower_is_better = true;
    CHECK(run(t, r)[0] == 100);
  }
}

TEST_CASE("boolean reads the contract's words and gives true_score and false_score") {
  const table t = make_table({{"x", {"yes", "No", " SÍ ", "x", "falso", "maybe", "", "1", "0"}}});
  rule r = of_type(rule_type::boolean);
  r.true_score = 90;
  r.false_score = 15;
  const auto v = run(t, r);
  CHECK(v[0] == 90);
  CHECK(v[1] == 15);
  CHECK(v[2] == 90);
  CHECK(v[3] == 90);
  CHECK(v[4] == 15);
  CHECK(std::isnan(v[5]));
  CHECK(std::isnan(v[6]));
  CHECK(v[7] == 90);
  CHECK(v[8] == 15);
}

TEST_CASE("recency counts whole calendar days to as_of, ignores the time of day and gives future dates 100") {
  const std::int32_t as_of = days_from_civil(2026, 11, 25);
  const table t = make_table({{"x",
                               {"2026-11-25", "2026-11-18", "2026-11-04", "2026-08-27", "2026-01-01",
                                "2026-11-24 23:59", "2026-12-31", "", "someday"}}});
  rule r = of_type(rule_type::recency);
  r.full_days = 7;
  r.zero_days = 90;
  const auto v = run(t, r, "x", as_of);
  CHECK(v[0] == 100);  // 0 days
  CHECK(v[1] == 100);  // 7 days = full_days
  CHECK(v[2] == doctest::Approx(100.0 * 69 / 83));  // 21 days: (90-21)/(90-7)
  CHECK(v[3] == 0);  // 90 days = zero_days
  CHECK(v[4] == 0);
  CHECK(v[5] == 100);  // 1 day, not 0.0007 of a day
  CHECK(v[6] == 100);  // future
  CHECK(std::isnan(v[7]));
  CHECK(std::isnan(v[8]));

  SUBCASE("the time of day does not count a partial day") {
    rule tight = of_type(rule_type::recency);
    tight.full_days = 0;
    tight.zero_days = 2;
    const auto w = run(t, tight, "x", as_of);
    CHECK(w[5] == 50);  // exactly one whole day
  }
  SUBCASE("direction applies to recency") {
    r.lower_is_better = true;
    const auto w = run(t, r, "x", as_of);
    CHECK(w[0] == 0);
    CHECK(w[3] == 100);
  }
}

TEST_CASE("percentile counts values below plus half the ties, over non-missing values") {
  const table t = make_table({{"x", {"10", "20", "20", "30", "", "40"}}});
  const auto v = run(t, of_type(rule_type::percentile));
  // n = 5 values: 10, 20, 20, 30, 40
  CHECK(v[0] == doctest::Approx(10));  // (0 + 0.5) / 5
  CHECK(v[1] == doctest::Approx(40));  // (1 + 1) / 5
  CHECK(v[2] == doctest::Approx(40));
  CHECK(v[3] == doctest::Approx(70));  // (3 + 0.5) / 5
  CHECK(std::isnan(v[4]));
  CHECK(v[5] == doctest::Approx(90));  // (4 + 0.5) / 5
  rule low = of_type(rule_type::percentile);
  low.lower_is_better = true;
  CHECK(run(t, low)[0] == doctest::Approx(90));
}

TEST_CASE(
    "target scores x over the target, capped, from a fixed target or a column, missing for targets at or below 0") {
  const table t = make_table(
      {{"x", {"25", "50", "80", "", "10", "10", "-5"}}, {"goal", {"100", "40", "0", "100", "-3", "", "10"}}});
  rule fixed = of_type(rule_type::target);
  fixed.target = 50;
  auto v = run(t, fixed);
  CHECK(v[0] == 50);
  CHECK(v[1] == 100);
  CHECK(v[2] == 100);
  CHECK(std::isnan(v[3]));
  CHECK(v[6] == 0);  // negative x clamps to 0

  rule per_row = of_type(rule_type::target);
  per_row.target_column = "goal";
  v = run(t, per_row);
  CHECK(v[0] == 25);
  CHECK(v[1] == 100);
  CHECK(std::isnan(v[2]));  // target 0
  CHECK(std::isnan(v[3]));  // x missing
  CHECK(std::isnan(v[4]));  // target negative
  CHECK(std::isnan(v[5]));  // target missing

  fixed.lower_is_better = true;
  CHECK(run(t, fixed)[0] == 50);
  CHECK(run(t, fixed)[1] == 0);

  rule nowhere = of_type(rule_type::target);
  nowhere.target_column = "no such column";
  v = run(t, nowhere);
  CHECK(std::isnan(v[0]));
  CHECK(std::isnan(v[1]));
}

TEST_CASE("a column that is not in the table is missing in every row") {
  const table t = make_table({{"x", {"1", "2"}}});
  const auto v = run(t, fixtures::linear(), "y");
  REQUIRE(v.size() == 2);
  CHECK(std::isnan(v[0]));
  CHECK(std::isnan(v[1]));
  // Names match after trimming spaces.
  CHECK(run(t, fixtures::linear(), "  x ")[1] == 2);
}

TEST_CASE("percentile of a large column is sorted once, not compared pairwise") {
  // 200,000 distinct values in reverse order: the quadratic way would take minutes.
  std::vector<std::string> cells;
  for (int i = 200000; i > 0; --i) cells.push_back(std::to_string(i));
  const table t = make_table({{"x", cells}});
  const auto v = run(t, of_type(rule_type::percentile));
  CHECK(v[0] == doctest::Approx(100.0 * (199999 + 0.5) / 200000));
  CHECK(v[199999] == doctest::Approx(100.0 * 0.5 / 200000));
}

TEST_CASE("issue 17: a dictionary column scored once per distinct text gives every row's own score") {
  // score_signal scores one row per entry of a dictionary column and copies it; score_signal_rows
  // over every row scores each row itself. Repeats, blanks, unreadable cells, both zeros, words.
  std::vector<std::string> numbers, dates, words, goals;
  for (int i = 0; i < 3000; ++i) {
    const int k = (i * 7919) % 613;
    numbers.push_back(k % 41 == 0   ? ""
                      : k % 37 == 0 ? "n/a"
                      : k < 20      ? (k % 2 ? "-0" : "0")
                                    : std::to_string(k % 90 - 9));
    dates.push_back(k % 29 == 0 ? ""
                                : "2026-" + std::string(k % 12 < 9 ? "0" : "") + std::to_string(k % 12 + 1) + "-1" +
                                      std::to_string(k % 10));
    const char* w[] = {"Gold", " silver", "SILVER", "", "Élite", "yes", "no", "maybe"};
    words.emplace_back(w[k % 8]);
    goals.push_back(std::to_string(i % 50 + 1));  // a row's own goal: rows of one value differ
  }
  const table t = fixtures::make_table({{"n", numbers}, {"d", dates}, {"w", words}, {"g", goals}});
  for (const auto& c : t.columns) REQUIRE(c.dictionary());
  std::vector<std::pair<std::string, rule>> rules;
  rule r = of_type(rule_type::linear);
  rules.emplace_back("n", r);  // both bounds from the column
  r.max = 50;
  rules.emplace_back("n", r);
  r = of_type(rule_type::log);
  rules.emplace_back("n", r);
  r.lower_is_better = true;
  rules.emplace_back("n", r);
  r = of_type(rule_type::steps);
  r.steps = {{0.0, 100}, {20.0, 70}, {std::nullopt, 20}};
  rules.emplace_back("n", r);
  r = of_type(rule_type::target);
  r.target = 40;
  rules.emplace_back("n", r);
  r = of_type(rule_type::map);
  r.map = {{"gold", 100}, {"Silver", 60}, {"Élite", 90}};
  r.map_default = 10;
  rules.emplace_back("w", r);
  r = of_type(rule_type::boolean);
  r.true_score = 90;
  r.false_score = 15;
  rules.emplace_back("w", r);
  r = of_type(rule_type::recency);
  r.full_days = 30;
  r.zero_days = 200;
  rules.emplace_back("d", r);
  // The two that depend on more than the text: every row is counted, and a goal per row.
  rules.emplace_back("n", of_type(rule_type::percentile));
  r = of_type(rule_type::target);
  r.target_column = "g";
  rules.emplace_back("n", r);
  std::vector<std::uint32_t> every(t.rows);
  for (std::uint32_t i = 0; i < every.size(); ++i) every[i] = i;
  const std::int32_t as_of = 20600;  // 2026-05-25: dates on both sides
  for (const auto& [column, rr] : rules) {
    CAPTURE(static_cast<int>(rr.type));
    const signal s = make_signal(column, rr);
    const std::vector<double> by_entry = score_signal(s, t, as_of);
    std::vector<double> by_row;
    detail::score_signal_rows(s, t, as_of, every, by_row);
    REQUIRE(by_entry.size() == by_row.size());
    std::size_t differ = 0, scored = 0;
    for (std::size_t i = 0; i < by_row.size(); ++i) {
      differ += std::isnan(by_row[i]) ? !std::isnan(by_entry[i]) : !(by_entry[i] == by_row[i]);
      scored += !std::isnan(by_row[i]);
    }
    CHECK(differ == 0);
    CHECK(scored > t.rows / 5);
  }
}
