// SPDX-License-Identifier: MIT
// Scoring by hand on a small table: the three missing policies, bands by rounded score, unscored
// accounts, weight 0, the summary, and updates that must equal a fresh scorer bit for bit.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <algorithm>
#include <bit>
#include <limits>
#include <random>

#include "core/score_fixtures.hpp"
#include "healthscore/cells.hpp"
#include "healthscore/score.hpp"
#include "test_util.hpp"

using namespace healthscore;
using fixtures::linear;
using fixtures::make_category;
using fixtures::make_signal;
using fixtures::make_table;

namespace {

// Linear 0..100 rules, so each signal score is the cell itself.
const table& hand_table() {
  static const table t = make_table({
      {"A", {"80", "", "", "", "100"}},
      {"B", {"20", "40", "", "", "100"}},
      {"C", {"50", "90", "30", "", ""}},
  });
  return t;
}

// usage (weight 2): A (w 2), B (w 1); support (weight 1): C.
model hand_model(missing_policy p) {
  model m;
  m.missing = p;
  m.categories.push_back(make_category("usage", 2, {make_signal("A", linear(), 2), make_signal("B", linear(), 1)}));
  m.categories.push_back(make_category("support", 1, {make_signal("C", linear())}));
  return m;
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

/// Everything a scorer exposes, compared bit for bit.
void check_same(const scorer& a, const scorer& b) {
  REQUIRE(a.current_model().categories.size() == b.current_model().categories.size());
  CHECK(same_bits(a.scores(), b.scores()));
  CHECK(a.bands() == b.bands());
  for (std::size_t c = 0; c < a.current_model().categories.size(); ++c) {
    CHECK(same_bits(a.category_scores(c), b.category_scores(c)));
    for (std::size_t s = 0; s < a.current_model().categories[c].signals.size(); ++s)
      CHECK(same_bits(a.signal_scores(c, s), b.signal_scores(c, s)));
  }
  CHECK(a.totals().band_counts == b.totals().band_counts);
  CHECK(a.totals().unscored == b.totals().unscored);
  CHECK(a.totals().histogram == b.totals().histogram);
  CHECK(a.totals().missing == b.totals().missing);
  CHECK(a.totals().absent_columns == b.totals().absent_columns);
  CHECK(a.as_of() == b.as_of());
}

}  // namespace

TEST_CASE("renormalize leaves missing signals and categories out of both sums") {
  const scorer s(hand_table(), hand_model(missing_policy::renormalize));
  const auto& h = s.scores();
  // r0: usage (2*80 + 20)/3 = 60, support 50 -> (2*60 + 50)/3 = 56.666...
  CHECK(h[0] == doctest::Approx(170.0 / 3));
  CHECK(s.category_scores(0)[0] == doctest::Approx(60));
  // r1: A missing -> usage = B = 40; support 90 -> (80 + 90)/3
  CHECK(s.category_scores(0)[1] == doctest::Approx(40));
  CHECK(h[1] == doctest::Approx(170.0 / 3));
  // r2: usage missing -> health = support = 30
  CHECK(std::isnan(s.category_scores(0)[2]));
  CHECK(h[2] == doctest::Approx(30));
  // r3: nothing -> unscored
  CHECK(std::isnan(h[3]));
  CHECK(s.bands()[3] == -1);
  // r4: support missing -> health = usage = 100
  CHECK(h[4] == doctest::Approx(100));
  CHECK(s.bands() == std::vector<std::int8_t>{1, 1, 0, -1, 2});
  CHECK(s.totals().band_counts == std::vector<std::size_t>{1, 2, 1});
  CHECK(s.totals().unscored == 1);
}

TEST_CASE("zero counts a missing signal as 0 and no category is missing") {
  const scorer s(hand_table(), hand_model(missing_policy::zero));
  const auto& h = s.scores();
  CHECK(h[0] == doctest::Approx(170.0 / 3));
  // r1: usage (0 + 40)/3 = 13.33; health (2*13.33 + 90)/3 = 38.888...
  CHECK(s.category_scores(0)[1] == doctest::Approx(40.0 / 3));
  CHECK(h[1] == doctest::Approx((80.0 / 3 + 90) / 3));
  // r2: usage 0, support 30 -> 10
  CHECK(h[2] == doctest::Approx(10));
  // r3: everything 0 -> scored 0, red
  CHECK(h[3] == 0);
  CHECK(s.bands()[3] == 0);
  // r4: usage 100, support 0 -> 66.67, yellow
  CHECK(h[4] == doctest::Approx(200.0 / 3));
  CHECK(s.bands()[4] == 1);
  CHECK(s.totals().unscored == 0);
}

TEST_CASE("neutral counts a missing signal as 50") {
  const scorer s(hand_table(), hand_model(missing_policy::neutral));
  const auto& h = s.scores();
  // r1: usage (2*50 + 40)/3 = 46.67; health (93.33 + 90)/3 = 61.11
  CHECK(h[1] == doctest::Approx((280.0 / 3 + 90) / 3));
  // r2: usage 50, support 30 -> 43.33
  CHECK(h[2] == doctest::Approx(130.0 / 3));
  // r3: all 50 -> 50, red (r <= 50)
  CHECK(h[3] == 50);
  CHECK(s.bands()[3] == 0);
  // r4: usage 100, support 50 -> 83.33
  CHECK(h[4] == doctest::Approx(250.0 / 3));
}

TEST_CASE("bands go by the score rounded half away from zero") {
  const table t = make_table({{"x", {"50.5", "50.4999", "50", "70.5", "70.4999", "0", "100", "49.5", "0.5"}}});
  model m;
  m.categories.push_back(make_category("c", 1, {make_signal("x", linear())}));
  const scorer s(t, m);
  CHECK(s.bands() == std::vector<std::int8_t>{1, 0, 0, 2, 1, 0, 2, 0, 0});
  CHECK(round_half_away(50.5) == 51);
  CHECK(round_half_away(50.4999) == 50);
  CHECK(round_half_away(-2.5) == -3);
  CHECK(round_half_away(0.49999999999999994) == 0);
  const auto bands = model::default_bands();
  CHECK(band_of(50.5, bands) == 1);
  CHECK(band_of(50.4999, bands) == 0);
  CHECK(band_of(70.5, bands) == 2);
  CHECK(band_of(std::nan(""), bands) == -1);
}

TEST_CASE("bands with fractional or unusual maxima follow the first band whose max is at least the rounded score") {
  const table t = make_table({{"x", {"10", "10.6", "33", "34", "99.4"}}});
  model m;
  m.categories.push_back(make_category("c", 1, {make_signal("x", linear())}));
  m.bands = {{"low", "Low", 10.5, "", "", json::object()},
             {"mid", "Mid", 33.2, "", "", json::object()},
             {"top", "Top", 100, "", "", json::object()}};
  const scorer s(t, m);
  // 10 -> low; 10.6 rounds to 11 > 10.5 -> mid; 33 -> mid; 34 -> top; 99.4 -> 99 top
  CHECK(s.bands() == std::vector<std::int8_t>{0, 1, 1, 2, 2});
  CHECK(s.totals().band_counts == std::vector<std::size_t>{1, 2, 2});
}

TEST_CASE("a weight of 0 switches a signal or a category off entirely") {
  SUBCASE("a switched-off signal is not counted even as a zero") {
    model m = hand_model(missing_policy::zero);
    m.categories[0].signals[0].weight = 0;  // A off
    const scorer s(hand_table(), m);
    CHECK(s.category_scores(0)[1] == doctest::Approx(40));  // not (0 + 40)/2
  }
  SUBCASE("a category whose signals are all off is missing under zero and neutral too") {
    for (const auto p : {missing_policy::zero, missing_policy::neutral, missing_policy::renormalize}) {
      model m = hand_model(p);
      m.categories[1].signals[0].weight = 0;
      const scorer s(hand_table(), m);
      CHECK(std::isnan(s.category_scores(1)[0]));
      CHECK(s.scores()[0] == doctest::Approx(60));  // usage alone
    }
  }
  SUBCASE("a category of weight 0 takes no part") {
    model m = hand_model(missing_policy::renormalize);
    m.categories[1].weight = 0;
    const scorer s(hand_table(), m);
    CHECK(s.scores()[0] == doctest::Approx(60));
    CHECK(std::isnan(s.scores()[2]));  // only support was present, and it is off
    CHECK(s.category_scores(1)[0] == doctest::Approx(50));  // still computed for the sliders
  }
  SUBCASE("all weights 0 leaves every account unscored") {
    model m = hand_model(missing_policy::neutral);
    m.categories[0].weight = 0;
    m.categories[1].weight = 0;
    const scorer s(hand_table(), m);
    for (std::size_t r = 0; r < s.rows(); ++r) {
      CHECK(std::isnan(s.scores()[r]));
      CHECK(s.bands()[r] == -1);
    }
    CHECK(s.totals().unscored == 5);
  }
}

TEST_CASE("a model with no categories leaves every account unscored") {
  model m;
  const scorer s(hand_table(), m);
  CHECK(s.totals().unscored == 5);
  CHECK(s.totals().band_counts == std::vector<std::size_t>{0, 0, 0});
}

TEST_CASE("the summary counts missing cells per signal column once and lists absent columns") {
  model m = hand_model(missing_policy::renormalize);
  m.categories[1].signals.push_back(make_signal(" A ", linear(10, 20)));  // same column again, trimmed
  m.categories[1].signals.push_back(make_signal("Gone", linear()));
  const scorer s(hand_table(), m);
  const auto& missing = s.totals().missing;
  REQUIRE(missing.size() == 4);
  CHECK(missing[0] == std::make_pair(std::string("A"), std::size_t{3}));
  CHECK(missing[1] == std::make_pair(std::string("B"), std::size_t{2}));
  CHECK(missing[2] == std::make_pair(std::string("C"), std::size_t{2}));
  CHECK(missing[3] == std::make_pair(std::string("Gone"), std::size_t{5}));
  CHECK(s.totals().absent_columns == std::vector<std::string>{"Gone"});
}

TEST_CASE("an absent column is refused, naming the signal and the columns, unless allowed") {
  model m = hand_model(missing_policy::renormalize);
  m.categories[0].signals[1].column = "Nope";
  score_options strict;
  strict.allow_missing_columns = false;
  CHECK_THROWS_WITH_AS(scorer(hand_table(), m, strict),
                       "column \"Nope\" named by categories[0].signals[1] is not in test.csv; the columns are: "
                       "\"A\", \"B\", \"C\"",
                       input_error);
  const scorer lenient(hand_table(), m);
  CHECK(lenient.totals().absent_columns == std::vector<std::string>{"Nope"});
  CHECK(lenient.category_scores(0)[0] == doctest::Approx(80));

  SUBCASE("a target column is checked too") {
    model t = hand_model(missing_policy::renormalize);
    t.categories[1].signals[0].rule.type = rule_type::target;
    t.categories[1].signals[0].rule.target_column = "Goal";
    CHECK_THROWS_WITH_AS(scorer(hand_table(), t, strict),
                         "column \"Goal\" named by categories[1].signals[0].rule.target_column is not in test.csv; "
                         "the columns are: \"A\", \"B\", \"C\"",
                         input_error);
  }
  SUBCASE("a switched-off signal may name an absent column") {
    m.categories[0].signals[1].weight = 0;
    CHECK_NOTHROW(scorer(hand_table(), m, strict));
  }
  SUBCASE("update refuses it too and keeps the old state") {
    scorer s(hand_table(), hand_model(missing_policy::renormalize), strict);
    const auto before = s.scores();
    CHECK_THROWS_AS(s.update(m), input_error);
    CHECK(same_bits(s.scores(), before));
    CHECK(s.current_model().categories[0].signals[1].column == "B");
  }
}

TEST_CASE("recency counts to the model's as_of, else to the options' today") {
  const table t = make_table({{"d", {"2026-11-20", "2026-11-01"}}});
  model m;
  rule r;
  r.type = rule_type::recency;
  r.full_days = 0;
  r.zero_days = 30;
  m.categories.push_back(make_category("c", 1, {make_signal("d", r)}));
  score_options o;
  o.today = days_from_civil(2026, 11, 30);
  scorer s(t, m, o);
  CHECK(s.as_of() == o.today);
  CHECK(s.scores()[0] == doctest::Approx(100.0 * 20 / 30));  // 10 days
  m.as_of = days_from_civil(2026, 11, 25);
  s.update(m);
  CHECK(s.as_of() == *m.as_of);
  CHECK(s.scores()[0] == doctest::Approx(100.0 * 25 / 30));  // 5 days
  check_same(s, scorer(t, m, o));
  m.as_of.reset();
  s.update(m);
  CHECK(s.scores()[0] == doctest::Approx(100.0 * 20 / 30));
}

TEST_CASE("an invalid model is refused by the constructor and by update, which keeps the state") {
  model bad = hand_model(missing_policy::renormalize);
  bad.categories[1].weight = -1;
  CHECK_THROWS_WITH_AS(scorer(hand_table(), bad), "categories[1].weight must be a non-negative number", model_error);
  scorer s(hand_table(), hand_model(missing_policy::renormalize));
  const auto before = s.scores();
  CHECK_THROWS_AS(s.update(bad), model_error);
  CHECK(same_bits(s.scores(), before));
  CHECK(s.current_model().categories[1].weight == 1);
  CHECK_THROWS_AS(s.set_category_weight(0, -3), model_error);
  CHECK_THROWS_AS(s.set_category_weight(0, std::nan("")), model_error);
  CHECK_THROWS_AS(s.set_signal_weight(0, 0, INFINITY), model_error);
  CHECK_THROWS_AS(s.set_category_weight(9, 1), std::out_of_range);
  CHECK(same_bits(s.scores(), before));
}

TEST_CASE("the weight sliders give what a fresh scorer gives") {
  scorer s(hand_table(), hand_model(missing_policy::renormalize));
  s.set_category_weight(1, 3);
  model m = hand_model(missing_policy::renormalize);
  m.categories[1].weight = 3;
  check_same(s, scorer(hand_table(), m));
  // r0: (2*60 + 3*50)/5 = 54
  CHECK(s.scores()[0] == doctest::Approx(54));
  s.set_signal_weight(0, 1, 0);
  m.categories[0].signals[1].weight = 0;
  check_same(s, scorer(hand_table(), m));
  CHECK(s.category_scores(0)[0] == 80);
}

TEST_CASE("after any sequence of updates the scorer equals a fresh one on the final model, bit for bit") {
  // Random numbers with blanks and text, random edits of every kind, seeded.
  std::mt19937 rng(20261125);
  std::vector<std::pair<std::string, std::vector<std::string>>> cols;
  for (const char* name : {"a", "b", "c", "d", "e"}) {
    std::vector<std::string> cells;
    for (int r = 0; r < 300; ++r) {
      const int k = static_cast<int>(rng() % 20);
      cells.push_back(k == 0 ? "" : k == 1 ? "n/a" : std::to_string(static_cast<int>(rng() % 1000) - 100));
    }
    cols.emplace_back(name, cells);
  }
  const table t = make_table(cols);
  auto random_rule = [&] {
    rule r;
    switch (rng() % 5) {
      case 0: r = linear(static_cast<double>(rng() % 100), 100.0 + static_cast<double>(rng() % 900)); break;
      case 1: r.type = rule_type::log; break;
      case 2: r.type = rule_type::percentile; break;
      case 3:
        r.type = rule_type::steps;
        r.steps = {{100.0, 20}, {500.0, 60}, {std::nullopt, 95}};
        break;
      default:
        r.type = rule_type::target;
        r.target = 1 + static_cast<double>(rng() % 800);
        break;
    }
    r.lower_is_better = rng() % 4 == 0;
    return r;
  };
  auto random_signal = [&] {
    const char* names[] = {"a", "b", "c", "d", "e", "absent"};
    return make_signal(names[rng() % 6], random_rule(), static_cast<double>(rng() % 4));
  };
  model m;
  for (int c = 0; c < 3; ++c) {
    std::vector<signal> sigs;
    for (int s = 0; s < 3; ++s) sigs.push_back(random_signal());
    m.categories.push_back(make_category("c" + std::to_string(c), 1 + static_cast<double>(rng() % 5), sigs));
  }
  scorer s(t, m);
  int next_id = 100;
  for (int step = 0; step < 300; ++step) {
    const std::size_t nc = m.categories.size();
    const std::size_t c = nc ? rng() % nc : 0;
    switch (rng() % 11) {
      case 0:
        if (nc) m.categories[c].weight = static_cast<double>(rng() % 6);
        break;
      case 1:
        if (nc && !m.categories[c].signals.empty())
          m.categories[c].signals[rng() % m.categories[c].signals.size()].weight = static_cast<double>(rng() % 4) * 0.5;
        break;
      case 2:
        if (nc && !m.categories[c].signals.empty())
          m.categories[c].signals[rng() % m.categories[c].signals.size()].rule = random_rule();
        break;
      case 3:
        if (nc) m.categories[c].signals.push_back(random_signal());
        break;
      case 4:
        if (nc && !m.categories[c].signals.empty())
          m.categories[c].signals.erase(m.categories[c].signals.begin() +
                                        static_cast<std::ptrdiff_t>(rng() % m.categories[c].signals.size()));
        break;
      case 5: {
        std::vector<signal> sigs{random_signal()};
        m.categories.insert(m.categories.begin() + static_cast<std::ptrdiff_t>(nc ? rng() % (nc + 1) : 0),
                            make_category("n" + std::to_string(next_id++), 2, sigs));
        break;
      }
      case 6:
        if (nc > 1) m.categories.erase(m.categories.begin() + static_cast<std::ptrdiff_t>(c));
        break;
      case 7: m.missing = static_cast<missing_policy>(rng() % 3); break;
      case 8: m.bands[0].max = 30 + static_cast<double>(rng() % 30); break;
      case 9:
        if (nc) {
          const double w = static_cast<double>(rng() % 7);
          m.categories[c].weight = w;
          s.set_category_weight(c, w);  // the fast path, then the same model through update
        }
        break;
      default:
        if (nc > 1) std::swap(m.categories[0], m.categories[nc - 1]);
        break;
    }
    s.update(m);
    if (step % 25 == 0) check_same(s, scorer(t, m));
  }
  check_same(s, scorer(t, m));
}

namespace {

/// One column "x" of `rows` values on a 0.01 grid in [0, 100] (seeded), every `blank_every`-th empty.
table grid_table(unsigned seed, int rows, int blank_every) {
  std::mt19937 rng(seed);
  std::vector<std::string> x;
  for (int r = 0; r < rows; ++r)
    x.push_back(r % blank_every == 0 ? "" : std::to_string(static_cast<int>(rng() % 10001) / 100.0));
  return make_table({{"x", x}});
}

/// One category of one linear 0..100 signal on "x": the health score is the cell.
model one_signal_model() {
  model m;
  m.categories.push_back(make_category("c", 1, {make_signal("x", linear())}));
  return m;
}

}  // namespace

TEST_CASE("bands and band counts agree with band_of over several blocks of rows, with few or many bands") {
  // 1,300 rows: two full blocks of 512 and a short one; scores on a 0.01 grid hit every .5 boundary.
  const table t = grid_table(99, 1300, 37);
  model m = one_signal_model();
  for (const int nb : {1, 3, 12}) {
    CAPTURE(nb);
    m.bands.clear();
    for (int b = 0; b < nb; ++b) {
      band bd;
      bd.id = "b" + std::to_string(b);
      bd.max = b + 1 == nb ? 100 : 100.0 * (b + 1) / nb + (b % 2 ? 0.3 : 0);
      m.bands.push_back(bd);
    }
    const scorer s(t, m);
    std::vector<std::size_t> counts(static_cast<std::size_t>(nb), 0);
    std::size_t unscored = 0;
    for (std::size_t r = 0; r < s.rows(); ++r) {
      const int b = band_of(s.scores()[r], m.bands);
      CHECK(s.bands()[r] == b);
      if (b < 0)
        ++unscored;
      else
        ++counts[static_cast<std::size_t>(b)];
    }
    CHECK(s.totals().band_counts == counts);
    CHECK(s.totals().unscored == unscored);
    CHECK(unscored == 36);
  }
}

/// The histogram as the page drew it before the engine did: one pass, round_half_away per score.
std::vector<std::size_t> histogram_by_hand(const scorer& s) {
  std::vector<std::size_t> h(histogram_bins, 0);
  for (const double x : s.scores())
    if (!std::isnan(x)) ++h[static_cast<std::size_t>(round_half_away(x))];
  return h;
}

TEST_CASE("the histogram counts each scored account at its score rounded half away from zero") {
  SUBCASE("scores on a 0.01 grid over several blocks, with unscored rows") {
    const table t = grid_table(7, 2100, 41);
    scorer s(t, one_signal_model());
    const auto h = histogram_by_hand(s);
    CHECK(s.totals().histogram == h);
    std::size_t total = 0;
    for (const std::size_t c : s.totals().histogram) total += c;
    CHECK(total + s.totals().unscored == s.rows());
    CHECK(s.totals().unscored == 52);
    s.set_category_weight(0, 0);  // everything unscored: an empty histogram
    CHECK(s.totals().histogram == std::vector<std::size_t>(histogram_bins, 0));
    s.set_category_weight(0, 3);
    CHECK(s.totals().histogram == h);
  }
  SUBCASE("exact scores next to the halves go to the right bin") {
    // A steps rule hands its step scores through unchanged (one signal, one category: v*w/w == v).
    rule r;
    r.type = rule_type::steps;
    const double just_below_half = std::nextafter(0.5, 0.0);  // 0.49999999999999994
    const double just_below_99_5 = std::nextafter(99.5, 0.0);
    r.steps = {{1.0, just_below_half}, {2.0, 0.5},  {3.0, 50.5},
               {4.0, just_below_99_5}, {5.0, 99.5}, {std::nullopt, 100}};
    const table t = make_table({{"x", {"1", "2", "3", "4", "5", "6", "0"}}});
    model m;
    m.categories.push_back(make_category("c", 1, {make_signal("x", r)}));
    const scorer s(t, m);
    REQUIRE(s.scores()[0] == just_below_half);
    std::vector<std::size_t> want(histogram_bins, 0);
    want[0] = 2;  // 0.49999999999999994 and row 6 (x = 0, first step)
    want[1] = 1;  // 0.5
    want[51] = 1;  // 50.5
    want[99] = 1;  // 99.49999999999999
    want[100] = 2;  // 99.5 and 100
    CHECK(s.totals().histogram == want);
    CHECK(s.totals().histogram == histogram_by_hand(s));
  }
}

TEST_CASE("the health score is the weighted mean of the present categories, for any number of them") {
  // 1 to 9 categories: the scorer adds them four at a time; the result must not depend on that.
  // With every category present in a block of rows, the scorer sums without the missing masks and
  // divides by the weights' sum: that sum must be taken in model order too, so the weights are ones
  // whose sum depends on the order (0.1 + 0.2 + 0.3 is not 0.3 + 0.2 + 0.1).
  for (const bool gaps : {true, false}) {
    CAPTURE(gaps);
    std::mt19937 rng(5);
    std::vector<std::pair<std::string, std::vector<std::string>>> cols;
    for (int c = 0; c < 9; ++c) {
      std::vector<std::string> v;
      for (int r = 0; r < 1100; ++r) v.push_back(gaps && rng() % 5 == 0 ? "" : std::to_string(rng() % 101));
      cols.emplace_back("x" + std::to_string(c), v);
    }
    const table t = make_table(cols);
    for (int nc = 1; nc <= 9; ++nc) {
      CAPTURE(nc);
      model m;
      for (int c = 0; c < nc; ++c)
        m.categories.push_back(make_category("c" + std::to_string(c), gaps ? 1 + c % 3 : 0.1 * (c + 1),
                                             {make_signal("x" + std::to_string(c), linear())}));
      const scorer s(t, m);
      for (std::size_t r = 0; r < s.rows(); ++r) {
        double num = 0, den = 0;
        for (int c = 0; c < nc; ++c) {
          const double v = s.category_scores(static_cast<std::size_t>(c))[r];
          if (std::isnan(v)) continue;
          num += m.categories[static_cast<std::size_t>(c)].weight * v;
          den += m.categories[static_cast<std::size_t>(c)].weight;
        }
        if (den == 0)
          CHECK(std::isnan(s.scores()[r]));
        else
          CHECK(std::memcmp(&s.scores()[r], &(num /= den), sizeof num) == 0);  // same sums, same order
      }
    }
  }
}

// ---- segments and account value (contract, "Extensions to version 1") --------------------------

namespace {

segment_group make_group(std::string id, std::vector<std::string> values) {
  segment_group g;
  g.id = id;
  g.label = "Group " + id;
  g.values = std::move(values);
  return g;
}

/// `m` with segments on "Tier" made of `groups`.
model with_segments(model m, std::vector<segment_group> groups) {
  segments s;
  s.column = "Tier";
  s.groups = std::move(groups);
  m.segments = std::move(s);
  return m;
}

/// check_same, plus each row's segment and every segment's totals and values.
void check_same_segmented(const scorer& a, const scorer& b) {
  check_same(a, b);
  CHECK(a.segments() == b.segments());
  REQUIRE(a.totals().segments.size() == b.totals().segments.size());
  for (std::size_t k = 0; k < a.totals().segments.size(); ++k) {
    const segment_totals& x = a.totals().segments[k];
    const segment_totals& y = b.totals().segments[k];
    CHECK(x.id == y.id);
    CHECK(x.rows == y.rows);
    CHECK(x.band_counts == y.band_counts);
    CHECK(x.histogram == y.histogram);
    CHECK(x.band_values == y.band_values);
    CHECK(x.value_missing == y.value_missing);
  }
  CHECK(a.totals().band_values == b.totals().band_values);
  CHECK(a.totals().value_total == b.totals().value_total);
}

// Rows: 0 Ent, 1 other, 2 Ent ("  ent " matches after trimming and folding), 3 other (empty cell),
// 4 other (a value no group lists). usage: A, B (linear 0..100, so the scores are the cells);
// support: C.
const table& tier_table() {
  static const table t = make_table({
      {"Tier", {"Ent", "SMB", "  ent ", "", "Free"}},
      {"A", {"10", "10", "100", "80", "80"}},
      {"B", {"50", "50", "100", "20", "20"}},
      {"C", {"20", "20", "40", "20", "40"}},
      {"MRR", {"1000", "250.5", "", "abc", "49.5"}},
  });
  return t;
}
model tier_model() {
  model m;
  m.categories.push_back(make_category("usage", 1, {make_signal("A", linear()), make_signal("B", linear())}));
  m.categories.push_back(make_category("support", 1, {make_signal("C", linear())}));
  return with_segments(m, {make_group("ent", {"Ent"}), make_group("nobody", {"Nobody"})});
}

}  // namespace

TEST_CASE("each account is in the first group one of whose values equals its trimmed cell, else in the other segment") {
  const scorer s(tier_table(), tier_model());
  CHECK(s.segments() == std::vector<std::int8_t>{0, other_segment, 0, other_segment, other_segment});
  CHECK(s.segment_rows(0) == std::vector<std::uint32_t>{0, 2});
  CHECK(s.segment_rows(1).empty());  // a group no account matches
  CHECK(s.segment_rows(other_segment) == std::vector<std::uint32_t>{1, 3, 4});
  REQUIRE(s.totals().segments.size() == 3);
  CHECK(s.totals().segments[0].id == "ent");
  CHECK(s.totals().segments[0].label == "Group ent");
  CHECK(s.totals().segments[0].rows == 2);
  CHECK(s.totals().segments[1].rows == 0);
  CHECK(s.totals().segments[1].band_counts == std::vector<std::size_t>{0, 0, 0});
  CHECK(s.totals().segments[1].unscored == 0);
  CHECK(s.totals().segments[2].id.empty());
  CHECK(s.totals().segments[2].label == "Other");
  CHECK(s.totals().segments[2].rows == 3);
  // Without overrides every segment scores as the base model: usage (A+B)/2, then (usage+C)/2.
  CHECK(s.scores() ==
        std::vector<double>{(30 + 20) / 2.0, (30 + 20) / 2.0, (100 + 40) / 2.0, (50 + 20) / 2.0, (50 + 40) / 2.0});
  // A model without segments exposes no per-row segments and no segment totals.
  model plain = tier_model();
  plain.segments.reset();
  const scorer p(tier_table(), plain);
  CHECK(p.segments().empty());
  CHECK(p.totals().segments.empty());
  CHECK(same_bits(p.scores(), s.scores()));
}

TEST_CASE("a group's category weight changes its accounts' scores and no one else's") {
  model m = tier_model();
  m.segments->groups[0].categories.push_back({"usage", 3.0, {}, json::object()});
  const scorer s(tier_table(), m);
  // r0 (ent): usage 30, support 20: (3*30 + 20) / 4 = 27.5; r1 (other), same cells: (30 + 20) / 2 = 25.
  CHECK(s.scores()[0] == 27.5);
  CHECK(s.scores()[1] == 25);
  CHECK(s.scores()[2] == (3 * 100 + 40) / 4.0);  // 85
  CHECK(s.scores()[4] == 45);
  CHECK(s.category_scores(0)[0] == 30);  // category scores do not depend on category weights
}

TEST_CASE("a group's signal weight changes its accounts' category scores only") {
  model m = tier_model();
  m.segments->groups[0].categories.push_back(
      {"usage", std::nullopt, {{"B", 3.0, std::nullopt, json::object()}}, json::object()});
  const scorer s(tier_table(), m);
  // r0: usage (10 + 3*50) / 4 = 40, health (40 + 20) / 2 = 30; r1, same cells, base weights: usage 30.
  CHECK(s.category_scores(0)[0] == 40);
  CHECK(s.scores()[0] == 30);
  CHECK(s.category_scores(0)[1] == 30);
  CHECK(s.scores()[1] == 25);
  CHECK(s.segment_model_of(0).categories[0].signals[1].weight == 3);
  CHECK(s.segment_model_of(other_segment).categories[0].signals[1].weight == 1);
}

TEST_CASE("a group's rule replaces the signal's whole rule for its accounts") {
  model m = tier_model();
  m.segments->groups[0].categories.push_back(
      {"usage", std::nullopt, {{"A", std::nullopt, linear(0, 200), json::object()}}, json::object()});
  const scorer s(tier_table(), m);
  CHECK(s.signal_scores(0, 0)[0] == 5);  // 10 on 0..200
  CHECK(s.signal_scores(0, 0)[2] == 50);  // 100 on 0..200
  CHECK(s.signal_scores(0, 0)[1] == 10);  // other: 0..100
  CHECK(s.signal_scores(0, 0)[3] == 80);
  CHECK(s.scores()[2] == ((50 + 100) / 2.0 + 40) / 2.0);  // 57.5
}

TEST_CASE("a group's band cut points band its accounts, and overall counts add the segments band by band") {
  model m = tier_model();
  // Scores: r0 25, r1 25, r2 70, r3 35, r4 45. Base: red <= 50, yellow <= 70. Ent: red <= 20, yellow <= 69.
  m.segments->groups[0].bands = {{"red", 20, std::nullopt, json::object()},
                                 {"yellow", 69, std::string("Call the sponsor"), json::object()},
                                 {"green", 100, std::nullopt, json::object()}};
  const scorer s(tier_table(), m);
  CHECK(s.bands() == std::vector<std::int8_t>{1, 0, 2, 0, 0});
  CHECK(s.totals().segments[0].band_counts == std::vector<std::size_t>{0, 1, 1});
  CHECK(s.totals().segments[2].band_counts == std::vector<std::size_t>{3, 0, 0});
  CHECK(s.totals().band_counts == std::vector<std::size_t>{3, 1, 1});
  CHECK(s.totals().histogram[25] == 2);
  CHECK(s.totals().histogram[70] == 1);
  CHECK(s.segment_model_of(0).bands[1].action == "Call the sponsor");
  CHECK(s.segment_model_of(0).bands[0].action == "Call this week");
  // Only the bands changed: update re-bands and keeps the scores.
  scorer u(tier_table(), tier_model());
  u.update(m);
  check_same_segmented(u, s);
}

TEST_CASE("omitted linear bounds and percentile are taken over the segment's own accounts") {
  const table t = make_table({
      {"Tier", {"x", "y", "x", "y", "y", "x"}},
      {"N", {"10", "0", "30", "100", "50", "20"}},
  });
  rule free;  // linear, no min or max
  rule pct;
  pct.type = rule_type::percentile;
  model m;
  m.categories.push_back(make_category("c", 1, {make_signal("N", free)}));
  m.categories.push_back(make_category("p", 1, {make_signal("N", pct)}));
  m = with_segments(m, {make_group("x", {"x"})});
  const scorer s(t, m);
  // Group x: N 10, 30, 20 -> min 10, max 30. Other: N 0, 100, 50 -> min 0, max 100.
  CHECK(s.signal_scores(0, 0) == std::vector<double>{0, 0, 100, 100, 50, 50});
  // Percentiles within each segment: x ranks 10 < 20 < 30, other 0 < 50 < 100; (below + 1/2) / 3.
  const double low = 100.0 * 0.5 / 3, mid = 100.0 * 1.5 / 3, high = 100.0 * 2.5 / 3;
  CHECK(s.signal_scores(1, 0) == std::vector<double>{low, low, high, high, mid, mid});
  // A log rule with only min given takes its max from the segment too.
  rule lg;
  lg.type = rule_type::log;
  lg.min = 0;
  m.categories[0].signals[0].rule = lg;
  const scorer l(t, m);
  CHECK(l.signal_scores(0, 0)[2] == doctest::Approx(100));  // 30 is the max of x
  CHECK(l.signal_scores(0, 0)[0] == doctest::Approx(100 * std::log1p(10.0) / std::log1p(30.0)));
  CHECK(l.signal_scores(0, 0)[4] == doctest::Approx(100 * std::log1p(50.0) / std::log1p(100.0)));
}

TEST_CASE("account values are summed per band and segment, an empty or unreadable value counting 0 and missing") {
  model m = tier_model();
  m.value_column = "MRR";
  m.segments->groups[0].bands = {{"red", 20, std::nullopt, json::object()},
                                 {"yellow", 69, std::nullopt, json::object()},
                                 {"green", 100, std::nullopt, json::object()}};
  const scorer s(tier_table(), m);
  // Bands {yellow, red, green, red, red}; MRR {1000, 250.5, empty, unreadable, 49.5}.
  const summary& t = s.totals();
  CHECK(t.has_value);
  CHECK(t.band_values == std::vector<double>{250.5 + 49.5, 1000, 0});
  CHECK(t.value_at_risk() == 300);
  CHECK(t.value_total == 1300);
  CHECK(t.value_missing == 2);
  CHECK(t.segments[0].band_values == std::vector<double>{0, 1000, 0});
  CHECK(t.segments[0].value_missing == 1);
  CHECK(t.segments[1].value_total == 0);
  CHECK(t.segments[2].band_values == std::vector<double>{300, 0, 0});
  CHECK(t.segments[2].value_missing == 1);
  // The histogram weighted by value: scores {25, 25, 70, 35, 45}, so bin 25 holds 1000 + 250.5.
  REQUIRE(t.histogram_value.size() == histogram_bins);
  CHECK(t.histogram_value[25] == 1250.5);
  CHECK(t.histogram_value[45] == 49.5);
  CHECK(t.histogram_value[70] == 0);
  double binned = 0;
  for (const double v : t.histogram_value) binned += v;
  CHECK(binned == 1300);
  CHECK(t.segments[0].histogram_value[25] == 1000);
  CHECK(t.segments[2].histogram_value[25] == 250.5);
  // Without segments, the same sums from the plain path.
  model plain = m;
  plain.segments.reset();
  const scorer p(tier_table(), plain);
  CHECK(p.totals().band_values == std::vector<double>{250.5 + 49.5 + 1000, 0, 0});  // base bands: all red
  CHECK(p.totals().value_missing == 2);
  CHECK(p.totals().histogram_value == t.histogram_value);
  // No value column: zero sums, nothing missing.
  const scorer none(tier_table(), tier_model());
  CHECK_FALSE(none.totals().has_value);
  CHECK(none.totals().band_values == std::vector<double>{0, 0, 0});
  CHECK(none.totals().value_missing == 0);
  CHECK(none.totals().histogram_value.empty());
}

TEST_CASE("an unscored account's value is counted apart from the bands") {
  const table t = make_table({{"Tier", {"a", "a"}}, {"A", {"", "60"}}, {"MRR", {"7", "5"}}});
  model m;
  m.categories.push_back(make_category("c", 1, {make_signal("A", linear())}));
  m.value_column = "MRR";
  m = with_segments(m, {make_group("a", {"a"})});
  const scorer s(t, m);
  CHECK(s.totals().unscored == 1);
  CHECK(s.totals().unscored_value == 7);
  CHECK(s.totals().band_values == std::vector<double>{0, 5, 0});
  CHECK(s.totals().value_total == 12);
}

TEST_CASE("an absent segment or value column is refused, naming the field, unless allowed") {
  model m = tier_model();
  m.segments->column = "Plan";
  score_options strict;
  strict.allow_missing_columns = false;
  CHECK_THROWS_WITH_AS(scorer(tier_table(), m, strict),
                       doctest::Contains("column \"Plan\" named by segments.column is not in test.csv"), input_error);
  const scorer allowed(tier_table(), m);
  CHECK(allowed.segments() == std::vector<std::int8_t>(5, other_segment));
  CHECK(allowed.totals().absent_columns == std::vector<std::string>{"Plan"});
  model v = tier_model();
  v.value_column = "ARR";
  CHECK_THROWS_WITH_AS(scorer(tier_table(), v, strict), doctest::Contains("column \"ARR\" named by value_column"),
                       input_error);
  const scorer va(tier_table(), v);
  CHECK(va.totals().value_missing == 5);
  // A segment's rule that reads an absent target column is named with its group.
  model r = tier_model();
  rule tgt;
  tgt.type = rule_type::target;
  tgt.target_column = "Goal";
  r.segments->groups[0].categories.push_back(
      {"support", std::nullopt, {{"C", std::nullopt, tgt, json::object()}}, json::object()});
  CHECK_THROWS_WITH_AS(scorer(tier_table(), r, strict),
                       doctest::Contains("categories[1].signals[0].rule.target_column in segments.groups[0]"),
                       input_error);
}

namespace {

/// A seeded table with a segment column and every kind of statistics-bearing rule.
table random_tier_table(std::mt19937& rng, int rows) {
  std::vector<std::pair<std::string, std::vector<std::string>>> cols;
  std::vector<std::string> tier;
  const char* tiers[] = {"a", "B", " b ", "c", "", "zz"};
  for (int r = 0; r < rows; ++r) tier.push_back(tiers[rng() % 6]);
  cols.emplace_back("Tier", tier);
  for (const char* name : {"n", "m", "v"}) {
    std::vector<std::string> cells;
    for (int r = 0; r < rows; ++r) {
      const int k = static_cast<int>(rng() % 15);
      cells.push_back(k == 0 ? "" : k == 1 ? "n/a" : std::to_string(static_cast<int>(rng() % 1000)));
    }
    cols.emplace_back(name, cells);
  }
  return make_table(cols);
}

model random_tier_model() {
  rule free, lg, pct, steps;
  lg.type = rule_type::log;
  pct.type = rule_type::percentile;
  steps.type = rule_type::steps;
  steps.steps = {{100.0, 20, json::object()}, {std::nullopt, 90, json::object()}};
  model m;
  m.value_column = "v";
  m.categories.push_back(make_category("u", 2, {make_signal("n", free, 2), make_signal("m", lg)}));
  m.categories.push_back(make_category("s", 1, {make_signal("m", pct), make_signal("n", steps, 0.5)}));
  return m;
}

/// The rows of `t` listed, as a table of their own.
table subtable(const table& t, const std::vector<std::uint32_t>& rows) {
  std::vector<std::pair<std::string, std::vector<std::string>>> cols;
  for (const column& c : t.columns) {
    std::vector<std::string> cells;
    for (const std::uint32_t r : rows) cells.push_back(std::string(c.text(r)));
    cols.emplace_back(c.name(), cells);
  }
  return make_table(cols);
}

}  // namespace

TEST_CASE(
    "a group that overrides nothing scores its accounts exactly as the base model scores them as a table of their own") {
  std::mt19937 rng(11);
  const table t = random_tier_table(rng, 1500);  // segments spanning several blocks
  const model base = random_tier_model();
  for (const auto policy : {missing_policy::renormalize, missing_policy::zero, missing_policy::neutral}) {
    model b = base;
    b.missing = policy;
    const scorer s(t, with_segments(b, {make_group("b", {"b"})}));
    for (const int k : {0, static_cast<int>(other_segment)}) {
      const auto& rows = s.segment_rows(k);
      REQUIRE(rows.size() > 512);
      const scorer alone(subtable(t, rows), b);
      bool same = true;
      for (std::size_t i = 0; i < rows.size(); ++i) {
        same = same && std::memcmp(&alone.scores()[i], &s.scores()[rows[i]], sizeof(double)) == 0 &&
               alone.bands()[i] == s.bands()[rows[i]];
        for (std::size_t c = 0; c < b.categories.size(); ++c) {
          same = same && std::memcmp(&alone.category_scores(c)[i], &s.category_scores(c)[rows[i]], sizeof(double)) == 0;
          for (std::size_t g = 0; g < b.categories[c].signals.size(); ++g)
            same = same &&
                   std::memcmp(&alone.signal_scores(c, g)[i], &s.signal_scores(c, g)[rows[i]], sizeof(double)) == 0;
        }
      }
      CHECK(same);
      const std::size_t slot = k < 0 ? 1 : 0;
      CHECK(s.totals().segments[slot].band_counts == alone.totals().band_counts);
      CHECK(s.totals().segments[slot].histogram == alone.totals().histogram);
      CHECK(s.totals().segments[slot].band_values == alone.totals().band_values);
      CHECK(s.totals().segments[slot].value_missing == alone.totals().value_missing);
    }
  }
}

TEST_CASE("a segment's weight slider rescores its accounts only and equals a fresh scorer on the resulting model") {
  std::mt19937 rng(5);
  const table t = random_tier_table(rng, 1200);
  model m = with_segments(random_tier_model(), {make_group("a", {"a"}), make_group("b", {"B"})});
  m.segments->groups[1].categories.push_back({"u", 4.0, {}, json::object()});
  scorer s(t, m);
  const std::vector<double> before = s.scores();
  s.set_category_weight(0, 1, 7.5);  // group a, category s
  for (std::size_t r = 0; r < t.rows; ++r)
    if (s.segments()[r] != 0) CHECK(std::memcmp(&before[r], &s.scores()[r], sizeof(double)) == 0);
  CHECK(s.current_model().segments->groups[0].categories.back().id == "s");
  CHECK(s.current_model().segments->groups[0].categories.back().weight == 7.5);
  check_same_segmented(s, scorer(t, s.current_model()));

  const std::vector<double> cat_before = s.category_scores(0);
  s.set_signal_weight(1, 0, 1, 3);  // group b, category u, signal m
  for (std::size_t r = 0; r < t.rows; ++r)
    if (s.segments()[r] != 1) CHECK(std::memcmp(&cat_before[r], &s.category_scores(0)[r], sizeof(double)) == 0);
  check_same_segmented(s, scorer(t, s.current_model()));

  // The base slider moves every segment that does not set its own weight: group b keeps u at 4.
  const std::vector<double> b_before = s.scores();
  s.set_category_weight(0, 9);
  for (std::size_t r = 0; r < t.rows; ++r)
    if (s.segments()[r] == 1) CHECK(std::memcmp(&b_before[r], &s.scores()[r], sizeof(double)) == 0);
  CHECK(s.segment_model_of(0).categories[0].weight == 9);
  CHECK(s.segment_model_of(1).categories[0].weight == 4);
  check_same_segmented(s, scorer(t, s.current_model()));
  s.set_signal_weight(1, 0, 0.25);
  check_same_segmented(s, scorer(t, s.current_model()));

  CHECK_THROWS_AS(s.set_category_weight(2, 0, 1), std::out_of_range);
  CHECK_THROWS_WITH_AS(s.set_category_weight(0, 0, -1),
                       "segments.groups[0].categories.u.weight must be a non-negative number", model_error);
}

TEST_CASE("a segment slider refuses a signal key two signals share") {
  model m = tier_model();
  m.categories[0].signals[1].column = "A";  // two signals keyed "A"
  scorer s(tier_table(), m);
  CHECK_THROWS_WITH_AS(s.set_signal_weight(0, 0, 1, 2),
                       doctest::Contains("is the key of 2 signals of category \"usage\""), model_error);
}

TEST_CASE("after any sequence of segment edits the scorer equals a fresh one on the final model, bit for bit") {
  std::mt19937 rng(20261201);
  const table t = random_tier_table(rng, 700);
  model m =
      with_segments(random_tier_model(), {make_group("a", {"a"}), make_group("b", {"b"}), make_group("c", {"c"})});
  scorer s(t, m);
  auto any_rule = [&]() {
    rule r = linear(static_cast<double>(rng() % 50), 100.0 + static_cast<double>(rng() % 900));
    if (rng() % 3 == 0) r.type = rule_type::percentile;
    if (rng() % 3 == 0) r.min.reset();
    return r;
  };
  for (int step = 0; step < 200; ++step) {
    segment_group& g = m.segments->groups[rng() % m.segments->groups.size()];
    const std::size_t c = rng() % m.categories.size();
    const std::size_t sg = rng() % m.categories[c].signals.size();
    switch (rng() % 9) {
      case 0: m.categories[c].weight = static_cast<double>(rng() % 5); break;
      case 1: m.categories[c].signals[sg].weight = static_cast<double>(rng() % 3); break;
      case 2: g.categories.clear(); break;
      case 3:
        g.categories.clear();
        g.categories.push_back({m.categories[c].id, static_cast<double>(rng() % 4), {}, json::object()});
        break;
      case 4:
        g.categories.clear();
        g.categories.push_back(
            {m.categories[c].id,
             std::nullopt,
             {{m.categories[c].signals[sg].key(), static_cast<double>(rng() % 4), std::nullopt, json::object()}},
             json::object()});
        break;
      case 5:
        g.categories.clear();
        g.categories.push_back({m.categories[c].id,
                                std::nullopt,
                                {{m.categories[c].signals[sg].key(), std::nullopt, any_rule(), json::object()}},
                                json::object()});
        break;
      case 6:
        if (g.bands.empty()) {
          const double red = static_cast<double>(10 + rng() % 40);
          g.bands = {{"red", red, std::nullopt, json::object()},
                     {"yellow", red + 20, std::nullopt, json::object()},
                     {"green", 100, std::nullopt, json::object()}};
        } else {
          g.bands.clear();
        }
        break;
      case 7: m.missing = static_cast<missing_policy>(rng() % 3); break;
      default: g.values = {rng() % 2 ? "zz" : "a" + std::to_string(step)}; break;  // membership changes
    }
    // Keep values unique across groups.
    for (std::size_t i = 0; i < m.segments->groups.size(); ++i)
      if (m.segments->groups[i].values == std::vector<std::string>{"zz"} && &m.segments->groups[i] != &g)
        m.segments->groups[i].values = {"free" + std::to_string(i)};
    s.update(m);
    if (step % 20 == 0) check_same_segmented(s, scorer(t, m));
  }
  check_same_segmented(s, scorer(t, m));
  m.segments.reset();  // and back to a plain model
  s.update(m);
  check_same_segmented(s, scorer(t, m));
}

TEST_CASE("issue 15: a model whose scores would not fit is refused before anything is allocated") {
  // 800,000 accounts × (200 signals + 4 categories) = 163 million scores, past max_score_cells.
  std::vector<std::string> xs(800'000, "1");
  const table big = make_table({{"x", xs}});
  model m;
  for (int c = 0; c < 4; ++c) {
    category cat;
    cat.id = "c" + std::to_string(c);
    for (int i = 0; i < 50; ++i) {
      signal sg;
      sg.column = "x";
      sg.rule.type = rule_type::percentile;
      cat.signals.push_back(sg);
    }
    m.categories.push_back(cat);
  }
  const std::string msg = test_util::message_of([&] { scorer(big, m); });
  CHECK(msg.find("200 signals and 4 categories over 800,000 accounts") != std::string::npos);
  CHECK(msg.find("use at most 187 signals and categories together") != std::string::npos);
  // Refused by update too, leaving the scorer as it was.
  model one = m;
  one.categories.resize(1);
  one.categories[0].signals.resize(1);
  scorer s(big, one);
  CHECK(test_util::message_of([&] { s.update(m); }).find("800,000 accounts") != std::string::npos);
  CHECK(s.current_model().categories.size() == 1);
  CHECK(s.scores().size() == 800'000);
  const table small = make_table({{"x", {"1", "2"}}});
  CHECK_NOTHROW(scorer(small, m));  // 2 × 204 scores are nothing
}

TEST_CASE("issue 17: packed signal scores keep every score's bits, in 1, 2 or 8 bytes by how many differ") {
  std::mt19937 rng(17);
  const double quiet_nan = std::numeric_limits<double>::quiet_NaN();
  double payload_nan;
  const std::uint64_t bits = 0x7FF8000000000123ull;
  std::memcpy(&payload_nan, &bits, sizeof bits);
  for (const std::size_t distinct :
       {std::size_t{3}, std::size_t{256}, std::size_t{257}, std::size_t{65536}, std::size_t{65537}}) {
    CAPTURE(distinct);
    // Values from a pool of `distinct` scores: 0 and -0 (different bits), two NaNs, the rest spread.
    std::vector<double> pool = {0.0, -0.0, quiet_nan, payload_nan};
    for (std::size_t k = pool.size(); k < distinct; ++k)
      pool.push_back(100.0 * static_cast<double>(k) / static_cast<double>(distinct));
    pool.resize(distinct);
    std::vector<double> v(200000);
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = pool[i < pool.size() ? i : rng() % pool.size()];
    std::shuffle(v.begin(), v.end(), rng);
    const packed_scores p(v);
    CHECK(p.width() == (distinct <= 256 ? 1 : distinct <= 65536 ? 2 : 8));
    REQUIRE(p.size() == v.size());
    CHECK(same_bits(p.unpack(), v));
    bool each = true;
    for (std::size_t i = 0; i < v.size(); i += 97)
      each = each && std::bit_cast<std::uint64_t>(p[i]) == std::bit_cast<std::uint64_t>(v[i]);
    CHECK(each);
    std::vector<double> block(64);
    p.decode(1000, 64, block.data());
    CHECK(std::memcmp(block.data(), v.data() + 1000, 64 * sizeof(double)) == 0);
    const std::uint32_t rows[3] = {5, 199999, 77};
    double got[3];
    p.gather(rows, 3, got);
    for (int k = 0; k < 3; ++k) CHECK(std::bit_cast<std::uint64_t>(got[k]) == std::bit_cast<std::uint64_t>(v[rows[k]]));
  }
  CHECK(packed_scores(std::vector<double>{}).size() == 0);
}
