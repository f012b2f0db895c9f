// SPDX-License-Identifier: MIT
// Explanations: each category's and signal's effective share of one account's health score, and the
// smallest change of raw values that lifts the account into the next band.
//
// The lift is searched and checked with a what-if of the account alone: the changed cell is put in a
// one-row table and scored by the scorer's own rule kernel (`score_signal`), with column statistics
// (omitted linear/log bounds, percentile ranks) taken over the account's peers with its new value in
// place of the old; every signal that reads the changed column (or has it as target column) is
// rescored; categories and the health score go through the per-row arithmetic of detail/score.hpp,
// on the row's segment model; the band is `band_of` of that score, the rounded value the page shows.
// So a suggestion that says it reaches a band does so when written into the file and scored afresh
// (tests/core/test_explain.cpp checks exactly that on random models).
#include "healthscore/explain.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string_view>
#include <unordered_map>
#include <span>
#include <stdexcept>

#include "detail/number_format.hpp"
#include "detail/rules.hpp"
#include "detail/score.hpp"
#include "healthscore/cells.hpp"

namespace healthscore {

const char* to_string(lift_direction d) noexcept {
  switch (d) {
    case lift_direction::raise: return "raise";
    case lift_direction::reduce: return "reduce";
    case lift_direction::set: return "set";
  }
  return "set";
}

const char* to_string(lift_bound b) noexcept {
  switch (b) {
    case lift_bound::exactly: return "exactly";
    case lift_bound::or_more: return "or_more";
    case lift_bound::or_fewer: return "or_fewer";
  }
  return "exactly";
}

const char* to_string(raw_kind k) noexcept {
  switch (k) {
    case raw_kind::number: return "number";
    case raw_kind::date: return "date";
    case raw_kind::text: return "text";
  }
  return "text";
}

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// How a rule reads its cell.
enum class view : std::uint8_t { number, date, boolean, text };
view view_of(rule_type t) noexcept {
  switch (t) {
    case rule_type::map: return view::text;
    case rule_type::boolean: return view::boolean;
    case rule_type::recency: return view::date;
    default: return view::number;
  }
}

/// A value to write into the account's cell: a number, a day (days since 1970) or a text.
struct cell {
  view kind = view::number;
  double number = nan;
  std::string text;
};

/// The account's cell of column `col` set to `value`.
struct edit {
  std::ptrdiff_t col = -1;
  cell value;
};

void push_cell(column& c, const cell& v) {
  switch (v.kind) {
    case view::number:
      if (std::isnan(v.number))
        c.push_empty();
      else
        c.push_number(v.number, v.text);
      break;
    case view::date:
      if (std::isnan(v.number))
        c.push_empty();
      else
        c.push_date(v.number, v.text);
      break;
    case view::boolean:
    case view::text: c.push_text(v.text); break;
  }
}

/// The cell of `row` as `k` reads it, so it can be copied into a one-row table.
cell read_cell(const column& c, std::size_t row, view k) {
  cell out;
  out.kind = k;
  if (row >= c.size()) return out;
  out.text = std::string(trim(c.text(row)));
  if (k == view::number) out.number = c.number(row);
  if (k == view::date) {
    const std::int32_t d = c.date(row);
    out.number = d == no_date ? nan : static_cast<double>(d);
  }
  if (k == view::boolean) {
    const int b = c.boolean(row);
    if (b >= 0) out.text = b ? "true" : "false";
  }
  return out;
}

constexpr int max_decimals = 6;

/// Whether x has at most d digits after the point (up to rounding noise in its binary value).
bool fits_decimals(double x, int d) {
  const double y = x * std::pow(10.0, d);
  return std::fabs(y - std::round(y)) <= 1e-9 * std::max(1.0, std::fabs(y));
}

/// Digits after the point x needs, at most `max_decimals`.
int decimals_of(double x) {
  if (!std::isfinite(x)) return 0;
  int d = 0;
  while (d < max_decimals && !fits_decimals(x, d)) ++d;
  return d;
}

/// Digits after the point the column's values need over `rows` (every row when `all`): 0 for a
/// column of whole numbers, so a suggestion for it is a whole number too.
int data_decimals(const column& c, std::span<const std::uint32_t> rows, bool all) {
  const auto& xs = c.numbers();
  int d = 0;
  auto look = [&](double x) {
    if (std::isfinite(x) && d < max_decimals && !fits_decimals(x, d)) d = std::max(d, decimals_of(x));
  };
  if (all) {
    for (const double x : xs) look(x);
  } else {
    for (const std::uint32_t i : rows)
      if (i < xs.size()) look(xs[i]);
  }
  return d;
}

/// Fewer digits where the range is wide: a hundredth of the range is fine grain enough to say.
int grain_decimals(int data, double range) {
  if (data == 0 || !(range > 0) || !std::isfinite(range)) return data;
  const int wanted = static_cast<int>(std::ceil(-std::log10(range / 100)));
  return std::clamp(wanted, 0, data);
}

/// One account of one scorer, and what its band would be with some cells changed.
class what_if {
 public:
  what_if(const scorer& sc, std::size_t row)
      : sc_(sc), row_(row), m_(sc.row_model(row)), t_(sc.data()), terms_(detail::terms_for(m_.missing)) {
    if (!sc.segments().empty()) peers_ = &sc.segment_rows(sc.segments()[row]);
  }

