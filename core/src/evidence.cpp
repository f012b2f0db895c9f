// SPDX-License-Identifier: MIT
#include "healthscore/evidence.hpp"
#include "healthscore/export.hpp"
#include "healthscore/order.hpp"
#include "detail/unicode.hpp"
#include "detail/accounts.hpp"
#include "detail/evidence_format.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <string_view>
#include <utility>

namespace healthscore {

using namespace detail;  // the shared number and text formatting (detail/evidence_format.hpp)

namespace {

constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();
constexpr double z95 = 1.959963984540054;  // two-sided 95% normal quantile

// 1-based midranks (ties share the mean of their ranks) of `v`, which holds no NaN. The order comes
// from order_by's radix sort (a comparison sort of a million indexes was most of validate's time);
// ranks depend only on which values are equal, not on the order within a tie.
std::vector<double> midranks(const std::vector<double>& v) {
  const std::size_t n = v.size();
  const std::vector<std::uint32_t> order = order_by(v, false);
  std::vector<double> r(n);
  std::size_t i = 0;
  while (i < n) {
    std::size_t j = i + 1;
    while (j < n && v[order[j]] == v[order[i]]) ++j;
    const double mid = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    for (std::size_t k = i; k < j; ++k) r[order[k]] = mid;
    i = j;
  }
  return r;
}

// DeLong's structural components of one score on fixed sets of good (x) and bad (y) values:
// v10[i] = share of bad accounts below x[i] (ties 1/2), v01[j] = share of good accounts above y[j].
// Computed from midranks (Sun & Xu 2014), O(n log n).
struct components {
  std::vector<double> v10, v01;
  double auc = nan_v;
};

components structural_components(const std::vector<double>& x, const std::vector<double>& y) {
  components c;
  const std::size_t m = x.size(), n = y.size();
  if (m == 0 || n == 0) return c;
  std::vector<double> z(x);
  z.insert(z.end(), y.begin(), y.end());
  const std::vector<double> rz = midranks(z), rx = midranks(x), ry = midranks(y);
  c.v10.resize(m);
  c.v01.resize(n);
  double sum = 0;
  for (std::size_t i = 0; i < m; ++i) {
    c.v10[i] = (rz[i] - rx[i]) / static_cast<double>(n);
    sum += c.v10[i];
  }
  for (std::size_t j = 0; j < n; ++j) c.v01[j] = 1.0 - (rz[m + j] - ry[j]) / static_cast<double>(m);
  c.auc = sum / static_cast<double>(m);
  return c;
}

double covariance(const std::vector<double>& a, const std::vector<double>& b) {
  const std::size_t n = a.size();
  if (n < 2) return nan_v;
  const double ma = std::accumulate(a.begin(), a.end(), 0.0) / static_cast<double>(n);
  const double mb = std::accumulate(b.begin(), b.end(), 0.0) / static_cast<double>(n);
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) s += (a[i] - ma) * (b[i] - mb);
  return s / static_cast<double>(n - 1);
}

void set_interval(auc_estimate& e, const components& c) {
  e.auc = c.auc;
  if (c.v10.size() < 2 || c.v01.size() < 2) return;
  const double var = covariance(c.v10, c.v10) / static_cast<double>(c.v10.size()) +
                     covariance(c.v01, c.v01) / static_cast<double>(c.v01.size());
  e.se = std::sqrt(std::max(var, 0.0));
  e.lo = std::max(0.0, e.auc - z95 * e.se);
  e.hi = std::min(1.0, e.auc + z95 * e.se);
}

// AUC only (no components): for the weight search, which evaluates it many times.
double auc_only(const std::vector<double>& score, const outcome_labels& labels) {
  std::vector<double> v;
  std::vector<std::int8_t> g;
  v.reserve(score.size());
  g.reserve(score.size());
  for (std::size_t i = 0; i < score.size() && i < labels.size(); ++i) {
    if (labels[i] < 0 || std::isnan(score[i])) continue;
    v.push_back(score[i]);
    g.push_back(labels[i]);
  }
  const std::vector<double> r = midranks(v);
  double m = 0, n = 0, rank_sum = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (g[i]) {
      m += 1;
      rank_sum += r[i];
    } else {
      n += 1;
    }
  }
  if (m == 0 || n == 0) return nan_v;
  return (rank_sum - m * (m + 1) / 2) / (m * n);
}

std::uint64_t hash_text(std::string_view s) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a, then a splitmix64 finish for good low bits
  for (unsigned char ch : s) {
    h ^= ch;
    h *= 1099511628211ull;
  }
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  h ^= h >> 31;
  return h;
}

// Whole numbers summing to 100 in proportion to `w` (largest remainder; equal when all are 0).
std::vector<double> to_percent_integers(const std::vector<double>& w) {
  const std::size_t k = w.size();
  std::vector<double> out(k, 0);
  if (k == 0) return out;
  double total = 0;
  for (double x : w) total += std::max(x, 0.0);
  std::vector<double> share(k);
  for (std::size_t i = 0; i < k; ++i)
    share[i] = total > 0 ? 100.0 * std::max(w[i], 0.0) / total : 100.0 / static_cast<double>(k);
  int given = 0;
  std::vector<std::pair<double, std::size_t>> rem;
  for (std::size_t i = 0; i < k; ++i) {
    out[i] = std::floor(share[i]);
    given += static_cast<int>(out[i]);
    rem.emplace_back(share[i] - out[i], i);
  }
  std::stable_sort(rem.begin(), rem.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t i = 0; given < 100 && i < rem.size(); ++i, ++given) out[rem[i].second] += 1;
  return out;
}

}  // namespace

// ---- formatting helpers -----------------------------------------------------------------------

