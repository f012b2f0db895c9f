// SPDX-License-Identifier: MIT
// Evidence: AUC and DeLong against independent computations, suggested weights on data with and
// without a known relationship, band sensitivity and the two-date comparison on hand-built tables,
// and the real Telco churn file.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "healthscore/csv.hpp"
#include "healthscore/evidence.hpp"
#include "healthscore/export.hpp"
#include "healthscore/model.hpp"
#include "healthscore/score.hpp"
#include "test_util.hpp"

using namespace healthscore;

namespace {

// Uniform [0, 1) from the standard-defined mt19937_64 stream (distributions are not portable).
struct rng {
  std::mt19937_64 g;
  explicit rng(std::uint64_t seed) : g(seed) {}
  double uniform() { return static_cast<double>(g() >> 11) * 0x1.0p-53; }
  double normal() {  // Box-Muller
    const double u = 1.0 - uniform(), v = uniform();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
  }
};

// Independent O(m n) Mann-Whitney count.
double pairwise_auc(const std::vector<double>& s, const outcome_labels& l) {
  double wins = 0, pairs = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (l[i] != 1 || std::isnan(s[i])) continue;
    for (std::size_t j = 0; j < s.size(); ++j) {
      if (l[j] != 0 || std::isnan(s[j])) continue;
      pairs += 1;
      wins += s[i] > s[j] ? 1.0 : s[i] == s[j] ? 0.5 : 0.0;
    }
  }
  return wins / pairs;
}

// DeLong's structural components straight from the definition, O(m n).
struct components {
  std::vector<double> v10, v01;
};
components pairwise_components(const std::vector<double>& s, const outcome_labels& l) {
  components c;
  std::vector<double> x, y;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (l[i] >= 0 && !std::isnan(s[i])) (l[i] ? x : y).push_back(s[i]);
  auto psi = [](double a, double b) { return a > b ? 1.0 : a == b ? 0.5 : 0.0; };
  for (double xi : x) {
    double t = 0;
    for (double yj : y) t += psi(xi, yj);
    c.v10.push_back(t / static_cast<double>(y.size()));
  }
  for (double yj : y) {
    double t = 0;
    for (double xi : x) t += psi(xi, yj);
    c.v01.push_back(t / static_cast<double>(x.size()));
  }
  return c;
}
double cov(const std::vector<double>& a, const std::vector<double>& b) {
  double ma = 0, mb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) ma += a[i], mb += b[i];
  ma /= static_cast<double>(a.size());
  mb /= static_cast<double>(b.size());
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += (a[i] - ma) * (b[i] - mb);
  return s / static_cast<double>(a.size() - 1);
}

table make_table(const std::vector<std::string>& names, const std::vector<std::vector<std::string>>& rows) {
  table t;
  t.source = "test.csv";
  for (const auto& n : names) t.columns.emplace_back(n);
  for (const auto& r : rows)
    for (std::size_t c = 0; c < names.size(); ++c) t.columns[c].push_text(c < r.size() ? r[c] : "");
  for (auto& c : t.columns) c.infer(false);
  t.rows = rows.size();
  return t;
}

}  // namespace

TEST_CASE("AUC equals an independent pairwise count on random data with ties and missing values") {
  rng r(20240611);
  for (int round = 0; round < 20; ++round) {
    const std::size_t n = 5 + static_cast<std::size_t>(r.uniform() * 60);
    std::vector<double> s(n);
    outcome_labels l(n);
    for (std::size_t i = 0; i < n; ++i) {
      s[i] = std::floor(r.uniform() * 8);  // few distinct values: many ties
      if (r.uniform() < 0.1) s[i] = std::nan("");
      const double u = r.uniform();
      l[i] = static_cast<std::int8_t>(u < 0.1 ? -1 : u < 0.55 ? 1 : 0);
    }
    l[0] = 1;
    l[1] = 0;
    s[0] = 3;
    s[1] = 4;
    const auc_estimate e = auc_with_interval(s, l);
    CHECK(e.auc == doctest::Approx(pairwise_auc(s, l)).epsilon(1e-12));
    std::size_t left = 0, good = 0, bad = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (l[i] < 0 || std::isnan(s[i]))
        ++left;
      else
        (l[i] ? good : bad) += 1;
    }
    CHECK(e.left_out == left);
    CHECK(e.good == good);
    CHECK(e.bad == bad);
    // DeLong's variance from components computed by definition.
    const components c = pairwise_components(s, l);
    if (good >= 2 && bad >= 2) {
      const double var = cov(c.v10, c.v10) / static_cast<double>(good) + cov(c.v01, c.v01) / static_cast<double>(bad);
      CHECK(e.se == doctest::Approx(std::sqrt(var)).epsilon(1e-10));
    }
  }
}

TEST_CASE("AUC of the Hanley and McNeil 1982 CT ratings is 0.893") {
  // 109 patients rated 1 (definitely normal) .. 5 (definitely abnormal): Hanley & McNeil,
  // Radiology 143:29-36, table 1. Abnormal is the class a higher rating should pick.
  const int normal[5] = {33, 6, 6, 11, 2};
  const int abnormal[5] = {3, 2, 2, 11, 33};
  std::vector<double> s;
  outcome_labels l;
  for (int k = 0; k < 5; ++k) {
    for (int i = 0; i < normal[k]; ++i) s.push_back(k + 1), l.push_back(0);
    for (int i = 0; i < abnormal[k]; ++i) s.push_back(k + 1), l.push_back(1);
  }
  const auc_estimate e = auc_with_interval(s, l);
  CHECK(e.good == 51);
  CHECK(e.bad == 58);
  CHECK(pairwise_auc(s, l) == doctest::Approx(0.8932).epsilon(1e-4));
  CHECK(e.auc == doctest::Approx(pairwise_auc(s, l)).epsilon(1e-12));
  CHECK(evidence_round(e.auc, 3) == 0.893);
  // Hanley & McNeil's own approximation gives SE 0.032; DeLong's (checked against its definition
  // above) gives 0.0307 here.
  CHECK(e.se == doctest::Approx(0.0307).epsilon(0.005));
  CHECK(e.lo < e.auc);
  CHECK(e.hi > e.auc);
}

