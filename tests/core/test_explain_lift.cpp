// SPDX-License-Identifier: MIT
// The lift to the next band: said in the signal's own values and direction, only with values its rule
// can produce, and true when written into the file and scored afresh.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>

#include "core/score_fixtures.hpp"
#include "healthscore/cells.hpp"
#include "healthscore/explain.hpp"

using namespace healthscore;
using fixtures::linear;
using fixtures::make_category;
using fixtures::make_signal;
using fixtures::make_table;

namespace {

using cells = std::vector<std::pair<std::string, std::vector<std::string>>>;

/// The cells with each change's text written into `row`.
cells apply(cells data, std::size_t row, const std::vector<lift_change>& changes) {
  for (const lift_change& c : changes)
    for (auto& [name, v] : data)
      if (name == c.column) v[row] = c.any_other ? "Not a key" : c.to_text;
  return data;
}

/// The band and score of `row` scored afresh by a new scorer on the changed cells.
std::pair<int, double> rescore(const cells& data, const model& m, std::size_t row, std::int32_t today = 0) {
  const table t = make_table(data);
  score_options o;
  o.today = today;
  const scorer s(t, m, o);
  return {s.bands()[row], s.scores()[row]};
}

rule steps_rule(std::vector<step> steps) {
  rule r;
  r.type = rule_type::steps;
  r.steps = std::move(steps);
  return r;
}

/// The default three bands with the given cut points.
std::vector<band> bands_at(double red, double yellow) {
  auto b = model::default_bands();
  b[0].max = red;
  b[1].max = yellow;
  return b;
}

}  // namespace

TEST_CASE("more tickets is worse: a steps rule says reduce to the step's boundary or fewer") {
  // Logins is already full, so only tickets can move the account: (20 + 100) / 2 = 60, yellow; green
  // needs 70.5, so tickets must score 41 or more: the step "<= 2" (70).
  const cells data = {{"Open tickets", {"6"}}, {"Logins (30d)", {"60"}}};
  model m;
  m.categories.push_back(
      make_category("support", 1,
                    {make_signal("Open tickets", steps_rule({{0.0, 100, {}}, {2.0, 70, {}}, {std::nullopt, 20, {}}})),
                     make_signal("Logins (30d)", linear(0, 60))}));
  const table t = make_table(data);
  const scorer s(t, m);
  const explanation e = explain(s, 0);
  CHECK(e.band == 1);
  REQUIRE(e.next_band.has_value());
  REQUIRE(e.next_band->changes.size() == 1);
  const lift_change& c = e.next_band->changes[0];
  CHECK(c.column == "Open tickets");
  CHECK(c.direction == lift_direction::reduce);
  CHECK(c.from_raw == "6");
  CHECK(c.from_value == 6);
  CHECK(c.to_value == 2);
  CHECK(c.to_text == "2");
  CHECK(c.bound == lift_bound::or_fewer);
  CHECK(c.from_score == 20);
  CHECK(c.to_score == 70);
  CHECK(e.next_band->to_band == 2);
  CHECK(e.next_band->to_health == 85);
  CHECK(rescore(apply(data, 0, e.next_band->changes), m, 0).first == 2);
}