double evidence_round(double x, int digits) {
  if (!std::isfinite(x)) return x;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  double r = std::strtod(buf, nullptr);
  return r == 0 ? 0.0 : r;  // no "-0.0"
}

namespace {

/// An AUC or one of its bounds as the reports print it: rounded once, then shown with the decimal
/// mark of the language the message is rendered in.
double auc_figure(double x) { return evidence_round(x, auc_digits); }

/// A gain with its sign: "+0.012", "-0.004", "0.000".
message signed_figure(double x) {
  const double r = auc_figure(x);
  return message(r > 0 ? "evidence.signed_plus" : "evidence.signed").fixed("x", r, auc_digits);
}

/// "more 'Churned'" (or "fewer" when the positive outcome is good), worded by each language.
message outcome_words(const validation& v) {
  return message(v.positive_is_good ? "evidence.fewer" : "evidence.more").text("column", v.outcome_column);
}

}  // namespace

// ---- outcome labels ---------------------------------------------------------------------------

bool outcome_is_good(const outcome& o) {
  const auto it = o.extra.find("good");
  return it != o.extra.end() && it->is_boolean() && it->get<bool>();
}

outcome_labels label_outcomes(const table& t, const outcome& o) {
  const std::ptrdiff_t col = t.find(o.column);
  if (col < 0)
    throw input_error(message("evidence.outcome_not_in_table").text("column", o.column).text("source", t.source));
  std::vector<std::string> positive;
  for (const std::string& p : o.positive) positive.push_back(detail::fold_case(p));
  const bool good = outcome_is_good(o);
  const column& c = t.columns[static_cast<std::size_t>(col)];
  outcome_labels out(t.rows, -1);
  for (std::size_t r = 0; r < t.rows && r < c.size(); ++r) {
    const std::string_view text = trim(c.text(r));
    if (c.is_empty(r) || text.empty()) continue;
    const std::string v = detail::fold_case(text);
    const bool pos = std::find(positive.begin(), positive.end(), v) != positive.end();
    out[r] = static_cast<std::int8_t>(pos == good ? 1 : 0);
  }
  return out;
}

// ---- AUC, DeLong, ROC -------------------------------------------------------------------------

auc_estimate auc_with_interval(const std::vector<double>& score, const outcome_labels& labels) {
  auc_estimate e;
  std::vector<double> x, y;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const double s = i < score.size() ? score[i] : nan_v;
    if (labels[i] < 0 || std::isnan(s)) {
      ++e.left_out;
      continue;
    }
    (labels[i] ? x : y).push_back(s);
  }
  e.good = x.size();
  e.bad = y.size();
  set_interval(e, structural_components(x, y));
  return e;
}

auc_difference compare_auc(const std::vector<double>& a, const std::vector<double>& b, const outcome_labels& labels) {
  auc_difference d;
  std::vector<double> xa, ya, xb, yb;
  std::size_t left_out = 0;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const double sa = i < a.size() ? a[i] : nan_v, sb = i < b.size() ? b[i] : nan_v;
    if (labels[i] < 0 || std::isnan(sa) || std::isnan(sb)) {
      ++left_out;
      continue;
    }
    if (labels[i]) {
      xa.push_back(sa);
      xb.push_back(sb);
    } else {
      ya.push_back(sa);
      yb.push_back(sb);
    }
  }
  const components ca = structural_components(xa, ya), cb = structural_components(xb, yb);
  for (auc_estimate* e : {&d.a, &d.b}) {
    e->good = xa.size();
    e->bad = ya.size();
    e->left_out = left_out;
  }
  set_interval(d.a, ca);
  set_interval(d.b, cb);
  if (std::isnan(ca.auc) || std::isnan(cb.auc)) return d;
  d.diff = cb.auc - ca.auc;
  if (xa.size() < 2 || ya.size() < 2) return d;
  const double m = static_cast<double>(xa.size()), n = static_cast<double>(ya.size());
  const double var = (covariance(ca.v10, ca.v10) + covariance(cb.v10, cb.v10) - 2 * covariance(ca.v10, cb.v10)) / m +
                     (covariance(ca.v01, ca.v01) + covariance(cb.v01, cb.v01) - 2 * covariance(ca.v01, cb.v01)) / n;
  d.se = std::sqrt(std::max(var, 0.0));
  d.lo = d.diff - z95 * d.se;
  d.hi = d.diff + z95 * d.se;
  return d;
}

std::vector<roc_point> roc_curve(const std::vector<double>& score, const outcome_labels& labels,
                                 std::size_t max_points) {
  std::vector<double> v;
  std::vector<std::int8_t> g;
  for (std::size_t i = 0; i < labels.size() && i < score.size(); ++i)
    if (labels[i] >= 0 && !std::isnan(score[i])) {
      v.push_back(score[i]);
      g.push_back(labels[i]);
    }
  double m = 0, n = 0;
  for (const std::int8_t x : g) (x ? m : n) += 1;
  std::vector<roc_point> pts;
  if (m == 0 || n == 0) return pts;
  // Highest score first; a tie is taken whole, so the order within it does not matter.
  const std::vector<std::uint32_t> order = order_by(v, true);
  pts.push_back({0, 0});
  double tp = 0, fp = 0;
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j < order.size() && v[order[j]] == v[order[i]]) (g[order[j++]] ? tp : fp) += 1;
    pts.push_back({fp / n, tp / m});
    i = j;
  }
  if (max_points < 2) max_points = 2;
  if (pts.size() <= max_points) return pts;
  std::vector<roc_point> thin;
  const std::size_t last = pts.size() - 1;
  for (std::size_t k = 0; k < max_points; ++k) {
    const std::size_t idx = (k * last + (max_points - 1) / 2) / (max_points - 1);
    thin.push_back(pts[std::min(idx, last)]);
  }
  thin.front() = pts.front();
  thin.back() = pts.back();
  return thin;
}