TEST_CASE("DeLong's standard error on a tiny example matches a hand computation") {
  // good {3, 2}, bad {1, 2}: V10 = {1, 0.75}, V01 = {1, 0.75}; S10 = S01 = 0.03125;
  // var = 0.03125/2 + 0.03125/2 = 0.03125.
  const auc_estimate e = auc_with_interval({3, 2, 1, 2}, {1, 1, 0, 0});
  CHECK(e.auc == doctest::Approx(0.875));
  CHECK(e.se == doctest::Approx(std::sqrt(0.03125)));
  CHECK(e.lo == doctest::Approx(0.875 - 1.959963984540054 * std::sqrt(0.03125)));
  CHECK(e.hi == 1.0);  // clipped
}

TEST_CASE("without both kinds of account the AUC is not a number") {
  const auc_estimate e = auc_with_interval({1, 2, 3}, {1, 1, -1});
  CHECK(std::isnan(e.auc));
  CHECK(e.good == 2);
  CHECK(e.left_out == 1);
  CHECK(roc_curve({1, 2, 3}, {1, 1, -1}).empty());
}

TEST_CASE("the paired DeLong difference matches the definition") {
  rng r(7);
  const std::size_t n = 80;
  std::vector<double> a(n), b(n);
  outcome_labels l(n);
  for (std::size_t i = 0; i < n; ++i) {
    l[i] = static_cast<std::int8_t>(r.uniform() < 0.4);
    a[i] = std::floor(10 * r.uniform() + 3 * l[i]);
    b[i] = std::floor(10 * r.uniform() + 5 * l[i]);
  }
  const auc_difference d = compare_auc(a, b, l);
  CHECK(d.a.auc == doctest::Approx(pairwise_auc(a, l)));
  CHECK(d.b.auc == doctest::Approx(pairwise_auc(b, l)));
  CHECK(d.diff == doctest::Approx(pairwise_auc(b, l) - pairwise_auc(a, l)));
  const components ca = pairwise_components(a, l), cb = pairwise_components(b, l);
  const double m = static_cast<double>(ca.v10.size()), k = static_cast<double>(ca.v01.size());
  const double var = (cov(ca.v10, ca.v10) + cov(cb.v10, cb.v10) - 2 * cov(ca.v10, cb.v10)) / m +
                     (cov(ca.v01, ca.v01) + cov(cb.v01, cb.v01) - 2 * cov(ca.v01, cb.v01)) / k;
  CHECK(d.se == doctest::Approx(std::sqrt(var)).epsilon(1e-10));
  // A score compared with itself differs by exactly 0 with no spread.
  const auc_difference same = compare_auc(a, a, l);
  CHECK(same.diff == 0.0);
  CHECK(same.se == doctest::Approx(0.0));
}

TEST_CASE("the ROC curve runs from (0,0) to (1,1), rises, is thinned to the limit, and its area is the AUC") {
  rng r(3);
  const std::size_t n = 3000;
  std::vector<double> s(n);
  outcome_labels l(n);
  for (std::size_t i = 0; i < n; ++i) {
    l[i] = static_cast<std::int8_t>(r.uniform() < 0.3);
    s[i] = r.normal() + l[i];
  }
  const auto full = roc_curve(s, l, 100000);
  CHECK(full.size() == n + 1);  // continuous scores: one point per account, plus the origin
  double area = 0;
  for (std::size_t i = 1; i < full.size(); ++i)
    area += (full[i].bad - full[i - 1].bad) * (full[i].good + full[i - 1].good) / 2;
  CHECK(area == doctest::Approx(auc_with_interval(s, l).auc).epsilon(1e-9));
  const auto thin = roc_curve(s, l, 200);
  REQUIRE(thin.size() == 200);
  CHECK(thin.front().bad == 0.0);
  CHECK(thin.front().good == 0.0);
  CHECK(thin.back().bad == 1.0);
  CHECK(thin.back().good == 1.0);
  for (std::size_t i = 1; i < thin.size(); ++i) {
    CHECK(thin[i].bad >= thin[i - 1].bad);
    CHECK(thin[i].good >= thin[i - 1].good);
  }
}

TEST_CASE("combining categories renormalizes over the categories present") {
  const double nan = std::nan("");
  const auto s = combine_categories({{100, nan, nan, 50}, {0, 40, nan, 50}}, {3, 1});
  CHECK(s[0] == doctest::Approx(75));
  CHECK(s[1] == doctest::Approx(40));
  CHECK(std::isnan(s[2]));
  CHECK(s[3] == doctest::Approx(50));
  // Weight 0 switches a category off.
  CHECK(combine_categories({{100}, {0}}, {0, 5})[0] == doctest::Approx(0));
}

namespace {

struct synthetic {
  std::vector<std::vector<double>> cats;
  outcome_labels labels;
  std::vector<bool> train;
};

// Three categories; with `signal`, the first drives the outcome and the others are noise.
synthetic make_synthetic(std::uint64_t seed, bool signal, std::size_t n) {
  rng r(seed);
  synthetic d;
  d.cats.assign(3, std::vector<double>(n));
  d.labels.resize(n);
  d.train.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (auto& c : d.cats) c[i] = std::round(100 * r.uniform());
    const double p = signal ? 1 / (1 + std::exp(-(d.cats[0][i] - 50) / 12)) : 0.5;
    d.labels[i] = static_cast<std::int8_t>(r.uniform() < p);
    d.train[i] = r.uniform() < 0.7;
  }
  return d;
}

}  // namespace

TEST_CASE("suggested weights find the one predictive category and the held-out gain is reliable") {
  const synthetic d = make_synthetic(11, true, 2000);
  const weight_suggestion w = suggest_weights(d.cats, {1, 1, 1}, d.labels, d.train);
  REQUIRE(w.suggested.size() == 3);
  CHECK(w.suggested[0] + w.suggested[1] + w.suggested[2] == 100);
  CHECK(w.suggested[0] >= 80);
  CHECK(w.current[0] == doctest::Approx(100.0 / 3));
  CHECK(w.train_auc_suggested > w.train_auc_current);
  CHECK(w.checked);
  CHECK(w.reliable);
  CHECK(w.test.b.auc > w.test.a.auc + 0.05);
  CHECK(render(w.verdict).rfind("Reliable gain", 0) == 0);
  CHECK(w.train_rows + w.test_rows == 2000);
}