TEST_CASE("a linear rule says raise to the least whole number that reaches the band, or more") {
  // Yellow needs 50.5: 60 * 0.505 = 30.3 logins, and the column holds whole numbers, so 31.
  const cells data = {{"Logins (30d)", {"12", "40", "7"}}};
  model m;
  m.categories.push_back(make_category("usage", 1, {make_signal("Logins (30d)", linear(0, 60))}));
  const explanation e = explain(scorer(make_table(data), m), 0);
  REQUIRE(e.next_band.has_value());
  REQUIRE(e.next_band->changes.size() == 1);
  const lift_change& c = e.next_band->changes[0];
  CHECK(c.direction == lift_direction::raise);
  CHECK(c.from_raw == "12");
  CHECK(c.to_text == "31");
  CHECK(c.decimals == 0);
  CHECK(c.bound == lift_bound::or_more);
  CHECK(c.to_score == doctest::Approx(100.0 * 31 / 60));
  CHECK(e.next_band->to_band == 1);
  // 30 would not do: 50 rounds to 50, red.
  CHECK(rescore({{"Logins (30d)", {"30", "40", "7"}}}, m, 0).first == 0);
  CHECK(rescore(apply(data, 0, e.next_band->changes), m, 0).first == 1);

  SUBCASE("a column with decimals is answered to a tenth of its range's hundredth") {
    const cells d = {{"Logins (30d)", {"12.5", "40.25", "7"}}};
    const explanation x = explain(scorer(make_table(d), m), 0);
    REQUIRE(x.next_band.has_value());
    CHECK(x.next_band->changes[0].to_text == "30.3");
    CHECK(x.next_band->changes[0].decimals == 1);
  }
  SUBCASE("lower is better: reduce, or fewer") {
    rule r = linear(0, 60);
    r.lower_is_better = true;
    model lm;
    lm.categories.push_back(make_category("usage", 1, {make_signal("Days late", r)}));
    const cells d = {{"Days late", {"48", "3"}}};  // 100 - 80 = 20
    const explanation x = explain(scorer(make_table(d), lm), 0);
    REQUIRE(x.next_band.has_value());
    const lift_change& lc = x.next_band->changes[0];
    CHECK(lc.direction == lift_direction::reduce);
    CHECK(lc.to_text == "29");  // 100 - 100 * 29 / 60 = 51.7; 30 gives 50
    CHECK(lc.bound == lift_bound::or_fewer);
  }
}

TEST_CASE("a map rule says which category to switch to: the least change that lifts") {
  rule r;
  r.type = rule_type::map;
  r.map = {{"Basic", 20}, {"Pro", 60}, {"Enterprise", 90}};
  model m;
  m.categories.push_back(make_category("plan", 1, {make_signal("Plan", r)}));
  const cells data = {{"Plan", {"basic "}}};
  const explanation e = explain(scorer(make_table(data), m), 0);
  REQUIRE(e.next_band.has_value());
  const lift_change& c = e.next_band->changes[0];
  CHECK(c.direction == lift_direction::set);
  CHECK(c.kind == raw_kind::text);
  CHECK(c.from_raw == "basic");
  CHECK(c.to_text == "Pro");
  CHECK(std::isnan(c.to_value));
  CHECK(c.bound == lift_bound::exactly);
  CHECK(e.next_band->to_band == 1);
}

TEST_CASE("a boolean rule is answered in the column's own words") {
  rule r;
  r.type = rule_type::boolean;
  model m;
  m.categories.push_back(make_category("c", 1, {make_signal("Onboarded", r)}));
  const cells data = {{"Onboarded", {"No", "Sí"}}};
  const explanation e = explain(scorer(make_table(data), m), 0);
  REQUIRE(e.next_band.has_value());
  CHECK(e.next_band->changes[0].to_text == "Sí");
  CHECK(e.next_band->changes[0].direction == lift_direction::set);
}