// ---- suggested weights ------------------------------------------------------------------------

std::vector<bool> training_rows(const table& t, const std::string& id_column, double train_share) {
  const std::ptrdiff_t col = id_column.empty() ? -1 : t.find(id_column);
  std::vector<bool> out(t.rows);
  for (std::size_t r = 0; r < t.rows; ++r) {
    std::string key;
    if (col >= 0) key = std::string(trim(t.columns[static_cast<std::size_t>(col)].text(r)));
    if (key.empty()) key = "row " + std::to_string(r);
    const double u = static_cast<double>(hash_text(key) >> 11) * 0x1.0p-53;
    out[r] = u < train_share;
  }
  return out;
}

std::vector<double> combine_categories(const std::vector<std::vector<double>>& category_scores,
                                       const std::vector<double>& weights) {
  std::size_t rows = 0;
  for (const auto& c : category_scores) rows = std::max(rows, c.size());
  std::vector<double> num_(rows, 0), den(rows, 0);
  for (std::size_t k = 0; k < category_scores.size() && k < weights.size(); ++k) {
    const double w = weights[k];
    if (!(w > 0)) continue;
    const auto& c = category_scores[k];
    for (std::size_t r = 0; r < c.size(); ++r) {
      if (std::isnan(c[r])) continue;
      num_[r] += w * c[r];
      den[r] += w;
    }
  }
  std::vector<double> out(rows);
  for (std::size_t r = 0; r < rows; ++r) out[r] = den[r] > 0 ? num_[r] / den[r] : nan_v;
  return out;
}

namespace {

// Pattern search over whole-number weights summing to 100: move `step` points from one category to
// another while the training AUC rises; then smaller steps. One weighting tried per `advance` call,
// so the search can stop anywhere and go on later; the order of the tries, and so the result, is
// the same however it is sliced.
class climb {
 public:
  climb(const std::vector<std::vector<double>>& cs, std::vector<double> w, const outcome_labels& train,
        std::uint64_t limit)
      : cs_(cs),
        train_(train),
        w_(std::move(w)),
        k_(w_.size()),
        limit_(limit),
        cost_(static_cast<std::uint64_t>(train.size()) * (k_ + weight_search_sort_units)) {}

  bool done() const noexcept { return done_; }
  bool stopped() const noexcept { return stopped_; }
  void skip() noexcept { done_ = true; }
  std::uint64_t spent() const noexcept { return spent_; }
  std::size_t tries() const noexcept { return tries_; }
  const std::vector<double>& weights() const noexcept { return w_; }
  double best() const noexcept { return best_; }

  // Tries one weighting (the first: where the climb starts). Out of work, the climb ends with the
  // best weighting it has seen, the round's best move included.
  void advance() {
    if (done_) return;
    if (!started_) {
      started_ = true;
      best_ = f(w_);
      begin_round();
      return;
    }
    // The next candidate of this round: from category i to j.
    while (i_ < k_) {
      if (w_[i_] <= 0 || j_ >= k_) {
        ++i_;
        j_ = 0;
        continue;
      }
      if (j_ == i_) {
        ++j_;
        continue;
      }
      if (spent_ + cost_ > limit_) {
        stop();
        return;
      }
      const double d = std::min(steps[step_], w_[i_]);
      std::vector<double> t = w_;
      t[i_] -= d;
      t[j_] += d;
      const double v = f(t);
      if (v > round_best_ + 1e-12) {
        round_best_ = v;
        bi_ = i_;
        bj_ = j_;
        bd_ = d;
      }
      ++j_;
      return;
    }
    end_round();
  }

 private:
  static constexpr double steps[] = {20.0, 10.0, 5.0, 2.0, 1.0};
  static constexpr int max_rounds = 200;  // per step

  double f(const std::vector<double>& ww) {
    spent_ += cost_;
    ++tries_;
    const double a = auc_only(combine_categories(cs_, ww), train_);
    return std::isnan(a) ? -1.0 : a;
  }
  void begin_round() {
    round_best_ = best_;
    bi_ = bj_ = k_;
    bd_ = 0;
    i_ = j_ = 0;
  }
  void end_round() {
    if (bi_ == k_) {  // no move helps at this step: a smaller one
      next_step();
    } else {
      w_[bi_] -= bd_;
      w_[bj_] += bd_;
      best_ = round_best_;
      if (++round_ == max_rounds) next_step();
    }
    if (!done_) begin_round();
  }
  void next_step() {
    round_ = 0;
    if (++step_ == std::size(steps)) done_ = true;
  }
  void stop() {
    if (bi_ != k_) {
      w_[bi_] -= bd_;
      w_[bj_] += bd_;
      best_ = round_best_;
    }
    stopped_ = done_ = true;
  }

  const std::vector<std::vector<double>>& cs_;
  const outcome_labels& train_;
  std::vector<double> w_;
  std::size_t k_;
  std::uint64_t limit_, cost_, spent_ = 0;
  std::size_t tries_ = 0;
  bool started_ = false, done_ = false, stopped_ = false;
  double best_ = -1;
  std::size_t step_ = 0;
  int round_ = 0;
  std::size_t i_ = 0, j_ = 0, bi_ = 0, bj_ = 0;
  double round_best_ = -1, bd_ = 0;
};

}  // namespace

struct weight_search::state {
  std::vector<std::vector<double>> category_scores;
  outcome_labels labels;
  std::vector<bool> train;
  weight_suggestion ws;
  double total = 0;
  outcome_labels tr, te;
  std::vector<double> cur_scores;
  std::size_t stride = 1;
  std::vector<std::vector<double>> search_scores;
  outcome_labels search_labels;
  std::optional<climb> from_current, from_equal;
  bool done = false;
};