TEST_CASE("suggested weights do not claim a gain on data with no relationship") {
  // 40 independent null data sets. Fitting always finds some training gain; the held-out check must
  // see through it. (Over 200 such seeds of 1500 rows none was called reliable; seed 4 of those is
  // the case where the gain alone clears the noise because the current weights do worse than
  // chance on the held-out rows, which the second condition catches.)
  std::size_t reliable = 0, train_gain = 0;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    CAPTURE(seed);
    const synthetic d = make_synthetic(seed, false, 1000);
    const weight_suggestion w = suggest_weights(d.cats, {1, 1, 1}, d.labels, d.train);
    CHECK(w.suggested[0] + w.suggested[1] + w.suggested[2] == 100);
    reliable += w.reliable;
    train_gain += w.train_auc_suggested > w.train_auc_current;
    if (!w.reliable) CHECK(render(w.verdict).find("Reliable") == std::string::npos);
  }
  CHECK(reliable == 0);
  CHECK(train_gain >= 30);  // the search did overfit the training rows, as it will on noise
  const synthetic d4 = make_synthetic(4, false, 1500);
  const weight_suggestion w4 = suggest_weights(d4.cats, {1, 1, 1}, d4.labels, d4.train);
  CHECK_FALSE(w4.reliable);
  CHECK(render(w4.verdict).rfind("No reliable gain", 0) == 0);
}

TEST_CASE("past the cap the weight search runs on every k-th known training account, and says so") {
  const synthetic d = make_synthetic(11, true, 120'000);  // ~84,000 training accounts: stride 2
  const weight_suggestion w = suggest_weights(d.cats, {1, 1, 1}, d.labels, d.train);
  CHECK(w.search_sampled);
  CHECK(w.search_rows <= weight_search_cap);
  CHECK(w.search_rows > weight_search_cap * 3 / 4);
  CHECK(w.suggested[0] >= 80);
  CHECK(w.reliable);
  // The same search by hand on that sample (all of it training, under the cap) finds the same weights.
  synthetic sample;
  sample.cats.assign(3, {});
  std::size_t known = 0;
  for (std::size_t r = 0; r < d.labels.size(); ++r) {
    if (!d.train[r] || d.labels[r] < 0) continue;
    if (known++ % 2) continue;
    for (std::size_t c = 0; c < 3; ++c) sample.cats[c].push_back(d.cats[c][r]);
    sample.labels.push_back(d.labels[r]);
    sample.train.push_back(true);
  }
  REQUIRE(sample.labels.size() == w.search_rows);
  const weight_suggestion by_hand = suggest_weights(sample.cats, {1, 1, 1}, sample.labels, sample.train);
  CHECK_FALSE(by_hand.search_sampled);
  CHECK(by_hand.suggested == w.suggested);
  // The training AUC reported is over every training account, not the sample.
  outcome_labels train_only(d.labels.size(), -1);
  for (std::size_t r = 0; r < d.labels.size(); ++r)
    if (d.train[r]) train_only[r] = d.labels[r];
  CHECK(w.train_auc_suggested ==
        doctest::Approx(auc_with_interval(combine_categories(d.cats, w.suggested), train_only).auc).epsilon(1e-12));
  CHECK(w.train_auc_suggested != doctest::Approx(by_hand.train_auc_suggested).epsilon(1e-9));
}

namespace {

// `k` categories; the outcome leans on the first three, unevenly; 10% of the scores are missing.
synthetic make_wide(std::uint64_t seed, std::size_t k, std::size_t n) {
  rng r(seed);
  synthetic d;
  d.cats.assign(k, std::vector<double>(n));
  d.labels.resize(n);
  d.train.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (auto& c : d.cats) c[i] = r.uniform() < 0.1 ? std::nan("") : std::round(100 * r.uniform());
    const double z = 0.05 * ((std::isnan(d.cats[0][i]) ? 50 : d.cats[0][i]) - 50) +
                     0.03 * ((std::isnan(d.cats[1][i]) ? 50 : d.cats[1][i]) - 50) +
                     0.01 * ((std::isnan(d.cats[2][i]) ? 50 : d.cats[2][i]) - 50);
    d.labels[i] = static_cast<std::int8_t>(r.uniform() < 1 / (1 + std::exp(-z)));  // as make_synthetic
    d.train[i] = r.uniform() < 0.7;
  }
  return d;
}

}  // namespace

TEST_CASE("issue 15: the weight search done a slice at a time gives what it gives in one go") {
  const synthetic d = make_wide(3, 8, 3000);
  const std::vector<double> current{3, 1, 1, 1, 1, 1, 1, 1};
  const weight_suggestion whole = suggest_weights(d.cats, current, d.labels, d.train);
  CHECK_FALSE(whole.search_stopped);
  CHECK(whole.search_tries > 100);
  weight_search search(d.cats, current, d.labels, d.train);
  std::size_t slices = 1;
  while (!search.advance(1)) ++slices;  // one weighting a slice
  const weight_suggestion sliced = search.result();
  CHECK(slices >= whole.search_tries);
  CHECK(sliced.suggested == whole.suggested);
  CHECK(sliced.search_tries == whole.search_tries);
  CHECK(sliced.train_auc_suggested == whole.train_auc_suggested);
  CHECK(sliced.test.diff == whole.test.diff);
  CHECK(render(sliced.verdict) == render(whole.verdict));
}

TEST_CASE("issue 15: a weight search past its work limit keeps the best weights it has seen, every time the same") {
  const synthetic d = make_wide(5, 12, 4000);
  // Whole percentages leaning on the predictive categories: the climb from them starts better than
  // the one from equal weights, and out of work in its first round (132 moves) it must still keep
  // the best move that round has seen.
  const std::vector<double> current{30, 20, 10, 5, 5, 5, 5, 5, 5, 4, 3, 3};
  std::size_t train_known = 0;
  for (std::size_t r = 0; r < d.labels.size(); ++r) train_known += d.train[r] && d.labels[r] >= 0;
  const std::uint64_t per_try = train_known * (12 + weight_search_sort_units);
  const std::uint64_t limit = 80 * per_try;  // 40 weightings for each of the two climbs
  auto run = [&] {
    weight_search s(d.cats, current, d.labels, d.train, limit);
    s.advance();
    return s.result();
  };
  const weight_suggestion a = run(), b = run();
  CHECK(a.search_stopped);
  CHECK(a.search_tries == 80);
  CHECK(a.suggested == b.suggested);
  double total = 0;
  for (double x : a.suggested) total += x;
  CHECK(total == 100);
  CHECK(a.suggested != current);
  CHECK(a.train_auc_suggested > a.train_auc_current);
  CHECK(std::isfinite(a.test.diff));  // checked on the held-out accounts like any suggestion
  const weight_suggestion full = suggest_weights(d.cats, current, d.labels, d.train);
  CHECK_FALSE(full.search_stopped);
  CHECK(full.search_tries > a.search_tries);
  CHECK(full.train_auc_suggested >= a.train_auc_suggested);
}