  const model& row_model() const noexcept { return m_; }
  const table& data() const noexcept { return t_; }
  std::size_t row() const noexcept { return row_; }
  const scorer& scores() const noexcept { return sc_; }

  /// The account's rows of comparison (its segment's, or every row), visited in order.
  template <class F>
  void for_peers(std::size_t size, F&& f) const {
    if (peers_) {
      for (const std::uint32_t i : *peers_)
        if (i < size) f(static_cast<std::size_t>(i));
    } else {
      for (std::size_t i = 0; i < size; ++i) f(i);
    }
  }
  std::span<const std::uint32_t> peer_span() const {
    return peers_ ? std::span<const std::uint32_t>(*peers_) : std::span<const std::uint32_t>();
  }
  bool all_peers() const noexcept { return peers_ == nullptr; }

  /// Signal (c, s)'s score for this account with `edits` applied.
  double signal_score(std::size_t c, std::size_t s, std::span<const edit> edits) const {
    const signal& sig = m_.categories[c].signals[s];
    const rule& r = sig.rule;
    const std::ptrdiff_t ci = find(sig.column);
    const std::ptrdiff_t tc = r.type == rule_type::target && !r.target ? find(r.target_column) : -1;
    const edit* own = nullptr;
    const edit* goal = nullptr;
    for (const edit& e : edits) {
      if (e.col == ci && ci >= 0) own = &e;
      if (e.col == tc && tc >= 0) goal = &e;
    }
    if (!own && !goal) return sc_.signal_score(c, s, row_);
    if (ci < 0) return nan;
    const column& col = t_.columns[static_cast<std::size_t>(ci)];
    if (row_ >= col.size()) return nan;  // past a short column: missing whatever is written
    const view k = view_of(r.type);
    const cell x = own ? own->value : read_cell(col, row_, k);
    if (r.type == rule_type::percentile) return percentile(c, s, col, x.number);
    table tiny;
    tiny.rows = 1;
    column a(col.name());
    push_cell(a, x);
    tiny.columns.push_back(std::move(a));
    if (tc >= 0 && tc != ci) {
      column b(t_.columns[static_cast<std::size_t>(tc)].name());
      push_cell(b, goal ? goal->value : read_cell(t_.columns[static_cast<std::size_t>(tc)], row_, view::number));
      tiny.columns.push_back(std::move(b));
    }
    signal one = sig;
    if ((r.type == rule_type::linear || r.type == rule_type::log) && (!r.min || !r.max)) {
      // The omitted bounds over the peers with the new value in place of the old.
      const bool log = r.type == rule_type::log;
      auto [lo, hi] = others_bounds(c, s, col, log);
      const double v = x.number;
      if (log ? v >= 0 : !std::isnan(v)) {
        if (!(v >= lo)) lo = v;
        if (!(v <= hi)) hi = v;
      }
      if (!r.min && !std::isnan(lo)) one.rule.min = lo;
      if (!r.max && !std::isnan(hi)) one.rule.max = hi;
    }
    return score_signal(one, tiny, sc_.as_of())[0];
  }

  /// The health score with `edits` applied.
  double health(std::span<const edit> edits) const {
    double num = 0, den = 0;
    for (std::size_t cc = 0; cc < m_.categories.size(); ++cc) {
      const category& cat = m_.categories[cc];
      if (!detail::category_counts(cat)) continue;
      double value = sc_.category_scores(cc)[row_];
      if (!edits.empty() && reads_any(cat, edits)) {
        double cn = 0, cd = 0;
        for (std::size_t ss = 0; ss < cat.signals.size(); ++ss)
          if (cat.signals[ss].weight > 0)
            detail::add_signal(cn, cd, signal_score(cc, ss, edits), cat.signals[ss].weight, terms_);
        value = detail::mean_of(cn, cd);
      }
      detail::add_category(num, den, value, cat.weight);
    }
    return detail::mean_of(num, den);
  }

  int band(std::span<const edit> edits) const {
    ++evaluations_;
    return band_of(health(edits), m_.bands);
  }
  /// How many bands were asked for so far (the pair search's budget).
  std::size_t evaluations() const noexcept { return evaluations_; }

  /// Whether a switched-on signal other than (c, s) reads column `col` (as its own or target column).
  bool shared(std::size_t c, std::size_t s, std::ptrdiff_t col) const {
    for (std::size_t cc = 0; cc < m_.categories.size(); ++cc) {
      if (!detail::category_counts(m_.categories[cc])) continue;
      const auto& sigs = m_.categories[cc].signals;
      for (std::size_t ss = 0; ss < sigs.size(); ++ss)
        if ((cc != c || ss != s) && sigs[ss].weight > 0 && reads(sigs[ss], col)) return true;
    }
    return false;
  }