TEST_CASE("recency says a date, log and target invert their curves, percentile counts its peers") {
  SUBCASE("recency: a later date, or later") {
    rule r;
    r.type = rule_type::recency;
    r.full_days = 0;
    r.zero_days = 100;
    model m;
    m.as_of = days_from_civil(2026, 11, 25);
    m.categories.push_back(make_category("c", 1, {make_signal("Last login", r)}));
    const cells data = {{"Last login", {"2026-08-17"}}};  // 100 days: 0
    const explanation e = explain(scorer(make_table(data), m), 0);
    REQUIRE(e.next_band.has_value());
    const lift_change& c = e.next_band->changes[0];
    CHECK(c.kind == raw_kind::date);
    CHECK(c.direction == lift_direction::raise);
    CHECK(c.to_text == "2026-10-07");  // 49 days: 51 points; 50 days would be 50, red
    CHECK(c.bound == lift_bound::or_more);
    CHECK(rescore(apply(data, 0, e.next_band->changes), m, 0).first == 1);
  }
  SUBCASE("log") {
    rule r;
    r.type = rule_type::log;
    r.min = 0;
    r.max = 999;
    model m;
    m.categories.push_back(make_category("c", 1, {make_signal("x", r)}));
    const cells data = {{"x", {"3", "10"}}};
    const explanation e = explain(scorer(make_table(data), m), 0);
    REQUIRE(e.next_band.has_value());
    // ln(1 + x) / ln(1000) >= 0.505: x >= 31.7, whole numbers: 32 (31 gives 49.7).
    CHECK(e.next_band->changes[0].to_text == "32");
    CHECK(rescore(apply(data, 0, e.next_band->changes), m, 0).first == 1);
  }
  SUBCASE("target from a column, lower is better") {
    rule r;
    r.type = rule_type::target;
    r.target_column = "goal";
    r.lower_is_better = true;
    model m;
    m.categories.push_back(make_category("c", 1, {make_signal("x", r)}));
    const cells data = {{"x", {"30"}}, {"goal", {"40"}}};  // 100 - 75 = 25
    const explanation e = explain(scorer(make_table(data), m), 0);
    REQUIRE(e.next_band.has_value());
    CHECK(e.next_band->changes[0].direction == lift_direction::reduce);
    CHECK(e.next_band->changes[0].to_text == "19");  // 100 - 47.5 = 52.5; 20 gives 50
    CHECK(rescore(apply(data, 0, e.next_band->changes), m, 0).first == 1);
  }
  SUBCASE("percentile: the account's own value moves among its peers") {
    rule r;
    r.type = rule_type::percentile;
    model m;
    m.categories.push_back(make_category("c", 1, {make_signal("x", r)}));
    const cells data = {{"x", {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}}};
    // Row 0 (1) is 5th percentile; past five peers of nine is (5 + 0.5) / 10 = 55: a value in 6..7.
    const explanation e = explain(scorer(make_table(data), m), 0);
    REQUIRE(e.next_band.has_value());
    CHECK(e.next_band->changes[0].to_text == "7");  // 6 ties a peer: (4 + 1) / 10 = 50, red
    CHECK(rescore(apply(data, 0, e.next_band->changes), m, 0).first == 1);
  }
}

TEST_CASE("when no single signal can, the smallest two-signal change, each checked") {
  // Three signals at 10: one at 100 gives 40, red; two together can reach yellow (50.5).
  const cells data = {{"a", {"10"}}, {"b", {"10"}}, {"c", {"10"}}};
  model m;
  m.categories.push_back(
      make_category("u", 1, {make_signal("a", linear()), make_signal("b", linear()), make_signal("c", linear())}));
  const explanation e = explain(scorer(make_table(data), m), 0);
  CHECK(e.band == 0);
  REQUIRE(e.next_band.has_value());
  REQUIRE(e.next_band->changes.size() == 2);
  double total = 0;
  for (const lift_change& c : e.next_band->changes) {
    CHECK(c.direction == lift_direction::raise);
    CHECK(rescore(apply(data, 0, {c}), m, 0).first == 0);  // neither alone
    total += c.to_score - c.from_score;
  }
  // Together they add 121.5 points of signal score at least: (10 + 10 + 10 + d) / 3 >= 50.5.
  CHECK(total == doctest::Approx(122));
  CHECK(rescore(apply(data, 0, e.next_band->changes), m, 0).first == 1);
  CHECK(e.next_band->to_band == 1);
}