weight_search::weight_search(std::vector<std::vector<double>> category_scores,
                             const std::vector<double>& current_weights, outcome_labels labels, std::vector<bool> train,
                             std::uint64_t work_limit)
    : p_(std::make_unique<state>()) {
  state& p = *p_;
  p.category_scores = std::move(category_scores);
  p.labels = std::move(labels);
  p.train = std::move(train);
  const auto& cs = p.category_scores;
  weight_suggestion& ws = p.ws;
  const std::size_t k = cs.size();
  for (std::size_t i = 0; i < k && i < current_weights.size(); ++i) p.total += std::max(current_weights[i], 0.0);
  ws.current.assign(k, 0);
  for (std::size_t i = 0; i < k && i < current_weights.size(); ++i)
    ws.current[i] = p.total > 0 ? 100.0 * std::max(current_weights[i], 0.0) / p.total : 0;

  p.tr.assign(p.labels.size(), -1);
  p.te.assign(p.labels.size(), -1);
  for (std::size_t r = 0; r < p.labels.size(); ++r) {
    const bool in_train = r < p.train.size() && p.train[r];
    (in_train ? p.tr : p.te)[r] = p.labels[r];
  }
  p.cur_scores = combine_categories(cs, ws.current);
  for (std::size_t r = 0; r < p.labels.size(); ++r) {
    if (p.labels[r] < 0 || r >= p.cur_scores.size() || std::isnan(p.cur_scores[r])) continue;
    ++(r < p.train.size() && p.train[r] ? ws.train_rows : ws.test_rows);
  }
  ws.train_auc_current = auc_only(p.cur_scores, p.tr);

  p.done = true;
  if (k == 0) {
    ws.verdict = message("evidence.verdict.no_categories");
    return;
  }
  if (k == 1) {
    ws.suggested = {100};
    ws.train_auc_suggested = ws.train_auc_current;
    ws.test = compare_auc(p.cur_scores, p.cur_scores, p.te);
    ws.verdict = message("evidence.verdict.one_category");
    return;
  }
  if (std::isnan(ws.train_auc_current) && p.total > 0) {
    ws.suggested = ws.current;
    ws.verdict = message("evidence.verdict.too_few");
    return;
  }
  p.done = false;

  // The search needs only the training accounts with a known outcome, packed together; past the cap,
  // every k-th of them in row order (an even sample, whatever order the file is in).
  std::vector<std::size_t> known_train;
  for (std::size_t r = 0; r < p.tr.size(); ++r)
    if (p.tr[r] >= 0) known_train.push_back(r);
  p.stride = std::max<std::size_t>(1, (known_train.size() + weight_search_cap - 1) / weight_search_cap);
  p.search_scores.resize(k);
  for (std::size_t j = 0; j < known_train.size(); j += p.stride) {
    const std::size_t r = known_train[j];
    for (std::size_t c = 0; c < k; ++c) p.search_scores[c].push_back(r < cs[c].size() ? cs[c][r] : nan_v);
    p.search_labels.push_back(p.tr[r]);
  }
  ws.search_rows = p.search_labels.size();
  ws.search_sampled = p.stride > 1;
  // Two climbs, each with half the work; one with all of it when both would start from the same
  // weights (equal current weights), as the second would only repeat the first.
  std::vector<double> start = to_percent_integers(p.total > 0 ? ws.current : std::vector<double>(k, 1));
  std::vector<double> equal = to_percent_integers(std::vector<double>(k, 1));
  const bool same_start = start == equal;
  p.from_current.emplace(p.search_scores, std::move(start), p.search_labels, same_start ? work_limit : work_limit / 2);
  p.from_equal.emplace(p.search_scores, std::move(equal), p.search_labels, same_start ? 0 : work_limit / 2);
  if (same_start) p.from_equal->skip();
}

weight_search::~weight_search() = default;
weight_search::weight_search(weight_search&&) noexcept = default;
weight_search& weight_search::operator=(weight_search&&) noexcept = default;

bool weight_search::done() const noexcept { return p_->done; }

bool weight_search::advance(std::uint64_t work) {
  state& p = *p_;
  std::uint64_t spent = 0;
  while (!p.done && spent < work) {
    climb& c = !p.from_current->done() ? *p.from_current : *p.from_equal;
    const std::uint64_t before = c.spent();
    c.advance();
    spent += c.spent() - before + 1;  // + 1: a step that tried nothing still moves on
    if (p.from_current->done() && p.from_equal->done()) finish();
  }
  return p.done;
}