TEST_CASE("issue 15: a climb that has tried every move finishes unstopped on a budget of exactly its tries") {
  const synthetic d = make_synthetic(11, true, 600);
  const weight_suggestion whole = suggest_weights(d.cats, {2, 1, 1}, d.labels, d.train);
  std::size_t train_known = 0;
  for (std::size_t r = 0; r < d.labels.size(); ++r) train_known += d.train[r] && d.labels[r] >= 0;
  const std::uint64_t per_try = train_known * (3 + weight_search_sort_units);
  // The budget is split between the two climbs: the larger half's tries times two fits both.
  weight_search s(d.cats, {2, 1, 1}, d.labels, d.train, 2 * whole.search_tries * per_try);
  s.advance();
  CHECK_FALSE(s.result().search_stopped);
  CHECK(s.result().suggested == whole.suggested);
}

TEST_CASE("suggested weights are deterministic and whole numbers") {
  const synthetic d = make_synthetic(11, true, 600);
  const weight_suggestion a = suggest_weights(d.cats, {2, 1, 1}, d.labels, d.train);
  const weight_suggestion b = suggest_weights(d.cats, {2, 1, 1}, d.labels, d.train);
  CHECK(a.suggested == b.suggested);
  CHECK(render(a.verdict) == render(b.verdict));
  for (double x : a.suggested) {
    CHECK(x == std::round(x));
    CHECK(x >= 0);
  }
  CHECK(a.current[0] == doctest::Approx(50));
}

TEST_CASE("a CSV cell that a spreadsheet would run is defused, a plain number is not") {
  CHECK(csv_cell("=1+2") == "'=1+2");
  CHECK(csv_cell("+cmd") == "'+cmd");
  CHECK(csv_cell("@SUM(A1)") == "'@SUM(A1)");
  CHECK(csv_cell("\t=x") == "\t'=x");  // the mark goes where a tab split starts the formula
  CHECK(csv_cell("-12.5") == "-12.5");
  CHECK(csv_cell("+3") == "+3");
  CHECK(csv_cell("-1e3") == "-1e3");
  CHECK(csv_cell("-") == "'-");
  CHECK(csv_cell("-1-2") == "'-1-2");
  CHECK(csv_cell("Beta, Inc") == "\"Beta, Inc\"");
  CHECK(csv_cell("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_cell("=A1,B1") == "\"'=A1,B1\"");
  CHECK(evidence_round(-0.04, 1) == 0.0);
  CHECK(!std::signbit(evidence_round(-0.04, 1)));
}

// ---- with tables, models and the scorer ----------------------------------------------------

TEST_CASE("outcome labels: trimmed, case-insensitive, empty is unknown, and 'good' flips them") {
  const table t =
      make_table({"id", "Churned"}, {{"a", " YES "}, {"b", "no"}, {"c", ""}, {"d", "True"}, {"e", "maybe"}});
  outcome o;
  o.column = "Churned";
  const outcome_labels l = label_outcomes(t, o);
  CHECK(l == outcome_labels{0, 1, -1, 0, 1});
  o.extra["good"] = true;
  CHECK(outcome_is_good(o));
  CHECK(label_outcomes(t, o) == outcome_labels{1, 0, -1, 1, 0});
  o.column = "Renewed";
  CHECK_THROWS_AS(label_outcomes(t, o), input_error);
}

TEST_CASE("the training split follows the account id, not the row order") {
  std::vector<std::vector<std::string>> rows, reversed;
  for (int i = 0; i < 1000; ++i) rows.push_back({"acct-" + std::to_string(i)});
  reversed.assign(rows.rbegin(), rows.rend());
  const auto a = training_rows(make_table({"id"}, rows), "id");
  const auto b = training_rows(make_table({"id"}, reversed), "id");
  std::size_t in = 0;
  for (std::size_t i = 0; i < 1000; ++i) {
    CHECK(a[i] == b[999 - i]);
    in += a[i];
  }
  CHECK(in > 640);
  CHECK(in < 760);
}

namespace {

const char* two_category_model = R"json({
  "version": 1, "id_column": "id",
  "categories": [
    { "id": "a", "label": "A", "weight": 50, "signals": [ { "column": "x", "rule": { "type": "linear", "min": 0, "max": 100 } } ] },
    { "id": "b", "label": "B", "weight": 50, "signals": [ { "column": "y", "rule": { "type": "linear", "min": 0, "max": 100 } } ] }
  ],
  "outcome": { "column": "churn", "positive": ["yes"] }
})json";

}  // namespace

TEST_CASE("sensitivity counts the accounts that change band when one category weight moves 10%") {
  // Row 1: 50 (red); A at 110% lifts it to 52.4 (yellow), at 90% it is 47.4.
  // Row 2: 50 (red); A at 90% gives 52.6 (yellow). Row 3 stays green.
  const table t = make_table({"id", "x", "y", "churn"},
                             {{"1", "100", "0", "yes"}, {"2", "0", "100", "no"}, {"3", "80", "80", "no"}});
  const scorer s(t, parse_model(two_category_model));
  REQUIRE(s.bands() == std::vector<std::int8_t>{0, 0, 2});
  const auto rows = band_sensitivity(s);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].id == "a");
  CHECK(rows[0].changed_down == 1);
  CHECK(rows[0].changed_up == 1);
  CHECK(rows[1].changed_down == 1);
  CHECK(rows[1].changed_up == 1);
  // The scorer handed in is untouched.
  CHECK(s.current_model().categories[0].weight == 50);
}