TEST_CASE("no lift for the top band, an unscored account, or one that not even two signals can lift") {
  const cells data = {{"a", {"95", "", "0"}}, {"b", {"90", "", "0"}}, {"c", {"99", "", "0"}}, {"d", {"99", "", "0"}}};
  model m;
  m.categories.push_back(make_category("u", 1,
                                       {make_signal("a", linear()), make_signal("b", linear()),
                                        make_signal("c", linear()), make_signal("d", linear())}));
  const table t = make_table(data);
  const scorer s(t, m);
  CHECK(s.bands()[0] == 2);
  CHECK_FALSE(explain(s, 0).next_band.has_value());
  CHECK(s.bands()[1] == -1);
  CHECK_FALSE(explain(s, 1).next_band.has_value());
  // Row 2: two signals at 100 give 50, still red.
  CHECK(s.bands()[2] == 0);
  CHECK_FALSE(explain(s, 2).next_band.has_value());
  CHECK_THROWS_AS(explain(s, 3), std::out_of_range);
}

TEST_CASE("an account in a segment is lifted under its segment's weights, peers and cut points") {
  // Group "pro": usage weight 3, red <= 60, yellow <= 70. A has omitted bounds: the segment's range.
  const cells data = {{"Tier", {"pro", "pro", "pro", "basic", "basic"}},
                      {"A", {"10", "20", "40", "0", "100"}},
                      {"B", {"50", "50", "50", "50", "50"}}};
  rule free;  // linear, bounds from the column
  model m;
  m.categories.push_back(make_category("usage", 1, {make_signal("A", free)}));
  m.categories.push_back(make_category("support", 1, {make_signal("B", linear())}));
  segments sg;
  sg.column = "Tier";
  segment_group g;
  g.id = g.label = "pro";
  g.values = {"pro"};
  g.categories.push_back({"usage", 3.0, {}, json::object()});
  g.bands = {{"red", 60, std::nullopt, json::object()},
             {"yellow", 70, std::nullopt, json::object()},
             {"green", 100, std::nullopt, json::object()}};
  sg.groups.push_back(g);
  m.segments = sg;
  const table t = make_table(data);
  const scorer sc(t, m);
  // Row 1: A 20 on pro's range 10..40 scores 33.3; (3 * 33.3 + 50) / 4 = 37.5, red. Out of red needs
  // 60.5: usage 64, A 29.2, so 30 (62.5); 29 gives 60, still red.
  const explanation e = explain(sc, 1);
  CHECK(e.band == 0);
  REQUIRE(e.next_band.has_value());
  REQUIRE(e.next_band->changes.size() == 1);
  CHECK(e.next_band->changes[0].column == "A");
  CHECK(e.next_band->changes[0].to_text == "30");
  CHECK(e.next_band->to_band == 1);
  CHECK(rescore(apply(data, 1, e.next_band->changes), m, 1).first == 1);
  // Row 0 is pro's smallest A: raising it moves the range's low end with it (up to the next peer,
  // 20), so usage 64 needs 20 + 0.64 * 20 = 32.8: 33. A closed form on today's range says 29.2.
  const explanation low = explain(sc, 0);
  REQUIRE(low.next_band.has_value());
  CHECK(low.next_band->changes[0].to_text == "33");
  CHECK(rescore(apply(data, 0, low.next_band->changes), m, 0).first >= 1);
}

TEST_CASE("a column read by two signals is rescored for both, and no bound is claimed") {
  rule worse = linear(0, 100);
  worse.lower_is_better = true;
  model m;
  m.categories.push_back(make_category("u", 1, {make_signal("x", linear(0, 100), 3), make_signal("x", worse, 1)}));
  const cells data = {{"x", {"20"}}};  // (3 * 20 + 80) / 4 = 35
  const explanation e = explain(scorer(make_table(data), m), 0);
  REQUIRE(e.next_band.has_value());
  // (3x + 100 - x) / 4 >= 50.5: x >= 51.
  CHECK(e.next_band->changes[0].to_text == "51");
  CHECK(e.next_band->changes[0].bound == lift_bound::exactly);
  CHECK(rescore(apply(data, 0, e.next_band->changes), m, 0).first == 1);
}