void weight_search::finish() {
  state& p = *p_;
  weight_suggestion& ws = p.ws;
  const std::size_t k = p.category_scores.size();
  const climb& a = *p.from_current;
  const climb& b = *p.from_equal;
  const climb& best = b.best() > a.best() + 1e-12 ? b : a;
  ws.suggested = best.weights();
  ws.search_tries = a.tries() + b.tries();
  ws.search_stopped = a.stopped() || b.stopped();
  const std::vector<double> sug_scores = combine_categories(p.category_scores, ws.suggested);
  ws.train_auc_suggested = p.stride == 1 ? (best.best() < 0 ? nan_v : best.best()) : auc_only(sug_scores, p.tr);

  ws.test = compare_auc(p.cur_scores, sug_scores, p.te);
  ws.checked = ws.test.a.good >= 10 && ws.test.a.bad >= 10 && std::isfinite(ws.test.se);
  const message figures = message("evidence.figures")
                              .fixed("from", auc_figure(ws.test.a.auc), auc_digits)
                              .fixed("to", auc_figure(ws.test.b.auc), auc_digits)
                              .nested("gain", signed_figure(ws.test.diff))
                              .nested("lo", signed_figure(ws.test.lo))
                              .nested("hi", signed_figure(ws.test.hi));
  bool same = true;
  for (std::size_t i = 0; i < k; ++i) same = same && std::fabs(ws.suggested[i] - ws.current[i]) < 1e-9;
  if (same) {
    ws.verdict = message("evidence.verdict.already_best");
  } else if (!ws.checked) {
    ws.verdict = message("evidence.verdict.not_checked");
  } else if (ws.test.lo > 0 && ws.test.b.lo > 0.5) {
    ws.reliable = true;
    ws.verdict = message("evidence.verdict.reliable").nested("figures", figures);
  } else if (ws.test.hi < 0) {
    ws.verdict = message("evidence.verdict.worse").nested("figures", figures);
  } else if (ws.test.lo > 0) {
    // The gain clears the noise only because the current weights do worse than chance on these rows;
    // a score that does not itself beat chance on held-out accounts is no evidence of anything.
    ws.verdict = message("evidence.verdict.not_above_chance")
                     .nested("figures", figures)
                     .fixed("lo", auc_figure(ws.test.b.lo), auc_digits)
                     .fixed("hi", auc_figure(ws.test.b.hi), auc_digits);
  } else {
    ws.verdict = message("evidence.verdict.noise").nested("figures", figures);
  }
  p.done = true;
}

weight_suggestion weight_search::result() const { return p_->ws; }

weight_suggestion suggest_weights(const std::vector<std::vector<double>>& category_scores,
                                  const std::vector<double>& current_weights, const outcome_labels& labels,
                                  const std::vector<bool>& train) {
  weight_search search(category_scores, current_weights, labels, train);
  search.advance();
  return search.result();
}

model with_suggested_weights(const model& m, const weight_suggestion& w) {
  if (w.suggested.size() != m.categories.size())
    throw model_error(message("evidence.weights_size")
                          .count("suggested", w.suggested.size())
                          .count("categories", m.categories.size()));
  model out = m;
  for (std::size_t i = 0; i < out.categories.size(); ++i) out.categories[i].weight = w.suggested[i];
  out.name += " (suggested weights)";
  return out;
}

// ---- validate ---------------------------------------------------------------------------------

std::vector<sensitivity_row> band_sensitivity(const scorer& s) {
  std::vector<sensitivity_row> out;
  const model& m = s.current_model();
  const std::vector<std::int8_t> base = s.bands();
  scorer copy = s;
  for (std::size_t c = 0; c < m.categories.size(); ++c) {
    const double w = m.categories[c].weight;
    if (!(w > 0)) continue;
    sensitivity_row row{m.categories[c].id, m.categories[c].label, w, 0, 0};
    for (const double f : {0.9, 1.1}) {
      copy.set_category_weight(c, w * f);
      std::size_t changed = 0;
      const auto& b = copy.bands();
      for (std::size_t r = 0; r < base.size() && r < b.size(); ++r) changed += b[r] != base[r];
      (f < 1 ? row.changed_down : row.changed_up) = changed;
    }
    copy.set_category_weight(c, w);
    out.push_back(std::move(row));
  }
  return out;
}

namespace {

/// A fast 64-bit hash of a vector's bytes, eight at a time (a multiply-xorshift mix per word).
template <class T>
std::uint64_t hash_words(const std::vector<T>& v) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(v.data());
  const std::size_t n = v.size() * sizeof(T);
  std::uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, bytes + i, 8);
    h = (h ^ w) * 0xff51afd7ed558ccdull;
    h ^= h >> 32;
  }
  for (; i < n; ++i) h = (h ^ bytes[i]) * 0x100000001b3ull;
  h ^= h >> 29;
  h *= 0xc4ceb9fe1a85ec53ull;
  return h ^ (h >> 32);
}

}  // namespace

validation_cache::entry& validation_cache::at(const std::vector<double>& score, const outcome_labels& labels,
                                              bool& found) {
  const key k{hash_words(score), hash_words(labels), score.size(), labels.size()};
  for (auto& [kk, e] : entries_)
    if (kk == k) {
      found = true;
      ++hits;
      return e;
    }
  found = false;
  ++misses;
  if (entries_.size() >= capacity) entries_.clear();
  return entries_.emplace_back(k, entry{}).second;
}

validation validate_outcome(const scorer& s, const validation_options& options) {
  const model& m = s.current_model();
  if (!m.outcome || m.outcome->column.empty()) throw input_error(message("evidence.no_outcome"));
  return validate_labels(s, label_outcomes(s.data(), *m.outcome), *m.outcome, options);
}