TEST_CASE("validation on a small table: counts, band rates, pass marks and the direction flag") {
  // x predicts the outcome the right way, y the wrong way.
  std::vector<std::vector<std::string>> rows;
  for (int i = 0; i < 40; ++i) {
    const bool churn = i % 2 == 0;
    const int x = churn ? 10 + i : 60 + i;  // churners low
    const int y = churn ? 90 - i / 2 : 20 - i / 4;  // churners high: wrong way
    rows.push_back({std::to_string(i), std::to_string(x), std::to_string(y), churn ? "yes" : "no"});
  }
  rows.push_back({"40", "50", "50", ""});
  const table t = make_table({"id", "x", "y", "churn"}, rows);
  const scorer s(t, parse_model(two_category_model));
  const validation v = validate_outcome(s);
  CHECK(v.rows == 41);
  CHECK(v.known == 40);
  CHECK(v.unknown == 1);
  CHECK(v.positives == 20);
  CHECK(v.negatives == 20);
  CHECK(v.base_rate == doctest::Approx(0.5));
  REQUIRE(v.categories.size() == 2);
  CHECK(v.categories[0].auc.auc == doctest::Approx(1.0));
  CHECK(v.categories[1].auc.auc == doctest::Approx(0.0));
  CHECK_FALSE(v.categories[0].wrong_direction);
  CHECK(v.categories[1].wrong_direction);
  REQUIRE(v.signals.size() == 2);
  CHECK(v.signals[1].wrong_direction);
  REQUIRE(v.signals[1].warning);
  CHECK(render(*v.signals[1].warning).find("Higher 'y' scores go with more 'churn' here") == 0);
  CHECK(render(*v.signals[1].warning).find("check the rule's direction") != std::string::npos);
  // Band counts add up to the scored accounts.
  std::size_t total = 0;
  for (const auto& b : v.bands) total += b.accounts;
  CHECK(total == v.scored);
  REQUIRE(v.checks.size() == 2);
  CHECK(v.checks[0].id == "red_rate");
  CHECK(v.checks[1].id == "green_share");
  // A base rate of 50%: three times it is unreachable, so the mark does not apply.
  CHECK_FALSE(v.checks[0].applicable);
  CHECK_FALSE(v.checks[0].pass);
  CHECK(render(v.checks[0].text).find("unreachable") != std::string::npos);
  CHECK(v.checks[1].applicable);
  // The held-out check of suggested weights has too few accounts here.
  CHECK(v.has_suggestion);
  CHECK_FALSE(v.weights.reliable);
  // Rendering is stable and JSON carries the rounded numbers.
  const json j = validation_to_json(v);
  CHECK(j["accounts"]["known"] == 40);
  CHECK(j["categories"][1]["wrong_direction"] == true);
  CHECK(validation_to_text(v) == validation_to_text(validate_outcome(s)));
  CHECK(validation_to_text(v).find("WRONG WAY") != std::string::npos);
}

TEST_CASE("a good outcome (renewed) gives the same AUC as its bad mirror (churned)") {
  std::vector<std::vector<std::string>> rows;
  rng r(5);
  for (int i = 0; i < 300; ++i) {
    const double x = 100 * r.uniform(), y = 100 * r.uniform();
    const bool churn = r.uniform() < 1 / (1 + std::exp((x - 50) / 15));
    rows.push_back({std::to_string(i), std::to_string(x), std::to_string(y), churn ? "yes" : "no"});
  }
  const table t = make_table({"id", "x", "y", "churn"}, rows);
  model churned = parse_model(two_category_model);
  model renewed = churned;
  renewed.outcome->positive = {"no"};
  renewed.outcome->extra["good"] = true;
  const validation a = validate_outcome(scorer(t, churned)), b = validate_outcome(scorer(t, renewed));
  CHECK_FALSE(a.positive_is_good);
  CHECK(b.positive_is_good);
  CHECK(a.health.auc.auc > 0.6);
  CHECK(b.health.auc.auc == a.health.auc.auc);
  CHECK(b.health.auc.se == a.health.auc.se);
  CHECK(b.positives == a.negatives);
  for (std::size_t i = 0; i < a.bands.size(); ++i)
    if (a.bands[i].known) CHECK(b.bands[i].rate == doctest::Approx(1 - a.bands[i].rate));
  CHECK(b.checks[0].value == doctest::Approx(a.checks[0].value));
}

TEST_CASE("validation refuses a model without an outcome") {
  const table t = make_table({"id", "x", "y"}, {{"1", "1", "2"}});
  model m = parse_model(two_category_model);
  m.outcome.reset();
  const scorer s(t, m);
  CHECK_THROWS_AS(validate_outcome(s), input_error);
}

namespace {

const char* one_signal_model = R"json({
  "version": 1, "id_column": "id", "name_column": "name",
  "categories": [ { "id": "c", "label": "C", "signals": [ { "column": "x", "rule": { "type": "linear", "min": 0, "max": 100 } } ] } ]
})json";

}  // namespace

TEST_CASE("comparing two dates matches by id and reports changes, movers, transitions and new reds") {
  const table old_t = make_table({"id", "name", "x"}, {{"a", "=cmd", "90"},
                                                       {"b", "Beta, Inc", "60"},
                                                       {"c", "-12", "40"},
                                                       {"d", "Dee", "10"},
                                                       {" d ", "Dee again", "20"},
                                                       {"", "nobody", "50"},
                                                       {"f", "@home", "70"}});
  const table new_t = make_table({"id", "name", "x"}, {{"a", "=cmd", "30"},
                                                       {"b", "Beta, Inc", "65"},
                                                       {"c", "-12", "80"},
                                                       {"d", "Dee", "50"},
                                                       {"e", "Eve", "10"},
                                                       {"f", "@home", ""}});
  const model m = parse_model(one_signal_model);
  const scorer so(old_t, m), sn(new_t, m);
  const comparison c = compare_scores(so, sn);
  CHECK(c.matched == 4);  // a b c f
  CHECK(c.only_new == 1);  // e
  CHECK(c.only_old == 0);
  CHECK(c.duplicate_old == 1);  // d, trimmed
  CHECK(c.duplicate_new == 0);
  CHECK(c.duplicate_ids == std::vector<std::string>{"d"});
  CHECK(c.empty_id_old == 1);
  CHECK(c.only_new_ids == std::vector<std::string>{"e"});
  CHECK(c.scored_both == 3);
  CHECK(c.mean_change == doctest::Approx(-5));
  CHECK(c.band_up == 1);
  CHECK(c.band_down == 1);
  CHECK(c.band_same == 1);
  REQUIRE(c.transitions.size() == 4);
  CHECK(c.transitions[2][0] == 1);  // a: green -> red
  CHECK(c.transitions[1][1] == 1);  // b: yellow -> yellow
  CHECK(c.transitions[0][2] == 1);  // c: red -> green
  CHECK(c.transitions[1][3] == 1);  // f: yellow -> unscored
  REQUIRE(c.movers_up.size() == 2);
  CHECK(c.accounts[c.movers_up[0]].id == "c");
  CHECK(c.accounts[c.movers_up[1]].id == "b");
  REQUIRE(c.movers_down.size() == 1);
  CHECK(c.accounts[c.movers_down[0]].id == "a");
  REQUIRE(c.newly_red.size() == 1);
  CHECK(c.accounts[c.newly_red[0]].id == "a");
  CHECK(comparison_to_csv(c) ==
        "id,name,old_score,new_score,change,old_band,new_band\n"
        "a,'=cmd,90.0,30.0,-60.0,green,red\n"
        "b,\"Beta, Inc\",60.0,65.0,5.0,yellow,yellow\n"
        "c,-12,40.0,80.0,40.0,red,green\n"
        "f,'@home,70.0,,,yellow,\n");
  const json j = comparison_to_json(c);
  CHECK(j["accounts"]["matched"] == 4);
  CHECK(j["movers_down"][0]["change"] == -60.0);
  CHECK(j["newly_red"][0]["id"] == "a");
  CHECK(comparison_to_text(c).find("Newly in the lowest band (1)") != std::string::npos);
}