TEST_CASE("a missing value is filled: set, with the policy's score as the starting point") {
  const cells data = {{"a", {"", "5"}}, {"b", {"40", "5"}}};
  model m;
  m.missing = missing_policy::zero;
  m.categories.push_back(make_category("u", 1, {make_signal("a", linear()), make_signal("b", linear())}));
  const explanation e = explain(scorer(make_table(data), m), 0);  // (0 + 40) / 2 = 20
  REQUIRE(e.next_band.has_value());
  const lift_change& c = e.next_band->changes[0];
  CHECK(c.direction == lift_direction::set);
  CHECK(c.from_raw.empty());
  CHECK(c.from_score == 0);
  CHECK(c.to_text == "61");  // (61 + 40) / 2 = 50.5
  CHECK(rescore(apply(data, 0, e.next_band->changes), m, 0).first == 1);
}

// ---- property: random models and accounts ---------------------------------------------------------

namespace {

/// One random signal column and the rule that reads it.
struct random_signal {
  std::string column;
  rule r;
  int decimals = 0;  // of the numbers written
  double lo = 0, hi = 20;
};

constexpr std::int32_t as_of = 20000;  // days since 1970, set in every random model

std::string number_text(double x, int d) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", d, x);
  return buf;
}

random_signal make_random_signal(std::mt19937& rng, int index) {
  random_signal rs;
  rs.column = "s" + std::to_string(index);
  rule& r = rs.r;
  rs.decimals = rng() % 5 == 0 ? 1 : 0;
  switch (rng() % 9) {
    case 0:
    case 1: r = linear(static_cast<double>(rng() % 5), 10 + static_cast<double>(rng() % 11)); break;
    case 2: r.type = rule_type::linear; break;  // bounds from the peers
    case 3:
      r.type = rule_type::log;
      r.min = 0;
      if (rng() % 2) r.max = 20;
      break;
    case 4: {
      r.type = rule_type::steps;
      const double a = static_cast<double>(rng() % 6) + (rng() % 2 ? 0.5 : 0);
      r.steps = {{a, static_cast<double>(rng() % 101), {}},
                 {a + 1 + static_cast<double>(rng() % 8), static_cast<double>(rng() % 101), {}},
                 {std::nullopt, static_cast<double>(rng() % 101), {}}};
      break;
    }
    case 5:
      r.type = rule_type::map;
      r.map = {{"Basic", static_cast<double>(rng() % 101)},
               {"Pro", static_cast<double>(rng() % 101)},
               {"Max", static_cast<double>(rng() % 101)}};
      if (rng() % 2) r.map_default = static_cast<double>(rng() % 101);
      break;
    case 6:
      r.type = rule_type::boolean;
      r.true_score = static_cast<double>(rng() % 101);
      r.false_score = static_cast<double>(rng() % 101);
      break;
    case 7:
      r.type = rule_type::recency;
      r.full_days = static_cast<double>(rng() % 10);
      r.zero_days = r.full_days + 5 + static_cast<double>(rng() % 40);
      break;
    default:
      if (rng() % 2) {
        r.type = rule_type::percentile;
      } else {
        r.type = rule_type::target;
        r.target = 5 + static_cast<double>(rng() % 15);
      }
      break;
  }
  if (rng() % 4 == 0) r.lower_is_better = true;
  return rs;
}

std::string random_cell(std::mt19937& rng, const random_signal& rs) {
  if (rng() % 9 == 0) return "";
  switch (rs.r.type) {
    case rule_type::map: {
      const char* words[] = {"Basic", "pro", "MAX", "Free"};
      return words[rng() % 4];
    }
    case rule_type::boolean: return rng() % 2 ? "yes" : "no";
    case rule_type::recency: return format_date(as_of - static_cast<std::int32_t>(rng() % 60) + 2);
    default: {
      const double p = std::pow(10.0, rs.decimals);
      return number_text(static_cast<double>(rng() % static_cast<unsigned>(20 * p + 1)) / p, rs.decimals);
    }
  }
}