validation validate_labels(const scorer& s, const outcome_labels& labels, const outcome& o,
                           const validation_options& options) {
  const model& m = s.current_model();
  const table& t = s.data();
  if (labels.size() != t.rows)
    throw input_error(message("evidence.labels_size").count("labels", labels.size()).count("rows", t.rows));
  validation v;
  v.outcome_column = o.column;
  v.positive = o.positive;
  v.positive_is_good = outcome_is_good(o);
  const auto& scores = s.scores();
  const auto& bands = s.bands();
  v.rows = t.rows;
  // pos_of: whether a known label is the positive outcome.
  auto positive_of = [&](std::int8_t l) { return (l == 1) == v.positive_is_good; };
  std::size_t scored_known = 0, scored_pos = 0;
  for (std::size_t r = 0; r < t.rows; ++r) {
    const bool scored = r < scores.size() && !std::isnan(scores[r]);
    v.scored += scored;
    if (labels[r] < 0) {
      ++v.unknown;
      continue;
    }
    ++v.known;
    const bool pos = positive_of(labels[r]);
    (pos ? v.positives : v.negatives) += 1;
    if (scored) {
      ++scored_known;
      scored_pos += pos;
    }
  }
  if (scored_known > 0) v.base_rate = static_cast<double>(scored_pos) / static_cast<double>(scored_known);
  if (v.positives == 0 || v.negatives == 0) v.warnings.push_back(message("evidence.warn.one_outcome"));
  if (v.unknown > 0)
    v.warnings.push_back(
        message("evidence.warn.unknown_rows").count("count", v.unknown).text("column", v.outcome_column));
  for (const auto& c : m.categories)
    for (const auto& sg : c.signals)
      if (trim(sg.column) == trim(v.outcome_column))
        v.warnings.push_back(message("evidence.warn.outcome_scored").text("column", v.outcome_column));

  const message more = outcome_words(v);
  auto judge = [&](discrimination& d, const std::vector<double>& sc, bool roc) {
    bool found = false;
    validation_cache::entry* kept = options.cache ? &options.cache->at(sc, labels, found) : nullptr;
    if (found) {
      d.auc = kept->auc;
    } else {
      d.auc = auc_with_interval(sc.size() == t.rows ? sc : std::vector<double>(t.rows, nan_v), labels);
      if (kept) kept->auc = d.auc;
    }
    if (roc) {
      if (kept && kept->has_roc && kept->roc_points == options.roc_points) {
        d.roc = kept->roc;
      } else {
        d.roc = roc_curve(sc, labels, options.roc_points);
        if (kept) {
          kept->roc = d.roc;
          kept->has_roc = true;
          kept->roc_points = options.roc_points;
        }
      }
    }
    if (!std::isnan(d.auc.hi) && d.auc.hi < 0.5) {
      d.wrong_direction = true;
      const message ci = message("evidence.auc_ci")
                             .fixed("auc", auc_figure(d.auc.auc), auc_digits)
                             .fixed("lo", auc_figure(d.auc.lo), auc_digits)
                             .fixed("hi", auc_figure(d.auc.hi), auc_digits);
      message w(d.kind == "health"     ? "evidence.warn.health_wrong_way"
                : d.kind == "category" ? "evidence.warn.category_wrong_way"
                                       : "evidence.warn.signal_wrong_way");
      if (d.kind != "health") w.text("label", d.label);
      w.nested("more", more).nested("ci", ci);
      d.warning = w;
      v.warnings.push_back(std::move(w));
    }
  };

  v.health.kind = "health";
  v.health.id = "health";
  v.health.label = "Health score";
  v.health.weight = 100;
  judge(v.health, scores, true);
  std::vector<std::vector<double>> cat_scores;
  std::vector<double> cat_weights;
  for (std::size_t c = 0; c < m.categories.size(); ++c) {
    const auto& cs = s.category_scores(c);
    cat_scores.push_back(cs.size() == t.rows ? cs : std::vector<double>(t.rows, nan_v));
    cat_weights.push_back(m.categories[c].weight);
    if (!options.components) continue;
    discrimination d;
    d.kind = "category";
    d.id = m.categories[c].id;
    d.label = m.categories[c].label.empty() ? m.categories[c].id : m.categories[c].label;
    d.category = c;
    d.weight = m.categories[c].weight;
    judge(d, cs, true);
    v.categories.push_back(std::move(d));
    for (std::size_t g = 0; g < m.categories[c].signals.size(); ++g) {
      discrimination ds;
      ds.kind = "signal";
      ds.id = m.categories[c].id + "/" + m.categories[c].signals[g].column;
      ds.label = m.categories[c].signals[g].column;
      ds.category = c;
      ds.signal = g;
      ds.weight = m.categories[c].signals[g].weight;
      judge(ds, s.signal_scores(c, g), options.roc_for_signals);
      v.signals.push_back(std::move(ds));
    }
  }

  // Outcome rate (and value-weighted rate) per band, over every account or one segment's.
  const std::size_t nb = m.bands.size();
  std::optional<cell_values<double>> values;
  v.has_value = !m.value_column.empty();
  v.value_column = m.value_column;
  if (v.has_value)
    if (const auto vc = t.find(m.value_column); vc >= 0) values = t.columns[static_cast<std::size_t>(vc)].numbers();
  auto value_of = [&](std::size_t r) {
    const double x = values && r < values->size() ? (*values)[r] : nan_v;
    return x == x ? x : 0.0;
  };
  const auto& row_segments = s.segments();
  // Fills `out` from the rows of segment `k` (all rows for k == all); returns the value base rate.
  constexpr int all = -2;
  auto band_figures = [&](std::vector<band_outcome>& out, const model& bm, int k, double base_rate) {
    out.assign(nb, band_outcome{});
    for (std::size_t b = 0; b < nb; ++b) {
      out[b].id = bm.bands[b].id;
      out[b].label = bm.bands[b].label.empty() ? bm.bands[b].id : bm.bands[b].label;
    }
    std::size_t scored = 0;
    double scored_value = 0, known_value = 0, positive_value = 0;
    for (std::size_t r = 0; r < t.rows && r < bands.size(); ++r) {
      if (k != all && row_segments[r] != k) continue;
      if (bands[r] < 0 || static_cast<std::size_t>(bands[r]) >= nb) continue;
      band_outcome& bo = out[static_cast<std::size_t>(bands[r])];
      const double x = value_of(r);
      ++scored;
      ++bo.accounts;
      bo.value += x;
      scored_value += x;
      if (labels[r] < 0) continue;
      ++bo.known;
      bo.value_known += x;
      known_value += x;
      if (positive_of(labels[r])) {
        ++bo.positive;
        bo.value_positive += x;
        positive_value += x;
      }
    }
    for (auto& bo : out) {
      bo.share = scored ? static_cast<double>(bo.accounts) / static_cast<double>(scored) : nan_v;
      if (bo.known) bo.rate = static_cast<double>(bo.positive) / static_cast<double>(bo.known);
      if (base_rate > 0) bo.lift = bo.rate / base_rate;
      if (v.has_value) {
        if (scored_value != 0) bo.value_share = bo.value / scored_value;
        if (bo.value_known != 0) bo.value_rate = bo.value_positive / bo.value_known;
      }
    }
    return v.has_value && known_value != 0 ? positive_value / known_value : nan_v;
  };
  v.value_base_rate = band_figures(v.bands, m, all, v.base_rate);

  if (m.segments) {
    const auto& groups = m.segments->groups;
    for (std::size_t j = 0; j <= groups.size(); ++j) {
      const int k = j < groups.size() ? static_cast<int>(j) : static_cast<int>(other_segment);
      segment_validation sv;
      sv.id = j < groups.size() ? groups[j].id : std::string();
      sv.label = j < groups.size() ? groups[j].label : m.segments->other_label;
      outcome_labels mine(t.rows, -1);
      std::size_t known_scored = 0, pos_scored = 0;
      for (const std::uint32_t r : s.segment_rows(k)) {
        ++sv.rows;
        const bool scored = !std::isnan(scores[r]);
        sv.scored += scored;
        mine[r] = labels[r];
        if (labels[r] < 0) continue;
        ++sv.known;
        const bool pos = positive_of(labels[r]);
        sv.positives += pos;
        if (scored) {
          ++known_scored;
          pos_scored += pos;
        }
      }
      if (known_scored) sv.base_rate = static_cast<double>(pos_scored) / static_cast<double>(known_scored);
      sv.auc = auc_with_interval(scores, mine);
      sv.auc.left_out -= t.rows - sv.rows;  // only the segment's own rows count as left out
      sv.value_base_rate = band_figures(sv.bands, s.segment_model_of(k), k, sv.base_rate);
      v.segments.push_back(std::move(sv));
    }
  }
  if (nb > 0) {
    const band_outcome& low = v.bands.front();
    pass_mark red;
    red.id = "red_rate";
    red.threshold = 3;
    red.text = message("evidence.check.red")
                   .nested("rate", message(v.positive_is_good ? "evidence.check.not_rate" : "evidence.check.rate")
                                       .text("column", v.outcome_column))
                   .text("band", low.label)
                   .count("threshold", 3);
    const double base_bad = v.positive_is_good ? 1 - v.base_rate : v.base_rate;
    if (low.known > 0 && base_bad > 0) {
      const double low_bad = v.positive_is_good ? 1 - low.rate : low.rate;
      red.value = low_bad / base_bad;
      // 3x a base rate over 1/3 is over 100%: no score can pass, so the mark says nothing.
      red.applicable = red.threshold * base_bad <= 1;
      if (!red.applicable)
        red.text.nested("unreachable", message("evidence.check.unreachable").percent("limit", 1.0 / 3, 1));
      red.pass = red.applicable && evidence_round(red.value, lift_digits) >= red.threshold;
    }
    v.checks.push_back(red);
    const band_outcome& top = v.bands.back();
    pass_mark green;
    green.id = "green_share";
    green.text = message("evidence.check.green").percent("limit", 0.8, 0).text("band", top.label);
    green.threshold = 80;
    if (v.scored > 0) {
      green.value = 100.0 * top.share;
      green.applicable = true;
      green.pass = evidence_round(green.value, pct_digits) <= green.threshold;
    }
    v.checks.push_back(green);
  }

  if (options.suggest && !m.categories.empty()) {
    std::optional<weight_search> search = start_weight_search(s, labels, std::move(cat_scores));
    search->advance();
    add_suggestion(v, m, *search);
  }
  if (options.sensitivity) v.sensitivity = band_sensitivity(s);
  return v;
}