  /// The smallest and largest value of the signal's column over the peers, this account left out
  /// (for `log`, over the values it reads: x >= 0).
  std::pair<double, double> others_bounds(std::size_t c, std::size_t s, const column& col, bool log) const {
    const auto key = std::make_pair(c, s);
    if (const auto it = bounds_.find(key); it != bounds_.end()) return it->second;
    const auto& xs = col.numbers();
    double lo = nan, hi = nan;
    for_peers(xs.size(), [&](std::size_t i) {
      const double x = xs[i];
      if (i == row_ || (log ? !(x >= 0) : std::isnan(x))) return;
      if (!(x >= lo)) lo = x;
      if (!(x <= hi)) hi = x;
    });
    return bounds_[key] = {lo, hi};
  }

 private:
  bool reads(const signal& sig, std::ptrdiff_t col) const {
    if (col < 0) return false;
    if (find(sig.column) == col) return true;
    return sig.rule.type == rule_type::target && !sig.rule.target && find(sig.rule.target_column) == col;
  }
  // table::find, remembered: the lift's search asks for the same few names for every what-if it
  // scores, and find() compares every column's trimmed name (on a wide table that was most of
  // explain()'s time). The names belong to m_, which outlives this.
  std::ptrdiff_t find(std::string_view name) const {
    const auto [it, added] = found_.try_emplace(name, -1);
    if (added) it->second = t_.find(name);
    return it->second;
  }
  bool reads_any(const category& cat, std::span<const edit> edits) const {
    for (const signal& sig : cat.signals)
      for (const edit& e : edits)
        if (sig.weight > 0 && reads(sig, e.col)) return true;
    return false;
  }

  /// The `percentile` kernel's arithmetic for this account with value x among its peers.
  double percentile(std::size_t c, std::size_t s, const column& col, double x) const {
    if (std::isnan(x)) return nan;
    const auto key = std::make_pair(c, s);
    auto it = sorted_.find(key);
    if (it == sorted_.end()) {
      std::vector<double> v;
      const auto& xs = col.numbers();
      for_peers(xs.size(), [&](std::size_t i) {
        if (i != row_ && !std::isnan(xs[i])) v.push_back(xs[i]);
      });
      std::sort(v.begin(), v.end());
      it = sorted_.emplace(key, std::move(v)).first;
    }
    const auto& v = it->second;
    const auto range = std::equal_range(v.begin(), v.end(), x);
    const auto below = static_cast<double>(range.first - v.begin());
    const auto equal = static_cast<double>(range.second - range.first) + 1;
    const double n = static_cast<double>(v.size()) + 1;
    const double score = 100.0 * (below + 0.5 * equal) / n;
    return m_.categories[c].signals[s].rule.lower_is_better ? 100.0 - score : score;
  }