/// Every value a single cell of this signal could be given that the brute force tries: a fine grid
/// (the written decimals) past every breakpoint of the rule, each map key and strangers (with a
/// default), both words. Values the rule cannot read are left out: making a signal missing is not a
/// lift.
std::vector<std::string> producible(const random_signal& rs) {
  std::vector<std::string> out;
  switch (rs.r.type) {
    case rule_type::map:
      if (rs.r.map_default) return {"Basic", "Pro", "Max", "Free", "Other"};
      return {"Basic", "Pro", "Max"};
    case rule_type::boolean: return {"yes", "no"};
    case rule_type::recency:
      for (int d = -2; d <= 60; ++d) out.push_back(format_date(as_of - d));
      return out;
    default: {
      const double p = std::pow(10.0, rs.decimals);
      const int first = rs.r.type == rule_type::log ? 0 : static_cast<int>(-p);
      for (int k = first; k <= static_cast<int>(21 * p); ++k) out.push_back(number_text(k / p, rs.decimals));
      return out;
    }
  }
}

struct random_case {
  cells data;
  model m;
  std::vector<random_signal> sigs;
};

random_case make_case(std::mt19937& rng, int rows) {
  random_case rc;
  model& m = rc.m;
  m.as_of = as_of;
  m.missing = static_cast<missing_policy>(rng() % 3);
  // Cut points anywhere, whole or not (red <= 45.5 included).
  double red = 20 + static_cast<double>(rng() % 50) + (rng() % 2 ? 0.5 : 0);
  if (rng() % 5 == 0) red = 45.5;
  const double yellow = red + 1 + static_cast<double>(rng() % static_cast<unsigned>(std::max(1.0, 98 - red)));
  m.bands = bands_at(red, std::min(99.0, yellow));
  const int nc = 1 + static_cast<int>(rng() % 3);
  int index = 0;
  for (int c = 0; c < nc; ++c) {
    std::vector<signal> sigs;
    const int ns = 1 + static_cast<int>(rng() % 3);
    for (int s = 0; s < ns; ++s) {
      random_signal rs = make_random_signal(rng, index++);
      sigs.push_back(make_signal(rs.column, rs.r, 0.5 + static_cast<double>(rng() % 4)));
      rc.sigs.push_back(rs);
    }
    m.categories.push_back(make_category("c" + std::to_string(c), 1 + static_cast<double>(rng() % 5), sigs));
  }
  for (const random_signal& rs : rc.sigs) {
    std::vector<std::string> v;
    for (int r = 0; r < rows; ++r) v.push_back(random_cell(rng, rs));
    rc.data.emplace_back(rs.column, v);
  }
  // A third of the models have a segment whose group changes a weight, a rule and the cut points.
  if (rng() % 3 == 0) {
    std::vector<std::string> tier;
    for (int r = 0; r < rows; ++r) tier.push_back(rng() % 2 ? "pro" : "basic");
    rc.data.emplace_back("Tier", tier);
    segments sg;
    sg.column = "Tier";
    segment_group g;
    g.id = g.label = "pro";
    g.values = {"pro"};
    category_override co;
    co.id = "c0";
    co.weight = 1 + static_cast<double>(rng() % 7);
    signal_override so;
    so.key = m.categories[0].signals[0].column;
    so.weight = 0.5 + static_cast<double>(rng() % 5);
    if (rc.sigs[0].r.type != rule_type::map && rc.sigs[0].r.type != rule_type::boolean &&
        rc.sigs[0].r.type != rule_type::recency && rng() % 2)
      so.rule = linear(0, 5 + static_cast<double>(rng() % 20));
    co.signals.push_back(so);
    g.categories.push_back(co);
    const double pr = 10 + static_cast<double>(rng() % 60) + 0.5;
    g.bands = {{"red", pr, std::nullopt, json::object()},
               {"yellow", std::min(99.5, pr + 5 + static_cast<double>(rng() % 20)), std::nullopt, json::object()},
               {"green", 100, std::nullopt, json::object()}};
    sg.groups.push_back(g);
    m.segments = sg;
  }
  return rc;
}