std::optional<weight_search> start_weight_search(const scorer& s, const outcome_labels& labels,
                                                 std::vector<std::vector<double>> category_scores) {
  const model& m = s.current_model();
  const table& t = s.data();
  if (m.categories.empty()) return std::nullopt;
  if (category_scores.empty())
    for (std::size_t c = 0; c < m.categories.size(); ++c) {
      const auto& cs = s.category_scores(c);
      category_scores.push_back(cs.size() == t.rows ? cs : std::vector<double>(t.rows, nan_v));
    }
  std::vector<double> weights;
  for (const auto& c : m.categories) weights.push_back(c.weight);
  return weight_search(std::move(category_scores), weights, labels, training_rows(t, m.id_column));
}

void name_suggestion(weight_suggestion& w, const model& m, std::vector<message>& warnings) {
  for (const auto& c : m.categories) {
    w.ids.push_back(c.id);
    w.labels.push_back(c.label.empty() ? c.id : c.label);
  }
  if (w.search_stopped)
    warnings.push_back(message("evidence.warn.search_stopped")
                           .count("tries", w.search_tries)
                           .count("categories", m.categories.size()));
  if (m.segments) {
    bool own_weights = false;
    for (const segment_group& g : m.segments->groups)
      for (const category_override& co : g.categories) own_weights = own_weights || co.weight.has_value();
    if (own_weights) warnings.push_back(message("evidence.warn.segment_weights"));
  }
}

void add_suggestion(validation& v, const model& m, const weight_search& search) {
  v.weights = search.result();
  v.has_suggestion = true;
  name_suggestion(v.weights, m, v.warnings);
}