TEST_CASE("comparing needs an id column") {
  const table t = make_table({"id", "name", "x"}, {{"a", "A", "1"}});
  model m = parse_model(one_signal_model);
  m.id_column.clear();
  const scorer s(t, m);
  CHECK_THROWS_AS(compare_scores(s, s), input_error);
}

// ---- the real Telco churn data ----------------------------------------------------------------

namespace {

const char* telco_model = R"json({
  "version": 1,
  "name": "Telco health",
  "id_column": "customerID",
  "categories": [
    { "id": "commitment", "label": "Commitment", "weight": 40, "signals": [
      { "column": "Contract", "weight": 2, "rule": { "type": "map", "map": { "Month-to-month": 0, "One year": 60, "Two year": 100 } } },
      { "column": "tenure", "weight": 1, "rule": { "type": "linear", "min": 0, "max": 72 } } ] },
    { "id": "support", "label": "Support and security", "weight": 25, "signals": [
      { "column": "TechSupport", "rule": { "type": "map", "map": { "Yes": 100, "No": 0, "No internet service": 70 } } },
      { "column": "OnlineSecurity", "rule": { "type": "map", "map": { "Yes": 100, "No": 0, "No internet service": 70 } } } ] },
    { "id": "billing", "label": "Billing", "weight": 25, "signals": [
      { "column": "PaymentMethod", "rule": { "type": "map", "map": { "Electronic check": 0, "Mailed check": 60,
          "Bank transfer (automatic)": 100, "Credit card (automatic)": 100 } } },
      { "column": "MonthlyCharges", "rule": { "type": "linear", "min": 18, "max": 119, "direction": "lower_is_better" } } ] },
    { "id": "profile", "label": "Profile", "weight": 10, "signals": [
      { "column": "SeniorCitizen", "rule": { "type": "boolean" } } ] }
  ],
  "outcome": { "column": "Churn", "positive": ["Yes"] }
})json";

}  // namespace

TEST_CASE("the Telco churn file validates: the health score separates churners and the report is stable") {
  const std::string bytes = test_util::read_file(test_util::corpus("telco-churn/Telco-Customer-Churn.csv"));
  read_options ro;
  ro.source = "Telco-Customer-Churn.csv";
  const table t = read_csv(bytes, ro);
  REQUIRE(t.rows == 7043);
  const scorer s(t, parse_model(telco_model));
  const validation v = validate_outcome(s);
  CHECK(v.known == 7043);
  CHECK(v.positives == 1869);
  CHECK(v.negatives == 5174);
  CHECK(v.health.auc.auc > 0.75);
  CHECK(v.health.auc.lo > 0.5);
  // SeniorCitizen scored "1 = healthy" points the wrong way: seniors churn more in this data.
  const auto senior = std::find_if(v.signals.begin(), v.signals.end(),
                                   [](const discrimination& d) { return d.label == "SeniorCitizen"; });
  REQUIRE(senior != v.signals.end());
  CHECK(senior->wrong_direction);
  // Contract on its own points the right way.
  CHECK(v.signals[0].label == "Contract");
  CHECK(v.signals[0].auc.lo > 0.5);
  // Figures recomputed independently (Python, straight from the CSV and the rules): AUC 0.8195,
  // and per band (accounts, churned) red 4361/1747, yellow 1501/99, green 1181/23.
  CHECK(evidence_round(v.health.auc.auc, 3) == 0.819);
  REQUIRE(v.bands.size() == 3);
  CHECK(v.bands[0].accounts == 4361);
  CHECK(v.bands[0].positive == 1747);
  CHECK(v.bands[1].accounts == 1501);
  CHECK(v.bands[1].positive == 99);
  CHECK(v.bands[2].accounts == 1181);
  CHECK(v.bands[2].positive == 23);
  CHECK(v.bands.front().lift > 1.5);
  CHECK_FALSE(v.checks[0].pass);  // red is 62% of accounts: too wide to churn at 3x the base rate
  CHECK(v.checks[1].pass);
  // The weight search drops the wrong-way category, and the held-out rows confirm the gain.
  REQUIRE(v.weights.suggested.size() == 4);
  CHECK(v.weights.suggested[3] == 0);
  CHECK(v.weights.reliable);
  // Reproducible to the byte.
  const std::string text = validation_to_text(v);
  CHECK(text == validation_to_text(validate_outcome(s)));
  CHECK(validation_to_json(v).dump() ==
        validation_to_json(validate_outcome(scorer(t, parse_model(telco_model)))).dump());
  MESSAGE(text);
}