/// The next text one grain further than the change says ("or more": up; "or fewer": down).
std::string further(const lift_change& c) {
  if (c.kind == raw_kind::date)
    return format_date(static_cast<std::int32_t>(c.to_value) + (c.bound == lift_bound::or_more ? 3 : -3));
  const double grain = std::pow(10.0, -c.decimals);
  return number_text(c.to_value + (c.bound == lift_bound::or_more ? 2 : -2) * grain, c.decimals);
}

}  // namespace

TEST_CASE("property: a suggested lift lifts when written into the file, and 'no single signal' is true") {
  const auto start = std::chrono::steady_clock::now();
  std::mt19937 rng(20261125);
  double explain_seconds = 0;
  int accounts = 0, singles = 0, pairs = 0, none = 0, bounds = 0, brute = 0;
  while (accounts < 2000) {
    const int rows = 4 + static_cast<int>(rng() % 6);
    const random_case rc = make_case(rng, rows);
    const table t = make_table(rc.data);
    const scorer s(t, rc.m);
    for (std::size_t r = 0; r < s.rows(); ++r, ++accounts) {
      const auto t0 = std::chrono::steady_clock::now();
      const explanation e = explain(s, r);
      explain_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      const model& rm = s.row_model(r);
      if (e.band < 0 || static_cast<std::size_t>(e.band) + 1 >= rm.bands.size()) {
        CHECK_FALSE(e.next_band.has_value());
        continue;
      }
      if (e.next_band) {
        const improvement& imp = *e.next_band;
        REQUIRE((imp.changes.size() == 1 || imp.changes.size() == 2));
        (imp.changes.size() == 1 ? singles : pairs)++;
        const cells changed = apply(rc.data, r, imp.changes);
        const auto [band, score] = rescore(changed, rc.m, r);
        INFO("account ", r, " of ", save_model(rc.m), " to ", imp.changes[0].column, " = ", imp.changes[0].to_text);
        CHECK(band >= e.band + 1);
        CHECK(band == imp.to_band);
        CHECK(score == doctest::Approx(imp.to_health).epsilon(1e-12));
        for (const lift_change& c : imp.changes) {
          if (!std::isnan(c.from_score)) CHECK(c.to_score >= c.from_score);
          if (c.bound == lift_bound::exactly) continue;
          const rule_type type = s.row_model(r).categories[c.category].signals[c.signal].rule.type;
          if (type == rule_type::log && c.to_value - 2 * std::pow(10.0, -c.decimals) < 0 &&
              c.bound == lift_bound::or_fewer)
            continue;
          // One more value the same way still lifts.
          ++bounds;
          std::vector<lift_change> more = imp.changes;
          for (lift_change& x : more)
            if (x.column == c.column) x.to_text = further(c);
          CHECK(rescore(apply(rc.data, r, more), rc.m, r).first >= e.band + 1);
        }
      } else {
        ++none;
      }
      if (e.next_band && e.next_band->changes.size() == 1) continue;
      // The engine says no single signal can: every value the brute force can write agrees. Only
      // the changed column is built again; the scorer is a fresh one each time.
      for (std::size_t k = 0; k < rc.sigs.size(); ++k) {
        const random_signal& rs = rc.sigs[k];
        std::vector<std::string> texts = rc.data[k].second;
        for (const std::string& v : producible(rs)) {
          texts[r] = v;
          table one = t;
          one.columns[k] = make_table({{rs.column, texts}}).columns[0];
          ++brute;
          const int b = scorer(one, rc.m).bands()[r];
          INFO("account ", r, " with ", rs.column, " = ", v, " of ", save_model(rc.m));
          CHECK(b <= e.band);
        }
      }
    }
  }
  MESSAGE("lifts: ", singles, " single, ", pairs, " pairs, ", none, " none; bounds checked ", bounds,
          ", brute-force rescorings ", brute);
  CHECK(singles > 300);
  CHECK(pairs > 10);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  MESSAGE("seconds: ", seconds, " of which explain ", explain_seconds);
}