// ---- compare ----------------------------------------------------------------------------------

comparison compare_scores(const scorer& older, const scorer& newer, const compare_options& options) {
  const model& m = newer.current_model();
  require_id_column(m, "evidence.no_id_column");
  comparison c;
  c.id_column = m.id_column;
  for (const auto& b : m.bands) {
    c.band_ids.push_back(b.id);
    c.band_labels.push_back(b.label.empty() ? b.id : b.label);
  }
  const table& to = older.data();
  const table& tn = newer.data();
  c.old_rows = to.rows;
  c.new_rows = tn.rows;
  const id_match ix = match_ids({&to, &tn}, m.id_column);
  constexpr std::size_t o_ = 0, n_ = 1;  // the tables in `ix`
  c.empty_id_old = ix.empty[o_];
  c.empty_id_new = ix.empty[n_];
  c.duplicate_old = ix.duplicated[o_];
  c.duplicate_new = ix.duplicated[n_];
  const std::ptrdiff_t name_col = m.name_column.empty() ? -1 : tn.find(m.name_column);
  for (std::size_t i = 0; i < ix.duplicate_ids.size() && i < options.examples; ++i)
    c.duplicate_ids.push_back(ix.duplicate_ids[i]);

  const std::size_t nb = m.bands.size();
  c.transitions.assign(nb + 1, std::vector<std::size_t>(nb + 1, 0));
  const auto& so = older.scores();
  const auto& sn = newer.scores();
  const auto& bo = older.bands();
  const auto& bn = newer.bands();
  double sum = 0;
  for (std::size_t r = 0; r < tn.rows; ++r) {
    const std::size_t k = ix.account_of[n_][r];
    if (k == id_match::none || !ix.single(n_, k)) continue;
    const std::string& id = ix.ids[k];
    if (!ix.present(o_, k)) {
      ++c.only_new;
      if (c.only_new_ids.size() < options.examples) c.only_new_ids.push_back(id);
      continue;
    }
    if (!ix.single(o_, k)) continue;
    account_change a;
    a.id = id;
    if (name_col >= 0) a.name = std::string(trim(tn.columns[static_cast<std::size_t>(name_col)].text(r)));
    a.old_row = ix.first_row[o_][k];
    a.new_row = r;
    a.old_score = so[a.old_row];
    a.new_score = sn[r];
    a.old_band = bo[a.old_row];
    a.new_band = bn[r];
    if (!older.segments().empty()) a.old_segment = older.segments()[a.old_row];
    if (!newer.segments().empty()) a.new_segment = newer.segments()[r];
    if (!std::isnan(a.old_score) && !std::isnan(a.new_score)) {
      a.change = a.new_score - a.old_score;
      sum += a.change;
      ++c.scored_both;
      if (a.new_band > a.old_band)
        ++c.band_up;
      else if (a.new_band < a.old_band)
        ++c.band_down;
      else
        ++c.band_same;
    }
    const std::size_t ob = a.old_band < 0 ? nb : static_cast<std::size_t>(a.old_band);
    const std::size_t nwb = a.new_band < 0 ? nb : static_cast<std::size_t>(a.new_band);
    ++c.transitions[ob][nwb];
    if (a.new_band == 0 && a.old_band != 0) c.newly_red.push_back(c.accounts.size());
    c.accounts.push_back(std::move(a));
  }
  c.matched = c.accounts.size();
  if (c.scored_both) c.mean_change = sum / static_cast<double>(c.scored_both);
  if (m.segments) {
    const auto& groups = m.segments->groups;
    c.segments.resize(groups.size() + 1);
    for (std::size_t j = 0; j <= groups.size(); ++j) {
      c.segments[j].id = j < groups.size() ? groups[j].id : std::string();
      c.segments[j].label = j < groups.size() ? groups[j].label : m.segments->other_label;
    }
    std::vector<double> sums(groups.size() + 1, 0.0);
    for (const account_change& a : c.accounts) {
      const std::size_t j = a.new_segment < 0 ? groups.size() : static_cast<std::size_t>(a.new_segment);
      segment_change& sc = c.segments[j];
      ++sc.matched;
      if (a.old_segment != a.new_segment) {
        ++sc.moved_in;
        ++c.changed_segment;
      }
      if (a.new_band == 0 && a.old_band != 0) ++sc.newly_red;
      if (std::isnan(a.change)) continue;
      ++sc.scored_both;
      sums[j] += a.change;
      if (a.new_band > a.old_band)
        ++sc.band_up;
      else if (a.new_band < a.old_band)
        ++sc.band_down;
      else
        ++sc.band_same;
    }
    for (std::size_t j = 0; j <= groups.size(); ++j)
      if (c.segments[j].scored_both)
        c.segments[j].mean_change = sums[j] / static_cast<double>(c.segments[j].scored_both);
  }
  // Old ids with one row that the new file does not have.
  for (std::size_t r = 0; r < to.rows; ++r) {
    const std::size_t k = ix.account_of[o_][r];
    if (k == id_match::none || !ix.single(o_, k)) continue;
    if (!ix.present(n_, k)) {
      ++c.only_old;
      if (c.only_old_ids.size() < options.examples) c.only_old_ids.push_back(ix.ids[k]);
    }
  }
  // Movers: by the change as printed, so ties on screen are ordered by id, not by invisible digits.
  std::vector<double> changes;
  std::vector<const std::string*> ids;
  for (const account_change& a : c.accounts) {
    changes.push_back(a.change);
    ids.push_back(&a.id);
  }
  c.movers_up = top_movers(changes, ids, true, options.movers, score_digits);
  c.movers_down = top_movers(changes, ids, false, options.movers, score_digits);
  return c;
}

}  // namespace healthscore