TEST_CASE(
    "a validation cache gives the same report as none, and after a category weight change recomputes only the health score") {
  const std::string bytes = test_util::read_file(test_util::corpus("telco-churn/Telco-Customer-Churn.csv"));
  read_options ro;
  ro.source = "Telco-Customer-Churn.csv";
  const table t = read_csv(bytes, ro);
  scorer s(t, parse_model(telco_model));
  validation_cache cache;
  validation_options cheap;
  cheap.suggest = cheap.sensitivity = false;
  validation_options cached = cheap;
  cached.cache = &cache;
  // One entry per distinct score vector: a category of one signal has that signal's very scores.
  auto distinct_vectors = [&] {
    std::vector<std::vector<double>> seen{s.scores()};  // copies: a signal's scores come unpacked
    auto add = [&](const std::vector<double>& v) {
      for (const auto& u : seen)
        if (u.size() == v.size() && std::memcmp(u.data(), v.data(), v.size() * sizeof(double)) == 0) return;
      seen.push_back(v);
    };
    std::size_t figures_total = 1;
    for (std::size_t c = 0; c < s.current_model().categories.size(); ++c) {
      add(s.category_scores(c));
      for (std::size_t g = 0; g < s.current_model().categories[c].signals.size(); ++g) add(s.signal_scores(c, g));
      figures_total += 1 + s.current_model().categories[c].signals.size();
    }
    return std::pair{seen.size(), figures_total};
  };
  const auto [distinct, figures] = distinct_vectors();
  CHECK(distinct < figures);  // this model has such a category, so sharing is exercised
  auto same = [&](const validation_options& with, const validation_options& without) {
    return validation_to_json(validate_outcome(s, with)).dump() ==
           validation_to_json(validate_outcome(s, without)).dump();
  };
  CHECK(same(cached, cheap));
  CHECK(cache.misses == distinct);
  const std::size_t first_misses = cache.misses;
  CHECK(same(cached, cheap));
  CHECK(cache.misses == first_misses);  // nothing changed: all from the cache
  s.set_category_weight(1, s.current_model().categories[1].weight + 7);
  const std::size_t hits = cache.hits;
  CHECK(same(cached, cheap));
  CHECK(cache.misses == first_misses + 1);  // only the health score changed
  CHECK(cache.hits == hits + figures - 1);
  s.set_signal_weight(0, 0, s.current_model().categories[0].signals[0].weight + 1);
  CHECK(same(cached, cheap));
  CHECK(cache.misses == first_misses + 3);  // the health score and category 0
  // The full report too (the weight search and sensitivity do not use the cache).
  validation_options full_cached;
  full_cached.cache = &cache;
  CHECK(same(full_cached, validation_options{}));
}

// ---- segments and account value ----------------------------------------------------------------

namespace {

const char* segmented_model = R"json({
  "version": 1, "id_column": "id", "value_column": "mrr",
  "categories": [ { "id": "c", "label": "C", "signals": [ { "column": "x", "rule": { "type": "linear", "min": 0, "max": 100 } } ] } ],
  "outcome": { "column": "churn", "positive": ["yes"] },
  "segments": { "column": "tier", "groups": [
    { "id": "pro", "label": "Pro", "values": ["Pro"],
      "bands": [ { "id": "red", "max": 60 }, { "id": "yellow", "max": 80 }, { "id": "green", "max": 100 } ] } ] }
})json";

}  // namespace

TEST_CASE("validation gives AUC and band outcome rates per segment and value-weighted rates") {
  // Scores are x. Pro bands: red <= 60, yellow <= 80; base (other): red <= 50, yellow <= 70.
  const table t = make_table({"id", "tier", "x", "mrr", "churn"}, {{"1", "Pro", "50", "100", "yes"},
                                                                   {"2", "Pro", "70", "300", "no"},
                                                                   {"3", "Pro", "90", "", "no"},
                                                                   {"4", "Pro", "55", "200", "no"},
                                                                   {"5", "Basic", "50", "10", "yes"},
                                                                   {"6", "Basic", "95", "20", "yes"},
                                                                   {"7", "Basic", "90", "30", "no"},
                                                                   {"8", "", "40", "40", ""}});
  const scorer s(t, parse_model(segmented_model));
  REQUIRE(s.bands() == std::vector<std::int8_t>{0, 1, 2, 0, 0, 2, 2, 0});
  const validation v = validate_outcome(s);
  // Overall: red {1, 4, 5, 8}, yellow {2}, green {3, 6, 7}.
  CHECK(v.base_rate == doctest::Approx(3.0 / 7));
  REQUIRE(v.bands.size() == 3);
  CHECK(v.bands[0].accounts == 4);
  CHECK(v.bands[0].rate == doctest::Approx(2.0 / 3));
  CHECK(v.has_value);
  CHECK(v.bands[0].value == 350);
  CHECK(v.bands[0].value_known == 310);
  CHECK(v.bands[0].value_positive == 110);
  CHECK(v.bands[0].value_rate == doctest::Approx(110.0 / 310));
  CHECK(v.bands[0].value_share == doctest::Approx(350.0 / 700));
  CHECK(v.bands[1].value == 300);
  CHECK(v.bands[1].value_rate == 0);
  CHECK(v.bands[2].value == 50);
  CHECK(v.bands[2].value_rate == doctest::Approx(20.0 / 50));
  CHECK(v.value_base_rate == doctest::Approx(130.0 / 660));

  REQUIRE(v.segments.size() == 2);
  const segment_validation& pro = v.segments[0];
  CHECK(pro.id == "pro");
  CHECK(pro.rows == 4);
  CHECK(pro.known == 4);
  CHECK(pro.positives == 1);
  CHECK(pro.base_rate == doctest::Approx(0.25));
  CHECK(pro.auc.auc == 1);  // good 70, 90, 55 all above bad 50
  CHECK(pro.bands[0].accounts == 2);
  CHECK(pro.bands[0].rate == doctest::Approx(0.5));
  CHECK(pro.bands[0].lift == doctest::Approx(2));  // against the segment's own base rate
  CHECK(pro.bands[0].value == 300);
  CHECK(pro.bands[0].value_rate == doctest::Approx(100.0 / 300));
  const segment_validation& other = v.segments[1];
  CHECK(other.id.empty());
  CHECK(other.label == "Other");
  CHECK(other.rows == 4);
  CHECK(other.known == 3);
  CHECK(other.base_rate == doctest::Approx(2.0 / 3));
  CHECK(other.auc.auc == doctest::Approx(0.5));  // good 90 beats bad 50, loses to bad 95
  CHECK(other.auc.left_out == 1);  // its row with an unknown outcome; Pro's rows are not its own
  CHECK(other.bands[0].accounts == 2);
  CHECK(other.bands[0].rate == 1);
  CHECK(other.bands[0].lift == doctest::Approx(1.5));
  CHECK(other.bands[1].accounts == 0);
  CHECK(std::isnan(other.bands[1].rate));
  // Reports carry the same figures.
  const json j = validation_to_json(v);
  CHECK(j["segments"][0]["label"] == "Pro");
  CHECK(j["segments"][1]["id"].is_null());
  CHECK(j["segments"][0]["health"]["auc"] == 1.0);
  CHECK(j["value"]["at_risk"] == 350.0);
  CHECK(j["bands"][0]["value_rate_pct"] == 35.5);  // 110 / 310
  const std::string text = validation_to_text(v);
  CHECK(text.find("Value at risk (mrr in 'At risk'): 350.00 of 700.00 (50.0%)") != std::string::npos);
  CHECK(text.find("  Pro: 4 rows, 4 scored, 4 known, base rate 25.0%; AUC 1.000") != std::string::npos);
  CHECK(text.find("  Other: 4 rows, 4 scored, 3 known, base rate 66.7%; AUC 0.500") != std::string::npos);
  // No group has its own category weights: the suggestion needs no caveat.
  for (const message& w : v.warnings)
    CHECK(render(w).find("suggested weights are the base model's") == std::string::npos);
  model own = parse_model(segmented_model);
  own.segments->groups[0].categories.push_back({"c", 2.0, {}, json::object()});
  const validation vo = validate_outcome(scorer(t, own));
  CHECK(std::find_if(vo.warnings.begin(), vo.warnings.end(), [](const message& w) {
          return render(w).find("The suggested weights are the base model's") == 0;
        }) != vo.warnings.end());
}