  const scorer& sc_;
  std::size_t row_;
  const model& m_;
  const table& t_;
  mutable std::unordered_map<std::string_view, std::ptrdiff_t> found_;
  detail::missing_terms terms_;
  const std::vector<std::uint32_t>* peers_ = nullptr;  // null: every row
  mutable std::map<std::pair<std::size_t, std::size_t>, std::pair<double, double>> bounds_;
  mutable std::map<std::pair<std::size_t, std::size_t>, std::vector<double>> sorted_;
  mutable std::size_t evaluations_ = 0;
};

/// What a `map` change writes when it means "any value not in the list" (never shown).
constexpr const char* unlisted_text = "\x01unlisted";

/// A change the search settled on, before it is described.
struct found {
  cell value;
  lift_bound bound = lift_bound::exactly;
  double score = 0;  // the signal's score with it
  int decimals = 0;
};

/// One signal the lift may change, with what its rule can produce.
struct candidate_signal {
  std::size_t c = 0, s = 0;
  std::ptrdiff_t col = -1;
  view kind = view::number;
  cell now;  // the account's cell as the rule reads it
  double from = 0;  // its signal score (policy term when missing)
  bool missing = false;
  bool alone = true;  // no other switched-on signal reads the column
  // Numeric rules (all but steps, map and boolean): a grid of values k / 10^decimals between two ends.
  bool grid = false;
  int decimals = 0;
  double lo = nan, hi = nan;  // the ends of the range where the score changes, raw values
  // Discrete rules: the values worth trying, ascending for steps, in map order for map.
  std::vector<cell> options;
  bool ordered = false;  // options are numbers in ascending order (steps)
  bool percent = false;
};

double grid_value(long long k, int d) {
  return d == 0 ? static_cast<double>(k) : static_cast<double>(k) / std::pow(10.0, d);
}
// A grid index, saturated at 2^60: converting a value past the range of long long (an account's
// 1e308, a step's max of 1e308) is undefined, and so far out the grid's ends decide anyway. The
// distance from a saturated k to a grid end (within 1e14), and ladder()'s four times it, still fit.
long long grid_index(double y) {
  constexpr double limit = 1152921504606846976.0;  // 2^60
  if (!(y > -limit)) return -(1LL << 60);
  if (y > limit) return 1LL << 60;
  return static_cast<long long>(y);
}
long long grid_floor(double x, int d) {
  const double p = std::pow(10.0, d);
  const double y = x * p;
  const double r = std::round(y);
  return grid_index(std::fabs(y - r) <= 1e-9 * std::max(1.0, std::fabs(y)) ? r : std::floor(y));
}
long long grid_ceil(double x, int d) {
  const double p = std::pow(10.0, d);
  const double y = x * p;
  const double r = std::round(y);
  return grid_index(std::fabs(y - r) <= 1e-9 * std::max(1.0, std::fabs(y)) ? r : std::ceil(y));
}

cell number_cell(view k, double x, int d) {
  cell v;
  v.kind = k;
  v.number = x;
  v.text = k == view::date ? format_date(static_cast<std::int32_t>(x)) : detail::format_fixed(x, d);
  return v;
}

/// Builds what the search needs for signal (c, s), or nothing when changing it cannot matter.
std::optional<candidate_signal> prepare(const what_if& w, std::size_t c, std::size_t s) {
  const model& m = w.row_model();
  const category& cat = m.categories[c];
  const signal& sig = cat.signals[s];
  if (!detail::category_counts(cat) || !(sig.weight > 0)) return std::nullopt;
  const table& t = w.data();
  const std::ptrdiff_t ci = t.find(sig.column);
  if (ci < 0) return std::nullopt;
  const column& col = t.columns[static_cast<std::size_t>(ci)];
  if (w.row() >= col.size()) return std::nullopt;
  const rule& r = sig.rule;
  candidate_signal cs;
  cs.c = c;
  cs.s = s;
  cs.col = ci;
  cs.kind = view_of(r.type);
  cs.now = read_cell(col, w.row(), cs.kind);
  const double v = w.scores().signal_score(c, s, w.row());
  cs.missing = std::isnan(v);
  cs.from = cs.missing ? detail::terms_for(m.missing).num : v;
  cs.alone = !w.shared(c, s, ci);
  const bool all = w.all_peers();
  const auto peers = w.peer_span();
  if (cs.kind == view::number) {
    std::string_view shown = trim(col.text(w.row()));
    if (shown.empty())
      w.for_peers(col.size(), [&](std::size_t i) {
        if (shown.empty()) shown = trim(col.text(i));
      });
    cs.percent = !shown.empty() && shown.back() == '%';
  }
  switch (r.type) {
    case rule_type::linear:
    case rule_type::log:
    case rule_type::percentile: {
      double lo = r.type == rule_type::percentile ? nan : r.min.value_or(nan);
      double hi = r.type == rule_type::percentile ? nan : r.max.value_or(nan);
      if (std::isnan(lo) || std::isnan(hi)) {
        const auto [plo, phi] = w.others_bounds(c, s, col, r.type == rule_type::log);
        if (std::isnan(lo)) lo = plo;
        if (std::isnan(hi)) hi = phi;
      }
      if (std::isnan(lo) && std::isnan(hi)) {
        if (r.type == rule_type::percentile) return std::nullopt;  // alone in its column: always 50
        lo = hi = cs.now.number;  // its own value sets both bounds
      }
      if (std::isnan(lo)) lo = hi;
      if (std::isnan(hi)) hi = lo;
      if (std::isnan(lo)) return std::nullopt;
      cs.grid = true;
      cs.lo = std::min(lo, hi);
      cs.hi = std::max(lo, hi);
      cs.decimals = grain_decimals(data_decimals(col, peers, all), cs.hi - cs.lo);
      if (r.type == rule_type::log) cs.lo = std::max(0.0, cs.lo);
      break;
    }
    case rule_type::target: {
      double goal = r.target.value_or(nan);
      if (!r.target) {
        const std::ptrdiff_t tc = t.find(r.target_column);
        if (tc >= 0 && w.row() < t.columns[static_cast<std::size_t>(tc)].size())
          goal = t.columns[static_cast<std::size_t>(tc)].number(w.row());
      }
      if (!(goal > 0)) return std::nullopt;
      cs.grid = true;
      cs.lo = 0;
      cs.hi = goal;
      cs.decimals = grain_decimals(data_decimals(col, peers, all), goal);
      break;
    }
    case rule_type::recency: {
      // Whole days: d <= full_days scores 100 (future dates too), d >= zero_days 0. Dates outside a
      // few centuries of as_of are not worth saying.
      const double as_of = w.scores().as_of();
      const double window = 200000;
      cs.grid = true;
      cs.decimals = 0;
      cs.lo = std::max(as_of - window, as_of - std::ceil(std::max(r.zero_days, r.full_days)) - 1);
      cs.hi = std::min(as_of + 1, as_of - std::floor(std::min(r.full_days, r.zero_days)) + 1);
      if (cs.lo > cs.hi) std::swap(cs.lo, cs.hi);
      break;
    }
    case rule_type::steps: {
      int d = data_decimals(col, peers, all);
      int step_d = 0;
      for (const step& st : r.steps)
        if (st.max) step_d = std::max(step_d, decimals_of(*st.max));
      d = std::min(d, step_d + 2);
      cs.decimals = d;
      std::vector<long long> ks;
      for (const step& st : r.steps) {
        if (!st.max || !std::isfinite(*st.max)) continue;
        const long long k = grid_floor(*st.max, d);
        ks.push_back(k);  // the top of the step's region: "... or fewer"
        ks.push_back(k + 1);  // just past it, the bottom of the next: "... or more"
      }
      if (ks.empty()) return std::nullopt;  // one catch-all step: the same score for every value
      std::sort(ks.begin(), ks.end());
      ks.erase(std::unique(ks.begin(), ks.end()), ks.end());
      for (const long long k : ks) cs.options.push_back(number_cell(view::number, grid_value(k, d), d));
      cs.ordered = true;
      break;
    }
    case rule_type::map: {
      std::vector<std::string> seen;
      for (const auto& [key, score] : r.map) {
        const std::string folded = detail::fold_case(key);
        if (folded.empty() || std::find(seen.begin(), seen.end(), folded) != seen.end()) continue;
        seen.push_back(folded);
        cell o;
        o.kind = view::text;
        o.text = std::string(trim(key));
        cs.options.push_back(std::move(o));
      }
      // The default score: any text no key matches. Said with the first such label the peers use.
      if (r.map_default) {
        cell o;
        o.kind = view::text;
        w.for_peers(col.size(), [&](std::size_t i) {
          if (!o.text.empty()) return;
          const std::string folded = detail::fold_case(col.text(i));
          if (!folded.empty() && std::find(seen.begin(), seen.end(), folded) == seen.end())
            o.text = std::string(trim(col.text(i)));
        });
        if (o.text.empty()) {
          // None in the file: the change is "any value not in the list", tried with a text no key is.
          o.text = unlisted_text;
          while (std::find(seen.begin(), seen.end(), detail::fold_case(o.text)) != seen.end()) o.text += "?";
        }
        cs.options.push_back(std::move(o));
      }
      break;
    }
    case rule_type::boolean: {
      // Written in the column's own words where it has them ("Yes", "Sí"), else true/false.
      for (const int b : {1, 0}) {
        cell o;
        o.kind = view::boolean;
        w.for_peers(col.size(), [&](std::size_t i) {
          if (o.text.empty() && col.boolean(i) == b && col.kind(i) == cell_kind::text)
            o.text = std::string(trim(col.text(i)));
        });
        if (o.text.empty()) o.text = b ? "true" : "false";
        cs.options.push_back(std::move(o));
      }
      break;
    }
  }
  return cs;
}

std::vector<edit> with(std::span<const edit> base, const candidate_signal& cs, const cell& v) {
  std::vector<edit> out(base.begin(), base.end());
  out.push_back({cs.col, v});
  return out;
}

/// The grid of a numeric rule: values k / 10^decimals for k in [ka, kb], one grain past each end of
/// the range where the score changes (so both ends are saturated), and which way improves.
struct grid_span {
  long long ka = 0, kb = 0;
  int dir = 0;  // +1: larger values score more; -1: smaller; 0: flat
  int decimals = 0;
};

std::optional<grid_span> grid_of(const what_if& w, const candidate_signal& cs, std::span<const edit> base) {
  grid_span g;
  g.decimals = cs.decimals;
  // Keep k well inside the doubles' exact integers; values so large are not worth saying finely.
  while (g.decimals > 0 && std::max(std::fabs(cs.lo), std::fabs(cs.hi)) * std::pow(10.0, g.decimals) > 1e14)
    --g.decimals;
  if (std::max(std::fabs(cs.lo), std::fabs(cs.hi)) > 1e14) return std::nullopt;
  g.ka = grid_floor(cs.lo, g.decimals) - 1;
  g.kb = grid_ceil(cs.hi, g.decimals) + 1;
  if (w.row_model().categories[cs.c].signals[cs.s].rule.type == rule_type::log)
    g.ka = std::max(g.ka, 0LL);  // x < 0 is missing
  auto at = [&](long long k) {
    return w.signal_score(cs.c, cs.s, with(base, cs, number_cell(cs.kind, grid_value(k, g.decimals), g.decimals)));
  };
  const double sa = at(g.ka), sb = at(g.kb);
  const double a = std::isnan(sa) ? -1 : sa, b = std::isnan(sb) ? -1 : sb;
  g.dir = b > a ? 1 : a > b ? -1 : 0;
  if (g.dir == 0) return std::nullopt;
  return g;
}

/// Whether writing `v` with `base` applied keeps "or more"/"or fewer" true: for a monotone rule
/// always (the band is monotone in a signal's score); for steps, each region beyond it is tried.
lift_bound bound_for(const what_if& w, const candidate_signal& cs, const cell& v, std::span<const edit> base,
                     int target, int dir) {
  if (!cs.alone || dir == 0) return lift_bound::exactly;  // another signal on the column may move the other way
  if (cs.grid) {
    // `log` reads no value below 0: "or fewer" there means down to 0, and at 0 nothing is fewer.
    if (dir < 0 && w.row_model().categories[cs.c].signals[cs.s].rule.type == rule_type::log && !(v.number > 0))
      return lift_bound::exactly;
    return dir > 0 ? lift_bound::or_more : lift_bound::or_fewer;
  }
  if (!cs.ordered) return lift_bound::exactly;
  for (const cell& o : cs.options) {
    if (dir > 0 ? o.number < v.number : o.number > v.number) continue;
    if (w.band(with(base, cs, o)) < target) return lift_bound::exactly;
  }
  return dir > 0 ? lift_bound::or_more : lift_bound::or_fewer;
}

/// The value of `cs` closest to its current one that, with `base` applied, takes the account to band
/// `target` or above; for a discrete rule the one that changes its score least. None when no value the
/// rule can produce does.
std::optional<found> search(const what_if& w, const candidate_signal& cs, std::span<const edit> base, int target) {
  if (cs.grid) {
    const auto g = grid_of(w, cs, base);
    if (!g) return std::nullopt;
    const long long best = g->dir > 0 ? g->kb : g->ka;
    long long k0;
    if (cs.missing) {
      k0 = g->dir > 0 ? g->ka : g->kb;  // an empty cell: any value, from the worst up
    } else {
      k0 = g->dir > 0 ? grid_floor(cs.now.number, g->decimals) + 1 : grid_ceil(cs.now.number, g->decimals) - 1;
      if (g->dir > 0 ? k0 > best : k0 < best) return std::nullopt;  // already at the best end
    }
    auto cell_at = [&](long long i) {
      return number_cell(cs.kind, grid_value(k0 + g->dir * i, g->decimals), g->decimals);
    };
    const long long n = g->dir > 0 ? best - k0 : k0 - best;
    if (w.band(with(base, cs, cell_at(n))) < target) return std::nullopt;
    // The band only grows the improving way, so the first lifting value is found by bisection.
    long long lo = 0, hi = n;
    while (lo < hi) {
      const long long mid = lo + (hi - lo) / 2;
      if (w.band(with(base, cs, cell_at(mid))) >= target)
        hi = mid;
      else
        lo = mid + 1;
    }
    found f;
    f.value = cell_at(lo);
    f.decimals = g->decimals;
    f.score = w.signal_score(cs.c, cs.s, with(base, cs, f.value));
    f.bound = bound_for(w, cs, f.value, base, target, g->dir);
    return f;
  }
  std::optional<found> best;
  double best_cost = 0, best_distance = 0;
  for (const cell& o : cs.options) {
    if (!cs.missing && o.kind == view::text && detail::fold_case(o.text) == detail::fold_case(cs.now.text)) continue;
    const auto e = with(base, cs, o);
    if (w.band(e) < target) continue;
    const double score = w.signal_score(cs.c, cs.s, e);
    const double cost = score - cs.from;
    const double distance = cs.ordered && !cs.missing ? std::fabs(o.number - cs.now.number) : 0;
    if (best && !(cost < best_cost || (cost == best_cost && distance < best_distance))) continue;
    found f;
    f.value = o;
    f.score = score;
    f.decimals = cs.decimals;
    best = f;
    best_cost = cost;
    best_distance = distance;
  }
  if (best && cs.ordered) {
    if (!cs.missing) {
      best->bound = bound_for(w, cs, best->value, base, target, best->value.number > cs.now.number ? 1 : -1);
    } else {
      best->bound = bound_for(w, cs, best->value, base, target, 1);
      if (best->bound == lift_bound::exactly) best->bound = bound_for(w, cs, best->value, base, target, -1);
    }
  }
  return best;
}

/// The values of `cs` worth holding while a second signal is searched: a few steps of the way from
/// its current value to its best, the best last.
std::vector<cell> ladder(const what_if& w, const candidate_signal& cs) {
  std::vector<cell> out;
  if (cs.grid) {
    const auto g = grid_of(w, cs, {});
    if (!g) return out;
    const long long best = g->dir > 0 ? g->kb : g->ka;
    long long k0 = g->dir > 0 ? g->ka : g->kb;
    if (!cs.missing)
      k0 = g->dir > 0 ? grid_floor(cs.now.number, g->decimals) + 1 : grid_ceil(cs.now.number, g->decimals) - 1;
    if (g->dir > 0 ? k0 > best : k0 < best) return out;
    const long long n = g->dir > 0 ? best - k0 : k0 - best;
    long long last = -1;
    for (const int q : {1, 2, 3, 4}) {
      const long long i = n * q / 4;
      if (i == last) continue;
      last = i;
      out.push_back(number_cell(cs.kind, grid_value(k0 + g->dir * i, g->decimals), g->decimals));
    }
    return out;
  }
  // Discrete: one value per score better than now (the nearest for steps), at most four, best last.
  std::vector<std::pair<double, cell>> better;
  for (const cell& o : cs.options) {
    const double score = w.signal_score(cs.c, cs.s, with({}, cs, o));
    if (!(score > cs.from) && !cs.missing) continue;
    auto same = std::find_if(better.begin(), better.end(), [&](const auto& b) { return b.first == score; });
    if (same == better.end())
      better.emplace_back(score, o);
    else if (cs.ordered && !cs.missing &&
             std::fabs(o.number - cs.now.number) < std::fabs(same->second.number - cs.now.number))
      same->second = o;
  }
  std::sort(better.begin(), better.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  const std::size_t n = better.size();
  std::size_t last = n;
  for (std::size_t q = 1; q <= 4 && n; ++q) {
    const std::size_t i = (n * q + 3) / 4 - 1;
    if (i != last) out.push_back(better[i].second);
    last = i;
  }
  return out;
}

lift_change describe(const what_if& w, const candidate_signal& cs, const found& f) {
  const model& m = w.row_model();
  const signal& sig = m.categories[cs.c].signals[cs.s];
  const column& col = w.data().columns[static_cast<std::size_t>(cs.col)];
  lift_change ch;
  ch.category = cs.c;
  ch.signal = cs.s;
  ch.column = sig.column;
  ch.signal_id = sig.id;
  ch.from_raw = std::string(trim(col.text(w.row())));
  ch.kind = cs.kind == view::number ? raw_kind::number : cs.kind == view::date ? raw_kind::date : raw_kind::text;
  const bool numeric = ch.kind != raw_kind::text;
  ch.from_value = numeric ? cs.now.number : nan;
  ch.to_value = numeric ? f.value.number : nan;
  ch.to_text = f.value.text;
  ch.any_other = ch.kind == raw_kind::text && f.value.text.rfind(unlisted_text, 0) == 0;
  if (ch.any_other) ch.to_text.clear();
  ch.decimals = ch.kind == raw_kind::number ? f.decimals : 0;
  ch.percent = cs.percent && ch.kind == raw_kind::number;
  if (ch.percent) ch.to_text = detail::format_fixed(f.value.number * 100, std::max(0, f.decimals - 2)) + "%";
  if (cs.missing || !numeric)
    ch.direction = lift_direction::set;
  else
    ch.direction = f.value.number > cs.now.number ? lift_direction::raise : lift_direction::reduce;
  ch.bound = f.bound;
  ch.from_score = cs.missing && m.missing == missing_policy::renormalize ? nan : cs.from;
  ch.to_score = f.score;
  return ch;
}

/// At most this many signals enter the two-signal search (ordered pairs: 90, each a handful of
/// bisections). The cap is safe for the answer's truth and for "nothing can": the signals kept are
/// those that alone raise the health score most, and the health score is a weighted sum of signal
/// scores with fixed weights while no signal's presence changes, so if any pair can lift the account
/// the two that gain most can, and they are kept; every pair returned is checked by rescoring. What a
/// model with more signals may lose is only the cheapest pair among signals that gain little alone.
constexpr std::size_t max_pair_signals = 10;
/// And at most about this many rescorings of the account (some 0.1 s), for models whose steps or
/// map rules have hundreds of values. The budget is looked at only between values of the first
/// signal, which are tried best first, so the signal that gains most, at its best, is always tried
/// with every other: the pair that can lift the account if any can (the argument above).
constexpr std::size_t max_pair_evaluations = 60000;

std::optional<improvement> lift(const what_if& w, int band) {
  const model& m = w.row_model();
  const int target = band + 1;
  std::vector<candidate_signal> all;
  for (std::size_t c = 0; c < m.categories.size(); ++c)
    for (std::size_t s = 0; s < m.categories[c].signals.size(); ++s)
      if (auto cs = prepare(w, c, s)) all.push_back(std::move(*cs));

  auto finish = [&](std::vector<std::pair<const candidate_signal*, found>> picks) -> std::optional<improvement> {
    std::sort(picks.begin(), picks.end(), [](const auto& a, const auto& b) {
      return std::make_pair(a.first->c, a.first->s) < std::make_pair(b.first->c, b.first->s);
    });
    std::vector<edit> edits;
    for (const auto& [cs, f] : picks) edits.push_back({cs->col, f.value});
    improvement imp;
    imp.to_health = w.health(edits);
    imp.to_band = band_of(imp.to_health, m.bands);
    if (imp.to_band < target) return std::nullopt;  // never shown unless rescoring agrees
    for (const auto& [cs, f] : picks) imp.changes.push_back(describe(w, *cs, f));
    return imp;
  };

  // One signal: the change that moves its own score least.
  const candidate_signal* best = nullptr;
  found best_found;
  double best_cost = 0;
  for (const candidate_signal& cs : all) {
    const auto f = search(w, cs, {}, target);
    if (!f) continue;
    const double cost = f->score - cs.from;
    if (best && !(cost < best_cost)) continue;
    best = &cs;
    best_found = *f;
    best_cost = cost;
  }
  if (best) return finish({{best, best_found}});

  // Two signals, among those that gain most alone.
  const double now = w.health({});
  std::vector<std::pair<double, const candidate_signal*>> gains;
  for (const candidate_signal& cs : all) {
    const auto steps = ladder(w, cs);
    if (steps.empty()) continue;
    double top = -1;
    for (const cell& v : steps) top = std::max(top, w.health(with({}, cs, v)));
    if (top > now) gains.emplace_back(top - now, &cs);
  }
  std::stable_sort(gains.begin(), gains.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  if (gains.size() > max_pair_signals) gains.resize(max_pair_signals);
  const candidate_signal *pa = nullptr, *pb = nullptr;
  found fa, fb;
  double pair_cost = 0;
  const std::size_t spent = w.evaluations();
  for (const auto& [ga, a] : gains) {
    if (w.evaluations() - spent > max_pair_evaluations) break;
    auto values = ladder(w, *a);
    std::reverse(values.begin(), values.end());  // best first
    for (const cell& va : values) {
      if (w.evaluations() - spent > max_pair_evaluations) break;
      const std::vector<edit> base = {{a->col, va}};
      const double sa = w.signal_score(a->c, a->s, base);
      for (const auto& [gb, b] : gains) {
        if (b == a || b->col == a->col) continue;
        const auto f = search(w, *b, base, target);
        if (!f) continue;
        const double cost = (sa - a->from) + (f->score - b->from);
        if (pa && !(cost < pair_cost)) continue;
        pa = a;
        pb = b;
        fa.value = va;
        fa.score = sa;
        fb = *f;
        pair_cost = cost;
      }
    }
  }
  if (!pa) return std::nullopt;
  // Hold the second where it is and take the first back to the least that still lifts.
  const std::vector<edit> held = {{pb->col, fb.value}};
  if (const auto f = search(w, *pa, held, target))
    fa = *f;
  else
    fa.bound = lift_bound::exactly;
  // The second's bound with the first as it now is.
  const std::vector<edit> first = {{pa->col, fa.value}};
  if (const auto f = search(w, *pb, first, target)) fb = *f;
  return finish({{pa, fa}, {pb, fb}});
}

}  // namespace

explanation explain(const scorer& sc, std::size_t row, const explain_options& options) {
  if (row >= sc.rows()) throw std::out_of_range("no row " + std::to_string(row));
  const model& m = sc.row_model(row);  // the row's segment's weights, rules and bands
  const table& t = sc.data();
  const detail::missing_terms terms = detail::terms_for(m.missing);
  const bool renormalize = m.missing == missing_policy::renormalize;

  explanation e;
  e.row = row;
  e.score = sc.scores()[row];
  e.band = sc.bands()[row];
  const bool scored = !std::isnan(e.score);

  // Shares: W_c over the categories present in this row, then w_s over the counted signals.
  double total_w = 0;
  for (std::size_t c = 0; c < m.categories.size(); ++c)
    if (detail::category_counts(m.categories[c]) && !std::isnan(sc.category_scores(c)[row]))
      total_w += m.categories[c].weight;

  for (std::size_t c = 0; c < m.categories.size(); ++c) {
    const category& cat = m.categories[c];
    const double cv = sc.category_scores(c)[row];
    const bool present = scored && detail::category_counts(cat) && !std::isnan(cv);
    category_explanation ce;
    ce.id = cat.id;
    ce.label = cat.label;
    ce.score = cv;
    ce.share = present ? cat.weight / total_w : 0;
    ce.contribution = present ? ce.share * cv : 0;
    ce.points_lost = present ? ce.share * (100 - cv) : 0;
    e.categories.push_back(ce);

    double counted_w = 0;
    for (std::size_t s = 0; s < cat.signals.size(); ++s) {
      const double v = sc.signal_score(c, s, row);
      if (cat.signals[s].weight > 0 && (!std::isnan(v) || !renormalize)) counted_w += cat.signals[s].weight;
    }
    for (std::size_t s = 0; s < cat.signals.size(); ++s) {
      const signal& sig = cat.signals[s];
      const double v = sc.signal_score(c, s, row);
      signal_explanation se;
      se.category = c;
      se.signal = s;
      se.column = sig.column;
      if (const auto ci = t.find(sig.column); ci >= 0 && row < t.columns[static_cast<std::size_t>(ci)].size())
        se.raw = std::string(t.columns[static_cast<std::size_t>(ci)].text(row));
      se.missing = std::isnan(v);
      se.score = !se.missing ? v : renormalize ? nan : terms.num;
      const bool counted = present && sig.weight > 0 && !std::isnan(se.score) && counted_w > 0;
      se.share = counted ? ce.share * sig.weight / counted_w : 0;
      se.contribution = counted ? se.share * se.score : 0;
      se.points_lost = counted ? se.share * (100 - se.score) : 0;
      e.signals.push_back(std::move(se));
    }
  }

  if (!options.lift || !scored || e.band < 0 || static_cast<std::size_t>(e.band) + 1 >= m.bands.size()) return e;
  e.next_band = lift(what_if(sc, row), e.band);
  return e;
}

}  // namespace healthscore