TEST_CASE("a segment's AUC is the AUC of its accounts alone, DeLong interval included") {
  rng r(7);
  std::vector<std::vector<std::string>> rows;
  for (int i = 0; i < 400; ++i) {
    const bool pro = r.uniform() < 0.4;
    const double x = std::floor(r.uniform() * 100);
    const bool churn = r.uniform() < (pro ? 0.6 - x / 200 : 0.4);
    rows.push_back({std::to_string(i), pro ? "Pro" : "Basic", std::to_string(x), "1", churn ? "yes" : "no"});
  }
  const table t = make_table({"id", "tier", "x", "mrr", "churn"}, rows);
  const scorer s(t, parse_model(segmented_model));
  const validation v = validate_outcome(s, {200, false, false, false, nullptr});
  const outcome_labels labels = label_outcomes(t, *s.current_model().outcome);
  for (const int k : {0, static_cast<int>(other_segment)}) {
    std::vector<double> sc;
    outcome_labels lb;
    for (const std::uint32_t row : s.segment_rows(k)) {
      sc.push_back(s.scores()[row]);
      lb.push_back(labels[row]);
    }
    const auc_estimate alone = auc_with_interval(sc, lb);
    const segment_validation& sv = v.segments[k < 0 ? 1 : 0];
    CHECK(sv.auc.auc == doctest::Approx(pairwise_auc(sc, lb)));
    CHECK(sv.auc.auc == doctest::Approx(alone.auc));
    CHECK(sv.auc.se == doctest::Approx(alone.se));
    CHECK(sv.auc.good + sv.auc.bad == sc.size());
  }
}

TEST_CASE("comparing two dates counts each segment of the new file, and accounts that changed segment") {
  const char* model_text = R"json({
    "version": 1, "id_column": "id",
    "categories": [ { "id": "c", "signals": [ { "column": "x", "rule": { "type": "linear", "min": 0, "max": 100 } } ] } ],
    "segments": { "column": "tier", "other_label": "Rest", "groups": [
      { "id": "pro", "label": "Pro", "values": ["Pro"],
        "bands": [ { "id": "red", "max": 60 }, { "id": "yellow", "max": 80 }, { "id": "green", "max": 100 } ] } ] }
  })json";
  const table old_t = make_table({"id", "tier", "x"}, {{"a", "Pro", "70"}, {"b", "Basic", "40"}, {"c", "Pro", "50"}});
  const table new_t = make_table({"id", "tier", "x"}, {{"a", "Pro", "50"}, {"b", "Pro", "65"}, {"c", "Basic", "80"}});
  const model m = parse_model(model_text);
  const scorer so(old_t, m), sn(new_t, m);
  const comparison c = compare_scores(so, sn);
  // a: Pro yellow -> Pro red (-20); b: Rest red -> Pro yellow (+25); c: Pro red -> Rest green (+30).
  CHECK(c.changed_segment == 2);
  REQUIRE(c.segments.size() == 2);
  const segment_change& pro = c.segments[0];
  CHECK(pro.label == "Pro");
  CHECK(pro.matched == 2);
  CHECK(pro.scored_both == 2);
  CHECK(pro.mean_change == doctest::Approx(2.5));
  CHECK(pro.band_up == 1);
  CHECK(pro.band_down == 1);
  CHECK(pro.newly_red == 1);
  CHECK(pro.moved_in == 1);
  const segment_change& rest = c.segments[1];
  CHECK(rest.id.empty());
  CHECK(rest.label == "Rest");
  CHECK(rest.matched == 1);
  CHECK(rest.mean_change == doctest::Approx(30));
  CHECK(rest.band_up == 1);
  CHECK(rest.moved_in == 1);
  CHECK(rest.newly_red == 0);
  CHECK(c.newly_red.size() == 1);
  const json j = comparison_to_json(c);
  CHECK(j["segments"][0]["band_moves"]["down"] == 1);
  CHECK(j["changed_segment"] == 2);
  CHECK(comparison_to_text(c).find("By segment (in the new file; 2 accounts changed segment)") != std::string::npos);
  // Without segments the comparison has none.
  model plain = m;
  plain.segments.reset();
  CHECK(compare_scores(scorer(old_t, plain), scorer(new_t, plain)).segments.empty());
}

TEST_CASE("outcome labels fold case as map keys do, accented capitals included (Sí, SÍ and sí are one label)") {
  read_options ro;
  ro.source = "cuentas.csv";
  const table t = read_csv("Código;Canceló\nA;Sí\nB;SÍ\nC; sí \nD;No\nE;\nF;NO\n", ro);
  outcome o;
  o.column = "Canceló";
  o.positive = {"SÍ"};
  const outcome_labels l = label_outcomes(t, o);
  REQUIRE(l.size() == 6);
  // Positive "churned" is bad news: 0 marks the accounts that churned, 1 those that stayed.
  CHECK(l[0] == l[1]);
  CHECK(l[1] == l[2]);
  CHECK(l[3] == l[5]);
  CHECK(l[0] != l[3]);
  CHECK(l[4] == -1);
}
